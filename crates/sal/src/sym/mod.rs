//! The symmetric crypto service (`cpa_cy_sym.h`, `cpa_cy_sym_dp.h`): session
//! setup data, sessions (whose state lives in a content descriptor in DMA
//! memory), op data and results, capabilities and statistics. The requests
//! themselves are methods of [`CyInstance`](instance::CyInstance); the
//! data-plane API is in [`dp`].
//!
//! Semantics are QAT's (see `cpaCySymPerformOp`): the destination receives a
//! copy of the source and the cipher and hash regions are processed there; an
//! appended digest follows the hashed region; the authenticated ciphers are
//! `ALGORITHM_CHAINING` sessions of the cipher with its own hash (AES_GCM +
//! AES_GCM, AES_CCM + AES_CCM, CHACHA + POLY); partial packets keep the
//! cipher (and, for hash-only sessions, the hash) state in the session.
//!
//! Where the Rust API differs from C, it is to carry the same facts without
//! pointers: the IV is a slice (for CCM, the nonce alone), the AAD is the AAD
//! alone (the C layout's 18-byte CCM header is built by the endpoint), and a
//! separate digest is a slice or a DMA buffer.

pub mod dp;
pub mod foreign;
pub mod instance;

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use softqat_config::DeviceClass;
use softqat_device::desc::{
    SymContent, SymSessionDesc, SYM_DIGEST_APPENDED, SYM_MAX_IV, SYM_PARTIALS_NOT_REQUIRED,
    SYM_VERIFY_DIGEST,
};
use softqat_device::firmware::sym::{sym_session, AeadKind};
use softqat_device::Iova;

pub use softqat_cpa::sym::{
    AlgChainOrder, CipherAlgorithm, CipherDirection, HashAlgorithm, HashMode, PacketType, Priority,
    SymOp,
};

use crate::dma::{BufferList, DmaBuf};
use crate::error::{CpaStatus, Error, Result};
use crate::instance::RequestCounters;

/// Cipher setup data (`CpaCySymCipherSetupData`).
#[derive(Clone, PartialEq, Eq)]
pub struct CipherSetup {
    /// `cipherAlgorithm`.
    pub algorithm: CipherAlgorithm,
    /// `pCipherKey` (F8: key ‖ key mask; XTS: Key1 ‖ Key2).
    pub key: Vec<u8>,
    /// `cipherDirection`.
    pub direction: CipherDirection,
}

impl std::fmt::Debug for CipherSetup {
    // Keys are never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CipherSetup")
            .field("algorithm", &self.algorithm)
            .field("key_len", &self.key.len())
            .field("direction", &self.direction)
            .finish()
    }
}

/// Nested-mode setup data (`CpaCySymHashNestedModeSetupData`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NestedSetup {
    /// `pInnerPrefixData` (at most 255 bytes).
    pub inner_prefix: Vec<u8>,
    /// `outerHashAlgorithm`.
    pub outer_algorithm: HashAlgorithm,
    /// `pOuterPrefixData` (at most 255 bytes).
    pub outer_prefix: Vec<u8>,
}

/// Hash setup data (`CpaCySymHashSetupData` with its auth-mode data).
#[derive(Clone, PartialEq, Eq)]
pub struct HashSetup {
    /// `hashAlgorithm` (nested mode: the inner one).
    pub algorithm: HashAlgorithm,
    /// `hashMode`.
    pub mode: HashMode,
    /// `digestResultLenInBytes`: shorter than the hash's output truncates.
    pub digest_len: u32,
    /// `authKey` (HMAC, the AES MACs, the wireless MACs; GMAC in a
    /// hash-only session).
    pub auth_key: Vec<u8>,
    /// `aadLenInBytes` (GCM, CCM, ChaCha20-Poly1305: the AAD's length; SNOW 3G
    /// UIA2 and ZUC EIA3: 16, their IV).
    pub aad_len: u32,
    /// Nested-mode data.
    pub nested: Option<NestedSetup>,
}

impl std::fmt::Debug for HashSetup {
    // Keys are never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HashSetup")
            .field("algorithm", &self.algorithm)
            .field("mode", &self.mode)
            .field("digest_len", &self.digest_len)
            .field("auth_key_len", &self.auth_key.len())
            .field("aad_len", &self.aad_len)
            .field("nested", &self.nested)
            .finish()
    }
}

