//! The no-session API (`cpaDcNs*`): round trips checked by flate2 (raw
//! deflate, gzip and zlib framing made by the NsGenerateHeader/Footer
//! calls), streams of several requests, asynchronous requests, the setup
//! checks qatlib makes (INVALID_PARAM; UNSUPPORTED without
//! compress-and-verify), the per-instance CnV error injection, and the ASB
//! threshold/ratio setters (UNSUPPORTED on the classes softqat models).

mod common;

use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use softqat_sal::{
    dc::DcCallback, ns_generate_footer, ns_generate_header, AsbRatio, AsbThreshold, ChecksumType,
    CompType, CpaStatus, DcCompletion, DcInstance, DcNsSetup, DcOpData, DcResults, DcStatus,
    DmaBuf, FlushFlag, Qat, SessionDirection, SessionState, WindowSize,
};

fn section(name: &str) -> (Qat, DcInstance) {
    let qat = start(name);
    let inst = dc0(&qat);
    (qat, inst)
}

/// No-session setup data: the defaults with direction `dir` and `f`.
fn ns(dir: SessionDirection, f: impl FnOnce(&mut DcNsSetup)) -> DcNsSetup {
    setup(|s| {
        s.direction = dir;
        f(s);
    })
}

fn ns_compress(
    inst: &DcInstance,
    setup: &DcNsSetup,
    data: &[u8],
    op: &DcOpData,
) -> (DcResults, Vec<u8>) {
    let mut out = vec![0u8; softqat_sal::deflate_compress_bound(data.len())];
    let r = inst
        .ns_compress(setup, data, &mut out, op)
        .unwrap_or_else(|e| panic!("ns_compress: {e}"));
    assert_eq!(r.status, DcStatus::Ok);
    out.truncate(r.produced as usize);
    (r, out)
}

/// A whole framed stream: NsGenerateHeader, the requests (`chunks`, the
/// checksum carried across them), NsGenerateFooter.
fn framed(inst: &DcInstance, checksum: ChecksumType, data: &[u8], chunks: usize) -> (Vec<u8>, u32) {
    let c = ns(SessionDirection::Compress, |s| s.checksum = checksum);
    let mut stream = vec![0u8; 32];
    let n = ns_generate_header(&c, &mut stream).unwrap();
    stream.truncate(n);
    let size = data.len().div_ceil(chunks);
    let mut last: Option<DcResults> = None;
    for (i, part) in data.chunks(size).enumerate() {
        let flush = if (i + 1) * size >= data.len() {
            FlushFlag::Final
        } else {
            FlushFlag::Full
        };
        let mut op = DcOpData::new(flush);
        if let Some(prev) = &last {
            op = op.continuing(prev);
        }
        let (r, out) = ns_compress(inst, &c, part, &op);
        assert_eq!(r.consumed as usize, part.len());
        stream.extend_from_slice(&out);
        last = Some(r);
    }
    let r = last.unwrap();
    let mut footer = [0u8; 16];
    let n = ns_generate_footer(&c, r.checksum, data.len() as u64, &mut footer).unwrap();
    stream.extend_from_slice(&footer[..n]);
    (stream, r.checksum)
}

#[test]
fn raw_deflate_round_trip_with_flate2() {
    let (_q, inst) = section("NS_RAW");
    let data = corpus("calgary32");
    for level in [1u8, 6, 9, 12] {
        let c = ns(SessionDirection::Compress, |s| {
            s.checksum = ChecksumType::None;
            s.comp_level = level;
        });
        let (r, out) = ns_compress(&inst, &c, &data, &DcOpData::new(FlushFlag::Final));
        assert_eq!(r.consumed as usize, data.len());
        assert!(
            out.len() < data.len() / 2,
            "level {level}: {} bytes",
            out.len()
        );
        assert_eq!(inflate_raw(&out).unwrap(), data, "level {level}: flate2");
        // No header or footer for raw deflate.
        assert_eq!(ns_generate_header(&c, &mut [0u8; 16]).unwrap(), 0);
        assert_eq!(ns_generate_footer(&c, 0, 0, &mut [0u8; 16]).unwrap(), 0);

        // Decompression of flate2's stream and of ours.
        let d = ns(SessionDirection::Decompress, |s| {
            s.checksum = ChecksumType::None
        });
        for stream in [out.clone(), deflate_raw(&data, 6)] {
            let mut back = vec![0u8; data.len()];
            let r = inst
                .ns_decompress(&d, &stream, &mut back, &DcOpData::new(FlushFlag::Final))
                .unwrap();
            assert_eq!(r.status, DcStatus::Ok);
            assert_eq!(r.consumed as usize, stream.len());
            assert_eq!(&back[..r.produced as usize], &data[..]);
        }
    }
}

