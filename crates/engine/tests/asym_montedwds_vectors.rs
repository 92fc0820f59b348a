//! Known answers and differential tests for `softqat_engine::asym::montedwds`:
//! - RFC 7748 §5.2 and §6 X25519/X448 (`data/asym/rfc7748_x25519_x448.txt`),
//!   byte-reversed into QAT's big-endian buffers, and the RFC's iterated
//!   X25519/X448 test to 1000 rounds' first step;
//! - Wycheproof x25519 cases, twist and special points (`data/asym/wycheproof_x25519_subset.txt`);
//! - qatlib's own sample vectors (`data/asym/qatlib_montedwds_sample.txt`),
//!   which fix QAT's byte order and clamping;
//! - RFC 8032 public keys A = [s]B for Ed25519 and Ed448 (`data/asym/rfc8032_public_keys.txt`);
//! - differential: X25519 against x25519-dalek and aws-lc-rs on random inputs,
//!   Ed25519 generator multiplies against ed25519-dalek's public keys, and
//!   variable-point Edwards multiplies against (k1·k2)·B;
//! - refusals: wrong sizes, points off the curve, non-canonical coordinates.

mod common;
use common::{field, hex, records};

use softqat_engine::asym::montedwds::{point_multiply, MontEdwdsCurve};
use softqat_engine::asym::AsymError;

fn be(le: &[u8], len: usize) -> Vec<u8> {
    let mut v = vec![0u8; len - le.len()];
    v.extend(le.iter().rev());
    v
}

fn le_of(be_buf: &[u8], n: usize) -> Vec<u8> {
    be_buf[be_buf.len() - n..].iter().rev().copied().collect()
}

fn curve_of(name: &str) -> MontEdwdsCurve {
    match name {
        "X25519" | "Curve25519" => MontEdwdsCurve::Curve25519,
        "X448" | "Curve448" => MontEdwdsCurve::Curve448,
        "Ed25519" => MontEdwdsCurve::Ed25519,
        "Ed448" => MontEdwdsCurve::Ed448,
        _ => panic!("unknown curve {name}"),
    }
}

/// X25519 / X448 of RFC 7748 little-endian inputs through QAT's interface.
fn xdh(curve: MontEdwdsCurve, k: &[u8], u: Option<&[u8]>) -> Vec<u8> {
    let len = curve.buffer_len();
    let n = if curve == MontEdwdsCurve::Curve25519 {
        32
    } else {
        56
    };
    let mut out = vec![0xaau8; len];
    let mut unused = [0x55u8; 3];
    let x = u.map(|u| be(u, len)).unwrap_or_default();
    point_multiply(
        curve,
        u.is_none(),
        &be(k, len),
        &x,
        &[],
        &mut out,
        &mut unused,
    )
    .unwrap();
    assert_eq!(unused, [0x55; 3], "out_y written for a Montgomery curve");
    le_of(&out, n)
}

#[test]
fn rfc7748_known_answers() {
    let text = include_str!("data/asym/rfc7748_x25519_x448.txt");
    let recs = records(text);
    assert_eq!(recs.len(), 12);
    for r in &recs {
        let curve = curve_of(field(r, "curve"));
        let u = field(r, "u");
        let u = (u != "base").then(|| hex(u));
        let got = xdh(curve, &hex(field(r, "k")), u.as_deref());
        assert_eq!(got, hex(field(r, "out")), "{r:?}");
    }
}

#[test]
fn rfc7748_iterated_first_steps() {
    // RFC 7748 §5.2: k = u = 9 (X25519) / 5 (X448); after one iteration.
    let mut k = vec![0u8; 32];
    k[0] = 9;
    let r = xdh(MontEdwdsCurve::Curve25519, &k, Some(&k));
    assert_eq!(
        r,
        hex("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079")
    );
    let mut k = vec![0u8; 56];
    k[0] = 5;
    let r = xdh(MontEdwdsCurve::Curve448, &k, Some(&k));
    assert_eq!(
        r,
        hex("3f482c8a9f19b01e6c46ee9711d9dc14fd4bf67af30765c2ae2b846a4d23a8cd0db897086239492caf350b51f833868b9bc2b3bca9cf4113")
    );
}

#[test]
fn wycheproof_x25519_subset() {
    let recs = records(include_str!("data/asym/wycheproof_x25519_subset.txt"));
    assert!(recs.len() >= 9);
    for r in &recs {
        let got = xdh(
            MontEdwdsCurve::Curve25519,
            &hex(field(r, "k")),
            Some(&hex(field(r, "u"))),
        );
        assert_eq!(got, hex(field(r, "out")), "tcId {}", field(r, "tcId"));
    }
}

