//! One compression-service request, end to end: what the firmware of a QAT
//! compression slice does with a request once its buffers are in reach.
//!
//! This module turns session settings and per-request flags into codec calls
//! and applies the rules the Programmer's Guide sets around them:
//! - auto-select-best (§5.1.1.3): static/dynamic, stored blocks with headers, or
//!   raw data without headers when compression does not pay;
//! - checksums carried across requests through the seed (CRC32, Adler32), or
//!   computed per request (xxHash32 for LZ4);
//! - compress-and-verify (§3.13) on every compression that asks for it, and the
//!   recovery into stored blocks (§5.1.3) counted by the caller;
//! - the overflow rules of Table 18: stateless compression overflow is an
//!   exception (partial output, resubmit from `consumed`), decompression and
//!   data-plane overflow are errors (nothing consumed or produced);
//! - simulated errors (`icp_sal_dc_simulate_error`).
//!
//! A [`DcEngine`] holds the per-thread workspaces, so requests up to 64 KiB
//! allocate nothing. A larger request grows its scratch fallibly: when the
//! memory limit refuses it, the request ends with [`NoScratch`] (nothing
//! consumed or produced) and the engine serves the next one; the scratch of
//! an oversized request is given back once it is answered.

use crate::checksum;
use crate::deflate::compress::{write_stored, CompressOptions, CompressOutcome, DeflateCompressor};
use crate::deflate::decompress::Decompressor;
use crate::deflate::stream::{
    stream_compress, StreamChecksums, StreamFlush, StreamInflater, StreamOutcome, StreamRequest,
};
use crate::deflate::{Flush, HuffmanMode, SearchDepth, MAX_STORED_BLOCK};
use crate::lz4::{self, BlockFormat, Lz4Compressor};
use crate::lz4s;
use crate::scratch::{NoScratch, Scratch};
use crate::status::DcStatus;
use crate::zstd::{ZstdDecoder, ZstdEncoder, ZstdError};

use softqat_cpa::CompType;
pub use softqat_cpa::{AutoSelectBest, ChecksumType};

/// The compression algorithms this engine implements. This is the engine's
/// own choice, not `CpaDcCompType` (whose C values it does not carry); a
/// session's [`CompType`] converts with `DcAlgorithm::from`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DcAlgorithm {
    /// Deflate (RFC 1951): `CPA_DC_DEFLATE`.
    Deflate,
    /// LZ4 blocks: `CPA_DC_LZ4`.
    Lz4,
    /// LZ4S sequences, compression only: `CPA_DC_LZ4S`.
    Lz4s,
    /// zstd frames (RFC 8878): `CPA_DC_ZSTD` (qatlib: gen6). A compression
    /// request's output is one whole frame (its LZ4S matches coded by
    /// [`ZstdEncoder`], content size and checksum in), so the outputs of a
    /// session's requests, concatenated, are a stream `zstd -d` reads;
    /// decompression takes complete frames.
    Zstd,
}

impl From<CompType> for DcAlgorithm {
    fn from(t: CompType) -> DcAlgorithm {
        match t {
            CompType::Deflate => DcAlgorithm::Deflate,
            CompType::Lz4 => DcAlgorithm::Lz4,
            CompType::Lz4s => DcAlgorithm::Lz4s,
            CompType::Zstd => DcAlgorithm::Zstd,
        }
    }
}

impl From<DcAlgorithm> for CompType {
    fn from(a: DcAlgorithm) -> CompType {
        match a {
            DcAlgorithm::Deflate => CompType::Deflate,
            DcAlgorithm::Lz4 => CompType::Lz4,
            DcAlgorithm::Lz4s => CompType::Lz4s,
            DcAlgorithm::Zstd => CompType::Zstd,
        }
    }
}

/// Settings that stay fixed for a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DcParams {
    /// Algorithm.
    pub algorithm: DcAlgorithm,
    /// Huffman coding of deflate blocks.
    pub huffman: HuffmanMode,
    /// Auto-select-best (deflate): `Disabled` keeps the compressed output;
    /// `StaticDynamic`, `UncompStaticDynamicWithStoredHdrs` and `Enabled` fall
    /// back to stored blocks when compression produces more than the stored
    /// form; `UncompStaticDynamicWithNoHdrs` falls back to the raw input,
    /// flagged `data_uncompressed`, when compression produces more than the
    /// input.
    pub asb: AutoSelectBest,
    /// Checksum over the uncompressed data. xxHash32 and xxHash64 are
    /// computed per request, not seeded; xxHash64 is zstd's (the frame's
    /// content checksum) and ends a request of another algorithm with
    /// `CPA_DC_SOFTERR`.
    pub checksum: ChecksumType,
    /// Match-finder depth from the level.
    pub depth: SearchDepth,
    /// Minimum match length, 3 or 4 (deflate's search; LZ4S's match field
    /// counts from it).
    pub min_match: u8,
    /// LZ4 frame-block settings.
    pub lz4: BlockFormat,
}

impl DcParams {
    /// The status a request with these settings ends with before any work,
    /// if the engine cannot honour them (xxHash64 is for zstd only).
    fn refused(&self) -> Option<DcStatus> {
        (self.checksum == ChecksumType::Xxhash64 && self.algorithm != DcAlgorithm::Zstd)
            .then_some(DcStatus::SoftErr)
    }
}

/// Per-request flags and inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DcRequest {
    /// True for FLUSH_FINAL: the output ends the stream (compression) or the
    /// input must hold a complete stream (decompression).
    pub final_flush: bool,
    /// Verify every compressed output by decompressing it (CnV).
    pub verify: bool,
    /// On a verify failure, recover into stored blocks (CnVnR).
    pub recover: bool,
    /// Overflow is an error with nothing consumed or produced (data-plane API),
    /// instead of an exception with partial output (traditional API).
    pub overflow_is_error: bool,
    /// Checksum seed: the CRC32 carried from the previous request (0 to start).
    pub seed_crc32: u32,
    /// Checksum seed: the Adler32 carried from the previous request (1 to start).
    pub seed_adler32: u32,
    /// A simulated error to report instead of the real outcome.
    pub inject: Option<DcStatus>,
}

