//! LZ4S: the LZ4 variant QAT emits for software post-processing
//! (`CPA_DC_LZ4S`), the form the QAT zstd plugin turns into zstd sequences.
//!
//! The output of one request is one bare block of sequences — no frame, no
//! block size field, no checksum in the data. A sequence is LZ4's:
//!
//! - a token: the high nibble counts literals, the low nibble is the
//!   match-length field; a nibble of 15 is continued by bytes added to it
//!   until one is not 255;
//! - the literal bytes;
//! - unless the block ends right after the literals: a 16-bit little-endian
//!   offset (1..=65 535 bytes back) and the match-length continuation bytes.
//!
//! What differs from the LZ4 block format:
//! - the match-length field is `length - (minMatch - 1)` for the session's
//!   `CpaDcCompMinMatch` (3 or 4 bytes), not `length - 4`;
//! - a field of 0 is no match: the sequence carries literals only (its
//!   offset bytes mean nothing) and its literals join the next sequence's;
//! - none of LZ4's end-of-block restrictions (last 5 bytes literals, last
//!   match 12 bytes before the end): the consumer re-encodes the sequences.
//!
//! (As consumed by intel/QAT-ZSTD-Plugin's `QZSTD_decLz4s`, which adds
//! `minMatch - 1` to a non-zero field and carries the literals of a zero
//! field forward, and takes the block's last sequence, literals only, as
//! the block delimiter.) A block therefore ends with a literals-only
//! sequence, possibly of zero literals (a single `0x00` token); softqat
//! writes one so, and its reader refuses a block that does not.
//!
//! Compression is the only QAT operation on LZ4S; [`decode`] exists for
//! compress-and-verify and for the tests. The matches come from the deflate
//! compressor's parse ([`DeflateCompressor::parse_sequences`]): at most
//! 32 KiB back, as gen4's LZ4S history (`CPA_DC_WINSIZE_32K`).

use std::ops::ControlFlow;

use crate::deflate::compress::{DeflateCompressor, Sequence};
use crate::deflate::SearchDepth;

/// Largest offset a sequence can carry.
pub const MAX_OFFSET: usize = u16::MAX as usize;

/// `cpaDcLZ4SCompressBound` on gen4 (qatlib `dcLZ4SBoundGen4`):
/// `n + ceil(n / 2000) * 11 + 1024`. softqat's worst case is far below it
/// (all literals: `n + n / 255 + 2`), so a destination of this size never
/// overflows.
pub fn compress_bound(n: u64) -> u64 {
    n + n.div_ceil(2000) * 11 + 1024
}

/// What [`compress`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lz4sOutcome {
    /// Input bytes the output stands for.
    pub consumed: usize,
    /// Output bytes written.
    pub produced: usize,
    /// The whole input did not fit: the output is a complete block for the
    /// first `consumed` bytes (the stateless overflow rule; resubmit the
    /// rest). With `consumed == 0` nothing was written.
    pub overflow: bool,
}

/// Bytes of a length continuation for a nibble-coded value `v`.
fn ext_len(v: usize) -> usize {
    if v >= 15 {
        (v - 15) / 255 + 1
    } else {
        0
    }
}

/// Writes the continuation bytes of value `v` (whose nibble was 15).
fn put_ext(out: &mut [u8], mut at: usize, v: usize) -> usize {
    if v < 15 {
        return at;
    }
    let mut rest = v - 15;
    while rest >= 255 {
        out[at] = 255;
        at += 1;
        rest -= 255;
    }
    out[at] = rest as u8;
    at + 1
}

/// Size of a literals-only last sequence of `n` literals.
fn last_len(n: usize) -> usize {
    1 + ext_len(n) + n
}

/// Writes the last sequence (`lits` as literals, no match) at `out[at..]`;
/// the caller checked the room.
fn put_last(out: &mut [u8], at: usize, lits: &[u8]) -> usize {
    out[at] = (lits.len().min(15) as u8) << 4;
    let at = put_ext(out, at + 1, lits.len());
    out[at..at + lits.len()].copy_from_slice(lits);
    at + lits.len()
}

