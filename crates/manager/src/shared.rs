//! What the daemon's threads share: the configuration and endpoints, the
//! table of sections held and of connected clients, the connections
//! themselves, the limit that decides how many sections there are, and the
//! log. The accept thread ([`crate::Daemon`]) and the client threads both
//! use it; it uses neither.

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Arc, Mutex, MutexGuard};

use softqat_config::SystemConfig;
use softqat_cpa::InstanceEvent;
use softqat_device::plan::EndpointPlan;
use softqat_device::proto::{self, ProtoError};
use softqat_device::{Endpoint, EndpointEvent};

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

/// One connected client, as the rest of the daemon sees it.
pub(crate) struct Conn {
    pub(crate) id: u64,
    /// SO_PEERCRED at connect time: (pid, uid, gid).
    pub(crate) cred: Option<(i32, u32, u32)>,
    pub(crate) stream: UnixStream,
    /// Serialises whole messages on the stream (replies and events).
    pub(crate) write: Mutex<()>,
}

impl Conn {
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

    /// Sends one whole message. A failure (the peer is gone, or did not read
    /// for [`crate::SEND_TIMEOUT`]) shuts the connection, so its thread cleans up.
    pub(crate) fn send(
        &self,
        kind: u16,
        body: &[u8],
        fds: &[std::os::fd::BorrowedFd<'_>],
    ) -> Result<(), ProtoError> {
        let r = {
            let _g = self.write.lock().unwrap_or_else(|e| e.into_inner());
            proto::send(&self.stream, kind, body, fds)
        };
        if r.is_err() {
            self.close();
        }
        r
    }

    /// Shuts the connection down both ways: the client's thread sees EOF.
    pub(crate) fn close(&self) {
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

/// State shared by the accept thread, client threads and event listeners.
pub(crate) struct Shared {
    pub(crate) config: SystemConfig,
    pub(crate) plans: Vec<EndpointPlan>,
    pub(crate) endpoints: Vec<Arc<Endpoint>>,
    pub(crate) limit: Limit,
    pub(crate) max_client_memory: u64,
    pub(crate) euid: u32,
    pub(crate) logger: Logger,
    pub(crate) registry: Mutex<Registry>,
    pub(crate) stopping: AtomicBool,
    pub(crate) next_client: AtomicU64,
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

    /// `qat_dev0, qat_dev1`.
    pub(crate) fn endpoint_names(&self) -> String {
        self.endpoints
            .iter()
            .map(|e| format!("qat_dev{}", e.info().id))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Sends an EVENT to every client holding a section with an instance on
    /// endpoint `id`. The registry lock is released before any write; a
    /// client that does not take the message within [`crate::SEND_TIMEOUT`] is
    /// disconnected.
    pub(crate) fn broadcast(&self, id: u32, event: EndpointEvent) {
        let code = match event {
            EndpointEvent::Restarting => InstanceEvent::Restarting,
            EndpointEvent::Restarted => InstanceEvent::Restarted,
        };
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
            if let Err(e) = conn.send(proto::kind::EVENT, &body, &[]) {
                self.log(format!(
                    "{}: cannot deliver an event of qat_dev{id} ({e}): disconnecting it",
                    conn.short()
                ));
            }
        }
    }
}
