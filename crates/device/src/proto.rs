//! The managed-mode wire protocol between `softqatd` and its clients (the SAL
//! of an application, and the `softqat` / `adf_ctl` / `qat_service` tools).
//!
//! Like qatmgr's, it runs over an `AF_UNIX` stream socket, one connection per
//! process for the whole of its life (EOF is how the daemon learns a client
//! is gone), and every message starts with a fixed header:
//!
//! ```text
//! offset 0  u32  body length in bytes (at most MAX_BODY)
//! offset 4  u16  protocol version (major << 8 | minor)
//! offset 6  u16  message kind
//! offset 8       body
//! ```
//!
//! All integers are little-endian. Descriptors (memfds, eventfds) travel with
//! `SCM_RIGHTS` attached to the header's bytes; each message kind says how
//! many and in which order. Both sides refuse a version they do not speak
//! with a message naming both versions.
//!
//! Control messages (this module) are rare: sections, memory registration,
//! status and endpoint control. Requests themselves never cross the socket —
//! they go through the shared rings. Requests (client → daemon) are small:
//! at most [`MAX_REQUEST_BODY`] bytes and [`MAX_REQUEST_FDS`] descriptor.
//!
//! RAS requests (2.2) serve the heartbeat, reset, fault injection and the
//! debug files of the daemon's endpoints: HEARTBEAT (one endpoint or all,
//! answered by HEARTBEAT_REPLY), RESET_ASYNC, INJECT and DEBUG_WRITE
//! (answered by OK), DEBUG_READ (answered by TEXT) and RAS_POLICY (answered
//! by RAS_POLICY_REPLY); any of them may be answered by ERROR (a CPA status
//! and a message that says what to do).
//!
//! When the daemon ends a connection on its own — it refuses a new
//! connection (too many from one user or process, or it is out of
//! descriptors), or closes one idle for too long that holds nothing — it
//! first sends [`kind::CLOSING`] with a CPA status and its reason, so the
//! client can report the daemon's words rather than a broken pipe.

use std::io::{self, Read};
use std::os::fd::{BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

use softqat_config::RingService;
use softqat_cpa::InstanceEvent;

use crate::ipc::{recv_with_fds, send_with_fds};
use crate::plan::InstanceKind;
use crate::ras::{Fault, HeartbeatStatus, RasPolicy};

/// Protocol version 2.2 (2.0: sections grant instances of every service,
/// each with its ring pairs; 2.1: CLOSING, requests limited to
/// [`MAX_REQUEST_BODY`] bytes; 2.2: the RAS requests — heartbeat, reset,
/// fault injection, debug files, RAS settings). Minor versions only add
/// kinds: a peer of the same major version answers a kind it does not know
/// with ERROR, so the connection stays usable.
pub const VERSION: u16 = 0x0202;
/// Largest body accepted.
pub const MAX_BODY: usize = 1 << 20;
/// Header length.
pub const HEADER_LEN: usize = 8;
/// Most descriptors one message may carry (the kernel passes at most 253
/// with one `sendmsg`, `SCM_MAX_FD`).
pub const MAX_MESSAGE_FDS: usize = 250;
/// Largest request body the daemon reads: the longest request is a section
/// name, and names are shorter than 128 bytes. A bound this small keeps a
/// connection that sends half a message from holding much memory.
pub const MAX_REQUEST_BODY: usize = 4096;
/// Most descriptors a request carries (MEM_REGISTER's memfd).
pub const MAX_REQUEST_FDS: usize = 1;

/// The daemon's run directory when nothing else is said.
pub const DEFAULT_RUN_DIR: &str = "/run/softqat";
/// Environment variable naming another run directory.
pub const RUN_DIR_ENV: &str = "SOFTQAT_RUN_DIR";
/// Socket file name inside the run directory.
pub const SOCKET_NAME: &str = "softqatd.sock";
/// PID file name inside the run directory.
pub const PID_FILE_NAME: &str = "softqatd.pid";

/// The run directory clients look in: `$SOFTQAT_RUN_DIR`, else
/// [`DEFAULT_RUN_DIR`].
pub fn run_dir() -> PathBuf {
    std::env::var_os(RUN_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_RUN_DIR))
}

/// The socket path inside `run_dir`.
pub fn socket_path(run_dir: &Path) -> PathBuf {
    run_dir.join(SOCKET_NAME)
}

/// Message kinds. Requests are below 100, replies and events from 100.
pub mod kind {
    /// Client → daemon: give me a section for this name.
    pub const SECTION_GET: u16 = 1;
    /// Client → daemon: I am done with this section.
    pub const SECTION_PUT: u16 = 2;
    /// Client → daemon: register DMA memory (one memfd attached).
    pub const MEM_REGISTER: u16 = 3;
    /// Client → daemon: forget DMA memory.
    pub const MEM_UNREGISTER: u16 = 4;
    /// Client → daemon: the endpoints' status.
    pub const STATUS: u16 = 5;
    /// Client → daemon: up / down / restart / reset.
    pub const CONTROL: u16 = 6;
    /// Client → daemon (2.2): a heartbeat check of one endpoint or all.
    pub const HEARTBEAT: u16 = 7;
    /// Client → daemon (2.2): start a reset and answer at once.
    pub const RESET_ASYNC: u16 = 8;
    /// Client → daemon (2.2): inject a fault.
    pub const INJECT: u16 = 9;
    /// Client → daemon (2.2): read a debug file.
    pub const DEBUG_READ: u16 = 10;
    /// Client → daemon (2.2): write a debug file.
    pub const DEBUG_WRITE: u16 = 11;
    /// Client → daemon (2.2): an endpoint's RAS settings.
    pub const RAS_POLICY: u16 = 12;
    /// The highest request kind this version knows.
    pub const LAST_REQUEST: u16 = RAS_POLICY;
    /// Daemon → client: done, with a message.
    pub const OK: u16 = 100;
    /// Daemon → client: a section (descriptors attached).
    pub const SECTION: u16 = 101;
    /// Daemon → client: endpoint status.
    pub const STATUS_REPLY: u16 = 102;
    /// Daemon → client, unsolicited: an endpoint event.
    pub const EVENT: u16 = 103;
    /// Daemon → client, unsolicited: the daemon closes this connection (it
    /// refuses it, or it was idle holding nothing); a CPA status and the
    /// reason, as ERROR's body. CPA_STATUS_RETRY means no request was lost:
    /// connect again and resend.
    pub const CLOSING: u16 = 104;
    /// Daemon → client (2.2): heartbeat statuses, one per endpoint checked.
    pub const HEARTBEAT_REPLY: u16 = 105;
    /// Daemon → client (2.2): a text (a debug file's contents).
    pub const TEXT: u16 = 106;
    /// Daemon → client (2.2): an endpoint's RAS settings.
    pub const RAS_POLICY_REPLY: u16 = 107;
    /// Daemon → client: the request failed (CPA status and text).
    pub const ERROR: u16 = 999;
}

