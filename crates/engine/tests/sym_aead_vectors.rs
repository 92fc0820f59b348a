//! AEAD known answers and properties for `softqat_engine::sym::aead`:
//! - GCM: McGrew–Viega test cases 1–18 (`data/sym/gcm_mcgrew_viega.txt`), all
//!   three key sizes, 8-, 12- and 60-byte IVs, tags truncated to 12 and 8;
//! - CCM: SP 800-38C C.1–C.4 and RFC 3610 packet vectors (`data/sym/ccm_rfc3610_sp800_38c.txt`),
//!   and NIST CAVP DVPT/VADT/VNT/VPT/VTT records (`data/sym/cavp_ccm_subset.txt`): every nonce
//!   length 7..=13, every even tag length 4..=16, all three key sizes, DVPT Fail records;
//! - ChaCha20-Poly1305: RFC 8439 §2.8.2 (`data/sym/chacha20_poly1305_rfc8439.txt`);
//! - NIST CAVP GCM response files (`data/sym/cavp_gcm_subset.txt`): encrypt records with 1-,
//!   12- and 128-byte IVs, tags of 16, 12 and 8 bytes, all three key sizes, and decrypt
//!   records, among them FAIL records open() must refuse;
//! - Wycheproof subsets (`data/sym/wycheproof_*_subset.txt`): valid cases, flipped-tag
//!   cases open() must refuse, and nonce sizes ChaCha20-Poly1305 must reject;
//! - a differential test: AES-128-GCM seal via the engine (ring) against
//!   RustCrypto `aes-gcm` for every length 0..=1024 with random AAD, and the
//!   software GCM path (8-byte IV, truncated tag) against `aes-gcm` too;
//! - tamper tests: a flipped bit of ciphertext, AAD, tag or IV makes open()
//!   report failure and leaves `data` zeroed.

mod common;
use common::{field, hex, records};

use aes_gcm::aead::{AeadInPlace, KeyInit};
use softqat_engine::sym::aead::{AeadAlgorithm, AeadError, AeadSession};

fn field_opt<'a>(r: &'a [(String, String)], k: &str) -> Option<&'a str> {
    r.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

/// Seals `pt`, checks ct/tag; opens, checks pt; flips one bit of each input
/// in turn and checks open() rejects it and zeroes the buffer.
fn check_aead(
    name: &str,
    s: &AeadSession,
    iv: &[u8],
    aad: &[u8],
    pt: &[u8],
    ct: &[u8],
    tag: &[u8],
) {
    let mut data = pt.to_vec();
    let mut t = vec![0u8; tag.len()];
    s.seal(iv, aad, &mut data, &mut t).unwrap();
    assert_eq!(data, ct, "{name}: ciphertext");
    assert_eq!(t, tag, "{name}: tag");
    assert!(
        s.open(iv, aad, &mut data, tag).unwrap(),
        "{name}: open rejected the good tag"
    );
    assert_eq!(data, pt, "{name}: open plaintext");

    let rejects = |iv: &[u8], aad: &[u8], ct: &[u8], tag: &[u8], what: &str| {
        let mut d = ct.to_vec();
        assert!(
            !s.open(iv, aad, &mut d, tag).unwrap(),
            "{name}: flipped {what} accepted"
        );
        assert!(
            d.iter().all(|&b| b == 0),
            "{name}: flipped {what}: data not zeroed"
        );
    };
    let mut bad_tag = tag.to_vec();
    bad_tag[tag.len() - 1] ^= 0x80;
    rejects(iv, aad, ct, &bad_tag, "tag bit");
    if !ct.is_empty() {
        let mut c = ct.to_vec();
        c[ct.len() / 2] ^= 1;
        rejects(iv, aad, &c, tag, "ciphertext bit");
    }
    if !aad.is_empty() {
        let mut a = aad.to_vec();
        a[0] ^= 4;
        rejects(iv, &a, ct, tag, "AAD bit");
    }
    let mut v = iv.to_vec();
    v[0] ^= 1;
    rejects(&v, aad, ct, tag, "IV bit");
}

