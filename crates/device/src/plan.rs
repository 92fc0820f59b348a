//! From the configuration to what is built: the endpoints with their geometry
//! and class row, and per internal section its instances of every service
//! (dc, sym, asym and cy) with the ring pairs they use.
//!
//! Embedded mode (the SAL builds the endpoints in the process) and `softqatd`
//! (which builds them for every process) both build from these plans, so both
//! place instances the same way.

use std::path::{Path, PathBuf};

use softqat_config::{
    DeviceClass, EndpointConfig, InstanceService, ManagedConfig, Polling, RingService, SystemConfig,
};

use crate::endpoint::{EndpointInfo, Geometry};
use crate::ras::RasPolicy;

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

impl ConfigSource {
    /// What `Auto` stands for now: `$SOFTQAT_CONFIG_DIR` if set, else
    /// `/etc/softqat` if it holds endpoint files, else the built-in default.
    /// Other sources are themselves.
    pub fn resolved(&self) -> ConfigSource {
        match self {
            ConfigSource::Auto => {
                if let Some(dir) = std::env::var_os("SOFTQAT_CONFIG_DIR").filter(|d| !d.is_empty())
                {
                    return ConfigSource::Dir(PathBuf::from(dir));
                }
                let etc = PathBuf::from("/etc/softqat");
                if dir_has_endpoint_files(&etc) {
                    ConfigSource::Dir(etc)
                } else {
                    ConfigSource::Builtin
                }
            }
            other => other.clone(),
        }
    }
}

/// A configuration that cannot be loaded or a section that cannot be given;
/// the message says what to fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PlanError(pub String);

/// An endpoint to build.
#[derive(Clone, Debug)]
pub struct EndpointPlan {
    /// Identity facts.
    pub info: EndpointInfo,
    /// Ring geometry.
    pub geometry: Geometry,
    /// Its row of the device class table (session rules, level mapping,
    /// capabilities).
    pub class: &'static DeviceClass,
    /// Heartbeat period and automatic reset (`AutoResetOnError`,
    /// `HeartbeatTimer`).
    pub ras: RasPolicy,
    /// The `dev_cfg` debug file: the endpoint's configuration as INI text.
    pub dev_cfg: String,
}

/// The service an instance offers (`CpaAccelerationServiceType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InstanceKind {
    /// Compression: one dc ring pair.
    Dc,
    /// Symmetric crypto only (a Cy instance on an endpoint without asym):
    /// one sym ring pair.
    Sym,
    /// Asymmetric crypto only (a Cy instance on an endpoint without sym):
    /// one asym ring pair.
    Asym,
    /// Crypto: a sym and an asym ring pair.
    Cy,
}

impl InstanceKind {
    /// Every kind.
    pub const ALL: [InstanceKind; 4] = [
        InstanceKind::Dc,
        InstanceKind::Sym,
        InstanceKind::Asym,
        InstanceKind::Cy,
    ];

    /// The ring pairs an instance of this kind has, in order.
    pub fn ring_services(self) -> &'static [RingService] {
        match self {
            InstanceKind::Dc => &[RingService::Dc],
            InstanceKind::Sym => &[RingService::Sym],
            InstanceKind::Asym => &[RingService::Asym],
            InstanceKind::Cy => &[RingService::Sym, RingService::Asym],
        }
    }

    /// `dc`, `sym`, `asym` or `cy`.
    pub fn as_str(self) -> &'static str {
        match self {
            InstanceKind::Dc => "dc",
            InstanceKind::Sym => "sym",
            InstanceKind::Asym => "asym",
            InstanceKind::Cy => "cy",
        }
    }

    /// The kind of a configured instance with ring pairs of `has` services:
    /// a Cy instance is `Cy` with both crypto ring pairs, else `Sym` or
    /// `Asym`, whichever its endpoint enables.
    fn of(service: InstanceService, has: impl Fn(RingService) -> bool) -> Option<InstanceKind> {
        match service {
            InstanceService::Dc => has(RingService::Dc).then_some(InstanceKind::Dc),
            InstanceService::Cy => match (has(RingService::Sym), has(RingService::Asym)) {
                (true, true) => Some(InstanceKind::Cy),
                (true, false) => Some(InstanceKind::Sym),
                (false, true) => Some(InstanceKind::Asym),
                (false, false) => None,
            },
        }
    }
}

