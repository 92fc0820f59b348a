//! Compression chaining, hash then compress (`cpa_dc_chain.h`): the digest
//! equals the `sha1` / `sha2` crates' digest of the input and the output
//! inflates (flate2) to the input, synchronous and asynchronous, at sizes
//! 0 to 1 MiB; the setups and requests qatlib refuses are refused with its
//! statuses.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use sha1::Digest;
use softqat_sal::sym::{HashAlgorithm, HashMode};
use softqat_sal::{
    CpaStatus, DcChainCompletion, DcChainHashSetup, DcChainOpData, DcChainOperation, DcChainSetup,
    DcInstance, DcSessionSetup, DcStatus, DmaBuf, FlushFlag, HuffType, SessionDirection,
    SessionState,
};

const SIZES: [usize; 5] = [0, 1, 4096, 65536, 1 << 20];

fn reference(alg: HashAlgorithm, data: &[u8]) -> Vec<u8> {
    match alg {
        HashAlgorithm::Sha1 => sha1::Sha1::digest(data).to_vec(),
        HashAlgorithm::Sha224 => sha2::Sha224::digest(data).to_vec(),
        HashAlgorithm::Sha256 => sha2::Sha256::digest(data).to_vec(),
        other => panic!("no reference for {other:?}"),
    }
}

fn dc_setup(huff: HuffType) -> DcSessionSetup {
    setup(|s| {
        s.direction = SessionDirection::Compress;
        s.huff_type = huff;
    })
}

fn chain(alg: HashAlgorithm, huff: HuffType) -> DcChainSetup {
    DcChainSetup::hash_then_compress(DcChainHashSetup::plain(alg), dc_setup(huff))
}

/// Input that compresses a little: random bytes over a small alphabet.
fn input(len: usize, seed: u64) -> Vec<u8> {
    random_bytes(len, seed).iter().map(|b| b % 16).collect()
}

#[test]
fn sync_digest_matches_hash_library_and_output_inflates() {
    let qat = start("CHAIN_SYNC");
    let inst = dc0(&qat);
    for (i, alg) in [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha256,
    ]
    .into_iter()
    .enumerate()
    {
        for huff in [HuffType::Static, HuffType::FullDynamic] {
            let s = inst.init_chain_session(&chain(alg, huff)).unwrap();
            for (j, &n) in SIZES.iter().enumerate() {
                let data = input(n, (i * 10 + j) as u64);
                let mut out = vec![0u8; softqat_sal::deflate_compress_bound(n)];
                let mut digest = [0u8; 32];
                let r = inst
                    .chain_perform(
                        &s,
                        &data,
                        &mut out,
                        &mut digest,
                        &DcChainOpData::new(FlushFlag::Final),
                    )
                    .unwrap();
                let what = format!("{alg:?} {huff:?} {n} bytes");
                assert_eq!(r.status, DcStatus::Ok, "{what}");
                assert_eq!(r.consumed as usize, n, "{what}");
                let want = reference(alg, &data);
                assert_eq!(&digest[..want.len()], &want[..], "{what}: digest");
                let back = inflate_raw(&out[..r.produced as usize]).unwrap();
                assert!(back == data, "{what}: output does not inflate to the input");
            }
        }
    }
}

#[test]
fn hash_region_and_truncated_digest() {
    let qat = start("CHAIN_REGION");
    let inst = dc0(&qat);
    let mut setup = chain(HashAlgorithm::Sha256, HuffType::FullDynamic);
    setup.hash.digest_len = 16;
    let s = inst.init_chain_session(&setup).unwrap();
    let data = input(10_000, 7);
    let mut out = vec![0u8; softqat_sal::deflate_compress_bound(data.len())];
    let mut digest = [0xaau8; 32];
    let op = DcChainOpData {
        hash_region: Some((100, 5000)),
        ..DcChainOpData::new(FlushFlag::Final)
    };
    let r = inst
        .chain_perform(&s, &data, &mut out, &mut digest, &op)
        .unwrap();
    let want = reference(HashAlgorithm::Sha256, &data[100..5100]);
    assert_eq!(&digest[..16], &want[..16]);
    assert_eq!(
        &digest[16..],
        &[0xaa; 16],
        "bytes past the digest length are untouched"
    );
    assert_eq!(inflate_raw(&out[..r.produced as usize]).unwrap(), data);
    let op = DcChainOpData {
        hash_region: Some((9000, 1001)),
        ..DcChainOpData::new(FlushFlag::Final)
    };
    expect_status(
        inst.chain_perform(&s, &data, &mut out, &mut digest, &op),
        CpaStatus::InvalidParam,
    );
    // Integrity CRCs have no pCrcData to go to on a DmaBuf chained request
    // (the C ABI's cpaDcChainPerformOp2 reports them): refused, not dropped.
    let mut op = DcChainOpData::new(FlushFlag::Final);
    op.dc.integrity = Some(softqat_sal::IntegrityCheck {
        verify_hw_crcs: false,
        size: softqat_sal::IntegrityCrcSize::Crc64,
        crc_data: None,
    });
    expect_status(
        inst.chain_perform(&s, &data, &mut out, &mut digest, &op),
        CpaStatus::Unsupported,
    );
}

