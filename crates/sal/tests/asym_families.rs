//! Every public-key family through the whole stack on the built-in 4xxx
//! endpoints, with known answers from primary sources: ECDSA P-256 with
//! the caller's k (RFC 6979 A.2.5), EC point multiply and ECDH, X25519
//! (RFC 7748 §5.2), Ed25519 public keys (RFC 8032 §7.1), SM2 sign and
//! verify, encrypt and decrypt, TLS 1.2 PRF (the IETF TLS list vector),
//! HKDF (RFC 5869 A.1) and MGF1; plus the refusals: binary fields are
//! UNSUPPORTED, DH is legacy-only on gen4.

use softqat_sal::asym::{
    sm2, EcCurve, EcCurveType, EcFieldType, EcPointMultiply, EcdhPointMultiply, EcdsaSignRs,
    EcdsaVerify, GenericPointMultiply, GenericPointVerify, HkdfOp, MontEdwdsCurve, Tls13Suite,
    TlsOp, WeierstrassParameters,
};
use softqat_sal::sym::HashAlgorithm;
use softqat_sal::{AsymFunction, AsymOp, CpaStatus, Qat};

#[path = "common/asym.rs"]
mod asym_common;

use asym_common::rfc6979_p256::{D, H, K, R, S, UX, UY};
use asym_common::{cy_asym as cy, hex, p256, run_ok as run};

fn rev(mut v: Vec<u8>) -> Vec<u8> {
    v.reverse();
    v
}

#[test]
fn ecdsa_p256_with_the_callers_k_and_ec_point_multiply() {
    let qat = Qat::start("ASYM_ECDSA").unwrap();
    let inst = cy(&qat);
    let [p, a, b, n, gx, gy] = p256();
    let [d, k, m] = [D, K, H].map(hex);
    let (sig, ok) = run(
        &inst,
        AsymOp::ecdsa_sign_rs(&EcdsaSignRs {
            xg: &gx,
            yg: &gy,
            n: &n,
            q: &p,
            a: &a,
            b: &b,
            k: &k,
            m: &m,
            d: &d,
            field_type: EcFieldType::Prime,
        }),
    );
    assert!(ok);
    assert_eq!(sig.output(0), &hex(R)[..]);
    assert_eq!(sig.output(1), &hex(S)[..]);
    // The public key is [d]G.
    let (pubk, ok) = run(
        &inst,
        AsymOp::ec_point_multiply(&EcPointMultiply {
            k: &d,
            xg: &gx,
            yg: &gy,
            a: &a,
            b: &b,
            q: &p,
            h: &[1],
            field_type: EcFieldType::Prime,
        }),
    );
    assert!(ok);
    assert_eq!(pubk.output(0), &hex(UX)[..]);
    assert_eq!(pubk.output(1), &hex(UY)[..]);
    let verify = |s: &[u8]| {
        run(
            &inst,
            AsymOp::ecdsa_verify(&EcdsaVerify {
                xg: &gx,
                yg: &gy,
                n: &n,
                q: &p,
                a: &a,
                b: &b,
                m: &m,
                r: &hex(R),
                s,
                xp: &hex(UX),
                yp: &hex(UY),
                field_type: EcFieldType::Prime,
            }),
        )
        .1
    };
    let before = inst.asym_stats(AsymFunction::EcdsaVerify).unwrap();
    assert!(verify(&hex(S)));
    let mut bad = hex(S);
    bad[31] ^= 1;
    assert!(!verify(&bad));
    let after = inst.asym_stats(AsymFunction::EcdsaVerify).unwrap();
    assert_eq!(after.completed, before.completed + 2);
    assert_eq!(after.outcome_false, before.outcome_false + 1);
    // ECDH: [k]([d]G) == [d]([k]G).
    let ecdh = |k: &[u8], x: &[u8], y: &[u8]| {
        let (o, ok) = run(
            &inst,
            AsymOp::ecdh_point_multiply(&EcdhPointMultiply {
                k,
                xg: x,
                yg: y,
                a: &a,
                b: &b,
                q: &p,
                h: &[1],
                field_type: EcFieldType::Prime,
                point_verify: true,
            }),
        );
        assert!(ok);
        (o.output(0).to_vec(), o.output(1).to_vec())
    };
    let (kx, ky) = ecdh(&k, &gx, &gy);
    assert_eq!(ecdh(&k, &hex(UX), &hex(UY)), ecdh(&d, &kx, &ky));
    // A point off the curve fails the verification (outcome false).
    let (_, ok) = run(
        &inst,
        AsymOp::ecdh_point_multiply(&EcdhPointMultiply {
            k: &k,
            xg: &gx,
            yg: &hex(UY),
            a: &a,
            b: &b,
            q: &p,
            h: &[1],
            field_type: EcFieldType::Prime,
            point_verify: true,
        }),
    );
    assert!(!ok);
    // The generic calls over the same curve: [d]G with the generator flag
    // and with G given, and U verified on the curve.
    let curve = EcCurve {
        curve_type: EcCurveType::WeierstrassPrime,
        parameters: WeierstrassParameters {
            field_type: EcFieldType::Prime,
            p: &p,
            a: &a,
            b: &b,
            h: &[1],
        },
    };
    for generator in [true, false] {
        let (g, ok) = run(
            &inst,
            AsymOp::ec_generic_point_multiply(&GenericPointMultiply {
                k: &d,
                xp: &gx,
                yp: &gy,
                curve: &curve,
                generator,
            }),
        );
        assert!(ok);
        assert_eq!(g.output(0), &hex(UX)[..]);
        assert_eq!(g.output(1), &hex(UY)[..]);
    }
    let on_curve = |x: &[u8], y: &[u8]| {
        run(
            &inst,
            AsymOp::ec_generic_point_verify(&GenericPointVerify {
                xp: x,
                yp: y,
                curve: &curve,
            }),
        )
        .1
    };
    assert!(on_curve(&hex(UX), &hex(UY)));
    assert!(!on_curve(&hex(UX), &gy));
    // Binary fields are not offered.
    let mut op = AsymOp::ec_point_multiply(&EcPointMultiply {
        k: &d,
        xg: &gx,
        yg: &gy,
        a: &a,
        b: &b,
        q: &p,
        h: &[1],
        field_type: EcFieldType::Binary,
    })
    .unwrap();
    let e = inst.asym_perform(&mut op).unwrap_err();
    assert_eq!(e.status, CpaStatus::Unsupported);
    assert!(e.to_string().contains("binary"), "{e}");
}

