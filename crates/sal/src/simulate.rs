//! Error simulation and error counts of the compression service
//! (`icp_sal_dc_simulate_error`, `icp_sal_get_dc_error`), process-wide as in
//! qatlib.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use softqat_engine::DcStatus;

use crate::error::{Error, Result};

/// Pending simulated errors: count in the high bits, the status code (as u8)
/// in the low byte. 0: none.
static PENDING: AtomicU32 = AtomicU32::new(0);

/// How often each `CpaDcReqStatus` (index = −code) was seen in a response.
static SEEN: [AtomicU64; 128] = [const { AtomicU64::new(0) }; 128];

/// Makes the next `count` compression or decompression requests of the
/// traditional API in this process end with `status` (for compress-and-verify
/// errors, `DcStatus::VerifyError`, the verify step fails and the request
/// recovers or reports the error as its flags ask).
pub fn dc_simulate_error(count: u8, status: DcStatus) -> Result<()> {
    if status == DcStatus::Ok {
        return Err(Error::fail(
            "CPA_DC_OK is not an error to simulate: pass a negative CpaDcReqStatus",
        ));
    }
    let v = if count == 0 {
        0
    } else {
        (u32::from(count) << 8) | u32::from(status.code() as i8 as u8)
    };
    PENDING.store(v, Ordering::SeqCst);
    Ok(())
}

/// Takes one pending simulated error, if any.
pub(crate) fn take_simulated() -> Option<DcStatus> {
    let mut cur = PENDING.load(Ordering::Relaxed);
    loop {
        if cur == 0 {
            return None;
        }
        let count = cur >> 8;
        let code = (cur & 0xff) as u8 as i8;
        let next = if count <= 1 {
            0
        } else {
            ((count - 1) << 8) | (cur & 0xff)
        };
        match PENDING.compare_exchange_weak(cur, next, Ordering::AcqRel, Ordering::Relaxed) {
            Ok(_) => return DcStatus::from_code(i32::from(code)),
            Err(now) => cur = now,
        }
    }
}

/// Counts a response status.
pub(crate) fn record(status: DcStatus) {
    if status != DcStatus::Ok {
        let i = (-status.code()) as usize;
        if let Some(c) = SEEN.get(i) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// How many responses in this process ended with `status`.
pub fn get_dc_error(status: DcStatus) -> u64 {
    SEEN.get((-status.code()).max(0) as usize)
        .map(|c| c.load(Ordering::Relaxed))
        .unwrap_or(0)
}
