//! Match finding: turns input bytes into literal/match tokens for one block and
//! gathers the symbol histograms the Huffman codes are built from.
//!
//! The chain parser stores positions as 32-bit "absolute" values `base + index`.
//! Every request starts its base more than a window past the end of the previous
//! one, so entries left by earlier requests are seen as too far back without
//! clearing the tables: a request of 8 KiB does not pay for zeroing 500 KiB of
//! tables. The greedy parser's small table is cleared instead (see `ghead`). Every
//! candidate is verified by comparing the bytes, so a stale entry can cost a probe
//! but never produce a wrong match; and since stale entries are never used, the
//! output depends only on the request, not on what the compressor did before.

use super::tables::{dist_code, LEN_SYM, NUM_LITLEN};
use crate::kernels::Kernels;

/// Deflate's window: a match may reach back at most this far.
pub const WINDOW: usize = 32_768;
const WMASK: usize = WINDOW - 1;

/// Hash table of the greedy (depth 1) parser, of 16-bit entries: 16K entries
/// (32 KiB). Measured on the 60 MB mixed corpus in 64 KiB requests, with the
/// 6-byte hash below: 2.935 ratio with this size, 2.960 with 32K entries at
/// 2% less speed, 2.889 with 8K.
const GREEDY_HASH_BITS: u32 = 14;
const GREEDY_SIZE: usize = 1 << GREEDY_HASH_BITS;
/// Small requests use only the first `1 << bits` entries (twice their length),
/// so that clearing the table costs in proportion to the request.
const GREEDY_MIN_BITS: u32 = 8;
/// Hash table of the chain (depth > 1) parser (16 bits would gain 0.01% of ratio
/// and double its cache footprint).
const CHAIN_HASH_BITS: u32 = 15;
const HEAD_SIZE: usize = 1 << CHAIN_HASH_BITS;
/// Table of 3-byte sequences (min_match 3 only): one entry per hash.
const HASH3_BITS: u32 = 15;

/// Most input bytes a block's parse starts matches in; matches started before the
/// limit may run 257 bytes past it.
pub const BLOCK_INPUT: usize = 65_536;
/// Tokens one block can hold: at most one per input byte (BLOCK_INPUT + 258),
/// rounded up to a power of two so that the parser can index by masking, without a
/// bounds check in its loop.
pub const TOKEN_CAP: usize = 1 << 17;
const TOKEN_MASK: usize = TOKEN_CAP - 1;
const _: () = assert!(BLOCK_INPUT + 258 <= TOKEN_CAP);

/// Token layout, chosen so that the block writer codes every token with the
/// same branch-free steps through two per-block tables:
/// - bits 0..9 index the literal/length writing table: a byte, or 256 +
///   length - 3;
/// - bits 9..18 index the "tail" table: a distance symbol (0..30) for a match;
///   `NO_DIST` for a lone literal (its entry writes nothing); or
///   `SECOND_LIT + b` for a literal token that carries a second literal `b`
///   (as ISA-L's intermediate format does: a run of literals takes half as
///   many tokens, so half the stores in the parser and half the steps in the
///   writer);
/// - bits 18..31 the distance's extra bits (zero unless a match).
pub const NO_DIST: u32 = 30;
pub const SECOND_LIT: u32 = 32;
pub const LIT_TOKEN: u32 = NO_DIST << TOKEN_TAIL_SHIFT;
pub const TOKEN_TAIL_SHIFT: u32 = 9;
pub const TOKEN_TAIL_MASK: u32 = 511;
pub const TOKEN_DEXTRA_SHIFT: u32 = 18;

/// The token of a match, and its distance symbol.
#[inline(always)]
fn match_token(len: usize, dist: u32) -> (u32, u32) {
    let (dsym, dext) = dist_code(dist);
    let t = (dext << TOKEN_DEXTRA_SHIFT) | (dsym << TOKEN_TAIL_SHIFT) | (256 + len as u32 - 3);
    (t, dsym)
}

