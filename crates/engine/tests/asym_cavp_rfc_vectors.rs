//! Known answers from primary sources for ECDSA, DSA and Diffie-Hellman,
//! run through the engine's public calls (data files in `data/asym/`, each
//! naming its source on its first line):
//! - NIST CAVP FIPS 186-3 ECDSA SigGen (P-256, P-384, P-521 with SHA-256,
//!   SHA-384, SHA-512): the message is hashed here and cut with
//!   [`ecdsa::truncate_digest`], signed with the vector's d and k through
//!   `sign_rs` and `sign_r` + `sign_s`, and verified with (Qx, Qy);
//! - NIST CAVP FIPS 186-3 DSA SigGen ((2048, 224), (2048, 256), (3072, 256)):
//!   z is the leftmost N bits of the hash; `gen_y`, `sign_rs`, `sign_r` +
//!   `sign_s` and `verify` with the vector's X, K and Y;
//! - RFC 5114 appendix A.1-A.3: both parties' phase 1 and phase 2 on the
//!   1024- and 2048-bit MODP groups with prime-order subgroups.
//!
//! Each check compares against the source's value, and each verification
//! is also run on a corrupted signature or digest, which must not verify.

mod common;

use common::{field, records, NistParams as Curve, Record, P256, P384, P521};
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use softqat_engine::asym::ec::{self, FieldType};
use softqat_engine::asym::{dh, dsa, ecdsa, ln};

/// Bytes from hex digits, whitespace ignored; an odd number of digits is
/// read as if it had one more leading 0 (CAVP prints P-521 numbers with 131
/// digits).
fn hexn(s: &str) -> Vec<u8> {
    let mut s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if s.len() % 2 == 1 {
        s.insert(0, '0');
    }
    common::hex(&s)
}

/// `v` left-padded with zeros to `len` bytes (its leading zero bytes cut
/// first, so a source value with more digits than the field still fits).
fn pad(v: &[u8], len: usize) -> Vec<u8> {
    let start = v.iter().position(|&b| b != 0).unwrap_or(v.len());
    let v = &v[start..];
    assert!(v.len() <= len, "{} bytes do not fit in {len}", v.len());
    let mut out = vec![0u8; len - v.len()];
    out.extend_from_slice(v);
    out
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

fn has(r: &Record, k: &str) -> bool {
    r.iter().any(|(n, _)| n == k)
}

fn curve(name: &str) -> &'static Curve {
    match name {
        "P-256" => &P256,
        "P-384" => &P384,
        "P-521" => &P521,
        other => panic!("unknown curve {other}"),
    }
}

/// One CAVP ECDSA SigGen record through sign_rs, sign_r + sign_s and
/// verify.
fn ecdsa_siggen_record(r: &Record) {
    let c = curve(field(r, "curve"));
    let (p, a, b, n) = (hexn(c.p), hexn(c.a), hexn(c.b), hexn(c.n));
    let (gx, gy) = (hexn(c.gx), hexn(c.gy));
    let flen = n.len();
    let what = format!(
        "[{},{}] d = {}",
        field(r, "curve"),
        field(r, "hash"),
        field(r, "d")
    );
    let m = ecdsa::truncate_digest(&sha(field(r, "hash"), &hexn(field(r, "Msg"))), &n);
    let (d, k) = (hexn(field(r, "d")), hexn(field(r, "k")));
    let (qx, qy) = (
        pad(&hexn(field(r, "Qx")), flen),
        pad(&hexn(field(r, "Qy")), flen),
    );
    let want_r = pad(&hexn(field(r, "R")), flen);
    let want_s = pad(&hexn(field(r, "S")), flen);

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
    let (mut rr, mut ss) = (vec![0xAAu8; flen], vec![0xAAu8; flen]);
    assert_eq!(ecdsa::sign_rs(&op, &mut rr, &mut ss), Ok(true), "{what}");
    assert_eq!(rr, want_r, "{what}: sign_rs r");
    assert_eq!(ss, want_s, "{what}: sign_rs s");

    // The split calls, r into a buffer wider than n (left-padded).
    let sr = ecdsa::SignR {
        xg: &gx,
        yg: &gy,
        n: &n,
        q: &p,
        a: &a,
        b: &b,
        k: &k,
        field_type: FieldType::Prime,
    };
    let mut r_wide = vec![0xAAu8; flen + 5];
    assert_eq!(ecdsa::sign_r(&sr, &mut r_wide), Ok(true), "{what}");
    assert_eq!(&r_wide[..5], &[0u8; 5], "{what}: sign_r padding");
    assert_eq!(&r_wide[5..], &want_r[..], "{what}: sign_r");
    let s_op = ecdsa::SignS {
        m: &m,
        d: &d,
        r: &want_r,
        k: &k,
        n: &n,
        field_type: FieldType::Prime,
    };
    let mut s2 = vec![0xAAu8; flen];
    assert_eq!(ecdsa::sign_s(&s_op, &mut s2), Ok(true), "{what}");
    assert_eq!(s2, want_s, "{what}: sign_s");

    // Q is on the curve, the signature verifies with it, and a changed s
    // or message does not.
    let on = ec::point_verify(&ec::PointVerify {
        xq: &qx,
        yq: &qy,
        q: &p,
        a: &a,
        b: &b,
        field_type: FieldType::Prime,
    });
    assert_eq!(on, Ok(true), "{what}: Q not on the curve");
    let v = ecdsa::Verify {
        xg: &gx,
        yg: &gy,
        n: &n,
        q: &p,
        a: &a,
        b: &b,
        m: &m,
        r: &want_r,
        s: &want_s,
        xp: &qx,
        yp: &qy,
        field_type: FieldType::Prime,
    };
    assert_eq!(ecdsa::verify(&v), Ok(true), "{what}: verify");
    let mut bad_s = want_s.clone();
    bad_s[flen - 1] ^= 1;
    assert_eq!(
        ecdsa::verify(&ecdsa::Verify { s: &bad_s, ..v }),
        Ok(false),
        "{what}: a changed s verified"
    );
    let mut bad_m = m.clone();
    bad_m[0] ^= 0x10;
    assert_eq!(
        ecdsa::verify(&ecdsa::Verify { m: &bad_m, ..v }),
        Ok(false),
        "{what}: a changed digest verified"
    );
}

