//! What every entry point shares: the status a C caller gets, panics kept
//! out of C, error messages, and checked pointer access.
//!
//! # Invariants
//! - No panic unwinds into C: every entry point runs its body through
//!   [`entry`] (or [`entry_value`]), which turns a panic into
//!   `CPA_STATUS_FAIL` (or the function's failure value) and says so on
//!   stderr.
//! - A pointer from C is turned into a reference only by [`arg`] /
//!   [`arg_mut`], which refuse NULL with `CPA_STATUS_INVALID_PARAM`; beyond
//!   NULL, its validity is the caller's contract (the CPA API's).

use std::panic::{catch_unwind, AssertUnwindSafe};

pub use softqat_sal::{CpaStatus, Error, Result};

/// `CpaStatus` as C sees it (`Cpa32S`).
pub type Status = i32;

/// `CPA_STATUS_SUCCESS`.
pub const SUCCESS: Status = 0;

/// `CpaBoolean` (an enum in C: `CPA_FALSE` 0, `CPA_TRUE` 1).
pub type CpaBoolean = u32;

/// `CPA_TRUE`.
pub const CPA_TRUE: CpaBoolean = 1;
/// `CPA_FALSE`.
pub const CPA_FALSE: CpaBoolean = 0;

/// A C boolean from a Rust one.
pub fn boolean(b: bool) -> CpaBoolean {
    if b {
        CPA_TRUE
    } else {
        CPA_FALSE
    }
}

/// Says what went wrong on stderr, as qatlib's library does for refused
/// calls: C callers see only the status, the person running the program
/// sees the reason. RETRY is a normal flow-control answer and not reported.
pub fn report(function: &str, e: &Error) {
    if e.status != CpaStatus::Retry {
        eprintln!("softqat: {function}: {e}");
    }
}

/// Runs the body of an entry point returning `CpaStatus`.
pub fn entry(function: &'static str, body: impl FnOnce() -> Result<()>) -> Status {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => SUCCESS,
        Ok(Err(e)) => {
            report(function, &e);
            e.status.code()
        }
        Err(_) => {
            eprintln!("softqat: {function}: internal error (panic); the call failed");
            CpaStatus::Fail.code()
        }
    }
}

/// Runs the body of an entry point returning a value, `failed` on error.
pub fn entry_value<T>(function: &'static str, failed: T, body: impl FnOnce() -> Result<T>) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            report(function, &e);
            failed
        }
        Err(_) => {
            eprintln!("softqat: {function}: internal error (panic); the call failed");
            failed
        }
    }
}

/// Runs a body that returns nothing (a `void` C function).
pub fn entry_void(function: &'static str, body: impl FnOnce()) {
    if catch_unwind(AssertUnwindSafe(body)).is_err() {
        eprintln!("softqat: {function}: internal error (panic)");
    }
}

/// `p` as a reference; NULL is INVALID_PARAM naming `what`.
///
/// # Safety
/// A non-NULL `p` must point at a valid `T` for `'a` (the caller's contract).
pub unsafe fn arg<'a, T>(p: *const T, what: &'static str) -> Result<&'a T> {
    // SAFETY: non-NULL checked; validity is the caller's contract.
    unsafe { p.as_ref() }.ok_or_else(|| null(what))
}

/// `p` as a mutable reference; NULL is INVALID_PARAM naming `what`.
///
/// # Safety
/// A non-NULL `p` must point at a valid `T`, not otherwise referenced, for `'a`.
pub unsafe fn arg_mut<'a, T>(p: *mut T, what: &'static str) -> Result<&'a mut T> {
    // SAFETY: as for `arg`.
    unsafe { p.as_mut() }.ok_or_else(|| null(what))
}

/// The INVALID_PARAM error for a NULL pointer.
pub fn null(what: &'static str) -> Error {
    Error::invalid(what)
}

/// Copies `s` into a fixed C string field, truncated, NUL-terminated.
pub fn c_string(dst: &mut [u8], s: &str) {
    dst.fill(0);
    let n = s.len().min(dst.len().saturating_sub(1));
    dst[..n].copy_from_slice(&s.as_bytes()[..n]);
}