/// Why a message could not be read or made sense of.
#[derive(Debug, thiserror::Error)]
pub enum ProtoError {
    /// The connection failed or closed.
    #[error("connection to softqatd: {0}")]
    Io(#[from] io::Error),
    /// The peer closed the connection.
    #[error("softqatd closed the connection")]
    Closed,
    /// The peer speaks another protocol version.
    #[error("incompatible protocol version {theirs:#06x} (this side speaks {ours:#06x}): use a softqat library and softqatd of the same release")]
    Version {
        /// The peer's version.
        theirs: u16,
        /// Ours.
        ours: u16,
    },
    /// A body longer than [`MAX_BODY`].
    #[error("message of {0} bytes is longer than the {MAX_BODY} allowed")]
    TooLong(usize),
    /// A body that does not decode.
    #[error("malformed message (kind {kind}): {what}")]
    Malformed {
        /// Message kind.
        kind: u16,
        /// What was wrong.
        what: String,
    },
    /// An unexpected message kind.
    #[error("unexpected message kind {0}")]
    UnexpectedKind(u16),
}

/// One message as read off the socket.
#[derive(Debug)]
pub struct Frame {
    /// Message kind.
    pub kind: u16,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Descriptors that came with it.
    pub fds: Vec<OwnedFd>,
}

/// The bytes of one message: header and body.
pub fn frame_bytes(kind: u16, body: &[u8]) -> Result<Vec<u8>, ProtoError> {
    if body.len() > MAX_BODY {
        return Err(ProtoError::TooLong(body.len()));
    }
    let mut bytes = Vec::with_capacity(HEADER_LEN + body.len());
    bytes.extend_from_slice(&(body.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&VERSION.to_le_bytes());
    bytes.extend_from_slice(&kind.to_le_bytes());
    bytes.extend_from_slice(body);
    Ok(bytes)
}

/// A message header: (body length, kind). Refuses another major version and
/// bodies longer than [`MAX_BODY`].
pub fn parse_header(header: &[u8; HEADER_LEN]) -> Result<(usize, u16), ProtoError> {
    let len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
    let version = u16::from_le_bytes([header[4], header[5]]);
    let kind = u16::from_le_bytes([header[6], header[7]]);
    if version >> 8 != VERSION >> 8 {
        return Err(ProtoError::Version {
            theirs: version,
            ours: VERSION,
        });
    }
    if len > MAX_BODY {
        return Err(ProtoError::TooLong(len));
    }
    Ok((len, kind))
}

/// Writes one message: header and body in one `sendmsg`, descriptors attached.
pub fn send(
    stream: &UnixStream,
    kind: u16,
    body: &[u8],
    fds: &[BorrowedFd<'_>],
) -> Result<(), ProtoError> {
    let bytes = frame_bytes(kind, body)?;
    send_with_fds(stream, &bytes, fds)?;
    Ok(())
}

/// Reads one message. The descriptors must arrive with the header.
pub fn recv(stream: &UnixStream) -> Result<Frame, ProtoError> {
    let mut header = [0u8; HEADER_LEN];
    let mut got = 0;
    let mut fds = Vec::new();
    while got < HEADER_LEN {
        let (n, mut more) = recv_with_fds(stream, &mut header[got..], MAX_MESSAGE_FDS)?;
        if n == 0 {
            return Err(if got == 0 {
                ProtoError::Closed
            } else {
                ProtoError::Io(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed inside a message header",
                ))
            });
        }
        fds.append(&mut more);
        if fds.len() > MAX_MESSAGE_FDS {
            return Err(ProtoError::Malformed {
                kind: 0,
                what: format!("more than {MAX_MESSAGE_FDS} descriptors"),
            });
        }
        got += n;
    }
    let (len, kind) = parse_header(&header)?;
    let mut body = vec![0u8; len];
    let mut reader: &UnixStream = stream;
    reader.read_exact(&mut body).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            ProtoError::Closed
        } else {
            ProtoError::Io(e)
        }
    })?;
    Ok(Frame { kind, body, fds })
}

/// Builds a body.
#[derive(Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty body.
    pub fn new() -> Writer {
        Writer::default()
    }
    /// Appends a u8.
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.buf.push(v);
        self
    }
    /// Appends a u32.
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }
    /// Appends an i32.
    pub fn i32(&mut self, v: i32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }
    /// Appends a u64.
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }
    /// Appends a string: u32 length, then UTF-8 bytes.
    pub fn str(&mut self, v: &str) -> &mut Self {
        self.u32(v.len() as u32);
        self.buf.extend_from_slice(v.as_bytes());
        self
    }
    /// The body.
    pub fn finish(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.buf)
    }
}

/// Reads a body, failing (never panicking) on anything short or invalid.
pub struct Reader<'a> {
    kind: u16,
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads `body` of a message of `kind`.
    pub fn new(kind: u16, body: &'a [u8]) -> Reader<'a> {
        Reader { kind, rest: body }
    }

    fn bad(&self, what: impl Into<String>) -> ProtoError {
        ProtoError::Malformed {
            kind: self.kind,
            what: what.into(),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], ProtoError> {
        if self.rest.len() < n {
            return Err(self.bad(format!("needs {n} more bytes, {} left", self.rest.len())));
        }
        let (a, b) = self.rest.split_at(n);
        self.rest = b;
        Ok(a)
    }
    /// Reads a u8.
    pub fn u8(&mut self) -> Result<u8, ProtoError> {
        Ok(self.take(1)?[0])
    }
    /// Reads a u32.
    pub fn u32(&mut self) -> Result<u32, ProtoError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    /// Reads an i32.
    pub fn i32(&mut self) -> Result<i32, ProtoError> {
        Ok(self.u32()? as i32)
    }
    /// Reads a u64.
    pub fn u64(&mut self) -> Result<u64, ProtoError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    /// Reads a string.
    pub fn str(&mut self) -> Result<String, ProtoError> {
        let n = self.u32()? as usize;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| self.bad("a string is not UTF-8"))
    }
    /// Reads a count of items that each take at least `min_item` bytes:
    /// refuses counts the remaining body cannot hold.
    pub fn count(&mut self, min_item: usize) -> Result<usize, ProtoError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_item.max(1)) > self.rest.len() {
            return Err(self.bad(format!("a count of {n} items does not fit the body")));
        }
        Ok(n)
    }
    /// Fails unless the whole body was read.
    pub fn end(&self) -> Result<(), ProtoError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.bad(format!("{} bytes left over", self.rest.len())))
        }
    }
}

