//! The daemon: endpoints, the listening socket, the table of sections held
//! by clients, event fan-out and shutdown. Connections are served by the
//! event loop in [`crate::server`].

use std::fmt;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use softqat_config::ManagedConfig;
use softqat_device::plan::{self, ConfigSource};
use softqat_device::proto;
use softqat_device::{Endpoint, EndpointOptions};

use crate::error::ManagerError;
use crate::ras::{Monitor, DEFAULT_HEARTBEAT_PERIOD};
use crate::server::Server;
use crate::shared::{ConnLimits, Limit, LogSink, Logger, Registry, Shared, Wake, Waker};
use crate::sys;

/// Default of [`DaemonOptions::max_client_memory`]: 4 GiB.
pub const DEFAULT_MAX_CLIENT_MEMORY: u64 = 4 << 30;

/// How long a client may leave what the daemon sends it (replies, events)
/// unread before it is dropped.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(1);

/// How long shutdown waits for queued requests to be taken by the engines.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Default of [`DaemonOptions::max_connections`]. The daemon also keeps
/// 64 descriptors below its `RLIMIT_NOFILE` for sections and memory, and
/// serves no more connections than that leaves.
pub const DEFAULT_MAX_CONNECTIONS: usize = 16384;

/// Default of [`DaemonOptions::max_connections_per_uid`].
pub const DEFAULT_MAX_CONNECTIONS_PER_UID: usize = 1024;

/// Default of [`DaemonOptions::max_connections_per_pid`]: a process needs
/// one connection (and a tool one more).
pub const DEFAULT_MAX_CONNECTIONS_PER_PID: usize = 64;

/// Default of [`DaemonOptions::idle_timeout`].
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Descriptors kept free of connections for sections, memory and the
/// daemon itself.
const RESERVED_DESCRIPTORS: u64 = 64;

/// The group whose members may connect to the socket.
pub const SOCKET_GROUP: &str = "qat";

/// How to start a [`Daemon`].
#[derive(Clone)]
pub struct DaemonOptions {
    /// Directory of the socket and PID file (default `$SOFTQAT_RUN_DIR`,
    /// else `/run/softqat`); created if missing.
    pub run_dir: PathBuf,
    /// The configuration: [`ConfigSource::Auto`] looks in
    /// `$SOFTQAT_CONFIG_DIR`, then `/etc/softqat`, then uses the built-in
    /// default, as the library does in embedded mode.
    pub config: ConfigSource,
    /// Engine threads per endpoint; `None`: `$SOFTQAT_ENGINES`, else the
    /// number of CPUs.
    pub engine_threads: Option<usize>,
    /// Bytes of DMA memory one client may register in all.
    pub max_client_memory: u64,
    /// Where log lines go; `None`: standard error.
    pub log: Option<LogSink>,
    /// Connections served at once (0: as many as descriptors allow); more
    /// are refused, told why.
    pub max_connections: usize,
    /// Connections of one user (uid) at once (0: no limit).
    pub max_connections_per_uid: usize,
    /// Connections of one process (pid) at once (0: no limit).
    pub max_connections_per_pid: usize,
    /// A connection that holds nothing (no section, no registered memory)
    /// and sends nothing for this long is closed, told why (`None`: never).
    pub idle_timeout: Option<Duration>,
    /// The heartbeat monitor checks every endpoint that is up this often
    /// (`None`: no monitor; at least 200 ms). What a failure leads to is the
    /// endpoint's: `AutoResetOnError` in its configuration resets it.
    pub heartbeat_period: Option<Duration>,
}

impl Default for DaemonOptions {
    fn default() -> Self {
        DaemonOptions {
            run_dir: proto::run_dir(),
            config: ConfigSource::Auto,
            engine_threads: None,
            max_client_memory: DEFAULT_MAX_CLIENT_MEMORY,
            log: None,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_connections_per_uid: DEFAULT_MAX_CONNECTIONS_PER_UID,
            max_connections_per_pid: DEFAULT_MAX_CONNECTIONS_PER_PID,
            idle_timeout: Some(DEFAULT_IDLE_TIMEOUT),
            heartbeat_period: Some(DEFAULT_HEARTBEAT_PERIOD),
        }
    }
}

