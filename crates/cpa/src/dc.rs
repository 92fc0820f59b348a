//! `cpa_dc.h`: the compression service's request status and the enums of
//! its session setup and request data.
//!
//! Values follow intel/qatlib 26.08 `quickassist/include/dc/cpa_dc.h`
//! (`CPA_DC_ZSTD` and `CPA_DC_XXHASH64` appear from 26.02).

cpa_enum! {
    /// `CpaDcReqStatus`: the status of one compression or decompression
    /// request, in `CpaDcRqResults.status`.
    ///
    /// The values −1..−21 are unchanged since qatlib 22.07. The LZ4 codes
    /// (−93, −95, −98, −100) are those of `cpa_dc.h`; the gaps between them
    /// are not defined there. Of the other codes of 26.08 (−24..−66, −101),
    /// only those softqat produces are declared: the dictionary's and the
    /// zstd decoder's (`CPA_DC_ZSTD` sessions, gen6).
    pub enum DcStatus: i8 = "CpaDcReqStatus" {
        /// No error.
        Ok = 0 => "CPA_DC_OK",
        /// Block type 3.
        InvalidBlockType = -1 => "CPA_DC_INVALID_BLOCK_TYPE",
        /// LEN does not match the one's complement NLEN.
        BadStoredBlockLen = -2 => "CPA_DC_BAD_STORED_BLOCK_LEN",
        /// HLIT > 286 or HDIST > 30.
        TooManyCodes = -3 => "CPA_DC_TOO_MANY_CODES",
        /// The code-length code is incomplete or over-subscribed.
        IncompleteCodeLens = -4 => "CPA_DC_INCOMPLETE_CODE_LENS",
        /// A repeat code with no previous length.
        RepeatedLens = -5 => "CPA_DC_REPEATED_LENS",
        /// A repeat runs past the number of lengths declared.
        MoreRepeat = -6 => "CPA_DC_MORE_REPEAT",
        /// Invalid literal/length code lengths.
        BadLitlenCodes = -7 => "CPA_DC_BAD_LITLEN_CODES",
        /// Invalid distance code lengths.
        BadDistCodes = -8 => "CPA_DC_BAD_DIST_CODES",
        /// Invalid literal/length or distance symbol.
        InvalidCode = -9 => "CPA_DC_INVALID_CODE",
        /// Distance too far back.
        InvalidDist = -10 => "CPA_DC_INVALID_DIST",
        /// The destination buffer is too small (see Table 18).
        Overflow = -11 => "CPA_DC_OVERFLOW",
        /// Other non-fatal error.
        SoftErr = -12 => "CPA_DC_SOFTERR",
        /// Fatal error.
        FatalErr = -13 => "CPA_DC_FATALERR",
        /// Maximum resubmissions exceeded.
        MaxResubmitErr = -14 => "CPA_DC_MAX_RESUBITERR",
        /// FLUSH_FINAL request whose stream has no BFINAL block.
        IncompleteFileErr = -15 => "CPA_DC_INCOMPLETE_FILE_ERR",
        /// Watchdog timer expired.
        WdogTimerErr = -16 => "CPA_DC_WDOG_TIMER_ERR",
        /// Endpoint hardware error.
        EpHardwareErr = -17 => "CPA_DC_EP_HARDWARE_ERR",
        /// Compress-and-verify found the produced block invalid.
        VerifyError = -18 => "CPA_DC_VERIFY_ERROR",
        /// Empty dynamic block.
        EmptyDymBlk = -19 => "CPA_DC_EMPTY_DYM_BLK",
        /// Integrity CRC mismatch.
        CrcIntegErr = -20 => "CPA_DC_CRC_INTEG_ERR",
        /// A buffer lies outside the memory the requester owns.
        RegionOutOfBounds = -21 => "CPA_DC_REGION_OUT_OF_BOUNDS",
        /// The dictionary does not match the stream (a zlib DICTID that is
        /// not the Adler-32 of the dictionary given) or is unusable.
        InvalidDictBuff = -28 => "CPA_DC_INVALID_DICT_BUFF",
        /// Not a zstd frame, or one whose header the decoder cannot take
        /// (unknown magic, reserved bits, a window too large, a dictionary
        /// it was not given), or whose blocks are corrupt.
        InvalidZstdFrame = -30 => "CPA_DC_INVALID_ZSTD_FRAME",
        /// A zstd literals section whose header or data is invalid.
        ZstdLiteralDecompressionDataError = -40 => "CPA_DC_ZSTD_LITERAL_DECOMPRESSION_DATA_ERROR",
        /// A zstd FSE or Huffman table with a larger accuracy log than
        /// RFC 8878 allows.
        ZstdAccuracyLogExceedsMax = -43 => "CPA_DC_ZSTD_ACCURACY_LOG_EXCEEDS_MAX",
        /// The zstd frame's content checksum does not match its content.
        ZstdFrameContentChecksumMismatch = -63 => "CPA_DC_ZSTD_FRAME_CONTENT_CHECKSUM_MISMATCH",
        /// An LZ4 block's size field exceeds the maximum block size.
        Lz4MaxBlockSizeExceeded = -93 => "CPA_DC_LZ4_MAX_BLOCK_SIZE_EXCEEDED",
        /// An LZ4 block decodes to more than the maximum block size.
        Lz4BlockOverflowErr = -95 => "CPA_DC_LZ4_BLOCK_OVERFLOW_ERR",
        /// A decoded LZ4 match offset (or length) is zero.
        Lz4TokenIsZeroErr = -98 => "CPA_DC_LZ4_TOKEN_IS_ZERO_ERR",
        /// An LZ4 match offset reaches before the start of the output.
        Lz4DistanceOutOfRangeErr = -100 => "CPA_DC_LZ4_DISTANCE_OUT_OF_RANGE_ERR",
    }
}

