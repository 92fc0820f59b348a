//! Compression chaining (`cpa_dc_chain.h`): hash then compress.
//!
//! A chaining session is a compression session plus a plain hash; each
//! request is one descriptor on the compression ring whose parameters name
//! the hash, the hashed region of the source and where the digest goes. The
//! engine hashes the source and compresses it in the same request (as QAT's
//! chaining firmware does), so a chained request costs what a compression
//! request costs plus the hash, with no second round trip through the ring.
//!
//! What qatlib 26.08 accepts, softqat accepts: two sessions, the hash first
//! (`CPA_CY_SYM_OP_HASH`, SHA-1, SHA-224 or SHA-256, no appended digest, not
//! nested) and a stateless compression session of direction COMPRESS without
//! a precompiled Huffman tree; requests with compress-and-verify on and a
//! FINAL or FULL flush. The other chain operations are refused as
//! UNSUPPORTED, and so is HMAC (AUTH mode), which softqat does not chain.
//!
//! A foreign (C ABI) chained request may ask for integrity CRCs like a
//! plain request (`integrityCrcCheck`, `pCrcData`): the endpoint computes
//! them with the chaining session's CRC64, which `cpaDcChainSetCrcControlData`
//! programs; `cpaDcChainPerformOp2` reports them in its results.

use std::sync::Arc;

use softqat_cpa::sym::{HashAlgorithm, HashMode};
use softqat_device::desc::{BufferDesc, DcRequestParams, RequestDesc};
use softqat_device::Iova;

use crate::dc::instance::{DcCookie, DcInstance};
use crate::dc::{
    CompType, DcOpData, DcResults, DcSession, DcSessionSetup, FlushFlag, HuffType,
    SessionDirection, SessionMode, SessionState,
};
use crate::dma::DmaBuf;
use crate::error::{CpaStatus, Error, Result};
use crate::instance::{slice_desc, slice_desc_mut, Bounce};

/// `CpaDcChainOperations`: the chains of `cpa_dc_chain.h`, by value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum DcChainOperation {
    /// `CPA_DC_CHAIN_COMPRESS_THEN_HASH`.
    CompressThenHash = 0,
    /// `CPA_DC_CHAIN_COMPRESS_THEN_ENCRYPT`.
    CompressThenEncrypt = 1,
    /// `CPA_DC_CHAIN_COMPRESS_THEN_HASH_ENCRYPT`.
    CompressThenHashEncrypt = 2,
    /// `CPA_DC_CHAIN_COMPRESS_THEN_ENCRYPT_HASH`.
    CompressThenEncryptHash = 3,
    /// `CPA_DC_CHAIN_COMPRESS_THEN_AEAD`.
    CompressThenAead = 4,
    /// `CPA_DC_CHAIN_HASH_THEN_COMPRESS`: the one softqat implements.
    HashThenCompress = 5,
    /// `CPA_DC_CHAIN_HASH_VERIFY_THEN_DECOMPRESS`.
    HashVerifyThenDecompress = 6,
    /// `CPA_DC_CHAIN_DECRYPT_THEN_DECOMPRESS`.
    DecryptThenDecompress = 7,
    /// `CPA_DC_CHAIN_HASH_VERIFY_DECRYPT_THEN_DECOMPRESS`.
    HashVerifyDecryptThenDecompress = 8,
    /// `CPA_DC_CHAIN_DECRYPT_HASH_VERIFY_THEN_DECOMPRESS`.
    DecryptHashVerifyThenDecompress = 9,
    /// `CPA_DC_CHAIN_AEAD_THEN_DECOMPRESS`.
    AeadThenDecompress = 10,
    /// `CPA_DC_CHAIN_DECOMPRESS_THEN_HASH_VERIFY`.
    DecompressThenHashVerify = 11,
    /// `CPA_DC_CHAIN_COMPRESS_THEN_AEAD_THEN_HASH`.
    CompressThenAeadThenHash = 12,
}

