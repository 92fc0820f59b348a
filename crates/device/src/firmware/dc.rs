//! The compression service's firmware: reads the session settings from the
//! content descriptor (deriving the engine's parameters once per session and
//! caching them), reaches the source and destination — flat buffers or
//! scatter-gather lists — and runs the deflate / LZ4 / LZ4S / zstd engine, with
//! the request's preset dictionary when it names one.

use softqat_cpa::{
    AutoSelectBest, ChecksumType, CompType, CpaStatus, HuffType, Lz4BlockMaxSize, MinMatch,
};
use softqat_engine::checksum::{self, Crc64, Crc64Params};
use softqat_engine::dc::{
    zero_pad, DcAlgorithm, DcEngine, DcParams, DcRequest, DcResult, DcStream,
};
use softqat_engine::deflate::stream::StreamFlush;
use softqat_engine::deflate::{HuffmanMode, LevelMapping, SearchDepth};
use softqat_engine::lz4::BlockFormat;
use softqat_engine::scratch::NoScratch;
use softqat_engine::sym::hash::{HashAlgorithm, HashSession};
use softqat_engine::DcStatus;

use super::{read_content, ContentError, RequestContext, ServiceFirmware, SessionCache};
use crate::desc::*;
use crate::dma::DmaError;

/// Sessions whose derived parameters an engine keeps (direct-mapped).
const SESSION_CACHE: usize = 64;

/// Longest digest a hash-then-compress request writes (SHA-512's).
const MAX_DIGEST: usize = 64;

/// The hash of a hash-then-compress request: algorithm, digest length, the
/// hashed region of the source and where the digest goes.
#[derive(Clone, Copy)]
struct ChainHash {
    alg: HashAlgorithm,
    digest_len: usize,
    start: usize,
    end: usize,
    digest: Iova,
}

/// Decodes the hash part of the request parameters: `None` for a plain
/// compression request. Only compression chains a hash (hash then
/// compress); the region must lie inside the source.
fn chain_hash(
    p: &DcRequestParams,
    command: DcCommand,
    src_len: u64,
) -> Result<Option<ChainHash>, CpaStatus> {
    if p.hash_alg == 0 {
        return Ok(None);
    }
    if command != DcCommand::Compress {
        return Err(CpaStatus::InvalidParam);
    }
    let alg = softqat_cpa::sym::HashAlgorithm::from_value(p.hash_alg)
        .and_then(super::sym::engine_hash)
        .ok_or(CpaStatus::InvalidParam)?;
    let max = alg.digest_len().ok_or(CpaStatus::Unsupported)?;
    let digest_len = usize::from(p.digest_len);
    if digest_len == 0 || digest_len > max.min(MAX_DIGEST) {
        return Err(CpaStatus::InvalidParam);
    }
    let end = u64::from(p.hash_offset) + u64::from(p.hash_len);
    if end > src_len {
        return Err(CpaStatus::InvalidParam);
    }
    Ok(Some(ChainHash {
        alg,
        digest_len,
        start: p.hash_offset as usize,
        end: end as usize,
        digest: p.digest,
    }))
}

/// Per-engine-thread compression firmware: codec workspaces and the session
/// cache, reused for every request.
pub struct DcFirmware {
    engine: DcEngine,
    mapping: LevelMapping,
    cache: SessionCache<(DcParams, Crc64Params)>,
    /// The table of the last integrity CRC64 used: sessions share QAT's
    /// default or keep one programmed CRC, so it is rebuilt (2 KiB, a few
    /// thousand operations) only when the parameters change.
    crc64: Option<Crc64>,
}

