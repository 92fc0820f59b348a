//! Round trips through the whole stack (SAL → ring → endpoint → engine and
//! back) for every session setting, checked against independent
//! implementations: flate2 (zlib's deflate) decodes every deflate output,
//! crc32fast / simd-adler32 / xxhash-rust check every checksum, lz4_flex
//! decodes LZ4 frames. Also the framing helpers (gzip, zlib, LZ4 frame) and
//! streams made elsewhere (flate2 levels 0..9, the system's gzip).

mod common;

use common::*;
use softqat_sal::{
    AutoSelectBest, ChecksumType, CompType, DcOpData, DcStatus, FlushFlag, HuffType,
    Lz4BlockMaxSize, Qat,
};
use std::io::Read;

/// One section per test: tests of this file run in parallel threads.
fn section(name: &str) -> (Qat, softqat_sal::DcInstance) {
    let qat = start(name);
    let inst = dc0(&qat);
    (qat, inst)
}

#[test]
fn every_level_with_static_and_dynamic_huffman() {
    let (_q, inst) = section("RT_LEVELS");
    let data = corpus("calgary32");
    let mut sizes = Vec::new();
    for huff in [HuffType::Static, HuffType::Precomp, HuffType::FullDynamic] {
        for level in 1..=12u8 {
            let s = inst
                .init_session(&setup(|s| {
                    s.comp_level = level;
                    s.huff_type = huff;
                    s.auto_select_best = AutoSelectBest::Disabled;
                }))
                .unwrap();
            let (r, out) = compress_all(&inst, &s, &data);
            let what = format!("level {level} {huff:?}");
            assert_eq!(r.status, DcStatus::Ok, "{what}");
            assert_eq!(r.consumed as usize, data.len(), "{what}");
            assert!(!r.data_uncompressed, "{what}");
            assert_eq!(r.checksum, crc32(&data), "{what}: CRC32");
            assert!(
                out.len() < data.len() * 6 / 10,
                "{what}: {} bytes",
                out.len()
            );
            assert_eq!(inflate_raw(&out).unwrap(), data, "{what}: flate2 decode");
            let (d, back) = decompress_all(&inst, &s, &out, data.len());
            assert_eq!(d.status, DcStatus::Ok, "{what}");
            assert!(d.end_of_last_block, "{what}");
            assert_eq!(d.consumed as usize, out.len(), "{what}");
            assert_eq!(back, data, "{what}");
            assert_eq!(d.checksum, r.checksum, "{what}: decompression checksum");
            sizes.push((huff, level, out.len()));
        }
    }
    // Dynamic trees pay on text; deeper searches never lose much.
    let size = |h, l| sizes.iter().find(|x| x.0 == h && x.1 == l).unwrap().2;
    assert!(size(HuffType::FullDynamic, 1) < size(HuffType::Static, 1));
    assert!(size(HuffType::FullDynamic, 12) <= size(HuffType::FullDynamic, 1));
    // Precompiled trees are the fixed code in softqat: same output as static.
    for l in 1..=12 {
        assert_eq!(size(HuffType::Precomp, l), size(HuffType::Static, l));
    }
}

