//! `cpa_cy_key.h`: key and mask generation op data and statistics.

use super::base::CpaFlatBuffer;

/// `CPA_CY_HKDF_KEY_MAX_SECRET_SZ`.
pub const CPA_CY_HKDF_KEY_MAX_SECRET_SZ: usize = 80;
/// `CPA_CY_HKDF_KEY_MAX_HMAC_SZ`.
pub const CPA_CY_HKDF_KEY_MAX_HMAC_SZ: usize = 48;
/// `CPA_CY_HKDF_KEY_MAX_INFO_SZ`.
pub const CPA_CY_HKDF_KEY_MAX_INFO_SZ: usize = 80;
/// `CPA_CY_HKDF_KEY_MAX_LABEL_SZ`.
pub const CPA_CY_HKDF_KEY_MAX_LABEL_SZ: usize = 78;
/// `CPA_CY_HKDF_KEY_MAX_LABEL_COUNT`.
pub const CPA_CY_HKDF_KEY_MAX_LABEL_COUNT: usize = 4;

/// `CpaCyKeyGenSslOpData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCyKeyGenSslOpData {
    /// `sslOp` (`CpaCyKeySslOp`).
    pub ssl_op: u32,
    /// `secret`.
    pub secret: CpaFlatBuffer,
    /// `seed`.
    pub seed: CpaFlatBuffer,
    /// `info` (not used by SSL 3.0 derivation).
    pub info: CpaFlatBuffer,
    /// `generatedKeyLenInBytes`.
    pub generated_key_len_in_bytes: u32,
    /// `userLabel`.
    pub user_label: CpaFlatBuffer,
}

/// `CpaCyKeyGenTlsOpData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCyKeyGenTlsOpData {
    /// `tlsOp` (`CpaCyKeyTlsOp`).
    pub tls_op: u32,
    /// `secret`.
    pub secret: CpaFlatBuffer,
    /// `seed`.
    pub seed: CpaFlatBuffer,
    /// `generatedKeyLenInBytes`.
    pub generated_key_len_in_bytes: u32,
    /// `userLabel`.
    pub user_label: CpaFlatBuffer,
}

/// `CpaCyKeyGenHKDFExpandLabel`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCyKeyGenHKDFExpandLabel {
    /// `label`.
    pub label: [u8; CPA_CY_HKDF_KEY_MAX_LABEL_SZ],
    /// `labelLen`.
    pub label_len: u8,
    /// `sublabelFlag`.
    pub sublabel_flag: u8,
}

/// `CpaCyKeyGenHKDFOpData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCyKeyGenHKDFOpData {
    /// `hkdfKeyOp` (`CpaCyKeyHKDFOp`).
    pub hkdf_key_op: u32,
    /// `secretLen`.
    pub secret_len: u8,
    /// `seedLen`.
    pub seed_len: u16,
    /// `infoLen`.
    pub info_len: u16,
    /// `numLabels`.
    pub num_labels: u16,
    /// `secret`.
    pub secret: [u8; CPA_CY_HKDF_KEY_MAX_SECRET_SZ],
    /// `seed`.
    pub seed: [u8; CPA_CY_HKDF_KEY_MAX_HMAC_SZ],
    /// `info`.
    pub info: [u8; CPA_CY_HKDF_KEY_MAX_INFO_SZ],
    /// `label`.
    pub label: [CpaCyKeyGenHKDFExpandLabel; CPA_CY_HKDF_KEY_MAX_LABEL_COUNT],
}

/// `CpaCyKeyGenMgfOpData`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCyKeyGenMgfOpData {
    /// `seedBuffer`.
    pub seed_buffer: CpaFlatBuffer,
    /// `maskLenInBytes`.
    pub mask_len_in_bytes: u32,
}

/// `CpaCyKeyGenMgfOpDataExt`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CpaCyKeyGenMgfOpDataExt {
    /// `baseOpData`.
    pub base_op_data: CpaCyKeyGenMgfOpData,
    /// `hashAlgorithm` (`CpaCySymHashAlgorithm`).
    pub hash_algorithm: u32,
}

/// `CpaCyKeyGenStats`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyKeyGenStats {
    /// `numSslKeyGenRequests`.
    pub num_ssl_key_gen_requests: u32,
    /// `numSslKeyGenRequestErrors`.
    pub num_ssl_key_gen_request_errors: u32,
    /// `numSslKeyGenCompleted`.
    pub num_ssl_key_gen_completed: u32,
    /// `numSslKeyGenCompletedErrors`.
    pub num_ssl_key_gen_completed_errors: u32,
    /// `numTlsKeyGenRequests`.
    pub num_tls_key_gen_requests: u32,
    /// `numTlsKeyGenRequestErrors`.
    pub num_tls_key_gen_request_errors: u32,
    /// `numTlsKeyGenCompleted`.
    pub num_tls_key_gen_completed: u32,
    /// `numTlsKeyGenCompletedErrors`.
    pub num_tls_key_gen_completed_errors: u32,
    /// `numMgfKeyGenRequests`.
    pub num_mgf_key_gen_requests: u32,
    /// `numMgfKeyGenRequestErrors`.
    pub num_mgf_key_gen_request_errors: u32,
    /// `numMgfKeyGenCompleted`.
    pub num_mgf_key_gen_completed: u32,
    /// `numMgfKeyGenCompletedErrors`.
    pub num_mgf_key_gen_completed_errors: u32,
}

