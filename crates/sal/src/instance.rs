//! The instance core every service is built on: the channel from the
//! application to one ring pair of an endpoint (`CpaInstanceHandle`).
//!
//! It owns what all services share — the ring and its per-slot cookies, the
//! doorbell, polling (with the epoll protocol), synchronous waiting, state
//! checks, the notification callback, the epoll file descriptor and request
//! counters — so that a service (compression now, the crypto services next)
//! only builds its descriptors and turns responses into its results.
//!
//! Requests go out as descriptors on the instance's ring; what the SAL needs
//! to finish a request (the waiting caller, or the service's cookie with its
//! callback and buffers) stays in the ring's per-slot cookie, in this
//! process's memory. Responses are consumed by whoever polls the instance: an
//! application thread (polled mode), an epoll loop woken by the instance's
//! file descriptor (epoll mode), or the synchronous caller itself while it
//! waits.

use std::cell::RefCell;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use softqat_device::desc::{BufferDesc, RequestDesc, ResponseDesc};
use softqat_device::ring::{PollOutcome, RingProducer};
use softqat_device::{DeviceState, Iova};

use crate::dma::DmaBuf;
use crate::error::{CpaStatus, Error, Result};
use crate::link::EndpointLink;

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
/// (`CpaInstanceEvent`, declared in `softqat-cpa`).
pub use softqat_cpa::InstanceEvent;

/// The notification callback of an instance.
pub type NotificationCallback = Arc<dyn Fn(InstanceEvent) + Send + Sync>;

/// `CpaInstanceInfo2` of an instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceInfo {
    /// `accelerationServiceType`, e.g. `DATA_COMPRESSION`.
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

/// Counters of one kind of request (`num<X>Requests`, `…RequestsErrors`,
/// `…Completed`, `…CompletedErrors` of the CPA statistics structures).
#[derive(Default)]
pub(crate) struct RequestCounters {
    requests: AtomicU64,
    requests_errors: AtomicU64,
    completed: AtomicU64,
    completed_errors: AtomicU64,
}

/// A snapshot of [`RequestCounters`]: (requests, requests errors, completed,
/// completed errors).
pub(crate) type CounterSnapshot = (u64, u64, u64, u64);

impl RequestCounters {
    /// A request was accepted (`ok`) or refused at submission.
    pub(crate) fn submitted(&self, ok: bool) {
        self.submitted_many(ok, 1);
    }

    /// `n` requests were accepted (`ok`) or refused at submission.
    pub(crate) fn submitted_many(&self, ok: bool, n: u64) {
        let c = if ok {
            &self.requests
        } else {
            &self.requests_errors
        };
        c.fetch_add(n, Ordering::Relaxed);
    }

    /// A response came back without (`ok`) or with an error.
    pub(crate) fn completed(&self, ok: bool) {
        let c = if ok {
            &self.completed
        } else {
            &self.completed_errors
        };
        c.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> CounterSnapshot {
        let l = |c: &AtomicU64| c.load(Ordering::Relaxed);
        (
            l(&self.requests),
            l(&self.requests_errors),
            l(&self.completed),
            l(&self.completed_errors),
        )
    }
}

/// What the core keeps per in-flight request: a waiting synchronous caller,
/// or the service's own cookie.
pub(crate) enum Slot<C> {
    Sync(Arc<SyncWaiter>),
    Async(C),
}

/// Where a synchronous caller waits for its response.
pub(crate) struct SyncWaiter {
    done: AtomicBool,
    response: Mutex<ResponseDesc>,
}

impl SyncWaiter {
    fn new() -> SyncWaiter {
        SyncWaiter {
            done: AtomicBool::new(false),
            response: Mutex::new(ResponseDesc::default()),
        }
    }

