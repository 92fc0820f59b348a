//! The validating deflate decoder (RFC 1951).
//!
//! QAT reports *why* a stream is invalid (`CpaDcReqStatus` −1…−10), and it can
//! decode a request that ends at a block boundary without BFINAL. General
//! purpose decoders do neither exactly (libdeflate, for one, accepts several
//! streams the RFC calls invalid), so this decoder is written here to the rules
//! below. It decodes every decompression request ([`super::decompress`])
//! but one shape that libdeflate decodes as strictly (a final dynamic block
//! with complete codes, see there), and it is the verifier of
//! compress-and-verify.
//!
//! # Speed
//!
//! Table driven, with a fast loop for the bulk of a block (far from the ends
//! of the input and of the output, where no bounds can be reached): pairs of
//! short literal codes decode with one lookup, the next entry is looked up
//! before the current literal is stored or match copied, matches copy eight
//! bytes at a time, and on x86-64 with BMI2 the loop is compiled for it. The
//! fast loop reads the input and writes the output through raw pointers
//! (the only `unsafe` of the decoder): the margins it checks at the top of
//! every iteration bound every access, as its comments show. Everything
//! near the ends runs in the careful loop, with checked accesses.
//!
//! # Status of an invalid stream
//!
//! | condition | status |
//! |---|---|
//! | BTYPE = 3 | `InvalidBlockType` (−1) |
//! | stored block LEN ≠ ¬NLEN | `BadStoredBlockLen` (−2) |
//! | HLIT > 29 (more than 286 literal/length codes) or HDIST > 29 (more than 30 distance codes) | `TooManyCodes` (−3) |
//! | code-length code over-subscribed, incomplete or empty | `IncompleteCodeLens` (−4) |
//! | repeat code 16 as the first length | `RepeatedLens` (−5) |
//! | a repeat (16/17/18) running past HLIT+HDIST lengths | `MoreRepeat` (−6) |
//! | literal/length code over-subscribed or incomplete (except one code of length 1), or symbol 256 without a code | `BadLitlenCodes` (−7) |
//! | distance code over-subscribed or incomplete (except one code of length 1, or no code at all) | `BadDistCodes` (−8) |
//! | literal/length symbol 286/287, distance symbol 30/31, a bit pattern with no code (incomplete code), a distance when the block has no distance code | `InvalidCode` (−9) |
//! | a distance reaching before the start of the output | `InvalidDist` (−10) |
//! | the output does not fit in `dst` | `Overflow` (−11) |
//! | the input ends before a BFINAL block ends (see below) | `IncompleteFileErr` (−15) |
//!
//! The rules are zlib's (and puff's, its reference decoder, whose error
//! numbers QAT's −1…−8 mirror); `tests/inflate_fuzz.rs` checks the decoder
//! against zlib-rs on thousands of random and mutated streams. The one
//! deliberate difference: zlib takes an empty code-length code and fails
//! later, this decoder reports `IncompleteCodeLens` at once.
//!
//! Where an error and an overflow could both be reported, the one met first
//! in stream order wins; within a match the length is checked against the
//! space left before the distance is decoded (as libdeflate does), and a
//! stored block's length before its data is read.
//!
//! On an error or an overflow nothing counts as consumed or produced (QAT
//! reports 0/0: stateless decompression overflow is an error, Table 18).
//!
//! # Where decoding stops
//!
//! Decoding stops after the first block with BFINAL set:
//! `end_of_last_block = true` and `consumed` counts the bytes up to and
//! including the one holding that block's last bit; bytes after it are left.
//!
//! If the input ends first: with `require_final` (a FLUSH_FINAL request) the
//! result is `IncompleteFileErr`. Without it, the result is OK through the last
//! block that completed (typically a sync-flush marker, so `consumed` lands on
//! the marker's end) with `end_of_last_block = false`; if no block completed,
//! `IncompleteFileErr`.
//!
//! Bytes of `dst` past `produced` may have been written (match copies move
//! eight bytes at a time, and a failed request may have written anything).

use crate::status::DcStatus;

/// Result of one decompression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InflateOutcome {
    /// `CpaDcReqStatus` of the request.
    pub status: DcStatus,
    /// Input bytes consumed (0 unless `status` is OK).
    pub consumed: usize,
    /// Output bytes written (0 unless `status` is OK).
    pub produced: usize,
    /// A block with BFINAL set was decoded (decoding stopped there).
    pub end_of_last_block: bool,
}

impl InflateOutcome {
    /// An unsuccessful request: nothing consumed or produced.
    pub fn failed(status: DcStatus) -> Self {
        InflateOutcome {
            status,
            consumed: 0,
            produced: 0,
            end_of_last_block: false,
        }
    }

    fn ok(consumed: usize, produced: usize, end_of_last_block: bool) -> Self {
        InflateOutcome {
            status: DcStatus::Ok,
            consumed,
            produced,
            end_of_last_block,
        }
    }
}

// ---------------------------------------------------------------------------
// Decode-table entries.
//
// One u32 per table slot:
//   bits 0..6   bits to consume for this entry: the code length, plus for a
//               length or a distance its extra bits
//   bits 8..12  the code length alone (where the extra bits start), or for a
//               subtable pointer the number of index bits of the subtable
//   bits 12..16 flags (below); a length or distance has no flag
//   bits 16..32 the value: literal byte, length base, distance base, or the
//               subtable's start index
// Keeping the total in the low bits lets the decoder consume a code and its
// extra bits with one shift by the entry itself (x86 masks the count to 6
// bits), which shortens the lookup → shift → lookup chain every symbol waits
// on; the extra bits' value is (saved bits & mask(total)) >> code length.
// ---------------------------------------------------------------------------

pub(super) const F_BAD: u32 = 1 << 12; // symbol 286/287 or 30/31, or a bit pattern with no code
pub(super) const F_SUB: u32 = 1 << 13; // pointer to a subtable for codes longer than the root
pub(super) const F_EOB: u32 = 1 << 14; // end of block (symbol 256)
pub(super) const F_LIT: u32 = 1 << 15; // literal byte
/// In a literal entry of a root table: the entry holds two literals (first
/// byte in bits 16..24, second in 24..32). Bits 0..6 then count both codes,
/// bits 8..12 the first code alone, so a decoder that wants one literal at a
/// time (the careful loop) consumes `code_bits` and takes the low byte. Bit 7
/// is outside the 6 bits a shift by the entry uses.
const F_PAIR: u32 = 1 << 7;

