//! The compression API through the C ABI: `tests/c/dc_basic.c` compiled
//! against `include/qat` and run on libqat.so.4; its output is checked with
//! independent decoders (flate2, crc32fast).

mod common;

use std::io::Read;
use std::time::Duration;

use common::*;

/// Compiles `tests/c/<program>.c`, runs it with an output directory as its
/// argument and checks it passed; the scratch directory (kept alive by the
/// returned handle) holds what it wrote.
fn run_with_outdir(tag: &str, program: &str) -> (Scratch, std::path::PathBuf) {
    let scratch = Scratch::new(tag);
    let lib = stage_libs(scratch.path());
    let exe = compile(program, scratch.path(), &lib, &["qat", "usdm"]);
    let outdir = scratch.path().join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    let out = run(
        &exe,
        &[outdir.to_str().unwrap()],
        &[],
        Duration::from_secs(120),
    );
    assert_passed(program, &out);
    (scratch, outdir)
}

#[test]
fn dc_basic_program() {
    let (_scratch, outdir) = run_with_outdir("dc", "dc_basic");

    let input = std::fs::read(outdir.join("in.bin")).unwrap();
    assert_eq!(input.len(), 64 * 1024);
    // Raw deflate from the C program, inflated by zlib-rs via flate2.
    let raw = std::fs::read(outdir.join("raw.bin")).unwrap();
    let mut back = Vec::new();
    flate2::read::DeflateDecoder::new(&raw[..])
        .read_to_end(&mut back)
        .expect("flate2 inflates the C program's deflate output");
    assert_eq!(back, input);
    // The checksum it reported is the CRC32 of the input.
    let crc = std::fs::read_to_string(outdir.join("crc32.txt")).unwrap();
    assert_eq!(
        u32::from_str_radix(crc.trim(), 16).unwrap(),
        crc32fast::hash(&input)
    );
    // Header + body + footer is a gzip member gzip tools accept.
    let gz = std::fs::read(outdir.join("stream.gz")).unwrap();
    let mut back = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut back)
        .expect("flate2 reads the C program's gzip stream (CRC and ISIZE checked)");
    assert_eq!(back, input);
}

#[test]
fn dc_data_plane_devices_and_notifications_program() {
    let scratch = Scratch::new("dcdp");
    let lib = stage_libs(scratch.path());
    // -lusdm first: the qae* calls resolve to libusdm.so.0's forwarders.
    let exe = compile("dc_dp", scratch.path(), &lib, &["usdm", "qat"]);
    let out = run(&exe, &[], &[], Duration::from_secs(120));
    assert_passed("dc_dp", &out);
}

#[test]
fn dc_epoll_program() {
    let scratch = Scratch::new("dcepoll");
    let lib = stage_libs(scratch.path());
    let conf = scratch.path().join("conf");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        conf.join("4xxx_dev0.conf"),
        "[GENERAL]\nServicesEnabled = dc\nConfigVersion = 2\nDcNumConcurrentRequests = 512\n\n\
         [KERNEL]\nNumberCyInstances = 0\nNumberDcInstances = 0\n\n\
         [EPOLL]\nNumberCyInstances = 0\nNumberDcInstances = 2\nNumProcesses = 1\n\
         LimitDevAccess = 0\n\
         Dc0Name = \"Dc0\"\nDc0IsPolled = 2\nDc0CoreAffinity = 0\n\
         Dc1Name = \"Dc1\"\nDc1IsPolled = 1\nDc1CoreAffinity = 0\n",
    )
    .unwrap();
    let exe = compile("dc_epoll", scratch.path(), &lib, &["qat"]);
    let out = run(
        &exe,
        &[],
        &[("SOFTQAT_CONFIG_DIR", conf.to_str().unwrap())],
        Duration::from_secs(60),
    );
    assert_passed("dc_epoll", &out);
}

