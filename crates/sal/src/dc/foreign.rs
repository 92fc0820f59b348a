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

use crate::dc::dp::DpExtras;
use crate::dc::instance::{DcCookie, DcInstance};
use crate::dc::{DcOpData, DcResults, DcSession, FlushFlag, IntegrityCheck, SessionMode};
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
        // SAFETY: the caller's contract.
        unsafe { self.call_foreign_dict(session, compress, src, dst, op, None) }
    }

    /// [`call_foreign`](Self::call_foreign) with a preset dictionary
    /// (checked by the caller: see [`crate::dc::dict`]).
    ///
    /// # Safety
    /// As for [`call_foreign`](Self::call_foreign); the dictionary is
    /// readable memory of this process, valid for the call.
    #[allow(unsafe_code)]
    pub(crate) unsafe fn call_foreign_dict(
        &self,
        session: &DcSession,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        op: &DcOpData,
        dict: Option<BufferDesc>,
    ) -> Result<(CpaStatus, DcResults)> {
        let s = self.sync_session(session, compress)?;
        let crc = self.foreign_integrity(op, compress)?;
        self.stream_begin(s, compress, op)?;
        let mut desc = Self::request(s, compress, src, dst, op, false);
        with_crc_request(&mut desc, crc);
        if let Some(d) = dict {
            crate::dc::dict::with_dict(&mut desc, d);
        }
        let last = op.flush == FlushFlag::Final;
        let (mut status, mut results) = self.call_with_status_on(s, compress, &desc, last)?;
        // SAFETY: the buffers and the CRC record are this process's memory,
        // valid for the call (this function's contract).
        unsafe { verify_foreign(s, crc, src, dst, &mut status, &mut results) };
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

    /// The integrity CRCs of a foreign request: they go to the caller's
    /// `pCrcData` (`crc_data`), which must be given.
    pub(crate) fn foreign_integrity(
        &self,
        op: &DcOpData,
        compress: bool,
    ) -> Result<Option<(IntegrityCheck, u8)>> {
        let crc = self.integrity(op).and_then(|c| match c {
            Some((check, _)) if check.crc_data.is_none() => Err(Error::invalid(
                "integrityCrcCheck is set but pCrcData is NULL: give a CpaCrcData in memory \
                 from qaeMemAllocNUMA",
            )),
            c => Ok(c),
        });
        if crc.is_err() {
            self.inner.stats.of(compress).submitted(false);
        }
        crc
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
        let extras = DpExtras::default();
        // SAFETY: the caller's contract.
        unsafe { self.stage_foreign_with(session, compress, src, dst, op, (tag, results), extras) }
    }

    /// [`stage_foreign`](Self::stage_foreign) with a partial read
    /// (`cpaDcDpEnqueueOpWithPartRead`) or zero padding
    /// (`cpaDcDpEnqueueOpWithZeroPad`), checked as
    /// [`dp_check_extras`](Self::dp_check_extras) does; `dst_len` is the
    /// destination's `bufferLenForData`.
    ///
    /// # Safety
    /// As for [`submit_foreign`](Self::submit_foreign).
    #[allow(unsafe_code, clippy::too_many_arguments)]
    pub unsafe fn stage_foreign_with(
        &self,
        session: &DcSession,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        op: &DcOpData,
        words: (usize, usize),
        extras: DpExtras,
    ) -> Result<()> {
        if let Err(e) = self.dp_check_extras(&session.inner, compress, &extras) {
            self.inner.stats.of(compress).submitted(false);
            return Err(e);
        }
        self.enqueue_foreign_with(session, compress, src, dst, op, words, Some(extras), None)
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
        words: (usize, usize),
        dp: bool,
    ) -> Result<()> {
        let extras = dp.then(DpExtras::default);
        self.enqueue_foreign_with(session, compress, src, dst, op, words, extras, None)
    }

    /// Puts a foreign request on the ring: a data-plane one (`dp` given:
    /// staged, with its extras) or a traditional one (published), with its
    /// preset dictionary if any.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn enqueue_foreign_with(
        &self,
        session: &DcSession,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        op: &DcOpData,
        (tag, results): (usize, usize),
        dp: Option<DpExtras>,
        dict: Option<BufferDesc>,
    ) -> Result<()> {
        let s = self.foreign_session(session, compress)?;
        // The data plane has no integrity CRCs (CpaDcDpOpData has no such
        // fields).
        let crc = match dp {
            Some(_) => None,
            None => self.foreign_integrity(op, compress)?,
        };
        self.stream_begin(s, compress, op)?;
        let mut desc = Self::request(s, compress, src, dst, op, dp.is_some());
        with_crc_request(&mut desc, crc);
        if let Some(extras) = &dp {
            extras.apply(&mut desc);
        }
        if let Some(d) = dict {
            crate::dc::dict::with_dict(&mut desc, d);
        }
        let dp = dp.is_some();
        let cookie = DcCookie::Foreign {
            session: s.clone(),
            tag,
            results,
            src,
            dst,
            crc,
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

/// Asks the endpoint for a foreign request's integrity CRCs, written to the
/// caller's `pCrcData`.
pub(crate) fn with_crc_request(
    desc: &mut softqat_device::desc::RequestDesc,
    crc: Option<(IntegrityCheck, u8)>,
) {
    if let Some((
        IntegrityCheck {
            crc_data: Some(at), ..
        },
        flag,
    )) = crc
    {
        crate::dc::integrity::request_crcs(desc, flag, at);
    }
}

/// The CRCs the endpoint wrote to a foreign request's `pCrcData`, for the
/// results (the C ABI's chained requests report them in
/// `CpaDcChainRqVResults`).
///
/// # Safety
/// The CRC record `crc` names is readable memory of this process.
#[allow(unsafe_code)]
pub(crate) unsafe fn read_crc_record(
    crc: Option<(IntegrityCheck, u8)>,
) -> Option<crate::dc::CrcData> {
    let at = crc?.0.crc_data?;
    // SAFETY: the caller's contract: the record is the caller's CpaCrcData.
    Some(unsafe { std::ptr::read_unaligned(at.0 as *const crate::dc::CrcData) })
}

/// `verifyHwIntegrityCrcs` for a foreign request: the CRCs computed again
/// over the caller's buffers, compared with what the endpoint wrote to its
/// `pCrcData`.
///
/// # Safety
/// `src`, `dst` (and their tables) and the CRC record are readable memory of
/// this process.
#[allow(unsafe_code)]
pub(crate) unsafe fn verify_foreign(
    session: &crate::dc::SessionInner,
    crc: Option<(IntegrityCheck, u8)>,
    src: BufferDesc,
    dst: BufferDesc,
    status: &mut CpaStatus,
    results: &mut DcResults,
) {
    use crate::dc::integrity::{failed_verification, to_verify, SoftwareCrcs};
    let Some((check, flag)) = crc else { return };
    let Some(at) = check.crc_data else { return };
    if !to_verify(Some(&check), *status, results) {
        return;
    }
    // SAFETY: the caller's contract: the record is the caller's CpaCrcData.
    let rec: crate::dc::CrcData =
        unsafe { std::ptr::read_unaligned(at.0 as *const crate::dc::CrcData) };
    let sw = SoftwareCrcs::new(flag, session.crc_params());
    let (i, o) = (results.consumed as usize, results.produced as usize);
    // SAFETY: the caller's contract.
    let ok = sw.matches(
        &rec,
        |f| unsafe { visit_desc(src, i, f) },
        |f| unsafe { visit_desc(dst, o, f) },
    );
    if !ok {
        failed_verification(status, results);
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
    n: usize,
) {
    // SAFETY: the caller's contract.
    unsafe { visit_desc(src, n, &mut |d| st.update(d)) }
}

/// Hands the first `n` bytes of the buffer `src` names to `f`, segment by
/// segment.
///
/// # Safety
/// `src` (and its scatter-gather table) is readable memory of this process.
#[allow(unsafe_code)]
pub(crate) unsafe fn visit_desc(src: BufferDesc, mut n: usize, f: &mut dyn FnMut(&[u8])) {
    use softqat_device::desc::{SglEntry, BUF_SGL};
    let mut one = |addr: u64, len: u32, n: &mut usize| {
        let take = (len as usize).min(*n);
        if take > 0 && addr != 0 {
            // SAFETY: the caller's contract.
            f(unsafe { std::slice::from_raw_parts(addr as *const u8, take) });
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
