//! Crypto instances (`CpaInstanceHandle` of the CY service), built on the
//! [instance core](crate::instance): the symmetric service's calls turn
//! sessions and op data into descriptors on the instance's sym ring and
//! responses into [`SymResults`].

use std::cell::RefCell;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use softqat_config::DeviceClass;
use softqat_device::desc::{
    BufferDesc, RequestDesc, ResponseDesc, ServiceId, SymCommand, SymRequestParams,
    SymResponseResults, REQ_DP, SYM_MAX_IV, SYM_REQ_AAD_RAW,
};
use softqat_device::firmware::sym::AeadKind;
use softqat_device::Iova;

use super::dp::{SymDpCallback, SymDpOp};
use super::{
    validate, PacketType, SessionFacts, SymCallback, SymCapabilities, SymCompletion, SymCounters,
    SymData, SymMode, SymOp, SymOpData, SymRejected, SymRequest, SymResults, SymSession,
    SymSessionInner, SymSessionSetup, SymSessionUpdate, SymStats,
};
use crate::dma::DmaBuf;
use crate::error::{CpaStatus, Error, Result};
use crate::instance::{
    slice_desc, slice_desc_mut, Bounce, CallError, EventTarget, InstanceCore, InstanceEvent,
    InstanceInfo, Slot,
};
use crate::link::EndpointLink;

/// What a crypto instance keeps per asynchronous request, of either
/// service: both ring pairs of the instance carry this one type, so one
/// completer serves them.
pub(crate) enum CyCookie {
    Async {
        session: Arc<SymSessionInner>,
        tag: u64,
        request: SymRequest,
        src: SymData,
        dst: Option<SymData>,
        partial: bool,
    },
    Dp(SymDpOp),
    /// A request on a foreign caller's memory ([`super::foreign`]): the
    /// caller's words go back to the session's foreign callback.
    Foreign {
        session: Arc<SymSessionInner>,
        words: super::foreign::ForeignWords,
        partial: bool,
    },
    Asym(crate::asym::instance::AsymCookie),
}

pub(crate) struct CyInstanceInner {
    pub(crate) core: InstanceCore<CyCookie>,
    pub(crate) class: &'static DeviceClass,
    pub(crate) stats: SymCounters,
    pub(crate) dp_callback: Mutex<Option<SymDpCallback>>,
    /// A DP callback is registered: checked per request without the lock.
    pub(crate) dp_registered: std::sync::atomic::AtomicBool,
    /// Sessions whose next partial packet a full ring held back.
    pub(crate) stalled: Mutex<Vec<Arc<SymSessionInner>>>,
    /// `stalled` is not empty: polls look at it only then.
    pub(crate) has_stalled: std::sync::atomic::AtomicBool,
    /// Whether `core` is a symmetric ring pair; false for an instance with
    /// only an asym ring pair (an endpoint without sym), whose `core` is
    /// that ring pair.
    pub(crate) has_sym: bool,
    /// The asym ring pair of an instance that has both (attached once, as
    /// the instance is built).
    pub(crate) asym_ring: std::sync::OnceLock<InstanceCore<CyCookie>>,
    /// The public-key service's per-function counters.
    pub(crate) asym_counters: crate::asym::instance::AsymCounters,
    /// The epoll descriptor over both ring pairs, made on first request.
    pub(crate) event_set: std::sync::OnceLock<softqat_device::notify::EventSet>,
}

impl CyInstanceInner {
    /// A stopped instance over its sym `ring`, on `endpoint`.
    pub(crate) fn new(
        info: InstanceInfo,
        endpoint: Arc<dyn EndpointLink>,
        bounce: bool,
        class: &'static DeviceClass,
        ring: softqat_device::ring::RingProducer<Slot<CyCookie>>,
        has_sym: bool,
    ) -> Arc<CyInstanceInner> {
        Arc::new(CyInstanceInner {
            core: InstanceCore::new(info, endpoint, bounce, ring),
            class,
            stats: SymCounters::default(),
            dp_callback: Mutex::new(None),
            dp_registered: std::sync::atomic::AtomicBool::new(false),
            stalled: Mutex::new(Vec::new()),
            has_stalled: std::sync::atomic::AtomicBool::new(false),
            has_sym,
            asym_ring: std::sync::OnceLock::new(),
            asym_counters: crate::asym::instance::AsymCounters::default(),
            event_set: std::sync::OnceLock::new(),
        })
    }

    /// The ring pair public-key requests go to, if the instance has one.
    pub(crate) fn asym_core(&self) -> Option<&InstanceCore<CyCookie>> {
        match self.asym_ring.get() {
            Some(c) => Some(c),
            None if !self.has_sym => Some(&self.core),
            None => None,
        }
    }

