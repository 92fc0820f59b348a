//! Helpers shared by the SAL integration tests: starting sections, corpus
//! data, temporary configuration directories, independent checksum and
//! deflate implementations, and a small deflate bit writer for crafting
//! invalid streams.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use softqat_sal::{
    BufferList, ConfigSource, CpaStatus, CyInstance, DcInstance, DcOpData, DcResults, DcSession,
    DcSessionSetup, DmaBuf, FlushFlag, Qat, StartOptions, SymOpData, SymResults, SymSession,
};

/// Start options for the built-in configuration with `threads` engine
/// threads per endpoint. Device sets are shared per (configuration, thread
/// count) within a process: a distinct thread count gives a distinct set.
pub fn builtin(threads: usize) -> StartOptions {
    StartOptions {
        config: ConfigSource::Builtin,
        engine_threads: Some(threads),
        ..StartOptions::default()
    }
}

/// Starts `section` on the built-in configuration with one engine thread.
pub fn start(section: &str) -> Qat {
    Qat::start_with(section, &builtin(1)).unwrap_or_else(|e| panic!("start {section}: {e}"))
}

/// The first compression instance of `qat`, started.
pub fn dc0(qat: &Qat) -> DcInstance {
    let inst = qat
        .dc_instances()
        .first()
        .unwrap_or_else(|| panic!("{} has no compression instance", qat.section_name()))
        .clone();
    inst.start().unwrap();
    inst
}

/// The directory holding the test corpora: `$SOFTQAT_CORPUS_DIR` when set,
/// else the repository's `corpus/`.
pub fn corpus_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SOFTQAT_CORPUS_DIR") {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

/// A corpus file, whole; a missing file fails the test.
pub fn corpus(name: &str) -> Vec<u8> {
    let p = corpus_dir().join(name);
    std::fs::read(&p).unwrap_or_else(|e| {
        panic!(
            "corpus file {} not readable ({e}): the corpus ships with the repository \
             in corpus/ (SOFTQAT_CORPUS_DIR, when set, overrides it)",
            p.display()
        )
    })
}

/// `len` bytes of the Canterbury corpus starting at `offset`.
pub fn canterbury(offset: usize, len: usize) -> Vec<u8> {
    let all = corpus("canterbury");
    assert!(
        offset + len <= all.len(),
        "canterbury is {} bytes",
        all.len()
    );
    all[offset..offset + len].to_vec()
}

/// Deterministic pseudo-random (incompressible) bytes.
pub fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// CRC32 by crc32fast.
pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

/// Adler32 by simd-adler32.
pub fn adler32(data: &[u8]) -> u32 {
    let mut a = simd_adler32::Adler32::new();
    a.write(data);
    a.finish()
}

/// xxHash32 (seed 0) by xxhash-rust.
pub fn xxh32(data: &[u8]) -> u32 {
    xxhash_rust::xxh32::xxh32(data, 0)
}

/// Raw deflate decoded by flate2 (zlib's algorithm, miniz_oxide backend).
pub fn inflate_raw(stream: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(stream).read_to_end(&mut out)?;
    Ok(out)
}

/// Raw deflate encoded by flate2 at `level` (0..=9).
pub fn deflate_raw(data: &[u8], level: u32) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Synchronous compression of all of `data` in one FLUSH_FINAL request into
/// a destination of `cpaDcDeflateCompressBound` bytes; returns the results and
/// the output.
pub fn compress_all(inst: &DcInstance, s: &DcSession, data: &[u8]) -> (DcResults, Vec<u8>) {
    compress_with(inst, s, data, &DcOpData::new(FlushFlag::Final))
}

/// As [`compress_all`] with explicit op data.
pub fn compress_with(
    inst: &DcInstance,
    s: &DcSession,
    data: &[u8],
    op: &DcOpData,
) -> (DcResults, Vec<u8>) {
    let bound = match s.setup().comp_type {
        softqat_sal::CompType::Lz4 => {
            softqat_sal::lz4_compress_bound(data.len(), s.setup().lz4_block_max_size)
        }
        _ => softqat_sal::deflate_compress_bound(data.len()),
    };
    let mut out = vec![0u8; bound];
    let r = inst
        .compress(s, data, &mut out, op)
        .unwrap_or_else(|e| panic!("compress: {e}"));
    out.truncate(r.produced as usize);
    (r, out)
}

/// Synchronous FLUSH_FINAL decompression into a buffer of `capacity` bytes.
pub fn decompress_all(
    inst: &DcInstance,
    s: &DcSession,
    stream: &[u8],
    capacity: usize,
) -> (DcResults, Vec<u8>) {
    let mut out = vec![0u8; capacity];
    let r = inst
        .decompress(s, stream, &mut out, &DcOpData::new(FlushFlag::Final))
        .unwrap_or_else(|e| panic!("decompress: {e}"));
    out.truncate(r.produced as usize);
    (r, out)
}

