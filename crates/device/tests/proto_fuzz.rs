//! Fuzzing of the managed-mode wire protocol's decoders (`proto`): random
//! bodies and mutations of valid messages for every decoder (requests,
//! SECTION grants, STATUS replies, OK / ERROR / CLOSING / EVENT bodies,
//! headers), and random byte streams with descriptors attached fed to
//! `proto::recv` over a socket.
//!
//! The oracle: nothing panics; whatever a decoder accepts re-encodes to the
//! very bytes it came from (an accepted input that does not is
//! "accepted-corrupt": the decoder let through something a sender could not
//! have meant); stream reading ends every input with frames or an error,
//! and closes every descriptor it does not hand over.
//!
//! The bounded run is part of the test suite; a longer one:
//!
//! ```text
//! SOFTQAT_FUZZ_ITERS=2000000 cargo test --release -p softqat-device --test proto_fuzz -- --ignored --nocapture
//! ```
//!
//! Regression inputs (seeds, and anything that ever failed) live in
//! `tests/data/proto/`, named by target: `request-<kind>-*.bin` (a request
//! body of that kind), `grant-*.bin`, `status-*.bin`, `text-*.bin` (OK /
//! ERROR / CLOSING bodies), `stream-*.bin` (bytes sent on a socket). Every
//! one runs in the bounded test, mutated as the seeds are.

use std::collections::BTreeMap;
use std::io::Write;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use softqat_config::RingService;
use softqat_cpa::InstanceEvent;
use softqat_device::ipc::{self, SharedMemory};
use softqat_device::notify::EventFd;
use softqat_device::plan::InstanceKind;
use softqat_device::proto::{
    self, kind, EndpointGrant, EndpointStatus, InstanceGrant, ProtoError, Request, RingGrant,
    SectionGrant, Verb,
};
use softqat_device::{Fault, HeartbeatStatus, RasPolicy};

/// xorshift64*: deterministic, so a failure reproduces from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Edge values worth writing over a length or count field.
const EDGES: [u32; 9] = [
    0,
    1,
    2,
    3,
    0x7f,
    0xffff,
    0x7fff_ffff,
    u32::MAX,
    proto::MAX_BODY as u32 + 1,
];

/// Mutates `b` in place: bit flips, random bytes, edge-valued u32 fields,
/// insertions, deletions, truncations, duplicated slices.
fn mutate(r: &mut Rng, b: &mut Vec<u8>) {
    for _ in 0..1 + r.below(4) {
        let at = r.below(b.len().max(1) as u64) as usize;
        match r.below(8) {
            0 if !b.is_empty() => b[at] ^= 1 << r.below(8),
            1 if !b.is_empty() => b[at] = r.next() as u8,
            2 if at + 4 <= b.len() => {
                let v = EDGES[r.below(EDGES.len() as u64) as usize];
                b[at..at + 4].copy_from_slice(&v.to_le_bytes());
            }
            3 => b.insert(at.min(b.len()), r.next() as u8),
            4 if !b.is_empty() => {
                b.remove(at);
            }
            5 => b.truncate(at),
            6 if !b.is_empty() => {
                let end = (at + 1 + r.below(16) as usize).min(b.len());
                let piece = b[at..end].to_vec();
                let to = r.below(b.len() as u64 + 1) as usize;
                b.splice(to..to, piece);
            }
            _ => {
                let extra = r.below(8) as usize;
                let more = r.bytes(extra);
                b.extend_from_slice(&more);
            }
        }
    }
}

/// Figures of one target.
#[derive(Default, Debug)]
struct Tally {
    tried: u64,
    accepted: u64,
    accepted_corrupt: u64,
    panics: u64,
}

#[derive(Default)]
struct Report {
    targets: BTreeMap<&'static str, Tally>,
    failures: Vec<String>,
}

impl Report {
    /// Runs `check` on `input` for `target`: `Ok(true)` accepted and
    /// canonical, `Ok(false)` refused, `Err(why)` accepted-corrupt.
    fn run(
        &mut self,
        target: &'static str,
        input: &[u8],
        check: impl FnOnce() -> Result<bool, String>,
    ) {
        let t = self.targets.entry(target).or_default();
        t.tried += 1;
        match catch_unwind(AssertUnwindSafe(check)) {
            Ok(Ok(true)) => t.accepted += 1,
            Ok(Ok(false)) => {}
            Ok(Err(why)) => {
                t.accepted += 1;
                t.accepted_corrupt += 1;
                if self.failures.len() < 20 {
                    self.failures
                        .push(format!("{target}: accepted-corrupt ({why}): {input:02x?}"));
                }
            }
            Err(_) => {
                t.panics += 1;
                if self.failures.len() < 20 {
                    self.failures
                        .push(format!("{target}: panic on {input:02x?}"));
                }
            }
        }
    }

