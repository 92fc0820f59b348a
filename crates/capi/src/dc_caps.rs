//! `cpaDcQueryCapabilities` (the deprecated matrix) and
//! `cpa_dc_capabilities.h`'s `cpaDcQueryCapabilityByType`, both answered
//! from the SAL's capabilities of the instance's device class.

use softqat_cpa::CompType;
use softqat_sal::{DcCapabilities, DcInstance};

use crate::abi::CpaInstanceHandle;
use crate::ffi::{arg_mut, boolean, entry, Error, Result, Status};
use crate::runtime::with_instance;

/// `CpaDcInstanceCapabilities` (deprecated; 152 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaDcInstanceCapabilities {
    /// `statefulLZSCompression` … `statelessELZSDecompression`: twelve
    /// booleans for algorithms QAT no longer has.
    pub lzs_family: [u32; 12],
    /// `statefulDeflateCompression`.
    pub stateful_deflate_compression: u32,
    /// `statefulDeflateDecompression`.
    pub stateful_deflate_decompression: u32,
    /// `statelessDeflateCompression`.
    pub stateless_deflate_compression: u32,
    /// `statelessDeflateDecompression`.
    pub stateless_deflate_decompression: u32,
    /// `statelessLZ4Compression`.
    pub stateless_lz4_compression: u32,
    /// `statelessLZ4Decompression`.
    pub stateless_lz4_decompression: u32,
    /// `statefulLZ4Decompression`.
    pub stateful_lz4_decompression: u32,
    /// `statelessLZ4SCompression`.
    pub stateless_lz4s_compression: u32,
    /// `checksumCRC32`.
    pub checksum_crc32: u32,
    /// `checksumAdler32`.
    pub checksum_adler32: u32,
    /// `checksumXXHash32`.
    pub checksum_xxhash32: u32,
    /// `dynamicHuffman`.
    pub dynamic_huffman: u32,
    /// `dynamicHuffmanBufferReq`.
    pub dynamic_huffman_buffer_req: u32,
    /// `precompiledHuffman`.
    pub precompiled_huffman: u32,
    /// `autoSelectBestHuffmanTree`.
    pub auto_select_best_huffman_tree: u32,
    /// `validWindowSizeMaskCompression` (bit n: `CpaDcCompWindowSize` n).
    pub valid_window_size_mask_compression: u8,
    /// `validWindowSizeMaskDecompression`.
    pub valid_window_size_mask_decompression: u8,
    /// `internalHuffmanMem`.
    pub internal_huffman_mem: u32,
    /// `endOfLastBlock`.
    pub end_of_last_block: u32,
    /// `reportParityError`.
    pub report_parity_error: u32,
    /// `batchAndPack`.
    pub batch_and_pack: u32,
    /// `compressAndVerify`.
    pub compress_and_verify: u32,
    /// `compressAndVerifyStrict`.
    pub compress_and_verify_strict: u32,
    /// `compressAndVerifyAndRecover`.
    pub compress_and_verify_and_recover: u32,
    /// `integrityCrcs`.
    pub integrity_crcs: u32,
    /// `dcChainCapInfo` (a 32-bit bitmap of `CpaDcChainOperations`).
    pub dc_chain_cap_info: u32,
    /// `integrityCrcs64b`.
    pub integrity_crcs64b: u32,
}

const _: () = assert!(std::mem::size_of::<CpaDcInstanceCapabilities>() == 152);
const _: () = assert!(
    std::mem::offset_of!(
        CpaDcInstanceCapabilities,
        valid_window_size_mask_compression
    ) == 108
);
const _: () = assert!(std::mem::offset_of!(CpaDcInstanceCapabilities, internal_huffman_mem) == 112);

/// `CpaDcCapabilityReq` (passed by value).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaDcCapabilityReq {
    /// `algo` (`CpaDcCompType`).
    pub algo: u32,
    /// `dir` (`CpaDcDir`).
    pub dir: u32,
    /// `capId` (`CpaDcCapabilityId`).
    pub cap_id: u32,
}

/// `CpaDcCapabilityResp`: a union of a boolean, a u32 and a u64.
#[repr(C)]
#[derive(Clone, Copy)]
pub union CpaDcCapabilityResp {
    /// `boolStatus`.
    pub bool_status: u32,
    /// `u32Status`.
    pub u32_status: u32,
    /// `u64Status`.
    pub u64_status: u64,
}

