//! Decompression of zstd frames for `CPA_DC_ZSTD` requests, by libzstd (the
//! reference decoder, through the `zstd` crate's safe bindings): a request's
//! output is exactly what `zstd -d` makes of its input, and input `zstd -d`
//! refuses is refused here.

use zstd::zstd_safe::zstd_sys::ZSTD_ErrorCode;
use zstd::zstd_safe::{self, DCtx};

use crate::status::DcStatus;

/// A zstd decoder with its context, made on first use (an engine that never
/// serves a zstd request never pays for it) and kept for the engine's life:
/// one-shot decoding writes straight into the destination, so no request
/// allocates.
#[derive(Default)]
pub struct ZstdDecoder {
    ctx: Option<DCtx<'static>>,
}

impl std::fmt::Debug for ZstdDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ZstdDecoder")
    }
}

/// libzstd's error `e` as the code its calls return.
fn code_of(e: ZSTD_ErrorCode) -> usize {
    (e as usize).wrapping_neg()
}

impl ZstdDecoder {
    /// A decoder whose context is not made yet.
    pub fn new() -> Self {
        ZstdDecoder { ctx: None }
    }

    /// Decodes `src`, one or more complete zstd frames (skippable frames
    /// included, as `zstd -d` takes them), into `dst`; returns the bytes
    /// written. Content checksums are checked.
    ///
    /// Errors, with nothing to use in `dst`:
    /// - `Overflow`: the content does not fit `dst`;
    /// - `IncompleteFileErr`: the input ends inside a frame (or is empty);
    /// - `ZstdFrameContentChecksumMismatch`: a wrong content checksum;
    /// - `ZstdLiteralDecompressionDataError`, `ZstdAccuracyLogExceedsMax`:
    ///   a bad literals header, a table log over the limit;
    /// - `InvalidZstdFrame`: anything else libzstd refuses (not a zstd
    ///   frame, corrupt blocks, trailing bytes);
    /// - `SoftErr`: no memory for the decoder context.
    pub fn decode(&mut self, src: &[u8], dst: &mut [u8]) -> Result<usize, DcStatus> {
        if self.ctx.is_none() {
            self.ctx = DCtx::try_create();
        }
        let ctx = self.ctx.as_mut().ok_or(DcStatus::SoftErr)?;
        // libzstd reads an empty input as no frames (0 bytes out); zstd -d
        // refuses it, and so does a request: there is no frame to decode.
        if src.is_empty() {
            return Err(DcStatus::IncompleteFileErr);
        }
        ctx.decompress(dst, src).map_err(|code| {
            use ZSTD_ErrorCode::*;
            let is = |e: ZSTD_ErrorCode| code == code_of(e);
            if is(ZSTD_error_dstSize_tooSmall) {
                DcStatus::Overflow
            } else if is(ZSTD_error_memory_allocation) {
                DcStatus::SoftErr
            } else if truncated(src) {
                DcStatus::IncompleteFileErr
            } else if is(ZSTD_error_checksum_wrong) {
                DcStatus::ZstdFrameContentChecksumMismatch
            } else if is(ZSTD_error_literals_headerWrong) {
                DcStatus::ZstdLiteralDecompressionDataError
            } else if is(ZSTD_error_tableLog_tooLarge) {
                DcStatus::ZstdAccuracyLogExceedsMax
            } else {
                // Bad magic, unsupported header, corrupt blocks, trailing
                // bytes: libzstd's other refusals.
                DcStatus::InvalidZstdFrame
            }
        })
    }
}

/// Whether `src` is frames whose last one ends early (the one-shot decoder
/// reports that as whatever it met last, a wrong checksum for instance).
/// Walks the frame and block headers only; on the error path alone.
fn truncated(mut src: &[u8]) -> bool {
    while !src.is_empty() {
        match zstd_safe::find_frame_compressed_size(src) {
            Ok(n) if n > 0 => src = &src[n..],
            Ok(_) => return false,
            Err(code) => return code == code_of(ZSTD_ErrorCode::ZSTD_error_srcSize_wrong),
        }
    }
    false
}