#[test]
fn auto_select_best_on_text_and_incompressible_data() {
    let (_q, inst) = section("RT_ASB");
    let text = corpus("calgary32");
    // 100 000 random bytes: two stored blocks' worth.
    let random = random_bytes(100_000, 7);
    let modes = [
        AutoSelectBest::Disabled,
        AutoSelectBest::StaticDynamic,
        AutoSelectBest::UncompStaticDynamicWithStoredHdrs,
        AutoSelectBest::UncompStaticDynamicWithNoHdrs,
        AutoSelectBest::Enabled,
    ];
    for asb in modes {
        for huff in [HuffType::Static, HuffType::FullDynamic] {
            let s = inst
                .init_session(&setup(|s| {
                    s.auto_select_best = asb;
                    s.huff_type = huff;
                }))
                .unwrap();
            let what = format!("{asb:?} {huff:?}");
            // Text compresses whatever the mode.
            let (r, out) = compress_all(&inst, &s, &text);
            assert_eq!(r.status, DcStatus::Ok, "{what}");
            assert!(!r.data_uncompressed, "{what}: text");
            assert!(out.len() < text.len(), "{what}");
            assert_eq!(inflate_raw(&out).unwrap(), text, "{what}");

            let n = random.len();
            let (r, out) = compress_all(&inst, &s, &random);
            assert_eq!(r.status, DcStatus::Ok, "{what}: random");
            assert_eq!(r.consumed as usize, n, "{what}");
            assert_eq!(r.checksum, crc32(&random), "{what}: CRC32 of random");
            match asb {
                AutoSelectBest::UncompStaticDynamicWithNoHdrs => {
                    // §5.1.1.3.4: the raw input, no deflate headers.
                    assert!(r.data_uncompressed, "{what}: dataUncompressed");
                    assert_eq!(out, random, "{what}: output is the input");
                }
                AutoSelectBest::Disabled => {
                    assert!(!r.data_uncompressed, "{what}");
                    // §5.1.1.4: static worst case ceil(9n/8) + 7.
                    assert!(
                        out.len() <= (9 * n).div_ceil(8) + 7,
                        "{what}: {}",
                        out.len()
                    );
                    assert_eq!(inflate_raw(&out).unwrap(), random, "{what}");
                }
                _ => {
                    // §5.1.1.3.3: at most n + ceil(n/65535)·5 (plus a final
                    // empty block's few bytes at most).
                    assert!(!r.data_uncompressed, "{what}");
                    let worst = n + n.div_ceil(65535) * 5;
                    assert!(out.len() <= worst + 5, "{what}: {} > {worst}", out.len());
                    assert_eq!(inflate_raw(&out).unwrap(), random, "{what}");
                    let (d, back) = decompress_all(&inst, &s, &out, n);
                    assert_eq!(d.status, DcStatus::Ok, "{what}");
                    assert_eq!(back, random, "{what}");
                }
            }
        }
    }
}

#[test]
fn deflate_checksums_match_independent_implementations() {
    let (_q, inst) = section("RT_CKSUM");
    let data = canterbury(100_000, 200_000);
    for ck in [
        ChecksumType::None,
        ChecksumType::Crc32,
        ChecksumType::Adler32,
        ChecksumType::Crc32Adler32,
    ] {
        let s = inst.init_session(&setup(|s| s.checksum = ck)).unwrap();
        let (r, out) = compress_all(&inst, &s, &data);
        assert_eq!(r.status, DcStatus::Ok, "{ck:?}");
        let (d, back) = decompress_all(&inst, &s, &out, data.len());
        assert_eq!(back, data, "{ck:?}");
        match ck {
            ChecksumType::None => {
                assert_eq!(r.checksum, 0, "no checksum requested");
                assert_eq!(d.checksum, 0);
            }
            ChecksumType::Crc32 => {
                assert_eq!(r.checksum, crc32(&data));
                assert_eq!(d.checksum, crc32(&data));
            }
            ChecksumType::Adler32 => {
                assert_eq!(r.checksum, adler32(&data));
                assert_eq!(d.checksum, adler32(&data));
            }
            ChecksumType::Crc32Adler32 => {
                assert_eq!(r.checksum, crc32(&data), "CRC32 part");
                assert_eq!(r.adler32, adler32(&data), "Adler32 part");
                assert_eq!((d.checksum, d.adler32), (r.checksum, r.adler32));
            }
            ChecksumType::Xxhash32 | ChecksumType::Xxhash64 => unreachable!(),
        }
    }
}

