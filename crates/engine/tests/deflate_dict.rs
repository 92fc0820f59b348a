//! Preset dictionaries (issue 13) against zlib (zlib-rs through its C API):
//! softqat's dictionary compression decodes with `inflateSetDictionary`,
//! zlib's `deflateSetDictionary` streams decode with softqat given the same
//! dictionary, the zlib header's FDICT/DICTID is built and read as zlib does,
//! and a wrong dictionary is refused with a CPA_DC status.

use softqat_engine::checksum::adler32;
use softqat_engine::deflate::compress::{CompressOptions, DeflateCompressor};
use softqat_engine::deflate::decompress::Decompressor;
use softqat_engine::deflate::{Flush, HuffmanMode, SearchDepth};
use softqat_engine::framing::{
    check_zlib_dict_id, parse_zlib_footer, parse_zlib_header_dict, zlib_header_with_dict,
};
use softqat_engine::DcStatus;

mod common;
use common::corpus;

/// xorshift64*: reproducible pseudo-random bytes without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Text-like bytes: words from a small alphabet, so matches exist.
    fn bytes(&mut self, n: usize, alphabet: u8) -> Vec<u8> {
        (0..n)
            .map(|_| b'a' + (self.next() % alphabet as u64) as u8)
            .collect()
    }
}

/// `windowBits` -15 (raw) or 15 (zlib framing).
fn zlib_inflate_dict(
    src: &[u8],
    dict: &[u8],
    cap: usize,
    window_bits: i32,
) -> Result<Vec<u8>, i32> {
    use libz_rs_sys::*;
    let mut out = vec![0u8; cap];
    // SAFETY: the stream is initialised by inflateInit2_ before use, its
    // buffers point into `src`, `dict` and `out`, which outlive every call,
    // and it is released with inflateEnd.
    unsafe {
        let mut strm = z_stream::default();
        let ret = inflateInit2_(
            &mut strm,
            window_bits,
            zlibVersion(),
            std::mem::size_of::<z_stream>() as i32,
        );
        assert_eq!(ret, Z_OK);
        if window_bits < 0 {
            assert_eq!(
                inflateSetDictionary(&mut strm, dict.as_ptr(), dict.len() as u32),
                Z_OK
            );
        }
        strm.next_in = src.as_ptr();
        strm.avail_in = src.len() as u32;
        strm.next_out = out.as_mut_ptr();
        strm.avail_out = cap as u32;
        let mut ret = inflate(&mut strm, Z_FINISH);
        if ret == Z_NEED_DICT {
            let set = inflateSetDictionary(&mut strm, dict.as_ptr(), dict.len() as u32);
            if set != Z_OK {
                inflateEnd(&mut strm);
                return Err(set);
            }
            ret = inflate(&mut strm, Z_FINISH);
        }
        let total = strm.total_out as usize;
        inflateEnd(&mut strm);
        if ret != Z_STREAM_END {
            return Err(ret);
        }
        out.truncate(total);
        Ok(out)
    }
}

/// zlib's compression of `src` with `dict` (`windowBits` -15 raw, 15 zlib).
fn zlib_deflate_dict(src: &[u8], dict: &[u8], level: i32, window_bits: i32) -> Vec<u8> {
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
            window_bits,
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

fn options(depth: u16, huffman: HuffmanMode, min_match: u8) -> CompressOptions {
    CompressOptions {
        depth: SearchDepth(depth),
        huffman,
        flush: Flush::Final,
        min_match,
    }
}

/// (dictionary, input) pairs: random text with random dictionaries (some
/// sharing the input's vocabulary, some longer than the window), and corpus
/// slices whose dictionary is the text just before them.
fn cases() -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let mut rng = Rng(0x5EED_D1C7);
    let mut v = Vec::new();
    for k in 0..24 {
        let alphabet = [2u8, 4, 16, 26][k % 4];
        let dict_len = [0usize, 1, 3, 100, 4096, 32_768, 40_000, 70_000][rng.below(8)];
        let src_len = [1usize, 2, 10, 1000, 30_000, 70_000][rng.below(6)];
        let dict = rng.bytes(dict_len, alphabet);
        let mut src = rng.bytes(src_len, alphabet);
        // Copy pieces of the dictionary into the input: matches into it.
        if dict_len > 0 {
            for _ in 0..src_len / 64 {
                let at = rng.below(src_len);
                let from = rng.below(dict_len);
                let n = rng.below(200).min(src_len - at).min(dict_len - from);
                src[at..at + n].copy_from_slice(&dict[from..from + n]);
            }
        }
        v.push((
            format!("random #{k} dict {dict_len} src {src_len}"),
            dict,
            src,
        ));
    }
    for name in ["calgary", "canterbury"] {
        let d = corpus(name);
        for (at, dict_len, len) in [
            (100_000usize, 32_768usize, 65_536usize),
            (500_000, 8_000, 20_000),
            (1_000_000, 60_000, 4_096),
        ] {
            if at + len <= d.len() {
                v.push((
                    format!("{name}[{at}..+{len}] dict {dict_len}"),
                    d[at - dict_len..at].to_vec(),
                    d[at..at + len].to_vec(),
                ));
            }
        }
    }
    v
}

