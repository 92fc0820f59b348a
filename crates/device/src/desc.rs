//! Ring descriptors: fixed-size plain-old-data, the only thing that crosses a ring.
//!
//! The request format is service-neutral, shaped like QAT's firmware requests:
//!
//! ```text
//! offset  0  ReqHeader        service, command, flags, opaque          8 bytes
//! offset  8  content          DMA address of the content descriptor    8
//! offset 16  content_len      its length in bytes                      4
//! offset 20  reserved                                                  4
//! offset 24  src              BufferDesc (flat or scatter-gather)     16
//! offset 40  dst              BufferDesc                              16
//! offset 56  params           service-specific parameter area         72
//! ```
//!
//! The *content descriptor* holds the session state — compression settings,
//! keys, precomputed hash states — in the owner's registered DMA memory,
//! written once at session setup: a request only points at it. It starts with
//! a [`ContentHeader`] whose `stamp` changes whenever the session is updated
//! (and is zeroed when it is removed), so engines may cache what they derive
//! from it (key schedules, Huffman settings) keyed by owner, address and
//! stamp.
//!
//! Source and destination are [`BufferDesc`]s: one flat buffer, or a
//! scatter-gather list whose table of [`SglEntry`]s lives in DMA memory too.
//!
//! Responses are 32 bytes: the ring's sequence word, the request's opaque
//! value, the common CPA status, service and command, and a 20-byte
//! service-specific area.
//!
//! Any bit pattern is a valid descriptor (`Pod`); the firmware validates every
//! field before use and answers a bad one with an error response.

use bytemuck::{Pod, Zeroable};
use softqat_cpa::CpaStatus;

/// A DMA address: what descriptors use to name memory. Never a Rust pointer:
/// the device translates it through the owner's memory map
/// ([`crate::dma::OwnerMemory`]) before touching anything.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Pod, Zeroable)]
pub struct Iova(pub u64);

/// Which firmware serves a request (`ReqHeader::service`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ServiceId {
    /// Compression and decompression.
    Dc = 1,
    /// Symmetric crypto: ciphers, hashes, AEAD.
    Sym = 2,
    /// Asymmetric crypto and key generation.
    Asym = 3,
}

impl ServiceId {
    /// Every service, in numeric order.
    pub const ALL: [ServiceId; 3] = [ServiceId::Dc, ServiceId::Sym, ServiceId::Asym];

    /// The service with wire value `v`, if any.
    pub fn from_u8(v: u8) -> Option<ServiceId> {
        ServiceId::ALL.into_iter().find(|s| *s as u8 == v)
    }

    /// Index into per-service tables (0-based).
    pub fn index(self) -> usize {
        self as usize - 1
    }

    /// The name used in the configuration (`dc`, `sym`, `asym`).
    pub fn name(self) -> &'static str {
        match self {
            ServiceId::Dc => "dc",
            ServiceId::Sym => "sym",
            ServiceId::Asym => "asym",
        }
    }
}

/// `ReqHeader::flags`: a data-plane request (Table 18: overflow is an error).
pub const REQ_DP: u16 = 1 << 0;

/// The common header of every request.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct ReqHeader {
    /// [`ServiceId`] value.
    pub service: u8,
    /// Service-specific command (e.g. [`DcCommand`]).
    pub command: u8,
    /// `REQ_*` flags common to all services.
    pub flags: u16,
    /// Echoed in the response; the requester's own reference to the request.
    pub opaque: u32,
}

/// `BufferDesc::kind`: one contiguous buffer; `addr` is its first byte and
/// `len` its length.
pub const BUF_FLAT: u32 = 0;
/// `BufferDesc::kind`: a scatter-gather list; `addr` is the DMA address of a
/// table of `len` [`SglEntry`]s.
pub const BUF_SGL: u32 = 1;
/// Most entries a scatter-gather list may have.
pub const MAX_SGL_ENTRIES: u32 = 1024;

/// A buffer named by DMA address: flat or a scatter-gather list.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct BufferDesc {
    /// DMA address of the first byte (flat) or of the list table (SGL).
    pub addr: Iova,
    /// Bytes (flat) or entries (SGL).
    pub len: u32,
    /// `BUF_FLAT` or `BUF_SGL`.
    pub kind: u32,
}

impl BufferDesc {
    /// A flat buffer of `len` bytes at `addr`.
    pub fn flat(addr: Iova, len: u32) -> BufferDesc {
        BufferDesc {
            addr,
            len,
            kind: BUF_FLAT,
        }
    }

    /// A scatter-gather list of `entries` entries whose table is at `table`.
    pub fn sgl(table: Iova, entries: u32) -> BufferDesc {
        BufferDesc {
            addr: table,
            len: entries,
            kind: BUF_SGL,
        }
    }
}

/// One entry of a scatter-gather list table (16 bytes, in DMA memory).
///
/// The layout is `CpaPhysFlatBuffer`'s (length, reserved, address), so the
/// array of a data-plane `CpaPhysBufferList` is a table the device reads as
/// it is, with nothing copied.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct SglEntry {
    /// Length of the segment in bytes.
    pub len: u32,
    /// Zero.
    pub reserved: u32,
    /// DMA address of the segment.
    pub addr: Iova,
}

/// Size of the service-specific parameter area of a request.
pub const PARAMS_LEN: usize = 72;
/// Size of the service-specific area of a response.
pub const RESULT_LEN: usize = 20;

