//! The symmetric service through the whole stack (SAL, ring, firmware,
//! engine) on the built-in 4xxx endpoints: known answers from primary
//! sources, digest placement, verification, partial packets, session
//! removal and update, statistics, and the refusals.

mod common;

use softqat_sal::sym::{
    AlgChainOrder, CipherAlgorithm, CipherDirection, HashAlgorithm, HashMode, PacketType,
};
use softqat_sal::{
    CipherSetup, CpaStatus, CyInstance, HashSetup, Qat, SymOpData, SymSessionSetup,
    SymSessionUpdate,
};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The tests of this file share the section's instances and check their
/// statistics as differences: they run one at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Crypto instance `n` of the section, started.
fn cy(qat: &Qat, n: usize) -> CyInstance {
    let all = qat.cy_instances();
    assert!(
        all.len() > n,
        "{} has {} crypto instances",
        qat.section_name(),
        all.len()
    );
    let inst = all[n].clone();
    inst.start().unwrap();
    inst
}

// NIST SP 800-38A, F.2.1 CBC-AES128.Encrypt.
const CBC_KEY: &str = "2b7e151628aed2a6abf7158809cf4f3c";
const CBC_IV: &str = "000102030405060708090a0b0c0d0e0f";
const CBC_PT: &str = "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51
                      30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710";
const CBC_CT: &str = "7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2
                      73bed6b8e3c1743b7116e69e22229516 3ff1caa1681fac09120eca307586e1a7";

#[test]
fn aes_cbc_known_answer_out_of_place_and_in_place() {
    let qat = common::start("SSL");
    let _serial = serial();
    let inst = cy(&qat, 0);
    let before = inst.sym_stats();
    let key = hex(CBC_KEY);
    let iv = hex(CBC_IV);
    let enc = inst
        .init_sym_session(&SymSessionSetup::cipher(
            CipherAlgorithm::AesCbc,
            &key,
            CipherDirection::Encrypt,
        ))
        .unwrap();
    let pt = hex(CBC_PT);
    let mut ct = vec![0u8; pt.len()];
    inst.perform(&enc, SymOpData::cipher(&iv, 0, 64), &pt, &mut ct)
        .unwrap();
    assert_eq!(ct, hex(CBC_CT));
    let dec = inst
        .init_sym_session(&SymSessionSetup::cipher(
            CipherAlgorithm::AesCbc,
            &key,
            CipherDirection::Decrypt,
        ))
        .unwrap();
    let mut buf = ct.clone();
    inst.perform_in_place(&dec, SymOpData::cipher(&iv, 0, 64), &mut buf)
        .unwrap();
    assert_eq!(buf, pt);
    // Only the region is ciphered; the rest of the source is copied.
    let mut framed = b"HEAD".to_vec();
    framed.extend_from_slice(&pt);
    framed.extend_from_slice(b"TAIL");
    let mut out = vec![0xAAu8; framed.len()];
    inst.perform(&enc, SymOpData::cipher(&iv, 4, 64), &framed, &mut out)
        .unwrap();
    assert_eq!(&out[..4], b"HEAD");
    assert_eq!(&out[4..68], &hex(CBC_CT)[..]);
    assert_eq!(&out[68..], b"TAIL");
    let st = inst.sym_stats();
    assert_eq!(
        st.num_sessions_initialized - before.num_sessions_initialized,
        2
    );
    assert_eq!(st.num_sym_op_requests - before.num_sym_op_requests, 3);
    assert_eq!(st.num_sym_op_completed - before.num_sym_op_completed, 3);
}

// RFC 4231, test case 2.
#[test]
fn hmac_sha256_known_answer_separate_appended_and_verified() {
    let qat = common::start("SSL");
    let _serial = serial();
    let inst = cy(&qat, 0);
    let before = inst.sym_stats();
    let data = b"what do ya want for nothing?";
    let want = hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    let h = HashSetup::new(HashAlgorithm::Sha256, HashMode::Auth, 32).with_auth_key(b"Jefe");
    let s = inst
        .init_sym_session(&SymSessionSetup::hash(h.clone()))
        .unwrap();
    let mut d = [0u8; 32];
    let mut out = vec![0u8; data.len()];
    inst.perform(
        &s,
        SymOpData::hash(0, data.len() as u32).digest(&mut d),
        data,
        &mut out,
    )
    .unwrap();
    assert_eq!(d.to_vec(), want);
    assert_eq!(&out[..], &data[..]);
    // Appended: right after the hashed region, in the destination.
    let app = inst
        .init_sym_session(&SymSessionSetup::hash(h.clone()).appended())
        .unwrap();
    let mut buf = data.to_vec();
    buf.resize(data.len() + 32, 0);
    inst.perform_in_place(&app, SymOpData::hash(0, data.len() as u32), &mut buf)
        .unwrap();
    assert_eq!(&buf[data.len()..], &want[..]);
    // Verify: the digest given is compared; a flipped bit fails.
    let ver = inst
        .init_sym_session(&SymSessionSetup::hash(h).verifying())
        .unwrap();
    let mut good = want.clone();
    let r = inst
        .perform(
            &ver,
            SymOpData::hash(0, data.len() as u32).digest(&mut good),
            data,
            &mut out,
        )
        .unwrap();
    assert!(r.verify_ok);
    let mut bad = want.clone();
    bad[31] ^= 1;
    let r = inst
        .perform(
            &ver,
            SymOpData::hash(0, data.len() as u32).digest(&mut bad),
            data,
            &mut out,
        )
        .unwrap();
    assert!(!r.verify_ok);
    assert_eq!(
        inst.sym_stats().num_sym_op_verify_failures - before.num_sym_op_verify_failures,
        1
    );
}

