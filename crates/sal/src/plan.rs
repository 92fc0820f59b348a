//! From the configuration to what is built: endpoints with their geometry,
//! and the compression instances of an internal section with the ring pairs
//! they use. The only module of the SAL that reads `softqat-config` types;
//! `softqatd` uses it too, so both modes place instances the same way.

use std::path::Path;

use softqat_config::{
    Generation as ClassGeneration, InstanceService, ManagedConfig, Polling, SystemConfig,
};
use softqat_device::endpoint::{EndpointInfo, Geometry};

use crate::dc::Generation;
use crate::error::{Error, Result};
use crate::instance::{InstanceInfo, PollingMode};
use crate::runtime::ConfigSource;

/// An endpoint to build.
#[derive(Clone, Debug)]
pub struct EndpointPlan {
    /// Identity facts.
    pub info: EndpointInfo,
    /// Ring geometry.
    pub geometry: Geometry,
    /// QAT generation (session rules, level mapping).
    pub generation: Generation,
}

/// A compression instance of an internal section.
#[derive(Clone, Debug)]
pub struct DcInstancePlan {
    /// Index into the endpoint plans.
    pub endpoint: usize,
    /// Instance name (`dc0`, or the configured `Dc<n>Name`).
    pub name: String,
    /// Bank of its ring pair.
    pub bank: u32,
    /// Ring pair within the bank.
    pub ring_pair: u32,
    /// Polled or epoll.
    pub polling: PollingMode,
    /// Core affinity.
    pub core_affinity: u32,
    /// Requests in flight allowed.
    pub in_flight: u32,
}

impl DcInstancePlan {
    /// Ring slots for its in-flight limit: a power of two in 64..=65536.
    pub fn slots(&self) -> u32 {
        self.in_flight.next_power_of_two().clamp(64, 65536)
    }
}

/// An internal section a process may be given.
#[derive(Clone, Debug)]
pub struct SectionPlan {
    /// Internal name (`SSL_INT_0`).
    pub name: String,
    /// Its compression instances.
    pub dc: Vec<DcInstancePlan>,
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
pub fn load(source: &ConfigSource) -> Result<SystemConfig> {
    match source {
        ConfigSource::Auto | ConfigSource::Builtin => Ok(SystemConfig::builtin_default()),
        ConfigSource::ManagedFile(path) => match ManagedConfig::parse_file(path) {
            Ok((cfg, warnings)) => {
                for w in warnings {
                    eprintln!("softqat: warning: {w}");
                }
                Ok(SystemConfig::managed(&cfg))
            }
            Err(errors) => Err(Error::fail(format!(
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
            Err(errors) => Err(Error::fail(format!(
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
        .map(|(ep, sum)| {
            let generation = match ep.class.generation {
                ClassGeneration::Gen2 => Generation::Gen2,
                ClassGeneration::Gen4 => Generation::Gen4,
            };
            EndpointPlan {
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
                    level_mapping: generation.level_mapping(),
                },
                generation,
            }
        })
        .collect()
}

/// The internal sections for `requested`, in allocation order, with their
/// compression instances.
pub fn sections(
    config: &SystemConfig,
    plans: &[EndpointPlan],
    requested: &str,
) -> Result<Vec<SectionPlan>> {
    let internal = config
        .internal_sections(requested)
        .map_err(|e| Error::fail(e.to_string()))?;
    let mut out = Vec::with_capacity(internal.len());
    for s in internal {
        let mut dc = Vec::new();
        for inst in s
            .instances
            .iter()
            .filter(|i| i.service == InstanceService::Dc)
        {
            let Some(ring) = inst.dc() else { continue };
            let endpoint = plans
                .iter()
                .position(|p| p.info.id == inst.endpoint)
                .ok_or_else(|| Error::fail(format!("no endpoint qat_dev{}", inst.endpoint)))?;
            dc.push(DcInstancePlan {
                endpoint,
                name: inst.name.clone(),
                bank: ring.bank,
                ring_pair: ring.ring_pair,
                polling: match inst.polling {
                    Polling::Epoll => PollingMode::Epoll,
                    Polling::Polled | Polling::Interrupt => PollingMode::Polled,
                },
                core_affinity: inst.core_affinity,
                in_flight: ring.num_concurrent_requests,
            });
        }
        out.push(SectionPlan { name: s.name, dc });
    }
    Ok(out)
}

/// `bus << 8 | device << 3 | function` of a `dddd:bb:dd.f` address.
fn bus_address(bdf: &str) -> u16 {
    let parts: Vec<&str> = bdf.split([':', '.']).collect();
    let field = |i: usize| {
        parts
            .get(i)
            .and_then(|p| u16::from_str_radix(p, 16).ok())
            .unwrap_or(0)
    };
    match parts.len() {
        4 => (field(1) << 8) | ((field(2) & 0x1f) << 3) | (field(3) & 7),
        3 => (field(0) << 8) | ((field(1) & 0x1f) << 3) | (field(2) & 7),
        _ => 0,
    }
}

/// `CpaInstanceInfo2` of a compression instance.
pub fn instance_info(
    ep: &EndpointPlan,
    section: &SectionPlan,
    p: &DcInstancePlan,
    capacity: u32,
) -> InstanceInfo {
    InstanceInfo {
        service: "DATA_COMPRESSION",
        vendor_name: "Intel(R)".into(),
        part_name: format!(
            "{} with Intel(R) QuickAssist Technology",
            ep.info.class_name
        ),
        sw_version: format!("Version {}", env!("CARGO_PKG_VERSION")),
        inst_name: p.name.clone(),
        inst_id: format!("{}_{}", section.name, p.name),
        package_id: ep.info.id,
        accelerator_id: 0,
        execution_engine_id: 0,
        bus_address: bus_address(&ep.info.bdf),
        bank: p.bank,
        ring_pair: p.ring_pair,
        core_affinity: vec![p.core_affinity],
        node_affinity: 0,
        requires_physically_contiguous_memory: true,
        is_polled: true,
        polling: p.polling,
        is_offloaded: true,
        max_in_flight: capacity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bus_addresses() {
        assert_eq!(bus_address("0000:6b:00.0"), 0x6b00);
        assert_eq!(bus_address("0000:6b:01.2"), 0x6b00 | (1 << 3) | 2);
        assert_eq!(bus_address("06:00.0"), 0x0600);
        assert_eq!(bus_address("junk"), 0);
    }
}
