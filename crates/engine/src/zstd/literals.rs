//! The literals section of a compressed block (RFC 8878 §3.1.1.3.1): raw,
//! RLE, or Huffman-coded with the tree description in the block.
//!
//! The Huffman code is the deflate compressor's length-limited code, limited
//! to zstd's 11 bits. zstd describes it by weights (`maxBits + 1 - length`,
//! 0 for unused symbols), the last used symbol's weight left implied; the
//! weights travel as 4-bit values, or FSE-coded with two interleaved states
//! when that is shorter (and always beyond 128 symbols). Codewords are
//! assigned from the longest codes up, each length's symbols in increasing
//! order; the streams are written backwards (last literal first) so that
//! the decoder, reading from the end, meets the first literal first.

use super::bits::BitWriter;
use super::fse::{self, CTable};
use crate::deflate::compress::huffman::{Code, HuffScratch};

/// Longest Huffman code zstd allows.
const MAX_BITS: u32 = 11;
/// Accuracy log limit of the weights' FSE table.
const WEIGHT_MAX_LOG: u32 = 6;
/// Below this many literals Huffman coding does not pay for its tree.
const MIN_HUFFMAN: usize = 64;
/// Up to this many literals (and compressed bytes) fit one stream's 10-bit
/// size fields.
const ONE_STREAM_MAX: usize = 1023;

/// Workspace of the literals coder, kept across blocks.
pub(super) struct LiteralsCoder {
    code: Code<256>,
    scratch: HuffScratch,
    /// Codewords in zstd's order (not deflate's bit-reversed ones).
    words: [u16; 256],
    weights_table: CTable,
}

impl LiteralsCoder {
    pub(super) fn new() -> Self {
        LiteralsCoder {
            code: Code::empty(),
            scratch: HuffScratch::new(),
            words: [0; 256],
            weights_table: CTable::new(),
        }
    }

    /// Writes the literals section for `lits` at the start of `out`;
    /// returns its length, `None` if it does not fit.
    pub(super) fn write(&mut self, lits: &[u8], out: &mut [u8]) -> Option<usize> {
        let n = lits.len();
        if n > 0 && lits.iter().all(|&b| b == lits[0]) && n > 2 {
            let h = write_size_header(out, 1, n)?;
            *out.get_mut(h)? = lits[0];
            return Some(h + 1);
        }
        if n >= MIN_HUFFMAN {
            if let Some(len) = self.huffman(lits, out) {
                return Some(len);
            }
        }
        let h = write_size_header(out, 0, n)?;
        out.get_mut(h..h + n)?.copy_from_slice(lits);
        Some(h + n)
    }

    /// Huffman-coded literals, if that is smaller than raw and fits.
    fn huffman(&mut self, lits: &[u8], out: &mut [u8]) -> Option<usize> {
        let n = lits.len();
        let mut freqs = [0u32; 256];
        for &b in lits {
            freqs[b as usize] += 1;
        }
        self.code.build(&freqs, MAX_BITS, &mut self.scratch);
        let lens = &self.code.lens;
        let max_bits = u32::from(*lens.iter().max()?);
        let last = lens.iter().rposition(|&l| l != 0)?;
        if last == 0 {
            return None;
        }
        // Rough size of the streams: give up early when raw is smaller.
        let payload: u64 = freqs
            .iter()
            .zip(lens.iter())
            .map(|(&f, &l)| u64::from(f) * u64::from(l))
            .sum::<u64>()
            .div_ceil(8);
        if payload + 16 >= n as u64 {
            return None;
        }
        assign_words(lens, max_bits, &mut self.words);
        let mut weights = [0u8; 256];
        for (w, &l) in weights.iter_mut().zip(lens.iter()) {
            *w = if l == 0 {
                0
            } else {
                (max_bits + 1 - u32::from(l)) as u8
            };
        }

        let header_len = match n {
            0..=ONE_STREAM_MAX => 3,
            1024..=16_383 => 4,
            _ => 5,
        };
        let body = out.get_mut(header_len..)?;
        let tree = self.write_tree(&weights[..last], body)?;
        let streams = if n <= ONE_STREAM_MAX {
            self.write_stream(lits, body.get_mut(tree..)?)?
        } else {
            self.write_four_streams(lits, body.get_mut(tree..)?)?
        };
        let compressed = tree + streams;
        if compressed + header_len >= n {
            return None;
        }
        // Literals_Block_Type 2 (compressed), Size_Format by header length
        // (00: one stream, 01/10/11: four streams with 10/14/18-bit sizes).
        let (format, bits) = match header_len {
            3 if n <= ONE_STREAM_MAX => (0u64, 10),
            3 => (1, 10),
            4 => (2, 14),
            _ => (3, 18),
        };
        let v = 2 | format << 2 | (n as u64) << 4 | (compressed as u64) << (4 + bits);
        out[..header_len].copy_from_slice(&v.to_le_bytes()[..header_len]);
        Some(header_len + compressed)
    }

    /// The tree description: FSE-coded weights when shorter (or when there
    /// are more than 128), else 4-bit weights. `weights` are those of the
    /// symbols before the last used one.
    fn write_tree(&mut self, weights: &[u8], out: &mut [u8]) -> Option<usize> {
        let direct = (weights.len() <= 128).then(|| 1 + weights.len().div_ceil(2));
        let mut fse_buf = [0u8; 128];
        let coded = self.fse_weights(weights, &mut fse_buf);
        match (coded, direct) {
            (Some(c), d) if d.is_none_or(|d| 1 + c < d) => {
                *out.first_mut()? = c as u8;
                out.get_mut(1..1 + c)?.copy_from_slice(&fse_buf[..c]);
                Some(1 + c)
            }
            (_, Some(d)) => {
                let o = out.get_mut(..d)?;
                o[0] = 127 + weights.len() as u8;
                for (i, pair) in weights.chunks(2).enumerate() {
                    o[1 + i] = pair[0] << 4 | pair.get(1).copied().unwrap_or(0);
                }
                Some(d)
            }
            _ => None,
        }
    }