impl HashSetup {
    /// A hash of `algorithm` in `mode` giving `digest_len` bytes.
    pub fn new(algorithm: HashAlgorithm, mode: HashMode, digest_len: u32) -> HashSetup {
        HashSetup {
            algorithm,
            mode,
            digest_len,
            auth_key: Vec::new(),
            aad_len: 0,
            nested: None,
        }
    }

    /// With authentication key `key`.
    pub fn with_auth_key(mut self, key: &[u8]) -> HashSetup {
        self.auth_key = key.to_vec();
        self
    }

    /// With `aadLenInBytes` = `aad_len`.
    pub fn with_aad_len(mut self, aad_len: u32) -> HashSetup {
        self.aad_len = aad_len;
        self
    }
}

/// Session setup data (`CpaCySymSessionSetupData`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SymSessionSetup {
    /// `sessionPriority`.
    pub priority: Priority,
    /// `symOperation`.
    pub op: SymOp,
    /// `cipherSetupData` (cipher and chaining sessions).
    pub cipher: Option<CipherSetup>,
    /// `hashSetupData` (hash and chaining sessions).
    pub hash: Option<HashSetup>,
    /// `algChainOrder`.
    pub chain_order: AlgChainOrder,
    /// `digestIsAppended`.
    pub digest_is_appended: bool,
    /// `verifyDigest`.
    pub verify_digest: bool,
    /// `partialsNotRequired`.
    pub partials_not_required: bool,
}

impl SymSessionSetup {
    /// A cipher-only session.
    pub fn cipher(
        algorithm: CipherAlgorithm,
        key: &[u8],
        direction: CipherDirection,
    ) -> SymSessionSetup {
        SymSessionSetup {
            priority: Priority::Normal,
            op: SymOp::Cipher,
            cipher: Some(CipherSetup {
                algorithm,
                key: key.to_vec(),
                direction,
            }),
            hash: None,
            chain_order: AlgChainOrder::CipherThenHash,
            digest_is_appended: false,
            verify_digest: false,
            partials_not_required: false,
        }
    }

    /// A hash-only session.
    pub fn hash(hash: HashSetup) -> SymSessionSetup {
        SymSessionSetup {
            priority: Priority::Normal,
            op: SymOp::Hash,
            cipher: None,
            hash: Some(hash),
            chain_order: AlgChainOrder::CipherThenHash,
            digest_is_appended: false,
            verify_digest: false,
            partials_not_required: false,
        }
    }

    /// A chain of `cipher` and `hash` in `order`.
    pub fn chain(order: AlgChainOrder, cipher: CipherSetup, hash: HashSetup) -> SymSessionSetup {
        SymSessionSetup {
            priority: Priority::Normal,
            op: SymOp::AlgorithmChaining,
            cipher: Some(cipher),
            hash: Some(hash),
            chain_order: order,
            digest_is_appended: false,
            verify_digest: false,
            partials_not_required: false,
        }
    }

    /// An authenticated cipher: `algorithm` is `AesGcm`, `AesCcm` or `Chacha`
    /// (chained with its hash, as QAT sets them up), `tag_len` the tag bytes
    /// and `aad_len` the AAD bytes of every request.
    pub fn aead(
        algorithm: CipherAlgorithm,
        key: &[u8],
        direction: CipherDirection,
        tag_len: u32,
        aad_len: u32,
    ) -> SymSessionSetup {
        let hash = match algorithm {
            CipherAlgorithm::AesCcm => HashAlgorithm::AesCcm,
            CipherAlgorithm::Chacha => HashAlgorithm::Poly,
            _ => HashAlgorithm::AesGcm,
        };
        let order = match direction {
            CipherDirection::Encrypt => AlgChainOrder::CipherThenHash,
            CipherDirection::Decrypt => AlgChainOrder::HashThenCipher,
        };
        SymSessionSetup::chain(
            order,
            CipherSetup {
                algorithm,
                key: key.to_vec(),
                direction,
            },
            HashSetup::new(hash, HashMode::Auth, tag_len).with_aad_len(aad_len),
        )
    }

