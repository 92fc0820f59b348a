//! zstd frames (RFC 8878) encoded from LZ4S: what Intel's QAT zstd plugin
//! does with the LZ4S a gen4 endpoint produces, here in the engine.
//!
//! qatlib 26.08 has `CPA_DC_ZSTD` sessions only on gen6 devices (6xxx,
//! `dc_capabilities.zstd`); gen4 (4xxx, 401xx, 402xx, 420xx) offers LZ4S,
//! which zstd users turn into zstd with the plugin: the device finds the
//! matches, software codes them. [`ZstdEncoder`] is that software half: it
//! reads the sequences of LZ4S blocks (checking that they rebuild the
//! input they stand for) and writes standard frames any zstd decoder reads:
//!
//! - frame header: magic, content size when known, a 64 KiB window (LZ4S
//!   offsets are 16-bit) or a single segment for small content, and the
//!   XXH64 content checksum flag;
//! - blocks of at most 64 KiB of content, each raw, RLE or compressed,
//!   whichever is smallest;
//! - compressed blocks: literals raw, RLE or Huffman-coded (one or four
//!   streams, weights direct or FSE-coded); sequences with predefined, RLE
//!   or per-block FSE tables, whichever costs least per code;
//! - the content checksum (low 32 bits of XXH64, seed 0).
//!
//! A frame may span several requests: [`ZstdEncoder::begin_frame`], then
//! [`ZstdEncoder::blocks_from_lz4s`] once per request (each request's LZ4S
//! block is independent, so its blocks never refer to an earlier request's
//! data), the last one marked `last`. [`ZstdEncoder::lz4s_to_zstd`] does a
//! one-request frame. Nothing is allocated per block: the workspace is
//! sized for a block when the encoder is made.

mod bits;
mod decode;
mod fse;
mod literals;
mod sequences;

use xxhash_rust::xxh64::Xxh64;

use crate::lz4s::{Lz4sError, Lz4sReader};
pub use decode::ZstdDecoder;
use literals::LiteralsCoder;
use sequences::{Seq, SequencesCoder, INITIAL_REPEATS};

/// The magic number that starts a zstd frame (stored little-endian).
pub const MAGIC: u32 = 0xFD2F_B528;
/// The window the frames declare: LZ4S matches reach at most 65 535 bytes
/// back.
pub const WINDOW: usize = 64 << 10;
/// Content of one block: the window (zstd's `Block_Maximum_Size` is the
/// smaller of the window and 128 KiB).
const BLOCK_MAX: usize = WINDOW;
/// Longest frame header: magic, descriptor, window, 8-byte content size.
pub const MAX_HEADER_LEN: usize = 14;
/// Length of the content checksum that ends a frame.
pub const CHECKSUM_LEN: usize = 4;
/// Each block's header.
const BLOCK_HEADER_LEN: usize = 3;

/// Most bytes [`ZstdEncoder::blocks_from_lz4s`] writes for `n` bytes of
/// content (every block raw; one empty block for no content), checksum
/// included.
pub fn blocks_bound(n: usize) -> usize {
    n + BLOCK_HEADER_LEN * n.div_ceil(BLOCK_MAX).max(1) + CHECKSUM_LEN
}

/// Most bytes a whole frame for `n` bytes of content takes
/// (`cpaDcZstdCompressBound`'s question for these frames).
pub fn compress_bound(n: usize) -> usize {
    MAX_HEADER_LEN + blocks_bound(n)
}

/// What an encoder could not do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ZstdError {
    /// The LZ4S block does not parse.
    #[error("{0}")]
    Lz4s(#[from] Lz4sError),
    /// The LZ4S block does not rebuild the input given with it.
    #[error(
        "the LZ4S block does not stand for the input given with it (it differs from byte \
         {at} on): pass the source the block was compressed from, and the session's minMatch"
    )]
    Mismatch {
        /// First input byte not accounted for.
        at: usize,
    },
    /// The content differs in length from the size the frame header declared.
    #[error("the frame declared {declared} bytes of content but was given {given}")]
    ContentSize {
        /// Declared in the frame header.
        declared: u64,
        /// Given so far (or at the end).
        given: u64,
    },
    /// The destination is too short.
    #[error(
        "the destination holds {0} bytes, too few: size it with softqat_engine::zstd::blocks_bound \
         (or compress_bound for a whole frame)"
    )]
    Overflow(usize),
    /// Blocks without a frame begun.
    #[error("no frame is open: call begin_frame first (a frame ends with its last blocks)")]
    NoFrame,
}

