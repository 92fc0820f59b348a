//! Differential tests of `softqat_engine::asym::{ln, dh, dsa, prime}` against num-bigint on
//! random inputs (aws-lc-rs's random generator):
//! - ln: mod_exp for odd and even moduli of 8..4096 bits, bases above the modulus; mod_inv
//!   checked by multiplying back, and its refusal of non-coprime pairs;
//! - dh: phase 1 and 2 against `modpow`, and both parties reaching the same secret;
//! - dsa: P and G generation, Y, sign R/S/RS with random k against the FIPS 186 formulas
//!   computed by num-bigint, verify accepting those signatures and refusing altered ones;
//!   on a group built here (q prime of N bits, p = k·q + 1 prime of L bits);
//! - prime: random products of two primes and Carmichael numbers are found composite,
//!   known primes pass every test.

use num_bigint::BigUint;
use softqat_engine::asym::{dh, dsa, ln, prime, AsymError};

fn big(b: &[u8]) -> BigUint {
    BigUint::from_bytes_be(b)
}

fn rand_bytes(len: usize) -> Vec<u8> {
    let mut b = vec![0u8; len];
    aws_lc_rs::rand::fill(&mut b).unwrap();
    b
}

fn be(v: &BigUint, len: usize) -> Vec<u8> {
    let b = v.to_bytes_be();
    let mut out = vec![0u8; len - b.len()];
    out.extend_from_slice(&b);
    out
}

#[test]
fn ln_against_num_bigint() {
    for &bits in &[8usize, 64, 65, 512, 1024, 2048, 4096] {
        for i in 0..6 {
            let len = bits.div_ceil(8);
            let mut m = rand_bytes(len);
            m[0] |= 0x80;
            let last = len - 1;
            if i % 2 == 0 {
                m[last] |= 1;
            } else {
                m[last] &= !1;
            }
            let b = rand_bytes(len + i); // may exceed the modulus
            let e = rand_bytes(len);
            let mut out = vec![0u8; len + 1];
            ln::mod_exp(&m, &b, &e, &mut out).unwrap();
            assert_eq!(big(&out), big(&b).modpow(&big(&e), &big(&m)), "{bits} {i}");

            let a = rand_bytes(len);
            let r = ln::mod_inv(&a, &m, &mut out);
            let (ba, bm) = (big(&a), big(&m));
            match r {
                Ok(()) => assert_eq!((big(&out) * &ba) % &bm, BigUint::from(1u8) % &bm),
                Err(AsymError::Failed(_)) => {
                    let g = num_gcd(&ba, &bm);
                    assert_ne!(g, BigUint::from(1u8));
                }
                Err(AsymError::InvalidParam(_)) => {
                    assert!(ba == BigUint::from(0u8) || (!ba.bit(0) && !bm.bit(0)));
                }
                Err(e) => panic!("{e}"),
            }
        }
    }
}

fn num_gcd(a: &BigUint, b: &BigUint) -> BigUint {
    let (mut a, mut b) = (a.clone(), b.clone());
    while b != BigUint::from(0u8) {
        let t = &a % &b;
        a = b;
        b = t;
    }
    a
}

