//! `cpa_dc.h`'s no-session calls (`cpaDcNs*`), the no-session CnV error
//! injection of `icp_sal_user.h`, and the auto-select-best threshold and
//! ratio setters. The requests run on the SAL's no-session path
//! ([`DcInstance::ns_call_foreign`]), which reuses a session per recent
//! setup, so a request allocates only for a setup the instance has not
//! seen recently.

use std::ffi::c_void;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use softqat_cpa::{AsbRatio, AsbThreshold};
use softqat_sal::DcInstance;

use crate::abi::dc::{
    CpaDcCallbackFn, CpaDcOpData, CpaDcRqResults, CpaDcSessionHandle, CpaDcSessionSetupData,
};
use crate::abi::{CpaBufferList, CpaFlatBuffer, CpaInstanceHandle};
use crate::dc::{
    c_callback, flat_mut, list_desc, op_from_c, session, setup_from_c, write_results, DcSessionBox,
    DC_DP_SESSION_MAGIC, DC_SESSION_MAGIC,
};
use crate::ffi::{arg, arg_mut, entry, CpaStatus, Error, Result, Status};
use crate::runtime::with_instance;

/// Runs a no-session request: synchronous without a callback.
///
/// # Safety
/// The pointers are the caller's, valid as the CPA API requires (for an
/// asynchronous request, until its callback has run).
#[allow(clippy::too_many_arguments)]
unsafe fn ns_perform(
    function: &'static str,
    handle: CpaInstanceHandle,
    setup: *const CpaDcSessionSetupData,
    src: *const CpaBufferList,
    dst: *const CpaBufferList,
    op: *const CpaDcOpData,
    results: *mut CpaDcRqResults,
    callback: CpaDcCallbackFn,
    tag: *mut c_void,
    compress: bool,
) -> Status {
    entry(function, || {
        // SAFETY: the caller's contract, for every pointer below.
        let op_c = unsafe { arg(op, "pOpData is NULL") }?;
        // qatlib's first check of a no-session compression.
        if compress && op_c.compress_and_verify != 1 {
            return Err(Error::unsupported(
                "no-session compression is done with compress-and-verify only (qatlib refuses \
                 it without): set pOpData->compressAndVerify to CPA_TRUE",
            ));
        }
        let setup = setup_from_c(unsafe { arg(setup, "pSetupData is NULL") }?)?;
        let res = unsafe { arg_mut(results, "pResults is NULL") }?;
        let op = op_from_c(op_c, res.checksum)?;
        if std::ptr::eq(src, dst) {
            return Err(Error::invalid(
                "pSrcBuff and pDestBuff are the same list: in-place operation is not \
                 supported, pass a separate destination",
            ));
        }
        let src_desc = unsafe { list_desc(src, "pSrcBuff is NULL") }?;
        let dst_desc = unsafe { list_desc(dst, "pDestBuff is NULL") }?;
        // A clone of the handle (a reference count), so that a synchronous
        // request does not hold the instance table's lock while it waits.
        let inst = crate::runtime::instance::<DcInstance>(handle)?;
        if let Some(cb) = callback {
            // Completion writes `results` and calls back. The callback
            // closure (and its counter, unused: no-session footers take
            // the length as an argument) is made only when the instance
            // has no recent session of this setup and callback.
            return unsafe {
                inst.ns_submit_foreign(
                    &setup,
                    compress,
                    src_desc,
                    dst_desc,
                    &op,
                    cb as usize,
                    || c_callback(cb, Arc::new(AtomicU64::new(0))),
                    (tag as usize, results as usize),
                )
            };
        }
        let (status, r) =
            unsafe { inst.ns_call_foreign(&setup, compress, src_desc, dst_desc, &op) }?;
        write_results(res, &r);
        match status {
            CpaStatus::Success => Ok(()),
            s => Err(Error::new(s, "the request failed")),
        }
    })
}

/// `cpaDcNsCompressData(dcInstance, pSetupData, pSrcBuff, pDestBuff,
/// pOpData, pResults, callbackFn, callbackTag)`: NULL callback =
/// synchronous.
///
/// # Safety
/// CPA API contract: valid pointers; for an asynchronous request the
/// buffers and results stay valid until the callback has run.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cpaDcNsCompressData(
    handle: CpaInstanceHandle,
    setup: *mut CpaDcSessionSetupData,
    src: *mut CpaBufferList,
    dst: *mut CpaBufferList,
    op: *mut CpaDcOpData,
    results: *mut CpaDcRqResults,
    callback: CpaDcCallbackFn,
    tag: *mut c_void,
) -> Status {
    // SAFETY: the caller's contract.
    unsafe {
        ns_perform(
            "cpaDcNsCompressData",
            handle,
            setup,
            src,
            dst,
            op,
            results,
            callback,
            tag,
            true,
        )
    }
}

/// `cpaDcNsDecompressData`: as `cpaDcNsCompressData`.
///
/// # Safety
/// As `cpaDcNsCompressData`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cpaDcNsDecompressData(
    handle: CpaInstanceHandle,
    setup: *mut CpaDcSessionSetupData,
    src: *mut CpaBufferList,
    dst: *mut CpaBufferList,
    op: *mut CpaDcOpData,
    results: *mut CpaDcRqResults,
    callback: CpaDcCallbackFn,
    tag: *mut c_void,
) -> Status {
    // SAFETY: the caller's contract.
    unsafe {
        ns_perform(
            "cpaDcNsDecompressData",
            handle,
            setup,
            src,
            dst,
            op,
            results,
            callback,
            tag,
            false,
        )
    }
}