/// The outcome of one request (`CpaDcRqResults` plus what the stack counts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DcResult {
    /// `results.status`.
    pub status: DcStatus,
    /// Input bytes consumed.
    pub consumed: u32,
    /// Output bytes produced.
    pub produced: u32,
    /// `results.checksum`: the session's checksum after this request.
    pub checksum: u32,
    /// Adler32 after this request (for CRC32_ADLER32 sessions).
    pub adler32: u32,
    /// The final block of a stream was decoded (decompression).
    pub end_of_last_block: bool,
    /// Decompression stopped at a block end on a byte boundary (see
    /// [`crate::deflate::inflate::InflateOutcome::aligned_end`]; LZ4 is
    /// byte-oriented, so always).
    pub aligned_end: bool,
    /// The output is the raw input (auto-select-best without headers).
    pub data_uncompressed: bool,
    /// A compress-and-verify error was recovered into stored blocks.
    pub cnv_recovered: bool,
}

impl DcResult {
    fn failed(status: DcStatus, req: &DcRequest, params: &DcParams) -> DcResult {
        DcResult {
            status,
            consumed: 0,
            produced: 0,
            checksum: seed_checksum(params.checksum, req),
            adler32: req.seed_adler32,
            end_of_last_block: false,
            aligned_end: false,
            data_uncompressed: false,
            cnv_recovered: false,
        }
    }
}

fn seed_checksum(kind: ChecksumType, req: &DcRequest) -> u32 {
    match kind {
        ChecksumType::None | ChecksumType::Xxhash32 | ChecksumType::Xxhash64 => 0,
        ChecksumType::Crc32 | ChecksumType::Crc32Adler32 => req.seed_crc32,
        ChecksumType::Adler32 => req.seed_adler32,
    }
}

/// Checksums over `data`, continuing from the request's seeds: (checksum, adler32).
fn checksums(kind: ChecksumType, req: &DcRequest, data: &[u8]) -> (u32, u32) {
    match kind {
        ChecksumType::None => (0, req.seed_adler32),
        ChecksumType::Crc32 => (checksum::crc32(req.seed_crc32, data), req.seed_adler32),
        ChecksumType::Adler32 => {
            let a = checksum::adler32(req.seed_adler32, data);
            (a, a)
        }
        ChecksumType::Crc32Adler32 => (
            checksum::crc32(req.seed_crc32, data),
            checksum::adler32(req.seed_adler32, data),
        ),
        ChecksumType::Xxhash32 => (checksum::xxhash32(0, data), req.seed_adler32),
        // `results.checksum` is 32 bits wide: the low half of the xxHash64,
        // the value a zstd frame stores as its content checksum.
        ChecksumType::Xxhash64 => (checksum::xxhash64(0, data) as u32, req.seed_adler32),
    }
}

/// What a stateful request adds to a [`DcRequest`] (whose `final_flush`,
/// verify and seed fields a stateful request does not use: the flush is
/// here, the checksums run in the context).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DcStream {
    /// Start a new stream (QAT's start-of-packet): the first request of a
    /// session or after `cpaDcResetSession`.
    pub start: bool,
    /// `CpaDcFlush`.
    pub flush: StreamFlush,
}

/// The running checksums a session's checksum type needs.
/// What the stream code needs of a stateful request: where it stands in
/// the stream, its flush, and which running checksums the session keeps.
fn stream_request(params: &DcParams, stream: &DcStream) -> StreamRequest {
    StreamRequest {
        start: stream.start,
        flush: stream.flush,
        sums: stream_sums(params.checksum),
    }
}

fn stream_sums(kind: ChecksumType) -> StreamChecksums {
    StreamChecksums {
        crc32: matches!(kind, ChecksumType::Crc32 | ChecksumType::Crc32Adler32),
        adler32: matches!(kind, ChecksumType::Adler32 | ChecksumType::Crc32Adler32),
    }
}

/// A stateful request's result: the checksum fields are the stream's
/// running values.
fn stream_result(kind: ChecksumType, o: &StreamOutcome) -> DcResult {
    let checksum = match kind {
        ChecksumType::Crc32 | ChecksumType::Crc32Adler32 => o.crc32,
        ChecksumType::Adler32 => o.adler32,
        _ => 0,
    };
    let ok = matches!(o.status, DcStatus::Ok | DcStatus::Overflow);
    DcResult {
        status: o.status,
        consumed: if ok { o.consumed as u32 } else { 0 },
        produced: if ok { o.produced as u32 } else { 0 },
        checksum,
        adler32: o.adler32,
        end_of_last_block: o.end_of_last_block,
        aligned_end: false,
        data_uncompressed: false,
        cnv_recovered: false,
    }
}

/// Per-thread workspace of the compression service.
pub struct DcEngine {
    compressor: DeflateCompressor,
    decompressor: Decompressor,
    /// The resumable decoder of stateful sessions.
    stream_inflater: StreamInflater,
    lz4: Lz4Compressor,
    /// Where compress-and-verify decodes the output it checks.
    verify_buf: Scratch,
    /// Where a partial read decodes the stream up to its region.
    part_buf: Scratch,
    /// Where a zstd request's LZ4S block goes before it is coded as zstd.
    lz4s_buf: Scratch,
    /// The zstd coder, made by the first zstd request (its tables are of
    /// no use to an engine that serves none).
    zstd_enc: Option<Box<ZstdEncoder>>,
    /// The zstd decoder (its context made on first use).
    zstd_dec: ZstdDecoder,
}

impl Default for DcEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl DcEngine {
    /// A workspace with its codec tables allocated.
    pub fn new() -> Self {
        DcEngine {
            compressor: DeflateCompressor::new(),
            decompressor: Decompressor::new(),
            stream_inflater: StreamInflater::new(),
            lz4: Lz4Compressor::new(),
            // Room to verify a 64 KiB request (the usual size) from the
            // start: the engine then allocates nothing per request, and
            // its memory is taken while it is admitted, not later.
            verify_buf: Scratch::with_capacity(64 << 10),
            // Partial reads are rare: their scratch is taken by the first
            // one, fallibly, and kept up to SCRATCH_KEEP.
            part_buf: Scratch::with_capacity(0),
            // Taken by the first zstd request, fallibly, and kept up to
            // SCRATCH_KEEP like the others.
            lz4s_buf: Scratch::with_capacity(0),
            zstd_enc: None,
            zstd_dec: ZstdDecoder::new(),
        }
    }

