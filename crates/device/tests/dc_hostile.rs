//! The compression firmware against hostile requests: sessions with random
//! compression types, Huffman types, checksums, levels, LZ4 settings (in
//! and out of range), and requests with random commands, flush flags,
//! flags, seeds and error injections, over random or compressed-then-
//! mutated sources and destinations too small, too large or overlapping.
//! Every request must get a response — a result or a failure status — and
//! the firmware must never panic or write outside the request's buffers.

use std::sync::Arc;

use bytemuck::Zeroable;
use softqat_device::desc::*;
use softqat_device::dma::OwnerMemory;
use softqat_device::firmware::{Firmware, FirmwareShared};
use softqat_device::{Iova, ServiceId};
use softqat_engine::deflate::LevelMapping;

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// Usually one of `usual`, sometimes anything below `any`.
    fn pick(&mut self, usual: &[u64], any: u64) -> u64 {
        if self.below(8) == 0 {
            self.below(any)
        } else {
            usual[self.below(usual.len() as u64) as usize]
        }
    }
}

/// A buffer with guard bytes on both sides.
struct Guarded(Vec<u8>, usize);

impl Guarded {
    fn with(data: &[u8], extra: usize) -> Guarded {
        let mut v = vec![0xA5u8; data.len() + extra + 128];
        v[64..64 + data.len()].copy_from_slice(data);
        Guarded(v, data.len() + extra)
    }

    fn addr(&self) -> u64 {
        self.0[64..].as_ptr() as u64
    }

    fn intact(&self) -> bool {
        self.0[..64].iter().all(|b| *b == 0xA5) && self.0[64 + self.1..].iter().all(|b| *b == 0xA5)
    }
}

#[test]
fn random_sessions_and_requests_get_a_response_and_nothing_else_is_touched() {
    let shared = Arc::new(FirmwareShared::default());
    let mut fw = Firmware::new(&[ServiceId::Dc], LevelMapping::Gen4, &shared);
    // SAFETY: every buffer named below lives until its request is answered
    // (execute is synchronous here).
    let memory = unsafe { OwnerMemory::passthrough() };
    let mut r = Rng(0xdc0f_f5e7_1234);
    // Text-like input that compresses, and a valid deflate stream of it.
    let text: Vec<u8> = (0..8192u32)
        .map(|i| b"the quick brown fox jumps over the lazy dog "[(i % 44) as usize])
        .collect();
    let mut stream = vec![0u8; 16384];
    let n = {
        let mut c = libdeflater::Compressor::new(libdeflater::CompressionLvl::default());
        c.deflate_compress(&text, &mut stream).unwrap()
    };
    stream.truncate(n);
    let mut answered_ok = 0u32;
    for i in 0..6000u32 {
        let s = DcSessionDesc {
            comp_type: r.pick(&[3, 3, 4], 8) as u8,
            huff_type: r.pick(&[0, 2], 5) as u8,
            asb: r.pick(&[0, 1, 2, 3, 4], 8) as u8,
            checksum: r.pick(&[0, 1, 2, 3, 4], 8) as u8,
            level: r.pick(&[1, 6, 9, 12], 20) as u8,
            min_match: r.pick(&[0, 1], 4) as u8,
            lz4_block_max: r.pick(&[0, 1, 2, 3], 8) as u8,
            lz4_flags: r.below(4) as u8,
            ..DcSessionDesc::default()
        };
        let content = Box::new(DcContent::new(s, 1 + u64::from(i)));
        let command = r.pick(&[1, 2], 5) as u8;
        // The source: text, a deflate stream (possibly mutated or cut), or
        // random bytes.
        let mut src: Vec<u8> = match r.below(3) {
            0 => text[..r.below(text.len() as u64 + 1) as usize].to_vec(),
            1 => stream.clone(),
            _ => (0..r.below(3000)).map(|_| r.next() as u8).collect(),
        };
        for _ in 0..r.below(4) {
            if !src.is_empty() {
                let k = r.below(src.len() as u64) as usize;
                src[k] ^= 1 << r.below(8);
            }
        }
        if r.below(4) == 0 {
            src.truncate(r.below(src.len() as u64 + 1) as usize);
        }
        let dst_len = r.pick(&[0, 16, 64, 1024, 9000, 20000], 30000) as usize;
        let src_buf = Guarded::with(&src, 0);
        let dst_buf = Guarded::with(&vec![0u8; dst_len], 0);
        let mut p = DcRequestParams::zeroed();
        p.flush = r.pick(&[1, 2, 3, 4], 8) as u8;
        p.flags = r.below(8) as u8;
        p.inject = if r.below(20) == 0 {
            -(r.below(20) as i8)
        } else {
            0
        };
        p.seed_crc32 = r.next() as u32;
        p.seed_adler32 = r.next() as u32;
        let mut req = RequestDesc::zeroed();
        req.header.service = ServiceId::Dc as u8;
        req.header.command = command;
        req.header.opaque = i;
        req.content = Iova(&*content as *const DcContent as u64);
        req.content_len = std::mem::size_of::<DcContent>() as u32;
        req.src = BufferDesc::flat(Iova(src_buf.addr()), src.len() as u32);
        req.dst = match r.below(10) {
            // In place, or overlapping the source: refused, never run.
            0 => req.src,
            1 => BufferDesc::flat(Iova(src_buf.addr() + 1), src.len() as u32),
            _ => BufferDesc::flat(Iova(dst_buf.addr()), dst_len as u32),
        };
        req.set_params(&p);
        let resp = fw.execute(&req, &memory);
        assert_eq!(resp.opaque, i, "the response answers the request");
        answered_ok += u32::from(resp.cpa_status == 0);
        assert!(src_buf.intact(), "a write outside the source in round {i}");
        assert!(
            dst_buf.intact(),
            "a write outside the destination in round {i}"
        );
        if req.dst != req.src {
            assert!(
                src_buf.0[64..64 + src.len()] == src[..],
                "the source changed in round {i}"
            );
        }
    }
    eprintln!("{answered_ok} of 6000 random requests answered with CPA_STATUS_SUCCESS");
    // Valid requests are among the random ones: the deep paths ran.
    assert!(answered_ok > 500, "only {answered_ok} succeeded");
}

