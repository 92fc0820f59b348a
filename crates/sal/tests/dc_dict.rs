//! Preset dictionaries (`cpaDcCompressDataWithDict`,
//! `cpaDcDecompressDataWithDict`) on a 6xxx (gen6) endpoint, against zlib
//! (zlib-rs through its C API): softqat's output decodes with zlib's raw
//! inflate after `inflateSetDictionary`, zlib's `deflateSetDictionary`
//! output decodes with softqat given the same dictionary, on random
//! dictionaries and inputs; the refusals follow qatlib's rules; classes
//! without dictionaries (4xxx, c6xx) answer UNSUPPORTED.

mod common;

use common::*;
use softqat_sal::{
    CpaStatus, DcDictionary, DcInstance, DcOpData, DcSession, DcStatus, DictType, FlushFlag,
    HuffType, Qat, SessionDirection,
};

/// A 6xxx endpoint running `dc`, one section `[name]` of one polled Dc
/// instance.
fn gen6_conf(name: &str) -> String {
    dc_endpoint_conf(name, &[1], 128, 1)
}

fn start_class(file: &str, name: &str) -> (TempDir, Qat, DcInstance) {
    let dir = TempDir::with_files(name, &[(file, &gen6_conf(name))]);
    let qat = Qat::start_with(name, &dir.options(1)).unwrap();
    let inst = dc0(&qat);
    (dir, qat, inst)
}

fn gen6(name: &str) -> (TempDir, Qat, DcInstance) {
    start_class("6xxx_dev0.conf", name)
}

/// xorshift64*: reproducible pseudo-random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// Text-like bytes from an alphabet of `k` letters.
    fn text(&mut self, n: usize, k: u8) -> Vec<u8> {
        (0..n)
            .map(|_| b'a' + (self.next() % u64::from(k)) as u8)
            .collect()
    }
}

/// A dictionary and an input that reuses pieces of it (so matches reach
/// into the dictionary) mixed with fresh text.
fn dict_and_input(r: &mut Rng) -> (Vec<u8>, Vec<u8>) {
    let dict_len = [1usize, 100, 4_000, 32_768, 50_000][r.below(5)];
    let alphabet = 6 + r.below(20) as u8;
    let dict = r.text(dict_len, alphabet);
    let mut input = Vec::new();
    let target = 1 + r.below(60_000);
    while input.len() < target {
        if r.below(3) > 0 {
            let at = r.below(dict.len());
            let n = (1 + r.below(200)).min(dict.len() - at);
            input.extend_from_slice(&dict[at..at + n]);
        } else {
            let n = 1 + r.below(100);
            input.extend(r.text(n, 26));
        }
    }
    input.truncate(target);
    (dict, input)
}

/// zlib's raw inflate (`windowBits` -15) of `src` with `dict` set first.
fn zlib_inflate_dict(src: &[u8], dict: &[u8], cap: usize) -> Result<Vec<u8>, i32> {
    use libz_rs_sys::*;
    let mut out = vec![0u8; cap];
    // SAFETY: the stream is initialised by inflateInit2_ before use, its
    // buffers point into `src`, `dict` and `out`, which outlive every call,
    // and it is released with inflateEnd.
    unsafe {
        let mut strm = z_stream::default();
        let ret = inflateInit2_(
            &mut strm,
            -15,
            zlibVersion(),
            std::mem::size_of::<z_stream>() as i32,
        );
        assert_eq!(ret, Z_OK);
        assert_eq!(
            inflateSetDictionary(&mut strm, dict.as_ptr(), dict.len() as u32),
            Z_OK
        );
        strm.next_in = src.as_ptr();
        strm.avail_in = src.len() as u32;
        strm.next_out = out.as_mut_ptr();
        strm.avail_out = cap as u32;
        let ret = inflate(&mut strm, Z_FINISH);
        let total = strm.total_out as usize;
        inflateEnd(&mut strm);
        if ret != Z_STREAM_END {
            return Err(ret);
        }
        out.truncate(total);
        Ok(out)
    }
}

