//! The public-key and key-generation APIs through the C ABI:
//! `tests/c/asym_run.c` runs every call of `cpa_cy_rsa.h` … `cpa_cy_key.h`
//! on libqat.so.4 from a request file this driver writes, synchronously and
//! asynchronously (callbacks from the poll calls), and the results are
//! checked here against known answers from the vector files of
//! `crates/engine/tests/data/asym/` (NIST CAVP/ACVP, RFCs, GB/T, Wycheproof:
//! each names its source) and against independent implementations
//! (num-bigint, p256, p384, sm2, x25519-dalek, ed25519-dalek, hkdf, sha1,
//! sha2, md-5, hmac). `tests/c/asym_refuse.c` checks refused arguments and
//! statistics.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use num_bigint::BigUint;
use sha2::Digest;

use common::*;

// ---- vectors ----

fn data(name: &str) -> PathBuf {
    crate_dir().join("../engine/tests/data/asym").join(name)
}

/// `key = value` records separated by blank lines; `#` lines are comments.
fn records(name: &str) -> Vec<Vec<(String, String)>> {
    let text = std::fs::read_to_string(data(name)).unwrap();
    let mut out = vec![];
    let mut cur: Vec<(String, String)> = vec![];
    for line in text.lines() {
        let line = line.trim_end();
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(" = ") {
            cur.push((k.trim().to_string(), v.trim().to_string()));
        } else if let Some(last) = cur.last_mut() {
            // A value continued on the next line.
            last.1.push_str(line.trim());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn get<'a>(r: &'a [(String, String)], k: &str) -> Option<&'a str> {
    r.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str())
}

/// Bytes from hex ("-" is empty; spaces ignored; an odd digit count gets
/// a leading 0).
fn h(s: &str) -> Vec<u8> {
    if s == "-" {
        return vec![];
    }
    let mut s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if s.len() % 2 == 1 {
        s.insert(0, '0');
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Hex for the request file ("-" for empty).
fn x(b: &[u8]) -> String {
    if b.is_empty() {
        return "-".into();
    }
    b.iter().map(|v| format!("{v:02x}")).collect()
}

fn big(b: &[u8]) -> BigUint {
    BigUint::from_bytes_be(b)
}

/// `v` right-aligned in `n` bytes.
fn pad(v: &[u8], n: usize) -> Vec<u8> {
    let v = strip(v);
    assert!(v.len() <= n, "{} bytes do not fit in {n}", v.len());
    let mut out = vec![0; n - v.len()];
    out.extend_from_slice(v);
    out
}

fn strip(v: &[u8]) -> &[u8] {
    let z = v.iter().take_while(|&&b| b == 0).count();
    &v[z..]
}

fn bn_bytes(v: &BigUint, n: usize) -> Vec<u8> {
    pad(&v.to_bytes_be(), n)
}

// ---- the C program ----

/// What one request gave.
#[derive(Debug)]
struct Res {
    status: i32,
    flag: i32,
    outs: Vec<Vec<u8>>,
}

type Check = Box<dyn Fn(&Res)>;

/// Requests and their checks; each request runs synchronously and
/// asynchronously.
#[derive(Default)]
struct Batch {
    lines: Vec<String>,
    checks: Vec<(String, Check)>,
}

impl Batch {
    fn add(
        &mut self,
        op: &str,
        args: &[String],
        what: impl Into<String>,
        check: impl Fn(&Res) + Clone + 'static,
    ) {
        let what = what.into();
        for mode in ["s", "a"] {
            self.lines.push(format!("{op} {mode} {}", args.join(" ")));
            self.checks
                .push((format!("{what} ({op}, {mode})"), Box::new(check.clone())));
        }
    }

    /// Runs the requests in the C program and every check; returns how many
    /// requests ran.
    fn run(self, name: &str) -> usize {
        let scratch = Scratch::new(name);
        let lib = stage_libs(scratch.path());
        let exe = compile("asym_run", scratch.path(), &lib, &["qat", "usdm"]);
        let req = scratch.path().join("requests.txt");
        let res = scratch.path().join("results.txt");
        std::fs::write(&req, self.lines.join("\n") + "\n").unwrap();
        let out = run(
            &exe,
            &[req.to_str().unwrap(), res.to_str().unwrap()],
            &[("SOFTQAT_LEGACY_ALGORITHMS", "1")],
            Duration::from_secs(60),
        );
        assert_passed(name, &out);
        let text = std::fs::read_to_string(&res).unwrap();
        let results: Vec<Res> = text
            .lines()
            .map(|l| {
                let mut t = l.split(' ');
                Res {
                    status: t.next().unwrap().parse().unwrap(),
                    flag: t.next().unwrap().parse().unwrap(),
                    outs: t.map(h).collect(),
                }
            })
            .collect();
        assert_eq!(results.len(), self.checks.len(), "one result per request");
        for ((what, check), r) in self.checks.iter().zip(&results) {
            let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(r)));
            if ok.is_err() {
                panic!("{what}: check failed on {r:?}");
            }
        }
        results.len()
    }
}

fn ok(r: &Res) {
    assert_eq!(r.status, 0, "status");
}

/// Success with the flag true and the outputs `want` (each right-aligned
/// in its buffer, which may be longer).
fn want(outs: Vec<Vec<u8>>) -> impl Fn(&Res) + Clone {
    move |r: &Res| {
        ok(r);
        assert_ne!(r.flag, 0, "flag");
        assert!(r.outs.len() >= outs.len());
        for (got, w) in r.outs.iter().zip(&outs) {
            assert_eq!(got, &pad(w, got.len()));
        }
    }
}

/// Success with the flag `f`.
fn flag(f: bool) -> impl Fn(&Res) + Clone {
    move |r: &Res| {
        ok(r);
        assert_eq!(r.flag, i32::from(f), "flag");
    }
}

/// Refused or false: a signature, point or number the call does not take.
fn rejected(r: &Res) {
    assert!(
        r.status != 0 || r.flag == 0,
        "expected a refusal or a false flag"
    );
}

fn s(v: &[u8]) -> String {
    x(v)
}

fn n(v: usize) -> String {
    v.to_string()
}

// ---- RSA ----

