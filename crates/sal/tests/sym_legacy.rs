//! qatlib's legacy algorithms on gen4 (`--enable-legacy-algorithms`; here
//! `SOFTQAT_LEGACY_ALGORITHMS=1`, read once per process — this file is its
//! own test process): AES-ECB, SHA-1, SHA-224, SHA3-224 and SM4-ECB are then
//! offered and work, checked against aws-lc-rs.

mod common;
#[path = "common/symref.rs"]
mod symref;

use common::cy_start;
use softqat_sal::sym::{CipherAlgorithm, CipherDirection, HashAlgorithm, HashMode};
use softqat_sal::{HashSetup, SymOpData, SymSessionSetup};
use symref::*;

#[test]
fn legacy_algorithms_are_offered_when_enabled() {
    // Before the first start in this process: the setting is read once.
    std::env::set_var("SOFTQAT_LEGACY_ALGORITHMS", "1");
    let (_qat, inst) = cy_start("SYMLEGACY");
    let caps = inst.sym_capabilities();
    for c in [CipherAlgorithm::AesEcb, CipherAlgorithm::Sm4Ecb] {
        assert!(caps.has_cipher(c), "{c}");
    }
    for h in [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha3_224,
    ] {
        assert!(caps.has_hash(h), "{h}");
    }
    let mut rng = Rng(0x1e9a_c700_0000_0001);
    let key = rng.bytes(16);
    let data = rng.bytes(160);
    let s = inst
        .init_sym_session(&SymSessionSetup::cipher(
            CipherAlgorithm::AesEcb,
            &key,
            CipherDirection::Encrypt,
        ))
        .unwrap();
    let mut buf = data.clone();
    inst.perform_in_place(&s, SymOpData::cipher(&[], 0, 160), &mut buf)
        .unwrap();
    let mut want = data.clone();
    let ecb = aes_ecb(&key);
    for block in want.chunks_mut(16) {
        ecb(block);
    }
    assert_eq!(buf, want, "AES-ECB");
    let sha1 = inst
        .init_sym_session(&SymSessionSetup::hash(HashSetup::new(
            HashAlgorithm::Sha1,
            HashMode::Plain,
            20,
        )))
        .unwrap();
    let mut d = [0u8; 20];
    let mut copy = data.clone();
    inst.perform_in_place(&sha1, SymOpData::hash(0, 160).digest(&mut d), &mut copy)
        .unwrap();
    let lc = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, &data);
    assert_eq!(&d[..], lc.as_ref(), "SHA-1");
}
