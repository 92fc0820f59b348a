//! IPC primitives for managed mode: shared memory that can cross a process
//! boundary, file descriptors passed over a Unix socket, and the credentials of
//! the peer on the other end.
//!
//! - [`SharedMemory`] is an owning handle of a memfd and one `MAP_SHARED`
//!   mapping of it. The daemon creates ring blocks this way and sends the fd;
//!   the client maps it with [`SharedMemory::from_fd`]. A ring block is then
//!   `RingMemory::from_external(shm.as_ptr(), shm.len(), slots, Box::new(arc))`.
//! - [`send_with_fds`] / [`recv_with_fds`] carry bytes plus descriptors
//!   (memfds, eventfds) with `SCM_RIGHTS`; [`send_part`] / [`recv_part`] are
//!   their one-call forms for non-blocking event loops, and [`FdLoss`] says
//!   whose fault lost descriptors are (a peer that sent too many, or this
//!   process's own descriptor limit).
//! - [`peer_credentials`] reads `SO_PEERCRED` (pid, uid, gid) of the peer.
//!
//! # Unsafe
//! This module is one of the few places with `unsafe`. Invariants:
//! 1. A `SharedMemory` owns exactly one mapping, `ptr..ptr + len`, made by
//!    `mmap` in this module of a regular file at least `len` bytes long, and
//!    unmapped only in `Drop`. The handle itself never reads or writes the
//!    mapping; whoever dereferences [`SharedMemory::as_ptr`] must treat the
//!    memory as shared with other processes (atomics or volatile copies, as
//!    `ring` does). A peer that holds the fd could shrink the file and make
//!    accesses past the new end fault (SIGBUS); [`SharedMemory::seal_size`]
//!    forbids that, and a receiver can check it with
//!    [`SharedMemory::size_sealed`].
//! 2. `sendmsg`/`recvmsg`/`getsockopt` receive pointers to live buffers of the
//!    lengths passed with them; control buffers are `u64` arrays (aligned for
//!    `cmsghdr`) of `CMSG_SPACE` bytes, and only the `CMSG_*` helpers walk them.
//! 3. Every descriptor received with `SCM_RIGHTS` is new and owned by this
//!    process: each is wrapped in an `OwnedFd` as soon as it is read, before
//!    anything can fail, so an error never leaks one.

use std::ffi::CString;
use std::io;
use std::mem::{size_of, MaybeUninit};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;
use std::ptr::NonNull;

use crate::error::DeviceError;

/// The kernel's limit of descriptors in one `SCM_RIGHTS` message (SCM_MAX_FD).
pub const MAX_FDS: usize = 253;

fn invalid(what: &'static str, message: String) -> DeviceError {
    DeviceError::Os {
        what,
        source: io::Error::new(io::ErrorKind::InvalidInput, message),
    }
}

/// A memfd and one read-write `MAP_SHARED` mapping of its first `len` bytes.
#[derive(Debug)]
pub struct SharedMemory {
    ptr: NonNull<u8>,
    len: usize,
    fd: OwnedFd,
}

// SAFETY: the handle is a pointer to a mapping it owns (invariant 1) and an
// fd. Mappings belong to the process, not to a thread, and `munmap` runs only
// in `Drop`, which has the value to itself. The handle never touches the
// memory, so sharing `&SharedMemory` across threads creates no data race by
// itself; access through `as_ptr` is the caller's, synchronised as the memory
// is shared with other processes anyway.
unsafe impl Send for SharedMemory {}
// SAFETY: as for Send: every `&self` method only reads the immutable fields or
// makes system calls on the fd.
unsafe impl Sync for SharedMemory {}

impl SharedMemory {
    /// A new zero-filled memfd of `len` bytes (`MFD_CLOEXEC |
    /// MFD_ALLOW_SEALING`), mapped read-write and shared. `name` only shows in
    /// `/proc/<pid>/fd` and `/proc/<pid>/maps` (as `/memfd:<name>`).
    pub fn create(name: &str, len: usize) -> Result<SharedMemory, DeviceError> {
        if len == 0 {
            return Err(invalid(
                "memfd_create",
                "a shared memory block of 0 bytes".into(),
            ));
        }
        let cname = CString::new(name)
            .map_err(|_| invalid("memfd_create", format!("name {name:?} contains a NUL byte")))?;
        let size = libc::off_t::try_from(len)
            .map_err(|_| invalid("ftruncate", format!("{len} bytes is too large")))?;
        // SAFETY: `cname` is a live NUL-terminated string; the result is checked.
        let raw = unsafe {
            libc::memfd_create(cname.as_ptr(), libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING)
        };
        if raw < 0 {
            return Err(DeviceError::os("memfd_create"));
        }
        // SAFETY: `raw` is a fresh descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        // SAFETY: plain system call on our own fd; the result is checked.
        if unsafe { libc::ftruncate(fd.as_raw_fd(), size) } < 0 {
            return Err(DeviceError::os("ftruncate"));
        }
        Self::map(fd, len)
    }

