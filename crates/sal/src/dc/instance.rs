//! Compression instances (`CpaInstanceHandle` of the DC service), built on
//! the [instance core](crate::instance): this module only turns sessions and
//! op data into descriptors and responses into [`DcResults`].

use std::sync::{Arc, Mutex};

use softqat_config::DeviceClass;
use softqat_device::desc::{
    BufferDesc, DcCommand, DcRequestParams, DcResponseResults, RequestDesc, ResponseDesc,
    ServiceId, DC_ALIGNED_END, DC_CNV, DC_CNVNR, DC_CNV_RECOVERED, DC_DATA_UNCOMPRESSED,
    DC_END_OF_LAST_BLOCK, REQ_DP,
};
use softqat_engine::DcStatus;

use crate::dc::dp::{DpCallback, DpCompletion, DpOp};
use crate::dc::stream::StreamState;
use crate::dc::{
    max_output, DcCallback, DcCapabilities, DcCompletion, DcListCallback, DcOpData, DcResults,
    DcSession, DcSessionSetup, DcStats, FlushFlag, SessionDirection, SessionInner, SessionMode,
    StatsCounters,
};
use crate::dma::{BufferList, DmaBuf};
use crate::error::{CpaStatus, Error, Result};
use crate::instance::{
    slice_desc, slice_desc_mut, Bounce, CallError, EventTarget, InstanceCore, InstanceEvent,
    InstanceInfo, Slot,
};
use crate::link::EndpointLink;
use crate::simulate;

/// Why the engine answered CPA_STATUS_RESOURCE: the only resource a
/// compression request takes on the engine is scratch memory (a request
/// over 64 KiB with compress-and-verify needs as much again, a
/// scatter-gather list as much again per direction). Static text: no
/// allocation on the request path.
const NO_SCRATCH: &str = "the endpoint had no memory for the request's scratch \
     (a request larger than 64 KiB needs about its own size again): raise the memory limit \
     of the process that runs the endpoints (`ulimit -v`; softqatd's in managed mode) \
     or submit smaller requests";

/// What the compression service keeps per asynchronous request.
pub(crate) enum DcCookie {
    Flat {
        session: Arc<SessionInner>,
        tag: u64,
        src: DmaBuf,
        dst: DmaBuf,
        /// The request had FLUSH_FINAL (ends an accumulated xxHash).
        last: bool,
    },
    List {
        session: Arc<SessionInner>,
        tag: u64,
        src: BufferList,
        dst: BufferList,
        /// The request had FLUSH_FINAL.
        last: bool,
    },
    Dp {
        /// Held so the content descriptor outlives the request.
        _session: Arc<SessionInner>,
        tag: u64,
        src: DmaBuf,
        dst: DmaBuf,
    },
    /// A request on a foreign caller's memory ([`crate::dc::foreign`]): the
    /// caller's two words go back to the session's foreign callback.
    Foreign {
        session: Arc<SessionInner>,
        tag: usize,
        results: usize,
        /// The request's source, in the caller's memory (for an
        /// accumulated xxHash and CRCs verified in software).
        src: BufferDesc,
        /// The request's destination (for CRCs verified in software).
        dst: BufferDesc,
        /// The integrity CRCs asked for.
        crc: Option<(crate::dc::IntegrityCheck, u8)>,
        /// The request had FLUSH_FINAL.
        last: bool,
    },
    /// A chained request (hash then compress) with its digest buffer.
    Chain {
        session: Arc<SessionInner>,
        tag: u64,
        src: DmaBuf,
        dst: DmaBuf,
        digest: DmaBuf,
    },
}

/// The buffers an asynchronous request can be made of: what goes in its
/// descriptor, which sessions take them, and their place in the cookie.
trait AsyncBuffer: Sized {
    /// Why a session that does not take these buffers refuses them.
    const WRONG_SESSION: &'static str;
    /// Whether a session of `mode` takes these buffers.
    fn session_takes(mode: &SessionMode) -> bool;
    /// The buffer's descriptor (a list writes its table first).
    fn desc(&mut self) -> Result<BufferDesc>;
    /// The cookie that carries the request's buffers.
    fn cookie(session: Arc<SessionInner>, tag: u64, src: Self, dst: Self, last: bool) -> DcCookie;
    /// The buffers of a cookie this type made.
    fn from_cookie(cookie: DcCookie) -> (Self, Self);
}

impl AsyncBuffer for DmaBuf {
    const WRONG_SESSION: &'static str = "this session has no callback for DmaBuf requests: use \
        compress/decompress (synchronous), or create the session with init_session_async";

    fn session_takes(mode: &SessionMode) -> bool {
        matches!(mode, SessionMode::Async(_))
    }

    fn desc(&mut self) -> Result<BufferDesc> {
        Ok(DmaBuf::desc(self))
    }

    fn cookie(session: Arc<SessionInner>, tag: u64, src: Self, dst: Self, last: bool) -> DcCookie {
        DcCookie::Flat {
            session,
            tag,
            src,
            dst,
            last,
        }
    }

    fn from_cookie(cookie: DcCookie) -> (Self, Self) {
        match cookie {
            DcCookie::Flat { src, dst, .. } | DcCookie::Dp { src, dst, .. } => (src, dst),
            _ => unreachable!("a DmaBuf request's cookie is flat"),
        }
    }
}

impl AsyncBuffer for BufferList {
    const WRONG_SESSION: &'static str =
        "this session has no callback for buffer lists: create it with init_session_async_lists";

    fn session_takes(mode: &SessionMode) -> bool {
        matches!(mode, SessionMode::AsyncList(_))
    }

    fn desc(&mut self) -> Result<BufferDesc> {
        BufferList::desc(self)
    }

    fn cookie(session: Arc<SessionInner>, tag: u64, src: Self, dst: Self, last: bool) -> DcCookie {
        DcCookie::List {
            session,
            tag,
            src,
            dst,
            last,
        }
    }

    fn from_cookie(cookie: DcCookie) -> (Self, Self) {
        match cookie {
            DcCookie::List { src, dst, .. } => (src, dst),
            _ => unreachable!("a buffer list request's cookie is a list"),
        }
    }
}

