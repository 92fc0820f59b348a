//! Behaviour of the compressor: round trips through independent decoders (libdeflate,
//! flate2) and through a block walker written here that also reports each block's
//! type, BFINAL bit and position, so that the stream's structure can be checked.

use super::tables::{CLEN_ORDER, DIST_BASE, DIST_EXTRA, LEN_BASE, LEN_EXTRA};
use super::*;
use crate::deflate::{deflate_compress_bound, stored_size};
use crate::kernels::Kernels;

/// The corpora: `corpus/` at the top of the repository.
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus");

/// Up to `max` bytes of a corpus file; a missing file fails the test.
fn corpus(name: &str, max: usize) -> Vec<u8> {
    let path = format!("{CORPUS}/{name}");
    let mut v = std::fs::read(&path).unwrap_or_else(|e| {
        panic!("corpus file {path} not readable ({e}): the corpus ships with the repository in corpus/")
    });
    v.truncate(max);
    v
}

fn random_bytes(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

/// Text-like data with long runs and repeats at many distances.
fn runs(n: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(n);
    let mut k = 0u32;
    while v.len() < n {
        k += 1;
        let b = (k % 7) as u8 + b'a';
        let len = (k * 37 % 700) as usize + 1;
        v.resize(v.len() + len, b);
        v.extend_from_slice(b"the quick brown fox ");
    }
    v.truncate(n);
    v
}

// ---------------------------------------------------------------- block walker

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BlockInfo {
    header_bit: usize,
    bfinal: bool,
    btype: u32,
    stored_len: Option<usize>,
    /// Shortest match length in the block (usize::MAX when it has none).
    shortest: usize,
}

struct BitIn<'a> {
    d: &'a [u8],
    pos: usize,
}

impl BitIn<'_> {
    fn bits(&mut self, n: u32) -> Result<u32, String> {
        let mut v = 0;
        for k in 0..n {
            let byte = *self.d.get(self.pos / 8).ok_or("out of input")?;
            v |= (((byte >> (self.pos % 8)) & 1) as u32) << k;
            self.pos += 1;
        }
        Ok(v)
    }
}

struct Decoder {
    counts: [u16; 16],
    syms: Vec<u16>,
}

impl Decoder {
    fn new(lens: &[u8]) -> Result<Self, String> {
        let mut counts = [0u16; 16];
        for &l in lens {
            counts[l as usize] += 1;
        }
        counts[0] = 0;
        let mut left = 1i32;
        for &c in &counts[1..] {
            left = left * 2 - c as i32;
            if left < 0 {
                return Err("over-subscribed code".into());
            }
        }
        let mut offs = [0u16; 16];
        for l in 1..15 {
            offs[l + 1] = offs[l] + counts[l];
        }
        let mut syms = vec![0u16; lens.len()];
        for (s, &l) in lens.iter().enumerate() {
            if l != 0 {
                syms[offs[l as usize] as usize] = s as u16;
                offs[l as usize] += 1;
            }
        }
        Ok(Decoder { counts, syms })
    }

