//! The validating deflate decoder (RFC 1951).
//!
//! QAT reports *why* a stream is invalid (`CpaDcReqStatus` −1…−10), and it can
//! decode a request that ends at a block boundary without BFINAL. General
//! purpose decoders do neither exactly (libdeflate, for one, accepts several
//! streams the RFC calls invalid), so this decoder is written here to the rules
//! below. It decodes every decompression request ([`super::decompress`]),
//! and it is the verifier of compress-and-verify.
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
// One u32 per table slot. Every entry keeps in bits 0..6 the bits it
// consumes (its codes, plus a length's or a distance's extra bits), so that
// the decoder consumes a whole entry with one shift by the entry itself (x86
// masks a shift count to 6 bits): that shortens the lookup → shift → lookup
// chain every symbol waits on.
//
// Literal/length table:
//   bits 6..8    literals in the entry (0, 1 or 2)
//   bits 8..16   the first literal
//   bits 16..24  the second literal (two literals), or
//   bits 16..25  a length's base (a length, alone or after one literal)
//   bits 25..29  a length's extra-bit start: the bits of the codes before
//                its extra bits (its code, after the literal's if any)
//   bit 29 F_EOB, bit 30 F_SUB, bit 31 F_BAD
// An entry of literals only is below 2^24 (a length has an extra-bit start
// of at least 1, the others a flag), which the fast loop tests first.
// Distance table: bits 8..24 the base, bits 25..29 the code length (where
// the extra bits start), bits 30/31 F_SUB/F_BAD.
// Subtable pointer (F_SUB, consumes nothing): bits 8..24 the subtable's
// start index, bits 25..29 its index bits.
// Code-length table: bits 8..13 the symbol; a repeat also has its count's
// base in bits 16..24 and its extra-bit start in bits 25..29.
// The value of a length or distance is base + (saved bits & mask(total)) >>
// extra-bit start, `saved` being the bit buffer before the entry.
// ---------------------------------------------------------------------------

const F_EOB: u32 = 1 << 29; // end of block (symbol 256)
const F_SUB: u32 = 1 << 30; // pointer to a subtable for codes longer than the root
const F_BAD: u32 = 1 << 31; // symbol 286/287 or 30/31, or a bit pattern with no code
/// Entries below this hold literals only.
const LITERALS_ONLY: u32 = 1 << 24;
/// Where the extra-bit start (or a subtable's index bits) sits.
const START_SHIFT: u32 = 25;

/// Root table bits for literal/length codes: a 12-bit lookup decodes all but
/// the rarest codes at once (longer codes go through one subtable) and often
/// two symbols: two literals, or a literal and a length (see
/// [`multi_symbols`]). 16 KiB: the tables stay in the L1 cache.
const LIT_TB: u32 = 12;
const LIT_ROOT: usize = 1 << LIT_TB;
/// Root table bits for the fixed code, whose codes are 7 to 9 bits long: a
/// 9-bit root holds them all, in 2 KiB that stay in the cache while the
/// output streams through it (a 12-bit root would spread each code over 8
/// times the memory and pair none: two fixed codes take at least 14 bits).
const FIXED_TB: u32 = 9;
/// Root plus subtables. A root slot whose longest code is `tb + s` bits long
/// has a subtable of `2^s` slots and, the code being complete, at least
/// `s + 1` codes under it; with `s ≤ 3` that is at most 2 slots per code, 576
/// for 288 codes. (`build` checks the bound anyway.)
const LIT_CAP: usize = LIT_ROOT + 576;

const DIST_TB: u32 = 9;
const DIST_ROOT: usize = 1 << DIST_TB;
/// Same argument: 32 codes, `s ≤ 6`: at most 64 / 7 < 10 slots per code, 320.
const DIST_CAP: usize = DIST_ROOT + 320;

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
const MAX_LIT_CODES: usize = 286;
/// Most distance codes a dynamic block may declare (HDIST ≤ 29).
const MAX_DIST_CODES: usize = 30;
/// Room for a dynamic block's code lengths: the most it declares, and 16
/// bytes past them that a repeat may write whole.
const LENS_ROOM: usize = MAX_LIT_CODES + MAX_DIST_CODES + 16;

/// The entry of a bit pattern that is no code (the unused half of a
/// one-code code, every pattern of an empty code): one bit, as zlib wants
/// one bit to be there before it says so.
const BAD_PATTERN: u32 = F_BAD | 1;

/// Literal/length table entry for symbol `sym` with a code of `len` bits.
fn lit_entry(sym: usize, len: u32) -> u32 {
    match sym {
        0..=255 => 1 << 6 | (sym as u32) << 8 | len,
        256 => F_EOB | len,
        257..=285 => {
            let i = sym - 257;
            (LEN_BASE[i] as u32) << 16 | len << START_SHIFT | (len + LEN_EXTRA[i] as u32)
        }
        // 286 and 287 take part in the fixed code but never occur in valid data.
        _ => F_BAD | len,
    }
}

