//! `cpa_cy_ec.h`: EC point multiplication and verification on Weierstrass
//! prime curves (binary-field curves are UNSUPPORTED), the
//! Montgomery/Edwards point multiplication (Curve25519, Ed25519, Curve448,
//! Ed448), statistics.

use std::ffi::c_void;

use softqat_sal::asym::{
    EcCurve, EcCurveType, EcPointMultiply, EcPointVerify, GenericPointMultiply, GenericPointVerify,
    MontEdwdsCurve, WeierstrassParameters,
};
use softqat_sal::{AsymOp, CyInstance};

use super::{field_type, num, op_data, opt, run, significant, Callback, Request};
use crate::abi::asym::{
    CpaCyEcCurve, CpaCyEcGenericPointMultiplyOpData, CpaCyEcGenericPointVerifyOpData,
    CpaCyEcMontEdwdsPointMultiplyOpData, CpaCyEcPointMultiplyCbFunc, CpaCyEcPointMultiplyOpData,
    CpaCyEcPointVerifyCbFunc, CpaCyEcPointVerifyOpData, CpaCyEcStats64,
};
use crate::abi::{CpaFlatBuffer, CpaInstanceHandle};
use crate::ffi::{arg_mut, entry, CpaBoolean, Error, Result, Status};
use crate::runtime::with_instance;

/// A `CpaCyEcCurve` as the SAL takes it.
///
/// # Safety
/// `c` is NULL or a valid curve whose buffers are valid for the request.
unsafe fn curve<'a>(c: *const CpaCyEcCurve) -> Result<EcCurve<'a>> {
    // SAFETY: the caller's contract.
    let c = unsafe { op_data(c, "pOpData->pCurve is NULL: pass the curve") }?;
    let curve_type = EcCurveType::from_cpa(c.curve_type).ok_or_else(|| {
        Error::invalid(format!(
            "pCurve->curveType {} is not a CpaCyEcCurveType: use \
             CPA_CY_EC_CURVE_TYPE_WEIERSTRASS_PRIME (1)",
            c.curve_type
        ))
    })?;
    let w = &c.parameters;
    // SAFETY: the caller's contract.
    let parameters = unsafe {
        WeierstrassParameters {
            field_type: field_type(
                w.field_type,
                "pCurve->parameters.weierstrassParameters.fieldType",
            )?,
            p: num(&w.p, "pCurve->parameters.weierstrassParameters.p")?,
            a: num(&w.a, "pCurve->parameters.weierstrassParameters.a")?,
            b: num(&w.b, "pCurve->parameters.weierstrassParameters.b")?,
            h: opt(&w.h, "pCurve->parameters.weierstrassParameters.h")?,
        }
    };
    Ok(EcCurve {
        curve_type,
        parameters,
    })
}

/// `cpaCyEcPointMultiply(instanceHandle, pCb, pCallbackTag, pOpData,
/// pMultiplyStatus, pXk, pYk)` (deprecated in the API): `[k](xg, yg)` on the
/// curve (a, b, q, h).
///
/// # Safety
/// CPA contract: valid pointers; for an asynchronous call they stay valid
/// until the callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcPointMultiply(
    handle: CpaInstanceHandle,
    cb: CpaCyEcPointMultiplyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcPointMultiplyOpData,
    status: *mut CpaBoolean,
    xk: *mut CpaFlatBuffer,
    yk: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyEcPointMultiply", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let m = unsafe {
            EcPointMultiply {
                k: num(&d.k, "pOpData->k")?,
                xg: num(&d.xg, "pOpData->xg")?,
                yg: num(&d.yg, "pOpData->yg")?,
                a: num(&d.a, "pOpData->a")?,
                b: num(&d.b, "pOpData->b")?,
                q: num(&d.q, "pOpData->q")?,
                h: opt(&d.h, "pOpData->h")?,
                field_type: field_type(d.field_type, "pOpData->fieldType")?,
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
                AsymOp::ec_point_multiply(&m),
                Callback::two(cb, xk, yk),
                tag,
            )
        }
    })
}

