//! Partial reads (`cpaDcDpEnqueueOpWithPartRead`) and zero padding
//! (`cpaDcDpEnqueueOpWithZeroPad`) in the engine, checked against zlib
//! (flate2 compresses; the region must equal the same bytes of the
//! original input) on corpus data and random regions, for streams of
//! stored, fixed and dynamic blocks and for streams the engine wrote.

mod common;

use std::io::Write;

use softqat_engine::checksum::crc32;
use softqat_engine::dc::{
    zero_pad, AutoSelectBest, ChecksumType, DcAlgorithm, DcEngine, DcParams, DcRequest,
    ZERO_PAD_ALIGN,
};
use softqat_engine::deflate::{HuffmanMode, SearchDepth};
use softqat_engine::lz4::BlockFormat;
use softqat_engine::DcStatus;

fn params(algorithm: DcAlgorithm, checksum: ChecksumType) -> DcParams {
    DcParams {
        algorithm,
        huffman: HuffmanMode::Dynamic,
        asb: AutoSelectBest::Disabled,
        checksum,
        depth: SearchDepth(1),
        min_match: 3,
        lz4: BlockFormat::QAT_DEFAULT,
    }
}

fn request() -> DcRequest {
    DcRequest {
        final_flush: true,
        verify: false,
        recover: false,
        overflow_is_error: true,
        seed_crc32: 0,
        seed_adler32: 1,
        inject: None,
    }
}

fn zlib_raw(data: &[u8], level: u32) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

#[test]
fn regions_equal_the_original_bytes() {
    let data = common::corpus("calgary")[..400_000].to_vec();
    let p = params(DcAlgorithm::Deflate, ChecksumType::Crc32);
    let mut e = DcEngine::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // Level 0: stored blocks only; 1 and 9: fixed and dynamic blocks.
    for level in [0, 1, 9] {
        let stream = zlib_raw(&data, level);
        let mut cases = vec![
            (0usize, 4096usize),
            (4096, 4096),
            (data.len() - 4096, 4096),
            // Runs past the end: the region is what there is.
            (data.len() - 100, 4096),
            // Starts past the end: nothing.
            (data.len() + 10, 4096),
            (0, 0),
        ];
        for _ in 0..40 {
            cases.push((rng.below(data.len()), 1 + rng.below(70_000)));
        }
        for (offset, len) in cases {
            let mut dst = vec![0xAAu8; len + 16];
            let r = e
                .decompress_part(&p, &request(), &stream, &mut dst, offset as u32, len as u32)
                .unwrap();
            let want = &data[offset.min(data.len())..(offset + len).min(data.len())];
            assert_eq!(r.status, DcStatus::Ok, "level {level} at {offset}+{len}");
            assert_eq!(
                r.produced as usize,
                want.len(),
                "level {level} at {offset}+{len}"
            );
            assert_eq!(&dst[..want.len()], want, "level {level} at {offset}+{len}");
            assert!(
                dst[want.len()..].iter().all(|&b| b == 0xAA),
                "nothing past it"
            );
            assert_eq!(r.checksum, crc32(0, want));
            // A region reaching the end reads the whole stream; one that
            // does not may stop early (or find the end within the slack it
            // decodes ahead).
            if offset + len >= data.len() {
                assert!(r.end_of_last_block, "level {level} at {offset}+{len}");
            }
            if r.end_of_last_block {
                assert_eq!(r.consumed as usize, stream.len());
            } else {
                assert!((r.consumed as usize) < stream.len());
            }
        }
    }
}

#[test]
fn engine_streams_and_errors() {
    let data: Vec<u8> = (0..200_000u32)
        .map(|i| (i / 7 % 251) as u8 ^ (i >> 11) as u8)
        .collect();
    let p = params(DcAlgorithm::Deflate, ChecksumType::Adler32);
    let mut e = DcEngine::new();
    let mut stream = vec![0u8; data.len() * 2];
    let c = e.compress(&p, &request(), &data, &mut stream).unwrap();
    assert_eq!(c.status, DcStatus::Ok);
    stream.truncate(c.produced as usize);
    let mut dst = vec![0u8; 8192];
    let r = e
        .decompress_part(&p, &request(), &stream, &mut dst, 123_456, 8192)
        .unwrap();
    assert_eq!((r.status, r.produced), (DcStatus::Ok, 8192));
    assert_eq!(&dst[..], &data[123_456..123_456 + 8192]);
    // A region larger than the destination.
    let r = e
        .decompress_part(&p, &request(), &stream, &mut dst[..100], 0, 101)
        .unwrap();
    assert_eq!((r.status, r.produced), (DcStatus::Overflow, 0));
    // A corrupt stream keeps its status (block type 3).
    let r = e
        .decompress_part(&p, &request(), &[0x07, 0], &mut dst, 0, 10)
        .unwrap();
    assert_eq!(r.status, DcStatus::InvalidBlockType);
    // A stream cut short, asked for past where it ends.
    let r = e
        .decompress_part(
            &p,
            &request(),
            &stream[..stream.len() / 2],
            &mut dst,
            190_000,
            100,
        )
        .unwrap();
    assert_eq!(r.status, DcStatus::IncompleteFileErr);
    // LZ4 sessions do not take partial reads.
    let lz4 = params(DcAlgorithm::Lz4, ChecksumType::None);
    let r = e
        .decompress_part(&lz4, &request(), &stream, &mut dst, 0, 10)
        .unwrap();
    assert_eq!(r.status, DcStatus::SoftErr);
}

#[test]
fn zero_padding_fills_to_the_next_4k() {
    assert_eq!(ZERO_PAD_ALIGN, 4096);
    for (produced, cap, end) in [
        (1usize, 10_000usize, 4096usize),
        (4096, 10_000, 4096),
        (4097, 10_000, 8192),
        (9000, 10_000, 10_000),
        (0, 100, 0),
    ] {
        let mut dst = vec![0xFFu8; cap];
        assert_eq!(zero_pad(&mut dst, produced), end, "{produced} in {cap}");
        assert!(dst[..produced].iter().all(|&b| b == 0xFF));
        assert!(dst[produced..end].iter().all(|&b| b == 0));
        assert!(dst[end..].iter().all(|&b| b == 0xFF));
    }
}