/// The RFC 3526 2048-bit MODP group (group 14) prime, generator 2.
const MODP_2048: &str = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn dh_against_num_bigint() {
    let p = unhex(MODP_2048);
    let bp = big(&p);
    let g = [2u8];
    for _ in 0..4 {
        let xa = rand_bytes(32);
        let xb = rand_bytes(256);
        let xb = be(&(big(&xb) % (&bp - 2u8) + 1u8), 256);
        let (mut ya, mut yb) = (vec![0u8; 256], vec![0u8; 257]);
        dh::phase1(&p, &g, &xa, &mut ya).unwrap();
        dh::phase1(&p, &g, &xb, &mut yb).unwrap();
        assert_eq!(big(&ya), BigUint::from(2u8).modpow(&big(&xa), &bp));
        assert_eq!(yb[0], 0);
        let (mut za, mut zb) = (vec![0u8; 256], vec![0u8; 256]);
        dh::phase2(&p, &yb, &xa, &mut za).unwrap();
        dh::phase2(&p, &ya, &xb, &mut zb).unwrap();
        assert_eq!(za, zb);
        assert_eq!(big(&za), big(&yb).modpow(&big(&xa), &bp));
    }
    let mut out = vec![0u8; 256];
    let x = [5u8];
    let p1 = be(&(&bp - 1u8), 256);
    for bad_y in [&[0u8][..], &[1], &p1, &p] {
        assert!(matches!(
            dh::phase2(&p, bad_y, &x, &mut out),
            Err(AsymError::InvalidParam(_))
        ));
    }
    assert!(matches!(
        dh::phase1(&p, &g, &p1, &mut out),
        Err(AsymError::InvalidParam(_))
    ));
    assert!(matches!(
        dh::phase1(&p, &g, &[], &mut out),
        Err(AsymError::InvalidParam(_))
    ));
    assert!(matches!(
        dh::phase1(&p, &p, &x, &mut out),
        Err(AsymError::InvalidParam(_))
    ));
    assert!(matches!(
        dh::phase1(&p, &g, &x, &mut out[1..]),
        Err(AsymError::InvalidParam(_))
    ));
    assert!(matches!(
        dh::phase1(&p[1..], &g, &x, &mut out),
        Err(AsymError::InvalidParam(_))
    ));
}

/// Miller-Rabin with 40 fixed witnesses by num-bigint: an independent prime check.
fn probably_prime(n: &BigUint) -> bool {
    let one = BigUint::from(1u8);
    let n1 = n - &one;
    let s = n1.trailing_zeros().unwrap();
    let d = &n1 >> s;
    (0..40u32).all(|i| {
        let a = BigUint::from(2u32 + i * 7919) % (n - 3u8) + 2u8;
        let mut x = a.modpow(&d, n);
        if x == one || x == n1 {
            return true;
        }
        for _ in 1..s {
            x = x.modpow(&BigUint::from(2u8), n);
            if x == n1 {
                return true;
            }
        }
        false
    })
}

fn random_prime(bits: usize) -> BigUint {
    loop {
        let mut b = rand_bytes(bits / 8);
        b[0] |= 0x80;
        let last = b.len() - 1;
        b[last] |= 1;
        let c = big(&b);
        if probably_prime(&c) {
            return c;
        }
    }
}

#[test]
fn dsa_against_num_bigint() {
    let (l, n) = (1024usize, 160usize);
    let q = random_prime(n);
    // X in [2^(L-1), 2^L); p = X - (X mod 2q) + 1 until p is prime.
    let (p, pb) = loop {
        let mut xb = rand_bytes(l / 8);
        xb[0] |= 0x80;
        let mut out = vec![0u8; l / 8];
        let qb = q.to_bytes_be();
        let passed = dsa::gen_p(&xb, &qb, &mut out).unwrap();
        let x = big(&xb);
        let want = &x - (&x % (&q * 2u8)) + 1u8;
        if want.bits() < l as u64 {
            assert!(!passed);
            assert!(out.iter().all(|&b| b == 0));
            continue;
        }
        assert_eq!(big(&out), want);
        if !passed {
            // The GCD test found a small factor: check it is there.
            assert!((3u32..12_000)
                .step_by(2)
                .any(|f| &want % f == BigUint::from(0u8)));
            continue;
        }
        if probably_prime(&want) {
            break (want, out);
        }
    };
    let qb = q.to_bytes_be();
    let mut gb = vec![0u8; l / 8];
    let h = [2u8];
    assert!(dsa::gen_g(&pb, &qb, &h, &mut gb).unwrap());
    let g = big(&gb);
    assert_eq!(g, BigUint::from(2u8).modpow(&((&p - 1u8) / &q), &p));
    let x = big(&rand_bytes(20)) % (&q - 1u8) + 1u8;
    let xb = x.to_bytes_be();
    let mut yb = vec![0u8; l / 8];
    dsa::gen_y(&pb, &gb, &xb, &mut yb).unwrap();
    assert_eq!(big(&yb), g.modpow(&x, &p));

    for _ in 0..8 {
        let k = big(&rand_bytes(20)) % (&q - 1u8) + 1u8;
        let z = rand_bytes(20);
        let kb = k.to_bytes_be();
        let (mut r, mut s) = (vec![0u8; 20], vec![0u8; 21]);
        assert!(dsa::sign_rs(&pb, &qb, &gb, &xb, &kb, &z, &mut r, &mut s).unwrap());
        let wr = g.modpow(&k, &p) % &q;
        let kinv = k.modpow(&(&q - 2u8), &q);
        let ws = (&kinv * ((big(&z) % &q) + &x * &wr)) % &q;
        assert_eq!(big(&r), wr);
        assert_eq!(big(&s), ws);
        let (mut r2, mut s2) = (vec![0u8; 20], vec![0u8; 20]);
        assert!(dsa::sign_r(&pb, &qb, &gb, &kb, &mut r2).unwrap());
        assert!(dsa::sign_s(&qb, &xb, &kb, &r2, &z, &mut s2).unwrap());
        assert_eq!((big(&r2), big(&s2)), (wr, ws.clone()));
        assert!(dsa::verify(&pb, &qb, &gb, &yb, &z, &r, &s).unwrap());
        let mut z2 = z.clone();
        z2[19] ^= 1;
        assert!(!dsa::verify(&pb, &qb, &gb, &yb, &z2, &r, &s).unwrap());
        let s3 = be(&((&ws + 1u8) % &q), 20);
        assert!(!dsa::verify(&pb, &qb, &gb, &yb, &z, &r, &s3).unwrap());
        assert!(!dsa::verify(&pb, &qb, &gb, &yb, &z, &r, &qb).unwrap());
    }
    let mut out = vec![0u8; 20];
    assert!(matches!(
        dsa::sign_r(&pb, &qb, &gb, &qb, &mut out),
        Err(AsymError::InvalidParam(_))
    ));
    assert!(matches!(
        dsa::sign_r(&pb, &qb, &gb, &[], &mut out),
        Err(AsymError::InvalidParam(_))
    ));
    assert!(matches!(
        dsa::sign_r(&pb[1..], &qb, &gb, &[3], &mut out),
        Err(AsymError::InvalidParam(_))
    ));
    assert!(matches!(
        dsa::gen_g(&pb, &qb, &[1], &mut gb),
        Err(AsymError::InvalidParam(_))
    ));
}

