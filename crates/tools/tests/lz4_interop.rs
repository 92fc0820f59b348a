//! The LZ4 frame format against the system's lz4: softqat's frames decode
//! with `lz4 -dc`, and lz4's frames — levels, linked blocks, small blocks,
//! content size, block checksums, no content checksum — decode with
//! `softqat decompress`. lz4 must be installed (a missing one fails the tests).

mod common;

use common::*;

/// softqat compresses `data` to LZ4 with `args`; `lz4 -dc` gives it back and
/// `lz4 -t` accepts it. Returns the frame.
fn softqat_then_lz4(lz4: &std::path::Path, data: &[u8], args: &[&str], what: &str) -> Vec<u8> {
    let mut all = vec!["compress", "-f", "lz4"];
    all.extend_from_slice(args);
    let frame = expect_ok(softqat(&all, data), what);
    assert!(
        frame.starts_with(&[0x04, 0x22, 0x4d, 0x18]),
        "{what}: no LZ4 frame magic: {:02x?}",
        &frame[..frame.len().min(4)]
    );
    assert_same(
        &tool(lz4, &["-dc"], &frame),
        data,
        &format!("{what}: lz4 -dc"),
    );
    tool(lz4, &["-t"], &frame);
    frame
}

#[test]
fn softqat_frames_decode_with_lz4() {
    let lz4 = system_tool("lz4");
    softqat_then_lz4(&lz4, b"", &[], "empty input");
    softqat_then_lz4(&lz4, b"!", &[], "one byte");
    let text = text_bytes(300_000, 31);
    for args in [
        &[][..],
        &["-l", "9"][..],
        &["-l", "12"][..],
        &["--request-size", "4096"][..],
        &["--request-size", "100000"][..],
        &["--request-size", "1"][..],
    ] {
        let input = if args == ["--request-size", "1"] {
            &text[..2000]
        } else {
            &text[..]
        };
        let f = softqat_then_lz4(&lz4, input, args, &format!("text {args:?}"));
        if args.is_empty() {
            assert!(
                f.len() < text.len() / 2,
                "text compressed to {} bytes",
                f.len()
            );
        }
    }
    let random = random_bytes(3 << 20, 32);
    let f = softqat_then_lz4(&lz4, &random, &[], "3 MiB random");
    assert!(
        f.len() <= random.len() + random.len() / 100 + 1024,
        "random data grew to {} bytes",
        f.len()
    );
    softqat_then_lz4(&lz4, &corpus("canterbury"), &[], "canterbury");
}

#[test]
fn lz4_frames_of_every_flavour_decode_with_softqat() {
    let lz4 = system_tool("lz4");
    let data = corpus("canterbury");
    for opts in [
        &["-1"][..],
        &["-9"][..],
        &["-12"][..],
        &["-BD"][..],
        &["-B4"][..],
        &["-B4", "-BD"][..],
        &["-B5", "-BD"][..],
        &["-B6"][..],
        &["--content-size"][..],
        &["--no-frame-crc"][..],
        &["-BX"][..],
        &["-B4", "-BD", "-BX", "--content-size", "--no-frame-crc"][..],
    ] {
        let mut args = vec!["-c", "-q"];
        args.extend_from_slice(opts);
        let frame = tool(&lz4, &args, &data);
        let back = expect_ok(softqat(&["decompress"], &frame), &format!("lz4 {opts:?}"));
        assert_same(&back, &data, &format!("lz4 {opts:?}, detected"));
        let back = expect_ok(
            softqat(&["decompress", "-f", "lz4"], &frame),
            &format!("lz4 {opts:?}"),
        );
        assert_same(&back, &data, &format!("lz4 {opts:?}, -f lz4"));
    }
    for small in [&b""[..], b"a", b"abcabcabcabcabcabcabcabcabc"] {
        let frame = tool(&lz4, &["-c", "-q"], small);
        let back = expect_ok(softqat(&["decompress"], &frame), "small lz4 frame");
        assert_same(&back, small, "small lz4 frame");
    }
}

#[test]
fn concatenated_frames_are_all_decoded() {
    let lz4 = system_tool("lz4");
    let a = text_bytes(150_000, 34);
    let b = random_bytes(70_000, 35);
    let fa = tool(&lz4, &["-c", "-q", "-BD"], &a);
    let fb = expect_ok(softqat(&["compress", "-f", "lz4"], &b), "softqat frame");
    let fe = tool(&lz4, &["-c", "-q"], b"");
    let file = [&fa[..], &fe[..], &fb[..], &fa[..]].concat();
    let want = [&a[..], &b[..], &a[..]].concat();
    assert_same(&tool(&lz4, &["-dc"], &file), &want, "lz4 -dc agrees");
    let back = expect_ok(softqat(&["decompress"], &file), "concatenated frames");
    assert_same(&back, &want, "concatenated frames");
}

#[test]
fn lz4_stdin_stdout_and_files() {
    let lz4 = system_tool("lz4");
    let data = text_bytes(500_000, 36);
    let t = TempDir::new("lz4-files");
    let src = t.write("in", &data);
    let s = src.display().to_string();
    // softqat compress file → file, lz4 decodes the file.
    let out = t.arg("in.lz4");
    expect_ok(
        softqat(&["compress", "-f", "lz4", &s, "-o", &out], b""),
        "to a file",
    );
    let dec = t.arg("dec");
    tool(&lz4, &["-d", "-q", "-f", &out, &dec], b"");
    assert_same(
        &std::fs::read(&dec).unwrap(),
        &data,
        "lz4 -d of softqat's file",
    );
    // lz4 file → softqat decompress to stdout.
    let theirs = t.arg("theirs.lz4");
    tool(&lz4, &["-q", "-f", &s, &theirs], b"");
    let back = expect_ok(softqat(&["decompress", &theirs], b""), "file to stdout");
    assert_same(&back, &data, "lz4 file → softqat stdout");
    // A shell pipeline both ways.
    let sh = format!(
        "{q} compress -f lz4 < {s} | {l} -dc | {l} -c -BD | {q} decompress - | cmp - {s}",
        q = SOFTQAT,
        l = lz4.display(),
    );
    let out = run_program(
        std::path::Path::new("/bin/sh"),
        &["-c", &sh],
        b"",
        &[("SOFTQAT_CONFIG_DIR", None)],
        None,
    );
    assert!(
        out.status.success(),
        "pipeline failed: {}",
        text(&out.stderr)
    );
}