/// Root table bits for literal/length codes: a 10-bit lookup decodes most codes
/// of real streams at once; longer codes go through one subtable.
pub(super) const LIT_TB: u32 = 11;
pub(super) const LIT_ROOT: usize = 1 << LIT_TB;
/// Root plus subtables. A root slot whose longest code is `tb + s` bits long has
/// a subtable of `2^s` slots and, the code being complete, at least `s + 1`
/// codes under it; with at most 288 codes and `s ≤ 5` the subtables total at
/// most 288 / 6 · 32 = 1536 slots. (`build` checks the bound anyway.)
const LIT_CAP: usize = LIT_ROOT + 1536;

pub(super) const DIST_TB: u32 = 8;
pub(super) const DIST_ROOT: usize = 1 << DIST_TB;
/// Same argument: 32 codes, `s ≤ 7`: at most 32 / 8 · 128 = 512 slots.
const DIST_CAP: usize = DIST_ROOT + 512;

/// The code-length code has lengths of at most 7 bits: one level suffices.
const CL_TB: u32 = 7;
const CL_CAP: usize = 1 << CL_TB;

/// Order in which the code-length code lengths are sent (RFC 1951 §3.2.7).
const CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Length base and extra bits for symbols 257..=285 (RFC 1951 §3.2.5).
const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Distance base and extra bits for symbols 0..=29.
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Most literal/length codes a dynamic block may declare (HLIT ≤ 29).
pub(super) const MAX_LIT_CODES: usize = 286;
/// Most distance codes a dynamic block may declare (HDIST ≤ 29).
pub(super) const MAX_DIST_CODES: usize = 30;

/// Table entry (without the code length) for literal/length symbol `sym`.
fn lit_template(sym: usize) -> u32 {
    match sym {
        0..=255 => F_LIT | (sym as u32) << 16,
        256 => F_EOB,
        257..=285 => {
            let i = sym - 257;
            (LEN_BASE[i] as u32) << 16 | (LEN_EXTRA[i] as u32) << 8
        }
        // 286 and 287 take part in the fixed code but never occur in valid data.
        _ => F_BAD,
    }
}

/// Table entry (without the code length) for distance symbol `sym`.
fn dist_template(sym: usize) -> u32 {
    match sym {
        0..=29 => (DIST_BASE[sym] as u32) << 16 | (DIST_EXTRA[sym] as u32) << 8,
        // 30 and 31 take part in the fixed code but never occur in valid data.
        _ => F_BAD,
    }
}

/// Table entry for code-length code symbol `sym` (0..=18).
fn cl_template(sym: usize) -> u32 {
    (sym as u32) << 16
}

/// The table entry for a code of `len` bits whose template is `t` (value and
/// flags, extra-bit count in bits 8..12): see "Decode-table entries".
fn entry(t: u32, len: u32) -> u32 {
    let extra = (t >> 8) & 15;
    (t & !0xfff) | len << 8 | (len + extra)
}

/// Bits an entry consumes (its code and any extra bits).
#[inline(always)]
pub(super) fn total_bits(e: u32) -> u32 {
    e & 63
}

/// The code length of an entry (where its extra bits start).
#[inline(always)]
pub(super) fn code_bits(e: u32) -> u32 {
    (e >> 8) & 15
}

/// The value of a length or distance entry: its base plus the extra bits
/// that follow the code in `saved` (the bit buffer before consuming it).
#[inline(always)]
pub(super) fn value_with_extra(e: u32, saved: u64) -> usize {
    let total = total_bits(e);
    (e >> 16) as usize + ((saved & ((1u64 << total) - 1)) >> code_bits(e)) as usize
}

/// How a set of code lengths fills the code space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// Exactly fills the code space: a proper prefix code.
    Complete,
    /// Exactly one code, of length 1 (the other 1-bit pattern is unused).
    Single,
    /// No code at all.
    Empty,
    /// Leaves part of the code space unused (other than `Single`).
    Incomplete,
    /// More codes than the code space holds.
    Oversubscribed,
}

fn shape(lens: &[u8]) -> Shape {
    let mut count = [0u32; 16];
    for &l in lens {
        count[(l & 15) as usize] += 1;
    }
    // Code space left, in units of 2^-len: starts at 1 (the whole space).
    let mut left: i64 = 1;
    for &c in &count[1..] {
        left = (left << 1) - c as i64;
        if left < 0 {
            return Shape::Oversubscribed;
        }
    }
    let used: u32 = count[1..].iter().sum();
    if left == 0 {
        Shape::Complete
    } else if used == 0 {
        Shape::Empty
    } else if used == 1 && count[1] == 1 {
        Shape::Single
    } else {
        Shape::Incomplete
    }
}