impl DcChainOperation {
    /// Every operation, in value order.
    pub const ALL: [DcChainOperation; 13] = [
        Self::CompressThenHash,
        Self::CompressThenEncrypt,
        Self::CompressThenHashEncrypt,
        Self::CompressThenEncryptHash,
        Self::CompressThenAead,
        Self::HashThenCompress,
        Self::HashVerifyThenDecompress,
        Self::DecryptThenDecompress,
        Self::HashVerifyDecryptThenDecompress,
        Self::DecryptHashVerifyThenDecompress,
        Self::AeadThenDecompress,
        Self::DecompressThenHashVerify,
        Self::CompressThenAeadThenHash,
    ];

    /// The operation of value `v`, if any.
    pub fn from_value(v: u32) -> Option<DcChainOperation> {
        Self::ALL.get(usize::try_from(v).ok()?).copied()
    }

    /// Whether softqat endpoints implement the chain.
    pub fn is_supported(self) -> bool {
        self == Self::HashThenCompress
    }

    /// The `dcChainCapInfo` bitmap of the chains softqat implements (bit n
    /// for the operation of value n).
    pub fn capability_bits() -> u32 {
        Self::ALL
            .iter()
            .filter(|o| o.is_supported())
            .fold(0, |bits, &o| bits | 1 << (o as u32))
    }
}

/// The hash step of a chaining session (the symmetric session's setup that
/// chaining uses: `hashSetupData` with `symOperation` HASH).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DcChainHashSetup {
    /// `hashAlgorithm`: SHA-1, SHA-224 or SHA-256.
    pub algorithm: HashAlgorithm,
    /// `hashMode`: PLAIN.
    pub mode: HashMode,
    /// `digestResultLenInBytes`: 1 to the algorithm's digest length.
    pub digest_len: u32,
    /// `digestIsAppended`: must be false for chaining.
    pub digest_is_appended: bool,
    /// `verifyDigest`: must be false (hash then compress generates).
    pub verify_digest: bool,
}

impl DcChainHashSetup {
    /// A plain hash with its full digest.
    pub fn plain(algorithm: HashAlgorithm) -> DcChainHashSetup {
        let digest_len = match algorithm {
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha224 => 28,
            _ => 32,
        };
        DcChainHashSetup {
            algorithm,
            mode: HashMode::Plain,
            digest_len,
            digest_is_appended: false,
            verify_digest: false,
        }
    }
}

/// A chaining session's setup (`cpaDcChainInitSession`'s operation and its
/// two `CpaDcChainSessionSetupData` entries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DcChainSetup {
    /// The chain.
    pub operation: DcChainOperation,
    /// The hash (first entry for HASH_THEN_COMPRESS).
    pub hash: DcChainHashSetup,
    /// The compression (second entry).
    pub dc: DcSessionSetup,
}

impl DcChainSetup {
    /// Hash then compress with `hash` and `dc`.
    pub fn hash_then_compress(hash: DcChainHashSetup, dc: DcSessionSetup) -> DcChainSetup {
        DcChainSetup {
            operation: DcChainOperation::HashThenCompress,
            hash,
            dc,
        }
    }

