//! The per-family statistics of the public-key service, as the CPA API's
//! `CpaCy…Stats64` structures lay them out (`cpaCyRsaQueryStats64`,
//! `cpaCyDhQueryStats64`, …), filled from the per-function counters of
//! [`CyInstance::asym_stats`].
//!
//! A family's request counters add up the functions that share them: RSA
//! decryption counts both private-key representations, EC point
//! multiplication counts the generic and Montgomery/Edwards calls, TLS key
//! generation counts all three TLS versions, MGF counts the extended call.
//! The verify-failure, test-failure and output-invalid fields count
//! successful completions whose outcome was false. softqat has no KPT: the
//! KPT fields are always 0. Like the CPA calls, a structure is read one
//! counter at a time, so it may be slightly out of step with requests in
//! flight.
//!
//! ```
//! use softqat_sal::{AsymOp, Qat};
//!
//! let qat = Qat::start("SSL")?;
//! let cy = &qat.cy_instances()[0];
//! cy.start()?;
//! let before = cy.ln_stats()?;
//! cy.asym_perform(&mut AsymOp::ln_mod_exp(&[0x01, 0xf1], &[4], &[13])?)?;
//! let after = cy.ln_stats()?;
//! assert_eq!(after.num_ln_mod_exp_completed, before.num_ln_mod_exp_completed + 1);
//! # Ok::<(), softqat_sal::Error>(())
//! ```

use super::instance::AsymStats;
use super::AsymFunction::{self, *};
use crate::error::Result;
use crate::sym::instance::CyInstance;

/// `CpaCyRsaStats64` (`cpaCyRsaQueryStats64`, `cpa_cy_rsa.h`): the counters of RSA key generation,
/// encryption and decryption. `numRsaKeyGen…` count `RsaKeyGen`; `numRsaEncrypt…` count
/// `RsaEncrypt`; `numRsaDecrypt…` count `RsaDecrypt` + `RsaDecryptCrt`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RsaStats {
    /// `numRsaKeyGenRequests`: requests accepted.
    pub num_rsa_key_gen_requests: u64,
    /// `numRsaKeyGenRequestErrors`: requests refused at submission.
    pub num_rsa_key_gen_request_errors: u64,
    /// `numRsaKeyGenCompleted`: requests completed successfully.
    pub num_rsa_key_gen_completed: u64,
    /// `numRsaKeyGenCompletedErrors`: requests completed with an error.
    pub num_rsa_key_gen_completed_errors: u64,
    /// `numRsaEncryptRequests`: requests accepted.
    pub num_rsa_encrypt_requests: u64,
    /// `numRsaEncryptRequestErrors`: requests refused at submission.
    pub num_rsa_encrypt_request_errors: u64,
    /// `numRsaEncryptCompleted`: requests completed successfully.
    pub num_rsa_encrypt_completed: u64,
    /// `numRsaEncryptCompletedErrors`: requests completed with an error.
    pub num_rsa_encrypt_completed_errors: u64,
    /// `numRsaDecryptRequests`: requests accepted.
    pub num_rsa_decrypt_requests: u64,
    /// `numRsaDecryptRequestErrors`: requests refused at submission.
    pub num_rsa_decrypt_request_errors: u64,
    /// `numRsaDecryptCompleted`: requests completed successfully.
    pub num_rsa_decrypt_completed: u64,
    /// `numRsaDecryptCompletedErrors`: requests completed with an error.
    pub num_rsa_decrypt_completed_errors: u64,
    /// `numKptRsaDecryptRequests`: KPT RSA decryption (not in softqat): always 0.
    pub num_kpt_rsa_decrypt_requests: u64,
    /// `numKptRsaDecryptRequestErrors`: KPT RSA decryption (not in softqat): always 0.
    pub num_kpt_rsa_decrypt_request_errors: u64,
    /// `numKptRsaDecryptCompleted`: KPT RSA decryption (not in softqat): always 0.
    pub num_kpt_rsa_decrypt_completed: u64,
    /// `numKptRsaDecryptCompletedErrors`: KPT RSA decryption (not in softqat): always 0.
    pub num_kpt_rsa_decrypt_completed_errors: u64,
}

/// `CpaCyDhStats64` (`cpaCyDhQueryStats64`, `cpa_cy_dh.h`): the counters of Diffie-Hellman phases 1
/// and 2. `numDhPhase1KeyGen…` count `DhPhase1`; `numDhPhase2KeyGen…` count `DhPhase2`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DhStats {
    /// `numDhPhase1KeyGenRequests`: requests accepted.
    pub num_dh_phase1_key_gen_requests: u64,
    /// `numDhPhase1KeyGenRequestErrors`: requests refused at submission.
    pub num_dh_phase1_key_gen_request_errors: u64,
    /// `numDhPhase1KeyGenCompleted`: requests completed successfully.
    pub num_dh_phase1_key_gen_completed: u64,
    /// `numDhPhase1KeyGenCompletedErrors`: requests completed with an error.
    pub num_dh_phase1_key_gen_completed_errors: u64,
    /// `numDhPhase2KeyGenRequests`: requests accepted.
    pub num_dh_phase2_key_gen_requests: u64,
    /// `numDhPhase2KeyGenRequestErrors`: requests refused at submission.
    pub num_dh_phase2_key_gen_request_errors: u64,
    /// `numDhPhase2KeyGenCompleted`: requests completed successfully.
    pub num_dh_phase2_key_gen_completed: u64,
    /// `numDhPhase2KeyGenCompletedErrors`: requests completed with an error.
    pub num_dh_phase2_key_gen_completed_errors: u64,
}