/// A request descriptor (128 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Pod, Zeroable)]
pub struct RequestDesc {
    /// Service, command, flags, opaque.
    pub header: ReqHeader,
    /// DMA address of the content descriptor (session state).
    pub content: Iova,
    /// Length of the content descriptor in bytes.
    pub content_len: u32,
    /// Zero.
    pub reserved: u32,
    /// Source.
    pub src: BufferDesc,
    /// Destination.
    pub dst: BufferDesc,
    /// Service-specific parameters: see [`RequestDesc::params`].
    pub params: [u64; PARAMS_LEN / 8],
}

impl RequestDesc {
    /// The parameter area read as service area `T`.
    pub fn params<T: ParamArea>(&self) -> T {
        bytemuck::cast(self.params)
    }

    /// Writes service area `T` into the parameter area.
    pub fn set_params<T: ParamArea>(&mut self, area: &T) {
        self.params = bytemuck::cast(*area);
    }
}

/// A service's parameter area: Pod and exactly [`PARAMS_LEN`] bytes.
pub trait ParamArea: Pod {}

/// A service's response area: Pod and exactly [`RESULT_LEN`] bytes.
pub trait ResultArea: Pod {}

/// A response descriptor (32 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct ResponseDesc {
    /// Ring protocol: the request's ring index + 1, written last.
    pub seq: u32,
    /// The request's `opaque`.
    pub opaque: u32,
    /// [`CpaStatus`] value of the request as a whole (0 success, −1 fail, −3
    /// resource, −4 invalid parameter, −6 unsupported, −7 restarting).
    pub cpa_status: i8,
    /// The request's service.
    pub service: u8,
    /// The request's command.
    pub command: u8,
    /// [`RESP_DUMMY`] or zero.
    pub flags: u8,
    /// Service-specific results: see [`ResponseDesc::result`].
    pub result: [u32; RESULT_LEN / 4],
}

/// [`ResponseDesc::flags`]: a dummy response — the request was not
/// processed, because the endpoint failed (fatal error, heartbeat failure)
/// or a ring-pair error drained its ring. Resubmit it elsewhere or later.
pub const RESP_DUMMY: u8 = 1;

impl ResponseDesc {
    /// The dummy response to `req` (Programmer's Guide §3.17.2.2): status
    /// CPA_STATUS_FAIL and [`RESP_DUMMY`], no results.
    pub fn dummy(req: &RequestDesc) -> ResponseDesc {
        ResponseDesc {
            flags: RESP_DUMMY,
            ..ResponseDesc::failed(req, CpaStatus::Fail)
        }
    }

    /// True for a [`ResponseDesc::dummy`] response.
    pub fn is_dummy(&self) -> bool {
        self.flags & RESP_DUMMY != 0
    }

    /// A response that fails the whole request with `cpa_status`.
    pub fn failed(req: &RequestDesc, cpa_status: CpaStatus) -> ResponseDesc {
        ResponseDesc {
            opaque: req.header.opaque,
            cpa_status: cpa_status.code() as i8,
            service: req.header.service,
            command: req.header.command,
            ..ResponseDesc::default()
        }
    }

    /// A successful response to `req` carrying `result`.
    pub fn with_result<T: ResultArea>(req: &RequestDesc, result: &T) -> ResponseDesc {
        ResponseDesc {
            opaque: req.header.opaque,
            cpa_status: CpaStatus::Success.code() as i8,
            service: req.header.service,
            command: req.header.command,
            result: bytemuck::cast(*result),
            ..ResponseDesc::default()
        }
    }

    /// The result area read as service area `T`.
    pub fn result<T: ResultArea>(&self) -> T {
        bytemuck::cast(self.result)
    }
}

/// The header of every content descriptor (16 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct ContentHeader {
    /// [`ServiceId`] the session belongs to.
    pub service: u8,
    /// Layout version of the body ([`CONTENT_VERSION`]).
    pub version: u8,
    /// Zero.
    pub reserved: u16,
    /// Bytes of the body that follows the header.
    pub body_len: u32,
    /// Changes whenever the session is set up or updated; 0 once it is
    /// removed. Caches of derived state are keyed by it.
    pub stamp: u64,
}

impl ContentHeader {
    /// The header of a descriptor of `service` whose body is a `B`.
    pub fn for_body<B>(service: ServiceId, stamp: u64) -> ContentHeader {
        ContentHeader {
            service: service as u8,
            version: CONTENT_VERSION,
            reserved: 0,
            body_len: std::mem::size_of::<B>() as u32,
            stamp,
        }
    }
}

/// Current layout version of content descriptor bodies.
pub const CONTENT_VERSION: u8 = 1;
/// Largest content descriptor the firmware reads.
pub const MAX_CONTENT_LEN: u32 = 4096;

// --- Compression ---------------------------------------------------------

/// Commands of the compression service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum DcCommand {
    /// Compression (stateless, or the next request of a stateful stream).
    Compress = 1,
    /// Decompression (likewise).
    Decompress = 2,
}

impl DcCommand {
    /// The command with value `v`, if any.
    pub fn from_u8(v: u8) -> Option<DcCommand> {
        match v {
            1 => Some(DcCommand::Compress),
            2 => Some(DcCommand::Decompress),
            _ => None,
        }
    }
}

/// The body of a compression session's content descriptor.
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
    /// `CpaDcSessionDirection`: 0 compress, 1 decompress, 2 combined —
    /// which states a stateful session's context holds.
    pub direction: u8,
    /// 1 for a stateful session (`CPA_DC_STATEFUL`: its stream state lives
    /// in `context`), 0 for a stateless one.
    pub stateful: u8,
    /// Zero.
    pub reserved: [u8; 6],
    /// A stateful session's context buffer (`cpaDcInitSession`'s
    /// `pContextBuffer`; QAT's `ram_banks_addr`), flat or a scatter-gather
    /// list in the owner's memory, which the firmware reads at the start of
    /// each request and writes back at its end: the decompression state
    /// first ([`DC_INFLATE_STATE_LEN`] bytes) when the session
    /// decompresses, then the compression state ([`DC_DEFLATE_STATE_LEN`])
    /// when it compresses. Empty for a stateless session.
    pub context: BufferDesc,
}

