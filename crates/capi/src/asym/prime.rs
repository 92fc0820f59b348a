//! `cpa_cy_prime.h`: probabilistic primality test, statistics.

use std::ffi::c_void;

use softqat_sal::{AsymOp, CyInstance};

use super::{num, op_data, opt, run, Callback, Request};
use crate::abi::asym::{
    CpaCyPrimeStats, CpaCyPrimeStats64, CpaCyPrimeTestCbFunc, CpaCyPrimeTestOpData,
};
use crate::abi::CpaInstanceHandle;
use crate::ffi::{arg_mut, entry, CpaBoolean, Status};
use crate::runtime::with_instance;

/// `cpaCyPrimeTest(instanceHandle, pCb, pCallbackTag, pOpData,
/// pTestPassed)`: the requested tests (GCD, Fermat, Miller-Rabin with the
/// caller's witnesses, Lucas); `pTestPassed` says whether all passed.
///
/// # Safety
/// CPA contract: valid pointers; for an asynchronous call they stay valid
/// until the callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaCyPrimeTest(
    handle: CpaInstanceHandle,
    cb: CpaCyPrimeTestCbFunc,
    tag: *mut c_void,
    op: *const CpaCyPrimeTestOpData,
    passed: *mut CpaBoolean,
) -> Status {
    entry("cpaCyPrimeTest", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pOpData is NULL") }?;
        let cand = unsafe { num(&d.prime_candidate, "pOpData->primeCandidate") }?;
        let mr = unsafe {
            opt(
                &d.miller_rabin_random_input,
                "pOpData->millerRabinRandomInput",
            )
        }?;
        let req = Request::new(op).flag(passed, "pTestPassed")?;
        let op = AsymOp::prime_test(
            cand,
            d.perform_gcd_test != 0,
            d.perform_fermat_test != 0,
            d.num_miller_rabin_rounds,
            mr,
            d.perform_lucas_test != 0,
        );
        unsafe { run(handle, req, op, Callback::verify(cb), tag) }
    })
}

/// `cpaCyPrimeQueryStats64(instanceHandle, pPrimeStats)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyPrimeQueryStats64(
    handle: CpaInstanceHandle,
    out: *mut CpaCyPrimeStats64,
) -> Status {
    entry("cpaCyPrimeQueryStats64", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pPrimeStats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.prime_stats())?).into();
        Ok(())
    })
}

/// `cpaCyPrimeQueryStats(instanceHandle, pPrimeStats)` (deprecated,
/// 32-bit).
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyPrimeQueryStats(
    handle: CpaInstanceHandle,
    out: *mut CpaCyPrimeStats,
) -> Status {
    entry("cpaCyPrimeQueryStats", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pPrimeStats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.prime_stats())?).into();
        Ok(())
    })
}
