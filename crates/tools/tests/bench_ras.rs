//! `softqat bench ras` (issue 12, item 6): failures of every kind injected
//! under asynchronous load, every request answered exactly once.

mod common;

use common::*;

/// A short soak in JSON: nothing lost or duplicated, real and dummy
/// responses both seen (the failures hit requests in flight), each kind
/// injected as often as asked, a restart time for each fatal failure.
#[test]
fn bench_ras_json_loses_and_duplicates_nothing() {
    let out = softqat(&["bench", "ras", "--failures", "20", "--json"], b"");
    let stdout = text(&expect_ok(out, "bench ras --failures 20 --json"));
    let v: serde_json::Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"));
    assert_eq!(v["benchmark"], "ras");
    let n = |path: &[&str]| {
        let mut x = &v;
        for p in path {
            x = &x[*p];
        }
        x.as_u64()
            .unwrap_or_else(|| panic!("{path:?} is not a count:\n{stdout}"))
    };
    assert_eq!(n(&["requests", "lost"]), 0, "{stdout}");
    assert_eq!(n(&["requests", "duplicated"]), 0, "{stdout}");
    assert_eq!(n(&["requests", "unexpected_ids"]), 0, "{stdout}");
    assert_eq!(n(&["responses", "wrong"]), 0, "{stdout}");
    let submitted = n(&["requests", "submitted"]);
    assert!(submitted > 0, "{stdout}");
    assert_eq!(n(&["responses", "total"]), submitted, "{stdout}");
    assert!(n(&["responses", "real"]) > 0, "{stdout}");
    assert!(n(&["responses", "dummy"]) > 0, "{stdout}");
    for kind in ["heartbeat", "hang", "fatal", "ring_pair", "correctable"] {
        assert_eq!(n(&["failures", kind]), 4, "{kind}:\n{stdout}");
    }
    assert_eq!(n(&["failures", "total"]), 20, "{stdout}");
    assert_eq!(n(&["injected_without_requests_in_flight"]), 0, "{stdout}");
    // One restart per heartbeat failure, hang and fatal error; none stalled.
    assert_eq!(n(&["restarted_ms", "count"]), 12, "{stdout}");
    assert_eq!(n(&["stalled_restarts"]), 0, "{stdout}");
    let (median, max) = (
        v["restarted_ms"]["median"].as_f64().unwrap(),
        v["restarted_ms"]["max"].as_f64().unwrap(),
    );
    assert!(median > 0.0 && median <= max, "{stdout}");
    assert_eq!(v["targets"]["lost_zero"], true, "{stdout}");
    assert_eq!(v["targets"]["duplicated_zero"], true, "{stdout}");
}

/// The table names the targets, and a bad option says what to give.
#[test]
fn bench_ras_table_and_bad_options() {
    let out = softqat(&["bench", "ras", "--failures", "5", "--threads", "2"], b"");
    let stdout = text(&expect_ok(out, "bench ras --failures 5 --threads 2"));
    for want in [
        "heartbeat period 5 ms",
        "requests submitted",
        "dummy (CPA_STATUS_FAIL)",
        "lost                                       0   target 0: met",
        "duplicated                                 0   target 0: met",
        "failure → RESTARTED",
    ] {
        assert!(stdout.contains(want), "no {want:?} in:\n{stdout}");
    }
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("  client: "))
            .count(),
        2,
        "{stdout}"
    );
    let out = softqat(&["bench", "ras", "--threads", "99"], b"");
    let err = expect_failure(&out, "bench ras --threads 99");
    assert!(err.contains("--threads 99: give 1 to"), "{err}");
}