#[test]
fn qatlib_sample_vectors() {
    let recs = records(include_str!("data/asym/qatlib_montedwds_sample.txt"));
    assert_eq!(recs.len(), 3);
    for r in &recs {
        let curve = curve_of(field(r, "curve"));
        let len = curve.buffer_len();
        let generator = field(r, "generator") == "true";
        let mut ox = vec![0u8; len];
        let mut oy = vec![0u8; len];
        point_multiply(
            curve,
            generator,
            &hex(field(r, "k")),
            &hex(field(r, "x")),
            &hex(field(r, "y")),
            &mut ox,
            &mut oy,
        )
        .unwrap();
        assert_eq!(ox, hex(field(r, "out_x")), "{r:?}");
        if field(r, "out_y") != "-" {
            assert_eq!(oy, hex(field(r, "out_y")), "{r:?}");
        }
    }
}

/// RFC 8032's encoding of an affine point from QAT's big-endian (x, y).
fn eddsa_encode(curve: MontEdwdsCurve, x: &[u8], y: &[u8]) -> Vec<u8> {
    let n = if curve == MontEdwdsCurve::Ed25519 {
        32
    } else {
        57
    };
    let mut enc = le_of(y, if n == 32 { 32 } else { 56 });
    enc.resize(n, 0);
    enc[n - 1] |= (x[x.len() - 1] & 1) << 7;
    enc
}

fn generator_multiply(curve: MontEdwdsCurve, k_be: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let len = curve.buffer_len();
    let (mut x, mut y) = (vec![0u8; len], vec![0u8; len]);
    point_multiply(curve, true, k_be, &[], &[], &mut x, &mut y).unwrap();
    (x, y)
}

/// The RFC 8032 secret scalar s of a secret key, big-endian in QAT's buffer.
fn eddsa_scalar(curve: MontEdwdsCurve, secret: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    if curve == MontEdwdsCurve::Ed25519 {
        let h = sha2::Sha512::digest(secret);
        let mut s = h[..32].to_vec();
        s[0] &= 248;
        s[31] &= 127;
        s[31] |= 64;
        be(&s, 32)
    } else {
        use sha3::digest::{ExtendableOutput, Update, XofReader};
        let mut h = sha3::Shake256::default();
        h.update(secret);
        let mut s = [0u8; 114];
        h.finalize_xof().read(&mut s);
        let mut s = s[..57].to_vec();
        s[0] &= 252;
        s[56] = 0;
        s[55] |= 128;
        be(&s[..56], 64)
    }
}

#[test]
fn rfc8032_public_keys_are_generator_multiplies() {
    let recs = records(include_str!("data/asym/rfc8032_public_keys.txt"));
    assert_eq!(recs.len(), 5);
    for r in &recs {
        let curve = curve_of(field(r, "curve"));
        let s = eddsa_scalar(curve, &hex(field(r, "secret")));
        let (x, y) = generator_multiply(curve, &s);
        assert_eq!(
            eddsa_encode(curve, &x, &y),
            hex(field(r, "public")),
            "{r:?}"
        );
        // The same point as a variable-point multiply of B by s.
        let one = {
            let mut v = vec![0u8; curve.buffer_len()];
            *v.last_mut().unwrap() = 1;
            v
        };
        let (bx, by) = generator_multiply(curve, &one);
        let (mut x2, mut y2) = (vec![0u8; x.len()], vec![0u8; y.len()]);
        point_multiply(curve, false, &s, &bx, &by, &mut x2, &mut y2).unwrap();
        assert_eq!((x2, y2), (x, y), "variable-point s·B {r:?}");
    }
}

/// A small deterministic generator for the differential tests.
struct Rng(u64);
impl Rng {
    fn fill(&mut self, b: &mut [u8]) {
        for v in b {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            *v = (self.0 >> 33) as u8;
        }
    }
}

#[test]
fn x25519_agrees_with_dalek_and_aws_lc() {
    let mut rng = Rng(7);
    for _ in 0..64 {
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        rng.fill(&mut a);
        rng.fill(&mut b);
        let sa = x25519_dalek::StaticSecret::from(a);
        let pb = x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(b));
        let expect = sa.diffie_hellman(&pb).to_bytes();
        // Our public key for b matches dalek's.
        assert_eq!(xdh(MontEdwdsCurve::Curve25519, &b, None), pb.as_bytes());
        let got = xdh(MontEdwdsCurve::Curve25519, &a, Some(pb.as_bytes()));
        assert_eq!(got, expect);
        // aws-lc-rs: its private key's public key and agreement.
        let pa =
            aws_lc_rs::agreement::PrivateKey::from_private_key(&aws_lc_rs::agreement::X25519, &a)
                .unwrap();
        let aws_pub = pa.compute_public_key().unwrap();
        assert_eq!(xdh(MontEdwdsCurve::Curve25519, &a, None), aws_pub.as_ref());
        let peer = aws_lc_rs::agreement::UnparsedPublicKey::new(
            &aws_lc_rs::agreement::X25519,
            pb.as_bytes().to_vec(),
        );
        aws_lc_rs::agreement::agree(&pa, peer, (), |s| {
            assert_eq!(s, &got[..]);
            Ok(())
        })
        .unwrap();
    }
}

