//! Compression instances: the channel from the application to one ring pair
//! of an endpoint (`CpaInstanceHandle` of the DC service).
//!
//! Requests go out as descriptors on the instance's ring; what the SAL needs
//! to finish a request (the waiting caller, the session callback and the
//! buffers) stays in the ring's per-slot cookie, in this process's memory.
//! Responses are consumed by whoever polls the instance: an application
//! thread (polled mode), an epoll loop woken by the instance's file
//! descriptor (epoll mode), or the synchronous caller itself while it waits.

use std::cell::RefCell;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use softqat_config::DeviceClass;
use softqat_device::desc::{
    BufferDesc, Opcode, RequestDesc, ResponseDesc, BUF_FLAT, REQ_CNV, REQ_CNVNR, REQ_DP,
    RESP_CNV_RECOVERED, RESP_DATA_UNCOMPRESSED, RESP_END_OF_LAST_BLOCK,
};
use softqat_device::ring::{PollOutcome, RingProducer};
use softqat_device::DeviceState;
use softqat_engine::DcStatus;

use crate::dc::{
    DcCallback, DcCapabilities, DcCompletion, DcOpData, DcResults, DcSession, DcSessionSetup,
    DcStats, FlushFlag, SessionDirection, SessionInner, SessionMode, StatsCounters,
};
use crate::dma::DmaBuf;
use crate::dp::{DpCallback, DpCompletion, DpOp};
use crate::error::{CpaStatus, Error, Result};
use crate::link::EndpointLink;
use crate::simulate;

/// How responses of an instance are collected (`IsPolled` in the config).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollingMode {
    /// IsPolled = 1: the application polls.
    Polled,
    /// IsPolled = 2: the application waits on a file descriptor with epoll,
    /// then polls.
    Epoll,
}

/// Instance events delivered to the notification callback
/// (`CpaInstanceEvent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceEvent {
    /// CPA_INSTANCE_EVENT_RESTARTING (0).
    Restarting = 0,
    /// CPA_INSTANCE_EVENT_RESTARTED (1).
    Restarted = 1,
    /// CPA_INSTANCE_EVENT_FATAL_ERROR (2).
    FatalError = 2,
}

/// The notification callback of an instance.
pub type NotificationCallback = Arc<dyn Fn(InstanceEvent) + Send + Sync>;

/// `CpaInstanceInfo2` of a compression instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceInfo {
    /// `accelerationServiceType`: always data compression here.
    pub service: &'static str,
    /// `vendorName`.
    pub vendor_name: String,
    /// `partName`.
    pub part_name: String,
    /// `swVersion`.
    pub sw_version: String,
    /// `instName`, e.g. `dc0` or the configured name.
    pub inst_name: String,
    /// `instID`: `<section>_<instName>`.
    pub inst_id: String,
    /// `physInstId.packageId`: the endpoint number (N of qat_devN).
    pub package_id: u32,
    /// `physInstId.acceleratorId`.
    pub accelerator_id: u32,
    /// `physInstId.executionEngineId`.
    pub execution_engine_id: u32,
    /// `physInstId.busAddress`: bus << 8 | device << 3 | function.
    pub bus_address: u16,
    /// The bank the instance's ring pair is in.
    pub bank: u32,
    /// The ring pair within the bank.
    pub ring_pair: u32,
    /// `coreAffinity`: cores the instance is affinitised to.
    pub core_affinity: Vec<u32>,
    /// `nodeAffinity`.
    pub node_affinity: u32,
    /// `requiresPhysicallyContiguousMemory`.
    pub requires_physically_contiguous_memory: bool,
    /// `isPolled` (true for polled and epoll instances).
    pub is_polled: bool,
    /// Polled or epoll.
    pub polling: PollingMode,
    /// `isOffloaded`.
    pub is_offloaded: bool,
    /// Maximum requests in flight (the ring capacity).
    pub max_in_flight: u32,
}