/// Frame header settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameOptions {
    /// The content size to declare (checked at the end), if known.
    pub content_size: Option<u64>,
    /// End the frame with the XXH64 content checksum.
    pub checksum: bool,
}

/// The frame under way.
struct Frame {
    hasher: Option<Xxh64>,
    /// The recent offsets after the last compressed block (raw and RLE
    /// blocks leave them as they are).
    repeats: [u32; 3],
    declared: Option<u64>,
    given: u64,
}

/// A zstd frame encoder for LZ4S input, with its workspace.
pub struct ZstdEncoder {
    lits: Vec<u8>,
    seqs: Vec<Seq>,
    literals: Box<LiteralsCoder>,
    sequences: Box<SequencesCoder>,
    frame: Option<Frame>,
}

impl Default for ZstdEncoder {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for ZstdEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ZstdEncoder")
    }
}

/// Where the current block stands while a request's sequences are added.
struct BlockState {
    /// Input offset of the block's first byte.
    start: usize,
    /// Content bytes in the block so far.
    fill: usize,
    /// Literals since the block's last sequence.
    pending: u32,
    /// Output written so far.
    at: usize,
}

impl ZstdEncoder {
    /// An encoder with its workspace for one block allocated.
    pub fn new() -> Self {
        ZstdEncoder {
            lits: Vec::with_capacity(BLOCK_MAX),
            // A sequence covers at least 3 bytes of content.
            seqs: Vec::with_capacity(BLOCK_MAX / 3 + 1),
            literals: Box::new(LiteralsCoder::new()),
            sequences: Box::new(SequencesCoder::new()),
            frame: None,
        }
    }

    /// Writes a frame header to `dst` and opens the frame; returns the
    /// header's length (at most [`MAX_HEADER_LEN`]). An unfinished frame is
    /// abandoned.
    pub fn begin_frame(&mut self, opts: FrameOptions, dst: &mut [u8]) -> Result<usize, ZstdError> {
        self.frame = None;
        let single = opts.content_size.is_some_and(|n| n <= WINDOW as u64);
        let (code, fcs): (u8, &[u8]) = match opts.content_size {
            None => (0, &[]),
            Some(n) if single && n < 256 => (0, &[n as u8][..]),
            Some(n) if (256..=65_791).contains(&n) => (1, &((n - 256) as u16).to_le_bytes()[..]),
            Some(n) if n <= u64::from(u32::MAX) => (2, &(n as u32).to_le_bytes()[..]),
            Some(n) => (3, &n.to_le_bytes()[..]),
        };
        // Frame_Content_Size_flag, Single_Segment_flag, Content_Checksum_flag.
        let descriptor = code << 6 | u8::from(single) << 5 | u8::from(opts.checksum) << 2;
        let mut header = [0u8; MAX_HEADER_LEN];
        header[..4].copy_from_slice(&MAGIC.to_le_bytes());
        header[4] = descriptor;
        let mut len = 5;
        if !single {
            // Window_Descriptor: exponent 16 - 10, mantissa 0: 64 KiB.
            header[len] = ((WINDOW.trailing_zeros() - 10) << 3) as u8;
            len += 1;
        }
        header[len..len + fcs.len()].copy_from_slice(fcs);
        len += fcs.len();
        let cap = dst.len();
        dst.get_mut(..len)
            .ok_or(ZstdError::Overflow(cap))?
            .copy_from_slice(&header[..len]);
        self.frame = Some(Frame {
            hasher: opts.checksum.then(|| Xxh64::new(0)),
            repeats: INITIAL_REPEATS,
            declared: opts.content_size,
            given: 0,
        });
        Ok(len)
    }

    /// Appends the blocks for one request to the open frame: `src` is the
    /// request's input and `lz4s` the LZ4S block compressed from it with
    /// minimum match `min_match`. With `last`, the final block is marked
    /// and the content checksum written, closing the frame. Returns the
    /// bytes written to `dst` (at most [`blocks_bound`]`(src.len())`).
    ///
    /// The LZ4S must rebuild `src` exactly, or nothing is written and the
    /// frame is abandoned; so is it when `dst` is too short.
    pub fn blocks_from_lz4s(
        &mut self,
        src: &[u8],
        lz4s: &[u8],
        min_match: u8,
        last: bool,
        dst: &mut [u8],
    ) -> Result<usize, ZstdError> {
        let r = self.blocks(src, lz4s, min_match, last, dst);
        if r.is_err() || last {
            self.frame = None;
        }
        r
    }

