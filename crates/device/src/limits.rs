//! What to tell a person when a system call fails because a resource ran
//! out: which limit was reached (with its value now) and what to do about
//! it.
//!
//! Errors of the device layer ([`crate::DeviceError::Os`]) append the hint
//! on their own; the layers above call [`explain`] for the I/O errors they
//! meet themselves (sockets, files), so every exhaustion a person can meet
//! names its limit and its fix.
//!
//! Nothing in softqat locks memory (`mlock`, `MAP_LOCKED`), so
//! `RLIMIT_MEMLOCK` is never the cause; shared memory (memfds) counts
//! against the address space and the machine's memory.

use std::io;

/// What kind of resource the failed call was after: the same errno means
/// different limits for different calls (EAGAIN from `clone` is the
/// thread limit, from a non-blocking socket it is no limit at all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// A call that creates a descriptor (memfd, eventfd, socket, open).
    Descriptor,
    /// A call that maps or allocates memory (mmap, ftruncate of a memfd).
    Memory,
    /// A thread.
    Thread,
    /// Anything else: only the descriptor and memory errnos are explained.
    Other,
}

/// The soft limit `resource` (`libc::RLIMIT_*`) as `ulimit` prints it
/// ("1024", "unlimited"). Read with `getrlimit`, not from
/// `/proc/self/limits`: when descriptors are what ran out, no file can be
/// opened to read it.
pub fn soft_limit(resource: libc::__rlimit_resource_t) -> Option<String> {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one `rlimit` into the live local it is
    // given and reads nothing else; the result is checked.
    if unsafe { libc::getrlimit(resource, &mut r) } != 0 {
        return None;
    }
    Some(if r.rlim_cur == libc::RLIM_INFINITY {
        "unlimited".to_string()
    } else {
        r.rlim_cur.to_string()
    })
}

/// The process's limit of open descriptors and the fix, for EMFILE.
fn descriptors() -> String {
    let now = soft_limit(libc::RLIMIT_NOFILE)
        .map(|n| format!(" = {n}"))
        .unwrap_or_default();
    format!(
        "the process has reached its limit of open file descriptors (RLIMIT_NOFILE{now}): raise it, e.g. `ulimit -n 4096`, or close descriptors"
    )
}

/// Why memory could not be had: the address-space limit (naming its value,
/// when one is set) or the machine's memory, and the fix.
pub fn memory() -> String {
    match soft_limit(libc::RLIMIT_AS) {
        Some(v) if v != "unlimited" => {
            let kib = v.parse::<u64>().map(|b| format!("{} KiB", b / 1024));
            format!(
                "the process's address-space limit (RLIMIT_AS, `ulimit -v` = {}) or the machine's memory is exhausted: raise the limit (`ulimit -v unlimited`), free memory, or use smaller buffers",
                kib.unwrap_or(v)
            )
        }
        _ => "the machine's memory is exhausted: free memory or use smaller buffers".to_string(),
    }
}

/// The thread limit (or the memory thread stacks need), for EAGAIN from
/// creating a thread.
fn threads() -> String {
    let now = soft_limit(libc::RLIMIT_NPROC)
        .map(|n| format!(" = {n}"))
        .unwrap_or_default();
    format!(
        "the limit of processes and threads (RLIMIT_NPROC, `ulimit -u`{now}) or the memory for thread stacks is exhausted: raise `ulimit -u` or `ulimit -v`, or run fewer engine threads (SOFTQAT_ENGINES=1)"
    )
}