/// Fills `table` (root of `1 << tb` slots, subtables after it) for the code
/// described by `lens`, which must be `Complete` or `Single` or `Empty`.
/// Returns false if the subtables would not fit (impossible for the
/// capacities above; checked so that no input can index out of bounds).
fn build(lens: &[u8], table: &mut [u32], tb: u32, template: fn(usize) -> u32) -> bool {
    let root = 1usize << tb;
    match shape(lens) {
        Shape::Empty => {
            // No code: whatever is read is not a symbol. Like zlib, one bit
            // must be there to say so (otherwise the input is truncated).
            table[..root].fill(entry(F_BAD, 1));
            return true;
        }
        Shape::Single => {
            // The one code is "0" (the first canonical code); "1" is unused.
            let sym = lens.iter().position(|&l| l == 1).unwrap_or(0);
            let good = entry(template(sym), 1);
            for (i, slot) in table[..root].iter_mut().enumerate() {
                *slot = if i & 1 == 0 { good } else { entry(F_BAD, 1) };
            }
            return true;
        }
        Shape::Complete => {}
        Shape::Incomplete | Shape::Oversubscribed => return false,
    }

    // Canonical codes (RFC 1951 §3.2.2): the first code of each length follows
    // the last code of the previous length, shifted left by one.
    let mut count = [0u32; 16];
    for &l in lens {
        count[l as usize] += 1;
    }
    count[0] = 0;
    let mut next = [0u32; 16];
    let mut code = 0u32;
    for len in 1..16 {
        code = (code + count[len - 1]) << 1;
        next[len] = code;
    }

    let mut codes = [0u16; 288];
    let mut long_codes = false;
    for (sym, &len) in lens.iter().enumerate() {
        if len == 0 {
            continue;
        }
        let len = len as u32;
        let c = next[len as usize];
        next[len as usize] += 1;
        // Codes are sent most-significant bit first; the bit buffer delivers
        // the first bit in bit 0, so tables are indexed by the reversed code.
        let rev = c.reverse_bits() >> (32 - len);
        codes[sym] = rev as u16;
        if len <= tb {
            let e = entry(template(sym), len);
            let mut i = rev as usize;
            while i < root {
                table[i] = e;
                i += 1 << len;
            }
        } else {
            long_codes = true;
        }
    }
    if !long_codes {
        return true;
    }

    // Subtable sizes: codes longer than `tb` sharing the same first `tb` bits
    // (the same root slot) go to one subtable, sized for the longest of them.
    // (Only here: most blocks have no code longer than the root, and these
    // arrays would be cleared for nothing.)
    let mut sub_bits = [0u8; LIT_ROOT];
    let mut sub_at = [0u16; LIT_ROOT];
    for (sym, &len) in lens.iter().enumerate() {
        let len = len as u32;
        if len > tb {
            let slot = codes[sym] as usize & (root - 1);
            sub_bits[slot] = sub_bits[slot].max((len - tb) as u8);
        }
    }

    let mut end = root;
    for (sym, &len) in lens.iter().enumerate() {
        let len = len as u32;
        if len <= tb {
            continue;
        }
        let rev = codes[sym] as usize;
        let slot = rev & (root - 1);
        let sb = sub_bits[slot] as u32;
        if sub_at[slot] == 0 {
            if end + (1 << sb) > table.len() {
                return false;
            }
            sub_at[slot] = end as u16;
            table[slot] = F_SUB | sb << 8 | (end as u32) << 16;
            end += 1 << sb;
        }
        let start = sub_at[slot] as usize;
        // Slot entries keep the full code length: the root bits are not
        // consumed separately.
        let e = entry(template(sym), len);
        let mut i = rev >> tb;
        while i < 1 << sb {
            table[start + i] = e;
            i += 1 << (len - tb);
        }
    }
    true
}

/// Turns root slots whose bits hold two whole literal codes into pair
/// entries (see [`F_PAIR`]): the fast loop then stores two literals per
/// lookup, which halves the lookup → shift chain on literal runs.
///
/// The bits after slot `i`'s first code are `i >> len`, with zeros above
/// them; the entry found there is right if its code fits in those bits.
/// Slots are rewritten from the top down, so `i >> len` (below `i`, or `i`
/// itself when 0) still holds its single-literal entry when read.
fn pair_literals(root: &mut [u32]) {
    let tb = root.len().trailing_zeros();
    for i in (0..root.len()).rev() {
        // Branch free (a select): whether a slot pairs is data dependent, and
        // mispredicted branches over 2048 slots per block would cost more
        // than the pairs save on a small block.
        let e = root[i];
        let len = code_bits(e);
        let next = root[i >> len];
        let pairs = e & next & F_LIT != 0 && len + code_bits(next) <= tb;
        let pair =
            (e & 0x00ff_ff00) | ((next >> 16) & 0xff) << 24 | F_PAIR | (len + code_bits(next));
        root[i] = if pairs { pair } else { e };
    }
}

/// Why decoding stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stop {
    /// The stream is invalid.
    Invalid(DcStatus),
    /// The input ended inside a block (or inside a block header).
    Truncated,
    /// `dst` is full.
    Overflow,
    /// A match of `len` bytes reaching `dist` bytes back, before the start
    /// of `dst` but inside the history the caller named (the resumable
    /// decoder's window, [`super::stream`]): decoded, not yet copied. Never
    /// returned when there is no history.
    Far { len: usize, dist: usize },
}

/// Little-endian bit reader with a 64-bit buffer.
///
/// Invariant: bit `i < cnt` of `buf` is stream bit `consumed + i`; bits at and
/// above `cnt` are either the following stream bits (from a byte loaded only in
/// part) or zero, so a table lookup past `cnt` never sees foreign bits and
/// reloading a byte ORs in the same bits again.
#[derive(Clone, Copy)]
pub(super) struct Bits<'a> {
    pub(super) src: &'a [u8],
    /// Next byte not yet counted in `cnt`.
    pub(super) pos: usize,
    pub(super) buf: u64,
    pub(super) cnt: u32,
}

impl<'a> Bits<'a> {
    pub(super) fn new(src: &'a [u8]) -> Self {
        Bits {
            src,
            pos: 0,
            buf: 0,
            cnt: 0,
        }
    }

    /// Afterwards `cnt >= 56`, or all input is in the buffer.
    #[inline(always)]
    pub(super) fn refill(&mut self) {
        if self.pos + 8 <= self.src.len() {
            let mut w = [0u8; 8];
            w.copy_from_slice(&self.src[self.pos..self.pos + 8]);
            self.buf |= u64::from_le_bytes(w) << self.cnt;
            self.pos += ((63 - self.cnt) >> 3) as usize;
            self.cnt |= 56;
        } else {
            while self.cnt < 56 && self.pos < self.src.len() {
                self.buf |= (self.src[self.pos] as u64) << self.cnt;
                self.pos += 1;
                self.cnt += 8;
            }
        }
    }

    #[inline(always)]
    pub(super) fn consume(&mut self, n: u32) {
        self.buf >>= n;
        self.cnt -= n;
    }

    /// Takes `n` (≤ 32) bits, refilling first; `Truncated` if the input ends.
    pub(super) fn take(&mut self, n: u32) -> Result<u32, Stop> {
        if self.cnt < n {
            self.refill();
            if self.cnt < n {
                return Err(Stop::Truncated);
            }
        }
        let v = (self.buf & ((1u64 << n) - 1)) as u32;
        self.consume(n);
        Ok(v)
    }

    /// Bytes holding at least one consumed bit.
    fn consumed_bytes(&self) -> usize {
        let bits = self.pos * 8 - self.cnt as usize;
        bits.div_ceil(8)
    }
}