    /// With the digest appended after the hashed region.
    pub fn appended(mut self) -> SymSessionSetup {
        self.digest_is_appended = true;
        self
    }

    /// Verifying the digest instead of writing it.
    pub fn verifying(mut self) -> SymSessionSetup {
        self.verify_digest = true;
        self
    }

    /// The content-descriptor body: the setup data with keys inline.
    fn desc(&self) -> Result<SymSessionDesc> {
        fn copy(dst: &mut [u8], src: &[u8], what: &str) -> Result<u16> {
            if src.len() > dst.len() {
                return Err(Error::invalid(format!(
                    "{what} is {} bytes, over the limit of {}",
                    src.len(),
                    dst.len()
                )));
            }
            dst[..src.len()].copy_from_slice(src);
            Ok(src.len() as u16)
        }
        let mut d = SymSessionDesc {
            op: self.op.value(),
            chain_order: self.chain_order.value(),
            ..SymSessionDesc::default()
        };
        if self.digest_is_appended {
            d.flags |= SYM_DIGEST_APPENDED;
        }
        if self.verify_digest {
            d.flags |= SYM_VERIFY_DIGEST;
        }
        if self.partials_not_required {
            d.flags |= SYM_PARTIALS_NOT_REQUIRED;
        }
        let ciphers = matches!(self.op, SymOp::Cipher | SymOp::AlgorithmChaining);
        let hashes = matches!(self.op, SymOp::Hash | SymOp::AlgorithmChaining);
        if ciphers {
            let c = self.cipher.as_ref().ok_or_else(|| {
                Error::invalid(format!("symOperation {} needs cipher setup data", self.op))
            })?;
            d.cipher_alg = c.algorithm.value();
            d.cipher_dir = c.direction.value();
            d.cipher_key_len = copy(&mut d.cipher_key, &c.key, "cipherKeyLenInBytes")?;
        }
        if hashes {
            let h = self.hash.as_ref().ok_or_else(|| {
                Error::invalid(format!("symOperation {} needs hash setup data", self.op))
            })?;
            d.hash_alg = h.algorithm.value();
            d.hash_mode = h.mode.value();
            d.digest_len = u16::try_from(h.digest_len).map_err(|_| {
                Error::invalid(format!(
                    "digestResultLenInBytes = {} is too long",
                    h.digest_len
                ))
            })?;
            d.aad_len = u16::try_from(h.aad_len).map_err(|_| {
                Error::invalid(format!(
                    "aadLenInBytes = {} is over the limit of 240",
                    h.aad_len
                ))
            })?;
            d.auth_key_len = copy(&mut d.auth_key, &h.auth_key, "authKeyLenInBytes")?;
            if let Some(n) = &h.nested {
                d.outer_hash_alg = n.outer_algorithm.value();
                d.inner_prefix_len = copy(
                    &mut d.inner_prefix[..255],
                    &n.inner_prefix,
                    "innerPrefixLenInBytes",
                )?;
                d.outer_prefix_len = copy(
                    &mut d.outer_prefix[..255],
                    &n.outer_prefix,
                    "outerPrefixLenInBytes",
                )?;
            }
        }
        Ok(d)
    }
}

/// Whether the legacy algorithms of gen4 are offered: qatlib offers them
/// only when built with `--enable-legacy-algorithms`; softqat when
/// `SOFTQAT_LEGACY_ALGORITHMS=1` is set.
pub fn legacy_algorithms_enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var("SOFTQAT_LEGACY_ALGORITHMS").is_ok_and(|v| v == "1" || v == "yes")
    })
}

/// `CpaCySymCapabilitiesInfo`: bit `n` of a bitmap is set when the CPA enum
/// value `n` is supported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SymCapabilities {
    /// `ciphers`.
    pub ciphers: u32,
    /// `hashes`.
    pub hashes: u32,
    /// `partialPacketSupported`.
    pub partial_packets: bool,
}

impl SymCapabilities {
    /// What an endpoint of `class` offers.
    pub fn for_class(class: &DeviceClass) -> SymCapabilities {
        let f = &class.sym;
        let legacy = legacy_algorithms_enabled();
        SymCapabilities {
            ciphers: f.ciphers | if legacy { f.legacy_ciphers } else { 0 },
            hashes: f.hashes | if legacy { f.legacy_hashes } else { 0 },
            partial_packets: f.partials,
        }
    }

