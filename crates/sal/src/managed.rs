//! Managed mode, the client side: the process's connection to `softqatd`.
//!
//! One connection per process, kept open for the process's life (the daemon
//! learns that a process is gone when it closes). Over it the SAL:
//! - gets sections (SECTION_GET): the ring memory of all the section's
//!   instances (of every service) as one memfd, each endpoint's shared page
//!   (read-only) and doorbell eventfd, and each ring pair's notification
//!   eventfd — after which requests go through the shared rings with no
//!   system call per request; the compression instances are built over
//!   their dc ring pairs;
//! - registers every slab of its DMA memory pool (MEM_REGISTER), so that
//!   buffers allocated as [`crate::DmaBuf`] are reachable by the engines, at
//!   the same DMA addresses as in embedded mode;
//! - receives endpoint events (RESTARTING, RESTARTED, FATAL_ERROR) and
//!   queues them, on a thread of its own, for the instances' notification
//!   callbacks, which run when the application calls
//!   [`crate::poll_device_events`];
//! - asks for status and endpoint control for the tools ([`Control`]), and
//!   for the RAS calls: heartbeat checks, asynchronous resets, fault
//!   injection and debug files of the daemon's endpoints (the daemon allows
//!   checks and debug reads to processes holding a section, the rest to root
//!   and its own user only).
//!
//! A reader thread owns the receiving side: replies go to the one caller
//! waiting for a reply (calls are serialised), events go to the event thread.
//! If the daemon goes away the connection is marked lost: the endpoints report
//! state `error`, synchronous callers get FAIL, callbacks get FATAL_ERROR, and
//! the next `Qat::start` looks for a daemon again.
//!
//! When the daemon itself ends the connection it says why first (CLOSING):
//! a refusal (too many connections from this user or process, the daemon out
//! of descriptors) or an idle connection that held nothing. Calls then fail
//! with the daemon's words — never a bare "broken pipe" — and a connection
//! closed for being idle (CPA_STATUS_RETRY: no request was lost) is replaced
//! by a new one and the call made again.

use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, OnceLock, Weak};
use std::time::Duration;

use softqat_config::{DeviceClass, Polling};
use softqat_device::endpoint::{EndpointInfo, Geometry};
use softqat_device::ipc::{FdLoss, SharedMemory};
use softqat_device::notify::{Doorbell, EndpointPage, EventFd};
use softqat_device::plan::{EndpointPlan, InstancePlan, RingPlan, SectionPlan};
use softqat_device::proto::{self, kind, EndpointStatus, Frame, Request, SectionGrant, Verb};
use softqat_device::ring::RingMemory;
use softqat_device::usdm::{DmaPool, Slab, SlabObserver};
use softqat_device::{DeviceError, DeviceState, Fault, HeartbeatStatus, RasPolicy};

use crate::error::{CpaStatus, Error, Result};
use crate::info::instance_info;
use crate::instance::{EventTarget, InstanceEvent};
use crate::link::EndpointLink;
use crate::runtime::{Instances, NewRing};

/// How long a call waits for the daemon's reply.
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

/// The connection to the daemon.
pub(crate) struct Connection {
    socket: PathBuf,
    stream: UnixStream,
    /// Serialises calls: one request awaits its reply at a time.
    calls: Mutex<()>,
    reply: Mutex<Option<std::result::Result<Frame, Error>>>,
    replied: Condvar,
    alive: AtomicBool,
    /// Instances to tell about events, by endpoint number.
    listeners: Mutex<Vec<(u32, Weak<dyn EventTarget>)>>,
    observer: Mutex<Option<u64>>,
    /// What the daemon said when it ended the connection (CLOSING): a CPA
    /// status and its reason.
    farewell: Mutex<Option<(i32, String)>>,
    /// Set (under `reply`, with `replied` notified) when the reader thread
    /// has ended.
    reader_ended: AtomicBool,
}

/// How long a call whose request could not be sent waits for the reader to
/// read why (the daemon says why before it closes).
const FAREWELL_WAIT: Duration = Duration::from_secs(2);

