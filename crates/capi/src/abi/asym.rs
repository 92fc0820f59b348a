//! `cpa_cy_rsa.h`, `cpa_cy_dh.h`, `cpa_cy_dsa.h`, `cpa_cy_ec.h`,
//! `cpa_cy_ecdh.h`, `cpa_cy_ecdsa.h`, `cpa_cy_ecsm2.h`, `cpa_cy_ln.h`,
//! `cpa_cy_prime.h`: the public-key op data, outputs, callbacks and
//! statistics. Every enum is a `u32` (C enums are 32 bits here) and is
//! checked where it is read.

use std::ffi::c_void;

use super::base::CpaFlatBuffer;
use crate::ffi::{CpaBoolean, Status};

/// Asserts a mirrored struct has the size measured from Intel's headers
/// (`tests/data/layout/asym.txt`).
macro_rules! size {
    ($($t:ty = $n:expr;)+) => {
        $(const _: () = assert!(std::mem::size_of::<$t>() == $n);)+
    };
}

/// Declares `#[repr(C)]` op data structures made of flat buffers and
/// 32-bit fields, each field documented with its C name.
macro_rules! c_struct {
    ($($(#[doc = $doc:literal])+ $name:ident { $($f:ident: $t:ty = $c:literal,)+ })+) => {
        $(
            $(#[doc = $doc])+
            #[repr(C)]
            #[derive(Clone, Copy, Debug)]
            pub struct $name {
                $(
                    #[doc = concat!("`", $c, "`.")]
                    pub $f: $t,
                )+
            }
        )+
    };
}

/// A flat buffer (number) field.
type F = CpaFlatBuffer;

/// `CPA_CY_RSA_VERSION_TWO_PRIME`.
pub const CPA_CY_RSA_VERSION_TWO_PRIME: u32 = 1;
/// `CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_1`.
pub const CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_1: u32 = 1;
/// `CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_2`.
pub const CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_2: u32 = 2;

c_struct! {
    /// `CpaCyRsaPublicKey`.
    CpaCyRsaPublicKey { modulus_n: F = "modulusN", public_exponent_e: F = "publicExponentE", }
    /// `CpaCyRsaPrivateKeyRep1`.
    CpaCyRsaPrivateKeyRep1 { modulus_n: F = "modulusN", private_exponent_d: F = "privateExponentD", }
    /// `CpaCyRsaPrivateKeyRep2`.
    CpaCyRsaPrivateKeyRep2 {
        prime1_p: F = "prime1P",
        prime2_q: F = "prime2Q",
        exponent1_dp: F = "exponent1Dp",
        exponent2_dq: F = "exponent2Dq",
        coefficient_q_inv: F = "coefficientQInv",
    }
    /// `CpaCyRsaDpaOpData`.
    CpaCyRsaDpaOpData {
        p_rsa_prime_p: *mut F = "pRsaPrimeP",
        p_rsa_prime_q: *mut F = "pRsaPrimeQ",
        p_rsa_public_e: *mut F = "pRsaPublicE",
        p_random: *mut F = "pRandom",
        create_random_data: CpaBoolean = "createRandomData",
    }
    /// `CpaCyRsaPrivateKey`.
    CpaCyRsaPrivateKey {
        version: u32 = "version",
        private_key_rep_type: u32 = "privateKeyRepType",
        private_key_rep1: CpaCyRsaPrivateKeyRep1 = "privateKeyRep1",
        private_key_rep2: CpaCyRsaPrivateKeyRep2 = "privateKeyRep2",
    }
    /// `CpaCyRsaKeyGenOpData`.
    CpaCyRsaKeyGenOpData {
        prime1_p: F = "prime1P",
        prime2_q: F = "prime2Q",
        modulus_len_in_bytes: u32 = "modulusLenInBytes",
        version: u32 = "version",
        private_key_rep_type: u32 = "privateKeyRepType",
        public_exponent_e: F = "publicExponentE",
    }
    /// `CpaCyRsaEncryptOpData`.
    CpaCyRsaEncryptOpData { p_public_key: *mut CpaCyRsaPublicKey = "pPublicKey", input_data: F = "inputData", }
    /// `CpaCyRsaDecryptOpData`.
    CpaCyRsaDecryptOpData {
        p_recipient_private_key: *mut CpaCyRsaPrivateKey = "pRecipientPrivateKey",
        input_data: F = "inputData",
    }
    /// `CpaCyDhPhase1KeyGenOpData`.
    CpaCyDhPhase1KeyGenOpData { prime_p: F = "primeP", base_g: F = "baseG", private_value_x: F = "privateValueX", }
    /// `CpaCyDhPhase2SecretKeyGenOpData`.
    CpaCyDhPhase2SecretKeyGenOpData {
        prime_p: F = "primeP",
        remote_octet_string_pv: F = "remoteOctetStringPV",
        private_value_x: F = "privateValueX",
    }
    /// `CpaCyDsaPParamGenOpData`.
    CpaCyDsaPParamGenOpData { x: F = "X", q: F = "Q", }
    /// `CpaCyDsaGParamGenOpData`.
    CpaCyDsaGParamGenOpData { p: F = "P", q: F = "Q", h: F = "H", }
    /// `CpaCyDsaYParamGenOpData`.
    CpaCyDsaYParamGenOpData { p: F = "P", g: F = "G", x: F = "X", }
    /// `CpaCyDsaRSignOpData`.
    CpaCyDsaRSignOpData { p: F = "P", q: F = "Q", g: F = "G", k: F = "K", }
    /// `CpaCyDsaSSignOpData`.
    CpaCyDsaSSignOpData { q: F = "Q", x: F = "X", k: F = "K", r: F = "R", z: F = "Z", }
    /// `CpaCyDsaRSSignOpData`.
    CpaCyDsaRSSignOpData { p: F = "P", q: F = "Q", g: F = "G", x: F = "X", k: F = "K", z: F = "Z", }
    /// `CpaCyDsaVerifyOpData`.
    CpaCyDsaVerifyOpData { p: F = "P", q: F = "Q", g: F = "G", y: F = "Y", z: F = "Z", r: F = "R", s: F = "S", }
    /// `CpaCyEcCurveParametersWeierstrass` (also the only member of the
    /// `CpaCyEcCurveParameters` union, so it stands for the union).
    CpaCyEcCurveParametersWeierstrass {
        field_type: u32 = "fieldType",
        p: F = "p",
        a: F = "a",
        b: F = "b",
        h: F = "h",
    }
    /// `CpaCyEcCurve`.
    CpaCyEcCurve {
        curve_type: u32 = "curveType",
        parameters: CpaCyEcCurveParametersWeierstrass = "parameters.weierstrassParameters",
    }
    /// `CpaCyEcPointMultiplyOpData` (deprecated in the API, still exported).
    CpaCyEcPointMultiplyOpData {
        k: F = "k", xg: F = "xg", yg: F = "yg", a: F = "a", b: F = "b", q: F = "q", h: F = "h",
        field_type: u32 = "fieldType",
    }
    /// `CpaCyEcGenericPointMultiplyOpData`.
    CpaCyEcGenericPointMultiplyOpData {
        k: F = "k",
        x_p: F = "xP",
        y_p: F = "yP",
        p_curve: *mut CpaCyEcCurve = "pCurve",
        generator: CpaBoolean = "generator",
    }
    /// `CpaCyEcGenericPointVerifyOpData`.
    CpaCyEcGenericPointVerifyOpData { x_p: F = "xP", y_p: F = "yP", p_curve: *mut CpaCyEcCurve = "pCurve", }
    /// `CpaCyEcMontEdwdsPointMultiplyOpData`.
    CpaCyEcMontEdwdsPointMultiplyOpData {
        curve_type: u32 = "curveType",
        generator: CpaBoolean = "generator",
        k: F = "k",
        x: F = "x",
        y: F = "y",
    }
    /// `CpaCyEcPointVerifyOpData` (deprecated in the API, still exported).
    CpaCyEcPointVerifyOpData {
        xq: F = "xq", yq: F = "yq", q: F = "q", a: F = "a", b: F = "b",
        field_type: u32 = "fieldType",
    }
    /// `CpaCyEcdhPointMultiplyOpData`.
    CpaCyEcdhPointMultiplyOpData {
        k: F = "k", xg: F = "xg", yg: F = "yg", a: F = "a", b: F = "b", q: F = "q", h: F = "h",
        field_type: u32 = "fieldType",
        point_verify: CpaBoolean = "pointVerify",
    }
    /// `CpaCyEcdsaSignROpData`.
    CpaCyEcdsaSignROpData {
        xg: F = "xg", yg: F = "yg", n: F = "n", q: F = "q", a: F = "a", b: F = "b", k: F = "k",
        field_type: u32 = "fieldType",
    }
    /// `CpaCyEcdsaSignSOpData`.
    CpaCyEcdsaSignSOpData {
        m: F = "m", d: F = "d", r: F = "r", k: F = "k", n: F = "n",
        field_type: u32 = "fieldType",
    }
    /// `CpaCyEcdsaSignRSOpData`.
    CpaCyEcdsaSignRSOpData {
        xg: F = "xg", yg: F = "yg", n: F = "n", q: F = "q", a: F = "a", b: F = "b", k: F = "k",
        m: F = "m", d: F = "d",
        field_type: u32 = "fieldType",
    }
    /// `CpaCyEcdsaVerifyOpData`.
    CpaCyEcdsaVerifyOpData {
        xg: F = "xg", yg: F = "yg", n: F = "n", q: F = "q", a: F = "a", b: F = "b", m: F = "m",
        r: F = "r", s: F = "s", xp: F = "xp", yp: F = "yp",
        field_type: u32 = "fieldType",
    }
    /// `CpaCyEcsm2EncryptOpData`.
    CpaCyEcsm2EncryptOpData { k: F = "k", x_p: F = "xP", y_p: F = "yP", field_type: u32 = "fieldType", }
    /// `CpaCyEcsm2DecryptOpData`.
    CpaCyEcsm2DecryptOpData { d: F = "d", x1: F = "x1", y1: F = "y1", field_type: u32 = "fieldType", }
    /// `CpaCyEcsm2PointMultiplyOpData`.
    CpaCyEcsm2PointMultiplyOpData { k: F = "k", x: F = "x", y: F = "y", field_type: u32 = "fieldType", }
    /// `CpaCyEcsm2GeneratorMultiplyOpData`.
    CpaCyEcsm2GeneratorMultiplyOpData { k: F = "k", field_type: u32 = "fieldType", }
    /// `CpaCyEcsm2PointVerifyOpData`.
    CpaCyEcsm2PointVerifyOpData { x: F = "x", y: F = "y", field_type: u32 = "fieldType", }
    /// `CpaCyEcsm2SignOpData`.
    CpaCyEcsm2SignOpData { k: F = "k", e: F = "e", d: F = "d", field_type: u32 = "fieldType", }
    /// `CpaCyEcsm2VerifyOpData`.
    CpaCyEcsm2VerifyOpData {
        e: F = "e", r: F = "r", s: F = "s", x_p: F = "xP", y_p: F = "yP",
        field_type: u32 = "fieldType",
    }
    /// `CpaCyEcsm2KeyExPhase1OpData`.
    CpaCyEcsm2KeyExPhase1OpData { r: F = "r", field_type: u32 = "fieldType", }
    /// `CpaCyEcsm2KeyExPhase2OpData`.
    CpaCyEcsm2KeyExPhase2OpData {
        r: F = "r", d: F = "d", x1: F = "x1", x2: F = "x2", y2: F = "y2", x_p: F = "xP", y_p: F = "yP",
        field_type: u32 = "fieldType",
    }
    /// `CpaCyEcsm2EncryptOutputData`.
    CpaCyEcsm2EncryptOutputData { x1: F = "x1", y1: F = "y1", x2: F = "x2", y2: F = "y2", }
    /// `CpaCyEcsm2DecryptOutputData`.
    CpaCyEcsm2DecryptOutputData { x2: F = "x2", y2: F = "y2", }
    /// `CpaCyEcsm2KeyExOutputData`.
    CpaCyEcsm2KeyExOutputData { x: F = "x", y: F = "y", }
    /// `CpaCyLnModExpOpData`.
    CpaCyLnModExpOpData { modulus: F = "modulus", base: F = "base", exponent: F = "exponent", }
    /// `CpaCyLnModInvOpData`.
    CpaCyLnModInvOpData { a: F = "A", b: F = "B", }
    /// `CpaCyPrimeTestOpData`.
    CpaCyPrimeTestOpData {
        prime_candidate: F = "primeCandidate",
        perform_gcd_test: CpaBoolean = "performGcdTest",
        perform_fermat_test: CpaBoolean = "performFermatTest",
        num_miller_rabin_rounds: u32 = "numMillerRabinRounds",
        miller_rabin_random_input: F = "millerRabinRandomInput",
        perform_lucas_test: CpaBoolean = "performLucasTest",
    }
}

/// `CpaCyGenFlatBufCbFunc`: `(pCallbackTag, status, pOpdata, pOut)`.
pub type CpaCyGenFlatBufCbFunc =
    Option<unsafe extern "C" fn(*mut c_void, Status, *mut c_void, *mut CpaFlatBuffer)>;
/// `CpaCyGenericCbFunc`: `(pCallbackTag, status, pOpData)`.
pub type CpaCyGenericCbFunc = Option<unsafe extern "C" fn(*mut c_void, Status, *mut c_void)>;
/// `CpaCyRsaKeyGenCbFunc`: `(pCallbackTag, status, pKeyGenOpData,
/// pPrivateKey, pPublicKey)`.
pub type CpaCyRsaKeyGenCbFunc = Option<
    unsafe extern "C" fn(
        *mut c_void,
        Status,
        *mut c_void,
        *mut CpaCyRsaPrivateKey,
        *mut CpaCyRsaPublicKey,
    ),
>;
/// A callback with a status flag and one output: `CpaCyDsaGenCbFunc`,
/// `CpaCyEcdsaGenSignCbFunc` (`(pCallbackTag, status, pOpData, flag,
/// pOut)`).
pub type CpaCyFlagOneCbFunc =
    Option<unsafe extern "C" fn(*mut c_void, Status, *mut c_void, CpaBoolean, *mut CpaFlatBuffer)>;
/// `CpaCyDsaGenCbFunc`.
pub type CpaCyDsaGenCbFunc = CpaCyFlagOneCbFunc;
/// `CpaCyEcdsaGenSignCbFunc`.
pub type CpaCyEcdsaGenSignCbFunc = CpaCyFlagOneCbFunc;
/// A callback with a status flag and two outputs: `CpaCyDsaRSSignCbFunc`,
/// `CpaCyEcPointMultiplyCbFunc`, `CpaCyEcdhPointMultiplyCbFunc`,
/// `CpaCyEcdsaSignRSCbFunc`, `CpaCyEcsm2SignCbFunc`.
pub type CpaCyFlagTwoCbFunc = Option<
    unsafe extern "C" fn(
        *mut c_void,
        Status,
        *mut c_void,
        CpaBoolean,
        *mut CpaFlatBuffer,
        *mut CpaFlatBuffer,
    ),
>;
/// `CpaCyDsaRSSignCbFunc`.
pub type CpaCyDsaRSSignCbFunc = CpaCyFlagTwoCbFunc;
/// `CpaCyEcPointMultiplyCbFunc`.
pub type CpaCyEcPointMultiplyCbFunc = CpaCyFlagTwoCbFunc;
/// `CpaCyEcdhPointMultiplyCbFunc`.
pub type CpaCyEcdhPointMultiplyCbFunc = CpaCyFlagTwoCbFunc;
/// `CpaCyEcdsaSignRSCbFunc`.
pub type CpaCyEcdsaSignRSCbFunc = CpaCyFlagTwoCbFunc;
/// `CpaCyEcsm2SignCbFunc`.
pub type CpaCyEcsm2SignCbFunc = CpaCyFlagTwoCbFunc;
/// A callback with the outcome only: `CpaCyDsaVerifyCbFunc`,
/// `CpaCyEcPointVerifyCbFunc`, `CpaCyEcdsaVerifyCbFunc`,
/// `CpaCyEcsm2VerifyCbFunc`, `CpaCyPrimeTestCbFunc`.
pub type CpaCyVerifyCbFunc =
    Option<unsafe extern "C" fn(*mut c_void, Status, *mut c_void, CpaBoolean)>;
/// `CpaCyDsaVerifyCbFunc`.
pub type CpaCyDsaVerifyCbFunc = CpaCyVerifyCbFunc;
/// `CpaCyEcPointVerifyCbFunc`.
pub type CpaCyEcPointVerifyCbFunc = CpaCyVerifyCbFunc;
/// `CpaCyEcdsaVerifyCbFunc`.
pub type CpaCyEcdsaVerifyCbFunc = CpaCyVerifyCbFunc;
/// `CpaCyEcsm2VerifyCbFunc`.
pub type CpaCyEcsm2VerifyCbFunc = CpaCyVerifyCbFunc;
/// `CpaCyPrimeTestCbFunc`.
pub type CpaCyPrimeTestCbFunc = CpaCyVerifyCbFunc;

/// `CpaCyRsaStats`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyRsaStats {
    /// `numRsaKeyGenRequests`.
    pub num_rsa_key_gen_requests: u32,
    /// `numRsaKeyGenRequestErrors`.
    pub num_rsa_key_gen_request_errors: u32,
    /// `numRsaKeyGenCompleted`.
    pub num_rsa_key_gen_completed: u32,
    /// `numRsaKeyGenCompletedErrors`.
    pub num_rsa_key_gen_completed_errors: u32,
    /// `numRsaEncryptRequests`.
    pub num_rsa_encrypt_requests: u32,
    /// `numRsaEncryptRequestErrors`.
    pub num_rsa_encrypt_request_errors: u32,
    /// `numRsaEncryptCompleted`.
    pub num_rsa_encrypt_completed: u32,
    /// `numRsaEncryptCompletedErrors`.
    pub num_rsa_encrypt_completed_errors: u32,
    /// `numRsaDecryptRequests`.
    pub num_rsa_decrypt_requests: u32,
    /// `numRsaDecryptRequestErrors`.
    pub num_rsa_decrypt_request_errors: u32,
    /// `numRsaDecryptCompleted`.
    pub num_rsa_decrypt_completed: u32,
    /// `numRsaDecryptCompletedErrors`.
    pub num_rsa_decrypt_completed_errors: u32,
}

/// `CpaCyRsaStats64`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyRsaStats64 {
    /// `numRsaKeyGenRequests`.
    pub num_rsa_key_gen_requests: u64,
    /// `numRsaKeyGenRequestErrors`.
    pub num_rsa_key_gen_request_errors: u64,
    /// `numRsaKeyGenCompleted`.
    pub num_rsa_key_gen_completed: u64,
    /// `numRsaKeyGenCompletedErrors`.
    pub num_rsa_key_gen_completed_errors: u64,
    /// `numRsaEncryptRequests`.
    pub num_rsa_encrypt_requests: u64,
    /// `numRsaEncryptRequestErrors`.
    pub num_rsa_encrypt_request_errors: u64,
    /// `numRsaEncryptCompleted`.
    pub num_rsa_encrypt_completed: u64,
    /// `numRsaEncryptCompletedErrors`.
    pub num_rsa_encrypt_completed_errors: u64,
    /// `numRsaDecryptRequests`.
    pub num_rsa_decrypt_requests: u64,
    /// `numRsaDecryptRequestErrors`.
    pub num_rsa_decrypt_request_errors: u64,
    /// `numRsaDecryptCompleted`.
    pub num_rsa_decrypt_completed: u64,
    /// `numRsaDecryptCompletedErrors`.
    pub num_rsa_decrypt_completed_errors: u64,
    /// `numKptRsaDecryptRequests`.
    pub num_kpt_rsa_decrypt_requests: u64,
    /// `numKptRsaDecryptRequestErrors`.
    pub num_kpt_rsa_decrypt_request_errors: u64,
    /// `numKptRsaDecryptCompleted`.
    pub num_kpt_rsa_decrypt_completed: u64,
    /// `numKptRsaDecryptCompletedErrors`.
    pub num_kpt_rsa_decrypt_completed_errors: u64,
}

/// `CpaCyDhStats`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyDhStats {
    /// `numDhPhase1KeyGenRequests`.
    pub num_dh_phase1_key_gen_requests: u32,
    /// `numDhPhase1KeyGenRequestErrors`.
    pub num_dh_phase1_key_gen_request_errors: u32,
    /// `numDhPhase1KeyGenCompleted`.
    pub num_dh_phase1_key_gen_completed: u32,
    /// `numDhPhase1KeyGenCompletedErrors`.
    pub num_dh_phase1_key_gen_completed_errors: u32,
    /// `numDhPhase2KeyGenRequests`.
    pub num_dh_phase2_key_gen_requests: u32,
    /// `numDhPhase2KeyGenRequestErrors`.
    pub num_dh_phase2_key_gen_request_errors: u32,
    /// `numDhPhase2KeyGenCompleted`.
    pub num_dh_phase2_key_gen_completed: u32,
    /// `numDhPhase2KeyGenCompletedErrors`.
    pub num_dh_phase2_key_gen_completed_errors: u32,
}

