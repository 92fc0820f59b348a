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

/// A skippable frame (magic 0x184D2A5`nibble`) holding `payload`.
fn skippable(nibble: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = (0x184D_2A50u32 | u32::from(nibble)).to_le_bytes().to_vec();
    f.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    f.extend_from_slice(payload);
    f
}

#[test]
fn skippable_and_legacy_frames_decode_as_lz4_reads_them() {
    // Issue 10: `lz4 -t` accepts each of these; softqat refused them with
    // "no end mark", CPA_DC_BAD_STORED_BLOCK_LEN and CPA_DC_INVALID_DIST.
    let lz4 = system_tool("lz4");
    let data = text_bytes(200_000, 7);
    let frame = tool(&lz4, &["-c"], &data);
    let legacy = tool(&lz4, &["-c", "-l"], &data);
    assert_eq!(legacy[..4], [0x02, 0x21, 0x4c, 0x18], "lz4 -l magic");
    let meta = skippable(3, b"metadata for another tool");
    let cat = |parts: &[&[u8]]| parts.concat();
    let cases: Vec<(&str, Vec<u8>, usize)> = vec![
        ("frame then skippable", cat(&[&frame, &meta]), 1),
        ("skippable then frame", cat(&[&meta, &frame]), 1),
        ("legacy (lz4 -l)", legacy.clone(), 1),
        ("legacy then frame", cat(&[&legacy, &frame]), 2),
        ("frame then legacy", cat(&[&frame, &legacy]), 2),
        ("legacy then skippable", cat(&[&legacy, &meta]), 1),
        ("skippable only", skippable(15, b"x"), 0),
        (
            "skippable, frame, empty skippable, legacy",
            cat(&[&meta, &frame, &skippable(0, b""), &legacy]),
            2,
        ),
    ];
    for (what, file, copies) in cases {
        tool(&lz4, &["-t"], &file);
        let want = data.repeat(copies);
        assert_same(&tool(&lz4, &["-dc"], &file), &want, &format!("{what}: lz4"));
        // Detected, and named.
        assert_same(
            &expect_ok(softqat(&["decompress"], &file), what),
            &want,
            &format!("{what}: softqat"),
        );
        assert_same(
            &expect_ok(softqat(&["decompress", "-f", "lz4"], &file), what),
            &want,
            &format!("{what}: softqat -f lz4"),
        );
    }
}

#[test]
fn unsupported_and_invalid_lz4_get_clear_errors() {
    let lz4 = system_tool("lz4");
    let data = text_bytes(50_000, 8);
    let frame = tool(&lz4, &["-c"], &data);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "trailing garbage",
            [&frame[..], b"garbage!"].concat(),
            "not an LZ4 frame",
        ),
        (
            "two stray bytes",
            [&frame[..], &[0x04, 0x22][..]].concat(),
            "truncated",
        ),
        (
            "truncated skippable frame",
            [&frame[..], &skippable(1, b"12345")[..10]].concat(),
            "truncated",
        ),
        (
            "legacy frame with an empty block",
            [&tool(&lz4, &["-c", "-l"], &data)[..], &[0; 4][..]].concat(),
            "CPA_DC_SOFTERR",
        ),
    ];
    for (what, file, needle) in cases {
        // lz4 rejects each too.
        let t = run_program(&lz4, &["-t"], &file, &[], None);
        assert!(!t.status.success(), "{what}: lz4 -t accepts it");
        let out = softqat(&["decompress", "-f", "lz4"], &file);
        let err = expect_failure(&out, what);
        assert!(err.contains(needle), "{what}: {err}");
    }
    // A dictionary ID (FLG bit 0): lz4 needs -D, softqat has no dictionary
    // and says so. The header checksum is recomputed for the new FLG.
    let mut dict = frame[..6].to_vec();
    dict[4] |= 1;
    dict.extend_from_slice(&0x1234_5678u32.to_le_bytes());
    let hc = (xxh32(&dict[4..]) >> 8) as u8;
    dict.push(hc);
    dict.extend_from_slice(&frame[7..]);
    let err = expect_failure(&softqat(&["decompress"], &dict), "dictionary");
    assert!(
        err.contains("dictionary 0x12345678") && err.contains("lz4 -d -D"),
        "{err}"
    );
}

/// xxHash32 with seed 0 (the frame header checksum's hash), written out
/// from the specification so that the test does not use softqat's.
fn xxh32(data: &[u8]) -> u32 {
    const P1: u32 = 2_654_435_761;
    const P2: u32 = 2_246_822_519;
    const P3: u32 = 3_266_489_917;
    const P4: u32 = 668_265_263;
    const P5: u32 = 374_761_393;
    let round = |acc: u32, lane: u32| {
        acc.wrapping_add(lane.wrapping_mul(P2))
            .rotate_left(13)
            .wrapping_mul(P1)
    };
    let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let mut rest = data;
    let mut h = if data.len() >= 16 {
        let mut v = [P1.wrapping_add(P2), P2, 0, 0u32.wrapping_sub(P1)];
        while rest.len() >= 16 {
            for (i, lane) in v.iter_mut().enumerate() {
                *lane = round(*lane, word(&rest[4 * i..]));
            }
            rest = &rest[16..];
        }
        v[0].rotate_left(1)
            .wrapping_add(v[1].rotate_left(7))
            .wrapping_add(v[2].rotate_left(12))
            .wrapping_add(v[3].rotate_left(18))
    } else {
        P5
    };
    h = h.wrapping_add(data.len() as u32);
    while rest.len() >= 4 {
        h = h
            .wrapping_add(word(rest).wrapping_mul(P3))
            .rotate_left(17)
            .wrapping_mul(P4);
        rest = &rest[4..];
    }
    for &b in rest {
        h = h
            .wrapping_add(u32::from(b).wrapping_mul(P5))
            .rotate_left(11)
            .wrapping_mul(P1);
    }
    h ^= h >> 15;
    h = h.wrapping_mul(P2);
    h ^= h >> 13;
    h = h.wrapping_mul(P3);
    h ^ (h >> 16)
}