/// `CpaCyDsaStats64` (`cpaCyDsaQueryStats64`, `cpa_cy_dsa.h`): the counters of DSA parameter
/// generation, signing and verification. `numDsaPParamGen…` count `DsaGenP`; `numDsaGParamGen…`
/// count `DsaGenG`; `numDsaYParamGen…` count `DsaGenY`; `numDsaRSign…` count `DsaSignR`;
/// `numDsaSSign…` count `DsaSignS`; `numDsaRSSign…` count `DsaSignRS`; `numDsaVerify…` count
/// `DsaVerify`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DsaStats {
    /// `numDsaPParamGenRequests`: requests accepted.
    pub num_dsa_p_param_gen_requests: u64,
    /// `numDsaPParamGenRequestErrors`: requests refused at submission.
    pub num_dsa_p_param_gen_request_errors: u64,
    /// `numDsaPParamGenCompleted`: requests completed successfully.
    pub num_dsa_p_param_gen_completed: u64,
    /// `numDsaPParamGenCompletedErrors`: requests completed with an error.
    pub num_dsa_p_param_gen_completed_errors: u64,
    /// `numDsaGParamGenRequests`: requests accepted.
    pub num_dsa_g_param_gen_requests: u64,
    /// `numDsaGParamGenRequestErrors`: requests refused at submission.
    pub num_dsa_g_param_gen_request_errors: u64,
    /// `numDsaGParamGenCompleted`: requests completed successfully.
    pub num_dsa_g_param_gen_completed: u64,
    /// `numDsaGParamGenCompletedErrors`: requests completed with an error.
    pub num_dsa_g_param_gen_completed_errors: u64,
    /// `numDsaYParamGenRequests`: requests accepted.
    pub num_dsa_y_param_gen_requests: u64,
    /// `numDsaYParamGenRequestErrors`: requests refused at submission.
    pub num_dsa_y_param_gen_request_errors: u64,
    /// `numDsaYParamGenCompleted`: requests completed successfully.
    pub num_dsa_y_param_gen_completed: u64,
    /// `numDsaYParamGenCompletedErrors`: requests completed with an error.
    pub num_dsa_y_param_gen_completed_errors: u64,
    /// `numDsaRSignRequests`: requests accepted.
    pub num_dsa_r_sign_requests: u64,
    /// `numDsaRSignRequestErrors`: requests refused at submission.
    pub num_dsa_r_sign_request_errors: u64,
    /// `numDsaRSignCompleted`: requests completed successfully.
    pub num_dsa_r_sign_completed: u64,
    /// `numDsaRSignCompletedErrors`: requests completed with an error.
    pub num_dsa_r_sign_completed_errors: u64,
    /// `numDsaSSignRequests`: requests accepted.
    pub num_dsa_s_sign_requests: u64,
    /// `numDsaSSignRequestErrors`: requests refused at submission.
    pub num_dsa_s_sign_request_errors: u64,
    /// `numDsaSSignCompleted`: requests completed successfully.
    pub num_dsa_s_sign_completed: u64,
    /// `numDsaSSignCompletedErrors`: requests completed with an error.
    pub num_dsa_s_sign_completed_errors: u64,
    /// `numDsaRSSignRequests`: requests accepted.
    pub num_dsa_rs_sign_requests: u64,
    /// `numDsaRSSignRequestErrors`: requests refused at submission.
    pub num_dsa_rs_sign_request_errors: u64,
    /// `numDsaRSSignCompleted`: requests completed successfully.
    pub num_dsa_rs_sign_completed: u64,
    /// `numDsaRSSignCompletedErrors`: requests completed with an error.
    pub num_dsa_rs_sign_completed_errors: u64,
    /// `numDsaVerifyRequests`: requests accepted.
    pub num_dsa_verify_requests: u64,
    /// `numDsaVerifyRequestErrors`: requests refused at submission.
    pub num_dsa_verify_request_errors: u64,
    /// `numDsaVerifyCompleted`: requests completed successfully.
    pub num_dsa_verify_completed: u64,
    /// `numDsaVerifyCompletedErrors`: requests completed with an error.
    pub num_dsa_verify_completed_errors: u64,
    /// `numDsaVerifyFailures`: successful completions whose outcome was false.
    pub num_dsa_verify_failures: u64,
}

/// `CpaCyEcStats64` (`cpaCyEcQueryStats64`, `cpa_cy_ec.h`): the counters of EC point multiplication
/// and verification. `numEcPointMultiply…` count `EcPointMultiply` + `EcGenericPointMultiply` +
/// `EcMontEdwdsPointMultiply`; `numEcPointVerify…` count `EcPointVerify` + `EcGenericPointVerify`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EcStats {
    /// `numEcPointMultiplyRequests`: requests accepted.
    pub num_ec_point_multiply_requests: u64,
    /// `numEcPointMultiplyRequestErrors`: requests refused at submission.
    pub num_ec_point_multiply_request_errors: u64,
    /// `numEcPointMultiplyCompleted`: requests completed successfully.
    pub num_ec_point_multiply_completed: u64,
    /// `numEcPointMultiplyCompletedError`: requests completed with an error.
    pub num_ec_point_multiply_completed_error: u64,
    /// `numEcPointMultiplyCompletedOutputInvalid`: completed with an invalid output.
    pub num_ec_point_multiply_completed_output_invalid: u64,
    /// `numEcPointVerifyRequests`: requests accepted.
    pub num_ec_point_verify_requests: u64,
    /// `numEcPointVerifyRequestErrors`: requests refused at submission.
    pub num_ec_point_verify_request_errors: u64,
    /// `numEcPointVerifyCompleted`: requests completed successfully.
    pub num_ec_point_verify_completed: u64,
    /// `numEcPointVerifyCompletedErrors`: requests completed with an error.
    pub num_ec_point_verify_completed_errors: u64,
    /// `numEcPointVerifyCompletedOutputInvalid`: completed with an invalid output.
    pub num_ec_point_verify_completed_output_invalid: u64,
}

