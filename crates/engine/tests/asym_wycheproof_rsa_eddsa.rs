//! More Wycheproof known answers for the public-key engine, through its
//! public calls (data files in `data/asym/`, each naming its source on its
//! first line):
//! - RSAES-PKCS1-v1_5 decryption (`wycheproof_rsa_pkcs1_2048.txt`,
//!   `wycheproof_rsa_pkcs1_3072.txt`) with raw RSA: every ciphertext goes
//!   through [`rsa::decrypt`] (n, d) and [`rsa::decrypt_crt`] (p, q, dP, dQ,
//!   qInv); both must agree, the block must re-encrypt to the ciphertext
//!   with [`rsa::encrypt`], and the PKCS#1 v1.5 unpadding written here
//!   (RFC 8017 §7.2.2) decides the outcome. A "valid" case must give its
//!   message; an "invalid" one must either be refused by the engine (a
//!   ciphertext of zero or not below n: `InvalidParam`), or be refused by the
//!   length check of §7.2.2 step 1, or fail to unpad to its message.
//! - Ed25519 and Ed448 key pairs (`wycheproof_ed25519_key_pairs.txt`,
//!   `wycheproof_ed448_key_pairs.txt`): the public key is A = [s]B with s
//!   derived from the secret key (RFC 8032 §5.1.5 / §5.2.5), computed with
//!   [`montedwds::point_multiply`] by the generator and by the base point
//!   passed as a variable point, and compared in RFC 8032's encoding.

mod common;

use common::{field, hex, records, Record};
use softqat_engine::asym::montedwds::{self, MontEdwdsCurve};
use softqat_engine::asym::{rsa, AsymError};
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// A big-endian number without its leading zero bytes.
fn trim(v: &[u8]) -> &[u8] {
    let i = v.iter().position(|&b| b != 0).unwrap_or(v.len());
    &v[i..]
}