/// Endpoint control verbs (`adf_ctl`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    /// Bring up.
    Up = 1,
    /// Take down.
    Down = 2,
    /// Down then up.
    Restart = 3,
    /// Function-level reset (restarting, then up).
    Reset = 4,
}

impl Verb {
    /// From the wire value.
    pub fn from_u8(v: u8) -> Option<Verb> {
        Some(match v {
            1 => Verb::Up,
            2 => Verb::Down,
            3 => Verb::Restart,
            4 => Verb::Reset,
            _ => return None,
        })
    }

    /// From the word operators type.
    pub fn parse(word: &str) -> Option<Verb> {
        Some(match word {
            "up" => Verb::Up,
            "down" => Verb::Down,
            "restart" => Verb::Restart,
            "reset" => Verb::Reset,
            _ => return None,
        })
    }

    /// The word operators type.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Up => "up",
            Verb::Down => "down",
            Verb::Restart => "restart",
            Verb::Reset => "reset",
        }
    }
}

/// A client's request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// `icp_sal_userStart(name)`: no descriptors.
    SectionGet {
        /// The name the application asked for.
        name: String,
    },
    /// `icp_sal_userStop` of the section given for `name`.
    SectionPut {
        /// The name the application asked for.
        name: String,
    },
    /// Registers `len` bytes of the attached memfd (which must have its size
    /// sealed) at DMA address `iova` for this client.
    MemRegister {
        /// DMA address the client will use for the first byte.
        iova: u64,
        /// Bytes, from offset 0 of the memfd.
        len: u64,
    },
    /// Forgets the region registered at `iova`.
    MemUnregister {
        /// DMA address of the region.
        iova: u64,
    },
    /// The live endpoints' status.
    Status,
    /// Runs `verb` on endpoint `endpoint` (`None`: all).
    Control {
        /// What to do.
        verb: Verb,
        /// N of qat_devN, or all.
        endpoint: Option<u32>,
    },
    /// A heartbeat check of `endpoint` (`None`: all), as
    /// `icp_sal_check_device` / `icp_sal_check_all_devices`.
    Heartbeat {
        /// N of qat_devN, or all.
        endpoint: Option<u32>,
    },
    /// `icp_sal_reset_device`: starts a reset, answered at once.
    ResetAsync {
        /// N of qat_devN.
        endpoint: u32,
    },
    /// Injects `fault` into `endpoint`.
    Inject {
        /// N of qat_devN.
        endpoint: u32,
        /// What to inject.
        fault: Fault,
    },
    /// Reads debug file `file` of `endpoint`.
    DebugRead {
        /// N of qat_devN.
        endpoint: u32,
        /// A name of [`crate::debugfs::FILES`].
        file: String,
    },
    /// Writes `value` to debug file `file` of `endpoint`.
    DebugWrite {
        /// N of qat_devN.
        endpoint: u32,
        /// A name of [`crate::debugfs::FILES`].
        file: String,
        /// What to write.
        value: String,
    },
    /// The RAS settings of `endpoint`.
    RasPolicy {
        /// N of qat_devN.
        endpoint: u32,
    },
}

const ALL_ENDPOINTS: u32 = u32::MAX;

/// Wire codes of [`Fault`]: a code, then bank and ring pair (zero unless a
/// ring-pair error), so every fault encodes to the same 9 bytes.
fn fault_code(f: Fault) -> (u8, u32, u32) {
    match f {
        Fault::HeartbeatFailure => (1, 0, 0),
        Fault::EngineHang => (2, 0, 0),
        Fault::FatalError => (3, 0, 0),
        Fault::RingPairError { bank, ring_pair } => (4, bank, ring_pair),
        Fault::Correctable => (5, 0, 0),
    }
}

/// The fault of a code; `None` for an unknown code, or for bank and ring
/// pair numbers given with a fault that has none (a sender could not have
/// meant them).
fn fault_from_code(code: u8, bank: u32, ring_pair: u32) -> Option<Fault> {
    if code != 4 && (bank, ring_pair) != (0, 0) {
        return None;
    }
    Some(match code {
        1 => Fault::HeartbeatFailure,
        2 => Fault::EngineHang,
        3 => Fault::FatalError,
        4 => Fault::RingPairError { bank, ring_pair },
        5 => Fault::Correctable,
        _ => return None,
    })
}

/// Wire code of a [`HeartbeatStatus`].
fn heartbeat_code(s: HeartbeatStatus) -> u8 {
    match s {
        HeartbeatStatus::Alive => 0,
        HeartbeatStatus::Unresponsive => 1,
        HeartbeatStatus::TooSoon => 2,
        HeartbeatStatus::Resetting => 3,
    }
}

fn heartbeat_from_code(code: u8) -> Option<HeartbeatStatus> {
    Some(match code {
        0 => HeartbeatStatus::Alive,
        1 => HeartbeatStatus::Unresponsive,
        2 => HeartbeatStatus::TooSoon,
        3 => HeartbeatStatus::Resetting,
        _ => return None,
    })
}

impl Request {
    /// Kind and body.
    pub fn encode(&self) -> (u16, Vec<u8>) {
        let mut w = Writer::new();
        let k = match self {
            Request::SectionGet { name } => {
                w.str(name);
                kind::SECTION_GET
            }
            Request::SectionPut { name } => {
                w.str(name);
                kind::SECTION_PUT
            }
            Request::MemRegister { iova, len } => {
                w.u64(*iova).u64(*len);
                kind::MEM_REGISTER
            }
            Request::MemUnregister { iova } => {
                w.u64(*iova);
                kind::MEM_UNREGISTER
            }
            Request::Status => kind::STATUS,
            Request::Control { verb, endpoint } => {
                w.u8(*verb as u8).u32(endpoint.unwrap_or(ALL_ENDPOINTS));
                kind::CONTROL
            }
            Request::Heartbeat { endpoint } => {
                w.u32(endpoint.unwrap_or(ALL_ENDPOINTS));
                kind::HEARTBEAT
            }
            Request::ResetAsync { endpoint } => {
                w.u32(*endpoint);
                kind::RESET_ASYNC
            }
            Request::Inject { endpoint, fault } => {
                let (code, bank, rp) = fault_code(*fault);
                w.u32(*endpoint).u8(code).u32(bank).u32(rp);
                kind::INJECT
            }
            Request::DebugRead { endpoint, file } => {
                w.u32(*endpoint).str(file);
                kind::DEBUG_READ
            }
            Request::DebugWrite {
                endpoint,
                file,
                value,
            } => {
                w.u32(*endpoint).str(file).str(value);
                kind::DEBUG_WRITE
            }
            Request::RasPolicy { endpoint } => {
                w.u32(*endpoint);
                kind::RAS_POLICY
            }
        };
        (k, w.finish())
    }