#[test]
fn softqat_dictionary_streams_decode_with_zlib_set_dictionary() {
    let mut c = DeflateCompressor::new();
    let mut d = Decompressor::new();
    for (name, dict, src) in cases() {
        for (depth, huffman, mm) in [
            (1, HuffmanMode::Dynamic, 4),
            (1, HuffmanMode::Static, 4),
            (6, HuffmanMode::Dynamic, 3),
            (9, HuffmanMode::Dynamic, 4),
            (128, HuffmanMode::Dynamic, 3),
        ] {
            let opts = options(depth, huffman, mm);
            let mut dst = vec![0u8; src.len() * 2 + 1024];
            let o = c.compress_with_dict(&dict, &src, &mut dst, &opts);
            assert!(!o.overflow, "{name} depth {depth}: overflow");
            assert_eq!(o.consumed, src.len(), "{name} depth {depth}");
            let stream = &dst[..o.produced];
            let back = zlib_inflate_dict(stream, &dict, src.len() + 16, -15)
                .unwrap_or_else(|e| panic!("{name} depth {depth}: zlib inflate {e}"));
            assert!(back == src, "{name} depth {depth}: zlib decodes other data");
            // softqat decodes its own stream with the dictionary too.
            let mut out = vec![0u8; src.len()];
            let r = d.decompress_with_dict(&dict, stream, &mut out, true);
            assert_eq!(r.status, DcStatus::Ok, "{name} depth {depth}");
            assert_eq!(
                (r.consumed, r.produced),
                (stream.len(), src.len()),
                "{name}"
            );
            assert!(
                out == src,
                "{name} depth {depth}: softqat decodes other data"
            );
        }
    }
}

#[test]
fn the_dictionary_is_used() {
    // The input repeats the dictionary: with it the output is a few matches.
    let mut rng = Rng(7);
    let dict = rng.bytes(20_000, 26);
    let src = dict[5_000..15_000].to_vec();
    let mut c = DeflateCompressor::new();
    for depth in [1u16, 6, 128] {
        let opts = options(depth, HuffmanMode::Dynamic, 4);
        let mut with = vec![0u8; 20_000];
        let mut without = vec![0u8; 20_000];
        let a = c.compress_with_dict(&dict, &src, &mut with, &opts);
        let b = c.compress(&src, &mut without, &opts);
        assert!(
            a.produced * 20 < b.produced,
            "depth {depth}: {} bytes with the dictionary, {} without",
            a.produced,
            b.produced
        );
        // The plain compressor is unaffected by the dictionary request before.
        let back = zlib_inflate_dict(&without[..b.produced], &[], src.len(), -15).unwrap();
        assert_eq!(back, src);
    }
}

#[test]
fn zlib_dictionary_streams_decode_with_softqat() {
    let mut d = Decompressor::new();
    for (name, dict, src) in cases() {
        for level in [1, 6, 9] {
            let raw = zlib_deflate_dict(&src, &dict, level, -15);
            let mut out = vec![0u8; src.len()];
            let r = d.decompress_with_dict(&dict, &raw, &mut out, true);
            assert_eq!(r.status, DcStatus::Ok, "{name} L{level}");
            assert_eq!((r.consumed, r.produced), (raw.len(), src.len()), "{name}");
            assert!(out == src, "{name} L{level}: other data");
            // Too small a destination: Overflow, nothing produced.
            if !src.is_empty() {
                let mut small = vec![0u8; src.len() - 1];
                let r = d.decompress_with_dict(&dict, &raw, &mut small, true);
                assert_eq!((r.status, r.produced), (DcStatus::Overflow, 0), "{name}");
            }
        }
    }
}

