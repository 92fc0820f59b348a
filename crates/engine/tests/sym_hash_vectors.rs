//! `sym::hash`: the known answers of `tests/data/sym/` (NIST CAVP SHAVS/SHA3VS subsets, among
//! them SHAVS LongMsg records of 163 to 425 bytes, HMACVS records of HMAC-SHA-1/224/256/384/512
//! with keys of 10 to 145 bytes and tags truncated to L/2 up to full length (the counts below are
//! those of the other files plus `cavp_hmac.txt`), NIST's HMAC example values, RFC 1321,
//! RFC 2202, RFC 4231, GB/T 32905-2016; each file names its sources), a differential test of
//! SHA-256 and HMAC-SHA-256 against `ring` on every length 0..=1024, HMAC of every algorithm
//! against the `hmac` crate, and partial packets: every split of a message (in two and three
//! pieces) gives the one-shot digest.

mod common;
use common::hex;

use softqat_engine::sym::hash::{HashAlgorithm, HashSession};

const FILES: [(&str, &str); 5] = [
    ("cavp_sha.txt", include_str!("data/sym/cavp_sha.txt")),
    ("cavp_hmac.txt", include_str!("data/sym/cavp_hmac.txt")),
    (
        "cavp_sha_longmsg.txt",
        include_str!("data/sym/cavp_sha_longmsg.txt"),
    ),
    (
        "hmac_nist_examples.txt",
        include_str!("data/sym/hmac_nist_examples.txt"),
    ),
    (
        "rfc_hash_hmac_sm3.txt",
        include_str!("data/sym/rfc_hash_hmac_sm3.txt"),
    ),
];

fn alg(name: &str) -> HashAlgorithm {
    HashAlgorithm::ALL
        .into_iter()
        .find(|a| a.to_string() == name)
        .unwrap_or_else(|| panic!("unknown algorithm {name}"))
}

/// Runs one record through `digest`, `verify` (match and one-bit mismatch) and
/// byte-by-byte partial updates.
fn check(file: &str, line: &str, session: &HashSession, msg: &[u8], want: &[u8]) {
    let mut got = vec![0u8; want.len()];
    session.digest(msg, &mut got).unwrap();
    assert_eq!(hex_str(&got), hex_str(want), "{file}: {line}");
    assert!(session.verify(msg, want).unwrap(), "{file}: {line}");
    let mut bad = want.to_vec();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert!(!session.verify(msg, &bad).unwrap(), "{file}: {line}");
    let mut st = session.begin();
    for b in msg {
        st.update(std::slice::from_ref(b));
    }
    let mut got2 = vec![0u8; want.len()];
    st.finish(&mut got2).unwrap();
    assert_eq!(got2, want, "{file}: {line} (byte by byte)");
}

fn hex_str(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn known_answers() {
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for (file, text) in FILES {
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split_whitespace().collect();
            match f.as_slice() {
                ["hash", a, msg, md] => {
                    let a = alg(a);
                    check(file, line, &HashSession::plain(a), &hex(msg), &hex(md));
                    *counts.entry(format!("{a}")).or_default() += 1;
                }
                ["hmac", a, key, msg, mac] => {
                    let a = alg(a);
                    let s = HashSession::hmac(a, &hex(key)).unwrap();
                    check(file, line, &s, &hex(msg), &hex(mac));
                    *counts.entry(format!("HMAC-{a}")).or_default() += 1;
                }
                _ => panic!("{file}: malformed record {line}"),
            }
        }
    }
    // Every family the files cover really was read.
    let expect = [
        ("MD5", 7),
        ("SM3", 2),
        ("SHA-1", 12),
        ("SHA-224", 12),
        ("SHA-256", 12),
        ("SHA-384", 12),
        ("SHA-512", 8),
        ("SHA3-224", 6),
        ("SHA3-256", 9),
        ("SHA3-384", 5),
        ("SHA3-512", 5),
        ("SHAKE128", 9),
        ("SHAKE256", 5),
        ("HMAC-MD5", 8),
        ("HMAC-SHA-1", 8 + 6),
        ("HMAC-SHA-224", 7 + 6),
        ("HMAC-SHA-256", 11 + 5),
        ("HMAC-SHA-384", 7 + 5),
        ("HMAC-SHA-512", 11 + 6),
    ];
    for (name, n) in expect {
        assert_eq!(counts.get(name).copied(), Some(n), "{name}: {counts:?}");
    }
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn fill(&mut self, buf: &mut [u8]) {
        for b in buf {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            *b = (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8;
        }
    }
}

#[test]
fn sha256_and_hmac_sha256_match_ring_on_every_length() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut msg = vec![0u8; 1024];
    rng.fill(&mut msg);
    let plain = HashSession::plain(HashAlgorithm::Sha256);
    for len in 0..=1024 {
        let m = &msg[..len];
        let mut got = [0u8; 32];
        plain.digest(m, &mut got).unwrap();
        let want = ring::digest::digest(&ring::digest::SHA256, m);
        assert_eq!(&got[..], want.as_ref(), "SHA-256 length {len}");

        let mut key = vec![0u8; len % 150];
        rng.fill(&mut key);
        let s = HashSession::hmac(HashAlgorithm::Sha256, &key).unwrap();
        s.digest(m, &mut got).unwrap();
        let want = ring::hmac::sign(&ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &key), m);
        assert_eq!(
            &got[..],
            want.as_ref(),
            "HMAC-SHA-256 length {len}, key {}",
            key.len()
        );
    }
}

