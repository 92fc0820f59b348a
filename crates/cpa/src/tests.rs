//! What `cpa_enum!` gives each enum, checked against the values of
//! /work/shared/reference/qatlib.md §2 (intel/qatlib 26.08 `cpa.h` and
//! `dc/cpa_dc.h`) and, for `CpaAccelerationServiceType`, `cpa.h` itself.

use super::*;

fn same<T: PartialEq + std::fmt::Debug>(a: T, b: T) {
    assert_eq!(a, b);
}

/// One table test per enum: the variants in declaration order with their CPA
/// value and C name, then values that are not defined.
macro_rules! table_test {
    (
        $test:ident, $ty:ident,
        [$(($variant:ident, $value:expr, $name:literal)),+ $(,)?],
        unknown: [$($bad:expr),+ $(,)?]
    ) => {
        #[test]
        fn $test() {
            let table = [$(($ty::$variant, $value, $name)),+];
            assert_eq!($ty::ALL.len(), table.len(), "ALL holds every value");
            for (i, (x, value, name)) in table.into_iter().enumerate() {
                assert_eq!($ty::ALL[i], x, "ALL is in declaration order");
                assert_eq!(x.value(), value, "{name}");
                assert_eq!(x.name(), name);
                assert_eq!(x.to_string(), format!("{name} ({value})"));
                assert_eq!($ty::from_value(x.value()), Some(x), "{name} round trip");
                assert_eq!($ty::try_from(value), Ok(x));
                same(value, x.into());
            }
            let mut names: Vec<&str> = $ty::ALL.iter().map(|x| x.name()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), $ty::ALL.len(), "C names are distinct");
            for bad in [$($bad),+] {
                assert_eq!($ty::from_value(bad), None, "{bad} is not a value");
                let e = $ty::try_from(bad).unwrap_err();
                assert_eq!((e.c_type, e.value), ($ty::C_TYPE, i64::from(bad)));
                assert!(e.to_string().contains($ty::C_TYPE), "{e}");
            }
        }
    };
}

table_test!(
    cpa_status,
    CpaStatus,
    [
        (Success, 0, "CPA_STATUS_SUCCESS"),
        (Fail, -1, "CPA_STATUS_FAIL"),
        (Retry, -2, "CPA_STATUS_RETRY"),
        (Resource, -3, "CPA_STATUS_RESOURCE"),
        (InvalidParam, -4, "CPA_STATUS_INVALID_PARAM"),
        (Fatal, -5, "CPA_STATUS_FATAL"),
        (Unsupported, -6, "CPA_STATUS_UNSUPPORTED"),
        (Restarting, -7, "CPA_STATUS_RESTARTING"),
    ],
    unknown: [1, -8, -99, i32::MIN, i32::MAX]
);

table_test!(
    instance_event,
    InstanceEvent,
    [
        (Restarting, 0, "CPA_INSTANCE_EVENT_RESTARTING"),
        (Restarted, 1, "CPA_INSTANCE_EVENT_RESTARTED"),
        (FatalError, 2, "CPA_INSTANCE_EVENT_FATAL_ERROR"),
    ],
    unknown: [3, u8::MAX]
);

table_test!(
    service_type,
    ServiceType,
    [
        (Crypto, 0, "CPA_ACC_SVC_TYPE_CRYPTO"),
        (DataCompression, 1, "CPA_ACC_SVC_TYPE_DATA_COMPRESSION"),
        (PatternMatch, 4, "CPA_ACC_SVC_TYPE_PATTERN_MATCH"),
        (Raid, 2, "CPA_ACC_SVC_TYPE_RAID"),
        (Xml, 3, "CPA_ACC_SVC_TYPE_XML"),
        (CryptoAsym, 5, "CPA_ACC_SVC_TYPE_CRYPTO_ASYM"),
        (CryptoSym, 6, "CPA_ACC_SVC_TYPE_CRYPTO_SYM"),
    ],
    unknown: [7, u32::MAX]
);