    fn finish(&self, resp: ResponseDesc) {
        *self.response.lock().unwrap_or_else(|e| e.into_inner()) = resp;
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

/// How long a synchronous caller polls its instance before it sleeps on the
/// notification fd: short requests answer within it without a wakeup (a
/// wakeup per response costs the engine's core as much as a small request).
const SYNC_POLL_BEFORE_SLEEP: Duration = Duration::from_micros(50);
/// Longest single sleep of a synchronous caller between polls.
const SYNC_SLEEP: Duration = Duration::from_millis(5);

/// Why a synchronous call got no response.
pub(crate) enum CallError {
    /// The ring was full: nothing was submitted.
    Full,
    /// The daemon went away with the request in flight.
    Lost,
}

/// What a synchronous caller whose request got a dummy response is told.
/// Static text: the refusal allocates nothing.
pub(crate) const DUMMY_RESPONSE: &str =
    "the endpoint failed (a fatal error or heartbeat failure) before processing the request, \
     which got a dummy response: resubmit it after the RESTARTED event (with AutoResetOnError \
     off, reset the endpoint first: icp_sal_reset_device or softqat reset qat_devN)";

/// Stamps of content descriptors: unique in the process, never 0 (the stamp
/// of a removed session), so an engine's cache never mistakes one session at
/// an address for an earlier one, of any service.
static NEXT_STAMP: AtomicU64 = AtomicU64::new(1);

/// The next content-descriptor stamp.
pub(crate) fn next_stamp() -> u64 {
    NEXT_STAMP.fetch_add(1, Ordering::Relaxed)
}

/// The instance core: one ring pair and everything around it. `C` is the
/// service's cookie for asynchronous requests.
pub(crate) struct InstanceCore<C> {
    pub(crate) info: InstanceInfo,
    pub(crate) endpoint: Arc<dyn EndpointLink>,
    /// True when the endpoint cannot reach ordinary memory of this process
    /// (managed mode): synchronous calls on slices copy through a bounce
    /// buffer.
    pub(crate) bounce: bool,
    ring: RingProducer<Slot<C>>,
    started: AtomicBool,
    notification: Mutex<Option<NotificationCallback>>,
    fd_handed_out: AtomicBool,
    /// What a request to the endpoint while it is down is told.
    down_message: &'static str,
}

/// "qat_devN is down" for endpoint `id`, made once per endpoint number in
/// the life of the process (a few hundred at most), so that the refusal of a
/// request names its endpoint without allocating.
fn down_message(id: u32) -> &'static str {
    static MESSAGES: Mutex<Vec<(u32, &'static str)>> = Mutex::new(Vec::new());
    let mut known = MESSAGES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, m)) = known.iter().find(|(k, _)| *k == id) {
        return m;
    }
    let m: &'static str = Box::leak(
        format!(
            "endpoint qat_dev{id} is down: resubmit after the RESTARTED event, once it is \
             brought up (softqat up qat_dev{id})"
        )
        .into_boxed_str(),
    );
    known.push((id, m));
    m
}

impl<C> Drop for InstanceCore<C> {
    fn drop(&mut self) {
        self.endpoint
            .release_ring(self.info.bank, self.info.ring_pair);
    }
}

impl<C: Send> InstanceCore<C> {
    /// A stopped instance over `ring`, on `endpoint`.
    pub(crate) fn new(
        info: InstanceInfo,
        endpoint: Arc<dyn EndpointLink>,
        bounce: bool,
        ring: RingProducer<Slot<C>>,
    ) -> InstanceCore<C> {
        let core = InstanceCore {
            down_message: down_message(info.package_id),
            info,
            endpoint,
            bounce,
            ring,
            started: AtomicBool::new(false),
            notification: Mutex::new(None),
            fd_handed_out: AtomicBool::new(false),
        };
        if core.info.polling == PollingMode::Epoll {
            // The fd must already reflect waiting responses when handed out.
            core.ring.arm();
        }
        core
    }

    /// `cpa*StartInstance`.
    pub(crate) fn start(&self) {
        self.started.store(true, Ordering::Release);
    }

    /// `cpa*StopInstance`: refused with RETRY while requests are in flight.
    pub(crate) fn stop(&self) -> Result<()> {
        let n = self.ring.in_flight();
        if n != 0 {
            return Err(Error::retry(format!(
                "{n} requests are still in flight on {}: poll until they complete, then stop",
                self.info.inst_id
            )));
        }
        self.started.store(false, Ordering::Release);
        Ok(())
    }

    pub(crate) fn is_started(&self) -> bool {
        self.started.load(Ordering::Acquire)
    }

    pub(crate) fn in_flight(&self) -> u32 {
        self.ring.in_flight()
    }

    /// Room for this many more requests.
    pub(crate) fn room(&self) -> u32 {
        self.ring.capacity() - self.ring.in_flight()
    }

