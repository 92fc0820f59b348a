//! Epoll mode (Programmer's Guide §2.2.1.3): an instance configured with
//! `Dc<N>IsPolled = 2` hands out a file descriptor
//! (`icp_sal_DcGetFileDescriptor`) that poll/epoll report readable exactly
//! while a response waits; polled instances refuse it with UNSUPPORTED.

mod common;

use std::os::fd::RawFd;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use softqat_sal::{CpaStatus, DcInstance, DcOpData, DcStatus, DmaBuf, FlushFlag, PollingMode, Qat};

/// A configuration with one epoll instance (Dc0) and one polled (Dc1).
fn epoll_config() -> TempDir {
    TempDir::with_files(
        "epoll",
        &[(
            "4xxx_dev0.conf",
            &dc_endpoint_conf("EPOLL", &[2, 1], 512, 1),
        )],
    )
}

fn readable(fd: RawFd, timeout_ms: i32) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd on the stack.
    let n = unsafe { libc::poll(&mut p, 1, timeout_ms) };
    assert!(n >= 0, "poll failed: {}", std::io::Error::last_os_error());
    n == 1 && p.revents & libc::POLLIN != 0
}

fn responses(inst: &DcInstance) -> u64 {
    inst.endpoint().fw_counters().iter().map(|c| c.1).sum()
}

