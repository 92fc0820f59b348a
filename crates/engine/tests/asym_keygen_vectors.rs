//! Known answers and cross-checks for `softqat_engine::asym::keygen`:
//! - TLS 1.2 PRF vectors from the IETF TLS list (SHA-256/384/512) and TLS
//!   1.0/1.1 and 1.2 records from OpenSSL's `TLS1-PRF` (`data/asym/tls_prf.txt`),
//!   each also recomputed by an independent in-test PRF on the `hmac` crate;
//! - RFC 5869 HKDF (`data/asym/hkdf_rfc5869.txt`) as extract, expand and
//!   extract-and-expand, and random differential runs against aws-lc-rs's HKDF;
//! - RFC 8448 TLS 1.3 key-schedule steps as QAT label operations with
//!   sublabels (`data/asym/tls13_rfc8448.txt`);
//! - SSL 3.0 key derivation and MGF1 against straightforward in-test
//!   computations from RFC 6101 §6.2.2 / RFC 8017 B.2.1;
//! - every length limit refused with `InvalidParam`.

mod common;
use common::{field, hex, records};

use hmac::{Hmac, Mac};
use md5::Md5;
use sha1::{Digest, Sha1};
use sha2::{Sha256, Sha384, Sha512};
use softqat_engine::asym::keygen::*;
use softqat_engine::asym::AsymError;
use softqat_engine::sym::hash::HashAlgorithm;

fn field_opt<'a>(r: &'a [(String, String)], k: &str) -> Option<&'a str> {
    r.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

/// RFC 5246 §5 P_hash, written from the RFC independently of the engine.
fn p_hash_ref<M: Mac + hmac::digest::KeyInit + Clone>(
    secret: &[u8],
    seed: &[u8],
    n: usize,
) -> Vec<u8> {
    let mac = <M as hmac::digest::KeyInit>::new_from_slice(secret).unwrap();
    let mut a = seed.to_vec();
    let mut out = vec![];
    while out.len() < n {
        a = mac
            .clone()
            .chain_update(&a)
            .finalize()
            .into_bytes()
            .to_vec();
        let mut m = mac.clone();
        m.update(&a);
        m.update(seed);
        out.extend_from_slice(&m.finalize().into_bytes());
    }
    out.truncate(n);
    out
}

fn tls_ref(version: &str, secret: &[u8], label: &[u8], seed: &[u8], n: usize) -> Vec<u8> {
    let ls = [label, seed].concat();
    match version {
        "v1" => {
            let half = secret.len().div_ceil(2);
            let a = p_hash_ref::<Hmac<Md5>>(&secret[..half], &ls, n);
            let b = p_hash_ref::<Hmac<Sha1>>(&secret[secret.len() - half..], &ls, n);
            a.iter().zip(b).map(|(x, y)| x ^ y).collect()
        }
        "SHA256" => p_hash_ref::<Hmac<Sha256>>(secret, &ls, n),
        "SHA384" => p_hash_ref::<Hmac<Sha384>>(secret, &ls, n),
        "SHA512" => p_hash_ref::<Hmac<Sha512>>(secret, &ls, n),
        _ => panic!("{version}"),
    }
}

fn tls_op(name: &str) -> TlsOp {
    match name {
        "MasterSecret" => TlsOp::MasterSecret,
        "KeyMaterial" => TlsOp::KeyMaterial,
        "ClientFinished" => TlsOp::ClientFinished,
        "ServerFinished" => TlsOp::ServerFinished,
        "UserDefined" => TlsOp::UserDefined,
        _ => panic!("{name}"),
    }
}

#[test]
fn tls_prf_known_answers() {
    let recs = records(include_str!("data/asym/tls_prf.txt"));
    assert_eq!(recs.len(), 23);
    for r in &recs {
        let version = field(r, "version");
        let op = tls_op(field(r, "op"));
        let secret = hex(field(r, "secret"));
        let user_label = hex(field(r, "label"));
        let seed = hex(field(r, "seed"));
        let expect = hex(field(r, "out"));
        let input = PrfInput {
            secret: &secret,
            seed: &seed,
            user_label: &user_label,
            generated_len: expect.len(),
        };
        // One byte more room than generated: it must stay untouched.
        let mut out = vec![0x5au8; expect.len() + 1];
        match version {
            "v1" => tls_prf_v1(op, &input, &mut out).unwrap(),
            h => {
                let hash = match h {
                    "SHA256" => HashAlgorithm::Sha256,
                    "SHA384" => HashAlgorithm::Sha384,
                    _ => HashAlgorithm::Sha512,
                };
                tls_prf_v2(op, hash, &input, &mut out).unwrap()
            }
        }
        assert_eq!(&out[..expect.len()], &expect[..], "{r:?}");
        assert_eq!(out[expect.len()], 0x5a);
        let label = op.label().map(<[u8]>::to_vec).unwrap_or(user_label);
        assert_eq!(
            tls_ref(version, &secret, &label, &seed, expect.len()),
            expect
        );
    }
}

