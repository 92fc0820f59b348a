//! Valid streams with random Huffman codes, decoded by the Inflater and by
//! zlib (zlib-rs through libz-rs-sys, raw inflate), and checked against the
//! output the generator meant.
//!
//! Encoders pick their codes from the data, so real streams leave parts of
//! the decoder's tables alone. Here every block gets random complete codes:
//! literal/length codes up to 15 bits (subtables under the 12-bit root),
//! distance codes up to 15 bits, one-code distance codes, few-symbol codes
//! whose slots hold two literals or a literal and a length (with the
//! length's extra bits past the root's bits), lengths up to 258, distances
//! of 1 to 32768 with short periods favoured, fixed blocks with literals of
//! both 8 and 9 bits, stored blocks between them, and code lengths sent
//! with and without repeat codes. The outputs are long enough for the fast
//! loop (a request's bulk) and end in the careful loop.
//!
//! Each stream is also decoded truncated (the status, and without
//! FLUSH_FINAL the blocks that completed, as the generator knows them), into
//! a destination one byte short (`Overflow`), and mutated: softqat must
//! never accept what zlib rejects, and must decode what zlib decodes the
//! same way. Deterministic (xorshift PRNG, fixed seed); a few seconds.

use softqat_engine::deflate::decompress::Decompressor;
use softqat_engine::deflate::inflate::{InflateOutcome, Inflater};
use softqat_engine::DcStatus;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Bits written least significant first, as deflate packs them.
#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    fn bits(&mut self, v: u64, n: u32) {
        self.acc |= v << self.n;
        self.n += n;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// A Huffman code: sent most significant bit first.
    fn code(&mut self, (code, len): (u32, u32)) {
        self.bits((code.reverse_bits() >> (32 - len)) as u64, len);
    }
    fn align(&mut self) {
        if self.n > 0 {
            self.bits(0, 8 - self.n);
        }
    }
    fn bit_len(&self) -> usize {
        self.out.len() * 8 + self.n as usize
    }
    fn finish(mut self) -> Vec<u8> {
        self.align();
        self.out
    }
}

/// Canonical codes (RFC 1951 §3.2.2) for `lens`: (code, length) per symbol.
fn canonical(lens: &[u8]) -> Vec<(u32, u32)> {
    let mut count = [0u32; 16];
    for &l in lens {
        count[l as usize] += 1;
    }
    count[0] = 0;
    let mut next = [0u32; 16];
    let mut code = 0;
    for len in 1..16 {
        code = (code + count[len - 1]) << 1;
        next[len] = code;
    }
    lens.iter()
        .map(|&l| {
            let c = next[l as usize];
            next[l as usize] += 1;
            (c, l as u32)
        })
        .collect()
}

/// Random code lengths, at most `max` bits, for the symbols `used` of an
/// alphabet of `n`: a complete code (a random full binary tree), or one code
/// of one bit when one symbol is used. With `deep`, the deepest leaf is
/// split more often, which makes long codes.
fn random_lengths(rng: &mut Rng, n: usize, used: &[usize], max: u8, deep: bool) -> Vec<u8> {
    let mut lens = vec![0u8; n];
    if used.len() == 1 {
        lens[used[0]] = 1;
        return lens;
    }
    let mut leaves = vec![0u8];
    while leaves.len() < used.len() {
        let splittable: Vec<usize> = (0..leaves.len()).filter(|&i| leaves[i] < max).collect();
        let i = if deep && rng.chance(60) {
            *splittable.iter().max_by_key(|&&i| leaves[i]).unwrap()
        } else {
            splittable[rng.below(splittable.len())]
        };
        let d = leaves[i] + 1;
        leaves[i] = d;
        leaves.push(d);
    }
    for (k, &sym) in used.iter().enumerate() {
        let j = k + rng.below(used.len() - k);
        leaves.swap(k, j);
        lens[sym] = leaves[k];
    }
    lens
}

/// A random subset of `from`, of 1 to `most` symbols.
fn pick(rng: &mut Rng, from: std::ops::Range<usize>, most: usize) -> Vec<usize> {
    let mut all: Vec<usize> = from.collect();
    let k = 1 + rng.below(most.min(all.len()));
    for i in 0..k {
        let j = i + rng.below(all.len() - i);
        all.swap(i, j);
    }
    all.truncate(k);
    all.sort_unstable();
    all
}