#[test]
fn rsa_keygen_encrypt_decrypt() {
    let mut b = Batch::default();
    for r in records("acvp_rsa_decryption_primitive.txt") {
        let (nn, e, d, p, q, ct, pt) = (
            h(get(&r, "n").unwrap()),
            h(get(&r, "e").unwrap()),
            h(get(&r, "d").unwrap()),
            h(get(&r, "p").unwrap()),
            h(get(&r, "q").unwrap()),
            h(get(&r, "ct").unwrap()),
            h(get(&r, "pt").unwrap()),
        );
        let tc = get(&r, "tcId").unwrap().to_string();
        let (bp, bq, bd) = (big(&p), big(&q), big(&d));
        let one = BigUint::from(1u8);
        let dp = &bd % (&bp - &one);
        let dq = &bd % (&bq - &one);
        let qinv = bq.modpow(&(&bp - BigUint::from(2u8)), &bp);
        let half = p.len();
        let (dp, dq, qinv) = (
            bn_bytes(&dp, half),
            bn_bytes(&dq, half),
            bn_bytes(&qinv, half),
        );
        let k = nn.len();
        // Representation 1 and 2, into an exact buffer and one 8 bytes longer.
        for size in [k, k + 8] {
            b.add(
                "rsa_dec1",
                &[s(&nn), s(&d), s(&ct), n(size)],
                format!("ACVP tc {tc} rep1"),
                want(vec![pt.clone()]),
            );
            b.add(
                "rsa_dec2",
                &[s(&p), s(&q), s(&dp), s(&dq), s(&qinv), s(&ct), n(size)],
                format!("ACVP tc {tc} rep2"),
                want(vec![pt.clone()]),
            );
        }
        b.add(
            "rsa_dpa2",
            &[s(&p), s(&q), s(&dp), s(&dq), s(&qinv), s(&ct), n(k)],
            format!("ACVP tc {tc} DPA"),
            want(vec![pt.clone()]),
        );
        b.add(
            "rsa_enc",
            &[s(&nn), s(&e), s(&pt), n(k)],
            format!("ACVP tc {tc} encrypt"),
            want(vec![ct.clone()]),
        );
        // Key generation from the same primes: n = pq, e·d ≡ 1 mod
        // lcm(p-1, q-1), CRT values as num-bigint computes them; e, p, q
        // copied into the keys.
        let (p2, q2, e2, nn2) = (p.clone(), q.clone(), e.clone(), nn.clone());
        let check = move |r: &Res, rep2: bool| {
            ok(r);
            assert_eq!(r.outs[0], nn2, "public n");
            assert_eq!(r.outs[1], e2, "public e");
            assert_eq!(r.outs[2], nn2, "rep1 n");
            let (bp, bq) = (big(&p2), big(&q2));
            let one = BigUint::from(1u8);
            let lambda = {
                let (a, b) = (&bp - &one, &bq - &one);
                let g = gcd(&a, &b);
                &a * &b / g
            };
            let d = big(&r.outs[3]);
            assert_eq!((&d * big(&e2)) % &lambda, one, "e·d ≡ 1 mod λ(n)");
            if rep2 {
                assert_eq!(r.outs[4], p2, "rep2 p");
                assert_eq!(r.outs[5], q2, "rep2 q");
                assert_eq!(big(&r.outs[6]), &d % (&bp - &one), "dP");
                assert_eq!(big(&r.outs[7]), &d % (&bq - &one), "dQ");
                assert_eq!((big(&r.outs[8]) * &bq) % &bp, one, "qInv");
            }
        };
        let c1 = check.clone();
        b.add(
            "rsa_gen",
            &[n(1), s(&p), s(&q), s(&e), n(k), n(k)],
            format!("keygen tc {tc} rep1"),
            move |r| c1(r, false),
        );
        b.add(
            "rsa_gen",
            &[n(2), s(&p), s(&q), s(&e), n(k), n(k)],
            format!("keygen tc {tc} rep2"),
            move |r| check(r, true),
        );
    }
    // Wycheproof PKCS #1 v1.5 decryption (2048): the raw RSADP output
    // encrypts back to the ciphertext (num-bigint), and for the valid cases
    // it is 00 02 PS 00 msg.
    let mut key: Option<[Vec<u8>; 8]> = None;
    let mut count = 0;
    for r in records("wycheproof_rsa_pkcs1_2048.txt") {
        if let Some(nv) = get(&r, "n") {
            let f = |k| h(get(&r, k).unwrap());
            key = Some([
                h(nv),
                f("e"),
                f("d"),
                f("p"),
                f("q"),
                f("dp"),
                f("dq"),
                f("qi"),
            ]);
            continue;
        }
        let Some([nn, e, d, p, q, dp, dq, qi]) = key.clone() else {
            continue;
        };
        if count == 12 {
            break;
        }
        count += 1;
        let ct = h(get(&r, "ct").unwrap());
        let msg = h(get(&r, "msg").unwrap());
        let valid = get(&r, "result") == Some("valid");
        let tc = get(&r, "tcId").unwrap().to_string();
        let (nb, eb) = (big(&nn), big(&e));
        let ctb = big(&ct);
        let check = move |r: &Res| {
            ok(r);
            let m = &r.outs[0];
            assert_eq!(m.len(), 256);
            assert_eq!(big(m).modpow(&eb, &nb), ctb, "m^e = c");
            if valid {
                assert_eq!(&m[..2], &[0, 2]);
                let z = 2 + m[2..].iter().position(|&v| v == 0).unwrap();
                assert!(z >= 10, "padding of 8 bytes or more");
                assert_eq!(&m[z + 1..], &msg[..]);
            }
        };
        b.add(
            "rsa_dec2",
            &[s(&p), s(&q), s(&dp), s(&dq), s(&qi), s(&ct), n(256)],
            format!("Wycheproof tc {tc}"),
            check.clone(),
        );
        b.add(
            "rsa_dec1",
            &[s(&nn), s(&d), s(&ct), n(256)],
            format!("Wycheproof tc {tc} rep1"),
            check,
        );
    }
    assert!(b.run("rsa") > 40);
}

fn gcd(a: &BigUint, b: &BigUint) -> BigUint {
    let (mut a, mut b) = (a.clone(), b.clone());
    while b != BigUint::default() {
        let t = &a % &b;
        a = b;
        b = t;
    }
    a
}

// ---- DH, DSA ----

