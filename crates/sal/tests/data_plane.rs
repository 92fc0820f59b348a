//! The data-plane API (Programmer's Guide §5.1.2, `cpa_dc_dp.h`): requests
//! queued with `dp_enqueue` are not sent until `perform_now` (on the call or
//! `dp_perform_now`), batches go all or nothing, completions arrive through
//! the instance's callback inside `dp_poll`, overflow is an error with
//! nothing consumed or produced (Table 18), and the API insists on a
//! data-plane session and a registered callback.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use softqat_sal::{CpaStatus, DcInstance, DcStatus, DmaBuf, DpCompletion, DpOp, Qat};

type Done = Arc<Mutex<Vec<DpCompletion>>>;

fn with_callback(inst: &DcInstance) -> Done {
    let done: Done = Arc::default();
    let d = done.clone();
    inst.dp_register_callback(move |c| d.lock().unwrap().push(c));
    done
}

fn responses(inst: &DcInstance) -> u64 {
    inst.endpoint().fw_counters().iter().map(|c| c.1).sum()
}

/// Polls with `dp_poll` until `n` completions arrived.
fn dp_poll_until(inst: &DcInstance, done: &Done, n: usize) {
    let start = Instant::now();
    while done.lock().unwrap().len() < n {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{} of {n} completions",
            done.lock().unwrap().len()
        );
        if inst.dp_poll(0).is_err() {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
}

fn compress_op(s: &softqat_sal::DcSession, data: &[u8], tag: u64) -> DpOp {
    DpOp::compress(
        s,
        DmaBuf::from_slice(data),
        DmaBuf::new(softqat_sal::deflate_compress_bound(data.len())),
        tag,
    )
}

#[test]
fn enqueue_without_perform_now_waits_for_perform_now() {
    // Its own device set (a thread count no other test of this file uses):
    // the endpoint's firmware counters show whether a request reached it.
    let qat = Qat::start_with("DP_QUEUE", &builtin(2)).unwrap();
    let inst = dc0(&qat);
    let done = with_callback(&inst);
    let s = inst.init_dp_session(&setup(|_| {})).unwrap();
    let data = corpus("calgary32");

    let base = responses(&inst);
    for tag in 0..3 {
        inst.dp_enqueue(compress_op(&s, &data, tag), false)
            .map_err(|(e, _)| e)
            .unwrap();
    }
    assert_eq!(inst.dp_queued(), 3);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(
        responses(&inst),
        base,
        "a queued request reached the endpoint"
    );
    expect_status(inst.dp_poll(0), CpaStatus::Retry);
    assert!(done.lock().unwrap().is_empty());

    inst.dp_perform_now();
    assert_eq!(inst.dp_queued(), 0);
    dp_poll_until(&inst, &done, 3);
    let done = done.lock().unwrap();
    for (i, c) in done.iter().enumerate() {
        assert_eq!(c.tag, i as u64, "completion order");
        assert_eq!(c.status, CpaStatus::Success);
        assert_eq!(c.results.status, DcStatus::Ok);
        assert_eq!(c.results.consumed as usize, data.len());
        assert_eq!(c.results.checksum, crc32(&data));
        assert_eq!(&c.src[..], &data[..], "source returned");
        let out = &c.dst[..c.results.produced as usize];
        assert_eq!(inflate_raw(out).unwrap(), data);
    }
}

#[test]
fn enqueue_with_perform_now_sends_everything_queued() {
    let qat = start("DP_NOW");
    let inst = dc0(&qat);
    let done = with_callback(&inst);
    let s = inst.init_dp_session(&setup(|_| {})).unwrap();
    let data = canterbury(0, 20_000);
    inst.dp_enqueue(compress_op(&s, &data, 0), false)
        .map_err(|(e, _)| e)
        .unwrap();
    inst.dp_enqueue(compress_op(&s, &data, 1), false)
        .map_err(|(e, _)| e)
        .unwrap();
    inst.dp_enqueue(compress_op(&s, &data, 2), true)
        .map_err(|(e, _)| e)
        .unwrap();
    assert_eq!(inst.dp_queued(), 0);
    dp_poll_until(&inst, &done, 3);
    let tags: Vec<u64> = done.lock().unwrap().iter().map(|c| c.tag).collect();
    assert_eq!(tags, vec![0, 1, 2]);

    // Decompression through the data plane, from what was just produced.
    let c = done.lock().unwrap().pop().unwrap();
    let stream = c.dst[..c.results.produced as usize].to_vec();
    let op = DpOp::decompress(&s, DmaBuf::from_slice(&stream), DmaBuf::new(data.len()), 9);
    inst.dp_enqueue(op, true).map_err(|(e, _)| e).unwrap();
    dp_poll_until(&inst, &done, 3);
    let d = done.lock().unwrap().pop().unwrap();
    assert_eq!(d.tag, 9);
    assert_eq!(d.results.status, DcStatus::Ok);
    assert_eq!(d.results.checksum, crc32(&data));
    assert_eq!(&d.dst[..d.results.produced as usize], &data[..]);

    let st = inst.stats();
    assert_eq!(st.num_comp_requests, 3);
    assert_eq!(st.num_comp_completed, 3);
    assert_eq!(st.num_decomp_requests, 1);
    assert_eq!(st.num_decomp_completed, 1);
}

#[test]
fn batches_go_all_or_nothing() {
    let dir = TempDir::with_files(
        "dpbatch",
        &[("4xxx_dev0.conf", &dc_endpoint_conf("DPB", &[1], 64, 1))],
    );
    let qat = Qat::start_with("DPB", &dir.options(1)).unwrap();
    let inst = dc0(&qat);
    assert_eq!(inst.info().max_in_flight, 64);
    let done = with_callback(&inst);
    let s = inst.init_dp_session(&setup(|_| {})).unwrap();
    let data = b"batch batch batch batch batch batch".to_vec();

    // More than the ring holds: refused whole, every op handed back.
    let ops: Vec<DpOp> = (0..65).map(|t| compress_op(&s, &data, t)).collect();
    let (e, back) = inst.dp_enqueue_batch(ops, true).unwrap_err();
    assert_eq!(e.status, CpaStatus::Retry, "{e}");
    assert_eq!(back.len(), 65);
    assert!(back
        .iter()
        .enumerate()
        .all(|(i, op)| op.tag == i as u64 && op.src[..] == data[..]));
    assert_eq!(inst.dp_queued(), 0);
    assert_eq!(inst.in_flight(), 0);

    // A batch with one bad op is refused whole as well.
    let sync = inst.init_session(&setup(|_| {})).unwrap();
    let mut ops: Vec<DpOp> = (0..4).map(|t| compress_op(&s, &data, t)).collect();
    ops.push(compress_op(&sync, &data, 4));
    let (e, back) = inst.dp_enqueue_batch(ops, true).unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam, "{e}");
    assert_eq!(back.len(), 5);
    assert_eq!(inst.dp_queued(), 0);

    // 64 fit: queued without perform_now, sent by dp_perform_now.
    let base = responses(&inst);
    let ops: Vec<DpOp> = (0..64).map(|t| compress_op(&s, &data, t)).collect();
    inst.dp_enqueue_batch(ops, false)
        .map_err(|(e, _)| e)
        .unwrap();
    assert_eq!(inst.dp_queued(), 64);
    std::thread::sleep(Duration::from_millis(30));
    assert_eq!(responses(&inst), base);
    // The ring is full now: a single enqueue is refused with RETRY.
    let (e, op) = inst
        .dp_enqueue(compress_op(&s, &data, 99), true)
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::Retry);
    assert_eq!(op.tag, 99);
    inst.dp_perform_now();
    dp_poll_until(&inst, &done, 64);
    let tags: Vec<u64> = done.lock().unwrap().iter().map(|c| c.tag).collect();
    assert_eq!(tags, (0..64).collect::<Vec<_>>());
    assert!(done
        .lock()
        .unwrap()
        .iter()
        .all(|c| c.results.status == DcStatus::Ok));
    // Room again.
    inst.dp_enqueue(op, true).map_err(|(e, _)| e).unwrap();
    dp_poll_until(&inst, &done, 65);
}