const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u32; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u32; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u32; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// Order of the code-length code lengths (RFC 1951 §3.2.7).
const CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// The code lengths of a dynamic header as code-length symbols: (symbol,
/// extra value, extra bits), with repeat codes where `rle`.
fn length_symbols(lens: &[u8], rle: bool) -> Vec<(usize, u64, u32)> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < lens.len() {
        let l = lens[i];
        let run = lens[i..].iter().take_while(|&&x| x == l).count();
        if rle && l == 0 && run >= 11 {
            let r = run.min(138);
            v.push((18, (r - 11) as u64, 7));
            i += r;
        } else if rle && l == 0 && run >= 3 {
            let r = run.min(10);
            v.push((17, (r - 3) as u64, 3));
            i += r;
        } else if rle && i > 0 && lens[i - 1] == l && run >= 3 {
            let r = run.min(6);
            v.push((16, (r - 3) as u64, 2));
            i += r;
        } else {
            v.push((l as usize, 0, 0));
            i += 1;
        }
    }
    v
}

/// The codes a block sends its symbols with.
struct BlockCodes {
    lit: Vec<(u32, u32)>,
    dist: Vec<(u32, u32)>,
    literals: Vec<usize>,
    lengths: Vec<usize>,
    distances: Vec<usize>,
}

/// Writes a dynamic block header with random codes; returns the codes.
fn dynamic_header(rng: &mut Rng, w: &mut BitWriter) -> BlockCodes {
    // Few literals make short codes (two per root slot); many, with a deep
    // tree, make codes up to 15 bits.
    let most = if rng.chance(30) { 6 } else { 256 };
    let literals = pick(rng, 0..256, most);
    let lengths: Vec<usize> = if rng.chance(10) {
        Vec::new()
    } else {
        pick(rng, 257..286, 29)
    };
    let distances: Vec<usize> = if lengths.is_empty() && rng.chance(50) {
        Vec::new()
    } else {
        let most = if rng.chance(15) { 1 } else { 30 };
        pick(rng, 0..30, most)
    };
    let mut used: Vec<usize> = literals.clone();
    used.push(256);
    used.extend(&lengths);
    let nlit = 257.max(used.iter().max().unwrap() + 1);
    let deep = rng.chance(50);
    let lit_lens = random_lengths(rng, nlit, &used, 15, deep);
    // No distance used: one zero length (an empty code), which needs no
    // distance symbol to ever be read.
    let ndist = distances.iter().max().map_or(1, |m| m + 1);
    let dist_lens = if distances.is_empty() {
        vec![0u8; 1]
    } else {
        let deep = rng.chance(50);
        random_lengths(rng, ndist, &distances, 15, deep)
    };
    let all: Vec<u8> = lit_lens.iter().chain(&dist_lens).copied().collect();
    let syms = length_symbols(&all, rng.chance(70));
    let cl_used: Vec<usize> = (0..19).collect();
    let cl_lens = random_lengths(rng, 19, &cl_used, 7, false);
    let cl = canonical(&cl_lens);
    w.bits((nlit - 257) as u64, 5);
    w.bits((ndist - 1) as u64, 5);
    w.bits(15, 4); // all 19 code-length code lengths
    for &s in &CL_ORDER {
        w.bits(cl_lens[s] as u64, 3);
    }
    for (s, v, n) in syms {
        w.code(cl[s]);
        w.bits(v, n);
    }
    BlockCodes {
        lit: canonical(&lit_lens),
        dist: canonical(&dist_lens),
        literals,
        lengths,
        distances,
    }
}

/// The fixed codes (RFC 1951 §3.2.6), every valid symbol usable.
fn fixed_codes() -> BlockCodes {
    let mut lit_lens = vec![8u8; 288];
    lit_lens[144..256].fill(9);
    lit_lens[256..280].fill(7);
    BlockCodes {
        lit: canonical(&lit_lens),
        dist: canonical(&[5u8; 32]),
        literals: (0..256).collect(),
        lengths: (257..286).collect(),
        distances: (0..30).collect(),
    }
}

/// A generated stream: its bytes, its output, and where each block ends
/// (bit position, output length).
struct Stream {
    bytes: Vec<u8>,
    out: Vec<u8>,
    block_ends: Vec<(usize, usize)>,
}