impl DcStatus {
    /// The numeric `CpaDcReqStatus` value, widened to `i32`.
    pub const fn code(self) -> i32 {
        self.value() as i32
    }

    /// The status with numeric value `code`, if it is one of ours.
    pub const fn from_code(code: i32) -> Option<DcStatus> {
        if code < i8::MIN as i32 || code > i8::MAX as i32 {
            return None;
        }
        DcStatus::from_value(code as i8)
    }

    /// True for the statuses Table 5 calls invalid-input-stream errors: everything
    /// except OK, OVERFLOW, FATALERR, MAX_RESUBMITERR, WDOG_TIMER_ERR, VERIFY_ERROR and
    /// EP_HARDWARE_ERR.
    pub const fn is_invalid_stream(self) -> bool {
        !matches!(
            self,
            DcStatus::Ok
                | DcStatus::Overflow
                | DcStatus::FatalErr
                | DcStatus::MaxResubmitErr
                | DcStatus::WdogTimerErr
                | DcStatus::VerifyError
                | DcStatus::EpHardwareErr
        )
    }
}

cpa_enum! {
    /// `CpaDcCompType`: the compression algorithm of a session.
    pub enum CompType: u8 = "CpaDcCompType" {
        /// Deflate (RFC 1951).
        Deflate = 3 => "CPA_DC_DEFLATE",
        /// LZ4 blocks (in an LZ4 frame when headers are generated).
        Lz4 = 4 => "CPA_DC_LZ4",
        /// LZ4S, the LZ4 variant for post-processing (compression only).
        Lz4s = 5 => "CPA_DC_LZ4S",
        /// Zstandard (qatlib 26.02 and later).
        Zstd = 6 => "CPA_DC_ZSTD",
    }
}

cpa_enum! {
    /// `CpaDcHuffType`: the Huffman trees of deflate blocks.
    pub enum HuffType: u8 = "CpaDcHuffType" {
        /// Static (fixed) Huffman trees.
        Static = 0 => "CPA_DC_HT_STATIC",
        /// Precompiled Huffman trees.
        Precomp = 1 => "CPA_DC_HT_PRECOMP",
        /// Full dynamic Huffman trees, computed on the data.
        FullDynamic = 2 => "CPA_DC_HT_FULL_DYNAMIC",
    }
}

cpa_enum! {
    /// `CpaDcAutoSelectBest`: how compression falls back when it does not pay.
    pub enum AutoSelectBest: u8 = "CpaDcAutoSelectBest" {
        /// Auto-select-best disabled.
        Disabled = 0 => "CPA_DC_ASB_DISABLED",
        /// Static or dynamic trees, whichever is smaller (deprecated).
        StaticDynamic = 1 => "CPA_DC_ASB_STATIC_DYNAMIC",
        /// Uncompressed, static or dynamic; uncompressed data in stored blocks
        /// with deflate headers (deprecated).
        UncompStaticDynamicWithStoredHdrs = 2 => "CPA_DC_ASB_UNCOMP_STATIC_DYNAMIC_WITH_STORED_HDRS",
        /// Uncompressed, static or dynamic; uncompressed data as is, without
        /// deflate headers (deprecated).
        UncompStaticDynamicWithNoHdrs = 3 => "CPA_DC_ASB_UNCOMP_STATIC_DYNAMIC_WITH_NO_HDRS",
        /// Enabled: the output is a format-compliant block either way.
        Enabled = 4 => "CPA_DC_ASB_ENABLED",
    }
}

