//! Configuration-driven sections (`icp_sal_userStart`, Programmer's Guide
//! §4.5): what a process gets from a configuration directory, the same
//! section back when it starts a name again, sections released when the last
//! handle goes, RESOURCE when every internal section is taken, and errors that
//! name what is available or where a file is wrong.

mod common;

use common::*;
use softqat_sal::{runtime::endpoint_status, CpaStatus, DcOpData, DcStatus, FlushFlag, Qat};

/// A c6xx endpoint with the compression service and a user section `[SSL]`
/// of two compression instances for up to two processes, plus `[APP]`.
fn c6xx_conf(limit_dev_access: u32) -> String {
    format!(
        "# test configuration\n\
         [GENERAL]\n\
         ServicesEnabled = dc\n\
         ConfigVersion = 2\n\
         DcNumConcurrentRequests = 512\n\
         \n\
         [KERNEL]\n\
         NumberCyInstances = 0\n\
         NumberDcInstances = 0\n\
         \n\
         [SSL]\n\
         NumberCyInstances = 0\n\
         NumberDcInstances = 2\n\
         NumProcesses = 2\n\
         LimitDevAccess = {limit_dev_access}\n\
         Dc0Name = \"Dc0\"\n\
         Dc0IsPolled = 1\n\
         Dc0CoreAffinity = 0\n\
         Dc1Name = \"Dc1\"\n\
         Dc1IsPolled = 1\n\
         Dc1CoreAffinity = 0\n\
         \n\
         [APP]\n\
         NumberCyInstances = 0\n\
         NumberDcInstances = 1\n\
         NumProcesses = 1\n\
         LimitDevAccess = 0\n\
         Dc0Name = \"AppDc0\"\n\
         Dc0IsPolled = 1\n\
         Dc0CoreAffinity = 0\n"
    )
}

#[test]
fn a_section_of_a_configuration_directory_gives_its_instances() {
    let dir = TempDir::with_files("c6xx", &[("c6xx_dev0.conf", &c6xx_conf(0))]);
    let opts = dir.options(1);
    let qat = Qat::start_with("SSL", &opts).unwrap();
    assert_eq!(qat.section_name(), "SSL_INT_0");
    assert_eq!(qat.dc_instances().len(), 2);
    let names: Vec<&str> = qat
        .dc_instances()
        .iter()
        .map(|i| i.info().inst_name.as_str())
        .collect();
    assert_eq!(names, vec!["Dc0", "Dc1"]);
    let (a, b) = (&qat.dc_instances()[0], &qat.dc_instances()[1]);
    assert_ne!(
        (a.info().bank, a.info().ring_pair),
        (b.info().bank, b.info().ring_pair),
        "two instances, two ring pairs"
    );
    assert!(a.info().part_name.contains("c6xx"), "{:?}", a.info());
    assert_eq!(a.info().max_in_flight, 512);

    // Gen2 (c6xx): levels 1..=9.
    a.start().unwrap();
    let msg = expect_status(
        a.init_session(&setup(|s| s.comp_level = 10)),
        CpaStatus::InvalidParam,
    );
    assert!(msg.contains("1..=9"), "{msg}");
    let data = corpus("calgary32");
    for level in 1..=9 {
        let s = a.init_session(&setup(|s| s.comp_level = level)).unwrap();
        let (r, out) = compress_all(a, &s, &data);
        assert_eq!(r.status, DcStatus::Ok, "level {level}");
        assert_eq!(inflate_raw(&out).unwrap(), data, "level {level}");
    }

    // Another declared section of the same configuration.
    let app = Qat::start_with("APP", &opts).unwrap();
    assert_eq!(app.section_name(), "APP_INT_0");
    assert_eq!(app.dc_instances()[0].info().inst_name, "AppDc0");

    // qat_service status of these endpoints.
    let lines = endpoint_status(&opts).unwrap();
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("qat_dev0 - type: c6xx"),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with("state: up"), "{}", lines[0]);
}

#[test]
fn starting_a_held_name_again_gives_the_same_section_until_released() {
    let dir = TempDir::with_files("again", &[("c6xx_dev0.conf", &c6xx_conf(0))]);
    let opts = dir.options(1);
    let first = Qat::start_with("SSL", &opts).unwrap();
    let again = Qat::start_with("SSL", &opts).unwrap();
    assert_eq!(first.section_name(), "SSL_INT_0");
    assert_eq!(
        again.section_name(),
        "SSL_INT_0",
        "qatlib counts starts per process"
    );
    assert_eq!(
        first.dc_instances()[0].info().inst_id,
        again.dc_instances()[0].info().inst_id
    );
    // The same instance: state set through one handle shows through the other.
    first.dc_instances()[0].start().unwrap();
    assert!(again.dc_instances()[0].is_started());
    drop(first);
    // Still held by `again`.
    let third = Qat::start_with("SSL", &opts).unwrap();
    assert!(third.dc_instances()[0].is_started());
    drop(again);
    third.stop();
    // Released: a new start builds the section afresh (instances not started).
    let fresh = Qat::start_with("SSL", &opts).unwrap();
    assert_eq!(fresh.section_name(), "SSL_INT_0");
    assert!(!fresh.dc_instances()[0].is_started());
}

