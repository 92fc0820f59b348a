//! softqat's deflate compressor (RFC 1951), the compression engine's "firmware".
//!
//! A request is compressed statelessly: matches never reach before the start of
//! `src`. The input is parsed block by block into literal/match tokens (greedy with
//! one hash probe at depth 1, hash chains with lazy matching above), the histograms
//! being gathered while parsing; each block is then coded stored, static or dynamic,
//! whichever is smallest (static only in [`HuffmanMode::Static`]).
//!
//! Output that does not fit follows the stateless overflow rule of the QAT
//! Programmer's Guide: the longest prefix of whole blocks that fits, closed by a
//! sync marker, so that the caller can resubmit the rest. The last block of such a
//! prefix may be cut short (a prefix of its tokens under the same code).
//!
//! Layout of the work, for speed (see `examples/deflate_speed.rs` for figures):
//! - blocks cover up to 64 KiB of input, so a QAT-sized request is one block;
//! - depth 1: greedy matching as ISA-L's level 1 does it, two positions a
//!   step: a single-entry table of 16K 16-bit positions hashed on 6 bytes
//!   (fewer, longer matches than a 4-byte hash: more ratio and fewer steps),
//!   every position probed (no skipping), the next step's table entries read
//!   a step ahead, 8-byte compares (16 bytes without a data-dependent
//!   branch, 32 at a time beyond), the two positions after a match's start
//!   entered in the table, and two literals in a row as one token;
//! - histograms are counted while parsing; Huffman lengths come from a counting
//!   sort and a two-queue tree build, limited to 15 (7 for the code-length code)
//!   by redistributing lengths;
//! - tokens are laid out so that the writer codes literals, literal pairs and
//!   matches with the same branch-free steps through per-block tables, two
//!   tokens per step of its bit buffer when they fit;
//! - the parse and the writer are compiled twice, portable and for AVX2/BMI2,
//!   the variant chosen at run time ([`crate::kernels`]).
//!
//! The writer stores whole 8-byte words: bytes of `dst` past `produced` (at most
//! 7) may be overwritten.

mod bits;
mod block;
pub(crate) mod huffman;
mod matcher;
mod sequences;
mod tables;

#[cfg(test)]
mod tests;

use super::{Flush, HuffmanMode, SearchDepth, MAX_STORED_BLOCK};
use crate::kernels::Kernels;
use bits::BitWriter;
use block::{sync_marker_end, write_stored_blocks, write_sync_marker, BlockCoder, Kind};
use matcher::{parse_greedy, parse_lazy, ChainParams, MatchState, Sink, BLOCK_INPUT};
pub use sequences::Sequence;

/// How one request is to be compressed.
#[derive(Clone, Copy, Debug)]
pub struct CompressOptions {
    /// 1: greedy parsing with a single hash probe (QAT levels 1–5 on gen4); larger
    /// values: hash chains searched this deep, with lazy matching.
    pub depth: SearchDepth,
    /// Static: only BTYPE 01 blocks. Dynamic: BTYPE 10, a block falling back to
    /// static or stored coding when that is smaller.
    pub huffman: HuffmanMode,
    /// How the output ends.
    pub flush: Flush,
    /// Shortest match (QAT's `CpaDcCompMinMatch`): 3 or 4 (other values: below 4
    /// counts as 3). Depth 1 always looks for 4-byte matches, its fast default.
    /// Deeper searches with 3 also take length-3 matches up to 4 KiB back (from a
    /// table of 3-byte sequences, consulted when the chains find nothing longer).
    /// Any value gives a valid stream.
    pub min_match: u8,
}

impl Default for CompressOptions {
    fn default() -> Self {
        CompressOptions {
            depth: SearchDepth(1),
            huffman: HuffmanMode::Dynamic,
            flush: Flush::Final,
            min_match: 4,
        }
    }
}

/// What one `compress` (or [`write_stored`]) call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompressOutcome {
    /// Input bytes represented by the output.
    pub consumed: usize,
    /// Output bytes written.
    pub produced: usize,
    /// The whole input did not fit: the output is a prefix closed by a sync marker.
    pub overflow: bool,
    /// Bit offset in `dst` (byte * 8 + bit, LSB first) of the BFINAL bit of the block
    /// that ends the output: the final block for [`Flush::Final`], the empty stored
    /// block of the sync marker otherwise (and on overflow).
    pub terminator_bit: usize,
    /// [`Flush::Block`]: the bits of the output's partial last byte (low
    /// `tail_bits` bits), not counted in `produced`; 0 otherwise.
    pub tail: u8,
    /// How many bits `tail` holds (0..=7).
    pub tail_bits: u8,
}

