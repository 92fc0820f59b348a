//! Session setup and request checks at the API edge (`cpaDcInitSession`,
//! `cpaDcCompressData2`): what is refused, with which `CpaStatus`, and that a
//! refused request is counted and leaves nothing behind.

mod common;

use common::*;
use softqat_sal::{
    ChecksumType, CompType, CpaStatus, DcOpData, DmaBuf, FlushFlag, SessionDirection, SessionState,
    WindowSize,
};

#[test]
fn stateful_sessions_are_unsupported() {
    let qat = start("SES_A");
    let inst = dc0(&qat);
    let msg = expect_status(
        inst.init_session(&setup(|s| s.state = SessionState::Stateful)),
        CpaStatus::Unsupported,
    );
    assert!(msg.contains("stateless"), "{msg}");
    expect_status(
        inst.init_session_async(&setup(|s| s.state = SessionState::Stateful), |_| {}),
        CpaStatus::Unsupported,
    );
    expect_status(
        inst.init_dp_session(&setup(|s| s.state = SessionState::Stateful)),
        CpaStatus::Unsupported,
    );
}

#[test]
fn levels_outside_1_to_12_are_invalid_on_gen4() {
    let qat = start("SES_A");
    let inst = dc0(&qat);
    for level in [0u8, 13, 255] {
        let msg = expect_status(
            inst.init_session(&setup(|s| s.comp_level = level)),
            CpaStatus::InvalidParam,
        );
        assert!(msg.contains("1..=12"), "level {level}: {msg}");
    }
    for level in 1..=12u8 {
        inst.init_session(&setup(|s| s.comp_level = level))
            .unwrap_or_else(|e| panic!("level {level}: {e}"));
    }
}

#[test]
fn checksum_must_suit_the_algorithm() {
    let qat = start("SES_A");
    let inst = dc0(&qat);
    let msg = expect_status(
        inst.init_session(&setup(|s| s.checksum = ChecksumType::Xxhash32)),
        CpaStatus::InvalidParam,
    );
    assert!(msg.contains("LZ4"), "{msg}");
    for ck in [
        ChecksumType::Crc32,
        ChecksumType::Adler32,
        ChecksumType::Crc32Adler32,
    ] {
        expect_status(
            inst.init_session(&setup(|s| {
                s.comp_type = CompType::Lz4;
                s.checksum = ck;
            })),
            CpaStatus::InvalidParam,
        );
    }
    // LZ4S compresses only (qatlib's LZ4S direction mask); ZSTD is gen6's.
    expect_status(
        inst.init_session(&setup(|s| {
            s.comp_type = CompType::Lz4s;
            s.checksum = ChecksumType::None;
        })),
        CpaStatus::Unsupported,
    );
    expect_status(
        inst.init_session(&setup(|s| {
            s.comp_type = CompType::Zstd;
            s.checksum = ChecksumType::None;
        })),
        CpaStatus::Unsupported,
    );
    // accumulateXXHash is taken (tests/dc_xxhash.rs).
    inst.init_session(&setup(|s| {
        s.comp_type = CompType::Lz4;
        s.checksum = ChecksumType::Xxhash32;
        s.accumulate_xxhash = true;
    }))
    .unwrap();
    // Gen4 deflate compression needs the 32K window; decompression takes 4K..32K.
    expect_status(
        inst.init_session(&setup(|s| s.window_size = WindowSize::W8K)),
        CpaStatus::InvalidParam,
    );
    inst.init_session(&setup(|s| {
        s.window_size = WindowSize::W8K;
        s.direction = SessionDirection::Decompress;
    }))
    .unwrap();
}

