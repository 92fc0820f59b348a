//! A software endpoint: one QAT physical function.
//!
//! It owns its banks of ring pairs, the engine threads that serve them, the
//! state machine, and firmware counters. Rings are created when an instance
//! starts and removed when it stops; engines scan the rings that have work,
//! several engines may serve one ring at once, and engines with nothing to do
//! spin briefly and then sleep on the endpoint's [`Doorbell`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use bytemuck::Zeroable;
use softqat_config::{ServiceSet, Vocabulary};
use softqat_cpa::CpaStatus;
use softqat_engine::deflate::LevelMapping;

use crate::desc::{DcResponseResults, RequestDesc, ResponseDesc, ServiceId, BUF_FLAT};
use crate::dma::OwnerMemory;
use crate::error::DeviceError;
use crate::firmware::{Firmware, FirmwareShared};
use crate::notify::{Doorbell, EventFd};
use crate::ras::{
    Fault, Heartbeat, HeartbeatStats, HeartbeatStatus, RasErrors, RasPolicy, ThreadSample, Verdict,
};
use crate::ring::{RingMemory, RingService};
use crate::state::DeviceState;

/// What identifies an endpoint to people and tools (`qat_service status`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointInfo {
    /// N of `qat_devN`.
    pub id: u32,
    /// Class name as the kernel driver prints it (`4xxx`, `c6xx`, …).
    pub class_name: String,
    /// PCI address, e.g. `0000:6b:00.0`.
    pub bdf: String,
    /// Accelerators (`#accel`).
    pub accelerators: u32,
    /// Acceleration engines (`#engines`).
    pub engines: u32,
    /// Services enabled, e.g. `dc` or `sym;asym`.
    pub services: String,
}

impl EndpointInfo {
    /// The line `qat_service status` prints for an endpoint in `state`.
    pub fn status_line(&self, state: DeviceState) -> String {
        format!(
            "qat_dev{} - type: {}, inst_id: {}, bsf: {}, #accel: {} #engines: {} state: {}",
            self.id, self.class_name, self.id, self.bdf, self.accelerators, self.engines, state
        )
    }
}

/// Ring geometry of the endpoint's class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    /// Banks per endpoint.
    pub banks: u32,
    /// Ring pairs per bank (1 on gen4, 8 on gen2).
    pub ring_pairs_per_bank: u32,
    /// How compression levels map to search depths on this generation.
    pub level_mapping: LevelMapping,
}

/// Run-time options of an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndpointOptions {
    /// Engine threads to run while up.
    pub engine_threads: usize,
    /// Heartbeat period, automatic reset and its interval.
    pub ras: RasPolicy,
}

impl Default for EndpointOptions {
    fn default() -> Self {
        EndpointOptions {
            engine_threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            ras: RasPolicy::default(),
        }
    }
}

/// What a requester needs to drive one ring pair.
pub struct RingHandle {
    /// The ring memory (request and response rings).
    pub memory: Arc<RingMemory>,
    /// The ring's notification eventfd.
    pub notify: Arc<EventFd>,
}

struct RingEntry {
    bank: u32,
    ring_pair: u32,
    service: RingService,
    memory: Arc<OwnerMemory>,
}

/// Requests and responses handled by one engine (debugfs `fw_counters`),
/// the turns of its loop (the heartbeat's admin pair) and its
/// compress-and-verify errors (debugfs `cnv_errors`).
#[derive(Default)]
struct EngineCounters {
    requests: EngineCounter,
    responses: EngineCounter,
    beats: EngineCounter,
    cnv_errors: EngineCounter,
    /// `CpaDcReqStatus` of the last compress-and-verify error (0: none).
    cnv_last: AtomicI64,
}

/// A counter only its engine thread writes (others read it): a plain load
/// and store, no locked instruction per request.
#[derive(Default)]
struct EngineCounter(AtomicU64);