/// Decodes the session settings of a DC descriptor.
pub fn dc_params(d: &DcSessionDesc, mapping: LevelMapping) -> Result<DcParams, DcParamError> {
    let invalid = |field: &'static str, v: u8| DcParamError::Invalid(field, u32::from(v));
    let comp_type = CompType::from_value(d.comp_type).ok_or(invalid("compType", d.comp_type))?;
    let algorithm = DcAlgorithm::from(comp_type);
    let huffman = match HuffType::from_value(d.huff_type).ok_or(invalid("huffType", d.huff_type))? {
        // Precompiled trees are the fixed code here: there is no per-device
        // precompiled table to load.
        HuffType::Static | HuffType::Precomp => HuffmanMode::Static,
        HuffType::FullDynamic => HuffmanMode::Dynamic,
    };
    let asb =
        AutoSelectBest::from_value(d.asb).ok_or(invalid("autoSelectBestHuffmanTree", d.asb))?;
    let checksum = ChecksumType::from_value(d.checksum).ok_or(invalid("checksum", d.checksum))?;
    match (algorithm, checksum) {
        (_, ChecksumType::None)
        | (
            DcAlgorithm::Deflate,
            ChecksumType::Crc32 | ChecksumType::Adler32 | ChecksumType::Crc32Adler32,
        )
        | (DcAlgorithm::Lz4 | DcAlgorithm::Lz4s, ChecksumType::Xxhash32)
        | (DcAlgorithm::Zstd, ChecksumType::Xxhash64) => {}
        (_, ChecksumType::Xxhash64) => {
            return Err(DcParamError::Unsupported(
                "xxHash64 checksums (zstd's) of other algorithms",
            ))
        }
        _ => return Err(invalid("checksum", d.checksum)),
    }
    let depth = SearchDepth::for_level(d.level, mapping).ok_or(invalid("compLevel", d.level))?;
    let min_match =
        match MinMatch::from_value(d.min_match).ok_or(invalid("minMatch", d.min_match))? {
            MinMatch::ThreeBytes => 3,
            MinMatch::FourBytes => 4,
        };
    let max_size = Lz4BlockMaxSize::from_value(d.lz4_block_max)
        .ok_or(invalid("lz4BlockMaxSize", d.lz4_block_max))?
        .into();
    if d.direction > 2 {
        return Err(invalid("sessDirection", d.direction));
    }
    match (d.stateful, algorithm) {
        (0, _) | (1, DcAlgorithm::Deflate) => {}
        (1, _) => {
            return Err(DcParamError::Unsupported(
                "stateful LZ4, LZ4S and zstd sessions",
            ))
        }
        (v, _) => return Err(invalid("stateful", v)),
    }
    Ok(DcParams {
        algorithm,
        huffman,
        asb,
        checksum,
        depth,
        min_match,
        lz4: BlockFormat {
            max_size,
            checksum: d.lz4_flags & 1 != 0,
            // Blocks of one request never refer to each other's data, so the
            // output decodes whatever the frame header says.
            independent: true,
        },
    })
}

