//! The managed-mode file and the built-in (qatlib-style) default.

use std::collections::HashSet;

use softqat_config::{
    InstanceService, ManagedConfig, Polling, RingService, ServiceSet, Source, SystemConfig,
};

fn managed_errors(text: &str) -> Vec<String> {
    match ManagedConfig::parse_str("/etc/sysconfig/qat", text) {
        Ok(c) => panic!("accepted: {c:?}"),
        Err(e) => e.errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn managed_file_parses_policy_and_services() {
    let text = "# QAT settings\nPOLICY=2\n\nServicesEnabled=\"asym;dc\" # crypto and compression\n";
    let (cfg, warnings) = ManagedConfig::parse_str("/etc/sysconfig/qat", text).unwrap();
    assert!(warnings.is_empty());
    assert_eq!(cfg.policy, 2);
    assert_eq!(cfg.services, Some(ServiceSet::ASYM.union(ServiceSet::DC)));
    assert_eq!(cfg.services_spelling.as_deref(), Some("asym;dc"));
    let (cfg, _) = ManagedConfig::parse_str("f", "ServicesEnabled=\nPOLICY = 0\n").unwrap();
    assert_eq!((cfg.policy, cfg.services), (0, None));
    for ok in [
        "sym", "asym", "dc", "dcc", "sym;asym", "asym;sym", "sym;dc", "dc;sym", "asym;dc",
    ] {
        assert!(
            ManagedConfig::parse_str("f", &format!("ServicesEnabled={ok}\n")).is_ok(),
            "{ok}"
        );
    }
}

#[test]
fn managed_file_errors_carry_file_line_and_fix() {
    let got = managed_errors(
        "POLICY=-1\nServicesEnabled=sym;asym;dc\nPOLLICY=1\nServicesEnabled=dc\njunk\n",
    );
    assert_eq!(
        got,
        [
            "/etc/sysconfig/qat:1: POLICY=-1 is not allowed: use 0 (each process gets one VF from every PF) or a number N of 1 or more (each process gets N VFs)",
            "/etc/sysconfig/qat:2: ServicesEnabled=sym;asym;dc is not allowed: gen4 devices such as 4xxx run at most two services at once (cy counts as sym and asym): use one of sym;asym, asym;dc, sym;dc",
            "/etc/sysconfig/qat:4: ServicesEnabled appears twice (first at line 2): keep one",
            "/etc/sysconfig/qat:5: cannot read \"junk\": expected KEY=VALUE or a # comment",
        ]
    );
    let e = ManagedConfig::parse_str("q", "POLLICY=1\nPOLICY=x\n").unwrap_err();
    assert_eq!(
        e.warnings[0].to_string(),
        "q:1: unknown key POLLICY is ignored: did you mean POLICY?"
    );
    assert_eq!(e.errors.len(), 1);
    let one = |v: &str| managed_errors(&format!("ServicesEnabled={v}\n")).remove(0);
    assert_eq!(one("decomp"), "/etc/sysconfig/qat:1: ServicesEnabled=decomp is not allowed: decomp is not available on gen4 devices such as 4xxx: use dc");
    assert_eq!(one("dcc;sym"), "/etc/sysconfig/qat:1: ServicesEnabled=dcc;sym is not allowed: dcc cannot be combined with other services on gen4: use dcc alone, or drop it");
    assert_eq!(one("sym;sym"), "/etc/sysconfig/qat:1: ServicesEnabled=sym;sym is not allowed: \"sym\" repeats a service already listed: name each service once");
    assert_eq!(one("asym;sym;dc;dcc"), "/etc/sysconfig/qat:1: ServicesEnabled=asym;sym;dc;dcc is not allowed: it names 4 services and at most 3 may be combined: remove 1");
    assert_eq!(one("cy"), "/etc/sysconfig/qat:1: ServicesEnabled=cy is not allowed: \"cy\" is the out-of-tree spelling: write sym;asym");
    assert_eq!(one("crypto"), "/etc/sysconfig/qat:1: ServicesEnabled=crypto is not allowed: unknown service \"crypto\": use sym, asym, dc, dcc, decomp separated by ';' (e.g. sym;asym)");
}

#[test]
fn builtin_default_has_16_sections_of_2_cy_and_4_dc() {
    let cfg = SystemConfig::builtin_default();
    assert_eq!(cfg.source, Source::Builtin);
    let lines: Vec<String> = cfg.summary().iter().map(|s| s.status_line("up")).collect();
    assert_eq!(
        lines,
        [
            "qat_dev0 - type: 4xxx, inst_id: 0, bsf: 0000:6b:00.0, #accel: 1 #engines: 9 state: up",
            "qat_dev1 - type: 4xxx, inst_id: 1, bsf: 0000:70:00.0, #accel: 1 #engines: 9 state: up",
        ]
    );
    assert_eq!(cfg.summary()[0].services, "asym;sym");
    assert_eq!(cfg.summary()[1].services, "dc");
    assert_eq!(cfg.endpoints[0].num_vfs, 16);
    let sections = cfg.internal_sections("SHIM").unwrap();
    assert_eq!(sections, cfg.internal_sections("SSL").unwrap());
    assert_eq!(sections.len(), 16);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    let mut rings = HashSet::new();
    for (i, s) in sections.iter().enumerate() {
        let i = i as u32;
        assert_eq!(s.name, format!("SSL_INT_{i}"));
        assert_eq!(s.base_name, "SSL");
        let cy: Vec<_> = s.cy().collect();
        let dc: Vec<_> = s.dc().collect();
        assert_eq!((cy.len(), dc.len()), (2, 4));
        for (k, c) in cy.iter().enumerate() {
            let k = k as u32;
            assert_eq!(
                (c.name.clone(), c.index, c.endpoint),
                (format!("cy{k}"), k, 0)
            );
            let asym = c.asym().unwrap();
            let sym = c.sym().unwrap();
            assert_eq!(asym.bank, 4 * i + 2 * k);
            assert_eq!(sym.bank, 4 * i + 2 * k + 1);
            assert_eq!(
                (asym.num_concurrent_requests, sym.num_concurrent_requests),
                (64, 512)
            );
            assert_eq!((sym.ring_pair, sym.tx_ring, sym.rx_ring), (0, 0, 1));
        }
        for (k, d) in dc.iter().enumerate() {
            let k = k as u32;
            assert_eq!(
                (d.name.clone(), d.index, d.endpoint),
                (format!("dc{k}"), k, 1)
            );
            let r = d.dc().unwrap();
            assert_eq!((r.bank, r.num_concurrent_requests), (4 * i + k, 512));
        }
        for inst in &s.instances {
            assert_eq!(inst.polling, Polling::Polled);
            assert!(inst.core_affinity < cores);
            for r in &inst.rings {
                assert!(rings.insert((r.endpoint, r.bank)), "bank used twice: {r:?}");
            }
        }
    }
    assert_eq!(rings.len(), 128);
    assert_eq!(cfg.all_internal_sections().len(), 16);
    assert_eq!(cfg.section_names(), ["SSL"]);
}

#[test]
fn managed_policy_and_services_shape_the_sections() {
    let (m, _) = ManagedConfig::parse_str("qat", "POLICY=1\n").unwrap();
    let cfg = SystemConfig::managed(&m);
    let s = cfg.all_internal_sections();
    assert_eq!(s.len(), 32);
    // VFs alternate between the PFs: VF0 of qat_dev0, VF0 of qat_dev1, …
    assert_eq!(
        (s[0].cy().count(), s[0].dc().count(), s[0].endpoints()),
        (2, 0, vec![0])
    );
    assert_eq!(
        (s[1].cy().count(), s[1].dc().count(), s[1].endpoints()),
        (0, 4, vec![1])
    );
    assert_eq!(s[3].dc().next().unwrap().dc().unwrap().bank, 4);

    let (m, _) = ManagedConfig::parse_str("qat", "POLICY=3\nServicesEnabled=asym;dc\n").unwrap();
    let cfg = SystemConfig::managed(&m);
    let s = cfg.all_internal_sections();
    assert_eq!(s.len(), 11, "ceil(32 / 3)");
    assert_eq!(s[10].endpoints(), [0, 1]);
    // asym;dc: each VF has dc banks 4v, 4v+2 and asym banks 4v+1, 4v+3.
    let first_vf: Vec<(InstanceService, Vec<(RingService, u32)>)> = s[0]
        .instances
        .iter()
        .filter(|i| i.endpoint == 0 && i.rings[0].bank < 4)
        .map(|i| {
            (
                i.service,
                i.rings.iter().map(|r| (r.service, r.bank)).collect(),
            )
        })
        .collect();
    assert_eq!(
        first_vf,
        [
            (InstanceService::Cy, vec![(RingService::Asym, 1)]),
            (InstanceService::Cy, vec![(RingService::Asym, 3)]),
            (InstanceService::Dc, vec![(RingService::Dc, 0)]),
            (InstanceService::Dc, vec![(RingService::Dc, 2)]),
        ]
    );
    // POLICY beyond the VF count: one section with every VF.
    let m = ManagedConfig {
        policy: 64,
        ..ManagedConfig::default()
    };
    assert_eq!(SystemConfig::managed(&m).all_internal_sections().len(), 1);
}
