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
        let counts = build_lengths(freqs, limit, &mut self.lens, scratch);
        assign_codes(&self.lens, &counts, &mut self.codes);
    }

    /// Codes for lengths fixed elsewhere (the static code).
    pub fn from_lens(lens: &[u8; N]) -> Self {
        let mut c = Code::empty();
        c.lens = *lens;
        let mut counts = [0u16; 16];
        for &l in lens.iter() {
            counts[l as usize & 15] += 1;
        }
        assign_codes(&c.lens, &counts, &mut c.codes);
        c
    }
}

/// Working arrays of the tree construction, kept to avoid stack churn. Sizes are
/// powers of two so that indices can be masked instead of bounds-checked.
pub struct HuffScratch {
    keys: [u32; 512],
    tmp: [u32; 512],
    parent: [u16; 1024],
    weight: [u32; 512],
    depth: [u16; 512],
}

impl HuffScratch {
    pub const fn new() -> Self {
        HuffScratch {
            keys: [0; 512],
            tmp: [0; 512],
            parent: [0; 1024],
            weight: [0; 512],
            depth: [0; 512],
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

/// Returns how many symbols got each length (index 0 unused).
fn build_lengths<const N: usize>(
    freqs: &[u32; N],
    limit: u32,
    lens: &mut [u8; N],
    s: &mut HuffScratch,
) -> [u16; 16] {
    debug_assert!(N <= 288 && (1..=15).contains(&limit));
    *lens = [0; N];
    // The loops below avoid data-dependent branches: which symbols are used, and
    // which queue holds the lighter node, are as good as random to a predictor, and
    // for a small block the mispredictions would cost more than the work itself.
    //
    // Keys (frequency above symbol) of the used symbols, in symbol order.
    let mut n = 0usize;
    for (sym, &f) in freqs.iter().enumerate() {
        s.tmp[n & 511] = (f.min(MAX_FREQ) << SYM_BITS) | sym as u32;
        n += (f != 0) as usize;
    }
    let mut counts = [0u16; 16];
    if n == 0 {
        return counts;
    }
    if n == 1 {
        // A lone codeword of length 1 is legal for distances but some decoders reject
        // an incomplete literal/length code: pair it with a dummy symbol.
        let sym = (s.tmp[0] & SYM_MASK) as usize;
        lens[sym] = 1;
        lens[if sym == 0 { 1 } else { 0 }] = 1;
        counts[1] = 2;
        return counts;
    }
    // Counting sort by frequency; only the (few) keys above the bucket range need
    // a comparison sort.
    let mut bucket = [0u16; SORT_BUCKETS + 1];
    for &k in &s.tmp[..n] {
        bucket[((k >> SYM_BITS) as usize).min(SORT_BUCKETS)] += 1;
    }
    let mut at = 0u16;
    for b in bucket.iter_mut() {
        let c = *b;
        *b = at;
        at += c;
    }
    for &k in &s.tmp[..n] {
        let b = ((k >> SYM_BITS) as usize).min(SORT_BUCKETS);
        let slot = bucket[b] as usize;
        bucket[b] += 1;
        s.keys[slot & 511] = k;
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
            let lw = s.keys[li & 511] >> SYM_BITS;
            let lw = if li < n { lw } else { u32::MAX };
            let iw = s.weight[ii & 511];
            let iw = if ii < j { iw } else { u32::MAX };
            let take_leaf = lw <= iw;
            let node = if take_leaf { li } else { n + ii };
            s.parent[node & 1023] = (n + j) as u16;
            w += lw.min(iw);
            li += take_leaf as usize;
            ii += !take_leaf as usize;
        }
        s.weight[j & 511] = w;
    }
    // Depths of internal nodes, root (the last one) first.
    let root = n - 2;
    s.depth[root] = 0;
    let mut max_depth = 0u16;
    for j in (0..root).rev() {
        let d = s.depth[(s.parent[(n + j) & 1023] as usize - n) & 511] + 1;
        s.depth[j & 511] = d;
    }
    let mut bl_count = [0u32; 32];
    for i in 0..n {
        let d = s.depth[(s.parent[i & 1023] as usize - n) & 511] + 1;
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
            lens[(s.keys[i & 511] & SYM_MASK) as usize] = l as u8;
            i += 1;
        }
        counts[l] = bl_count[l] as u16;
    }
    counts
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

fn assign_codes<const N: usize>(lens: &[u8; N], count: &[u16; 16], codes: &mut [u16; N]) {
    let mut next = [0u16; 16];
    let mut code = 0u16;
    for l in 1..16 {
        code = (code + if l > 1 { count[l - 1] } else { 0 }) << 1;
        next[l] = code;
    }
    // Only used symbols, listed without branching on which they are.
    let mut used = [0u16; 512];
    let mut m = 0usize;
    for (sym, &l) in lens.iter().enumerate() {
        used[m & 511] = sym as u16;
        m += (l != 0) as usize;
    }
    *codes = [0; N];
    for &sym in &used[..m.min(512)] {
        let sym = sym as usize;
        let l = (lens[sym] & 15) as usize;
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