// McGrew & Viega, "The Galois/Counter Mode of Operation", test case 2.
#[test]
fn aes_gcm_known_answer_and_tag_check() {
    let qat = common::start("SSL");
    let _serial = serial();
    let inst = cy(&qat, 0);
    let key = [0u8; 16];
    let iv = [0u8; 12];
    let enc = inst
        .init_sym_session(
            &SymSessionSetup::aead(
                CipherAlgorithm::AesGcm,
                &key,
                CipherDirection::Encrypt,
                16,
                0,
            )
            .appended(),
        )
        .unwrap();
    let mut buf = vec![0u8; 32];
    inst.perform_in_place(&enc, SymOpData::cipher(&iv, 0, 16), &mut buf)
        .unwrap();
    assert_eq!(
        buf,
        hex("0388dace60b6a392f328c2b971b2fe78 ab6e47d42cec13bdf53a67b21257bddf")
    );
    let dec = inst
        .init_sym_session(
            &SymSessionSetup::aead(
                CipherAlgorithm::AesGcm,
                &key,
                CipherDirection::Decrypt,
                16,
                0,
            )
            .appended(),
        )
        .unwrap();
    let mut back = buf.clone();
    let r = inst
        .perform_in_place(&dec, SymOpData::cipher(&iv, 0, 16), &mut back)
        .unwrap();
    assert!(r.verify_ok);
    assert_eq!(&back[..16], &[0u8; 16]);
    let mut forged = buf.clone();
    forged[31] ^= 0x80;
    let r = inst
        .perform_in_place(&dec, SymOpData::cipher(&iv, 0, 16), &mut forged)
        .unwrap();
    assert!(!r.verify_ok);
    assert_eq!(&forged[..16], &[0u8; 16], "a forged message is zeroed");
}

#[test]
fn cbc_hmac_chain_round_trip_in_both_orders() {
    let qat = common::start("SSL");
    let _serial = serial();
    let inst = cy(&qat, 0);
    let ckey = [7u8; 16];
    let akey = [9u8; 32];
    let iv = [3u8; 16];
    let msg = common::random_bytes(256, 5);
    // Encrypt-then-MAC: cipher the payload, MAC header + ciphertext.
    let cipher = |dir| CipherSetup {
        algorithm: CipherAlgorithm::AesCbc,
        key: ckey.to_vec(),
        direction: dir,
    };
    let hash = HashSetup::new(HashAlgorithm::Sha256, HashMode::Auth, 32).with_auth_key(&akey);
    let enc = inst
        .init_sym_session(
            &SymSessionSetup::chain(
                AlgChainOrder::CipherThenHash,
                cipher(CipherDirection::Encrypt),
                hash.clone(),
            )
            .appended(),
        )
        .unwrap();
    let mut pkt = b"HDR0HDR1".to_vec();
    pkt.extend_from_slice(&msg);
    pkt.resize(8 + 256 + 32, 0);
    inst.perform_in_place(&enc, SymOpData::chain(&iv, (8, 256), (0, 264)), &mut pkt)
        .unwrap();
    assert_ne!(&pkt[8..264], &msg[..]);
    // Verify-then-decrypt.
    let dec = inst
        .init_sym_session(
            &SymSessionSetup::chain(
                AlgChainOrder::HashThenCipher,
                cipher(CipherDirection::Decrypt),
                hash,
            )
            .appended()
            .verifying(),
        )
        .unwrap();
    let mut back = pkt.clone();
    let r = inst
        .perform_in_place(&dec, SymOpData::chain(&iv, (8, 256), (0, 264)), &mut back)
        .unwrap();
    assert!(r.verify_ok);
    assert_eq!(&back[8..264], &msg[..]);
    back.clone_from(&pkt);
    back[3] ^= 1;
    let r = inst
        .perform_in_place(&dec, SymOpData::chain(&iv, (8, 256), (0, 264)), &mut back)
        .unwrap();
    assert!(!r.verify_ok, "a changed header fails the MAC");
}