/// A token carrying the two literals `a` then `b`.
#[inline(always)]
fn lit_pair_token(a: u8, b: u8) -> u32 {
    ((SECOND_LIT + b as u32) << TOKEN_TAIL_SHIFT) | a as u32
}

/// Input bytes a token stands for.
#[inline(always)]
pub fn token_raw_len(t: u32) -> usize {
    let idx = (t & 511) as usize;
    if idx < 256 {
        1 + usize::from((t >> TOKEN_TAIL_SHIFT) & TOKEN_TAIL_MASK >= SECOND_LIT)
    } else {
        idx - 253
    }
}

/// The current block's tokens and histograms.
pub struct Sink {
    pub tokens: Box<[u32; TOKEN_CAP]>,
    pub n: usize,
    /// Counts by a token's literal/length index (a byte, or 256 + length -
    /// 3), as the parser sees them: a length needs no symbol look-up per
    /// match. [`Sink::fold_lit_freq`] turns them into symbol counts.
    pub index_freq: [u32; 512],
    /// Literal/length symbol counts (0..=285), after `fold_lit_freq`.
    pub lit_freq: [u32; 288],
    /// Distance symbol counts; 32 slots (two never used) so that the parser
    /// indexes by masking.
    pub dist_freq: [u32; 32],
}

impl Sink {
    pub fn new() -> Self {
        Sink {
            tokens: boxed(),
            n: 0,
            index_freq: [0; 512],
            lit_freq: [0; 288],
            dist_freq: [0; 32],
        }
    }

    pub fn clear(&mut self) {
        self.n = 0;
        self.index_freq = [0; 512];
        self.dist_freq = [0; 32];
    }

    /// Fills `lit_freq` from the index counts (the end-of-block symbol is
    /// left at zero).
    pub fn fold_lit_freq(&mut self) {
        self.lit_freq = [0; 288];
        self.lit_freq[..256].copy_from_slice(&self.index_freq[..256]);
        for (k, &f) in self.index_freq[256..].iter().enumerate() {
            self.lit_freq[257 + LEN_SYM[k] as usize] += f;
        }
        debug_assert!(self.lit_freq[NUM_LITLEN..].iter().all(|&f| f == 0));
    }

    #[inline(always)]
    fn lit(&mut self, b: u8) {
        if let Some(t) = self.tokens.get_mut(self.n) {
            *t = LIT_TOKEN | b as u32;
            self.n += 1;
        }
        self.index_freq[b as usize] += 1;
    }

    #[inline(always)]
    fn matched(&mut self, len: usize, dist: u32) {
        let (tok, ds) = match_token(len, dist);
        if let Some(t) = self.tokens.get_mut(self.n) {
            *t = tok;
            self.n += 1;
        }
        self.index_freq[tok as usize & 511] += 1;
        self.dist_freq[ds as usize & 31] += 1;
    }
}

/// Hash heads, chain links and the absolute-position bookkeeping.
pub struct MatchState {
    /// Greedy parser's table: the low 16 bits of request positions. The part a
    /// request uses is zeroed when it starts (at most 64 KiB), so that its
    /// output does not depend on earlier requests. An entry is only a hint: the
    /// probe turns it into a position in the window (a stale or aliased entry
    /// becomes some earlier position of the request) and compares the bytes.
    ghead: Box<[u16; GREEDY_SIZE]>,
    /// Hash bits the greedy parser uses for the current request.
    gbits: u32,
    /// Bytes the greedy parser hashes for the current request (see [`ghash`]).
    gbytes: u32,
    head: Box<[u32; HEAD_SIZE]>,
    head3: Box<[u32; 1 << HASH3_BITS]>,
    /// The position last inserted into `head3` and the entry it replaced.
    last3: (usize, u32),
    prev: Box<[u32; WINDOW]>,
    /// Absolute value of index 0 of the current request (wrapping).
    base: u32,
    /// Unwrapped absolute value the next request starts at.
    next_base: u64,
    /// Unwrapped absolute value of index 0 of the current request.
    cur_base: i64,
    /// Positions below this index have been inserted into the chains.
    next_insert: usize,
}