/// `CpaCyDhStats64`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyDhStats64 {
    /// `numDhPhase1KeyGenRequests`.
    pub num_dh_phase1_key_gen_requests: u64,
    /// `numDhPhase1KeyGenRequestErrors`.
    pub num_dh_phase1_key_gen_request_errors: u64,
    /// `numDhPhase1KeyGenCompleted`.
    pub num_dh_phase1_key_gen_completed: u64,
    /// `numDhPhase1KeyGenCompletedErrors`.
    pub num_dh_phase1_key_gen_completed_errors: u64,
    /// `numDhPhase2KeyGenRequests`.
    pub num_dh_phase2_key_gen_requests: u64,
    /// `numDhPhase2KeyGenRequestErrors`.
    pub num_dh_phase2_key_gen_request_errors: u64,
    /// `numDhPhase2KeyGenCompleted`.
    pub num_dh_phase2_key_gen_completed: u64,
    /// `numDhPhase2KeyGenCompletedErrors`.
    pub num_dh_phase2_key_gen_completed_errors: u64,
}

/// `CpaCyDsaStats`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyDsaStats {
    /// `numDsaPParamGenRequests`.
    pub num_dsa_p_param_gen_requests: u32,
    /// `numDsaPParamGenRequestErrors`.
    pub num_dsa_p_param_gen_request_errors: u32,
    /// `numDsaPParamGenCompleted`.
    pub num_dsa_p_param_gen_completed: u32,
    /// `numDsaPParamGenCompletedErrors`.
    pub num_dsa_p_param_gen_completed_errors: u32,
    /// `numDsaGParamGenRequests`.
    pub num_dsa_g_param_gen_requests: u32,
    /// `numDsaGParamGenRequestErrors`.
    pub num_dsa_g_param_gen_request_errors: u32,
    /// `numDsaGParamGenCompleted`.
    pub num_dsa_g_param_gen_completed: u32,
    /// `numDsaGParamGenCompletedErrors`.
    pub num_dsa_g_param_gen_completed_errors: u32,
    /// `numDsaYParamGenRequests`.
    pub num_dsa_y_param_gen_requests: u32,
    /// `numDsaYParamGenRequestErrors`.
    pub num_dsa_y_param_gen_request_errors: u32,
    /// `numDsaYParamGenCompleted`.
    pub num_dsa_y_param_gen_completed: u32,
    /// `numDsaYParamGenCompletedErrors`.
    pub num_dsa_y_param_gen_completed_errors: u32,
    /// `numDsaRSignRequests`.
    pub num_dsa_r_sign_requests: u32,
    /// `numDsaRSignRequestErrors`.
    pub num_dsa_r_sign_request_errors: u32,
    /// `numDsaRSignCompleted`.
    pub num_dsa_r_sign_completed: u32,
    /// `numDsaRSignCompletedErrors`.
    pub num_dsa_r_sign_completed_errors: u32,
    /// `numDsaSSignRequests`.
    pub num_dsa_s_sign_requests: u32,
    /// `numDsaSSignRequestErrors`.
    pub num_dsa_s_sign_request_errors: u32,
    /// `numDsaSSignCompleted`.
    pub num_dsa_s_sign_completed: u32,
    /// `numDsaSSignCompletedErrors`.
    pub num_dsa_s_sign_completed_errors: u32,
    /// `numDsaRSSignRequests`.
    pub num_dsa_rs_sign_requests: u32,
    /// `numDsaRSSignRequestErrors`.
    pub num_dsa_rs_sign_request_errors: u32,
    /// `numDsaRSSignCompleted`.
    pub num_dsa_rs_sign_completed: u32,
    /// `numDsaRSSignCompletedErrors`.
    pub num_dsa_rs_sign_completed_errors: u32,
    /// `numDsaVerifyRequests`.
    pub num_dsa_verify_requests: u32,
    /// `numDsaVerifyRequestErrors`.
    pub num_dsa_verify_request_errors: u32,
    /// `numDsaVerifyCompleted`.
    pub num_dsa_verify_completed: u32,
    /// `numDsaVerifyCompletedErrors`.
    pub num_dsa_verify_completed_errors: u32,
    /// `numDsaVerifyFailures`.
    pub num_dsa_verify_failures: u32,
}

