//! What the daemon's threads share: the configuration and endpoints, the
//! table of sections held and of connected clients, the connections
//! themselves (with their queued output), the limits, the way to wake the
//! event loop, and the log. The event loop ([`crate::server`]), its workers
//! and the endpoints' event listeners all use it; it uses none of them.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use softqat_config::SystemConfig;
use softqat_device::ipc::send_part;
use softqat_device::notify::EventFd;
use softqat_device::plan::EndpointPlan;
use softqat_device::proto;
use softqat_device::{Endpoint, EndpointEvent, HeartbeatStatus};

use crate::client::ClientState;

/// Where log lines go: a function given each line (already prefixed with
/// `softqatd: `).
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

/// Writes log lines.
#[derive(Clone)]
pub(crate) struct Logger(pub(crate) Option<LogSink>);

impl Logger {
    pub(crate) fn log(&self, message: impl AsRef<str>) {
        let line = format!("softqatd: {}", message.as_ref());
        match &self.0 {
            Some(sink) => sink(&line),
            // Never panics (eprintln! would if stderr were gone).
            None => {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
        }
    }
}

/// Which limit decides how many sections there are (named in RESOURCE
/// errors).
#[derive(Clone, Debug)]
pub(crate) enum Limit {
    /// Managed mode: POLICY over the built-in PFs and their VFs.
    Policy {
        policy: u32,
        file: Option<PathBuf>,
        pfs: u32,
        vfs_per_pf: u32,
    },
    /// Endpoint files: NumProcesses of the section.
    NumProcesses { dir: PathBuf },
}

impl Limit {
    /// The RESOURCE message when all `total` sections for `name` are taken.
    pub(crate) fn exhausted(&self, name: &str, total: usize) -> String {
        let head = format!("all {total} sections for [{name}] are in use by other processes");
        match self {
            Limit::NumProcesses { dir } => format!(
                "{head} (NumProcesses in [{name}] of the files in {}): raise NumProcesses in \
                 [{name}] and restart softqatd, or stop a process that holds one",
                dir.display()
            ),
            Limit::Policy {
                policy,
                file,
                pfs,
                vfs_per_pf,
            } => {
                let vfs = pfs * vfs_per_pf;
                let rule = if *policy == 0 {
                    format!(
                        "POLICY=0: one section per process with one VF of each of the {pfs} PFs, \
                         {vfs_per_pf} VFs per PF"
                    )
                } else {
                    format!("POLICY={policy}: {policy} VFs per process, {vfs} VFs in all")
                };
                let fix = match (policy, file) {
                    (1, _) => "stop a process that holds one".to_string(),
                    (_, Some(f)) => format!(
                        "set POLICY=1 in {} (up to {vfs} processes, one VF each) and restart \
                         softqatd, or stop a process that holds one",
                        f.display()
                    ),
                    (_, None) => format!(
                        "start softqatd with --managed-file naming a file with POLICY=1 (up to \
                         {vfs} processes, one VF each), or stop a process that holds one"
                    ),
                };
                format!("{head} ({rule}): {fix}")
            }
        }
    }
}

/// Bytes of replies and events a client may leave unread before it is
/// disconnected (a client reads every reply before it sends the next
/// request, so only events and one reply ever wait).
pub(crate) const OUTBOX_LIMIT: usize = 256 << 10;

/// What the event loop is asked to do by other threads.
pub(crate) enum Wake {
    /// A worker finished the connection's request (its reply is queued).
    Done(u64),
    /// The connection has output the socket did not take: watch for room.
    Output(u64),
    /// Close the connection, for this reason (for the log).
    Close(u64, String),
    /// Stop accepting: close the listening socket.
    StopAccepting,
    /// Close every connection, release them, and end the loop.
    Shutdown,
}

/// How threads wake the event loop: a queue and an eventfd the loop watches.
pub(crate) struct Waker {
    queue: Mutex<Vec<Wake>>,
    pub(crate) fd: EventFd,
}

impl Waker {
    pub(crate) fn new() -> Result<Waker, softqat_device::DeviceError> {
        Ok(Waker {
            queue: Mutex::new(Vec::new()),
            fd: EventFd::new()?,
        })
    }

    pub(crate) fn wake(&self, w: Wake) {
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).push(w);
        self.fd.signal();
    }