    /// Compresses `src` into `dst` as one stateless request.
    ///
    /// Fails, with nothing consumed or produced, only when the scratch the
    /// request needs (compress-and-verify of more than 64 KiB, an LZ4 block
    /// into a short destination) cannot be allocated: the firmware answers
    /// that with CPA_STATUS_RESOURCE. Scratch grown beyond
    /// [`SCRATCH_KEEP`](crate::scratch::SCRATCH_KEEP) is given back before
    /// returning.
    pub fn compress(
        &mut self,
        params: &DcParams,
        req: &DcRequest,
        src: &[u8],
        dst: &mut [u8],
    ) -> Result<DcResult, NoScratch> {
        let result = self.compress_request(params, req, &[], src, dst);
        self.verify_buf.trim();
        self.lz4s_buf.trim();
        result
    }

    /// [`DcEngine::compress`] with a preset dictionary (deflate only; see
    /// [`DeflateCompressor::compress_with_dict`](crate::deflate::compress::DeflateCompressor::compress_with_dict)):
    /// the output decodes with that dictionary as history, and
    /// compress-and-verify decodes it so. An LZ4 session with a non-empty
    /// dictionary gets `InvalidDictBuff`.
    pub fn compress_with_dict(
        &mut self,
        params: &DcParams,
        req: &DcRequest,
        dict: &[u8],
        src: &[u8],
        dst: &mut [u8],
    ) -> Result<DcResult, NoScratch> {
        let result = self.compress_request(params, req, dict, src, dst);
        self.verify_buf.trim();
        self.lz4s_buf.trim();
        result
    }

    fn compress_request(
        &mut self,
        params: &DcParams,
        req: &DcRequest,
        dict: &[u8],
        src: &[u8],
        dst: &mut [u8],
    ) -> Result<DcResult, NoScratch> {
        if let Some(status) = req.inject {
            if status != DcStatus::VerifyError {
                return Ok(DcResult::failed(status, req, params));
            }
        }
        if let Some(status) = params.refused() {
            return Ok(DcResult::failed(status, req, params));
        }
        if src.len() > u32::MAX as usize || dst.len() > u32::MAX as usize {
            return Ok(DcResult::failed(DcStatus::SoftErr, req, params));
        }
        if !dict.is_empty() && params.algorithm != DcAlgorithm::Deflate {
            return Ok(DcResult::failed(DcStatus::InvalidDictBuff, req, params));
        }
        let flush = if req.final_flush {
            Flush::Final
        } else {
            Flush::Sync
        };
        let mut outcome = match params.algorithm {
            DcAlgorithm::Deflate => self.deflate_with_asb(params, flush, dict, src, dst),
            DcAlgorithm::Lz4 => lz4_produced(self.lz4.compress(src, dst, &params.lz4)?),
            DcAlgorithm::Lz4s => {
                let o = lz4s::compress(
                    &mut self.compressor,
                    src,
                    dst,
                    params.depth,
                    params.min_match,
                );
                Produced {
                    consumed: o.consumed,
                    produced: o.produced,
                    overflow: o.overflow,
                    kind: Outcome::Lz4s,
                }
            }
            DcAlgorithm::Zstd => match self.zstd_frame(params, src, dst)? {
                Ok(produced) => Produced {
                    consumed: src.len(),
                    produced,
                    overflow: false,
                    kind: Outcome::Zstd,
                },
                // A frame is whole or nothing (gen6 has no overflow
                // resubmission): the request overflows with nothing
                // consumed.
                Err(DcStatus::Overflow) => Produced {
                    consumed: 0,
                    produced: 0,
                    overflow: true,
                    kind: Outcome::Zstd,
                },
                Err(status) => return Ok(DcResult::failed(status, req, params)),
            },
        };
        let mut data_uncompressed = false;
        if let Outcome::Raw = outcome.kind {
            data_uncompressed = true;
        }
        if outcome.overflow && (req.overflow_is_error || outcome.consumed == 0) {
            return Ok(DcResult::failed(DcStatus::Overflow, req, params));
        }

        let mut cnv_recovered = false;
        if req.verify && !data_uncompressed {
            let simulated_failure = req.inject == Some(DcStatus::VerifyError);
            let verified = !simulated_failure && self.verify(params, &outcome, dict, src, dst)?;
            if !verified {
                if !req.recover {
                    return Ok(DcResult::failed(DcStatus::VerifyError, req, params));
                }
                // §5.1.3: the recovered output is stored blocks; LZ4S's
                // equivalent is the input as one literals-only sequence.
                // An input
                // longer than one stored block yields exactly one non-final
                // block of 65 535 bytes (source + 5 bytes of header; a stored
                // block ends byte-aligned, so the next request's output can
                // follow) and an overflow, so the caller resubmits the rest.
                outcome = if params.algorithm == DcAlgorithm::Zstd {
                    // zstd's stored form: a frame of raw blocks.
                    let enc = self.zstd_enc.get_or_insert_with(Default::default);
                    let Ok(produced) = enc.raw_frame(src, dst) else {
                        return Ok(DcResult::failed(DcStatus::Overflow, req, params));
                    };
                    Produced {
                        consumed: src.len(),
                        produced,
                        overflow: false,
                        kind: Outcome::Recovered,
                    }
                } else if params.algorithm == DcAlgorithm::Lz4s {
                    let Some(produced) = lz4s::literal_block(src, dst) else {
                        return Ok(DcResult::failed(DcStatus::Overflow, req, params));
                    };
                    Produced {
                        consumed: src.len(),
                        produced,
                        overflow: false,
                        kind: Outcome::Recovered,
                    }
                } else if src.len() > MAX_STORED_BLOCK {
                    let Some(produced) = one_stored_block(&src[..MAX_STORED_BLOCK], dst) else {
                        return Ok(DcResult::failed(DcStatus::Overflow, req, params));
                    };
                    Produced {
                        consumed: MAX_STORED_BLOCK,
                        produced,
                        overflow: true,
                        kind: Outcome::Recovered,
                    }
                } else {
                    let stored = write_stored(src, dst, flush);
                    if stored.overflow || stored.consumed < src.len() {
                        return Ok(DcResult::failed(DcStatus::Overflow, req, params));
                    }
                    Produced::deflate(stored)
                };
                cnv_recovered = true;
            }
        }
        if outcome.overflow && req.overflow_is_error {
            return Ok(DcResult::failed(DcStatus::Overflow, req, params));
        }
        let (checksum, adler32) = checksums(params.checksum, req, &src[..outcome.consumed]);
        Ok(DcResult {
            status: if outcome.overflow {
                DcStatus::Overflow
            } else {
                DcStatus::Ok
            },
            consumed: outcome.consumed as u32,
            produced: outcome.produced as u32,
            checksum,
            adler32,
            end_of_last_block: false,
            aligned_end: false,
            data_uncompressed,
            cnv_recovered,
        })
    }

