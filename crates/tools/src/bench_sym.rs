//! `softqat bench sym`: the symmetric stack against the raw engine (and the
//! raw engine against ring, the fastest AES-GCM on the machine), in one run.
//!
//! Each comparison runs its two sides in alternating slices (ten per side
//! per trial, [`crate::bench::interleaved`]): a trial's figures are the
//! medians of its slices and its ratio the median over adjacent pairs; the
//! printed figures are medians over trials. Beside them, the core-to-core
//! round trip sampled around the stack measurements: a stack request
//! crosses between the requester's core and the engine's, and on a virtual
//! machine that crossing can cost five times more from one second to the
//! next. Measurements:
//! - AES-128-GCM encryption of 4 KiB requests: ring, the raw engine
//!   (`AeadSession::seal`), and the stack (asynchronous in-place requests on
//!   one instance, tag appended, buffers in DMA memory);
//! - AES-128-CBC + HMAC-SHA256 (cipher then hash, digest appended) of 4 KiB
//!   requests: the raw engine (cipher then HMAC) and the stack;
//! - 64-byte AES-128-GCM requests through the data-plane API in batches of
//!   32: the raw engine and the stack, and the stack's cost per request
//!   (1/stack rate − 1/raw rate);
//! - with `--managed`, the 4 KiB GCM stack in embedded mode and attached to
//!   a private `softqatd`.
//!
//! Every stack response is checked (status, verify result, and before the
//! timing a decryption round trip), so a broken path cannot post a figure.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use softqat_engine::sym::aead::{AeadAlgorithm, AeadSession};
use softqat_engine::sym::cipher::{CipherAlgorithm as EngineCipher, CipherSession, Direction};
use softqat_engine::sym::hash::{HashAlgorithm as EngineHash, HashSession};
use softqat_sal::runtime::Mode;
use softqat_sal::sym::{AlgChainOrder, CipherAlgorithm, CipherDirection, HashAlgorithm, HashMode};
use softqat_sal::{
    CipherSetup, ConfigSource, CpaStatus, CyInstance, DmaBuf, HashSetup, Qat, StartOptions,
    SymData, SymDpOp, SymRequest, SymSessionSetup,
};

use crate::bench::{core_round_trip_ns, interleaved, PollPacer, Trials, PAIR_SLICES};

/// Options of a run.
#[derive(Clone, Debug)]
pub struct SymBenchOptions {
    /// Engine threads of the endpoint (the raw engine runs on one thread).
    pub engines: usize,
    /// Seconds per measurement.
    pub seconds: f64,
    /// Trials (medians reported).
    pub trials: usize,
    /// Also measure managed mode against embedded mode.
    pub managed: bool,
}

/// Figures of a run: MB/s, ratios, nanoseconds.
#[derive(Clone, Debug, Default)]
pub struct SymFigures {
    /// ring AES-128-GCM seal, 4 KiB.
    pub ring_gcm: f64,
    /// Raw engine AES-128-GCM, 4 KiB.
    pub raw_gcm: f64,
    /// Stack AES-128-GCM, 4 KiB.
    pub stack_gcm: f64,
    /// Raw engine AES-128-CBC + HMAC-SHA256, 4 KiB.
    pub raw_chain: f64,
    /// Stack AES-128-CBC + HMAC-SHA256, 4 KiB.
    pub stack_chain: f64,
    /// Raw engine AES-128-GCM, 64-byte requests, requests per second.
    pub raw_gcm64_rps: f64,
    /// Stack AES-128-GCM through the DP API, 64-byte requests in batches
    /// of 32, requests per second.
    pub dp_gcm64_rps: f64,
    /// Median of per-trial stack / raw, GCM 4 KiB.
    pub stack_over_raw_gcm: f64,
    /// Median of per-trial raw / ring, GCM 4 KiB.
    pub raw_over_ring_gcm: f64,
    /// Median of per-trial stack / raw, chain 4 KiB.
    pub stack_over_raw_chain: f64,
    /// Median of per-trial 1/stack − 1/raw, 64-byte DP GCM, ns per request.
    pub dp_overhead_ns: f64,
    /// Managed-mode stack AES-128-GCM 4 KiB (with `--managed`).
    pub managed_gcm: Option<f64>,
    /// Embedded stack AES-128-GCM 4 KiB measured beside it.
    pub embedded_gcm: Option<f64>,
    /// Median of per-trial managed / embedded.
    pub managed_over_embedded: Option<f64>,
    /// The core-to-core round trip, ns, sampled around each stack
    /// measurement: (lowest, median, highest) — the machine's state the
    /// stack's figures depend on ([`crate::bench::core_round_trip_ns`]).
    pub round_trip_ns: Option<(f64, f64, f64)>,
}

