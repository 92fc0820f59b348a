//! `cpa_cy_sym.h` and `cpa_cy_sym_dp.h`: symmetric sessions, requests,
//! statistics, capabilities and the data-plane op data.
//!
//! Sizes and offsets are checked at compile time against the figures
//! measured from Intel's headers (`tests/data/layout/sym.txt`).

use std::ffi::c_void;
use std::mem::{offset_of, size_of};

use super::base::{CpaBufferList, CpaInstanceHandle, CpaPhysicalAddr};
use crate::ffi::{CpaBoolean, Status};

/// `CpaCySymSessionCtx` (and `CpaCySymDpSessionCtx`).
pub type CpaCySymSessionCtx = *mut c_void;

/// `CpaCySymCbFunc`: `(pCallbackTag, status, operationType, pOpData,
/// pDstBuffer, verifyResult)`.
pub type CpaCySymCbFunc = Option<
    unsafe extern "C" fn(*mut c_void, Status, u32, *mut c_void, *mut CpaBufferList, CpaBoolean),
>;

/// `CpaCySymDpCbFunc`: `(pOpData, status, verifyResult)`.
pub type CpaCySymDpCbFunc = Option<unsafe extern "C" fn(*mut CpaCySymDpOpData, Status, CpaBoolean)>;

/// `CPA_CY_SYM_SESUPD_CIPHER_KEY`.
pub const CPA_CY_SYM_SESUPD_CIPHER_KEY: u32 = 1 << 0;
/// `CPA_CY_SYM_SESUPD_CIPHER_DIR`.
pub const CPA_CY_SYM_SESUPD_CIPHER_DIR: u32 = 1 << 1;
/// `CPA_CY_SYM_SESUPD_AUTH_KEY`.
pub const CPA_CY_SYM_SESUPD_AUTH_KEY: u32 = 1 << 2;

/// `CpaCySymCipherSetupData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCySymCipherSetupData {
    /// `cipherAlgorithm` (`CpaCySymCipherAlgorithm`).
    pub cipher_algorithm: u32,
    /// `cipherKeyLenInBytes`.
    pub cipher_key_len_in_bytes: u32,
    /// `pCipherKey`.
    pub p_cipher_key: *mut u8,
    /// `cipherDirection` (`CpaCySymCipherDirection`).
    pub cipher_direction: u32,
}

/// `CpaCySymHashNestedModeSetupData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCySymHashNestedModeSetupData {
    /// `pInnerPrefixData`.
    pub p_inner_prefix_data: *mut u8,
    /// `innerPrefixLenInBytes`.
    pub inner_prefix_len_in_bytes: u32,
    /// `outerHashAlgorithm` (`CpaCySymHashAlgorithm`).
    pub outer_hash_algorithm: u32,
    /// `pOuterPrefixData`.
    pub p_outer_prefix_data: *mut u8,
    /// `outerPrefixLenInBytes`.
    pub outer_prefix_len_in_bytes: u32,
}

/// `CpaCySymHashAuthModeSetupData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCySymHashAuthModeSetupData {
    /// `authKey`.
    pub auth_key: *mut u8,
    /// `authKeyLenInBytes`.
    pub auth_key_len_in_bytes: u32,
    /// `aadLenInBytes`.
    pub aad_len_in_bytes: u32,
}

/// `CpaCySymHashSetupData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCySymHashSetupData {
    /// `hashAlgorithm` (`CpaCySymHashAlgorithm`).
    pub hash_algorithm: u32,
    /// `hashMode` (`CpaCySymHashMode`).
    pub hash_mode: u32,
    /// `digestResultLenInBytes`.
    pub digest_result_len_in_bytes: u32,
    /// `authModeSetupData`.
    pub auth_mode_setup_data: CpaCySymHashAuthModeSetupData,
    /// `nestedModeSetupData`.
    pub nested_mode_setup_data: CpaCySymHashNestedModeSetupData,
}

/// `CpaCySymSessionSetupData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCySymSessionSetupData {
    /// `sessionPriority` (`CpaCyPriority`).
    pub session_priority: u32,
    /// `symOperation` (`CpaCySymOp`).
    pub sym_operation: u32,
    /// `cipherSetupData`.
    pub cipher_setup_data: CpaCySymCipherSetupData,
    /// `hashSetupData`.
    pub hash_setup_data: CpaCySymHashSetupData,
    /// `algChainOrder` (`CpaCySymAlgChainOrder`).
    pub alg_chain_order: u32,
    /// `digestIsAppended`.
    pub digest_is_appended: CpaBoolean,
    /// `verifyDigest`.
    pub verify_digest: CpaBoolean,
    /// `partialsNotRequired`.
    pub partials_not_required: CpaBoolean,
}