/// What the SAL keeps per in-flight request, in this process's memory.
pub(crate) enum Cookie {
    Sync(Arc<SyncWaiter>),
    Async {
        session: Arc<SessionInner>,
        tag: u64,
        src: DmaBuf,
        dst: DmaBuf,
    },
    Dp {
        tag: u64,
        src: DmaBuf,
        dst: DmaBuf,
    },
}

/// Where a synchronous caller waits for its response.
pub(crate) struct SyncWaiter {
    done: AtomicBool,
    status: AtomicI32,
    results: Mutex<Option<DcResults>>,
}

impl SyncWaiter {
    fn new() -> SyncWaiter {
        SyncWaiter {
            done: AtomicBool::new(false),
            status: AtomicI32::new(0),
            results: Mutex::new(None),
        }
    }

    fn finish(&self, status: CpaStatus, results: DcResults) {
        *self.results.lock().unwrap_or_else(|e| e.into_inner()) = Some(results);
        self.status.store(status.code(), Ordering::Relaxed);
        self.done.store(true, Ordering::Release);
    }

    fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }
}

thread_local! {
    /// Waiters reused by synchronous calls of this thread: no allocation per
    /// request once warm, and nested synchronous calls (from callbacks) get a
    /// waiter of their own.
    static WAITERS: RefCell<Vec<Arc<SyncWaiter>>> = const { RefCell::new(Vec::new()) };
}

fn take_waiter() -> Arc<SyncWaiter> {
    WAITERS
        .with(|w| w.borrow_mut().pop())
        .unwrap_or_else(|| Arc::new(SyncWaiter::new()))
}

fn return_waiter(w: Arc<SyncWaiter>) {
    w.done.store(false, Ordering::Relaxed);
    WAITERS.with(|pool| pool.borrow_mut().push(w));
}

pub(crate) struct DcInstanceInner {
    pub(crate) info: InstanceInfo,
    pub(crate) endpoint: Arc<dyn EndpointLink>,
    /// True when the endpoint cannot reach ordinary memory of this process
    /// (managed mode): synchronous calls on slices copy through a bounce
    /// buffer.
    pub(crate) bounce: bool,
    pub(crate) class: &'static DeviceClass,
    pub(crate) ring: RingProducer<Cookie>,
    pub(crate) started: AtomicBool,
    pub(crate) stats: StatsCounters,
    pub(crate) dp_callback: Mutex<Option<DpCallback>>,
    pub(crate) notification: Mutex<Option<NotificationCallback>>,
    pub(crate) fd_handed_out: AtomicBool,
}

impl DcInstanceInner {
    /// A stopped instance over `ring`, on `endpoint`.
    pub(crate) fn new(
        info: InstanceInfo,
        endpoint: Arc<dyn EndpointLink>,
        bounce: bool,
        class: &'static DeviceClass,
        ring: RingProducer<Cookie>,
    ) -> Arc<DcInstanceInner> {
        let inner = Arc::new(DcInstanceInner {
            info,
            endpoint,
            bounce,
            class,
            ring,
            started: AtomicBool::new(false),
            stats: StatsCounters::default(),
            dp_callback: Mutex::new(None),
            notification: Mutex::new(None),
            fd_handed_out: AtomicBool::new(false),
        });
        if inner.info.polling == PollingMode::Epoll {
            // The fd must already reflect waiting responses when handed out.
            inner.ring.arm();
        }
        inner
    }
}

impl Drop for DcInstanceInner {
    fn drop(&mut self) {
        self.endpoint
            .release_ring(self.info.bank, self.info.ring_pair);
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
            .field("inst_id", &self.inner.info.inst_id)
            .finish()
    }
}

/// A refused asynchronous request: the error and the buffers, given back.
#[derive(Debug)]
pub struct Rejected {
    /// Why the request was refused (RETRY when the ring is full).
    pub error: Error,
    /// The source buffer.
    pub src: DmaBuf,
    /// The destination buffer.
    pub dst: DmaBuf,
}