#[test]
fn gzip_framing_from_ns_header_and_footer_is_accepted_by_flate2() {
    let (_q, inst) = section("NS_GZIP");
    let data = corpus("calgary32");
    for chunks in [1, 3] {
        let (stream, checksum) = framed(&inst, ChecksumType::Crc32, &data, chunks);
        assert_eq!(checksum, crc32(&data));
        assert_eq!(&stream[..2], &[0x1f, 0x8b], "gzip magic");
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&stream[..])
            .read_to_end(&mut back)
            .unwrap_or_else(|e| panic!("{chunks} requests: GzDecoder: {e}"));
        assert_eq!(back, data, "{chunks} requests");
        // The footer carries the CRC32 and the length.
        let tail = &stream[stream.len() - 8..];
        assert_eq!(
            u32::from_le_bytes(tail[..4].try_into().unwrap()),
            crc32(&data)
        );
        assert_eq!(
            u32::from_le_bytes(tail[4..].try_into().unwrap()),
            data.len() as u32
        );
    }
}

#[test]
fn zlib_framing_from_ns_header_and_footer_is_accepted_by_flate2() {
    let (_q, inst) = section("NS_ZLIB");
    let data = canterbury(0, 200_000);
    for chunks in [1, 4] {
        let (stream, checksum) = framed(&inst, ChecksumType::Adler32, &data, chunks);
        assert_eq!(checksum, adler32(&data));
        let mut back = Vec::new();
        flate2::read::ZlibDecoder::new(&stream[..])
            .read_to_end(&mut back)
            .unwrap_or_else(|e| panic!("{chunks} requests: ZlibDecoder: {e}"));
        assert_eq!(back, data, "{chunks} requests");
        // And back through the no-session decompression, checksum included.
        let d = ns(SessionDirection::Decompress, |s| {
            s.checksum = ChecksumType::Adler32
        });
        let mut out = vec![0u8; data.len()];
        let r = inst
            .ns_decompress(
                &d,
                &stream[2..stream.len() - 4],
                &mut out,
                &DcOpData::new(FlushFlag::Final),
            )
            .unwrap();
        assert_eq!(r.status, DcStatus::Ok);
        assert_eq!(r.produced as usize, data.len());
        assert_eq!(r.checksum, adler32(&data));
        assert_eq!(out, data);
    }
}

#[test]
fn lz4_frames_get_a_header_and_footer_only_with_xxhash32() {
    let c = ns(SessionDirection::Compress, |s| {
        s.comp_type = CompType::Lz4;
        s.checksum = ChecksumType::Xxhash32;
    });
    let mut buf = [0u8; 32];
    let n = ns_generate_header(&c, &mut buf).unwrap();
    assert!(n >= 7, "LZ4 frame header");
    assert_eq!(&buf[..4], &[0x04, 0x22, 0x4d, 0x18], "LZ4 frame magic");
    assert_eq!(ns_generate_footer(&c, 0x1234_5678, 0, &mut buf).unwrap(), 8);
    let plain = DcNsSetup {
        checksum: ChecksumType::None,
        ..c
    };
    assert_eq!(ns_generate_header(&plain, &mut buf).unwrap(), 0);
    assert_eq!(ns_generate_footer(&plain, 0, 0, &mut buf).unwrap(), 0);
    // Header checks, as qatlib's.
    let bad = DcNsSetup { comp_level: 0, ..c };
    expect_status(ns_generate_header(&bad, &mut buf), CpaStatus::InvalidParam);
    let gz = ns(SessionDirection::Compress, |_| {});
    expect_status(
        ns_generate_header(&gz, &mut [0u8; 4]),
        CpaStatus::InvalidParam,
    );
    let zstd = DcNsSetup {
        comp_type: CompType::Zstd,
        checksum: ChecksumType::None,
        ..c
    };
    expect_status(
        ns_generate_footer(&zstd, 0, 0, &mut buf),
        CpaStatus::Unsupported,
    );
}

