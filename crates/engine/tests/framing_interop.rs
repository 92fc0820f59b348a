//! Headers and footers against other implementations: our gzip and zlib
//! framing around a raw deflate stream decodes with flate2 and the system
//! `gzip` (which must be installed); gzip headers written by flate2
//! (every optional field) and by `gzip` parse; our LZ4 frame header is the
//! one the `lz4` tool writes for the same options.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use softqat_engine::checksum::{adler32, crc32};
use softqat_engine::framing::{
    gzip_footer, gzip_header, parse_gzip_header, parse_lz4_frame_header, write_lz4_frame_header,
    zlib_footer, zlib_header, Lz4FrameOptions, LZ4_MAX_HEADER_LEN,
};
use softqat_engine::lz4::BlockMaxSize;

mod common;
use common::corpus;

fn sample() -> Vec<u8> {
    corpus("calgary32")
}

fn raw_deflate(data: &[u8], level: u32) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn our_gzip(data: &[u8], level: u8) -> Vec<u8> {
    let mut v = gzip_header(level).to_vec();
    v.extend(raw_deflate(data, level.min(9) as u32));
    v.extend(gzip_footer(crc32(0, data), data.len() as u64));
    v
}

#[test]
fn our_gzip_and_zlib_decode_with_flate2() {
    let data = sample();
    for level in 1..=12u8 {
        let gz = our_gzip(&data, level);
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut out)
            .unwrap();
        assert!(out == data, "gzip level {level}");

        let mut z = zlib_header(level).to_vec();
        z.extend(raw_deflate(&data, level.min(9) as u32));
        z.extend(zlib_footer(adler32(1, &data)));
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(&z[..])
            .read_to_end(&mut out)
            .unwrap();
        assert!(out == data, "zlib level {level}");
    }
}

#[test]
fn our_gzip_decodes_with_system_gzip() {
    let data = sample();
    let gz = our_gzip(&data, 1);
    let child = Command::new("gzip")
        .args(["-d", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let mut child = child.expect("gzip is not installed: apt-get install gzip");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&gz));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success());
    assert!(out.stdout == data);
}

#[test]
fn gzip_headers_from_flate2_and_gzip_parse() {
    let data = sample();
    let mut e = flate2::GzBuilder::new()
        .filename("calgary32.txt")
        .comment("a comment")
        .extra(vec![b'S', b'Q', 2, 0, 1, 2])
        .mtime(1_700_000_000)
        .write(Vec::new(), flate2::Compression::default());
    e.write_all(&data).unwrap();
    let gz = e.finish().unwrap();
    let h = parse_gzip_header(&gz).unwrap();
    assert_eq!(&gz[h.name.clone().unwrap()], b"calgary32.txt");
    assert_eq!(&gz[h.comment.clone().unwrap()], b"a comment");
    assert_eq!(&gz[h.extra.clone().unwrap()], &[b'S', b'Q', 2, 0, 1, 2]);
    assert_eq!(h.mtime, 1_700_000_000);
    // The deflate data starts right after the header.
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(&gz[h.len..])
        .read_to_end(&mut out)
        .unwrap();
    assert!(out == data);

    // `gzip` on a named file stores FNAME (and MTIME).
    let dir = std::env::temp_dir().join(format!("softqat-framing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("named-input.txt");
    std::fs::write(&file, &data).unwrap();
    let out = Command::new("gzip").arg("-c").arg(&file).output();
    std::fs::remove_dir_all(&dir).ok();
    match out {
        Ok(o) if o.status.success() => {
            let h = parse_gzip_header(&o.stdout).unwrap();
            assert_eq!(&o.stdout[h.name.clone().unwrap()], b"named-input.txt");
            assert_eq!(h.os, 3);
        }
        other => panic!("gzip is not installed or failed ({other:?}): apt-get install gzip"),
    }
}

#[test]
fn lz4_header_matches_the_lz4_tool() {
    // `lz4 -B4` (64 KiB, independent blocks, content checksum, no block
    // checksum) writes exactly the header qatlib describes.
    let out = Command::new("lz4")
        .args(["-c", "-B4"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = out.expect("lz4 is not installed: apt-get install lz4");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&[b'q'; 200_000]));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let mut ours = [0u8; LZ4_MAX_HEADER_LEN];
    let n =
        write_lz4_frame_header(&Lz4FrameOptions::qat(BlockMaxSize::K64, true), &mut ours).unwrap();
    assert_eq!(n, 7);
    assert_eq!(out.stdout[..7], ours[..7], "header bytes");
    assert_eq!(
        parse_lz4_frame_header(&out.stdout).unwrap(),
        (Lz4FrameOptions::qat(BlockMaxSize::K64, true), 7)
    );
}