    /// Maps the first `len` bytes of a memfd received from elsewhere. The file
    /// must be a regular file (memfds are) of at least `len` bytes.
    pub fn from_fd(fd: OwnedFd, len: usize) -> Result<SharedMemory, DeviceError> {
        Self::check_file(&fd, len)?;
        Self::map(fd, len)
    }

    fn check_file(fd: &OwnedFd, len: usize) -> Result<(), DeviceError> {
        if len == 0 {
            return Err(invalid("mmap", "a shared memory block of 0 bytes".into()));
        }
        let mut st = MaybeUninit::<libc::stat>::uninit();
        // SAFETY: `st` is a live buffer of the size fstat writes; checked below.
        if unsafe { libc::fstat(fd.as_raw_fd(), st.as_mut_ptr()) } < 0 {
            return Err(DeviceError::os("fstat"));
        }
        // SAFETY: fstat succeeded, so it filled `st`.
        let st = unsafe { st.assume_init() };
        if st.st_mode & libc::S_IFMT != libc::S_IFREG {
            return Err(invalid(
                "mmap",
                "the descriptor is not a regular file (memfd)".into(),
            ));
        }
        let size = u64::try_from(st.st_size).unwrap_or(0);
        if size < len as u64 {
            return Err(invalid(
                "mmap",
                format!("the shared memory file has {size} bytes, {len} are needed"),
            ));
        }
        Ok(())
    }

    /// Maps the first `len` bytes of a memfd read-only. For a descriptor
    /// opened read-only (see [`SharedMemory::read_only_fd`]) this is the only
    /// mapping the kernel allows: the holder can read the memory and never
    /// write it. Writing through [`as_ptr`](Self::as_ptr) of such a mapping
    /// faults; only loads are allowed.
    pub fn from_fd_read_only(fd: OwnedFd, len: usize) -> Result<SharedMemory, DeviceError> {
        Self::check_file(&fd, len)?;
        Self::map_with(fd, len, libc::PROT_READ)
    }

    /// A new descriptor of the same memfd opened read-only (through
    /// `/proc/self/fd`): a peer given it can map the memory only for reading.
    pub fn read_only_fd(&self) -> Result<OwnedFd, DeviceError> {
        let path = CString::new(format!("/proc/self/fd/{}", self.fd.as_raw_fd()))
            .map_err(|_| invalid("open", "fd path".into()))?;
        // SAFETY: `path` is a live NUL-terminated string; the result is checked.
        let raw = unsafe { libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
        if raw < 0 {
            return Err(DeviceError::os("open(/proc/self/fd, O_RDONLY)"));
        }
        // SAFETY: `raw` is a fresh descriptor that nothing else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(raw) })
    }

    fn map(fd: OwnedFd, len: usize) -> Result<SharedMemory, DeviceError> {
        Self::map_with(fd, len, libc::PROT_READ | libc::PROT_WRITE)
    }

    fn map_with(fd: OwnedFd, len: usize, prot: libc::c_int) -> Result<SharedMemory, DeviceError> {
        // SAFETY: a new mapping chosen by the kernel (no MAP_FIXED), so no
        // existing memory is replaced; the result is checked.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                prot,
                libc::MAP_SHARED,
                fd.as_raw_fd(),
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(DeviceError::os("mmap"));
        }
        match NonNull::new(p.cast::<u8>()) {
            Some(ptr) => Ok(SharedMemory { ptr, len, fd }),
            None => {
                // SAFETY: the mapping was just made and is not referenced.
                unsafe { libc::munmap(p, len) };
                Err(DeviceError::NoMemory(len))
            }
        }
    }

    /// Start of the mapping (page-aligned, so aligned for ring blocks). Valid
    /// for reads and writes of [`len`](Self::len) bytes while `self` lives;
    /// other processes may write it at any time.
    pub fn as_ptr(&self) -> NonNull<u8> {
        self.ptr
    }

    /// Length of the mapping in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always false: a mapping has at least one byte.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The memfd, e.g. to send it with [`send_with_fds`].
    pub fn fd(&self) -> BorrowedFd<'_> {
        use std::os::fd::AsFd;
        self.fd.as_fd()
    }

    /// Seals the file's size (`F_SEAL_SHRINK | F_SEAL_GROW`) so that no holder
    /// of the fd can truncate it under a mapping.
    pub fn seal_size(&self) -> Result<(), DeviceError> {
        // SAFETY: plain fcntl on our own fd; the result is checked.
        let r = unsafe {
            libc::fcntl(
                self.fd.as_raw_fd(),
                libc::F_ADD_SEALS,
                libc::F_SEAL_SHRINK | libc::F_SEAL_GROW,
            )
        };
        if r < 0 {
            return Err(DeviceError::os("fcntl(F_ADD_SEALS)"));
        }
        Ok(())
    }

    /// True if the file can no longer shrink (`F_SEAL_SHRINK`): check this
    /// before trusting a mapping of a memfd received from an untrusted peer.
    pub fn size_sealed(&self) -> Result<bool, DeviceError> {
        // SAFETY: plain fcntl on our own fd; the result is checked.
        let r = unsafe { libc::fcntl(self.fd.as_raw_fd(), libc::F_GET_SEALS) };
        if r < 0 {
            return Err(DeviceError::os("fcntl(F_GET_SEALS)"));
        }
        Ok(r & libc::F_SEAL_SHRINK != 0)
    }
}