impl fmt::Debug for DaemonOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DaemonOptions")
            .field("run_dir", &self.run_dir)
            .field("config", &self.config)
            .field("engine_threads", &self.engine_threads)
            .field("max_client_memory", &self.max_client_memory)
            .field("log", &self.log.as_ref().map(|_| "custom"))
            .field("max_connections", &self.max_connections)
            .field("max_connections_per_uid", &self.max_connections_per_uid)
            .field("max_connections_per_pid", &self.max_connections_per_pid)
            .field("idle_timeout", &self.idle_timeout)
            .field("heartbeat_period", &self.heartbeat_period)
            .finish()
    }
}

/// A running `softqatd`: endpoints up, socket listening, an event loop
/// serving every client. Dropping it shuts it down as [`Daemon::shutdown`]
/// does.
pub struct Daemon {
    shared: Arc<Shared>,
    server: Option<Server>,
    monitor: Option<Monitor>,
    subscriptions: Vec<(usize, u64)>,
    run_dir: PathBuf,
    socket: PathBuf,
    pid_file: PathBuf,
    summary: String,
    stopped: bool,
}

impl fmt::Debug for Daemon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Daemon")
            .field("socket", &self.socket)
            .field("endpoints", &self.shared.endpoints.len())
            .finish()
    }
}

fn describe_config(source: &ConfigSource, limit: &Limit) -> String {
    let policy = match limit {
        Limit::Policy { policy, .. } => format!(" (POLICY={policy})"),
        Limit::NumProcesses { .. } => String::new(),
    };
    match source {
        ConfigSource::Auto | ConfigSource::Builtin => format!("built-in{policy}"),
        ConfigSource::Dir(d) => format!("endpoint files in {}", d.display()),
        ConfigSource::ManagedFile(f) => format!("managed-mode file {}{policy}", f.display()),
    }
}

fn io_error(
    what: &'static str,
    path: &Path,
    source: std::io::Error,
    hint: &'static str,
) -> ManagerError {
    ManagerError::Io {
        what,
        path: path.to_path_buf(),
        source,
        hint,
    }
}

fn engine_threads(requested: Option<usize>) -> usize {
    requested
        .or_else(|| {
            std::env::var("SOFTQAT_ENGINES")
                .ok()
                .and_then(|v| v.trim().parse().ok())
        })
        .unwrap_or_else(|| EndpointOptions::default().engine_threads)
        .max(1)
}

/// Binds the socket at `staging`, refusing if another daemon answers on
/// `socket` and removing a stale one. The caller moves it to `socket` once it
/// is ready (access set, PID file written), so a socket at its real path is
/// always a ready daemon's.
fn bind_socket(
    socket: &Path,
    staging: &Path,
    pid_file: &Path,
) -> Result<UnixListener, ManagerError> {
    match std::fs::symlink_metadata(socket) {
        Ok(meta) if meta.file_type().is_socket() => {
            if UnixStream::connect(socket).is_ok() {
                let pid = match std::fs::read_to_string(pid_file) {
                    Ok(text) => match text.trim().parse::<u32>() {
                        Ok(pid) => format!("pid {pid} from the PID file"),
                        Err(_) => format!("{} does not hold a pid", pid_file.display()),
                    },
                    Err(e) => format!("no PID file {}: {e}", pid_file.display()),
                };
                return Err(ManagerError::AlreadyRunning {
                    pid,
                    socket: socket.to_path_buf(),
                });
            }
            std::fs::remove_file(socket).map_err(|e| {
                io_error(
                    "cannot remove the stale socket",
                    socket,
                    e,
                    "remove it by hand or give another --run-dir",
                )
            })?;
        }
        Ok(_) => {
            return Err(ManagerError::InTheWay(format!(
                "{} exists and is not a socket: remove it or give another --run-dir",
                socket.display()
            )))
        }
        Err(_) => {}
    }
    // A staging socket left by a daemon that died while starting.
    let _ = std::fs::remove_file(staging);
    UnixListener::bind(staging).map_err(|e| {
        io_error(
            "cannot listen on",
            staging,
            e,
            "check the run directory's permissions (run as root or the qat service user), or give another --run-dir",
        )
    })
}