/// A session setting the device refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DcParamError {
    /// A value outside the field's range.
    #[error("{0} = {1} is not a valid value")]
    Invalid(&'static str, u32),
    /// A valid value this device does not implement.
    #[error("{0} are not supported by softqat endpoints")]
    Unsupported(&'static str),
}

impl DcFirmware {
    /// Firmware for an endpoint whose levels map by `mapping`.
    pub fn new(mapping: LevelMapping) -> DcFirmware {
        DcFirmware {
            engine: DcEngine::new(),
            mapping,
            cache: SessionCache::new(SESSION_CACHE),
            crc64: None,
        }
    }

    /// The engine parameters of the session `req` points at: from the cache
    /// when this owner's content descriptor at that address still carries
    /// the stamp they were derived under, else decoded (and cached). An
    /// updated session has a new stamp and a removed one stamp 0, so a stale
    /// entry is never used.
    fn session(
        &mut self,
        req: &RequestDesc,
        ctx: &RequestContext<'_>,
    ) -> Result<(DcParams, Crc64Params, DcSessionDesc), CpaStatus> {
        let (header, content) = read_content::<DcContent>(req, ctx.memory, ServiceId::Dc)
            // Unreachable, malformed or removed: not a session to run.
            .map_err(|_: ContentError| CpaStatus::InvalidParam)?;
        let mapping = self.mapping;
        let params =
            self.cache
                .get_or_derive(ctx.memory.key(), req.content, header.stamp, || {
                    let params = dc_params(&content.session, mapping).map_err(|e| match e {
                        DcParamError::Invalid(..) => CpaStatus::InvalidParam,
                        DcParamError::Unsupported(_) => CpaStatus::Unsupported,
                    })?;
                    Ok((params, content.crc.params()))
                })?;
        let (params, crc) = *params;
        Ok((params, crc, content.session))
    }

    /// The integrity CRC64 with parameters `p` (its table built only when
    /// they differ from the last request's).
    fn crc64(&mut self, p: Crc64Params) -> &Crc64 {
        if self.crc64.as_ref().map(Crc64::params) != Some(&p) {
            self.crc64 = Some(Crc64::with_params(p));
        }
        self.crc64.get_or_insert_with(|| Crc64::with_params(p))
    }

    fn try_execute(
        &mut self,
        req: &RequestDesc,
        ctx: &mut RequestContext<'_>,
    ) -> Result<ResponseDesc, CpaStatus> {
        let command = DcCommand::from_u8(req.header.command).ok_or(CpaStatus::InvalidParam)?;
        let (params, crc_params, session) = self.session(req, ctx)?;
        let p: DcRequestParams = req.params();
        let compress = command == DcCommand::Compress;
        // Zero padding is for compressions, partial reads for
        // decompressions of deflate streams (the SAL checks both first).
        let zero_pad_to_4k = p.flags & DC_ZERO_PAD != 0;
        let part = p.flags & DC_PART_READ != 0;
        if (zero_pad_to_4k && !compress) || (part && compress) {
            return Err(CpaStatus::InvalidParam);
        }
        let integrity = p.flags & (DC_INTEGRITY_CRC32 | DC_INTEGRITY_CRC64);
        if integrity != 0 {
            // The table is built before the request runs, not between the
            // engine and the response.
            self.crc64(crc_params);
        }
        let inject = match p.inject {
            0 => None,
            code => Some(DcStatus::from_code(i32::from(code)).ok_or(CpaStatus::InvalidParam)?),
        };
        let dc_req = DcRequest {
            final_flush: match p.flush {
                1 => true,
                0 | 2 | 3 => false,
                _ => return Err(CpaStatus::InvalidParam),
            },
            verify: p.flags & DC_CNV != 0,
            recover: p.flags & DC_CNVNR != 0,
            overflow_is_error: req.header.flags & REQ_DP != 0,
            seed_crc32: p.seed_crc32,
            seed_adler32: p.seed_adler32,
            inject,
        };
        // Buffers the owner cannot reach end the request with a status, as
        // an IOMMU fault would, without touching memory; a malformed list is
        // an invalid parameter.
        match ctx.buffers.load(ctx.memory, &req.src, &req.dst) {
            Ok(()) => {}
            Err(DmaError::OutOfRange { .. } | DmaError::Null | DmaError::Overlap) => {
                return Ok(region_fault(req))
            }
            Err(DmaError::NoMemory(_)) => return Err(CpaStatus::Resource),
            Err(_) => return Err(CpaStatus::InvalidParam),
        }
        // A preset dictionary is reached like the source: a zero descriptor
        // means none.
        let has_dict = p.dict.len != 0;
        if has_dict {
            if session.stateful != 0 || part {
                // Dictionaries are for whole stateless requests (qatlib: gen6,
                // whose sessions are stateless; no partial reads with them).
                return Err(CpaStatus::Unsupported);
            }
            match ctx.buffers.load_dict(ctx.memory, &p.dict) {
                Ok(()) => {}
                Err(DmaError::OutOfRange { .. } | DmaError::Null | DmaError::Overlap) => {
                    return Ok(region_fault(req))
                }
                Err(DmaError::NoMemory(_)) => return Err(CpaStatus::Resource),
                Err(_) => return Err(CpaStatus::InvalidParam),
            }
        }
        if session.stateful != 0 {
            return self.stateful(req, ctx, command, &params, &session, &p, &dc_req);
        }
        let hash = chain_hash(&p, command, ctx.buffers.src_len())?;
        let mut digest = [0u8; MAX_DIGEST];
        let mut hashed = false;
        let engine = &mut self.engine;
        let crc64 = self.crc64.as_ref();
        let mut crcs = DcCrcResults::default();
        let result = ctx.buffers.run_with_dict(|dict, s, d| {
            // Hash then compress: the engine hashes the source it is about
            // to compress, in the same pass over DMA memory, so a chained
            // request costs one descriptor and one read of the input.
            if let Some(h) = hash {
                if let (Some(msg), Some(out)) =
                    (s.get(h.start..h.end), digest.get_mut(..h.digest_len))
                {
                    hashed = HashSession::plain(h.alg).digest(msg, out).is_ok();
                }
            }
            // Without a dictionary `dict` is empty and these are the plain
            // requests.
            let r = match command {
                DcCommand::Compress => engine.compress_with_dict(&params, &dc_req, dict, s, d),
                DcCommand::Decompress if part => {
                    engine.decompress_part(&params, &dc_req, s, d, p.part_offset, p.part_len)
                }
                DcCommand::Decompress => {
                    Ok(engine.decompress_with_dict(&params, &dc_req, dict, s, d))
                }
            };
            // Nothing of a request the engine had no scratch for is kept.
            let produced = r.as_ref().map_or(0, |r| r.produced as usize);
            if let (Ok(r), true) = (&r, integrity != 0) {
                crcs = integrity_crcs(r, &dc_req, crc64, integrity, compress, s, d);
            }
            let written = match (&r, zero_pad_to_4k) {
                (Ok(r), true) if r.status == DcStatus::Ok => zero_pad(d, produced),
                _ => produced,
            };
            (r, written)
        });
        if let (Ok(Ok(_)), Some(h)) = (&result, hash) {
            if !hashed {
                return Err(CpaStatus::InvalidParam);
            }
            let written = digest
                .get(..h.digest_len)
                .map(|d| ctx.memory.write_bytes(h.digest, d));
            if !matches!(written, Some(Ok(()))) {
                // A digest address the owner cannot reach: a region fault,
                // as for the buffers.
                return Ok(region_fault(req));
            }
        }
        if let (Ok(Ok(r)), true) = (&result, integrity != 0) {
            if r.status == DcStatus::Ok
                && ctx
                    .memory
                    .write_bytes(p.crc_data, bytemuck::bytes_of(&crcs))
                    .is_err()
            {
                // A CRC record the owner cannot reach: a region fault.
                return Ok(region_fault(req));
            }
        }
        match result {
            Ok(Ok(r)) => Ok(response(req, &r)),
            // Out of memory for scratch (a gathered list or the engine's
            // verify buffer): CPA_STATUS_RESOURCE, as for any request the
            // device has no resources for; the engine serves the next one.
            Ok(Err(NoScratch(_))) | Err(DmaError::NoMemory(_)) => Err(CpaStatus::Resource),
            Err(_) => Ok(region_fault(req)),
        }
    }
}

impl DcFirmware {
    /// The next request of a stateful stream (buffers loaded): the state of
    /// the request's direction is read from the session's context buffer,
    /// advanced by the engine, and written back. QAT takes neither
    /// compress-and-verify nor hash chaining nor the data plane with
    /// stateful sessions.
    #[allow(clippy::too_many_arguments)]
    fn stateful(
        &mut self,
        req: &RequestDesc,
        ctx: &mut RequestContext<'_>,
        command: DcCommand,
        params: &DcParams,
        session: &DcSessionDesc,
        p: &DcRequestParams,
        dc_req: &DcRequest,
    ) -> Result<ResponseDesc, CpaStatus> {
        // Compress-and-verify, integrity CRCs, partial reads, zero padding
        // and chaining are for stateless requests.
        let stateless_only = DC_CNV
            | DC_CNVNR
            | DC_ZERO_PAD
            | DC_PART_READ
            | DC_INTEGRITY_CRC32
            | DC_INTEGRITY_CRC64;
        if p.flags & stateless_only != 0 || p.hash_alg != 0 {
            return Err(CpaStatus::Unsupported);
        }
        if req.header.flags & REQ_DP != 0 {
            return Err(CpaStatus::InvalidParam);
        }
        let flush = match p.flush {
            0 => StreamFlush::None,
            1 => StreamFlush::Final,
            2 => StreamFlush::Sync,
            3 => StreamFlush::Full,
            _ => return Err(CpaStatus::InvalidParam),
        };
        let range = session
            .state_range(command)
            .ok_or(CpaStatus::InvalidParam)?;
        match ctx.buffers.load_context(ctx.memory, &session.context) {
            Ok(()) => {}
            Err(DmaError::OutOfRange { .. } | DmaError::Null | DmaError::Overlap) => {
                return Ok(region_fault(req))
            }
            Err(DmaError::NoMemory(_)) => return Err(CpaStatus::Resource),
            Err(_) => return Err(CpaStatus::InvalidParam),
        }
        if ctx.buffers.context_len() < range.end as u64 {
            return Err(CpaStatus::InvalidParam);
        }
        let stream = DcStream {
            start: p.flags & DC_SOP != 0,
            flush,
        };
        let even = p.flags & DC_EVEN_INPUT != 0;
        let engine = &mut self.engine;
        let result = ctx.buffers.run_with_context(range, |s, d, state| {
            let s = if even { &s[..s.len() & !1] } else { s };
            let r = match command {
                DcCommand::Compress => {
                    engine.compress_stateful(params, dc_req, &stream, state, s, d)
                }
                DcCommand::Decompress => {
                    engine.decompress_stateful(params, dc_req, &stream, state, s, d)
                }
            };
            (r, r.produced as usize)
        });
        match result {
            Ok(r) => Ok(response(req, &r)),
            Err(DmaError::NoMemory(_)) => Err(CpaStatus::Resource),
            Err(_) => Ok(region_fault(req)),
        }
    }
}

/// The response of a request whose buffers the owner cannot reach: a
/// region fault status, as an IOMMU fault would end it, nothing touched.
fn region_fault(req: &RequestDesc) -> ResponseDesc {
    let r = DcResponseResults {
        status: DcStatus::RegionOutOfBounds.code() as i8,
        ..DcResponseResults::default()
    };
    ResponseDesc::with_result(req, &r)
}

impl ServiceFirmware for DcFirmware {
    fn service(&self) -> ServiceId {
        ServiceId::Dc
    }

    fn execute(&mut self, req: &RequestDesc, ctx: &mut RequestContext<'_>) -> ResponseDesc {
        match self.try_execute(req, ctx) {
            Ok(resp) => resp,
            Err(status) => ResponseDesc::failed(req, status),
        }
    }
}

/// The integrity CRCs of a completed request over its input `s` (the bytes
/// consumed) and output `d` (the bytes produced): CRC32 and Adler-32 of the
/// uncompressed side from the request's seeds, and the 32- or 64-bit
/// integrity CRCs `flags` asks for.
fn integrity_crcs(
    r: &DcResult,
    req: &DcRequest,
    crc64: Option<&Crc64>,
    flags: u8,
    compress: bool,
    s: &[u8],
    d: &[u8],
) -> DcCrcResults {
    let input = &s[..(r.consumed as usize).min(s.len())];
    let output = &d[..(r.produced as usize).min(d.len())];
    let plain = if compress { input } else { output };
    let mut c = DcCrcResults {
        crc32: checksum::crc32(req.seed_crc32, plain),
        adler32: checksum::adler32(req.seed_adler32, plain),
        ..DcCrcResults::default()
    };
    if flags & DC_INTEGRITY_CRC32 != 0 {
        c.i_crc32 = checksum::crc32(0, input);
        c.o_crc32 = checksum::crc32(0, output);
    }
    if let (true, Some(crc)) = (flags & DC_INTEGRITY_CRC64 != 0, crc64) {
        c.i_crc64 = crc.checksum(input);
        c.o_crc64 = crc.checksum(output);
    }
    c
}

fn response(req: &RequestDesc, r: &DcResult) -> ResponseDesc {
    let mut flags = 0;
    if r.aligned_end {
        flags |= DC_ALIGNED_END;
    }
    if r.end_of_last_block {
        flags |= DC_END_OF_LAST_BLOCK;
    }
    if r.data_uncompressed {
        flags |= DC_DATA_UNCOMPRESSED;
    }
    if r.cnv_recovered {
        flags |= DC_CNV_RECOVERED;
    }
    ResponseDesc::with_result(
        req,
        &DcResponseResults {
            status: r.status.code() as i8,
            flags,
            reserved: 0,
            consumed: r.consumed,
            produced: r.produced,
            checksum: r.checksum,
            adler32: r.adler32,
        },
    )
}