    /// A whole frame for one request (content size declared, checksum on).
    pub fn lz4s_to_zstd(
        &mut self,
        src: &[u8],
        lz4s: &[u8],
        min_match: u8,
        dst: &mut [u8],
    ) -> Result<usize, ZstdError> {
        let opts = FrameOptions {
            content_size: Some(src.len() as u64),
            checksum: true,
        };
        let h = self.begin_frame(opts, dst)?;
        let cap = dst.len();
        let rest = dst.get_mut(h..).ok_or(ZstdError::Overflow(cap))?;
        Ok(h + self.blocks_from_lz4s(src, lz4s, min_match, true, rest)?)
    }

    /// A whole frame for `src` made of raw blocks (content size declared,
    /// checksum on): what compress-and-verify recovery writes for a
    /// `CPA_DC_ZSTD` request, the zstd counterpart of deflate's stored
    /// blocks. At most [`compress_bound`]`(src.len())` bytes.
    pub fn raw_frame(&mut self, src: &[u8], dst: &mut [u8]) -> Result<usize, ZstdError> {
        let opts = FrameOptions {
            content_size: Some(src.len() as u64),
            checksum: true,
        };
        let mut at = self.begin_frame(opts, dst)?;
        self.frame = None;
        let cap = dst.len();
        // No content is one empty last block.
        let blocks = src.len().div_ceil(BLOCK_MAX).max(1);
        for i in 0..blocks {
            let chunk = &src[(i * BLOCK_MAX).min(src.len())..((i + 1) * BLOCK_MAX).min(src.len())];
            // Block_Type 0 (raw): the size is the content's.
            let header = u32::from(i + 1 == blocks) | (chunk.len() as u32) << 3;
            let out = dst
                .get_mut(at..at + BLOCK_HEADER_LEN + chunk.len())
                .ok_or(ZstdError::Overflow(cap))?;
            out[..BLOCK_HEADER_LEN].copy_from_slice(&header.to_le_bytes()[..BLOCK_HEADER_LEN]);
            out[BLOCK_HEADER_LEN..].copy_from_slice(chunk);
            at += out.len();
        }
        let sum = (crate::checksum::xxhash64(0, src) as u32).to_le_bytes();
        dst.get_mut(at..at + CHECKSUM_LEN)
            .ok_or(ZstdError::Overflow(cap))?
            .copy_from_slice(&sum);
        Ok(at + CHECKSUM_LEN)
    }