    /// `cpaCyStopInstance`: refused with RETRY while requests of either
    /// service are in flight.
    pub(crate) fn stop_instance(&self) -> Result<()> {
        if let Some(a) = self.asym_ring.get() {
            let n = a.in_flight();
            if n != 0 {
                return Err(Error::retry(format!(
                    "{n} public-key requests are still in flight on {}: poll until they \
                     complete, then stop",
                    self.core.info.inst_id
                )));
            }
        }
        self.core.stop()
    }

    pub(crate) fn in_flight_all(&self) -> u32 {
        self.core.in_flight() + self.asym_ring.get().map_or(0, |a| a.in_flight())
    }

    /// Waits on both ring pairs.
    pub(crate) fn wait_for_response(&self, timeout: std::time::Duration) -> bool {
        match self.asym_ring.get() {
            Some(a) => InstanceCore::wait_for_any(&[&self.core, a], timeout),
            None => self.core.wait_for_response(timeout),
        }
    }

    /// The epoll descriptor: with two ring pairs, one epoll descriptor
    /// readable while either ring pair's notification fd is.
    pub(crate) fn file_descriptor(&self, key: &str) -> Result<std::os::fd::RawFd> {
        let fd = self.core.file_descriptor(key)?;
        let Some(a) = self.asym_ring.get() else {
            return Ok(fd);
        };
        a.file_descriptor(key)?;
        if let Some(set) = self.event_set.get() {
            return Ok(std::os::fd::AsRawFd::as_raw_fd(set));
        }
        let set = softqat_device::notify::EventSet::new(&[self.core.notifier(), a.notifier()])
            .map_err(|e| Error::resource(e.to_string()))?;
        Ok(std::os::fd::AsRawFd::as_raw_fd(
            self.event_set.get_or_init(|| set),
        ))
    }
}

impl EventTarget for CyInstanceInner {
    fn endpoint_id(&self) -> u32 {
        self.core.info.package_id
    }

    fn deliver(&self, event: InstanceEvent) {
        self.core.notify(event);
    }
}

/// A crypto instance. Cloning gives another handle to the same instance.
#[derive(Clone)]
pub struct CyInstance {
    pub(crate) inner: Arc<CyInstanceInner>,
}

impl std::fmt::Debug for CyInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CyInstance")
            .field("inst_id", &self.inner.core.info.inst_id)
            .finish()
    }
}

/// The addresses of a request's AAD and separate digest.
#[derive(Clone, Copy, Default)]
pub(crate) struct AuxAddrs {
    pub(crate) aad: Iova,
    pub(crate) digest: Iova,
    /// The AAD buffer holds the AAD alone (the Rust API); false for the C
    /// layout, where a CCM AAD starts at byte 18 after B0 and its length.
    pub(crate) raw: bool,
}

impl AuxAddrs {
    /// Embedded mode: the caller's slices, by address (the endpoint reaches
    /// this process's memory).
    fn of_slices(op: &mut SymOpData<'_>) -> AuxAddrs {
        AuxAddrs {
            aad: Iova(op.aad.as_ptr() as u64),
            digest: op
                .digest
                .as_mut()
                .map_or(Iova(0), |d| Iova(d.as_mut_ptr() as u64)),
            raw: true,
        }
    }

    /// The DMA buffers of an asynchronous or data-plane request.
    fn of_request(r: &SymRequest) -> AuxAddrs {
        AuxAddrs {
            aad: r.aad.as_ref().map_or(Iova(0), DmaBuf::iova),
            digest: r.digest.as_ref().map_or(Iova(0), DmaBuf::iova),
            raw: true,
        }
    }
}

thread_local! {
    /// Managed mode: where this thread's synchronous calls put the AAD and a
    /// separate digest (registered DMA memory the daemon can reach).
    static AUX: RefCell<Option<DmaBuf>> = const { RefCell::new(None) };
}

/// Bytes of the AUX buffer for the AAD; the digest follows.
const AUX_AAD: usize = 256;
/// Bytes of the AUX buffer in all.
const AUX_LEN: usize = AUX_AAD + softqat_device::firmware::sym::SYM_MAX_DIGEST;

impl CyInstance {
    crate::instance::instance_core_calls!("Cy");

    /// `cpaCySymQueryCapabilities`.
    pub fn sym_capabilities(&self) -> SymCapabilities {
        SymCapabilities::for_class(self.inner.class)
    }

    /// `cpaCySymQueryStats64`.
    pub fn sym_stats(&self) -> SymStats {
        self.inner.stats.snapshot()
    }

    pub(super) fn new_session(&self, setup: &SymSessionSetup, mode: SymMode) -> Result<SymSession> {
        if !self.inner.has_sym {
            self.inner.stats.session_initialized(false);
            return Err(Error::unsupported(format!(
                "{} has no symmetric ring pair: its endpoint's ServicesEnabled lacks sym",
                self.inner.core.info.inst_id
            )));
        }
        let made = validate(setup, self.inner.class).and_then(|(desc, facts)| {
            SymSessionInner::new(
                setup.clone(),
                desc,
                facts,
                mode,
                Arc::as_ptr(&self.inner) as usize,
            )
        });
        self.inner.stats.session_initialized(made.is_ok());
        Ok(SymSession {
            inner: Arc::new(made?),
        })
    }

