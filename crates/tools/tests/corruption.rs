//! Damaged input to `softqat decompress`: a flipped byte in the deflate body,
//! the CRC32, ISIZE or Adler-32, truncation anywhere, garbage, the wrong
//! format. Each must end with a non-zero exit, a message on stderr naming the
//! problem and nothing on stdout — never a panic, and never wrong data with
//! exit 0.

mod common;

use std::io::Write;

use common::*;

/// A run that must fail: exit non-zero, nothing on stdout, a `softqat: `
/// message on stderr containing one of `needles` (case-insensitive).
fn assert_rejected(args: &[&str], input: &[u8], needles: &[&str], what: &str) -> String {
    let out = softqat(args, input);
    let err = expect_failure(&out, what);
    assert!(
        out.stdout.is_empty(),
        "{what}: {} bytes written to stdout by a failed run",
        out.stdout.len()
    );
    assert!(
        err.starts_with("softqat: "),
        "{what}: message not prefixed with the command name: {err}"
    );
    let lower = err.to_lowercase();
    assert!(
        needles.iter().any(|n| lower.contains(&n.to_lowercase())),
        "{what}: message does not name the problem ({needles:?}): {err}"
    );
    err
}

/// A gzip member of `data` without a file name (10-byte header).
fn gzip_member(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    let gz = e.finish().unwrap();
    assert_eq!(gz[3], 0, "no optional header fields");
    gz
}

fn sample_data() -> Vec<u8> {
    corpus("calgary32")
}

const BODY_PROBLEMS: &[&str] = &["CPA_DC_", "CRC32 mismatch", "length mismatch"];

#[test]
fn flipped_byte_in_the_deflate_body_is_reported() {
    let data = sample_data();
    let theirs = gzip_member(&data);
    let ours = expect_ok(softqat(&["compress", "-l", "6"], &data), "compress");
    for (who, gz) in [("flate2", &theirs), ("softqat", &ours)] {
        let body = 10..gz.len() - 8;
        // Positions across the body, the first and last bytes included.
        let n = body.len();
        for k in 0..16 {
            let pos = body.start + k * (n - 1) / 15;
            let mut bad = gz.clone();
            bad[pos] ^= 0xff;
            assert_rejected(
                &["decompress"],
                &bad,
                BODY_PROBLEMS,
                &format!("{who} gzip, body byte {pos} flipped"),
            );
        }
    }
    // The invalid-stream status is named: a first block of type 3.
    let mut bad = ours.clone();
    bad[10] |= 0x06;
    let err = assert_rejected(
        &["decompress"],
        &bad,
        &["CPA_DC_INVALID_BLOCK_TYPE"],
        "BTYPE 3",
    );
    assert!(err.contains("corrupt"), "{err}");
}

#[test]
fn damaged_gzip_trailer_is_reported() {
    let data = sample_data();
    let gz = gzip_member(&data);
    let n = gz.len();
    for i in 0..4 {
        let mut bad = gz.clone();
        bad[n - 8 + i] ^= 0x01;
        assert_rejected(
            &["decompress"],
            &bad,
            &["CRC32 mismatch"],
            &format!("CRC32 byte {i} flipped"),
        );
        let mut bad = gz.clone();
        bad[n - 4 + i] ^= 0x10;
        assert_rejected(
            &["decompress", "-f", "gzip"],
            &bad,
            &["length mismatch"],
            &format!("ISIZE byte {i} flipped"),
        );
    }
    // In the second member, the message says which member.
    let mut two = [&gz[..], &gz[..]].concat();
    let m = two.len();
    two[m - 6] ^= 0x80;
    let err = assert_rejected(&["decompress"], &two, &["CRC32 mismatch"], "member 1 CRC");
    assert!(err.contains("member 1"), "the member is not named: {err}");
}

#[test]
fn truncated_gzip_is_reported_as_truncated() {
    let data = sample_data();
    let gz = gzip_member(&data);
    let n = gz.len();
    for cut in [
        1,
        2,
        5,
        9,
        10,
        11,
        100,
        n / 2,
        n - 9,
        n - 8,
        n - 7,
        n - 4,
        n - 1,
    ] {
        // One byte cannot be told from raw deflate: name the format for it.
        let args: &[&str] = if cut < 2 {
            &["decompress", "-f", "gzip"]
        } else {
            &["decompress"]
        };
        assert_rejected(
            args,
            &gz[..cut],
            &["truncat", "incomplete"],
            &format!("gzip cut to {cut} of {n} bytes"),
        );
    }
    // A whole member followed by part of another.
    let two = [&gz[..], &gz[..n / 3]].concat();
    assert_rejected(
        &["decompress"],
        &two,
        &["truncat", "incomplete"],
        "second member truncated",
    );
}

#[test]
fn empty_input_is_not_a_gzip_zlib_or_deflate_stream() {
    // gzip -dc says "unexpected end of file" for an empty file.
    for args in [
        &["decompress"][..],
        &["decompress", "-f", "gzip"][..],
        &["decompress", "-f", "zlib"][..],
        &["decompress", "-f", "deflate"][..],
    ] {
        assert_rejected(
            args,
            b"",
            &["truncat", "incomplete", "empty"],
            &format!("empty input, {args:?}"),
        );
    }
}