impl CompressOutcome {
    const NOTHING: CompressOutcome = CompressOutcome {
        consumed: 0,
        produced: 0,
        overflow: true,
        terminator_bit: 0,
        tail: 0,
        tail_bits: 0,
    };
}

/// Reusable compressor workspace: `new()` allocates every table once and
/// `compress()` performs no heap allocation.
pub struct DeflateCompressor {
    ms: MatchState,
    sink: Sink,
    coder: Box<BlockCoder>,
    /// Dictionary tail and input joined, for [`DeflateCompressor::compress_with_dict`].
    joined: Vec<u8>,
    /// The variant of the parse and writer loops that runs.
    kernels: Kernels,
}

impl Default for DeflateCompressor {
    fn default() -> Self {
        Self::new()
    }
}

impl DeflateCompressor {
    pub fn new() -> Self {
        DeflateCompressor {
            ms: MatchState::new(),
            sink: Sink::new(),
            coder: Box::new(BlockCoder::new()),
            joined: Vec::new(),
            kernels: Kernels::detect(),
        }
    }

    /// Runs the given variant of the hot loops from now on (the fastest one
    /// the CPU has is the default), or the portable one where the CPU lacks
    /// its features; returns the variant that will run. Both produce the
    /// same output: tests and benchmarks use this to compare them.
    pub fn set_kernels(&mut self, kernels: Kernels) -> Kernels {
        self.kernels = if kernels.runs_here() {
            kernels
        } else {
            Kernels::Portable
        };
        self.kernels
    }

    /// Compresses `src` into `dst` as one independent deflate stream (or stream
    /// piece, for [`Flush::Sync`]). Never panics; see [`CompressOutcome`] for how an
    /// output that does not fit is reported.
    pub fn compress(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        opts: &CompressOptions,
    ) -> CompressOutcome {
        self.compress_after(src, 0, dst, (0, 0), opts)
    }

    /// Compresses `src` with the preset dictionary `dict` (zlib's
    /// `deflateSetDictionary`): matches may reach into the last 32 KiB of `dict`,
    /// so the output decodes only with that dictionary as history (zlib's
    /// `inflateSetDictionary`). The outcome counts `src` bytes only. The
    /// dictionary and input are joined in a buffer the compressor keeps and
    /// reuses (it grows to the largest request seen).
    pub fn compress_with_dict(
        &mut self,
        dict: &[u8],
        src: &[u8],
        dst: &mut [u8],
        opts: &CompressOptions,
    ) -> CompressOutcome {
        self.compress_continuing(dict, (0, 0), src, dst, opts)
    }

    /// Compresses `src` as the continuation of a stream: matches may reach
    /// into the last 32 KiB of `history` (the stream's earlier input), and
    /// the output starts with the `pending.1` low bits of `pending.0` (the
    /// partial last byte of the previous output, after a [`Flush::Block`]).
    /// `produced` and the terminator bit count those bits too. The
    /// stateful compressor ([`crate::deflate::stream`]) is built on this.
    pub fn compress_continuing(
        &mut self,
        history: &[u8],
        pending: (u8, u8),
        src: &[u8],
        dst: &mut [u8],
        opts: &CompressOptions,
    ) -> CompressOutcome {
        let tail = &history[history.len().saturating_sub(super::MAX_WINDOW)..];
        if tail.is_empty() {
            return self.compress_after(src, 0, dst, pending, opts);
        }
        let mut joined = std::mem::take(&mut self.joined);
        joined.clear();
        joined.extend_from_slice(tail);
        joined.extend_from_slice(src);
        let outcome = self.compress_after(&joined, tail.len(), dst, pending, opts);
        self.joined = joined;
        outcome
    }

