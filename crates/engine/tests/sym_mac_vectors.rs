//! MAC known answers and properties for `softqat_engine::sym::mac`:
//! - AES-CMAC: RFC 4493 §4 examples 1–4 (`data/sym/cmac_rfc4493.txt`);
//! - AES-XCBC-MAC and -96: RFC 3566 test cases 1–6 (`data/sym/xcbc_rfc3566.txt`);
//! - Poly1305: RFC 8439 §2.5.2 and A.3 #5–#11 (`data/sym/poly1305_rfc8439.txt`);
//! - AES-GMAC: McGrew–Viega GCM cases with empty plaintext (1, 7, 13) and the
//!   GCM tag over AAD only, checked against RustCrypto `aes-gcm`;
//! - AES-CBC-MAC: equals the last block of CBC encryption with a zero IV, and
//!   reproduces the CBC-MAC T of RFC 3610 packet vector #1;
//! - CMAC against RustCrypto `cmac` for every length 0..=300 and all key
//!   sizes; resumable states split at every point equal the one-shot MAC;
//!   flipped bits fail verify().

mod common;
use common::{field, hex, records};

use aes::cipher::{BlockEncrypt, KeyInit};
use cmac::Mac;
use softqat_engine::sym::mac::{MacAlgorithm, MacError, MacSession};

/// One-shot, verify, every resumable split, and a flipped MAC bit.
fn check_mac(name: &str, s: &MacSession, msg: &[u8], want: &[u8], resumable: bool) {
    let mut out = vec![0u8; want.len()];
    s.mac(msg, &mut out).unwrap();
    assert_eq!(out, want, "{name}: mac");
    assert!(s.verify(msg, want).unwrap(), "{name}: verify");
    let mut bad = want.to_vec();
    bad[0] ^= 1;
    assert!(
        !s.verify(msg, &bad).unwrap(),
        "{name}: flipped MAC accepted"
    );
    if !msg.is_empty() {
        let mut m = msg.to_vec();
        m[msg.len() - 1] ^= 0x10;
        assert!(
            !s.verify(&m, want).unwrap(),
            "{name}: flipped message accepted"
        );
    }
    if resumable {
        for cut in 0..=msg.len() {
            let mut st = s.begin().unwrap();
            st.update(&msg[..cut]);
            st.update(&msg[cut..]);
            let mut o = vec![0u8; want.len()];
            st.finish(&mut o).unwrap();
            assert_eq!(o, want, "{name}: resumed, split at {cut}");
        }
        let mut st = s.begin().unwrap();
        for b in msg.chunks(1) {
            st.update(b);
        }
        assert!(
            st.finish_verify(want).unwrap(),
            "{name}: byte-at-a-time finish_verify"
        );
    }
}

#[test]
fn cmac_rfc4493() {
    let recs = records(include_str!("data/sym/cmac_rfc4493.txt"));
    assert_eq!(recs.len(), 4);
    for r in &recs {
        let s = MacSession::new(MacAlgorithm::AesCmac, &hex(field(r, "key"))).unwrap();
        check_mac(
            field(r, "case"),
            &s,
            &hex(field(r, "msg")),
            &hex(field(r, "mac")),
            true,
        );
    }
}

#[test]
fn xcbc_rfc3566_full_and_96() {
    let recs = records(include_str!("data/sym/xcbc_rfc3566.txt"));
    assert_eq!(recs.len(), 6);
    for r in &recs {
        let key = hex(field(r, "key"));
        let msg = hex(field(r, "msg"));
        let mac = hex(field(r, "mac"));
        let full = MacSession::new(MacAlgorithm::AesXcbcMac, &key).unwrap();
        check_mac(field(r, "case"), &full, &msg, &mac, true);
        let s96 = MacSession::new(MacAlgorithm::AesXcbcMac96, &key).unwrap();
        assert_eq!(MacAlgorithm::AesXcbcMac96.mac_len(), 12);
        check_mac(
            &format!("{} -96", field(r, "case")),
            &s96,
            &msg,
            &mac[..12],
            true,
        );
        let mut too_long = [0u8; 16];
        assert!(matches!(
            s96.mac(&msg, &mut too_long),
            Err(MacError::MacLength { .. })
        ));
    }
}

#[test]
fn poly1305_rfc8439() {
    let recs = records(include_str!("data/sym/poly1305_rfc8439.txt"));
    assert_eq!(recs.len(), 8);
    for r in &recs {
        let s = MacSession::new(MacAlgorithm::Poly1305, &hex(field(r, "key"))).unwrap();
        check_mac(
            field(r, "case"),
            &s,
            &hex(field(r, "msg")),
            &hex(field(r, "tag")),
            false,
        );
    }
}

