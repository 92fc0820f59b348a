//! aws-lc's fixed-size primitives that take plain byte arrays: X25519.
//!
//! # Unsafe
//! Invariants, held by every function here:
//! - Every pointer passed to aws-lc comes from a live Rust array of exactly
//!   the length the C prototype declares (32 bytes for X25519's keys and
//!   results); aws-lc reads and writes only within them and keeps no
//!   pointer after the call.
//! - The functions have no thread affinity and no global state besides
//!   aws-lc's CPU-capability detection, which aws-lc makes thread safe.
//! - Every aws-lc return value is checked.
#![allow(unsafe_code)]

use aws_lc_sys as sys;

use super::{AsymError, AsymResult};

/// X25519 of the little-endian scalar `k` (clamped by aws-lc as RFC 7748's
/// decodeScalar25519) and u-coordinate `u` (bit 255 ignored, a value ≥ p
/// taken modulo p), in constant time in `k`. The all-zero result of a
/// low-order `u` is returned as it is (RFC 7748 leaves refusing it to the
/// protocol).
pub(crate) fn x25519(k: &[u8; 32], u: &[u8; 32]) -> AsymResult<[u8; 32]> {
    let mut out = [0u8; 32];
    // SAFETY: three live 32-byte arrays, as X25519 declares.
    let r = unsafe { sys::X25519(out.as_mut_ptr(), k.as_ptr(), u.as_ptr()) };
    match r {
        1 => Ok(out),
        // 0 means the product is all zeros: u is of low order (clamping
        // makes k a multiple of the cofactor, so this depends on the public
        // u alone; aws-lc declassifies it too). That is a valid result here.
        0 => Ok([0u8; 32]),
        _ => Err(AsymError::Failed("X25519 failed")),
    }
}

/// X25519 of the little-endian scalar `k` (clamped) and the base point
/// u = 9, in constant time in `k`.
pub(crate) fn x25519_base(k: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    // SAFETY: two live 32-byte arrays, as X25519_public_from_private
    // declares; it returns nothing.
    unsafe { sys::X25519_public_from_private(out.as_mut_ptr(), k.as_ptr()) };
    out
}
