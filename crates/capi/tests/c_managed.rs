//! The C ABI attached to `softqatd` (managed mode): the compression test
//! program runs unchanged against a daemon on a private run directory, its
//! requests travelling through the shared rings and its qae* memory
//! registered with the daemon; its outputs are checked as in embedded mode.

mod common;

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// `softqatd`, built beside the test executables by `cargo test --workspace`.
fn softqatd() -> PathBuf {
    let p = artifact_dir().parent().unwrap().join("softqatd");
    assert!(
        p.exists(),
        "{} is missing: build it with cargo build -p softqat-manager (cargo test --workspace does)",
        p.display()
    );
    p
}

/// A daemon on a private run directory, killed on drop.
struct Daemon {
    child: Child,
    run: PathBuf,
    log: PathBuf,
}

impl Daemon {
    fn start(dir: &std::path::Path) -> Daemon {
        let run = dir.join("run");
        let log = dir.join("softqatd.log");
        let f = std::fs::File::create(&log).unwrap();
        let child = Command::new(softqatd())
            .args(["--foreground", "--engines", "1", "--run-dir"])
            .arg(&run)
            .stdin(Stdio::null())
            .stdout(f.try_clone().unwrap())
            .stderr(f)
            .spawn()
            .expect("spawn softqatd");
        let mut d = Daemon { child, run, log };
        let socket = d.run.join("softqatd.sock");
        let deadline = Instant::now() + Duration::from_secs(20);
        while !socket.exists() {
            assert!(
                Instant::now() < deadline,
                "softqatd did not start: {}",
                d.log()
            );
            if let Some(st) = d.child.try_wait().unwrap() {
                panic!("softqatd exited ({st}): {}", d.log());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        d
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn dc_program_attached_to_softqatd() {
    let scratch = Scratch::new("managed");
    let daemon = Daemon::start(scratch.path());
    let lib = stage_libs(scratch.path());
    let exe = compile("dc_basic", scratch.path(), &lib, &["qat", "usdm"]);
    let outdir = scratch.path().join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    let run_dir = daemon.run.to_str().unwrap().to_string();
    let out = run(
        &exe,
        &[outdir.to_str().unwrap()],
        &[("SOFTQAT_MODE", "managed"), ("SOFTQAT_RUN_DIR", &run_dir)],
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
