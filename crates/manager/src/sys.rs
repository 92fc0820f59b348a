//! The daemon's only `unsafe` code: process control (fork, setsid, signal
//! masks), user and group lookups, epoll, the descriptor limit, and the two
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

/// Interest and readiness bits of [`Epoll`].
pub(crate) mod ev {
    /// Readable (or a connection waiting on a listener).
    pub(crate) const IN: u32 = libc::EPOLLIN as u32;
    /// Writable.
    pub(crate) const OUT: u32 = libc::EPOLLOUT as u32;
    /// The peer closed both directions.
    pub(crate) const HUP: u32 = libc::EPOLLHUP as u32;
    /// An error is pending on the descriptor.
    pub(crate) const ERR: u32 = libc::EPOLLERR as u32;
}

/// An epoll instance (close-on-exec), level-triggered.
pub(crate) struct Epoll {
    fd: std::os::fd::OwnedFd,
}

/// One readiness report of [`Epoll::wait`]: (token, events).
pub(crate) type Ready = (u64, u32);

impl Epoll {
    /// A new epoll instance.
    pub(crate) fn new() -> io::Result<Epoll> {
        // SAFETY: plain system call; the result is checked.
        let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a fresh descriptor that nothing else owns.
        Ok(Epoll {
            fd: unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) },
        })
    }

    fn ctl(&self, op: libc::c_int, fd: RawFd, events: u32, token: u64) -> io::Result<()> {
        let mut event = libc::epoll_event { events, u64: token };
        // SAFETY: epoll_ctl reads one live epoll_event (ignored for DEL); the
        // descriptors are the caller's and ours, open for the call.
        if unsafe { libc::epoll_ctl(self.fd.as_raw_fd(), op, fd, &mut event) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Watches `fd` for `events`, reporting `token`.
    pub(crate) fn add(&self, fd: RawFd, events: u32, token: u64) -> io::Result<()> {
        self.ctl(libc::EPOLL_CTL_ADD, fd, events, token)
    }

    /// Changes what `fd` is watched for.
    pub(crate) fn modify(&self, fd: RawFd, events: u32, token: u64) -> io::Result<()> {
        self.ctl(libc::EPOLL_CTL_MOD, fd, events, token)
    }

    /// Stops watching `fd`.
    pub(crate) fn delete(&self, fd: RawFd) -> io::Result<()> {
        self.ctl(libc::EPOLL_CTL_DEL, fd, 0, 0)
    }

    /// Waits up to `timeout` for readiness; appends what is ready to `out`
    /// (at most `max`). An interrupted wait returns nothing.
    pub(crate) fn wait(
        &self,
        out: &mut Vec<Ready>,
        max: usize,
        timeout: std::time::Duration,
    ) -> io::Result<()> {
        let max = max.clamp(1, 4096);
        let mut events = vec![libc::epoll_event { events: 0, u64: 0 }; max];
        let ms = timeout.as_millis().min(i32::MAX as u128) as libc::c_int;
        // SAFETY: the kernel writes at most `max` events into the live
        // buffer of `max` entries.
        let n = unsafe {
            libc::epoll_wait(
                self.fd.as_raw_fd(),
                events.as_mut_ptr(),
                max as libc::c_int,
                ms,
            )
        };
        if n < 0 {
            let e = io::Error::last_os_error();
            return if e.kind() == io::ErrorKind::Interrupted {
                Ok(())
            } else {
                Err(e)
            };
        }
        for e in &events[..n as usize] {
            // Copies out of the (packed) struct.
            let (token, bits) = (e.u64, e.events);
            out.push((token, bits));
        }
        Ok(())
    }
}

/// Raises this process's soft `RLIMIT_NOFILE` to its hard limit (a daemon
/// serving many clients needs descriptors; the soft limit is often 1024).
/// Returns (soft before, soft now).
pub(crate) fn raise_descriptor_limit() -> io::Result<(u64, u64)> {
    let mut rl = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit into the live `rl`; checked.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // rlim_t is narrower than u64 on some 32-bit targets.
    #[allow(clippy::unnecessary_cast)]
    let before = rl.rlim_cur as u64;
    if rl.rlim_cur >= rl.rlim_max {
        return Ok((before, before));
    }
    let raised = libc::rlimit {
        rlim_cur: rl.rlim_max,
        rlim_max: rl.rlim_max,
    };
    // SAFETY: setrlimit reads one live rlimit; checked.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } != 0 {
        return Err(io::Error::last_os_error());
    }
    #[allow(clippy::unnecessary_cast)]
    Ok((before, raised.rlim_cur as u64))
}
