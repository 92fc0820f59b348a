//! The symmetric-crypto engine: ciphers, hashes and MACs, AEAD — pure compute for the sym firmware.

pub mod aead;
pub mod cipher;
pub mod hash;
pub mod mac;