impl EngineCounter {
    fn bump(&self) {
        self.0
            .store(self.0.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
    }

    fn load(&self, order: Ordering) -> u64 {
        self.0.load(order)
    }
}

struct Core {
    info: EndpointInfo,
    /// The services the endpoint runs (from `info.services`): requests for
    /// any other are answered UNSUPPORTED.
    services: Vec<ServiceId>,
    geometry: Geometry,
    options: EndpointOptions,
    /// Rings by (bank, ring pair).
    rings: Mutex<HashMap<(u32, u32), Arc<RingEntry>>>,
    /// The rings engines scan: replaced whole when a ring is added or
    /// removed, and picked up by engines when `generation` moves.
    active: Mutex<Arc<Vec<Arc<RingEntry>>>>,
    generation: AtomicU64,
    /// The doorbell; its shared page also carries the state word.
    doorbell: Doorbell,
    stop: AtomicBool,
    counters: Vec<EngineCounters>,
    listeners: Mutex<Vec<(u64, EventListener)>>,
    next_listener: AtomicU64,
    /// What the engine threads' firmware shares (partial-packet state).
    firmware: Arc<FirmwareShared>,
    /// [`Fault::EngineHang`]: engines stop turning their loops until reset.
    hang: AtomicBool,
    ras: Mutex<RasState>,
    /// A reset was scheduled or runs ([`Endpoint::reset_async`]).
    reset_pending: AtomicBool,
    /// Dummy responses sent (requests not processed because of a failure).
    dummies: AtomicU64,
}

/// RAS state that changes rarely: settings, heartbeat memory, counters.
struct RasState {
    policy: RasPolicy,
    heartbeat: Heartbeat,
    errors: RasErrors,
    /// When the last automatic reset ran (or is scheduled to run).
    last_auto_reset: Option<Instant>,
    /// The `dev_cfg` debug file: the endpoint's configuration as INI text.
    dev_cfg: String,
}

/// What an endpoint tells the instances on it (`CpaInstanceEvent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointEvent {
    /// Going down or being reset: requests in flight complete with a status,
    /// new ones are refused until [`EndpointEvent::Restarted`].
    Restarting,
    /// Up again: the same rings serve requests.
    Restarted,
    /// A fatal error (heartbeat failure, firmware error): requests in flight
    /// get dummy responses; the endpoint stays in error until it is reset
    /// (automatically with `AutoResetOnError`).
    FatalError,
}

impl EndpointEvent {
    /// The `CpaInstanceEvent` instances on the endpoint are told.
    pub fn instance_event(self) -> softqat_cpa::InstanceEvent {
        match self {
            EndpointEvent::Restarting => softqat_cpa::InstanceEvent::Restarting,
            EndpointEvent::Restarted => softqat_cpa::InstanceEvent::Restarted,
            EndpointEvent::FatalError => softqat_cpa::InstanceEvent::FatalError,
        }
    }
}

/// A function called on every [`EndpointEvent`], with the endpoint number.
pub type EventListener = Arc<dyn Fn(u32, EndpointEvent) + Send + Sync>;

/// The firmware services a `ServicesEnabled` value names (any spelling the
/// endpoint files accept; `dcc` and `decomp` are compression). A value that
/// does not parse enables nothing: every request is then refused.
fn enabled_services(services: &str) -> Vec<ServiceId> {
    let Ok(set) = ServiceSet::parse(services, Vocabulary::EndpointFile) else {
        return Vec::new();
    };
    [
        (set.has_dc(), ServiceId::Dc),
        (set.has_sym(), ServiceId::Sym),
        (set.has_asym(), ServiceId::Asym),
    ]
    .into_iter()
    .filter_map(|(on, s)| on.then_some(s))
    .collect()
}

/// A software endpoint.
pub struct Endpoint {
    core: Arc<Core>,
    /// Serialises state changes; holds the engine threads while up.
    control: Mutex<Vec<JoinHandle<()>>>,
    /// Itself, for the threads that reset it later.
    me: Weak<Endpoint>,
}

impl Endpoint {
    /// A new endpoint in state down.
    pub fn new(
        info: EndpointInfo,
        geometry: Geometry,
        options: EndpointOptions,
    ) -> Result<Arc<Endpoint>, DeviceError> {
        let threads = options.engine_threads.max(1);
        let doorbell = Doorbell::new()?;
        Ok(Arc::new_cyclic(|me| Endpoint {
            core: Arc::new(Core {
                services: enabled_services(&info.services),
                info,
                geometry,
                options: EndpointOptions {
                    engine_threads: threads,
                    ras: options.ras,
                },
                rings: Mutex::new(HashMap::new()),
                active: Mutex::new(Arc::new(Vec::new())),
                generation: AtomicU64::new(0),
                doorbell,
                stop: AtomicBool::new(false),
                counters: (0..threads).map(|_| EngineCounters::default()).collect(),
                listeners: Mutex::new(Vec::new()),
                firmware: Arc::new(FirmwareShared::default()),
                next_listener: AtomicU64::new(1),
                hang: AtomicBool::new(false),
                ras: Mutex::new(RasState {
                    policy: options.ras,
                    heartbeat: Heartbeat::default(),
                    errors: RasErrors::default(),
                    last_auto_reset: None,
                    dev_cfg: String::new(),
                }),
                reset_pending: AtomicBool::new(false),
                dummies: AtomicU64::new(0),
            }),
            control: Mutex::new(Vec::new()),
            me: me.clone(),
        }))
    }

    /// Identity facts.
    pub fn info(&self) -> &EndpointInfo {
        &self.core.info
    }

    /// Ring geometry.
    pub fn geometry(&self) -> Geometry {
        self.core.geometry
    }

    /// Engine threads run while up.
    pub fn engine_threads(&self) -> usize {
        self.core.options.engine_threads
    }

    /// Current state.
    pub fn state(&self) -> DeviceState {
        DeviceState::from_u8(self.core.doorbell.page().state())
    }

