//! Hashes of the symmetric service: QAT's `CpaCySymHashAlgorithm` set without the
//! block-cipher MACs — MD5, SHA-1, SHA-2, SHA-3, SHAKE and SM3 — in the three hash
//! modes of `CpaCySymHashMode`: plain, auth (HMAC, RFC 2104) and nested.
//!
//! A [`HashSession`] is set up once (for HMAC and nested mode the inner and outer
//! states are precomputed after absorbing `key ^ ipad` / `key ^ opad` or the
//! prefixes, which is what QAT keeps in its content descriptor). Each request then
//! runs [`HashSession::digest`] / [`HashSession::verify`] in one shot, or
//! [`HashSession::begin`] a [`HashState`] that absorbs partial packets
//! (`FULL` / `PARTIAL` / `LAST_PARTIAL`) and finishes into a digest buffer of the
//! requested (possibly truncated) length. Nothing allocates per request and no
//! input makes it panic.

use std::fmt;

use digest::{Digest, ExtendableOutput, Update, XofReader};
use subtle::ConstantTimeEq;

/// A hash algorithm of the symmetric service (QAT's `CPA_CY_SYM_HASH_*` values
/// other than the block-cipher MACs and the AEAD hashes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashAlgorithm {
    /// MD5 (RFC 1321), 16-byte digest.
    Md5,
    /// SHA-1 (FIPS 180-4), 20-byte digest.
    Sha1,
    /// SHA-224 (FIPS 180-4), 28-byte digest.
    Sha224,
    /// SHA-256 (FIPS 180-4), 32-byte digest.
    Sha256,
    /// SHA-384 (FIPS 180-4), 48-byte digest.
    Sha384,
    /// SHA-512 (FIPS 180-4), 64-byte digest.
    Sha512,
    /// SHA3-224 (FIPS 202), 28-byte digest.
    Sha3_224,
    /// SHA3-256 (FIPS 202), 32-byte digest.
    Sha3_256,
    /// SHA3-384 (FIPS 202), 48-byte digest.
    Sha3_384,
    /// SHA3-512 (FIPS 202), 64-byte digest.
    Sha3_512,
    /// SHAKE128 (FIPS 202): output of any length the caller asks for.
    Shake128,
    /// SHAKE256 (FIPS 202): output of any length the caller asks for.
    Shake256,
    /// SM3 (GB/T 32905-2016), 32-byte digest.
    Sm3,
}

impl HashAlgorithm {
    /// Every algorithm, in declaration order.
    pub const ALL: [HashAlgorithm; 13] = [
        HashAlgorithm::Md5,
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
        HashAlgorithm::Sha3_224,
        HashAlgorithm::Sha3_256,
        HashAlgorithm::Sha3_384,
        HashAlgorithm::Sha3_512,
        HashAlgorithm::Shake128,
        HashAlgorithm::Shake256,
        HashAlgorithm::Sm3,
    ];

    /// The full digest length in bytes; `None` for SHAKE, whose output length the
    /// caller chooses.
    pub fn digest_len(self) -> Option<usize> {
        use HashAlgorithm::*;
        match self {
            Md5 => Some(16),
            Sha1 => Some(20),
            Sha224 | Sha3_224 => Some(28),
            Sha256 | Sha3_256 | Sm3 => Some(32),
            Sha384 | Sha3_384 => Some(48),
            Sha512 | Sha3_512 => Some(64),
            Shake128 | Shake256 => None,
        }
    }

    /// The block length in bytes (for SHA-3 and SHAKE: the sponge rate), which is
    /// also the HMAC key block length.
    pub fn block_len(self) -> usize {
        use HashAlgorithm::*;
        match self {
            Md5 | Sha1 | Sha224 | Sha256 | Sm3 => 64,
            Sha384 | Sha512 => 128,
            Sha3_224 => 144,
            Sha3_256 => 136,
            Sha3_384 => 104,
            Sha3_512 => 72,
            Shake128 => 168,
            Shake256 => 136,
        }
    }

    /// Whether the output length is chosen by the caller (SHAKE).
    pub fn is_xof(self) -> bool {
        self.digest_len().is_none()
    }