pub(crate) struct DcInstanceInner {
    pub(crate) core: InstanceCore<DcCookie>,
    pub(crate) class: &'static DeviceClass,
    pub(crate) stats: StatsCounters,
    pub(crate) dp_callback: Mutex<Option<DpCallback>>,
    /// Recent sessions of no-session requests ([`crate::dc::ns`]).
    pub(crate) ns: crate::dc::ns::NsCache,
    /// `icp_sal_ns_cnv_simulate_error` is on for this instance.
    pub(crate) ns_cnv_error: std::sync::atomic::AtomicBool,
}

impl DcInstanceInner {
    /// A stopped instance over `ring`, on `endpoint`.
    pub(crate) fn new(
        info: InstanceInfo,
        endpoint: Arc<dyn EndpointLink>,
        bounce: bool,
        class: &'static DeviceClass,
        ring: softqat_device::ring::RingProducer<Slot<DcCookie>>,
    ) -> Arc<DcInstanceInner> {
        Arc::new(DcInstanceInner {
            core: InstanceCore::new(info, endpoint, bounce, ring),
            class,
            stats: StatsCounters::default(),
            dp_callback: Mutex::new(None),
            ns: Default::default(),
            ns_cnv_error: Default::default(),
        })
    }
}

impl DcInstanceInner {
    pub(crate) fn stop_instance(&self) -> Result<()> {
        self.core.stop()
    }

    pub(crate) fn in_flight_all(&self) -> u32 {
        self.core.in_flight()
    }

    pub(crate) fn wait_for_response(&self, timeout: std::time::Duration) -> bool {
        self.core.wait_for_response(timeout)
    }

    pub(crate) fn file_descriptor(&self, key: &str) -> Result<std::os::fd::RawFd> {
        self.core.file_descriptor(key)
    }
}

impl EventTarget for DcInstanceInner {
    fn endpoint_id(&self) -> u32 {
        self.core.info.package_id
    }

    fn deliver(&self, event: InstanceEvent) {
        self.core.notify(event);
    }
}

/// A compression instance. Cloning gives another handle to the same instance.
#[derive(Clone)]
pub struct DcInstance {
    pub(crate) inner: Arc<DcInstanceInner>,
}

impl std::fmt::Debug for DcInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DcInstance")
            .field("inst_id", &self.inner.core.info.inst_id)
            .finish()
    }
}

/// A refused asynchronous request: the error and the buffers, given back.
#[derive(Debug)]
pub struct Rejected<B = DmaBuf> {
    /// Why the request was refused (RETRY when the ring is full).
    pub error: Error,
    /// The source buffer.
    pub src: B,
    /// The destination buffer.
    pub dst: B,
}

impl DcInstance {
    crate::instance::instance_core_calls!("Dc");

    /// `cpaDcQueryCapabilities`.
    pub fn capabilities(&self) -> DcCapabilities {
        DcCapabilities::for_class(self.inner.class)
    }

    /// `cpaDcGetStats`.
    pub fn stats(&self) -> DcStats {
        self.inner.stats.snapshot()
    }

    /// The checks `cpaDcSetAsbThreshold` and `cpaDcSetAsbRatio` share, in
    /// qatlib's order: the session is this instance's, the instance is
    /// started, the class has the mode — none softqat models does: qatlib
    /// offers the threshold and ratio modes on gen6 only, and answers
    /// UNSUPPORTED on gen4 (its gen2 package has no such call).
    fn asb_mode(&self, session: &DcSession, mode: &'static str) -> Result<()> {
        if session.inner.instance != Arc::as_ptr(&self.inner) as usize {
            return Err(Error::invalid(
                "the session belongs to another instance: create it on this one",
            ));
        }
        self.inner.core.check_ready()?;
        Err(Error::unsupported(format!(
            "{} endpoints have no auto-select-best {mode} mode (QAT offers it from gen6):              autoSelectBestHuffmanTree in the session setup already keeps the smallest of              stored, static and dynamic blocks",
            self.inner.class.generation.as_str()
        )))
    }

    /// `cpaDcSetAsbThreshold`: the input size below which auto-select-best
    /// leaves a compression session's data uncompressed. UNSUPPORTED on the
    /// classes softqat models, as qatlib answers on gen4.
    pub fn set_asb_threshold(
        &self,
        session: &DcSession,
        _threshold: crate::dc::AsbThreshold,
    ) -> Result<()> {
        self.asb_mode(session, "threshold")
    }

    /// `cpaDcSetAsbRatio`: the compression ratio auto-select-best must beat
    /// to keep a compression session's compressed output. UNSUPPORTED on the
    /// classes softqat models, as qatlib answers on gen4.
    pub fn set_asb_ratio(&self, session: &DcSession, _ratio: crate::dc::AsbRatio) -> Result<()> {
        self.asb_mode(session, "ratio")
    }

    /// `cpaDcSetCrcControlData`: programs the CRC64 of the session's
    /// integrity CRCs (CRC-64/ECMA-182 until then). As qatlib: a zero
    /// polynomial is INVALID_PARAM; a class without a programmable CRC64
    /// (QAT 1.7) is UNSUPPORTED. Requests already in flight may run with
    /// either parameters: call it with none of the session's requests in
    /// flight.
    pub fn set_crc_control_data(
        &self,
        session: &DcSession,
        params: &crate::dc::CrcControlData,
    ) -> Result<()> {
        let s = &session.inner;
        if s.instance != Arc::as_ptr(&self.inner) as usize {
            return Err(Error::invalid(
                "the session belongs to another instance: program its CRC on the instance it \
                 was created on",
            ));
        }
        if params.poly == 0 {
            return Err(Error::invalid(
                "the CRC polynomial is 0: give the generator polynomial in normal form \
                 (CRC-64/ECMA-182's is 0x42F0E1EBA9EA3693)",
            ));
        }
        self.inner.core.check_ready()?;
        if !self.inner.class.dc.programmable_crc64 {
            return Err(Error::unsupported(format!(
                "{} endpoints have no programmable CRC64 (QAT offers it from gen4): their \
                 integrity CRCs are the fixed 32-bit ones",
                self.inner.class.generation.as_str()
            )));
        }
        s.set_crc(params);
        Ok(())
    }