#[test]
fn invalid_setup_data_is_invalid_param() {
    let (_q, inst) = section("NS_INVALID");
    let data = corpus("calgary32");
    let mut out = vec![0u8; 2 * data.len()];
    let op = DcOpData::new(FlushFlag::Final);
    let before = inst.stats();
    let cases: Vec<(&str, DcNsSetup)> = vec![
        ("combined direction", ns(SessionDirection::Combined, |_| {})),
        (
            "decompress direction",
            ns(SessionDirection::Decompress, |_| {}),
        ),
        (
            "stateful",
            ns(SessionDirection::Compress, |s| {
                s.state = SessionState::Stateful
            }),
        ),
        (
            "level 13",
            ns(SessionDirection::Compress, |s| s.comp_level = 13),
        ),
        (
            "8K window on gen4",
            ns(SessionDirection::Compress, |s| {
                s.window_size = WindowSize::W8K
            }),
        ),
        (
            "xxHash32 with deflate",
            ns(SessionDirection::Compress, |s| {
                s.checksum = ChecksumType::Xxhash32
            }),
        ),
        (
            "ZSTD (UNSUPPORTED for sessions; qatlib folds NS setup errors into INVALID_PARAM)",
            ns(SessionDirection::Compress, |s| {
                s.comp_type = CompType::Zstd;
                s.checksum = ChecksumType::None;
            }),
        ),
    ];
    for (what, s) in &cases {
        let m = expect_status(
            inst.ns_compress(s, &data, &mut out, &op),
            CpaStatus::InvalidParam,
        );
        assert!(!m.is_empty(), "{what}");
    }
    let d = ns(SessionDirection::Compress, |_| {});
    expect_status(
        inst.ns_decompress(&d, &out[..10], &mut out.clone(), &op),
        CpaStatus::InvalidParam,
    );
    // Stateful flush flags.
    let c = ns(SessionDirection::Compress, |_| {});
    for flush in [FlushFlag::None, FlushFlag::Sync] {
        expect_status(
            inst.ns_compress(&c, &data, &mut out, &DcOpData::new(flush)),
            CpaStatus::InvalidParam,
        );
    }
    // Compression without verify: UNSUPPORTED, as qatlib.
    let mut no_cnv = DcOpData::new(FlushFlag::Final);
    no_cnv.compress_and_verify = false;
    no_cnv.compress_and_verify_and_recover = false;
    let m = expect_status(
        inst.ns_compress(&c, &data, &mut out, &no_cnv),
        CpaStatus::Unsupported,
    );
    assert!(m.contains("compressAndVerify"), "{m}");
    // Every refusal counted as a refused request.
    let after = inst.stats();
    assert_eq!(
        after.num_comp_requests_errors,
        before.num_comp_requests_errors + cases.len() as u64 + 3
    );
    assert_eq!(
        after.num_decomp_requests_errors,
        before.num_decomp_requests_errors + 1
    );
    assert_eq!(after.num_comp_requests, before.num_comp_requests);
}

#[test]
fn many_setups_in_turn_each_compress_with_their_own_settings() {
    // More distinct setups than the instance remembers, twice over: each
    // request still runs with its own settings.
    let (_q, inst) = section("NS_CACHE");
    let data = canterbury(50_000, 40_000);
    for round in 0..2 {
        for level in 1..=12u8 {
            for checksum in [ChecksumType::Crc32, ChecksumType::Adler32] {
                let c = ns(SessionDirection::Compress, |s| {
                    s.comp_level = level;
                    s.checksum = checksum;
                });
                let (r, out) = ns_compress(&inst, &c, &data, &DcOpData::new(FlushFlag::Final));
                let want = match checksum {
                    ChecksumType::Crc32 => crc32(&data),
                    _ => adler32(&data),
                };
                assert_eq!(r.checksum, want, "round {round} level {level} {checksum:?}");
                assert_eq!(inflate_raw(&out).unwrap(), data);
            }
        }
    }
}