/// `CpaCySymSessionUpdateData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCySymSessionUpdateData {
    /// `flags` (`CPA_CY_SYM_SESUPD_*`).
    pub flags: u32,
    /// `pCipherKey`.
    pub p_cipher_key: *mut u8,
    /// `cipherDirection`.
    pub cipher_direction: u32,
    /// `authKey`.
    pub auth_key: *mut u8,
}

/// `CpaCySymOpData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCySymOpData {
    /// `sessionCtx`.
    pub session_ctx: CpaCySymSessionCtx,
    /// `packetType` (`CpaCySymPacketType`).
    pub packet_type: u32,
    /// `pIv`.
    pub p_iv: *mut u8,
    /// `ivLenInBytes`.
    pub iv_len_in_bytes: u32,
    /// `cryptoStartSrcOffsetInBytes`.
    pub crypto_start_src_offset_in_bytes: u32,
    /// `messageLenToCipherInBytes`.
    pub message_len_to_cipher_in_bytes: u32,
    /// `hashStartSrcOffsetInBytes`.
    pub hash_start_src_offset_in_bytes: u32,
    /// `messageLenToHashInBytes`.
    pub message_len_to_hash_in_bytes: u32,
    /// `pDigestResult`.
    pub p_digest_result: *mut u8,
    /// `pAdditionalAuthData`.
    pub p_additional_auth_data: *mut u8,
}

/// `CpaCySymStats` (deprecated).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaCySymStats {
    /// `numSessionsInitialized`.
    pub num_sessions_initialized: u32,
    /// `numSessionsRemoved`.
    pub num_sessions_removed: u32,
    /// `numSessionErrors`.
    pub num_session_errors: u32,
    /// `numSymOpRequests`.
    pub num_sym_op_requests: u32,
    /// `numSymOpRequestErrors`.
    pub num_sym_op_request_errors: u32,
    /// `numSymOpCompleted`.
    pub num_sym_op_completed: u32,
    /// `numSymOpCompletedErrors`.
    pub num_sym_op_completed_errors: u32,
    /// `numSymOpVerifyFailures`.
    pub num_sym_op_verify_failures: u32,
}

/// `CpaCySymStats64`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaCySymStats64 {
    /// `numSessionsInitialized`.
    pub num_sessions_initialized: u64,
    /// `numSessionsRemoved`.
    pub num_sessions_removed: u64,
    /// `numSessionErrors`.
    pub num_session_errors: u64,
    /// `numSymOpRequests`.
    pub num_sym_op_requests: u64,
    /// `numSymOpRequestErrors`.
    pub num_sym_op_request_errors: u64,
    /// `numSymOpCompleted`.
    pub num_sym_op_completed: u64,
    /// `numSymOpCompletedErrors`.
    pub num_sym_op_completed_errors: u64,
    /// `numSymOpVerifyFailures`.
    pub num_sym_op_verify_failures: u64,
}

/// `CpaCySymCapabilitiesInfo`: bit n of a bitmap is enum value n
/// (`CPA_BITMAP(ciphers, 32)` is one `Cpa32U`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CpaCySymCapabilitiesInfo {
    /// `ciphers`.
    pub ciphers: [u32; 1],
    /// `hashes`.
    pub hashes: [u32; 1],
    /// `partialPacketSupported`.
    pub partial_packet_supported: CpaBoolean,
}

/// `CpaCySymDpOpData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCySymDpOpData {
    /// `reserved0`.
    pub reserved0: u64,
    /// `cryptoStartSrcOffsetInBytes`.
    pub crypto_start_src_offset_in_bytes: u32,
    /// `messageLenToCipherInBytes`.
    pub message_len_to_cipher_in_bytes: u32,
    /// `iv` (physical address).
    pub iv: CpaPhysicalAddr,
    /// `reserved1`.
    pub reserved1: u64,
    /// `hashStartSrcOffsetInBytes`.
    pub hash_start_src_offset_in_bytes: u32,
    /// `messageLenToHashInBytes`.
    pub message_len_to_hash_in_bytes: u32,
    /// `additionalAuthData` (physical address).
    pub additional_auth_data: CpaPhysicalAddr,
    /// `digestResult` (physical address).
    pub digest_result: CpaPhysicalAddr,
    /// `instanceHandle`.
    pub instance_handle: CpaInstanceHandle,
    /// `sessionCtx`.
    pub session_ctx: CpaCySymSessionCtx,
    /// `ivLenInBytes`.
    pub iv_len_in_bytes: u32,
    /// `srcBuffer` (physical address).
    pub src_buffer: CpaPhysicalAddr,
    /// `srcBufferLen` (`CPA_DP_BUFLIST`: `srcBuffer` is a
    /// `CpaPhysBufferList`).
    pub src_buffer_len: u32,
    /// `dstBuffer`.
    pub dst_buffer: CpaPhysicalAddr,
    /// `dstBufferLen`.
    pub dst_buffer_len: u32,
    /// `thisPhys`.
    pub this_phys: CpaPhysicalAddr,
    /// `pIv` (virtual address of the IV).
    pub p_iv: *mut u8,
    /// `pAdditionalAuthData` (virtual address of the AAD).
    pub p_additional_auth_data: *mut u8,
    /// `pCallbackTag`.
    pub p_callback_tag: *mut c_void,
}