#[test]
fn lz4_frames_with_every_block_size_and_xxhash32() {
    let (_q, inst) = section("RT_LZ4");
    let data = canterbury(0, 300_000);
    for bs in [
        Lz4BlockMaxSize::K64,
        Lz4BlockMaxSize::K256,
        Lz4BlockMaxSize::M1,
        Lz4BlockMaxSize::M4,
    ] {
        for block_checksum in [false, true] {
            for ck in [ChecksumType::Xxhash32, ChecksumType::None] {
                let what = format!("{bs:?} block checksum {block_checksum} {ck:?}");
                let s = inst
                    .init_session(&setup(|s| {
                        s.comp_type = CompType::Lz4;
                        s.checksum = ck;
                        s.lz4_block_max_size = bs;
                        s.lz4_block_checksum = block_checksum;
                    }))
                    .unwrap();
                let (r, out) = compress_all(&inst, &s, &data);
                assert_eq!(r.status, DcStatus::Ok, "{what}");
                assert_eq!(r.consumed as usize, data.len(), "{what}");
                assert!(out.len() < data.len(), "{what}");
                if ck == ChecksumType::Xxhash32 {
                    assert_eq!(r.checksum, xxh32(&data), "{what}: xxHash32");
                }
                // A complete frame: header + blocks + end mark (+ content checksum).
                let mut frame = vec![0u8; 32];
                let h = s.generate_header(&mut frame).unwrap();
                frame.truncate(h);
                frame.extend_from_slice(&out);
                let mut foot = [0u8; 16];
                let f = s
                    .generate_footer(r.checksum, data.len() as u64, &mut foot)
                    .unwrap();
                frame.extend_from_slice(&foot[..f]);
                let mut decoded = Vec::new();
                lz4_flex::frame::FrameDecoder::new(&frame[..])
                    .read_to_end(&mut decoded)
                    .unwrap_or_else(|e| panic!("{what}: lz4_flex: {e}"));
                assert_eq!(decoded, data, "{what}: lz4_flex decode");
                // And back through the stack (the blocks, as produced).
                let (d, back) = decompress_all(&inst, &s, &out, data.len());
                assert_eq!(d.status, DcStatus::Ok, "{what}");
                assert_eq!(back, data, "{what}");
                if ck == ChecksumType::Xxhash32 {
                    assert_eq!(d.checksum, r.checksum, "{what}");
                }
            }
        }
    }
    // Incompressible data stays within cpaDcLZ4CompressBound.
    let random = random_bytes(150_000, 3);
    let s = inst
        .init_session(&setup(|s| {
            s.comp_type = CompType::Lz4;
            s.checksum = ChecksumType::Xxhash32;
        }))
        .unwrap();
    let (r, out) = compress_all(&inst, &s, &random);
    assert_eq!(r.status, DcStatus::Ok);
    assert_eq!(r.checksum, xxh32(&random));
    let (_, back) = decompress_all(&inst, &s, &out, random.len());
    assert_eq!(back, random);
}

#[test]
fn empty_one_byte_and_incompressible_inputs() {
    let (_q, inst) = section("RT_EDGE");
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("1 byte", b"Q".to_vec()),
        ("random 65535", random_bytes(65_535, 11)),
        ("random 65536", random_bytes(65_536, 12)),
    ];
    for (name, data) in &inputs {
        for ck in [ChecksumType::Crc32, ChecksumType::Adler32] {
            for huff in [HuffType::Static, HuffType::FullDynamic] {
                let what = format!("{name} {ck:?} {huff:?}");
                let s = inst
                    .init_session(&setup(|s| {
                        s.checksum = ck;
                        s.huff_type = huff;
                    }))
                    .unwrap();
                let (r, out) = compress_all(&inst, &s, data);
                assert_eq!(r.status, DcStatus::Ok, "{what}");
                assert_eq!(r.consumed as usize, data.len(), "{what}");
                assert!(!out.is_empty(), "{what}: a final block is always written");
                let want = match ck {
                    ChecksumType::Crc32 => crc32(data),
                    _ => adler32(data),
                };
                assert_eq!(r.checksum, want, "{what}");
                assert_eq!(&inflate_raw(&out).unwrap(), data, "{what}: flate2");
                let (d, back) = decompress_all(&inst, &s, &out, data.len() + 1);
                assert_eq!(d.status, DcStatus::Ok, "{what}");
                assert!(d.end_of_last_block, "{what}");
                assert_eq!(&back, data, "{what}");
                assert_eq!(d.checksum, want, "{what}");
            }
        }
        // LZ4 too.
        let s = inst
            .init_session(&setup(|s| {
                s.comp_type = CompType::Lz4;
                s.checksum = ChecksumType::Xxhash32;
            }))
            .unwrap();
        let (r, out) = compress_all(&inst, &s, data);
        assert_eq!(r.status, DcStatus::Ok, "{name} LZ4");
        assert_eq!(r.checksum, xxh32(data), "{name} LZ4 xxHash32");
        let (_, back) = decompress_all(&inst, &s, &out, data.len() + 1);
        assert_eq!(&back, data, "{name} LZ4");
    }
}

