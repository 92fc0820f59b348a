//! `cpa_cy_ecsm2.h`: SM2 (GB/T 32918) on its recommended curve: point and
//! generator multiplication, point check, signature and verification, the
//! point steps of encryption, decryption and key exchange, statistics.
//! Every number is 32 bytes.

use std::ffi::c_void;
use std::ptr::addr_of_mut;

use softqat_sal::asym::sm2;
use softqat_sal::{AsymOp, CyInstance};

use super::{field_type, num, op_data, run, Callback, Request};
use crate::abi::asym::{
    CpaCyEcPointMultiplyCbFunc, CpaCyEcPointVerifyCbFunc, CpaCyEcsm2DecryptOpData,
    CpaCyEcsm2DecryptOutputData, CpaCyEcsm2EncryptOpData, CpaCyEcsm2EncryptOutputData,
    CpaCyEcsm2GeneratorMultiplyOpData, CpaCyEcsm2KeyExOutputData, CpaCyEcsm2KeyExPhase1OpData,
    CpaCyEcsm2KeyExPhase2OpData, CpaCyEcsm2PointMultiplyOpData, CpaCyEcsm2PointVerifyOpData,
    CpaCyEcsm2SignCbFunc, CpaCyEcsm2SignOpData, CpaCyEcsm2Stats64, CpaCyEcsm2VerifyCbFunc,
    CpaCyEcsm2VerifyOpData, CpaCyGenFlatBufCbFunc,
};
use crate::abi::{CpaFlatBuffer, CpaInstanceHandle};
use crate::ffi::{arg_mut, entry, CpaBoolean, Error, Result, Status};
use crate::runtime::with_instance;

/// Size of every SM2 number.
const N: usize = sm2::SIZE;

/// The output structure argument, NULL refused.
fn out_struct<T>(p: *mut T, what: &str) -> Result<*mut T> {
    if p.is_null() {
        return Err(Error::invalid(format!(
            "{what} is NULL: pass the output structure"
        )));
    }
    Ok(p)
}

/// `cpaCyEcsm2PointMultiply(instanceHandle, pCb, pCallbackTag, pOpData,
/// pMultiplyStatus, pXk, pYk)`: `[k](x, y)`.
///
/// # Safety
/// CPA contract: valid pointers; for an asynchronous call they stay valid
/// until the callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcsm2PointMultiply(
    handle: CpaInstanceHandle,
    cb: CpaCyEcPointMultiplyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcsm2PointMultiplyOpData,
    status: *mut CpaBoolean,
    xk: *mut CpaFlatBuffer,
    yk: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyEcsm2PointMultiply", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let m = unsafe {
            sm2::PointMultiply {
                k: num(&d.k, "pOpData->k")?,
                x: num(&d.x, "pOpData->x")?,
                y: num(&d.y, "pOpData->y")?,
                field_type: field_type(d.field_type, "pOpData->fieldType")?,
            }
        };
        let req = Request::new(op)
            .flag(status, "pMultiplyStatus")?
            .number(0, xk, N, "pXk")?
            .number(1, yk, N, "pYk")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::sm2_point_multiply(&m),
                Callback::two(cb, xk, yk),
                tag,
            )
        }
    })
}

/// `cpaCyEcsm2GeneratorMultiply(..., pOpData, pMultiplyStatus, pXk,
/// pYk)`: `[k]G`.
///
/// # Safety
/// As `cpaCyEcsm2PointMultiply`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcsm2GeneratorMultiply(
    handle: CpaInstanceHandle,
    cb: CpaCyEcPointMultiplyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcsm2GeneratorMultiplyOpData,
    status: *mut CpaBoolean,
    xk: *mut CpaFlatBuffer,
    yk: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyEcsm2GeneratorMultiply", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let m = sm2::GeneratorMultiply {
            // SAFETY: the caller's contract.
            k: unsafe { num(&d.k, "pOpData->k") }?,
            field_type: field_type(d.field_type, "pOpData->fieldType")?,
        };
        let req = Request::new(op)
            .flag(status, "pMultiplyStatus")?
            .number(0, xk, N, "pXk")?
            .number(1, yk, N, "pYk")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::sm2_generator_multiply(&m),
                Callback::two(cb, xk, yk),
                tag,
            )
        }
    })
}

