//! `cpa_cy_ecdh.h`: ECDH point multiplication, statistics.

use std::ffi::c_void;

use softqat_sal::asym::EcdhPointMultiply;
use softqat_sal::{AsymOp, CyInstance};

use super::{field_type, num, op_data, opt, run, significant, Callback, Request};
use crate::abi::asym::{
    CpaCyEcdhPointMultiplyCbFunc, CpaCyEcdhPointMultiplyOpData, CpaCyEcdhStats64,
};
use crate::abi::{CpaFlatBuffer, CpaInstanceHandle};
use crate::ffi::{arg_mut, entry, CpaBoolean, Status};
use crate::runtime::with_instance;

/// `cpaCyEcdhPointMultiply(instanceHandle, pCb, pCallbackTag, pOpData,
/// pMultiplyStatus, pXk, pYk)`: the shared point `[k](xg, yg)`; with
/// `pointVerify` the peer's point is checked first (`pMultiplyStatus`
/// false when it is not on the curve).
///
/// # Safety
/// CPA contract: valid pointers; for an asynchronous call they stay valid
/// until the callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcdhPointMultiply(
    handle: CpaInstanceHandle,
    cb: CpaCyEcdhPointMultiplyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcdhPointMultiplyOpData,
    status: *mut CpaBoolean,
    xk: *mut CpaFlatBuffer,
    yk: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyEcdhPointMultiply", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let m = unsafe {
            EcdhPointMultiply {
                k: num(&d.k, "pOpData->k")?,
                xg: num(&d.xg, "pOpData->xg")?,
                yg: num(&d.yg, "pOpData->yg")?,
                a: num(&d.a, "pOpData->a")?,
                b: num(&d.b, "pOpData->b")?,
                q: num(&d.q, "pOpData->q")?,
                h: opt(&d.h, "pOpData->h")?,
                field_type: field_type(d.field_type, "pOpData->fieldType")?,
                point_verify: d.point_verify != 0,
            }
        };
        let n = significant(m.q);
        let req = Request::new(op)
            .flag(status, "pMultiplyStatus")?
            .number(0, xk, n, "pXk")?
            .number(1, yk, n, "pYk")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::ecdh_point_multiply(&m),
                Callback::two(cb, xk, yk),
                tag,
            )
        }
    })
}

/// `cpaCyEcdhQueryStats64(instanceHandle, pEcdhStats)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcdhQueryStats64(
    handle: CpaInstanceHandle,
    out: *mut CpaCyEcdhStats64,
) -> Status {
    entry("cpaCyEcdhQueryStats64", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pEcdhStats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.ecdh_stats())?).into();
        Ok(())
    })
}