    /// Whether `c` is offered.
    pub fn has_cipher(&self, c: CipherAlgorithm) -> bool {
        self.ciphers & (1 << c.value()) != 0
    }

    /// Whether `h` is offered.
    pub fn has_hash(&self, h: HashAlgorithm) -> bool {
        self.hashes & (1 << h.value()) != 0
    }
}

/// `CpaCySymStats64`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SymStats {
    /// numSessionsInitialized.
    pub num_sessions_initialized: u64,
    /// numSessionsRemoved.
    pub num_sessions_removed: u64,
    /// numSessionErrors.
    pub num_session_errors: u64,
    /// numSymOpRequests.
    pub num_sym_op_requests: u64,
    /// numSymOpRequestErrors.
    pub num_sym_op_request_errors: u64,
    /// numSymOpCompleted.
    pub num_sym_op_completed: u64,
    /// numSymOpCompletedErrors.
    pub num_sym_op_completed_errors: u64,
    /// numSymOpVerifyFailures.
    pub num_sym_op_verify_failures: u64,
}

#[derive(Default)]
pub(crate) struct SymCounters {
    pub(crate) requests: RequestCounters,
    sessions_initialized: AtomicU64,
    sessions_removed: AtomicU64,
    session_errors: AtomicU64,
    verify_failures: AtomicU64,
}

