//! Stateful deflate (`deflate::stream`) against independent implementations:
//!
//! - streams compressed in pieces — split at every boundary of a short
//!   input, at random boundaries of the Calgary corpus, with every flush
//!   and through overflows — decode with flate2 to the input, and the
//!   running checksums equal zlib-rs's one-shot CRC32 and Adler32; the
//!   output after a FULL flush decodes on its own;
//! - streams from flate2 and zlib-rs at every level (with sync and full
//!   flush points) and from softqat, fed to the resumable decoder split at
//!   every byte boundary (short streams) or at random (long ones), with
//!   destinations of random sizes, decode to the one-shot result;
//! - corrupt and truncated streams get, whatever the split, the status the
//!   one-shot inflater gives them, and a failed request leaves the context
//!   as it was; a context that is not a stream's is refused.
//!
//! Deterministic (xorshift, fixed seeds); a few seconds.

use std::io::{Read, Write};

use softqat_engine::deflate::compress::{CompressOptions, DeflateCompressor};
use softqat_engine::deflate::inflate::Inflater;
use softqat_engine::deflate::stream::{
    stream_compress, StreamChecksums, StreamFlush, StreamInflater, StreamOutcome, StreamRequest,
    DEFLATE_STATE_LEN, INFLATE_STATE_LEN,
};
use softqat_engine::deflate::{deflate_compress_bound, Flush, HuffmanMode, SearchDepth};
use softqat_engine::DcStatus;

mod common;
use common::corpus;

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
}

const BOTH: StreamChecksums = StreamChecksums {
    crc32: true,
    adler32: true,
};

/// zlib-rs's CRC32 of `data`.
fn zcrc32(data: &[u8]) -> u32 {
    // SAFETY: `data` is valid for its length.
    unsafe { libz_rs_sys::crc32(0, data.as_ptr(), data.len() as u32) as u32 }
}

/// zlib-rs's Adler32 of `data`.
fn zadler32(data: &[u8]) -> u32 {
    // SAFETY: `data` is valid for its length.
    unsafe { libz_rs_sys::adler32(1, data.as_ptr(), data.len() as u32) as u32 }
}

/// Raw inflate by flate2.
fn flate2_inflate(stream: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(stream)
        .read_to_end(&mut out)
        .expect("flate2 inflates the stream");
    out
}

fn opts(depth: u16, huffman: HuffmanMode) -> CompressOptions {
    CompressOptions {
        depth: SearchDepth(depth),
        huffman,
        flush: Flush::Final,
        min_match: 3,
    }
}

/// Compresses `pieces` of one stream, each with its flush (the last is
/// FINAL), resubmitting after overflows; destinations of `room(len)` bytes.
/// Returns the stream, the last outcome and the output offsets after each
/// FULL flush with the input offset there.
fn compress_pieces(
    c: &mut DeflateCompressor,
    o: &CompressOptions,
    input: &[u8],
    cuts: &[(usize, StreamFlush)],
    room: &mut dyn FnMut(usize) -> usize,
) -> (Vec<u8>, StreamOutcome, Vec<(usize, usize)>) {
    let mut ctx = vec![0xA5u8; DEFLATE_STATE_LEN];
    let mut out = Vec::new();
    let mut fulls = Vec::new();
    let mut start = true;
    let mut at = 0;
    let mut last = None;
    for &(end, flush) in cuts {
        let mut piece = &input[at..end];
        loop {
            let mut dst = vec![0u8; room(piece.len())];
            let req = StreamRequest {
                start,
                flush,
                sums: BOTH,
            };
            let r = stream_compress(c, &mut ctx, &req, piece, &mut dst, o);
            assert!(
                matches!(r.status, DcStatus::Ok | DcStatus::Overflow),
                "{r:?}"
            );
            if r.status == DcStatus::Overflow && r.consumed == 0 {
                // Nothing fits: the caller offers more room.
                let mut dst = vec![0u8; deflate_compress_bound(piece.len()) + 64];
                let r = stream_compress(c, &mut ctx, &req, piece, &mut dst, o);
                assert_eq!(r.status, DcStatus::Ok, "{r:?}");
                out.extend_from_slice(&dst[..r.produced]);
                start = false;
                last = Some(r);
                break;
            }
            start = false;
            out.extend_from_slice(&dst[..r.produced]);
            piece = &piece[r.consumed..];
            last = Some(r);
            if r.status == DcStatus::Ok {
                break;
            }
        }
        if flush == StreamFlush::Full {
            fulls.push((out.len(), end));
        }
        at = end;
    }
    (out, last.expect("at least one request"), fulls)
}