/// zlib's raw deflate (`windowBits` -15) of `src` at `level` with `dict`.
fn zlib_deflate_dict(src: &[u8], dict: &[u8], level: i32) -> Vec<u8> {
    use libz_rs_sys::*;
    let cap = src.len() + src.len() / 8 + 1024;
    let mut out = vec![0u8; cap];
    // SAFETY: as in zlib_inflate_dict.
    unsafe {
        let mut strm = z_stream::default();
        let ret = deflateInit2_(
            &mut strm,
            level,
            Z_DEFLATED,
            -15,
            8,
            Z_DEFAULT_STRATEGY,
            zlibVersion(),
            std::mem::size_of::<z_stream>() as i32,
        );
        assert_eq!(ret, Z_OK);
        assert_eq!(
            deflateSetDictionary(&mut strm, dict.as_ptr(), dict.len() as u32),
            Z_OK
        );
        strm.next_in = src.as_ptr();
        strm.avail_in = src.len() as u32;
        strm.next_out = out.as_mut_ptr();
        strm.avail_out = cap as u32;
        assert_eq!(deflate(&mut strm, Z_FINISH), Z_STREAM_END);
        out.truncate(strm.total_out as usize);
        deflateEnd(&mut strm);
        out
    }
}

/// The dictionary sample's session: deflate, dynamic Huffman, combined,
/// CRC32, at `level`.
fn session(inst: &DcInstance, level: u8) -> DcSession {
    inst.init_session(&setup(|s| {
        s.comp_level = level;
        s.huff_type = HuffType::FullDynamic;
        s.direction = SessionDirection::Combined;
    }))
    .unwrap()
}

fn final_op() -> DcOpData {
    DcOpData::new(FlushFlag::Final)
}

fn compress(inst: &DcInstance, s: &DcSession, data: &[u8], dict: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; softqat_sal::deflate_compress_bound(data.len())];
    let r = inst
        .compress_with_dict(s, data, &mut out, &DcDictionary::new(dict), &final_op())
        .unwrap();
    assert_eq!(r.status, DcStatus::Ok);
    assert_eq!(r.consumed as usize, data.len());
    assert_eq!(r.checksum, crc32(data), "CRC32 of the input only");
    out.truncate(r.produced as usize);
    out
}

#[test]
fn dictionary_output_decodes_with_zlib_and_softqat_on_random_inputs() {
    let (_d, _q, inst) = gen6("DICTRT");
    assert!(inst.capabilities().dictionary);
    let mut r = Rng(0x6d1c_7000_0000_0001);
    for case in 0..24 {
        let (dict, input) = dict_and_input(&mut r);
        let level = [1u8, 6, 9, 12][case % 4];
        let s = session(&inst, level);
        let stream = compress(&inst, &s, &input, &dict);
        // zlib, with the dictionary as history.
        let back = zlib_inflate_dict(&stream, &dict, input.len() + 16)
            .unwrap_or_else(|e| panic!("case {case}: zlib says {e}"));
        assert_eq!(back, input, "case {case}");
        // softqat's own decompression with the dictionary.
        let mut out = vec![0u8; input.len()];
        let d = inst
            .decompress_with_dict(
                &s,
                &stream,
                &mut out,
                &DcDictionary::new(&dict),
                &final_op(),
            )
            .unwrap();
        assert_eq!((d.status, d.produced as usize), (DcStatus::Ok, input.len()));
        assert_eq!(out, input, "case {case}");
        assert_eq!(d.checksum, crc32(&input));
    }
}

#[test]
fn dictionaries_help_where_the_input_repeats_them() {
    let (_d, _q, inst) = gen6("DICTGAIN");
    let mut r = Rng(7);
    let dict = r.text(20_000, 26);
    let input = dict[5_000..15_000].to_vec();
    let s = session(&inst, 6);
    let with = compress(&inst, &s, &input, &dict);
    let (_, without) = compress_all(&inst, &s, &input);
    // 10 000 letters of the dictionary: a few matches with it, ~60% of the
    // input without.
    assert!(
        with.len() * 20 < without.len(),
        "{} vs {}",
        with.len(),
        without.len()
    );
}