table_test!(
    dc_status,
    DcStatus,
    [
        (Ok, 0, "CPA_DC_OK"),
        (InvalidBlockType, -1, "CPA_DC_INVALID_BLOCK_TYPE"),
        (BadStoredBlockLen, -2, "CPA_DC_BAD_STORED_BLOCK_LEN"),
        (TooManyCodes, -3, "CPA_DC_TOO_MANY_CODES"),
        (IncompleteCodeLens, -4, "CPA_DC_INCOMPLETE_CODE_LENS"),
        (RepeatedLens, -5, "CPA_DC_REPEATED_LENS"),
        (MoreRepeat, -6, "CPA_DC_MORE_REPEAT"),
        (BadLitlenCodes, -7, "CPA_DC_BAD_LITLEN_CODES"),
        (BadDistCodes, -8, "CPA_DC_BAD_DIST_CODES"),
        (InvalidCode, -9, "CPA_DC_INVALID_CODE"),
        (InvalidDist, -10, "CPA_DC_INVALID_DIST"),
        (Overflow, -11, "CPA_DC_OVERFLOW"),
        (SoftErr, -12, "CPA_DC_SOFTERR"),
        (FatalErr, -13, "CPA_DC_FATALERR"),
        (MaxResubmitErr, -14, "CPA_DC_MAX_RESUBITERR"),
        (IncompleteFileErr, -15, "CPA_DC_INCOMPLETE_FILE_ERR"),
        (WdogTimerErr, -16, "CPA_DC_WDOG_TIMER_ERR"),
        (EpHardwareErr, -17, "CPA_DC_EP_HARDWARE_ERR"),
        (VerifyError, -18, "CPA_DC_VERIFY_ERROR"),
        (EmptyDymBlk, -19, "CPA_DC_EMPTY_DYM_BLK"),
        (CrcIntegErr, -20, "CPA_DC_CRC_INTEG_ERR"),
        (RegionOutOfBounds, -21, "CPA_DC_REGION_OUT_OF_BOUNDS"),
        (InvalidDictBuff, -28, "CPA_DC_INVALID_DICT_BUFF"),
        (InvalidZstdFrame, -30, "CPA_DC_INVALID_ZSTD_FRAME"),
        (
            ZstdLiteralDecompressionDataError,
            -40,
            "CPA_DC_ZSTD_LITERAL_DECOMPRESSION_DATA_ERROR"
        ),
        (ZstdAccuracyLogExceedsMax, -43, "CPA_DC_ZSTD_ACCURACY_LOG_EXCEEDS_MAX"),
        (
            ZstdFrameContentChecksumMismatch,
            -63,
            "CPA_DC_ZSTD_FRAME_CONTENT_CHECKSUM_MISMATCH"
        ),
        (Lz4MaxBlockSizeExceeded, -93, "CPA_DC_LZ4_MAX_BLOCK_SIZE_EXCEEDED"),
        (Lz4BlockOverflowErr, -95, "CPA_DC_LZ4_BLOCK_OVERFLOW_ERR"),
        (Lz4TokenIsZeroErr, -98, "CPA_DC_LZ4_TOKEN_IS_ZERO_ERR"),
        (Lz4DistanceOutOfRangeErr, -100, "CPA_DC_LZ4_DISTANCE_OUT_OF_RANGE_ERR"),
    ],
    unknown: [1, -22, -29, -31, -62, -64, -92, -94, -96, -97, -99, -101, i8::MIN, i8::MAX]
);

table_test!(
    comp_type,
    CompType,
    [
        (Deflate, 3, "CPA_DC_DEFLATE"),
        (Lz4, 4, "CPA_DC_LZ4"),
        (Lz4s, 5, "CPA_DC_LZ4S"),
        (Zstd, 6, "CPA_DC_ZSTD"),
    ],
    unknown: [0, 1, 2, 7, u8::MAX]
);

table_test!(
    huff_type,
    HuffType,
    [
        (Static, 0, "CPA_DC_HT_STATIC"),
        (Precomp, 1, "CPA_DC_HT_PRECOMP"),
        (FullDynamic, 2, "CPA_DC_HT_FULL_DYNAMIC"),
    ],
    unknown: [3, u8::MAX]
);

table_test!(
    auto_select_best,
    AutoSelectBest,
    [
        (Disabled, 0, "CPA_DC_ASB_DISABLED"),
        (StaticDynamic, 1, "CPA_DC_ASB_STATIC_DYNAMIC"),
        (
            UncompStaticDynamicWithStoredHdrs,
            2,
            "CPA_DC_ASB_UNCOMP_STATIC_DYNAMIC_WITH_STORED_HDRS"
        ),
        (
            UncompStaticDynamicWithNoHdrs,
            3,
            "CPA_DC_ASB_UNCOMP_STATIC_DYNAMIC_WITH_NO_HDRS"
        ),
        (Enabled, 4, "CPA_DC_ASB_ENABLED"),
    ],
    unknown: [5, u8::MAX]
);

table_test!(
    session_direction,
    SessionDirection,
    [
        (Compress, 0, "CPA_DC_DIR_COMPRESS"),
        (Decompress, 1, "CPA_DC_DIR_DECOMPRESS"),
        (Combined, 2, "CPA_DC_DIR_COMBINED"),
    ],
    unknown: [3, u8::MAX]
);