/// chmod 0660 and, if group `qat` exists, chgrp qat. Returns a note for the
/// log.
fn set_socket_access(socket: &Path) -> Result<String, ManagerError> {
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o660)).map_err(|e| {
        io_error(
            "cannot set mode 0660 on",
            socket,
            e,
            "check the run directory's file system",
        )
    })?;
    Ok(match sys::group_id(SOCKET_GROUP) {
        Some(gid) => match std::os::unix::fs::chown(socket, None, Some(gid)) {
            Ok(()) => format!("mode 0660, group {SOCKET_GROUP} (gid {gid})"),
            Err(e) => format!(
                "mode 0660; cannot give it group {SOCKET_GROUP} (gid {gid}): {e}: run softqatd as \
                 root or as a member of {SOCKET_GROUP}"
            ),
        },
        None => format!(
            "mode 0660; there is no group {SOCKET_GROUP}, so only this user can connect: create \
             it (groupadd {SOCKET_GROUP}), add the users of QAT to it and restart softqatd"
        ),
    })
}

impl Daemon {
    /// Loads the configuration, brings every endpoint up, binds
    /// `$RUN_DIR/softqatd.sock` (mode 0660, group `qat` if it exists), writes
    /// `softqatd.pid` and starts serving clients.
    pub fn start(options: DaemonOptions) -> Result<Daemon, ManagerError> {
        let logger = Logger(options.log.clone());
        crate::ras::check_period(options.heartbeat_period).map_err(ManagerError::Options)?;
        // Every client takes a descriptor, and a section more: use all the
        // descriptors the system lets this process have.
        let descriptors = match sys::raise_descriptor_limit() {
            Ok((before, now)) if now > before => {
                format!("descriptor limit {now} (raised from {before})")
            }
            Ok((_, now)) => format!("descriptor limit {now}"),
            Err(e) => format!("descriptor limit unknown ({e})"),
        };
        let fd_limit = softqat_device::ipc::descriptor_limit()
            .map(|(soft, _)| soft)
            .unwrap_or(1024);
        let by_descriptors = fd_limit.saturating_sub(RESERVED_DESCRIPTORS).max(1);
        let by_descriptors = usize::try_from(by_descriptors).unwrap_or(usize::MAX);
        let max_connections = match options.max_connections {
            0 => by_descriptors,
            n => n.min(by_descriptors),
        };
        let limits = ConnLimits {
            max: max_connections,
            per_uid: options.max_connections_per_uid,
            per_pid: options.max_connections_per_pid,
            idle: options.idle_timeout.filter(|t| !t.is_zero()),
        };
        let waker = Arc::new(Waker::new().map_err(|e| ManagerError::Io {
            what: "cannot create the event loop's eventfd in",
            path: options.run_dir.clone(),
            source: std::io::Error::other(e.to_string()),
            hint: "the system is out of descriptors or memory",
        })?);
        let source = options.config.resolved();
        let config = plan::load(&source).map_err(|e| ManagerError::Config(e.0))?;
        let plans = plan::endpoints(&config);
        if plans.is_empty() {
            return Err(ManagerError::Config(format!(
                "the configuration ({source:?}) has no endpoints: add <class>_dev<N>.conf files \
                 or use the built-in configuration"
            )));
        }
        let limit = match &source {
            ConfigSource::Dir(dir) => Limit::NumProcesses { dir: dir.clone() },
            other => {
                let file = match other {
                    ConfigSource::ManagedFile(f) => Some(f.clone()),
                    _ => None,
                };
                let policy = file
                    .as_ref()
                    .and_then(|f| ManagedConfig::parse_file(f).ok())
                    .map(|(c, _)| c.policy)
                    .unwrap_or(0);
                Limit::Policy {
                    policy,
                    file,
                    pfs: config.endpoints.len() as u32,
                    vfs_per_pf: config.endpoints.first().map(|e| e.num_vfs).unwrap_or(0),
                }
            }
        };
        let threads = engine_threads(options.engine_threads);
        let mut endpoints = Vec::with_capacity(plans.len());
        for p in &plans {
            let fail = |e: softqat_device::DeviceError| ManagerError::Endpoint {
                endpoint: p.info.id,
                message: e.to_string(),
            };
            let ep = Endpoint::new(
                p.info.clone(),
                p.geometry,
                EndpointOptions {
                    engine_threads: threads,
                    ras: p.ras,
                },
            )
            .map_err(fail)?;
            ep.set_dev_cfg(p.dev_cfg.clone());
            ep.up().map_err(fail)?;
            endpoints.push(ep);
        }

        let run_dir = options.run_dir.clone();
        std::fs::create_dir_all(&run_dir).map_err(|e| {
            io_error(
                "cannot create the run directory",
                &run_dir,
                e,
                "create it (systemd: RuntimeDirectory=softqat) or give another --run-dir",
            )
        })?;
        let socket = proto::socket_path(&run_dir);
        let pid_file = run_dir.join(proto::PID_FILE_NAME);
        let staging = run_dir.join(format!("{}.starting", proto::SOCKET_NAME));
        let listener = bind_socket(&socket, &staging, &pid_file)?;
        let access = match set_socket_access(&staging) {
            Ok(note) => note,
            Err(e) => {
                let _ = std::fs::remove_file(&staging);
                return Err(e);
            }
        };
        if let Err(e) = std::fs::write(&pid_file, format!("{}\n", std::process::id())) {
            let _ = std::fs::remove_file(&staging);
            return Err(io_error(
                "cannot write the PID file",
                &pid_file,
                e,
                "check the run directory's permissions",
            ));
        }
        // Ready: clients (and whoever waits for the socket) see it only now.
        if let Err(e) = std::fs::rename(&staging, &socket) {
            let _ = std::fs::remove_file(&staging);
            let _ = std::fs::remove_file(&pid_file);
            return Err(io_error(
                "cannot put the socket in place at",
                &socket,
                e,
                "check the run directory's permissions",
            ));
        }

        let endpoints_len = endpoints.len();
        let shared = Arc::new(Shared {
            config,
            plans,
            endpoints,
            limit,
            max_client_memory: options.max_client_memory,
            euid: sys::effective_uid(),
            logger,
            registry: Mutex::new(Registry::default()),
            next_client: AtomicU64::new(1),
            limits,
            waker,
            heartbeats: Mutex::new(vec![None; endpoints_len]),
        });
        let mut subscriptions = Vec::new();
        for (i, ep) in shared.endpoints.iter().enumerate() {
            let weak: Weak<Shared> = Arc::downgrade(&shared);
            let key = ep.subscribe(Arc::new(move |id, event| {
                if let Some(shared) = weak.upgrade() {
                    shared.broadcast(id, event);
                }
            }));
            subscriptions.push((i, key));
        }

        let server = Server::start(shared.clone(), listener);
        let per = |n: usize| {
            if n == 0 {
                "no limit".to_string()
            } else {
                n.to_string()
            }
        };
        let monitor = Monitor::start(shared.clone(), &run_dir, options.heartbeat_period);
        let heartbeat = match options.heartbeat_period {
            Some(p) => format!("heartbeat checked every {} ms", p.as_millis()),
            None => "no heartbeat monitor".to_string(),
        };
        let summary = format!(
            "listening on {}, {} endpoints ({}), {} engine threads each, config {}; socket \
             {access}; connections: at most {} ({} per uid, {} per pid), idle ones holding \
             nothing closed after {}; {heartbeat}, debug files in {}; {descriptors}",
            socket.display(),
            shared.endpoints.len(),
            shared.endpoint_names(),
            threads,
            describe_config(&source, &shared.limit),
            shared.limits.max,
            per(shared.limits.per_uid),
            per(shared.limits.per_pid),
            shared
                .limits
                .idle
                .map_or("never".to_string(), |t| format!("{} s", t.as_secs_f64())),
            run_dir.join(crate::ras::DEBUG_DIR).display(),
        );
        let mut daemon = Daemon {
            shared,
            server: None,
            monitor: None,
            subscriptions,
            run_dir,
            socket,
            pid_file,
            summary,
            stopped: false,
        };
        match server {
            Ok(s) => daemon.server = Some(s),
            Err(e) => {
                daemon.stop_quietly();
                return Err(io_error(
                    "cannot start the event loop for",
                    &daemon.socket,
                    e,
                    "the system is out of threads, descriptors or memory",
                ));
            }
        }
        match monitor {
            Ok(m) => daemon.monitor = Some(m),
            Err(e) => {
                daemon.stop_quietly();
                return Err(io_error(
                    "cannot start the heartbeat monitor for",
                    &daemon.socket,
                    e,
                    "the system is out of threads or memory",
                ));
            }
        }
        daemon.shared.log(&daemon.summary);
        Ok(daemon)
    }

