//! An endpoint end to end at the descriptor level: rings, engine threads,
//! the firmware, the DMA registry and the state machine — driven the way the
//! SAL (or a managed-mode client) drives them.

use std::any::Any;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytemuck::Zeroable;
use softqat_cpa::CpaStatus;
use softqat_device::desc::*;
use softqat_device::dma::OwnerMemory;
use softqat_device::endpoint::{EndpointInfo, Geometry};
use softqat_device::ring::{PollOutcome, RingProducer};
use softqat_device::{DeviceState, Endpoint, EndpointOptions, Iova};
use softqat_engine::deflate::LevelMapping;
use softqat_engine::DcStatus;

fn endpoint(threads: usize) -> Arc<Endpoint> {
    let ep = Endpoint::new(
        EndpointInfo {
            id: 0,
            class_name: "4xxx".into(),
            bdf: "0000:6b:00.0".into(),
            accelerators: 1,
            engines: 9,
            services: "dc".into(),
        },
        Geometry {
            banks: 64,
            ring_pairs_per_bank: 1,
            level_mapping: LevelMapping::Gen4,
        },
        EndpointOptions {
            engine_threads: threads,
        },
    )
    .unwrap();
    ep.up().unwrap();
    ep
}

fn producer(ep: &Endpoint, bank: u32, memory: Arc<OwnerMemory>) -> RingProducer<u32> {
    let h = ep.create_ring(bank, 0, 64, memory).unwrap();
    RingProducer::new(h.memory, h.notify, 64)
}

fn dc_request(opcode: Opcode, src: BufferDesc, dst: BufferDesc) -> RequestDesc {
    let mut r = RequestDesc::zeroed();
    r.opcode = opcode as u8;
    r.flush = 1;
    r.flags = REQ_CNV | REQ_CNVNR;
    r.dc = DcSessionDesc {
        comp_type: 3,
        huff_type: 2,
        asb: 2,
        checksum: 1,
        level: 1,
        min_match: 0,
        lz4_block_max: 0,
        lz4_flags: 0,
    };
    r.src = src;
    r.dst = dst;
    r
}

fn flat(addr: u64, len: usize) -> BufferDesc {
    BufferDesc {
        addr,
        len: len as u32,
        kind: BUF_FLAT,
    }
}

