//! Known-answer vectors for the EC engine, from the primary sources named
//! on each data file's first line: RFC 6979 A.2.5 (ECDSA P-256 signing
//! with the RFC's k, digests shorter and longer than n) and GB/T 32918.5
//! annex A (SM2 signature and encryption with the standard's k).

mod common;

use common::{field, hex, records, P256};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use sm3::Sm3;
use softqat_engine::asym::ec::FieldType;
use softqat_engine::asym::{ecdsa, sm2};

fn digest(name: &str, msg: &[u8]) -> Vec<u8> {
    match name {
        "SHA-1" => Sha1::digest(msg).to_vec(),
        "SHA-224" => Sha224::digest(msg).to_vec(),
        "SHA-256" => Sha256::digest(msg).to_vec(),
        "SHA-384" => Sha384::digest(msg).to_vec(),
        "SHA-512" => Sha512::digest(msg).to_vec(),
        other => panic!("unknown hash {other}"),
    }
}

#[test]
fn ecdsa_p256_rfc6979_sign_with_given_k_and_verify() {
    let recs = records(include_str!("data/asym/ecdsa_rfc6979_p256.txt"));
    let key = &recs[0];
    let (d, ux, uy) = (
        hex(field(key, "x")),
        hex(field(key, "ux")),
        hex(field(key, "uy")),
    );
    let (p, a, b, n) = (hex(P256.p), hex(P256.a), hex(P256.b), hex(P256.n));
    let (gx, gy) = (hex(P256.gx), hex(P256.gy));
    let mut count = 0;
    for rec in &recs[1..] {
        let h = digest(field(rec, "hash"), field(rec, "msg").as_bytes());
        let m = ecdsa::truncate_digest(&h, &n);
        let k = hex(field(rec, "k"));
        let (want_r, want_s) = (hex(field(rec, "r")), hex(field(rec, "s")));
        let op = ecdsa::SignRs {
            xg: &gx,
            yg: &gy,
            n: &n,
            q: &p,
            a: &a,
            b: &b,
            k: &k,
            m: &m,
            d: &d,
            field_type: FieldType::Prime,
        };
        let (mut r, mut s) = ([0u8; 32], [0u8; 32]);
        assert!(ecdsa::sign_rs(&op, &mut r, &mut s).unwrap(), "{rec:?}");
        assert_eq!(
            (r.to_vec(), s.to_vec()),
            (want_r.clone(), want_s.clone()),
            "{rec:?}"
        );
        // The split calls give the same halves (outputs wider than n are
        // left-padded).
        let mut r_wide = [0xAAu8; 40];
        let sr = ecdsa::SignR {
            xg: &gx,
            yg: &gy,
            n: &n,
            q: &p,
            a: &a,
            b: &b,
            k: &k,
            field_type: FieldType::Prime,
        };
        assert!(ecdsa::sign_r(&sr, &mut r_wide).unwrap());
        assert_eq!(&r_wide[..8], &[0; 8]);
        assert_eq!(r_wide[8..].to_vec(), want_r);
        let ss = ecdsa::SignS {
            m: &m,
            d: &d,
            r: &want_r,
            k: &k,
            n: &n,
            field_type: FieldType::Prime,
        };
        let mut s2 = [0u8; 32];
        assert!(ecdsa::sign_s(&ss, &mut s2).unwrap());
        assert_eq!(s2.to_vec(), want_s);
        let mut v = ecdsa::Verify {
            xg: &gx,
            yg: &gy,
            n: &n,
            q: &p,
            a: &a,
            b: &b,
            m: &m,
            r: &want_r,
            s: &want_s,
            xp: &ux,
            yp: &uy,
            field_type: FieldType::Prime,
        };
        assert!(ecdsa::verify(&v).unwrap(), "{rec:?}");
        let mut wrong_s = want_s.clone();
        wrong_s[31] ^= 1;
        v.s = &wrong_s;
        assert!(!ecdsa::verify(&v).unwrap());
        count += 1;
    }
    assert_eq!(count, 6);
}