/// `cpaCyEcPointVerify(instanceHandle, pCb, pCallbackTag, pOpData,
/// pVerifyStatus)` (deprecated in the API).
///
/// # Safety
/// As `cpaCyEcPointMultiply`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcPointVerify(
    handle: CpaInstanceHandle,
    cb: CpaCyEcPointVerifyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcPointVerifyOpData,
    verify: *mut CpaBoolean,
) -> Status {
    entry("cpaCyEcPointVerify", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let v = unsafe {
            EcPointVerify {
                xq: num(&d.xq, "pOpData->xq")?,
                yq: num(&d.yq, "pOpData->yq")?,
                q: num(&d.q, "pOpData->q")?,
                a: num(&d.a, "pOpData->a")?,
                b: num(&d.b, "pOpData->b")?,
                field_type: field_type(d.field_type, "pOpData->fieldType")?,
            }
        };
        let req = Request::new(op).flag(verify, "pVerifyStatus")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::ec_point_verify(&v),
                Callback::verify(cb),
                tag,
            )
        }
    })
}

/// The generic multiply shared by the plain and DPA calls.
///
/// # Safety
/// As `cpaCyEcPointMultiply`.
unsafe fn generic_multiply(
    handle: CpaInstanceHandle,
    cb: CpaCyEcPointMultiplyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcGenericPointMultiplyOpData,
    status: *mut CpaBoolean,
    xk: *mut CpaFlatBuffer,
    yk: *mut CpaFlatBuffer,
) -> Result<()> {
    // SAFETY: the caller's contract.
    let d = unsafe { op_data(op, "pOpData is NULL") }?;
    let c = unsafe { curve(d.p_curve) }?;
    let generator = d.generator != 0;
    // With `generator` the point is the curve's generator: xP and yP may
    // be empty.
    let (xp, yp) = unsafe {
        if generator {
            (opt(&d.x_p, "pOpData->xP")?, opt(&d.y_p, "pOpData->yP")?)
        } else {
            (num(&d.x_p, "pOpData->xP")?, num(&d.y_p, "pOpData->yP")?)
        }
    };
    let m = GenericPointMultiply {
        // SAFETY: the caller's contract.
        k: unsafe { num(&d.k, "pOpData->k") }?,
        xp,
        yp,
        curve: &c,
        generator,
    };
    let n = significant(c.parameters.p);
    let req = Request::new(op)
        .flag(status, "pMultiplyStatus")?
        .number(0, xk, n, "pXk")?
        .number(1, yk, n, "pYk")?;
    // SAFETY: the caller's contract.
    unsafe {
        run(
            handle,
            req,
            AsymOp::ec_generic_point_multiply(&m),
            Callback::two(cb, xk, yk),
            tag,
        )
    }
}

/// `cpaCyEcGenericPointMultiply(instanceHandle, pCb, pCallbackTag,
/// pOpData, pMultiplyStatus, pXk, pYk)`: `[k]P` (or `[k]G` with
/// `generator`, NIST curves) on the curve given.
///
/// # Safety
/// As `cpaCyEcPointMultiply`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcGenericPointMultiply(
    handle: CpaInstanceHandle,
    cb: CpaCyEcPointMultiplyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcGenericPointMultiplyOpData,
    status: *mut CpaBoolean,
    xk: *mut CpaFlatBuffer,
    yk: *mut CpaFlatBuffer,
) -> Status {
    // SAFETY: the caller's contract.
    entry("cpaCyEcGenericPointMultiply", || unsafe {
        generic_multiply(handle, cb, tag, op, status, xk, yk)
    })
}

