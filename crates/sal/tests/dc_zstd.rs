//! `CPA_DC_ZSTD` sessions on a 6xxx (gen6) endpoint, against libzstd (the
//! `zstd` crate) and the `zstd` tool when it is installed: each compression
//! request's output is a whole frame both decode to the input, with the
//! xxHash64 of the input (low 32 bits) in `results.checksum`; frames made
//! by libzstd and the tool decompress through the session; damaged,
//! truncated or oversized frames end with an error status, never with
//! success on data libzstd refuses; sessions follow qatlib's rules (xxHash64
//! only, stateless), and 4xxx and c6xx still answer UNSUPPORTED.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::*;
use softqat_sal::{
    ChecksumType, CompType, CpaStatus, DcInstance, DcOpData, DcSession, DcSessionSetup, DcStatus,
    FlushFlag, Qat, SessionDirection, SessionState,
};

fn start_class(file: &str, name: &str) -> (TempDir, Qat, DcInstance) {
    let dir = TempDir::with_files(name, &[(file, &dc_endpoint_conf(name, &[1], 128, 1))]);
    let qat = Qat::start_with(name, &dir.options(1)).unwrap();
    let inst = dc0(&qat);
    (dir, qat, inst)
}

fn gen6(name: &str) -> (TempDir, Qat, DcInstance) {
    start_class("6xxx_dev0.conf", name)
}

fn zstd_setup(level: u8) -> DcSessionSetup {
    DcSessionSetup {
        comp_type: CompType::Zstd,
        checksum: ChecksumType::Xxhash64,
        comp_level: level,
        direction: SessionDirection::Combined,
        ..DcSessionSetup::default()
    }
}

fn final_op() -> DcOpData {
    DcOpData::new(FlushFlag::Final)
}

fn xxh64_low(data: &[u8]) -> u32 {
    xxhash_rust::xxh64::xxh64(data, 0) as u32
}

/// The `zstd` tool, if installed (`/usr/bin` or `$PATH`).
fn zstd_tool() -> Option<PathBuf> {
    let mut candidates = vec![PathBuf::from("/usr/bin/zstd")];
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path).map(|d| d.join("zstd")));
    }
    candidates.into_iter().find(|c| {
        c.is_file()
            && Command::new(c)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
    })
}

/// Runs the tool with `args` on `input`: its output, or `None` if it failed.
fn run_tool(tool: &PathBuf, args: &[&str], input: &[u8]) -> Option<Vec<u8>> {
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    // Written from another thread: the tool's output may fill its pipe
    // before it has read all the input.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out.status.success().then_some(out.stdout)
}

/// Inputs of several kinds and sizes: random bytes, corpus text, runs.
fn inputs() -> Vec<(String, Vec<u8>)> {
    let calgary = corpus("calgary");
    let mut v = Vec::new();
    for n in [0usize, 1, 1_000, 65_536, 65_537, 250_000] {
        v.push((format!("random {n}"), random_bytes(n, n as u64 + 7)));
    }
    for n in [100usize, 65_536, 400_000] {
        v.push((format!("calgary {n}"), calgary[..n].to_vec()));
    }
    v.push(("runs".into(), vec![0x5a; 150_000]));
    v
}

fn compress(inst: &DcInstance, s: &DcSession, data: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; softqat_sal::zstd_compress_bound(data.len())];
    let r = inst.compress(s, data, &mut out, &final_op()).unwrap();
    assert_eq!(r.status, DcStatus::Ok);
    assert_eq!(r.consumed as usize, data.len());
    assert_eq!(
        r.checksum,
        xxh64_low(data),
        "xxHash64 of the input, low half"
    );
    out.truncate(r.produced as usize);
    out
}

/// Decompresses `frame` through the session into a destination of `cap`
/// bytes: the status and the output.
fn decompress(inst: &DcInstance, s: &DcSession, frame: &[u8], cap: usize) -> (DcStatus, Vec<u8>) {
    let mut out = vec![0u8; cap];
    let r = inst.decompress(s, frame, &mut out, &final_op()).unwrap();
    if r.status == DcStatus::Ok {
        assert_eq!(r.consumed as usize, frame.len());
        out.truncate(r.produced as usize);
        assert_eq!(r.checksum, xxh64_low(&out));
    } else {
        assert_eq!((r.consumed, r.produced), (0, 0), "{:?}", r.status);
        out.clear();
    }
    (r.status, out)
}

