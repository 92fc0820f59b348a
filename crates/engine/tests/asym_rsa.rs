//! Raw RSA (`softqat_engine::asym::rsa`) against others:
//! - NIST ACVP RSADP known answers (`data/asym/acvp_rsa_decryption_primitive.txt`): decrypt
//!   with representation 1 and, with dP, dQ, qInv derived by num-bigint, representation 2;
//!   encrypt the plaintext back with e; key derivation from p, q, e gives the file's n and d;
//! - differential: random messages through encrypt, decrypt and decrypt_crt against
//!   num-bigint's `modpow`, and a tampered CRT key must change the result;
//! - a speed probe (ignored by default): one RSA-2048 CRT decrypt vs aws-lc-rs PKCS#1 sign.

mod common;
use common::{field, hex, records};

use num_bigint::BigUint;
use softqat_engine::asym::rsa::{self, CrtOut, KeyGenOut};
use softqat_engine::asym::AsymError;

fn big(b: &[u8]) -> BigUint {
    BigUint::from_bytes_be(b)
}

fn be(v: &BigUint, len: usize) -> Vec<u8> {
    let b = v.to_bytes_be();
    let mut out = vec![0u8; len - b.len()];
    out.extend_from_slice(&b);
    out
}

struct Key {
    n: Vec<u8>,
    e: Vec<u8>,
    d: Vec<u8>,
    p: Vec<u8>,
    q: Vec<u8>,
    dp: Vec<u8>,
    dq: Vec<u8>,
    qinv: Vec<u8>,
}

/// The CRT values of `p`, `q`, `d` by num-bigint (independent of the engine).
fn key(n: &[u8], e: &[u8], d: &[u8], p: &[u8], q: &[u8]) -> Key {
    let (bp, bq, bd) = (big(p), big(q), big(d));
    let one = BigUint::from(1u8);
    let dp = &bd % (&bp - &one);
    let dq = &bd % (&bq - &one);
    // q⁻¹ mod p = q^(p-2) mod p (p prime).
    let qinv = bq.modpow(&(&bp - 2u8), &bp);
    let h = p.len();
    Key {
        n: n.to_vec(),
        e: e.to_vec(),
        d: d.to_vec(),
        p: p.to_vec(),
        q: q.to_vec(),
        dp: be(&dp, h),
        dq: be(&dq, h),
        qinv: be(&qinv, h),
    }
}

fn vectors() -> Vec<(Key, Vec<u8>, Vec<u8>)> {
    let text = include_str!("data/asym/acvp_rsa_decryption_primitive.txt");
    records(text)
        .iter()
        .map(|r| {
            let k = key(
                &hex(field(r, "n")),
                &hex(field(r, "e")),
                &hex(field(r, "d")),
                &hex(field(r, "p")),
                &hex(field(r, "q")),
            );
            (k, hex(field(r, "ct")), hex(field(r, "pt")))
        })
        .collect()
}

#[test]
fn acvp_decryption_primitive() {
    let v = vectors();
    assert_eq!(v.len(), 3);
    for (k, ct, pt) in &v {
        let mut out = vec![0u8; k.n.len()];
        rsa::decrypt(&k.n, &k.d, ct, &mut out).unwrap();
        assert_eq!(&out, pt, "rep 1");
        out.fill(0xaa);
        rsa::decrypt_crt(&k.p, &k.q, &k.dp, &k.dq, &k.qinv, ct, &mut out).unwrap();
        assert_eq!(&out, pt, "rep 2");
        out.fill(0xaa);
        rsa::encrypt(&k.n, &k.e, pt, &mut out).unwrap();
        assert_eq!(&out, ct, "encrypt");

        let (mut n, mut d) = (vec![0u8; k.n.len()], vec![0u8; k.n.len()]);
        let h = k.p.len();
        let (mut dp, mut dq, mut qinv) = (vec![0u8; h], vec![0u8; h], vec![0u8; h]);
        let mut o = KeyGenOut {
            n: &mut n,
            d: &mut d,
            crt: Some(CrtOut {
                dp: &mut dp,
                dq: &mut dq,
                qinv: &mut qinv,
            }),
        };
        rsa::keygen(&k.p, &k.q, &k.e, &mut o).unwrap();
        assert_eq!(n, k.n, "keygen n");
        assert_eq!(d, k.d, "keygen d (mod λ)");
        assert_eq!((dp, dq, qinv), (k.dp.clone(), k.dq.clone(), k.qinv.clone()));
    }
}

