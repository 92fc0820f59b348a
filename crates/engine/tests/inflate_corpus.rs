//! Valid streams from other compressors decode with both decoders.
//!
//! Inputs: the repository's `corpus/` (calgary32 whole, slices of calgary and
//! canterbury). Streams: flate2 raw deflate, gzip and zlib at levels 0–9;
//! the system `gzip -1`/`-9` (which must be installed); flate2 streams
//! with Sync and Full flushes, decoded whole and in partial requests that end
//! at a flush marker.

use std::io::Write;

use flate2::{Compress, Compression, FlushCompress};
use softqat_engine::checksum::{adler32, crc32};
use softqat_engine::deflate::decompress::Decompressor;
use softqat_engine::deflate::inflate::{InflateOutcome, Inflater};
use softqat_engine::framing::{
    parse_gzip_footer, parse_gzip_header, parse_zlib_footer, parse_zlib_header,
};
use softqat_engine::DcStatus;

mod common;
use common::corpus;

/// Test inputs: calgary32 whole and a few slices of the bigger corpora.
fn samples() -> Vec<(String, Vec<u8>)> {
    let mut v = vec![("calgary32".to_string(), corpus("calgary32"))];
    for name in ["calgary", "canterbury"] {
        let d = corpus(name);
        for (start, len) in [
            (0usize, 65_536usize),
            (1_000_000, 100_000),
            (d.len() - 5_000, 5_000),
            (12_345, 1),
        ] {
            if start + len <= d.len() {
                v.push((
                    format!("{name}[{start}..+{len}]"),
                    d[start..start + len].to_vec(),
                ));
            }
        }
    }
    v
}

/// Decodes a complete raw stream with both decoders; checks output, consumed
/// (`src` may be followed by `tail`, which only the exact path sees) and
/// end_of_last_block.
fn decode_both(name: &str, stream: &[u8], want: &[u8]) {
    let mut dst = vec![0u8; want.len()];
    let a = Inflater::new().inflate(stream, &mut dst, true);
    assert_eq!(
        (a.status, a.consumed, a.produced, a.end_of_last_block),
        (DcStatus::Ok, stream.len(), want.len(), true),
        "{name}: Inflater"
    );
    assert!(dst == want, "{name}: Inflater output differs");
    dst.fill(0);
    let b = Decompressor::new().decompress(stream, &mut dst, true);
    assert_eq!(a, b, "{name}: Decompressor");
    assert!(dst == want, "{name}: Decompressor output differs");
    // One byte less room is an overflow for both.
    if !want.is_empty() {
        let mut small = vec![0u8; want.len() - 1];
        assert_eq!(
            Inflater::new().inflate(stream, &mut small, true),
            InflateOutcome::failed(DcStatus::Overflow),
            "{name}"
        );
        assert_eq!(
            Decompressor::new().decompress(stream, &mut small, true),
            InflateOutcome::failed(DcStatus::Overflow),
            "{name}"
        );
    }
}

#[test]
fn flate2_raw_gzip_zlib_all_levels() {
    let mut inf = Inflater::new();
    for (name, data) in samples() {
        for level in 0..=9u32 {
            let ctx = format!("{name} level {level}");
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), Compression::new(level));
            e.write_all(&data).unwrap();
            decode_both(&format!("{ctx} raw"), &e.finish().unwrap(), &data);

            // gzip: header parsed by framing, body decoded by the exact path
            // with the footer still attached (consumed must stop before it).
            let mut e = flate2::write::GzEncoder::new(Vec::new(), Compression::new(level));
            e.write_all(&data).unwrap();
            let gz = e.finish().unwrap();
            let h = parse_gzip_header(&gz).unwrap();
            let mut dst = vec![0u8; data.len()];
            let o = inf.inflate(&gz[h.len..], &mut dst, true);
            assert_eq!(
                (o.status, o.produced),
                (DcStatus::Ok, data.len()),
                "{ctx} gzip"
            );
            assert_eq!(
                h.len + o.consumed + 8,
                gz.len(),
                "{ctx} gzip: consumed stops at the footer"
            );
            let (crc, isize) = parse_gzip_footer(&gz[h.len + o.consumed..]).unwrap();
            assert_eq!(
                (crc, isize),
                (crc32(0, &data), data.len() as u32),
                "{ctx} gzip footer"
            );
            assert!(dst == data);

            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), Compression::new(level));
            e.write_all(&data).unwrap();
            let z = e.finish().unwrap();
            parse_zlib_header(&z).unwrap();
            let body = &z[2..z.len() - 4];
            decode_both(&format!("{ctx} zlib"), body, &data);
            assert_eq!(
                parse_zlib_footer(&z[z.len() - 4..]).unwrap(),
                adler32(1, &data)
            );
        }
    }
}

#[test]
fn system_gzip_output() {
    let data = corpus("calgary");
    for flag in ["-1", "-9"] {
        let out = std::process::Command::new("gzip")
            .args(["-c", flag])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                let mut stdin = child.stdin.take().unwrap();
                let input = data.clone();
                let writer = std::thread::spawn(move || stdin.write_all(&input));
                let out = child.wait_with_output()?;
                writer.join().unwrap()?;
                Ok(out)
            });
        let out = match out {
            Ok(o) if o.status.success() => o.stdout,
            other => panic!("gzip is not installed or failed ({other:?}): apt-get install gzip"),
        };
        let h = parse_gzip_header(&out).unwrap();
        let body = &out[h.len..out.len() - 8];
        decode_both(&format!("gzip {flag}"), body, &data);
        let (crc, isize) = parse_gzip_footer(&out[out.len() - 8..]).unwrap();
        assert_eq!((crc, isize), (crc32(0, &data), data.len() as u32));
    }
}

