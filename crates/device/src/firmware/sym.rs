//! The symmetric crypto service's firmware: reads the session (algorithms,
//! keys, digest placement) from the content descriptor and derives the
//! engine's keyed state once per session (cached per engine thread), then
//! serves `cpaCySymPerformOp` requests: cipher only, hash only, algorithm
//! chaining in either order, the authenticated ciphers (AES-GCM, AES-CCM,
//! ChaCha20-Poly1305), AES-GMAC and the 3GPP wireless algorithms.
//!
//! The request model is QAT's: the destination receives a copy of the source
//! and the cipher and hash regions (`cryptoStartSrcOffsetInBytes`,
//! `messageLenToCipherInBytes`, `hashStartSrcOffsetInBytes`,
//! `messageLenToHashInBytes`) are processed in it, in the chain's order; an
//! appended digest sits right after the hashed region (for the authenticated
//! ciphers, after the ciphered one).
//!
//! Partial packets (PARTIAL, then LAST_PARTIAL) keep the cipher chaining value
//! or ARC4 state and, for hash-only sessions, the running hash in a
//! [`PartialStore`] that all engine threads of the endpoint share — any
//! engine may serve the next packet, as any QAT slice may. The updated IV is
//! also returned in the response, as QAT writes it back to `pIv`.
//!
//! Everything the requester wrote is checked; a bad value answers the request
//! with CPA_STATUS_INVALID_PARAM and touches nothing.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use softqat_cpa::sym::{
    AlgChainOrder, CipherAlgorithm as CpaCipher, CipherDirection, HashAlgorithm as CpaHash,
    HashMode, PacketType, SymOp,
};
use softqat_cpa::CpaStatus;
use softqat_engine::sym::aead::{AeadAlgorithm, AeadSession};
use softqat_engine::sym::cipher::{CipherAlgorithm, CipherResume, CipherSession, Direction};
use softqat_engine::sym::hash::{HashAlgorithm, HashSession, HashState};
use softqat_engine::sym::mac::{MacAlgorithm, MacResume, MacSession};
use softqat_engine::wireless::{kasumi, snow3g, zuc};

use super::{read_content, read_content_header, RequestContext, ServiceFirmware, SessionCache};
use crate::desc::*;
use crate::dma::DmaError;

/// Sessions whose keyed state an engine keeps.
const SESSION_CACHE: usize = 64;
/// Longest digest a session may ask for (SHAKE output is capped here).
pub const SYM_MAX_DIGEST: usize = 256;
/// Longest AAD of a request (`aadLenInBytes` ≤ 240; CCM ≤ 222).
pub const SYM_MAX_AAD: usize = 240;
/// Bytes before the AAD in a CCM AAD buffer: B0 and the 2-byte length.
pub const CCM_AAD_OFFSET: usize = 18;
/// Partial-packet sequences an endpoint keeps at once.
const MAX_PARTIAL_SEQUENCES: usize = 65536;

/// Why a session's setup data is refused; the message says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SymParamError(pub String);

fn invalid(msg: impl Into<String>) -> SymParamError {
    SymParamError(msg.into())
}

/// The cipher half of a session.
// Built once per session and cached: its size is not per-request cost.
#[allow(clippy::large_enum_variant)]
pub enum CipherEngine {
    /// The block and stream ciphers of the engine.
    Block(CipherSession),
    /// KASUMI f8.
    Kasumi(Box<kasumi::KasumiF8>),
    /// SNOW 3G UEA2 with its key.
    Snow3g([u8; 16]),
    /// ZUC 128-EEA3 with its key.
    Zuc([u8; 16]),
}

/// The hash half of a session.
#[allow(clippy::large_enum_variant)]
pub enum HashEngine {
    /// MD5, SHA-1/2/3, SHAKE, SM3 in plain, HMAC or nested mode.
    Hash(HashSession),
    /// AES-XCBC, AES-CMAC, AES-CBC-MAC.
    Mac(MacSession),
    /// AES-GMAC: GCM with no plaintext, the hashed region as AAD.
    Gmac(AeadSession),
    /// KASUMI f9 over QAT's formatted input.
    KasumiF9(Box<kasumi::KasumiF9>),
    /// SNOW 3G UIA2 with its key (the IV comes in the AAD buffer).
    Snow3g([u8; 16]),
    /// ZUC 128-EIA3 with its key (the IV comes in the AAD buffer).
    Zuc([u8; 16]),
}

/// Which authenticated cipher a session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AeadKind {
    /// AES-GCM.
    Gcm,
    /// AES-CCM.
    Ccm,
    /// ChaCha20-Poly1305.
    ChachaPoly,
}

/// A session as the engine runs it: validated settings and keyed state.
pub struct SymSession {
    /// `symOperation`.
    pub op: SymOp,
    /// `algChainOrder` (chains only).
    pub order: AlgChainOrder,
    /// The cipher algorithm, if the session ciphers.
    pub cipher_alg: Option<CpaCipher>,
    /// The hash algorithm, if the session hashes.
    pub hash_alg: Option<CpaHash>,
    /// Encrypt (true) or decrypt.
    pub encrypt: bool,
    /// `digestResultLenInBytes`.
    pub digest_len: usize,
    /// `aadLenInBytes`.
    pub aad_len: usize,
    /// `digestIsAppended` (always for CCM).
    pub appended: bool,
    /// `verifyDigest` (always when an authenticated cipher decrypts).
    pub verify: bool,
    /// Whether PARTIAL / LAST_PARTIAL requests are accepted.
    pub partials: bool,
    cipher: Option<CipherEngine>,
    hash: Option<HashEngine>,
    aead: Option<(AeadKind, AeadSession)>,
}