/// A stateful session's content descriptor (deflate level 1, CRC32, both
/// directions) whose context is `ctx`.
fn stateful_content(ctx: BufferDesc, stamp: u64) -> Box<DcContent> {
    Box::new(DcContent::new(
        DcSessionDesc {
            comp_type: 3,
            huff_type: 2,
            checksum: 1,
            level: 1,
            direction: 2,
            stateful: 1,
            context: ctx,
            ..DcSessionDesc::default()
        },
        stamp,
    ))
}

#[test]
fn stateful_requests_with_hostile_contexts_get_a_response_and_touch_nothing_else() {
    let shared = Arc::new(FirmwareShared::default());
    let mut fw = Firmware::new(&[ServiceId::Dc], LevelMapping::Gen2, &shared);
    // SAFETY: every buffer named below lives until its request is answered
    // (execute is synchronous here).
    let memory = unsafe { OwnerMemory::passthrough() };
    let mut r = Rng(0x57a7_ef01_dc00);
    let text: Vec<u8> = (0..6000u32)
        .map(|i| b"stateful streams keep their history "[(i % 36) as usize])
        .collect();
    let ctx_len = DcSessionDesc::context_len(2);
    let mut ctx = Guarded::with(&vec![0u8; ctx_len], 0);
    let mut statuses = std::collections::BTreeMap::<i8, u32>::new();
    for i in 0..3000u32 {
        // The context: sometimes corrupted, short, or overlapping the
        // destination.
        if r.below(8) == 0 {
            let k = r.below(ctx_len as u64) as usize;
            ctx.0[64 + k] = r.next() as u8;
        }
        let dst_buf = Guarded::with(&vec![0u8; r.pick(&[0, 64, 4096, 20000], 30000) as usize], 0);
        let ctx_desc = match r.below(12) {
            0 => BufferDesc::flat(Iova(ctx.addr()), r.below(ctx_len as u64) as u32),
            1 => BufferDesc::flat(Iova(dst_buf.addr()), ctx_len.min(dst_buf.1) as u32),
            2 => BufferDesc::flat(Iova(0), 0),
            _ => BufferDesc::flat(Iova(ctx.addr()), ctx_len as u32),
        };
        let content = stateful_content(ctx_desc, 1 + u64::from(i));
        let src: Vec<u8> = match r.below(3) {
            0 => text[..r.below(text.len() as u64) as usize].to_vec(),
            1 => {
                let mut s = vec![0u8; 8000];
                let n = libdeflater::Compressor::new(libdeflater::CompressionLvl::default())
                    .deflate_compress(&text, &mut s)
                    .unwrap();
                let from = r.below(n as u64) as usize;
                s[from..n.min(from + r.below(3000) as usize)].to_vec()
            }
            _ => (0..r.below(500)).map(|_| r.next() as u8).collect(),
        };
        let src_buf = Guarded::with(&src, 0);
        let mut p = DcRequestParams::zeroed();
        p.flush = r.pick(&[0, 1, 2, 3], 6) as u8;
        p.flags = r.pick(&[0, DC_SOP as u64, DC_EVEN_INPUT as u64], 16) as u8;
        let mut req = RequestDesc::zeroed();
        req.header.service = ServiceId::Dc as u8;
        req.header.command = r.pick(&[1, 2], 4) as u8;
        req.header.opaque = i;
        req.content = Iova(&*content as *const DcContent as u64);
        req.content_len = std::mem::size_of::<DcContent>() as u32;
        req.src = BufferDesc::flat(Iova(src_buf.addr()), src.len() as u32);
        req.dst = BufferDesc::flat(Iova(dst_buf.addr()), dst_buf.1 as u32);
        req.set_params(&p);
        let resp = fw.execute(&req, &memory);
        assert_eq!(resp.opaque, i);
        if resp.cpa_status == 0 {
            let res: DcResponseResults = resp.result();
            *statuses.entry(res.status).or_default() += 1;
        }
        assert!(src_buf.intact() && src_buf.0[64..64 + src.len()] == src[..]);
        assert!(
            dst_buf.intact(),
            "a write outside the destination in round {i}"
        );
        assert!(ctx.intact(), "a write outside the context in round {i}");
    }
    // The deep paths ran, and refusals came as statuses.
    for s in [0i8, -11, -12, -21] {
        assert!(
            statuses.contains_key(&s),
            "status {s} never seen: {statuses:?}"
        );
    }
}