    /// Everything asked since the last call.
    pub(crate) fn take(&self) -> Vec<Wake> {
        self.fd.drain();
        std::mem::take(&mut *self.queue.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// One message waiting to be written.
struct OutMsg {
    bytes: Vec<u8>,
    sent: usize,
    /// Sent with the first byte, then closed (the peer has its copies).
    fds: Vec<OwnedFd>,
}

/// A connection's unwritten output.
#[derive(Default)]
pub(crate) struct Outbox {
    queue: VecDeque<OutMsg>,
    bytes: usize,
    /// Since when output has waited without the socket taking any of it.
    stalled_since: Option<Instant>,
}

/// What a flush left.
pub(crate) enum Flushed {
    /// Everything was written.
    Empty,
    /// The socket is full; the rest waits.
    Pending,
    /// Writing failed: the connection is broken.
    Failed(std::io::Error),
}

/// One connected client, as the rest of the daemon sees it. Its socket is
/// non-blocking: replies and events are queued and written as the socket
/// takes them, so no thread ever waits on a client.
pub(crate) struct Conn {
    pub(crate) id: u64,
    /// SO_PEERCRED at connect time: (pid, uid, gid).
    pub(crate) cred: Option<(i32, u32, u32)>,
    pub(crate) stream: UnixStream,
    out: Mutex<Outbox>,
    /// What it holds (sections, memory); one request at a time uses it.
    pub(crate) state: Mutex<ClientState>,
    /// True while it holds a section or registered memory: such a
    /// connection is never closed for being idle.
    pub(crate) holds: AtomicBool,
    closed: AtomicBool,
    waker: Arc<Waker>,
}

impl Conn {
    pub(crate) fn new(
        id: u64,
        cred: Option<(i32, u32, u32)>,
        stream: UnixStream,
        waker: Arc<Waker>,
    ) -> Conn {
        Conn {
            id,
            cred,
            stream,
            out: Mutex::new(Outbox::default()),
            state: Mutex::new(ClientState::new()),
            holds: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            waker,
        }
    }

    /// `client pid P uid U gid G`.
    pub(crate) fn who(&self) -> String {
        match self.cred {
            Some((pid, uid, gid)) => format!("client pid {pid} uid {uid} gid {gid}"),
            None => format!("client #{} (credentials unknown)", self.id),
        }
    }

    /// `client pid P`.
    pub(crate) fn short(&self) -> String {
        match self.cred {
            Some((pid, ..)) => format!("client pid {pid}"),
            None => format!("client #{}", self.id),
        }
    }

    fn outbox(&self) -> MutexGuard<'_, Outbox> {
        self.out.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues one whole message and writes what the socket takes now; the
    /// event loop writes the rest. A client that leaves more than
    /// [`OUTBOX_LIMIT`] bytes unread, or whose socket fails, is closed.
    pub(crate) fn send(&self, kind: u16, body: &[u8], fds: Vec<OwnedFd>) -> Result<(), String> {
        if self.closed.load(Ordering::Acquire) {
            return Err("the connection is closing".into());
        }
        let bytes = proto::frame_bytes(kind, body).map_err(|e| e.to_string())?;
        let mut out = self.outbox();
        if out.bytes + bytes.len() > OUTBOX_LIMIT {
            let why = format!(
                "it does not read what softqatd sends ({} bytes unread)",
                out.bytes
            );
            drop(out);
            self.fail(why.clone());
            return Err(why);
        }
        out.bytes += bytes.len();
        out.queue.push_back(OutMsg {
            bytes,
            sent: 0,
            fds,
        });
        match self.flush_locked(&mut out) {
            Flushed::Empty => Ok(()),
            Flushed::Pending => {
                drop(out);
                self.waker.wake(Wake::Output(self.id));
                Ok(())
            }
            Flushed::Failed(e) => {
                drop(out);
                let why = format!("cannot write to it: {e}");
                self.fail(why.clone());
                Err(why)
            }
        }
    }

    /// Writes queued output until the socket is full.
    pub(crate) fn flush(&self) -> Flushed {
        let mut out = self.outbox();
        self.flush_locked(&mut out)
    }

    fn flush_locked(&self, out: &mut Outbox) -> Flushed {
        let mut progressed = false;
        while let Some(head) = out.queue.front_mut() {
            let fds: Vec<BorrowedFd<'_>> = if head.sent == 0 {
                head.fds.iter().map(|f| f.as_fd()).collect()
            } else {
                Vec::new()
            };
            match send_part(&self.stream, &head.bytes[head.sent..], &fds) {
                Ok(n) => {
                    drop(fds);
                    if n > 0 {
                        progressed = true;
                        // The descriptors went with the first byte.
                        head.fds.clear();
                    }
                    head.sent += n;
                    if head.sent == head.bytes.len() {
                        let done = head.bytes.len();
                        out.queue.pop_front();
                        out.bytes -= done;
                    } else if n == 0 {
                        break;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) => return Flushed::Failed(e),
            }
        }
        if out.queue.is_empty() {
            out.stalled_since = None;
            Flushed::Empty
        } else {
            if progressed || out.stalled_since.is_none() {
                out.stalled_since = Some(Instant::now());
            }
            Flushed::Pending
        }
    }

    /// How long queued output has waited without the socket taking any.
    pub(crate) fn stalled_for(&self, now: Instant) -> Option<Duration> {
        self.outbox()
            .stalled_since
            .map(|t| now.saturating_duration_since(t))
    }

    /// True if output waits to be written.
    pub(crate) fn has_output(&self) -> bool {
        !self.outbox().queue.is_empty()
    }

    /// Asks the event loop to close the connection (once).
    pub(crate) fn fail(&self, why: String) {
        if !self.closed.swap(true, Ordering::AcqRel) {
            self.waker.wake(Wake::Close(self.id, why));
        }
    }

    /// Marks the connection closed: nothing more is queued for it.
    pub(crate) fn mark_closed(&self) {
        self.closed.store(true, Ordering::Release);
    }

    /// Shuts the connection down both ways (the descriptor closes when the
    /// last holder drops it).
    pub(crate) fn close(&self) {
        self.mark_closed();
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

/// Who holds an internal section.
pub(crate) struct Holder {
    pub(crate) client: u64,
    /// Ids of the endpoints its instances are on.
    pub(crate) endpoints: Vec<u32>,
}

/// What every thread may look at.
#[derive(Default)]
pub(crate) struct Registry {
    /// Internal section name → holder.
    pub(crate) held: HashMap<String, Holder>,
    /// Connected clients.
    pub(crate) clients: HashMap<u64, Arc<Conn>>,
}

/// Connection limits (see [`crate::DaemonOptions`]); 0 means no limit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ConnLimits {
    pub(crate) max: usize,
    pub(crate) per_uid: usize,
    pub(crate) per_pid: usize,
    /// Connections holding nothing are closed after this long without a
    /// message; `None`: never.
    pub(crate) idle: Option<Duration>,
}

/// State shared by the event loop, its workers and event listeners.
pub(crate) struct Shared {
    pub(crate) config: SystemConfig,
    pub(crate) plans: Vec<EndpointPlan>,
    pub(crate) endpoints: Vec<Arc<Endpoint>>,
    pub(crate) limit: Limit,
    pub(crate) max_client_memory: u64,
    pub(crate) euid: u32,
    pub(crate) logger: Logger,
    pub(crate) registry: Mutex<Registry>,
    pub(crate) next_client: AtomicU64,
    pub(crate) limits: ConnLimits,
    pub(crate) waker: Arc<Waker>,
    /// Per endpoint (by index), the result of the last counted heartbeat
    /// check and whether the monitor made it: the on-disk
    /// `heartbeat/status` file shows it.
    pub(crate) heartbeats: Mutex<Vec<Option<(HeartbeatStatus, bool)>>>,
}

impl Shared {
    pub(crate) fn log(&self, message: impl AsRef<str>) {
        self.logger.log(message);
    }

    pub(crate) fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Index of endpoint `qat_dev<id>`.
    pub(crate) fn endpoint_index(&self, id: u32) -> Option<usize> {
        self.endpoints.iter().position(|e| e.info().id == id)
    }

    /// A heartbeat check of endpoint index `i`, by the monitor or for a
    /// client; a counted result (not "too soon") is kept for the on-disk
    /// `heartbeat/status` file.
    ///
    /// Every check shares the endpoint's period, as in the kernel, so a
    /// client asking shortly after the monitor's own check would read "too
    /// soon" most of the time: it gets the monitor's result instead, which
    /// is at most one period old. A client asking again too soon after its
    /// own (or another client's) check still reads "too soon".
    pub(crate) fn check_heartbeat(&self, i: usize, by_monitor: bool) -> HeartbeatStatus {
        let status = self.endpoints[i].check_heartbeat();
        let mut all = self.heartbeats.lock().unwrap_or_else(|e| e.into_inner());
        let Some(slot) = all.get_mut(i) else {
            return status;
        };
        match (status, *slot) {
            (HeartbeatStatus::TooSoon, Some((last, true))) if !by_monitor => last,
            (HeartbeatStatus::TooSoon, _) => status,
            _ => {
                *slot = Some((status, by_monitor));
                status
            }
        }
    }

    /// Endpoint index `i`'s last counted heartbeat check, if any.
    pub(crate) fn last_heartbeat(&self, i: usize) -> Option<HeartbeatStatus> {
        self.heartbeats
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(i)
            .copied()
            .flatten()
            .map(|(s, _)| s)
    }

    /// `qat_dev0, qat_dev1`.
    pub(crate) fn endpoint_names(&self) -> String {
        self.endpoints
            .iter()
            .map(|e| format!("qat_dev{}", e.info().id))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Sends an EVENT to every client holding a section with an instance on
    /// endpoint `id`. The registry lock is released before any write, and no
    /// write waits: a client that does not take the message within
    /// [`crate::SEND_TIMEOUT`] is disconnected by the event loop.
    pub(crate) fn broadcast(&self, id: u32, event: EndpointEvent) {
        let code = event.instance_event();
        let targets: Vec<Arc<Conn>> = {
            let reg = self.registry();
            let mut ids: Vec<u64> = reg
                .held
                .values()
                .filter(|h| h.endpoints.contains(&id))
                .map(|h| h.client)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids.iter()
                .filter_map(|c| reg.clients.get(c).cloned())
                .collect()
        };
        let body = proto::encode_event(id, code);
        for conn in targets {
            // Queued, never waited for: a client that does not read is closed
            // by the event loop after SEND_TIMEOUT.
            if let Err(e) = conn.send(proto::kind::EVENT, &body, Vec::new()) {
                self.log(format!(
                    "{}: cannot deliver an event of qat_dev{id} ({e}): disconnecting it",
                    conn.short()
                ));
            }
        }
    }
}
