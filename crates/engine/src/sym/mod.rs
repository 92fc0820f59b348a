//! The symmetric-crypto engine: ciphers, hashes and MACs, AEAD — pure compute for the sym firmware.

pub mod cipher;
pub mod hash;
