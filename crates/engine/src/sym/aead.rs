//! AEAD of QAT's symmetric service: AES-GCM (128/192/256-bit keys, any IV
//! length), AES-CCM (RFC 3610 / SP 800-38C) and ChaCha20-Poly1305 (RFC 8439).
//!
//! Backends: ring for AES-128/256-GCM with a 12-byte IV and ChaCha20-Poly1305
//! (ring's VAES/AVX2 code is the fastest here). What ring cannot do — AES-192,
//! IVs of other lengths (J0 derived through GHASH as GCM defines it), opening
//! with a truncated tag — runs on a GCM built from RustCrypto's `aes` and
//! `ghash`. CCM is CBC-MAC plus CTR over `aes`.
//!
//! Tag lengths follow QAT (qatlib `LacHash_HashContextCheck`): GCM 8, 12 or 16
//! bytes (RFC 4106), CCM 4..=16 even, ChaCha20-Poly1305 16.
//!
//! Requests do not allocate. [`AeadSession::open`] compares tags in constant
//! time; on a mismatch it returns `Ok(false)` and **zero-fills `data`**, so no
//! unauthenticated plaintext (nor the ciphertext) is left in the buffer.

use aes::Block;
use ghash::universal_hash::{KeyInit, UniversalHash};
use ghash::GHash;
use ring::aead::{self as ring_aead, Aad, LessSafeKey, Nonce, UnboundKey};
use subtle::ConstantTimeEq;
use thiserror::Error;

use super::mac::{xor_into, AesKey, CbcCore};

/// The AEAD algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AeadAlgorithm {
    /// AES-GCM (NIST SP 800-38D), 16/24/32-byte key, IV of 1 byte or more.
    AesGcm,
    /// AES-CCM (RFC 3610 / SP 800-38C), 16/24/32-byte key, 7..=13-byte nonce.
    AesCcm,
    /// ChaCha20-Poly1305 (RFC 8439), 32-byte key, 12-byte nonce.
    Chacha20Poly1305,
}

/// Errors of AEAD session setup and requests; each says what to change.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum AeadError {
    /// The key length does not fit the algorithm.
    #[error("{alg:?} takes a key of {allowed}, got {got} bytes: pass a key of a supported length")]
    KeyLength {
        /// The algorithm.
        alg: AeadAlgorithm,
        /// Allowed lengths.
        allowed: &'static str,
        /// Length given.
        got: usize,
    },
    /// The tag length is not one QAT allows for the algorithm.
    #[error("{alg:?} allows tags of {allowed}, got {got} bytes: choose an allowed tag length")]
    TagLength {
        /// The algorithm.
        alg: AeadAlgorithm,
        /// Allowed lengths.
        allowed: &'static str,
        /// Length given.
        got: usize,
    },
    /// The tag buffer passed to seal/open is not the session's tag length.
    #[error("the session's tag is {expected} bytes but the tag buffer is {got}: pass a buffer of exactly the session tag length")]
    TagBuffer {
        /// Session tag length.
        expected: usize,
        /// Buffer length.
        got: usize,
    },
    /// The IV / nonce length does not fit the algorithm.
    #[error("{alg:?} takes an IV of {allowed}, got {got} bytes: pass an IV of a supported length")]
    IvLength {
        /// The algorithm.
        alg: AeadAlgorithm,
        /// Allowed lengths.
        allowed: &'static str,
        /// Length given.
        got: usize,
    },
    /// The data is longer than the mode can protect with these parameters.
    #[error("{alg:?} can protect at most {max} bytes here, got {got}: split the data (for CCM, a shorter nonce allows longer data)")]
    DataTooLong {
        /// The algorithm.
        alg: AeadAlgorithm,
        /// Maximum length.
        max: u64,
        /// Length given.
        got: u64,
    },
    /// J0 was given to a session that is not AES-GCM.
    #[error("{alg:?} has no J0: only AES-GCM takes a 16-byte pre-counter block")]
    J0NotGcm {
        /// The algorithm.
        alg: AeadAlgorithm,
    },
    /// The backend refused the request (should not happen after the checks above).
    #[error("the {0} backend refused the request: check key, IV and lengths")]
    Backend(&'static str),
}

