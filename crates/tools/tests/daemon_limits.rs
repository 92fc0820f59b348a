//! softqatd under hostile load and low limits, seen from outside: a real
//! daemon process, idle connections by the hundred (by the ten thousand in
//! the ignored measurement), refusals that reach the client, the client's
//! own descriptor limit, and bounce buffers in managed mode.
//!
//! The measurement of issue 10's target (10,000 idle connections; `softqat
//! status` and `softqat compress` still succeed; the daemon's RSS and
//! descriptors before, during and after) is the ignored test
//! `ten_thousand_idle_connections`:
//!
//! ```text
//! cargo build --release -p softqat-manager --bins
//! cargo test --release -p softqat-tools --test daemon_limits -- --ignored --nocapture ten_thousand
//! ```
//!
//! (`SOFTQAT_IDLE_CONNECTIONS=N` changes the count.)

mod common;

use std::io::Read;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{text, text_bytes, TempDir, SOFTQAT};
use softqat_device::proto::{self, kind};

/// `softqatd`, built by the manager crate beside `softqat`.
fn softqatd() -> PathBuf {
    let p = Path::new(SOFTQAT).with_file_name("softqatd");
    assert!(
        p.exists(),
        "{} is missing: build it with cargo build -p softqat-manager (cargo test --workspace does)",
        p.display()
    );
    p
}

/// A daemon process on a private run directory.
struct Daemon {
    child: Child,
    dir: TempDir,
}

impl Daemon {
    fn start(tag: &str, extra: &[&str]) -> Daemon {
        let dir = TempDir::new(tag);
        let log = std::fs::File::create(dir.path().join("softqatd.log")).unwrap();
        let child = Command::new(softqatd())
            .args(["--foreground", "--engines", "1", "--run-dir"])
            .arg(dir.path().join("run"))
            .args(extra)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("spawn softqatd");
        let mut d = Daemon { child, dir };
        let deadline = Instant::now() + Duration::from_secs(20);
        let pid = d.child.id().to_string();
        while !d.socket().exists()
            || std::fs::read_to_string(d.run_dir().join("softqatd.pid"))
                .map_or(true, |p| p.trim() != pid)
        {
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

    fn run_dir(&self) -> PathBuf {
        self.dir.path().join("run")
    }

    fn socket(&self) -> PathBuf {
        self.run_dir().join("softqatd.sock")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("softqatd.log")).unwrap_or_default()
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `softqat ARGS` against this daemon (managed mode required, so a
    /// refused connection cannot quietly fall back to embedded mode).
    fn softqat(&self, args: &[&str]) -> std::process::Output {
        Command::new(SOFTQAT)
            .args(args)
            .env("SOFTQAT_RUN_DIR", self.run_dir())
            .env("SOFTQAT_MODE", "managed")
            .output()
            .unwrap()
    }

    /// `sh -c SCRIPT` with `softqat` as `$SOFTQAT`, against this daemon.
    fn shell(&self, script: &str) -> std::process::Output {
        Command::new("sh")
            .args(["-c", script])
            .env("SOFTQAT", SOFTQAT)
            .env("SOFTQAT_RUN_DIR", self.run_dir())
            .env("SOFTQAT_MODE", "managed")
            .output()
            .unwrap()
    }

    /// Waits until the log has a line with `text`.
    fn wait_log(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(l) = self.log().lines().find(|l| l.contains(text)) {
                return l.to_string();
            }
            assert!(
                Instant::now() < deadline,
                "no log line with {text:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ------------------------------------------------------------ measurements

/// A process's resident memory (KiB), descriptors and threads.
#[derive(Clone, Copy, Debug)]
struct Usage {
    rss_kib: u64,
    fds: usize,
    threads: u64,
}

fn usage(pid: u32) -> Usage {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} in /proc/{pid}/status"))
    };
    Usage {
        rss_kib: field("VmRSS:"),
        fds: std::fs::read_dir(format!("/proc/{pid}/fd"))
            .unwrap()
            .count(),
        threads: field("Threads:"),
    }
}

/// Raises this process's soft descriptor limit to its hard limit; returns
/// the new soft limit.
fn raise_own_descriptor_limit() -> u64 {
    let mut rl = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit read and write one live rlimit.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl), 0);
        rl.rlim_cur = rl.rlim_max;
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &rl), 0);
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is narrower on some targets
    let soft = rl.rlim_cur as u64;
    soft
}

