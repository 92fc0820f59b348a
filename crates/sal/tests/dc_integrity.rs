//! Integrity CRCs, the programmable CRC64, data-plane partial reads and
//! zero padding, and the capabilities of every device class, checked
//! against what the stack does.
//!
//! The CRCs are compared with the `crc` crate (CRC-64/ECMA-182, QAT's
//! default, and random `CpaCrcControlData`) and crc32fast; partial reads
//! with the original data; every capability of every class in
//! `softqat_config::DeviceClass::all()` with a request that uses it (a
//! capability reported true works, a false one is refused).

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use softqat_config::DeviceClass;
use softqat_sal::{
    ChecksumType, CompType, CpaStatus, CrcControlData, DcCapabilities, DcInstance, DcOpData,
    DcSessionSetup, DcStatus, DmaBuf, DpCompletion, DpOp, FlushFlag, HuffType, IntegrityCheck,
    PartialRead, Qat, SessionDirection, SessionState, WindowSize,
};

/// A section of one compression instance on an endpoint of class `name`.
fn class_section(name: &str) -> (TempDir, Qat, DcInstance) {
    let section = format!("CAPS{}", name.to_uppercase());
    let dir = TempDir::with_files(
        &format!("caps-{name}"),
        &[(
            &format!("{name}_dev0.conf"),
            &dc_endpoint_conf(&section, &[1], 64, 1),
        )],
    );
    let qat = Qat::start_with(&section, &dir.options(1)).unwrap();
    let inst = dc0(&qat);
    (dir, qat, inst)
}

fn ecma() -> crc::Crc<u64> {
    crc::Crc::<u64>::new(&crc::CRC_64_ECMA_182)
}

/// The CRC of `data` under `p`, by the `crc` crate.
fn crc64_of(p: &CrcControlData, data: &[u8]) -> u64 {
    let algo: &'static crc::Algorithm<u64> = Box::leak(Box::new(crc::Algorithm {
        width: 64,
        poly: p.poly,
        init: p.init,
        refin: p.reflect_in,
        refout: p.reflect_out,
        xorout: p.xor_out,
        check: 0,
        residue: 0,
    }));
    crc::Crc::<u64>::new(algo).checksum(data)
}

fn with_integrity(verify: bool) -> DcOpData {
    DcOpData {
        integrity: Some(IntegrityCheck::new(verify)),
        ..DcOpData::new(FlushFlag::Final)
    }
}

type Done = Arc<Mutex<Vec<DpCompletion>>>;

fn dp_callback(inst: &DcInstance) -> Done {
    let done: Done = Arc::default();
    let d = done.clone();
    inst.dp_register_callback(move |c| d.lock().unwrap().push(c));
    done
}