    /// True if requests are accepted.
    pub fn is_up(&self) -> bool {
        self.core.doorbell.page().state() == DeviceState::Up as u8
    }

    /// The line `qat_service status` prints for this endpoint.
    pub fn status_line(&self) -> String {
        self.core.info.status_line(self.state())
    }

    fn transition(&self, to: DeviceState) -> Result<DeviceState, DeviceError> {
        let from = self.state();
        if !from.can_go_to(to) {
            return Err(DeviceError::BadTransition {
                endpoint: self.core.info.id,
                from,
                to,
            });
        }
        self.core.doorbell.page().set_state(to as u8);
        Ok(from)
    }

    /// Brings the endpoint up: starts its engine threads, then tells the
    /// listeners [`EndpointEvent::Restarted`]. Up already is fine.
    pub fn up(&self) -> Result<(), DeviceError> {
        {
            let mut threads = self.control.lock().unwrap_or_else(|e| e.into_inner());
            if self.state() == DeviceState::Up {
                return Ok(());
            }
            self.start_engines(&mut threads, DeviceState::Up)?;
        }
        self.emit(EndpointEvent::Restarted);
        Ok(())
    }

    fn start_engines(
        &self,
        threads: &mut Vec<JoinHandle<()>>,
        to: DeviceState,
    ) -> Result<(), DeviceError> {
        // Engine threads allocate their stacks and codec workspaces as they
        // start, where a failed allocation would abort the process: under
        // a memory limit, refuse here instead, naming the limit. Each
        // thread is admitted against the address space left once the ones
        // before it have built their workspaces (and the allocator has
        // given each its own arena, which reserves address space too), so
        // the check sees what the engines really took.
        self.core.stop.store(false, Ordering::Release);
        // Starting the engines is a reset: a hang does not survive it, and
        // the heartbeat compares the new run's counters only with each other.
        self.core.hang.store(false, Ordering::Release);
        self.ras().heartbeat.rebase();
        let wanted = self.core.options.engine_threads;
        for idx in 0..wanted {
            let admitted = crate::limits::check_headroom(
                &format!(
                    "engine thread {} of {wanted} of qat_dev{}",
                    idx + 1,
                    self.core.info.id
                ),
                ENGINE_FOOTPRINT,
                ", or run fewer engine threads (SOFTQAT_ENGINES=1)",
            );
            if let Err(msg) = admitted {
                self.stop_engines(threads);
                return Err(DeviceError::Exhausted(msg));
            }
            let core = self.core.clone();
            let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel::<()>(1);
            let spawned = std::thread::Builder::new()
                .name(format!("qat_dev{}-ae{idx}", core.info.id))
                .spawn(move || {
                    let firmware =
                        Firmware::new(&core.services, core.geometry.level_mapping, &core.firmware);
                    // The engine's memory is taken: the next may be admitted.
                    let _ = ready_tx.send(());
                    engine_main(core, idx, firmware)
                });
            match spawned {
                Ok(handle) => {
                    threads.push(handle);
                    // Err only if the thread ended before it was ready,
                    // which the next admission (or the engine's absence
                    // from the counters) shows: nothing to wait for.
                    let _ = ready_rx.recv();
                }
                Err(source) => {
                    self.stop_engines(threads);
                    return Err(DeviceError::Os {
                        what: "spawning an engine thread",
                        source,
                    });
                }
            }
        }
        if let Err(e) = self.transition(to) {
            self.stop_engines(threads);
            return Err(e);
        }
        // Up and no reset pending, in one step under the control lock: a
        // fatal error from now on (it takes the same lock) schedules a reset
        // of its own instead of counting on the one that just ended.
        self.core.reset_pending.store(false, Ordering::Release);
        Ok(())
    }

    /// Takes the endpoint down: tells the listeners
    /// [`EndpointEvent::Restarting`], stops the engines after the requests
    /// they are computing, and answers every request still queued with
    /// CPA_STATUS_FAIL so none vanishes. Down already is fine.
    pub fn down(&self) -> Result<(), DeviceError> {
        {
            let mut threads = self.control.lock().unwrap_or_else(|e| e.into_inner());
            if self.state() == DeviceState::Down {
                return Ok(());
            }
            self.transition(DeviceState::Down)?;
            self.stop_engines(&mut threads);
            self.fail_queued(CpaStatus::Fail);
        }
        self.emit(EndpointEvent::Restarting);
        Ok(())
    }

    /// `adf_ctl restart`: down, then up.
    pub fn restart(&self) -> Result<(), DeviceError> {
        self.down()?;
        self.up()
    }

