//! SNOW 3G throughput: UEA2 and UIA2 over 4 KiB messages, one second each.
//!
//! `cargo run --release -p softqat-engine --example snow3g_speed`

use std::hint::black_box;
use std::time::{Duration, Instant};

use softqat_engine::wireless::snow3g::{uea2, uia2};

const MSG: usize = 4096;
const RUN: Duration = Duration::from_secs(1);

/// Runs `f` over and over for `RUN`; returns MB/s (10^6 bytes per second).
fn measure(mut f: impl FnMut(u32)) -> f64 {
    // Warm up caches and the branch predictor.
    for i in 0..64 {
        f(i);
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < RUN {
        for _ in 0..16 {
            f(n as u32);
            n += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    (n as f64 * MSG as f64) / secs / 1e6
}

fn main() {
    let key: [u8; 16] = core::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0x5A);
    let mut data: Vec<u8> = (0..MSG).map(|i| (i as u8).wrapping_mul(151)).collect();
    let bits = (MSG * 8) as u64;

    let enc = measure(|count| {
        uea2(&key, count, 0x0C, 1, black_box(&mut data), bits).unwrap();
    });
    println!("UEA2 (f8) {MSG}-byte messages: {enc:8.1} MB/s");

    let mut sink = 0u32;
    let mac = measure(|count| {
        let m = uia2(&key, count, 0x1234_5678, 0, black_box(&data), bits).unwrap();
        sink ^= u32::from_be_bytes(m);
    });
    black_box(sink);
    println!("UIA2 (f9) {MSG}-byte messages: {mac:8.1} MB/s");
}