impl SymSession {
    /// The authenticated cipher, if the session is one.
    pub fn aead_kind(&self) -> Option<AeadKind> {
        self.aead.as_ref().map(|(k, _)| *k)
    }

    /// Bytes of the AAD buffer the firmware reads (CCM: its 18-byte
    /// header and the AAD).
    pub fn aad_buffer_len(&self) -> usize {
        match self.aead_kind() {
            Some(AeadKind::Ccm) => CCM_AAD_OFFSET + self.aad_len,
            _ => self.aad_len,
        }
    }
}

fn engine_cipher(alg: CpaCipher) -> Option<CipherAlgorithm> {
    use CipherAlgorithm as E;
    use CpaCipher as C;
    Some(match alg {
        C::Null => E::Null,
        C::Arc4 => E::Arc4,
        C::AesEcb => E::AesEcb,
        C::AesCbc => E::AesCbc,
        C::AesCtr => E::AesCtr,
        C::AesXts => E::AesXts,
        C::AesF8 => E::AesF8,
        C::DesEcb => E::DesEcb,
        C::DesCbc => E::DesCbc,
        C::TripleDesEcb => E::TripleDesEcb,
        C::TripleDesCbc => E::TripleDesCbc,
        C::TripleDesCtr => E::TripleDesCtr,
        C::Sm4Ecb => E::Sm4Ecb,
        C::Sm4Cbc => E::Sm4Cbc,
        C::Sm4Ctr => E::Sm4Ctr,
        C::AesCcm | C::AesGcm | C::Chacha | C::KasumiF8 | C::Snow3gUea2 | C::ZucEea3 => {
            return None
        }
    })
}

pub(crate) fn engine_hash(alg: CpaHash) -> Option<HashAlgorithm> {
    use CpaHash as C;
    use HashAlgorithm as E;
    Some(match alg {
        C::Md5 => E::Md5,
        C::Sha1 => E::Sha1,
        C::Sha224 => E::Sha224,
        C::Sha256 => E::Sha256,
        C::Sha384 => E::Sha384,
        C::Sha512 => E::Sha512,
        C::Sha3_224 => E::Sha3_224,
        C::Sha3_256 => E::Sha3_256,
        C::Sha3_384 => E::Sha3_384,
        C::Sha3_512 => E::Sha3_512,
        C::Shake128 => E::Shake128,
        C::Shake256 => E::Shake256,
        C::Sm3 => E::Sm3,
        _ => return None,
    })
}

fn key16(key: &[u8], what: &str) -> Result<[u8; 16], SymParamError> {
    key.try_into().map_err(|_| {
        invalid(format!(
            "{what} takes a 16-byte key, got {} bytes: pass a 128-bit key",
            key.len()
        ))
    })
}

fn make_cipher(alg: CpaCipher, key: &[u8], dir: Direction) -> Result<CipherEngine, SymParamError> {
    Ok(match alg {
        CpaCipher::KasumiF8 => {
            CipherEngine::Kasumi(Box::new(kasumi::KasumiF8::new(&key16(key, "KASUMI f8")?)))
        }
        CpaCipher::Snow3gUea2 => CipherEngine::Snow3g(key16(key, "SNOW 3G UEA2")?),
        CpaCipher::ZucEea3 => CipherEngine::Zuc(key16(key, "ZUC EEA3")?),
        other => {
            let e = engine_cipher(other).ok_or_else(|| {
                invalid(format!(
                    "{other} is an authenticated cipher: use symOperation \
                     ALGORITHM_CHAINING with its hash (AES_GCM, AES_CCM or POLY)"
                ))
            })?;
            CipherEngine::Block(
                CipherSession::new(e, key, dir).map_err(|e| invalid(e.to_string()))?,
            )
        }
    })
}