table_test!(
    session_state,
    SessionState,
    [
        (Stateful, 0, "CPA_DC_STATEFUL"),
        (Stateless, 1, "CPA_DC_STATELESS"),
    ],
    unknown: [2, u8::MAX]
);

table_test!(
    checksum_type,
    ChecksumType,
    [
        (None, 0, "CPA_DC_NONE"),
        (Crc32, 1, "CPA_DC_CRC32"),
        (Adler32, 2, "CPA_DC_ADLER32"),
        (Crc32Adler32, 3, "CPA_DC_CRC32_ADLER32"),
        (Xxhash32, 4, "CPA_DC_XXHASH32"),
        (Xxhash64, 5, "CPA_DC_XXHASH64"),
    ],
    unknown: [6, u8::MAX]
);

table_test!(
    window_size,
    WindowSize,
    [
        (W4K, 0, "CPA_DC_WINSIZE_4K"),
        (W8K, 1, "CPA_DC_WINSIZE_8K"),
        (W16K, 2, "CPA_DC_WINSIZE_16K"),
        (W32K, 3, "CPA_DC_WINSIZE_32K"),
        (W64K, 4, "CPA_DC_WINSIZE_64K"),
    ],
    unknown: [5, u8::MAX]
);

table_test!(
    min_match,
    MinMatch,
    [
        (ThreeBytes, 0, "CPA_DC_MIN_3_BYTE_MATCH"),
        (FourBytes, 1, "CPA_DC_MIN_4_BYTE_MATCH"),
    ],
    unknown: [2, u8::MAX]
);

table_test!(
    lz4_block_max_size,
    Lz4BlockMaxSize,
    [
        (K64, 0, "CPA_DC_LZ4_MAX_BLOCK_SIZE_64K"),
        (K256, 1, "CPA_DC_LZ4_MAX_BLOCK_SIZE_256K"),
        (M1, 2, "CPA_DC_LZ4_MAX_BLOCK_SIZE_1M"),
        (M4, 3, "CPA_DC_LZ4_MAX_BLOCK_SIZE_4M"),
    ],
    unknown: [4, u8::MAX]
);

table_test!(
    flush_flag,
    FlushFlag,
    [
        (None, 0, "CPA_DC_FLUSH_NONE"),
        (Final, 1, "CPA_DC_FLUSH_FINAL"),
        (Sync, 2, "CPA_DC_FLUSH_SYNC"),
        (Full, 3, "CPA_DC_FLUSH_FULL"),
    ],
    unknown: [4, u8::MAX]
);

#[test]
fn cpa_status_from_code_reads_unknown_values_as_fail() {
    for s in CpaStatus::ALL {
        assert_eq!(CpaStatus::from_code(s.code()), s);
        assert_eq!(s.code(), s.value());
    }
    for unknown in [1, -8, -99, i32::MIN] {
        assert_eq!(CpaStatus::from_code(unknown), CpaStatus::Fail);
    }
}

#[test]
fn dc_status_codes_widen_and_narrow() {
    for s in DcStatus::ALL {
        assert_eq!(s.code(), i32::from(s.value()));
        assert_eq!(DcStatus::from_code(s.code()), Some(s));
    }
    // Out of i8's range: not a status, not a wrapped one.
    for unknown in [128, -129, 256 - 11, i32::MIN, i32::MAX] {
        assert_eq!(DcStatus::from_code(unknown), None, "{unknown}");
    }
    assert!(DcStatus::Lz4TokenIsZeroErr.is_invalid_stream());
    assert!(!DcStatus::Overflow.is_invalid_stream());
}

#[test]
fn video_analytics_is_pattern_match_by_value() {
    assert_eq!(ServiceType::VIDEO_ANALYTICS.value(), 4);
    assert_eq!(ServiceType::from_value(4), Some(ServiceType::PatternMatch));
}

// `cpa_cy_sym.h` (qatlib.md §3).
use crate::sym::{
    AlgChainOrder, CipherAlgorithm, CipherDirection, HashAlgorithm, HashMode, PacketType, Priority,
    SymOp,
};

table_test!(
    sym_op,
    SymOp,
    [
        (None, 0, "CPA_CY_SYM_OP_NONE"),
        (Cipher, 1, "CPA_CY_SYM_OP_CIPHER"),
        (Hash, 2, "CPA_CY_SYM_OP_HASH"),
        (AlgorithmChaining, 3, "CPA_CY_SYM_OP_ALGORITHM_CHAINING"),
    ],
    unknown: [4, u8::MAX]
);

