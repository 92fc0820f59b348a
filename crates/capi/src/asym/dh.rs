//! `cpa_cy_dh.h`: Diffie-Hellman phases 1 and 2, statistics. On a
//! 4xxx-class endpoint DH is offered only with
//! `SOFTQAT_LEGACY_ALGORITHMS=1` (UNSUPPORTED otherwise), as qatlib offers
//! it only in legacy builds.

use std::ffi::c_void;

use softqat_sal::{AsymOp, CyInstance};

use super::{num, op_data, run, significant, Callback, Request};
use crate::abi::asym::{
    CpaCyDhPhase1KeyGenOpData, CpaCyDhPhase2SecretKeyGenOpData, CpaCyDhStats, CpaCyDhStats64,
    CpaCyGenFlatBufCbFunc,
};
use crate::abi::{CpaFlatBuffer, CpaInstanceHandle};
use crate::ffi::{arg_mut, entry, Status};
use crate::runtime::with_instance;

/// `cpaCyDhKeyGenPhase1(instanceHandle, pDhPhase1Cb, pCallbackTag,
/// pPhase1KeyGenData, pLocalOctetStringPV)`: `g^x mod p`.
///
/// # Safety
/// CPA contract: valid pointers; for an asynchronous call they stay valid
/// until the callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaCyDhKeyGenPhase1(
    handle: CpaInstanceHandle,
    cb: CpaCyGenFlatBufCbFunc,
    tag: *mut c_void,
    op: *const CpaCyDhPhase1KeyGenOpData,
    out: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyDhKeyGenPhase1", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pPhase1KeyGenData is NULL") }?;
        let (p, g, x) = unsafe {
            (
                num(&d.prime_p, "pPhase1KeyGenData->primeP")?,
                num(&d.base_g, "pPhase1KeyGenData->baseG")?,
                num(&d.private_value_x, "pPhase1KeyGenData->privateValueX")?,
            )
        };
        let req = Request::new(op).number(0, out, significant(p), "pLocalOctetStringPV")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::dh_phase1(p, g, x),
                Callback::flat(cb, out),
                tag,
            )
        }
    })
}

/// `cpaCyDhKeyGenPhase2Secret(instanceHandle, pDhPhase2Cb, pCallbackTag,
/// pPhase2SecretKeyGenData, pOctetStringSecretKey)`: `peer^x mod p`.
///
/// # Safety
/// As `cpaCyDhKeyGenPhase1`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyDhKeyGenPhase2Secret(
    handle: CpaInstanceHandle,
    cb: CpaCyGenFlatBufCbFunc,
    tag: *mut c_void,
    op: *const CpaCyDhPhase2SecretKeyGenOpData,
    out: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyDhKeyGenPhase2Secret", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pPhase2SecretKeyGenData is NULL") }?;
        let (p, pv, x) = unsafe {
            (
                num(&d.prime_p, "pPhase2SecretKeyGenData->primeP")?,
                num(
                    &d.remote_octet_string_pv,
                    "pPhase2SecretKeyGenData->remoteOctetStringPV",
                )?,
                num(&d.private_value_x, "pPhase2SecretKeyGenData->privateValueX")?,
            )
        };
        let req = Request::new(op).number(0, out, significant(p), "pOctetStringSecretKey")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::dh_phase2(p, pv, x),
                Callback::flat(cb, out),
                tag,
            )
        }
    })
}

/// `cpaCyDhQueryStats64(instanceHandle, pDhStats)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyDhQueryStats64(
    handle: CpaInstanceHandle,
    out: *mut CpaCyDhStats64,
) -> Status {
    entry("cpaCyDhQueryStats64", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pDhStats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.dh_stats())?).into();
        Ok(())
    })
}

/// `cpaCyDhQueryStats(instanceHandle, pDhStats)` (deprecated, 32-bit).
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyDhQueryStats(
    handle: CpaInstanceHandle,
    out: *mut CpaCyDhStats,
) -> Status {
    entry("cpaCyDhQueryStats", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pDhStats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.dh_stats())?).into();
        Ok(())
    })
}