impl SymCounters {
    pub(crate) fn session_initialized(&self, ok: bool) {
        let c = if ok {
            &self.sessions_initialized
        } else {
            &self.session_errors
        };
        c.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn session_removed(&self, ok: bool) {
        let c = if ok {
            &self.sessions_removed
        } else {
            &self.session_errors
        };
        c.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn verify_failed(&self) {
        self.verify_failures.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> SymStats {
        let (r, re, c, ce) = self.requests.snapshot();
        let l = |a: &AtomicU64| a.load(Ordering::Relaxed);
        SymStats {
            num_sessions_initialized: l(&self.sessions_initialized),
            num_sessions_removed: l(&self.sessions_removed),
            num_session_errors: l(&self.session_errors),
            num_sym_op_requests: r,
            num_sym_op_request_errors: re,
            num_sym_op_completed: c,
            num_sym_op_completed_errors: ce,
            num_sym_op_verify_failures: l(&self.verify_failures),
        }
    }
}

/// What the SAL needs to know of a validated session on the request path.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SessionFacts {
    pub(crate) op: SymOp,
    pub(crate) hashes: bool,
    pub(crate) aead: Option<AeadKind>,
    pub(crate) digest_len: usize,
    pub(crate) aad_len: usize,
    pub(crate) appended: bool,
    pub(crate) verify: bool,
    pub(crate) partials: bool,
}

impl SessionFacts {
    /// The facts in one word, so the request path reads them with one load.
    fn pack(&self) -> u64 {
        let aead = match self.aead {
            None => 0u64,
            Some(AeadKind::Gcm) => 1,
            Some(AeadKind::Ccm) => 2,
            Some(AeadKind::ChachaPoly) => 3,
        };
        u64::from(self.op.value())
            | aead << 8
            | (self.digest_len.min(0xffff) as u64) << 16
            | (self.aad_len.min(0xffff) as u64) << 32
            | u64::from(self.hashes) << 48
            | u64::from(self.appended) << 49
            | u64::from(self.verify) << 50
            | u64::from(self.partials) << 51
    }

    fn unpack(w: u64) -> SessionFacts {
        SessionFacts {
            op: SymOp::from_value(w as u8).unwrap_or(SymOp::None),
            aead: match (w >> 8) & 0xff {
                1 => Some(AeadKind::Gcm),
                2 => Some(AeadKind::Ccm),
                3 => Some(AeadKind::ChachaPoly),
                _ => None,
            },
            digest_len: ((w >> 16) & 0xffff) as usize,
            aad_len: ((w >> 32) & 0xffff) as usize,
            hashes: w >> 48 & 1 != 0,
            appended: w >> 49 & 1 != 0,
            verify: w >> 50 & 1 != 0,
            partials: w >> 51 & 1 != 0,
        }
    }
}

/// Checks `setup` against the endpoint class and the firmware's rules:
/// UNSUPPORTED for what the class does not offer, INVALID_PARAM (with the
/// reason) for what is wrong.
pub(crate) fn validate(
    setup: &SymSessionSetup,
    class: &DeviceClass,
) -> Result<(SymSessionDesc, SessionFacts)> {
    let caps = SymCapabilities::for_class(class);
    let legacy_note = |legacy: bool| {
        if legacy {
            " (a legacy algorithm: set SOFTQAT_LEGACY_ALGORITHMS=1 to enable it, as qatlib's \
             --enable-legacy-algorithms build does)"
        } else {
            ""
        }
    };
    if let (true, Some(c)) = (
        matches!(setup.op, SymOp::Cipher | SymOp::AlgorithmChaining),
        &setup.cipher,
    ) {
        if !caps.has_cipher(c.algorithm) {
            let legacy = class.sym.legacy_ciphers & (1 << c.algorithm.value()) != 0;
            return Err(Error::unsupported(format!(
                "{} is not offered by {} endpoints{}",
                c.algorithm,
                class.name,
                legacy_note(legacy)
            )));
        }
    }
    if let (true, Some(h)) = (
        matches!(setup.op, SymOp::Hash | SymOp::AlgorithmChaining),
        &setup.hash,
    ) {
        let mut algs = vec![h.algorithm];
        if let (HashMode::Nested, Some(n)) = (h.mode, &h.nested) {
            algs.push(n.outer_algorithm);
        }
        for a in algs {
            if a != HashAlgorithm::None && !caps.has_hash(a) {
                let legacy = class.sym.legacy_hashes & (1 << a.value()) != 0;
                return Err(Error::unsupported(format!(
                    "{a} is not offered by {} endpoints{}",
                    class.name,
                    legacy_note(legacy)
                )));
            }
        }
    }
    let desc = setup.desc()?;
    let s = sym_session(&desc).map_err(|e| Error::invalid(e.0))?;
    let facts = SessionFacts {
        op: s.op,
        hashes: s.hash_alg.is_some(),
        aead: s.aead_kind(),
        digest_len: s.digest_len,
        aad_len: s.aad_len,
        appended: s.appended,
        verify: s.verify,
        partials: s.partials && caps.partial_packets,
    };
    Ok((desc, facts))
}

/// The callback of an asynchronous session.
pub type SymCallback = Arc<dyn Fn(SymCompletion) + Send + Sync>;

/// How a session's requests complete.
pub(crate) enum SymMode {
    /// No callback: calls block until the response.
    Sync,
    /// Callback run inside the poll call.
    Async(SymCallback),
    /// Data-plane session: completions go to the instance's DP callback.
    DataPlane,
    /// Requests on a foreign caller's memory (the C ABI): completions go to
    /// this callback with the caller's words.
    Foreign(foreign::SymForeignCallback),
}

pub(crate) struct SymSessionInner {
    pub(crate) setup: Mutex<SymSessionSetup>,
    /// [`SessionFacts`], packed: read on every request without a lock.
    facts: AtomicU64,
    pub(crate) mode: SymMode,
    /// The instance the session belongs to (its address).
    pub(crate) instance: usize,
    pub(crate) content_iova: Iova,
    pub(crate) content_len: u32,
    content: Mutex<DmaBuf>,
    /// Requests of this session in flight (`cpaCySymSessionInUse`).
    pub(crate) in_flight: AtomicU32,
    /// A partial packet is in flight: the next waits for it.
    pub(crate) partial_busy: AtomicBool,
    /// Asynchronous partial packets submitted while one was in flight, in
    /// order: each is sent when the one before it completes (qatlib queues
    /// them in the session the same way). `partial_busy` changes under
    /// this lock for asynchronous sessions.
    pub(crate) partial_queue: Mutex<std::collections::VecDeque<QueuedPartial>>,
    /// `cpaCySymRemoveSession` was called.
    pub(crate) removed: AtomicBool,
}

impl SymSessionInner {
    pub(crate) fn new(
        setup: SymSessionSetup,
        desc: SymSessionDesc,
        facts: SessionFacts,
        mode: SymMode,
        instance: usize,
    ) -> Result<SymSessionInner> {
        let content = SymContent::new(desc, crate::instance::next_stamp());
        let bytes = bytemuck::bytes_of(&content);
        let mut buf = DmaBuf::try_new(bytes.len())?;
        buf.copy_from_slice(bytes);
        Ok(SymSessionInner {
            setup: Mutex::new(setup),
            facts: AtomicU64::new(facts.pack()),
            mode,
            instance,
            content_iova: buf.iova(),
            content_len: bytes.len() as u32,
            content: Mutex::new(buf),
            in_flight: AtomicU32::new(0),
            partial_busy: AtomicBool::new(false),
            partial_queue: Mutex::new(std::collections::VecDeque::new()),
            removed: AtomicBool::new(false),
        })
    }

    /// The facts the request path checks against (a copy: updates replace
    /// them only while nothing is in flight).
    pub(crate) fn facts(&self) -> SessionFacts {
        SessionFacts::unpack(self.facts.load(Ordering::Acquire))
    }

    /// Replaces the facts (an update, with nothing in flight).
    pub(crate) fn set_facts(&self, facts: SessionFacts) {
        self.facts.store(facts.pack(), Ordering::Release);
    }

    /// Rewrites the content descriptor with `desc` under a new stamp, so
    /// engines derive the session afresh.
    pub(crate) fn rewrite(&self, desc: SymSessionDesc) {
        let content = SymContent::new(desc, crate::instance::next_stamp());
        let mut buf = self.content.lock().unwrap_or_else(|e| e.into_inner());
        buf.copy_from_slice(bytemuck::bytes_of(&content));
    }

    /// Sets the stamp to 0: the endpoint refuses the session from now on.
    pub(crate) fn retire(&self) {
        let mut buf = self.content.lock().unwrap_or_else(|e| e.into_inner());
        let mut content: SymContent = bytemuck::pod_read_unaligned(&buf[..]);
        content.header.stamp = 0;
        // The keys go too.
        content.session = SymSessionDesc::default();
        buf.copy_from_slice(bytemuck::bytes_of(&content));
    }
}

/// A partial packet waiting for the one before it: its descriptor and its
/// cookie, as they will go on the ring.
pub(crate) type QueuedPartial = (softqat_device::desc::RequestDesc, instance::CyCookie);

impl Drop for SymSessionInner {
    fn drop(&mut self) {
        self.retire();
    }
}

/// A symmetric session (`CpaCySymSessionCtx`). Cloning gives another handle
/// to the same session.
#[derive(Clone)]
pub struct SymSession {
    pub(crate) inner: Arc<SymSessionInner>,
}

impl std::fmt::Debug for SymSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.inner.setup.lock().unwrap_or_else(|e| e.into_inner());
        f.debug_struct("SymSession").field("setup", &*s).finish()
    }
}