/// `cpaCyEcsm2PointVerify(..., pOpData, pVerifyStatus)`.
///
/// # Safety
/// As `cpaCyEcsm2PointMultiply`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcsm2PointVerify(
    handle: CpaInstanceHandle,
    cb: CpaCyEcPointVerifyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcsm2PointVerifyOpData,
    verify: *mut CpaBoolean,
) -> Status {
    entry("cpaCyEcsm2PointVerify", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let v = unsafe {
            sm2::PointVerify {
                x: num(&d.x, "pOpData->x")?,
                y: num(&d.y, "pOpData->y")?,
                field_type: field_type(d.field_type, "pOpData->fieldType")?,
            }
        };
        let req = Request::new(op).flag(verify, "pVerifyStatus")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::sm2_point_verify(&v),
                Callback::verify(cb),
                tag,
            )
        }
    })
}

/// `cpaCyEcsm2Sign(..., pOpData, pSignStatus, pR, pS)`.
///
/// # Safety
/// As `cpaCyEcsm2PointMultiply`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcsm2Sign(
    handle: CpaInstanceHandle,
    cb: CpaCyEcsm2SignCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcsm2SignOpData,
    status: *mut CpaBoolean,
    r: *mut CpaFlatBuffer,
    s: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyEcsm2Sign", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let m = unsafe {
            sm2::Sign {
                k: num(&d.k, "pOpData->k")?,
                e: num(&d.e, "pOpData->e")?,
                d: num(&d.d, "pOpData->d")?,
                field_type: field_type(d.field_type, "pOpData->fieldType")?,
            }
        };
        let req = Request::new(op)
            .flag(status, "pSignStatus")?
            .number(0, r, N, "pR")?
            .number(1, s, N, "pS")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::sm2_sign(&m),
                Callback::two(cb, r, s),
                tag,
            )
        }
    })
}

/// `cpaCyEcsm2Verify(..., pOpData, pVerifyStatus)`.
///
/// # Safety
/// As `cpaCyEcsm2PointMultiply`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcsm2Verify(
    handle: CpaInstanceHandle,
    cb: CpaCyEcsm2VerifyCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcsm2VerifyOpData,
    verify: *mut CpaBoolean,
) -> Status {
    entry("cpaCyEcsm2Verify", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let v = unsafe {
            sm2::Verify {
                e: num(&d.e, "pOpData->e")?,
                r: num(&d.r, "pOpData->r")?,
                s: num(&d.s, "pOpData->s")?,
                xp: num(&d.x_p, "pOpData->xP")?,
                yp: num(&d.y_p, "pOpData->yP")?,
                field_type: field_type(d.field_type, "pOpData->fieldType")?,
            }
        };
        let req = Request::new(op).flag(verify, "pVerifyStatus")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::sm2_verify(&v),
                Callback::verify(cb),
                tag,
            )
        }
    })
}

/// `cpaCyEcsm2Encrypt(..., pOpData, pOutputData)`: C1 = `[k]G` (x1, y1)
/// and `[k]P` (x2, y2); the callback's `pOut` is `pOutputData`.
///
/// # Safety
/// As `cpaCyEcsm2PointMultiply`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcsm2Encrypt(
    handle: CpaInstanceHandle,
    cb: CpaCyGenFlatBufCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcsm2EncryptOpData,
    out: *mut CpaCyEcsm2EncryptOutputData,
) -> Status {
    entry("cpaCyEcsm2Encrypt", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let m = unsafe {
            sm2::Encrypt {
                k: num(&d.k, "pOpData->k")?,
                xp: num(&d.x_p, "pOpData->xP")?,
                yp: num(&d.y_p, "pOpData->yP")?,
                field_type: field_type(d.field_type, "pOpData->fieldType")?,
            }
        };
        let o = out_struct(out, "pOutputData")?;
        // SAFETY: `o` is the caller's output structure (checked non-NULL);
        // only field addresses are taken.
        let req = unsafe {
            Request::new(op)
                .number(0, addr_of_mut!((*o).x1), N, "pOutputData->x1")?
                .number(1, addr_of_mut!((*o).y1), N, "pOutputData->y1")?
                .number(2, addr_of_mut!((*o).x2), N, "pOutputData->x2")?
                .number(3, addr_of_mut!((*o).y2), N, "pOutputData->y2")?
        };
        let cb = Callback::flat(cb, o as *mut CpaFlatBuffer);
        unsafe { run(handle, req, AsymOp::sm2_encrypt(&m), cb, tag) }
    })
}