/// Checks a compressed stream and its checksums against zlib-rs/flate2.
fn check_compressed(input: &[u8], stream: &[u8], last: &StreamOutcome, fulls: &[(usize, usize)]) {
    assert!(flate2_inflate(stream) == input, "flate2 decodes the input");
    assert_eq!(last.crc32, zcrc32(input), "running CRC32");
    assert_eq!(last.adler32, zadler32(input), "running Adler32");
    for &(out_at, in_at) in fulls {
        // After a full flush the rest decodes without what came before.
        assert!(
            flate2_inflate(&stream[out_at..]) == input[in_at..],
            "the output after the FULL flush at input {in_at} decodes alone"
        );
    }
}

fn short_text() -> Vec<u8> {
    let mut v = b"Stateful deflate carries the history: abracadabra, abracadabra! "
        .repeat(3)
        .to_vec();
    v.extend((0..60u8).map(|i| i.wrapping_mul(37)));
    v.extend_from_slice(b"and the tail repeats abracadabra once more.");
    v
}

#[test]
fn short_input_compressed_in_two_pieces_split_at_every_boundary() {
    let input = short_text();
    let mut c = DeflateCompressor::new();
    let mut room = |n: usize| deflate_compress_bound(n) + 16;
    for (depth, huff) in [
        (1, HuffmanMode::Dynamic),
        (16, HuffmanMode::Dynamic),
        (4, HuffmanMode::Static),
    ] {
        let o = opts(depth, huff);
        for k in 0..=input.len() {
            for first in [StreamFlush::None, StreamFlush::Sync, StreamFlush::Full] {
                let cuts = [(k, first), (input.len(), StreamFlush::Final)];
                let (stream, last, fulls) = compress_pieces(&mut c, &o, &input, &cuts, &mut room);
                check_compressed(&input, &stream, &last, &fulls);
            }
        }
    }
}

#[test]
fn short_input_compressed_byte_by_byte_with_every_flush() {
    let input = short_text();
    let mut c = DeflateCompressor::new();
    let mut rng = Rng(0x5EED_0001);
    let mut room = |n: usize| deflate_compress_bound(n) + 16;
    for round in 0..12 {
        let o = opts([1, 4, 8, 16][round % 4], HuffmanMode::Dynamic);
        let mut cuts: Vec<(usize, StreamFlush)> = (1..input.len())
            .map(|k| {
                let f = [StreamFlush::None, StreamFlush::Sync, StreamFlush::Full][rng.below(3)];
                (k, if round < 4 { StreamFlush::None } else { f })
            })
            .collect();
        cuts.push((input.len(), StreamFlush::Final));
        let (stream, last, fulls) = compress_pieces(&mut c, &o, &input, &cuts, &mut room);
        check_compressed(&input, &stream, &last, &fulls);
    }
}