#[test]
fn gzip_and_zlib_framing_decode_with_flate2() {
    let (_q, inst) = section("RT_FRAME");
    let data = canterbury(500_000, 150_000);
    // CRC32 → gzip (RFC 1952).
    let s = inst
        .init_session(&setup(|s| {
            s.checksum = ChecksumType::Crc32;
            s.comp_level = 6;
        }))
        .unwrap();
    let (r, out) = compress_all(&inst, &s, &data);
    let mut gz = vec![0u8; 64];
    let h = s.generate_header(&mut gz).unwrap();
    assert!(h >= 10, "gzip header is at least 10 bytes, got {h}");
    assert_eq!(&gz[..3], &[0x1f, 0x8b, 8], "gzip magic and CM=8");
    gz.truncate(h);
    gz.extend_from_slice(&out);
    let mut foot = [0u8; 8];
    assert_eq!(
        s.generate_footer(r.checksum, data.len() as u64, &mut foot)
            .unwrap(),
        8
    );
    assert_eq!(&foot[..4], &crc32(&data).to_le_bytes());
    assert_eq!(&foot[4..], &(data.len() as u32).to_le_bytes());
    gz.extend_from_slice(&foot);
    let mut back = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut back)
        .expect("GzDecoder accepts the stream");
    assert_eq!(back, data);

    // Adler32 → zlib (RFC 1950).
    let s = inst
        .init_session(&setup(|s| s.checksum = ChecksumType::Adler32))
        .unwrap();
    let (r, out) = compress_all(&inst, &s, &data);
    let mut z = vec![0u8; 8];
    let h = s.generate_header(&mut z).unwrap();
    assert_eq!(h, 2, "zlib header is 2 bytes");
    assert_eq!((u16::from(z[0]) << 8 | u16::from(z[1])) % 31, 0, "FCHECK");
    z.truncate(h);
    z.extend_from_slice(&out);
    let mut foot = [0u8; 4];
    assert_eq!(s.generate_footer(r.checksum, 0, &mut foot).unwrap(), 4);
    assert_eq!(foot, adler32(&data).to_be_bytes());
    z.extend_from_slice(&foot);
    let mut back = Vec::new();
    flate2::read::ZlibDecoder::new(&z[..])
        .read_to_end(&mut back)
        .expect("ZlibDecoder accepts the stream");
    assert_eq!(back, data);

    // Raw deflate has no framing.
    let s = inst
        .init_session(&setup(|s| s.checksum = ChecksumType::None))
        .unwrap();
    assert_eq!(s.generate_header(&mut [0u8; 16]).unwrap(), 0);
    assert_eq!(s.generate_footer(0, 0, &mut [0u8; 16]).unwrap(), 0);

    // A destination too small for the header is refused.
    let s = inst.init_session(&setup(|_| {})).unwrap();
    let msg = expect_status(
        s.generate_header(&mut [0u8; 4]),
        softqat_sal::CpaStatus::InvalidParam,
    );
    assert!(msg.contains("bytes"), "{msg}");
}

#[test]
fn streams_from_flate2_at_every_level_decompress() {
    let (_q, inst) = section("RT_FLATE2");
    let data = canterbury(1_000_000, 120_000);
    for ck in [ChecksumType::Crc32, ChecksumType::Adler32] {
        let s = inst.init_session(&setup(|s| s.checksum = ck)).unwrap();
        for level in 0..=9 {
            let stream = deflate_raw(&data, level);
            let (d, back) = decompress_all(&inst, &s, &stream, data.len());
            assert_eq!(d.status, DcStatus::Ok, "flate2 level {level}");
            assert!(d.end_of_last_block, "flate2 level {level}");
            assert_eq!(d.consumed as usize, stream.len(), "flate2 level {level}");
            assert_eq!(back, data, "flate2 level {level}");
            let want = if ck == ChecksumType::Crc32 {
                crc32(&data)
            } else {
                adler32(&data)
            };
            assert_eq!(d.checksum, want, "flate2 level {level} {ck:?}");
        }
    }
}

/// The deflate payload of a gzip member and its CRC32 and ISIZE.
fn gzip_payload(gz: &[u8]) -> (&[u8], u32, u32) {
    assert_eq!(&gz[..3], &[0x1f, 0x8b, 8], "gzip magic");
    let flg = gz[3];
    let mut i = 10;
    if flg & 4 != 0 {
        let xlen = usize::from(u16::from_le_bytes([gz[i], gz[i + 1]]));
        i += 2 + xlen;
    }
    for bit in [8u8, 16] {
        if flg & bit != 0 {
            while gz[i] != 0 {
                i += 1;
            }
            i += 1;
        }
    }
    if flg & 2 != 0 {
        i += 2;
    }
    let n = gz.len();
    let crc = u32::from_le_bytes(gz[n - 8..n - 4].try_into().unwrap());
    let isize = u32::from_le_bytes(gz[n - 4..].try_into().unwrap());
    (&gz[i..n - 8], crc, isize)
}

