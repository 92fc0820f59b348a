//! Symmetric requests on a foreign caller's memory: the buffers, AAD and
//! digest of a C program (the C ABI, `libqat.so.4`), named by address
//! rather than owned by the SAL.
//!
//! The caller describes its buffers itself (a flat buffer, or a
//! scatter-gather table it wrote into its `pPrivateMetaData`, or a
//! data-plane `CpaPhysBufferList`) and keeps them alive until the response
//! is consumed, as the CPA API requires. What the descriptor carries:
//!
//! - the IV is copied into the descriptor (at most 16 bytes: the request
//!   owns it from submission, and a caller may reuse its `pIv` at once);
//! - the AAD and a separate digest are named by address and read or written
//!   by the endpoint in place. The AAD is in the C layout: for CCM, B0 and
//!   the 2-byte AAD length come first and the AAD starts at byte 18, so the
//!   endpoint reads `18 + aadLenInBytes` bytes from it;
//! - the source and destination are the caller's descriptors, unchanged.
//!
//! Completions go to the session's [`SymForeignCallback`] with the caller's
//! words ([`ForeignWords`]: its tag, op data and destination), inside the
//! poll call, with nothing allocated per request. A session without a
//! callback is synchronous: [`CyInstance::call_foreign`] waits for its
//! response (polling the instance itself, so it completes whether or not
//! another thread polls).
//!
//! In embedded mode the endpoint reaches the addresses directly; in managed
//! mode `softqatd` checks every address against the memory the process
//! registered (USDM slabs) and refuses the rest with an error response.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use softqat_device::desc::{BufferDesc, RequestDesc};
use softqat_device::firmware::sym::{AeadKind, CCM_AAD_OFFSET};
use softqat_device::Iova;

use super::instance::{AuxAddrs, CyCookie, CyInstance};
use super::{
    PacketType, SessionFacts, SymMode, SymOp, SymResults, SymSession, SymSessionInner,
    SymSessionSetup,
};
use crate::error::{CpaStatus, Error, Result};

/// The caller's words for one request, given back at its completion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ForeignWords {
    /// `pCallbackTag`.
    pub tag: usize,
    /// The caller's op data (`pOpData`).
    pub op: usize,
    /// The caller's destination (`pDstBuffer`).
    pub dst: usize,
}

/// Where a foreign session's completions go: `(words, status, operation,
/// results)`, run inside the poll call that consumes the response.
pub type SymForeignCallback =
    Arc<dyn Fn(ForeignWords, CpaStatus, SymOp, &SymResults) + Send + Sync>;

/// One request on memory named by address (`CpaCySymOpData`,
/// `CpaCySymDpOpData`).
#[derive(Clone, Copy, Debug)]
pub struct ForeignSymOp<'a> {
    /// `packetType`.
    pub packet: PacketType,
    /// The IV, copied into the descriptor: at most 16 bytes; for CCM the
    /// nonce alone (7 to 13 bytes, `pIv[1..]` in the C layout).
    pub iv: &'a [u8],
    /// `cryptoStartSrcOffsetInBytes`.
    pub cipher_offset: u32,
    /// `messageLenToCipherInBytes`.
    pub cipher_len: u32,
    /// `hashStartSrcOffsetInBytes`.
    pub hash_offset: u32,
    /// `messageLenToHashInBytes`.
    pub hash_len: u32,
    /// `pAdditionalAuthData` (0: none), in the C layout.
    pub aad: Iova,
    /// `pDigestResult` (0: none).
    pub digest: Iova,
    /// Bytes of the source when the caller knows them: the regions and an
    /// appended digest are checked against it before submission (otherwise
    /// the endpoint refuses a request that does not fit, in its response).
    pub src_len: Option<u64>,
}

/// Why a CCM request without `pAdditionalAuthData` is refused.
const CCM_NEEDS_AAD: &str = "an AES-CCM request needs pAdditionalAuthData: B0 (16 bytes), the \
    2-byte AAD length and the AAD from byte 18 (CPA_CY_SYM_CCM_SET_NONCE / _SET_AAD), even \
    with no AAD";
/// Why a request without the AAD its session expects is refused.
const AAD_MISSING: &str = "the session has an aadLenInBytes but pAdditionalAuthData is NULL: \
    pass the AAD (SNOW 3G UIA2 / ZUC EIA3: their 16-byte IV)";

impl SymSession {
    /// Bytes the endpoint reads at a foreign request's `pAdditionalAuthData`
    /// (the C layout: for CCM 18 + `aadLenInBytes`, else `aadLenInBytes`).
    pub fn foreign_aad_len(&self) -> usize {
        let f = self.inner.facts();
        match f.aead {
            Some(AeadKind::Ccm) => CCM_AAD_OFFSET + f.aad_len,
            _ => f.aad_len,
        }
    }