/// How long a synchronous caller polls its instance before it sleeps on the
/// notification fd: short requests answer within it without a wakeup (a
/// wakeup per response costs the engine's core as much as a small request).
const SYNC_POLL_BEFORE_SLEEP: Duration = Duration::from_micros(50);
/// Longest single sleep of a synchronous caller between polls.
const SYNC_SLEEP: Duration = Duration::from_millis(5);

impl DcInstance {
    /// `CpaInstanceInfo2` of the instance.
    pub fn info(&self) -> &InstanceInfo {
        &self.inner.info
    }

    /// The endpoint the instance's ring pair belongs to.
    pub fn endpoint(&self) -> &Arc<dyn EndpointLink> {
        &self.inner.endpoint
    }

    /// Whether the instance's endpoint is up (`operState`).
    pub fn is_up(&self) -> bool {
        self.inner.endpoint.is_up()
    }

    /// `cpaDcStartInstance`.
    pub fn start(&self) -> Result<()> {
        self.inner.started.store(true, Ordering::Release);
        Ok(())
    }

    /// `cpaDcStopInstance`: refused with RETRY while requests are in flight.
    pub fn stop(&self) -> Result<()> {
        let n = self.inner.ring.in_flight();
        if n != 0 {
            return Err(Error::retry(format!(
                "{n} requests are still in flight on {}: poll until they complete, then stop",
                self.inner.info.inst_id
            )));
        }
        self.inner.started.store(false, Ordering::Release);
        Ok(())
    }

    /// Whether `start` was called (and not `stop`).
    pub fn is_started(&self) -> bool {
        self.inner.started.load(Ordering::Acquire)
    }

    /// `cpaDcQueryCapabilities`.
    pub fn capabilities(&self) -> DcCapabilities {
        DcCapabilities::for_class(self.inner.class)
    }

    /// `cpaDcGetStats`.
    pub fn stats(&self) -> DcStats {
        self.inner.stats.snapshot()
    }

    /// Requests in flight on the instance.
    pub fn in_flight(&self) -> u32 {
        self.inner.ring.in_flight()
    }

