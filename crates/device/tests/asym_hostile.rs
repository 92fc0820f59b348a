//! The public-key firmware against hostile requests: random commands,
//! number counts, length tables (too long, past the buffer, zero), random
//! numbers and arguments, for every function. Each request must get a
//! response — success or a failure status — and the firmware must never
//! panic or touch memory outside the request's buffer.

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
}

/// A number length: mostly the sizes the operations take, sometimes odd
/// ones, zero or huge.
fn length(r: &mut Rng) -> u32 {
    const USUAL: [u32; 12] = [0, 1, 8, 16, 28, 32, 48, 56, 64, 66, 128, 256];
    match r.below(10) {
        0 => r.below(600) as u32,
        1 => ASYM_MAX_NUMBER as u32 + r.below(3) as u32,
        _ => USUAL[r.below(USUAL.len() as u64) as usize],
    }
}

#[test]
fn random_requests_get_a_response_and_nothing_else_is_touched() {
    let shared = Arc::new(FirmwareShared::default());
    let mut fw = Firmware::new(&[ServiceId::Asym], LevelMapping::Gen4, &shared);
    // SAFETY: every buffer named below lives until its request is answered
    // (execute is synchronous here).
    let memory = unsafe { OwnerMemory::passthrough() };
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let mut statuses = std::collections::BTreeMap::new();
    for i in 0..6000u32 {
        let f = 1 + (i % 43) as u8; // 41 functions and two unknown commands
        let sig = AsymFunction::from_u8(f).map(|f| f.signature());
        // Usually the function's own counts, sometimes wrong ones.
        let (n_in, n_out) = match (sig, r.below(8)) {
            (Some(s), 0..=5) => (s.inputs, s.outputs),
            _ => (r.below(17) as u8, r.below(6) as u8),
        };
        let n = usize::from(n_in) + usize::from(n_out);
        let lens: Vec<u32> = (0..n).map(|_| length(&mut r)).collect();
        let table = asym_table_len(n);
        let body: usize = lens.iter().map(|l| *l as usize).sum();
        // Sometimes the buffer is cut short of what the table says.
        let cut = if r.below(6) == 0 {
            r.below(body as u64 + 1) as usize
        } else {
            body
        };
        let len = table + cut + ASYM_REASON_LEN;
        // Guard bytes on both sides catch any write outside the buffer.
        let mut mem = vec![0xA5u8; len + 128];
        for (k, l) in lens.iter().enumerate() {
            mem[64 + k * 4..64 + k * 4 + 4].copy_from_slice(&l.to_le_bytes());
        }
        for b in &mut mem[64 + table..64 + len - ASYM_REASON_LEN] {
            *b = r.next() as u8;
        }
        let addr = mem[64..].as_ptr() as u64;
        let mut req = RequestDesc::zeroed();
        req.header.service = ServiceId::Asym as u8;
        req.header.command = f;
        req.header.opaque = i;
        req.src = BufferDesc::flat(Iova(addr), len as u32);
        req.dst = req.src;
        let args = [
            r.below(6) as u32,
            r.below(3) as u32,
            r.below(20) as u32,
            r.next() as u32,
        ];
        req.set_params(&AsymRequestParams {
            n_in,
            n_out,
            args,
            ..AsymRequestParams::default()
        });
        let resp = fw.execute(&req, &memory);
        assert_eq!(resp.opaque, i, "the response answers the request");
        let status = CpaStatus::from_code(i32::from(resp.cpa_status));
        *statuses.entry(format!("{status:?}")).or_insert(0u32) += 1;
        assert!(
            mem[..64].iter().all(|b| *b == 0xA5),
            "write before the buffer ({f})"
        );
        assert!(
            mem[64 + len..].iter().all(|b| *b == 0xA5),
            "write past the buffer ({f})"
        );
        if AsymFunction::from_u8(f).is_none() {
            assert_eq!(status, CpaStatus::InvalidParam);
        }
    }
    // Garbage is mostly refused, and the refusals are the documented ones.
    for s in statuses.keys() {
        assert!(
            ["Success", "InvalidParam", "Fail", "Unsupported"].contains(&s.as_str()),
            "{statuses:?}"
        );
    }
    assert!(
        statuses.get("InvalidParam").copied().unwrap_or(0) > 3000,
        "{statuses:?}"
    );
}
