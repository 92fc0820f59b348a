//! The public-key engine: QAT's asymmetric calls as the raw primitives they
//! are (unpadded RSA, ECDSA with the caller's k, arbitrary-scalar point
//! multiplies, modular exponentiation, prime tests) and key generation
//! (SSL/TLS PRFs, HKDF, MGF1).
//!
//! Every function takes flat big-endian numbers as byte slices and writes
//! its results into caller-sized output slices, left-padded with zeros, as
//! QAT's flat buffers hold them. A number that does not fit its output, a
//! zero modulus, a point off its curve is an [`AsymError`], never a panic.
//!
//! Layout:
//! - [`bn`]: the safe wrapper over aws-lc's BIGNUM arithmetic (FFI; the
//!   only other unsafe code is in `ec_sys` and `awslc`); everything else
//!   builds on it.
//! - [`rsa`]: raw RSA encrypt/decrypt (representations 1 and 2) and key
//!   derivation from two primes.
//! - [`ln`]: the large-number service, modular exponentiation and inversion.
//! - [`prime`]: the prime test (GCD, Fermat, Miller-Rabin, strong Lucas).
//! - [`dh`]: Diffie-Hellman phases 1 and 2.
//! - [`dsa`]: DSA P/G/Y generation, signing with the caller's k, verification.
//! - `awslc`: the safe wrapper over aws-lc's fixed-size byte-array
//!   primitives (X25519) (FFI).
//! - `ec_sys`: the safe wrapper over aws-lc's EC_GROUP / EC_POINT (FFI).
//! - `ec_generic`: the constant-time ladder for curves aws-lc cannot take
//!   and fixed-width residues for secret scalars.
//! - [`ec`]: EC point multiply / verify (generic and older calls) and ECDH.
//! - [`ecdsa`]: ECDSA sign (r, s, rs) with the caller's k, and verify.
//! - [`sm2`]: the ten SM2 primitives on the GB/T 32918.5 curve.
//! - [`montedwds`]: point multiplication on Curve25519, Edwards25519,
//!   Curve448 and Edwards448 (`cpaCyEcMontEdwdsPointMultiply`).
//! - [`keygen`]: SSL 3.0 and TLS 1.0-1.2 PRFs, TLS 1.3 HKDF with labels, MGF1
//!   (the `cpaCyKeyGen*` calls).
//!
//! Secrets (private exponents, scalars, nonces) go only through the
//! constant-time paths of [`bn`] (`mod_exp_secret`, `mod_inverse_prime`), or
//! for the RFC 7748 curves through [`montedwds`]'s constant-time arithmetic.

mod awslc;
pub mod bn;
pub mod dh;
pub mod dsa;
pub mod ec;
mod ec_generic;
mod ec_sys;
pub mod ecdsa;
pub mod keygen;
pub mod ln;
pub mod montedwds;
pub mod prime;
pub mod rsa;
pub mod sm2;

/// Why a public-key operation was refused or failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AsymError {
    /// An input is malformed, out of range or of the wrong size
    /// (CPA_STATUS_INVALID_PARAM): the text names which and why.
    #[error("invalid parameter: {0}")]
    InvalidParam(&'static str),
    /// The operation ran but has no result for these inputs, e.g. a number
    /// without a modular inverse (CPA_STATUS_FAIL).
    #[error("the operation failed: {0}")]
    Failed(&'static str),
    /// The arithmetic library could not allocate (CPA_STATUS_RESOURCE).
    #[error("out of memory in the big-number library")]
    NoMemory,
}

/// The result of a public-key call.
pub type AsymResult<T> = Result<T, AsymError>;