/// What a connection the daemon ended said before closing: (CPA status,
/// reason), or `None` if it is still open and silent after `wait` (zero:
/// just look).
fn farewell(s: &mut UnixStream, wait: Duration) -> Option<(i32, String)> {
    let mut header = [0u8; proto::HEADER_LEN];
    let first = if wait.is_zero() {
        s.set_nonblocking(true).unwrap();
        let r = s.read(&mut header);
        s.set_nonblocking(false).unwrap();
        r
    } else {
        s.set_read_timeout(Some(wait)).unwrap();
        s.read(&mut header)
    };
    let got = match first {
        Ok(n) => n,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            return None
        }
        Err(e) => panic!("the connection ended without a reason: {e}"),
    };
    assert!(got > 0, "the connection ended without a reason (EOF)");
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.read_exact(&mut header[got..]).unwrap();
    let (len, k) = proto::parse_header(&header).unwrap();
    assert_eq!(k, kind::CLOSING, "an unsolicited message of kind {k}");
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).unwrap();
    let said = proto::decode_closing(&body).unwrap();
    // Then the end of the connection.
    let mut rest = [0u8; 1];
    assert!(
        matches!(s.read(&mut rest), Ok(0) | Err(_)),
        "EOF after CLOSING"
    );
    Some(said)
}