/// `cpaCyEcsm2Decrypt(..., pOpData, pOutputData)`: `[d]C1` (x2, y2).
///
/// # Safety
/// As `cpaCyEcsm2PointMultiply`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcsm2Decrypt(
    handle: CpaInstanceHandle,
    cb: CpaCyGenFlatBufCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcsm2DecryptOpData,
    out: *mut CpaCyEcsm2DecryptOutputData,
) -> Status {
    entry("cpaCyEcsm2Decrypt", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let m = unsafe {
            sm2::Decrypt {
                d: num(&d.d, "pOpData->d")?,
                x1: num(&d.x1, "pOpData->x1")?,
                y1: num(&d.y1, "pOpData->y1")?,
                field_type: field_type(d.field_type, "pOpData->fieldType")?,
            }
        };
        let o = out_struct(out, "pOutputData")?;
        // SAFETY: as in cpaCyEcsm2Encrypt.
        let req = unsafe {
            Request::new(op)
                .number(0, addr_of_mut!((*o).x2), N, "pOutputData->x2")?
                .number(1, addr_of_mut!((*o).y2), N, "pOutputData->y2")?
        };
        let cb = Callback::flat(cb, o as *mut CpaFlatBuffer);
        unsafe { run(handle, req, AsymOp::sm2_decrypt(&m), cb, tag) }
    })
}

/// `cpaCyEcsm2KeyExPhase1(..., pOpData, pOutputData)`: R = `[r]G`.
///
/// # Safety
/// As `cpaCyEcsm2PointMultiply`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcsm2KeyExPhase1(
    handle: CpaInstanceHandle,
    cb: CpaCyGenFlatBufCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcsm2KeyExPhase1OpData,
    out: *mut CpaCyEcsm2KeyExOutputData,
) -> Status {
    entry("cpaCyEcsm2KeyExPhase1", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let m = sm2::KeyExPhase1 {
            // SAFETY: the caller's contract.
            r: unsafe { num(&d.r, "pOpData->r") }?,
            field_type: field_type(d.field_type, "pOpData->fieldType")?,
        };
        // SAFETY: as in cpaCyEcsm2Encrypt.
        let req = unsafe { key_ex_outputs(op, out) }?;
        let cb = Callback::flat(cb, out as *mut CpaFlatBuffer);
        unsafe { run(handle, req, AsymOp::sm2_key_ex_phase1(&m), cb, tag) }
    })
}

/// The outputs of either key exchange phase.
///
/// # Safety
/// `out` is NULL or the caller's output structure.
unsafe fn key_ex_outputs<T>(op: *const T, out: *mut CpaCyEcsm2KeyExOutputData) -> Result<Request> {
    let o = out_struct(out, "pOutputData")?;
    // SAFETY: checked non-NULL; only field addresses are taken.
    unsafe {
        Request::new(op)
            .number(0, addr_of_mut!((*o).x), N, "pOutputData->x")?
            .number(1, addr_of_mut!((*o).y), N, "pOutputData->y")
    }
}

/// `cpaCyEcsm2KeyExPhase2(..., pOpData, pOutputData)`: the shared point U.
///
/// # Safety
/// As `cpaCyEcsm2PointMultiply`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcsm2KeyExPhase2(
    handle: CpaInstanceHandle,
    cb: CpaCyGenFlatBufCbFunc,
    tag: *mut c_void,
    op: *const CpaCyEcsm2KeyExPhase2OpData,
    out: *mut CpaCyEcsm2KeyExOutputData,
) -> Status {
    entry("cpaCyEcsm2KeyExPhase2", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let m = unsafe {
            sm2::KeyExPhase2 {
                r: num(&d.r, "pOpData->r")?,
                d: num(&d.d, "pOpData->d")?,
                x1: num(&d.x1, "pOpData->x1")?,
                x2: num(&d.x2, "pOpData->x2")?,
                y2: num(&d.y2, "pOpData->y2")?,
                xp: num(&d.x_p, "pOpData->xP")?,
                yp: num(&d.y_p, "pOpData->yP")?,
                field_type: field_type(d.field_type, "pOpData->fieldType")?,
            }
        };
        // SAFETY: as in cpaCyEcsm2Encrypt.
        let req = unsafe { key_ex_outputs(op, out) }?;
        let cb = Callback::flat(cb, out as *mut CpaFlatBuffer);
        unsafe { run(handle, req, AsymOp::sm2_key_ex_phase2(&m), cb, tag) }
    })
}

/// `cpaCyEcsm2QueryStats64(instanceHandle, pEcsm2Stats)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyEcsm2QueryStats64(
    handle: CpaInstanceHandle,
    out: *mut CpaCyEcsm2Stats64,
) -> Status {
    entry("cpaCyEcsm2QueryStats64", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pEcsm2Stats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.sm2_stats())?).into();
        Ok(())
    })
}
