//! Event file descriptors: how sleeping parties are woken without a system
//! call per request.
//!
//! - Each ring pair has a notification eventfd. The device signals it only
//!   when the requester armed the ring (epoll mode, a synchronous caller about
//!   to sleep); the fd is what `icp_sal_DcGetFileDescriptor` hands to epoll.
//! - Each endpoint has a [`Doorbell`]: engines that find no work sleep on it,
//!   and a requester rings it only when the sleeper count says someone sleeps.
//!
//! Both are plain eventfds, so they cross a Unix socket unchanged in managed
//! mode.
//!
//! # Unsafe
//! The `libc` calls below operate on a descriptor this value owns (`OwnedFd`)
//! with buffers on the stack of the right size.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::error::DeviceError;
use crate::ipc::SharedMemory;

/// A non-blocking eventfd.
#[derive(Debug)]
pub struct EventFd {
    fd: OwnedFd,
}

impl EventFd {
    /// A new eventfd with counter 0.
    pub fn new() -> Result<EventFd, DeviceError> {
        // SAFETY: plain system call; the result is checked.
        let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
        if fd < 0 {
            return Err(DeviceError::os("eventfd"));
        }
        // SAFETY: fd is a fresh descriptor we own.
        Ok(EventFd {
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
        })
    }

    /// Wraps an eventfd received from elsewhere (managed mode).
    pub fn from_owned(fd: OwnedFd) -> EventFd {
        EventFd { fd }
    }

    /// Adds 1 to the counter, making the fd readable.
    pub fn signal(&self) {
        let one: u64 = 1;
        // SAFETY: writes 8 bytes from a live u64 to our own fd. A full counter
        // (EAGAIN) already means "readable", so the result can be ignored.
        unsafe {
            libc::write(
                self.fd.as_raw_fd(),
                &one as *const u64 as *const libc::c_void,
                8,
            );
        }
    }

    /// Resets the counter to 0; returns what it was.
    pub fn drain(&self) -> u64 {
        let mut v: u64 = 0;
        // SAFETY: reads 8 bytes into a live u64 from our own fd; non-blocking.
        let n = unsafe {
            libc::read(
                self.fd.as_raw_fd(),
                &mut v as *mut u64 as *mut libc::c_void,
                8,
            )
        };
        if n == 8 {
            v
        } else {
            0
        }
    }