#[test]
fn tls_prf_random_against_reference() {
    let mut state = 3u64;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
        (state >> 33) as u8
    };
    for i in 0..40usize {
        let secret: Vec<u8> = (0..(i * 13) % 300).map(|_| next()).collect();
        let seed: Vec<u8> = (0..(i * 7) % 65).map(|_| next()).collect();
        let label: Vec<u8> = (0..(i * 11) % 256).map(|_| next()).collect();
        let n = (i * 31) % 249;
        let input = PrfInput {
            secret: &secret,
            seed: &seed,
            user_label: &label,
            generated_len: n,
        };
        let mut out = vec![0u8; n];
        tls_prf_v1(TlsOp::UserDefined, &input, &mut out).unwrap();
        assert_eq!(out, tls_ref("v1", &secret, &label, &seed, n), "v1 case {i}");
        tls_prf_v2(TlsOp::UserDefined, HashAlgorithm::Sha384, &input, &mut out).unwrap();
        assert_eq!(
            out,
            tls_ref("SHA384", &secret, &label, &seed, n),
            "v2 case {i}"
        );
    }
}

/// SSL 3.0 key derivation from RFC 6101 §6.2.2, written independently.
fn ssl_ref(secret: &[u8], seed: &[u8], labels: &[Vec<u8>], n: usize) -> Vec<u8> {
    let mut out = vec![];
    for l in labels {
        let mut inner = Sha1::new();
        inner.update(l);
        inner.update(secret);
        inner.update(seed);
        let mut outer = Md5::new();
        outer.update(secret);
        outer.update(inner.finalize());
        out.extend_from_slice(&outer.finalize());
    }
    out.truncate(n);
    out
}

#[test]
fn ssl3_against_rfc6101_definition() {
    let pms: Vec<u8> = (0..48u8).map(|i| i.wrapping_mul(37) ^ 0x5c).collect();
    let client: Vec<u8> = (0..32u8).map(|i| i ^ 0xa5).collect();
    let server: Vec<u8> = (0..32u8).map(|i| i.wrapping_add(0x30)).collect();
    let cs = [client.as_slice(), &server].concat();
    let sc = [server.as_slice(), &client].concat();
    let abc: Vec<Vec<u8>> = (0..16u8).map(|i| vec![b'A' + i; i as usize + 1]).collect();
    // Master secret: 48 bytes, three rounds, "A", "BB", "CCC".
    let mut ms = [0u8; 48];
    let input = PrfInput {
        secret: &pms,
        seed: &cs,
        user_label: &[],
        generated_len: 48,
    };
    ssl_key_gen(SslOp::MasterSecret, &input, &mut ms).unwrap();
    assert_eq!(ms.to_vec(), ssl_ref(&pms, &cs, &abc[..3], 48));
    // Key block from it, the longest QAT allows: 248 bytes, 16 rounds.
    let mut kb = [0u8; 248];
    let input = PrfInput {
        secret: &ms,
        seed: &sc,
        user_label: &[],
        generated_len: 248,
    };
    ssl_key_gen(SslOp::KeyMaterial, &input, &mut kb).unwrap();
    assert_eq!(kb.to_vec(), ssl_ref(&ms, &sc, &abc, 248));
    // A user label is cut into rounds of 1, 2, 3, ... bytes.
    let user: Vec<u8> = (0..136u8).collect();
    let mut start = 0;
    let cuts: Vec<Vec<u8>> = (1..=16)
        .map(|i| {
            let c = user[start..start + i].to_vec();
            start += i;
            c
        })
        .collect();
    let mut out = [0u8; 100];
    let input = PrfInput {
        secret: &ms,
        seed: &sc,
        user_label: &user,
        generated_len: 100,
    };
    ssl_key_gen(SslOp::UserDefined, &input, &mut out).unwrap();
    assert_eq!(out.to_vec(), ssl_ref(&ms, &sc, &cuts, 100));
}