    /// `adf_ctl reset` (a function-level reset): the endpoint goes to
    /// restarting — listeners get [`EndpointEvent::Restarting`], new requests
    /// are refused with RESTARTING — its engines stop after the requests they
    /// are computing, every request still queued completes with
    /// CPA_STATUS_RESTARTING, and it comes back up with the same rings
    /// ([`EndpointEvent::Restarted`]). From down or error it just comes up.
    pub fn reset(&self) -> Result<(), DeviceError> {
        {
            let threads = self.control.lock().unwrap_or_else(|e| e.into_inner());
            match self.state() {
                DeviceState::Down => {
                    drop(threads);
                    return self.up();
                }
                DeviceState::Up => self.transition(DeviceState::Restarting)?,
                DeviceState::Error => self.transition(DeviceState::Restarting)?,
                DeviceState::Restarting => DeviceState::Restarting,
            };
        }
        self.emit(EndpointEvent::Restarting);
        {
            let mut threads = self.control.lock().unwrap_or_else(|e| e.into_inner());
            self.stop_engines(&mut threads);
            self.fail_queued(CpaStatus::Restarting);
            self.start_engines(&mut threads, DeviceState::Up)?;
        }
        self.emit(EndpointEvent::Restarted);
        Ok(())
    }

    /// `icp_sal_reset_device`: starts [`reset`](Self::reset) on a thread of
    /// its own and returns at once. Refused while a reset is scheduled or
    /// running (a reset storm): wait until [`check_heartbeat`]
    /// (Self::check_heartbeat) stops reporting
    /// [`HeartbeatStatus::Resetting`].
    pub fn reset_async(&self) -> Result<(), DeviceError> {
        self.schedule_reset(Duration::ZERO)
    }

    /// True while a reset is scheduled or running.
    pub fn is_resetting(&self) -> bool {
        self.core.reset_pending.load(Ordering::Acquire) || self.state() == DeviceState::Restarting
    }

    fn schedule_reset(&self, delay: Duration) -> Result<(), DeviceError> {
        let endpoint = self.core.info.id;
        if self.state() == DeviceState::Restarting
            || self.core.reset_pending.swap(true, Ordering::AcqRel)
        {
            return Err(DeviceError::ResetInProgress { endpoint });
        }
        let Some(me) = self.me.upgrade() else {
            self.core.reset_pending.store(false, Ordering::Release);
            return Err(DeviceError::NotUp {
                endpoint,
                state: self.state(),
            });
        };
        let spawned = std::thread::Builder::new()
            .name(format!("qat_dev{endpoint}-reset"))
            .spawn(move || {
                std::thread::sleep(delay);
                if let Err(e) = me.reset() {
                    me.core.reset_pending.store(false, Ordering::Release);
                    crate::ras::log(&format!("qat_dev{endpoint}: reset failed: {e}"));
                }
            });
        if let Err(source) = spawned {
            self.core.reset_pending.store(false, Ordering::Release);
            return Err(DeviceError::Os {
                what: "spawning a reset thread",
                source,
            });
        }
        Ok(())
    }

    fn ras(&self) -> std::sync::MutexGuard<'_, RasState> {
        self.core.ras.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The RAS settings.
    pub fn ras_policy(&self) -> RasPolicy {
        self.ras().policy
    }

    /// Changes the RAS settings (automatic reset, its interval, the
    /// heartbeat period) from now on.
    pub fn set_ras_policy(&self, policy: RasPolicy) {
        self.ras().policy = policy;
    }

    /// A heartbeat check (`icp_sal_check_device`, a read of the `heartbeat`
    /// debug file): computes the status from the engines' counters as the
    /// kernel does, and on failure runs the fatal-error path (FATAL_ERROR,
    /// dummy responses, an automatic reset if set).
    pub fn check_heartbeat(&self) -> HeartbeatStatus {
        match self.state() {
            DeviceState::Up => {}
            DeviceState::Restarting => return HeartbeatStatus::Resetting,
            _ if self.core.reset_pending.load(Ordering::Acquire) => {
                return HeartbeatStatus::Resetting
            }
            _ => return HeartbeatStatus::Unresponsive,
        }
        let samples: Vec<ThreadSample> = self
            .core
            .counters
            .iter()
            .map(|c| ThreadSample {
                beats: c.beats.load(Ordering::Acquire),
                requests: c.requests.load(Ordering::Acquire),
                responses: c.responses.load(Ordering::Acquire),
            })
            .collect();
        let verdict = {
            let mut ras = self.ras();
            let period = ras.policy.heartbeat_period;
            ras.heartbeat.check(Instant::now(), period, &samples)
        };
        match verdict {
            Verdict::TooSoon => HeartbeatStatus::TooSoon,
            Verdict::Alive => HeartbeatStatus::Alive,
            Verdict::Failed => {
                crate::ras::log(&format!(
                    "qat_dev{}: Heartbeat ERROR: QAT is not responding.",
                    self.core.info.id
                ));
                self.fatal_error();
                HeartbeatStatus::Unresponsive
            }
        }
    }

    /// `heartbeat_sent`/`queries_sent` and `heartbeat_failed`/`queries_failed`.
    pub fn heartbeat_stats(&self) -> HeartbeatStats {
        self.ras().heartbeat.stats()
    }