#[test]
fn zlib_framing_with_dictid() {
    let mut rng = Rng(99);
    let dict = rng.bytes(10_000, 8);
    let src = [
        &dict[100..3_000],
        &rng.bytes(5_000, 8)[..],
        &dict[6_000..9_000],
    ]
    .concat();

    // zlib's framed stream: FDICT and DICTID read back, body decoded by softqat.
    let z = zlib_deflate_dict(&src, &dict, 6, 15);
    let (_, id, hlen) = parse_zlib_header_dict(&z).unwrap();
    assert_eq!(id, Some(adler32(1, &dict)));
    assert_eq!(hlen, 6);
    assert_eq!(check_zlib_dict_id(id.unwrap(), &dict), Ok(()));
    let mut d = Decompressor::new();
    let mut out = vec![0u8; src.len()];
    let r = d.decompress_with_dict(&dict, &z[hlen..], &mut out, true);
    assert_eq!(r.status, DcStatus::Ok);
    assert_eq!(out, src);
    assert_eq!(
        parse_zlib_footer(&z[hlen + r.consumed..]).unwrap(),
        adler32(1, &src)
    );

    // softqat's framed stream for each level: zlib asks for the dictionary
    // (Z_NEED_DICT), takes it and checks the Adler-32.
    let mut c = DeflateCompressor::new();
    for level in 1..=9u8 {
        let header = zlib_header_with_dict(level, &dict);
        let mut body = vec![0u8; src.len() + 1024];
        let o = c.compress_with_dict(&dict, &src, &mut body, &options(6, HuffmanMode::Dynamic, 4));
        let framed = [
            &header[..],
            &body[..o.produced],
            &adler32(1, &src).to_be_bytes(),
        ]
        .concat();
        assert_eq!(
            zlib_inflate_dict(&framed, &dict, src.len(), 15).unwrap(),
            src
        );
        // A wrong dictionary: zlib refuses it (Z_DATA_ERROR), and so does softqat.
        let wrong = &dict[1..];
        assert_eq!(
            zlib_inflate_dict(&framed, wrong, src.len(), 15),
            Err(libz_rs_sys::Z_DATA_ERROR)
        );
        let (_, id, _) = parse_zlib_header_dict(&framed).unwrap();
        assert_eq!(
            check_zlib_dict_id(id.unwrap(), wrong),
            Err(DcStatus::InvalidDictBuff)
        );
    }
}

#[test]
fn a_missing_dictionary_is_an_invalid_distance() {
    let mut rng = Rng(3);
    let dict = rng.bytes(4_000, 26);
    let src = dict[1_000..3_000].to_vec();
    let mut c = DeflateCompressor::new();
    let mut body = vec![0u8; 4_000];
    let o = c.compress_with_dict(&dict, &src, &mut body, &CompressOptions::default());
    let mut d = Decompressor::new();
    let mut out = vec![0u8; src.len()];
    let r = d.decompress(&body[..o.produced], &mut out, true);
    assert_eq!(r.status, DcStatus::InvalidDist);
    // A dictionary too short for the distances: the same status.
    let r = d.decompress_with_dict(&dict[3_500..], &body[..o.produced], &mut out, true);
    assert_eq!(r.status, DcStatus::InvalidDist);
}

#[test]
fn sync_flush_and_overflow_with_dictionary() {
    let mut rng = Rng(11);
    let dict = rng.bytes(32_768, 4);
    let src = rng.bytes(50_000, 4);
    let mut c = DeflateCompressor::new();
    for depth in [1u16, 9] {
        let mut opts = options(depth, HuffmanMode::Dynamic, 4);
        opts.flush = Flush::Sync;
        let mut dst = vec![0u8; 100_000];
        let o = c.compress_with_dict(&dict, &src, &mut dst, &opts);
        assert_eq!(o.consumed, src.len());
        let mut d = Decompressor::new();
        let mut out = vec![0u8; src.len()];
        let r = d.decompress_with_dict(&dict, &dst[..o.produced], &mut out, false);
        assert_eq!((r.status, r.produced), (DcStatus::Ok, src.len()));
        assert_eq!(out, src);
        // Overflow: the prefix that fits decodes to the first `consumed` bytes.
        let mut small = vec![0u8; o.produced / 2];
        let p = c.compress_with_dict(&dict, &src, &mut small, &opts);
        assert!(p.overflow && p.consumed > 0 && p.consumed < src.len());
        let r = d.decompress_with_dict(&dict, &small[..p.produced], &mut out, false);
        assert_eq!((r.status, r.produced), (DcStatus::Ok, p.consumed));
        assert_eq!(out[..p.consumed], src[..p.consumed]);
    }
}
