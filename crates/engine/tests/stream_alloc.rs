//! Stateful requests allocate nothing once the engine's workspaces have
//! seen a request of the size (counted with a counting global allocator,
//! on this thread only): the stream state lives in the caller's context,
//! the decoder's tables and staging buffer are allocated with it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use softqat_engine::deflate::compress::{CompressOptions, DeflateCompressor};
use softqat_engine::deflate::stream::{
    stream_compress, StreamChecksums, StreamFlush, StreamInflater, StreamRequest,
    DEFLATE_STATE_LEN, INFLATE_STATE_LEN,
};
use softqat_engine::deflate::{deflate_compress_bound, Flush, HuffmanMode, SearchDepth};
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
fn stateful_requests_allocate_nothing() {
    let input = common::corpus("calgary")[..600_000].to_vec();
    let opts = CompressOptions {
        depth: SearchDepth(16),
        huffman: HuffmanMode::Dynamic,
        flush: Flush::Final,
        min_match: 3,
    };
    let sums = StreamChecksums {
        crc32: true,
        adler32: true,
    };
    let mut c = DeflateCompressor::new();
    let mut d = StreamInflater::new();
    let mut cctx = vec![0u8; DEFLATE_STATE_LEN];
    let mut dctx = vec![0u8; INFLATE_STATE_LEN];
    let mut stream = vec![0u8; deflate_compress_bound(input.len())];
    let mut out = vec![0u8; input.len()];
    let piece = 64 << 10;
    // Warm-up: the compressor's join buffer grows to a request and its
    // history (the second request of a stream has one).
    let req = |start, flush| StreamRequest { start, flush, sums };
    for (start, range) in [(true, 0..piece), (false, piece..2 * piece)] {
        let flush = StreamFlush::Sync;
        let w = stream_compress(
            &mut c,
            &mut cctx,
            &req(start, flush),
            &input[range],
            &mut stream,
            &opts,
        );
        assert_eq!(w.status, DcStatus::Ok);
    }

    let before = allocations();
    let (mut produced, mut at, mut n) = (0, 0, 0);
    while at < input.len() {
        let end = (at + piece - 77 * n).min(input.len());
        let flush = if end == input.len() {
            StreamFlush::Final
        } else {
            [StreamFlush::None, StreamFlush::Sync, StreamFlush::Full][n % 3]
        };
        let r = stream_compress(
            &mut c,
            &mut cctx,
            &req(n == 0, flush),
            &input[at..end],
            &mut stream[produced..],
            &opts,
        );
        assert_eq!((r.status, r.consumed), (DcStatus::Ok, end - at));
        produced += r.produced;
        at = end;
        n += 1;
    }
    let (mut got, mut at, mut n) = (0, 0, 0);
    loop {
        let end = (at + 4093).min(produced);
        let flush = if end == produced {
            StreamFlush::Final
        } else {
            StreamFlush::None
        };
        let r = d.inflate(
            &mut dctx,
            &req(n == 0, flush),
            &stream[at..end],
            &mut out[got..(got + 5000).min(input.len())],
        );
        assert!(
            matches!(r.status, DcStatus::Ok | DcStatus::Overflow),
            "{r:?}"
        );
        got += r.produced;
        at += r.consumed;
        n += 1;
        if r.end_of_last_block {
            break;
        }
    }
    assert_eq!(allocations() - before, 0, "stateful requests allocated");
    assert!(out == input);
}
