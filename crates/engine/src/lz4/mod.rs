//! LZ4: the block codec and the frame format.
//!
//! A QAT LZ4 compression request produces the *data blocks* of an LZ4 frame
//! (LZ4 Frame Format v1.6): each block is a little-endian `u32` size whose high
//! bit marks a block stored uncompressed, the block data, and an optional
//! xxHash32 of the block data. The frame header, the end mark and the content
//! checksum come from `cpaDcGenerateHeader`/`Footer`, i.e. from
//! [`crate::framing`]. So:
//!
//! - [`Lz4Compressor::compress`] turns a request's input into data blocks;
//! - [`decompress`] accepts a whole frame (magic, header,
//!   blocks, end mark, content checksum, with skippable frames in front) or a
//!   bare block sequence such as `compress` produced, optionally ended by the
//!   end mark.
//!
//! The block codec itself is lz4_flex's (`compress_into_with_table`,
//! `decompress_into[_with_dict]`).
//!
//! # Statuses
//!
//! | condition | status |
//! |---|---|
//! | a block's size field exceeds the block maximum size | `Lz4MaxBlockSizeExceeded` (−93) |
//! | a legacy block's size field is zero | `SoftErr` (−12) |
//! | a block decodes to more than the block maximum size | `Lz4BlockOverflowErr` (−95) |
//! | a match offset of zero | `Lz4TokenIsZeroErr` (−98) |
//! | a match offset reaching before the output (or the 64 KiB window) | `Lz4DistanceOutOfRangeErr` (−100) |
//! | `dst` too small | `Overflow` (−11) |
//! | the input ends inside a frame header or a block | `IncompleteFileErr` (−15) |
//! | anything else: malformed block data (a literal run or a length past the block's end), a bad frame header (version, reserved bits, header checksum), a dictionary ID (unsupported), a block or content checksum mismatch, a content size mismatch | `SoftErr` (−12) |
//!
//! qatlib defines no LZ4 status for the `SoftErr` cases; they are invalid input,
//! and `SoftErr` is the status Table 5 gives for "other non-fatal" errors.
//! As for deflate, a failed or overflowed decompression consumes and produces
//! nothing.

mod compress;
mod decompress;

pub use compress::Lz4Compressor;
pub use decompress::decompress;

use crate::status::DcStatus;

/// The magic number that starts an LZ4 frame (stored little-endian).
pub const FRAME_MAGIC: u32 = 0x184D_2204;
/// Skippable frames have magic numbers `0x184D2A50..=0x184D2A5F`.
pub const SKIPPABLE_MAGIC_MIN: u32 = 0x184D_2A50;
/// Last skippable-frame magic number.
pub const SKIPPABLE_MAGIC_MAX: u32 = 0x184D_2A5F;
/// The magic number of a legacy frame (`lz4 -l`, the format of lz4 before
/// frames had headers).
pub const LEGACY_MAGIC: u32 = 0x184C_2102;
/// Content of each legacy block but the last (the last may be shorter).
pub const LEGACY_BLOCK: usize = 8 << 20;
/// Largest compressed size of a legacy block: LZ4's worst case for
/// [`LEGACY_BLOCK`] bytes. A larger size field is not a block: the legacy
/// frame ended and the next frame's magic number is there (the frame format
/// has no end mark; this is how the lz4 tool finds the end too).
pub const LEGACY_MAX_COMPRESSED: usize = LEGACY_BLOCK + LEGACY_BLOCK / 255 + 16;
/// The end mark: a block size of zero.
pub const END_MARK: [u8; 4] = [0; 4];
/// Matches reach at most this far back (the LZ4 window).
pub const WINDOW: usize = 64 * 1024;

/// Block maximum size of a frame (the BD byte's code 4..=7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockMaxSize {
    /// 64 KiB (code 4; QAT `CPA_DC_LZ4_MAX_BLOCK_SIZE_64K` = 0).
    K64,
    /// 256 KiB (code 5; QAT 1).
    K256,
    /// 1 MiB (code 6; QAT 2).
    M1,
    /// 4 MiB (code 7; QAT 3).
    M4,
}

impl BlockMaxSize {
    /// Size in bytes.
    pub fn bytes(self) -> usize {
        match self {
            BlockMaxSize::K64 => 64 << 10,
            BlockMaxSize::K256 => 256 << 10,
            BlockMaxSize::M1 => 1 << 20,
            BlockMaxSize::M4 => 4 << 20,
        }
    }

    /// The frame descriptor's code (4..=7).
    pub fn code(self) -> u8 {
        match self {
            BlockMaxSize::K64 => 4,
            BlockMaxSize::K256 => 5,
            BlockMaxSize::M1 => 6,
            BlockMaxSize::M4 => 7,
        }
    }

    /// From the frame descriptor's code; `None` for the reserved codes 0..=3.
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            4 => Some(BlockMaxSize::K64),
            5 => Some(BlockMaxSize::K256),
            6 => Some(BlockMaxSize::M1),
            7 => Some(BlockMaxSize::M4),
            _ => None,
        }
    }
}

impl From<softqat_cpa::Lz4BlockMaxSize> for BlockMaxSize {
    /// From a session's `CpaDcCompLZ4BlockMaxSize`.
    fn from(size: softqat_cpa::Lz4BlockMaxSize) -> Self {
        match size {
            softqat_cpa::Lz4BlockMaxSize::K64 => BlockMaxSize::K64,
            softqat_cpa::Lz4BlockMaxSize::K256 => BlockMaxSize::K256,
            softqat_cpa::Lz4BlockMaxSize::M1 => BlockMaxSize::M1,
            softqat_cpa::Lz4BlockMaxSize::M4 => BlockMaxSize::M4,
        }
    }
}

/// How data blocks are laid out: what a frame header says, or what the session
/// says for a bare block sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockFormat {
    /// Largest block (uncompressed size, and largest size field).
    pub max_size: BlockMaxSize,
    /// Each block is followed by the xxHash32 (seed 0) of its data as stored.
    pub checksum: bool,
    /// Blocks do not refer to earlier blocks' data (false: linked blocks, whose
    /// matches may reach up to 64 KiB back into earlier blocks).
    pub independent: bool,
}

impl BlockFormat {
    /// Common QAT session settings: 64 KiB blocks, no block checksums,
    /// independent blocks. (The `lz4` tool defaults to 4 MiB blocks.)
    pub const QAT_DEFAULT: BlockFormat = BlockFormat {
        max_size: BlockMaxSize::K64,
        checksum: false,
        independent: true,
    };
}

/// Result of an LZ4 compression or decompression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lz4Outcome {
    /// `CpaDcReqStatus`.
    pub status: DcStatus,
    /// Input bytes consumed.
    pub consumed: usize,
    /// Output bytes written.
    pub produced: usize,
    /// Decompression: an end mark was reached (and the content checksum, if
    /// any, verified). Always false for compression.
    pub end_of_frame: bool,
}

impl Lz4Outcome {
    /// Nothing consumed or produced.
    pub fn failed(status: DcStatus) -> Self {
        Lz4Outcome {
            status,
            consumed: 0,
            produced: 0,
            end_of_frame: false,
        }
    }
}

/// Worst-case size of [`Lz4Compressor::compress`]'s output for `n` input bytes:
/// every block stored, each with its 4-byte size and optional 4-byte checksum.
pub fn compress_bound(n: usize, format: &BlockFormat) -> usize {
    let blocks = n.div_ceil(format.max_size.bytes()).max(1);
    n + blocks * (4 + if format.checksum { 4 } else { 0 })
}