#[test]
fn cavp_ecdsa_siggen_p256_p384_p521() {
    let recs = records(include_str!(
        "data/asym/ecdsa_cavp_siggen_p256_p384_p521.txt"
    ));
    let mut per = std::collections::BTreeMap::<String, usize>::new();
    for r in &recs {
        ecdsa_siggen_record(r);
        *per.entry(format!("{},{}", field(r, "curve"), field(r, "hash")))
            .or_default() += 1;
    }
    eprintln!("CAVP ECDSA SigGen: {per:?}");
    assert_eq!(recs.len(), 23, "{per:?}");
    for c in ["P-256", "P-384", "P-521"] {
        let n: usize = per
            .iter()
            .filter(|(k, _)| k.starts_with(c))
            .map(|(_, v)| v)
            .sum();
        assert!(n >= 5, "{c}: only {n} records");
    }
}

/// The DSA domain of a CAVP section.
struct Domain {
    l: usize,
    n: usize,
    hash: String,
    p: Vec<u8>,
    q: Vec<u8>,
    g: Vec<u8>,
}

/// One CAVP DSA SigGen record: Y = g^X, the signature with K, verification.
fn dsa_siggen_record(dom: &Domain, r: &Record) {
    let what = format!(
        "[L={}, N={}, {}] X = {}",
        dom.l,
        dom.n,
        dom.hash,
        field(r, "X")
    );
    let (lb, nb) = (dom.l / 8, dom.n / 8);
    let h = sha(&dom.hash, &hexn(field(r, "Msg")));
    // z: the leftmost min(N, outlen) bits of the hash (N is a multiple of 8).
    let z = h[..h.len().min(nb)].to_vec();
    let (x, k) = (hexn(field(r, "X")), hexn(field(r, "K")));
    let y = pad(&hexn(field(r, "Y")), lb);
    let (want_r, want_s) = (pad(&hexn(field(r, "R")), nb), pad(&hexn(field(r, "S")), nb));

    let mut y_out = vec![0xAAu8; lb];
    assert_eq!(dsa::gen_y(&dom.p, &dom.g, &x, &mut y_out), Ok(()), "{what}");
    assert_eq!(y_out, y, "{what}: gen_y");

    let (mut rr, mut ss) = (vec![0xAAu8; nb], vec![0xAAu8; nb]);
    assert_eq!(
        dsa::sign_rs(&dom.p, &dom.q, &dom.g, &x, &k, &z, &mut rr, &mut ss),
        Ok(true),
        "{what}"
    );
    assert_eq!(rr, want_r, "{what}: sign_rs r");
    assert_eq!(ss, want_s, "{what}: sign_rs s");

    let mut r_wide = vec![0xAAu8; nb + 3];
    assert_eq!(
        dsa::sign_r(&dom.p, &dom.q, &dom.g, &k, &mut r_wide),
        Ok(true),
        "{what}"
    );
    assert_eq!(&r_wide[..3], &[0u8; 3], "{what}: sign_r padding");
    assert_eq!(&r_wide[3..], &want_r[..], "{what}: sign_r");
    let mut s2 = vec![0xAAu8; nb];
    assert_eq!(
        dsa::sign_s(&dom.q, &x, &k, &want_r, &z, &mut s2),
        Ok(true),
        "{what}"
    );
    assert_eq!(s2, want_s, "{what}: sign_s");

    let verify = |z: &[u8], s: &[u8]| dsa::verify(&dom.p, &dom.q, &dom.g, &y, z, &want_r, s);
    assert_eq!(verify(&z, &want_s), Ok(true), "{what}: verify");
    let mut bad_s = want_s.clone();
    bad_s[nb - 1] ^= 1;
    assert_eq!(
        verify(&z, &bad_s),
        Ok(false),
        "{what}: a changed s verified"
    );
    let mut bad_z = z.clone();
    bad_z[nb / 2] ^= 0x01;
    assert_eq!(
        verify(&bad_z, &want_s),
        Ok(false),
        "{what}: a changed z verified"
    );
}

