//! `cpa_dc.h` and `cpa_dc_dp.h`: compression sessions, requests, results.

use std::ffi::c_void;

use super::base::{CpaInstanceHandle, CpaPhysicalAddr};
use crate::ffi::{CpaBoolean, Status};

/// `CpaDcSessionHandle`.
pub type CpaDcSessionHandle = *mut c_void;

/// `CpaDcCallbackFn`: `(callbackTag, status)`.
pub type CpaDcCallbackFn = Option<unsafe extern "C" fn(*mut c_void, Status)>;

/// `CpaDcDpCallbackFn`: `(pOpData)`.
pub type CpaDcDpCallbackFn = Option<unsafe extern "C" fn(*mut CpaDcDpOpData)>;

/// `CpaDcSessionSetupData` (also `CpaDcNsSetupData`); every field is an
/// enum or `CpaBoolean`, 32 bits in C.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaDcSessionSetupData {
    /// `compLevel` (`CpaDcCompLvl`).
    pub comp_level: u32,
    /// `compType` (`CpaDcCompType`).
    pub comp_type: u32,
    /// `huffType` (`CpaDcHuffType`).
    pub huff_type: u32,
    /// `autoSelectBestHuffmanTree` (`CpaDcAutoSelectBest`).
    pub auto_select_best_huffman_tree: u32,
    /// `sessDirection` (`CpaDcSessionDir`).
    pub sess_direction: u32,
    /// `sessState` (`CpaDcSessionState`).
    pub sess_state: u32,
    /// `windowSize` (`CpaDcCompWindowSize`).
    pub window_size: u32,
    /// `minMatch` (`CpaDcCompMinMatch`).
    pub min_match: u32,
    /// `lz4BlockMaxSize` (`CpaDcCompLZ4BlockMaxSize`).
    pub lz4_block_max_size: u32,
    /// `lz4BlockChecksum`.
    pub lz4_block_checksum: CpaBoolean,
    /// `lz4BlockIndependence`.
    pub lz4_block_independence: CpaBoolean,
    /// `checksum` (`CpaDcChecksum`).
    pub checksum: u32,
    /// `accumulateXXHash`.
    pub accumulate_xx_hash: CpaBoolean,
}

/// `CpaDcSessionUpdateData`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaDcSessionUpdateData {
    /// `compLevel`.
    pub comp_level: u32,
    /// `huffType`.
    pub huff_type: u32,
    /// `enableDmm`.
    pub enable_dmm: CpaBoolean,
}

/// `CpaDcStats`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaDcStats {
    /// `numCompRequests`.
    pub num_comp_requests: u64,
    /// `numCompRequestsErrors`.
    pub num_comp_requests_errors: u64,
    /// `numCompCompleted`.
    pub num_comp_completed: u64,
    /// `numCompCompletedErrors`.
    pub num_comp_completed_errors: u64,
    /// `numCompCnvErrorsRecovered`.
    pub num_comp_cnv_errors_recovered: u64,
    /// `numDecompRequests`.
    pub num_decomp_requests: u64,
    /// `numDecompRequestsErrors`.
    pub num_decomp_requests_errors: u64,
    /// `numDecompCompleted`.
    pub num_decomp_completed: u64,
    /// `numDecompCompletedErrors`.
    pub num_decomp_completed_errors: u64,
}

/// `CpaDcRqResults`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaDcRqResults {
    /// `status` (`CpaDcReqStatus`).
    pub status: i32,
    /// `produced`.
    pub produced: u32,
    /// `consumed`.
    pub consumed: u32,
    /// `checksum` (in: the seed of a stateless request; out: the result).
    pub checksum: u32,
    /// `endOfLastBlock`.
    pub end_of_last_block: CpaBoolean,
    /// `dataUncompressed`.
    pub data_uncompressed: CpaBoolean,
}