fn dp_wait(inst: &DcInstance, done: &Done, n: usize) {
    let start = Instant::now();
    while done.lock().unwrap().len() < n {
        assert!(start.elapsed() < Duration::from_secs(10), "DP completions");
        if inst.dp_poll(0).is_err() {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
}

#[test]
fn default_crc64_is_ecma_182_over_input_and_output() {
    let qat = start("INTEG64");
    let inst = dc0(&qat);
    let s = inst.init_session(&setup(|_| {})).unwrap();
    assert_eq!(s.crc_control_data(), CrcControlData::ECMA_182);
    let data = corpus("calgary32");
    for verify in [false, true] {
        let (r, out) = compress_with(&inst, &s, &data, &with_integrity(verify));
        assert_eq!(r.status, DcStatus::Ok);
        let c = r.crc.expect("the CRCs of the request");
        assert_eq!(c.i_crc64, ecma().checksum(&data));
        assert_eq!(c.o_crc64, ecma().checksum(&out));
        assert_eq!(c.crc32, crc32(&data));
        assert_eq!(c.adler32, adler32(&data));
        // The same on the way back: input is the stream, output the data.
        let mut back = vec![0u8; data.len()];
        let d = inst
            .decompress(&s, &out, &mut back, &with_integrity(verify))
            .unwrap();
        assert_eq!((d.status, d.produced as usize), (DcStatus::Ok, data.len()));
        let c = d.crc.unwrap();
        assert_eq!(
            (c.i_crc64, c.o_crc64),
            (ecma().checksum(&out), ecma().checksum(&data))
        );
        assert_eq!(c.crc32, crc32(&data));
    }
    // Without integrityCrcCheck there are no CRCs.
    let (r, _) = compress_all(&inst, &s, &data);
    assert!(r.crc.is_none());
}

#[test]
fn programmed_crc64_matches_the_crc_crate_for_random_parameters() {
    let qat = start("INTEGPROG");
    let inst = dc0(&qat);
    let s = inst.init_session(&setup(|_| {})).unwrap();
    let data = random_bytes(50_000, 7);
    let mut seed = 0x1234_5678_9ABC_DEF1u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..12 {
        let p = CrcControlData {
            poly: next() | 1,
            init: next(),
            reflect_in: round & 1 == 1,
            reflect_out: round & 2 == 2,
            xor_out: next(),
        };
        inst.set_crc_control_data(&s, &p).unwrap();
        assert_eq!(s.crc_control_data(), p);
        let (r, out) = compress_with(&inst, &s, &data, &with_integrity(true));
        assert_eq!(r.status, DcStatus::Ok, "round {round}");
        let c = r.crc.unwrap();
        assert_eq!(c.i_crc64, crc64_of(&p, &data), "round {round}: {p:x?}");
        assert_eq!(c.o_crc64, crc64_of(&p, &out), "round {round}");
    }
    let zero = CrcControlData {
        poly: 0,
        ..CrcControlData::ECMA_182
    };
    expect_status(
        inst.set_crc_control_data(&s, &zero),
        CpaStatus::InvalidParam,
    );
}

#[test]
fn integrity_on_lists_and_refusals_on_async_sessions() {
    let qat = start("INTEGLIST");
    let inst = dc0(&qat);
    let s = inst.init_session(&setup(|_| {})).unwrap();
    let data = corpus("calgary32");
    let mut src = split_list(&data, 5, 3);
    let mut dst =
        softqat_sal::BufferList::new(vec![DmaBuf::new(40_000), DmaBuf::new(40_000)]).unwrap();
    let r = inst
        .compress_list(&s, &mut src, &mut dst, &with_integrity(true))
        .unwrap();
    assert_eq!(r.status, DcStatus::Ok);
    let mut out = Vec::new();
    for seg in dst.segments() {
        out.extend_from_slice(seg);
    }
    out.truncate(r.produced as usize);
    let c = r.crc.unwrap();
    assert_eq!(
        (c.i_crc64, c.o_crc64),
        (ecma().checksum(&data), ecma().checksum(&out))
    );

    // An asynchronous Rust request needs a place for its CRCs and is not
    // verified again in software.
    let a = inst.init_session_async(&setup(|_| {}), |_| {}).unwrap();
    let e = inst
        .submit_compress(
            &a,
            dma(&data),
            DmaBuf::new(100_000),
            &with_integrity(false),
            1,
        )
        .unwrap_err();
    assert_eq!(e.error.status, CpaStatus::InvalidParam, "{}", e.error);
}

#[test]
fn gen2_has_32_bit_integrity_crcs_and_no_programmable_crc() {
    let (_dir, _qat, inst) = class_section("c6xx");
    let s = inst.init_session(&setup(|_| {})).unwrap();
    let data = corpus("calgary32");
    let (r, out) = compress_with(&inst, &s, &data, &with_integrity(true));
    let c = r.crc.unwrap();
    assert_eq!((c.i_crc32, c.o_crc32), (crc32(&data), crc32(&out)));
    assert_eq!((c.i_crc64, c.o_crc64), (0, 0));
    let e = expect_status(
        inst.set_crc_control_data(&s, &CrcControlData::ECMA_182),
        CpaStatus::Unsupported,
    );
    assert!(e.contains("gen2"), "{e}");
}

#[test]
fn partial_reads_return_the_region_of_the_decompressed_data() {
    let qat = start("PARTREAD");
    let inst = dc0(&qat);
    let done = dp_callback(&inst);
    let data = corpus("calgary")[..300_000].to_vec();
    let stream = deflate_raw(&data, 6);
    let s = inst
        .init_dp_session(&setup(|s| s.direction = SessionDirection::Decompress))
        .unwrap();
    let regions = [
        (0u32, 4096u32),
        (8192, 4096),
        (123_457, 20_000),
        (299_000, 4096),
    ];
    for (i, &(offset, len)) in regions.iter().enumerate() {
        let part = PartialRead {
            buffer_offset: 0,
            data_offset: offset,
            length: len,
        };
        let op = DpOp::decompress_part(&s, dma(&stream), DmaBuf::new(len as usize), part, i as u64);
        inst.dp_enqueue(op, true).map_err(|(e, _)| e).unwrap();
    }
    dp_wait(&inst, &done, regions.len());
    for c in done.lock().unwrap().iter() {
        let (offset, len) = regions[c.tag as usize];
        let end = (offset + len).min(data.len() as u32) as usize;
        let want = &data[offset as usize..end];
        assert_eq!(c.status, CpaStatus::Success);
        assert_eq!(c.results.produced as usize, want.len());
        assert_eq!(&c.dst[..want.len()], want, "region {offset}+{len}");
    }
    // Refusals: compression, a destination too small, bufferOffset.
    let part = PartialRead {
        buffer_offset: 0,
        data_offset: 0,
        length: 100,
    };
    let (e, _) = inst
        .dp_enqueue(
            DpOp::decompress_part(&s, dma(&stream), DmaBuf::new(99), part, 9),
            true,
        )
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam, "{e}");
    let skip = PartialRead {
        buffer_offset: 8,
        ..part
    };
    let (e, _) = inst
        .dp_enqueue(
            DpOp::decompress_part(&s, dma(&stream), DmaBuf::new(200), skip, 9),
            true,
        )
        .unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam, "{e}");
    let c = inst.init_dp_session(&setup(|_| {})).unwrap();
    let mut op = DpOp::compress(&c, dma(&data), DmaBuf::new(400_000), 9);
    op.extras.part_read = Some(part);
    let (e, _) = inst.dp_enqueue(op, true).unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam, "{e}");
}

