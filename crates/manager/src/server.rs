//! The event loop: one thread watches the listening socket and every
//! connection with epoll, reads requests as they arrive (non-blocking, one
//! whole message at a time per connection), writes queued replies and
//! events as sockets take them, enforces the connection limits and the idle
//! timeout, and hands each complete request to a small pool of workers.
//!
//! A connection costs the daemon one descriptor and a few hundred bytes
//! until it asks for something, so thousands of idle connections cost little
//! and never keep other clients waiting. What keeps one peer from taking
//! everything:
//! - limits on connections in all, per uid and per pid: at a limit, the
//!   longest-idle connection of that peer (of anyone, at the global limit)
//!   that holds nothing makes room (told why, CLOSING with RETRY: it loses
//!   nothing); if there is none, the new connection is accepted, told why
//!   ([`proto::kind::CLOSING`], RESOURCE) and closed;
//! - out of descriptors, a spare descriptor kept for the purpose is given up
//!   to accept the connection and tell it so;
//! - a connection holding nothing (no section, no memory) that sends
//!   nothing for the idle timeout is told (CLOSING, RETRY) and closed;
//! - requests are at most [`proto::MAX_REQUEST_BODY`] bytes with at most
//!   [`proto::MAX_REQUEST_FDS`] descriptor; one request per connection is in
//!   progress at a time, and the next is not read until the reply is written;
//! - a client that leaves replies or events unread for [`SEND_TIMEOUT`] (or
//!   more than [`crate::shared::OUTBOX_LIMIT`] bytes) is closed.

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use softqat_cpa::CpaStatus;
use softqat_device::ipc::{recv_part, FdLoss};
use softqat_device::proto::{self, kind, Frame, ProtoError, HEADER_LEN};

use crate::client;
use crate::daemon::SEND_TIMEOUT;
use crate::shared::{Conn, Flushed, Shared, Wake};
use crate::sys::{ev, Epoll, Ready};

/// Threads answering requests. Requests are short (sections, memory,
/// status); endpoint control waits for engine threads to stop, so more than
/// one keeps a slow control from holding up the rest.
pub(crate) const WORKERS: usize = 4;

const LISTENER: u64 = 0;
const WAKER: u64 = 1;
/// Connection tokens are their ids plus this.
const TOKEN_BASE: u64 = 2;
/// Connections accepted per turn of the loop (the rest wait their turn).
const ACCEPT_BATCH: usize = 256;
/// Refusals logged per second; the rest are counted.
const REFUSALS_LOGGED_PER_SECOND: u32 = 10;

/// Work for the workers.
enum Job {
    /// Answer a request of the connection.
    Request(Arc<Conn>, Frame, Option<FdLoss>),
    /// Release what the connection held; the string goes into the log.
    Release(Arc<Conn>, String),
}

#[derive(Default)]
struct JobQueue {
    jobs: VecDeque<Job>,
    closed: bool,
}

/// The workers' queue.
#[derive(Default)]
struct Jobs {
    queue: Mutex<JobQueue>,
    ready: Condvar,
}

impl Jobs {
    fn push(&self, job: Job) {
        self.queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .jobs
            .push_back(job);
        self.ready.notify_one();
    }

    /// The next job; `None` once closed and empty.
    fn next(&self) -> Option<Job> {
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(job) = q.jobs.pop_front() {
                return Some(job);
            }
            if q.closed {
                return None;
            }
            q = self.ready.wait(q).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn close(&self) {
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
        self.ready.notify_all();
    }
}

/// The running event loop and its workers.
pub(crate) struct Server {
    event_loop: Option<JoinHandle<()>>,
    workers: Vec<JoinHandle<()>>,
    jobs: Arc<Jobs>,
}

impl Server {
    /// Starts the workers and the event loop over `listener`.
    pub(crate) fn start(shared: Arc<Shared>, listener: UnixListener) -> std::io::Result<Server> {
        listener.set_nonblocking(true)?;
        let epoll = Epoll::new()?;
        epoll.add(listener.as_raw_fd(), ev::IN, LISTENER)?;
        epoll.add(shared.waker.fd.as_raw_fd(), ev::IN, WAKER)?;
        let jobs: Arc<Jobs> = Arc::default();
        let mut server = Server {
            event_loop: None,
            workers: Vec::with_capacity(WORKERS),
            jobs: jobs.clone(),
        };
        for i in 0..WORKERS {
            let shared = shared.clone();
            let jobs = jobs.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("softqatd-worker{i}"))
                .spawn(move || worker(&shared, &jobs));
            match spawned {
                Ok(h) => server.workers.push(h),
                Err(e) => {
                    server.stop_workers();
                    return Err(e);
                }
            }
        }
        let state = EventLoop {
            shared,
            epoll,
            listener: Some(listener),
            listening_paused_until: None,
            reserve: File::open("/dev/null").ok(),
            conns: HashMap::new(),
            per_uid: HashMap::new(),
            per_pid: HashMap::new(),
            jobs,
            shutting_down: false,
            refusals: RefusalLog::default(),
            next_sweep: Instant::now(),
        };
        match std::thread::Builder::new()
            .name("softqatd-loop".into())
            .spawn(move || state.run())
        {
            Ok(h) => server.event_loop = Some(h),
            Err(e) => {
                server.stop_workers();
                return Err(e);
            }
        }
        Ok(server)
    }