impl SymSession {
    /// `cpaCySymSessionInUse`: requests of this session are in flight.
    pub fn in_use(&self) -> bool {
        self.inner.in_flight.load(Ordering::Acquire) != 0
    }

    /// The setup data the session was (last) set up with.
    pub fn setup(&self) -> SymSessionSetup {
        self.inner
            .setup
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// `CpaCySymSessionUpdateData`: what `update_session` changes (`None`
/// leaves a field as it is).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SymSessionUpdate {
    /// `CPA_CY_SYM_SESUPD_CIPHER_KEY`: the new cipher key.
    pub cipher_key: Option<Vec<u8>>,
    /// `CPA_CY_SYM_SESUPD_CIPHER_DIR`: the new direction.
    pub cipher_direction: Option<CipherDirection>,
    /// `CPA_CY_SYM_SESUPD_AUTH_KEY`: the new authentication key.
    pub auth_key: Option<Vec<u8>>,
}

impl std::fmt::Debug for SymSessionUpdate {
    // Keys are never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SymSessionUpdate")
            .field("cipher_key", &self.cipher_key.as_ref().map(|k| k.len()))
            .field("cipher_direction", &self.cipher_direction)
            .field("auth_key", &self.auth_key.as_ref().map(|k| k.len()))
            .finish()
    }
}