/// `CpaCyDsaStats64`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyDsaStats64 {
    /// `numDsaPParamGenRequests`.
    pub num_dsa_p_param_gen_requests: u64,
    /// `numDsaPParamGenRequestErrors`.
    pub num_dsa_p_param_gen_request_errors: u64,
    /// `numDsaPParamGenCompleted`.
    pub num_dsa_p_param_gen_completed: u64,
    /// `numDsaPParamGenCompletedErrors`.
    pub num_dsa_p_param_gen_completed_errors: u64,
    /// `numDsaGParamGenRequests`.
    pub num_dsa_g_param_gen_requests: u64,
    /// `numDsaGParamGenRequestErrors`.
    pub num_dsa_g_param_gen_request_errors: u64,
    /// `numDsaGParamGenCompleted`.
    pub num_dsa_g_param_gen_completed: u64,
    /// `numDsaGParamGenCompletedErrors`.
    pub num_dsa_g_param_gen_completed_errors: u64,
    /// `numDsaYParamGenRequests`.
    pub num_dsa_y_param_gen_requests: u64,
    /// `numDsaYParamGenRequestErrors`.
    pub num_dsa_y_param_gen_request_errors: u64,
    /// `numDsaYParamGenCompleted`.
    pub num_dsa_y_param_gen_completed: u64,
    /// `numDsaYParamGenCompletedErrors`.
    pub num_dsa_y_param_gen_completed_errors: u64,
    /// `numDsaRSignRequests`.
    pub num_dsa_r_sign_requests: u64,
    /// `numDsaRSignRequestErrors`.
    pub num_dsa_r_sign_request_errors: u64,
    /// `numDsaRSignCompleted`.
    pub num_dsa_r_sign_completed: u64,
    /// `numDsaRSignCompletedErrors`.
    pub num_dsa_r_sign_completed_errors: u64,
    /// `numDsaSSignRequests`.
    pub num_dsa_s_sign_requests: u64,
    /// `numDsaSSignRequestErrors`.
    pub num_dsa_s_sign_request_errors: u64,
    /// `numDsaSSignCompleted`.
    pub num_dsa_s_sign_completed: u64,
    /// `numDsaSSignCompletedErrors`.
    pub num_dsa_s_sign_completed_errors: u64,
    /// `numDsaRSSignRequests`.
    pub num_dsa_rs_sign_requests: u64,
    /// `numDsaRSSignRequestErrors`.
    pub num_dsa_rs_sign_request_errors: u64,
    /// `numDsaRSSignCompleted`.
    pub num_dsa_rs_sign_completed: u64,
    /// `numDsaRSSignCompletedErrors`.
    pub num_dsa_rs_sign_completed_errors: u64,
    /// `numDsaVerifyRequests`.
    pub num_dsa_verify_requests: u64,
    /// `numDsaVerifyRequestErrors`.
    pub num_dsa_verify_request_errors: u64,
    /// `numDsaVerifyCompleted`.
    pub num_dsa_verify_completed: u64,
    /// `numDsaVerifyCompletedErrors`.
    pub num_dsa_verify_completed_errors: u64,
    /// `numDsaVerifyFailures`.
    pub num_dsa_verify_failures: u64,
}

