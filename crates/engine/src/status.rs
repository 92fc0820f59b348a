//! `CpaDcReqStatus`: the per-request status of the compression service.
//!
//! Values follow qatlib's `cpa_dc.h` (unchanged since 22.07 for −1..−21). The
//! LZ4 codes (−93, −95, −98, −100) are those of intel/qatlib
//! `quickassist/include/dc/cpa_dc.h`; the gaps between them are not defined
//! there.

/// Status of one compression or decompression request (`CpaDcReqStatus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i8)]
pub enum DcStatus {
    /// CPA_DC_OK: no error.
    Ok = 0,
    /// CPA_DC_INVALID_BLOCK_TYPE: block type 3.
    InvalidBlockType = -1,
    /// CPA_DC_BAD_STORED_BLOCK_LEN: LEN does not match the one's complement NLEN.
    BadStoredBlockLen = -2,
    /// CPA_DC_TOO_MANY_CODES: HLIT > 286 or HDIST > 30.
    TooManyCodes = -3,
    /// CPA_DC_INCOMPLETE_CODE_LENS: the code-length code is incomplete or over-subscribed.
    IncompleteCodeLens = -4,
    /// CPA_DC_REPEATED_LENS: a repeat code with no previous length.
    RepeatedLens = -5,
    /// CPA_DC_MORE_REPEAT: a repeat runs past the number of lengths declared.
    MoreRepeat = -6,
    /// CPA_DC_BAD_LITLEN_CODES: invalid literal/length code lengths.
    BadLitlenCodes = -7,
    /// CPA_DC_BAD_DIST_CODES: invalid distance code lengths.
    BadDistCodes = -8,
    /// CPA_DC_INVALID_CODE: invalid literal/length or distance symbol.
    InvalidCode = -9,
    /// CPA_DC_INVALID_DIST: distance too far back.
    InvalidDist = -10,
    /// CPA_DC_OVERFLOW: the destination buffer is too small (see Table 18).
    Overflow = -11,
    /// CPA_DC_SOFTERR: other non-fatal error.
    SoftErr = -12,
    /// CPA_DC_FATALERR: fatal error.
    FatalErr = -13,
    /// CPA_DC_MAX_RESUBITERR: maximum resubmissions exceeded.
    MaxResubmitErr = -14,
    /// CPA_DC_INCOMPLETE_FILE_ERR: FLUSH_FINAL request whose stream has no BFINAL block.
    IncompleteFileErr = -15,
    /// CPA_DC_WDOG_TIMER_ERR: watchdog timer expired.
    WdogTimerErr = -16,
    /// CPA_DC_EP_HARDWARE_ERR: endpoint hardware error.
    EpHardwareErr = -17,
    /// CPA_DC_VERIFY_ERROR: compress-and-verify found the produced block invalid.
    VerifyError = -18,
    /// CPA_DC_EMPTY_DYM_BLK: empty dynamic block.
    EmptyDymBlk = -19,
    /// CPA_DC_CRC_INTEG_ERR: integrity CRC mismatch.
    CrcIntegErr = -20,
    /// CPA_DC_REGION_OUT_OF_BOUNDS: a buffer lies outside the memory the requester owns.
    RegionOutOfBounds = -21,
    /// CPA_DC_LZ4_MAX_BLOCK_SIZE_EXCEEDED: an LZ4 block's size field exceeds the
    /// maximum block size.
    Lz4MaxBlockSizeExceeded = -93,
    /// CPA_DC_LZ4_BLOCK_OVERFLOW_ERR: an LZ4 block decodes to more than the maximum
    /// block size.
    Lz4BlockOverflowErr = -95,
    /// CPA_DC_LZ4_TOKEN_IS_ZERO_ERR: a decoded LZ4 match offset (or length) is zero.
    Lz4TokenIsZeroErr = -98,
    /// CPA_DC_LZ4_DISTANCE_OUT_OF_RANGE_ERR: an LZ4 match offset reaches before the
    /// start of the output.
    Lz4DistanceOutOfRangeErr = -100,
}

impl DcStatus {
    /// Every status, in numeric order from 0 downwards.
    pub const ALL: [DcStatus; 26] = [
        DcStatus::Ok,
        DcStatus::InvalidBlockType,
        DcStatus::BadStoredBlockLen,
        DcStatus::TooManyCodes,
        DcStatus::IncompleteCodeLens,
        DcStatus::RepeatedLens,
        DcStatus::MoreRepeat,
        DcStatus::BadLitlenCodes,
        DcStatus::BadDistCodes,
        DcStatus::InvalidCode,
        DcStatus::InvalidDist,
        DcStatus::Overflow,
        DcStatus::SoftErr,
        DcStatus::FatalErr,
        DcStatus::MaxResubmitErr,
        DcStatus::IncompleteFileErr,
        DcStatus::WdogTimerErr,
        DcStatus::EpHardwareErr,
        DcStatus::VerifyError,
        DcStatus::EmptyDymBlk,
        DcStatus::CrcIntegErr,
        DcStatus::RegionOutOfBounds,
        DcStatus::Lz4MaxBlockSizeExceeded,
        DcStatus::Lz4BlockOverflowErr,
        DcStatus::Lz4TokenIsZeroErr,
        DcStatus::Lz4DistanceOutOfRangeErr,
    ];