/// Runs `softqat status` and `softqat compress | softqat decompress` against
/// the daemon; panics unless both succeed. Returns how long they took.
fn status_and_compress_work(d: &Daemon, data: &Path) -> (Duration, Duration) {
    let t = Instant::now();
    let out = d.softqat(&["status"]);
    let status_time = t.elapsed();
    assert!(
        out.status.success(),
        "softqat status failed: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("qat_dev0"),
        "{}",
        text(&out.stdout)
    );
    let t = Instant::now();
    let out = d.shell(&format!(
        "\"$SOFTQAT\" compress {0} | \"$SOFTQAT\" decompress | cmp - {0}",
        data.display()
    ));
    let compress_time = t.elapsed();
    assert!(
        out.status.success(),
        "softqat compress | decompress failed: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    (status_time, compress_time)
}

/// Opens `n` idle connections to the daemon `pid`; returns those it holds,
/// and what each one it refused (or closed to make room) was told. Waits until the daemon has
/// answered every one (held ones are silent: the daemon's descriptors count
/// them).
fn open_idle(socket: &Path, pid: u32, n: usize) -> (Vec<UnixStream>, Vec<(i32, String)>) {
    let base = usage(pid).fds;
    let mut open = Vec::with_capacity(n);
    for i in 0..n {
        match UnixStream::connect(socket) {
            Ok(s) => open.push(s),
            Err(e) => panic!("connection {i} of {n}: {e}"),
        }
    }
    let mut refused = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut silent = Vec::with_capacity(open.len());
        for mut s in open {
            match farewell(&mut s, Duration::ZERO) {
                Some(said) => refused.push(said),
                None => silent.push(s),
            }
        }
        open = silent;
        if usage(pid).fds == base + open.len() {
            return (open, refused);
        }
        assert!(
            Instant::now() < deadline,
            "{} connections silent, the daemon has {} more descriptors",
            open.len(),
            usage(pid).fds - base
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn eventually(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ------------------------------------------------------------------- tests

/// The bounded form of issue 10's target: 500 idle connections (per-process
/// limit lifted, so all 500 are held) cost no thread each, leave `softqat
/// status` and `softqat compress` working, and the idle timeout gives every
/// descriptor back while the clients still hold their ends.
#[test]
fn five_hundred_idle_connections_leave_status_and_compress_working() {
    raise_own_descriptor_limit();
    let d = Daemon::start(
        "idle500",
        &["--max-connections-per-pid", "0", "--idle-timeout", "4"],
    );
    let tmp = TempDir::new("idle500-data");
    let data = tmp.write("in", &text_bytes(300_000, 7));
    let before = usage(d.pid());

    let start = Instant::now();
    let (held, refused) = open_idle(&d.socket(), d.pid(), 500);
    assert!(refused.is_empty(), "refused: {:?}", refused.first());
    assert_eq!(held.len(), 500);
    let during = usage(d.pid());
    status_and_compress_work(&d, &data);
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "too slow to measure before the idle timeout: {:?}",
        start.elapsed()
    );
    // An event loop, not a thread per connection.
    assert!(
        during.threads <= before.threads + 2,
        "threads {} -> {}",
        before.threads,
        during.threads
    );
    // A few KiB per idle connection at most (a thread each would be more).
    let per_conn = during.rss_kib.saturating_sub(before.rss_kib) * 1024 / 500;
    assert!(
        per_conn < 16 * 1024,
        "{per_conn} bytes of RSS per idle connection"
    );

    // The idle timeout closes them (the clients still hold their ends), each
    // told why.
    eventually("idle connections closed", Duration::from_secs(20), || {
        usage(d.pid()).fds <= before.fds + 2
    });
    let after = usage(d.pid());
    let mut told = 0;
    for mut s in held {
        let (status, reason) = farewell(&mut s, Duration::from_secs(5)).expect("told why");
        assert_eq!(status, -2, "CPA_STATUS_RETRY: {reason}");
        assert!(reason.contains("idle for 4 s"), "{reason}");
        told += 1;
    }
    assert_eq!(told, 500);
    eprintln!(
        "500 idle connections: daemon RSS {} -> {} -> {} KiB, descriptors {} -> {} -> {}, \
         threads {} -> {} -> {}",
        before.rss_kib,
        during.rss_kib,
        after.rss_kib,
        before.fds,
        during.fds,
        after.fds,
        before.threads,
        during.threads,
        after.threads
    );
    // Still serving.
    status_and_compress_work(&d, &data);
}

/// With the default limits, 500 connections from one process: 64 are held,
/// the rest are refused, each told why (or, once one of the 64 has been
/// idle a second, it makes room, told so); the daemon logs a few refusals
/// and counts the rest; other processes are served.
#[test]
fn connections_beyond_the_per_process_limit_are_refused_with_the_reason() {
    raise_own_descriptor_limit();
    let d = Daemon::start("perpid", &[]);
    let tmp = TempDir::new("perpid-data");
    let data = tmp.write("in", &text_bytes(100_000, 3));
    let (held, told) = open_idle(&d.socket(), d.pid(), 500);
    assert_eq!((held.len(), told.len()), (64, 436));
    let me = std::process::id();
    let mut refused = 0;
    for (status, reason) in &told {
        match status {
            -3 => {
                refused += 1;
                assert!(
                    reason.starts_with(&format!(
                        "refused the connection: too many connections from pid {me} (limit 64)"
                    )) && reason.contains("--max-connections-per-pid"),
                    "{reason}"
                );
            }
            -2 => assert!(reason.contains("softqatd needed its place"), "{reason}"),
            _ => panic!("status {status}: {reason}"),
        }
    }
    assert!(refused > 0);
    status_and_compress_work(&d, &data);
    d.wait_log("more connections refused in the last");
    let logged = d
        .log()
        .lines()
        .filter(|l| l.contains("refused: too many connections from pid"))
        .count();
    assert!(
        (1..=50).contains(&logged),
        "{logged} refusals logged one by one"
    );
    drop(held);
}

/// A connection that holds memory (so it never gives way to a newcomer).
fn holding_connection(socket: &Path) -> (UnixStream, softqat_device::ipc::SharedMemory) {
    use softqat_device::proto::Request;
    let s = UnixStream::connect(socket).unwrap();
    let mem = softqat_device::ipc::SharedMemory::create("holder", 4096).unwrap();
    mem.seal_size().unwrap();
    let (k, body) = Request::MemRegister {
        iova: 0x10_0000,
        len: 4096,
    }
    .encode();
    proto::send(&s, k, &body, &[mem.fd()]).unwrap();
    let f = proto::recv(&s).unwrap();
    assert_eq!(f.kind, kind::OK);
    (s, mem)
}

/// The client reports the daemon's reason, not "broken pipe" or
/// "connection lost": `softqat status`, `softqat compress` and `softqat
/// down` refused for too many connections of the user.
#[test]
fn the_client_reports_the_daemons_refusal() {
    let d = Daemon::start("peruid", &["--max-connections-per-uid", "2"]);
    let tmp = TempDir::new("peruid-data");
    let data = tmp.write("in", &text_bytes(10_000, 5));
    // Two connections holding memory: they do not give way to newcomers.
    let a = holding_connection(&d.socket());
    let b = holding_connection(&d.socket());
    // SAFETY: getuid cannot fail.
    let uid = unsafe { libc::getuid() };
    let data_arg = data.display().to_string();
    for args in [
        &["status"][..],
        &["compress", &data_arg][..],
        &["down", "qat_dev0"][..],
    ] {
        let out = d.softqat(args);
        let err = text(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(
            err.contains(&format!(
                "softqatd refused the connection: too many connections from uid {uid} (limit 2)"
            )) && err.contains("--max-connections-per-uid"),
            "{args:?}: {err}"
        );
        for wrong in [
            "Broken pipe",
            "connection to softqatd",
            "is lost",
            "panicked",
        ] {
            assert!(!err.contains(wrong), "{args:?}: {err}");
        }
    }
    drop((a, b));
    // Room again.
    eventually("room again", Duration::from_secs(10), || {
        d.softqat(&["status"]).status.success()
    });
}

/// Issue 10, defect 4: with `ulimit -n 8` a managed client blamed the daemon
/// ("the peer sent more than 250 descriptors"); it now names its own limit
/// and the fix.
#[test]
fn a_client_short_of_descriptors_names_its_own_limit() {
    let d = Daemon::start("ulimit", &[]);
    let tmp = TempDir::new("ulimit-data");
    let data = tmp.write("in", &text_bytes(100_000, 9));
    let out = d.shell(&format!(
        // No redirection in the script: dash saves descriptors above 9 to
        // redirect, which a limit of 8 forbids.
        "ulimit -n 8 && exec \"$SOFTQAT\" compress {}",
        data.display()
    ));
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("this process could not take the descriptors")
            && err.contains("may have 8 (RLIMIT_NOFILE")
            && err.contains("ulimit -n 1024")
            && err.contains("CPA_STATUS_RESOURCE"),
        "{err}"
    );
    assert!(!err.contains("the peer sent more than"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // The daemon saw the client go, and serves others.
    d.wait_log("disconnected");
    assert!(d.softqat(&["status"]).status.success());
}

/// Issue 10, defect 6: a gzip whose ISIZE says 4 GiB failed in managed mode
/// with a RESOURCE error about --max-client-memory (the bounce buffer was
/// sized by the 4 GiB destination); it now fails as in embedded mode, with
/// the length error.
#[test]
fn managed_decompress_of_a_4gib_isize_reports_the_length_error() {
    let d = Daemon::start("isize", &[]);
    let tmp = TempDir::new("isize-data");
    // An empty deflate body, CRC 0, ISIZE 0xffffffff.
    let gz = tmp.write(
        "big.gz",
        &[
            0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 3, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
        ],
    );
    let gz = gz.display().to_string();
    let managed = d.softqat(&["decompress", &gz]);
    let embedded = Command::new(SOFTQAT)
        .args(["decompress", &gz])
        .env("SOFTQAT_MODE", "embedded")
        .output()
        .unwrap();
    for (mode, out) in [("managed", &managed), ("embedded", &embedded)] {
        let err = text(&out.stderr);
        assert!(!out.status.success(), "{mode}");
        assert!(
            err.contains("length mismatch (stream 4294967295, data 0)"),
            "{mode}: {err}"
        );
        assert!(!err.contains("max-client-memory"), "{mode}: {err}");
    }
    assert_eq!(text(&managed.stderr), text(&embedded.stderr));
}

/// A tool's control connection the daemon closed for being idle is replaced
/// without the caller noticing (the daemon lost no request).
#[test]
fn an_idle_control_connection_is_replaced() {
    let d = Daemon::start("idlectl", &["--idle-timeout", "0.2"]);
    let control = softqat_sal::managed::Control::connect(&d.run_dir()).unwrap();
    assert_eq!(control.status().unwrap().len(), 2);
    d.wait_log("(idle for 0.2 s, holding nothing)");
    assert_eq!(control.status().unwrap().len(), 2);
    assert_eq!(
        d.log()
            .lines()
            .filter(|l| l.contains("idle for 0.2 s"))
            .count(),
        1
    );
}

/// Issue 10's target, measured: `SOFTQAT_IDLE_CONNECTIONS` (default 10,000)
/// idle connections, first held (per-process limit lifted), then with the
/// default limits (from one process: 64 held, the rest refused). Prints the
/// daemon's RSS, descriptors and threads before, during and after, and the
/// time `softqat status` and `softqat compress` take meanwhile.
#[test]
#[ignore = "a measurement (20,000 descriptors, a minute): run with --ignored --nocapture"]
fn ten_thousand_idle_connections() {
    let n: usize = std::env::var("SOFTQAT_IDLE_CONNECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let limit = raise_own_descriptor_limit();
    assert!(
        limit as usize > n + 100,
        "this process may have {limit} descriptors; {n} connections need more: raise the hard \
         limit (ulimit -Hn) or set SOFTQAT_IDLE_CONNECTIONS lower"
    );
    let tmp = TempDir::new("idle10k-data");
    let data = tmp.write("in", &text_bytes(1 << 20, 11));
    for (label, args, rounds) in [
        (
            "held (per-uid and per-pid limits lifted)",
            &[
                "--max-connections-per-pid",
                "0",
                "--max-connections-per-uid",
                "0",
                "--idle-timeout",
                "30",
            ][..],
            2,
        ),
        ("default limits", &["--idle-timeout", "30"][..], 1),
    ] {
        let d = Daemon::start("idle10k", args);
        let before = usage(d.pid());
        for round in 1..=rounds {
            let t = Instant::now();
            let (held, refused) = open_idle(&d.socket(), d.pid(), n);
            let connect_time = t.elapsed();
            let held_count = held.len();
            let during = usage(d.pid());
            let (status_time, compress_time) = status_and_compress_work(&d, &data);
            let idle_close = Instant::now();
            eventually("idle connections closed", Duration::from_secs(120), || {
                usage(d.pid()).fds <= before.fds + 2
            });
            let reclaimed = usage(d.pid());
            let reclaim_time = idle_close.elapsed();
            drop(held);
            std::thread::sleep(Duration::from_millis(500));
            let after = usage(d.pid());
            status_and_compress_work(&d, &data);
            println!("--- {n} idle connections, {label}, round {round}");
            let made_room = refused.iter().filter(|(s, _)| *s == -2).count();
            println!(
                "    held {}, refused {}, closed to make room {} (connecting took {:.2} s)",
                held_count,
                refused.len() - made_room,
                made_room,
                connect_time.as_secs_f64()
            );
            for status in [-3, -2] {
                if let Some((_, reason)) = refused.iter().find(|(s, _)| *s == status) {
                    println!("    a client was told ({status}): {reason}");
                }
            }
            println!(
                "    softqat status {:.3} s, softqat compress|decompress of 1 MiB {:.3} s, \
                 meanwhile",
                status_time.as_secs_f64(),
                compress_time.as_secs_f64()
            );
            for (what, u) in [
                ("before", before),
                ("during", during),
                ("idle-closed", reclaimed),
                ("after", after),
            ] {
                println!(
                    "    daemon {what:>11}: VmRSS {:>7} KiB, descriptors {:>6}, threads {}",
                    u.rss_kib, u.fds, u.threads
                );
            }
            println!(
                "    the idle timeout closed them {:.1} s after the tools ran",
                reclaim_time.as_secs_f64()
            );
        }
    }
}

/// Issue 10, defect 6, at the API: synchronous calls on ordinary memory in
/// managed mode bounce through DMA memory sized by what the request can
/// write, not by the caller's destination. A 1 GiB destination for 8 MiB of
/// output works under a 64 MiB --max-client-memory, the most compressible
/// stream there is still fits its bounce buffer, and a request whose
/// possible output is beyond the limit says what to do.
#[test]
fn managed_bounce_buffers_are_sized_by_what_a_request_can_write() {
    use flate2::write::DeflateEncoder;
    use softqat_sal::{ChecksumType, DcOpData, DcSessionSetup, FlushFlag, Mode, Qat, StartOptions};
    use std::io::Write as _;

    let d = Daemon::start("bounce", &["--max-client-memory", "64M"]);
    let qat = Qat::start_with(
        "SSL",
        &StartOptions {
            mode: Mode::Managed,
            run_dir: Some(d.run_dir()),
            ..StartOptions::default()
        },
    )
    .unwrap();
    assert!(qat.is_managed());
    let inst = &qat.dc_instances()[0];
    let _ = inst.start();
    let session = inst
        .init_session(&DcSessionSetup {
            checksum: ChecksumType::Crc32,
            ..DcSessionSetup::default()
        })
        .unwrap();
    let op = DcOpData::new(FlushFlag::Final);
    let deflate = |data: &[u8]| {
        let mut e = DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    };

    // 8 MiB of zeros: about 1030:1, near deflate's limit.
    let zeros = vec![0u8; 8 << 20];
    let packed = deflate(&zeros);
    assert!(packed.len() < (8 << 20) / 1000, "{} bytes", packed.len());
    for dst_len in [8 << 20, 1 << 30] {
        let mut dst = vec![0u8; dst_len];
        let r = inst.decompress(&session, &packed, &mut dst, &op).unwrap();
        assert_eq!(
            (r.status, r.produced as usize, r.consumed as usize),
            (softqat_engine::DcStatus::Ok, zeros.len(), packed.len()),
            "into {dst_len} bytes"
        );
        assert!(dst[..zeros.len()].iter().all(|&b| b == 0));
        assert_eq!(r.checksum, crc32fast::hash(&zeros));
    }

    // Incompressible data (stored blocks): the output could in principle be
    // 1032 times the input, so into a 1 GiB destination the bounce buffer
    // would be 1 GiB: refused, saying what to do.
    let noise = common::random_bytes(1 << 20, 5);
    let packed = deflate(&noise);
    let mut dst = vec![0u8; 1 << 30];
    let err = inst
        .decompress(&session, &packed, &mut dst, &op)
        .unwrap_err();
    assert_eq!(err.status, softqat_sal::CpaStatus::Resource, "{err}");
    assert!(
        err.message.contains("bounce buffer")
            && err.message.contains("submit_*")
            && err.message.contains("--max-client-memory"),
        "{err}"
    );
    // With a destination of the data's size it just works.
    let mut dst = vec![0u8; noise.len()];
    let r = inst.decompress(&session, &packed, &mut dst, &op).unwrap();
    assert_eq!(r.produced as usize, noise.len());
    assert_eq!(dst, noise);
}
