//! `softqat bench asym`: the public-key stack against the raw engine, and
//! the raw engine against aws-lc (through aws-lc-rs) on the same machine,
//! in one run, for one engine thread and for all of them.
//!
//! Operations: RSA-2048 CRT decryption, ECDSA P-256 signing with the
//! caller's k, X25519 on an arbitrary point. Per trial and operation:
//! - aws-lc: `RsaKeyPair::sign` (PKCS #1 v1.5 SHA-256, the same key),
//!   `EcdsaKeyPair::sign` (P-256 SHA-256), `agreement::agree` (X25519);
//! - the raw engine: the engine function on one thread;
//! - the stack: asynchronous requests on one crypto instance, 32 in flight per
//!   engine thread, with 1 engine thread and with one per
//!   core.
//!
//! Every stack completion is checked (status, and the output against the
//! engine's), so a broken path cannot post a figure.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use softqat_engine::asym::{ecdsa, montedwds, rsa};
use softqat_sal::asym::{EcFieldType, EcdsaSignRs, MontEdwdsCurve, RsaPrivateKey};
use softqat_sal::{AsymCallback, AsymOp, ConfigSource, CpaStatus, CyInstance, Qat, StartOptions};

use crate::bench::Trials;

/// Options of a run.
#[derive(Clone, Debug)]
pub struct AsymBenchOptions {
    /// Seconds per measurement.
    pub seconds: f64,
    /// Trials (medians reported).
    pub trials: usize,
}

/// One operation's figures, operations per second.
#[derive(Clone, Debug, Default)]
pub struct OpFigures {
    /// The operation.
    pub name: &'static str,
    /// aws-lc's own operation.
    pub awslc: f64,
    /// The raw engine on one thread.
    pub raw: f64,
    /// The stack with one engine thread.
    pub stack1: f64,
    /// The stack with one engine thread per core.
    pub stack_all: f64,
    /// Median of per-trial stack1 / raw.
    pub stack_over_raw: f64,
    /// Median of per-trial raw / aws-lc.
    pub raw_over_awslc: f64,
    /// Median of per-trial stack_all / (cores × stack1).
    pub scaling: f64,
}

/// Figures of a run.
#[derive(Clone, Debug, Default)]
pub struct AsymFigures {
    /// Cores (engine threads of the "all" runs).
    pub cores: usize,
    /// Per operation.
    pub ops: Vec<OpFigures>,
}

/// Runs `op` on one thread for `seconds`: operations per second.
fn timed(seconds: f64, mut op: impl FnMut() -> bool) -> Result<f64, String> {
    let limit = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < limit {
        if !op() {
            return Err("an operation failed while timed".into());
        }
        n += 1;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

// An RFC 6979 A.2.5 P-256 key and nonce, and the SHA-256 digest of "sample".
const ECDSA_D: &str = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
const ECDSA_K: &str = "A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60";
const DIGEST: &str = "AF2BDBE1AA9B6EC1E2ADE1D694F41FC71A831D0268E9891562113D8A62ADD1BF";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or(0))
        .collect()
}

/// An RSA-2048 key built by the stack: p and q found with its prime test,
/// the rest by its key generation.
pub(crate) struct RsaKey {
    pub(crate) p: Vec<u8>,
    pub(crate) q: Vec<u8>,
    pub(crate) n: Vec<u8>,
    pub(crate) d: Vec<u8>,
    pub(crate) dp: Vec<u8>,
    pub(crate) dq: Vec<u8>,
    pub(crate) qinv: Vec<u8>,
}

impl RsaKey {
    /// The key in representation 2.
    pub(crate) fn crt(&self) -> RsaPrivateKey<'_> {
        RsaPrivateKey::Rep2 {
            p: &self.p,
            q: &self.q,
            dp: &self.dp,
            dq: &self.dq,
            qinv: &self.qinv,
        }
    }
}

pub(crate) fn perform(
    inst: &CyInstance,
    op: softqat_sal::Result<AsymOp>,
) -> Result<(AsymOp, bool), String> {
    let mut op = op.map_err(|e| e.to_string())?;
    let r = inst.asym_perform(&mut op).map_err(|e| e.to_string())?;
    Ok((op, r.outcome))
}