/// The decode tables of one block's codes. One allocation for both, so that
/// the decoding loop reaches both from one base register (it is short of
/// registers).
pub(super) struct Tables {
    pub(super) lit: [u32; LIT_CAP],
    pub(super) dist: [u32; DIST_CAP],
}

impl Tables {
    fn new() -> Box<Tables> {
        Box::new(Tables {
            lit: [0; LIT_CAP],
            dist: [0; DIST_CAP],
        })
    }
}

/// Reusable decoder state: the decode tables (built once for the fixed codes,
/// rebuilt for each dynamic block). `inflate` allocates nothing.
pub struct Inflater {
    pub(super) dynamic: Box<Tables>,
    pub(super) fixed: Box<Tables>,
    cl: Box<[u32; CL_CAP]>,
}

impl Default for Inflater {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Inflater {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Inflater")
    }
}

impl Inflater {
    /// Allocates the decode tables and builds the fixed-code ones.
    pub fn new() -> Self {
        let mut fixed = Tables::new();
        // RFC 1951 §3.2.6: 0-143 → 8 bits, 144-255 → 9, 256-279 → 7, 280-287 → 8;
        // distances: 32 codes of 5 bits.
        let mut lens = [0u8; 288];
        lens[..144].fill(8);
        lens[144..256].fill(9);
        lens[256..280].fill(7);
        lens[280..].fill(8);
        let lit_ok = build(&lens, &mut fixed.lit[..], LIT_TB, lit_template);
        let dist_ok = build(&[5u8; 32], &mut fixed.dist[..], DIST_TB, dist_template);
        debug_assert!(lit_ok && dist_ok, "the fixed codes are complete");
        Inflater {
            dynamic: Tables::new(),
            fixed,
            cl: Box::new([0u32; CL_CAP]),
        }
    }

    /// Decodes the deflate stream in `src` into `dst` (see the module
    /// documentation for the status, `consumed` and `produced` rules).
    pub fn inflate(&mut self, src: &[u8], dst: &mut [u8], require_final: bool) -> InflateOutcome {
        self.inflate_after(src, dst, 0, require_final)
    }

    /// Decodes into `dst[history..]`, `dst[..history]` holding the history
    /// (a preset dictionary) that distances may reach into. `produced` counts
    /// the bytes written after the history.
    pub fn inflate_after(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        history: usize,
        require_final: bool,
    ) -> InflateOutcome {
        self.decode(src, dst, history, require_final, false)
    }

    /// [`Inflater::inflate`] for a caller that wants the first bytes of the
    /// output only (a partial read): when `dst` fills up, the outcome is
    /// `Overflow` with `produced` the bytes decoded before the item that did
    /// not fit (a literal, a match of at most 258 bytes or a stored block of
    /// at most 65 535) and `consumed` the input read up to there. Those
    /// `produced` bytes are the stream's first bytes; so with
    /// `dst.len() >= n + 65_535 + 258`, an `Overflow` means the first `n`
    /// bytes are all in `dst`.
    pub fn inflate_prefix(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        require_final: bool,
    ) -> InflateOutcome {
        self.decode(src, dst, 0, require_final, true)
    }

    fn decode(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        history: usize,
        require_final: bool,
        keep_prefix: bool,
    ) -> InflateOutcome {
        let history = history.min(dst.len());
        let mut bits = Bits::new(src);
        let mut out = history;
        // (consumed, produced) after the last block that completed.
        let mut last_boundary: Option<(usize, usize)> = None;
        loop {
            match self.block(&mut bits, dst, &mut out) {
                Ok(true) => return InflateOutcome::ok(bits.consumed_bytes(), out - history, true),
                Ok(false) => last_boundary = Some((bits.consumed_bytes(), out - history)),
                Err(Stop::Truncated) => {
                    return match last_boundary {
                        Some((consumed, produced)) if !require_final => {
                            InflateOutcome::ok(consumed, produced, false)
                        }
                        _ => InflateOutcome::failed(DcStatus::IncompleteFileErr),
                    };
                }
                Err(Stop::Overflow) if keep_prefix => {
                    return InflateOutcome {
                        status: DcStatus::Overflow,
                        consumed: bits.consumed_bytes().min(src.len()),
                        produced: out - history,
                        end_of_last_block: false,
                    }
                }
                Err(Stop::Overflow) => return InflateOutcome::failed(DcStatus::Overflow),
                Err(Stop::Invalid(status)) => return InflateOutcome::failed(status),
                // Without history a match before the output is invalid (the
                // fast loop reports it so; this keeps the match exhaustive).
                Err(Stop::Far { .. }) => return InflateOutcome::failed(DcStatus::InvalidDist),
            }
        }
    }

    /// Decodes one block; returns its BFINAL bit.
    fn block(
        &mut self,
        bits: &mut Bits<'_>,
        dst: &mut [u8],
        out: &mut usize,
    ) -> Result<bool, Stop> {
        let header = bits.take(3)?;
        let is_final = header & 1 == 1;
        match header >> 1 {
            0 => stored(bits, dst, out)?,
            1 => codes(&self.fixed, bits, dst, out)?,
            2 => {
                self.dynamic_header(bits)?;
                codes(&self.dynamic, bits, dst, out)?;
            }
            _ => return Err(Stop::Invalid(DcStatus::InvalidBlockType)),
        }
        Ok(is_final)
    }

    /// Reads a dynamic block's code description (RFC 1951 §3.2.7) and builds
    /// `self.dynamic`.
    fn dynamic_header(&mut self, bits: &mut Bits<'_>) -> Result<(), Stop> {
        let (lens, nlit, ndist) = self.code_lengths(bits)?;
        self.build_dynamic(&lens[..nlit], &lens[nlit..nlit + ndist])
    }

