//! `icp_sal_userStart` / `icp_sal_userStop`: a process takes a section of the
//! configuration and gets its instances.
//!
//! Two modes, chosen at start ([`Mode`]):
//! - **Managed**: `softqatd` runs the endpoints; the process connects to its
//!   socket (`$SOFTQAT_RUN_DIR/softqatd.sock`, default
//!   `/run/softqat/softqatd.sock`) and receives its section over it (see
//!   [`crate::managed`]). POLICY and NumProcesses then hold across processes.
//! - **Embedded**: the endpoints are built inside the process from the
//!   configuration found — `$SOFTQAT_CONFIG_DIR`, else `/etc/softqat`, else
//!   the built-in default — and run their engines on threads of this process.
//!   Starts with the same configuration share one set of endpoints.
//!
//! By default a process uses the daemon when one answers and falls back to
//! embedded mode otherwise, saying so once on stderr. Either way each start
//! takes the first free internal section of the requested name (Programmer's
//! Guide §4.5), and starting a name this process already holds returns the
//! same section again (qatlib counts starts per process).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Once, OnceLock, Weak};

use softqat_config::{RingService, SystemConfig};
use softqat_device::dma::OwnerMemory;
use softqat_device::plan::{self, ConfigSource, EndpointPlan, SectionPlan};
use softqat_device::proto;
use softqat_device::ring::RingProducer;
use softqat_device::{Endpoint, EndpointEvent, EndpointOptions};

use crate::dc::instance::{DcInstance, DcInstanceInner};
use crate::error::{CpaStatus, Error, Result};
use crate::info::instance_info;
use crate::instance::{EventTarget, InstanceCore};
use crate::link::EndpointLink;
use crate::managed::{self, ManagedSection};
use crate::sym::instance::{CyInstance, CyInstanceInner};

/// Where the endpoints run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// `$SOFTQAT_MODE` (`managed`, `embedded` or `auto`) if set; else managed
    /// if a daemon answers and the configuration is not given explicitly,
    /// otherwise embedded (said once on stderr).
    #[default]
    Auto,
    /// In this process, whatever runs elsewhere.
    Embedded,
    /// In `softqatd` only: an error if it cannot be reached.
    Managed,
}

/// Options of [`Qat::start_with`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct StartOptions {
    /// Configuration to use (embedded mode; the daemon has its own).
    pub config: ConfigSource,
    /// Managed or embedded.
    pub mode: Mode,
    /// The daemon's run directory; default `$SOFTQAT_RUN_DIR`, else
    /// `/run/softqat`.
    pub run_dir: Option<PathBuf>,
    /// Engine threads per endpoint; default `$SOFTQAT_ENGINES`, else the
    /// number of CPUs.
    pub engine_threads: Option<usize>,
}

impl StartOptions {
    fn resolved_mode(&self) -> Mode {
        match self.mode {
            Mode::Auto => match std::env::var("SOFTQAT_MODE").as_deref() {
                Ok("managed") => Mode::Managed,
                Ok("embedded") => Mode::Embedded,
                _ => Mode::Auto,
            },
            m => m,
        }
    }

    fn socket(&self) -> PathBuf {
        proto::socket_path(&self.run_dir.clone().unwrap_or_else(proto::run_dir))
    }

    fn resolved_threads(&self) -> usize {
        self.engine_threads
            .or_else(|| {
                std::env::var("SOFTQAT_ENGINES")
                    .ok()
                    .and_then(|v| v.parse().ok())
            })
            .unwrap_or_else(|| EndpointOptions::default().engine_threads)
            .max(1)
    }
}

/// The endpoints built from one configuration, shared by the starts that use it.
pub(crate) struct DeviceSet {
    key: String,
    config: SystemConfig,
    pub(crate) endpoints: Vec<Arc<Endpoint>>,
    plans: Vec<EndpointPlan>,
    owner: Arc<OwnerMemory>,
    sections: Mutex<SectionTable>,
}

#[derive(Default)]
struct SectionTable {
    /// Requested name → the section this process holds for it.
    held: HashMap<String, Weak<SectionRuntime>>,
    /// Internal sections whose rings are attached: a section leaves this
    /// set only after its instances released their rings, so a start racing
    /// with the last handle's drop never picks a section still attached.
    attached: std::collections::HashSet<String>,
}

static DEVICE_SETS: OnceLock<Mutex<Vec<Weak<DeviceSet>>>> = OnceLock::new();