    /// Whether a request may be submitted now: the instance is started and
    /// its endpoint up. Down and restarting are passing states (RESTARTING:
    /// resubmit after the RESTARTED event); error is final. Static text, as
    /// for every refusal on the request path: refusing allocates nothing.
    pub(crate) fn check_ready(&self) -> Result<()> {
        if !self.is_started() {
            return Err(Error::fail(
                "the instance is not started: call start() first",
            ));
        }
        match self.endpoint.state() {
            DeviceState::Up => Ok(()),
            DeviceState::Restarting => Err(Error::new(
                CpaStatus::Restarting,
                "the endpoint is restarting: resubmit after the RESTARTED event",
            )),
            DeviceState::Down => Err(Error::new(CpaStatus::Restarting, self.down_message)),
            DeviceState::Error if self.endpoint.is_lost() => Err(Error::fail(
                "softqatd went away: restart it, then start a new section",
            )),
            DeviceState::Error => Err(Error::fail(
                "the instance's endpoint is in state error: reset it (softqat reset qat_devN)",
            )),
        }
    }

    /// RETRY for a full ring, saying what to do. Static text: a full ring is
    /// a per-request outcome, and refusing a request allocates nothing.
    pub(crate) fn ring_full(&self) -> Error {
        Error::retry(
            "the instance's request ring is full (its NumConcurrentRequests are in flight): \
             poll for responses, then resubmit",
        )
    }

    /// Submits an asynchronous request and rings the doorbell; the cookie
    /// comes back when the ring is full.
    pub(crate) fn submit(&self, desc: &RequestDesc, cookie: C) -> std::result::Result<(), C> {
        match self.ring.submit(desc, Slot::Async(cookie)) {
            Ok(_) => {
                self.endpoint.ring_doorbell();
                Ok(())
            }
            Err(Slot::Async(c)) => Err(c),
            Err(Slot::Sync(_)) => unreachable!("submit returns the cookie it was given"),
        }
    }

    /// Queues a data-plane request without sending it.
    pub(crate) fn stage(&self, desc: &RequestDesc, cookie: C) -> std::result::Result<(), C> {
        match self.ring.stage(desc, Slot::Async(cookie)) {
            Ok(_) => Ok(()),
            Err(Slot::Async(c)) => Err(c),
            Err(Slot::Sync(_)) => unreachable!("stage returns the cookie it was given"),
        }
    }

    /// Queues a batch of data-plane requests without sending them: all or,
    /// when the ring has too little room, none (false).
    pub(crate) fn stage_many(
        &self,
        items: impl ExactSizeIterator<Item = (RequestDesc, C)>,
    ) -> bool {
        self.ring
            .stage_many(items.map(|(desc, c)| (desc, Slot::Async(c))))
            .is_ok()
    }

    /// Sends every queued data-plane request (one doorbell for all).
    pub(crate) fn publish(&self) {
        if self.ring.publish() {
            self.endpoint.ring_doorbell();
        }
    }

    /// Data-plane requests queued and not yet sent.
    pub(crate) fn staged(&self) -> u32 {
        self.ring.staged()
    }

    /// Submits `desc` and waits for its response, polling the instance (and
    /// so completing other requests through `complete`) while it waits.
    pub(crate) fn call(
        &self,
        desc: &RequestDesc,
        complete: &dyn Fn(ResponseDesc, C),
    ) -> std::result::Result<ResponseDesc, CallError> {
        let waiter = take_waiter();
        if self.ring.submit(desc, Slot::Sync(waiter.clone())).is_err() {
            return_waiter(waiter);
            return Err(CallError::Full);
        }
        self.endpoint.ring_doorbell();
        // The device may write the caller's buffers until the response is
        // consumed: if this frame unwinds early, the guard waits for it.
        let guard = WaitGuard {
            core: self,
            waiter: &waiter,
            complete,
        };
        let answered = self.wait(&waiter, complete);
        std::mem::forget(guard);
        if !answered {
            // The daemon is gone and took the ring with it: nothing will
            // answer or write the buffers any more.
            return Err(CallError::Lost);
        }
        let resp = *waiter.response.lock().unwrap_or_else(|e| e.into_inner());
        return_waiter(waiter);
        Ok(resp)
    }

