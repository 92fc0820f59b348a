//! Complete endpoint files in tests/data.

use std::collections::HashSet;

use softqat_config::{
    parse_endpoint_file, DeviceClass, Generation, InstanceService, Polling, RingService,
    SectionKind, ServicesProfile, SystemConfig,
};

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn c6xx_file_parses_completely() {
    let (ep, warnings) = parse_endpoint_file(data("c6xx_dev0.conf")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(ep.id, 0);
    assert_eq!(ep.class.name, "c6xx");
    assert!(!ep.is_vf);
    assert_eq!(ep.services.to_string(), "asym;sym;dc");
    let g = &ep.general;
    assert_eq!(g.services_spelling.as_deref(), Some("cy;dc"));
    assert_eq!(g.services_profile, ServicesProfile::Default);
    assert_eq!(g.config_version, Some(2));
    assert_eq!(
        (g.cy_sym_requests, g.cy_asym_requests, g.dc_requests),
        (512, 64, 512)
    );
    assert_eq!(g.dc_intermediate_buffer_kb, 64);
    assert!(g.auto_reset_on_error);
    assert!(g.statistics.general && g.statistics.dh && !g.statistics.sym);
    assert!(g.interrupt_coalescing.enabled);
    assert_eq!(g.interrupt_coalescing.timer_ns, 10_000);
    assert_eq!(
        g.other,
        [("PkeServiceDisabled".to_string(), "0".to_string())]
    );

    let kinds: Vec<(&str, SectionKind)> = ep
        .sections
        .iter()
        .map(|s| (s.name.as_str(), s.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("KERNEL", SectionKind::Kernel),
            ("KERNEL_QAT", SectionKind::KernelQat),
            ("SSL", SectionKind::User),
            ("EPOLL", SectionKind::User),
            ("DYN", SectionKind::Dyn),
        ]
    );
    let kernel = ep.section("KERNEL").unwrap();
    assert_eq!(kernel.cy[0].name, "IPSec0");
    assert_eq!(kernel.cy[0].polling, Polling::Interrupt);
    let kq = ep.section("KERNEL_QAT").unwrap();
    assert_eq!((kq.cy.len(), kq.dc.len()), (1, 1));
    assert_eq!(kq.dc[0].polling, Polling::Interrupt);
    let ssl = ep.section("SSL").unwrap();
    let names: Vec<&str> = ssl.cy.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["SSL0", "SSL1", "SSL2", "SSL3", "SSL4", "SSL5"]);
    let cores: Vec<u32> = ssl.cy.iter().map(|i| i.core_affinity).collect();
    assert_eq!(cores, [1, 0, 1, 0, 1, 0]);
    assert_eq!(ssl.dc.len(), 2);
    let epoll = ep.section("EPOLL").unwrap();
    assert!(epoll.limit_dev_access);
    assert_eq!(epoll.num_processes, 2);
    assert_eq!(epoll.cy[0].polling, Polling::Epoll);
    let dynamic = ep.section("DYN").unwrap();
    assert_eq!(
        (dynamic.cy.len(), dynamic.dc.len(), dynamic.num_processes),
        (4, 2, 4)
    );
    assert_eq!(dynamic.cy[3].name, "DynCy3");

    // Placement: 1 + 1 + 6 + 2 + 4 Cy and 1 + 2 + 2 + 2 Dc instances.
    let cy = ep
        .instances
        .iter()
        .filter(|p| p.instance.service == InstanceService::Cy)
        .count();
    let dc = ep
        .instances
        .iter()
        .filter(|p| p.instance.service == InstanceService::Dc)
        .count();
    assert_eq!((cy, dc), (14, 7));
    let mut used = HashSet::new();
    for p in &ep.instances {
        for r in &p.instance.rings {
            assert!(r.bank < 16 && r.ring_pair < 8, "{r:?}");
            assert_eq!((r.tx_ring, r.rx_ring), (r.ring_pair, r.ring_pair + 8));
            assert!(
                used.insert((r.bank, r.ring_pair)),
                "ring pair used twice: {r:?}"
            );
        }
    }
    // The kernel instance comes first: bank 0, slot 0 (asym group 0-1,
    // sym group 2-3, dc group 4-5 with 2 slots per service).
    let first = &ep.instances[0];
    assert_eq!(first.section, "KERNEL");
    assert_eq!(
        (
            first.instance.asym().unwrap().bank,
            first.instance.asym().unwrap().ring_pair
        ),
        (0, 0)
    );
    assert_eq!(
        (
            first.instance.sym().unwrap().bank,
            first.instance.sym().unwrap().ring_pair
        ),
        (0, 2)
    );
    // Epoll instances each own a bank, taken from the top.
    let epoll_banks: Vec<u32> = ep
        .instances
        .iter()
        .filter(|p| p.instance.polling == Polling::Epoll)
        .map(|p| p.instance.rings[0].bank)
        .collect();
    assert_eq!(epoll_banks, [15, 14, 13, 12]);
    for p in ep
        .instances
        .iter()
        .filter(|p| p.instance.polling != Polling::Epoll)
    {
        assert!(p.instance.rings.iter().all(|r| r.bank < 12));
    }
}