cpa_enum! {
    /// `CpaDcAsbThreshold`: the input size below which auto-select-best
    /// in threshold mode (`cpaDcSetAsbThreshold`) leaves the data uncompressed.
    pub enum AsbThreshold: u8 = "CpaDcAsbThreshold" {
        /// 256 bytes.
        T256 = 0 => "CPA_DC_ASB_THRESHOLD_256",
        /// 512 bytes.
        T512 = 1 => "CPA_DC_ASB_THRESHOLD_512",
        /// 1024 bytes.
        T1024 = 2 => "CPA_DC_ASB_THRESHOLD_1024",
        /// 2048 bytes.
        T2048 = 3 => "CPA_DC_ASB_THRESHOLD_2048",
        /// 4096 bytes.
        T4096 = 4 => "CPA_DC_ASB_THRESHOLD_4096",
        /// 8192 bytes.
        T8192 = 5 => "CPA_DC_ASB_THRESHOLD_8192",
        /// 16384 bytes.
        T16384 = 6 => "CPA_DC_ASB_THRESHOLD_16384",
        /// 32768 bytes.
        T32768 = 7 => "CPA_DC_ASB_THRESHOLD_32768",
        /// 65536 bytes.
        T65536 = 8 => "CPA_DC_ASB_THRESHOLD_65536",
    }
}

cpa_enum! {
    /// `CpaDcAsbRatio`: the compression ratio, in sixteenths of the input,
    /// that auto-select-best in ratio mode (`cpaDcSetAsbRatio`) must beat
    /// for the compressed form to be kept.
    pub enum AsbRatio: u8 = "CpaDcAsbRatio" {
        /// 1/16.
        Sixteenths1 = 1 => "CPA_DC_ASB_RATIO_1_SIXTEENTH",
        /// 2/16.
        Sixteenths2 = 2 => "CPA_DC_ASB_RATIO_2_SIXTEENTH",
        /// 3/16.
        Sixteenths3 = 3 => "CPA_DC_ASB_RATIO_3_SIXTEENTH",
        /// 4/16.
        Sixteenths4 = 4 => "CPA_DC_ASB_RATIO_4_SIXTEENTH",
        /// 5/16.
        Sixteenths5 = 5 => "CPA_DC_ASB_RATIO_5_SIXTEENTH",
        /// 6/16.
        Sixteenths6 = 6 => "CPA_DC_ASB_RATIO_6_SIXTEENTH",
        /// 7/16.
        Sixteenths7 = 7 => "CPA_DC_ASB_RATIO_7_SIXTEENTH",
        /// 8/16.
        Sixteenths8 = 8 => "CPA_DC_ASB_RATIO_8_SIXTEENTH",
        /// 9/16.
        Sixteenths9 = 9 => "CPA_DC_ASB_RATIO_9_SIXTEENTH",
        /// 10/16.
        Sixteenths10 = 10 => "CPA_DC_ASB_RATIO_10_SIXTEENTH",
        /// 11/16.
        Sixteenths11 = 11 => "CPA_DC_ASB_RATIO_11_SIXTEENTH",
        /// 12/16.
        Sixteenths12 = 12 => "CPA_DC_ASB_RATIO_12_SIXTEENTH",
        /// 13/16.
        Sixteenths13 = 13 => "CPA_DC_ASB_RATIO_13_SIXTEENTH",
        /// 14/16.
        Sixteenths14 = 14 => "CPA_DC_ASB_RATIO_14_SIXTEENTH",
        /// 15/16.
        Sixteenths15 = 15 => "CPA_DC_ASB_RATIO_15_SIXTEENTH",
        /// 16/16.
        Sixteenths16 = 16 => "CPA_DC_ASB_RATIO_16_SIXTEENTH",
    }
}

cpa_enum! {
    /// `CpaDcSessionDir`: what a session is used for.
    pub enum SessionDirection: u8 = "CpaDcSessionDir" {
        /// Compression only.
        Compress = 0 => "CPA_DC_DIR_COMPRESS",
        /// Decompression only.
        Decompress = 1 => "CPA_DC_DIR_DECOMPRESS",
        /// Both.
        Combined = 2 => "CPA_DC_DIR_COMBINED",
    }
}

