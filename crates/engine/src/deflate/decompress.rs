//! The decompression entry point: libdeflate for streams it decodes, the
//! validating [`Inflater`] for everything else.
//!
//! Almost every request carries one valid, complete deflate stream. libdeflate
//! decodes those faster than anything written here, so it goes first, straight
//! from `src` into `dst` (no copy, no allocation). When it fails — bad data (an
//! invalid stream, or one without a BFINAL block: truncated, or a request that
//! stops at a sync-flush marker) or too small a `dst` — the [`Inflater`]
//! decodes the request again and reports the exact `CpaDcReqStatus`
//! (`Overflow` included, with 0 consumed and 0 produced as QAT reports it) and
//! the partial-block semantics described in [`super::inflate`]. The second
//! pass is only paid on those paths. A request that need not be final and
//! ends with a sync-flush marker goes to the [`Inflater`] directly: libdeflate
//! could only fail on it, after decoding all of it.
//!
//! # Where the fast path is lenient
//!
//! libdeflate accepts a few streams that RFC 1951, zlib and QAT reject:
//! HLIT > 29 or HDIST > 29 with otherwise valid lengths; a code-length code
//! of one 1-bit code or of none; literal/length symbols 286/287 (read as
//! length 258); distance symbols 30/31 (read as distances above 24576, so
//! rejected unless the output is that long); the unused bit pattern of a
//! one-code literal/length or distance code (read as the used symbol) and a
//! distance in a block without distance codes (read as distance 1). If the
//! rest of such a stream decodes, the fast path returns OK where the
//! [`Inflater`] returns the exact error; every other invalid stream gets the
//! exact status. [`Decompressor::decompress_exact`] is strict for all of them.

use super::inflate::{InflateOutcome, Inflater};
use super::libdeflate::FastDecoder;
use crate::status::DcStatus;

/// How a sync or full flush ends a request: an empty stored block, whose
/// LEN/NLEN bytes are `00 00 ff ff`.
const SYNC_MARKER: [u8; 4] = [0x00, 0x00, 0xff, 0xff];

/// Decompression context: libdeflate's decompressor and an [`Inflater`]
/// (each allocated once, reused across requests).
pub struct Decompressor {
    fast: FastDecoder,
    exact: Inflater,
}

impl Default for Decompressor {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Decompressor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Decompressor")
    }
}

impl Decompressor {
    /// Allocates both decoders.
    pub fn new() -> Self {
        Decompressor {
            fast: FastDecoder::new(),
            exact: Inflater::new(),
        }
    }

    /// Decodes the raw deflate stream in `src` into `dst`.
    ///
    /// A complete stream that libdeflate decodes → OK, `produced` = its output,
    /// `consumed` = the bytes up to the end of its final block,
    /// `end_of_last_block = true`. Anything else → the
    /// [`Inflater`]'s outcome (exact status, `Overflow` when `dst` is too
    /// small; with `require_final == false`, the blocks that completed). See
    /// the module documentation for the limits of the fast path.
    pub fn decompress(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        require_final: bool,
    ) -> InflateOutcome {
        // A request that may end without BFINAL and ends with a sync-flush
        // marker is almost surely one of a sequence of flushed requests:
        // libdeflate would decode all of it only to fail at the end, so go
        // straight to the exact decoder (which is right in any case).
        if !require_final && src.ends_with(&SYNC_MARKER) {
            return self.exact.inflate(src, dst, false);
        }
        match self.fast.decompress(src, dst) {
            Ok((consumed, produced)) => InflateOutcome {
                status: DcStatus::Ok,
                consumed,
                produced,
                end_of_last_block: true,
            },
            // libdeflate accepts some invalid streams (see above) and may run
            // out of room in one before QAT would have rejected it, so the
            // exact decoder decides between an error and an overflow. This
            // costs a second pass on a path that is an error anyway.
            Err(_) => self.exact.inflate(src, dst, require_final),
        }
    }

    /// Decodes with the [`Inflater`] only: the exact status for every invalid
    /// stream, including those the fast path is lenient with, at about two
    /// thirds of libdeflate's speed.
    pub fn decompress_exact(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        require_final: bool,
    ) -> InflateOutcome {
        self.exact.inflate(src, dst, require_final)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_path_slow_path_and_overflow() {
        let mut d = Decompressor::new();
        let mut dst = [0u8; 8];
        // Final stored block "abc".
        let stream = [0x01, 0x03, 0x00, 0xfc, 0xff, b'a', b'b', b'c'];
        let o = d.decompress(&stream, &mut dst, true);
        assert_eq!(
            (o.status, o.consumed, o.produced, o.end_of_last_block),
            (DcStatus::Ok, 8, 3, true)
        );
        assert_eq!(&dst[..3], b"abc");
        // Too small a destination.
        let o = d.decompress(&stream, &mut dst[..2], true);
        assert_eq!(o, InflateOutcome::failed(DcStatus::Overflow));
        // Block type 3: libdeflate rejects it, the Inflater names it.
        let o = d.decompress(&[0x07, 0x00], &mut dst, true);
        assert_eq!(o, InflateOutcome::failed(DcStatus::InvalidBlockType));
        // Trailing bytes (a gzip footer, the next member): both paths stop
        // at the end of the final block.
        let mut with_tail = stream.to_vec();
        with_tail.extend_from_slice(&[1, 2, 3, 4]);
        assert_eq!(d.decompress(&with_tail, &mut dst, true).consumed, 8);
        assert_eq!(d.decompress_exact(&with_tail, &mut dst, true).consumed, 8);
    }
}