#[test]
fn c4xxx_file_parses_and_fills_the_endpoint_exactly() {
    let (ep, warnings) = parse_endpoint_file(data("4xxx_dev0.conf")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(ep.class.generation, Generation::Gen4);
    assert_eq!(ep.services.to_string(), "asym;sym");
    assert_eq!(ep.general.heartbeat_timer_ms, Some(500));
    assert_eq!(ep.general.cy_sym_requests, 1024);
    // 15 × 2 + 2 × 1 = 32 Cy instances: every bank used once.
    assert_eq!(ep.instances.len(), 32);
    let mut banks = HashSet::new();
    for p in &ep.instances {
        let sym = p.instance.sym().unwrap();
        let asym = p.instance.asym().unwrap();
        assert_eq!(sym.bank % 2, 1, "sym banks are odd");
        assert_eq!(asym.bank % 2, 0, "asym banks are even");
        assert_eq!((sym.tx_ring, sym.rx_ring, sym.ring_pair), (0, 1, 0));
        assert_eq!(sym.num_concurrent_requests, 1024);
        assert_eq!(asym.num_concurrent_requests, 128);
        assert!(banks.insert(sym.bank) && banks.insert(asym.bank));
    }
    assert_eq!(banks.len(), 64);
    // Process 0 of [SSL] fills banks 0..3 in order.
    let p0: Vec<(u32, u32)> = ep
        .instances
        .iter()
        .filter(|p| p.section == "SSL" && p.process == 0)
        .map(|p| {
            (
                p.instance.asym().unwrap().bank,
                p.instance.sym().unwrap().bank,
            )
        })
        .collect();
    assert_eq!(p0, [(0, 1), (2, 3)]);
}

#[test]
fn summary_gives_the_qat_service_status_facts() {
    let files: Vec<(String, String)> = ["c6xx_dev0.conf", "4xxx_dev0.conf"]
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let text = std::fs::read_to_string(data(f)).unwrap();
            (f.replace("dev0", &format!("dev{i}")), text)
        })
        .collect();
    let (cfg, _) = SystemConfig::from_files(&files).unwrap();
    let lines: Vec<String> = cfg.summary().iter().map(|s| s.status_line("up")).collect();
    assert_eq!(
        lines,
        [
            "qat_dev0 - type: c6xx, inst_id: 0, bsf: 0000:06:00.0, #accel: 5 #engines: 10 state: up",
            "qat_dev1 - type: 4xxx, inst_id: 0, bsf: 0000:6b:00.0, #accel: 1 #engines: 9 state: up",
        ]
    );
    assert_eq!(cfg.summary()[0].services, "asym;sym;dc");
    assert_eq!(cfg.section_names(), ["SSL", "EPOLL", "SHIM"]);
    // [SSL] is LimitDevAccess=0 on both: one process gets c6xx's 6 Cy + 2 Dc
    // and the 4xxx's 2 Cy (process 0 only exists on both up to 1 process).
    let ssl = cfg.internal_sections("SSL").unwrap();
    assert_eq!(ssl.len(), 15);
    assert_eq!(ssl[0].cy().count(), 8);
    assert_eq!(ssl[0].dc().count(), 2);
    let idx: Vec<u32> = ssl[0].cy().map(|i| i.index).collect();
    assert_eq!(idx, (0..8).collect::<Vec<_>>());
    assert_eq!(ssl[0].cy().last().unwrap().endpoint, 1);
    assert_eq!(ssl[1].cy().count(), 2);
    assert_eq!(ssl[1].endpoints(), [1]);
    let epoll = cfg.internal_sections("EPOLL").unwrap();
    let names: Vec<&str> = epoll.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["EPOLL_DEV0_INT_0", "EPOLL_DEV0_INT_1"]);
    assert_eq!(epoll[0].instances[0].rings[0].service, RingService::Sym);
}