fn make_hash(
    d: &SymSessionDesc,
    alg: CpaHash,
    mode: HashMode,
) -> Result<HashEngine, SymParamError> {
    let auth_key = &d.auth_key[..usize::from(d.auth_key_len)];
    let digest_len = usize::from(d.digest_len);
    let need_auth = |what: &str| {
        if mode == HashMode::Auth {
            Ok(())
        } else {
            Err(invalid(format!(
                "{what} runs only in hashMode AUTH, got {mode}: set hashMode to \
                 CPA_CY_SYM_HASH_MODE_AUTH"
            )))
        }
    };
    let mac_len = |max: usize| {
        if (4..=max).contains(&digest_len) {
            Ok(())
        } else {
            Err(invalid(format!(
                "{alg} gives 4 to {max} digest bytes, got digestResultLenInBytes = {digest_len}"
            )))
        }
    };
    let wireless = |what: &str| -> Result<[u8; 16], SymParamError> {
        need_auth(what)?;
        if digest_len != 4 {
            return Err(invalid(format!(
                "{what} gives a 4-byte MAC: set digestResultLenInBytes to 4, got {digest_len}"
            )));
        }
        key16(auth_key, what)
    };
    let wireless_iv = |what: &str| {
        if d.aad_len != 16 {
            return Err(invalid(format!(
                "{what} takes its 16-byte IV in pAdditionalAuthData: set aadLenInBytes to 16, \
                 got {}",
                d.aad_len
            )));
        }
        Ok(())
    };
    Ok(match alg {
        CpaHash::AesXcbc | CpaHash::AesCmac | CpaHash::AesCbcMac => {
            need_auth("an AES MAC")?;
            let m = match alg {
                CpaHash::AesXcbc => MacAlgorithm::AesXcbcMac,
                CpaHash::AesCmac => MacAlgorithm::AesCmac,
                _ => MacAlgorithm::AesCbcMac,
            };
            mac_len(m.mac_len())?;
            HashEngine::Mac(MacSession::new(m, auth_key).map_err(|e| invalid(e.to_string()))?)
        }
        CpaHash::AesGmac => {
            need_auth("AES-GMAC")?;
            // GMAC keys come with the GCM cipher setup in a chain, or as the
            // authentication key of a hash-only session.
            let key = if d.op == SymOp::AlgorithmChaining.value() {
                &d.cipher_key[..usize::from(d.cipher_key_len)]
            } else {
                auth_key
            };
            HashEngine::Gmac(
                AeadSession::new(AeadAlgorithm::AesGcm, key, digest_len)
                    .map_err(|e| invalid(e.to_string()))?,
            )
        }
        CpaHash::KasumiF9 => {
            HashEngine::KasumiF9(Box::new(kasumi::KasumiF9::new(&wireless("KASUMI f9")?)))
        }
        CpaHash::Snow3gUia2 => {
            let k = wireless("SNOW 3G UIA2")?;
            wireless_iv("SNOW 3G UIA2")?;
            HashEngine::Snow3g(k)
        }
        CpaHash::ZucEia3 => {
            let k = wireless("ZUC EIA3")?;
            wireless_iv("ZUC EIA3")?;
            HashEngine::Zuc(k)
        }
        CpaHash::None | CpaHash::AesCcm | CpaHash::AesGcm | CpaHash::Poly => {
            return Err(invalid(format!(
                "{alg} is not a hash on its own: AES_CCM, AES_GCM and POLY go with their \
                 cipher in an ALGORITHM_CHAINING session"
            )))
        }
        _ => {
            let e = engine_hash(alg).ok_or_else(|| invalid(format!("{alg} is not a hash")))?;
            let session = match mode {
                HashMode::Plain => HashSession::plain(e),
                HashMode::Auth => {
                    if e.is_xof() {
                        return Err(invalid(format!(
                            "{alg} runs only in hashMode PLAIN: set hashMode to \
                             CPA_CY_SYM_HASH_MODE_PLAIN"
                        )));
                    }
                    HashSession::hmac(e, auth_key).map_err(|e| invalid(e.to_string()))?
                }
                HashMode::Nested => {
                    let outer = CpaHash::from_value(d.outer_hash_alg)
                        .and_then(engine_hash)
                        .ok_or_else(|| {
                            invalid(format!(
                                "outerHashAlgorithm = {} is not a hash of the MD5/SHA/SM3 family",
                                d.outer_hash_alg
                            ))
                        })?;
                    let sha3 = |a: HashAlgorithm| {
                        matches!(
                            a,
                            HashAlgorithm::Sha3_224
                                | HashAlgorithm::Sha3_256
                                | HashAlgorithm::Sha3_384
                                | HashAlgorithm::Sha3_512
                        )
                    };
                    if sha3(e) || sha3(outer) {
                        return Err(invalid(
                            "SHA-3 hashes have no nested mode: use hashMode PLAIN or AUTH",
                        ));
                    }
                    HashSession::nested(
                        e,
                        &d.inner_prefix[..usize::from(d.inner_prefix_len)],
                        outer,
                        &d.outer_prefix[..usize::from(d.outer_prefix_len)],
                    )
                    .map_err(|e| invalid(e.to_string()))?
                }
            };
            let max = session.max_digest_len().min(SYM_MAX_DIGEST);
            if digest_len == 0 || digest_len > max {
                return Err(invalid(format!(
                    "{alg} gives 1 to {max} digest bytes, got digestResultLenInBytes = \
                     {digest_len}"
                )));
            }
            HashEngine::Hash(session)
        }
    })
}