/// Op data of a synchronous request (`CpaCySymOpData`).
#[derive(Debug, Default)]
pub struct SymOpData<'a> {
    /// `packetType` (default FULL).
    pub packet: Option<PacketType>,
    /// `pIv` (`ivLenInBytes` = its length); for CCM the nonce alone; for
    /// GCM 12 bytes or the 16-byte J0.
    pub iv: &'a [u8],
    /// `cryptoStartSrcOffsetInBytes`.
    pub cipher_offset: u32,
    /// `messageLenToCipherInBytes`.
    pub cipher_len: u32,
    /// `hashStartSrcOffsetInBytes`.
    pub hash_offset: u32,
    /// `messageLenToHashInBytes`.
    pub hash_len: u32,
    /// `pAdditionalAuthData`: the AAD (`aadLenInBytes` of it), or the 16-byte
    /// IV of SNOW 3G UIA2 / ZUC EIA3.
    pub aad: &'a [u8],
    /// `pDigestResult` when the digest is not appended: written when
    /// generating, read when verifying.
    pub digest: Option<&'a mut [u8]>,
}

impl<'a> SymOpData<'a> {
    /// Ciphers `cipher_len` bytes at `cipher_offset` with `iv`.
    pub fn cipher(iv: &'a [u8], cipher_offset: u32, cipher_len: u32) -> SymOpData<'a> {
        SymOpData {
            iv,
            cipher_offset,
            cipher_len,
            ..SymOpData::default()
        }
    }

    /// Hashes `hash_len` bytes at `hash_offset`.
    pub fn hash(hash_offset: u32, hash_len: u32) -> SymOpData<'a> {
        SymOpData {
            hash_offset,
            hash_len,
            ..SymOpData::default()
        }
    }

    /// Both regions (chains).
    pub fn chain(
        iv: &'a [u8],
        (cipher_offset, cipher_len): (u32, u32),
        (hash_offset, hash_len): (u32, u32),
    ) -> SymOpData<'a> {
        SymOpData {
            iv,
            cipher_offset,
            cipher_len,
            hash_offset,
            hash_len,
            ..SymOpData::default()
        }
    }

    /// With `packetType` = `packet`.
    pub fn packet(mut self, packet: PacketType) -> SymOpData<'a> {
        self.packet = Some(packet);
        self
    }

    /// With the AAD (or wireless MAC IV).
    pub fn aad(mut self, aad: &'a [u8]) -> SymOpData<'a> {
        self.aad = aad;
        self
    }

    /// With a separate digest buffer.
    pub fn digest(mut self, digest: &'a mut [u8]) -> SymOpData<'a> {
        self.digest = Some(digest);
        self
    }
}

/// What a request produced besides its data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SymResults {
    /// `verifyResult`: the verified digest matched (true when the session
    /// does not verify).
    pub verify_ok: bool,
    updated_iv: [u8; SYM_MAX_IV],
    updated_iv_len: u8,
}

impl SymResults {
    /// After a partial packet: the IV (chaining value) the next packet
    /// continues from, as QAT writes it back to `pIv`. Empty otherwise.
    pub fn updated_iv(&self) -> &[u8] {
        &self.updated_iv[..usize::from(self.updated_iv_len)]
    }

    pub(crate) fn from_response(r: &softqat_device::desc::SymResponseResults) -> SymResults {
        SymResults {
            verify_ok: r.verify_ok != 0,
            updated_iv: r.iv,
            updated_iv_len: r.iv_len.min(SYM_MAX_IV as u8),
        }
    }
}

/// Why an IV over 16 bytes is refused.
pub(crate) const IV_TOO_LONG: &str = "the IV is longer than 16 bytes: QAT's IVs are at most one \
    block (GCM: 12 bytes or the 16-byte J0)";

/// An asynchronous request's op data (`CpaCySymOpData`), owned: it travels
/// with the request and comes back in the [`SymCompletion`].
#[derive(Debug, Default)]
pub struct SymRequest {
    /// `packetType` (default FULL).
    pub packet: Option<PacketType>,
    /// `pIv`: the first `iv_len` bytes (CCM: the nonce).
    pub iv: [u8; SYM_MAX_IV],
    /// `ivLenInBytes`.
    pub iv_len: u8,
    /// `cryptoStartSrcOffsetInBytes`.
    pub cipher_offset: u32,
    /// `messageLenToCipherInBytes`.
    pub cipher_len: u32,
    /// `hashStartSrcOffsetInBytes`.
    pub hash_offset: u32,
    /// `messageLenToHashInBytes`.
    pub hash_len: u32,
    /// `pAdditionalAuthData` (the AAD alone).
    pub aad: Option<DmaBuf>,
    /// `pDigestResult` when the digest is not appended.
    pub digest: Option<DmaBuf>,
}

