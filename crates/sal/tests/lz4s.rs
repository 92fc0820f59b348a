//! LZ4S sessions through the whole stack (a gen4 endpoint of the built-in
//! configuration): requests produce LZ4S blocks that decode to their input,
//! carry the xxHash32 of their input, fit `cpaDcLZ4SCompressBound`, and
//! become zstd frames libzstd decodes — the QAT zstd plugin's path.

mod common;

use common::{corpus, dc0, random_bytes, start, xxh32};
use softqat_sal::{
    ChecksumType, CompType, CpaStatus, DcOpData, DcSessionSetup, FlushFlag, MinMatch,
    SessionDirection,
};

fn lz4s_setup(level: u8, min_match: MinMatch) -> DcSessionSetup {
    DcSessionSetup {
        comp_level: level,
        comp_type: CompType::Lz4s,
        direction: SessionDirection::Compress,
        checksum: ChecksumType::Xxhash32,
        min_match,
        ..DcSessionSetup::default()
    }
}

#[test]
fn lz4s_requests_decode_and_become_zstd_frames() {
    let qat = start("LZ4S_A");
    let inst = dc0(&qat);
    assert!(inst.capabilities().stateless_lz4s_compression);
    let data = corpus("calgary");
    let data = &data[..600_000];
    let mut enc = softqat_engine::zstd::ZstdEncoder::new();
    for (level, mm, bits) in [
        (1, MinMatch::ThreeBytes, 3u8),
        (9, MinMatch::ThreeBytes, 3),
        (6, MinMatch::FourBytes, 4),
    ] {
        let sess = inst.init_session(&lz4s_setup(level, mm)).unwrap();
        let mut frame = vec![0u8; softqat_sal::zstd_compress_bound(data.len())];
        let opts = softqat_engine::zstd::FrameOptions {
            content_size: Some(data.len() as u64),
            checksum: true,
        };
        let mut at = enc.begin_frame(opts, &mut frame).unwrap();
        let chunks: Vec<&[u8]> = data.chunks(64 << 10).collect();
        for (k, chunk) in chunks.iter().enumerate() {
            let mut out = vec![0u8; softqat_sal::lz4s_compress_bound(chunk.len())];
            let r = inst
                .compress(&sess, chunk, &mut out, &DcOpData::new(FlushFlag::Final))
                .unwrap();
            assert_eq!(r.consumed as usize, chunk.len());
            assert_eq!(r.checksum, xxh32(chunk));
            let block = &out[..r.produced as usize];
            let mut back = vec![0u8; chunk.len()];
            assert_eq!(
                softqat_engine::lz4s::decode(block, bits, &mut back),
                Ok(chunk.len())
            );
            assert!(back == *chunk);
            let last = k + 1 == chunks.len();
            at += enc
                .blocks_from_lz4s(chunk, block, bits, last, &mut frame[at..])
                .unwrap();
        }
        let decoded = zstd::stream::decode_all(&frame[..at]).unwrap();
        assert!(decoded == data, "level {level}");
        assert!(at < data.len() / 2, "level {level}: {at} bytes");
    }
}

#[test]
fn lz4s_sessions_compress_only_and_fit_their_bound() {
    let qat = start("LZ4S_B");
    let inst = dc0(&qat);
    let sess = inst
        .init_session(&lz4s_setup(1, MinMatch::FourBytes))
        .unwrap();
    for n in [1usize, 2_000, 65_536, 200_001] {
        let data = random_bytes(n, n as u64);
        let mut out = vec![0u8; softqat_sal::lz4s_compress_bound(n)];
        let r = inst
            .compress(&sess, &data, &mut out, &DcOpData::new(FlushFlag::Final))
            .unwrap();
        assert_eq!(r.consumed as usize, n);
        assert!(r.produced as usize <= out.len());
    }
    let mut back = vec![0u8; 100];
    let e = inst
        .decompress(&sess, &[0x00], &mut back, &DcOpData::new(FlushFlag::Final))
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam);
    let combined = DcSessionSetup {
        direction: SessionDirection::Combined,
        ..lz4s_setup(1, MinMatch::FourBytes)
    };
    assert_eq!(
        inst.init_session(&combined).unwrap_err().status,
        CpaStatus::Unsupported
    );
}