    /// Decompresses `src` into `dst` as one stateless request.
    pub fn decompress(
        &mut self,
        params: &DcParams,
        req: &DcRequest,
        src: &[u8],
        dst: &mut [u8],
    ) -> DcResult {
        self.decompress_with_dict(params, req, &[], src, dst)
    }

    /// [`DcEngine::decompress`] with a preset dictionary as the history the
    /// stream's distances may reach into (deflate only; an LZ4 session with a
    /// non-empty dictionary gets `InvalidDictBuff`).
    pub fn decompress_with_dict(
        &mut self,
        params: &DcParams,
        req: &DcRequest,
        dict: &[u8],
        src: &[u8],
        dst: &mut [u8],
    ) -> DcResult {
        if let Some(status) = req.inject {
            return DcResult::failed(status, req, params);
        }
        if let Some(status) = params.refused() {
            return DcResult::failed(status, req, params);
        }
        if src.len() > u32::MAX as usize || dst.len() > u32::MAX as usize {
            return DcResult::failed(DcStatus::SoftErr, req, params);
        }
        if !dict.is_empty() && params.algorithm != DcAlgorithm::Deflate {
            return DcResult::failed(DcStatus::InvalidDictBuff, req, params);
        }
        let (status, consumed, produced, end, aligned) = match params.algorithm {
            DcAlgorithm::Deflate => {
                let o = if dict.is_empty() {
                    self.decompressor.decompress(src, dst, req.final_flush)
                } else {
                    self.decompressor
                        .decompress_with_dict(dict, src, dst, req.final_flush)
                };
                (
                    o.status,
                    o.consumed,
                    o.produced,
                    o.end_of_last_block,
                    o.aligned_end,
                )
            }
            DcAlgorithm::Lz4 => {
                let o = lz4::decompress(src, dst, &params.lz4);
                (o.status, o.consumed, o.produced, o.end_of_frame, true)
            }
            // QAT does not decompress LZ4S (qatlib's LZ4S capability is
            // compression only, and sessions are refused the other
            // direction): only a forged request gets here.
            DcAlgorithm::Lz4s => return DcResult::failed(DcStatus::SoftErr, req, params),
            // Complete frames only, whatever the flush: a frame cut short
            // is IncompleteFileErr.
            DcAlgorithm::Zstd => match self.zstd_dec.decode(src, dst) {
                Ok(produced) => (DcStatus::Ok, src.len(), produced, true, true),
                Err(status) => return DcResult::failed(status, req, params),
            },
        };
        if status != DcStatus::Ok {
            return DcResult::failed(status, req, params);
        }
        let (checksum, adler32) = checksums(params.checksum, req, &dst[..produced]);
        DcResult {
            status,
            consumed: consumed as u32,
            produced: produced as u32,
            checksum,
            adler32,
            end_of_last_block: end,
            aligned_end: aligned,
            data_uncompressed: false,
            cnv_recovered: false,
        }
    }

    /// Compresses `src` into `dst` as the next request of a stateful
    /// deflate stream whose state is `ctx` (at least
    /// [`DEFLATE_STATE_LEN`](crate::deflate::stream::DEFLATE_STATE_LEN)
    /// bytes): see [`crate::deflate::stream::deflate`]. Each block is coded
    /// stored, static or dynamic, whichever is smallest; the request-wide
    /// auto-select-best fallbacks and compress-and-verify are for stateless
    /// requests (QAT verifies stateless output only: `verify` and `recover`
    /// are not used here, the firmware refuses them). An overflow is an
    /// exception: partial output, resubmit from `consumed`.
    pub fn compress_stateful(
        &mut self,
        params: &DcParams,
        req: &DcRequest,
        stream: &DcStream,
        ctx: &mut [u8],
        src: &[u8],
        dst: &mut [u8],
    ) -> DcResult {
        if let Some(status) = self.stateful_refusal(params, req, src, dst) {
            return DcResult::failed(status, req, params);
        }
        let opts = CompressOptions {
            depth: params.depth,
            huffman: params.huffman,
            flush: Flush::Final,
            min_match: params.min_match,
        };
        let sreq = stream_request(params, stream);
        let o = stream_compress(&mut self.compressor, ctx, &sreq, src, dst, &opts);
        stream_result(params.checksum, &o)
    }

    /// Decodes `src` into `dst` as the next request of a stateful deflate
    /// stream whose state is `ctx` (at least
    /// [`INFLATE_STATE_LEN`](crate::deflate::stream::INFLATE_STATE_LEN)
    /// bytes): see [`crate::deflate::stream::inflate`] for `consumed`,
    /// `produced`, overflow and the statuses.
    pub fn decompress_stateful(
        &mut self,
        params: &DcParams,
        req: &DcRequest,
        stream: &DcStream,
        ctx: &mut [u8],
        src: &[u8],
        dst: &mut [u8],
    ) -> DcResult {
        if let Some(status) = self.stateful_refusal(params, req, src, dst) {
            return DcResult::failed(status, req, params);
        }
        let sreq = stream_request(params, stream);
        let o = self.stream_inflater.inflate(ctx, &sreq, src, dst);
        stream_result(params.checksum, &o)
    }

    /// The status a stateful request ends with before any work, if any:
    /// a simulated error, a session the stream cannot serve (not deflate),
    /// a data-plane request (the data plane has no stateful sessions, and
    /// its overflow, an error, would have to leave the stream unmoved), or
    /// buffers beyond 4 GB.
    fn stateful_refusal(
        &self,
        params: &DcParams,
        req: &DcRequest,
        src: &[u8],
        dst: &[u8],
    ) -> Option<DcStatus> {
        if let Some(status) = req.inject {
            return Some(status);
        }
        if params.algorithm != DcAlgorithm::Deflate || req.overflow_is_error {
            return Some(DcStatus::SoftErr);
        }
        if src.len() > u32::MAX as usize || dst.len() > u32::MAX as usize {
            return Some(DcStatus::SoftErr);
        }
        None
    }

