//! zlib (RFC 1950) and raw deflate (RFC 1951) against flate2: softqat's
//! output decodes with flate2's decoders, flate2's encoders' output decodes
//! with `softqat decompress` (zlib detected from its header).

mod common;

use std::io::{Read, Write};

use common::*;
use flate2::read::{DeflateDecoder, ZlibDecoder};
use flate2::write::{DeflateEncoder, ZlibEncoder};
use flate2::Compression;

fn zlib_decode(z: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    ZlibDecoder::new(z)
        .read_to_end(&mut out)
        .expect("flate2 decodes softqat's zlib stream");
    out
}

fn deflate_decode(d: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    DeflateDecoder::new(d)
        .read_to_end(&mut out)
        .expect("flate2 decodes softqat's raw deflate stream");
    out
}

fn zlib_encode(data: &[u8], level: Compression) -> Vec<u8> {
    let mut e = ZlibEncoder::new(Vec::new(), level);
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn deflate_encode(data: &[u8], level: Compression) -> Vec<u8> {
    let mut e = DeflateEncoder::new(Vec::new(), level);
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// The inputs every direction is tried on.
fn inputs() -> Vec<(String, Vec<u8>)> {
    vec![
        ("empty".to_string(), Vec::new()),
        ("one byte".to_string(), b"z".to_vec()),
        ("text 70 KB".to_string(), text_bytes(70_000, 21)),
        ("random 1 MiB".to_string(), random_bytes(1 << 20, 22)),
        ("canterbury".to_string(), corpus("canterbury")),
    ]
}

#[test]
fn softqat_zlib_decodes_with_flate2() {
    for (name, data) in inputs() {
        for args in [
            &[][..],
            &["-l", "9"][..],
            &["--static"][..],
            // Many requests: the Adler-32s of the requests combine.
            &["--request-size", "4096"][..],
            &["--request-size", "65521", "-l", "6"][..],
        ] {
            let mut all = vec!["compress", "-f", "zlib"];
            all.extend_from_slice(args);
            let what = format!("{name} {args:?}");
            let z = expect_ok(softqat(&all, &data), &what);
            assert!(z.len() >= 6, "{what}: {} bytes", z.len());
            assert_eq!(z[0] & 0x0f, 8, "{what}: CM is not deflate");
            assert_eq!(
                (u16::from(z[0]) << 8 | u16::from(z[1])) % 31,
                0,
                "{what}: FCHECK"
            );
            assert_same(&zlib_decode(&z), &data, &what);
        }
    }
}

#[test]
fn flate2_zlib_decodes_with_softqat_detected_or_named() {
    for (name, data) in inputs() {
        for level in [
            Compression::none(),
            Compression::fast(),
            Compression::default(),
            Compression::best(),
        ] {
            let z = zlib_encode(&data, level);
            let what = format!("{name} at {level:?}");
            let back = expect_ok(softqat(&["decompress"], &z), &what);
            assert_same(&back, &data, &format!("{what}, detected"));
            let back = expect_ok(softqat(&["decompress", "-f", "zlib"], &z), &what);
            assert_same(&back, &data, &format!("{what}, -f zlib"));
        }
    }
}

#[test]
fn softqat_raw_deflate_decodes_with_flate2() {
    for (name, data) in inputs() {
        for args in [
            &[][..],
            &["-l", "12"][..],
            &["--static"][..],
            &["--request-size", "4096"][..],
        ] {
            let mut all = vec!["compress", "-f", "deflate"];
            all.extend_from_slice(args);
            let what = format!("{name} {args:?}");
            let d = expect_ok(softqat(&all, &data), &what);
            assert_same(&deflate_decode(&d), &data, &what);
            // And softqat reads its own raw stream back.
            let back = expect_ok(softqat(&["decompress", "-f", "deflate"], &d), &what);
            assert_same(&back, &data, &format!("{what}: own round trip"));
        }
    }
}

#[test]
fn flate2_raw_deflate_decodes_with_softqat() {
    for (name, data) in inputs() {
        for level in [
            Compression::none(),
            Compression::fast(),
            Compression::default(),
            Compression::best(),
        ] {
            let d = deflate_encode(&data, level);
            let what = format!("{name} at {level:?}");
            let back = expect_ok(softqat(&["decompress", "-f", "deflate"], &d), &what);
            assert_same(&back, &data, &what);
        }
    }
    // A raw stream that does not look like zlib or gzip is detected as deflate.
    let data = text_bytes(5000, 23);
    let d = deflate_encode(&data, Compression::default());
    let back = expect_ok(softqat(&["decompress"], &d), "detected deflate");
    assert_same(&back, &data, "raw deflate, format detected");
}

#[test]
fn zlib_and_deflate_through_files() {
    let t = TempDir::new("zlib-files");
    let data = text_bytes(300_000, 24);
    let src = t.write("in", &data);
    let (z, d) = (t.arg("in.z"), t.arg("in.deflate"));
    let s = src.display().to_string();
    expect_ok(
        softqat(&["compress", "-f", "zlib", &s, "-o", &z], b""),
        "zlib to a file",
    );
    expect_ok(
        softqat(
            &["compress", "--format", "deflate", &s, "--output", &d],
            b"",
        ),
        "deflate to a file",
    );
    assert_same(
        &zlib_decode(&std::fs::read(&z).unwrap()),
        &data,
        "zlib file",
    );
    assert_same(
        &deflate_decode(&std::fs::read(&d).unwrap()),
        &data,
        "deflate file",
    );
    let back = t.arg("back");
    expect_ok(softqat(&["decompress", &z, "-o", &back], b""), "zlib back");
    assert_same(&std::fs::read(&back).unwrap(), &data, "zlib file back");
}
