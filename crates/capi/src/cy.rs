//! `cpa_cy_common.h` and `cpa_cy_im.h`: what crypto instances share
//! (start, stop, capabilities, status text, notification callbacks,
//! buffer-list metadata) and `icp_sal_congestion_mgmt.h`.

use std::ffi::c_void;

use softqat_sal::CyInstance;

use crate::abi::{CpaInstanceHandle, CpaInstanceInfo, CpaInstanceNotificationCbFunc};
use crate::dc::{meta_size, write_status_text, MAX_BUFFERS};
use crate::ffi::{arg_mut, boolean, c_string, entry, Error, Status};
use crate::runtime::with_instance;

/// `CpaCyCapabilitiesInfo`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaCyCapabilitiesInfo {
    /// `symSupported`.
    pub sym_supported: u32,
    /// `symDpSupported`.
    pub sym_dp_supported: u32,
    /// `dhSupported`.
    pub dh_supported: u32,
    /// `dsaSupported`.
    pub dsa_supported: u32,
    /// `rsaSupported`.
    pub rsa_supported: u32,
    /// `ecSupported`.
    pub ec_supported: u32,
    /// `ecdhSupported`.
    pub ecdh_supported: u32,
    /// `ecdsaSupported`.
    pub ecdsa_supported: u32,
    /// `keySupported`.
    pub key_supported: u32,
    /// `lnSupported`.
    pub ln_supported: u32,
    /// `primeSupported`.
    pub prime_supported: u32,
    /// `drbgSupported`.
    pub drbg_supported: u32,
    /// `nrbgSupported`.
    pub nrbg_supported: u32,
    /// `randSupported`.
    pub rand_supported: u32,
    /// `kptSupported`.
    pub kpt_supported: u32,
    /// `hkdfSupported`.
    pub hkdf_supported: u32,
    /// `extAlgchainSupported`.
    pub ext_algchain_supported: u32,
    /// `ecEdMontSupported`.
    pub ec_ed_mont_supported: u32,
    /// `ecSm2Supported`.
    pub ec_sm2_supported: u32,
}

/// `cpaCyStartInstance(instanceHandle)`.
#[no_mangle]
pub extern "C" fn cpaCyStartInstance(handle: CpaInstanceHandle) -> Status {
    entry("cpaCyStartInstance", || {
        with_instance::<CyInstance, _>(handle, |c| c.start())
    })
}

/// `cpaCyStopInstance(instanceHandle)`.
#[no_mangle]
pub extern "C" fn cpaCyStopInstance(handle: CpaInstanceHandle) -> Status {
    entry("cpaCyStopInstance", || {
        with_instance::<CyInstance, _>(handle, |c| c.stop())
    })
}

/// `cpaCyQueryCapabilities(instanceHandle, pCapInfo)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyQueryCapabilities(
    handle: CpaInstanceHandle,
    out: *mut CpaCyCapabilitiesInfo,
) -> Status {
    entry("cpaCyQueryCapabilities", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pCapInfo is NULL") }?;
        with_instance::<CyInstance, _>(handle, |c| {
            let k = c.capabilities();
            *out = CpaCyCapabilitiesInfo {
                sym_supported: boolean(k.sym_supported),
                sym_dp_supported: boolean(k.sym_dp_supported),
                dh_supported: boolean(k.dh_supported),
                dsa_supported: boolean(k.dsa_supported),
                rsa_supported: boolean(k.rsa_supported),
                ec_supported: boolean(k.ec_supported),
                ecdh_supported: boolean(k.ecdh_supported),
                ecdsa_supported: boolean(k.ecdsa_supported),
                key_supported: boolean(k.key_supported),
                ln_supported: boolean(k.ln_supported),
                prime_supported: boolean(k.prime_supported),
                drbg_supported: boolean(k.drbg_supported),
                nrbg_supported: boolean(k.nrbg_supported),
                rand_supported: boolean(k.rand_supported),
                kpt_supported: boolean(k.kpt_supported),
                hkdf_supported: boolean(k.hkdf_supported),
                ext_algchain_supported: boolean(k.ext_alg_chain_supported),
                ec_ed_mont_supported: boolean(k.ec_ed_mont_supported),
                ec_sm2_supported: boolean(k.ec_sm2_supported),
            };
            Ok(())
        })
    })
}

/// `cpaCySetAddressTranslation(instanceHandle, virtual2Physical)`: DMA
/// addresses are virtual addresses here; accepted and not called.
#[no_mangle]
pub extern "C" fn cpaCySetAddressTranslation(
    handle: CpaInstanceHandle,
    _translate: Option<unsafe extern "C" fn(*mut c_void) -> u64>,
) -> Status {
    entry("cpaCySetAddressTranslation", || {
        with_instance::<CyInstance, _>(handle, |_| Ok(()))
    })
}

