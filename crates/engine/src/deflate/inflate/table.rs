//! The decode tables of [`super::Inflater`]: the entry format, and the
//! tables built from a block's code lengths.

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

pub(in crate::deflate) const F_EOB: u32 = 1 << 29; // end of block (symbol 256)
pub(super) const F_SUB: u32 = 1 << 30; // pointer to a subtable for codes longer than the root
pub(in crate::deflate) const F_BAD: u32 = 1 << 31; // symbol 286/287 or 30/31, or a bit pattern with no code
/// Entries below this hold literals only.
pub(super) const LITERALS_ONLY: u32 = 1 << 24;
/// Where the extra-bit start (or a subtable's index bits) sits.
pub(super) const START_SHIFT: u32 = 25;

/// Root table bits for literal/length codes: a 12-bit lookup decodes all but
/// the rarest codes at once (longer codes go through one subtable) and often
/// two symbols: two literals, or a literal and a length (see
/// [`build`]). 16 KiB: the tables stay in the L1 cache.
pub(in crate::deflate) const LIT_TB: u32 = 12;
pub(super) const LIT_ROOT: usize = 1 << LIT_TB;
/// Root table bits for the fixed code, whose codes are 7 to 9 bits long: a
/// 9-bit root holds them all, in 2 KiB that stay in the cache while the
/// output streams through it (a 12-bit root would spread each code over 8
/// times the memory and pair none: two fixed codes take at least 14 bits).
pub(in crate::deflate) const FIXED_TB: u32 = 9;
/// Root plus subtables. A root slot whose longest code is `tb + s` bits long
/// has a subtable of `2^s` slots and, the code being complete, at least
/// `s + 1` codes under it; with `s ≤ 3` that is at most 2 slots per code, 576
/// for 288 codes. (`build` checks the bound anyway.)
pub(super) const LIT_CAP: usize = LIT_ROOT + 576;

pub(in crate::deflate) const DIST_TB: u32 = 9;
pub(in crate::deflate) const DIST_ROOT: usize = 1 << DIST_TB;
/// Same argument: 32 codes, `s ≤ 6`: at most 64 / 7 < 10 slots per code, 320.
pub(super) const DIST_CAP: usize = DIST_ROOT + 320;

/// The code-length code has lengths of at most 7 bits: one level suffices.
pub(super) const CL_TB: u32 = 7;
pub(super) const CL_CAP: usize = 1 << CL_TB;

/// Order in which the code-length code lengths are sent (RFC 1951 §3.2.7).
pub(super) const CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Length base and extra bits for symbols 257..=285 (RFC 1951 §3.2.5).
pub(super) const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
pub(super) const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Distance base and extra bits for symbols 0..=29.
pub(super) const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
pub(super) const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Most literal/length codes a dynamic block may declare (HLIT ≤ 29).
pub(in crate::deflate) const MAX_LIT_CODES: usize = 286;
/// Most distance codes a dynamic block may declare (HDIST ≤ 29).
pub(in crate::deflate) const MAX_DIST_CODES: usize = 30;
/// Room for a dynamic block's code lengths: the most it declares, and 16
/// bytes past them that a repeat may write whole.
pub(super) const LENS_ROOM: usize = MAX_LIT_CODES + MAX_DIST_CODES + 16;

/// The entry of a bit pattern that is no code (the unused half of a
/// one-code code, every pattern of an empty code): one bit, as zlib wants
/// one bit to be there before it says so.
pub(super) const BAD_PATTERN: u32 = F_BAD | 1;

