//! `icp_sal_poll.h`: polling instances and banks, epoll descriptors, device
//! checks.
//!
//! A quota of 0 drains everything waiting; a poll that finds nothing
//! returns `CPA_STATUS_RETRY`, as qatlib's does.

use std::ffi::c_int;

use softqat_sal::{CyInstance, DcInstance};

use crate::abi::CpaInstanceHandle;
use crate::ffi::{arg_mut, entry, Result, Status};
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

/// `icp_sal_poll_device_events`: delivers the device events queued since the
/// last call (FATAL_ERROR, RESTARTING, RESTARTED), in order, to the
/// notification callbacks of this process's instances on each event's
/// endpoint, on the calling thread (see `softqat_sal::poll_device_events`).
/// SUCCESS whether or not there were any.
#[no_mangle]
pub extern "C" fn icp_sal_poll_device_events() -> Status {
    entry("icp_sal_poll_device_events", || {
        // Not under the library's start lock: a callback may call the API.
        softqat_sal::poll_device_events();
        Ok(())
    })
}
