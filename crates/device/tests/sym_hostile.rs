//! The symmetric firmware against hostile requests: sessions with random
//! algorithms, modes, directions, flags, key and digest lengths (in and out
//! of range), and requests with random packet types, IV lengths, regions,
//! AAD and digest addresses (inside their buffers or not), for each of a
//! few thousand rounds. Every request must get a response — success or a
//! failure status — and the firmware must never panic or write outside the
//! request's buffers.

use std::sync::Arc;

use bytemuck::Zeroable;
use softqat_cpa::CpaStatus;
use softqat_device::desc::*;
use softqat_device::dma::OwnerMemory;
use softqat_device::firmware::{Firmware, FirmwareShared};
use softqat_device::{Iova, ServiceId};
use softqat_engine::deflate::LevelMapping;

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// Usually one of `usual`, sometimes anything below `any`.
    fn pick(&mut self, usual: &[u64], any: u64) -> u64 {
        if self.below(8) == 0 {
            self.below(any)
        } else {
            usual[self.below(usual.len() as u64) as usize]
        }
    }
}

/// A buffer with guard bytes on both sides.
struct Guarded(Vec<u8>, usize);

impl Guarded {
    fn new(len: usize, r: &mut Rng) -> Guarded {
        let mut v = vec![0xA5u8; len + 128];
        for b in &mut v[64..64 + len] {
            *b = r.next() as u8;
        }
        Guarded(v, len)
    }

    fn addr(&self) -> u64 {
        self.0[64..].as_ptr() as u64
    }

    fn intact(&self) -> bool {
        self.0[..64].iter().all(|b| *b == 0xA5) && self.0[64 + self.1..].iter().all(|b| *b == 0xA5)
    }
}

/// Valid sessions (CPA values): AES-128-GCM, HMAC-SHA256, AES-128-CBC,
/// AES-128-CBC then HMAC-SHA256, AES-128-CTR.
fn template(kind: u64) -> SymSessionDesc {
    let base = SymSessionDesc::zeroed();
    match kind {
        0 => SymSessionDesc {
            op: 3,
            cipher_alg: 7,
            cipher_dir: 1,
            hash_alg: 9,
            hash_mode: 2,
            chain_order: 2,
            flags: SYM_DIGEST_APPENDED,
            digest_len: 16,
            aad_len: 8,
            cipher_key_len: 16,
            ..base
        },
        1 => SymSessionDesc {
            op: 2,
            hash_alg: 4,
            hash_mode: 2,
            digest_len: 32,
            auth_key_len: 32,
            ..base
        },
        2 => SymSessionDesc {
            op: 1,
            cipher_alg: 4,
            cipher_dir: 1,
            cipher_key_len: 16,
            ..base
        },
        3 => SymSessionDesc {
            op: 3,
            cipher_alg: 4,
            cipher_dir: 1,
            hash_alg: 4,
            hash_mode: 2,
            chain_order: 2,
            flags: SYM_DIGEST_APPENDED,
            digest_len: 32,
            cipher_key_len: 16,
            auth_key_len: 32,
            ..base
        },
        _ => SymSessionDesc {
            op: 1,
            cipher_alg: 5,
            cipher_dir: 1,
            cipher_key_len: 16,
            ..base
        },
    }
}

