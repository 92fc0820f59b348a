//! Ring budget boundaries (Guide §4.3.3.1–4.3.3.3), epoll banks and
//! PF→VF service subsets (Table 15).

mod common;

use std::collections::HashSet;

use common::{conf, errors, parse, user_section};
use softqat_config::{check_vf_services, InstanceService, Polling, RingService, SystemConfig};

/// Parses a file with one [SSL] section of `procs` × (`cy`, `dc`) polled
/// instances; returns the errors.
fn fit(file: &str, services: &str, procs: u32, cy: u32, dc: u32) -> Result<usize, Vec<String>> {
    let text = conf(services, &user_section("SSL", procs, cy, dc, 1));
    match parse(file, &text) {
        Ok((ep, _)) => Ok(ep.instances.len()),
        Err(e) => Err(e.errors.iter().map(ToString::to_string).collect()),
    }
}

#[test]
fn gen2_cy_dc_holds_32_cy_and_32_dc() {
    assert_eq!(fit("c6xx_dev0.conf", "cy;dc", 16, 2, 2), Ok(64));
    assert_eq!(
        fit("c6xx_dev0.conf", "cy;dc", 5, 8, 0),
        Err(vec![
            "c6xx_dev0.conf:8: needs 40 Cy instances but a c6xx endpoint with ServicesEnabled=cy;dc has room for 32: lower NumProcesses or NumberCyInstances in [SSL], or enable fewer services".to_string()
        ])
    );
    assert_eq!(
        fit("c6xx_dev0.conf", "cy;dc", 11, 0, 3),
        Err(vec![
            "c6xx_dev0.conf:9: needs 33 Dc instances but a c6xx endpoint with ServicesEnabled=cy;dc has room for 32: lower NumProcesses or NumberDcInstances in [SSL], or enable fewer services".to_string()
        ])
    );
}

#[test]
fn gen2_single_and_paired_services() {
    // cy: 4 per bank, 64 per endpoint.
    assert_eq!(fit("c6xx_dev0.conf", "cy", 16, 4, 0), Ok(64));
    assert!(fit("c6xx_dev0.conf", "cy", 13, 5, 0).is_err());
    // dc: 8 per bank, 128 per endpoint; nothing else to give up.
    assert_eq!(fit("c6xx_dev0.conf", "dc", 16, 0, 8), Ok(128));
    assert_eq!(
        fit("c6xx_dev0.conf", "dc", 43, 0, 3),
        Err(vec![
            "c6xx_dev0.conf:9: needs 129 Dc instances but a c6xx endpoint with ServicesEnabled=dc has room for 128: lower NumProcesses or NumberDcInstances in [SSL]".to_string()
        ])
    );
    // dc;asym: 4 + 4 per bank; the Cy instances are asym-only.
    assert_eq!(fit("c6xx_dev0.conf", "dc;asym", 16, 4, 4), Ok(128));
    assert!(fit("c6xx_dev0.conf", "dc;asym", 13, 5, 0).is_err());
    assert!(fit("c6xx_dev0.conf", "dc;asym", 13, 0, 5).is_err());
    let (ep, _) = parse(
        "c6xx_dev0.conf",
        &conf("dc;asym", &user_section("SSL", 1, 1, 0, 1)),
    )
    .unwrap();
    let rings: Vec<RingService> = ep.instances[0]
        .instance
        .rings
        .iter()
        .map(|r| r.service)
        .collect();
    assert_eq!(rings, [RingService::Asym]);
    // sym: 8 per bank.
    assert_eq!(fit("c6xx_dev0.conf", "sym", 16, 8, 0), Ok(128));
    assert!(fit("c6xx_dev0.conf", "sym", 43, 3, 0).is_err());
    // Other classes: a c3xxx has 16 banks too, a dh895xcc 32.
    assert_eq!(fit("dh895xcc_dev0.conf", "cy;dc", 32, 2, 2), Ok(128));
    assert!(fit("dh895xcc_dev0.conf", "cy;dc", 65, 1, 0).is_err());
}