#[test]
fn ed25519_generator_agrees_with_ed25519_dalek() {
    let mut rng = Rng(11);
    for _ in 0..32 {
        let mut sk = [0u8; 32];
        rng.fill(&mut sk);
        let vk = ed25519_dalek::SigningKey::from_bytes(&sk).verifying_key();
        let s = eddsa_scalar(MontEdwdsCurve::Ed25519, &sk);
        let (x, y) = generator_multiply(MontEdwdsCurve::Ed25519, &s);
        assert_eq!(eddsa_encode(MontEdwdsCurve::Ed25519, &x, &y), vk.as_bytes());
    }
}

/// k2·(k1·B) must equal (k1·k2 mod ℓ)·B. The products are small enough here
/// (k1, k2 < 2^120) that k1·k2 < 2^240 is below both group orders.
#[test]
fn edwards_variable_point_is_consistent() {
    let mut rng = Rng(13);
    for curve in [MontEdwdsCurve::Ed25519, MontEdwdsCurve::Ed448] {
        let len = curve.buffer_len();
        for _ in 0..6 {
            let mut k1 = [0u8; 15];
            let mut k2 = [0u8; 15];
            rng.fill(&mut k1);
            rng.fill(&mut k2);
            let mut k1b = vec![0u8; len];
            k1b[len - 15..].copy_from_slice(&k1);
            let mut k2b = vec![0u8; len];
            k2b[len - 15..].copy_from_slice(&k2);
            // Schoolbook product of the two big-endian numbers.
            let mut prod = [0u32; 30];
            for (i, &a) in k1.iter().rev().enumerate() {
                for (j, &b) in k2.iter().rev().enumerate() {
                    prod[i + j] += u32::from(a) * u32::from(b);
                }
            }
            let mut pb = vec![0u8; len];
            let mut carry = 0u32;
            for (i, p) in prod.iter().enumerate() {
                let v = p + carry;
                pb[len - 1 - i] = v as u8;
                carry = v >> 8;
            }
            let (px, py) = generator_multiply(curve, &k1b);
            let (mut qx, mut qy) = (vec![0u8; len], vec![0u8; len]);
            point_multiply(curve, false, &k2b, &px, &py, &mut qx, &mut qy).unwrap();
            assert_eq!((qx, qy), generator_multiply(curve, &pb), "{curve:?}");
        }
    }
}

#[test]
fn refusals() {
    use MontEdwdsCurve::*;
    let mut o32 = [0u8; 32];
    let mut o64 = [0u8; 64];
    let mut oy64 = [0u8; 64];
    // Sizes.
    for (curve, bad) in [(Curve25519, 31), (Ed25519, 33), (Curve448, 56), (Ed448, 57)] {
        let k = vec![1u8; bad];
        let (ox, oy): (&mut [u8], &mut [u8]) = if curve.buffer_len() == 32 {
            (&mut o32, &mut [0u8; 32])
        } else {
            (&mut o64, &mut oy64)
        };
        assert!(matches!(
            point_multiply(curve, true, &k, &[], &[], ox, oy),
            Err(AsymError::InvalidParam(_))
        ));
    }
    let k = [1u8; 32];
    assert!(point_multiply(Curve25519, false, &k, &[9u8; 31], &[], &mut o32, &mut []).is_err());
    assert!(point_multiply(Ed25519, true, &k, &[], &[], &mut o32, &mut [0u8; 31]).is_err());
    // A point off Edwards25519: (1, 1).
    let mut one = [0u8; 32];
    one[31] = 1;
    let mut oy = [0u8; 32];
    assert!(matches!(
        point_multiply(Ed25519, false, &k, &one, &one, &mut o32, &mut oy),
        Err(AsymError::InvalidParam(_))
    ));
    // (0, 1) is the identity and on the curve; (0, p + 1) is not canonical.
    let zero = [0u8; 32];
    point_multiply(Ed25519, false, &k, &zero, &one, &mut o32, &mut oy).unwrap();
    assert_eq!((o32, oy), (zero, one));
    let mut p_plus_1 = [0xffu8; 32];
    p_plus_1[0] = 0x7f;
    p_plus_1[31] = 0xee;
    assert!(point_multiply(Ed25519, false, &k, &zero, &p_plus_1, &mut o32, &mut oy).is_err());
    // Edwards448: off the curve, and a k that only fits 64 bytes is fine.
    let k64 = [0xffu8; 64];
    let mut one64 = [0u8; 64];
    one64[63] = 1;
    assert!(point_multiply(Ed448, false, &k64, &one64, &one64, &mut o64, &mut oy64).is_err());
    point_multiply(Ed448, true, &k64, &[], &[], &mut o64, &mut oy64).unwrap();
    // Curve448 numbers wider than 448 bits.
    assert!(point_multiply(Curve448, true, &k64, &[], &[], &mut o64, &mut []).is_err());
    assert_eq!(MontEdwdsCurve::from_cpa(4), Some(Ed448));
    assert_eq!(MontEdwdsCurve::from_cpa(5), None);
}
