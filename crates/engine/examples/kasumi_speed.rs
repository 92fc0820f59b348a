//! KASUMI f8 and f9 throughput over 4 KiB messages, one second each, with the
//! key schedules precomputed (a session's steady state).
//!
//! `cargo run --release -p softqat-engine --example kasumi_speed`

use std::hint::black_box;
use std::time::{Duration, Instant};

use softqat_engine::wireless::kasumi::{KasumiF8, KasumiF9};

const MESSAGE: usize = 4096;
const RUN: Duration = Duration::from_secs(1);

/// Runs `op` repeatedly for about `RUN`, returns MB/s (10^6 bytes per second).
fn measure(mut op: impl FnMut(u32)) -> f64 {
    // Warm-up.
    for i in 0..16 {
        op(i);
    }
    let start = Instant::now();
    let mut count = 0u32;
    while start.elapsed() < RUN {
        for _ in 0..16 {
            op(count);
            count = count.wrapping_add(1);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    f64::from(count) * MESSAGE as f64 / secs / 1e6
}

fn main() {
    let key = [
        0x2B, 0xD6, 0x45, 0x9F, 0x82, 0xC5, 0xB3, 0x00, 0x95, 0x2C, 0x49, 0x10, 0x48, 0x81, 0xFF,
        0x48,
    ];
    let mut data: Vec<u8> = (0..MESSAGE).map(|i| (i * 31 + 7) as u8).collect();
    let bits = (MESSAGE * 8) as u64;

    let f8 = KasumiF8::new(&key);
    let f8_rate = measure(|count| {
        f8.apply(count, 0x0C, 1, black_box(&mut data), bits)
            .expect("f8");
    });
    println!("KASUMI f8: {f8_rate:8.1} MB/s ({MESSAGE}-byte messages, in place)");

    let f9 = KasumiF9::new(&key);
    let f9_rate = measure(|count| {
        black_box(
            f9.mac(count, 0x05D2_EC49, 0, black_box(&data), bits)
                .expect("f9"),
        );
    });
    println!("KASUMI f9: {f9_rate:8.1} MB/s ({MESSAGE}-byte messages)");
}