#[test]
fn zero_padding_zeroes_to_the_next_4k() {
    let qat = start("ZEROPAD");
    let inst = dc0(&qat);
    let done = dp_callback(&inst);
    let data = random_bytes(3000, 5).repeat(5);
    let s = inst
        .init_dp_session(&setup(|s| s.direction = SessionDirection::Compress))
        .unwrap();
    let mut dst = DmaBuf::new(20_000);
    dst.fill(0xEE);
    inst.dp_enqueue(DpOp::compress_zero_pad(&s, dma(&data), dst, 1), true)
        .map_err(|(e, _)| e)
        .unwrap();
    dp_wait(&inst, &done, 1);
    let c = &done.lock().unwrap()[0];
    assert_eq!(
        (c.status, c.results.status),
        (CpaStatus::Success, DcStatus::Ok)
    );
    let n = c.results.produced as usize;
    let end = n.next_multiple_of(4096);
    assert!(n > 0 && end < 20_000);
    assert_eq!(inflate_raw(&c.dst[..n]).unwrap(), data);
    assert!(c.dst[n..end].iter().all(|&b| b == 0), "zeroed to {end}");
    assert!(
        c.dst[end..].iter().all(|&b| b == 0xEE),
        "untouched after {end}"
    );
}

/// Every capability of every class against a request that uses it.
#[test]
fn capabilities_of_every_class_are_what_the_stack_does() {
    let mut names: Vec<&str> = DeviceClass::all().iter().map(|c| c.name).collect();
    names.dedup();
    assert!(names.len() >= 4, "{names:?}");
    for name in names {
        let class = DeviceClass::by_name(name).unwrap();
        let (_dir, _qat, inst) = class_section(name);
        let k = inst.capabilities();
        check_class(name, class, &inst, &k);
    }
}

/// Whether a session with `f` applied is accepted (panics on an error that
/// is neither UNSUPPORTED nor INVALID_PARAM).
fn accepts(inst: &DcInstance, f: impl FnOnce(&mut DcSessionSetup)) -> bool {
    match inst.init_session(&setup(f)) {
        Ok(_) => true,
        Err(e) if matches!(e.status, CpaStatus::Unsupported | CpaStatus::InvalidParam) => false,
        Err(e) => panic!("{e}"),
    }
}

