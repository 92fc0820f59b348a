//! `CpaDcReqStatus`: the per-request status of the compression service.
//!
//! Declared once in [`softqat_cpa::dc`], with the values and C names of
//! qatlib's `cpa_dc.h`; re-exported here, where the engine's codecs report it.

pub use softqat_cpa::DcStatus;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_contiguous() {
        // 0..−21 are contiguous; the dictionary's −28, the zstd codes and
        // the LZ4 codes (−93, −95, −98, −100) follow.
        let (deflate, rest) = DcStatus::ALL.split_at(22);
        let (dict, rest) = rest.split_at(1);
        let (zstd, lz4) = rest.split_at(4);
        assert_eq!(dict, [DcStatus::InvalidDictBuff]);
        let zstd_codes: Vec<i32> = zstd.iter().map(|s| s.code()).collect();
        assert_eq!(zstd_codes, [-30, -40, -43, -63]);
        for (i, s) in deflate.iter().enumerate() {
            assert_eq!(s.code(), -(i as i32));
        }
        let lz4_codes: Vec<i32> = lz4.iter().map(|s| s.code()).collect();
        assert_eq!(lz4_codes, [-93, -95, -98, -100]);
        for s in DcStatus::ALL {
            assert_eq!(DcStatus::from_code(s.code()), Some(s));
            assert!(s.name().starts_with("CPA_DC_"));
        }
        for unknown in [1, -22, -27, -29, -31, -62, -92, -94, -96, -97, -99, -101] {
            assert_eq!(DcStatus::from_code(unknown), None, "{unknown}");
        }
        assert!(DcStatus::Lz4TokenIsZeroErr.is_invalid_stream());
    }
}