#[test]
fn direction_must_match_the_request() {
    let qat = start("SES_B");
    let inst = dc0(&qat);
    let data = corpus("calgary32");
    let comp = inst
        .init_session(&setup(|s| s.direction = SessionDirection::Compress))
        .unwrap();
    let decomp = inst
        .init_session(&setup(|s| s.direction = SessionDirection::Decompress))
        .unwrap();
    let before = inst.stats();
    let mut out = vec![0u8; softqat_sal::deflate_compress_bound(data.len())];
    let msg = expect_status(
        inst.compress(&decomp, &data, &mut out, &DcOpData::new(FlushFlag::Final)),
        CpaStatus::InvalidParam,
    );
    assert!(msg.contains("Compress"), "{msg}");
    let r = inst
        .compress(&comp, &data, &mut out, &DcOpData::new(FlushFlag::Final))
        .unwrap();
    let stream = out[..r.produced as usize].to_vec();
    let mut back = vec![0u8; data.len()];
    expect_status(
        inst.decompress(&comp, &stream, &mut back, &DcOpData::new(FlushFlag::Final)),
        CpaStatus::InvalidParam,
    );
    let d = inst
        .decompress(
            &decomp,
            &stream,
            &mut back,
            &DcOpData::new(FlushFlag::Final),
        )
        .unwrap();
    assert_eq!(back[..d.produced as usize], data[..]);
    let after = inst.stats();
    assert_eq!(
        after.num_comp_requests_errors,
        before.num_comp_requests_errors + 1
    );
    assert_eq!(
        after.num_decomp_requests_errors,
        before.num_decomp_requests_errors + 1
    );
    assert_eq!(after.num_comp_requests, before.num_comp_requests + 1);
    assert_eq!(after.num_decomp_requests, before.num_decomp_requests + 1);
}

#[test]
fn sync_and_async_calls_need_the_matching_session_kind() {
    let qat = start("SES_C");
    let inst = dc0(&qat);
    let data = corpus("calgary32");
    let sync = inst.init_session(&setup(|_| {})).unwrap();
    let asynch = inst.init_session_async(&setup(|_| {}), |_| {}).unwrap();
    let dp = inst.init_dp_session(&setup(|_| {})).unwrap();
    assert!(!sync.is_async() && asynch.is_async() && dp.is_data_plane());
    let mut out = vec![0u8; softqat_sal::deflate_compress_bound(data.len())];
    for s in [&asynch, &dp] {
        let msg = expect_status(
            inst.compress(s, &data, &mut out, &DcOpData::new(FlushFlag::Final)),
            CpaStatus::InvalidParam,
        );
        assert!(
            msg.contains("submit_compress") || msg.contains("data-plane"),
            "{msg}"
        );
        expect_status(
            inst.decompress(
                s,
                &out[..10],
                &mut [0; 10],
                &DcOpData::new(FlushFlag::Final),
            ),
            CpaStatus::InvalidParam,
        );
    }
    for s in [&sync, &dp] {
        let src = DmaBuf::from_slice(&data);
        let dst = DmaBuf::new(1000);
        let rej = inst
            .submit_compress(s, src, dst, &DcOpData::new(FlushFlag::Final), 1)
            .expect_err("async submission on a session without callback");
        assert_eq!(rej.error.status, CpaStatus::InvalidParam, "{}", rej.error);
        assert_eq!(&rej.src[..], &data[..], "buffers handed back intact");
        assert_eq!(rej.dst.len(), 1000);
        let rej = inst
            .submit_decompress(s, rej.src, rej.dst, &DcOpData::new(FlushFlag::Final), 2)
            .expect_err("async submission on a session without callback");
        assert_eq!(rej.error.status, CpaStatus::InvalidParam);
    }
    assert_eq!(inst.in_flight(), 0);
}

#[test]
fn sessions_belong_to_their_instance() {
    let qat = start("SES_D");
    assert!(qat.dc_instances().len() >= 2);
    let a = qat.dc_instances()[0].clone();
    let b = qat.dc_instances()[1].clone();
    a.start().unwrap();
    b.start().unwrap();
    let s = a.init_session(&setup(|_| {})).unwrap();
    let mut out = vec![0u8; 100];
    let msg = expect_status(
        b.compress(&s, b"abc", &mut out, &DcOpData::new(FlushFlag::Final)),
        CpaStatus::InvalidParam,
    );
    assert!(msg.contains("another instance"), "{msg}");
    a.compress(&s, b"abc", &mut out, &DcOpData::new(FlushFlag::Final))
        .unwrap();
}

