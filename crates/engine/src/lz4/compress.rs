//! LZ4 compression into frame data blocks.

use lz4_flex::block::{
    compress_into_with_dict, compress_into_with_table, get_maximum_output_size, CompressTable,
};

use super::{BlockFormat, Lz4Outcome, WINDOW};
use crate::checksum::xxhash32;
use crate::scratch::{NoScratch, Scratch};
use crate::status::DcStatus;

/// The stored-block flag in a block's size field.
const STORED: u32 = 1 << 31;

/// LZ4 block compressor: keeps lz4_flex's hash table and a scratch buffer
/// across requests, so a request allocates nothing once they have grown.
pub struct Lz4Compressor {
    table: CompressTable,
    /// Holds a block's compressed form when `dst` has less room than the
    /// codec's worst case (lz4_flex requires the full bound up front).
    scratch: Scratch,
}

impl Default for Lz4Compressor {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Lz4Compressor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lz4Compressor")
    }
}

impl Lz4Compressor {
    /// A compressor with an empty scratch buffer.
    pub fn new() -> Self {
        Lz4Compressor {
            table: CompressTable::default(),
            scratch: Scratch::default(),
        }
    }

    /// Compresses `src` into `dst` as LZ4 frame data blocks of at most
    /// `format.max_size` input bytes each (no frame header, no end mark).
    ///
    /// A block that does not shrink is stored (size field high bit set). With
    /// `format.checksum` each block is followed by the xxHash32 of its data.
    /// With `!format.independent`, matches may reach into the previous 64 KiB
    /// of `src` (linked blocks).
    ///
    /// Overflow follows the stateless compression rule (Table 18): the blocks
    /// that fit are kept, `consumed`/`produced` count them, status `Overflow`.
    ///
    /// Fails only when a block must be compressed into scratch (the
    /// destination is shorter than the codec's worst case) and the scratch
    /// cannot grow to it; the scratch is trimmed again before returning.
    pub fn compress(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        format: &BlockFormat,
    ) -> Result<Lz4Outcome, NoScratch> {
        let outcome = self.compress_blocks(src, dst, format);
        self.scratch.trim();
        outcome
    }

    fn compress_blocks(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        format: &BlockFormat,
    ) -> Result<Lz4Outcome, NoScratch> {
        let mut consumed = 0;
        let mut produced = 0;
        for block in src.chunks(format.max_size.bytes()) {
            match self.block(src, consumed, block.len(), &mut dst[produced..], format)? {
                Some(n) => {
                    consumed += block.len();
                    produced += n;
                }
                None => {
                    return Ok(Lz4Outcome {
                        status: DcStatus::Overflow,
                        consumed,
                        produced,
                        end_of_frame: false,
                    })
                }
            }
        }
        Ok(Lz4Outcome {
            status: DcStatus::Ok,
            consumed,
            produced,
            end_of_frame: false,
        })
    }

    /// Writes the block `src[start..start + len]` at the start of `out`;
    /// returns its size, or `None` if it does not fit (an error if the
    /// scratch it needed could not be had).
    fn block(
        &mut self,
        src: &[u8],
        start: usize,
        len: usize,
        out: &mut [u8],
        format: &BlockFormat,
    ) -> Result<Option<usize>, NoScratch> {
        let input = &src[start..start + len];
        let check = if format.checksum { 4 } else { 0 };
        let bound = get_maximum_output_size(len);
        let direct = out.len() >= 4 + bound + check;

        let compressed = {
            let sink: &mut [u8] = if direct {
                &mut out[4..4 + bound]
            } else {
                self.scratch.get(bound)?
            };
            let result = if format.independent || start == 0 {
                compress_into_with_table(input, sink, &mut self.table)
            } else {
                let dict = &src[start.saturating_sub(WINDOW)..start];
                compress_into_with_dict(input, sink, dict)
            };
            // An error can only mean "output too small", which the bound
            // rules out; store the block then.
            result.ok().filter(|&n| n < len)
        };

        let (field, data_len) = match compressed {
            Some(n) => (n as u32, n),
            None => (len as u32 | STORED, len),
        };
        if out.len() < 4 + data_len + check {
            return Ok(None);
        }
        match compressed {
            // The scratch already holds `n` bytes: this allocates nothing.
            Some(n) if !direct => out[4..4 + n].copy_from_slice(self.scratch.get(n)?),
            Some(_) => {}
            None => out[4..4 + len].copy_from_slice(input),
        }
        out[..4].copy_from_slice(&field.to_le_bytes());
        if format.checksum {
            let sum = xxhash32(0, &out[4..4 + data_len]);
            out[4 + data_len..4 + data_len + 4].copy_from_slice(&sum.to_le_bytes());
        }
        Ok(Some(4 + data_len + check))
    }
}