/// Context bytes a stateful session's decompression state takes.
pub const DC_INFLATE_STATE_LEN: usize = softqat_engine::deflate::stream::INFLATE_STATE_LEN;
/// Context bytes a stateful session's compression state takes.
pub const DC_DEFLATE_STATE_LEN: usize = softqat_engine::deflate::stream::DEFLATE_STATE_LEN;

impl DcSessionDesc {
    /// Where in the context the state of `command`'s direction lies, for a
    /// session whose `direction` is valid (`None` otherwise, and for a
    /// direction the session does not have).
    pub fn state_range(&self, command: DcCommand) -> Option<std::ops::Range<usize>> {
        let (compresses, decompresses) = match self.direction {
            0 => (true, false),
            1 => (false, true),
            2 => (true, true),
            _ => return None,
        };
        match command {
            DcCommand::Decompress if decompresses => Some(0..DC_INFLATE_STATE_LEN),
            DcCommand::Compress if compresses => {
                let at = if decompresses {
                    DC_INFLATE_STATE_LEN
                } else {
                    0
                };
                Some(at..at + DC_DEFLATE_STATE_LEN)
            }
            _ => None,
        }
    }

    /// Context bytes a stateful session of `direction` (CPA value) needs.
    pub fn context_len(direction: u8) -> usize {
        match direction {
            0 => DC_DEFLATE_STATE_LEN,
            1 => DC_INFLATE_STATE_LEN,
            _ => DC_INFLATE_STATE_LEN + DC_DEFLATE_STATE_LEN,
        }
    }
}

/// `DcCrcDesc::flags`: input bytes are reflected (`reflectIn`).
pub const CRC64_REFLECT_IN: u8 = 1 << 0;
/// `DcCrcDesc::flags`: the result is reflected (`reflectOut`).
pub const CRC64_REFLECT_OUT: u8 = 1 << 1;

/// The integrity CRC64 of a compression session: `CpaCrcControlData`, as
/// `cpaDcSetCrcControlData` programs it (CRC-64/ECMA-182 until then).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct DcCrcDesc {
    /// `polynomial`.
    pub poly: u64,
    /// `initialValue`.
    pub init: u64,
    /// `xorOut`.
    pub xor_out: u64,
    /// `CRC64_REFLECT_*`.
    pub flags: u8,
    /// Zero.
    pub reserved: [u8; 7],
}

impl DcCrcDesc {
    /// The descriptor form of `p`.
    pub fn from_params(p: &softqat_engine::checksum::Crc64Params) -> DcCrcDesc {
        let mut flags = 0;
        if p.reflect_in {
            flags |= CRC64_REFLECT_IN;
        }
        if p.reflect_out {
            flags |= CRC64_REFLECT_OUT;
        }
        DcCrcDesc {
            poly: p.poly,
            init: p.init,
            xor_out: p.xor_out,
            flags,
            reserved: [0; 7],
        }
    }

    /// The parameters this descriptor carries.
    pub fn params(&self) -> softqat_engine::checksum::Crc64Params {
        softqat_engine::checksum::Crc64Params {
            poly: self.poly,
            init: self.init,
            reflect_in: self.flags & CRC64_REFLECT_IN != 0,
            reflect_out: self.flags & CRC64_REFLECT_OUT != 0,
            xor_out: self.xor_out,
        }
    }
}

/// A whole compression content descriptor: header and body.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct DcContent {
    /// Service `Dc`, version, body length, stamp.
    pub header: ContentHeader,
    /// The session settings.
    pub session: DcSessionDesc,
    /// The session's integrity CRC64.
    pub crc: DcCrcDesc,
}

impl DcContent {
    /// The content descriptor of a session with settings `session` and
    /// `stamp`, whose integrity CRC64 is QAT's default (CRC-64/ECMA-182).
    pub fn new(session: DcSessionDesc, stamp: u64) -> DcContent {
        let crc = DcCrcDesc::from_params(&softqat_engine::checksum::Crc64Params::ECMA_182);
        DcContent::with_crc(session, crc, stamp)
    }

    /// The content descriptor of a session with its integrity CRC64.
    pub fn with_crc(session: DcSessionDesc, crc: DcCrcDesc, stamp: u64) -> DcContent {
        let body = std::mem::size_of::<DcContent>() - std::mem::size_of::<ContentHeader>();
        DcContent {
            header: ContentHeader {
                body_len: body as u32,
                ..ContentHeader::for_body::<()>(ServiceId::Dc, stamp)
            },
            session,
            crc,
        }
    }
}