#[test]
fn requests_on_an_instance_not_started_fail_saying_to_start_it() {
    let qat = start("SES_E");
    let inst = qat.dc_instances()[0].clone();
    assert!(!inst.is_started());
    let s = inst.init_session(&setup(|_| {})).unwrap();
    let mut out = vec![0u8; 100];
    let msg = expect_status(
        inst.compress(&s, b"abc", &mut out, &DcOpData::new(FlushFlag::Final)),
        CpaStatus::Fail,
    );
    assert!(msg.contains("start"), "{msg}");
    let a = inst.init_session_async(&setup(|_| {}), |_| {}).unwrap();
    let rej = inst
        .submit_compress(
            &a,
            DmaBuf::from_slice(b"abc"),
            DmaBuf::new(100),
            &DcOpData::new(FlushFlag::Final),
            0,
        )
        .unwrap_err();
    assert_eq!(rej.error.status, CpaStatus::Fail);
    assert!(rej.error.message.contains("start"), "{}", rej.error);
    assert_eq!(inst.stats().num_comp_requests_errors, 2);
    assert_eq!(inst.stats().num_comp_requests, 0);

    // Started: works. Stopped again: refused again.
    inst.start().unwrap();
    inst.compress(&s, b"abc", &mut out, &DcOpData::new(FlushFlag::Final))
        .unwrap();
    inst.stop().unwrap();
    expect_status(
        inst.compress(&s, b"abc", &mut out, &DcOpData::new(FlushFlag::Final)),
        CpaStatus::Fail,
    );
}

#[test]
fn stop_is_refused_while_requests_are_in_flight() {
    let qat = start("SES_F");
    let inst = dc0(&qat);
    let s = inst.init_session_async(&setup(|_| {}), |_| {}).unwrap();
    inst.submit_compress(
        &s,
        DmaBuf::from_slice(b"hello hello hello"),
        DmaBuf::new(200),
        &DcOpData::new(FlushFlag::Final),
        0,
    )
    .unwrap();
    let msg = expect_status(inst.stop(), CpaStatus::Retry);
    assert!(msg.contains("in flight"), "{msg}");
    poll_until(&inst, std::time::Duration::from_secs(10), || {
        inst.in_flight() == 0
    });
    inst.stop().unwrap();
    assert!(!inst.is_started());
}

#[test]
fn notification_callback_receives_events() {
    use softqat_sal::InstanceEvent;
    use std::sync::{Arc, Mutex};
    let qat = start("SES_G");
    let inst = dc0(&qat);
    let seen: Arc<Mutex<Vec<InstanceEvent>>> = Arc::default();
    let s2 = seen.clone();
    inst.notify(InstanceEvent::Restarting); // no callback yet: nothing happens
    inst.set_notification_callback(move |e| s2.lock().unwrap().push(e));
    inst.notify(InstanceEvent::Restarting);
    inst.notify(InstanceEvent::Restarted);
    assert_eq!(
        *seen.lock().unwrap(),
        vec![InstanceEvent::Restarting, InstanceEvent::Restarted]
    );
}

#[test]
fn instance_info_describes_the_instance() {
    let qat = start("SES_H");
    let inst = dc0(&qat);
    let info = inst.info();
    assert_eq!(info.service, "DATA_COMPRESSION");
    assert!(info.inst_id.starts_with(qat.section_name()), "{info:?}");
    assert!(info.part_name.contains("4xxx"), "{info:?}");
    assert!(info.is_polled);
    assert_eq!(info.max_in_flight, 512, "qatlib's dc ring budget");
    let ep = &qat.endpoints()[info.package_id as usize];
    assert_eq!(ep.info().id, info.package_id);
    assert!(ep.info().services.contains("dc"), "{:?}", ep.info());
}

