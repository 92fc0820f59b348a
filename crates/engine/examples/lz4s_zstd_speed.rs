//! Speed and ratio of LZ4S compression and of the LZ4S → zstd coding (the
//! QAT zstd plugin's path), of whole `CPA_DC_ZSTD` requests through the
//! engine (compression, and decompression of their frames), against
//! libzstd compressing the same 64 KiB requests at levels 1 and 3.
//!
//! `cargo run --release -p softqat-engine --example lz4s_zstd_speed [-- FILE [REPS]]`
//!
//! Every zstd frame is decoded with libzstd and compared with its request
//! before any timing. MB/s counts input bytes; each figure is the median
//! over the repetitions.

use std::time::Instant;

use softqat_engine::dc::{
    AutoSelectBest, ChecksumType, DcAlgorithm, DcEngine, DcParams, DcRequest,
};
use softqat_engine::deflate::compress::DeflateCompressor;
use softqat_engine::deflate::{HuffmanMode, SearchDepth};
use softqat_engine::lz4::BlockFormat;
use softqat_engine::lz4s;
use softqat_engine::zstd::{compress_bound, ZstdEncoder};
use softqat_engine::DcStatus;

const DEFAULT_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/calgary");
const REQUEST: usize = 64 << 10;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args.next().unwrap_or_else(|| DEFAULT_FILE.to_string());
    let reps: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let chunks: Vec<&[u8]> = data.chunks(REQUEST).collect();
    let mb = data.len() as f64 / 1e6;
    let mut finder = DeflateCompressor::new();
    let mut enc = ZstdEncoder::new();
    let mut lz4s_buf = vec![0u8; lz4s::compress_bound(REQUEST as u64) as usize];
    let mut frame = vec![0u8; compress_bound(REQUEST)];
    println!(
        "{file}: {} bytes in {} requests of {REQUEST} bytes, {reps} repetitions",
        data.len(),
        chunks.len()
    );
    println!(
        "{:<28} {:>10} {:>8} {:>10}",
        "codec", "bytes", "ratio", "MB/s"
    );
    for (depth, mm) in [(1u16, 3u8), (6, 3), (9, 3)] {
        // Check every frame once, and gather the LZ4S for the coding runs.
        let mut blocks = Vec::new();
        let (mut lz4s_total, mut zstd_total) = (0usize, 0usize);
        for c in &chunks {
            let o = lz4s::compress(&mut finder, c, &mut lz4s_buf, SearchDepth(depth), mm);
            assert!(!o.overflow);
            let block = lz4s_buf[..o.produced].to_vec();
            let n = enc.lz4s_to_zstd(c, &block, mm, &mut frame).unwrap();
            assert!(zstd::stream::decode_all(&frame[..n]).unwrap() == *c);
            lz4s_total += block.len();
            zstd_total += n;
            blocks.push(block);
        }
        let mut t_lz4s = Vec::new();
        let mut t_zstd = Vec::new();
        for _ in 0..reps {
            let t = Instant::now();
            for c in &chunks {
                lz4s::compress(&mut finder, c, &mut lz4s_buf, SearchDepth(depth), mm);
            }
            t_lz4s.push(mb / t.elapsed().as_secs_f64());
            let t = Instant::now();
            for (c, b) in chunks.iter().zip(&blocks) {
                enc.lz4s_to_zstd(c, b, mm, &mut frame).unwrap();
            }
            t_zstd.push(mb / t.elapsed().as_secs_f64());
        }
        let ratio = |n: usize| data.len() as f64 / n as f64;
        println!(
            "{:<28} {:>10} {:>8.3} {:>10.1}",
            format!("LZ4S depth {depth} mm {mm}"),
            lz4s_total,
            ratio(lz4s_total),
            median(t_lz4s.clone())
        );
        // The whole path: the device's LZ4S then the coding, one after the other.
        let both: Vec<f64> = t_lz4s
            .iter()
            .zip(&t_zstd)
            .map(|(a, b)| 1.0 / (1.0 / a + 1.0 / b))
            .collect();
        println!(
            "{:<28} {:>10} {:>8.3} {:>10.1}   (coding alone {:.1} MB/s)",
            format!("  -> zstd frames"),
            zstd_total,
            ratio(zstd_total),
            median(both),
            median(t_zstd)
        );
    }
    // CPA_DC_ZSTD requests as a 6xxx endpoint's firmware runs them.
    let mut engine = DcEngine::new();
    let req = DcRequest {
        final_flush: true,
        verify: false,
        recover: false,
        overflow_is_error: false,
        seed_crc32: 0,
        seed_adler32: 1,
        inject: None,
    };
    let mut back = vec![0u8; REQUEST];
    for depth in [1u16, 6] {
        let params = DcParams {
            algorithm: DcAlgorithm::Zstd,
            huffman: HuffmanMode::Dynamic,
            asb: AutoSelectBest::Enabled,
            checksum: ChecksumType::Xxhash64,
            depth: SearchDepth(depth),
            min_match: 3,
            lz4: BlockFormat::QAT_DEFAULT,
        };
        let mut frames = Vec::new();
        for c in &chunks {
            let r = engine.compress(&params, &req, c, &mut frame).unwrap();
            assert_eq!(r.status, DcStatus::Ok);
            let f = frame[..r.produced as usize].to_vec();
            assert!(zstd::stream::decode_all(&f[..]).unwrap() == *c);
            frames.push(f);
        }
        let total: usize = frames.iter().map(Vec::len).sum();
        let (mut tc, mut td) = (Vec::new(), Vec::new());
        for _ in 0..reps {
            let t = Instant::now();
            for c in &chunks {
                engine.compress(&params, &req, c, &mut frame).unwrap();
            }
            tc.push(mb / t.elapsed().as_secs_f64());
            let t = Instant::now();
            for f in &frames {
                let d = engine.decompress(&params, &req, f, &mut back);
                assert_eq!(d.status, DcStatus::Ok);
            }
            td.push(mb / t.elapsed().as_secs_f64());
        }
        println!(
            "{:<28} {:>10} {:>8.3} {:>10.1}   (decompression {:.1} MB/s)",
            format!("CPA_DC_ZSTD depth {depth}"),
            total,
            data.len() as f64 / total as f64,
            median(tc),
            median(td)
        );
    }
    for level in [1, 3] {
        let mut total = 0usize;
        let mut times = Vec::new();
        for _ in 0..reps {
            total = 0;
            let t = Instant::now();
            for c in &chunks {
                total += zstd::bulk::compress(c, level).unwrap().len();
            }
            times.push(mb / t.elapsed().as_secs_f64());
        }
        println!(
            "{:<28} {:>10} {:>8.3} {:>10.1}",
            format!("libzstd level {level}"),
            total,
            data.len() as f64 / total as f64,
            median(times)
        );
    }
}