#[test]
fn limit_dev_access_names_the_section_after_its_endpoint() {
    let dir = TempDir::with_files("ldev", &[("c6xx_dev0.conf", &c6xx_conf(1))]);
    let qat = Qat::start_with("SSL", &dir.options(1)).unwrap();
    assert_eq!(qat.section_name(), "SSL_DEV0_INT_0");
    assert_eq!(qat.dc_instances().len(), 2);
}

#[test]
fn an_unknown_section_names_the_available_ones() {
    let dir = TempDir::with_files("unknown", &[("c6xx_dev0.conf", &c6xx_conf(0))]);
    let opts = dir.options(1);
    let e = Qat::start_with("NOPE", &opts).unwrap_err();
    assert_ne!(e.status, CpaStatus::Success);
    assert!(e.message.contains("NOPE"), "{e}");
    assert!(
        e.message.contains("SSL") && e.message.contains("APP"),
        "{e}"
    );
    // Names are case-sensitive; the error points at the close match.
    let e = Qat::start_with("ssl", &opts).unwrap_err();
    assert!(e.message.contains("SSL"), "{e}");
    // Section names of 1..=127 bytes.
    expect_status(Qat::start_with("", &opts), CpaStatus::InvalidParam);
    expect_status(
        Qat::start_with(&"S".repeat(128), &opts),
        CpaStatus::InvalidParam,
    );
}

#[test]
fn an_invalid_configuration_is_reported_with_file_and_line() {
    let mut conf = c6xx_conf(0);
    conf = conf.replace("NumberDcInstances = 2", "NumberDcInstances = many");
    let line = conf.lines().position(|l| l.contains("= many")).unwrap() + 1;
    let dir = TempDir::with_files("invalid", &[("c6xx_dev0.conf", &conf)]);
    let e = Qat::start_with("SSL", &dir.options(1)).unwrap_err();
    assert_eq!(e.status, CpaStatus::Fail);
    let at = format!("c6xx_dev0.conf:{line}");
    assert!(e.message.contains(&at), "expected {at} in: {e}");
    assert!(e.message.contains("NumberDcInstances"), "{e}");

    // A directory without endpoint files, and one that does not exist.
    let empty = TempDir::new("empty");
    let e = Qat::start_with("SSL", &empty.options(1)).unwrap_err();
    assert!(e.message.contains("_dev"), "says what file to add: {e}");
    let gone = empty.path().join("missing");
    let e = Qat::start_with(
        "SSL",
        &softqat_sal::StartOptions {
            config: softqat_sal::ConfigSource::Dir(gone.clone()),
            engine_threads: Some(1),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.message.contains("missing"), "{e}");
}

#[test]
fn every_internal_section_taken_gives_resource() {
    // The built-in configuration (qatlib, POLICY=0) has 16 internal
    // sections, SSL_INT_0..15, and gives them to any name. Within one
    // process a name already held returns its section, so the sections run
    // out only with 16 different names. A thread count no other test of
    // this file uses keeps this device set to this test.
    let opts = builtin(3);
    let mut held = Vec::new();
    for i in 0..16 {
        let q = Qat::start_with(&format!("proc{i}"), &opts).unwrap();
        held.push(q);
    }
    let mut names: Vec<String> = held.iter().map(|q| q.section_name().to_string()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 16, "16 distinct sections: {names:?}");
    assert!(names.iter().all(|n| n.starts_with("SSL_INT_")), "{names:?}");
    // Every section's instances are on ring pairs of their own.
    let mut rings: Vec<(u32, u32, u32)> = held
        .iter()
        .flat_map(|q| q.dc_instances().iter())
        .map(|i| (i.info().package_id, i.info().bank, i.info().ring_pair))
        .collect();
    let n = rings.len();
    rings.sort_unstable();
    rings.dedup();
    assert_eq!(rings.len(), n, "no ring pair given twice");

    let e = Qat::start_with("proc16", &opts).unwrap_err();
    assert_eq!(e.status, CpaStatus::Resource, "{e}");
    assert!(e.message.contains("NumProcesses"), "says what to do: {e}");
    // A held name still gets its section back.
    assert_eq!(
        Qat::start_with("proc3", &opts).unwrap().section_name(),
        held[3].section_name()
    );
    // Releasing one makes room.
    let freed = held.remove(5).section_name().to_string();
    let q = Qat::start_with("proc16", &opts).unwrap();
    assert_eq!(q.section_name(), freed);
    let inst = dc0(&q);
    let s = inst.init_session(&setup(|_| {})).unwrap();
    let mut out = vec![0u8; 64];
    let r = inst
        .compress(&s, b"works", &mut out, &DcOpData::new(FlushFlag::Final))
        .unwrap();
    assert_eq!(r.status, DcStatus::Ok);
}