/// A directory with a c6xx endpoint file whose section `[STATEFUL]` has
/// one polled compression instance.
fn c6xx_conf(scratch: &Scratch) -> std::path::PathBuf {
    let conf = scratch.path().join("conf");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        conf.join("c6xx_dev0.conf"),
        "[GENERAL]\nServicesEnabled = dc\nConfigVersion = 2\nDcNumConcurrentRequests = 512\n\n\
         [KERNEL]\nNumberCyInstances = 0\nNumberDcInstances = 0\n\n\
         [STATEFUL]\nNumberCyInstances = 0\nNumberDcInstances = 1\nNumProcesses = 1\n\
         LimitDevAccess = 0\n\
         Dc0Name = \"Dc0\"\nDc0IsPolled = 1\nDc0CoreAffinity = 0\n",
    )
    .unwrap();
    conf
}

/// Runs `tests/c/dc_stateful.c` with `env` and checks what it wrote.
fn check_stateful_program(scratch: &Scratch, env: &[(&str, &str)], what: &str) {
    let lib = stage_libs(scratch.path());
    let exe = compile("dc_stateful", scratch.path(), &lib, &["qat", "usdm"]);
    let outdir = scratch.path().join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    let out = run(
        &exe,
        &[outdir.to_str().unwrap()],
        env,
        Duration::from_secs(120),
    );
    assert_passed(what, &out);
    // The stream the C program compressed in pieces, inflated by flate2.
    let input = std::fs::read(outdir.join("in.bin")).unwrap();
    assert_eq!(input.len(), 200 * 1024);
    let stream = std::fs::read(outdir.join("stream.bin")).unwrap();
    let mut back = Vec::new();
    flate2::read::DeflateDecoder::new(&stream[..])
        .read_to_end(&mut back)
        .expect("flate2 inflates the stateful stream");
    assert!(back == input);
    // The running checksum it reported is the CRC32 of the whole input.
    let crc = std::fs::read_to_string(outdir.join("crc32.txt")).unwrap();
    assert_eq!(
        u32::from_str_radix(crc.trim(), 16).unwrap(),
        crc32fast::hash(&input)
    );
}

#[test]
fn dc_stateful_program_on_c6xx() {
    let scratch = Scratch::new("dcstateful");
    let conf = c6xx_conf(&scratch);
    let env = [("SOFTQAT_CONFIG_DIR", conf.to_str().unwrap())];
    check_stateful_program(&scratch, &env, "dc_stateful");
}

/// The same program attached to `softqatd` serving a c6xx endpoint: the
/// context buffer is the program's qae memory, registered with the daemon,
/// whose engines read and write it.
#[test]
fn dc_stateful_program_attached_to_softqatd() {
    let scratch = Scratch::new("dcstatefulmgd");
    let conf = c6xx_conf(&scratch);
    let daemon = Daemon::start_with(scratch.path(), &["--config", conf.to_str().unwrap()]);
    let env = managed_env(&daemon);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    check_stateful_program(&scratch, &env, "dc_stateful (managed)");
}

#[test]
fn usdm_at_fork_program() {
    let scratch = Scratch::new("fork");
    let lib = stage_libs(scratch.path());
    let exe = compile("usdm_fork", scratch.path(), &lib, &["usdm", "qat"]);
    let out = run(&exe, &[], &[], Duration::from_secs(30));
    assert_passed("usdm_fork", &out);
}

#[test]
fn dc_no_session_program() {
    let (_scratch, outdir) = run_with_outdir("dcns", "dc_ns");

    let input = std::fs::read(outdir.join("in.bin")).unwrap();
    assert_eq!(input.len(), 64 * 1024);
    let raw = std::fs::read(outdir.join("raw.bin")).unwrap();
    let mut back = Vec::new();
    flate2::read::DeflateDecoder::new(&raw[..])
        .read_to_end(&mut back)
        .expect("flate2 inflates cpaDcNsCompressData's raw deflate");
    assert_eq!(back, input);
    // cpaDcNsGenerateHeader + cpaDcNsCompressData + cpaDcNsGenerateFooter:
    // streams whose checksums and lengths flate2 checks.
    let gz = std::fs::read(outdir.join("stream.gz")).unwrap();
    let mut back = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut back)
        .expect("flate2 reads the no-session gzip stream (CRC32 and ISIZE checked)");
    assert_eq!(back, input);
    let zl = std::fs::read(outdir.join("stream.zlib")).unwrap();
    let mut back = Vec::new();
    flate2::read::ZlibDecoder::new(&zl[..])
        .read_to_end(&mut back)
        .expect("flate2 reads the no-session zlib stream (Adler32 checked)");
    assert_eq!(back, input);
}