fn find_prime(inst: &CyInstance, seed: u64, len: usize) -> Result<Vec<u8>, String> {
    let mut x = seed;
    let mut c: Vec<u8> = (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect();
    c[0] |= 0xc0;
    c[len - 1] |= 1;
    let mut witnesses = Vec::new();
    for w in [3u8, 5, 7, 11, 13, 17, 19, 23, 29, 31] {
        let mut slot = vec![0u8; len];
        slot[len - 1] = w;
        witnesses.extend(slot);
    }
    for _ in 0..20_000 {
        let (_, prime) = perform(
            inst,
            AsymOp::prime_test(&c, true, false, 10, &witnesses, true),
        )?;
        if prime {
            return Ok(c);
        }
        // The next odd candidate: c + 2, carried up from the last byte.
        let mut add = 2u16;
        for b in c.iter_mut().rev() {
            let v = u16::from(*b) + add;
            *b = v as u8;
            add = v >> 8;
            if add == 0 {
                break;
            }
        }
    }
    Err("no prime found".into())
}

/// An RSA key of `bits` (2048, 4096) with e = 65537 whose primes the
/// stack found with its own prime test.
pub(crate) fn rsa_key(inst: &CyInstance, bits: usize) -> Result<RsaKey, String> {
    let p = find_prime(inst, 11, bits / 16)?;
    let q = find_prime(inst, 23, bits / 16)?;
    let (k, _) = perform(inst, AsymOp::rsa_keygen(&p, &q, &[1, 0, 1], false))?;
    Ok(RsaKey {
        n: k.output(0).to_vec(),
        d: k.output(1).to_vec(),
        dp: k.output(2).to_vec(),
        dq: k.output(3).to_vec(),
        qinv: k.output(4).to_vec(),
        p,
        q,
    })
}

/// DER of a PKCS #1 RSAPrivateKey (version 0, n, e, d, p, q, dP, dQ, qInv),
/// to hand aws-lc the same key.
fn pkcs1_der(k: &RsaKey) -> Vec<u8> {
    fn len(n: usize, out: &mut Vec<u8>) {
        if n < 128 {
            out.push(n as u8);
        } else if n < 256 {
            out.extend([0x81, n as u8]);
        } else {
            out.extend([0x82, (n >> 8) as u8, n as u8]);
        }
    }
    fn int(v: &[u8], out: &mut Vec<u8>) {
        let v: Vec<u8> = v.iter().copied().skip_while(|b| *b == 0).collect();
        let pad = v.first().is_none_or(|b| b & 0x80 != 0);
        out.push(0x02);
        len(v.len() + usize::from(pad), out);
        if pad {
            out.push(0);
        }
        out.extend(v);
    }
    let mut body = Vec::new();
    int(&[0], &mut body);
    for v in [
        &k.n[..],
        &[1, 0, 1],
        &k.d,
        &k.p,
        &k.q,
        &k.dp,
        &k.dq,
        &k.qinv,
    ] {
        int(v, &mut body);
    }
    let mut der = vec![0x30];
    len(body.len(), &mut der);
    der.extend(body);
    der
}

/// One operation of the benchmark: how to build its request and how to
/// run it raw.
struct Workload {
    name: &'static str,
    build: Box<dyn Fn() -> softqat_sal::Result<AsymOp>>,
    raw: Box<dyn FnMut() -> bool>,
    awslc: Box<dyn FnMut() -> bool>,
    /// What output 0 of a completed request must be.
    expect: Vec<u8>,
}

fn workloads(inst: &CyInstance) -> Result<Vec<Workload>, String> {
    let key = Arc::new(rsa_key(inst, 2048)?);
    let c = {
        let mut m = key.n.clone();
        m[0] = 0x42;
        let (c, _) = perform(inst, AsymOp::rsa_encrypt(&key.n, &[1, 0, 1], &m))?;
        c.output(0).to_vec()
    };
    let mut expect_rsa = vec![0u8; 256];
    rsa::decrypt_crt(
        &key.p,
        &key.q,
        &key.dp,
        &key.dq,
        &key.qinv,
        &c,
        &mut expect_rsa,
    )
    .map_err(|e| e.to_string())?;
    let awslc_rsa = aws_lc_rs::rsa::KeyPair::from_der(&pkcs1_der(&key))
        .map_err(|e| format!("aws-lc refused the RSA key: {e}"))?;
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let mut sig = vec![0u8; awslc_rsa.public_modulus_len()];

    let curve = softqat_sal::asym::nist_curve(softqat_sal::asym::NistCurve::P256)
        .map_err(|e| e.to_string())?;
    let p: Vec<Vec<u8>> = vec![curve.p, curve.a, curve.b, curve.n, curve.gx, curve.gy];
    let (d, k, m) = (hex(ECDSA_D), hex(ECDSA_K), hex(DIGEST));
    let mut expect_r = vec![0u8; 32];
    let mut expect_s = vec![0u8; 32];
    let sign = |r: &mut [u8], s: &mut [u8]| {
        ecdsa::sign_rs(
            &ecdsa::SignRs {
                xg: &p[4],
                yg: &p[5],
                n: &p[3],
                q: &p[0],
                a: &p[1],
                b: &p[2],
                k: &k,
                m: &m,
                d: &d,
                field_type: EcFieldType::Prime,
            },
            r,
            s,
        )
    };
    sign(&mut expect_r, &mut expect_s).map_err(|e| e.to_string())?;
    let ec_key = aws_lc_rs::signature::EcdsaKeyPair::generate(
        &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
    )
    .map_err(|e| e.to_string())?;

    // X25519: a scalar and a peer point (RFC 7748 §5.2), big-endian as QAT
    // takes them.
    let xk: Vec<u8> = hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4")
        .into_iter()
        .rev()
        .collect();
    let xu: Vec<u8> = hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")
        .into_iter()
        .rev()
        .collect();
    let mut expect_x = vec![0u8; 32];
    montedwds::point_multiply(
        MontEdwdsCurve::Curve25519,
        false,
        &xk,
        &xu,
        &[0; 32],
        &mut expect_x,
        &mut [0u8; 32],
    )
    .map_err(|e| e.to_string())?;
    let x_priv = aws_lc_rs::agreement::PrivateKey::from_private_key(
        &aws_lc_rs::agreement::X25519,
        &xk.iter().rev().copied().collect::<Vec<u8>>(),
    )
    .map_err(|e| e.to_string())?;
    let x_peer: Vec<u8> = xu.iter().rev().copied().collect();

    let mut out = Vec::new();
    {
        let (k1, k2) = (key.clone(), key.clone());
        let c1 = c.clone();
        let c2 = c.clone();
        let mut buf = vec![0u8; 256];
        out.push(Workload {
            name: "RSA-2048 CRT decrypt",
            build: Box::new(move || AsymOp::rsa_decrypt(&k1.crt(), &c1)),
            raw: Box::new(move || {
                rsa::decrypt_crt(&k2.p, &k2.q, &k2.dp, &k2.dq, &k2.qinv, &c2, &mut buf).is_ok()
            }),
            awslc: Box::new(move || {
                awslc_rsa
                    .sign(
                        &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                        &rng,
                        b"softqat",
                        &mut sig,
                    )
                    .is_ok()
            }),
            expect: expect_rsa,
        });
    }
    {
        // Each closure owns its copy of the numbers: the raw loop allocates
        // nothing.
        let (p1, d1, k1, m1) = (p.clone(), d.clone(), k.clone(), m.clone());
        let (mut r, mut s) = (vec![0u8; 32], vec![0u8; 32]);
        let rng = aws_lc_rs::rand::SystemRandom::new();
        out.push(Workload {
            name: "ECDSA P-256 sign",
            build: Box::new(move || {
                let (p, d, k, m) = (&p1, &d1, &k1, &m1);
                AsymOp::ecdsa_sign_rs(&EcdsaSignRs {
                    xg: &p[4],
                    yg: &p[5],
                    n: &p[3],
                    q: &p[0],
                    a: &p[1],
                    b: &p[2],
                    k,
                    m,
                    d,
                    field_type: EcFieldType::Prime,
                })
            }),
            raw: Box::new(move || {
                ecdsa::sign_rs(
                    &ecdsa::SignRs {
                        xg: &p[4],
                        yg: &p[5],
                        n: &p[3],
                        q: &p[0],
                        a: &p[1],
                        b: &p[2],
                        k: &k,
                        m: &m,
                        d: &d,
                        field_type: EcFieldType::Prime,
                    },
                    &mut r,
                    &mut s,
                )
                .is_ok()
            }),
            awslc: Box::new(move || ec_key.sign(&rng, b"softqat").is_ok()),
            expect: expect_r,
        });
    }
    {
        let (k1, u1, k2, u2) = (xk.clone(), xu.clone(), xk, xu);
        let (mut ox, mut oy) = (vec![0u8; 32], vec![0u8; 32]);
        out.push(Workload {
            name: "X25519",
            build: Box::new(move || {
                AsymOp::ec_mont_edwds_point_multiply(
                    MontEdwdsCurve::Curve25519,
                    false,
                    &k1,
                    &u1,
                    &[0; 32],
                )
            }),
            raw: Box::new(move || {
                montedwds::point_multiply(
                    MontEdwdsCurve::Curve25519,
                    false,
                    &k2,
                    &u2,
                    &[0; 32],
                    &mut ox,
                    &mut oy,
                )
                .is_ok()
            }),
            awslc: Box::new(move || {
                aws_lc_rs::agreement::agree(
                    &x_priv,
                    aws_lc_rs::agreement::UnparsedPublicKey::new(
                        &aws_lc_rs::agreement::X25519,
                        &x_peer,
                    ),
                    (),
                    |s| Ok(s[0]),
                )
                .is_ok()
            }),
            expect: expect_x,
        });
    }
    Ok(out)
}

/// The stack: `depth` asynchronous requests of `w` in flight on `inst`,
/// each resubmitted as it completes, for `seconds`: operations per second.
fn stack_rate(inst: &CyInstance, w: &Workload, depth: usize, seconds: f64) -> Result<f64, String> {
    stack_ops(inst, &*w.build, &w.expect, w.name, depth, seconds)
}

/// The stack: `depth` asynchronous requests built by `build` in flight on
/// `inst`, each resubmitted as it completes, for `seconds`; every
/// completion must succeed with output 0 equal to `expect` (when not
/// empty). Operations per second.
pub(crate) fn stack_ops(
    inst: &CyInstance,
    build: &dyn Fn() -> softqat_sal::Result<AsymOp>,
    expect: &[u8],
    name: &str,
    depth: usize,
    seconds: f64,
) -> Result<f64, String> {
    let pool: Arc<Mutex<Vec<AsymOp>>> = Arc::new(Mutex::new(Vec::new()));
    for _ in 0..depth {
        let op = build().map_err(|e| e.to_string())?;
        pool.lock().unwrap_or_else(|e| e.into_inner()).push(op);
    }
    let done = Arc::new(AtomicU64::new(0));
    let bad = Arc::new(AtomicU64::new(0));
    let cb: AsymCallback = {
        let (pool, done, bad) = (pool.clone(), done.clone(), bad.clone());
        let expect = expect.to_vec();
        Arc::new(move |c| {
            let same = expect.is_empty() || c.op.output(0) == &expect[..];
            if c.results.status == CpaStatus::Success && c.results.outcome && same {
                done.fetch_add(1, Ordering::Relaxed);
            } else {
                bad.fetch_add(1, Ordering::Relaxed);
            }
            pool.lock().unwrap_or_else(|e| e.into_inner()).push(c.op);
        })
    };
    let mut pacer = LongRequestPacer::default();
    let limit = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    loop {
        let running = start.elapsed() < limit;
        if running {
            while let Some(op) = pool.lock().unwrap_or_else(|e| e.into_inner()).pop() {
                if let Err(rej) = inst.asym_submit(op, 0, &cb) {
                    if rej.error.status != CpaStatus::Retry {
                        return Err(rej.error.to_string());
                    }
                    pool.lock().unwrap_or_else(|e| e.into_inner()).push(rej.op);
                    break;
                }
            }
        }
        let polled = inst.poll(0).unwrap_or(0);
        if !running && inst.in_flight() == 0 {
            break;
        }
        pacer.after_poll(
            done.load(Ordering::Relaxed) + bad.load(Ordering::Relaxed),
            inst.in_flight(),
            polled,
            |t| inst.wait_for_response(t),
        );
    }
    let elapsed = start.elapsed();
    let failed = bad.load(Ordering::Relaxed);
    if failed != 0 {
        return Err(format!("{failed} {name} stack requests failed or differed"));
    }
    Ok(done.load(Ordering::Relaxed) as f64 / elapsed.as_secs_f64())
}

/// How the benchmark's polling thread paces itself between polls of
/// public-key requests, which take tens to hundreds of microseconds: as a
/// QAT application's polling thread with a polling interval, it sleeps while
/// the engines have work queued — half the queue's expected time, from the
/// completion rate seen so far — instead of spinning on a core an engine
/// may share (a spinning thread on a sibling hyperthread slows the engine's
/// arithmetic).
#[derive(Default)]
struct LongRequestPacer {
    since: Option<Instant>,
}

/// Longest sleep between polls.
const MAX_NAP: Duration = Duration::from_millis(2);

impl LongRequestPacer {
    /// After a poll: `completed` requests so far, `in_flight` now, `polled`
    /// by this poll; `wait` blocks on the instance until a response waits.
    fn after_poll(
        &mut self,
        completed: u64,
        in_flight: u32,
        polled: u32,
        wait: impl FnOnce(Duration) -> bool,
    ) {
        let since = *self.since.get_or_insert_with(Instant::now);
        if completed < 16 {
            // No rate yet: wait for the first responses.
            if polled == 0 {
                wait(MAX_NAP);
            }
            return;
        }
        let per_request = since.elapsed() / completed as u32;
        let nap = (per_request * in_flight / 2).min(MAX_NAP);
        if nap >= Duration::from_micros(20) {
            std::thread::sleep(nap);
        } else if polled == 0 {
            wait(MAX_NAP);
        }
    }
}

fn start(engines: usize, name: &str) -> Result<(Qat, CyInstance), String> {
    let qat = Qat::start_with(
        name,
        &StartOptions {
            config: ConfigSource::Builtin,
            engine_threads: Some(engines),
            ..StartOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let inst = qat
        .cy_instances()
        .iter()
        .find(|c| c.has_asym())
        .ok_or("the built-in configuration has no crypto instance with an asym ring")?
        .clone();
    inst.start().map_err(|e| e.to_string())?;
    Ok((qat, inst))
}

/// Runs the benchmark.
pub fn run(o: &AsymBenchOptions) -> Result<AsymFigures, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (_q1, one) = start(1, "BENCH_ASYM1")?;
    let (_qn, all) = start(cores, "BENCH_ASYMN")?;
    let mut loads = workloads(&one)?;
    let secs = o.seconds;
    // Requests in flight per engine thread: enough that an engine finds the
    // next request waiting while the application sleeps between polls.
    let depth = 32;
    let mut f = AsymFigures {
        cores,
        ops: Vec::new(),
    };
    for w in &mut loads {
        let mut t = Trials::<7>::default();
        for _ in 0..o.trials.max(1) {
            let awslc = timed(secs, &mut w.awslc)?;
            let raw = timed(secs, &mut w.raw)?;
            let s1 = stack_rate(&one, w, depth, secs)?;
            let sn = stack_rate(&all, w, depth * cores, secs)?;
            t.push(&[
                awslc,
                raw,
                s1,
                sn,
                s1 / raw,
                raw / awslc,
                sn / (cores as f64 * s1),
            ]);
        }
        let m = t.medians();
        f.ops.push(OpFigures {
            name: w.name,
            awslc: m[0],
            raw: m[1],
            stack1: m[2],
            stack_all: m[3],
            stack_over_raw: m[4],
            raw_over_awslc: m[5],
            scaling: m[6],
        });
    }
    Ok(f)
}

/// The figures as a table for people.
pub fn table(o: &AsymBenchOptions, f: &AsymFigures) -> String {
    let mut s = format!(
        "softqat bench asym: one crypto instance, medians of {} trials; operations/s\n\n",
        o.trials.max(1)
    );
    s.push_str(&format!(
        "{:<24}{:>11}{:>11}{:>11}{:>11}{:>11}{:>11}{:>11}\n",
        "",
        "aws-lc",
        "raw",
        "stack 1",
        format!("stack {}", f.cores),
        "stack/raw",
        "raw/awslc",
        "scaling"
    ));
    for op in &f.ops {
        s.push_str(&format!(
            "{:<24}{:>11.0}{:>11.0}{:>11.0}{:>11.0}{:>11.3}{:>11.3}{:>11.3}\n",
            op.name,
            op.awslc,
            op.raw,
            op.stack1,
            op.stack_all,
            op.stack_over_raw,
            op.raw_over_awslc,
            op.scaling
        ));
    }
    s.push_str(&format!(
        "\nstack 1: one engine thread; stack {n}: {n} engine threads (one per core); \
         scaling: stack {n} / ({n} x stack 1)\n",
        n = f.cores
    ));
    s
}

/// The figures as JSON for machines.
pub fn json(o: &AsymBenchOptions, f: &AsymFigures) -> serde_json::Value {
    let ops: Vec<serde_json::Value> = f
        .ops
        .iter()
        .map(|op| {
            serde_json::json!({
                "op": op.name,
                "ops_per_s": {"awslc": op.awslc, "raw_engine": op.raw,
                              "stack_1_engine": op.stack1, "stack_all_engines": op.stack_all},
                "stack_over_raw": op.stack_over_raw,
                "raw_over_awslc": op.raw_over_awslc,
                "scaling": op.scaling,
            })
        })
        .collect();
    serde_json::json!({
        "benchmark": "asym",
        "cores": f.cores,
        "trials": o.trials.max(1),
        "seconds": o.seconds,
        "ops": ops,
    })
}
