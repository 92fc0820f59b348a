//! The public-key half of a crypto instance: its asym ring pair, with the
//! synchronous and asynchronous calls and the per-function counters.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use softqat_device::desc::{
    AsymFunction, AsymRequestParams, AsymResponseResults, RequestDesc, ResponseDesc, ServiceId,
};

use super::{AsymCallback, AsymCompletion, AsymOp, AsymRejected, AsymResults, CyCapabilities};
use crate::error::{CpaStatus, Error, Result};
use crate::instance::{CallError, InstanceCore, RequestCounters};
use crate::sym::instance::{CyCookie, CyInstance};

/// What the public-key service keeps per asynchronous request.
pub(crate) struct AsymCookie {
    tag: u64,
    op: AsymOp,
    callback: AsymCallback,
}

/// The public-key service's counters, per function.
pub(crate) struct AsymCounters {
    requests: [RequestCounters; AsymFunction::ALL.len()],
    /// Successful completions whose outcome was false.
    outcome_false: [AtomicU64; AsymFunction::ALL.len()],
}

impl Default for AsymCounters {
    fn default() -> AsymCounters {
        AsymCounters {
            requests: std::array::from_fn(|_| RequestCounters::default()),
            outcome_false: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
}

impl AsymCounters {
    fn of(&self, f: AsymFunction) -> &RequestCounters {
        &self.requests[f as usize - 1]
    }

    /// Counts a response and reads its results.
    fn results(&self, resp: &ResponseDesc, f: AsymFunction) -> AsymResults {
        let status = CpaStatus::from_code(i32::from(resp.cpa_status));
        let r: AsymResponseResults = resp.result();
        self.of(f).completed(status == CpaStatus::Success);
        let outcome = r.outcome != 0;
        if status == CpaStatus::Success && !outcome {
            self.outcome_false[f as usize - 1].fetch_add(1, Ordering::Relaxed);
        }
        AsymResults { status, outcome }
    }
}

/// Per-function request counters of the public-key service (the
/// `num…Requests`, `…RequestErrors`, `…Completed`, `…CompletedErrors`
/// fields of the `CpaCy…Stats64` structures).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AsymStats {
    /// Requests accepted.
    pub requests: u64,
    /// Requests refused at submission.
    pub request_errors: u64,
    /// Requests completed successfully.
    pub completed: u64,
    /// Requests completed with an error.
    pub completed_errors: u64,
    /// Requests completed successfully with a false outcome: the
    /// `…VerifyFailures`, `…CompletedOutputInvalid`, `numPrimeTestFailures`
    /// and protocol-status counters.
    pub outcome_false: u64,
}

fn descriptor(op: &AsymOp) -> RequestDesc {
    let sig = op.function.signature();
    let mut desc: RequestDesc = bytemuck::Zeroable::zeroed();
    desc.header.service = ServiceId::Asym as u8;
    desc.header.command = op.function as u8;
    let d = op.buf.desc();
    desc.src = d;
    desc.dst = d;
    desc.set_params(&AsymRequestParams {
        n_in: sig.inputs,
        n_out: sig.outputs,
        args: op.args,
        ..AsymRequestParams::default()
    });
    desc
}

impl CyInstance {
    fn asym_half(&self) -> Result<&InstanceCore<CyCookie>> {
        self.inner.asym_core().ok_or_else(|| {
            Error::unsupported(format!(
                "{} has no public-key ring pair: its endpoint does not enable asym \
                 (ServicesEnabled)",
                self.inner.core.info.inst_id
            ))
        })
    }

    /// Whether the instance runs the public-key service.
    pub fn has_asym(&self) -> bool {
        self.inner.asym_core().is_some()
    }

    /// Whether the instance runs the symmetric service.
    pub fn has_sym(&self) -> bool {
        self.inner.has_sym
    }

    /// Delivers a public-key completion to its callback.
    pub(crate) fn complete_asym(&self, resp: ResponseDesc, c: AsymCookie) {
        let results = self.inner.asym_counters.results(&resp, c.op.function);
        (c.callback)(AsymCompletion {
            tag: c.tag,
            results,
            op: c.op,
        });
    }