#[test]
fn stateful_refusals_have_their_statuses() {
    let shared = Arc::new(FirmwareShared::default());
    let mut fw = Firmware::new(&[ServiceId::Dc], LevelMapping::Gen2, &shared);
    // SAFETY: as above.
    let memory = unsafe { OwnerMemory::passthrough() };
    let ctx_len = DcSessionDesc::context_len(2);
    let ctx = vec![0x77u8; ctx_len];
    let src = b"abcabcabcabc".to_vec();
    let mut dst = vec![0u8; 256];
    let mut run = |ctx: BufferDesc, flags: u8, dst_at: u64| {
        let content = stateful_content(ctx, 9);
        let mut p = DcRequestParams::zeroed();
        p.flush = 1;
        p.flags = flags;
        let mut req = RequestDesc::zeroed();
        req.header.service = ServiceId::Dc as u8;
        req.header.command = DcCommand::Compress as u8;
        req.content = Iova(&*content as *const DcContent as u64);
        req.content_len = std::mem::size_of::<DcContent>() as u32;
        req.src = BufferDesc::flat(Iova(src.as_ptr() as u64), src.len() as u32);
        req.dst = BufferDesc::flat(Iova(dst_at), 256);
        req.set_params(&p);
        let resp = fw.execute(&req, &memory);
        (resp.cpa_status, resp.result::<DcResponseResults>().status)
    };
    let whole = BufferDesc::flat(Iova(ctx.as_ptr() as u64), ctx_len as u32);
    let d = dst.as_mut_ptr() as u64;
    // A context that is not a stream's, without start of packet: SOFTERR.
    assert_eq!(run(whole, 0, d), (0, -12));
    // With it, the stream starts.
    assert_eq!(run(whole, DC_SOP, d), (0, 0));
    // Too short for both directions: INVALID_PARAM.
    let short = BufferDesc::flat(Iova(ctx.as_ptr() as u64), (ctx_len - 1) as u32);
    assert_eq!(run(short, DC_SOP, d).0, -4);
    // Compress-and-verify: UNSUPPORTED.
    assert_eq!(run(whole, DC_SOP | DC_CNV, d).0, -6);
    // The context overlapping the destination: refused like a bad buffer.
    assert_eq!(run(whole, DC_SOP, ctx.as_ptr() as u64 + 64), (0, -21));
}