/// Compresses `src` into `dst` as one LZ4S block with matches of at least
/// `min_match` bytes (3 or 4; anything else counts as 4, the safe reading),
/// searched at `depth`.
///
/// A `dst` of [`compress_bound`] bytes always holds the block. A shorter one
/// gets the longest prefix that fits, closed by a literals-only sequence,
/// flagged `overflow`. Bytes of `dst` past `produced` (at most 15) may be
/// overwritten.
pub fn compress(
    finder: &mut DeflateCompressor,
    src: &[u8],
    dst: &mut [u8],
    depth: SearchDepth,
    min_match: u8,
) -> Lz4sOutcome {
    let min_match = if min_match == 3 { 3 } else { 4 };
    let bias = min_match - 1;
    // One byte stays free for the closing token whatever happens.
    let room = dst.len().saturating_sub(1);
    let mut pos = 0usize; // input covered by written sequences
    let mut at = 0usize; // output written
    let mut stopped = false;
    let covered = finder.parse_sequences(src, depth, min_match as u8, |s: Sequence| {
        let lits = s.literals as usize;
        let field = s.match_len as usize - bias;
        debug_assert!(s.match_len as usize >= min_match && s.offset as usize <= MAX_OFFSET);
        let need = 1 + ext_len(lits) + lits + 2 + ext_len(field);
        if at + need > room {
            stopped = true;
            return ControlFlow::Break(());
        }
        dst[at] = ((lits.min(15) as u8) << 4) | field.min(15) as u8;
        let mut p = put_ext(dst, at + 1, lits);
        // Short runs (most of them) as one fixed 16-byte copy, which may
        // write past the run into room the next sequence overwrites.
        match (dst.get_mut(p..p + 16), src.get(pos..pos + 16)) {
            (Some(d), Some(s)) if lits <= 16 => d.copy_from_slice(s),
            _ => dst[p..p + lits].copy_from_slice(&src[pos..pos + lits]),
        }
        p += lits;
        dst[p..p + 2].copy_from_slice(&(s.offset as u16).to_le_bytes());
        at = put_ext(dst, p + 2, field);
        pos += lits + s.match_len as usize;
        ControlFlow::Continue(())
    });
    debug_assert_eq!(covered, pos);
    // The trailing literals: all of them, or as many as fit after an
    // overflow (the literals the parse would have put before the next
    // match are trailing literals of the prefix).
    let mut tail = src.len() - pos;
    let free = dst.len().saturating_sub(at);
    if last_len(tail) > free {
        stopped = true;
        tail = tail.min(free.saturating_sub(1));
        tail -= ext_len(tail).min(tail);
        while tail > 0 && last_len(tail) > free {
            tail -= 1;
        }
    }
    if free == 0 || (stopped && pos + tail == 0) {
        return Lz4sOutcome {
            consumed: 0,
            produced: 0,
            overflow: true,
        };
    }
    at = put_last(dst, at, &src[pos..pos + tail]);
    Lz4sOutcome {
        consumed: pos + tail,
        produced: at,
        overflow: stopped && pos + tail < src.len(),
    }
}

/// The whole of `src` as one literals-only sequence (what compress-and-verify
/// recovery writes for LZ4S); `None` if `dst` is too short.
pub fn literal_block(src: &[u8], dst: &mut [u8]) -> Option<usize> {
    if last_len(src.len()) > dst.len() {
        return None;
    }
    Some(put_last(dst, 0, src))
}

/// An LZ4S block that does not decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Lz4sError {
    /// The block ends inside a sequence.
    #[error("the LZ4S block ends inside the sequence at byte {at}: it was cut short")]
    Truncated {
        /// Offset of the sequence's token.
        at: usize,
    },
    /// The block does not end with a literals-only sequence (or is empty).
    #[error(
        "the LZ4S block ends after the match of the sequence at byte {at}: a block ends with \
         a literals-only sequence (a single 0x00 byte for no input)"
    )]
    Unterminated {
        /// Offset of the last sequence's token (0 for an empty block).
        at: usize,
    },
    /// A match with offset 0.
    #[error("the match of the sequence at byte {at} has offset 0, which LZ4S does not allow")]
    ZeroOffset {
        /// Offset of the sequence's token.
        at: usize,
    },
    /// A match reaching before the start of the block's output.
    #[error(
        "the match of the sequence at byte {at} reaches {offset} bytes back with only \
         {produced} bytes decoded: LZ4S blocks are independent"
    )]
    OffsetTooFar {
        /// Offset of the sequence's token.
        at: usize,
        /// The match offset.
        offset: usize,
        /// Bytes decoded before the match.
        produced: usize,
    },
    /// The block decodes to more than the destination holds.
    #[error("the LZ4S block decodes to more than the {0} bytes of the destination")]
    OutputFull(usize),
}

