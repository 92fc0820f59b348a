//! Asynchronous requests and polling (Programmer's Guide §2.2.1.2, §5.2.3):
//! callbacks run inside the poll call that consumes their responses, in
//! submission order; a quota bounds a poll, quota 0 takes everything, and a
//! poll with nothing waiting answers RETRY; bank polling finds the same
//! responses; a full request ring answers RETRY and hands the buffers back;
//! the statistics count what was done.
//!
//! The tests of this file use the endpoint's firmware counters to know when
//! every request has been answered, so they run one at a time (`LOCK`).

mod common;

use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use common::*;
use softqat_sal::{
    CpaStatus, DcCompletion, DcInstance, DcOpData, DcStatus, DmaBuf, FlushFlag, Qat,
    SessionDirection,
};

static LOCK: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Responses the instance's endpoint has produced so far.
fn responses(inst: &DcInstance) -> u64 {
    inst.endpoint().fw_counters().iter().map(|c| c.1).sum()
}

/// Waits until the endpoint has produced `target` responses in total.
fn wait_responses(inst: &DcInstance, target: u64) {
    let start = Instant::now();
    while responses(inst) < target {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "endpoint answered {} of {target}",
            responses(inst)
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

type Log = Arc<Mutex<Vec<(u64, ThreadId, CpaStatus, DcStatus)>>>;

fn logging_session(inst: &DcInstance, log: &Log) -> softqat_sal::DcSession {
    let l = log.clone();
    inst.init_session_async(&setup(|_| {}), move |c: DcCompletion| {
        l.lock().unwrap().push((
            c.tag,
            std::thread::current().id(),
            c.status,
            c.results.status,
        ));
    })
    .unwrap()
}

fn submit_n(inst: &DcInstance, s: &softqat_sal::DcSession, tags: std::ops::Range<u64>) {
    for tag in tags {
        let data = format!("request {tag} request {tag} request {tag}").into_bytes();
        inst.submit_compress(
            s,
            DmaBuf::from_slice(&data),
            DmaBuf::new(softqat_sal::deflate_compress_bound(data.len())),
            &DcOpData::new(FlushFlag::Final),
            tag,
        )
        .unwrap_or_else(|r| panic!("submit {tag}: {}", r.error));
    }
}

#[test]
fn callbacks_run_inside_poll_in_submission_order_and_quota_bounds_a_poll() {
    let _g = serial();
    let qat = start("AP_ORDER");
    let inst = dc0(&qat);
    let log: Log = Arc::default();
    let s = logging_session(&inst, &log);

    let base = responses(&inst);
    submit_n(&inst, &s, 0..20);
    wait_responses(&inst, base + 20);
    // Answered, but no callback runs until someone polls.
    std::thread::sleep(Duration::from_millis(20));
    assert!(
        log.lock().unwrap().is_empty(),
        "a callback ran outside poll"
    );
    assert_eq!(inst.in_flight(), 20);

    assert_eq!(inst.poll(3).unwrap(), 3, "quota 3 takes 3 of 20");
    assert_eq!(log.lock().unwrap().len(), 3);
    assert_eq!(inst.poll(5).unwrap(), 5);
    assert_eq!(inst.poll(0).unwrap(), 12, "quota 0 takes all that wait");
    let msg = expect_status(inst.poll(0), CpaStatus::Retry);
    assert!(msg.contains("no responses"), "{msg}");
    expect_status(inst.poll(1), CpaStatus::Retry);

    let log = log.lock().unwrap();
    let me = std::thread::current().id();
    let tags: Vec<u64> = log.iter().map(|e| e.0).collect();
    assert_eq!(tags, (0..20).collect::<Vec<_>>(), "submission order");
    for (tag, thread, status, dc) in log.iter() {
        assert_eq!(*thread, me, "callback {tag} ran on another thread");
        assert_eq!((*status, *dc), (CpaStatus::Success, DcStatus::Ok));
    }
    assert_eq!(inst.in_flight(), 0);
}

#[test]
fn a_callback_may_submit_again_and_a_nested_poll_is_refused() {
    let _g = serial();
    let qat = start("AP_NEST");
    let inst = dc0(&qat);
    let nested: Arc<Mutex<Vec<Result<u32, CpaStatus>>>> = Arc::default();
    let done: Arc<Mutex<Vec<u64>>> = Arc::default();
    let (n2, d2, i2) = (nested.clone(), done.clone(), inst.clone());
    let session_slot: Arc<Mutex<Option<softqat_sal::DcSession>>> = Arc::default();
    let slot2 = session_slot.clone();
    let s = inst
        .init_session_async(&setup(|_| {}), move |c| {
            d2.lock().unwrap().push(c.tag);
            n2.lock().unwrap().push(i2.poll(0).map_err(|e| e.status));
            if c.tag == 1 {
                // Resubmit from inside the callback (the slot is already free).
                let s = slot2.lock().unwrap().clone().unwrap();
                let mut dst = c.dst;
                dst.set_len(dst.capacity());
                i2.submit_compress(&s, c.src, dst, &DcOpData::new(FlushFlag::Final), 2)
                    .unwrap();
            }
        })
        .unwrap();
    *session_slot.lock().unwrap() = Some(s.clone());
    submit_n(&inst, &s, 1..2);
    poll_until(&inst, Duration::from_secs(10), || {
        done.lock().unwrap().len() == 2
    });
    assert_eq!(*done.lock().unwrap(), vec![1, 2]);
    assert!(
        nested
            .lock()
            .unwrap()
            .iter()
            .all(|r| *r == Err(CpaStatus::Retry)),
        "a poll from inside a callback finds the instance busy: {:?}",
        nested.lock().unwrap()
    );
    // Break the session ↔ callback cycle.
    session_slot.lock().unwrap().take();
}

#[test]
fn bank_polling_finds_the_responses_of_the_section() {
    let _g = serial();
    let qat: Qat = start("AP_BANK");
    let a = qat.dc_instances()[0].clone();
    let b = qat.dc_instances()[1].clone();
    a.start().unwrap();
    b.start().unwrap();
    assert_ne!(a.info().bank, b.info().bank, "gen4: one ring pair per bank");
    assert_eq!(a.info().package_id, b.info().package_id);
    let accel = a.info().package_id;
    let log: Log = Arc::default();
    let sa = logging_session(&a, &log);
    let sb = logging_session(&b, &log);

    let base = responses(&a);
    submit_n(&a, &sa, 0..3);
    submit_n(&b, &sb, 10..12);
    wait_responses(&a, base + 5);

    // A bank no instance of this section uses has nothing.
    let other_bank = (0..64)
        .find(|k| qat.dc_instances().iter().all(|i| i.info().bank != *k))
        .unwrap();
    expect_status(qat.poll_bank(accel, other_bank, 0), CpaStatus::Retry);
    // Quota is per ring.
    assert_eq!(qat.poll_bank(accel, a.info().bank, 1).unwrap(), 1);
    assert_eq!(log.lock().unwrap().len(), 1);
    assert_eq!(qat.poll_all_banks(accel, 1).unwrap(), 2, "one per ring");
    assert_eq!(qat.poll_all_banks(accel, 0).unwrap(), 2, "the rest");
    expect_status(qat.poll_all_banks(accel, 0), CpaStatus::Retry);
    expect_status(qat.poll_bank(accel, b.info().bank, 0), CpaStatus::Retry);
    let mut tags: Vec<u64> = log.lock().unwrap().iter().map(|e| e.0).collect();
    tags.sort_unstable();
    assert_eq!(tags, vec![0, 1, 2, 10, 11]);
    // An endpoint that does not exist.
    let msg = expect_status(qat.poll_all_banks(99, 0), CpaStatus::InvalidParam);
    assert!(msg.contains("qat_dev99"), "{msg}");
    expect_status(qat.poll_bank(99, 0, 0), CpaStatus::InvalidParam);
}

#[test]
fn statistics_count_requests_completions_and_errors() {
    let _g = serial();
    let qat = start("AP_STATS");
    let inst = dc0(&qat);
    assert_eq!(inst.stats(), softqat_sal::DcStats::default());
    let data = corpus("calgary32");
    let sync = inst.init_session(&setup(|_| {})).unwrap();
    let comp_only = inst
        .init_session(&setup(|s| s.direction = SessionDirection::Compress))
        .unwrap();
    // 3 good compressions, 2 good decompressions.
    let mut streams = Vec::new();
    for _ in 0..3 {
        streams.push(compress_all(&inst, &sync, &data).1);
    }
    for s in &streams[..2] {
        decompress_all(&inst, &sync, s, data.len());
    }
    // 1 decompression of garbage (invalid block type), 1 refused request.
    let mut out = vec![0u8; 100];
    let r = inst
        .decompress(
            &sync,
            &[0xff; 8],
            &mut out,
            &DcOpData::new(FlushFlag::Final),
        )
        .unwrap();
    assert_eq!(r.status, DcStatus::InvalidBlockType);
    expect_status(
        inst.decompress(
            &comp_only,
            &streams[0],
            &mut out,
            &DcOpData::new(FlushFlag::Final),
        ),
        CpaStatus::InvalidParam,
    );
    // 4 asynchronous compressions.
    let log: Log = Arc::default();
    let s = logging_session(&inst, &log);
    submit_n(&inst, &s, 0..4);
    poll_until(&inst, Duration::from_secs(10), || {
        log.lock().unwrap().len() == 4
    });

    let st = inst.stats();
    assert_eq!(st.num_comp_requests, 7);
    assert_eq!(st.num_comp_completed, 7);
    assert_eq!(st.num_comp_requests_errors, 0);
    assert_eq!(st.num_comp_completed_errors, 0);
    assert_eq!(st.num_decomp_requests, 3);
    assert_eq!(st.num_decomp_completed, 2);
    assert_eq!(st.num_decomp_completed_errors, 1);
    assert_eq!(st.num_decomp_requests_errors, 1);
    assert_eq!(st.num_comp_cnv_errors_recovered, 0);
}

#[test]
fn a_full_ring_answers_retry_and_hands_the_buffers_back() {
    let _g = serial();
    let dir = TempDir::with_files(
        "ring64",
        &[("4xxx_dev0.conf", &dc_endpoint_conf("RING", &[1], 64, 1))],
    );
    let qat = Qat::start_with("RING", &dir.options(1)).unwrap();
    let inst = dc0(&qat);
    assert_eq!(inst.info().max_in_flight, 64);
    let log: Log = Arc::default();
    let s = logging_session(&inst, &log);

    let base = responses(&inst);
    submit_n(&inst, &s, 0..64);
    assert_eq!(inst.in_flight(), 64);
    // Refused whether or not the endpoint has answered yet: the responses
    // still occupy the ring until polled.
    let data = b"the 65th request".to_vec();
    let rej = inst
        .submit_compress(
            &s,
            DmaBuf::from_slice(&data),
            DmaBuf::new(300),
            &DcOpData::new(FlushFlag::Final),
            64,
        )
        .expect_err("the 65th request must be refused");
    assert_eq!(rej.error.status, CpaStatus::Retry, "{}", rej.error);
    assert!(rej.error.message.contains("poll"), "{}", rej.error);
    assert_eq!(&rej.src[..], &data[..], "source handed back intact");
    assert_eq!(rej.dst.len(), 300, "destination handed back");
    assert_eq!(inst.stats().num_comp_requests, 64);
    assert_eq!(inst.stats().num_comp_requests_errors, 1);
    wait_responses(&inst, base + 64);
    let rej2 = inst
        .submit_compress(&s, rej.src, rej.dst, &DcOpData::new(FlushFlag::Final), 64)
        .expect_err("still full: answered responses wait in the ring until polled");
    assert_eq!(rej2.error.status, CpaStatus::Retry);
    // A synchronous call on the full ring is refused too.
    let sync = inst.init_session(&setup(|_| {})).unwrap();
    let mut out = vec![0u8; 300];
    expect_status(
        inst.compress(&sync, &data, &mut out, &DcOpData::new(FlushFlag::Final)),
        CpaStatus::Retry,
    );

    // Poll one: one slot frees.
    assert_eq!(inst.poll(1).unwrap(), 1);
    inst.submit_compress(&s, rej2.src, rej2.dst, &DcOpData::new(FlushFlag::Final), 64)
        .unwrap();
    poll_until(&inst, Duration::from_secs(10), || {
        log.lock().unwrap().len() == 65
    });
    let tags: Vec<u64> = log.lock().unwrap().iter().map(|e| e.0).collect();
    assert_eq!(tags, (0..65).collect::<Vec<_>>());
    assert!(log.lock().unwrap().iter().all(|e| e.3 == DcStatus::Ok));
    assert_eq!(inst.in_flight(), 0);
    // And the synchronous call works again.
    let r = inst
        .compress(&sync, &data, &mut out, &DcOpData::new(FlushFlag::Final))
        .unwrap();
    assert_eq!(inflate_raw(&out[..r.produced as usize]).unwrap(), data);
}

#[test]
fn wait_for_response_sleeps_until_a_response_waits() {
    let _g = serial();
    let qat = start("AP_WAIT");
    let inst = dc0(&qat);
    let t = Instant::now();
    assert!(!inst.wait_for_response(Duration::from_millis(30)));
    assert!(t.elapsed() >= Duration::from_millis(25), "returned early");
    let log: Log = Arc::default();
    let s = logging_session(&inst, &log);
    submit_n(&inst, &s, 0..1);
    let t = Instant::now();
    assert!(inst.wait_for_response(Duration::from_secs(10)));
    assert!(t.elapsed() < Duration::from_secs(5));
    assert_eq!(inst.poll(0).unwrap(), 1);
    assert_eq!(log.lock().unwrap().len(), 1);
}
