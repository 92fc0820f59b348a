//! Managed mode across processes: a real `softqatd` and several client
//! processes (this test binary, re-run as a child in a given role), the
//! `softqat` control verbs and the `adf_ctl` / `qat_service` names.
//!
//! Each test runs its own daemon on a private run directory, so tests run in
//! parallel without seeing each other.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use softqat_sal::{
    BufferList, CpaStatus, DcOpData, DcSessionSetup, DmaBuf, FlushFlag, InstanceEvent, Mode, Qat,
    StartOptions,
};

const SOFTQAT: &str = env!("CARGO_BIN_EXE_softqat");

/// `softqatd` is built by the manager crate into the same directory as
/// `softqat` (`cargo test --workspace` builds both before running tests).
fn softqatd() -> PathBuf {
    let p = Path::new(SOFTQAT).with_file_name("softqatd");
    assert!(
        p.exists(),
        "{} is missing: build it with cargo build -p softqat-manager (cargo test --workspace does)",
        p.display()
    );
    p
}

// ---------------------------------------------------------------- the daemon

struct Daemon {
    child: Option<Child>,
    dir: PathBuf,
}

fn unique_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "softqat-mt-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

impl Daemon {
    fn start(tag: &str, extra: &[&str]) -> Daemon {
        let dir = unique_dir(tag);
        let mut d = Daemon { child: None, dir };
        d.spawn(extra);
        d
    }

    fn run_dir(&self) -> PathBuf {
        self.dir.join("run")
    }

    fn spawn(&mut self, extra: &[&str]) {
        let log = std::fs::File::create(self.dir.join("softqatd.log")).unwrap();
        let child = Command::new(softqatd())
            .args(["--foreground", "--engines", "1", "--run-dir"])
            .arg(self.run_dir())
            .args(extra)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("spawn softqatd");
        let pid = child.id().to_string();
        self.child = Some(child);
        // Ready when its socket exists and its PID file names it (a killed
        // daemon leaves both behind).
        let socket = self.run_dir().join("softqatd.sock");
        let pid_file = self.run_dir().join("softqatd.pid");
        let deadline = Instant::now() + Duration::from_secs(20);
        while !socket.exists()
            || std::fs::read_to_string(&pid_file).map_or(true, |p| p.trim() != pid)
        {
            assert!(
                Instant::now() < deadline,
                "softqatd did not start: {}",
                self.log()
            );
            if let Some(st) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("softqatd exited ({st}): {}", self.log());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("softqatd.log")).unwrap_or_default()
    }

