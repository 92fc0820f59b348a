//! The decompression entry point: strict on every path.
//!
//! Every stream is decoded by the validating [`Inflater`], which reports the
//! exact `CpaDcReqStatus` of an invalid stream (`Overflow` included, with
//! nothing consumed or produced, as QAT reports it) and follows the
//! partial-block semantics of [`super::inflate`]. Until issue 10 libdeflate
//! decoded every request first, and it accepts some streams that RFC 1951,
//! zlib and QAT reject, so those streams got OK; later it decoded only the
//! one shape where it is as strict (a final dynamic block with complete
//! codes). The Inflater now decodes faster than libdeflate and ISA-L's
//! `isal_inflate_stateless` on QAT-sized requests (`examples/inflate_speed.rs`
//! measures all three on the same streams), so there is one decoder and one
//! set of rules. The decoder fuzz campaign (`crates/tools/src/fuzz.rs`) and
//! `tests/inflate_fuzz.rs` check it against zlib.

use super::inflate::{InflateOutcome, Inflater};
use crate::status::DcStatus;

/// Decompression context: an [`Inflater`] and the window of
/// [`Decompressor::decompress_with_dict`] (each allocated once, reused
/// across requests).
pub struct Decompressor {
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
    /// Allocates the decoder's tables.
    pub fn new() -> Self {
        Decompressor {
            exact: Inflater::new(),
            window: Vec::new(),
        }
    }

    /// Decodes the raw deflate stream in `src` into `dst`: the [`Inflater`]'s
    /// outcome (the exact status of an invalid stream, `Overflow` when `dst`
    /// is too small; with `require_final == false`, the blocks that
    /// completed). A stream zlib rejects never gets OK.
    pub fn decompress(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        require_final: bool,
    ) -> InflateOutcome {
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
    }

    #[test]
    fn stream_of_another_encoder_and_issue_10s_stream() {
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/calgary32");
        let data = std::fs::read(corpus).unwrap()[..30_000].to_vec();
        let mut z = libdeflater::Compressor::new(libdeflater::CompressionLvl::default());
        let mut stream = vec![0u8; z.deflate_compress_bound(data.len())];
        let n = z.deflate_compress(&data, &mut stream).unwrap();
        stream.truncate(n);
        let mut d = Decompressor::new();
        let mut dst = vec![0u8; data.len()];
        let o = d.decompress(&stream, &mut dst, true);
        assert_eq!(
            (o.status, o.consumed, o.produced),
            (DcStatus::Ok, n, data.len())
        );
        assert_eq!(dst, data);
        // Issue 10's stream (a fixed block that libdeflate decodes and zlib
        // rejects) is rejected.
        let bad = b"\x4b\x4c\x4a\x4e\x19\x03\x00";
        let o = d.decompress(bad, &mut dst, true);
        assert_eq!(o, InflateOutcome::failed(DcStatus::InvalidCode));
    }
}
