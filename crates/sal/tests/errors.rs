//! Request errors through the whole stack: every invalid-stream status of
//! Table 5 (−1 … −10) from a crafted deflate stream, the incomplete-file
//! status (−15), the error counts of `icp_sal_get_dc_error`, and simulated
//! errors (`icp_sal_dc_simulate_error`, §5.2.8) including compress-and-verify
//! recovery (CnVnR, §5.1.3 / §5.1.4).
//!
//! Simulated errors and error counts are process-wide, so this file is its
//! own test process and its tests run one at a time (`LOCK`).

mod common;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use common::*;
use softqat_sal::{
    dc_simulate_error, get_dc_error, CpaStatus, DcInstance, DcOpData, DcSession, DcStatus, DmaBuf,
    DpOp, FlushFlag, Qat,
};

static LOCK: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    let g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    // A test that failed while an error was pending must not leak it.
    dc_simulate_error(0, DcStatus::SoftErr).unwrap();
    g
}

fn section(name: &str) -> (Qat, DcInstance, DcSession) {
    let qat = start(name);
    let inst = dc0(&qat);
    let s = inst.init_session(&setup(|_| {})).unwrap();
    (qat, inst, s)
}

// ---------------------------------------------------------------------------
// Crafted invalid streams.
// ---------------------------------------------------------------------------