#[test]
fn session_frames_decode_with_libzstd_and_the_zstd_tool() {
    let (_d, _q, inst) = gen6("ZSTDFRAMES");
    assert!(inst.capabilities().zstd);
    let tool = zstd_tool();
    for level in [1u8, 9] {
        let s = inst.init_session(&zstd_setup(level)).unwrap();
        let mut stream = Vec::new();
        let mut all = Vec::new();
        for (what, data) in inputs() {
            let frame = compress(&inst, &s, &data);
            assert!(frame.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]), "{what}");
            assert!(frame.len() <= softqat_sal::zstd_compress_bound(data.len()));
            let back = zstd::stream::decode_all(&frame[..]).unwrap();
            assert!(back == data, "{what}, level {level}: libzstd");
            if let Some(tool) = &tool {
                let back = run_tool(tool, &["-d", "-c", "-q"], &frame).unwrap();
                assert!(back == data, "{what}, level {level}: zstd -d");
            }
            // And back through the session, into a destination of exactly
            // the content's size.
            let (status, back) = decompress(&inst, &s, &frame, data.len());
            assert_eq!(status, DcStatus::Ok, "{what}");
            assert!(back == data, "{what}: session");
            if what.starts_with("calgary") {
                assert!(
                    frame.len() < data.len() * 2 / 3 || data.len() < 1000,
                    "{what}"
                );
            }
            stream.extend_from_slice(&frame);
            all.extend_from_slice(&data);
        }
        // The requests' frames, one after the other, are one zstd stream.
        assert!(zstd::stream::decode_all(&stream[..]).unwrap() == all);
        if let Some(tool) = &tool {
            assert!(run_tool(tool, &["-d", "-c", "-q"], &stream).unwrap() == all);
            assert!(run_tool(tool, &["-t", "-q"], &stream).is_some());
        }
        let (status, back) = decompress(&inst, &s, &stream, all.len());
        assert_eq!(status, DcStatus::Ok);
        assert!(back == all);
    }
}

#[test]
fn libzstd_and_tool_frames_decompress_through_the_session() {
    let (_d, _q, inst) = gen6("ZSTDFOREIGN");
    let s = inst.init_session(&zstd_setup(1)).unwrap();
    let tool = zstd_tool();
    for (what, data) in inputs() {
        for level in [1, 3, 19] {
            let frame = zstd::bulk::compress(&data, level).unwrap();
            let (status, back) = decompress(&inst, &s, &frame, data.len());
            assert_eq!(status, DcStatus::Ok, "{what}, level {level}");
            assert!(back == data, "{what}, level {level}");
        }
        // A streamed frame: no content size, checksum on.
        let mut enc = zstd::stream::Encoder::new(Vec::new(), 5).unwrap();
        enc.include_checksum(true).unwrap();
        enc.write_all(&data).unwrap();
        let frame = enc.finish().unwrap();
        let (status, back) = decompress(&inst, &s, &frame, data.len());
        assert_eq!(
            (status, back == data),
            (DcStatus::Ok, true),
            "{what}: streamed"
        );
        if let Some(tool) = &tool {
            for args in [
                &["-c", "-q", "-1"][..],
                &["-c", "-q", "-12", "--no-check"][..],
            ] {
                let frame = run_tool(tool, args, &data).unwrap();
                let (status, back) = decompress(&inst, &s, &frame, data.len());
                assert_eq!(status, DcStatus::Ok, "{what}: zstd {args:?}");
                assert!(back == data, "{what}: zstd {args:?}");
            }
        }
    }
}

