//! The data-plane API of the symmetric service (`cpa_cy_sym_dp.h`).
//!
//! As for compression (Programmer's Guide §5.1.2.2): one thread per
//! instance, asynchronous only, one callback per instance, requests queued
//! with [`CyInstance::sym_dp_enqueue`] and sent together with `perform_now`
//! (one doorbell for a batch). Data-plane sessions are stateless (FULL
//! packets only). Every buffer — source, destination, AAD and digest — is
//! DMA memory, as `CpaCySymDpOpData` names them by physical address.

use std::sync::Arc;

use super::instance::CyInstance;
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
        // A refused batch counts every one of its requests as refused.
        if let Err(e) = self.check_batch(ops) {
            for _ in 0..ops.len() {
                self.count_refused();
            }
            return Err(e);
        }
        // Every descriptor is checked before any is queued: all or nothing.
        // Batches up to BATCH keep the descriptors built for the check.
        const BATCH: usize = 32;
        let mut descs = [bytemuck::Zeroable::zeroed(); BATCH];
        let kept = ops.len() <= BATCH;
        for (i, op) in ops.iter().enumerate() {
            match self.dp_desc(op) {
                Ok(d) if kept => descs[i] = d,
                Ok(_) => {}
                Err(e) => {
                    for _ in 0..ops.len() {
                        self.count_refused();
                    }
                    return Err(e);
                }
            }
        }
        for (i, op) in ops.drain(..).enumerate() {
            let desc = if kept { descs[i] } else { self.dp_desc(&op)? };
            if self.dp_stage(&desc, op).is_err() {
                // Room was checked above and DP is single-threaded per
                // instance: only a caller breaking that rule gets here.
                return Err(self.ring_full());
            }
        }
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
