//! RAS through the SAL, embedded mode: dummy responses for every service
//! (in submission order, each FAIL, counted as errors), the same instances
//! serving again after a reset, events delivered only by
//! `poll_device_events` and in order, a synchronous caller released by a
//! fatal error, refusals in error and while restarting, automatic reset off
//! and on, a reset storm refused, the heartbeat as the SAL sees it, and
//! instances on an endpoint brought up later.
//!
//! Each test has its own configuration directory, hence its own endpoint.
//! The device-event queue is per process, so the tests of this file run one
//! at a time ([`serial`]): one test's poll must not deliver another's
//! events before it looks.

mod common;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use common::*;
use softqat_device::DeviceState;
use softqat_sal::sym::{CipherAlgorithm, CipherDirection};
use softqat_sal::{
    AsymCallback, AsymFunction, AsymOp, CpaStatus, CyInstance, DcInstance, DcOpData, DmaBuf,
    EndpointLink, Fault, FlushFlag, HeartbeatStatus, InstanceEvent, Qat, RasPolicy, SymData,
    SymOpData, SymRequest, SymSessionSetup,
};

fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    let g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    // Whatever an earlier test left queued is not this test's.
    softqat_sal::poll_device_events();
    g
}

/// A c6xx endpoint with compression and crypto, and two user sections:
/// `[RAS]` (one dc and one cy instance) and `[LATE]` (one dc instance).
fn conf() -> String {
    let mut s = String::from(
        "[GENERAL]\nServicesEnabled = cy;dc\nConfigVersion = 2\n\
         CyNumConcurrentSymRequests = 64\nCyNumConcurrentAsymRequests = 64\n\
         DcNumConcurrentRequests = 64\n\n\
         [KERNEL]\nNumberCyInstances = 0\nNumberDcInstances = 0\n\n",
    );
    s.push_str(
        "[RAS]\nNumberCyInstances = 1\nNumberDcInstances = 1\nNumProcesses = 1\n\
         LimitDevAccess = 0\n\
         Cy0Name = \"Cy0\"\nCy0IsPolled = 1\nCy0CoreAffinity = 0\n\
         Dc0Name = \"Dc0\"\nDc0IsPolled = 1\nDc0CoreAffinity = 0\n\n",
    );
    s.push_str(
        "[LATE]\nNumberCyInstances = 0\nNumberDcInstances = 1\nNumProcesses = 1\n\
         LimitDevAccess = 0\n\
         Dc0Name = \"Late0\"\nDc0IsPolled = 1\nDc0CoreAffinity = 0\n",
    );
    s
}

struct Rig {
    _dir: TempDir,
    qat: Qat,
    dc: DcInstance,
    cy: CyInstance,
}

impl Rig {
    fn new(tag: &str) -> Rig {
        let dir = TempDir::with_files(tag, &[("c6xx_dev0.conf", &conf())]);
        let qat = Qat::start_with("RAS", &dir.options(1)).unwrap();
        let dc = dc0(&qat);
        let cy = cy0(&qat);
        Rig {
            _dir: dir,
            qat,
            dc,
            cy,
        }
    }

    fn ep(&self) -> &Arc<dyn EndpointLink> {
        self.dc.endpoint()
    }

    /// Sets the RAS policy: automatic reset, its interval, and a short
    /// heartbeat period.
    fn policy(&self, auto_reset: bool, reset_interval: Duration) {
        self.ep()
            .set_ras_policy(RasPolicy {
                auto_reset,
                reset_interval,
                heartbeat_period: Duration::from_millis(50),
                fixed_period: false,
            })
            .unwrap();
    }