/// GCM over `aes` + `ghash`: the path for whatever ring cannot do.
#[derive(Clone)]
struct SoftGcm {
    aes: AesKey,
    ghash: GHash,
}

fn inc32(b: &mut [u8; 16]) {
    let n = u32::from_be_bytes([b[12], b[13], b[14], b[15]]).wrapping_add(1);
    b[12..].copy_from_slice(&n.to_be_bytes());
}

fn inc128(b: &mut [u8; 16]) {
    *b = u128::from_be_bytes(*b).wrapping_add(1).to_be_bytes();
}

/// Counter-mode keystream XOR from counter block `ctr`, batched 8 blocks.
fn ctr_xor(aes: &AesKey, mut ctr: [u8; 16], data: &mut [u8], inc: fn(&mut [u8; 16])) {
    let mut ks = [Block::default(); 8];
    for chunk in data.chunks_mut(128) {
        let nb = chunk.len().div_ceil(16);
        for b in ks[..nb].iter_mut() {
            b.copy_from_slice(&ctr);
            inc(&mut ctr);
        }
        aes.encrypt_many(&mut ks[..nb]);
        for (c, k) in chunk.chunks_mut(16).zip(ks.iter()) {
            xor_into(c, k);
        }
    }
}

impl SoftGcm {
    fn new(aes: AesKey) -> Self {
        let mut h = [0u8; 16];
        aes.encrypt(&mut h);
        let ghash = GHash::new(&h.into());
        SoftGcm { aes, ghash }
    }

    fn j0(&self, iv: &[u8]) -> [u8; 16] {
        let mut j0 = [0u8; 16];
        if iv.len() == 12 {
            j0[..12].copy_from_slice(iv);
            j0[15] = 1;
        } else {
            let mut g = self.ghash.clone();
            g.update_padded(iv);
            let mut len = [0u8; 16];
            len[8..].copy_from_slice(&((iv.len() as u64).wrapping_mul(8)).to_be_bytes());
            g.update(&[Block::from(len)]);
            j0.copy_from_slice(&g.finalize());
        }
        j0
    }

    fn tag(&self, j0: &[u8; 16], aad: &[u8], ct: &[u8]) -> [u8; 16] {
        let mut g = self.ghash.clone();
        g.update_padded(aad);
        g.update_padded(ct);
        let mut len = [0u8; 16];
        len[..8].copy_from_slice(&((aad.len() as u64).wrapping_mul(8)).to_be_bytes());
        len[8..].copy_from_slice(&((ct.len() as u64).wrapping_mul(8)).to_be_bytes());
        g.update(&[Block::from(len)]);
        let mut t = [0u8; 16];
        t.copy_from_slice(&g.finalize());
        let mut ek = *j0;
        self.aes.encrypt(&mut ek);
        xor_into(&mut t, &ek);
        t
    }

    fn crypt(&self, j0: &[u8; 16], data: &mut [u8]) {
        let mut c = *j0;
        inc32(&mut c);
        ctr_xor(&self.aes, c, data, inc32);
    }
}

// One backend per session, built once: its size is not per-request cost.
#[allow(clippy::large_enum_variant)]
enum Backend {
    Gcm {
        ring: Option<LessSafeKey>,
        soft: SoftGcm,
    },
    Ccm(AesKey),
    Chacha(LessSafeKey),
}

/// An AEAD key set up once; [`AeadSession::seal`] and [`AeadSession::open`]
/// work in place and do not allocate.
pub struct AeadSession {
    alg: AeadAlgorithm,
    tag_len: usize,
    backend: Backend,
}

impl std::fmt::Debug for AeadSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AeadSession")
            .field("alg", &self.alg)
            .field("tag_len", &self.tag_len)
            .finish_non_exhaustive()
    }
}