    /// Compresses `src[start..]`, `src[..start]` being history the output may
    /// refer to but does not contain; the output continues the `pending.1`
    /// bits of `pending.0`.
    fn compress_after(
        &mut self,
        src: &[u8],
        start: usize,
        dst: &mut [u8],
        pending: (u8, u8),
        opts: &CompressOptions,
    ) -> CompressOutcome {
        let cap_bits = dst.len().saturating_mul(8);
        let final_flush = opts.flush == Flush::Final;
        let dynamic = opts.huffman == HuffmanMode::Dynamic;
        let mut w = BitWriter::with_pending(dst, pending.0, u32::from(pending.1));

        if src.len() <= start {
            let at = w.bit_pos();
            return match opts.flush {
                Flush::Final => {
                    // An empty static block is the shortest final block (10 bits).
                    if cap_bits < (at + 10).next_multiple_of(8) {
                        return CompressOutcome::NOTHING;
                    }
                    self.sink.clear();
                    self.coder.write_huffman(
                        &mut w,
                        &self.sink,
                        0,
                        Kind::Static,
                        true,
                        self.kernels,
                    );
                    finish(w, 0, false, at)
                }
                Flush::Sync => {
                    if cap_bits < sync_marker_end(at) {
                        return CompressOutcome::NOTHING;
                    }
                    write_sync_marker(&mut w);
                    finish(w, 0, false, at)
                }
                // Nothing to add: the pending bits stay pending.
                Flush::Block => finish_block(w, 0, at),
            };
        }

        let chain =
            (opts.depth.0 > 1).then(|| ChainParams::for_depth(opts.depth.0, opts.min_match));
        self.ms.begin(src.len(), chain.is_none());
        if start > 0 {
            let three = chain.is_some_and(|p| p.min_match == 3);
            self.ms.prime(src, start, chain.is_none(), three);
        }
        let mut pos = start;
        while pos < src.len() {
            let limit = pos.saturating_add(BLOCK_INPUT).min(src.len());
            self.ms
                .ensure_range(pos, limit.saturating_add(258).min(src.len()));
            self.sink.clear();
            let end = match &chain {
                None => parse_greedy(&mut self.ms, &mut self.sink, src, pos, limit, self.kernels),
                Some(p) => parse_lazy(&mut self.ms, &mut self.sink, src, pos, limit, p),
            };
            let end = end.clamp(pos + 1, src.len());
            let raw = &src[pos..end];
            let last = end == src.len();
            let start_bit = w.bit_pos();
            let (kind, bits) = self
                .coder
                .plan(&mut self.sink, dynamic, start_bit, raw.len());
            let after = start_bit + bits;
            let need = match opts.flush {
                Flush::Final if last => after.next_multiple_of(8),
                // The last block of a Block flush needs no marker after it,
                // and may end inside a byte (the tail is not written).
                Flush::Block if last => after,
                _ => sync_marker_end(after),
            };
            if need <= cap_bits {
                let fin = last && final_flush;
                match kind {
                    Kind::Stored => write_stored_blocks(&mut w, raw, fin),
                    _ => self.coder.write_huffman(
                        &mut w,
                        &self.sink,
                        self.sink.n,
                        kind,
                        fin,
                        self.kernels,
                    ),
                }
                pos = end;
                if fin {
                    let term = last_block_header(start_bit, kind, raw.len());
                    return finish(w, pos - start, false, term);
                }
                continue;
            }

            // Overflow: as much of this block as fits, then the sync marker. The coding
            // chosen for the whole block need not carry the longest prefix (a dynamic
            // header may not fit at all), so each allowed coding is tried.
            let stored_n = if dynamic {
                let hdr_end = sync_marker_end(start_bit);
                (cap_bits.saturating_sub(hdr_end) / 8)
                    .saturating_sub(5)
                    .min(raw.len())
                    .min(MAX_STORED_BLOCK)
            } else {
                0
            };
            let mut best = (Kind::Stored, 0usize, stored_n);
            let mut kinds = [Some(Kind::Static), None];
            if dynamic {
                // plan() built the dynamic code whatever it chose.
                kinds[1] = Some(Kind::Dynamic);
            }
            for k in kinds.into_iter().flatten() {
                let (ntok, nraw) = self
                    .coder
                    .fitting_prefix(&self.sink, k, start_bit, cap_bits);
                if nraw > best.2 {
                    best = (k, ntok, nraw);
                }
            }
            match best {
                (_, _, 0) => {}
                (Kind::Stored, _, n) => {
                    write_stored_blocks(&mut w, &raw[..n], false);
                    pos += n;
                }
                (k, ntok, nraw) => {
                    self.coder
                        .write_huffman(&mut w, &self.sink, ntok, k, false, self.kernels);
                    pos += nraw;
                }
            }
            return close_overflow(w, pos - start);
        }
        // Sync or Block flush (a Final flush returned with its last block).
        let term = w.bit_pos();
        if opts.flush == Flush::Block {
            return finish_block(w, pos - start, term);
        }
        write_sync_marker(&mut w);
        finish(w, pos - start, false, term)
    }
}

