//! The `softqatd` program: usage, foreground and background runs, SIGTERM,
//! refusing to start twice.

mod common;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;
use softqat_cpa::InstanceEvent;
use softqat_device::plan::InstanceKind;
use softqat_device::proto::{self, Request};

const BIN: &str = env!("CARGO_BIN_EXE_softqatd");

fn softqatd(args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .env_remove("SOFTQAT_RUN_DIR")
        .env_remove("SOFTQAT_CONFIG_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn kill(pid: i32, sig: i32) {
    // SAFETY: kill sends a signal to a process this test started; no memory
    // is involved.
    let r = unsafe { libc::kill(pid, sig) };
    assert_eq!(r, 0, "kill: {}", std::io::Error::last_os_error());
}

fn alive(pid: i32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    unsafe { libc::kill(pid, 0) == 0 }
}

/// Waits for a child to exit, killing it after 10 s.
fn finish(mut child: Child) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.wait_with_output().unwrap()
}

/// Runs `cmd` to the end of its output, failing (not hanging) if a process
/// still holds its stdout or stderr after 10 s; then stops the daemon whose
/// PID file is `pid_file`.
fn output_within(mut cmd: Command, pid_file: &Path) -> Output {
    use std::io::Read;
    let mut child = cmd.spawn().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    for (idx, mut pipe) in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ]
    .into_iter()
    .enumerate()
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = pipe.read_to_end(&mut v);
            let _ = tx.send((idx, v));
        });
    }
    let mut got = [Vec::new(), Vec::new()];
    for _ in 0..2 {
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok((idx, v)) => got[idx] = v,
            Err(_) => {
                if let Ok(pid) = std::fs::read_to_string(pid_file) {
                    if let Ok(pid) = pid.trim().parse::<i32>() {
                        kill(pid, libc::SIGKILL);
                    }
                }
                panic!("the detached daemon still holds the output pipes");
            }
        }
    }
    let status = child.wait().unwrap();
    let [stdout, stderr] = got;
    Output {
        status,
        stdout,
        stderr,
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn wait_for_socket(run: &Path) {
    let sock = proto::socket_path(run);
    wait_until("the socket", || {
        std::os::unix::net::UnixStream::connect(&sock).is_ok()
    });
}

#[test]
fn help_and_usage_errors() {
    let out = softqatd(&["--help"]).output().unwrap();
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("--managed-file FILE"));
    for args in [
        &["--bogus"][..],
        &["--engines", "x"],
        &["--config", "a", "--managed-file", "b"],
    ] {
        let out = softqatd(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains("run softqatd --help"), "{args:?}: {err}");
    }
    // A bad configuration: exit 1 with the configuration's message.
    let dir = TempDir::new("bin-badcfg");
    let bad = dir.file("qat", "POLICY=-1\n");
    let run = dir.path().join("run");
    let out = softqatd(&[
        "--foreground",
        "--run-dir",
        run.to_str().unwrap(),
        "--managed-file",
        bad.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("POLICY=-1 is not allowed"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn foreground_serves_until_sigterm_and_cleans_up() {
    let dir = TempDir::new("bin-fg");
    let run = dir.path().join("run");
    let policy = dir.file("qat", "POLICY=16\n");
    let child = softqatd(&[
        "--foreground",
        "--engines",
        "1",
        "--run-dir",
        run.to_str().unwrap(),
        "--managed-file",
        policy.to_str().unwrap(),
    ])
    .spawn()
    .unwrap();
    let pid = child.id() as i32;
    wait_for_socket(&run);
    let pid_file = run.join(proto::PID_FILE_NAME);
    assert_eq!(
        std::fs::read_to_string(&pid_file).unwrap(),
        format!("{pid}\n")
    );

    let mut c = Client::connect(&proto::socket_path(&run));
    assert_eq!(c.status().len(), 2);
    let s = c.section("SSL");
    // POLICY=16: 8 VFs of each PF, 32 Dc and 16 Cy instances.
    assert_eq!(s.of(InstanceKind::Dc).len(), 32);
    assert_eq!(s.of(InstanceKind::Cy).len(), 16);

    // A second daemon on the same directory is refused, naming the first.
    let out = softqatd(&["--foreground", "--run-dir", run.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!(
            "another softqatd is running (pid {pid} from the PID file)"
        )),
        "{err}"
    );

    kill(pid, libc::SIGTERM);
    let out = finish(child);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{:?}: {err}", out.status);
    assert!(err.contains("listening on"), "{err}");
    assert!(err.contains("SIGTERM: stopping"), "{err}");
    assert!(err.contains("released SSL_INT_0"), "{err}");
    assert!(!proto::socket_path(&run).exists());
    assert!(!pid_file.exists());
    assert!(c.closed());
    assert!(c.events.contains(&(1, InstanceEvent::Restarting)));
}

#[test]
fn background_mode_detaches_once_listening() {
    let dir = TempDir::new("bin-bg");
    let run = dir.path().join("run");
    // Both outputs are pipes: `output()` returns only because the detached
    // daemon lets go of them.
    let pid_file = run.join(proto::PID_FILE_NAME);
    let out = output_within(
        softqatd(&["--engines", "1", "--run-dir", run.to_str().unwrap()]),
        &pid_file,
    );
    let said = text(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("running in the background as pid"), "{said}");
    // Ready means ready: the socket answers at once.
    let mut c = Client::connect(&proto::socket_path(&run));
    c.ok(&Request::Control {
        verb: proto::Verb::Restart,
        endpoint: Some(0),
    });
    let pid: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(said.contains(&format!("pid {pid}")), "{said}");
    assert!(alive(pid));
    kill(pid, libc::SIGINT);
    wait_until("the background daemon to stop", || !pid_file.exists());
    assert!(c.closed());
    wait_until("the process to exit", || !alive(pid));
}
