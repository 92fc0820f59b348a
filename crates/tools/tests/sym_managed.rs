//! The symmetric service in managed mode: a client process (this test
//! binary re-run as a child) attached to a real `softqatd` runs AES-GCM and
//! AES-CBC + HMAC-SHA256 synchronously on plain slices (which travel through
//! the bounce buffers, AAD and separate digests included), asynchronously on
//! DMA buffers and lists, and on the data plane; every output must equal
//! what the same workload gives in embedded mode in this process. Public-key
//! requests go on the same instances' asym ring pairs.
//!
//! The daemon runs on a private run directory, so this test runs in
//! parallel with the others.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use softqat_sal::sym::{AlgChainOrder, CipherAlgorithm, CipherDirection, HashAlgorithm, HashMode};
use softqat_sal::{
    AsymCallback, AsymOp, BufferList, CipherSetup, ConfigSource, CpaStatus, CyInstance, DmaBuf,
    HashSetup, Mode, Qat, StartOptions, SymData, SymDpOp, SymOpData, SymRequest, SymSessionSetup,
};

const SOFTQAT: &str = env!("CARGO_BIN_EXE_softqat");

fn softqatd() -> PathBuf {
    let p = Path::new(SOFTQAT).with_file_name("softqatd");
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
    dir: PathBuf,
}