#[test]
fn gcm_mcgrew_viega_1_to_18() {
    let recs = records(include_str!("data/sym/gcm_mcgrew_viega.txt"));
    assert_eq!(recs.len(), 18);
    let mut non96 = 0;
    for r in &recs {
        let name = format!("GCM case {}", field(r, "case"));
        let key = hex(field(r, "key"));
        let iv = hex(field(r, "iv"));
        let (aad, pt, ct, tag) = (
            hex(field(r, "aad")),
            hex(field(r, "pt")),
            hex(field(r, "ct")),
            hex(field(r, "tag")),
        );
        if iv.len() != 12 {
            non96 += 1;
        }
        for tl in [16usize, 12, 8] {
            let s = AeadSession::new(AeadAlgorithm::AesGcm, &key, tl).unwrap();
            check_aead(
                &format!("{name} tag {tl}"),
                &s,
                &iv,
                &aad,
                &pt,
                &ct,
                &tag[..tl],
            );
        }
    }
    assert_eq!(
        non96, 6,
        "cases 5, 6, 11, 12, 17, 18 use 8- and 60-byte IVs"
    );
}

/// NIST CAVP GCM response-file records (`data/sym/cavp_gcm_subset.txt`): each pass record
/// seals and opens to the file's values (and, with a 96-bit IV, through `seal_j0`/`open_j0`
/// with J0 = IV || 0^31 || 1 too); each FAIL record of the decrypt file is refused with `data`
/// zeroed. The record mix is asserted so that a file cut short fails.
#[test]
fn cavp_gcm_subset() {
    use std::collections::BTreeSet;
    let recs = records(include_str!("data/sym/cavp_gcm_subset.txt"));
    assert_eq!(recs.len(), 47);
    let (mut pass, mut fail) = (0, 0);
    let mut seen: [BTreeSet<usize>; 5] = Default::default();
    for r in &recs {
        let name = field(r, "case");
        let key = hex(field(r, "key"));
        let (iv, aad, pt, ct, tag) = (
            hex(field(r, "iv")),
            hex(field(r, "aad")),
            hex(field(r, "pt")),
            hex(field(r, "ct")),
            hex(field(r, "tag")),
        );
        for (set, n) in seen
            .iter_mut()
            .zip([key.len(), iv.len(), aad.len(), ct.len(), tag.len()])
        {
            set.insert(n);
        }
        let s = AeadSession::new(AeadAlgorithm::AesGcm, &key, tag.len()).unwrap();
        let j0 = (iv.len() == 12).then(|| {
            let mut j0 = [0u8; 16];
            j0[..12].copy_from_slice(&iv);
            j0[15] = 1;
            j0
        });
        match field(r, "result") {
            "pass" => {
                check_aead(name, &s, &iv, &aad, &pt, &ct, &tag);
                if let Some(j0) = j0 {
                    let mut d = pt.clone();
                    let mut t = vec![0u8; tag.len()];
                    s.seal_j0(&j0, &aad, &mut d, &mut t).unwrap();
                    assert_eq!(d, ct, "{name}: seal_j0 ciphertext");
                    assert_eq!(t, tag, "{name}: seal_j0 tag");
                    assert!(
                        s.open_j0(&j0, &aad, &mut d, &tag).unwrap(),
                        "{name}: open_j0"
                    );
                    assert_eq!(d, pt, "{name}: open_j0 plaintext");
                }
                pass += 1;
            }
            "fail" => {
                let mut d = ct.clone();
                assert!(
                    !s.open(&iv, &aad, &mut d, &tag).unwrap(),
                    "{name}: FAIL record accepted"
                );
                assert!(d.iter().all(|&b| b == 0), "{name}: data not zeroed");
                if let Some(j0) = j0 {
                    let mut d = ct.clone();
                    assert!(
                        !s.open_j0(&j0, &aad, &mut d, &tag).unwrap(),
                        "{name}: open_j0"
                    );
                    assert!(d.iter().all(|&b| b == 0), "{name}: open_j0 data not zeroed");
                }
                fail += 1;
            }
            other => panic!("{name}: unknown result {other}"),
        }
    }
    assert_eq!((pass, fail), (40, 7));
    let want: [&[usize]; 5] = [
        &[16, 24, 32],        // key bytes
        &[1, 12, 128],        // IV bytes
        &[0, 16, 20, 48, 90], // AAD bytes
        &[0, 13, 16, 32, 51], // PT bytes
        &[8, 12, 16],         // tag bytes
    ];
    for (got, want) in seen.iter().zip(want) {
        assert_eq!(got.iter().copied().collect::<Vec<_>>(), want);
    }
}

