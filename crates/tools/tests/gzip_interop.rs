//! `softqat compress -f gzip` / `softqat decompress` against the system's
//! gzip: what softqat writes, gzip reads back (levels, static and dynamic
//! Huffman, one request or many, empty, one byte, incompressible data), and
//! what gzip writes, softqat reads (levels, several members, file names).
//! gzip must be installed (a missing one fails the tests).

mod common;

use common::*;

/// softqat compresses `data` with `args`; `gzip -dc` must give it back and
/// `gzip -t` must accept it. Returns the compressed file.
fn softqat_then_gzip(gzip: &std::path::Path, data: &[u8], args: &[&str], what: &str) -> Vec<u8> {
    let mut all = vec!["compress", "-f", "gzip"];
    all.extend_from_slice(args);
    let gz = expect_ok(softqat(&all, data), what);
    assert!(
        gz.starts_with(&[0x1f, 0x8b, 8]),
        "{what}: no gzip magic and CM=8 at the start: {:02x?}",
        &gz[..gz.len().min(4)]
    );
    let back = tool(gzip, &["-dc"], &gz);
    assert_same(&back, data, &format!("{what}: gzip -dc"));
    tool(gzip, &["-t"], &gz);
    gz
}

#[test]
fn corpus_at_every_level_static_and_dynamic_is_read_by_gzip() {
    let gzip = system_tool("gzip");
    let small = corpus("calgary32");
    for level in ["1", "6", "9", "12"] {
        for huff in [&[][..], &["--static"][..]] {
            let mut args = vec!["-l", level];
            args.extend_from_slice(huff);
            softqat_then_gzip(&gzip, &small, &args, &format!("calgary32 {args:?}"));
        }
    }
}

#[test]
fn canterbury_levels_are_read_by_gzip_and_higher_levels_compress_more() {
    let gzip = system_tool("gzip");
    let data = corpus("canterbury");
    let mut sizes = Vec::new();
    for level in ["1", "6", "9", "12"] {
        let gz = softqat_then_gzip(
            &gzip,
            &data,
            &["-l", level],
            &format!("canterbury L{level}"),
        );
        sizes.push(gz.len());
    }
    // Level 1 of text must compress, and a deeper search must find more.
    assert!(
        sizes[0] < data.len() / 2,
        "L1 output {} of {} bytes",
        sizes[0],
        data.len()
    );
    assert!(
        sizes[1] < sizes[0],
        "L6 ({}) not smaller than L1 ({})",
        sizes[1],
        sizes[0]
    );
    assert!(
        sizes[3] <= sizes[1],
        "L12 ({}) larger than L6 ({})",
        sizes[3],
        sizes[1]
    );
    let st = softqat_then_gzip(&gzip, &data, &["--static"], "canterbury static");
    assert!(
        sizes[0] < st.len(),
        "dynamic Huffman ({}) not smaller than static ({}) on text",
        sizes[0],
        st.len()
    );
}

#[test]
fn many_small_requests_make_one_member_gzip_reads() {
    let gzip = system_tool("gzip");
    let data = corpus("canterbury");
    // 676 requests of 4 KiB, FLUSH_FULL between them: the CRC32s combine.
    let gz = softqat_then_gzip(&gzip, &data, &["--request-size", "4096"], "4 KiB requests");
    softqat_then_gzip(
        &gzip,
        &data,
        &["--request-size", "4096", "--static", "-l", "9"],
        "4 KiB requests, static, L9",
    );
    // One gzip member: its ISIZE is the whole input.
    let isize = u32::from_le_bytes(gz[gz.len() - 4..].try_into().unwrap());
    assert_eq!(isize as usize, data.len());
    // Odd request sizes, down to one byte per request.
    let text = text_bytes(3000, 7);
    for size in ["1", "7", "1000", "2999", "3000", "3001"] {
        softqat_then_gzip(
            &gzip,
            &text,
            &["--request-size", size],
            &format!("request size {size}"),
        );
    }
}

#[test]
fn empty_one_byte_and_incompressible_inputs() {
    let gzip = system_tool("gzip");
    let gz = softqat_then_gzip(&gzip, b"", &[], "empty input");
    // An empty member still carries CRC32 0 and ISIZE 0.
    assert_eq!(&gz[gz.len() - 8..], &[0; 8]);
    softqat_then_gzip(&gzip, b"", &["--static"], "empty input, static");
    for byte in [0u8, b'a', 0xff] {
        softqat_then_gzip(&gzip, &[byte], &[], &format!("one byte {byte:#04x}"));
        softqat_then_gzip(
            &gzip,
            &[byte],
            &["--static", "-l", "12"],
            "one byte, L12 static",
        );
    }
    let random = random_bytes(3 << 20, 1);
    for args in [&["-l", "1"][..], &["-l", "9", "--static"][..]] {
        let gz = softqat_then_gzip(&gzip, &random, args, &format!("3 MiB random {args:?}"));
        assert!(
            gz.len() <= random.len() + random.len() / 100 + 1024,
            "3 MiB of random data grew to {} bytes",
            gz.len()
        );
    }
}