    /// The `qat_ras/` counters.
    pub fn ras_errors(&self) -> RasErrors {
        self.ras().errors
    }

    /// `qat_ras/reset_error_counters`.
    pub fn reset_ras_errors(&self) {
        self.ras().errors = RasErrors::default();
    }

    /// Dummy responses sent since the endpoint was made.
    pub fn dummy_responses(&self) -> u64 {
        self.core.dummies.load(Ordering::Relaxed)
    }

    /// The `dev_cfg` debug file's text.
    pub fn dev_cfg(&self) -> String {
        self.ras().dev_cfg.clone()
    }

    /// Sets the `dev_cfg` text (the configuration the endpoint was built from).
    pub fn set_dev_cfg(&self, text: String) {
        self.ras().dev_cfg = text;
    }

    /// Per-engine compress-and-verify errors and the `CpaDcReqStatus` of the
    /// last one (0 if none), as debugfs `cnv_errors` shows them.
    pub fn cnv_errors(&self) -> Vec<(u64, i64)> {
        self.core
            .counters
            .iter()
            .map(|c| {
                (
                    c.cnv_errors.load(Ordering::Relaxed),
                    c.cnv_last.load(Ordering::Relaxed),
                )
            })
            .collect()
    }

    /// Injects `fault` (see [`Fault`]). Fatal faults need the endpoint up; a
    /// ring-pair error needs the ring pair in use.
    pub fn inject(&self, fault: Fault) -> Result<(), DeviceError> {
        let endpoint = self.core.info.id;
        let refuse = |why: String| DeviceError::BadFault {
            endpoint,
            fault,
            why,
        };
        let state = self.state();
        if fault.is_fatal() && state != DeviceState::Up {
            return Err(refuse(format!(
                "the endpoint is {state}: bring it up (or wait for its reset) first"
            )));
        }
        match fault {
            Fault::HeartbeatFailure => self.ras().heartbeat.simulate_failure(),
            Fault::EngineHang => {
                self.core.hang.store(true, Ordering::Release);
            }
            Fault::FatalError => {
                self.ras().errors.fatal += 1;
                self.fatal_error();
            }
            Fault::Correctable => self.ras().errors.correctable += 1,
            Fault::RingPairError { bank, ring_pair } => {
                let entry = self
                    .core
                    .rings
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get(&(bank, ring_pair))
                    .cloned();
                let Some(entry) = entry else {
                    return Err(refuse(format!(
                        "ring pair {ring_pair} of bank {bank} is not in use (in use: {:?})",
                        self.rings_in_use()
                    )));
                };
                self.ras().errors.nonfatal += 1;
                // The ring pair is reset: what is queued on it was never
                // processed and gets dummy responses, in order; the engines
                // serve it again afterwards.
                while let Some((idx, req)) = entry.service.claim() {
                    self.core.dummies.fetch_add(1, Ordering::Relaxed);
                    entry.service.complete(idx, &ResponseDesc::dummy(&req));
                }
            }
        }
        Ok(())
    }

    /// The fatal-error path (`adf_notify_fatal_error`): the endpoint goes to
    /// error, where the engines answer every request with a dummy response
    /// (in ring order, so in submission order) instead of computing it;
    /// listeners get [`EndpointEvent::FatalError`]; with automatic reset the
    /// reset follows, no sooner than the reset interval after the previous
    /// automatic one. Nothing happens unless the endpoint is up.
    fn fatal_error(&self) {
        {
            let _threads = self.control.lock().unwrap_or_else(|e| e.into_inner());
            // Only a running endpoint fails: one down, restarting or in
            // error already has its way back.
            if self.state() != DeviceState::Up || self.transition(DeviceState::Error).is_err() {
                return;
            }
            // Hung engines wake into dummy mode.
            self.core.hang.store(false, Ordering::Release);
            for _ in 0..self.core.options.engine_threads {
                self.core.doorbell.ring_always();
            }
        }
        self.emit(EndpointEvent::FatalError);
        let delay = {
            let mut ras = self.ras();
            if !ras.policy.auto_reset {
                return;
            }
            let now = Instant::now();
            let at = match ras.last_auto_reset {
                Some(last) => (last + ras.policy.reset_interval).max(now),
                None => now,
            };
            ras.last_auto_reset = Some(at);
            at - now
        };
        if let Err(e) = self.schedule_reset(delay) {
            // A reset already scheduled or running brings it back.
            if !matches!(e, DeviceError::ResetInProgress { .. }) {
                crate::ras::log(&format!(
                    "qat_dev{}: automatic reset not started: {e}",
                    self.core.info.id
                ));
            }
        }
    }

    /// Adds a listener for [`EndpointEvent`]s; returns its key for
    /// [`unsubscribe`](Self::unsubscribe). Listeners run on the thread that
    /// changed the state, after the change, and must not change it again.
    pub fn subscribe(&self, listener: EventListener) -> u64 {
        let key = self.core.next_listener.fetch_add(1, Ordering::Relaxed);
        self.core
            .listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((key, listener));
        key
    }