    /// Decodes a request frame's body.
    pub fn decode(kind_: u16, body: &[u8]) -> Result<Request, ProtoError> {
        let mut r = Reader::new(kind_, body);
        let req = match kind_ {
            kind::SECTION_GET => Request::SectionGet { name: r.str()? },
            kind::SECTION_PUT => Request::SectionPut { name: r.str()? },
            kind::MEM_REGISTER => Request::MemRegister {
                iova: r.u64()?,
                len: r.u64()?,
            },
            kind::MEM_UNREGISTER => Request::MemUnregister { iova: r.u64()? },
            kind::STATUS => Request::Status,
            kind::CONTROL => {
                let v = r.u8()?;
                let verb = Verb::from_u8(v).ok_or_else(|| r.bad(format!("unknown verb {v}")))?;
                let ep = r.u32()?;
                Request::Control {
                    verb,
                    endpoint: (ep != ALL_ENDPOINTS).then_some(ep),
                }
            }
            kind::HEARTBEAT => {
                let ep = r.u32()?;
                Request::Heartbeat {
                    endpoint: (ep != ALL_ENDPOINTS).then_some(ep),
                }
            }
            kind::RESET_ASYNC => Request::ResetAsync { endpoint: r.u32()? },
            kind::INJECT => {
                let endpoint = r.u32()?;
                let code = r.u8()?;
                let bank = r.u32()?;
                let rp = r.u32()?;
                let fault = fault_from_code(code, bank, rp).ok_or_else(|| {
                    r.bad(format!(
                        "unknown fault code {code} (bank {bank}, ring pair {rp}): codes are 1 to \
                         5, and only a ring-pair error (4) names a ring pair"
                    ))
                })?;
                Request::Inject { endpoint, fault }
            }
            kind::DEBUG_READ => Request::DebugRead {
                endpoint: r.u32()?,
                file: r.str()?,
            },
            kind::DEBUG_WRITE => Request::DebugWrite {
                endpoint: r.u32()?,
                file: r.str()?,
                value: r.str()?,
            },
            kind::RAS_POLICY => Request::RasPolicy { endpoint: r.u32()? },
            other => return Err(ProtoError::UnexpectedKind(other)),
        };
        r.end()?;
        Ok(req)
    }
}

/// An endpoint of a granted section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointGrant {
    /// N of qat_devN.
    pub id: u32,
    /// Class name (`4xxx`).
    pub class_name: String,
    /// PCI address.
    pub bdf: String,
    /// `#accel`.
    pub accelerators: u32,
    /// `#engines`.
    pub engines: u32,
    /// Services enabled.
    pub services: String,
    /// Banks.
    pub banks: u32,
    /// Ring pairs per bank.
    pub ring_pairs_per_bank: u32,
    /// 2 or 4.
    pub generation: u8,
    /// Engine threads the daemon runs for it.
    pub engine_threads: u32,
}

/// Wire codes of instance and ring services: Intel's
/// `CpaAccelerationServiceType` values.
pub mod service {
    /// CPA_ACC_SVC_TYPE_CRYPTO: a Cy instance (sym and asym ring pairs).
    pub const CRYPTO: u8 = 0;
    /// CPA_ACC_SVC_TYPE_DATA_COMPRESSION: a Dc instance, a dc ring pair.
    pub const DATA_COMPRESSION: u8 = 1;
    /// CPA_ACC_SVC_TYPE_CRYPTO_ASYM: an asym instance, an asym ring pair.
    pub const CRYPTO_ASYM: u8 = 5;
    /// CPA_ACC_SVC_TYPE_CRYPTO_SYM: a sym instance, a sym ring pair.
    pub const CRYPTO_SYM: u8 = 6;
}

fn kind_code(kind: InstanceKind) -> u8 {
    match kind {
        InstanceKind::Cy => service::CRYPTO,
        InstanceKind::Dc => service::DATA_COMPRESSION,
        InstanceKind::Asym => service::CRYPTO_ASYM,
        InstanceKind::Sym => service::CRYPTO_SYM,
    }
}

fn kind_from_code(code: u8) -> Option<InstanceKind> {
    Some(match code {
        service::CRYPTO => InstanceKind::Cy,
        service::DATA_COMPRESSION => InstanceKind::Dc,
        service::CRYPTO_ASYM => InstanceKind::Asym,
        service::CRYPTO_SYM => InstanceKind::Sym,
        _ => return None,
    })
}

fn ring_code(ring: RingService) -> u8 {
    match ring {
        RingService::Dc => service::DATA_COMPRESSION,
        RingService::Asym => service::CRYPTO_ASYM,
        RingService::Sym => service::CRYPTO_SYM,
    }
}

fn ring_from_code(code: u8) -> Option<RingService> {
    Some(match code {
        service::DATA_COMPRESSION => RingService::Dc,
        service::CRYPTO_ASYM => RingService::Asym,
        service::CRYPTO_SYM => RingService::Sym,
        _ => return None,
    })
}

/// One ring pair of a granted instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingGrant {
    /// The service it carries.
    pub service: RingService,
    /// Bank.
    pub bank: u32,
    /// Ring pair within the bank.
    pub ring_pair: u32,
    /// Requests in flight allowed (`*NumConcurrent*Requests`).
    pub in_flight: u32,
    /// Slots of the ring.
    pub slots: u32,
    /// Offset of the ring block in the section's ring memfd.
    pub ring_offset: u64,
}

/// An instance of a granted section, of any service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceGrant {
    /// Index into the section's endpoints.
    pub endpoint: u32,
    /// Instance name (`dc0`, `cy1`).
    pub name: String,
    /// Its service; its ring pairs are those of
    /// [`InstanceKind::ring_services`], in that order.
    pub service: InstanceKind,
    /// 1 polled, 2 epoll.
    pub polling: u8,
    /// Core affinity.
    pub core_affinity: u32,
    /// Its ring pairs.
    pub rings: Vec<RingGrant>,
}

/// Descriptors a SECTION reply carries for a section on `endpoints`
/// endpoints with `ring_pairs` ring pairs in all.
pub fn section_fd_count(endpoints: usize, ring_pairs: usize) -> usize {
    1 + 2 * endpoints + ring_pairs
}