fn check_class(name: &str, class: &DeviceClass, inst: &DcInstance, k: &DcCapabilities) {
    let data = corpus("calgary32");
    // Stateless deflate both ways, with every checksum the class claims.
    for (claimed, checksum, want) in [
        (k.checksum_crc32, ChecksumType::Crc32, crc32(&data)),
        (k.checksum_adler32, ChecksumType::Adler32, adler32(&data)),
    ] {
        assert!(k.stateless_deflate_compression && k.stateless_deflate_decompression);
        let s = inst.init_session(&setup(|s| s.checksum = checksum));
        assert_eq!(s.is_ok(), claimed, "{name}: {checksum:?}");
        let s = s.unwrap();
        let (r, out) = compress_all(inst, &s, &data);
        assert_eq!(r.checksum, want, "{name}: {checksum:?}");
        let (d, back) = decompress_all(inst, &s, &out, data.len());
        assert_eq!((d.status, back == data), (DcStatus::Ok, true), "{name}");
    }
    // LZ4 with xxHash32.
    let lz4 = inst.init_session(&setup(|s| {
        s.comp_type = CompType::Lz4;
        s.checksum = ChecksumType::Xxhash32;
    }));
    assert_eq!(
        lz4.is_ok(),
        k.stateless_lz4_compression && k.checksum_xxhash32,
        "{name}"
    );
    if let Ok(s) = lz4 {
        let (r, out) = compress_all(inst, &s, &data);
        assert_eq!(r.checksum, xxh32(&data), "{name}");
        let (d, back) = decompress_all(inst, &s, &out, data.len());
        assert_eq!((d.status, back == data), (DcStatus::Ok, true), "{name} LZ4");
    }
    assert_eq!(
        accepts(inst, |s| s.state = SessionState::Stateful),
        k.stateful_deflate_compression,
        "{name}: stateful"
    );
    // Dynamic Huffman: the first block of compressible data is dynamic.
    let dynamic = inst
        .init_session(&setup(|s| {
            s.huff_type = HuffType::FullDynamic;
            s.auto_select_best = softqat_sal::AutoSelectBest::Disabled;
        }))
        .unwrap();
    let (_, out) = compress_all(inst, &dynamic, &data);
    assert_eq!((out[0] >> 1) & 3 == 2, k.dynamic_huffman, "{name}: BTYPE");
    // Every window size, each direction.
    for n in 0..5u8 {
        let w = WindowSize::from_value(n).unwrap();
        assert_eq!(
            accepts(inst, |s| {
                s.window_size = w;
                s.direction = SessionDirection::Compress;
            }),
            k.valid_window_size_mask_compression & (1 << n) != 0,
            "{name}: compress {w:?}"
        );
        assert_eq!(
            accepts(inst, |s| {
                s.window_size = w;
                s.direction = SessionDirection::Decompress;
            }),
            k.valid_window_size_mask_decompression & (1 << n) != 0,
            "{name}: decompress {w:?}"
        );
    }
    // Compress and verify, and recovery, are on by default (DcOpData::new).
    assert!(k.compress_and_verify && k.compress_and_verify_and_recover);
    // Integrity CRCs: the 64-bit ones where claimed, else the 32-bit ones.
    let s = inst.init_session(&setup(|_| {})).unwrap();
    let r = inst.compress(&s, &data, &mut vec![0u8; 80_000], &with_integrity(true));
    match (k.integrity_crcs64b, k.integrity_crcs) {
        (true, _) => assert_eq!(r.unwrap().crc.unwrap().i_crc64, ecma().checksum(&data)),
        (false, true) => assert_eq!(r.unwrap().crc.unwrap().i_crc32, crc32(&data)),
        (false, false) => {
            expect_status(r, CpaStatus::InvalidParam);
        }
    }
    assert_eq!(k.integrity_crcs, class.dc.integrity_crc32, "{name}");
    // The programmable CRC64.
    let set = inst.set_crc_control_data(&s, &CrcControlData::ECMA_182);
    assert_eq!(set.is_ok(), k.programmable_crc64, "{name}: {set:?}");
    if !k.programmable_crc64 {
        expect_status(set, CpaStatus::Unsupported);
    }
    // Partial reads and zero padding on the data plane.
    let done = dp_callback(inst);
    let dp = inst.init_dp_session(&setup(|_| {})).unwrap();
    let stream = deflate_raw(&data, 6);
    let part = PartialRead {
        buffer_offset: 0,
        data_offset: 100,
        length: 1000,
    };
    let ops = [
        (
            k.dp_part_read,
            DpOp::decompress_part(&dp, dma(&stream), DmaBuf::new(1000), part, 1),
        ),
        (
            k.dp_zero_pad,
            DpOp::compress_zero_pad(&dp, dma(&data), DmaBuf::new(80_000), 2),
        ),
    ];
    let mut expected = 0;
    for (claimed, op) in ops {
        match inst.dp_enqueue(op, true) {
            Ok(()) => {
                assert!(claimed, "{name}: accepted");
                expected += 1;
            }
            Err((e, _)) => {
                assert!(!claimed, "{name}: {e}");
                assert_eq!(e.status, CpaStatus::Unsupported, "{name}: {e}");
            }
        }
    }
    dp_wait(inst, &done, expected);
    for c in done.lock().unwrap().iter() {
        assert_eq!(
            (c.status, c.results.status),
            (CpaStatus::Success, DcStatus::Ok)
        );
        if c.tag == 1 {
            assert_eq!(&c.dst[..1000], &data[100..1100], "{name}");
        }
    }
}