    /// `cpaCyQueryCapabilities`.
    pub fn capabilities(&self) -> CyCapabilities {
        CyCapabilities::for_class(self.inner.class, self.has_sym(), self.has_asym())
    }

    /// The asym half, if `f` is offered and the instance ready; the refusal
    /// is counted.
    fn asym_ready(&self, f: AsymFunction) -> Result<&InstanceCore<CyCookie>> {
        let half = self.asym_half()?;
        let r = if self.capabilities().offers(f) {
            self.inner.core.check_ready()
        } else {
            Err(Error::unsupported(format!(
                "{f:?} is not offered by {} endpoints (see cpaCyQueryCapabilities; DH and DSA \
                 need SOFTQAT_LEGACY_ALGORITHMS=1 on gen4)",
                self.inner.class.name
            )))
        };
        if let Err(e) = r {
            self.inner.asym_counters.of(f).submitted(false);
            return Err(e);
        }
        Ok(half)
    }

    /// Runs `op` synchronously (the CPA call with a NULL callback): its
    /// outputs are in `op` after a successful return. Completions of other
    /// requests on the instance are delivered while it waits.
    pub fn asym_perform(&self, op: &mut AsymOp) -> Result<AsymResults> {
        let f = op.function;
        let half = self.asym_ready(f)?;
        let desc = descriptor(op);
        let counters = &self.inner.asym_counters;
        match half.call(&desc, &|resp, c| self.complete(resp, c)) {
            Ok(resp) => {
                counters.of(f).submitted(true);
                let r = counters.results(&resp, f);
                if resp.is_dummy() {
                    return Err(Error::fail(crate::instance::DUMMY_RESPONSE));
                }
                if r.status != CpaStatus::Success {
                    let why = match op.reason() {
                        "" => "check its numbers against the CPA API".to_string(),
                        why => why.to_string(),
                    };
                    return Err(Error::new(r.status, format!("{f:?}: {why}")));
                }
                Ok(r)
            }
            Err(CallError::Full) => {
                counters.of(f).submitted(false);
                Err(half.ring_full())
            }
            Err(CallError::Lost) => {
                counters.of(f).submitted(true);
                Err(Error::fail(
                    "softqatd went away with the request in flight: restart it",
                ))
            }
        }
    }

    /// Submits `op` asynchronously: `callback` gets it back with its results
    /// from a poll of the instance. A refused request comes back in the
    /// error.
    #[allow(clippy::result_large_err)]
    pub fn asym_submit(
        &self,
        op: AsymOp,
        tag: u64,
        callback: &AsymCallback,
    ) -> std::result::Result<(), AsymRejected> {
        let f = op.function;
        let half = match self.asym_ready(f) {
            Ok(h) => h,
            Err(error) => return Err(AsymRejected { error, op }),
        };
        let desc = descriptor(&op);
        let cookie = CyCookie::Asym(AsymCookie {
            tag,
            op,
            callback: Arc::clone(callback),
        });
        let counters = self.inner.asym_counters.of(f);
        match half.submit(&desc, cookie) {
            Ok(()) => {
                counters.submitted(true);
                Ok(())
            }
            Err(CyCookie::Asym(c)) => {
                counters.submitted(false);
                Err(AsymRejected {
                    error: half.ring_full(),
                    op: c.op,
                })
            }
            Err(_) => unreachable!("submit returns the cookie it was given"),
        }
    }

    /// The counters of public-key function `f`.
    pub fn asym_stats(&self, f: AsymFunction) -> Result<AsymStats> {
        self.asym_half()?;
        let c = &self.inner.asym_counters;
        let (requests, request_errors, completed, completed_errors) = c.of(f).snapshot();
        Ok(AsymStats {
            requests,
            request_errors,
            completed,
            completed_errors,
            outcome_false: c.outcome_false[f as usize - 1].load(Ordering::Relaxed),
        })
    }
}