#[test]
fn asynchronous_no_session_requests_complete_through_their_callback() {
    let (_q, inst) = section("NS_ASYNC");
    let data = corpus("calgary32");
    let done: Arc<Mutex<Vec<DcCompletion>>> = Arc::default();
    let sink = done.clone();
    let cb: DcCallback = Arc::new(move |c: DcCompletion| sink.lock().unwrap().push(c));
    let c = ns(SessionDirection::Compress, |_| {});
    for tag in 0..4u64 {
        let src = DmaBuf::from_slice(&data);
        let dst = DmaBuf::new(softqat_sal::deflate_compress_bound(data.len()));
        inst.ns_submit_compress(&c, src, dst, &DcOpData::new(FlushFlag::Final), &cb, tag)
            .unwrap_or_else(|r| panic!("submit: {}", r.error));
    }
    poll_until(&inst, Duration::from_secs(20), || {
        done.lock().unwrap().len() == 4
    });
    let mut got = done.lock().unwrap();
    got.sort_by_key(|c| c.tag);
    for (i, c) in got.iter().enumerate() {
        assert_eq!(c.tag, i as u64);
        assert_eq!(c.status, CpaStatus::Success);
        assert_eq!(c.results.status, DcStatus::Ok);
        assert_eq!(c.results.checksum, crc32(&data));
        assert_eq!(inflate_raw(&c.dst).unwrap(), data);
    }
    // A refused request hands the buffers back.
    let bad = ns(SessionDirection::Combined, |_| {});
    let r = inst
        .ns_submit_compress(
            &bad,
            DmaBuf::from_slice(&data),
            DmaBuf::new(16),
            &DcOpData::new(FlushFlag::Final),
            &cb,
            9,
        )
        .unwrap_err();
    assert_eq!(r.error.status, CpaStatus::InvalidParam);
    assert_eq!(r.src.len(), data.len());
}

#[test]
fn ns_cnv_error_injection_applies_to_no_session_compression_until_reset() {
    let (_q, inst) = section("NS_CNV");
    let data = corpus("calgary32");
    let c = ns(SessionDirection::Compress, |_| {});
    let before = inst.stats().num_comp_cnv_errors_recovered;
    inst.ns_cnv_simulate_error(true).unwrap();
    for i in 0..2u64 {
        // Recovered into stored blocks, every request while on.
        let (r, out) = ns_compress(&inst, &c, &data, &DcOpData::new(FlushFlag::Final));
        assert_eq!(out.len(), data.len() + 5, "stored");
        assert_eq!(r.checksum, crc32(&data));
        assert_eq!(inflate_raw(&out).unwrap(), data);
        assert_eq!(inst.stats().num_comp_cnv_errors_recovered, before + i + 1);
    }
    // Without recovery the verify error is reported.
    let mut op = DcOpData::new(FlushFlag::Final);
    op.compress_and_verify_and_recover = false;
    let mut out = vec![0u8; 2 * data.len()];
    let r = inst.ns_compress(&c, &data, &mut out, &op).unwrap();
    assert_eq!(r.status, DcStatus::VerifyError);
    // Sessions are not affected.
    let s = inst.init_session(&setup(|_| {})).unwrap();
    let (r, out) = compress_all(&inst, &s, &data);
    assert_eq!(r.status, DcStatus::Ok);
    assert!(out.len() < data.len() / 2);
    inst.ns_cnv_simulate_error(false).unwrap();
    let (_, out) = ns_compress(&inst, &c, &data, &DcOpData::new(FlushFlag::Final));
    assert!(out.len() < data.len() / 2, "compressed again after reset");
}

#[test]
fn asb_threshold_and_ratio_are_unsupported_as_on_gen4() {
    let (_q, inst) = section("NS_ASB");
    let s = inst.init_session(&setup(|_| {})).unwrap();
    let m = expect_status(
        inst.set_asb_threshold(&s, AsbThreshold::T4096),
        CpaStatus::Unsupported,
    );
    assert!(m.contains("threshold"), "{m}");
    let m = expect_status(
        inst.set_asb_ratio(&s, AsbRatio::Sixteenths8),
        CpaStatus::Unsupported,
    );
    assert!(m.contains("ratio"), "{m}");
    // A session of another instance is refused first.
    let other = start("NS_ASB2");
    let i2 = dc0(&other);
    expect_status(
        i2.set_asb_ratio(&s, AsbRatio::Sixteenths1),
        CpaStatus::InvalidParam,
    );
}