    /// Waits for the event loop to end (after [`Wake::Shutdown`]), then for
    /// the workers to finish what is queued.
    pub(crate) fn join(mut self) {
        if let Some(h) = self.event_loop.take() {
            let _ = h.join();
        }
        self.stop_workers();
    }

    fn stop_workers(&mut self) {
        self.jobs.close();
        for h in self.workers.drain(..) {
            let _ = h.join();
        }
    }
}

fn worker(shared: &Shared, jobs: &Jobs) {
    while let Some(job) = jobs.next() {
        match job {
            Job::Request(conn, frame, lost) => {
                let served = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    client::serve_request(shared, &conn, frame, lost)
                }));
                if served.is_err() {
                    // A bug, not the client's doing: this client is closed,
                    // the daemon and everyone else carry on.
                    shared.log(format!(
                        "{}: internal error while answering its request: closing it",
                        conn.short()
                    ));
                    conn.fail("internal error".into());
                }
                shared.waker.wake(Wake::Done(conn.id));
            }
            Job::Release(conn, farewell) => {
                let released = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    client::release(shared, &conn, &farewell)
                }));
                if released.is_err() {
                    shared.log(format!(
                        "{}: internal error while releasing it",
                        conn.short()
                    ));
                }
            }
        }
    }
}

/// A request being read.
#[derive(Default)]
struct Incoming {
    header: [u8; HEADER_LEN],
    header_got: usize,
    /// (kind, body length) once the header is in.
    head: Option<(u16, usize)>,
    body: Vec<u8>,
    body_got: usize,
    fds: Vec<OwnedFd>,
    lost: Option<FdLoss>,
}

impl Incoming {
    fn started(&self) -> bool {
        self.header_got > 0
    }
}

/// One connection, as the loop sees it.
struct Slot {
    conn: Arc<Conn>,
    incoming: Incoming,
    /// A worker is answering its request.
    busy: bool,
    /// Set once the loop decided to close it while a request was in
    /// progress: the log text for when it ends.
    closing: Option<String>,
    /// Interest registered with epoll; `None`: not watched.
    watching: Option<u32>,
    last_active: Instant,
}

/// Rate-limited logging of refusals: a flood of connections must not flood
/// the log too.
#[derive(Default)]
struct RefusalLog {
    window: Option<Instant>,
    logged: u32,
    suppressed: u64,
}

impl RefusalLog {
    fn log(&mut self, shared: &Shared, line: String) {
        let now = Instant::now();
        self.roll(shared, now);
        if self.window.is_none() {
            self.window = Some(now);
        }
        if self.logged < REFUSALS_LOGGED_PER_SECOND {
            self.logged += 1;
            shared.log(line);
        } else {
            self.suppressed += 1;
        }
    }

    fn roll(&mut self, shared: &Shared, now: Instant) {
        if let Some(start) = self.window {
            if now.saturating_duration_since(start) >= Duration::from_secs(1) {
                if self.suppressed > 0 {
                    shared.log(format!(
                        "{} more connections refused in the last {} ms (not logged one by one)",
                        self.suppressed,
                        now.saturating_duration_since(start).as_millis()
                    ));
                }
                *self = RefusalLog::default();
            }
        }
    }
}