fn mgf1_ref<D: Digest>(seed: &[u8], n: usize) -> Vec<u8> {
    let mut out = vec![];
    let mut c = 0u32;
    while out.len() < n {
        let mut d = D::new();
        d.update(seed);
        d.update(c.to_be_bytes());
        out.extend_from_slice(&d.finalize());
        c += 1;
    }
    out.truncate(n);
    out
}

#[test]
fn mgf1_against_rfc8017_definition() {
    // A fixed answer too: MGF1-SHA-1("foo", 3) = 1ac907 (the widely quoted example).
    let mut out = [0u8; 3];
    mgf1(HashAlgorithm::Sha1, b"foo", 3, &mut out).unwrap();
    assert_eq!(out.to_vec(), hex("1ac907"));
    let seed: Vec<u8> = (0..255u8).collect();
    for n in [0usize, 1, 20, 21, 64, 1000, 65528] {
        let mut out = vec![0u8; n];
        mgf1(HashAlgorithm::Sha1, &seed, n, &mut out).unwrap();
        assert_eq!(out, mgf1_ref::<Sha1>(&seed, n));
        mgf1(HashAlgorithm::Sha256, &seed[..32], n, &mut out).unwrap();
        assert_eq!(out, mgf1_ref::<Sha256>(&seed[..32], n));
        mgf1(HashAlgorithm::Md5, &seed[..7], n, &mut out).unwrap();
        assert_eq!(out, mgf1_ref::<Md5>(&seed[..7], n));
    }
    let mut out = vec![0u8; 100];
    mgf1(HashAlgorithm::Sha512, b"seed", 100, &mut out).unwrap();
    assert_eq!(out, mgf1_ref::<Sha512>(b"seed", 100));
}

#[test]
fn hkdf_rfc5869() {
    let recs = records(include_str!("data/asym/hkdf_rfc5869.txt"));
    assert_eq!(recs.len(), 2);
    for r in &recs {
        let ikm = hex(field(r, "ikm"));
        let salt = hex(field(r, "salt"));
        let info = hex(field(r, "info"));
        let prk = hex(field(r, "prk"));
        let okm = hex(field(r, "okm"));
        let suite = Tls13Suite::Aes128GcmSha256;
        let mut out = [0u8; 64];
        let ex = HkdfInput {
            secret: &ikm,
            seed: &salt,
            info: &info,
            labels: &[],
        };
        assert_eq!(
            hkdf_tls3(HkdfOp::Extract, suite, &ex, &mut out).unwrap(),
            32
        );
        assert_eq!(out[..32], prk[..]);
        let exp = HkdfInput {
            secret: &prk,
            seed: &[],
            info: &info,
            labels: &[],
        };
        assert_eq!(
            hkdf_tls3(HkdfOp::Expand, suite, &exp, &mut out).unwrap(),
            32
        );
        assert_eq!(out[..32], okm[..]);
        assert_eq!(
            hkdf_tls3(HkdfOp::ExtractExpand, suite, &ex, &mut out).unwrap(),
            64
        );
        assert_eq!(out.to_vec(), [prk.as_slice(), &okm].concat());
    }
}

#[test]
fn hkdf_random_against_aws_lc() {
    use aws_lc_rs::hkdf;
    struct Len(usize);
    impl hkdf::KeyType for Len {
        fn len(&self) -> usize {
            self.0
        }
    }
    let mut state = 9u64;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
        (state >> 33) as u8
    };
    for i in 0..24usize {
        let (suite, alg, h) = if i % 2 == 0 {
            (Tls13Suite::Aes256GcmSha384, hkdf::HKDF_SHA384, 48)
        } else {
            (Tls13Suite::Chacha20Poly1305Sha256, hkdf::HKDF_SHA256, 32)
        };
        let ikm: Vec<u8> = (0..(i * 7) % 81).map(|_| next()).collect();
        let salt: Vec<u8> = (0..(i * 5) % (h + 1)).map(|_| next()).collect();
        let info: Vec<u8> = (0..(i * 3) % 81).map(|_| next()).collect();
        let mut expect = vec![0u8; h];
        let prk = hkdf::Salt::new(alg, &salt).extract(&ikm);
        prk.expand(&[&info], Len(h))
            .unwrap()
            .fill(&mut expect)
            .unwrap();
        let mut out = vec![0u8; 2 * h];
        let input = HkdfInput {
            secret: &ikm,
            seed: &salt,
            info: &info,
            labels: &[],
        };
        assert_eq!(
            hkdf_tls3(HkdfOp::ExtractExpand, suite, &input, &mut out).unwrap(),
            2 * h
        );
        assert_eq!(out[h..], expect[..], "case {i}");
    }
}

