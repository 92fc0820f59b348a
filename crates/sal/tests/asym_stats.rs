//! The per-family statistics of the public-key service (`CpaCyRsaStats64`,
//! `CpaCyDhStats64`, …) on the built-in endpoints: after every request,
//! all ten structures of the instance are read and compared, whole, with
//! the previous reading plus exactly the fields the request should move —
//! successes, completed errors, false outcomes (failed verifies, invalid
//! outputs, composite prime candidates), refusals, and the functions that
//! share a family's counters.

#[path = "common/asym.rs"]
mod asym_common;
mod common;

use std::sync::{Arc, Mutex};

use asym_common::rfc6979_p256::{D, H, K, UX, UY};
use asym_common::{cy_asym as cy, hex, next_prime, odd_1024, p256, run, OAKLEY2};

use softqat_sal::asym::{
    sm2, EcFieldType, EcPointMultiply, EcPointVerify, EcdhPointMultiply, EcdsaSignRs, EcdsaVerify,
    HkdfOp, MontEdwdsCurve, SslOp, Tls13Suite, TlsOp,
};
use softqat_sal::sym::HashAlgorithm;
use softqat_sal::{
    AsymCallback, AsymFunction, AsymOp, CpaStatus, CyInstance, DhStats, DsaStats, EcStats,
    EcdhStats, EcdsaStats, KeyGenStats, LnStats, PrimeStats, Qat, RsaPrivateKey, RsaStats,
    Sm2Stats,
};

/// Every family structure of one instance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct All {
    rsa: RsaStats,
    dh: DhStats,
    dsa: DsaStats,
    ec: EcStats,
    ecdh: EcdhStats,
    ecdsa: EcdsaStats,
    sm2: Sm2Stats,
    ln: LnStats,
    prime: PrimeStats,
    key_gen: KeyGenStats,
}

fn all(inst: &CyInstance) -> All {
    All {
        rsa: inst.rsa_stats().unwrap(),
        dh: inst.dh_stats().unwrap(),
        dsa: inst.dsa_stats().unwrap(),
        ec: inst.ec_stats().unwrap(),
        ecdh: inst.ecdh_stats().unwrap(),
        ecdsa: inst.ecdsa_stats().unwrap(),
        sm2: inst.sm2_stats().unwrap(),
        ln: inst.ln_stats().unwrap(),
        prime: inst.prime_stats().unwrap(),
        key_gen: inst.key_gen_stats().unwrap(),
    }
}

/// Asserts that the instance's statistics are exactly `want` (the previous
/// reading with the expected fields moved), saying after which step.
#[track_caller]
fn check(inst: &CyInstance, want: &All, step: &str) {
    assert_eq!(&all(inst), want, "after {step}");
}

/// Submits `op` asynchronously and polls until its callback ran: its
/// status and outcome.
fn run_async(inst: &CyInstance, op: AsymOp) -> (CpaStatus, bool) {
    let got: Arc<Mutex<Option<(CpaStatus, bool)>>> = Arc::default();
    let g = got.clone();
    let cb: AsymCallback =
        Arc::new(move |c| *g.lock().unwrap() = Some((c.results.status, c.results.outcome)));
    inst.asym_submit(op, 7, &cb).unwrap();
    let start = std::time::Instant::now();
    loop {
        if let Some(r) = *got.lock().unwrap() {
            return r;
        }
        let _ = inst.poll(0);
        assert!(start.elapsed().as_secs() < 10, "no completion");
    }
}