#[test]
fn async_digest_matches_hash_library() {
    let qat = start("CHAIN_ASYNC");
    let inst = dc0(&qat);
    let done: Arc<Mutex<Vec<DcChainCompletion>>> = Arc::default();
    let sink = done.clone();
    let s = inst
        .init_chain_session_async(
            &chain(HashAlgorithm::Sha1, HuffType::FullDynamic),
            move |c| sink.lock().unwrap().push(c),
        )
        .unwrap();
    let inputs: Vec<Vec<u8>> = SIZES.iter().map(|&n| input(n, n as u64)).collect();
    for (tag, data) in inputs.iter().enumerate() {
        let dst = DmaBuf::new(softqat_sal::deflate_compress_bound(data.len()));
        let r = inst.submit_chain(
            &s,
            DmaBuf::from_slice(data),
            dst,
            DmaBuf::new(20),
            &DcChainOpData::new(FlushFlag::Final),
            tag as u64,
        );
        assert!(r.is_ok(), "submit {tag}");
    }
    poll_until(&inst, Duration::from_secs(60), || {
        let _ = inst.poll(0);
        done.lock().unwrap().len() == SIZES.len()
    });
    for c in done.lock().unwrap().iter() {
        let data = &inputs[c.tag as usize];
        assert_eq!(c.status, CpaStatus::Success);
        assert_eq!(c.results.status, DcStatus::Ok);
        assert_eq!(&c.digest[..20], &reference(HashAlgorithm::Sha1, data)[..]);
        assert!(inflate_raw(&c.dst[..]).unwrap() == *data);
    }
    // A synchronous call on an asynchronous session is refused.
    let mut out = [0u8; 64];
    let mut digest = [0u8; 20];
    expect_status(
        inst.chain_perform(
            &s,
            b"x",
            &mut out,
            &mut digest,
            &DcChainOpData::new(FlushFlag::Final),
        ),
        CpaStatus::InvalidParam,
    );
}

fn refused(inst: &DcInstance, setup: DcChainSetup, status: CpaStatus, what: &str) {
    let r = inst.init_chain_session(&setup);
    let msg = expect_status(r, status);
    assert!(!msg.is_empty(), "{what}: no message");
}

#[test]
fn invalid_setups_and_requests_are_refused_as_qatlib_does() {
    let qat = start("CHAIN_INVALID");
    let inst = dc0(&qat);
    let base = chain(HashAlgorithm::Sha256, HuffType::Static);
    for op in DcChainOperation::ALL {
        if op != DcChainOperation::HashThenCompress {
            let mut s = base;
            s.operation = op;
            refused(&inst, s, CpaStatus::Unsupported, "other chains");
        }
    }
    assert_eq!(DcChainOperation::capability_bits(), 1 << 5);
    let mut s = base;
    s.hash.algorithm = HashAlgorithm::Sha512;
    refused(&inst, s, CpaStatus::InvalidParam, "SHA-512");
    let mut s = base;
    s.hash.algorithm = HashAlgorithm::Md5;
    refused(&inst, s, CpaStatus::InvalidParam, "MD5");
    let mut s = base;
    s.hash.mode = HashMode::Nested;
    refused(&inst, s, CpaStatus::InvalidParam, "nested");
    let mut s = base;
    s.hash.mode = HashMode::Auth;
    refused(&inst, s, CpaStatus::Unsupported, "HMAC");
    let mut s = base;
    s.hash.digest_is_appended = true;
    refused(&inst, s, CpaStatus::InvalidParam, "appended digest");
    let mut s = base;
    s.hash.digest_len = 33;
    refused(&inst, s, CpaStatus::InvalidParam, "digest too long");
    let mut s = base;
    s.dc.direction = SessionDirection::Combined;
    refused(&inst, s, CpaStatus::InvalidParam, "combined direction");
    let mut s = base;
    s.dc.state = SessionState::Stateful;
    refused(&inst, s, CpaStatus::InvalidParam, "stateful");
    let mut s = base;
    s.dc.huff_type = HuffType::Precomp;
    refused(&inst, s, CpaStatus::InvalidParam, "precompiled tree");

    let s = inst.init_chain_session(&base).unwrap();
    let mut out = [0u8; 256];
    let mut digest = [0u8; 32];
    for flush in [FlushFlag::Sync, FlushFlag::None] {
        expect_status(
            inst.chain_perform(
                &s,
                b"abc",
                &mut out,
                &mut digest,
                &DcChainOpData::new(flush),
            ),
            CpaStatus::InvalidParam,
        );
    }
    let mut op = DcChainOpData::new(FlushFlag::Final);
    op.dc.compress_and_verify = false;
    op.dc.compress_and_verify_and_recover = false;
    expect_status(
        inst.chain_perform(&s, b"abc", &mut out, &mut digest, &op),
        CpaStatus::Unsupported,
    );
    expect_status(
        inst.chain_perform(
            &s,
            b"abc",
            &mut out,
            &mut digest[..31],
            &DcChainOpData::new(FlushFlag::Final),
        ),
        CpaStatus::InvalidParam,
    );
    // FULL flush is accepted.
    let r = inst
        .chain_perform(
            &s,
            b"abc",
            &mut out,
            &mut digest,
            &DcChainOpData::new(FlushFlag::Full),
        )
        .unwrap();
    assert_eq!(r.status, DcStatus::Ok);
    assert_eq!(&digest[..], &reference(HashAlgorithm::Sha256, b"abc")[..]);
}
