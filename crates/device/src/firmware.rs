//! The firmware of a software engine: validates a request descriptor, reaches
//! its buffers through the owner's memory map, runs the engine, and builds the
//! response. A bad descriptor gets an error response; nothing here panics on
//! what a requester wrote.

use softqat_cpa::{
    AutoSelectBest, ChecksumType, CompType, CpaStatus, HuffType, Lz4BlockMaxSize, MinMatch,
};
use softqat_engine::dc::{DcAlgorithm, DcEngine, DcParams, DcRequest, DcResult};
use softqat_engine::deflate::{HuffmanMode, LevelMapping, SearchDepth};
use softqat_engine::lz4::BlockFormat;
use softqat_engine::DcStatus;

use crate::desc::*;
use crate::dma::{with_buffers, OwnerMemory};

/// Per-engine-thread state: codec workspaces, reused for every request.
pub struct Firmware {
    dc: DcEngine,
    mapping: LevelMapping,
}

/// Why a descriptor was refused before any work.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    Invalid,
    Unsupported,
}

impl Refusal {
    fn cpa_status(&self) -> CpaStatus {
        match self {
            Refusal::Invalid => CpaStatus::InvalidParam,
            Refusal::Unsupported => CpaStatus::Unsupported,
        }
    }
}

/// Decodes the session settings of a DC descriptor.
pub fn dc_params(d: &DcSessionDesc, mapping: LevelMapping) -> Result<DcParams, DcParamError> {
    let invalid = |field: &'static str, v: u8| DcParamError::Invalid(field, u32::from(v));
    let comp_type = CompType::from_value(d.comp_type).ok_or(invalid("compType", d.comp_type))?;
    let algorithm = DcAlgorithm::try_from(comp_type)
        .map_err(|_| DcParamError::Unsupported("LZ4S and ZSTD compression types"))?;
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
        | (DcAlgorithm::Lz4, ChecksumType::Xxhash32) => {}
        (_, ChecksumType::Xxhash64) => return Err(DcParamError::Unsupported("xxHash64 checksums")),
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

impl Firmware {
    /// Firmware for an endpoint whose levels map by `mapping`.
    pub fn new(mapping: LevelMapping) -> Firmware {
        Firmware {
            dc: DcEngine::new(),
            mapping,
        }
    }

    /// Executes one request on behalf of the owner whose memory is `mem`.
    pub fn execute(&mut self, req: &RequestDesc, mem: &OwnerMemory) -> ResponseDesc {
        match self.try_execute(req, mem) {
            Ok(resp) => resp,
            Err(refusal) => ResponseDesc::failed(req, refusal.cpa_status()),
        }
    }

    fn try_execute(
        &mut self,
        req: &RequestDesc,
        mem: &OwnerMemory,
    ) -> Result<ResponseDesc, Refusal> {
        let opcode = Opcode::from_u8(req.opcode).ok_or(Refusal::Invalid)?;
        let params = dc_params(&req.dc, self.mapping).map_err(|e| match e {
            DcParamError::Invalid(..) => Refusal::Invalid,
            DcParamError::Unsupported(_) => Refusal::Unsupported,
        })?;
        let inject = match req.inject {
            0 => None,
            code => Some(DcStatus::from_code(i32::from(code)).ok_or(Refusal::Invalid)?),
        };
        let dc_req = DcRequest {
            final_flush: match req.flush {
                1 => true,
                0 | 2 | 3 => false,
                _ => return Err(Refusal::Invalid),
            },
            verify: req.flags & REQ_CNV != 0,
            recover: req.flags & REQ_CNVNR != 0,
            overflow_is_error: req.flags & REQ_DP != 0,
            seed_crc32: req.seed_crc32,
            seed_adler32: req.seed_adler32,
            inject,
        };
        // Buffers the owner cannot reach end the request with a status, as
        // an IOMMU fault would, without touching memory.
        let region_fault = |req: &RequestDesc| {
            let mut r = ResponseDesc::failed(req, CpaStatus::Success);
            r.dc_status = DcStatus::RegionOutOfBounds.code() as i8;
            r
        };
        let (src, dst) = match (mem.translate(&req.src), mem.translate(&req.dst)) {
            (Ok(s), Ok(d)) => (s, d),
            _ => return Ok(region_fault(req)),
        };
        let dc = &mut self.dc;
        let result = with_buffers(&src, &dst, |s, d| match opcode {
            Opcode::DcCompress => dc.compress(&params, &dc_req, s, d),
            Opcode::DcDecompress => dc.decompress(&params, &dc_req, s, d),
        });
        match result {
            Ok(r) => Ok(response(req, &r)),
            Err(_) => Ok(region_fault(req)),
        }
    }
}

fn response(req: &RequestDesc, r: &DcResult) -> ResponseDesc {
    let mut flags = 0;
    if r.end_of_last_block {
        flags |= RESP_END_OF_LAST_BLOCK;
    }
    if r.data_uncompressed {
        flags |= RESP_DATA_UNCOMPRESSED;
    }
    if r.cnv_recovered {
        flags |= RESP_CNV_RECOVERED;
    }
    ResponseDesc {
        seq: 0,
        opaque: req.opaque,
        cpa_status: CpaStatus::Success.code() as i8,
        dc_status: r.status.code() as i8,
        flags,
        opcode: req.opcode,
        consumed: r.consumed,
        produced: r.produced,
        checksum: r.checksum,
        adler32: r.adler32,
        reserved: 0,
    }
}