    /// Removes a listener.
    pub fn unsubscribe(&self, key: u64) {
        self.core
            .listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(k, _)| *k != key);
    }

    fn emit(&self, event: EndpointEvent) {
        let listeners: Vec<EventListener> = self
            .core
            .listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for l in listeners {
            l(self.core.info.id, event);
        }
    }

    /// True if some ring has requests no engine has taken yet.
    pub fn has_queued_requests(&self) -> bool {
        let rings = self
            .core
            .active
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        rings.iter().any(|r| r.service.has_work())
    }

    /// The doorbell (with the shared page) requesters in other processes
    /// receive: see [`Doorbell::remote`].
    pub fn doorbell(&self) -> &Doorbell {
        &self.core.doorbell
    }

    fn stop_engines(&self, threads: &mut Vec<JoinHandle<()>>) {
        // Hung engines park until the stop wakes them.
        self.core.stop.store(true, Ordering::Release);
        for _ in 0..threads.len() {
            self.core.doorbell.ring_always();
        }
        for t in threads.drain(..) {
            let _ = t.join();
        }
    }

    /// Completes every queued request with `cpa_status`.
    fn fail_queued(&self, cpa_status: CpaStatus) {
        let rings = self
            .core
            .active
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for r in rings.iter() {
            while let Some((idx, req)) = r.service.claim() {
                r.service
                    .complete(idx, &ResponseDesc::failed(&req, cpa_status));
            }
        }
    }

    /// Creates ring pair `ring_pair` of `bank` with `slots` slots in this
    /// process's heap, for the owner whose memory map is `memory`.
    pub fn create_ring(
        &self,
        bank: u32,
        ring_pair: u32,
        slots: u32,
        memory: Arc<OwnerMemory>,
    ) -> Result<RingHandle, DeviceError> {
        let handle = RingHandle {
            memory: RingMemory::new_heap(slots)?,
            notify: Arc::new(EventFd::new()?),
        };
        self.attach_ring(bank, ring_pair, &handle, memory)?;
        Ok(handle)
    }

    /// Serves ring pair `ring_pair` of `bank` from ring memory made elsewhere
    /// (shared memory in managed mode) for the owner whose memory map is
    /// `memory`.
    pub fn attach_ring(
        &self,
        bank: u32,
        ring_pair: u32,
        ring: &RingHandle,
        memory: Arc<OwnerMemory>,
    ) -> Result<(), DeviceError> {
        let g = self.core.geometry;
        if bank >= g.banks || ring_pair >= g.ring_pairs_per_bank {
            return Err(DeviceError::NoSuchRing {
                endpoint: self.core.info.id,
                bank,
                ring_pair,
                banks: g.banks,
                pairs: g.ring_pairs_per_bank,
            });
        }
        let entry = Arc::new(RingEntry {
            bank,
            ring_pair,
            service: RingService::new(ring.memory.clone(), ring.notify.clone()),
            memory,
        });
        let mut rings = self.core.rings.lock().unwrap_or_else(|e| e.into_inner());
        if rings.contains_key(&(bank, ring_pair)) {
            return Err(DeviceError::RingInUse {
                endpoint: self.core.info.id,
                bank,
                ring_pair,
            });
        }
        rings.insert((bank, ring_pair), entry);
        self.publish_active(&rings);
        Ok(())
    }

    /// Removes a ring pair; requests still queued on it are answered with
    /// CPA_STATUS_FAIL first.
    pub fn remove_ring(&self, bank: u32, ring_pair: u32) -> bool {
        let mut rings = self.core.rings.lock().unwrap_or_else(|e| e.into_inner());
        let Some(entry) = rings.remove(&(bank, ring_pair)) else {
            return false;
        };
        self.publish_active(&rings);
        drop(rings);
        while let Some((idx, req)) = entry.service.claim() {
            entry
                .service
                .complete(idx, &ResponseDesc::failed(&req, CpaStatus::Fail));
        }
        true
    }

    /// Ring pairs in use, as (bank, ring pair), sorted.
    pub fn rings_in_use(&self) -> Vec<(u32, u32)> {
        let rings = self.core.rings.lock().unwrap_or_else(|e| e.into_inner());
        let mut v: Vec<_> = rings.values().map(|r| (r.bank, r.ring_pair)).collect();
        v.sort_unstable();
        v
    }

    fn publish_active(&self, rings: &HashMap<(u32, u32), Arc<RingEntry>>) {
        let mut list: Vec<_> = rings.values().cloned().collect();
        list.sort_by_key(|r| (r.bank, r.ring_pair));
        *self.core.active.lock().unwrap_or_else(|e| e.into_inner()) = Arc::new(list);
        self.core.generation.fetch_add(1, Ordering::AcqRel);
        self.core.doorbell.ring_always();
    }

    /// Called by a requester after publishing requests: wakes a sleeping engine.
    pub fn ring_doorbell(&self) {
        self.core.doorbell.ring();
    }

    /// Per-engine (requests, responses), as debugfs `fw_counters` shows them.
    pub fn fw_counters(&self) -> Vec<(u64, u64)> {
        self.core
            .counters
            .iter()
            .map(|c| {
                (
                    c.requests.load(Ordering::Relaxed),
                    c.responses.load(Ordering::Relaxed),
                )
            })
            .collect()
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        let mut threads = self.control.lock().unwrap_or_else(|e| e.into_inner());
        self.stop_engines(&mut threads);
    }
}

