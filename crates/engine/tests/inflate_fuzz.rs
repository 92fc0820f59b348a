//! Random and mutated deflate streams: the decoders never panic, and the
//! Inflater agrees with zlib (zlib-rs through libz-rs-sys, raw inflate) on
//! every input: same outcome class, same output, same bytes consumed, and the
//! status that zlib's error message names.
//!
//! zlib is the oracle because its rules are the ones the Inflater follows
//! (puff's, RFC 1951). One known difference is allowed: an empty code-length
//! code, which zlib accepts (decoding every length as 0, then failing with
//! "missing end-of-block" or running out of input) and the Inflater rejects
//! at once as `IncompleteCodeLens`.
//!
//! Deterministic (xorshift PRNG, fixed seeds); a few thousand cases, a few
//! seconds.

use std::ffi::CStr;
use std::io::Write;

use softqat_engine::deflate::decompress::Decompressor;
use softqat_engine::deflate::inflate::Inflater;
use softqat_engine::DcStatus;

mod common;
use common::corpus;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// What zlib made of an input.
#[derive(Debug, PartialEq, Eq)]
enum Z {
    /// Z_STREAM_END: (consumed, output).
    End(usize, Vec<u8>),
    /// Needs more input.
    Truncated,
    /// Output buffer full.
    Full,
    /// Z_DATA_ERROR with its message.
    Error(String),
}

/// zlib-rs's fast decoding loop reports its errors as "repeated call with bad
/// state" (the original message is lost); feeding one byte per call keeps it
/// out of that loop, so an input that gets that message is decoded again
/// byte by byte.
fn zlib_inflate(src: &[u8], cap: usize) -> Z {
    match zlib_inflate_chunked(src, cap, src.len().max(1)) {
        Z::Error(m) if m == "repeated call with bad state" => zlib_inflate_chunked(src, cap, 1),
        z => z,
    }
}

fn zlib_inflate_chunked(src: &[u8], cap: usize, chunk: usize) -> Z {
    use libz_rs_sys::*;
    let mut out = vec![0u8; cap];
    // SAFETY: the stream is initialised by inflateInit2_ before use, its
    // buffers point into `src` and `out`, which outlive every call, and it is
    // released with inflateEnd.
    unsafe {
        let mut strm = z_stream::default();
        let ret = inflateInit2_(
            &mut strm,
            -15,
            zlibVersion(),
            std::mem::size_of::<z_stream>() as i32,
        );
        assert_eq!(ret, Z_OK);
        strm.next_out = out.as_mut_ptr();
        strm.avail_out = cap as u32;
        let mut fed = 0;
        let result = loop {
            if strm.avail_in == 0 && fed < src.len() {
                let n = chunk.min(src.len() - fed);
                strm.next_in = src[fed..].as_ptr();
                strm.avail_in = n as u32;
                fed += n;
            }
            let last = fed == src.len();
            let ret = inflate(&mut strm, if last { Z_FINISH } else { Z_NO_FLUSH });
            match ret {
                Z_STREAM_END => {
                    out.truncate(strm.total_out as usize);
                    break Z::End(strm.total_in as usize, out);
                }
                Z_DATA_ERROR => {
                    break Z::Error(CStr::from_ptr(strm.msg).to_string_lossy().into_owned())
                }
                Z_BUF_ERROR | Z_OK if strm.avail_out == 0 => break Z::Full,
                Z_BUF_ERROR | Z_OK if last && strm.avail_in == 0 => break Z::Truncated,
                Z_BUF_ERROR | Z_OK => {}
                other => panic!("zlib inflate returned {other}"),
            }
        };
        inflateEnd(&mut strm);
        result
    }
}

/// The statuses a zlib error message corresponds to.
fn statuses_for(msg: &str) -> &'static [DcStatus] {
    match msg {
        "invalid block type" => &[DcStatus::InvalidBlockType],
        "invalid stored block lengths" => &[DcStatus::BadStoredBlockLen],
        "too many length or distance symbols" => &[DcStatus::TooManyCodes],
        "invalid code lengths set" => &[DcStatus::IncompleteCodeLens],
        // zlib uses one message for both repeat errors.
        "invalid bit length repeat" => &[DcStatus::RepeatedLens, DcStatus::MoreRepeat],
        "invalid code -- missing end-of-block" | "invalid literal/lengths set" => {
            &[DcStatus::BadLitlenCodes]
        }
        "invalid distances set" => &[DcStatus::BadDistCodes],
        "invalid literal/length code" | "invalid distance code" => &[DcStatus::InvalidCode],
        "invalid distance too far back" | "invalid distance code too far back" => {
            &[DcStatus::InvalidDist]
        }
        other => panic!("unexpected zlib message {other:?}"),
    }
}