/// `CpaCyEcdhStats64` (`cpaCyEcdhQueryStats64`, `cpa_cy_ecdh.h`): the counters of ECDH point
/// multiplication. `numEcdhPointMultiply…` count `EcdhPointMultiply`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EcdhStats {
    /// `numEcdhPointMultiplyRequests`: requests accepted.
    pub num_ecdh_point_multiply_requests: u64,
    /// `numEcdhPointMultiplyRequestErrors`: requests refused at submission.
    pub num_ecdh_point_multiply_request_errors: u64,
    /// `numEcdhPointMultiplyCompleted`: requests completed successfully.
    pub num_ecdh_point_multiply_completed: u64,
    /// `numEcdhPointMultiplyCompletedError`: requests completed with an error.
    pub num_ecdh_point_multiply_completed_error: u64,
    /// `numEcdhRequestCompletedOutputInvalid`: completed with an invalid output.
    pub num_ecdh_request_completed_output_invalid: u64,
}

/// `CpaCyEcdsaStats64` (`cpaCyEcdsaQueryStats64`, `cpa_cy_ecdsa.h`): the counters of ECDSA signing
/// and verification. `numEcdsaSignR…` count `EcdsaSignR`; `numEcdsaSignS…` count `EcdsaSignS`;
/// `numEcdsaSignRS…` count `EcdsaSignRS`; `numEcdsaVerify…` count `EcdsaVerify`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EcdsaStats {
    /// `numEcdsaSignRRequests`: requests accepted.
    pub num_ecdsa_sign_r_requests: u64,
    /// `numEcdsaSignRRequestErrors`: requests refused at submission.
    pub num_ecdsa_sign_r_request_errors: u64,
    /// `numEcdsaSignRCompleted`: requests completed successfully.
    pub num_ecdsa_sign_r_completed: u64,
    /// `numEcdsaSignRCompletedErrors`: requests completed with an error.
    pub num_ecdsa_sign_r_completed_errors: u64,
    /// `numEcdsaSignRCompletedOutputInvalid`: completed with an invalid output.
    pub num_ecdsa_sign_r_completed_output_invalid: u64,
    /// `numEcdsaSignSRequests`: requests accepted.
    pub num_ecdsa_sign_s_requests: u64,
    /// `numEcdsaSignSRequestErrors`: requests refused at submission.
    pub num_ecdsa_sign_s_request_errors: u64,
    /// `numEcdsaSignSCompleted`: requests completed successfully.
    pub num_ecdsa_sign_s_completed: u64,
    /// `numEcdsaSignSCompletedErrors`: requests completed with an error.
    pub num_ecdsa_sign_s_completed_errors: u64,
    /// `numEcdsaSignSCompletedOutputInvalid`: completed with an invalid output.
    pub num_ecdsa_sign_s_completed_output_invalid: u64,
    /// `numEcdsaSignRSRequests`: requests accepted.
    pub num_ecdsa_sign_rs_requests: u64,
    /// `numEcdsaSignRSRequestErrors`: requests refused at submission.
    pub num_ecdsa_sign_rs_request_errors: u64,
    /// `numEcdsaSignRSCompleted`: requests completed successfully.
    pub num_ecdsa_sign_rs_completed: u64,
    /// `numEcdsaSignRSCompletedErrors`: requests completed with an error.
    pub num_ecdsa_sign_rs_completed_errors: u64,
    /// `numEcdsaSignRSCompletedOutputInvalid`: completed with an invalid output.
    pub num_ecdsa_sign_rs_completed_output_invalid: u64,
    /// `numEcdsaVerifyRequests`: requests accepted.
    pub num_ecdsa_verify_requests: u64,
    /// `numEcdsaVerifyRequestErrors`: requests refused at submission.
    pub num_ecdsa_verify_request_errors: u64,
    /// `numEcdsaVerifyCompleted`: requests completed successfully.
    pub num_ecdsa_verify_completed: u64,
    /// `numEcdsaVerifyCompletedErrors`: requests completed with an error.
    pub num_ecdsa_verify_completed_errors: u64,
    /// `numEcdsaVerifyCompletedOutputInvalid`: completed with an invalid output.
    pub num_ecdsa_verify_completed_output_invalid: u64,
    /// `numKptEcdsaSignRSCompletedOutputInvalid`: KPT ECDSA signing (not in softqat): always 0.
    pub num_kpt_ecdsa_sign_rs_completed_output_invalid: u64,
    /// `numKptEcdsaSignRSCompleted`: KPT ECDSA signing (not in softqat): always 0.
    pub num_kpt_ecdsa_sign_rs_completed: u64,
    /// `numKptEcdsaSignRSRequests`: KPT ECDSA signing (not in softqat): always 0.
    pub num_kpt_ecdsa_sign_rs_requests: u64,
    /// `numKptEcdsaSignRSRequestErrors`: KPT ECDSA signing (not in softqat): always 0.
    pub num_kpt_ecdsa_sign_rs_request_errors: u64,
    /// `numKptEcdsaSignRSCompletedErrors`: KPT ECDSA signing (not in softqat): always 0.
    pub num_kpt_ecdsa_sign_rs_completed_errors: u64,
}