fn boxed<T: Copy + Default, const N: usize>() -> Box<[T; N]> {
    match vec![T::default(); N].into_boxed_slice().try_into() {
        Ok(b) => b,
        Err(_) => unreachable!("length is N"),
    }
}

/// Table entries start at 0; the first base must be far enough that 0 is stale.
const FIRST_BASE: u64 = WINDOW as u64 + 1;
/// Keep unwrapped absolute values below this so that differences never wrap.
const ABS_LIMIT: u64 = u32::MAX as u64 - 2 * WINDOW as u64;

impl MatchState {
    pub fn new() -> Self {
        MatchState {
            ghead: boxed(),
            gbits: GREEDY_HASH_BITS,
            gbytes: GREEDY_HASH_BYTES_LONG,
            head: boxed(),
            head3: boxed(),
            last3: (usize::MAX, 0),
            prev: boxed(),
            base: FIRST_BASE as u32,
            next_base: FIRST_BASE,
            cur_base: FIRST_BASE as i64,
            next_insert: 0,
        }
    }

    fn reset_tables(&mut self) {
        self.head.fill(0);
        self.head3.fill(0);
        self.prev.fill(0);
    }

    /// Starts a request of `len` bytes.
    pub fn begin(&mut self, len: usize, greedy: bool) {
        if greedy {
            let want = usize::BITS - len.max(1).leading_zeros() + 1;
            self.gbits = want.clamp(GREEDY_MIN_BITS, GREEDY_HASH_BITS);
            self.ghead[..1 << self.gbits].fill(0);
            self.gbytes = if len > LONG_REQUEST {
                GREEDY_HASH_BYTES_LONG
            } else {
                GREEDY_HASH_BYTES_SHORT
            };
        }
        let end = self.next_base.saturating_add(len as u64);
        if end > ABS_LIMIT {
            self.reset_tables();
            self.next_base = FIRST_BASE;
        }
        self.cur_base = self.next_base as i64;
        self.base = self.next_base as u32;
        self.next_base = self
            .next_base
            .saturating_add(len as u64 + WINDOW as u64 + 1)
            .min(u64::MAX / 2);
        self.next_insert = 0;
        self.last3 = (usize::MAX, 0);
    }

    /// Primes the tables with positions `0..upto` of `src`, a preset dictionary
    /// (history) that the request's input follows: later positions then find
    /// matches reaching into it. Call after [`MatchState::begin`], before parsing
    /// from `upto`. `three`: also fill the 3-byte table (chain parser, min match 3).
    pub fn prime(&mut self, src: &[u8], upto: usize, greedy: bool, three: bool) {
        let upto = upto.min(src.len());
        if greedy {
            let shift = 32 - self.gbits;
            let end = upto.min(src.len().saturating_sub(7));
            for p in 0..end {
                let x = load64(src, p);
                let h = match self.gbytes {
                    GREEDY_HASH_BYTES_LONG => ghash::<GREEDY_HASH_BYTES_LONG>(x, shift),
                    _ => ghash::<GREEDY_HASH_BYTES_SHORT>(x, shift),
                };
                self.ghead[h] = gpos(p);
            }
        } else {
            self.insert_upto(src, upto, three);
        }
    }

    /// Called before parsing input positions `start..end`: a request too large for
    /// the 32-bit positions restarts the tables (losing history once per ~4 GiB).
    pub fn ensure_range(&mut self, start: usize, end: usize) {
        let hi = self.cur_base + end as i64;
        if hi > ABS_LIMIT as i64 {
            self.reset_tables();
            self.cur_base = FIRST_BASE as i64 - start as i64;
            self.base = self.cur_base as u32;
            self.next_base = ABS_LIMIT + 1; // forces a reset on the next request
            self.next_insert = start;
        }
    }
}