    fn blocks(
        &mut self,
        src: &[u8],
        lz4s: &[u8],
        min_match: u8,
        last: bool,
        dst: &mut [u8],
    ) -> Result<usize, ZstdError> {
        let frame = self.frame.as_mut().ok_or(ZstdError::NoFrame)?;
        let given = frame.given + src.len() as u64;
        if let Some(declared) = frame.declared {
            if given > declared || last && given != declared {
                return Err(ZstdError::ContentSize { declared, given });
            }
        }
        // The whole block is checked before anything is written.
        let mut pos = 0usize;
        for item in Lz4sReader::new(lz4s, min_match) {
            let item = item?;
            let n = item.literals.len();
            if src.get(pos..pos + n) != Some(item.literals) {
                return Err(ZstdError::Mismatch { at: pos });
            }
            pos += n;
            if let Some((len, off)) = item.matched {
                let ok = off <= pos
                    && pos + len <= src.len()
                    && src[pos - off..pos - off + len] == src[pos..pos + len];
                if !ok {
                    return Err(ZstdError::Mismatch { at: pos });
                }
                pos += len;
            }
        }
        if pos != src.len() {
            return Err(ZstdError::Mismatch { at: pos });
        }

        let mut b = BlockState {
            start: 0,
            fill: 0,
            pending: 0,
            at: 0,
        };
        self.lits.clear();
        self.seqs.clear();
        let mut pos = 0usize;
        for item in Lz4sReader::new(lz4s, min_match) {
            // Parsed once already: an error here cannot happen.
            let item = item?;
            let mut lits = item.literals;
            pos += lits.len();
            while !lits.is_empty() {
                if b.fill == BLOCK_MAX {
                    self.flush_block(src, &mut b, false, dst)?;
                }
                let k = lits.len().min(BLOCK_MAX - b.fill);
                self.lits.extend_from_slice(&lits[..k]);
                b.pending += k as u32;
                b.fill += k;
                lits = &lits[k..];
            }
            if let Some((mut len, off)) = item.matched {
                pos += len;
                while len > 0 {
                    let room = BLOCK_MAX - b.fill;
                    // Split a match across blocks into parts of at least
                    // 3 bytes (zstd's shortest), at the same offset.
                    let part = if len <= room { len } else { room.min(len - 3) };
                    if part >= 3 {
                        self.seqs.push(Seq {
                            literals: b.pending,
                            match_len: part as u32,
                            offset: off as u32,
                        });
                        b.pending = 0;
                        b.fill += part;
                        len -= part;
                    }
                    if len > 0 {
                        self.flush_block(src, &mut b, false, dst)?;
                    }
                }
            }
        }
        debug_assert_eq!(pos, src.len());
        if b.fill > 0 || last {
            self.flush_block(src, &mut b, last, dst)?;
        }
        let frame = self.frame.as_mut().ok_or(ZstdError::NoFrame)?;
        frame.given = given;
        if let Some(h) = frame.hasher.as_mut() {
            h.update(src);
        }
        if last {
            if let Some(h) = frame.hasher.as_ref() {
                let sum = (h.digest() as u32).to_le_bytes();
                let cap = dst.len();
                dst.get_mut(b.at..b.at + CHECKSUM_LEN)
                    .ok_or(ZstdError::Overflow(cap))?
                    .copy_from_slice(&sum);
                b.at += CHECKSUM_LEN;
            }
        }
        Ok(b.at)
    }

    /// Writes the current block (`src[b.start..b.start + b.fill]`, with the
    /// gathered literals and sequences) as the smallest of compressed, RLE
    /// and raw, and starts the next one.
    fn flush_block(
        &mut self,
        src: &[u8],
        b: &mut BlockState,
        last: bool,
        dst: &mut [u8],
    ) -> Result<(), ZstdError> {
        let content = &src[b.start..b.start + b.fill];
        let cap = dst.len();
        let out = dst
            .get_mut(b.at..)
            .filter(|o| o.len() >= BLOCK_HEADER_LEN)
            .ok_or(ZstdError::Overflow(cap))?;
        let body = &mut out[BLOCK_HEADER_LEN..];
        let frame = self.frame.as_mut().ok_or(ZstdError::NoFrame)?;
        let mut repeats = frame.repeats;
        let compressed = if content.is_empty() {
            None
        } else {
            self.literals.write(&self.lits, body).and_then(|l| {
                let out = body.get_mut(l..)?;
                let s = self.sequences.write(&mut self.seqs, &mut repeats, out)?;
                Some(l + s)
            })
        };
        let uniform = |c: &[u8]| c.len() > 1 && c.iter().all(|&x| x == c[0]);
        // Block_Type: 0 raw, 1 RLE, 2 compressed; Block_Size as each defines it.
        let (kind, size, written) = match compressed {
            // A tiny compressed block may be a uniform one, which RLE
            // stores in one byte; larger ones are not worth the check.
            Some(c) if c < content.len() && (c > 32 || !uniform(content)) => {
                frame.repeats = repeats;
                (2u32, c, c)
            }
            _ if uniform(content) => {
                body[0] = content[0];
                (1, content.len(), 1)
            }
            _ => {
                body.get_mut(..content.len())
                    .ok_or(ZstdError::Overflow(cap))?
                    .copy_from_slice(content);
                (0, content.len(), content.len())
            }
        };
        let header = u32::from(last) | kind << 1 | (size as u32) << 3;
        out[..BLOCK_HEADER_LEN].copy_from_slice(&header.to_le_bytes()[..BLOCK_HEADER_LEN]);
        b.at += BLOCK_HEADER_LEN + written;
        b.start += b.fill;
        b.fill = 0;
        b.pending = 0;
        self.lits.clear();
        self.seqs.clear();
        Ok(())
    }
}
