//! `cpa_cy_sym.h`: the enums of the symmetric crypto service's session setup
//! and request data, and the capability bitmaps' sizes.
//!
//! Values follow intel/qatlib 26.08 `quickassist/include/lac/cpa_cy_sym.h`
//! and `cpa_cy_common.h` (`CpaCyPriority`). They travel as `u8` in softqat's
//! descriptors; a C caller's `int` narrows with `try_from` first.

cpa_enum! {
    /// `CpaCySymOp`: what a session does.
    pub enum SymOp: u8 = "CpaCySymOp" {
        /// No operation.
        None = 0 => "CPA_CY_SYM_OP_NONE",
        /// Cipher only.
        Cipher = 1 => "CPA_CY_SYM_OP_CIPHER",
        /// Hash only.
        Hash = 2 => "CPA_CY_SYM_OP_HASH",
        /// A cipher chained with a hash, and the authenticated ciphers
        /// (CCM, GCM, ChaCha20-Poly1305).
        AlgorithmChaining = 3 => "CPA_CY_SYM_OP_ALGORITHM_CHAINING",
    }
}

cpa_enum! {
    /// `CpaCySymPacketType`: a whole message, or part of one.
    pub enum PacketType: u8 = "CpaCySymPacketType" {
        /// A whole message.
        Full = 1 => "CPA_CY_SYM_PACKET_TYPE_FULL",
        /// The first or a middle part: the state is kept in the session.
        Partial = 2 => "CPA_CY_SYM_PACKET_TYPE_PARTIAL",
        /// The last part.
        LastPartial = 3 => "CPA_CY_SYM_PACKET_TYPE_LAST_PARTIAL",
    }
}

cpa_enum! {
    /// `CpaCySymCipherAlgorithm`.
    pub enum CipherAlgorithm: u8 = "CpaCySymCipherAlgorithm" {
        /// No cipher: data passes unchanged.
        Null = 1 => "CPA_CY_SYM_CIPHER_NULL",
        /// ARC4.
        Arc4 = 2 => "CPA_CY_SYM_CIPHER_ARC4",
        /// AES in ECB mode.
        AesEcb = 3 => "CPA_CY_SYM_CIPHER_AES_ECB",
        /// AES in CBC mode.
        AesCbc = 4 => "CPA_CY_SYM_CIPHER_AES_CBC",
        /// AES in counter mode.
        AesCtr = 5 => "CPA_CY_SYM_CIPHER_AES_CTR",
        /// AES-CCM (with hash `AES_CCM`).
        AesCcm = 6 => "CPA_CY_SYM_CIPHER_AES_CCM",
        /// AES-GCM (with hash `AES_GCM` or `AES_GMAC`).
        AesGcm = 7 => "CPA_CY_SYM_CIPHER_AES_GCM",
        /// DES in ECB mode.
        DesEcb = 8 => "CPA_CY_SYM_CIPHER_DES_ECB",
        /// DES in CBC mode.
        DesCbc = 9 => "CPA_CY_SYM_CIPHER_DES_CBC",
        /// Triple DES in ECB mode.
        TripleDesEcb = 10 => "CPA_CY_SYM_CIPHER_3DES_ECB",
        /// Triple DES in CBC mode.
        TripleDesCbc = 11 => "CPA_CY_SYM_CIPHER_3DES_CBC",
        /// Triple DES in counter mode.
        TripleDesCtr = 12 => "CPA_CY_SYM_CIPHER_3DES_CTR",
        /// KASUMI f8 (3GPP TS 35.201).
        KasumiF8 = 13 => "CPA_CY_SYM_CIPHER_KASUMI_F8",
        /// SNOW 3G UEA2.
        Snow3gUea2 = 14 => "CPA_CY_SYM_CIPHER_SNOW3G_UEA2",
        /// AES in F8 mode (RFC 3711).
        AesF8 = 15 => "CPA_CY_SYM_CIPHER_AES_F8",
        /// AES-XTS (IEEE 1619).
        AesXts = 16 => "CPA_CY_SYM_CIPHER_AES_XTS",
        /// ZUC 128-EEA3.
        ZucEea3 = 17 => "CPA_CY_SYM_CIPHER_ZUC_EEA3",
        /// ChaCha20 (with hash `POLY`: ChaCha20-Poly1305).
        Chacha = 18 => "CPA_CY_SYM_CIPHER_CHACHA",
        /// SM4 in ECB mode.
        Sm4Ecb = 19 => "CPA_CY_SYM_CIPHER_SM4_ECB",
        /// SM4 in CBC mode.
        Sm4Cbc = 20 => "CPA_CY_SYM_CIPHER_SM4_CBC",
        /// SM4 in counter mode.
        Sm4Ctr = 21 => "CPA_CY_SYM_CIPHER_SM4_CTR",
    }
}

cpa_enum! {
    /// `CpaCySymCipherDirection`.
    pub enum CipherDirection: u8 = "CpaCySymCipherDirection" {
        /// Encrypt.
        Encrypt = 1 => "CPA_CY_SYM_CIPHER_DIRECTION_ENCRYPT",
        /// Decrypt.
        Decrypt = 2 => "CPA_CY_SYM_CIPHER_DIRECTION_DECRYPT",
    }
}