    /// Waits until the fd is readable or `timeout` passes (None: forever).
    /// Returns true if readable. Does not reset the counter.
    pub fn wait(&self, timeout: Option<Duration>) -> bool {
        let ms = match timeout {
            None => -1,
            Some(t) => t.as_millis().min(i32::MAX as u128) as i32,
        };
        let mut pfd = libc::pollfd {
            fd: self.fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one live pollfd.
        let n = unsafe { libc::poll(&mut pfd, 1, ms) };
        n > 0 && pfd.revents & libc::POLLIN != 0
    }
}

/// Waits until any of `fds` is readable or `timeout` passes (None: no
/// limit); true if one is readable.
pub fn wait_any(fds: &[&EventFd], timeout: Option<Duration>) -> bool {
    let ms = match timeout {
        None => -1,
        Some(t) => t.as_millis().min(i32::MAX as u128) as i32,
    };
    let mut pfds = [libc::pollfd {
        fd: -1,
        events: libc::POLLIN,
        revents: 0,
    }; 4];
    let n = fds.len().min(pfds.len());
    for (p, f) in pfds.iter_mut().zip(fds) {
        p.fd = f.fd.as_raw_fd();
    }
    // SAFETY: `n` live pollfds on the stack.
    let r = unsafe { libc::poll(pfds.as_mut_ptr(), n as libc::nfds_t, ms) };
    r > 0 && pfds[..n].iter().any(|p| p.revents & libc::POLLIN != 0)
}

/// One descriptor that is readable while any of several eventfds is: an
/// epoll instance watching them (level-triggered). What a crypto instance
/// with two ring pairs hands to the application's epoll loop.
#[derive(Debug)]
pub struct EventSet {
    fd: OwnedFd,
}

impl EventSet {
    /// An epoll descriptor watching `fds`.
    pub fn new(fds: &[&EventFd]) -> Result<EventSet, DeviceError> {
        // SAFETY: plain system call; the result is checked.
        let raw = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
        if raw < 0 {
            return Err(DeviceError::os("epoll_create1"));
        }
        // SAFETY: `raw` is a fresh descriptor we own.
        let set = EventSet {
            fd: unsafe { OwnedFd::from_raw_fd(raw) },
        };
        for f in fds {
            let mut ev = libc::epoll_event {
                events: libc::EPOLLIN as u32,
                u64: f.fd.as_raw_fd() as u64,
            };
            // SAFETY: both descriptors are live; `ev` is a live struct.
            let r = unsafe {
                libc::epoll_ctl(
                    set.fd.as_raw_fd(),
                    libc::EPOLL_CTL_ADD,
                    f.fd.as_raw_fd(),
                    &mut ev,
                )
            };
            if r < 0 {
                return Err(DeviceError::os("epoll_ctl"));
            }
        }
        Ok(set)
    }
}

impl AsRawFd for EventSet {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl AsFd for EventFd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for EventFd {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// The endpoint's shared page: the words a requester in another process reads
/// without a system call — how many engines sleep (so it rings the doorbell
/// only then) and the endpoint state (so it refuses requests while the
/// endpoint is down or restarting). The endpoint maps it read-write; managed
/// clients map it read-only from a read-only descriptor, so a client can
/// neither silence the doorbell for others nor fake a state.
///
/// Layout (the memfd is one page): `sleepers` at offset 0, `state` at offset
/// 64, each a `u32` on its own cache line.
#[derive(Debug)]
pub struct EndpointPage {
    shm: SharedMemory,
    writable: bool,
}

/// Size of the shared page.
pub const PAGE_SIZE: usize = 4096;
const SLEEPERS_OFFSET: usize = 0;
const STATE_OFFSET: usize = 64;

impl EndpointPage {
    /// A new zeroed page (no sleepers, state 0 = down), writable.
    pub fn new() -> Result<EndpointPage, DeviceError> {
        Ok(EndpointPage {
            shm: SharedMemory::create("softqat-endpoint", PAGE_SIZE)?,
            writable: true,
        })
    }

    /// Maps a page received from the endpoint's owner, read-only.
    pub fn from_fd_read_only(fd: OwnedFd) -> Result<EndpointPage, DeviceError> {
        Ok(EndpointPage {
            shm: SharedMemory::from_fd_read_only(fd, PAGE_SIZE)?,
            writable: false,
        })
    }

    /// A read-only descriptor of the page, to hand to a client.
    pub fn read_only_fd(&self) -> Result<OwnedFd, DeviceError> {
        self.shm.read_only_fd()
    }

    fn word(&self, offset: usize) -> &AtomicU32 {
        // SAFETY: the mapping is PAGE_SIZE bytes and page-aligned, so offsets
        // 0 and 64 hold aligned u32s inside it, alive as long as `self`
        // (SharedMemory invariant 1). The words are only accessed atomically;
        // on a read-only mapping only loads are made (`writable` guards every
        // store in this module).
        unsafe { &*(self.shm.as_ptr().as_ptr().add(offset) as *const AtomicU32) }
    }

    /// Engines registered as sleeping.
    pub fn sleepers(&self) -> u32 {
        self.word(SLEEPERS_OFFSET).load(Ordering::SeqCst)
    }

    /// The endpoint state word (a `DeviceState` as u8).
    pub fn state(&self) -> u8 {
        self.word(STATE_OFFSET).load(Ordering::Acquire) as u8
    }

    /// Stores the state word. Only the endpoint's owner (writable page).
    pub(crate) fn set_state(&self, state: u8) {
        if self.writable {
            self.word(STATE_OFFSET)
                .store(u32::from(state), Ordering::Release);
        }
    }

    /// Adds `delta` (+1 or -1) to the sleeper count; returns the count after
    /// (0 where this side may not write the page).
    fn add_sleeper(&self, delta: i32) -> u32 {
        if !self.writable {
            return 0;
        }
        let w = self.word(SLEEPERS_OFFSET);
        if delta > 0 {
            w.fetch_add(1, Ordering::SeqCst).wrapping_add(1)
        } else {
            w.fetch_sub(1, Ordering::SeqCst).wrapping_sub(1)
        }
    }
}

/// Where an endpoint's idle engines sleep.
///
/// The count of sleepers (in the [`EndpointPage`]) and the requester's tail
/// store form a Dekker pair: an engine increments `sleepers` then re-checks
/// its rings; a requester publishes its tail then reads `sleepers` (both
/// sequentially consistent), so at least one of them sees the other and no
/// request waits for a sleeping engine. The same holds across processes: the
/// page and the rings are shared memory, the eventfd crosses the socket.
#[derive(Debug)]
pub struct Doorbell {
    page: EndpointPage,
    fd: EventFd,
}

impl Doorbell {
    /// A doorbell with no sleepers, with a new page (the endpoint's side).
    pub fn new() -> Result<Doorbell, DeviceError> {
        Ok(Doorbell {
            page: EndpointPage::new()?,
            fd: EventFd::new()?,
        })
    }