/// `cpaDcQueryCapabilities(dcInstance, pInstanceCapabilities)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcQueryCapabilities(
    handle: CpaInstanceHandle,
    out: *mut CpaDcInstanceCapabilities,
) -> Status {
    entry("cpaDcQueryCapabilities", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pInstanceCapabilities is NULL") }?;
        with_instance::<DcInstance, _>(handle, |d| {
            let k = d.capabilities();
            *out = CpaDcInstanceCapabilities {
                stateful_deflate_compression: boolean(k.stateful_deflate_compression),
                stateful_deflate_decompression: boolean(k.stateful_deflate_decompression),
                stateless_deflate_compression: boolean(k.stateless_deflate_compression),
                stateless_deflate_decompression: boolean(k.stateless_deflate_decompression),
                stateless_lz4_compression: boolean(k.stateless_lz4_compression),
                stateless_lz4_decompression: boolean(k.stateless_lz4_decompression),
                stateless_lz4s_compression: boolean(k.stateless_lz4s_compression),
                checksum_crc32: boolean(k.checksum_crc32),
                checksum_adler32: boolean(k.checksum_adler32),
                checksum_xxhash32: boolean(k.checksum_xxhash32),
                dynamic_huffman: boolean(k.dynamic_huffman),
                dynamic_huffman_buffer_req: boolean(k.dynamic_huffman_buffer_req),
                precompiled_huffman: boolean(k.precompiled_huffman),
                auto_select_best_huffman_tree: boolean(k.auto_select_best_huffman_tree),
                valid_window_size_mask_compression: k.valid_window_size_mask_compression,
                valid_window_size_mask_decompression: k.valid_window_size_mask_decompression,
                end_of_last_block: boolean(true),
                compress_and_verify: boolean(k.compress_and_verify),
                compress_and_verify_strict: boolean(k.compress_and_verify_strict),
                compress_and_verify_and_recover: boolean(k.compress_and_verify_and_recover),
                integrity_crcs: boolean(k.integrity_crcs),
                integrity_crcs64b: boolean(k.integrity_crcs64b),
                // Hash then compress runs on every compression instance (the
                // engine hashes and compresses in one request).
                dc_chain_cap_info: softqat_sal::DcChainOperation::capability_bits(),
                ..CpaDcInstanceCapabilities::default()
            };
            Ok(())
        })
    })
}

/// What one capability query answers: a boolean or a u32.
enum Answer {
    Bool(bool),
    U32(u32),
}