/// `DcRequestParams::flags`: verify every compressed output (CnV).
pub const DC_CNV: u8 = 1 << 0;
/// `DcRequestParams::flags`: recover verify errors into stored blocks (CnVnR).
pub const DC_CNVNR: u8 = 1 << 1;
/// `DcRequestParams::flags`: zero the destination after the output up to the
/// next 4 KiB (`cpaDcDpEnqueueOpWithZeroPad`; compression).
pub const DC_ZERO_PAD: u8 = 1 << 2;
/// `DcRequestParams::flags`: write only `part_len` bytes of the output from
/// `part_offset` on (`cpaDcDpEnqueueOpWithPartRead`; decompression).
pub const DC_PART_READ: u8 = 1 << 3;
/// `DcRequestParams::flags`: compute the 32-bit integrity CRCs (CRC32 of
/// the input and of the output) into the record at `crc_data`.
pub const DC_INTEGRITY_CRC32: u8 = 1 << 4;
/// `DcRequestParams::flags`: compute the 64-bit integrity CRCs (the
/// session's CRC64 of the input and of the output) into the record at
/// `crc_data`.
pub const DC_INTEGRITY_CRC64: u8 = 1 << 5;
/// `DcRequestParams::flags`, stateful sessions: start of packet — the
/// request begins a new stream whatever the context holds (the first
/// request of a session, or after `cpaDcResetSession`).
pub const DC_SOP: u8 = 1 << 6;
/// `DcRequestParams::flags`, stateful decompression: take an even number
/// of source bytes (one less of an odd count), as QAT 1.7 devices do for
/// odd-length requests the SAL marks so; `consumed` tells the caller.
pub const DC_EVEN_INPUT: u8 = 1 << 7;

/// The compression service's per-request parameters.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct DcRequestParams {
    /// `CpaDcFlush`: 0 none, 1 final, 2 sync, 3 full.
    pub flush: u8,
    /// `DC_*` flags.
    pub flags: u8,
    /// A simulated `CpaDcReqStatus` to report instead of the real outcome; 0 for none.
    pub inject: i8,
    /// Zero.
    pub reserved0: u8,
    /// CRC32 seed (the previous request's checksum).
    pub seed_crc32: u32,
    /// Adler32 seed.
    pub seed_adler32: u32,
    /// Hash-then-compress chaining: the `CpaCySymHashAlgorithm` of the plain
    /// hash the engine takes of the source before compressing it; 0 (NONE)
    /// for a request without a hash.
    pub hash_alg: u8,
    /// Digest bytes written at `digest` (1..=the algorithm's digest length).
    pub digest_len: u8,
    /// Zero.
    pub reserved1: u16,
    /// First source byte hashed (`hashStartSrcOffsetInBytes`).
    pub hash_offset: u32,
    /// Source bytes hashed (`messageLenToHashInBytes`).
    pub hash_len: u32,
    /// Where the digest goes: owner memory, checked like any buffer. The
    /// response area is too small for a digest, so it travels as on QAT,
    /// written by the device to the caller's `pDigestResult`.
    pub digest: Iova,
    /// With `DC_INTEGRITY_*`: where the device writes the request's
    /// [`DcCrcResults`] (the caller's `CpaCrcData`, which has its layout),
    /// checked like any buffer.
    pub crc_data: Iova,
    /// With `DC_PART_READ`: offset in the decompressed data of the first
    /// byte written.
    pub part_offset: u32,
    /// With `DC_PART_READ`: bytes of decompressed data wanted.
    pub part_len: u32,
    /// A preset dictionary (`cpaDcCompressDataWithDict`,
    /// `cpaDcDecompressDataWithDict`): flat or a scatter-gather list in the
    /// owner's memory, reached and checked like the source; its bytes are
    /// the history the request's deflate stream may refer back into. A zero
    /// descriptor (`len` 0) for a request without one.
    pub dict: BufferDesc,
    /// Zero.
    pub reserved: [u32; 2],
}

/// The CRCs of one request with integrity checking, as the device writes
/// them: the layout of `CpaCrcData` (32 bytes), so they land in the
/// caller's structure as they are.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct DcCrcResults {
    /// `crc32`: CRC32 of the uncompressed data (the input of a compression,
    /// the output of a decompression), from the request's CRC32 seed.
    pub crc32: u32,
    /// `adler32`: Adler-32 of the same, from the request's Adler-32 seed.
    pub adler32: u32,
    /// `integrityCrc.iCrc`: CRC32 of the input consumed.
    pub i_crc32: u32,
    /// `integrityCrc.oCrc`: CRC32 of the output produced.
    pub o_crc32: u32,
    /// `integrityCrc64b.iCrc`: the session's CRC64 of the input consumed.
    pub i_crc64: u64,
    /// `integrityCrc64b.oCrc`: the session's CRC64 of the output produced.
    pub o_crc64: u64,
}
impl ParamArea for DcRequestParams {}

/// `DcResponseResults::flags`: the final block of the stream was decoded.
pub const DC_END_OF_LAST_BLOCK: u8 = 1 << 0;
/// `DcResponseResults::flags`: the output is the raw input (ASB without headers).
pub const DC_DATA_UNCOMPRESSED: u8 = 1 << 1;
/// `DcResponseResults::flags`: a compress-and-verify error was recovered.
pub const DC_CNV_RECOVERED: u8 = 1 << 2;
/// `DcResponseResults::flags`: decompression stopped at a block end on a
/// byte boundary (softqat's; QAT reports no such bit).
pub const DC_ALIGNED_END: u8 = 1 << 3;

/// The compression service's results.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct DcResponseResults {
    /// `CpaDcReqStatus`.
    pub status: i8,
    /// `DC_*` result flags.
    pub flags: u8,
    /// Zero.
    pub reserved: u16,
    /// Input bytes consumed (across all segments of a list).
    pub consumed: u32,
    /// Output bytes produced (across all segments of a list).
    pub produced: u32,
    /// `results.checksum`.
    pub checksum: u32,
    /// Adler32 (CRC32_ADLER32 sessions).
    pub adler32: u32,
}
impl ResultArea for DcResponseResults {}

// --- Symmetric crypto ------------------------------------------------------