    /// Checks the setup as qatlib does; the statuses are qatlib's, except
    /// that chains and modes qatlib implements and softqat does not are
    /// UNSUPPORTED.
    pub(crate) fn validate(&self) -> Result<()> {
        if !self.operation.is_supported() {
            return Err(Error::unsupported(format!(
                "chain operation {:?} is not supported by softqat endpoints: use \
                 CPA_DC_CHAIN_HASH_THEN_COMPRESS",
                self.operation
            )));
        }
        let h = &self.hash;
        if h.digest_is_appended {
            return Err(Error::invalid(
                "chaining does not support an appended digest: set digestIsAppended to \
                 CPA_FALSE and pass pDigestResult",
            ));
        }
        match h.mode {
            HashMode::Plain => {}
            HashMode::Nested => {
                return Err(Error::invalid(
                    "chaining does not support nested hashes: use CPA_CY_SYM_HASH_MODE_PLAIN",
                ))
            }
            _ => {
                return Err(Error::unsupported(
                    "softqat chains plain hashes only (no HMAC): use CPA_CY_SYM_HASH_MODE_PLAIN",
                ))
            }
        }
        let max = match h.algorithm {
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha224 => 28,
            HashAlgorithm::Sha256 => 32,
            other => {
                return Err(Error::invalid(format!(
                    "hash algorithm {other:?} cannot be chained: chaining takes SHA1, SHA224 \
                     or SHA256"
                )))
            }
        };
        if h.digest_len == 0 || h.digest_len > max {
            return Err(Error::invalid(format!(
                "digestResultLenInBytes {} is outside 1..={max} for {:?}",
                h.digest_len, h.algorithm
            )));
        }
        if h.verify_digest {
            return Err(Error::unsupported(
                "hash then compress generates the digest: set verifyDigest to CPA_FALSE",
            ));
        }
        let dc = &self.dc;
        if dc.direction != SessionDirection::Compress {
            return Err(Error::invalid(
                "hash then compress needs a compression session of sessDirection \
                 CPA_DC_DIR_COMPRESS",
            ));
        }
        if dc.state == SessionState::Stateful {
            return Err(Error::invalid(
                "chaining supports only stateless sessions: set sessState to CPA_DC_STATELESS",
            ));
        }
        if dc.huff_type == HuffType::Precomp {
            return Err(Error::invalid(
                "chaining does not support precompiled Huffman trees: use CPA_DC_HT_STATIC or \
                 CPA_DC_HT_FULL_DYNAMIC",
            ));
        }
        if dc.comp_type != CompType::Deflate {
            return Err(Error::unsupported(
                "chaining compresses with deflate only: set compType to CPA_DC_DEFLATE",
            ));
        }
        Ok(())
    }
}

/// A chained request's data (`cpaDcChainPerformOp`'s two op data entries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DcChainOpData {
    /// The compression step: flush FINAL or FULL, compress-and-verify on.
    pub dc: DcOpData,
    /// The hashed region of the source (`hashStartSrcOffsetInBytes`,
    /// `messageLenToHashInBytes`); `None` hashes the whole source.
    pub hash_region: Option<(u32, u32)>,
}

impl DcChainOpData {
    /// The whole source hashed, then compressed with `flush`.
    pub fn new(flush: FlushFlag) -> DcChainOpData {
        DcChainOpData {
            dc: DcOpData::new(flush),
            hash_region: None,
        }
    }

    /// Checks the request as qatlib does.
    fn validate(&self) -> Result<()> {
        if matches!(self.dc.flush, FlushFlag::Sync | FlushFlag::None) {
            return Err(Error::invalid(
                "chained compression takes CPA_DC_FLUSH_FINAL or CPA_DC_FLUSH_FULL",
            ));
        }
        if !self.dc.compress_and_verify {
            return Err(Error::unsupported(
                "chained compression without verification is not allowed (as on QAT): set \
                 compressAndVerify",
            ));
        }
        Ok(())
    }
}

/// A chaining session (`CpaDcSessionHandle` of `cpaDcChainInitSession`).
#[derive(Clone)]
pub struct DcChainSession {
    dc: DcSession,
    hash: DcChainHashSetup,
}

impl std::fmt::Debug for DcChainSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DcChainSession")
            .field("hash", &self.hash)
            .field("dc", &self.dc)
            .finish()
    }
}

impl DcChainSession {
    /// The hash step's setup.
    pub fn hash(&self) -> &DcChainHashSetup {
        &self.hash
    }

    /// Digest bytes each request writes.
    pub fn digest_len(&self) -> usize {
        self.hash.digest_len as usize
    }

    /// The compression session underneath.
    pub fn dc(&self) -> &DcSession {
        &self.dc
    }

    /// Requests in flight (see [`DcSession::foreign_in_flight`]).
    pub fn foreign_in_flight(&self) -> usize {
        self.dc.foreign_in_flight()
    }
}

