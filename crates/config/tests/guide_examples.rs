//! The QAT Programmer's Guide's own configuration examples.

mod common;

use softqat_config::{parse_endpoint_str, InstanceService, Polling, SectionKind, SystemConfig};

/// §3.5: two Cy instances for the process "SSL" (the second name is printed
/// with typographic quotes, and repeats "SSL0", in the Guide).
const GUIDE_3_5: &str = r#"[SSL]
NumberCyInstances = 2
NumberDcInstances = 0
NumProcesses = 1
LimitDevAccess = 0

# Crypto - User instance #0
Cy0Name = "SSL0"
Cy0IsPolled = 1
# List of core affinities
Cy0CoreAffinity = 1

# Crypto - User instance #1
Cy1Name = “SSL0”
Cy1IsPolled = 1
# List of core affinities
Cy1CoreAffinity = 2
"#;

#[test]
fn section_3_5_ssl_example() {
    let (ep, warnings) = parse_endpoint_str("c6xx_dev0.conf", GUIDE_3_5).unwrap();
    let ssl = ep.section("SSL").unwrap();
    assert_eq!(ssl.kind, SectionKind::User);
    assert_eq!(ssl.num_processes, 1);
    assert!(!ssl.limit_dev_access);
    assert_eq!(ssl.cy.len(), 2);
    assert!(ssl.dc.is_empty());
    assert_eq!(ssl.cy[0].name, "SSL0");
    assert_eq!(ssl.cy[1].name, "SSL0", "typographic quotes are stripped");
    assert_eq!(ssl.cy[0].core_affinity, 1);
    assert_eq!(ssl.cy[1].core_affinity, 2);
    assert!(ssl.cy.iter().all(|i| i.polling == Polling::Polled));
    // No [GENERAL]: the gen2 default cy;dc, said in a warning; the repeated
    // name is a warning too.
    assert_eq!(ep.services.to_string(), "asym;sym;dc");
    assert!(warnings.iter().any(|w| w
        .message
        .starts_with("no [GENERAL] section: using the defaults (ServicesEnabled = cy;dc)")));
    assert!(warnings
        .iter()
        .any(|w| w.line == Some(14) && w.message.contains("repeats the name of Cy0")));
    let cfg = SystemConfig::from_files(&[("c6xx_dev0.conf".into(), GUIDE_3_5.into())])
        .unwrap()
        .0;
    let sections = cfg.internal_sections("SSL").unwrap();
    assert_eq!(sections.len(), 1);
    assert_eq!(sections[0].name, "SSL_INT_0");
    assert_eq!(sections[0].cy().count(), 2);
}

fn guide_4_5() -> SystemConfig {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/guide_4_5");
    let (cfg, warnings) = SystemConfig::load_dir(dir).unwrap();
    // Only the missing [GENERAL] sections are worth a warning.
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    cfg
}

#[test]
fn section_4_5_two_endpoints_give_the_nine_internal_sections() {
    let cfg = guide_4_5();
    assert_eq!(cfg.endpoints.len(), 2);
    let names: Vec<String> = cfg
        .all_internal_sections()
        .into_iter()
        .map(|s| s.name)
        .collect();
    // The Guide prints "IPSec_INT_0" in its prose but "[IPsec]" in the files;
    // section names are case-sensitive, so the file's spelling is used.
    assert_eq!(
        names,
        [
            "SSL_DEV0_INT_0",
            "SSL_DEV0_INT_1",
            "SSL_DEV0_INT_2",
            "SSL_DEV0_INT_3",
            "SSL_DEV1_INT_0",
            "SSL_DEV1_INT_1",
            "SSL_DEV1_INT_2",
            "SSL_DEV1_INT_3",
            "IPsec_INT_0",
        ]
    );
}

#[test]
fn section_4_5_ssl_sections_hold_one_instance_of_their_endpoint() {
    let cfg = guide_4_5();
    let ssl = cfg.internal_sections("SSL").unwrap();
    assert_eq!(ssl.len(), 8);
    let mut rings = std::collections::HashSet::new();
    for (k, s) in ssl.iter().enumerate() {
        let dev = (k / 4) as u32;
        assert_eq!(s.endpoint, Some(dev));
        assert_eq!(s.base_name, "SSL");
        assert_eq!(s.process, (k % 4) as u32);
        assert_eq!(s.instances.len(), 1);
        let i = &s.instances[0];
        assert_eq!(
            (i.service, i.index, i.name.as_str(), i.endpoint),
            (InstanceService::Cy, 0, "SSL0", dev)
        );
        assert_eq!(i.polling, Polling::Polled);
        // cy;dc (the default) on c6xx: one sym and one asym ring pair each.
        let sym = i.sym().unwrap();
        let asym = i.asym().unwrap();
        assert_eq!(sym.rx_ring, sym.tx_ring + 8);
        assert_eq!(sym.num_concurrent_requests, 512);
        assert_eq!(asym.num_concurrent_requests, 64);
        assert!(rings.insert((sym.endpoint, sym.bank, sym.ring_pair)));
        assert!(rings.insert((asym.endpoint, asym.bank, asym.ring_pair)));
    }
}

#[test]
fn section_4_5_ipsec_process_gets_eight_instances_across_both_endpoints() {
    let cfg = guide_4_5();
    let ipsec = cfg.internal_sections("IPsec").unwrap();
    assert_eq!(ipsec.len(), 1);
    let s = &ipsec[0];
    assert_eq!(s.name, "IPsec_INT_0");
    assert_eq!(s.endpoint, None);
    assert_eq!(s.endpoints(), [0, 1]);
    let got: Vec<(u32, String, u32)> = s
        .instances
        .iter()
        .map(|i| (i.index, i.name.clone(), i.endpoint))
        .collect();
    let want: Vec<(u32, String, u32)> = (0..8)
        .map(|k| (k, format!("IPSec{}", k % 4), k / 4))
        .collect();
    assert_eq!(got, want);
    assert!(s.instances.iter().all(|i| i.service == InstanceService::Cy));
    // Asking with the Guide's prose spelling is answered with a hint.
    let err = cfg.internal_sections("IPSec").unwrap_err().to_string();
    assert_eq!(
        err,
        "no configuration file declares a section [IPSec]: section names are case-sensitive: did you mean \"IPsec\"?"
    );
    let err = cfg.internal_sections("TLS").unwrap_err().to_string();
    assert_eq!(
        err,
        "no configuration file declares a section [TLS]: use one of \"SSL\", \"IPsec\""
    );
}