    /// Weights coded with FSE (two states sharing one table, alternating);
    /// `None` when that is impossible (a single distinct weight) or does not
    /// fit the 127 bytes a header byte can announce.
    fn fse_weights(&mut self, weights: &[u8], out: &mut [u8; 128]) -> Option<usize> {
        if weights.len() < 2 {
            return None;
        }
        let mut counts = [0u32; 13];
        for &w in weights {
            counts[w as usize] += 1;
        }
        if counts.iter().filter(|&&c| c != 0).count() < 2 {
            return None;
        }
        let used = counts.iter().filter(|&&c| c != 0).count();
        let log = fse::table_log(weights.len() as u32, used, WEIGHT_MAX_LOG);
        let mut norm = [0i16; 13];
        let len = fse::normalize(&counts, weights.len() as u32, log, &mut norm);
        let hdr = fse::write_header(&norm[..len], log, &mut out[..])?;
        let t = &mut self.weights_table;
        t.build(&norm[..len], log);
        let mut w = BitWriter::new(&mut out[hdr..127]);
        let n = weights.len();
        let (mut s1, mut s2);
        let mut i;
        if n % 2 == 1 {
            s1 = t.init(weights[n - 1]);
            s2 = t.init(weights[n - 2]);
            t.encode(&mut w, &mut s1, weights[n - 3]);
            i = n - 3;
        } else {
            s2 = t.init(weights[n - 1]);
            s1 = t.init(weights[n - 2]);
            i = n - 2;
        }
        while i > 0 {
            t.encode(&mut w, &mut s2, weights[i - 1]);
            t.encode(&mut w, &mut s1, weights[i - 2]);
            i -= 2;
        }
        t.flush(&mut w, s2);
        t.flush(&mut w, s1);
        Some(hdr + w.finish()?)
    }

    /// One backward Huffman stream of `lits`.
    fn write_stream(&self, lits: &[u8], out: &mut [u8]) -> Option<usize> {
        let mut w = BitWriter::new(out);
        for &b in lits.iter().rev() {
            w.add(
                u64::from(self.words[b as usize]),
                u32::from(self.code.lens[b as usize]),
            );
        }
        w.finish()
    }

    /// Four streams of a quarter each (the last takes the rest) behind a
    /// jump table of the first three streams' sizes.
    fn write_four_streams(&self, lits: &[u8], out: &mut [u8]) -> Option<usize> {
        let quarter = lits.len().div_ceil(4);
        let mut at = 6;
        let mut sizes = [0u16; 3];
        for (k, part) in lits.chunks(quarter).enumerate() {
            let len = self.write_stream(part, out.get_mut(at..)?)?;
            if k < 3 {
                sizes[k] = u16::try_from(len).ok()?;
            }
            at += len;
        }
        for (k, s) in sizes.iter().enumerate() {
            out[2 * k..2 * k + 2].copy_from_slice(&s.to_le_bytes());
        }
        Some(at)
    }
}

/// zstd's canonical codewords for `lens`: longest codes first, counting up,
/// each shorter length starting at the next value halved.
fn assign_words(lens: &[u8; 256], max_bits: u32, words: &mut [u16; 256]) {
    let mut next = 0u32;
    for len in (1..=max_bits).rev() {
        for (s, &l) in lens.iter().enumerate() {
            if u32::from(l) == len {
                words[s] = next as u16;
                next += 1;
            }
        }
        next >>= 1;
    }
}

/// Header of a raw (`kind` 0) or RLE (`kind` 1) literals section of `n`
/// literals: 1, 2 or 3 bytes for 5-, 12- or 20-bit sizes.
fn write_size_header(out: &mut [u8], kind: u8, n: usize) -> Option<usize> {
    let (len, v) = match n {
        0..=31 => (1, u32::from(kind) | (n as u32) << 3),
        32..=4095 => (2, u32::from(kind) | 1 << 2 | (n as u32) << 4),
        _ => (3, u32::from(kind) | 3 << 2 | (n as u32) << 4),
    };
    out.get_mut(..len)?.copy_from_slice(&v.to_le_bytes()[..len]);
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codewords_follow_the_rfc_example() {
        // RFC 8878 §4.2.1.1: weights 4 3 2 0 1 1 give lengths 1 2 3 - 4 4 and
        // the prefix codes 1, 01, 001, 0000, 0001.
        let mut lens = [0u8; 256];
        lens[..6].copy_from_slice(&[1, 2, 3, 0, 4, 4]);
        let mut words = [0u16; 256];
        assign_words(&lens, 4, &mut words);
        assert_eq!(words[..6], [0b1, 0b01, 0b001, 0, 0b0000, 0b0001]);
    }

    #[test]
    fn size_headers_pick_the_shortest_form() {
        let mut b = [0u8; 3];
        assert_eq!(write_size_header(&mut b, 0, 31), Some(1));
        assert_eq!(b[0], 31 << 3);
        assert_eq!(write_size_header(&mut b, 1, 4095), Some(2));
        assert_eq!(u16::from_le_bytes([b[0], b[1]]), 1 | 1 << 2 | 4095 << 4);
        assert_eq!(write_size_header(&mut b, 0, 70_000), Some(3));
        assert_eq!(
            b,
            [
                0x0C | (70_000u32 << 4) as u8,
                (70_000u32 >> 4) as u8,
                (70_000u32 >> 12) as u8
            ]
        );
    }
}