/// Literal/length table entry for symbol `sym` with a code of `len` bits.
pub(super) fn lit_entry(sym: usize, len: u32) -> u32 {
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
pub(super) fn dist_entry(sym: usize, len: u32) -> u32 {
    match sym {
        0..=29 => {
            (DIST_BASE[sym] as u32) << 8 | len << START_SHIFT | (len + DIST_EXTRA[sym] as u32)
        }
        // 30 and 31 take part in the fixed code but never occur in valid data.
        _ => F_BAD | len,
    }
}

/// Code-length table entry for symbol `sym` (0..=18).
/// A repeat symbol (16, 17, 18) holds its count's base in bits 16..24 and
/// its extra bits like a length: the whole repeat is one entry.
pub(super) fn cl_entry(sym: usize, len: u32) -> u32 {
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
pub(in crate::deflate) fn total_bits(e: u32) -> u32 {
    e & 63
}

/// Literals in a literal/length entry.
#[inline(always)]
pub(in crate::deflate) fn literal_count(e: u32) -> usize {
    ((e >> 6) & 3) as usize
}

/// Where a length's or distance's extra bits start (a subtable pointer's
/// index bits).
#[inline(always)]
pub(super) fn extra_start(e: u32) -> u32 {
    (e >> START_SHIFT) & 15
}

/// The value of a length or distance entry whose base is `base`: the base
/// plus the extra bits that follow the codes in `saved` (the bit buffer
/// before consuming the entry).
#[inline(always)]
pub(super) fn with_extra(base: u32, e: u32, saved: u64) -> usize {
    let total = total_bits(e);
    base as usize + ((saved & ((1u64 << total) - 1)) >> extra_start(e)) as usize
}

/// A length entry's value.
#[inline(always)]
pub(in crate::deflate) fn length_value(e: u32, saved: u64) -> usize {
    with_extra((e >> 16) & 0x1ff, e, saved)
}

/// A distance entry's value.
#[inline(always)]
pub(in crate::deflate) fn distance_value(d: u32, saved: u64) -> usize {
    with_extra((d >> 8) & 0xffff, d, saved)
}

/// How a set of code lengths fills the code space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
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
pub(super) fn length_counts(lens: &[u8]) -> [u16; 16] {
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

/// How a code with `count[len]` codes of each length fills the code space.
pub(super) fn shape_of(count: &[u16; 16]) -> Shape {
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
pub(super) fn shape(lens: &[u8]) -> Shape {
    shape_of(&length_counts(lens))
}

/// The next code of `len` bits after `rev` (`len`-bit codes being stored
/// bit-reversed, as tables index them; `size` = 2^len): adding one to a
/// code sets its lowest zero bit and clears the bits below it, which in the
/// reversed code is its highest zero bit and the bits above. `rev` must not
/// be the last code (all ones).
#[inline(always)]
pub(super) fn next_code(rev: usize, size: usize) -> usize {
    let bit = 1usize << (usize::BITS - 1 - (rev ^ (size - 1)).leading_zeros());
    (rev & (bit - 1)) | bit
}

/// The entry of a literal (`first`, a one-literal entry) followed by
/// `second`, a literal or a length entry (see "Decode-table entries").
#[inline(always)]
pub(super) fn two_symbols(first: u32, second: u32) -> u32 {
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
pub(super) fn build(
    lens: &[u8],
    table: &mut [u32],
    tb: u32,
    entry: fn(usize, u32) -> u32,
    literals: bool,
) -> Option<Shape> {
    let root = 1usize << tb;
    let lit_count = if literals {
        length_counts(&lens[..lens.len().min(256)])
    } else {
        [0; 16]
    };
    let count = if literals {
        let rest = length_counts(&lens[lens.len().min(256)..]);
        std::array::from_fn(|l| lit_count[l] + rest[l])
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
                let lits = a..a + lit_count[l1 as usize] as usize;
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

/// The decode tables of one block's codes. One allocation for both, so that
/// the decoding loop reaches both from one base register (it is short of
/// registers).
pub(in crate::deflate) struct Tables {
    pub(in crate::deflate) lit: [u32; LIT_CAP],
    pub(in crate::deflate) dist: [u32; DIST_CAP],
    /// Code length of each literal: the careful loop decodes the first
    /// symbol of a two-symbol entry alone (see [`super::codes_body`]).
    pub(in crate::deflate) lit_lens: [u8; 256],
}

impl Tables {
    pub(super) fn new() -> Box<Tables> {
        Box::new(Tables {
            lit: [0; LIT_CAP],
            dist: [0; DIST_CAP],
            lit_lens: [0; 256],
        })
    }

    /// Builds the literal/length table for `lens` (at least 257 lengths)
    /// with a root of `tb` bits: see [`build`].
    pub(super) fn build_lit(&mut self, lens: &[u8], tb: u32) -> Option<Shape> {
        let n = lens.len().min(256);
        self.lit_lens[..n].copy_from_slice(&lens[..n]);
        build(lens, &mut self.lit[..], tb, lit_entry, true)
    }

    /// Builds the distance table for `lens`: see [`build`].
    pub(super) fn build_dist(&mut self, lens: &[u8]) -> Option<Shape> {
        build(lens, &mut self.dist[..], DIST_TB, dist_entry, false)
    }
}

/// Index bits of [`FixedNext`]: the 9 bits after an 8-bit code and one more.
pub(super) const FIXED_NEXT: usize = 1 << 10;

/// For the fixed code: for the 10 bits after the first 8 of the bit buffer,
/// the root entry that follows an 8-bit literal code (low half) and the one
/// that follows a 9-bit literal code (high half). The fast loop fetches both
/// before it knows which it needs.
pub(in crate::deflate) struct FixedNext(pub(super) [u64; FIXED_NEXT]);

impl FixedNext {
    pub(super) fn new(fixed: &[u32]) -> Box<FixedNext> {
        let mask = (1 << FIXED_TB) - 1;
        let mut t = Box::new(FixedNext([0; FIXED_NEXT]));
        for (i, slot) in t.0.iter_mut().enumerate() {
            *slot = fixed[i & mask] as u64 | (fixed[i >> 1] as u64) << 32;
        }
        t
    }
}

/// Resolves a subtable pointer `e` (taken from the root slot of `buf`'s low
/// `tb` bits) to the entry of the code in `buf`. Does not consume anything.
#[inline(always)]
pub(super) fn resolve_sub(table: &[u32], tb: u32, e: u32, buf: u64) -> u32 {
    let sb = extra_start(e);
    let idx = ((e >> 8) & 0xffff) as usize + ((buf >> tb) as usize & ((1usize << sb) - 1));
    // Subtable indices come from `build` and stay inside the table; `get`
    // keeps a corrupted table from panicking.
    table.get(idx).copied().unwrap_or(F_BAD)
}

/// Looks up the entry for the next code in `table` (root of `1 << tb` slots),
/// following a subtable pointer. Does not consume anything.
#[inline(always)]
pub(in crate::deflate) fn lookup(table: &[u32], root_mask: usize, tb: u32, buf: u64) -> u32 {
    let e = table[(buf as usize) & root_mask];
    if e & F_SUB == 0 {
        return e;
    }
    resolve_sub(table, tb, e, buf)
}