/// Commands of the symmetric crypto service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum SymCommand {
    /// `cpaCySymPerformOp`: cipher, hash, chain or AEAD, as the session says.
    Perform = 1,
}

impl SymCommand {
    /// The command with value `v`, if any.
    pub fn from_u8(v: u8) -> Option<SymCommand> {
        (v == 1).then_some(SymCommand::Perform)
    }
}

/// `SymSessionDesc::flags`: the digest follows the hashed region in the
/// buffer (`digestIsAppended`).
pub const SYM_DIGEST_APPENDED: u8 = 1 << 0;
/// `SymSessionDesc::flags`: compare the digest instead of writing it
/// (`verifyDigest`).
pub const SYM_VERIFY_DIGEST: u8 = 1 << 1;
/// `SymSessionDesc::flags`: partial packets are refused (`partialsNotRequired`).
pub const SYM_PARTIALS_NOT_REQUIRED: u8 = 1 << 2;

/// Longest cipher key a session carries (ARC4: 256 bytes).
pub const SYM_MAX_CIPHER_KEY: usize = 256;
/// Longest authentication key (the largest hash block, SHA3-224's 144
/// bytes, fits).
pub const SYM_MAX_AUTH_KEY: usize = 256;
/// Longest nested-mode prefix plus one (`innerPrefixLenInBytes` ≤ 255).
pub const SYM_MAX_PREFIX: usize = 256;

/// The body of a symmetric session's content descriptor: the setup data of
/// `CpaCySymSessionSetupData` with the keys and prefixes inline.
///
/// Enum fields carry the CPA values (`softqat_cpa::sym`), 0 where the
/// session has none, so the SAL copies them without translation.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Pod, Zeroable)]
pub struct SymSessionDesc {
    /// `CpaCySymOp`.
    pub op: u8,
    /// `CpaCySymCipherAlgorithm` (0: none).
    pub cipher_alg: u8,
    /// `CpaCySymCipherDirection`.
    pub cipher_dir: u8,
    /// `CpaCySymHashAlgorithm` (0: none).
    pub hash_alg: u8,
    /// `CpaCySymHashMode`.
    pub hash_mode: u8,
    /// Nested mode: the outer `CpaCySymHashAlgorithm`.
    pub outer_hash_alg: u8,
    /// `CpaCySymAlgChainOrder`.
    pub chain_order: u8,
    /// `SYM_*` session flags.
    pub flags: u8,
    /// `digestResultLenInBytes`.
    pub digest_len: u16,
    /// `aadLenInBytes`.
    pub aad_len: u16,
    /// Bytes of `cipher_key` in use.
    pub cipher_key_len: u16,
    /// Bytes of `auth_key` in use.
    pub auth_key_len: u16,
    /// Bytes of `inner_prefix` in use.
    pub inner_prefix_len: u16,
    /// Bytes of `outer_prefix` in use.
    pub outer_prefix_len: u16,
    /// Zero.
    pub reserved: [u8; 12],
    /// The cipher key.
    pub cipher_key: [u8; SYM_MAX_CIPHER_KEY],
    /// The authentication key.
    pub auth_key: [u8; SYM_MAX_AUTH_KEY],
    /// Nested mode: the inner prefix.
    pub inner_prefix: [u8; SYM_MAX_PREFIX],
    /// Nested mode: the outer prefix.
    pub outer_prefix: [u8; SYM_MAX_PREFIX],
}

impl Default for SymSessionDesc {
    fn default() -> Self {
        Zeroable::zeroed()
    }
}

/// A whole symmetric content descriptor: header and body.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct SymContent {
    /// Service `Sym`, version, body length, stamp.
    pub header: ContentHeader,
    /// The session settings and keys.
    pub session: SymSessionDesc,
}

impl SymContent {
    /// The content descriptor of a session with settings `session` and `stamp`.
    pub fn new(session: SymSessionDesc, stamp: u64) -> SymContent {
        SymContent {
            header: ContentHeader::for_body::<SymSessionDesc>(ServiceId::Sym, stamp),
            session,
        }
    }
}

/// Longest IV a request carries inline (GCM's J0, a CCM nonce block).
pub const SYM_MAX_IV: usize = 16;

/// `SymRequestParams::flags`: the AAD buffer holds the AAD alone, also for
/// CCM (whose C layout puts it at byte 18): what the Rust API passes.
pub const SYM_REQ_AAD_RAW: u8 = 1 << 0;

/// The symmetric service's per-request parameters (`CpaCySymOpData`).
///
/// The IV travels inline: every IV QAT takes is at most 16 bytes (for CCM the
/// 16-byte block whose bytes 1.. hold the nonce). AAD and a separate digest
/// are DMA addresses (0: none), as `pAdditionalAuthData` and `pDigestResult`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct SymRequestParams {
    /// `CpaCySymPacketType`.
    pub packet: u8,
    /// `ivLenInBytes` (for CCM, the nonce length).
    pub iv_len: u8,
    /// `SYM_REQ_*` flags.
    pub flags: u8,
    /// Zero.
    pub reserved0: u8,
    /// `cryptoStartSrcOffsetInBytes`.
    pub cipher_offset: u32,
    /// `messageLenToCipherInBytes`.
    pub cipher_len: u32,
    /// `hashStartSrcOffsetInBytes`.
    pub hash_offset: u32,
    /// `messageLenToHashInBytes`.
    pub hash_len: u32,
    /// Zero.
    pub reserved1: u32,
    /// The IV bytes (`iv_len` of them; CCM: 1 + nonce length).
    pub iv: [u8; SYM_MAX_IV],
    /// `pAdditionalAuthData` (its length is the session's `aad_len`; for
    /// CCM the 18-byte header and padding are included).
    pub aad: Iova,
    /// `pDigestResult` when the digest is not appended.
    pub digest: Iova,
    /// Zero.
    pub reserved: [u32; 4],
}
impl ParamArea for SymRequestParams {}

