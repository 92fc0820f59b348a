//! Fixed facts of RFC 1951 §3.2.5–3.2.7, arranged for table look-ups on the hot path.

/// Number of literal/length symbols that can appear in a block (0..=285).
pub const NUM_LITLEN: usize = 286;
/// Number of distance symbols that can appear in a block (0..=29).
pub const NUM_DIST: usize = 30;
/// Number of code-length-code symbols.
pub const NUM_CLEN: usize = 19;
/// The end-of-block symbol.
pub const EOB: usize = 256;

/// Smallest length each length symbol (257..=285) stands for.
pub const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
/// Extra bits that follow each length symbol.
pub const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Smallest distance each distance symbol stands for.
pub const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
/// Extra bits that follow each distance symbol.
pub const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// Order in which code-length-code lengths are transmitted.
pub const CLEN_ORDER: [usize; NUM_CLEN] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Length symbol offset (0..=28, add 257 for the symbol) for `length - 3` (0..=255).
pub static LEN_SYM: [u8; 256] = build_len_sym();

const fn build_len_sym() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut s = 0;
    while s < 28 {
        let lo = LEN_BASE[s] as usize - 3;
        let hi = lo + (1 << LEN_EXTRA[s]);
        let mut l = lo;
        while l < hi && l < 256 {
            t[l] = s as u8;
            l += 1;
        }
        s += 1;
    }
    // 258 has its own symbol (285) even though symbol 284 with 5 extra bits could reach it.
    t[255] = 28;
    t
}

/// Distance symbol of `dist` (1..=32768) and the value of its extra bits, by
/// arithmetic rather than table look-ups (the parser's match path is a chain
/// of loads already): symbols come in pairs per power of two of `dist - 1`,
/// the bit below the leading one choosing between the two.
#[inline(always)]
pub fn dist_code(dist: u32) -> (u32, u32) {
    let x = dist.wrapping_sub(1) & 0x7FFF;
    let b = 31 - (x | 1).leading_zeros();
    let extra_bits = b.saturating_sub(1);
    let sym = 2 * b + ((x >> extra_bits) & 1);
    (sym, x & ((1 << extra_bits) - 1))
}

/// Code lengths of the static (fixed) literal/length code, symbols 0..=287.
pub const STATIC_LITLEN_LENS: [u8; 288] = {
    let mut t = [0u8; 288];
    let mut i = 0;
    while i < 288 {
        t[i] = if i < 144 {
            8
        } else if i < 256 {
            9
        } else if i < 280 {
            7
        } else {
            8
        };
        i += 1;
    }
    t
};

/// Code lengths of the static distance code (all 5 bits).
pub const STATIC_DIST_LENS: [u8; 32] = [5; 32];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_symbols_cover_their_ranges() {
        for len in 3..=258usize {
            let s = LEN_SYM[len - 3] as usize;
            let base = LEN_BASE[s] as usize;
            assert!(len >= base, "len {len}");
            assert!(len - base < (1 << LEN_EXTRA[s]) || (s == 28 && len == 258));
        }
        assert_eq!(LEN_SYM[258 - 3], 28);
        assert_eq!(LEN_SYM[257 - 3], 27);
    }

    #[test]
    fn distance_symbols_cover_their_ranges() {
        for dist in 1..=32768u32 {
            let (s, extra) = dist_code(dist);
            let s = s as usize;
            assert!(s < NUM_DIST, "dist {dist}");
            let base = DIST_BASE[s] as u32;
            assert!(
                dist >= base && dist - base < (1 << DIST_EXTRA[s]),
                "dist {dist}"
            );
            assert_eq!(extra, dist - base, "dist {dist}");
        }
    }
}
