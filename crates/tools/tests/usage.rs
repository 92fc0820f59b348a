//! Bad usage: unknown subcommands and options, missing files, bad values,
//! unwritable outputs, a closed stdout — each a non-zero exit with a clear
//! message and no panic; and the help and version output.

mod common;

use common::*;

/// Fails with a message containing every one of `needles`.
fn fails_saying(args: &[&str], needles: &[&str]) -> String {
    let out = softqat(args, b"");
    let err = expect_failure(&out, &format!("{args:?}"));
    for n in needles {
        assert!(err.contains(n), "softqat {args:?}: {n:?} not in:\n{err}");
    }
    assert!(out.stdout.is_empty(), "softqat {args:?} wrote stdout");
    err
}

#[test]
fn unknown_subcommands_and_options_are_rejected_with_usage() {
    fails_saying(
        &["frobnicate"],
        &["unrecognized subcommand 'frobnicate'", "Usage:"],
    );
    fails_saying(&["bench", "cy"], &["unrecognized subcommand 'cy'"]);
    fails_saying(
        &["config", "lint", "x"],
        &["unrecognized subcommand 'lint'"],
    );
    fails_saying(
        &["status", "--verbose"],
        &["unexpected argument '--verbose'"],
    );
    fails_saying(
        &["compress", "--levle", "3"],
        &["unexpected argument '--levle'"],
    );
    // No subcommand at all: usage on stderr.
    let out = softqat(&[], b"");
    let err = expect_failure(&out, "no arguments");
    assert!(err.contains("Usage: softqat <COMMAND>"), "{err}");
}

#[test]
fn missing_and_unwritable_files_are_named() {
    let t = TempDir::new("usage-files");
    let missing = t.arg("does-not-exist.gz");
    for cmd in ["compress", "decompress"] {
        fails_saying(&[cmd, &missing], &[&missing, "No such file or directory"]);
    }
    fails_saying(&["config", "check"], &["required", "<FILES>"]);
    let src = t.write("in", b"data");
    let out_path = t.arg("no/such/dir/out.gz");
    fails_saying(
        &["compress", &src.display().to_string(), "-o", &out_path],
        &[&out_path, "No such file or directory"],
    );
    // A directory as input.
    let dir = t.path().display().to_string();
    let err = fails_saying(&["compress", &dir], &[&dir]);
    assert!(err.starts_with("softqat: "), "{err}");
}

#[test]
fn bad_option_values_are_rejected() {
    fails_saying(
        &["compress", "-f", "bzip2"],
        &[
            "invalid value 'bzip2'",
            "gzip, gzip-ext, zlib, deflate, lz4",
        ],
    );
    fails_saying(&["decompress", "--format", "zip"], &["invalid value 'zip'"]);
    fails_saying(&["compress", "-l", "many"], &["invalid value 'many'"]);
    fails_saying(&["compress", "--request-size", "-5"], &["-5"]);
    fails_saying(
        &["bench", "dc", "--seconds", "soon"],
        &["invalid value 'soon'"],
    );
    // Levels outside 1–12: the service refuses them, and says which range.
    for level in ["0", "13", "99"] {
        let out = softqat(&["compress", "-l", level], b"some data");
        let err = expect_failure(&out, &format!("level {level}"));
        assert!(
            err.contains(&format!("compLevel {level}")) && err.contains("1..=12"),
            "level {level}: {err}"
        );
        assert!(out.stdout.is_empty(), "level {level}: output written");
    }
}

#[test]
fn a_closed_stdout_is_an_error_not_a_panic() {
    let t = TempDir::new("usage-pipe");
    let src = t.write("big", &text_bytes(4 << 20, 61));
    let sh = format!(
        "{q} compress -f lz4 {s} | {q} decompress | head -c 10 >/dev/null; exit 0",
        q = SOFTQAT,
        s = src.display()
    );
    let out = run_program(
        std::path::Path::new("/bin/sh"),
        &["-c", &sh],
        b"",
        &[("SOFTQAT_CONFIG_DIR", None), ("RUST_BACKTRACE", Some("0"))],
        None,
    );
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    // 4 MiB into a pipe whose reader left after 10 bytes: EPIPE, reported.
    assert!(err.contains("softqat: stdout: Broken pipe"), "{err}");
}

#[test]
fn help_and_version() {
    let out = expect_ok(softqat(&["--help"], b""), "--help");
    let help = text(&out);
    for sub in [
        "status",
        "config",
        "compress",
        "decompress",
        "sample",
        "bench",
    ] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{sub} "))),
            "{sub} missing from --help:\n{help}"
        );
    }
    let help = text(&expect_ok(
        softqat(&["compress", "--help"], b""),
        "compress --help",
    ));
    for opt in [
        "--format",
        "--level",
        "--static",
        "--request-size",
        "--output",
    ] {
        assert!(help.contains(opt), "{opt} missing:\n{help}");
    }
    let version = text(&expect_ok(softqat(&["--version"], b""), "--version"));
    assert_eq!(
        version.trim(),
        format!("softqat {}", env!("CARGO_PKG_VERSION"))
    );
}