/// Checks a session's setup data and derives the engine's keyed state: what
/// `cpaCySymInitSession` validates, and what each engine caches.
pub fn sym_session(d: &SymSessionDesc) -> Result<SymSession, SymParamError> {
    // The lengths index the descriptor's fixed arrays: a descriptor from
    // another process may say anything.
    let over = |len: u16, max: usize| usize::from(len) > max;
    if over(d.cipher_key_len, SYM_MAX_CIPHER_KEY)
        || over(d.auth_key_len, SYM_MAX_AUTH_KEY)
        || over(d.inner_prefix_len, SYM_MAX_PREFIX)
        || over(d.outer_prefix_len, SYM_MAX_PREFIX)
    {
        return Err(invalid(
            "a key or prefix length is longer than the session descriptor holds",
        ));
    }
    if usize::from(d.aad_len) > SYM_MAX_AAD {
        return Err(invalid(format!(
            "aadLenInBytes = {} is over the limit of {SYM_MAX_AAD}",
            d.aad_len
        )));
    }
    let op = SymOp::from_value(d.op)
        .filter(|op| *op != SymOp::None)
        .ok_or_else(|| {
            invalid(format!(
                "symOperation = {} is not CIPHER (1), HASH (2) or ALGORITHM_CHAINING (3)",
                d.op
            ))
        })?;
    let lens = [
        (d.cipher_key_len, SYM_MAX_CIPHER_KEY, "cipherKeyLenInBytes"),
        (d.auth_key_len, SYM_MAX_AUTH_KEY, "authKeyLenInBytes"),
        (
            d.inner_prefix_len,
            SYM_MAX_PREFIX - 1,
            "innerPrefixLenInBytes",
        ),
        (
            d.outer_prefix_len,
            SYM_MAX_PREFIX - 1,
            "outerPrefixLenInBytes",
        ),
    ];
    for (len, max, what) in lens {
        if usize::from(len) > max {
            return Err(invalid(format!(
                "{what} = {len} is over the limit of {max}"
            )));
        }
    }
    let ciphers = op != SymOp::Hash;
    let hashes = op != SymOp::Cipher;
    let cipher_alg = if ciphers {
        Some(CpaCipher::from_value(d.cipher_alg).ok_or_else(|| {
            invalid(format!(
                "cipherAlgorithm = {} is not a cipher",
                d.cipher_alg
            ))
        })?)
    } else {
        None
    };
    let hash_alg = if hashes {
        Some(
            CpaHash::from_value(d.hash_alg)
                .filter(|h| *h != CpaHash::None)
                .ok_or_else(|| invalid(format!("hashAlgorithm = {} is not a hash", d.hash_alg)))?,
        )
    } else {
        None
    };
    let dir = if ciphers {
        match CipherDirection::from_value(d.cipher_dir) {
            Some(CipherDirection::Encrypt) => Direction::Encrypt,
            Some(CipherDirection::Decrypt) => Direction::Decrypt,
            None => {
                return Err(invalid(format!(
                    "cipherDirection = {} is not ENCRYPT (1) or DECRYPT (2)",
                    d.cipher_dir
                )))
            }
        }
    } else {
        Direction::Encrypt
    };
    let mode = if hashes {
        Some(
            HashMode::from_value(d.hash_mode)
                .ok_or_else(|| invalid(format!("hashMode = {} is not a hash mode", d.hash_mode)))?,
        )
    } else {
        None
    };
    let order = if op == SymOp::AlgorithmChaining {
        AlgChainOrder::from_value(d.chain_order).ok_or_else(|| {
            invalid(format!(
                "algChainOrder = {} is not HASH_THEN_CIPHER (1) or CIPHER_THEN_HASH (2)",
                d.chain_order
            ))
        })?
    } else {
        AlgChainOrder::CipherThenHash
    };
    let cipher_key = &d.cipher_key[..usize::from(d.cipher_key_len)];
    let digest_len = usize::from(d.digest_len);
    let aad_len = usize::from(d.aad_len);
    let encrypt = dir == Direction::Encrypt;
    let mut appended = d.flags & SYM_DIGEST_APPENDED != 0;
    let mut verify = hashes && d.flags & SYM_VERIFY_DIGEST != 0;

    // The authenticated ciphers: a chain of the cipher with its own hash.
    let aead_kind = match (cipher_alg, hash_alg) {
        (Some(CpaCipher::AesGcm), Some(CpaHash::AesGcm)) => Some(AeadKind::Gcm),
        (Some(CpaCipher::AesCcm), Some(CpaHash::AesCcm)) => Some(AeadKind::Ccm),
        (Some(CpaCipher::Chacha), Some(CpaHash::Poly)) => Some(AeadKind::ChachaPoly),
        (Some(c @ (CpaCipher::AesGcm | CpaCipher::AesCcm | CpaCipher::Chacha)), h)
            if !(c == CpaCipher::AesGcm && h == Some(CpaHash::AesGmac)) =>
        {
            return Err(invalid(format!(
                "{c} needs symOperation ALGORITHM_CHAINING with its hash (AES_GCM with \
                 AES_GCM or AES_GMAC, AES_CCM with AES_CCM, CHACHA with POLY)"
            )))
        }
        _ => None,
    };
    let mut session = SymSession {
        op,
        order,
        cipher_alg,
        hash_alg,
        encrypt,
        digest_len,
        aad_len,
        appended,
        verify,
        partials: false,
        cipher: None,
        hash: None,
        aead: None,
    };
    if let Some(kind) = aead_kind {
        if mode != Some(HashMode::Auth) {
            return Err(invalid(
                "authenticated ciphers run in hashMode AUTH: set hashMode to \
                 CPA_CY_SYM_HASH_MODE_AUTH",
            ));
        }
        let (alg, max_aad) = match kind {
            AeadKind::Gcm => (AeadAlgorithm::AesGcm, SYM_MAX_AAD),
            AeadKind::Ccm => (AeadAlgorithm::AesCcm, SYM_MAX_AAD - CCM_AAD_OFFSET),
            AeadKind::ChachaPoly => (AeadAlgorithm::Chacha20Poly1305, SYM_MAX_AAD),
        };
        if aad_len > max_aad {
            return Err(invalid(format!(
                "aadLenInBytes = {aad_len} is over the limit of {max_aad} for {}",
                cipher_alg.map_or("", |c| c.name())
            )));
        }
        let aead =
            AeadSession::new(alg, cipher_key, digest_len).map_err(|e| invalid(e.to_string()))?;
        // CCM's MAC is always appended; every authenticated cipher verifies
        // when it decrypts.
        if kind == AeadKind::Ccm {
            appended = true;
        }
        verify = !encrypt;
        session.appended = appended;
        session.verify = verify;
        session.aead = Some((kind, aead));
        return Ok(session);
    }
    if let Some(c) = cipher_alg {
        if c == CpaCipher::AesGcm {
            // GCM chained with GMAC: the MAC is the session, nothing is ciphered.
        } else {
            session.cipher = Some(make_cipher(c, cipher_key, dir)?);
        }
    }
    if let (Some(h), Some(m)) = (hash_alg, mode) {
        session.hash = Some(make_hash(d, h, m)?);
        if op == SymOp::Hash && appended && verify {
            return Err(invalid(
                "digestIsAppended with verifyDigest is not supported for hash-only sessions: \
                 pass the digest to verify in pDigestResult",
            ));
        }
    }
    session.partials = d.flags & SYM_PARTIALS_NOT_REQUIRED == 0 && partials_possible(&session);
    Ok(session)
}

