//! The compression service's firmware: reads the session settings from the
//! content descriptor (deriving the engine's parameters once per session and
//! caching them), reaches the source and destination — flat buffers or
//! scatter-gather lists — and runs the deflate / LZ4 engine.

use softqat_engine::dc::{
    AutoSelectBest, ChecksumType, CompType, DcEngine, DcParams, DcRequest, DcResult,
};
use softqat_engine::deflate::{HuffmanMode, LevelMapping, SearchDepth};
use softqat_engine::lz4::{BlockFormat, BlockMaxSize};
use softqat_engine::DcStatus;

use super::{read_content, ContentError, RequestContext, ServiceFirmware};
use crate::desc::*;
use crate::dma::DmaError;

/// Sessions whose derived parameters an engine keeps (direct-mapped).
const SESSION_CACHE: usize = 64;

/// One cached session: who and where it is, its stamp, what was derived.
#[derive(Clone, Copy)]
struct CachedSession {
    owner: u64,
    content: u64,
    stamp: u64,
    params: DcParams,
}

/// Per-engine-thread compression firmware: codec workspaces and the session
/// cache, reused for every request.
pub struct DcFirmware {
    engine: DcEngine,
    mapping: LevelMapping,
    cache: Box<[Option<CachedSession>; SESSION_CACHE]>,
}

/// Decodes the session settings of a DC descriptor.
pub fn dc_params(d: &DcSessionDesc, mapping: LevelMapping) -> Result<DcParams, DcParamError> {
    let comp_type = match d.comp_type {
        3 => CompType::Deflate,
        4 => CompType::Lz4,
        5 | 6 => return Err(DcParamError::Unsupported("LZ4S and ZSTD compression types")),
        v => return Err(DcParamError::Invalid("compType", u32::from(v))),
    };
    let huffman = match d.huff_type {
        // Precompiled trees are the fixed code here: there is no per-device
        // precompiled table to load.
        0 | 1 => HuffmanMode::Static,
        2 => HuffmanMode::Dynamic,
        v => return Err(DcParamError::Invalid("huffType", u32::from(v))),
    };
    let asb = match d.asb {
        0 => AutoSelectBest::Disabled,
        1 => AutoSelectBest::StaticDynamic,
        2 => AutoSelectBest::StoredHeaders,
        3 => AutoSelectBest::NoHeaders,
        4 => AutoSelectBest::Enabled,
        v => {
            return Err(DcParamError::Invalid(
                "autoSelectBestHuffmanTree",
                u32::from(v),
            ))
        }
    };
    let checksum = match (comp_type, d.checksum) {
        (_, 0) => ChecksumType::None,
        (CompType::Deflate, 1) => ChecksumType::Crc32,
        (CompType::Deflate, 2) => ChecksumType::Adler32,
        (CompType::Deflate, 3) => ChecksumType::Crc32Adler32,
        (CompType::Lz4, 4) => ChecksumType::Xxhash32,
        (_, v) => return Err(DcParamError::Invalid("checksum", u32::from(v))),
    };
    let depth = SearchDepth::for_level(d.level, mapping)
        .ok_or(DcParamError::Invalid("compLevel", u32::from(d.level)))?;
    let min_match = match d.min_match {
        0 => 3,
        1 => 4,
        v => return Err(DcParamError::Invalid("minMatch", u32::from(v))),
    };
    let max_size = BlockMaxSize::from_qat(u32::from(d.lz4_block_max)).ok_or(
        DcParamError::Invalid("lz4BlockMaxSize", u32::from(d.lz4_block_max)),
    )?;
    Ok(DcParams {
        comp_type,
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
            cache: Box::new([None; SESSION_CACHE]),
        }
    }

    /// The engine parameters of the session `req` points at: from the cache
    /// when this owner's content descriptor at that address still carries
    /// the stamp they were derived under, else decoded (and cached). An
    /// updated session has a new stamp and a removed one stamp 0, so a stale
    /// entry is never used.
    fn session(&mut self, req: &RequestDesc, ctx: &RequestContext<'_>) -> Result<DcParams, i8> {
        let (header, content) = read_content::<DcContent>(req, ctx.memory, ServiceId::Dc)
            // Unreachable, malformed or removed: not a session to run.
            .map_err(|_: ContentError| CPA_INVALID_PARAM)?;
        let owner = ctx.memory.key();
        let slot = ((req.content >> 6) ^ owner.wrapping_mul(0x9e37_79b9)) as usize % SESSION_CACHE;
        if let Some(c) = &self.cache[slot] {
            if c.owner == owner && c.content == req.content && c.stamp == header.stamp {
                return Ok(c.params);
            }
        }
        let params = dc_params(&content.session, self.mapping).map_err(|e| match e {
            DcParamError::Invalid(..) => CPA_INVALID_PARAM,
            DcParamError::Unsupported(_) => CPA_UNSUPPORTED,
        })?;
        self.cache[slot] = Some(CachedSession {
            owner,
            content: req.content,
            stamp: header.stamp,
            params,
        });
        Ok(params)
    }

    fn try_execute(
        &mut self,
        req: &RequestDesc,
        ctx: &mut RequestContext<'_>,
    ) -> Result<ResponseDesc, i8> {
        let command = DcCommand::from_u8(req.header.command).ok_or(CPA_INVALID_PARAM)?;
        let params = self.session(req, ctx)?;
        let p: DcRequestParams = req.params();
        let inject = match p.inject {
            0 => None,
            code => Some(DcStatus::from_code(i32::from(code)).ok_or(CPA_INVALID_PARAM)?),
        };
        let dc_req = DcRequest {
            final_flush: match p.flush {
                1 => true,
                0 | 2 | 3 => false,
                _ => return Err(CPA_INVALID_PARAM),
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
        let region_fault = |req: &RequestDesc| {
            let r = DcResponseResults {
                status: DcStatus::RegionOutOfBounds.code() as i8,
                ..DcResponseResults::default()
            };
            ResponseDesc::with_result(req, &r)
        };
        match ctx.buffers.load(ctx.memory, &req.src, &req.dst) {
            Ok(()) => {}
            Err(DmaError::OutOfRange { .. } | DmaError::Null | DmaError::Overlap) => {
                return Ok(region_fault(req))
            }
            Err(_) => return Err(CPA_INVALID_PARAM),
        }
        let engine = &mut self.engine;
        let result = ctx.buffers.run(|s, d| {
            let r = match command {
                DcCommand::Compress => engine.compress(&params, &dc_req, s, d),
                DcCommand::Decompress => engine.decompress(&params, &dc_req, s, d),
            };
            let produced = r.produced as usize;
            (r, produced)
        });
        match result {
            Ok(r) => Ok(response(req, &r)),
            Err(DmaError::NoMemory(_)) => Err(CPA_RESOURCE),
            Err(_) => Ok(region_fault(req)),
        }
    }
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

fn response(req: &RequestDesc, r: &DcResult) -> ResponseDesc {
    let mut flags = 0;
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