#[test]
fn x25519_and_ed25519_known_answers() {
    let qat = Qat::start("ASYM_MONT").unwrap();
    let inst = cy(&qat);
    // RFC 7748 §5.2, first vector; QAT's numbers are big-endian.
    let k = rev(hex(
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
    ));
    let u = rev(hex(
        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
    ));
    let (o, _) = run(
        &inst,
        AsymOp::ec_mont_edwds_point_multiply(MontEdwdsCurve::Curve25519, false, &k, &u, &[0; 32]),
    );
    assert_eq!(
        o.output(0),
        &rev(hex(
            "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"
        ))[..]
    );
    // RFC 8032 §7.1 test 1: A = [s]B, s the clamped low half of
    // SHA-512(secret), A encoded as y with x's parity in the top bit.
    let secret = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    let h = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA512, &secret);
    let mut s: Vec<u8> = h.as_ref()[..32].to_vec();
    s[0] &= 248;
    s[31] &= 127;
    s[31] |= 64;
    let (a, _) = run(
        &inst,
        AsymOp::ec_mont_edwds_point_multiply(
            MontEdwdsCurve::Ed25519,
            true,
            &rev(s),
            &[0; 32],
            &[0; 32],
        ),
    );
    let mut enc = rev(a.output(1).to_vec());
    enc[31] |= (a.output(0)[31] & 1) << 7;
    assert_eq!(
        enc,
        hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    );
}