/// `CpaCyKeyGenStats64`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyKeyGenStats64 {
    /// `numSslKeyGenRequests`.
    pub num_ssl_key_gen_requests: u64,
    /// `numSslKeyGenRequestErrors`.
    pub num_ssl_key_gen_request_errors: u64,
    /// `numSslKeyGenCompleted`.
    pub num_ssl_key_gen_completed: u64,
    /// `numSslKeyGenCompletedErrors`.
    pub num_ssl_key_gen_completed_errors: u64,
    /// `numTlsKeyGenRequests`.
    pub num_tls_key_gen_requests: u64,
    /// `numTlsKeyGenRequestErrors`.
    pub num_tls_key_gen_request_errors: u64,
    /// `numTlsKeyGenCompleted`.
    pub num_tls_key_gen_completed: u64,
    /// `numTlsKeyGenCompletedErrors`.
    pub num_tls_key_gen_completed_errors: u64,
    /// `numMgfKeyGenRequests`.
    pub num_mgf_key_gen_requests: u64,
    /// `numMgfKeyGenRequestErrors`.
    pub num_mgf_key_gen_request_errors: u64,
    /// `numMgfKeyGenCompleted`.
    pub num_mgf_key_gen_completed: u64,
    /// `numMgfKeyGenCompletedErrors`.
    pub num_mgf_key_gen_completed_errors: u64,
}
impl From<&softqat_sal::asym::KeyGenStats> for CpaCyKeyGenStats {
    fn from(s: &softqat_sal::asym::KeyGenStats) -> CpaCyKeyGenStats {
        // The deprecated 32-bit counters wrap, as qatlib's do.
        CpaCyKeyGenStats {
            num_ssl_key_gen_requests: s.num_ssl_key_gen_requests as u32,
            num_ssl_key_gen_request_errors: s.num_ssl_key_gen_request_errors as u32,
            num_ssl_key_gen_completed: s.num_ssl_key_gen_completed as u32,
            num_ssl_key_gen_completed_errors: s.num_ssl_key_gen_completed_errors as u32,
            num_tls_key_gen_requests: s.num_tls_key_gen_requests as u32,
            num_tls_key_gen_request_errors: s.num_tls_key_gen_request_errors as u32,
            num_tls_key_gen_completed: s.num_tls_key_gen_completed as u32,
            num_tls_key_gen_completed_errors: s.num_tls_key_gen_completed_errors as u32,
            num_mgf_key_gen_requests: s.num_mgf_key_gen_requests as u32,
            num_mgf_key_gen_request_errors: s.num_mgf_key_gen_request_errors as u32,
            num_mgf_key_gen_completed: s.num_mgf_key_gen_completed as u32,
            num_mgf_key_gen_completed_errors: s.num_mgf_key_gen_completed_errors as u32,
        }
    }
}

impl From<&softqat_sal::asym::KeyGenStats> for CpaCyKeyGenStats64 {
    fn from(s: &softqat_sal::asym::KeyGenStats) -> CpaCyKeyGenStats64 {
        CpaCyKeyGenStats64 {
            num_ssl_key_gen_requests: s.num_ssl_key_gen_requests,
            num_ssl_key_gen_request_errors: s.num_ssl_key_gen_request_errors,
            num_ssl_key_gen_completed: s.num_ssl_key_gen_completed,
            num_ssl_key_gen_completed_errors: s.num_ssl_key_gen_completed_errors,
            num_tls_key_gen_requests: s.num_tls_key_gen_requests,
            num_tls_key_gen_request_errors: s.num_tls_key_gen_request_errors,
            num_tls_key_gen_completed: s.num_tls_key_gen_completed,
            num_tls_key_gen_completed_errors: s.num_tls_key_gen_completed_errors,
            num_mgf_key_gen_requests: s.num_mgf_key_gen_requests,
            num_mgf_key_gen_request_errors: s.num_mgf_key_gen_request_errors,
            num_mgf_key_gen_completed: s.num_mgf_key_gen_completed,
            num_mgf_key_gen_completed_errors: s.num_mgf_key_gen_completed_errors,
        }
    }
}

const _: () = assert!(std::mem::size_of::<CpaCyKeyGenSslOpData>() == 80);
const _: () = assert!(std::mem::size_of::<CpaCyKeyGenTlsOpData>() == 64);
const _: () = assert!(std::mem::size_of::<CpaCyKeyGenHKDFExpandLabel>() == 80);
const _: () = assert!(std::mem::size_of::<CpaCyKeyGenHKDFOpData>() == 540);
const _: () = assert!(std::mem::offset_of!(CpaCyKeyGenHKDFOpData, label) == 220);
const _: () = assert!(std::mem::size_of::<CpaCyKeyGenMgfOpData>() == 24);
const _: () = assert!(std::mem::size_of::<CpaCyKeyGenMgfOpDataExt>() == 32);
const _: () = assert!(std::mem::size_of::<CpaCyKeyGenStats>() == 48);
const _: () = assert!(std::mem::size_of::<CpaCyKeyGenStats64>() == 96);