struct EventLoop {
    shared: Arc<Shared>,
    epoll: Epoll,
    listener: Option<UnixListener>,
    /// Accepting is paused (out of descriptors with no spare) until then.
    listening_paused_until: Option<Instant>,
    /// A spare descriptor, given up to accept and refuse a connection when
    /// the daemon is out of descriptors.
    reserve: Option<File>,
    conns: HashMap<u64, Slot>,
    per_uid: HashMap<u32, usize>,
    per_pid: HashMap<i32, usize>,
    jobs: Arc<Jobs>,
    shutting_down: bool,
    refusals: RefusalLog,
    next_sweep: Instant,
}

/// Errors that mean "out of descriptors or kernel memory": accepting more
/// now is pointless.
fn is_exhaustion(e: &std::io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
    )
}

impl EventLoop {
    fn run(mut self) {
        let mut ready: Vec<Ready> = Vec::with_capacity(256);
        loop {
            if self.shutting_down && self.conns.is_empty() {
                break;
            }
            ready.clear();
            let timeout = self.next_sweep.saturating_duration_since(Instant::now());
            if let Err(e) = self.epoll.wait(&mut ready, 256, timeout) {
                self.shared.log(format!("epoll_wait: {e}"));
                std::thread::sleep(Duration::from_millis(10));
            }
            for &(token, bits) in &ready {
                match token {
                    LISTENER => self.accept_some(),
                    WAKER => self.handle_wakes(),
                    t => self.on_ready(t - TOKEN_BASE, bits),
                }
            }
            let now = Instant::now();
            if now >= self.next_sweep {
                self.sweep(now);
                self.next_sweep = now + self.sweep_interval();
            }
        }
        // Every connection is released (or queued for release) by now.
        self.refusals
            .roll(&self.shared, Instant::now() + Duration::from_secs(1));
    }

    fn sweep_interval(&self) -> Duration {
        let idle = self.shared.limits.idle.map_or(Duration::MAX, |t| t / 4);
        idle.min(SEND_TIMEOUT / 4)
            .clamp(Duration::from_millis(10), Duration::from_millis(250))
    }

    // ------------------------------------------------------------ accepting

