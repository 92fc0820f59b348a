//! `softqatd`, the managed-mode daemon (qatmgr's role): it runs the software
//! endpoints for every process of the machine.
//!
//! - It loads the configuration (endpoint files, or a managed-mode file with
//!   `POLICY` / `ServicesEnabled`, or the built-in default), builds every
//!   endpoint and brings it up.
//! - It listens on `$RUN_DIR/softqatd.sock` (default `/run/softqat`; mode
//!   0660, group `qat` when that group exists) and writes `softqatd.pid`.
//! - One event-loop thread (epoll) serves every connection (one per process,
//!   see [`softqat_device::proto`]) and hands requests to a few workers; a
//!   connection that asks for nothing costs a descriptor and a few hundred
//!   bytes. Connections beyond the limits (in all, per uid, per pid) are
//!   told why and closed, as are connections that hold nothing and stay
//!   idle past the idle timeout (see [`DaemonOptions`]). `SECTION_GET` hands out the
//!   first free internal section for the requested name — across processes,
//!   so NumProcesses and POLICY hold machine-wide — as one size-sealed memfd
//!   holding the ring blocks of the section's instances of every service
//!   (dc, sym, asym, cy), the endpoints' doorbells and shared pages, and a
//!   notification eventfd per ring pair. `MEM_REGISTER` maps a client's
//!   size-sealed memfd into that client's DMA map; its descriptors can reach
//!   that memory and nothing else.
//! - `STATUS` and `CONTROL` (up / down / restart / reset, root or the
//!   daemon's user only) serve the tools; RESTARTING / RESTARTED /
//!   FATAL_ERROR events go to every client holding an instance on the
//!   endpoint.
//! - RAS requests: `HEARTBEAT` and `DEBUG_READ` are served to root, the
//!   daemon's user and any client holding a section (an application calling
//!   `icp_sal_check_device`); `RESET_ASYNC`, `INJECT`, `DEBUG_WRITE` and a
//!   read of `heartbeat_sim_fail` (which arms a failure) only to root and the
//!   daemon's user, as `CONTROL`. A heartbeat monitor checks every endpoint
//!   that is up every `--heartbeat-period` and keeps copies of the debug
//!   files under `<run_dir>/debug/qat_<class>_<bdf>/` (see `ras`).
//! - When a connection ends, the client is gone: its rings are removed
//!   (queued requests are discarded), its memory map dropped and its sections
//!   freed; no other client is touched.
//! - [`Daemon::shutdown`] (SIGTERM / SIGINT in [`main_with_args`]) stops
//!   accepting, removes the socket, lets the engines take what is queued,
//!   takes the endpoints down and removes the PID file.
//!
//! ```no_run
//! use softqat_manager::{Daemon, DaemonOptions};
//!
//! let daemon = Daemon::start(DaemonOptions {
//!     run_dir: "/tmp/softqat-demo".into(),
//!     engine_threads: Some(1),
//!     ..DaemonOptions::default()
//! })?;
//! println!("{}", daemon.summary());
//! daemon.shutdown();
//! # Ok::<(), softqat_manager::ManagerError>(())
//! ```
#![deny(missing_docs)]
#![deny(unsafe_code)]

mod cli;
mod client;
mod daemon;
mod error;
mod ras;
mod server;
mod shared;
#[allow(unsafe_code)]
mod sys;

pub use cli::main_with_args;
pub use daemon::{
    Daemon, DaemonOptions, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CLIENT_MEMORY,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_PID, DEFAULT_MAX_CONNECTIONS_PER_UID,
    DRAIN_TIMEOUT, SEND_TIMEOUT, SOCKET_GROUP,
};
pub use error::ManagerError;
pub use ras::{DEBUG_DIR, DEFAULT_HEARTBEAT_PERIOD, MIN_HEARTBEAT_PERIOD};
pub use shared::LogSink;
pub use softqat_device::plan::ConfigSource;
