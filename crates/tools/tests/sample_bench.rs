//! `softqat sample --quick` (functional checks then the performance table)
//! and `softqat bench dc` (JSON and table), and their corpus lookup.

mod common;

use common::*;

/// `softqat sample --quick` passes every functional check and prints the
/// performance table: header, units line and 16 rows of positive figures.
#[test]
fn sample_quick_passes_its_checks_and_prints_the_table() {
    let out = softqat(&["sample", "--quick"], b"");
    let stdout = text(&expect_ok(out, "softqat sample --quick"));
    // One "N passed, 0 failed" per part (compression, symmetric and
    // public-key crypto), N ≥ 1, and no FAIL line.
    let summaries: Vec<(u32, u32)> = stdout
        .lines()
        .map(str::trim)
        .filter(|l| l.ends_with(" failed") && l.contains(" passed, "))
        .map(|l| {
            let (p, f) = l.split_once(" passed, ").unwrap();
            (
                p.parse::<u32>().unwrap(),
                f.trim_end_matches(" failed").parse::<u32>().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summaries.len(),
        3,
        "compression, symmetric and public-key summaries:\n{stdout}"
    );
    let passed: u32 = summaries.iter().map(|s| s.0).sum();
    for (p, f) in &summaries {
        assert_eq!(*f, 0, "{stdout}");
        assert!(*p >= 1, "{stdout}");
    }
    let pass_lines = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("PASS "))
        .count();
    assert_eq!(pass_lines as u32, passed, "{stdout}");
    check_symmetric_tables(&stdout);
    check_public_key_table(&stdout);
    assert!(
        !stdout.lines().any(|l| l.trim_start().starts_with("FAIL ")),
        "{stdout}"
    );
    // The endpoints are listed in the status format.
    assert!(
        stdout.contains("qat_dev0 - type: 4xxx"),
        "no endpoint list:\n{stdout}"
    );
    // The table.
    let lines: Vec<&str> = stdout.lines().collect();
    let h = lines
        .iter()
        .position(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            w == [
                "Direction",
                "Level",
                "Huffman",
                "Packet",
                "Throughput",
                "MB/s",
                "Ratio",
            ]
        })
        .unwrap_or_else(|| panic!("no table header:\n{stdout}"));
    let units: Vec<&str> = lines[h + 1].split_whitespace().collect();
    assert_eq!(units, ["(bytes)", "(Mbps)"], "{stdout}");
    let rows: Vec<Vec<&str>> = lines[h + 2..]
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 16, "{stdout}");
    for r in &rows {
        assert_eq!(r.len(), 7, "{r:?}");
        assert!(["compress", "decompress"].contains(&r[0]), "{r:?}");
        assert!(["1", "2"].contains(&r[1]), "{r:?}");
        assert!(["static", "dynamic"].contains(&r[2]), "{r:?}");
        assert!(["8192", "65536"].contains(&r[3]), "{r:?}");
        for figure in &r[4..] {
            let v: f64 = figure.parse().unwrap_or_else(|_| panic!("{r:?}"));
            assert!(v > 0.0, "non-positive figure in {r:?}");
        }
        // Mbps is 8 × MB/s (rounded).
        let (mbps, mb) = (r[4].parse::<f64>().unwrap(), r[5].parse::<f64>().unwrap());
        assert!((mbps - 8.0 * mb).abs() <= 1.0 + mb * 0.01, "{r:?}");
        // Text compresses: ratio above 1.
        assert!(r[6].parse::<f64>().unwrap() > 1.0, "{r:?}");
    }
    assert!(
        stdout.contains("Instance statistics:"),
        "no statistics:\n{stdout}"
    );
}

/// The figures of `mb_per_s.<path>.<dir>`.
fn figure(v: &serde_json::Value, path: &str, dir: &str) -> f64 {
    v["mb_per_s"][path][dir]
        .as_f64()
        .unwrap_or_else(|| panic!("mb_per_s.{path}.{dir} missing: {v}"))
}

#[test]
fn bench_dc_json_is_valid_with_positive_figures() {
    let calgary = corpus("calgary");
    let out = softqat(
        &["bench", "dc", "--json", "--seconds", "0.2", "--trials", "1"],
        b"",
    );
    let stdout = text(&expect_ok(out, "bench dc --json"));
    let v: serde_json::Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"));
    assert_eq!(v["benchmark"], "dc");
    assert_eq!(v["input_bytes"].as_u64(), Some(calgary.len() as u64));
    assert_eq!(v["level"].as_u64(), Some(1));
    assert_eq!(v["trials"].as_u64(), Some(1));
    assert_eq!(v["request_size"].as_u64(), Some(65536));
    assert_eq!(v["huffman"], "dynamic");
    let frac = v["compressed_fraction"].as_f64().unwrap();
    assert!(frac > 0.0 && frac < 1.0, "compressed fraction {frac}");
    for path in ["raw_engine", "stack", "libdeflate"] {
        for dir in ["compress", "decompress"] {
            let f = figure(&v, path, dir);
            assert!(f.is_finite() && f > 0.0, "{path} {dir}: {f}");
        }
    }
    // The ratios are the quotients of the figures.
    let r = v["ratios"]["stack_over_raw"]["compress"].as_f64().unwrap();
    let q = figure(&v, "stack", "compress") / figure(&v, "raw_engine", "compress");
    assert!((r - q).abs() <= 1e-9 * q.max(1.0), "ratio {r} vs {q}");
}