#[test]
fn corpus_compressed_in_random_pieces_with_overflows() {
    let calgary = corpus("calgary");
    let mut rng = Rng(0xCA16_A4E1);
    let mut c = DeflateCompressor::new();
    for (round, (depth, huff, len)) in [
        (1, HuffmanMode::Dynamic, 1 << 20),
        (16, HuffmanMode::Dynamic, 256 << 10),
        (1, HuffmanMode::Static, 256 << 10),
        (4, HuffmanMode::Dynamic, 256 << 10),
    ]
    .into_iter()
    .enumerate()
    {
        let from = rng.below(calgary.len() - len);
        let input = &calgary[from..from + len];
        let mut cuts = Vec::new();
        let mut at = 0;
        while at < len {
            let max = if rng.below(4) == 0 { 200 } else { 40_000 };
            at = (at + 1 + rng.below(max)).min(len);
            let f = if at == len {
                StreamFlush::Final
            } else {
                [StreamFlush::None, StreamFlush::Sync, StreamFlush::Full][rng.below(3)]
            };
            cuts.push((at, f));
        }
        // Every other round offers destinations smaller than the output
        // can be: overflows, resubmitted from `consumed`.
        let mut seed = Rng(0x0F10 + round as u64);
        let mut room = |n: usize| {
            if round % 2 == 1 {
                64 + seed.below(n + 64)
            } else {
                deflate_compress_bound(n) + 16
            }
        };
        let (stream, last, fulls) =
            compress_pieces(&mut c, &opts(depth, huff), input, &cuts, &mut room);
        check_compressed(input, &stream, &last, &fulls);
        assert!(
            stream.len() < len * 6 / 10,
            "round {round}: {} bytes from {len}",
            stream.len()
        );
    }
}

#[test]
fn history_reaches_across_requests() {
    // The second half repeats the first: with the history it costs a few
    // matches, without it (a FULL flush in between) it costs its size again.
    let calgary = corpus("calgary");
    let half = &calgary[100_000..116_000];
    let input = [half, half].concat();
    let mut c = DeflateCompressor::new();
    let mut room = |n: usize| deflate_compress_bound(n) + 16;
    let o = opts(1, HuffmanMode::Dynamic);
    let size = |c: &mut DeflateCompressor, f, room: &mut dyn FnMut(usize) -> usize| {
        let cuts = [(half.len(), f), (input.len(), StreamFlush::Final)];
        let (stream, last, fulls) = compress_pieces(c, &o, &input, &cuts, room);
        check_compressed(&input, &stream, &last, &fulls);
        stream.len()
    };
    let kept = size(&mut c, StreamFlush::Sync, &mut room);
    let dropped = size(&mut c, StreamFlush::Full, &mut room);
    assert!(kept * 10 < dropped * 6, "kept {kept}, dropped {dropped}");
}

/// Decodes `stream` with the resumable decoder in the pieces `cuts` gives,
/// destinations of `room()` bytes, resubmitting after overflows; the last
/// piece goes with FINAL. Returns the first status that is not OK/Overflow
/// (or OK) and the output.
fn inflate_pieces(
    d: &mut StreamInflater,
    stream: &[u8],
    cuts: &[usize],
    room: &mut dyn FnMut() -> usize,
) -> (DcStatus, Vec<u8>, StreamOutcome) {
    let mut ctx = vec![0x5Au8; INFLATE_STATE_LEN];
    let mut before = ctx.clone();
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut start = true;
    let mut at = 0;
    let mut last = StreamOutcome::failed(DcStatus::Ok);
    for (i, &end) in cuts.iter().enumerate() {
        let flush = if i + 1 == cuts.len() {
            StreamFlush::Final
        } else {
            [StreamFlush::None, StreamFlush::Sync, StreamFlush::Full][i % 3]
        };
        let mut piece = &stream[at..end];
        loop {
            let n = room();
            if buf.len() < n {
                buf.resize(n, 0);
            }
            let dst = &mut buf[..n];
            let req = StreamRequest {
                start,
                flush,
                sums: BOTH,
            };
            before.copy_from_slice(&ctx);
            let r = d.inflate(&mut ctx, &req, piece, dst);
            last = r;
            match r.status {
                DcStatus::Ok | DcStatus::Overflow => {}
                s => {
                    assert_eq!((r.consumed, r.produced), (0, 0));
                    assert!(
                        ctx == before,
                        "a failed request leaves the context as it was"
                    );
                    return (s, out, r);
                }
            }
            start = false;
            assert!(r.consumed <= piece.len() && r.produced <= dst.len());
            out.extend_from_slice(&dst[..r.produced]);
            piece = &piece[r.consumed..];
            if r.end_of_last_block {
                return (DcStatus::Ok, out, r);
            }
            if r.status == DcStatus::Ok {
                assert!(piece.is_empty(), "OK consumes the whole input");
                break;
            }
        }
        at = end;
    }
    (DcStatus::Ok, out, last)
}

