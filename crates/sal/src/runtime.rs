//! `icp_sal_userStart` / `icp_sal_userStop`: a process takes a section of the
//! configuration and gets its instances.
//!
//! In embedded mode (this module) the endpoints are built inside the process
//! from the configuration found — `$SOFTQAT_CONFIG_DIR`, else
//! `/etc/softqat`, else the built-in default — and run their engines on
//! threads of this process. Starts with the same configuration share one set
//! of endpoints; each start takes the first free internal section of the
//! requested name (Programmer's Guide §4.5), and starting a name this process
//! already holds returns the same section again (qatlib counts starts per
//! process).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock, Weak};

use softqat_config::SystemConfig;
use softqat_device::dma::OwnerMemory;
use softqat_device::ring::RingProducer;
use softqat_device::{Endpoint, EndpointOptions};

use crate::dc::StatsCounters;
use crate::error::{CpaStatus, Error, Result};
use crate::instance::{DcInstance, DcInstanceInner, PollingMode};
use crate::plan::{self, EndpointPlan, SectionPlan};

/// Where the configuration comes from.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum ConfigSource {
    /// `$SOFTQAT_CONFIG_DIR` if set, else `/etc/softqat` if it holds endpoint
    /// files, else the built-in default.
    #[default]
    Auto,
    /// The built-in default: two 4xxx endpoints, `sym;asym` and `dc`.
    Builtin,
    /// The `<class>_dev<N>.conf` files of a directory.
    Dir(PathBuf),
    /// A managed-mode file (`/etc/sysconfig/qat`: POLICY, ServicesEnabled)
    /// over the built-in endpoints.
    ManagedFile(PathBuf),
}

/// Options of [`Qat::start_with`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct StartOptions {
    /// Configuration to use.
    pub config: ConfigSource,
    /// Engine threads per endpoint; default `$SOFTQAT_ENGINES`, else the
    /// number of CPUs.
    pub engine_threads: Option<usize>,
}