    /// The integrity CRCs a request with `op` asks for, checked against the
    /// class: `None`, or the check with its `DC_INTEGRITY_*` flag.
    pub(super) fn integrity(
        &self,
        op: &DcOpData,
    ) -> Result<Option<(crate::dc::IntegrityCheck, u8)>> {
        match op.integrity {
            None => Ok(None),
            Some(c) => Ok(Some((c, crate::dc::integrity::flag_for(self.inner.class)?))),
        }
    }

    /// Runs a synchronous request with the integrity CRCs `crc` asks for:
    /// written where it says, or to this thread's record and returned in
    /// `DcResults::crc`.
    fn call_crc(
        &self,
        s: &SessionInner,
        compress: bool,
        mut desc: RequestDesc,
        crc: Option<(crate::dc::IntegrityCheck, u8)>,
        last: bool,
    ) -> Result<DcResults> {
        use crate::dc::integrity::{request_crcs, with_record};
        let Some((c, flag)) = crc else {
            return self.call_on(s, compress, &desc, last);
        };
        if let Some(at) = c.crc_data {
            request_crcs(&mut desc, flag, at);
            return self.call_on(s, compress, &desc, last);
        }
        let (mut r, rec) = with_record(|at| {
            request_crcs(&mut desc, flag, at);
            self.call_on(s, compress, &desc, last)
        })?;
        if r.status == DcStatus::Ok {
            r.crc = Some(rec);
        }
        Ok(r)
    }

    /// `verifyHwIntegrityCrcs` on a synchronous request's results: the CRCs
    /// computed again over the caller's input and output.
    fn verify_crcs(
        &self,
        session: &SessionInner,
        crc: Option<(crate::dc::IntegrityCheck, u8)>,
        r: &mut DcResults,
        input: impl FnOnce(&mut dyn FnMut(&[u8])),
        output: impl FnOnce(&mut dyn FnMut(&[u8])),
    ) {
        use crate::dc::integrity::{failed_verification, to_verify, SoftwareCrcs};
        let Some((c, flag)) = crc else { return };
        let Some(rec) = r.crc else { return };
        if !to_verify(Some(&c), CpaStatus::Success, r) {
            return;
        }
        let sw = SoftwareCrcs::new(flag, session.crc_params());
        if !sw.matches(&rec, input, output) {
            let mut status = CpaStatus::Success;
            failed_verification(&mut status, r);
        }
    }

    pub(super) fn new_session(
        &self,
        setup: &DcSessionSetup,
        mode: SessionMode,
    ) -> Result<DcSession> {
        self.new_session_with_context(setup, mode, None)
    }

    /// A session; a stateful one keeps its stream in `context` (a C
    /// caller's `pContextBuffer`, checked for size by the caller) or, when
    /// `None`, in DMA memory allocated here for the session's life.
    pub(super) fn new_session_with_context(
        &self,
        setup: &DcSessionSetup,
        mode: SessionMode,
        context: Option<BufferDesc>,
    ) -> Result<DcSession> {
        let class = self.inner.class;
        let mut desc = setup.validate(class)?;
        let stream = match class.dc.stateful {
            Some(facts) if setup.state == crate::dc::SessionState::Stateful => {
                if matches!(mode, SessionMode::DataPlane) {
                    return Err(Error::unsupported(
                        "data-plane sessions are stateless (as qatlib's): use \
                         SessionState::Stateless, or a traditional-API session for a stream",
                    ));
                }
                let own = match context {
                    Some(c) => {
                        desc.context = c;
                        None
                    }
                    None => {
                        // Zeroed; the first request starts the stream anyway.
                        let buf = DmaBuf::try_new(crate::dc::stream::context_size(class, setup))?;
                        desc.context = buf.desc();
                        Some(buf)
                    }
                };
                Some(StreamState::new(facts, own))
            }
            _ => None,
        };
        let inner = SessionInner::new(
            *setup,
            desc,
            mode,
            Arc::as_ptr(&self.inner) as usize,
            stream,
        )?;
        Ok(DcSession {
            inner: Arc::new(inner),
        })
    }

    /// `cpaDcGetSessionSize`'s context size for `setup` on this instance's
    /// class: 0 unless the session is stateful (see [`crate::dc::stream`]).
    pub fn context_size(&self, setup: &DcSessionSetup) -> usize {
        crate::dc::stream::context_size(self.inner.class, setup)
    }

    /// `cpaDcInitSession` with no callback: requests on this session are
    /// synchronous.
    pub fn init_session(&self, setup: &DcSessionSetup) -> Result<DcSession> {
        self.new_session(setup, SessionMode::Sync)
    }

    /// `cpaDcInitSession` with a callback: requests are asynchronous and the
    /// callback runs inside the poll call that consumes each response.
    pub fn init_session_async(
        &self,
        setup: &DcSessionSetup,
        callback: impl Fn(DcCompletion) + Send + Sync + 'static,
    ) -> Result<DcSession> {
        let cb: DcCallback = Arc::new(callback);
        self.new_session(setup, SessionMode::Async(cb))
    }

    /// `cpaDcInitSession` with a callback, for asynchronous requests on
    /// buffer lists ([`submit_compress_list`](Self::submit_compress_list)).
    pub fn init_session_async_lists(
        &self,
        setup: &DcSessionSetup,
        callback: impl Fn(DcCompletion<BufferList>) + Send + Sync + 'static,
    ) -> Result<DcSession> {
        let cb: DcListCallback = Arc::new(callback);
        self.new_session(setup, SessionMode::AsyncList(cb))
    }

    /// `cpaDcDpInitSession`: a data-plane session.
    pub fn init_dp_session(&self, setup: &DcSessionSetup) -> Result<DcSession> {
        self.new_session(setup, SessionMode::DataPlane)
    }