fn reference_hmac(a: HashAlgorithm, key: &[u8], msg: &[u8]) -> Vec<u8> {
    use hmac::{Mac, SimpleHmac};
    macro_rules! run {
        ($t:ty) => {{
            let mut m = <SimpleHmac<$t> as Mac>::new_from_slice(key).unwrap();
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }};
    }
    match a {
        HashAlgorithm::Md5 => run!(md5::Md5),
        HashAlgorithm::Sha1 => run!(sha1::Sha1),
        HashAlgorithm::Sha224 => run!(sha2::Sha224),
        HashAlgorithm::Sha256 => run!(sha2::Sha256),
        HashAlgorithm::Sha384 => run!(sha2::Sha384),
        HashAlgorithm::Sha512 => run!(sha2::Sha512),
        HashAlgorithm::Sha3_224 => run!(sha3::Sha3_224),
        HashAlgorithm::Sha3_256 => run!(sha3::Sha3_256),
        HashAlgorithm::Sha3_384 => run!(sha3::Sha3_384),
        HashAlgorithm::Sha3_512 => run!(sha3::Sha3_512),
        HashAlgorithm::Sm3 => run!(sm3::Sm3),
        HashAlgorithm::Shake128 | HashAlgorithm::Shake256 => unreachable!(),
    }
}

#[test]
fn hmac_of_every_algorithm_matches_the_hmac_crate() {
    let mut rng = Rng(42);
    for a in HashAlgorithm::ALL.into_iter().filter(|a| !a.is_xof()) {
        // Keys shorter than, equal to and longer than the block.
        for klen in [
            0,
            1,
            a.block_len() - 1,
            a.block_len(),
            a.block_len() + 1,
            300,
        ] {
            let mut key = vec![0u8; klen];
            rng.fill(&mut key);
            let mut msg = vec![0u8; 3 * a.block_len() + 5];
            rng.fill(&mut msg);
            let s = HashSession::hmac(a, &key).unwrap();
            let want = reference_hmac(a, &key, &msg);
            let mut got = vec![0u8; want.len()];
            s.digest(&msg, &mut got).unwrap();
            assert_eq!(got, want, "HMAC-{a}, key {klen}");
        }
    }
}

fn sessions() -> Vec<(String, HashSession, usize)> {
    let mut v = Vec::new();
    for a in HashAlgorithm::ALL {
        let n = a.digest_len().unwrap_or(100);
        v.push((a.to_string(), HashSession::plain(a), n));
        if !a.is_xof() {
            v.push((
                format!("HMAC-{a}"),
                HashSession::hmac(a, b"partial key").unwrap(),
                n,
            ));
        }
    }
    let nested = HashSession::nested(
        HashAlgorithm::Sha256,
        b"inner",
        HashAlgorithm::Sm3,
        b"outer",
    )
    .unwrap();
    v.push(("nested SHA-256/SM3".into(), nested, 32));
    v
}

#[test]
fn partial_packets_give_the_one_shot_digest() {
    let mut rng = Rng(7);
    let mut msg = vec![0u8; 300]; // longer than two blocks of every algorithm
    rng.fill(&mut msg);
    for (name, s, n) in sessions() {
        let mut want = vec![0u8; n];
        s.digest(&msg, &mut want).unwrap();
        let mut got = vec![0u8; n];
        for i in 0..=msg.len() {
            let mut st = s.begin();
            st.update(&msg[..i]);
            st.update(&msg[i..]);
            st.finish(&mut got).unwrap();
            assert_eq!(got, want, "{name}: split at {i}");
        }
        for i in (0..=msg.len()).step_by(7) {
            for j in (i..=msg.len()).step_by(5) {
                let mut st = s.begin();
                st.update(&msg[..i]);
                st.update(&msg[i..j]);
                let saved = st.clone(); // a state stored between packets resumes
                let mut st = saved;
                st.update(&msg[j..]);
                st.finish(&mut got).unwrap();
                assert_eq!(got, want, "{name}: split at {i}, {j}");
            }
        }
        // Truncated digests are prefixes of the full one.
        for t in 1..n {
            let mut short = vec![0u8; t];
            s.digest(&msg, &mut short).unwrap();
            assert_eq!(short, want[..t], "{name}: truncated to {t}");
        }
    }
}