#[test]
fn cavp_dsa_siggen_2048_224_2048_256_3072_256() {
    let recs = records(include_str!("data/asym/dsa_cavp_siggen_fips186_3.txt"));
    let mut dom: Option<Domain> = None;
    let mut per = std::collections::BTreeMap::<String, usize>::new();
    for r in &recs {
        if has(r, "P") {
            let d = Domain {
                l: field(r, "L").parse().unwrap(),
                n: field(r, "N").parse().unwrap(),
                hash: field(r, "hash").to_string(),
                p: hexn(field(r, "P")),
                q: hexn(field(r, "Q")),
                g: hexn(field(r, "G")),
            };
            assert!(dsa::LN_SIZES.contains(&(d.l, d.n)), "({}, {})", d.l, d.n);
            assert_eq!((d.p.len() * 8, d.q.len() * 8), (d.l, d.n));
            dom = Some(d);
            continue;
        }
        let d = dom.as_ref().expect("a domain record before the tests");
        dsa_siggen_record(d, r);
        *per.entry(format!("L={}, N={}, {}", d.l, d.n, d.hash))
            .or_default() += 1;
    }
    eprintln!("CAVP DSA SigGen: {per:?}");
    assert_eq!(per.values().sum::<usize>(), 11, "{per:?}");
    assert_eq!(per.len(), 4, "{per:?}");
}

#[test]
fn rfc5114_dh_modp_groups() {
    let recs = records(include_str!("data/asym/dh_rfc5114.txt"));
    assert_eq!(recs.len(), 3);
    for r in &recs {
        let what = field(r, "group");
        let p = hexn(field(r, "p"));
        let g = hexn(field(r, "g"));
        let q = hexn(field(r, "q"));
        let len = p.len();
        assert!(
            dh::PRIME_BITS.contains(&(len * 8)),
            "{what}: {} bits",
            len * 8
        );
        let (xa, xb) = (hexn(field(r, "xA")), hexn(field(r, "xB")));
        let (ya, yb, z) = (
            pad(&hexn(field(r, "yA")), len),
            pad(&hexn(field(r, "yB")), len),
            pad(&hexn(field(r, "Z")), len),
        );
        let mut out = vec![0xAAu8; len];
        assert_eq!(dh::phase1(&p, &g, &xa, &mut out), Ok(()), "{what}");
        assert_eq!(out, ya, "{what}: yA = g^xA");
        assert_eq!(dh::phase1(&p, &g, &xb, &mut out), Ok(()), "{what}");
        assert_eq!(out, yb, "{what}: yB = g^xB");
        assert_eq!(dh::phase2(&p, &yb, &xa, &mut out), Ok(()), "{what}");
        assert_eq!(out, z, "{what}: Z = yB^xA");
        out.fill(0xAA);
        assert_eq!(dh::phase2(&p, &ya, &xb, &mut out), Ok(()), "{what}");
        assert_eq!(out, z, "{what}: Z = yA^xB");
        // An output wider than p is left-padded.
        let mut wide = vec![0xAAu8; len + 4];
        assert_eq!(dh::phase2(&p, &ya, &xb, &mut wide), Ok(()), "{what}");
        assert_eq!(&wide[..4], &[0u8; 4], "{what}");
        assert_eq!(&wide[4..], &z[..], "{what}: wide Z");
        // g, yA, yB and Z lie in the subgroup of order q (checks the
        // transcribed q and g against each other).
        for (name, v) in [("g", &g), ("yA", &ya), ("yB", &yb), ("Z", &z)] {
            let mut one = vec![0xAAu8; len];
            assert_eq!(ln::mod_exp(&p, v, &q, &mut one), Ok(()), "{what}");
            assert_eq!(pad(&one, len), pad(&[1], len), "{what}: {name}^q != 1");
        }
    }
}
