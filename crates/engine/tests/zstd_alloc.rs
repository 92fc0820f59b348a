//! `CPA_DC_ZSTD` requests allocate nothing on the Rust side once the
//! engine has served one (counted with a counting global allocator, on this
//! thread only): the LZ4S scratch, the encoder's workspace and the decoder
//! context are made by the first zstd request and kept. (libzstd's one-shot
//! decoding writes straight into the destination with the context it is
//! given.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use softqat_engine::dc::{
    AutoSelectBest, ChecksumType, DcAlgorithm, DcEngine, DcParams, DcRequest,
};
use softqat_engine::deflate::{HuffmanMode, SearchDepth};
use softqat_engine::lz4::BlockFormat;
use softqat_engine::DcStatus;

mod common;

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

#[test]
fn zstd_requests_allocate_nothing_after_the_first() {
    let input = common::corpus("calgary")[..64 << 10].to_vec();
    let params = DcParams {
        algorithm: DcAlgorithm::Zstd,
        huffman: HuffmanMode::Dynamic,
        asb: AutoSelectBest::Enabled,
        checksum: ChecksumType::Xxhash64,
        depth: SearchDepth(8),
        min_match: 3,
        lz4: BlockFormat::QAT_DEFAULT,
    };
    let req = DcRequest {
        final_flush: true,
        verify: true,
        recover: true,
        overflow_is_error: false,
        seed_crc32: 0,
        seed_adler32: 1,
        inject: None,
    };
    let mut e = DcEngine::new();
    let mut frame = vec![0u8; softqat_engine::zstd::compress_bound(input.len())];
    let mut back = vec![0u8; input.len()];
    let mut run = |e: &mut DcEngine| {
        let c = e.compress(&params, &req, &input, &mut frame).unwrap();
        assert_eq!((c.status, c.consumed as usize), (DcStatus::Ok, input.len()));
        let d = e.decompress(&params, &req, &frame[..c.produced as usize], &mut back);
        assert_eq!((d.status, d.produced as usize), (DcStatus::Ok, input.len()));
    };
    run(&mut e);
    let before = allocations();
    for _ in 0..3 {
        run(&mut e);
    }
    assert_eq!(allocations() - before, 0);
    assert!(back == input);
}