fn random_cuts(rng: &mut Rng, len: usize, max_piece: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut at = 0;
    while at < len {
        at = (at + rng.below(max_piece + 1)).min(len);
        cuts.push(at);
    }
    if cuts.is_empty() {
        cuts.push(0);
    }
    cuts
}

/// Raw deflate by zlib-rs at `level`, with a flush (`Z_SYNC_FLUSH` or
/// `Z_FULL_FLUSH`) after every `every` bytes.
fn zlib_deflate(data: &[u8], level: i32, every: usize, full: bool) -> Vec<u8> {
    use libz_rs_sys::*;
    let mut out = vec![0u8; data.len() * 2 + 1024 + data.len() / every.max(1) * 16];
    // SAFETY: the stream is initialised by deflateInit2_ before use, its
    // buffers point into `data` and `out`, which outlive every call, and it
    // is released with deflateEnd.
    unsafe {
        let mut s = z_stream::default();
        let ret = deflateInit2_(
            &mut s,
            level,
            Z_DEFLATED,
            -15,
            8,
            Z_DEFAULT_STRATEGY,
            zlibVersion(),
            std::mem::size_of::<z_stream>() as i32,
        );
        assert_eq!(ret, Z_OK);
        s.next_out = out.as_mut_ptr();
        s.avail_out = out.len() as u32;
        for (i, chunk) in data.chunks(every.max(1)).enumerate() {
            s.next_in = chunk.as_ptr();
            s.avail_in = chunk.len() as u32;
            let last = (i + 1) * every.max(1) >= data.len();
            let flush = match (last, full) {
                (true, _) => Z_FINISH,
                (false, true) => Z_FULL_FLUSH,
                (false, false) => Z_SYNC_FLUSH,
            };
            let ret = deflate(&mut s, flush);
            assert!(ret == Z_OK || ret == Z_STREAM_END, "deflate {ret}");
        }
        if data.is_empty() {
            assert_eq!(deflate(&mut s, Z_FINISH), Z_STREAM_END);
        }
        out.truncate(s.total_out as usize);
        deflateEnd(&mut s);
    }
    out
}

fn flate2_deflate(data: &[u8], level: u32) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A one-shot softqat stream of `data`.
fn softqat_deflate(data: &[u8], depth: u16, huff: HuffmanMode) -> Vec<u8> {
    let mut dst = vec![0u8; deflate_compress_bound(data.len()) + 64];
    let r = DeflateCompressor::new().compress(data, &mut dst, &opts(depth, huff));
    assert!(!r.overflow);
    dst.truncate(r.produced);
    dst
}

/// Short streams of every kind: fixed, dynamic, stored, several blocks.
fn short_streams() -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let text = short_text();
    let mut v = Vec::new();
    for level in 0..=9 {
        v.push((
            format!("flate2 {level}"),
            text.clone(),
            flate2_deflate(&text, level),
        ));
        v.push((
            format!("zlib-rs {level} sync"),
            text.clone(),
            zlib_deflate(&text, level as i32, 50, false),
        ));
    }
    v.push((
        "zlib-rs full".into(),
        text.clone(),
        zlib_deflate(&text, 6, 70, true),
    ));
    v.push((
        "softqat static".into(),
        text.clone(),
        softqat_deflate(&text, 1, HuffmanMode::Static),
    ));
    v.push((
        "softqat dynamic".into(),
        text.clone(),
        softqat_deflate(&text, 16, HuffmanMode::Dynamic),
    ));
    v.push(("empty".into(), Vec::new(), flate2_deflate(&[], 6)));
    v
}

