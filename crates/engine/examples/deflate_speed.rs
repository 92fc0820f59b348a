//! Compression speed and ratio of softqat's deflate compressor against libdeflate,
//! on independent (QAT-style stateless) requests.
//!
//! `cargo run --release -p softqat-engine --example deflate_speed [-- FILE [REPS]]`
//!
//! Every output is decoded with libdeflate and compared with the input before any
//! timing. Codecs take turns on each ~512 KiB group of requests so that noise from
//! other work on the machine spreads evenly. MB/s is the median over repetitions of
//! the whole file; the speed ratios ("vs L1": against libdeflate level 1, "vs peer":
//! against libdeflate at the matching level: depth 1 → L1, ≤6 → L6, ≤16 → L9,
//! above → L12) are medians of group-by-group ratios, which a burst of load on a
//! shared machine disturbs least.
//! Where ISA-L is installed (Debian's `isal` package; loaded at run time), its
//! stateless levels 1 and 3 run too, and "vs ISA-L1" is the same group-by-group
//! ratio against ISA-L level 1, the speed QAT's depth-1 levels are held to.
//! `DEFLATE_SPEED_ONLY=text` keeps the codecs whose name contains it (plus libdeflate
//! L1 and ISA-L), `DEFLATE_SPEED_REQ=n` runs only request size n.

use std::time::Instant;

use libdeflater::{CompressionLvl, Compressor, Decompressor};
use softqat_engine::deflate::compress::{CompressOptions, DeflateCompressor};
use softqat_engine::deflate::{deflate_compress_bound, Flush, HuffmanMode, SearchDepth};
use softqat_isal_peer::Isal;

/// The repository's `corpus/calgary`.
const DEFAULT_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/calgary");

#[derive(Clone, Copy)]
enum Codec {
    Libdeflate(i32),
    Isal(u32),
    Ours(u16, HuffmanMode),
}

impl Codec {
    fn name(self) -> String {
        match self {
            Codec::Libdeflate(l) => format!("libdeflate L{l}"),
            Codec::Isal(l) => format!("ISA-L L{l}"),
            Codec::Ours(d, HuffmanMode::Dynamic) => format!("softqat d{d} dynamic"),
            Codec::Ours(d, HuffmanMode::Static) => format!("softqat d{d} static"),
        }
    }

    /// The libdeflate level this codec is compared with.
    fn peer_level(self) -> Option<i32> {
        match self {
            Codec::Libdeflate(_) | Codec::Isal(_) => None,
            Codec::Ours(1, _) => Some(1),
            Codec::Ours(d, _) if d <= 6 => Some(6),
            Codec::Ours(d, _) if d <= 16 => Some(9),
            Codec::Ours(..) => Some(12),
        }
    }
}

struct Runner {
    ours: DeflateCompressor,
    ld: Vec<(i32, Compressor)>,
    isal: Option<Isal>,
}

