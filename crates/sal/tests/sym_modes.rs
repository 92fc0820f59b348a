//! The hash modes and algorithms the other symmetric tests leave out,
//! through the whole stack: nested mode (against SHA-256 over the prefixes,
//! aws-lc-rs), SHAKE-128/256 where a class offers them (FIPS 202 known
//! answers for the empty message), the NULL cipher alone and chained, and the
//! refusals of the modes QAT does not have (nested SHA-3, HMAC SHAKE).

mod common;
#[path = "common/symref.rs"]
mod symref;

use common::cy_start;
use softqat_sal::sym::{CipherAlgorithm, CipherDirection, HashAlgorithm, HashMode};
use softqat_sal::{CpaStatus, HashSetup, NestedSetup, SymOpData, SymSessionSetup};
use symref::*;

#[test]
fn nested_mode_is_the_outer_hash_of_the_outer_prefix_and_the_inner_digest() {
    let (_qat, inst) = cy_start("SYMMODES_NESTED");
    let mut rng = Rng(0x5eed_0000_0000_0007);
    for (inner_len, outer_len, msg_len) in [(0, 0, 0), (3, 255, 100), (255, 1, 1000), (64, 64, 64)]
    {
        let inner = rng.bytes(inner_len);
        let outer = rng.bytes(outer_len);
        let msg = rng.bytes(msg_len);
        let mut h = HashSetup::new(HashAlgorithm::Sha256, HashMode::Nested, 32);
        h.nested = Some(NestedSetup {
            inner_prefix: inner.clone(),
            outer_algorithm: HashAlgorithm::Sha256,
            outer_prefix: outer.clone(),
        });
        let s = inst.init_sym_session(&SymSessionSetup::hash(h)).unwrap();
        let mut d = [0u8; 32];
        let mut buf = msg.clone();
        inst.perform_in_place(
            &s,
            SymOpData::hash(0, msg_len as u32).digest(&mut d),
            &mut buf,
        )
        .unwrap();
        let inner_digest = RefHash::Sha256.digest(&[inner.as_slice(), &msg].concat());
        let want = RefHash::Sha256.digest(&[outer.as_slice(), &inner_digest].concat());
        assert_eq!(
            d.to_vec(),
            want,
            "prefixes {inner_len}/{outer_len}, {msg_len} bytes"
        );
    }
    // SHA-3 has no nested mode; a 256-byte prefix is over QAT's limit.
    let mut h = HashSetup::new(HashAlgorithm::Sha3_256, HashMode::Nested, 32);
    h.nested = Some(NestedSetup {
        inner_prefix: vec![1],
        outer_algorithm: HashAlgorithm::Sha3_256,
        outer_prefix: vec![2],
    });
    let e = inst
        .init_sym_session(&SymSessionSetup::hash(h))
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam, "{e}");
    let mut h = HashSetup::new(HashAlgorithm::Sha256, HashMode::Nested, 32);
    h.nested = Some(NestedSetup {
        inner_prefix: vec![0; 256],
        outer_algorithm: HashAlgorithm::Sha256,
        outer_prefix: vec![],
    });
    let e = inst
        .init_sym_session(&SymSessionSetup::hash(h))
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam, "{e}");
}