#[test]
fn gen2_budget_sums_every_section() {
    let body = format!(
        "{}{}[KERNEL_QAT]\nNumberCyInstances = 1\nCy0Name = \"k\"\n[DYN]\nNumberCyInstances = 1\n",
        user_section("SSL", 4, 7, 0, 1),
        user_section("IPsec", 1, 2, 0, 1)
    );
    // 28 + 2 + 1 + 1 = 32 fits.
    assert!(parse("c6xx_dev0.conf", &conf("cy;dc", &body)).is_ok());
    let body = body.replace(
        "[DYN]\nNumberCyInstances = 1",
        "[DYN]\nNumberCyInstances = 2",
    );
    let errs = errors("c6xx_dev0.conf", &conf("cy;dc", &body));
    assert_eq!(
        errs,
        ["c6xx_dev0.conf:8: needs 33 Cy instances ([SSL] 4 × 7 + [IPsec] 1 × 2 + [KERNEL_QAT] 1 + [DYN] 2) but a c6xx endpoint with ServicesEnabled=cy;dc has room for 32: lower NumProcesses or NumberCyInstances in [SSL], [IPsec], [KERNEL_QAT] or [DYN], or enable fewer services"]
    );
}

#[test]
fn gen2_placement_uses_distinct_ring_pairs() {
    let (ep, _) = parse(
        "c6xx_dev0.conf",
        &conf("cy;dc", &user_section("SSL", 16, 2, 2, 1)),
    )
    .unwrap();
    let mut seen = HashSet::new();
    for p in &ep.instances {
        for r in &p.instance.rings {
            assert!(seen.insert((r.bank, r.ring_pair)));
            assert!(
                r.ring_pair < 6,
                "cy;dc uses 2 × 3 ring pairs per bank: {r:?}"
            );
        }
    }
    assert_eq!(seen.len(), 16 * 6);
    // Process 0 fills bank 0: asym 0-1, sym 2-3, dc 4-5.
    let p0: Vec<Vec<(RingService, u32, u32)>> = ep
        .instances
        .iter()
        .filter(|p| p.process == 0)
        .map(|p| {
            p.instance
                .rings
                .iter()
                .map(|r| (r.service, r.bank, r.ring_pair))
                .collect()
        })
        .collect();
    use RingService::*;
    assert_eq!(
        p0,
        [
            vec![(Sym, 0, 2), (Asym, 0, 0)],
            vec![(Sym, 0, 3), (Asym, 0, 1)],
            vec![(Dc, 0, 4)],
            vec![(Dc, 0, 5)],
        ]
    );
}

#[test]
fn gen4_sym_asym_holds_32_cy() {
    assert_eq!(fit("4xxx_dev0.conf", "sym;asym", 16, 2, 0), Ok(32));
    assert_eq!(
        fit("4xxx_dev0.conf", "sym;asym", 11, 3, 0),
        Err(vec![
            "4xxx_dev0.conf:8: needs 33 Cy instances but a 4xxx endpoint with ServicesEnabled=sym;asym has room for 32: lower NumProcesses or NumberCyInstances in [SSL]".to_string()
        ])
    );
    // Out-of-tree spelling works on gen4 too.
    assert_eq!(fit("4xxx_dev0.conf", "cy", 32, 1, 0), Ok(32));
    // 420xx has the same bank layout.
    assert_eq!(fit("420xx_dev0.conf", "sym;asym", 32, 1, 0), Ok(32));
    assert!(fit("420xx_dev0.conf", "sym;asym", 33, 1, 0).is_err());
}

#[test]
fn gen4_dc_holds_64() {
    assert_eq!(fit("4xxx_dev1.conf", "dc", 16, 0, 4), Ok(64));
    assert_eq!(
        fit("4xxx_dev1.conf", "dc", 13, 0, 5),
        Err(vec![
            "4xxx_dev1.conf:9: needs 65 Dc instances but a 4xxx endpoint with ServicesEnabled=dc has room for 64: lower NumProcesses or NumberDcInstances in [SSL]".to_string()
        ])
    );
}

