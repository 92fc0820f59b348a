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
use softqat_device::{DeviceState, Endpoint, EndpointOptions, Iova, ServiceId};
use softqat_engine::deflate::LevelMapping;
use softqat_engine::DcStatus;

// `ResponseDesc::cpa_status` values, as the descriptor carries them.
const CPA_SUCCESS: i8 = CpaStatus::Success.code() as i8;
const CPA_FAIL: i8 = CpaStatus::Fail.code() as i8;
const CPA_INVALID_PARAM: i8 = CpaStatus::InvalidParam.code() as i8;
const CPA_UNSUPPORTED: i8 = CpaStatus::Unsupported.code() as i8;

fn endpoint(threads: usize) -> Arc<Endpoint> {
    endpoint_with(threads, "dc")
}

fn endpoint_with(threads: usize, services: &str) -> Arc<Endpoint> {
    let ep = Endpoint::new(
        EndpointInfo {
            id: 0,
            class_name: "4xxx".into(),
            bdf: "0000:6b:00.0".into(),
            accelerators: 1,
            engines: 9,
            services: services.into(),
        },
        Geometry {
            banks: 64,
            ring_pairs_per_bank: 1,
            level_mapping: LevelMapping::Gen4,
        },
        EndpointOptions {
            engine_threads: threads,
            ..EndpointOptions::default()
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

/// Deflate level 1, dynamic, stored-header ASB, CRC32.
fn deflate_session() -> DcSessionDesc {
    DcSessionDesc {
        comp_type: 3,
        huff_type: 2,
        asb: 2,
        checksum: 1,
        level: 1,
        min_match: 0,
        lz4_block_max: 0,
        lz4_flags: 0,
        ..DcSessionDesc::default()
    }
}

/// A session's content descriptor in this process's memory (for the
/// passthrough owner, whose DMA addresses are virtual addresses).
fn content_here(stamp: u64) -> Box<DcContent> {
    Box::new(DcContent::new(deflate_session(), stamp))
}

fn addr_of(c: &DcContent) -> u64 {
    c as *const DcContent as u64
}

const CONTENT_LEN: u32 = std::mem::size_of::<DcContent>() as u32;

fn dc_request(command: DcCommand, content: u64, src: BufferDesc, dst: BufferDesc) -> RequestDesc {
    let mut r = RequestDesc::zeroed();
    r.header.service = ServiceId::Dc as u8;
    r.header.command = command as u8;
    r.content = Iova(content);
    r.content_len = CONTENT_LEN;
    r.set_params(&DcRequestParams {
        flush: 1,
        flags: DC_CNV | DC_CNVNR,
        ..DcRequestParams::default()
    });
    r.src = src;
    r.dst = dst;
    r
}

fn flat(addr: u64, len: usize) -> BufferDesc {
    BufferDesc::flat(Iova(addr), len as u32)
}

fn results(r: &ResponseDesc) -> DcResponseResults {
    r.result()
}

/// Writes a content descriptor into registered memory at `off`.
fn put_content(mem: &Mutex<Vec<u8>>, off: usize, content: &DcContent) {
    let b = bytemuck::bytes_of(content);
    mem.lock().unwrap()[off..off + b.len()].copy_from_slice(b);
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
    put_content(&mem, 0xff000, &DcContent::new(deflate_session(), 1));
    let p = producer(&ep, 0, owner);
    let req = dc_request(
        DcCommand::Compress,
        0x100000 + 0xff000,
        flat(0x100000, data.len()),
        flat(0x100000 + 0x80000, 0x70000),
    );
    p.submit(&req, 7).unwrap();
    ep.ring_doorbell();
    let (resp, cookie) = one_response(&p);
    let res = results(&resp);
    assert_eq!(cookie, 7);
    assert_eq!(resp.cpa_status, CPA_SUCCESS);
    assert_eq!(res.status, 0);
    assert_eq!(res.consumed as usize, data.len());
    assert_eq!(res.checksum, crc32fast::hash(&data));
    let out = mem.lock().unwrap()[0x80000..0x80000 + res.produced as usize].to_vec();
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
    let sessions = region(&owner, 0x300000, 4096);
    put_content(&sessions, 0, &DcContent::new(deflate_session(), 1));
    let before_mine = mine.lock().unwrap().clone();
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
        p.submit(
            &dc_request(DcCommand::Compress, 0x300000, *src, *dst),
            i as u32,
        )
        .unwrap();
        ep.ring_doorbell();
        let (resp, cookie) = one_response(&p);
        let res = results(&resp);
        assert_eq!(cookie, i as u32);
        assert_eq!(
            res.status,
            DcStatus::RegionOutOfBounds.code() as i8,
            "case {i}"
        );
        assert_eq!((res.consumed, res.produced), (0, 0), "case {i}");
    }
    // A session whose content descriptor is the other owner's memory.
    let foreign_session = dc_request(
        DcCommand::Compress,
        0x200000,
        flat(0x100000, 100),
        flat(0x100000 + 1024, 1024),
    );
    p.submit(&foreign_session, 99).unwrap();
    ep.ring_doorbell();
    assert_eq!(one_response(&p).0.cpa_status, CPA_INVALID_PARAM);
    assert!(foreign.lock().unwrap().iter().all(|&b| b == 0xAA));
    assert_eq!(*mine.lock().unwrap(), before_mine);
}

#[test]
fn malformed_descriptors_get_error_responses() {
    let ep = endpoint(1);
    let owner = OwnerMemory::regions();
    let mem = region(&owner, 0x100000, 1 << 16);
    let p = producer(&ep, 2, owner);
    // Session content descriptors at 0x10000 + 64 * k: a good one, then one
    // bad setting each.
    let sessions: Vec<(DcSessionDesc, i8)> = {
        let g = deflate_session();
        vec![
            (g, CPA_SUCCESS),
            (DcSessionDesc { level: 0, ..g }, CPA_INVALID_PARAM),
            (DcSessionDesc { comp_type: 9, ..g }, CPA_INVALID_PARAM),
            // ZSTD takes xxHash64 only, not CRC32.
            (DcSessionDesc { comp_type: 6, ..g }, CPA_INVALID_PARAM),
            // xxHash64 is zstd's: unsupported with deflate.
            (DcSessionDesc { checksum: 5, ..g }, CPA_UNSUPPORTED),
            // LZ4S takes xxHash32 or no checksum, not CRC32.
            (DcSessionDesc { comp_type: 5, ..g }, CPA_INVALID_PARAM),
            // xxHash32 on deflate.
            (DcSessionDesc { checksum: 4, ..g }, CPA_INVALID_PARAM),
        ]
    };
    for (k, (desc, _)) in sessions.iter().enumerate() {
        put_content(&mem, 0xc000 + 64 * k, &DcContent::new(*desc, 1 + k as u64));
    }
    let at = |k: usize| 0x100000 + 0xc000 + 64 * k as u64;
    let good = dc_request(
        DcCommand::Compress,
        at(0),
        flat(0x100000, 100),
        flat(0x108000, 1000),
    );
    let mut cases: Vec<(RequestDesc, i8)> = Vec::new();
    for (k, (_, want)) in sessions.iter().enumerate().skip(1) {
        cases.push((
            RequestDesc {
                content: Iova(at(k)),
                ..good
            },
            *want,
        ));
    }
    let mut r = good;
    r.header.command = 99;
    cases.push((r, CPA_INVALID_PARAM));
    let mut r = good;
    r.header.service = 77;
    cases.push((r, CPA_INVALID_PARAM));
    let mut r = good;
    r.header.service = ServiceId::Sym as u8; // not enabled on a dc endpoint
    cases.push((r, CPA_UNSUPPORTED));
    let mut r = good;
    r.content_len = 3;
    cases.push((r, CPA_INVALID_PARAM));
    let mut r = good;
    r.content = Iova(0x100000 + 0xffff); // runs past the region
    cases.push((r, CPA_INVALID_PARAM));
    let mut r = good;
    r.content = Iova(0x100000 + 0x8000); // zeroed memory: not a content descriptor
    cases.push((r, CPA_INVALID_PARAM));
    let mut r = good;
    let mut params: DcRequestParams = r.params();
    params.flush = 17;
    r.set_params(&params);
    cases.push((r, CPA_INVALID_PARAM));
    let mut r = good;
    params = r.params();
    params.inject = 100; // not a CpaDcReqStatus
    r.set_params(&params);
    cases.push((r, CPA_INVALID_PARAM));
    let mut r = good;
    r.src.kind = 5;
    cases.push((r, CPA_INVALID_PARAM));
    let mut r = good;
    r.src = BufferDesc::sgl(Iova(0x100000), 0); // an empty list
    cases.push((r, CPA_INVALID_PARAM));
    let mut r = good;
    r.src = BufferDesc::sgl(Iova(0x100000), MAX_SGL_ENTRIES + 1);
    cases.push((r, CPA_INVALID_PARAM));
    for (i, (req, want)) in cases.iter().enumerate() {
        p.submit(req, i as u32).unwrap();
        ep.ring_doorbell();
        let (resp, _) = one_response(&p);
        let res = results(&resp);
        assert_eq!(resp.cpa_status, *want, "case {i}");
        assert_eq!((res.consumed, res.produced), (0, 0), "case {i}");
    }
    // The ring still works after all that.
    p.submit(&good, 100).unwrap();
    ep.ring_doorbell();
    let (resp, _) = one_response(&p);
    assert_eq!((resp.cpa_status, results(&resp).status), (0, 0));
}

#[test]
fn random_descriptors_never_crash_the_endpoint() {
    let ep = endpoint(2);
    let owner = OwnerMemory::regions();
    let mem = region(&owner, 0x100000, 1 << 16);
    put_content(&mem, 0xc000, &DcContent::new(deflate_session(), 1));
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
            req.header.service = ServiceId::Dc as u8;
            req.header.command = 1 + (i % 2) as u8;
            req.content = Iova(0x10c000);
            req.content_len = CONTENT_LEN;
            req.src = flat(0x100000 + (next() % 0x8000), (next() % 0x8000) as usize);
            req.dst = flat(0x108000, 0x4000);
        }
        // And some lists whose tables are random bytes of the owner's memory.
        if i % 5 == 1 {
            req.header.service = ServiceId::Dc as u8;
            req.content = Iova(0x10c000);
            req.content_len = CONTENT_LEN;
            req.src = BufferDesc::sgl(Iova(0x100000 + (next() % 0x8000)), (next() % 40) as u32);
            req.dst = BufferDesc::sgl(Iova(0x100000 + (next() % 0x8000)), (next() % 40) as u32);
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
    // SAFETY: every buffer below outlives the endpoint's use of it: the test
    // consumes every response before its buffers go.
    let owner = unsafe { OwnerMemory::passthrough() };
    let p = producer(&ep, 4, owner);
    let session = content_here(1);
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
                DcCommand::Compress,
                addr_of(&session),
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
        assert_eq!(resp.cpa_status, CPA_SUCCESS);
    }
    // Requests in flight when the endpoint goes down complete or fail with a
    // status; none vanishes.
    for i in 0..8 {
        p.submit(
            &dc_request(
                DcCommand::Compress,
                addr_of(&session),
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
    assert!(statuses.iter().all(|s| *s == CPA_SUCCESS || *s == CPA_FAIL));
    assert!(ep.state() == DeviceState::Down);
    assert!(ep.down().is_ok(), "down twice is fine");
}

#[test]
fn geometry_and_ring_ownership_are_enforced() {
    let ep = endpoint(1);
    // SAFETY: no request is submitted.
    let owner = unsafe { OwnerMemory::passthrough() };
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
    // SAFETY: every buffer outlives the responses, all consumed below.
    let owner = unsafe { OwnerMemory::passthrough() };
    let p = producer(&ep, 6, owner);
    let session = content_here(1);
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
                DcCommand::Compress,
                addr_of(&session),
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
        let res = results(&resp);
        assert_eq!(res.consumed as usize, inputs[i as usize].len());
        assert_eq!(res.checksum, crc32fast::hash(&inputs[i as usize]));
    }
    let counts = ep.fw_counters();
    assert_eq!(counts.iter().map(|c| c.1).sum::<u64>(), 64);
}

/// Writes an SGL table of (addr, len) entries at `off` of `mem` (registered
/// at `base`) and returns its descriptor.
fn put_sgl(mem: &Mutex<Vec<u8>>, base: u64, off: usize, entries: &[(u64, u32)]) -> BufferDesc {
    let mut m = mem.lock().unwrap();
    for (i, &(addr, len)) in entries.iter().enumerate() {
        let e = SglEntry {
            addr: Iova(addr),
            len,
            reserved: 0,
        };
        m[off + 16 * i..off + 16 * (i + 1)].copy_from_slice(bytemuck::bytes_of(&e));
    }
    BufferDesc::sgl(Iova(base + off as u64), entries.len() as u32)
}

#[test]
fn scatter_gather_lists_compress_and_decompress_across_segments() {
    let ep = endpoint(1);
    let owner = OwnerMemory::regions();
    let base = 0x400000u64;
    let mem = region(&owner, base, 1 << 20);
    put_content(&mem, 0, &DcContent::new(deflate_session(), 1));
    // Letters from a 16-letter alphabet: compresses to about half.
    let mut x = 0x2545_f491u32;
    let data: Vec<u8> = (0..150_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            b'a' + (x % 16) as u8
        })
        .collect();
    // The source in three uneven segments, in reverse order in memory.
    let cuts = [(0x90000usize, 70_000usize), (0x60000, 1), (0x20000, 79_999)];
    let mut entries = Vec::new();
    let mut at = 0;
    for &(off, len) in &cuts {
        mem.lock().unwrap()[off..off + len].copy_from_slice(&data[at..at + len]);
        entries.push((base + off as u64, len as u32));
        at += len;
    }
    let src = put_sgl(&mem, base, 0x100, &entries);
    // The destination in two segments of 20 000 and 200 000 bytes.
    let dst = put_sgl(
        &mem,
        base,
        0x200,
        &[(base + 0xb0000, 20_000), (base + 0xc0000, 200_000)],
    );
    let p = producer(&ep, 7, owner);
    p.submit(&dc_request(DcCommand::Compress, base, src, dst), 1)
        .unwrap();
    ep.ring_doorbell();
    let (resp, _) = one_response(&p);
    let res = results(&resp);
    assert_eq!((resp.cpa_status, res.status), (CPA_SUCCESS, 0));
    assert_eq!(
        res.consumed as usize,
        data.len(),
        "consumed counts across segments"
    );
    assert_eq!(res.checksum, crc32fast::hash(&data));
    let produced = res.produced as usize;
    assert!(
        produced > 20_000,
        "the output spills into the second segment"
    );
    let out = {
        let m = mem.lock().unwrap();
        let mut v = m[0xb0000..0xb0000 + 20_000].to_vec();
        v.extend_from_slice(&m[0xc0000..0xc0000 + produced - 20_000]);
        v
    };
    let mut back = vec![0u8; data.len()];
    let n = libdeflater::Decompressor::new()
        .deflate_decompress(&out, &mut back)
        .unwrap();
    assert_eq!(&back[..n], &data[..]);

    // Decompress that output, given as two segments, into four.
    let csrc = put_sgl(
        &mem,
        base,
        0x300,
        &[
            (base + 0xb0000, 20_000),
            (base + 0xc0000, (produced - 20_000) as u32),
        ],
    );
    let cdst = put_sgl(
        &mem,
        base,
        0x400,
        &[
            (base + 0x20000, 1000),
            (base + 0x30000, 49_000),
            (base + 0x40000, 60_000),
            (base + 0x60000, 60_000),
        ],
    );
    let mut req = dc_request(DcCommand::Decompress, base, csrc, cdst);
    req.set_params(&DcRequestParams {
        flush: 1,
        ..DcRequestParams::default()
    });
    p.submit(&req, 2).unwrap();
    ep.ring_doorbell();
    let (resp, _) = one_response(&p);
    let res = results(&resp);
    assert_eq!((resp.cpa_status, res.status), (CPA_SUCCESS, 0));
    assert_eq!(
        (res.consumed as usize, res.produced as usize),
        (produced, data.len())
    );
    let m = mem.lock().unwrap();
    let mut got = m[0x20000..0x20000 + 1000].to_vec();
    got.extend_from_slice(&m[0x30000..0x30000 + 49_000]);
    got.extend_from_slice(&m[0x40000..0x40000 + 60_000]);
    got.extend_from_slice(&m[0x60000..0x60000 + 40_000]);
    assert_eq!(got, data);
}

#[test]
fn an_updated_session_is_used_as_updated_and_a_removed_one_is_refused() {
    let ep = endpoint(1);
    let owner = OwnerMemory::regions();
    let base = 0x500000u64;
    let mem = region(&owner, base, 1 << 20);
    let data = vec![b'q'; 50_000];
    mem.lock().unwrap()[0x10000..0x10000 + data.len()].copy_from_slice(&data);
    let p = producer(&ep, 8, owner);
    let req = dc_request(
        DcCommand::Compress,
        base,
        flat(base + 0x10000, data.len()),
        flat(base + 0x40000, 0x40000),
    );
    let run = |content: &DcContent| {
        put_content(&mem, 0, content);
        p.submit(&req, 0).unwrap();
        ep.ring_doorbell();
        one_response(&p).0
    };
    // Deflate, then the same address updated to LZ4 under a new stamp (the
    // engine's cache must not keep deflate), then removed (stamp 0).
    let r = run(&DcContent::new(deflate_session(), 10));
    assert_eq!(r.cpa_status, CPA_SUCCESS);
    let again = run(&DcContent::new(deflate_session(), 10));
    assert_eq!(results(&again), results(&r), "cached session, same result");
    let lz4 = DcSessionDesc {
        comp_type: 4,
        checksum: 0,
        ..deflate_session()
    };
    let r2 = run(&DcContent::new(lz4, 11));
    assert_eq!((r2.cpa_status, results(&r2).status), (CPA_SUCCESS, 0));
    let produced = results(&r2).produced as usize;
    // The update took effect: the output is one LZ4 frame block (a 4-byte
    // size, then an LZ4 block) that an independent decoder reads back.
    let out = mem.lock().unwrap()[0x40000..0x40000 + produced].to_vec();
    let size = (u32::from_le_bytes([out[0], out[1], out[2], out[3]]) & 0x7fff_ffff) as usize;
    assert_eq!(size + 4, produced);
    let back = lz4_flex::block::decompress(&out[4..], data.len()).unwrap();
    assert_eq!(back, data);
    let mut removed = DcContent::new(lz4, 11);
    removed.header.stamp = 0;
    assert_eq!(run(&removed).cpa_status, CPA_INVALID_PARAM);
}

#[test]
fn requests_for_a_service_the_endpoint_does_not_run_are_unsupported() {
    let ep = endpoint_with(1, "sym;asym");
    // SAFETY: the buffers outlive the response, consumed below.
    let owner = unsafe { OwnerMemory::passthrough() };
    let p = producer(&ep, 0, owner);
    let session = content_here(1);
    let src = vec![7u8; 1000];
    let mut dst = vec![0u8; 2000];
    p.submit(
        &dc_request(
            DcCommand::Compress,
            addr_of(&session),
            flat(src.as_ptr() as u64, src.len()),
            flat(dst.as_mut_ptr() as u64, dst.len()),
        ),
        0,
    )
    .unwrap();
    ep.ring_doorbell();
    assert_eq!(one_response(&p).0.cpa_status, CPA_UNSUPPORTED);
    assert!(dst.iter().all(|&b| b == 0));
}

/// Symmetric sessions in registered memory: AES-128-GCM (tag appended) and
/// HMAC-SHA256 (separate digest, partials allowed).
fn sym_sessions(mem: &Mutex<Vec<u8>>) -> (u64, u64) {
    let mut gcm = SymSessionDesc {
        op: 3,
        cipher_alg: 7,
        cipher_dir: 1,
        hash_alg: 9,
        hash_mode: 2,
        chain_order: 2,
        flags: SYM_DIGEST_APPENDED,
        digest_len: 16,
        aad_len: 8,
        cipher_key_len: 16,
        ..SymSessionDesc::default()
    };
    gcm.cipher_key[..16].copy_from_slice(&[3; 16]);
    let mut hmac = SymSessionDesc {
        op: 2,
        hash_alg: 4,
        hash_mode: 2,
        digest_len: 32,
        auth_key_len: 32,
        ..SymSessionDesc::default()
    };
    hmac.auth_key[..32].copy_from_slice(&[5; 32]);
    for (off, d) in [(0xc000usize, gcm), (0xd000, hmac)] {
        let c = SymContent::new(d, 7);
        let b = bytemuck::bytes_of(&c);
        mem.lock().unwrap()[off..off + b.len()].copy_from_slice(b);
    }
    (0x10c000, 0x10d000)
}

const SYM_CONTENT_LEN: u32 = std::mem::size_of::<SymContent>() as u32;

fn sym_request(content: u64, src: BufferDesc, p: &SymRequestParams) -> RequestDesc {
    let mut r = RequestDesc::zeroed();
    r.header.service = ServiceId::Sym as u8;
    r.header.command = SymCommand::Perform as u8;
    r.content = Iova(content);
    r.content_len = SYM_CONTENT_LEN;
    r.src = src;
    r.dst = src;
    r.set_params(p);
    r
}

#[test]
fn symmetric_requests_are_served_and_bad_ones_refused() {
    let ep = endpoint_with(1, "sym;dc");
    let owner = OwnerMemory::regions();
    let mem = region(&owner, 0x100000, 1 << 16);
    let (gcm, hmac) = sym_sessions(&mem);
    let p = producer(&ep, 5, owner);
    let mut params = SymRequestParams {
        packet: 1,
        iv_len: 12,
        flags: SYM_REQ_AAD_RAW,
        cipher_len: 64,
        aad: Iova(0x10e000),
        ..SymRequestParams::default()
    };
    // GCM over 64 bytes, the tag after them: served.
    p.submit(&sym_request(gcm, flat(0x100000, 80), &params), 1)
        .unwrap();
    ep.ring_doorbell();
    let (r, _) = one_response(&p);
    assert_eq!(r.cpa_status, CPA_SUCCESS);
    let res: SymResponseResults = r.result();
    assert_eq!(res.verify_ok, 1);
    // Each of these is refused with INVALID_PARAM and touches nothing.
    let before = mem.lock().unwrap().clone();
    let mut bad = Vec::new();
    // The tag would run past the buffer.
    bad.push(sym_request(gcm, flat(0x100000, 70), &params));
    // The AAD lies outside the owner's memory.
    params.aad = Iova(0x900000);
    bad.push(sym_request(gcm, flat(0x100000, 80), &params));
    params.aad = Iova(0x10e000);
    // A cipher region past the end of the buffer.
    params.cipher_offset = 40;
    bad.push(sym_request(gcm, flat(0x100000, 80), &params));
    params.cipher_offset = 0;
    // An IV length GCM does not take; a packet type that does not exist;
    // partial packets on GCM.
    for (iv_len, packet) in [(13u8, 1u8), (12, 9), (12, 2)] {
        let q = SymRequestParams {
            iv_len,
            packet,
            ..params
        };
        bad.push(sym_request(gcm, flat(0x100000, 80), &q));
    }
    // A content descriptor of another service; a removed session.
    let mut wrong = sym_request(gcm, flat(0x100000, 80), &params);
    wrong.content_len = CONTENT_LEN;
    bad.push(wrong);
    // A separate digest outside the owner's memory.
    let hp = SymRequestParams {
        packet: 1,
        hash_len: 64,
        digest: Iova(0x1),
        ..SymRequestParams::default()
    };
    bad.push(sym_request(hmac, flat(0x100000, 64), &hp));
    for (i, req) in bad.iter().enumerate() {
        p.submit(req, 100 + i as u32).unwrap();
        ep.ring_doorbell();
        let (r, tag) = one_response(&p);
        assert_eq!((r.cpa_status, tag), (CPA_INVALID_PARAM, 100 + i as u32));
    }
    assert!(
        mem.lock().unwrap()[..0xc000] == before[..0xc000],
        "a refused request wrote memory"
    );
    // Partial HMAC: two packets of whole blocks then the last, in place.
    let mut last = SymRequestParams {
        packet: 2,
        hash_len: 128,
        digest: Iova(0x10f000),
        ..SymRequestParams::default()
    };
    for (packet, len) in [(2u8, 128u32), (2, 64), (3, 10)] {
        last.packet = packet;
        last.hash_len = len;
        p.submit(&sym_request(hmac, flat(0x100000, len as usize), &last), 7)
            .unwrap();
        ep.ring_doorbell();
        assert_eq!(one_response(&p).0.cpa_status, CPA_SUCCESS);
    }
    // A partial packet that is not whole blocks is refused.
    last.packet = 2;
    last.hash_len = 65;
    p.submit(&sym_request(hmac, flat(0x100000, 65), &last), 8)
        .unwrap();
    ep.ring_doorbell();
    assert_eq!(one_response(&p).0.cpa_status, CPA_INVALID_PARAM);
}

#[test]
fn random_symmetric_descriptors_never_crash_the_endpoint() {
    let ep = endpoint_with(2, "sym");
    let owner = OwnerMemory::regions();
    let mem = region(&owner, 0x100000, 1 << 16);
    let (gcm, hmac) = sym_sessions(&mem);
    let p = producer(&ep, 6, owner);
    let mut seed = 0x2545f4914f6cdd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut seen = 0;
    for i in 0..400u32 {
        let mut q = SymRequestParams::zeroed();
        for b in bytemuck::bytes_of_mut(&mut q) {
            *b = next() as u8;
        }
        // Plausible values often enough that real work happens.
        if i % 2 == 0 {
            q.packet = 1 + (next() % 3) as u8;
            q.iv_len = [12u8, 16, 8][(next() % 3) as usize];
            q.cipher_offset = (next() % 64) as u32;
            q.cipher_len = (next() % 512) as u32;
            q.hash_offset = (next() % 64) as u32;
            q.hash_len = (next() % 512) as u32;
            q.aad = Iova(0x100000 + next() % 0x10000);
            q.digest = Iova(0x100000 + next() % 0x10000);
        }
        let content = if i % 3 == 0 { hmac } else { gcm };
        let src = flat(0x100000 + (next() % 0x8000), (next() % 0x1000) as usize);
        let mut req = sym_request(content, src, &q);
        if i % 7 == 0 {
            req.dst = flat(0x108000 + (next() % 0x4000), (next() % 0x1000) as usize);
        }
        while p.submit(&req, i).is_err() {
            if let PollOutcome::Consumed(n) = p.poll(0, |_, _| {}) {
                seen += n;
            }
        }
        ep.ring_doorbell();
    }
    let start = Instant::now();
    while seen < 400 {
        if let PollOutcome::Consumed(n) = p.poll(0, |_, _| {}) {
            seen += n;
        }
        assert!(start.elapsed() < Duration::from_secs(30));
    }
    assert!(ep.is_up());
}

/// CCM's C layout (`CPA_CY_SYM_CCM_SET_NONCE` / `SET_AAD`): the nonce from
/// byte 1 of the IV block, the AAD from byte 18 of its buffer. The same
/// request with the AAD alone (the Rust API's layout) gives the same bytes,
/// and both are what the engine computes directly.
#[test]
fn ccm_takes_the_c_layout_of_nonce_and_aad() {
    use softqat_engine::sym::aead::{AeadAlgorithm, AeadSession};
    let ep = endpoint_with(1, "sym");
    let owner = OwnerMemory::regions();
    let mem = region(&owner, 0x100000, 1 << 16);
    let key = [0x40u8; 16];
    let mut d = SymSessionDesc {
        op: 3,
        cipher_alg: 6,
        cipher_dir: 1,
        hash_alg: 8,
        hash_mode: 2,
        chain_order: 2,
        digest_len: 8,
        aad_len: 8,
        cipher_key_len: 16,
        ..SymSessionDesc::default()
    };
    d.cipher_key[..16].copy_from_slice(&key);
    let c = SymContent::new(d, 3);
    let b = bytemuck::bytes_of(&c);
    mem.lock().unwrap()[0xc000..0xc000 + b.len()].copy_from_slice(b);
    let nonce = [0x10u8, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16];
    let aad = [0x20u8, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27];
    let plain: Vec<u8> = (0..24u8).collect();
    {
        let mut m = mem.lock().unwrap();
        // C layout at 0xd000: 18 reserved bytes, then the AAD.
        m[0xd000 + 18..0xd000 + 26].copy_from_slice(&aad);
        // The AAD alone at 0xd100.
        m[0xd100..0xd108].copy_from_slice(&aad);
        m[0x0000..24].copy_from_slice(&plain);
        m[0x1000..0x1000 + 24].copy_from_slice(&plain);
    }
    let p = producer(&ep, 7, owner);
    let mut iv = [0u8; 16];
    iv[1..8].copy_from_slice(&nonce);
    let c_layout = SymRequestParams {
        packet: 1,
        iv_len: 7,
        cipher_len: 24,
        iv,
        aad: Iova(0x10d000),
        ..SymRequestParams::default()
    };
    let raw = SymRequestParams {
        flags: SYM_REQ_AAD_RAW,
        aad: Iova(0x10d100),
        ..c_layout
    };
    for (params, at) in [(c_layout, 0x100000u64), (raw, 0x101000)] {
        p.submit(&sym_request(0x10c000, flat(at, 32), &params), 1)
            .unwrap();
        ep.ring_doorbell();
        assert_eq!(one_response(&p).0.cpa_status, CPA_SUCCESS);
    }
    let mut want = plain.clone();
    let mut tag = [0u8; 8];
    AeadSession::new(AeadAlgorithm::AesCcm, &key, 8)
        .unwrap()
        .seal(&nonce, &aad, &mut want, &mut tag)
        .unwrap();
    want.extend_from_slice(&tag);
    let m = mem.lock().unwrap();
    assert_eq!(&m[0x0000..32], &want[..], "C layout");
    assert_eq!(&m[0x1000..0x1000 + 32], &want[..], "AAD alone");
}

// --- RAS: heartbeat, faults, dummy responses, resets ------------------------

use softqat_device::{EndpointEvent, Fault, HeartbeatStatus, RasPolicy};

/// Records the endpoint's events.
fn record_events(ep: &Endpoint) -> Arc<Mutex<Vec<EndpointEvent>>> {
    let seen: Arc<Mutex<Vec<EndpointEvent>>> = Arc::default();
    let s = seen.clone();
    ep.subscribe(Arc::new(move |_, e| s.lock().unwrap().push(e)));
    seen
}

fn policy(auto_reset: bool, interval_ms: u64) -> RasPolicy {
    RasPolicy {
        auto_reset,
        reset_interval: Duration::from_millis(interval_ms),
        heartbeat_period: Duration::from_millis(200),
        fixed_period: false,
    }
}

/// This process's memory: the buffers below outlive their requests, and the
/// requests sharing one destination are served one at a time.
fn here() -> Arc<OwnerMemory> {
    // SAFETY: see above; every test waits for all its responses.
    unsafe { OwnerMemory::passthrough() }
}

/// A compression request on a session in this process's memory.
fn small_request(content: &DcContent, src: &[u8], dst: &mut [u8]) -> RequestDesc {
    dc_request(
        DcCommand::Compress,
        addr_of(content),
        flat(src.as_ptr() as u64, src.len()),
        flat(dst.as_mut_ptr() as u64, dst.len()),
    )
}

/// Waits until `cond` holds (at most 10 s).
fn eventually(what: &str, cond: impl Fn() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < Duration::from_secs(10), "never: {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn a_hang_fails_the_heartbeat_on_the_third_stuck_check_and_not_before() {
    let ep = endpoint(2);
    ep.set_ras_policy(policy(false, 5000));
    let events = record_events(&ep);
    let content = content_here(1);
    let src = vec![7u8; 4096];
    let mut dst = vec![0u8; 8192];
    let p = producer(&ep, 0, here());
    ep.inject(Fault::EngineHang).unwrap();
    // Requests queue: nothing serves them.
    for cookie in 0..5 {
        p.submit(&small_request(&content, &src, &mut dst), cookie)
            .unwrap();
    }
    ep.ring_doorbell();
    // The first check has nothing to compare with; the next two see the
    // counters stuck once and twice; the third fails the device.
    assert_eq!(ep.check_heartbeat(), HeartbeatStatus::Alive);
    assert_eq!(
        ep.check_heartbeat(),
        HeartbeatStatus::TooSoon,
        "a check within the period is not counted"
    );
    for k in 1..=3 {
        std::thread::sleep(Duration::from_millis(210));
        let status = ep.check_heartbeat();
        if k < 3 {
            assert_eq!(status, HeartbeatStatus::Alive, "stuck check {k}");
            assert_eq!(ep.state(), DeviceState::Up);
        } else {
            assert_eq!(status, HeartbeatStatus::Unresponsive);
        }
    }
    let stats = ep.heartbeat_stats();
    assert_eq!((stats.queries_sent, stats.queries_failed), (4, 1));
    assert_eq!(ep.state(), DeviceState::Error);
    assert_eq!(*events.lock().unwrap(), vec![EndpointEvent::FatalError]);
    // Every queued request gets a dummy response, in submission order.
    for want in 0..5 {
        let (resp, cookie) = one_response(&p);
        assert_eq!(cookie, want);
        assert!(resp.is_dummy());
        assert_eq!(resp.cpa_status, CPA_FAIL);
    }
    // In error, a request that still reaches the ring is answered the same.
    p.submit(&small_request(&content, &src, &mut dst), 9)
        .unwrap();
    ep.ring_doorbell();
    let (resp, cookie) = one_response(&p);
    assert!(resp.is_dummy() && cookie == 9);
    assert_eq!(ep.dummy_responses(), 6);
    // No automatic reset: it stays in error until reset.
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(ep.state(), DeviceState::Error);
    assert_eq!(ep.check_heartbeat(), HeartbeatStatus::Unresponsive);
    ep.reset_async().unwrap();
    eventually("the reset completes", || {
        ep.state() == DeviceState::Up && !ep.is_resetting()
    });
    assert_eq!(
        *events.lock().unwrap(),
        vec![
            EndpointEvent::FatalError,
            EndpointEvent::Restarting,
            EndpointEvent::Restarted
        ]
    );
    // Served again, for real, on the same ring.
    p.submit(&small_request(&content, &src, &mut dst), 10)
        .unwrap();
    ep.ring_doorbell();
    let (resp, _) = one_response(&p);
    assert!(!resp.is_dummy());
    assert_eq!(resp.cpa_status, CPA_SUCCESS);
    std::thread::sleep(Duration::from_millis(210));
    assert_eq!(ep.check_heartbeat(), HeartbeatStatus::Alive);
}

#[test]
fn a_simulated_heartbeat_failure_fails_the_next_counted_check() {
    let ep = endpoint(1);
    ep.set_ras_policy(policy(false, 5000));
    ep.inject(Fault::HeartbeatFailure).unwrap();
    assert_eq!(ep.state(), DeviceState::Up, "nothing until a check");
    assert_eq!(ep.check_heartbeat(), HeartbeatStatus::Unresponsive);
    assert_eq!(ep.state(), DeviceState::Error);
    assert_eq!(ep.heartbeat_stats().queries_failed, 1);
    // A fatal fault needs the endpoint up.
    assert!(ep.inject(Fault::FatalError).is_err());
}

#[test]
fn auto_reset_follows_a_fatal_error_and_resets_are_rate_limited() {
    let ep = endpoint(1);
    ep.set_ras_policy(policy(true, 1500));
    let events = record_events(&ep);
    let t0 = Instant::now();
    ep.inject(Fault::FatalError).unwrap();
    eventually("the automatic reset", || {
        events.lock().unwrap().len() == 3 && ep.state() == DeviceState::Up
    });
    assert!(t0.elapsed() < Duration::from_secs(1), "{:?}", t0.elapsed());
    assert_eq!(
        *events.lock().unwrap(),
        vec![
            EndpointEvent::FatalError,
            EndpointEvent::Restarting,
            EndpointEvent::Restarted
        ]
    );
    assert_eq!(ep.ras_errors().fatal, 1);
    // A second failure within the interval waits for it: the reset is
    // scheduled, and another reset asked for meanwhile is refused.
    eventually("the first reset is over", || !ep.is_resetting());
    let t1 = Instant::now();
    ep.inject(Fault::FatalError).unwrap();
    assert_eq!(ep.state(), DeviceState::Error);
    assert!(ep.is_resetting());
    assert_eq!(ep.check_heartbeat(), HeartbeatStatus::Resetting);
    let storm = ep.reset_async().unwrap_err().to_string();
    assert!(storm.contains("being reset already"), "{storm}");
    eventually("the delayed reset", || {
        ep.state() == DeviceState::Up && !ep.is_resetting()
    });
    let waited = t1.elapsed();
    assert!(waited >= Duration::from_millis(1000), "{waited:?}");
    assert_eq!(ep.ras_errors().fatal, 2);
    ep.reset_ras_errors();
    assert_eq!(ep.ras_errors(), softqat_device::RasErrors::default());
}

#[test]
fn a_ring_pair_error_drains_only_that_ring_with_dummy_responses() {
    let ep = endpoint(1);
    let content = content_here(1);
    let src = vec![3u8; 1000];
    let mut dst = vec![0u8; 4096];
    let hit = producer(&ep, 0, here());
    let other = producer(&ep, 1, here());
    // Down: requests queue on both rings.
    ep.down().unwrap();
    for c in 0..3 {
        hit.submit(&small_request(&content, &src, &mut dst), c)
            .unwrap();
        other
            .submit(&small_request(&content, &src, &mut dst), 10 + c)
            .unwrap();
    }
    ep.inject(Fault::RingPairError {
        bank: 0,
        ring_pair: 0,
    })
    .unwrap();
    for want in 0..3 {
        let (resp, cookie) = one_response(&hit);
        assert!(resp.is_dummy());
        assert_eq!(cookie, want);
    }
    assert_eq!(ep.ras_errors().nonfatal, 1);
    ep.up().unwrap();
    for want in 10..13 {
        let (resp, cookie) = one_response(&other);
        assert!(!resp.is_dummy());
        assert_eq!((cookie, resp.cpa_status), (want, CPA_SUCCESS));
    }
    let err = ep
        .inject(Fault::RingPairError {
            bank: 5,
            ring_pair: 0,
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("not in use"), "{err}");
}

#[test]
fn debug_files_read_and_write_as_the_kernel_s() {
    use softqat_device::debugfs;
    let ep = endpoint(2);
    let fw = debugfs::read(&ep, "fw_counters").unwrap();
    let lines: Vec<&str> = fw.lines().collect();
    assert_eq!(lines[0], "AE         Requests       Responses");
    assert_eq!(lines[1], " 0:               0               0");
    assert_eq!(lines.len(), 3);
    assert_eq!(debugfs::read(&ep, "heartbeat/status").unwrap(), "0\n");
    assert_eq!(
        debugfs::read(&ep, "heartbeat").unwrap(),
        "-1\n",
        "a second read within the period reads as unresponsive"
    );
    assert_eq!(debugfs::read(&ep, "heartbeat_sent").unwrap(), "1\n");
    assert_eq!(
        debugfs::read(&ep, "heartbeat/queries_failed").unwrap(),
        "0\n"
    );
    // The built-in test endpoint is gen2-like in its policy: the period is
    // writable, but not below 200 ms.
    debugfs::write(&ep, "heartbeat/config", "300").unwrap();
    assert_eq!(debugfs::read(&ep, "heartbeat/config").unwrap(), "300\n");
    let low = debugfs::write(&ep, "heartbeat/config", "100").unwrap_err();
    assert!(low.to_string().contains("minimum of 200 ms"), "{low}");
    assert!(debugfs::read(&ep, "heartbeat/inject_error").is_err());
    assert!(debugfs::write(&ep, "fw_counters", "1").is_err());
    let none = debugfs::read(&ep, "frequency").unwrap_err().to_string();
    assert!(none.contains("one of heartbeat"), "{none}");
    assert_eq!(debugfs::read(&ep, "qat_ras/errors_fatal").unwrap(), "0\n");
    ep.inject(Fault::Correctable).unwrap();
    assert_eq!(
        debugfs::read(&ep, "qat_ras/errors_correctable").unwrap(),
        "1\n"
    );
    debugfs::write(&ep, "qat_ras/reset_error_counters", "1").unwrap();
    assert_eq!(
        debugfs::read(&ep, "qat_ras/errors_correctable").unwrap(),
        "0\n"
    );
    assert!(debugfs::read(&ep, "cnv_errors")
        .unwrap()
        .contains(" 1:               0  none"));
    assert!(debugfs::read(&ep, "version")
        .unwrap()
        .starts_with("Firmware version: softqat"));
    // Reading heartbeat_sim_fail arms a failure the next counted check finds.
    debugfs::read(&ep, "heartbeat_sim_fail").unwrap();
    std::thread::sleep(Duration::from_millis(310));
    assert_eq!(debugfs::read(&ep, "heartbeat").unwrap(), "-1\n");
    assert_eq!(ep.state(), DeviceState::Error);
    assert_eq!(debugfs::read(&ep, "heartbeat_failed").unwrap(), "1\n");
    // Writing inject_error needs the endpoint up.
    assert!(debugfs::write(&ep, "heartbeat/inject_error", "1").is_err());
}

#[test]
fn a_fatal_error_right_after_an_automatic_reset_gets_a_reset_of_its_own() {
    // A fatal error landing between the end of one automatic reset and the
    // moment that reset stopped counting as pending used to be refused a
    // reset of its own and left the endpoint in error for good.
    let ep = endpoint(1);
    ep.set_ras_policy(policy(true, 0));
    for i in 0..1000 {
        while ep.state() != DeviceState::Up {
            std::hint::spin_loop();
        }
        if ep.inject(Fault::FatalError).is_err() {
            continue;
        }
        let t = Instant::now();
        while ep.state() != DeviceState::Up {
            assert!(
                t.elapsed() < Duration::from_secs(5),
                "iteration {i}: still {} 5 s after a fatal error with automatic reset",
                ep.state()
            );
            std::thread::yield_now();
        }
    }
}

/// A request with a preset dictionary at `dict`.
fn dict_request(
    command: DcCommand,
    content: u64,
    src: BufferDesc,
    dst: BufferDesc,
    dict: BufferDesc,
) -> RequestDesc {
    let mut r = dc_request(command, content, src, dst);
    let mut p: DcRequestParams = r.params();
    p.dict = dict;
    r.set_params(&p);
    r
}

#[test]
fn dictionaries_are_reached_through_the_descriptor_and_checked_like_buffers() {
    let ep = endpoint(1);
    let owner = OwnerMemory::regions();
    let base = 0x500000u64;
    let mem = region(&owner, base, 1 << 20);
    put_content(&mem, 0, &DcContent::new(deflate_session(), 1));
    // The input repeats the dictionary's phrases and nothing else, so most of
    // it becomes matches into the dictionary.
    let dict: Vec<u8> = (0..3000u32)
        .flat_map(|i| format!("phrase{} ", i % 97).into_bytes())
        .collect();
    let data: Vec<u8> = (0..2000u32)
        .flat_map(|i| format!("phrase{} ", (i * 7) % 97).into_bytes())
        .collect();
    let (dict_at, src_at, dst_at, back_at) = (0x10000usize, 0x40000usize, 0x80000, 0xc0000);
    {
        let mut m = mem.lock().unwrap();
        m[dict_at..dict_at + dict.len()].copy_from_slice(&dict);
        m[src_at..src_at + data.len()].copy_from_slice(&data);
    }
    // The dictionary as a list of two segments.
    let split = 1000;
    let dict_desc = put_sgl(
        &mem,
        base,
        0x400,
        &[
            (base + dict_at as u64, split as u32),
            (base + (dict_at + split) as u64, (dict.len() - split) as u32),
        ],
    );
    let p = producer(&ep, 3, owner);
    p.submit(
        &dict_request(
            DcCommand::Compress,
            base,
            flat(base + src_at as u64, data.len()),
            flat(base + dst_at as u64, 0x40000),
            dict_desc,
        ),
        1,
    )
    .unwrap();
    ep.ring_doorbell();
    let (resp, _) = one_response(&p);
    let res = results(&resp);
    assert_eq!((resp.cpa_status, res.status), (CPA_SUCCESS, 0));
    let produced = res.produced as usize;
    let stream = mem.lock().unwrap()[dst_at..dst_at + produced].to_vec();
    // Without the dictionary the stream is not decodable (distances reach
    // before its start): the history really came through the descriptor.
    let mut plain = vec![0u8; data.len()];
    assert!(libdeflater::Decompressor::new()
        .deflate_decompress(&stream, &mut plain)
        .is_err());
    // Decompressed with the dictionary as one flat buffer.
    p.submit(
        &dict_request(
            DcCommand::Decompress,
            base,
            flat(base + dst_at as u64, produced),
            flat(base + back_at as u64, data.len()),
            flat(base + dict_at as u64, dict.len()),
        ),
        2,
    )
    .unwrap();
    ep.ring_doorbell();
    let (resp, _) = one_response(&p);
    let res = results(&resp);
    assert_eq!((resp.cpa_status, res.status), (CPA_SUCCESS, 0));
    assert_eq!(
        &mem.lock().unwrap()[back_at..back_at + res.produced as usize],
        &data[..]
    );
    // A dictionary the owner cannot reach, one past the region's end and one
    // the request writes over: region faults, nothing written.
    for (i, bad) in [
        flat(0x900000, 100),
        flat(base + (1 << 20) - 10, 100),
        flat(base + dst_at as u64 + 16, 100),
    ]
    .into_iter()
    .enumerate()
    {
        p.submit(
            &dict_request(
                DcCommand::Compress,
                base,
                flat(base + src_at as u64, data.len()),
                flat(base + dst_at as u64, 0x40000),
                bad,
            ),
            10 + i as u32,
        )
        .unwrap();
        ep.ring_doorbell();
        let (resp, _) = one_response(&p);
        let res = results(&resp);
        assert_eq!(
            (res.status, res.consumed, res.produced),
            (DcStatus::RegionOutOfBounds.code() as i8, 0, 0),
            "case {i}"
        );
    }
    // A malformed list is an invalid parameter.
    p.submit(
        &dict_request(
            DcCommand::Compress,
            base,
            flat(base + src_at as u64, data.len()),
            flat(base + dst_at as u64, 0x40000),
            BufferDesc::sgl(Iova(base + 0x400), MAX_SGL_ENTRIES + 1),
        ),
        20,
    )
    .unwrap();
    ep.ring_doorbell();
    assert_eq!(one_response(&p).0.cpa_status, CPA_INVALID_PARAM);
}