/// `cpaCyEcDpaGenericPointMultiply(..., pOpData, pRandom,
/// createRandomData, pMultiplyStatus, pXk, pYk)`: the same result as
/// `cpaCyEcGenericPointMultiply`; the randomisation input is checked as
/// qatlib checks it and not otherwise needed (softqat's engine multiplies
/// in constant time).
///
/// # Safety
/// As `cpaCyEcPointMultiply`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cpaCyEcDpaGenericPointMultiply(
    handle: CpaInstanceHandle,
    cb: CpaCyEcPointMultiplyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcGenericPointMultiplyOpData,
    random: *const CpaFlatBuffer,
    create_random: CpaBoolean,
    status: *mut CpaBoolean,
    xk: *mut CpaFlatBuffer,
    yk: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyEcDpaGenericPointMultiply", || {
        if create_random == 0 && random.is_null() {
            return Err(Error::invalid(
                "pRandom is NULL and createRandomData is CPA_FALSE: pass random bytes or set \
                 createRandomData",
            ));
        }
        // SAFETY: the caller's contract.
        unsafe { generic_multiply(handle, cb, tag, op, status, xk, yk) }
    })
}

/// `cpaCyEcGenericPointVerify(instanceHandle, pCb, pCallbackTag, pOpData,
/// pVerifyStatus)`: whether (xP, yP) is a point of the curve.
///
/// # Safety
/// As `cpaCyEcPointMultiply`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcGenericPointVerify(
    handle: CpaInstanceHandle,
    cb: CpaCyEcPointVerifyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcGenericPointVerifyOpData,
    verify: *mut CpaBoolean,
) -> Status {
    entry("cpaCyEcGenericPointVerify", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let c = unsafe { curve(d.p_curve) }?;
        let v = GenericPointVerify {
            // SAFETY: the caller's contract.
            xp: unsafe { num(&d.x_p, "pOpData->xP") }?,
            yp: unsafe { num(&d.y_p, "pOpData->yP") }?,
            curve: &c,
        };
        let req = Request::new(op).flag(verify, "pVerifyStatus")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::ec_generic_point_verify(&v),
                Callback::verify(cb),
                tag,
            )
        }
    })
}

/// `cpaCyEcMontEdwdsPointMultiply(instanceHandle, pCb, pCallbackTag,
/// pOpData, pMultiplyStatus, pXk, pYk)`: `[k]P` or `[k]G` on Curve25519,
/// Ed25519, Curve448 or Ed448, in QAT's big-endian encoding (32-byte
/// buffers for the 25519 curves, 64 for the 448 ones). The Montgomery
/// curves give x only: `pYk` is not written for them.
///
/// # Safety
/// As `cpaCyEcPointMultiply`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcMontEdwdsPointMultiply(
    handle: CpaInstanceHandle,
    cb: CpaCyEcPointMultiplyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcMontEdwdsPointMultiplyOpData,
    status: *mut CpaBoolean,
    xk: *mut CpaFlatBuffer,
    yk: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyEcMontEdwdsPointMultiply", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let c = MontEdwdsCurve::from_cpa(d.curve_type).ok_or_else(|| {
            Error::invalid(format!(
                "pOpData->curveType {} is not a CpaCyEcMontEdwdsCurveType (1..4)",
                d.curve_type
            ))
        })?;
        let generator = d.generator != 0;
        let (k, x, y) = unsafe {
            (
                num(&d.k, "pOpData->k")?,
                opt(&d.x, "pOpData->x")?,
                opt(&d.y, "pOpData->y")?,
            )
        };
        let n = c.buffer_len();
        let mut req = Request::new(op)
            .flag(status, "pMultiplyStatus")?
            .number(0, xk, n, "pXk")?;
        if !c.is_montgomery() {
            req = req.number(1, yk, n, "pYk")?;
        }
        unsafe {
            run(
                handle,
                req,
                AsymOp::ec_mont_edwds_point_multiply(c, generator, k, x, y),
                Callback::two(cb, xk, yk),
                tag,
            )
        }
    })
}

/// `cpaCyEcQueryStats64(instanceHandle, pEcStats)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcQueryStats64(
    handle: CpaInstanceHandle,
    out: *mut CpaCyEcStats64,
) -> Status {
    entry("cpaCyEcQueryStats64", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pEcStats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.ec_stats())?).into();
        Ok(())
    })
}
