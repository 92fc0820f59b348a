//! The EC engine against independent implementations on deterministic
//! random inputs: RustCrypto's `p256`, `p384`, `p521` (the aws-lc named-group
//! path), `k256` and `sm2` (secp256k1 and the SM2 curve given as generic
//! curves go through the hand-written ladder), and aws-lc-rs's ECDSA
//! (signatures made here verify there, and the other way round).

mod common;

use aws_lc_rs::signature::{self as lc_sig, KeyPair};
use common::{hex, NistParams as Params, P256, P384, P521};
use p256::elliptic_curve::ff::PrimeField;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use softqat_engine::asym::ec::{self, FieldType};
use softqat_engine::asym::sm2 as qsm2;
use softqat_engine::asym::{ecdsa, AsymError};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `len` random bytes whose first byte is below `top` (so the number
    /// stays below the curve orders used here).
    fn scalar(&mut self, len: usize, top: u8) -> Vec<u8> {
        let mut v: Vec<u8> = (0..len).map(|_| self.next() as u8).collect();
        v[0] %= top;
        if v.iter().all(|&b| b == 0) {
            v[len - 1] = 1;
        }
        v
    }
}

const SECP256K1: Params = Params {
    p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F",
    a: "00",
    b: "07",
    n: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141",
    gx: "79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798",
    gy: "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8",
};

const SM2: Params = Params {
    p: "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF",
    a: "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC",
    b: "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93",
    n: "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123",
    gx: "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7",
    gy: "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0",
};

/// `[k](x, y)` through the older point-multiply call.
fn engine_mul(c: &Params, k: &[u8], x: &[u8], y: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let len = hex(c.p).len();
    let (mut ox, mut oy) = (vec![0u8; len], vec![0u8; len]);
    let (p, a, b) = (hex(c.p), hex(c.a), hex(c.b));
    let op = ec::PointMultiply {
        k,
        xg: x,
        yg: y,
        a: &a,
        b: &b,
        q: &p,
        h: &[],
        field_type: FieldType::Prime,
    };
    ec::point_multiply(&op, &mut ox, &mut oy)
        .unwrap()
        .then_some((ox, oy))
}

/// One differential round for a RustCrypto curve: a random point
/// P = [j]G and a random k; the engine's [k]P equals the crate's, and the
/// crate's generator equals the parameters used here.
macro_rules! differential {
    ($name:ident, $krate:ident, $params:expr, $rounds:expr, $top:expr) => {
        #[test]
        fn $name() {
            use $krate::{ProjectivePoint, Scalar};
            let c = &$params;
            let len = hex(c.p).len();
            let slen = hex(c.n).len();
            let g = ProjectivePoint::GENERATOR
                .to_affine()
                .to_encoded_point(false);
            let pad = |v: &[u8]| {
                let mut o = vec![0u8; len - v.len()];
                o.extend_from_slice(v);
                o
            };
            assert_eq!(pad(g.x().unwrap()), hex(c.gx), "generator x");
            assert_eq!(pad(g.y().unwrap()), hex(c.gy), "generator y");
            let scalar = |v: &[u8]| {
                let mut repr = <Scalar as PrimeField>::Repr::default();
                AsMut::<[u8]>::as_mut(&mut repr).copy_from_slice(v);
                Scalar::from_repr(repr).unwrap()
            };
            let mut rng = Rng(0x5EED ^ len as u64);
            for round in 0..$rounds {
                let j = rng.scalar(slen, $top);
                let k = rng.scalar(slen, $top);
                let pt = (ProjectivePoint::GENERATOR * scalar(&j)).to_affine();
                let ep = pt.to_encoded_point(false);
                let (x, y) = (pad(ep.x().unwrap()), pad(ep.y().unwrap()));
                let want = (ProjectivePoint::from(pt) * scalar(&k))
                    .to_affine()
                    .to_encoded_point(false);
                let got = engine_mul(c, &k, &x, &y).expect("finite product");
                assert_eq!(got.0, pad(want.x().unwrap()), "round {round}: x");
                assert_eq!(got.1, pad(want.y().unwrap()), "round {round}: y");
            }
        }
    };
}

differential!(p256_named_path_matches_rustcrypto, p256, P256, 24, 0xFF);
differential!(p384_named_path_matches_rustcrypto, p384, P384, 12, 0xFF);
differential!(p521_named_path_matches_rustcrypto, p521, P521, 8, 0x01);
differential!(secp256k1_ladder_matches_k256, k256, SECP256K1, 16, 0xFF);
differential!(sm2_curve_ladder_matches_rustcrypto_sm2, sm2, SM2, 16, 0xFF);