table_test!(
    packet_type,
    PacketType,
    [
        (Full, 1, "CPA_CY_SYM_PACKET_TYPE_FULL"),
        (Partial, 2, "CPA_CY_SYM_PACKET_TYPE_PARTIAL"),
        (LastPartial, 3, "CPA_CY_SYM_PACKET_TYPE_LAST_PARTIAL"),
    ],
    unknown: [0, 4, u8::MAX]
);

table_test!(
    cipher_algorithm,
    CipherAlgorithm,
    [
        (Null, 1, "CPA_CY_SYM_CIPHER_NULL"),
        (Arc4, 2, "CPA_CY_SYM_CIPHER_ARC4"),
        (AesEcb, 3, "CPA_CY_SYM_CIPHER_AES_ECB"),
        (AesCbc, 4, "CPA_CY_SYM_CIPHER_AES_CBC"),
        (AesCtr, 5, "CPA_CY_SYM_CIPHER_AES_CTR"),
        (AesCcm, 6, "CPA_CY_SYM_CIPHER_AES_CCM"),
        (AesGcm, 7, "CPA_CY_SYM_CIPHER_AES_GCM"),
        (DesEcb, 8, "CPA_CY_SYM_CIPHER_DES_ECB"),
        (DesCbc, 9, "CPA_CY_SYM_CIPHER_DES_CBC"),
        (TripleDesEcb, 10, "CPA_CY_SYM_CIPHER_3DES_ECB"),
        (TripleDesCbc, 11, "CPA_CY_SYM_CIPHER_3DES_CBC"),
        (TripleDesCtr, 12, "CPA_CY_SYM_CIPHER_3DES_CTR"),
        (KasumiF8, 13, "CPA_CY_SYM_CIPHER_KASUMI_F8"),
        (Snow3gUea2, 14, "CPA_CY_SYM_CIPHER_SNOW3G_UEA2"),
        (AesF8, 15, "CPA_CY_SYM_CIPHER_AES_F8"),
        (AesXts, 16, "CPA_CY_SYM_CIPHER_AES_XTS"),
        (ZucEea3, 17, "CPA_CY_SYM_CIPHER_ZUC_EEA3"),
        (Chacha, 18, "CPA_CY_SYM_CIPHER_CHACHA"),
        (Sm4Ecb, 19, "CPA_CY_SYM_CIPHER_SM4_ECB"),
        (Sm4Cbc, 20, "CPA_CY_SYM_CIPHER_SM4_CBC"),
        (Sm4Ctr, 21, "CPA_CY_SYM_CIPHER_SM4_CTR"),
    ],
    unknown: [0, 22, u8::MAX]
);

table_test!(
    cipher_direction,
    CipherDirection,
    [
        (Encrypt, 1, "CPA_CY_SYM_CIPHER_DIRECTION_ENCRYPT"),
        (Decrypt, 2, "CPA_CY_SYM_CIPHER_DIRECTION_DECRYPT"),
    ],
    unknown: [0, 3, u8::MAX]
);

table_test!(
    hash_mode,
    HashMode,
    [
        (Plain, 1, "CPA_CY_SYM_HASH_MODE_PLAIN"),
        (Auth, 2, "CPA_CY_SYM_HASH_MODE_AUTH"),
        (Nested, 3, "CPA_CY_SYM_HASH_MODE_NESTED"),
    ],
    unknown: [0, 4, u8::MAX]
);

