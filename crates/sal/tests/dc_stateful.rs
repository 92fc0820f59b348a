//! Stateful sessions (`CPA_DC_STATEFUL`) on a gen2 (c6xx) endpoint from a
//! configuration file, through the whole stack: streams compressed in
//! pieces decode with flate2 and carry the one-shot CRC32/Adler32; flate2
//! streams decompressed in pieces (with overflows and the c6xx odd-byte
//! rule) come back whole; one request in flight (RETRY for a second);
//! `reset` starts a new stream; what stateful sessions refuse; gen4 stays
//! stateless only.

mod common;

use common::*;
use softqat_sal::{
    ChecksumType, CompType, CpaStatus, DcInstance, DcOpData, DcSession, DcStatus, DmaBuf,
    FlushFlag, HuffType, Qat, SessionDirection, SessionState,
};

/// A c6xx endpoint with the compression service and a section `[name]` of
/// one polled instance; the directory (kept alive with the section), the
/// section and its instance, started.
fn c6xx(name: &str) -> (TempDir, Qat, DcInstance) {
    let dir = TempDir::with_files(
        "dcstateful",
        &[("c6xx_dev0.conf", &dc_endpoint_conf(name, &[1], 128, 1))],
    );
    let qat = Qat::start_with(name, &dir.options(1)).unwrap();
    let inst = dc0(&qat);
    assert!(inst.info().part_name.contains("c6xx"), "{:?}", inst.info());
    (dir, qat, inst)
}

fn stateful(direction: SessionDirection, checksum: ChecksumType) -> softqat_sal::DcSessionSetup {
    setup(|s| {
        s.state = SessionState::Stateful;
        s.direction = direction;
        s.checksum = checksum;
        s.comp_level = 4;
    })
}