impl StartOptions {
    fn resolved_config(&self) -> ConfigSource {
        match &self.config {
            ConfigSource::Auto => {
                if let Some(dir) = std::env::var_os("SOFTQAT_CONFIG_DIR") {
                    return ConfigSource::Dir(PathBuf::from(dir));
                }
                let etc = PathBuf::from("/etc/softqat");
                if plan::dir_has_endpoint_files(&etc) {
                    ConfigSource::Dir(etc)
                } else {
                    ConfigSource::Builtin
                }
            }
            other => other.clone(),
        }
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
}

static DEVICE_SETS: OnceLock<Mutex<Vec<Weak<DeviceSet>>>> = OnceLock::new();

impl DeviceSet {
    fn get_or_build(opts: &StartOptions) -> Result<Arc<DeviceSet>> {
        let source = opts.resolved_config();
        let threads = opts.resolved_threads();
        let key = format!("{source:?}/{threads}");
        let sets = DEVICE_SETS.get_or_init(|| Mutex::new(Vec::new()));
        let mut sets = sets.lock().unwrap_or_else(|e| e.into_inner());
        sets.retain(|w| w.strong_count() > 0);
        if let Some(set) = sets.iter().filter_map(Weak::upgrade).find(|s| s.key == key) {
            return Ok(set);
        }
        let config = plan::load(&source)?;
        let plans = plan::endpoints(&config);
        let mut endpoints = Vec::with_capacity(plans.len());
        for p in &plans {
            let ep = Endpoint::new(
                p.info.clone(),
                p.geometry,
                EndpointOptions {
                    engine_threads: threads,
                },
            )
            .map_err(|e| Error::fail(e.to_string()))?;
            ep.up().map_err(|e| Error::fail(e.to_string()))?;
            endpoints.push(ep);
        }
        let set = Arc::new(DeviceSet {
            key,
            config,
            endpoints,
            plans,
            owner: OwnerMemory::passthrough(),
            sections: Mutex::new(SectionTable::default()),
        });
        sets.push(Arc::downgrade(&set));
        Ok(set)
    }
}

/// A started section: what `icp_sal_userStart` gives a process.
pub(crate) struct SectionRuntime {
    // Fields drop in order: the instances release their rings before the
    // device set (and with it, possibly, the endpoints) goes.
    dc: Vec<DcInstance>,
    name: String,
    devices: Arc<DeviceSet>,
}

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
        let devices = DeviceSet::get_or_build(opts)?;
        let mut table = devices.sections.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(held) = table.held.get(section).and_then(Weak::upgrade) {
            return Ok(Qat { inner: held });
        }
        let candidates = plan::sections(&devices.config, &devices.plans, section)?;
        let total = candidates.len();
        let taken: Vec<String> = table
            .held
            .values()
            .filter_map(Weak::upgrade)
            .map(|s| s.name.clone())
            .collect();
        let Some(chosen) = candidates.into_iter().find(|c| !taken.contains(&c.name)) else {
            return Err(Error::resource(format!(
                "all {total} sections for [{section}] are in use: raise NumProcesses in [{section}] \
                 or stop a process that holds one"
            )));
        };
        let dc = build_instances(&devices, &chosen)?;
        let inner = Arc::new(SectionRuntime {
            dc,
            name: chosen.name,
            devices: devices.clone(),
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
        &self.inner.dc
    }

    /// The endpoints of the configuration in use.
    pub fn endpoints(&self) -> &[Arc<Endpoint>] {
        &self.inner.devices.endpoints
    }

    /// `icp_sal_pollBank`: polls this section's instances in `bank` of
    /// endpoint `accel_id`. RETRY when none had a response.
    pub fn poll_bank(&self, accel_id: u32, bank: u32, quota: u32) -> Result<u32> {
        self.poll_where(accel_id, |i| i.info().bank == bank, quota)
    }

    /// `icp_sal_pollAllBanks`: polls this section's instances on endpoint
    /// `accel_id`. RETRY when none had a response.
    pub fn poll_all_banks(&self, accel_id: u32, quota: u32) -> Result<u32> {
        self.poll_where(accel_id, |_| true, quota)
    }

    fn poll_where(
        &self,
        accel_id: u32,
        pick: impl Fn(&DcInstance) -> bool,
        quota: u32,
    ) -> Result<u32> {
        if !self.endpoints().iter().any(|e| e.info().id == accel_id) {
            return Err(Error::invalid(format!(
                "there is no endpoint qat_dev{accel_id}"
            )));
        }
        let mut total = 0;
        for inst in self
            .inner
            .dc
            .iter()
            .filter(|i| i.info().package_id == accel_id && pick(i))
        {
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

fn build_instances(devices: &DeviceSet, section: &SectionPlan) -> Result<Vec<DcInstance>> {
    let mut out = Vec::with_capacity(section.dc.len());
    for p in &section.dc {
        let endpoint = devices.endpoints[p.endpoint].clone();
        let slots = p.in_flight.next_power_of_two().clamp(64, 65536);
        let handle = endpoint
            .create_ring(p.bank, p.ring_pair, slots, devices.owner.clone())
            .map_err(|e| Error::resource(e.to_string()))?;
        let ring = RingProducer::new(handle.memory, handle.notify, p.in_flight);
        let info = plan::instance_info(&devices.plans[p.endpoint], section, p, ring.capacity());
        let inst = DcInstance {
            inner: Arc::new(DcInstanceInner {
                info,
                endpoint,
                generation: devices.plans[p.endpoint].generation,
                ring,
                started: AtomicBool::new(false),
                stats: StatsCounters::default(),
                dp_callback: Mutex::new(None),
                notification: Mutex::new(None),
                fd_handed_out: AtomicBool::new(false),
            }),
        };
        if p.polling == PollingMode::Epoll {
            // The fd must already reflect waiting responses when handed out.
            inst.inner.ring.arm();
        }
        out.push(inst);
    }
    Ok(out)
}

/// The `qat_service status` lines of the endpoints the configuration in
/// `opts` gives (building them if this process has not yet).
pub fn endpoint_status(opts: &StartOptions) -> Result<Vec<String>> {
    let set = DeviceSet::get_or_build(opts)?;
    Ok(set.endpoints.iter().map(|e| e.status_line()).collect())
}