#[inline(always)]
fn load64(src: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(src[i..i + 8].try_into().unwrap_or([0; 8]))
}

#[inline(always)]
fn load32(src: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(src[i..i + 4].try_into().unwrap_or([0; 4]))
}

/// Number of equal bytes at `a` and `b` (a < b), at most `max`; `b + max <= src.len()`.
#[inline(always)]
fn extend(src: &[u8], a: usize, b: usize, max: usize) -> usize {
    let (Some(x), Some(y)) = (src.get(a..a + max), src.get(b..b + max)) else {
        return 0;
    };
    let mut k = 0;
    // 32 bytes a step: one vector compare where AVX2 is enabled.
    let mut xs = x.chunks_exact(32);
    let mut ys = y.chunks_exact(32);
    for (p, q) in (&mut xs).zip(&mut ys) {
        let p: &[u8; 32] = p.try_into().unwrap_or(&[0; 32]);
        let q: &[u8; 32] = q.try_into().unwrap_or(&[0; 32]);
        if p != q {
            return k + common_prefix(p, q);
        }
        k += 32;
    }
    let (x, y) = (xs.remainder(), ys.remainder());
    let mut xs = x.chunks_exact(8);
    let mut ys = y.chunks_exact(8);
    for (p, q) in (&mut xs).zip(&mut ys) {
        let d = u64::from_le_bytes(p.try_into().unwrap_or([0; 8]))
            ^ u64::from_le_bytes(q.try_into().unwrap_or([0; 8]));
        if d != 0 {
            return k + (d.trailing_zeros() / 8) as usize;
        }
        k += 8;
    }
    for (p, q) in xs.remainder().iter().zip(ys.remainder()) {
        if p != q {
            break;
        }
        k += 1;
    }
    k
}

/// Equal leading bytes of two 32-byte blocks.
#[inline(always)]
fn common_prefix(p: &[u8; 32], q: &[u8; 32]) -> usize {
    for w in 0..4 {
        let d = load64(p, 8 * w) ^ load64(q, 8 * w);
        if d != 0 {
            return 8 * w + (d.trailing_zeros() / 8) as usize;
        }
    }
    32
}