#[test]
fn garbage_and_wrong_formats_are_named() {
    let garbage = random_bytes(5000, 42);
    let mut g = garbage.clone();
    g[0] = b'G'; // not 1f: cannot be a gzip magic
    assert_rejected(
        &["decompress", "-f", "gzip"],
        &g,
        &["not a gzip stream"],
        "garbage as gzip",
    );
    assert_rejected(
        &["decompress", "-f", "gzip"],
        b"plain text, not compressed\n",
        &["not a gzip stream"],
        "text as gzip",
    );
    // Right magic, wrong method.
    let mut cm = gzip_member(b"abc");
    cm[2] = 7;
    assert_rejected(&["decompress"], &cm, &["gzip"], "gzip CM 7");
    // A zlib stream given as gzip, a gzip file given as zlib.
    let z = expect_ok(softqat(&["compress", "-f", "zlib"], b"some data"), "zlib");
    assert_rejected(
        &["decompress", "-f", "gzip"],
        &z,
        &["not a gzip stream"],
        "zlib as gzip",
    );
    let gz = gzip_member(b"some data");
    assert_rejected(
        &["decompress", "-f", "zlib"],
        &gz,
        &["zlib header"],
        "gzip as zlib",
    );
    // Garbage in every format, detected or not: an error, no panic.
    for args in [
        &["decompress"][..],
        &["decompress", "-f", "zlib"][..],
        &["decompress", "-f", "deflate"][..],
        &["decompress", "-f", "lz4"][..],
    ] {
        for seed in 0..8 {
            let g = random_bytes(3000, 100 + seed);
            let out = softqat(args, &g);
            if out.status.success() {
                // Only tolerable if the bytes really are such a stream.
                panic!("{args:?}: random bytes (seed {seed}) accepted");
            }
        }
    }
}

#[test]
fn damaged_zlib_is_reported() {
    let data = sample_data();
    let z = expect_ok(
        softqat(&["compress", "-f", "zlib", "-l", "6"], &data),
        "zlib",
    );
    let n = z.len();
    for i in 0..4 {
        let mut bad = z.clone();
        bad[n - 4 + i] ^= 0x04;
        assert_rejected(
            &["decompress"],
            &bad,
            &["Adler-32 mismatch"],
            &format!("Adler-32 byte {i}"),
        );
    }
    for pos in [2, n / 4, n / 2, n - 5] {
        let mut bad = z.clone();
        bad[pos] ^= 0xff;
        assert_rejected(
            &["decompress", "-f", "zlib"],
            &bad,
            &["CPA_DC_", "Adler-32 mismatch"],
            &format!("zlib body byte {pos}"),
        );
    }
    for cut in [1, 2, 3, n / 2, n - 4, n - 1] {
        assert_rejected(
            &["decompress", "-f", "zlib"],
            &z[..cut],
            &["truncat", "incomplete"],
            &format!("zlib cut to {cut} of {n}"),
        );
    }
    // Header check bits wrong.
    let mut bad = z.clone();
    bad[1] ^= 0x01;
    assert_rejected(
        &["decompress", "-f", "zlib"],
        &bad,
        &["zlib header"],
        "FCHECK",
    );
}

#[test]
fn damaged_raw_deflate_is_reported() {
    let data = sample_data();
    let d = expect_ok(softqat(&["compress", "-f", "deflate"], &data), "deflate");
    let n = d.len();
    for cut in [1, n / 2, n - 1] {
        assert_rejected(
            &["decompress", "-f", "deflate"],
            &d[..cut],
            &["CPA_DC_INCOMPLETE_FILE_ERR"],
            &format!("deflate cut to {cut} of {n}"),
        );
    }
}

#[test]
fn damaged_lz4_is_reported() {
    let data = sample_data();
    let f = expect_ok(softqat(&["compress", "-f", "lz4"], &data), "lz4");
    let n = f.len();
    // The content checksum (last 4 bytes, after the end mark).
    let mut bad = f.clone();
    bad[n - 2] ^= 0x01;
    assert_rejected(&["decompress"], &bad, &["CPA_DC_"], "LZ4 content checksum");
    // The header checksum byte (HC, after FLG and BD).
    let mut bad = f.clone();
    bad[6] ^= 0x01;
    assert_rejected(
        &["decompress"],
        &bad,
        &["header checksum"],
        "LZ4 header checksum",
    );
    // Cut inside a block.
    for cut in [5, 9, n / 2] {
        assert_rejected(
            &["decompress"],
            &f[..cut],
            &["truncat", "incomplete"],
            &format!("LZ4 cut to {cut} of {n}"),
        );
    }
    // Cut exactly before the end mark: blocks complete, frame not ended.
    assert_rejected(
        &["decompress", "-f", "lz4"],
        &f[..n - 8],
        &["truncat", "no end mark"],
        "LZ4 without its end mark",
    );
}

