//! Test helpers: a temporary run directory, an in-process daemon with its
//! log captured, and a raw protocol client that does what the SAL's managed
//! transport does — with nothing but a `UnixStream`, `proto` and the shared
//! memory it receives.
#![allow(dead_code)]

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use softqat_cpa::InstanceEvent;
use softqat_device::desc::{
    BufferDesc, DcCommand, DcContent, DcRequestParams, DcResponseResults, DcSessionDesc,
    RequestDesc, ResponseDesc, ServiceId,
};
use softqat_device::ipc::SharedMemory;
use softqat_device::notify::{Doorbell, EndpointPage, EventFd};
use softqat_device::plan::InstanceKind;
use softqat_device::proto::{self, kind, Frame, InstanceGrant, Request, SectionGrant};
use softqat_device::ring::{PollOutcome, RingMemory, RingProducer};
use softqat_manager::{ConfigSource, Daemon, DaemonOptions};

/// A directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "softqatd-test-{}-{}-{tag}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `name` with `text`; returns its path.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Log lines of a daemon.
#[derive(Clone, Default)]
pub struct Log(pub Arc<Mutex<Vec<String>>>);

impl Log {
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// Waits until a line contains `text`; returns it.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            if let Some(l) = self.lines().into_iter().find(|l| l.contains(text)) {
                return l;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no log line with {text:?}: {:#?}",
                self.lines()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// A daemon on its own run directory, one engine thread per endpoint.
pub struct TestDaemon {
    pub daemon: Option<Daemon>,
    pub log: Log,
    pub run: TempDir,
}

impl TestDaemon {
    pub fn start(config: ConfigSource) -> TestDaemon {
        Self::start_with(config, |_| {})
    }

    pub fn start_with(config: ConfigSource, tweak: impl FnOnce(&mut DaemonOptions)) -> TestDaemon {
        let run = TempDir::new("run");
        let log = Log::default();
        let sink = log.0.clone();
        let mut options = DaemonOptions {
            run_dir: run.path().join("softqat"),
            config,
            engine_threads: Some(1),
            log: Some(Arc::new(move |line: &str| {
                sink.lock().unwrap().push(line.to_string())
            })),
            ..DaemonOptions::default()
        };
        tweak(&mut options);
        let daemon = Daemon::start(options).unwrap();
        TestDaemon {
            daemon: Some(daemon),
            log,
            run,
        }
    }

    pub fn daemon(&self) -> &Daemon {
        self.daemon.as_ref().unwrap()
    }

    pub fn connect(&self) -> Client {
        Client::connect(self.daemon().socket_path())
    }

    /// Waits until the held sections are exactly `names`.
    pub fn wait_held(&self, names: &[&str]) {
        let start = Instant::now();
        loop {
            let held: Vec<String> = self
                .daemon()
                .held_sections()
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            if held == names {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "held {held:?}, wanted {names:?}"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    pub fn shutdown(&mut self) {
        if let Some(d) = self.daemon.take() {
            d.shutdown();
        }
    }
}

/// A managed-mode file.
pub fn managed_file(dir: &TempDir, text: &str) -> ConfigSource {
    ConfigSource::ManagedFile(dir.file("qat", text))
}

/// A raw protocol client.
pub struct Client {
    pub stream: UnixStream,
    /// EVENTs read while waiting for replies: (endpoint, code).
    pub events: Vec<(u32, InstanceEvent)>,
    /// The compression session's content descriptor, registered with the
    /// first memory at [`SESSION_IOVA`].
    pub session: Option<Arc<SharedMemory>>,
}

/// Where each test client keeps its compression session's content
/// descriptor (its own memory: every client has its own map).
pub const SESSION_IOVA: u64 = 0x7000_0000_0000;

impl Client {
    pub fn connect(socket: &Path) -> Client {
        let stream = UnixStream::connect(socket).unwrap();
        Client::from_stream(stream)
    }

    pub fn from_stream(stream: UnixStream) -> Client {
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Client {
            stream,
            events: Vec::new(),
            session: None,
        }
    }

    pub fn send_raw(&self, kind: u16, body: &[u8], fds: &[BorrowedFd<'_>]) {
        proto::send(&self.stream, kind, body, fds).unwrap();
    }

    /// The next frame that is not an EVENT (events are kept).
    pub fn reply(&mut self) -> Frame {
        loop {
            let f = proto::recv(&self.stream).unwrap();
            if f.kind == kind::EVENT {
                self.events.push(proto::decode_event(&f.body).unwrap());
                continue;
            }
            return f;
        }
    }

    pub fn call(&mut self, req: &Request, fds: &[BorrowedFd<'_>]) -> Frame {
        let (k, body) = req.encode();
        self.send_raw(k, &body, fds);
        self.reply()
    }

    pub fn ok(&mut self, req: &Request) -> String {
        let f = self.call(req, &[]);
        expect_ok(&f)
    }

    pub fn error(&mut self, req: &Request, fds: &[BorrowedFd<'_>]) -> (i32, String) {
        let f = self.call(req, fds);
        expect_error(&f)
    }

    pub fn status(&mut self) -> Vec<proto::EndpointStatus> {
        let f = self.call(&Request::Status, &[]);
        assert_eq!(f.kind, kind::STATUS_REPLY);
        proto::decode_status(&f.body).unwrap()
    }

    /// SECTION_GET that must succeed.
    pub fn section(&mut self, name: &str) -> Section {
        let f = self.call(&Request::SectionGet { name: name.into() }, &[]);
        if f.kind == kind::ERROR {
            panic!("SECTION_GET {name}: {:?}", proto::decode_error(&f.body));
        }
        assert_eq!(f.kind, kind::SECTION);
        let grant = SectionGrant::decode(&f.body).unwrap();
        assert_eq!(f.fds.len(), grant.fd_count());
        Section::new(grant, f.fds)
    }

    /// Registers a new sealed memfd of `len` bytes at `iova` (and, the first
    /// time, a page holding the session content descriptor at
    /// [`SESSION_IOVA`] that [`compress_request`] names).
    pub fn register(&mut self, iova: u64, len: usize) -> Arc<SharedMemory> {
        if self.session.is_none() {
            let content = DcContent::new(deflate_session(), 1);
            let page = self.register_raw(SESSION_IOVA, 4096);
            put(&page, 0, bytemuck::bytes_of(&content));
            self.session = Some(page);
        }
        self.register_raw(iova, len)
    }

    fn register_raw(&mut self, iova: u64, len: usize) -> Arc<SharedMemory> {
        let shm = SharedMemory::create("softqat-test-dma", len).unwrap();
        shm.seal_size().unwrap();
        let f = self.call(
            &Request::MemRegister {
                iova,
                len: len as u64,
            },
            &[shm.fd()],
        );
        expect_ok(&f);
        Arc::new(shm)
    }

    /// Waits for the next EVENT (or takes one already read).
    pub fn next_event(&mut self) -> (u32, InstanceEvent) {
        if !self.events.is_empty() {
            return self.events.remove(0);
        }
        let f = proto::recv(&self.stream).unwrap();
        assert_eq!(f.kind, kind::EVENT, "expected an EVENT");
        proto::decode_event(&f.body).unwrap()
    }

    /// True if the daemon closed the connection (after any frames pending).
    pub fn closed(&mut self) -> bool {
        loop {
            match proto::recv(&self.stream) {
                Ok(f) if f.kind == kind::EVENT => {
                    self.events.push(proto::decode_event(&f.body).unwrap());
                }
                Ok(_) => return false,
                Err(proto::ProtoError::Closed) => return true,
                Err(proto::ProtoError::Io(_)) => return true,
                Err(e) => panic!("{e}"),
            }
        }
    }
}

pub fn expect_ok(f: &Frame) -> String {
    if f.kind == kind::ERROR {
        panic!("expected OK, got {:?}", proto::decode_error(&f.body));
    }
    assert_eq!(f.kind, kind::OK);
    proto::decode_ok(&f.body).unwrap()
}

pub fn expect_error(f: &Frame) -> (i32, String) {
    assert_eq!(f.kind, kind::ERROR, "expected ERROR, got kind {}", f.kind);
    proto::decode_error(&f.body).unwrap()
}

/// A granted section, mapped as the SAL maps it.
pub struct Section {
    pub grant: SectionGrant,
    pub ring_memory: Arc<SharedMemory>,
    pub doorbells: Vec<Doorbell>,
    /// Per ring pair, instance by instance, its notification eventfd.
    pub notify: Vec<Option<OwnedFd>>,
}

impl Section {
    fn new(grant: SectionGrant, fds: Vec<OwnedFd>) -> Section {
        let mut it = fds.into_iter();
        let ring_memory =
            Arc::new(SharedMemory::from_fd(it.next().unwrap(), grant.ring_len as usize).unwrap());
        assert!(
            ring_memory.size_sealed().unwrap(),
            "ring memfd must be sealed"
        );
        let mut doorbells = Vec::new();
        for _ in &grant.endpoints {
            let page = EndpointPage::from_fd_read_only(it.next().unwrap()).unwrap();
            let bell = EventFd::from_owned(it.next().unwrap());
            doorbells.push(Doorbell::remote(page, bell));
        }
        let notify = it.map(Some).collect::<Vec<_>>();
        assert_eq!(notify.len(), grant.ring_count());
        Section {
            grant,
            ring_memory,
            doorbells,
            notify,
        }
    }

    /// Index of the `k`-th instance of `kind`.
    pub fn nth(&self, kind: InstanceKind, k: usize) -> usize {
        self.grant
            .instances
            .iter()
            .enumerate()
            .filter(|(_, i)| i.service == kind)
            .nth(k)
            .unwrap_or_else(|| panic!("no {kind:?} instance {k} in {:?}", self.grant))
            .0
    }

    /// Index of the `k`-th compression instance.
    pub fn dc(&self, k: usize) -> usize {
        self.nth(InstanceKind::Dc, k)
    }

    /// The instances of `kind`.
    pub fn of(&self, kind: InstanceKind) -> Vec<&InstanceGrant> {
        self.grant
            .instances
            .iter()
            .filter(|i| i.service == kind)
            .collect()
    }

    /// A producer over ring pair `r` of instance `i`.
    pub fn ring_producer(&mut self, i: usize, r: usize) -> RingProducer<u32> {
        let at = self.grant.instances[..i]
            .iter()
            .map(|x| x.rings.len())
            .sum::<usize>()
            + r;
        let ring = self.grant.instances[i].rings[r];
        let off = ring.ring_offset as usize;
        let len = RingMemory::size_for(ring.slots);
        assert!(off.is_multiple_of(4096) && off + len <= self.ring_memory.len());
        // SAFETY: the block is inside the mapping (checked), page-aligned, and
        // the mapping lives as long as the Arc clone handed over as `keep`.
        let mem = unsafe {
            RingMemory::from_external(
                self.ring_memory.as_ptr().add(off),
                len,
                ring.slots,
                Box::new(self.ring_memory.clone()),
            )
        }
        .unwrap();
        let notify = EventFd::from_owned(self.notify[at].take().unwrap());
        RingProducer::new(mem, Arc::new(notify), ring.in_flight)
    }

    /// A producer over instance `i`'s (first) ring pair.
    pub fn producer(&mut self, i: usize) -> RingProducer<u32> {
        self.ring_producer(i, 0)
    }

    /// The doorbell of instance `i`'s endpoint.
    pub fn doorbell(&self, i: usize) -> &Doorbell {
        &self.doorbells[self.grant.instances[i].endpoint as usize]
    }
}

/// Writes `data` at `off` of a mapping.
pub fn put(shm: &SharedMemory, off: usize, data: &[u8]) {
    assert!(off + data.len() <= shm.len());
    // SAFETY: in bounds of the mapping; nothing else writes these bytes now.
    unsafe {
        std::ptr::copy_nonoverlapping(data.as_ptr(), shm.as_ptr().as_ptr().add(off), data.len())
    }
}

/// Reads `len` bytes at `off` of a mapping.
pub fn get(shm: &SharedMemory, off: usize, len: usize) -> Vec<u8> {
    assert!(off + len <= shm.len());
    let mut v = vec![0u8; len];
    // SAFETY: in bounds of the mapping; the engine finished writing (the
    // response was seen with Acquire ordering).
    unsafe { std::ptr::copy_nonoverlapping(shm.as_ptr().as_ptr().add(off), v.as_mut_ptr(), len) }
    v
}

pub fn flat(addr: u64, len: usize) -> BufferDesc {
    BufferDesc::flat(softqat_device::Iova(addr), len as u32)
}

/// Deflate level 1, dynamic Huffman, CRC32.
pub fn deflate_session() -> DcSessionDesc {
    DcSessionDesc {
        comp_type: 3,
        huff_type: 2,
        asb: 2,
        checksum: 1,
        level: 1,
        min_match: 0,
        lz4_block_max: 0,
        lz4_flags: 0,
        ..DcSessionDesc::default()
    }
}

/// A final-flush compression request on the client's session (at
/// [`SESSION_IOVA`]).
pub fn compress_request(src: BufferDesc, dst: BufferDesc) -> RequestDesc {
    let mut r: RequestDesc = bytemuck::Zeroable::zeroed();
    r.header.service = ServiceId::Dc as u8;
    r.header.command = DcCommand::Compress as u8;
    r.content = softqat_device::Iova(SESSION_IOVA);
    r.content_len = std::mem::size_of::<DcContent>() as u32;
    r.src = src;
    r.dst = dst;
    r.set_params(&DcRequestParams {
        flush: 1,
        ..DcRequestParams::default()
    });
    r
}

/// The compression results of a response.
pub fn dc_result(resp: &ResponseDesc) -> DcResponseResults {
    resp.result()
}

/// Waits for one response.
pub fn one_response(p: &RingProducer<u32>) -> (ResponseDesc, u32) {
    let start = Instant::now();
    loop {
        let mut got = None;
        if let PollOutcome::Consumed(1) = p.poll(1, |r, c| got = Some((r, c))) {
            return got.unwrap();
        }
        assert!(start.elapsed() < Duration::from_secs(10), "no response");
        if !p.arm() {
            p.notifier().wait(Some(Duration::from_millis(10)));
        }
        p.notifier().drain();
    }
}

/// Text that compresses well.
pub fn sample(len: usize) -> Vec<u8> {
    b"managed mode moves descriptors, never data, across processes; "
        .iter()
        .cycle()
        .take(len)
        .copied()
        .collect()
}

pub fn fd_of<T: AsFd>(t: &T) -> BorrowedFd<'_> {
    t.as_fd()
}