/// Compares two big-endian numbers of any widths.
fn cmp_be(a: &[u8], b: &[u8]) -> Ordering {
    let (a, b) = (trim(a), trim(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// RFC 8017 §7.2.2 step 3: EM = 0x00 || 0x02 || PS || 0x00 || M with at
/// least eight non-zero bytes of PS. The message, or `None` for a bad block.
fn pkcs1_v15_unpad(em: &[u8]) -> Option<&[u8]> {
    if em.len() < 11 || em[0] != 0 || em[1] != 2 {
        return None;
    }
    let sep = 2 + em[2..].iter().position(|&b| b == 0)?;
    if sep - 2 < 8 {
        return None;
    }
    Some(&em[sep + 1..])
}

/// The private key of a group, as the file gives it.
struct RsaKey {
    n: Vec<u8>,
    e: Vec<u8>,
    d: Vec<u8>,
    p: Vec<u8>,
    q: Vec<u8>,
    dp: Vec<u8>,
    dq: Vec<u8>,
    qi: Vec<u8>,
}

impl RsaKey {
    fn from_record(r: &Record) -> RsaKey {
        let h = |k| hex(field(r, k));
        RsaKey {
            n: h("n"),
            e: h("e"),
            d: h("d"),
            p: h("p"),
            q: h("q"),
            dp: h("dp"),
            dq: h("dq"),
            qi: h("qi"),
        }
    }
}

/// What one case gave: whether the ciphertext was accepted as the expected
/// message.
fn rsa_case(key: &RsaKey, r: &Record) -> bool {
    let id = field(r, "tcId");
    let ct = hex(field(r, "ct"));
    let msg = hex(field(r, "msg"));
    let k = trim(&key.n).len();

    let mut plain = vec![0xa5u8; k];
    let mut crt = vec![0x5au8; k];
    let r1 = rsa::decrypt(&key.n, &key.d, &ct, &mut plain);
    let r2 = rsa::decrypt_crt(&key.p, &key.q, &key.dp, &key.dq, &key.qi, &ct, &mut crt);

    // The raw primitive takes 0 < c < n whatever the buffer's width.
    let in_range = !trim(&ct).is_empty() && cmp_be(&ct, &key.n) == Ordering::Less;
    if !in_range {
        for (what, res) in [("decrypt", r1), ("decrypt_crt", r2)] {
            assert!(
                matches!(res, Err(AsymError::InvalidParam(_))),
                "tcId {id}: {what} of a ciphertext not in (0, n) gave {res:?}"
            );
        }
        return false;
    }
    r1.unwrap_or_else(|e| panic!("tcId {id}: decrypt: {e}"));
    r2.unwrap_or_else(|e| panic!("tcId {id}: decrypt_crt: {e}"));
    assert_eq!(plain, crt, "tcId {id}: the two key forms disagree");

    // The block re-encrypts to the ciphertext (the same number).
    let mut back = vec![0u8; k];
    rsa::encrypt(&key.n, &key.e, &plain, &mut back).unwrap();
    assert_eq!(trim(&back), trim(&ct), "tcId {id}: re-encryption");

    // RFC 8017 §7.2.2 step 1: the ciphertext is exactly k bytes.
    ct.len() == k && pkcs1_v15_unpad(&plain) == Some(&msg[..])
}

/// Runs a PKCS#1 v1.5 file; returns (cases, keys, flags seen).
fn rsa_file(text: &str, bits: usize) -> (usize, usize, BTreeSet<String>) {
    let mut key = None;
    let (mut cases, mut keys) = (0, 0);
    let mut flags = BTreeSet::new();
    for r in &records(text) {
        if r.iter().any(|(k, _)| k == "n") {
            let kk = RsaKey::from_record(r);
            assert_eq!(trim(&kk.n).len() * 8, bits, "modulus size");
            key = Some(kk);
            keys += 1;
            continue;
        }
        let key = key.as_ref().expect("a key record comes first");
        let id = field(r, "tcId");
        let accepted = rsa_case(key, r);
        match field(r, "result") {
            "valid" => assert!(
                accepted,
                "tcId {id}: valid case not decrypted to its message"
            ),
            "invalid" => assert!(!accepted, "tcId {id}: invalid case accepted"),
            other => panic!("tcId {id}: unexpected result {other}"),
        }
        for f in field(r, "flags").split(',') {
            flags.insert(f.trim().to_string());
        }
        cases += 1;
    }
    (cases, keys, flags)
}

#[test]
fn wycheproof_rsa_pkcs1_2048_raw_decrypt() {
    let (cases, keys, flags) = rsa_file(
        include_str!("data/asym/wycheproof_rsa_pkcs1_2048.txt"),
        2048,
    );
    assert_eq!((cases, keys), (37, 3));
    let want = [
        "CVE 2020-14967",
        "CVE 2021-3580",
        "InvalidCiphertextFormat",
        "InvalidPkcs1Padding",
        "Normal",
        "SpecialCase",
        "SpecialCasePadding",
        "Sslv23Padding",
    ];
    assert_eq!(flags, want.iter().map(|s| s.to_string()).collect());
}

#[test]
fn wycheproof_rsa_pkcs1_3072_raw_decrypt() {
    let (cases, keys, _) = rsa_file(
        include_str!("data/asym/wycheproof_rsa_pkcs1_3072.txt"),
        3072,
    );
    assert_eq!((cases, keys), (17, 1));
}

#[test]
fn pkcs1_v15_unpad_checks() {
    let mut em = vec![0u8, 2];
    em.extend([0xffu8; 8]);
    em.push(0);
    em.extend(b"hi");
    assert_eq!(pkcs1_v15_unpad(&em), Some(&b"hi"[..]));
    em[9] = 0; // PS of seven bytes
    assert_eq!(pkcs1_v15_unpad(&em), None);
    em[9] = 1;
    em[1] = 1; // block type 1
    assert_eq!(pkcs1_v15_unpad(&em), None);
    em[1] = 2;
    em[0] = 1;
    assert_eq!(pkcs1_v15_unpad(&em), None);
    let no_sep = [0u8, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    assert_eq!(pkcs1_v15_unpad(&no_sep), None);
}

/// RFC 8032 §5.1 / §5.2 base points, big-endian.
const ED25519_B: (&str, &str) = (
    "216936d3cd6e53fec0a4e231fdd6dc5c692cc7609525a7b2c9562d608f25d51a",
    "6666666666666666666666666666666666666666666666666666666666666658",
);
const ED448_B: (&str, &str) = (
    "4f1970c66bed0ded221d15a622bf36da9e146570470f1767ea6de324a3d3a46412ae1af72ab66511433b80e18b00938e2626a82bc70cc05e",
    "693f46716eb6bc248876203756c9c7624bea73736ca3984087789c1e05a0c2d73ad3ff1ce67c39c4fdbd132c4ed7c8ad9808795bf230fa14",
);

/// A little-endian value as a big-endian QAT buffer of `len` bytes.
fn be(le: &[u8], len: usize) -> Vec<u8> {
    let mut v = vec![0u8; len - le.len()];
    v.extend(le.iter().rev());
    v
}

/// A big-endian number left-padded to `len` bytes.
fn pad(b: &[u8], len: usize) -> Vec<u8> {
    let mut v = vec![0u8; len - b.len()];
    v.extend_from_slice(b);
    v
}

/// RFC 8032's point encoding from QAT's big-endian affine (x, y).
fn encode(curve: MontEdwdsCurve, x: &[u8], y: &[u8]) -> Vec<u8> {
    let (n, ylen) = if curve == MontEdwdsCurve::Ed25519 {
        (32, 32)
    } else {
        (57, 56)
    };
    let mut enc: Vec<u8> = y[y.len() - ylen..].iter().rev().copied().collect();
    enc.resize(n, 0);
    enc[n - 1] |= (x[x.len() - 1] & 1) << 7;
    enc
}

/// The secret scalar s of an RFC 8032 secret key, big-endian in QAT's buffer.
fn secret_scalar(curve: MontEdwdsCurve, sk: &[u8]) -> Vec<u8> {
    if curve == MontEdwdsCurve::Ed25519 {
        use sha2::Digest;
        let h = sha2::Sha512::digest(sk);
        let mut s = h[..32].to_vec();
        s[0] &= 0xf8;
        s[31] &= 0x7f;
        s[31] |= 0x40;
        be(&s, 32)
    } else {
        use sha3::digest::{ExtendableOutput, Update, XofReader};
        let mut h = sha3::Shake256::default();
        h.update(sk);
        let mut buf = [0u8; 114];
        h.finalize_xof().read(&mut buf);
        let mut s = buf[..57].to_vec();
        s[0] &= 0xfc;
        s[56] = 0;
        s[55] |= 0x80;
        be(&s[..56], 64)
    }
}

fn eddsa_key_pairs(text: &str, curve: MontEdwdsCurve, groups: usize) {
    let len = curve.buffer_len();
    let (bx, by) = if curve == MontEdwdsCurve::Ed25519 {
        ED25519_B
    } else {
        ED448_B
    };
    let (bx, by) = (pad(&hex(bx), len), pad(&hex(by), len));

    // The generator is RFC 8032's B.
    let mut one = vec![0u8; len];
    one[len - 1] = 1;
    let (mut gx, mut gy) = (vec![0u8; len], vec![0u8; len]);
    montedwds::point_multiply(curve, true, &one, &[], &[], &mut gx, &mut gy).unwrap();
    assert_eq!((&gx, &gy), (&bx, &by), "{curve:?}: 1·generator is not B");

    let recs = records(text);
    assert_eq!(recs.len(), groups);
    let mut seen = BTreeSet::new();
    for r in &recs {
        let ids = field(r, "tcIds");
        let want = format!("{curve:?}");
        assert_eq!(field(r, "curve"), want, "tcIds {ids}");
        let pk = hex(field(r, "pk"));
        assert!(
            seen.insert(pk.clone()),
            "tcIds {ids}: key pair listed twice"
        );
        let s = secret_scalar(curve, &hex(field(r, "sk")));

        let (mut x, mut y) = (vec![0u8; len], vec![0u8; len]);
        montedwds::point_multiply(curve, true, &s, &[], &[], &mut x, &mut y).unwrap();
        assert_eq!(
            encode(curve, &x, &y),
            pk,
            "tcIds {ids}: [s]B by the generator"
        );

        let (mut x2, mut y2) = (vec![0u8; len], vec![0u8; len]);
        montedwds::point_multiply(curve, false, &s, &bx, &by, &mut x2, &mut y2).unwrap();
        assert_eq!((x2, y2), (x, y), "tcIds {ids}: [s]B as a variable point");
    }
}

#[test]
fn wycheproof_ed25519_public_keys_are_generator_multiplies() {
    eddsa_key_pairs(
        include_str!("data/asym/wycheproof_ed25519_key_pairs.txt"),
        MontEdwdsCurve::Ed25519,
        18,
    );
}

#[test]
fn wycheproof_ed448_public_keys_are_generator_multiplies() {
    eddsa_key_pairs(
        include_str!("data/asym/wycheproof_ed448_key_pairs.txt"),
        MontEdwdsCurve::Ed448,
        9,
    );
}