/// Session setup: the defaults with `f` applied.
pub fn setup(f: impl FnOnce(&mut DcSessionSetup)) -> DcSessionSetup {
    let mut s = DcSessionSetup::default();
    f(&mut s);
    s
}

/// Asserts that `r` is an error with `status` and returns its message.
#[track_caller]
pub fn expect_status<T: std::fmt::Debug>(
    r: Result<T, softqat_sal::Error>,
    status: CpaStatus,
) -> String {
    match r {
        Ok(v) => panic!("expected {status}, got Ok({v:?})"),
        Err(e) => {
            assert_eq!(e.status, status, "unexpected error: {e}");
            e.message.into_owned()
        }
    }
}

/// Polls `inst` until `done()` or `timeout`; panics on timeout.
#[track_caller]
pub fn poll_until(inst: &DcInstance, timeout: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} polling {}",
            inst.info().inst_id
        );
        if inst.poll(0).is_err() {
            inst.wait_for_response(Duration::from_millis(5));
        }
    }
}

/// A directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new empty directory whose name contains `tag`.
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU64 = AtomicU64::new(0);
        let p = std::env::temp_dir().join(format!(
            "softqat-saltest-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    /// A new directory holding `files` (name, text).
    pub fn with_files(tag: &str, files: &[(&str, &str)]) -> TempDir {
        let d = TempDir::new(tag);
        for (name, text) in files {
            std::fs::write(d.0.join(name), text).unwrap();
        }
        d
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Start options for this directory's configuration.
    pub fn options(&self, threads: usize) -> StartOptions {
        StartOptions {
            config: ConfigSource::Dir(self.0.clone()),
            engine_threads: Some(threads),
            ..StartOptions::default()
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A 4xxx endpoint file with the compression service only and one user
/// section `[name]` of `dc` instances (each `(IsPolled)`), with
/// `DcNumConcurrentRequests = ring`.
pub fn dc_endpoint_conf(name: &str, polled: &[u32], ring: u32, processes: u32) -> String {
    let mut s = format!(
        "[GENERAL]\nServicesEnabled = dc\nConfigVersion = 2\nDcNumConcurrentRequests = {ring}\n\n\
         [KERNEL]\nNumberCyInstances = 0\nNumberDcInstances = 0\n\n\
         [{name}]\nNumberCyInstances = 0\nNumberDcInstances = {}\nNumProcesses = {processes}\n\
         LimitDevAccess = 0\n",
        polled.len()
    );
    for (i, p) in polled.iter().enumerate() {
        s.push_str(&format!(
            "Dc{i}Name = \"Dc{i}\"\nDc{i}IsPolled = {p}\nDc{i}CoreAffinity = 0\n"
        ));
    }
    s
}

/// Starts `section` on the built-in configuration (one engine thread) and
/// returns it with its first crypto instance, started. A distinct section
/// name gives a section, and so instances and statistics, of its own.
pub fn cy_start(section: &str) -> (Qat, CyInstance) {
    let qat = start(section);
    let inst = cy0(&qat);
    (qat, inst)
}

/// The first crypto instance of `qat`, started.
pub fn cy0(qat: &Qat) -> CyInstance {
    let inst = qat
        .cy_instances()
        .first()
        .unwrap_or_else(|| panic!("{} has no crypto instance", qat.section_name()))
        .clone();
    inst.start().unwrap();
    inst
}

/// A DMA buffer holding `data` (an empty one too).
pub fn dma(data: &[u8]) -> DmaBuf {
    let mut b = DmaBuf::new(data.len().max(1));
    b.set_len(data.len());
    b.copy_from_slice(data);
    b
}

/// `data` as a buffer list of up to `parts` non-empty segments cut at
/// pseudo-random points chosen by `seed` (one empty segment for no data).
pub fn split_list(data: &[u8], parts: usize, seed: u64) -> BufferList {
    let mut x = seed | 1;
    let mut cuts: Vec<usize> = (1..parts.max(1))
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if data.len() > 1 {
                1 + (x as usize) % (data.len() - 1)
            } else {
                0
            }
        })
        .filter(|&c| c > 0)
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut segs = Vec::new();
    let mut from = 0;
    for to in cuts.into_iter().chain([data.len()]) {
        segs.push(dma(&data[from..to]));
        from = to;
    }
    BufferList::new(segs).unwrap()
}

/// How a synchronous symmetric request carries its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// `perform`: slices, out of place (the destination prefilled with junk).
    Flat,
    /// `perform_in_place`.
    FlatInPlace,
    /// `perform_lists` out of place, source and destination cut differently.
    List,
    /// `perform_lists` in place.
    ListInPlace,
}

impl Transport {
    pub const ALL: [Transport; 4] = [
        Transport::Flat,
        Transport::FlatInPlace,
        Transport::List,
        Transport::ListInPlace,
    ];

    /// The `i`-th transport, cycling.
    pub fn nth(i: usize) -> Transport {
        Self::ALL[i % 4]
    }
}

/// Runs one synchronous request over `buf` (source; the destination is as
/// long) by transport `t`; returns the results and the destination.
pub fn sym_run(
    inst: &CyInstance,
    s: &SymSession,
    op: SymOpData<'_>,
    buf: &[u8],
    t: Transport,
    seed: u64,
) -> softqat_sal::Result<(SymResults, Vec<u8>)> {
    match t {
        Transport::Flat => {
            let mut dst = vec![0xA5u8; buf.len()];
            let r = inst.perform(s, op, buf, &mut dst)?;
            Ok((r, dst))
        }
        Transport::FlatInPlace => {
            let mut b = buf.to_vec();
            let r = inst.perform_in_place(s, op, &mut b)?;
            Ok((r, b))
        }
        Transport::List => {
            let mut src = split_list(buf, 4, seed);
            let mut dst = split_list(&vec![0x5Au8; buf.len()], 3, seed.rotate_left(17));
            let r = inst.perform_lists(s, op, &mut src, Some(&mut dst))?;
            assert_eq!(src.to_vec(buf.len()), buf, "{t:?}: the source is untouched");
            Ok((r, dst.to_vec(buf.len())))
        }
        Transport::ListInPlace => {
            let mut b = split_list(buf, 5, seed);
            let r = inst.perform_lists(s, op, &mut b, None)?;
            Ok((r, b.to_vec(buf.len())))
        }
    }
}

/// Polls the crypto instance `inst` until `done()` or `timeout`.
#[track_caller]
pub fn poll_cy_until(inst: &CyInstance, timeout: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} polling {}",
            inst.info().inst_id
        );
        if inst.poll(0).is_err() {
            inst.wait_for_response(Duration::from_millis(5));
        }
    }
}

