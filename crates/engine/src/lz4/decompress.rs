//! LZ4 decompression of a frame or of a bare data-block sequence.

use lz4_flex::block::{decompress_into, decompress_into_with_dict, DecompressError};

use super::{
    BlockFormat, Lz4Outcome, FRAME_MAGIC, LEGACY_BLOCK, LEGACY_MAGIC, LEGACY_MAX_COMPRESSED,
    SKIPPABLE_MAGIC_MAX, SKIPPABLE_MAGIC_MIN, WINDOW,
};
use crate::checksum::xxhash32;
use crate::framing::{parse_lz4_frame_header, FramingError};
use crate::status::DcStatus;

/// The stored-block flag in a block's size field.
const STORED: u32 = 1 << 31;

/// Decompresses `src` into `dst`.
///
/// `src` is either an LZ4 frame — its first 4 bytes are the frame magic, after
/// any skippable frames — or a legacy frame (the legacy magic, after any
/// skippable frames), or a bare sequence of data blocks laid out as `bare`
/// says (the output of [`super::Lz4Compressor::compress`]). A frame or a bare
/// sequence may end with the end mark; a frame's content checksum follows its
/// end mark when the header announces one, and is verified, as are block
/// checksums and the content size. A legacy frame has no end mark: it ends at
/// the end of the input or before a size field too large for a block (the
/// magic number of the next frame), with `end_of_frame` set either way.
///
/// Decoding stops after the end mark (`end_of_frame`, bytes after it are not
/// consumed) or at the end of the input if it falls on a block boundary
/// (`end_of_frame == false`). Errors, overflow and input ending inside a
/// header or a block consume and produce nothing; see the module documentation
/// for the statuses.
pub fn decompress(src: &[u8], dst: &mut [u8], bare: &BlockFormat) -> Lz4Outcome {
    match run(src, dst, bare) {
        Ok((consumed, produced, end_of_frame)) => Lz4Outcome {
            status: DcStatus::Ok,
            consumed,
            produced,
            end_of_frame,
        },
        Err(status) => Lz4Outcome::failed(status),
    }
}

fn read_u32(src: &[u8], at: usize) -> Option<u32> {
    let b = src.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Returns (consumed, produced, end_of_frame).
fn run(src: &[u8], dst: &mut [u8], bare: &BlockFormat) -> Result<(usize, usize, bool), DcStatus> {
    let mut pos = 0usize;

    // Skippable frames carry no content (RFC-style metadata): step over them.
    while let Some(magic) = read_u32(src, pos) {
        if !(SKIPPABLE_MAGIC_MIN..=SKIPPABLE_MAGIC_MAX).contains(&magic) {
            break;
        }
        let size = read_u32(src, pos + 4).ok_or(DcStatus::IncompleteFileErr)? as usize;
        let end = pos
            .checked_add(8 + size)
            .filter(|&e| e <= src.len())
            .ok_or(DcStatus::IncompleteFileErr)?;
        pos = end;
    }

    if read_u32(src, pos) == Some(LEGACY_MAGIC) {
        return legacy(src, pos + 4, dst);
    }

    let (format, content_checksum, content_size) = if read_u32(src, pos) == Some(FRAME_MAGIC) {
        let (opts, header_len) = parse_lz4_frame_header(&src[pos..]).map_err(|e| match e {
            FramingError::Truncated { .. } => DcStatus::IncompleteFileErr,
            _ => DcStatus::SoftErr,
        })?;
        if opts.dict_id.is_some() {
            // No dictionary is available to a stateless request.
            return Err(DcStatus::SoftErr);
        }
        pos += header_len;
        (opts.blocks, opts.content_checksum, opts.content_size)
    } else {
        (*bare, false, None)
    };

    let max = format.max_size.bytes();
    let check = if format.checksum { 4 } else { 0 };
    let mut out = 0usize;
    loop {
        if pos == src.len() {
            return Ok((pos, out, false));
        }
        let word = read_u32(src, pos).ok_or(DcStatus::IncompleteFileErr)?;
        pos += 4;
        if word == 0 {
            if content_checksum {
                let expected = read_u32(src, pos).ok_or(DcStatus::IncompleteFileErr)?;
                pos += 4;
                if xxhash32(0, &dst[..out]) != expected {
                    return Err(DcStatus::SoftErr);
                }
            }
            if content_size.is_some_and(|n| n != out as u64) {
                return Err(DcStatus::SoftErr);
            }
            return Ok((pos, out, true));
        }

        let size = (word & !STORED) as usize;
        if size > max {
            return Err(DcStatus::Lz4MaxBlockSizeExceeded);
        }
        if src.len() - pos < size + check {
            return Err(DcStatus::IncompleteFileErr);
        }
        let data = &src[pos..pos + size];
        if format.checksum && read_u32(src, pos + size) != Some(xxhash32(0, data)) {
            return Err(DcStatus::SoftErr);
        }
        let room = dst.len() - out;
        if word & STORED != 0 {
            if size > room {
                return Err(DcStatus::Overflow);
            }
            dst[out..out + size].copy_from_slice(data);
            out += size;
        } else {
            // A block may not decode to more than `max`: give the codec at most
            // that much room, then tell a full `dst` from an oversized block.
            let limit = room.min(max);
            let (before, rest) = dst.split_at_mut(out);
            let result = if format.independent {
                decompress_into(data, &mut rest[..limit])
            } else {
                let window = &before[before.len().saturating_sub(WINDOW)..];
                decompress_into_with_dict(data, &mut rest[..limit], window)
            };
            out += result.map_err(|e| block_error(e, room, max))?;
        }
        pos += size + check;
    }
}

/// The blocks of a legacy frame, from `pos` (after its magic number).
fn legacy(src: &[u8], mut pos: usize, dst: &mut [u8]) -> Result<(usize, usize, bool), DcStatus> {
    let mut out = 0usize;
    loop {
        if pos == src.len() {
            return Ok((pos, out, true));
        }
        let size = read_u32(src, pos).ok_or(DcStatus::IncompleteFileErr)? as usize;
        if size > LEGACY_MAX_COMPRESSED {
            // The next frame's magic number: this frame ends before it.
            return Ok((pos, out, true));
        }
        if size == 0 {
            // No compressor writes an empty legacy block, and lz4 rejects it.
            return Err(DcStatus::SoftErr);
        }
        pos += 4;
        if src.len() - pos < size {
            return Err(DcStatus::IncompleteFileErr);
        }
        let room = dst.len() - out;
        let limit = room.min(LEGACY_BLOCK);
        let n = decompress_into(&src[pos..pos + size], &mut dst[out..out + limit])
            .map_err(|e| block_error(e, room, LEGACY_BLOCK))?;
        out += n;
        pos += size;
    }
}

/// The status of a block the codec rejected.
fn block_error(e: DecompressError, room: usize, max: usize) -> DcStatus {
    match e {
        // `expected` is where the failing copy would have ended, counted from
        // the block's start. Beyond `max` the block is oversized whatever the
        // room; below it, `dst` filled up first.
        DecompressError::OutputTooSmall { expected, .. } => {
            if room >= max || expected > max {
                DcStatus::Lz4BlockOverflowErr
            } else {
                DcStatus::Overflow
            }
        }
        DecompressError::OffsetZero => DcStatus::Lz4TokenIsZeroErr,
        DecompressError::OffsetOutOfBounds => DcStatus::Lz4DistanceOutOfRangeErr,
        _ => DcStatus::SoftErr,
    }
}
