//! The symmetric foreign request path (what the C ABI uses): requests on
//! memory named by address, the C layout of the CCM AAD, the caller's words
//! back in the session callback, queued partial packets, and no allocation
//! on this thread per request (submission, completion, callback).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use softqat_sal::sym::{CipherAlgorithm, CipherDirection, PacketType, SymOp};
use softqat_sal::{
    BufferDesc, CpaStatus, DmaBuf, ForeignSymOp, ForeignWords, Iova, SymOpData, SymSessionSetup,
};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// count is a const-initialised thread-local with no destructor.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

const KEY: [u8; 16] = [7; 16];
const IV: [u8; 16] = [9; 16];

fn op<'a>(iv: &'a [u8], len: u32) -> ForeignSymOp<'a> {
    ForeignSymOp {
        packet: PacketType::Full,
        iv,
        cipher_offset: 0,
        cipher_len: len,
        hash_offset: 0,
        hash_len: len,
        aad: Iova(0),
        digest: Iova(0),
        src_len: Some(u64::from(len)),
    }
}

fn flat(b: &DmaBuf) -> BufferDesc {
    BufferDesc::flat(b.iova(), b.len() as u32)
}

#[test]
fn async_requests_on_named_memory_allocate_nothing_per_request() {
    let (_qat, inst) = cy_start("SymForeign1");
    let done = Arc::new(AtomicUsize::new(0));
    let words_sum = Arc::new(AtomicU64::new(0));
    let (d, w) = (done.clone(), words_sum.clone());
    let s = inst
        .init_sym_session_foreign(
            &SymSessionSetup::cipher(CipherAlgorithm::AesCbc, &KEY, CipherDirection::Encrypt),
            Some(Arc::new(move |words: ForeignWords, status, op, r| {
                assert_eq!(status, CpaStatus::Success);
                assert_eq!(op, SymOp::Cipher);
                assert!(r.verify_ok);
                w.fetch_add((words.tag + words.op + words.dst) as u64, Ordering::Relaxed);
                d.fetch_add(1, Ordering::Relaxed);
            })),
        )
        .unwrap();
    let data: Vec<u8> = (0..4096u32).map(|i| (i * 31) as u8).collect();
    let src = dma(&data);
    let mut reference = vec![0u8; 4096];
    let sync = inst
        .init_sym_session(&SymSessionSetup::cipher(
            CipherAlgorithm::AesCbc,
            &KEY,
            CipherDirection::Encrypt,
        ))
        .unwrap();
    inst.perform(
        &sync,
        SymOpData::cipher(&IV, 0, 4096),
        &data,
        &mut reference,
    )
    .unwrap();
    let dsts: Vec<DmaBuf> = (0..8).map(|_| dma(&[0u8; 4096])).collect();
    // Warm up (first-use allocations of the instance and its poll path).
    for (i, d) in dsts.iter().enumerate() {
        let words = ForeignWords {
            tag: i,
            op: 0,
            dst: 0,
        };
        // SAFETY: the buffers live until the completions below.
        unsafe { inst.submit_foreign(&s, &op(&IV, 4096), flat(&src), Some(flat(d)), words) }
            .unwrap();
    }
    poll_cy_until(&inst, Duration::from_secs(20), || {
        done.load(Ordering::Relaxed) == 8
    });
    let before = allocations();
    for round in 0..25 {
        for (i, d) in dsts.iter().enumerate() {
            let words = ForeignWords {
                tag: i,
                op: 1000,
                dst: round,
            };
            // SAFETY: as above.
            unsafe { inst.submit_foreign(&s, &op(&IV, 4096), flat(&src), Some(flat(d)), words) }
                .unwrap();
        }
        let want = 8 + 8 * (round + 1);
        while done.load(Ordering::Relaxed) < want {
            if inst.poll(0).is_err() {
                std::hint::spin_loop();
            }
        }
    }
    assert_eq!(
        allocations() - before,
        0,
        "200 foreign requests allocated on the submitting and polling thread"
    );
    // Every completion carried its words back.
    let sum: u64 = (0..8).sum::<u64>() * 26 + 25 * 8 * 1000 + (0..25u64).sum::<u64>() * 8;
    assert_eq!(words_sum.load(Ordering::Relaxed), sum);
    for d in &dsts {
        assert_eq!(&d[..], &reference[..]);
    }
}