#[test]
fn system_gzip_payload_decompresses() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    assert!(
        Command::new("gzip").arg("--version").output().is_ok(),
        "gzip is not installed: this test checks softqat against it (apt-get install gzip)"
    );
    let (_q, inst) = section("RT_GZIP");
    let data = canterbury(1_500_000, 200_000);
    let s = inst
        .init_session(&setup(|s| s.checksum = ChecksumType::Crc32))
        .unwrap();
    for flag in ["-1", "-6", "-9"] {
        let mut child = Command::new("gzip")
            .args(["-c", "-n", flag])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let input = data.clone();
        let writer = std::thread::spawn(move || stdin.write_all(&input).unwrap());
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        assert!(out.status.success(), "gzip {flag} failed");
        let (payload, crc, isize) = gzip_payload(&out.stdout);
        assert_eq!(isize as usize, data.len());
        let (d, back) = decompress_all(&inst, &s, payload, data.len());
        assert_eq!(d.status, DcStatus::Ok, "gzip {flag}");
        assert_eq!(d.consumed as usize, payload.len(), "gzip {flag}");
        assert_eq!(back, data, "gzip {flag}");
        assert_eq!(
            d.checksum, crc,
            "gzip {flag}: CRC32 equals the gzip trailer's"
        );
    }
}

#[test]
fn checksum_is_carried_across_the_requests_of_a_stream() {
    let (_q, inst) = section("RT_CARRY");
    let data = canterbury(200_000, 250_000);
    let parts: Vec<&[u8]> = data.chunks(70_000).collect();
    assert_eq!(parts.len(), 4);
    for ck in [
        ChecksumType::Crc32,
        ChecksumType::Adler32,
        ChecksumType::Crc32Adler32,
    ] {
        let s = inst.init_session(&setup(|s| s.checksum = ck)).unwrap();
        let mut stream = Vec::new();
        let mut pieces = Vec::new();
        let mut prev: Option<softqat_sal::DcResults> = None;
        for (i, part) in parts.iter().enumerate() {
            let flush = if i + 1 == parts.len() {
                FlushFlag::Final
            } else {
                FlushFlag::Full
            };
            let mut op = DcOpData::new(flush);
            if let Some(p) = &prev {
                op = op.continuing(p);
            }
            let (r, out) = compress_with(&inst, &s, part, &op);
            assert_eq!(r.status, DcStatus::Ok, "{ck:?} part {i}");
            assert_eq!(r.consumed as usize, part.len(), "{ck:?} part {i}");
            stream.extend_from_slice(&out);
            pieces.push(out);
            prev = Some(r);
        }
        let last = prev.unwrap();
        match ck {
            ChecksumType::Crc32 => assert_eq!(last.checksum, crc32(&data)),
            ChecksumType::Adler32 => assert_eq!(last.checksum, adler32(&data)),
            _ => {
                assert_eq!(last.checksum, crc32(&data), "CRC32 part");
                assert_eq!(last.adler32, adler32(&data), "Adler32 part");
            }
        }
        assert_eq!(
            inflate_raw(&stream).unwrap(),
            data,
            "{ck:?}: flate2 decodes the stream"
        );
        // One request for the whole stream.
        let (d, back) = decompress_all(&inst, &s, &stream, data.len());
        assert_eq!(back, data);
        assert_eq!(
            d.checksum, last.checksum,
            "{ck:?}: one-request decompression"
        );
        if ck == ChecksumType::Crc32Adler32 {
            assert_eq!(d.adler32, last.adler32, "Adler32 part");
        }
        // Request by request, carrying the checksum, as it was compressed.
        let mut prev: Option<softqat_sal::DcResults> = None;
        let mut back = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            let last_piece = i + 1 == pieces.len();
            let mut op = DcOpData::new(if last_piece {
                FlushFlag::Final
            } else {
                FlushFlag::Full
            });
            if let Some(p) = &prev {
                op = op.continuing(p);
            }
            let mut out = vec![0u8; parts[i].len()];
            let d = inst.decompress(&s, piece, &mut out, &op).unwrap();
            assert_eq!(d.status, DcStatus::Ok, "{ck:?} piece {i}");
            assert_eq!(d.consumed as usize, piece.len(), "{ck:?} piece {i}");
            assert_eq!(d.end_of_last_block, last_piece, "{ck:?} piece {i}");
            back.extend_from_slice(&out[..d.produced as usize]);
            prev = Some(d);
        }
        assert_eq!(back, data);
        assert_eq!(prev.unwrap().checksum, last.checksum, "{ck:?}");
    }
}