cpa_enum! {
    /// `CpaDcSessionState`: whether a session keeps state between requests.
    pub enum SessionState: u8 = "CpaDcSessionState" {
        /// State is kept between requests (one request in flight at a time).
        Stateful = 0 => "CPA_DC_STATEFUL",
        /// Every request stands alone.
        Stateless = 1 => "CPA_DC_STATELESS",
    }
}

cpa_enum! {
    /// `CpaDcChecksum`: the checksum computed over the uncompressed data.
    pub enum ChecksumType: u8 = "CpaDcChecksum" {
        /// No checksum.
        None = 0 => "CPA_DC_NONE",
        /// CRC32 (gzip).
        Crc32 = 1 => "CPA_DC_CRC32",
        /// Adler-32 (zlib).
        Adler32 = 2 => "CPA_DC_ADLER32",
        /// Both CRC32 and Adler-32; `checksum` holds the CRC32.
        Crc32Adler32 = 3 => "CPA_DC_CRC32_ADLER32",
        /// xxHash32 (LZ4 frames).
        Xxhash32 = 4 => "CPA_DC_XXHASH32",
        /// xxHash64 (qatlib 26.02 and later).
        Xxhash64 = 5 => "CPA_DC_XXHASH64",
    }
}

cpa_enum! {
    /// `CpaDcCompWindowSize`: the history window of the search.
    pub enum WindowSize: u8 = "CpaDcCompWindowSize" {
        /// 4 KiB.
        W4K = 0 => "CPA_DC_WINSIZE_4K",
        /// 8 KiB.
        W8K = 1 => "CPA_DC_WINSIZE_8K",
        /// 16 KiB.
        W16K = 2 => "CPA_DC_WINSIZE_16K",
        /// 32 KiB.
        W32K = 3 => "CPA_DC_WINSIZE_32K",
        /// 64 KiB.
        W64K = 4 => "CPA_DC_WINSIZE_64K",
    }
}

cpa_enum! {
    /// `CpaDcCompMinMatch`: the shortest match the search uses.
    pub enum MinMatch: u8 = "CpaDcCompMinMatch" {
        /// 3 bytes.
        ThreeBytes = 0 => "CPA_DC_MIN_3_BYTE_MATCH",
        /// 4 bytes.
        FourBytes = 1 => "CPA_DC_MIN_4_BYTE_MATCH",
    }
}

cpa_enum! {
    /// `CpaDcCompLZ4BlockMaxSize`: the largest LZ4 block.
    pub enum Lz4BlockMaxSize: u8 = "CpaDcCompLZ4BlockMaxSize" {
        /// 64 KiB.
        K64 = 0 => "CPA_DC_LZ4_MAX_BLOCK_SIZE_64K",
        /// 256 KiB.
        K256 = 1 => "CPA_DC_LZ4_MAX_BLOCK_SIZE_256K",
        /// 1 MiB.
        M1 = 2 => "CPA_DC_LZ4_MAX_BLOCK_SIZE_1M",
        /// 4 MiB.
        M4 = 3 => "CPA_DC_LZ4_MAX_BLOCK_SIZE_4M",
    }
}

cpa_enum! {
    /// `CpaDcFlush`: how a request ends its output.
    pub enum FlushFlag: u8 = "CpaDcFlush" {
        /// No flush.
        None = 0 => "CPA_DC_FLUSH_NONE",
        /// This request ends the stream (BFINAL is set for deflate).
        Final = 1 => "CPA_DC_FLUSH_FINAL",
        /// The output ends at a byte boundary; more follows.
        Sync = 2 => "CPA_DC_FLUSH_SYNC",
        /// As SYNC, and the next request may start anew.
        Full = 3 => "CPA_DC_FLUSH_FULL",
    }
}

cpa_enum! {
    /// `CpaDcIntegrityCrcSize`: which integrity CRCs a request asks for
    /// (`CpaDcOpData.integrityCrcSize`).
    pub enum IntegrityCrcSize: u8 = "CpaDcIntegrityCrcSize" {
        /// 32-bit integrity CRCs (`CpaCrcData.integrityCrc`).
        Crc32 = 0 => "CPA_DC_INTEGRITY_CRC32",
        /// 64-bit integrity CRCs (`CpaCrcData.integrityCrc64b`).
        Crc64 = 1 => "CPA_DC_INTEGRITY_CRC64",
    }
}
