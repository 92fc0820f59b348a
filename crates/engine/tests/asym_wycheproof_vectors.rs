//! Wycheproof known answers for the public-key engine, run through its
//! public calls (data files in `data/asym/wycheproof_*.txt`, each naming
//! its source on its first line):
//! - ECDSA verification on P-256, P-384 and P-521 (P1363 signatures; the
//!   message is hashed here and cut to the leftmost bits of n with
//!   [`ecdsa::truncate_digest`], as QAT's caller does);
//! - ECDH on P-256, P-384, P-521 and brainpoolP256r1 through
//!   `ecdh_point_multiply` with point verification on (brainpool goes
//!   through the generic ladder, not aws-lc's named groups);
//! - DSA verification (2048-bit p, 224- and 256-bit q);
//! - X448 through `montedwds::point_multiply`.
//!
//! Outcomes: "valid" must verify (`Ok(true)`) or give the expected shared
//! secret; "invalid" must be refused (`Ok(false)` or an error);
//! "acceptable" may go either way but must not panic and, when it gives a
//! shared secret, must give the expected one.

mod common;

use common::{field, hex, records, NistParams as Params, Record, P256, P384, P521};
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use softqat_engine::asym::ec::{self, FieldType};
use softqat_engine::asym::montedwds::{self, MontEdwdsCurve};
use softqat_engine::asym::{dsa, ecdsa, AsymResult};

/// RFC 5639 section 3.4.
const BRAINPOOL_P256R1: Params = Params {
    p: "A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377",
    a: "7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9",
    b: "26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6",
    n: "A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7",
    gx: "8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262",
    gy: "547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997",
};

/// DER of SubjectPublicKeyInfo { id-ecPublicKey, brainpoolP256r1 } up to
/// the BIT STRING's content (its unused-bits byte 00 included).
const SPKI_PREFIX_BRAINPOOL_P256R1: &str = "305a301406072a8648ce3d020106092b2403030208010107034200";

/// The outcome classes of a Wycheproof case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Valid,
    Invalid,
    Acceptable,
}

fn expect(r: &Record) -> Expect {
    match field(r, "result") {
        "valid" => Expect::Valid,
        "invalid" => Expect::Invalid,
        "acceptable" => Expect::Acceptable,
        other => panic!("unknown result {other}"),
    }
}

fn is_key(r: &Record) -> bool {
    r.iter().all(|(k, _)| k != "tcId")
}

/// Checks the curve constants against the engine itself: G is on the curve
/// (catches a mistyped constant before it could mask a vector).
fn check_params(c: &Params) {
    let (p, a, b) = (hex(c.p), hex(c.a), hex(c.b));
    let on = ec::point_verify(&ec::PointVerify {
        xq: &hex(c.gx),
        yq: &hex(c.gy),
        q: &p,
        a: &a,
        b: &b,
        field_type: FieldType::Prime,
    });
    assert_eq!(on, Ok(true), "generator not on the curve: {}", c.p);
}

fn sha(name: &str, msg: &[u8]) -> Vec<u8> {
    match name {
        "SHA-224" => Sha224::digest(msg).to_vec(),
        "SHA-256" => Sha256::digest(msg).to_vec(),
        "SHA-384" => Sha384::digest(msg).to_vec(),
        "SHA-512" => Sha512::digest(msg).to_vec(),
        other => panic!("unknown hash {other}"),
    }
}

/// Tallies of one vector file, to show that every class was exercised.
#[derive(Debug, Default)]
struct Tally {
    valid: usize,
    invalid: usize,
    acceptable: usize,
}

impl Tally {
    fn add(&mut self, e: Expect) {
        match e {
            Expect::Valid => self.valid += 1,
            Expect::Invalid => self.invalid += 1,
            Expect::Acceptable => self.acceptable += 1,
        }
    }
}

/// Judges a verification outcome against the case's expected result.
fn judge_verify(e: Expect, got: AsymResult<bool>, what: &str) {
    match e {
        Expect::Valid => assert_eq!(got, Ok(true), "{what}: a valid signature must verify"),
        Expect::Invalid => assert!(
            got != Ok(true),
            "{what}: an invalid signature verified ({got:?})"
        ),
        Expect::Acceptable => {}
    }
}