    /// A partial read (`cpaDcDpEnqueueOpWithPartRead`): decompresses the
    /// deflate stream in `src` and writes only the region of its output
    /// that starts `offset` bytes in and is `len` bytes long (fewer when the
    /// stream ends first) to the start of `dst`. `produced` is the region's
    /// length; `consumed` the input read to produce it (decoding stops once
    /// the region is complete); the checksum covers the region.
    ///
    /// The output before the region must be decoded too (its bytes are the
    /// history later matches copy from), so the stream is decoded into the
    /// engine's scratch up to the region's end and the region copied out:
    /// the one copy a destination that holds only the region needs. An LZ4
    /// session gets `SoftErr` (partial reads are for deflate); a region that
    /// does not fit `dst` is `Overflow`; no scratch is `NoScratch`.
    pub fn decompress_part(
        &mut self,
        params: &DcParams,
        req: &DcRequest,
        src: &[u8],
        dst: &mut [u8],
        offset: u32,
        len: u32,
    ) -> Result<DcResult, NoScratch> {
        let result = self.part_request(params, req, src, dst, offset as usize, len as usize);
        self.part_buf.trim();
        result
    }

    fn part_request(
        &mut self,
        params: &DcParams,
        req: &DcRequest,
        src: &[u8],
        dst: &mut [u8],
        offset: usize,
        len: usize,
    ) -> Result<DcResult, NoScratch> {
        if let Some(status) = req.inject {
            return Ok(DcResult::failed(status, req, params));
        }
        if let Some(status) = params.refused() {
            return Ok(DcResult::failed(status, req, params));
        }
        if params.algorithm != DcAlgorithm::Deflate || src.len() > u32::MAX as usize {
            return Ok(DcResult::failed(DcStatus::SoftErr, req, params));
        }
        if len > dst.len() {
            return Ok(DcResult::failed(DcStatus::Overflow, req, params));
        }
        let end = offset + len;
        // Room for the region plus the largest item the decoder may refuse
        // whole at the end (a stored block, then a match): if the scratch
        // fills up, the region was decoded before it did.
        let cap = end + MAX_STORED_BLOCK + 258;
        let scratch = self.part_buf.get(cap)?;
        let o = self
            .decompressor
            .decompress_prefix(src, scratch, req.final_flush);
        let complete = match o.status {
            DcStatus::Ok => o.end_of_last_block,
            DcStatus::Overflow => false,
            status => return Ok(DcResult::failed(status, req, params)),
        };
        let decoded = o.produced;
        let region = &scratch[offset.min(decoded)..end.min(decoded)];
        dst[..region.len()].copy_from_slice(region);
        let (checksum, adler32) = checksums(params.checksum, req, region);
        Ok(DcResult {
            status: DcStatus::Ok,
            consumed: o.consumed as u32,
            produced: region.len() as u32,
            checksum,
            adler32,
            end_of_last_block: complete,
            aligned_end: false,
            data_uncompressed: false,
            cnv_recovered: false,
        })
    }

    /// One zstd frame for `src` in `dst`: the deflate parser's matches as an
    /// LZ4S block in the engine's scratch (a block of
    /// [`lz4s::compress_bound`] bytes always holds it), then coded by the
    /// zstd encoder. `Err(Overflow)` when the frame does not fit `dst`.
    fn zstd_frame(
        &mut self,
        params: &DcParams,
        src: &[u8],
        dst: &mut [u8],
    ) -> Result<Result<usize, DcStatus>, NoScratch> {
        let bound = lz4s::compress_bound(src.len() as u64) as usize;
        let block = self.lz4s_buf.get(bound)?;
        // As lz4s::compress reads it: 3, or else 4.
        let mm = if params.min_match == 3 { 3 } else { 4 };
        let o = lz4s::compress(&mut self.compressor, src, block, params.depth, mm);
        if o.overflow {
            // Cannot happen at the bound; never a frame of part of the input.
            return Ok(Err(DcStatus::SoftErr));
        }
        let enc = self.zstd_enc.get_or_insert_with(Default::default);
        Ok(match enc.lz4s_to_zstd(src, &block[..o.produced], mm, dst) {
            Ok(n) => Ok(n),
            Err(ZstdError::Overflow(_)) => Err(DcStatus::Overflow),
            // The block was made from `src` just now: a mismatch would be
            // an engine fault, reported as one rather than output.
            Err(_) => Err(DcStatus::SoftErr),
        })
    }

    /// Deflate with the auto-select-best rules of §5.1.1.3.
    fn deflate_with_asb(
        &mut self,
        params: &DcParams,
        flush: Flush,
        dict: &[u8],
        src: &[u8],
        dst: &mut [u8],
    ) -> Produced {
        let opts = CompressOptions {
            depth: params.depth,
            huffman: params.huffman,
            flush,
            min_match: params.min_match,
        };
        let c = self.compressor.compress_with_dict(dict, src, dst, &opts);
        match params.asb {
            AutoSelectBest::Disabled => Produced::deflate(c),
            AutoSelectBest::StaticDynamic
            | AutoSelectBest::UncompStaticDynamicWithStoredHdrs
            | AutoSelectBest::Enabled => {
                // Stored blocks win when compression overflowed or produced more
                // than the stored form would.
                let stored_len = crate::deflate::stored_size(src.len());
                if (c.overflow || c.produced > stored_len) && stored_len <= dst.len() {
                    Produced::deflate(write_stored(src, dst, flush))
                } else {
                    Produced::deflate(c)
                }
            }
            AutoSelectBest::UncompStaticDynamicWithNoHdrs => {
                if (c.overflow || c.produced > src.len()) && src.len() <= dst.len() {
                    dst[..src.len()].copy_from_slice(src);
                    Produced {
                        consumed: src.len(),
                        produced: src.len(),
                        overflow: false,
                        kind: Outcome::Raw,
                    }
                } else {
                    Produced::deflate(c)
                }
            }
        }
    }