/// Bytes of address space the process may still map, when a limit is set:
/// the smaller of `RLIMIT_AS` less the mappings it has (`VmSize`) and
/// `RLIMIT_DATA` less its private writable mappings (`VmData`). `None`
/// when neither limit is set (or `/proc/self/status` cannot be read).
///
/// With the kernel's default overcommit, these limits are what makes an
/// allocation fail (the machine's memory running out is met by the OOM
/// killer instead), and Rust aborts on a failed allocation: checking the
/// headroom before work that allocates on other threads turns a low limit
/// into an error.
pub fn address_space_headroom() -> Option<u64> {
    let limit = |res| match soft_limit(res) {
        Some(v) if v != "unlimited" => v.parse::<u64>().ok(),
        _ => None,
    };
    let (as_limit, data_limit) = (limit(libc::RLIMIT_AS), limit(libc::RLIMIT_DATA));
    if as_limit.is_none() && data_limit.is_none() {
        return None;
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib = |key: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        Some(
            line[key.len()..]
                .split_whitespace()
                .next()?
                .parse::<u64>()
                .ok()?
                * 1024,
        )
    };
    let left_as = as_limit.and_then(|l| Some(l.saturating_sub(kib("VmSize:")?)));
    let left_data = data_limit.and_then(|l| Some(l.saturating_sub(kib("VmData:")?)));
    match (left_as, left_data) {
        (Some(a), Some(d)) => Some(a.min(d)),
        (a, d) => a.or(d),
    }
}

/// An error when starting `what`, which needs about `need` more bytes of
/// address space, would run into the process's memory limit.
pub fn check_headroom(what: &str, need: u64, fix: &str) -> Result<(), String> {
    match address_space_headroom() {
        Some(left) if left < need => {
            let now = |res| soft_limit(res).unwrap_or_else(|| "?".into());
            let kib = |s: String| {
                s.parse::<u64>()
                    .map(|b| format!("{} KiB", b / 1024))
                    .unwrap_or(s)
            };
            Err(format!(
                "{what} needs about {} KiB of memory but the process's limits leave {} KiB (`ulimit -v` = {}, `ulimit -d` = {}): raise them (`ulimit -v unlimited`){fix}",
                need / 1024,
                left / 1024,
                kib(now(libc::RLIMIT_AS)),
                kib(now(libc::RLIMIT_DATA)),
            ))
        }
        _ => Ok(()),
    }
}

/// Which limit `err` (from a call after `need`) says was reached, and the
/// fix; `None` when the error is not an exhausted resource.
pub fn explain(err: &io::Error, need: Need) -> Option<String> {
    let errno = err.raw_os_error()?;
    match errno {
        libc::EMFILE => Some(descriptors()),
        libc::ENFILE => Some(
            "the system-wide table of open files is full (fs.file-max): close files, or raise /proc/sys/fs/file-max"
                .to_string(),
        ),
        libc::ENOMEM => Some(memory()),
        libc::EAGAIN if need == Need::Thread => Some(threads()),
        libc::EAGAIN if need == Need::Memory => Some(memory()),
        _ => None,
    }
}

/// What kind of resource a failed call named by `what` was after (the
/// names [`crate::DeviceError::Os`] carries).
pub fn need_of(what: &str) -> Need {
    if what.contains("thread") {
        Need::Thread
    } else if what.contains("mmap") || what.contains("ftruncate") || what.contains("memory") {
        Need::Memory
    } else if what.contains("memfd")
        || what.contains("eventfd")
        || what.contains("socket")
        || what.contains("open")
        || what.contains("recvmsg")
    {
        Need::Descriptor
    } else {
        Need::Other
    }
}

/// `": <hint>"` for an exhausted resource, else nothing: appended to the
/// message of an OS error so it names the limit and the fix.
pub fn suffix(what: &str, err: &io::Error) -> String {
    explain(err, need_of(what))
        .map(|h| format!(": {h}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exhaustion_errors_name_their_limit_and_fix() {
        let e = io::Error::from_raw_os_error(libc::EMFILE);
        let h = explain(&e, Need::Descriptor).unwrap();
        assert!(
            h.contains("RLIMIT_NOFILE") && h.contains("ulimit -n"),
            "{h}"
        );
        let e = io::Error::from_raw_os_error(libc::ENOMEM);
        let h = explain(&e, Need::Memory).unwrap();
        assert!(h.contains("memory"), "{h}");
        let e = io::Error::from_raw_os_error(libc::EAGAIN);
        assert!(explain(&e, Need::Thread).unwrap().contains("ulimit -u"));
        assert_eq!(explain(&e, Need::Other), None);
        let e = io::Error::from_raw_os_error(libc::EINVAL);
        assert_eq!(suffix("mmap", &e), "");
        assert!(soft_limit(libc::RLIMIT_NOFILE).is_some());
    }
}