impl Drop for SharedMemory {
    fn drop(&mut self) {
        // SAFETY: invariant 1 — this is the mapping made in `map`, unmapped
        // only here; the fd is closed afterwards by OwnedFd.
        unsafe {
            libc::munmap(self.ptr.as_ptr().cast(), self.len);
        }
    }
}

fn cmsg_space(fds: usize) -> usize {
    // SAFETY: pure arithmetic (unsafe only by its libc signature); fds ≤ MAX_FDS.
    unsafe { libc::CMSG_SPACE((fds * size_of::<RawFd>()) as libc::c_uint) as usize }
}

/// Sends `bytes` and, attached to them, duplicates of `fds` (`SCM_RIGHTS`).
///
/// `bytes` must not be empty when fds are sent (a stream socket carries
/// descriptors with data). All of `bytes` is sent: if the kernel takes only
/// part with the descriptors, the rest follows without them. Meant for a
/// blocking stream; interrupted calls are retried; never raises SIGPIPE.
pub fn send_with_fds(stream: &UnixStream, bytes: &[u8], fds: &[BorrowedFd<'_>]) -> io::Result<()> {
    if fds.len() > MAX_FDS {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} descriptors in one message, at most {MAX_FDS}",
                fds.len()
            ),
        ));
    }
    if bytes.is_empty() && !fds.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "descriptors must be sent with at least one byte",
        ));
    }
    let sent = sendmsg_once(stream, bytes, fds, libc::MSG_NOSIGNAL)?;
    let mut rest = &bytes[sent..];
    while !rest.is_empty() {
        // SAFETY: sends from a live slice of the given length.
        let n = unsafe {
            libc::send(
                stream.as_raw_fd(),
                rest.as_ptr().cast(),
                rest.len(),
                libc::MSG_NOSIGNAL,
            )
        };
        if n < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err);
        }
        rest = &rest[n as usize..];
    }
    Ok(())
}

/// Why descriptors sent with a message did not all arrive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FdLoss {
    /// The peer sent more than the `max` descriptors the receiver takes with
    /// one message: the peer broke the protocol.
    TooMany {
        /// Descriptors the receiver takes with one message.
        max: usize,
        /// True if the kernel truncated the control data (`MSG_CTRUNC`).
        truncated: bool,
    },
    /// The kernel could not install the descriptors in this process
    /// (`MSG_CTRUNC` with room to spare in the control buffer): almost always
    /// this process's own descriptor limit, not anything the peer did.
    NotInstalled {
        /// Descriptors that did arrive before the kernel stopped (closed
        /// again: a partial set is of no use).
        received: usize,
        /// Descriptors this process has open now.
        open: Option<usize>,
        /// This process's `RLIMIT_NOFILE` (soft, hard), if it could be read.
        limit: Option<(u64, u64)>,
    },
}

impl std::fmt::Display for FdLoss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FdLoss::TooMany { max, truncated } => write!(
                f,
                "the peer sent more than {max} descriptors{}",
                if *truncated {
                    " (control data truncated)"
                } else {
                    ""
                }
            ),
            FdLoss::NotInstalled {
                received,
                open,
                limit,
            } => {
                write!(
                    f,
                    "this process could not take the descriptors its peer sent ({received} \
                     arrived before the kernel stopped and truncated the rest)"
                )?;
                let open = open.map_or("?".to_string(), |n| n.to_string());
                match limit {
                    Some((soft, hard)) => {
                        let want = soft.saturating_mul(4).max(1024);
                        write!(
                            f,
                            ": it has {open} descriptors open and may have {soft} (RLIMIT_NOFILE, \
                             `ulimit -n`): raise the limit (`ulimit -n {want}` in the shell, \
                             LimitNOFILE={want} for a service)"
                        )?;
                        if want > *hard {
                            write!(
                                f,
                                " — the hard limit is {hard}, so raise that first (as root, or \
                                 in /etc/security/limits.conf)"
                            )?;
                        }
                        write!(f, " and retry")
                    }
                    None => write!(
                        f,
                        ": it has {open} descriptors open: raise its descriptor limit \
                         (`ulimit -n`, LimitNOFILE= for a service) and retry"
                    ),
                }
            }
        }
    }
}

impl std::error::Error for FdLoss {}

/// This process's `RLIMIT_NOFILE` (soft, hard); `RLIM_INFINITY` reads as
/// `u64::MAX`.
pub fn descriptor_limit() -> Option<(u64, u64)> {
    let mut rl = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit into the live `rl`; checked.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl) } != 0 {
        return None;
    }
    // rlim_t is narrower than u64 on some 32-bit targets.
    #[allow(clippy::unnecessary_cast)]
    Some((rl.rlim_cur as u64, rl.rlim_max as u64))
}