/// The symmetric service's results.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct SymResponseResults {
    /// `verifyResult`: 1 when a verified digest matched (or nothing was
    /// verified), 0 when it did not.
    pub verify_ok: u8,
    /// Bytes of `iv` that hold the updated IV after a partial packet (0:
    /// none). QAT writes it back to `pIv` ("the IV/Counter will be updated
    /// after every partial cryptographic operation").
    pub iv_len: u8,
    /// Zero.
    pub reserved: [u8; 2],
    /// The updated IV.
    pub iv: [u8; SYM_MAX_IV],
}
impl ResultArea for SymResponseResults {}

// --- Public-key crypto and key generation ---------------------------------

/// The operations of the public-key service, one per primitive QAT's
/// `cpaCyRsa*`, `cpaCyLn*`, `cpaCyPrime*`, `cpaCyDh*`, `cpaCyDsa*`,
/// `cpaCyEc*`, `cpaCyEcdsa*`, `cpaCyEcdh*`, `cpaCyEcsm2*` and `cpaCyKeyGen*`
/// calls run: the request's command. The order and meaning of each one's
/// input and output numbers is the firmware's table
/// (`firmware::asym::SIGNATURES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum AsymFunction {
    /// `cpaCyRsaEncrypt`.
    RsaEncrypt = 1,
    /// `cpaCyRsaDecrypt`, private key representation 1 (n, d).
    RsaDecrypt = 2,
    /// `cpaCyRsaDecrypt`, representation 2 (CRT).
    RsaDecryptCrt = 3,
    /// `cpaCyRsaGenKey`.
    RsaKeyGen = 4,
    /// `cpaCyLnModExp`.
    LnModExp = 5,
    /// `cpaCyLnModInv`.
    LnModInv = 6,
    /// `cpaCyPrimeTest`.
    PrimeTest = 7,
    /// `cpaCyDhKeyGenPhase1`.
    DhPhase1 = 8,
    /// `cpaCyDhKeyGenPhase2Secret`.
    DhPhase2 = 9,
    /// `cpaCyDsaGenPParam`.
    DsaGenP = 10,
    /// `cpaCyDsaGenGParam`.
    DsaGenG = 11,
    /// `cpaCyDsaGenYParam`.
    DsaGenY = 12,
    /// `cpaCyDsaSignR`.
    DsaSignR = 13,
    /// `cpaCyDsaSignS`.
    DsaSignS = 14,
    /// `cpaCyDsaSignRS`.
    DsaSignRS = 15,
    /// `cpaCyDsaVerify`.
    DsaVerify = 16,
    /// `cpaCyEcPointMultiply`.
    EcPointMultiply = 17,
    /// `cpaCyEcPointVerify`.
    EcPointVerify = 18,
    /// `cpaCyEcGenericPointMultiply`.
    EcGenericPointMultiply = 19,
    /// `cpaCyEcGenericPointVerify`.
    EcGenericPointVerify = 20,
    /// `cpaCyEcMontEdwdsPointMultiply`.
    EcMontEdwdsPointMultiply = 21,
    /// `cpaCyEcdsaSignR`.
    EcdsaSignR = 22,
    /// `cpaCyEcdsaSignS`.
    EcdsaSignS = 23,
    /// `cpaCyEcdsaSignRS`.
    EcdsaSignRS = 24,
    /// `cpaCyEcdsaVerify`.
    EcdsaVerify = 25,
    /// `cpaCyEcdhPointMultiply`.
    EcdhPointMultiply = 26,
    /// `cpaCyEcsm2PointMultiply`.
    Sm2PointMultiply = 27,
    /// `cpaCyEcsm2GeneratorMultiply`.
    Sm2GeneratorMultiply = 28,
    /// `cpaCyEcsm2PointVerify`.
    Sm2PointVerify = 29,
    /// `cpaCyEcsm2Sign`.
    Sm2Sign = 30,
    /// `cpaCyEcsm2Verify`.
    Sm2Verify = 31,
    /// `cpaCyEcsm2Encrypt`.
    Sm2Encrypt = 32,
    /// `cpaCyEcsm2Decrypt`.
    Sm2Decrypt = 33,
    /// `cpaCyEcsm2KeyExPhase1`.
    Sm2KeyExPhase1 = 34,
    /// `cpaCyEcsm2KeyExPhase2`.
    Sm2KeyExPhase2 = 35,
    /// `cpaCyKeyGenSsl`.
    KeyGenSsl = 36,
    /// `cpaCyKeyGenTls`.
    KeyGenTls = 37,
    /// `cpaCyKeyGenTls2`.
    KeyGenTls2 = 38,
    /// `cpaCyKeyGenTls3`.
    KeyGenTls3 = 39,
    /// `cpaCyKeyGenMgf`.
    KeyGenMgf = 40,
    /// `cpaCyKeyGenMgfExt`.
    KeyGenMgfExt = 41,
}