    /// `cpaDcUpdateSession` and `cpaDcDpUpdateSession`: a session like
    /// `session` (same kind, callback and other settings) with the level and
    /// Huffman type of `update`. The new session replaces the old for new
    /// requests; requests in flight finish with the old settings (they hold
    /// the old session), which is removed when the last of them completes.
    pub fn update_session(
        &self,
        session: &DcSession,
        update: &crate::dc::DcSessionUpdate,
    ) -> Result<DcSession> {
        let s = &session.inner;
        if s.instance != Arc::as_ptr(&self.inner) as usize {
            return Err(Error::invalid(
                "the session belongs to another instance: update it on the instance it was \
                 created on",
            ));
        }
        if update.enable_dmm {
            return Err(Error::unsupported(
                "enableDmm is not supported: leave it CPA_FALSE",
            ));
        }
        if s.stream.is_some() {
            // The stream's history was compressed under the old settings
            // and its context belongs to this session.
            return Err(Error::unsupported(
                "a stateful session cannot be updated: remove it and create one with the new \
                 level and Huffman type",
            ));
        }
        let setup = DcSessionSetup {
            comp_level: update.comp_level,
            huff_type: update.huff_type,
            ..s.setup
        };
        self.new_session(&setup, s.mode.clone())
    }

    pub(super) fn check_ready(&self, session: &SessionInner, compress: bool) -> Result<()> {
        if session.instance != Arc::as_ptr(&self.inner) as usize {
            return Err(Error::invalid(
                "the session belongs to another instance: create it on this one",
            ));
        }
        // Refusals on the request path carry static text: refusing a
        // request allocates nothing.
        match (compress, session.setup.direction) {
            (true, SessionDirection::Decompress) => {
                return Err(Error::invalid(
                    "the session's direction is Decompress: compress on a session with \
                     direction Compress or Combined",
                ))
            }
            (false, SessionDirection::Compress) => {
                return Err(Error::invalid(
                    "the session's direction is Compress: decompress on a session with \
                     direction Decompress or Combined",
                ))
            }
            _ => {}
        }
        self.inner.core.check_ready()
    }

    pub(super) fn request(
        session: &SessionInner,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        op: &DcOpData,
        dp: bool,
    ) -> RequestDesc {
        Self::request_with(session, compress, src, dst, op, dp, None)
    }

    /// [`request`](Self::request) with an error to inject in place of the
    /// process-wide simulated one (the no-session CnV injection).
    pub(super) fn request_with(
        session: &SessionInner,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        op: &DcOpData,
        dp: bool,
        inject: Option<DcStatus>,
    ) -> RequestDesc {
        let mut flags = 0;
        if compress && op.compress_and_verify {
            flags |= DC_CNV;
        }
        if compress && op.compress_and_verify_and_recover {
            flags |= DC_CNV | DC_CNVNR;
        }
        if let Some(st) = &session.stream {
            flags |= st.flags(compress, op.flush);
        }
        let inject = if dp {
            0
        } else {
            inject
                .or_else(simulate::take_simulated)
                .map_or(0, |s| s.code() as i8)
        };
        let mut seed_adler32 = match session.setup.checksum {
            crate::dc::ChecksumType::Adler32 => op.checksum,
            _ => op.adler32,
        };
        if seed_adler32 == 0 {
            seed_adler32 = 1;
        }
        let mut desc: RequestDesc = bytemuck::Zeroable::zeroed();
        desc.header.service = ServiceId::Dc as u8;
        desc.header.command = if compress {
            DcCommand::Compress as u8
        } else {
            DcCommand::Decompress as u8
        };
        desc.header.flags = if dp { REQ_DP } else { 0 };
        desc.content = session.content_iova;
        desc.content_len = session.content_len;
        desc.src = src;
        desc.dst = dst;
        desc.set_params(&DcRequestParams {
            flush: op.flush as u8,
            flags,
            inject,
            seed_crc32: op.checksum,
            seed_adler32,
            ..DcRequestParams::default()
        });
        desc
    }