impl Runner {
    /// Compresses every request of `data`; returns total output bytes.
    fn run(
        &mut self,
        codec: Codec,
        data: &[u8],
        req: usize,
        out: &mut [u8],
        sink: &mut Vec<Vec<u8>>,
        keep: bool,
    ) -> usize {
        let mut total = 0;
        for chunk in data.chunks(req) {
            let n = match codec {
                Codec::Libdeflate(l) => {
                    let c = &mut self.ld.iter_mut().find(|(x, _)| *x == l).expect("level").1;
                    c.deflate_compress(chunk, out).expect("libdeflate compress")
                }
                Codec::Isal(l) => {
                    let isal = self.isal.as_mut().expect("ISA-L codecs only when loaded");
                    isal.deflate(l, chunk, out).expect("ISA-L compress")
                }
                Codec::Ours(d, h) => {
                    let opts = CompressOptions {
                        depth: SearchDepth(d),
                        huffman: h,
                        flush: Flush::Final,
                        min_match: 4,
                    };
                    let o = self.ours.compress(chunk, out, &opts);
                    assert!(
                        !o.overflow && o.consumed == chunk.len(),
                        "{} overflowed",
                        codec.name()
                    );
                    o.produced
                }
            };
            if keep {
                sink.push(out[..n].to_vec());
            }
            total += n;
        }
        total
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
    let data = std::fs::read(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let isal = match Isal::load() {
        Ok(i) => Some(i),
        Err(e) => {
            println!("{e}");
            None
        }
    };
    let isal_codecs = if isal.is_some() {
        vec![Codec::Isal(1), Codec::Isal(3)]
    } else {
        Vec::new()
    };
    let codecs = [
        Codec::Libdeflate(1),
        Codec::Libdeflate(6),
        Codec::Libdeflate(9),
        Codec::Libdeflate(12),
        Codec::Ours(1, HuffmanMode::Static),
        Codec::Ours(1, HuffmanMode::Dynamic),
        Codec::Ours(4, HuffmanMode::Dynamic),
        Codec::Ours(6, HuffmanMode::Dynamic),
        Codec::Ours(9, HuffmanMode::Dynamic),
        Codec::Ours(16, HuffmanMode::Dynamic),
        Codec::Ours(128, HuffmanMode::Dynamic),
    ]
    .into_iter()
    .chain(isal_codecs);
    // DEFLATE_SPEED_ONLY=substring keeps the codecs whose name contains it (and L1).
    let only = std::env::var("DEFLATE_SPEED_ONLY").ok();
    let codecs: Vec<Codec> = codecs
        .filter(|c| {
            let wanted = match &only {
                None => true,
                Some(o) => c.name().contains(o.as_str()),
            };
            wanted || matches!(c, Codec::Libdeflate(1) | Codec::Isal(_))
        })
        .collect();
    let mut runner = Runner {
        ours: DeflateCompressor::new(),
        ld: [1, 6, 9, 12]
            .iter()
            .map(|&l| (l, Compressor::new(CompressionLvl::new(l).expect("level"))))
            .collect(),
        isal,
    };
    let mut dec = Decompressor::new();
    println!(
        "file {path}: {} bytes, {reps} repetitions, median",
        data.len()
    );
    println!(
        "{:<22} {:>7} {:>7} {:>8} {:>9} {:>8} {:>9} {:>9}",
        "codec", "request", "in/out", "out/in", "MB/s", "vs L1", "vs peer", "vs ISA-L1"
    );
    let isal1 = codecs.iter().position(|c| matches!(c, Codec::Isal(1)));
    // DEFLATE_SPEED_REQ=8192 limits the run to one request size.
    let reqs: Vec<usize> = match std::env::var("DEFLATE_SPEED_REQ")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        Some(r) => vec![r],
        None => vec![65_536, 8_192],
    };
    for req in reqs {
        let mut out = vec![0u8; deflate_compress_bound(req).max(req + 1024)];
        let mut sizes = vec![0usize; codecs.len()];
        // Verification pass: every request must decode back to its input.
        for (ci, &c) in codecs.iter().enumerate() {
            let mut outs = Vec::new();
            sizes[ci] = runner.run(c, &data, req, &mut out, &mut outs, true);
            let mut back = vec![0u8; req];
            for (chunk, comp) in data.chunks(req).zip(&outs) {
                let n = dec
                    .deflate_decompress(comp, &mut back)
                    .unwrap_or_else(|e| panic!("{}: output does not decode: {e:?}", c.name()));
                assert_eq!(&back[..n], chunk, "{}: round trip differs", c.name());
            }
        }
        // Codecs take turns on each group of about 512 KiB of requests, so that a
        // burst of other work on the machine hits all of them alike.
        let group = (512 * 1024 / req).max(1) * req;
        let mut times = vec![Vec::with_capacity(reps); codecs.len()];
        // Per-group times, in the same order for every codec: speed ratios are
        // taken group by group (neighbours in time), then their median.
        let mut gtimes = vec![Vec::new(); codecs.len()];
        let mut none = Vec::new();
        for _ in 0..reps {
            let mut total = vec![0f64; codecs.len()];
            let mut bytes = vec![0usize; codecs.len()];
            for g in data.chunks(group) {
                for (ci, &c) in codecs.iter().enumerate() {
                    let t = Instant::now();
                    bytes[ci] += runner.run(c, g, req, &mut out, &mut none, false);
                    let el = t.elapsed().as_secs_f64();
                    total[ci] += el;
                    gtimes[ci].push(el);
                }
            }
            for ci in 0..codecs.len() {
                assert_eq!(bytes[ci], sizes[ci]);
                times[ci].push(total[ci]);
            }
        }
        let speed: Vec<f64> = times
            .iter_mut()
            .map(|t| data.len() as f64 / median(t) / 1e6)
            .collect();
        let ratio = |a: usize, b: usize| {
            let mut r: Vec<f64> = gtimes[b]
                .iter()
                .zip(&gtimes[a])
                .map(|(tb, ta)| tb / ta)
                .collect();
            median(&mut r)
        };
        for (ci, &c) in codecs.iter().enumerate() {
            let peer = c
                .peer_level()
                .and_then(|l| {
                    codecs
                        .iter()
                        .position(|x| matches!(x, Codec::Libdeflate(y) if *y == l))
                })
                .map(|p| format!("{:.2}x", ratio(ci, p)))
                .unwrap_or_else(|| "-".into());
            let vs_isal = isal1
                .map(|p| format!("{:.2}x", ratio(ci, p)))
                .unwrap_or_else(|| "-".into());
            println!(
                "{:<22} {:>7} {:>7.3} {:>8.4} {:>9.1} {:>7.2}x {:>9} {:>9}",
                c.name(),
                req,
                data.len() as f64 / sizes[ci] as f64,
                sizes[ci] as f64 / data.len() as f64,
                speed[ci],
                ratio(ci, 0),
                peer,
                vs_isal
            );
        }
    }
}
