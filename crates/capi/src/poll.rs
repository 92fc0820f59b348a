//! `icp_sal_poll.h`: polling instances and banks, epoll descriptors, device
//! checks.
//!
//! A quota of 0 drains everything waiting; a poll that finds nothing
//! returns `CPA_STATUS_RETRY`, as qatlib's does.

use std::ffi::c_int;

use softqat_sal::{CyInstance, DcInstance};

use crate::abi::CpaInstanceHandle;
use crate::ffi::{arg_mut, entry, Error, Result, Status};
use crate::runtime::{with_instance, with_qat};

fn polled(r: Result<u32>) -> Result<()> {
    r.map(|_| ())
}

/// `icp_sal_DcPollInstance(instanceHandle, response_quota)`.
#[no_mangle]
pub extern "C" fn icp_sal_DcPollInstance(handle: CpaInstanceHandle, quota: u32) -> Status {
    entry("icp_sal_DcPollInstance", || {
        with_instance::<DcInstance, _>(handle, |d| polled(d.poll(quota)))
    })
}

/// `icp_sal_DcPollDpInstance(dcInstHandle, response_quota)`.
#[no_mangle]
pub extern "C" fn icp_sal_DcPollDpInstance(handle: CpaInstanceHandle, quota: u32) -> Status {
    entry("icp_sal_DcPollDpInstance", || {
        with_instance::<DcInstance, _>(handle, |d| polled(d.dp_poll(quota)))
    })
}

/// `icp_sal_CyPollInstance(instanceHandle, response_quota)`: both rings of
/// the instance (symmetric and asymmetric).
#[no_mangle]
pub extern "C" fn icp_sal_CyPollInstance(handle: CpaInstanceHandle, quota: u32) -> Status {
    entry("icp_sal_CyPollInstance", || {
        with_instance::<CyInstance, _>(handle, |c| polled(c.poll(quota)))
    })
}

/// `icp_sal_CyPollSymRing(instanceHandle, response_quota)`.
#[no_mangle]
pub extern "C" fn icp_sal_CyPollSymRing(handle: CpaInstanceHandle, quota: u32) -> Status {
    entry("icp_sal_CyPollSymRing", || {
        with_instance::<CyInstance, _>(handle, |c| polled(c.poll(quota)))
    })
}

/// `icp_sal_CyPollAsymRing(instanceHandle, response_quota)`.
#[no_mangle]
pub extern "C" fn icp_sal_CyPollAsymRing(handle: CpaInstanceHandle, quota: u32) -> Status {
    entry("icp_sal_CyPollAsymRing", || {
        with_instance::<CyInstance, _>(handle, |c| polled(c.poll(quota)))
    })
}

/// `icp_sal_CyPollDpInstance(instanceHandle, response_quota)`.
#[no_mangle]
pub extern "C" fn icp_sal_CyPollDpInstance(handle: CpaInstanceHandle, quota: u32) -> Status {
    entry("icp_sal_CyPollDpInstance", || {
        with_instance::<CyInstance, _>(handle, |c| polled(c.dp_poll(quota)))
    })
}

/// `icp_sal_pollBank(accelId, bank_number, response_quota)`.
#[no_mangle]
pub extern "C" fn icp_sal_pollBank(accel_id: u32, bank: u32, quota: u32) -> Status {
    entry("icp_sal_pollBank", || {
        with_qat(|q| polled(q.poll_bank(accel_id, bank, quota)))
    })
}

/// `icp_sal_pollAllBanks(accelId, response_quota)`.
#[no_mangle]
pub extern "C" fn icp_sal_pollAllBanks(accel_id: u32, quota: u32) -> Status {
    entry("icp_sal_pollAllBanks", || {
        with_qat(|q| polled(q.poll_all_banks(accel_id, quota)))
    })
}

/// `icp_sal_DcGetFileDescriptor(instanceHandle, fd)`: a descriptor that
/// becomes readable when the instance has responses (epoll instances).
///
/// # Safety
/// `fd` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn icp_sal_DcGetFileDescriptor(
    handle: CpaInstanceHandle,
    fd: *mut c_int,
) -> Status {
    entry("icp_sal_DcGetFileDescriptor", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(fd, "fd is NULL") }?;
        *out = with_instance::<DcInstance, _>(handle, |d| d.file_descriptor())?;
        Ok(())
    })
}

/// `icp_sal_DcPutFileDescriptor(instanceHandle, fd)`.
#[no_mangle]
pub extern "C" fn icp_sal_DcPutFileDescriptor(handle: CpaInstanceHandle, _fd: c_int) -> Status {
    entry("icp_sal_DcPutFileDescriptor", || {
        with_instance::<DcInstance, _>(handle, |d| d.put_file_descriptor())
    })
}

/// `icp_sal_CyGetFileDescriptor(instanceHandle, fd)`.
///
/// # Safety
/// `fd` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn icp_sal_CyGetFileDescriptor(
    handle: CpaInstanceHandle,
    fd: *mut c_int,
) -> Status {
    entry("icp_sal_CyGetFileDescriptor", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(fd, "fd is NULL") }?;
        *out = with_instance::<CyInstance, _>(handle, |c| c.file_descriptor())?;
        Ok(())
    })
}

/// `icp_sal_CyPutFileDescriptor(instanceHandle, fd)`.
#[no_mangle]
pub extern "C" fn icp_sal_CyPutFileDescriptor(handle: CpaInstanceHandle, _fd: c_int) -> Status {
    entry("icp_sal_CyPutFileDescriptor", || {
        with_instance::<CyInstance, _>(handle, |c| c.put_file_descriptor())
    })
}

/// `icp_sal_poll_device_events`: endpoint events reach the notification
/// callbacks as they happen (from the endpoint's event thread), so there is
/// nothing left to collect; SUCCESS.
#[no_mangle]
pub extern "C" fn icp_sal_poll_device_events() -> Status {
    entry("icp_sal_poll_device_events", || Ok(()))
}

/// `icp_sal_check_device(accelId)`: SUCCESS if the endpoint is up, FAIL if
/// it is down, restarting or in error.
#[no_mangle]
pub extern "C" fn icp_sal_check_device(accel_id: u32) -> Status {
    entry("icp_sal_check_device", || {
        with_qat(|q| {
            let ep = q
                .endpoints()
                .iter()
                .find(|e| e.info().id == accel_id)
                .ok_or_else(|| {
                    Error::invalid(format!("no endpoint {accel_id} in this process's section"))
                })?;
            if ep.is_up() {
                Ok(())
            } else {
                Err(Error::fail(format!(
                    "endpoint {accel_id} is {:?}: wait for it to restart or reset it",
                    ep.state()
                )))
            }
        })
    })
}

/// `icp_sal_check_all_devices`: SUCCESS if every endpoint is up.
#[no_mangle]
pub extern "C" fn icp_sal_check_all_devices() -> Status {
    entry("icp_sal_check_all_devices", || {
        with_qat(|q| match q.endpoints().iter().find(|e| !e.is_up()) {
            None => Ok(()),
            Some(e) => Err(Error::fail(format!(
                "endpoint {} is {:?}",
                e.info().id,
                e.state()
            ))),
        })
    })
}