/// `CpaCyEcsm2Stats64` (`cpaCyEcsm2QueryStats64`, `cpa_cy_ecsm2.h`): the counters of the SM2
/// functions. `numEcsm2PointMultiply…` count `Sm2PointMultiply`; `numEcsm2GeneratorMultiply…` count
/// `Sm2GeneratorMultiply`; `numEcsm2PointVerify…` count `Sm2PointVerify`; `numEcsm2Sign…` count
/// `Sm2Sign`; `numEcsm2Verify…` count `Sm2Verify`; `numEcsm2Encrypt…` count `Sm2Encrypt`;
/// `numEcsm2Decrypt…` count `Sm2Decrypt`; `numEcsm2KeyExPhase1…` count `Sm2KeyExPhase1`;
/// `numEcsm2KeyExPhase2…` count `Sm2KeyExPhase2`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sm2Stats {
    /// `numEcsm2PointMultiplyRequests`: requests accepted.
    pub num_ecsm2_point_multiply_requests: u64,
    /// `numEcsm2PointMultiplyRequestErrors`: requests refused at submission.
    pub num_ecsm2_point_multiply_request_errors: u64,
    /// `numEcsm2PointMultiplyCompleted`: requests completed successfully.
    pub num_ecsm2_point_multiply_completed: u64,
    /// `numEcsm2PointMultiplyCompletedError`: requests completed with an error.
    pub num_ecsm2_point_multiply_completed_error: u64,
    /// `numEcsm2PointMultiplyCompletedOutputInvalid`: completed with an invalid output.
    pub num_ecsm2_point_multiply_completed_output_invalid: u64,
    /// `numEcsm2GeneratorMultiplyRequests`: requests accepted.
    pub num_ecsm2_generator_multiply_requests: u64,
    /// `numEcsm2GeneratorMultiplyRequestErrors`: requests refused at submission.
    pub num_ecsm2_generator_multiply_request_errors: u64,
    /// `numEcsm2GeneratorMultiplyCompleted`: requests completed successfully.
    pub num_ecsm2_generator_multiply_completed: u64,
    /// `numEcsm2GeneratorMultiplyCompletedError`: requests completed with an error.
    pub num_ecsm2_generator_multiply_completed_error: u64,
    /// `numEcsm2GeneratorMultiplyCompletedOutputInvalid`: completed with an invalid output.
    pub num_ecsm2_generator_multiply_completed_output_invalid: u64,
    /// `numEcsm2PointVerifyRequests`: requests accepted.
    pub num_ecsm2_point_verify_requests: u64,
    /// `numEcsm2PointVerifyRequestErrors`: requests refused at submission.
    pub num_ecsm2_point_verify_request_errors: u64,
    /// `numEcsm2PointVerifyCompleted`: requests completed successfully.
    pub num_ecsm2_point_verify_completed: u64,
    /// `numEcsm2PointVerifyCompletedError`: requests completed with an error.
    pub num_ecsm2_point_verify_completed_error: u64,
    /// `numEcsm2PointVerifyCompletedOutputInvalid`: completed with an invalid output.
    pub num_ecsm2_point_verify_completed_output_invalid: u64,
    /// `numEcsm2SignRequests`: requests accepted.
    pub num_ecsm2_sign_requests: u64,
    /// `numEcsm2SignRequestErrors`: requests refused at submission.
    pub num_ecsm2_sign_request_errors: u64,
    /// `numEcsm2SignCompleted`: requests completed successfully.
    pub num_ecsm2_sign_completed: u64,
    /// `numEcsm2SignCompletedError`: requests completed with an error.
    pub num_ecsm2_sign_completed_error: u64,
    /// `numEcsm2SignCompletedOutputInvalid`: completed with an invalid output.
    pub num_ecsm2_sign_completed_output_invalid: u64,
    /// `numEcsm2VerifyRequests`: requests accepted.
    pub num_ecsm2_verify_requests: u64,
    /// `numEcsm2VerifyRequestErrors`: requests refused at submission.
    pub num_ecsm2_verify_request_errors: u64,
    /// `numEcsm2VerifyCompleted`: requests completed successfully.
    pub num_ecsm2_verify_completed: u64,
    /// `numEcsm2VerifyCompletedError`: requests completed with an error.
    pub num_ecsm2_verify_completed_error: u64,
    /// `numEcsm2VerifyCompletedOutputInvalid`: completed with an invalid output.
    pub num_ecsm2_verify_completed_output_invalid: u64,
    /// `numEcsm2EncryptRequests`: requests accepted.
    pub num_ecsm2_encrypt_requests: u64,
    /// `numEcsm2EncryptRequestErrors`: requests refused at submission.
    pub num_ecsm2_encrypt_request_errors: u64,
    /// `numEcsm2EncryptCompleted`: requests completed successfully.
    pub num_ecsm2_encrypt_completed: u64,
    /// `numEcsm2EncryptCompletedError`: requests completed with an error.
    pub num_ecsm2_encrypt_completed_error: u64,
    /// `numEcsm2EncryptCompletedOutputInvalid`: completed with an invalid output.
    pub num_ecsm2_encrypt_completed_output_invalid: u64,
    /// `numEcsm2DecryptRequests`: requests accepted.
    pub num_ecsm2_decrypt_requests: u64,
    /// `numEcsm2DecryptRequestErrors`: requests refused at submission.
    pub num_ecsm2_decrypt_request_errors: u64,
    /// `numEcsm2DecryptCompleted`: requests completed successfully.
    pub num_ecsm2_decrypt_completed: u64,
    /// `numEcsm2DecryptCompletedError`: requests completed with an error.
    pub num_ecsm2_decrypt_completed_error: u64,
    /// `numEcsm2DecryptCompletedOutputInvalid`: completed with an invalid output.
    pub num_ecsm2_decrypt_completed_output_invalid: u64,
    /// `numEcsm2KeyExPhase1Requests`: requests accepted.
    pub num_ecsm2_key_ex_phase1_requests: u64,
    /// `numEcsm2KeyExPhase1RequestErrors`: requests refused at submission.
    pub num_ecsm2_key_ex_phase1_request_errors: u64,
    /// `numEcsm2KeyExPhase1Completed`: requests completed successfully.
    pub num_ecsm2_key_ex_phase1_completed: u64,
    /// `numEcsm2KeyExPhase1CompletedError`: requests completed with an error.
    pub num_ecsm2_key_ex_phase1_completed_error: u64,
    /// `numEcsm2KeyExPhase1CompletedOutputInvalid`: completed with an invalid output.
    pub num_ecsm2_key_ex_phase1_completed_output_invalid: u64,
    /// `numEcsm2KeyExPhase2Requests`: requests accepted.
    pub num_ecsm2_key_ex_phase2_requests: u64,
    /// `numEcsm2KeyExPhase2RequestErrors`: requests refused at submission.
    pub num_ecsm2_key_ex_phase2_request_errors: u64,
    /// `numEcsm2KeyExPhase2Completed`: requests completed successfully.
    pub num_ecsm2_key_ex_phase2_completed: u64,
    /// `numEcsm2KeyExPhase2CompletedError`: requests completed with an error.
    pub num_ecsm2_key_ex_phase2_completed_error: u64,
    /// `numEcsm2KeyExPhase2CompletedOutputInvalid`: completed with an invalid output.
    pub num_ecsm2_key_ex_phase2_completed_output_invalid: u64,
}