/// Greedy parser's hash of the low `BYTES` bytes of `x` (a position's next
/// 8), with the request's table size (`shift` = 32 - its bits); the mask
/// keeps the compiler's bounds check out of the loop.
///
/// More bytes than the 4 a match needs: a position's candidate is then the
/// last one that shares them, which usually matches longer. Fewer, longer
/// matches code in fewer bits and take fewer steps of the parse. Measured on
/// the 60 MB mixed corpus in 64 KiB requests: 6 bytes, ratio 2.960 against
/// 2.920 with 4 and the parse 10% faster (7 bytes: 2.897, 3% faster still).
/// Small requests have less history to find the longer repeats in: on
/// Calgary in 8 KiB requests 5 bytes give 2.443 against 2.408 with 6 (ISA-L
/// level 1: 2.447), at 2% less speed.
#[inline(always)]
fn ghash<const BYTES: u32>(x: u64, shift: u32) -> usize {
    ((x << (64 - 8 * BYTES)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (32 + shift)) as usize
        & (GREEDY_SIZE - 1)
}

/// Bytes the greedy parser hashes in requests longer than [`LONG_REQUEST`],
/// and in the others.
const GREEDY_HASH_BYTES_LONG: u32 = 6;
const GREEDY_HASH_BYTES_SHORT: u32 = 5;
const LONG_REQUEST: usize = 16 << 10;

#[inline(always)]
fn hash<const BITS: u32>(x: u32) -> usize {
    (x.wrapping_mul(0x9E37_79B1) >> (32 - BITS)) as usize
}

/// Depth-1 parse: one probe per position in a single-entry hash table of 6-byte
/// sequences, greedy matching of at least 4 bytes. Parses positions `start..` until `limit` (or the
/// end of `src`) and returns where the block ends.
///
/// The loop is software-pipelined: the table entry for the next position is read
/// before the match branch of the current one resolves, so that a mispredicted
/// branch (the common case: match or literal is data-dependent) does not also
/// wait for that load.
pub fn parse_greedy(
    ms: &mut MatchState,
    sink: &mut Sink,
    src: &[u8],
    start: usize,
    limit: usize,
    kernels: Kernels,
) -> usize {
    #[cfg(target_arch = "x86_64")]
    if kernels == Kernels::Avx2 && kernels.runs_here() {
        // SAFETY: `parse_greedy_avx2` only requires the features of
        // `Kernels::Avx2`, which the CPU was just found to have.
        #[allow(unsafe_code)]
        return unsafe { parse_greedy_avx2(ms, sink, src, start, limit) };
    }
    let _ = kernels;
    parse_greedy_portable(ms, sink, src, start, limit)
}

#[inline(never)]
fn parse_greedy_portable(
    ms: &mut MatchState,
    sink: &mut Sink,
    src: &[u8],
    start: usize,
    limit: usize,
) -> usize {
    greedy_any_size(ms, sink, src, start, limit)
}

/// [`greedy_loop`] compiled for [`Kernels::Avx2`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,bmi1,bmi2,lzcnt")]
fn parse_greedy_avx2(
    ms: &mut MatchState,
    sink: &mut Sink,
    src: &[u8],
    start: usize,
    limit: usize,
) -> usize {
    greedy_any_size(ms, sink, src, start, limit)
}

#[inline(always)]
fn greedy_any_size(
    ms: &mut MatchState,
    sink: &mut Sink,
    src: &[u8],
    start: usize,
    limit: usize,
) -> usize {
    // The full-size table (every request of 4 KiB or more) gets its own
    // copies of the loop with a constant shift: one register fewer in a loop
    // that spills.
    const FULL: u32 = 32 - GREEDY_HASH_BITS;
    const LONG: u32 = GREEDY_HASH_BYTES_LONG;
    const SHORT: u32 = GREEDY_HASH_BYTES_SHORT;
    match (ms.gbits == GREEDY_HASH_BITS, ms.gbytes == LONG) {
        (true, true) => greedy_loop::<LONG>(ms, sink, src, start, limit, FULL),
        (true, false) => greedy_loop::<SHORT>(ms, sink, src, start, limit, FULL),
        (false, _) => {
            let shift = 32 - ms.gbits;
            greedy_loop::<SHORT>(ms, sink, src, start, limit, shift)
        }
    }
}

/// The greedy table's entry for request position `i`.
#[inline(always)]
fn gpos(i: usize) -> u16 {
    i as u16
}

/// One probe of the greedy table: the candidate for a position.
#[derive(Clone, Copy)]
struct Probe {
    /// The candidate position.
    m: usize,
    /// The 8 bytes at the candidate XORed with the position's own: zero low 32
    /// bits mean a match of at least 4.
    diff: u64,
}

/// The candidate for position `i` (> 0), whose 8 bytes are `here`, from its
/// table entry `entry`.
///
/// The entry is taken as a distance back of 1 to 32 768 (mod 2^15, as ISA-L
/// does), clamped to the request's start: whatever the entry holds (stale,
/// aliased, cleared), the candidate is an earlier position in the window,
/// whose bytes are compared. No window test, no select: fewer instructions
/// between the table load and the match test.
#[inline(always)]
fn probe(near: &[u8], i: usize, here: u64, entry: u16) -> Probe {
    let back = (gpos(i).wrapping_sub(entry).wrapping_sub(1) & WMASK as u16) as usize + 1;
    let m = i.saturating_sub(back);
    debug_assert!(m < i && i - m <= WINDOW);
    Probe {
        m,
        diff: load64(near, m) ^ here,
    }
}

/// The table entries of two consecutive positions with hashes `h0` and
/// `h1`, read before either is entered: the second sees the first when their
/// hashes are equal (a run of one byte finds itself one position back).
#[inline(always)]
fn entries(head: &[u16; GREEDY_SIZE], i: usize, h0: usize, h1: usize) -> (u16, u16) {
    let e0 = head[h0];
    let e1 = if h1 == h0 { gpos(i) } else { head[h1] };
    (e0, e1)
}

/// Length of the match at `i` whose probe is `pr` (its low 4 bytes equal),
/// at most 258 and at most to the end of `src`, which has 16 readable bytes
/// at `i`.
#[inline(always)]
fn greedy_match_len(src: &[u8], i: usize, pr: Probe) -> usize {
    // Lengths up to 16 without a data-dependent branch (most matches are
    // short, and short or not is unpredictable): the next 8 bytes are
    // compared too and count only when the first 8 all matched.
    let m = pr.m;
    let far = &src[..i + 16];
    let x2 = load64(far, m + 8) ^ load64(far, i + 8);
    let first = (pr.diff.trailing_zeros() / 8) as usize;
    let second = (x2.trailing_zeros() / 8) as usize;
    let mut l = first + if first == 8 { second } else { 0 };
    if l == 16 {
        let max = (src.len() - i).min(258);
        l += extend(src, m + 16, i + 16, max - 16);
    }
    l
}

/// The greedy parse, two positions per step as ISA-L's level 1 makes it: both
/// positions are probed before either match test resolves, the hashes and
/// table entries of the two after them are read before the step ends, and
/// two literals in a row become one token.
#[inline(always)]
fn greedy_loop<const HASH_BYTES: u32>(
    ms: &mut MatchState,
    sink: &mut Sink,
    src: &[u8],
    start: usize,
    limit: usize,
    shift: u32,
) -> usize {
    let len = src.len();
    let limit = limit.min(len);
    // A step reads 8 bytes at each of `i..=i + 3` (probes and hashes) and 16
    // at a match start (`i` or `i + 1`): 19 bytes at `i` cover them all.
    let fast_end = limit.min(len.saturating_sub(19));
    let head = &mut *ms.ghead;
    let tokens = &mut *sink.tokens;
    let index_freq = &mut sink.index_freq;
    let dist_freq = &mut sink.dist_freq;
    let mut n = sink.n;
    let mut i = start;
    if i == 0 && i < fast_end {
        // Position 0 has no candidate (a probe needs an earlier position).
        head[ghash::<HASH_BYTES>(load64(src, 0), shift)] = gpos(0);
        tokens[n & TOKEN_MASK] = LIT_TOKEN | src[0] as u32;
        n += 1;
        index_freq[src[0] as usize] += 1;
        i = 1;
    }
    if i < fast_end {
        let mut cur = load64(src, i);
        let mut h0 = ghash::<HASH_BYTES>(cur, shift);
        let mut h1 = ghash::<HASH_BYTES>(cur >> 8, shift);
        let (mut e0, mut e1) = entries(head, i, h0, h1);
        loop {
            let near = &src[..i + 19];
            head[h0] = gpos(i);
            head[h1] = gpos(i + 1);
            // The next two positions' hashes and table entries, a step
            // ahead: the table load is off the path to the match test.
            let h2 = ghash::<HASH_BYTES>(cur >> 16, shift);
            let h3 = ghash::<HASH_BYTES>(load64(src, i + 3), shift);
            let (e2, e3) = entries(head, i + 2, h2, h3);
            let nxt = load64(near, i + 1);
            let p0 = probe(near, i, cur, e0);
            let p1 = probe(near, i + 1, nxt, e1);
            // The match found at `i` (`at` = 0) or, after a literal, at
            // `i + 1` (`at` = 1), and its probe.
            let (at, pr) = if p0.diff as u32 == 0 {
                (0, p0)
            } else if p1.diff as u32 == 0 {
                let b = cur as u8;
                tokens[n & TOKEN_MASK] = LIT_TOKEN | b as u32;
                n += 1;
                index_freq[b as usize] += 1;
                (1, p1)
            } else {
                let (a, b) = (cur as u8, (cur >> 8) as u8);
                tokens[n & TOKEN_MASK] = lit_pair_token(a, b);
                n += 1;
                index_freq[a as usize] += 1;
                index_freq[b as usize] += 1;
                i += 2;
                if i >= fast_end {
                    break;
                }
                cur = load64(src, i);
                (h0, h1, e0, e1) = (h2, h3, e2, e3);
                continue;
            };
            let s = i + at;
            let l = greedy_match_len(src, s, pr);
            let (tok, ds) = match_token(l, (s - pr.m) as u32);
            tokens[n & TOKEN_MASK] = tok;
            n += 1;
            index_freq[tok as usize & 511] += 1;
            dist_freq[ds as usize & 31] += 1;
            // Positions `i + 2` and `i + 3` (inside the match) go into the
            // table too, as ISA-L does (1.2% of ratio; one more near the
            // match's end would gain 0.6% more for 1.3% of speed).
            head[h2] = gpos(i + 2);
            head[h3] = gpos(i + 3);
            i = s + l;
            if i >= fast_end {
                break;
            }
            cur = load64(src, i);
            h0 = ghash::<HASH_BYTES>(cur, shift);
            h1 = ghash::<HASH_BYTES>(cur >> 8, shift);
            (e0, e1) = entries(head, i, h0, h1);
        }
    }
    sink.n = n;
    while i < limit {
        sink.lit(src[i]);
        i += 1;
    }
    i
}

/// Settings of the chain parser.
#[derive(Clone, Copy)]
pub struct ChainParams {
    /// Candidates examined per position.
    pub depth: u32,
    /// A match this long ends the search.
    pub nice: usize,
    /// Once the current match is this long the lazy look-ahead searches less.
    pub good: usize,
    /// Shortest match emitted (3 or 4).
    pub min_match: usize,
    /// Also look two positions ahead before taking a match.
    pub lazy2: bool,
}

impl ChainParams {
    pub fn for_depth(depth: u16, min_match: u8) -> Self {
        let d = depth.max(2) as u32;
        let (nice, good) = match d {
            0..=4 => (16, 8),
            5..=8 => (48, 16),
            9..=16 => (96, 32),
            17..=64 => (192, 64),
            _ => (258, 258),
        };
        ChainParams {
            depth: d,
            nice,
            good,
            min_match: if min_match <= 3 { 3 } else { 4 },
            // At depth 6 the second look-ahead would cost more speed than libdeflate L6
            // spends; from depth 9 on it is worth its ~0.6% of ratio.
            lazy2: d >= 9,
        }
    }
}

impl MatchState {
    /// Inserts positions `next_insert..upto` (those with 4 readable bytes) into the
    /// chains, and into the 3-byte table when `three` is set.
    #[inline(always)]
    fn insert_upto(&mut self, src: &[u8], upto: usize, three: bool) {
        let end = upto.min(src.len().saturating_sub(3));
        let mut p = self.next_insert;
        while p < end {
            let abs = self.base.wrapping_add(p as u32);
            let x = load32(src, p);
            let h = hash::<CHAIN_HASH_BITS>(x);
            self.prev[abs as usize & WMASK] = self.head[h];
            self.head[h] = abs;
            if three {
                let h3 = hash::<HASH3_BITS>(x & 0x00FF_FFFF);
                self.last3 = (p, self.head3[h3]);
                self.head3[h3] = abs;
            }
            p += 1;
        }
        if upto > self.next_insert {
            self.next_insert = upto;
        }
    }

    /// Longest match at `p` longer than `best` (p must already be inserted).
    /// Returns `(best, 0)` when none is found. Chains hold 4-byte sequences; with
    /// `min_match` 3 a close 3-byte match is taken from the 3-byte table when the
    /// chains have nothing.
    #[inline(always)]
    fn longest(
        &self,
        src: &[u8],
        p: usize,
        mut best: usize,
        depth: u32,
        prm: &ChainParams,
    ) -> (usize, u32) {
        let len = src.len();
        let max = (len - p).min(258);
        if best >= max || p + 4 > len {
            return (best, 0);
        }
        let nice = prm.nice.min(max);
        let abs = self.base.wrapping_add(p as u32);
        let reach = p.min(WINDOW);
        let cur = load32(src, p);
        let mut best_dist = 0u32;
        let mut cand = self.prev[abs as usize & WMASK];
        let start_best = best;
        best = best.max(3);
        for _ in 0..depth {
            let dist = abs.wrapping_sub(cand);
            if dist.wrapping_sub(1) as usize >= reach {
                break;
            }
            let m = p - dist as usize;
            if src[m + best] == src[p + best] && load32(src, m) == cur {
                let l = 4 + extend(src, m + 4, p + 4, max - 4);
                if l > best {
                    best = l;
                    best_dist = dist;
                    if l >= nice {
                        break;
                    }
                }
            }
            cand = self.prev[cand as usize & WMASK];
        }
        if best_dist == 0 && prm.min_match == 3 && start_best < 3 && self.last3.0 == p {
            let dist = abs.wrapping_sub(self.last3.1);
            if (dist.wrapping_sub(1) as usize) < reach.min(FAR_3)
                && load32(src, p - dist as usize) & 0x00FF_FFFF == cur & 0x00FF_FFFF
            {
                return (3, dist);
            }
        }
        if best_dist == 0 {
            return (start_best, 0);
        }
        (best, best_dist)
    }
}

/// Length-3 matches farther than this cost about as many bits as three literals
/// (measured: on text, length-3 matches cost ~0.3% of ratio; on binary data they
/// gain as much).
const FAR_3: usize = 1024;

/// Depth > 1 parse: hash chains and lazy matching (one position ahead, two from
/// depth 9 on).
pub fn parse_lazy(
    ms: &mut MatchState,
    sink: &mut Sink,
    src: &[u8],
    start: usize,
    limit: usize,
    prm: &ChainParams,
) -> usize {
    let len = src.len();
    let limit = limit.min(len);
    let mm = prm.min_match;
    let three = mm == 3;
    let hashable_end = len.saturating_sub(3);
    let mut i = start;
    if ms.next_insert < i {
        ms.next_insert = i;
    }
    while i < limit {
        if i >= hashable_end {
            sink.lit(src[i]);
            i += 1;
            continue;
        }
        ms.insert_upto(src, i + 1, three);
        let (mut l, mut d) = ms.longest(src, i, mm - 1, prm.depth, prm);
        if d == 0 {
            sink.lit(src[i]);
            i += 1;
            continue;
        }
        while l < prm.nice && i + 1 < hashable_end {
            ms.insert_upto(src, i + 2, three);
            let depth = if l >= prm.good {
                (prm.depth / 4).max(1)
            } else {
                prm.depth
            };
            let (l2, d2) = ms.longest(src, i + 1, l, depth, prm);
            if d2 != 0 && l2 > l {
                sink.lit(src[i]);
                i += 1;
                l = l2;
                d = d2;
                continue;
            }
            // Deeper searches also look two positions ahead, where a match must
            // beat the current one by more than the extra literal costs.
            if !prm.lazy2 || i + 2 >= hashable_end || l >= prm.good {
                break;
            }
            ms.insert_upto(src, i + 3, three);
            let (l3, d3) = ms.longest(src, i + 2, l + 1, depth, prm);
            if d3 != 0 && l3 > l + 1 {
                sink.lit(src[i]);
                sink.lit(src[i + 1]);
                i += 2;
                l = l3;
                d = d3;
            } else {
                break;
            }
        }
        sink.matched(l, d);
        i += l;
    }
    i
}