#[test]
fn capabilities_agree_with_what_sessions_accept() {
    let qat = start("SES_CAPS");
    let inst = dc0(&qat);
    let caps = inst.capabilities();
    assert!(caps.stateless_deflate_compression && caps.stateless_deflate_decompression);
    assert!(
        caps.compress_and_verify_and_recover,
        "§5.1.3: CnVnR supported"
    );
    assert!(!caps.stateful_deflate_compression);
    let windows = [
        WindowSize::W4K,
        WindowSize::W8K,
        WindowSize::W16K,
        WindowSize::W32K,
        WindowSize::W64K,
    ];
    for w in windows {
        let comp_ok = caps.valid_window_size_mask_compression & (1 << w as u8) != 0;
        let decomp_ok = caps.valid_window_size_mask_decompression & (1 << w as u8) != 0;
        let comp = inst.init_session(&setup(|s| {
            s.window_size = w;
            s.direction = SessionDirection::Compress;
        }));
        let decomp = inst.init_session(&setup(|s| {
            s.window_size = w;
            s.direction = SessionDirection::Decompress;
        }));
        assert_eq!(comp.is_ok(), comp_ok, "{w:?} compression: {comp:?}");
        assert_eq!(decomp.is_ok(), decomp_ok, "{w:?} decompression: {decomp:?}");
    }
    let lz4 = inst.init_session(&setup(|s| {
        s.comp_type = CompType::Lz4;
        s.checksum = ChecksumType::Xxhash32;
    }));
    assert_eq!(
        lz4.is_ok(),
        caps.stateless_lz4_compression && caps.checksum_xxhash32
    );
    let lz4s = inst.init_session(&setup(|s| {
        s.comp_type = CompType::Lz4s;
        s.checksum = ChecksumType::None;
        s.direction = SessionDirection::Compress;
    }));
    assert_eq!(lz4s.is_ok(), caps.stateless_lz4s_compression);
}

#[test]
fn update_session_changes_level_and_huffman_type_and_keeps_the_kind() {
    use softqat_sal::{DcSessionUpdate, HuffType};
    let qat = start("SES_UPD");
    let inst = dc0(&qat);
    let data = corpus("calgary32");
    let s = inst
        .init_session(&setup(|s| {
            s.huff_type = HuffType::Static;
            s.auto_select_best = softqat_sal::AutoSelectBest::Disabled;
        }))
        .unwrap();
    let (_, before) = compress_all(&inst, &s, &data);
    let up = DcSessionUpdate {
        comp_level: 9,
        huff_type: HuffType::FullDynamic,
        enable_dmm: false,
    };
    let s2 = inst.update_session(&s, &up).unwrap();
    assert_eq!(
        (s2.setup().comp_level, s2.setup().huff_type),
        (9, HuffType::FullDynamic)
    );
    assert_eq!(
        s2.setup().checksum,
        s.setup().checksum,
        "other settings kept"
    );
    let (r, after) = compress_all(&inst, &s2, &data);
    assert!(
        after.len() < before.len(),
        "{} vs {}",
        after.len(),
        before.len()
    );
    assert_eq!(r.checksum, crc32(&data));
    assert_eq!(inflate_raw(&after).unwrap(), data);
    // The old session still works with its settings.
    assert_eq!(compress_all(&inst, &s, &data).1, before);
    // A data-plane session stays one.
    let dp = inst.init_dp_session(&setup(|_| {})).unwrap();
    assert!(inst.update_session(&dp, &up).unwrap().is_data_plane());
    // Refusals.
    let bad = DcSessionUpdate {
        comp_level: 13,
        ..up
    };
    expect_status(inst.update_session(&s, &bad), CpaStatus::InvalidParam);
    let dmm = DcSessionUpdate {
        enable_dmm: true,
        ..up
    };
    expect_status(inst.update_session(&s, &dmm), CpaStatus::Unsupported);
    let other = start("SES_UPD2");
    expect_status(dc0(&other).update_session(&s, &up), CpaStatus::InvalidParam);
}
