//! The daemon's only `unsafe` code: process control (fork, setsid, signal
//! masks), user and group lookups, shutting a listening socket, and the two
//! device calls whose contracts the compiler cannot check (ring blocks over
//! shared memory, registration of a client's memory).
//!
//! Every block states why it is sound. Everything else in the crate is safe
//! code (`#![deny(unsafe_code)]` at the crate root).

use std::any::Any;
use std::ffi::CString;
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, RawFd};
use std::os::unix::net::UnixListener;
use std::sync::Arc;

use softqat_device::dma::{DmaError, OwnerMemory};
use softqat_device::ipc::SharedMemory;
use softqat_device::Iova;

/// Alignment of ring blocks inside a section's ring memfd.
pub(crate) const RING_ALIGN: usize = 4096;

/// Registers all of `shm` at `iova` in `owner`; the registry keeps the
/// mapping alive.
///
/// The caller must have checked that the memfd's size is sealed and that the
/// file is at least `shm.len()` bytes long, so no access can fault.
pub(crate) fn register_region(
    owner: &OwnerMemory,
    iova: u64,
    shm: SharedMemory,
) -> Result<(), DmaError> {
    let host = shm.as_ptr().as_ptr();
    let len = shm.len();
    let keep: Arc<dyn Any + Send + Sync> = Arc::new(shm);
    // SAFETY: `host..host + len` is the read-write mapping owned by `shm`,
    // which `keep` owns: it stays mapped while `keep` or a clone lives. The
    // file cannot shrink (size sealed, checked by the caller), so every byte
    // of the mapping stays backed.
    unsafe { owner.register(Iova(iova), host, len, keep) }
}

/// The daemon's effective uid.
pub(crate) fn effective_uid() -> u32 {
    // SAFETY: geteuid cannot fail and touches no memory of ours.
    unsafe { libc::geteuid() }
}

/// The gid of group `name`, if the group exists.
pub(crate) fn group_id(name: &str) -> Option<u32> {
    let cname = CString::new(name).ok()?;
    let mut buf = vec![0u8; 4096];
    loop {
        // SAFETY: all-zero is a valid `group` (null pointers, zero ids).
        let mut grp: libc::group = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::group = std::ptr::null_mut();
        // SAFETY: getgrnam_r (the reentrant form, safe with other threads)
        // gets a live NUL-terminated name, a live `group`, and a live buffer
        // of the length passed; it writes only inside them.
        let r = unsafe {
            libc::getgrnam_r(
                cname.as_ptr(),
                &mut grp,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            )
        };
        if r == libc::ERANGE && buf.len() < (1 << 20) {
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        if r != 0 || result.is_null() {
            return None;
        }
        return Some(grp.gr_gid);
    }
}

/// Wakes a thread blocked in `accept` on `listener` (it fails with EINVAL)
/// and makes every later `accept` fail.
pub(crate) fn shutdown_listener(listener: &UnixListener) {
    // SAFETY: a plain system call on a descriptor `listener` owns and keeps
    // open for the duration of the call.
    unsafe {
        libc::shutdown(listener.as_raw_fd(), libc::SHUT_RDWR);
    }
}

/// The signals that stop the daemon.
pub(crate) struct StopSignals {
    set: libc::sigset_t,
}

/// Blocks SIGTERM and SIGINT in the calling thread — and in every thread it
/// spawns afterwards, which inherit the mask — so that they can only be
/// received with [`StopSignals::wait`]. Call before any thread exists.
pub(crate) fn block_stop_signals() -> io::Result<StopSignals> {
    // SAFETY: all-zero is a valid sigset_t, and sigemptyset initialises it.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: the sigset functions get a pointer to the live `set`;
    // pthread_sigmask reads it and a null old-set pointer is allowed.
    let r = unsafe {
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGTERM);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut())
    };
    if r != 0 {
        return Err(io::Error::from_raw_os_error(r));
    }
    Ok(StopSignals { set })
}

impl StopSignals {
    /// Waits for SIGTERM or SIGINT; returns its number.
    pub(crate) fn wait(&self) -> io::Result<i32> {
        loop {
            let mut sig: libc::c_int = 0;
            // SAFETY: sigwait reads the live, initialised set and writes the
            // signal number into the live `sig`.
            let r = unsafe { libc::sigwait(&self.set, &mut sig) };
            if r == 0 {
                return Ok(sig);
            }
            if r != libc::EINTR {
                return Err(io::Error::from_raw_os_error(r));
            }
        }
    }
}

/// The name of a stop signal.
pub(crate) fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        _ => "signal",
    }
}

/// What [`fork`] returned in this process.
pub(crate) enum Forked {
    /// In the parent: the child's pid.
    Parent(i32),
    /// In the child.
    Child,
}

/// `fork()`. Only while this process has a single thread: the child gets a
/// copy of the calling thread alone.
pub(crate) fn fork() -> io::Result<Forked> {
    // SAFETY: the caller guarantees no other thread exists (main_with_args
    // forks before the daemon starts any), so no lock can be held by a thread
    // that would be missing in the child.
    let pid = unsafe { libc::fork() };
    match pid {
        p if p < 0 => Err(io::Error::last_os_error()),
        0 => Ok(Forked::Child),
        p => Ok(Forked::Parent(p)),
    }
}

/// `setsid()`: a new session without a controlling terminal.
pub(crate) fn setsid() -> io::Result<()> {
    // SAFETY: a plain system call without arguments.
    if unsafe { libc::setsid() } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Standard descriptors [`dev_null`] can replace.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Std {
    /// Descriptor 0.
    Input = 0,
    /// Descriptor 1.
    Output = 1,
    /// Descriptor 2.
    Error = 2,
}

/// Points a standard descriptor at `/dev/null`.
pub(crate) fn dev_null(which: Std) -> io::Result<()> {
    let null = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")?;
    // SAFETY: dup2 of a descriptor `null` owns onto descriptor 0, 1 or 2,
    // which no Rust object of this process owns (std's handles only refer to
    // the numbers); the old file there is closed atomically.
    if unsafe { libc::dup2(null.as_raw_fd(), which as RawFd) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// A pipe (close-on-exec): (read end, write end).
pub(crate) fn pipe() -> io::Result<(File, File)> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: two fresh descriptors that nothing else owns.
    Ok(unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) })
}