    /// SIGTERM, then the exit status.
    fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("running");
        signal(child.id(), "TERM");
        wait_timeout(&mut child, Duration::from_secs(20)).expect("softqatd exits on SIGTERM")
    }

    /// Runs `softqat ARGS` against this daemon.
    fn softqat(&self, args: &[&str]) -> std::process::Output {
        Command::new(SOFTQAT)
            .args(args)
            .env("SOFTQAT_RUN_DIR", self.run_dir())
            .output()
            .unwrap()
    }

    /// Sections the daemon hands out now, summed over endpoints' lines of
    /// its log is not reliable: count the clients' sections through status.
    fn sections_in_use(&self) -> u32 {
        let c = softqat_sal::managed::Control::connect(&self.run_dir());
        // The parent never holds sections, so a connection of its own is
        // harmless; but keep it per call (tests run in parallel).
        let list = c.and_then(|c| c.status()).expect("status");
        list.iter().map(|s| s.sections_in_use).max().unwrap_or(0)
    }

    fn child(&self, role: &str, name: &str) -> Client {
        Client::spawn(role, name, &self.run_dir())
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn signal(pid: u32, sig: &str) {
    let st = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(st.success(), "kill -{sig} {pid}");
}

fn wait_timeout(child: &mut Child, t: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + t;
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return Some(st);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

// --------------------------------------------------------------- the clients

/// A client process: this test binary running [`child`] in a role.
struct Client {
    child: Child,
    out: BufReader<ChildStdout>,
}

/// This test binary, set to run only [`child`] in `role`.
fn child_command(role: &str) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([
        "child",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("SOFTQAT_TEST_ROLE", role);
    c
}

impl Client {
    fn spawn(role: &str, name: &str, run_dir: &Path) -> Client {
        let mut child = child_command(role)
            .env("SOFTQAT_TEST_SECTION", name)
            .env("SOFTQAT_RUN_DIR", run_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let out = BufReader::new(child.stdout.take().unwrap());
        Client { child, out }
    }

    /// The next line the role printed (libtest's own lines skipped).
    fn line(&mut self) -> String {
        loop {
            let mut l = String::new();
            if self.out.read_line(&mut l).unwrap() == 0 {
                return String::new();
            }
            // libtest prints "test child ... " with no newline before the
            // role's first line.
            let l = l.trim().trim_start_matches("test child ... ");
            if [
                "SECTION", "OK", "ERR", "FLOODING", "EVENTS", "FAIL", "RETURNED",
            ]
            .iter()
            .any(|p| l.starts_with(p))
            {
                return l.to_string();
            }
        }
    }

    /// Tells a holding client to finish, and waits for it.
    fn finish(mut self) -> (String, bool) {
        drop(self.child.stdin.take());
        let mut rest = String::new();
        loop {
            let l = self.line();
            if l.is_empty() {
                break;
            }
            rest.push_str(&l);
            rest.push('\n');
        }
        let ok = wait_timeout(&mut self.child, Duration::from_secs(30))
            .expect("client exits")
            .success();
        (rest, ok)
    }

    fn kill9(mut self) {
        signal(self.child.id(), "KILL");
        let _ = self.child.wait();
    }
}

fn data(n: usize, seed: u32) -> Vec<u8> {
    let words = ["alpha ", "beta ", "gamma ", "delta ", "epsilon ", "zeta "];
    let mut v = Vec::with_capacity(n);
    let mut x = seed.wrapping_mul(2654435761).max(1);
    while v.len() < n {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        v.extend_from_slice(words[(x % 6) as usize].as_bytes());
    }
    v.truncate(n);
    v
}

fn managed_options() -> StartOptions {
    StartOptions {
        mode: Mode::Managed,
        ..StartOptions::default()
    }
}

/// A synchronous round trip and an asynchronous one; panics on a mismatch.
fn round_trips(qat: &Qat, seed: u32) {
    let inst = &qat.dc_instances()[0];
    let _ = inst.start();
    let sync = inst.init_session(&DcSessionSetup::default()).unwrap();
    let input = data(200_000, seed);
    let op = DcOpData::new(FlushFlag::Final);
    let mut comp = vec![0u8; softqat_sal::deflate_compress_bound(input.len())];
    let r = inst.compress(&sync, &input, &mut comp, &op).unwrap();
    assert_eq!(r.consumed as usize, input.len());
    let mut back = vec![0u8; input.len()];
    let d = inst
        .decompress(&sync, &comp[..r.produced as usize], &mut back, &op)
        .unwrap();
    assert_eq!(d.produced as usize, input.len());
    assert_eq!(back, input);
    assert_eq!(d.checksum, r.checksum);

    // Asynchronous, with DMA buffers from the registered pool.
    let got = Arc::new(Mutex::new(None));
    let g = got.clone();
    let asession = inst
        .init_session_async(&DcSessionSetup::default(), move |c| {
            *g.lock().unwrap() = Some((c.status, c.results, c.dst));
        })
        .unwrap();
    let src = DmaBuf::from_slice(&input);
    let dst = DmaBuf::new(comp.len());
    inst.submit_compress(&asession, src, dst, &op, 7).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while got.lock().unwrap().is_none() {
        assert!(Instant::now() < deadline);
        let _ = inst.poll(0);
        inst.wait_for_response(Duration::from_millis(5));
    }
    let (status, results, dst) = got.lock().unwrap().take().unwrap();
    assert_eq!(status, CpaStatus::Success);
    assert_eq!(
        &dst[..results.produced as usize],
        &comp[..r.produced as usize]
    );

    // Buffer lists through the daemon: the source in three segments, the
    // output across two; the same stream as the flat request, and back.
    let cut = |bytes: &[u8], at: &[usize]| {
        let mut segs = Vec::new();
        let mut from = 0;
        for &to in at.iter().chain([bytes.len()].iter()) {
            segs.push(DmaBuf::from_slice(&bytes[from..to]));
            from = to;
        }
        BufferList::new(segs).unwrap()
    };
    let mut lsrc = cut(&input, &[1, 90_000]);
    let mut ldst = BufferList::new(vec![DmaBuf::new(5000), DmaBuf::new(comp.len())]).unwrap();
    let lr = inst
        .compress_list(&sync, &mut lsrc, &mut ldst, &op)
        .unwrap();
    assert_eq!(lr.consumed as usize, input.len());
    assert_eq!(
        ldst.to_vec(lr.produced as usize),
        &comp[..r.produced as usize]
    );
    let mut csrc = cut(&comp[..r.produced as usize], &[100]);
    let mut cdst = BufferList::new(vec![DmaBuf::new(1000), DmaBuf::new(input.len())]).unwrap();
    let ld = inst
        .decompress_list(&sync, &mut csrc, &mut cdst, &op)
        .unwrap();
    assert_eq!(cdst.to_vec(ld.produced as usize), input);

    // Hash then compress through the daemon: synchronous on plain slices
    // (output and digest share one bounce buffer), asynchronous on DMA
    // buffers; the same stream as the plain request, the digest sha2's.
    use sha2::Digest;
    use softqat_sal::sym::HashAlgorithm;
    use softqat_sal::{DcChainHashSetup, DcChainOpData, DcChainSetup, SessionDirection};
    let chain = DcChainSetup::hash_then_compress(
        DcChainHashSetup::plain(HashAlgorithm::Sha256),
        DcSessionSetup {
            direction: SessionDirection::Compress,
            ..DcSessionSetup::default()
        },
    );
    let want = sha2::Sha256::digest(&input).to_vec();
    let cop = DcChainOpData::new(FlushFlag::Final);
    let cs = inst.init_chain_session(&chain).unwrap();
    let mut cout = vec![0u8; comp.len()];
    let mut digest = [0u8; 32];
    let cr = inst
        .chain_perform(&cs, &input, &mut cout, &mut digest, &cop)
        .unwrap();
    assert_eq!(&cout[..cr.produced as usize], &comp[..r.produced as usize]);
    assert_eq!(digest.to_vec(), want);
    let cgot = Arc::new(Mutex::new(None));
    let g = cgot.clone();
    let acs = inst
        .init_chain_session_async(&chain, move |c| {
            *g.lock().unwrap() = Some((c.status, c.results, c.dst, c.digest));
        })
        .unwrap();
    let submitted = inst.submit_chain(
        &acs,
        DmaBuf::from_slice(&input),
        DmaBuf::new(comp.len()),
        DmaBuf::new(32),
        &cop,
        9,
    );
    assert!(submitted.is_ok());
    let deadline = Instant::now() + Duration::from_secs(20);
    while cgot.lock().unwrap().is_none() {
        assert!(Instant::now() < deadline);
        let _ = inst.poll(0);
        inst.wait_for_response(Duration::from_millis(5));
    }
    let (status, cres, cdst, cdigest) = cgot.lock().unwrap().take().unwrap();
    assert_eq!(status, CpaStatus::Success);
    assert_eq!(
        &cdst[..cres.produced as usize],
        &comp[..r.produced as usize]
    );
    assert_eq!(cdigest[..].to_vec(), want);
}

/// The client roles. Not a test on its own: it does nothing unless a parent
/// set `SOFTQAT_TEST_ROLE`.
#[test]
#[ignore = "run as a child process by the tests of this file"]
fn child() {
    let Ok(role) = std::env::var("SOFTQAT_TEST_ROLE") else {
        return;
    };
    let name = std::env::var("SOFTQAT_TEST_SECTION").unwrap_or_else(|_| "SSL".into());
    let opts = match role.as_str() {
        "auto" => StartOptions::default(),
        _ => managed_options(),
    };
    let qat = match Qat::start_with(&name, &opts) {
        Ok(q) => q,
        Err(e) => {
            println!("ERR {} {}", e.status.code(), e.message);
            return;
        }
    };
    println!(
        "SECTION {} managed={}",
        qat.section_name(),
        qat.is_managed()
    );
    std::io::stdout().flush().unwrap();
    match role.as_str() {
        "roundtrip" | "auto" => {
            round_trips(&qat, 1);
            if role == "auto" {
                // A second start says nothing more.
                let again = Qat::start_with("OTHER", &opts).unwrap();
                round_trips(&again, 2);
            }
            println!("OK");
        }
        "hold" => {
            round_trips(&qat, 3);
            println!("OK holding");
            std::io::stdout().flush().unwrap();
            let mut s = String::new();
            while std::io::stdin().read_line(&mut s).unwrap_or(0) > 0 {}
            println!("OK released");
        }
        "flood" => {
            // Keep the ring full of large requests until killed.
            let inst = &qat.dc_instances()[0];
            inst.start().unwrap();
            let pool: Arc<Mutex<Vec<(DmaBuf, DmaBuf)>>> = Arc::new(Mutex::new(
                (0..16)
                    .map(|i| {
                        (
                            DmaBuf::from_slice(&data(1 << 20, i)),
                            DmaBuf::new(softqat_sal::deflate_compress_bound(1 << 20)),
                        )
                    })
                    .collect(),
            ));
            let p = pool.clone();
            let s = inst
                .init_session_async(
                    &DcSessionSetup {
                        comp_level: 9,
                        ..DcSessionSetup::default()
                    },
                    move |c| p.lock().unwrap().push((c.src, c.dst)),
                )
                .unwrap();
            let op = DcOpData::new(FlushFlag::Final);
            let mut said = false;
            loop {
                let next = pool.lock().unwrap().pop();
                if let Some((src, dst)) = next {
                    if let Err(r) = inst.submit_compress(&s, src, dst, &op, 0) {
                        pool.lock().unwrap().push((r.src, r.dst));
                    }
                } else if !said {
                    println!("FLOODING");
                    std::io::stdout().flush().unwrap();
                    said = true;
                }
                let _ = inst.poll(0);
                std::thread::sleep(Duration::from_micros(200));
            }
        }
        "events" => events_role(&qat),
        "blocked" => blocked_role(&qat),
        "survive" => survive_role(qat, &name),
        "epoll" => epoll_role(&qat),
        "idle" => idle_role(qat, &name),
        "dict" => dict_role(&qat),
        other => panic!("unknown role {other}"),
    }
}

/// Submits synchronous requests until the endpoint went through RESTARTING
/// and RESTARTED (driven by the parent), checking that every request either
/// succeeds or fails with a status; then checks the instance works again.
fn events_role(qat: &Qat) {
    let inst = &qat.dc_instances()[0];
    inst.start().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    inst.set_notification_callback(move |e| s2.lock().unwrap().push(e));
    let session = inst.init_session(&DcSessionSetup::default()).unwrap();
    let input = data(256 << 10, 9);
    let mut out = vec![0u8; softqat_sal::deflate_compress_bound(input.len())];
    let op = DcOpData::new(FlushFlag::Final);
    let (mut ok, mut failed) = (0u32, Vec::new());
    println!("OK ready");
    std::io::stdout().flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match inst.compress(&session, &input, &mut out, &op) {
            Ok(r) => {
                assert_eq!(r.consumed as usize, input.len());
                ok += 1;
            }
            Err(e) => {
                assert!(
                    matches!(
                        e.status,
                        CpaStatus::Fail | CpaStatus::Restarting | CpaStatus::Retry
                    ),
                    "{e}"
                );
                failed.push(e.status);
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        softqat_sal::poll_device_events();
        let s = seen.lock().unwrap().clone();
        if s.contains(&InstanceEvent::Restarted) {
            break;
        }
        if Instant::now() > deadline {
            println!("FAIL events {s:?}");
            return;
        }
    }
    // Up again: the same instance works.
    let r = inst.compress(&session, &input, &mut out, &op).unwrap();
    assert_eq!(r.consumed as usize, input.len());
    let s = seen.lock().unwrap().clone();
    let restarting = s
        .iter()
        .filter(|e| **e == InstanceEvent::Restarting)
        .count();
    let restarted = s.iter().filter(|e| **e == InstanceEvent::Restarted).count();
    println!(
        "EVENTS restarting={restarting} restarted={restarted} ok={ok} refused={}",
        failed.len()
    );
}

/// Holds a section until the daemon goes away (the parent kills it), checks
/// what the process sees then, and attaches again to the restarted daemon.
fn survive_role(qat: Qat, name: &str) {
    let inst = qat.dc_instances()[0].clone();
    inst.start().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    inst.set_notification_callback(move |e| s2.lock().unwrap().push(e));
    let session = inst.init_session(&DcSessionSetup::default()).unwrap();
    round_trips(&qat, 4);
    println!("OK attached");
    std::io::stdout().flush().unwrap();
    // Wait for the parent to kill the daemon.
    let deadline = Instant::now() + Duration::from_secs(30);
    while {
        softqat_sal::poll_device_events();
        !seen.lock().unwrap().contains(&InstanceEvent::FatalError)
    } {
        assert!(Instant::now() < deadline, "no FATAL_ERROR");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(!inst.is_up());
    let input = data(1000, 5);
    let mut out = vec![0u8; 2000];
    let e = inst
        .compress(&session, &input, &mut out, &DcOpData::new(FlushFlag::Final))
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::Fail, "{e}");
    assert!(e.message.contains("softqatd"), "{e}");
    println!("OK lost");
    std::io::stdout().flush().unwrap();
    drop(qat);
    // The parent restarts the daemon; this process finds it again.
    let deadline = Instant::now() + Duration::from_secs(30);
    let again = loop {
        match Qat::start_with(name, &managed_options()) {
            Ok(q) => break q,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("no daemon again: {e}"),
        }
    };
    round_trips(&again, 6);
    println!("OK again {}", again.section_name());
}

/// Gives its section back before touching any DMA memory, so its data
/// connection holds nothing; waits (for a line on stdin) while the daemon
/// closes that connection for being idle; then starts again, compresses and
/// asks for status as if nothing had happened.
fn idle_role(qat: Qat, name: &str) {
    drop(qat);
    println!("OK dropped");
    std::io::stdout().flush().unwrap();
    let mut s = String::new();
    std::io::stdin().read_line(&mut s).unwrap();
    let again = Qat::start_with(name, &managed_options()).unwrap();
    assert!(again.is_managed());
    round_trips(&again, 8);
    let run_dir = PathBuf::from(std::env::var_os("SOFTQAT_RUN_DIR").unwrap());
    let status = softqat_sal::managed::Control::connect(&run_dir)
        .and_then(|c| c.status())
        .unwrap();
    println!(
        "OK again {} endpoints={} sections={}",
        again.section_name(),
        status.len(),
        status.iter().map(|s| s.sections_in_use).max().unwrap_or(0)
    );
}

/// The epoll instance of the section: its fd (an eventfd the daemon signals)
/// is readable exactly while a response waits.
fn epoll_role(qat: &Qat) {
    let inst = qat
        .dc_instances()
        .iter()
        .find(|i| i.info().polling == softqat_sal::PollingMode::Epoll)
        .expect("an epoll instance")
        .clone();
    inst.start().unwrap();
    let fd = inst.file_descriptor().unwrap();
    let readable = |ms: i32| {
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one live pollfd for the call.
        unsafe { libc::poll(&mut p, 1, ms) == 1 }
    };
    assert!(!readable(0), "nothing waits yet");
    let got = Arc::new(Mutex::new(0u32));
    let g = got.clone();
    let s = inst
        .init_session_async(&DcSessionSetup::default(), move |c| {
            assert_eq!(c.status, CpaStatus::Success);
            *g.lock().unwrap() += 1;
        })
        .unwrap();
    let op = DcOpData::new(FlushFlag::Final);
    for round in 0..3 {
        let input = data(100_000, round);
        inst.submit_compress(
            &s,
            DmaBuf::from_slice(&input),
            DmaBuf::new(softqat_sal::deflate_compress_bound(input.len())),
            &op,
            u64::from(round),
        )
        .unwrap();
        assert!(
            readable(20_000),
            "the daemon's response makes the fd readable"
        );
        assert_eq!(inst.poll(0).unwrap(), 1);
        assert!(!readable(0), "drained: not readable");
    }
    assert_eq!(*got.lock().unwrap(), 3);
    inst.put_file_descriptor().unwrap();
    println!("OK epoll");
}

/// Dictionary requests through the daemon's 6xxx endpoint: the Rust API
/// on ordinary memory (the dictionary bounced with the source into DMA
/// memory) and the C ABI's route (addresses into the process's DMA memory),
/// each decoded again with the dictionary; the stream does not decode
/// without it.
fn dict_role(qat: &Qat) {
    use softqat_sal::{DcDictionary, DictSettings};
    let inst = &qat.dc_instances()[0];
    inst.start().unwrap();
    assert!(inst.capabilities().dictionary);
    let s = inst.init_session(&DcSessionSetup::default()).unwrap();
    let dict = data(40_000, 7);
    // Within the dictionary's last 32 KiB, the history a stream can reach.
    let input: Vec<u8> = dict[10_000..38_000].to_vec();
    let op = DcOpData::new(FlushFlag::Final);
    let mut comp = vec![0u8; softqat_sal::deflate_compress_bound(input.len())];
    let r = inst
        .compress_with_dict(&s, &input, &mut comp, &DcDictionary::new(&dict), &op)
        .unwrap();
    assert_eq!(r.status, softqat_sal::DcStatus::Ok);
    comp.truncate(r.produced as usize);
    let mut alone = vec![0u8; softqat_sal::deflate_compress_bound(input.len())];
    let without = inst.compress(&s, &input, &mut alone, &op).unwrap();
    assert!(
        comp.len() < without.produced as usize,
        "the input is all dictionary: {} with it, {} without",
        comp.len(),
        without.produced
    );
    let mut back = vec![0u8; input.len()];
    let d = inst
        .decompress_with_dict(&s, &comp, &mut back, &DcDictionary::new(&dict), &op)
        .unwrap();
    assert_eq!(
        (d.status, &back[..d.produced as usize]),
        (softqat_sal::DcStatus::Ok, &input[..])
    );
    // Foreign route: buffers and dictionary named by DMA address.
    let (src, dict_buf) = (DmaBuf::from_slice(&comp), DmaBuf::from_slice(&dict));
    let out = DmaBuf::new(input.len());
    // SAFETY: the three DMA buffers live (and are not otherwise used) for
    // the whole synchronous call.
    let (st, d) = unsafe {
        inst.call_foreign_with_dict(
            &s,
            false,
            softqat_sal::BufferDesc::flat(src.iova(), comp.len() as u32),
            softqat_sal::BufferDesc::flat(out.iova(), input.len() as u32),
            softqat_sal::BufferDesc::flat(dict_buf.iova(), dict.len() as u32),
            dict.len() as u64,
            &DictSettings::default(),
            &op,
        )
    }
    .unwrap();
    assert_eq!(
        (st, d.status),
        (CpaStatus::Success, softqat_sal::DcStatus::Ok)
    );
    assert_eq!(&out[..d.produced as usize], &input[..]);
    // Without the dictionary the stream's distances reach nowhere.
    let plain = inst.decompress(&s, &comp, &mut back, &op).unwrap();
    assert_ne!(plain.status, softqat_sal::DcStatus::Ok);
    println!("OK dict");
}

// ----------------------------------------------------------------- the tests

#[test]
fn dictionaries_work_in_managed_mode_on_a_6xxx_endpoint() {
    let dir = unique_dir("dictcfg");
    let conf =
        "[GENERAL]\nServicesEnabled = dc\nConfigVersion = 2\nDcNumConcurrentRequests = 64\n\n\
                [KERNEL]\nNumberCyInstances = 0\nNumberDcInstances = 0\n\n\
                [APP]\nNumberCyInstances = 0\nNumberDcInstances = 1\nNumProcesses = 1\n\
                LimitDevAccess = 0\n\
                Dc0Name = \"Dc0\"\nDc0IsPolled = 1\nDc0CoreAffinity = 0\n";
    std::fs::write(dir.join("6xxx_dev0.conf"), conf).unwrap();
    let d = Daemon::start("dict", &["--config", dir.to_str().unwrap()]);
    let mut c = d.child("dict", "APP");
    let l = c.line();
    assert!(l.starts_with("SECTION APP_INT_0 managed=true"), "{l}");
    assert_eq!(c.line(), "OK dict", "{}", d.log());
    assert!(c.finish().1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn several_processes_at_once_each_with_its_own_section() {
    let d = Daemon::start("multi", &[]);
    let mut clients: Vec<Client> = (0..3).map(|_| d.child("hold", "SSL")).collect();
    let mut names = Vec::new();
    for c in &mut clients {
        let l = c.line();
        assert!(l.starts_with("SECTION SSL_INT_"), "{l}");
        assert!(l.ends_with("managed=true"), "{l}");
        names.push(l.split_whitespace().nth(1).unwrap().to_string());
        assert_eq!(c.line(), "OK holding");
    }
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 3, "each process has a section of its own");
    assert_eq!(d.sections_in_use(), 3);
    for c in clients {
        let (rest, ok) = c.finish();
        assert!(ok && rest.contains("OK released"), "{rest}");
    }
    eventually("sections released", || d.sections_in_use() == 0);
}

#[test]
fn policy_exhaustion_is_a_resource_error_naming_the_limit() {
    let dir = unique_dir("policy");
    let file = dir.join("qat");
    std::fs::write(&file, "POLICY=16\nServicesEnabled=dc\n").unwrap();
    let d = Daemon::start("policy", &["--managed-file", file.to_str().unwrap()]);
    // 2 PFs × 16 VFs, 16 VFs per process: two sections.
    let mut a = d.child("hold", "SSL");
    let mut b = d.child("hold", "SSL");
    for c in [&mut a, &mut b] {
        assert!(c.line().starts_with("SECTION"));
        assert_eq!(c.line(), "OK holding");
    }
    let mut third = d.child("roundtrip", "SSL");
    let l = third.line();
    assert!(l.starts_with("ERR -3 "), "RESOURCE: {l}");
    assert!(l.contains("POLICY"), "names the limit: {l}");
    assert!(third.finish().1);
    // One holder exits: its section is free for the next process.
    assert!(a.finish().1);
    let mut fourth = d.child("roundtrip", "SSL");
    assert!(fourth.line().starts_with("SECTION"));
    assert_eq!(fourth.line(), "OK");
    assert!(fourth.finish().1);
    assert!(b.finish().1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_client_killed_mid_flight_is_cleaned_up_and_others_do_not_notice() {
    let d = Daemon::start("kill", &[]);
    let mut bystander = d.child("hold", "SSL");
    assert!(bystander.line().starts_with("SECTION"));
    assert_eq!(bystander.line(), "OK holding");
    let mut victim = d.child("flood", "SSL");
    assert!(victim.line().starts_with("SECTION"));
    assert_eq!(victim.line(), "FLOODING");
    assert_eq!(d.sections_in_use(), 2);
    victim.kill9();
    eventually("the killed client's section is reclaimed", || {
        d.sections_in_use() == 1
    });
    // The daemon and the other client carry on; a new client works.
    let mut next = d.child("roundtrip", "SSL");
    assert!(next.line().starts_with("SECTION"));
    assert_eq!(next.line(), "OK");
    assert!(next.finish().1);
    let (rest, ok) = bystander.finish();
    assert!(ok && rest.contains("OK released"), "{rest}");
    assert!(d.log().contains("disconnected"), "{}", d.log());
}

/// One synchronous compression, started while the parent keeps the
/// engines hung, so it blocks until the parent resets the endpoint; then
/// one more, which must succeed on the same instance and session.
fn blocked_role(qat: &Qat) {
    let inst = &qat.dc_instances()[0];
    inst.start().unwrap();
    let session = inst.init_session(&DcSessionSetup::default()).unwrap();
    let input = data(64 << 10, 3);
    let mut out = vec![0u8; softqat_sal::deflate_compress_bound(input.len())];
    let op = DcOpData::new(FlushFlag::Final);
    println!("OK calling");
    std::io::stdout().flush().unwrap();
    let t = Instant::now();
    let first = inst.compress(&session, &input, &mut out, &op);
    let status = first.as_ref().err().map(|e| e.status);
    println!("RETURNED {status:?} after {} ms", t.elapsed().as_millis());
    std::io::stdout().flush().unwrap();
    // Resubmitted after the reset, it is served.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match inst.compress(&session, &input, &mut out, &op) {
            Ok(r) if r.consumed as usize == input.len() => break,
            Ok(r) => panic!("consumed {} of {}", r.consumed, input.len()),
            Err(e) if Instant::now() < deadline => {
                assert!(
                    matches!(e.status, CpaStatus::Restarting | CpaStatus::Retry),
                    "{e}"
                );
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => panic!("{e}"),
        }
    }
    println!("OK served again");
}

#[test]
fn a_client_blocked_in_a_synchronous_call_returns_at_the_reset() {
    let d = Daemon::start("blocked", &["--heartbeat-period", "0"]);
    let hang = d.softqat(&["inject", "qat_dev1", "hang"]);
    assert!(
        hang.status.success(),
        "{}",
        String::from_utf8_lossy(&hang.stderr)
    );
    let mut c = d.child("blocked", "SSL");
    assert!(c.line().starts_with("SECTION"));
    assert_eq!(c.line(), "OK calling");
    // Long enough for the call to be queued behind the hung engines.
    std::thread::sleep(Duration::from_millis(300));
    let reset = d.softqat(&["reset", "qat_dev1"]);
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    let returned = c.line();
    assert!(
        returned.starts_with("RETURNED Some(Restarting)"),
        "the blocked call ends with RESTARTING at the reset: {returned}"
    );
    assert_eq!(c.line(), "OK served again");
    assert!(c.finish().1);
}

fn drive_restart(d: &Daemon, verbs: &[&[&str]]) -> String {
    let mut c = d.child("events", "SSL");
    assert!(c.line().starts_with("SECTION"));
    assert_eq!(c.line(), "OK ready");
    std::thread::sleep(Duration::from_millis(100));
    for args in verbs {
        let out = d.softqat(args);
        assert!(
            out.status.success(),
            "softqat {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let l = c.line();
    eprintln!("{verbs:?}: {l}");
    assert!(c.finish().1);
    l
}

#[test]
fn down_and_up_with_requests_in_flight() {
    let d = Daemon::start("downup", &[]);
    let l = drive_restart(&d, &[&["down", "qat_dev1"], &["up", "qat_dev1"]]);
    assert!(l.starts_with("EVENTS restarting=1 restarted=1"), "{l}");
    let st = d.softqat(&["status"]);
    let text = String::from_utf8_lossy(&st.stdout);
    assert!(
        text.contains("qat_dev1") && text.contains("state: up"),
        "{text}"
    );
}

#[test]
fn reset_with_requests_in_flight() {
    let d = Daemon::start("reset", &[]);
    let l = drive_restart(&d, &[&["reset", "qat_dev1"]]);
    assert!(l.starts_with("EVENTS restarting=1 restarted=1"), "{l}");
}

#[test]
fn adf_ctl_and_qat_service_names() {
    let d = Daemon::start("names", &[]);
    let bin = d.dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for name in ["adf_ctl", "qat_service"] {
        std::os::unix::fs::symlink(SOFTQAT, bin.join(name)).unwrap();
    }
    let run = |name: &str, args: &[&str]| {
        Command::new(bin.join(name))
            .args(args)
            .env("SOFTQAT_RUN_DIR", d.run_dir())
            .output()
            .unwrap()
    };
    let st = run("qat_service", &["status"]);
    let text = String::from_utf8_lossy(&st.stdout).to_string();
    assert!(st.status.success(), "{text}");
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("qat_dev0 - type: 4xxx") && text.contains("state: up"));

    let down = run("adf_ctl", &["qat_dev0", "down"]);
    assert!(
        down.status.success(),
        "{}",
        String::from_utf8_lossy(&down.stderr)
    );
    assert!(String::from_utf8_lossy(&down.stdout).contains("qat_dev0"));
    let st = String::from_utf8_lossy(&run("adf_ctl", &["status"]).stdout).to_string();
    assert!(st.contains("There is 2 QAT acceleration device(s)"), "{st}");
    let dev0 = st.lines().find(|l| l.contains("qat_dev0")).unwrap();
    assert!(dev0.ends_with("state: down"), "{st}");
    assert!(run("qat_service", &["start", "qat_dev0"]).status.success());
    let st = String::from_utf8_lossy(&run("qat_service", &["status"]).stdout).to_string();
    assert!(!st.contains("state: down"), "{st}");

    // Mistakes say what to do and fail.
    let bad = run("adf_ctl", &["qat_devX", "up"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("qat_dev<N>"));
    let bad = run("qat_service", &["frobnicate"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("usage"));
}

#[test]
fn daemon_restart_is_found_again_and_sigterm_is_clean() {
    let mut d = Daemon::start("restart", &[]);
    let mut c = d.child("roundtrip", "SSL");
    assert!(c.line().starts_with("SECTION"));
    assert_eq!(c.line(), "OK");
    assert!(c.finish().1);
    let st = d.terminate();
    assert!(st.success(), "clean exit on SIGTERM: {st}\n{}", d.log());
    assert!(!d.run_dir().join("softqatd.sock").exists());
    assert!(!d.run_dir().join("softqatd.pid").exists());
    d.spawn(&[]);
    let pid = std::fs::read_to_string(d.run_dir().join("softqatd.pid")).unwrap();
    assert_eq!(pid.trim(), d.child.as_ref().unwrap().id().to_string());
    let mut c = d.child("roundtrip", "SSL");
    assert!(c.line().starts_with("SECTION"));
    assert_eq!(c.line(), "OK");
    assert!(c.finish().1);
}

#[test]
fn without_a_daemon_a_process_falls_back_to_embedded_mode_saying_so_once() {
    let dir = unique_dir("fallback");
    let mut c = child_command("auto")
        .env("SOFTQAT_RUN_DIR", dir.join("nothing-here"))
        .env_remove("SOFTQAT_MODE")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&c.stdout).to_string();
    let err = String::from_utf8_lossy(&c.stderr).to_string();
    assert!(c.status.success(), "{out}\n{err}");
    assert!(
        out.contains("managed=false") && out.contains("\nOK"),
        "{out}"
    );
    assert_eq!(err.matches("embedded mode").count(), 1, "{err}");
    c.stdout.clear();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_attached_process_sees_the_daemon_die_and_finds_it_again() {
    let mut d = Daemon::start("survive", &[]);
    let mut c = d.child("survive", "SSL");
    assert!(c.line().starts_with("SECTION"));
    assert_eq!(c.line(), "OK attached");
    // The daemon is killed outright: no clean shutdown.
    let mut daemon = d.child.take().unwrap();
    let _ = daemon.kill();
    let _ = daemon.wait();
    assert_eq!(c.line(), "OK lost");
    // A stale socket file is left behind; the new daemon replaces it.
    d.spawn(&[]);
    let l = c.line();
    assert!(l.starts_with("OK again SSL_INT_"), "{l}");
    assert!(c.finish().1);
}

/// A process's data connection that the daemon closed for being idle
/// (CLOSING with RETRY: it held no section and no memory, so nothing was
/// lost) is replaced by the next `Qat::start`: the section, compression
/// and status all work, with no error and no second close for the new
/// connection while it holds its section.
#[test]
fn a_data_connection_closed_for_being_idle_is_replaced() {
    let d = Daemon::start("idledata", &["--idle-timeout", "0.3"]);
    let mut c = d.child("idle", "SSL");
    let l = c.line();
    assert!(
        l.starts_with("SECTION SSL_INT_") && l.ends_with("managed=true"),
        "{l}"
    );
    assert_eq!(c.line(), "OK dropped");
    let pid = c.child.id();
    let closed = format!("client pid {pid} ");
    eventually("the idle data connection closed", || {
        d.log()
            .lines()
            .any(|l| l.contains(&closed) && l.contains("(idle for 0.3 s, holding nothing)"))
    });
    writeln!(c.child.stdin.as_mut().unwrap()).unwrap();
    let l = c.line();
    assert!(
        l.starts_with("OK again SSL_INT_") && l.ends_with("endpoints=2 sections=1"),
        "{l}\n{}",
        d.log()
    );
    let (rest, ok) = c.finish();
    assert!(ok, "{rest}");
    let idle_closes = d
        .log()
        .lines()
        .filter(|l| l.contains(&closed) && l.contains("idle for"))
        .count();
    // The first data connection, and perhaps the status connection after
    // the child's last call; never the data connection holding a section.
    assert!((1..=2).contains(&idle_closes), "{}", d.log());
}

#[test]
fn epoll_instances_work_across_processes_with_endpoint_files() {
    let dir = unique_dir("epollcfg");
    let conf =
        "[GENERAL]\nServicesEnabled = dc\nConfigVersion = 2\nDcNumConcurrentRequests = 64\n\n\
                [KERNEL]\nNumberCyInstances = 0\nNumberDcInstances = 0\n\n\
                [APP]\nNumberCyInstances = 0\nNumberDcInstances = 2\nNumProcesses = 1\n\
                LimitDevAccess = 0\n\
                Dc0Name = \"Dc0\"\nDc0IsPolled = 1\nDc0CoreAffinity = 0\n\
                Dc1Name = \"Dc1\"\nDc1IsPolled = 2\nDc1CoreAffinity = 0\n";
    std::fs::write(dir.join("4xxx_dev0.conf"), conf).unwrap();
    let d = Daemon::start("epoll", &["--config", dir.to_str().unwrap()]);
    let mut c = d.child("epoll", "APP");
    let l = c.line();
    assert!(l.starts_with("SECTION APP_INT_0"), "{l}");
    assert_eq!(c.line(), "OK epoll");
    assert!(c.finish().1);
    // NumProcesses = 1 held across processes: while one holds APP, a second
    // is refused naming NumProcesses.
    let mut a = d.child("hold", "APP");
    assert!(a.line().starts_with("SECTION"));
    assert_eq!(a.line(), "OK holding");
    let mut b = d.child("roundtrip", "APP");
    let l = b.line();
    assert!(l.starts_with("ERR -3") && l.contains("NumProcesses"), "{l}");
    assert!(b.finish().1);
    assert!(a.finish().1);
    let _ = std::fs::remove_dir_all(dir);
}

/// `softqat check`, `inject` and `debug` against softqatd with a 200 ms
/// heartbeat monitor: an injected hang is found, the endpoint (built-in
/// configuration: no automatic reset) stays in error until `softqat reset`.
#[test]
fn ras_commands_act_on_the_daemons_endpoints() {
    let mut d = Daemon::start("ras", &["--heartbeat-period", "200"]);
    let out = d.softqat(&["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("qat_dev0: alive"), "{stdout}");

    let out = d.softqat(&["debug", "qat_dev0"]);
    let listing = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(listing.contains("heartbeat/inject_error") && listing.contains("fw_counters"));
    let out = d.softqat(&["debug", "qat_dev0", "fw_counters"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("AE         Requests       Responses"));
    let out = d.softqat(&["debug", "qat_dev0", "fw_counters", "1"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be written"));

    let out = d.softqat(&["inject", "qat_dev0", "meltdown"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("heartbeat, hang"));
    let out = d.softqat(&["inject", "qat_dev0", "hang"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("qat_dev0: injected hang"));

    // Found within a few periods; the check fails and says so.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let out = d.softqat(&["check", "qat_dev0"]);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        if stdout.contains("qat_dev0: unresponsive") {
            assert!(!out.status.success());
            break;
        }
        assert!(Instant::now() < deadline, "{stdout}\n{}", d.log());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        d.log().contains("qat_dev0: heartbeat failed"),
        "{}",
        d.log()
    );
    let dir = d.run_dir().join("debug/qat_4xxx_0000:6b:00.0");
    assert!(dir.join("fw_counters").exists(), "{}", dir.display());
    let deadline = Instant::now() + Duration::from_secs(5);
    while std::fs::read_to_string(dir.join("heartbeat/status")).unwrap_or_default() != "-1\n" {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(50));
    }

    // In error until reset.
    let out = d.softqat(&["reset", "qat_dev0"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = d.softqat(&["check", "qat_dev0"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("qat_dev0: alive"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(d.terminate().success());
    assert!(!d.run_dir().join("debug").exists());
}