/// Order in which code-length code lengths are sent (RFC 1951 §3.2.7).
const CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Canonical Huffman codes (RFC 1951 §3.2.2) for `lens`: (code, length) per symbol.
fn canonical(lens: &[u8]) -> Vec<(u32, u32)> {
    let max = *lens.iter().max().unwrap_or(&0) as usize;
    let mut count = vec![0u32; max + 1];
    for &l in lens {
        if l > 0 {
            count[l as usize] += 1;
        }
    }
    let mut next = vec![0u32; max + 2];
    let mut code = 0;
    for bits in 1..=max {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    lens.iter()
        .map(|&l| {
            if l == 0 {
                (0, 0)
            } else {
                let c = next[l as usize];
                next[l as usize] += 1;
                (c, u32::from(l))
            }
        })
        .collect()
}

/// Starts a final dynamic block: header fields and the code-length code with
/// `cl` = (symbol, length) pairs. Returns the writer and the CL codes.
fn dynamic_block(hlit: u32, hdist: u32, cl: &[(usize, u8)]) -> (BitWriter, Vec<(u32, u32)>) {
    let mut lens = [0u8; 19];
    for &(sym, len) in cl {
        lens[sym] = len;
    }
    let used = CL_ORDER
        .iter()
        .rposition(|&s| lens[s] != 0)
        .map_or(4, |p| (p + 1).max(4));
    let mut w = BitWriter::new();
    w.bits(1, 1).bits(2, 2); // BFINAL, BTYPE = 10 (dynamic)
    w.bits(hlit, 5).bits(hdist, 5).bits(used as u32 - 4, 4);
    for &s in &CL_ORDER[..used] {
        w.bits(u32::from(lens[s]), 3);
    }
    (w, canonical(&lens))
}

fn emit(w: &mut BitWriter, codes: &[(u32, u32)], sym: usize) {
    let (c, l) = codes[sym];
    assert!(l > 0, "symbol {sym} has no code");
    w.code(c, l);
}

fn tail(w: &mut BitWriter) -> Vec<u8> {
    // Enough bytes after the fault that the decoder meets it before the end.
    let mut v = w.finish();
    v.extend_from_slice(&[0u8; 16]);
    v
}

/// Each crafted stream with the status Table 5 assigns it.
fn invalid_streams() -> Vec<(DcStatus, &'static str, Vec<u8>)> {
    let mut out = Vec::new();

    // −1: BFINAL = 1, BTYPE = 11 (reserved).
    let mut w = BitWriter::new();
    w.bits(1, 1).bits(3, 2);
    out.push((DcStatus::InvalidBlockType, "BTYPE = 3", tail(&mut w)));

    // −2: a stored block with LEN = 5 and NLEN = 0 (not ~LEN).
    let mut w = BitWriter::new();
    w.bits(1, 1)
        .bits(0, 2)
        .bytes_raw(&[5, 0, 0, 0])
        .bytes_raw(b"hello");
    out.push((DcStatus::BadStoredBlockLen, "LEN != ~NLEN", tail(&mut w)));

    // −3: a dynamic block declaring HLIT = 30 (287 literal/length codes).
    let mut w = BitWriter::new();
    w.bits(1, 1).bits(2, 2).bits(30, 5).bits(0, 5).bits(0, 4);
    out.push((DcStatus::TooManyCodes, "HLIT = 30", tail(&mut w)));

    // −4: the code-length code over-subscribed (three codes of length 1).
    let (mut w, _) = dynamic_block(0, 0, &[(0, 1), (1, 1), (2, 1)]);
    out.push((
        DcStatus::IncompleteCodeLens,
        "code-length code over-subscribed",
        tail(&mut w),
    ));

    // −5: the first code length is a repeat (16) of the previous one.
    let (mut w, cl) = dynamic_block(0, 0, &[(0, 1), (16, 1)]);
    emit(&mut w, &cl, 16);
    w.bits(0, 2);
    out.push((DcStatus::RepeatedLens, "repeat 16 first", tail(&mut w)));

    // −6: 258 lengths declared (HLIT 257 + HDIST 1); two repeats of 138 zeros.
    let (mut w, cl) = dynamic_block(0, 0, &[(0, 1), (18, 1)]);
    emit(&mut w, &cl, 18);
    w.bits(127, 7);
    emit(&mut w, &cl, 18);
    w.bits(127, 7);
    out.push((
        DcStatus::MoreRepeat,
        "repeats past 258 lengths",
        tail(&mut w),
    ));

    // −7: literal/length code over-subscribed (literals 0, 1, 2 of length 1).
    let (mut w, cl) = dynamic_block(0, 0, &[(1, 1), (18, 1)]);
    for _ in 0..3 {
        emit(&mut w, &cl, 1);
    }
    emit(&mut w, &cl, 18);
    w.bits(127, 7); // 138 zeros
    emit(&mut w, &cl, 18);
    w.bits(105, 7); // 116 zeros: 257 literal/length lengths in all
    emit(&mut w, &cl, 1); // one distance code of length 1
    out.push((
        DcStatus::BadLitlenCodes,
        "literal/length code over-subscribed",
        tail(&mut w),
    ));

    // −8: a valid literal/length code (0 and 256, length 1) and three
    // distance codes of length 1 (over-subscribed).
    let (mut w, cl) = dynamic_block(0, 2, &[(1, 1), (0, 2), (18, 2)]);
    emit(&mut w, &cl, 1); // literal 0: length 1
    emit(&mut w, &cl, 18);
    w.bits(127, 7); // literals 1..=138: 0
    emit(&mut w, &cl, 18);
    w.bits(106, 7); // literals 139..=255: 0
    emit(&mut w, &cl, 1); // 256: length 1
    for _ in 0..3 {
        emit(&mut w, &cl, 1); // distances 0, 1, 2: length 1
    }
    out.push((
        DcStatus::BadDistCodes,
        "distance code over-subscribed",
        tail(&mut w),
    ));

    // −9: a fixed block holding literal/length symbol 286 (8-bit code 11000110).
    let mut w = BitWriter::new();
    w.bits(1, 1).bits(1, 2).code(0b1100_0110, 8);
    out.push((DcStatus::InvalidCode, "fixed-code symbol 286", tail(&mut w)));
    // Issue 10's reproducer: "abcd", then symbol 286 and more codes. The
    // former libdeflate fast path read 286 as a length of 258 and answered
    // OK with 262 bytes, through this API too.
    out.push((
        DcStatus::InvalidCode,
        "issue 10: symbol 286 after literals",
        b"\x4b\x4c\x4a\x4e\x19\x03\x00".to_vec(),
    ));

    // −10: a fixed block whose first symbol is a match (length 3, distance 1)
    // with no output to copy from.
    let mut w = BitWriter::new();
    w.bits(1, 1).bits(1, 2).code(1, 7).code(0, 5).code(0, 7);
    out.push((
        DcStatus::InvalidDist,
        "distance before the start",
        tail(&mut w),
    ));

    out
}

#[test]
fn every_invalid_stream_status_comes_back_with_nothing_consumed_or_produced() {
    let _g = serial();
    let (_q, inst, s) = section("ERR_STREAMS");
    for (want, what, stream) in invalid_streams() {
        // Cross-check that the stream is invalid with flate2, except −10:
        // miniz_oxide's streaming decoder reads a distance before the start
        // from its zeroed window instead of refusing it.
        if want != DcStatus::InvalidDist {
            assert!(
                inflate_raw(&stream).is_err(),
                "{what}: flate2's decoder should refuse this stream too"
            );
        }
        let seen = get_dc_error(want);
        let stats = inst.stats();
        let mut out = vec![0xAAu8; 1024];
        let r = inst
            .decompress(&s, &stream, &mut out, &DcOpData::new(FlushFlag::Final))
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(r.status, want, "{what}: got {}", r.status);
        assert_eq!((r.consumed, r.produced), (0, 0), "{what}");
        assert!(!r.end_of_last_block, "{what}");
        assert!(want.is_invalid_stream());
        assert_eq!(get_dc_error(want), seen + 1, "{what}: icp_sal_get_dc_error");
        let after = inst.stats();
        assert_eq!(
            after.num_decomp_completed_errors,
            stats.num_decomp_completed_errors + 1,
            "{what}"
        );
        assert_eq!(
            after.num_decomp_completed, stats.num_decomp_completed,
            "{what}"
        );
    }
    // The instance is fine afterwards.
    let data = corpus("calgary32");
    let (_, c) = compress_all(&inst, &s, &data);
    assert_eq!(decompress_all(&inst, &s, &c, data.len()).1, data);
}

#[test]
fn a_stream_without_its_final_block_is_an_incomplete_file_under_flush_final() {
    let _g = serial();
    let (_q, inst, s) = section("ERR_TRUNC");
    let data = canterbury(0, 100_000);
    let (_, full) = compress_all(&inst, &s, &data);
    let seen = get_dc_error(DcStatus::IncompleteFileErr);
    // Cut in the middle of the last block.
    for cut in [full.len() / 2, full.len() - 3] {
        let mut out = vec![0u8; data.len()];
        let r = inst
            .decompress(&s, &full[..cut], &mut out, &DcOpData::new(FlushFlag::Final))
            .unwrap();
        assert_eq!(r.status, DcStatus::IncompleteFileErr, "cut at {cut}");
        assert_eq!((r.consumed, r.produced), (0, 0));
    }
    // A complete sync-flushed stream without BFINAL: incomplete under
    // FLUSH_FINAL, fine under FLUSH_SYNC.
    let (_, flushed) = compress_with(&inst, &s, &data, &DcOpData::new(FlushFlag::Full));
    let mut out = vec![0u8; data.len()];
    let r = inst
        .decompress(&s, &flushed, &mut out, &DcOpData::new(FlushFlag::Final))
        .unwrap();
    assert_eq!(r.status, DcStatus::IncompleteFileErr);
    assert_eq!((r.consumed, r.produced), (0, 0));
    assert_eq!(get_dc_error(DcStatus::IncompleteFileErr), seen + 3);
    let r = inst
        .decompress(&s, &flushed, &mut out, &DcOpData::new(FlushFlag::Sync))
        .unwrap();
    assert_eq!(r.status, DcStatus::Ok);
    assert!(!r.end_of_last_block);
    assert_eq!(r.consumed as usize, flushed.len());
    assert_eq!(&out[..r.produced as usize], &data[..]);
}

/// What flate2 decodes from a non-final (sync-flushed) stream.
fn inflate_raw_partial(stream: &[u8]) -> Vec<u8> {
    let mut d = flate2::Decompress::new(false);
    let mut out = vec![0u8; stream.len() * 2 + 1024];
    d.decompress(stream, &mut out, flate2::FlushDecompress::Sync)
        .unwrap();
    out.truncate(d.total_out() as usize);
    out
}

// ---------------------------------------------------------------------------
// Simulated errors.
// ---------------------------------------------------------------------------

#[test]
fn simulated_verify_error_is_recovered_into_stored_blocks() {
    let _g = serial();
    let (_q, inst, s) = section("ERR_CNVNR");
    let data = corpus("calgary32");
    let before = inst.stats();
    let verify_seen = get_dc_error(DcStatus::VerifyError);
    dc_simulate_error(1, DcStatus::VerifyError).unwrap();
    let (r, out) = compress_all(&inst, &s, &data);
    assert_eq!(r.status, DcStatus::Ok, "§5.1.3: recovered, status OK");
    assert_eq!(r.consumed as usize, data.len());
    assert_eq!(out.len(), data.len() + 5, "one stored block of 32 KiB");
    assert_eq!(r.checksum, crc32(&data));
    assert_eq!(inflate_raw(&out).unwrap(), data, "valid DEFLATE data");
    assert_eq!(decompress_all(&inst, &s, &out, data.len()).1, data);
    let after = inst.stats();
    assert_eq!(
        after.num_comp_cnv_errors_recovered,
        before.num_comp_cnv_errors_recovered + 1,
        "§5.1.4 numCompCnvErrorsRecovered"
    );
    assert_eq!(after.num_comp_completed, before.num_comp_completed + 1);
    assert_eq!(
        get_dc_error(DcStatus::VerifyError),
        verify_seen,
        "recovered: not an error"
    );

    // Only one request was affected.
    let (r, out) = compress_all(&inst, &s, &data);
    assert_eq!(r.status, DcStatus::Ok);
    assert!(out.len() < data.len() / 2, "compressed again");
    assert_eq!(
        inst.stats().num_comp_cnv_errors_recovered,
        after.num_comp_cnv_errors_recovered
    );
}

#[test]
fn recovery_of_more_than_65535_bytes_overflows_after_one_stored_block() {
    let _g = serial();
    let (_q, inst, s) = section("ERR_CNVNR_BIG");
    let data = canterbury(0, 100_000);
    dc_simulate_error(1, DcStatus::VerifyError).unwrap();
    let (r, first) = compress_all(&inst, &s, &data);
    assert_eq!(r.status, DcStatus::Overflow, "§5.1.3: CPA_DC_OVERFLOW");
    assert_eq!(r.consumed, 65_535);
    // One non-final stored block with its 5-byte header.
    assert!(
        r.produced == 65_540,
        "one stored block, source + 5 bytes (Guide §5.1.3): produced {}",
        r.produced
    );
    assert_eq!(inflate_raw_partial(&first), &data[..65_535]);
    assert_eq!(r.checksum, crc32(&data[..65_535]));
    assert_eq!(inst.stats().num_comp_cnv_errors_recovered, 1);
    // Resubmit the rest, carrying the checksum: a complete stream.
    let (r2, rest) = compress_with(
        &inst,
        &s,
        &data[65_535..],
        &DcOpData::new(FlushFlag::Final).continuing(&r),
    );
    assert_eq!(r2.status, DcStatus::Ok);
    assert_eq!(r2.checksum, crc32(&data));
    let mut stream = first;
    stream.extend_from_slice(&rest);
    assert_eq!(inflate_raw(&stream).unwrap(), data);
}

#[test]
fn verify_error_without_recovery_is_reported() {
    let _g = serial();
    let (_q, inst, s) = section("ERR_CNV");
    let data = corpus("calgary32");
    let seen = get_dc_error(DcStatus::VerifyError);
    let before = inst.stats();
    dc_simulate_error(1, DcStatus::VerifyError).unwrap();
    let mut op = DcOpData::new(FlushFlag::Final);
    op.compress_and_verify = true;
    op.compress_and_verify_and_recover = false;
    let (r, out) = compress_with(&inst, &s, &data, &op);
    assert_eq!(r.status, DcStatus::VerifyError);
    assert_eq!((r.consumed, r.produced), (0, 0));
    assert!(out.is_empty());
    assert_eq!(get_dc_error(DcStatus::VerifyError), seen + 1);
    let after = inst.stats();
    assert_eq!(
        after.num_comp_completed_errors,
        before.num_comp_completed_errors + 1
    );
    assert_eq!(
        after.num_comp_cnv_errors_recovered,
        before.num_comp_cnv_errors_recovered
    );
    // The same op without a pending simulation verifies fine.
    let (r, out) = compress_with(&inst, &s, &data, &op);
    assert_eq!(r.status, DcStatus::Ok);
    assert_eq!(inflate_raw(&out).unwrap(), data);
}

#[test]
fn other_simulated_errors_are_returned_as_the_request_status() {
    let _g = serial();
    let (_q, inst, s) = section("ERR_SIM");
    let data = corpus("calgary32");
    let (_, stream) = compress_all(&inst, &s, &data);
    for status in [DcStatus::SoftErr, DcStatus::FatalErr, DcStatus::InvalidCode] {
        let seen = get_dc_error(status);
        // Three requests: a compression, a decompression, a compression.
        dc_simulate_error(3, status).unwrap();
        let (r, _) = compress_all(&inst, &s, &data);
        assert_eq!(r.status, status);
        assert_eq!((r.consumed, r.produced), (0, 0));
        let (d, _) = decompress_all(&inst, &s, &stream, data.len());
        assert_eq!(d.status, status);
        assert_eq!((d.consumed, d.produced), (0, 0));
        let (r, _) = compress_all(&inst, &s, &data);
        assert_eq!(r.status, status);
        // The fourth is real again.
        let (r, out) = compress_all(&inst, &s, &data);
        assert_eq!(
            r.status,
            DcStatus::Ok,
            "{status}: only 3 requests simulated"
        );
        assert_eq!(inflate_raw(&out).unwrap(), data);
        assert_eq!(get_dc_error(status), seen + 3, "{status}");
    }
    // Count 0 withdraws a pending simulation; OK is not an error to simulate.
    dc_simulate_error(5, DcStatus::SoftErr).unwrap();
    dc_simulate_error(0, DcStatus::SoftErr).unwrap();
    assert_eq!(compress_all(&inst, &s, &data).0.status, DcStatus::Ok);
    expect_status(dc_simulate_error(1, DcStatus::Ok), CpaStatus::Fail);
}

#[test]
fn simulated_errors_reach_asynchronous_callbacks_but_not_the_data_plane() {
    let _g = serial();
    let qat = start("ERR_ASYNC");
    let inst = dc0(&qat);
    let got: Arc<Mutex<Vec<(u64, DcStatus)>>> = Arc::default();
    let g = got.clone();
    let s = inst
        .init_session_async(&setup(|_| {}), move |c| {
            g.lock().unwrap().push((c.tag, c.results.status))
        })
        .unwrap();
    let data = corpus("calgary32");
    dc_simulate_error(1, DcStatus::SoftErr).unwrap();
    for tag in 0..2 {
        inst.submit_compress(
            &s,
            DmaBuf::from_slice(&data),
            DmaBuf::new(softqat_sal::deflate_compress_bound(data.len())),
            &DcOpData::new(FlushFlag::Final),
            tag,
        )
        .unwrap();
    }
    poll_until(&inst, Duration::from_secs(10), || {
        got.lock().unwrap().len() == 2
    });
    assert_eq!(
        *got.lock().unwrap(),
        vec![(0, DcStatus::SoftErr), (1, DcStatus::Ok)]
    );

    // §5.2.8.2: simulation applies to the traditional API only.
    let dp_inst = qat.dc_instances()[1].clone();
    dp_inst.start().unwrap();
    let dp_done: Arc<Mutex<Vec<DcStatus>>> = Arc::default();
    let d = dp_done.clone();
    dp_inst.dp_register_callback(move |c| d.lock().unwrap().push(c.results.status));
    let dps = dp_inst.init_dp_session(&setup(|_| {})).unwrap();
    dc_simulate_error(1, DcStatus::SoftErr).unwrap();
    let op = DpOp::compress(
        &dps,
        DmaBuf::from_slice(&data),
        DmaBuf::new(softqat_sal::deflate_compress_bound(data.len())),
        0,
    );
    dp_inst.dp_enqueue(op, true).map_err(|(e, _)| e).unwrap();
    poll_until(&dp_inst, Duration::from_secs(10), || {
        !dp_done.lock().unwrap().is_empty()
    });
    assert_eq!(*dp_done.lock().unwrap(), vec![DcStatus::Ok]);
    // Still pending for the next traditional request.
    let sync = inst.init_session(&setup(|_| {})).unwrap();
    assert_eq!(
        compress_all(&inst, &sync, &data).0.status,
        DcStatus::SoftErr
    );
}