/// One ring pair of an instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingPlan {
    /// The service it carries.
    pub service: RingService,
    /// Bank on the endpoint.
    pub bank: u32,
    /// Ring pair within the bank.
    pub ring_pair: u32,
    /// Requests in flight allowed (`CyNumConcurrentSymRequests`,
    /// `CyNumConcurrentAsymRequests` or `DcNumConcurrentRequests`).
    pub in_flight: u32,
}

impl RingPlan {
    /// Ring slots for its in-flight limit: a power of two in 64..=65536.
    pub fn slots(&self) -> u32 {
        self.in_flight.next_power_of_two().clamp(64, 65536)
    }
}

/// An instance of an internal section, of any service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstancePlan {
    /// Index into the endpoint plans.
    pub endpoint: usize,
    /// Instance name (`dc0`, `cy1`, or the configured `Dc<n>Name`).
    pub name: String,
    /// Its service.
    pub service: InstanceKind,
    /// Its ring pairs, in [`InstanceKind::ring_services`] order.
    pub rings: Vec<RingPlan>,
    /// `Polled` or `Epoll` (interrupt mode is polled in user space).
    pub polling: Polling,
    /// Core affinity.
    pub core_affinity: u32,
}

impl InstancePlan {
    /// The ring pair carrying `service`, if the instance has one.
    pub fn ring(&self, service: RingService) -> Option<&RingPlan> {
        self.rings.iter().find(|r| r.service == service)
    }
}

/// An internal section a process may be given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionPlan {
    /// Internal name (`SSL_INT_0`).
    pub name: String,
    /// Its instances of every service, in the configuration's order (Cy
    /// instances, then Dc instances).
    pub instances: Vec<InstancePlan>,
}

impl SectionPlan {
    /// Its instances of one service.
    pub fn instances_of(&self, kind: InstanceKind) -> impl Iterator<Item = &InstancePlan> {
        self.instances.iter().filter(move |i| i.service == kind)
    }

    /// Every ring pair of every instance, in order.
    pub fn rings(&self) -> impl Iterator<Item = (&InstancePlan, &RingPlan)> {
        self.instances
            .iter()
            .flat_map(|i| i.rings.iter().map(move |r| (i, r)))
    }

    /// Indices of the endpoint plans its instances are on, in order of
    /// first use.
    pub fn endpoints(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for i in &self.instances {
            if !out.contains(&i.endpoint) {
                out.push(i.endpoint);
            }
        }
        out
    }
}

/// True if `dir` holds at least one `<class>_dev<N>.conf` file.
pub fn dir_has_endpoint_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().any(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|n| softqat_config::parse_file_name(n).is_some())
            })
        })
        .unwrap_or(false)
}

/// Loads the configuration `source` names. Warnings go to stderr once.
pub fn load(source: &ConfigSource) -> Result<SystemConfig, PlanError> {
    match source {
        ConfigSource::Auto | ConfigSource::Builtin => Ok(SystemConfig::builtin_default()),
        ConfigSource::ManagedFile(path) => match ManagedConfig::parse_file(path) {
            Ok((cfg, warnings)) => {
                for w in warnings {
                    eprintln!("softqat: warning: {w}");
                }
                Ok(SystemConfig::managed(&cfg))
            }
            Err(errors) => Err(PlanError(format!(
                "the managed-mode file {} is not valid:\n{errors}",
                path.display()
            ))),
        },
        ConfigSource::Dir(dir) => match SystemConfig::load_dir(dir) {
            Ok((config, warnings)) => {
                for w in warnings {
                    eprintln!("softqat: warning: {w}");
                }
                Ok(config)
            }
            Err(errors) => Err(PlanError(format!(
                "the configuration in {} is not valid:\n{errors}",
                dir.display()
            ))),
        },
    }
}

/// The endpoints of `config`, in its order.
pub fn endpoints(config: &SystemConfig) -> Vec<EndpointPlan> {
    let summaries = config.summary();
    config
        .endpoints
        .iter()
        .zip(summaries)
        .map(|(ep, sum)| EndpointPlan {
            info: EndpointInfo {
                id: ep.id,
                class_name: sum.type_name,
                bdf: sum.bdf,
                accelerators: sum.accelerators,
                engines: sum.engines,
                services: sum.services,
            },
            geometry: Geometry {
                banks: ep.banks(),
                ring_pairs_per_bank: ep.class.ring_pairs_per_bank(),
                level_mapping: ep.class.dc.level_mapping,
            },
            class: ep.class,
            ras: RasPolicy::for_endpoint(
                ep.class.generation.number(),
                ep.general.auto_reset_on_error,
                ep.general.heartbeat_timer_ms,
            ),
            dev_cfg: dev_cfg_text(ep),
        })
        .collect()
}