/// Waits for one response.
fn one_response(p: &RingProducer<u32>) -> (ResponseDesc, u32) {
    let start = Instant::now();
    loop {
        let mut got = None;
        if let PollOutcome::Consumed(1) = p.poll(1, |r, c| got = Some((r, c))) {
            return got.unwrap();
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no response");
        if !p.arm() {
            p.notifier().wait(Some(Duration::from_millis(10)));
        }
        p.notifier().drain();
    }
}

/// Memory registered as one region, owned by the keep-alive handle.
fn region(owner: &OwnerMemory, iova: u64, len: usize) -> Arc<Mutex<Vec<u8>>> {
    let buf = Arc::new(Mutex::new(vec![0u8; len]));
    let host = buf.lock().unwrap().as_mut_ptr();
    let keep: Arc<dyn Any + Send + Sync> = buf.clone();
    // SAFETY: the Vec is never resized and lives as long as `buf`, which the
    // registry's keep handle holds.
    unsafe { owner.register(Iova(iova), host, len, keep).unwrap() };
    buf
}

#[test]
fn compresses_through_registered_regions() {
    let ep = endpoint(1);
    let owner = OwnerMemory::regions();
    let mem = region(&owner, 0x100000, 1 << 20);
    let data: Vec<u8> = b"software endpoints compress like hardware ones "
        .iter()
        .cycle()
        .take(100_000)
        .copied()
        .collect();
    mem.lock().unwrap()[..data.len()].copy_from_slice(&data);
    let p = producer(&ep, 0, owner);
    let req = dc_request(
        Opcode::DcCompress,
        flat(0x100000, data.len()),
        flat(0x100000 + 0x80000, 0x80000),
    );
    p.submit(&req, 7).unwrap();
    ep.ring_doorbell();
    let (resp, cookie) = one_response(&p);
    assert_eq!(cookie, 7);
    assert_eq!(resp.cpa_status, CpaStatus::Success.code() as i8);
    assert_eq!(resp.dc_status, 0);
    assert_eq!(resp.consumed as usize, data.len());
    assert_eq!(resp.checksum, crc32fast::hash(&data));
    let out = mem.lock().unwrap()[0x80000..0x80000 + resp.produced as usize].to_vec();
    let mut back = vec![0u8; data.len()];
    let n = libdeflater::Decompressor::new()
        .deflate_decompress(&out, &mut back)
        .unwrap();
    assert_eq!(&back[..n], &data[..]);
    assert_eq!(ep.fw_counters()[0], (1, 1));
}

#[test]
fn buffers_outside_the_owners_memory_fail_the_request_and_touch_nothing() {
    let ep = endpoint(1);
    let owner = OwnerMemory::regions();
    let mine = region(&owner, 0x100000, 4096);
    // Another owner's memory: registered elsewhere, never reachable by `owner`.
    let other_owner = OwnerMemory::regions();
    let foreign = region(&other_owner, 0x200000, 4096);
    foreign.lock().unwrap().fill(0xAA);
    let p = producer(&ep, 1, owner);
    let cases = [
        // Foreign IOVA as destination: would overwrite the other owner.
        (flat(0x100000, 100), flat(0x200000, 4096)),
        // Source running past the end of the region.
        (flat(0x100000 + 4000, 200), flat(0x100000 + 1024, 1024)),
        // Wrapping address arithmetic.
        (flat(u64::MAX - 10, 100), flat(0x100000, 1024)),
        // Null.
        (flat(0, 10), flat(0x100000, 1024)),
        // Overlapping source and destination.
        (flat(0x100000, 2048), flat(0x100000 + 1024, 2048)),
    ];
    for (i, (src, dst)) in cases.iter().enumerate() {
        p.submit(&dc_request(Opcode::DcCompress, *src, *dst), i as u32)
            .unwrap();
        ep.ring_doorbell();
        let (resp, cookie) = one_response(&p);
        assert_eq!(cookie, i as u32);
        assert_eq!(
            resp.dc_status,
            DcStatus::RegionOutOfBounds.code() as i8,
            "case {i}"
        );
        assert_eq!((resp.consumed, resp.produced), (0, 0), "case {i}");
    }
    assert!(foreign.lock().unwrap().iter().all(|&b| b == 0xAA));
    assert!(mine.lock().unwrap().iter().all(|&b| b == 0));
}

#[test]
fn malformed_descriptors_get_error_responses() {
    let ep = endpoint(1);
    let owner = OwnerMemory::regions();
    let _mem = region(&owner, 0x100000, 1 << 16);
    let p = producer(&ep, 2, owner);
    let good = dc_request(
        Opcode::DcCompress,
        flat(0x100000, 100),
        flat(0x108000, 1000),
    );
    let mut cases: Vec<(RequestDesc, i8)> = Vec::new();
    let mut r = good;
    r.opcode = 99;
    cases.push((r, CpaStatus::InvalidParam.code() as i8));
    let mut r = good;
    r.dc.level = 0;
    cases.push((r, CpaStatus::InvalidParam.code() as i8));
    let mut r = good;
    r.dc.comp_type = 9;
    cases.push((r, CpaStatus::InvalidParam.code() as i8));
    let mut r = good;
    r.dc.comp_type = 5; // LZ4S: valid CPA value, not implemented
    cases.push((r, CpaStatus::Unsupported.code() as i8));
    let mut r = good;
    r.dc.checksum = 4; // xxHash32 on deflate
    cases.push((r, CpaStatus::InvalidParam.code() as i8));
    let mut r = good;
    r.dc.checksum = 5; // xxHash64: valid CPA value, not implemented
    cases.push((r, CpaStatus::Unsupported.code() as i8));
    let mut r = good;
    r.flush = 17;
    cases.push((r, CpaStatus::InvalidParam.code() as i8));
    let mut r = good;
    r.inject = 100; // not a CpaDcReqStatus
    cases.push((r, CpaStatus::InvalidParam.code() as i8));
    let mut r = good;
    r.src.kind = 5;
    cases.push((r, CpaStatus::Success.code() as i8)); // region fault, reported in dc_status
    for (i, (req, want)) in cases.iter().enumerate() {
        p.submit(req, i as u32).unwrap();
        ep.ring_doorbell();
        let (resp, _) = one_response(&p);
        assert_eq!(resp.cpa_status, *want, "case {i}");
        assert_eq!((resp.consumed, resp.produced), (0, 0), "case {i}");
    }
    // The ring still works after all that.
    p.submit(&good, 100).unwrap();
    ep.ring_doorbell();
    let (resp, _) = one_response(&p);
    assert_eq!((resp.cpa_status, resp.dc_status), (0, 0));
}

#[test]
fn random_descriptors_never_crash_the_endpoint() {
    let ep = endpoint(2);
    let owner = OwnerMemory::regions();
    let _mem = region(&owner, 0x100000, 1 << 16);
    let p = producer(&ep, 3, owner);
    let mut seed = 0x9e3779b97f4a7c15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut seen = 0;
    for i in 0..300u32 {
        let mut bytes = [0u8; 128];
        for b in bytes.iter_mut() {
            *b = next() as u8;
        }
        let mut req: RequestDesc = bytemuck::cast(bytes);
        // Keep some requests plausible so the engines do real work on them.
        if i % 3 == 0 {
            req.opcode = 1 + (i % 2) as u8;
            req.src = flat(0x100000 + (next() % 0x8000), (next() % 0x8000) as usize);
            req.dst = flat(0x108000, 0x8000);
        }
        while p.submit(&req, i).is_err() {
            if let PollOutcome::Consumed(n) = p.poll(0, |_, _| {}) {
                seen += n;
            }
        }
        ep.ring_doorbell();
    }
    let start = Instant::now();
    while seen < 300 {
        if let PollOutcome::Consumed(n) = p.poll(0, |_, _| {}) {
            seen += n;
        }
        assert!(start.elapsed() < Duration::from_secs(30));
    }
    assert!(ep.is_up());
}

#[test]
fn down_answers_queued_requests_and_up_serves_again() {
    let ep = endpoint(1);
    let owner = OwnerMemory::passthrough();
    let p = producer(&ep, 4, owner);
    let src = vec![1u8; 1 << 20];
    let mut dst = vec![0u8; 2 << 20];
    ep.down().unwrap();
    assert_eq!(ep.state(), DeviceState::Down);
    assert!(ep.status_line().ends_with("state: down"));
    // Queued while down: answered with a failure when the endpoint goes
    // down again or at the latest when it comes up and serves them.
    for i in 0..4 {
        p.submit(
            &dc_request(
                Opcode::DcCompress,
                flat(src.as_ptr() as u64, src.len()),
                flat(dst.as_mut_ptr() as u64, dst.len()),
            ),
            i,
        )
        .unwrap();
    }
    ep.up().unwrap();
    ep.ring_doorbell();
    for i in 0..4 {
        let (resp, c) = one_response(&p);
        assert_eq!(c, i);
        assert_eq!(resp.cpa_status, CpaStatus::Success.code() as i8);
    }
    // Requests in flight when the endpoint goes down complete or fail with a
    // status; none vanishes.
    for i in 0..8 {
        p.submit(
            &dc_request(
                Opcode::DcCompress,
                flat(src.as_ptr() as u64, src.len()),
                flat(dst.as_mut_ptr() as u64, dst.len()),
            ),
            10 + i,
        )
        .unwrap();
    }
    ep.ring_doorbell();
    ep.down().unwrap();
    let mut statuses = vec![];
    for _ in 0..8 {
        let (resp, _) = one_response(&p);
        statuses.push(resp.cpa_status);
    }
    assert!(statuses
        .iter()
        .all(|s| *s == CpaStatus::Success.code() as i8 || *s == CpaStatus::Fail.code() as i8));
    assert!(ep.state() == DeviceState::Down);
    assert!(ep.down().is_ok(), "down twice is fine");
}

#[test]
fn geometry_and_ring_ownership_are_enforced() {
    let ep = endpoint(1);
    let owner = OwnerMemory::passthrough();
    assert!(ep.create_ring(64, 0, 64, owner.clone()).is_err());
    assert!(ep.create_ring(0, 1, 64, owner.clone()).is_err());
    assert!(ep.create_ring(0, 0, 100, owner.clone()).is_err());
    let _h = ep.create_ring(5, 0, 64, owner.clone()).unwrap();
    let err = ep.create_ring(5, 0, 64, owner).err().unwrap();
    assert!(err.to_string().contains("already in use"), "{err}");
    assert_eq!(ep.rings_in_use(), vec![(5, 0)]);
    assert!(ep.remove_ring(5, 0));
    assert!(!ep.remove_ring(5, 0));
}

#[test]
fn several_engines_serve_one_ring_and_keep_response_order() {
    let ep = endpoint(2);
    let owner = OwnerMemory::passthrough();
    let p = producer(&ep, 6, owner);
    let inputs: Vec<Vec<u8>> = (0..64)
        .map(|i| {
            // Sizes vary so engines finish out of order.
            let n = if i % 2 == 0 { 200_000 } else { 100 };
            (0..n).map(|j| ((i * 31 + j) % 7) as u8).collect()
        })
        .collect();
    let mut outputs: Vec<Vec<u8>> = inputs.iter().map(|i| vec![0u8; i.len() * 2 + 64]).collect();
    for (i, (src, dst)) in inputs.iter().zip(outputs.iter_mut()).enumerate() {
        p.submit(
            &dc_request(
                Opcode::DcCompress,
                flat(src.as_ptr() as u64, src.len()),
                flat(dst.as_mut_ptr() as u64, dst.len()),
            ),
            i as u32,
        )
        .unwrap();
    }
    ep.ring_doorbell();
    for i in 0..64u32 {
        let (resp, cookie) = one_response(&p);
        assert_eq!(cookie, i, "responses come back in request order");
        assert_eq!(resp.consumed as usize, inputs[i as usize].len());
        assert_eq!(resp.checksum, crc32fast::hash(&inputs[i as usize]));
    }
    let counts = ep.fw_counters();
    assert_eq!(counts.iter().map(|c| c.1).sum::<u64>(), 64);
}