/// One sequence of a block as [`Lz4sReader`] yields it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lz4sItem<'a> {
    /// The literal bytes.
    pub literals: &'a [u8],
    /// The match as (length, offset); `None` for a literals-only sequence
    /// (a zero match field, or the block's last sequence).
    pub matched: Option<(usize, usize)>,
}

/// The sequences of an LZ4S block, in order, checked for framing only (a
/// reader does not know the output, so offsets are the caller's to check).
#[derive(Clone, Debug)]
pub struct Lz4sReader<'a> {
    src: &'a [u8],
    at: usize,
    bias: usize,
    failed: bool,
    /// The literals-only sequence that ends the block was read.
    ended: bool,
    /// Where the last sequence read starts.
    last: usize,
}

impl<'a> Lz4sReader<'a> {
    /// A reader of `block` for a session whose minimum match is `min_match`
    /// (3 or 4; anything else counts as 4).
    pub fn new(block: &'a [u8], min_match: u8) -> Self {
        Lz4sReader {
            src: block,
            at: 0,
            bias: if min_match == 3 { 2 } else { 3 },
            failed: false,
            ended: false,
            last: 0,
        }
    }

    fn byte(&mut self, start: usize) -> Result<u8, Lz4sError> {
        let b = *self
            .src
            .get(self.at)
            .ok_or(Lz4sError::Truncated { at: start })?;
        self.at += 1;
        Ok(b)
    }

    fn length(&mut self, nibble: u8, start: usize) -> Result<usize, Lz4sError> {
        let mut v = usize::from(nibble);
        if nibble == 15 {
            loop {
                let b = self.byte(start)?;
                v += usize::from(b);
                if b != 255 {
                    break;
                }
            }
        }
        Ok(v)
    }

    fn next_item(&mut self) -> Result<Lz4sItem<'a>, Lz4sError> {
        let start = self.at;
        self.last = start;
        let token = self.byte(start)?;
        let n = self.length(token >> 4, start)?;
        let src = self.src;
        let literals = src
            .get(self.at..self.at.saturating_add(n))
            .ok_or(Lz4sError::Truncated { at: start })?;
        self.at += n;
        if self.at == src.len() {
            self.ended = true;
            return Ok(Lz4sItem {
                literals,
                matched: None,
            });
        }
        let lo = self.byte(start)?;
        let hi = self.byte(start)?;
        let offset = usize::from(u16::from_le_bytes([lo, hi]));
        let field = self.length(token & 15, start)?;
        if field == 0 {
            return Ok(Lz4sItem {
                literals,
                matched: None,
            });
        }
        if offset == 0 {
            return Err(Lz4sError::ZeroOffset { at: start });
        }
        Ok(Lz4sItem {
            literals,
            matched: Some((field + self.bias, offset)),
        })
    }

    /// Offset in the block of the next sequence.
    pub fn position(&self) -> usize {
        self.at
    }
}

impl<'a> Iterator for Lz4sReader<'a> {
    type Item = Result<Lz4sItem<'a>, Lz4sError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.ended {
            return None;
        }
        if self.at >= self.src.len() {
            self.failed = true;
            return Some(Err(Lz4sError::Unterminated { at: self.last }));
        }
        let r = self.next_item();
        self.failed = r.is_err();
        Some(r)
    }
}