fn random_below(n: &BigUint, len: usize) -> BigUint {
    let mut b = vec![0u8; len];
    aws_lc_rs::rand::fill(&mut b).unwrap();
    big(&b) % n
}

#[test]
fn differential_against_num_bigint() {
    for (k, _, _) in vectors() {
        let n = big(&k.n);
        let len = k.n.len();
        for i in 0..12 {
            let mut m = random_below(&n, len);
            if i == 0 {
                m = BigUint::from(1u8);
            } else if i == 1 {
                m = &n - 1u8;
            } else if i == 2 {
                // A multiple of p: m ≡ 0 (mod p) exercises Garner's edge.
                m = big(&k.p) * 3u8;
            }
            if m == BigUint::from(0u8) {
                continue;
            }
            // Inputs of any length up to the modulus, leading zeros allowed.
            let mut input = vec![0u8; 2];
            input.extend_from_slice(&m.to_bytes_be());
            let c = m.modpow(&big(&k.e), &n);
            let mut out = vec![0u8; len];
            rsa::encrypt(&k.n, &k.e, &input, &mut out).unwrap();
            assert_eq!(out, be(&c, len));
            let want = c.modpow(&big(&k.d), &n);
            assert_eq!(want, m);
            let cb = be(&c, len);
            rsa::decrypt(&k.n, &k.d, &cb, &mut out).unwrap();
            assert_eq!(big(&out), want);
            rsa::decrypt_crt(&k.p, &k.q, &k.dp, &k.dq, &k.qinv, &cb, &mut out).unwrap();
            assert_eq!(big(&out), want);
            // A wrong qInv must show: the result is no longer m.
            let mut bad = k.qinv.clone();
            let last = bad.len() - 1;
            bad[last] ^= 2;
            rsa::decrypt_crt(&k.p, &k.q, &k.dp, &k.dq, &bad, &cb, &mut out).unwrap();
            if big(&cb) % big(&k.q) != big(&cb) % big(&k.p) {
                assert_ne!(big(&out), want);
            }
        }
        // Out-of-range input and outputs.
        let mut out = vec![0u8; len];
        assert!(matches!(
            rsa::decrypt(&k.n, &k.d, &k.n, &mut out),
            Err(AsymError::InvalidParam(_))
        ));
        assert!(matches!(
            rsa::decrypt_crt(&k.p, &k.q, &k.dp, &k.dq, &k.qinv, &k.n, &mut out),
            Err(AsymError::InvalidParam(_))
        ));
        assert!(matches!(
            rsa::decrypt_crt(&k.p, &k.q, &k.dp, &k.dq, &k.p, &[5], &mut out),
            Err(AsymError::InvalidParam(_))
        ));
        assert!(matches!(
            rsa::decrypt(&k.n, &k.d, &[5], &mut out[1..]),
            Err(AsymError::InvalidParam(_))
        ));
    }
}

