//! LZ4: round trips through our block compressor and frame framing, interop
//! with the system `lz4` tool (v1.9 CLI, which must be installed) in
//! both directions, and crafted invalid blocks for each LZ4 status.
//!
//! Crafted blocks follow the LZ4 block format: a token (high nibble literal
//! count, low nibble match length − 4, 15 = more length bytes follow), the
//! literals, a 16-bit little-endian offset, extra match-length bytes; the last
//! sequence holds literals only.

use std::io::Write;
use std::process::{Command, Stdio};

use softqat_engine::checksum::xxhash32;
use softqat_engine::framing::{
    parse_lz4_frame_header, write_lz4_frame_footer, write_lz4_frame_header, Lz4FrameOptions,
    LZ4_MAX_HEADER_LEN,
};
use softqat_engine::lz4::{
    compress_bound, decompress, BlockFormat, BlockMaxSize, Lz4Compressor, Lz4Outcome,
};
use softqat_engine::DcStatus;

mod common;

/// The first 1.5 MB of the Calgary corpus.
fn corpus() -> Vec<u8> {
    let mut d = common::corpus("calgary");
    d.truncate(1_500_000);
    d
}

/// Pseudo-random bytes (do not compress: exercise stored blocks).
fn noise(n: usize) -> Vec<u8> {
    let mut x = 0x1234_5678_9abc_def0u64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A whole frame: header, our data blocks, end mark, content checksum.
fn frame(data: &[u8], opts: &Lz4FrameOptions) -> Vec<u8> {
    let mut out = vec![0u8; LZ4_MAX_HEADER_LEN + compress_bound(data.len(), &opts.blocks) + 8];
    let mut pos = write_lz4_frame_header(opts, &mut out).unwrap();
    let o = Lz4Compressor::new()
        .compress(data, &mut out[pos..], &opts.blocks)
        .unwrap();
    assert_eq!((o.status, o.consumed), (DcStatus::Ok, data.len()));
    pos += o.produced;
    pos += write_lz4_frame_footer(opts, xxhash32(0, data), &mut out[pos..]).unwrap();
    out.truncate(pos);
    out
}

fn all_formats() -> Vec<Lz4FrameOptions> {
    let mut v = Vec::new();
    for max_size in [
        BlockMaxSize::K64,
        BlockMaxSize::K256,
        BlockMaxSize::M1,
        BlockMaxSize::M4,
    ] {
        for (checksum, independent) in [(false, true), (true, true), (false, false), (true, false)]
        {
            v.push(Lz4FrameOptions {
                blocks: BlockFormat {
                    max_size,
                    checksum,
                    independent,
                },
                content_checksum: !checksum,
                content_size: None,
                dict_id: None,
            });
        }
    }
    v
}

fn decode_ok(src: &[u8], want: &[u8], bare: &BlockFormat, ctx: &str) -> Lz4Outcome {
    let mut dst = vec![0u8; want.len() + 10];
    let o = decompress(src, &mut dst, bare);
    assert_eq!((o.status, o.produced), (DcStatus::Ok, want.len()), "{ctx}");
    assert!(dst[..want.len()] == want[..], "{ctx}: output differs");
    o
}

#[test]
fn round_trip_every_format() {
    let text = corpus();
    let mut mixed = text[..300_000].to_vec();
    mixed.extend_from_slice(&noise(200_000));
    for data in [&text[..], &mixed[..], &[][..], &b"x"[..]] {
        for opts in all_formats() {
            let ctx = format!("{} bytes, {opts:?}", data.len());
            let f = frame(data, &opts);
            let o = decode_ok(&f, data, &BlockFormat::QAT_DEFAULT, &ctx);
            assert_eq!((o.consumed, o.end_of_frame), (f.len(), true), "{ctx}");

            // The bare blocks (what a compression request returns), with and
            // without the end mark.
            let header_len = opts.header_len();
            let blocks = &f[header_len..f.len() - opts.footer_len()];
            let o = decode_ok(blocks, data, &opts.blocks, &ctx);
            assert_eq!(
                (o.consumed, o.end_of_frame),
                (blocks.len(), false),
                "{ctx} bare"
            );
            let with_end = &f[header_len..f.len() - opts.footer_len() + 4];
            let o = decode_ok(with_end, data, &opts.blocks, &ctx);
            assert_eq!(
                (o.consumed, o.end_of_frame),
                (with_end.len(), true),
                "{ctx} bare + end mark"
            );
        }
    }
    // Incompressible input is stored: the output is the input plus headers.
    let n = noise(100_000);
    let f = frame(&n, &Lz4FrameOptions::qat(BlockMaxSize::K64, true));
    assert_eq!(f.len(), 7 + n.len() + 2 * 4 + 8);
    assert_eq!(f[7 + 3] & 0x80, 0x80, "stored-block flag");
}

#[test]
fn compress_overflow_keeps_whole_blocks() {
    let text = corpus();
    let data = &text[..300_000];
    let fmt = BlockFormat::QAT_DEFAULT;
    let mut full = vec![0u8; compress_bound(data.len(), &fmt)];
    let whole = Lz4Compressor::new()
        .compress(data, &mut full, &fmt)
        .unwrap();
    assert_eq!(whole.status, DcStatus::Ok);
    // Block boundaries in the output: walk the size fields.
    let mut ends = Vec::new();
    let mut p = 0;
    while p < whole.produced {
        let w = u32::from_le_bytes(full[p..p + 4].try_into().unwrap());
        p += 4 + (w & 0x7fff_ffff) as usize;
        ends.push(p);
    }
    assert_eq!(ends.len(), data.len().div_ceil(65_536));
    let mut c = Lz4Compressor::new();
    for cap in [
        0,
        3,
        ends[0] - 1,
        ends[0],
        ends[0] + 1,
        ends[2] + 5,
        whole.produced - 1,
    ] {
        let mut dst = vec![0u8; cap];
        let o = c.compress(data, &mut dst, &fmt).unwrap();
        let fit = ends.iter().filter(|&&e| e <= cap).count();
        assert_eq!(o.status, DcStatus::Overflow, "cap {cap}");
        assert_eq!(o.consumed, fit * 65_536, "cap {cap}");
        assert_eq!(
            o.produced,
            ends[..fit].last().copied().unwrap_or(0),
            "cap {cap}"
        );
        assert!(
            dst[..o.produced] == full[..o.produced],
            "cap {cap}: same blocks"
        );
    }
}

fn lz4_tool(args: &[&str], input: &[u8]) -> Vec<u8> {
    let child = Command::new("lz4")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => panic!("lz4 is not installed ({e}): apt-get install lz4"),
    };
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "lz4 {args:?} failed");
    out.stdout
}