impl AsymFunction {
    /// Every function, in command order.
    pub const ALL: [AsymFunction; 41] = {
        use AsymFunction::*;
        [
            RsaEncrypt,
            RsaDecrypt,
            RsaDecryptCrt,
            RsaKeyGen,
            LnModExp,
            LnModInv,
            PrimeTest,
            DhPhase1,
            DhPhase2,
            DsaGenP,
            DsaGenG,
            DsaGenY,
            DsaSignR,
            DsaSignS,
            DsaSignRS,
            DsaVerify,
            EcPointMultiply,
            EcPointVerify,
            EcGenericPointMultiply,
            EcGenericPointVerify,
            EcMontEdwdsPointMultiply,
            EcdsaSignR,
            EcdsaSignS,
            EcdsaSignRS,
            EcdsaVerify,
            EcdhPointMultiply,
            Sm2PointMultiply,
            Sm2GeneratorMultiply,
            Sm2PointVerify,
            Sm2Sign,
            Sm2Verify,
            Sm2Encrypt,
            Sm2Decrypt,
            Sm2KeyExPhase1,
            Sm2KeyExPhase2,
            KeyGenSsl,
            KeyGenTls,
            KeyGenTls2,
            KeyGenTls3,
            KeyGenMgf,
            KeyGenMgfExt,
        ]
    };

    /// The function with command value `v`, if any.
    pub fn from_u8(v: u8) -> Option<AsymFunction> {
        let i = usize::from(v).checked_sub(1)?;
        AsymFunction::ALL.get(i).copied()
    }

    /// How many numbers the function reads and writes; their order is that
    /// of the CPA op data and output fields (listed per function here).
    pub const fn signature(self) -> AsymSignature {
        use AsymFunction::*;
        let (inputs, outputs) = match self {
            // n, e, m → c
            RsaEncrypt => (3, 1),
            // n, d, c → m
            RsaDecrypt => (3, 1),
            // p, q, dP, dQ, qInv, c → m
            RsaDecryptCrt => (6, 1),
            // p, q, e → n, d, dP, dQ, qInv (args[0]: ASYM_RSA_KEY_REP1_ONLY)
            RsaKeyGen => (3, 5),
            // modulus, base, exponent → result
            LnModExp => (3, 1),
            // A, B → A⁻¹ mod B
            LnModInv => (2, 1),
            // candidate, Miller-Rabin random input → (outcome) (args[0]:
            // ASYM_PRIME_* tests, args[1]: Miller-Rabin rounds)
            PrimeTest => (2, 0),
            // p, g, x → g^x mod p
            DhPhase1 => (3, 1),
            // p, peer value, x → secret
            DhPhase2 => (3, 1),
            // X, q → p (outcome: p passed the range and GCD checks)
            DsaGenP => (2, 1),
            // p, q, h → g (outcome: g > 1)
            DsaGenG => (3, 1),
            // p, g, x → y
            DsaGenY => (3, 1),
            // p, q, g, k → r (outcome: r ≠ 0)
            DsaSignR => (4, 1),
            // q, x, k, r, z → s (outcome: s ≠ 0)
            DsaSignS => (5, 1),
            // p, q, g, x, k, z → r, s (outcome: both ≠ 0)
            DsaSignRS => (6, 2),
            // p, q, g, y, z, r, s → (outcome)
            DsaVerify => (7, 0),
            // k, xg, yg, a, b, q, h → x, y
            EcPointMultiply => (7, 2),
            // xq, yq, q, a, b → (outcome)
            EcPointVerify => (5, 0),
            // k, x, y, p, a, b, h → x, y
            EcGenericPointMultiply => (7, 2),
            // x, y, p, a, b, h → (outcome)
            EcGenericPointVerify => (6, 0),
            // k, x, y → x, y (args[0]: CpaCyEcMontEdwdsCurveType,
            // args[1]: 1 for the generator)
            EcMontEdwdsPointMultiply => (3, 2),
            // xg, yg, n, q, a, b, k → r
            EcdsaSignR => (7, 1),
            // m, d, r, k, n → s
            EcdsaSignS => (5, 1),
            // xg, yg, n, q, a, b, k, m, d → r, s
            EcdsaSignRS => (9, 2),
            // xg, yg, n, q, a, b, m, r, s, xp, yp → (outcome)
            EcdsaVerify => (11, 0),
            // k, xg, yg, a, b, q, h → x, y
            EcdhPointMultiply => (7, 2),
            // k, x, y → x, y
            Sm2PointMultiply => (3, 2),
            // k → x, y
            Sm2GeneratorMultiply => (1, 2),
            // x, y → (outcome)
            Sm2PointVerify => (2, 0),
            // k, e, d → r, s
            Sm2Sign => (3, 2),
            // e, r, s, xP, yP → (outcome)
            Sm2Verify => (5, 0),
            // k, xP, yP → x1, y1, x2, y2
            Sm2Encrypt => (3, 4),
            // d, x1, y1 → x2, y2
            Sm2Decrypt => (3, 2),
            // r → x, y
            Sm2KeyExPhase1 => (1, 2),
            // r, d, x1, x2, y2, xP, yP → x, y
            Sm2KeyExPhase2 => (7, 2),
            // secret, seed, user label → key material (args[0]: the SSL or
            // TLS operation; args[1] for Tls2: the CPA hash algorithm)
            KeyGenSsl | KeyGenTls | KeyGenTls2 => (3, 1),
            // secret, seed, info, labels → output (args[0]: CpaCyKeyHKDFOp,
            // args[1]: CpaCyKeyHKDFCipherSuite; the labels as
            // ASYM_HKDF_LABEL_HEADER describes)
            KeyGenTls3 => (4, 1),
            // seed → mask (args[0] for MgfExt: the CPA hash algorithm)
            KeyGenMgf | KeyGenMgfExt => (1, 1),
        };
        AsymSignature { inputs, outputs }
    }
}