    /// The largest output the caller may ask for: the digest length, or
    /// `usize::MAX` for SHAKE.
    pub fn max_output_len(self) -> usize {
        self.digest_len().unwrap_or(usize::MAX)
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use HashAlgorithm::*;
        f.write_str(match self {
            Md5 => "MD5",
            Sha1 => "SHA-1",
            Sha224 => "SHA-224",
            Sha256 => "SHA-256",
            Sha384 => "SHA-384",
            Sha512 => "SHA-512",
            Sha3_224 => "SHA3-224",
            Sha3_256 => "SHA3-256",
            Sha3_384 => "SHA3-384",
            Sha3_512 => "SHA3-512",
            Shake128 => "SHAKE128",
            Shake256 => "SHAKE256",
            Sm3 => "SM3",
        })
    }
}

/// The longest prefix QAT accepts for either half of a nested hash
/// (`innerPrefixLenInBytes` / `outerPrefixLenInBytes` in `CpaCySymHashNestedModeSetupData`).
pub const MAX_NESTED_PREFIX_LEN: usize = 255;

/// Why a hash session could not be set up or a request could not be served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashError {
    /// The requested digest length is outside `1..=max`.
    #[error("{alg}: a {asked}-byte digest was asked for; ask for 1..={max} bytes (QAT allows truncated digests, not empty or longer ones)")]
    BadDigestLen {
        /// The algorithm producing the digest (the outer one in nested mode).
        alg: HashAlgorithm,
        /// The length asked for.
        asked: usize,
        /// The longest digest the algorithm gives.
        max: usize,
    },
    /// HMAC or nested mode was asked of an algorithm whose output length is not fixed.
    #[error("{alg} has no fixed digest length, so it cannot be used in {mode} mode; use a fixed-length hash such as SHA3-256, or plain mode")]
    UnsupportedMode {
        /// The algorithm.
        alg: HashAlgorithm,
        /// The mode asked for ("HMAC" or "nested").
        mode: &'static str,
    },
    /// A nested-mode prefix is longer than QAT's limit.
    #[error("the nested-mode {which} prefix is {len} bytes; QAT allows at most {max} bytes (shorten it)", max = MAX_NESTED_PREFIX_LEN)]
    BadPrefix {
        /// "inner" or "outer".
        which: &'static str,
        /// The length given.
        len: usize,
    },
}

/// The running state of one concrete RustCrypto hasher (enum dispatch, no boxing).
#[derive(Clone)]
enum Core {
    Md5(md5::Md5),
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
    Sha3_224(sha3::Sha3_224),
    Sha3_256(sha3::Sha3_256),
    Sha3_384(sha3::Sha3_384),
    Sha3_512(sha3::Sha3_512),
    Shake128(sha3::Shake128),
    Shake256(sha3::Shake256),
    Sm3(sm3::Sm3),
}

/// Longest fixed digest (SHA-512, SHA3-512).
const MAX_FIXED_DIGEST: usize = 64;

impl Core {
    fn new(alg: HashAlgorithm) -> Self {
        use HashAlgorithm as A;
        match alg {
            A::Md5 => Core::Md5(Default::default()),
            A::Sha1 => Core::Sha1(Default::default()),
            A::Sha224 => Core::Sha224(Default::default()),
            A::Sha256 => Core::Sha256(Default::default()),
            A::Sha384 => Core::Sha384(Default::default()),
            A::Sha512 => Core::Sha512(Default::default()),
            A::Sha3_224 => Core::Sha3_224(Default::default()),
            A::Sha3_256 => Core::Sha3_256(Default::default()),
            A::Sha3_384 => Core::Sha3_384(Default::default()),
            A::Sha3_512 => Core::Sha3_512(Default::default()),
            A::Shake128 => Core::Shake128(Default::default()),
            A::Shake256 => Core::Shake256(Default::default()),
            A::Sm3 => Core::Sm3(Default::default()),
        }
    }

    fn update(&mut self, data: &[u8]) {
        match self {
            Core::Md5(h) => Digest::update(h, data),
            Core::Sha1(h) => Digest::update(h, data),
            Core::Sha224(h) => Digest::update(h, data),
            Core::Sha256(h) => Digest::update(h, data),
            Core::Sha384(h) => Digest::update(h, data),
            Core::Sha512(h) => Digest::update(h, data),
            Core::Sha3_224(h) => Digest::update(h, data),
            Core::Sha3_256(h) => Digest::update(h, data),
            Core::Sha3_384(h) => Digest::update(h, data),
            Core::Sha3_512(h) => Digest::update(h, data),
            Core::Shake128(h) => Update::update(h, data),
            Core::Shake256(h) => Update::update(h, data),
            Core::Sm3(h) => Digest::update(h, data),
        }
    }