/// `CpaCyEcStats64`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyEcStats64 {
    /// `numEcPointMultiplyRequests`.
    pub num_ec_point_multiply_requests: u64,
    /// `numEcPointMultiplyRequestErrors`.
    pub num_ec_point_multiply_request_errors: u64,
    /// `numEcPointMultiplyCompleted`.
    pub num_ec_point_multiply_completed: u64,
    /// `numEcPointMultiplyCompletedError`.
    pub num_ec_point_multiply_completed_error: u64,
    /// `numEcPointMultiplyCompletedOutputInvalid`.
    pub num_ec_point_multiply_completed_output_invalid: u64,
    /// `numEcPointVerifyRequests`.
    pub num_ec_point_verify_requests: u64,
    /// `numEcPointVerifyRequestErrors`.
    pub num_ec_point_verify_request_errors: u64,
    /// `numEcPointVerifyCompleted`.
    pub num_ec_point_verify_completed: u64,
    /// `numEcPointVerifyCompletedErrors`.
    pub num_ec_point_verify_completed_errors: u64,
    /// `numEcPointVerifyCompletedOutputInvalid`.
    pub num_ec_point_verify_completed_output_invalid: u64,
}

/// `CpaCyEcdhStats64`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyEcdhStats64 {
    /// `numEcdhPointMultiplyRequests`.
    pub num_ecdh_point_multiply_requests: u64,
    /// `numEcdhPointMultiplyRequestErrors`.
    pub num_ecdh_point_multiply_request_errors: u64,
    /// `numEcdhPointMultiplyCompleted`.
    pub num_ecdh_point_multiply_completed: u64,
    /// `numEcdhPointMultiplyCompletedError`.
    pub num_ecdh_point_multiply_completed_error: u64,
    /// `numEcdhRequestCompletedOutputInvalid`.
    pub num_ecdh_request_completed_output_invalid: u64,
}

/// `CpaCyEcdsaStats64`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyEcdsaStats64 {
    /// `numEcdsaSignRRequests`.
    pub num_ecdsa_sign_r_requests: u64,
    /// `numEcdsaSignRRequestErrors`.
    pub num_ecdsa_sign_r_request_errors: u64,
    /// `numEcdsaSignRCompleted`.
    pub num_ecdsa_sign_r_completed: u64,
    /// `numEcdsaSignRCompletedErrors`.
    pub num_ecdsa_sign_r_completed_errors: u64,
    /// `numEcdsaSignRCompletedOutputInvalid`.
    pub num_ecdsa_sign_r_completed_output_invalid: u64,
    /// `numEcdsaSignSRequests`.
    pub num_ecdsa_sign_s_requests: u64,
    /// `numEcdsaSignSRequestErrors`.
    pub num_ecdsa_sign_s_request_errors: u64,
    /// `numEcdsaSignSCompleted`.
    pub num_ecdsa_sign_s_completed: u64,
    /// `numEcdsaSignSCompletedErrors`.
    pub num_ecdsa_sign_s_completed_errors: u64,
    /// `numEcdsaSignSCompletedOutputInvalid`.
    pub num_ecdsa_sign_s_completed_output_invalid: u64,
    /// `numEcdsaSignRSRequests`.
    pub num_ecdsa_sign_rs_requests: u64,
    /// `numEcdsaSignRSRequestErrors`.
    pub num_ecdsa_sign_rs_request_errors: u64,
    /// `numEcdsaSignRSCompleted`.
    pub num_ecdsa_sign_rs_completed: u64,
    /// `numEcdsaSignRSCompletedErrors`.
    pub num_ecdsa_sign_rs_completed_errors: u64,
    /// `numEcdsaSignRSCompletedOutputInvalid`.
    pub num_ecdsa_sign_rs_completed_output_invalid: u64,
    /// `numEcdsaVerifyRequests`.
    pub num_ecdsa_verify_requests: u64,
    /// `numEcdsaVerifyRequestErrors`.
    pub num_ecdsa_verify_request_errors: u64,
    /// `numEcdsaVerifyCompleted`.
    pub num_ecdsa_verify_completed: u64,
    /// `numEcdsaVerifyCompletedErrors`.
    pub num_ecdsa_verify_completed_errors: u64,
    /// `numEcdsaVerifyCompletedOutputInvalid`.
    pub num_ecdsa_verify_completed_output_invalid: u64,
    /// `numKptEcdsaSignRSCompletedOutputInvalid`.
    pub num_kpt_ecdsa_sign_rs_completed_output_invalid: u64,
    /// `numKptEcdsaSignRSCompleted`.
    pub num_kpt_ecdsa_sign_rs_completed: u64,
    /// `numKptEcdsaSignRSRequests`.
    pub num_kpt_ecdsa_sign_rs_requests: u64,
    /// `numKptEcdsaSignRSRequestErrors`.
    pub num_kpt_ecdsa_sign_rs_request_errors: u64,
    /// `numKptEcdsaSignRSCompletedErrors`.
    pub num_kpt_ecdsa_sign_rs_completed_errors: u64,
}