#[test]
fn compression_overflow_is_an_exception_that_resubmits_into_a_complete_stream() {
    let (_q, inst) = section("RT_OVF_C");
    let data = canterbury(300_000, 100_000);
    for asb in [
        AutoSelectBest::Disabled,
        AutoSelectBest::UncompStaticDynamicWithStoredHdrs,
    ] {
        let s = inst
            .init_session(&setup(|s| s.auto_select_best = asb))
            .unwrap();
        let before = inst.stats();
        let mut dst = vec![0u8; 8_000];
        let mut stream = Vec::new();
        let mut off = 0;
        let mut prev: Option<softqat_sal::DcResults> = None;
        let mut overflows = 0;
        loop {
            let mut op = DcOpData::new(FlushFlag::Final);
            if let Some(p) = &prev {
                op = op.continuing(p);
            }
            let r = inst.compress(&s, &data[off..], &mut dst, &op).unwrap();
            match r.status {
                DcStatus::Overflow => {
                    // Table 18: an exception — partial consumed and produced.
                    overflows += 1;
                    assert!(r.consumed > 0, "{asb:?}: overflow consumed nothing");
                    assert!((r.consumed as usize) < data.len() - off);
                    assert!(r.produced > 0 && r.produced as usize <= dst.len());
                    assert_eq!(r.checksum, crc32(&data[..off + r.consumed as usize]));
                }
                DcStatus::Ok => assert_eq!(r.consumed as usize, data.len() - off),
                other => panic!("{asb:?}: unexpected status {other}"),
            }
            stream.extend_from_slice(&dst[..r.produced as usize]);
            off += r.consumed as usize;
            let ok = r.status == DcStatus::Ok;
            prev = Some(r);
            if ok {
                break;
            }
            assert!(overflows < 200, "no progress");
        }
        assert!(overflows >= 2, "{asb:?}: 100 kB of text cannot fit 8 kB");
        assert_eq!(
            prev.unwrap().checksum,
            crc32(&data),
            "{asb:?}: carried CRC32"
        );
        assert_eq!(inflate_raw(&stream).unwrap(), data, "{asb:?}: flate2");
        let (d, back) = decompress_all(&inst, &s, &stream, data.len());
        assert_eq!(d.status, DcStatus::Ok);
        assert_eq!(back, data);
        let after = inst.stats();
        assert_eq!(
            after.num_comp_requests - before.num_comp_requests,
            overflows + 1
        );
    }
}

#[test]
fn decompression_overflow_is_an_error_with_nothing_consumed_or_produced() {
    let (_q, inst) = section("RT_OVF_D");
    let data = corpus("calgary32");
    for comp_type in [CompType::Deflate, CompType::Lz4] {
        let s = inst
            .init_session(&setup(|s| {
                s.comp_type = comp_type;
                s.checksum = ChecksumType::None;
            }))
            .unwrap();
        let (_, out) = compress_all(&inst, &s, &data);
        let before = inst.stats();
        let mut small = vec![0u8; data.len() / 2];
        let d = inst
            .decompress(&s, &out, &mut small, &DcOpData::new(FlushFlag::Final))
            .unwrap();
        assert_eq!(d.status, DcStatus::Overflow, "{comp_type:?}");
        assert_eq!((d.consumed, d.produced), (0, 0), "{comp_type:?}: Table 18");
        let after = inst.stats();
        assert_eq!(after.num_decomp_requests, before.num_decomp_requests + 1);
        assert_eq!(
            after.num_decomp_completed_errors,
            before.num_decomp_completed_errors + 1,
            "{comp_type:?}: an overflow in decompression is an error"
        );
        // One byte short still overflows; the exact size succeeds.
        let mut exact = vec![0u8; data.len() - 1];
        let d = inst
            .decompress(&s, &out, &mut exact, &DcOpData::new(FlushFlag::Final))
            .unwrap();
        assert_eq!(d.status, DcStatus::Overflow);
        assert_eq!((d.consumed, d.produced), (0, 0));
        let (d, back) = decompress_all(&inst, &s, &out, data.len());
        assert_eq!(d.status, DcStatus::Ok);
        assert_eq!(back, data);
    }
}

