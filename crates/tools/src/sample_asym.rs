//! The public-key part of `softqat sample`, after `cpa_sample_code`'s asym
//! tests: functional checks with known answers (RFC 6979 ECDSA P-256 with
//! its k, RFC 7748 X25519, RFC 8032 Ed25519, GB/T 32918.5 SM2, an RSA
//! round trip whose two private-key forms agree, ECDH agreement, DH when
//! offered), then the operations-per-second table of the sample code's set:
//! RSA-2048 and RSA-4096 CRT decryption, ECDSA P-256 and P-384 sign and
//! verify, ECDH P-256, DH-2048 (gen4 offers DH with legacy algorithms only,
//! as qatlib builds it), X25519, Ed25519 and SM2 signing.

use softqat_sal::asym::{
    nist_curve, sm2, EcFieldType, EcdhPointMultiply, EcdsaSignRs, EcdsaVerify, MontEdwdsCurve,
    NistCurve,
};
use softqat_sal::{AsymOp, CyInstance};

use crate::bench_asym::{perform, rsa_key, stack_ops, RsaKey};
use crate::sample::{ensure, run_checks, Check, NamedCheck};

fn hex(s: &str) -> Vec<u8> {
    let s: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    s.chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap_or("00"), 16).unwrap_or(0))
        .collect()
}

fn rev(mut v: Vec<u8>) -> Vec<u8> {
    v.reverse();
    v
}

/// A NIST curve's parameters: p, a, b, n, Gx, Gy.
struct Curve([Vec<u8>; 6]);

fn nist(c: NistCurve) -> Result<Curve, String> {
    let t = nist_curve(c).map_err(|e| e.to_string())?;
    Ok(Curve([t.p, t.a, t.b, t.n, t.gx, t.gy]))
}

/// An ECDSA signature (r, s) of digest `m` with key `d` and nonce `k`.
fn ecdsa_sign(
    inst: &CyInstance,
    c: &Curve,
    d: &[u8],
    k: &[u8],
    m: &[u8],
) -> Result<AsymOp, String> {
    let [p, a, b, n, gx, gy] = &c.0;
    let (op, ok) = perform(
        inst,
        AsymOp::ecdsa_sign_rs(&EcdsaSignRs {
            xg: gx,
            yg: gy,
            n,
            q: p,
            a,
            b,
            k,
            m,
            d,
            field_type: EcFieldType::Prime,
        }),
    )?;
    ensure(ok, || "r or s came out zero".into())?;
    Ok(op)
}

fn ecdh(inst: &CyInstance, c: &Curve, k: &[u8], x: &[u8], y: &[u8]) -> Result<AsymOp, String> {
    let [p, a, b, ..] = &c.0;
    let (op, ok) = perform(
        inst,
        AsymOp::ecdh_point_multiply(&EcdhPointMultiply {
            k,
            xg: x,
            yg: y,
            a,
            b,
            q: p,
            h: &[1],
            field_type: EcFieldType::Prime,
            point_verify: true,
        }),
    )?;
    ensure(ok, || "the point failed verification".into())?;
    Ok(op)
}

fn ecdsa_verify_op(
    c: &Curve,
    m: &[u8],
    sig: &AsymOp,
    pubk: &AsymOp,
) -> softqat_sal::Result<AsymOp> {
    let [p, a, b, n, gx, gy] = &c.0;
    AsymOp::ecdsa_verify(&EcdsaVerify {
        xg: gx,
        yg: gy,
        n,
        q: p,
        a,
        b,
        m,
        r: sig.output(0),
        s: sig.output(1),
        xp: pubk.output(0),
        yp: pubk.output(1),
        field_type: EcFieldType::Prime,
    })
}

const D256: &str = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
const K256: &str = "A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60";
const M256: &str = "AF2BDBE1AA9B6EC1E2ADE1D694F41FC71A831D0268E9891562113D8A62ADD1BF";

fn check_ecdsa_p256(inst: &CyInstance) -> Check {
    let c = nist(NistCurve::P256)?;
    let sig = ecdsa_sign(inst, &c, &hex(D256), &hex(K256), &hex(M256))?;
    ensure(
        sig.output(0) == hex("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716")
            && sig.output(1)
                == hex("F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"),
        || "the signature differs from RFC 6979 A.2.5".into(),
    )?;
    let pubk = ecdh(inst, &c, &hex(D256), &c.0[4], &c.0[5])?;
    let (_, ok) = perform(inst, ecdsa_verify_op(&c, &hex(M256), &sig, &pubk))?;
    ensure(ok, || "the signature does not verify".into())?;
    Ok("RFC 6979 A.2.5 known answer, verified".into())
}

fn check_ecdh(inst: &CyInstance) -> Check {
    let c = nist(NistCurve::P256)?;
    let (a, b) = (hex(D256), hex(K256));
    let pa = ecdh(inst, &c, &a, &c.0[4], &c.0[5])?;
    let pb = ecdh(inst, &c, &b, &c.0[4], &c.0[5])?;
    let sa = ecdh(inst, &c, &a, pb.output(0), pb.output(1))?;
    let sb = ecdh(inst, &c, &b, pa.output(0), pa.output(1))?;
    ensure(sa.output(0) == sb.output(0), || {
        "the two sides differ".into()
    })?;
    Ok("both sides agree".into())
}