impl SymRequest {
    /// Cipher offset and length, hash offset and length.
    pub(crate) fn regions(&self) -> [u32; 4] {
        [
            self.cipher_offset,
            self.cipher_len,
            self.hash_offset,
            self.hash_len,
        ]
    }

    /// A request with `iv` (at most 16 bytes; a longer one is refused when
    /// the request is submitted).
    pub fn with_iv(iv: &[u8]) -> SymRequest {
        let mut r = SymRequest::default();
        let n = iv.len().min(SYM_MAX_IV);
        r.iv[..n].copy_from_slice(&iv[..n]);
        // The length as given: an IV longer than 16 bytes is refused at
        // submission, never cut to one that might pass (a GCM J0).
        r.iv_len = iv.len().min(usize::from(u8::MAX)) as u8;
        r
    }

    /// The IV bytes; INVALID_PARAM when `iv_len` is over 16.
    pub(crate) fn iv_bytes(&self) -> Result<&[u8]> {
        self.iv
            .get(..usize::from(self.iv_len))
            .ok_or_else(|| Error::invalid(IV_TOO_LONG))
    }

    /// With the cipher region.
    pub fn cipher(mut self, offset: u32, len: u32) -> SymRequest {
        self.cipher_offset = offset;
        self.cipher_len = len;
        self
    }

    /// With the hash region.
    pub fn hash(mut self, offset: u32, len: u32) -> SymRequest {
        self.hash_offset = offset;
        self.hash_len = len;
        self
    }
}

/// Source or destination of an asynchronous request.
#[derive(Debug)]
pub enum SymData {
    /// One DMA buffer.
    Flat(DmaBuf),
    /// A buffer list.
    List(BufferList),
}

impl SymData {
    pub(crate) fn desc(&mut self) -> Result<softqat_device::desc::BufferDesc> {
        match self {
            SymData::Flat(b) => Ok(b.desc()),
            SymData::List(l) => l.desc(),
        }
    }
}

/// What the callback of an asynchronous session gets (`CpaCySymCbFunc`).
#[derive(Debug)]
pub struct SymCompletion {
    /// `pCallbackTag`.
    pub tag: u64,
    /// `status`: SUCCESS, or why the request failed.
    pub status: CpaStatus,
    /// `operationType`.
    pub op: SymOp,
    /// `verifyResult` and the updated IV.
    pub results: SymResults,
    /// `pOpData`, given back (its digest buffer filled when generating).
    pub request: SymRequest,
    /// The source (in place: the source is the destination).
    pub src: SymData,
    /// The destination, for out-of-place requests.
    pub dst: Option<SymData>,
}

/// A refused asynchronous request: the error and everything given back.
#[derive(Debug)]
pub struct SymRejected {
    /// Why the request was refused (RETRY when the ring is full).
    pub error: Error,
    /// The op data.
    pub request: SymRequest,
    /// The source.
    pub src: SymData,
    /// The destination.
    pub dst: Option<SymData>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_pack_into_one_word_and_back() {
        for op in [SymOp::Cipher, SymOp::Hash, SymOp::AlgorithmChaining] {
            for aead in [
                None,
                Some(AeadKind::Gcm),
                Some(AeadKind::Ccm),
                Some(AeadKind::ChachaPoly),
            ] {
                for bits in 0..16u8 {
                    let f = SessionFacts {
                        op,
                        hashes: bits & 1 != 0,
                        aead,
                        digest_len: 256,
                        aad_len: 240,
                        appended: bits & 2 != 0,
                        verify: bits & 4 != 0,
                        partials: bits & 8 != 0,
                    };
                    let g = SessionFacts::unpack(f.pack());
                    assert_eq!(format!("{f:?}"), format!("{g:?}"));
                }
            }
        }
    }
}