/// Runs a Wycheproof ECDSA P1363 subset: a record with `wx`, `wy` sets the
/// key; each case's `sig` is split into halves r, s (as P1363 does, for
/// any even length, so over-long halves reach the engine's range checks).
fn ecdsa_file(text: &str, c: &Params, hash: &str, min_cases: usize) -> Tally {
    check_params(c);
    let (p, a, b, n) = (hex(c.p), hex(c.a), hex(c.b), hex(c.n));
    let (gx, gy) = (hex(c.gx), hex(c.gy));
    let mut key: Option<(Vec<u8>, Vec<u8>)> = None;
    let mut tally = Tally::default();
    for r in records(text) {
        if is_key(&r) {
            key = Some((hex(field(&r, "wx")), hex(field(&r, "wy"))));
            continue;
        }
        let (xp, yp) = key.as_ref().expect("a key record before the cases");
        let id = field(&r, "tcId");
        let e = expect(&r);
        let sig = hex(field(&r, "sig"));
        assert!(
            sig.len().is_multiple_of(2),
            "tcId {id}: odd signature length"
        );
        let (sr, ss) = sig.split_at(sig.len() / 2);
        let m = ecdsa::truncate_digest(&sha(hash, &hex(field(&r, "msg"))), &n);
        let got = ecdsa::verify(&ecdsa::Verify {
            xg: &gx,
            yg: &gy,
            n: &n,
            q: &p,
            a: &a,
            b: &b,
            m: &m,
            r: sr,
            s: ss,
            xp,
            yp,
            field_type: FieldType::Prime,
        });
        judge_verify(e, got, &format!("tcId {id} ({})", field(&r, "comment")));
        tally.add(e);
    }
    let total = tally.valid + tally.invalid + tally.acceptable;
    assert!(total >= min_cases, "only {total} cases: {tally:?}");
    assert!(tally.valid > 0 && tally.invalid > 0, "{tally:?}");
    tally
}

#[test]
fn wycheproof_ecdsa_p256_sha256() {
    let t = ecdsa_file(
        include_str!("data/asym/wycheproof_ecdsa_p256_sha256_p1363.txt"),
        &P256,
        "SHA-256",
        60,
    );
    eprintln!("P-256: {t:?}");
}

#[test]
fn wycheproof_ecdsa_p384_sha384() {
    let t = ecdsa_file(
        include_str!("data/asym/wycheproof_ecdsa_p384_sha384_p1363.txt"),
        &P384,
        "SHA-384",
        40,
    );
    eprintln!("P-384: {t:?}");
}

#[test]
fn wycheproof_ecdsa_p521_sha512() {
    let t = ecdsa_file(
        include_str!("data/asym/wycheproof_ecdsa_p521_sha512_p1363.txt"),
        &P521,
        "SHA-512",
        35,
    );
    eprintln!("P-521: {t:?}");
}

/// Runs a Wycheproof ECDH subset (uncompressed public points) through
/// `ecdh_point_multiply` with point verification on: "valid" must give the
/// expected x; "invalid" must be refused (`Ok(false)` or an error).
fn ecdh_file(text: &str, c: &Params, min_cases: usize) -> Tally {
    check_params(c);
    let (p, a, b) = (hex(c.p), hex(c.a), hex(c.b));
    let flen = p.len();
    let mut tally = Tally::default();
    for r in records(text) {
        let id = field(&r, "tcId");
        let e = expect(&r);
        let public = if r.iter().any(|(k, _)| k == "public_der") {
            // X.509 SubjectPublicKeyInfo with a named curve: the point is
            // the BIT STRING's content after its unused-bits byte.
            let der = hex(field(&r, "public_der"));
            let prefix = hex(SPKI_PREFIX_BRAINPOOL_P256R1);
            assert!(der.starts_with(&prefix), "tcId {id}: unexpected SPKI");
            der[prefix.len()..].to_vec()
        } else {
            hex(field(&r, "public"))
        };
        assert!(
            public.len() == 1 + 2 * flen && public[0] == 4,
            "tcId {id}: not an uncompressed point"
        );
        let (xg, yg) = public[1..].split_at(flen);
        let k = hex(field(&r, "private"));
        let (mut ox, mut oy) = (vec![0xAAu8; flen], vec![0xAAu8; flen]);
        let got = ec::ecdh_point_multiply(
            &ec::EcdhPointMultiply {
                k: &k,
                xg,
                yg,
                a: &a,
                b: &b,
                q: &p,
                h: &[],
                field_type: FieldType::Prime,
                point_verify: true,
            },
            &mut ox,
            &mut oy,
        );
        let what = format!("tcId {id} ({})", field(&r, "comment"));
        match e {
            Expect::Valid => {
                assert_eq!(got, Ok(true), "{what}: a valid exchange must succeed");
                assert_eq!(ox, hex(field(&r, "shared")), "{what}: shared secret");
            }
            Expect::Invalid => {
                assert!(got != Ok(true), "{what}: an invalid point was multiplied");
            }
            Expect::Acceptable => {
                if got == Ok(true) {
                    assert_eq!(ox, hex(field(&r, "shared")), "{what}: shared secret");
                }
            }
        }
        tally.add(e);
    }
    let total = tally.valid + tally.invalid + tally.acceptable;
    assert!(total >= min_cases, "only {total} cases: {tally:?}");
    assert!(tally.valid > 0, "{tally:?}");
    tally
}

#[test]
fn wycheproof_ecdh_p256() {
    let t = ecdh_file(
        include_str!("data/asym/wycheproof_ecdh_p256_ecpoint.txt"),
        &P256,
        50,
    );
    eprintln!("ECDH P-256: {t:?}");
}

