//! `cpa_cy_ln.h`: modular exponentiation and inversion, statistics.

use std::ffi::c_void;

use softqat_sal::{AsymOp, CyInstance};

use super::{num, op_data, run, significant, Callback, Request};
use crate::abi::asym::{
    CpaCyGenFlatBufCbFunc, CpaCyLnModExpOpData, CpaCyLnModInvOpData, CpaCyLnStats, CpaCyLnStats64,
};
use crate::abi::{CpaFlatBuffer, CpaInstanceHandle};
use crate::ffi::{arg_mut, entry, Status};
use crate::runtime::with_instance;

/// `cpaCyLnModExp(instanceHandle, pLnModExpCb, pCallbackTag,
/// pLnModExpOpData, pResult)`: `base^exponent mod modulus`.
///
/// # Safety
/// CPA contract: valid pointers; for an asynchronous call they stay valid
/// until the callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaCyLnModExp(
    handle: CpaInstanceHandle,
    cb: CpaCyGenFlatBufCbFunc,
    tag: *mut c_void,
    op: *const CpaCyLnModExpOpData,
    out: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyLnModExp", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pLnModExpOpData is NULL") }?;
        let (m, b, e) = unsafe {
            (
                num(&d.modulus, "pLnModExpOpData->modulus")?,
                num(&d.base, "pLnModExpOpData->base")?,
                num(&d.exponent, "pLnModExpOpData->exponent")?,
            )
        };
        let req = Request::new(op).number(0, out, significant(m), "pResult")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::ln_mod_exp(m, b, e),
                Callback::flat(cb, out),
                tag,
            )
        }
    })
}

/// `cpaCyLnModInv(instanceHandle, pLnModInvCb, pCallbackTag,
/// pLnModInvOpData, pResult)`: `A⁻¹ mod B` (FAIL when there is none).
///
/// # Safety
/// As `cpaCyLnModExp`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyLnModInv(
    handle: CpaInstanceHandle,
    cb: CpaCyGenFlatBufCbFunc,
    tag: *mut c_void,
    op: *const CpaCyLnModInvOpData,
    out: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyLnModInv", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pLnModInvOpData is NULL") }?;
        let (a, b) = unsafe {
            (
                num(&d.a, "pLnModInvOpData->A")?,
                num(&d.b, "pLnModInvOpData->B")?,
            )
        };
        let req = Request::new(op).number(0, out, significant(b), "pResult")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::ln_mod_inv(a, b),
                Callback::flat(cb, out),
                tag,
            )
        }
    })
}

/// `cpaCyLnStatsQuery64(instanceHandle, pLnStats)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyLnStatsQuery64(
    handle: CpaInstanceHandle,
    out: *mut CpaCyLnStats64,
) -> Status {
    entry("cpaCyLnStatsQuery64", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pLnStats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.ln_stats())?).into();
        Ok(())
    })
}

/// `cpaCyLnStatsQuery(instanceHandle, pLnStats)` (deprecated, 32-bit).
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyLnStatsQuery(
    handle: CpaInstanceHandle,
    out: *mut CpaCyLnStats,
) -> Status {
    entry("cpaCyLnStatsQuery", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pLnStats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.ln_stats())?).into();
        Ok(())
    })
}