/// `cpaCyBufferListGetMetaSize(instanceHandle, numBuffers, pSizeInBytes)`.
///
/// # Safety
/// `size` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyBufferListGetMetaSize(
    handle: CpaInstanceHandle,
    n: u32,
    size: *mut u32,
) -> Status {
    entry("cpaCyBufferListGetMetaSize", || {
        with_instance::<CyInstance, _>(handle, |_| Ok(()))?;
        if n > MAX_BUFFERS {
            return Err(Error::invalid(format!(
                "numBuffers {n}: a list has at most {MAX_BUFFERS} buffers"
            )));
        }
        // SAFETY: the caller's contract.
        *unsafe { arg_mut(size, "pSizeInBytes is NULL") }? = meta_size(n);
        Ok(())
    })
}

/// `cpaCyGetStatusText(instanceHandle, errStatus, pStatusText)`.
///
/// # Safety
/// `out` is NULL or has 255 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn cpaCyGetStatusText(
    handle: CpaInstanceHandle,
    status: Status,
    out: *mut i8,
) -> Status {
    entry("cpaCyGetStatusText", || {
        with_instance::<CyInstance, _>(handle, |_| Ok(()))?;
        // SAFETY: the caller's contract.
        unsafe { write_status_text(out as *mut u8, status) }
    })
}

/// `cpaCyInstanceGetInfo(instanceHandle, pInstanceInfo)` (deprecated).
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyInstanceGetInfo(
    handle: CpaInstanceHandle,
    out: *mut CpaInstanceInfo,
) -> Status {
    entry("cpaCyInstanceGetInfo", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pInstanceInfo is NULL") }?;
        with_instance::<CyInstance, _>(handle, |c| {
            out.type_ = 0;
            out.state = if c.is_started() { 0 } else { 1 };
            c_string(&mut out.name, &c.info().inst_name);
            c_string(&mut out.version, &c.info().sw_version);
            Ok(())
        })
    })
}

/// `cpaCyInstanceSetNotificationCb(instanceHandle, pInstanceNotificationCb,
/// pCallbackTag)`.
#[no_mangle]
pub extern "C" fn cpaCyInstanceSetNotificationCb(
    handle: CpaInstanceHandle,
    cb: CpaInstanceNotificationCbFunc,
    tag: *mut c_void,
) -> Status {
    entry("cpaCyInstanceSetNotificationCb", || {
        crate::runtime::set_notification::<CyInstance>(handle, cb, tag)
    })
}

/// The in-flight figures of a crypto instance.
///
/// # Safety
/// `max` and `num` are NULL or writable.
unsafe fn inflight(
    function: &'static str,
    handle: CpaInstanceHandle,
    max: *mut u32,
    num: *mut u32,
) -> Status {
    entry(function, || {
        // SAFETY: the caller's contract.
        let max = unsafe { arg_mut(max, "maxInflightRequests is NULL") }?;
        let num = unsafe { arg_mut(num, "numInflightRequests is NULL") }?;
        with_instance::<CyInstance, _>(handle, |c| {
            *max = c.info().max_in_flight;
            *num = c.in_flight();
            Ok(())
        })
    })
}

/// `icp_sal_SymGetInflightRequests(instanceHandle, maxInflightRequests,
/// numInflightRequests)`.
///
/// # Safety
/// Pointers NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn icp_sal_SymGetInflightRequests(
    handle: CpaInstanceHandle,
    max: *mut u32,
    num: *mut u32,
) -> Status {
    // SAFETY: the caller's contract.
    unsafe { inflight("icp_sal_SymGetInflightRequests", handle, max, num) }
}

/// `icp_sal_AsymGetInflightRequests`.
///
/// # Safety
/// Pointers NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn icp_sal_AsymGetInflightRequests(
    handle: CpaInstanceHandle,
    max: *mut u32,
    num: *mut u32,
) -> Status {
    // SAFETY: the caller's contract.
    unsafe { inflight("icp_sal_AsymGetInflightRequests", handle, max, num) }
}

/// `icp_sal_dp_SymGetInflightRequests`.
///
/// # Safety
/// Pointers NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn icp_sal_dp_SymGetInflightRequests(
    handle: CpaInstanceHandle,
    max: *mut u32,
    num: *mut u32,
) -> Status {
    // SAFETY: the caller's contract.
    unsafe { inflight("icp_sal_dp_SymGetInflightRequests", handle, max, num) }
}
