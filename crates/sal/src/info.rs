//! `CpaInstanceInfo2` of an instance, from the plans of its endpoint and
//! section (both modes build instances from the same plans).

use softqat_config::Polling;
use softqat_device::plan::{EndpointPlan, InstanceKind, InstancePlan, RingPlan, SectionPlan};

use crate::instance::{InstanceInfo, PollingMode};

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

/// `CpaInstanceInfo2` of a compression instance `p` of `section`, whose dc
/// ring pair is `ring` with room for `capacity` requests.
pub(crate) fn instance_info(
    ep: &EndpointPlan,
    section: &SectionPlan,
    p: &InstancePlan,
    ring: &RingPlan,
    capacity: u32,
) -> InstanceInfo {
    InstanceInfo {
        // CPA_ACC_SVC_TYPE_*: a crypto instance with both ring pairs is
        // CRYPTO, one with only one of them CRYPTO_SYM or CRYPTO_ASYM.
        service: match p.service {
            InstanceKind::Dc => "DATA_COMPRESSION",
            InstanceKind::Cy => "CRYPTO",
            InstanceKind::Sym => "CRYPTO_SYM",
            InstanceKind::Asym => "CRYPTO_ASYM",
        },
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
        bank: ring.bank,
        ring_pair: ring.ring_pair,
        core_affinity: vec![p.core_affinity],
        node_affinity: 0,
        requires_physically_contiguous_memory: true,
        is_polled: true,
        polling: match p.polling {
            Polling::Epoll => PollingMode::Epoll,
            Polling::Polled | Polling::Interrupt => PollingMode::Polled,
        },
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