/// An endpoint file of `class` (`4xxx` or `c6xx`) with `ServicesEnabled =
/// services` and one user section `[name]` of `polled.len()` crypto
/// instances (each `(IsPolled)`), with `CyNumConcurrentSymRequests = ring`.
pub fn cy_endpoint_conf(services: &str, name: &str, polled: &[u32], ring: u32) -> String {
    let mut s = format!(
        "[GENERAL]\nServicesEnabled = {services}\nConfigVersion = 2\n\
         CyNumConcurrentSymRequests = {ring}\nCyNumConcurrentAsymRequests = 64\n\
         DcNumConcurrentRequests = 512\n\n\
         [KERNEL]\nNumberCyInstances = 0\nNumberDcInstances = 0\n\n\
         [{name}]\nNumberCyInstances = {}\nNumberDcInstances = 0\nNumProcesses = 1\n\
         LimitDevAccess = 0\n",
        polled.len()
    );
    for (i, p) in polled.iter().enumerate() {
        s.push_str(&format!(
            "Cy{i}Name = \"Cy{i}\"\nCy{i}IsPolled = {p}\nCy{i}CoreAffinity = 0\n"
        ));
    }
    s
}

/// Writes deflate bit streams: fields least significant bit first, Huffman
/// codes most significant bit first (RFC 1951 §3.1.1).
#[derive(Default)]
pub struct BitWriter {
    bytes: Vec<u8>,
    bit: u32,
}

impl BitWriter {
    pub fn new() -> BitWriter {
        BitWriter::default()
    }

    /// `n` bits of `value`, LSB first (header fields, extra bits).
    pub fn bits(&mut self, value: u32, n: u32) -> &mut Self {
        for i in 0..n {
            self.push((value >> i) & 1);
        }
        self
    }

    /// A Huffman code of `len` bits, MSB first.
    pub fn code(&mut self, code: u32, len: u32) -> &mut Self {
        for i in (0..len).rev() {
            self.push((code >> i) & 1);
        }
        self
    }

    /// Pads to a byte boundary with zero bits.
    pub fn align(&mut self) -> &mut Self {
        while self.bit != 0 {
            self.push(0);
        }
        self
    }

    /// Whole bytes (after aligning).
    pub fn bytes_raw(&mut self, b: &[u8]) -> &mut Self {
        self.align();
        self.bytes.extend_from_slice(b);
        self
    }

    fn push(&mut self, b: u32) {
        if self.bit == 0 {
            self.bytes.push(0);
        }
        if b != 0 {
            *self.bytes.last_mut().unwrap() |= 1 << self.bit;
        }
        self.bit = (self.bit + 1) % 8;
    }

    pub fn finish(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }
}