    /// Decodes the produced output and compares it with the input it stands
    /// for; an error if there is no memory to decode it into.
    fn verify(
        &mut self,
        params: &DcParams,
        out: &Produced,
        dict: &[u8],
        src: &[u8],
        dst: &mut [u8],
    ) -> Result<bool, NoScratch> {
        let expect = &src[..out.consumed];
        let check = self.verify_buf.get(expect.len())?;
        Ok(match (params.algorithm, &out.kind) {
            (DcAlgorithm::Deflate, Outcome::Deflate(c)) => {
                // A sync-terminated output is made a complete stream for the
                // decoder by setting the BFINAL bit of its terminating empty
                // stored block, then restored.
                let bit = c.terminator_bit;
                let (byte, mask) = (bit / 8, 1u8 << (bit % 8));
                if byte >= out.produced {
                    return Ok(false);
                }
                let was_set = dst[byte] & mask != 0;
                dst[byte] |= mask;
                let o =
                    self.decompressor
                        .decompress_with_dict(dict, &dst[..out.produced], check, true);
                if !was_set {
                    dst[byte] &= !mask;
                }
                o.status == DcStatus::Ok && o.produced == expect.len() && check[..] == *expect
            }
            (DcAlgorithm::Lz4, Outcome::Lz4) => {
                let o = lz4::decompress(&dst[..out.produced], check, &params.lz4);
                o.status == DcStatus::Ok && o.produced == expect.len() && check[..] == *expect
            }
            (DcAlgorithm::Lz4s, Outcome::Lz4s) => {
                let o = lz4s::decode(&dst[..out.produced], params.min_match, check);
                o == Ok(expect.len()) && check[..] == *expect
            }
            (DcAlgorithm::Zstd, Outcome::Zstd) => {
                let o = self.zstd_dec.decode(&dst[..out.produced], check);
                o == Ok(expect.len()) && check[..] == *expect
            }
            _ => false,
        })
    }
}

/// Granule of the zero padding of `cpaDcDpEnqueueOpWithZeroPad`.
pub const ZERO_PAD_ALIGN: usize = 4096;

/// Zero padding (`cpaDcDpEnqueueOpWithZeroPad`): fills the bytes of `dst`
/// after the `produced` bytes of output with zeros up to the next multiple
/// of [`ZERO_PAD_ALIGN`] (or the end of `dst`, if nearer); returns the
/// length written in all (output and padding).
pub fn zero_pad(dst: &mut [u8], produced: usize) -> usize {
    let end = produced.next_multiple_of(ZERO_PAD_ALIGN).min(dst.len());
    if let Some(pad) = dst.get_mut(produced..end) {
        pad.fill(0);
    }
    end.max(produced)
}

/// Writes `data` (at most 65 535 bytes) as one non-final stored block:
/// header byte (BFINAL 0, BTYPE 00, padding), LEN, NLEN, data.
fn one_stored_block(data: &[u8], dst: &mut [u8]) -> Option<usize> {
    let len = u16::try_from(data.len()).ok()?;
    let out = dst.get_mut(..data.len() + 5)?;
    out[0] = 0;
    out[1..3].copy_from_slice(&len.to_le_bytes());
    out[3..5].copy_from_slice(&(!len).to_le_bytes());
    out[5..].copy_from_slice(data);
    Some(data.len() + 5)
}

/// What a compression produced, before checksums and verification.
struct Produced {
    consumed: usize,
    produced: usize,
    overflow: bool,
    kind: Outcome,
}

enum Outcome {
    Deflate(CompressOutcome),
    Lz4,
    Lz4s,
    Zstd,
    /// The raw input copied (auto-select-best without headers).
    Raw,
    /// One stored block written by compress-and-verify recovery.
    Recovered,
}

impl Produced {
    fn deflate(c: CompressOutcome) -> Produced {
        Produced {
            consumed: c.consumed,
            produced: c.produced,
            overflow: c.overflow,
            kind: Outcome::Deflate(c),
        }
    }
}