#[test]
fn rsa_ln_prime_dh_and_dsa_statistics_move_exactly() {
    let qat = Qat::start("ASYM_STATS_RSA").unwrap();
    let inst = cy(&qat);
    let mut want = all(&inst);

    // LN: a modular exponentiation, then an inversion without a result.
    let (r, ok) = run(&inst, AsymOp::ln_mod_exp(&[1, 0xf1], &[4], &[13]));
    assert_eq!((r.output(0), ok), (&[1u8, 0xbd][..], Ok(true)));
    want.ln.num_ln_mod_exp_requests += 1;
    want.ln.num_ln_mod_exp_completed += 1;
    check(&inst, &want, "LnModExp");
    let (_, e) = run(&inst, AsymOp::ln_mod_inv(&[6], &[9]));
    assert_eq!(e, Err(CpaStatus::Fail));
    want.ln.num_ln_mod_inv_requests += 1;
    want.ln.num_ln_mod_inv_completed_errors += 1;
    check(&inst, &want, "LnModInv without an inverse");

    // Prime tests: a prime, then a composite (a completion, not an error).
    let mut w = vec![0u8; 128];
    w[127] = 3;
    let (_, prime) = run(
        &inst,
        AsymOp::prime_test(&hex(OAKLEY2), true, true, 1, &w, true),
    );
    assert_eq!(prime, Ok(true));
    want.prime.num_prime_test_requests += 1;
    want.prime.num_prime_test_completed += 1;
    check(&inst, &want, "PrimeTest of a prime");
    let (_, prime) = run(
        &inst,
        AsymOp::prime_test(&[0x07, 0xff], false, false, 1, &w[64..], false),
    );
    assert_eq!(prime, Ok(false));
    want.prime.num_prime_test_requests += 1;
    want.prime.num_prime_test_completed += 1;
    want.prime.num_prime_test_failures += 1;
    check(&inst, &want, "PrimeTest of 2047");

    // RSA-2048 from the Oakley prime and a prime the service finds: every
    // candidate tested is a prime test, all but the last failures.
    let (q, tries) = next_prime(&inst, odd_1024(7));
    want.prime.num_prime_test_requests += tries;
    want.prime.num_prime_test_completed += tries;
    want.prime.num_prime_test_failures += tries - 1;
    check(&inst, &want, "the search for a prime");
    // Key generation, encryption, and decryption with both representations
    // (one counter set for both).
    let (p, e) = (hex(OAKLEY2), [1u8, 0, 1]);
    let (key, ok) = run(&inst, AsymOp::rsa_keygen(&p, &q, &e, false));
    assert_eq!(ok, Ok(true));
    let [n, d, dp, dq, qinv] = [0, 1, 2, 3, 4].map(|i| key.output(i).to_vec());
    want.rsa.num_rsa_key_gen_requests += 1;
    want.rsa.num_rsa_key_gen_completed += 1;
    check(&inst, &want, "RsaKeyGen");
    let mut m = odd_1024(99);
    m.extend(odd_1024(100));
    m[0] = 0x12; // below n
    let (c, ok) = run(&inst, AsymOp::rsa_encrypt(&n, &e, &m));
    assert_eq!(ok, Ok(true));
    want.rsa.num_rsa_encrypt_requests += 1;
    want.rsa.num_rsa_encrypt_completed += 1;
    check(&inst, &want, "RsaEncrypt");
    let rep1 = RsaPrivateKey::Rep1 { n: &n, d: &d };
    let rep2 = RsaPrivateKey::Rep2 {
        p: &p,
        q: &q,
        dp: &dp,
        dq: &dq,
        qinv: &qinv,
    };
    for key in [rep1, rep2] {
        let (back, ok) = run(&inst, AsymOp::rsa_decrypt(&key, c.output(0)));
        assert_eq!(ok, Ok(true));
        assert_eq!(back.output(0), &m[..], "{key:?}");
        want.rsa.num_rsa_decrypt_requests += 1;
        want.rsa.num_rsa_decrypt_completed += 1;
        check(&inst, &want, &format!("RsaDecrypt with {key:?}"));
    }
    // An input not below the modulus fails in the engine: a completed error.
    let (_, r) = run(&inst, AsymOp::rsa_encrypt(&n, &e, &[0xff; 256]));
    assert_eq!(r, Err(CpaStatus::InvalidParam));
    want.rsa.num_rsa_encrypt_requests += 1;
    want.rsa.num_rsa_encrypt_completed_errors += 1;
    check(&inst, &want, "RsaEncrypt of a number above n");

    // Refusals: a stopped instance takes nothing; each refusal is a request
    // error of its own function, and no request.
    inst.stop().unwrap();
    let (_, r) = run(&inst, AsymOp::rsa_decrypt(&rep2, c.output(0)));
    assert_eq!(r, Err(CpaStatus::Fail));
    want.rsa.num_rsa_decrypt_request_errors += 1;
    let (_, r) = run(&inst, AsymOp::ln_mod_exp(&[1, 0xf1], &[4], &[13]));
    assert_eq!(r, Err(CpaStatus::Fail));
    want.ln.num_ln_mod_exp_request_errors += 1;
    check(&inst, &want, "requests to a stopped instance");
    inst.start().unwrap();

    // DH and DSA: offered only with the legacy algorithms on gen4;
    // otherwise refused at submission.
    let oakley = hex(OAKLEY2);
    let (_, r) = run(&inst, AsymOp::dh_phase1(&oakley, &[2], &[5]));
    if inst.capabilities().dh_supported {
        assert_eq!(r, Ok(true));
        want.dh.num_dh_phase1_key_gen_requests += 1;
        want.dh.num_dh_phase1_key_gen_completed += 1;
    } else {
        assert_eq!(r, Err(CpaStatus::Unsupported));
        want.dh.num_dh_phase1_key_gen_request_errors += 1;
    }
    check(&inst, &want, "DhPhase1");
    let (_, r) = run(&inst, AsymOp::dsa_gen_y(&oakley, &[2], &[5]));
    if inst.capabilities().dsa_supported {
        assert_eq!(r, Ok(true));
        want.dsa.num_dsa_y_param_gen_requests += 1;
        want.dsa.num_dsa_y_param_gen_completed += 1;
    } else {
        assert_eq!(r, Err(CpaStatus::Unsupported));
        want.dsa.num_dsa_y_param_gen_request_errors += 1;
    }
    check(&inst, &want, "DsaGenY");

    // Nothing softqat lacks ever counts.
    let s = all(&inst);
    assert_eq!(
        [
            s.rsa.num_kpt_rsa_decrypt_requests,
            s.rsa.num_kpt_rsa_decrypt_request_errors,
            s.rsa.num_kpt_rsa_decrypt_completed,
            s.rsa.num_kpt_rsa_decrypt_completed_errors,
        ],
        [0; 4]
    );
    // The family structures are sums of the per-function counters.
    let dec = inst.asym_stats(AsymFunction::RsaDecrypt).unwrap();
    let crt = inst.asym_stats(AsymFunction::RsaDecryptCrt).unwrap();
    assert_eq!((dec.completed, crt.completed), (1, 1));
    assert_eq!(
        s.rsa.num_rsa_decrypt_request_errors,
        dec.request_errors + crt.request_errors
    );
    inst.stop().unwrap();
}