/// `CpaCyLnStats64` (`cpaCyLnStatsQuery64`, `cpa_cy_ln.h`): the counters of large-number modular
/// exponentiation and inversion. `numLnModExp…` count `LnModExp`; `numLnModInv…` count `LnModInv`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LnStats {
    /// `numLnModExpRequests`: requests accepted.
    pub num_ln_mod_exp_requests: u64,
    /// `numLnModExpRequestErrors`: requests refused at submission.
    pub num_ln_mod_exp_request_errors: u64,
    /// `numLnModExpCompleted`: requests completed successfully.
    pub num_ln_mod_exp_completed: u64,
    /// `numLnModExpCompletedErrors`: requests completed with an error.
    pub num_ln_mod_exp_completed_errors: u64,
    /// `numLnModInvRequests`: requests accepted.
    pub num_ln_mod_inv_requests: u64,
    /// `numLnModInvRequestErrors`: requests refused at submission.
    pub num_ln_mod_inv_request_errors: u64,
    /// `numLnModInvCompleted`: requests completed successfully.
    pub num_ln_mod_inv_completed: u64,
    /// `numLnModInvCompletedErrors`: requests completed with an error.
    pub num_ln_mod_inv_completed_errors: u64,
}

/// `CpaCyPrimeStats64` (`cpaCyPrimeQueryStats64`, `cpa_cy_prime.h`): the counters of prime number
/// tests. `numPrimeTest…` count `PrimeTest`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PrimeStats {
    /// `numPrimeTestRequests`: requests accepted.
    pub num_prime_test_requests: u64,
    /// `numPrimeTestRequestErrors`: requests refused at submission.
    pub num_prime_test_request_errors: u64,
    /// `numPrimeTestCompleted`: requests completed successfully.
    pub num_prime_test_completed: u64,
    /// `numPrimeTestCompletedErrors`: requests completed with an error.
    pub num_prime_test_completed_errors: u64,
    /// `numPrimeTestFailures`: successful completions whose outcome was false.
    pub num_prime_test_failures: u64,
}

/// `CpaCyKeyGenStats64` (`cpaCyKeyGenQueryStats64`, `cpa_cy_key.h`): the counters of SSL, TLS and
/// MGF key generation. `numSslKeyGen…` count `KeyGenSsl`; `numTlsKeyGen…` count `KeyGenTls` +
/// `KeyGenTls2` + `KeyGenTls3`; `numMgfKeyGen…` count `KeyGenMgf` + `KeyGenMgfExt`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyGenStats {
    /// `numSslKeyGenRequests`: requests accepted.
    pub num_ssl_key_gen_requests: u64,
    /// `numSslKeyGenRequestErrors`: requests refused at submission.
    pub num_ssl_key_gen_request_errors: u64,
    /// `numSslKeyGenCompleted`: requests completed successfully.
    pub num_ssl_key_gen_completed: u64,
    /// `numSslKeyGenCompletedErrors`: requests completed with an error.
    pub num_ssl_key_gen_completed_errors: u64,
    /// `numTlsKeyGenRequests`: requests accepted.
    pub num_tls_key_gen_requests: u64,
    /// `numTlsKeyGenRequestErrors`: requests refused at submission.
    pub num_tls_key_gen_request_errors: u64,
    /// `numTlsKeyGenCompleted`: requests completed successfully.
    pub num_tls_key_gen_completed: u64,
    /// `numTlsKeyGenCompletedErrors`: requests completed with an error.
    pub num_tls_key_gen_completed_errors: u64,
    /// `numMgfKeyGenRequests`: requests accepted.
    pub num_mgf_key_gen_requests: u64,
    /// `numMgfKeyGenRequestErrors`: requests refused at submission.
    pub num_mgf_key_gen_request_errors: u64,
    /// `numMgfKeyGenCompleted`: requests completed successfully.
    pub num_mgf_key_gen_completed: u64,
    /// `numMgfKeyGenCompletedErrors`: requests completed with an error.
    pub num_mgf_key_gen_completed_errors: u64,
}