#[test]
fn sm2_calls_match_the_generic_ladder_and_each_other() {
    let mut rng = Rng(7);
    for _ in 0..8 {
        let k = rng.scalar(32, 0xFF);
        let j = rng.scalar(32, 0xFF);
        let (mut px, mut py) = ([0u8; 32], [0u8; 32]);
        let gen = qsm2::GeneratorMultiply {
            k: &j,
            field_type: FieldType::Prime,
        };
        assert!(qsm2::generator_multiply(&gen, &mut px, &mut py).unwrap());
        assert!(qsm2::point_verify(&qsm2::PointVerify {
            x: &px,
            y: &py,
            field_type: FieldType::Prime
        })
        .unwrap());
        let (mut qx, mut qy) = ([0u8; 32], [0u8; 32]);
        let op = qsm2::PointMultiply {
            k: &k,
            x: &px,
            y: &py,
            field_type: FieldType::Prime,
        };
        assert!(qsm2::point_multiply(&op, &mut qx, &mut qy).unwrap());
        let (lx, ly) = engine_mul(&SM2, &k, &px, &py).unwrap();
        assert_eq!((qx.to_vec(), qy.to_vec()), (lx, ly));
        // Decrypt undoes encrypt's shared point: [d]([k]G) = [k]([d]G).
        let (mut x1, mut y1, mut x2, mut y2) = ([0u8; 32], [0u8; 32], [0u8; 32], [0u8; 32]);
        let enc = qsm2::Encrypt {
            k: &k,
            xp: &px,
            yp: &py,
            field_type: FieldType::Prime,
        };
        qsm2::encrypt(
            &enc,
            &mut qsm2::EncryptOutput {
                x1: &mut x1,
                y1: &mut y1,
                x2: &mut x2,
                y2: &mut y2,
            },
        )
        .unwrap();
        assert_eq!((x2, y2), (qx, qy));
        let (mut dx, mut dy) = ([0u8; 32], [0u8; 32]);
        let dec = qsm2::Decrypt {
            d: &j,
            x1: &x1,
            y1: &y1,
            field_type: FieldType::Prime,
        };
        qsm2::decrypt(
            &dec,
            &mut qsm2::DecryptOutput {
                x2: &mut dx,
                y2: &mut dy,
            },
        )
        .unwrap();
        assert_eq!((dx, dy), (qx, qy));
    }
}

#[test]
fn sm2_sign_matches_rustcrypto_arithmetic_and_verifies() {
    use sm2::elliptic_curve::ops::Reduce;
    use sm2::{ProjectivePoint, Scalar, U256};
    let mut rng = Rng(11);
    let sc = |v: &[u8]| <Scalar as Reduce<U256>>::reduce_bytes(v.into());
    for _ in 0..8 {
        let (k, d, e) = (
            rng.scalar(32, 0xFF),
            rng.scalar(32, 0xFF),
            rng.scalar(32, 0xFF),
        );
        let (mut r, mut s) = ([0u8; 32], [0u8; 32]);
        let op = qsm2::Sign {
            k: &k,
            e: &e,
            d: &d,
            field_type: FieldType::Prime,
        };
        assert!(qsm2::sign(&op, &mut r, &mut s).unwrap());
        // r = e + x([k]G), s = (1 + d)⁻¹ (k − r·d), in the crate's scalars.
        let kg = (ProjectivePoint::GENERATOR * sc(&k)).to_affine();
        let want_r = sc(&e) + sc(kg.to_encoded_point(false).x().unwrap());
        let want_s = (Scalar::ONE + sc(&d)).invert().unwrap() * (sc(&k) - want_r * sc(&d));
        assert_eq!(r.to_vec(), want_r.to_repr().to_vec());
        assert_eq!(s.to_vec(), want_s.to_repr().to_vec());
        let pk = (ProjectivePoint::GENERATOR * sc(&d))
            .to_affine()
            .to_encoded_point(false);
        let mut v = qsm2::Verify {
            e: &e,
            r: &r,
            s: &s,
            xp: pk.x().unwrap(),
            yp: pk.y().unwrap(),
            field_type: FieldType::Prime,
        };
        assert!(qsm2::verify(&v).unwrap());
        let mut bad = e.clone();
        bad[31] ^= 1;
        v.e = &bad;
        assert!(!qsm2::verify(&v).unwrap());
    }
}