    /// Builds `self.dynamic` from a dynamic block's code lengths, checking
    /// the two codes (the statuses of [`Inflater::dynamic_header`]).
    pub(super) fn build_dynamic(&mut self, lit_lens: &[u8], dist_lens: &[u8]) -> Result<(), Stop> {
        if lit_lens.get(256).is_none_or(|&l| l == 0) {
            return Err(Stop::Invalid(DcStatus::BadLitlenCodes));
        }
        let lit_ok = matches!(shape(lit_lens), Shape::Complete | Shape::Single)
            && build(lit_lens, &mut self.dynamic.lit[..], LIT_TB, lit_template);
        if !lit_ok {
            return Err(Stop::Invalid(DcStatus::BadLitlenCodes));
        }
        pair_literals(&mut self.dynamic.lit[..LIT_ROOT]);
        // RFC 1951 §3.2.7: one distance code of zero bits means no distance is
        // used; one code of one bit is allowed too.
        let dist_ok = matches!(
            shape(dist_lens),
            Shape::Complete | Shape::Single | Shape::Empty
        ) && build(
            dist_lens,
            &mut self.dynamic.dist[..],
            DIST_TB,
            dist_template,
        );
        if !dist_ok {
            return Err(Stop::Invalid(DcStatus::BadDistCodes));
        }
        Ok(())
    }

    /// Whether `src` starts with a final dynamic block whose header is
    /// valid and whose literal/length and distance codes are both complete
    /// (no one-code or empty code): the streams [`super::decompress`] may
    /// give to libdeflate (see there). Reads the block header only (the
    /// code-length code and the code lengths; no decode table is built).
    pub fn is_complete_final_dynamic(&mut self, src: &[u8]) -> bool {
        let mut bits = Bits::new(src);
        if bits.take(3) != Ok(0b101) {
            return false; // BFINAL = 1, BTYPE = 10
        }
        let Ok((lens, nlit, ndist)) = self.code_lengths(&mut bits) else {
            return false;
        };
        let (lit_lens, dist_lens) = lens[..nlit + ndist].split_at(nlit);
        lit_lens[256] != 0
            && shape(lit_lens) == Shape::Complete
            && shape(dist_lens) == Shape::Complete
    }

    /// Reads a dynamic block's counts, code-length code and code lengths
    /// (RFC 1951 §3.2.7): (lengths, literal/length count, distance count).
    /// Builds `self.cl` only.
    pub(super) fn code_lengths(
        &mut self,
        bits: &mut Bits<'_>,
    ) -> Result<([u8; MAX_LIT_CODES + MAX_DIST_CODES], usize, usize), Stop> {
        let counts = bits.take(14)?;
        let nlit = 257 + (counts & 31) as usize;
        let ndist = 1 + ((counts >> 5) & 31) as usize;
        let ncl = 4 + (counts >> 10) as usize;
        if nlit > MAX_LIT_CODES || ndist > MAX_DIST_CODES {
            return Err(Stop::Invalid(DcStatus::TooManyCodes));
        }

        let mut cl_lens = [0u8; 19];
        for &sym in &CL_ORDER[..ncl] {
            cl_lens[sym] = bits.take(3)? as u8;
        }
        // The code-length code must be complete: puff and zlib accept no
        // exception here (libdeflate does, which is why it is not used to
        // classify).
        if shape(&cl_lens) != Shape::Complete
            || !build(&cl_lens, &mut self.cl[..], CL_TB, cl_template)
        {
            return Err(Stop::Invalid(DcStatus::IncompleteCodeLens));
        }

        // Literal/length and distance lengths form one sequence: a repeat may
        // run from the one into the other.
        let mut lens = [0u8; MAX_LIT_CODES + MAX_DIST_CODES];
        let total = nlit + ndist;
        let mut i = 0usize;
        while i < total {
            bits.refill();
            let e = self.cl[(bits.buf as usize) & (CL_CAP - 1)];
            let clen = e & 0xff;
            if clen > bits.cnt {
                return Err(Stop::Truncated);
            }
            bits.consume(clen);
            let sym = (e >> 16) as u8;
            let (value, repeat) = match sym {
                0..=15 => {
                    lens[i] = sym;
                    i += 1;
                    continue;
                }
                16 => {
                    // The repeat count is read before the check, as zlib does:
                    // it only matters for a stream truncated right here.
                    let repeat = 3 + bits.take(2)? as usize;
                    if i == 0 {
                        return Err(Stop::Invalid(DcStatus::RepeatedLens));
                    }
                    (lens[i - 1], repeat)
                }
                17 => (0, 3 + bits.take(3)? as usize),
                _ => (0, 11 + bits.take(7)? as usize),
            };
            if i + repeat > total {
                return Err(Stop::Invalid(DcStatus::MoreRepeat));
            }
            lens[i..i + repeat].fill(value);
            i += repeat;
        }

        Ok((lens, nlit, ndist))
    }
}

/// A stored block, after its 3 header bits.
fn stored(bits: &mut Bits<'_>, dst: &mut [u8], out: &mut usize) -> Result<(), Stop> {
    // LEN and NLEN start at the next byte boundary.
    let pad = bits.cnt & 7;
    bits.consume(pad);
    let lens = bits.take(32)?;
    let len = (lens & 0xffff) as usize;
    if lens >> 16 != !lens & 0xffff {
        return Err(Stop::Invalid(DcStatus::BadStoredBlockLen));
    }
    // Back to byte addressing: drop the whole bytes still in the bit buffer.
    let at = bits.pos - (bits.cnt / 8) as usize;
    bits.pos = at;
    bits.buf = 0;
    bits.cnt = 0;
    if len > dst.len() - *out {
        return Err(Stop::Overflow);
    }
    if len > bits.src.len() - at {
        return Err(Stop::Truncated);
    }
    dst[*out..*out + len].copy_from_slice(&bits.src[at..at + len]);
    *out += len;
    bits.pos = at + len;
    Ok(())
}

/// Resolves a subtable pointer `e` (taken from the root slot of `buf`'s low
/// `tb` bits) to the entry of the code in `buf`. Does not consume anything.
#[inline(always)]
fn resolve_sub(table: &[u32], tb: u32, e: u32, buf: u64) -> u32 {
    let sb = (e >> 8) & 15;
    let idx = (e >> 16) as usize + ((buf >> tb) as usize & ((1usize << sb) - 1));
    // Subtable indices come from `build` and stay inside the table; `get`
    // keeps a corrupted table from panicking.
    table.get(idx).copied().unwrap_or(F_BAD)
}

