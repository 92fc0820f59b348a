//! Differential tests of `sym::hash` on deterministic random inputs of every
//! length 0..=4096:
//!
//! | engine | independent implementation |
//! |---|---|
//! | SHA-1, SHA-224/256/384/512, SHA3-256/384/512 (RustCrypto `sha1`, `sha2`, `sha3`) | aws-lc-rs `digest` |
//! | HMAC over SHA-1/SHA-2 (hand-written over the hash cores) | aws-lc-rs `hmac` |
//! | HMAC over MD5, SHA3-224..512, SM3 | RustCrypto `hmac` (`SimpleHmac`) over the same hash crates: an independent HMAC construction, not an independent hash |
//!
//! MD5, SHA3-224, SHAKE128/256 and SM3 as plain hashes have no implementation
//! among the dependencies other than the one the engine wraps; they are covered
//! by the known answers of `sym_hash_vectors.rs` (RFC 1321, SHA3VS, GB/T 32905).
//!
//! Also: partial packets split at random block-aligned points equal the
//! one-shot digest for every hash but SHA-3/SHAKE, plain and HMAC; and single
//! flipped bits (first, last, random) of full and truncated HMACs fail verify().

use aws_lc_rs::{digest as lc_digest, hmac as lc_hmac};
use softqat_engine::sym::hash::{HashAlgorithm as H, HashSession};

/// xorshift64*: deterministic inputs, so a failure reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next() >> 32) as u8).collect()
    }
    fn bytes_upto(&mut self, max: usize) -> Vec<u8> {
        let n = self.below(max);
        self.bytes(n)
    }
}

fn lc_digest_alg(a: H) -> Option<&'static lc_digest::Algorithm> {
    Some(match a {
        H::Sha1 => &lc_digest::SHA1_FOR_LEGACY_USE_ONLY,
        H::Sha224 => &lc_digest::SHA224,
        H::Sha256 => &lc_digest::SHA256,
        H::Sha384 => &lc_digest::SHA384,
        H::Sha512 => &lc_digest::SHA512,
        H::Sha3_256 => &lc_digest::SHA3_256,
        H::Sha3_384 => &lc_digest::SHA3_384,
        H::Sha3_512 => &lc_digest::SHA3_512,
        _ => return None,
    })
}

fn lc_hmac_alg(a: H) -> Option<lc_hmac::Algorithm> {
    Some(match a {
        H::Sha1 => lc_hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        H::Sha224 => lc_hmac::HMAC_SHA224,
        H::Sha256 => lc_hmac::HMAC_SHA256,
        H::Sha384 => lc_hmac::HMAC_SHA384,
        H::Sha512 => lc_hmac::HMAC_SHA512,
        _ => return None,
    })
}

/// RustCrypto `hmac` for the algorithms aws-lc-rs has no HMAC of.
fn rustcrypto_hmac(a: H, key: &[u8], msg: &[u8]) -> Vec<u8> {
    use hmac::{Mac, SimpleHmac};
    macro_rules! run {
        ($t:ty) => {{
            let mut m = <SimpleHmac<$t> as Mac>::new_from_slice(key).unwrap();
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }};
    }
    match a {
        H::Md5 => run!(md5::Md5),
        H::Sha3_224 => run!(sha3::Sha3_224),
        H::Sha3_256 => run!(sha3::Sha3_256),
        H::Sha3_384 => run!(sha3::Sha3_384),
        H::Sha3_512 => run!(sha3::Sha3_512),
        H::Sm3 => run!(sm3::Sm3),
        other => panic!("no RustCrypto HMAC reference wired for {other}"),
    }
}

fn digest(s: &HashSession, msg: &[u8], n: usize) -> Vec<u8> {
    let mut out = vec![0u8; n];
    s.digest(msg, &mut out).unwrap();
    out
}

#[test]
fn hashes_match_aws_lc_on_every_length() {
    let mut rng = Rng(0x5a5a_0000_180f_0001);
    let msg = rng.bytes(4096);
    let mut checked = 0;
    for a in H::ALL {
        let Some(lc) = lc_digest_alg(a) else { continue };
        let s = HashSession::plain(a);
        let n = a.digest_len().unwrap();
        for len in 0..=4096 {
            let want = lc_digest::digest(lc, &msg[..len]);
            assert_eq!(digest(&s, &msg[..len], n), want.as_ref(), "{a} len {len}");
        }
        checked += 1;
    }
    assert_eq!(checked, 8, "SHA-1, SHA-2 x4, SHA3-256/384/512");
}