/// The counters of `functions`, added up.
fn sum(inst: &CyInstance, functions: &[AsymFunction]) -> Result<AsymStats> {
    let mut total = AsymStats::default();
    for &f in functions {
        let s = inst.asym_stats(f)?;
        total.requests += s.requests;
        total.request_errors += s.request_errors;
        total.completed += s.completed;
        total.completed_errors += s.completed_errors;
        total.outcome_false += s.outcome_false;
    }
    Ok(total)
}

impl CyInstance {
    /// `cpaCyRsaQueryStats64`: the instance's [`RsaStats`].
    pub fn rsa_stats(&self) -> Result<RsaStats> {
        let key_gen = sum(self, &[RsaKeyGen])?;
        let encrypt = sum(self, &[RsaEncrypt])?;
        let decrypt = sum(self, &[RsaDecrypt, RsaDecryptCrt])?;
        Ok(RsaStats {
            num_rsa_key_gen_requests: key_gen.requests,
            num_rsa_key_gen_request_errors: key_gen.request_errors,
            num_rsa_key_gen_completed: key_gen.completed,
            num_rsa_key_gen_completed_errors: key_gen.completed_errors,
            num_rsa_encrypt_requests: encrypt.requests,
            num_rsa_encrypt_request_errors: encrypt.request_errors,
            num_rsa_encrypt_completed: encrypt.completed,
            num_rsa_encrypt_completed_errors: encrypt.completed_errors,
            num_rsa_decrypt_requests: decrypt.requests,
            num_rsa_decrypt_request_errors: decrypt.request_errors,
            num_rsa_decrypt_completed: decrypt.completed,
            num_rsa_decrypt_completed_errors: decrypt.completed_errors,
            num_kpt_rsa_decrypt_requests: 0,
            num_kpt_rsa_decrypt_request_errors: 0,
            num_kpt_rsa_decrypt_completed: 0,
            num_kpt_rsa_decrypt_completed_errors: 0,
        })
    }

    /// `cpaCyDhQueryStats64`: the instance's [`DhStats`].
    pub fn dh_stats(&self) -> Result<DhStats> {
        let phase1 = sum(self, &[DhPhase1])?;
        let phase2 = sum(self, &[DhPhase2])?;
        Ok(DhStats {
            num_dh_phase1_key_gen_requests: phase1.requests,
            num_dh_phase1_key_gen_request_errors: phase1.request_errors,
            num_dh_phase1_key_gen_completed: phase1.completed,
            num_dh_phase1_key_gen_completed_errors: phase1.completed_errors,
            num_dh_phase2_key_gen_requests: phase2.requests,
            num_dh_phase2_key_gen_request_errors: phase2.request_errors,
            num_dh_phase2_key_gen_completed: phase2.completed,
            num_dh_phase2_key_gen_completed_errors: phase2.completed_errors,
        })
    }

    /// `cpaCyDsaQueryStats64`: the instance's [`DsaStats`].
    pub fn dsa_stats(&self) -> Result<DsaStats> {
        let gen_p = sum(self, &[DsaGenP])?;
        let gen_g = sum(self, &[DsaGenG])?;
        let gen_y = sum(self, &[DsaGenY])?;
        let sign_r = sum(self, &[DsaSignR])?;
        let sign_s = sum(self, &[DsaSignS])?;
        let sign_rs = sum(self, &[DsaSignRS])?;
        let verify = sum(self, &[DsaVerify])?;
        Ok(DsaStats {
            num_dsa_p_param_gen_requests: gen_p.requests,
            num_dsa_p_param_gen_request_errors: gen_p.request_errors,
            num_dsa_p_param_gen_completed: gen_p.completed,
            num_dsa_p_param_gen_completed_errors: gen_p.completed_errors,
            num_dsa_g_param_gen_requests: gen_g.requests,
            num_dsa_g_param_gen_request_errors: gen_g.request_errors,
            num_dsa_g_param_gen_completed: gen_g.completed,
            num_dsa_g_param_gen_completed_errors: gen_g.completed_errors,
            num_dsa_y_param_gen_requests: gen_y.requests,
            num_dsa_y_param_gen_request_errors: gen_y.request_errors,
            num_dsa_y_param_gen_completed: gen_y.completed,
            num_dsa_y_param_gen_completed_errors: gen_y.completed_errors,
            num_dsa_r_sign_requests: sign_r.requests,
            num_dsa_r_sign_request_errors: sign_r.request_errors,
            num_dsa_r_sign_completed: sign_r.completed,
            num_dsa_r_sign_completed_errors: sign_r.completed_errors,
            num_dsa_s_sign_requests: sign_s.requests,
            num_dsa_s_sign_request_errors: sign_s.request_errors,
            num_dsa_s_sign_completed: sign_s.completed,
            num_dsa_s_sign_completed_errors: sign_s.completed_errors,
            num_dsa_rs_sign_requests: sign_rs.requests,
            num_dsa_rs_sign_request_errors: sign_rs.request_errors,
            num_dsa_rs_sign_completed: sign_rs.completed,
            num_dsa_rs_sign_completed_errors: sign_rs.completed_errors,
            num_dsa_verify_requests: verify.requests,
            num_dsa_verify_request_errors: verify.request_errors,
            num_dsa_verify_completed: verify.completed,
            num_dsa_verify_completed_errors: verify.completed_errors,
            num_dsa_verify_failures: verify.outcome_false,
        })
    }