    /// Finishes the hash and hands its first `len` output bytes to `sink`, in
    /// pieces of at most 64 bytes. The caller has checked `len` against the
    /// algorithm's maximum.
    fn squeeze(self, len: usize, mut sink: impl FnMut(&[u8])) {
        fn fixed(d: &[u8], len: usize, sink: &mut impl FnMut(&[u8])) {
            sink(&d[..len.min(d.len())]);
        }
        fn xof(mut r: impl XofReader, mut len: usize, sink: &mut impl FnMut(&[u8])) {
            let mut buf = [0u8; MAX_FIXED_DIGEST];
            while len > 0 {
                let n = len.min(buf.len());
                r.read(&mut buf[..n]);
                sink(&buf[..n]);
                len -= n;
            }
        }
        match self {
            Core::Md5(h) => fixed(&h.finalize(), len, &mut sink),
            Core::Sha1(h) => fixed(&h.finalize(), len, &mut sink),
            Core::Sha224(h) => fixed(&h.finalize(), len, &mut sink),
            Core::Sha256(h) => fixed(&h.finalize(), len, &mut sink),
            Core::Sha384(h) => fixed(&h.finalize(), len, &mut sink),
            Core::Sha512(h) => fixed(&h.finalize(), len, &mut sink),
            Core::Sha3_224(h) => fixed(&h.finalize(), len, &mut sink),
            Core::Sha3_256(h) => fixed(&h.finalize(), len, &mut sink),
            Core::Sha3_384(h) => fixed(&h.finalize(), len, &mut sink),
            Core::Sha3_512(h) => fixed(&h.finalize(), len, &mut sink),
            Core::Shake128(h) => xof(h.finalize_xof(), len, &mut sink),
            Core::Shake256(h) => xof(h.finalize_xof(), len, &mut sink),
            Core::Sm3(h) => fixed(&h.finalize(), len, &mut sink),
        }
    }

    /// Finishes a fixed-length hash into a stack buffer: (buffer, digest length).
    fn finish_full(self, alg: HashAlgorithm) -> ([u8; MAX_FIXED_DIGEST], usize) {
        let n = alg.digest_len().unwrap_or(MAX_FIXED_DIGEST);
        let mut buf = [0u8; MAX_FIXED_DIGEST];
        let mut at = 0;
        self.squeeze(n, |piece| {
            buf[at..at + piece.len()].copy_from_slice(piece);
            at += piece.len();
        });
        (buf, n)
    }
}

/// The outer half of an HMAC or nested hash: the outer algorithm and its state
/// after absorbing `key ^ opad` or the outer prefix.
#[derive(Clone)]
struct Outer {
    alg: HashAlgorithm,
    state: Core,
}

/// A hash session: algorithm and mode (plain, HMAC with its key, or nested with
/// its prefixes), with the keyed states precomputed — for HMAC the inner and outer
/// states after absorbing `key ^ ipad` / `key ^ opad`, which is what QAT stores in
/// its content descriptor.
#[derive(Clone)]
pub struct HashSession {
    inner_alg: HashAlgorithm,
    inner: Core,
    outer: Option<Outer>,
}

impl fmt::Debug for HashSession {
    // The precomputed states are key material: never print them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HashSession")
            .field("inner_alg", &self.inner_alg)
            .field("outer_alg", &self.outer.as_ref().map(|o| o.alg))
            .finish_non_exhaustive()
    }
}

impl HashSession {
    /// A plain hash (`CPA_CY_SYM_HASH_MODE_PLAIN`).
    pub fn plain(alg: HashAlgorithm) -> Self {
        HashSession {
            inner_alg: alg,
            inner: Core::new(alg),
            outer: None,
        }
    }