/// Runs every decoder on `src` and checks them against zlib. Returns the
/// Inflater's status and whether the Decompressor accepted a stream the
/// Inflater rejects (always false: that fails the test).
fn check(
    src: &[u8],
    inf: &mut Inflater,
    dec: &mut Decompressor,
    dst: &mut [u8],
    ctx: &str,
) -> (DcStatus, bool) {
    let ours = inf.inflate(src, dst, true);
    let ours_out = dst[..ours.produced].to_vec();
    let partial = inf.inflate(src, dst, false);
    assert!(
        partial.consumed <= src.len() && partial.produced <= dst.len(),
        "{ctx}"
    );
    if ours.status == DcStatus::Ok {
        assert_eq!(
            partial, ours,
            "{ctx}: a complete stream decodes the same without FLUSH_FINAL"
        );
    }

    match zlib_inflate(src, dst.len()) {
        Z::End(consumed, out) => {
            assert_eq!(
                (ours.status, ours.consumed, ours.end_of_last_block),
                (DcStatus::Ok, consumed, true),
                "{ctx}: zlib decoded it"
            );
            assert!(ours_out == out, "{ctx}: output differs from zlib");
        }
        Z::Truncated => assert!(
            ours.status == DcStatus::IncompleteFileErr
                || (ours.status == DcStatus::IncompleteCodeLens),
            "{ctx}: zlib wants more input, Inflater says {}",
            ours.status
        ),
        Z::Full => assert!(
            ours.status == DcStatus::Overflow || ours.status.is_invalid_stream(),
            "{ctx}: zlib filled the output, Inflater says {}",
            ours.status
        ),
        Z::Error(msg) => {
            let allowed = statuses_for(&msg);
            let empty_precode_case = ours.status == DcStatus::IncompleteCodeLens
                && msg == "invalid code -- missing end-of-block";
            assert!(
                allowed.contains(&ours.status) || empty_precode_case,
                "{ctx}: zlib says {msg:?}, Inflater says {}",
                ours.status
            );
        }
    }
    if ours.status != DcStatus::Ok {
        assert_eq!((ours.consumed, ours.produced), (0, 0), "{ctx}");
    }

    // The Decompressor (every request's decoder) must agree exactly: it
    // once put libdeflate first, which accepted some invalid streams.
    let dec_out = dec.decompress(src, dst, true);
    let lenient = dec_out.status == DcStatus::Ok && ours.status != DcStatus::Ok;
    assert!(
        !lenient,
        "{ctx}: the Decompressor accepts a stream the Inflater rejects ({})",
        ours.status
    );
    // The same outcome: status, bytes consumed and produced, end of block.
    assert_eq!(dec_out, ours, "{ctx}: Decompressor");
    if ours.status == DcStatus::Ok {
        assert!(
            dst[..dec_out.produced] == ours_out[..],
            "{ctx}: Decompressor output"
        );
    }
    (ours.status, lenient)
}

/// Counts outcomes so that a run shows which statuses it reached.
#[derive(Default)]
struct Tally(std::collections::BTreeMap<i32, usize>, usize);
impl Tally {
    fn add(&mut self, (status, lenient): (DcStatus, bool)) {
        *self.0.entry(status.code()).or_default() += 1;
        self.1 += lenient as usize;
    }
    fn report(&self, what: &str) {
        println!(
            "{what}: statuses (code: count) {:?}; the Decompressor accepted {} streams the Inflater rejects",
            self.0, self.1
        );
        // Both corpora must reach beyond the trivial outcomes.
        assert!(
            self.0.len() >= 6,
            "{what}: too few distinct outcomes {:?}",
            self.0
        );
    }
}

fn valid_streams() -> Vec<Vec<u8>> {
    let text = corpus("calgary32");
    let mut v = Vec::new();
    for (i, len) in [0usize, 1, 17, 300, 2000, 8000].into_iter().enumerate() {
        let data =
            &text[(i * 1000) % text.len()..][..len.min(text.len() - (i * 1000) % text.len())];
        for level in [0u32, 1, 6, 9] {
            let mut e =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
            e.write_all(data).unwrap();
            v.push(e.finish().unwrap());
        }
    }
    v
}

#[test]
fn random_inputs_agree_with_zlib() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut inf, mut dec) = (Inflater::new(), Decompressor::new());
    let mut dst = vec![0u8; 1 << 20];
    let mut tally = Tally::default();
    for i in 0..4000 {
        let len = rng.below(400);
        let mut src: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Steer a share of inputs into each block type (low bits of byte 0).
        if let Some(b) = src.first_mut() {
            *b = (*b & !6) | ((i as u8 % 4) << 1);
        }
        tally.add(check(
            &src,
            &mut inf,
            &mut dec,
            &mut dst,
            &format!("random #{i} {src:02x?}"),
        ));
    }
    tally.report("random");
}

#[test]
fn mutated_streams_agree_with_zlib() {
    let streams = valid_streams();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut inf, mut dec) = (Inflater::new(), Decompressor::new());
    let mut dst = vec![0u8; 1 << 21];
    let mut tally = Tally::default();
    for i in 0..4000 {
        let mut s = streams[rng.below(streams.len())].clone();
        for _ in 0..1 + rng.below(3) {
            match rng.below(5) {
                0 if !s.is_empty() => {
                    let at = rng.below(s.len());
                    s[at] ^= 1 << rng.below(8);
                }
                1 if !s.is_empty() => {
                    let at = rng.below(s.len());
                    s[at] = rng.next() as u8;
                }
                2 => s.truncate(rng.below(s.len() + 1)),
                3 => {
                    let at = rng.below(s.len() + 1);
                    s.insert(at, rng.next() as u8);
                }
                _ if !s.is_empty() => {
                    let at = rng.below(s.len());
                    s.remove(at);
                }
                _ => {}
            }
        }
        tally.add(check(
            &s,
            &mut inf,
            &mut dec,
            &mut dst,
            &format!("mutated #{i}"),
        ));
    }
    tally.report("mutated");
}

#[test]
fn small_destinations_never_panic() {
    let streams = valid_streams();
    let (mut inf, mut dec) = (Inflater::new(), Decompressor::new());
    for s in &streams {
        let mut full = vec![0u8; 1 << 16];
        let n = inf.inflate(s, &mut full, true).produced;
        for cap in [0, 1, 2, n / 2, n.saturating_sub(1), n, n + 1] {
            let mut dst = vec![0u8; cap];
            let a = inf.inflate(s, &mut dst, true);
            let b = dec.decompress(s, &mut dst, true);
            let want = if cap >= n {
                DcStatus::Ok
            } else {
                DcStatus::Overflow
            };
            assert_eq!((a.status, b.status), (want, want), "cap {cap} of {n}");
        }
    }
}