#[test]
fn dc_chain_program() {
    use sha1::Digest;
    let (_scratch, outdir) = run_with_outdir("dcchain", "dc_chain");
    let input = std::fs::read(outdir.join("in.bin")).unwrap();
    assert_eq!(input.len(), 64 * 1024);
    let inflate = |name: &str| {
        let raw = std::fs::read(outdir.join(name)).unwrap();
        let mut back = Vec::new();
        flate2::read::DeflateDecoder::new(&raw[..])
            .read_to_end(&mut back)
            .expect("flate2 inflates the chained compression output");
        back
    };
    assert!(inflate("sync.raw") == input);
    assert!(inflate("async.raw") == input);
    assert_eq!(
        std::fs::read(outdir.join("sync.sha256")).unwrap(),
        sha2::Sha256::digest(&input).to_vec(),
        "SHA-256 digest of the chained request"
    );
    assert_eq!(
        std::fs::read(outdir.join("async.sha1")).unwrap(),
        sha1::Sha1::digest(&input).to_vec(),
        "SHA-1 digest of the asynchronous chained request"
    );
    let crc = std::fs::read_to_string(outdir.join("sync.crc32")).unwrap();
    assert_eq!(
        u32::from_str_radix(crc.trim(), 16).unwrap(),
        crc32fast::hash(&input)
    );
}

/// `tests/c/dc_chain2.c`: cpaDcChainPerformOp2 with integrity CRC64s and
/// cpaDcChainSetCrcControlData. The output inflates (flate2) to the input,
/// the digests are SHA-256 / SHA-1 of it (sha2, sha1) and the reported
/// iDcCrc64 / oDcCrc64 are the CRC64s of the input and the output under the
/// session's polynomial (the `crc` crate): CRC-64/ECMA-182 by default,
/// CRC-64/XZ once programmed.
#[test]
fn dc_chain_integrity_program() {
    use sha1::Digest;
    let (_scratch, outdir) = run_with_outdir("dcchain2", "dc_chain2");
    let input = std::fs::read(outdir.join("in.bin")).unwrap();
    assert_eq!(input.len(), 48 * 1024);
    let ecma = crc::Crc::<u64>::new(&crc::CRC_64_ECMA_182);
    let xz = crc::Crc::<u64>::new(&crc::CRC_64_XZ);
    let sha256 = sha2::Sha256::digest(&input).to_vec();
    let sha1 = sha1::Sha1::digest(&input).to_vec();
    for (name, c, digest) in [("sync", &ecma, sha256), ("async", &xz, sha1)] {
        let raw = std::fs::read(outdir.join(format!("{name}.raw"))).unwrap();
        let mut back = Vec::new();
        flate2::read::DeflateDecoder::new(&raw[..])
            .read_to_end(&mut back)
            .expect("flate2 inflates the chained compression output");
        assert!(back == input, "{name}: output inflates to the input");
        assert_eq!(
            std::fs::read(outdir.join(format!("{name}.digest"))).unwrap(),
            digest,
            "{name}: digest"
        );
        let text = std::fs::read_to_string(outdir.join(format!("{name}.crc"))).unwrap();
        let f: Vec<u64> = text
            .split_whitespace()
            .map(|h| u64::from_str_radix(h, 16).unwrap())
            .collect();
        assert_eq!(f[0], c.checksum(&input), "{name}: iDcCrc64");
        assert_eq!(f[1], c.checksum(&raw), "{name}: oDcCrc64");
    }
}

#[test]
fn dc_accumulated_xxhash_program() {
    let (_scratch, outdir) = run_with_outdir("dcxxh", "dc_xxhash");
    check_xxhash_sums(&outdir);
}

/// `tests/c/dc_integrity.c`: integrity CRCs (default and programmed
/// CRC64), partial reads and zero padding through the C ABI; its outputs
/// are checked by `check_integrity_outputs`.
#[test]
fn dc_integrity_part_read_zero_pad_program() {
    let (_scratch, outdir) = run_with_outdir("dcinteg", "dc_integrity");
    check_integrity_outputs(&outdir);
}