#[test]
fn sm2_key_exchange_agrees_and_matches_rustcrypto() {
    use sm2::elliptic_curve::ops::Reduce;
    use sm2::{AffinePoint, ProjectivePoint, Scalar, U256};
    let mut rng = Rng(13);
    let sc = |v: &[u8]| <Scalar as Reduce<U256>>::reduce_bytes(v.into());
    let coords = |p: &AffinePoint| {
        let e = p.to_encoded_point(false);
        (e.x().unwrap().to_vec(), e.y().unwrap().to_vec())
    };
    // x̄ = 2^127 + (x mod 2^127)
    let x_bar = |x: &[u8]| {
        let mut v = [0u8; 32];
        v[16..].copy_from_slice(&x[16..]);
        v[16] = (v[16] & 0x7F) | 0x80;
        sc(&v)
    };
    for _ in 0..4 {
        let (da, db, ra, rb) = (
            rng.scalar(32, 0xFF),
            rng.scalar(32, 0xFF),
            rng.scalar(32, 0xFF),
            rng.scalar(32, 0xFF),
        );
        let pub_of = |s: &[u8]| coords(&(ProjectivePoint::GENERATOR * sc(s)).to_affine());
        let (pa, pb) = (pub_of(&da), pub_of(&db));
        let phase1 = |r: &[u8]| {
            let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
            let op = qsm2::KeyExPhase1 {
                r,
                field_type: FieldType::Prime,
            };
            qsm2::key_exchange_phase1(
                &op,
                &mut qsm2::KeyExOutput {
                    x: &mut x,
                    y: &mut y,
                },
            )
            .unwrap();
            (x.to_vec(), y.to_vec())
        };
        let (ra_pt, rb_pt) = (phase1(&ra), phase1(&rb));
        assert_eq!(ra_pt, pub_of(&ra));
        let phase2 = |r: &[u8],
                      d: &[u8],
                      own: &(Vec<u8>, Vec<u8>),
                      peer: &(Vec<u8>, Vec<u8>),
                      peer_pk: &(Vec<u8>, Vec<u8>)| {
            let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
            let op = qsm2::KeyExPhase2 {
                r,
                d,
                x1: &own.0,
                x2: &peer.0,
                y2: &peer.1,
                xp: &peer_pk.0,
                yp: &peer_pk.1,
                field_type: FieldType::Prime,
            };
            qsm2::key_exchange_phase2(
                &op,
                &mut qsm2::KeyExOutput {
                    x: &mut x,
                    y: &mut y,
                },
            )
            .unwrap();
            (x.to_vec(), y.to_vec())
        };
        let u = phase2(&ra, &da, &ra_pt, &rb_pt, &pb);
        let v = phase2(&rb, &db, &rb_pt, &ra_pt, &pa);
        assert_eq!(u, v, "both sides reach the same point");
        let ta = sc(&da) + x_bar(&ra_pt.0) * sc(&ra);
        let tb = sc(&db) + x_bar(&rb_pt.0) * sc(&rb);
        let want = coords(&(ProjectivePoint::GENERATOR * (ta * tb)).to_affine());
        assert_eq!(u, want, "U = [t_A·t_B]G");
    }
}