/// Looks up the entry for the next code in `table` (root of `1 << tb` slots),
/// following a subtable pointer. Does not consume anything.
#[inline(always)]
pub(super) fn lookup(table: &[u32], root_mask: usize, tb: u32, buf: u64) -> u32 {
    let e = table[(buf as usize) & root_mask];
    if e & F_SUB == 0 {
        return e;
    }
    resolve_sub(table, tb, e, buf)
}

/// Copies a match of `len` bytes from `dist` back. The caller checked
/// `dist <= out` and `out + len <= dst.len()`.
#[inline(always)]
pub(super) fn copy_match(dst: &mut [u8], out: usize, dist: usize, len: usize) {
    let from = out - dist;
    if dist >= 8 && out + len + 8 <= dst.len() {
        // Eight bytes at a time: each chunk reads bytes at least 8 back, which
        // are final, so overlapping matches (dist < len) come out right. Up to
        // 7 bytes past the match are scribbled and later overwritten.
        let mut s = from;
        let mut d = out;
        let end = out + len;
        while d < end {
            let mut w = [0u8; 8];
            w.copy_from_slice(&dst[s..s + 8]);
            dst[d..d + 8].copy_from_slice(&w);
            s += 8;
            d += 8;
        }
    } else if dist >= len {
        dst.copy_within(from..from + len, out);
    } else if dist == 1 {
        let b = dst[from];
        dst[out..out + len].fill(b);
    } else {
        // Overlapping: the output repeats with period `dist`. Copy whole
        // periods from the match start, doubling the chunk each time (the
        // source of each chunk is already written).
        let mut done = 0;
        while done < len {
            let n = (dist + done).min(len - done);
            dst.copy_within(from..from + n, out + done);
            done += n;
        }
    }
}

/// Copies a match in the fast loop through raw pointers.
///
/// # Safety
/// `dp` is the start of `dst`, `len <= 258`, `out + 258 + 8 <= dst.len()`
/// and `1 <= dist <= out`: then every read is at or after `dp + out - dist`
/// and every write below `dp + out + max(len + 7, 40)`.
///
/// Most matches are short: five eight-byte words are copied whatever the
/// length, so that a match of up to 40 bytes takes no data-dependent branch
/// (a loop whose trip count varies per match mispredicts its exit).
#[inline(always)]
#[allow(unsafe_code)]
unsafe fn copy_match_fast(dp: *mut u8, out: usize, dist: usize, len: usize) {
    let from = out - dist;
    // SAFETY: see the function's contract.
    unsafe {
        if dist >= 8 {
            // Each word reads bytes at least 8 back, already final:
            // overlapping matches come out right.
            let mut s = dp.add(from);
            let mut d = dp.add(out);
            for _ in 0..5 {
                d.cast::<u64>()
                    .write_unaligned(s.cast::<u64>().read_unaligned());
                s = s.add(8);
                d = d.add(8);
            }
            if len > 40 {
                let end = dp.add(out + len);
                while d < end {
                    d.cast::<u64>()
                        .write_unaligned(s.cast::<u64>().read_unaligned());
                    s = s.add(8);
                    d = d.add(8);
                }
            }
        } else if dist == 1 {
            let b = *dp.add(from);
            dp.add(out).write_bytes(b, len);
        } else {
            // A short period: byte by byte (each byte's source is written
            // by the time it is read).
            for i in 0..len {
                *dp.add(out + i) = *dp.add(from + i);
            }
        }
    }
}

/// Room a fast-loop iteration may need: three literal entries (two bytes
/// each), a 258-byte match and the 8-byte overrun of [`copy_match_fast`].
const FAST_OUT_MARGIN: usize = 6 + 258 + 8;
/// Input a fast-loop iteration may load: three refills, each advancing at
/// most 7 bytes and reading 8.
const FAST_IN_MARGIN: usize = 32;