#[test]
fn zlib_dictionary_streams_decode_with_decompress_with_dict() {
    let (_d, _q, inst) = gen6("DICTZLIB");
    let s = session(&inst, 1);
    let mut r = Rng(0x2545);
    for case in 0..18 {
        let (dict, input) = dict_and_input(&mut r);
        let level = [1, 6, 9][case % 3];
        let stream = zlib_deflate_dict(&input, &dict, level);
        let mut out = vec![0u8; input.len() + 10];
        let d = inst
            .decompress_with_dict(
                &s,
                &stream,
                &mut out,
                &DcDictionary::new(&dict),
                &final_op(),
            )
            .unwrap();
        assert_eq!(d.status, DcStatus::Ok, "case {case}");
        assert_eq!(&out[..d.produced as usize], &input[..], "case {case}");
        assert_eq!(d.consumed as usize, stream.len());
        assert!(d.end_of_last_block);
    }
}

#[test]
fn a_wrong_dictionary_is_caught_as_the_device_catches_it() {
    let (_d, _q, inst) = gen6("DICTWRONG");
    let s = session(&inst, 6);
    let mut r = Rng(99);
    let dict = r.text(8_000, 26);
    let input: Vec<u8> = dict[..6_000]
        .iter()
        .rev()
        .copied()
        .chain(dict[..4_000].iter().copied())
        .collect();
    let stream = compress(&inst, &s, &input, &dict);
    let mut out = vec![0u8; input.len()];
    // No history where the stream's first distances point: a raw deflate
    // stream carries nothing else to check, so the decoder meets a
    // distance beyond its history: CPA_DC_INVALID_DIST (-10), in the
    // results, the call itself succeeding.
    let short = &dict[7_000..];
    let d = inst
        .decompress_with_dict(
            &s,
            &stream,
            &mut out,
            &DcDictionary::new(short),
            &final_op(),
        )
        .unwrap();
    assert_eq!(d.status, DcStatus::InvalidDist);
    // zlib agrees the stream does not decode with that dictionary.
    assert_eq!(
        zlib_inflate_dict(&stream, short, input.len()),
        Err(libz_rs_sys::Z_DATA_ERROR)
    );
    // A dictionary of the right length but other bytes decodes to other
    // data: the checksum, which covers the output, tells the caller.
    let other = r.text(8_000, 26);
    let d = inst
        .decompress_with_dict(
            &s,
            &stream,
            &mut out,
            &DcDictionary::new(&other),
            &final_op(),
        )
        .unwrap();
    assert_eq!(d.status, DcStatus::Ok);
    assert_ne!(d.checksum, crc32(&input));
    assert_ne!(&out[..d.produced as usize], &input[..]);
}