#[test]
fn ec_ecdh_ecdsa_sm2_and_key_gen_statistics_move_exactly() {
    let qat = Qat::start("ASYM_STATS_EC").unwrap();
    let inst = cy(&qat);
    let [p, a, b, n, gx, gy] = p256();
    let [d, k, m] = [D, K, H].map(hex);
    let f = EcFieldType::Prime;
    let mut want = all(&inst);

    // ECDSA: sign R and S, then verify the signature and a forged one (a
    // verify failure is a completion with a false outcome).
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
            field_type: f,
        }),
    );
    assert_eq!(ok, Ok(true));
    want.ecdsa.num_ecdsa_sign_rs_requests += 1;
    want.ecdsa.num_ecdsa_sign_rs_completed += 1;
    check(&inst, &want, "EcdsaSignRS");
    let (ux, uy) = (hex(UX), hex(UY));
    let verify = |s: &[u8]| {
        AsymOp::ecdsa_verify(&EcdsaVerify {
            xg: &gx,
            yg: &gy,
            n: &n,
            q: &p,
            a: &a,
            b: &b,
            m: &m,
            r: sig.output(0),
            s,
            xp: &ux,
            yp: &uy,
            field_type: f,
        })
    };
    assert_eq!(run(&inst, verify(sig.output(1))).1, Ok(true));
    want.ecdsa.num_ecdsa_verify_requests += 1;
    want.ecdsa.num_ecdsa_verify_completed += 1;
    check(&inst, &want, "EcdsaVerify of a good signature");
    let mut forged = sig.output(1).to_vec();
    forged[31] ^= 1;
    assert_eq!(run(&inst, verify(&forged)).1, Ok(false));
    want.ecdsa.num_ecdsa_verify_requests += 1;
    want.ecdsa.num_ecdsa_verify_completed += 1;
    want.ecdsa.num_ecdsa_verify_completed_output_invalid += 1;
    check(&inst, &want, "EcdsaVerify of a forged signature");
    // The same failure through a callback counts the same way.
    let r = run_async(&inst, verify(&forged).unwrap());
    assert_eq!(r, (CpaStatus::Success, false));
    want.ecdsa.num_ecdsa_verify_requests += 1;
    want.ecdsa.num_ecdsa_verify_completed += 1;
    want.ecdsa.num_ecdsa_verify_completed_output_invalid += 1;
    check(
        &inst,
        &want,
        "an asynchronous EcdsaVerify of a forged signature",
    );

    // EC point multiplication: the Weierstrass call and X25519 share the
    // counters; a binary field is a completed error.
    let pm = |field_type| {
        AsymOp::ec_point_multiply(&EcPointMultiply {
            k: &d,
            xg: &gx,
            yg: &gy,
            a: &a,
            b: &b,
            q: &p,
            h: &[1],
            field_type,
        })
    };
    let (pubk, ok) = run(&inst, pm(f));
    assert_eq!(ok, Ok(true));
    assert_eq!((pubk.output(0), pubk.output(1)), (&ux[..], &uy[..]));
    want.ec.num_ec_point_multiply_requests += 1;
    want.ec.num_ec_point_multiply_completed += 1;
    check(&inst, &want, "EcPointMultiply");
    let (_, ok) = run(
        &inst,
        AsymOp::ec_mont_edwds_point_multiply(
            MontEdwdsCurve::Curve25519,
            false,
            &[0x40; 32],
            &[9; 32],
            &[0; 32],
        ),
    );
    assert_eq!(ok, Ok(true));
    want.ec.num_ec_point_multiply_requests += 1;
    want.ec.num_ec_point_multiply_completed += 1;
    check(&inst, &want, "EcMontEdwdsPointMultiply");
    let (_, r) = run(&inst, pm(EcFieldType::Binary));
    assert_eq!(r, Err(CpaStatus::Unsupported));
    want.ec.num_ec_point_multiply_requests += 1;
    want.ec.num_ec_point_multiply_completed_error += 1;
    check(&inst, &want, "EcPointMultiply over a binary field");

    // EC point verification: the public key is on the curve, (Gx, Uy) is
    // not (a completion with an invalid output).
    let pv = |xq: &[u8], yq: &[u8]| {
        AsymOp::ec_point_verify(&EcPointVerify {
            xq,
            yq,
            q: &p,
            a: &a,
            b: &b,
            field_type: f,
        })
    };
    assert_eq!(run(&inst, pv(&ux, &uy)).1, Ok(true));
    want.ec.num_ec_point_verify_requests += 1;
    want.ec.num_ec_point_verify_completed += 1;
    check(&inst, &want, "EcPointVerify");
    assert_eq!(run(&inst, pv(&gx, &uy)).1, Ok(false));
    want.ec.num_ec_point_verify_requests += 1;
    want.ec.num_ec_point_verify_completed += 1;
    want.ec.num_ec_point_verify_completed_output_invalid += 1;
    check(&inst, &want, "EcPointVerify of a point off the curve");

    // ECDH with point verification: a point on the curve, one off it.
    let ecdh = |yg: &[u8]| {
        AsymOp::ecdh_point_multiply(&EcdhPointMultiply {
            k: &k,
            xg: &gx,
            yg,
            a: &a,
            b: &b,
            q: &p,
            h: &[1],
            field_type: f,
            point_verify: true,
        })
    };
    assert_eq!(run(&inst, ecdh(&gy)).1, Ok(true));
    want.ecdh.num_ecdh_point_multiply_requests += 1;
    want.ecdh.num_ecdh_point_multiply_completed += 1;
    check(&inst, &want, "EcdhPointMultiply");
    assert_eq!(run(&inst, ecdh(&uy)).1, Ok(false));
    want.ecdh.num_ecdh_point_multiply_requests += 1;
    want.ecdh.num_ecdh_point_multiply_completed += 1;
    want.ecdh.num_ecdh_request_completed_output_invalid += 1;
    check(&inst, &want, "EcdhPointMultiply of a point off the curve");

    // SM2: the public key, a signature, its verification and a failed one.
    let sd = hex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8");
    let (pk, ok) = run(
        &inst,
        AsymOp::sm2_generator_multiply(&sm2::GeneratorMultiply {
            k: &sd,
            field_type: f,
        }),
    );
    assert_eq!(ok, Ok(true));
    want.sm2.num_ecsm2_generator_multiply_requests += 1;
    want.sm2.num_ecsm2_generator_multiply_completed += 1;
    check(&inst, &want, "Sm2GeneratorMultiply");
    let e = hex("F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640");
    let sk = hex("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21");
    let (ssig, ok) = run(
        &inst,
        AsymOp::sm2_sign(&sm2::Sign {
            k: &sk,
            e: &e,
            d: &sd,
            field_type: f,
        }),
    );
    assert_eq!(ok, Ok(true));
    want.sm2.num_ecsm2_sign_requests += 1;
    want.sm2.num_ecsm2_sign_completed += 1;
    check(&inst, &want, "Sm2Sign");
    let sm2_verify = |e: &[u8]| {
        AsymOp::sm2_verify(&sm2::Verify {
            e,
            r: ssig.output(0),
            s: ssig.output(1),
            xp: pk.output(0),
            yp: pk.output(1),
            field_type: f,
        })
    };
    assert_eq!(run(&inst, sm2_verify(&e)).1, Ok(true));
    want.sm2.num_ecsm2_verify_requests += 1;
    want.sm2.num_ecsm2_verify_completed += 1;
    check(&inst, &want, "Sm2Verify");
    let mut e2 = e.clone();
    e2[0] ^= 0x80;
    assert_eq!(run(&inst, sm2_verify(&e2)).1, Ok(false));
    want.sm2.num_ecsm2_verify_requests += 1;
    want.sm2.num_ecsm2_verify_completed += 1;
    want.sm2.num_ecsm2_verify_completed_output_invalid += 1;
    check(&inst, &want, "Sm2Verify of another digest");

    // Key generation: SSL, the three TLS calls on one counter set, and both
    // MGF calls on another.
    let (_, ok) = run(
        &inst,
        AsymOp::key_gen_ssl(SslOp::KeyMaterial, &[1; 48], &[2; 64], &[], 16),
    );
    assert_eq!(ok, Ok(true));
    want.key_gen.num_ssl_key_gen_requests += 1;
    want.key_gen.num_ssl_key_gen_completed += 1;
    check(&inst, &want, "KeyGenSsl");
    let (_, ok) = run(
        &inst,
        AsymOp::key_gen_tls(TlsOp::KeyMaterial, &[1; 48], &[2; 64], &[], 16),
    );
    assert_eq!(ok, Ok(true));
    let (_, ok2) = run(
        &inst,
        AsymOp::key_gen_tls2(
            TlsOp::UserDefined,
            HashAlgorithm::Sha256,
            &[1; 16],
            &[2; 16],
            b"test label",
            32,
        ),
    );
    assert_eq!(ok2, Ok(true));
    let (_, ok3) = run(
        &inst,
        AsymOp::key_gen_tls3(
            HkdfOp::Extract,
            Tls13Suite::Aes128GcmSha256,
            &[0x0b; 22],
            &[1; 13],
            &[],
            &[],
        ),
    );
    assert_eq!(ok3, Ok(true));
    want.key_gen.num_tls_key_gen_requests += 3;
    want.key_gen.num_tls_key_gen_completed += 3;
    check(&inst, &want, "KeyGenTls, KeyGenTls2 and KeyGenTls3");
    let (_, ok) = run(&inst, AsymOp::key_gen_mgf(b"foo", 3));
    assert_eq!(ok, Ok(true));
    let (_, ok) = run(
        &inst,
        AsymOp::key_gen_mgf_ext(b"foo", HashAlgorithm::Sha256, 3),
    );
    assert_eq!(ok, Ok(true));
    want.key_gen.num_mgf_key_gen_requests += 2;
    want.key_gen.num_mgf_key_gen_completed += 2;
    check(&inst, &want, "KeyGenMgf and KeyGenMgfExt");

    // A refusal: the stopped instance.
    inst.stop().unwrap();
    let (_, r) = run(&inst, verify(sig.output(1)));
    assert_eq!(r, Err(CpaStatus::Fail));
    want.ecdsa.num_ecdsa_verify_request_errors += 1;
    check(&inst, &want, "EcdsaVerify on a stopped instance");

    // KPT never counts.
    let s = all(&inst).ecdsa;
    assert_eq!(
        [
            s.num_kpt_ecdsa_sign_rs_completed_output_invalid,
            s.num_kpt_ecdsa_sign_rs_completed,
            s.num_kpt_ecdsa_sign_rs_requests,
            s.num_kpt_ecdsa_sign_rs_request_errors,
            s.num_kpt_ecdsa_sign_rs_completed_errors,
        ],
        [0; 5]
    );
}

