//! The data-plane API of the symmetric service (`cpa_cy_sym_dp.h`).
//!
//! As for compression (Programmer's Guide §5.1.2.2): one thread per
//! instance, asynchronous only, one callback per instance, requests queued
//! with [`CyInstance::sym_dp_enqueue`] and sent together with `perform_now`
//! (one doorbell for a batch). Data-plane sessions are stateless (FULL
//! packets only). Every buffer — source, destination, AAD and digest — is
//! DMA memory, as `CpaCySymDpOpData` names them by physical address.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::instance::{CyCookie, CyInstance};
use super::{SymRequest, SymResults, SymSession};
use crate::dma::DmaBuf;
use crate::error::{CpaStatus, Error};

/// One data-plane request (`CpaCySymDpOpData`).
#[derive(Debug)]
pub struct SymDpOp {
    /// A session from `init_sym_dp_session`.
    pub session: SymSession,
    /// IV, regions, AAD and digest (`packet` is ignored: always FULL).
    pub request: SymRequest,
    /// `srcBuffer`.
    pub src: DmaBuf,
    /// `dstBuffer`; `None` is in place.
    pub dst: Option<DmaBuf>,
    /// `pCallbackTag`.
    pub tag: u64,
}

/// What the data-plane callback gets (`CpaCySymDpCbFunc`).
#[derive(Debug)]
pub struct SymDpCompletion {
    /// The op's tag.
    pub tag: u64,
    /// `status`.
    pub status: CpaStatus,
    /// `verifyResult`.
    pub results: SymResults,
    /// The op, given back with its buffers.
    pub op: SymDpOp,
}

/// The data-plane callback of an instance.
pub type SymDpCallback = Arc<dyn Fn(SymDpCompletion) + Send + Sync>;

impl CyInstance {
    /// `cpaCySymDpEnqueueOp`: queues `op`; with `perform_now` the queue is
    /// sent. On refusal the op comes back with the error.
    #[allow(clippy::result_large_err)]
    pub fn sym_dp_enqueue(
        &self,
        op: SymDpOp,
        perform_now: bool,
    ) -> std::result::Result<(), (Error, SymDpOp)> {
        if !self.has_dp_callback() {
            self.count_refused();
            return Err((
                Error::invalid("no data-plane callback: call sym_dp_register_callback first"),
                op,
            ));
        }
        let desc = match self.dp_desc(&op) {
            Ok(d) => d,
            Err(e) => {
                self.count_refused();
                return Err((e, op));
            }
        };
        if let Err(op) = self.dp_stage(&desc, op) {
            return Err((self.ring_full(), op));
        }
        if perform_now {
            self.sym_dp_perform_now();
        }
        Ok(())
    }

    /// `cpaCySymDpEnqueueOpBatch`: queues all of `ops` (drained from the
    /// vector, which the caller may reuse) or none of them (RETRY when the
    /// ring has no room for all; the error of the first bad op otherwise).
    pub fn sym_dp_enqueue_batch(
        &self,
        ops: &mut Vec<SymDpOp>,
        perform_now: bool,
    ) -> std::result::Result<(), Error> {
        let total = ops.len();
        // A refused batch counts every one of its requests as refused.
        let refuse = |e: Error| {
            self.count_refused_many(total);
            Err(e)
        };
        if let Err(e) = self.check_batch(ops) {
            return refuse(e);
        }
        // Every descriptor is checked before any is queued: all or nothing.
        // The first BATCH keep the descriptors built for the check.
        const BATCH: usize = 32;
        let mut descs = [bytemuck::Zeroable::zeroed(); BATCH];
        for (i, op) in ops.iter().enumerate() {
            match self.dp_desc(op) {
                Ok(d) if i < BATCH => descs[i] = d,
                Ok(_) => {}
                Err(e) => return refuse(e),
            }
        }
        // Counted in flight before any slot is written: a locked add after
        // a slot's stores would wait for them (see `RingProducer::stage_many`).
        for op in ops.iter() {
            op.session.inner.in_flight.fetch_add(1, Ordering::AcqRel);
        }
        let mut queue = ops.drain(..);
        let mut staged = 0;
        while staged < total {
            let k = (total - staged).min(BATCH);
            // Past the first BATCH the descriptors are built again (checked
            // above, they fail only if a session changed meanwhile).
            let rebuilt = if staged > 0 {
                descs
                    .iter_mut()
                    .zip(queue.as_slice())
                    .try_for_each(|(d, op)| self.dp_desc(op).map(|nd| *d = nd))
            } else {
                Ok(())
            };
            let failure = match rebuilt {
                Err(e) => Some(e),
                Ok(()) => {
                    let items = descs[..k].iter().copied().zip(queue.by_ref().take(k));
                    // Room was checked above and DP is single-threaded per
                    // instance: only a caller breaking that rule is refused.
                    (!self
                        .inner
                        .core
                        .stage_many(items.map(|(d, op)| (d, CyCookie::Dp(op)))))
                    .then(|| self.ring_full())
                }
            };
            if let Some(e) = failure {
                // What is not queued is not in flight, and is refused.
                for op in queue.as_slice() {
                    op.session.inner.in_flight.fetch_sub(1, Ordering::AcqRel);
                }
                self.count_refused_many(total - staged);
                return Err(e);
            }
            self.inner.stats.requests.submitted_many(true, k as u64);
            staged += k;
        }
        drop(queue);
        if perform_now {
            self.sym_dp_perform_now();
        }
        Ok(())
    }

    /// What refuses a whole batch before its requests are looked at.
    fn check_batch(&self, ops: &[SymDpOp]) -> std::result::Result<(), Error> {
        if ops.len() as u64 > u64::from(self.room()) {
            return Err(self.ring_full());
        }
        if !self.has_dp_callback() {
            return Err(Error::invalid(
                "no data-plane callback: call sym_dp_register_callback first",
            ));
        }
        Ok(())
    }
}
