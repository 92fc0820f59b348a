//! accumulateXXHash and cpaDcResetXXHashState, as qatlib 26.08 defines them:
//! an LZ4 session with accumulateXXHash reports, in each compression
//! request's `checksum`, the xxHash32 of all its input since the stream
//! began; FLUSH_FINAL ends the stream (the next request starts a new hash);
//! an overflow adds nothing and keeps the state; ResetXXHashState restarts
//! it. Checked against xxhash-rust's streaming xxh32 over the concatenation.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use softqat_sal::{
    ChecksumType, CompType, CpaStatus, DcCompletion, DcOpData, DcStatus, DmaBuf, FlushFlag,
};
use xxhash_rust::xxh32::Xxh32;

fn lz4_setup(accumulate: bool) -> softqat_sal::DcSessionSetup {
    setup(|s| {
        s.comp_type = CompType::Lz4;
        s.checksum = ChecksumType::Xxhash32;
        s.accumulate_xxhash = accumulate;
    })
}

fn pieces() -> Vec<Vec<u8>> {
    vec![
        canterbury(0, 5000),
        random_bytes(13, 1),
        canterbury(7000, 70_000),
        Vec::new(),
        random_bytes(4097, 2),
    ]
}

fn bound(n: usize) -> usize {
    n + n / 255 + 64
}

#[test]
fn synchronous_requests_accumulate_until_flush_final() {
    let qat = start("SES_A");
    let inst = dc0(&qat);
    let s = inst.init_session(&lz4_setup(true)).unwrap();
    for _stream in 0..2 {
        let mut reference = Xxh32::new(0);
        let all = pieces();
        for (i, p) in all.iter().enumerate() {
            let last = i + 1 == all.len();
            let flush = if last {
                FlushFlag::Final
            } else {
                FlushFlag::Full
            };
            let mut out = vec![0u8; bound(p.len())];
            let r = inst
                .compress(&s, p, &mut out, &DcOpData::new(flush))
                .unwrap();
            assert_eq!(r.status, DcStatus::Ok);
            reference.update(p);
            assert_eq!(r.checksum, reference.digest(), "request {i}");
        }
        // The next stream starts from a fresh hash (checked by the loop).
    }
    // Without accumulateXXHash each request has its own hash.
    let plain = inst.init_session(&lz4_setup(false)).unwrap();
    let all = pieces();
    for p in &all {
        let mut out = vec![0u8; bound(p.len())];
        let r = inst
            .compress(&plain, p, &mut out, &DcOpData::new(FlushFlag::Full))
            .unwrap();
        assert_eq!(r.checksum, xxh32(p));
    }
}

#[test]
fn an_overflow_keeps_the_state_and_reset_restarts_it() {
    let qat = start("SES_A");
    let inst = dc0(&qat);
    let s = inst.init_session(&lz4_setup(true)).unwrap();
    let a = canterbury(0, 20_000);
    let b = random_bytes(20_000, 7);
    let mut out = vec![0u8; bound(b.len())];
    let ra = inst
        .compress(&s, &a, &mut out, &DcOpData::new(FlushFlag::Full))
        .unwrap();
    assert_eq!(ra.checksum, xxh32(&a));
    // Random data does not fit in 100 bytes: an overflow.
    let mut small = [0u8; 100];
    match inst.compress(&s, &b, &mut small, &DcOpData::new(FlushFlag::Full)) {
        Ok(r) => {
            assert_eq!(r.status, DcStatus::Overflow);
            assert_eq!(r.checksum, xxh32(&a), "valid up to the overflow");
        }
        Err(e) => assert_eq!(e.status, CpaStatus::Fail, "{e}"),
    }
    // Corrected, the stream goes on from A.
    let rb = inst
        .compress(&s, &b, &mut out, &DcOpData::new(FlushFlag::Full))
        .unwrap();
    let mut ab = a.clone();
    ab.extend_from_slice(&b);
    assert_eq!(rb.checksum, xxh32(&ab));
    // Reset: the next request starts a new hash.
    s.reset_xxhash_state().unwrap();
    let rb2 = inst
        .compress(&s, &b, &mut out, &DcOpData::new(FlushFlag::Final))
        .unwrap();
    assert_eq!(rb2.checksum, xxh32(&b));
    // Only stateless LZ4 sessions with accumulateXXHash have a state.
    for other in [lz4_setup(false), setup(|_| {})] {
        let o = inst.init_session(&other).unwrap();
        expect_status(o.reset_xxhash_state(), CpaStatus::Unsupported);
    }
}

#[test]
fn buffer_lists_and_asynchronous_requests_accumulate_in_order() {
    let qat = start("SES_A");
    let inst = dc0(&qat);
    let all = pieces();
    let mut expect = Vec::new();
    let mut reference = Xxh32::new(0);
    for p in &all {
        reference.update(p);
        expect.push(reference.digest());
    }
    // Synchronous lists.
    let s = inst.init_session(&lz4_setup(true)).unwrap();
    for (i, p) in all.iter().enumerate() {
        if p.is_empty() {
            continue;
        }
        let mut src = split_list(p, 3, i as u64);
        let mut dst = split_list(&vec![0u8; bound(p.len())], 2, 9);
        let r = inst
            .compress_list(&s, &mut src, &mut dst, &DcOpData::new(FlushFlag::Full))
            .unwrap();
        let mut so_far = Xxh32::new(0);
        for q in all[..=i].iter() {
            so_far.update(q);
        }
        assert_eq!(r.checksum, so_far.digest(), "list request {i}");
    }
    // Asynchronous flat buffers, all in flight at once.
    let got = Arc::new(Mutex::new(Vec::new()));
    let g = got.clone();
    let s = inst
        .init_session_async(&lz4_setup(true), move |c: DcCompletion| {
            assert_eq!(c.status, CpaStatus::Success);
            g.lock().unwrap().push((c.tag, c.results.checksum));
        })
        .unwrap();
    for (i, p) in all.iter().enumerate() {
        let flush = if i + 1 == all.len() {
            FlushFlag::Final
        } else {
            FlushFlag::Full
        };
        inst.submit_compress(
            &s,
            DmaBuf::from_slice(p),
            DmaBuf::new(bound(p.len())),
            &DcOpData::new(flush),
            i as u64,
        )
        .unwrap();
    }
    poll_until(&inst, Duration::from_secs(10), || {
        got.lock().unwrap().len() == all.len()
    });
    let got = got.lock().unwrap();
    for (i, (tag, ck)) in got.iter().enumerate() {
        assert_eq!(*tag, i as u64, "completions in submission order");
        assert_eq!(*ck, expect[i], "async request {i}");
    }
}