/// Whether QAT takes partial packets for this session's algorithms
/// (`cpaCySymPerformOp`: not KASUMI, SNOW 3G, ZUC, F8, SHAKE, SM4, ChaCha or
/// Poly1305, nor the authenticated ciphers; and none for the modes without a
/// resumable state here: CTR, XTS, SHA-3, GMAC).
fn partials_possible(s: &SymSession) -> bool {
    let cipher_ok = match s.cipher_alg {
        None => true,
        Some(c) => matches!(
            c,
            CpaCipher::Null
                | CpaCipher::Arc4
                | CpaCipher::AesEcb
                | CpaCipher::AesCbc
                | CpaCipher::DesEcb
                | CpaCipher::DesCbc
                | CpaCipher::TripleDesEcb
                | CpaCipher::TripleDesCbc
        ),
    };
    // In a chain only the cipher state carries over; the hash is computed
    // per packet, so any hash will do there.
    let hash_ok = match (s.op, s.hash_alg) {
        (SymOp::Hash, Some(h)) => matches!(
            h,
            CpaHash::Md5
                | CpaHash::Sha1
                | CpaHash::Sha224
                | CpaHash::Sha256
                | CpaHash::Sha384
                | CpaHash::Sha512
                | CpaHash::Sm3
                | CpaHash::AesXcbc
                | CpaHash::AesCmac
                | CpaHash::AesCbcMac
        ),
        (SymOp::AlgorithmChaining, Some(CpaHash::AesGmac)) => false,
        _ => true,
    };
    cipher_ok && hash_ok
}

/// Where a request's digest is.
pub enum DigestAt<'a> {
    /// Right after the hashed (authenticated ciphers: the ciphered) region.
    Appended,
    /// In the caller's `pDigestResult`: the expected digest when verifying,
    /// filled with the digest when generating.
    Separate(&'a mut [u8]),
}

/// One request, as the session processes it.
pub struct SymRequest<'a> {
    /// FULL, PARTIAL or LAST_PARTIAL.
    pub packet: PacketType,
    /// The IV (for CCM the 16-byte block with the nonce at byte 1, with
    /// `iv_len` the nonce length).
    pub iv: &'a [u8],
    /// `ivLenInBytes`.
    pub iv_len: usize,
    /// The cipher region.
    pub cipher: Range<usize>,
    /// The hash region.
    pub hash: Range<usize>,
    /// The AAD (authenticated ciphers) or the wireless MACs' IV.
    pub aad: &'a [u8],
    /// Where the digest is.
    pub digest: DigestAt<'a>,
}

/// What a request produced besides the data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SymOutcome {
    /// The verified digest matched (true when nothing was verified).
    pub verify_ok: bool,
    /// The IV after a partial packet, and its length.
    pub iv: Option<([u8; SYM_MAX_IV], usize)>,
}

/// What partial packets carry from one to the next.
#[derive(Default)]
pub struct PartialState {
    cipher: Option<CipherResume>,
    hash: Option<HashState>,
    mac: Option<MacResume>,
}

impl PartialState {
    fn is_empty(&self) -> bool {
        self.cipher.is_none() && self.hash.is_none() && self.mac.is_none()
    }
}