cpa_enum! {
    /// `CpaCySymHashMode`.
    pub enum HashMode: u8 = "CpaCySymHashMode" {
        /// A plain hash.
        Plain = 1 => "CPA_CY_SYM_HASH_MODE_PLAIN",
        /// HMAC for the MD5/SHA/SM3 family; every MAC is in this mode.
        Auth = 2 => "CPA_CY_SYM_HASH_MODE_AUTH",
        /// Nested: outer(outer prefix ‖ inner(inner prefix ‖ message)).
        Nested = 3 => "CPA_CY_SYM_HASH_MODE_NESTED",
    }
}

cpa_enum! {
    /// `CpaCySymHashAlgorithm`.
    pub enum HashAlgorithm: u8 = "CpaCySymHashAlgorithm" {
        /// No hash.
        None = 0 => "CPA_CY_SYM_HASH_NONE",
        /// MD5.
        Md5 = 1 => "CPA_CY_SYM_HASH_MD5",
        /// SHA-1.
        Sha1 = 2 => "CPA_CY_SYM_HASH_SHA1",
        /// SHA-224.
        Sha224 = 3 => "CPA_CY_SYM_HASH_SHA224",
        /// SHA-256.
        Sha256 = 4 => "CPA_CY_SYM_HASH_SHA256",
        /// SHA-384.
        Sha384 = 5 => "CPA_CY_SYM_HASH_SHA384",
        /// SHA-512.
        Sha512 = 6 => "CPA_CY_SYM_HASH_SHA512",
        /// AES-XCBC-MAC.
        AesXcbc = 7 => "CPA_CY_SYM_HASH_AES_XCBC",
        /// The MAC of AES-CCM.
        AesCcm = 8 => "CPA_CY_SYM_HASH_AES_CCM",
        /// The tag of AES-GCM.
        AesGcm = 9 => "CPA_CY_SYM_HASH_AES_GCM",
        /// KASUMI f9.
        KasumiF9 = 10 => "CPA_CY_SYM_HASH_KASUMI_F9",
        /// SNOW 3G UIA2.
        Snow3gUia2 = 11 => "CPA_CY_SYM_HASH_SNOW3G_UIA2",
        /// AES-CMAC.
        AesCmac = 12 => "CPA_CY_SYM_HASH_AES_CMAC",
        /// AES-GMAC.
        AesGmac = 13 => "CPA_CY_SYM_HASH_AES_GMAC",
        /// AES-CBC-MAC.
        AesCbcMac = 14 => "CPA_CY_SYM_HASH_AES_CBC_MAC",
        /// ZUC 128-EIA3.
        ZucEia3 = 15 => "CPA_CY_SYM_HASH_ZUC_EIA3",
        /// SHA3-256.
        Sha3_256 = 16 => "CPA_CY_SYM_HASH_SHA3_256",
        /// SHA3-224.
        Sha3_224 = 17 => "CPA_CY_SYM_HASH_SHA3_224",
        /// SHA3-384.
        Sha3_384 = 18 => "CPA_CY_SYM_HASH_SHA3_384",
        /// SHA3-512.
        Sha3_512 = 19 => "CPA_CY_SYM_HASH_SHA3_512",
        /// SHAKE128.
        Shake128 = 20 => "CPA_CY_SYM_HASH_SHAKE_128",
        /// SHAKE256.
        Shake256 = 21 => "CPA_CY_SYM_HASH_SHAKE_256",
        /// Poly1305 (with cipher `CHACHA`).
        Poly = 22 => "CPA_CY_SYM_HASH_POLY",
        /// SM3.
        Sm3 = 23 => "CPA_CY_SYM_HASH_SM3",
    }
}

cpa_enum! {
    /// `CpaCySymAlgChainOrder`.
    pub enum AlgChainOrder: u8 = "CpaCySymAlgChainOrder" {
        /// Hash, then cipher (the digest may be ciphered too).
        HashThenCipher = 1 => "CPA_CY_SYM_ALG_CHAIN_ORDER_HASH_THEN_CIPHER",
        /// Cipher, then hash the ciphertext.
        CipherThenHash = 2 => "CPA_CY_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH",
    }
}

cpa_enum! {
    /// `CpaCyPriority` (`cpa_cy_common.h`): a session's priority.
    pub enum Priority: u8 = "CpaCyPriority" {
        /// Normal priority.
        Normal = 1 => "CPA_CY_PRIORITY_NORMAL",
        /// High priority.
        High = 2 => "CPA_CY_PRIORITY_HIGH",
    }
}

/// Bits of the cipher capability bitmap (`CPA_CY_SYM_CIPHER_CAP_BITMAP_SIZE`):
/// bit `n` is cipher value `n`.
pub const CIPHER_CAP_BITMAP_SIZE: u32 = 32;
/// Bits of the hash capability bitmap (`CPA_CY_SYM_HASH_CAP_BITMAP_SIZE`).
pub const HASH_CAP_BITMAP_SIZE: u32 = 32;

/// `CpaCySymSessionUpdateData.flags`: update the cipher key.
pub const SESUPD_CIPHER_KEY: u32 = 1 << 0;
/// `CpaCySymSessionUpdateData.flags`: update the cipher direction.
pub const SESUPD_CIPHER_DIR: u32 = 1 << 1;
/// `CpaCySymSessionUpdateData.flags`: update the authentication key.
pub const SESUPD_AUTH_KEY: u32 = 1 << 2;
