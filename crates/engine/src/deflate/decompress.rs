//! The decompression entry point: libdeflate for streams it decodes, the
//! validating [`Inflater`] for everything else.
//!
//! Almost every request carries one valid, complete deflate stream. libdeflate
//! decodes those faster than anything written here, so it goes first, straight
//! from `src` into `dst` (no copy, no allocation). When it reports bad data —
//! an invalid stream, or one that does not end with a BFINAL block (truncated,
//! or a request that stops at a sync-flush marker) — the [`Inflater`] decodes
//! the request again and reports the exact `CpaDcReqStatus` and the partial
//! block semantics described in [`super::inflate`]. When libdeflate reports
//! that `dst` is too small, the request is an overflow (QAT: 0 consumed,
//! 0 produced).
//!
//! # What the fast path cannot see
//!
//! The `libdeflater` crate's safe API returns only the number of bytes
//! produced (`libdeflate_deflate_decompress`), not `_ex`'s input count, and
//! this crate forbids the `unsafe` needed to call `libdeflate_deflate_decompress_ex`
//! directly. Two consequences:
//!
//! - `consumed` on the fast path is `src.len()`: exact when the stream fills
//!   the request, too large when bytes follow the final block (a gzip footer,
//!   another member). Callers that pass such input use
//!   [`Decompressor::decompress_exact`].
//! - libdeflate accepts a few streams RFC 1951/zlib/QAT reject: HLIT > 29 or
//!   HDIST > 29 with otherwise valid lengths, an incomplete code-length code of
//!   one 1-bit code or none, literal/length symbols 286/287 (as length 258),
//!   distance symbols 30/31 (as distances above 24576, rejected only if they
//!   reach before the output), and the unused pattern of a one-code
//!   literal/length or distance code (decoded as the used symbol, or as
//!   distance 1 when the block has no distance code). For such a stream the fast path returns OK where
//!   [`Inflater`] returns the exact error; every other invalid stream gets the
//!   exact status. `decompress_exact` is strict for all of them.

use super::inflate::{InflateOutcome, Inflater};
use crate::status::DcStatus;

/// Decompression context: libdeflate's decompressor and an [`Inflater`]
/// (each allocated once, reused across requests).
pub struct Decompressor {
    fast: libdeflater::Decompressor,
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
            fast: libdeflater::Decompressor::new(),
            exact: Inflater::new(),
        }
    }

    /// Decodes the raw deflate stream in `src` into `dst`.
    ///
    /// A complete stream that libdeflate decodes → OK, `produced` = its output,
    /// `consumed = src.len()`, `end_of_last_block = true`. Anything else → the
    /// [`Inflater`]'s outcome (exact status, `Overflow` when `dst` is too
    /// small; with `require_final == false`, the blocks that completed). See
    /// the module documentation for the limits of the fast path.
    pub fn decompress(&mut self, src: &[u8], dst: &mut [u8], require_final: bool) -> InflateOutcome {
        match self.fast.deflate_decompress(src, dst) {
            Ok(produced) => InflateOutcome {
                status: DcStatus::Ok,
                consumed: src.len(),
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

    /// Decodes with the [`Inflater`] only: exact status for every invalid
    /// stream and exact `consumed` when bytes follow the final block, at about
    /// two thirds of libdeflate's speed.
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
        assert_eq!((o.status, o.consumed, o.produced, o.end_of_last_block), (DcStatus::Ok, 8, 3, true));
        assert_eq!(&dst[..3], b"abc");
        // Too small a destination.
        let o = d.decompress(&stream, &mut dst[..2], true);
        assert_eq!(o, InflateOutcome::failed(DcStatus::Overflow));
        // Block type 3: libdeflate rejects it, the Inflater names it.
        let o = d.decompress(&[0x07, 0x00], &mut dst, true);
        assert_eq!(o, InflateOutcome::failed(DcStatus::InvalidBlockType));
        // Trailing bytes: only the exact path stops at the final block.
        let mut with_tail = stream.to_vec();
        with_tail.extend_from_slice(&[1, 2, 3, 4]);
        assert_eq!(d.decompress(&with_tail, &mut dst, true).consumed, with_tail.len());
        assert_eq!(d.decompress_exact(&with_tail, &mut dst, true).consumed, 8);
    }
}
