//! `softqat bench ras`: the RAS soak. Client threads keep compression and
//! symmetric-crypto instances busy with asynchronous requests at full rate
//! while an injector fails the endpoints under them, again and again, with
//! every kind of fault; at the end every request must have had exactly one
//! response (issue 12's targets: 1,000 injected failures with requests in
//! flight, 0 lost, 0 duplicated; failure → RESTARTED at most 1 s with
//! automatic reset).
//!
//! - Each request carries a unique id as its callback tag; the callback
//!   counts the answers per id and sorts them: real (success, output
//!   checked), dummy (CPA_STATUS_FAIL: not processed because the endpoint
//!   failed or a ring-pair error drained its ring), RESTARTING (queued at the
//!   reset), other errors, and wrong results.
//! - A submission the instance refuses at once (ring full, endpoint in error
//!   or restarting) was never submitted: it is counted as refused and tried
//!   again after a short pause.
//! - Failure → RESTARTED is measured from the injection to the endpoint's
//!   state being up again (the RESTARTED event follows that change), not
//!   through notification callbacks, so the figure does not depend on how
//!   events are delivered. For a heartbeat failure and an engine hang it
//!   includes the heartbeat checks that detect the failure.
//! - The heartbeat period is shortened for the soak (default 5 ms, where
//!   the driver's minimum is 200 ms): a hang is detected after three stuck
//!   checks a period apart, so a kernel-like period would spend most of the
//!   run waiting.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use softqat_device::{DeviceState, Fault, HeartbeatStatus};
use softqat_sal::runtime::Mode;
use softqat_sal::sym::CipherDirection;
use softqat_sal::{
    ConfigSource, CpaStatus, CyInstance, DcInstance, DcOpData, DcSession, DcSessionSetup, DcStatus,
    DmaBuf, EndpointLink, FlushFlag, Qat, StartOptions, SymData, SymSession,
};

use crate::bench::PollPacer;
use crate::bench_sym::{gcm_request, gcm_setup};

/// Bytes of every request's payload.
const REQUEST: usize = 4096;
/// The AES-GCM tag appended to each crypto buffer.
const TAG: usize = 16;
/// Bits of a request id that number the requests of one client thread; the
/// bits above name the thread.
const SEQ_BITS: u32 = 40;
/// How long the clients poll for the last responses once the injections
/// are over, before counting what is missing as lost.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the injector waits for an endpoint to come back up by itself
/// before it calls the reset (and counts a stalled restart).
const RESTART_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the injector waits for requests in flight on an endpoint
/// before it injects anyway (and counts an injection without them).
const IN_FLIGHT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a client pauses after its endpoint refused a submission because
/// it is in error or restarting.
const REFUSED_PAUSE: Duration = Duration::from_micros(200);

/// Options of a run.
#[derive(Clone, Debug)]
pub struct RasBenchOptions {
    /// Failures to inject.
    pub failures: usize,
    /// Client threads (each on an instance of its own).
    pub threads: usize,
    /// Injection stops after this many seconds even if fewer failures were
    /// injected.
    pub seconds: f64,
    /// Requests each client keeps in flight.
    pub window: usize,
    /// The soak's heartbeat period.
    pub heartbeat_ms: u64,
    /// Engine threads per endpoint.
    pub engines: usize,
}

/// The kinds of failure, in the order the injector cycles through them.
const KINDS: [Kind; 5] = [
    Kind::Heartbeat,
    Kind::Hang,
    Kind::Fatal,
    Kind::RingPair,
    Kind::Correctable,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Heartbeat,
    Hang,
    Fatal,
    RingPair,
    Correctable,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Heartbeat => "heartbeat",
            Kind::Hang => "hang",
            Kind::Fatal => "fatal",
            Kind::RingPair => "ring_pair",
            Kind::Correctable => "correctable",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Heartbeat => "heartbeat failure",
            Kind::Hang => "engine hang",
            Kind::Fatal => "fatal error",
            Kind::RingPair => "ring-pair error",
            Kind::Correctable => "correctable error",
        }
    }

    /// Whether the endpoint fails and restarts.
    fn restarts(self) -> bool {
        matches!(self, Kind::Heartbeat | Kind::Hang | Kind::Fatal)
    }
}