    /// The run directory.
    pub fn run_dir(&self) -> &Path {
        &self.run_dir
    }

    /// The socket clients connect to.
    pub fn socket_path(&self) -> &Path {
        &self.socket
    }

    /// The PID file.
    pub fn pid_file(&self) -> &Path {
        &self.pid_file
    }

    /// The line logged at start: socket, endpoints, configuration.
    pub fn summary(&self) -> &str {
        &self.summary
    }

    /// The endpoints the daemon runs.
    pub fn endpoints(&self) -> &[Arc<Endpoint>] {
        &self.shared.endpoints
    }

    /// Clients connected now.
    pub fn client_count(&self) -> usize {
        self.shared.registry().clients.len()
    }

    /// Internal sections held now, with the pid of the client holding each
    /// (0 if unknown), sorted by name.
    pub fn held_sections(&self) -> Vec<(String, i32)> {
        let reg = self.shared.registry();
        let mut v: Vec<(String, i32)> = reg
            .held
            .iter()
            .map(|(name, h)| {
                let pid = reg
                    .clients
                    .get(&h.client)
                    .and_then(|c| c.cred)
                    .map(|c| c.0)
                    .unwrap_or(0);
                (name.clone(), pid)
            })
            .collect();
        v.sort();
        v
    }

    /// Stops the daemon: stops accepting and removes the socket at once,
    /// gives the engines up to 5 s to take the requests still queued, takes
    /// every endpoint down (anything left completes with CPA_STATUS_FAIL),
    /// closes the client connections (their sections are released) and
    /// removes the PID file.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.shared.log("shutting down: no new clients");
        self.stop_quietly();
        self.shared.log("stopped");
    }

    fn stop_quietly(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        self.shared.waker.wake(Wake::StopAccepting);
        let _ = std::fs::remove_file(&self.socket);
        // No heartbeat checks while the endpoints go down; the debug files
        // go with the daemon.
        if let Some(m) = self.monitor.take() {
            m.stop();
        }

        let deadline = Instant::now() + DRAIN_TIMEOUT;
        while self
            .shared
            .endpoints
            .iter()
            .any(|e| e.is_up() && e.has_queued_requests())
        {
            if Instant::now() >= deadline {
                self.shared.log(format!(
                    "requests still queued after {} s: they complete with CPA_STATUS_FAIL",
                    DRAIN_TIMEOUT.as_secs()
                ));
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        for ep in &self.shared.endpoints {
            if let Err(e) = ep.down() {
                self.shared
                    .log(format!("qat_dev{}: cannot go down: {e}", ep.info().id));
            }
        }
        for (i, key) in self.subscriptions.drain(..) {
            self.shared.endpoints[i].unsubscribe(key);
        }
        // The loop closes every connection; the workers release them.
        self.shared.waker.wake(Wake::Shutdown);
        if let Some(server) = self.server.take() {
            server.join();
        }
        let _ = std::fs::remove_file(&self.pid_file);
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.stop();
    }
}
