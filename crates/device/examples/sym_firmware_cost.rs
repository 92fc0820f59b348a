//! What the symmetric firmware adds to the engine, without rings or threads:
//! 4 KiB AES-128-GCM requests through `Firmware::execute` (session lookup,
//! descriptor checks, buffer translation, response) against
//! `AeadSession::seal` on the same buffer, interleaved, ns per request.
//! `cargo run --release -p softqat-device --example sym_firmware_cost [null]`
//! (`null`: a NULL-cipher session, the firmware's fixed cost alone).

use std::sync::Arc;
use std::time::Instant;

use bytemuck::Zeroable;
use softqat_device::desc::*;
use softqat_device::dma::OwnerMemory;
use softqat_device::firmware::{Firmware, FirmwareShared};
use softqat_engine::deflate::LevelMapping;
use softqat_engine::sym::aead::{AeadAlgorithm, AeadSession};

const N: u32 = 50_000;

fn main() {
    let key = [7u8; 16];
    let mut d = SymSessionDesc {
        op: 3,
        cipher_alg: 7,
        cipher_dir: 1,
        hash_alg: 9,
        hash_mode: 2,
        chain_order: 2,
        flags: SYM_DIGEST_APPENDED,
        digest_len: 16,
        cipher_key_len: 16,
        ..SymSessionDesc::default()
    };
    d.cipher_key[..16].copy_from_slice(&key);
    let null = std::env::args().nth(1).as_deref() == Some("null");
    if null {
        // The firmware's fixed cost alone: a NULL cipher over the region.
        d = SymSessionDesc {
            op: 1,
            cipher_alg: 1,
            cipher_dir: 1,
            ..SymSessionDesc::default()
        };
    }
    let content = Box::new(SymContent::new(d, 1));
    let mut buf = vec![3u8; 4096 + 16];
    let mut req = RequestDesc::zeroed();
    req.header.service = ServiceId::Sym as u8;
    req.header.command = SymCommand::Perform as u8;
    req.content = Iova(&*content as *const SymContent as u64);
    req.content_len = std::mem::size_of::<SymContent>() as u32;
    req.src = BufferDesc::flat(Iova(buf.as_mut_ptr() as u64), buf.len() as u32);
    req.dst = req.src;
    let mut iv = [0u8; 16];
    iv[..12].copy_from_slice(&[9u8; 12]);
    req.set_params(&SymRequestParams {
        packet: 1,
        iv_len: if null { 0 } else { 12 },
        cipher_len: 4096,
        iv,
        ..SymRequestParams::default()
    });
    // SAFETY: every address the descriptor names (the content descriptor and
    // `buf`) lives until the end of main, and nothing else touches `buf`
    // while the firmware runs.
    let memory = unsafe { OwnerMemory::passthrough() };
    let mut fw = Firmware::new(
        &[ServiceId::Sym],
        LevelMapping::Gen4,
        &Arc::new(FirmwareShared::default()),
    );
    let aead = AeadSession::new(AeadAlgorithm::AesGcm, &key, 16).unwrap();
    let mut raw = vec![3u8; 4096];
    let mut tag = [0u8; 16];
    // Interleaved rounds; the fastest round of each is reported (the least
    // disturbed by the machine).
    let (mut t_fw, mut t_raw) = (f64::MAX, f64::MAX);
    for _ in 0..15 {
        let t = Instant::now();
        for _ in 0..N {
            let r = fw.execute(&req, &memory);
            assert_eq!(r.cpa_status, 0);
        }
        t_fw = t_fw.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        for _ in 0..N {
            if !null {
                aead.seal(&[9u8; 12], &[], &mut raw, &mut tag).unwrap();
            }
        }
        t_raw = t_raw.min(t.elapsed().as_secs_f64());
    }
    let per = |t: f64| t / f64::from(N) * 1e9;
    println!(
        "{} 4 KiB, fastest of 15 rounds: firmware {:.0} ns, engine {:.0} ns, \
         firmware cost {:.0} ns per request",
        if null { "NULL cipher" } else { "AES-128-GCM" },
        per(t_fw),
        per(t_raw),
        per(t_fw) - per(t_raw)
    );
    drop(content);
}
