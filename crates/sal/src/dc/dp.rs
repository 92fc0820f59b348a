//! The data-plane API of the compression service (`cpa_dc_dp.h`).
//!
//! Lower cost per request than the traditional API, with its constraints
//! (Programmer's Guide §5.1.2.2): one thread per instance, asynchronous only,
//! a single callback per instance, requests queued with
//! [`dp_enqueue`](crate::DcInstance::dp_enqueue) and sent in a batch with
//! `perform_now` (one doorbell for many requests), and overflow is an error.

use std::sync::Arc;

use softqat_device::desc::{DcRequestParams, RequestDesc, DC_PART_READ, DC_ZERO_PAD};

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
    /// A partial read or zero padding (`cpaDcDpEnqueueOpWithPartRead`,
    /// `cpaDcDpEnqueueOpWithZeroPad`); the default for `cpaDcDpEnqueueOp`.
    pub extras: DpExtras,
}

/// `CpaDcDpPartialReadData`: which part of the decompressed data a partial
/// read writes to the destination.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PartialRead {
    /// `bufferOffset`: bytes of the destination to skip before writing.
    /// Only 0 is supported (as the header says).
    pub buffer_offset: u32,
    /// `dataOffset`: offset in the decompressed data of the first byte
    /// written.
    pub data_offset: u32,
    /// `length`: bytes of decompressed data wanted (fewer are written when
    /// the data ends first; `produced` says how many).
    pub length: u32,
}

/// What the data-plane enqueue variants add to a request: a partial read of
/// the decompressed data (decompression of a deflate stream) or zero padding
/// of the compressed output to the next 4 KiB (compression). Both need a
/// class that offers them ([`DcCapabilities::dp_part_read`],
/// [`DcCapabilities::dp_zero_pad`]: QAT 2.0).
///
/// [`DcCapabilities::dp_part_read`]: crate::dc::DcCapabilities::dp_part_read
/// [`DcCapabilities::dp_zero_pad`]: crate::dc::DcCapabilities::dp_zero_pad
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DpExtras {
    /// A partial read.
    pub part_read: Option<PartialRead>,
    /// Zero padding: the destination after the output is zeroed up to the
    /// next multiple of 4 KiB (or its end); `produced` stays the length of
    /// the compressed data.
    pub zero_pad: bool,
}

impl DpExtras {
    /// Puts the extras in a request's parameters.
    pub(crate) fn apply(&self, desc: &mut RequestDesc) {
        let mut p: DcRequestParams = desc.params();
        if let Some(part) = self.part_read {
            p.flags |= DC_PART_READ;
            p.part_offset = part.data_offset;
            p.part_len = part.length;
        }
        if self.zero_pad {
            p.flags |= DC_ZERO_PAD;
        }
        desc.set_params(&p);
    }
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
            extras: DpExtras::default(),
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
            extras: DpExtras::default(),
        }
    }

    /// A partial read (`cpaDcDpEnqueueOpWithPartRead`): decompresses `src`
    /// and writes `part.length` bytes of the output from `part.data_offset`
    /// on to `dst`.
    pub fn decompress_part(
        session: &DcSession,
        src: DmaBuf,
        dst: DmaBuf,
        part: PartialRead,
        tag: u64,
    ) -> DpOp {
        let mut op = DpOp::decompress(session, src, dst, tag);
        op.extras.part_read = Some(part);
        op
    }

    /// A compression with zero padding (`cpaDcDpEnqueueOpWithZeroPad`).
    pub fn compress_zero_pad(session: &DcSession, src: DmaBuf, dst: DmaBuf, tag: u64) -> DpOp {
        let mut op = DpOp::compress(session, src, dst, tag);
        op.extras.zero_pad = true;
        op
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