#[test]
fn gzip_output_at_levels_1_and_9_is_read_by_softqat() {
    let gzip = system_tool("gzip");
    let data = corpus("canterbury");
    let t = TempDir::new("gz-levels");
    for level in ["-1", "-6", "-9"] {
        let gz = tool(&gzip, &["-c", level], &data);
        // From stdin, format detected.
        let back = expect_ok(softqat(&["decompress"], &gz), level);
        assert_same(&back, &data, &format!("gzip {level} | softqat decompress"));
        // From a file, format given, to a file.
        let src = t.write("in.gz", &gz);
        let out = t.arg("out");
        expect_ok(
            softqat(
                &[
                    "decompress",
                    "-f",
                    "gzip",
                    &src.display().to_string(),
                    "-o",
                    &out,
                ],
                b"",
            ),
            level,
        );
        assert_same(&std::fs::read(&out).unwrap(), &data, "decompress -o");
    }
    for (i, small) in [&b""[..], b"x", b"hello, world\n"].iter().enumerate() {
        let gz = tool(&gzip, &["-c"], small);
        let back = expect_ok(softqat(&["decompress"], &gz), &format!("small {i}"));
        assert_same(&back, small, &format!("gzip of small input {i}"));
    }
}

#[test]
fn concatenated_members_are_all_decoded() {
    let gzip = system_tool("gzip");
    let a = corpus("calgary32");
    let b = text_bytes(100_000, 3);
    let ga = tool(&gzip, &["-c", "-9"], &a);
    let gb = expect_ok(softqat(&["compress", "-l", "6"], &b), "compress b");
    let empty = tool(&gzip, &["-c"], b"");
    // (members of the file, the data they hold)
    type Case<'a> = (Vec<&'a [u8]>, Vec<&'a [u8]>);
    let cases: Vec<Case> = vec![
        (vec![&ga, &gb], vec![&a, &b]),
        (vec![&gb, &ga], vec![&b, &a]),
        // Identical members: the second must not be taken for a trailer.
        (vec![&ga, &ga], vec![&a, &a]),
        (vec![&gb, &gb, &gb], vec![&b, &b, &b]),
        (vec![&ga, &empty, &gb, &empty], vec![&a, &b]),
        (vec![&empty, &empty], vec![]),
    ];
    for (i, (members, parts)) in cases.iter().enumerate() {
        let file = members.concat();
        let want = parts.concat();
        // gzip itself agrees on what the file holds.
        assert_same(&tool(&gzip, &["-dc"], &file), &want, "gzip -dc");
        let back = expect_ok(softqat(&["decompress"], &file), &format!("case {i}"));
        assert_same(&back, &want, &format!("concatenated members, case {i}"));
    }
    // Zero padding after the last member, as tape archives leave it.
    let mut padded = [&ga[..], &gb[..]].concat();
    padded.extend_from_slice(&[0; 512]);
    let back = expect_ok(softqat(&["decompress"], &padded), "padded");
    assert_same(&back, &[&a[..], &b[..]].concat(), "zero-padded members");
}