#[test]
fn ecdsa_p256_signatures_interoperate_with_aws_lc_rs() {
    use aws_lc_rs::digest;
    let c = &P256;
    let (p, a, b, n, gx, gy) = (hex(c.p), hex(c.a), hex(c.b), hex(c.n), hex(c.gx), hex(c.gy));
    let mut rng = Rng(17);
    for round in 0..8 {
        let d = rng.scalar(32, 0xFF);
        let k = rng.scalar(32, 0xFF);
        let msg: Vec<u8> = (0..round * 7 + 1).map(|_| rng.next() as u8).collect();
        let m = digest::digest(&digest::SHA256, &msg);
        let (mut r, mut s) = ([0u8; 32], [0u8; 32]);
        let op = ecdsa::SignRs {
            xg: &gx,
            yg: &gy,
            n: &n,
            q: &p,
            a: &a,
            b: &b,
            k: &k,
            m: m.as_ref(),
            d: &d,
            field_type: FieldType::Prime,
        };
        assert!(ecdsa::sign_rs(&op, &mut r, &mut s).unwrap());
        let (mut qx, mut qy) = ([0u8; 32], [0u8; 32]);
        let gen = ec::Curve {
            curve_type: ec::CurveType::WeierstrassPrime,
            parameters: ec::WeierstrassParameters {
                field_type: FieldType::Prime,
                p: &p,
                a: &a,
                b: &b,
                h: &[],
            },
        };
        let gm = ec::GenericPointMultiply {
            k: &d,
            xp: &[],
            yp: &[],
            curve: &gen,
            generator: true,
        };
        assert!(ec::generic_point_multiply(&gm, &mut qx, &mut qy).unwrap());
        let mut pk = vec![4u8];
        pk.extend_from_slice(&qx);
        pk.extend_from_slice(&qy);
        let sig = [r.as_slice(), s.as_slice()].concat();
        lc_sig::UnparsedPublicKey::new(&lc_sig::ECDSA_P256_SHA256_FIXED, &pk)
            .verify(&msg, &sig)
            .expect("aws-lc-rs accepts the engine's signature");
        // aws-lc-rs's own signature verifies here.
        let rand = aws_lc_rs::rand::SystemRandom::new();
        let key = lc_sig::EcdsaKeyPair::from_private_key_and_public_key(
            &lc_sig::ECDSA_P256_SHA256_FIXED_SIGNING,
            &d,
            &pk,
        )
        .unwrap();
        let theirs = key.sign(&rand, &msg).unwrap();
        assert_eq!(key.public_key().as_ref(), pk.as_slice());
        let mut v = ecdsa::Verify {
            xg: &gx,
            yg: &gy,
            n: &n,
            q: &p,
            a: &a,
            b: &b,
            m: m.as_ref(),
            r: &theirs.as_ref()[..32],
            s: &theirs.as_ref()[32..],
            xp: &qx,
            yp: &qy,
            field_type: FieldType::Prime,
        };
        assert!(ecdsa::verify(&v).unwrap());
        let mut other = m.as_ref().to_vec();
        other[0] ^= 0x80;
        v.m = &other;
        assert!(!ecdsa::verify(&v).unwrap());
    }
}

#[test]
fn ecdsa_on_secp256k1_goes_through_the_ladder_and_matches_k256() {
    use k256::elliptic_curve::ops::Reduce;
    use k256::{ProjectivePoint, Scalar, U256};
    let c = &SECP256K1;
    let (p, a, b, n, gx, gy) = (hex(c.p), hex(c.a), hex(c.b), hex(c.n), hex(c.gx), hex(c.gy));
    let sc = |v: &[u8]| <Scalar as Reduce<U256>>::reduce_bytes(v.into());
    let mut rng = Rng(19);
    for _ in 0..4 {
        let (d, k, m) = (
            rng.scalar(32, 0xFF),
            rng.scalar(32, 0xFF),
            rng.scalar(32, 0xFF),
        );
        let (mut r, mut s) = ([0u8; 32], [0u8; 32]);
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
        assert!(ecdsa::sign_rs(&op, &mut r, &mut s).unwrap());
        let kg = (ProjectivePoint::GENERATOR * sc(&k))
            .to_affine()
            .to_encoded_point(false);
        let want_r = sc(kg.x().unwrap());
        let want_s = sc(&k).invert().unwrap() * (sc(&m) + sc(&d) * want_r);
        assert_eq!(r.to_vec(), want_r.to_repr().to_vec());
        assert_eq!(s.to_vec(), want_s.to_repr().to_vec());
        let q = (ProjectivePoint::GENERATOR * sc(&d))
            .to_affine()
            .to_encoded_point(false);
        let v = ecdsa::Verify {
            xg: &gx,
            yg: &gy,
            n: &n,
            q: &p,
            a: &a,
            b: &b,
            m: &m,
            r: &r,
            s: &s,
            xp: q.x().unwrap(),
            yp: q.y().unwrap(),
            field_type: FieldType::Prime,
        };
        assert!(ecdsa::verify(&v).unwrap());
    }
}