/// `CpaCyEcsm2Stats64`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyEcsm2Stats64 {
    /// `numEcsm2PointMultiplyRequests`.
    pub num_ecsm2_point_multiply_requests: u64,
    /// `numEcsm2PointMultiplyRequestErrors`.
    pub num_ecsm2_point_multiply_request_errors: u64,
    /// `numEcsm2PointMultiplyCompleted`.
    pub num_ecsm2_point_multiply_completed: u64,
    /// `numEcsm2PointMultiplyCompletedError`.
    pub num_ecsm2_point_multiply_completed_error: u64,
    /// `numEcsm2PointMultiplyCompletedOutputInvalid`.
    pub num_ecsm2_point_multiply_completed_output_invalid: u64,
    /// `numEcsm2GeneratorMultiplyRequests`.
    pub num_ecsm2_generator_multiply_requests: u64,
    /// `numEcsm2GeneratorMultiplyRequestErrors`.
    pub num_ecsm2_generator_multiply_request_errors: u64,
    /// `numEcsm2GeneratorMultiplyCompleted`.
    pub num_ecsm2_generator_multiply_completed: u64,
    /// `numEcsm2GeneratorMultiplyCompletedError`.
    pub num_ecsm2_generator_multiply_completed_error: u64,
    /// `numEcsm2GeneratorMultiplyCompletedOutputInvalid`.
    pub num_ecsm2_generator_multiply_completed_output_invalid: u64,
    /// `numEcsm2PointVerifyRequests`.
    pub num_ecsm2_point_verify_requests: u64,
    /// `numEcsm2PointVerifyRequestErrors`.
    pub num_ecsm2_point_verify_request_errors: u64,
    /// `numEcsm2PointVerifyCompleted`.
    pub num_ecsm2_point_verify_completed: u64,
    /// `numEcsm2PointVerifyCompletedError`.
    pub num_ecsm2_point_verify_completed_error: u64,
    /// `numEcsm2PointVerifyCompletedOutputInvalid`.
    pub num_ecsm2_point_verify_completed_output_invalid: u64,
    /// `numEcsm2SignRequests`.
    pub num_ecsm2_sign_requests: u64,
    /// `numEcsm2SignRequestErrors`.
    pub num_ecsm2_sign_request_errors: u64,
    /// `numEcsm2SignCompleted`.
    pub num_ecsm2_sign_completed: u64,
    /// `numEcsm2SignCompletedError`.
    pub num_ecsm2_sign_completed_error: u64,
    /// `numEcsm2SignCompletedOutputInvalid`.
    pub num_ecsm2_sign_completed_output_invalid: u64,
    /// `numEcsm2VerifyRequests`.
    pub num_ecsm2_verify_requests: u64,
    /// `numEcsm2VerifyRequestErrors`.
    pub num_ecsm2_verify_request_errors: u64,
    /// `numEcsm2VerifyCompleted`.
    pub num_ecsm2_verify_completed: u64,
    /// `numEcsm2VerifyCompletedError`.
    pub num_ecsm2_verify_completed_error: u64,
    /// `numEcsm2VerifyCompletedOutputInvalid`.
    pub num_ecsm2_verify_completed_output_invalid: u64,
    /// `numEcsm2EncryptRequests`.
    pub num_ecsm2_encrypt_requests: u64,
    /// `numEcsm2EncryptRequestErrors`.
    pub num_ecsm2_encrypt_request_errors: u64,
    /// `numEcsm2EncryptCompleted`.
    pub num_ecsm2_encrypt_completed: u64,
    /// `numEcsm2EncryptCompletedError`.
    pub num_ecsm2_encrypt_completed_error: u64,
    /// `numEcsm2EncryptCompletedOutputInvalid`.
    pub num_ecsm2_encrypt_completed_output_invalid: u64,
    /// `numEcsm2DecryptRequests`.
    pub num_ecsm2_decrypt_requests: u64,
    /// `numEcsm2DecryptRequestErrors`.
    pub num_ecsm2_decrypt_request_errors: u64,
    /// `numEcsm2DecryptCompleted`.
    pub num_ecsm2_decrypt_completed: u64,
    /// `numEcsm2DecryptCompletedError`.
    pub num_ecsm2_decrypt_completed_error: u64,
    /// `numEcsm2DecryptCompletedOutputInvalid`.
    pub num_ecsm2_decrypt_completed_output_invalid: u64,
    /// `numEcsm2KeyExPhase1Requests`.
    pub num_ecsm2_key_ex_phase1_requests: u64,
    /// `numEcsm2KeyExPhase1RequestErrors`.
    pub num_ecsm2_key_ex_phase1_request_errors: u64,
    /// `numEcsm2KeyExPhase1Completed`.
    pub num_ecsm2_key_ex_phase1_completed: u64,
    /// `numEcsm2KeyExPhase1CompletedError`.
    pub num_ecsm2_key_ex_phase1_completed_error: u64,
    /// `numEcsm2KeyExPhase1CompletedOutputInvalid`.
    pub num_ecsm2_key_ex_phase1_completed_output_invalid: u64,
    /// `numEcsm2KeyExPhase2Requests`.
    pub num_ecsm2_key_ex_phase2_requests: u64,
    /// `numEcsm2KeyExPhase2RequestErrors`.
    pub num_ecsm2_key_ex_phase2_request_errors: u64,
    /// `numEcsm2KeyExPhase2Completed`.
    pub num_ecsm2_key_ex_phase2_completed: u64,
    /// `numEcsm2KeyExPhase2CompletedError`.
    pub num_ecsm2_key_ex_phase2_completed_error: u64,
    /// `numEcsm2KeyExPhase2CompletedOutputInvalid`.
    pub num_ecsm2_key_ex_phase2_completed_output_invalid: u64,
}

/// `CpaCyLnStats`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyLnStats {
    /// `numLnModExpRequests`.
    pub num_ln_mod_exp_requests: u32,
    /// `numLnModExpRequestErrors`.
    pub num_ln_mod_exp_request_errors: u32,
    /// `numLnModExpCompleted`.
    pub num_ln_mod_exp_completed: u32,
    /// `numLnModExpCompletedErrors`.
    pub num_ln_mod_exp_completed_errors: u32,
    /// `numLnModInvRequests`.
    pub num_ln_mod_inv_requests: u32,
    /// `numLnModInvRequestErrors`.
    pub num_ln_mod_inv_request_errors: u32,
    /// `numLnModInvCompleted`.
    pub num_ln_mod_inv_completed: u32,
    /// `numLnModInvCompletedErrors`.
    pub num_ln_mod_inv_completed_errors: u32,
}

/// `CpaCyLnStats64`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyLnStats64 {
    /// `numLnModExpRequests`.
    pub num_ln_mod_exp_requests: u64,
    /// `numLnModExpRequestErrors`.
    pub num_ln_mod_exp_request_errors: u64,
    /// `numLnModExpCompleted`.
    pub num_ln_mod_exp_completed: u64,
    /// `numLnModExpCompletedErrors`.
    pub num_ln_mod_exp_completed_errors: u64,
    /// `numLnModInvRequests`.
    pub num_ln_mod_inv_requests: u64,
    /// `numLnModInvRequestErrors`.
    pub num_ln_mod_inv_request_errors: u64,
    /// `numLnModInvCompleted`.
    pub num_ln_mod_inv_completed: u64,
    /// `numLnModInvCompletedErrors`.
    pub num_ln_mod_inv_completed_errors: u64,
}

/// `CpaCyPrimeStats`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyPrimeStats {
    /// `numPrimeTestRequests`.
    pub num_prime_test_requests: u32,
    /// `numPrimeTestRequestErrors`.
    pub num_prime_test_request_errors: u32,
    /// `numPrimeTestCompleted`.
    pub num_prime_test_completed: u32,
    /// `numPrimeTestCompletedErrors`.
    pub num_prime_test_completed_errors: u32,
    /// `numPrimeTestFailures`.
    pub num_prime_test_failures: u32,
}

/// `CpaCyPrimeStats64`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpaCyPrimeStats64 {
    /// `numPrimeTestRequests`.
    pub num_prime_test_requests: u64,
    /// `numPrimeTestRequestErrors`.
    pub num_prime_test_request_errors: u64,
    /// `numPrimeTestCompleted`.
    pub num_prime_test_completed: u64,
    /// `numPrimeTestCompletedErrors`.
    pub num_prime_test_completed_errors: u64,
    /// `numPrimeTestFailures`.
    pub num_prime_test_failures: u64,
}
impl From<&softqat_sal::asym::RsaStats> for CpaCyRsaStats {
    fn from(s: &softqat_sal::asym::RsaStats) -> CpaCyRsaStats {
        // The deprecated 32-bit counters wrap, as qatlib's do.
        CpaCyRsaStats {
            num_rsa_key_gen_requests: s.num_rsa_key_gen_requests as u32,
            num_rsa_key_gen_request_errors: s.num_rsa_key_gen_request_errors as u32,
            num_rsa_key_gen_completed: s.num_rsa_key_gen_completed as u32,
            num_rsa_key_gen_completed_errors: s.num_rsa_key_gen_completed_errors as u32,
            num_rsa_encrypt_requests: s.num_rsa_encrypt_requests as u32,
            num_rsa_encrypt_request_errors: s.num_rsa_encrypt_request_errors as u32,
            num_rsa_encrypt_completed: s.num_rsa_encrypt_completed as u32,
            num_rsa_encrypt_completed_errors: s.num_rsa_encrypt_completed_errors as u32,
            num_rsa_decrypt_requests: s.num_rsa_decrypt_requests as u32,
            num_rsa_decrypt_request_errors: s.num_rsa_decrypt_request_errors as u32,
            num_rsa_decrypt_completed: s.num_rsa_decrypt_completed as u32,
            num_rsa_decrypt_completed_errors: s.num_rsa_decrypt_completed_errors as u32,
        }
    }
}

