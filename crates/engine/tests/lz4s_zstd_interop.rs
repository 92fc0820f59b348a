//! LZ4S output and the zstd frames made from it, checked by independent
//! decoders: an LZ4S decoder written here from the format description, the
//! zstd crate (libzstd) and the system `zstd` tool (which must be
//! installed; `.ci/run` installs it).
//!
//! The LZ4S format, as this decoder reads it (and as intel/QAT-ZSTD-Plugin
//! consumes QAT's output): sequences of a token (high nibble literal count,
//! low nibble match field, 15 = continued by bytes up to a non-255 one),
//! the literals, then — unless the block ends there — a 16-bit
//! little-endian offset and the match field's continuation. A non-zero
//! match field stands for `field + minMatch - 1` bytes; a zero field is no
//! match.
//!
//! The zstd crate has no safe sequence-compression API (only zstd-sys's
//! experimental bindings), so LZ4S is not re-encoded through libzstd: the
//! frames softqat builds from it are decoded by libzstd instead.

use std::io::Write;
use std::process::{Command, Stdio};

use softqat_engine::deflate::compress::DeflateCompressor;
use softqat_engine::deflate::SearchDepth;
use softqat_engine::lz4s;
use softqat_engine::zstd::{self, FrameOptions, ZstdEncoder, ZstdError};

mod common;

/// Independent LZ4S decoder; `None` for a block that is not valid LZ4S.
fn lz4s_decode(block: &[u8], min_match: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0usize;
    let length = |i: &mut usize, mut v: usize| -> Option<usize> {
        if v == 15 {
            loop {
                let b = *block.get(*i)?;
                *i += 1;
                v += b as usize;
                if b != 255 {
                    break;
                }
            }
        }
        Some(v)
    };
    while i < block.len() {
        let token = block[i];
        i += 1;
        let lits = length(&mut i, usize::from(token >> 4))?;
        out.extend_from_slice(block.get(i..i + lits)?);
        i += lits;
        if i == block.len() {
            return Some(out);
        }
        let offset = usize::from(u16::from_le_bytes([*block.get(i)?, *block.get(i + 1)?]));
        i += 2;
        let field = length(&mut i, usize::from(token & 15))?;
        if field == 0 {
            continue;
        }
        if offset == 0 || offset > out.len() {
            return None;
        }
        for _ in 0..field + min_match - 1 {
            out.push(out[out.len() - offset]);
        }
    }
    // A block must end with a literals-only sequence.
    None
}

/// xorshift bytes.
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// `data` with bytes flipped, zeroed runs and copied spans, by seed.
fn mutate(data: &[u8], seed: u64) -> Vec<u8> {
    let mut d = data.to_vec();
    let r = noise(64, seed);
    for k in 0..16 {
        let at = (usize::from(r[k]) << 8 | usize::from(r[k + 16])) * 31 % d.len().max(1);
        match k % 3 {
            0 => d[at] ^= r[k + 32] | 1,
            1 => {
                let end = (at + usize::from(r[k + 48]) * 40).min(d.len());
                d[at..end].fill(0);
            }
            _ => {
                let len = usize::from(r[k + 48]) * 3;
                if at >= len && at + len <= d.len() {
                    d.copy_within(at - len..at, at);
                }
            }
        }
    }
    d
}

fn inputs() -> Vec<(String, Vec<u8>)> {
    let calgary = common::corpus("calgary");
    let canterbury = common::corpus("canterbury");
    let mut v = vec![
        ("empty".to_string(), vec![]),
        ("one byte".to_string(), vec![42]),
        (
            "short text".to_string(),
            b"abcabcabd hello hello hello".to_vec(),
        ),
        ("calgary 700K".to_string(), calgary[..700_000].to_vec()),
        (
            "canterbury xls+ptt5".to_string(),
            canterbury[1_000_000..1_600_000].to_vec(),
        ),
        ("noise 150K".to_string(), noise(150_000, 7)),
        ("zeros 300K".to_string(), vec![0; 300_000]),
        (
            "two-byte period".to_string(),
            b"ab".iter().cycle().take(200_001).copied().collect(),
        ),
        (
            "high bytes".to_string(),
            (0..90_000u64).map(|i| 128 + (i * i % 97) as u8).collect(),
        ),
    ];
    for seed in 1..=4u64 {
        let at = (seed as usize) * 400_000;
        v.push((
            format!("mutated calgary #{seed}"),
            mutate(&calgary[at..at + 120_000], seed),
        ));
    }
    for n in [2usize, 3, 4, 5, 13, 64, 255, 4096] {
        v.push((format!("noise {n}"), noise(n, n as u64)));
    }
    v
}

