//! Length-limited canonical Huffman codes for one block.

/// A code: per symbol, its length in bits (0 = unused) and its codeword already
/// bit-reversed, ready to be written LSB-first.
#[derive(Clone)]
pub struct Code<const N: usize> {
    pub lens: [u8; N],
    pub codes: [u16; N],
}

impl<const N: usize> Code<N> {
    pub const fn empty() -> Self {
        Code {
            lens: [0; N],
            codes: [0; N],
        }
    }

    /// Builds an optimal-or-close code for `freqs` with no length above `limit`.
    /// Symbols with zero frequency get length 0. A code is always complete: with a
    /// single used symbol a second one is added so that every decoder accepts it.
    pub fn build(&mut self, freqs: &[u32; N], limit: u32, scratch: &mut HuffScratch) {
        build_lengths(freqs, limit, &mut self.lens, scratch);
        assign_codes(&self.lens, &mut self.codes);
    }

    /// Codes for lengths fixed elsewhere (the static code).
    pub fn from_lens(lens: &[u8; N]) -> Self {
        let mut c = Code::empty();
        c.lens = *lens;
        assign_codes(&c.lens, &mut c.codes);
        c
    }
}

/// Working arrays of the tree construction, kept to avoid stack churn.
pub struct HuffScratch {
    keys: [u32; 288],
    parent: [u16; 576],
    weight: [u32; 288],
    depth: [u16; 288],
}

impl HuffScratch {
    pub const fn new() -> Self {
        HuffScratch {
            keys: [0; 288],
            parent: [0; 576],
            weight: [0; 288],
            depth: [0; 288],
        }
    }
}

const SYM_BITS: u32 = 9;
/// Frequencies below this are sorted by counting; the rest by comparison.
const SORT_BUCKETS: usize = 128;
const SYM_MASK: u32 = (1 << SYM_BITS) - 1;
/// Frequencies above this are clamped so a key fits in 32 bits; blocks never get
/// close, and clamping would only cost optimality, not validity.
const MAX_FREQ: u32 = (1 << (32 - SYM_BITS)) - 1;

fn build_lengths<const N: usize>(
    freqs: &[u32; N],
    limit: u32,
    lens: &mut [u8; N],
    s: &mut HuffScratch,
) {
    debug_assert!(N <= 288 && (1..=15).contains(&limit));
    *lens = [0; N];
    // Counting sort of the used symbols by frequency; only the (few) symbols above
    // the bucket range need a comparison sort. Keys: frequency above the symbol.
    let mut bucket = [0u16; SORT_BUCKETS + 1];
    let mut n = 0usize;
    for &f in freqs.iter() {
        if f != 0 {
            bucket[(f as usize).min(SORT_BUCKETS)] += 1;
            n += 1;
        }
    }
    if n == 0 {
        return;
    }
    if n == 1 {
        // A lone codeword of length 1 is legal for distances but some decoders reject
        // an incomplete literal/length code: pair it with a dummy symbol.
        let sym = freqs.iter().position(|&f| f != 0).unwrap_or(0);
        lens[sym] = 1;
        lens[if sym == 0 { 1 } else { 0 }] = 1;
        return;
    }
    let mut at = 0u16;
    for b in bucket.iter_mut() {
        let c = *b;
        *b = at;
        at += c;
    }
    for (sym, &f) in freqs.iter().enumerate() {
        if f != 0 {
            let b = (f as usize).min(SORT_BUCKETS);
            let slot = bucket[b] as usize;
            bucket[b] += 1;
            if let Some(k) = s.keys.get_mut(slot) {
                *k = (f.min(MAX_FREQ) << SYM_BITS) | sym as u32;
            }
        }
    }
    let big_from = (bucket[SORT_BUCKETS - 1] as usize).min(n);
    s.keys[big_from..n].sort_unstable();

    // Two-queue construction: leaves come sorted, internal nodes are created in
    // non-decreasing weight order, so the two lightest are always at a queue head.
    // Node ids: leaves 0..n, internal nodes n..2n-1.
    let (mut li, mut ii) = (0usize, 0usize);
    for j in 0..n - 1 {
        let mut w = 0u32;
        for _ in 0..2 {
            let take_leaf = li < n && (ii >= j || (s.keys[li] >> SYM_BITS) <= s.weight[ii]);
            if take_leaf {
                s.parent[li] = (n + j) as u16;
                w += s.keys[li] >> SYM_BITS;
                li += 1;
            } else {
                s.parent[n + ii] = (n + j) as u16;
                w += s.weight[ii];
                ii += 1;
            }
        }
        s.weight[j] = w;
    }
    // Depths of internal nodes, root (the last one) first.
    let root = n - 2;
    s.depth[root] = 0;
    let mut max_depth = 0u16;
    for j in (0..root).rev() {
        let d = s.depth[s.parent[n + j] as usize - n] + 1;
        s.depth[j] = d;
    }
    let mut bl_count = [0u32; 32];
    for i in 0..n {
        let d = s.depth[s.parent[i] as usize - n] + 1;
        max_depth = max_depth.max(d);
        bl_count[d.min(31) as usize] += 1;
    }
    if max_depth as u32 > limit {
        let limit = limit as usize;
        for l in limit + 1..32 {
            bl_count[limit] += bl_count[l];
            bl_count[l] = 0;
        }
        let mut kraft: u64 = (1..=limit)
            .map(|l| (bl_count[l] as u64) << (limit - l))
            .sum();
        while kraft > 1u64 << limit {
            // Drop one deepest leaf and re-home it by splitting the deepest shorter one:
            // the leaf count stays, the Kraft sum falls by one unit.
            bl_count[limit] -= 1;
            let mut l = limit - 1;
            while bl_count[l] == 0 {
                l -= 1;
            }
            bl_count[l] -= 1;
            bl_count[l + 1] += 2;
            kraft -= 1;
        }
    }
    // Longest codes go to the rarest symbols (keys are sorted by frequency).
    let mut i = 0usize;
    for l in (1..=limit as usize).rev() {
        for _ in 0..bl_count[l] {
            lens[(s.keys[i] & SYM_MASK) as usize] = l as u8;
            i += 1;
        }
    }
}

