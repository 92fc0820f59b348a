//! Deflate (RFC 1951): the compressor and the decompressor.
//!
//! - [`compress`]: softqat's own deflate compressor. QAT levels map to a search
//!   depth (see [`SearchDepth::for_level`]); Huffman coding is static or dynamic;
//!   the caller controls how the output ends (final block, or a byte-aligned
//!   sync point so stateless outputs concatenate into one stream).
//! - [`inflate`]: a validating decoder that reports the exact `CpaDcReqStatus`
//!   of an invalid stream, decodes streams that end at a block boundary without
//!   BFINAL, and reports where blocks end.
//! - [`decompress`]: the decompression entry point, strict on every path
//!   ([`inflate`] decodes every request).
//! - [`stream`]: stateful compression and decompression — a stream cut into
//!   requests at any byte, its state (history, bit position, block state,
//!   running checksums) in a caller-provided context.

pub mod compress;
pub mod decompress;
pub mod inflate;
pub mod stream;

/// How a compressed output ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flush {
    /// The last block carries BFINAL; the output is padded to a byte boundary.
    Final,
    /// No block carries BFINAL; the output ends with an empty stored block
    /// (`00 00 FF FF` after alignment), so the next request's output can be
    /// appended to form one stream (zlib's Z_SYNC_FLUSH / Z_FULL_FLUSH).
    Sync,
    /// No block carries BFINAL and no marker follows the last block, which
    /// may end inside a byte: `produced` counts whole bytes and the bits of
    /// the last partial byte come back in the outcome's `tail` (zlib's
    /// Z_NO_FLUSH at a block boundary). The stateful compressor
    /// ([`stream`]) starts its next request with them. An overflow still
    /// ends with a sync marker.
    Block,
}

/// Huffman coding of compressed blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HuffmanMode {
    /// Fixed codes of RFC 1951 §3.2.6 (BTYPE 01) only.
    Static,
    /// Dynamic codes (BTYPE 10) built per block; a block may fall back to static
    /// or stored coding where that is smaller.
    Dynamic,
}

/// Match-finder effort: how many candidate positions are examined per match.
///
/// QAT describes its levels by search depth. gen4 (4xxx, qatlib): levels 1–5 →
/// depth 1, 6–8 → 6, 9 → 9, 10–12 → maximum depth. QAT 1.7 (c6xx, the
/// Programmer's Guide §3.10): levels 1–4 → depth 1, 4, 8, 16; 5–9 → as level 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SearchDepth(pub u16);

/// The level-to-depth table a device generation uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelMapping {
    /// qatlib on gen4 (4xxx, 420xx): 1–5 → 1, 6–8 → 6, 9 → 9, 10–12 → max.
    Gen4,
    /// QAT 1.7 (c6xx, c3xxx, dh895xcc): 1 → 1, 2 → 4, 3 → 8, 4–9 → 16.
    Gen2,
}

impl SearchDepth {
    /// The deepest search the compressor performs (levels 10–12 on gen4).
    pub const MAX: SearchDepth = SearchDepth(128);

    /// The search depth for compression `level` (1..=12) under `mapping`, or
    /// `None` when the level is outside what that generation accepts.
    pub fn for_level(level: u8, mapping: LevelMapping) -> Option<SearchDepth> {
        let depth = match (mapping, level) {
            (LevelMapping::Gen4, 1..=5) => 1,
            (LevelMapping::Gen4, 6..=8) => 6,
            (LevelMapping::Gen4, 9) => 9,
            (LevelMapping::Gen4, 10..=12) => SearchDepth::MAX.0,
            (LevelMapping::Gen2, 1) => 1,
            (LevelMapping::Gen2, 2) => 4,
            (LevelMapping::Gen2, 3) => 8,
            (LevelMapping::Gen2, 4..=9) => 16,
            _ => return None,
        };
        Some(SearchDepth(depth))
    }
}

/// The deflate window: the farthest a distance reaches (RFC 1951), and so the
/// part of a preset dictionary that matters (its last 32 KiB).
pub const MAX_WINDOW: usize = 32_768;

/// Size of the largest stored block (RFC 1951: LEN is 16 bits).
pub const MAX_STORED_BLOCK: usize = 65_535;

/// Worst-case output size for static compression of `n` bytes plus the skid pad
/// the Programmer's Guide §5.1.1.4 asks destination buffers to have:
/// `ceil(9n/8) + 55`.
pub fn deflate_compress_bound(n: usize) -> usize {
    (9 * n).div_ceil(8) + 55
}

/// Output size when `n` bytes are stored in blocks of at most 65 535 bytes,
/// each with its 5-byte header (auto-select-best with stored headers).
pub fn stored_size(n: usize) -> usize {
    n + n.div_ceil(MAX_STORED_BLOCK).max(1) * 5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_mapping_tables() {
        let g4: Vec<u16> = (1..=12)
            .map(|l| SearchDepth::for_level(l, LevelMapping::Gen4).unwrap().0)
            .collect();
        assert_eq!(g4, [1, 1, 1, 1, 1, 6, 6, 6, 9, 128, 128, 128]);
        let g2: Vec<u16> = (1..=9)
            .map(|l| SearchDepth::for_level(l, LevelMapping::Gen2).unwrap().0)
            .collect();
        assert_eq!(g2, [1, 4, 8, 16, 16, 16, 16, 16, 16]);
        assert_eq!(SearchDepth::for_level(0, LevelMapping::Gen4), None);
        assert_eq!(SearchDepth::for_level(10, LevelMapping::Gen2), None);
    }

    #[test]
    fn bounds_match_programmers_guide_examples() {
        // §5.1.1.4: 111261 bytes need 125224 bytes of destination buffer.
        assert_eq!(deflate_compress_bound(111_261), 125_224);
        // §5.1.1.3.3: stored with headers, 111261 → 111271.
        assert_eq!(stored_size(111_261), 111_271);
    }
}