fn check_x25519(inst: &CyInstance) -> Check {
    let k = rev(hex(
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
    ));
    let u = rev(hex(
        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
    ));
    let (o, _) = perform(
        inst,
        AsymOp::ec_mont_edwds_point_multiply(MontEdwdsCurve::Curve25519, false, &k, &u, &[0; 32]),
    )?;
    ensure(
        o.output(0)
            == rev(hex(
                "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
            )),
        || "differs from RFC 7748 §5.2".into(),
    )?;
    Ok("RFC 7748 §5.2 known answer".into())
}

fn check_ed25519(inst: &CyInstance) -> Check {
    // RFC 8032 §7.1 test 1: A = [s]B.
    let secret = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    let h = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA512, &secret);
    let mut s = h.as_ref()[..32].to_vec();
    s[0] &= 248;
    s[31] &= 127;
    s[31] |= 64;
    let (a, _) = perform(
        inst,
        AsymOp::ec_mont_edwds_point_multiply(
            MontEdwdsCurve::Ed25519,
            true,
            &rev(s),
            &[0; 32],
            &[0; 32],
        ),
    )?;
    let mut enc = rev(a.output(1).to_vec());
    enc[31] |= (a.output(0)[31] & 1) << 7;
    ensure(
        enc == hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
        || "the public key differs from RFC 8032 §7.1".into(),
    )?;
    Ok("RFC 8032 §7.1 public key".into())
}

const SM2_D: &str = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8";
const SM2_E: &str = "F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640";
const SM2_K: &str = "59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21";

fn sm2_sign_op(d: &[u8], e: &[u8], k: &[u8]) -> softqat_sal::Result<AsymOp> {
    AsymOp::sm2_sign(&sm2::Sign {
        k,
        e,
        d,
        field_type: EcFieldType::Prime,
    })
}

fn check_sm2(inst: &CyInstance) -> Check {
    let (sig, ok) = perform(inst, sm2_sign_op(&hex(SM2_D), &hex(SM2_E), &hex(SM2_K)))?;
    ensure(
        ok && sig.output(0)
            == hex("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3")
            && sig.output(1)
                == hex("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"),
        || "the signature differs from GB/T 32918.5 annex A".into(),
    )?;
    Ok("GB/T 32918.5 known answer".into())
}

fn check_rsa(inst: &CyInstance, key: &RsaKey) -> Check {
    let mut m = key.n.clone();
    m[0] = 0x5a;
    let (c, _) = perform(inst, AsymOp::rsa_encrypt(&key.n, &[1, 0, 1], &m))?;
    let (m1, _) = perform(inst, AsymOp::rsa_decrypt(&key.crt(), c.output(0)))?;
    let rep1 = softqat_sal::RsaPrivateKey::Rep1 {
        n: &key.n,
        d: &key.d,
    };
    let (m2, _) = perform(inst, AsymOp::rsa_decrypt(&rep1, c.output(0)))?;
    ensure(m1.output(0) == m && m2.output(0) == m, || {
        "decryption does not give the message back".into()
    })?;
    Ok("encrypt, CRT and (n, d) decrypt agree".into())
}

/// The RFC 3526 2048-bit MODP group (group 14) prime; generator 2.
const MODP_2048: &str = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF";

fn check_dh(inst: &CyInstance) -> Check {
    if !inst.capabilities().dh_supported {
        return Ok(
            "not offered on this endpoint (legacy algorithm: SOFTQAT_LEGACY_ALGORITHMS=1)".into(),
        );
    }
    let p = hex(MODP_2048);
    let (xa, xb) = (vec![0x3c; 32], vec![0x5d; 32]);
    let (ya, _) = perform(inst, AsymOp::dh_phase1(&p, &[2], &xa))?;
    let (yb, _) = perform(inst, AsymOp::dh_phase1(&p, &[2], &xb))?;
    let (sa, _) = perform(inst, AsymOp::dh_phase2(&p, yb.output(0), &xa))?;
    let (sb, _) = perform(inst, AsymOp::dh_phase2(&p, ya.output(0), &xb))?;
    ensure(sa.output(0) == sb.output(0), || {
        "the two sides differ".into()
    })?;
    Ok("RFC 3526 group 14: both sides agree".into())
}

/// The functional checks; (passed, failed).
pub(crate) fn functional(inst: &CyInstance, key: &RsaKey) -> (usize, usize) {
    let checks: Vec<NamedCheck<'_>> = vec![
        ("RSA-2048 round trip", Box::new(|| check_rsa(inst, key))),
        (
            "ECDSA P-256 sign and verify",
            Box::new(|| check_ecdsa_p256(inst)),
        ),
        ("ECDH P-256", Box::new(|| check_ecdh(inst))),
        ("X25519", Box::new(|| check_x25519(inst))),
        ("Ed25519 public key", Box::new(|| check_ed25519(inst))),
        ("SM2 sign", Box::new(|| check_sm2(inst))),
        ("DH-2048", Box::new(|| check_dh(inst))),
    ];
    run_checks(checks)
}

