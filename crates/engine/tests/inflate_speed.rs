//! Throughput of the validating decoder against libdeflate (run on demand:
//! `cargo test --release -p softqat-engine --test inflate_speed -- --ignored --nocapture`).
//! Prints MB/s of decompressed output; asserts only that both decode correctly.

use std::io::Write;
use std::time::Instant;

use softqat_engine::deflate::decompress::Decompressor;
use softqat_engine::deflate::inflate::Inflater;
use softqat_engine::DcStatus;

mod common;
use common::corpus;

fn deflate(data: &[u8], level: u32) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn time<F: FnMut()>(mut f: F) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

#[test]
#[ignore]
fn inflater_vs_libdeflate_on_calgary() {
    let data = corpus("calgary");
    for (label, chunk) in [("whole file", data.len()), ("64 KiB requests", 65536)] {
        for level in [1u32, 6, 9] {
            let streams: Vec<(Vec<u8>, usize)> = data
                .chunks(chunk)
                .map(|c| (deflate(c, level), c.len()))
                .collect();
            let mut dst = vec![0u8; chunk];
            let mut inf = Inflater::new();
            let t_inf = time(|| {
                for (s, n) in &streams {
                    let o = inf.inflate(s, &mut dst, true);
                    assert_eq!((o.status, o.produced), (DcStatus::Ok, *n));
                }
            });
            let mut ld = libdeflater::Decompressor::new();
            let t_ld = time(|| {
                for (s, n) in &streams {
                    assert_eq!(ld.deflate_decompress(s, &mut dst).unwrap(), *n);
                }
            });
            let mut dec = Decompressor::new();
            let t_dec = time(|| {
                for (s, n) in &streams {
                    let o = dec.decompress(s, &mut dst, true);
                    assert_eq!((o.status, o.produced), (DcStatus::Ok, *n));
                }
            });
            let mb = data.len() as f64 / 1e6;
            println!(
                "{label:>16} level {level}: Inflater {:7.0} MB/s  libdeflate {:7.0} MB/s  Decompressor {:7.0} MB/s",
                mb / t_inf,
                mb / t_ld,
                mb / t_dec
            );
        }
    }
}