    /// `digestResultLenInBytes` (0 for a session without a hash).
    pub fn digest_len(&self) -> usize {
        let f = self.inner.facts();
        if f.hashes {
            f.digest_len
        } else {
            0
        }
    }
}

/// Checks the regions and an appended digest against a source of `n`
/// bytes (static text: refusing allocates nothing).
fn check_regions(f: &SessionFacts, op: &ForeignSymOp<'_>, n: u64) -> Result<()> {
    let end = |off: u32, len: u32| u64::from(off) + u64::from(len);
    let ciphers = matches!(f.op, SymOp::Cipher | SymOp::AlgorithmChaining);
    if ciphers && end(op.cipher_offset, op.cipher_len) > n {
        return Err(Error::invalid(
            "the cipher region (cryptoStartSrcOffsetInBytes + messageLenToCipherInBytes) runs \
             past the end of the source buffer",
        ));
    }
    if f.hashes && f.aead.is_none() && end(op.hash_offset, op.hash_len) > n {
        return Err(Error::invalid(
            "the hash region (hashStartSrcOffsetInBytes + messageLenToHashInBytes) runs past \
             the end of the source buffer",
        ));
    }
    let digest_now = f.op != SymOp::Hash || op.packet != PacketType::Partial;
    if f.hashes && f.appended && digest_now {
        let at = if f.aead.is_some() {
            end(op.cipher_offset, op.cipher_len)
        } else {
            end(op.hash_offset, op.hash_len)
        };
        if at + f.digest_len as u64 > n {
            return Err(Error::invalid(
                "the digest is appended but the buffer has no room for it after the hashed \
                 region: leave digestResultLenInBytes bytes there",
            ));
        }
    }
    Ok(())
}

impl CyInstance {
    /// `cpaCySymInitSession` / `cpaCySymDpInitSession` for a foreign
    /// caller: with a callback, requests complete through it
    /// ([`submit_foreign`](Self::submit_foreign),
    /// [`stage_foreign`](Self::stage_foreign)); without, they are
    /// synchronous ([`call_foreign`](Self::call_foreign)).
    pub fn init_sym_session_foreign(
        &self,
        setup: &SymSessionSetup,
        callback: Option<SymForeignCallback>,
    ) -> Result<SymSession> {
        let mode = match callback {
            Some(cb) => SymMode::Foreign(cb),
            None => SymMode::Sync,
        };
        self.new_session(setup, mode)
    }

    /// Checks a foreign request and builds its descriptor. `dst` `None` is
    /// in place.
    fn foreign_desc(
        &self,
        s: &SymSessionInner,
        op: &ForeignSymOp<'_>,
        src: BufferDesc,
        dst: Option<BufferDesc>,
        dp: bool,
    ) -> Result<RequestDesc> {
        let f = s.facts();
        let aad_needed = f.aad_len > 0 || f.aead == Some(AeadKind::Ccm);
        if aad_needed && op.aad == Iova(0) {
            return Err(Error::invalid(if f.aead == Some(AeadKind::Ccm) {
                CCM_NEEDS_AAD
            } else {
                AAD_MISSING
            }));
        }
        // The lengths the caller's memory has are its contract; what the
        // session reads is checked by the endpoint.
        let aad = if op.aad == Iova(0) { 0 } else { usize::MAX };
        let digest = (op.digest != Iova(0)).then_some(usize::MAX);
        self.check(s, &f, op.packet, dst.is_none(), aad, digest)?;
        if let Some(n) = op.src_len {
            check_regions(&f, op, n)?;
        }
        let aux = AuxAddrs {
            aad: op.aad,
            digest: op.digest,
            raw: false,
        };
        let regions = [op.cipher_offset, op.cipher_len, op.hash_offset, op.hash_len];
        Self::request(
            s,
            &f,
            op.packet,
            op.iv,
            regions,
            aux,
            src,
            dst.unwrap_or(src),
            dp,
        )
    }

    /// A synchronous request (the session has no callback) on memory the
    /// caller describes: its results (`verify_ok` false when a verified
    /// digest did not match); an error if the request was refused or
    /// failed.
    ///
    /// # Safety
    /// `src` and `dst` (and a scatter-gather table they name), the AAD and
    /// the digest must be memory of this process, readable (and `dst` and
    /// the digest writable), valid for the whole call and not used
    /// otherwise meanwhile.
    #[allow(unsafe_code)]
    pub unsafe fn call_foreign(
        &self,
        session: &SymSession,
        op: &ForeignSymOp<'_>,
        src: BufferDesc,
        dst: Option<BufferDesc>,
    ) -> Result<SymResults> {
        let s = &session.inner;
        let refuse = |e: Error| {
            self.inner.stats.requests.submitted(false);
            Err(e)
        };
        if !matches!(s.mode, SymMode::Sync) {
            return refuse(Error::invalid(
                "this session has a callback or is a data-plane session: its requests complete \
                 through the callback",
            ));
        }
        let desc = match self.foreign_desc(s, op, src, dst, false) {
            Ok(d) => d,
            Err(e) => return refuse(e),
        };
        let partial = match Self::take_partial_turn(s, op.packet) {
            Ok(p) => p,
            Err(e) => return refuse(e),
        };
        let f = s.facts();
        let result = self.call(s, &desc, f.verify);
        if partial {
            s.partial_busy.store(false, Ordering::Release);
        }
        result
    }