/// SHAKE runs where the class offers it. qatlib's gen2 and gen4 lists have
/// none, so on the built-in 4xxx endpoints setup is UNSUPPORTED (the
/// engine's SHAKE is checked by its own FIPS 202 vectors); HMAC over SHAKE
/// is refused everywhere.
#[test]
fn shake_follows_the_capabilities_and_hmac_shake_is_refused() {
    let (_qat, inst) = cy_start("SYMMODES_SHAKE");
    let caps = inst.sym_capabilities();
    for alg in [HashAlgorithm::Shake128, HashAlgorithm::Shake256] {
        let plain = SymSessionSetup::hash(HashSetup::new(alg, HashMode::Plain, 32));
        let r = inst.init_sym_session(&plain);
        if caps.has_hash(alg) {
            let s = r.unwrap();
            let mut d = [0u8; 32];
            inst.perform_in_place(&s, SymOpData::hash(0, 0).digest(&mut d), &mut [])
                .unwrap();
            let want = match alg {
                // FIPS 202 / NIST example values: SHAKE128("") and SHAKE256("").
                HashAlgorithm::Shake128 => {
                    hex("7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26")
                }
                _ => hex("46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f"),
            };
            assert_eq!(d.to_vec(), want);
        } else {
            assert_eq!(r.unwrap_err().status, CpaStatus::Unsupported);
        }
        let auth =
            SymSessionSetup::hash(HashSetup::new(alg, HashMode::Auth, 32).with_auth_key(&[1; 16]));
        let e = inst.init_sym_session(&auth).unwrap_err();
        assert!(
            matches!(e.status, CpaStatus::InvalidParam | CpaStatus::Unsupported),
            "{e}"
        );
    }
}

#[test]
fn the_null_cipher_copies_the_region_and_chains_with_a_hash() {
    let (_qat, inst) = cy_start("SYMMODES_NULL");
    let s = inst
        .init_sym_session(&SymSessionSetup::cipher(
            CipherAlgorithm::Null,
            &[],
            CipherDirection::Encrypt,
        ))
        .unwrap();
    let src: Vec<u8> = (0..100u8).collect();
    let mut dst = vec![0xEEu8; 100];
    inst.perform(&s, SymOpData::cipher(&[], 10, 50), &src, &mut dst)
        .unwrap();
    assert_eq!(dst, src, "out of place: the whole source arrives unchanged");
    // NULL + HMAC-SHA256 (authentication only, as IPsec's ESP-NULL).
    let chain = SymSessionSetup::chain(
        softqat_sal::sym::AlgChainOrder::CipherThenHash,
        softqat_sal::CipherSetup {
            algorithm: CipherAlgorithm::Null,
            key: vec![],
            direction: CipherDirection::Encrypt,
        },
        HashSetup::new(HashAlgorithm::Sha256, HashMode::Auth, 16).with_auth_key(&[7; 32]),
    )
    .appended();
    let c = inst.init_sym_session(&chain).unwrap();
    let mut buf = src.clone();
    buf.resize(116, 0);
    inst.perform_in_place(&c, SymOpData::chain(&[], (0, 100), (0, 100)), &mut buf)
        .unwrap();
    assert_eq!(&buf[..100], &src[..]);
    assert_eq!(&buf[100..], &RefHash::Sha256.hmac(&[7; 32], &src)[..16]);
}

/// An IV longer than 16 bytes is refused, asynchronously too: it is never
/// cut to 16 bytes, which a GCM session would take as J0.
#[test]
fn a_long_iv_is_refused_not_cut() {
    let (_qat, inst) = cy_start("SYMMODES_LONGIV");
    let setup = SymSessionSetup::aead(
        CipherAlgorithm::AesGcm,
        &[1; 16],
        CipherDirection::Encrypt,
        16,
        0,
    )
    .appended();
    let s = inst.init_sym_session_async(&setup, |_| {}).unwrap();
    let src = softqat_sal::SymData::Flat(softqat_sal::DmaBuf::from_slice(&[0u8; 32]));
    let r = softqat_sal::SymRequest::with_iv(&[2u8; 20]).cipher(0, 16);
    let rej = inst.submit(&s, r, src, None, 1).unwrap_err();
    assert_eq!(rej.error.status, CpaStatus::InvalidParam, "{}", rej.error);
    assert_eq!(rej.request.iv_len, 20);
    let sync = inst.init_sym_session(&setup).unwrap();
    let mut buf = [0u8; 32];
    let e = inst
        .perform_in_place(&sync, SymOpData::cipher(&[2u8; 20], 0, 16), &mut buf)
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam, "{e}");
}
