//! Decompression speed of softqat's decoders against libdeflate and zlib-rs,
//! on independent (QAT-style stateless) requests.
//!
//! `cargo run --release -p softqat-engine --example inflate_speed [-- FILE [REPS [REQUEST]]]`
//!
//! Streams: the engine's own compressor at depth 1 (dynamic and static
//! Huffman: what `softqat bench dc` decodes), zlib levels 6 and 9, and, where
//! ISA-L is installed (Debian's `isal` package, loaded at run time), ISA-L's
//! stateless levels 1 and 3. Every decoder runs on the same streams, ISA-L's
//! `isal_inflate_stateless` among them when loaded, and every decoder's
//! output is checked against the input before any timing. Decoders take
//! turns on each ~512 KiB group of requests so that load from other work on
//! the machine hits them alike; "vs libdeflate" and "vs ISA-L" are the
//! medians of the group-by-group speed ratios, which a burst of load
//! disturbs least.

use std::io::Write;
use std::time::Instant;

use softqat_engine::deflate::compress::{CompressOptions, DeflateCompressor};
use softqat_engine::deflate::decompress::Decompressor;
use softqat_engine::deflate::inflate::Inflater;
use softqat_engine::deflate::{deflate_compress_bound, Flush, HuffmanMode, SearchDepth};
use softqat_engine::DcStatus;
use softqat_isal_peer::Isal;

const DEFAULT_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/calgary");

#[derive(Clone, Copy, PartialEq)]
enum Dec {
    Libdeflate,
    Isal,
    Decompressor,
    Inflater,
    ZlibRs,
}

impl Dec {
    fn name(self) -> &'static str {
        match self {
            Dec::Libdeflate => "libdeflate",
            Dec::Isal => "ISA-L",
            Dec::Decompressor => "Decompressor",
            Dec::Inflater => "Inflater",
            Dec::ZlibRs => "zlib-rs",
        }
    }
}

struct Decoders {
    ld: libdeflater::Decompressor,
    dec: Decompressor,
    inf: Inflater,
    isal: Option<Isal>,
}

/// zlib-rs raw inflate of one whole stream.
fn zlib_rs(src: &[u8], dst: &mut [u8]) -> usize {
    use libz_rs_sys::*;
    // SAFETY: the stream is initialised before use, points into `src` and
    // `dst` (live for the call) and is released with inflateEnd.
    unsafe {
        let mut strm = z_stream::default();
        let ret = inflateInit2_(
            &mut strm,
            -15,
            zlibVersion(),
            std::mem::size_of::<z_stream>() as i32,
        );
        assert_eq!(ret, Z_OK);
        strm.next_in = src.as_ptr();
        strm.avail_in = src.len() as u32;
        strm.next_out = dst.as_mut_ptr();
        strm.avail_out = dst.len() as u32;
        let ret = inflate(&mut strm, Z_FINISH);
        assert_eq!(ret, Z_STREAM_END, "zlib-rs");
        let n = strm.total_out as usize;
        inflateEnd(&mut strm);
        n
    }
}

/// zlib-rs raw deflate of `src` at `level` with `strategy` (Z_HUFFMAN_ONLY
/// gives literal-only streams, Z_RLE distance-1 matches).
fn zlib_rs_deflate(src: &[u8], level: i32, strategy: i32) -> Vec<u8> {
    use libz_rs_sys::*;
    let mut out = vec![0u8; src.len() * 2 + 1024];
    // SAFETY: as in `zlib_rs`.
    unsafe {
        let mut strm = z_stream::default();
        let ret = deflateInit2_(
            &mut strm,
            level,
            Z_DEFLATED,
            -15,
            8,
            strategy,
            zlibVersion(),
            std::mem::size_of::<z_stream>() as i32,
        );
        assert_eq!(ret, Z_OK);
        strm.next_in = src.as_ptr();
        strm.avail_in = src.len() as u32;
        strm.next_out = out.as_mut_ptr();
        strm.avail_out = out.len() as u32;
        assert_eq!(deflate(&mut strm, Z_FINISH), Z_STREAM_END);
        out.truncate(strm.total_out as usize);
        deflateEnd(&mut strm);
    }
    out
}