impl crate::events::EventSource for DeviceSet {
    /// The instances of this set's sections on `endpoint`.
    fn targets(&self, endpoint: u32) -> Vec<Arc<dyn EventTarget>> {
        self.sections
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .held
            .values()
            .filter_map(Weak::upgrade)
            .flat_map(|s| s.instances.event_targets())
            .filter(|i| i.endpoint_id() == endpoint)
            .collect()
    }
}

impl DeviceSet {
    fn get_or_build(opts: &StartOptions) -> Result<Arc<DeviceSet>> {
        let source = opts.config.resolved();
        let threads = opts.resolved_threads();
        let key = format!("{source:?}/{threads}");
        let sets = DEVICE_SETS.get_or_init(|| Mutex::new(Vec::new()));
        let mut sets = sets.lock().unwrap_or_else(|e| e.into_inner());
        sets.retain(|w| w.strong_count() > 0);
        if let Some(set) = sets.iter().filter_map(Weak::upgrade).find(|s| s.key == key) {
            return Ok(set);
        }
        let config = plan::load(&source).map_err(|e| Error::fail(e.0))?;
        let plans = plan::endpoints(&config);
        let mut endpoints = Vec::with_capacity(plans.len());
        for p in &plans {
            let ep = Endpoint::new(
                p.info.clone(),
                p.geometry,
                EndpointOptions {
                    engine_threads: threads,
                    ras: p.ras,
                },
            )
            .map_err(|e| Error::fail(e.to_string()))?;
            ep.set_dev_cfg(p.dev_cfg.clone());
            ep.up().map_err(|e| {
                if e.is_exhaustion() {
                    Error::resource(e.to_string())
                } else {
                    Error::fail(e.to_string())
                }
            })?;
            endpoints.push(ep);
        }
        let set = Arc::new(DeviceSet {
            key,
            config,
            endpoints,
            plans,
            // SAFETY: this owner serves only rings of this process's own
            // instances, whose synchronous calls hold the borrowed buffers
            // until the response is consumed and whose asynchronous calls
            // move DmaBufs into the request until then.
            #[allow(unsafe_code)]
            owner: unsafe { OwnerMemory::passthrough() },
            sections: Mutex::new(SectionTable::default()),
        });
        for ep in &set.endpoints {
            // Queued, not delivered: the callbacks run when the application
            // calls poll_device_events (see crate::events).
            let weak: Weak<dyn crate::events::EventSource> = Arc::downgrade(&set) as _;
            ep.subscribe(Arc::new(move |id, event: EndpointEvent| {
                crate::events::push(weak.clone(), id, event.instance_event());
            }));
        }
        sets.push(Arc::downgrade(&set));
        Ok(set)
    }
}

/// A started section: what `icp_sal_userStart` gives a process.
pub(crate) struct SectionRuntime {
    // Fields drop in order: the instances release their rings before the
    // section is put back (managed) or the device set (and with it, possibly,
    // the endpoints) goes (embedded).
    instances: Instances,
    name: String,
    endpoints: Vec<Arc<dyn EndpointLink>>,
    _holder: Holder,
}

/// What keeps a section's endpoints alive (and, managed, puts the section
/// back when dropped). Held only for its lifetime.
#[allow(dead_code)]
impl Drop for SectionRuntime {
    fn drop(&mut self) {
        // Rings first, then the section is free for another start.
        let instances = std::mem::take(&mut self.instances);
        drop(instances);
        if let Holder::Embedded(devices) = &self._holder {
            devices
                .sections
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .attached
                .remove(&self.name);
        }
    }
}

enum Holder {
    Embedded(Arc<DeviceSet>),
    // Held for its drop: the section goes back to the daemon.
    Managed(#[allow(dead_code)] ManagedSection),
}

/// Sections this process holds from the daemon, by requested name.
static MANAGED_SECTIONS: OnceLock<Mutex<HashMap<String, Weak<SectionRuntime>>>> = OnceLock::new();

/// A process's access to the endpoints through one section of the
/// configuration (`icp_sal_userStart` … `icp_sal_userStop`).
///
/// Dropping the last handle of a section releases it (`icp_sal_userStop`).
#[derive(Clone)]
pub struct Qat {
    inner: Arc<SectionRuntime>,
}

impl std::fmt::Debug for Qat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Qat")
            .field("section", &self.inner.name)
            .finish()
    }
}