fn wait_responses(inst: &DcInstance, target: u64) {
    let start = Instant::now();
    while responses(inst) < target {
        assert!(start.elapsed() < Duration::from_secs(10), "no response");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn submit(inst: &DcInstance, s: &softqat_sal::DcSession, tag: u64) {
    let data = format!("epoll request {tag} epoll request {tag}").into_bytes();
    inst.submit_compress(
        s,
        DmaBuf::from_slice(&data),
        DmaBuf::new(200),
        &DcOpData::new(FlushFlag::Final),
        tag,
    )
    .unwrap_or_else(|r| panic!("{}", r.error));
}

#[test]
fn the_fd_is_readable_exactly_while_a_response_waits() {
    let dir = epoll_config();
    let qat = Qat::start_with("EPOLL", &dir.options(1)).unwrap();
    let inst = qat.dc_instances()[0].clone();
    inst.start().unwrap();
    assert_eq!(inst.info().polling, PollingMode::Epoll);
    let done: Arc<Mutex<Vec<u64>>> = Arc::default();
    let d2 = done.clone();
    let s = inst
        .init_session_async(&setup(|_| {}), move |c| {
            assert_eq!(c.results.status, DcStatus::Ok);
            d2.lock().unwrap().push(c.tag);
        })
        .unwrap();

    let fd = inst.file_descriptor().unwrap();
    assert!(!readable(fd, 0), "readable with nothing submitted");

    let base = responses(&inst);
    submit(&inst, &s, 0);
    assert!(
        readable(fd, 10_000),
        "a response waits: the fd must be readable"
    );
    assert!(
        done.lock().unwrap().is_empty(),
        "callbacks run only in poll"
    );
    assert!(readable(fd, 0), "still readable until polled");
    assert_eq!(inst.poll(0).unwrap(), 1);
    assert_eq!(*done.lock().unwrap(), vec![0]);
    assert!(
        !readable(fd, 0),
        "readable after poll(0) drained everything"
    );
    expect_status(inst.poll(0), CpaStatus::Retry);
    assert!(!readable(fd, 0));

    // Several responses: readable until the last is consumed.
    for tag in 1..=3 {
        submit(&inst, &s, tag);
    }
    wait_responses(&inst, base + 4);
    assert!(readable(fd, 0));
    assert_eq!(inst.poll(1).unwrap(), 1);
    assert!(readable(fd, 0), "two responses still wait");
    assert_eq!(inst.poll(1).unwrap(), 1);
    assert!(readable(fd, 0), "one response still waits");
    assert_eq!(inst.poll(0).unwrap(), 1);
    assert!(!readable(fd, 0));
    assert_eq!(*done.lock().unwrap(), vec![0, 1, 2, 3]);

    // A second get gives the same fd; put once per handout.
    assert_eq!(inst.file_descriptor().unwrap(), fd);
    inst.put_file_descriptor().unwrap();
    expect_status(inst.put_file_descriptor(), CpaStatus::InvalidParam);
}

#[test]
fn an_epoll_thread_completes_requests() {
    let dir = epoll_config();
    let qat = Qat::start_with("EPOLL", &dir.options(1)).unwrap();
    let inst = qat.dc_instances()[0].clone();
    inst.start().unwrap();
    const N: u64 = 40;
    let done: Arc<Mutex<Vec<u64>>> = Arc::default();
    let d2 = done.clone();
    let s = inst
        .init_session_async(&setup(|_| {}), move |c| d2.lock().unwrap().push(c.tag))
        .unwrap();
    let fd = inst.file_descriptor().unwrap();

    // SAFETY: plain system calls with valid arguments; results checked.
    let ep = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
    assert!(ep >= 0);
    let mut ev = libc::epoll_event {
        events: libc::EPOLLIN as u32,
        u64: 7,
    };
    assert_eq!(
        unsafe { libc::epoll_ctl(ep, libc::EPOLL_CTL_ADD, fd, &mut ev) },
        0
    );
    let wait = |timeout_ms: i32| -> i32 {
        let mut evs = [libc::epoll_event { events: 0, u64: 0 }; 4];
        // SAFETY: evs is a live array of 4 events.
        let n = unsafe { libc::epoll_wait(ep, evs.as_mut_ptr(), 4, timeout_ms) };
        assert!(n >= 0);
        if n > 0 {
            assert_eq!({ evs[0].u64 }, 7);
        }
        n
    };
    assert_eq!(wait(0), 0, "no event before any request");

    let poller = {
        let inst = inst.clone();
        let done = done.clone();
        std::thread::spawn(move || {
            let mut wakeups = 0u32;
            let start = Instant::now();
            while (done.lock().unwrap().len() as u64) < N {
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "epoll loop stuck"
                );
                let mut evs = [libc::epoll_event { events: 0, u64: 0 }; 4];
                // SAFETY: as above.
                let n = unsafe { libc::epoll_wait(ep, evs.as_mut_ptr(), 4, 1000) };
                if n > 0 {
                    wakeups += 1;
                    // An event means a response waits: poll must find it.
                    assert!(inst.poll(0).unwrap() > 0, "woken with nothing to poll");
                }
            }
            wakeups
        })
    };
    for tag in 0..N {
        submit(&inst, &s, tag);
        if tag % 8 == 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    let wakeups = poller.join().unwrap();
    assert!(wakeups >= 1);
    assert_eq!(*done.lock().unwrap(), (0..N).collect::<Vec<_>>());
    assert_eq!(wait(0), 0, "no event once everything is consumed");
    // SAFETY: ep is ours.
    unsafe { libc::close(ep) };
    inst.put_file_descriptor().unwrap();
}

#[test]
fn synchronous_calls_work_on_an_epoll_instance() {
    let dir = epoll_config();
    let qat = Qat::start_with("EPOLL", &dir.options(1)).unwrap();
    let inst = qat.dc_instances()[0].clone();
    inst.start().unwrap();
    let s = inst.init_session(&setup(|_| {})).unwrap();
    let data = corpus("calgary32");
    for _ in 0..3 {
        let (r, out) = compress_all(&inst, &s, &data);
        assert_eq!(r.status, DcStatus::Ok);
        assert_eq!(inflate_raw(&out).unwrap(), data);
    }
}

#[test]
fn polled_instances_refuse_the_file_descriptor() {
    let dir = epoll_config();
    let qat = Qat::start_with("EPOLL", &dir.options(1)).unwrap();
    let polled = qat.dc_instances()[1].clone();
    assert_eq!(polled.info().polling, PollingMode::Polled);
    let msg = expect_status(polled.file_descriptor(), CpaStatus::Unsupported);
    assert!(msg.contains("IsPolled = 2"), "{msg}");
    expect_status(polled.put_file_descriptor(), CpaStatus::InvalidParam);
    // The built-in configuration's instances are all polled.
    let b = start("EP_BUILTIN");
    for inst in b.dc_instances() {
        expect_status(inst.file_descriptor(), CpaStatus::Unsupported);
    }
}