/// SECTION: what a client needs to drive its section's rings.
///
/// Descriptors, in order: the ring memfd (all ring blocks of the section,
/// `ring_len` bytes, size-sealed); per endpoint the read-only shared page
/// and the doorbell eventfd; per instance, per ring pair (in the order of
/// its `rings`), the ring pair's notification eventfd.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionGrant {
    /// The internal section (`SSL_INT_0`).
    pub name: String,
    /// Length of the ring memfd.
    pub ring_len: u64,
    /// Endpoints the instances are on.
    pub endpoints: Vec<EndpointGrant>,
    /// Instances of every service.
    pub instances: Vec<InstanceGrant>,
}

/// Smallest encoded endpoint: four empty strings' lengths and the numbers.
const MIN_ENDPOINT_BYTES: usize = 37;
/// Smallest encoded instance (before its ring pairs).
const MIN_INSTANCE_BYTES: usize = 18;
/// Encoded ring pair.
const RING_BYTES: usize = 25;

impl SectionGrant {
    /// Ring pairs of all instances.
    pub fn ring_count(&self) -> usize {
        self.instances.iter().map(|i| i.rings.len()).sum()
    }

    /// Descriptors that must accompany this grant.
    pub fn fd_count(&self) -> usize {
        section_fd_count(self.endpoints.len(), self.ring_count())
    }

    /// Body bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.str(&self.name).u64(self.ring_len);
        w.u32(self.endpoints.len() as u32);
        for e in &self.endpoints {
            w.u32(e.id)
                .str(&e.class_name)
                .str(&e.bdf)
                .u32(e.accelerators)
                .u32(e.engines)
                .str(&e.services)
                .u32(e.banks)
                .u32(e.ring_pairs_per_bank)
                .u8(e.generation)
                .u32(e.engine_threads);
        }
        w.u32(self.instances.len() as u32);
        for i in &self.instances {
            w.u32(i.endpoint)
                .str(&i.name)
                .u8(kind_code(i.service))
                .u8(i.polling)
                .u32(i.core_affinity)
                .u32(i.rings.len() as u32);
            for r in &i.rings {
                w.u8(ring_code(r.service))
                    .u32(r.bank)
                    .u32(r.ring_pair)
                    .u32(r.in_flight)
                    .u32(r.slots)
                    .u64(r.ring_offset);
            }
        }
        w.finish()
    }

    /// Decodes a SECTION body. Counts are bounded by the body's length;
    /// every instance names an endpoint of the grant and has exactly the
    /// ring pairs its service has.
    pub fn decode(body: &[u8]) -> Result<SectionGrant, ProtoError> {
        let mut r = Reader::new(kind::SECTION, body);
        let name = r.str()?;
        let ring_len = r.u64()?;
        let n = r.count(MIN_ENDPOINT_BYTES)?;
        let mut endpoints = Vec::with_capacity(n);
        for _ in 0..n {
            endpoints.push(EndpointGrant {
                id: r.u32()?,
                class_name: r.str()?,
                bdf: r.str()?,
                accelerators: r.u32()?,
                engines: r.u32()?,
                services: r.str()?,
                banks: r.u32()?,
                ring_pairs_per_bank: r.u32()?,
                generation: r.u8()?,
                engine_threads: r.u32()?,
            });
        }
        let n = r.count(MIN_INSTANCE_BYTES)?;
        let mut instances = Vec::with_capacity(n);
        for _ in 0..n {
            let endpoint = r.u32()?;
            let name = r.str()?;
            let code = r.u8()?;
            let service = kind_from_code(code)
                .ok_or_else(|| r.bad(format!("instance {name} has unknown service {code}")))?;
            let polling = r.u8()?;
            let core_affinity = r.u32()?;
            let m = r.count(RING_BYTES)?;
            let mut rings = Vec::with_capacity(m);
            for _ in 0..m {
                let code = r.u8()?;
                let ring_service = ring_from_code(code).ok_or_else(|| {
                    r.bad(format!(
                        "a ring pair of instance {name} has unknown service {code}"
                    ))
                })?;
                rings.push(RingGrant {
                    service: ring_service,
                    bank: r.u32()?,
                    ring_pair: r.u32()?,
                    in_flight: r.u32()?,
                    slots: r.u32()?,
                    ring_offset: r.u64()?,
                });
            }
            if endpoint as usize >= endpoints.len() {
                return Err(r.bad(format!(
                    "instance {name} names endpoint index {endpoint} of {}",
                    endpoints.len()
                )));
            }
            if !rings
                .iter()
                .map(|x| x.service)
                .eq(service.ring_services().iter().copied())
            {
                return Err(r.bad(format!(
                    "instance {name} ({}) has ring pairs {:?}, not {:?}",
                    service.as_str(),
                    rings.iter().map(|x| x.service).collect::<Vec<_>>(),
                    service.ring_services()
                )));
            }
            instances.push(InstanceGrant {
                endpoint,
                name,
                service,
                polling,
                core_affinity,
                rings,
            });
        }
        r.end()?;
        Ok(SectionGrant {
            name,
            ring_len,
            endpoints,
            instances,
        })
    }
}

/// One endpoint in a STATUS reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointStatus {
    /// N of qat_devN.
    pub id: u32,
    /// The `qat_service status` line.
    pub line: String,
    /// `DeviceState` as u8.
    pub state: u8,
    /// Requests taken by its engines since start.
    pub requests: u64,
    /// Responses posted by its engines since start.
    pub responses: u64,
    /// Engine threads.
    pub engine_threads: u32,
    /// Sections handed out on it now.
    pub sections_in_use: u32,
}

/// Encodes a STATUS_REPLY body.
pub fn encode_status(list: &[EndpointStatus]) -> Vec<u8> {
    let mut w = Writer::new();
    w.u32(list.len() as u32);
    for s in list {
        w.u32(s.id)
            .str(&s.line)
            .u8(s.state)
            .u64(s.requests)
            .u64(s.responses)
            .u32(s.engine_threads)
            .u32(s.sections_in_use);
    }
    w.finish()
}

/// Decodes a STATUS_REPLY body.
pub fn decode_status(body: &[u8]) -> Result<Vec<EndpointStatus>, ProtoError> {
    let mut r = Reader::new(kind::STATUS_REPLY, body);
    let n = r.count(33)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(EndpointStatus {
            id: r.u32()?,
            line: r.str()?,
            state: r.u8()?,
            requests: r.u64()?,
            responses: r.u64()?,
            engine_threads: r.u32()?,
            sections_in_use: r.u32()?,
        });
    }
    r.end()?;
    Ok(out)
}

/// Encodes a HEARTBEAT_REPLY body: (endpoint, status) per endpoint checked.
pub fn encode_heartbeat(list: &[(u32, HeartbeatStatus)]) -> Vec<u8> {
    let mut w = Writer::new();
    w.u32(list.len() as u32);
    for (id, s) in list {
        w.u32(*id).u8(heartbeat_code(*s));
    }
    w.finish()
}