/// The operations-per-second table: every row's requests are checked.
pub(crate) fn performance(inst: &CyInstance, rsa2048: &RsaKey, seconds: f64) -> Result<(), String> {
    let rsa4096 = rsa_key(inst, 4096)?;
    let (c256, c384) = (nist(NistCurve::P256)?, nist(NistCurve::P384)?);
    let (d, k, m) = (hex(D256), hex(K256), hex(M256));
    let m384 = [m.clone(), m.clone()[..16].to_vec()].concat();
    let sig256 = ecdsa_sign(inst, &c256, &d, &k, &m)?;
    let sig384 = ecdsa_sign(inst, &c384, &d, &k, &m384)?;
    let pub256 = ecdh(inst, &c256, &d, &c256.0[4], &c256.0[5])?;
    let pub384 = ecdh(inst, &c384, &d, &c384.0[4], &c384.0[5])?;
    let cipher = |key: &RsaKey| -> Result<Vec<u8>, String> {
        let mut msg = key.n.clone();
        msg[0] = 0x33;
        Ok(
            perform(inst, AsymOp::rsa_encrypt(&key.n, &[1, 0, 1], &msg))?
                .0
                .output(0)
                .to_vec(),
        )
    };
    let (c2k, c4k) = (cipher(rsa2048)?, cipher(&rsa4096)?);
    let xk = rev(hex(
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
    ));
    let xu = rev(hex(
        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
    ));
    let p = hex(MODP_2048);
    type Build<'a> = Box<dyn Fn() -> softqat_sal::Result<AsymOp> + 'a>;
    let mut rows: Vec<(&str, Build<'_>)> = vec![
        (
            "RSA-2048 CRT decrypt",
            Box::new(|| AsymOp::rsa_decrypt(&rsa2048.crt(), &c2k)),
        ),
        (
            "RSA-4096 CRT decrypt",
            Box::new(|| AsymOp::rsa_decrypt(&rsa4096.crt(), &c4k)),
        ),
        (
            "ECDSA P-256 sign",
            Box::new(|| {
                let [p, a, b, n, gx, gy] = &c256.0;
                AsymOp::ecdsa_sign_rs(&EcdsaSignRs {
                    xg: gx,
                    yg: gy,
                    n,
                    q: p,
                    a,
                    b,
                    k: &k,
                    m: &m,
                    d: &d,
                    field_type: EcFieldType::Prime,
                })
            }),
        ),
        (
            "ECDSA P-256 verify",
            Box::new(|| ecdsa_verify_op(&c256, &m, &sig256, &pub256)),
        ),
        (
            "ECDSA P-384 sign",
            Box::new(|| {
                let [p, a, b, n, gx, gy] = &c384.0;
                AsymOp::ecdsa_sign_rs(&EcdsaSignRs {
                    xg: gx,
                    yg: gy,
                    n,
                    q: p,
                    a,
                    b,
                    k: &k,
                    m: &m384,
                    d: &d,
                    field_type: EcFieldType::Prime,
                })
            }),
        ),
        (
            "ECDSA P-384 verify",
            Box::new(|| ecdsa_verify_op(&c384, &m384, &sig384, &pub384)),
        ),
        (
            "ECDH P-256",
            Box::new(|| {
                let [p, a, b, ..] = &c256.0;
                AsymOp::ecdh_point_multiply(&EcdhPointMultiply {
                    k: &k,
                    xg: pub256.output(0),
                    yg: pub256.output(1),
                    a,
                    b,
                    q: p,
                    h: &[1],
                    field_type: EcFieldType::Prime,
                    point_verify: true,
                })
            }),
        ),
        (
            "X25519",
            Box::new(|| {
                AsymOp::ec_mont_edwds_point_multiply(
                    MontEdwdsCurve::Curve25519,
                    false,
                    &xk,
                    &xu,
                    &[0; 32],
                )
            }),
        ),
        (
            "Ed25519 [k]B",
            Box::new(|| {
                AsymOp::ec_mont_edwds_point_multiply(
                    MontEdwdsCurve::Ed25519,
                    true,
                    &xk,
                    &[0; 32],
                    &[0; 32],
                )
            }),
        ),
        (
            "SM2 sign",
            Box::new(|| sm2_sign_op(&hex(SM2_D), &hex(SM2_E), &hex(SM2_K))),
        ),
    ];
    if inst.capabilities().dh_supported {
        rows.push((
            "DH-2048 phase 2",
            Box::new(|| AsymOp::dh_phase2(&p, &[2], &k)),
        ));
    }
    println!("  {:<24}{:>14}", "", "operations/s");
    let depth = 8 * inst.endpoint().engine_threads();
    for (name, build) in &rows {
        let rate = stack_ops(inst, &**build, &[], name, depth, seconds)?;
        println!("  {name:<24}{rate:>14.0}");
    }
    if !inst.capabilities().dh_supported {
        println!("  {:<24}{:>14}", "DH-2048 phase 2", "legacy only");
    }
    Ok(())
}