    fn decode(&self, b: &mut BitIn) -> Result<usize, String> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for l in 1..16 {
            code |= b.bits(1)? as i32;
            let count = self.counts[l] as i32;
            if code - first < count {
                return Ok(self.syms[(index + code - first) as usize] as usize);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err("invalid code".into())
    }
}

/// Decodes a raw deflate stream block by block. A stream without BFINAL must end
/// exactly at the end of `d` on a block boundary; a final stream may be followed
/// only by padding bits of its last byte.
fn walk(d: &[u8]) -> Result<(Vec<u8>, Vec<BlockInfo>), String> {
    let mut b = BitIn { d, pos: 0 };
    let mut out = Vec::new();
    let mut blocks = Vec::new();
    loop {
        if b.pos == d.len() * 8 {
            return Ok((out, blocks));
        }
        let header_bit = b.pos;
        let bfinal = b.bits(1)? == 1;
        let btype = b.bits(2)?;
        let mut stored_len = None;
        let mut shortest = usize::MAX;
        match btype {
            0 => {
                b.pos = b.pos.next_multiple_of(8);
                let len = b.bits(16)?;
                let nlen = b.bits(16)?;
                if len != !nlen & 0xFFFF {
                    return Err("bad stored length".into());
                }
                for _ in 0..len {
                    out.push(b.bits(8)? as u8);
                }
                stored_len = Some(len as usize);
            }
            1 | 2 => {
                let (lit, dist) = if btype == 1 {
                    let mut l = [8u8; 288];
                    l[144..256].fill(9);
                    l[256..280].fill(7);
                    (Decoder::new(&l)?, Decoder::new(&[5u8; 30])?)
                } else {
                    let hlit = b.bits(5)? as usize + 257;
                    let hdist = b.bits(5)? as usize + 1;
                    let hclen = b.bits(4)? as usize + 4;
                    if hlit > 286 || hdist > 30 {
                        return Err("too many codes".into());
                    }
                    let mut cl = [0u8; 19];
                    for &s in &CLEN_ORDER[..hclen] {
                        cl[s] = b.bits(3)? as u8;
                    }
                    let cd = Decoder::new(&cl)?;
                    let mut lens = Vec::new();
                    while lens.len() < hlit + hdist {
                        let s = cd.decode(&mut b)?;
                        let (v, rep) = match s {
                            0..=15 => (s as u8, 1),
                            16 => (*lens.last().ok_or("repeat with no length")?, 3 + b.bits(2)?),
                            17 => (0, 3 + b.bits(3)?),
                            _ => (0, 11 + b.bits(7)?),
                        };
                        for _ in 0..rep {
                            lens.push(v);
                        }
                    }
                    if lens.len() != hlit + hdist || lens[256] == 0 {
                        return Err("bad code lengths".into());
                    }
                    (Decoder::new(&lens[..hlit])?, Decoder::new(&lens[hlit..])?)
                };
                loop {
                    let s = lit.decode(&mut b)?;
                    if s < 256 {
                        out.push(s as u8);
                    } else if s == 256 {
                        break;
                    } else {
                        let s = s - 257;
                        if s >= 29 {
                            return Err("bad length symbol".into());
                        }
                        let len = LEN_BASE[s] as usize + b.bits(LEN_EXTRA[s] as u32)? as usize;
                        shortest = shortest.min(len);
                        let ds = dist.decode(&mut b)?;
                        if ds >= 30 {
                            return Err("bad distance symbol".into());
                        }
                        let dd = DIST_BASE[ds] as usize + b.bits(DIST_EXTRA[ds] as u32)? as usize;
                        if dd > out.len() || dd > 32768 {
                            return Err(format!("distance {dd} too far back"));
                        }
                        for _ in 0..len {
                            out.push(out[out.len() - dd]);
                        }
                    }
                }
            }
            _ => return Err("block type 3".into()),
        }
        blocks.push(BlockInfo {
            header_bit,
            bfinal,
            btype,
            stored_len,
            shortest,
        });
        if bfinal {
            if b.pos.div_ceil(8) != d.len() {
                return Err("data after the final block".into());
            }
            if b.pos & 7 != 0 && d[b.pos / 8] >> (b.pos & 7) != 0 {
                return Err("non-zero padding".into());
            }
            return Ok((out, blocks));
        }
    }
}

fn libdeflate_decode(d: &[u8], expect: usize) -> Vec<u8> {
    let mut out = vec![0u8; expect];
    let n = libdeflater::Decompressor::new()
        .deflate_decompress(d, &mut out)
        .unwrap_or_else(|e| panic!("libdeflate rejects the stream: {e:?}"));
    out.truncate(n);
    out
}

/// flate2 (zlib-compatible streaming inflate), which accepts a stream ending at a
/// sync point.
fn flate2_decode(d: &[u8]) -> Vec<u8> {
    let mut z = flate2::Decompress::new(false);
    let mut out = Vec::with_capacity(d.len() * 4 + 64);
    loop {
        if out.len() == out.capacity() {
            out.reserve(out.capacity());
        }
        let (in0, out0) = (z.total_in(), z.total_out());
        let status = z
            .decompress_vec(
                &d[z.total_in() as usize..],
                &mut out,
                flate2::FlushDecompress::Sync,
            )
            .unwrap_or_else(|e| panic!("flate2 rejects the stream: {e}"));
        let done = z.total_in() as usize == d.len() && out.len() < out.capacity();
        let stuck = z.total_in() == in0 && z.total_out() == out0;
        if status == flate2::Status::StreamEnd || done || stuck {
            break;
        }
    }
    out
}

/// Checks everything a caller may rely on about one `compress` output.
fn check(src: &[u8], out: &[u8], o: CompressOutcome, opts: &CompressOptions, ctx: &str) {
    if !o.overflow {
        assert_eq!(o.consumed, src.len(), "{ctx}: consumed");
    }
    if o.overflow && o.consumed == 0 {
        assert_eq!(o.produced, 0, "{ctx}: nothing consumed but output produced");
        return;
    }
    let out = &out[..o.produced];
    let (data, blocks) = walk(out).unwrap_or_else(|e| panic!("{ctx}: {e}"));
    assert_eq!(data.len(), o.consumed, "{ctx}: decoded length");
    assert!(data == src[..o.consumed], "{ctx}: decoded data differs");
    let last = *blocks.last().expect("at least one block");
    assert_eq!(last.header_bit, o.terminator_bit, "{ctx}: terminator bit");
    let final_stream = opts.flush == Flush::Final && !o.overflow;
    if final_stream {
        assert!(last.bfinal, "{ctx}: no BFINAL");
        assert_eq!(out[o.terminator_bit / 8] >> (o.terminator_bit % 8) & 1, 1);
        assert!(
            libdeflate_decode(out, src.len()) == src,
            "{ctx}: libdeflate"
        );
    } else {
        assert!(
            blocks.iter().all(|b| !b.bfinal),
            "{ctx}: BFINAL in a sync output"
        );
        assert_eq!(
            (last.btype, last.stored_len),
            (0, Some(0)),
            "{ctx}: no sync marker"
        );
        assert!(
            out.ends_with(&[0, 0, 0xFF, 0xFF]),
            "{ctx}: sync marker bytes"
        );
        let mut patched = out.to_vec();
        patched[o.terminator_bit / 8] |= 1 << (o.terminator_bit % 8);
        assert!(
            libdeflate_decode(&patched, o.consumed) == src[..o.consumed],
            "{ctx}: patched"
        );
    }
    if opts.huffman == HuffmanMode::Static {
        let data_blocks = if final_stream {
            &blocks[..]
        } else {
            &blocks[..blocks.len() - 1]
        };
        assert!(
            data_blocks.iter().all(|b| b.btype == 1),
            "{ctx}: non-static block {blocks:?}"
        );
    }
    assert!(flate2_decode(out) == src[..o.consumed], "{ctx}: flate2");
}

fn opts(depth: u16, huffman: HuffmanMode, flush: Flush, min_match: u8) -> CompressOptions {
    CompressOptions {
        depth: SearchDepth(depth),
        huffman,
        flush,
        min_match,
    }
}

const DEPTHS: [u16; 7] = [1, 4, 6, 8, 9, 16, 128];

fn all_options() -> Vec<CompressOptions> {
    let mut v = Vec::new();
    for d in DEPTHS {
        for h in [HuffmanMode::Static, HuffmanMode::Dynamic] {
            for f in [Flush::Final, Flush::Sync] {
                for mm in [3, 4] {
                    v.push(opts(d, h, f, mm));
                }
            }
        }
    }
    v
}

fn round_trip_all(c: &mut DeflateCompressor, name: &str, src: &[u8]) {
    let mut out = vec![0u8; deflate_compress_bound(src.len()) + 16];
    for o in all_options() {
        let r = c.compress(src, &mut out, &o);
        assert!(
            !r.overflow,
            "{name} {o:?}: overflow with a compress-bound buffer"
        );
        assert!(
            r.produced <= deflate_compress_bound(src.len()),
            "{name} {o:?}: above bound"
        );
        check(src, &out, r, &o, &format!("{name} {o:?}"));
    }
}

// ---------------------------------------------------------------- tests

#[test]
fn round_trips_corpora() {
    let mut c = DeflateCompressor::new();
    round_trip_all(&mut c, "calgary32", &corpus("calgary32", usize::MAX));
    round_trip_all(&mut c, "canterbury", &corpus("canterbury", 300_000));
}

#[test]
fn round_trips_edge_inputs() {
    let mut c = DeflateCompressor::new();
    round_trip_all(&mut c, "empty", b"");
    round_trip_all(&mut c, "one byte", b"x");
    round_trip_all(&mut c, "three bytes", b"abc");
    round_trip_all(&mut c, "zeros 1 MiB", &vec![0u8; 1 << 20]);
    round_trip_all(&mut c, "random", &random_bytes(200_000, 7));
    round_trip_all(&mut c, "runs", &runs(300_000));
    let mut mixed = corpus("calgary32", 20_000);
    mixed.extend(random_bytes(70_000, 3));
    mixed.extend(corpus("canterbury", 90_000));
    round_trip_all(&mut c, "text random text", &mixed);
}

#[test]
fn empty_input_streams() {
    let mut c = DeflateCompressor::new();
    let mut out = [0xAAu8; 16];
    let r = c.compress(
        b"",
        &mut out,
        &opts(1, HuffmanMode::Dynamic, Flush::Final, 4),
    );
    assert_eq!(
        (r.consumed, r.produced, r.overflow, r.terminator_bit),
        (0, 2, false, 0)
    );
    assert_eq!(&out[..2], &[0x03, 0x00]); // final static block holding only end-of-block
    let r = c.compress(b"", &mut out, &opts(1, HuffmanMode::Static, Flush::Sync, 4));
    assert_eq!(
        (r.consumed, r.produced, r.overflow, r.terminator_bit),
        (0, 5, false, 0)
    );
    assert_eq!(&out[..5], &[0, 0, 0, 0xFF, 0xFF]);
}

#[test]
fn sync_outputs_concatenate_into_one_stream() {
    let mut c = DeflateCompressor::new();
    let src = corpus("canterbury", 400_000);
    let cuts = [0, 1, 5000, 70_000, 70_001, 200_000, 333_333, 400_000];
    for h in [HuffmanMode::Static, HuffmanMode::Dynamic] {
        let mut stream = Vec::new();
        for (k, w) in cuts.windows(2).enumerate() {
            let piece = &src[w[0]..w[1]];
            let flush = if k == cuts.len() - 2 {
                Flush::Final
            } else {
                Flush::Sync
            };
            let o = opts(DEPTHS[k % DEPTHS.len()], h, flush, 3 + (k % 2) as u8);
            let mut out = vec![0u8; deflate_compress_bound(piece.len())];
            let r = c.compress(piece, &mut out, &o);
            assert!(!r.overflow);
            if flush == Flush::Sync {
                assert!(out[..r.produced].ends_with(&[0, 0, 0xFF, 0xFF]));
            }
            stream.extend_from_slice(&out[..r.produced]);
        }
        assert!(libdeflate_decode(&stream, src.len()) == src, "{h:?}");
        let (data, _) = walk(&stream).expect("walk");
        assert!(data == src);
    }
}

/// Compresses `src` through a destination of `cap` bytes, resubmitting from
/// `consumed` after each overflow, and checks that the pieces rebuild the input.
fn overflow_resubmit(c: &mut DeflateCompressor, src: &[u8], cap: usize, o: &CompressOptions) {
    let mut dst = vec![0u8; cap];
    let mut stream = Vec::new();
    let mut pos = 0;
    loop {
        let r = c.compress(&src[pos..], &mut dst, o);
        let ctx = format!("cap {cap} at {pos} {o:?}");
        assert!(r.produced <= cap, "{ctx}");
        check(&src[pos..], &dst, r, o, &ctx);
        if r.consumed == 0 {
            assert!(r.overflow && r.produced == 0, "{ctx}");
            // No progress possible at this size: the rest goes through a large buffer.
            let mut big = vec![0u8; deflate_compress_bound(src.len() - pos)];
            let r = c.compress(&src[pos..], &mut big, o);
            assert!(!r.overflow);
            stream.extend_from_slice(&big[..r.produced]);
            break;
        }
        stream.extend_from_slice(&dst[..r.produced]);
        pos += r.consumed;
        if !r.overflow {
            break;
        }
    }
    let mut whole = stream.clone();
    if o.flush == Flush::Sync {
        // A Sync output is completed by setting BFINAL of its last (empty) block.
        let (_, blocks) = walk(&stream).expect("walk");
        let t = blocks.last().expect("block").header_bit;
        whole[t / 8] |= 1 << (t % 8);
    }
    assert!(
        libdeflate_decode(&whole, src.len()) == src,
        "cap {cap} {o:?}"
    );
}

#[test]
fn overflow_prefix_then_resubmit() {
    let mut c = DeflateCompressor::new();
    let big_src = corpus("canterbury", 150_000);
    let small_src = corpus("calgary32", 4000);
    for o in [
        opts(1, HuffmanMode::Dynamic, Flush::Final, 4),
        opts(1, HuffmanMode::Static, Flush::Sync, 4),
        opts(9, HuffmanMode::Dynamic, Flush::Sync, 3),
        opts(128, HuffmanMode::Static, Flush::Final, 3),
    ] {
        // Tiny destinations take many rounds: they get a small input.
        for cap in [0, 1, 5, 9, 13, 20, 100, 1000] {
            overflow_resubmit(&mut c, &small_src, cap, &o);
        }
        let mut big = vec![0u8; deflate_compress_bound(big_src.len())];
        let full = c.compress(&big_src, &mut big, &o).produced;
        let mut caps = vec![10_000, 30_000];
        for d in [0usize, 1, 2, 3, 4, 5, 8, 100, 5000] {
            caps.push(full.saturating_sub(d));
            caps.push(full + d);
        }
        for cap in caps {
            overflow_resubmit(&mut c, &big_src, cap, &o);
        }
    }
}

#[test]
fn overflow_with_incompressible_and_small_inputs() {
    let mut c = DeflateCompressor::new();
    let rnd = random_bytes(140_000, 99);
    for o in [
        opts(1, HuffmanMode::Dynamic, Flush::Final, 4),
        opts(6, HuffmanMode::Static, Flush::Final, 4),
    ] {
        for cap in [0, 3, 4, 5, 6, 10, 11, 12, 50] {
            overflow_resubmit(&mut c, &rnd[..2000], cap, &o);
        }
        for cap in [65_540, 65_545, 140_000, 140_010, 140_020] {
            overflow_resubmit(&mut c, &rnd, cap, &o);
        }
        for n in [0usize, 1, 2, 10] {
            for cap in 0..16 {
                let src = &rnd[..n];
                let mut dst = vec![0u8; cap];
                let r = c.compress(src, &mut dst, &o);
                assert!(r.produced <= cap);
                check(src, &dst, r, &o, &format!("n {n} cap {cap}"));
            }
        }
    }
}

#[test]
fn every_destination_size_is_safe() {
    // Small inputs and every destination size up to the full output: no panic,
    // and every output is a valid prefix.
    let mut c = DeflateCompressor::new();
    let src = corpus("calgary32", 3000);
    for o in [
        opts(1, HuffmanMode::Dynamic, Flush::Sync, 4),
        opts(16, HuffmanMode::Dynamic, Flush::Final, 3),
    ] {
        let mut big = vec![0u8; 8192];
        let full = c.compress(&src, &mut big, &o).produced;
        for cap in 0..=full + 2 {
            let mut dst = vec![0u8; cap];
            let r = c.compress(&src, &mut dst, &o);
            assert_eq!(r.overflow, cap < full, "cap {cap}");
            check(&src, &dst, r, &o, &format!("cap {cap}"));
        }
    }
}

#[test]
fn static_mode_has_only_static_blocks_even_on_random_data() {
    let mut c = DeflateCompressor::new();
    let src = random_bytes(100_000, 5);
    let mut out = vec![0u8; deflate_compress_bound(src.len())];
    let o = opts(1, HuffmanMode::Static, Flush::Final, 4);
    let r = c.compress(&src, &mut out, &o);
    let (_, blocks) = walk(&out[..r.produced]).expect("walk");
    assert!(blocks.iter().all(|b| b.btype == 1));
    // Dynamic mode stores incompressible data instead.
    let o = opts(1, HuffmanMode::Dynamic, Flush::Final, 4);
    let r = c.compress(&src, &mut out, &o);
    let (_, blocks) = walk(&out[..r.produced]).expect("walk");
    assert!(blocks.iter().all(|b| b.btype == 0), "{blocks:?}");
    // A block whose last match ran past 65 535 bytes is stored as two blocks.
    assert!(r.produced <= stored_size(src.len()) + 10, "{}", r.produced);
}

#[test]
fn write_stored_sizes_and_overflow() {
    let src = random_bytes(200_000, 11);
    for n in [0usize, 1, 65_535, 65_536, 200_000] {
        for flush in [Flush::Final, Flush::Sync] {
            let s = &src[..n];
            let mut dst = vec![0u8; stored_size(n) + 5];
            let r = write_stored(s, &mut dst, flush);
            let expect = stored_size(n) + if flush == Flush::Sync && n > 0 { 5 } else { 0 };
            assert_eq!(
                (r.consumed, r.produced, r.overflow),
                (n, expect, false),
                "n {n} {flush:?}"
            );
            let (data, blocks) = walk(&dst[..r.produced]).expect("walk");
            assert!(data == s);
            assert!(blocks.iter().all(|b| b.btype == 0));
            assert_eq!(blocks.last().map(|b| b.header_bit), Some(r.terminator_bit));
            let o = opts(1, HuffmanMode::Dynamic, flush, 4);
            check(s, &dst, r, &o, &format!("stored n {n} {flush:?}"));
            // Overflow: every cap around the block boundaries.
            for cap in [0, 4, 5, 9, 10, 11, 100, 65_544, 65_545, 65_546, expect - 1] {
                let mut dst = vec![0u8; cap];
                let r = write_stored(s, &mut dst, flush);
                assert!(r.produced <= cap);
                check(s, &dst, r, &o, &format!("stored n {n} cap {cap} {flush:?}"));
                if cap < expect {
                    assert!(r.overflow, "n {n} cap {cap}");
                }
            }
        }
    }
}

#[test]
fn compression_ratios_are_sane() {
    let data = corpus("calgary", usize::MAX);
    let mut c = DeflateCompressor::new();
    let mut out = vec![0u8; deflate_compress_bound(65_536)];
    let mut ratio = |o: CompressOptions| {
        let mut total = 0;
        for chunk in data.chunks(65_536) {
            let r = c.compress(chunk, &mut out, &o);
            assert!(!r.overflow);
            total += r.produced;
        }
        total as f64 / data.len() as f64
    };
    let d1 = ratio(opts(1, HuffmanMode::Dynamic, Flush::Final, 4));
    let s1 = ratio(opts(1, HuffmanMode::Static, Flush::Final, 4));
    let d6 = ratio(opts(6, HuffmanMode::Dynamic, Flush::Final, 4));
    let d128 = ratio(opts(128, HuffmanMode::Dynamic, Flush::Final, 4));
    assert!(d1 < 0.40, "depth 1 dynamic: {d1}");
    assert!(s1 < 0.52 && s1 > d1, "depth 1 static: {s1}");
    assert!(d6 < d1 && d6 < 0.355, "depth 6: {d6}");
    assert!(d128 <= d6 && d128 < 0.35, "depth 128: {d128}");
}

#[test]
fn reused_compressor_gives_identical_output() {
    // Tables left by earlier requests (of any depth) must not change the output.
    let src = corpus("calgary32", usize::MAX);
    let mut out1 = vec![0u8; deflate_compress_bound(src.len())];
    let mut out2 = out1.clone();
    for o in all_options() {
        let r1 = DeflateCompressor::new().compress(&src, &mut out1, &o);
        let mut c = DeflateCompressor::new();
        for d in [128u16, 1, 6] {
            let warm = opts(d, HuffmanMode::Dynamic, Flush::Final, 3);
            c.compress(&src[1000..], &mut out2, &warm);
        }
        let r2 = c.compress(&src, &mut out2, &o);
        assert_eq!(r1, r2, "{o:?}");
        assert!(out1[..r1.produced] == out2[..r2.produced], "{o:?}");
    }
}

#[test]
fn min_match_controls_length_three_matches() {
    let src = corpus("calgary32", usize::MAX);
    let mut c = DeflateCompressor::new();
    let mut out = vec![0u8; deflate_compress_bound(src.len())];
    for d in DEPTHS {
        let shortest = |c: &mut DeflateCompressor, out: &mut [u8], mm| {
            let r = c.compress(&src, out, &opts(d, HuffmanMode::Dynamic, Flush::Final, mm));
            let (_, blocks) = walk(&out[..r.produced]).expect("walk");
            (
                blocks
                    .iter()
                    .map(|b| b.shortest)
                    .min()
                    .unwrap_or(usize::MAX),
                r.produced,
            )
        };
        let (s4, n4) = shortest(&mut c, &mut out, 4);
        let (s3, n3) = shortest(&mut c, &mut out, 3);
        assert!(
            s4 >= 4,
            "depth {d}: min_match 4 produced a length-{s4} match"
        );
        if d > 1 {
            assert_eq!(s3, 3, "depth {d}: min_match 3 found no length-3 match");
            // On text they are about a wash: they must not cost more than 1%.
            assert!(n3 * 100 <= n4 * 101, "depth {d}: {n3} vs {n4}");
        }
    }
}

#[test]
fn portable_and_simd_kernels_give_identical_output() {
    // The loops compiled for AVX2/BMI2 (where this CPU has them) and the
    // portable ones are the same source: outputs must agree bit for bit, and
    // the portable output must decode with the independent decoders too.
    let mut fast = DeflateCompressor::new();
    let detected = fast.set_kernels(Kernels::detect());
    let mut portable = DeflateCompressor::new();
    assert_eq!(portable.set_kernels(Kernels::Portable), Kernels::Portable);
    let mut inputs = vec![
        corpus("calgary32", usize::MAX),
        random_bytes(100_000, 11),
        runs(150_000),
        vec![0u8; 70_000],
    ];
    for n in [1, 2, 5, 19, 20, 21, 100, 4095, 4096, 4097, 65_536, 65_537] {
        inputs.push(corpus("canterbury", n));
    }
    let mut out_f = vec![0u8; deflate_compress_bound(200_000)];
    let mut out_p = out_f.clone();
    for src in &inputs {
        for d in [1, 6] {
            for h in [HuffmanMode::Static, HuffmanMode::Dynamic] {
                for f in [Flush::Final, Flush::Sync] {
                    for mm in [3, 4] {
                        let o = opts(d, h, f, mm);
                        let rf = fast.compress(src, &mut out_f, &o);
                        let rp = portable.compress(src, &mut out_p, &o);
                        let ctx = format!("{} bytes {o:?} ({detected:?})", src.len());
                        assert_eq!(rf, rp, "{ctx}");
                        assert!(out_f[..rf.produced] == out_p[..rp.produced], "{ctx}");
                        check(src, &out_p, rp, &o, &ctx);
                    }
                }
            }
        }
    }
}