#[test]
fn hmac_matches_aws_lc_on_every_length() {
    let mut rng = Rng(0x5a5a_0000_2104_0002);
    let msg = rng.bytes(4096);
    for a in [H::Sha1, H::Sha224, H::Sha256, H::Sha384, H::Sha512] {
        let lc = lc_hmac_alg(a).unwrap();
        let n = a.digest_len().unwrap();
        for len in 0..=4096usize {
            // Keys of 0..=300 bytes: shorter than, equal to and longer than the block.
            let key = rng.bytes((len * 7) % 301);
            let s = HashSession::hmac(a, &key).unwrap();
            let want = lc_hmac::sign(&lc_hmac::Key::new(lc, &key), &msg[..len]);
            assert_eq!(
                digest(&s, &msg[..len], n),
                want.as_ref(),
                "HMAC-{a} len {len} key {}",
                key.len()
            );
        }
    }
}

#[test]
fn hmac_of_md5_sha3_sm3_matches_rustcrypto_hmac() {
    let mut rng = Rng(0x5a5a_0000_2104_0003);
    let msg = rng.bytes(4096);
    for a in [
        H::Md5,
        H::Sha3_224,
        H::Sha3_256,
        H::Sha3_384,
        H::Sha3_512,
        H::Sm3,
    ] {
        let n = a.digest_len().unwrap();
        let mut lens: Vec<usize> = (0..=300).collect();
        lens.extend((301..4096).step_by(13));
        lens.push(4096);
        for len in lens {
            let key = rng.bytes((len * 11) % 301);
            let s = HashSession::hmac(a, &key).unwrap();
            let want = rustcrypto_hmac(a, &key, &msg[..len]);
            assert_eq!(want.len(), n);
            assert_eq!(
                digest(&s, &msg[..len], n),
                want,
                "HMAC-{a} len {len} key {}",
                key.len()
            );
        }
    }
}

#[test]
fn partial_packets_split_at_random_block_boundaries() {
    // Every hash but SHA-3 and SHAKE, plain and HMAC.
    let mut rng = Rng(0x5a5a_0000_9a27_0004);
    let algs = [
        H::Md5,
        H::Sha1,
        H::Sha224,
        H::Sha256,
        H::Sha384,
        H::Sha512,
        H::Sm3,
    ];
    for a in algs {
        let bl = a.block_len();
        let n = a.digest_len().unwrap();
        let key = rng.bytes_upto(200);
        for s in [HashSession::plain(a), HashSession::hmac(a, &key).unwrap()] {
            for _ in 0..60 {
                let len = rng.below(4097);
                let msg = rng.bytes(len);
                let want = digest(&s, &msg, n);
                let mut st = s.begin();
                let mut off = 0;
                let mut cuts = vec![];
                // Whole blocks per packet, the last packet whatever is left.
                while off < len {
                    let k = (rng.below(len / bl + 2) * bl).min(len - off);
                    st.update(&msg[off..off + k]);
                    cuts.push(k);
                    off += k;
                }
                let mut got = vec![0u8; n];
                st.finish(&mut got).unwrap();
                assert_eq!(got, want, "{s:?} len {len} cuts {cuts:?}");
            }
        }
    }
}

/// Flips one bit (`bit` counted from the first byte's most significant bit).
fn flip(v: &[u8], bit: usize) -> Vec<u8> {
    let mut w = v.to_vec();
    w[bit / 8] ^= 0x80 >> (bit % 8);
    w
}

#[test]
fn hmac_verify_refuses_flipped_bits_of_full_and_truncated_macs() {
    let mut rng = Rng(0x5a5a_0000_f11f_0005);
    let mut checked = 0;
    for a in H::ALL.into_iter().filter(|a| !a.is_xof()) {
        for len in [0usize, 1, 64, 1000] {
            let key = rng.bytes_upto(150);
            let s = HashSession::hmac(a, &key).unwrap();
            let msg = rng.bytes(len);
            let full = digest(&s, &msg, a.digest_len().unwrap());
            for t in [full.len(), 16, 12, 10] {
                let mac = &full[..t];
                assert!(s.verify(&msg, mac).unwrap(), "HMAC-{a} len {len} tag {t}");
                let bits = 8 * t;
                for bit in [
                    0,
                    bits - 1,
                    rng.below(bits),
                    rng.below(bits),
                    rng.below(bits),
                ] {
                    assert!(
                        !s.verify(&msg, &flip(mac, bit)).unwrap(),
                        "HMAC-{a} len {len} tag {t}: bit {bit} flipped, verify accepted"
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(
        checked,
        11 * 4 * 4,
        "every fixed-length hash, 4 lengths, 4 tag sizes"
    );
}