#[test]
fn an_instance_without_the_public_key_service_has_no_family_statistics() {
    let dir = common::TempDir::with_files(
        "asymstatsnone",
        &[(
            "4xxx_dev0.conf",
            &common::cy_endpoint_conf("sym", "ASYMSTATSNONE", &[1], 64),
        )],
    );
    let qat = Qat::start_with("ASYMSTATSNONE", &dir.options(1)).unwrap();
    let inst = &qat.cy_instances()[0];
    assert!(inst.has_sym() && !inst.has_asym());
    inst.start().unwrap();
    let errors = [
        inst.rsa_stats().map(|_| ()),
        inst.dh_stats().map(|_| ()),
        inst.dsa_stats().map(|_| ()),
        inst.ec_stats().map(|_| ()),
        inst.ecdh_stats().map(|_| ()),
        inst.ecdsa_stats().map(|_| ()),
        inst.sm2_stats().map(|_| ()),
        inst.ln_stats().map(|_| ()),
        inst.prime_stats().map(|_| ()),
        inst.key_gen_stats().map(|_| ()),
    ];
    for e in errors {
        let e = e.unwrap_err();
        assert_eq!(e.status, CpaStatus::Unsupported);
        assert!(e.to_string().contains("ServicesEnabled"), "{e}");
    }
}