    /// The session of a foreign asynchronous request.
    fn foreign_session<'a>(&self, session: &'a SymSession) -> Result<&'a Arc<SymSessionInner>> {
        let s = &session.inner;
        if !matches!(s.mode, SymMode::Foreign(_)) {
            return Err(Error::invalid(
                "this session has no callback: its requests are synchronous",
            ));
        }
        Ok(s)
    }

    /// An asynchronous request: submitted now (partial packets wait in the
    /// session for the one before them); its completion runs the session's
    /// callback with `words` inside a poll call.
    ///
    /// # Safety
    /// As for [`call_foreign`](Self::call_foreign), from submission until
    /// the completion has run.
    #[allow(unsafe_code)]
    pub unsafe fn submit_foreign(
        &self,
        session: &SymSession,
        op: &ForeignSymOp<'_>,
        src: BufferDesc,
        dst: Option<BufferDesc>,
        words: ForeignWords,
    ) -> Result<()> {
        let counters = &self.inner.stats.requests;
        let built = self
            .foreign_session(session)
            .and_then(|s| Ok((s, self.foreign_desc(s, op, src, dst, false)?)));
        let (s, desc) = match built {
            Ok(b) => b,
            Err(e) => {
                counters.submitted(false);
                return Err(e);
            }
        };
        let partial = op.packet != PacketType::Full;
        s.in_flight.fetch_add(1, Ordering::AcqRel);
        let cookie = CyCookie::Foreign {
            session: s.clone(),
            words,
            partial,
        };
        match self.submit_in_order(s, &desc, cookie, partial) {
            Ok(()) => {
                counters.submitted(true);
                Ok(())
            }
            Err(_) => {
                s.in_flight.fetch_sub(1, Ordering::AcqRel);
                counters.submitted(false);
                Err(self.ring_full())
            }
        }
    }

    /// Checks a data-plane request as [`stage_foreign`](Self::stage_foreign)
    /// would, queueing nothing: a batch is checked whole before any of it
    /// is queued.
    pub fn check_foreign_dp(
        &self,
        session: &SymSession,
        op: &ForeignSymOp<'_>,
        src: BufferDesc,
        dst: Option<BufferDesc>,
    ) -> Result<()> {
        let s = self.foreign_session(session)?;
        self.foreign_desc(s, op, src, dst, true).map(|_| ())
    }

    /// A data-plane request (`cpaCySymDpEnqueueOp`, FULL packets only):
    /// queued, sent by [`sym_dp_perform_now`](Self::sym_dp_perform_now);
    /// its completion runs the session's callback with `words`.
    ///
    /// # Safety
    /// As for [`submit_foreign`](Self::submit_foreign).
    #[allow(unsafe_code)]
    pub unsafe fn stage_foreign(
        &self,
        session: &SymSession,
        op: &ForeignSymOp<'_>,
        src: BufferDesc,
        dst: Option<BufferDesc>,
        words: ForeignWords,
    ) -> Result<()> {
        let counters = &self.inner.stats.requests;
        if op.packet != PacketType::Full {
            counters.submitted(false);
            return Err(Error::invalid(
                "data-plane requests are whole packets (FULL)",
            ));
        }
        let built = self
            .foreign_session(session)
            .and_then(|s| Ok((s, self.foreign_desc(s, op, src, dst, true)?)));
        let (s, desc) = match built {
            Ok(b) => b,
            Err(e) => {
                counters.submitted(false);
                return Err(e);
            }
        };
        s.in_flight.fetch_add(1, Ordering::AcqRel);
        let cookie = CyCookie::Foreign {
            session: s.clone(),
            words,
            partial: false,
        };
        match self.inner.core.stage(&desc, cookie) {
            Ok(()) => {
                counters.submitted(true);
                Ok(())
            }
            Err(_) => {
                s.in_flight.fetch_sub(1, Ordering::AcqRel);
                counters.submitted(false);
                Err(self.ring_full())
            }
        }
    }

    /// Free slots on the symmetric request ring (a data-plane batch must
    /// fit whole).
    pub fn sym_ring_room(&self) -> u32 {
        self.room()
    }
}
