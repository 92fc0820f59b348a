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

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::error::DeviceError;

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

impl AsRawFd for EventFd {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// Where an endpoint's idle engines sleep.
///
/// The count of sleepers and the requester's tail store form a Dekker pair:
/// an engine increments `sleepers` then re-checks its rings; a requester
/// publishes its tail then reads `sleepers` (both sequentially consistent), so
/// at least one of them sees the other and no request waits for a sleeping
/// engine.
#[derive(Debug)]
pub struct Doorbell {
    sleepers: AtomicU32,
    fd: EventFd,
}

impl Doorbell {
    /// A doorbell with no sleepers.
    pub fn new() -> Result<Doorbell, DeviceError> {
        Ok(Doorbell {
            sleepers: AtomicU32::new(0),
            fd: EventFd::new()?,
        })
    }

    /// Called by a requester after publishing: wakes the engines if any sleep.
    pub fn ring(&self) {
        if self.sleepers.load(Ordering::SeqCst) != 0 {
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
        self.sleepers.fetch_add(1, Ordering::SeqCst);
    }

    /// Sleeps until rung or `timeout`, then unregisters the sleeper.
    pub fn sleep(&self, timeout: Duration) {
        if self.fd.wait(Some(timeout)) {
            self.fd.drain();
        }
        self.sleepers.fetch_sub(1, Ordering::SeqCst);
    }

    /// Unregisters a sleeper that found work after `prepare_sleep`.
    pub fn cancel_sleep(&self) {
        self.sleepers.fetch_sub(1, Ordering::SeqCst);
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
        assert_eq!(d.sleepers.load(Ordering::SeqCst), 0);
    }
}