/// Symbols of one block: literals and matches, `size` bytes of output or so.
fn block_symbols(rng: &mut Rng, w: &mut BitWriter, c: &BlockCodes, out: &mut Vec<u8>, size: usize) {
    let start = out.len();
    // Runs and short periods in some blocks, far distances in others.
    let near = rng.chance(40);
    while out.len() - start < size {
        let can_match = !c.lengths.is_empty() && !c.distances.is_empty() && !out.is_empty();
        if !can_match || rng.chance(45) {
            let b = c.literals[rng.below(c.literals.len())];
            w.code(c.lit[b]);
            out.push(b as u8);
            continue;
        }
        let ls = c.lengths[rng.below(c.lengths.len())];
        let li = ls - 257;
        let lx = rng.below(1 << LEN_EXTRA[li]) as u32;
        let len = LEN_BASE[li] as usize + lx as usize;
        // A distance symbol whose base the output reaches.
        let reachable: Vec<usize> = c
            .distances
            .iter()
            .copied()
            .filter(|&d| DIST_BASE[d] as usize <= out.len() && (!near || d < 8 || rng.chance(10)))
            .collect();
        let Some(&ds) = reachable.get(rng.below(reachable.len())) else {
            let b = c.literals[rng.below(c.literals.len())];
            w.code(c.lit[b]);
            out.push(b as u8);
            continue;
        };
        let room = out.len() - DIST_BASE[ds] as usize;
        let dx = rng.below((1usize << DIST_EXTRA[ds]).min(room + 1)) as u32;
        let dist = DIST_BASE[ds] as usize + dx as usize;
        w.code(c.lit[ls]);
        w.bits(lx as u64, LEN_EXTRA[li]);
        w.code(c.dist[ds]);
        w.bits(dx as u64, DIST_EXTRA[ds]);
        for _ in 0..len {
            out.push(out[out.len() - dist]);
        }
    }
    w.code(c.lit[256]);
}

/// A stream of one to three blocks (dynamic, fixed or stored), the last
/// with BFINAL.
fn random_stream(rng: &mut Rng) -> Stream {
    let mut w = BitWriter::default();
    let mut out = Vec::new();
    let mut block_ends = Vec::new();
    let blocks = 1 + rng.below(3);
    for b in 0..blocks {
        let last = b + 1 == blocks;
        w.bits(last as u64, 1);
        let size = 200 + rng.below(12_000);
        match rng.below(10) {
            0 => {
                // Stored.
                w.bits(0, 2);
                w.align();
                let n = rng.below(2000);
                w.bits(n as u64, 16);
                w.bits(!n as u64 & 0xffff, 16);
                for _ in 0..n {
                    let byte = rng.next() as u8;
                    w.bits(byte as u64, 8);
                    out.push(byte);
                }
            }
            1..=3 => {
                w.bits(1, 2);
                block_symbols(rng, &mut w, &fixed_codes(), &mut out, size);
            }
            _ => {
                w.bits(2, 2);
                let codes = dynamic_header(rng, &mut w);
                block_symbols(rng, &mut w, &codes, &mut out, size);
            }
        }
        block_ends.push((w.bit_len(), out.len()));
    }
    Stream {
        bytes: w.finish(),
        out,
        block_ends,
    }
}

/// zlib's raw inflate of `src` into `cap` bytes: `Some((consumed, output))`
/// if it reached the end of the stream, `None` otherwise.
fn zlib(src: &[u8], cap: usize) -> Option<(usize, Vec<u8>)> {
    use libz_rs_sys::*;
    let mut out = vec![0u8; cap];
    // SAFETY: the stream is initialised by inflateInit2_ before use, its
    // buffers point into `src` and `out`, which outlive the calls, and it is
    // released with inflateEnd.
    unsafe {
        let mut strm = z_stream::default();
        let ret = inflateInit2_(
            &mut strm,
            -15,
            zlibVersion(),
            std::mem::size_of::<z_stream>() as i32,
        );
        assert_eq!(ret, Z_OK);
        strm.next_in = src.as_ptr();
        strm.avail_in = src.len() as u32;
        strm.next_out = out.as_mut_ptr();
        strm.avail_out = cap as u32;
        let ret = inflate(&mut strm, Z_FINISH);
        let result = (ret == Z_STREAM_END).then(|| {
            out.truncate(strm.total_out as usize);
            (strm.total_in as usize, out)
        });
        inflateEnd(&mut strm);
        result
    }
}