/// Decodes a HEARTBEAT_REPLY body.
pub fn decode_heartbeat(body: &[u8]) -> Result<Vec<(u32, HeartbeatStatus)>, ProtoError> {
    let mut r = Reader::new(kind::HEARTBEAT_REPLY, body);
    let n = r.count(5)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.u32()?;
        let code = r.u8()?;
        let s = heartbeat_from_code(code)
            .ok_or_else(|| r.bad(format!("unknown heartbeat status {code}")))?;
        out.push((id, s));
    }
    r.end()?;
    Ok(out)
}

/// Encodes a TEXT body.
pub fn encode_text(text: &str) -> Vec<u8> {
    Writer::new().str(text).finish()
}

/// Decodes a TEXT body.
pub fn decode_text(body: &[u8]) -> Result<String, ProtoError> {
    let mut r = Reader::new(kind::TEXT, body);
    let t = r.str()?;
    r.end()?;
    Ok(t)
}

/// Encodes a RAS_POLICY_REPLY body (durations in ms).
pub fn encode_ras_policy(p: &RasPolicy) -> Vec<u8> {
    let ms = |d: std::time::Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
    Writer::new()
        .u8(u8::from(p.auto_reset))
        .u64(ms(p.reset_interval))
        .u64(ms(p.heartbeat_period))
        .u8(u8::from(p.fixed_period))
        .finish()
}

/// Decodes a RAS_POLICY_REPLY body.
pub fn decode_ras_policy(body: &[u8]) -> Result<RasPolicy, ProtoError> {
    let mut r = Reader::new(kind::RAS_POLICY_REPLY, body);
    let flag = |r: &mut Reader<'_>, what: &str| -> Result<bool, ProtoError> {
        match r.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(r.bad(format!("{what} is {v}, not 0 or 1"))),
        }
    };
    let auto_reset = flag(&mut r, "auto_reset")?;
    let reset_interval = std::time::Duration::from_millis(r.u64()?);
    let heartbeat_period = std::time::Duration::from_millis(r.u64()?);
    let fixed_period = flag(&mut r, "fixed_period")?;
    r.end()?;
    Ok(RasPolicy {
        auto_reset,
        reset_interval,
        heartbeat_period,
        fixed_period,
    })
}

/// Encodes an OK body.
pub fn encode_ok(message: &str) -> Vec<u8> {
    Writer::new().str(message).finish()
}

/// Decodes an OK body.
pub fn decode_ok(body: &[u8]) -> Result<String, ProtoError> {
    let mut r = Reader::new(kind::OK, body);
    let m = r.str()?;
    r.end()?;
    Ok(m)
}

/// Encodes an ERROR body: a CPA status and a message that says what to do.
pub fn encode_error(status: i32, message: &str) -> Vec<u8> {
    Writer::new().i32(status).str(message).finish()
}

/// Decodes an ERROR body.
pub fn decode_error(body: &[u8]) -> Result<(i32, String), ProtoError> {
    let mut r = Reader::new(kind::ERROR, body);
    let s = r.i32()?;
    let m = r.str()?;
    r.end()?;
    Ok((s, m))
}

/// Encodes a CLOSING body: a CPA status and the reason, a sentence that
/// starts with what the daemon did ("refused the connection: …", "closed the
/// connection: …") and says what to do.
pub fn encode_closing(status: i32, reason: &str) -> Vec<u8> {
    encode_error(status, reason)
}

/// Decodes a CLOSING body.
pub fn decode_closing(body: &[u8]) -> Result<(i32, String), ProtoError> {
    let mut r = Reader::new(kind::CLOSING, body);
    let s = r.i32()?;
    let m = r.str()?;
    r.end()?;
    Ok((s, m))
}

/// Encodes an EVENT body: the endpoint and the event's `CpaInstanceEvent` value.
pub fn encode_event(endpoint: u32, event: InstanceEvent) -> Vec<u8> {
    Writer::new().u32(endpoint).u8(event.value()).finish()
}