/// Address space an engine thread must find free before it starts: its
/// stack (2 MiB, Rust's default), its firmware's workspaces (about 1 MiB
/// with every service: `tests/footprint.rs` keeps this honest) and room
/// for the buffers requests grow (verify and scatter-gather scratch).
/// Threads are admitted one at a time, each once the one before it has
/// built its workspaces.
pub const ENGINE_FOOTPRINT: u64 = 6 << 20;

/// Rounds of scanning with nothing found before an engine starts yielding.
const SPIN_ROUNDS: u32 = 256;
/// Further rounds, each yielding the CPU, before it sleeps.
const YIELD_ROUNDS: u32 = 64;
/// Requests taken from one ring before moving to the next (fairness).
const BATCH: usize = 16;
/// Requests claimed at once (one compare-and-swap, see
/// [`RingService::claim_batch`], which takes at most half of a ring's
/// waiting requests beyond [`crate::ring::WHOLE_CLAIM`]): with a deep queue
/// eight, so that the locked claim and the end-of-batch notification check
/// — each a wait for the response lines to leave for the requester's core —
/// come once per eight requests (AES-128-GCM 4 KiB, 32 in flight, stack /
/// raw engine with the core-to-core round trip near 400 ns: 0.906–0.916
/// against 0.868–0.884 claiming four; near 100 ns 0.942 against 0.937).
/// Only while a ring's requests are small: after a request of
/// [`SIGNAL_AFTER_BYTES`] or more the engine claims that ring's requests
/// one at a time, as claiming several long ones holds them from the
/// requester's pipeline (64 KiB compressions: stack / raw engine 0.86 with
/// batches against 0.93 without).
const CLAIM: usize = 8;
/// Bytes of requests an engine serves before it checks whether the
/// requester waits for a notification (a full fence): small requests share
/// one check per batch, large ones are announced as soon as they are done.
const SIGNAL_AFTER_BYTES: u64 = 32 * 1024;
/// An idle engine wakes up this often even if never rung.
const IDLE_SLEEP: Duration = Duration::from_millis(100);

