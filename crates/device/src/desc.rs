//! Ring descriptors: fixed-size plain-old-data, the only thing that crosses a ring.
//!
//! A request names buffers by DMA address ([`Iova`](crate::Iova)) and carries
//! the session settings inline, so the device needs nothing but the descriptor
//! and the owner's memory map to execute it — the same bytes work in process
//! memory and in shared memory between a client and the daemon. Any bit
//! pattern is a valid descriptor (`Pod`); the firmware validates every field
//! before use and answers a bad one with an error response.
//!
//! Sizes follow gen4 hardware: 128-byte requests, 32-byte responses.

use bytemuck::{Pod, Zeroable};
use softqat_cpa::CpaStatus;

/// Operation codes of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Opcode {
    /// Stateless compression.
    DcCompress = 1,
    /// Stateless decompression.
    DcDecompress = 2,
}

impl Opcode {
    /// The opcode with value `v`, if any.
    pub fn from_u8(v: u8) -> Option<Opcode> {
        match v {
            1 => Some(Opcode::DcCompress),
            2 => Some(Opcode::DcDecompress),
            _ => None,
        }
    }
}

/// `RequestDesc::flags`: verify every compressed output (CnV).
pub const REQ_CNV: u8 = 1 << 0;
/// `RequestDesc::flags`: recover verify errors into stored blocks (CnVnR).
pub const REQ_CNVNR: u8 = 1 << 1;
/// `RequestDesc::flags`: data-plane request — overflow is an error (Table 18).
pub const REQ_DP: u8 = 1 << 2;

/// `BufferDesc::kind`: one contiguous buffer.
pub const BUF_FLAT: u32 = 0;

/// A buffer named by DMA address.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct BufferDesc {
    /// DMA address of the first byte.
    pub addr: u64,
    /// Length in bytes.
    pub len: u32,
    /// Layout of the buffer (`BUF_FLAT`).
    pub kind: u32,
}

/// Compression session settings, carried inline in every DC request.
///
/// Field values are the CPA enum values, so the SAL copies them from
/// `CpaDcSessionSetupData` without translation.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct DcSessionDesc {
    /// `CpaDcCompType`: 3 deflate, 4 LZ4.
    pub comp_type: u8,
    /// `CpaDcHuffType`: 0 static, 1 precompiled, 2 full dynamic.
    pub huff_type: u8,
    /// `CpaDcAutoSelectBest`: 0..=4.
    pub asb: u8,
    /// `CpaDcChecksum`: 0 none, 1 CRC32, 2 Adler32, 3 both, 4 xxHash32.
    pub checksum: u8,
    /// `CpaDcCompLvl`: 1..=12.
    pub level: u8,
    /// `CpaDcCompMinMatch`: 0 three bytes, 1 four bytes.
    pub min_match: u8,
    /// `CpaDcCompLZ4BlockMaxSize`: 0 64K, 1 256K, 2 1M, 3 4M.
    pub lz4_block_max: u8,
    /// Bit 0: LZ4 block checksum.
    pub lz4_flags: u8,
}

/// A request descriptor (128 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Pod, Zeroable)]
pub struct RequestDesc {
    /// [`Opcode`] value.
    pub opcode: u8,
    /// `REQ_*` flags.
    pub flags: u8,
    /// `CpaDcFlush`: 0 none, 1 final, 2 sync, 3 full.
    pub flush: u8,
    /// A simulated `CpaDcReqStatus` to report instead of the real outcome; 0 for none.
    pub inject: i8,
    /// Echoed in the response; the requester's own reference to the request.
    pub opaque: u32,
    /// Session settings.
    pub dc: DcSessionDesc,
    /// Source buffer.
    pub src: BufferDesc,
    /// Destination buffer.
    pub dst: BufferDesc,
    /// CRC32 seed (the previous request's checksum).
    pub seed_crc32: u32,
    /// Adler32 seed.
    pub seed_adler32: u32,
    /// Room for other services' fields; zero for compression.
    pub reserved: [u64; 9],
}

/// `ResponseDesc::flags`: the final block of the stream was decoded.
pub const RESP_END_OF_LAST_BLOCK: u8 = 1 << 0;
/// `ResponseDesc::flags`: the output is the raw input (ASB without headers).
pub const RESP_DATA_UNCOMPRESSED: u8 = 1 << 1;
/// `ResponseDesc::flags`: a compress-and-verify error was recovered.
pub const RESP_CNV_RECOVERED: u8 = 1 << 2;

/// A response descriptor (32 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct ResponseDesc {
    /// Ring protocol: the request's ring index + 1, written last.
    pub seq: u32,
    /// The request's `opaque`.
    pub opaque: u32,
    /// `CpaStatus` of the request as a whole (0 success, −1 fail, −4 invalid
    /// parameter, −7 restarting).
    pub cpa_status: i8,
    /// `CpaDcReqStatus`.
    pub dc_status: i8,
    /// `RESP_*` flags.
    pub flags: u8,
    /// The request's opcode.
    pub opcode: u8,
    /// Input bytes consumed.
    pub consumed: u32,
    /// Output bytes produced.
    pub produced: u32,
    /// `results.checksum`.
    pub checksum: u32,
    /// Adler32 (CRC32_ADLER32 sessions).
    pub adler32: u32,
    /// Reserved.
    pub reserved: u32,
}

impl ResponseDesc {
    /// A response that fails the whole request with `cpa_status`.
    pub fn failed(req: &RequestDesc, cpa_status: CpaStatus) -> ResponseDesc {
        ResponseDesc {
            opaque: req.opaque,
            cpa_status: cpa_status.code() as i8,
            opcode: req.opcode,
            ..ResponseDesc::default()
        }
    }
}

const _: () = assert!(std::mem::size_of::<RequestDesc>() == 128);
const _: () = assert!(std::mem::size_of::<ResponseDesc>() == 32);
const _: () = assert!(std::mem::size_of::<BufferDesc>() == 16);