/// GCM's plaintext limit, 2^39 - 256 bits.
const GCM_MAX: u64 = (1 << 36) - 32;

impl AeadSession {
    /// Sets up `key` for `alg` with tags of `tag_len` bytes (GCM 8/12/16,
    /// CCM 4..=16 even, ChaCha20-Poly1305 16).
    pub fn new(alg: AeadAlgorithm, key: &[u8], tag_len: usize) -> Result<Self, AeadError> {
        let key_err = |allowed| AeadError::KeyLength {
            alg,
            allowed,
            got: key.len(),
        };
        let tag_err = |allowed| AeadError::TagLength {
            alg,
            allowed,
            got: tag_len,
        };
        let backend = match alg {
            AeadAlgorithm::AesGcm => {
                if !matches!(tag_len, 8 | 12 | 16) {
                    return Err(tag_err("8, 12 or 16 bytes"));
                }
                let aes = AesKey::new(key).ok_or_else(|| key_err("16, 24 or 32 bytes"))?;
                let ring_alg = match key.len() {
                    16 => Some(&ring_aead::AES_128_GCM),
                    32 => Some(&ring_aead::AES_256_GCM),
                    _ => None,
                };
                let ring = match ring_alg {
                    Some(a) => Some(LessSafeKey::new(
                        UnboundKey::new(a, key).map_err(|_| AeadError::Backend("ring"))?,
                    )),
                    None => None,
                };
                Backend::Gcm {
                    ring,
                    soft: SoftGcm::new(aes),
                }
            }
            AeadAlgorithm::AesCcm => {
                if !(4..=16).contains(&tag_len) || !tag_len.is_multiple_of(2) {
                    return Err(tag_err("4, 6, 8, 10, 12, 14 or 16 bytes"));
                }
                Backend::Ccm(AesKey::new(key).ok_or_else(|| key_err("16, 24 or 32 bytes"))?)
            }
            AeadAlgorithm::Chacha20Poly1305 => {
                if tag_len != 16 {
                    return Err(tag_err("16 bytes"));
                }
                if key.len() != 32 {
                    return Err(key_err("32 bytes"));
                }
                Backend::Chacha(LessSafeKey::new(
                    UnboundKey::new(&ring_aead::CHACHA20_POLY1305, key)
                        .map_err(|_| AeadError::Backend("ring"))?,
                ))
            }
        };
        Ok(AeadSession {
            alg,
            tag_len,
            backend,
        })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AeadAlgorithm {
        self.alg
    }

    /// The tag length in bytes.
    pub fn tag_len(&self) -> usize {
        self.tag_len
    }

    #[inline]
    fn check(&self, iv: &[u8], data: &[u8], tag_buf: usize) -> Result<(), AeadError> {
        if tag_buf != self.tag_len {
            return Err(AeadError::TagBuffer {
                expected: self.tag_len,
                got: tag_buf,
            });
        }
        let iv_err = |allowed| AeadError::IvLength {
            alg: self.alg,
            allowed,
            got: iv.len(),
        };
        let too_long = |max: u64| {
            if data.len() as u64 > max {
                Err(AeadError::DataTooLong {
                    alg: self.alg,
                    max,
                    got: data.len() as u64,
                })
            } else {
                Ok(())
            }
        };
        match self.alg {
            AeadAlgorithm::AesGcm => {
                if iv.is_empty() {
                    return Err(iv_err("1 byte or more (12 recommended)"));
                }
                too_long(GCM_MAX)
            }
            AeadAlgorithm::AesCcm => {
                if !(7..=13).contains(&iv.len()) {
                    return Err(iv_err("7..=13 bytes"));
                }
                let l = 15 - iv.len();
                if l < 8 {
                    too_long((1u64 << (8 * l)) - 1)?;
                }
                Ok(())
            }
            AeadAlgorithm::Chacha20Poly1305 => {
                if iv.len() != 12 {
                    return Err(iv_err("12 bytes"));
                }
                too_long(64 * ((1u64 << 32) - 1))
            }
        }
    }

    /// Encrypts `data` in place and writes the tag (`tag.len()` must be the
    /// session's tag length).
    pub fn seal(
        &self,
        iv: &[u8],
        aad: &[u8],
        data: &mut [u8],
        tag: &mut [u8],
    ) -> Result<(), AeadError> {
        self.check(iv, data, tag.len())?;
        match &self.backend {
            Backend::Gcm { ring, soft } => match ring {
                Some(k) if iv.len() == 12 => {
                    let t = ring_seal(k, iv, aad, data)?;
                    copy_tag(tag, t.as_ref());
                }
                _ => {
                    let j0 = soft.j0(iv);
                    soft.crypt(&j0, data);
                    let t = soft.tag(&j0, aad, data);
                    tag.copy_from_slice(&t[..self.tag_len]);
                }
            },
            Backend::Chacha(k) => {
                let t = ring_seal(k, iv, aad, data)?;
                copy_tag(tag, t.as_ref());
            }
            Backend::Ccm(aes) => {
                let (a0, t) = ccm_mac(aes, iv, aad, data, self.tag_len);
                let mut s0 = a0;
                aes.encrypt(&mut s0);
                let mut a1 = a0;
                inc128(&mut a1);
                ctr_xor(aes, a1, data, inc128);
                tag.copy_from_slice(&t[..self.tag_len]);
                xor_into(tag, &s0);
            }
        }
        Ok(())
    }

    /// Verifies and decrypts `data` in place. `Ok(true)`: authentic, `data` is
    /// the plaintext. `Ok(false)`: the tag did not match and `data` is zeroed.
    pub fn open(
        &self,
        iv: &[u8],
        aad: &[u8],
        data: &mut [u8],
        tag: &[u8],
    ) -> Result<bool, AeadError> {
        self.check(iv, data, tag.len())?;
        let ok = match &self.backend {
            Backend::Gcm { ring, soft } => match ring {
                Some(k) if iv.len() == 12 && self.tag_len == 16 => {
                    ring_open(k, iv, aad, data, tag)?
                }
                _ => {
                    let j0 = soft.j0(iv);
                    let t = soft.tag(&j0, aad, data);
                    let ok = bool::from(t[..self.tag_len].ct_eq(tag));
                    if ok {
                        soft.crypt(&j0, data);
                    }
                    ok
                }
            },
            Backend::Chacha(k) => ring_open(k, iv, aad, data, tag)?,
            Backend::Ccm(aes) => {
                let l = 15 - iv.len();
                let mut a0 = [0u8; 16];
                a0[0] = (l - 1) as u8;
                a0[1..1 + iv.len()].copy_from_slice(iv);
                let mut a1 = a0;
                inc128(&mut a1);
                ctr_xor(aes, a1, data, inc128);
                let (_, mut t) = ccm_mac(aes, iv, aad, data, self.tag_len);
                aes.encrypt(&mut a0);
                xor_into(&mut t, &a0);
                bool::from(t[..self.tag_len].ct_eq(tag))
            }
        };
        if !ok {
            data.fill(0);
        }
        Ok(ok)
    }
}

impl AeadSession {
    /// AES-GCM with the pre-counter block J0 given instead of an IV (QAT's
    /// `ivLenInBytes` = 16: "pIv points to J0", SP 800-38D §7.1): encrypts
    /// `data` in place and writes the tag.
    pub fn seal_j0(
        &self,
        j0: &[u8; 16],
        aad: &[u8],
        data: &mut [u8],
        tag: &mut [u8],
    ) -> Result<(), AeadError> {
        let soft = self.gcm_for_j0(data, tag.len())?;
        soft.crypt(j0, data);
        let t = soft.tag(j0, aad, data);
        tag.copy_from_slice(&t[..self.tag_len]);
        Ok(())
    }