/// An LZ4S decoder written from the format (not softqat's): sequences of a
/// token, literals and, unless the block ends, a 16-bit offset; a match
/// field `f > 0` copies `f + min_match - 1` bytes, `f == 0` none.
fn lz4s_decode(block: &[u8], min_match: usize) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    let mut i = 0;
    let length = |i: &mut usize, mut v: usize| {
        if v == 15 {
            loop {
                let b = block[*i];
                *i += 1;
                v += b as usize;
                if b != 255 {
                    break v;
                }
            }
        } else {
            v
        }
    };
    loop {
        let token = block[i];
        i += 1;
        let n = length(&mut i, usize::from(token >> 4));
        out.extend_from_slice(&block[i..i + n]);
        i += n;
        if i == block.len() {
            return out;
        }
        let offset = usize::from(u16::from_le_bytes([block[i], block[i + 1]]));
        i += 2;
        let field = length(&mut i, usize::from(token & 15));
        if field > 0 {
            for _ in 0..field + min_match - 1 {
                out.push(out[out.len() - offset]);
            }
        }
    }
}

#[test]
fn dc_lz4s_program() {
    let (_scratch, outdir) = run_with_outdir("dclz4s", "dc_lz4s");
    let input = std::fs::read(outdir.join("in.bin")).unwrap();
    assert_eq!(input.len(), 64 * 1024);
    let sums = std::fs::read_to_string(outdir.join("sums.txt")).unwrap();
    let mut enc = softqat_engine::zstd::ZstdEncoder::new();
    for (mm, name) in [(3u8, "mm3"), (4, "mm4")] {
        let block = std::fs::read(outdir.join(format!("{name}.lz4s"))).unwrap();
        assert!(lz4s_decode(&block, usize::from(mm)) == input, "{name}");
        let line = sums.lines().find(|l| l.starts_with(name)).unwrap();
        assert_eq!(
            u32::from_str_radix(&line[4..], 16).unwrap(),
            xxhash_rust::xxh32::xxh32(&input, 0),
            "{name} checksum"
        );
        // The zstd plugin's step, decoded by libzstd.
        let mut frame = vec![0u8; softqat_engine::zstd::compress_bound(input.len())];
        let n = enc.lz4s_to_zstd(&input, &block, mm, &mut frame).unwrap();
        assert!(
            zstd::stream::decode_all(&frame[..n]).unwrap() == input,
            "{name}"
        );
    }
}

/// A directory with a `<class>_dev0.conf` endpoint file whose section
/// `[DICT]` has one polled compression instance.
fn dict_conf(scratch: &Scratch, class: &str) -> std::path::PathBuf {
    class_conf(scratch, class, "DICT")
}

/// A configuration directory with one `class` endpoint whose section
/// `[section]` has one polled Dc instance.
fn class_conf(scratch: &Scratch, class: &str, section: &str) -> std::path::PathBuf {
    let conf = scratch.path().join(format!("conf-{class}-{section}"));
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        conf.join(format!("{class}_dev0.conf")),
        format!(
            "[GENERAL]\nServicesEnabled = dc\nConfigVersion = 2\nDcNumConcurrentRequests = 512\n\n\
             [KERNEL]\nNumberCyInstances = 0\nNumberDcInstances = 0\n\n\
             [{section}]\nNumberCyInstances = 0\nNumberDcInstances = 1\nNumProcesses = 1\n\
             LimitDevAccess = 0\n\
             Dc0Name = \"Dc0\"\nDc0IsPolled = 1\nDc0CoreAffinity = 0\n"
        ),
    )
    .unwrap();
    conf
}

/// zlib's raw inflate (zlib-rs through its C API) of `src` with `dict`
/// set first (`inflateSetDictionary`).
fn inflate_with_dict(src: &[u8], dict: &[u8], cap: usize) -> Vec<u8> {
    use libz_rs_sys::*;
    let mut out = vec![0u8; cap];
    // SAFETY: the stream is initialised by inflateInit2_ before use, its
    // buffers point into `src`, `dict` and `out`, which outlive every call,
    // and it is released with inflateEnd.
    unsafe {
        let mut strm = z_stream::default();
        let size = std::mem::size_of::<z_stream>() as i32;
        assert_eq!(inflateInit2_(&mut strm, -15, zlibVersion(), size), Z_OK);
        assert_eq!(
            inflateSetDictionary(&mut strm, dict.as_ptr(), dict.len() as u32),
            Z_OK
        );
        strm.next_in = src.as_ptr();
        strm.avail_in = src.len() as u32;
        strm.next_out = out.as_mut_ptr();
        strm.avail_out = cap as u32;
        let ret = inflate(&mut strm, Z_FINISH);
        let total = strm.total_out as usize;
        inflateEnd(&mut strm);
        assert_eq!(
            ret, Z_STREAM_END,
            "zlib inflates the C program's dictionary stream"
        );
        out.truncate(total);
    }
    out
}

