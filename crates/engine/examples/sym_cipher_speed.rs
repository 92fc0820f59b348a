//! MB/s of `sym::cipher` over 4 KiB messages, one second per algorithm.
//! Run: `cargo run --release -p softqat-engine --example sym_cipher_speed`

use softqat_engine::sym::cipher::{CipherAlgorithm as A, CipherSession, Direction};
use std::time::{Duration, Instant};

fn main() {
    let cases: [(&str, A, usize); 6] = [
        ("AES-128-CBC encrypt", A::AesCbc, 16),
        ("AES-128-CTR", A::AesCtr, 16),
        ("AES-128-XTS encrypt", A::AesXts, 32),
        ("3DES-CBC encrypt", A::TripleDesCbc, 24),
        ("ChaCha20", A::Chacha20, 32),
        ("SM4-CBC encrypt", A::Sm4Cbc, 16),
    ];
    let mut buf = vec![0x3cu8; 4096];
    for (name, alg, klen) in cases {
        let key: Vec<u8> = (0..klen as u8).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
        let s = match CipherSession::new(alg, &key, Direction::Encrypt) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{name}: {e}");
                std::process::exit(1);
            }
        };
        let iv = vec![7u8; s.iv_len()];
        let start = Instant::now();
        let mut bytes = 0u64;
        while start.elapsed() < Duration::from_secs(1) {
            for _ in 0..64 {
                if let Err(e) = s.apply(&iv, &mut buf) {
                    eprintln!("{name}: {e}");
                    std::process::exit(1);
                }
                bytes += buf.len() as u64;
            }
        }
        let mbs = bytes as f64 / start.elapsed().as_secs_f64() / 1e6;
        println!("{name:<22} {mbs:>9.0} MB/s");
    }
}
