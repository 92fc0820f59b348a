//! Stateful deflate: one stream compressed or decompressed across many
//! requests (QAT's `CPA_DC_STATEFUL` sessions).
//!
//! Everything a stream carries from one request to the next lives in a
//! *context*: a byte region the caller owns (on QAT, the session's context
//! buffer in DMA memory, which the firmware reads at the start of a request
//! and writes back at its end). The workspaces here ([`StreamInflater`],
//! and the [`DeflateCompressor`](super::compress::DeflateCompressor) the
//! compressor side borrows) hold nothing between requests, so any engine
//! may serve the next request of any stream.
//!
//! - [`inflate`]: the resumable decoder. A request may end anywhere — in a
//!   block header, inside a symbol, in a stored block — and the next one
//!   continues: the decoder stops at the last whole unit (a symbol, a block
//!   header, a stored byte) and keeps the bytes of the unfinished one.
//! - [`deflate`]: the stateful compressor. The history (the previous 32 KiB
//!   of input) primes the match finder; the flush decides how the output
//!   ends: nothing (NONE: the partial last byte is kept for the next
//!   request), a sync marker (SYNC), a sync marker and no history after it
//!   (FULL), or the final block (FINAL).
//!
//! A context is either *fresh* (the caller says so: QAT's start-of-packet,
//! a new session or `cpaDcResetSession`) or what the previous request of
//! the stream left. A context that holds neither is refused with
//! `CPA_DC_SOFTERR`, never trusted: its bytes are checked like any input.
//! A request that fails leaves the context as it was (QAT rolls back to
//! the last good state and reports nothing consumed or produced).

pub mod deflate;
pub mod inflate;

pub use deflate::{stream_compress, DEFLATE_STATE_LEN};
pub use inflate::{StreamInflater, INFLATE_STATE_LEN};

use crate::status::DcStatus;

/// How a stateful request ends (`CpaDcFlush`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamFlush {
    /// `CPA_DC_FLUSH_NONE`: more input follows; the output may stop inside
    /// a byte.
    None,
    /// `CPA_DC_FLUSH_SYNC`: the output ends byte-aligned (a sync marker);
    /// the history is kept.
    Sync,
    /// `CPA_DC_FLUSH_FULL`: as SYNC, and the history is dropped, so the
    /// output from here on decodes without what came before.
    Full,
    /// `CPA_DC_FLUSH_FINAL`: the stream ends with this request.
    Final,
}

/// One stateful request's flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamRequest {
    /// Begin a new stream, whatever the context holds (QAT's
    /// start-of-packet: the first request of a session or after
    /// `cpaDcResetSession`).
    pub start: bool,
    /// How the request ends.
    pub flush: StreamFlush,
    /// The running checksums to keep.
    pub sums: StreamChecksums,
}

/// Which running checksums a stream keeps over its uncompressed data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamChecksums {
    /// CRC32 (gzip's).
    pub crc32: bool,
    /// Adler32 (zlib's).
    pub adler32: bool,
}

/// What one stateful request did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamOutcome {
    /// `Ok`, `Overflow` (the destination filled: resubmit from `consumed`
    /// with more room; an exception, not an error), or the error that
    /// failed the request (nothing consumed or produced, context unchanged).
    pub status: DcStatus,
    /// Input bytes taken: those decoded or kept in the context.
    pub consumed: usize,
    /// Output bytes written.
    pub produced: usize,
    /// Decompression: the stream's final block was decoded; the next
    /// request starts a new stream.
    pub end_of_last_block: bool,
    /// The running CRC32 of the stream's uncompressed data after this
    /// request (0 when not kept).
    pub crc32: u32,
    /// The running Adler32 (1 when not kept).
    pub adler32: u32,
}

impl StreamOutcome {
    /// A failed request: nothing consumed or produced.
    pub fn failed(status: DcStatus) -> StreamOutcome {
        StreamOutcome {
            status,
            consumed: 0,
            produced: 0,
            end_of_last_block: false,
            crc32: 0,
            adler32: 1,
        }
    }
}

/// The running checksums of a stream: read from and written to a context
/// header as two little-endian words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Running {
    crc32: u32,
    adler32: u32,
}

impl Running {
    const START: Running = Running {
        crc32: 0,
        adler32: 1,
    };

    fn update(&mut self, which: StreamChecksums, data: &[u8]) {
        if which.crc32 {
            self.crc32 = crate::checksum::crc32(self.crc32, data);
        }
        if which.adler32 {
            self.adler32 = crate::checksum::adler32(self.adler32, data);
        }
    }
}

/// Little-endian fields of a context header.
fn get_u16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn get_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// Makes `window` (whose last `*len` bytes are a stream's history) hold
/// the last `window.len()` bytes of that history followed by `data`.
fn append_history(window: &mut [u8], len: &mut usize, data: &[u8]) {
    let cap = window.len();
    if data.len() >= cap {
        window.copy_from_slice(&data[data.len() - cap..]);
        *len = cap;
        return;
    }
    let keep = (*len).min(cap - data.len());
    window.copy_within(cap - keep.., cap - keep - data.len());
    window[cap - data.len()..].copy_from_slice(data);
    *len = keep + data.len();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_keeps_the_last_window_of_bytes() {
        let mut w = [0u8; 8];
        let mut len = 0;
        append_history(&mut w, &mut len, b"abc");
        assert_eq!((&w[8 - len..], len), (&b"abc"[..], 3));
        append_history(&mut w, &mut len, b"defgh");
        assert_eq!(&w[8 - len..], b"abcdefgh");
        append_history(&mut w, &mut len, b"ij");
        assert_eq!(&w[8 - len..], b"cdefghij");
        append_history(&mut w, &mut len, b"0123456789");
        assert_eq!(&w[8 - len..], b"23456789");
        append_history(&mut w, &mut len, b"");
        assert_eq!(&w[8 - len..], b"23456789");
    }
}
