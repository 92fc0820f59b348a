//! Throughput of 128-EEA3 and 128-EIA3 on 4 KiB messages, one second each.
//!
//! `cargo run --release -p softqat-engine --example zuc_speed`
//!
//! Every message is a separate request (key setup and the 33 ZUC
//! initialisation rounds included), as QAT would run them. MB/s is 10^6 bytes
//! of message per second.

use std::hint::black_box;
use std::time::{Duration, Instant};

use softqat_engine::wireless::zuc::{eea3, eia3};

const MSG: usize = 4096;
const RUN: Duration = Duration::from_secs(1);

/// Run `f` on successive COUNT values for about [`RUN`]; MB/s.
fn measure(mut f: impl FnMut(u32)) -> f64 {
    // Warm up.
    for c in 0..64 {
        f(c);
    }
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < RUN {
        for _ in 0..64 {
            f(n);
            n = n.wrapping_add(1);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    f64::from(n) * MSG as f64 / secs / 1e6
}

fn main() {
    let key = [0x5Au8; 16];
    let mut data: Vec<u8> = (0..MSG).map(|i| (i * 131 + 7) as u8).collect();
    let bits = (MSG * 8) as u64;

    let enc = measure(|count| {
        eea3(&key, count, 3, 1, black_box(&mut data), bits).expect("valid request");
    });
    let mut sink = 0u32;
    let mac = measure(|count| {
        let m = eia3(&key, count, 3, 1, black_box(&data), bits).expect("valid request");
        sink ^= u32::from_be_bytes(m);
    });
    black_box(sink);
    println!("ZUC 128-EEA3, {MSG}-byte messages: {enc:8.1} MB/s");
    println!("ZUC 128-EIA3, {MSG}-byte messages: {mac:8.1} MB/s");
}