/// The completion of an asynchronous chained request.
pub struct DcChainCompletion {
    /// The tag given at submission.
    pub tag: u64,
    /// The callback status.
    pub status: CpaStatus,
    /// The compression results (the hash has no results of its own).
    pub results: DcResults,
    /// The source, returned.
    pub src: DmaBuf,
    /// The destination, its length set to `produced`.
    pub dst: DmaBuf,
    /// The digest buffer, holding the digest in its first bytes.
    pub digest: DmaBuf,
}

/// The callback of an asynchronous chaining session.
pub type DcChainCallback = Arc<dyn Fn(DcChainCompletion) + Send + Sync>;

/// A refused asynchronous chained request: the error and the buffers.
pub struct ChainRejected {
    /// Why.
    pub error: Error,
    /// The source, returned.
    pub src: DmaBuf,
    /// The destination, returned.
    pub dst: DmaBuf,
    /// The digest buffer, returned.
    pub digest: DmaBuf,
}

/// Adds the hash of `op` on `session` to a compression descriptor.
fn with_hash(
    mut desc: RequestDesc,
    session: &DcChainSession,
    op: &DcChainOpData,
    src_len: u32,
    digest: Iova,
) -> RequestDesc {
    let mut p: DcRequestParams = desc.params();
    let (start, len) = op.hash_region.unwrap_or((0, src_len));
    p.hash_alg = session.hash.algorithm as u8;
    p.digest_len = session.hash.digest_len as u8;
    p.hash_offset = start;
    p.hash_len = len;
    p.digest = digest;
    desc.set_params(&p);
    desc
}

impl DcInstance {
    fn new_chain_session(&self, setup: &DcChainSetup, mode: SessionMode) -> Result<DcChainSession> {
        setup.validate()?;
        Ok(DcChainSession {
            dc: self.new_session(&setup.dc, mode)?,
            hash: setup.hash,
        })
    }

    /// `cpaDcChainInitSession` with no callback: synchronous requests.
    pub fn init_chain_session(&self, setup: &DcChainSetup) -> Result<DcChainSession> {
        self.new_chain_session(setup, SessionMode::Sync)
    }

    /// `cpaDcChainInitSession` with a callback: requests are submitted with
    /// [`submit_chain`](Self::submit_chain) and complete inside the poll.
    pub fn init_chain_session_async(
        &self,
        setup: &DcChainSetup,
        callback: impl Fn(DcChainCompletion) + Send + Sync + 'static,
    ) -> Result<DcChainSession> {
        let cb: DcChainCallback = Arc::new(callback);
        self.new_chain_session(setup, SessionMode::Chain(cb))
    }

    /// `cpaDcChainInitSession` for a foreign caller (the C ABI): with a
    /// callback requests complete through it, without they are synchronous.
    pub fn init_chain_session_foreign(
        &self,
        setup: &DcChainSetup,
        callback: Option<crate::dc::foreign::ForeignCallback>,
    ) -> Result<DcChainSession> {
        let mode = match callback {
            Some(cb) => SessionMode::Foreign(cb),
            None => SessionMode::Sync,
        };
        self.new_chain_session(setup, mode)
    }

    /// Checks a request's region against the source and the digest room.
    fn chain_checks(
        &self,
        session: &DcChainSession,
        op: &DcChainOpData,
        src_len: usize,
        digest_room: usize,
    ) -> Result<()> {
        let r = op.validate().and_then(|()| {
            if let Some((start, len)) = op.hash_region {
                if u64::from(start) + u64::from(len) > src_len as u64 {
                    return Err(Error::invalid(
                        "the hashed region (hashStartSrcOffsetInBytes + messageLenToHashInBytes) \
                         runs past the end of the source",
                    ));
                }
            }
            if digest_room < session.digest_len() {
                return Err(Error::invalid(
                    "the digest buffer is shorter than digestResultLenInBytes",
                ));
            }
            Ok(())
        });
        if r.is_err() {
            self.inner.stats.of(true).submitted(false);
        }
        r
    }