    /// HMAC (`CPA_CY_SYM_HASH_MODE_AUTH`, RFC 2104) with a key of any length: a
    /// key longer than the block is hashed first, a shorter one zero-padded.
    /// SHAKE has no HMAC and is refused.
    pub fn hmac(alg: HashAlgorithm, key: &[u8]) -> Result<Self, HashError> {
        if alg.is_xof() {
            return Err(HashError::UnsupportedMode { alg, mode: "HMAC" });
        }
        // The largest block is SHA3-224's 144 bytes.
        let mut block = [0u8; 144];
        let b = alg.block_len();
        if key.len() > b {
            let mut h = Core::new(alg);
            h.update(key);
            let (d, n) = h.finish_full(alg);
            block[..n].copy_from_slice(&d[..n]);
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let mut pad = [0u8; 144];
        let mut inner = Core::new(alg);
        for (p, k) in pad[..b].iter_mut().zip(&block[..b]) {
            *p = k ^ 0x36;
        }
        inner.update(&pad[..b]);
        let mut outer = Core::new(alg);
        for (p, k) in pad[..b].iter_mut().zip(&block[..b]) {
            *p = k ^ 0x5c;
        }
        outer.update(&pad[..b]);
        Ok(HashSession {
            inner_alg: alg,
            inner,
            outer: Some(Outer { alg, state: outer }),
        })
    }

    /// A nested hash (`CPA_CY_SYM_HASH_MODE_NESTED`, mirroring
    /// `CpaCySymHashNestedModeSetupData`): the digest is
    /// `outer_alg(outer_prefix || inner_alg(inner_prefix || message))`, the inner
    /// digest at full length. Prefixes are at most [`MAX_NESTED_PREFIX_LEN`] bytes;
    /// SHAKE is refused on either side.
    pub fn nested(
        inner_alg: HashAlgorithm,
        inner_prefix: &[u8],
        outer_alg: HashAlgorithm,
        outer_prefix: &[u8],
    ) -> Result<Self, HashError> {
        for alg in [inner_alg, outer_alg] {
            if alg.is_xof() {
                return Err(HashError::UnsupportedMode {
                    alg,
                    mode: "nested",
                });
            }
        }
        for (which, p) in [("inner", inner_prefix), ("outer", outer_prefix)] {
            if p.len() > MAX_NESTED_PREFIX_LEN {
                return Err(HashError::BadPrefix {
                    which,
                    len: p.len(),
                });
            }
        }
        let mut inner = Core::new(inner_alg);
        inner.update(inner_prefix);
        let mut outer = Core::new(outer_alg);
        outer.update(outer_prefix);
        Ok(HashSession {
            inner_alg,
            inner,
            outer: Some(Outer {
                alg: outer_alg,
                state: outer,
            }),
        })
    }

    /// The algorithm that produces the final digest (the outer one in nested mode).
    pub fn output_algorithm(&self) -> HashAlgorithm {
        self.outer.as_ref().map_or(self.inner_alg, |o| o.alg)
    }

    /// The longest digest this session gives (`usize::MAX` for plain SHAKE).
    pub fn max_digest_len(&self) -> usize {
        self.output_algorithm().max_output_len()
    }

    /// The block length of the (inner) hash: what partial packets other than
    /// the last must be a multiple of.
    pub fn block_len(&self) -> usize {
        self.inner_alg.block_len()
    }

    /// Starts a request that may arrive in several partial packets.
    pub fn begin(&self) -> HashState {
        HashState {
            inner_alg: self.inner_alg,
            inner: self.inner.clone(),
            outer: self.outer.clone(),
        }
    }

    /// Hashes `msg` in one shot into `out`, whose length (1..=the digest length)
    /// is the digest length asked for; shorter means truncated.
    pub fn digest(&self, msg: &[u8], out: &mut [u8]) -> Result<(), HashError> {
        let mut s = self.begin();
        s.update(msg);
        s.finish(out)
    }

    /// Hashes `msg` and compares the (possibly truncated) digest with `expected`
    /// in constant time. `Ok(false)` is a mismatch; `Err` a bad `expected` length.
    pub fn verify(&self, msg: &[u8], expected: &[u8]) -> Result<bool, HashError> {
        let mut s = self.begin();
        s.update(msg);
        s.verify(expected)
    }
}

/// The running state of one request across partial packets: [`HashSession::begin`],
/// [`update`](Self::update) any number of times, then [`finish`](Self::finish) (or
/// [`verify`](Self::verify)). It can be cloned and stored between packets.
#[derive(Clone)]
pub struct HashState {
    inner_alg: HashAlgorithm,
    inner: Core,
    outer: Option<Outer>,
}

impl fmt::Debug for HashState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HashState")
            .field("inner_alg", &self.inner_alg)
            .field("outer_alg", &self.outer.as_ref().map(|o| o.alg))
            .finish_non_exhaustive()
    }
}

