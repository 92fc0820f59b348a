//! softqatd's RAS side: the heartbeat monitor, faults injected and resets
//! started over the wire, the events clients holding a section receive, and
//! the debug files kept under the run directory.
//!
//! Every test runs as the daemon's own user, which may do everything: the
//! refusal of other users cannot be exercised here (it needs a second uid).

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::*;
use softqat_cpa::InstanceEvent;
use softqat_device::proto::{self, kind, Request};
use softqat_device::{Fault, HeartbeatStatus};
use softqat_manager::ConfigSource;

const CPA_INVALID_PARAM: i32 = -4;

/// A 4xxx endpoint (fixed 200 ms heartbeat period) with one dc instance
/// per process.
fn config(auto_reset: bool) -> (TempDir, ConfigSource) {
    let cfg = TempDir::new("ras-cfg");
    cfg.file(
        "4xxx_dev0.conf",
        &format!(
            "[GENERAL]\nServicesEnabled = dc\nConfigVersion = 2\nAutoResetOnError = {}\n\n\
             [KERNEL]\nNumberCyInstances = 0\nNumberDcInstances = 0\n\n\
             [SSL]\nNumberCyInstances = 0\nNumberDcInstances = 1\nNumProcesses = 2\n\
             LimitDevAccess = 0\nDc0Name = \"Dc0\"\nDc0IsPolled = 1\nDc0CoreAffinity = 0\n",
            u8::from(auto_reset)
        ),
    );
    let source = ConfigSource::Dir(cfg.path().to_path_buf());
    (cfg, source)
}

fn start(auto_reset: bool, period_ms: u64) -> (TempDir, TestDaemon) {
    let (cfg, source) = config(auto_reset);
    let d = TestDaemon::start_with(source, |o| {
        o.heartbeat_period = (period_ms > 0).then(|| Duration::from_millis(period_ms));
    });
    (cfg, d)
}

fn debug_dir(d: &TestDaemon) -> PathBuf {
    d.daemon()
        .run_dir()
        .join("debug")
        .join("qat_4xxx_0000:6b:00.0")
}

