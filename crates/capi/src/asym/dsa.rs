//! `cpa_cy_dsa.h`: DSA parameter generation, signing with the caller's k,
//! verification, statistics. On a 4xxx-class endpoint DSA is offered only
//! with `SOFTQAT_LEGACY_ALGORITHMS=1` (UNSUPPORTED otherwise).

use std::ffi::c_void;

use softqat_sal::{AsymOp, CyInstance};

use super::{num, op_data, run, significant, Callback, Request};
use crate::abi::asym::{
    CpaCyDsaGParamGenOpData, CpaCyDsaGenCbFunc, CpaCyDsaPParamGenOpData, CpaCyDsaRSSignCbFunc,
    CpaCyDsaRSSignOpData, CpaCyDsaRSignOpData, CpaCyDsaSSignOpData, CpaCyDsaStats, CpaCyDsaStats64,
    CpaCyDsaVerifyCbFunc, CpaCyDsaVerifyOpData, CpaCyDsaYParamGenOpData,
};
use crate::abi::{CpaFlatBuffer, CpaInstanceHandle};
use crate::ffi::{arg_mut, entry, CpaBoolean, Status};
use crate::runtime::with_instance;

/// Reads the numbers of an op data structure: `nums!(d, "pOpData", a, b)`
/// gives `(a, b)` from fields `d.a`, `d.b`.
macro_rules! nums {
    ($d:expr, $what:literal, $($f:ident),+) => {
        // SAFETY: the caller's contract (flat buffers of valid op data).
        unsafe { ($(num(&$d.$f, concat!($what, "->", stringify!($f)))?,)+) }
    };
}

/// `cpaCyDsaGenPParam(instanceHandle, pCb, pCallbackTag, pOpData,
/// pProtocolStatus, pP)`: p from X and q (FIPS 186-3 A.1.1.2).
///
/// # Safety
/// CPA contract: valid pointers; for an asynchronous call they stay valid
/// until the callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaCyDsaGenPParam(
    handle: CpaInstanceHandle,
    cb: CpaCyDsaGenCbFunc,
    tag: *mut c_void,
    op: *const CpaCyDsaPParamGenOpData,
    status: *mut CpaBoolean,
    p: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyDsaGenPParam", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let (x, q) = nums!(d, "pOpData", x, q);
        let req =
            Request::new(op)
                .flag(status, "pProtocolStatus")?
                .number(0, p, significant(x), "pP")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::dsa_gen_p(x, q),
                Callback::one(cb, p),
                tag,
            )
        }
    })
}

/// `cpaCyDsaGenGParam(..., pOpData, pProtocolStatus, pG)`:
/// `g = h^((p-1)/q) mod p`.
///
/// # Safety
/// As `cpaCyDsaGenPParam`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyDsaGenGParam(
    handle: CpaInstanceHandle,
    cb: CpaCyDsaGenCbFunc,
    tag: *mut c_void,
    op: *const CpaCyDsaGParamGenOpData,
    status: *mut CpaBoolean,
    g: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyDsaGenGParam", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let (p, q, h) = nums!(d, "pOpData", p, q, h);
        let req =
            Request::new(op)
                .flag(status, "pProtocolStatus")?
                .number(0, g, significant(p), "pG")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::dsa_gen_g(p, q, h),
                Callback::one(cb, g),
                tag,
            )
        }
    })
}

/// `cpaCyDsaGenYParam(..., pOpData, pProtocolStatus, pY)`: `y = g^x mod p`.
///
/// # Safety
/// As `cpaCyDsaGenPParam`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyDsaGenYParam(
    handle: CpaInstanceHandle,
    cb: CpaCyDsaGenCbFunc,
    tag: *mut c_void,
    op: *const CpaCyDsaYParamGenOpData,
    status: *mut CpaBoolean,
    y: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyDsaGenYParam", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let (p, g, x) = nums!(d, "pOpData", p, g, x);
        let req =
            Request::new(op)
                .flag(status, "pProtocolStatus")?
                .number(0, y, significant(p), "pY")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::dsa_gen_y(p, g, x),
                Callback::one(cb, y),
                tag,
            )
        }
    })
}