/// GB/T 32918.4's key derivation: SM3(z ‖ ct) for ct = 1, 2, … (32-bit
/// big-endian), concatenated and cut to `len` bytes.
fn sm2_kdf(z: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut ct = 1u32;
    while out.len() < len {
        let mut h = Sm3::new();
        h.update(z);
        h.update(ct.to_be_bytes());
        out.extend_from_slice(&h.finalize());
        ct += 1;
    }
    out.truncate(len);
    out
}

#[test]
fn sm2_gbt32918_sign_and_encrypt_examples() {
    let recs = records(include_str!("data/asym/sm2_gbt32918_5.txt"));
    let mut ops = vec![];
    for rec in &recs {
        let h = |k: &str| hex(field(rec, k));
        match field(rec, "op") {
            "sign" => {
                let (mut r, mut s) = ([0u8; 32], [0u8; 32]);
                let op = sm2::Sign {
                    k: &h("k"),
                    e: &h("e"),
                    d: &h("d"),
                    field_type: FieldType::Prime,
                };
                assert!(sm2::sign(&op, &mut r, &mut s).unwrap());
                assert_eq!((r.to_vec(), s.to_vec()), (h("r"), h("s")));
                let (e, xp, yp) = (h("e"), h("xp"), h("yp"));
                let v = sm2::Verify {
                    e: &e,
                    r: &r,
                    s: &s,
                    xp: &xp,
                    yp: &yp,
                    field_type: FieldType::Prime,
                };
                assert!(sm2::verify(&v).unwrap());
                let mut bad = s;
                bad[0] ^= 1;
                assert!(!sm2::verify(&sm2::Verify { s: &bad, ..v }).unwrap());
                // The public key is [d]G.
                let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
                let g = sm2::GeneratorMultiply {
                    k: &h("d"),
                    field_type: FieldType::Prime,
                };
                assert!(sm2::generator_multiply(&g, &mut x, &mut y).unwrap());
                assert_eq!((x.to_vec(), y.to_vec()), (xp, yp));
            }
            "encrypt" => {
                let (mut x1, mut y1, mut x2, mut y2) = ([0u8; 32], [0u8; 32], [0u8; 32], [0u8; 32]);
                let (k, xp, yp) = (h("k"), h("xp"), h("yp"));
                let op = sm2::Encrypt {
                    k: &k,
                    xp: &xp,
                    yp: &yp,
                    field_type: FieldType::Prime,
                };
                sm2::encrypt(
                    &op,
                    &mut sm2::EncryptOutput {
                        x1: &mut x1,
                        y1: &mut y1,
                        x2: &mut x2,
                        y2: &mut y2,
                    },
                )
                .unwrap();
                assert_eq!((x1.to_vec(), y1.to_vec()), (h("x1"), h("y1")));
                let msg = h("msg");
                let t = sm2_kdf(&[x2, y2].concat(), msg.len());
                let c2: Vec<u8> = msg.iter().zip(&t).map(|(m, t)| m ^ t).collect();
                assert_eq!(c2, h("c2"));
                let c3 = Sm3::digest([&x2[..], &msg, &y2[..]].concat());
                assert_eq!(c3.to_vec(), h("c3"));
                // Decryption recovers the same point from C1 and d.
                let (mut dx, mut dy) = ([0u8; 32], [0u8; 32]);
                let dec = sm2::Decrypt {
                    d: &h("d"),
                    x1: &x1,
                    y1: &y1,
                    field_type: FieldType::Prime,
                };
                sm2::decrypt(
                    &dec,
                    &mut sm2::DecryptOutput {
                        x2: &mut dx,
                        y2: &mut dy,
                    },
                )
                .unwrap();
                assert_eq!((dx, dy), (x2, y2));
            }
            other => panic!("unknown op {other}"),
        }
        ops.push(field(rec, "op").to_string());
    }
    assert_eq!(ops, ["sign", "encrypt"]);
}
