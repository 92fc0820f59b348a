//! The MACs among QAT's hash algorithms: AES-XCBC-MAC (RFC 3566, full and
//! 96-bit), AES-CMAC (RFC 4493 / SP 800-38B), raw AES-CBC-MAC (the MAC inside
//! CCM), AES-GMAC (GCM over AAD only) and Poly1305 (RFC 8439, one-time key).
//!
//! CMAC, XCBC and CBC-MAC share one block-chaining core over the `aes` crate
//! and are also available as a resumable [`MacState`] for partial packets.
//! Verification compares in constant time (`subtle`).

use aes::cipher::{BlockEncrypt, KeyInit};
use aes::{Aes128, Aes192, Aes256, Block};
use subtle::ConstantTimeEq;
use thiserror::Error;

use super::aead::{AeadAlgorithm, AeadError, AeadSession};

/// Errors of MAC session setup and requests.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum MacError {
    /// The key length does not fit the algorithm.
    #[error(
        "{alg:?} takes a key of {expected}, got {got} bytes: pass a key of a supported length"
    )]
    KeyLength {
        /// The algorithm.
        alg: MacAlgorithm,
        /// Human-readable allowed lengths.
        expected: &'static str,
        /// Length given.
        got: usize,
    },
    /// The requested MAC length is outside 4..=the algorithm's full length.
    #[error(
        "{alg:?} produces at most {max} bytes; a MAC of {got} bytes was asked for: use 4..={max}"
    )]
    MacLength {
        /// The algorithm.
        alg: MacAlgorithm,
        /// Full MAC length.
        max: usize,
        /// Length asked for.
        got: usize,
    },
    /// Raw CBC-MAC needs whole blocks.
    #[error("AES-CBC-MAC needs a non-empty message of whole 16-byte blocks, got {0} bytes: pad it first (CCM pads with zeros)")]
    CbcMacLength(u64),
    /// The call does not fit the algorithm (GMAC needs an IV; only block MACs resume).
    #[error("{alg:?}: {what}")]
    WrongCall {
        /// The algorithm.
        alg: MacAlgorithm,
        /// What to do instead.
        what: &'static str,
    },
    /// An error of the GCM engine under GMAC.
    #[error("GMAC: {0}")]
    Gmac(#[from] AeadError),
}

/// An AES key schedule of any of the three key sizes.
#[derive(Clone)]
pub(crate) enum AesKey {
    K128(Aes128),
    K192(Aes192),
    K256(Aes256),
}

impl AesKey {
    /// The key schedule, or `None` if the key is not 16, 24 or 32 bytes.
    pub(crate) fn new(key: &[u8]) -> Option<Self> {
        match key.len() {
            16 => Aes128::new_from_slice(key).ok().map(Self::K128),
            24 => Aes192::new_from_slice(key).ok().map(Self::K192),
            32 => Aes256::new_from_slice(key).ok().map(Self::K256),
            _ => None,
        }
    }

    /// Encrypts one block in place.
    #[inline]
    pub(crate) fn encrypt(&self, b: &mut [u8; 16]) {
        let blk = Block::from_mut_slice(b);
        match self {
            Self::K128(c) => c.encrypt_block(blk),
            Self::K192(c) => c.encrypt_block(blk),
            Self::K256(c) => c.encrypt_block(blk),
        }
    }

    /// Encrypts several blocks in place (pipelined by the `aes` backend).
    #[inline]
    pub(crate) fn encrypt_many(&self, b: &mut [Block]) {
        match self {
            Self::K128(c) => c.encrypt_blocks(b),
            Self::K192(c) => c.encrypt_blocks(b),
            Self::K256(c) => c.encrypt_blocks(b),
        }
    }
}

/// XORs `src` into `dst` (up to the shorter length).
#[inline]
pub(crate) fn xor_into(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d ^= s;
    }
}

/// Raw CBC-MAC chaining with a zero IV, keeping the last (possibly full)
/// block back so the caller can treat the final block specially.
#[derive(Clone)]
pub(crate) struct CbcCore {
    x: [u8; 16],
    buf: [u8; 16],
    len: usize,
    total: u64,
}

impl CbcCore {
    pub(crate) fn new() -> Self {
        CbcCore {
            x: [0; 16],
            buf: [0; 16],
            len: 0,
            total: 0,
        }
    }