    /// The completion function the core runs for asynchronous responses.
    pub(super) fn completer(&self) -> impl Fn(ResponseDesc, DcCookie) + '_ {
        move |resp, cookie| self.complete(resp, cookie)
    }

    /// Counts a response and reads its results.
    fn results(&self, resp: &ResponseDesc) -> (CpaStatus, DcResults) {
        let compress = resp.command == DcCommand::Compress as u8;
        let status = CpaStatus::from_code(i32::from(resp.cpa_status));
        let r: DcResponseResults = resp.result();
        let dc_status = DcStatus::from_code(i32::from(r.status)).unwrap_or(DcStatus::SoftErr);
        simulate::record(dc_status);
        let ok = status == CpaStatus::Success && dc_status == DcStatus::Ok;
        self.inner.stats.of(compress).completed(ok);
        if r.flags & DC_CNV_RECOVERED != 0 {
            self.inner.stats.cnv_recovered();
        }
        let results = DcResults {
            status: dc_status,
            produced: r.produced,
            consumed: r.consumed,
            checksum: r.checksum,
            adler32: r.adler32,
            end_of_last_block: r.flags & DC_END_OF_LAST_BLOCK != 0,
            aligned_end: r.flags & DC_ALIGNED_END != 0,
            data_uncompressed: r.flags & DC_DATA_UNCOMPRESSED != 0,
            crc: None,
        };
        (status, results)
    }

    fn complete(&self, resp: ResponseDesc, cookie: DcCookie) {
        let (status, mut results) = self.results(&resp);
        let compress = resp.command == DcCommand::Compress as u8;
        match cookie {
            DcCookie::Flat {
                session,
                tag,
                src,
                mut dst,
                last,
            } => {
                // Before the callback, which may submit the stream's next
                // request.
                if let Some(st) = &session.stream {
                    st.end(status, &results, last);
                }
                if let (true, Some(x)) = (compress, &session.xxh) {
                    x.complete(status, last, &mut results, |st, n| {
                        st.update(&src[..n.min(src.len())])
                    });
                }
                // DcCompletion::dst is documented to come back with its
                // length set to `produced`.
                dst.set_len(results.produced as usize);
                if let SessionMode::Async(cb) = &session.mode {
                    cb(DcCompletion {
                        tag,
                        status,
                        results,
                        src,
                        dst,
                    });
                }
            }
            DcCookie::List {
                session,
                tag,
                src,
                dst,
                last,
            } => {
                if let Some(st) = &session.stream {
                    st.end(status, &results, last);
                }
                if let (true, Some(x)) = (compress, &session.xxh) {
                    x.complete(status, last, &mut results, |st, n| feed_list(st, &src, n));
                }
                if let SessionMode::AsyncList(cb) = &session.mode {
                    cb(DcCompletion {
                        tag,
                        status,
                        results,
                        src,
                        dst,
                    });
                }
            }
            DcCookie::Dp { tag, src, dst, .. } => {
                let cb = self
                    .inner
                    .dp_callback
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone();
                if let Some(cb) = cb {
                    cb(DpCompletion {
                        tag,
                        status,
                        results,
                        src,
                        dst,
                    });
                }
            }
            DcCookie::Chain {
                session,
                tag,
                src,
                mut dst,
                digest,
            } => {
                dst.set_len(results.produced as usize);
                if let SessionMode::Chain(cb) = &session.mode {
                    cb(crate::dc::chain::DcChainCompletion {
                        tag,
                        status,
                        results,
                        src,
                        dst,
                        digest,
                    });
                }
            }
            DcCookie::Foreign {
                session,
                tag,
                results: at,
                src,
                dst,
                crc,
                last,
            } => {
                let mut status = status;
                // SAFETY: a foreign request's buffers and CRC record stay
                // valid until its completion has run (submit_foreign's
                // contract).
                #[allow(unsafe_code)]
                unsafe {
                    crate::dc::foreign::verify_foreign(
                        &session,
                        crc,
                        src,
                        dst,
                        &mut status,
                        &mut results,
                    )
                };
                if results.crc.is_none() {
                    // SAFETY: as above, for the CRC record.
                    #[allow(unsafe_code)]
                    {
                        results.crc = unsafe { crate::dc::foreign::read_crc_record(crc) };
                    }
                }
                if let Some(st) = &session.stream {
                    st.end(status, &results, last);
                }
                if let (true, Some(x)) = (compress, &session.xxh) {
                    // SAFETY: a foreign request's source stays valid until
                    // its completion has run (submit_foreign's contract).
                    #[allow(unsafe_code)]
                    x.complete(status, last, &mut results, |st, n| unsafe {
                        crate::dc::foreign::feed_desc(st, src, n)
                    });
                }
                if let SessionMode::Foreign(cb) = &session.mode {
                    cb(tag, at, status, &results);
                }
            }
        }
    }

    /// Runs a synchronous request: submits, waits, reads the results.
    pub(super) fn call(&self, compress: bool, desc: &RequestDesc) -> Result<DcResults> {
        results_or_error(self.call_with_status(compress, desc)?)
    }

    /// [`call`](Self::call) for a request of session `s`, admitted by
    /// [`stream_begin`](Self::stream_begin): a stateful session learns how
    /// it ended. `last` is its FLUSH_FINAL.
    fn call_on(
        &self,
        s: &SessionInner,
        compress: bool,
        desc: &RequestDesc,
        last: bool,
    ) -> Result<DcResults> {
        results_or_error(self.call_with_status_on(s, compress, desc, last)?)
    }

    /// [`call_with_status`](Self::call_with_status) for a request of
    /// session `s` (see [`call_on`](Self::call_on)).
    pub(super) fn call_with_status_on(
        &self,
        s: &SessionInner,
        compress: bool,
        desc: &RequestDesc,
        last: bool,
    ) -> Result<(CpaStatus, DcResults)> {
        let r = self.call_with_status(compress, desc);
        if let Some(st) = &s.stream {
            match &r {
                Ok((status, results)) => st.end(*status, results, last),
                // Not carried out (a full ring, a dummy response, a lost
                // daemon): the context was not touched.
                Err(_) => st.abort(),
            }
        }
        r
    }

    /// Admits a request of session `s` before its descriptor is built: a
    /// stateful session takes one request at a time (RETRY otherwise) and
    /// no compress-and-verify. A refusal is counted.
    pub(super) fn stream_begin(
        &self,
        s: &SessionInner,
        compress: bool,
        op: &DcOpData,
    ) -> Result<()> {
        match &s.stream {
            Some(st) => st.begin(compress, op).inspect_err(|_| {
                self.inner.stats.of(compress).submitted(false);
            }),
            None => Ok(()),
        }
    }

    /// Runs a synchronous request and returns the response's status with its
    /// results, whatever the status (a C caller reads both).
    pub(super) fn call_with_status(
        &self,
        compress: bool,
        desc: &RequestDesc,
    ) -> Result<(CpaStatus, DcResults)> {
        let counters = self.inner.stats.of(compress);
        let resp = match self.inner.core.call(desc, &self.completer()) {
            Ok(resp) => resp,
            Err(CallError::Full) => {
                counters.submitted(false);
                return Err(self.inner.core.ring_full());
            }
            Err(CallError::Lost) => {
                counters.submitted(true);
                return Err(Error::fail(format!(
                    "softqatd went away while {} had a request in flight: restart the daemon, \
                     then start a new section",
                    self.inner.core.info.inst_id
                )));
            }
        };
        counters.submitted(true);
        let out = self.results(&resp);
        if resp.is_dummy() {
            // Not processed: there are no results to read.
            return Err(Error::fail(crate::instance::DUMMY_RESPONSE));
        }
        Ok(out)
    }

    pub(super) fn sync_session<'a>(
        &self,
        session: &'a DcSession,
        compress: bool,
    ) -> Result<&'a SessionInner> {
        let s = &session.inner;
        if !matches!(s.mode, SessionMode::Sync) {
            return Err(Error::invalid(
                "this session has a callback (asynchronous) or is a data-plane session: \
                 use the submit_* calls or the data-plane calls",
            ));
        }
        if let Err(e) = self.check_ready(s, compress) {
            self.inner.stats.of(compress).submitted(false);
            return Err(e);
        }
        Ok(s)
    }

    /// A synchronous request on ordinary memory; `dict` is its preset
    /// dictionary (checked by the caller: see [`crate::dc::dict`]), empty
    /// for none.
    pub(super) fn sync_call(
        &self,
        session: &DcSession,
        compress: bool,
        src: &[u8],
        dst: &mut [u8],
        op: &DcOpData,
        dict: &[u8],
    ) -> Result<DcResults> {
        let s = self.sync_session(session, compress)?;
        if src.len() > u32::MAX as usize || dst.len() > u32::MAX as usize {
            self.inner.stats.of(compress).submitted(false);
            return Err(Error::invalid(
                "a single request is limited to 4 GB: split the data",
            ));
        }
        let crc = match self.integrity(op) {
            Ok(c) => c,
            Err(e) => {
                self.inner.stats.of(compress).submitted(false);
                return Err(e);
            }
        };
        let accumulate = |r: Result<DcResults>| match (r, compress, &s.xxh) {
            (Ok(mut r), true, Some(x)) => {
                let last = op.flush == FlushFlag::Final;
                x.complete(CpaStatus::Success, last, &mut r, |st, n| {
                    st.update(&src[..n.min(src.len())])
                });
                Ok(r)
            }
            (r, ..) => r,
        };
        let last = op.flush == FlushFlag::Final;
        if !self.inner.core.bounce {
            self.stream_begin(s, compress, op)?;
            let mut desc =
                Self::request(s, compress, slice_desc(src), slice_desc_mut(dst), op, false);
            if !dict.is_empty() {
                crate::dc::dict::with_dict(&mut desc, slice_desc(dict));
            }
            let mut r = self.call_crc(s, compress, desc, crc, last);
            if let Ok(r) = &mut r {
                let (i, o) = (r.consumed as usize, r.produced as usize);
                self.verify_crcs(
                    s,
                    crc,
                    r,
                    |f| f(&src[..i.min(src.len())]),
                    |f| f(&dst[..o.min(dst.len())]),
                );
            }
            return accumulate(r);
        }
        // The engine cannot write more than the request can produce: a
        // destination larger than that (a length read from a stream's
        // trailer, say) would only make the bounce buffer, which is
        // registered with the daemon, needlessly large.
        let bounce_len = dst.len().min(max_output(&s.setup, compress, src.len()));
        // A dictionary travels in front of the source in the bounce buffer.
        let bounce = match Bounce::take_joined(dict, src, bounce_len) {
            Ok(b) => b,
            Err(e) => {
                self.inner.stats.of(compress).submitted(false);
                return Err(e);
            }
        };
        if let Err(e) = self.stream_begin(s, compress, op) {
            bounce.give_back();
            return Err(e);
        }
        let at = bounce.src.iova().0;
        let src_desc = BufferDesc::flat(
            softqat_device::Iova(at + dict.len() as u64),
            src.len() as u32,
        );
        let mut desc = Self::request(s, compress, src_desc, bounce.dst.desc(), op, false);
        if !dict.is_empty() {
            crate::dc::dict::with_dict(
                &mut desc,
                BufferDesc::flat(softqat_device::Iova(at), dict.len() as u32),
            );
        }
        let mut results = self.call_crc(s, compress, desc, crc, last);
        if let Ok(r) = &mut results {
            let n = (r.produced as usize).min(dst.len()).min(bounce.dst.len());
            dst[..n].copy_from_slice(&bounce.dst[..n]);
            // Verified over the caller's buffers, after the copies.
            let i = (r.consumed as usize).min(src.len());
            self.verify_crcs(s, crc, r, |f| f(&src[..i]), |f| f(&dst[..n]));
        }
        bounce.give_back();
        accumulate(results)
    }

    /// `cpaDcCompressData2` on a synchronous session: compresses `src` into
    /// `dst` and returns the results. `cpaDcCompressData` is this with
    /// [`DcOpData::new`] (verify and recover on).
    pub fn compress(
        &self,
        session: &DcSession,
        src: &[u8],
        dst: &mut [u8],
        op: &DcOpData,
    ) -> Result<DcResults> {
        self.sync_call(session, true, src, dst, op, &[])
    }

    /// `cpaDcDecompressData2` on a synchronous session.
    pub fn decompress(
        &self,
        session: &DcSession,
        src: &[u8],
        dst: &mut [u8],
        op: &DcOpData,
    ) -> Result<DcResults> {
        self.sync_call(session, false, src, dst, op, &[])
    }

    fn sync_list_call(
        &self,
        session: &DcSession,
        compress: bool,
        src: &mut BufferList,
        dst: &mut BufferList,
        op: &DcOpData,
    ) -> Result<DcResults> {
        let s = self.sync_session(session, compress)?;
        let (src_desc, dst_desc) = match (src.desc(), dst.desc()) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                self.inner.stats.of(compress).submitted(false);
                return Err(e);
            }
        };
        let crc = match self.integrity(op) {
            Ok(c) => c,
            Err(e) => {
                self.inner.stats.of(compress).submitted(false);
                return Err(e);
            }
        };
        self.stream_begin(s, compress, op)?;
        let desc = Self::request(s, compress, src_desc, dst_desc, op, false);
        let last = op.flush == FlushFlag::Final;
        let mut result = self.call_crc(s, compress, desc, crc, last);
        if let Ok(r) = &mut result {
            let (i, o) = (r.consumed as usize, r.produced as usize);
            self.verify_crcs(
                s,
                crc,
                r,
                |f| feed_segments(src, i, f),
                |f| feed_segments(dst, o, f),
            );
        }
        match (result, compress, &s.xxh) {
            (Ok(mut r), true, Some(x)) => {
                let last = op.flush == FlushFlag::Final;
                x.complete(CpaStatus::Success, last, &mut r, |st, n| {
                    feed_list(st, src, n)
                });
                Ok(r)
            }
            (r, ..) => r,
        }
    }

    /// `cpaDcCompressData2` on buffer lists (`CpaBufferList`), synchronous:
    /// the source is read from the segments of `src` in order and the output
    /// written across the segments of `dst`; `consumed` and `produced` count
    /// across segments. The lists' segments are DMA memory in both modes, so
    /// nothing is copied on the way. (`src` is `&mut` because its descriptor
    /// table, like `pPrivateMetaData` in C, is written for the request.)
    pub fn compress_list(
        &self,
        session: &DcSession,
        src: &mut BufferList,
        dst: &mut BufferList,
        op: &DcOpData,
    ) -> Result<DcResults> {
        self.sync_list_call(session, true, src, dst, op)
    }

    /// `cpaDcDecompressData2` on buffer lists, synchronous.
    pub fn decompress_list(
        &self,
        session: &DcSession,
        src: &mut BufferList,
        dst: &mut BufferList,
        op: &DcOpData,
    ) -> Result<DcResults> {
        self.sync_list_call(session, false, src, dst, op)
    }

    pub(super) fn refuse<B>(
        &self,
        compress: bool,
        error: Error,
        src: B,
        dst: B,
    ) -> std::result::Result<(), Rejected<B>> {
        self.inner.stats.of(compress).submitted(false);
        Err(Rejected { error, src, dst })
    }

    /// `cpaDcCompressData2` on an asynchronous session: `src` and `dst` move
    /// into the request and come back in the [`DcCompletion`].
    pub fn submit_compress(
        &self,
        session: &DcSession,
        src: DmaBuf,
        dst: DmaBuf,
        op: &DcOpData,
        tag: u64,
    ) -> std::result::Result<(), Rejected> {
        self.async_call(session, true, src, dst, op, tag)
    }

    /// `cpaDcDecompressData2` on an asynchronous session.
    pub fn submit_decompress(
        &self,
        session: &DcSession,
        src: DmaBuf,
        dst: DmaBuf,
        op: &DcOpData,
        tag: u64,
    ) -> std::result::Result<(), Rejected> {
        self.async_call(session, false, src, dst, op, tag)
    }

    /// Submits an asynchronous request on buffers of kind `B` (flat
    /// `DmaBuf`s or buffer lists): the buffers move into the request, or come
    /// back with the error.
    // `Rejected` hands the caller's buffers back by value: boxing it would
    // allocate on the refusal path.
    #[allow(clippy::result_large_err)]
    fn async_call<B: AsyncBuffer>(
        &self,
        session: &DcSession,
        compress: bool,
        mut src: B,
        mut dst: B,
        op: &DcOpData,
        tag: u64,
    ) -> std::result::Result<(), Rejected<B>> {
        let s = &session.inner;
        if !B::session_takes(&s.mode) {
            return self.refuse(compress, Error::invalid(B::WRONG_SESSION), src, dst);
        }
        if let Err(e) = self.check_ready(s, compress) {
            return self.refuse(compress, e, src, dst);
        }
        let crc = match self.integrity(op) {
            Ok(Some((c, _))) if c.crc_data.is_none() || c.verify_hw_crcs => {
                let e = Error::invalid(
                    "an asynchronous request's integrity CRCs go where crc_data says (DMA \
                     memory kept until the callback), and are not verified again in software: \
                     set crc_data and leave verify_hw_crcs false, or call synchronously",
                );
                return self.refuse(compress, e, src, dst);
            }
            Ok(c) => c,
            Err(e) => return self.refuse(compress, e, src, dst),
        };
        let descs = src.desc().and_then(|a| dst.desc().map(|b| (a, b)));
        let (src_desc, dst_desc) = match descs {
            Ok(d) => d,
            Err(e) => return self.refuse(compress, e, src, dst),
        };
        if let Some(st) = &s.stream {
            if let Err(e) = st.begin(compress, op) {
                return self.refuse(compress, e, src, dst);
            }
        }
        let mut desc = Self::request(s, compress, src_desc, dst_desc, op, false);
        if let Some((c, flag)) = crc {
            if let Some(at) = c.crc_data {
                crate::dc::integrity::request_crcs(&mut desc, flag, at);
            }
        }
        match self.inner.core.submit(
            &desc,
            B::cookie(s.clone(), tag, src, dst, op.flush == FlushFlag::Final),
        ) {
            Ok(()) => {
                self.inner.stats.of(compress).submitted(true);
                Ok(())
            }
            Err(cookie) => {
                if let Some(st) = &s.stream {
                    st.abort();
                }
                let (src, dst) = B::from_cookie(cookie);
                self.refuse(compress, self.inner.core.ring_full(), src, dst)
            }
        }
    }

    /// `cpaDcCompressData2` on buffer lists, asynchronous: the lists move
    /// into the request and come back in the session's list callback.
    #[allow(clippy::result_large_err)]
    pub fn submit_compress_list(
        &self,
        session: &DcSession,
        src: BufferList,
        dst: BufferList,
        op: &DcOpData,
        tag: u64,
    ) -> std::result::Result<(), Rejected<BufferList>> {
        self.async_call(session, true, src, dst, op, tag)
    }

    /// `cpaDcDecompressData2` on buffer lists, asynchronous.
    #[allow(clippy::result_large_err)]
    pub fn submit_decompress_list(
        &self,
        session: &DcSession,
        src: BufferList,
        dst: BufferList,
        op: &DcOpData,
        tag: u64,
    ) -> std::result::Result<(), Rejected<BufferList>> {
        self.async_call(session, false, src, dst, op, tag)
    }

    /// `icp_sal_DcPollInstance`: consumes up to `quota` responses (0: all
    /// waiting), running callbacks. RETRY when there was nothing to consume
    /// or another thread is polling the instance.
    pub fn poll(&self, quota: u32) -> Result<u32> {
        self.inner.core.poll(quota, &self.completer())
    }

    /// `cpaDcDpRegCbFunc`.
    pub fn dp_register_callback(&self, cb: impl Fn(DpCompletion) + Send + Sync + 'static) {
        *self
            .inner
            .dp_callback
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(cb));
    }

    /// The checks of a data-plane request's extras, qatlib's: the class
    /// must offer them (UNSUPPORTED), a partial read is a decompression of a
    /// deflate stream into the start of a destination large enough for it,
    /// zero padding a compression (INVALID_PARAM otherwise).
    pub(super) fn dp_check_extras(
        &self,
        session: &SessionInner,
        compress: bool,
        extras: &crate::dc::dp::DpExtras,
    ) -> Result<()> {
        let gen = self.inner.class.generation.as_str();
        if let Some(part) = &extras.part_read {
            if !self.inner.class.dc.dp_part_read_zero_pad {
                return Err(Error::unsupported(format!(
                    "{gen} endpoints have no data-plane partial reads \
                     (cpaDcDpIsPartReadSupported says CPA_FALSE): decompress the whole stream \
                     with cpaDcDpEnqueueOp"
                )));
            }
            if compress {
                return Err(Error::invalid(
                    "a partial read is a decompression: set sessDirection to \
                     CPA_DC_DIR_DECOMPRESS, or use cpaDcDpEnqueueOp to compress",
                ));
            }
            if session.setup.comp_type != crate::dc::CompType::Deflate {
                return Err(Error::unsupported(
                    "partial reads are for deflate sessions: decompress LZ4 with \
                     cpaDcDpEnqueueOp",
                ));
            }
            if part.buffer_offset != 0 {
                return Err(Error::invalid(
                    "bufferOffset must be 0 (the only value supported): the region is \
                     written to the start of the destination",
                ));
            }
        }
        if extras.zero_pad {
            if !self.inner.class.dc.dp_part_read_zero_pad {
                return Err(Error::unsupported(format!(
                    "{gen} endpoints have no data-plane zero padding \
                     (cpaDcDpIsZeroPadSupported says CPA_FALSE): compress with \
                     cpaDcDpEnqueueOp and zero the rest of the buffer yourself"
                )));
            }
            if !compress {
                return Err(Error::invalid(
                    "zero padding is for compression: set sessDirection to \
                     CPA_DC_DIR_COMPRESS, or use cpaDcDpEnqueueOp to decompress",
                ));
            }
        }
        Ok(())
    }

    fn dp_desc(&self, op: &DpOp) -> Result<RequestDesc> {
        let s = &op.session.inner;
        if !matches!(s.mode, SessionMode::DataPlane) {
            return Err(Error::invalid(
                "data-plane requests need a session from init_dp_session",
            ));
        }
        self.check_ready(s, op.compress)?;
        if self
            .inner
            .dp_callback
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
        {
            return Err(Error::invalid(
                "no data-plane callback: call dp_register_callback first",
            ));
        }
        self.dp_check_extras(s, op.compress, &op.extras)?;
        if let Some(part) = &op.extras.part_read {
            if part.length as usize > op.dst.len() {
                return Err(Error::invalid(
                    "the partial read's length is larger than the destination: give a \
                     destination of at least length bytes",
                ));
            }
        }
        let data = DcOpData {
            flush: FlushFlag::Final,
            compress_and_verify: op.compress_and_verify,
            compress_and_verify_and_recover: op.compress_and_verify_and_recover,
            checksum: 0,
            adler32: 0,
            integrity: None,
        };
        let mut desc = Self::request(s, op.compress, op.src.desc(), op.dst.desc(), &data, true);
        op.extras.apply(&mut desc);
        Ok(desc)
    }

    /// `cpaDcDpEnqueueOp`: queues `op`; with `perform_now` the queue is sent to
    /// the endpoint. On refusal the op comes back with the error.
    pub fn dp_enqueue(
        &self,
        op: DpOp,
        perform_now: bool,
    ) -> std::result::Result<(), (Error, DpOp)> {
        let desc = match self.dp_desc(&op) {
            Ok(d) => d,
            Err(e) => return Err((e, op)),
        };
        let compress = op.compress;
        let DpOp {
            session,
            src,
            dst,
            tag,
            compress_and_verify,
            compress_and_verify_and_recover,
            extras,
            ..
        } = op;
        let cookie = DcCookie::Dp {
            _session: session.inner.clone(),
            tag,
            src,
            dst,
        };
        match self.inner.core.stage(&desc, cookie) {
            Ok(()) => {
                self.inner.stats.of(compress).submitted(true);
                if perform_now {
                    self.dp_perform_now();
                }
                Ok(())
            }
            Err(DcCookie::Dp { tag, src, dst, .. }) => {
                self.inner.stats.of(compress).submitted(false);
                Err((
                    self.inner.core.ring_full(),
                    DpOp {
                        session,
                        compress,
                        src,
                        dst,
                        tag,
                        compress_and_verify,
                        compress_and_verify_and_recover,
                        extras,
                    },
                ))
            }
            Err(_) => unreachable!("stage returns the cookie it was given"),
        }
    }

    /// `cpaDcDpEnqueueOpBatch`: queues all of `ops` or none (RETRY when the
    /// ring has no room for all of them).
    pub fn dp_enqueue_batch(
        &self,
        ops: Vec<DpOp>,
        perform_now: bool,
    ) -> std::result::Result<(), (Error, Vec<DpOp>)> {
        if ops.len() as u64 > u64::from(self.inner.core.room()) {
            return Err((self.inner.core.ring_full(), ops));
        }
        for op in &ops {
            if let Err(e) = self.dp_desc(op) {
                return Err((e, ops));
            }
        }
        for op in ops {
            if let Err((e, _)) = self.dp_enqueue(op, false) {
                // Room was checked above and DP is single-threaded per
                // instance, so this only happens if the caller broke that rule.
                return Err((e, Vec::new()));
            }
        }
        if perform_now {
            self.dp_perform_now();
        }
        Ok(())
    }

    /// `cpaDcDpPerformOpNow`: sends every queued data-plane request.
    pub fn dp_perform_now(&self) {
        self.inner.core.publish();
    }

    /// Data-plane requests queued and not yet sent.
    pub fn dp_queued(&self) -> u32 {
        self.inner.core.staged()
    }

    /// `icp_sal_DcPollDpInstance`.
    pub fn dp_poll(&self, quota: u32) -> Result<u32> {
        self.poll(quota)
    }
}

/// The results of a response the endpoint answered with `status`, or the
/// error that status means.
fn results_or_error((status, results): (CpaStatus, DcResults)) -> Result<DcResults> {
    match status {
        CpaStatus::Success => Ok(results),
        CpaStatus::Resource => Err(Error::resource(NO_SCRATCH)),
        s => Err(Error::new(s, "the endpoint failed the request")),
    }
}

/// Hands the first `n` bytes of the list `list` to `f`, segment by segment.
fn feed_segments(list: &BufferList, mut n: usize, f: &mut dyn FnMut(&[u8])) {
    for seg in list.segments() {
        let take = seg.len().min(n);
        f(&seg[..take]);
        n -= take;
    }
}

/// Feeds the first `n` bytes of the list `src` to `st`.
fn feed_list(st: &mut softqat_engine::checksum::Xxh32State, src: &BufferList, mut n: usize) {
    for seg in src.segments() {
        let take = seg.len().min(n);
        st.update(&seg[..take]);
        n -= take;
    }
}