    /// Refuses integrity CRCs on the DmaBuf chaining calls, which have no
    /// `pCrcData` to report them in (the C ABI's chained requests have).
    fn no_integrity(&self, op: &DcChainOpData) -> Result<()> {
        if op.dc.integrity.is_none() {
            return Ok(());
        }
        self.inner.stats.of(true).submitted(false);
        Err(Error::unsupported(
            "integrity CRCs on chained requests are reported through pCrcData only \
             (cpaDcChainPerformOp2 in the C ABI): leave DcOpData::integrity None here",
        ))
    }

    /// `cpaDcChainPerformOp` (HASH_THEN_COMPRESS) on a synchronous session:
    /// hashes `src` (or the op's region of it) into `digest` and compresses
    /// it into `dst`.
    pub fn chain_perform(
        &self,
        session: &DcChainSession,
        src: &[u8],
        dst: &mut [u8],
        digest: &mut [u8],
        op: &DcChainOpData,
    ) -> Result<DcResults> {
        let s = self.sync_session(&session.dc, true)?;
        if src.len() > u32::MAX as usize || dst.len() > u32::MAX as usize {
            self.inner.stats.of(true).submitted(false);
            return Err(Error::invalid(
                "a single request is limited to 4 GB: split the data",
            ));
        }
        self.no_integrity(op)?;
        self.chain_checks(session, op, src.len(), digest.len())?;
        let n = session.digest_len();
        if !self.inner.core.bounce {
            let desc = Self::request(s, true, slice_desc(src), slice_desc_mut(dst), &op.dc, false);
            let digest_at = Iova(digest.as_mut_ptr() as u64);
            let desc = with_hash(desc, session, op, src.len() as u32, digest_at);
            return self.call(true, &desc);
        }
        // Managed mode: the destination and the digest share one bounce
        // buffer (the digest after the output), registered with the daemon.
        let out_len = dst
            .len()
            .min(crate::dc::max_output(&s.setup, true, src.len()));
        let bounce = match Bounce::take(src, out_len + n) {
            Ok(b) => b,
            Err(e) => {
                self.inner.stats.of(true).submitted(false);
                return Err(e);
            }
        };
        let dst_desc = BufferDesc::flat(bounce.dst.iova(), out_len as u32);
        let digest_at = Iova(bounce.dst.iova().0 + out_len as u64);
        let desc = Self::request(s, true, bounce.src.desc(), dst_desc, &op.dc, false);
        let desc = with_hash(desc, session, op, src.len() as u32, digest_at);
        let results = self.call(true, &desc);
        if let Ok(r) = &results {
            let k = (r.produced as usize).min(dst.len()).min(out_len);
            dst[..k].copy_from_slice(&bounce.dst[..k]);
            digest[..n].copy_from_slice(&bounce.dst[out_len..out_len + n]);
        }
        bounce.give_back();
        results
    }

    /// `cpaDcChainPerformOp` on an asynchronous session: the buffers move
    /// into the request and come back in the [`DcChainCompletion`], the
    /// digest in the first bytes of `digest`.
    #[allow(clippy::result_large_err)]
    pub fn submit_chain(
        &self,
        session: &DcChainSession,
        src: DmaBuf,
        dst: DmaBuf,
        digest: DmaBuf,
        op: &DcChainOpData,
        tag: u64,
    ) -> std::result::Result<(), ChainRejected> {
        // Not boxed: refusing a request (a full ring's RETRY) allocates
        // nothing, and the caller's buffers come back by value.
        let refuse = |error, src, dst, digest| {
            Err(ChainRejected {
                error,
                src,
                dst,
                digest,
            })
        };
        let s = &session.dc.inner;
        if !matches!(s.mode, SessionMode::Chain(_)) {
            self.inner.stats.of(true).submitted(false);
            let e = Error::invalid(
                "this session has no chaining callback: use chain_perform (synchronous), or \
                 create the session with init_chain_session_async",
            );
            return refuse(e, src, dst, digest);
        }
        if let Err(e) = self.check_ready(s, true) {
            self.inner.stats.of(true).submitted(false);
            return refuse(e, src, dst, digest);
        }
        if let Err(e) = self
            .no_integrity(op)
            .and_then(|()| self.chain_checks(session, op, src.len(), digest.len()))
        {
            return refuse(e, src, dst, digest);
        }
        let desc = Self::request(s, true, src.desc(), dst.desc(), &op.dc, false);
        let desc = with_hash(desc, session, op, src.len() as u32, digest.iova());
        let cookie = DcCookie::Chain {
            session: s.clone(),
            tag,
            src,
            dst,
            digest,
        };
        match self.inner.core.submit(&desc, cookie) {
            Ok(()) => {
                self.inner.stats.of(true).submitted(true);
                Ok(())
            }
            Err(DcCookie::Chain {
                src, dst, digest, ..
            }) => {
                self.inner.stats.of(true).submitted(false);
                refuse(self.inner.core.ring_full(), src, dst, digest)
            }
            Err(_) => unreachable!("the ring hands back the cookie it was given"),
        }
    }