/// Descriptors this process has open (the entries of `/proc/self/fd`, less
/// the one reading the directory), if the count can be read.
pub fn open_descriptors() -> Option<usize> {
    let n = std::fs::read_dir("/proc/self/fd").ok()?.count();
    Some(n.saturating_sub(1))
}

/// What one [`recv_part`] took off the socket.
#[derive(Debug)]
pub struct Received {
    /// Bytes read into the buffer (0: the peer closed the connection).
    pub bytes: usize,
    /// Descriptors that came with them (close-on-exec); empty if any were
    /// lost.
    pub fds: Vec<OwnedFd>,
    /// Descriptors that were sent but could not be taken; those that did
    /// arrive are closed already.
    pub lost: Option<FdLoss>,
}

/// Receives up to `buf.len()` bytes and at most `max_fds` descriptors sent
/// with them (close-on-exec), with one `recvmsg`. The bytes read are always
/// reported — even when descriptors were lost, so a caller reading a framed
/// stream keeps its place — and lost descriptors are reported as
/// [`Received::lost`] with what was lost and why. Interrupted calls are
/// retried; on a non-blocking socket with nothing to read it fails with
/// `WouldBlock`.
pub fn recv_part(stream: &UnixStream, buf: &mut [u8], max_fds: usize) -> io::Result<Received> {
    let max_fds = max_fds.min(MAX_FDS);
    let space = if max_fds == 0 { 0 } else { cmsg_space(max_fds) };
    let mut control = vec![0u64; space.div_ceil(size_of::<u64>())];
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // SAFETY: msghdr is a plain C struct for which all zeroes is valid.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    if space != 0 {
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = space as _;
    }
    let n = loop {
        // SAFETY: invariant 2 — msg points at `iov` (over `buf`) and
        // `control`, all live and writable for the call.
        let n = unsafe { libc::recvmsg(stream.as_raw_fd(), &mut msg, libc::MSG_CMSG_CLOEXEC) };
        if n >= 0 {
            break n as usize;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    };
    let mut fds = Vec::new();
    if msg.msg_controllen as usize > 0 {
        // SAFETY: invariant 2 — the kernel wrote `msg_controllen` bytes of
        // well-formed headers into `control`; CMSG_FIRSTHDR/NXTHDR stay within
        // them. Invariant 3 — each SCM_RIGHTS entry is a new descriptor of
        // ours, wrapped at once.
        unsafe {
            let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
            while !cmsg.is_null() {
                if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                    let data_len =
                        ((*cmsg).cmsg_len as usize).saturating_sub(libc::CMSG_LEN(0) as usize);
                    let data = libc::CMSG_DATA(cmsg).cast::<RawFd>();
                    for i in 0..data_len / size_of::<RawFd>() {
                        fds.push(OwnedFd::from_raw_fd(data.add(i).read_unaligned()));
                    }
                }
                cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
            }
        }
    }
    let truncated = msg.msg_flags & libc::MSG_CTRUNC != 0;
    let lost = if truncated && fds.len() < max_fds {
        // The kernel truncates with room to spare only when it cannot
        // install a descriptor here (EMFILE: this process's own limit, or a
        // security module's refusal): say so, rather than blame the peer.
        let received = fds.len();
        drop(std::mem::take(&mut fds));
        Some(FdLoss::NotInstalled {
            received,
            open: open_descriptors(),
            limit: descriptor_limit(),
        })
    } else if truncated || fds.len() > max_fds {
        // The control buffer is rounded up for alignment, so a few more
        // than `max_fds` may fit without MSG_CTRUNC: refuse those too.
        drop(std::mem::take(&mut fds));
        Some(FdLoss::TooMany {
            max: max_fds,
            truncated,
        })
    } else {
        None
    };
    Ok(Received {
        bytes: n,
        fds,
        lost,
    })
}

/// Receives up to `buf.len()` bytes and at most `max_fds` descriptors sent
/// with them (close-on-exec). Returns the byte count (0: the peer closed the
/// connection) and the descriptors.
///
/// If descriptors were lost the call fails and every descriptor of the
/// message is closed: the bytes of that message are consumed, so the caller
/// should treat the connection as broken. The error says whose fault it
/// was: `InvalidData` "the peer sent more than `max_fds` descriptors"
/// (`MSG_CTRUNC` or an over-full control buffer), or, when the kernel could
/// not install them in this process (its descriptor limit), an error naming
/// this process's open descriptors, its `RLIMIT_NOFILE` and how to raise it.
/// Either error wraps the [`FdLoss`] (`get_ref()` and `downcast_ref`).
/// Interrupted calls are retried. Use [`recv_part`] to keep the byte count.
pub fn recv_with_fds(
    stream: &UnixStream,
    buf: &mut [u8],
    max_fds: usize,
) -> io::Result<(usize, Vec<OwnedFd>)> {
    let r = recv_part(stream, buf, max_fds)?;
    match r.lost {
        None => Ok((r.bytes, r.fds)),
        Some(loss @ FdLoss::TooMany { .. }) => {
            Err(io::Error::new(io::ErrorKind::InvalidData, loss))
        }
        Some(loss @ FdLoss::NotInstalled { .. }) => Err(io::Error::other(loss)),
    }
}