/// Op data for a stateful compression request: no compress-and-verify.
fn plain(flush: FlushFlag) -> DcOpData {
    let mut op = DcOpData::new(flush);
    op.compress_and_verify = false;
    op.compress_and_verify_and_recover = false;
    op
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Compresses `input` on `s` in random pieces with random flushes, the last
/// FINAL; destinations sometimes too small (overflow, resubmit the rest).
/// Returns the stream and the last results.
fn compress_stream(
    inst: &DcInstance,
    s: &DcSession,
    input: &[u8],
    rng: &mut Rng,
) -> (Vec<u8>, softqat_sal::DcResults) {
    let mut out = Vec::new();
    let mut at = 0;
    let mut last = None;
    while at < input.len() {
        let end = (at + 1 + rng.below(30_000)).min(input.len());
        let flush = if end == input.len() {
            FlushFlag::Final
        } else {
            [FlushFlag::None, FlushFlag::Sync, FlushFlag::Full][rng.below(3)]
        };
        let mut piece = &input[at..end];
        loop {
            let room = if rng.below(3) == 0 {
                64 + rng.below(piece.len())
            } else {
                softqat_sal::deflate_compress_bound(piece.len())
            };
            let mut dst = vec![0u8; room];
            let r = inst.compress(s, piece, &mut dst, &plain(flush)).unwrap();
            assert!(
                matches!(r.status, DcStatus::Ok | DcStatus::Overflow),
                "{r:?}"
            );
            out.extend_from_slice(&dst[..r.produced as usize]);
            piece = &piece[r.consumed as usize..];
            last = Some(r);
            if r.status == DcStatus::Ok {
                break;
            }
        }
        at = end;
    }
    (out, last.unwrap())
}

/// Decompresses `stream` on `s` in random pieces into small destinations,
/// resubmitting from `consumed` (overflows, the odd-byte rule); the last
/// piece with FINAL. Returns the output and the last results.
fn decompress_stream(
    inst: &DcInstance,
    s: &DcSession,
    stream: &[u8],
    rng: &mut Rng,
) -> (Vec<u8>, softqat_sal::DcResults) {
    let mut out = Vec::new();
    let mut at = 0;
    loop {
        let end = (at + rng.below(5_000)).min(stream.len());
        let flush = if end == stream.len() {
            FlushFlag::Final
        } else {
            FlushFlag::None
        };
        let piece = &stream[at..end];
        let mut dst = vec![0u8; 1 + rng.below(20_000)];
        let r = inst
            .decompress(s, piece, &mut dst, &DcOpData::new(flush))
            .unwrap();
        assert!(
            matches!(r.status, DcStatus::Ok | DcStatus::Overflow),
            "{r:?}"
        );
        if r.status == DcStatus::Ok && !r.end_of_last_block && flush != FlushFlag::Final {
            // c6xx takes an even number of bytes without FLUSH_FINAL.
            assert_eq!(r.consumed as usize, piece.len() & !1, "odd-byte rule");
        }
        out.extend_from_slice(&dst[..r.produced as usize]);
        at += r.consumed as usize;
        if r.end_of_last_block {
            return (out, r);
        }
        assert!(at <= stream.len());
    }
}

#[test]
fn capabilities_and_context_sizes_on_gen2() {
    let (_d, _q, inst) = c6xx("ST_CAPS");
    let caps = inst.capabilities();
    assert!(caps.stateful_deflate_compression && caps.stateful_deflate_decompression);
    let ctx = |dir| inst.context_size(&stateful(dir, ChecksumType::Crc32));
    assert_eq!(ctx(SessionDirection::Decompress), 34_032);
    assert_eq!(ctx(SessionDirection::Compress), 65_536);
    assert_eq!(ctx(SessionDirection::Combined), 34_032 + 65_536);
    assert_eq!(inst.context_size(&setup(|_| {})), 0);
}

#[test]
fn streams_compressed_in_pieces_decode_with_flate2() {
    let (_d, _q, inst) = c6xx("ST_COMP");
    let calgary = corpus("calgary");
    let mut rng = Rng(0x0057_A7E1);
    for (i, checksum) in [ChecksumType::Crc32, ChecksumType::Adler32]
        .into_iter()
        .enumerate()
    {
        let s = inst
            .init_session(&stateful(SessionDirection::Combined, checksum))
            .unwrap();
        let input = &calgary[i * 400_000..i * 400_000 + 300_000];
        let (stream, last) = compress_stream(&inst, &s, input, &mut rng);
        assert!(inflate_raw(&stream).unwrap() == input, "flate2 decodes it");
        let want = match checksum {
            ChecksumType::Crc32 => crc32(input),
            _ => adler32(input),
        };
        assert_eq!(last.checksum, want, "running {checksum:?}");
        // The same session goes on with a new stream after FINAL, and
        // decompresses its own output statefully.
        let (again, _) = compress_stream(&inst, &s, &input[..50_000], &mut rng);
        assert!(inflate_raw(&again).unwrap() == input[..50_000]);
        let (back, r) = decompress_stream(&inst, &s, &stream, &mut rng);
        assert!(back == input);
        assert_eq!(r.checksum, want);
    }
}

#[test]
fn flate2_streams_decompressed_in_pieces() {
    let (_d, _q, inst) = c6xx("ST_DECOMP");
    let calgary = corpus("calgary");
    let mut rng = Rng(0xDEC0);
    let s = inst
        .init_session(&stateful(SessionDirection::Decompress, ChecksumType::Crc32))
        .unwrap();
    for level in [0u32, 1, 6, 9] {
        let input = &calgary[level as usize * 100_000..level as usize * 100_000 + 120_000];
        let stream = deflate_raw(input, level);
        let (out, r) = decompress_stream(&inst, &s, &stream, &mut rng);
        assert!(out == input, "level {level}");
        assert_eq!(r.checksum, crc32(input), "level {level}");
    }
}

#[test]
fn one_request_in_flight_and_reset() {
    let (_d, _q, inst) = c6xx("ST_FLIGHT");
    let input = corpus("calgary32");
    let stream = deflate_raw(&input, 6);
    let done = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = done.clone();
    let s = inst
        .init_session_async(
            &stateful(SessionDirection::Decompress, ChecksumType::Crc32),
            move |c| {
                sink.lock()
                    .unwrap()
                    .push((c.status, c.results, c.dst.to_vec()))
            },
        )
        .unwrap();
    let half = (stream.len() / 2) & !1;
    let op = DcOpData::new(FlushFlag::None);
    inst.submit_decompress(&s, dma(&stream[..half]), DmaBuf::new(1 << 16), &op, 1)
        .unwrap();
    // The first is in flight until polled: a second is refused.
    let rej = inst
        .submit_decompress(&s, dma(&stream[half..]), DmaBuf::new(1 << 16), &op, 2)
        .unwrap_err();
    assert_eq!(rej.error.status, CpaStatus::Retry, "{}", rej.error);
    assert_eq!(s.reset().unwrap_err().status, CpaStatus::Retry);
    poll_until(&inst, std::time::Duration::from_secs(10), || {
        done.lock().unwrap().len() == 1
    });
    let fin = DcOpData::new(FlushFlag::Final);
    inst.submit_decompress(&s, dma(&stream[half..]), DmaBuf::new(1 << 16), &fin, 2)
        .unwrap();
    poll_until(&inst, std::time::Duration::from_secs(10), || {
        done.lock().unwrap().len() == 2
    });
    let got = done.lock().unwrap().clone();
    let out: Vec<u8> = got.iter().flat_map(|(_, _, d)| d.clone()).collect();
    assert!(out == input);
    assert!(got[1].1.end_of_last_block);
    assert_eq!(got[1].1.checksum, crc32(&input));

    // Reset mid-stream: the next request starts a new stream.
    let sync = inst
        .init_session(&stateful(SessionDirection::Decompress, ChecksumType::Crc32))
        .unwrap();
    let mut dst = vec![0u8; 1 << 16];
    let r = inst
        .decompress(
            &sync,
            &stream[..100],
            &mut dst,
            &DcOpData::new(FlushFlag::None),
        )
        .unwrap();
    assert_eq!(r.status, DcStatus::Ok);
    sync.reset().unwrap();
    let r = inst
        .decompress(&sync, &stream, &mut dst, &DcOpData::new(FlushFlag::Final))
        .unwrap();
    assert_eq!((r.status, r.end_of_last_block), (DcStatus::Ok, true));
    assert!(dst[..r.produced as usize] == input[..]);
    assert_eq!(r.checksum, crc32(&input));
}

#[test]
fn corrupt_streams_and_refusals() {
    let (_d, _q, inst) = c6xx("ST_REFUSE");
    let s = inst
        .init_session(&stateful(SessionDirection::Combined, ChecksumType::Crc32))
        .unwrap();
    let mut dst = vec![0u8; 4096];
    // BTYPE 3: the one-shot status, nothing consumed or produced.
    let r = inst
        .decompress(
            &s,
            &[0x07, 0, 0, 0],
            &mut dst,
            &DcOpData::new(FlushFlag::Final),
        )
        .unwrap();
    assert_eq!(
        (r.status, r.consumed, r.produced),
        (DcStatus::InvalidBlockType, 0, 0)
    );
    // A stream that stops short of its end with FLUSH_FINAL.
    let stream = deflate_raw(b"a short stream, a short stream", 6);
    let r = inst
        .decompress(
            &s,
            &stream[..stream.len() - 3],
            &mut dst,
            &DcOpData::new(FlushFlag::Final),
        )
        .unwrap();
    assert_eq!(r.status, DcStatus::IncompleteFileErr);
    // Compress-and-verify is for stateless sessions (cpaDcCompressData).
    let m = expect_status(
        inst.compress(&s, b"abc", &mut dst, &DcOpData::new(FlushFlag::Final)),
        CpaStatus::Unsupported,
    );
    assert!(m.contains("compressAndVerify"), "{m}");
    // LZ4 and the data plane are stateless only; so is an update.
    let lz4 = setup(|x| {
        x.state = SessionState::Stateful;
        x.comp_type = CompType::Lz4;
        x.checksum = ChecksumType::Xxhash32;
    });
    expect_status(inst.init_session(&lz4), CpaStatus::Unsupported);
    expect_status(
        inst.init_dp_session(&stateful(SessionDirection::Compress, ChecksumType::Crc32)),
        CpaStatus::Unsupported,
    );
    let update = softqat_sal::DcSessionUpdate {
        comp_level: 1,
        huff_type: HuffType::Static,
        enable_dmm: false,
    };
    expect_status(inst.update_session(&s, &update), CpaStatus::Unsupported);
    // The session still works.
    let r = inst
        .compress(
            &s,
            b"still here, still here",
            &mut dst,
            &plain(FlushFlag::Final),
        )
        .unwrap();
    assert_eq!(
        inflate_raw(&dst[..r.produced as usize]).unwrap(),
        b"still here, still here"
    );
}

#[test]
fn gen4_stays_stateless_only() {
    let qat = start("ST_GEN4");
    let inst = dc0(&qat);
    let caps = inst.capabilities();
    assert!(!caps.stateful_deflate_compression && !caps.stateful_deflate_decompression);
    let m = expect_status(
        inst.init_session(&stateful(SessionDirection::Decompress, ChecksumType::Crc32)),
        CpaStatus::Unsupported,
    );
    assert!(m.contains("gen4") && m.contains("stateless"), "{m}");
    assert_eq!(
        inst.context_size(&stateful(SessionDirection::Decompress, ChecksumType::Crc32)),
        0
    );
}