    /// A chained request on a foreign caller's buffers (the C ABI): the
    /// digest goes to `digest`, which must name `digest_len` writable bytes.
    /// Synchronous sessions return the status and results; asynchronous
    /// ones submit and complete through the session's foreign callback with
    /// `words` (tag, results).
    ///
    /// # Safety
    /// As [`DcInstance::call_foreign`] / [`DcInstance::submit_foreign`],
    /// for `digest` too.
    #[allow(unsafe_code, clippy::too_many_arguments)]
    pub unsafe fn chain_foreign(
        &self,
        session: &DcChainSession,
        src: BufferDesc,
        src_len: u64,
        dst: BufferDesc,
        digest: Iova,
        op: &DcChainOpData,
        words: (usize, usize),
    ) -> Result<Option<(CpaStatus, DcResults)>> {
        let s = &session.dc.inner;
        if !matches!(s.mode, SessionMode::Sync | SessionMode::Foreign(_)) {
            self.inner.stats.of(true).submitted(false);
            return Err(Error::invalid(
                "this session was created for DmaBuf requests: use chain_perform or \
                 submit_chain, or create it with init_chain_session_foreign",
            ));
        }
        if let Err(e) = self.check_ready(s, true) {
            self.inner.stats.of(true).submitted(false);
            return Err(e);
        }
        self.chain_checks(session, op, src_len as usize, session.digest_len())?;
        // Integrity CRCs (`integrityCrcCheck`) go to the caller's pCrcData
        // as for a plain request, computed with the chaining session's CRC64
        // (`cpaDcChainSetCrcControlData`).
        let crc = self.foreign_integrity(&op.dc, true)?;
        let mut desc = Self::request(s, true, src, dst, &op.dc, false);
        crate::dc::foreign::with_crc_request(&mut desc, crc);
        let desc = with_hash(
            desc,
            session,
            op,
            src_len.min(u32::MAX as u64) as u32,
            digest,
        );
        if !matches!(s.mode, SessionMode::Foreign(_)) {
            let (mut status, mut results) = self.call_with_status(true, &desc)?;
            // SAFETY: the buffers and the CRC record are the caller's
            // memory, valid for the call (this function's contract).
            unsafe {
                crate::dc::foreign::verify_foreign(
                    s,
                    crc,
                    desc.src,
                    desc.dst,
                    &mut status,
                    &mut results,
                );
                results.crc = crate::dc::foreign::read_crc_record(crc);
            }
            return Ok(Some((status, results)));
        }
        let cookie = DcCookie::Foreign {
            session: s.clone(),
            tag: words.0,
            results: words.1,
            src: desc.src,
            dst: desc.dst,
            crc,
            last: false,
        };
        let ok = self.inner.core.submit(&desc, cookie).is_ok();
        self.inner.stats.of(true).submitted(ok);
        if ok {
            Ok(None)
        } else {
            Err(self.inner.core.ring_full())
        }
    }
}