#[test]
fn gen4_asym_dc_holds_32_and_32() {
    assert_eq!(fit("4xxx_dev0.conf", "asym;dc", 16, 2, 2), Ok(64));
    assert_eq!(
        fit("4xxx_dev0.conf", "asym;dc", 11, 0, 3),
        Err(vec![
            "4xxx_dev0.conf:9: needs 33 Dc instances but a 4xxx endpoint with ServicesEnabled=asym;dc has room for 32: lower NumProcesses or NumberDcInstances in [SSL], or enable fewer services".to_string()
        ])
    );
    assert!(fit("4xxx_dev0.conf", "asym;dc", 11, 3, 0).is_err());
    // Pattern dc, asym, dc, asym.
    let (ep, _) = parse(
        "4xxx_dev0.conf",
        &conf("asym;dc", &user_section("SSL", 16, 2, 2, 1)),
    )
    .unwrap();
    let mut banks = HashSet::new();
    for p in &ep.instances {
        for r in &p.instance.rings {
            let expect = if r.bank % 2 == 0 {
                RingService::Dc
            } else {
                RingService::Asym
            };
            assert_eq!(r.service, expect, "{r:?}");
            assert!(banks.insert(r.bank));
        }
        if p.instance.service == InstanceService::Cy {
            assert_eq!(p.instance.rings.len(), 1, "asym-only Cy instance");
        }
    }
    assert_eq!(banks.len(), 64);
}

#[test]
fn epoll_instances_take_a_bank_each() {
    // 16 epoll instances fill the 16 banks of a c6xx, one per bank.
    let (ep, _) = parse(
        "c6xx_dev0.conf",
        &conf("cy;dc", &user_section("SSL", 16, 1, 0, 2)),
    )
    .unwrap();
    let banks: HashSet<u32> = ep
        .instances
        .iter()
        .map(|p| p.instance.rings[0].bank)
        .collect();
    assert_eq!(banks.len(), 16);
    assert!(ep
        .instances
        .iter()
        .all(|p| p.instance.polling == Polling::Epoll));
    let errs = errors(
        "c6xx_dev0.conf",
        &conf("cy;dc", &user_section("SSL", 17, 1, 0, 2)),
    );
    assert_eq!(
        errs,
        ["c6xx_dev0.conf:8: needs 17 banks for epoll instances (each takes a bank of its own) but a c6xx endpoint has 16: set IsPolled = 1 for some instances in [SSL], or lower NumProcesses"]
    );
    // 14 epoll banks leave 2 banks: 4 polled Cy fit, 5 do not.
    let body = |polled: u32| {
        format!(
            "{}{}",
            user_section("EP", 14, 1, 0, 2),
            user_section("SSL", 1, polled, 0, 1)
        )
    };
    assert!(parse("c6xx_dev0.conf", &conf("cy;dc", &body(4))).is_ok());
    assert_eq!(
        errors("c6xx_dev0.conf", &conf("cy;dc", &body(5))),
        ["c6xx_dev0.conf:8: needs 5 polled Cy instances ([EP] 14 × 1 + [SSL] 1 × 5) but a c6xx endpoint with ServicesEnabled=cy;dc has room for 4 in the 2 of its 16 banks that epoll instances left free: lower NumProcesses or NumberCyInstances in [EP] or [SSL], or enable fewer services"]
    );
    // An epoll bank holds nothing else.
    let (ep, _) = parse("c6xx_dev0.conf", &conf("cy;dc", &body(4))).unwrap();
    let epoll_banks: HashSet<u32> = ep
        .instances
        .iter()
        .filter(|p| p.instance.polling == Polling::Epoll)
        .map(|p| p.instance.rings[0].bank)
        .collect();
    for p in ep
        .instances
        .iter()
        .filter(|p| p.instance.polling == Polling::Polled)
    {
        assert!(p
            .instance
            .rings
            .iter()
            .all(|r| !epoll_banks.contains(&r.bank)));
    }
    // A c6xx VF has one bank: one epoll instance and nothing else.
    assert!(parse(
        "c6xxvf_dev1.conf",
        &conf("cy;dc", &user_section("SSL", 1, 1, 0, 2))
    )
    .is_ok());
    assert!(parse(
        "c6xxvf_dev1.conf",
        &conf("cy;dc", &user_section("SSL", 1, 1, 1, 2))
    )
    .is_err());
    // Gen4 banks hold one ring pair anyway: epoll changes nothing.
    assert_eq!(
        parse(
            "4xxx_dev0.conf",
            &conf("sym;asym", &user_section("SSL", 32, 1, 0, 2))
        )
        .unwrap()
        .0
        .instances
        .len(),
        32
    );
}