/// What the callbacks of one client thread saw.
#[derive(Default)]
struct Record {
    /// Answers per request id (the id's low bits index it); its length is
    /// the number of requests submitted.
    answers: Vec<u8>,
    /// Ids answered at least once.
    answered: u64,
    real: u64,
    dummy: u64,
    restarting: u64,
    other: u64,
    wrong: u64,
    /// Answers carrying an id this thread never submitted.
    unexpected: u64,
}

impl Record {
    /// Counts the answer to `tag` from thread `me`, of outcome `outcome`.
    fn answer(&mut self, me: u64, tag: u64, outcome: Outcome) {
        let seq = (tag & ((1u64 << SEQ_BITS) - 1)) as usize;
        match self.answers.get_mut(seq) {
            Some(n) if tag >> SEQ_BITS == me => {
                if *n == 0 {
                    self.answered += 1;
                }
                *n = n.saturating_add(1);
            }
            _ => {
                self.unexpected += 1;
                return;
            }
        }
        match outcome {
            Outcome::Real => self.real += 1,
            Outcome::Wrong => self.wrong += 1,
            Outcome::Dummy => self.dummy += 1,
            Outcome::Restarting => self.restarting += 1,
            Outcome::Other => self.other += 1,
        }
    }
}

#[derive(Clone, Copy)]
enum Outcome {
    Real,
    Wrong,
    Dummy,
    Restarting,
    Other,
}

/// The outcome of a response with callback status `status` whose output
/// checked out (`good`) or not.
fn outcome(status: CpaStatus, good: bool) -> Outcome {
    match status {
        CpaStatus::Success if good => Outcome::Real,
        CpaStatus::Success => Outcome::Wrong,
        // A dummy response: the device descriptor's RESP_DUMMY flag comes
        // with CPA_STATUS_FAIL, and nothing else in this run fails so.
        CpaStatus::Fail => Outcome::Dummy,
        CpaStatus::Restarting => Outcome::Restarting,
        _ => Outcome::Other,
    }
}

/// What a client thread runs: deflate compression or AES-128-GCM
/// encryption, with a pool of buffers for the requests in flight.
enum Work {
    Dc {
        inst: DcInstance,
        session: DcSession,
        op: DcOpData,
        pool: Arc<Mutex<Vec<(DmaBuf, DmaBuf)>>>,
        dst_len: usize,
    },
    Cy {
        inst: CyInstance,
        session: SymSession,
        pool: Arc<Mutex<Vec<DmaBuf>>>,
    },
}

/// The result of one submission attempt.
enum Submitted {
    Yes,
    /// No free buffer: the window is full.
    WindowFull,
    /// Refused by the instance with this status.
    Refused(CpaStatus),
}

impl Work {
    fn dc(
        inst: DcInstance,
        me: u64,
        record: Arc<Mutex<Record>>,
        outstanding: Arc<AtomicI64>,
        window: usize,
    ) -> Result<Work, String> {
        let dst_len = softqat_sal::deflate_compress_bound(REQUEST);
        let text = text(REQUEST * window);
        let pool = text
            .chunks(REQUEST)
            .map(|c| Ok((DmaBuf::try_from_slice(c)?, DmaBuf::try_new(dst_len)?)))
            .collect::<Result<Vec<_>, softqat_sal::Error>>()
            .map_err(|e| e.to_string())?;
        let pool = Arc::new(Mutex::new(pool));
        let session = {
            let pool = pool.clone();
            inst.init_session_async(&DcSessionSetup::default(), move |done| {
                outstanding.fetch_sub(1, Ordering::Relaxed);
                let good = done.results.status == DcStatus::Ok
                    && done.results.consumed as usize == done.src.len()
                    && done.results.produced > 0;
                record.lock().unwrap_or_else(|e| e.into_inner()).answer(
                    me,
                    done.tag,
                    outcome(done.status, good),
                );
                pool.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((done.src, done.dst));
            })
            .map_err(|e| e.to_string())?
        };
        Ok(Work::Dc {
            inst,
            session,
            op: DcOpData::new(FlushFlag::Final),
            pool,
            dst_len,
        })
    }