/// Distance table entry for symbol `sym` with a code of `len` bits.
fn dist_entry(sym: usize, len: u32) -> u32 {
    match sym {
        0..=29 => (DIST_BASE[sym] as u32) << 8 | len << START_SHIFT | (len + DIST_EXTRA[sym] as u32),
        // 30 and 31 take part in the fixed code but never occur in valid data.
        _ => F_BAD | len,
    }
}

/// Code-length table entry for symbol `sym` (0..=18).
/// A repeat symbol (16, 17, 18) holds its count's base in bits 16..24 and
/// its extra bits like a length: the whole repeat is one entry.
fn cl_entry(sym: usize, len: u32) -> u32 {
    let (base, extra) = match sym {
        16 => (3, 2),
        17 => (3, 3),
        18 => (11, 7),
        _ => return (sym as u32) << 8 | len,
    };
    base << 16 | len << START_SHIFT | (sym as u32) << 8 | (len + extra)
}

/// Bits an entry consumes (its codes and any extra bits).
#[inline(always)]
fn total_bits(e: u32) -> u32 {
    e & 63
}

/// Literals in a literal/length entry.
#[inline(always)]
fn literal_count(e: u32) -> usize {
    ((e >> 6) & 3) as usize
}

/// Where a length's or distance's extra bits start (a subtable pointer's
/// index bits).
#[inline(always)]
fn extra_start(e: u32) -> u32 {
    (e >> START_SHIFT) & 15
}

/// The value of a length or distance entry whose base is `base`: the base
/// plus the extra bits that follow the codes in `saved` (the bit buffer
/// before consuming the entry).
#[inline(always)]
fn with_extra(base: u32, e: u32, saved: u64) -> usize {
    let total = total_bits(e);
    base as usize + ((saved & ((1u64 << total) - 1)) >> extra_start(e)) as usize
}

/// A length entry's value.
#[inline(always)]
fn length_value(e: u32, saved: u64) -> usize {
    with_extra((e >> 16) & 0x1ff, e, saved)
}