/// Decodes the LZ4S `block` (minimum match `min_match`) into `dst`; returns
/// the decoded length.
pub fn decode(block: &[u8], min_match: u8, dst: &mut [u8]) -> Result<usize, Lz4sError> {
    let mut out = 0usize;
    let cap = dst.len();
    let mut reader = Lz4sReader::new(block, min_match);
    loop {
        let at = reader.position();
        let Some(item) = reader.next() else {
            return Ok(out);
        };
        let item = item?;
        let lits = item.literals;
        dst.get_mut(out..out + lits.len())
            .ok_or(Lz4sError::OutputFull(cap))?
            .copy_from_slice(lits);
        out += lits.len();
        if let Some((len, offset)) = item.matched {
            if offset > out {
                return Err(Lz4sError::OffsetTooFar {
                    at,
                    offset,
                    produced: out,
                });
            }
            if out + len > dst.len() {
                return Err(Lz4sError::OutputFull(dst.len()));
            }
            // Byte by byte: an overlapping match repeats what it copies.
            for k in out..out + len {
                dst[k] = dst[k - offset];
            }
            out += len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(src: &[u8], depth: u16, mm: u8) -> Vec<u8> {
        let mut c = DeflateCompressor::new();
        let mut dst = vec![0u8; compress_bound(src.len() as u64) as usize];
        let o = compress(&mut c, src, &mut dst, SearchDepth(depth), mm);
        assert_eq!((o.consumed, o.overflow), (src.len(), false));
        dst.truncate(o.produced);
        let mut back = vec![0u8; src.len()];
        assert_eq!(decode(&dst, mm, &mut back), Ok(src.len()));
        assert!(back == src);
        dst
    }

    #[test]
    fn empty_input_is_one_empty_last_sequence() {
        assert_eq!(round_trip(&[], 1, 3), [0x00]);
    }

    #[test]
    fn match_fields_count_from_min_match() {
        // "abcabc…": literals "abc", then a match of the rest at offset 3.
        let src = b"abcabcabcabc";
        for (mm, field) in [(3u8, 9 - 2), (4, 9 - 3)] {
            let out = round_trip(src, 9, mm);
            assert_eq!(
                out,
                [0x30 | field, b'a', b'b', b'c', 3, 0, 0x00],
                "min match {mm}"
            );
        }
    }

    #[test]
    fn overflow_keeps_a_complete_prefix() {
        let src: Vec<u8> = (0..20_000u32).map(|i| ((i * i) >> 5) as u8).collect();
        let mut c = DeflateCompressor::new();
        for cap in [1usize, 2, 17, 300, 4_000] {
            let mut dst = vec![0u8; cap];
            let o = compress(&mut c, &src, &mut dst, SearchDepth(6), 3);
            assert!(o.overflow, "cap {cap}");
            assert!(o.produced <= cap);
            if o.consumed == 0 {
                assert_eq!(o.produced, 0);
                continue;
            }
            let mut back = vec![0u8; src.len()];
            assert_eq!(decode(&dst[..o.produced], 3, &mut back), Ok(o.consumed));
            assert_eq!(back[..o.consumed], src[..o.consumed]);
        }
    }

    #[test]
    fn literals_only_sequences_carry_forward() {
        // Two literals with a zero field (offset bytes ignored), then "x" and
        // a 3-byte match (field 1 with min match 3) at offset 1, then the end.
        let block = [0x20, b'a', b'b', 0xEE, 0xEE, 0x11, b'x', 1, 0, 0x00];
        let mut out = [0u8; 16];
        assert_eq!(decode(&block, 3, &mut out), Ok(6));
        assert_eq!(&out[..6], b"abxxxx");
        let items: Vec<_> = Lz4sReader::new(&block, 3).map(Result::unwrap).collect();
        assert_eq!(items[0].matched, None);
        assert_eq!(items[1].matched, Some((3, 1)));
    }

    #[test]
    fn bad_blocks_get_their_error() {
        let mut out = [0u8; 8];
        assert_eq!(
            decode(&[0x11, b'a', 0, 0, 0x00], 4, &mut out),
            Err(Lz4sError::ZeroOffset { at: 0 })
        );
        assert_eq!(
            decode(&[0x11, b'a', 2, 0, 0x00], 4, &mut out),
            Err(Lz4sError::OffsetTooFar {
                at: 0,
                offset: 2,
                produced: 1
            })
        );
        assert_eq!(
            decode(&[0x11, b'a', 1], 4, &mut out),
            Err(Lz4sError::Truncated { at: 0 })
        );
        assert_eq!(
            decode(&[0xF0, 255], 4, &mut out),
            Err(Lz4sError::Truncated { at: 0 })
        );
        assert_eq!(
            decode(&[0x1F, b'a', 1, 0, 9, 0x00], 4, &mut out),
            Err(Lz4sError::OutputFull(8))
        );
        // A block ends with a literals-only sequence; it is never empty.
        assert_eq!(
            decode(&[0x11, b'a', 1, 0], 4, &mut out),
            Err(Lz4sError::Unterminated { at: 0 })
        );
        assert_eq!(
            decode(&[0x10, b'a', 7, 7, 0x11, b'b', 1, 0], 4, &mut out),
            Err(Lz4sError::Unterminated { at: 4 })
        );
        assert_eq!(
            decode(&[], 4, &mut out),
            Err(Lz4sError::Unterminated { at: 0 })
        );
    }
}