#[test]
fn gzip_of_several_files_with_names_is_decoded_as_their_concatenation() {
    let gzip = system_tool("gzip");
    let t = TempDir::new("gz-files");
    let files: Vec<(String, Vec<u8>)> = vec![
        ("first.txt".into(), text_bytes(50_000, 11)),
        ("second.bin".into(), random_bytes(20_000, 12)),
        ("third.txt".into(), b"the end\n".to_vec()),
    ];
    let mut want = Vec::new();
    let mut args = vec!["-c".to_string(), "-N".to_string()];
    for (name, data) in &files {
        t.write(name, data);
        want.extend_from_slice(data);
        args.push(t.arg(name));
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    // Each member carries FNAME (and MTIME) in its header.
    let gz = tool(&gzip, &argv, b"");
    assert_ne!(gz[3] & 0x08, 0, "gzip wrote no FNAME");
    let back = expect_ok(softqat(&["decompress"], &gz), "gzip -c f1 f2 f3");
    assert_same(&back, &want, "gzip -c of three files");
}

#[test]
fn headers_with_extra_name_and_comment_fields_are_skipped() {
    let data = text_bytes(10_000, 5);
    let mut enc = flate2::GzBuilder::new()
        .filename("data.txt")
        .comment("a comment")
        .extra(vec![b'S', b'Q', 3, 0, 1, 2, 3])
        .mtime(1_700_000_000)
        .write(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut enc, &data).unwrap();
    let gz = enc.finish().unwrap();
    assert_eq!(gz[3] & 0x1c, 0x1c, "FEXTRA, FNAME and FCOMMENT set");
    let back = expect_ok(softqat(&["decompress"], &gz), "extra/name/comment");
    assert_same(&back, &data, "header fields skipped");
}

#[test]
fn stdin_stdout_and_dash_arguments_pipe_through() {
    let gzip = system_tool("gzip");
    let data = text_bytes(200_000, 9);
    // compress: stdin → stdout, gzip being the default format.
    let gz = expect_ok(softqat(&["compress"], &data), "compress stdin");
    assert_same(&tool(&gzip, &["-dc"], &gz), &data, "default format is gzip");
    // `-` for both.
    let gz2 = expect_ok(
        softqat(&["compress", "-", "-o", "-"], &data),
        "compress - -o -",
    );
    assert_same(&tool(&gzip, &["-dc"], &gz2), &data, "compress - -o -");
    // gzip → softqat through pipes, both ways.
    let from_gzip = tool(&gzip, &["-c"], &data);
    let back = expect_ok(softqat(&["decompress", "-", "-o", "-"], &from_gzip), "dash");
    assert_same(&back, &data, "decompress - -o -");
    // A file in, a file out; the output file is replaced.
    let t = TempDir::new("gz-pipe");
    let src = t.write("plain", &data);
    let dst = t.write("plain.gz", b"old contents");
    expect_ok(
        softqat(
            &[
                "compress",
                &src.display().to_string(),
                "-o",
                &dst.display().to_string(),
            ],
            b"",
        ),
        "file to file",
    );
    let gz3 = std::fs::read(&dst).unwrap();
    assert_same(&tool(&gzip, &["-dc"], &gz3), &data, "file to file");
    // The decompressor, through a shell pipeline.
    let sh = format!(
        "{} -c < {} | {} decompress | cmp - {}",
        gzip.display(),
        src.display(),
        SOFTQAT,
        src.display()
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

#[test]
fn no_verify_output_is_read_by_gzip_and_equals_the_verified_output() {
    // Compress-and-verify checks the output; it does not change it.
    let gzip = system_tool("gzip");
    let data = corpus("calgary32");
    let verified = softqat_then_gzip(&gzip, &data, &[], "calgary32 verified");
    let unverified = softqat_then_gzip(&gzip, &data, &["--no-verify"], "calgary32 --no-verify");
    assert_eq!(verified, unverified);
}

/// The members of a QATzip gzip-extension file: (uncompressed, deflate data
/// length) from each header, walked by those sizes.
fn qz_member_sizes(gz: &[u8]) -> Vec<(u32, u32)> {
    let mut v = Vec::new();
    let mut at = 0;
    while at < gz.len() {
        let h = &gz[at..at + 24];
        assert_eq!(&h[..4], &[0x1f, 0x8b, 8, 4], "member at {at}: header");
        assert_eq!(
            &h[9..16],
            &[255, 12, 0, b'Q', b'Z', 8, 0],
            "member at {at}: QZ field"
        );
        let word = |k: usize| u32::from_le_bytes(h[k..k + 4].try_into().unwrap());
        let (size, len) = (word(16), word(20));
        let footer = &gz[at + 24 + len as usize..at + 32 + len as usize];
        assert_eq!(&footer[4..], &size.to_le_bytes(), "member at {at}: ISIZE");
        v.push((size, len));
        at += 32 + len as usize;
    }
    v
}

#[test]
fn gzip_ext_files_have_one_member_per_request_and_are_read_by_gzip_and_softqat() {
    // QATzip's gzip extension: each request a member whose header records
    // its sizes; gzip reads the file as multi-member gzip, softqat decodes
    // the members in parallel.
    let gzip = system_tool("gzip");
    let mut data = corpus("canterbury");
    data.truncate(200_000);
    for (input, request, what) in [
        (&data[..], "65536", "200 kB in 64 KiB requests"),
        (&data[..], "4096", "200 kB in 4 KiB requests"),
        (&data[..65_536], "65536", "exactly one request"),
        (&b"x"[..], "65536", "one byte"),
        (&b""[..], "65536", "empty"),
    ] {
        let gz = expect_ok(
            softqat(
                &["compress", "-f", "gzip-ext", "--request-size", request],
                input,
            ),
            what,
        );
        let sizes = qz_member_sizes(&gz);
        let req: usize = request.parse().unwrap();
        assert_eq!(
            sizes.len(),
            input.len().div_ceil(req).max(1),
            "{what}: members"
        );
        assert_eq!(
            sizes.iter().map(|s| s.0 as usize).sum::<usize>(),
            input.len(),
            "{what}: sizes"
        );
        assert_same(
            &tool(&gzip, &["-dc"], &gz),
            input,
            &format!("{what}: gzip -dc"),
        );
        tool(&gzip, &["-t"], &gz);
        let back = expect_ok(softqat(&["decompress"], &gz), what);
        assert_same(&back, input, &format!("{what}: softqat decompress"));
        // Followed by an ordinary member (cat a.gz b.gz): both decoded.
        let plain = expect_ok(softqat(&["compress", "-f", "gzip"], b"and more"), what);
        let both = [&gz[..], &plain[..]].concat();
        let back = expect_ok(softqat(&["decompress"], &both), what);
        assert_same(&back, &[input, &b"and more"[..]].concat(), what);
    }
}

#[test]
fn gzip_ext_members_with_wrong_sizes_or_data_are_decoded_as_gzip_would() {
    // A header's recorded sizes are only a map: a member they do not fit is
    // decoded again without them (as gzip does); damaged data is an error
    // naming the member.
    let gzip = system_tool("gzip");
    let mut data = corpus("canterbury");
    data.truncate(100_000);
    let gz = expect_ok(
        softqat(
            &["compress", "-f", "gzip-ext", "--request-size", "16384"],
            &data,
        ),
        "compress",
    );
    let first = qz_member_sizes(&gz)[0];
    let second_member = 32 + first.1 as usize;
    // The second member's recorded uncompressed size, one too small and one
    // too large: the file is still valid gzip.
    for delta in [-1i64, 1] {
        let mut bad = gz.clone();
        let at = second_member + 16;
        let v = u32::from_le_bytes(bad[at..at + 4].try_into().unwrap()) as i64 + delta;
        bad[at..at + 4].copy_from_slice(&(v as u32).to_le_bytes());
        assert_same(&tool(&gzip, &["-dc"], &bad), &data, "gzip reads it");
        let back = expect_ok(softqat(&["decompress"], &bad), "recorded size off");
        assert_same(&back, &data, &format!("recorded size {delta:+}"));
    }
    // A damaged byte in the third member's deflate data.
    let third = second_member + 32 + qz_member_sizes(&gz)[1].1 as usize;
    let mut bad = gz.clone();
    bad[third + 24 + 10] ^= 0x40;
    let out = softqat(&["decompress"], &bad);
    let err = expect_failure(&out, "damaged member");
    assert!(
        err.contains("gzip member 2"),
        "the member is not named: {err}"
    );
}

/// `softqat decompress` with stdout sent to `out` (opened for appending).
fn decompress_to_file(gz: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    let f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(out)
        .unwrap();
    std::process::Command::new(SOFTQAT)
        .arg("decompress")
        .arg(gz)
        .env_remove("SOFTQAT_CONFIG_DIR")
        .stdout(std::process::Stdio::from(f))
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn one_member_of_independent_pieces_decodes_in_parallel_and_a_failed_run_is_taken_back() {
    let gzip = system_tool("gzip");
    // About 2 MB of deflate: several pieces of the parallel path.
    let mut data = corpus("calgary");
    data.extend_from_slice(&corpus("canterbury"));
    data.extend_from_slice(&corpus("calgary"));
    let gz = softqat_then_gzip(&gzip, &data, &[], "one member");
    assert!(gz.len() > 1 << 20, "{} bytes of gzip", gz.len());
    // Through a pipe (kept until checked) and into a file (written early).
    let back = expect_ok(softqat(&["decompress"], &gz), "piped");
    assert_same(&back, &data, "piped");
    let dir = TempDir::new("pieces");
    let good = dir.write("good.gz", &gz);
    let out = dir.path().join("out");
    let r = decompress_to_file(&good, &out);
    assert!(r.status.success(), "{}", text(&r.stderr));
    assert_same(&std::fs::read(&out).unwrap(), &data, "into a file");
    // A damaged CRC is found after the pieces were written: the file is cut
    // back to what it held before the run.
    let mut damaged = gz.clone();
    let at = damaged.len() - 8;
    damaged[at] ^= 0x40;
    let bad = dir.write("bad.gz", &damaged);
    std::fs::write(&out, b"what was there before\n").unwrap();
    let r = decompress_to_file(&bad, &out);
    assert!(!r.status.success());
    assert!(
        text(&r.stderr).contains("CRC32 mismatch"),
        "{}",
        text(&r.stderr)
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"what was there before\n");
    // Through a pipe, nothing is written.
    let r = softqat(&["decompress"], &damaged);
    assert!(!r.status.success() && r.stdout.is_empty());
}