/// Every single-byte change of a small file either fails cleanly or — for
/// bytes that carry no meaning, such as MTIME — gives the original data.
fn flip_every_byte(args: &[&str], file: &[u8], data: &[u8], what: &str) {
    for pos in 0..file.len() {
        // One change per byte: low bit, high bit or all bits, in turn.
        let mask = [0x01u8, 0x80, 0xff][pos % 3];
        let mut bad = file.to_vec();
        bad[pos] ^= mask;
        let out = softqat(args, &bad);
        if out.status.success() {
            assert_same(
                &out.stdout,
                data,
                &format!("{what}: byte {pos} ^ {mask:#04x} accepted with other data"),
            );
        } else {
            assert!(out.stdout.is_empty(), "{what}: failed run wrote stdout");
            assert!(
                text(&out.stderr).starts_with("softqat: "),
                "{what}: byte {pos} ^ {mask:#04x}: {}",
                text(&out.stderr)
            );
        }
    }
}

#[test]
fn every_single_byte_change_fails_cleanly_or_changes_nothing() {
    let data = b"QuickAssist software endpoints, QuickAssist software endpoints!\n";
    let gz = expect_ok(softqat(&["compress"], data), "gzip");
    flip_every_byte(&["decompress"], &gz, data, "gzip");
    let z = expect_ok(softqat(&["compress", "-f", "zlib"], data), "zlib");
    flip_every_byte(&["decompress", "-f", "zlib"], &z, data, "zlib");
    let l = expect_ok(softqat(&["compress", "-f", "lz4"], data), "lz4");
    flip_every_byte(&["decompress", "-f", "lz4"], &l, data, "lz4");
}

#[test]
fn every_truncation_fails_cleanly() {
    let data = text_bytes(600, 43);
    for (fmt, needles) in [
        ("gzip", &["truncat", "incomplete"][..]),
        ("zlib", &["truncat", "incomplete"][..]),
        ("lz4", &["truncat", "incomplete", "no end mark"][..]),
    ] {
        let file = expect_ok(softqat(&["compress", "-f", fmt], &data), fmt);
        let n = file.len();
        // Every cut in the header and trailer, every eighth in between.
        for cut in (0..n).filter(|&c| c < 24 || c + 24 > n || c % 8 == 0) {
            // An empty LZ4 input is zero frames (lz4 -dc accepts it too).
            if fmt == "lz4" && cut == 0 {
                continue;
            }
            assert_rejected(
                &["decompress", "-f", fmt],
                &file[..cut],
                needles,
                &format!("{fmt} cut to {cut} of {n}"),
            );
        }
    }
}

#[test]
fn streams_zlib_rejects_are_rejected() {
    // Issue 10: fixed-Huffman symbol 286 after "abcd". libdeflate, then the
    // fast path, read it as a length of 258: `softqat decompress -f deflate`
    // exited 0 with 262 bytes, and with a valid CRC in a gzip wrapper too,
    // where `gzip -t` fails.
    let raw = b"\x4b\x4c\x4a\x4e\x19\x03\x00";
    assert_rejected(
        &["decompress", "-f", "deflate"],
        raw,
        &["CPA_DC_INVALID_CODE"],
        "raw deflate with symbol 286",
    );
    let gz: Vec<u8> = (0..25)
        .map(|i| {
            u8::from_str_radix(
                &"1f8b08000000000000ff4b4c4a4e19030060987df706010000"[2 * i..][..2],
                16,
            )
            .unwrap()
        })
        .collect();
    let gzip = system_tool("gzip");
    let t = run_program(&gzip, &["-t"], &gz, &[], None);
    assert!(!t.status.success(), "gzip -t accepts the reproducer");
    for args in [&["decompress"][..], &["decompress", "-f", "gzip"][..]] {
        assert_rejected(args, &gz, &["CPA_DC_INVALID_CODE"], "gzip with symbol 286");
    }
}

#[test]
fn data_after_a_gzip_member_is_ignored_with_gzips_warning_and_status() {
    // GNU gzip -d: "decompression OK, trailing garbage ignored", exit 2,
    // the member's data on stdout. Another member's magic after it is not
    // garbage (see `truncated_gzip_is_reported_as_truncated`: a cut second
    // member is an error).
    let data = sample_data();
    let gz = gzip_member(&data);
    for tail in [&b"garbage"[..], &b"xy"[..], &[0x1f, 0x8c, 1, 2][..]] {
        let input = [&gz[..], tail].concat();
        let out = softqat(&["decompress"], &input);
        assert_eq!(out.status.code(), Some(2), "tail {tail:?}");
        assert!(out.stdout == data, "tail {tail:?}: the member's data");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("trailing garbage ignored") && err.contains("after 1 gzip member"),
            "tail {tail:?}: {err}"
        );
    }
    // One stray byte is a member cut short for gzip ("unexpected end of
    // file"); a zero byte is padding.
    let out = softqat(&["decompress"], &[&gz[..], b"x"].concat());
    let err = expect_failure(&out, "one stray byte");
    assert!(err.contains("truncated"), "{err}");
    let back = expect_ok(
        softqat(&["decompress"], &[&gz[..], &[0u8]].concat()),
        "padding",
    );
    assert_same(&back, &data, "one zero byte of padding");
}