/// `CpaIntegrityCrc`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaIntegrityCrc {
    /// `iCrc`.
    pub i_crc: u32,
    /// `oCrc`.
    pub o_crc: u32,
}

/// `CpaIntegrityCrc64b`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaIntegrityCrc64b {
    /// `iCrc`.
    pub i_crc: u64,
    /// `oCrc`.
    pub o_crc: u64,
}

/// `CpaDcDictionaryData` (`cpaDcCompressDataWithDict`,
/// `cpaDcDecompressDataWithDict`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaDcDictionaryData {
    /// `pDictionaryBuff`.
    pub p_dictionary_buff: *mut crate::abi::CpaBufferList,
    /// `dictionaryType` (`CpaDcDictType`).
    pub dictionary_type: u32,
    /// `calcDictionaryIntegCrc`.
    pub calc_dictionary_integ_crc: CpaBoolean,
    /// `dictionaryIntegCrc64b`.
    pub dictionary_integ_crc64b: CpaIntegrityCrc64b,
    /// `dictId`.
    pub dict_id: u32,
    /// `pExtDictionaryData`.
    pub p_ext_dictionary_data: *mut std::ffi::c_void,
}

/// `CpaCrcData`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaCrcData {
    /// `crc32`.
    pub crc32: u32,
    /// `adler32`.
    pub adler32: u32,
    /// `integrityCrc`.
    pub integrity_crc: CpaIntegrityCrc,
    /// `integrityCrc64b`.
    pub integrity_crc64b: CpaIntegrityCrc64b,
}

/// `CpaDcSkipData`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaDcSkipData {
    /// `skipMode` (`CpaDcSkipMode`; 0 = `CPA_DC_SKIP_DISABLED`).
    pub skip_mode: u32,
    /// `skipLength`.
    pub skip_length: u32,
    /// `strideLength`.
    pub stride_length: u32,
    /// `firstSkipOffset`.
    pub first_skip_offset: u32,
}

/// `CpaDcOpData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaDcOpData {
    /// `flushFlag` (`CpaDcFlush`).
    pub flush_flag: u32,
    /// `compressAndVerify`.
    pub compress_and_verify: CpaBoolean,
    /// `compressAndVerifyAndRecover`.
    pub compress_and_verify_and_recover: CpaBoolean,
    /// `integrityCrcCheck`.
    pub integrity_crc_check: CpaBoolean,
    /// `verifyHwIntegrityCrcs`.
    pub verify_hw_integrity_crcs: CpaBoolean,
    /// `integrityCrcSize` (`CpaDcIntegrityCrcSize`).
    pub integrity_crc_size: u32,
    /// `inputSkipData`.
    pub input_skip_data: CpaDcSkipData,
    /// `outputSkipData`.
    pub output_skip_data: CpaDcSkipData,
    /// `pCrcData`.
    pub p_crc_data: *mut CpaCrcData,
}

/// `CpaDcDpPartialReadData` (`cpa_dc_dp.h`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaDcDpPartialReadData {
    /// `bufferOffset` (only 0 is supported).
    pub buffer_offset: u32,
    /// `dataOffset`.
    pub data_offset: u32,
    /// `length`.
    pub length: u32,
}