impl From<&softqat_sal::asym::RsaStats> for CpaCyRsaStats64 {
    fn from(s: &softqat_sal::asym::RsaStats) -> CpaCyRsaStats64 {
        CpaCyRsaStats64 {
            num_rsa_key_gen_requests: s.num_rsa_key_gen_requests,
            num_rsa_key_gen_request_errors: s.num_rsa_key_gen_request_errors,
            num_rsa_key_gen_completed: s.num_rsa_key_gen_completed,
            num_rsa_key_gen_completed_errors: s.num_rsa_key_gen_completed_errors,
            num_rsa_encrypt_requests: s.num_rsa_encrypt_requests,
            num_rsa_encrypt_request_errors: s.num_rsa_encrypt_request_errors,
            num_rsa_encrypt_completed: s.num_rsa_encrypt_completed,
            num_rsa_encrypt_completed_errors: s.num_rsa_encrypt_completed_errors,
            num_rsa_decrypt_requests: s.num_rsa_decrypt_requests,
            num_rsa_decrypt_request_errors: s.num_rsa_decrypt_request_errors,
            num_rsa_decrypt_completed: s.num_rsa_decrypt_completed,
            num_rsa_decrypt_completed_errors: s.num_rsa_decrypt_completed_errors,
            num_kpt_rsa_decrypt_requests: s.num_kpt_rsa_decrypt_requests,
            num_kpt_rsa_decrypt_request_errors: s.num_kpt_rsa_decrypt_request_errors,
            num_kpt_rsa_decrypt_completed: s.num_kpt_rsa_decrypt_completed,
            num_kpt_rsa_decrypt_completed_errors: s.num_kpt_rsa_decrypt_completed_errors,
        }
    }
}

impl From<&softqat_sal::asym::DhStats> for CpaCyDhStats {
    fn from(s: &softqat_sal::asym::DhStats) -> CpaCyDhStats {
        // The deprecated 32-bit counters wrap, as qatlib's do.
        CpaCyDhStats {
            num_dh_phase1_key_gen_requests: s.num_dh_phase1_key_gen_requests as u32,
            num_dh_phase1_key_gen_request_errors: s.num_dh_phase1_key_gen_request_errors as u32,
            num_dh_phase1_key_gen_completed: s.num_dh_phase1_key_gen_completed as u32,
            num_dh_phase1_key_gen_completed_errors: s.num_dh_phase1_key_gen_completed_errors as u32,
            num_dh_phase2_key_gen_requests: s.num_dh_phase2_key_gen_requests as u32,
            num_dh_phase2_key_gen_request_errors: s.num_dh_phase2_key_gen_request_errors as u32,
            num_dh_phase2_key_gen_completed: s.num_dh_phase2_key_gen_completed as u32,
            num_dh_phase2_key_gen_completed_errors: s.num_dh_phase2_key_gen_completed_errors as u32,
        }
    }
}

impl From<&softqat_sal::asym::DhStats> for CpaCyDhStats64 {
    fn from(s: &softqat_sal::asym::DhStats) -> CpaCyDhStats64 {
        CpaCyDhStats64 {
            num_dh_phase1_key_gen_requests: s.num_dh_phase1_key_gen_requests,
            num_dh_phase1_key_gen_request_errors: s.num_dh_phase1_key_gen_request_errors,
            num_dh_phase1_key_gen_completed: s.num_dh_phase1_key_gen_completed,
            num_dh_phase1_key_gen_completed_errors: s.num_dh_phase1_key_gen_completed_errors,
            num_dh_phase2_key_gen_requests: s.num_dh_phase2_key_gen_requests,
            num_dh_phase2_key_gen_request_errors: s.num_dh_phase2_key_gen_request_errors,
            num_dh_phase2_key_gen_completed: s.num_dh_phase2_key_gen_completed,
            num_dh_phase2_key_gen_completed_errors: s.num_dh_phase2_key_gen_completed_errors,
        }
    }
}

impl From<&softqat_sal::asym::DsaStats> for CpaCyDsaStats {
    fn from(s: &softqat_sal::asym::DsaStats) -> CpaCyDsaStats {
        // The deprecated 32-bit counters wrap, as qatlib's do.
        CpaCyDsaStats {
            num_dsa_p_param_gen_requests: s.num_dsa_p_param_gen_requests as u32,
            num_dsa_p_param_gen_request_errors: s.num_dsa_p_param_gen_request_errors as u32,
            num_dsa_p_param_gen_completed: s.num_dsa_p_param_gen_completed as u32,
            num_dsa_p_param_gen_completed_errors: s.num_dsa_p_param_gen_completed_errors as u32,
            num_dsa_g_param_gen_requests: s.num_dsa_g_param_gen_requests as u32,
            num_dsa_g_param_gen_request_errors: s.num_dsa_g_param_gen_request_errors as u32,
            num_dsa_g_param_gen_completed: s.num_dsa_g_param_gen_completed as u32,
            num_dsa_g_param_gen_completed_errors: s.num_dsa_g_param_gen_completed_errors as u32,
            num_dsa_y_param_gen_requests: s.num_dsa_y_param_gen_requests as u32,
            num_dsa_y_param_gen_request_errors: s.num_dsa_y_param_gen_request_errors as u32,
            num_dsa_y_param_gen_completed: s.num_dsa_y_param_gen_completed as u32,
            num_dsa_y_param_gen_completed_errors: s.num_dsa_y_param_gen_completed_errors as u32,
            num_dsa_r_sign_requests: s.num_dsa_r_sign_requests as u32,
            num_dsa_r_sign_request_errors: s.num_dsa_r_sign_request_errors as u32,
            num_dsa_r_sign_completed: s.num_dsa_r_sign_completed as u32,
            num_dsa_r_sign_completed_errors: s.num_dsa_r_sign_completed_errors as u32,
            num_dsa_s_sign_requests: s.num_dsa_s_sign_requests as u32,
            num_dsa_s_sign_request_errors: s.num_dsa_s_sign_request_errors as u32,
            num_dsa_s_sign_completed: s.num_dsa_s_sign_completed as u32,
            num_dsa_s_sign_completed_errors: s.num_dsa_s_sign_completed_errors as u32,
            num_dsa_rs_sign_requests: s.num_dsa_rs_sign_requests as u32,
            num_dsa_rs_sign_request_errors: s.num_dsa_rs_sign_request_errors as u32,
            num_dsa_rs_sign_completed: s.num_dsa_rs_sign_completed as u32,
            num_dsa_rs_sign_completed_errors: s.num_dsa_rs_sign_completed_errors as u32,
            num_dsa_verify_requests: s.num_dsa_verify_requests as u32,
            num_dsa_verify_request_errors: s.num_dsa_verify_request_errors as u32,
            num_dsa_verify_completed: s.num_dsa_verify_completed as u32,
            num_dsa_verify_completed_errors: s.num_dsa_verify_completed_errors as u32,
            num_dsa_verify_failures: s.num_dsa_verify_failures as u32,
        }
    }
}

impl From<&softqat_sal::asym::DsaStats> for CpaCyDsaStats64 {
    fn from(s: &softqat_sal::asym::DsaStats) -> CpaCyDsaStats64 {
        CpaCyDsaStats64 {
            num_dsa_p_param_gen_requests: s.num_dsa_p_param_gen_requests,
            num_dsa_p_param_gen_request_errors: s.num_dsa_p_param_gen_request_errors,
            num_dsa_p_param_gen_completed: s.num_dsa_p_param_gen_completed,
            num_dsa_p_param_gen_completed_errors: s.num_dsa_p_param_gen_completed_errors,
            num_dsa_g_param_gen_requests: s.num_dsa_g_param_gen_requests,
            num_dsa_g_param_gen_request_errors: s.num_dsa_g_param_gen_request_errors,
            num_dsa_g_param_gen_completed: s.num_dsa_g_param_gen_completed,
            num_dsa_g_param_gen_completed_errors: s.num_dsa_g_param_gen_completed_errors,
            num_dsa_y_param_gen_requests: s.num_dsa_y_param_gen_requests,
            num_dsa_y_param_gen_request_errors: s.num_dsa_y_param_gen_request_errors,
            num_dsa_y_param_gen_completed: s.num_dsa_y_param_gen_completed,
            num_dsa_y_param_gen_completed_errors: s.num_dsa_y_param_gen_completed_errors,
            num_dsa_r_sign_requests: s.num_dsa_r_sign_requests,
            num_dsa_r_sign_request_errors: s.num_dsa_r_sign_request_errors,
            num_dsa_r_sign_completed: s.num_dsa_r_sign_completed,
            num_dsa_r_sign_completed_errors: s.num_dsa_r_sign_completed_errors,
            num_dsa_s_sign_requests: s.num_dsa_s_sign_requests,
            num_dsa_s_sign_request_errors: s.num_dsa_s_sign_request_errors,
            num_dsa_s_sign_completed: s.num_dsa_s_sign_completed,
            num_dsa_s_sign_completed_errors: s.num_dsa_s_sign_completed_errors,
            num_dsa_rs_sign_requests: s.num_dsa_rs_sign_requests,
            num_dsa_rs_sign_request_errors: s.num_dsa_rs_sign_request_errors,
            num_dsa_rs_sign_completed: s.num_dsa_rs_sign_completed,
            num_dsa_rs_sign_completed_errors: s.num_dsa_rs_sign_completed_errors,
            num_dsa_verify_requests: s.num_dsa_verify_requests,
            num_dsa_verify_request_errors: s.num_dsa_verify_request_errors,
            num_dsa_verify_completed: s.num_dsa_verify_completed,
            num_dsa_verify_completed_errors: s.num_dsa_verify_completed_errors,
            num_dsa_verify_failures: s.num_dsa_verify_failures,
        }
    }
}