#[test]
fn wycheproof_ecdh_p384() {
    let t = ecdh_file(
        include_str!("data/asym/wycheproof_ecdh_p384_ecpoint.txt"),
        &P384,
        40,
    );
    assert!(t.invalid >= 5, "{t:?}");
    eprintln!("ECDH P-384: {t:?}");
}

#[test]
fn wycheproof_ecdh_p521() {
    let t = ecdh_file(
        include_str!("data/asym/wycheproof_ecdh_p521_ecpoint.txt"),
        &P521,
        38,
    );
    assert!(t.invalid >= 16, "{t:?}");
    eprintln!("ECDH P-521: {t:?}");
}

#[test]
fn wycheproof_ecdh_brainpoolp256r1_generic_ladder() {
    let t = ecdh_file(
        include_str!("data/asym/wycheproof_ecdh_brainpoolp256r1.txt"),
        &BRAINPOOL_P256R1,
        25,
    );
    eprintln!("ECDH brainpoolP256r1: {t:?}");
}

/// Runs a Wycheproof DSA P1363 subset through `dsa::verify`: z is the
/// leftmost N bits of the hash (N the bit length of q), the signature's
/// halves are r and s.
fn dsa_file(text: &str, hash: &str, min_cases: usize) -> Tally {
    let recs = records(text);
    let domain = &recs[0];
    let (p, q, g) = (
        hex(field(domain, "p")),
        hex(field(domain, "q")),
        hex(field(domain, "g")),
    );
    let mut y: Option<Vec<u8>> = None;
    let mut tally = Tally::default();
    for r in &recs[1..] {
        if is_key(r) {
            y = Some(hex(field(r, "y")));
            continue;
        }
        let y = y.as_ref().expect("a key record before the cases");
        let id = field(r, "tcId");
        let e = expect(r);
        let sig = hex(field(r, "sig"));
        assert!(
            sig.len().is_multiple_of(2),
            "tcId {id}: odd signature length"
        );
        let (sr, ss) = sig.split_at(sig.len() / 2);
        let z = ecdsa::truncate_digest(&sha(hash, &hex(field(r, "msg"))), &q);
        let got = dsa::verify(&p, &q, &g, y, &z, sr, ss);
        judge_verify(e, got, &format!("tcId {id} ({})", field(r, "comment")));
        tally.add(e);
    }
    let total = tally.valid + tally.invalid + tally.acceptable;
    assert!(total >= min_cases, "only {total} cases: {tally:?}");
    assert!(tally.valid > 0 && tally.invalid > 0, "{tally:?}");
    tally
}

#[test]
fn wycheproof_dsa_2048_224_sha224() {
    let t = dsa_file(
        include_str!("data/asym/wycheproof_dsa_2048_224_sha224_p1363.txt"),
        "SHA-224",
        19,
    );
    eprintln!("DSA 2048/224: {t:?}");
}

/// An RFC 7748 little-endian string as QAT's 64-byte big-endian buffer.
fn be64(le: &[u8]) -> Vec<u8> {
    let mut v = vec![0u8; 64 - le.len()];
    v.extend(le.iter().rev());
    v
}

#[test]
fn wycheproof_x448_subset() {
    let mut tally = Tally::default();
    for r in records(include_str!("data/asym/wycheproof_x448_subset.txt")) {
        let id = field(&r, "tcId");
        let e = expect(&r);
        let (u, k) = (hex(field(&r, "public")), hex(field(&r, "private")));
        assert_eq!((u.len(), k.len()), (56, 56), "tcId {id}");
        let mut out = vec![0xAAu8; 64];
        let mut unused = [0x55u8; 1];
        let got = montedwds::point_multiply(
            MontEdwdsCurve::Curve448,
            false,
            &be64(&k),
            &be64(&u),
            &[],
            &mut out,
            &mut unused,
        );
        let what = format!("tcId {id} ({})", field(&r, "comment"));
        // QAT computes X448 of any u (RFC 7748 section 5): a "valid" case
        // and every computed "acceptable" one must give the expected value.
        match (e, got) {
            (Expect::Invalid, got) => assert!(got.is_err(), "{what}: computed"),
            (Expect::Acceptable, Err(_)) => {}
            (_, got) => {
                assert_eq!(got, Ok(()), "{what}");
                assert_eq!(&out[..8], &[0u8; 8], "{what}: top bytes of the buffer");
                let le: Vec<u8> = out[8..].iter().rev().copied().collect();
                assert_eq!(le, hex(field(&r, "shared")), "{what}: shared secret");
            }
        }
        assert_eq!(unused, [0x55], "{what}: out_y written");
        tally.add(e);
    }
    assert!(
        tally.valid > 0 && tally.valid + tally.acceptable >= 20,
        "{tally:?}"
    );
    eprintln!("X448: {tally:?}");
}