/// Section names are non-empty and shorter than 128 bytes (qatlib's check).
fn check_section_name(name: &str) -> Result<()> {
    if name.is_empty() || name.len() >= 128 {
        return Err(Error::invalid(format!(
            "section name {name:?} must be 1 to 127 bytes long"
        )));
    }
    Ok(())
}

impl Qat {
    /// `icp_sal_userStart(section)` with the configuration found
    /// automatically (see [`ConfigSource::Auto`]).
    pub fn start(section: &str) -> Result<Qat> {
        Qat::start_with(section, &StartOptions::default())
    }

    /// `icp_sal_userStart(section)` with explicit options.
    pub fn start_with(section: &str, opts: &StartOptions) -> Result<Qat> {
        check_section_name(section)?;
        match opts.resolved_mode() {
            Mode::Embedded => Self::start_embedded(section, opts),
            Mode::Managed => {
                let socket = opts.socket();
                Self::start_managed_at(section, &socket, true).map_err(|u| match u {
                    Unmanaged::Failed(e) => e,
                    Unmanaged::NoDaemon(e) => no_daemon(&socket, &e),
                })
            }
            Mode::Auto => {
                if opts.config != ConfigSource::Auto {
                    return Self::start_embedded(section, opts);
                }
                let socket = opts.socket();
                match Self::start_managed_at(section, &socket, false) {
                    Ok(qat) => Ok(qat),
                    Err(Unmanaged::Failed(e)) => Err(e),
                    Err(Unmanaged::NoDaemon(e)) => {
                        static SAID: Once = Once::new();
                        SAID.call_once(|| {
                            eprintln!(
                                "softqat: no softqatd at {} ({e}): running the endpoints in this \
                                 process (embedded mode)",
                                socket.display()
                            )
                        });
                        Self::start_embedded(section, opts)
                    }
                }
            }
        }
    }

    /// Managed start through the daemon at `socket`. A connection the
    /// daemon had closed for being idle (it lost no request) is replaced and
    /// the start made again once. `required`: no daemon is an error (else
    /// the caller falls back to embedded mode).
    fn start_managed_at(
        section: &str,
        socket: &std::path::Path,
        required: bool,
    ) -> std::result::Result<Qat, Unmanaged> {
        let mut again = true;
        loop {
            let conn = match managed::connection(socket) {
                Ok(c) => c,
                Err(managed::ConnectError::Unreachable(e)) if required => {
                    return Err(Unmanaged::Failed(no_daemon(socket, &e)))
                }
                Err(managed::ConnectError::Unreachable(e)) => return Err(Unmanaged::NoDaemon(e)),
                Err(managed::ConnectError::Refused(e)) => return Err(Unmanaged::Failed(e)),
            };
            match Self::start_managed(section, &conn) {
                Err(_) if again && conn.closed_idle() => again = false,
                other => return other.map_err(Unmanaged::Failed),
            }
        }
    }

    fn start_managed(section: &str, conn: &Arc<managed::Connection>) -> Result<Qat> {
        let mut held = MANAGED_SECTIONS
            .get_or_init(|| Mutex::new(HashMap::new()))
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(s) = held.get(section).and_then(Weak::upgrade) {
            if s.endpoints.iter().all(|e| !e.is_lost()) {
                return Ok(Qat { inner: s });
            }
        }
        let (managed, instances) = managed::attach(conn, section)?;
        let inner = Arc::new(SectionRuntime {
            instances,
            name: managed.name.clone(),
            endpoints: managed.endpoints.clone(),
            _holder: Holder::Managed(managed),
        });
        held.insert(section.to_string(), Arc::downgrade(&inner));
        Ok(Qat { inner })
    }

    fn start_embedded(section: &str, opts: &StartOptions) -> Result<Qat> {
        let devices = DeviceSet::get_or_build(opts)?;
        let mut table = devices.sections.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(held) = table.held.get(section).and_then(Weak::upgrade) {
            return Ok(Qat { inner: held });
        }
        let candidates = plan::sections(&devices.config, &devices.plans, section)
            .map_err(|e| Error::fail(e.0))?;
        let total = candidates.len();
        let Some(chosen) = candidates
            .into_iter()
            .find(|c| !table.attached.contains(&c.name))
        else {
            return Err(Error::resource(format!(
                "all {total} sections for [{section}] are in use: raise NumProcesses in [{section}] \
                 or stop a process that holds one"
            )));
        };
        let instances = build_instances(&devices, &chosen)?;
        table.attached.insert(chosen.name.clone());
        let inner = Arc::new(SectionRuntime {
            instances,
            name: chosen.name,
            endpoints: devices
                .endpoints
                .iter()
                .map(|e| e.clone() as Arc<dyn EndpointLink>)
                .collect(),
            _holder: Holder::Embedded(devices.clone()),
        });
        table
            .held
            .insert(section.to_string(), Arc::downgrade(&inner));
        Ok(Qat { inner })
    }