#[test]
fn ccm_rfc3610_and_sp800_38c() {
    let recs = records(include_str!("data/sym/ccm_rfc3610_sp800_38c.txt"));
    assert_eq!(recs.len(), 4 + 23);
    for r in &recs {
        let name = format!("CCM {}", field(r, "case"));
        let key = hex(field(r, "key"));
        let nonce = hex(field(r, "nonce"));
        let aad = match field_opt(r, "aad_counting") {
            Some(n) => (0..n.parse::<usize>().unwrap()).map(|i| i as u8).collect(),
            None => hex(field(r, "aad")),
        };
        let pt = hex(field(r, "pt"));
        let ct_tag = hex(field(r, "ct_tag"));
        let (ct, tag) = ct_tag.split_at(pt.len());
        let s = AeadSession::new(AeadAlgorithm::AesCcm, &key, tag.len()).unwrap();
        check_aead(&name, &s, &nonce, &aad, &pt, ct, tag);
    }
}

/// NIST CAVP CCM records (`data/sym/cavp_ccm_subset.txt`, from the DVPT, VADT, VNT, VPT and
/// VTT response files): each pass record seals and opens to the file's values; each DVPT Fail
/// record is refused with `data` zeroed. The record mix and the lengths covered are asserted.
#[test]
fn cavp_ccm_subset() {
    use std::collections::BTreeSet;
    let recs = records(include_str!("data/sym/cavp_ccm_subset.txt"));
    assert_eq!(recs.len(), 52);
    let (mut pass, mut fail) = (0, 0);
    let mut seen: [BTreeSet<usize>; 5] = Default::default();
    for r in &recs {
        let name = field(r, "case");
        let key = hex(field(r, "key"));
        let (nonce, aad, pt, ct, tag) = (
            hex(field(r, "nonce")),
            hex(field(r, "aad")),
            hex(field(r, "pt")),
            hex(field(r, "ct")),
            hex(field(r, "tag")),
        );
        for (set, n) in
            seen.iter_mut()
                .zip([key.len(), nonce.len(), aad.len(), ct.len(), tag.len()])
        {
            set.insert(n);
        }
        let s = AeadSession::new(AeadAlgorithm::AesCcm, &key, tag.len()).unwrap();
        match field(r, "result") {
            "pass" => {
                check_aead(name, &s, &nonce, &aad, &pt, &ct, &tag);
                pass += 1;
            }
            "fail" => {
                let mut d = ct.clone();
                assert!(
                    !s.open(&nonce, &aad, &mut d, &tag).unwrap(),
                    "{name}: Fail record accepted"
                );
                assert!(d.iter().all(|&b| b == 0), "{name}: data not zeroed");
                fail += 1;
            }
            other => panic!("{name}: unknown result {other}"),
        }
    }
    assert_eq!((pass, fail), (46, 6));
    let want: [&[usize]; 5] = [
        &[16, 24, 32],
        &[7, 8, 9, 10, 11, 12, 13],
        &[0, 1, 2, 3, 5, 7, 8, 12, 15, 16, 17, 31, 32],
        &[0, 1, 2, 4, 7, 8, 9, 13, 15, 16, 17, 24],
        &[4, 6, 8, 10, 12, 14, 16],
    ];
    for (got, want) in seen.iter().zip(want) {
        assert_eq!(got.iter().copied().collect::<Vec<_>>(), want);
    }
}

#[test]
fn chacha20_poly1305_rfc8439() {
    let recs = records(include_str!("data/sym/chacha20_poly1305_rfc8439.txt"));
    assert_eq!(recs.len(), 1);
    for r in &recs {
        let s =
            AeadSession::new(AeadAlgorithm::Chacha20Poly1305, &hex(field(r, "key")), 16).unwrap();
        check_aead(
            field(r, "case"),
            &s,
            &hex(field(r, "nonce")),
            &hex(field(r, "aad")),
            &hex(field(r, "pt")),
            &hex(field(r, "ct")),
            &hex(field(r, "tag")),
        );
    }
}

/// xorshift64*: deterministic test inputs without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn fill(&mut self, b: &mut [u8]) {
        for x in b {
            *x = self.next() as u8;
        }
    }
}