/// Decodes with the Inflater and the Decompressor (which must agree) into a
/// destination of `cap` bytes: the outcome and the output.
fn ours(
    inf: &mut Inflater,
    dec: &mut Decompressor,
    src: &[u8],
    cap: usize,
    require_final: bool,
) -> (InflateOutcome, Vec<u8>) {
    let mut dst = vec![0u8; cap];
    let a = inf.inflate(src, &mut dst, require_final);
    let out = dst[..a.produced].to_vec();
    let b = dec.decompress(src, &mut dst, require_final);
    assert_eq!(a, b, "Decompressor and Inflater differ");
    assert!(dst[..b.produced] == out[..], "Decompressor output differs");
    (a, out)
}

#[test]
fn random_codes_decode_as_generated_and_as_zlib_decodes() {
    let mut rng = Rng(0x5851_f42d_4c95_7f2d);
    let (mut inf, mut dec) = (Inflater::new(), Decompressor::new());
    let mut total = 0;
    for i in 0..240 {
        let s = random_stream(&mut rng);
        let (src, n) = (&s.bytes[..], s.out.len());
        total += n;
        let ctx = format!("stream #{i} ({} bytes in, {n} out)", src.len());

        // Whole, into room to spare and into the exact size.
        for cap in [n + 1000, n] {
            let (o, out) = ours(&mut inf, &mut dec, src, cap, true);
            assert_eq!(
                (o.status, o.consumed, o.produced, o.end_of_last_block),
                (DcStatus::Ok, src.len(), n, true),
                "{ctx}, room {cap}"
            );
            assert!(out == s.out, "{ctx}: output differs from the generator's");
        }
        let (consumed, zout) = zlib(src, n + 1000).unwrap_or_else(|| panic!("{ctx}: zlib fails"));
        assert_eq!(consumed, src.len(), "{ctx}: zlib's end");
        assert!(zout == s.out, "{ctx}: zlib's output differs");

        // One byte short: an overflow, nothing produced.
        if n > 0 {
            let (o, _) = ours(&mut inf, &mut dec, src, n - 1, true);
            assert_eq!(o, InflateOutcome::failed(DcStatus::Overflow), "{ctx}");
        }

        // Truncated: incomplete with FLUSH_FINAL; without it, the blocks
        // that completed within the bytes left.
        for _ in 0..4 {
            let k = rng.below(src.len());
            let (o, _) = ours(&mut inf, &mut dec, &src[..k], n + 1000, true);
            assert_eq!(
                o,
                InflateOutcome::failed(DcStatus::IncompleteFileErr),
                "{ctx}, cut at {k}"
            );
            let (o, out) = ours(&mut inf, &mut dec, &src[..k], n + 1000, false);
            match s.block_ends.iter().rev().find(|&&(bit, _)| bit <= k * 8) {
                Some(&(bit, produced)) => {
                    assert_eq!(
                        (o.status, o.consumed, o.produced, o.end_of_last_block),
                        (DcStatus::Ok, bit.div_ceil(8), produced, false),
                        "{ctx}, cut at {k}, not final"
                    );
                    assert!(out == s.out[..produced], "{ctx}, cut at {k}");
                }
                None => assert_eq!(
                    o,
                    InflateOutcome::failed(DcStatus::IncompleteFileErr),
                    "{ctx}, cut at {k}, not final"
                ),
            }
        }

        // Mutated: never accepted where zlib rejects; decoded as zlib
        // decodes where it accepts.
        for _ in 0..4 {
            let mut m = src.to_vec();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(m.len());
                m[at] ^= 1 << rng.below(8);
            }
            let (o, out) = ours(&mut inf, &mut dec, &m, n + 1000, true);
            match zlib(&m, n + 1000) {
                Some((consumed, zout)) => {
                    assert_eq!(
                        (o.status, o.consumed),
                        (DcStatus::Ok, consumed),
                        "{ctx}: zlib decodes a mutation"
                    );
                    assert!(out == zout, "{ctx}: a mutation's output differs");
                }
                None => assert_ne!(
                    o.status,
                    DcStatus::Ok,
                    "{ctx}: softqat accepts a mutation zlib rejects"
                ),
            }
        }
    }
    // Enough output for the fast loop to have done most of the work.
    assert!(total > 1_000_000, "only {total} bytes generated");
}