#[test]
fn async_round_trip_matches_sync_output() {
    use std::sync::{Arc, Mutex};
    let (_q, inst) = section("RT_ASYNC");
    let data = canterbury(50_000, 64_000);
    let got: Arc<Mutex<Vec<softqat_sal::DcCompletion>>> = Arc::default();
    let g = got.clone();
    let s = inst
        .init_session_async(&setup(|_| {}), move |c| g.lock().unwrap().push(c))
        .unwrap();
    let src = softqat_sal::DmaBuf::from_slice(&data);
    let dst = softqat_sal::DmaBuf::new(softqat_sal::deflate_compress_bound(data.len()));
    inst.submit_compress(&s, src, dst, &DcOpData::new(FlushFlag::Final), 42)
        .unwrap();
    poll_until(&inst, std::time::Duration::from_secs(10), || {
        !got.lock().unwrap().is_empty()
    });
    let c = got.lock().unwrap().pop().unwrap();
    assert_eq!(c.tag, 42);
    assert_eq!(c.status, softqat_sal::CpaStatus::Success);
    assert_eq!(c.results.status, DcStatus::Ok);
    assert_eq!(c.results.checksum, crc32(&data));
    assert_eq!(&c.src[..], &data[..], "source handed back unchanged");
    assert_eq!(
        c.dst.len(),
        c.results.produced as usize,
        "dst length = produced"
    );
    assert_eq!(inflate_raw(&c.dst).unwrap(), data);
    // Decompress the returned buffer asynchronously too.
    let back = softqat_sal::DmaBuf::new(data.len());
    inst.submit_decompress(&s, c.dst, back, &DcOpData::new(FlushFlag::Final), 43)
        .unwrap();
    poll_until(&inst, std::time::Duration::from_secs(10), || {
        !got.lock().unwrap().is_empty()
    });
    let d = got.lock().unwrap().pop().unwrap();
    assert_eq!(d.tag, 43);
    assert_eq!(d.results.status, DcStatus::Ok);
    assert_eq!(&d.dst[..], &data[..]);
}

#[test]
fn lz4_compression_overflow_resubmits_into_a_complete_frame() {
    let (_q, inst) = section("RT_OVF_LZ4");
    let data = canterbury(0, 400_000);
    let s = inst
        .init_session(&setup(|s| {
            s.comp_type = CompType::Lz4;
            s.checksum = ChecksumType::None;
            s.lz4_block_max_size = Lz4BlockMaxSize::K64;
        }))
        .unwrap();
    let mut dst = vec![0u8; 60_000];
    let mut blocks = Vec::new();
    let mut off = 0;
    let mut overflows = 0;
    loop {
        let r = inst
            .compress(&s, &data[off..], &mut dst, &DcOpData::new(FlushFlag::Final))
            .unwrap();
        match r.status {
            DcStatus::Overflow => {
                overflows += 1;
                assert!(r.consumed > 0, "overflow consumed nothing");
                assert!(r.produced as usize <= dst.len());
            }
            DcStatus::Ok => assert_eq!(r.consumed as usize, data.len() - off),
            other => panic!("unexpected status {other}"),
        }
        blocks.extend_from_slice(&dst[..r.produced as usize]);
        off += r.consumed as usize;
        if r.status == DcStatus::Ok {
            break;
        }
        assert!(overflows < 100, "no progress");
    }
    assert!(overflows >= 1, "400 kB of text cannot fit 60 kB");
    let mut frame = vec![0u8; 32];
    let h = s.generate_header(&mut frame).unwrap();
    frame.truncate(h);
    frame.extend_from_slice(&blocks);
    let mut foot = [0u8; 16];
    let f = s.generate_footer(0, data.len() as u64, &mut foot).unwrap();
    frame.extend_from_slice(&foot[..f]);
    let mut decoded = Vec::new();
    lz4_flex::frame::FrameDecoder::new(&frame[..])
        .read_to_end(&mut decoded)
        .expect("lz4_flex decodes the resubmitted frame");
    assert_eq!(decoded, data);
}