#[test]
fn gcm_ring_vs_rustcrypto_every_length() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut key = [0u8; 16];
    rng.fill(&mut key);
    let engine = AeadSession::new(AeadAlgorithm::AesGcm, &key, 16).unwrap();
    let rc = aes_gcm::Aes128Gcm::new_from_slice(&key).unwrap();
    for len in 0..=1024usize {
        let mut iv = [0u8; 12];
        rng.fill(&mut iv);
        let mut aad = vec![0u8; (rng.next() % 80) as usize];
        rng.fill(&mut aad);
        let mut pt = vec![0u8; len];
        rng.fill(&mut pt);

        let mut a = pt.clone();
        let mut ta = [0u8; 16];
        engine.seal(&iv, &aad, &mut a, &mut ta).unwrap();
        let mut b = pt.clone();
        let tb = rc
            .encrypt_in_place_detached(&iv.into(), &aad, &mut b)
            .unwrap();
        assert_eq!(a, b, "len {len}: ciphertext differs from aes-gcm");
        assert_eq!(&ta[..], &tb[..], "len {len}: tag differs from aes-gcm");

        // Flip a random bit of ciphertext, AAD or tag: open must refuse.
        let span = len + aad.len() + 16;
        let at = (rng.next() % span as u64) as usize;
        let bit = 1u8 << (rng.next() % 8);
        let (mut c, mut ad, mut t) = (a.clone(), aad.clone(), ta);
        if at < len {
            c[at] ^= bit;
        } else if at < len + aad.len() {
            ad[at - len] ^= bit;
        } else {
            t[at - len - aad.len()] ^= bit;
        }
        assert!(
            !engine.open(&iv, &ad, &mut c, &t).unwrap(),
            "len {len}: flip at {at} accepted"
        );
        assert!(
            c.iter().all(|&x| x == 0),
            "len {len}: rejected open left data"
        );
        assert!(
            engine.open(&iv, &aad, &mut a, &ta).unwrap(),
            "len {len}: open refused"
        );
        assert_eq!(a, pt, "len {len}: round trip");
    }
}

#[test]
fn soft_gcm_paths_match_rustcrypto() {
    // AES-192 (not in ring) and a 12-byte truncated tag opened on the software path.
    let mut rng = Rng(0xdead_beef_0bad_f00d);
    let mut key = [0u8; 24];
    rng.fill(&mut key);
    let engine = AeadSession::new(AeadAlgorithm::AesGcm, &key, 16).unwrap();
    let rc =
        aes_gcm::AesGcm::<aes::Aes192, aes_gcm::aead::consts::U12>::new_from_slice(&key).unwrap();
    let mut key128 = [0u8; 16];
    rng.fill(&mut key128);
    let e12 = AeadSession::new(AeadAlgorithm::AesGcm, &key128, 12).unwrap();
    let rc128 = aes_gcm::Aes128Gcm::new_from_slice(&key128).unwrap();
    for len in (0..=600usize).step_by(7) {
        let mut iv = [0u8; 12];
        rng.fill(&mut iv);
        let mut aad = vec![0u8; (rng.next() % 40) as usize];
        rng.fill(&mut aad);
        let mut pt = vec![0u8; len];
        rng.fill(&mut pt);
        let mut a = pt.clone();
        let mut ta = [0u8; 16];
        engine.seal(&iv, &aad, &mut a, &mut ta).unwrap();
        let mut b = pt.clone();
        let tb = rc
            .encrypt_in_place_detached(&iv.into(), &aad, &mut b)
            .unwrap();
        assert_eq!((a.clone(), &ta[..]), (b, &tb[..]), "AES-192 len {len}");
        assert!(engine.open(&iv, &aad, &mut a, &ta).unwrap());
        assert_eq!(a, pt);

        let mut c = pt.clone();
        let mut t12 = [0u8; 12];
        e12.seal(&iv, &aad, &mut c, &mut t12).unwrap();
        let mut d = pt.clone();
        let td = rc128
            .encrypt_in_place_detached(&iv.into(), &aad, &mut d)
            .unwrap();
        assert_eq!(c, d, "128 truncated len {len}: ciphertext");
        assert_eq!(&t12[..], &td[..12], "128 truncated len {len}: tag prefix");
        assert!(e12.open(&iv, &aad, &mut c, &t12).unwrap());
        assert_eq!(c, pt);
    }
}