const SIZE: usize = 4096;
/// Round trips per core-to-core sample (about 2 to 10 ms).
const ROUND_TRIPS: u64 = 20_000;
const SMALL: usize = 64;
const TAG: usize = 16;
const KEY: [u8; 16] = *b"softqat bench k1";
const HMAC_KEY: [u8; 32] = *b"softqat bench hmac key, 32 bytes";
const IV: [u8; 16] = *b"0123456789abcdef";

fn mbps(bytes: u64, t: Duration) -> f64 {
    bytes as f64 / t.as_secs_f64() / 1e6
}

/// Runs `op` on one thread until `seconds` pass: operations per second.
fn timed(seconds: f64, mut op: impl FnMut()) -> f64 {
    let limit = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < limit {
        for _ in 0..16 {
            op();
        }
        n += 16;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn ring_gcm(seconds: f64, size: usize) -> Result<f64, String> {
    use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_128_GCM};
    let key = LessSafeKey::new(UnboundKey::new(&AES_128_GCM, &KEY).map_err(|_| "ring key")?);
    let mut data = vec![7u8; size];
    let rate = timed(seconds, || {
        let nonce = Nonce::assume_unique_for_key(IV[..12].try_into().unwrap_or([0; 12]));
        let tag = key.seal_in_place_separate_tag(nonce, Aad::empty(), &mut data);
        std::hint::black_box(&tag);
    });
    Ok(rate * size as f64 / 1e6)
}

fn raw_gcm_rate(seconds: f64, size: usize) -> Result<f64, String> {
    let s = AeadSession::new(AeadAlgorithm::AesGcm, &KEY, TAG).map_err(|e| e.to_string())?;
    let mut data = vec![7u8; size];
    let mut tag = [0u8; TAG];
    let mut failed = false;
    let rate = timed(seconds, || {
        failed |= s.seal(&IV[..12], &[], &mut data, &mut tag).is_err();
    });
    if failed {
        return Err("the engine refused a GCM request".into());
    }
    Ok(rate)
}

fn raw_chain(seconds: f64) -> Result<f64, String> {
    let c = CipherSession::new(EngineCipher::AesCbc, &KEY, Direction::Encrypt)
        .map_err(|e| e.to_string())?;
    let h = HashSession::hmac(EngineHash::Sha256, &HMAC_KEY).map_err(|e| e.to_string())?;
    let mut data = vec![7u8; SIZE];
    let mut d = [0u8; 32];
    let mut failed = false;
    let rate = timed(seconds, || {
        failed |= c.apply(&IV, &mut data).is_err();
        failed |= h.digest(&data, &mut d).is_err();
    });
    if failed {
        return Err("the engine refused a CBC + HMAC request".into());
    }
    Ok(rate * SIZE as f64 / 1e6)
}

pub(crate) fn gcm_setup(dir: CipherDirection) -> SymSessionSetup {
    SymSessionSetup::aead(CipherAlgorithm::AesGcm, &KEY, dir, TAG as u32, 0).appended()
}

fn chain_setup() -> SymSessionSetup {
    SymSessionSetup::chain(
        AlgChainOrder::CipherThenHash,
        CipherSetup {
            algorithm: CipherAlgorithm::AesCbc,
            key: KEY.to_vec(),
            direction: CipherDirection::Encrypt,
        },
        HashSetup::new(HashAlgorithm::Sha256, HashMode::Auth, 32).with_auth_key(&HMAC_KEY),
    )
    .appended()
}

/// The stack with `depth` asynchronous in-place requests in flight on
/// `inst` (session `setup`), cycling through request sizes `sizes` (each
/// buffer `digest` bytes longer, for an appended digest), each resubmitted
/// as it completes, for `seconds`: MB/s of request payload.
pub(crate) fn stack_rate(
    inst: &CyInstance,
    setup: &SymSessionSetup,
    request: impl Fn(usize) -> SymRequest,
    sizes: &[usize],
    digest: usize,
    depth: usize,
    seconds: f64,
) -> Result<f64, String> {
    let max = sizes.iter().copied().max().unwrap_or(0) + digest;
    let pool: Arc<Mutex<Vec<DmaBuf>>> = Arc::new(Mutex::new(
        (0..depth)
            .map(|_| DmaBuf::try_from_slice(&vec![7u8; max]))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?,
    ));
    let bytes = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let session = {
        let (pool, bytes, failures) = (pool.clone(), bytes.clone(), failures.clone());
        inst.init_sym_session_async(setup, move |done| {
            if done.status == CpaStatus::Success && done.results.verify_ok {
                let n = done.request.cipher_len.max(done.request.hash_len);
                bytes.fetch_add(u64::from(n), Ordering::Relaxed);
            } else {
                failures.fetch_add(1, Ordering::Relaxed);
            }
            if let SymData::Flat(b) = done.src {
                pool.lock().unwrap_or_else(|e| e.into_inner()).push(b);
            }
        })
        .map_err(|e| e.to_string())?
    };
    let mut pacer = PollPacer::new(inst.endpoint().engine_threads());
    let limit = Duration::from_secs_f64(seconds);
    let mut next = 0usize;
    let start = Instant::now();
    loop {
        let running = start.elapsed() < limit;
        if running {
            while let Some(mut b) = pool.lock().unwrap_or_else(|e| e.into_inner()).pop() {
                let size = sizes[next % sizes.len()];
                b.set_len(size + digest);
                if let Err(rej) = inst.submit(&session, request(size), SymData::Flat(b), None, 0) {
                    if rej.error.status != CpaStatus::Retry {
                        return Err(rej.error.to_string());
                    }
                    if let SymData::Flat(b) = rej.src {
                        pool.lock().unwrap_or_else(|e| e.into_inner()).push(b);
                    }
                    break;
                }
                next += 1;
            }
        }
        let polled = inst.poll(0).unwrap_or(0);
        if !running && inst.in_flight() == 0 {
            break;
        }
        pacer.after_poll(polled, |t| inst.wait_for_response(t));
    }
    let elapsed = start.elapsed();
    let failed = failures.load(Ordering::Relaxed);
    if failed != 0 {
        return Err(format!("{failed} stack requests failed"));
    }
    Ok(mbps(bytes.load(Ordering::Relaxed), elapsed))
}

pub(crate) fn gcm_request(n: usize) -> SymRequest {
    SymRequest::with_iv(&IV[..12]).cipher(0, n as u32)
}

fn chain_request(n: usize) -> SymRequest {
    SymRequest::with_iv(&IV)
        .cipher(0, n as u32)
        .hash(0, n as u32)
}

/// Requests through the data plane on `inst` (session `setup`): batches of
/// 32 enqueued and sent together, 4 batches in flight, cycling through
/// `sizes` (buffers `digest` bytes longer); (requests/s, MB/s of payload).
pub(crate) fn dp_rate(
    inst: &CyInstance,
    setup: &SymSessionSetup,
    request: impl Fn(usize) -> SymRequest,
    sizes: &[usize],
    digest: usize,
    seconds: f64,
) -> Result<(f64, f64), String> {
    const BATCH: usize = 32;
    let batches = 4;
    let session = inst.init_sym_dp_session(setup).map_err(|e| e.to_string())?;
    let done_ops: Arc<Mutex<Vec<SymDpOp>>> = Arc::new(Mutex::new(Vec::new()));
    let completed = Arc::new(AtomicU64::new(0));
    let bytes = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    {
        let (done_ops, completed, bytes, failures) = (
            done_ops.clone(),
            completed.clone(),
            bytes.clone(),
            failures.clone(),
        );
        inst.sym_dp_register_callback(move |c| {
            if c.status == CpaStatus::Success && c.results.verify_ok {
                completed.fetch_add(1, Ordering::Relaxed);
                let n = c.op.request.cipher_len.max(c.op.request.hash_len);
                bytes.fetch_add(u64::from(n), Ordering::Relaxed);
            } else {
                failures.fetch_add(1, Ordering::Relaxed);
            }
            done_ops
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(c.op);
        });
    }
    let max = sizes.iter().copied().max().unwrap_or(0) + digest;
    let mut free: Vec<SymDpOp> = (0..BATCH * batches)
        .map(|i| {
            Ok(SymDpOp {
                session: session.clone(),
                request: request(sizes[0]),
                src: DmaBuf::try_from_slice(&vec![7u8; max])?,
                dst: None,
                tag: i as u64,
            })
        })
        .collect::<Result<_, softqat_sal::Error>>()
        .map_err(|e| e.to_string())?;
    let mut batch: Vec<SymDpOp> = Vec::with_capacity(BATCH);
    let mut next = 0usize;
    let limit = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    loop {
        let running = start.elapsed() < limit;
        {
            let mut back = done_ops.lock().unwrap_or_else(|e| e.into_inner());
            free.append(&mut back);
        }
        while running && free.len() >= BATCH {
            for mut op in free.drain(free.len() - BATCH..) {
                let size = sizes[next % sizes.len()];
                next += 1;
                op.request = request(size);
                op.src.set_len(size + digest);
                batch.push(op);
            }
            if let Err(e) = inst.sym_dp_enqueue_batch(&mut batch, true) {
                if e.status != CpaStatus::Retry {
                    return Err(e.to_string());
                }
                free.append(&mut batch);
                break;
            }
        }
        let _ = inst.dp_poll(0);
        if !running && inst.in_flight() == 0 {
            break;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let failed = failures.load(Ordering::Relaxed);
    if failed != 0 {
        return Err(format!("{failed} data-plane requests failed"));
    }
    Ok((
        completed.load(Ordering::Relaxed) as f64 / elapsed,
        bytes.load(Ordering::Relaxed) as f64 / elapsed / 1e6,
    ))
}

/// A round trip through `inst` before timing: what the stack encrypts, the
/// stack decrypts and verifies, and the engine agrees with.
fn check_round_trip(inst: &CyInstance) -> Result<(), String> {
    let enc = inst
        .init_sym_session(&gcm_setup(CipherDirection::Encrypt))
        .map_err(|e| e.to_string())?;
    let dec = inst
        .init_sym_session(&gcm_setup(CipherDirection::Decrypt))
        .map_err(|e| e.to_string())?;
    let plain: Vec<u8> = (0..SIZE).map(|i| (i * 31 % 251) as u8).collect();
    let mut buf = plain.clone();
    buf.resize(SIZE + TAG, 0);
    let op = || softqat_sal::SymOpData::cipher(&IV[..12], 0, SIZE as u32);
    inst.perform_in_place(&enc, op(), &mut buf)
        .map_err(|e| e.to_string())?;
    let s = AeadSession::new(AeadAlgorithm::AesGcm, &KEY, TAG).map_err(|e| e.to_string())?;
    let mut want = plain.clone();
    let mut tag = [0u8; TAG];
    s.seal(&IV[..12], &[], &mut want, &mut tag)
        .map_err(|e| e.to_string())?;
    if buf[..SIZE] != want[..] || buf[SIZE..] != tag[..] {
        return Err("the stack's AES-GCM output differs from the engine's".into());
    }
    let r = inst
        .perform_in_place(&dec, op(), &mut buf)
        .map_err(|e| e.to_string())?;
    if !r.verify_ok || buf[..SIZE] != plain[..] {
        return Err("the stack's AES-GCM round trip failed".into());
    }
    Ok(())
}

fn start(engines: usize, mode: Mode, run_dir: Option<std::path::PathBuf>) -> Result<Qat, String> {
    Qat::start_with(
        "BENCH",
        &StartOptions {
            config: if mode == Mode::Managed {
                ConfigSource::Auto
            } else {
                ConfigSource::Builtin
            },
            mode,
            run_dir,
            engine_threads: Some(engines),
        },
    )
    .map_err(|e| e.to_string())
}

fn first_cy(qat: &Qat) -> Result<CyInstance, String> {
    let inst = qat
        .cy_instances()
        .first()
        .ok_or("the configuration has no crypto instance with a symmetric ring")?
        .clone();
    inst.start().map_err(|e| e.to_string())?;
    Ok(inst)
}

/// Runs the benchmark.
pub fn run(o: &SymBenchOptions) -> Result<SymFigures, String> {
    let qat = start(o.engines, Mode::Embedded, None)?;
    let inst = first_cy(&qat)?;
    check_round_trip(&inst)?;
    // 32 asynchronous requests in flight per engine thread: a small part of
    // a crypto instance's ring (CyNumConcurrentSymRequests, 512 by
    // default), deep enough that an engine claims eight at a time and finds
    // the next ones already published (see the engine's CLAIM).
    let depth = 32 * o.engines;
    let secs = o.seconds;
    let mut t = Trials::<11>::default();
    let mut round_trips: Vec<f64> = Vec::new();
    for _ in 0..o.trials.max(1) {
        let ring_pair = interleaved(
            secs,
            PAIR_SLICES,
            |s| ring_gcm(s, SIZE),
            |s| Ok(raw_gcm_rate(s, SIZE)? * SIZE as f64 / 1e6),
        )?;
        let gcm = gcm_setup(CipherDirection::Encrypt);
        round_trips.extend(core_round_trip_ns(ROUND_TRIPS));
        let gcm_pair = interleaved(
            secs,
            PAIR_SLICES,
            |s| Ok(raw_gcm_rate(s, SIZE)? * SIZE as f64 / 1e6),
            |s| stack_rate(&inst, &gcm, gcm_request, &[SIZE], TAG, depth, s),
        )?;
        round_trips.extend(core_round_trip_ns(ROUND_TRIPS));
        let chain = chain_setup();
        let chain_pair = interleaved(secs, PAIR_SLICES, raw_chain, |s| {
            stack_rate(&inst, &chain, chain_request, &[SIZE], 32, depth, s)
        })?;
        let dp_pair = interleaved(
            secs,
            PAIR_SLICES,
            |s| raw_gcm_rate(s, SMALL),
            |s| Ok(dp_rate(&inst, &gcm, gcm_request, &[SMALL], TAG, s)?.0),
        )?;
        t.push(&[
            ring_pair.a(),
            gcm_pair.a(),
            gcm_pair.b(),
            chain_pair.a(),
            chain_pair.b(),
            dp_pair.a(),
            dp_pair.b(),
            gcm_pair.ratio(),
            ring_pair.ratio(),
            chain_pair.ratio(),
            // The per-request overhead from each pair of adjacent slices.
            dp_pair.median_of(|raw, stack| (1.0 / stack - 1.0 / raw) * 1e9),
        ]);
    }
    let m = t.medians();
    let mut f = SymFigures {
        ring_gcm: m[0],
        raw_gcm: m[1],
        stack_gcm: m[2],
        raw_chain: m[3],
        stack_chain: m[4],
        raw_gcm64_rps: m[5],
        dp_gcm64_rps: m[6],
        stack_over_raw_gcm: m[7],
        raw_over_ring_gcm: m[8],
        stack_over_raw_chain: m[9],
        dp_overhead_ns: m[10],
        round_trip_ns: spread(round_trips),
        ..SymFigures::default()
    };
    drop(inst);
    drop(qat);
    if o.managed {
        let daemon = crate::bench_managed::PrivateDaemon::start(o.engines)?;
        let managed = start(
            o.engines,
            Mode::Managed,
            Some(daemon.run_dir().to_path_buf()),
        )?;
        let m_inst = first_cy(&managed)?;
        check_round_trip(&m_inst)?;
        let embedded = start(o.engines, Mode::Embedded, None)?;
        let e_inst = first_cy(&embedded)?;
        let mut mt = Trials::<3>::default();
        for _ in 0..o.trials.max(1) {
            let setup = gcm_setup(CipherDirection::Encrypt);
            let pair = interleaved(
                secs,
                PAIR_SLICES,
                |s| stack_rate(&e_inst, &setup, gcm_request, &[SIZE], TAG, depth, s),
                |s| stack_rate(&m_inst, &setup, gcm_request, &[SIZE], TAG, depth, s),
            )?;
            mt.push(&[pair.a(), pair.b(), pair.ratio()]);
        }
        let [e, m, r] = mt.medians();
        f.embedded_gcm = Some(e);
        f.managed_gcm = Some(m);
        f.managed_over_embedded = Some(r);
    }
    Ok(f)
}

/// (lowest, median, highest) of `v`; None if empty.
fn spread(mut v: Vec<f64>) -> Option<(f64, f64, f64)> {
    v.sort_by(f64::total_cmp);
    Some((*v.first()?, v[v.len() / 2], *v.last()?))
}

/// The figures as a table for people.
pub fn table(o: &SymBenchOptions, f: &SymFigures) -> String {
    let mut s = format!(
        "softqat bench sym: {} engine thread(s), one instance, medians of {} trials\n\n",
        o.engines,
        o.trials.max(1)
    );
    s.push_str(&format!("{:<52}{:>14}\n", "", "MB/s"));
    let mut row = |name: &str, v: f64| s.push_str(&format!("{name:<52}{v:>14.1}\n"));
    row("AES-128-GCM 4 KiB, ring (fastest Rust)", f.ring_gcm);
    row("AES-128-GCM 4 KiB, raw engine", f.raw_gcm);
    row("AES-128-GCM 4 KiB, stack (async, in place)", f.stack_gcm);
    row("AES-128-CBC + HMAC-SHA256 4 KiB, raw engine", f.raw_chain);
    row("AES-128-CBC + HMAC-SHA256 4 KiB, stack", f.stack_chain);
    s.push_str(&format!("\n{:<52}{:>14}\n", "", "requests/s"));
    s.push_str(&format!(
        "{:<52}{:>14.0}\n",
        "AES-128-GCM 64 B, raw engine", f.raw_gcm64_rps
    ));
    s.push_str(&format!(
        "{:<52}{:>14.0}\n",
        "AES-128-GCM 64 B, stack (data plane, batches of 32)", f.dp_gcm64_rps
    ));
    s.push('\n');
    let mut ratio = |name: &str, v: f64| s.push_str(&format!("{name:<52}{v:>14.3}\n"));
    ratio(
        "stack / raw engine, AES-128-GCM 4 KiB",
        f.stack_over_raw_gcm,
    );
    ratio("raw engine / ring, AES-128-GCM 4 KiB", f.raw_over_ring_gcm);
    ratio(
        "stack / raw engine, CBC + HMAC-SHA256 4 KiB",
        f.stack_over_raw_chain,
    );
    s.push_str(&format!(
        "{:<52}{:>14.1}\n",
        "stack cost per 64 B DP request, ns (1/stack - 1/raw)", f.dp_overhead_ns
    ));
    if let Some((lo, mid, hi)) = f.round_trip_ns {
        s.push_str(&format!(
            "{:<52}{:>14}\n",
            "core-to-core round trip, ns (low / median / high)",
            format!("{lo:.0} / {mid:.0} / {hi:.0}")
        ));
    }
    if let (Some(e), Some(m), Some(r)) = (f.embedded_gcm, f.managed_gcm, f.managed_over_embedded) {
        s.push_str(&format!(
            "\nmanaged mode (private softqatd), AES-128-GCM 4 KiB:\n{:<52}{:>14.1}\n{:<52}{:>14.1}\n{:<52}{:>14.3}\n",
            "embedded, MB/s", e, "managed, MB/s", m, "managed / embedded", r
        ));
    }
    s
}

/// The figures as JSON for machines.
pub fn json(o: &SymBenchOptions, f: &SymFigures) -> serde_json::Value {
    serde_json::json!({
        "benchmark": "sym",
        "engine_threads": o.engines,
        "trials": o.trials.max(1),
        "seconds": o.seconds,
        "mb_per_s": {
            "aes128_gcm_4k": {"ring": f.ring_gcm, "raw_engine": f.raw_gcm, "stack": f.stack_gcm},
            "aes128_cbc_hmac_sha256_4k": {"raw_engine": f.raw_chain, "stack": f.stack_chain},
            "aes128_gcm_4k_managed": {"embedded": f.embedded_gcm, "managed": f.managed_gcm},
        },
        "requests_per_s": {
            "aes128_gcm_64b": {"raw_engine": f.raw_gcm64_rps, "stack_dp_batch32": f.dp_gcm64_rps},
        },
        "ratios": {
            "stack_over_raw_gcm_4k": f.stack_over_raw_gcm,
            "raw_over_ring_gcm_4k": f.raw_over_ring_gcm,
            "stack_over_raw_chain_4k": f.stack_over_raw_chain,
            "managed_over_embedded_gcm_4k": f.managed_over_embedded,
        },
        "core_round_trip_ns": {
            "low": f.round_trip_ns.map(|r| r.0),
            "median": f.round_trip_ns.map(|r| r.1),
            "high": f.round_trip_ns.map(|r| r.2),
        },
        "dp_overhead_ns_per_request": f.dp_overhead_ns,
    })
}
