//! `cpa_dev.h`, `icp_sal_versions.h`, `icp_sal.h` and the device calls of
//! `icp_sal_user.h`: devices (softqat's endpoints), versions, reset and
//! error simulation.

use softqat_config::DeviceClass;
use softqat_sal::{DcStatus, EndpointLink};

use crate::ffi::{arg_mut, boolean, c_string, entry, entry_value, Error, Result, Status};
use crate::runtime::with_qat;

/// `CpaDeviceInfo`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaDeviceInfo {
    /// `sku` (`CpaDeviceSku`... softqat reports 0).
    pub sku: u32,
    /// `bdf`: bus << 8 | device << 3 | function.
    pub bdf: u16,
    /// `deviceId`: the PCI device id of the endpoint's class.
    pub device_id: u32,
    /// `numaNode`.
    pub numa_node: u32,
    /// `isVf`.
    pub is_vf: u32,
    /// `dcEnabled`.
    pub dc_enabled: u32,
    /// `cySymEnabled`.
    pub cy_sym_enabled: u32,
    /// `cyAsymEnabled`.
    pub cy_asym_enabled: u32,
    /// `inlineEnabled`.
    pub inline_enabled: u32,
    /// `deviceMemorySizeAvailable`.
    pub device_memory_size_available: u32,
}

/// `icp_sal_dev_version_info_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct IcpSalDevVersionInfo {
    /// `devId`.
    pub dev_id: u32,
    /// `firmwareVersion`.
    pub firmware_version: [u8; 16],
    /// `mmpVersion`.
    pub mmp_version: [u8; 16],
    /// `softwareVersion`.
    pub software_version: [u8; 16],
    /// `hardwareVersion`.
    pub hardware_version: [u8; 4],
}

/// `bus:device.function` of a PCI address `dddd:bb:dd.f` as a 16-bit BDF.
fn bdf(addr: &str) -> u16 {
    let mut parts = addr.rsplit(':');
    let devfn = parts.next().unwrap_or("0.0");
    let bus = parts
        .next()
        .and_then(|b| u16::from_str_radix(b, 16).ok())
        .unwrap_or(0);
    let (dev, func) = devfn.split_once('.').unwrap_or((devfn, "0"));
    let dev = u16::from_str_radix(dev, 16).unwrap_or(0);
    let func = u16::from_str_radix(func, 16).unwrap_or(0);
    (bus << 8) | ((dev & 0x1f) << 3) | (func & 7)
}

/// The endpoint numbered `id` of the running section.
fn endpoint<R>(id: u32, f: impl FnOnce(&dyn EndpointLink) -> Result<R>) -> Result<R> {
    with_qat(|q| {
        let ep = q
            .endpoints()
            .iter()
            .find(|e| e.info().id == id)
            .ok_or_else(|| Error::invalid(format!("no device {id} in this process's section")))?;
        f(ep.as_ref())
    })
}

/// `cpaGetNumDevices(numDevices)`: the endpoints of the running section.
///
/// # Safety
/// `n` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaGetNumDevices(n: *mut u16) -> Status {
    entry("cpaGetNumDevices", || {
        // SAFETY: the caller's contract.
        let n = unsafe { arg_mut(n, "numDevices is NULL") }?;
        *n = with_qat(|q| Ok(q.endpoints().len() as u16))?;
        Ok(())
    })
}