#[test]
fn damaged_frames_end_with_an_error_status() {
    let (_d, _q, inst) = gen6("ZSTDBAD");
    let s = inst.init_session(&zstd_setup(1)).unwrap();
    let data = corpus("calgary")[..120_000].to_vec();
    let frame = compress(&inst, &s, &data);
    // Short destination: overflow, as for deflate.
    let (status, _) = decompress(&inst, &s, &frame, data.len() - 1);
    assert_eq!(status, DcStatus::Overflow);
    // Cut short anywhere: incomplete.
    for cut in [
        1usize,
        5,
        7,
        frame.len() / 2,
        frame.len() - 4,
        frame.len() - 1,
    ] {
        let (status, _) = decompress(&inst, &s, &frame[..cut], data.len());
        assert_eq!(status, DcStatus::IncompleteFileErr, "cut at {cut}");
    }
    // Not zstd, trailing garbage: refused.
    let (status, _) = decompress(&inst, &s, b"plain text, no frame", 100);
    assert_eq!(status, DcStatus::InvalidZstdFrame);
    let (status, _) = decompress(
        &inst,
        &s,
        &[&frame[..], b"garbage"].concat(),
        data.len() + 10,
    );
    assert_eq!(status, DcStatus::InvalidZstdFrame);
    // A wrong content checksum (the frame's last 4 bytes).
    let mut bad = frame.clone();
    bad[frame.len() - 2] ^= 0x10;
    let (status, _) = decompress(&inst, &s, &bad, data.len());
    assert_eq!(status, DcStatus::ZstdFrameContentChecksumMismatch);
    // Random damage: the session agrees with libzstd (the tool's decoder),
    // never success where it refuses, never different output.
    let tool = zstd_tool();
    let mut r = 0x1234_5678_9abc_def0u64;
    for i in 0..200 {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        let mut bad = frame.clone();
        let at = (r >> 16) as usize % bad.len();
        bad[at] ^= 1 << (r % 8);
        let (status, back) = decompress(&inst, &s, &bad, data.len());
        match zstd::bulk::decompress(&bad, data.len()) {
            Ok(theirs) => {
                assert_eq!(status, DcStatus::Ok, "byte {at}");
                assert!(back == theirs, "byte {at}");
            }
            // Damage that makes the content larger than the destination is
            // an overflow (libzstd's "destination too small"), else a data
            // error.
            Err(_) => assert!(
                status.is_invalid_stream() || status == DcStatus::Overflow,
                "byte {at}: {status:?}"
            ),
        }
        if let (Some(tool), true) = (&tool, i < 10) {
            let theirs = run_tool(tool, &["-d", "-c", "-q"], &bad);
            assert_eq!(theirs.is_some(), status == DcStatus::Ok, "byte {at}");
        }
    }
    // The session still works.
    let (status, back) = decompress(&inst, &s, &frame, data.len());
    assert_eq!((status, back == data), (DcStatus::Ok, true));
}

#[test]
fn compression_overflow_takes_nothing() {
    let (_d, _q, inst) = gen6("ZSTDOVER");
    let s = inst.init_session(&zstd_setup(1)).unwrap();
    let data = random_bytes(10_000, 3);
    let mut out = vec![0u8; 5_000];
    let r = inst.compress(&s, &data, &mut out, &final_op()).unwrap();
    assert_eq!(
        (r.status, r.consumed, r.produced),
        (DcStatus::Overflow, 0, 0)
    );
}

#[test]
fn sessions_follow_qatlibs_rules() {
    let (_d, _q, inst) = gen6("ZSTDRULES");
    for checksum in [
        ChecksumType::None,
        ChecksumType::Crc32,
        ChecksumType::Adler32,
        ChecksumType::Xxhash32,
    ] {
        let m = expect_status(
            inst.init_session(&DcSessionSetup {
                checksum,
                ..zstd_setup(1)
            }),
            CpaStatus::InvalidParam,
        );
        assert!(m.contains("CPA_DC_XXHASH64"), "{m}");
    }
    let m = expect_status(
        inst.init_session(&DcSessionSetup {
            state: SessionState::Stateful,
            ..zstd_setup(1)
        }),
        CpaStatus::Unsupported,
    );
    assert!(m.contains("stateless") || m.contains("Stateless"), "{m}");
    for direction in [SessionDirection::Compress, SessionDirection::Decompress] {
        inst.init_session(&DcSessionSetup {
            direction,
            ..zstd_setup(1)
        })
        .unwrap();
    }
    // xxHash64 stays zstd's.
    let m = expect_status(
        inst.init_session(&DcSessionSetup {
            checksum: ChecksumType::Xxhash64,
            ..DcSessionSetup::default()
        }),
        CpaStatus::Unsupported,
    );
    assert!(m.contains("CPA_DC_ZSTD"), "{m}");
}

#[test]
fn classes_without_zstd_answer_unsupported() {
    for (file, name, gen) in [
        ("4xxx_dev0.conf", "ZSTD4XXX", "gen4"),
        ("c6xx_dev0.conf", "ZSTDC6XX", "gen2"),
    ] {
        let (_d, _q, inst) = start_class(file, name);
        assert!(!inst.capabilities().zstd);
        let m = expect_status(inst.init_session(&zstd_setup(1)), CpaStatus::Unsupported);
        assert!(m.contains("gen6 (6xxx)") && m.contains(gen), "{m}");
        assert!(m.contains("CPA_DC_LZ4S"), "{m}");
    }
}
