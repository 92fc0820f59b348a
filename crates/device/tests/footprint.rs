//! The address space an engine thread is admitted with
//! (`ENGINE_FOOTPRINT`, checked against `ulimit -v` before engines start)
//! covers what its firmware really allocates: if the codec tables grow,
//! this fails before a low limit could abort a process instead of
//! refusing it. Alone in its binary so no other test allocates meanwhile.

use std::sync::Arc;

use softqat_device::endpoint::ENGINE_FOOTPRINT;
use softqat_device::firmware::{Firmware, FirmwareShared};
use softqat_device::ServiceId;
use softqat_engine::deflate::LevelMapping;

/// `VmData` of this process in bytes.
fn vm_data() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = s
        .lines()
        .find(|l| l.starts_with("VmData:"))
        .expect("VmData");
    let kib: u64 = line[7..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    kib * 1024
}

#[test]
fn engine_workspaces_fit_the_admission_estimate() {
    let shared = Arc::new(FirmwareShared::default());
    let before = vm_data();
    let n = 8u64;
    let fw: Vec<Firmware> = (0..n)
        .map(|_| Firmware::new(&ServiceId::ALL, LevelMapping::Gen4, &shared))
        .collect();
    let per_engine = (vm_data() - before) / n;
    drop(fw);
    // The stack is 2 MiB of the estimate; at least as much again must be
    // left for the scratch buffers requests grow.
    eprintln!("firmware workspace: {} KiB per engine", per_engine / 1024);
    assert!(
        per_engine <= ENGINE_FOOTPRINT / 2,
        "an engine's firmware takes {per_engine} bytes: raise ENGINE_FOOTPRINT ({ENGINE_FOOTPRINT})"
    );
}