fn endpoint(file: &str, services: &str, cy: u32, dc: u32) -> softqat_config::EndpointConfig {
    parse(file, &conf(services, &user_section("SSL", 1, cy, dc, 1)))
        .unwrap()
        .0
}

#[test]
fn table_15_vf_services_are_a_subset_of_the_pf() {
    let pf = endpoint("c6xx_dev0.conf", "cy;dc", 1, 1);
    for vf in ["cy;dc", "cy", "dc", "sym", "asym", "dc;sym", "dc;asym"] {
        let v = endpoint("c6xxvf_dev1.conf", vf, 0, 0);
        assert!(check_vf_services(&pf, &v).is_empty(), "{vf}");
    }
    let pf = endpoint("c6xx_dev0.conf", "dc;asym", 1, 1);
    let vf = endpoint("c6xxvf_dev1.conf", "cy", 1, 0);
    let errs: Vec<String> = check_vf_services(&pf, &vf)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errs,
        ["c6xxvf_dev1.conf:2: ServicesEnabled = cy is not allowed on this VF: its PF qat_dev0 (c6xx_dev0.conf) runs dc;asym, so use one of dc;asym, dc, asym (Guide Table 15)"]
    );
    let pf = endpoint("c6xx_dev0.conf", "cy", 1, 0);
    assert_eq!(
        check_vf_services(&pf, &endpoint("c6xxvf_dev1.conf", "sym", 1, 0)).len(),
        0
    );
    assert_eq!(
        check_vf_services(&pf, &endpoint("c6xxvf_dev1.conf", "dc", 0, 1)).len(),
        1
    );
    let pf = endpoint("c6xx_dev0.conf", "asym", 1, 0);
    assert_eq!(
        check_vf_services(&pf, &endpoint("c6xxvf_dev1.conf", "sym", 1, 0)).len(),
        1
    );
    // Class mismatch.
    let pf4 = endpoint("4xxx_dev0.conf", "sym;asym", 1, 0);
    assert_eq!(
        check_vf_services(&pf4, &endpoint("c6xxvf_dev1.conf", "cy", 1, 0)).len(),
        1
    );
}