/// `cpaGetDeviceInfo(device, deviceInfo)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaGetDeviceInfo(device: u16, out: *mut CpaDeviceInfo) -> Status {
    entry("cpaGetDeviceInfo", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "deviceInfo is NULL") }?;
        with_qat(|q| {
            let ep = q.endpoints().get(device as usize).ok_or_else(|| {
                Error::invalid(format!(
                    "device {device} does not exist: cpaGetNumDevices gives {}",
                    q.endpoints().len()
                ))
            })?;
            let info = ep.info();
            let (class, is_vf) = DeviceClass::by_type_name(&info.class_name)
                .ok_or_else(|| Error::fail(format!("unknown device class {}", info.class_name)))?;
            let services: Vec<&str> = info.services.split(';').collect();
            *out = CpaDeviceInfo {
                sku: 0,
                bdf: bdf(&info.bdf),
                device_id: u32::from(if is_vf {
                    class.vf_device_id
                } else {
                    class.pf_device_id
                }),
                numa_node: 0,
                is_vf: boolean(is_vf),
                dc_enabled: boolean(services.contains(&"dc")),
                cy_sym_enabled: boolean(services.iter().any(|s| *s == "sym" || *s == "cy")),
                cy_asym_enabled: boolean(services.iter().any(|s| *s == "asym" || *s == "cy")),
                inline_enabled: 0,
                device_memory_size_available: 0,
            };
            Ok(())
        })
    })
}

/// `icp_sal_getDevVersionInfo(accelId, pVerInfo)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn icp_sal_getDevVersionInfo(
    accel_id: u32,
    out: *mut IcpSalDevVersionInfo,
) -> Status {
    entry("icp_sal_getDevVersionInfo", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pVerInfo is NULL") }?;
        endpoint(accel_id, |_| {
            out.dev_id = accel_id;
            c_string(&mut out.firmware_version, "softqat");
            c_string(&mut out.mmp_version, "softqat");
            c_string(&mut out.software_version, env!("CARGO_PKG_VERSION"));
            c_string(&mut out.hardware_version, "0");
            Ok(())
        })
    })
}

/// `icp_sal_reset_device(accelId)`: a function-level reset of the endpoint
/// (instances see RESTARTING, then RESTARTED).
#[no_mangle]
pub extern "C" fn icp_sal_reset_device(accel_id: u32) -> Status {
    entry("icp_sal_reset_device", || endpoint(accel_id, |e| e.reset()))
}

/// `icp_sal_dc_simulate_error(numErrors, dcError)`: the next `numErrors`
/// compression requests of this process fail with `dcError`.
#[no_mangle]
pub extern "C" fn icp_sal_dc_simulate_error(n: u8, dc_error: i8) -> Status {
    entry("icp_sal_dc_simulate_error", || {
        let s = DcStatus::from_value(dc_error)
            .ok_or_else(|| Error::invalid(format!("dcError {dc_error} is not a CpaDcReqStatus")))?;
        softqat_sal::dc_simulate_error(n, s)
    })
}

/// `icp_sal_cnv_simulate_error(dcInstance, pSessionHandle)`: the next
/// compress-and-verify request fails its verification (and recovers when
/// the request asks for recovery). softqat's injection is process-wide, as
/// `icp_sal_dc_simulate_error`'s: the next compression request of the
/// process gets it, whichever session it is on.
///
/// # Safety
/// `sess` is NULL or session memory.
#[no_mangle]
pub unsafe extern "C" fn icp_sal_cnv_simulate_error(
    handle: crate::abi::CpaInstanceHandle,
    sess: crate::abi::dc::CpaDcSessionHandle,
) -> Status {
    entry("icp_sal_cnv_simulate_error", || {
        // SAFETY: the caller's contract.
        unsafe { crate::dc::session(sess, crate::dc::DC_SESSION_MAGIC) }?;
        crate::runtime::with_instance::<softqat_sal::DcInstance, _>(handle, |_| Ok(()))?;
        softqat_sal::dc_simulate_error(1, DcStatus::VerifyError)
    })
}

/// `icp_sal_get_dc_error(dcError)`: how many requests failed with `dcError`.
#[no_mangle]
pub extern "C" fn icp_sal_get_dc_error(dc_error: i8) -> u64 {
    entry_value("icp_sal_get_dc_error", 0, || {
        Ok(DcStatus::from_value(dc_error).map_or(0, softqat_sal::get_dc_error))
    })
}