table_test!(
    hash_algorithm,
    HashAlgorithm,
    [
        (None, 0, "CPA_CY_SYM_HASH_NONE"),
        (Md5, 1, "CPA_CY_SYM_HASH_MD5"),
        (Sha1, 2, "CPA_CY_SYM_HASH_SHA1"),
        (Sha224, 3, "CPA_CY_SYM_HASH_SHA224"),
        (Sha256, 4, "CPA_CY_SYM_HASH_SHA256"),
        (Sha384, 5, "CPA_CY_SYM_HASH_SHA384"),
        (Sha512, 6, "CPA_CY_SYM_HASH_SHA512"),
        (AesXcbc, 7, "CPA_CY_SYM_HASH_AES_XCBC"),
        (AesCcm, 8, "CPA_CY_SYM_HASH_AES_CCM"),
        (AesGcm, 9, "CPA_CY_SYM_HASH_AES_GCM"),
        (KasumiF9, 10, "CPA_CY_SYM_HASH_KASUMI_F9"),
        (Snow3gUia2, 11, "CPA_CY_SYM_HASH_SNOW3G_UIA2"),
        (AesCmac, 12, "CPA_CY_SYM_HASH_AES_CMAC"),
        (AesGmac, 13, "CPA_CY_SYM_HASH_AES_GMAC"),
        (AesCbcMac, 14, "CPA_CY_SYM_HASH_AES_CBC_MAC"),
        (ZucEia3, 15, "CPA_CY_SYM_HASH_ZUC_EIA3"),
        (Sha3_256, 16, "CPA_CY_SYM_HASH_SHA3_256"),
        (Sha3_224, 17, "CPA_CY_SYM_HASH_SHA3_224"),
        (Sha3_384, 18, "CPA_CY_SYM_HASH_SHA3_384"),
        (Sha3_512, 19, "CPA_CY_SYM_HASH_SHA3_512"),
        (Shake128, 20, "CPA_CY_SYM_HASH_SHAKE_128"),
        (Shake256, 21, "CPA_CY_SYM_HASH_SHAKE_256"),
        (Poly, 22, "CPA_CY_SYM_HASH_POLY"),
        (Sm3, 23, "CPA_CY_SYM_HASH_SM3"),
    ],
    unknown: [24, u8::MAX]
);

table_test!(
    alg_chain_order,
    AlgChainOrder,
    [
        (HashThenCipher, 1, "CPA_CY_SYM_ALG_CHAIN_ORDER_HASH_THEN_CIPHER"),
        (CipherThenHash, 2, "CPA_CY_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH"),
    ],
    unknown: [0, 3, u8::MAX]
);

table_test!(
    priority,
    Priority,
    [
        (Normal, 1, "CPA_CY_PRIORITY_NORMAL"),
        (High, 2, "CPA_CY_PRIORITY_HIGH"),
    ],
    unknown: [0, 3, u8::MAX]
);

table_test!(
    asb_threshold,
    AsbThreshold,
    [
        (T256, 0, "CPA_DC_ASB_THRESHOLD_256"),
        (T512, 1, "CPA_DC_ASB_THRESHOLD_512"),
        (T1024, 2, "CPA_DC_ASB_THRESHOLD_1024"),
        (T2048, 3, "CPA_DC_ASB_THRESHOLD_2048"),
        (T4096, 4, "CPA_DC_ASB_THRESHOLD_4096"),
        (T8192, 5, "CPA_DC_ASB_THRESHOLD_8192"),
        (T16384, 6, "CPA_DC_ASB_THRESHOLD_16384"),
        (T32768, 7, "CPA_DC_ASB_THRESHOLD_32768"),
        (T65536, 8, "CPA_DC_ASB_THRESHOLD_65536"),
    ],
    unknown: [9, u8::MAX]
);

table_test!(
    asb_ratio,
    AsbRatio,
    [
        (Sixteenths1, 1, "CPA_DC_ASB_RATIO_1_SIXTEENTH"),
        (Sixteenths2, 2, "CPA_DC_ASB_RATIO_2_SIXTEENTH"),
        (Sixteenths3, 3, "CPA_DC_ASB_RATIO_3_SIXTEENTH"),
        (Sixteenths4, 4, "CPA_DC_ASB_RATIO_4_SIXTEENTH"),
        (Sixteenths5, 5, "CPA_DC_ASB_RATIO_5_SIXTEENTH"),
        (Sixteenths6, 6, "CPA_DC_ASB_RATIO_6_SIXTEENTH"),
        (Sixteenths7, 7, "CPA_DC_ASB_RATIO_7_SIXTEENTH"),
        (Sixteenths8, 8, "CPA_DC_ASB_RATIO_8_SIXTEENTH"),
        (Sixteenths9, 9, "CPA_DC_ASB_RATIO_9_SIXTEENTH"),
        (Sixteenths10, 10, "CPA_DC_ASB_RATIO_10_SIXTEENTH"),
        (Sixteenths11, 11, "CPA_DC_ASB_RATIO_11_SIXTEENTH"),
        (Sixteenths12, 12, "CPA_DC_ASB_RATIO_12_SIXTEENTH"),
        (Sixteenths13, 13, "CPA_DC_ASB_RATIO_13_SIXTEENTH"),
        (Sixteenths14, 14, "CPA_DC_ASB_RATIO_14_SIXTEENTH"),
        (Sixteenths15, 15, "CPA_DC_ASB_RATIO_15_SIXTEENTH"),
        (Sixteenths16, 16, "CPA_DC_ASB_RATIO_16_SIXTEENTH"),
    ],
    unknown: [0, 17, u8::MAX]
);