impl HashState {
    /// Absorbs the next piece of the message.
    pub fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    fn check_len(&self, asked: usize) -> Result<(), HashError> {
        let alg = self.outer.as_ref().map_or(self.inner_alg, |o| o.alg);
        let max = alg.max_output_len();
        if asked == 0 || asked > max {
            return Err(HashError::BadDigestLen { alg, asked, max });
        }
        Ok(())
    }

    /// Finishes into `sink`, `len` bytes in pieces; `len` already checked.
    fn squeeze(&self, len: usize, sink: impl FnMut(&[u8])) {
        match &self.outer {
            None => self.inner.clone().squeeze(len, sink),
            Some(o) => {
                let (d, n) = self.inner.clone().finish_full(self.inner_alg);
                let mut outer = o.state.clone();
                outer.update(&d[..n]);
                outer.squeeze(len, sink);
            }
        }
    }

    /// Writes the digest, truncated to `out.len()` bytes (1..=the digest length;
    /// any length ≥ 1 for plain SHAKE). The state is left as it was, so more data
    /// may follow.
    pub fn finish(&self, out: &mut [u8]) -> Result<(), HashError> {
        self.check_len(out.len())?;
        let mut at = 0;
        self.squeeze(out.len(), |piece| {
            out[at..at + piece.len()].copy_from_slice(piece);
            at += piece.len();
        });
        Ok(())
    }

    /// Compares the digest, truncated to `expected.len()` bytes, with `expected`
    /// in constant time.
    pub fn verify(&self, expected: &[u8]) -> Result<bool, HashError> {
        self.check_len(expected.len())?;
        let mut equal = subtle::Choice::from(1u8);
        let mut at = 0;
        self.squeeze(expected.len(), |piece| {
            equal &= piece.ct_eq(&expected[at..at + piece.len()]);
            at += piece.len();
        });
        Ok(bool::from(equal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals() {
        let s = HashSession::plain(HashAlgorithm::Sha256);
        let mut big = [0u8; 33];
        assert_eq!(
            s.digest(b"", &mut big),
            Err(HashError::BadDigestLen {
                alg: HashAlgorithm::Sha256,
                asked: 33,
                max: 32
            })
        );
        assert!(s.digest(b"", &mut []).is_err());
        assert!(s.verify(b"", &[]).is_err());
        assert!(HashSession::hmac(HashAlgorithm::Shake128, b"k").is_err());
        assert!(
            HashSession::nested(HashAlgorithm::Sha1, b"", HashAlgorithm::Shake256, b"").is_err()
        );
        assert_eq!(
            HashSession::nested(HashAlgorithm::Sha1, &[0; 256], HashAlgorithm::Sha1, b"")
                .unwrap_err(),
            HashError::BadPrefix {
                which: "inner",
                len: 256
            }
        );
        assert!(HashSession::nested(
            HashAlgorithm::Sha1,
            &[0; 255],
            HashAlgorithm::Sha1,
            &[1; 255]
        )
        .is_ok());
        // SHAKE: any positive length, even long.
        let mut long = [0u8; 1000];
        HashSession::plain(HashAlgorithm::Shake128)
            .digest(b"x", &mut long)
            .unwrap();
        assert!(HashSession::plain(HashAlgorithm::Shake128)
            .verify(b"x", &long)
            .unwrap());
        long[999] ^= 1;
        assert!(!HashSession::plain(HashAlgorithm::Shake128)
            .verify(b"x", &long)
            .unwrap());
    }

    #[test]
    fn nested_is_definition() {
        let msg = b"nested mode message";
        let s =
            HashSession::nested(HashAlgorithm::Sha1, b"in", HashAlgorithm::Sha512, b"out").unwrap();
        let mut got = [0u8; 64];
        s.digest(msg, &mut got).unwrap();
        let mut inner_in = b"in".to_vec();
        inner_in.extend_from_slice(msg);
        let mut inner = [0u8; 20];
        HashSession::plain(HashAlgorithm::Sha1)
            .digest(&inner_in, &mut inner)
            .unwrap();
        let mut outer_in = b"out".to_vec();
        outer_in.extend_from_slice(&inner);
        let mut want = [0u8; 64];
        HashSession::plain(HashAlgorithm::Sha512)
            .digest(&outer_in, &mut want)
            .unwrap();
        assert_eq!(got, want);
        assert_eq!(s.max_digest_len(), 64);
    }
}