    /// Absorbs `data`; the last block seen stays buffered.
    pub(crate) fn update(&mut self, aes: &AesKey, mut data: &[u8]) {
        self.total = self.total.wrapping_add(data.len() as u64);
        while !data.is_empty() {
            if self.len == 16 {
                xor_into(&mut self.x, &self.buf);
                aes.encrypt(&mut self.x);
                self.len = 0;
            }
            let n = (16 - self.len).min(data.len());
            self.buf[self.len..self.len + n].copy_from_slice(&data[..n]);
            self.len += n;
            data = &data[n..];
        }
    }

    /// Zero-pads the buffered partial block and chains it in (CCM formatting).
    pub(crate) fn pad_flush(&mut self, aes: &AesKey) {
        if self.len > 0 {
            self.buf[self.len..].fill(0);
            xor_into(&mut self.x, &self.buf);
            aes.encrypt(&mut self.x);
            self.len = 0;
        }
    }

    /// The chaining value after all blocks (call after [`CbcCore::pad_flush`]).
    pub(crate) fn value(&self) -> [u8; 16] {
        self.x
    }

    /// Final block: a full block is XORed with `k_full`, a partial (or empty)
    /// one is padded 0x80 00.. and XORed with `k_part` (CMAC and XCBC).
    fn finish_keyed(mut self, aes: &AesKey, k_full: &[u8; 16], k_part: &[u8; 16]) -> [u8; 16] {
        if self.len == 16 {
            xor_into(&mut self.buf, k_full);
        } else {
            self.buf[self.len] = 0x80;
            self.buf[self.len + 1..].fill(0);
            xor_into(&mut self.buf, k_part);
        }
        xor_into(&mut self.x, &self.buf);
        aes.encrypt(&mut self.x);
        self.x
    }
}

/// Doubling in GF(2^128) as CMAC defines it (shift left, conditional 0x87).
fn dbl(b: &[u8; 16]) -> [u8; 16] {
    let v = u128::from_be_bytes(*b);
    let r = (v << 1) ^ if v >> 127 == 1 { 0x87 } else { 0 };
    r.to_be_bytes()
}

/// The MAC algorithms of QAT's hash service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MacAlgorithm {
    /// AES-XCBC-MAC-96 (RFC 3566 as IPsec uses it): 128-bit key, 12-byte MAC.
    AesXcbcMac96,
    /// AES-XCBC-MAC with the full 16-byte output (e.g. the RFC 4434 PRF).
    AesXcbcMac,
    /// AES-CMAC (RFC 4493 / SP 800-38B), 128/192/256-bit key, 16-byte MAC.
    AesCmac,
    /// Raw AES-CBC-MAC with a zero IV over whole blocks (the MAC in CCM).
    AesCbcMac,
    /// AES-GMAC: GCM with empty plaintext, the tag over AAD; needs an IV
    /// ([`MacSession::gmac`]).
    AesGmac,
    /// Poly1305 (RFC 8439) with a 32-byte one-time key.
    Poly1305,
}

impl MacAlgorithm {
    /// Full MAC length in bytes.
    pub fn mac_len(self) -> usize {
        match self {
            MacAlgorithm::AesXcbcMac96 => 12,
            _ => 16,
        }
    }
}

// One key schedule per session, built once: its size is not per-request cost.
#[allow(clippy::large_enum_variant)]
enum Keyed {
    /// XCBC: cipher under K1, K2, K3.
    Xcbc(AesKey, [u8; 16], [u8; 16]),
    /// CMAC: cipher, K1, K2.
    Cmac(AesKey, [u8; 16], [u8; 16]),
    CbcMac(AesKey),
    Gmac(AeadSession),
    Poly1305(poly1305::Key),
}

/// A MAC key set up once; requests reuse it without allocating.
pub struct MacSession {
    alg: MacAlgorithm,
    keyed: Keyed,
}