/// The hot loop: runs while the input and the output are far from their ends,
/// so no truncation or overflow can occur and those checks are skipped.
/// Returns `None` when it gets near either end (the careful loop takes over),
/// otherwise the block's result.
///
/// Each symbol's table lookup waits on the previous symbol's shift, so the
/// loop keeps that chain short: the next literal/length entry is looked up
/// ("preloaded") as soon as the bits of the current one are consumed, before
/// its literal is stored or its match copied, and a subtable pointer is only
/// followed after a refill (the root slot needs 10 valid bits, which three
/// literals after a refill always leave).
///
/// The bit-reader state lives in locals here so that it stays in registers.
#[inline(always)]
fn codes_fast(
    t: &Tables,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out_ref: &mut usize,
    hist: usize,
) -> Option<Result<(), Stop>> {
    let (lit, dist) = (&t.lit, &t.dist);
    let src = bits.src;
    let out_end = dst.len().saturating_sub(FAST_OUT_MARGIN);
    let in_end = src.len().saturating_sub(FAST_IN_MARGIN);
    let (mut buf, mut cnt, pos, mut out) = (bits.buf, bits.cnt, bits.pos, *out_ref);
    // Raw pointers to the input and the output: every access below is
    // bounded by the margins checked at the top of each iteration (each
    // SAFETY comment says how), and `dst` is not used otherwise until the
    // loop ends.
    let sp = src.as_ptr();
    let dp = dst.as_mut_ptr();
    // The input as a pointer (`ip` = `sp + pos`): one register less than
    // base and index, in a loop that is short of them.
    let ip_end = sp.wrapping_add(in_end);
    let mut ip = sp.wrapping_add(pos);
    // Same refill as `Bits::refill`, whose slow branch cannot be taken here.
    macro_rules! refill {
        () => {{
            // SAFETY: `ip < ip_end = sp + src.len() - 32` was checked at the
            // top of the iteration, and an iteration refills at most twice
            // (7 bytes each), so the 8 bytes read are inside `src`.
            #[allow(unsafe_code)]
            let w = unsafe { ip.cast::<u64>().read_unaligned() };
            buf |= u64::from_le(w) << cnt;
            ip = ip.wrapping_add(((63 - cnt) >> 3) as usize);
            cnt |= 56;
        }};
    }
    // Consumes entry `$e`'s code and extra bits.
    macro_rules! consume {
        ($e:expr) => {{
            let e = $e;
            buf >>= total_bits(e);
            cnt -= total_bits(e);
        }};
    }
    const LIT_MASK: usize = LIT_ROOT - 1;
    const DIST_MASK: usize = DIST_ROOT - 1;
    if out >= out_end || ip >= ip_end {
        return None;
    }
    // Stores the literal (or literal pair) of entry `$e`, which has been
    // consumed: two bytes are written whatever the count, the second one
    // past a single literal being overwritten later.
    macro_rules! store_literals {
        ($e:expr) => {{
            let e = $e;
            let bytes = ((e >> 16) as u16).to_le_bytes();
            // SAFETY: `out < out_end` at the top of the iteration and at most
            // three stores of two bytes follow, so `out + 2 <= out_end + 6
            // <= dst.len()`.
            #[allow(unsafe_code)]
            unsafe {
                dp.add(out).cast::<[u8; 2]>().write_unaligned(bytes)
            };
            out += 1 + ((e & F_PAIR) >> 7) as usize;
        }};
    }
    refill!();
    // Loop invariant: `e` is the root entry for the front bits of `buf`,
    // looked up when at least `LIT_TB` of them were valid (so it stays valid
    // across a refill, which only adds bits above them).
    let mut e = lit[(buf as usize) & LIT_MASK];
    let result = loop {
        if out >= out_end || ip >= ip_end {
            break None;
        }
        refill!();
        if e & F_SUB != 0 {
            e = resolve_sub(&lit[..], LIT_TB, e, buf);
        }
        if e & F_LIT != 0 {
            // Up to three literal entries per refill: the first may come from
            // a subtable (15 bits), the others are root entries (11 bits at
            // most, a pair included), which leaves 56 - 37 = 19 bits, enough
            // for the root lookup of the next entry.
            consume!(e);
            let first = e;
            e = lit[(buf as usize) & LIT_MASK];
            store_literals!(first);
            if e & F_LIT != 0 {
                consume!(e);
                let second = e;
                e = lit[(buf as usize) & LIT_MASK];
                store_literals!(second);
                if e & F_LIT != 0 {
                    consume!(e);
                    let third = e;
                    e = lit[(buf as usize) & LIT_MASK];
                    store_literals!(third);
                }
            }
            continue;
        }
        if e & (F_EOB | F_BAD) != 0 {
            if e & F_BAD != 0 {
                break Some(Err(Stop::Invalid(DcStatus::InvalidCode)));
            }
            consume!(e);
            break Some(Ok(()));
        }
        // A length (code and extra bits: at most 20), then a distance (at
        // most 28), then the next entry's root lookup (11): a refill before
        // the distance when fewer than 28 + 11 bits are left keeps the
        // lookup free of a refill after it (rarely needed: most length codes
        // with their extra bits take under 17 bits).
        let saved = buf;
        consume!(e);
        let len = value_with_extra(e, saved);
        if cnt < 28 + LIT_TB {
            refill!();
        }
        let mut d = dist[(buf as usize) & DIST_MASK];
        if d & (F_SUB | F_BAD) != 0 {
            if d & F_SUB != 0 {
                d = resolve_sub(&dist[..], DIST_TB, d, buf);
            }
            if d & F_BAD != 0 {
                break Some(Err(Stop::Invalid(DcStatus::InvalidCode)));
            }
        }
        let saved = buf;
        consume!(d);
        let distance = value_with_extra(d, saved);
        if distance > out {
            // Before `dst`: into the caller's history (`hist` bytes before
            // it, none for a one-shot request), or invalid.
            break Some(Err(if distance - out > hist {
                Stop::Invalid(DcStatus::InvalidDist)
            } else {
                Stop::Far {
                    len,
                    dist: distance,
                }
            }));
        }
        // Look up the next entry before the copy, so that the lookup
        // overlaps the copy.
        e = lit[(buf as usize) & LIT_MASK];
        // SAFETY: no literal was stored in this iteration, so `out <
        // out_end` and `out + 258 + 8 <= dst.len()`; every length entry
        // `build` makes decodes to 3..=258 and every distance entry to at
        // least 1, and `distance <= out` was checked.
        #[allow(unsafe_code)]
        unsafe {
            copy_match_fast(dp, out, distance, len)
        };
        out += len;
    };
    bits.buf = buf;
    bits.cnt = cnt;
    bits.pos = ip as usize - sp as usize;
    *out_ref = out;
    result
}

/// Decodes the compressed data of a fixed or dynamic block, up to and
/// including its end-of-block code.
fn codes(t: &Tables, bits: &mut Bits<'_>, dst: &mut [u8], out_ref: &mut usize) -> Result<(), Stop> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("bmi2") {
        // SAFETY: `codes_bmi2` only requires BMI2, which the CPU was just
        // found to have.
        #[allow(unsafe_code)]
        return unsafe { codes_bmi2(t, bits, dst, out_ref) };
    }
    codes_body(t, bits, dst, out_ref)
}

/// [`codes_body`] compiled with BMI2: every symbol shifts and masks the bit
/// buffer by a variable amount, which BMI2 (`shrx`, `bzhi`) does in one
/// instruction on any register where the base ISA needs `cl` and two more.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi2")]
fn codes_bmi2(
    t: &Tables,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out_ref: &mut usize,
) -> Result<(), Stop> {
    codes_body(t, bits, dst, out_ref)
}

/// The fast loop alone, for the resumable decoder: `hist` bytes of history
/// precede `dst` (a match reaching into them stops the loop with
/// [`Stop::Far`]). Compiled with BMI2 where the CPU has it, as [`codes`].
pub(super) fn fast_codes_with_history(
    t: &Tables,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out: &mut usize,
    hist: usize,
) -> Option<Result<(), Stop>> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("bmi2") {
        // SAFETY: `fast_bmi2` only requires BMI2, which the CPU was just
        // found to have.
        #[allow(unsafe_code)]
        return unsafe { fast_bmi2(t, bits, dst, out, hist) };
    }
    codes_fast(t, bits, dst, out, hist)
}

/// [`codes_fast`] compiled with BMI2 (see [`codes_bmi2`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi2")]
fn fast_bmi2(
    t: &Tables,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out: &mut usize,
    hist: usize,
) -> Option<Result<(), Stop>> {
    codes_fast(t, bits, dst, out, hist)
}

