//! `softqat` under exhausted resources (issue 10, defect 2): with too few
//! descriptors (`ulimit -n`) or too little address space (`ulimit -v`), a
//! run either works (and its output is right) or fails with exit 1 and a
//! message that names the limit and the fix — never a panic (exit 101), an
//! abort or a signal.

mod common;

use std::io::Read;
use std::process::Output;

use common::*;

/// Runs `softqat args…` through `sh -c 'ulimit <flag> <value>; exec …'`,
/// embedded mode, the built-in configuration.
fn limited(flag: &str, value: u64, args: &[&str]) -> Output {
    limited_env(flag, value, args, &[])
}

/// As [`limited`], with environment changes `env` besides.
fn limited_env(flag: &str, value: u64, args: &[&str], env: &[(&str, Option<&str>)]) -> Output {
    let mut script = format!("ulimit {flag} {value} && exec \"$0\"");
    for i in 1..=args.len() {
        script.push_str(&format!(" \"${i}\""));
    }
    let mut argv = vec!["-c", script.as_str(), SOFTQAT];
    argv.extend_from_slice(args);
    run_program(
        std::path::Path::new("/bin/sh"),
        &argv,
        b"",
        &[
            &[
                ("SOFTQAT_CONFIG_DIR", None),
                ("SOFTQAT_MODE", Some("embedded")),
                ("RUST_BACKTRACE", Some("0")),
            ],
            env,
        ]
        .concat(),
        None,
    )
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(data)
        .read_to_end(&mut out)
        .expect("softqat's gzip output decodes");
    out
}

/// A run that worked produced the right output; one that failed exited 1
/// saying which limit to raise. Returns true if it failed.
fn check_run(out: &Output, what: &str, want: &[u8], limit_words: &[&str]) -> bool {
    let err = text(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("memory allocation of"),
        "{what}: panic or abort:\n{err}"
    );
    match out.status.code() {
        Some(0) => {
            assert_same(&gunzip(&out.stdout), want, what);
            false
        }
        Some(1) => {
            assert!(
                limit_words.iter().all(|w| err.contains(w)),
                "{what}: the message does not name the limit ({limit_words:?}):\n{err}"
            );
            true
        }
        other => panic!("{what}: ended with {other:?} (not 0 or 1):\n{err}"),
    }
}

#[test]
fn too_few_descriptors_is_an_error_naming_ulimit_n() {
    let dir = TempDir::new("nofile");
    let data = text_bytes(300_000, 7);
    let file = dir.write("input", &data);
    let file = file.display().to_string();
    // The reproducer: `(ulimit -n 13; softqat compress FILE)`.
    let out = limited("-n", 13, &["compress", &file]);
    assert!(
        check_run(
            &out,
            "ulimit -n 13",
            &data,
            &["ulimit -n", "RLIMIT_NOFILE = 13"]
        ),
        "ulimit -n 13 is expected to be too few for the built-in endpoints"
    );
    // Every limit from too few to enough: each run works or says why not.
    let mut failed = 0;
    let mut worked = 0;
    for n in 11..=40 {
        let out = limited("-n", n, &["compress", &file]);
        if check_run(&out, &format!("ulimit -n {n}"), &data, &["ulimit -n"]) {
            failed += 1;
        } else {
            worked += 1;
        }
    }
    assert!(failed > 0 && worked > 0, "{failed} failed, {worked} worked");
    // Decompression too.
    let gz = gunzip_input(&data);
    let gzf = dir.write("input.gz", &gz);
    let out = limited("-n", 13, &["decompress", &gzf.display().to_string()]);
    let err = expect_failure(&out, "decompress under ulimit -n 13");
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("ulimit -n"), "{err}");
}

/// `data` as gzip, made by flate2.
fn gunzip_input(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn too_little_address_space_is_an_error_naming_ulimit_v() {
    let dir = TempDir::new("as");
    let data = text_bytes(300_000, 9);
    let small = dir.write("small", &data).display().to_string();
    let big_data = random_bytes(24 << 20, 3);
    let big = dir.write("big", &big_data).display().to_string();
    // Below some size the dynamic loader itself cannot map the binary and
    // softqat never runs: start from the first limit it runs under.
    let limits_kib: Vec<u64> = (1..=20).map(|i| i * 10_000).collect();
    let first = limits_kib
        .iter()
        .copied()
        .find(|&v| limited("-v", v, &["--version"]).status.success())
        .expect("softqat --version runs under 200 MB");
    let big_gz = dir
        .write("big.gz", &gunzip_input(&big_data))
        .display()
        .to_string();
    let mut failed = 0;
    let mut worked = 0;
    for &v in limits_kib.iter().filter(|&&v| v >= first) {
        for (file, want) in [(&small, &data), (&big, &big_data)] {
            let out = limited("-v", v, &["compress", file]);
            if check_run(&out, &format!("ulimit -v {v}"), want, &["ulimit -v"]) {
                failed += 1;
            } else {
                worked += 1;
            }
        }
        // Decompression: the output is checked as it is (not gzip).
        let out = limited("-v", v, &["decompress", &big_gz]);
        let err = text(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("memory allocation of"),
            "decompress under ulimit -v {v}:\n{err}"
        );
        match out.status.code() {
            Some(0) => assert_same(&out.stdout, &big_data, "decompress"),
            Some(1) => assert!(err.contains("ulimit -v"), "ulimit -v {v}:\n{err}"),
            other => panic!("decompress under ulimit -v {v}: {other:?}\n{err}"),
        }
    }
    assert!(failed > 0 && worked > 0, "{failed} failed, {worked} worked");
}

/// One request far larger than the 64 KiB an engine is admitted for: its
/// compress-and-verify scratch (the request's size again) is allocated on
/// the engine thread, where an infallible allocation aborted the process
/// ("memory allocation of N bytes failed") under a limit that left room for
/// everything else. Now the request is answered CPA_STATUS_RESOURCE and the
/// command says which limit to raise. The limits tried go up from where
/// nothing fits to where everything does; somewhere between, only the
/// engine's scratch is refused.
#[test]
fn an_oversized_request_under_ulimit_v_is_an_error_not_an_abort() {
    const MIB16: usize = 16 << 20;
    let dir = TempDir::new("scratch");
    let data = text_bytes(MIB16, 5);
    let file = dir.write("input", &data).display().to_string();
    let request_size = MIB16.to_string();
    let args = ["compress", "--request-size", &request_size, &file];
    // One malloc arena: how much address space a run takes then does not
    // depend on which threads allocated first, so a limit means the same
    // thing from run to run and the window in which only the engine's
    // scratch is refused (about 16 MiB wide) is found by 4 MB steps.
    let env = [("MALLOC_ARENA_MAX", Some("1"))];
    let mut scratch_refused = 0;
    let mut worked = false;
    for v in (40_000..=600_000).step_by(4_000) {
        let out = limited_env("-v", v, &args, &env);
        let what = format!("ulimit -v {v}");
        if !check_run(&out, &what, &data, &["ulimit -v"]) {
            worked = true;
            break;
        }
        let err = text(&out.stderr);
        if err.contains("the engine had no memory for its scratch") {
            assert!(
                err.contains(&format!("`ulimit -v` = {v} KiB")) && err.contains("--request-size"),
                "{what}: the message names neither the limit nor the smaller requests:\n{err}"
            );
            scratch_refused += 1;
        }
    }
    assert!(
        worked,
        "16 MiB requests never worked under ulimit -v 600000"
    );
    assert!(
        scratch_refused > 0,
        "no limit tried refused only the engine's scratch: the test no longer reaches it"
    );
}