/// `args[0]` of an RSA key generation: only representation 1 (n, d) is
/// wanted; dP, dQ and qInv are left as zeros.
pub const ASYM_RSA_KEY_REP1_ONLY: u32 = 1 << 0;
/// `args[0]` of a prime test: run the GCD test.
pub const ASYM_PRIME_GCD: u32 = 1 << 0;
/// `args[0]` of a prime test: run the Fermat test.
pub const ASYM_PRIME_FERMAT: u32 = 1 << 1;
/// `args[0]` of a prime test: run the Lucas test.
pub const ASYM_PRIME_LUCAS: u32 = 1 << 2;

/// The HKDF labels of a TLS 1.3 key generation travel as one number: each
/// label is a header of this many bytes — its sublabel bits, then its
/// length — followed by the encoded HkdfLabel, one label after the other.
pub const ASYM_HKDF_LABEL_HEADER: usize = 2;

/// How many numbers a public-key function reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AsymSignature {
    /// Inputs.
    pub inputs: u8,
    /// Outputs.
    pub outputs: u8,
}

/// Most numbers one public-key request carries, inputs and outputs
/// together (ECDSA verify: 11 inputs).
pub const ASYM_MAX_PARAMS: usize = 16;
/// Longest flat buffer of a public-key request: operands are at most 8192
/// bits (1 KiB), but a prime test's Miller-Rabin witnesses (50 rounds of
/// 4096 bits) and an MGF mask (up to 65,528 bytes) are longer. The engine
/// checks each buffer against its own limit.
pub const ASYM_MAX_NUMBER: usize = 65_536;

/// The public-key service's parameters. The numbers travel in one DMA
/// buffer, the request's source (and destination, in place): a table of
/// `n_in + n_out` little-endian `u32` lengths, padded to 8 bytes, then the
/// inputs and after them the outputs, packed in table order. The firmware
/// reads the inputs and writes the outputs there. Any bytes after the
/// numbers are the reason area: when the engine refuses the numbers, the
/// firmware writes why there (UTF-8, zero-padded; see
/// [`ASYM_REASON_LEN`]).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct AsymRequestParams {
    /// Input numbers.
    pub n_in: u8,
    /// Output numbers.
    pub n_out: u8,
    /// Zero.
    pub reserved: [u8; 6],
    /// Small arguments of the operation (curve type, flags, rounds, a hash
    /// algorithm, a TLS operation, a length): per function, see the
    /// firmware's table.
    pub args: [u32; 4],
    /// Zero.
    pub reserved2: [u64; 6],
}
impl ParamArea for AsymRequestParams {}

/// Bytes a requester leaves after the numbers for the firmware's reason.
pub const ASYM_REASON_LEN: usize = 128;

/// Bytes of the length table of a request with `n` numbers (padded to 8).
pub const fn asym_table_len(n: usize) -> usize {
    (n * 4).div_ceil(8) * 8
}

/// The public-key service's results.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct AsymResponseResults {
    /// The boolean outcome of a verify or test (`pVerifyStatus`,
    /// `pTestPassed`): 1 true, 0 false; 1 for the other operations.
    pub outcome: u8,
    /// Zero.
    pub reserved: [u8; 19],
}
impl ResultArea for AsymResponseResults {}

const _: () = assert!(std::mem::size_of::<AsymRequestParams>() == PARAMS_LEN);
const _: () = assert!(std::mem::size_of::<AsymResponseResults>() == RESULT_LEN);

const _: () = assert!(std::mem::size_of::<RequestDesc>() == 128);
const _: () = assert!(std::mem::size_of::<ResponseDesc>() == 32);
const _: () = assert!(std::mem::size_of::<BufferDesc>() == 16);
const _: () = assert!(std::mem::size_of::<SglEntry>() == 16);
const _: () = assert!(std::mem::size_of::<ContentHeader>() == 16);
const _: () = assert!(std::mem::size_of::<DcRequestParams>() == PARAMS_LEN);
const _: () = assert!(std::mem::size_of::<DcResponseResults>() == RESULT_LEN);
const _: () = assert!(std::mem::size_of::<SymRequestParams>() == PARAMS_LEN);
const _: () = assert!(std::mem::size_of::<SymResponseResults>() == RESULT_LEN);
const _: () = assert!(std::mem::size_of::<SymContent>() as u32 <= MAX_CONTENT_LEN);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_areas_round_trip_through_the_descriptors() {
        let mut r = RequestDesc::zeroed();
        let p = DcRequestParams {
            flush: 1,
            flags: DC_CNV,
            inject: -11,
            seed_crc32: 0xdead_beef,
            seed_adler32: 7,
            hash_alg: 4,
            digest_len: 32,
            hash_offset: 3,
            hash_len: 4096,
            digest: Iova(0x1000_0040),
            ..DcRequestParams::default()
        };
        r.set_params(&p);
        assert_eq!(r.params::<DcRequestParams>(), p);
        let res = DcResponseResults {
            status: -2,
            flags: DC_DATA_UNCOMPRESSED,
            consumed: 10,
            produced: 20,
            checksum: 30,
            adler32: 40,
            ..DcResponseResults::default()
        };
        r.header.opaque = 99;
        r.header.service = ServiceId::Dc as u8;
        r.header.command = DcCommand::Compress as u8;
        let resp = ResponseDesc::with_result(&r, &res);
        assert_eq!(resp.result::<DcResponseResults>(), res);
        assert_eq!((resp.opaque, resp.service, resp.command), (99, 1, 1));
    }

    #[test]
    fn service_ids() {
        for s in ServiceId::ALL {
            assert_eq!(ServiceId::from_u8(s as u8), Some(s));
        }
        assert_eq!(ServiceId::from_u8(0), None);
        assert_eq!(ServiceId::from_u8(4), None);
    }
}