/// The `dev_cfg` text of an endpoint: its `[GENERAL]` keys and its
/// sections' instance counts, as the driver's configuration table dump.
fn dev_cfg_text(ep: &EndpointConfig) -> String {
    use std::fmt::Write;
    let g = &ep.general;
    let mut out = String::from("[GENERAL]\n");
    let services = g
        .services_spelling
        .clone()
        .unwrap_or_else(|| ep.services.to_string());
    let _ = writeln!(out, "ServicesEnabled = {services}");
    let _ = writeln!(out, "ConfigVersion = {}", g.config_version.unwrap_or(2));
    let _ = writeln!(out, "CyNumConcurrentSymRequests = {}", g.cy_sym_requests);
    let _ = writeln!(out, "CyNumConcurrentAsymRequests = {}", g.cy_asym_requests);
    let _ = writeln!(out, "DcNumConcurrentRequests = {}", g.dc_requests);
    let _ = writeln!(
        out,
        "DcIntermediateBufferSizeInKB = {}",
        g.dc_intermediate_buffer_kb
    );
    let _ = writeln!(
        out,
        "AutoResetOnError = {}",
        u8::from(g.auto_reset_on_error)
    );
    if let Some(ms) = g.heartbeat_timer_ms {
        let _ = writeln!(out, "HeartbeatTimer = {ms}");
    }
    for (k, v) in &g.other {
        let _ = writeln!(out, "{k} = {v}");
    }
    for sec in &ep.sections {
        let _ = writeln!(out, "[{}]", sec.name);
        let _ = writeln!(out, "NumberCyInstances = {}", sec.cy.len());
        let _ = writeln!(out, "NumberDcInstances = {}", sec.dc.len());
        let _ = writeln!(out, "NumProcesses = {}", sec.num_processes);
        let _ = writeln!(out, "LimitDevAccess = {}", u8::from(sec.limit_dev_access));
    }
    out
}