#[test]
fn keygen_refuses_bad_inputs() {
    let v = vectors();
    let k = &v[0].0;
    let len = k.n.len();
    let (mut n, mut d) = (vec![0u8; len], vec![0u8; len]);
    let mut run = |p: &[u8], q: &[u8], e: &[u8]| {
        let mut o = KeyGenOut {
            n: &mut n,
            d: &mut d,
            crt: None,
        };
        rsa::keygen(p, q, e, &mut o)
    };
    // An even e, equal primes and primes of different lengths are refused.
    assert!(matches!(
        run(&k.p, &k.q, &[4]),
        Err(AsymError::InvalidParam(_))
    ));
    assert!(matches!(
        run(&k.p, &k.p, &[3]),
        Err(AsymError::InvalidParam(_))
    ));
    assert!(matches!(
        run(&k.p, &k.q[1..], &[3]),
        Err(AsymError::InvalidParam(_))
    ));
    // An e sharing a factor with λ: the odd part of p - 1 divides λ.
    let mut f = big(&k.p) - 1u8;
    while &f % 2u8 == BigUint::from(0u8) {
        f >>= 1;
    }
    assert!(matches!(
        run(&k.p, &k.q, &f.to_bytes_be()),
        Err(AsymError::InvalidParam(_))
    ));
    run(&k.p, &k.q, &k.e).unwrap();
}

/// Run with `cargo test --release -p softqat-engine --test asym_rsa -- --ignored --nocapture`.
#[test]
#[ignore]
fn speed_probe_rsa2048_crt() {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{KeyPair, RsaKeyPair, RSA_PKCS1_SHA256};
    let v = vectors();
    let (k, ct, _) = &v[0];
    let mut out = vec![0u8; 256];
    let iters = 200;
    let t = std::time::Instant::now();
    for _ in 0..iters {
        rsa::decrypt_crt(&k.p, &k.q, &k.dp, &k.dq, &k.qinv, ct, &mut out).unwrap();
    }
    let ours = t.elapsed() / iters;
    let kp = RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let rng = SystemRandom::new();
    let mut sig = vec![0u8; kp.public_modulus_len()];
    let _ = kp.public_key();
    let t = std::time::Instant::now();
    for _ in 0..iters {
        kp.sign(&RSA_PKCS1_SHA256, &rng, b"probe", &mut sig)
            .unwrap();
    }
    let theirs = t.elapsed() / iters;
    println!("RSA-2048 CRT decrypt: engine {ours:?}, aws-lc-rs PKCS#1 sign {theirs:?}");
}

/// More keys than the per-thread cache holds, each used again after the
/// others: every answer stays that key's own (hits, misses and evictions).
#[test]
fn prepared_key_cache_keeps_keys_apart() {
    let v = vectors();
    let mut keys = Vec::new();
    for (k, ct, pt) in &v {
        let mut bad = k.qinv.clone();
        let last = bad.len() - 1;
        bad[last] ^= 2;
        keys.push((k, k.qinv.clone(), ct, Some(pt)));
        keys.push((k, bad, ct, None));
    }
    let mut first = Vec::new();
    for round in 0..3 {
        for (i, (k, qinv, ct, pt)) in keys.iter().enumerate() {
            let mut out = vec![0u8; k.n.len()];
            rsa::decrypt_crt(&k.p, &k.q, &k.dp, &k.dq, qinv, ct, &mut out).unwrap();
            if let Some(pt) = pt {
                assert_eq!(&&out, pt, "round {round}, key {i}");
            }
            let mut out1 = vec![0u8; k.n.len()];
            rsa::decrypt(&k.n, &k.d, ct, &mut out1).unwrap();
            assert_eq!(&out1, &v[i / 2].2, "rep 1, round {round}, key {i}");
            if round == 0 {
                first.push(out);
            } else {
                assert_eq!(out, first[i], "round {round}, key {i}");
            }
        }
    }
    // The same bytes split differently are another key (and fail its checks).
    let (k, ct, _) = &v[0];
    let mut p_long = k.p.clone();
    p_long.push(k.q[0]);
    let mut out = vec![0u8; k.n.len()];
    assert!(rsa::decrypt_crt(&p_long, &k.q[1..], &k.dp, &k.dq, &k.qinv, ct, &mut out).is_err());
}