#[test]
fn overflow_is_an_error_with_nothing_consumed_or_produced() {
    let qat = start("DP_OVF");
    let inst = dc0(&qat);
    let done = with_callback(&inst);
    let s = inst.init_dp_session(&setup(|_| {})).unwrap();
    let data = corpus("calgary32");
    // Compression into 4 kB: the traditional API would return partial
    // output; the data plane returns an error (Table 18).
    let op = DpOp::compress(&s, DmaBuf::from_slice(&data), DmaBuf::new(4096), 1);
    inst.dp_enqueue(op, true).map_err(|(e, _)| e).unwrap();
    dp_poll_until(&inst, &done, 1);
    // Decompression into half the size (the stream made on another
    // instance: data-plane rings take data-plane requests only).
    let other = qat.dc_instances()[1].clone();
    other.start().unwrap();
    let sync = other.init_session(&setup(|_| {})).unwrap();
    let (_, stream) = compress_all(&other, &sync, &data);
    let op = DpOp::decompress(
        &s,
        DmaBuf::from_slice(&stream),
        DmaBuf::new(data.len() / 2),
        2,
    );
    inst.dp_enqueue(op, true).map_err(|(e, _)| e).unwrap();
    dp_poll_until(&inst, &done, 2);
    for c in done.lock().unwrap().iter() {
        assert_eq!(c.results.status, DcStatus::Overflow, "tag {}", c.tag);
        assert_eq!(
            (c.results.consumed, c.results.produced),
            (0, 0),
            "tag {}",
            c.tag
        );
    }
    let st = inst.stats();
    assert_eq!(st.num_comp_completed_errors, 1);
    assert_eq!(st.num_decomp_completed_errors, 1);
}

