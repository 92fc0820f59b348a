//! The stateful compressor: each request compresses its input as the
//! continuation of the stream, with the previous 32 KiB of input as the
//! history the match finder is primed with.
//!
//! # Context (little-endian, [`DEFLATE_STATE_LEN`] bytes)
//!
//! | offset | size | field |
//! |---:|---:|---|
//! | 0 | 1 | magic (a stream in progress) |
//! | 1 | 1 | bits pending from the last output (0..=7) |
//! | 2 | 1 | those bits |
//! | 4 | 4 | history length (0..=32768) |
//! | 8 | 4 | running CRC32 |
//! | 12 | 4 | running Adler32 |
//! | 64 | 32768 | history, right-aligned (its last byte is the stream's last input byte) |
//!
//! # Flushes
//!
//! - NONE: the output ends after the last block, possibly inside a byte;
//!   that partial byte is not produced but kept, and the next request's
//!   output starts with it (so NONE outputs concatenate into one stream).
//! - SYNC: a sync marker (an empty stored block) ends the output
//!   byte-aligned; the history is kept.
//! - FULL: as SYNC, then the history is dropped: what follows decodes on
//!   its own (zlib's `Z_FULL_FLUSH`).
//! - FINAL: the last block carries BFINAL; the stream ends and the context
//!   starts a new one.
//!
//! An output that does not fit follows the stateless rule (a prefix of
//! whole blocks closed by a sync marker, `Overflow`, resubmit the rest);
//! the history takes the consumed part, so the resubmitted rest continues
//! the same stream. A request that fits nothing leaves the context as it
//! was.

use super::{append_history, get_u32, put_u32, Running, StreamFlush, StreamOutcome, StreamRequest};
use crate::deflate::compress::{CompressOptions, DeflateCompressor};
use crate::deflate::{Flush, MAX_WINDOW};
use crate::status::DcStatus;

const MAGIC: u8 = 0xDE;
const HEADER: usize = 64;
const WINDOW_AT: usize = HEADER;

/// Bytes of context a stateful compression stream needs.
pub const DEFLATE_STATE_LEN: usize = HEADER + MAX_WINDOW;

/// The header of a compression context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Header {
    tail: u8,
    tail_bits: u8,
    hist_len: usize,
    sums: Running,
}

impl Header {
    const FRESH: Header = Header {
        tail: 0,
        tail_bits: 0,
        hist_len: 0,
        sums: Running::START,
    };

    /// The header of `ctx`, if it is one this module wrote.
    fn load(ctx: &[u8]) -> Option<Header> {
        let h = Header {
            tail_bits: ctx[1],
            tail: ctx[2],
            hist_len: get_u32(ctx, 4) as usize,
            sums: Running {
                crc32: get_u32(ctx, 8),
                adler32: get_u32(ctx, 12),
            },
        };
        (ctx[0] == MAGIC && h.tail_bits < 8 && h.hist_len <= MAX_WINDOW).then_some(h)
    }

    fn store(&self, ctx: &mut [u8]) {
        ctx[..HEADER].fill(0);
        ctx[0] = MAGIC;
        ctx[1] = self.tail_bits;
        ctx[2] = self.tail;
        put_u32(ctx, 4, self.hist_len as u32);
        put_u32(ctx, 8, self.sums.crc32);
        put_u32(ctx, 12, self.sums.adler32);
    }
}

/// Compresses `src` into `dst` as the next request of the stream whose
/// state is `ctx` ([`DEFLATE_STATE_LEN`] bytes or more). `opts` gives the
/// depth, Huffman mode and minimum match (the flush is the request's). The
/// checksums in the outcome are the stream's running values.
pub fn stream_compress(
    compressor: &mut DeflateCompressor,
    ctx: &mut [u8],
    req: &StreamRequest,
    src: &[u8],
    dst: &mut [u8],
    opts: &CompressOptions,
) -> StreamOutcome {
    let (start, flush, sums) = (req.start, req.flush, req.sums);
    if ctx.len() < DEFLATE_STATE_LEN {
        return StreamOutcome::failed(DcStatus::SoftErr);
    }
    let ctx = &mut ctx[..DEFLATE_STATE_LEN];
    let mut h = if start {
        Header::FRESH
    } else {
        match Header::load(ctx) {
            Some(h) => h,
            None => return StreamOutcome::failed(DcStatus::SoftErr),
        }
    };
    let opts = CompressOptions {
        flush: match flush {
            StreamFlush::None => Flush::Block,
            StreamFlush::Sync | StreamFlush::Full => Flush::Sync,
            StreamFlush::Final => Flush::Final,
        },
        ..*opts
    };
    let c = {
        let history = &ctx[DEFLATE_STATE_LEN - h.hist_len..];
        compressor.compress_continuing(history, (h.tail, h.tail_bits), src, dst, &opts)
    };
    if c.overflow && c.consumed == 0 {
        // Not even one block and its marker fit: nothing changes.
        return StreamOutcome {
            crc32: h.sums.crc32,
            adler32: h.sums.adler32,
            ..StreamOutcome::failed(DcStatus::Overflow)
        };
    }
    let taken = &src[..c.consumed];
    h.sums.update(sums, taken);
    let reported = h.sums;
    if c.overflow {
        // The prefix ends with a sync marker: byte-aligned, history kept.
        append_history(&mut ctx[WINDOW_AT..], &mut h.hist_len, taken);
        (h.tail, h.tail_bits) = (0, 0);
    } else {
        match flush {
            StreamFlush::Final => h = Header::FRESH,
            StreamFlush::Full => {
                h.hist_len = 0;
                (h.tail, h.tail_bits) = (0, 0);
            }
            StreamFlush::Sync => {
                append_history(&mut ctx[WINDOW_AT..], &mut h.hist_len, taken);
                (h.tail, h.tail_bits) = (0, 0);
            }
            StreamFlush::None => {
                append_history(&mut ctx[WINDOW_AT..], &mut h.hist_len, taken);
                (h.tail, h.tail_bits) = (c.tail, c.tail_bits);
            }
        }
    }
    h.store(ctx);
    StreamOutcome {
        status: if c.overflow {
            DcStatus::Overflow
        } else {
            DcStatus::Ok
        },
        consumed: c.consumed,
        produced: c.produced,
        end_of_last_block: false,
        crc32: reported.crc32,
        adler32: reported.adler32,
    }
}
