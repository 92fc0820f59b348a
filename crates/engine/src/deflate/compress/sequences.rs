//! The compressor's match finder as a source of LZ77 sequences, for the
//! formats that share deflate's parse but not its entropy coding: LZ4S (and,
//! through LZ4S, zstd).
//!
//! The parse is exactly the one deflate blocks are coded from — the same
//! search depth per level, the same minimum match, 32 KiB window and
//! 258-byte longest match — so these formats get the compressor's speed and
//! its tuning without a second match finder. Their own limits are looser
//! (LZ4S reaches 64 KiB back with unbounded lengths): a long repeat simply
//! becomes consecutive matches with no literals between them.

use std::ops::ControlFlow;

use super::matcher::{
    parse_greedy, parse_lazy, token_raw_len, ChainParams, TOKEN_DEXTRA_SHIFT, TOKEN_TAIL_MASK,
    TOKEN_TAIL_SHIFT,
};
use super::tables::DIST_BASE;
use super::{DeflateCompressor, BLOCK_INPUT};
use crate::deflate::SearchDepth;

/// One LZ77 sequence: a run of literals, then a match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sequence {
    /// Literal bytes before the match (taken from the input in order).
    pub literals: u32,
    /// Bytes the match copies.
    pub match_len: u32,
    /// How far back the match starts (1 = the previous byte).
    pub offset: u32,
}

impl DeflateCompressor {
    /// Parses `src` into sequences, in order, calling `emit` for each one;
    /// `emit` may stop the parse by returning `Break`. Returns the number of
    /// input bytes the emitted sequences cover; the rest of the input (all
    /// of it after the last match when the parse ran to the end) are the
    /// trailing literals, which no sequence reports.
    ///
    /// `depth` and `min_match` mean what they mean for deflate
    /// ([`super::CompressOptions`]): matches are never shorter than
    /// `min_match` (3 or 4; depth 1 finds 4-byte matches only). Allocates
    /// nothing: the parse reuses the compressor's tables and token buffer.
    pub fn parse_sequences(
        &mut self,
        src: &[u8],
        depth: SearchDepth,
        min_match: u8,
        mut emit: impl FnMut(Sequence) -> ControlFlow<()>,
    ) -> usize {
        if src.is_empty() {
            return 0;
        }
        let chain = (depth.0 > 1).then(|| ChainParams::for_depth(depth.0, min_match));
        self.ms.begin(src.len(), chain.is_none());
        let mut pos = 0usize;
        // Literals since the last match, possibly spanning parse blocks.
        let mut literals = 0u32;
        let mut covered = 0usize;
        while pos < src.len() {
            let limit = pos.saturating_add(BLOCK_INPUT).min(src.len());
            self.ms
                .ensure_range(pos, limit.saturating_add(258).min(src.len()));
            self.sink.clear();
            let end = match &chain {
                None => parse_greedy(&mut self.ms, &mut self.sink, src, pos, limit, self.kernels),
                Some(p) => parse_lazy(&mut self.ms, &mut self.sink, src, pos, limit, p),
            };
            for &t in &self.sink.tokens[..self.sink.n] {
                let idx = t & 511;
                if idx < 256 {
                    // One literal or two.
                    literals += token_raw_len(t) as u32;
                    continue;
                }
                let dsym = ((t >> TOKEN_TAIL_SHIFT) & TOKEN_TAIL_MASK) as usize;
                let seq = Sequence {
                    literals,
                    match_len: idx - 256 + 3,
                    offset: u32::from(DIST_BASE[dsym]) + (t >> TOKEN_DEXTRA_SHIFT),
                };
                if emit(seq).is_break() {
                    return covered;
                }
                covered += (seq.literals + seq.match_len) as usize;
                literals = 0;
            }
            pos = end.clamp(pos + 1, src.len());
        }
        covered
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rebuilds the input from the sequences and the trailing literals.
    fn replay(src: &[u8], depth: u16, min_match: u8) -> (Vec<u8>, u32) {
        let mut c = DeflateCompressor::new();
        let mut out = Vec::new();
        let mut shortest = u32::MAX;
        let covered = c.parse_sequences(src, SearchDepth(depth), min_match, |s| {
            let at = out.len();
            out.extend_from_slice(&src[at..at + s.literals as usize]);
            let from = out.len() - s.offset as usize;
            for k in 0..s.match_len as usize {
                out.push(out[from + k]);
            }
            shortest = shortest.min(s.match_len);
            assert!(s.offset as usize <= crate::deflate::MAX_WINDOW);
            ControlFlow::Continue(())
        });
        assert_eq!(covered, out.len());
        out.extend_from_slice(&src[covered..]);
        (out, shortest)
    }

    #[test]
    fn sequences_rebuild_the_input_at_every_depth() {
        let mut src = Vec::new();
        for i in 0..200_000u32 {
            src.push(b"abcabdabcxyz"[(i % 12) as usize] ^ (i / 9_000) as u8);
            if i % 777 == 0 {
                src.extend_from_slice(&i.to_le_bytes());
            }
        }
        for depth in [1, 6, 9, 64] {
            for mm in [3, 4] {
                let (out, shortest) = replay(&src, depth, mm);
                assert!(out == src, "depth {depth} min match {mm}");
                assert!(shortest >= u32::from(mm.max(if depth == 1 { 4 } else { 3 })));
            }
        }
    }

    #[test]
    fn a_break_stops_the_parse_and_counts_what_was_emitted() {
        let src = b"0123456789".repeat(1000);
        let mut c = DeflateCompressor::new();
        let mut n = 0;
        let mut sum = 0usize;
        let covered = c.parse_sequences(&src, SearchDepth(1), 4, |s| {
            if n == 2 {
                return ControlFlow::Break(());
            }
            n += 1;
            sum += (s.literals + s.match_len) as usize;
            ControlFlow::Continue(())
        });
        assert_eq!(covered, sum);
        assert!(covered > 0 && covered < src.len());
        assert_eq!(
            c.parse_sequences(&[], SearchDepth(1), 4, |_| unreachable!()),
            0
        );
    }
}