/// `cpaCyDsaSignR(..., pOpData, pProtocolStatus, pR)`:
/// `r = (g^k mod p) mod q`.
///
/// # Safety
/// As `cpaCyDsaGenPParam`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyDsaSignR(
    handle: CpaInstanceHandle,
    cb: CpaCyDsaGenCbFunc,
    tag: *mut c_void,
    op: *const CpaCyDsaRSignOpData,
    status: *mut CpaBoolean,
    r: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyDsaSignR", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let (p, q, g, k) = nums!(d, "pOpData", p, q, g, k);
        let req =
            Request::new(op)
                .flag(status, "pProtocolStatus")?
                .number(0, r, significant(q), "pR")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::dsa_sign_r(p, q, g, k),
                Callback::one(cb, r),
                tag,
            )
        }
    })
}

/// `cpaCyDsaSignS(..., pOpData, pProtocolStatus, pS)`:
/// `s = k⁻¹ (z + x r) mod q`.
///
/// # Safety
/// As `cpaCyDsaGenPParam`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyDsaSignS(
    handle: CpaInstanceHandle,
    cb: CpaCyDsaGenCbFunc,
    tag: *mut c_void,
    op: *const CpaCyDsaSSignOpData,
    status: *mut CpaBoolean,
    s: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyDsaSignS", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let (q, x, k, r, z) = nums!(d, "pOpData", q, x, k, r, z);
        let req =
            Request::new(op)
                .flag(status, "pProtocolStatus")?
                .number(0, s, significant(q), "pS")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::dsa_sign_s(q, x, k, r, z),
                Callback::one(cb, s),
                tag,
            )
        }
    })
}

/// `cpaCyDsaSignRS(..., pOpData, pProtocolStatus, pR, pS)`.
///
/// # Safety
/// As `cpaCyDsaGenPParam`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyDsaSignRS(
    handle: CpaInstanceHandle,
    cb: CpaCyDsaRSSignCbFunc,
    tag: *mut c_void,
    op: *const CpaCyDsaRSSignOpData,
    status: *mut CpaBoolean,
    r: *mut CpaFlatBuffer,
    s: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyDsaSignRS", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let (p, q, g, x, k, z) = nums!(d, "pOpData", p, q, g, x, k, z);
        let n = significant(q);
        let req = Request::new(op)
            .flag(status, "pProtocolStatus")?
            .number(0, r, n, "pR")?
            .number(1, s, n, "pS")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::dsa_sign_rs(p, q, g, x, k, z),
                Callback::two(cb, r, s),
                tag,
            )
        }
    })
}

/// `cpaCyDsaVerify(..., pOpData, pVerifyStatus)`.
///
/// # Safety
/// As `cpaCyDsaGenPParam`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyDsaVerify(
    handle: CpaInstanceHandle,
    cb: CpaCyDsaVerifyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyDsaVerifyOpData,
    verify: *mut CpaBoolean,
) -> Status {
    entry("cpaCyDsaVerify", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let (p, q, g, y, z, r, s) = nums!(d, "pOpData", p, q, g, y, z, r, s);
        let req = Request::new(op).flag(verify, "pVerifyStatus")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::dsa_verify(p, q, g, y, z, r, s),
                Callback::verify(cb),
                tag,
            )
        }
    })
}

/// `cpaCyDsaQueryStats64(instanceHandle, pDsaStats)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyDsaQueryStats64(
    handle: CpaInstanceHandle,
    out: *mut CpaCyDsaStats64,
) -> Status {
    entry("cpaCyDsaQueryStats64", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pDsaStats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.dsa_stats())?).into();
        Ok(())
    })
}

/// `cpaCyDsaQueryStats(instanceHandle, pDsaStats)` (deprecated, 32-bit).
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyDsaQueryStats(
    handle: CpaInstanceHandle,
    out: *mut CpaCyDsaStats,
) -> Status {
    entry("cpaCyDsaQueryStats", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pDsaStats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.dsa_stats())?).into();
        Ok(())
    })
}