    fn cy(
        inst: CyInstance,
        me: u64,
        record: Arc<Mutex<Record>>,
        outstanding: Arc<AtomicI64>,
        window: usize,
    ) -> Result<Work, String> {
        let text = text(REQUEST * window);
        let pool = text
            .chunks(REQUEST)
            .map(|c| {
                let mut b = c.to_vec();
                b.resize(REQUEST + TAG, 0);
                DmaBuf::try_from_slice(&b)
            })
            .collect::<Result<Vec<_>, softqat_sal::Error>>()
            .map_err(|e| e.to_string())?;
        let pool = Arc::new(Mutex::new(pool));
        let session = {
            let pool = pool.clone();
            inst.init_sym_session_async(&gcm_setup(CipherDirection::Encrypt), move |done| {
                outstanding.fetch_sub(1, Ordering::Relaxed);
                let good = done.results.verify_ok && done.request.cipher_len as usize == REQUEST;
                record.lock().unwrap_or_else(|e| e.into_inner()).answer(
                    me,
                    done.tag,
                    outcome(done.status, good),
                );
                if let SymData::Flat(b) = done.src {
                    pool.lock().unwrap_or_else(|e| e.into_inner()).push(b);
                }
            })
            .map_err(|e| e.to_string())?
        };
        Ok(Work::Cy {
            inst,
            session,
            pool,
        })
    }

    fn submit(&self, tag: u64) -> Submitted {
        match self {
            Work::Dc {
                inst,
                session,
                op,
                pool,
                dst_len,
            } => {
                let Some((src, mut dst)) = pool.lock().unwrap_or_else(|e| e.into_inner()).pop()
                else {
                    return Submitted::WindowFull;
                };
                dst.set_len(*dst_len);
                match inst.submit_compress(session, src, dst, op, tag) {
                    Ok(()) => Submitted::Yes,
                    Err(rej) => {
                        pool.lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push((rej.src, rej.dst));
                        Submitted::Refused(rej.error.status)
                    }
                }
            }
            Work::Cy {
                inst,
                session,
                pool,
            } => {
                let Some(b) = pool.lock().unwrap_or_else(|e| e.into_inner()).pop() else {
                    return Submitted::WindowFull;
                };
                match inst.submit(session, gcm_request(REQUEST), SymData::Flat(b), None, tag) {
                    Ok(()) => Submitted::Yes,
                    Err(rej) => {
                        if let SymData::Flat(b) = rej.src {
                            pool.lock().unwrap_or_else(|e| e.into_inner()).push(b);
                        }
                        Submitted::Refused(rej.error.status)
                    }
                }
            }
        }
    }

    fn poll(&self) -> u32 {
        match self {
            Work::Dc { inst, .. } => inst.poll(0).unwrap_or(0),
            Work::Cy { inst, .. } => inst.poll(0).unwrap_or(0),
        }
    }

    fn in_flight(&self) -> u32 {
        match self {
            Work::Dc { inst, .. } => inst.in_flight(),
            Work::Cy { inst, .. } => inst.in_flight(),
        }
    }

    fn wait(&self, t: Duration) -> bool {
        match self {
            Work::Dc { inst, .. } => inst.wait_for_response(t),
            Work::Cy { inst, .. } => inst.wait_for_response(t),
        }
    }

    fn endpoint(&self) -> &Arc<dyn EndpointLink> {
        match self {
            Work::Dc { inst, .. } => inst.endpoint(),
            Work::Cy { inst, .. } => inst.endpoint(),
        }
    }
}

/// `n` bytes of text-like data (words drawn by a fixed generator), so that
/// deflate has matches and literals to code, as on real data.
fn text(n: usize) -> Vec<u8> {
    const WORDS: [&str; 16] = [
        "the ",
        "engine ",
        "ring ",
        "request ",
        "response ",
        "reset ",
        "heartbeat ",
        "of ",
        "and ",
        "device ",
        "queue ",
        "a ",
        "failed ",
        "restarted ",
        "to ",
        "data\n",
    ];
    let mut out = Vec::with_capacity(n + 16);
    let mut x: u32 = 0x9e37_79b9;
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out.extend_from_slice(WORDS[(x >> 28) as usize].as_bytes());
    }
    out.truncate(n);
    out
}

/// One client: an instance and what its thread counted.
struct Client {
    /// e.g. `dc0 on qat_dev1 (deflate L1)`.
    name: String,
    record: Arc<Mutex<Record>>,
    /// Requests in flight on the client's endpoint (shared by its clients).
    outstanding: Arc<AtomicI64>,
    refused: u64,
}

