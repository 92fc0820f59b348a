//! Why the daemon could not start.

use std::path::PathBuf;

/// What kept [`Daemon::start`](crate::Daemon::start) from starting, in terms
/// an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum ManagerError {
    /// The configuration could not be loaded.
    #[error("{0}")]
    Config(String),
    /// Building or starting an endpoint failed.
    #[error("qat_dev{endpoint}: {message}")]
    Endpoint {
        /// Endpoint number.
        endpoint: u32,
        /// What went wrong.
        message: String,
    },
    /// Another daemon answers on the socket.
    #[error("another softqatd is running ({pid}) on {}: stop it first (systemctl stop softqatd, or kill that pid), or give this one another --run-dir", .socket.display())]
    AlreadyRunning {
        /// "pid N from the PID file", or why it is not known.
        pid: String,
        /// The socket it answers on.
        socket: PathBuf,
    },
    /// A file-system or socket operation failed.
    #[error("{what} {}: {source}: {hint}", .path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
        /// What to do.
        hint: &'static str,
    },
    /// An option out of range (the message names the range).
    #[error("{0}")]
    Options(String),
    /// Something that is in the way and must be removed by hand.
    #[error("{0}")]
    InTheWay(String),
}