    fn wait_state(&self, want: DeviceState, limit: Duration) {
        let start = Instant::now();
        while self.ep().state() != want {
            assert!(
                start.elapsed() < limit,
                "state {:?}, waited {limit:?} for {want:?}",
                self.ep().state()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Every service serves a request successfully.
    fn serves(&self) {
        let s = self.dc.init_session(&setup(|_| {})).unwrap();
        let data = canterbury(0, 50_000);
        let (r, out) = compress_all(&self.dc, &s, &data);
        assert_eq!(r.consumed as usize, data.len());
        assert_eq!(inflate_raw(&out).unwrap(), data);
        let enc = self
            .cy
            .init_sym_session(&SymSessionSetup::cipher(
                CipherAlgorithm::AesCbc,
                &[7u8; 16],
                CipherDirection::Encrypt,
            ))
            .unwrap();
        let pt = [0x42u8; 64];
        let mut ct = [0u8; 64];
        self.cy
            .perform(&enc, SymOpData::cipher(&[1u8; 16], 0, 64), &pt, &mut ct)
            .unwrap();
        assert_ne!(ct, pt);
        let mut op = AsymOp::ln_mod_inv(&[3], &[7]).unwrap();
        let r = self.cy.asym_perform(&mut op).unwrap();
        assert_eq!(r.status, CpaStatus::Success);
        assert_eq!(op.output(0).last(), Some(&5), "3 * 5 = 1 mod 7");
    }
}

type Record = Arc<Mutex<Vec<(u64, CpaStatus)>>>;

#[test]
fn in_flight_requests_of_every_service_get_dummy_responses_in_order() {
    let _s = serial();
    let rig = Rig::new("dummy");
    rig.policy(false, Duration::ZERO);
    rig.serves();
    let dc_before = rig.dc.stats();
    let sym_before = rig.cy.sym_stats();
    let asym_before = rig.cy.asym_stats(AsymFunction::LnModInv).unwrap();

    // The engines stop: what is submitted now waits on the rings.
    rig.ep().inject(Fault::EngineHang).unwrap();
    const N: u64 = 5;
    let dc_done: Record = Arc::default();
    let d = dc_done.clone();
    let dcs = rig
        .dc
        .init_session_async(&setup(|_| {}), move |c| {
            d.lock().unwrap().push((c.tag, c.status))
        })
        .unwrap();
    let data = canterbury(0, 20_000);
    for tag in 0..N {
        rig.dc
            .submit_compress(
                &dcs,
                DmaBuf::from_slice(&data),
                DmaBuf::new(deflate_bound(data.len())),
                &DcOpData::new(FlushFlag::Final),
                tag,
            )
            .map_err(|r| r.error)
            .unwrap();
    }
    let sym_done: Record = Arc::default();
    let d = sym_done.clone();
    let syms = rig
        .cy
        .init_sym_session_async(
            &SymSessionSetup::cipher(
                CipherAlgorithm::AesCbc,
                &[7u8; 16],
                CipherDirection::Encrypt,
            ),
            move |c| d.lock().unwrap().push((c.tag, c.status)),
        )
        .unwrap();
    for tag in 0..N {
        let req = SymRequest::with_iv(&[1u8; 16]).cipher(0, 64);
        rig.cy
            .submit(
                &syms,
                req,
                SymData::Flat(DmaBuf::from_slice(&[9u8; 64])),
                None,
                tag,
            )
            .map_err(|r| r.error)
            .unwrap();
    }
    let asym_done: Record = Arc::default();
    let d = asym_done.clone();
    let cb: AsymCallback = Arc::new(move |c| d.lock().unwrap().push((c.tag, c.results.status)));
    for tag in 0..N {
        let op = AsymOp::ln_mod_inv(&[3], &[7]).unwrap();
        rig.cy
            .asym_submit(op, tag, &cb)
            .map_err(|r| r.error)
            .unwrap();
    }
    assert_eq!(rig.dc.in_flight(), N as u32);
    assert_eq!(rig.cy.in_flight(), 2 * N as u32);

    // The fatal error: every request in flight gets a dummy response.
    rig.ep().inject(Fault::FatalError).unwrap();
    assert_eq!(rig.ep().state(), DeviceState::Error);
    poll_until(&rig.dc, Duration::from_secs(20), || {
        dc_done.lock().unwrap().len() == N as usize
    });
    poll_cy_until(&rig.cy, Duration::from_secs(20), || {
        sym_done.lock().unwrap().len() == N as usize
            && asym_done.lock().unwrap().len() == N as usize
    });
    let want: Vec<(u64, CpaStatus)> = (0..N).map(|t| (t, CpaStatus::Fail)).collect();
    for (name, got) in [("dc", &dc_done), ("sym", &sym_done), ("asym", &asym_done)] {
        assert_eq!(*got.lock().unwrap(), want, "{name}: in order, each FAIL");
    }
    assert_eq!(rig.dc.in_flight(), 0);
    assert_eq!(rig.cy.in_flight(), 0);
    // Counted as errors by each service.
    assert_eq!(
        rig.dc.stats().num_comp_completed_errors,
        dc_before.num_comp_completed_errors + N
    );
    assert_eq!(
        rig.cy.sym_stats().num_sym_op_completed_errors,
        sym_before.num_sym_op_completed_errors + N
    );
    assert_eq!(
        rig.cy
            .asym_stats(AsymFunction::LnModInv)
            .unwrap()
            .completed_errors,
        asym_before.completed_errors + N
    );

    // Reset: the same instances serve again.
    rig.ep().reset_async().unwrap();
    rig.wait_state(DeviceState::Up, Duration::from_secs(20));
    rig.serves();
    drop(rig.qat);
}

fn deflate_bound(n: usize) -> usize {
    softqat_sal::deflate_compress_bound(n)
}

#[test]
fn events_reach_the_callbacks_only_when_polled_and_in_order() {
    let _s = serial();
    let rig = Rig::new("events");
    rig.policy(true, Duration::ZERO);
    let seen_dc: Arc<Mutex<Vec<InstanceEvent>>> = Arc::default();
    let seen_cy: Arc<Mutex<Vec<InstanceEvent>>> = Arc::default();
    let s = seen_dc.clone();
    rig.dc
        .set_notification_callback(move |e| s.lock().unwrap().push(e));
    let s = seen_cy.clone();
    rig.cy
        .set_notification_callback(move |e| s.lock().unwrap().push(e));

    rig.ep().inject(Fault::FatalError).unwrap();
    // The automatic reset runs by itself: three events wait.
    let start = Instant::now();
    while softqat_sal::pending_device_events() < 3 {
        assert!(start.elapsed() < Duration::from_secs(20), "no reset");
        std::thread::sleep(Duration::from_millis(2));
    }
    rig.wait_state(DeviceState::Up, Duration::from_secs(20));
    assert!(seen_dc.lock().unwrap().is_empty(), "not before the poll");
    assert!(seen_cy.lock().unwrap().is_empty(), "not before the poll");

    assert_eq!(softqat_sal::poll_device_events(), 3);
    let want = vec![
        InstanceEvent::FatalError,
        InstanceEvent::Restarting,
        InstanceEvent::Restarted,
    ];
    assert_eq!(*seen_dc.lock().unwrap(), want);
    assert_eq!(*seen_cy.lock().unwrap(), want);
    assert_eq!(softqat_sal::poll_device_events(), 0, "delivered once");
    assert_eq!(seen_dc.lock().unwrap().len(), 3);
    rig.serves();
}

#[test]
fn a_synchronous_call_blocked_by_a_hang_returns_fail_at_the_fatal_error() {
    let _s = serial();
    let rig = Rig::new("sync");
    rig.policy(false, Duration::ZERO);
    let session = rig.dc.init_session(&setup(|_| {})).unwrap();
    let data = canterbury(0, 30_000);
    rig.ep().inject(Fault::EngineHang).unwrap();
    std::thread::scope(|sc| {
        let caller = sc.spawn(|| {
            let mut out = vec![0u8; deflate_bound(data.len())];
            rig.dc
                .compress(&session, &data, &mut out, &DcOpData::new(FlushFlag::Final))
        });
        std::thread::sleep(Duration::from_millis(200));
        assert!(!caller.is_finished(), "the hung engine answered");
        rig.ep().inject(Fault::FatalError).unwrap();
        let e = caller.join().unwrap().unwrap_err();
        assert_eq!(e.status, CpaStatus::Fail, "{e}");
        assert!(e.message.contains("dummy response"), "{e}");
        assert!(e.message.contains("RESTARTED"), "says what to do: {e}");
    });
    rig.ep().reset_async().unwrap();
    rig.wait_state(DeviceState::Up, Duration::from_secs(20));
    rig.serves();
}

#[test]
fn new_requests_fail_in_error_and_get_restarting_during_a_reset() {
    let _s = serial();
    let rig = Rig::new("refuse");
    rig.policy(false, Duration::ZERO);
    let sync = rig.dc.init_session(&setup(|_| {})).unwrap();
    let small = canterbury(0, 1000);
    let mut out = vec![0u8; deflate_bound(small.len())];
    let op = DcOpData::new(FlushFlag::Final);

    rig.ep().inject(Fault::FatalError).unwrap();
    let e = rig.dc.compress(&sync, &small, &mut out, &op).unwrap_err();
    assert_eq!(e.status, CpaStatus::Fail, "{e}");
    assert!(e.message.contains("reset"), "says what to do: {e}");
    let mut inv = AsymOp::ln_mod_inv(&[3], &[7]).unwrap();
    assert_eq!(
        rig.cy.asym_perform(&mut inv).unwrap_err().status,
        CpaStatus::Fail
    );
    rig.ep().reset_async().unwrap();
    rig.wait_state(DeviceState::Up, Duration::from_secs(20));

    // A reset from up waits for the request the engine computes: large
    // requests keep the endpoint in RESTARTING long enough to submit one.
    let big = corpus("calgary");
    let queued: Record = Arc::default();
    let q = queued.clone();
    let asynch = rig
        .dc
        .init_session_async(&setup(|s| s.comp_level = 9), move |c| {
            q.lock().unwrap().push((c.tag, c.status))
        })
        .unwrap();
    let mut seen_restarting = false;
    for attempt in 0..20u64 {
        for k in 0..4 {
            rig.dc
                .submit_compress(
                    &asynch,
                    DmaBuf::from_slice(&big),
                    DmaBuf::new(deflate_bound(big.len())),
                    &op,
                    attempt * 10 + k,
                )
                .map_err(|r| r.error)
                .unwrap();
        }
        // Wait until the engine has taken one.
        let start = Instant::now();
        while rig.ep().fw_counters().iter().all(|(req, resp)| req == resp) {
            if start.elapsed() > Duration::from_secs(5) {
                break;
            }
            std::thread::yield_now();
        }
        rig.ep().reset_async().unwrap();
        let start = Instant::now();
        while rig.ep().state() != DeviceState::Restarting
            && start.elapsed() < Duration::from_secs(2)
        {
            std::hint::spin_loop();
        }
        let before = rig.ep().state();
        let r = rig.dc.compress(&sync, &small, &mut out, &op);
        let after = rig.ep().state();
        if before == DeviceState::Restarting && after == DeviceState::Restarting {
            let e = r.unwrap_err();
            assert_eq!(e.status, CpaStatus::Restarting, "{e}");
            assert!(e.message.contains("RESTARTED"), "{e}");
            seen_restarting = true;
        }
        rig.wait_state(DeviceState::Up, Duration::from_secs(30));
        poll_until(&rig.dc, Duration::from_secs(30), || {
            queued.lock().unwrap().len() as u64 == (attempt + 1) * 4
        });
        if seen_restarting {
            break;
        }
        // Give the reset thread time to clear its flag before the next.
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(seen_restarting, "never caught the endpoint restarting");
    // Every request came back: computed, or failed with RESTARTING when
    // still queued at the reset.
    let got = queued.lock().unwrap().clone();
    assert!(
        got.iter()
            .all(|(_, s)| matches!(s, CpaStatus::Success | CpaStatus::Restarting)),
        "{got:?}"
    );
    assert!(
        got.iter().any(|(_, s)| *s == CpaStatus::Restarting),
        "queued requests are failed with RESTARTING: {got:?}"
    );
    rig.serves();
}

#[test]
fn without_auto_reset_the_endpoint_stays_in_error_until_reset() {
    let _s = serial();
    let rig = Rig::new("manual");
    rig.policy(false, Duration::ZERO);
    rig.ep().inject(Fault::FatalError).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(rig.ep().state(), DeviceState::Error);
    assert_eq!(
        rig.ep().check_heartbeat().unwrap(),
        HeartbeatStatus::Unresponsive
    );
    rig.ep().reset_async().unwrap();
    rig.wait_state(DeviceState::Up, Duration::from_secs(20));
    rig.serves();
}

#[test]
fn a_second_reset_while_one_is_pending_is_refused() {
    let _s = serial();
    let rig = Rig::new("storm");
    rig.policy(true, Duration::from_millis(1500));
    // The first automatic reset runs at once.
    rig.ep().inject(Fault::FatalError).unwrap();
    let start = Instant::now();
    while softqat_sal::pending_device_events() < 3 {
        assert!(start.elapsed() < Duration::from_secs(20), "no first reset");
        std::thread::sleep(Duration::from_millis(2));
    }
    rig.wait_state(DeviceState::Up, Duration::from_secs(20));
    // The next waits for the interval: a reset is pending meanwhile.
    let second = Instant::now();
    rig.ep().inject(Fault::FatalError).unwrap();
    let e = rig.ep().reset_async().unwrap_err();
    assert_eq!(e.status, CpaStatus::Retry, "{e}");
    assert_eq!(
        rig.ep().check_heartbeat().unwrap(),
        HeartbeatStatus::Resetting
    );
    rig.wait_state(DeviceState::Up, Duration::from_secs(20));
    assert!(
        second.elapsed() >= Duration::from_millis(1000),
        "the second automatic reset waited for the interval ({:?})",
        second.elapsed()
    );
    rig.serves();
}

#[test]
fn the_heartbeat_fails_a_hung_endpoint_after_three_stuck_checks() {
    let _s = serial();
    let rig = Rig::new("heartbeat");
    rig.policy(false, Duration::ZERO);
    let ep = rig.ep();
    let period = Duration::from_millis(60);
    assert_eq!(ep.check_heartbeat().unwrap(), HeartbeatStatus::Alive);
    // Sooner than the period: not counted.
    assert_eq!(ep.check_heartbeat().unwrap(), HeartbeatStatus::TooSoon);
    std::thread::sleep(period);
    assert_eq!(ep.check_heartbeat().unwrap(), HeartbeatStatus::Alive);
    ep.inject(Fault::EngineHang).unwrap();
    std::thread::sleep(period);
    let mut checks = Vec::new();
    for _ in 0..6 {
        std::thread::sleep(period);
        let s = ep.check_heartbeat().unwrap();
        checks.push(s);
        if s != HeartbeatStatus::Alive {
            break;
        }
    }
    // The engine may turn its loop once more after the hang is set, so the
    // third stuck check comes third or fourth.
    assert!(
        checks.len() >= 3 && checks.len() <= 4,
        "failed after {} checks: {checks:?}",
        checks.len()
    );
    assert_eq!(checks.last(), Some(&HeartbeatStatus::Unresponsive));
    assert_eq!(ep.state(), DeviceState::Error);
    ep.reset_async().unwrap();
    rig.wait_state(DeviceState::Up, Duration::from_secs(20));

    // A simulated failure fails the next counted check.
    std::thread::sleep(period);
    ep.inject(Fault::HeartbeatFailure).unwrap();
    assert_eq!(ep.check_heartbeat().unwrap(), HeartbeatStatus::Unresponsive);
    assert_eq!(ep.state(), DeviceState::Error);
    ep.reset_async().unwrap();
    rig.wait_state(DeviceState::Up, Duration::from_secs(20));
    rig.serves();
}

#[test]
fn instances_on_an_endpoint_brought_up_later_serve_once_it_is_up() {
    let _s = serial();
    let rig = Rig::new("late");
    let opts = rig._dir.options(1);
    rig.ep().down().unwrap();
    // Started while the endpoint is down: the instances exist, and are
    // refused with RESTARTING until it is up (icp_sal_find_new_devices has
    // nothing more to do).
    let late = Qat::start_with("LATE", &opts).unwrap();
    let inst = dc0(&late);
    let s = inst.init_session(&setup(|_| {})).unwrap();
    let data = canterbury(0, 10_000);
    let mut out = vec![0u8; deflate_bound(data.len())];
    let e = inst
        .compress(&s, &data, &mut out, &DcOpData::new(FlushFlag::Final))
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::Restarting, "{e}");
    inst.endpoint().up().unwrap();
    let (r, out) = compress_all(&inst, &s, &data);
    assert_eq!(r.consumed as usize, data.len());
    assert_eq!(inflate_raw(&out).unwrap(), data);
    rig.serves();
}