#[test]
fn random_sessions_and_requests_get_a_response_and_nothing_else_is_touched() {
    let shared = Arc::new(FirmwareShared::default());
    let mut fw = Firmware::new(&[ServiceId::Sym], LevelMapping::Gen4, &shared);
    // SAFETY: every buffer named below lives until its request is answered
    // (execute is synchronous here).
    let memory = unsafe { OwnerMemory::passthrough() };
    let mut r = Rng(0x51_7cc1_b727_220a);
    let mut ok = 0u32;
    for i in 0..20_000u32 {
        // A valid session of one of a few kinds, then a few fields
        // changed at random (or none).
        let mut s = template(r.below(5));
        for _ in 0..r.below(3) {
            match r.below(12) {
                0 => s.op = r.below(6) as u8,
                1 => s.cipher_alg = r.below(32) as u8,
                2 => s.cipher_dir = r.below(3) as u8,
                3 => s.hash_alg = r.below(32) as u8,
                4 => s.hash_mode = r.below(5) as u8,
                5 => s.chain_order = r.below(4) as u8,
                6 => s.flags = r.below(8) as u8,
                7 => s.digest_len = r.pick(&[0, 4, 12, 16, 20, 33, 64], 600) as u16,
                8 => s.aad_len = r.pick(&[0, 8, 13, 16, 241], 2000) as u16,
                9 => s.cipher_key_len = r.pick(&[0, 8, 16, 24, 32, 33], 600) as u16,
                10 => s.auth_key_len = r.pick(&[0, 16, 64, 128], 600) as u16,
                _ => s.inner_prefix_len = r.pick(&[0, 8], 600) as u16,
            }
        }
        for b in s.cipher_key.iter_mut().chain(s.auth_key.iter_mut()) {
            *b = r.next() as u8;
        }
        let content = Box::new(SymContent::new(s, 1 + u64::from(i)));
        let n = r.pick(&[16, 64, 64, 4096, 0, 1, 15, 17, 100], 5000) as usize;
        let src = Guarded::new(n + 64, &mut r);
        let out_of_place = r.below(3) == 0;
        let dst = Guarded::new(n + 64 + r.below(3) as usize * 16, &mut r);
        let aad = Guarded::new(512, &mut r);
        let digest = Guarded::new(64, &mut r);
        let mut p = SymRequestParams::zeroed();
        p.packet = r.pick(&[1, 1, 1, 2, 3], 5) as u8;
        p.iv_len = r.pick(&[12, 16, 16, 0, 8], 20) as u8;
        p.flags = r.below(2) as u8;
        p.cipher_offset = r.pick(&[0, 0, 0, 1, 16], 200) as u32;
        p.cipher_len = r.pick(
            &[n as u64, n as u64, n as u64, 0, n as u64 / 2, n as u64 + 1],
            10_000,
        ) as u32;
        p.hash_offset = r.pick(&[0, 0, 0, 8], 200) as u32;
        p.hash_len = r.pick(&[n as u64, n as u64, 0, n as u64 + 8], 10_000) as u32;
        for b in &mut p.iv {
            *b = r.next() as u8;
        }
        p.aad = Iova(if r.below(10) == 0 { 0 } else { aad.addr() });
        p.digest = Iova(if r.below(10) == 0 { 0 } else { digest.addr() });
        let mut req = RequestDesc::zeroed();
        req.header.service = ServiceId::Sym as u8;
        req.header.command = r.pick(&[1], 4) as u8;
        req.header.opaque = i;
        req.content = Iova(&*content as *const SymContent as u64);
        req.content_len = std::mem::size_of::<SymContent>() as u32;
        req.src = BufferDesc::flat(Iova(src.addr()), (n + r.below(2) as usize * 16) as u32);
        req.dst = if out_of_place {
            BufferDesc::flat(Iova(dst.addr()), (n + r.below(3) as usize * 16) as u32)
        } else {
            req.src
        };
        req.set_params(&p);
        let resp = fw.execute(&req, &memory);
        assert_eq!(resp.opaque, i, "the response answers the request");
        let status = CpaStatus::from_code(i32::from(resp.cpa_status));
        assert!(
            [
                CpaStatus::Success,
                CpaStatus::InvalidParam,
                CpaStatus::Fail,
                CpaStatus::Unsupported,
                CpaStatus::Resource
            ]
            .contains(&status),
            "{status:?}"
        );
        ok += u32::from(status == CpaStatus::Success);
        for (name, g) in [
            ("src", &src),
            ("dst", &dst),
            ("aad", &aad),
            ("digest", &digest),
        ] {
            assert!(g.intact(), "a write outside {name} in round {i}");
        }
    }
    // Some of the random sessions are valid: the deep paths ran.
    eprintln!("{ok} of 20000 random requests succeeded");
    assert!(ok > 500, "only {ok} requests succeeded");
}