    /// Polls until `waiter` is done: spins briefly, then sleeps on the ring's
    /// notification fd between polls. False if the endpoint was lost (the
    /// daemon went away) before the response came.
    fn wait(&self, waiter: &SyncWaiter, complete: &dyn Fn(ResponseDesc, C)) -> bool {
        let start = std::time::Instant::now();
        loop {
            let _ = self.poll(0, complete);
            if waiter.is_done() {
                return true;
            }
            if start.elapsed() < SYNC_POLL_BEFORE_SLEEP {
                std::hint::spin_loop();
                continue;
            }
            if !self.wait_for_response(SYNC_SLEEP) && self.endpoint.is_lost() {
                return false;
            }
        }
    }

    /// Consumes up to `quota` responses (0: all waiting): synchronous callers
    /// are woken, the others go to `complete`. RETRY when there was nothing
    /// to consume or another thread is polling the instance.
    pub(crate) fn poll(&self, quota: u32, complete: &dyn Fn(ResponseDesc, C)) -> Result<u32> {
        let outcome = self.ring.poll(quota, |resp, slot| match slot {
            Slot::Sync(w) => w.finish(resp),
            Slot::Async(c) => complete(resp, c),
        });
        let n = match outcome {
            PollOutcome::Busy => {
                return Err(Error::retry(
                    "the instance is being polled by another thread",
                ))
            }
            PollOutcome::Consumed(n) => n,
        };
        if self.info.polling == PollingMode::Epoll {
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
        self.ring.rearm_exact();
    }

    /// The ring's notification fd.
    pub(crate) fn notifier(&self) -> &softqat_device::notify::EventFd {
        self.ring.notifier()
    }

    /// Blocks until a response waits on any of `cores` (the ring pairs of
    /// one instance) or `timeout` passes; true if one waits.
    pub(crate) fn wait_for_any(cores: &[&InstanceCore<C>], timeout: Duration) -> bool {
        if cores.iter().any(|c| c.ring.has_response()) {
            return true;
        }
        for c in cores {
            // Polled mode arms the ring so the engine signals; epoll mode
            // keeps its rings armed (see `poll`).
            if c.info.polling == PollingMode::Polled && c.ring.arm() {
                return true;
            }
        }
        let mut fds: [&softqat_device::notify::EventFd; 2] =
            [cores[0].ring.notifier(), cores[0].ring.notifier()];
        for (f, c) in fds.iter_mut().zip(cores) {
            *f = c.ring.notifier();
        }
        softqat_device::notify::wait_any(&fds[..cores.len().min(2)], Some(timeout));
        for c in cores {
            if c.info.polling == PollingMode::Polled {
                c.ring.notifier().drain();
            }
        }
        cores.iter().any(|c| c.ring.has_response())
    }

    /// Blocks until a response waits or `timeout` passes; true if one waits.
    pub(crate) fn wait_for_response(&self, timeout: Duration) -> bool {
        let ring = &self.ring;
        if ring.has_response() {
            return true;
        }
        match self.info.polling {
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

    /// `icp_sal_*GetFileDescriptor`: the fd an epoll loop waits on; readable
    /// while responses wait. Only for epoll-mode instances (IsPolled = 2).
    pub(crate) fn file_descriptor(&self, is_polled_key: &str) -> Result<RawFd> {
        if self.info.polling != PollingMode::Epoll {
            return Err(Error::unsupported(format!(
                "{} is a polled instance: set {is_polled_key} = 2 in its section to use epoll",
                self.info.inst_id
            )));
        }
        self.fd_handed_out.store(true, Ordering::Release);
        self.rearm();
        Ok(self.ring.notifier().as_raw_fd())
    }

    /// `icp_sal_*PutFileDescriptor`.
    pub(crate) fn put_file_descriptor(&self) -> Result<()> {
        if !self.fd_handed_out.swap(false, Ordering::AcqRel) {
            return Err(Error::invalid(
                "no file descriptor was taken from this instance",
            ));
        }
        Ok(())
    }

    /// `cpa*InstanceSetNotificationCb`.
    pub(crate) fn set_notification_callback(&self, cb: NotificationCallback) {
        *self.notification.lock().unwrap_or_else(|e| e.into_inner()) = Some(cb);
    }

    /// Delivers `event` to the notification callback, if any.
    pub(crate) fn notify(&self, event: InstanceEvent) {
        let cb = self
            .notification
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(cb) = cb {
            cb(event);
        }
    }
}

/// The calls every service's instance handle has, delegated to its
/// [`InstanceCore`] at `self.inner.core` (and, for stopping, counting
/// requests in flight, waiting and the epoll descriptor, to
/// `self.inner.stop_instance()`, `in_flight_all()`, `wait_for_response()`
/// and `file_descriptor()`, which take in every ring pair of the instance):
/// `$svc` is the CPA prefix (`Dc`, `Cy`) the doc comments name.
macro_rules! instance_core_calls {
    ($svc:literal) => {
        /// `CpaInstanceInfo2` of the instance.
        pub fn info(&self) -> &$crate::instance::InstanceInfo {
            &self.inner.core.info
        }

        /// The endpoint the instance's ring pair belongs to.
        pub fn endpoint(&self) -> &std::sync::Arc<dyn $crate::link::EndpointLink> {
            &self.inner.core.endpoint
        }

        /// Whether the instance's endpoint is up (`operState`).
        pub fn is_up(&self) -> bool {
            self.inner.core.endpoint.is_up()
        }

        #[doc = concat!("`cpa", $svc, "StartInstance`.")]
        pub fn start(&self) -> $crate::error::Result<()> {
            self.inner.core.start();
            Ok(())
        }

        #[doc = concat!("`cpa", $svc, "StopInstance`: refused with RETRY while requests are in flight.")]
        pub fn stop(&self) -> $crate::error::Result<()> {
            self.inner.stop_instance()
        }

        /// Whether `start` was called (and not `stop`).
        pub fn is_started(&self) -> bool {
            self.inner.core.is_started()
        }

        /// Requests in flight on the instance.
        pub fn in_flight(&self) -> u32 {
            self.inner.in_flight_all()
        }

        #[doc = concat!("`cpa", $svc, "InstanceSetNotificationCb`: endpoint events (FATAL_ERROR, RESTARTING, RESTARTED) reach `cb` when the application calls [`poll_device_events`](crate::poll_device_events), on that thread, as with qatlib's `icp_sal_poll_device_events`.")]
        pub fn set_notification_callback(
            &self,
            cb: impl Fn($crate::instance::InstanceEvent) + Send + Sync + 'static,
        ) {
            self.inner
                .core
                .set_notification_callback(std::sync::Arc::new(cb));
        }

        /// Delivers `event` to the notification callback, if any.
        pub fn notify(&self, event: $crate::instance::InstanceEvent) {
            self.inner.core.notify(event);
        }

        /// Blocks until a response waits on the instance or `timeout` passes;
        /// true if one waits. A softqat extension for applications that poll:
        /// it sleeps on the ring's notification fd instead of spinning.
        pub fn wait_for_response(&self, timeout: std::time::Duration) -> bool {
            self.inner.wait_for_response(timeout)
        }

        #[doc = concat!("`icp_sal_", $svc, "GetFileDescriptor`: the fd an epoll loop waits on; readable while responses wait. Only for epoll-mode instances (", $svc, "<N>IsPolled = 2).")]
        pub fn file_descriptor(&self) -> $crate::error::Result<std::os::fd::RawFd> {
            self.inner.file_descriptor(concat!($svc, "<N>IsPolled"))
        }

        #[doc = concat!("`icp_sal_", $svc, "PutFileDescriptor`.")]
        pub fn put_file_descriptor(&self) -> $crate::error::Result<()> {
            self.inner.core.put_file_descriptor()
        }
    };
}
pub(crate) use instance_core_calls;

/// Something endpoint events are delivered to: an instance of any service.
pub(crate) trait EventTarget: Send + Sync {
    /// The endpoint (N of qat_devN) the instance is on.
    fn endpoint_id(&self) -> u32;
    /// Delivers `event` to the instance's notification callback.
    fn deliver(&self, event: InstanceEvent);
}

/// Keeps a synchronous request's buffers borrowed until its response is
/// consumed, even if the waiting frame unwinds.
struct WaitGuard<'a, C: Send> {
    core: &'a InstanceCore<C>,
    waiter: &'a SyncWaiter,
    complete: &'a dyn Fn(ResponseDesc, C),
}

impl<C: Send> Drop for WaitGuard<'_, C> {
    fn drop(&mut self) {
        while !self.waiter.is_done() {
            let _ = self.core.poll(0, self.complete);
            std::thread::sleep(Duration::from_micros(50));
        }
    }
}

thread_local! {
    /// Bounce buffers of this thread's synchronous calls in managed mode,
    /// kept between calls (no allocation per request once warm).
    static BOUNCE: RefCell<Option<(DmaBuf, DmaBuf)>> = const { RefCell::new(None) };
}

/// A thread's bounce buffers, taken for one synchronous call on ordinary
/// slices in managed mode (the daemon reaches only registered memory).
pub(crate) struct Bounce {
    pub(crate) src: DmaBuf,
    pub(crate) dst: DmaBuf,
}

/// Bounce buffers larger than this are given back to the DMA pool after the
/// call instead of being kept for the thread's next one: a buffer this size
/// is a dedicated slab registered with the daemon, and keeping it would hold
/// that much of the process's `--max-client-memory` for good.
pub(crate) const BOUNCE_KEEP_MAX: usize = 64 << 20;

impl Bounce {
    /// Takes the thread's bounce buffers (growing them as needed) with `src`
    /// copied in and the destination sized `dst_len`. The caller sizes
    /// `dst_len` by what the request can write (not by a caller's
    /// destination it cannot fill).
    pub(crate) fn take(src: &[u8], dst_len: usize) -> Result<Bounce> {
        Self::take_joined(&[], src, dst_len)
    }