/// `CpaDcDpOpData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaDcDpOpData {
    /// `reserved0`.
    pub reserved0: u64,
    /// `bufferLenToCompress`.
    pub buffer_len_to_compress: u32,
    /// `bufferLenForData`.
    pub buffer_len_for_data: u32,
    /// `reserved1`.
    pub reserved1: u64,
    /// `reserved2`.
    pub reserved2: u64,
    /// `reserved3`.
    pub reserved3: u64,
    /// `results`.
    pub results: CpaDcRqResults,
    /// `dcInstance`.
    pub dc_instance: CpaInstanceHandle,
    /// `pSessionHandle`.
    pub p_session_handle: CpaDcSessionHandle,
    /// `srcBuffer`.
    pub src_buffer: CpaPhysicalAddr,
    /// `srcBufferLen` (or `CPA_DP_BUFLIST`).
    pub src_buffer_len: u32,
    /// `destBuffer`.
    pub dest_buffer: CpaPhysicalAddr,
    /// `destBufferLen` (or `CPA_DP_BUFLIST`).
    pub dest_buffer_len: u32,
    /// `sessDirection`.
    pub sess_direction: u32,
    /// `compressAndVerify`.
    pub compress_and_verify: CpaBoolean,
    /// `compressAndVerifyAndRecover`.
    pub compress_and_verify_and_recover: CpaBoolean,
    /// `responseStatus`.
    pub response_status: Status,
    /// `thisPhys`.
    pub this_phys: CpaPhysicalAddr,
    /// `pCallbackTag`.
    pub p_callback_tag: *mut c_void,
    /// `pSetupData` (`CpaDcNsSetupData *`).
    pub p_setup_data: *mut CpaDcSessionSetupData,
}

/// `CpaDcChainSessionSetupData`: the session type and a pointer to its
/// setup (`pDcSetupData` or `pCySetupData`, a union).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaDcChainSessionSetupData {
    /// `sessType` (`CpaDcChainSessionType`).
    pub sess_type: u32,
    /// `pDcSetupData` / `pCySetupData`.
    pub p_setup_data: *mut c_void,
}

/// `CpaDcChainOpData`: the operation type and a pointer to its op data
/// (`pDcOp` or `pCySymOp`, a union).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaDcChainOpData {
    /// `opType` (`CpaDcChainSessionType`).
    pub op_type: u32,
    /// `pDcOp` / `pCySymOp`.
    pub p_op: *mut c_void,
}

/// `CpaDcOpData2`: `CpaDcOpData` first, so a pointer to it is a pointer to
/// its `dcOpData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaDcOpData2 {
    /// `dcOpData`.
    pub dc_op_data: CpaDcOpData,
    /// `appendCRC64`.
    pub append_crc64: CpaBoolean,
}

/// `CpaDcChainSubOpData2`: the operation type and a pointer to its op data
/// (`pDcOp2` or `pCySymOp2`, a union) — the layout of `CpaDcChainOpData`.
pub type CpaDcChainSubOpData2 = CpaDcChainOpData;

/// `CpaDcChainOpData2`, passed by value to `cpaDcChainPerformOp2`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaDcChainOpData2 {
    /// `testIntegrity`.
    pub test_integrity: CpaBoolean,
    /// `operation` (`CpaDcChainOperations`).
    pub operation: u32,
    /// `numOpDatas`.
    pub num_op_datas: u8,
    /// `pChainOpData`: `numOpDatas` entries.
    pub p_chain_op_data: *mut CpaDcChainSubOpData2,
}

/// `CpaDcChainRqVResults`: the results of `cpaDcChainPerformOp2`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaDcChainRqVResults {
    /// `chainRqResults`.
    pub chain_rq_results: CpaDcChainRqResults,
    /// `ctxCrc64`.
    pub ctx_crc64: u64,
    /// `iDcCrc64`.
    pub i_dc_crc64: u64,
    /// `oDcCrc64`.
    pub o_dc_crc64: u64,
    /// `storedCrc64`.
    pub stored_crc64: u64,
    /// `reserved1`.
    pub reserved1: CpaBoolean,
    /// `chainStatus` (`CpaStatus`).
    pub chain_status: i32,
}

/// `CpaDcChainRqResults`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaDcChainRqResults {
    /// `dcStatus` (`CpaDcReqStatus`).
    pub dc_status: i32,
    /// `cyStatus` (`CpaStatus`).
    pub cy_status: i32,
    /// `verifyResult`.
    pub verify_result: CpaBoolean,
    /// `produced`.
    pub produced: u32,
    /// `consumed`.
    pub consumed: u32,
    /// `crc32`.
    pub crc32: u32,
    /// `adler32`.
    pub adler32: u32,
}