/// Waits (at most 10 s) until `file` in the debug directory reads `want`.
fn wait_file(d: &TestDaemon, file: &str, want: &str) {
    let path = debug_dir(d).join(file);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = std::fs::read_to_string(&path).unwrap_or_default();
        if got == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{}: {got:?}, wanted {want:?}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn heartbeat(c: &mut Client, endpoint: Option<u32>) -> Vec<(u32, HeartbeatStatus)> {
    let f = c.call(&Request::Heartbeat { endpoint }, &[]);
    assert_eq!(
        f.kind,
        kind::HEARTBEAT_REPLY,
        "{:?}",
        proto::decode_error(&f.body)
    );
    proto::decode_heartbeat(&f.body).unwrap()
}

fn debug_read(c: &mut Client, file: &str) -> String {
    let f = c.call(
        &Request::DebugRead {
            endpoint: 0,
            file: file.into(),
        },
        &[],
    );
    assert_eq!(f.kind, kind::TEXT, "{:?}", proto::decode_error(&f.body));
    proto::decode_text(&f.body).unwrap()
}

/// The events a client receives, until `n` have come (10 s at most).
fn events(c: &mut Client, n: usize) -> Vec<(u32, InstanceEvent)> {
    (0..n).map(|_| c.next_event()).collect()
}

#[test]
fn the_monitor_detects_a_hang_and_auto_reset_brings_the_endpoint_back() {
    let (_cfg, d) = start(true, 200);
    let mut app = d.connect();
    let _s = app.section("SSL");
    let mut ctl = d.connect();
    let started = Instant::now();
    let said = ctl.ok(&Request::Inject {
        endpoint: 0,
        fault: Fault::EngineHang,
    });
    assert!(said.contains("injected hang"), "{said}");
    // Loop counters freeze: three stuck checks after the first sample, at
    // 200 ms each, then the fatal path and the automatic reset.
    assert_eq!(
        events(&mut app, 3),
        vec![
            (0, InstanceEvent::FatalError),
            (0, InstanceEvent::Restarting),
            (0, InstanceEvent::Restarted)
        ]
    );
    let took = started.elapsed();
    assert!(took < Duration::from_secs(8), "{took:?}");
    d.log.wait_for("qat_dev0: heartbeat failed");
    assert!(d
        .log
        .wait_for("injected hang into qat_dev0")
        .contains("client pid"));
    // Up and alive again: the reset cleared the hang.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let st = heartbeat(&mut ctl, Some(0));
        if st == vec![(0, HeartbeatStatus::Alive)] {
            break;
        }
        assert!(Instant::now() < deadline, "{st:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(ctl.status()[0].state, softqat_device::DeviceState::Up as u8);
    let failed: u64 = debug_read(&mut ctl, "heartbeat/queries_failed")
        .trim()
        .parse()
        .unwrap();
    assert!(failed >= 1, "{failed}");
}

#[test]
fn without_auto_reset_the_endpoint_stays_in_error_until_reset_over_the_wire() {
    let (_cfg, d) = start(false, 200);
    let mut app = d.connect();
    let _s = app.section("SSL");
    let mut ctl = d.connect();
    wait_file(&d, "heartbeat/status", "0\n");
    wait_file(&d, "qat_ras/errors_fatal", "0\n");
    ctl.ok(&Request::Inject {
        endpoint: 0,
        fault: Fault::FatalError,
    });
    assert_eq!(app.next_event(), (0, InstanceEvent::FatalError));
    // The endpoint is not up: the file reads -1, the counter counts.
    wait_file(&d, "heartbeat/status", "-1\n");
    wait_file(&d, "qat_ras/errors_fatal", "1\n");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        ctl.status()[0].state,
        softqat_device::DeviceState::Error as u8
    );
    assert_eq!(
        heartbeat(&mut ctl, None),
        vec![(0, HeartbeatStatus::Unresponsive)]
    );
    assert!(app.events.is_empty(), "{:?}", app.events);
    // A fatal fault needs the endpoint up.
    let (_, msg) = ctl.error(
        &Request::Inject {
            endpoint: 0,
            fault: Fault::EngineHang,
        },
        &[],
    );
    assert!(msg.contains("bring it up"), "{msg}");

    let said = ctl.ok(&Request::ResetAsync { endpoint: 0 });
    assert!(said.contains("reset started"), "{said}");
    assert_eq!(
        events(&mut app, 2),
        vec![
            (0, InstanceEvent::Restarting),
            (0, InstanceEvent::Restarted)
        ]
    );
    wait_file(&d, "heartbeat/status", "0\n");
}

#[test]
fn debug_files_are_kept_under_the_run_directory_and_removed_at_shutdown() {
    let (_cfg, mut d) = start(false, 0);
    let dir = debug_dir(&d);
    // Written at start, without a monitor too.
    let fw = std::fs::read_to_string(dir.join("fw_counters")).unwrap();
    assert!(
        fw.starts_with("AE         Requests       Responses\n"),
        "{fw:?}"
    );
    assert!(std::fs::read_to_string(dir.join("version"))
        .unwrap()
        .contains("Firmware version"));
    assert!(dir.join("dev_cfg").exists());
    for f in [
        "heartbeat_failed",
        "heartbeat_sent",
        "heartbeat/queries_sent",
        "heartbeat/queries_failed",
        "qat_ras/errors_correctable",
        "qat_ras/errors_nonfatal",
        "qat_ras/errors_fatal",
    ] {
        assert_eq!(std::fs::read_to_string(dir.join(f)).unwrap(), "0\n", "{f}");
    }
    // Never refreshed by reading (a read performs a check or arms a
    // failure); write-only files are not there; no temporary files left.
    assert!(!dir.join("heartbeat_sim_fail").exists());
    assert!(!dir.join("heartbeat/inject_error").exists());
    assert!(!dir.join("qat_ras/reset_error_counters").exists());
    // No monitor: heartbeat/status appears with the first check a client asks for.
    assert!(!dir.join("heartbeat/status").exists());
    let mut ctl = d.connect();
    assert_eq!(
        heartbeat(&mut ctl, Some(0)),
        vec![(0, HeartbeatStatus::Alive)]
    );
    wait_file(&d, "heartbeat/status", "0\n");
    wait_file(&d, "heartbeat/queries_sent", "1\n");
    // Correctable errors are counted; writes reach the endpoint.
    ctl.ok(&Request::Inject {
        endpoint: 0,
        fault: Fault::Correctable,
    });
    wait_file(&d, "qat_ras/errors_correctable", "1\n");
    ctl.ok(&Request::DebugWrite {
        endpoint: 0,
        file: "qat_ras/reset_error_counters".into(),
        value: "1".into(),
    });
    wait_file(&d, "qat_ras/errors_correctable", "0\n");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    d.shutdown();
    assert!(!dir.exists());
    assert!(!d.run.path().join("softqat/debug").exists());
}

#[test]
fn bad_ras_requests_get_errors_that_say_what_to_do() {
    let (_cfg, d) = start(false, 0);
    let mut c = d.connect();
    for req in [
        Request::Heartbeat { endpoint: Some(9) },
        Request::ResetAsync { endpoint: 9 },
        Request::Inject {
            endpoint: 9,
            fault: Fault::FatalError,
        },
        Request::RasPolicy { endpoint: 9 },
    ] {
        let (st, msg) = c.error(&req, &[]);
        assert_eq!(st, CPA_INVALID_PARAM);
        assert!(
            msg.contains("no endpoint qat_dev9") && msg.contains("qat_dev0"),
            "{msg}"
        );
    }
    let (_, msg) = c.error(
        &Request::DebugRead {
            endpoint: 0,
            file: "../../etc/passwd".into(),
        },
        &[],
    );
    assert!(
        msg.contains("no debug file") && msg.contains("fw_counters"),
        "{msg}"
    );
    let (_, msg) = c.error(
        &Request::DebugWrite {
            endpoint: 0,
            file: "fw_counters".into(),
            value: "1".into(),
        },
        &[],
    );
    assert!(msg.contains("cannot be written"), "{msg}");
    let (_, msg) = c.error(
        &Request::DebugWrite {
            endpoint: 0,
            file: "heartbeat/config".into(),
            value: "50".into(),
        },
        &[],
    );
    assert!(msg.contains("minimum of 200 ms"), "{msg}");
    let (_, msg) = c.error(
        &Request::Inject {
            endpoint: 0,
            fault: Fault::RingPairError {
                bank: 7,
                ring_pair: 0,
            },
        },
        &[],
    );
    assert!(msg.contains("not in use"), "{msg}");
    // A malformed body: an error, and the connection still serves.
    c.send_raw(kind::INJECT, &[0, 0, 0, 0, 77, 0, 0, 0, 0, 0, 0, 0, 0], &[]);
    let (st, msg) = expect_error(&c.reply());
    assert_eq!(st, CPA_INVALID_PARAM);
    assert!(msg.contains("unknown fault code 77"), "{msg}");
    // The policy of the configuration.
    let f = c.call(&Request::RasPolicy { endpoint: 0 }, &[]);
    assert_eq!(f.kind, kind::RAS_POLICY_REPLY);
    let p = proto::decode_ras_policy(&f.body).unwrap();
    assert!(!p.auto_reset && p.fixed_period);
    assert_eq!(p.heartbeat_period, Duration::from_millis(200));
    assert_eq!(c.status().len(), 1);
}

#[test]
fn a_heartbeat_period_below_the_minimum_is_refused() {
    let (_cfg, source) = config(false);
    let run = TempDir::new("ras-run");
    let e = softqat_manager::Daemon::start(softqat_manager::DaemonOptions {
        run_dir: run.path().join("softqat"),
        config: source,
        engine_threads: Some(1),
        heartbeat_period: Some(Duration::from_millis(150)),
        ..softqat_manager::DaemonOptions::default()
    })
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("minimum of 200 ms") && e.contains("0 to turn"),
        "{e}"
    );
}
