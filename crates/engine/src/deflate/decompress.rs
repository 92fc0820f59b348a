//! The decompression entry point: strict on every path.
//!
//! Every stream goes to the validating [`Inflater`] except one shape that
//! libdeflate decodes faster and exactly as strictly: a final dynamic block
//! (BFINAL set, BTYPE 10) whose header is valid and whose literal/length and
//! distance codes are both complete — one whole QAT request as QAT and
//! softqat compress it (up to 64 KiB of input in one block).
//!
//! # Why that shape is safe with libdeflate
//!
//! libdeflate accepts some streams that RFC 1951, zlib and QAT reject, and
//! until issue 10 it decoded every request first, so those streams got OK.
//! Each of its leniencies needs something the shape above excludes, checked
//! here by [`Inflater::is_complete_final_dynamic`] before libdeflate runs:
//!
//! | libdeflate accepts | excluded because |
//! |---|---|
//! | HLIT or HDIST above 29 | the header is checked: at most 286 literal/length and 30 distance codes |
//! | a code-length code of one 1-bit code, or of none | the code-length code must be complete |
//! | literal/length symbols 286/287, distance symbols 30/31 | with at most 286 and 30 codes they have no code (and a fixed block, whose codes include them, is not the shape) |
//! | the unused bit pattern of a one-code literal/length or distance code | both codes must be complete: every bit pattern is a code |
//! | a distance in a block without distance codes | the distance code must be complete, so not empty |
//!
//! The block is final, so libdeflate stops at its end and never reads a
//! block the check did not see. Everything else libdeflate checks as zlib
//! does (a distance reaching before the output, the input ending early, the
//! output filling up). Any failure — invalid data, an incomplete stream or
//! too small a `dst` — is decoded again by the [`Inflater`], which reports
//! the exact `CpaDcReqStatus` (`Overflow` included, with nothing consumed or
//! produced, as QAT reports it) and the partial-block semantics of
//! [`super::inflate`]. Every other stream (fixed or stored blocks, several
//! blocks, a request that ends without BFINAL) goes to the [`Inflater`]
//! alone. The decoder fuzz campaign (`crates/tools/src/fuzz.rs`) and
//! `tests/inflate_fuzz.rs` check both paths against zlib.

use super::inflate::{InflateOutcome, Inflater};
use super::libdeflate::FastDecoder;
use crate::status::DcStatus;

/// Decompression context: libdeflate's decompressor and an [`Inflater`]
/// (each allocated once, reused across requests).
pub struct Decompressor {
    fast: FastDecoder,
    exact: Inflater,
    /// History and output of [`Decompressor::decompress_with_dict`].
    window: Vec<u8>,
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
            window: Vec::new(),
        }
    }

    /// Decodes the raw deflate stream in `src` into `dst`: the [`Inflater`]'s
    /// outcome (the exact status of an invalid stream, `Overflow` when `dst`
    /// is too small; with `require_final == false`, the blocks that
    /// completed), computed by libdeflate for the one shape of the module
    /// documentation. A stream zlib rejects never gets OK.
    pub fn decompress(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        require_final: bool,
    ) -> InflateOutcome {
        if self.exact.is_complete_final_dynamic(src) {
            if let Ok((consumed, produced)) = self.fast.decompress(src, dst) {
                return InflateOutcome {
                    status: DcStatus::Ok,
                    consumed,
                    produced,
                    end_of_last_block: true,
                };
            }
            // An error or too small a `dst`: the Inflater tells which, as
            // QAT would (a second pass, on a path that fails anyway).
        }
        self.exact.inflate(src, dst, require_final)
    }

    /// Decodes `src` with the preset dictionary `dict` as history (zlib's
    /// `inflateSetDictionary`; its last 32 KiB are what distances can reach),
    /// with the [`Inflater`]'s rules and statuses. The history and output are
    /// decoded in a buffer the decompressor keeps and reuses, then the output
    /// is copied to `dst`.
    pub fn decompress_with_dict(
        &mut self,
        dict: &[u8],
        src: &[u8],
        dst: &mut [u8],
        require_final: bool,
    ) -> InflateOutcome {
        let tail = &dict[dict.len().saturating_sub(super::MAX_WINDOW)..];
        if tail.is_empty() {
            return self.decompress(src, dst, require_final);
        }
        let mut window = std::mem::take(&mut self.window);
        window.clear();
        window.extend_from_slice(tail);
        window.resize(tail.len() + dst.len(), 0);
        let outcome = self
            .exact
            .inflate_after(src, &mut window, tail.len(), require_final);
        let (from, n) = (tail.len(), outcome.produced);
        if outcome.status == DcStatus::Ok {
            if let (Some(d), Some(o)) = (dst.get_mut(..n), window.get(from..from + n)) {
                d.copy_from_slice(o);
            }
        }
        self.window = window;
        outcome
    }

    /// The first bytes of the stream in `src`, as many as fit in `dst`:
    /// [`Inflater::inflate_prefix`].
    pub fn decompress_prefix(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        require_final: bool,
    ) -> InflateOutcome {
        self.exact.inflate_prefix(src, dst, require_final)
    }

    /// Decodes with the [`Inflater`] only (the same outcome as
    /// [`Decompressor::decompress`], slower on the streams libdeflate takes).
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
    fn ok_error_and_overflow() {
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
        // Block type 3.
        let o = d.decompress(&[0x07, 0x00], &mut dst, true);
        assert_eq!(o, InflateOutcome::failed(DcStatus::InvalidBlockType));
        // Trailing bytes (a gzip footer, the next member): decoding stops at
        // the end of the final block.
        let mut with_tail = stream.to_vec();
        with_tail.extend_from_slice(&[1, 2, 3, 4]);
        assert_eq!(d.decompress(&with_tail, &mut dst, true).consumed, 8);
        assert_eq!(d.decompress_exact(&with_tail, &mut dst, true).consumed, 8);
    }

    #[test]
    fn libdeflate_takes_complete_final_dynamic_blocks_only() {
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/calgary32");
        let data = std::fs::read(corpus).unwrap()[..30_000].to_vec();
        let mut z = libdeflater::Compressor::new(libdeflater::CompressionLvl::default());
        let mut stream = vec![0u8; z.deflate_compress_bound(data.len())];
        let n = z.deflate_compress(&data, &mut stream).unwrap();
        stream.truncate(n);
        let mut d = Decompressor::new();
        assert!(d.exact.is_complete_final_dynamic(&stream));
        let mut dst = vec![0u8; data.len()];
        let o = d.decompress(&stream, &mut dst, true);
        assert_eq!(
            (o.status, o.consumed, o.produced),
            (DcStatus::Ok, n, data.len())
        );
        assert_eq!(dst, data);
        // The same stream with BFINAL cleared is not the shape.
        let mut not_final = stream.clone();
        not_final[0] &= !1;
        assert!(!d.exact.is_complete_final_dynamic(&not_final));
        // Issue 10's stream (a fixed block) is not the shape either, and
        // is rejected.
        let bad = b"\x4b\x4c\x4a\x4e\x19\x03\x00";
        assert!(!d.exact.is_complete_final_dynamic(bad));
        let o = d.decompress(bad, &mut dst, true);
        assert_eq!(o, InflateOutcome::failed(DcStatus::InvalidCode));
    }
}