impl Decoders {
    fn run(&mut self, d: Dec, src: &[u8], dst: &mut [u8]) -> usize {
        match d {
            Dec::Libdeflate => self.ld.deflate_decompress(src, dst).expect("libdeflate"),
            Dec::Isal => self
                .isal
                .as_mut()
                .expect("the ISA-L decoder runs only when loaded")
                .inflate(src, dst)
                .expect("ISA-L"),
            Dec::Decompressor => {
                let o = self.dec.decompress(src, dst, true);
                assert_eq!(o.status, DcStatus::Ok);
                o.produced
            }
            Dec::Inflater => {
                let o = self.inf.inflate(src, dst, true);
                assert_eq!(o.status, DcStatus::Ok);
                o.produced
            }
            Dec::ZlibRs => zlib_rs(src, dst),
        }
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).map(String::as_str).unwrap_or(DEFAULT_FILE);
    let reps: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(7);
    let req: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(65_536);
    let data = std::fs::read(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let mut comp = DeflateCompressor::new();
    let mut out = vec![0u8; deflate_compress_bound(req).max(req + 1024)];
    let engine = |comp: &mut DeflateCompressor, out: &mut [u8], c: &[u8], h| {
        let o = comp.compress(
            c,
            out,
            &CompressOptions {
                depth: SearchDepth(1),
                huffman: h,
                flush: Flush::Final,
                min_match: 3,
            },
        );
        out[..o.produced].to_vec()
    };
    let zlib = |c: &[u8], level| {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
        e.write_all(c).expect("deflate");
        e.finish().expect("deflate")
    };
    let mut sets: Vec<(&'static str, Vec<Vec<u8>>)> = vec![
        ("engine d1 dynamic", Vec::new()),
        ("engine d1 static", Vec::new()),
        ("zlib L6", Vec::new()),
        ("zlib L9", Vec::new()),
        ("huffman only", Vec::new()),
        ("rle", Vec::new()),
    ];
    let mut isal = match Isal::load() {
        Ok(i) => Some(i),
        Err(e) => {
            println!("{e}");
            None
        }
    };
    if isal.is_some() {
        sets.push(("ISA-L L1", Vec::new()));
        sets.push(("ISA-L L3", Vec::new()));
    }
    // INFLATE_SPEED_SET=label keeps one stream set (only that set is
    // compressed).
    let set_only = std::env::var("INFLATE_SPEED_SET").ok();
    sets.retain(|(label, _)| set_only.as_deref().is_none_or(|o| o == *label));
    for c in data.chunks(req) {
        for (label, set) in sets.iter_mut() {
            let stream = match *label {
                "engine d1 dynamic" => engine(&mut comp, &mut out, c, HuffmanMode::Dynamic),
                "engine d1 static" => engine(&mut comp, &mut out, c, HuffmanMode::Static),
                "zlib L6" => zlib(c, 6),
                "zlib L9" => zlib(c, 9),
                "huffman only" => zlib_rs_deflate(c, 6, libz_rs_sys::Z_HUFFMAN_ONLY),
                "rle" => zlib_rs_deflate(c, 6, libz_rs_sys::Z_RLE),
                _ => {
                    let level = if *label == "ISA-L L1" { 1 } else { 3 };
                    let isal = isal.as_mut().expect("ISA-L sets only when loaded");
                    let n = isal.deflate(level, c, &mut out).expect("ISA-L compress");
                    out[..n].to_vec()
                }
            };
            set.push(stream);
        }
    }
    // INFLATE_SPEED_ONLY=name keeps one decoder (for profiling) besides
    // libdeflate and ISA-L.
    let only = std::env::var("INFLATE_SPEED_ONLY").ok();
    let decs: Vec<Dec> = [
        Dec::Libdeflate,
        Dec::Isal,
        Dec::Decompressor,
        Dec::Inflater,
        Dec::ZlibRs,
    ]
    .into_iter()
    .filter(|d| *d != Dec::Isal || isal.is_some())
    .filter(|d| {
        only.as_deref()
            .is_none_or(|o| matches!(d, Dec::Libdeflate | Dec::Isal) || d.name() == o)
    })
    .collect();
    let isal_at = decs.iter().position(|d| *d == Dec::Isal);
    let mut d = Decoders {
        ld: libdeflater::Decompressor::new(),
        dec: Decompressor::new(),
        inf: Inflater::new(),
        isal,
    };
    let mut dst = vec![0u8; req];
    println!(
        "file {path}: {} bytes, {req}-byte requests, {reps} repetitions",
        data.len()
    );
    println!(
        "{:<18} {:<13} {:>8} {:>14} {:>9}",
        "streams", "decoder", "MB/s", "vs libdeflate", "vs ISA-L"
    );
    for (label, streams) in &sets {
        for &dec in &decs {
            for (s, c) in streams.iter().zip(data.chunks(req)) {
                let n = d.run(dec, s, &mut dst);
                assert!(dst[..n] == *c, "{label}: {} output differs", dec.name());
            }
        }
        let group = (512 * 1024 / req).max(1);
        let mut total = vec![0f64; decs.len()];
        let mut gtimes = vec![Vec::new(); decs.len()];
        for _ in 0..reps {
            for (g, cs) in streams.chunks(group).zip(data.chunks(group * req)) {
                let _ = cs;
                for (di, &dec) in decs.iter().enumerate() {
                    let t = Instant::now();
                    for s in g {
                        std::hint::black_box(d.run(dec, s, &mut dst));
                    }
                    let el = t.elapsed().as_secs_f64();
                    total[di] += el;
                    gtimes[di].push(el);
                }
            }
        }
        // Median of the group-by-group speed ratios of decoder `di` to
        // decoder `peer`.
        let ratio = |di: usize, peer: usize| {
            let mut r: Vec<f64> = gtimes[peer]
                .iter()
                .zip(&gtimes[di])
                .map(|(p, t)| p / t)
                .collect();
            median(&mut r)
        };
        for (di, &dec) in decs.iter().enumerate() {
            let mbps = (data.len() * reps) as f64 / total[di] / 1e6;
            let vs_isal = isal_at
                .map(|p| format!("{:.3}", ratio(di, p)))
                .unwrap_or_else(|| "-".into());
            println!(
                "{label:<18} {:<13} {mbps:>8.0} {:>14.3} {vs_isal:>9}",
                dec.name(),
                ratio(di, 0)
            );
        }
    }
}