#[test]
fn requests_are_checked_as_qatlib_checks_them() {
    let (_d, _q, inst) = gen6("DICTRULES");
    let s = session(&inst, 1);
    let data = b"some data to compress with a dictionary".to_vec();
    let dict = b"a dictionary of words".to_vec();
    let mut out = vec![0u8; 1024];
    // Compression without verification: UNSUPPORTED.
    let mut op = final_op();
    op.compress_and_verify = false;
    op.compress_and_verify_and_recover = false;
    let m = expect_status(
        inst.compress_with_dict(&s, &data, &mut out, &DcDictionary::new(&dict), &op),
        CpaStatus::Unsupported,
    );
    assert!(m.contains("compressAndVerify"), "{m}");
    // Decompression does not verify: the same op data is fine there.
    let stream = compress(&inst, &s, &data, &dict);
    let mut back = vec![0u8; 100];
    let d = inst
        .decompress_with_dict(&s, &stream, &mut back, &DcDictionary::new(&dict), &op)
        .unwrap();
    assert_eq!(&back[..d.produced as usize], &data[..]);
    // Compressed dictionaries, dictionary CRCs: UNSUPPORTED.
    let mut compressed = DcDictionary::new(&dict);
    compressed.settings.dict_type = DictType::Compressed;
    let m = expect_status(
        inst.compress_with_dict(&s, &data, &mut out, &compressed, &final_op()),
        CpaStatus::Unsupported,
    );
    assert!(m.contains("CPA_DC_UNCOMPRESSED_DICT"), "{m}");
    let mut crc = DcDictionary::new(&dict);
    crc.settings.calc_integrity_crc = true;
    expect_status(
        inst.compress_with_dict(&s, &data, &mut out, &crc, &final_op()),
        CpaStatus::Unsupported,
    );
    // An empty dictionary, a flush other than FINAL: INVALID_PARAM.
    expect_status(
        inst.compress_with_dict(&s, &data, &mut out, &DcDictionary::new(&[]), &final_op()),
        CpaStatus::InvalidParam,
    );
    let m = expect_status(
        inst.compress_with_dict(
            &s,
            &data,
            &mut out,
            &DcDictionary::new(&dict),
            &DcOpData::new(FlushFlag::Sync),
        ),
        CpaStatus::InvalidParam,
    );
    assert!(m.contains("CPA_DC_FLUSH_FINAL"), "{m}");
    // LZ4 sessions: UNSUPPORTED (softqat's dictionaries are deflate's).
    let lz4 = inst
        .init_session(&setup(|s| {
            s.comp_type = softqat_sal::CompType::Lz4;
            s.checksum = softqat_sal::ChecksumType::Xxhash32;
        }))
        .unwrap();
    expect_status(
        inst.compress_with_dict(
            &lz4,
            &data,
            &mut out,
            &DcDictionary::new(&dict),
            &final_op(),
        ),
        CpaStatus::Unsupported,
    );
    // A decompress-only session refuses compression (INVALID_PARAM).
    let d_only = inst
        .init_session(&setup(|s| s.direction = SessionDirection::Decompress))
        .unwrap();
    expect_status(
        inst.compress_with_dict(
            &d_only,
            &data,
            &mut out,
            &DcDictionary::new(&dict),
            &final_op(),
        ),
        CpaStatus::InvalidParam,
    );
    // The refusals after the instance and session checks count as
    // request errors.
    assert!(inst.stats().num_comp_requests_errors >= 5);
    // The meta size of a source list: both lists' descriptors.
    let per = |n: u32| 16 + 16 * n;
    assert_eq!(inst.meta_size_for_src_with_dict(1, 1, per), Ok(48));
    assert_eq!(inst.meta_size_for_src_with_dict(3, 2, per), Ok(96));
    expect_status(
        inst.meta_size_for_src_with_dict(0, 1, per),
        CpaStatus::InvalidParam,
    );
}

#[test]
fn classes_without_dictionaries_answer_unsupported() {
    for (file, name) in [
        ("4xxx_dev0.conf", "DICT4XXX"),
        ("c6xx_dev0.conf", "DICTC6XX"),
    ] {
        let (_d, _q, inst) = start_class(file, name);
        assert!(!inst.capabilities().dictionary);
        let s = session(&inst, 1);
        let mut out = vec![0u8; 1024];
        let class = &file[..4];
        let m = expect_status(
            inst.compress_with_dict(&s, b"data", &mut out, &DcDictionary::new(b"d"), &final_op()),
            CpaStatus::Unsupported,
        );
        assert!(m.contains(class) && m.contains("6xxx"), "{m}");
        expect_status(
            inst.decompress_with_dict(&s, &[3, 0], &mut out, &DcDictionary::new(b"d"), &final_op()),
            CpaStatus::Unsupported,
        );
        expect_status(
            inst.meta_size_for_src_with_dict(1, 1, |n| n),
            CpaStatus::Unsupported,
        );
    }
}
