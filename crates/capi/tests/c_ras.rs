//! Heartbeat, fatal error and reset through the C ABI: `tests/c/ras.c`
//! registers a notification callback, simulates a heartbeat failure, sees
//! FATAL_ERROR through icp_sal_poll_device_events and FAIL callbacks for the
//! requests the endpoint did not process, resets the device, checks it until
//! it is alive, sees RESTARTING and RESTARTED, and compresses with the same
//! instance.

mod common;

use std::time::Duration;

use common::*;

#[test]
fn ras_program() {
    let scratch = Scratch::new("ras");
    let lib = stage_libs(scratch.path());
    let conf = scratch.path().join("conf");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        conf.join("4xxx_dev0.conf"),
        "[GENERAL]\nServicesEnabled = dc\nConfigVersion = 2\nDcNumConcurrentRequests = 64\n\
         AutoResetOnError = 0\n\n\
         [KERNEL]\nNumberCyInstances = 0\nNumberDcInstances = 0\n\n\
         [RAS]\nNumberCyInstances = 0\nNumberDcInstances = 1\nNumProcesses = 1\n\
         LimitDevAccess = 0\n\
         Dc0Name = \"Dc0\"\nDc0IsPolled = 1\nDc0CoreAffinity = 0\n",
    )
    .unwrap();
    let exe = compile("ras", scratch.path(), &lib, &["qat", "usdm"]);
    let out = run(
        &exe,
        &[],
        &[
            ("SOFTQAT_CONFIG_DIR", conf.to_str().unwrap()),
            ("SOFTQAT_MODE", "embedded"),
            ("SOFTQAT_ENGINES", "1"),
        ],
        Duration::from_secs(120),
    );
    assert_passed("ras", &out);
}
