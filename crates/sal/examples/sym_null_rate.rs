//! The symmetric stack's own cost: NULL-cipher requests (the engine does no
//! crypto) through one instance, asynchronous and data plane, requests/s;
//! with `gcm`, AES-128-GCM instead (the async part), to profile the engine
//! side of a real request.
//! `cargo run --release -p softqat-sal --example sym_null_rate [gcm]`

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use softqat_sal::sym::{CipherAlgorithm, CipherDirection};
use softqat_sal::{
    ConfigSource, DmaBuf, Qat, StartOptions, SymData, SymDpOp, SymRequest, SymSessionSetup,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let qat = Qat::start_with(
        "NULLRATE",
        &StartOptions {
            config: std::env::var_os("SOFTQAT_CONFIG_DIR")
                .map_or(ConfigSource::Builtin, |d| ConfigSource::Dir(d.into())),
            engine_threads: Some(1),
            ..StartOptions::default()
        },
    )?;
    let inst = qat.cy_instances()[0].clone();
    inst.start()?;
    let gcm = std::env::args().nth(1).as_deref() == Some("gcm");
    let setup = if gcm {
        SymSessionSetup::aead(
            CipherAlgorithm::AesGcm,
            &[1u8; 16],
            CipherDirection::Encrypt,
            16,
            0,
        )
        .appended()
    } else {
        SymSessionSetup::cipher(CipherAlgorithm::Null, &[], CipherDirection::Encrypt)
    };
    let sync = inst.init_sym_session(&setup)?;
    let mut buf = vec![0u8; 64];
    let mut lat = Vec::new();
    for _ in 0..2000 {
        let t = Instant::now();
        if !gcm {
            inst.perform_in_place(&sync, softqat_sal::SymOpData::cipher(&[], 0, 64), &mut buf)?;
        }
        lat.push(t.elapsed().as_nanos() as u64);
    }
    lat.sort_unstable();
    println!(
        "sync NULL 64 B round trip: median {} ns, p99 {} ns, max {} ns",
        lat[lat.len() / 2],
        lat[lat.len() * 99 / 100],
        lat[lat.len() - 1]
    );
    let pool: Arc<Mutex<Vec<DmaBuf>>> = Arc::new(Mutex::new(
        (0..16)
            .map(|_| DmaBuf::from_slice(&[0u8; 4096 + 16]))
            .collect(),
    ));
    let done = Arc::new(AtomicU64::new(0));
    let (p2, d2) = (pool.clone(), done.clone());
    let s = inst.init_sym_session_async(&setup, move |c| {
        d2.fetch_add(1, Ordering::Relaxed);
        if let SymData::Flat(b) = c.src {
            p2.lock().unwrap().push(b);
        }
    })?;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(2) {
        while let Some(b) = pool.lock().unwrap().pop() {
            let r = SymRequest::with_iv(if gcm { &[2u8; 12] } else { &[] }).cipher(0, 4096);
            if let Err(rej) = inst.submit(&s, r, SymData::Flat(b), None, 0) {
                if let SymData::Flat(b) = rej.src {
                    pool.lock().unwrap().push(b);
                }
                break;
            }
        }
        let _ = inst.poll(0);
    }
    let n = done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64();
    println!(
        "async {} 4 KiB: {n:.0} requests/s ({:.0} ns each)",
        if gcm { "AES-128-GCM" } else { "NULL" },
        1e9 / n
    );

    let dps = inst.init_sym_dp_session(&setup)?;
    let back: Arc<Mutex<Vec<SymDpOp>>> = Arc::default();
    let (b2, d3) = (back.clone(), Arc::new(AtomicU64::new(0)));
    let d4 = d3.clone();
    inst.sym_dp_register_callback(move |c| {
        d4.fetch_add(1, Ordering::Relaxed);
        b2.lock().unwrap().push(c.op);
    });
    let mut free: Vec<SymDpOp> = (0..128)
        .map(|i| SymDpOp {
            session: dps.clone(),
            request: SymRequest::with_iv(&[]).cipher(0, 64),
            src: DmaBuf::from_slice(&[0u8; 64]),
            dst: None,
            tag: i,
        })
        .collect();
    let mut batch = Vec::with_capacity(32);
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(2) {
        free.append(&mut back.lock().unwrap());
        while free.len() >= 32 {
            batch.extend(free.drain(free.len() - 32..));
            if inst.sym_dp_enqueue_batch(&mut batch, true).is_err() {
                free.append(&mut batch);
                break;
            }
        }
        let _ = inst.dp_poll(0);
    }
    let n = d3.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64();
    println!(
        "DP NULL 64 B, batches of 32: {n:.0} requests/s ({:.0} ns each)",
        1e9 / n
    );
    Ok(())
}