    /// `cpaCySymInitSession` with no callback: requests on this session are
    /// synchronous ([`perform`](Self::perform)).
    pub fn init_sym_session(&self, setup: &SymSessionSetup) -> Result<SymSession> {
        self.new_session(setup, SymMode::Sync)
    }

    /// `cpaCySymInitSession` with a callback: requests are asynchronous
    /// ([`submit`](Self::submit)) and the callback runs inside the poll call
    /// that consumes each response.
    pub fn init_sym_session_async(
        &self,
        setup: &SymSessionSetup,
        callback: impl Fn(SymCompletion) + Send + Sync + 'static,
    ) -> Result<SymSession> {
        let cb: SymCallback = Arc::new(callback);
        self.new_session(setup, SymMode::Async(cb))
    }

    /// `cpaCySymDpInitSession`: a data-plane session (always stateless).
    pub fn init_sym_dp_session(&self, setup: &SymSessionSetup) -> Result<SymSession> {
        let mut setup = setup.clone();
        setup.partials_not_required = true;
        self.new_session(&setup, SymMode::DataPlane)
    }

    pub(super) fn own(&self, s: &SymSessionInner) -> Result<()> {
        if s.instance != Arc::as_ptr(&self.inner) as usize {
            return Err(Error::invalid(
                "the session belongs to another instance: create it on this one",
            ));
        }
        if s.removed.load(Ordering::Acquire) {
            return Err(Error::invalid(
                "the session was removed: initialise a new one",
            ));
        }
        Ok(())
    }

    /// `cpaCySymRemoveSession`: RETRY while its requests are in flight. The
    /// endpoint refuses the session from now on; its keys are wiped.
    pub fn remove_sym_session(&self, session: &SymSession) -> Result<()> {
        let s = &session.inner;
        let r = self.own(s).and_then(|()| {
            if session.in_use() {
                return Err(Error::retry(
                    "the session has requests in flight: poll until they complete, then remove it",
                ));
            }
            s.removed.store(true, Ordering::Release);
            s.retire();
            Ok(())
        });
        self.inner.stats.session_removed(r.is_ok());
        r
    }

    /// `cpaCySymUpdateSession`: a new cipher key, direction or authentication
    /// key, checked like a new session. RETRY while requests are in flight.
    pub fn update_sym_session(
        &self,
        session: &SymSession,
        update: &SymSessionUpdate,
    ) -> Result<()> {
        let s = &session.inner;
        self.own(s)?;
        if session.in_use() {
            return Err(Error::retry(
                "the session has requests in flight: poll until they complete, then update it",
            ));
        }
        let mut setup = session.setup();
        if update.cipher_key.is_some() || update.cipher_direction.is_some() {
            let Some(c) = setup.cipher.as_mut() else {
                return Err(Error::invalid(
                    "the session has no cipher: only the authentication key can be updated",
                ));
            };
            if let Some(k) = &update.cipher_key {
                c.key = k.clone();
            }
            if let Some(d) = update.cipher_direction {
                c.direction = d;
            }
        }
        if let Some(k) = &update.auth_key {
            let Some(h) = setup.hash.as_mut() else {
                return Err(Error::invalid(
                    "the session has no hash: only the cipher key and direction can be updated",
                ));
            };
            h.auth_key = k.clone();
        }
        if let (Some(c), Some(_)) = (&setup.cipher, update.cipher_direction) {
            // An authenticated cipher's chain order follows its direction.
            if s.facts().aead.is_some() {
                setup.chain_order = match c.direction {
                    super::CipherDirection::Encrypt => super::AlgChainOrder::CipherThenHash,
                    super::CipherDirection::Decrypt => super::AlgChainOrder::HashThenCipher,
                };
            }
        }
        let (desc, facts) = validate(&setup, self.inner.class)?;
        s.rewrite(desc);
        s.set_facts(facts);
        *s.setup.lock().unwrap_or_else(|e| e.into_inner()) = setup;
        Ok(())
    }

    /// Checks a request against its session; `digest` and `aad` are the
    /// lengths the caller gave.
    pub(super) fn check(
        &self,
        s: &SymSessionInner,
        f: &SessionFacts,
        packet: PacketType,
        in_place: bool,
        aad: usize,
        digest: Option<usize>,
    ) -> Result<()> {
        self.own(s)?;
        if packet != PacketType::Full {
            if !f.partials {
                return Err(Error::invalid(
                    "partial packets are not available for this session: its algorithms have \
                     no partials on this endpoint (or partialsNotRequired is set); send FULL packets",
                ));
            }
            if !in_place {
                return Err(Error::invalid(
                    "partial packets are processed in place only: pass the same buffer as \
                     source and destination",
                ));
            }
        }
        if aad < f.aad_len {
            return Err(Error::invalid(
                "the AAD is shorter than the session's aadLenInBytes: pass that many bytes",
            ));
        }
        let digest_read =
            f.hashes && !f.appended && (f.op != SymOp::Hash || packet != PacketType::Partial);
        if digest_read && digest.is_none_or(|n| n < f.digest_len) {
            return Err(Error::invalid(
                "the session's digest is not appended: pass a digest buffer of \
                 digestResultLenInBytes bytes (pDigestResult)",
            ));
        }
        self.inner.core.check_ready()
    }