#[test]
fn short_streams_split_at_every_byte_boundary() {
    let mut d = StreamInflater::new();
    let mut room = || 1 << 16;
    for (name, plain, stream) in short_streams() {
        // Two pieces, cut at every byte.
        for k in 0..=stream.len() {
            let (s, out, last) = inflate_pieces(&mut d, &stream, &[k, stream.len()], &mut room);
            assert_eq!(s, DcStatus::Ok, "{name} cut at {k}");
            assert!(out == plain, "{name} cut at {k}");
            assert!(last.end_of_last_block, "{name} cut at {k}");
            assert_eq!(
                (last.crc32, last.adler32),
                (zcrc32(&plain), zadler32(&plain))
            );
        }
        // One byte per request.
        let cuts: Vec<usize> = (1..=stream.len()).collect();
        let (s, out, _) = inflate_pieces(&mut d, &stream, &cuts, &mut room);
        assert_eq!(s, DcStatus::Ok, "{name} byte by byte");
        assert!(out == plain, "{name} byte by byte");
    }
}

#[test]
fn short_streams_into_tiny_destinations() {
    let mut d = StreamInflater::new();
    let mut rng = Rng(0x7171);
    for (name, plain, stream) in short_streams() {
        for _ in 0..20 {
            let cuts = random_cuts(&mut rng, stream.len(), 9);
            let mut seed = Rng(rng.next() | 1);
            let mut room = || 1 + seed.below(40);
            let (s, out, _) = inflate_pieces(&mut d, &stream, &cuts, &mut room);
            assert_eq!(s, DcStatus::Ok, "{name}");
            assert!(out == plain, "{name}: cuts {cuts:?}");
        }
    }
}

#[test]
fn long_streams_split_at_random() {
    let calgary = corpus("calgary");
    let mut rng = Rng(0x10A6);
    let mut d = StreamInflater::new();
    let mut inf = Inflater::new();
    let mut streams = Vec::new();
    for level in [0u32, 1, 6, 9] {
        let from = rng.below(calgary.len() - 150_000);
        let plain = calgary[from..from + 150_000].to_vec();
        streams.push((
            format!("flate2 {level}"),
            flate2_deflate(&plain, level),
            plain,
        ));
    }
    for level in [1, 5, 9] {
        let from = rng.below(calgary.len() - 200_000);
        let plain = calgary[from..from + 200_000].to_vec();
        let every = 1 + rng.below(30_000);
        streams.push((
            format!("zlib-rs {level}"),
            zlib_deflate(&plain, level, every, level == 5),
            plain,
        ));
    }
    for (depth, huff) in [(1, HuffmanMode::Dynamic), (16, HuffmanMode::Static)] {
        let from = rng.below(calgary.len() - 200_000);
        let plain = calgary[from..from + 200_000].to_vec();
        streams.push((
            format!("softqat {depth}"),
            softqat_deflate(&plain, depth, huff),
            plain,
        ));
    }
    for (name, stream, plain) in streams {
        // The one-shot result is the reference.
        let mut whole = vec![0u8; plain.len() + 1024];
        let one = inf.inflate(&stream, &mut whole, true);
        assert_eq!(
            (one.status, one.produced),
            (DcStatus::Ok, plain.len()),
            "{name}"
        );
        for max_piece in [37, 300, 70_000] {
            let cuts = random_cuts(&mut rng, stream.len(), max_piece);
            let mut seed = Rng(rng.next() | 1);
            let mut room = || {
                if max_piece == 300 {
                    1 + seed.below(5_000)
                } else {
                    1 << 17
                }
            };
            let (s, out, last) = inflate_pieces(&mut d, &stream, &cuts, &mut room);
            assert_eq!(s, DcStatus::Ok, "{name} pieces up to {max_piece}");
            assert!(
                out == whole[..one.produced],
                "{name} pieces up to {max_piece}"
            );
            assert_eq!(last.crc32, zcrc32(&plain), "{name}");
        }
    }
}