#[test]
fn vf_capacity_follows_the_pf_services() {
    // Guide §4.3.3.3: PF dc;asym, VF dc only → four (not eight) dc instances.
    let pf = endpoint("c6xx_dev0.conf", "dc;asym", 1, 1);
    assert!(check_vf_services(&pf, &endpoint("c6xxvf_dev1.conf", "dc", 0, 4)).is_empty());
    let vf8 = endpoint("c6xxvf_dev1.conf", "dc", 0, 8);
    let errs: Vec<String> = check_vf_services(&pf, &vf8)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errs,
        ["c6xxvf_dev1.conf:9: needs 8 Dc instances but a c6xxvf endpoint with ServicesEnabled=dc under a PF running dc;asym has room for 4: lower NumProcesses or NumberDcInstances in [SSL], or enable fewer services on the PF"]
    );
    // The same through from_files: the VF belongs to the PF of its class.
    let files = vec![
        ("c6xx_dev0.conf".to_string(), conf("dc;asym", "")),
        (
            "c6xxvf_dev1.conf".to_string(),
            conf("dc", &user_section("SSL", 1, 0, 8, 1)),
        ),
    ];
    let e = SystemConfig::from_files(&files).unwrap_err();
    assert_eq!(e.errors.len(), 1);
    assert!(e.errors[0].message.starts_with("needs 8 Dc instances"));
    let files = vec![
        ("c6xx_dev0.conf".to_string(), conf("dc;asym", "")),
        (
            "c6xxvf_dev1.conf".to_string(),
            conf("dc", &user_section("SSL", 1, 0, 4, 1)),
        ),
    ];
    let (cfg, _) = SystemConfig::from_files(&files).unwrap();
    let vf = cfg.endpoint(1).unwrap();
    assert_eq!(vf.parent_pf, Some(0));
    assert_eq!(vf.bdf, "0000:06:01.0");
    // Laid out as the PF's banks: dc ring pairs 4..7 (asym group 0..3).
    let pairs: Vec<u32> = vf
        .instances
        .iter()
        .map(|p| p.instance.rings[0].ring_pair)
        .collect();
    assert_eq!(pairs, [4, 5, 6, 7]);
}

#[test]
fn gen6_layouts_follow_the_qat_6xxx_driver() {
    // dc alone: 64 Dc instances, as on gen4.
    assert_eq!(fit("6xxx_dev1.conf", "dc", 16, 0, 4), Ok(64));
    assert!(fit("6xxx_dev1.conf", "dc", 13, 0, 5).is_err());
    // asym;dc: the driver gives asym ring pairs 0 and 2 (gen4 gives them dc).
    let (ep, _) = parse(
        "6xxx_dev0.conf",
        &conf("asym;dc", &user_section("SSL", 16, 2, 2, 1)),
    )
    .unwrap();
    for p in &ep.instances {
        for r in &p.instance.rings {
            let expect = if r.bank % 2 == 0 {
                RingService::Asym
            } else {
                RingService::Dc
            };
            assert_eq!(r.service, expect, "{r:?}");
        }
    }
    // Three services: asym on ring pairs 0 and 3, sym on 1, dc on 2 of every
    // group of four, so 16 Cy (one sym bank each) and 16 Dc instances.
    assert_eq!(fit("6xxx_dev0.conf", "sym;asym;dc", 16, 1, 1), Ok(32));
    let three = fit("6xxx_dev0.conf", "sym;asym;dc", 16, 2, 0).unwrap_err();
    assert_eq!(
        three,
        ["6xxx_dev0.conf:8: needs 32 Cy instances but a 6xxx endpoint with ServicesEnabled=sym;asym;dc has room for 16: lower NumProcesses or NumberCyInstances in [SSL], or enable fewer services"]
    );
    let (ep, _) = parse(
        "6xxx_dev0.conf",
        &conf("sym;asym;dc", &user_section("SSL", 16, 1, 1, 1)),
    )
    .unwrap();
    let mut banks = HashSet::new();
    for p in &ep.instances {
        for r in &p.instance.rings {
            let expect = match r.bank % 4 {
                0 | 3 => RingService::Asym,
                1 => RingService::Sym,
                _ => RingService::Dc,
            };
            assert_eq!(r.service, expect, "{r:?}");
            assert!(banks.insert(r.bank));
        }
    }
    // Each Cy instance takes one asym and one sym bank: 16 asym banks of the
    // 32 stay free.
    assert_eq!(banks.len(), 48);
    // decomp is refused with what to use instead; dcc does not combine.
    let decomp = fit("6xxx_dev0.conf", "dc;decomp", 1, 0, 1).unwrap_err();
    assert!(decomp[0].contains("use dc"), "{decomp:?}");
    assert!(fit("6xxx_dev0.conf", "dcc;sym", 1, 1, 1).is_err());
    // gen4 still refuses three services.
    assert!(fit("4xxx_dev0.conf", "sym;asym;dc", 1, 1, 1).is_err());
}
