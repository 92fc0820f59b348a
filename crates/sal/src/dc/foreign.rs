//! Compression requests on a foreign caller's memory: the buffers of a C
//! program (the C ABI, `libqat.so.4`), named by address rather than owned by
//! the SAL.
//!
//! A C caller describes its buffers itself (a flat buffer, or a
//! scatter-gather table it wrote into its `pPrivateMetaData`) and keeps them
//! alive until the response is consumed, as the CPA API requires. The SAL
//! puts the descriptors on the ring unchanged; completions go to the
//! session's [`ForeignCallback`] with the caller's two words (its callback
//! tag and where its results go), inside the poll call, with no allocation.
//!
//! In embedded mode the endpoint reaches the addresses directly
//! (passthrough); in managed mode `softqatd` checks every address against
//! the memory the process registered (USDM slabs) and refuses the rest with
//! an error response, like an IOMMU fault.

use std::sync::Arc;

use softqat_device::desc::BufferDesc;

use crate::dc::instance::{DcCookie, DcInstance};
use crate::dc::{DcOpData, DcResults, DcSession, FlushFlag, SessionMode};
use crate::error::{CpaStatus, Error, Result};

/// Where a foreign session's completions go: `(tag, results, status,
/// results data)`, the first two being the words given at submission.
pub type ForeignCallback = Arc<dyn Fn(usize, usize, CpaStatus, &DcResults) + Send + Sync>;

impl DcInstance {
    /// `cpaDcInitSession` / `cpaDcDpInitSession` for a foreign caller: with
    /// a callback, requests complete through it ([`submit_foreign`] and
    /// [`stage_foreign`]); without, they are synchronous ([`call_foreign`]).
    ///
    /// [`submit_foreign`]: DcInstance::submit_foreign
    /// [`stage_foreign`]: DcInstance::stage_foreign
    /// [`call_foreign`]: DcInstance::call_foreign
    pub fn init_session_foreign(
        &self,
        setup: &crate::dc::DcSessionSetup,
        callback: Option<ForeignCallback>,
    ) -> Result<DcSession> {
        self.init_session_foreign_with_context(setup, callback, None)
    }

    /// [`init_session_foreign`](Self::init_session_foreign) for a session
    /// that may be stateful: its stream state lives in `context`, the
    /// caller's context buffer (`pContextBuffer`), which must hold
    /// [`context_size`](DcInstance::context_size) bytes, stay valid and be
    /// used for nothing else until the session is removed. `None` for a
    /// stateful session: the SAL allocates the context.
    pub fn init_session_foreign_with_context(
        &self,
        setup: &crate::dc::DcSessionSetup,
        callback: Option<ForeignCallback>,
        context: Option<BufferDesc>,
    ) -> Result<DcSession> {
        let mode = match callback {
            Some(cb) => SessionMode::Foreign(cb),
            None => SessionMode::Sync,
        };
        self.new_session_with_context(setup, mode, context)
    }

    /// A synchronous request (the session has no callback) on buffers
    /// described by the caller: the response's status and results, whatever
    /// the status; an error if the request was not carried out.
    ///
    /// # Safety
    /// `src` and `dst` (and a scatter-gather table they name) must be
    /// memory of this process, readable (`src`) and writable (`dst`), valid
    /// for the whole call and not used otherwise meanwhile.
    #[allow(unsafe_code)]
    pub unsafe fn call_foreign(
        &self,
        session: &DcSession,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        op: &DcOpData,
    ) -> Result<(CpaStatus, DcResults)> {
        let s = self.sync_session(session, compress)?;
        self.stream_begin(s, compress, op)?;
        let desc = Self::request(s, compress, src, dst, op, false);
        let last = op.flush == FlushFlag::Final;
        let (status, mut results) = self.call_with_status_on(s, compress, &desc, last)?;
        if compress {
            if let Some(x) = &s.xxh {
                let last = op.flush == FlushFlag::Final;
                // SAFETY: `src` is this process's memory, valid for the call
                // (this function's contract).
                x.complete(status, last, &mut results, |st, n| unsafe {
                    feed_desc(st, src, n)
                });
            }
        }
        Ok((status, results))
    }