#[test]
fn dc_stateless_sample_dict_flow_program() {
    let scratch = Scratch::new("dcdict");
    let lib = stage_libs(scratch.path());
    let exe = compile("dc_dict", scratch.path(), &lib, &["qat", "usdm"]);
    let outdir = scratch.path().join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    let conf = dict_conf(&scratch, "6xxx");
    let out = run(
        &exe,
        &[outdir.to_str().unwrap()],
        &[("SOFTQAT_CONFIG_DIR", conf.to_str().unwrap())],
        Duration::from_secs(60),
    );
    assert_passed("dc_dict", &out);
    // The C program's stream, decoded by zlib given the same dictionary.
    let dict = std::fs::read(outdir.join("dict.bin")).unwrap();
    let input = std::fs::read(outdir.join("in.bin")).unwrap();
    let raw = std::fs::read(outdir.join("raw.bin")).unwrap();
    assert_eq!(inflate_with_dict(&raw, &dict, input.len() + 16), input);
    let crc = std::fs::read_to_string(outdir.join("crc32.txt")).unwrap();
    assert_eq!(
        u32::from_str_radix(crc.trim(), 16).unwrap(),
        crc32fast::hash(&input)
    );
    // Classes without dictionaries refuse them.
    for class in ["4xxx", "c6xx"] {
        let conf = dict_conf(&scratch, class);
        let out = run(
            &exe,
            &[outdir.to_str().unwrap(), "nodict"],
            &[("SOFTQAT_CONFIG_DIR", conf.to_str().unwrap())],
            Duration::from_secs(60),
        );
        assert_passed("dc_dict nodict", &out);
    }
}

#[test]
fn dc_zstd_program() {
    let scratch = Scratch::new("dczstd");
    let lib = stage_libs(scratch.path());
    let exe = compile("dc_zstd", scratch.path(), &lib, &["qat", "usdm"]);
    let outdir = scratch.path().join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    // A frame of libzstd's for the C program to decompress.
    let plain: Vec<u8> = (0..150_000u32)
        .map(|i| b"libzstd frame for the C ABI "[(i % 28) as usize] ^ (i / 4096) as u8)
        .collect();
    std::fs::write(outdir.join("foreign.bin"), &plain).unwrap();
    std::fs::write(
        outdir.join("foreign.zst"),
        zstd::bulk::compress(&plain, 3).unwrap(),
    )
    .unwrap();
    let conf = class_conf(&scratch, "6xxx", "ZSTD");
    let out = run(
        &exe,
        &[outdir.to_str().unwrap()],
        &[("SOFTQAT_CONFIG_DIR", conf.to_str().unwrap())],
        Duration::from_secs(60),
    );
    assert_passed("dc_zstd", &out);
    // The C program's frame, decoded by libzstd; its checksum is the low
    // half of the input's xxHash64.
    let input = std::fs::read(outdir.join("in.bin")).unwrap();
    let frame = std::fs::read(outdir.join("frame.zst")).unwrap();
    assert!(zstd::stream::decode_all(&frame[..]).unwrap() == input);
    let sum = std::fs::read_to_string(outdir.join("sum.txt")).unwrap();
    assert_eq!(
        u32::from_str_radix(sum.trim(), 16).unwrap(),
        xxhash_rust::xxh64::xxh64(&input, 0) as u32
    );
    // Classes without zstd refuse it.
    for class in ["4xxx", "c6xx"] {
        let conf = class_conf(&scratch, class, "ZSTD");
        let out = run(
            &exe,
            &[outdir.to_str().unwrap(), "nozstd"],
            &[("SOFTQAT_CONFIG_DIR", conf.to_str().unwrap())],
            Duration::from_secs(60),
        );
        assert_passed("dc_zstd nozstd", &out);
    }
}