/// Figures of a run.
#[derive(Clone, Debug, Default)]
pub struct RasFigures {
    /// The clients, for the heading.
    pub clients: Vec<String>,
    /// Failures injected per kind key.
    pub injected: BTreeMap<&'static str, u64>,
    /// Failures injected while no request was in flight on the endpoint.
    pub injected_idle: u64,
    /// Requests submitted (accepted by the instance).
    pub submitted: u64,
    /// Submissions the instance refused at once.
    pub refused: u64,
    /// Responses: real, dummy, RESTARTING, other errors, wrong results.
    pub real: u64,
    /// Dummy responses.
    pub dummy: u64,
    /// RESTARTING responses.
    pub restarting: u64,
    /// Other error responses.
    pub other: u64,
    /// Successful responses whose output did not check out.
    pub wrong: u64,
    /// Requests without a response after the drain.
    pub lost: u64,
    /// Requests answered more than once.
    pub duplicated: u64,
    /// Answers with an id never submitted.
    pub unexpected: u64,
    /// Failure → RESTARTED per kind key, ms, sorted.
    pub restart_ms: BTreeMap<&'static str, Vec<f64>>,
    /// Fatal failures after which the endpoint did not come back by itself
    /// within [`RESTART_TIMEOUT`] (the injector reset it).
    pub stalled: u64,
    /// Injection stopped at the time limit.
    pub time_limit_reached: bool,
    /// Seconds from the first submission to the end of the drain.
    pub wall_s: f64,
}

impl RasFigures {
    fn total_injected(&self) -> u64 {
        self.injected.values().sum()
    }

    fn all_restart_ms(&self) -> Vec<f64> {
        let mut v: Vec<f64> = self.restart_ms.values().flatten().copied().collect();
        v.sort_by(f64::total_cmp);
        v
    }

    fn responses(&self) -> u64 {
        self.real + self.dummy + self.restarting + self.other + self.wrong
    }

    /// True if every request had exactly one response.
    pub fn passed(&self) -> bool {
        self.lost == 0 && self.duplicated == 0 && self.unexpected == 0 && self.wrong == 0
    }
}

/// The `q` quantile (0..=1) of sorted `v`, by the nearest rank.
fn quantile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

/// The instances the clients run on: compression and crypto alternately,
/// as many as `threads`.
fn pick_instances(qat: &Qat, threads: usize) -> Result<Vec<Inst>, String> {
    let dc = qat.dc_instances();
    let cy = qat.cy_instances();
    let mut all = Vec::new();
    for k in 0..dc.len().max(cy.len()) {
        if let Some(d) = dc.get(k) {
            all.push(Inst::Dc(d.clone()));
        }
        if let Some(c) = cy.get(k) {
            all.push(Inst::Cy(c.clone()));
        }
    }
    if threads == 0 || threads > all.len() {
        return Err(format!(
            "--threads {threads}: give 1 to {} (one client thread per instance; the built-in \
             configuration has {} compression and {} crypto instances)",
            all.len(),
            dc.len(),
            cy.len()
        ));
    }
    all.truncate(threads);
    Ok(all)
}

enum Inst {
    Dc(DcInstance),
    Cy(CyInstance),
}

/// One client thread's loop: keep `window` requests in flight until `stop`,
/// then drain. Returns the refused submissions.
fn client_loop(
    work: &Work,
    me: u64,
    record: &Mutex<Record>,
    outstanding: &AtomicI64,
    stop: &AtomicBool,
) -> u64 {
    let mut refused = 0u64;
    let mut pacer = PollPacer::new(work.endpoint().engine_threads());
    let mut drain_until: Option<Instant> = None;
    loop {
        let stopping = stop.load(Ordering::Acquire);
        if !stopping {
            loop {
                // The id is reserved before the submission: the callback may
                // run (in this thread's poll) only after it is accepted,
                // and a refusal gives it back.
                let seq = {
                    let mut r = record.lock().unwrap_or_else(|e| e.into_inner());
                    r.answers.push(0);
                    r.answers.len() as u64 - 1
                };
                let res = work.submit((me << SEQ_BITS) | seq);
                if !matches!(res, Submitted::Yes) {
                    record
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .answers
                        .pop();
                }
                match res {
                    // The callback, which decrements it, runs only in this
                    // thread's polls.
                    Submitted::Yes => {
                        outstanding.fetch_add(1, Ordering::Relaxed);
                    }
                    Submitted::WindowFull => break,
                    Submitted::Refused(status) => {
                        refused += 1;
                        if status != CpaStatus::Retry {
                            // The endpoint is in error or restarting: give
                            // it the time to come back.
                            std::thread::sleep(REFUSED_PAUSE);
                        }
                        break;
                    }
                }
            }
        }
        let polled = work.poll();
        if stopping {
            let deadline = *drain_until.get_or_insert_with(|| Instant::now() + DRAIN_TIMEOUT);
            let all_answered = {
                let r = record.lock().unwrap_or_else(|e| e.into_inner());
                r.answered == r.answers.len() as u64
            };
            if (all_answered && work.in_flight() == 0) || Instant::now() >= deadline {
                // One more poll: a second answer to a request already
                // answered would show here.
                work.poll();
                break;
            }
        }
        pacer.after_poll(polled, |t| work.wait(t));
    }
    refused
}

