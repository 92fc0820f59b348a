//! Throughput of `sym::hash` over 4 KiB messages, 1 s per algorithm:
//! `cargo run --release -p softqat-engine --example sym_hash_speed`.

use std::time::{Duration, Instant};

use softqat_engine::sym::hash::{HashAlgorithm, HashSession};

fn main() {
    let msg: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let cases = [
        ("SHA-1", HashSession::plain(HashAlgorithm::Sha1)),
        ("SHA-256", HashSession::plain(HashAlgorithm::Sha256)),
        ("SHA-512", HashSession::plain(HashAlgorithm::Sha512)),
        ("SHA3-256", HashSession::plain(HashAlgorithm::Sha3_256)),
        ("SM3", HashSession::plain(HashAlgorithm::Sm3)),
        (
            "HMAC-SHA-256",
            HashSession::hmac(HashAlgorithm::Sha256, b"a 32-byte key for the benchmark!")
                .expect("HMAC-SHA-256 session"),
        ),
    ];
    for (name, s) in cases {
        let mut out = [0u8; 64];
        let n = s.max_digest_len().min(64);
        let start = Instant::now();
        let mut bytes = 0u64;
        while start.elapsed() < Duration::from_secs(1) {
            for _ in 0..64 {
                s.digest(std::hint::black_box(&msg), &mut out[..n])
                    .expect("digest");
                bytes += msg.len() as u64;
            }
        }
        let mbs = bytes as f64 / start.elapsed().as_secs_f64() / 1e6;
        println!("{name:<14} {mbs:>8.0} MB/s");
    }
}