#[test]
fn our_frames_decode_with_lz4_tool() {
    let text = corpus();
    let data = &text[..700_000];
    for opts in all_formats() {
        let f = frame(data, &opts);
        let out = lz4_tool(&["-d", "-c"], &f);
        assert!(out == data, "lz4 -d of our frame {opts:?}");
    }
    // With the content size in the header too.
    let mut opts = Lz4FrameOptions::qat(BlockMaxSize::K256, true);
    opts.content_size = Some(data.len() as u64);
    let f = frame(data, &opts);
    let out = lz4_tool(&["-d", "-c"], &f);
    assert!(out == data, "lz4 -d with content size");
}

#[test]
fn lz4_tool_frames_decode_with_ours() {
    let text = corpus();
    let data = &text[..];
    let cases: &[&[&str]] = &[
        &["-1"],
        &["-9"],
        // Linked blocks need several blocks: with one block (the 4 MiB
        // default) lz4 marks the frame independent.
        &["-BD", "-B5"],
        &["-BD", "-9", "-B4"],
        &["-B4"],
        &["-B5"],
        &["-B6"],
        &["-B7"],
        &["--no-frame-crc"],
        &["-BX"],
        &["-BX", "--no-frame-crc", "-B4", "-BD"],
    ];
    for args in cases {
        let mut a = vec!["-c"];
        a.extend_from_slice(args);
        let f = lz4_tool(&a, data);
        let (opts, _) = parse_lz4_frame_header(&f).unwrap();
        if args.contains(&"-BD") {
            assert!(!opts.blocks.independent, "{args:?}");
        }
        let o = decode_ok(
            &f,
            data,
            &BlockFormat::QAT_DEFAULT,
            &format!("lz4 {args:?}"),
        );
        assert_eq!((o.consumed, o.end_of_frame), (f.len(), true), "{args:?}");
    }

    // --content-size needs a file (the size of stdin is unknown).
    let dir = std::env::temp_dir().join(format!("softqat-lz4-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.bin");
    std::fs::write(&input, &data[..100_000]).unwrap();
    let out = Command::new("lz4")
        .args(["-c", "--content-size"])
        .arg(&input)
        .stderr(Stdio::null())
        .output();
    std::fs::remove_dir_all(&dir).ok();
    let Ok(out) = out else { return };
    assert!(out.status.success());
    let (opts, _) = parse_lz4_frame_header(&out.stdout).unwrap();
    assert_eq!(opts.content_size, Some(100_000));
    decode_ok(
        &out.stdout,
        &data[..100_000],
        &BlockFormat::QAT_DEFAULT,
        "--content-size",
    );
    // A wrong content size is an error.
    let mut opts2 = opts;
    opts2.content_size = Some(99_999);
    let mut bad = vec![0u8; LZ4_MAX_HEADER_LEN];
    let n = write_lz4_frame_header(&opts2, &mut bad).unwrap();
    bad.truncate(n);
    bad.extend_from_slice(&out.stdout[opts.header_len()..]);
    let mut dst = vec![0u8; 200_000];
    assert_eq!(
        decompress(&bad, &mut dst, &BlockFormat::QAT_DEFAULT),
        Lz4Outcome::failed(DcStatus::SoftErr)
    );
}

#[test]
fn skippable_frames_and_trailing_bytes() {
    let data = b"hello hello hello hello hello hello".repeat(20);
    let f = frame(&data, &Lz4FrameOptions::qat(BlockMaxSize::K64, true));
    let mut s = Vec::new();
    // Skippable frame: magic 0x184D2A53, size 5, 5 bytes.
    s.extend_from_slice(&0x184D_2A53u32.to_le_bytes());
    s.extend_from_slice(&5u32.to_le_bytes());
    s.extend_from_slice(b"12345");
    s.extend_from_slice(&f);
    s.extend_from_slice(b"trailing");
    let o = decode_ok(&s, &data, &BlockFormat::QAT_DEFAULT, "skippable");
    assert_eq!((o.consumed, o.end_of_frame), (13 + f.len(), true));
    // A truncated skippable frame.
    let mut dst = vec![0u8; 1000];
    assert_eq!(
        decompress(&s[..10], &mut dst, &BlockFormat::QAT_DEFAULT),
        Lz4Outcome::failed(DcStatus::IncompleteFileErr)
    );
}

#[test]
fn legacy_frames() {
    // Issue 10: `lz4 -l` output was read as a bare block sequence and
    // refused with CPA_DC_INVALID_DIST.
    let text = corpus();
    // Several 8 MiB legacy blocks: the corpus repeated past 16 MiB.
    let mut data = Vec::new();
    while data.len() < 17 << 20 {
        data.extend_from_slice(&text);
    }
    let legacy = lz4_tool(&["-c", "-l"], &data);
    assert_eq!(legacy[..4], 0x184C_2102u32.to_le_bytes());
    let o = decode_ok(&legacy, &data, &BlockFormat::QAT_DEFAULT, "legacy");
    assert_eq!((o.consumed, o.end_of_frame), (legacy.len(), true));

    // A legacy frame ends before the next frame's magic number.
    let small = &text[..100_000];
    let legacy = lz4_tool(&["-c", "-l"], small);
    let mut two = legacy.clone();
    two.extend_from_slice(&lz4_tool(&["-c"], small));
    let o = decode_ok(
        &two,
        small,
        &BlockFormat::QAT_DEFAULT,
        "legacy, then a frame",
    );
    assert_eq!((o.consumed, o.end_of_frame), (legacy.len(), true));

    // Errors: a zero size field, a truncated block, a block decoding to more
    // than 8 MiB (a block of 9 MiB of zeros, compressed as one block).
    let mut dst = vec![0u8; 1 << 24];
    let mut zero = legacy.clone();
    zero.extend_from_slice(&[0; 4]);
    assert_eq!(
        decompress(&zero, &mut dst, &BlockFormat::QAT_DEFAULT),
        Lz4Outcome::failed(DcStatus::SoftErr)
    );
    assert_eq!(
        decompress(
            &legacy[..legacy.len() - 1],
            &mut dst,
            &BlockFormat::QAT_DEFAULT
        ),
        Lz4Outcome::failed(DcStatus::IncompleteFileErr)
    );
    let big = lz4_flex::block::compress(&vec![0u8; 9 << 20]);
    let mut over = 0x184C_2102u32.to_le_bytes().to_vec();
    over.extend_from_slice(&(big.len() as u32).to_le_bytes());
    over.extend_from_slice(&big);
    assert_eq!(
        decompress(&over, &mut dst, &BlockFormat::QAT_DEFAULT),
        Lz4Outcome::failed(DcStatus::Lz4BlockOverflowErr)
    );
    // Too small a destination.
    let mut small_dst = vec![0u8; 1000];
    assert_eq!(
        decompress(&legacy, &mut small_dst, &BlockFormat::QAT_DEFAULT),
        Lz4Outcome::failed(DcStatus::Overflow)
    );
}

/// A bare block sequence holding one compressed block `block`.
fn bare(block: &[u8]) -> Vec<u8> {
    let mut v = (block.len() as u32).to_le_bytes().to_vec();
    v.extend_from_slice(block);
    v
}

#[test]
fn invalid_blocks_get_lz4_statuses() {
    let fmt = BlockFormat::QAT_DEFAULT;
    let mut dst = vec![0u8; 1 << 20];
    let mut expect = |name: &str, src: &[u8], want: DcStatus| {
        assert_eq!(
            decompress(src, &mut dst, &fmt),
            Lz4Outcome::failed(want),
            "{name}"
        );
    };

    // A valid block for reference: "abcd" + match (offset 4, length 8) + "xyzzy".
    let good = [
        0x44, b'a', b'b', b'c', b'd', 4, 0, 0x50, b'x', b'y', b'z', b'z', b'y',
    ];
    let mut d2 = vec![0u8; 64];
    let o = decompress(&bare(&good), &mut d2, &fmt);
    assert_eq!((o.status, o.produced), (DcStatus::Ok, 17));
    assert_eq!(&d2[..17], b"abcdabcdabcdxyzzy");

    // Size field above the 64 KiB block maximum.
    let mut s = 65_537u32.to_le_bytes().to_vec();
    s.extend_from_slice(&vec![0u8; 65_537]);
    expect("size > max", &s, DcStatus::Lz4MaxBlockSizeExceeded);

    // Match offset 0.
    expect(
        "offset 0",
        &bare(&[0x10, b'a', 0, 0, 0x10, b'b']),
        DcStatus::Lz4TokenIsZeroErr,
    );

    // Offset 5 with 1 byte of output.
    expect(
        "offset too far",
        &bare(&[0x10, b'a', 5, 0, 0x10, b'b']),
        DcStatus::Lz4DistanceOutOfRangeErr,
    );

    // One literal then a match of 4 + 15 + 274·255 bytes: more than 64 KiB.
    let mut b = vec![0x1f, b'a', 1, 0];
    b.extend_from_slice(&[0xff; 274]);
    b.push(0);
    b.extend_from_slice(&[0x10, b'b']);
    expect(
        "decodes past the block maximum",
        &bare(&b),
        DcStatus::Lz4BlockOverflowErr,
    );

    // Literal run longer than the block.
    expect(
        "literals past the block end",
        &bare(&[0x50, b'a', b'b']),
        DcStatus::SoftErr,
    );

    // Truncated: the size field promises more than there is.
    let mut t = bare(&good);
    t.truncate(t.len() - 1);
    expect("truncated block", &t, DcStatus::IncompleteFileErr);
    expect("truncated size field", &[5, 0], DcStatus::IncompleteFileErr);

    // Block checksum mismatch.
    let ck = BlockFormat {
        checksum: true,
        ..fmt
    };
    let mut s = bare(&good);
    s.extend_from_slice(&(xxhash32(0, &good) ^ 1).to_le_bytes());
    assert_eq!(
        decompress(&s, &mut dst, &ck),
        Lz4Outcome::failed(DcStatus::SoftErr)
    );
    let n = s.len();
    s[n - 4..].copy_from_slice(&xxhash32(0, &good).to_le_bytes());
    assert_eq!(decompress(&s, &mut dst, &ck).status, DcStatus::Ok);

    // Frame-level errors.
    let data = b"0123456789".repeat(50);
    let f = frame(&data, &Lz4FrameOptions::qat(BlockMaxSize::K64, true));
    let mut bad_header = f.clone();
    bad_header[6] ^= 1;
    let mut bad_content = f.clone();
    let n = bad_content.len();
    bad_content[n - 1] ^= 1;
    let mut dst = vec![0u8; 1000];
    for (name, s, want) in [
        ("header checksum", &bad_header[..], DcStatus::SoftErr),
        ("content checksum", &bad_content[..], DcStatus::SoftErr),
        ("cut in the header", &f[..5], DcStatus::IncompleteFileErr),
        (
            "cut in the content checksum",
            &f[..f.len() - 2],
            DcStatus::IncompleteFileErr,
        ),
    ] {
        assert_eq!(
            decompress(s, &mut dst, &fmt),
            Lz4Outcome::failed(want),
            "{name}"
        );
    }
    // Cut after the last block (before the end mark): decodes, no end.
    let o = decompress(&f[..f.len() - 8], &mut dst, &fmt);
    assert_eq!(
        (o.status, o.produced, o.end_of_frame),
        (DcStatus::Ok, data.len(), false)
    );
    // Overflow: nothing consumed or produced.
    let mut small = vec![0u8; data.len() - 1];
    assert_eq!(
        decompress(&f, &mut small, &fmt),
        Lz4Outcome::failed(DcStatus::Overflow)
    );
}

#[test]
fn mutated_frames_never_panic() {
    let text = corpus();
    let mut frames = Vec::new();
    for opts in all_formats().into_iter().step_by(3) {
        frames.push((frame(&text[..20_000], &opts), opts));
    }
    let mut x = 0x0123_4567_89ab_cdefu64;
    let mut rnd = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n.max(1) as u64) as usize
    };
    let mut dst = vec![0u8; 1 << 16];
    let mut statuses = std::collections::BTreeSet::new();
    for _ in 0..3000 {
        let (f, opts) = &frames[rnd(frames.len())];
        let mut s = f.clone();
        for _ in 0..1 + rnd(3) {
            match rnd(3) {
                0 => {
                    let at = rnd(s.len());
                    s[at] ^= 1 << rnd(8);
                }
                1 => s.truncate(rnd(s.len() + 1)),
                _ => {
                    let at = rnd(s.len());
                    s[at] = rnd(256) as u8;
                }
            }
        }
        let cap = if rnd(4) == 0 {
            rnd(dst.len())
        } else {
            dst.len()
        };
        let o = decompress(&s, &mut dst[..cap], &opts.blocks);
        if o.status != DcStatus::Ok {
            assert_eq!((o.consumed, o.produced), (0, 0));
        } else {
            assert!(o.consumed <= s.len() && o.produced <= cap);
        }
        statuses.insert(o.status.code());
    }
    println!("mutated LZ4 frames: statuses reached {statuses:?}");
    assert!(statuses.len() >= 4, "{statuses:?}");
}