/// The injector's view of one endpoint.
struct Target {
    link: Arc<dyn EndpointLink>,
    outstanding: Arc<AtomicI64>,
    /// Ring pairs the clients use on it.
    rings: Vec<(u32, u32)>,
}

/// Waits until the endpoint is up again after a failure injected at `t0`;
/// returns the time in ms, and whether it had to be reset by hand.
fn wait_restarted(link: &dyn EndpointLink, t0: Instant) -> Result<(f64, bool), String> {
    let deadline = Instant::now() + RESTART_TIMEOUT;
    loop {
        if link.state() == DeviceState::Up {
            return Ok((t0.elapsed().as_secs_f64() * 1e3, false));
        }
        if Instant::now() >= deadline {
            break;
        }
        std::thread::sleep(Duration::from_micros(20));
    }
    // No automatic restart: reset by hand so the soak goes on, and say so.
    let id = link.info().id;
    eprintln!(
        "softqat bench ras: qat_dev{id} stayed {} for {} s after a failure with automatic reset \
         on; resetting it",
        link.state(),
        RESTART_TIMEOUT.as_secs()
    );
    let _ = link.reset_async();
    let deadline = Instant::now() + RESTART_TIMEOUT;
    while link.state() != DeviceState::Up {
        if Instant::now() >= deadline {
            return Err(format!(
                "qat_dev{id} did not come back up after a failure, even after a reset \
                 (state {}): the automatic reset is broken",
                link.state()
            ));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok((t0.elapsed().as_secs_f64() * 1e3, true))
}

/// Runs heartbeat checks a period apart until one finds the failure (the
/// injector is the heartbeat management thread of the application).
fn check_until_failed(link: &dyn EndpointLink, period: Duration) -> Result<(), String> {
    let deadline = Instant::now() + RESTART_TIMEOUT;
    loop {
        match link.check_heartbeat().map_err(|e| e.to_string())? {
            HeartbeatStatus::Alive => std::thread::sleep(period),
            HeartbeatStatus::TooSoon => std::thread::sleep(period / 4),
            HeartbeatStatus::Unresponsive | HeartbeatStatus::Resetting => return Ok(()),
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "qat_dev{}: the heartbeat did not find the injected failure within {} s",
                link.info().id,
                RESTART_TIMEOUT.as_secs()
            ));
        }
    }
}

/// Injects `kind` into `t` (its `nth` injection, choosing the ring pair);
/// returns the failure → RESTARTED time for the kinds that restart.
fn inject(
    t: &Target,
    kind: Kind,
    nth: usize,
    period: Duration,
    stalled: &mut u64,
) -> Result<Option<f64>, String> {
    let link = t.link.as_ref();
    let err = |e: softqat_sal::Error| format!("injecting a {} failed: {e}", kind.label());
    let t0 = Instant::now();
    match kind {
        Kind::Correctable => link.inject(Fault::Correctable).map_err(err)?,
        Kind::RingPair => {
            let Some(&(bank, ring_pair)) = t.rings.get(nth % t.rings.len().max(1)) else {
                return Err("no ring pair in use to inject a ring-pair error into".into());
            };
            link.inject(Fault::RingPairError { bank, ring_pair })
                .map_err(err)?
        }
        Kind::Fatal => link.inject(Fault::FatalError).map_err(err)?,
        Kind::Heartbeat => {
            link.inject(Fault::HeartbeatFailure).map_err(err)?;
            check_until_failed(link, period)?;
        }
        Kind::Hang => {
            link.inject(Fault::EngineHang).map_err(err)?;
            check_until_failed(link, period)?;
        }
    }
    if !kind.restarts() {
        return Ok(None);
    }
    let (ms, by_hand) = wait_restarted(link, t0)?;
    if by_hand {
        *stalled += 1;
    }
    Ok(Some(ms))
}

