//! Buffer lists (`CpaBufferList`): compression and decompression read their
//! source from the segments in order and write their output across the
//! segments, `consumed` and `produced` counting across segments — checked
//! against an independent inflater and deflater (flate2) — synchronously and
//! asynchronously, and refused with a clear error where the session cannot
//! take them.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use softqat_sal::{BufferList, CpaStatus, DcCompletion, DcOpData, DcStatus, DmaBuf, FlushFlag};

/// `data` cut into segments of the given sizes (the last takes the rest).
fn list_of(data: &[u8], sizes: &[usize]) -> BufferList {
    let mut segs = Vec::new();
    let mut at = 0;
    for (i, &n) in sizes.iter().enumerate() {
        let n = if i + 1 == sizes.len() {
            data.len() - at
        } else {
            n
        };
        segs.push(DmaBuf::from_slice(&data[at..at + n]));
        at += n;
    }
    BufferList::new(segs).unwrap()
}

/// Empty segments of the given sizes.
fn space(sizes: &[usize]) -> BufferList {
    BufferList::new(sizes.iter().map(|&n| DmaBuf::new(n)).collect()).unwrap()
}

#[test]
fn lists_compress_and_decompress_across_segments() {
    let qat = start("SSL");
    let inst = dc0(&qat);
    let s = inst.init_session(&setup(|_| {})).unwrap();
    let data = corpus("calgary32");
    // Source in 5 uneven segments, one of a single byte.
    let mut src = list_of(&data, &[1000, 1, 7000, 12_000, 0]);
    let bound = softqat_sal::deflate_compress_bound(data.len());
    let mut dst = space(&[3000, 5000, bound]);
    let r = inst
        .compress_list(&s, &mut src, &mut dst, &DcOpData::new(FlushFlag::Final))
        .unwrap();
    assert_eq!(r.status, DcStatus::Ok);
    assert_eq!(
        r.consumed as usize,
        data.len(),
        "consumed counts every segment"
    );
    assert_eq!(r.checksum, crc32(&data));
    let produced = r.produced as usize;
    assert!(produced > 8000, "output spans all three segments");
    let stream = dst.to_vec(produced);
    assert_eq!(inflate_raw(&stream).unwrap(), data, "flate2 reads it back");

    // An independent deflater's stream, split over segments, decompressed
    // into segments.
    let reference = deflate_raw(&data, 6);
    let mut csrc = list_of(&reference, &[10, 5000, 0]);
    let mut out = space(&[100, 20_000, data.len()]);
    let d = inst
        .decompress_list(&s, &mut csrc, &mut out, &DcOpData::new(FlushFlag::Final))
        .unwrap();
    assert_eq!(
        (d.status, d.consumed as usize),
        (DcStatus::Ok, reference.len())
    );
    assert_eq!(d.produced as usize, data.len());
    assert_eq!(out.to_vec(data.len()), data);
    assert_eq!(d.checksum, crc32(&data));
}

#[test]
fn a_list_too_small_overflows_with_the_usual_rules() {
    let qat = start("SSL");
    let inst = dc0(&qat);
    let s = inst.init_session(&setup(|_| {})).unwrap();
    let data = random_bytes(40_000, 7);
    let stream = deflate_raw(&data, 6);
    let mut csrc = list_of(&stream, &[stream.len()]);
    let mut out = space(&[1000, 1000]);
    let d = inst
        .decompress_list(&s, &mut csrc, &mut out, &DcOpData::new(FlushFlag::Final))
        .unwrap();
    assert_eq!(d.status, DcStatus::Overflow);
    assert_eq!((d.consumed, d.produced), (0, 0));
}

#[test]
fn asynchronous_lists_come_back_in_the_list_callback() {
    let qat = start("SSL");
    let inst = dc0(&qat);
    let done: Arc<Mutex<Vec<DcCompletion<BufferList>>>> = Arc::default();
    let d = done.clone();
    let s = inst
        .init_session_async_lists(&setup(|_| {}), move |c| d.lock().unwrap().push(c))
        .unwrap();
    let inputs: Vec<Vec<u8>> = (0..4).map(|i| canterbury(i * 50_000, 30_000)).collect();
    for (tag, input) in inputs.iter().enumerate() {
        let src = list_of(input, &[7000, 8000, 0]);
        let dst = space(&[10_000, softqat_sal::deflate_compress_bound(input.len())]);
        inst.submit_compress_list(&s, src, dst, &DcOpData::new(FlushFlag::Final), tag as u64)
            .unwrap();
    }
    poll_until(&inst, Duration::from_secs(20), || {
        done.lock().unwrap().len() == 4
    });
    let done = std::mem::take(&mut *done.lock().unwrap());
    for (i, c) in done.into_iter().enumerate() {
        assert_eq!(c.tag, i as u64, "submission order");
        assert_eq!(
            (c.status, c.results.status),
            (CpaStatus::Success, DcStatus::Ok)
        );
        assert_eq!(c.results.consumed as usize, inputs[i].len());
        assert_eq!(c.src.segments().len(), 3, "the source list comes back");
        let stream = c.dst.to_vec(c.results.produced as usize);
        assert_eq!(inflate_raw(&stream).unwrap(), inputs[i]);
    }
    // A DmaBuf session takes no lists, and a list session no DmaBufs: the
    // buffers come back with the error.
    let flat = inst.init_session_async(&setup(|_| {}), |_| {}).unwrap();
    let rej = inst
        .submit_compress_list(
            &flat,
            space(&[10]),
            space(&[100]),
            &DcOpData::new(FlushFlag::Final),
            9,
        )
        .unwrap_err();
    assert_eq!(rej.error.status, CpaStatus::InvalidParam);
    assert!(
        rej.error.message.contains("init_session_async_lists"),
        "{}",
        rej.error
    );
    assert_eq!(rej.dst.total_len(), 100);
    let rej = inst
        .submit_compress(
            &s,
            DmaBuf::new(10),
            DmaBuf::new(100),
            &DcOpData::new(FlushFlag::Final),
            9,
        )
        .unwrap_err();
    assert_eq!(rej.error.status, CpaStatus::InvalidParam);
}

#[test]
fn list_shape_is_checked() {
    let e = BufferList::new(Vec::new()).unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam);
    let too_many: Vec<DmaBuf> = (0..1025).map(|_| DmaBuf::new(1)).collect();
    let e = BufferList::new(too_many).unwrap_err();
    assert!(e.message.contains("1024"), "{e}");
}