// The figures of tests/data/layout/sym.txt (Intel's headers, x86-64 gcc).
const _: () = {
    assert!(size_of::<CpaCySymCipherSetupData>() == 24);
    assert!(offset_of!(CpaCySymCipherSetupData, p_cipher_key) == 8);
    assert!(offset_of!(CpaCySymCipherSetupData, cipher_direction) == 16);
    assert!(size_of::<CpaCySymHashNestedModeSetupData>() == 32);
    assert!(offset_of!(CpaCySymHashNestedModeSetupData, p_outer_prefix_data) == 16);
    assert!(offset_of!(CpaCySymHashNestedModeSetupData, outer_prefix_len_in_bytes) == 24);
    assert!(size_of::<CpaCySymHashAuthModeSetupData>() == 16);
    assert!(offset_of!(CpaCySymHashAuthModeSetupData, aad_len_in_bytes) == 12);
    assert!(size_of::<CpaCySymHashSetupData>() == 64);
    assert!(offset_of!(CpaCySymHashSetupData, auth_mode_setup_data) == 16);
    assert!(offset_of!(CpaCySymHashSetupData, nested_mode_setup_data) == 32);
    assert!(size_of::<CpaCySymSessionSetupData>() == 112);
    assert!(offset_of!(CpaCySymSessionSetupData, cipher_setup_data) == 8);
    assert!(offset_of!(CpaCySymSessionSetupData, hash_setup_data) == 32);
    assert!(offset_of!(CpaCySymSessionSetupData, alg_chain_order) == 96);
    assert!(offset_of!(CpaCySymSessionSetupData, partials_not_required) == 108);
    assert!(size_of::<CpaCySymSessionUpdateData>() == 32);
    assert!(offset_of!(CpaCySymSessionUpdateData, p_cipher_key) == 8);
    assert!(offset_of!(CpaCySymSessionUpdateData, cipher_direction) == 16);
    assert!(offset_of!(CpaCySymSessionUpdateData, auth_key) == 24);
    assert!(size_of::<CpaCySymOpData>() == 64);
    assert!(offset_of!(CpaCySymOpData, packet_type) == 8);
    assert!(offset_of!(CpaCySymOpData, p_iv) == 16);
    assert!(offset_of!(CpaCySymOpData, iv_len_in_bytes) == 24);
    assert!(offset_of!(CpaCySymOpData, message_len_to_hash_in_bytes) == 40);
    assert!(offset_of!(CpaCySymOpData, p_digest_result) == 48);
    assert!(offset_of!(CpaCySymOpData, p_additional_auth_data) == 56);
    assert!(size_of::<CpaCySymStats>() == 32);
    assert!(size_of::<CpaCySymStats64>() == 64);
    assert!(offset_of!(CpaCySymStats64, num_sym_op_verify_failures) == 56);
    assert!(size_of::<CpaCySymCapabilitiesInfo>() == 12);
    assert!(offset_of!(CpaCySymCapabilitiesInfo, partial_packet_supported) == 8);
    assert!(size_of::<CpaCySymDpOpData>() == 144);
    assert!(offset_of!(CpaCySymDpOpData, iv) == 16);
    assert!(offset_of!(CpaCySymDpOpData, hash_start_src_offset_in_bytes) == 32);
    assert!(offset_of!(CpaCySymDpOpData, additional_auth_data) == 40);
    assert!(offset_of!(CpaCySymDpOpData, digest_result) == 48);
    assert!(offset_of!(CpaCySymDpOpData, instance_handle) == 56);
    assert!(offset_of!(CpaCySymDpOpData, session_ctx) == 64);
    assert!(offset_of!(CpaCySymDpOpData, iv_len_in_bytes) == 72);
    assert!(offset_of!(CpaCySymDpOpData, src_buffer) == 80);
    assert!(offset_of!(CpaCySymDpOpData, src_buffer_len) == 88);
    assert!(offset_of!(CpaCySymDpOpData, dst_buffer) == 96);
    assert!(offset_of!(CpaCySymDpOpData, dst_buffer_len) == 104);
    assert!(offset_of!(CpaCySymDpOpData, this_phys) == 112);
    assert!(offset_of!(CpaCySymDpOpData, p_iv) == 120);
    assert!(offset_of!(CpaCySymDpOpData, p_additional_auth_data) == 128);
    assert!(offset_of!(CpaCySymDpOpData, p_callback_tag) == 136);
};