    /// `cpaCyEcQueryStats64`: the instance's [`EcStats`].
    pub fn ec_stats(&self) -> Result<EcStats> {
        let multiply = sum(
            self,
            &[
                EcPointMultiply,
                EcGenericPointMultiply,
                EcMontEdwdsPointMultiply,
            ],
        )?;
        let verify = sum(self, &[EcPointVerify, EcGenericPointVerify])?;
        Ok(EcStats {
            num_ec_point_multiply_requests: multiply.requests,
            num_ec_point_multiply_request_errors: multiply.request_errors,
            num_ec_point_multiply_completed: multiply.completed,
            num_ec_point_multiply_completed_error: multiply.completed_errors,
            num_ec_point_multiply_completed_output_invalid: multiply.outcome_false,
            num_ec_point_verify_requests: verify.requests,
            num_ec_point_verify_request_errors: verify.request_errors,
            num_ec_point_verify_completed: verify.completed,
            num_ec_point_verify_completed_errors: verify.completed_errors,
            num_ec_point_verify_completed_output_invalid: verify.outcome_false,
        })
    }

    /// `cpaCyEcdhQueryStats64`: the instance's [`EcdhStats`].
    pub fn ecdh_stats(&self) -> Result<EcdhStats> {
        let multiply = sum(self, &[EcdhPointMultiply])?;
        Ok(EcdhStats {
            num_ecdh_point_multiply_requests: multiply.requests,
            num_ecdh_point_multiply_request_errors: multiply.request_errors,
            num_ecdh_point_multiply_completed: multiply.completed,
            num_ecdh_point_multiply_completed_error: multiply.completed_errors,
            num_ecdh_request_completed_output_invalid: multiply.outcome_false,
        })
    }

    /// `cpaCyEcdsaQueryStats64`: the instance's [`EcdsaStats`].
    pub fn ecdsa_stats(&self) -> Result<EcdsaStats> {
        let sign_r = sum(self, &[EcdsaSignR])?;
        let sign_s = sum(self, &[EcdsaSignS])?;
        let sign_rs = sum(self, &[EcdsaSignRS])?;
        let verify = sum(self, &[EcdsaVerify])?;
        Ok(EcdsaStats {
            num_ecdsa_sign_r_requests: sign_r.requests,
            num_ecdsa_sign_r_request_errors: sign_r.request_errors,
            num_ecdsa_sign_r_completed: sign_r.completed,
            num_ecdsa_sign_r_completed_errors: sign_r.completed_errors,
            num_ecdsa_sign_r_completed_output_invalid: sign_r.outcome_false,
            num_ecdsa_sign_s_requests: sign_s.requests,
            num_ecdsa_sign_s_request_errors: sign_s.request_errors,
            num_ecdsa_sign_s_completed: sign_s.completed,
            num_ecdsa_sign_s_completed_errors: sign_s.completed_errors,
            num_ecdsa_sign_s_completed_output_invalid: sign_s.outcome_false,
            num_ecdsa_sign_rs_requests: sign_rs.requests,
            num_ecdsa_sign_rs_request_errors: sign_rs.request_errors,
            num_ecdsa_sign_rs_completed: sign_rs.completed,
            num_ecdsa_sign_rs_completed_errors: sign_rs.completed_errors,
            num_ecdsa_sign_rs_completed_output_invalid: sign_rs.outcome_false,
            num_ecdsa_verify_requests: verify.requests,
            num_ecdsa_verify_request_errors: verify.request_errors,
            num_ecdsa_verify_completed: verify.completed,
            num_ecdsa_verify_completed_errors: verify.completed_errors,
            num_ecdsa_verify_completed_output_invalid: verify.outcome_false,
            num_kpt_ecdsa_sign_rs_completed_output_invalid: 0,
            num_kpt_ecdsa_sign_rs_completed: 0,
            num_kpt_ecdsa_sign_rs_requests: 0,
            num_kpt_ecdsa_sign_rs_request_errors: 0,
            num_kpt_ecdsa_sign_rs_completed_errors: 0,
        })
    }