    /// `icp_sal_userStop` for this handle: the section is released when the
    /// last handle is gone.
    pub fn stop(self) {}

    /// The internal section this process holds, e.g. `SSL_INT_0`.
    pub fn section_name(&self) -> &str {
        &self.inner.name
    }

    /// `cpaDcGetInstances`: the compression instances of the section.
    pub fn dc_instances(&self) -> &[DcInstance] {
        &self.inner.instances.dc
    }

    /// `cpaCyGetInstances`: the crypto instances of the section (those with
    /// a symmetric ring pair).
    pub fn cy_instances(&self) -> &[CyInstance] {
        &self.inner.instances.cy
    }

    /// The endpoints of the section: in embedded mode all endpoints of the
    /// configuration in use, in managed mode those its instances are on.
    pub fn endpoints(&self) -> &[Arc<dyn EndpointLink>] {
        &self.inner.endpoints
    }

    /// True if the section comes from `softqatd`.
    pub fn is_managed(&self) -> bool {
        matches!(self.inner._holder, Holder::Managed(_))
    }

    /// `icp_sal_pollBank`: polls this section's instances in `bank` of
    /// endpoint `accel_id`. RETRY when none had a response.
    pub fn poll_bank(&self, accel_id: u32, bank: u32, quota: u32) -> Result<u32> {
        self.poll_where(accel_id, |i| i.bank == bank, quota)
    }

    /// `icp_sal_pollAllBanks`: polls this section's instances on endpoint
    /// `accel_id`. RETRY when none had a response.
    pub fn poll_all_banks(&self, accel_id: u32, quota: u32) -> Result<u32> {
        self.poll_where(accel_id, |_| true, quota)
    }

    fn poll_where(
        &self,
        accel_id: u32,
        pick: impl Fn(&crate::instance::InstanceInfo) -> bool,
        quota: u32,
    ) -> Result<u32> {
        if !self.endpoints().iter().any(|e| e.info().id == accel_id) {
            return Err(Error::invalid(format!(
                "there is no endpoint qat_dev{accel_id}"
            )));
        }
        let here = |i: &crate::instance::InstanceInfo| i.package_id == accel_id && pick(i);
        let mut total = 0;
        for inst in self.inner.instances.dc.iter().filter(|i| here(i.info())) {
            if let Ok(n) = inst.poll(quota) {
                total += n;
            }
        }
        for inst in self.inner.instances.cy.iter().filter(|i| here(i.info())) {
            if let Ok(n) = inst.poll(quota) {
                total += n;
            }
        }
        if total == 0 {
            Err(Error::new(CpaStatus::Retry, "no responses waiting"))
        } else {
            Ok(total)
        }
    }
}

/// The instances of a section, by service.
#[derive(Default)]
pub(crate) struct Instances {
    pub(crate) dc: Vec<DcInstance>,
    pub(crate) cy: Vec<CyInstance>,
}

impl Instances {
    /// Every instance, as something endpoint events go to.
    pub(crate) fn event_targets(&self) -> Vec<Arc<dyn EventTarget>> {
        let dc = self
            .dc
            .iter()
            .map(|i| i.inner.clone() as Arc<dyn EventTarget>);
        let cy = self
            .cy
            .iter()
            .map(|i| i.inner.clone() as Arc<dyn EventTarget>);
        dc.chain(cy).collect()
    }

