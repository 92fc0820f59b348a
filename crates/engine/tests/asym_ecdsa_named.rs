//! ECDSA sign on the NIST curves with their own generator (the direct path
//! through aws-lc's ECDSA) against the general path (`sign_r` + `sign_s`),
//! and the cases the direct path hands back: s = 0 and a digest longer
//! than n.

use num_bigint::BigUint;
use softqat_engine::asym::ec::FieldType;
use softqat_engine::asym::ecdsa::{self, SignR, SignRs, SignS};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

const P: &str = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
const A: &str = "ffffffff00000001000000000000000000000000fffffffffffffffffffffffc";
const B: &str = "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b";
const GX: &str = "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";
const GY: &str = "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";
const N: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

fn be(v: &BigUint, len: usize) -> Vec<u8> {
    let b = v.to_bytes_be();
    let mut out = vec![0u8; len - b.len()];
    out.extend_from_slice(&b);
    out
}

/// (ok, r, s) of a signing.
type Signed = (bool, Vec<u8>, Vec<u8>);

/// By sign_rs, and by sign_r then sign_s.
fn both(k: &[u8], m: &[u8], d: &[u8]) -> (Signed, Signed) {
    let (p, a, b, gx, gy, n) = (hex(P), hex(A), hex(B), hex(GX), hex(GY), hex(N));
    let op = SignRs {
        xg: &gx,
        yg: &gy,
        n: &n,
        q: &p,
        a: &a,
        b: &b,
        k,
        m,
        d,
        field_type: FieldType::Prime,
    };
    let (mut r, mut s) = (vec![0xaa; 32], vec![0xaa; 32]);
    let ok = ecdsa::sign_rs(&op, &mut r, &mut s).unwrap();
    let op_r = SignR {
        xg: &gx,
        yg: &gy,
        n: &n,
        q: &p,
        a: &a,
        b: &b,
        k,
        field_type: FieldType::Prime,
    };
    let mut r2 = vec![0u8; 32];
    assert!(ecdsa::sign_r(&op_r, &mut r2).unwrap());
    let op_s = SignS {
        m,
        d,
        r: &r2,
        k,
        n: &n,
        field_type: FieldType::Prime,
    };
    let mut s2 = vec![0xaa; 32];
    let ok2 = ecdsa::sign_s(&op_s, &mut s2).unwrap();
    let r2 = if ok2 { r2 } else { vec![0; 32] };
    ((ok, r, s), (ok2, r2, s2))
}

#[test]
fn p256_direct_path_matches_general_path() {
    let n = BigUint::from_bytes_be(&hex(N));
    for i in 1..20u32 {
        let mut k = vec![0u8; 32];
        let mut d = vec![0u8; 32];
        let mut m = vec![0u8; 32];
        aws_lc_rs::rand::fill(&mut k).unwrap();
        aws_lc_rs::rand::fill(&mut d).unwrap();
        aws_lc_rs::rand::fill(&mut m).unwrap();
        let k = be(&(BigUint::from_bytes_be(&k) % (&n - 1u8) + 1u8), 32);
        let d = be(&(BigUint::from_bytes_be(&d) % (&n - 1u8) + 1u8), 32);
        // Short, full-width, above-n and longer-than-n digests.
        let m = match i % 4 {
            0 => m[..20].to_vec(),
            1 => m,
            2 => vec![0xff; 32],
            _ => [m.as_slice(), &[7, 7]].concat(),
        };
        let (x, y) = both(&k, &m, &d);
        assert_eq!(x, y, "case {i}");
        assert!(x.0);
    }
}

#[test]
fn p256_zero_s_is_an_invalid_output() {
    let n = BigUint::from_bytes_be(&hex(N));
    let k = be(&BigUint::from(12345u32), 32);
    let d = be(&BigUint::from(67890u32), 32);
    // r from the general path, then m = -d·r mod n makes s = 0.
    let (_, (_, r, _)) = both(&k, &[1], &d);
    let r = BigUint::from_bytes_be(&r);
    let dr = (BigUint::from_bytes_be(&d) * &r) % &n;
    let m = be(&((&n - dr) % &n), 32);
    let ((ok, r_out, s_out), (ok2, _, s2)) = both(&k, &m, &d);
    assert!(!ok && !ok2);
    assert_eq!((r_out, s_out), (vec![0u8; 32], vec![0u8; 32]));
    assert_eq!(s2, vec![0u8; 32]);
}