/// Waits until some requests are in flight on `t` (the clients resubmit
/// after a restart); false if none came within [`IN_FLIGHT_TIMEOUT`].
fn wait_in_flight(t: &Target, want: i64, abort: &AtomicBool) -> bool {
    let deadline = Instant::now() + IN_FLIGHT_TIMEOUT;
    loop {
        let n = t.outstanding.load(Ordering::Relaxed);
        if t.link.state() == DeviceState::Up && n >= want {
            return true;
        }
        if Instant::now() >= deadline || abort.load(Ordering::Acquire) {
            return n > 0 && t.link.state() == DeviceState::Up;
        }
        std::thread::sleep(Duration::from_micros(50));
    }
}

/// Runs the soak.
pub fn run(o: &RasBenchOptions) -> Result<RasFigures, String> {
    if o.window == 0 {
        return Err("--window 0: keep at least one request in flight per client".into());
    }
    if o.seconds.is_nan() || o.seconds <= 0.0 {
        return Err(format!(
            "--seconds {}: give a positive time limit",
            o.seconds
        ));
    }
    // The device logs every failure it finds, as the kernel does; a soak
    // finds hundreds on purpose, and prints its own count of them.
    softqat_device::ras::set_log_sink(Box::new(|_| {}));
    let qat = Qat::start_with(
        "BENCH",
        &StartOptions {
            config: ConfigSource::Builtin,
            mode: Mode::Embedded,
            engine_threads: Some(o.engines.max(1)),
            ..StartOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let period = Duration::from_millis(o.heartbeat_ms.max(1));
    for link in qat.endpoints() {
        let mut p = link.ras_policy().map_err(|e| e.to_string())?;
        p.auto_reset = true;
        p.reset_interval = Duration::ZERO;
        p.heartbeat_period = period;
        link.set_ras_policy(p).map_err(|e| e.to_string())?;
    }
    let instances = pick_instances(&qat, o.threads)?;
    let mut targets: BTreeMap<u32, Target> = BTreeMap::new();
    let mut clients = Vec::new();
    let mut works = Vec::new();
    for (k, inst) in instances.into_iter().enumerate() {
        let me = k as u64 + 1;
        let record = Arc::new(Mutex::new(Record::default()));
        let (link, info, what) = match &inst {
            Inst::Dc(i) => (i.endpoint().clone(), i.info().clone(), "deflate L1"),
            Inst::Cy(i) => (i.endpoint().clone(), i.info().clone(), "AES-128-GCM"),
        };
        let id = link.info().id;
        let t = targets.entry(id).or_insert_with(|| Target {
            link: link.clone(),
            outstanding: Arc::new(AtomicI64::new(0)),
            rings: Vec::new(),
        });
        t.rings.push((info.bank, info.ring_pair));
        let outstanding = t.outstanding.clone();
        let work = match inst {
            Inst::Dc(i) => {
                i.start().map_err(|e| e.to_string())?;
                Work::dc(i, me, record.clone(), outstanding.clone(), o.window)?
            }
            Inst::Cy(i) => {
                i.start().map_err(|e| e.to_string())?;
                Work::cy(i, me, record.clone(), outstanding.clone(), o.window)?
            }
        };
        clients.push(Client {
            name: format!(
                "{} on qat_dev{id} ({what}, bank {} ring pair {})",
                info.inst_name, info.bank, info.ring_pair
            ),
            record,
            outstanding,
            refused: 0,
        });
        works.push((me, work));
    }
    let targets: Vec<Target> = targets.into_values().collect();
    let stop = AtomicBool::new(false);
    let abort = AtomicBool::new(false);
    let mut f = RasFigures {
        clients: clients.iter().map(|c| c.name.clone()).collect(),
        ..RasFigures::default()
    };
    for k in KINDS {
        f.injected.insert(k.key(), 0);
    }
    let start = Instant::now();
    let limit = Duration::from_secs_f64(o.seconds);
    let injected = std::thread::scope(|s| {
        let handles: Vec<_> = works
            .iter()
            .zip(&clients)
            .map(|((me, work), c)| {
                let (stop, me, record, outstanding) = (&stop, *me, &c.record, &c.outstanding);
                s.spawn(move || client_loop(work, me, record, outstanding, stop))
            })
            .collect();
        let want = (o.window as i64 / 2).max(1);
        let mut result = Ok(());
        for i in 0..o.failures {
            if start.elapsed() >= limit {
                f.time_limit_reached = true;
                break;
            }
            let kind = KINDS[i % KINDS.len()];
            let Some(t) = targets.get(i % targets.len().max(1)) else {
                break;
            };
            if !wait_in_flight(t, want, &abort) {
                f.injected_idle += 1;
            }
            match inject(t, kind, i / KINDS.len(), period, &mut f.stalled) {
                Ok(ms) => {
                    *f.injected.entry(kind.key()).or_insert(0) += 1;
                    if let Some(ms) = ms {
                        f.restart_ms.entry(kind.key()).or_default().push(ms);
                    }
                }
                Err(e) => {
                    result = Err(e);
                    abort.store(true, Ordering::Release);
                    break;
                }
            }
        }
        stop.store(true, Ordering::Release);
        let refused: Vec<Option<u64>> = handles.into_iter().map(|h| h.join().ok()).collect();
        (result, refused)
    });
    f.wall_s = start.elapsed().as_secs_f64();
    let (injected, refused) = injected;
    injected?;
    for (c, r) in clients.iter_mut().zip(refused) {
        c.refused = r.ok_or_else(|| format!("the client thread of {} stopped early", c.name))?;
    }
    for v in f.restart_ms.values_mut() {
        v.sort_by(f64::total_cmp);
    }
    for c in &clients {
        let r = c.record.lock().unwrap_or_else(|e| e.into_inner());
        f.submitted += r.answers.len() as u64;
        f.lost += r.answers.iter().filter(|&&n| n == 0).count() as u64;
        f.duplicated += r.answers.iter().filter(|&&n| n > 1).count() as u64;
        f.real += r.real;
        f.dummy += r.dummy;
        f.restarting += r.restarting;
        f.other += r.other;
        f.wrong += r.wrong;
        f.unexpected += r.unexpected;
        f.refused += c.refused;
    }
    Ok(f)
}

fn ms_or_dash(v: &[f64], q: f64) -> String {
    if v.is_empty() {
        "-".into()
    } else {
        format!("{:.1}", quantile(v, q))
    }
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT MET"
    }
}

/// The figures as a table for people.
pub fn table(o: &RasBenchOptions, f: &RasFigures) -> String {
    let all = f.all_restart_ms();
    let max = quantile(&all, 1.0);
    let mut s = format!(
        "softqat bench ras: {} failures injected ({} asked) with {} client thread(s) at full \
         rate, {} requests in flight each, {}-byte requests\n",
        f.total_injected(),
        o.failures,
        f.clients.len(),
        o.window,
        REQUEST
    );
    s.push_str(&format!(
        "heartbeat period {} ms (shortened for the soak: the driver's minimum is 200 ms), \
         automatic reset on, reset interval 0, {} engine thread(s) per endpoint\n",
        o.heartbeat_ms.max(1),
        o.engines.max(1)
    ));
    for c in &f.clients {
        s.push_str(&format!("  client: {c}\n"));
    }
    if f.time_limit_reached {
        s.push_str(&format!(
            "  the time limit of {} s stopped the injections early\n",
            o.seconds
        ));
    }
    s.push_str(&format!(
        "\n{:<34}{:>10}   failure → RESTARTED, ms\n",
        "failures injected", "count"
    ));
    s.push_str(&format!(
        "{:<34}{:>10}{:>14}{:>12}\n",
        "", "", "median", "max"
    ));
    for k in KINDS {
        let v = f.restart_ms.get(k.key()).map(Vec::as_slice).unwrap_or(&[]);
        s.push_str(&format!(
            "{:<34}{:>10}{:>14}{:>12}\n",
            format!("  {}", k.label()),
            f.injected.get(k.key()).copied().unwrap_or(0),
            ms_or_dash(v, 0.5),
            ms_or_dash(v, 1.0)
        ));
    }
    s.push_str(&format!("{:<34}{:>10}\n", "  total", f.total_injected()));
    s.push_str(&format!(
        "{:<34}{:>10}\n",
        "  with no request in flight", f.injected_idle
    ));
    let row = |name: &str, v: u64| format!("{name:<34}{v:>10}\n");
    s.push('\n');
    s.push_str(&row("requests submitted", f.submitted));
    s.push_str(&row("submissions refused (retried)", f.refused));
    s.push_str(&row("responses", f.responses()));
    s.push_str(&row("  real (success, output checked)", f.real));
    s.push_str(&row("  dummy (CPA_STATUS_FAIL)", f.dummy));
    s.push_str(&row("  CPA_STATUS_RESTARTING", f.restarting));
    s.push_str(&row("  other errors", f.other));
    s.push_str(&row("  wrong output", f.wrong));
    if f.unexpected != 0 {
        s.push_str(&row("answers to ids never submitted", f.unexpected));
    }
    s.push('\n');
    s.push_str(&format!(
        "{:<34}{:>10}   target 0: {}\n",
        "lost",
        f.lost,
        met(f.lost == 0)
    ));
    s.push_str(&format!(
        "{:<34}{:>10}   target 0: {}\n",
        "duplicated",
        f.duplicated,
        met(f.duplicated == 0)
    ));
    s.push_str(&format!(
        "failure → RESTARTED ({} restarts), ms: median {}, p99 {}, max {}   target max ≤ 1000: {}\n",
        all.len(),
        ms_or_dash(&all, 0.5),
        ms_or_dash(&all, 0.99),
        ms_or_dash(&all, 1.0),
        met(max <= 1000.0 && f.stalled == 0)
    ));
    if f.stalled != 0 {
        s.push_str(&format!(
            "restarts that did not happen by themselves (reset by the soak): {}\n",
            f.stalled
        ));
    }
    s.push_str(&format!("wall time {:.1} s\n", f.wall_s));
    s
}

/// The figures as JSON for machines.
pub fn json(o: &RasBenchOptions, f: &RasFigures) -> serde_json::Value {
    let all = f.all_restart_ms();
    let mut failures = serde_json::Map::new();
    failures.insert("total".into(), f.total_injected().into());
    for (k, v) in &f.injected {
        failures.insert((*k).into(), (*v).into());
    }
    let mut per_kind = serde_json::Map::new();
    for (k, v) in &f.restart_ms {
        per_kind.insert(
            (*k).into(),
            serde_json::json!({
                "count": v.len(),
                "median": quantile(v, 0.5),
                "p99": quantile(v, 0.99),
                "max": quantile(v, 1.0),
            }),
        );
    }
    let max = quantile(&all, 1.0);
    serde_json::json!({
        "benchmark": "ras",
        "failures_requested": o.failures,
        "threads": f.clients.len(),
        "clients": f.clients,
        "window": o.window,
        "request_bytes": REQUEST,
        "engine_threads": o.engines.max(1),
        "heartbeat_period_ms": o.heartbeat_ms.max(1),
        "auto_reset": true,
        "reset_interval_ms": 0,
        "failures": failures,
        "injected_without_requests_in_flight": f.injected_idle,
        "requests": {
            "submitted": f.submitted,
            "refused": f.refused,
            "lost": f.lost,
            "duplicated": f.duplicated,
            "unexpected_ids": f.unexpected,
        },
        "responses": {
            "total": f.responses(),
            "real": f.real,
            "dummy": f.dummy,
            "restarting": f.restarting,
            "other": f.other,
            "wrong": f.wrong,
        },
        "restarted_ms": {
            "count": all.len(),
            "median": quantile(&all, 0.5),
            "p99": quantile(&all, 0.99),
            "max": max,
            "per_kind": per_kind,
        },
        "stalled_restarts": f.stalled,
        "time_limit_reached": f.time_limit_reached,
        "wall_s": f.wall_s,
        "targets": {
            "lost_zero": f.lost == 0,
            "duplicated_zero": f.duplicated == 0,
            "restarted_max_le_1s": max <= 1000.0 && f.stalled == 0,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_by_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.5), 50.0);
        assert_eq!(quantile(&v, 0.99), 99.0);
        assert_eq!(quantile(&v, 1.0), 100.0);
        assert_eq!(quantile(&[], 0.5), 0.0);
        assert_eq!(quantile(&[3.0], 0.99), 3.0);
    }

    #[test]
    fn answers_are_counted_per_id() {
        let mut r = Record {
            answers: vec![0; 3],
            ..Record::default()
        };
        r.answer(2, (2 << SEQ_BITS) | 1, Outcome::Real);
        r.answer(2, (2 << SEQ_BITS) | 1, Outcome::Dummy);
        r.answer(2, (3 << SEQ_BITS) | 1, Outcome::Real);
        r.answer(2, (2 << SEQ_BITS) | 7, Outcome::Real);
        assert_eq!(r.answers, [0, 2, 0]);
        assert_eq!((r.real, r.dummy, r.unexpected), (1, 1, 2));
    }
}