/// Bit offset of the header of the last block written for a block of `kind`
/// starting at `start_bit` (a stored block of more than 65 535 bytes is several).
fn last_block_header(start_bit: usize, kind: Kind, raw_len: usize) -> usize {
    if kind != Kind::Stored || raw_len <= MAX_STORED_BLOCK {
        return start_bit;
    }
    let blocks = raw_len.div_ceil(MAX_STORED_BLOCK);
    sync_marker_end(start_bit) + 8 * MAX_STORED_BLOCK + (blocks - 2) * (40 + 8 * MAX_STORED_BLOCK)
}

fn close_overflow(mut w: BitWriter, consumed: usize) -> CompressOutcome {
    if consumed == 0 {
        return CompressOutcome::NOTHING;
    }
    let term = w.bit_pos();
    write_sync_marker(&mut w);
    finish(w, consumed, true, term)
}

fn finish(w: BitWriter, consumed: usize, overflow: bool, terminator_bit: usize) -> CompressOutcome {
    let (produced, overrun) = w.finish();
    if overrun {
        // A sizing bug: never report output that was cut short.
        debug_assert!(false, "deflate writer overran its destination");
        return CompressOutcome::NOTHING;
    }
    CompressOutcome {
        consumed,
        produced,
        overflow,
        terminator_bit,
        tail: 0,
        tail_bits: 0,
    }
}

/// Ends a [`Flush::Block`] output: whole bytes written, the partial last
/// byte returned as the tail.
fn finish_block(w: BitWriter, consumed: usize, terminator_bit: usize) -> CompressOutcome {
    let (produced, tail, tail_bits, overrun) = w.finish_unaligned();
    if overrun {
        debug_assert!(false, "deflate writer overran its destination");
        return CompressOutcome::NOTHING;
    }
    CompressOutcome {
        consumed,
        produced,
        overflow: false,
        terminator_bit,
        tail,
        tail_bits,
    }
}

/// Writes `src` as stored blocks (BTYPE 00, at most 65 535 bytes each) terminated
/// per `flush`, with the same overflow rule as [`DeflateCompressor::compress`].
pub fn write_stored(src: &[u8], dst: &mut [u8], flush: Flush) -> CompressOutcome {
    let cap = dst.len();
    let final_flush = flush == Flush::Final;
    let mut w = BitWriter::new(dst);
    if src.is_empty() && flush == Flush::Block {
        // Stored blocks end on a byte boundary: nothing to add.
        return finish(w, 0, false, 0);
    }
    if src.is_empty() {
        if cap < 5 {
            return CompressOutcome::NOTHING;
        }
        write_stored_blocks(&mut w, &[], final_flush);
        return finish(w, 0, false, 0);
    }
    let mut pos = 0usize;
    let mut out = 0usize;
    for chunk in src.chunks(MAX_STORED_BLOCK) {
        let last = pos + chunk.len() == src.len();
        let fin = last && final_flush;
        let need = out + 5 + chunk.len() + if fin { 0 } else { 5 };
        if need > cap {
            let n = cap.saturating_sub(out + 10).min(chunk.len());
            if n > 0 {
                write_stored_blocks(&mut w, &chunk[..n], false);
                pos += n;
            }
            return close_overflow(w, pos);
        }
        write_stored_blocks(&mut w, chunk, fin);
        if fin {
            return finish(w, pos + chunk.len(), false, out * 8);
        }
        out += 5 + chunk.len();
        pos += chunk.len();
    }
    let term = out * 8;
    if flush != Flush::Block {
        write_sync_marker(&mut w);
    }
    finish(w, pos, false, term)
}