#[test]
fn gmac_known_answers_and_vs_aes_gcm() {
    // McGrew–Viega cases 1, 7, 13: empty plaintext and AAD, zero key and IV.
    for (key, tag) in [
        (
            "00000000000000000000000000000000",
            "58e2fccefa7e3061367f1d57a4e7455a",
        ),
        (
            "000000000000000000000000000000000000000000000000",
            "cd33b28ac773f74ba00ed1f312572435",
        ),
        (
            "0000000000000000000000000000000000000000000000000000000000000000",
            "530f8afbc74536b9a963b4f1c4cb738b",
        ),
    ] {
        let s = MacSession::new(MacAlgorithm::AesGmac, &hex(key)).unwrap();
        let mut t = [0u8; 16];
        s.gmac(&[0u8; 12], &[], &mut t).unwrap();
        assert_eq!(t.to_vec(), hex(tag), "GMAC key {key}");
        assert!(s.gmac_verify(&[0u8; 12], &[], &hex(tag)).unwrap());
        assert!(matches!(
            s.mac(b"x", &mut t),
            Err(MacError::WrongCall { .. })
        ));
    }
    use aes_gcm::aead::AeadInPlace;
    let key = [7u8; 16];
    let s = MacSession::new(MacAlgorithm::AesGmac, &key).unwrap();
    let rc = <aes_gcm::Aes128Gcm as aes_gcm::aead::KeyInit>::new_from_slice(&key).unwrap();
    for n in 0..100usize {
        let aad: Vec<u8> = (0..n).map(|i| (i * 31 + 5) as u8).collect();
        let iv = [n as u8; 12];
        let want = rc
            .encrypt_in_place_detached(&iv.into(), &aad, &mut [])
            .unwrap();
        let mut t = [0u8; 16];
        s.gmac(&iv, &aad, &mut t).unwrap();
        assert_eq!(&t[..], &want[..], "GMAC aad len {n}");
        let mut t8 = [0u8; 8];
        s.gmac(&iv, &aad, &mut t8).unwrap();
        assert!(s.gmac_verify(&iv, &aad, &t8).unwrap());
        t8[7] ^= 1;
        assert!(!s.gmac_verify(&iv, &aad, &t8).unwrap());
    }
}

#[test]
fn cbc_mac_is_last_cbc_block_and_ccm_t() {
    // RFC 3610 packet vector #1 lists the CBC-MAC input blocks: B0, the
    // length-prefixed header, then the payload, zero-padded.
    let key = hex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf");
    let mut msg = hex("5900000003020100a0a1a2a3a4a50017");
    msg.extend(hex("00080001020304050607000000000000"));
    msg.extend(hex("08090a0b0c0d0e0f101112131415161718191a1b1c1d1e"));
    msg.resize(msg.len().div_ceil(16) * 16, 0);
    let s = MacSession::new(MacAlgorithm::AesCbcMac, &key).unwrap();
    // RFC 3610 #1: "CBC-MAC : 2D C6 97 E4 11 CA 83 A8" (M = 8 of the 16 bytes).
    let mut t8 = [0u8; 8];
    s.mac(&msg, &mut t8).unwrap();
    assert_eq!(t8.to_vec(), hex("2dc697e411ca83a8"));

    // Against CBC encryption with a zero IV, by hand over `aes`.
    let c = aes::Aes256::new_from_slice(&[9u8; 32]).unwrap();
    let s = MacSession::new(MacAlgorithm::AesCbcMac, &[9u8; 32]).unwrap();
    for blocks in 1..20usize {
        let m: Vec<u8> = (0..blocks * 16).map(|i| (i * 7) as u8).collect();
        let mut x = aes::Block::default();
        for b in m.chunks(16) {
            for (xi, bi) in x.iter_mut().zip(b) {
                *xi ^= bi;
            }
            c.encrypt_block(&mut x);
        }
        check_mac(&format!("CBC-MAC {blocks} blocks"), &s, &m, &x, true);
    }
    let mut o = [0u8; 16];
    assert!(matches!(s.mac(&[], &mut o), Err(MacError::CbcMacLength(0))));
    assert!(matches!(
        s.mac(&[0; 17], &mut o),
        Err(MacError::CbcMacLength(17))
    ));
}

#[test]
fn cmac_vs_rustcrypto_every_length() {
    fn run(key: &[u8], reference: fn(&[u8], &[u8]) -> Vec<u8>) {
        let s = MacSession::new(MacAlgorithm::AesCmac, key).unwrap();
        for len in 0..=300usize {
            let msg: Vec<u8> = (0..len).map(|i| (i * 13 + len) as u8).collect();
            let want = reference(key, &msg);
            let mut o = [0u8; 16];
            s.mac(&msg, &mut o).unwrap();
            assert_eq!(&o[..], &want[..], "CMAC key {} len {len}", key.len());
            let mut st = s.begin().unwrap();
            st.update(&msg[..len / 3]);
            st.update(&msg[len / 3..]);
            let mut o2 = [0u8; 16];
            st.finish(&mut o2).unwrap();
            assert_eq!(o2, o);
        }
    }
    macro_rules! reference {
        ($c:ty) => {
            |k: &[u8], m: &[u8]| {
                let mut r = <cmac::Cmac<$c> as Mac>::new_from_slice(k).unwrap();
                r.update(m);
                r.finalize().into_bytes().to_vec()
            }
        };
    }
    run(&[1u8; 16], reference!(aes::Aes128));
    run(&[2u8; 24], reference!(aes::Aes192));
    run(&[3u8; 32], reference!(aes::Aes256));
}

#[test]
fn mac_parameter_errors() {
    use MacAlgorithm::*;
    assert!(matches!(
        MacSession::new(AesXcbcMac96, &[0; 32]),
        Err(MacError::KeyLength { .. })
    ));
    assert!(matches!(
        MacSession::new(AesCmac, &[0; 15]),
        Err(MacError::KeyLength { .. })
    ));
    assert!(matches!(
        MacSession::new(Poly1305, &[0; 16]),
        Err(MacError::KeyLength { .. })
    ));
    assert!(matches!(
        MacSession::new(AesGmac, &[0; 8]),
        Err(MacError::KeyLength { .. })
    ));
    let s = MacSession::new(AesCmac, &[0; 16]).unwrap();
    let mut o = [0u8; 3];
    assert!(matches!(
        s.mac(b"", &mut o),
        Err(MacError::MacLength { .. })
    ));
    let p = MacSession::new(Poly1305, &[0; 32]).unwrap();
    assert!(matches!(p.begin(), Err(MacError::WrongCall { .. })));
    let msg = MacSession::new(AesCmac, &[0; 15]).unwrap_err().to_string();
    assert!(msg.contains("16, 24 or 32"), "{msg}");
}