    /// [`take`](Self::take) with `prefix` copied in front of `src` in the
    /// source buffer (a request's preset dictionary: its descriptor names
    /// the first `prefix.len()` bytes, the source's the rest).
    pub(crate) fn take_joined(prefix: &[u8], src: &[u8], dst_len: usize) -> Result<Bounce> {
        let src_len = prefix.len() + src.len();
        let kept = BOUNCE.with(|b| b.borrow_mut().take());
        let (mut s, mut d) = match kept {
            Some(pair) => pair,
            None => (
                DmaBuf::try_new(0).map_err(bounce_error(0))?,
                DmaBuf::try_new(0).map_err(bounce_error(0))?,
            ),
        };
        if s.capacity() < src_len {
            // The old one goes back first: it counts against the limit too.
            drop(s);
            s = DmaBuf::try_new(src_len).map_err(bounce_error(src_len))?;
        }
        if d.capacity() < dst_len {
            drop(d);
            d = DmaBuf::try_new(dst_len).map_err(bounce_error(dst_len))?;
        }
        s.set_len(src_len);
        s[..prefix.len()].copy_from_slice(prefix);
        s[prefix.len()..].copy_from_slice(src);
        d.set_len(dst_len);
        Ok(Bounce { src: s, dst: d })
    }

    /// Keeps the buffers for the thread's next call (unless they are larger
    /// than [`BOUNCE_KEEP_MAX`]).
    pub(crate) fn give_back(self) {
        if self.src.capacity() > BOUNCE_KEEP_MAX || self.dst.capacity() > BOUNCE_KEEP_MAX {
            return;
        }
        BOUNCE.with(|b| *b.borrow_mut() = Some((self.src, self.dst)));
    }
}

/// The error of a bounce buffer that cannot be had: what it is for and the
/// ways around it.
fn bounce_error(len: usize) -> impl FnOnce(Error) -> Error {
    move |e| {
        Error::new(
            e.status,
            format!(
                "managed mode copies synchronous calls on ordinary memory through a bounce \
                 buffer, and one of {len} bytes cannot be had ({}): pass DmaBuf buffers (the \
                 submit_* calls), or make the request smaller, or start softqatd with a larger \
                 --max-client-memory",
                e.message
            ),
        )
    }
}

/// A descriptor naming ordinary memory of this process (embedded mode, where
/// the endpoint reaches it directly).
pub(crate) fn slice_desc(s: &[u8]) -> BufferDesc {
    BufferDesc::flat(Iova(s.as_ptr() as u64), s.len() as u32)
}

/// The device writes the destination: its address comes from the mutable
/// borrow, which the caller holds until the response is consumed.
pub(crate) fn slice_desc_mut(s: &mut [u8]) -> BufferDesc {
    BufferDesc::flat(Iova(s.as_mut_ptr() as u64), s.len() as u32)
}