/// Compresses `chunks` with one flate2 stream, flushing with `flush` after
/// each chunk but the last, which ends the stream. Returns the stream and the
/// byte offsets at which each flush marker ends.
fn flushed_stream(chunks: &[&[u8]], flush: FlushCompress, level: u32) -> (Vec<u8>, Vec<usize>) {
    let mut c = Compress::new(Compression::new(level), false);
    let mut out = Vec::new();
    let mut marks = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let last = i + 1 == chunks.len();
        let mode = if last { FlushCompress::Finish } else { flush };
        let start_in = c.total_in();
        loop {
            out.reserve(chunk.len() + 1024);
            let consumed = (c.total_in() - start_in) as usize;
            let status = c.compress_vec(&chunk[consumed..], &mut out, mode).unwrap();
            let done_in = (c.total_in() - start_in) as usize == chunk.len();
            if last && status == flate2::Status::StreamEnd {
                break;
            }
            if !last && done_in && out.capacity() > out.len() {
                break;
            }
        }
        if !last {
            assert!(out.ends_with(&[0, 0, 0xff, 0xff]), "flush marker");
            marks.push(out.len());
        }
    }
    (out, marks)
}

#[test]
fn sync_and_full_flush_streams() {
    let data = corpus("calgary32");
    let chunks: Vec<&[u8]> = data.chunks(5_000).collect();
    for flush in [FlushCompress::Sync, FlushCompress::Full] {
        for level in [1u32, 6, 9] {
            let (stream, marks) = flushed_stream(&chunks, flush, level);
            let ctx = format!("{flush:?} level {level}");
            decode_both(&ctx, &stream, &data);

            // Partial requests: each prefix that ends at a marker decodes up to
            // it with require_final = false, and is incomplete with it.
            let mut dec = Decompressor::new();
            let mut inf = Inflater::new();
            let mut dst = vec![0u8; data.len()];
            for (k, &m) in marks.iter().enumerate() {
                let produced: usize = chunks[..=k].iter().map(|c| c.len()).sum();
                let want = InflateOutcome {
                    status: DcStatus::Ok,
                    consumed: m,
                    produced,
                    end_of_last_block: false,
                    // A flush marker is an empty stored block: it ends on a
                    // byte boundary.
                    aligned_end: true,
                };
                assert_eq!(
                    inf.inflate(&stream[..m], &mut dst, false),
                    want,
                    "{ctx} marker {k}"
                );
                assert!(dst[..produced] == data[..produced]);
                assert_eq!(
                    dec.decompress(&stream[..m], &mut dst, false),
                    want,
                    "{ctx} marker {k}"
                );
                assert_eq!(
                    dec.decompress(&stream[..m], &mut dst, true),
                    InflateOutcome::failed(DcStatus::IncompleteFileErr),
                    "{ctx} marker {k} with FLUSH_FINAL"
                );
                // A few bytes of the next block after the marker change nothing.
                let more = (m + 7).min(stream.len() - 1);
                assert_eq!(
                    inf.inflate(&stream[..more], &mut dst, false),
                    want,
                    "{ctx} marker {k} + bytes"
                );
            }

            // Every prefix decodes up to its last complete block: at or after
            // the last marker within it (the compressor may end blocks between
            // markers too), with the data decoded so far.
            for cut in (0..=stream.len()).step_by(97) {
                let o = inf.inflate(&stream[..cut], &mut dst, false);
                if cut == stream.len() {
                    assert!(o.end_of_last_block, "{ctx}");
                    continue;
                }
                let last_mark = marks.iter().rev().find(|&&m| m <= cut);
                if o.status == DcStatus::Ok {
                    assert!(o.consumed <= cut && !o.end_of_last_block, "{ctx} cut {cut}");
                    if let Some(&m) = last_mark {
                        assert!(o.consumed >= m, "{ctx} cut {cut}: {o:?}");
                    }
                    assert!(dst[..o.produced] == data[..o.produced], "{ctx} cut {cut}");
                    // The consumed prefix alone gives the same result.
                    assert_eq!(
                        inf.inflate(&stream[..o.consumed], &mut dst, false),
                        o,
                        "{ctx} cut {cut}"
                    );
                } else {
                    assert_eq!(o.status, DcStatus::IncompleteFileErr, "{ctx} cut {cut}");
                    assert!(last_mark.is_none(), "{ctx} cut {cut}");
                }
            }
        }
    }
}

#[test]
fn concatenated_independent_requests() {
    // What stateless QAT requests produce with FLUSH_FULL: each chunk is its own
    // compressor run ending with a full-flush marker; the outputs, concatenated
    // and closed with an empty final block, form one stream.
    let data = corpus("calgary32");
    let mut stream = Vec::new();
    for chunk in data.chunks(4096) {
        let (part, _) = flushed_stream(&[chunk, b""], FlushCompress::Full, 6);
        // Drop the final empty block flate2 adds: keep up to the marker.
        let end = part
            .windows(4)
            .rposition(|w| w == [0, 0, 0xff, 0xff])
            .unwrap()
            + 4;
        stream.extend_from_slice(&part[..end]);
    }
    // Final empty fixed block: BFINAL 1, BTYPE 01, EOB (7 zero bits).
    stream.extend_from_slice(&[0x03, 0x00]);
    decode_both("concatenated", &stream, &data);
}