#[test]
fn stateful_compression_decodes_statefully() {
    // softqat's stateful output, cut differently, through the resumable
    // decoder.
    let calgary = corpus("calgary");
    let input = &calgary[2_000_000..2_150_000];
    let mut rng = Rng(0xBEEF);
    let mut c = DeflateCompressor::new();
    let mut d = StreamInflater::new();
    let mut cuts = Vec::new();
    let mut at = 0;
    while at < input.len() {
        at = (at + 1 + rng.below(20_000)).min(input.len());
        let f = if at == input.len() {
            StreamFlush::Final
        } else {
            [StreamFlush::None, StreamFlush::Sync, StreamFlush::Full][rng.below(3)]
        };
        cuts.push((at, f));
    }
    let mut room = |n: usize| deflate_compress_bound(n) + 16;
    let (stream, ..) = compress_pieces(
        &mut c,
        &opts(8, HuffmanMode::Dynamic),
        input,
        &cuts,
        &mut room,
    );
    let dcuts = random_cuts(&mut rng, stream.len(), 3_000);
    let mut droom = || 4096;
    let (s, out, last) = inflate_pieces(&mut d, &stream, &dcuts, &mut droom);
    assert_eq!(s, DcStatus::Ok);
    assert!(out == input);
    assert!(last.end_of_last_block);
}

#[test]
fn corrupt_streams_get_the_one_shot_status_whatever_the_split() {
    let mut rng = Rng(0xC0DE);
    let mut d = StreamInflater::new();
    let mut inf = Inflater::new();
    let calgary = corpus("calgary");
    let mut bases = Vec::new();
    for level in [1u32, 6, 9] {
        let from = rng.below(calgary.len() - 4_000);
        bases.push(flate2_deflate(&calgary[from..from + 4_000], level));
    }
    bases.push(softqat_deflate(&calgary[..3_000], 1, HuffmanMode::Static));
    bases.push(zlib_deflate(&calgary[9_000..12_000], 0, 1_000, false));
    let mut statuses = std::collections::BTreeMap::<String, usize>::new();
    let mut whole = vec![0u8; 1 << 21];
    for case in 0..600 {
        let base = &bases[case % bases.len()];
        let mut s = base.clone();
        match rng.below(4) {
            0 => {
                // Flip a few bits.
                for _ in 0..1 + rng.below(3) {
                    let i = rng.below(s.len());
                    s[i] ^= 1 << rng.below(8);
                }
            }
            1 => s.truncate(rng.below(s.len())),
            2 => {
                // Overwrite a run with random bytes.
                let i = rng.below(s.len());
                let n = (1 + rng.below(8)).min(s.len() - i);
                for b in &mut s[i..i + n] {
                    *b = rng.next() as u8;
                }
            }
            _ => {
                // Random bytes altogether.
                s = (0..1 + rng.below(200)).map(|_| rng.next() as u8).collect();
            }
        }
        let one = inf.inflate(&s, &mut whole, true);
        if one.status == DcStatus::Overflow {
            continue;
        }
        *statuses.entry(one.status.name().to_string()).or_default() += 1;
        // Byte by byte for some cases; a small destination (a corrupt
        // stream may expand a lot) resubmitted after each overflow.
        let pieces: &[usize] = if case % 8 == 0 { &[1, 5, 64] } else { &[5, 64] };
        for &max_piece in pieces {
            let cuts = random_cuts(&mut rng, s.len(), max_piece);
            let mut room = || 1 << 14;
            let (status, out, _) = inflate_pieces(&mut d, &s, &cuts, &mut room);
            assert_eq!(status, one.status, "case {case}, pieces up to {max_piece}");
            if one.status == DcStatus::Ok {
                assert!(out == whole[..one.produced], "case {case}");
            }
        }
    }
    // The mutations reach the error classes.
    for s in [
        "CPA_DC_OK",
        "CPA_DC_INCOMPLETE_FILE_ERR",
        "CPA_DC_INVALID_CODE",
    ] {
        assert!(statuses.contains_key(s), "{statuses:?}");
    }
    assert!(statuses.len() >= 6, "{statuses:?}");
}