impl From<&softqat_sal::asym::EcStats> for CpaCyEcStats64 {
    fn from(s: &softqat_sal::asym::EcStats) -> CpaCyEcStats64 {
        CpaCyEcStats64 {
            num_ec_point_multiply_requests: s.num_ec_point_multiply_requests,
            num_ec_point_multiply_request_errors: s.num_ec_point_multiply_request_errors,
            num_ec_point_multiply_completed: s.num_ec_point_multiply_completed,
            num_ec_point_multiply_completed_error: s.num_ec_point_multiply_completed_error,
            num_ec_point_multiply_completed_output_invalid: s
                .num_ec_point_multiply_completed_output_invalid,
            num_ec_point_verify_requests: s.num_ec_point_verify_requests,
            num_ec_point_verify_request_errors: s.num_ec_point_verify_request_errors,
            num_ec_point_verify_completed: s.num_ec_point_verify_completed,
            num_ec_point_verify_completed_errors: s.num_ec_point_verify_completed_errors,
            num_ec_point_verify_completed_output_invalid: s
                .num_ec_point_verify_completed_output_invalid,
        }
    }
}

impl From<&softqat_sal::asym::EcdhStats> for CpaCyEcdhStats64 {
    fn from(s: &softqat_sal::asym::EcdhStats) -> CpaCyEcdhStats64 {
        CpaCyEcdhStats64 {
            num_ecdh_point_multiply_requests: s.num_ecdh_point_multiply_requests,
            num_ecdh_point_multiply_request_errors: s.num_ecdh_point_multiply_request_errors,
            num_ecdh_point_multiply_completed: s.num_ecdh_point_multiply_completed,
            num_ecdh_point_multiply_completed_error: s.num_ecdh_point_multiply_completed_error,
            num_ecdh_request_completed_output_invalid: s.num_ecdh_request_completed_output_invalid,
        }
    }
}

impl From<&softqat_sal::asym::EcdsaStats> for CpaCyEcdsaStats64 {
    fn from(s: &softqat_sal::asym::EcdsaStats) -> CpaCyEcdsaStats64 {
        CpaCyEcdsaStats64 {
            num_ecdsa_sign_r_requests: s.num_ecdsa_sign_r_requests,
            num_ecdsa_sign_r_request_errors: s.num_ecdsa_sign_r_request_errors,
            num_ecdsa_sign_r_completed: s.num_ecdsa_sign_r_completed,
            num_ecdsa_sign_r_completed_errors: s.num_ecdsa_sign_r_completed_errors,
            num_ecdsa_sign_r_completed_output_invalid: s.num_ecdsa_sign_r_completed_output_invalid,
            num_ecdsa_sign_s_requests: s.num_ecdsa_sign_s_requests,
            num_ecdsa_sign_s_request_errors: s.num_ecdsa_sign_s_request_errors,
            num_ecdsa_sign_s_completed: s.num_ecdsa_sign_s_completed,
            num_ecdsa_sign_s_completed_errors: s.num_ecdsa_sign_s_completed_errors,
            num_ecdsa_sign_s_completed_output_invalid: s.num_ecdsa_sign_s_completed_output_invalid,
            num_ecdsa_sign_rs_requests: s.num_ecdsa_sign_rs_requests,
            num_ecdsa_sign_rs_request_errors: s.num_ecdsa_sign_rs_request_errors,
            num_ecdsa_sign_rs_completed: s.num_ecdsa_sign_rs_completed,
            num_ecdsa_sign_rs_completed_errors: s.num_ecdsa_sign_rs_completed_errors,
            num_ecdsa_sign_rs_completed_output_invalid: s
                .num_ecdsa_sign_rs_completed_output_invalid,
            num_ecdsa_verify_requests: s.num_ecdsa_verify_requests,
            num_ecdsa_verify_request_errors: s.num_ecdsa_verify_request_errors,
            num_ecdsa_verify_completed: s.num_ecdsa_verify_completed,
            num_ecdsa_verify_completed_errors: s.num_ecdsa_verify_completed_errors,
            num_ecdsa_verify_completed_output_invalid: s.num_ecdsa_verify_completed_output_invalid,
            num_kpt_ecdsa_sign_rs_completed_output_invalid: s
                .num_kpt_ecdsa_sign_rs_completed_output_invalid,
            num_kpt_ecdsa_sign_rs_completed: s.num_kpt_ecdsa_sign_rs_completed,
            num_kpt_ecdsa_sign_rs_requests: s.num_kpt_ecdsa_sign_rs_requests,
            num_kpt_ecdsa_sign_rs_request_errors: s.num_kpt_ecdsa_sign_rs_request_errors,
            num_kpt_ecdsa_sign_rs_completed_errors: s.num_kpt_ecdsa_sign_rs_completed_errors,
        }
    }
}

impl From<&softqat_sal::asym::Sm2Stats> for CpaCyEcsm2Stats64 {
    fn from(s: &softqat_sal::asym::Sm2Stats) -> CpaCyEcsm2Stats64 {
        CpaCyEcsm2Stats64 {
            num_ecsm2_point_multiply_requests: s.num_ecsm2_point_multiply_requests,
            num_ecsm2_point_multiply_request_errors: s.num_ecsm2_point_multiply_request_errors,
            num_ecsm2_point_multiply_completed: s.num_ecsm2_point_multiply_completed,
            num_ecsm2_point_multiply_completed_error: s.num_ecsm2_point_multiply_completed_error,
            num_ecsm2_point_multiply_completed_output_invalid: s
                .num_ecsm2_point_multiply_completed_output_invalid,
            num_ecsm2_generator_multiply_requests: s.num_ecsm2_generator_multiply_requests,
            num_ecsm2_generator_multiply_request_errors: s
                .num_ecsm2_generator_multiply_request_errors,
            num_ecsm2_generator_multiply_completed: s.num_ecsm2_generator_multiply_completed,
            num_ecsm2_generator_multiply_completed_error: s
                .num_ecsm2_generator_multiply_completed_error,
            num_ecsm2_generator_multiply_completed_output_invalid: s
                .num_ecsm2_generator_multiply_completed_output_invalid,
            num_ecsm2_point_verify_requests: s.num_ecsm2_point_verify_requests,
            num_ecsm2_point_verify_request_errors: s.num_ecsm2_point_verify_request_errors,
            num_ecsm2_point_verify_completed: s.num_ecsm2_point_verify_completed,
            num_ecsm2_point_verify_completed_error: s.num_ecsm2_point_verify_completed_error,
            num_ecsm2_point_verify_completed_output_invalid: s
                .num_ecsm2_point_verify_completed_output_invalid,
            num_ecsm2_sign_requests: s.num_ecsm2_sign_requests,
            num_ecsm2_sign_request_errors: s.num_ecsm2_sign_request_errors,
            num_ecsm2_sign_completed: s.num_ecsm2_sign_completed,
            num_ecsm2_sign_completed_error: s.num_ecsm2_sign_completed_error,
            num_ecsm2_sign_completed_output_invalid: s.num_ecsm2_sign_completed_output_invalid,
            num_ecsm2_verify_requests: s.num_ecsm2_verify_requests,
            num_ecsm2_verify_request_errors: s.num_ecsm2_verify_request_errors,
            num_ecsm2_verify_completed: s.num_ecsm2_verify_completed,
            num_ecsm2_verify_completed_error: s.num_ecsm2_verify_completed_error,
            num_ecsm2_verify_completed_output_invalid: s.num_ecsm2_verify_completed_output_invalid,
            num_ecsm2_encrypt_requests: s.num_ecsm2_encrypt_requests,
            num_ecsm2_encrypt_request_errors: s.num_ecsm2_encrypt_request_errors,
            num_ecsm2_encrypt_completed: s.num_ecsm2_encrypt_completed,
            num_ecsm2_encrypt_completed_error: s.num_ecsm2_encrypt_completed_error,
            num_ecsm2_encrypt_completed_output_invalid: s
                .num_ecsm2_encrypt_completed_output_invalid,
            num_ecsm2_decrypt_requests: s.num_ecsm2_decrypt_requests,
            num_ecsm2_decrypt_request_errors: s.num_ecsm2_decrypt_request_errors,
            num_ecsm2_decrypt_completed: s.num_ecsm2_decrypt_completed,
            num_ecsm2_decrypt_completed_error: s.num_ecsm2_decrypt_completed_error,
            num_ecsm2_decrypt_completed_output_invalid: s
                .num_ecsm2_decrypt_completed_output_invalid,
            num_ecsm2_key_ex_phase1_requests: s.num_ecsm2_key_ex_phase1_requests,
            num_ecsm2_key_ex_phase1_request_errors: s.num_ecsm2_key_ex_phase1_request_errors,
            num_ecsm2_key_ex_phase1_completed: s.num_ecsm2_key_ex_phase1_completed,
            num_ecsm2_key_ex_phase1_completed_error: s.num_ecsm2_key_ex_phase1_completed_error,
            num_ecsm2_key_ex_phase1_completed_output_invalid: s
                .num_ecsm2_key_ex_phase1_completed_output_invalid,
            num_ecsm2_key_ex_phase2_requests: s.num_ecsm2_key_ex_phase2_requests,
            num_ecsm2_key_ex_phase2_request_errors: s.num_ecsm2_key_ex_phase2_request_errors,
            num_ecsm2_key_ex_phase2_completed: s.num_ecsm2_key_ex_phase2_completed,
            num_ecsm2_key_ex_phase2_completed_error: s.num_ecsm2_key_ex_phase2_completed_error,
            num_ecsm2_key_ex_phase2_completed_output_invalid: s
                .num_ecsm2_key_ex_phase2_completed_output_invalid,
        }
    }
}