#[test]
fn partial_packets_equal_the_one_shot_result() {
    let qat = common::start("SSL");
    let _serial = serial();
    let inst = cy(&qat, 0);
    let msg = common::random_bytes(64 * 7 + 13, 11);
    let h = HashSetup::new(HashAlgorithm::Sha512, HashMode::Auth, 64).with_auth_key(b"key");
    let s = inst.init_sym_session(&SymSessionSetup::hash(h)).unwrap();
    let mut whole = [0u8; 64];
    let mut copy = msg.clone();
    inst.perform_in_place(
        &s,
        SymOpData::hash(0, msg.len() as u32).digest(&mut whole),
        &mut copy,
    )
    .unwrap();
    // SHA-512's block is 128 bytes: partials of 128 and 256, then the rest.
    let mut d = [0u8; 64];
    let mut at = 0;
    for (n, packet) in [
        (128, PacketType::Partial),
        (256, PacketType::Partial),
        (msg.len() - 384, PacketType::LastPartial),
    ] {
        let mut part = msg[at..at + n].to_vec();
        let op = SymOpData::hash(0, n as u32).packet(packet).digest(&mut d);
        inst.perform_in_place(&s, op, &mut part).unwrap();
        at += n;
    }
    assert_eq!(d, whole);
    // A PARTIAL that is not whole blocks is refused by the endpoint.
    let mut odd = msg[..100].to_vec();
    let e = inst
        .perform_in_place(
            &s,
            SymOpData::hash(0, 100)
                .packet(PacketType::Partial)
                .digest(&mut d),
            &mut odd,
        )
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam);

    // CBC partials: the chain continues, and the updated IV comes back.
    let key = [1u8; 16];
    let iv = [2u8; 16];
    let setup = SymSessionSetup::cipher(CipherAlgorithm::AesCbc, &key, CipherDirection::Encrypt);
    let c = inst.init_sym_session(&setup).unwrap();
    let data = common::random_bytes(160, 3);
    let mut one = data.clone();
    inst.perform_in_place(&c, SymOpData::cipher(&iv, 0, 160), &mut one)
        .unwrap();
    let mut a = data[..64].to_vec();
    let r = inst
        .perform_in_place(
            &c,
            SymOpData::cipher(&iv, 0, 64).packet(PacketType::Partial),
            &mut a,
        )
        .unwrap();
    assert_eq!(r.updated_iv(), &a[48..64]);
    let mut b = data[64..].to_vec();
    inst.perform_in_place(
        &c,
        SymOpData::cipher(r.updated_iv(), 0, 96).packet(PacketType::LastPartial),
        &mut b,
    )
    .unwrap();
    a.extend_from_slice(&b);
    assert_eq!(a, one);
    // Partials out of place are refused.
    let mut out = vec![0u8; 64];
    let e = inst
        .perform(
            &c,
            SymOpData::cipher(&iv, 0, 64).packet(PacketType::Partial),
            &data[..64],
            &mut out,
        )
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam);
}

#[test]
fn gen4_refuses_what_it_lacks_and_sessions_update_and_remove() {
    let qat = common::start("SSL");
    let _serial = serial();
    let inst = cy(&qat, 0);
    let before = inst.sym_stats();
    let caps = inst.sym_capabilities();
    assert!(caps.has_cipher(CipherAlgorithm::AesGcm));
    assert!(!caps.has_cipher(CipherAlgorithm::Arc4));
    assert!(!caps.has_hash(HashAlgorithm::Md5));
    let e = inst
        .init_sym_session(&SymSessionSetup::cipher(
            CipherAlgorithm::KasumiF8,
            &[0u8; 16],
            CipherDirection::Encrypt,
        ))
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::Unsupported);
    // A wrong-sized key is INVALID_PARAM with the reason.
    let e = inst
        .init_sym_session(&SymSessionSetup::cipher(
            CipherAlgorithm::AesCbc,
            &[0u8; 15],
            CipherDirection::Encrypt,
        ))
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam);
    assert!(e.message.contains("15"), "{e}");
    // Update: a new key gives the new key's ciphertext.
    let key = hex(CBC_KEY);
    let iv = hex(CBC_IV);
    let s = inst
        .init_sym_session(&SymSessionSetup::cipher(
            CipherAlgorithm::AesCbc,
            &[0u8; 16],
            CipherDirection::Encrypt,
        ))
        .unwrap();
    let pt = hex(CBC_PT);
    let mut ct = vec![0u8; 64];
    inst.perform(&s, SymOpData::cipher(&iv, 0, 64), &pt, &mut ct)
        .unwrap();
    assert_ne!(ct, hex(CBC_CT));
    inst.update_sym_session(
        &s,
        &SymSessionUpdate {
            cipher_key: Some(key),
            ..SymSessionUpdate::default()
        },
    )
    .unwrap();
    inst.perform(&s, SymOpData::cipher(&iv, 0, 64), &pt, &mut ct)
        .unwrap();
    assert_eq!(ct, hex(CBC_CT));
    assert!(!s.in_use());
    inst.remove_sym_session(&s).unwrap();
    let e = inst
        .perform(&s, SymOpData::cipher(&iv, 0, 64), &pt, &mut ct)
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam);
    let st = inst.sym_stats();
    assert_eq!(st.num_sessions_removed - before.num_sessions_removed, 1);
    assert_eq!(st.num_session_errors - before.num_session_errors, 2);
    assert_eq!(
        st.num_sym_op_request_errors - before.num_sym_op_request_errors,
        1
    );
}
