//! What buffer lists cost: the same synchronous requests (64 KiB of the
//! Calgary corpus each, deflate L1 dynamic, compress-and-verify on, then the
//! decompression of their output) with flat `DmaBuf`s and with `BufferList`s
//! of 4 segments, back to back, and the ratios. A list reaches the engine through per-engine scratch (the source
//! gathered, the output scattered); flat buffers are used in place.
//!
//! Run: `cargo run --release -p softqat-sal --example list_speed [FILE] [SECONDS]`

use std::time::{Duration, Instant};

use softqat_sal::{BufferList, DcOpData, DcSessionSetup, DmaBuf, FlushFlag, Qat};

const REQUEST: usize = 64 * 1024;
const SEGMENTS: usize = 4;

/// `bytes` cut into `SEGMENTS` equal pieces (the last takes the rest).
fn list(bytes: &[u8]) -> BufferList {
    let piece = bytes.len().div_ceil(SEGMENTS).max(1);
    let segs = bytes.chunks(piece).map(DmaBuf::from_slice).collect();
    BufferList::new(segs).expect("1 to 4 segments")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/calgary").to_string()
    });
    let seconds: f64 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let data = std::fs::read(&path)?;
    let qat = Qat::start("SSL")?;
    let inst = qat
        .dc_instances()
        .first()
        .ok_or("no compression instance")?;
    inst.start()?;
    let session = inst.init_session(&DcSessionSetup::default())?;
    let op = DcOpData::new(FlushFlag::Final);
    let chunks: Vec<&[u8]> = data.chunks(REQUEST).collect();
    let bound = softqat_sal::deflate_compress_bound(REQUEST);

    let flat_src: Vec<DmaBuf> = chunks.iter().map(|c| DmaBuf::from_slice(c)).collect();
    let mut flat_dst = DmaBuf::new(bound);
    let mut list_src: Vec<BufferList> = chunks.iter().map(|c| list(c)).collect();
    let mut list_dst = list(&vec![0u8; bound]);

    let measure = |f: &mut dyn FnMut(usize) -> usize| {
        let start = Instant::now();
        let (mut bytes, mut i) = (0usize, 0usize);
        while start.elapsed() < Duration::from_secs_f64(seconds) {
            bytes += f(i % chunks.len());
            i += 1;
        }
        bytes as f64 / start.elapsed().as_secs_f64() / 1e6
    };
    // The compressed form of every chunk, for the decompression runs.
    let streams: Vec<Vec<u8>> = flat_src
        .iter()
        .map(|src| {
            let mut out = vec![0u8; bound];
            let r = inst
                .compress(&session, src, &mut out, &op)
                .expect("compress");
            out.truncate(r.produced as usize);
            out
        })
        .collect();
    let flat_streams: Vec<DmaBuf> = streams.iter().map(|s| DmaBuf::from_slice(s)).collect();
    let mut list_streams: Vec<BufferList> = streams.iter().map(|s| list(s)).collect();
    let mut flat_out = DmaBuf::new(REQUEST);
    let mut list_out = list(&vec![0u8; REQUEST]);

    let (mut comp, mut decomp) = (Vec::new(), Vec::new());
    for trial in 0..5 {
        let flat = measure(&mut |i| {
            let r = inst
                .compress(&session, &flat_src[i], &mut flat_dst, &op)
                .expect("flat request");
            r.consumed as usize
        });
        let lists = measure(&mut |i| {
            let r = inst
                .compress_list(&session, &mut list_src[i], &mut list_dst, &op)
                .expect("list request");
            r.consumed as usize
        });
        let dflat = measure(&mut |i| {
            let r = inst
                .decompress(&session, &flat_streams[i], &mut flat_out, &op)
                .expect("flat request");
            r.produced as usize
        });
        let dlists = measure(&mut |i| {
            let r = inst
                .decompress_list(&session, &mut list_streams[i], &mut list_out, &op)
                .expect("list request");
            r.produced as usize
        });
        println!(
            "trial {trial}: compress flat {flat:.1} / lists {lists:.1} MB/s ({:.3}); \
             decompress flat {dflat:.1} / lists {dlists:.1} MB/s ({:.3})",
            lists / flat,
            dlists / dflat
        );
        comp.push(lists / flat);
        decomp.push(dlists / dflat);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    println!(
        "median lists / flat ({SEGMENTS} segments): compress {:.3}, decompress {:.3}",
        median(&mut comp),
        median(&mut decomp)
    );
    Ok(())
}
