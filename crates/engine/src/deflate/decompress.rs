//! The decompression entry point: the validating [`Inflater`], strict on
//! every path.
//!
//! Until issue 10 this module put libdeflate in front of the [`Inflater`]
//! because it was faster, but libdeflate accepts streams that RFC 1951, zlib
//! and QAT reject (HLIT or HDIST above 29, a code-length code of one code,
//! literal/length symbols 286/287, distance symbols 30/31, the unused bit
//! pattern of a one-code code, a distance in a block without distance codes)
//! and returned OK for them: corrupt data reported as good. The [`Inflater`]
//! follows zlib's rules for every one of those (see [`super::inflate`] for
//! the status each gets) and now decodes every request on its own, so there
//! is one decoder and no stream it rejects can be accepted by another path.
//! Its decoding loop was made faster to pay for this (literal pairs per
//! table lookup, a preloaded next entry, word-wise match copies, BMI2 where
//! the CPU has it): see `examples/inflate_speed.rs` for the comparison with
//! libdeflate and zlib-rs.

use super::inflate::{InflateOutcome, Inflater};

/// Decompression context: an [`Inflater`] (its tables allocated once,
/// reused across requests).
#[derive(Default)]
pub struct Decompressor {
    exact: Inflater,
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

    /// The same as [`Decompressor::decompress`]: kept for callers written
    /// when the fast path was lenient and this was the strict one.
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
    use crate::status::DcStatus;

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
    fn issue_10_fixed_symbol_286_is_rejected() {
        // `printf '\x4b\x4c\x4a\x4e\x19\x03\x00' | softqat decompress -f
        // deflate` wrote 262 bytes: "abcd" then fixed-Huffman symbol 286,
        // which libdeflate read as a length of 258. zlib: "invalid
        // literal/length code".
        let mut dst = vec![0u8; 1024];
        let o = Decompressor::new().decompress(b"\x4b\x4c\x4a\x4e\x19\x03\x00", &mut dst, true);
        assert_eq!(o, InflateOutcome::failed(DcStatus::InvalidCode));
    }
}