/// The decoding loops of [`codes`].
#[inline(always)]
fn codes_body(
    t: &Tables,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out_ref: &mut usize,
) -> Result<(), Stop> {
    let (lit, dist) = (&t.lit, &t.dist);
    let mut out = *out_ref;
    if let Some(result) = codes_fast(t, bits, dst, &mut out, 0) {
        *out_ref = out;
        return result;
    }
    let result = loop {
        // After a refill there are ≥ 56 bits unless the input is nearly done;
        // a length (15 + 5 bits) and a distance (15 + 13) need at most 48, so
        // one refill per symbol pair suffices. Near the end of the input the
        // `> bits.cnt` checks catch truncation.
        bits.refill();
        let e = lookup(&lit[..], LIT_ROOT - 1, LIT_TB, bits.buf);
        let total = total_bits(e);
        if e & F_LIT != 0 {
            // One literal at a time here: a pair entry's first code only.
            let clen = code_bits(e);
            if clen > bits.cnt {
                break Err(Stop::Truncated);
            }
            bits.consume(clen);
            match dst.get_mut(out) {
                Some(slot) => *slot = (e >> 16) as u8,
                None => break Err(Stop::Overflow),
            }
            out += 1;
            // A second literal without a refill while enough bits remain.
            if bits.cnt >= 15 {
                let e2 = lookup(&lit[..], LIT_ROOT - 1, LIT_TB, bits.buf);
                if e2 & F_LIT != 0 {
                    bits.consume(code_bits(e2));
                    match dst.get_mut(out) {
                        Some(slot) => *slot = (e2 >> 16) as u8,
                        None => break Err(Stop::Overflow),
                    }
                    out += 1;
                }
            }
            continue;
        }
        if e & (F_EOB | F_BAD) != 0 {
            if total > bits.cnt {
                break Err(Stop::Truncated);
            }
            if e & F_BAD != 0 {
                break Err(Stop::Invalid(DcStatus::InvalidCode));
            }
            bits.consume(total);
            break Ok(());
        }

        // Length: base + extra bits following the code.
        if total > bits.cnt {
            break Err(Stop::Truncated);
        }
        let len = value_with_extra(e, bits.buf);
        bits.consume(total);
        if len > dst.len() - out {
            break Err(Stop::Overflow);
        }

        // Distance.
        let d = lookup(&dist[..], DIST_ROOT - 1, DIST_TB, bits.buf);
        let dtotal = total_bits(d);
        if d & F_BAD != 0 {
            if dtotal > bits.cnt {
                break Err(Stop::Truncated);
            }
            break Err(Stop::Invalid(DcStatus::InvalidCode));
        }
        if dtotal > bits.cnt {
            break Err(Stop::Truncated);
        }
        let distance = value_with_extra(d, bits.buf);
        bits.consume(dtotal);
        if distance > out {
            break Err(Stop::Invalid(DcStatus::InvalidDist));
        }
        copy_match(dst, out, distance, len);
        out += len;
    };
    *out_ref = out;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &[u8], cap: usize, require_final: bool) -> (InflateOutcome, Vec<u8>) {
        let mut dst = vec![0u8; cap];
        let o = Inflater::new().inflate(src, &mut dst, require_final);
        dst.truncate(o.produced);
        (o, dst)
    }

    #[test]
    fn shapes() {
        assert_eq!(shape(&[1, 1]), Shape::Complete);
        assert_eq!(shape(&[1, 0, 0]), Shape::Single);
        assert_eq!(shape(&[0, 0]), Shape::Empty);
        assert_eq!(shape(&[2, 0, 0]), Shape::Incomplete);
        assert_eq!(shape(&[1, 2]), Shape::Incomplete);
        assert_eq!(shape(&[1, 1, 1]), Shape::Oversubscribed);
        assert_eq!(shape(&[5; 32]), Shape::Complete);
    }

    #[test]
    fn stored_and_fixed_blocks() {
        // Final stored block "abc": 01 | 03 00 fc ff | "abc".
        let (o, out) = run(&[0x01, 0x03, 0x00, 0xfc, 0xff, b'a', b'b', b'c'], 16, true);
        assert_eq!(o, InflateOutcome::ok(8, 3, true));
        assert_eq!(out, b"abc");
        // Final fixed block with no symbol but EOB: 03 00.
        let (o, _) = run(&[0x03, 0x00, 0xaa], 16, true);
        assert_eq!(
            o,
            InflateOutcome::ok(2, 0, true),
            "trailing byte not consumed"
        );
    }

    #[test]
    fn sync_marker_without_final() {
        // Empty stored non-final block (the sync-flush marker).
        let marker = [0x00, 0x00, 0x00, 0xff, 0xff];
        let (o, _) = run(&marker, 16, false);
        assert_eq!(o, InflateOutcome::ok(5, 0, false));
        let (o, _) = run(&marker, 16, true);
        assert_eq!(o.status, DcStatus::IncompleteFileErr);
        let (o, _) = run(&[], 16, false);
        assert_eq!(o.status, DcStatus::IncompleteFileErr);
    }

    #[test]
    fn long_code_subtables() {
        // A complete code with lengths up to 15 exercises the subtables:
        // symbol i gets length i+1 for i < 14, the last two get 15.
        let mut lens = [0u8; 16];
        for (i, l) in lens.iter_mut().enumerate().take(14) {
            *l = (i + 1) as u8;
        }
        lens[14] = 15;
        lens[15] = 15;
        assert_eq!(shape(&lens), Shape::Complete);
        let mut table = vec![0u32; LIT_CAP];
        assert!(build(&lens, &mut table, LIT_TB, cl_template));
        // Decoding each code must give its symbol back.
        let mut next = [0u32; 16];
        let mut count = [0u32; 16];
        for &l in &lens {
            count[l as usize] += 1;
        }
        count[0] = 0;
        let mut code = 0;
        for len in 1..16 {
            code = (code + count[len - 1]) << 1;
            next[len] = code;
        }
        for (sym, &len) in lens.iter().enumerate() {
            let c = next[len as usize];
            next[len as usize] += 1;
            let rev = (c.reverse_bits() >> (32 - len as u32)) as u64;
            let e = lookup(&table, LIT_ROOT - 1, LIT_TB, rev);
            assert_eq!(e >> 16, sym as u32, "symbol {sym}");
            assert_eq!(code_bits(e), len as u32, "length of {sym}");
        }
    }
}