#[test]
fn tls13_rfc8448_key_schedule() {
    let recs = records(include_str!("data/asym/tls13_rfc8448.txt"));
    assert_eq!(recs.len(), 5);
    for r in &recs {
        let op = match field(r, "op") {
            "Extract" => HkdfOp::Extract,
            "ExpandLabel" => HkdfOp::ExpandLabel,
            "ExtractExpandLabel" => HkdfOp::ExtractExpandLabel,
            o => panic!("{o}"),
        };
        let secret = hex(field(r, "secret"));
        let seed = hex(field(r, "seed"));
        let mut label_bytes = vec![];
        for i in 1..=2 {
            if let Some(l) = field_opt(r, &format!("label{i}")) {
                let sub: u8 = field(r, &format!("sublabels{i}")).parse().unwrap();
                label_bytes.push((hex(l), sub));
            }
        }
        let labels: Vec<HkdfLabel> = label_bytes
            .iter()
            .map(|(l, s)| HkdfLabel {
                label: l,
                sublabels: *s,
            })
            .collect();
        let expect = hex(field(r, "out"));
        let suite = Tls13Suite::Aes128GcmSha256;
        assert_eq!(hkdf_output_len(op, suite, &labels), expect.len());
        let mut out = vec![0u8; expect.len()];
        let input = HkdfInput {
            secret: &secret,
            seed: &seed,
            info: &[],
            labels: &labels,
        };
        assert_eq!(
            hkdf_tls3(op, suite, &input, &mut out).unwrap(),
            expect.len()
        );
        assert_eq!(out, expect, "{r:?}");
    }
    // The label encoder builds the same bytes as the file's s hs traffic label.
    let mut buf = [0u8; HKDF_LABEL_MAX];
    let ctx = hex("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");
    let n = encode_hkdf_label(32, b"s hs traffic", &ctx, &mut buf).unwrap();
    assert_eq!(buf[..n], hex("002012746c7331332073206873207472616666696320860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8")[..]);
}