    /// The request descriptor of one symmetric request.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn request(
        s: &SymSessionInner,
        f: &SessionFacts,
        packet: PacketType,
        iv: &[u8],
        regions: [u32; 4],
        aux: AuxAddrs,
        src: BufferDesc,
        dst: BufferDesc,
        dp: bool,
    ) -> Result<RequestDesc> {
        if iv.len() > SYM_MAX_IV {
            return Err(Error::invalid(super::IV_TOO_LONG));
        }
        let mut p = SymRequestParams {
            packet: packet.value(),
            iv_len: iv.len() as u8,
            flags: if aux.raw { SYM_REQ_AAD_RAW } else { 0 },
            cipher_offset: regions[0],
            cipher_len: regions[1],
            hash_offset: regions[2],
            hash_len: regions[3],
            aad: aux.aad,
            digest: aux.digest,
            ..SymRequestParams::default()
        };
        if f.aead == Some(AeadKind::Ccm) {
            // QAT's layout: the nonce from byte 1 of the IV block.
            if iv.len() >= SYM_MAX_IV {
                return Err(Error::invalid("a CCM nonce is 7 to 13 bytes"));
            }
            p.iv[1..1 + iv.len()].copy_from_slice(iv);
        } else {
            p.iv[..iv.len()].copy_from_slice(iv);
        }
        let mut desc: RequestDesc = bytemuck::Zeroable::zeroed();
        desc.header.service = ServiceId::Sym as u8;
        desc.header.command = SymCommand::Perform as u8;
        desc.header.flags = if dp { REQ_DP } else { 0 };
        desc.content = s.content_iova;
        desc.content_len = s.content_len;
        desc.src = src;
        desc.dst = dst;
        desc.set_params(&p);
        Ok(desc)
    }

    fn completer(&self) -> impl Fn(ResponseDesc, CyCookie) + '_ {
        move |resp, cookie| self.complete(resp, cookie)
    }

    /// Counts a response and reads its results.
    fn results(&self, resp: &ResponseDesc, verifies: bool) -> (CpaStatus, SymResults) {
        let status = CpaStatus::from_code(i32::from(resp.cpa_status));
        let r: SymResponseResults = resp.result();
        let results = SymResults::from_response(&r);
        self.inner
            .stats
            .requests
            .completed(status == CpaStatus::Success);
        if status == CpaStatus::Success && verifies && !results.verify_ok {
            self.inner.stats.verify_failed();
        }
        (status, results)
    }

    pub(crate) fn complete(&self, resp: ResponseDesc, cookie: CyCookie) {
        match cookie {
            CyCookie::Async {
                session,
                tag,
                request,
                src,
                dst,
                partial,
            } => {
                let f = session.facts();
                let (status, results) = self.results(&resp, f.verify);
                session.in_flight.fetch_sub(1, Ordering::AcqRel);
                if partial {
                    self.send_next_partial(&session);
                }
                if let SymMode::Async(cb) = &session.mode {
                    cb(SymCompletion {
                        tag,
                        status,
                        op: f.op,
                        results,
                        request,
                        src,
                        dst,
                    });
                }
            }
            CyCookie::Dp(op) => self.complete_dp(resp, op),
            CyCookie::Foreign {
                session,
                words,
                partial,
            } => {
                let f = session.facts();
                let (status, results) = self.results(&resp, f.verify);
                session.in_flight.fetch_sub(1, Ordering::AcqRel);
                if partial {
                    self.send_next_partial(&session);
                }
                if let SymMode::Foreign(cb) = &session.mode {
                    cb(words, status, f.op, &results);
                }
            }
            CyCookie::Asym(c) => self.complete_asym(resp, c),
        }
    }

    pub(crate) fn complete_dp(&self, resp: ResponseDesc, op: SymDpOp) {
        let verifies = op.session.inner.facts().verify;
        let (status, results) = self.results(&resp, verifies);
        op.session.inner.in_flight.fetch_sub(1, Ordering::AcqRel);
        let cb = self
            .inner
            .dp_callback
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(cb) = cb {
            cb(super::dp::SymDpCompletion {
                tag: op.tag,
                status,
                results,
                op,
            });
        }
    }

    /// Takes the partial-packet turn of a session: one partial packet in
    /// flight at a time (they must be processed in order).
    pub(super) fn take_partial_turn(s: &SymSessionInner, packet: PacketType) -> Result<bool> {
        if packet == PacketType::Full {
            return Ok(false);
        }
        if s.partial_busy.swap(true, Ordering::AcqRel) {
            return Err(Error::retry(
                "a partial packet of this session is in flight: poll for its completion, then \
                 submit the next part",
            ));
        }
        Ok(true)
    }

    /// Submits a synchronous request and waits for its results.
    pub(super) fn call(
        &self,
        s: &SymSessionInner,
        desc: &RequestDesc,
        verifies: bool,
    ) -> Result<SymResults> {
        let counters = &self.inner.stats.requests;
        s.in_flight.fetch_add(1, Ordering::AcqRel);
        let outcome = self.inner.core.call(desc, &self.completer());
        s.in_flight.fetch_sub(1, Ordering::AcqRel);
        let resp = match outcome {
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
        let (status, results) = self.results(&resp, verifies);
        if resp.is_dummy() {
            return Err(Error::fail(crate::instance::DUMMY_RESPONSE));
        }
        match status {
            CpaStatus::Success => Ok(results),
            s => Err(Error::new(
                s,
                "the endpoint refused the request: check the regions, IV, AAD and digest \
                 against the session",
            )),
        }
    }

    fn sync_session<'a>(&self, session: &'a SymSession) -> Result<&'a SymSessionInner> {
        if !matches!(session.inner.mode, SymMode::Sync) {
            self.inner.stats.requests.submitted(false);
            return Err(Error::invalid(
                "this session has a callback (asynchronous) or is a data-plane session: use \
                 submit() or the data-plane calls",
            ));
        }
        Ok(&session.inner)
    }

    /// `cpaCySymPerformOp` on a synchronous session, out of place: `dst`
    /// receives `src` with the regions processed (it must be at least as
    /// long), and the results come back.
    pub fn perform(
        &self,
        session: &SymSession,
        op: SymOpData<'_>,
        src: &[u8],
        dst: &mut [u8],
    ) -> Result<SymResults> {
        self.sync_call(session, op, Some(src), dst)
    }

    /// `cpaCySymPerformOp` on a synchronous session, in place (`pDstBuffer`
    /// = `pSrcBuffer`): the only way partial packets run.
    pub fn perform_in_place(
        &self,
        session: &SymSession,
        op: SymOpData<'_>,
        buf: &mut [u8],
    ) -> Result<SymResults> {
        self.sync_call(session, op, None, buf)
    }

    fn sync_call(
        &self,
        session: &SymSession,
        mut op: SymOpData<'_>,
        src: Option<&[u8]>,
        dst: &mut [u8],
    ) -> Result<SymResults> {
        let s = self.sync_session(session)?;
        let f = s.facts();
        let packet = op.packet.unwrap_or(PacketType::Full);
        let refuse = |e: Error| {
            self.inner.stats.requests.submitted(false);
            Err(e)
        };
        let digest_len = op.digest.as_ref().map(|d| d.len());
        if let Err(e) = self.check(s, &f, packet, src.is_none(), op.aad.len(), digest_len) {
            return refuse(e);
        }
        if src.is_some_and(|x| x.len() > dst.len()) {
            return refuse(Error::invalid(
                "the destination is shorter than the source: QAT's destination is the same size",
            ));
        }
        if dst.len() > u32::MAX as usize {
            return refuse(Error::invalid("a single request is limited to 4 GB"));
        }
        let regions = [op.cipher_offset, op.cipher_len, op.hash_offset, op.hash_len];
        let partial = match Self::take_partial_turn(s, packet) {
            Ok(p) => p,
            Err(e) => return refuse(e),
        };
        let result = if self.inner.core.bounce {
            self.bounced_call(s, &f, packet, &mut op, regions, src, dst)
        } else {
            let aux = AuxAddrs::of_slices(&mut op);
            let (sd, dd) = match src {
                Some(x) => (slice_desc(x), slice_desc_mut(dst)),
                None => {
                    let d = slice_desc_mut(dst);
                    (d, d)
                }
            };
            match Self::request(s, &f, packet, op.iv, regions, aux, sd, dd, false) {
                Ok(desc) => self.call(s, &desc, f.verify),
                Err(e) => refuse(e),
            }
        };
        if partial {
            s.partial_busy.store(false, Ordering::Release);
        }
        result
    }

    /// Managed mode: the daemon reaches only registered memory, so the data,
    /// AAD and digest go through this thread's bounce buffers.
    #[allow(clippy::too_many_arguments)]
    fn bounced_call(
        &self,
        s: &SymSessionInner,
        f: &SessionFacts,
        packet: PacketType,
        op: &mut SymOpData<'_>,
        regions: [u32; 4],
        src: Option<&[u8]>,
        dst: &mut [u8],
    ) -> Result<SymResults> {
        let mut bounce = Bounce::take(
            src.unwrap_or(dst),
            if src.is_some() { dst.len() } else { 0 },
        )?;
        if src.is_some() {
            // The whole destination is copied back below: start from the
            // caller's bytes, so those the request does not write (past the
            // source) stay the caller's, as in embedded mode, and no stale
            // bytes of an earlier request come out.
            bounce.dst.copy_from_slice(dst);
        }
        let mut aux = match AUX.with(|a| a.borrow_mut().take()) {
            Some(b) => b,
            None => DmaBuf::try_new(AUX_LEN)?,
        };
        aux.set_len(AUX_LEN);
        let aad_n = op.aad.len().min(AUX_AAD);
        aux[..aad_n].copy_from_slice(&op.aad[..aad_n]);
        let dn = op
            .digest
            .as_ref()
            .map_or(0, |d| d.len().min(AUX_LEN - AUX_AAD));
        if let Some(d) = &op.digest {
            aux[AUX_AAD..AUX_AAD + dn].copy_from_slice(&d[..dn]);
        }
        let addrs = AuxAddrs {
            aad: aux.iova(),
            digest: Iova(aux.iova().0 + AUX_AAD as u64),
            raw: true,
        };
        let (sd, dd) = match src {
            Some(_) => (bounce.src.desc(), bounce.dst.desc()),
            None => (bounce.src.desc(), bounce.src.desc()),
        };
        let result = Self::request(s, f, packet, op.iv, regions, addrs, sd, dd, false)
            .and_then(|desc| self.call(s, &desc, f.verify));
        if result.is_ok() {
            let out = if src.is_some() {
                &bounce.dst
            } else {
                &bounce.src
            };
            let n = dst.len().min(out.len());
            dst[..n].copy_from_slice(&out[..n]);
            if let Some(d) = op.digest.as_mut() {
                d[..dn].copy_from_slice(&aux[AUX_AAD..AUX_AAD + dn]);
            }
        }
        AUX.with(|a| *a.borrow_mut() = Some(aux));
        bounce.give_back();
        result
    }

    /// `cpaCySymPerformOp` on buffer lists, synchronous: `dst` `None` is in
    /// place. The lists' segments are DMA memory in both modes; the request's
    /// AAD and digest are passed as for [`perform`](Self::perform).
    pub fn perform_lists(
        &self,
        session: &SymSession,
        op: SymOpData<'_>,
        src: &mut crate::dma::BufferList,
        dst: Option<&mut crate::dma::BufferList>,
    ) -> Result<SymResults> {
        let s = self.sync_session(session)?;
        let f = s.facts();
        let packet = op.packet.unwrap_or(PacketType::Full);
        let refuse = |e: Error| {
            self.inner.stats.requests.submitted(false);
            Err(e)
        };
        let digest_len = op.digest.as_ref().map(|d| d.len());
        if let Err(e) = self.check(s, &f, packet, dst.is_none(), op.aad.len(), digest_len) {
            return refuse(e);
        }
        if self.inner.core.bounce && (!op.aad.is_empty() || op.digest.is_some()) {
            return refuse(Error::invalid(
                "in managed mode, requests on buffer lists take their AAD and digest from DMA \
                 memory: use submit() with DmaBufs, or append the digest",
            ));
        }
        let sd = match src.desc() {
            Ok(d) => d,
            Err(e) => return refuse(e),
        };
        let dd = match dst {
            Some(d) => match d.desc() {
                Ok(d) => d,
                Err(e) => return refuse(e),
            },
            None => sd,
        };
        let partial = match Self::take_partial_turn(s, packet) {
            Ok(p) => p,
            Err(e) => return refuse(e),
        };
        let mut op = op;
        let aux = AuxAddrs::of_slices(&mut op);
        let regions = [op.cipher_offset, op.cipher_len, op.hash_offset, op.hash_len];
        let result = match Self::request(s, &f, packet, op.iv, regions, aux, sd, dd, false) {
            Ok(desc) => self.call(s, &desc, f.verify),
            Err(e) => refuse(e),
        };
        if partial {
            s.partial_busy.store(false, Ordering::Release);
        }
        result
    }

    /// `cpaCySymPerformOp` on an asynchronous session: the op data and
    /// buffers move into the request (`dst` `None`: in place) and come back
    /// in the session's callback, or in the refusal.
    #[allow(clippy::result_large_err)]
    pub fn submit(
        &self,
        session: &SymSession,
        request: SymRequest,
        mut src: SymData,
        mut dst: Option<SymData>,
        tag: u64,
    ) -> std::result::Result<(), SymRejected> {
        let s = &session.inner;
        let reject = |error: Error, request, src, dst| {
            self.inner.stats.requests.submitted(false);
            Err(SymRejected {
                error,
                request,
                src,
                dst,
            })
        };
        if !matches!(s.mode, SymMode::Async(_)) {
            return reject(
                Error::invalid(
                    "this session has no callback: use perform() (synchronous), or create it \
                     with init_sym_session_async",
                ),
                request,
                src,
                dst,
            );
        }
        let f = s.facts();
        let packet = request.packet.unwrap_or(PacketType::Full);
        let aad_len = request.aad.as_ref().map_or(0, |a| a.len());
        let digest_len = request.digest.as_ref().map(|d| d.len());
        if let Err(e) = self.check(s, &f, packet, dst.is_none(), aad_len, digest_len) {
            return reject(e, request, src, dst);
        }
        let sd = match src.desc() {
            Ok(d) => d,
            Err(e) => return reject(e, request, src, dst),
        };
        let dd = match dst.as_mut().map(SymData::desc) {
            None => sd,
            Some(Ok(d)) => d,
            Some(Err(e)) => return reject(e, request, src, dst),
        };
        let aux = AuxAddrs::of_request(&request);
        let regions = request.regions();
        let desc = match request
            .iv_bytes()
            .and_then(|iv| Self::request(s, &f, packet, iv, regions, aux, sd, dd, false))
        {
            Ok(d) => d,
            Err(e) => return reject(e, request, src, dst),
        };
        let partial = packet != PacketType::Full;
        s.in_flight.fetch_add(1, Ordering::AcqRel);
        let cookie = CyCookie::Async {
            session: s.clone(),
            tag,
            request,
            src,
            dst,
            partial,
        };
        let sent = self.submit_in_order(s, &desc, cookie, partial);
        self.after_submit(s, sent, &reject)
    }

    /// Puts an asynchronous request on the ring. Partial packets go in
    /// order, one on the ring at a time: while one is in flight the next
    /// waits in the session (under its lock, so a completion never misses
    /// it). The cookie comes back when the ring is full (moved, not boxed:
    /// refusing allocates nothing).
    #[allow(clippy::result_large_err)]
    pub(super) fn submit_in_order(
        &self,
        s: &SymSessionInner,
        desc: &RequestDesc,
        cookie: CyCookie,
        partial: bool,
    ) -> std::result::Result<(), CyCookie> {
        if !partial {
            return self.inner.core.submit(desc, cookie);
        }
        let mut q = s.partial_queue.lock().unwrap_or_else(|e| e.into_inner());
        if s.partial_busy.load(Ordering::Acquire) {
            q.push_back((*desc, cookie));
            return Ok(());
        }
        let sent = self.inner.core.submit(desc, cookie);
        if sent.is_ok() {
            s.partial_busy.store(true, Ordering::Release);
        }
        sent
    }

    /// Counts a submission, or gives everything back when the ring was full.
    #[allow(clippy::result_large_err)]
    fn after_submit(
        &self,
        s: &SymSessionInner,
        sent: std::result::Result<(), CyCookie>,
        reject: &dyn Fn(
            Error,
            SymRequest,
            SymData,
            Option<SymData>,
        ) -> std::result::Result<(), SymRejected>,
    ) -> std::result::Result<(), SymRejected> {
        match sent {
            Ok(()) => {
                self.inner.stats.requests.submitted(true);
                Ok(())
            }
            Err(CyCookie::Async {
                request, src, dst, ..
            }) => {
                s.in_flight.fetch_sub(1, Ordering::AcqRel);
                reject(self.inner.core.ring_full(), request, src, dst)
            }
            Err(CyCookie::Dp(_) | CyCookie::Foreign { .. } | CyCookie::Asym(_)) => {
                unreachable!("submit returns the cookie it was given")
            }
        }
    }

    /// A partial packet of `s` completed: sends the next one waiting, or
    /// frees the session's turn. A full ring leaves the next one at the
    /// head of the queue for the next poll to send.
    fn send_next_partial(&self, s: &Arc<SymSessionInner>) {
        let next = {
            let mut q = s.partial_queue.lock().unwrap_or_else(|e| e.into_inner());
            match q.pop_front() {
                Some(item) => Some(item),
                None => {
                    s.partial_busy.store(false, Ordering::Release);
                    None
                }
            }
        };
        if let Some((desc, cookie)) = next {
            if let Err(cookie) = self.inner.core.submit(&desc, cookie) {
                s.partial_queue
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push_front((desc, cookie));
                self.stall(s.clone());
            }
        }
    }

    fn stall(&self, s: Arc<SymSessionInner>) {
        let mut st = self.inner.stalled.lock().unwrap_or_else(|e| e.into_inner());
        st.push(s);
        self.inner.has_stalled.store(true, Ordering::Release);
    }

    /// Sends the queued partial packets a full ring held back.
    fn send_stalled(&self) {
        let stalled = {
            let mut st = self.inner.stalled.lock().unwrap_or_else(|e| e.into_inner());
            self.inner.has_stalled.store(false, Ordering::Release);
            std::mem::take(&mut *st)
        };
        for s in stalled {
            let head = s
                .partial_queue
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .pop_front();
            if let Some((desc, cookie)) = head {
                if let Err(cookie) = self.inner.core.submit(&desc, cookie) {
                    s.partial_queue
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push_front((desc, cookie));
                    self.stall(s);
                }
            }
        }
    }

    /// `icp_sal_CyPollInstance`: consumes up to `quota` responses (0: all
    /// waiting), running callbacks. RETRY when there was nothing to consume
    /// or another thread is polling the instance.
    pub fn poll(&self, quota: u32) -> Result<u32> {
        let r = self.inner.core.poll(quota, &self.completer());
        if self.inner.has_stalled.load(Ordering::Acquire) {
            self.send_stalled();
        }
        let Some(asym) = self.inner.asym_ring.get() else {
            return r;
        };
        // icp_sal_CyPollInstance polls both ring pairs; RETRY only when
        // neither had a response.
        let left = match (quota, &r) {
            (0, _) => 0,
            (q, Ok(n)) if *n >= q => return r,
            (q, Ok(n)) => q - n,
            (q, Err(_)) => q,
        };
        match (r, asym.poll(left, &self.completer())) {
            (Ok(a), Ok(b)) => Ok(a + b),
            (Ok(a), Err(_)) => Ok(a),
            (Err(_), Ok(b)) => Ok(b),
            (Err(e), Err(_)) => Err(e),
        }
    }

    /// `cpaCySymDpRegCbFunc`.
    pub fn sym_dp_register_callback(
        &self,
        cb: impl Fn(super::dp::SymDpCompletion) + Send + Sync + 'static,
    ) {
        *self
            .inner
            .dp_callback
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(cb));
        self.inner.dp_registered.store(true, Ordering::Release);
    }

    pub(crate) fn has_dp_callback(&self) -> bool {
        self.inner.dp_registered.load(Ordering::Acquire)
    }

    /// The descriptor of a data-plane request.
    pub(crate) fn dp_desc(&self, op: &SymDpOp) -> Result<RequestDesc> {
        let s = &op.session.inner;
        if !matches!(s.mode, SymMode::DataPlane) {
            return Err(Error::invalid(
                "data-plane requests need a session from init_sym_dp_session",
            ));
        }
        let f = s.facts();
        let r = &op.request;
        let aad_len = r.aad.as_ref().map_or(0, |a| a.len());
        let digest_len = r.digest.as_ref().map(|d| d.len());
        self.check(
            s,
            &f,
            PacketType::Full,
            op.dst.is_none(),
            aad_len,
            digest_len,
        )?;
        let aux = AuxAddrs::of_request(r);
        let sd = op.src.desc();
        let dd = op.dst.as_ref().map_or(sd, DmaBuf::desc);
        let regions = r.regions();
        Self::request(
            s,
            &f,
            PacketType::Full,
            r.iv_bytes()?,
            regions,
            aux,
            sd,
            dd,
            true,
        )
    }

    /// Queues a data-plane request whose descriptor is built; a full ring
    /// gives the op back (moved, not boxed: refusing allocates nothing).
    #[allow(clippy::result_large_err)]
    pub(crate) fn dp_stage(
        &self,
        desc: &RequestDesc,
        op: SymDpOp,
    ) -> std::result::Result<(), SymDpOp> {
        op.session.inner.in_flight.fetch_add(1, Ordering::AcqRel);
        match self.inner.core.stage(desc, CyCookie::Dp(op)) {
            Ok(()) => {
                self.inner.stats.requests.submitted(true);
                Ok(())
            }
            Err(CyCookie::Dp(op)) => {
                op.session.inner.in_flight.fetch_sub(1, Ordering::AcqRel);
                self.inner.stats.requests.submitted(false);
                Err(op)
            }
            Err(CyCookie::Async { .. } | CyCookie::Foreign { .. } | CyCookie::Asym(_)) => {
                unreachable!("stage returns the cookie it was given")
            }
        }
    }

    /// Room in the ring for this many more requests.
    pub(crate) fn room(&self) -> u32 {
        self.inner.core.room()
    }

    /// `cpaCySymDpPerformOpNow`: sends every queued data-plane request.
    pub fn sym_dp_perform_now(&self) {
        self.inner.core.publish();
    }

    /// Data-plane requests queued and not yet sent.
    pub fn sym_dp_queued(&self) -> u32 {
        self.inner.core.staged()
    }

    /// `icp_sal_CyPollDpInstance`.
    pub fn dp_poll(&self, quota: u32) -> Result<u32> {
        self.poll(quota)
    }

    pub(crate) fn ring_full(&self) -> Error {
        self.inner.core.ring_full()
    }

    pub(crate) fn count_refused(&self) {
        self.count_refused_many(1);
    }

    pub(crate) fn count_refused_many(&self, n: usize) {
        self.inner.stats.requests.submitted_many(false, n as u64);
    }
}