    /// The numeric `CpaDcReqStatus` value.
    pub fn code(self) -> i32 {
        self as i8 as i32
    }

    /// The status with numeric value `code`, if it is one of ours.
    pub fn from_code(code: i32) -> Option<DcStatus> {
        DcStatus::ALL.iter().copied().find(|s| s.code() == code)
    }

    /// The C name, e.g. `CPA_DC_OVERFLOW`.
    pub fn name(self) -> &'static str {
        match self {
            DcStatus::Ok => "CPA_DC_OK",
            DcStatus::InvalidBlockType => "CPA_DC_INVALID_BLOCK_TYPE",
            DcStatus::BadStoredBlockLen => "CPA_DC_BAD_STORED_BLOCK_LEN",
            DcStatus::TooManyCodes => "CPA_DC_TOO_MANY_CODES",
            DcStatus::IncompleteCodeLens => "CPA_DC_INCOMPLETE_CODE_LENS",
            DcStatus::RepeatedLens => "CPA_DC_REPEATED_LENS",
            DcStatus::MoreRepeat => "CPA_DC_MORE_REPEAT",
            DcStatus::BadLitlenCodes => "CPA_DC_BAD_LITLEN_CODES",
            DcStatus::BadDistCodes => "CPA_DC_BAD_DIST_CODES",
            DcStatus::InvalidCode => "CPA_DC_INVALID_CODE",
            DcStatus::InvalidDist => "CPA_DC_INVALID_DIST",
            DcStatus::Overflow => "CPA_DC_OVERFLOW",
            DcStatus::SoftErr => "CPA_DC_SOFTERR",
            DcStatus::FatalErr => "CPA_DC_FATALERR",
            DcStatus::MaxResubmitErr => "CPA_DC_MAX_RESUBITERR",
            DcStatus::IncompleteFileErr => "CPA_DC_INCOMPLETE_FILE_ERR",
            DcStatus::WdogTimerErr => "CPA_DC_WDOG_TIMER_ERR",
            DcStatus::EpHardwareErr => "CPA_DC_EP_HARDWARE_ERR",
            DcStatus::VerifyError => "CPA_DC_VERIFY_ERROR",
            DcStatus::EmptyDymBlk => "CPA_DC_EMPTY_DYM_BLK",
            DcStatus::CrcIntegErr => "CPA_DC_CRC_INTEG_ERR",
            DcStatus::RegionOutOfBounds => "CPA_DC_REGION_OUT_OF_BOUNDS",
            DcStatus::Lz4MaxBlockSizeExceeded => "CPA_DC_LZ4_MAX_BLOCK_SIZE_EXCEEDED",
            DcStatus::Lz4BlockOverflowErr => "CPA_DC_LZ4_BLOCK_OVERFLOW_ERR",
            DcStatus::Lz4TokenIsZeroErr => "CPA_DC_LZ4_TOKEN_IS_ZERO_ERR",
            DcStatus::Lz4DistanceOutOfRangeErr => "CPA_DC_LZ4_DISTANCE_OUT_OF_RANGE_ERR",
        }
    }

    /// True for the statuses Table 5 calls invalid-input-stream errors: everything
    /// except OK, OVERFLOW, FATALERR, MAX_RESUBMITERR, WDOG_TIMER_ERR, VERIFY_ERROR and
    /// EP_HARDWARE_ERR.
    pub fn is_invalid_stream(self) -> bool {
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

impl std::fmt::Display for DcStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name(), self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_contiguous() {
        // 0..−21 are contiguous; the LZ4 codes follow at −93, −95, −98, −100.
        let (deflate, lz4) = DcStatus::ALL.split_at(22);
        for (i, s) in deflate.iter().enumerate() {
            assert_eq!(s.code(), -(i as i32));
        }
        let lz4_codes: Vec<i32> = lz4.iter().map(|s| s.code()).collect();
        assert_eq!(lz4_codes, [-93, -95, -98, -100]);
        for s in DcStatus::ALL {
            assert_eq!(DcStatus::from_code(s.code()), Some(s));
            assert!(s.name().starts_with("CPA_DC_"));
        }
        for unknown in [1, -22, -92, -94, -96, -97, -99, -101] {
            assert_eq!(DcStatus::from_code(unknown), None, "{unknown}");
        }
        assert!(DcStatus::Lz4TokenIsZeroErr.is_invalid_stream());
    }
}