#[test]
fn limits_are_refused() {
    let bad = |r: Result<(), AsymError>| matches!(r, Err(AsymError::InvalidParam(_)));
    let big = vec![1u8; 600];
    let seed64 = [2u8; 64];
    let mut out = vec![0u8; 300];
    let p = |secret: &'static [u8], seed: &'static [u8], label: &'static [u8], n: usize| PrfInput {
        secret,
        seed,
        user_label: label,
        generated_len: n,
    };
    let leak = |v: Vec<u8>| -> &'static [u8] { Box::leak(v.into_boxed_slice()) };
    let s513 = leak(big[..513].to_vec());
    let s512 = leak(big[..512].to_vec());
    let seed: &'static [u8] = leak(seed64.to_vec());
    let seed63: &'static [u8] = leak(seed64[..63].to_vec());
    let seed65: &'static [u8] = leak(vec![0u8; 65]);
    // SSL.
    assert!(ssl_key_gen(SslOp::MasterSecret, &p(s512, seed, b"", 248), &mut out).is_ok());
    assert!(bad(ssl_key_gen(
        SslOp::MasterSecret,
        &p(s513, seed, b"", 48),
        &mut out
    )));
    assert!(bad(ssl_key_gen(
        SslOp::MasterSecret,
        &p(s512, seed63, b"", 48),
        &mut out
    )));
    assert!(bad(ssl_key_gen(
        SslOp::MasterSecret,
        &p(s512, seed, b"", 249),
        &mut out
    )));
    assert!(bad(ssl_key_gen(
        SslOp::UserDefined,
        &p(s512, seed, leak(vec![1; 137]), 16),
        &mut out
    )));
    assert!(bad(ssl_key_gen(
        SslOp::UserDefined,
        &p(s512, seed, b"ab", 48),
        &mut out
    )));
    assert!(bad(ssl_key_gen(
        SslOp::MasterSecret,
        &p(s512, seed, b"", 48),
        &mut [0u8; 47]
    )));
    // TLS.
    for v2 in [false, true] {
        let run = |op: TlsOp, i: &PrfInput<'_>, o: &mut [u8]| {
            if v2 {
                tls_prf_v2(op, HashAlgorithm::Sha256, i, o)
            } else {
                tls_prf_v1(op, i, o)
            }
        };
        assert!(run(TlsOp::MasterSecret, &p(s512, seed, b"", 248), &mut out).is_ok());
        assert!(bad(run(
            TlsOp::MasterSecret,
            &p(s513, seed, b"", 48),
            &mut out
        )));
        assert!(bad(run(
            TlsOp::KeyMaterial,
            &p(s512, seed63, b"", 48),
            &mut out
        )));
        assert!(run(TlsOp::ClientFinished, &p(s512, seed63, b"", 12), &mut out).is_ok());
        assert!(bad(run(
            TlsOp::ServerFinished,
            &p(s512, seed65, b"", 12),
            &mut out
        )));
        assert!(bad(run(
            TlsOp::UserDefined,
            &p(s512, seed, leak(vec![1; 256]), 12),
            &mut out
        )));
        assert!(bad(run(
            TlsOp::MasterSecret,
            &p(s512, seed, b"", 249),
            &mut out
        )));
        assert!(bad(run(
            TlsOp::MasterSecret,
            &p(s512, seed, b"", 48),
            &mut [0u8; 40]
        )));
    }
    for h in [
        HashAlgorithm::Md5,
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha224,
        HashAlgorithm::Sm3,
    ] {
        assert!(bad(tls_prf_v2(
            TlsOp::MasterSecret,
            h,
            &p(s512, seed, b"", 48),
            &mut out
        )));
    }
    // MGF.
    assert!(bad(mgf1(HashAlgorithm::Sha1, &big[..256], 10, &mut out)));
    assert!(bad(mgf1(
        HashAlgorithm::Sha1,
        &big[..255],
        65529,
        &mut vec![0u8; 65529]
    )));
    assert!(bad(mgf1(HashAlgorithm::Sha1, b"x", 301, &mut out)));
    assert!(bad(mgf1(HashAlgorithm::Sha3_256, b"x", 10, &mut out)));
    // HKDF.
    let suite = Tls13Suite::Aes128GcmSha256;
    let hk =
        |op, secret: &[u8], seed: &[u8], info: &[u8], labels: &[HkdfLabel<'_>], o: &mut [u8]| {
            hkdf_tls3(
                op,
                suite,
                &HkdfInput {
                    secret,
                    seed,
                    info,
                    labels,
                },
                o,
            )
            .map(|_| ())
        };
    assert!(hk(HkdfOp::Extract, &big[..80], &big[..32], &[], &[], &mut out).is_ok());
    assert!(bad(hk(
        HkdfOp::Extract,
        &big[..81],
        &[],
        &[],
        &[],
        &mut out
    )));
    assert!(bad(hk(
        HkdfOp::Extract,
        &[],
        &big[..33],
        &[],
        &[],
        &mut out
    )));
    assert!(bad(hk(HkdfOp::Expand, &big[..33], &[], &[], &[], &mut out)));
    assert!(bad(hk(
        HkdfOp::Expand,
        &big[..32],
        &[],
        &big[..81],
        &[],
        &mut out
    )));
    assert!(bad(hk(HkdfOp::Extract, &[], &[], &[], &[], &mut [0u8; 31])));
    let l = HkdfLabel {
        label: &big[..78],
        sublabels: 0x0f,
    };
    assert!(hk(
        HkdfOp::ExpandLabel,
        &big[..32],
        &[],
        &[],
        &[l; 4],
        &mut vec![0u8; 496]
    )
    .is_ok());
    assert!(bad(hk(
        HkdfOp::ExpandLabel,
        &big[..32],
        &[],
        &[],
        &[l; 5],
        &mut out
    )));
    let long = HkdfLabel {
        label: &big[..79],
        sublabels: 0,
    };
    assert!(bad(hk(
        HkdfOp::ExpandLabel,
        &big[..32],
        &[],
        &[],
        &[long],
        &mut out
    )));
    let odd = HkdfLabel {
        label: b"x",
        sublabels: 0x10,
    };
    assert!(bad(hk(
        HkdfOp::ExpandLabel,
        &big[..32],
        &[],
        &[],
        &[odd],
        &mut out
    )));
}