fn lz4_produced(o: lz4::Lz4Outcome) -> Produced {
    Produced {
        consumed: o.consumed,
        produced: o.produced,
        overflow: o.status == DcStatus::Overflow,
        kind: Outcome::Lz4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A final request with compress-and-verify on, no recovery.
    fn final_verified_request() -> DcRequest {
        DcRequest {
            final_flush: true,
            verify: true,
            recover: false,
            overflow_is_error: false,
            seed_crc32: 0,
            seed_adler32: 1,
            inject: None,
        }
    }

    fn params(algorithm: DcAlgorithm, checksum: ChecksumType) -> DcParams {
        DcParams {
            algorithm,
            huffman: HuffmanMode::Dynamic,
            asb: AutoSelectBest::UncompStaticDynamicWithStoredHdrs,
            checksum,
            depth: SearchDepth(1),
            min_match: 3,
            lz4: lz4::BlockFormat::QAT_DEFAULT,
        }
    }

    #[test]
    fn algorithm_from_cpa_comp_type() {
        for t in [
            CompType::Deflate,
            CompType::Lz4,
            CompType::Lz4s,
            CompType::Zstd,
        ] {
            assert_eq!(CompType::from(DcAlgorithm::from(t)), t);
        }
    }

    #[test]
    fn xxhash64_is_refused_before_any_work() {
        let req = DcRequest {
            final_flush: true,
            verify: true,
            recover: true,
            overflow_is_error: false,
            seed_crc32: 0,
            seed_adler32: 1,
            inject: None,
        };
        let mut e = DcEngine::new();
        let src = [7u8; 100];
        let mut dst = [0u8; 200];
        for a in [DcAlgorithm::Deflate, DcAlgorithm::Lz4] {
            let p = params(a, ChecksumType::Xxhash64);
            let c = e.compress(&p, &req, &src, &mut dst).unwrap();
            assert_eq!(
                (c.status, c.consumed, c.produced),
                (DcStatus::SoftErr, 0, 0)
            );
            let d = e.decompress(&p, &req, &src, &mut dst);
            assert_eq!(
                (d.status, d.consumed, d.produced),
                (DcStatus::SoftErr, 0, 0)
            );
        }
        let ok = e
            .compress(
                &params(DcAlgorithm::Deflate, ChecksumType::Crc32),
                &req,
                &src,
                &mut dst,
            )
            .unwrap();
        assert_eq!(ok.status, DcStatus::Ok);
    }

    #[test]
    fn verify_scratch_of_an_oversized_request_is_given_back() {
        let req = final_verified_request();
        let mut e = DcEngine::new();
        let base = e.verify_buf.capacity();
        let p = params(DcAlgorithm::Deflate, ChecksumType::Crc32);
        let src: Vec<u8> = (0..3u32 << 20).map(|i| (i % 251) as u8).collect();
        let mut dst = vec![0u8; crate::deflate::stored_size(src.len()) + 1024];
        for len in [64 << 10, 3 << 20, 1000] {
            let r = e.compress(&p, &req, &src[..len], &mut dst).unwrap();
            assert_eq!((r.status, r.consumed), (DcStatus::Ok, len as u32));
            // A usual request used the base; a 3 MiB one grew it and gave
            // it back once answered.
            assert_eq!(e.verify_buf.capacity(), base, "after {len} bytes");
        }
    }

    #[test]
    fn dictionary_requests_verify_and_round_trip() {
        let req = final_verified_request();
        let mut e = DcEngine::new();
        let dict: Vec<u8> = (0..20_000u32)
            .map(|i| (i * 7 % 251) as u8 ^ (i / 300) as u8)
            .collect();
        let src = dict[2_000..12_000].to_vec();
        let mut dst = vec![0u8; 12_000];
        for depth in [1u16, 9] {
            let mut p = params(DcAlgorithm::Deflate, ChecksumType::Adler32);
            p.depth = SearchDepth(depth);
            let c = e
                .compress_with_dict(&p, &req, &dict, &src, &mut dst)
                .unwrap();
            assert_eq!((c.status, c.consumed), (DcStatus::Ok, src.len() as u32));
            assert!(c.produced < 1_000, "depth {depth}: {} bytes", c.produced);
            // The checksum covers the input only, not the dictionary.
            assert_eq!(c.checksum, crate::checksum::adler32(1, &src));
            let stream = dst[..c.produced as usize].to_vec();
            let mut out = vec![0u8; src.len()];
            let d = e.decompress_with_dict(&p, &req, &dict, &stream, &mut out);
            assert_eq!((d.status, d.produced), (DcStatus::Ok, src.len() as u32));
            assert_eq!(out, src);
            assert_eq!(d.checksum, c.checksum);
            // Without the dictionary the stream reaches before its output.
            let d = e.decompress(&p, &req, &stream, &mut out);
            assert_eq!(d.status, DcStatus::InvalidDist);
        }
        let lz4 = params(DcAlgorithm::Lz4, ChecksumType::None);
        let c = e
            .compress_with_dict(&lz4, &req, &dict, &src, &mut dst)
            .unwrap();
        assert_eq!(c.status, DcStatus::InvalidDictBuff);
        let d = e.decompress_with_dict(&lz4, &req, &dict, &src, &mut dst);
        assert_eq!(d.status, DcStatus::InvalidDictBuff);
    }

    #[test]
    fn lz4s_requests_verify_recover_and_follow_the_overflow_rules() {
        let mut e = DcEngine::new();
        let src: Vec<u8> = (0..100_000u32)
            .map(|i| b"LZ4S sequences for zstd "[(i % 24) as usize] ^ (i / 5_000) as u8)
            .collect();
        let mut dst = vec![0u8; lz4s::compress_bound(src.len() as u64) as usize];
        let mut back = vec![0u8; src.len()];
        for mm in [3u8, 4] {
            let mut p = params(DcAlgorithm::Lz4s, ChecksumType::Xxhash32);
            p.min_match = mm;
            let r = e
                .compress(&p, &final_verified_request(), &src, &mut dst)
                .unwrap();
            assert_eq!((r.status, r.consumed), (DcStatus::Ok, src.len() as u32));
            assert_eq!(r.checksum, crate::checksum::xxhash32(0, &src));
            assert!(r.produced < 10_000, "{} bytes", r.produced);
            let out = &dst[..r.produced as usize];
            assert_eq!(lz4s::decode(out, mm, &mut back), Ok(src.len()));
            assert!(back == src);
        }
        let p = params(DcAlgorithm::Lz4s, ChecksumType::None);
        // A simulated verify failure with recovery: the input as literals.
        let req = DcRequest {
            recover: true,
            inject: Some(DcStatus::VerifyError),
            ..final_verified_request()
        };
        let r = e.compress(&p, &req, &src, &mut dst).unwrap();
        assert!(r.cnv_recovered && r.status == DcStatus::Ok);
        assert_eq!(
            r.produced as usize,
            src.len() + 1 + 1 + (src.len() - 15) / 255
        );
        assert_eq!(
            lz4s::decode(&dst[..r.produced as usize], 3, &mut back),
            Ok(src.len())
        );
        // Overflow: a complete prefix (traditional API), nothing (data plane).
        let mut short = vec![0u8; 1_000];
        let r = e
            .compress(&p, &final_verified_request(), &src, &mut short)
            .unwrap();
        assert_eq!(r.status, DcStatus::Overflow);
        assert!(r.consumed > 0 && (r.consumed as usize) < src.len());
        let n = lz4s::decode(&short[..r.produced as usize], 3, &mut back).unwrap();
        assert_eq!(back[..n], src[..r.consumed as usize]);
        let dp = DcRequest {
            overflow_is_error: true,
            ..final_verified_request()
        };
        let r = e.compress(&p, &dp, &src, &mut short).unwrap();
        assert_eq!(
            (r.status, r.consumed, r.produced),
            (DcStatus::Overflow, 0, 0)
        );
        // No decompression of LZ4S.
        let d = e.decompress(&p, &final_verified_request(), &dst[..10], &mut back);
        assert_eq!((d.status, d.produced), (DcStatus::SoftErr, 0));
    }

    /// Inputs of several kinds and sizes: text-like, random, runs, empty.
    fn zstd_inputs() -> Vec<Vec<u8>> {
        let mut x = 0x9E37_79B9u32;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        let words: [&[u8]; 6] = [b"zstd ", b"frame ", b"QAT ", b"gen6 ", b"block ", b"\n"];
        let mut out = vec![Vec::new(), vec![0x41]];
        for len in [100usize, 65_536, 65_537, 200_000] {
            let mut text = Vec::with_capacity(len);
            while text.len() < len {
                text.extend_from_slice(words[rnd() as usize % words.len()]);
            }
            text.truncate(len);
            out.push(text);
            out.push((0..len).map(|_| rnd() as u8).collect());
            out.push(vec![7u8; len]);
        }
        out
    }

    #[test]
    fn zstd_requests_make_frames_libzstd_decodes_and_decode_libzstd_frames() {
        let mut e = DcEngine::new();
        let p = params(DcAlgorithm::Zstd, ChecksumType::Xxhash64);
        for src in zstd_inputs() {
            let mut dst = vec![0u8; crate::zstd::compress_bound(src.len())];
            let r = e
                .compress(&p, &final_verified_request(), &src, &mut dst)
                .unwrap();
            assert_eq!((r.status, r.consumed), (DcStatus::Ok, src.len() as u32));
            assert_eq!(r.checksum, xxhash_rust::xxh64::xxh64(&src, 0) as u32);
            let frame = &dst[..r.produced as usize];
            let back = zstd::stream::decode_all(frame).unwrap();
            assert!(back == src, "{} bytes", src.len());
            // And back through the engine.
            let mut out = vec![0u8; src.len()];
            let d = e.decompress(&p, &final_verified_request(), frame, &mut out);
            assert_eq!(
                (d.status, d.consumed, d.produced),
                (DcStatus::Ok, r.produced, r.consumed)
            );
            assert_eq!(d.checksum, r.checksum);
            assert!(out == src);
            // libzstd's own frames, with and without checksum and size.
            for level in [1, 19] {
                let theirs = zstd::bulk::compress(&src, level).unwrap();
                let d = e.decompress(&p, &final_verified_request(), &theirs, &mut out);
                assert_eq!((d.status, d.produced), (DcStatus::Ok, src.len() as u32));
                assert!(out == src);
            }
        }
    }

    #[test]
    fn zstd_bad_frames_are_refused_with_the_right_status() {
        let mut e = DcEngine::new();
        let p = params(DcAlgorithm::Zstd, ChecksumType::Xxhash64);
        let req = final_verified_request();
        let src: Vec<u8> = (0..50_000u32)
            .map(|i| (i * i % 253) as u8 ^ (i >> 9) as u8)
            .collect();
        let mut dst = vec![0u8; crate::zstd::compress_bound(src.len())];
        let r = e.compress(&p, &req, &src, &mut dst).unwrap();
        let frame = dst[..r.produced as usize].to_vec();
        let mut out = vec![0u8; src.len()];
        // Too small a destination.
        let d = e.decompress(&p, &req, &frame, &mut out[..src.len() - 1]);
        assert_eq!((d.status, d.produced), (DcStatus::Overflow, 0));
        // Cut short, empty, or not zstd at all.
        let d = e.decompress(&p, &req, &frame[..frame.len() - 1], &mut out);
        assert_eq!(d.status, DcStatus::IncompleteFileErr);
        assert_eq!(
            e.decompress(&p, &req, &[], &mut out).status,
            DcStatus::IncompleteFileErr
        );
        let d = e.decompress(&p, &req, b"not a zstd frame at all", &mut out);
        assert_eq!(d.status, DcStatus::InvalidZstdFrame);
        // The content checksum (the frame's last 4 bytes) damaged.
        let mut bad = frame.clone();
        *bad.last_mut().unwrap() ^= 1;
        let d = e.decompress(&p, &req, &bad, &mut out);
        assert_eq!(d.status, DcStatus::ZstdFrameContentChecksumMismatch);
        // Every single-byte change is either refused or, like libzstd,
        // decoded to what libzstd decodes: never a silent different output.
        let mut x = 12345u32;
        for _ in 0..300 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let mut bad = frame.clone();
            let at = (x >> 8) as usize % bad.len();
            bad[at] ^= 1 << (x % 8);
            let d = e.decompress(&p, &req, &bad, &mut out);
            match zstd::bulk::decompress(&bad, src.len()) {
                Ok(theirs) => {
                    assert_eq!(d.status, DcStatus::Ok, "byte {at}");
                    assert!(out[..d.produced as usize] == theirs[..]);
                }
                // Damage that makes the content larger is an overflow.
                Err(_) => assert!(
                    d.status.is_invalid_stream() || d.status == DcStatus::Overflow,
                    "byte {at}: {:?}",
                    d.status
                ),
            }
        }
        // The engine works on after the errors.
        let d = e.decompress(&p, &req, &frame, &mut out);
        assert_eq!(d.status, DcStatus::Ok);
    }

    #[test]
    fn zstd_overflow_verify_recovery_and_refusals() {
        let mut e = DcEngine::new();
        let p = params(DcAlgorithm::Zstd, ChecksumType::Xxhash64);
        let src: Vec<u8> = (0..100_000u32).map(|i| (i % 97) as u8).collect();
        // A frame is whole or nothing: nothing consumed on overflow.
        let mut short = vec![0u8; 40];
        let r = e
            .compress(&p, &final_verified_request(), &src, &mut short)
            .unwrap();
        assert_eq!(
            (r.status, r.consumed, r.produced),
            (DcStatus::Overflow, 0, 0)
        );
        // A simulated verify failure with recovery: a frame of raw blocks.
        let req = DcRequest {
            recover: true,
            inject: Some(DcStatus::VerifyError),
            ..final_verified_request()
        };
        let mut dst = vec![0u8; crate::zstd::compress_bound(src.len())];
        let r = e.compress(&p, &req, &src, &mut dst).unwrap();
        assert!(r.cnv_recovered && r.status == DcStatus::Ok);
        assert!(r.produced as usize > src.len());
        assert!(zstd::stream::decode_all(&dst[..r.produced as usize]).unwrap() == src);
        // zstd takes no dictionary here; xxHash64 is zstd's only.
        let r = e.compress_with_dict(&p, &final_verified_request(), b"dict", &src, &mut dst);
        assert_eq!(r.unwrap().status, DcStatus::InvalidDictBuff);
        let lz4 = params(DcAlgorithm::Lz4, ChecksumType::Xxhash64);
        let r = e
            .compress(&lz4, &final_verified_request(), &src, &mut dst)
            .unwrap();
        assert_eq!(r.status, DcStatus::SoftErr);
    }
}
