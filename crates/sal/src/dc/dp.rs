//! The data-plane API of the compression service (`cpa_dc_dp.h`).
//!
//! Lower cost per request than the traditional API, with its constraints
//! (Programmer's Guide §5.1.2.2): one thread per instance, asynchronous only,
//! a single callback per instance, requests queued with
//! [`dp_enqueue`](crate::DcInstance::dp_enqueue) and sent in a batch with
//! `perform_now` (one doorbell for many requests), and overflow is an error.

use std::sync::Arc;

use crate::dc::{DcResults, DcSession};
use crate::dma::DmaBuf;
use crate::error::CpaStatus;

/// One data-plane request (`CpaDcDpOpData`).
#[derive(Debug)]
pub struct DpOp {
    /// A session from `init_dp_session`.
    pub session: DcSession,
    /// True to compress, false to decompress (`sessDirection`).
    pub compress: bool,
    /// Source buffer.
    pub src: DmaBuf,
    /// Destination buffer.
    pub dst: DmaBuf,
    /// `pCallbackTag`.
    pub tag: u64,
    /// `compressAndVerify`.
    pub compress_and_verify: bool,
    /// `compressAndVerifyAndRecover`.
    pub compress_and_verify_and_recover: bool,
}

impl DpOp {
    /// A compression request with verify and recover on.
    pub fn compress(session: &DcSession, src: DmaBuf, dst: DmaBuf, tag: u64) -> DpOp {
        DpOp {
            session: session.clone(),
            compress: true,
            src,
            dst,
            tag,
            compress_and_verify: true,
            compress_and_verify_and_recover: true,
        }
    }

    /// A decompression request.
    pub fn decompress(session: &DcSession, src: DmaBuf, dst: DmaBuf, tag: u64) -> DpOp {
        DpOp {
            session: session.clone(),
            compress: false,
            src,
            dst,
            tag,
            compress_and_verify: false,
            compress_and_verify_and_recover: false,
        }
    }
}

/// A completed data-plane request, handed to the instance's DP callback.
#[derive(Debug)]
pub struct DpCompletion {
    /// `pCallbackTag`.
    pub tag: u64,
    /// `responseStatus`.
    pub status: CpaStatus,
    /// `results`.
    pub results: DcResults,
    /// The source buffer, returned.
    pub src: DmaBuf,
    /// The destination buffer, returned.
    pub dst: DmaBuf,
}

/// The data-plane callback of an instance (`CpaDcDpCallbackFn`).
pub type DpCallback = Arc<dyn Fn(DpCompletion) + Send + Sync>;