    fn print_and_check(&self, what: &str) {
        println!("{what}: target, inputs tried, accepted, accepted-corrupt, panics");
        for (name, t) in &self.targets {
            println!(
                "  {name:<10} {:>9} {:>9} {:>4} {:>4}",
                t.tried, t.accepted, t.accepted_corrupt, t.panics
            );
        }
        assert!(
            self.failures.is_empty(),
            "{} failures; keep each input in tests/data/proto/ once fixed:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

// ------------------------------------------------------------------ seeds

fn endpoint(id: u32) -> EndpointGrant {
    EndpointGrant {
        id,
        class_name: "4xxx".into(),
        bdf: format!("0000:{:02x}:00.0", 0x6b + 5 * id),
        accelerators: 1,
        engines: 9,
        services: "sym;dc".into(),
        banks: 64,
        ring_pairs_per_bank: 1,
        generation: 4,
        engine_threads: 2,
    }
}

fn ring(service: RingService, bank: u32) -> RingGrant {
    RingGrant {
        service,
        bank,
        ring_pair: 0,
        in_flight: 512,
        slots: 512,
        ring_offset: u64::from(bank) * 0x40000,
    }
}

fn seed_grant() -> SectionGrant {
    SectionGrant {
        name: "SSL_INT_0".into(),
        ring_len: 4 * 0x40000,
        endpoints: vec![endpoint(0), endpoint(1)],
        instances: vec![
            InstanceGrant {
                endpoint: 0,
                name: "cy0".into(),
                service: InstanceKind::Cy,
                polling: 1,
                core_affinity: 0,
                rings: vec![ring(RingService::Sym, 1), ring(RingService::Asym, 0)],
            },
            InstanceGrant {
                endpoint: 1,
                name: "dc0".into(),
                service: InstanceKind::Dc,
                polling: 2,
                core_affinity: 3,
                rings: vec![ring(RingService::Dc, 2)],
            },
            InstanceGrant {
                endpoint: 1,
                name: "sym0".into(),
                service: InstanceKind::Sym,
                polling: 1,
                core_affinity: 1,
                rings: vec![ring(RingService::Sym, 3)],
            },
        ],
    }
}

fn seed_requests() -> Vec<Request> {
    vec![
        Request::SectionGet { name: "SSL".into() },
        Request::SectionPut {
            name: "SSL_INT_0".into(),
        },
        Request::MemRegister {
            iova: 0x7f00_0000_0000,
            len: 2 << 20,
        },
        Request::MemUnregister { iova: 0x1000 },
        Request::Status,
        Request::Control {
            verb: Verb::Reset,
            endpoint: Some(1),
        },
        Request::Control {
            verb: Verb::Down,
            endpoint: None,
        },
        Request::Heartbeat { endpoint: Some(0) },
        Request::Heartbeat { endpoint: None },
        Request::ResetAsync { endpoint: 1 },
        Request::Inject {
            endpoint: 0,
            fault: Fault::EngineHang,
        },
        Request::Inject {
            endpoint: 2,
            fault: Fault::RingPairError {
                bank: 5,
                ring_pair: 1,
            },
        },
        Request::DebugRead {
            endpoint: 0,
            file: "qat_ras/errors_fatal".into(),
        },
        Request::DebugWrite {
            endpoint: 0,
            file: "heartbeat/config".into(),
            value: "500".into(),
        },
        Request::RasPolicy { endpoint: 3 },
    ]
}

/// HEARTBEAT_REPLY, TEXT and RAS_POLICY_REPLY bodies (2.2).
fn check_ras_replies(body: &[u8]) -> Result<bool, String> {
    let mut any = false;
    if let Ok(list) = proto::decode_heartbeat(body) {
        if proto::encode_heartbeat(&list) != body {
            return Err("HEARTBEAT_REPLY does not re-encode".into());
        }
        any = true;
    }
    if let Ok(t) = proto::decode_text(body) {
        if proto::encode_text(&t) != body {
            return Err("TEXT does not re-encode".into());
        }
        any = true;
    }
    if let Ok(p) = proto::decode_ras_policy(body) {
        if proto::encode_ras_policy(&p) != body {
            return Err("RAS_POLICY_REPLY does not re-encode".into());
        }
        any = true;
    }
    Ok(any)
}

fn seed_status() -> Vec<EndpointStatus> {
    vec![
        EndpointStatus {
            id: 0,
            line: "qat_dev0 - type: 4xxx, inst_id: 0, bsf: 0000:6b:00.0, #accel: 1 #engines: 9 state: up".into(),
            state: 1,
            requests: 1 << 40,
            responses: 12,
            engine_threads: 2,
            sections_in_use: 3,
        },
        EndpointStatus {
            id: 7,
            line: String::new(),
            state: 0,
            requests: 0,
            responses: 0,
            engine_threads: 0,
            sections_in_use: 0,
        },
    ]
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/proto")
}

/// The regression files: (file name, bytes).
fn regression_files() -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(data_dir())
        .expect("tests/data/proto")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

// --------------------------------------------------------------- targets

const REQUEST_KINDS: [u16; 16] = [
    kind::SECTION_GET,
    kind::SECTION_PUT,
    kind::MEM_REGISTER,
    kind::MEM_UNREGISTER,
    kind::STATUS,
    kind::CONTROL,
    kind::HEARTBEAT,
    kind::RESET_ASYNC,
    kind::INJECT,
    kind::DEBUG_READ,
    kind::DEBUG_WRITE,
    kind::RAS_POLICY,
    0,
    kind::LAST_REQUEST + 1,
    kind::OK,
    u16::MAX,
];

fn check_request(k: u16, body: &[u8]) -> Result<bool, String> {
    match Request::decode(k, body) {
        Ok(req) => {
            let (k2, b2) = req.encode();
            if (k2, b2.as_slice()) == (k, body) {
                Ok(true)
            } else {
                Err(format!("{req:?} re-encodes as kind {k2} {b2:02x?}"))
            }
        }
        Err(ProtoError::Malformed { kind: mk, .. }) if mk == k => Ok(false),
        Err(ProtoError::UnexpectedKind(uk)) if uk == k => Ok(false),
        Err(e) => Err(format!("refused with an error of the wrong shape: {e}")),
    }
}

fn check_grant(body: &[u8]) -> Result<bool, String> {
    match SectionGrant::decode(body) {
        Ok(g) => {
            if g.encode() != body {
                return Err("does not re-encode to its bytes".into());
            }
            for i in &g.instances {
                if i.endpoint as usize >= g.endpoints.len() {
                    return Err(format!("instance {} names a missing endpoint", i.name));
                }
                if !i
                    .rings
                    .iter()
                    .map(|r| r.service)
                    .eq(i.service.ring_services().iter().copied())
                {
                    return Err(format!("instance {} has the wrong ring pairs", i.name));
                }
            }
            // Every descriptor a grant asks for costs bytes of the body.
            if g.fd_count() > 1 + body.len() {
                return Err(format!(
                    "{} descriptors from {} bytes",
                    g.fd_count(),
                    body.len()
                ));
            }
            Ok(true)
        }
        Err(_) => Ok(false),
    }
}

fn check_status(body: &[u8]) -> Result<bool, String> {
    match proto::decode_status(body) {
        Ok(list) if proto::encode_status(&list) == body => Ok(true),
        Ok(_) => Err("does not re-encode to its bytes".into()),
        Err(_) => Ok(false),
    }
}

/// OK, ERROR and CLOSING bodies (and EVENT's, whose unknown event values
/// read as FATAL_ERROR by design).
fn check_texts(body: &[u8]) -> Result<bool, String> {
    let mut any = false;
    if let Ok(m) = proto::decode_ok(body) {
        if proto::encode_ok(&m) != body {
            return Err("OK does not re-encode".into());
        }
        any = true;
    }
    if let Ok((s, m)) = proto::decode_error(body) {
        if proto::encode_error(s, &m) != body {
            return Err("ERROR does not re-encode".into());
        }
        any = true;
    }
    if let Ok((s, m)) = proto::decode_closing(body) {
        if proto::encode_closing(s, &m) != body {
            return Err("CLOSING does not re-encode".into());
        }
        any = true;
    }
    if let Ok((ep, ev)) = proto::decode_event(body) {
        let again = proto::encode_event(ep, ev);
        let known = body.len() == 5 && InstanceEvent::from_value(body[4]).is_some();
        if known && again != body {
            return Err("EVENT does not re-encode".into());
        }
        if !known && (ev != InstanceEvent::FatalError || again[..4] != body[..4]) {
            return Err("an unknown EVENT is not FATAL_ERROR".into());
        }
        any = true;
    }
    Ok(any)
}

fn check_header(h: &[u8]) -> Result<bool, String> {
    let Ok(header) = <[u8; proto::HEADER_LEN]>::try_from(h) else {
        return Ok(false);
    };
    let len = u32::from_le_bytes([h[0], h[1], h[2], h[3]]) as usize;
    let version = u16::from_le_bytes([h[4], h[5]]);
    let k = u16::from_le_bytes([h[6], h[7]]);
    let good = version >> 8 == proto::VERSION >> 8 && len <= proto::MAX_BODY;
    match proto::parse_header(&header) {
        Ok((l, kk)) if good && (l, kk) == (len, k) => Ok(true),
        Ok(got) => Err(format!("accepted as {got:?}")),
        Err(_) if !good => Ok(false),
        Err(e) => Err(format!("a good header refused: {e}")),
    }
}

/// Descriptors a stream input may carry: kinds the protocol uses and
/// kinds it does not.
fn some_fds<'a>(r: &mut Rng, pool: &'a FdPool) -> Vec<BorrowedFd<'a>> {
    let n = match r.below(10) {
        0..=5 => 0,
        6..=8 => 1 + r.below(3) as usize,
        _ => proto::MAX_MESSAGE_FDS - 2 + r.below(6) as usize,
    };
    (0..n.min(ipc::MAX_FDS))
        .map(|_| pool.fds[r.below(pool.fds.len() as u64) as usize].as_fd())
        .collect()
}

/// Descriptors of many kinds to attach.
struct FdPool {
    fds: Vec<std::os::fd::OwnedFd>,
}

impl FdPool {
    fn new() -> FdPool {
        let shm = SharedMemory::create("proto-fuzz", 4096).unwrap();
        let (a, b) = UnixStream::pair().unwrap();
        let fds = vec![
            shm.fd().try_clone_to_owned().unwrap(),
            EventFd::new()
                .unwrap()
                .as_fd()
                .try_clone_to_owned()
                .unwrap(),
            a.into(),
            b.into(),
            std::fs::File::open("/dev/null").unwrap().into(),
            std::fs::File::open("/").unwrap().into(),
        ];
        FdPool { fds }
    }
}

/// Sends `bytes` (in pieces, descriptors on some) on one end of a socket
/// pair and reads frames off the other until an error; checks the reading
/// never panics, ends, and that every frame is whole.
fn check_stream(r: &mut Rng, pool: &FdPool, bytes: &[u8]) -> Result<bool, String> {
    let (tx, rx) = UnixStream::pair().map_err(|e| e.to_string())?;
    let mut rest = bytes;
    let mut first = true;
    while !rest.is_empty() {
        let n = (1 + r.below(rest.len() as u64 + 4) as usize).min(rest.len());
        let fds = some_fds(r, pool);
        if first || !fds.is_empty() {
            ipc::send_with_fds(&tx, &rest[..n], &fds).map_err(|e| e.to_string())?;
        } else {
            (&tx).write_all(&rest[..n]).map_err(|e| e.to_string())?;
        }
        first = false;
        rest = &rest[n..];
    }
    drop(tx);
    let mut frames = 0;
    loop {
        match proto::recv(&rx) {
            Ok(f) => {
                frames += 1;
                if f.fds.len() > proto::MAX_MESSAGE_FDS {
                    return Err(format!("a frame with {} descriptors", f.fds.len()));
                }
                if frames > bytes.len() / proto::HEADER_LEN + 1 {
                    return Err("more frames than the bytes hold".into());
                }
            }
            Err(ProtoError::Closed) => return Ok(frames > 0),
            Err(_) => return Ok(false),
        }
    }
}

// ------------------------------------------------------------------- runs

/// Everything, `iters` mutations per target after the seeds and regression
/// files.
fn campaign(iters: u64, seed: u64) -> Report {
    let mut rep = Report::default();
    let mut r = Rng(seed | 1);
    let files = regression_files();
    let pool = FdPool::new();

    // Requests: valid encodings, the regression files, then mutations and
    // random bodies of every kind.
    let mut request_seeds: Vec<(u16, Vec<u8>)> =
        seed_requests().iter().map(|q| q.encode()).collect();
    for (name, bytes) in &files {
        if let Some(rest) = name.strip_prefix("request-") {
            let k: u16 = rest.split('-').next().unwrap().parse().unwrap();
            request_seeds.push((k, bytes.clone()));
        }
    }
    for (k, b) in &request_seeds {
        rep.run("request", b, || check_request(*k, b));
    }
    for _ in 0..iters {
        let (mut k, mut b) = request_seeds[r.below(request_seeds.len() as u64) as usize].clone();
        if r.below(4) == 0 {
            k = REQUEST_KINDS[r.below(REQUEST_KINDS.len() as u64) as usize];
        }
        if r.below(8) == 0 {
            let n = r.below(40) as usize;
            b = r.bytes(n);
        } else {
            mutate(&mut r, &mut b);
        }
        rep.run("request", &b, || check_request(k, &b));
    }

    // SECTION grants.
    let mut grant_seeds = vec![seed_grant().encode()];
    grant_seeds.extend(
        files
            .iter()
            .filter(|(n, _)| n.starts_with("grant-"))
            .map(|(_, b)| b.clone()),
    );
    for b in &grant_seeds {
        rep.run("grant", b, || check_grant(b));
    }
    for _ in 0..iters {
        let mut b = grant_seeds[r.below(grant_seeds.len() as u64) as usize].clone();
        mutate(&mut r, &mut b);
        rep.run("grant", &b, || check_grant(&b));
    }

    // STATUS replies.
    let mut status_seeds = vec![proto::encode_status(&seed_status())];
    status_seeds.extend(
        files
            .iter()
            .filter(|(n, _)| n.starts_with("status-"))
            .map(|(_, b)| b.clone()),
    );
    for _ in 0..iters / 2 {
        let mut b = status_seeds[r.below(status_seeds.len() as u64) as usize].clone();
        mutate(&mut r, &mut b);
        rep.run("status", &b, || check_status(&b));
    }

    // OK / ERROR / CLOSING / EVENT bodies.
    let mut text_seeds = vec![
        proto::encode_ok("registered 4096 bytes at 0x1000"),
        proto::encode_error(-3, "all 1 sections for [SSL] are in use"),
        proto::encode_closing(-2, "closed the connection: it was idle"),
        proto::encode_event(1, InstanceEvent::Restarted),
    ];
    text_seeds.extend(
        files
            .iter()
            .filter(|(n, _)| n.starts_with("text-"))
            .map(|(_, b)| b.clone()),
    );
    for _ in 0..iters / 2 {
        let mut b = text_seeds[r.below(text_seeds.len() as u64) as usize].clone();
        mutate(&mut r, &mut b);
        rep.run("text", &b, || check_texts(&b));
    }

    // RAS replies (2.2).
    let ras_seeds = [
        proto::encode_heartbeat(&[
            (0, HeartbeatStatus::Alive),
            (1, HeartbeatStatus::Unresponsive),
            (2, HeartbeatStatus::TooSoon),
            (3, HeartbeatStatus::Resetting),
        ]),
        proto::encode_text("AE         Requests       Responses\n 0:   1   1\n"),
        proto::encode_ras_policy(&RasPolicy::for_endpoint(4, true, None)),
    ];
    for b in &ras_seeds {
        rep.run("ras-reply", b, || check_ras_replies(b));
    }
    for _ in 0..iters / 2 {
        let mut b = if r.below(8) == 0 {
            let n = r.below(24) as usize;
            r.bytes(n)
        } else {
            ras_seeds[r.below(ras_seeds.len() as u64) as usize].clone()
        };
        mutate(&mut r, &mut b);
        rep.run("ras-reply", &b, || check_ras_replies(&b));
    }

    // Headers: any 8 bytes, and mutations of good ones.
    for _ in 0..iters / 2 {
        let mut h = if r.below(2) == 0 {
            r.bytes(8)
        } else {
            proto::frame_bytes(
                REQUEST_KINDS[r.below(REQUEST_KINDS.len() as u64) as usize],
                &[],
            )
            .unwrap()
            .to_vec()
        };
        if r.below(2) == 0 {
            let at = r.below(8) as usize;
            h[at] ^= 1 << r.below(8);
        }
        rep.run("header", &h, || check_header(&h));
    }

    // Streams: whole frames (valid and mutated), garbage, cut short, with
    // descriptors of every kind attached, on a real socket.
    let mut stream_seeds: Vec<Vec<u8>> = request_seeds
        .iter()
        .map(|(k, b)| proto::frame_bytes(*k, b).unwrap())
        .collect();
    stream_seeds.push(proto::frame_bytes(kind::SECTION, &seed_grant().encode()).unwrap());
    stream_seeds.extend(
        files
            .iter()
            .filter(|(n, _)| n.starts_with("stream-"))
            .map(|(_, b)| b.clone()),
    );
    for b in stream_seeds.clone() {
        rep.run("stream", &b, || check_stream(&mut r, &pool, &b));
    }
    let fds_before = ipc::open_descriptors().unwrap();
    for _ in 0..(iters / 20).max(200) {
        let mut b = Vec::new();
        for _ in 0..1 + r.below(3) {
            let mut one = stream_seeds[r.below(stream_seeds.len() as u64) as usize].clone();
            match r.below(3) {
                0 => {}
                1 => mutate(&mut r, &mut one),
                _ => {
                    let n = r.below(24) as usize;
                    one = r.bytes(n);
                }
            }
            b.extend_from_slice(&one);
        }
        rep.run("stream", &b, || check_stream(&mut r, &pool, &b));
    }
    // Nothing read off a socket stays open.
    let fds_after = ipc::open_descriptors().unwrap();
    assert_eq!(
        fds_before, fds_after,
        "descriptors leaked by stream reading: {fds_before} -> {fds_after}"
    );
    rep
}

/// The tests of this file count the process's descriptors: one at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// The bounded run (a few seconds).
#[test]
fn protocol_decoders_survive_fuzzing() {
    let _one = serial();
    let rep = campaign(200_000, 0x5eed_0f50_f79a_7d00);
    rep.print_and_check("proto fuzz (bounded)");
    // The seeds themselves are accepted, so mutations start from the real
    // thing.
    for target in ["request", "grant", "stream", "ras-reply"] {
        assert!(rep.targets[target].accepted > 0, "{target}");
    }
}

/// The regression files decode as recorded: each named for what it must do.
#[test]
fn regression_inputs_behave_as_named() {
    let _one = serial();
    let files = regression_files();
    assert!(files.len() >= 8, "{} regression files", files.len());
    for (name, b) in files {
        let refused = name.contains("-refused");
        let outcome = if let Some(rest) = name.strip_prefix("request-") {
            let k: u16 = rest.split('-').next().unwrap().parse().unwrap();
            Request::decode(k, &b).is_ok()
        } else if name.starts_with("grant-") {
            SectionGrant::decode(&b).is_ok()
        } else if name.starts_with("status-") {
            proto::decode_status(&b).is_ok()
        } else if name.starts_with("text-") {
            proto::decode_error(&b).is_ok()
        } else if name.starts_with("stream-") {
            let (tx, rx) = UnixStream::pair().unwrap();
            (&tx).write_all(&b).unwrap();
            drop(tx);
            proto::recv(&rx).is_ok()
        } else {
            panic!("{name}: unknown target")
        };
        assert_eq!(outcome, !refused, "{name}");
    }
}

/// The long run: `SOFTQAT_FUZZ_ITERS` mutations per target (default one
/// million), `SOFTQAT_FUZZ_SEED` to vary the seed.
#[test]
#[ignore = "long: run with --ignored --nocapture (SOFTQAT_FUZZ_ITERS, SOFTQAT_FUZZ_SEED)"]
fn protocol_decoders_survive_long_fuzzing() {
    let _one = serial();
    let iters = std::env::var("SOFTQAT_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let seed = std::env::var("SOFTQAT_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x1234_5678_9abc_def1);
    let rep = campaign(iters, seed);
    rep.print_and_check(&format!("proto fuzz ({iters} per target, seed {seed:#x})"));
}