#[test]
fn bad_inputs_are_refused_without_panicking() {
    let c = &P256;
    let (p, a, b) = (hex(c.p), hex(c.a), hex(c.b));
    let (gx, gy) = (hex(c.gx), hex(c.gy));
    let (mut ox, mut oy) = ([0u8; 32], [0u8; 32]);
    let base = ec::PointMultiply {
        k: &[1],
        xg: &gx,
        yg: &gy,
        a: &a,
        b: &b,
        q: &p,
        h: &[],
        field_type: FieldType::Prime,
    };
    let invalid = |r: Result<bool, AsymError>| matches!(r, Err(AsymError::InvalidParam(_)));
    assert!(invalid(ec::point_multiply(
        &ec::PointMultiply { k: &[0, 0], ..base },
        &mut ox,
        &mut oy
    )));
    assert!(invalid(ec::point_multiply(
        &ec::PointMultiply { q: &[0], ..base },
        &mut ox,
        &mut oy
    )));
    assert!(invalid(ec::point_multiply(
        &ec::PointMultiply { q: &[], ..base },
        &mut ox,
        &mut oy
    )));
    let mut off = gy.clone();
    off[31] ^= 1;
    assert!(invalid(ec::point_multiply(
        &ec::PointMultiply { yg: &off, ..base },
        &mut ox,
        &mut oy
    )));
    assert!(invalid(ec::point_multiply(
        &ec::PointMultiply {
            field_type: FieldType::Binary,
            ..base
        },
        &mut ox,
        &mut oy
    )));
    assert!(invalid(ec::point_multiply(&base, &mut ox[..31], &mut oy)));
    // ECDH with verification reports the off-curve point as invalid output.
    let ecdh = ec::EcdhPointMultiply {
        k: &[5],
        xg: &gx,
        yg: &off,
        a: &a,
        b: &b,
        q: &p,
        h: &[],
        field_type: FieldType::Prime,
        point_verify: true,
    };
    assert_eq!(ec::ecdh_point_multiply(&ecdh, &mut ox, &mut oy), Ok(false));
    assert_eq!((ox, oy), ([0u8; 32], [0u8; 32]));
    assert!(invalid(ec::ecdh_point_multiply(
        &ec::EcdhPointMultiply {
            point_verify: false,
            ..ecdh
        },
        &mut ox,
        &mut oy
    )));
    // [n]G is the point at infinity: output invalid.
    let n = hex(c.n);
    assert_eq!(
        ec::point_multiply(&ec::PointMultiply { k: &n, ..base }, &mut ox, &mut oy),
        Ok(false)
    );
    // The same on a curve that takes the ladder.
    let k1 = &SECP256K1;
    let (kp, ka, kb, kn) = (hex(k1.p), hex(k1.a), hex(k1.b), hex(k1.n));
    let (kx, ky) = (hex(k1.gx), hex(k1.gy));
    let lad = ec::PointMultiply {
        k: &kn,
        xg: &kx,
        yg: &ky,
        a: &ka,
        b: &kb,
        q: &kp,
        h: &[],
        field_type: FieldType::Prime,
    };
    assert_eq!(ec::point_multiply(&lad, &mut ox, &mut oy), Ok(false));
    // Point verify: on, off, out of range, infinity.
    let pv = ec::PointVerify {
        xq: &gx,
        yq: &gy,
        q: &p,
        a: &a,
        b: &b,
        field_type: FieldType::Prime,
    };
    assert_eq!(ec::point_verify(&pv), Ok(true));
    assert_eq!(
        ec::point_verify(&ec::PointVerify { yq: &off, ..pv }),
        Ok(false)
    );
    assert_eq!(
        ec::point_verify(&ec::PointVerify { xq: &p, ..pv }),
        Ok(false)
    );
    assert_eq!(
        ec::point_verify(&ec::PointVerify {
            xq: &[0],
            yq: &[0],
            ..pv
        }),
        Ok(false)
    );
    // A singular curve (a = b = 0) is refused.
    assert!(matches!(
        ec::point_verify(&ec::PointVerify {
            a: &[0],
            b: &[0],
            ..pv
        }),
        Err(AsymError::InvalidParam(_))
    ));
    // ECDSA: k = 0, k = n, r = 0 in verify.
    let n = hex(c.n);
    let sign = ecdsa::SignRs {
        xg: &gx,
        yg: &gy,
        n: &n,
        q: &p,
        a: &a,
        b: &b,
        k: &[0],
        m: &[1],
        d: &[1],
        field_type: FieldType::Prime,
    };
    let (mut r, mut s) = ([0u8; 32], [0u8; 32]);
    assert!(invalid(ecdsa::sign_rs(&sign, &mut r, &mut s)));
    assert!(invalid(ecdsa::sign_rs(
        &ecdsa::SignRs { k: &n, ..sign },
        &mut r,
        &mut s
    )));
    assert!(invalid(ecdsa::sign_rs(
        &ecdsa::SignRs { k: &[3], ..sign },
        &mut r[..31],
        &mut s
    )));
    // SM2: k = 0 and a point off the curve.
    let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
    let g0 = qsm2::GeneratorMultiply {
        k: &[0; 32],
        field_type: FieldType::Prime,
    };
    assert!(invalid(qsm2::generator_multiply(&g0, &mut x, &mut y)));
    let pm = qsm2::PointMultiply {
        k: &[1],
        x: &gx,
        y: &gy,
        field_type: FieldType::Prime,
    };
    assert!(invalid(qsm2::point_multiply(&pm, &mut x, &mut y)));
}