/// `cpaDcNsGenerateHeader(pSetupData, pDestBuff, count)`.
///
/// # Safety
/// Pointers NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaDcNsGenerateHeader(
    setup: *mut CpaDcSessionSetupData,
    dst: *mut CpaFlatBuffer,
    count: *mut u32,
) -> Status {
    entry("cpaDcNsGenerateHeader", || {
        // SAFETY: the caller's contract.
        let setup = setup_from_c(unsafe { arg(setup, "pSetupData is NULL") }?)?;
        let d = unsafe { flat_mut(dst, "pDestBuff is NULL") }?;
        let count = unsafe { arg_mut(count, "count is NULL") }?;
        *count = softqat_sal::ns_generate_header(&setup, d)? as u32;
        Ok(())
    })
}

/// `cpaDcNsGenerateFooter(pSetupData, totalLength, pDestBuff, pResults)`:
/// the footer for the stream's checksum (`pResults->checksum`) and
/// `totalLength` input bytes; its length is added to `pResults->produced`.
///
/// # Safety
/// Pointers NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaDcNsGenerateFooter(
    setup: *mut CpaDcSessionSetupData,
    total: u64,
    dst: *mut CpaFlatBuffer,
    results: *mut CpaDcRqResults,
) -> Status {
    entry("cpaDcNsGenerateFooter", || {
        // SAFETY: the caller's contract.
        let setup = setup_from_c(unsafe { arg(setup, "pSetupData is NULL") }?)?;
        let d = unsafe { flat_mut(dst, "pDestBuff is NULL") }?;
        let r = unsafe { arg_mut(results, "pResults is NULL") }?;
        let n = softqat_sal::ns_generate_footer(&setup, r.checksum, total, d)?;
        r.produced = r.produced.wrapping_add(n as u32);
        Ok(())
    })
}

/// `icp_sal_ns_cnv_simulate_error(dcInstance)`: every no-session
/// compression on the instance fails its verify step until
/// `icp_sal_ns_cnv_reset_error` (gen4 only, as in qatlib).
#[no_mangle]
pub extern "C" fn icp_sal_ns_cnv_simulate_error(handle: CpaInstanceHandle) -> Status {
    entry("icp_sal_ns_cnv_simulate_error", || {
        with_instance::<DcInstance, _>(handle, |d| d.ns_cnv_simulate_error(true))
    })
}

/// `icp_sal_ns_cnv_reset_error(dcInstance)`.
#[no_mangle]
pub extern "C" fn icp_sal_ns_cnv_reset_error(handle: CpaInstanceHandle) -> Status {
    entry("icp_sal_ns_cnv_reset_error", || {
        with_instance::<DcInstance, _>(handle, |d| d.ns_cnv_simulate_error(false))
    })
}

/// A traditional or data-plane session (qatlib's setters take either).
///
/// # Safety
/// `h` is NULL or session memory.
unsafe fn any_session<'a>(h: CpaDcSessionHandle) -> Result<&'a DcSessionBox> {
    // SAFETY: the caller's contract.
    unsafe { session(h, DC_SESSION_MAGIC).or_else(|_| session(h, DC_DP_SESSION_MAGIC)) }
}

/// Refuses a session used with another instance's handle.
fn same_instance(handle: CpaInstanceHandle, s: &DcSessionBox) -> Result<()> {
    let i = if handle.is_null() {
        Some(0)
    } else {
        crate::runtime::slot_index::<DcInstance>(handle)
    };
    if i != Some(s.slot) {
        return Err(Error::invalid(
            "the session was created on another instance: use the handle it was created with",
        ));
    }
    Ok(())
}

/// `cpaDcSetAsbThreshold(dcInstance, pSessionHandle, asbThreshold)`:
/// UNSUPPORTED on the classes softqat models, as qatlib answers on gen4,
/// after its parameter checks.
///
/// # Safety
/// `sess` is NULL or session memory.
#[no_mangle]
pub unsafe extern "C" fn cpaDcSetAsbThreshold(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    threshold: u32,
) -> Status {
    entry("cpaDcSetAsbThreshold", || {
        // SAFETY: the caller's contract.
        let s = unsafe { any_session(sess) }?;
        let t = u8::try_from(threshold)
            .ok()
            .and_then(AsbThreshold::from_value)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "asbThreshold {threshold} is not a CpaDcAsbThreshold (0..=8, \
                     CPA_DC_ASB_THRESHOLD_256 to CPA_DC_ASB_THRESHOLD_65536)"
                ))
            })?;
        same_instance(handle, s)?;
        s.instance.set_asb_threshold(&s.session, t)
    })
}

/// `cpaDcSetAsbRatio(dcInstance, pSessionHandle, asbRatio)`: as
/// `cpaDcSetAsbThreshold`. (qatlib's range check lets 0 through to its
/// capability check; 0 is not a `CpaDcAsbRatio`, so INVALID_PARAM here.)
///
/// # Safety
/// `sess` is NULL or session memory.
#[no_mangle]
pub unsafe extern "C" fn cpaDcSetAsbRatio(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    ratio: u32,
) -> Status {
    entry("cpaDcSetAsbRatio", || {
        // SAFETY: the caller's contract.
        let s = unsafe { any_session(sess) }?;
        let r = u8::try_from(ratio)
            .ok()
            .and_then(AsbRatio::from_value)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "asbRatio {ratio} is not a CpaDcAsbRatio (1..=16 sixteenths)"
                ))
            })?;
        same_instance(handle, s)?;
        s.instance.set_asb_ratio(&s.session, r)
    })
}