#[test]
fn a_data_plane_session_and_a_callback_are_required() {
    let qat = start("DP_REQ");
    let inst = dc0(&qat);
    let s = inst.init_dp_session(&setup(|_| {})).unwrap();
    let data = b"no callback yet".to_vec();
    // No callback registered on this instance.
    let (e, op) = inst
        .dp_enqueue(compress_op(&s, &data, 5), true)
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam);
    assert!(e.message.contains("dp_register_callback"), "{e}");
    assert_eq!((op.tag, &op.src[..]), (5, &data[..]), "op handed back");
    assert_eq!(inst.dp_queued(), 0);

    let done = with_callback(&inst);
    // Sessions with and without a callback are not data-plane sessions.
    let sync = inst.init_session(&setup(|_| {})).unwrap();
    let asynch = inst.init_session_async(&setup(|_| {}), |_| {}).unwrap();
    for bad in [&sync, &asynch] {
        let (e, _) = inst
            .dp_enqueue(compress_op(bad, &data, 6), true)
            .unwrap_err();
        assert_eq!(e.status, CpaStatus::InvalidParam);
        assert!(e.message.contains("init_dp_session"), "{e}");
    }
    // Direction is checked as for the traditional API.
    let comp_only = inst
        .init_dp_session(&setup(|s| {
            s.direction = softqat_sal::SessionDirection::Compress
        }))
        .unwrap();
    let op = DpOp::decompress(&comp_only, DmaBuf::from_slice(&data), DmaBuf::new(100), 7);
    let (e, _) = inst.dp_enqueue(op, true).unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam);
    assert!(done.lock().unwrap().is_empty());

    // With both: works.
    inst.dp_enqueue(compress_op(&s, &data, 8), true)
        .map_err(|(e, _)| e)
        .unwrap();
    dp_poll_until(&inst, &done, 1);
    assert_eq!(done.lock().unwrap()[0].tag, 8);

    // An instance not started refuses data-plane requests too.
    let idle = qat.dc_instances()[1].clone();
    assert!(!idle.is_started());
    let _d = with_callback(&idle);
    let s2 = idle.init_dp_session(&setup(|_| {})).unwrap();
    let (e, _) = idle
        .dp_enqueue(compress_op(&s2, &data, 1), true)
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::Fail);
    assert!(e.message.contains("start"), "{e}");
}