    fn foreign_session<'a>(
        &self,
        session: &'a DcSession,
        compress: bool,
    ) -> Result<&'a Arc<crate::dc::SessionInner>> {
        let s = &session.inner;
        if !matches!(s.mode, SessionMode::Foreign(_)) {
            self.inner.stats.of(compress).submitted(false);
            return Err(Error::invalid(
                "this session has no callback: its requests are synchronous",
            ));
        }
        if let Err(e) = self.check_ready(s, compress) {
            self.inner.stats.of(compress).submitted(false);
            return Err(e);
        }
        Ok(s)
    }

    /// An asynchronous request: submitted now; its completion runs the
    /// session's callback with `tag` and `results` inside a poll call.
    ///
    /// # Safety
    /// As for [`call_foreign`](Self::call_foreign), from submission until
    /// the completion has run.
    #[allow(unsafe_code, clippy::too_many_arguments)]
    pub unsafe fn submit_foreign(
        &self,
        session: &DcSession,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        op: &DcOpData,
        tag: usize,
        results: usize,
    ) -> Result<()> {
        self.enqueue_foreign(session, compress, src, dst, op, (tag, results), false)
    }

    /// A data-plane request (`cpaDcDpEnqueueOp`): queued, sent by
    /// [`dp_perform_now`](Self::dp_perform_now); its completion runs the
    /// session's callback.
    ///
    /// # Safety
    /// As for [`submit_foreign`](Self::submit_foreign).
    #[allow(unsafe_code, clippy::too_many_arguments)]
    pub unsafe fn stage_foreign(
        &self,
        session: &DcSession,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        op: &DcOpData,
        tag: usize,
        results: usize,
    ) -> Result<()> {
        self.enqueue_foreign(session, compress, src, dst, op, (tag, results), true)
    }

    /// Puts a foreign request on the ring: published at once, or staged
    /// for the data plane's perform-now.
    #[allow(clippy::too_many_arguments)]
    fn enqueue_foreign(
        &self,
        session: &DcSession,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        op: &DcOpData,
        (tag, results): (usize, usize),
        dp: bool,
    ) -> Result<()> {
        let s = self.foreign_session(session, compress)?;
        self.stream_begin(s, compress, op)?;
        let desc = Self::request(s, compress, src, dst, op, dp);
        let cookie = DcCookie::Foreign {
            session: s.clone(),
            tag,
            results,
            src,
            last: op.flush == FlushFlag::Final,
        };
        let queued = if dp {
            self.inner.core.stage(&desc, cookie)
        } else {
            self.inner.core.submit(&desc, cookie)
        };
        let ok = queued.is_ok();
        self.inner.stats.of(compress).submitted(ok);
        if let (false, Some(st)) = (ok, &s.stream) {
            st.abort();
        }
        if ok {
            Ok(())
        } else {
            Err(self.inner.core.ring_full())
        }
    }

    /// Free slots on the request ring (a data-plane batch must fit whole).
    pub fn ring_room(&self) -> u32 {
        self.inner.core.room()
    }
}

impl DcSession {
    /// Whether requests complete through a callback (asynchronous).
    pub fn has_callback(&self) -> bool {
        matches!(
            self.inner.mode,
            SessionMode::Async(_)
                | SessionMode::AsyncList(_)
                | SessionMode::Foreign(_)
                | SessionMode::Chain(_)
        )
    }

    /// Requests in flight on this session, for a caller that holds no
    /// other handle of it (each request in flight holds one).
    pub fn foreign_in_flight(&self) -> usize {
        Arc::strong_count(&self.inner) - 1
    }
}

/// Feeds the first `n` bytes of the buffer `src` names to `st`.
///
/// # Safety
/// `src` (and its scatter-gather table) is readable memory of this process.
#[allow(unsafe_code)]
pub(crate) unsafe fn feed_desc(
    st: &mut softqat_engine::checksum::Xxh32State,
    src: BufferDesc,
    mut n: usize,
) {
    use softqat_device::desc::{SglEntry, BUF_SGL};
    let mut one = |addr: u64, len: u32, n: &mut usize| {
        let take = (len as usize).min(*n);
        if take > 0 && addr != 0 {
            // SAFETY: the caller's contract.
            st.update(unsafe { std::slice::from_raw_parts(addr as *const u8, take) });
        }
        *n -= take;
    };
    if src.kind != BUF_SGL {
        one(src.addr.0, src.len, &mut n);
        return;
    }
    for i in 0..src.len as usize {
        if n == 0 || src.addr.0 == 0 {
            break;
        }
        // SAFETY: the caller's contract: the table has `src.len` entries.
        let e: SglEntry =
            unsafe { std::ptr::read_unaligned((src.addr.0 as *const SglEntry).add(i)) };
        one(e.addr.0, e.len, &mut n);
    }
}