/// Sends as much of `bytes` as the socket takes now, with one `sendmsg`,
/// and `fds` attached to the first byte (`SCM_RIGHTS`); returns the bytes
/// sent. For non-blocking writers that queue the rest: pass `fds` only with
/// the first part of a message. Never blocks (`MSG_DONTWAIT`; a full socket
/// fails with `WouldBlock`) and never raises SIGPIPE.
pub fn send_part(stream: &UnixStream, bytes: &[u8], fds: &[BorrowedFd<'_>]) -> io::Result<usize> {
    if fds.len() > MAX_FDS {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} descriptors in one message, at most {MAX_FDS}",
                fds.len()
            ),
        ));
    }
    if bytes.is_empty() {
        return if fds.is_empty() {
            Ok(0)
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "descriptors must be sent with at least one byte",
            ))
        };
    }
    sendmsg_once(stream, bytes, fds, libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT)
}

/// One `sendmsg` of `bytes` with `fds` attached; interrupted calls are
/// retried.
fn sendmsg_once(
    stream: &UnixStream,
    bytes: &[u8],
    fds: &[BorrowedFd<'_>],
    flags: libc::c_int,
) -> io::Result<usize> {
    let mut control = vec![0u64; cmsg_space(fds.len()).div_ceil(size_of::<u64>())];
    let mut iov = libc::iovec {
        iov_base: bytes.as_ptr() as *mut libc::c_void,
        iov_len: bytes.len(),
    };
    // SAFETY: msghdr is a plain C struct for which all zeroes is valid.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    if !fds.is_empty() {
        let data_len = fds.len() * size_of::<RawFd>();
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = cmsg_space(fds.len()) as _;
        // SAFETY: invariant 2 — the control buffer is aligned and holds
        // CMSG_SPACE(data_len) bytes, so the first header and its data fit.
        unsafe {
            let cmsg = libc::CMSG_FIRSTHDR(&msg);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = libc::CMSG_LEN(data_len as libc::c_uint) as _;
            let data = libc::CMSG_DATA(cmsg).cast::<RawFd>();
            for (i, fd) in fds.iter().enumerate() {
                data.add(i).write_unaligned(fd.as_raw_fd());
            }
        }
    }
    loop {
        // SAFETY: invariant 2 — msg points at `iov` (over `bytes`) and
        // `control`, all live for the call.
        let n = unsafe { libc::sendmsg(stream.as_raw_fd(), &msg, flags) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// The pid, uid and gid of the process on the other end (`SO_PEERCRED`), as
/// they were when it connected (or created the pair).
pub fn peer_credentials(
    stream: &UnixStream,
) -> io::Result<(libc::pid_t, libc::uid_t, libc::gid_t)> {
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: invariant 2 — `cred` is a live ucred and `len` its size.
    let r = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    if len as usize != size_of::<libc::ucred>() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "SO_PEERCRED returned a short answer",
        ));
    }
    Ok((cred.pid, cred.uid, cred.gid))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::{RequestDesc, ResponseDesc};
    use crate::notify::EventFd;
    use crate::ring::{PollOutcome, RingMemory, RingProducer, RingService};
    use bytemuck::Zeroable;
    use softqat_cpa::CpaStatus;
    use std::fs::File;
    use std::io::{Read, Write};
    use std::sync::Arc;
    use std::time::Duration;

    /// Writes `data` at `off` of a mapping.
    fn put(shm: &SharedMemory, off: usize, data: &[u8]) {
        assert!(off + data.len() <= shm.len());
        // SAFETY: in bounds of the mapping (invariant 1); nothing else writes
        // these bytes during the test.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), shm.as_ptr().as_ptr().add(off), data.len())
        }
    }

    /// Reads `len` bytes at `off` of a mapping.
    fn get(shm: &SharedMemory, off: usize, len: usize) -> Vec<u8> {
        assert!(off + len <= shm.len());
        let mut v = vec![0u8; len];
        // SAFETY: in bounds of the mapping (invariant 1); nothing else writes
        // these bytes during the test.
        unsafe {
            std::ptr::copy_nonoverlapping(shm.as_ptr().as_ptr().add(off), v.as_mut_ptr(), len)
        }
        v
    }

    fn pipe() -> (File, File) {
        let mut fds = [0 as RawFd; 2];
        // SAFETY: `fds` has room for the two descriptors pipe2 writes.
        let r = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) };
        assert_eq!(r, 0, "pipe2: {}", io::Error::last_os_error());
        // SAFETY: two fresh descriptors that nothing else owns.
        unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) }
    }

    #[test]
    fn shared_memory_is_zeroed_aligned_and_seen_through_a_second_mapping() {
        let a = SharedMemory::create("softqat-test", 8192).unwrap();
        assert_eq!(a.len(), 8192);
        assert_eq!(a.as_ptr().as_ptr() as usize % 4096, 0);
        assert_eq!(get(&a, 0, 8192), vec![0u8; 8192]);
        let b = SharedMemory::from_fd(a.fd().try_clone_to_owned().unwrap(), 8192).unwrap();
        assert_ne!(a.as_ptr(), b.as_ptr());
        put(&a, 100, b"written through a");
        assert_eq!(get(&b, 100, 17), b"written through a");
        put(&b, 8000, b"and back");
        assert_eq!(get(&a, 8000, 8), b"and back");
        // A mapping outlives the other mapping and the other fd.
        drop(a);
        assert_eq!(get(&b, 100, 17), b"written through a");
    }

    #[test]
    fn shared_memory_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<SharedMemory>();
    }

    #[test]
    fn memfd_round_trip_over_a_socket() {
        let (tx, rx) = UnixStream::pair().unwrap();
        let shm = SharedMemory::create("softqat-roundtrip", 4096).unwrap();
        put(&shm, 0, b"hello from the sender");
        send_with_fds(&tx, b"MEM", &[shm.fd()]).unwrap();
        let mut buf = [0u8; 16];
        let (n, mut fds) = recv_with_fds(&rx, &mut buf, 4).unwrap();
        assert_eq!((&buf[..n], fds.len()), (&b"MEM"[..], 1));
        let peer = SharedMemory::from_fd(fds.pop().unwrap(), 4096).unwrap();
        assert_eq!(get(&peer, 0, 21), b"hello from the sender");
        put(&peer, 2048, b"reply");
        assert_eq!(get(&shm, 2048, 5), b"reply");
    }

    #[test]
    fn three_kinds_of_fd_cross_a_socket_and_work() {
        let (tx, rx) = UnixStream::pair().unwrap();
        let shm = SharedMemory::create("softqat-three", 4096).unwrap();
        let event = EventFd::new().unwrap();
        let (mut pipe_r, pipe_w) = pipe();
        // SAFETY: `event` owns this descriptor and outlives the borrow.
        let event_fd = unsafe { BorrowedFd::borrow_raw(event.as_raw_fd()) };
        use std::os::fd::AsFd;
        send_with_fds(&tx, b"three", &[shm.fd(), event_fd, pipe_w.as_fd()]).unwrap();
        drop(pipe_w);

        let mut buf = [0u8; 64];
        let (n, fds) = recv_with_fds(&rx, &mut buf, 3).unwrap();
        assert_eq!(&buf[..n], b"three");
        let [mem_fd, ev_fd, w_fd]: [OwnedFd; 3] = fds.try_into().unwrap();
        // Received descriptors are close-on-exec and new numbers.
        for fd in [&mem_fd, &ev_fd, &w_fd] {
            // SAFETY: plain fcntl on a descriptor we own.
            let flags = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFD) };
            assert_eq!(flags & libc::FD_CLOEXEC, libc::FD_CLOEXEC);
        }
        assert_ne!(ev_fd.as_raw_fd(), event.as_raw_fd());

        // The memfd.
        let peer = SharedMemory::from_fd(mem_fd, 4096).unwrap();
        put(&peer, 10, b"mem");
        assert_eq!(get(&shm, 10, 3), b"mem");
        // The eventfd: signalled on the receiving side, seen on the sending side.
        let peer_event = EventFd::from_owned(ev_fd);
        assert!(!event.wait(Some(Duration::ZERO)));
        peer_event.signal();
        assert!(event.wait(Some(Duration::from_secs(1))));
        assert_eq!(event.drain(), 1);
        // The pipe's write end.
        let mut w = File::from(w_fd);
        w.write_all(b"through the pipe").unwrap();
        drop(w);
        let mut got = String::new();
        pipe_r.read_to_string(&mut got).unwrap();
        assert_eq!(got, "through the pipe");
    }

    #[test]
    fn large_messages_arrive_whole_and_plain_messages_carry_no_fds() {
        let (tx, rx) = UnixStream::pair().unwrap();
        let shm = SharedMemory::create("softqat-large", 4096).unwrap();
        let big: Vec<u8> = (0..1_000_000u32).map(|i| i as u8).collect();
        let sender = {
            let big = big.clone();
            let fd = shm.fd().try_clone_to_owned().unwrap();
            std::thread::spawn(move || {
                use std::os::fd::AsFd;
                send_with_fds(&tx, &big, &[fd.as_fd()]).unwrap();
                send_with_fds(&tx, b"plain", &[]).unwrap();
            })
        };
        let mut got = Vec::new();
        let mut all_fds = Vec::new();
        let mut buf = vec![0u8; 65536];
        while got.len() < big.len() + 5 {
            let (n, fds) = recv_with_fds(&rx, &mut buf, 1).unwrap();
            assert!(n > 0);
            got.extend_from_slice(&buf[..n]);
            all_fds.extend(fds);
        }
        sender.join().unwrap();
        assert_eq!(&got[..big.len()], &big[..]);
        assert_eq!(&got[big.len()..], b"plain");
        assert_eq!(all_fds.len(), 1);
    }

    #[test]
    fn peer_credentials_name_this_process() {
        let (a, b) = UnixStream::pair().unwrap();
        let (pid, uid, gid) = peer_credentials(&a).unwrap();
        assert_eq!(pid, std::process::id() as libc::pid_t);
        // SAFETY: getuid/getgid cannot fail.
        assert_eq!(uid, unsafe { libc::getuid() });
        // SAFETY: as above.
        assert_eq!(gid, unsafe { libc::getgid() });
        assert_eq!(peer_credentials(&b).unwrap(), (pid, uid, gid));
    }

    #[test]
    fn from_fd_refuses_a_short_file_and_a_non_file() {
        let shm = SharedMemory::create("softqat-short", 4096).unwrap();
        let fd = shm.fd().try_clone_to_owned().unwrap();
        let err = SharedMemory::from_fd(fd, 8192).unwrap_err();
        assert!(err.to_string().contains("4096 bytes, 8192"), "{err}");
        let (r, _w) = pipe();
        assert!(SharedMemory::from_fd(OwnedFd::from(r), 4096).is_err());
        assert!(SharedMemory::create("softqat-empty", 0).is_err());
        assert!(SharedMemory::create("nul\0name", 4096).is_err());
    }

    #[test]
    fn size_seals_are_set_and_visible_to_the_receiver() {
        let shm = SharedMemory::create("softqat-seal", 4096).unwrap();
        let peer = SharedMemory::from_fd(shm.fd().try_clone_to_owned().unwrap(), 4096).unwrap();
        assert!(!peer.size_sealed().unwrap());
        shm.seal_size().unwrap();
        assert!(peer.size_sealed().unwrap());
        // SAFETY: plain system call on a descriptor the handle owns.
        let r = unsafe { libc::ftruncate(peer.fd().as_raw_fd(), 0) };
        assert_eq!(r, -1, "a sealed memfd cannot shrink");
    }

    #[test]
    fn too_many_fds_fail_cleanly_and_close_everything() {
        use std::os::fd::AsFd;
        let (tx, rx) = UnixStream::pair().unwrap();
        let mut buf = [0u8; 8];
        let mut one = [0u8; 1];
        // 3 fds for room for 1 (MSG_CTRUNC), and 2 fds for room for 1 (the
        // second fits in the control buffer's alignment padding).
        for (sent, want_ctrunc) in [(3, true), (2, false)] {
            let (mut r, w) = pipe();
            let copies: Vec<File> = (0..sent).map(|_| w.try_clone().unwrap()).collect();
            let borrowed: Vec<BorrowedFd<'_>> = copies.iter().map(|f| f.as_fd()).collect();
            send_with_fds(&tx, b"x", &borrowed).unwrap();
            drop(borrowed);
            drop((w, copies));
            let err = recv_with_fds(&rx, &mut buf, 1).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData);
            assert!(err.to_string().contains("more than 1 descriptors"), "{err}");
            assert_eq!(err.to_string().contains("truncated"), want_ctrunc, "{err}");
            // Every copy of the write end is closed: the read end sees EOF at
            // once (it is non-blocking, so a leaked copy would show as
            // WouldBlock).
            assert_eq!(r.read(&mut one).unwrap(), 0);
        }

        // No room for descriptors at all: the same.
        let (r2, w3) = pipe();
        send_with_fds(&tx, b"y", &[w3.as_fd()]).unwrap();
        drop(w3);
        assert!(recv_with_fds(&rx, &mut buf, 0).is_err());
        let mut r2 = r2;
        assert_eq!(r2.read(&mut one).unwrap(), 0);

        // Fds without bytes are refused on the sending side.
        let e = EventFd::new().unwrap();
        // SAFETY: `e` owns this descriptor and outlives the borrow.
        let efd = unsafe { BorrowedFd::borrow_raw(e.as_raw_fd()) };
        assert!(send_with_fds(&tx, b"", &[efd]).is_err());
    }

    /// The descriptor limit that leaves exactly `free` descriptor numbers
    /// unused below it (the kernel hands out the lowest free number, and the
    /// limit bounds numbers, not counts).
    fn limit_leaving(free: u64) -> u64 {
        let mut left = free;
        for fd in 0..1 << 20 {
            // SAFETY: F_GETFD only asks whether the number is in use.
            if unsafe { libc::fcntl(fd, libc::F_GETFD) } < 0 {
                if left == 0 {
                    return fd as u64;
                }
                left -= 1;
            }
        }
        unreachable!("a million descriptors in use")
    }

    /// Issue 10, defect 4: descriptors the kernel cannot install because
    /// this process is at its own limit are reported as this process's
    /// limit (with the fix), not as a peer that sent too many; the bytes
    /// still count, so a framed stream stays in step. Runs in a child
    /// process, whose descriptor limit it lowers.
    #[test]
    fn descriptors_refused_by_this_process_s_limit_name_the_limit() {
        const ROLE: &str = "SOFTQAT_IPC_LIMIT_CHILD";
        if std::env::var_os(ROLE).is_some() {
            let (tx, rx) = UnixStream::pair().unwrap();
            let events: Vec<EventFd> = (0..3).map(|_| EventFd::new().unwrap()).collect();
            // SAFETY: each EventFd owns its descriptor and outlives the borrow.
            let borrowed: Vec<BorrowedFd<'_>> = events
                .iter()
                .map(|e| unsafe { BorrowedFd::borrow_raw(e.as_raw_fd()) })
                .collect();
            send_with_fds(&tx, b"abc", &borrowed).unwrap();
            send_with_fds(&tx, b"def", &borrowed).unwrap();
            let open = open_descriptors().unwrap() as u64;
            let (_, hard) = descriptor_limit().unwrap();
            let room_for_one = limit_leaving(1);
            let set = |soft: u64| {
                let rl = libc::rlimit {
                    rlim_cur: soft as libc::rlim_t,
                    rlim_max: hard as libc::rlim_t,
                };
                // SAFETY: setrlimit reads one live rlimit.
                assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &rl) }, 0);
            };
            // Room for one of the three.
            set(room_for_one);
            let mut buf = [0u8; 3];
            let got = recv_part(&rx, &mut buf, 8).unwrap();
            let err = recv_with_fds(&rx, &mut buf, 8).unwrap_err();
            set(hard);
            assert_eq!((got.bytes, &buf[..], got.fds.len()), (3, &b"def"[..], 0));
            match got.lost {
                Some(FdLoss::NotInstalled {
                    received, limit, ..
                }) => {
                    assert!(received < 3, "{received}");
                    assert_eq!(limit, Some((room_for_one, hard)));
                }
                other => panic!("{other:?}"),
            }
            let text = err.to_string();
            assert!(
                text.starts_with("this process could not take the descriptors its peer sent")
                    && text.contains(&format!("may have {room_for_one} (RLIMIT_NOFILE"))
                    && text.contains("ulimit -n 1024"),
                "{text}"
            );
            assert!(!text.contains("the peer sent more"), "{text}");
            assert!(matches!(
                err.get_ref().and_then(|e| e.downcast_ref::<FdLoss>()),
                Some(FdLoss::NotInstalled { .. })
            ));
            // Nothing of the partial sets stayed open.
            assert_eq!(open_descriptors().unwrap() as u64, open);
            println!("CHILD-OK");
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "ipc::tests::descriptors_refused_by_this_process_s_limit_name_the_limit",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(ROLE, "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("CHILD-OK"),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn a_ring_works_across_two_mappings_of_one_memfd() {
        let slots = 64;
        let len = RingMemory::size_for(slots);
        let daemon_side = Arc::new(SharedMemory::create("softqat-ring", len).unwrap());
        let client_side = Arc::new(
            SharedMemory::from_fd(daemon_side.fd().try_clone_to_owned().unwrap(), len).unwrap(),
        );
        assert_ne!(daemon_side.as_ptr(), client_side.as_ptr());
        // SAFETY: each mapping is valid for `len` bytes, page-aligned, while
        // the Arc kept by the RingMemory lives.
        let service_mem = unsafe {
            RingMemory::from_external(
                daemon_side.as_ptr(),
                daemon_side.len(),
                slots,
                Box::new(daemon_side.clone()),
            )
        }
        .unwrap();
        // SAFETY: as above.
        let producer_mem = unsafe {
            RingMemory::from_external(
                client_side.as_ptr(),
                client_side.len(),
                slots,
                Box::new(client_side.clone()),
            )
        }
        .unwrap();
        drop((daemon_side, client_side));

        let notify = Arc::new(EventFd::new().unwrap());
        let producer: RingProducer<&'static str> =
            RingProducer::new(producer_mem, notify.clone(), slots);
        let service = RingService::new(service_mem, notify.clone());

        let mut req = RequestDesc::zeroed();
        req.header.command = 7;
        req.content = crate::desc::Iova(0xdead_beef);
        producer.submit(&req, "first").unwrap();
        assert!(!producer.arm());
        assert!(service.has_work());
        let (idx, got) = service.claim().unwrap();
        assert_eq!((got.header.command, got.content.0), (7, 0xdead_beef));
        service.complete(
            idx,
            &ResponseDesc {
                opaque: idx,
                cpa_status: CpaStatus::Success.code() as i8,
                result: [1234, 0, 0, 0, 0],
                ..Default::default()
            },
        );
        assert!(notify.wait(Some(Duration::from_secs(1))));
        let mut seen = vec![];
        assert_eq!(
            producer.poll(0, |r, c| seen.push((r.cpa_status, r.result[0], c))),
            PollOutcome::Consumed(1)
        );
        assert_eq!(seen, vec![(CpaStatus::Success.code() as i8, 1234, "first")]);
        assert_eq!(producer.in_flight(), 0);
        assert!(!service.has_work());
    }
}