/// A distance entry's value.
#[inline(always)]
fn distance_value(d: u32, saved: u64) -> usize {
    with_extra((d >> 8) & 0xffff, d, saved)
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

/// Codes per length (index 0 counts unused symbols).
fn length_counts(lens: &[u8]) -> [u16; 16] {
    // Two histograms, summed at the end: consecutive equal lengths (the
    // common case) would otherwise wait on each other's increment.
    let (mut a, mut b) = ([0u16; 16], [0u16; 16]);
    let mut two = lens.chunks_exact(2);
    for p in &mut two {
        a[(p[0] & 15) as usize] += 1;
        b[(p[1] & 15) as usize] += 1;
    }
    for &l in two.remainder() {
        a[(l & 15) as usize] += 1;
    }
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
    a
}

fn shape_of(count: &[u16; 16]) -> Shape {
    // Code space left, in units of 2^-len: starts at 1 (the whole space).
    let mut left: i32 = 1;
    for &c in &count[1..] {
        left = (left << 1) - c as i32;
        if left < 0 {
            return Shape::Oversubscribed;
        }
    }
    let used: u16 = count[1..].iter().sum();
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

#[cfg(test)]
fn shape(lens: &[u8]) -> Shape {
    shape_of(&length_counts(lens))
}

/// The next code of `len` bits after `rev` (`len`-bit codes being stored
/// bit-reversed, as tables index them; `size` = 2^len): adding one to a
/// code sets its lowest zero bit and clears the bits below it, which in the
/// reversed code is its highest zero bit and the bits above. `rev` must not
/// be the last code (all ones).
#[inline(always)]
fn next_code(rev: usize, size: usize) -> usize {
    let bit = 1usize << (usize::BITS - 1 - (rev ^ (size - 1)).leading_zeros());
    (rev & (bit - 1)) | bit
}

/// The entry of a literal (`first`, a one-literal entry) followed by
/// `second`, a literal or a length entry (see "Decode-table entries").
#[inline(always)]
fn two_symbols(first: u32, second: u32) -> u32 {
    let len = total_bits(first);
    if second < LITERALS_ONLY {
        (first & 0xff00) | (second & 0xff00) << 8 | 2 << 6 | (len + total_bits(second))
    } else {
        (first & 0xffc0)
            | (second & 0x01ff_0000)
            | (len + extra_start(second)) << START_SHIFT
            | (len + total_bits(second))
    }
}

/// Fills `table` (root of `1 << tb` slots, subtables after it) for the code
/// described by `lens`; `entry(sym, len)` makes a symbol's entry. Returns the
/// code's shape, `None` for a code that cannot be built (incomplete or
/// over-subscribed, or subtables that would not fit: impossible for the
/// capacities above, checked so that no input can index out of bounds).
///
/// Codes are placed in canonical order (RFC 1951 §3.2.2: by length, then
/// symbol; each code one more than the previous, shifted left when the
/// length grows), bit-reversed: tables are indexed by reversed codes, the
/// bit buffer delivering a code's first bit in bit 0. The root is built at
/// the size of the current length, each code written to its one slot
/// there, and doubled (the first half copied to the second) when the length
/// grows, which repeats every shorter code's entry across the bits after
/// it: a few hundred writes and copies of doubling size instead of one
/// write per slot.
///
/// With `literals` (the literal/length table, `lens[..256]` being the
/// literals), root slots whose bits hold two whole codes decode both: a
/// literal and a second literal, or a literal and a length code (whose extra
/// bits may lie past the slot's bits: they are read from the bit buffer like
/// any extra bits); the fast loop then takes two symbols per lookup, which
/// shortens the lookup → shift chain on literal runs and before matches.
/// Such an entry is written when the root reaches the size of its two codes,
/// at the one slot they make there; the doublings repeat it like any other.
fn build(
    lens: &[u8],
    table: &mut [u32],
    tb: u32,
    entry: fn(usize, u32) -> u32,
    literals: bool,
) -> Option<Shape> {
    let root = 1usize << tb;
    let literal_count = if literals {
        length_counts(&lens[..lens.len().min(256)])
    } else {
        [0; 16]
    };
    let count = if literals {
        let rest = length_counts(&lens[lens.len().min(256)..]);
        std::array::from_fn(|l| literal_count[l] + rest[l])
    } else {
        length_counts(lens)
    };
    let shape = shape_of(&count);
    match shape {
        Shape::Empty => {
            // No code: whatever is read is not a symbol.
            table[..root].fill(BAD_PATTERN);
            return Some(shape);
        }
        Shape::Single => {
            // The one code is "0" (the first canonical code); "1" is unused.
            let sym = lens.iter().position(|&l| l == 1).unwrap_or(0);
            let good = entry(sym, 1);
            for pair in table[..root].chunks_exact_mut(2) {
                pair[0] = good;
                pair[1] = BAD_PATTERN;
            }
            return Some(shape);
        }
        Shape::Complete => {}
        Shape::Incomplete | Shape::Oversubscribed => return None,
    }

    // Symbols in canonical order (a counting sort by length); `first[len]`
    // is where the codes of `len` bits start in it.
    let mut first = [0u16; 17];
    for len in 1..16 {
        first[len + 1] = first[len] + count[len];
    }
    let mut at = first;
    let mut sorted = [0u16; 288];
    for (sym, &len) in lens.iter().enumerate() {
        if len != 0 {
            let o = &mut at[(len & 15) as usize];
            sorted[*o as usize] = sym as u16;
            *o += 1;
        }
    }
    // Each code's entry and reversed code, in canonical order.
    let mut entries = [0u32; 288];
    let mut revs = [0u16; 288];

    // Codes up to the root's length.
    let mut rev = 0usize;
    let mut size = 1usize;
    let mut last = false;
    for len in 1..=tb {
        table.copy_within(0..size, size);
        size *= 2;
        let start = first[len as usize] as usize;
        for i in start..start + count[len as usize] as usize {
            let sym = sorted[i] as usize;
            let e = entry(sym, len);
            entries[i] = e;
            revs[i] = rev as u16;
            table[rev] = e;
            if rev == size - 1 {
                last = true;
            } else {
                rev = next_code(rev, size);
            }
        }
        if literals {
            // Two codes of `len` bits together: a literal of `l1` bits, then
            // a literal or a length of `len - l1` bits.
            for l1 in 1..len {
                let l2 = (len - l1) as usize;
                let a = first[l1 as usize] as usize;
                let lits = a..a + literal_count[l1 as usize] as usize;
                let b = first[l2] as usize;
                let seconds = b..b + count[l2] as usize;
                for i in lits {
                    let (e1, r1) = (entries[i], revs[i] as usize);
                    for j in seconds.clone() {
                        let e2 = entries[j];
                        if e2 & (F_EOB | F_BAD) == 0 {
                            table[r1 | (revs[j] as usize) << l1] = two_symbols(e1, e2);
                        }
                    }
                }
            }
        }
    }
    if last {
        return Some(shape);
    }

    // Longer codes: the root slot of their first `tb` bits points to a
    // subtable. The codes sharing a slot are consecutive in canonical order;
    // the subtable is sized for the longest of them, found from the counts
    // of codes not placed yet: the slot's share of the code space is filled
    // by the remaining codes of this length, then of the next, and so on.
    let mut left = count;
    let mut end = root;
    let (mut slot, mut sub_start, mut sub_bits) = (usize::MAX, 0usize, 0u32);
    for len in tb + 1..16 {
        size *= 2;
        let start = first[len as usize] as usize;
        for &sym in &sorted[start..start + count[len as usize] as usize] {
            if rev & (root - 1) != slot {
                slot = rev & (root - 1);
                let mut l = len as usize;
                let mut space = 1usize << (len - tb);
                while space > left[l] as usize {
                    space = (space - left[l] as usize) * 2;
                    l += 1;
                    if l > 15 {
                        return None;
                    }
                }
                sub_bits = l as u32 - tb;
                sub_start = end;
                end += 1 << sub_bits;
                if end > table.len() {
                    return None;
                }
                table[slot] = F_SUB | sub_bits << START_SHIFT | (sub_start as u32) << 8;
            }
            // Subtable entries keep the full code length: the root bits are
            // not consumed separately.
            let e = entry(sym as usize, len);
            let mut i = rev >> tb;
            while i < 1 << sub_bits {
                table[sub_start + i] = e;
                i += 1 << (len - tb);
            }
            left[len as usize] -= 1;
            if rev == size - 1 {
                return Some(shape);
            }
            rev = next_code(rev, size);
        }
    }
    Some(shape)
}

/// Why decoding stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// The stream is invalid.
    Invalid(DcStatus),
    /// The input ended inside a block (or inside a block header).
    Truncated,
    /// `dst` is full.
    Overflow,
}

/// Little-endian bit reader with a 64-bit buffer.
///
/// Invariant: bit `i < cnt` of `buf` is stream bit `consumed + i`; bits at and
/// above `cnt` are either the following stream bits (from a byte loaded only in
/// part) or zero, so a table lookup past `cnt` never sees foreign bits and
/// reloading a byte ORs in the same bits again.
struct Bits<'a> {
    src: &'a [u8],
    /// Next byte not yet counted in `cnt`.
    pos: usize,
    buf: u64,
    cnt: u32,
}