static REV8: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).reverse_bits();
        i += 1;
    }
    t
};

fn assign_codes<const N: usize>(lens: &[u8; N], codes: &mut [u16; N]) {
    let mut count = [0u16; 16];
    for &l in lens.iter() {
        count[l as usize] += 1;
    }
    count[0] = 0;
    let mut next = [0u16; 16];
    let mut code = 0u16;
    for l in 1..16 {
        code = (code + count[l - 1]) << 1;
        next[l] = code;
    }
    for (sym, &l) in lens.iter().enumerate() {
        let l = (l & 15) as usize;
        if l == 0 {
            // Not through next[0]: a chain of increments in memory would serialize.
            codes[sym] = 0;
            continue;
        }
        let c = next[l];
        next[l] += 1;
        // Deflate sends codewords MSB first within an LSB-first stream: store them
        // reversed.
        let rev = (REV8[(c & 0xFF) as usize] as u32) << 8 | REV8[(c >> 8) as usize] as u32;
        codes[sym] = (rev >> (16 - l)) as u16;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kraft<const N: usize>(c: &Code<N>) -> f64 {
        c.lens
            .iter()
            .filter(|&&l| l > 0)
            .map(|&l| 0.5f64.powi(l as i32))
            .sum()
    }

    #[test]
    fn lengths_are_limited_and_complete() {
        let mut s = HuffScratch::new();
        // Fibonacci weights force a degenerate, very deep tree.
        let mut f = [0u32; 288];
        let (mut a, mut b) = (1u32, 1u32);
        for x in f.iter_mut().take(30) {
            *x = a;
            let c = a + b;
            a = b;
            b = c;
        }
        for limit in [7u32, 9, 15] {
            let mut c = Code::<288>::empty();
            c.build(&f, limit, &mut s);
            assert!(c.lens.iter().all(|&l| l as u32 <= limit));
            assert!((kraft(&c) - 1.0).abs() < 1e-12, "limit {limit}");
            assert_eq!(c.lens.iter().filter(|&&l| l > 0).count(), 30);
        }
    }

    #[test]
    fn single_and_empty_codes() {
        let mut s = HuffScratch::new();
        let mut c = Code::<30>::empty();
        c.build(&[0; 30], 15, &mut s);
        assert!(c.lens.iter().all(|&l| l == 0));
        let mut f = [0u32; 30];
        f[7] = 100;
        c.build(&f, 15, &mut s);
        assert_eq!(c.lens[7], 1);
        assert_eq!(c.lens[0], 1);
        assert!((kraft(&c) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn optimal_on_a_small_example() {
        let mut s = HuffScratch::new();
        let mut f = [0u32; 19];
        f[..5].copy_from_slice(&[10, 1, 1, 2, 5]);
        let mut c = Code::<19>::empty();
        c.build(&f, 7, &mut s);
        let cost: u32 = (0..5).map(|i| f[i] * c.lens[i] as u32).sum();
        // Optimal Huffman cost for (10, 5, 2, 1, 1) is 10*1 + 5*2 + 2*3 + 1*4 + 1*4 = 34.
        assert_eq!(cost, 34);
    }
}