fn engine_main(core: Arc<Core>, idx: usize, mut firmware: Firmware) {
    let mut generation = u64::MAX;
    let mut seen: Vec<u32> = Vec::new();
    // Per ring: how many requests the next claim may take.
    let mut claim_size: Vec<usize> = Vec::new();
    let mut rings: Arc<Vec<Arc<RingEntry>>> = Arc::new(Vec::new());
    let counters = &core.counters[idx];
    let mut start = idx;
    let mut idle = 0u32;
    let mut claimed = [RequestDesc::zeroed(); CLAIM];
    // The responses of a claimed batch, posted together once it is done.
    let mut responses = [(0u32, ResponseDesc::zeroed()); CLAIM];
    while !core.stop.load(Ordering::Acquire) {
        if core.hang.load(Ordering::Acquire) {
            // Hung: the loop stops turning (the heartbeat's counters
            // freeze) until a fatal error, a reset or a stop wakes it.
            core.doorbell.prepare_sleep();
            if core.hang.load(Ordering::Acquire) && !core.stop.load(Ordering::Acquire) {
                core.doorbell.sleep(IDLE_SLEEP);
            } else {
                core.doorbell.cancel_sleep();
            }
            continue;
        }
        counters.beats.bump();
        let g = core.generation.load(Ordering::Acquire);
        if g != generation {
            rings = core
                .active
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            generation = g;
            // The tail each ring had when this engine last looked.
            seen.clear();
            seen.resize(rings.len(), 0);
            claim_size.clear();
            claim_size.resize(rings.len(), CLAIM);
        }
        let n = rings.len();
        let mut worked = false;
        // Where this turn starts: `start` wraps within the ring count here,
        // so the scan below steps without a division per ring.
        if start >= n {
            start = if n == 0 { 0 } else { start % n };
        }
        let mut next = start;
        for _ in 0..n {
            let at = next;
            next = if next + 1 == n { 0 } else { next + 1 };
            let r = &rings[at];
            let mut last_posted = None;
            let mut unsignalled = 0u64;
            let mut taken = 0usize;
            while taken < BATCH {
                let room = claim_size[at].min(BATCH - taken);
                let Some((first, n)) = r.service.claim_batch(&mut seen[at], &mut claimed[..room])
                else {
                    break;
                };
                taken += n;
                let mut held = 0usize;
                for (k, req) in claimed[..n].iter().enumerate() {
                    let index = first.wrapping_add(k as u32);
                    // What the request weighs for claiming and notifying:
                    // its bytes, or a long request's weight for a buffer
                    // list (its length is not known here) and for a
                    // public-key operation (tens to hundreds of
                    // microseconds whatever its size).
                    let bytes = if req.src.kind == BUF_FLAT
                        && req.header.service != ServiceId::Asym as u8
                    {
                        u64::from(req.src.len)
                    } else {
                        SIGNAL_AFTER_BYTES
                    };
                    if bytes >= SIGNAL_AFTER_BYTES && held > 0 {
                        // Long work next: what is done does not wait for it.
                        post_held(&r.service, &responses[..held]);
                        held = 0;
                    }
                    let resp = if core.stop.load(Ordering::Acquire) {
                        // Down or reset: only the request being computed is
                        // finished; the others claimed with it are answered
                        // as the requests still queued will be.
                        let state = core.doorbell.page().state();
                        ResponseDesc::failed(
                            req,
                            if state == DeviceState::Restarting as u8 {
                                CpaStatus::Restarting
                            } else {
                                CpaStatus::Fail
                            },
                        )
                    } else if core.doorbell.page().state() == DeviceState::Error as u8 {
                        // Failed: not processed, answered at once (the host
                        // driver's dummy response, not the firmware's: the
                        // firmware counters do not count it).
                        core.dummies.fetch_add(1, Ordering::Relaxed);
                        ResponseDesc::dummy(req)
                    } else {
                        counters.requests.bump();
                        let resp = firmware.execute(req, &r.memory);
                        if resp.service == ServiceId::Dc as u8 {
                            note_cnv_error(counters, &resp);
                        }
                        // Counted before it is posted, so a requester that
                        // sees the response also sees it counted.
                        counters.responses.bump();
                        resp
                    };
                    responses[held] = (index, resp);
                    held += 1;
                    last_posted = Some(index);
                    worked = true;
                    unsignalled += bytes;
                    claim_size[at] = if bytes >= SIGNAL_AFTER_BYTES {
                        1
                    } else {
                        CLAIM
                    };
                }
                post_held(&r.service, &responses[..held]);
                // Small requests share one notification check per batch;
                // after long work the requester is told at once.
                if unsignalled >= SIGNAL_AFTER_BYTES {
                    if let Some(last) = last_posted.take() {
                        r.service.signal_posted(last);
                    }
                    unsignalled = 0;
                }
            }
            if let Some(last) = last_posted {
                r.service.signal_posted(last);
            }
        }
        start = start.wrapping_add(1);
        if worked {
            idle = 0;
            continue;
        }
        idle += 1;
        if idle < SPIN_ROUNDS {
            std::hint::spin_loop();
            continue;
        }
        if idle < SPIN_ROUNDS + YIELD_ROUNDS {
            std::thread::yield_now();
            continue;
        }
        core.doorbell.prepare_sleep();
        let work_waiting = rings.iter().any(|r| r.service.has_work())
            || core.generation.load(Ordering::Acquire) != generation
            || core.stop.load(Ordering::Acquire);
        if work_waiting {
            core.doorbell.cancel_sleep();
        } else {
            core.doorbell.sleep(IDLE_SLEEP);
        }
        idle = 0;
    }
}

/// Posts the responses of a claimed batch, in order. Together rather than
/// each as its request is done: the requester polls the response slot the
/// engine writes next, so the first store to it waits for the line to come
/// back from the requester's core, and the stores after it wait in the
/// store queue, the next request's among them. Posted together, a batch
/// pays for that transfer once and its lines travel in parallel; posted
/// one by one, every request did. (`softqat bench sym`, AES-128-GCM 4 KiB,
/// stack / raw engine with the core-to-core round trip near 400 ns:
/// 0.84–0.87 against 0.75; near 100 ns no difference. A request of
/// [`SIGNAL_AFTER_BYTES`] or more is posted alone, as its ring's claims
/// then hold one request.)
fn post_held(service: &RingService, held: &[(u32, ResponseDesc)]) {
    for (index, resp) in held {
        service.post(*index, resp);
    }
}

/// Counts a compress-and-verify error in a compression response.
fn note_cnv_error(counters: &EngineCounters, resp: &ResponseDesc) {
    let results: DcResponseResults = resp.result();
    let verify_error = softqat_cpa::dc::DcStatus::VerifyError.code() as i8;
    if results.status == verify_error || results.flags & crate::desc::DC_CNV_RECOVERED != 0 {
        counters.cnv_errors.bump();
        counters
            .cnv_last
            .store(i64::from(verify_error), Ordering::Relaxed);
    }
}