/// The internal sections for `requested`, in allocation order, with their
/// instances of every service.
pub fn sections(
    config: &SystemConfig,
    plans: &[EndpointPlan],
    requested: &str,
) -> Result<Vec<SectionPlan>, PlanError> {
    let internal = config
        .internal_sections(requested)
        .map_err(|e| PlanError(e.to_string()))?;
    let mut out = Vec::with_capacity(internal.len());
    for s in internal {
        let mut instances = Vec::with_capacity(s.instances.len());
        for inst in &s.instances {
            let Some(kind) = InstanceKind::of(inst.service, |r| inst.ring(r).is_some()) else {
                continue;
            };
            let endpoint = plans
                .iter()
                .position(|p| p.info.id == inst.endpoint)
                .ok_or_else(|| PlanError(format!("no endpoint qat_dev{}", inst.endpoint)))?;
            let rings = kind
                .ring_services()
                .iter()
                .filter_map(|svc| inst.ring(*svc))
                .map(|r| RingPlan {
                    service: r.service,
                    bank: r.bank,
                    ring_pair: r.ring_pair,
                    in_flight: r.num_concurrent_requests,
                })
                .collect();
            instances.push(InstancePlan {
                endpoint,
                name: inst.name.clone(),
                service: kind,
                rings,
                polling: match inst.polling {
                    Polling::Epoll => Polling::Epoll,
                    Polling::Polled | Polling::Interrupt => Polling::Polled,
                },
                core_affinity: inst.core_affinity,
            });
        }
        out.push(SectionPlan {
            name: s.name,
            instances,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_default_plans_cy_on_qat_dev0_and_dc_on_qat_dev1() {
        let config = load(&ConfigSource::Builtin).unwrap();
        let plans = endpoints(&config);
        assert_eq!(plans.len(), 2);
        assert_eq!(plans[0].info.services, "asym;sym");
        assert_eq!(plans[1].info.services, "dc");
        for p in &plans {
            assert_eq!(p.class.name, "4xxx");
            assert_eq!(p.geometry.level_mapping, p.class.dc.level_mapping);
        }
        let sections = sections(&config, &plans, "SSL").unwrap();
        assert_eq!(sections.len(), 16);
        for (n, s) in sections.iter().enumerate() {
            assert_eq!(s.name, format!("SSL_INT_{n}"));
            // One VF of each PF: 2 Cy instances (sym + asym banks) on
            // qat_dev0, 4 Dc instances on qat_dev1.
            let cy: Vec<&InstancePlan> = s.instances_of(InstanceKind::Cy).collect();
            let dc: Vec<&InstancePlan> = s.instances_of(InstanceKind::Dc).collect();
            assert_eq!((cy.len(), dc.len(), s.instances.len()), (2, 4, 6));
            assert_eq!(s.instances_of(InstanceKind::Sym).count(), 0);
            assert_eq!(s.instances_of(InstanceKind::Asym).count(), 0);
            let vf = n as u32;
            for (k, i) in cy.iter().enumerate() {
                assert_eq!(plans[i.endpoint].info.id, 0);
                assert_eq!(i.name, format!("cy{k}"));
                let services: Vec<RingService> = i.rings.iter().map(|r| r.service).collect();
                assert_eq!(services, [RingService::Sym, RingService::Asym]);
                let sym = i.ring(RingService::Sym).unwrap();
                let asym = i.ring(RingService::Asym).unwrap();
                // Asym banks 4v and 4v+2, sym banks 4v+1 and 4v+3.
                assert_eq!(asym.bank, 4 * vf + 2 * k as u32);
                assert_eq!(sym.bank, 4 * vf + 2 * k as u32 + 1);
                assert_eq!((sym.in_flight, asym.in_flight), (512, 64));
                assert_eq!((sym.slots(), asym.slots()), (512, 64));
                assert_eq!(i.polling, Polling::Polled);
            }
            for (k, i) in dc.iter().enumerate() {
                assert_eq!(plans[i.endpoint].info.id, 1);
                assert_eq!(i.name, format!("dc{k}"));
                assert_eq!(i.rings.len(), 1);
                assert_eq!(i.rings[0].service, RingService::Dc);
                assert_eq!(i.rings[0].bank, 4 * vf + k as u32);
                assert_eq!(i.rings[0].slots(), 512);
            }
            assert_eq!(s.endpoints(), vec![0, 1]);
            assert_eq!(s.rings().count(), 2 * 2 + 4);
        }
    }

    #[test]
    fn one_crypto_service_gives_sym_or_asym_instances() {
        for (services, kind, ring) in [
            ("sym", InstanceKind::Sym, RingService::Sym),
            ("asym", InstanceKind::Asym, RingService::Asym),
        ] {
            let text = format!("ServicesEnabled={services}\n");
            let (cfg, _) = ManagedConfig::parse_str("qat", &text).unwrap();
            let config = SystemConfig::managed(&cfg);
            let plans = endpoints(&config);
            let s = &sections(&config, &plans, "SSL").unwrap()[0];
            // Both PFs run the one service: 4 instances per VF.
            assert_eq!(s.instances.len(), 8, "{services}");
            for i in &s.instances {
                assert_eq!(i.service, kind);
                assert_eq!(i.rings.len(), 1);
                assert_eq!(i.rings[0].service, ring);
            }
        }
    }

    #[test]
    fn slots_are_powers_of_two_in_range() {
        let ring = |in_flight| RingPlan {
            service: RingService::Dc,
            bank: 0,
            ring_pair: 0,
            in_flight,
        };
        assert_eq!(ring(1).slots(), 64);
        assert_eq!(ring(64).slots(), 64);
        assert_eq!(ring(65).slots(), 128);
        assert_eq!(ring(512).slots(), 512);
        assert_eq!(ring(65536).slots(), 65536);
        assert_eq!(ring(1 << 20).slots(), 65536);
    }

    #[test]
    fn kinds_name_their_ring_pairs() {
        for k in InstanceKind::ALL {
            assert_eq!(
                InstanceKind::of(
                    if k == InstanceKind::Dc {
                        InstanceService::Dc
                    } else {
                        InstanceService::Cy
                    },
                    |r| k.ring_services().contains(&r)
                ),
                Some(k)
            );
        }
        assert_eq!(InstanceKind::of(InstanceService::Cy, |_| false), None);
        assert_eq!(
            InstanceKind::of(InstanceService::Dc, |r| r == RingService::Sym),
            None
        );
    }
}
