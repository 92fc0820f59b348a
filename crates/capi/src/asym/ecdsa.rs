//! `cpa_cy_ecdsa.h`: ECDSA signing with the caller's k, verification,
//! statistics.

use std::ffi::c_void;

use softqat_sal::asym::{EcdsaSignR, EcdsaSignRs, EcdsaSignS, EcdsaVerify};
use softqat_sal::{AsymOp, CyInstance};

use super::{field_type, num, op_data, run, significant, Callback, Request};
use crate::abi::asym::{
    CpaCyEcdsaGenSignCbFunc, CpaCyEcdsaSignROpData, CpaCyEcdsaSignRSCbFunc, CpaCyEcdsaSignRSOpData,
    CpaCyEcdsaSignSOpData, CpaCyEcdsaStats64, CpaCyEcdsaVerifyCbFunc, CpaCyEcdsaVerifyOpData,
};
use crate::abi::{CpaFlatBuffer, CpaInstanceHandle};
use crate::ffi::{arg_mut, entry, CpaBoolean, Error, Result, Status};
use crate::runtime::with_instance;

/// `cpaCyEcdsaSignR(instanceHandle, pCb, pCallbackTag, pOpData,
/// pSignStatus, pR)`: `r = x([k]G) mod n`.
///
/// # Safety
/// CPA contract: valid pointers; for an asynchronous call they stay valid
/// until the callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcdsaSignR(
    handle: CpaInstanceHandle,
    cb: CpaCyEcdsaGenSignCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcdsaSignROpData,
    status: *mut CpaBoolean,
    r: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyEcdsaSignR", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let s = unsafe {
            EcdsaSignR {
                xg: num(&d.xg, "pOpData->xg")?,
                yg: num(&d.yg, "pOpData->yg")?,
                n: num(&d.n, "pOpData->n")?,
                q: num(&d.q, "pOpData->q")?,
                a: num(&d.a, "pOpData->a")?,
                b: num(&d.b, "pOpData->b")?,
                k: num(&d.k, "pOpData->k")?,
                field_type: field_type(d.field_type, "pOpData->fieldType")?,
            }
        };
        let req =
            Request::new(op)
                .flag(status, "pSignStatus")?
                .number(0, r, significant(s.n), "pR")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::ecdsa_sign_r(&s),
                Callback::one(cb, r),
                tag,
            )
        }
    })
}

/// `cpaCyEcdsaSignS(..., pOpData, pSignStatus, pS)`:
/// `s = k⁻¹ (m + d r) mod n`.
///
/// # Safety
/// As `cpaCyEcdsaSignR`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcdsaSignS(
    handle: CpaInstanceHandle,
    cb: CpaCyEcdsaGenSignCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcdsaSignSOpData,
    status: *mut CpaBoolean,
    s_out: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyEcdsaSignS", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let s = unsafe {
            EcdsaSignS {
                m: num(&d.m, "pOpData->m")?,
                d: num(&d.d, "pOpData->d")?,
                r: num(&d.r, "pOpData->r")?,
                k: num(&d.k, "pOpData->k")?,
                n: num(&d.n, "pOpData->n")?,
                field_type: field_type(d.field_type, "pOpData->fieldType")?,
            }
        };
        let req = Request::new(op).flag(status, "pSignStatus")?.number(
            0,
            s_out,
            significant(s.n),
            "pS",
        )?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::ecdsa_sign_s(&s),
                Callback::one(cb, s_out),
                tag,
            )
        }
    })
}