/// Why a request was refused; each is CPA_STATUS_INVALID_PARAM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SymRequestError {
    /// A region or the digest lies outside the buffer.
    #[error("{0} lies outside the buffer")]
    OutOfBuffer(&'static str),
    /// The IV length does not fit the algorithm.
    #[error("ivLenInBytes does not fit the algorithm")]
    IvLength,
    /// The data does not fit the algorithm (block multiple, length limits).
    #[error("the data length does not fit the algorithm: {0}")]
    Length(&'static str),
    /// Partial packets are not available for this session.
    #[error("partial packets are not available for this session")]
    NoPartials,
}

fn region(
    off: usize,
    len: usize,
    n: usize,
    what: &'static str,
) -> Result<Range<usize>, SymRequestError> {
    let end = off
        .checked_add(len)
        .ok_or(SymRequestError::OutOfBuffer(what))?;
    if end > n {
        return Err(SymRequestError::OutOfBuffer(what));
    }
    Ok(off..end)
}

/// Compares without an early exit: a digest mismatch takes as long wherever
/// it is.
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn iv16(iv: &[u8]) -> Result<&[u8; 16], SymRequestError> {
    iv.try_into().map_err(|_| SymRequestError::IvLength)
}

/// KASUMI f9 over QAT's input: COUNT ‖ FRESH ‖ MESSAGE ‖ DIRECTION ‖ 1 ‖ 0…
/// (the padded string of TS 35.201 §4.3, which the caller builds): the last
/// 1 bit ends the message, the bit before it is DIRECTION.
fn kasumi_f9_formatted(f9: &kasumi::KasumiF9, data: &[u8]) -> Result<[u8; 4], SymRequestError> {
    const BAD: SymRequestError = SymRequestError::Length(
        "KASUMI f9 input is COUNT || FRESH || message || DIRECTION || 1 || 0..",
    );
    if data.len() < 9 {
        return Err(BAD);
    }
    let count = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
    let fresh = u32::from_be_bytes([data[4], data[5], data[6], data[7]]);
    let body = &data[8..];
    let last = body.iter().rposition(|b| *b != 0).ok_or(BAD)?;
    let stop_bit = last * 8 + 7 - body[last].trailing_zeros() as usize;
    if stop_bit == 0 {
        return Err(BAD);
    }
    let dir_bit = stop_bit - 1;
    let direction = (body[dir_bit / 8] >> (7 - dir_bit % 8)) & 1;
    f9.mac(count, fresh, direction, body, dir_bit as u64)
        .map_err(|_| BAD)
}

impl SymSession {
    /// Processes one request in `buf` (the destination, holding a copy of
    /// the source). `state` is the session's partial-packet state; what the
    /// request produced besides the data goes to `out` (reset first). An
    /// out-parameter rather than a returned value: the caller reads its
    /// fields one by one at once, which the CPU forwards from the stores
    /// that wrote them; a returned struct is moved in wider words, which it
    /// cannot.
    pub fn process(
        &self,
        r: &mut SymRequest<'_>,
        buf: &mut [u8],
        state: &mut PartialState,
        out: &mut SymOutcome,
    ) -> Result<(), SymRequestError> {
        *out = SymOutcome {
            verify_ok: true,
            iv: None,
        };
        if r.packet != PacketType::Full && !self.partials {
            return Err(SymRequestError::NoPartials);
        }
        if let Some((kind, aead)) = &self.aead {
            out.verify_ok = self.process_aead(*kind, aead, r, buf)?;
            return Ok(());
        }
        match (self.op, self.order) {
            (SymOp::Cipher, _) => self.cipher_step(r, buf, state, out)?,
            (SymOp::Hash, _) => self.hash_step(r, buf, state, out, true)?,
            (_, AlgChainOrder::HashThenCipher) => {
                self.hash_step(r, buf, state, out, false)?;
                self.cipher_step(r, buf, state, out)?;
            }
            (_, AlgChainOrder::CipherThenHash) => {
                self.cipher_step(r, buf, state, out)?;
                self.hash_step(r, buf, state, out, false)?;
            }
        }
        Ok(())
    }

    fn cipher_step(
        &self,
        r: &SymRequest<'_>,
        buf: &mut [u8],
        state: &mut PartialState,
        out: &mut SymOutcome,
    ) -> Result<(), SymRequestError> {
        let Some(cipher) = &self.cipher else {
            // GCM chained with GMAC ciphers nothing.
            return Ok(());
        };
        let data = &mut buf[r.cipher.clone()];
        let iv = &r.iv[..r.iv_len.min(r.iv.len())];
        let bits = (data.len() as u64) * 8;
        let wireless = |res: Result<(), softqat_engine::wireless::WirelessError>| {
            res.map_err(|_| SymRequestError::Length("the wireless ciphers take up to 2^32 bits"))
        };
        match cipher {
            CipherEngine::Block(cs) => {
                let bad = |e: softqat_engine::sym::cipher::CipherError| match e {
                    softqat_engine::sym::cipher::CipherError::BadIvLength { .. } => {
                        SymRequestError::IvLength
                    }
                    _ => SymRequestError::Length(
                        "block modes take whole blocks (XTS at least one block)",
                    ),
                };
                if r.packet == PacketType::Full {
                    cs.apply(iv, data).map_err(bad)?;
                } else {
                    let mut stream = match state.cipher.take() {
                        Some(saved) => cs.resume(saved),
                        None => cs.begin(iv).map_err(bad)?,
                    };
                    stream.update(data).map_err(bad)?;
                    let now = stream.iv();
                    let mut iv_out = [0u8; SYM_MAX_IV];
                    iv_out[..now.len()].copy_from_slice(now);
                    out.iv = Some((iv_out, now.len()));
                    if r.packet == PacketType::Partial {
                        state.cipher = Some(stream.into_resume());
                    }
                }
            }
            CipherEngine::Kasumi(k) => {
                let iv: &[u8; 8] = iv.try_into().map_err(|_| SymRequestError::IvLength)?;
                wireless(k.apply_iv(iv, data, bits))?;
            }
            CipherEngine::Snow3g(key) => wireless(snow3g::uea2_iv(key, iv16(iv)?, data, bits))?,
            CipherEngine::Zuc(key) => wireless(zuc::eea3_iv(key, iv16(iv)?, data, bits))?,
        }
        Ok(())
    }

    /// The hash step. `resumable`: a hash-only session, whose hash state
    /// carries across partial packets (in a chain only the cipher's does).
    fn hash_step(
        &self,
        r: &mut SymRequest<'_>,
        buf: &mut [u8],
        state: &mut PartialState,
        out: &mut SymOutcome,
        resumable: bool,
    ) -> Result<(), SymRequestError> {
        let Some(hash) = &self.hash else {
            return Ok(());
        };
        let n = self.digest_len;
        let mut digest = [0u8; SYM_MAX_DIGEST];
        let d = &mut digest[..n];
        let data = &buf[r.hash.clone()];
        let continuing = resumable && r.packet != PacketType::Full;
        let last = r.packet != PacketType::Partial;
        let wireless_err = |_| SymRequestError::Length("the wireless MACs take up to 2^32 bits");
        match hash {
            HashEngine::Hash(hs) => {
                if continuing {
                    let mut st = state.hash.take().unwrap_or_else(|| hs.begin());
                    if !last && !data.len().is_multiple_of(hs.block_len()) {
                        return Err(SymRequestError::Length(
                            "a PARTIAL packet hashes whole blocks of the hash",
                        ));
                    }
                    st.update(data);
                    if !last {
                        state.hash = Some(st);
                        return Ok(());
                    }
                    st.finish(d)
                } else {
                    hs.digest(data, d)
                }
                .map_err(|_| SymRequestError::Length("digest length"))?;
            }
            HashEngine::Mac(ms) => {
                if continuing {
                    let mut st = match state.mac.take() {
                        Some(saved) => ms.resume(saved),
                        None => ms
                            .begin()
                            .map_err(|_| SymRequestError::Length("not a resumable MAC"))?,
                    };
                    if !last && !data.len().is_multiple_of(16) {
                        return Err(SymRequestError::Length(
                            "a PARTIAL packet of an AES MAC is whole 16-byte blocks",
                        ));
                    }
                    st.update(data);
                    if !last {
                        state.mac = Some(st.into_resume());
                        return Ok(());
                    }
                    st.finish(d)
                } else {
                    ms.mac(data, d)
                }
                .map_err(|_| {
                    SymRequestError::Length(
                        "AES-CBC-MAC takes whole blocks; AES-XCBC a non-empty message",
                    )
                })?;
            }
            HashEngine::Gmac(g) => {
                let iv = &r.iv[..r.iv_len.min(r.iv.len())];
                let res = if iv.len() == 16 {
                    g.seal_j0(iv16(iv)?, data, &mut [], d)
                } else if iv.len() == 12 {
                    g.seal(iv, data, &mut [], d)
                } else {
                    return Err(SymRequestError::IvLength);
                };
                res.map_err(|_| SymRequestError::Length("GMAC"))?;
            }
            HashEngine::KasumiF9(f9) => d.copy_from_slice(&kasumi_f9_formatted(f9, data)?),
            HashEngine::Snow3g(key) => {
                let iv = iv16(r.aad)?;
                let mac =
                    snow3g::uia2_iv(key, iv, data, data.len() as u64 * 8).map_err(wireless_err)?;
                d.copy_from_slice(&mac);
            }
            HashEngine::Zuc(key) => {
                let iv = iv16(r.aad)?;
                let mac =
                    zuc::eia3_iv(key, iv, data, data.len() as u64 * 8).map_err(wireless_err)?;
                d.copy_from_slice(&mac);
            }
        }
        let end = r.hash.end;
        match &mut r.digest {
            DigestAt::Appended => {
                let at = region(end, n, buf.len(), "the appended digest")?;
                if self.verify {
                    out.verify_ok = ct_eq(d, &buf[at]);
                } else {
                    buf[at].copy_from_slice(d);
                }
            }
            DigestAt::Separate(sep) => {
                if self.verify {
                    out.verify_ok = ct_eq(d, sep);
                } else {
                    sep.copy_from_slice(d);
                }
            }
        }
        Ok(())
    }

    fn process_aead(
        &self,
        kind: AeadKind,
        aead: &AeadSession,
        r: &mut SymRequest<'_>,
        buf: &mut [u8],
    ) -> Result<bool, SymRequestError> {
        // Returns whether the tag verified (true when sealing).
        let n = self.digest_len;
        let iv: &[u8] = match kind {
            AeadKind::Ccm => {
                if !(7..=13).contains(&r.iv_len) || r.iv.len() < 1 + r.iv_len {
                    return Err(SymRequestError::IvLength);
                }
                &r.iv[1..1 + r.iv_len]
            }
            _ => r.iv.get(..r.iv_len).ok_or(SymRequestError::IvLength)?,
        };
        let j0 = match (kind, iv.len()) {
            (AeadKind::Gcm, 12) | (AeadKind::ChachaPoly, 12) | (AeadKind::Ccm, _) => None,
            (AeadKind::Gcm, 16) => Some(iv16(iv)?),
            _ => return Err(SymRequestError::IvLength),
        };
        let aad = r.aad;
        let bad = |_| SymRequestError::Length("the authenticated cipher's limits");
        let (head, tail) = buf.split_at_mut(r.cipher.end);
        let data = &mut head[r.cipher.start..];
        let mut sep_tag = [0u8; 16];
        let tag: &mut [u8] = match &mut r.digest {
            DigestAt::Appended => {
                if tail.len() < n {
                    return Err(SymRequestError::OutOfBuffer("the appended tag"));
                }
                &mut tail[..n]
            }
            DigestAt::Separate(sep) => {
                sep_tag[..n].copy_from_slice(sep);
                &mut sep_tag[..n]
            }
        };
        let mut verify_ok = true;
        if self.encrypt {
            match j0 {
                Some(j0) => aead.seal_j0(j0, aad, data, tag),
                None => aead.seal(iv, aad, data, tag),
            }
            .map_err(bad)?;
            if let DigestAt::Separate(sep) = &mut r.digest {
                sep.copy_from_slice(&sep_tag[..n]);
            }
        } else {
            verify_ok = match j0 {
                Some(j0) => aead.open_j0(j0, aad, data, tag),
                None => aead.open(iv, aad, data, tag),
            }
            .map_err(bad)?;
        }
        Ok(verify_ok)
    }
}

/// The partial-packet states of an endpoint's sessions, shared by its
/// engine threads. A sequence is keyed by its session's owner and content
/// descriptor and stamped: an updated or re-created session starts afresh.
/// Only partial packets come here; whole ones never take the lock.
#[derive(Default)]
pub struct PartialStore {
    states: Mutex<HashMap<(u64, u64), (u64, PartialState)>>,
}

impl PartialStore {
    /// The state of the sequence of (owner, content) under `stamp`, taken
    /// out for one packet (empty when none is running).
    fn take(&self, owner: u64, content: Iova, stamp: u64) -> PartialState {
        let mut map = self.states.lock().unwrap_or_else(|e| e.into_inner());
        match map.remove(&(owner, content.0)) {
            Some((s, st)) if s == stamp => st,
            _ => PartialState::default(),
        }
    }

    /// Puts a sequence's state back after a packet; an ended sequence
    /// (empty state) is dropped. False if the store is full, or if the
    /// memory to grow it cannot be had (the map grows with the number of
    /// sequences running, so growing it must not abort the process).
    fn put(&self, owner: u64, content: Iova, stamp: u64, st: PartialState) -> bool {
        if st.is_empty() {
            return true;
        }
        let mut map = self.states.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_PARTIAL_SEQUENCES || map.try_reserve(1).is_err() {
            return false;
        }
        map.insert((owner, content.0), (stamp, st));
        true
    }
}

/// Per-engine-thread symmetric firmware.
pub struct SymFirmware {
    cache: SessionCache<Box<SymSession>>,
    shared: Arc<super::FirmwareShared>,
    /// Scratch for a request's AAD and separate digest, kept so that no
    /// request initialises half a kilobyte of stack.
    aad: [u8; CCM_AAD_OFFSET + SYM_MAX_AAD],
    digest: [u8; SYM_MAX_DIGEST],
}

impl SymFirmware {
    /// Firmware whose partial-packet states live in `shared`.
    pub fn new(shared: Arc<super::FirmwareShared>) -> SymFirmware {
        SymFirmware {
            cache: SessionCache::new(SESSION_CACHE),
            shared,
            aad: [0; CCM_AAD_OFFSET + SYM_MAX_AAD],
            digest: [0; SYM_MAX_DIGEST],
        }
    }

    fn try_execute(
        &mut self,
        req: &RequestDesc,
        ctx: &mut RequestContext<'_>,
    ) -> Result<ResponseDesc, CpaStatus> {
        SymCommand::from_u8(req.header.command).ok_or(CpaStatus::InvalidParam)?;
        let header = read_content_header::<SymContent>(req, ctx.memory, ServiceId::Sym)
            .map_err(|_| CpaStatus::InvalidParam)?;
        let owner = ctx.memory.key();
        let memory = ctx.memory;
        let SymFirmware {
            cache,
            shared,
            aad,
            digest: sep,
        } = self;
        let session = cache.get_or_derive(owner, req.content, header.stamp, || {
            let (_, content) = read_content::<SymContent>(req, memory, ServiceId::Sym)
                .map_err(|_| CpaStatus::InvalidParam)?;
            sym_session(&content.session)
                .map(Box::new)
                .map_err(|_| CpaStatus::InvalidParam)
        })?;
        let p: SymRequestParams = req.params();
        let packet = PacketType::from_value(p.packet).ok_or(CpaStatus::InvalidParam)?;
        let iv_len = usize::from(p.iv_len);
        if iv_len > SYM_MAX_IV {
            return Err(CpaStatus::InvalidParam);
        }
        let raw = p.flags & SYM_REQ_AAD_RAW != 0;
        let aad_len = if raw {
            session.aad_len
        } else {
            session.aad_buffer_len()
        };
        if aad_len > 0 {
            memory
                .read_bytes(p.aad, &mut aad[..aad_len])
                .map_err(|_| CpaStatus::InvalidParam)?;
        }
        let aad: &[u8] = match session.aead_kind() {
            Some(AeadKind::Ccm) if !raw => &aad[CCM_AAD_OFFSET..aad_len],
            _ => &aad[..aad_len],
        };
        let dlen = session.digest_len;
        let separate = session.hash_alg.is_some() && !session.appended;
        let last_or_full = packet != PacketType::Partial;
        // A hash-only partial sequence reads or writes the digest only with
        // its last packet; chains every packet.
        let digest_used = separate && (session.op != softqat_cpa::sym::SymOp::Hash || last_or_full);
        if digest_used && session.verify {
            memory
                .read_bytes(p.digest, &mut sep[..dlen])
                .map_err(|_| CpaStatus::InvalidParam)?;
        }
        let work = match ctx.buffers.load_in_dst(memory, &req.src, &req.dst) {
            Ok(work) => work,
            Err(DmaError::NoMemory(_)) => return Err(CpaStatus::Resource),
            Err(_) => return Err(CpaStatus::InvalidParam),
        };
        if packet != PacketType::Full && !work.is_in_place() {
            // QAT takes partial packets in place only.
            return Err(CpaStatus::InvalidParam);
        }
        let n = work.src_len() as usize;
        let bad = |_| CpaStatus::InvalidParam;
        let cipher = if session.cipher_alg.is_some() {
            region(
                p.cipher_offset as usize,
                p.cipher_len as usize,
                n,
                "the cipher region",
            )
            .map_err(bad)?
        } else {
            0..0
        };
        let hash = if session.hash_alg.is_some() && session.aead.is_none() {
            region(
                p.hash_offset as usize,
                p.hash_len as usize,
                n,
                "the hash region",
            )
            .map_err(bad)?
        } else {
            0..0
        };
        let stamp = header.stamp;
        let store = &shared.sym_partials;
        let mut state = if packet == PacketType::Full {
            PartialState::default()
        } else {
            store.take(owner, req.content, stamp)
        };
        let mut r = SymRequest {
            packet,
            iv: &p.iv,
            iv_len,
            cipher,
            hash,
            aad,
            digest: if separate {
                DigestAt::Separate(&mut sep[..dlen])
            } else {
                DigestAt::Appended
            },
        };
        let mut outcome = SymOutcome::default();
        work.run_in_dst(|buf| session.process(&mut r, buf, &mut state, &mut outcome))
            .map_err(|e| match e {
                DmaError::NoMemory(_) => CpaStatus::Resource,
                _ => CpaStatus::InvalidParam,
            })?
            .map_err(bad)?;
        if packet != PacketType::Full && !store.put(owner, req.content, stamp, state) {
            return Err(CpaStatus::Resource);
        }
        if digest_used && !session.verify {
            memory
                .write_bytes(p.digest, &sep[..dlen])
                .map_err(|_| CpaStatus::InvalidParam)?;
        }
        let mut res = SymResponseResults {
            verify_ok: u8::from(outcome.verify_ok),
            ..SymResponseResults::default()
        };
        if let Some((iv, len)) = outcome.iv {
            res.iv = iv;
            res.iv_len = len as u8;
        }
        Ok(ResponseDesc::with_result(req, &res))
    }
}

impl ServiceFirmware for SymFirmware {
    fn service(&self) -> ServiceId {
        ServiceId::Sym
    }

    fn execute(&mut self, req: &RequestDesc, ctx: &mut RequestContext<'_>) -> ResponseDesc {
        match self.try_execute(req, ctx) {
            Ok(resp) => resp,
            Err(status) => ResponseDesc::failed(req, status),
        }
    }
}