    /// The requester's side in another process: the page mapped read-only
    /// and the doorbell eventfd, both received from the endpoint's owner.
    pub fn remote(page: EndpointPage, fd: EventFd) -> Doorbell {
        Doorbell { page, fd }
    }

    /// The shared page (sleepers and state words).
    pub fn page(&self) -> &EndpointPage {
        &self.page
    }

    /// The eventfd engines sleep on.
    pub fn eventfd(&self) -> &EventFd {
        &self.fd
    }

    /// Called by a requester after publishing: wakes the engines if any sleep.
    pub fn ring(&self) {
        if self.page.sleepers() != 0 {
            self.fd.signal();
        }
    }

    /// Wakes the engines unconditionally (shutdown, state change).
    pub fn ring_always(&self) {
        self.fd.signal();
    }

    /// Registers the calling engine as about to sleep. Re-check for work after
    /// this and before [`sleep`](Self::sleep).
    pub fn prepare_sleep(&self) {
        self.page.add_sleeper(1);
    }

    /// Sleeps until rung or `timeout`, then unregisters the sleeper.
    ///
    /// Only the last sleeper to leave drains the eventfd: a ring must wake
    /// every engine that sleeps (each re-checks the rings), and one that
    /// drained at once could leave another asleep on a consumed signal until
    /// its timeout — an idle engine under load, and a 100 ms stall when a
    /// stop is signalled.
    pub fn sleep(&self, timeout: Duration) {
        let woken = self.fd.wait(Some(timeout));
        if self.page.add_sleeper(-1) == 0 && woken {
            self.fd.drain();
        }
    }

    /// Unregisters a sleeper that found work after `prepare_sleep`.
    pub fn cancel_sleep(&self) {
        self.page.add_sleeper(-1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eventfd_signal_wait_drain() {
        let e = EventFd::new().unwrap();
        assert!(!e.wait(Some(Duration::ZERO)));
        e.signal();
        e.signal();
        assert!(e.wait(Some(Duration::ZERO)));
        assert_eq!(e.drain(), 2);
        assert!(!e.wait(Some(Duration::ZERO)));
        assert_eq!(e.drain(), 0);
    }

    #[test]
    fn doorbell_rings_only_with_sleepers() {
        let d = Doorbell::new().unwrap();
        d.ring();
        assert!(!d.fd.wait(Some(Duration::ZERO)));
        d.prepare_sleep();
        d.ring();
        assert!(d.fd.wait(Some(Duration::ZERO)));
        d.sleep(Duration::from_millis(1));
        assert_eq!(d.page.sleepers(), 0);
    }

    #[test]
    fn read_only_page_sees_the_owners_words() {
        let d = Doorbell::new().unwrap();
        let page = EndpointPage::from_fd_read_only(d.page().read_only_fd().unwrap()).unwrap();
        let fd = EventFd::from_owned(d.eventfd().as_fd().try_clone_to_owned().unwrap());
        let remote = Doorbell::remote(page, fd);
        d.page().set_state(1);
        assert_eq!(remote.page().state(), 1);
        // A remote ring with no sleeper makes no system call and no wakeup.
        remote.ring();
        assert!(!d.fd.wait(Some(Duration::ZERO)));
        d.prepare_sleep();
        assert_eq!(remote.page().sleepers(), 1);
        remote.ring();
        assert!(d.fd.wait(Some(Duration::ZERO)));
        d.sleep(Duration::from_millis(1));
        // The read-only side's stores are ignored, never attempted.
        remote.prepare_sleep();
        remote.page().set_state(3);
        assert_eq!(d.page().sleepers(), 0);
        assert_eq!(d.page().state(), 1);
    }
}