    /// Adds the instance of one ring pair: compression, or a crypto
    /// instance. An asymmetric ring pair joins the crypto instance of the
    /// same name built from its symmetric ring pair (the plan lists sym
    /// before asym) and returns None, as that instance already receives the
    /// events; on an endpoint without sym it makes a crypto instance of its
    /// own.
    pub(crate) fn add_ring(
        &mut self,
        ring: NewRing,
        endpoint: Arc<dyn EndpointLink>,
        bounce: bool,
        class: &'static softqat_config::DeviceClass,
    ) -> Option<Arc<dyn EventTarget>> {
        let NewRing {
            service,
            info,
            memory,
            notify,
            in_flight,
        } = ring;
        match service {
            RingService::Dc => {
                let ring = RingProducer::new(memory, notify, in_flight);
                let inner = DcInstanceInner::new(info, endpoint, bounce, class, ring);
                self.dc.push(DcInstance {
                    inner: inner.clone(),
                });
                Some(inner)
            }
            RingService::Sym => {
                let ring = RingProducer::new(memory, notify, in_flight);
                let inner = CyInstanceInner::new(info, endpoint, bounce, class, ring, true);
                self.cy.push(CyInstance {
                    inner: inner.clone(),
                });
                Some(inner)
            }
            RingService::Asym => {
                let ring = RingProducer::new(memory, notify, in_flight);
                let same = self
                    .cy
                    .iter()
                    .rev()
                    .find(|c| c.inner.has_sym && c.inner.core.info.inst_id == info.inst_id);
                match same {
                    Some(cy) => {
                        let core = InstanceCore::new(info, endpoint, bounce, ring);
                        // Set once per instance: a second asym ring pair of
                        // the same name would be dropped (and released).
                        let _ = cy.inner.asym_ring.set(core);
                        None
                    }
                    // An endpoint without sym: the instance is its asym
                    // ring pair alone.
                    None => {
                        let inner =
                            CyInstanceInner::new(info, endpoint, bounce, class, ring, false);
                        self.cy.push(CyInstance {
                            inner: inner.clone(),
                        });
                        Some(inner)
                    }
                }
            }
        }
    }
}

/// One ring pair an instance is made of.
pub(crate) struct NewRing {
    pub(crate) service: RingService,
    pub(crate) info: crate::instance::InstanceInfo,
    pub(crate) memory: Arc<softqat_device::ring::RingMemory>,
    pub(crate) notify: Arc<softqat_device::notify::EventFd>,
    pub(crate) in_flight: u32,
}

/// The instances of `section`: one per compression ring pair and per
/// crypto instance (its sym ring pair, with its asym ring pair joined).
fn build_instances(devices: &DeviceSet, section: &SectionPlan) -> Result<Instances> {
    let mut out = Instances::default();
    for (p, r) in section.rings() {
        let endpoint = devices.endpoints[p.endpoint].clone();
        let handle = endpoint
            .create_ring(r.bank, r.ring_pair, r.slots(), devices.owner.clone())
            .map_err(|e| Error::resource(e.to_string()))?;
        let capacity = r.in_flight.clamp(1, r.slots());
        let info = instance_info(&devices.plans[p.endpoint], section, p, r, capacity);
        let ring = NewRing {
            service: r.service,
            info,
            memory: handle.memory,
            notify: handle.notify,
            in_flight: r.in_flight,
        };
        out.add_ring(ring, endpoint, false, devices.plans[p.endpoint].class);
    }
    Ok(out)
}

/// Why a managed start did not happen.
enum Unmanaged {
    /// No daemon answers (auto mode falls back to embedded mode).
    NoDaemon(std::io::Error),
    /// A daemon answered and refused, or the start failed.
    Failed(Error),
}

fn no_daemon(socket: &std::path::Path, e: &std::io::Error) -> Error {
    Error::fail(format!(
        "cannot reach softqatd at {}: {e}: start it (softqatd, or systemctl start softqatd), \
         set SOFTQAT_RUN_DIR to its run directory, or use embedded mode",
        socket.display()
    ))
}

/// The `qat_service status` lines of the endpoints: the daemon's when the
/// options resolve to managed mode (or, in auto mode, a daemon answers),
/// else those of the configuration in `opts` (building them if this process
/// has not yet).
pub fn endpoint_status(opts: &StartOptions) -> Result<Vec<String>> {
    let mode = opts.resolved_mode();
    let try_daemon =
        mode == Mode::Managed || (mode == Mode::Auto && opts.config == ConfigSource::Auto);
    if try_daemon {
        let dir = opts.run_dir.clone().unwrap_or_else(proto::run_dir);
        match managed::Control::connect(&dir) {
            Ok(control) => {
                let list = control.status()?;
                return Ok(list.into_iter().map(|s| s.line).collect());
            }
            Err(e) if mode == Mode::Managed => return Err(e),
            Err(_) => {}
        }
    }
    let set = DeviceSet::get_or_build(opts)?;
    Ok(set.endpoints.iter().map(|e| e.status_line()).collect())
}