impl std::fmt::Debug for MacSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MacSession")
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl MacSession {
    /// Sets up the key: XCBC takes 16 bytes, CMAC, CBC-MAC and GMAC 16/24/32,
    /// Poly1305 32.
    pub fn new(alg: MacAlgorithm, key: &[u8]) -> Result<Self, MacError> {
        let bad = |expected| MacError::KeyLength {
            alg,
            expected,
            got: key.len(),
        };
        let keyed = match alg {
            MacAlgorithm::AesXcbcMac96 | MacAlgorithm::AesXcbcMac => {
                if key.len() != 16 {
                    return Err(bad("16 bytes"));
                }
                let k = AesKey::new(key).ok_or_else(|| bad("16 bytes"))?;
                let mut k1 = [1u8; 16];
                let mut k2 = [2u8; 16];
                let mut k3 = [3u8; 16];
                k.encrypt(&mut k1);
                k.encrypt(&mut k2);
                k.encrypt(&mut k3);
                let c1 = AesKey::new(&k1).ok_or_else(|| bad("16 bytes"))?;
                Keyed::Xcbc(c1, k2, k3)
            }
            MacAlgorithm::AesCmac => {
                let k = AesKey::new(key).ok_or_else(|| bad("16, 24 or 32 bytes"))?;
                let mut l = [0u8; 16];
                k.encrypt(&mut l);
                let k1 = dbl(&l);
                let k2 = dbl(&k1);
                Keyed::Cmac(k, k1, k2)
            }
            MacAlgorithm::AesCbcMac => {
                Keyed::CbcMac(AesKey::new(key).ok_or_else(|| bad("16, 24 or 32 bytes"))?)
            }
            MacAlgorithm::AesGmac => {
                if !matches!(key.len(), 16 | 24 | 32) {
                    return Err(bad("16, 24 or 32 bytes"));
                }
                Keyed::Gmac(AeadSession::new(AeadAlgorithm::AesGcm, key, 16)?)
            }
            MacAlgorithm::Poly1305 => {
                if key.len() != 32 {
                    return Err(bad("32 bytes (a one-time key)"));
                }
                Keyed::Poly1305(*poly1305::Key::from_slice(key))
            }
        };
        Ok(MacSession { alg, keyed })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> MacAlgorithm {
        self.alg
    }

    fn check_len(&self, n: usize) -> Result<(), MacError> {
        let max = self.alg.mac_len();
        if n < 4 || n > max {
            return Err(MacError::MacLength {
                alg: self.alg,
                max,
                got: n,
            });
        }
        Ok(())
    }

    fn full(&self, msg: &[u8]) -> Result<[u8; 16], MacError> {
        match &self.keyed {
            Keyed::Gmac(_) => Err(MacError::WrongCall {
                alg: self.alg,
                what: "GMAC needs an IV: call gmac()/gmac_verify()",
            }),
            Keyed::Poly1305(k) => {
                use poly1305::universal_hash::KeyInit as _;
                let tag = poly1305::Poly1305::new(k).compute_unpadded(msg);
                let mut out = [0u8; 16];
                out.copy_from_slice(&tag);
                Ok(out)
            }
            _ => {
                let mut st = self.begin()?;
                st.update(msg);
                st.finish_full()
            }
        }
    }

    /// Computes the MAC of `msg` into `out`; `out.len()` in 4..=full length
    /// selects truncation to that many leading bytes.
    pub fn mac(&self, msg: &[u8], out: &mut [u8]) -> Result<(), MacError> {
        self.check_len(out.len())?;
        let t = self.full(msg)?;
        out.copy_from_slice(&t[..out.len()]);
        Ok(())
    }

    /// Verifies `expected` (4..=full length bytes, a truncated MAC compares its
    /// prefix) in constant time.
    pub fn verify(&self, msg: &[u8], expected: &[u8]) -> Result<bool, MacError> {
        self.check_len(expected.len())?;
        let t = self.full(msg)?;
        Ok(bool::from(t[..expected.len()].ct_eq(expected)))
    }

    /// AES-GMAC of `aad` under `iv` into `out` (8, 12 or 16 bytes as QAT allows for GCM).
    pub fn gmac(&self, iv: &[u8], aad: &[u8], out: &mut [u8]) -> Result<(), MacError> {
        let Keyed::Gmac(s) = &self.keyed else {
            return Err(MacError::WrongCall {
                alg: self.alg,
                what: "gmac() is for AesGmac only: call mac()",
            });
        };
        let mut t = [0u8; 16];
        s.seal(iv, aad, &mut [], &mut t)?;
        self.check_gmac_len(out.len())?;
        out.copy_from_slice(&t[..out.len()]);
        Ok(())
    }

    /// Verifies an AES-GMAC tag (8, 12 or 16 bytes) in constant time.
    pub fn gmac_verify(&self, iv: &[u8], aad: &[u8], expected: &[u8]) -> Result<bool, MacError> {
        self.check_gmac_len(expected.len())?;
        let mut t = [0u8; 16];
        self.gmac(iv, aad, &mut t)?;
        Ok(bool::from(t[..expected.len()].ct_eq(expected)))
    }

    fn check_gmac_len(&self, n: usize) -> Result<(), MacError> {
        if !matches!(n, 8 | 12 | 16) {
            return Err(MacError::MacLength {
                alg: self.alg,
                max: 16,
                got: n,
            });
        }
        Ok(())
    }

    /// Starts a resumable MAC (CMAC, XCBC, CBC-MAC) for partial packets.
    pub fn begin(&self) -> Result<MacState<'_>, MacError> {
        match &self.keyed {
            Keyed::Xcbc(..) | Keyed::Cmac(..) | Keyed::CbcMac(..) => Ok(MacState {
                session: self,
                core: CbcCore::new(),
            }),
            _ => Err(MacError::WrongCall {
                alg: self.alg,
                what: "only CMAC, XCBC and CBC-MAC resume across partial packets: call mac()",
            }),
        }
    }
}