#[test]
fn bench_sym_json_pairs_the_stack_with_the_raw_engine() {
    let out = softqat(
        &[
            "bench",
            "sym",
            "--json",
            "--seconds",
            "0.1",
            "--trials",
            "1",
        ],
        b"",
    );
    let stdout = text(&expect_ok(out, "bench sym --json"));
    let v: serde_json::Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"));
    assert_eq!(v["benchmark"], "sym");
    for (path, dir) in [
        ("aes128_gcm_4k", "ring"),
        ("aes128_gcm_4k", "raw_engine"),
        ("aes128_gcm_4k", "stack"),
        ("aes128_cbc_hmac_sha256_4k", "raw_engine"),
        ("aes128_cbc_hmac_sha256_4k", "stack"),
    ] {
        let f = figure(&v, path, dir);
        assert!(f.is_finite() && f > 0.0, "{path} {dir}: {f}");
    }
    for r in [
        "stack_over_raw_gcm_4k",
        "raw_over_ring_gcm_4k",
        "stack_over_raw_chain_4k",
    ] {
        let x = v["ratios"][r]
            .as_f64()
            .unwrap_or_else(|| panic!("{r} missing: {v}"));
        assert!(x.is_finite() && x > 0.0, "{r}: {x}");
    }
    assert!(v["dp_overhead_ns_per_request"]
        .as_f64()
        .is_some_and(f64::is_finite));
    let rt = &v["core_round_trip_ns"];
    if std::thread::available_parallelism().map_or(1, |n| n.get()) > 1 {
        let (lo, mid, hi) = (
            rt["low"].as_f64().unwrap(),
            rt["median"].as_f64().unwrap(),
            rt["high"].as_f64().unwrap(),
        );
        assert!(0.0 < lo && lo <= mid && mid <= hi, "{rt}");
    }
}

#[test]
fn bench_dc_table_and_options() {
    let out = softqat(
        &[
            "bench",
            "dc",
            "--file",
            "calgary32",
            "--seconds",
            "0.05",
            "--trials",
            "1",
            "--level",
            "6",
            "--size",
            "8192",
            "--static",
        ],
        b"",
    );
    let stdout = text(&expect_ok(out, "bench dc table"));
    assert!(
        stdout.starts_with(
            "softqat bench dc: calgary32 (32768 bytes), deflate L6 static, 8192-byte requests"
        ),
        "{stdout}"
    );
    for row in [
        "libdeflate L6 + CRC32 (reference)",
        "raw engine",
        "stack (async, 1 instance)",
        "stack / raw engine",
    ] {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(row))
            .unwrap_or_else(|| panic!("no row {row:?}:\n{stdout}"));
        let nums: Vec<f64> = line[row.len()..]
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        assert_eq!(nums.len(), 2, "{line}");
        assert!(nums.iter().all(|&n| n > 0.0), "{line}");
    }
}

#[test]
fn a_missing_corpus_is_named_with_the_fix() {
    // With SOFTQAT_CORPUS_DIR set, that directory is the only place looked in.
    let t = TempDir::new("no-corpus");
    let dir = t.path().display().to_string();
    for args in [
        &["sample", "--quick"][..],
        &["bench", "dc", "--seconds", "0.01", "--trials", "1"][..],
    ] {
        let out = softqat_in(
            args,
            b"",
            &[("SOFTQAT_CORPUS_DIR", Some(dir.as_str()))],
            Some(t.path()),
        );
        let err = expect_failure(&out, &format!("{args:?} without corpus"));
        assert!(
            err.contains(&format!("\"calgary\" not found in {dir}"))
                && err.contains("SOFTQAT_CORPUS_DIR"),
            "{err}"
        );
    }
    // A path that does not exist, given explicitly.
    let missing = t.path().join("missing.bin").display().to_string();
    let out = softqat(&["sample", "--quick", "--corpus", &missing], b"");
    let err = expect_failure(&out, "--corpus missing");
    assert!(err.contains("not found"), "{err}");
}