/// The answer for algorithm `algo`, direction (compress?) and capability.
fn answer(k: &DcCapabilities, algo: CompType, compress: bool, cap: u32) -> Result<Answer> {
    let deflate = algo == CompType::Deflate;
    let lz4 = algo == CompType::Lz4;
    let lz4s = algo == CompType::Lz4s;
    let zstd = algo == CompType::Zstd;
    let supported = match (algo, compress) {
        (CompType::Deflate, true) => k.stateless_deflate_compression,
        (CompType::Deflate, false) => k.stateless_deflate_decompression,
        (CompType::Lz4, true) => k.stateless_lz4_compression,
        (CompType::Lz4, false) => k.stateless_lz4_decompression,
        (CompType::Lz4s, true) => k.stateless_lz4s_compression,
        (CompType::Zstd, _) => k.zstd,
        _ => false,
    };
    let windows = match (zstd, compress) {
        // qatlib's gen6 zstd: a 64K window to compress, 4K..64K frames to
        // decompress, whatever deflate's masks are.
        (true, true) => 1 << 4,
        (true, false) => 0b1_1111,
        (false, true) => k.valid_window_size_mask_compression,
        (false, false) => k.valid_window_size_mask_decompression,
    };
    // LZ4S compresses with deflate's history (32K on gen4).
    let lz77 = deflate || lz4s;
    let window = |n: u32| Answer::Bool(supported && (lz77 || zstd) && windows & (1 << n) != 0);
    Ok(match cap {
        0 => Answer::Bool(supported),
        // Stateful: deflate on the classes that take stateful sessions
        // (gen2); "stateful lite" (checksums carried across stateless
        // requests) is what every class offers.
        1 => Answer::Bool(
            deflate
                && if compress {
                    k.stateful_deflate_compression
                } else {
                    k.stateful_deflate_decompression
                },
        ),
        2 => Answer::Bool(supported),
        3..=7 => window(cap - 3),
        8 => Answer::U32(match (supported, lz77, zstd) {
            (true, true, _) => 32 * 1024,
            (true, _, true) => 64 * 1024,
            _ => 0,
        }),
        9 => Answer::Bool(supported && deflate && k.dynamic_huffman),
        10 => Answer::Bool(supported && deflate),
        11 => Answer::Bool(supported && lz4),
        12 => Answer::Bool(false),
        13..=16 => Answer::Bool(supported && lz4),
        17 => Answer::U32(if supported && lz4 { 0b1111 } else { 0 }),
        18 => Answer::Bool(supported && deflate && k.checksum_crc32),
        19 => Answer::Bool(supported && deflate && k.checksum_adler32),
        20 => Answer::Bool(supported && (lz4 || lz4s) && k.checksum_xxhash32),
        // xxHash64 is the checksum of zstd sessions alone.
        21 => Answer::Bool(supported && zstd),
        // qatlib's gen4 LZ4S has no auto-select-best.
        22 => Answer::Bool(supported && compress && !lz4s && k.auto_select_best_huffman_tree),
        23..=25 => Answer::Bool(false),
        26 => Answer::Bool(supported),
        27 => Answer::Bool(supported),
        28 => Answer::Bool(supported && compress && k.compress_and_verify),
        29 => Answer::Bool(supported && compress && k.compress_and_verify_and_recover),
        // As qatlib, from the device's integrity capabilities alone.
        30 => Answer::Bool(k.integrity_crcs),
        31 => Answer::Bool(k.integrity_crcs64b),
        32..=34 => Answer::Bool(false),
        // CPA_DC_CAP_BOOL_UNCOMPRESSED_DICT: qatlib's gen6 deflate
        // (`dictCompSupported`, `dictCap` uncompressed, both directions).
        // softqat takes deflate dictionaries only (qatlib's gen6 also LZ4S
        // and zstd ones).
        35 => Answer::Bool(supported && deflate && k.dictionary),
        // CPA_DC_CAP_BOOL_COMPRESSED_DICT: no class takes them.
        36 => Answer::Bool(false),
        37 => Answer::Bool(false),
        // cpaDcSetCrcControlData, for either direction of the algorithm.
        38 => Answer::Bool((deflate || lz4) && k.programmable_crc64),
        // cpaDcChainSetCrcControlData: qatlib answers from the algorithm's
        // programmable CRC64; softqat chains deflate only.
        39 => Answer::Bool(deflate && k.programmable_crc64),
        // The CRC over the compressed block is an LZ4 question only: qatlib
        // answers UNSUPPORTED for the other algorithms.
        40 if !lz4 => {
            return Err(Error::unsupported(
                "CPA_DC_CAP_BOOL_E2E_CRC_OVER_COMP_BLOCK is a question about CPA_DC_LZ4 only",
            ))
        }
        40 | 41 => Answer::Bool(false),
        other => {
            return Err(Error::unsupported(format!(
                "capId {other} is not a CpaDcCapabilityId known to softqat"
            )))
        }
    })
}

/// `cpaDcQueryCapabilityByType(dcInstance, capabilityReq, pCapabilityResp)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcQueryCapabilityByType(
    handle: CpaInstanceHandle,
    req: CpaDcCapabilityReq,
    out: *mut CpaDcCapabilityResp,
) -> Status {
    entry("cpaDcQueryCapabilityByType", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pCapabilityResp is NULL") }?;
        let algo = u8::try_from(req.algo)
            .ok()
            .and_then(CompType::from_value)
            .ok_or_else(|| Error::invalid(format!("algo {} is not a CpaDcCompType", req.algo)))?;
        let compress = match req.dir {
            0 => true,
            1 => false,
            d => {
                return Err(Error::invalid(format!(
                    "dir {d}: ask for CPA_DC_DIR_COMPRESS or CPA_DC_DIR_DECOMPRESS"
                )))
            }
        };
        let k = with_instance::<DcInstance, _>(handle, |d| Ok(d.capabilities()))?;
        *out = CpaDcCapabilityResp { u64_status: 0 };
        match answer(&k, algo, compress, req.cap_id)? {
            Answer::Bool(b) => out.bool_status = boolean(b),
            Answer::U32(v) => out.u32_status = v,
        }
        Ok(())
    })
}