    /// `cpaDcInstanceSetNotificationCb`.
    pub fn set_notification_callback(&self, cb: impl Fn(InstanceEvent) + Send + Sync + 'static) {
        *self
            .inner
            .notification
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(cb));
    }

    /// Delivers `event` to the notification callback, if any.
    pub fn notify(&self, event: InstanceEvent) {
        let cb = self
            .inner
            .notification
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(cb) = cb {
            cb(event);
        }
    }

    fn new_session(&self, setup: &DcSessionSetup, mode: SessionMode) -> Result<DcSession> {
        let desc = setup.validate(self.inner.class)?;
        Ok(DcSession {
            inner: Arc::new(SessionInner {
                setup: *setup,
                desc,
                mode,
                instance: Arc::as_ptr(&self.inner) as usize,
            }),
        })
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

    /// `cpaDcDpInitSession`: a data-plane session.
    pub fn init_dp_session(&self, setup: &DcSessionSetup) -> Result<DcSession> {
        self.new_session(setup, SessionMode::DataPlane)
    }

    fn check_ready(&self, session: &SessionInner, compress: bool) -> Result<()> {
        if session.instance != Arc::as_ptr(&self.inner) as usize {
            return Err(Error::invalid(
                "the session belongs to another instance: create it on this one",
            ));
        }
        let dir = session.setup.direction;
        if (compress && dir == SessionDirection::Decompress)
            || (!compress && dir == SessionDirection::Compress)
        {
            return Err(Error::invalid(format!(
                "the session's direction is {dir:?}: create a session with direction {} or Combined",
                if compress { "Compress" } else { "Decompress" }
            )));
        }
        if !self.is_started() {
            return Err(Error::fail(format!(
                "instance {} is not started: call start() first",
                self.inner.info.inst_id
            )));
        }
        // Down and restarting are passing states: the request may be
        // resubmitted after the RESTARTED event. Error is final.
        match self.inner.endpoint.state() {
            DeviceState::Up => Ok(()),
            DeviceState::Restarting => Err(Error::new(
                CpaStatus::Restarting,
                "the endpoint is restarting: resubmit after the RESTARTED event",
            )),
            DeviceState::Down => Err(Error::new(
                CpaStatus::Restarting,
                format!(
                    "endpoint qat_dev{} is down: resubmit after the RESTARTED event, once it is \
                     brought up (softqat up qat_dev{})",
                    self.inner.info.package_id, self.inner.info.package_id
                ),
            )),
            DeviceState::Error if self.inner.endpoint.is_lost() => Err(Error::fail(
                "softqatd went away: restart it, then start a new section",
            )),
            state => Err(Error::fail(format!(
                "endpoint qat_dev{} is in state {state}: reset it (softqat reset qat_dev{})",
                self.inner.info.package_id, self.inner.info.package_id
            ))),
        }
    }

    fn request(
        session: &SessionInner,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        op: &DcOpData,
        dp: bool,
    ) -> RequestDesc {
        let mut flags = 0;
        if compress && op.compress_and_verify {
            flags |= REQ_CNV;
        }
        if compress && op.compress_and_verify_and_recover {
            flags |= REQ_CNV | REQ_CNVNR;
        }
        if dp {
            flags |= REQ_DP;
        }
        let inject = if dp {
            0
        } else {
            simulate::take_simulated().map_or(0, |s| s.code() as i8)
        };
        let mut desc: RequestDesc = bytemuck::Zeroable::zeroed();
        desc.opcode = if compress {
            Opcode::DcCompress as u8
        } else {
            Opcode::DcDecompress as u8
        };
        desc.flags = flags;
        desc.flush = op.flush as u8;
        desc.inject = inject;
        desc.dc = session.desc;
        desc.src = src;
        desc.dst = dst;
        desc.seed_crc32 = op.checksum;
        desc.seed_adler32 = match session.setup.checksum {
            crate::dc::ChecksumType::Adler32 => op.checksum,
            _ => op.adler32,
        };
        if desc.seed_adler32 == 0 {
            desc.seed_adler32 = 1;
        }
        desc
    }

    fn submit(&self, desc: &RequestDesc, cookie: Cookie) -> std::result::Result<(), Cookie> {
        let r = self.inner.ring.submit(desc, cookie);
        if r.is_ok() {
            self.inner.endpoint.ring_doorbell();
        }
        r.map(|_| ())
    }

    fn ring_full(&self) -> Error {
        Error::retry(format!(
            "the request ring of {} is full ({} in flight): poll for responses, then resubmit",
            self.inner.info.inst_id,
            self.inner.ring.capacity()
        ))
    }

    fn sync_call(
        &self,
        session: &DcSession,
        compress: bool,
        src: &[u8],
        dst: &mut [u8],
        op: &DcOpData,
    ) -> Result<DcResults> {
        let s = &session.inner;
        if !matches!(s.mode, SessionMode::Sync) {
            return Err(Error::invalid(
                "this session has a callback (asynchronous) or is a data-plane session: \
                 use submit_compress/submit_decompress or the data-plane calls",
            ));
        }
        if let Err(e) = self.check_ready(s, compress) {
            self.inner.stats.submitted(compress, false);
            return Err(e);
        }
        if src.len() > u32::MAX as usize || dst.len() > u32::MAX as usize {
            self.inner.stats.submitted(compress, false);
            return Err(Error::invalid(
                "a single request is limited to 4 GB: split the data",
            ));
        }
        // Declared before the guard so that, if this frame unwinds, the
        // bounce buffers outlive the wait for the response.
        let mut bounce = if self.inner.bounce {
            Some(Bounce::take(src, dst.len())?)
        } else {
            None
        };
        let (src_desc, dst_desc) = match &bounce {
            Some(b) => (buf_desc(&b.src), buf_desc(&b.dst)),
            None => (slice_desc(src), slice_desc_mut(dst)),
        };
        let desc = Self::request(s, compress, src_desc, dst_desc, op, false);
        let waiter = take_waiter();
        if self.submit(&desc, Cookie::Sync(waiter.clone())).is_err() {
            return_waiter(waiter);
            if let Some(b) = bounce.take() {
                b.give_back();
            }
            self.inner.stats.submitted(compress, false);
            return Err(self.ring_full());
        }
        self.inner.stats.submitted(compress, true);
        // The device may write `dst` until the response is consumed: if this
        // frame unwinds early, the guard keeps it alive until then.
        let guard = WaitGuard {
            instance: self,
            waiter: &waiter,
        };
        let answered = self.wait(&waiter);
        std::mem::forget(guard);
        if !answered {
            // The daemon is gone and took the ring with it: nothing will
            // answer or write the buffers any more.
            return Err(Error::fail(format!(
                "softqatd went away while {} had a request in flight: restart the daemon, \
                 then start a new section",
                self.inner.info.inst_id
            )));
        }
        let status = CpaStatus::from_code(waiter.status.load(Ordering::Relaxed));
        let results = waiter
            .results
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        return_waiter(waiter);
        if let (Some(b), Some(r)) = (bounce, &results) {
            let n = (r.produced as usize).min(dst.len()).min(b.dst.len());
            dst[..n].copy_from_slice(&b.dst[..n]);
            b.give_back();
        }
        let results = results.ok_or_else(|| Error::fail("response lost"))?;
        match status {
            CpaStatus::Success => Ok(results),
            s => Err(Error::new(s, "the endpoint failed the request")),
        }
    }

    /// Polls until `waiter` is done: spins briefly, then sleeps on the ring's
    /// notification fd between polls. False if the endpoint was lost (the
    /// daemon went away) before the response came.
    fn wait(&self, waiter: &SyncWaiter) -> bool {
        let start = std::time::Instant::now();
        loop {
            let _ = self.poll(0);
            if waiter.is_done() {
                return true;
            }
            if start.elapsed() < SYNC_POLL_BEFORE_SLEEP {
                std::hint::spin_loop();
                continue;
            }
            if !self.wait_for_response(SYNC_SLEEP) && self.inner.endpoint.is_lost() {
                return false;
            }
        }
    }

    /// Blocks until a response waits on the instance or `timeout` passes;
    /// true if one waits. A softqat extension for applications that poll: it
    /// sleeps on the ring's notification fd instead of spinning.
    pub fn wait_for_response(&self, timeout: Duration) -> bool {
        let ring = &self.inner.ring;
        if ring.has_response() {
            return true;
        }
        match self.inner.info.polling {
            PollingMode::Polled => {
                if ring.arm() {
                    return true;
                }
                ring.notifier().wait(Some(timeout));
                ring.notifier().drain();
            }
            // The epoll protocol in `poll` keeps the fd readable while a
            // response waits; its count belongs to the application's epoll
            // loop, so it is not consumed here.
            PollingMode::Epoll => {
                ring.notifier().wait(Some(timeout));
            }
        }
        ring.has_response()
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
        self.sync_call(session, true, src, dst, op)
    }

    /// `cpaDcDecompressData2` on a synchronous session.
    pub fn decompress(
        &self,
        session: &DcSession,
        src: &[u8],
        dst: &mut [u8],
        op: &DcOpData,
    ) -> Result<DcResults> {
        self.sync_call(session, false, src, dst, op)
    }

    fn async_call(
        &self,
        session: &DcSession,
        compress: bool,
        src: DmaBuf,
        dst: DmaBuf,
        op: &DcOpData,
        tag: u64,
    ) -> std::result::Result<(), Rejected> {
        let s = &session.inner;
        let refuse = |error: Error, src, dst| {
            self.inner.stats.submitted(compress, false);
            Err(Rejected { error, src, dst })
        };
        if !matches!(s.mode, SessionMode::Async(_)) {
            return refuse(
                Error::invalid(
                    "this session has no callback: use compress/decompress (synchronous) or \
                     create the session with init_session_async",
                ),
                src,
                dst,
            );
        }
        if let Err(e) = self.check_ready(s, compress) {
            return refuse(e, src, dst);
        }
        let desc = Self::request(s, compress, buf_desc(&src), buf_desc(&dst), op, false);
        let cookie = Cookie::Async {
            session: s.clone(),
            tag,
            src,
            dst,
        };
        match self.submit(&desc, cookie) {
            Ok(()) => {
                self.inner.stats.submitted(compress, true);
                Ok(())
            }
            Err(Cookie::Async { src, dst, .. }) => refuse(self.ring_full(), src, dst),
            Err(_) => unreachable!("submit returns the cookie it was given"),
        }
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

    /// `icp_sal_DcPollInstance`: consumes up to `quota` responses (0: all
    /// waiting), running callbacks. RETRY when there was nothing to consume
    /// or another thread is polling the instance.
    pub fn poll(&self, quota: u32) -> Result<u32> {
        let outcome = self
            .inner
            .ring
            .poll(quota, |resp, cookie| self.complete(resp, cookie));
        let n = match outcome {
            PollOutcome::Busy => {
                return Err(Error::retry(
                    "the instance is being polled by another thread",
                ))
            }
            PollOutcome::Consumed(n) => n,
        };
        if self.inner.info.polling == PollingMode::Epoll {
            self.rearm();
        }
        if n == 0 {
            Err(Error::retry("no responses waiting"))
        } else {
            Ok(n)
        }
    }

    /// Keeps the epoll fd readable exactly while a response waits: reset the
    /// count, arm the ring, and signal again if a response is already there.
    fn rearm(&self) {
        let ring = &self.inner.ring;
        ring.notifier().drain();
        if ring.arm() {
            ring.notifier().signal();
        }
    }

    fn complete(&self, resp: ResponseDesc, cookie: Cookie) {
        let compress = resp.opcode == Opcode::DcCompress as u8;
        let status = CpaStatus::from_code(i32::from(resp.cpa_status));
        let dc_status = DcStatus::from_code(i32::from(resp.dc_status)).unwrap_or(DcStatus::SoftErr);
        simulate::record(dc_status);
        let ok = status == CpaStatus::Success && dc_status == DcStatus::Ok;
        self.inner
            .stats
            .completed(compress, ok, resp.flags & RESP_CNV_RECOVERED != 0);
        let results = DcResults {
            status: dc_status,
            produced: resp.produced,
            consumed: resp.consumed,
            checksum: resp.checksum,
            adler32: resp.adler32,
            end_of_last_block: resp.flags & RESP_END_OF_LAST_BLOCK != 0,
            data_uncompressed: resp.flags & RESP_DATA_UNCOMPRESSED != 0,
        };
        match cookie {
            Cookie::Sync(w) => w.finish(status, results),
            Cookie::Async {
                session,
                tag,
                src,
                mut dst,
            } => {
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
            Cookie::Dp { tag, src, dst } => {
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
        }
    }

    /// `icp_sal_DcGetFileDescriptor`: the fd an epoll loop waits on; readable
    /// while responses wait. Only for epoll-mode instances (IsPolled = 2).
    pub fn file_descriptor(&self) -> Result<RawFd> {
        if self.inner.info.polling != PollingMode::Epoll {
            return Err(Error::unsupported(format!(
                "{} is a polled instance: set Dc<N>IsPolled = 2 in its section to use epoll",
                self.inner.info.inst_id
            )));
        }
        self.inner.fd_handed_out.store(true, Ordering::Release);
        self.rearm();
        Ok(self.inner.ring.notifier().as_raw_fd())
    }

    /// `icp_sal_DcPutFileDescriptor`.
    pub fn put_file_descriptor(&self) -> Result<()> {
        if !self.inner.fd_handed_out.swap(false, Ordering::AcqRel) {
            return Err(Error::invalid(
                "no file descriptor was taken from this instance",
            ));
        }
        Ok(())
    }

    /// `cpaDcDpRegCbFunc`.
    pub fn dp_register_callback(&self, cb: impl Fn(DpCompletion) + Send + Sync + 'static) {
        *self
            .inner
            .dp_callback
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(cb));
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
        let data = DcOpData {
            flush: FlushFlag::Final,
            compress_and_verify: op.compress_and_verify,
            compress_and_verify_and_recover: op.compress_and_verify_and_recover,
            checksum: 0,
            adler32: 0,
        };
        Ok(Self::request(
            s,
            op.compress,
            buf_desc(&op.src),
            buf_desc(&op.dst),
            &data,
            true,
        ))
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
            ..
        } = op;
        match self.inner.ring.stage(&desc, Cookie::Dp { tag, src, dst }) {
            Ok(_) => {
                self.inner.stats.submitted(compress, true);
                if perform_now {
                    self.dp_perform_now();
                }
                Ok(())
            }
            Err(Cookie::Dp { tag, src, dst }) => {
                self.inner.stats.submitted(compress, false);
                Err((
                    self.ring_full(),
                    DpOp {
                        session,
                        compress,
                        src,
                        dst,
                        tag,
                        compress_and_verify,
                        compress_and_verify_and_recover,
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
        let room = self.inner.ring.capacity() - self.inner.ring.in_flight();
        if ops.len() as u64 > u64::from(room) {
            return Err((self.ring_full(), ops));
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
        if self.inner.ring.publish() {
            self.inner.endpoint.ring_doorbell();
        }
    }

    /// Data-plane requests queued and not yet sent.
    pub fn dp_queued(&self) -> u32 {
        self.inner.ring.staged()
    }

    /// `icp_sal_DcPollDpInstance`.
    pub fn dp_poll(&self, quota: u32) -> Result<u32> {
        self.poll(quota)
    }
}

/// Keeps a synchronous request's buffers borrowed until its response is
/// consumed, even if the waiting frame unwinds.
struct WaitGuard<'a> {
    instance: &'a DcInstance,
    waiter: &'a SyncWaiter,
}

impl Drop for WaitGuard<'_> {
    fn drop(&mut self) {
        while !self.waiter.is_done() {
            let _ = self.instance.poll(0);
            std::thread::sleep(Duration::from_micros(50));
        }
    }
}

thread_local! {
    /// Bounce buffers of this thread's synchronous calls in managed mode,
    /// kept between calls (no allocation per request once warm).
    static BOUNCE: RefCell<Option<(DmaBuf, DmaBuf)>> = const { RefCell::new(None) };
}

/// A thread's bounce buffers, taken for one synchronous call.
struct Bounce {
    src: DmaBuf,
    dst: DmaBuf,
}

impl Bounce {
    /// Takes the thread's bounce buffers (growing them as needed) with `src`
    /// copied in and the destination sized `dst_len`.
    fn take(src: &[u8], dst_len: usize) -> Result<Bounce> {
        let kept = BOUNCE.with(|b| b.borrow_mut().take());
        let (mut s, mut d) = match kept {
            Some(pair) => pair,
            None => (DmaBuf::try_new(0)?, DmaBuf::try_new(0)?),
        };
        if s.capacity() < src.len() {
            s = DmaBuf::try_new(src.len())?;
        }
        if d.capacity() < dst_len {
            d = DmaBuf::try_new(dst_len)?;
        }
        s.set_len(src.len());
        s.copy_from_slice(src);
        d.set_len(dst_len);
        Ok(Bounce { src: s, dst: d })
    }

    /// Keeps the buffers for the thread's next call.
    fn give_back(self) {
        BOUNCE.with(|b| *b.borrow_mut() = Some((self.src, self.dst)));
    }
}

fn slice_desc(s: &[u8]) -> BufferDesc {
    BufferDesc {
        addr: s.as_ptr() as u64,
        len: s.len() as u32,
        kind: BUF_FLAT,
    }
}

/// The device writes the destination: its address comes from the mutable
/// borrow, which this call holds until the response is consumed.
fn slice_desc_mut(s: &mut [u8]) -> BufferDesc {
    BufferDesc {
        addr: s.as_mut_ptr() as u64,
        len: s.len() as u32,
        kind: BUF_FLAT,
    }
}

fn buf_desc(b: &DmaBuf) -> BufferDesc {
    BufferDesc {
        addr: b.iova().0,
        len: b.desc_len(),
        kind: BUF_FLAT,
    }
}