/// A resumable CMAC / XCBC / CBC-MAC computation: [`MacState::update`] with
/// each partial packet, then [`MacState::finish`].
#[derive(Clone)]
pub struct MacState<'a> {
    session: &'a MacSession,
    core: CbcCore,
}

impl std::fmt::Debug for MacState<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MacState")
            .field("alg", &self.session.alg)
            .field("bytes", &self.core.total)
            .finish_non_exhaustive()
    }
}

/// A [`MacState`] kept between partial packets without the session
/// borrowed (see [`MacSession::resume`]).
#[derive(Clone)]
pub struct MacResume {
    core: CbcCore,
}

impl std::fmt::Debug for MacResume {
    // The chaining value is secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MacResume").finish_non_exhaustive()
    }
}

impl MacSession {
    /// Continues a resumable MAC from where `saved` left it.
    pub fn resume(&self, saved: MacResume) -> MacState<'_> {
        MacState {
            session: self,
            core: saved.core,
        }
    }
}

impl MacState<'_> {
    /// Ends this borrow of the session, keeping the position for
    /// [`MacSession::resume`].
    pub fn into_resume(self) -> MacResume {
        MacResume { core: self.core }
    }

    /// Absorbs the next part of the message (any length).
    pub fn update(&mut self, data: &[u8]) {
        let aes = match &self.session.keyed {
            Keyed::Xcbc(a, ..) | Keyed::Cmac(a, ..) | Keyed::CbcMac(a) => a,
            // `begin` only builds states for the block MACs.
            _ => return,
        };
        self.core.update(aes, data);
    }

    fn finish_full(self) -> Result<[u8; 16], MacError> {
        match &self.session.keyed {
            Keyed::Xcbc(a, k2, k3) => Ok(self.core.finish_keyed(a, k2, k3)),
            Keyed::Cmac(a, k1, k2) => Ok(self.core.finish_keyed(a, k1, k2)),
            Keyed::CbcMac(a) => {
                let total = self.core.total;
                if total == 0 || !total.is_multiple_of(16) {
                    return Err(MacError::CbcMacLength(total));
                }
                let mut c = self.core;
                c.pad_flush(a);
                Ok(c.value())
            }
            _ => Err(MacError::WrongCall {
                alg: self.session.alg,
                what: "not a resumable MAC",
            }),
        }
    }

    /// Ends the message and writes the MAC (4..=full length bytes) to `out`.
    pub fn finish(self, out: &mut [u8]) -> Result<(), MacError> {
        self.session.check_len(out.len())?;
        let t = self.finish_full()?;
        out.copy_from_slice(&t[..out.len()]);
        Ok(())
    }

    /// Ends the message and compares with `expected` in constant time.
    pub fn finish_verify(self, expected: &[u8]) -> Result<bool, MacError> {
        self.session.check_len(expected.len())?;
        let t = self.finish_full()?;
        Ok(bool::from(t[..expected.len()].ct_eq(expected)))
    }
}