impl Connection {
    fn connect(socket: &Path) -> std::io::Result<Arc<Connection>> {
        let stream = UnixStream::connect(socket)?;
        let reader = stream.try_clone()?;
        let conn = Arc::new(Connection {
            socket: socket.to_path_buf(),
            stream,
            calls: Mutex::new(()),
            reply: Mutex::new(None),
            replied: Condvar::new(),
            alive: AtomicBool::new(true),
            listeners: Mutex::new(Vec::new()),
            observer: Mutex::new(None),
            farewell: Mutex::new(None),
            reader_ended: AtomicBool::new(false),
        });
        let (events_tx, events_rx) = mpsc::channel::<(u32, InstanceEvent)>();
        let weak = Arc::downgrade(&conn);
        std::thread::Builder::new()
            .name("softqat-mgr-rx".into())
            .spawn(move || reader_main(reader, weak, events_tx))?;
        let weak = Arc::downgrade(&conn);
        std::thread::Builder::new()
            .name("softqat-mgr-ev".into())
            .spawn(move || events_main(events_rx, weak))?;
        Ok(conn)
    }

    pub(crate) fn is_alive(&self) -> bool {
        self.alive.load(Ordering::Acquire)
    }

    /// What the daemon said when it ended the connection, if it did.
    fn farewell(&self) -> Option<(i32, String)> {
        self.farewell
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// True if the daemon closed the connection for being idle (no request
    /// was lost: a new connection may make the call again).
    pub(crate) fn closed_idle(&self) -> bool {
        matches!(self.farewell(), Some((s, _)) if s == CpaStatus::Retry.code())
    }

    /// The error of a call on a connection that is gone: the daemon's reason
    /// if it gave one, else `otherwise`.
    fn gone_error(&self, otherwise: impl FnOnce() -> Error) -> Error {
        match self.farewell() {
            Some((status, reason)) => {
                Error::new(CpaStatus::from_code(status), format!("softqatd {reason}"))
            }
            None => otherwise(),
        }
    }

    fn lost_error(&self) -> Error {
        self.gone_error(|| {
            Error::fail(format!(
                "the connection to softqatd ({}) is lost: restart the daemon, then start again",
                self.socket.display()
            ))
        })
    }

    /// Waits (at most `limit`) for the reader thread to end: after a failed
    /// send, what the daemon said last is still to be read.
    fn wait_reader_end(&self, limit: Duration) {
        let deadline = std::time::Instant::now() + limit;
        let mut slot = self.reply.lock().unwrap_or_else(|e| e.into_inner());
        while !self.reader_ended.load(Ordering::Acquire) {
            let now = std::time::Instant::now();
            if now >= deadline {
                return;
            }
            slot = self
                .replied
                .wait_timeout(slot, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Sends a request (with descriptors) and waits for its reply. An ERROR
    /// reply becomes an `Error` with the daemon's status and message.
    fn call(&self, req: &Request, fds: &[std::os::fd::BorrowedFd<'_>]) -> Result<Frame> {
        let _turn = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        if !self.is_alive() {
            return Err(self.lost_error());
        }
        let (k, body) = req.encode();
        if let Err(e) = proto::send(&self.stream, k, &body, fds) {
            // The daemon may have closed the connection after saying why
            // (a refusal, an idle connection): report its words, not EPIPE.
            self.wait_reader_end(FAREWELL_WAIT);
            self.mark_lost();
            return Err(self.gone_error(|| Error::fail(format!("{e}"))));
        }
        let mut slot = self.reply.lock().unwrap_or_else(|e| e.into_inner());
        let deadline = std::time::Instant::now() + REPLY_TIMEOUT;
        loop {
            if let Some(r) = slot.take() {
                let frame = match r {
                    Ok(f) => f,
                    Err(e) => return Err(self.gone_error(|| e)),
                };
                if frame.kind == kind::ERROR {
                    let (status, message) =
                        proto::decode_error(&frame.body).map_err(|e| Error::fail(e.to_string()))?;
                    return Err(Error::new(
                        CpaStatus::from_code(status),
                        format!("softqatd: {message}"),
                    ));
                }
                return Ok(frame);
            }
            if !self.is_alive() {
                return Err(self.lost_error());
            }
            let now = std::time::Instant::now();
            if now >= deadline {
                // A reply that comes later would be taken for the next
                // call's: the connection cannot be trusted any more.
                drop(slot);
                self.mark_lost();
                return Err(Error::fail(format!(
                    "softqatd ({}) did not answer within {} s: check that it is running",
                    self.socket.display(),
                    REPLY_TIMEOUT.as_secs()
                )));
            }
            slot = self
                .replied
                .wait_timeout(slot, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn mark_lost(&self) {
        self.alive.store(false, Ordering::Release);
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
        self.replied.notify_all();
    }

    fn listen(&self, inst: Arc<dyn EventTarget>) {
        let mut l = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        l.retain(|(_, w)| w.strong_count() > 0);
        l.push((inst.endpoint_id(), Arc::downgrade(&inst)));
    }
}

fn reader_main(
    stream: UnixStream,
    conn: Weak<Connection>,
    events: mpsc::Sender<(u32, InstanceEvent)>,
) {
    loop {
        let got = proto::recv(&stream);
        let Some(c) = conn.upgrade() else { return };
        let ended = match got {
            Ok(frame) if frame.kind == kind::EVENT => {
                if let Ok(ev) = proto::decode_event(&frame.body) {
                    let _ = events.send(ev);
                }
                None
            }
            Ok(frame) if frame.kind == kind::CLOSING => {
                let said = proto::decode_closing(&frame.body).unwrap_or_else(|e| {
                    (
                        CpaStatus::Fail.code(),
                        format!("closed the connection (its reason does not decode: {e})"),
                    )
                });
                *c.farewell.lock().unwrap_or_else(|e| e.into_inner()) = Some(said.clone());
                Some(Error::new(
                    CpaStatus::from_code(said.0),
                    format!("softqatd {}", said.1),
                ))
            }
            Ok(frame) => {
                *c.reply.lock().unwrap_or_else(|e| e.into_inner()) = Some(Ok(frame));
                c.replied.notify_all();
                None
            }
            Err(e) => Some(receive_error(e)),
        };
        let Some(why) = ended else { continue };
        let was_alive = c.is_alive();
        {
            let mut slot = c.reply.lock().unwrap_or_else(|e| e.into_inner());
            *slot = Some(Err(why));
            c.reader_ended.store(true, Ordering::Release);
        }
        c.mark_lost();
        if was_alive {
            // Every instance learns that its endpoint is gone.
            let ids: Vec<u32> = c
                .listeners
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .map(|(id, _)| *id)
                .collect();
            let mut seen = Vec::new();
            for id in ids {
                if !seen.contains(&id) {
                    seen.push(id);
                    let _ = events.send((id, InstanceEvent::FatalError));
                }
            }
        }
        return;
    }
}

/// The error of a connection whose reading failed. Descriptors this
/// process could not take (its own descriptor limit) are RESOURCE, naming
/// the limit.
fn receive_error(e: proto::ProtoError) -> Error {
    let own_limit = match &e {
        proto::ProtoError::Io(io) => matches!(
            io.get_ref().and_then(|i| i.downcast_ref::<FdLoss>()),
            Some(FdLoss::NotInstalled { .. })
        ),
        _ => false,
    };
    if own_limit {
        Error::resource(e.to_string())
    } else {
        Error::fail(e.to_string())
    }
}

/// Queues the daemon's events for `poll_device_events` (see
/// [`crate::events`]): the instances they go to are looked up among the
/// connection's listeners when they are delivered.
fn events_main(events: mpsc::Receiver<(u32, InstanceEvent)>, conn: Weak<Connection>) {
    let source: Weak<dyn crate::events::EventSource> = conn;
    while let Ok((endpoint, event)) = events.recv() {
        if source.strong_count() == 0 {
            return;
        }
        crate::events::push(source.clone(), endpoint, event);
    }
}

impl crate::events::EventSource for Connection {
    fn targets(&self, endpoint: u32) -> Vec<Arc<dyn EventTarget>> {
        self.listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|(id, _)| *id == endpoint)
            .filter_map(|(_, w)| w.upgrade())
            .collect()
    }
}

/// Registers every slab of the DMA pool with the daemon.
struct SlabRegistrar {
    conn: Weak<Connection>,
}

impl SlabObserver for SlabRegistrar {
    fn added(&self, slab: &Slab) -> std::result::Result<(), DeviceError> {
        let Some(c) = self.conn.upgrade() else {
            return Ok(());
        };
        let registered = c.call(
            &Request::MemRegister {
                iova: slab.iova(),
                len: slab.len() as u64,
            },
            &[slab.memory().fd()],
        );
        match registered {
            Ok(_) => Ok(()),
            // The daemon closed the connection for holding nothing: there is
            // nothing to register with until the process connects again, and
            // a new connection registers every slab there is (buffers are of
            // use only through a section, which takes a connection).
            Err(_) if c.closed_idle() => Ok(()),
            Err(e) => Err(DeviceError::Os {
                what: "registering DMA memory with softqatd",
                source: std::io::Error::other(e.to_string()),
            }),
        }
    }

    fn removed(&self, slab: &Slab) {
        if let Some(c) = self.conn.upgrade() {
            if c.is_alive() {
                let _ = c.call(&Request::MemUnregister { iova: slab.iova() }, &[]);
            }
        }
    }
}

static CONNECTION: OnceLock<Mutex<Option<Arc<Connection>>>> = OnceLock::new();

/// Why [`connection`] failed.
#[derive(Debug)]
pub(crate) enum ConnectError {
    /// No daemon answers on the socket.
    Unreachable(std::io::Error),
    /// A daemon answered but the connection could not be set up: it
    /// refused it (its reason is in the error), or registering the DMA pool
    /// failed.
    Refused(Error),
}

/// The process's live connection to the daemon at `socket`, connecting (and
/// registering the DMA pool) if there is none.
pub(crate) fn connection(socket: &Path) -> std::result::Result<Arc<Connection>, ConnectError> {
    let mut slot = CONNECTION
        .get_or_init(|| Mutex::new(None))
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(c) = slot.as_ref() {
        if c.is_alive() && c.socket == socket {
            return Ok(c.clone());
        }
    }
    if let Some(old) = slot.take() {
        if let Some(key) = old
            .observer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            DmaPool::global().remove_observer(key);
        }
    }
    let conn = Connection::connect(socket).map_err(ConnectError::Unreachable)?;
    let registrar = Arc::new(SlabRegistrar {
        conn: Arc::downgrade(&conn),
    });
    let key = DmaPool::global().add_observer(registrar).map_err(|e| {
        // The daemon's own words (a refusal) if it gave any.
        ConnectError::Refused(conn.gone_error(|| Error::fail(e.to_string())))
    })?;
    *conn.observer.lock().unwrap_or_else(|e| e.into_inner()) = Some(key);
    *slot = Some(conn.clone());
    Ok(conn)
}

/// An endpoint that runs in the daemon.
pub(crate) struct ManagedEndpoint {
    info: EndpointInfo,
    doorbell: Doorbell,
    engine_threads: usize,
    conn: Arc<Connection>,
}

impl ManagedEndpoint {
    fn controller(&self) -> Control {
        Control {
            socket: self.conn.socket.clone(),
            conn: Mutex::new(self.conn.clone()),
        }
    }

    fn status(&self) -> Option<EndpointStatus> {
        self.controller()
            .status()
            .ok()?
            .into_iter()
            .find(|s| s.id == self.info.id)
    }
}

impl EndpointLink for ManagedEndpoint {
    fn info(&self) -> &EndpointInfo {
        &self.info
    }

    fn state(&self) -> DeviceState {
        if !self.conn.is_alive() {
            return DeviceState::Error;
        }
        DeviceState::from_u8(self.doorbell.page().state())
    }

    fn is_lost(&self) -> bool {
        !self.conn.is_alive()
    }

    fn ring_doorbell(&self) {
        self.doorbell.ring();
    }

    fn engine_threads(&self) -> usize {
        self.engine_threads
    }

    fn fw_counters(&self) -> Vec<(u64, u64)> {
        self.status()
            .map(|s| vec![(s.requests, s.responses)])
            .unwrap_or_default()
    }

    fn status_line(&self) -> String {
        self.status()
            .map(|s| s.line)
            .unwrap_or_else(|| self.info.status_line(self.state()))
    }

    fn is_managed(&self) -> bool {
        true
    }

    fn control(&self, verb: Verb) -> Result<()> {
        self.controller()
            .control(verb, Some(self.info.id))
            .map(|_| ())
    }

    fn release_ring(&self, _bank: u32, _ring_pair: u32) {}

    // RAS over the wire: the daemon's endpoint is checked, reset, injected
    // and read; the daemon decides who may (see softqat_manager).
    fn check_heartbeat(&self) -> Result<softqat_device::HeartbeatStatus> {
        let list = self.controller().heartbeat(Some(self.info.id))?;
        list.into_iter()
            .find(|(id, _)| *id == self.info.id)
            .map(|(_, s)| s)
            .ok_or_else(|| {
                Error::fail(format!(
                    "softqatd did not report qat_dev{}'s heartbeat: use a softqatd of the same \
                     release",
                    self.info.id
                ))
            })
    }

    fn reset_async(&self) -> Result<()> {
        self.controller().reset_async(self.info.id).map(|_| ())
    }

    fn inject(&self, fault: softqat_device::Fault) -> Result<()> {
        self.controller().inject(self.info.id, fault).map(|_| ())
    }

    fn ras_policy(&self) -> Result<softqat_device::RasPolicy> {
        self.controller().ras_policy(self.info.id)
    }

    fn set_ras_policy(&self, _policy: softqat_device::RasPolicy) -> Result<()> {
        Err(Error::unsupported(
            "softqatd's endpoints take their RAS settings from its configuration \
             (AutoResetOnError, HeartbeatTimer) and options",
        ))
    }

    fn debug_read(&self, file: &str) -> Result<String> {
        self.controller().debug_read(self.info.id, file)
    }

    fn debug_write(&self, file: &str, value: &str) -> Result<()> {
        self.controller()
            .debug_write(self.info.id, file, value)
            .map(|_| ())
    }
}

/// A section held from the daemon: released (SECTION_PUT) when dropped.
pub(crate) struct ManagedSection {
    pub(crate) name: String,
    requested: String,
    conn: Arc<Connection>,
    pub(crate) endpoints: Vec<Arc<dyn EndpointLink>>,
}

impl Drop for ManagedSection {
    fn drop(&mut self) {
        if self.conn.is_alive() {
            let _ = self.conn.call(
                &Request::SectionPut {
                    name: self.requested.clone(),
                },
                &[],
            );
        }
    }
}

fn malformed(what: impl std::fmt::Display) -> Error {
    Error::fail(format!(
        "softqatd sent a section this library cannot use ({what}): use a softqatd of the same release"
    ))
}

/// SECTION_GET: the section for `requested`, with its instances built over
/// the shared rings. A grant this library cannot use is handed back.
pub(crate) fn attach(
    conn: &Arc<Connection>,
    requested: &str,
) -> Result<(ManagedSection, Instances)> {
    let frame = conn.call(
        &Request::SectionGet {
            name: requested.to_string(),
        },
        &[],
    )?;
    build_section(conn, requested, frame).inspect_err(|_| {
        let _ = conn.call(
            &Request::SectionPut {
                name: requested.to_string(),
            },
            &[],
        );
    })
}

fn build_section(
    conn: &Arc<Connection>,
    requested: &str,
    frame: Frame,
) -> Result<(ManagedSection, Instances)> {
    if frame.kind != kind::SECTION {
        return Err(malformed(format!("reply kind {}", frame.kind)));
    }
    let grant = SectionGrant::decode(&frame.body).map_err(malformed)?;
    if frame.fds.len() != grant.fd_count() {
        return Err(malformed(format!(
            "{} descriptors for {} expected",
            frame.fds.len(),
            grant.fd_count()
        )));
    }
    let mut fds = frame.fds.into_iter();
    let mut next_fd = || -> Result<OwnedFd> { fds.next().ok_or_else(|| malformed("descriptors")) };
    let ring_len = usize::try_from(grant.ring_len).map_err(|_| malformed("ring length"))?;
    let rings = Arc::new(
        SharedMemory::from_fd(next_fd()?, ring_len)
            .map_err(|e| malformed(format!("ring memory: {e}")))?,
    );
    let mut plans = Vec::with_capacity(grant.endpoints.len());
    let mut links: Vec<Arc<dyn EndpointLink>> = Vec::with_capacity(grant.endpoints.len());
    for e in &grant.endpoints {
        // The same row of the class table the daemon used.
        let Some((class, _)) = DeviceClass::by_type_name(&e.class_name) else {
            return Err(malformed(format!(
                "qat_dev{} is of device class {:?}, which this library does not know",
                e.id, e.class_name
            )));
        };
        if class.generation.number() != e.generation {
            return Err(malformed(format!(
                "qat_dev{} of class {} is said to be gen{}, the class is {}",
                e.id,
                e.class_name,
                e.generation,
                class.generation.as_str()
            )));
        }
        let info = EndpointInfo {
            id: e.id,
            class_name: e.class_name.clone(),
            bdf: e.bdf.clone(),
            accelerators: e.accelerators,
            engines: e.engines,
            services: e.services.clone(),
        };
        let page = EndpointPage::from_fd_read_only(next_fd()?)
            .map_err(|err| malformed(format!("endpoint page: {err}")))?;
        let bell = EventFd::from_owned(next_fd()?);
        plans.push(EndpointPlan {
            info: info.clone(),
            geometry: Geometry {
                banks: e.banks,
                ring_pairs_per_bank: e.ring_pairs_per_bank,
                level_mapping: class.dc.level_mapping,
            },
            class,
            // The daemon runs the endpoint, its heartbeat and its resets.
            ras: softqat_device::RasPolicy::default(),
            dev_cfg: String::new(),
        });
        links.push(Arc::new(ManagedEndpoint {
            info,
            doorbell: Doorbell::remote(page, bell),
            engine_threads: e.engine_threads.max(1) as usize,
            conn: conn.clone(),
        }));
    }
    let section_plan = SectionPlan {
        name: grant.name.clone(),
        instances: grant
            .instances
            .iter()
            .map(|i| InstancePlan {
                endpoint: i.endpoint as usize,
                name: i.name.clone(),
                service: i.service,
                rings: i
                    .rings
                    .iter()
                    .map(|r| RingPlan {
                        service: r.service,
                        bank: r.bank,
                        ring_pair: r.ring_pair,
                        in_flight: r.in_flight,
                    })
                    .collect(),
                polling: if i.polling == 2 {
                    Polling::Epoll
                } else {
                    Polling::Polled
                },
                core_affinity: i.core_affinity,
            })
            .collect(),
    };
    let mut instances = Instances::default();
    // The rest of the descriptors: one notification eventfd per ring pair,
    // instance by instance.
    for (g, p) in grant.instances.iter().zip(&section_plan.instances) {
        for (rg, r) in g.rings.iter().zip(&p.rings) {
            let notify = EventFd::from_owned(next_fd()?);
            if rg.in_flight == 0 || rg.in_flight > rg.slots {
                return Err(malformed(format!("in-flight limit of {}", g.name)));
            }
            let offset = usize::try_from(rg.ring_offset).map_err(|_| malformed("ring offset"))?;
            let memory = RingMemory::in_shared(rings.clone(), offset, rg.slots)
                .map_err(|e| malformed(format!("ring of {}: {e}", g.name)))?;
            let ep_plan = &plans[p.endpoint];
            let capacity = rg.in_flight.clamp(1, rg.slots);
            let info = instance_info(ep_plan, &section_plan, p, r, capacity);
            let ring = NewRing {
                service: r.service,
                info,
                memory,
                notify: Arc::new(notify),
                in_flight: rg.in_flight,
            };
            if let Some(target) =
                instances.add_ring(ring, links[p.endpoint].clone(), true, ep_plan.class)
            {
                conn.listen(target);
            }
        }
    }
    Ok((
        ManagedSection {
            name: grant.name,
            requested: requested.to_string(),
            conn: conn.clone(),
            endpoints: links,
        },
        instances,
    ))
}

/// Status and endpoint control through the daemon (what `softqat status`,
/// `adf_ctl` and `qat_service` use).
pub struct Control {
    socket: PathBuf,
    conn: Mutex<Arc<Connection>>,
}

impl Control {
    /// Connects to the daemon in `run_dir` (see
    /// [`softqat_device::proto::run_dir`] for the default).
    pub fn connect(run_dir: &Path) -> Result<Control> {
        let socket = proto::socket_path(run_dir);
        // A connection of its own: control needs no DMA memory, and must not
        // replace the process's data connection.
        let conn = Self::open(&socket)?;
        Ok(Control {
            socket,
            conn: Mutex::new(conn),
        })
    }

    fn open(socket: &Path) -> Result<Arc<Connection>> {
        Connection::connect(socket).map_err(|e| {
            Error::fail(format!(
                "cannot reach softqatd at {}: {e}: start it (softqatd, or systemctl start softqatd) \
                 or set SOFTQAT_RUN_DIR to its run directory",
                socket.display()
            ))
        })
    }

    /// Makes a call; if the daemon had closed the connection for being idle
    /// (no request lost), connects again and makes it once more.
    fn call(&self, req: &Request) -> Result<Frame> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner()).clone();
        match conn.call(req, &[]) {
            Err(_) if conn.closed_idle() => {
                let fresh = Self::open(&self.socket)?;
                *self.conn.lock().unwrap_or_else(|e| e.into_inner()) = fresh.clone();
                fresh.call(req, &[])
            }
            other => other,
        }
    }

    /// The live endpoints' status.
    pub fn status(&self) -> Result<Vec<EndpointStatus>> {
        let frame = self.call(&Request::Status)?;
        if frame.kind != kind::STATUS_REPLY {
            return Err(Error::fail(format!(
                "softqatd answered STATUS with kind {}",
                frame.kind
            )));
        }
        proto::decode_status(&frame.body).map_err(|e| Error::fail(e.to_string()))
    }

    /// Runs `verb` on `qat_dev<endpoint>`, or on all endpoints; returns the
    /// daemon's message.
    pub fn control(&self, verb: Verb, endpoint: Option<u32>) -> Result<String> {
        let frame = self.call(&Request::Control { verb, endpoint })?;
        if frame.kind != kind::OK {
            return Err(Error::fail(format!(
                "softqatd answered CONTROL with kind {}",
                frame.kind
            )));
        }
        proto::decode_ok(&frame.body).map_err(|e| Error::fail(e.to_string()))
    }
}

impl Control {
    /// A call whose reply must be of kind `want`.
    fn call_for(&self, req: &Request, want: u16, what: &str) -> Result<Frame> {
        let frame = self.call(req)?;
        if frame.kind != want {
            return Err(Error::fail(format!(
                "softqatd answered {what} with kind {}: use a softqatd of the same release",
                frame.kind
            )));
        }
        Ok(frame)
    }

    /// A heartbeat check of `qat_dev<endpoint>`, or of all endpoints:
    /// (endpoint, status) each.
    pub fn heartbeat(&self, endpoint: Option<u32>) -> Result<Vec<(u32, HeartbeatStatus)>> {
        let frame = self.call_for(
            &Request::Heartbeat { endpoint },
            kind::HEARTBEAT_REPLY,
            "HEARTBEAT",
        )?;
        proto::decode_heartbeat(&frame.body).map_err(|e| Error::fail(e.to_string()))
    }

    /// Starts a reset of `qat_dev<endpoint>` (`icp_sal_reset_device`);
    /// returns the daemon's message.
    pub fn reset_async(&self, endpoint: u32) -> Result<String> {
        let frame = self.call_for(&Request::ResetAsync { endpoint }, kind::OK, "RESET_ASYNC")?;
        proto::decode_ok(&frame.body).map_err(|e| Error::fail(e.to_string()))
    }

    /// Injects `fault` into `qat_dev<endpoint>`; returns the daemon's message.
    pub fn inject(&self, endpoint: u32, fault: Fault) -> Result<String> {
        let frame = self.call_for(&Request::Inject { endpoint, fault }, kind::OK, "INJECT")?;
        proto::decode_ok(&frame.body).map_err(|e| Error::fail(e.to_string()))
    }

    /// Reads debug file `file` of `qat_dev<endpoint>`.
    pub fn debug_read(&self, endpoint: u32, file: &str) -> Result<String> {
        let frame = self.call_for(
            &Request::DebugRead {
                endpoint,
                file: file.to_string(),
            },
            kind::TEXT,
            "DEBUG_READ",
        )?;
        proto::decode_text(&frame.body).map_err(|e| Error::fail(e.to_string()))
    }

    /// Writes `value` to debug file `file` of `qat_dev<endpoint>`; returns
    /// the daemon's message.
    pub fn debug_write(&self, endpoint: u32, file: &str, value: &str) -> Result<String> {
        let frame = self.call_for(
            &Request::DebugWrite {
                endpoint,
                file: file.to_string(),
                value: value.to_string(),
            },
            kind::OK,
            "DEBUG_WRITE",
        )?;
        proto::decode_ok(&frame.body).map_err(|e| Error::fail(e.to_string()))
    }

    /// The RAS settings of `qat_dev<endpoint>`.
    pub fn ras_policy(&self, endpoint: u32) -> Result<RasPolicy> {
        let frame = self.call_for(
            &Request::RasPolicy { endpoint },
            kind::RAS_POLICY_REPLY,
            "RAS_POLICY",
        )?;
        proto::decode_ras_policy(&frame.body).map_err(|e| Error::fail(e.to_string()))
    }
}

/// The socket path clients use: `$SOFTQAT_RUN_DIR/softqatd.sock`, else
/// `/run/softqat/softqatd.sock`.
pub fn default_socket() -> PathBuf {
    proto::socket_path(&proto::run_dir())
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsFd;

    use softqat_device::proto::EndpointGrant;

    use super::*;

    /// A connection to a socket nobody serves (enough to build a section).
    fn connection(tag: &str) -> (Arc<Connection>, std::os::unix::net::UnixListener, PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("softqat-sal-managed-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let socket = dir.join("s.sock");
        let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        (Connection::connect(&socket).unwrap(), listener, dir)
    }

    fn frame(class_name: &str, generation: u8) -> Frame {
        let grant = SectionGrant {
            name: "SSL_INT_0".into(),
            ring_len: 4096,
            endpoints: vec![EndpointGrant {
                id: 0,
                class_name: class_name.into(),
                bdf: "0000:6b:00.0".into(),
                accelerators: 1,
                engines: 9,
                services: "dc".into(),
                banks: 64,
                ring_pairs_per_bank: 1,
                generation,
                engine_threads: 1,
            }],
            instances: Vec::new(),
        };
        let memory = SharedMemory::create("softqat-test-ring", 4096).unwrap();
        let page = EndpointPage::new().unwrap();
        let bell = EventFd::new().unwrap();
        Frame {
            kind: kind::SECTION,
            body: grant.encode(),
            fds: vec![
                memory.fd().try_clone_to_owned().unwrap(),
                page.read_only_fd().unwrap(),
                bell.as_fd().try_clone_to_owned().unwrap(),
            ],
        }
    }

    /// The client finds the class row the daemon used by its name, and
    /// refuses a class (or a generation) it does not know.
    #[test]
    fn a_grant_names_a_known_class_row() {
        let (conn, _listener, dir) = connection("class");
        // Nobody serves the socket: the section must not wait for a reply to
        // SECTION_PUT when dropped.
        conn.mark_lost();
        let (section, instances) = build_section(&conn, "SSL", frame("4xxx", 4)).unwrap();
        assert_eq!(
            (
                section.name.as_str(),
                instances.dc.len() + instances.cy.len()
            ),
            ("SSL_INT_0", 0)
        );
        assert_eq!(section.endpoints[0].info().class_name, "4xxx");
        drop(section);
        let err = build_section(&conn, "SSL", frame("9xxx", 4))
            .err()
            .unwrap()
            .message;
        assert!(
            err.contains("qat_dev0 is of device class \"9xxx\", which this library does not know"),
            "{err}"
        );
        let err = build_section(&conn, "SSL", frame("4xxxvf", 2))
            .err()
            .unwrap()
            .message;
        assert!(
            err.contains("is said to be gen2, the class is gen4"),
            "{err}"
        );
        drop(conn);
        let _ = std::fs::remove_dir_all(dir);
    }
}