/// LZ4S of `src` at `depth` / `min_match`, checked against the bound.
fn lz4s_of(c: &mut DeflateCompressor, src: &[u8], depth: u16, mm: u8) -> Vec<u8> {
    let bound = lz4s::compress_bound(src.len() as u64) as usize;
    let mut out = vec![0u8; bound];
    let o = lz4s::compress(c, src, &mut out, SearchDepth(depth), mm);
    assert_eq!((o.consumed, o.overflow), (src.len(), false));
    assert!(o.produced <= bound);
    out.truncate(o.produced);
    out
}

#[test]
fn lz4s_decodes_independently_and_zstd_frames_decode_with_libzstd() {
    let mut c = DeflateCompressor::new();
    let mut enc = ZstdEncoder::new();
    let (mut total_in, mut total_lz4s, mut total_zstd) = (0usize, 0usize, 0usize);
    for (name, src) in inputs() {
        for depth in [1u16, 6, 9] {
            for mm in [3u8, 4] {
                let block = lz4s_of(&mut c, &src, depth, mm);
                let back = lz4s_decode(&block, usize::from(mm));
                assert!(
                    back.as_deref() == Some(&src[..]),
                    "{name} depth {depth} mm {mm}"
                );
                // The other minimum match reads it differently (unless it
                // has no matches).
                let other = lz4s_decode(&block, usize::from(7 - mm));
                if block.len() < src.len() {
                    assert!(other.as_deref() != Some(&src[..]), "{name}");
                }

                let bound = zstd::compress_bound(src.len());
                let mut frame = vec![0u8; bound];
                let n = enc.lz4s_to_zstd(&src, &block, mm, &mut frame).unwrap();
                assert!(n <= bound);
                frame.truncate(n);
                let decoded = ::zstd::stream::decode_all(&frame[..])
                    .unwrap_or_else(|e| panic!("{name} depth {depth} mm {mm}: libzstd: {e}"));
                assert!(
                    decoded == src,
                    "{name} depth {depth} mm {mm}: content differs"
                );
                if depth == 6 && mm == 3 {
                    total_in += src.len();
                    total_lz4s += block.len();
                    total_zstd += n;
                }
            }
        }
    }
    // zstd's entropy coding must improve on LZ4S's bytes.
    assert!(
        total_zstd < total_lz4s,
        "{total_zstd} vs {total_lz4s} of {total_in}"
    );
    eprintln!("depth 6, min match 3: {total_in} bytes -> LZ4S {total_lz4s} -> zstd {total_zstd}");
}

/// A frame over several requests, as a file compressor writes it.
fn multi_request_frame(src: &[u8], request: usize, mm: u8, declare: bool) -> Vec<u8> {
    let mut c = DeflateCompressor::new();
    let mut enc = ZstdEncoder::new();
    let mut out = vec![0u8; zstd::compress_bound(src.len()) + src.len() / request * 8];
    let opts = FrameOptions {
        content_size: declare.then_some(src.len() as u64),
        checksum: true,
    };
    let mut at = enc.begin_frame(opts, &mut out).unwrap();
    let chunks: Vec<&[u8]> = src.chunks(request).collect();
    for (k, chunk) in chunks.iter().enumerate() {
        let block = lz4s_of(&mut c, chunk, 6, mm);
        let last = k + 1 == chunks.len();
        at += enc
            .blocks_from_lz4s(chunk, &block, mm, last, &mut out[at..])
            .unwrap();
    }
    out.truncate(at);
    out
}

