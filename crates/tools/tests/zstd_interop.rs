//! `softqat compress -f zstd` against the system's zstd: the frames softqat
//! makes from LZ4S requests (the QAT zstd plugin's path) decode with
//! `zstd -dc` and pass `zstd -t`; `softqat decompress` refuses zstd and
//! says what to use. zstd must be installed (a missing one fails the tests).

mod common;

use common::*;

fn softqat_then_zstd(zstd: &std::path::Path, data: &[u8], args: &[&str], what: &str) -> Vec<u8> {
    let mut all = vec!["compress", "-f", "zstd"];
    all.extend_from_slice(args);
    let frame = expect_ok(softqat(&all, data), what);
    assert!(
        frame.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]),
        "{what}: no zstd frame magic: {:02x?}",
        &frame[..frame.len().min(4)]
    );
    assert_same(
        &tool(zstd, &["-dc"], &frame),
        data,
        &format!("{what}: zstd -dc"),
    );
    tool(zstd, &["-t", "-q"], &frame);
    frame
}

#[test]
fn softqat_zstd_frames_decode_with_zstd() {
    let zstd = system_tool("zstd");
    softqat_then_zstd(&zstd, b"", &[], "empty input");
    softqat_then_zstd(&zstd, b"!", &[], "one byte");
    let text = text_bytes(400_000, 41);
    for args in [
        &[][..],
        &["-l", "9"][..],
        &["--request-size", "4096"][..],
        &["--request-size", "300000"][..],
    ] {
        let f = softqat_then_zstd(&zstd, &text, args, &format!("text {args:?}"));
        assert!(f.len() < text.len() / 2, "{args:?}: {} bytes", f.len());
    }
    let calgary = corpus("calgary");
    softqat_then_zstd(&zstd, &calgary[..1_000_000], &["-l", "6"], "calgary");
    let random = random_bytes(1 << 20, 42);
    let f = softqat_then_zstd(&zstd, &random, &[], "1 MiB random");
    assert!(f.len() <= random.len() + random.len() / 1000 + 64);
}

#[test]
fn zstd_decompression_is_refused_with_advice() {
    let zstd = system_tool("zstd");
    let frame = tool(&zstd, &["-c", "-q"], b"zstd frame from the zstd tool");
    for args in [&["decompress"][..], &["decompress", "-f", "zstd"][..]] {
        let err = expect_failure(&softqat(args, &frame), "decompress zstd");
        assert!(err.contains("zstd -d"), "{err}");
    }
}