#[test]
fn ccm_takes_its_aad_at_byte_18_and_verification_reports_a_bad_tag() {
    let (_qat, inst) = cy_start("SymForeign2");
    let nonce = [3u8; 13];
    let aad = [5u8; 24];
    let pt: Vec<u8> = (0..100u8).collect();
    // The Rust API (AAD alone) as the reference.
    let enc = SymSessionSetup::aead(
        CipherAlgorithm::AesCcm,
        &KEY,
        CipherDirection::Encrypt,
        16,
        24,
    )
    .appended();
    let rs = inst.init_sym_session(&enc).unwrap();
    let mut want = pt.clone();
    want.resize(116, 0);
    inst.perform_in_place(&rs, SymOpData::cipher(&nonce, 0, 100).aad(&aad), &mut want)
        .unwrap();
    // The foreign path with the C layout: B0 (left to the endpoint), the
    // 2-byte length, the AAD from byte 18.
    let fs = inst.init_sym_session_foreign(&enc, None).unwrap();
    let mut c_aad = dma(&[0u8; 64]);
    c_aad[18..42].copy_from_slice(&aad);
    let mut buf = dma(&[pt.clone(), vec![0; 16]].concat());
    let mut o = op(&nonce, 100);
    o.aad = c_aad.iova();
    o.src_len = Some(116);
    // SAFETY: the buffers live for the call.
    let r = unsafe { inst.call_foreign(&fs, &o, flat(&buf), None) }.unwrap();
    assert!(r.verify_ok);
    assert_eq!(&buf[..], &want[..]);
    // Decrypt with verification; a flipped tag byte fails it.
    let dec = SymSessionSetup::aead(
        CipherAlgorithm::AesCcm,
        &KEY,
        CipherDirection::Decrypt,
        16,
        24,
    )
    .appended();
    let ds = inst.init_sym_session_foreign(&dec, None).unwrap();
    let sealed = buf.to_vec();
    // SAFETY: as above.
    let r = unsafe { inst.call_foreign(&ds, &o, flat(&buf), None) }.unwrap();
    assert!(r.verify_ok);
    assert_eq!(&buf[..100], &pt[..]);
    buf.copy_from_slice(&sealed);
    buf[110] ^= 1;
    // SAFETY: as above.
    let r = unsafe { inst.call_foreign(&ds, &o, flat(&buf), None) }.unwrap();
    assert!(!r.verify_ok);
    // Without the AAD buffer CCM is refused before submission.
    o.aad = Iova(0);
    // SAFETY: as above.
    let e = unsafe { inst.call_foreign(&fs, &o, flat(&buf), None) }.unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam);
    // A region past the source is refused before submission too.
    let mut o = op(&nonce, 200);
    o.aad = c_aad.iova();
    o.src_len = Some(116);
    // SAFETY: as above.
    let e = unsafe { inst.call_foreign(&fs, &o, flat(&buf), None) }.unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam);
}

#[test]
fn queued_partial_packets_complete_in_order_with_the_chaining_iv() {
    let (_qat, inst) = cy_start("SymForeign3");
    let setup = SymSessionSetup::cipher(CipherAlgorithm::AesCbc, &KEY, CipherDirection::Encrypt);
    let data: Vec<u8> = (0..192u8).collect();
    let sync = inst.init_sym_session(&setup).unwrap();
    let mut whole = vec![0u8; 192];
    inst.perform(&sync, SymOpData::cipher(&IV, 0, 192), &data, &mut whole)
        .unwrap();
    let order = Arc::new(std::sync::Mutex::new(Vec::new()));
    let o2 = order.clone();
    let s = inst
        .init_sym_session_foreign(
            &setup,
            Some(Arc::new(move |w: ForeignWords, status, _, r| {
                assert_eq!(status, CpaStatus::Success);
                o2.lock().unwrap().push((w.tag, r.updated_iv().to_vec()));
            })),
        )
        .unwrap();
    let parts: Vec<DmaBuf> = data.chunks(64).map(dma).collect();
    let kinds = [
        PacketType::Partial,
        PacketType::Partial,
        PacketType::LastPartial,
    ];
    for (i, (p, k)) in parts.iter().zip(kinds).enumerate() {
        let mut o = op(&IV, 64);
        o.packet = k;
        let words = ForeignWords {
            tag: i,
            op: 0,
            dst: 0,
        };
        // SAFETY: the parts live until the completions below.
        unsafe { inst.submit_foreign(&s, &o, flat(p), None, words) }.unwrap();
    }
    poll_cy_until(&inst, Duration::from_secs(20), || {
        order.lock().unwrap().len() == 3
    });
    let got: Vec<u8> = parts.iter().flat_map(|p| p.to_vec()).collect();
    assert_eq!(got, whole);
    let order = order.lock().unwrap();
    assert_eq!(
        order.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
    // After each PARTIAL the IV is CBC's last ciphertext block.
    assert_eq!(order[0].1, whole[48..64].to_vec());
    assert_eq!(order[1].1, whole[112..128].to_vec());
    assert!(!s.in_use());
}