#[test]
fn dh_and_dsa() {
    let mut b = Batch::default();
    for r in records("dh_rfc5114.txt") {
        let f = |k| h(get(&r, k).unwrap());
        let (p, g, xa, ya, yb, z) = (f("p"), f("g"), f("xA"), f("yA"), f("yB"), f("Z"));
        let grp = get(&r, "group").unwrap().to_string();
        b.add(
            "dh1",
            &[s(&p), s(&g), s(&xa), n(p.len())],
            format!("RFC 5114 {grp} phase 1"),
            want(vec![ya]),
        );
        b.add(
            "dh2",
            &[s(&p), s(&yb), s(&xa), n(p.len() + 4)],
            format!("RFC 5114 {grp} phase 2"),
            want(vec![z]),
        );
    }
    // FIPS 186-3 SigGen.
    let (mut p, mut q, mut g, mut hash) = (vec![], vec![], vec![], String::new());
    for r in records("dsa_cavp_siggen_fips186_3.txt") {
        if let Some(pv) = get(&r, "P") {
            p = h(pv);
            q = h(get(&r, "Q").unwrap());
            g = h(get(&r, "G").unwrap());
            hash = get(&r, "hash").unwrap().to_string();
            // G from h = 2 as num-bigint computes it (FIPS 186-3 A.2.1), and
            // P from X = P + 2q·k - 1 + 1 (A.1.1.2 steps 11.4, 11.5).
            let (bp, bq) = (big(&p), big(&q));
            let one = BigUint::from(1u8);
            let gg = BigUint::from(2u8).modpow(&((&bp - &one) / &bq), &bp);
            b.add(
                "dsa_g",
                &[s(&p), s(&q), s(&[2]), n(p.len())],
                "G from h = 2",
                want(vec![bn_bytes(&gg, p.len())]),
            );
            // X = p + 5: c = X mod 2q = 6 (p ≡ 1 mod 2q), so X - (c - 1) = p,
            // a prime: the flag (range and GCD checks) is true.
            let xx = &bp + BigUint::from(5u8);
            b.add(
                "dsa_p",
                &[s(&bn_bytes(&xx, p.len())), s(&q), n(p.len())],
                "P from X",
                move |r: &Res| {
                    ok(r);
                    assert_eq!(r.flag, 1, "p passes the range and GCD checks");
                    assert_eq!(big(&r.outs[0]), bp, "p = X - (X mod 2q - 1)");
                },
            );
            continue;
        }
        let Some(msg) = get(&r, "Msg") else { continue };
        let f = |k| h(get(&r, k).unwrap());
        let (xk, y, k, rr, ss) = (f("X"), f("Y"), f("K"), f("R"), f("S"));
        let digest = digest(&hash, &h(msg));
        let z = digest[..digest.len().min(q.len())].to_vec();
        let ql = q.len();
        b.add(
            "dsa_y",
            &[s(&p), s(&g), s(&xk), n(p.len())],
            "Y",
            want(vec![y.clone()]),
        );
        b.add(
            "dsa_r",
            &[s(&p), s(&q), s(&g), s(&k), n(ql)],
            "R",
            want(vec![rr.clone()]),
        );
        b.add(
            "dsa_s",
            &[s(&q), s(&xk), s(&k), s(&rr), s(&z), n(ql)],
            "S",
            want(vec![ss.clone()]),
        );
        b.add(
            "dsa_rs",
            &[s(&p), s(&q), s(&g), s(&xk), s(&k), s(&z), n(ql + 3)],
            "RS",
            want(vec![rr.clone(), ss.clone()]),
        );
        b.add(
            "dsa_ver",
            &[s(&p), s(&q), s(&g), s(&y), s(&z), s(&rr), s(&ss)],
            "verify",
            flag(true),
        );
        let mut bad = ss.clone();
        bad[ql / 2] ^= 1;
        b.add(
            "dsa_ver",
            &[s(&p), s(&q), s(&g), s(&y), s(&z), s(&rr), s(&bad)],
            "verify a corrupted S",
            rejected,
        );
    }
    // Wycheproof DSA verification.
    let (mut dom, mut y, mut count) = (None, vec![], 0);
    for r in records("wycheproof_dsa_2048_224_sha224_p1363.txt") {
        if let Some(pv) = get(&r, "p") {
            dom = Some((h(pv), h(get(&r, "q").unwrap()), h(get(&r, "g").unwrap())));
        }
        if let Some(yv) = get(&r, "y") {
            y = h(yv);
        }
        let (Some(msg), Some(sig), Some((p, q, g))) = (get(&r, "msg"), get(&r, "sig"), dom.clone())
        else {
            continue;
        };
        let sig = h(sig);
        let ql = strip(&q).len();
        if sig.len() != 2 * ql || count == 30 {
            continue;
        }
        count += 1;
        let z = digest("SHA-224", &h(msg));
        let (rr, ss) = sig.split_at(ql);
        let what = format!("Wycheproof DSA tc {}", get(&r, "tcId").unwrap());
        match get(&r, "result").unwrap() {
            "valid" => b.add(
                "dsa_ver",
                &[s(&p), s(&q), s(&g), s(&y), s(&z), s(rr), s(ss)],
                what,
                flag(true),
            ),
            "invalid" => b.add(
                "dsa_ver",
                &[s(&p), s(&q), s(&g), s(&y), s(&z), s(rr), s(ss)],
                what,
                rejected,
            ),
            _ => {}
        }
    }
    assert!(b.run("dh_dsa") > 60);
}

fn digest(name: &str, m: &[u8]) -> Vec<u8> {
    match name {
        "SHA-1" => sha1::Sha1::digest(m).to_vec(),
        "SHA-224" => sha2::Sha224::digest(m).to_vec(),
        "SHA-256" => sha2::Sha256::digest(m).to_vec(),
        "SHA-384" => sha2::Sha384::digest(m).to_vec(),
        "SHA-512" => sha2::Sha512::digest(m).to_vec(),
        other => panic!("hash {other}"),
    }
}

// ---- Weierstrass curves ----

/// A NIST prime curve (FIPS 186-4 D.1.2): p, a, b, n, Gx, Gy.
struct Curve {
    p: Vec<u8>,
    a: Vec<u8>,
    b: Vec<u8>,
    n: Vec<u8>,
    gx: Vec<u8>,
    gy: Vec<u8>,
}