#[test]
fn multi_request_frames_decode_with_the_zstd_tool() {
    let calgary = common::corpus("calgary");
    let src = &calgary[..1_000_000];
    for (request, mm, declare) in [(65_536, 3, true), (200_000, 4, false), (1 << 20, 3, true)] {
        let frame = multi_request_frame(src, request, mm, declare);
        assert_eq!(::zstd::stream::decode_all(&frame[..]).unwrap(), src);
        let mut child = Command::new("zstd")
            .args(["-d", "-c", "-q"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the zstd tool must be installed (apt-get install zstd; .ci/run does it)");
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || stdin.write_all(&frame));
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        assert!(
            out.status.success(),
            "zstd -d: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stdout == src,
            "request {request}: zstd -d output differs"
        );
    }
}

#[test]
fn bounds_hold_on_incompressible_input() {
    let mut c = DeflateCompressor::new();
    let mut enc = ZstdEncoder::new();
    for n in [1usize, 15, 16, 270, 2000, 65_535, 65_536, 65_537, 300_000] {
        let src = noise(n, n as u64 + 11);
        let block = lz4s_of(&mut c, &src, 1, 4);
        // qatlib's gen4 formula leaves room; softqat stays within it.
        assert!(block.len() as u64 <= lz4s::compress_bound(n as u64));
        let mut frame = vec![0u8; zstd::compress_bound(n)];
        let len = enc.lz4s_to_zstd(&src, &block, 4, &mut frame).unwrap();
        assert!(len <= zstd::compress_bound(n), "{n}");
        // Too short a destination is an error, not a panic.
        let mut short = vec![0u8; len - 1];
        assert!(matches!(
            enc.lz4s_to_zstd(&src, &block, 4, &mut short),
            Err(ZstdError::Overflow(_))
        ));
    }
}

#[test]
fn lz4s_that_does_not_rebuild_the_source_is_refused() {
    let mut c = DeflateCompressor::new();
    let mut enc = ZstdEncoder::new();
    let src = common::corpus("calgary32");
    let block = lz4s_of(&mut c, &src, 6, 3);
    let mut frame = vec![0u8; zstd::compress_bound(src.len())];
    let mut other = src.clone();
    other[20_000] ^= 1;
    assert!(matches!(
        enc.lz4s_to_zstd(&other, &block, 3, &mut frame),
        Err(ZstdError::Mismatch { .. })
    ));
    // Read with the wrong minimum match, the lengths do not add up.
    assert!(enc.lz4s_to_zstd(&src, &block, 4, &mut frame).is_err());
    assert!(matches!(
        enc.lz4s_to_zstd(&src, &block[..block.len() - 1], 3, &mut frame),
        Err(ZstdError::Lz4s(_) | ZstdError::Mismatch { .. })
    ));
    assert_eq!(
        enc.blocks_from_lz4s(&src, &block, 3, true, &mut frame),
        Err(ZstdError::NoFrame)
    );
    // A declared size is held to.
    let opts = FrameOptions {
        content_size: Some(5),
        checksum: false,
    };
    enc.begin_frame(opts, &mut frame).unwrap();
    assert!(matches!(
        enc.blocks_from_lz4s(&src, &block, 3, true, &mut frame),
        Err(ZstdError::ContentSize { .. })
    ));
}

#[test]
fn mutated_lz4s_is_refused_or_rebuilds_the_source_exactly() {
    let mut c = DeflateCompressor::new();
    let mut enc = ZstdEncoder::new();
    let calgary = common::corpus("calgary");
    let src = &calgary[100_000..140_000];
    let block = lz4s_of(&mut c, src, 6, 3);
    let mut frame = vec![0u8; zstd::compress_bound(src.len())];
    let mut out = vec![0u8; src.len()];
    let (mut refused, mut accepted) = (0, 0);
    for seed in 0..400u64 {
        let r = noise(8, seed + 1000);
        let mut bad = block.clone();
        let at = (usize::from(r[0]) << 8 | usize::from(r[1])) % bad.len();
        match seed % 4 {
            0 => bad[at] ^= r[2] | 1,
            1 => bad.truncate(at),
            2 => bad.insert(at, r[3]),
            _ => {
                bad[at] = r[4];
                let at2 = (at + usize::from(r[5]) + 1) % bad.len();
                bad[at2] = r[6];
            }
        }
        // Neither softqat's decoder nor the coder may panic; the coder
        // accepts only a block that rebuilds the source, and its frame
        // then decodes to it.
        let decoded = lz4s::decode(&bad, 3, &mut out);
        let indep = lz4s_decode(&bad, 3);
        if let Ok(n) = decoded {
            assert_eq!(indep.as_deref(), Some(&out[..n]), "seed {seed}");
        }
        match enc.lz4s_to_zstd(src, &bad, 3, &mut frame) {
            Ok(n) => {
                accepted += 1;
                assert_eq!(indep.as_deref(), Some(src), "seed {seed}");
                assert!(::zstd::stream::decode_all(&frame[..n]).unwrap() == src);
            }
            Err(_) => refused += 1,
        }
    }
    assert!(refused > 300, "{refused} refused, {accepted} accepted");
}
