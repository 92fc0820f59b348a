//! The per-request path allocates nothing when it refuses a request: a full
//! ring's RETRY (buffers handed back) and an empty poll's RETRY are counted
//! with a counting global allocator, on this thread only.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use common::*;
use softqat_sal::{CpaStatus, DcOpData, DmaBuf, FlushFlag};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// count is a const-initialised thread-local with no destructor.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The tests of this file share the process's endpoints, and one takes
/// its endpoint down: they run one at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn refused_requests_and_empty_polls_allocate_nothing() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let qat = start("SSL");
    let inst = dc0(&qat);
    let s = inst.init_session_async(&setup(|_| {}), |_| {}).unwrap();
    let op = DcOpData::new(FlushFlag::Final);
    // Fill the ring: nothing polls, so nothing is consumed.
    let capacity = inst.info().max_in_flight;
    for tag in 0..u64::from(capacity) {
        inst.submit_compress(&s, DmaBuf::new(64), DmaBuf::new(256), &op, tag)
            .unwrap();
    }
    let (mut src, mut dst) = (DmaBuf::new(64), DmaBuf::new(256));
    let before = allocations();
    for tag in 0..1000 {
        let rej = inst.submit_compress(&s, src, dst, &op, tag).unwrap_err();
        assert_eq!(rej.error.status, CpaStatus::Retry);
        (src, dst) = (rej.src, rej.dst);
    }
    assert_eq!(allocations() - before, 0, "a full ring's RETRY allocated");
    // Drain, then poll an empty instance.
    poll_until(&inst, std::time::Duration::from_secs(20), || {
        inst.in_flight() == 0
    });
    let before = allocations();
    for _ in 0..1000 {
        assert_eq!(inst.poll(0).unwrap_err().status, CpaStatus::Retry);
    }
    assert_eq!(allocations() - before, 0, "an empty poll's RETRY allocated");

    // A request to a down endpoint (RESTARTING), to a stopped instance, or
    // against the session's direction: refused without allocating.
    let decompress_only = inst
        .init_session_async(
            &setup(|s| s.direction = softqat_sal::SessionDirection::Decompress),
            |_| {},
        )
        .unwrap();
    let before = allocations();
    let rej = inst
        .submit_compress(&decompress_only, src, dst, &op, 0)
        .unwrap_err();
    assert_eq!(rej.error.status, CpaStatus::InvalidParam);
    (src, dst) = (rej.src, rej.dst);
    assert_eq!(allocations() - before, 0, "a direction refusal allocated");
    inst.endpoint().down().unwrap();
    let before = allocations();
    let rej = inst.submit_compress(&s, src, dst, &op, 0).unwrap_err();
    assert_eq!(allocations() - before, 0, "RESTARTING allocated");
    assert_eq!(rej.error.status, CpaStatus::Restarting);
    inst.endpoint().up().unwrap();
    inst.stop().unwrap();
    let before = allocations();
    let rej = inst
        .submit_compress(&s, rej.src, rej.dst, &op, 0)
        .unwrap_err();
    assert_eq!(
        allocations() - before,
        0,
        "a stopped instance's refusal allocated"
    );
    assert_eq!(rej.error.status, CpaStatus::Fail);
}

#[test]
fn chained_requests_allocate_nothing_when_refused_or_served() {
    use softqat_sal::sym::HashAlgorithm;
    use softqat_sal::{DcChainHashSetup, DcChainOpData, DcChainSetup, SessionDirection};
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let qat = start("SSL");
    let inst = dc0(&qat);
    let chain = DcChainSetup::hash_then_compress(
        DcChainHashSetup::plain(HashAlgorithm::Sha256),
        setup(|s| s.direction = SessionDirection::Compress),
    );
    let op = DcChainOpData::new(FlushFlag::Final);
    // Synchronous requests, after a few that set up this thread's waiter
    // and the ring's state: served without allocating.
    let s = inst.init_chain_session(&chain).unwrap();
    let src = vec![7u8; 4096];
    let mut dst = vec![0u8; 8192];
    let mut digest = [0u8; 32];
    for _ in 0..10 {
        inst.chain_perform(&s, &src, &mut dst, &mut digest, &op)
            .unwrap();
    }
    let before = allocations();
    for _ in 0..100 {
        inst.chain_perform(&s, &src, &mut dst, &mut digest, &op)
            .unwrap();
    }
    assert_eq!(allocations() - before, 0, "a chained request allocated");
    // Refusals: a bad request and a full ring's RETRY.
    let before = allocations();
    for _ in 0..100 {
        let r = inst.chain_perform(&s, &src, &mut dst, &mut digest[..16], &op);
        assert_eq!(r.unwrap_err().status, CpaStatus::InvalidParam);
    }
    assert_eq!(
        allocations() - before,
        0,
        "a refused chained request allocated"
    );
    let a = inst.init_chain_session_async(&chain, |_| {}).unwrap();
    let capacity = inst.info().max_in_flight;
    for tag in 0..u64::from(capacity) {
        let r = inst.submit_chain(
            &a,
            DmaBuf::new(64),
            DmaBuf::new(256),
            DmaBuf::new(32),
            &op,
            tag,
        );
        assert!(r.is_ok());
    }
    let (mut b1, mut b2, mut b3) = (DmaBuf::new(64), DmaBuf::new(256), DmaBuf::new(32));
    let before = allocations();
    for tag in 0..1000 {
        let rej = inst.submit_chain(&a, b1, b2, b3, &op, tag).unwrap_err();
        assert_eq!(rej.error.status, CpaStatus::Retry);
        (b1, b2, b3) = (rej.src, rej.dst, rej.digest);
    }
    assert_eq!(allocations() - before, 0, "a full ring's RETRY allocated");
    poll_until(&inst, std::time::Duration::from_secs(20), || {
        let _ = inst.poll(0);
        inst.in_flight() == 0
    });
}

#[test]
fn a_second_stateful_request_in_flight_is_refused_without_allocating() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = TempDir::with_files(
        "hotstateful",
        &[("c6xx_dev0.conf", &dc_endpoint_conf("HOTST", &[1], 64, 1))],
    );
    let qat = softqat_sal::Qat::start_with("HOTST", &dir.options(1)).unwrap();
    let inst = dc0(&qat);
    let s = inst
        .init_session_async(
            &setup(|s| {
                s.state = softqat_sal::SessionState::Stateful;
                s.direction = softqat_sal::SessionDirection::Decompress;
            }),
            |_| {},
        )
        .unwrap();
    let op = DcOpData::new(FlushFlag::None);
    let stream = deflate_raw(b"one request at a time, one request at a time", 6);
    inst.submit_decompress(&s, dma(&stream), DmaBuf::new(256), &op, 0)
        .unwrap();
    let (mut src, mut dst) = (dma(&stream), DmaBuf::new(256));
    let before = allocations();
    for tag in 1..1000 {
        let rej = inst.submit_decompress(&s, src, dst, &op, tag).unwrap_err();
        assert_eq!(rej.error.status, CpaStatus::Retry);
        (src, dst) = (rej.src, rej.dst);
    }
    assert_eq!(
        allocations() - before,
        0,
        "a stateful session's RETRY allocated"
    );
    poll_until(&inst, std::time::Duration::from_secs(20), || {
        inst.in_flight() == 0
    });
}
