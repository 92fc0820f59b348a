//! Stateful deflate against the stateless engine, on one file cut into
//! requests: what the history costs and buys when compressing, and what
//! resuming costs when decompressing.
//!
//! `cargo run --release -p softqat-engine --example stream_speed [-- FILE [REQUEST [DEPTH]]]`
//!
//! Compression: each request of REQUEST bytes (64 KiB by default) either
//! on its own (stateless, SYNC: outputs concatenate) or as the next
//! request of one stream (stateful, SYNC: the previous 32 KiB prime the
//! match finder). Decompression: the stateful stream decoded in one
//! request by the one-shot Inflater, then by the resumable decoder in
//! requests of REQUEST input bytes into REQUEST-byte destinations. Every
//! output is checked against the input before it is timed.

use std::time::Instant;

use softqat_engine::deflate::compress::{CompressOptions, DeflateCompressor};
use softqat_engine::deflate::inflate::Inflater;
use softqat_engine::deflate::stream::{
    stream_compress, StreamChecksums, StreamFlush, StreamInflater, StreamRequest,
    DEFLATE_STATE_LEN, INFLATE_STATE_LEN,
};
use softqat_engine::deflate::{deflate_compress_bound, Flush, HuffmanMode, SearchDepth};
use softqat_engine::DcStatus;

const DEFAULT_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/calgary");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let file = args.first().map_or(DEFAULT_FILE, String::as_str);
    let request: usize = args
        .get(1)
        .map_or(64 << 10, |s| s.parse().expect("REQUEST"));
    let depth: u16 = args.get(2).map_or(1, |s| s.parse().expect("DEPTH"));
    let input = std::fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mb = input.len() as f64 / 1e6;
    let opts = CompressOptions {
        depth: SearchDepth(depth),
        huffman: HuffmanMode::Dynamic,
        flush: Flush::Sync,
        min_match: 3,
    };
    let sums = StreamChecksums {
        crc32: true,
        adler32: false,
    };
    let mut c = DeflateCompressor::new();
    let mut out = vec![0u8; deflate_compress_bound(input.len()) + input.len() / request * 8];
    println!(
        "{file}: {} bytes in requests of {request} bytes, depth {depth}",
        input.len()
    );

    // Stateless: every request on its own.
    let t = Instant::now();
    let mut stateless = 0;
    for piece in input.chunks(request) {
        let r = c.compress(piece, &mut out[stateless..], &opts);
        assert!(!r.overflow);
        stateless += r.produced;
    }
    let dt = t.elapsed().as_secs_f64();
    println!(
        "compress   stateless {:7.1} MB/s  ratio {:.3}",
        mb / dt,
        stateless as f64 / input.len() as f64
    );

    // Stateful: one stream.
    let mut ctx = vec![0u8; DEFLATE_STATE_LEN];
    let t = Instant::now();
    let mut produced = 0;
    let n = input.len().div_ceil(request);
    for (i, piece) in input.chunks(request).enumerate() {
        let req = StreamRequest {
            start: i == 0,
            flush: if i + 1 == n {
                StreamFlush::Final
            } else {
                StreamFlush::Sync
            },
            sums,
        };
        let r = stream_compress(&mut c, &mut ctx, &req, piece, &mut out[produced..], &opts);
        assert_eq!((r.status, r.consumed), (DcStatus::Ok, piece.len()));
        produced += r.produced;
    }
    let dt = t.elapsed().as_secs_f64();
    println!(
        "compress   stateful  {:7.1} MB/s  ratio {:.3}",
        mb / dt,
        produced as f64 / input.len() as f64
    );
    let stream = out[..produced].to_vec();

    // One-shot decode of the whole stream.
    let mut back = vec![0u8; input.len()];
    let mut inf = Inflater::new();
    let t = Instant::now();
    let o = inf.inflate(&stream, &mut back, true);
    let dt = t.elapsed().as_secs_f64();
    assert!(o.status == DcStatus::Ok && back == input);
    println!("decompress one-shot  {:7.1} MB/s", mb / dt);

    // The resumable decoder, request by request.
    let mut d = StreamInflater::new();
    let mut ctx = vec![0u8; INFLATE_STATE_LEN];
    back.fill(0);
    let t = Instant::now();
    let (mut at, mut got, mut first) = (0, 0, true);
    loop {
        let end = (at + request).min(stream.len());
        let room = (got + request).min(back.len());
        let req = StreamRequest {
            start: first,
            flush: StreamFlush::None,
            sums,
        };
        let r = d.inflate(&mut ctx, &req, &stream[at..end], &mut back[got..room]);
        assert!(matches!(r.status, DcStatus::Ok | DcStatus::Overflow));
        first = false;
        at += r.consumed;
        got += r.produced;
        if r.end_of_last_block {
            break;
        }
    }
    let dt = t.elapsed().as_secs_f64();
    assert!(back == input);
    println!("decompress stateful  {:7.1} MB/s", mb / dt);
}