#[test]
fn a_context_that_is_not_a_stream_is_refused() {
    let mut d = StreamInflater::new();
    let mut c = DeflateCompressor::new();
    let stream = flate2_deflate(b"hello hello hello", 6);
    let mut dst = vec![0u8; 64];
    let mid = StreamRequest {
        start: false,
        flush: StreamFlush::None,
        sums: BOTH,
    };
    let mut rng = Rng(77);
    for fill in [0u8, 0xFF] {
        let mut ctx = vec![fill; INFLATE_STATE_LEN];
        ctx[0] = rng.next() as u8 | 1;
        let before = ctx.clone();
        let r = d.inflate(&mut ctx, &mid, &stream, &mut dst);
        assert_eq!(r.status, DcStatus::SoftErr);
        assert!(ctx == before);
        let mut ctx = vec![fill; DEFLATE_STATE_LEN];
        let r = stream_compress(
            &mut c,
            &mut ctx,
            &mid,
            b"abc",
            &mut dst,
            &opts(1, HuffmanMode::Dynamic),
        );
        assert_eq!(r.status, DcStatus::SoftErr);
    }
    // Too short a context.
    let mut ctx = vec![0u8; INFLATE_STATE_LEN - 1];
    let start = StreamRequest { start: true, ..mid };
    assert_eq!(
        d.inflate(&mut ctx, &start, &stream, &mut dst).status,
        DcStatus::SoftErr
    );
    // A valid stream state with a corrupted field: refused, not trusted.
    let mut ctx = vec![0u8; INFLATE_STATE_LEN];
    let r = d.inflate(&mut ctx, &start, &stream[..3], &mut dst);
    assert_eq!(r.status, DcStatus::Ok);
    let mut got = dst[..r.produced].to_vec();
    for (at, v) in [(1usize, 9u8), (3, 8), (5, 0xFF), (21, 0xFF)] {
        let mut bad = ctx.clone();
        bad[at] = v;
        assert_eq!(
            d.inflate(&mut bad, &mid, &stream[3..], &mut dst).status,
            DcStatus::SoftErr,
            "byte {at}"
        );
    }
    let r = d.inflate(&mut ctx, &mid, &stream[3..], &mut dst);
    assert_eq!(r.status, DcStatus::Ok);
    got.extend_from_slice(&dst[..r.produced]);
    assert_eq!(got, b"hello hello hello");
}

#[test]
fn consumed_stops_at_the_end_of_the_stream_whatever_the_split() {
    // A gzip-like trailer follows the deflate stream: the bytes consumed
    // over the requests add up to the stream's length exactly, so the
    // caller finds the trailer where `consumed` leaves it.
    let text = short_text();
    let mut d = StreamInflater::new();
    for stream in [
        flate2_deflate(&text, 9),
        softqat_deflate(&text, 1, HuffmanMode::Static),
    ] {
        let mut data = stream.clone();
        data.extend_from_slice(b"TRAILER!");
        for k in 1..data.len() {
            let mut ctx = vec![0u8; INFLATE_STATE_LEN];
            let mut out = vec![0u8; text.len() + 64];
            let mut total = 0;
            let mut produced = 0;
            let mut start = true;
            for piece in [&data[..k], &data[k..]] {
                let req = StreamRequest {
                    start,
                    flush: StreamFlush::None,
                    sums: BOTH,
                };
                let r = d.inflate(&mut ctx, &req, piece, &mut out[produced..]);
                assert_eq!(r.status, DcStatus::Ok, "cut at {k}");
                start = false;
                total += r.consumed;
                produced += r.produced;
                if r.end_of_last_block {
                    assert_eq!(total, stream.len(), "cut at {k}");
                    break;
                }
            }
            assert!(out[..produced] == text[..], "cut at {k}");
        }
    }
}
