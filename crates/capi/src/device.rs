//! `cpa_dev.h`, `icp_sal_versions.h`, `icp_sal.h` and the device calls of
//! `icp_sal_user.h`: devices (softqat's endpoints), versions, heartbeat
//! checks, reset, fault injection and error simulation.

use softqat_config::DeviceClass;
use softqat_sal::{DcStatus, EndpointLink, Fault, HeartbeatStatus};

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

/// What a heartbeat check of `ep` found, as the C calls report it: SUCCESS
/// only when the device is alive.
fn heartbeat(ep: &dyn EndpointLink) -> Result<()> {
    let id = ep.info().id;
    match ep.check_heartbeat()? {
        HeartbeatStatus::Alive => Ok(()),
        HeartbeatStatus::TooSoon => {
            let period = ep
                .ras_policy()
                .map(|p| format!(" ({} ms)", p.heartbeat_period.as_millis()))
                .unwrap_or_default();
            Err(Error::fail(format!(
                "qat_dev{id}: checked sooner than the heartbeat period{period} after the \
                 previous check; not counted: check again once the period has passed"
            )))
        }
        HeartbeatStatus::Resetting => Err(Error::fail(format!(
            "qat_dev{id}: a reset is in progress: check again after the RESTARTED event \
             (icp_sal_poll_device_events delivers it)"
        ))),
        HeartbeatStatus::Unresponsive => Err(Error::fail(format!(
            "qat_dev{id} is unresponsive (heartbeat failed, or the endpoint is {}): reset it \
             (icp_sal_reset_device) unless AutoResetOnError resets it by itself",
            ep.state()
        ))),
    }
}

/// `icp_sal_check_device(packageId)`: a heartbeat check of the endpoint,
/// computed from its engines' counters as the kernel computes it. SUCCESS
/// only when it is alive; FAIL when it is unresponsive (a failed check also
/// runs the fatal-error path: FATAL_ERROR to its instances, dummy responses,
/// and the automatic reset if AutoResetOnError is set), when a reset is in
/// progress, and when the check came sooner than the heartbeat period after
/// the previous one (not counted).
#[no_mangle]
pub extern "C" fn icp_sal_check_device(accel_id: u32) -> Status {
    entry("icp_sal_check_device", || endpoint(accel_id, heartbeat))
}

/// `icp_sal_check_all_devices()`: [`icp_sal_check_device`] on every endpoint
/// of this process; FAIL if any check fails (every endpoint is checked all
/// the same, so each failure runs its fatal-error path).
#[no_mangle]
pub extern "C" fn icp_sal_check_all_devices() -> Status {
    entry("icp_sal_check_all_devices", || {
        with_qat(|q| {
            let mut failed: Vec<String> = Vec::new();
            for ep in q.endpoints() {
                if let Err(e) = heartbeat(ep.as_ref()) {
                    failed.push(e.message.into_owned());
                }
            }
            if failed.is_empty() {
                Ok(())
            } else {
                Err(Error::fail(failed.join("; ")))
            }
        })
    })
}

/// `icp_sal_heartbeat_simulate_failure(packageId)`: the next counted
/// heartbeat check of the endpoint fails it (as the kernel's
/// `heartbeat_sim_fail`), with everything a real failure brings.
#[no_mangle]
pub extern "C" fn icp_sal_heartbeat_simulate_failure(accel_id: u32) -> Status {
    entry("icp_sal_heartbeat_simulate_failure", || {
        endpoint(accel_id, |e| e.inject(Fault::HeartbeatFailure))
    })
}

/// `icp_sal_reset_device(accelId)`: starts a reset of the endpoint and
/// returns at once (instances see RESTARTING, then RESTARTED, through
/// icp_sal_poll_device_events; icp_sal_check_device reports the reset in
/// progress meanwhile). Refused with RETRY while a reset is pending or
/// running.
#[no_mangle]
pub extern "C" fn icp_sal_reset_device(accel_id: u32) -> Status {
    entry("icp_sal_reset_device", || {
        endpoint(accel_id, |e| e.reset_async())
    })
}

/// `icp_sal_find_new_devices()`: SUCCESS. A section's instances are made
/// from the configuration, on every endpoint it names, whatever state the
/// endpoint is in when the process starts: instances on an endpoint that is
/// down are refused with RESTARTING until it comes up (`adf_ctl up`,
/// `softqat up`), and serve requests from then on with no further call. So
/// there is nothing to find; the call exists for programs written for
/// qatlib.
#[no_mangle]
pub extern "C" fn icp_sal_find_new_devices() -> Status {
    entry("icp_sal_find_new_devices", || with_qat(|_| Ok(())))
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