    /// As [`AeadSession::open`], with J0 given instead of an IV.
    pub fn open_j0(
        &self,
        j0: &[u8; 16],
        aad: &[u8],
        data: &mut [u8],
        tag: &[u8],
    ) -> Result<bool, AeadError> {
        let soft = self.gcm_for_j0(data, tag.len())?;
        let t = soft.tag(j0, aad, data);
        let ok = bool::from(t[..self.tag_len].ct_eq(tag));
        if ok {
            soft.crypt(j0, data);
        } else {
            data.fill(0);
        }
        Ok(ok)
    }

    fn gcm_for_j0(&self, data: &[u8], tag_buf: usize) -> Result<&SoftGcm, AeadError> {
        // Any IV passes the GCM checks: only the tag buffer and the length
        // matter here.
        self.check(&[0u8; 12], data, tag_buf)?;
        match &self.backend {
            Backend::Gcm { soft, .. } => Ok(soft),
            _ => Err(AeadError::J0NotGcm { alg: self.alg }),
        }
    }
}

/// Copies the leading `dst.len()` bytes of a 16-byte tag; the common full
/// tag is a fixed-size copy rather than a `memcpy` call.
#[inline]
fn copy_tag(dst: &mut [u8], full: &[u8]) {
    match (
        <&mut [u8; 16]>::try_from(&mut *dst),
        <&[u8; 16]>::try_from(full),
    ) {
        (Ok(d), Ok(f)) => *d = *f,
        _ => dst.copy_from_slice(&full[..dst.len()]),
    }
}

#[inline]
fn ring_seal(
    k: &LessSafeKey,
    iv: &[u8],
    aad: &[u8],
    data: &mut [u8],
) -> Result<ring_aead::Tag, AeadError> {
    let nonce = Nonce::try_assume_unique_for_key(iv).map_err(|_| AeadError::Backend("ring"))?;
    k.seal_in_place_separate_tag(nonce, Aad::from(aad), data)
        .map_err(|_| AeadError::Backend("ring"))
}

#[inline]
fn ring_open(
    k: &LessSafeKey,
    iv: &[u8],
    aad: &[u8],
    data: &mut [u8],
    tag: &[u8],
) -> Result<bool, AeadError> {
    let nonce = Nonce::try_assume_unique_for_key(iv).map_err(|_| AeadError::Backend("ring"))?;
    let mut t = [0u8; 16];
    t.copy_from_slice(tag);
    Ok(
        k.open_in_place_separate_tag(nonce, Aad::from(aad), ring_aead::Tag::from(t), data, 0..)
            .is_ok(),
    )
}

/// CCM's CBC-MAC over B0, the encoded AAD and the payload; returns A0 and T.
fn ccm_mac(
    aes: &AesKey,
    nonce: &[u8],
    aad: &[u8],
    payload: &[u8],
    m: usize,
) -> ([u8; 16], [u8; 16]) {
    let l = 15 - nonce.len();
    let mut b0 = [0u8; 16];
    b0[0] = (if aad.is_empty() { 0 } else { 0x40 }) | ((((m - 2) / 2) as u8) << 3) | (l - 1) as u8;
    b0[1..1 + nonce.len()].copy_from_slice(nonce);
    let len = (payload.len() as u64).to_be_bytes();
    b0[16 - l..].copy_from_slice(&len[8 - l..]);
    let mut core = CbcCore::new();
    core.update(aes, &b0);
    if !aad.is_empty() {
        let a = aad.len() as u64;
        if a < 0xff00 {
            core.update(aes, &(a as u16).to_be_bytes());
        } else if a <= u32::MAX as u64 {
            core.update(aes, &[0xff, 0xfe]);
            core.update(aes, &(a as u32).to_be_bytes());
        } else {
            core.update(aes, &[0xff, 0xff]);
            core.update(aes, &a.to_be_bytes());
        }
        core.update(aes, aad);
        core.pad_flush(aes);
    }
    core.update(aes, payload);
    core.pad_flush(aes);
    let mut a0 = [0u8; 16];
    a0[0] = (l - 1) as u8;
    a0[1..1 + nonce.len()].copy_from_slice(nonce);
    (a0, core.value())
}