#[test]
fn prime_test_against_num_bigint() {
    for bits in [256usize, 512, 1024] {
        let slot = (bits / 8).max(64);
        let mut w = vec![0u8; 10 * slot];
        for i in 0..10 {
            w[i * slot + slot - 1] = 2 + i as u8;
        }
        let p = random_prime(bits);
        let pb = p.to_bytes_be();
        assert!(prime::prime_test(&pb, true, true, 10, &w, true).unwrap());
        let q = random_prime(bits / 2);
        let c = &q * random_prime(bits / 2);
        let cb = c.to_bytes_be();
        let slot_c = (cb.len()).max(64);
        let mut wc = vec![0u8; slot_c];
        wc[slot_c - 1] = 2;
        assert!(!prime::prime_test(&cb, false, true, 0, &[], false).unwrap());
        assert!(!prime::prime_test(&cb, false, false, 1, &wc, false).unwrap());
        assert!(!prime::prime_test(&cb, false, false, 0, &[], true).unwrap());
    }
    // Carmichael numbers pass Fermat to base 2 (coprime to 2) but not the others.
    for v in [
        561u64, 1105, 1729, 2465, 2821, 6601, 8911, 41041, 825265, 321197185,
    ] {
        let b = v.to_be_bytes();
        assert!(
            prime::prime_test(&b, false, true, 0, &[], false).unwrap(),
            "{v}"
        );
        assert!(
            !prime::prime_test(&b, false, false, 0, &[], true).unwrap(),
            "{v}"
        );
        assert!(
            !prime::prime_test(&b, true, false, 0, &[], false).unwrap(),
            "{v}"
        );
    }
    // Strong pseudoprimes to base 2 pass that Miller-Rabin round, fail Lucas.
    for v in [2047u64, 3277, 4033, 4681, 8321, 3215031751] {
        let mut w = vec![0u8; 64];
        w[63] = 2;
        let b = v.to_be_bytes();
        assert!(
            prime::prime_test(&b, false, false, 1, &w, false).unwrap(),
            "{v}"
        );
        assert!(
            !prime::prime_test(&b, false, false, 0, &[], true).unwrap(),
            "{v}"
        );
    }
}