/// The size `bench dc --file calgary32` reports, run in `cwd` without
/// SOFTQAT_CORPUS_DIR.
fn calgary32_size_seen_from(cwd: &std::path::Path) -> String {
    let out = softqat_in(
        &[
            "bench",
            "dc",
            "--file",
            "calgary32",
            "--seconds",
            "0.02",
            "--trials",
            "1",
            "--size",
            "4096",
        ],
        b"",
        &[("SOFTQAT_CORPUS_DIR", None)],
        Some(cwd),
    );
    let stdout = text(&expect_ok(out, "bench dc --file calgary32"));
    let first = stdout.lines().next().unwrap_or_default();
    let size = first
        .strip_prefix("softqat bench dc: calgary32 (")
        .and_then(|r| r.split_once(" bytes)"))
        .unwrap_or_else(|| panic!("unexpected first line:\n{stdout}"));
    size.0.to_string()
}

/// Without SOFTQAT_CORPUS_DIR: `corpus/` in the current directory or a parent
/// first, then the repository softqat was built from.
#[test]
fn without_the_variable_the_corpus_is_found_from_the_cwd_then_the_build_tree() {
    let t = TempDir::new("cwd-corpus");
    std::fs::create_dir_all(t.path().join("corpus")).unwrap();
    std::fs::create_dir_all(t.path().join("sub/dir")).unwrap();
    t.write("corpus/calgary32", &text_bytes(5000, 51));
    assert_eq!(calgary32_size_seen_from(&t.path().join("sub/dir")), "5000");
    // Nothing in the cwd or its parents: the build tree's corpus/.
    let empty = TempDir::new("no-cwd-corpus");
    assert_eq!(
        calgary32_size_seen_from(empty.path()),
        corpus("calgary32").len().to_string()
    );
}

/// An empty corpus file is an error that says what to do, not a panic.
#[test]
fn bench_dc_refuses_an_empty_file() {
    let dir = std::env::temp_dir().join(format!("softqat-bench-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty");
    std::fs::write(&empty, b"").unwrap();
    let args = [
        "bench",
        "dc",
        "--file",
        empty.to_str().unwrap(),
        "--seconds",
        "0.05",
    ];
    let out = softqat(&args, b"");
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    assert!(stderr.contains("is empty"), "{args:?}: {stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

/// The symmetric tables of `softqat sample --quick`: the sample code's set
/// in both APIs, every size and IMIX, every figure positive.
fn check_symmetric_tables(stdout: &str) {
    let lines: Vec<&str> = stdout.lines().collect();
    for api in ["traditional API, MB/s", "data plane, MB/s"] {
        let h = lines
            .iter()
            .position(|l| l.trim_start().starts_with(api))
            .unwrap_or_else(|| panic!("no {api} table:\n{stdout}"));
        let head: Vec<&str> = lines[h].split_whitespace().collect();
        assert_eq!(
            &head[head.len() - 8..],
            ["64", "128", "256", "512", "1024", "2048", "4096", "IMIX"],
            "{stdout}"
        );
        let rows: Vec<&str> = lines[h + 1..]
            .iter()
            .copied()
            .take_while(|l| !l.trim().is_empty())
            .collect();
        assert_eq!(
            rows.len(),
            15,
            "12 gen4 rows and 3 wireless rows:\n{stdout}"
        );
        for name in [
            "AES-128-GCM",
            "ChaCha20-Poly1305",
            "AES-XTS (512-bit key)",
            "ZUC EEA3 (c6xx)",
        ] {
            assert!(
                rows.iter().any(|r| r.trim_start().starts_with(name)),
                "{name}:\n{stdout}"
            );
        }
        for r in &rows {
            let w: Vec<&str> = r.split_whitespace().collect();
            for figure in &w[w.len() - 8..] {
                let v: f64 = figure.parse().unwrap_or_else(|_| panic!("{r}"));
                assert!(v > 0.0, "non-positive figure in {r}");
            }
        }
    }
}

/// The public-key table: every operation of the sample's set with a
/// positive rate (DH says "legacy only" on 4xxx without legacy algorithms).
fn check_public_key_table(stdout: &str) {
    let from = stdout
        .find("Public-key performance")
        .unwrap_or_else(|| panic!("no public-key table:\n{stdout}"));
    let table = &stdout[from..];
    for name in [
        "RSA-2048 CRT decrypt",
        "RSA-4096 CRT decrypt",
        "ECDSA P-256 sign",
        "ECDSA P-256 verify",
        "ECDSA P-384 sign",
        "ECDSA P-384 verify",
        "ECDH P-256",
        "X25519",
        "Ed25519 [k]B",
        "SM2 sign",
    ] {
        let line = table
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("no row {name}:\n{stdout}"));
        let rate: f64 = line
            .split_whitespace()
            .last()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no rate in {line:?}"));
        assert!(rate > 0.0, "{line}");
    }
    assert!(table.contains("DH-2048 phase 2"), "{stdout}");
}