impl<'a> Bits<'a> {
    fn new(src: &'a [u8]) -> Self {
        Bits {
            src,
            pos: 0,
            buf: 0,
            cnt: 0,
        }
    }

    /// Afterwards `cnt >= 56`, or all input is in the buffer.
    #[inline(always)]
    fn refill(&mut self) {
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
    fn consume(&mut self, n: u32) {
        self.buf >>= n;
        self.cnt -= n;
    }

    /// Takes `n` (≤ 32) bits, refilling first; `Truncated` if the input ends.
    fn take(&mut self, n: u32) -> Result<u32, Stop> {
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
struct Tables {
    lit: [u32; LIT_CAP],
    dist: [u32; DIST_CAP],
    /// Code length of each literal: the careful loop decodes the first
    /// symbol of a two-symbol entry alone (see [`codes_body`]).
    lit_lens: [u8; 256],
}

impl Tables {
    fn new() -> Box<Tables> {
        Box::new(Tables {
            lit: [0; LIT_CAP],
            dist: [0; DIST_CAP],
            lit_lens: [0; 256],
        })
    }

    /// Builds the literal/length table for `lens` (at least 257 lengths)
    /// with a root of `tb` bits: see [`build`].
    fn build_lit(&mut self, lens: &[u8], tb: u32) -> Option<Shape> {
        let n = lens.len().min(256);
        self.lit_lens[..n].copy_from_slice(&lens[..n]);
        build(lens, &mut self.lit[..], tb, lit_entry, true)
    }

    /// Builds the distance table for `lens`: see [`build`].
    fn build_dist(&mut self, lens: &[u8]) -> Option<Shape> {
        build(lens, &mut self.dist[..], DIST_TB, dist_entry, false)
    }
}

/// Index bits of [`FixedNext`]: the 9 bits after an 8-bit code and one more.
const FIXED_NEXT: usize = 1 << 10;

/// For the fixed code: for the 10 bits after the first 8 of the bit buffer,
/// the root entry that follows an 8-bit literal code (low half) and the one
/// that follows a 9-bit literal code (high half). The fast loop fetches both
/// before it knows which it needs.
struct FixedNext([u64; FIXED_NEXT]);

impl FixedNext {
    fn new(fixed: &[u32]) -> Box<FixedNext> {
        let mask = (1 << FIXED_TB) - 1;
        let mut t = Box::new(FixedNext([0; FIXED_NEXT]));
        for (i, slot) in t.0.iter_mut().enumerate() {
            *slot = fixed[i & mask] as u64 | (fixed[i >> 1] as u64) << 32;
        }
        t
    }
}

/// Reusable decoder state: the decode tables (built once for the fixed codes,
/// rebuilt for each dynamic block). `inflate` allocates nothing.
pub struct Inflater {
    dynamic: Box<Tables>,
    fixed: Box<Tables>,
    fixed_next: Box<FixedNext>,
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
        let lit = fixed.build_lit(&lens, FIXED_TB);
        let dist = fixed.build_dist(&[5u8; 32]);
        debug_assert!(
            lit == Some(Shape::Complete) && dist == Some(Shape::Complete),
            "the fixed codes are complete"
        );
        let fixed_next = FixedNext::new(&fixed.lit);
        Inflater {
            dynamic: Tables::new(),
            fixed,
            fixed_next,
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
                Err(Stop::Overflow) => return InflateOutcome::failed(DcStatus::Overflow),
                Err(Stop::Invalid(status)) => return InflateOutcome::failed(status),
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
            1 => codes::<FIXED_TB>(&self.fixed, &self.fixed_next, bits, dst, out)?,
            2 => {
                self.dynamic_header(bits)?;
                codes::<LIT_TB>(&self.dynamic, &self.fixed_next, bits, dst, out)?;
            }
            _ => return Err(Stop::Invalid(DcStatus::InvalidBlockType)),
        }
        Ok(is_final)
    }

    /// Reads a dynamic block's code description (RFC 1951 §3.2.7) and builds
    /// `self.dynamic`.
    fn dynamic_header(&mut self, bits: &mut Bits<'_>) -> Result<(), Stop> {
        let (lens, nlit, ndist) = self.code_lengths(bits)?;
        let (lit_lens, dist_lens) = lens[..nlit + ndist].split_at(nlit);
        if lit_lens[256] == 0 {
            return Err(Stop::Invalid(DcStatus::BadLitlenCodes));
        }
        if !matches!(
            self.dynamic.build_lit(lit_lens, LIT_TB),
            Some(Shape::Complete | Shape::Single)
        ) {
            return Err(Stop::Invalid(DcStatus::BadLitlenCodes));
        }
        // RFC 1951 §3.2.7: one distance code of zero bits means no distance is
        // used; one code of one bit is allowed too.
        if self.dynamic.build_dist(dist_lens).is_none() {
            return Err(Stop::Invalid(DcStatus::BadDistCodes));
        }
        Ok(())
    }

    /// Reads a dynamic block's counts, code-length code and code lengths
    /// (RFC 1951 §3.2.7): (lengths, literal/length count, distance count).
    /// Builds `self.cl` only.
    fn code_lengths(
        &mut self,
        bits: &mut Bits<'_>,
    ) -> Result<([u8; LENS_ROOM], usize, usize), Stop> {
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
        if build(&cl_lens, &mut self.cl[..], CL_TB, cl_entry, false)
            != Some(Shape::Complete)
        {
            return Err(Stop::Invalid(DcStatus::IncompleteCodeLens));
        }

        // Literal/length and distance lengths form one sequence: a repeat may
        // run from the one into the other.
        let mut lens = [0u8; LENS_ROOM];
        let total = nlit + ndist;
        let mut i = 0usize;
        while i < total {
            // A symbol with its repeat count takes at most 7 + 7 bits: four
            // per refill. (Near the end of the input fewer bits may be
            // there; the check below finds the stream truncated.)
            bits.refill();
            for _ in 0..4 {
                let e = self.cl[(bits.buf as usize) & (CL_CAP - 1)];
                let n = total_bits(e);
                if n > bits.cnt {
                    return Err(Stop::Truncated);
                }
                let saved = bits.buf;
                bits.consume(n);
                let sym = (e >> 8) as u8;
                if sym < 16 {
                    lens[i] = sym;
                    i += 1;
                } else {
                    // The repeat count is read before the checks, as zlib
                    // does (it decides only for a stream truncated here).
                    let repeat = with_extra((e >> 16) & 0xff, e, saved);
                    let value = if sym == 16 {
                        match i.checked_sub(1) {
                            Some(last) => lens[last],
                            None => return Err(Stop::Invalid(DcStatus::RepeatedLens)),
                        }
                    } else {
                        0
                    };
                    if i + repeat > total {
                        return Err(Stop::Invalid(DcStatus::MoreRepeat));
                    }
                    // Sixteen bytes at a time (`lens` has room past `total`):
                    // no call for a short run.
                    let mut j = i;
                    while j < i + repeat {
                        lens[j..j + 16].copy_from_slice(&[value; 16]);
                        j += 16;
                    }
                    i += repeat;
                }
                if i >= total {
                    break;
                }
            }
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
    let sb = extra_start(e);
    let idx = ((e >> 8) & 0xffff) as usize + ((buf >> tb) as usize & ((1usize << sb) - 1));
    // Subtable indices come from `build` and stay inside the table; `get`
    // keeps a corrupted table from panicking.
    table.get(idx).copied().unwrap_or(F_BAD)
}

/// Looks up the entry for the next code in `table` (root of `1 << tb` slots),
/// following a subtable pointer. Does not consume anything.
#[inline(always)]
fn lookup(table: &[u32], root_mask: usize, tb: u32, buf: u64) -> u32 {
    let e = table[(buf as usize) & root_mask];
    if e & F_SUB == 0 {
        return e;
    }
    resolve_sub(table, tb, e, buf)
}

/// Copies a match of `len` bytes from `dist` back. The caller checked
/// `dist <= out` and `out + len <= dst.len()`.
#[inline(always)]
fn copy_match(dst: &mut [u8], out: usize, dist: usize, len: usize) {
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
/// `op` points into `dst` with at least 258 + 40 bytes after it, `3 <= len
/// <= 258`, and `1 <= dist` with at least `dist` bytes of `dst` before `op`:
/// then every read is at or after `op - dist` and every write below
/// `op + max(len + 15, 48)`.
///
/// Most matches are short: a fixed number of chunks covering 40 or 48 bytes
/// is copied whatever the length, so that a short match takes no
/// data-dependent branch on its length (a loop whose trip count varies per
/// match mispredicts its exit). Bytes past the match are scribbled and later
/// overwritten (or are past `produced`).
#[inline(always)]
#[allow(unsafe_code)]
unsafe fn copy_match_fast(op: *mut u8, dist: usize, len: usize) {
    // SAFETY: see the function's contract. In the chunked copies each
    // chunk's source ends at or before its destination starts (the distance
    // is at least the chunk size), so every chunk reads bytes already final.
    unsafe {
        let mut s = op.sub(dist);
        let mut d = op;
        let end = d.add(len);
        if dist >= 16 {
            for _ in 0..3 {
                std::ptr::copy_nonoverlapping(s, d, 16);
                s = s.add(16);
                d = d.add(16);
            }
            while d < end {
                std::ptr::copy_nonoverlapping(s, d, 16);
                s = s.add(16);
                d = d.add(16);
            }
        } else if dist >= 8 {
            for _ in 0..5 {
                std::ptr::copy_nonoverlapping(s, d, 8);
                s = s.add(8);
                d = d.add(8);
            }
            while d < end {
                std::ptr::copy_nonoverlapping(s, d, 8);
                s = s.add(8);
                d = d.add(8);
            }
        } else if dist == 1 {
            // A run of one byte: eight copies of it per store.
            let word = (*s as u64).wrapping_mul(0x0101_0101_0101_0101).to_ne_bytes();
            for _ in 0..5 {
                d.cast::<[u8; 8]>().write_unaligned(word);
                d = d.add(8);
            }
            while d < end {
                d.cast::<[u8; 8]>().write_unaligned(word);
                d = d.add(8);
            }
        } else {
            // A period of 2 to 7 bytes: eight bytes at a time, advancing by
            // the period. Each load's first `dist` bytes are final (the
            // previous store's first `dist`, or the history), and only
            // those count: the rest of each store is overwritten by the
            // next one, or lies past the match.
            while d < end {
                let w = s.cast::<[u8; 8]>().read_unaligned();
                d.cast::<[u8; 8]>().write_unaligned(w);
                s = s.add(dist);
                d = d.add(dist);
            }
        }
    }
}

/// Room a fast-loop iteration may need: a 4-byte literal store, a
/// 258-byte match and the overrun of [`copy_match_fast`].
const FAST_OUT_MARGIN: usize = 8 + 258 + 40;
/// Input a fast-loop iteration may load: two refills, each advancing at
/// most 7 bytes and reading 8.
const FAST_IN_MARGIN: usize = 24;

/// The hot loop: runs while the input and the output are far from their ends,
/// so no truncation or overflow can occur and those checks are skipped.
/// Returns `None` when it gets near either end (the careful loop takes over),
/// otherwise the block's result.
///
/// One literal/length entry per iteration: up to two literals, or a literal
/// and a match, or a match. Each entry's lookup waits on the previous
/// entry's shift, so the loop keeps that chain short: right after an entry
/// is consumed, the next literal/length entry and the distance entry are both
/// looked up (one of them is wasted), before the literals are stored, and
/// the bit buffer is refilled without a branch (the lookups use bits that
/// were already there).
///
/// Bits: at the top of an iteration the buffer holds at least 56; an entry
/// consumes at most 20 (a 15-bit length code and 5 extra bits), which leaves
/// the 15 a lookup may need; a match refills again before its distance (at
/// most 28 bits), which leaves 28 for the next lookup.
///
/// The bit-reader state lives in locals here so that it stays in registers.
#[inline(always)]
fn codes_fast<const TB: u32>(
    t: &Tables,
    fixed_next: &FixedNext,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out_ref: &mut usize,
) -> Option<Result<(), Stop>> {
    let (lit, dist) = (&t.lit, &t.dist);
    let src = bits.src;
    let out_end = dst.len().saturating_sub(FAST_OUT_MARGIN);
    let in_end = src.len().saturating_sub(FAST_IN_MARGIN);
    let (mut buf, mut cnt, pos) = (bits.buf, bits.cnt, bits.pos);
    // Raw pointers to the input and the output: every access below is
    // bounded by the margins checked at the top of each iteration (each
    // SAFETY comment says how), and `dst` is not used otherwise until the
    // loop ends.
    let sp = src.as_ptr();
    let dp = dst.as_mut_ptr();
    // The input and the output as pointers (`ip` = `sp + pos`, `op` = `dp +
    // out`): one register less than base and index, in a loop that is short
    // of them.
    let ip_end = sp.wrapping_add(in_end);
    let mut ip = sp.wrapping_add(pos);
    let op_end = dp.wrapping_add(out_end);
    let mut op = dp.wrapping_add(*out_ref);
    // Only the low 6 bits of `cnt` count the valid bits of `buf` here; the
    // bits above are garbage. That lets an entry be consumed by shifting
    // and subtracting the entry itself, whose low 6 bits are its bit count:
    // no masking instruction sits on the lookup → shift → lookup chain
    // (`wrapping_shr` and `wrapping_shl` use the count's low 6 bits, as
    // x86's shifts do).
    cnt &= 63;
    // Same refill as `Bits::refill`, whose slow branch cannot be taken here.
    macro_rules! refill {
        () => {{
            // SAFETY: `ip < ip_end = sp + src.len() - 24` was checked at the
            // top of the iteration, and an iteration refills at most twice
            // (7 bytes each), so the 8 bytes read are inside `src`.
            #[allow(unsafe_code)]
            let w = unsafe { ip.cast::<u64>().read_unaligned() };
            buf |= u64::from_le(w).wrapping_shl(cnt);
            // 63 - count, as !cnt's low 6 bits: whole bytes to advance.
            ip = ip.wrapping_add(((!cnt >> 3) & 7) as usize);
            cnt |= 56;
        }};
    }
    // Consumes entry `$e`'s codes and extra bits.
    macro_rules! consume {
        ($e:expr) => {{
            let e = $e;
            buf = buf.wrapping_shr(e);
            cnt = cnt.wrapping_sub(e);
        }};
    }
    let lit_mask: usize = (1 << TB) - 1;
    const DIST_MASK: usize = DIST_ROOT - 1;
    if op >= op_end || ip >= ip_end {
        return None;
    }
    refill!();
    // Loop invariant: `e` is the root entry for the front bits of `buf`,
    // looked up when at least `TB` of them were valid (so it stays valid
    // across a refill, which only adds bits above them).
    let mut e = lit[(buf as usize) & lit_mask];
    let result = loop {
        if op >= op_end || ip >= ip_end {
            break None;
        }
        refill!();
        if e & (F_EOB | F_SUB | F_BAD) != 0 {
            if e & F_SUB != 0 {
                e = resolve_sub(&lit[..], TB, e, buf);
            }
            if e & (F_EOB | F_BAD) != 0 {
                if e & F_BAD != 0 {
                    break Some(Err(Stop::Invalid(DcStatus::InvalidCode)));
                }
                consume!(e);
                break Some(Ok(()));
            }
        }
        // Stores entry `$e`'s literals (none for a match, whose copy
        // overwrites these bytes): four bytes whatever the count.
        macro_rules! store_literals {
            ($e:expr) => {{
                // SAFETY: `op < op_end` at the top of the iteration, and
                // `op` moves by at most 2 per entry, three entries at most
                // before the next check: `op + 4 + 4 <= dp + dst.len()`.
                #[allow(unsafe_code)]
                unsafe {
                    op.cast::<[u8; 4]>()
                        .write_unaligned(($e >> 8).to_le_bytes())
                };
                op = op.wrapping_add(literal_count($e));
            }};
        }
        // Consumes literal entry `$e` and evaluates to the entry after it.
        // For the fixed code, whose literals take 8 or 9 bits, the entries
        // after both are looked up at once (see [`FixedNext`]) before `$e`'s
        // length is known, and its length picks one: the next lookup no
        // longer waits on the shift, which shortens the chain through a run
        // of literals by a third. (Only right when `$e` is a literal: a
        // length's extra bits follow it.)
        macro_rules! consume_literal {
            ($e:expr) => {{
                if TB == FIXED_TB {
                    let both = fixed_next.0[(buf >> 8) as usize & (FIXED_NEXT - 1)];
                    consume!($e);
                    // A shift by 32 for a 9-bit code, by 0 for an 8-bit one:
                    // `$e << 5` has the code length's low bit in bit 5.
                    both.wrapping_shr($e << 5) as u32
                } else {
                    consume!($e);
                    lit[(buf as usize) & lit_mask]
                }
            }};
        }
        let saved = buf;
        let next = consume_literal!(e);
        let mut d = dist[(buf as usize) & DIST_MASK];
        store_literals!(e);
        if e < LITERALS_ONLY {
            // Two more entries of literals without a refill: the first
            // entry took at most 15 bits, these are root entries (12 at
            // most), which leaves 56 - 39 = 17 for the next lookup.
            e = next;
            if e < LITERALS_ONLY {
                let next = consume_literal!(e);
                store_literals!(e);
                e = next;
                if e < LITERALS_ONLY {
                    let next = consume_literal!(e);
                    store_literals!(e);
                    e = next;
                }
            }
            continue;
        }
        let len = length_value(e, saved);
        refill!();
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
        let distance = distance_value(d, saved);
        if distance > op as usize - dp as usize {
            break Some(Err(Stop::Invalid(DcStatus::InvalidDist)));
        }
        // Look up the next entry before the copy, so that the lookup
        // overlaps the copy.
        e = lit[(buf as usize) & lit_mask];
        // SAFETY: `op` moved by at most 1 (a literal before the length)
        // from below `op_end`, so 258 + 40 bytes of `dst` follow it; every
        // length entry `build` makes decodes to 3..=258 and every distance
        // entry to at least 1, and `distance <= op - dp` was checked.
        #[allow(unsafe_code)]
        unsafe {
            copy_match_fast(op, distance, len)
        };
        op = op.wrapping_add(len);
    };
    bits.buf = buf;
    bits.cnt = cnt & 63;
    bits.pos = ip as usize - sp as usize;
    *out_ref = op as usize - dp as usize;
    result
}

/// Decodes the compressed data of a fixed or dynamic block, up to and
/// including its end-of-block code.
/// `TB` is the root bits of `t`'s literal/length table.
fn codes<const TB: u32>(
    t: &Tables,
    fixed_next: &FixedNext,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out_ref: &mut usize,
) -> Result<(), Stop> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("bmi2") {
        // SAFETY: `codes_bmi2` only requires BMI2, which the CPU was just
        // found to have.
        #[allow(unsafe_code)]
        return unsafe { codes_bmi2::<TB>(t, fixed_next, bits, dst, out_ref) };
    }
    codes_body::<TB>(t, fixed_next, bits, dst, out_ref)
}

/// [`codes_body`] compiled with BMI2: every symbol shifts and masks the bit
/// buffer by a variable amount, which BMI2 (`shrx`, `bzhi`) does in one
/// instruction on any register where the base ISA needs `cl` and two more.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi2")]
fn codes_bmi2<const TB: u32>(
    t: &Tables,
    fixed_next: &FixedNext,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out_ref: &mut usize,
) -> Result<(), Stop> {
    codes_body::<TB>(t, fixed_next, bits, dst, out_ref)
}

/// The decoding loops of [`codes`].
#[inline(always)]
fn codes_body<const TB: u32>(
    t: &Tables,
    fixed_next: &FixedNext,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out_ref: &mut usize,
) -> Result<(), Stop> {
    let (lit, dist) = (&t.lit, &t.dist);
    let mut out = *out_ref;
    if let Some(result) = codes_fast::<TB>(t, fixed_next, bits, dst, &mut out) {
        *out_ref = out;
        return result;
    }
    // The careful loop: one symbol at a time, every bound checked. A
    // two-symbol entry is decoded for its first literal only (its code
    // length from `lit_lens`), so that truncation, overflow and errors are
    // met in stream order.
    let result = loop {
        // After a refill there are ≥ 56 bits unless the input is nearly done;
        // a length (15 + 5 bits) and a distance (15 + 13) need at most 48, so
        // one refill per symbol suffices. Near the end of the input the
        // `> bits.cnt` checks catch truncation.
        bits.refill();
        let e = lookup(&lit[..], (1 << TB) - 1, TB, bits.buf);
        if literal_count(e) != 0 {
            let byte = (e >> 8) as u8;
            let clen = t.lit_lens[byte as usize] as u32;
            if clen > bits.cnt {
                break Err(Stop::Truncated);
            }
            bits.consume(clen);
            match dst.get_mut(out) {
                Some(slot) => *slot = byte,
                None => break Err(Stop::Overflow),
            }
            out += 1;
            continue;
        }
        let total = total_bits(e);
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
        let len = length_value(e, bits.buf);
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
        let distance = distance_value(d, bits.buf);
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
        assert_eq!(
            build(&lens, &mut table, LIT_TB, cl_entry, false),
            Some(Shape::Complete)
        );
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
            assert_eq!(e >> 8, sym as u32, "symbol {sym}");
            assert_eq!(total_bits(e), len as u32, "length of {sym}");
        }
    }
}
#[cfg(test)]
mod header_timing {
    use super::*;
    fn time<F: FnMut()>(label: &str, mut f: F) {
        let mut best = f64::MAX;
        for _ in 0..50 {
            let t = std::time::Instant::now();
            for _ in 0..500 {
                f();
            }
            best = best.min(t.elapsed().as_secs_f64() / 500.0);
        }
        println!("{label}: {:.3} us", best * 1e6);
    }
    #[test]
    #[ignore]
    fn header_cost() {
        let data = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/calgary")).unwrap();
        let mut isal = softqat_isal_peer::Isal::load().unwrap();
        let mut out = vec![0u8; 200_000];
        let n = isal.deflate(1, &data[..65536], &mut out).unwrap();
        let s = &out[..n];
        let mut inf = Inflater::new();
        time("code_lengths", || {
            let mut bits = Bits::new(s);
            bits.take(3).unwrap();
            std::hint::black_box(inf.code_lengths(&mut bits).unwrap());
        });
        let mut bits = Bits::new(s);
        bits.take(3).unwrap();
        let (lens, nlit, ndist) = inf.code_lengths(&mut bits).unwrap();
        let mut t = Tables::new();
        time("shape", || {
            std::hint::black_box(shape(std::hint::black_box(&lens[..nlit])));
        });
        time("build lit", || {
            std::hint::black_box(build(&lens[..nlit], &mut t.lit[..], LIT_TB, lit_entry, false));
        });
        time("build lit + multi", || {
            t.build_lit(&lens[..nlit], LIT_TB);
        });
        time("build dist", || {
            std::hint::black_box(t.build_dist(&lens[nlit..nlit + ndist]));
        });
        println!("max lit len {}", lens[..nlit].iter().max().unwrap());
    }
}