#[test]
fn device_classes_are_looked_up_by_name_and_pci_id() {
    let c6xx = DeviceClass::by_name("c6xx").unwrap();
    assert_eq!((c6xx.pf_device_id, c6xx.vf_device_id), (0x37c8, 0x37c9));
    assert_eq!(
        (
            c6xx.accelerators,
            c6xx.engines,
            c6xx.banks,
            c6xx.ring_pairs_per_bank()
        ),
        (5, 10, 16, 8)
    );
    let (c, vf) = DeviceClass::by_pci_id(0x4943).unwrap();
    assert_eq!((c.family, c.name, vf), ("401xx", "4xxx", true));
    assert_eq!(DeviceClass::by_name("402xx").unwrap().name, "4xxx");
    assert_eq!(DeviceClass::by_name("4xxx").unwrap().pf_device_id, 0x4940);
    let (c, vf) = DeviceClass::by_type_name("c6xxvf").unwrap();
    assert_eq!((c.name, vf, c.endpoint_banks(vf)), ("c6xx", true, 1));
    let c420 = DeviceClass::by_name("420xx").unwrap();
    assert_eq!(
        (
            c420.engines,
            c420.banks,
            c420.banks_per_vf,
            c420.ring_pairs_per_bank()
        ),
        (17, 64, 4, 1)
    );
    assert_eq!(DeviceClass::by_name("dh895xcc").unwrap().banks, 32);
    assert_eq!(DeviceClass::by_name("c3xxx").unwrap().engines, 6);
    assert!(DeviceClass::by_name("c62x").is_none());
    assert!(DeviceClass::by_pci_id(0x1234).is_none());
}

#[test]
fn c6xxx_gen6_file_parses_with_the_driver_geometry() {
    let (ep, warnings) = parse_endpoint_file(data("6xxx_dev0.conf")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(ep.class.name, "6xxx");
    assert_eq!(ep.class.generation, Generation::Gen6);
    assert_eq!(
        (ep.class.pf_device_id, ep.class.vf_device_id),
        (0x4948, 0x4949)
    );
    assert_eq!(ep.banks(), 64);
    assert_eq!(ep.services.to_string(), "asym;sym;dc");
    assert!(ep.class.dc.dictionary && ep.class.dc.zstd);
    assert_eq!(ep.instances.len(), 32);
    let mut banks = HashSet::new();
    for p in &ep.instances {
        for r in &p.instance.rings {
            assert_eq!((r.tx_ring, r.rx_ring, r.ring_pair), (0, 1, 0));
            assert!(banks.insert(r.bank), "bank {} twice", r.bank);
        }
    }
    // Process 0 of [SSL]: asym bank 0 and sym bank 1, dc bank 2.
    let p0: Vec<Vec<(RingService, u32)>> = ep
        .instances
        .iter()
        .filter(|p| p.process == 0)
        .map(|p| {
            p.instance
                .rings
                .iter()
                .map(|r| (r.service, r.bank))
                .collect()
        })
        .collect();
    assert_eq!(
        p0,
        [
            vec![(RingService::Sym, 1), (RingService::Asym, 0)],
            vec![(RingService::Dc, 2)]
        ]
    );
    // The VF class name and id are known too.
    let (class, vf) = DeviceClass::by_type_name("6xxxvf").unwrap();
    assert!(vf && class.name == "6xxx");
    // The status facts of a directory holding it.
    let dir = format!("{}/tests/data", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(format!("{dir}/6xxx_dev0.conf")).unwrap();
    let (sys, _) =
        SystemConfig::from_file_bytes(&[("6xxx_dev0.conf".to_string(), text.into_bytes())])
            .unwrap();
    let s = &sys.summary()[0];
    assert!(
        s.status_line("up").contains("type: 6xxx"),
        "{}",
        s.status_line("up")
    );
}