impl From<&softqat_sal::asym::LnStats> for CpaCyLnStats {
    fn from(s: &softqat_sal::asym::LnStats) -> CpaCyLnStats {
        // The deprecated 32-bit counters wrap, as qatlib's do.
        CpaCyLnStats {
            num_ln_mod_exp_requests: s.num_ln_mod_exp_requests as u32,
            num_ln_mod_exp_request_errors: s.num_ln_mod_exp_request_errors as u32,
            num_ln_mod_exp_completed: s.num_ln_mod_exp_completed as u32,
            num_ln_mod_exp_completed_errors: s.num_ln_mod_exp_completed_errors as u32,
            num_ln_mod_inv_requests: s.num_ln_mod_inv_requests as u32,
            num_ln_mod_inv_request_errors: s.num_ln_mod_inv_request_errors as u32,
            num_ln_mod_inv_completed: s.num_ln_mod_inv_completed as u32,
            num_ln_mod_inv_completed_errors: s.num_ln_mod_inv_completed_errors as u32,
        }
    }
}

impl From<&softqat_sal::asym::LnStats> for CpaCyLnStats64 {
    fn from(s: &softqat_sal::asym::LnStats) -> CpaCyLnStats64 {
        CpaCyLnStats64 {
            num_ln_mod_exp_requests: s.num_ln_mod_exp_requests,
            num_ln_mod_exp_request_errors: s.num_ln_mod_exp_request_errors,
            num_ln_mod_exp_completed: s.num_ln_mod_exp_completed,
            num_ln_mod_exp_completed_errors: s.num_ln_mod_exp_completed_errors,
            num_ln_mod_inv_requests: s.num_ln_mod_inv_requests,
            num_ln_mod_inv_request_errors: s.num_ln_mod_inv_request_errors,
            num_ln_mod_inv_completed: s.num_ln_mod_inv_completed,
            num_ln_mod_inv_completed_errors: s.num_ln_mod_inv_completed_errors,
        }
    }
}

impl From<&softqat_sal::asym::PrimeStats> for CpaCyPrimeStats {
    fn from(s: &softqat_sal::asym::PrimeStats) -> CpaCyPrimeStats {
        // The deprecated 32-bit counters wrap, as qatlib's do.
        CpaCyPrimeStats {
            num_prime_test_requests: s.num_prime_test_requests as u32,
            num_prime_test_request_errors: s.num_prime_test_request_errors as u32,
            num_prime_test_completed: s.num_prime_test_completed as u32,
            num_prime_test_completed_errors: s.num_prime_test_completed_errors as u32,
            num_prime_test_failures: s.num_prime_test_failures as u32,
        }
    }
}

impl From<&softqat_sal::asym::PrimeStats> for CpaCyPrimeStats64 {
    fn from(s: &softqat_sal::asym::PrimeStats) -> CpaCyPrimeStats64 {
        CpaCyPrimeStats64 {
            num_prime_test_requests: s.num_prime_test_requests,
            num_prime_test_request_errors: s.num_prime_test_request_errors,
            num_prime_test_completed: s.num_prime_test_completed,
            num_prime_test_completed_errors: s.num_prime_test_completed_errors,
            num_prime_test_failures: s.num_prime_test_failures,
        }
    }
}

size! {
    CpaCyRsaPublicKey = 32;
    CpaCyRsaPrivateKeyRep1 = 32;
    CpaCyRsaPrivateKeyRep2 = 80;
    CpaCyRsaDpaOpData = 40;
    CpaCyRsaPrivateKey = 120;
    CpaCyRsaKeyGenOpData = 64;
    CpaCyRsaEncryptOpData = 24;
    CpaCyRsaDecryptOpData = 24;
    CpaCyRsaStats = 48;
    CpaCyRsaStats64 = 128;
    CpaCyDhPhase1KeyGenOpData = 48;
    CpaCyDhPhase2SecretKeyGenOpData = 48;
    CpaCyDhStats = 32;
    CpaCyDhStats64 = 64;
    CpaCyDsaPParamGenOpData = 32;
    CpaCyDsaGParamGenOpData = 48;
    CpaCyDsaYParamGenOpData = 48;
    CpaCyDsaRSignOpData = 64;
    CpaCyDsaSSignOpData = 80;
    CpaCyDsaRSSignOpData = 96;
    CpaCyDsaVerifyOpData = 112;
    CpaCyDsaStats = 116;
    CpaCyDsaStats64 = 232;
    CpaCyEcCurveParametersWeierstrass = 72;
    CpaCyEcCurve = 80;
    CpaCyEcPointMultiplyOpData = 120;
    CpaCyEcGenericPointMultiplyOpData = 64;
    CpaCyEcGenericPointVerifyOpData = 40;
    CpaCyEcMontEdwdsPointMultiplyOpData = 56;
    CpaCyEcPointVerifyOpData = 88;
    CpaCyEcStats64 = 80;
    CpaCyEcdhPointMultiplyOpData = 120;
    CpaCyEcdhStats64 = 40;
    CpaCyEcdsaSignROpData = 120;
    CpaCyEcdsaSignSOpData = 88;
    CpaCyEcdsaSignRSOpData = 152;
    CpaCyEcdsaVerifyOpData = 184;
    CpaCyEcdsaStats64 = 200;
    CpaCyEcsm2EncryptOpData = 56;
    CpaCyEcsm2DecryptOpData = 56;
    CpaCyEcsm2PointMultiplyOpData = 56;
    CpaCyEcsm2GeneratorMultiplyOpData = 24;
    CpaCyEcsm2PointVerifyOpData = 40;
    CpaCyEcsm2SignOpData = 56;
    CpaCyEcsm2VerifyOpData = 88;
    CpaCyEcsm2KeyExPhase1OpData = 24;
    CpaCyEcsm2KeyExPhase2OpData = 120;
    CpaCyEcsm2EncryptOutputData = 64;
    CpaCyEcsm2DecryptOutputData = 32;
    CpaCyEcsm2KeyExOutputData = 32;
    CpaCyEcsm2Stats64 = 360;
    CpaCyLnModExpOpData = 48;
    CpaCyLnModInvOpData = 32;
    CpaCyLnStats = 32;
    CpaCyLnStats64 = 64;
    CpaCyPrimeTestOpData = 56;
    CpaCyPrimeStats = 20;
    CpaCyPrimeStats64 = 40;
}