#[test]
fn parameter_errors() {
    let k16 = [0u8; 16];
    use AeadAlgorithm::*;
    assert!(matches!(
        AeadSession::new(AesGcm, &k16, 4),
        Err(AeadError::TagLength { .. })
    ));
    assert!(matches!(
        AeadSession::new(AesGcm, &k16, 14),
        Err(AeadError::TagLength { .. })
    ));
    assert!(matches!(
        AeadSession::new(AesGcm, &[0u8; 20], 16),
        Err(AeadError::KeyLength { .. })
    ));
    assert!(matches!(
        AeadSession::new(AesCcm, &k16, 5),
        Err(AeadError::TagLength { .. })
    ));
    assert!(matches!(
        AeadSession::new(AesCcm, &k16, 18),
        Err(AeadError::TagLength { .. })
    ));
    assert!(AeadSession::new(AesCcm, &k16, 4).is_ok());
    assert!(matches!(
        AeadSession::new(Chacha20Poly1305, &k16, 16),
        Err(AeadError::KeyLength { .. })
    ));
    assert!(matches!(
        AeadSession::new(Chacha20Poly1305, &[0u8; 32], 12),
        Err(AeadError::TagLength { .. })
    ));

    let gcm = AeadSession::new(AesGcm, &k16, 16).unwrap();
    let mut t = [0u8; 16];
    assert!(matches!(
        gcm.seal(&[], &[], &mut [], &mut t),
        Err(AeadError::IvLength { .. })
    ));
    assert!(matches!(
        gcm.seal(&[0; 12], &[], &mut [], &mut t[..8]),
        Err(AeadError::TagBuffer { .. })
    ));
    let ccm = AeadSession::new(AesCcm, &k16, 8).unwrap();
    let mut t8 = [0u8; 8];
    assert!(matches!(
        ccm.seal(&[0; 6], &[], &mut [], &mut t8),
        Err(AeadError::IvLength { .. })
    ));
    assert!(matches!(
        ccm.seal(&[0; 14], &[], &mut [], &mut t8),
        Err(AeadError::IvLength { .. })
    ));
    // 13-byte nonce: L = 2, so at most 65535 bytes.
    let mut big = vec![0u8; 65536];
    assert!(matches!(
        ccm.seal(&[0; 13], &[], &mut big, &mut t8),
        Err(AeadError::DataTooLong { .. })
    ));
    assert!(ccm.seal(&[0; 13], &[], &mut big[..65535], &mut t8).is_ok());
    let cc = AeadSession::new(Chacha20Poly1305, &[0u8; 32], 16).unwrap();
    assert!(matches!(
        cc.seal(&[0; 8], &[], &mut [], &mut t),
        Err(AeadError::IvLength { .. })
    ));
    // Errors say what to do.
    let msg = AeadSession::new(AesGcm, &k16, 4).unwrap_err().to_string();
    assert!(msg.contains("8, 12 or 16"), "{msg}");
}

/// Wycheproof subsets: valid cases seal and open to the given values;
/// invalid tags are refused with `data` zeroed; invalid nonce sizes are errors.
fn wycheproof(alg: AeadAlgorithm, text: &str) -> (usize, usize) {
    let (mut valid, mut invalid) = (0, 0);
    for r in records(text) {
        let name = format!("{alg:?} Wycheproof tcId {}", field(&r, "tcId"));
        let key = hex(field(&r, "key"));
        let (iv, aad, pt, ct, tag) = (
            hex(field(&r, "iv")),
            hex(field(&r, "aad")),
            hex(field(&r, "pt")),
            hex(field(&r, "ct")),
            hex(field(&r, "tag")),
        );
        let s = AeadSession::new(alg, &key, 16).unwrap();
        match field(&r, "result") {
            "valid" => {
                check_aead(&name, &s, &iv, &aad, &pt, &ct, &tag);
                valid += 1;
            }
            "invalid" => {
                let mut d = ct.clone();
                assert!(
                    !s.open(&iv, &aad, &mut d, &tag).unwrap(),
                    "{name}: invalid tag accepted"
                );
                assert!(d.iter().all(|&b| b == 0), "{name}: data not zeroed");
                invalid += 1;
            }
            "invalid-nonce-size" => {
                let mut t = [0u8; 16];
                assert!(
                    matches!(
                        s.seal(&iv, &aad, &mut [], &mut t),
                        Err(AeadError::IvLength { .. })
                    ),
                    "{name}: IV of {} bytes accepted",
                    iv.len()
                );
                assert!(matches!(
                    s.open(&iv, &aad, &mut [], &t),
                    Err(AeadError::IvLength { .. })
                ));
                invalid += 1;
            }
            other => panic!("{name}: unknown result {other}"),
        }
    }
    (valid, invalid)
}

#[test]
fn wycheproof_aes_gcm_subset() {
    let n = wycheproof(
        AeadAlgorithm::AesGcm,
        include_str!("data/sym/wycheproof_aes_gcm_subset.txt"),
    );
    assert_eq!(n, (10, 7));
}

#[test]
fn wycheproof_chacha20_poly1305_subset() {
    let n = wycheproof(
        AeadAlgorithm::Chacha20Poly1305,
        include_str!("data/sym/wycheproof_chacha20_poly1305_subset.txt"),
    );
    assert_eq!(n, (9, 7));
}