#[test]
fn sm2_sign_verify_encrypt_decrypt_round_trip() {
    let qat = Qat::start("ASYM_SM2").unwrap();
    let inst = cy(&qat);
    let f = EcFieldType::Prime;
    let d = hex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8");
    let (pk, _) = run(
        &inst,
        AsymOp::sm2_generator_multiply(&sm2::GeneratorMultiply {
            k: &d,
            field_type: f,
        }),
    );
    let (xp, yp) = (pk.output(0).to_vec(), pk.output(1).to_vec());
    let (_, on) = run(
        &inst,
        AsymOp::sm2_point_verify(&sm2::PointVerify {
            x: &xp,
            y: &yp,
            field_type: f,
        }),
    );
    assert!(on);
    let e = hex("F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640");
    let k = hex("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21");
    let (sig, ok) = run(
        &inst,
        AsymOp::sm2_sign(&sm2::Sign {
            k: &k,
            e: &e,
            d: &d,
            field_type: f,
        }),
    );
    assert!(ok);
    // GB/T 32918.5 annex A's signature of this digest with this k.
    assert_eq!(
        sig.output(0),
        &hex("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3")[..]
    );
    assert_eq!(
        sig.output(1),
        &hex("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA")[..]
    );
    let verify = |e: &[u8]| {
        run(
            &inst,
            AsymOp::sm2_verify(&sm2::Verify {
                e,
                r: sig.output(0),
                s: sig.output(1),
                xp: &xp,
                yp: &yp,
                field_type: f,
            }),
        )
        .1
    };
    assert!(verify(&e));
    let mut e2 = e.clone();
    e2[0] ^= 0x80;
    assert!(!verify(&e2));
    // Encrypt with k, decrypt with d: the same shared point.
    let (c, _) = run(
        &inst,
        AsymOp::sm2_encrypt(&sm2::Encrypt {
            k: &k,
            xp: &xp,
            yp: &yp,
            field_type: f,
        }),
    );
    let (m, _) = run(
        &inst,
        AsymOp::sm2_decrypt(&sm2::Decrypt {
            d: &d,
            x1: c.output(0),
            y1: c.output(1),
            field_type: f,
        }),
    );
    assert_eq!(m.output(0), c.output(2));
    assert_eq!(m.output(1), c.output(3));
}

#[test]
fn key_generation_known_answers() {
    let qat = Qat::start("ASYM_KEYGEN").unwrap();
    let inst = cy(&qat);
    // The TLS 1.2 PRF (SHA-256) vector posted to the IETF TLS list.
    let (o, _) = run(
        &inst,
        AsymOp::key_gen_tls2(
            TlsOp::UserDefined,
            HashAlgorithm::Sha256,
            &hex("9bbe436ba940f017b17652849a71db35"),
            &hex("a0ba9f936cda311827a6f796ffd5198c"),
            b"test label",
            100,
        ),
    );
    assert_eq!(
        o.output(0),
        &hex(
            "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b
             4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee
             42c5a72e5a5110fff70187347b66"
        )[..]
    );
    // RFC 5869 A.1: PRK = HKDF-Extract(salt, IKM), SHA-256.
    let (o, _) = run(
        &inst,
        AsymOp::key_gen_tls3(
            HkdfOp::Extract,
            Tls13Suite::Aes128GcmSha256,
            &hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
            &hex("000102030405060708090a0b0c"),
            &[],
            &[],
        ),
    );
    assert_eq!(
        o.output(0),
        &hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5")[..]
    );
    // MGF1-SHA-1 over "foo": the RFC 8017 construction, first 3 bytes
    // 1a c9 07 (the example of the PKCS #1 test material).
    let (o, _) = run(&inst, AsymOp::key_gen_mgf(b"foo", 3));
    assert_eq!(o.output(0), &[0x1a, 0xc9, 0x07]);
    let (o2, _) = run(
        &inst,
        AsymOp::key_gen_mgf_ext(b"foo", HashAlgorithm::Sha1, 3),
    );
    assert_eq!(o2.output(0), o.output(0));
}

#[test]
fn dh_is_legacy_only_on_gen4() {
    let qat = Qat::start("ASYM_DH").unwrap();
    let inst = cy(&qat);
    if softqat_sal::sym::legacy_algorithms_enabled() {
        return;
    }
    assert!(!inst.capabilities().dh_supported);
    assert!(inst.capabilities().rsa_supported);
    let mut op = AsymOp::dh_phase1(&[0xff; 256], &[2], &[5]).unwrap();
    let e = inst.asym_perform(&mut op).unwrap_err();
    assert_eq!(e.status, CpaStatus::Unsupported);
    assert!(e.to_string().contains("SOFTQAT_LEGACY_ALGORITHMS"), "{e}");
}