/// The signature shared by `cpaCyEcdsaSignRS` and `cpaCyEcdsaDpaSignRS`.
///
/// # Safety
/// As `cpaCyEcdsaSignR`.
#[allow(clippy::too_many_arguments)]
unsafe fn sign_rs(
    handle: CpaInstanceHandle,
    cb: CpaCyEcdsaSignRSCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcdsaSignRSOpData,
    status: *mut CpaBoolean,
    r: *mut CpaFlatBuffer,
    s_out: *mut CpaFlatBuffer,
) -> Result<()> {
    // SAFETY: the caller's contract.
    let d = unsafe { op_data(op, "pOpData is NULL") }?;
    let s = unsafe {
        EcdsaSignRs {
            xg: num(&d.xg, "pOpData->xg")?,
            yg: num(&d.yg, "pOpData->yg")?,
            n: num(&d.n, "pOpData->n")?,
            q: num(&d.q, "pOpData->q")?,
            a: num(&d.a, "pOpData->a")?,
            b: num(&d.b, "pOpData->b")?,
            k: num(&d.k, "pOpData->k")?,
            m: num(&d.m, "pOpData->m")?,
            d: num(&d.d, "pOpData->d")?,
            field_type: field_type(d.field_type, "pOpData->fieldType")?,
        }
    };
    let n = significant(s.n);
    let req = Request::new(op)
        .flag(status, "pSignStatus")?
        .number(0, r, n, "pR")?
        .number(1, s_out, n, "pS")?;
    // SAFETY: the caller's contract.
    unsafe {
        run(
            handle,
            req,
            AsymOp::ecdsa_sign_rs(&s),
            Callback::two(cb, r, s_out),
            tag,
        )
    }
}

/// `cpaCyEcdsaSignRS(..., pOpData, pSignStatus, pR, pS)`.
///
/// # Safety
/// As `cpaCyEcdsaSignR`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcdsaSignRS(
    handle: CpaInstanceHandle,
    cb: CpaCyEcdsaSignRSCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcdsaSignRSOpData,
    status: *mut CpaBoolean,
    r: *mut CpaFlatBuffer,
    s: *mut CpaFlatBuffer,
) -> Status {
    // SAFETY: the caller's contract.
    entry("cpaCyEcdsaSignRS", || unsafe {
        sign_rs(handle, cb, tag, op, status, r, s)
    })
}

/// `cpaCyEcdsaDpaSignRS(..., pOpData, pRandom, createRandomData,
/// pSignStatus, pR, pS)`: the same signature as `cpaCyEcdsaSignRS`; the
/// randomisation input is checked as qatlib checks it and not otherwise
/// needed (softqat's engine signs in constant time).
///
/// # Safety
/// As `cpaCyEcdsaSignR`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cpaCyEcdsaDpaSignRS(
    handle: CpaInstanceHandle,
    cb: CpaCyEcdsaSignRSCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcdsaSignRSOpData,
    random: *const CpaFlatBuffer,
    create_random: CpaBoolean,
    status: *mut CpaBoolean,
    r: *mut CpaFlatBuffer,
    s: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyEcdsaDpaSignRS", || {
        if create_random == 0 && random.is_null() {
            return Err(Error::invalid(
                "pRandom is NULL and createRandomData is CPA_FALSE: pass random bytes or set \
                 createRandomData",
            ));
        }
        // SAFETY: the caller's contract.
        unsafe { sign_rs(handle, cb, tag, op, status, r, s) }
    })
}

/// `cpaCyEcdsaVerify(..., pOpData, pVerifyStatus)`.
///
/// # Safety
/// As `cpaCyEcdsaSignR`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcdsaVerify(
    handle: CpaInstanceHandle,
    cb: CpaCyEcdsaVerifyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcdsaVerifyOpData,
    verify: *mut CpaBoolean,
) -> Status {
    entry("cpaCyEcdsaVerify", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let v = unsafe {
            EcdsaVerify {
                xg: num(&d.xg, "pOpData->xg")?,
                yg: num(&d.yg, "pOpData->yg")?,
                n: num(&d.n, "pOpData->n")?,
                q: num(&d.q, "pOpData->q")?,
                a: num(&d.a, "pOpData->a")?,
                b: num(&d.b, "pOpData->b")?,
                m: num(&d.m, "pOpData->m")?,
                r: num(&d.r, "pOpData->r")?,
                s: num(&d.s, "pOpData->s")?,
                xp: num(&d.xp, "pOpData->xp")?,
                yp: num(&d.yp, "pOpData->yp")?,
                field_type: field_type(d.field_type, "pOpData->fieldType")?,
            }
        };
        let req = Request::new(op).flag(verify, "pVerifyStatus")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::ecdsa_verify(&v),
                Callback::verify(cb),
                tag,
            )
        }
    })
}

/// `cpaCyEcdsaQueryStats64(instanceHandle, pEcdsaStats)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcdsaQueryStats64(
    handle: CpaInstanceHandle,
    out: *mut CpaCyEcdsaStats64,
) -> Status {
    entry("cpaCyEcdsaQueryStats64", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pEcdsaStats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.ecdsa_stats())?).into();
        Ok(())
    })
}