/// Decodes an EVENT body: (endpoint, event). An event value this side does
/// not know reads as `FATAL_ERROR`: the endpoint is in a state the library
/// cannot follow.
pub fn decode_event(body: &[u8]) -> Result<(u32, InstanceEvent), ProtoError> {
    let mut r = Reader::new(kind::EVENT, body);
    let e = r.u32()?;
    let v = r.u8()?;
    r.end()?;
    Ok((
        e,
        InstanceEvent::from_value(v).unwrap_or(InstanceEvent::FatalError),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::EventFd;
    use std::os::fd::AsFd;

    fn endpoint(id: u32, services: &str) -> EndpointGrant {
        EndpointGrant {
            id,
            class_name: "4xxx".into(),
            bdf: format!("0000:{:02x}:00.0", 0x6b + 5 * id),
            accelerators: 1,
            engines: 9,
            services: services.into(),
            banks: 64,
            ring_pairs_per_bank: 1,
            generation: 4,
            engine_threads: 2,
        }
    }

    fn ring(service: RingService, bank: u32, in_flight: u32, at: u64) -> RingGrant {
        RingGrant {
            service,
            bank,
            ring_pair: 0,
            in_flight,
            slots: in_flight.next_power_of_two().max(64),
            ring_offset: at * 0x40000,
        }
    }

    /// A section with instances of every service: two Cy (sym and asym
    /// ring pairs), a sym and an asym instance on qat_dev0, four Dc on
    /// qat_dev1.
    fn grant() -> SectionGrant {
        let mut instances = Vec::new();
        for k in 0..2u32 {
            instances.push(InstanceGrant {
                endpoint: 0,
                name: format!("cy{k}"),
                service: InstanceKind::Cy,
                polling: 1,
                core_affinity: k,
                rings: vec![
                    ring(RingService::Sym, 2 * k + 1, 512, u64::from(2 * k)),
                    ring(RingService::Asym, 2 * k, 64, u64::from(2 * k + 1)),
                ],
            });
        }
        instances.push(InstanceGrant {
            endpoint: 0,
            name: "sym0".into(),
            service: InstanceKind::Sym,
            polling: 2,
            core_affinity: 7,
            rings: vec![ring(RingService::Sym, 5, 512, 4)],
        });
        instances.push(InstanceGrant {
            endpoint: 0,
            name: "asym0".into(),
            service: InstanceKind::Asym,
            polling: 1,
            core_affinity: 8,
            rings: vec![ring(RingService::Asym, 4, 64, 5)],
        });
        for k in 0..4u32 {
            instances.push(InstanceGrant {
                endpoint: 1,
                name: format!("dc{k}"),
                service: InstanceKind::Dc,
                polling: 1,
                core_affinity: k,
                rings: vec![ring(RingService::Dc, 12 + k, 512, u64::from(6 + k))],
            });
        }
        SectionGrant {
            name: "SSL_INT_3".into(),
            ring_len: 10 * 0x40000,
            endpoints: vec![endpoint(0, "asym;sym"), endpoint(1, "dc")],
            instances,
        }
    }

    #[test]
    fn requests_round_trip() {
        for req in [
            Request::SectionGet { name: "SSL".into() },
            Request::SectionPut { name: "SSL".into() },
            Request::MemRegister {
                iova: 0x7f00_0000_0000,
                len: 2 << 20,
            },
            Request::MemUnregister { iova: 42 },
            Request::Status,
            Request::Control {
                verb: Verb::Reset,
                endpoint: Some(1),
            },
            Request::Control {
                verb: Verb::Down,
                endpoint: None,
            },
            Request::Heartbeat { endpoint: Some(2) },
            Request::Heartbeat { endpoint: None },
            Request::ResetAsync { endpoint: 0 },
            Request::Inject {
                endpoint: 1,
                fault: Fault::RingPairError {
                    bank: 3,
                    ring_pair: 1,
                },
            },
            Request::Inject {
                endpoint: 0,
                fault: Fault::EngineHang,
            },
            Request::DebugRead {
                endpoint: 0,
                file: "heartbeat/status".into(),
            },
            Request::DebugWrite {
                endpoint: 0,
                file: "heartbeat/config".into(),
                value: "1000".into(),
            },
            Request::RasPolicy { endpoint: 7 },
        ] {
            let (k, body) = req.encode();
            assert_eq!(Request::decode(k, &body).unwrap(), req);
        }
    }

    #[test]
    fn grants_and_status_round_trip() {
        let g = grant();
        assert_eq!(SectionGrant::decode(&g.encode()).unwrap(), g);
        // Ring memfd, 2 × (page, doorbell), one eventfd per ring pair.
        assert_eq!(g.ring_count(), 2 * 2 + 1 + 1 + 4);
        assert_eq!(g.fd_count(), 1 + 2 * 2 + 10);
        for kind in InstanceKind::ALL {
            assert!(g.instances.iter().any(|i| i.service == kind), "{kind:?}");
        }
        // An empty section, and endpoints with empty strings, decode too.
        let mut empty = SectionGrant {
            name: String::new(),
            ring_len: 0,
            endpoints: vec![endpoint(0, "")],
            instances: Vec::new(),
        };
        empty.endpoints[0].class_name.clear();
        empty.endpoints[0].bdf.clear();
        assert_eq!(SectionGrant::decode(&empty.encode()).unwrap(), empty);
        assert_eq!(empty.fd_count(), 3);
        let st = vec![EndpointStatus {
            id: 0,
            line: "qat_dev0 - type: 4xxx, inst_id: 0, bsf: 0000:6b:00.0, #accel: 1 #engines: 9 state: up".into(),
            state: 1,
            requests: 10,
            responses: 9,
            engine_threads: 2,
            sections_in_use: 3,
        }];
        assert_eq!(decode_status(&encode_status(&st)).unwrap(), st);
        assert_eq!(
            decode_error(&encode_error(-3, "no")).unwrap(),
            (-3, "no".into())
        );
        assert_eq!(
            decode_event(&encode_event(1, InstanceEvent::Restarted)).unwrap(),
            (1, InstanceEvent::Restarted)
        );
        let mut unknown = encode_event(1, InstanceEvent::Restarted);
        *unknown.last_mut().unwrap() = 9;
        assert_eq!(
            decode_event(&unknown).unwrap(),
            (1, InstanceEvent::FatalError)
        );
    }

    #[test]
    fn every_truncation_and_corruption_is_an_error_not_a_panic() {
        let body = grant().encode();
        for cut in 0..body.len() {
            assert!(SectionGrant::decode(&body[..cut]).is_err(), "cut at {cut}");
        }
        let mut extra = body.clone();
        extra.push(0);
        assert!(SectionGrant::decode(&extra).is_err());
        // A count claiming billions of items is refused before allocating.
        let mut huge = Writer::new();
        huge.str("x").u64(0).u32(u32::MAX);
        assert!(SectionGrant::decode(&huge.finish()).is_err());
        // An instance naming an endpoint that is not there.
        let mut g = grant();
        g.instances[0].endpoint = 5;
        assert!(SectionGrant::decode(&g.encode()).is_err());
        // Ring pairs that are not those of the instance's service.
        for (at, rings) in [
            (0, vec![ring(RingService::Sym, 1, 512, 0)]),
            (
                0,
                vec![
                    ring(RingService::Asym, 0, 64, 0),
                    ring(RingService::Sym, 1, 512, 1),
                ],
            ),
            (2, vec![ring(RingService::Asym, 1, 64, 0)]),
            (6, vec![]),
            (
                6,
                vec![
                    ring(RingService::Dc, 1, 512, 0),
                    ring(RingService::Dc, 2, 512, 1),
                ],
            ),
        ] {
            let mut g = grant();
            g.instances[at].rings = rings;
            let err = SectionGrant::decode(&g.encode()).unwrap_err().to_string();
            assert!(err.contains("ring pairs"), "{err}");
        }
        // Unknown service codes of an instance or a ring pair.
        let body = grant().encode();
        let cy0 = body
            .windows(7)
            .position(|w| w == [3, 0, 0, 0, b'c', b'y', b'0'])
            .unwrap()
            + 7;
        for (at, code) in [(cy0, 9u8), (cy0 + 1 + 1 + 4 + 4, 0)] {
            let mut b = body.clone();
            b[at] = code;
            let err = SectionGrant::decode(&b).unwrap_err().to_string();
            assert!(err.contains("unknown service"), "{err}");
        }
        // A ring count claiming billions of ring pairs is refused too.
        let mut b = body.clone();
        b[cy0 + 1 + 1 + 4..cy0 + 1 + 1 + 4 + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(SectionGrant::decode(&b).is_err());
        // Flipping every byte never panics.
        for i in 0..body.len() {
            let mut b = body.clone();
            b[i] ^= 0xff;
            let _ = SectionGrant::decode(&b);
        }
        assert!(Request::decode(kind::CONTROL, &[9, 0, 0, 0, 0]).is_err());
        assert!(Request::decode(77, &[]).is_err());
        // RAS requests: unknown fault codes, short and long bodies.
        assert!(Request::decode(kind::INJECT, &[0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0]).is_err());
        assert!(Request::decode(kind::INJECT, &[0, 0, 0, 0, 2]).is_err());
        assert!(Request::decode(kind::INJECT, &[0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0]).is_err());
        assert!(Request::decode(kind::HEARTBEAT, &[0, 0, 0, 0, 0]).is_err());
        assert!(Request::decode(kind::DEBUG_READ, &[0, 0, 0, 0, 9, 0, 0, 0, b'x']).is_err());
        assert!(Request::decode(kind::DEBUG_WRITE, &[0, 0, 0, 0, 0, 0, 0, 0]).is_err());
        assert!(decode_heartbeat(&[1, 0, 0, 0, 0, 0, 0, 0, 7]).is_err());
        assert!(decode_heartbeat(&[0xff, 0xff, 0xff, 0xff]).is_err());
        let mut p = encode_ras_policy(&RasPolicy::default());
        p[0] = 2;
        assert!(decode_ras_policy(&p).is_err());
    }

    #[test]
    fn ras_replies_round_trip() {
        let list = vec![
            (0, HeartbeatStatus::Alive),
            (1, HeartbeatStatus::Unresponsive),
            (2, HeartbeatStatus::TooSoon),
            (3, HeartbeatStatus::Resetting),
        ];
        assert_eq!(decode_heartbeat(&encode_heartbeat(&list)).unwrap(), list);
        assert_eq!(decode_heartbeat(&encode_heartbeat(&[])).unwrap(), vec![]);
        assert_eq!(decode_text(&encode_text("AE\n")).unwrap(), "AE\n");
        let p = RasPolicy::for_endpoint(4, true, None);
        assert_eq!(decode_ras_policy(&encode_ras_policy(&p)).unwrap(), p);
        for f in [
            Fault::HeartbeatFailure,
            Fault::EngineHang,
            Fault::FatalError,
            Fault::Correctable,
            Fault::RingPairError {
                bank: u32::MAX,
                ring_pair: 7,
            },
        ] {
            let (c, b, r) = fault_code(f);
            assert_eq!(fault_from_code(c, b, r), Some(f));
        }
    }

    /// Random mutations of a valid grant (bit flips, bytes and counts set to
    /// edge values, insertions, deletions, truncations): decoding never
    /// panics, and whatever it accepts is a consistent grant whose
    /// descriptor count the body bounds.
    #[test]
    fn section_grant_decoding_survives_fuzzing() {
        let body = grant().encode();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut accepted = 0;
        for _ in 0..20_000 {
            let mut b = body.clone();
            for _ in 0..1 + next() % 4 {
                let at = (next() as usize) % b.len().max(1);
                match next() % 6 {
                    0 if !b.is_empty() => b[at] ^= 1 << (next() % 8),
                    1 if !b.is_empty() => b[at] = next() as u8,
                    2 if at + 4 <= b.len() => {
                        let v =
                            [0, 1, 2, 0x7fff_ffff, u32::MAX, b.len() as u32][(next() % 6) as usize];
                        b[at..at + 4].copy_from_slice(&v.to_le_bytes());
                    }
                    3 => b.insert(at, next() as u8),
                    4 if !b.is_empty() => {
                        b.remove(at);
                    }
                    _ => b.truncate(at),
                }
            }
            if let Ok(g) = SectionGrant::decode(&b) {
                accepted += 1;
                assert_eq!(SectionGrant::decode(&g.encode()).unwrap(), g);
                assert!(g.fd_count() <= 1 + b.len(), "{} fds", g.fd_count());
                for i in &g.instances {
                    assert!((i.endpoint as usize) < g.endpoints.len());
                    assert!(i.rings.iter().map(|r| r.service).eq(i
                        .service
                        .ring_services()
                        .iter()
                        .copied()));
                }
            }
        }
        // Flipped numbers (banks, offsets, names' bytes) still decode.
        assert!(accepted > 0);
    }

    /// The built-in configuration, under every POLICY and service set gen4
    /// runs: its largest section (all 32 VFs, 4 ring pairs each) fits one
    /// message, as softqatd requires.
    #[test]
    fn every_builtin_section_fits_one_message() {
        use softqat_config::{ManagedConfig, SystemConfig};
        let mut most = (0, String::new());
        for services in [
            "", "sym;asym", "sym", "asym", "dc", "sym;dc", "asym;dc", "dcc",
        ] {
            for policy in 0..=40 {
                let mut text = format!("POLICY={policy}\n");
                if !services.is_empty() {
                    text += &format!("ServicesEnabled={services}\n");
                }
                let (cfg, _) = ManagedConfig::parse_str("qat", &text).unwrap();
                let config = SystemConfig::managed(&cfg);
                let plans = crate::plan::endpoints(&config);
                for s in crate::plan::sections(&config, &plans, "SSL").unwrap() {
                    let fds = section_fd_count(s.endpoints().len(), s.rings().count());
                    if fds > most.0 {
                        most = (fds, format!("{text:?} {}", s.name));
                    }
                }
            }
        }
        assert_eq!(most.0, 1 + 2 * 2 + 32 * 4, "{}", most.1);
        assert!(most.0 <= MAX_MESSAGE_FDS);
    }

    #[test]
    fn frames_carry_descriptors_and_check_versions() {
        let (a, b) = UnixStream::pair().unwrap();
        let e = EventFd::new().unwrap();
        let (k, body) = Request::SectionGet { name: "SSL".into() }.encode();
        send(&a, k, &body, &[e.as_fd()]).unwrap();
        send(&a, kind::STATUS, &[], &[]).unwrap();
        let f = recv(&b).unwrap();
        assert_eq!(f.kind, kind::SECTION_GET);
        assert_eq!(f.fds.len(), 1);
        assert_eq!(
            Request::decode(f.kind, &f.body).unwrap(),
            Request::SectionGet { name: "SSL".into() }
        );
        // The received eventfd is the same object.
        let got = EventFd::from_owned(f.fds.into_iter().next().unwrap());
        got.signal();
        assert!(e.wait(Some(std::time::Duration::ZERO)));
        let f = recv(&b).unwrap();
        assert_eq!((f.kind, f.body.len(), f.fds.len()), (kind::STATUS, 0, 0));

        // Another major version (1.0, before instances of every service) is
        // refused with both versions named.
        assert_eq!(VERSION, 0x0202);
        use std::io::Write;
        (&a).write_all(&[0, 0, 0, 0, 0x00, 0x01, 5, 0]).unwrap();
        let err = recv(&b).unwrap_err().to_string();
        assert!(err.contains("0x0100") && err.contains("0x0202"), "{err}");
        // A body longer than allowed is refused before reading it.
        (&a).write_all(&[0xff, 0xff, 0xff, 0x7f, 0x00, 0x02, 5, 0])
            .unwrap();
        assert!(matches!(recv(&b), Err(ProtoError::TooLong(_))));
        drop(a);
        assert!(matches!(recv(&b), Err(ProtoError::Closed)));
    }
}