    fn accept_some(&mut self) {
        for _ in 0..ACCEPT_BATCH {
            let Some(listener) = self.listener.as_ref() else {
                return;
            };
            match listener.accept() {
                Ok((stream, _)) => self.admit(stream),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) if is_exhaustion(&e) => {
                    if !self.refuse_with_reserve(&e) {
                        self.pause_listening(&e);
                        return;
                    }
                }
                Err(e) => {
                    self.pause_listening(&e);
                    return;
                }
            }
        }
    }

    /// Out of descriptors: gives up the spare one to accept the waiting
    /// connection and tell it why it cannot be served. False if there was
    /// no spare (or no connection).
    fn refuse_with_reserve(&mut self, cause: &std::io::Error) -> bool {
        let Some(spare) = self.reserve.take() else {
            return false;
        };
        drop(spare);
        let accepted = self.listener.as_ref().map(|l| l.accept());
        let ok = match accepted {
            Some(Ok((stream, _))) => {
                let cred = softqat_device::ipc::peer_credentials(&stream).ok();
                let (soft, _) = softqat_device::ipc::descriptor_limit().unwrap_or((0, 0));
                let reason = format!(
                    "softqatd is out of descriptors ({cause}; its limit is {soft}): retry later; \
                     the operator can stop idle clients, or raise softqatd's limit \
                     (LimitNOFILE= in its systemd unit) and lower --max-connections"
                );
                self.refuse(stream, cred, &reason);
                true
            }
            _ => false,
        };
        self.reserve = File::open("/dev/null").ok();
        ok
    }

    fn pause_listening(&mut self, cause: &std::io::Error) {
        if self.listening_paused_until.is_some() {
            return;
        }
        self.shared.log(format!(
            "accept: {cause}: not accepting for 100 ms (connections wait in the backlog)"
        ));
        if let Some(l) = &self.listener {
            let _ = self.epoll.delete(l.as_raw_fd());
        }
        self.listening_paused_until = Some(Instant::now() + Duration::from_millis(100));
    }

    fn resume_listening(&mut self, now: Instant) {
        if let Some(until) = self.listening_paused_until {
            if now >= until {
                self.listening_paused_until = None;
                if let Some(l) = &self.listener {
                    if let Err(e) = self.epoll.add(l.as_raw_fd(), ev::IN, LISTENER) {
                        self.shared
                            .log(format!("cannot watch the listening socket again: {e}"));
                        self.listening_paused_until = Some(now + Duration::from_millis(100));
                    }
                }
            }
        }
    }

    /// Tells a connection why it is refused (CLOSING, RESOURCE) and closes
    /// it.
    fn refuse(&mut self, stream: UnixStream, cred: Option<(i32, u32, u32)>, reason: &str) {
        tell_refused(&stream, reason);
        drop(stream);
        let who = match cred {
            Some((pid, uid, gid)) => format!("client pid {pid} uid {uid} gid {gid}"),
            None => "a client (credentials unknown)".to_string(),
        };
        self.refusals
            .log(&self.shared, format!("{who} refused: {reason}"));
    }

    fn admit(&mut self, stream: UnixStream) {
        if self.shutting_down {
            return;
        }
        let cred = match softqat_device::ipc::peer_credentials(&stream) {
            Ok(c) => Some(c),
            Err(e) => {
                self.shared
                    .log(format!("cannot read a new client's credentials: {e}"));
                None
            }
        };
        // At a limit, a connection of the same peer (any peer, at the global
        // limit) that holds nothing and has been idle a while makes room: it
        // loses nothing and the library reconnects when it needs to. Only
        // when there is none is the new connection refused.
        let limits = self.shared.limits;
        let (pid, uid) = match cred {
            Some((pid, uid, _)) => (Some(pid), Some(uid)),
            None => (None, None),
        };
        let at = |limit: usize, n: usize| limit > 0 && n >= limit;
        let pid_full =
            pid.is_some_and(|p| at(limits.per_pid, self.per_pid.get(&p).copied().unwrap_or(0)));
        let uid_full =
            uid.is_some_and(|u| at(limits.per_uid, self.per_uid.get(&u).copied().unwrap_or(0)));
        let all_full = at(limits.max, self.conns.len());
        if (pid_full || uid_full || all_full)
            && !self.make_room(
                if pid_full { pid } else { None },
                if uid_full { uid } else { None },
            )
        {
            let reason = if pid_full {
                format!(
                    "too many connections from pid {} (limit {}): a process needs one \
                     connection; close the others, or start softqatd with a larger \
                     --max-connections-per-pid",
                    pid.unwrap_or(0),
                    limits.per_pid
                )
            } else if uid_full {
                format!(
                    "too many connections from uid {} (limit {}): close some of that user's \
                     connections (one per process is enough), or start softqatd with a larger \
                     --max-connections-per-uid",
                    uid.unwrap_or(0),
                    limits.per_uid
                )
            } else {
                format!(
                    "softqatd serves {} connections, its limit (--max-connections): retry \
                     later; the operator can raise --max-connections",
                    limits.max
                )
            };
            return self.refuse(stream, cred, &reason);
        }
        if let Err(e) = stream.set_nonblocking(true) {
            let reason = format!("softqatd cannot make the socket non-blocking ({e}): retry");
            return self.refuse(stream, cred, &reason);
        }
        let id = self
            .shared
            .next_client
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let fd = stream.as_raw_fd();
        let conn = Arc::new(Conn::new(id, cred, stream, self.shared.waker.clone()));
        if let Err(e) = self.epoll.add(fd, ev::IN, id + TOKEN_BASE) {
            let reason = format!(
                "softqatd cannot watch the connection ({e}): retry later; the operator can raise \
                 fs.epoll.max_user_watches or lower --max-connections"
            );
            tell_refused(&conn.stream, &reason);
            drop(conn);
            self.refusals
                .log(&self.shared, format!("a connection refused: {reason}"));
            return;
        }
        if let Some((pid, uid, _)) = cred {
            *self.per_uid.entry(uid).or_default() += 1;
            *self.per_pid.entry(pid).or_default() += 1;
        }
        self.shared.registry().clients.insert(id, conn.clone());
        self.shared.log(format!("{} connected", conn.who()));
        self.conns.insert(
            id,
            Slot {
                conn,
                incoming: Incoming::default(),
                busy: false,
                closing: None,
                watching: Some(ev::IN),
                last_active: Instant::now(),
            },
        );
    }

    /// Closes the longest-idle connection that holds nothing (of `pid` and
    /// `uid` where given) if it has been idle for [`evict_after`]; false if
    /// there is none.
    fn make_room(&mut self, pid: Option<i32>, uid: Option<u32>) -> bool {
        let now = Instant::now();
        let after = evict_after(self.shared.limits.idle);
        let victim = self
            .conns
            .iter()
            .filter(|(_, s)| {
                let (p, u) = match s.conn.cred {
                    Some((p, u, _)) => (Some(p), Some(u)),
                    None => (None, None),
                };
                (pid.is_none() || p == pid)
                    && (uid.is_none() || u == uid)
                    && !s.busy
                    && s.closing.is_none()
                    && !s.incoming.started()
                    && !s.conn.holds.load(Ordering::Acquire)
                    && now.saturating_duration_since(s.last_active) >= after
                    && s.conn.stalled_for(now).is_none()
            })
            .min_by_key(|(_, s)| s.last_active)
            .map(|(&id, s)| (id, now.saturating_duration_since(s.last_active)));
        let Some((id, idle)) = victim else {
            return false;
        };
        let secs = idle.as_secs();
        if let Some(slot) = self.conns.get(&id) {
            let body = proto::encode_closing(
                CpaStatus::Retry.code(),
                &format!(
                    "closed the connection: it was idle for {secs} s holding no section and no \
                     memory, and softqatd needed its place for a new connection (its connection \
                     limits): connect again when needed"
                ),
            );
            let _ = slot.conn.send(kind::CLOSING, &body, Vec::new());
        }
        self.close(
            id,
            format!(" (idle for {secs} s, holding nothing: closed to make room)"),
        );
        true
    }

    // -------------------------------------------------------------- wakes

    fn handle_wakes(&mut self) {
        for w in self.shared.waker.take() {
            match w {
                Wake::Done(id) => self.request_done(id),
                Wake::Output(id) => self.update_interest(id),
                Wake::Close(id, why) => self.close(id, format!(" ({why})")),
                Wake::StopAccepting => self.stop_accepting(),
                Wake::Shutdown => {
                    self.stop_accepting();
                    self.shutting_down = true;
                    let ids: Vec<u64> = self.conns.keys().copied().collect();
                    for id in ids {
                        self.close(id, String::new());
                    }
                }
            }
        }
    }

    fn stop_accepting(&mut self) {
        if let Some(l) = self.listener.take() {
            let _ = self.epoll.delete(l.as_raw_fd());
        }
        self.listening_paused_until = None;
    }

    fn request_done(&mut self, id: u64) {
        let Some(slot) = self.conns.get_mut(&id) else {
            return;
        };
        slot.busy = false;
        slot.last_active = Instant::now();
        if let Some(why) = slot.closing.take() {
            self.close(id, why);
        } else {
            self.update_interest(id);
        }
    }

    /// Watches for what the connection needs now: input when it is not
    /// busy and has no output waiting (the next request is read only once
    /// the reply is out), room for output when output waits.
    fn update_interest(&mut self, id: u64) {
        let Some(slot) = self.conns.get_mut(&id) else {
            return;
        };
        if slot.watching.is_none() {
            return;
        }
        let has_output = slot.conn.has_output();
        let mut want = 0;
        if !slot.busy && !has_output {
            want |= ev::IN;
        }
        if has_output {
            want |= ev::OUT;
        }
        if slot.watching != Some(want) {
            match self
                .epoll
                .modify(slot.conn.stream.as_raw_fd(), want, id + TOKEN_BASE)
            {
                Ok(()) => slot.watching = Some(want),
                Err(e) => {
                    let why = format!(" (softqatd cannot watch it: {e})");
                    self.close(id, why);
                }
            }
        }
    }

    // -------------------------------------------------------- connections

    fn on_ready(&mut self, id: u64, bits: u32) {
        if !self.conns.contains_key(&id) {
            return;
        }
        if bits & ev::OUT != 0 {
            let flushed = self.conns.get(&id).map(|s| s.conn.flush());
            match flushed {
                Some(Flushed::Failed(e)) => return self.close(id, format!(" (cannot write: {e})")),
                Some(Flushed::Empty) => {
                    if let Some(s) = self.conns.get_mut(&id) {
                        s.last_active = Instant::now();
                    }
                    self.update_interest(id);
                }
                _ => {}
            }
        }
        if bits & ev::IN != 0 {
            self.read_request(id);
        }
        if bits & (ev::HUP | ev::ERR) != 0 {
            let Some(slot) = self.conns.get_mut(&id) else {
                return;
            };
            if slot.busy {
                // The peer is gone; its request finishes first. Stop
                // watching, or level-triggered HUP would spin the loop.
                let _ = self.epoll.delete(slot.conn.stream.as_raw_fd());
                slot.watching = None;
                slot.conn.mark_closed();
                if slot.closing.is_none() {
                    slot.closing = Some(String::new());
                }
            } else if bits & ev::IN == 0 || slot.closing.is_some() {
                self.close(id, String::new());
            }
        }
    }

    /// Reads what has arrived of the connection's next request; hands it
    /// to a worker once whole.
    fn read_request(&mut self, id: u64) {
        loop {
            let Some(slot) = self.conns.get_mut(&id) else {
                return;
            };
            if slot.busy || slot.closing.is_some() {
                return;
            }
            let inc = &mut slot.incoming;
            let buf: &mut [u8] = match inc.head {
                None => &mut inc.header[inc.header_got..],
                Some(_) => &mut inc.body[inc.body_got..],
            };
            // Exactly the rest of this message: descriptors that arrive are
            // then this message's, never the next one's.
            let got = recv_part(&slot.conn.stream, buf, proto::MAX_REQUEST_FDS);
            let r = match got {
                Ok(r) => r,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return self.close(id, format!(" ({e})")),
            };
            slot.last_active = Instant::now();
            if r.bytes == 0 {
                let why = if inc.started() {
                    " (the connection closed inside a message)".to_string()
                } else {
                    String::new()
                };
                return self.close(id, why);
            }
            // Too many descriptors leave the stream in step (exactly this
            // message's bytes were read): the request is answered with an
            // error and the connection kept; the extra descriptors are closed.
            inc.fds.extend(r.fds);
            if let Some(loss) = r.lost {
                inc.lost.get_or_insert(loss);
            }
            if inc.fds.len() > proto::MAX_REQUEST_FDS {
                inc.fds.clear();
                inc.lost = Some(FdLoss::TooMany {
                    max: proto::MAX_REQUEST_FDS,
                    truncated: false,
                });
            }
            if inc.lost.is_some() {
                inc.fds.clear();
            }
            match inc.head {
                None => {
                    inc.header_got += r.bytes;
                    if inc.header_got < HEADER_LEN {
                        continue;
                    }
                    match proto::parse_header(&inc.header) {
                        Ok((len, _)) if len > proto::MAX_REQUEST_BODY => {
                            return self.reject(
                                id,
                                format!(
                                    "a request of {len} bytes is longer than the {} bytes a \
                                     request may have",
                                    proto::MAX_REQUEST_BODY
                                ),
                            );
                        }
                        Ok((len, kind)) => {
                            inc.head = Some((kind, len));
                            inc.body = vec![0; len];
                            inc.body_got = 0;
                        }
                        Err(e @ (ProtoError::Version { .. } | ProtoError::TooLong(_))) => {
                            return self.reject(id, e.to_string());
                        }
                        Err(e) => return self.reject(id, e.to_string()),
                    }
                }
                Some(_) => inc.body_got += r.bytes,
            }
            if let Some((kind, len)) = inc.head {
                if inc.body_got == len {
                    let inc = std::mem::take(inc);
                    let frame = Frame {
                        kind,
                        body: inc.body,
                        fds: inc.fds,
                    };
                    return self.dispatch(id, frame, inc.lost);
                }
            }
        }
    }

    fn dispatch(&mut self, id: u64, frame: Frame, lost: Option<FdLoss>) {
        let Some(slot) = self.conns.get_mut(&id) else {
            return;
        };
        slot.busy = true;
        let conn = slot.conn.clone();
        self.update_interest(id);
        self.jobs.push(Job::Request(conn, frame, lost));
    }

    /// A protocol violation: an ERROR saying what was wrong, then closed
    /// (the stream cannot be trusted to be in step any more).
    fn reject(&mut self, id: u64, what: String) {
        if let Some(slot) = self.conns.get(&id) {
            let _ = slot.conn.send(
                kind::ERROR,
                &proto::encode_error(
                    CpaStatus::InvalidParam.code(),
                    &format!("{what}; closing the connection"),
                ),
                Vec::new(),
            );
        }
        self.close(id, format!(" ({what})"));
    }

    /// Closes a connection: at once if no request is in progress, else when
    /// it finishes. A worker releases what it held.
    fn close(&mut self, id: u64, farewell: String) {
        let Some(slot) = self.conns.get_mut(&id) else {
            return;
        };
        slot.conn.mark_closed();
        if slot.busy {
            if slot.closing.is_none() {
                slot.closing = Some(farewell);
            }
            return;
        }
        let Some(slot) = self.conns.remove(&id) else {
            return;
        };
        if slot.watching.is_some() {
            let _ = self.epoll.delete(slot.conn.stream.as_raw_fd());
        }
        if let Some((pid, uid, _)) = slot.conn.cred {
            decrement(&mut self.per_uid, uid);
            decrement(&mut self.per_pid, pid);
        }
        // The peer sees EOF now; the descriptor closes when the worker
        // drops the last reference.
        slot.conn.close();
        self.jobs.push(Job::Release(slot.conn, farewell));
    }

    /// Timeouts: output left unread for [`SEND_TIMEOUT`], connections idle
    /// with nothing held; and accepting again after a pause.
    fn sweep(&mut self, now: Instant) {
        self.resume_listening(now);
        self.refusals.roll(&self.shared, now);
        // After a flood has gone, give its tables' memory back.
        if self.conns.capacity() > 1024 && self.conns.len() < self.conns.capacity() / 8 {
            self.conns.shrink_to_fit();
            self.per_uid.shrink_to_fit();
            self.per_pid.shrink_to_fit();
            self.shared.registry().clients.shrink_to_fit();
        }
        let idle = self.shared.limits.idle;
        let mut stalled = Vec::new();
        let mut idle_ids = Vec::new();
        for (&id, slot) in &self.conns {
            if slot.closing.is_some() {
                continue;
            }
            match slot.conn.stalled_for(now) {
                Some(t) if t >= SEND_TIMEOUT => {
                    stalled.push(id);
                    continue;
                }
                Some(_) => continue,
                None => {}
            }
            if let Some(limit) = idle {
                if !slot.busy
                    && !slot.conn.holds.load(Ordering::Acquire)
                    && now.saturating_duration_since(slot.last_active) >= limit
                {
                    idle_ids.push(id);
                }
            }
        }
        for id in stalled {
            self.close(
                id,
                format!(
                    " (it left what softqatd sent unread for {} s)",
                    SEND_TIMEOUT.as_secs_f32()
                ),
            );
        }
        if let Some(limit) = idle {
            let secs = limit.as_secs_f64();
            for id in idle_ids {
                if let Some(slot) = self.conns.get(&id) {
                    // RETRY: no request was lost, a new connection works.
                    let body = proto::encode_closing(
                        CpaStatus::Retry.code(),
                        &format!(
                            "closed the connection: it was idle for {secs} s holding no section \
                             and no memory (softqatd --idle-timeout): connect again when needed"
                        ),
                    );
                    let _ = slot.conn.send(kind::CLOSING, &body, Vec::new());
                }
                self.close(id, format!(" (idle for {secs} s, holding nothing)"));
            }
        }
    }
}

/// Sends CLOSING (RESOURCE) with `reason` on a connection about to be
/// dropped. Best effort: a new socket has room for one small message.
fn tell_refused(stream: &UnixStream, reason: &str) {
    let body = proto::encode_closing(
        CpaStatus::Resource.code(),
        &format!("refused the connection: {reason}"),
    );
    if let Ok(bytes) = proto::frame_bytes(kind::CLOSING, &body) {
        let _ = softqat_device::ipc::send_part(stream, &bytes, &[]);
    }
}

/// How long a connection holding nothing must have been idle before a new
/// connection may take its place: long enough for a client that just
/// connected to send its first request.
fn evict_after(idle_timeout: Option<Duration>) -> Duration {
    let second = Duration::from_secs(1);
    idle_timeout.map_or(second, |t| (t / 2).min(second))
}

fn decrement<K: std::hash::Hash + Eq>(map: &mut HashMap<K, usize>, key: K) {
    if let Some(n) = map.get_mut(&key) {
        *n -= 1;
        if *n == 0 {
            map.remove(&key);
        }
    }
}