    /// `cpaCyEcsm2QueryStats64`: the instance's [`Sm2Stats`].
    pub fn sm2_stats(&self) -> Result<Sm2Stats> {
        let point_multiply = sum(self, &[Sm2PointMultiply])?;
        let generator_multiply = sum(self, &[Sm2GeneratorMultiply])?;
        let point_verify = sum(self, &[Sm2PointVerify])?;
        let sign = sum(self, &[Sm2Sign])?;
        let verify = sum(self, &[Sm2Verify])?;
        let encrypt = sum(self, &[Sm2Encrypt])?;
        let decrypt = sum(self, &[Sm2Decrypt])?;
        let key_ex_phase1 = sum(self, &[Sm2KeyExPhase1])?;
        let key_ex_phase2 = sum(self, &[Sm2KeyExPhase2])?;
        Ok(Sm2Stats {
            num_ecsm2_point_multiply_requests: point_multiply.requests,
            num_ecsm2_point_multiply_request_errors: point_multiply.request_errors,
            num_ecsm2_point_multiply_completed: point_multiply.completed,
            num_ecsm2_point_multiply_completed_error: point_multiply.completed_errors,
            num_ecsm2_point_multiply_completed_output_invalid: point_multiply.outcome_false,
            num_ecsm2_generator_multiply_requests: generator_multiply.requests,
            num_ecsm2_generator_multiply_request_errors: generator_multiply.request_errors,
            num_ecsm2_generator_multiply_completed: generator_multiply.completed,
            num_ecsm2_generator_multiply_completed_error: generator_multiply.completed_errors,
            num_ecsm2_generator_multiply_completed_output_invalid: generator_multiply.outcome_false,
            num_ecsm2_point_verify_requests: point_verify.requests,
            num_ecsm2_point_verify_request_errors: point_verify.request_errors,
            num_ecsm2_point_verify_completed: point_verify.completed,
            num_ecsm2_point_verify_completed_error: point_verify.completed_errors,
            num_ecsm2_point_verify_completed_output_invalid: point_verify.outcome_false,
            num_ecsm2_sign_requests: sign.requests,
            num_ecsm2_sign_request_errors: sign.request_errors,
            num_ecsm2_sign_completed: sign.completed,
            num_ecsm2_sign_completed_error: sign.completed_errors,
            num_ecsm2_sign_completed_output_invalid: sign.outcome_false,
            num_ecsm2_verify_requests: verify.requests,
            num_ecsm2_verify_request_errors: verify.request_errors,
            num_ecsm2_verify_completed: verify.completed,
            num_ecsm2_verify_completed_error: verify.completed_errors,
            num_ecsm2_verify_completed_output_invalid: verify.outcome_false,
            num_ecsm2_encrypt_requests: encrypt.requests,
            num_ecsm2_encrypt_request_errors: encrypt.request_errors,
            num_ecsm2_encrypt_completed: encrypt.completed,
            num_ecsm2_encrypt_completed_error: encrypt.completed_errors,
            num_ecsm2_encrypt_completed_output_invalid: encrypt.outcome_false,
            num_ecsm2_decrypt_requests: decrypt.requests,
            num_ecsm2_decrypt_request_errors: decrypt.request_errors,
            num_ecsm2_decrypt_completed: decrypt.completed,
            num_ecsm2_decrypt_completed_error: decrypt.completed_errors,
            num_ecsm2_decrypt_completed_output_invalid: decrypt.outcome_false,
            num_ecsm2_key_ex_phase1_requests: key_ex_phase1.requests,
            num_ecsm2_key_ex_phase1_request_errors: key_ex_phase1.request_errors,
            num_ecsm2_key_ex_phase1_completed: key_ex_phase1.completed,
            num_ecsm2_key_ex_phase1_completed_error: key_ex_phase1.completed_errors,
            num_ecsm2_key_ex_phase1_completed_output_invalid: key_ex_phase1.outcome_false,
            num_ecsm2_key_ex_phase2_requests: key_ex_phase2.requests,
            num_ecsm2_key_ex_phase2_request_errors: key_ex_phase2.request_errors,
            num_ecsm2_key_ex_phase2_completed: key_ex_phase2.completed,
            num_ecsm2_key_ex_phase2_completed_error: key_ex_phase2.completed_errors,
            num_ecsm2_key_ex_phase2_completed_output_invalid: key_ex_phase2.outcome_false,
        })
    }

    /// `cpaCyLnStatsQuery64`: the instance's [`LnStats`].
    pub fn ln_stats(&self) -> Result<LnStats> {
        let mod_exp = sum(self, &[LnModExp])?;
        let mod_inv = sum(self, &[LnModInv])?;
        Ok(LnStats {
            num_ln_mod_exp_requests: mod_exp.requests,
            num_ln_mod_exp_request_errors: mod_exp.request_errors,
            num_ln_mod_exp_completed: mod_exp.completed,
            num_ln_mod_exp_completed_errors: mod_exp.completed_errors,
            num_ln_mod_inv_requests: mod_inv.requests,
            num_ln_mod_inv_request_errors: mod_inv.request_errors,
            num_ln_mod_inv_completed: mod_inv.completed,
            num_ln_mod_inv_completed_errors: mod_inv.completed_errors,
        })
    }

    /// `cpaCyPrimeQueryStats64`: the instance's [`PrimeStats`].
    pub fn prime_stats(&self) -> Result<PrimeStats> {
        let test = sum(self, &[PrimeTest])?;
        Ok(PrimeStats {
            num_prime_test_requests: test.requests,
            num_prime_test_request_errors: test.request_errors,
            num_prime_test_completed: test.completed,
            num_prime_test_completed_errors: test.completed_errors,
            num_prime_test_failures: test.outcome_false,
        })
    }

    /// `cpaCyKeyGenQueryStats64`: the instance's [`KeyGenStats`].
    pub fn key_gen_stats(&self) -> Result<KeyGenStats> {
        let ssl = sum(self, &[KeyGenSsl])?;
        let tls = sum(self, &[KeyGenTls, KeyGenTls2, KeyGenTls3])?;
        let mgf = sum(self, &[KeyGenMgf, KeyGenMgfExt])?;
        Ok(KeyGenStats {
            num_ssl_key_gen_requests: ssl.requests,
            num_ssl_key_gen_request_errors: ssl.request_errors,
            num_ssl_key_gen_completed: ssl.completed,
            num_ssl_key_gen_completed_errors: ssl.completed_errors,
            num_tls_key_gen_requests: tls.requests,
            num_tls_key_gen_request_errors: tls.request_errors,
            num_tls_key_gen_completed: tls.completed,
            num_tls_key_gen_completed_errors: tls.completed_errors,
            num_mgf_key_gen_requests: mgf.requests,
            num_mgf_key_gen_request_errors: mgf.request_errors,
            num_mgf_key_gen_completed: mgf.completed,
            num_mgf_key_gen_completed_errors: mgf.completed_errors,
        })
    }
}