impl Daemon {
    fn start() -> Daemon {
        let dir = std::env::temp_dir().join(format!("softqat-symmt-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let log = std::fs::File::create(dir.join("softqatd.log")).unwrap();
        let child = Command::new(softqatd())
            .args(["--foreground", "--engines", "1", "--run-dir"])
            .arg(dir.join("run"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("spawn softqatd");
        let mut d = Daemon { child, dir };
        let pid = d.child.id().to_string();
        let socket = d.run_dir().join("softqatd.sock");
        let pid_file = d.run_dir().join("softqatd.pid");
        let deadline = Instant::now() + Duration::from_secs(20);
        while !socket.exists()
            || std::fs::read_to_string(&pid_file).map_or(true, |p| p.trim() != pid)
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
        self.dir.join("run")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("softqatd.log")).unwrap_or_default()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Deterministic bytes.
fn bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn list(data: &[u8], cuts: &[usize]) -> BufferList {
    let mut segs = Vec::new();
    let mut from = 0;
    for &to in cuts.iter().chain([data.len()].iter()) {
        segs.push(DmaBuf::from_slice(&data[from..to]));
        from = to;
    }
    BufferList::new(segs).unwrap()
}

fn poll_until(inst: &CyInstance, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out polling");
        if inst.poll(0).is_err() {
            inst.wait_for_response(Duration::from_millis(5));
        }
    }
}

/// The workload: every output (data, then digests and verify results),
/// in a fixed order.
fn sym_workload(qat: &Qat) -> Vec<Vec<u8>> {
    let inst = qat.cy_instances()[0].clone();
    inst.start().unwrap();
    let mut out: Vec<Vec<u8>> = Vec::new();
    let gkey = bytes(16, 1);
    let ckey = bytes(32, 2);
    let hkey = bytes(32, 3);
    let aad = bytes(20, 4);
    let gcm = |dir| SymSessionSetup::aead(CipherAlgorithm::AesGcm, &gkey, dir, 16, 20);
    let chain = |order, dir| {
        SymSessionSetup::chain(
            order,
            CipherSetup {
                algorithm: CipherAlgorithm::AesCbc,
                key: ckey.clone(),
                direction: dir,
            },
            HashSetup::new(HashAlgorithm::Sha256, HashMode::Auth, 32).with_auth_key(&hkey),
        )
    };

    // Synchronous on slices (bounce buffers in managed mode).
    let g_app = inst
        .init_sym_session(&gcm(CipherDirection::Encrypt).appended())
        .unwrap();
    let g_sep = inst
        .init_sym_session(&gcm(CipherDirection::Encrypt))
        .unwrap();
    let g_dec = inst
        .init_sym_session(&gcm(CipherDirection::Decrypt))
        .unwrap();
    let c_app = inst
        .init_sym_session(
            &chain(AlgChainOrder::CipherThenHash, CipherDirection::Encrypt).appended(),
        )
        .unwrap();
    let c_sep = inst
        .init_sym_session(&chain(
            AlgChainOrder::CipherThenHash,
            CipherDirection::Encrypt,
        ))
        .unwrap();
    let c_ver = inst
        .init_sym_session(
            &chain(AlgChainOrder::HashThenCipher, CipherDirection::Decrypt).verifying(),
        )
        .unwrap();
    for (i, n) in [0usize, 1, 16, 100, 1000, 4096].into_iter().enumerate() {
        let iv12 = bytes(12, 10 + i as u64);
        let iv16 = bytes(16, 20 + i as u64);
        let pt = bytes(n, 30 + i as u64);
        let mut b = [&pt[..], &[0u8; 16]].concat();
        inst.perform_in_place(
            &g_app,
            SymOpData::cipher(&iv12, 0, n as u32).aad(&aad),
            &mut b,
        )
        .unwrap();
        out.push(b);
        let mut tag = [0u8; 16];
        let mut o = vec![0u8; n];
        inst.perform(
            &g_sep,
            SymOpData::cipher(&iv12, 0, n as u32)
                .aad(&aad)
                .digest(&mut tag),
            &pt,
            &mut o,
        )
        .unwrap();
        out.push(o.clone());
        out.push(tag.to_vec());
        // Decrypt with the tag, and with a forged one.
        let mut back = vec![0u8; n];
        let r = inst
            .perform(
                &g_dec,
                SymOpData::cipher(&iv12, 0, n as u32)
                    .aad(&aad)
                    .digest(&mut tag),
                &o,
                &mut back,
            )
            .unwrap();
        assert!(r.verify_ok);
        assert_eq!(back, pt);
        tag[0] ^= 1;
        let r = inst
            .perform(
                &g_dec,
                SymOpData::cipher(&iv12, 0, n as u32)
                    .aad(&aad)
                    .digest(&mut tag),
                &o,
                &mut back,
            )
            .unwrap();
        out.push(vec![u8::from(r.verify_ok)]);
        // CBC + HMAC: header of 8, payload of whole blocks.
        let m = n / 16 * 16;
        let mut pkt = [&bytes(8, 40)[..], &pt[..m], &[0u8; 32]].concat();
        let op = || SymOpData::chain(&iv16, (8, m as u32), (0, 8 + m as u32));
        inst.perform_in_place(&c_app, op(), &mut pkt).unwrap();
        out.push(pkt.clone());
        let mut d = [0u8; 32];
        let src = pkt[..8 + m].to_vec();
        let mut o = vec![0u8; 8 + m];
        let plain = [&bytes(8, 40)[..], &pt[..m]].concat();
        inst.perform(&c_sep, op().digest(&mut d), &plain, &mut o)
            .unwrap();
        assert_eq!(o, src);
        assert_eq!(&d[..], &pkt[8 + m..]);
        out.push(d.to_vec());
        let r = inst
            .perform(&c_ver, op().digest(&mut d), &src, &mut o)
            .unwrap();
        assert!(r.verify_ok);
        assert_eq!(o, plain);
        // Lists in place, digest appended.
        let mut l = list(&[&plain[..], &[0u8; 32]].concat(), &[3, (8 + m) / 2 + 1]);
        inst.perform_lists(&c_app, op(), &mut l, None).unwrap();
        assert_eq!(l.to_vec(l.total_len()), pkt);
    }

    // Partial packets through the bounce buffers: a CBC + HMAC chain (the
    // cipher state carries over, a digest per packet) and a hash-only
    // sequence with its digest given with the last packet.
    let data = bytes(16 * 30, 60);
    let mut next_iv = bytes(16, 61);
    let hs = HashSetup::new(HashAlgorithm::Sha256, HashMode::Auth, 32).with_auth_key(&hkey);
    let hp = inst
        .init_sym_session(&SymSessionSetup::hash(hs.clone()))
        .unwrap();
    let mut d = [0u8; 32];
    for (j, (a, b)) in [(0usize, 128usize), (128, 320), (320, 480)]
        .into_iter()
        .enumerate()
    {
        let packet = if j == 2 {
            softqat_sal::sym::PacketType::LastPartial
        } else {
            softqat_sal::sym::PacketType::Partial
        };
        let n = (b - a) as u32;
        let mut pkt = [&data[a..b], &[0u8; 32]].concat();
        let op = SymOpData::chain(&next_iv, (0, n), (0, n)).packet(packet);
        let r = inst.perform_in_place(&c_app, op, &mut pkt).unwrap();
        next_iv = r.updated_iv().to_vec();
        out.push(pkt);
        let mut h = data[a..b].to_vec();
        let op = SymOpData::hash(0, n).packet(packet).digest(&mut d);
        inst.perform_in_place(&hp, op, &mut h).unwrap();
    }
    out.push(d.to_vec());

    // Out of place into a destination longer than the source: the bytes
    // past the source stay the caller's, as in embedded mode (regression:
    // managed mode copied back its whole bounce buffer, stale bytes of
    // earlier requests included).
    let ctr = inst
        .init_sym_session(&SymSessionSetup::cipher(
            CipherAlgorithm::AesCtr,
            &gkey,
            CipherDirection::Encrypt,
        ))
        .unwrap();
    let iv = bytes(16, 50);
    let big = bytes(3000, 51);
    let mut big_out = vec![0u8; 3000];
    inst.perform(&ctr, SymOpData::cipher(&iv, 0, 3000), &big, &mut big_out)
        .unwrap();
    let small = bytes(100, 52);
    let mut longer = vec![0xAAu8; 2000];
    inst.perform(&ctr, SymOpData::cipher(&iv, 10, 80), &small, &mut longer)
        .unwrap();
    assert!(
        longer[100..].iter().all(|&b| b == 0xAA),
        "the destination past the source was overwritten"
    );
    assert_eq!(&longer[..10], &small[..10]);
    out.push(longer);

    // Asynchronous on DMA buffers and lists.
    let done: Arc<Mutex<Vec<softqat_sal::SymCompletion>>> = Arc::default();
    let d1 = done.clone();
    let ga = inst
        .init_sym_session_async(&gcm(CipherDirection::Encrypt), move |c| {
            d1.lock().unwrap().push(c)
        })
        .unwrap();
    let d2 = done.clone();
    let ca = inst
        .init_sym_session_async(
            &chain(AlgChainOrder::CipherThenHash, CipherDirection::Encrypt).appended(),
            move |c| d2.lock().unwrap().push(c),
        )
        .unwrap();
    for i in 0..16u64 {
        let n = 64 * i as usize + 16;
        let pt = bytes(n, 100 + i);
        if i % 2 == 0 {
            let mut r = SymRequest::with_iv(&bytes(12, 200 + i)).cipher(0, n as u32);
            r.aad = Some(DmaBuf::from_slice(&aad));
            r.digest = Some(DmaBuf::new(16));
            let src = if i % 4 == 0 {
                SymData::Flat(DmaBuf::from_slice(&pt))
            } else {
                SymData::List(list(&pt, &[1, n / 2]))
            };
            let dst = (i % 8 == 0).then(|| SymData::Flat(DmaBuf::new(n)));
            inst.submit(&ga, r, src, dst, i).unwrap();
        } else {
            let r = SymRequest::with_iv(&bytes(16, 300 + i))
                .cipher(0, n as u32)
                .hash(0, n as u32);
            let buf = [&pt[..], &[0u8; 32]].concat();
            let src = if i % 4 == 1 {
                SymData::Flat(DmaBuf::from_slice(&buf))
            } else {
                SymData::List(list(&buf, &[n / 3 + 1]))
            };
            let dst = (i % 8 == 1).then(|| SymData::List(list(&vec![0u8; n + 32], &[5])));
            inst.submit(&ca, r, src, dst, i).unwrap();
        }
    }
    poll_until(&inst, || done.lock().unwrap().len() == 16);
    let mut got = std::mem::take(&mut *done.lock().unwrap());
    got.sort_by_key(|c| c.tag);
    for c in &got {
        assert_eq!(c.status, CpaStatus::Success);
        let data = match c.dst.as_ref().unwrap_or(&c.src) {
            SymData::Flat(b) => b.to_vec(),
            SymData::List(l) => l.to_vec(l.total_len()),
        };
        out.push(data);
        if let Some(d) = &c.request.digest {
            out.push(d.to_vec());
        }
    }

    // The data plane.
    let dp = inst
        .init_sym_dp_session(&gcm(CipherDirection::Encrypt).appended())
        .unwrap();
    let dp_done: Arc<Mutex<Vec<softqat_sal::SymDpCompletion>>> = Arc::default();
    let d3 = dp_done.clone();
    inst.sym_dp_register_callback(move |c| d3.lock().unwrap().push(c));
    let mut batch: Vec<SymDpOp> = (0..8u64)
        .map(|i| {
            let n = 100 * i as usize;
            let mut r = SymRequest::with_iv(&bytes(12, 400 + i)).cipher(0, n as u32);
            r.aad = Some(DmaBuf::from_slice(&aad));
            SymDpOp {
                session: dp.clone(),
                request: r,
                src: DmaBuf::from_slice(&[&bytes(n, 500 + i)[..], &[0u8; 16]].concat()),
                dst: None,
                tag: i,
            }
        })
        .collect();
    inst.sym_dp_enqueue_batch(&mut batch, true).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while dp_done.lock().unwrap().len() < 8 {
        assert!(Instant::now() < deadline, "DP timed out");
        if inst.dp_poll(0).is_err() {
            inst.wait_for_response(Duration::from_millis(5));
        }
    }
    let mut got = std::mem::take(&mut *dp_done.lock().unwrap());
    got.sort_by_key(|c| c.tag);
    for c in &got {
        assert_eq!(c.status, CpaStatus::Success);
        out.push(c.op.src.to_vec());
    }
    let st = inst.sym_stats();
    assert_eq!(st.num_sym_op_request_errors, 0, "{st:?}");
    assert_eq!(st.num_sym_op_completed_errors, 0, "{st:?}");
    assert_eq!(st.num_sym_op_verify_failures, 6, "{st:?}");
    out.extend(asym_workload(&inst));
    out
}

/// Public-key requests on the same instance's asym ring pair: 2048-bit
/// modular exponentiations (synchronous, and asynchronous with both rings
/// polled by the instance poll) and a prime test's outcome.
fn asym_workload(inst: &CyInstance) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut m = bytes(256, 41);
    m[255] |= 1;
    m[0] |= 0x80;
    for seed in 0..3u64 {
        let mut op = AsymOp::ln_mod_exp(&m, &bytes(256, 50 + seed), &bytes(32, 60 + seed)).unwrap();
        inst.asym_perform(&mut op).unwrap();
        out.push(op.output(0).to_vec());
    }
    type Tagged = Vec<(u64, Vec<u8>)>;
    let done: Arc<Mutex<Tagged>> = Arc::default();
    let d = done.clone();
    let cb: AsymCallback = Arc::new(move |c| {
        assert_eq!(c.results.status, CpaStatus::Success);
        d.lock().unwrap().push((c.tag, c.op.output(0).to_vec()));
    });
    for seed in 0..8u64 {
        let op = AsymOp::ln_mod_exp(&m, &bytes(256, 70 + seed), &bytes(64, 80 + seed)).unwrap();
        inst.asym_submit(op, seed, &cb).unwrap();
    }
    poll_until(inst, || done.lock().unwrap().len() == 8);
    let mut got = std::mem::take(&mut *done.lock().unwrap());
    got.sort_by_key(|g| g.0);
    out.extend(got.into_iter().map(|g| g.1));
    // 2^127 - 1 is prime; the outcome travels in the response.
    let mut mersenne = vec![0xffu8; 16];
    mersenne[0] = 0x7f;
    let mut w = vec![0u8; 64];
    w[63] = 3;
    let mut op = AsymOp::prime_test(&mersenne, true, true, 1, &w, true).unwrap();
    let r = inst.asym_perform(&mut op).unwrap();
    out.push(vec![u8::from(r.outcome)]);
    out
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The client role: runs the workload in managed mode and prints each
/// output. Does nothing unless the parent set `SOFTQAT_TEST_ROLE`.
#[test]
#[ignore = "run as a child process by the test of this file"]
fn sym_child() {
    let Ok(role) = std::env::var("SOFTQAT_TEST_ROLE") else {
        return;
    };
    assert_eq!(role, "sym");
    let opts = StartOptions {
        mode: Mode::Managed,
        ..StartOptions::default()
    };
    let qat = Qat::start_with("SYMMT", &opts).unwrap();
    println!(
        "SECTION {} managed={}",
        qat.section_name(),
        qat.is_managed()
    );
    for o in sym_workload(&qat) {
        println!("R:{}", to_hex(&o));
    }
    println!("OK");
}

#[test]
fn symmetric_requests_through_softqatd_equal_embedded_mode() {
    let d = Daemon::start();
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "sym_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("SOFTQAT_TEST_ROLE", "sym")
        .env("SOFTQAT_RUN_DIR", d.run_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut child = child;
    let reader = BufReader::new(child.stdout.take().unwrap());
    let mut managed = Vec::new();
    let mut section = String::new();
    let mut ok = false;
    for line in reader.lines() {
        let line = line.unwrap();
        let line = line.trim().trim_start_matches("test sym_child ... ");
        if let Some(r) = line.strip_prefix("R:") {
            managed.push(r.to_string());
        } else if line.starts_with("SECTION") {
            section = line.to_string();
        } else if line == "OK" {
            ok = true;
        }
    }
    let st = child.wait().unwrap();
    assert!(
        ok && st.success(),
        "the client failed ({st}); daemon log: {}",
        d.log()
    );
    assert!(section.ends_with("managed=true"), "{section}");

    // The same workload in embedded mode, in this process.
    let qat = Qat::start_with(
        "SYMEMB",
        &StartOptions {
            mode: Mode::Embedded,
            config: ConfigSource::Builtin,
            engine_threads: Some(1),
            ..StartOptions::default()
        },
    )
    .unwrap();
    assert!(!qat.is_managed());
    let embedded: Vec<String> = sym_workload(&qat).iter().map(|o| to_hex(o)).collect();
    assert_eq!(managed.len(), embedded.len(), "outputs");
    for (i, (m, e)) in managed.iter().zip(&embedded).enumerate() {
        assert_eq!(m, e, "output {i} differs between managed and embedded mode");
    }
}