fn p256() -> Curve {
    let c = Curve {
        p: h("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
        a: h("ffffffff00000001000000000000000000000000fffffffffffffffffffffffc"),
        b: h("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"),
        n: h("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
        gx: h("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
        gy: h("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"),
    };
    // The generator as the p256 crate has it.
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let g = p256::AffinePoint::GENERATOR.to_encoded_point(false);
    assert_eq!(g.x().unwrap().as_slice(), &c.gx[..]);
    assert_eq!(g.y().unwrap().as_slice(), &c.gy[..]);
    c
}

fn p384() -> Curve {
    let c = Curve {
        p: h("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff"),
        a: h("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc"),
        b: h("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef"),
        n: h("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
        gx: h("aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7"),
        gy: h("3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f"),
    };
    use p384::elliptic_curve::sec1::ToEncodedPoint;
    let g = p384::AffinePoint::GENERATOR.to_encoded_point(false);
    assert_eq!(g.x().unwrap().as_slice(), &c.gx[..]);
    assert_eq!(g.y().unwrap().as_slice(), &c.gy[..]);
    c
}

/// [k]G with the p256 / p384 crates: (x, y).
fn mul_g(curve: &str, k: &[u8]) -> (Vec<u8>, Vec<u8>) {
    match curve {
        "P-256" => {
            use p256::elliptic_curve::sec1::ToEncodedPoint;
            use p256::elliptic_curve::PrimeField;
            let k = p256::Scalar::from_repr(*p256::FieldBytes::from_slice(&pad(k, 32))).unwrap();
            let e = (p256::ProjectivePoint::GENERATOR * k)
                .to_affine()
                .to_encoded_point(false);
            (e.x().unwrap().to_vec(), e.y().unwrap().to_vec())
        }
        _ => {
            use p384::elliptic_curve::sec1::ToEncodedPoint;
            use p384::elliptic_curve::PrimeField;
            let k = p384::Scalar::from_repr(*p384::FieldBytes::from_slice(&pad(k, 48))).unwrap();
            let e = (p384::ProjectivePoint::GENERATOR * k)
                .to_affine()
                .to_encoded_point(false);
            (e.x().unwrap().to_vec(), e.y().unwrap().to_vec())
        }
    }
}

/// Deterministic test scalars below n.
fn scalars(n: &[u8], count: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut st = seed;
    (0..count)
        .map(|_| {
            let mut v: Vec<u8> = (0..n.len())
                .map(|_| {
                    st = st
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (st >> 33) as u8
                })
                .collect();
            v[0] &= 0x7f;
            v[n.len() - 1] |= 1;
            v
        })
        .collect()
}

#[test]
fn ecdsa_p256_p384() {
    let mut b = Batch::default();
    // FIPS 186-3 SigGen (P-256 and P-384 sections).
    for r in records("ecdsa_cavp_siggen_p256_p384_p521.txt") {
        let name = get(&r, "curve").unwrap();
        let c = match name {
            "P-256" => p256(),
            "P-384" => p384(),
            _ => continue,
        };
        let f = |k| h(get(&r, k).unwrap());
        let (d, qx, qy, k, rr, ss) = (f("d"), f("Qx"), f("Qy"), f("k"), f("R"), f("S"));
        let dg = digest(get(&r, "hash").unwrap(), &f("Msg"));
        let m = dg[..dg.len().min(c.n.len())].to_vec();
        let nl = c.n.len();
        let curve = [s(&c.gx), s(&c.gy), s(&c.n), s(&c.p), s(&c.a), s(&c.b)];
        let with = |extra: &[String]| -> Vec<String> {
            curve.iter().cloned().chain(extra.iter().cloned()).collect()
        };
        b.add(
            "ecdsa_rs",
            &with(&[s(&k), s(&m), s(&d), n(1), n(nl)]),
            format!("CAVP {name} RS"),
            want(vec![rr.clone(), ss.clone()]),
        );
        b.add(
            "ecdsa_dpa",
            &with(&[s(&k), s(&m), s(&d), n(1), n(nl + 5)]),
            format!("CAVP {name} DPA RS"),
            want(vec![rr.clone(), ss.clone()]),
        );
        b.add(
            "ecdsa_r",
            &with(&[s(&k), n(1), n(nl)]),
            format!("CAVP {name} R"),
            want(vec![rr.clone()]),
        );
        b.add(
            "ecdsa_s",
            &[s(&m), s(&d), s(&rr), s(&k), s(&c.n), n(1), n(nl)],
            format!("CAVP {name} S"),
            want(vec![ss.clone()]),
        );
        b.add(
            "ecdsa_ver",
            &with(&[s(&m), s(&rr), s(&ss), s(&qx), s(&qy), n(1)]),
            format!("CAVP {name} verify"),
            flag(true),
        );
        let mut bad = ss.clone();
        bad[3] ^= 0x40;
        b.add(
            "ecdsa_ver",
            &with(&[s(&m), s(&rr), s(&bad), s(&qx), s(&qy), n(1)]),
            format!("CAVP {name} corrupted S"),
            flag(false),
        );
        // The public key is [d]G: the generic multiply against p256/p384.
        b.add(
            "ec_gmul",
            &[
                s(&d),
                "-".into(),
                "-".into(),
                s(&c.p),
                s(&c.a),
                s(&c.b),
                "01".into(),
                n(1),
                n(1),
                n(c.p.len()),
            ],
            format!("CAVP {name} [d]G"),
            want(vec![qx.clone(), qy.clone()]),
        );
        let (ex, ey) = mul_g(name, &d);
        assert_eq!(
            (ex, ey),
            (pad(&qx, c.p.len()), pad(&qy, c.p.len())),
            "the crate agrees with the vector"
        );
    }
    // Wycheproof verification.
    for (file, name, hash) in [
        ("wycheproof_ecdsa_p256_sha256_p1363.txt", "P-256", "SHA-256"),
        ("wycheproof_ecdsa_p384_sha384_p1363.txt", "P-384", "SHA-384"),
    ] {
        let c = if name == "P-256" { p256() } else { p384() };
        let (mut wx, mut wy) = (vec![], vec![]);
        for r in records(file) {
            if let Some(v) = get(&r, "wx") {
                wx = h(v);
                wy = h(get(&r, "wy").unwrap());
            }
            let (Some(msg), Some(sig)) = (get(&r, "msg"), get(&r, "sig")) else {
                continue;
            };
            let sig = h(sig);
            if sig.len() != 2 * c.n.len() {
                continue;
            }
            let m = digest(hash, &h(msg));
            let (rr, ss) = sig.split_at(c.n.len());
            let args: Vec<String> = [
                &c.gx,
                &c.gy,
                &c.n,
                &c.p,
                &c.a,
                &c.b,
                &m,
                &rr.to_vec(),
                &ss.to_vec(),
                &wx,
                &wy,
            ]
            .iter()
            .map(|v| s(v))
            .chain([n(1)])
            .collect();
            let what = format!("Wycheproof {name} tc {}", get(&r, "tcId").unwrap());
            match get(&r, "result").unwrap() {
                "valid" => b.add("ecdsa_ver", &args, what, flag(true)),
                "invalid" => b.add("ecdsa_ver", &args, what, rejected),
                _ => {}
            }
        }
    }
    assert!(b.run("ecdsa") > 150);
}

#[test]
fn ecdh_and_generic_points() {
    let mut b = Batch::default();
    for (file, c) in [
        ("wycheproof_ecdh_p256_ecpoint.txt", p256()),
        ("wycheproof_ecdh_p384_ecpoint.txt", p384()),
    ] {
        let fl = c.p.len();
        let mut count = 0;
        for r in records(file) {
            let public = h(get(&r, "public").unwrap());
            if public.len() != 1 + 2 * fl || public[0] != 4 || count == 25 {
                continue;
            }
            count += 1;
            let (px, py) = (public[1..1 + fl].to_vec(), public[1 + fl..].to_vec());
            let k = h(get(&r, "private").unwrap());
            let what = format!("Wycheproof {file} tc {}", get(&r, "tcId").unwrap());
            let args = vec![
                s(&k),
                s(&px),
                s(&py),
                s(&c.a),
                s(&c.b),
                s(&c.p),
                "01".into(),
                n(1),
                n(1),
                n(fl),
            ];
            match get(&r, "result").unwrap() {
                "valid" => {
                    let shared = h(get(&r, "shared").unwrap());
                    b.add("ecdh", &args, what.clone(), move |r: &Res| {
                        ok(r);
                        assert_eq!(r.flag, 1);
                        assert_eq!(r.outs[0], pad(&shared, r.outs[0].len()));
                    });
                    b.add(
                        "ec_gver",
                        &[s(&px), s(&py), s(&c.p), s(&c.a), s(&c.b), "-".into(), n(1)],
                        format!("{what} point"),
                        flag(true),
                    );
                }
                "invalid" => b.add("ecdh", &args, what, rejected),
                _ => {}
            }
        }
    }
    // Generic and legacy multiply against p256/p384, the generator and a
    // point; verification of G and of a point off the curve.
    for (name, c) in [("P-256", p256()), ("P-384", p384())] {
        let fl = c.p.len();
        for (i, k) in scalars(&c.n, 4, fl as u64).into_iter().enumerate() {
            let (ex, ey) = mul_g(name, &k);
            let e = vec![ex, ey];
            let curve = [s(&c.p), s(&c.a), s(&c.b), "01".into(), n(1)];
            let mut gen: Vec<String> = vec![s(&k), "-".into(), "-".into()];
            gen.extend(curve.iter().cloned());
            gen.extend([n(1), n(fl)]);
            b.add(
                "ec_gmul",
                &gen,
                format!("{name} [k]G #{i}"),
                want(e.clone()),
            );
            let mut pt: Vec<String> = vec![s(&k), s(&c.gx), s(&c.gy)];
            pt.extend(curve.iter().cloned());
            pt.extend([n(0), n(fl + 2)]);
            b.add("ec_gmul", &pt, format!("{name} [k]P #{i}"), want(e.clone()));
            let mut dpa = pt.clone();
            let last = dpa.len() - 1;
            dpa[last] = n(fl);
            b.add(
                "ec_gmul_dpa",
                &dpa,
                format!("{name} DPA [k]P #{i}"),
                want(e.clone()),
            );
            b.add(
                "ec_mul",
                &[
                    s(&k),
                    s(&c.gx),
                    s(&c.gy),
                    s(&c.a),
                    s(&c.b),
                    s(&c.p),
                    "01".into(),
                    n(1),
                    n(fl),
                ],
                format!("{name} legacy [k]P #{i}"),
                want(e),
            );
        }
        b.add(
            "ec_gver",
            &[
                s(&c.gx),
                s(&c.gy),
                s(&c.p),
                s(&c.a),
                s(&c.b),
                "01".into(),
                n(1),
            ],
            format!("{name} G on the curve"),
            flag(true),
        );
        let mut off = c.gy.clone();
        *off.last_mut().unwrap() ^= 1;
        b.add(
            "ec_gver",
            &[
                s(&c.gx),
                s(&off),
                s(&c.p),
                s(&c.a),
                s(&c.b),
                "01".into(),
                n(1),
            ],
            format!("{name} off the curve"),
            rejected,
        );
        b.add(
            "ec_ver",
            &[s(&c.gx), s(&c.gy), s(&c.p), s(&c.a), s(&c.b), n(1)],
            format!("{name} legacy verify G"),
            flag(true),
        );
        b.add(
            "ec_ver",
            &[s(&c.gx), s(&off), s(&c.p), s(&c.a), s(&c.b), n(1)],
            format!("{name} legacy verify off"),
            rejected,
        );
    }
    assert!(b.run("ecdh") > 100);
}

// ---- Montgomery and Edwards curves ----

fn rev(v: &[u8]) -> Vec<u8> {
    v.iter().rev().copied().collect()
}

#[test]
fn montgomery_and_edwards() {
    let mut b = Batch::default();
    // RFC 7748 X25519 (little-endian in the RFC: byte-reversed for QAT).
    for r in records("rfc7748_x25519_x448.txt") {
        if get(&r, "curve") != Some("X25519") {
            continue;
        }
        let k = rev(&h(get(&r, "k").unwrap()));
        let u = get(&r, "u").unwrap();
        let out = rev(&h(get(&r, "out").unwrap()));
        let (gen, u) = if u == "base" {
            (1, vec![])
        } else {
            (0, rev(&h(u)))
        };
        b.add(
            "ec_med",
            &[n(1), n(gen), s(&k), s(&u), "-".into(), n(32)],
            "RFC 7748 X25519",
            want(vec![out]),
        );
    }
    // X25519 against x25519-dalek, generator and point.
    for (i, k) in scalars(&[0xff; 32], 4, 25519).into_iter().enumerate() {
        let le: [u8; 32] = rev(&k).try_into().unwrap();
        let secret = x25519_dalek::StaticSecret::from(le);
        let public = x25519_dalek::PublicKey::from(&secret);
        b.add(
            "ec_med",
            &[n(1), n(1), s(&k), "-".into(), "-".into(), n(32)],
            format!("X25519 [k]9 #{i}"),
            want(vec![rev(public.as_bytes())]),
        );
        let peer =
            x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from([i as u8 + 7; 32]));
        let shared = secret.diffie_hellman(&peer);
        b.add(
            "ec_med",
            &[
                n(1),
                n(0),
                s(&k),
                s(&rev(peer.as_bytes())),
                "-".into(),
                n(32),
            ],
            format!("X25519 shared #{i}"),
            want(vec![rev(shared.as_bytes())]),
        );
    }
    // Ed25519 public keys (RFC 8032 7.1, Wycheproof): A = [s]B where s is
    // the pruned SHA-512 of the secret; checked as RFC 8032 encodes A and
    // against ed25519-dalek.
    let mut keys: Vec<(Vec<u8>, Vec<u8>)> = vec![];
    for r in records("rfc8032_public_keys.txt") {
        if get(&r, "curve") == Some("Ed25519") {
            keys.push((h(get(&r, "secret").unwrap()), h(get(&r, "public").unwrap())));
        }
    }
    for r in records("wycheproof_ed25519_key_pairs.txt")
        .into_iter()
        .take(6)
    {
        keys.push((h(get(&r, "sk").unwrap()), h(get(&r, "pk").unwrap())));
    }
    for (sk, pk) in keys {
        let sk32: [u8; 32] = sk.clone().try_into().unwrap();
        let dalek = ed25519_dalek::SigningKey::from_bytes(&sk32).verifying_key();
        assert_eq!(
            dalek.as_bytes(),
            &pk[..],
            "ed25519-dalek agrees with the vector"
        );
        let hsh = sha2::Sha512::digest(&sk);
        let mut sc = hsh[..32].to_vec();
        sc[0] &= 248;
        sc[31] &= 127;
        sc[31] |= 64;
        b.add(
            "ec_med",
            &[n(2), n(1), s(&rev(&sc)), "-".into(), "-".into(), n(32)],
            "Ed25519 [s]B",
            move |r: &Res| {
                ok(r);
                // RFC 8032 5.1.2: y little-endian, the top bit x's parity.
                let (xx, y) = (&r.outs[0], &r.outs[1]);
                let mut enc = rev(y);
                enc[31] |= (xx[31] & 1) << 7;
                assert_eq!(enc, pk);
            },
        );
    }
    // qatlib's sample vectors (all four curves, 25519 and 448 buffers).
    for r in records("qatlib_montedwds_sample.txt") {
        let curve = match get(&r, "curve").unwrap() {
            "Curve25519" => 1,
            "Ed25519" => 2,
            "Curve448" => 3,
            _ => 4,
        };
        let f = |k| h(get(&r, k).unwrap());
        let gen = u32::from(get(&r, "generator") == Some("true"));
        let (k, xx, y, ox, oy) = (f("k"), f("x"), f("y"), f("out_x"), f("out_y"));
        let size = if curve <= 2 { 32 } else { 64 };
        let mut outs = vec![ox];
        if !oy.is_empty() {
            outs.push(oy);
        }
        b.add(
            "ec_med",
            &[n(curve), n(gen as usize), s(&k), s(&xx), s(&y), n(size)],
            "qatlib sample",
            want(outs),
        );
    }
    assert!(b.run("montedwds") > 30);
}

// ---- SM2 ----

#[test]
fn sm2_sign_encrypt_key_exchange() {
    let mut b = Batch::default();
    let recs = records("sm2_gbt32918_5.txt");
    let sign = recs.iter().find(|r| get(r, "op") == Some("sign")).unwrap();
    let f = |r: &[(String, String)], k| h(get(r, k).unwrap());
    let (d, xp, yp, e, k, rr, ss) = (
        f(sign, "d"),
        f(sign, "xp"),
        f(sign, "yp"),
        f(sign, "e"),
        f(sign, "k"),
        f(sign, "r"),
        f(sign, "s"),
    );
    b.add(
        "sm2_sign",
        &[s(&k), s(&e), s(&d)],
        "GB/T 32918.5 A.2 signature",
        want(vec![rr.clone(), ss.clone()]),
    );
    b.add(
        "sm2_ver",
        &[s(&e), s(&rr), s(&ss), s(&xp), s(&yp)],
        "GB/T verify",
        flag(true),
    );
    let mut bad = rr.clone();
    bad[5] ^= 2;
    b.add(
        "sm2_ver",
        &[s(&e), s(&bad), s(&ss), s(&xp), s(&yp)],
        "GB/T corrupted r",
        rejected,
    );
    b.add(
        "sm2_gmul",
        &[s(&d)],
        "public key [d]G",
        want(vec![xp.clone(), yp.clone()]),
    );
    b.add(
        "sm2_pver",
        &[s(&xp), s(&yp)],
        "public key on the curve",
        flag(true),
    );
    let mut off = yp.clone();
    off[31] ^= 1;
    b.add(
        "sm2_pver",
        &[s(&xp), s(&off)],
        "point off the curve",
        rejected,
    );
    // Encryption: C1 = [k]G as the standard prints it; [k]P = [d]C1, and the
    // sm2 crate's arithmetic gives the same [k]P.
    let enc = recs
        .iter()
        .find(|r| get(r, "op") == Some("encrypt"))
        .unwrap();
    let (d2, xp2, yp2, k2, x1, y1) = (
        f(enc, "d"),
        f(enc, "xp"),
        f(enc, "yp"),
        f(enc, "k"),
        f(enc, "x1"),
        f(enc, "y1"),
    );
    let kp = sm2_mul(&k2, &xp2, &yp2);
    b.add(
        "sm2_enc",
        &[s(&k2), s(&xp2), s(&yp2)],
        "GB/T encryption C1, [k]P",
        want(vec![x1.clone(), y1.clone(), kp.0.clone(), kp.1.clone()]),
    );
    b.add(
        "sm2_dec",
        &[s(&d2), s(&x1), s(&y1)],
        "GB/T decryption [d]C1",
        want(vec![kp.0.clone(), kp.1.clone()]),
    );
    b.add(
        "sm2_pmul",
        &[s(&k2), s(&xp2), s(&yp2)],
        "[k]P",
        want(vec![kp.0.clone(), kp.1.clone()]),
    );
    // Key exchange: A and B derive the same U from their own secrets and
    // the other's public values (the sm2 crate gives the phase-1 points
    // and public keys).
    let (da, ra) = (
        h("81EB26E941BB5AF16DF116495F90695272AE2CD63D6C4AE1678418BE48230029"),
        h("D4DE15474DB74D06491C440D305E012400990F3E390C7E87153C12DB2EA60BB3"),
    );
    let (db, rb) = (
        h("785129917D45A9EA5437A59356B82338EAADDA6CEB199088F14AE10DEFA229B5"),
        h("7E07124814B309489125EAED101113164EBF0F3458C5BD88335C1F9D596243D6"),
    );
    let g = sm2_g();
    let (pa, pb, ra_pt, rb_pt) = (
        sm2_mul(&da, &g.0, &g.1),
        sm2_mul(&db, &g.0, &g.1),
        sm2_mul(&ra, &g.0, &g.1),
        sm2_mul(&rb, &g.0, &g.1),
    );
    b.add(
        "sm2_kex1",
        &[s(&ra)],
        "key exchange phase 1 (A)",
        want(vec![ra_pt.0.clone(), ra_pt.1.clone()]),
    );
    b.add(
        "sm2_kex1",
        &[s(&rb)],
        "key exchange phase 1 (B)",
        want(vec![rb_pt.0.clone(), rb_pt.1.clone()]),
    );
    let u = sm2_shared(&da, &ra, &ra_pt.0, &rb_pt, &pb);
    assert_eq!(
        u,
        sm2_shared(&db, &rb, &rb_pt.0, &ra_pt, &pa),
        "both sides agree (sm2 crate)"
    );
    b.add(
        "sm2_kex2",
        &[
            s(&ra),
            s(&da),
            s(&ra_pt.0),
            s(&rb_pt.0),
            s(&rb_pt.1),
            s(&pb.0),
            s(&pb.1),
        ],
        "key exchange phase 2 (A)",
        want(vec![u.0.clone(), u.1.clone()]),
    );
    b.add(
        "sm2_kex2",
        &[
            s(&rb),
            s(&db),
            s(&rb_pt.0),
            s(&ra_pt.0),
            s(&ra_pt.1),
            s(&pa.0),
            s(&pa.1),
        ],
        "key exchange phase 2 (B)",
        want(vec![u.0, u.1]),
    );
    assert!(b.run("sm2") >= 26);
}

type Pt = (Vec<u8>, Vec<u8>);

fn sm2_g() -> Pt {
    use sm2::elliptic_curve::sec1::ToEncodedPoint;
    let g = sm2::AffinePoint::GENERATOR.to_encoded_point(false);
    (g.x().unwrap().to_vec(), g.y().unwrap().to_vec())
}

fn sm2_point(x: &[u8], y: &[u8]) -> sm2::ProjectivePoint {
    use sm2::elliptic_curve::sec1::FromEncodedPoint;
    let e = sm2::EncodedPoint::from_affine_coordinates(x.into(), y.into(), false);
    sm2::ProjectivePoint::from(sm2::AffinePoint::from_encoded_point(&e).unwrap())
}

fn sm2_scalar(k: &[u8]) -> sm2::Scalar {
    use sm2::elliptic_curve::ops::Reduce;
    <sm2::Scalar as Reduce<sm2::elliptic_curve::bigint::U256>>::reduce_bytes(
        sm2::FieldBytes::from_slice(&pad(k, 32)),
    )
}

fn sm2_enc(p: sm2::ProjectivePoint) -> Pt {
    use sm2::elliptic_curve::sec1::ToEncodedPoint;
    let e = p.to_affine().to_encoded_point(false);
    (e.x().unwrap().to_vec(), e.y().unwrap().to_vec())
}

fn sm2_mul(k: &[u8], x: &[u8], y: &[u8]) -> Pt {
    sm2_enc(sm2_point(x, y) * sm2_scalar(k))
}

/// x̄ = 2^127 + (x mod 2^127) (GB/T 32918.3 6.1 A4).
fn x_bar(x: &[u8]) -> Vec<u8> {
    let mut v = pad(x, 32)[16..].to_vec();
    v[0] = (v[0] & 0x7f) | 0x80;
    v
}

/// U = [t](P_peer + [x̄_peer]R_peer), t = d + x̄_own·r mod n.
fn sm2_shared(d: &[u8], r: &[u8], own_x: &[u8], peer_r: &Pt, peer_p: &Pt) -> Pt {
    let t = sm2_scalar(d) + sm2_scalar(&x_bar(own_x)) * sm2_scalar(r);
    let sum = sm2_point(&peer_p.0, &peer_p.1)
        + sm2_point(&peer_r.0, &peer_r.1) * sm2_scalar(&x_bar(&peer_r.0));
    sm2_enc(sum * t)
}

// ---- LN, prime ----

#[test]
fn large_numbers_and_primes() {
    let mut b = Batch::default();
    let nums = scalars(&[0xff; 96], 12, 7);
    for (i, w) in nums.chunks(3).enumerate() {
        let (m, base, e) = (&w[0], &w[1], &w[2][..(8 + 16 * i)]);
        let want_v = big(base).modpow(&big(e), &big(m));
        b.add(
            "ln_exp",
            &[s(m), s(base), s(e), n(96 + i)],
            format!("modexp #{i}"),
            want(vec![bn_bytes(&want_v, 96)]),
        );
        // The inverse of base mod an odd m (num-bigint), if there is one.
        let (bm, bb) = (big(m), big(base) % big(m));
        if gcd(&bb, &bm) == BigUint::from(1u8) {
            let inv = mod_inverse(&bb, &bm);
            b.add(
                "ln_inv",
                &[s(base), s(m), n(96)],
                format!("modinv #{i}"),
                want(vec![bn_bytes(&inv, 96)]),
            );
        }
    }
    b.add(
        "ln_exp",
        &[s(&[0x01, 0xf1]), s(&[4]), s(&[13]), n(2)],
        "4^13 mod 497",
        want(vec![vec![0x01, 0xbd]]),
    );
    b.add(
        "ln_inv",
        &[s(&[6]), s(&[9]), n(1)],
        "6 has no inverse mod 9",
        |r: &Res| assert_ne!(r.status, 0),
    );
    // Primes: the RFC 5114 and P-256 field primes pass every test;
    // Wycheproof's composites fail, even candidates are refused.
    // Witnesses 1 < w < p - 1, each in a buffer of max(64, len(p)) bytes.
    let mr: Vec<u8> = scalars(&[0xff; 31], 4, 99).concat();
    let primes = [
        p256().p,
        p384().p,
        h(get(&records("dh_rfc5114.txt")[0], "p").unwrap()),
    ];
    for p in primes {
        let w = (0..4)
            .flat_map(|i| pad(&mr[i * 31..i * 31 + 31], p.len().max(64)))
            .collect::<Vec<u8>>();
        b.add(
            "prime",
            &[s(&p), n(1), n(1), n(4), s(&w), n(1)],
            "a prime",
            flag(true),
        );
    }
    for r in records("wycheproof_primality_subset.txt") {
        let v = h(get(&r, "value").unwrap());
        let what = format!("Wycheproof primality tc {}", get(&r, "tcId").unwrap());
        let len = v.len().max(64);
        let w = pad(&[3], len);
        match get(&r, "expect").unwrap() {
            "composite" => b.add(
                "prime",
                &[s(&v), n(1), n(1), n(1), s(&w), n(1)],
                what,
                flag(false),
            ),
            "refused" if !v.is_empty() && v != [0] => b.add(
                "prime",
                &[s(&v), n(1), n(0), n(0), "-".into(), n(0)],
                what,
                rejected,
            ),
            _ => {}
        }
    }
    assert!(b.run("ln_prime") > 40);
}

fn mod_inverse(a: &BigUint, m: &BigUint) -> BigUint {
    use num_bigint::BigInt;
    let (mut t, mut nt) = (BigInt::from(0), BigInt::from(1));
    let (mut r, mut nr) = (BigInt::from(m.clone()), BigInt::from(a.clone()));
    while nr != BigInt::from(0) {
        let q = &r / &nr;
        (t, nt) = (nt.clone(), t - &q * nt);
        (r, nr) = (nr.clone(), r - q * nr);
    }
    let m = BigInt::from(m.clone());
    (((t % &m) + &m) % &m).to_biguint().unwrap()
}

// ---- key generation ----

fn mgf1(hash: &str, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = vec![];
    let mut c = 0u32;
    while out.len() < len {
        let mut input = seed.to_vec();
        input.extend_from_slice(&c.to_be_bytes());
        out.extend(digest(hash, &input));
        c += 1;
    }
    out.truncate(len);
    out
}

fn ssl3(secret: &[u8], seed: &[u8], labels: &[Vec<u8>], len: usize) -> Vec<u8> {
    let mut out = vec![];
    for l in labels {
        let inner = sha1::Sha1::new()
            .chain_update(l)
            .chain_update(secret)
            .chain_update(seed)
            .finalize();
        out.extend(
            md5::Md5::new()
                .chain_update(secret)
                .chain_update(inner)
                .finalize(),
        );
    }
    out.truncate(len);
    out
}

#[test]
fn key_generation() {
    let mut b = Batch::default();
    // TLS PRFs (IETF list vectors and OpenSSL-computed records).
    for r in records("tls_prf.txt") {
        let f = |k| h(get(&r, k).unwrap());
        let op = match get(&r, "op").unwrap() {
            "MasterSecret" => 1,
            "KeyMaterial" => 2,
            "ClientFinished" => 3,
            "ServerFinished" => 4,
            _ => 5,
        };
        let out = f("out");
        let label = if op == 5 { s(&f("label")) } else { "-".into() };
        let args = [
            n(op),
            s(&f("secret")),
            s(&f("seed")),
            label,
            n(out.len()),
            n(out.len() + 7),
        ];
        let version = get(&r, "version").unwrap();
        let o = out.clone();
        // Bytes from the start; the rest of the buffer untouched (0xAA).
        let check = move |r: &Res| {
            ok(r);
            assert_eq!(&r.outs[0][..o.len()], &o[..]);
            assert!(r.outs[0][o.len()..].iter().all(|&v| v == 0xaa));
        };
        if version == "v1" {
            b.add("tls", &args, "TLS 1.0 PRF", check);
        } else {
            let hash = match version {
                "SHA256" => 4,
                "SHA384" => 5,
                _ => 6,
            };
            let mut a = vec![n(hash)];
            a.extend(args);
            b.add("tls2", &a, format!("TLS 1.2 PRF {version}"), check);
        }
    }
    // TLS 1.3 (RFC 8448), with the suite AES-128-GCM-SHA256.
    for r in records("tls13_rfc8448.txt") {
        let op = match get(&r, "op").unwrap() {
            "Extract" => 12,
            "Expand" => 13,
            "ExtractExpand" => 14,
            "ExpandLabel" => 15,
            _ => 16,
        };
        let f = |k: &str| get(&r, k).map(h).unwrap_or_default();
        let mut args = vec![n(op), n(1), s(&f("secret")), s(&f("seed")), s(&f("info"))];
        let labels: Vec<usize> = (1..=4)
            .filter(|i| get(&r, &format!("label{i}")).is_some())
            .collect();
        args.push(n(labels.len()));
        for i in &labels {
            args.push(s(&f(&format!("label{i}"))));
            args.push(get(&r, &format!("sublabels{i}")).unwrap().to_string());
        }
        let out = f("out");
        args.push(n(out.len()));
        b.add("tls3", &args, "RFC 8448", move |r: &Res| {
            ok(r);
            assert_eq!(r.outs[0], out);
        });
    }
    // RFC 5869 HKDF with SHA-256 (cipher suite 1) and the hkdf crate.
    for r in records("hkdf_rfc5869.txt") {
        let f = |k| h(get(&r, k).unwrap());
        let (ikm, salt, info, prk, okm) = (f("ikm"), f("salt"), f("info"), f("prk"), f("okm"));
        let (cprk, hk) = hkdf::Hkdf::<sha2::Sha256>::extract(Some(&salt), &ikm);
        assert_eq!(cprk.as_slice(), &prk[..], "the hkdf crate agrees");
        let mut cokm = [0u8; 32];
        hk.expand(&info, &mut cokm).unwrap();
        assert_eq!(&cokm[..], &okm[..32]);
        let okm = okm[..32].to_vec();
        b.add(
            "tls3",
            &[n(12), n(1), s(&ikm), s(&salt), "-".into(), n(0), n(32)],
            "RFC 5869 extract",
            want(vec![prk.clone()]),
        );
        b.add(
            "tls3",
            &[n(13), n(1), s(&prk), "-".into(), s(&info), n(0), n(32)],
            "RFC 5869 expand",
            want(vec![okm.clone()]),
        );
        let both = [prk.clone(), okm].concat();
        b.add(
            "tls3",
            &[n(14), n(1), s(&ikm), s(&salt), s(&info), n(0), n(64)],
            "RFC 5869 extract+expand",
            move |r: &Res| {
                ok(r);
                assert_eq!(r.outs[0], both);
            },
        );
    }
    // SSL 3.0 (RFC 6101 6.2.2) computed here with md-5 and sha1.
    let secret = h("0303aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0011223344556677");
    let seed: Vec<u8> = (0..64u8).collect();
    for (op, len) in [(1usize, 48usize), (2, 104)] {
        let labels: Vec<Vec<u8>> = (0..len.div_ceil(16))
            .map(|i| vec![b'A' + i as u8; i + 1])
            .collect();
        let o = ssl3(&secret, &seed, &labels, len);
        b.add(
            "ssl",
            &[n(op), s(&secret), s(&seed), "-".into(), n(len), n(len)],
            format!("SSL 3.0 op {op}"),
            move |r: &Res| {
                ok(r);
                assert_eq!(r.outs[0], o);
            },
        );
    }
    let user: Vec<u8> = (1..=10u8).collect();
    let labels: Vec<Vec<u8>> = (0..4)
        .map(|i| user[i * (i + 1) / 2..i * (i + 1) / 2 + i + 1].to_vec())
        .collect();
    let o = ssl3(&secret, &seed, &labels, 64);
    b.add(
        "ssl",
        &[n(3), s(&secret), s(&seed), s(&user), n(64), n(64)],
        "SSL 3.0 user label",
        move |r: &Res| {
            ok(r);
            assert_eq!(r.outs[0], o);
        },
    );
    // MGF1 (RFC 8017 B.2.1) computed here with sha1/sha2.
    let mseed = h("deadbeef0123456789");
    for len in [20, 37, 128] {
        let o = mgf1("SHA-1", &mseed, len);
        b.add(
            "mgf",
            &[s(&mseed), n(len), n(len)],
            format!("MGF1-SHA1 {len}"),
            move |r: &Res| {
                ok(r);
                assert_eq!(r.outs[0], o);
            },
        );
    }
    for (hash, name) in [
        (2usize, "SHA-1"),
        (4, "SHA-256"),
        (5, "SHA-384"),
        (6, "SHA-512"),
    ] {
        let o = mgf1(name, &mseed, 100);
        b.add(
            "mgfext",
            &[n(hash), s(&mseed), n(100), n(100)],
            format!("MGF1 {name}"),
            move |r: &Res| {
                ok(r);
                assert_eq!(r.outs[0], o);
            },
        );
    }
    assert!(b.run("keygen") > 40);
}

// ---- refused arguments and statistics ----

#[test]
fn refused_arguments_and_statistics() {
    let scratch = Scratch::new("asym-refuse");
    let lib = stage_libs(scratch.path());
    let exe = compile("asym_refuse", scratch.path(), &lib, &["qat", "usdm"]);
    let out = run(
        &exe,
        &[],
        &[("SOFTQAT_LEGACY_ALGORITHMS", "1")],
        Duration::from_secs(60),
    );
    assert_passed("asym_refuse", &out);
}

/// Every function of the asymmetric headers resolves in libqat.so.4
/// (`tests/c/protos_asym.c`, linked with `-z now`).
#[test]
fn every_asym_function_resolves() {
    let scratch = Scratch::new("asym-protos");
    let lib = stage_libs(scratch.path());
    let exe = compile("protos_asym", scratch.path(), &lib, &["qat"]);
    let out = run(&exe, &[], &[], Duration::from_secs(30));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("51 asym functions, 0 unresolved"),
        "{stdout}"
    );
}
