//! The C ABI attached to `softqatd` (managed mode): the compression test
//! program runs unchanged against a daemon on a private run directory, its
//! requests travelling through the shared rings and its qae* memory
//! registered with the daemon; its outputs are checked as in embedded mode.

mod common;

use std::io::Read;
use std::time::Duration;

use common::*;

#[test]
fn dc_program_attached_to_softqatd() {
    let scratch = Scratch::new("managed");
    let daemon = Daemon::start(scratch.path());
    let lib = stage_libs(scratch.path());
    let exe = compile("dc_basic", scratch.path(), &lib, &["qat", "usdm"]);
    let outdir = scratch.path().join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    let env = managed_env(&daemon);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = run(
        &exe,
        &[outdir.to_str().unwrap()],
        &env,
        Duration::from_secs(120),
    );
    assert_passed("dc_basic (managed)", &out);
    // The daemon served it: it logged the client's connection.
    assert!(
        daemon.log().contains("pid"),
        "daemon log:\n{}",
        daemon.log()
    );
    let input = std::fs::read(outdir.join("in.bin")).unwrap();
    let gz = std::fs::read(outdir.join("stream.gz")).unwrap();
    let mut back = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut back)
        .expect("flate2 reads the managed-mode gzip stream");
    assert_eq!(back, input);
}

#[test]
fn accumulated_xxhash_program_attached_to_softqatd() {
    let scratch = Scratch::new("managedxxh");
    let daemon = Daemon::start(scratch.path());
    let lib = stage_libs(scratch.path());
    let exe = compile("dc_xxhash", scratch.path(), &lib, &["qat", "usdm"]);
    let outdir = scratch.path().join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    let env = managed_env(&daemon);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = run(
        &exe,
        &[outdir.to_str().unwrap()],
        &env,
        Duration::from_secs(120),
    );
    assert_passed("dc_xxhash (managed)", &out);
    check_xxhash_sums(&outdir);
}

/// Integrity CRCs into the caller's `CpaCrcData`, partial reads and zero
/// padding with the requests served by `softqatd`: every buffer, CRC record
/// and op data in memory registered with the daemon.
#[test]
fn integrity_program_attached_to_softqatd() {
    let scratch = Scratch::new("managedinteg");
    let daemon = Daemon::start(scratch.path());
    let lib = stage_libs(scratch.path());
    let exe = compile("dc_integrity", scratch.path(), &lib, &["qat", "usdm"]);
    let outdir = scratch.path().join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    let env = managed_env(&daemon);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = run(
        &exe,
        &[outdir.to_str().unwrap()],
        &env,
        Duration::from_secs(120),
    );
    assert_passed("dc_integrity (managed)", &out);
    check_integrity_outputs(&outdir);
}
