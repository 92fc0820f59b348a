//! `softqat compress` / `softqat decompress` / `softqat config check`.
//!
//! Compression cuts the input into stateless requests, read straight from
//! the input into the requests' buffers and submitted asynchronously to one
//! instance (several in flight, written out in order as they complete), FLUSH_FULL for all but
//! the last; each request's checksum is computed from the initial value and
//! the tool combines them (CRC32 and Adler32 combine arithmetically), so the
//! requests need not wait for each other. Headers and footers come from the
//! session (`cpaDcGenerateHeader` / `cpaDcGenerateFooter`), so the output is
//! one gzip member, one zlib stream or one LZ4 frame that gzip, zlib and lz4
//! read. zstd is the QAT zstd plugin's path: the requests are LZ4S (gen4
//! has no zstd sessions) and the tool codes each request's LZ4S into the
//! blocks of one zstd frame that `zstd -d` reads.
//!
//! Decompression hands each whole member or frame to one request (QAT gen4
//! is stateless), growing the destination on overflow, and checks the
//! trailer: gzip CRC32 and ISIZE, zlib Adler32; LZ4 checksums are checked by
//! the engine. Concatenated gzip members and LZ4 frames are all decoded.
//! Two kinds of deflate data go to every engine at once: QATzip's
//! gzip-extension members (their headers give their sizes), and gzip
//! members and raw streams made of independent pieces joined at flush
//! markers, as stateless compressors (softqat's own `compress` among them)
//! write them ([`crate::parallel_inflate`]).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use softqat_engine::DcStatus;
use softqat_engine::{checksum, framing, lz4};
use softqat_sal::{
    ChecksumType, CompType, CpaStatus, DcInstance, DcOpData, DcResults, DcSession, DcSessionSetup,
    DmaBuf, FlushFlag, HuffType, MinMatch, Qat, SessionDirection,
};

use crate::parallel_inflate::{decode_window, inflate_split, Piece, Split, Step};
use crate::Format;

pub(crate) fn e2s(e: softqat_sal::Error) -> String {
    e.to_string()
}

/// A zeroed buffer of `n` bytes, or an error naming the limit that refused
/// it (`Vec`'s own allocation would abort the process instead).
pub(crate) fn zeroed(n: usize, what: &str) -> Result<Vec<u8>, String> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| no_memory(n, what))?;
    v.resize(n, 0);
    Ok(v)
}

/// The message for `n` bytes of `what` that could not be allocated.
pub(crate) fn no_memory(n: usize, what: &str) -> String {
    format!(
        "cannot allocate {n} bytes for {what}: {}",
        softqat_device::limits::memory()
    )
}

/// The message for request `tag` of `len` bytes that the engine answered
/// CPA_STATUS_RESOURCE: it had no memory for the request's scratch (a
/// compress-and-verify buffer the size of the request).
fn no_scratch(qat: &Qat, tag: u64, len: usize) -> String {
    let limit = if qat.is_managed() {
        "softqatd's memory limit (`ulimit -v` where it starts, LimitAS= in its systemd unit) or the machine's memory is exhausted: raise it".to_string()
    } else {
        softqat_device::limits::memory()
    };
    format!(
        "request {tag} ({len} bytes) failed: the engine had no memory for its scratch (about the request's size again): {limit}; or use smaller requests (--request-size, default 65536)"
    )
}

fn instance(qat: &Qat) -> Result<DcInstance, String> {
    let inst = qat
        .dc_instances()
        .first()
        .ok_or("the section has no compression instance: enable dc on an endpoint")?
        .clone();
    inst.start().map_err(e2s)?;
    Ok(inst)
}

/// Requests kept in flight by the compressor: enough to keep every engine
/// of an endpoint busy while completed requests are written out, few enough
/// that the buffers stay in the caches.
pub(crate) const WINDOW: usize = 16;

/// The completions an asynchronous session's callback collected: tag,
/// status, results and the request's buffers.
pub(crate) type Done = Arc<Mutex<Vec<Completion>>>;

/// An asynchronous session whose callback collects its completions.
pub(crate) fn collecting_session(
    inst: &DcInstance,
    setup: &DcSessionSetup,
) -> Result<(DcSession, Done), String> {
    let done: Done = Arc::default();
    let sink = done.clone();
    let session = inst
        .init_session_async(setup, move |c| {
            sink.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((c.tag, c.status, c.results, c.src, c.dst));
        })
        .map_err(e2s)?;
    Ok((session, done))
}

/// A completed request: tag, status, results and its buffers.
pub(crate) type Completion = (u64, CpaStatus, DcResults, DmaBuf, DmaBuf);

/// Polls the instance (waiting a little when nothing is ready) and moves
/// the completions collected so far into `into` (both vectors keep their
/// capacity: no allocation per poll).
pub(crate) fn completions<'a>(
    inst: &DcInstance,
    done: &Done,
    into: &'a mut Vec<Completion>,
) -> std::vec::Drain<'a, Completion> {
    if inst.poll(0).is_err() {
        inst.wait_for_response(Duration::from_millis(5));
    }
    into.append(&mut done.lock().unwrap_or_else(|e| e.into_inner()));
    into.drain(..)
}

/// What `softqat compress` does with a stream.
#[derive(Clone, Copy, Debug)]
pub struct CompressArgs {
    pub format: Format,
    pub level: u8,
    pub static_huffman: bool,
    pub request_size: usize,
    /// Compress-and-verify (with recovery) on every request.
    pub verify: bool,
}

/// A request in flight or done, waiting for its turn to be written.
pub(crate) type Slot = Option<(DcResults, DmaBuf, DmaBuf)>;

/// Compresses `input` into `output` in the `args.format` container, as a
/// pipeline: the input is read straight into the requests' buffers, up to
/// [`WINDOW`] requests are in flight on the engines, and each compressed
/// request is written out as soon as the ones before it are, so reading,
/// compressing and writing overlap and no copy of the whole file is made.
/// Returns the number of input bytes.
pub fn compress(
    (input, input_name): (&mut dyn Read, &str),
    (output, output_name): (&mut dyn Write, &str),
    args: &CompressArgs,
) -> Result<u64, String> {
    let format = args.format;
    let qat = Qat::start("SSL").map_err(e2s)?;
    let inst = instance(&qat)?;
    let setup = DcSessionSetup {
        comp_level: args.level,
        comp_type: match format {
            Format::Lz4 => CompType::Lz4,
            Format::Zstd => CompType::Lz4s,
            _ => CompType::Deflate,
        },
        // LZ4S is compression only; the plugin's minimum match is 3.
        direction: if format == Format::Zstd {
            SessionDirection::Compress
        } else {
            SessionDirection::Combined
        },
        min_match: MinMatch::ThreeBytes,
        huff_type: if args.static_huffman {
            HuffType::Static
        } else {
            HuffType::FullDynamic
        },
        checksum: match format {
            Format::Gzip | Format::GzipExt => ChecksumType::Crc32,
            Format::Zlib => ChecksumType::Adler32,
            Format::Deflate => ChecksumType::None,
            Format::Lz4 => ChecksumType::Xxhash32,
            // The frame's XXH64 content checksum is computed by the coder.
            Format::Zstd => ChecksumType::None,
        },
        ..DcSessionSetup::default()
    };
    let (session, done) = collecting_session(&inst, &setup)?;
    let mut arrived = Vec::new();
    let size = args.request_size.clamp(1, 1 << 30);
    let bound = match format {
        Format::Lz4 => softqat_sal::lz4_compress_bound(size, setup.lz4_block_max_size),
        Format::Zstd => softqat_sal::lz4s_compress_bound(size),
        _ => softqat_sal::deflate_compress_bound(size),
    };
    // Buffers are allocated once (at most WINDOW + 1 of each) and reused.
    let mut free_src: Vec<DmaBuf> = Vec::new();
    let mut free_dst: Vec<DmaBuf> = Vec::new();
    // xxHash32 does not combine across requests: the LZ4 content checksum is
    // computed here, over the input as it is read.
    let mut xxh = (format == Format::Lz4).then(|| checksum::Xxh32State::new(0));
    let mut total_in = 0u64;
    let mut read_next = |free: &mut Vec<DmaBuf>| -> Result<Option<DmaBuf>, String> {
        let mut b = match free.pop() {
            Some(b) => b,
            None => DmaBuf::try_new(size).map_err(e2s)?,
        };
        b.set_len(size);
        let n = fill(input, input_name, &mut b)?;
        b.set_len(n);
        if n == 0 {
            free.push(b);
            return Ok(None);
        }
        if let Some(x) = xxh.as_mut() {
            x.update(&b);
        }
        total_in += n as u64;
        Ok(Some(b))
    };
    // The request after the one being submitted: a request is the last
    // (CPA_DC_FLUSH_FINAL) when nothing follows it. An empty input is one
    // empty final request.
    let mut ahead = match read_next(&mut free_src)? {
        Some(b) => Some(b),
        None => Some(DmaBuf::try_new(0).map_err(e2s)?),
    };
    // The header goes out once the input has proved readable: an input
    // that cannot be read leaves no output behind. QATzip's gzip extension
    // has one per request instead.
    let members = format == Format::GzipExt;
    if !members {
        let mut header = [0u8; 64];
        let n = session.generate_header(&mut header).map_err(e2s)?;
        write_all(output, output_name, &header[..n])?;
    }
    let mut retry: Option<(DmaBuf, DmaBuf, FlushFlag)> = None;
    let mut next = 0u64;
    let mut emitted = 0u64;
    let mut pending: Vec<Slot> = (0..WINDOW).map(|_| None).collect();
    // zstd: the QAT zstd plugin's path. The requests are LZ4S; each one's
    // sequences are coded here into the blocks of one zstd frame (content
    // size not declared: the input is a stream).
    let mut zstd = (format == Format::Zstd).then(softqat_engine::zstd::ZstdEncoder::new);
    let mut zstd_out = Vec::new();
    if let Some(enc) = zstd.as_mut() {
        let opts = softqat_engine::zstd::FrameOptions {
            content_size: None,
            checksum: true,
        };
        let mut header = [0u8; softqat_engine::zstd::MAX_HEADER_LEN];
        let n = enc
            .begin_frame(opts, &mut header)
            .map_err(|e| e.to_string())?;
        write_all(output, output_name, &header[..n])?;
        zstd_out = zeroed(softqat_engine::zstd::blocks_bound(size), "the zstd blocks")?;
    }
    // The tag of the request sent with CPA_DC_FLUSH_FINAL.
    let mut final_tag = None;
    let mut checksum: Option<u32> = None;
    while ahead.is_some() || retry.is_some() || emitted < next {
        while next - emitted < WINDOW as u64 {
            let (src, dst, flush) = match retry.take() {
                Some(r) => r,
                None => {
                    let Some(src) = ahead.take() else { break };
                    ahead = read_next(&mut free_src)?;
                    // Every member of QATzip's gzip extension is a whole
                    // deflate stream.
                    let flush = if ahead.is_none() || members {
                        FlushFlag::Final
                    } else {
                        FlushFlag::Full
                    };
                    let dst = match free_dst.pop() {
                        Some(d) => d,
                        None => DmaBuf::try_new(bound).map_err(e2s)?,
                    };
                    (src, dst, flush)
                }
            };
            let op = DcOpData {
                compress_and_verify: args.verify,
                compress_and_verify_and_recover: args.verify,
                ..DcOpData::new(flush)
            };
            match inst.submit_compress(&session, src, dst, &op, next) {
                Ok(()) => {
                    if flush == FlushFlag::Final {
                        final_tag = Some(next);
                    }
                    next += 1;
                }
                Err(r) if r.error.status == CpaStatus::Retry => {
                    retry = Some((r.src, r.dst, flush));
                    break;
                }
                Err(r) => return Err(r.error.to_string()),
            }
        }
        for (tag, status, results, src, dst) in completions(&inst, &done, &mut arrived) {
            if status == CpaStatus::Resource {
                return Err(no_scratch(&qat, tag, src.len()));
            }
            if status != CpaStatus::Success || results.status != DcStatus::Ok {
                return Err(format!(
                    "request {tag} failed: {status}, {}",
                    results.status
                ));
            }
            pending[tag as usize % WINDOW] = Some((results, src, dst));
        }
        while let Some((results, mut src, mut dst)) = pending[emitted as usize % WINDOW].take() {
            let produced = &dst[..results.produced as usize];
            if let Some(enc) = zstd.as_mut() {
                let last = final_tag == Some(emitted);
                let n = enc
                    .blocks_from_lz4s(&src, produced, 3, last, &mut zstd_out)
                    .map_err(|e| format!("request {emitted}: {e}"))?;
                write_all(output, output_name, &zstd_out[..n])?;
            } else if members {
                let member_len = |n: usize| {
                    u32::try_from(n).map_err(|_| {
                        format!("request {emitted}: a gzip-ext member holds at most 4 GB: use a smaller --request-size")
                    })
                };
                let header = framing::qz_gzip_ext_header(
                    member_len(src.len())?,
                    member_len(produced.len())?,
                );
                write_all(output, output_name, &header)?;
                write_all(output, output_name, produced)?;
                let footer = framing::gzip_footer(results.checksum, src.len() as u64);
                write_all(output, output_name, &footer)?;
            } else {
                write_all(output, output_name, produced)?;
            }
            let len = src.len() as u64;
            checksum = Some(match (checksum, setup.checksum) {
                (None, _) => results.checksum,
                (Some(c), ChecksumType::Crc32) => checksum::crc32_combine(c, results.checksum, len),
                (Some(c), ChecksumType::Adler32) => {
                    checksum::adler32_combine(c, results.checksum, len)
                }
                (Some(c), _) => c,
            });
            src.set_len(src.capacity());
            dst.set_len(dst.capacity());
            if src.capacity() == size {
                free_src.push(src);
            }
            free_dst.push(dst);
            emitted += 1;
        }
    }
    let total_checksum = match xxh {
        Some(x) => x.digest(),
        None => checksum.unwrap_or(0),
    };
    if format != Format::Zstd && !members {
        let mut footer = [0u8; 16];
        let n = session
            .generate_footer(total_checksum, total_in, &mut footer)
            .map_err(e2s)?;
        write_all(output, output_name, &footer[..n])?;
    }
    output.flush().map_err(|e| format!("{output_name}: {e}"))?;
    Ok(total_in)
}

/// Reads into `buf` until it is full or the input ends; returns the bytes read.
fn fill(input: &mut dyn Read, name: &str, buf: &mut [u8]) -> Result<usize, String> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("{name}: {e}")),
        }
    }
    Ok(n)
}

fn write_all(output: &mut dyn Write, name: &str, data: &[u8]) -> Result<(), String> {
    output.write_all(data).map_err(|e| format!("{name}: {e}"))
}

fn detect(input: &[u8]) -> Format {
    if input.starts_with(&[0x1f, 0x8b]) {
        Format::Gzip
    } else if input.starts_with(&softqat_engine::zstd::MAGIC.to_le_bytes()) {
        Format::Zstd
    } else if input.len() >= 4
        && lz4_magic(u32::from_le_bytes([input[0], input[1], input[2], input[3]]))
    {
        Format::Lz4
    } else if input.len() >= 2
        && input[0] & 0x0f == 8
        && (u16::from(input[0]) << 8 | u16::from(input[1])) % 31 == 0
    {
        Format::Zlib
    } else {
        Format::Deflate
    }
}

/// The magic numbers an LZ4 file may start with: a frame, a legacy frame
/// (`lz4 -l`) or a skippable frame.
fn lz4_magic(m: u32) -> bool {
    m == lz4::FRAME_MAGIC
        || m == lz4::LEGACY_MAGIC
        || (lz4::SKIPPABLE_MAGIC_MIN..=lz4::SKIPPABLE_MAGIC_MAX).contains(&m)
}

/// The largest output a deflate stream of `n` bytes can have: a match of 258
/// bytes takes at least 2 bits, so about 1032 bytes per input byte. A gzip
/// ISIZE above it is corrupt (or forged) and must not size the output.
fn deflate_output_bound(n: usize) -> usize {
    n.saturating_mul(1032).saturating_add(1024)
}

/// One decompression request over a whole stream, growing the destination
/// on overflow (nothing is consumed or produced by an overflowed request).
/// The destination is DMA memory: a large buffer is a fresh mapping whose
/// pages arrive zeroed as the engine first writes them, with no pass to
/// clear it first.
fn decompress_one(
    inst: &DcInstance,
    session: &DcSession,
    src: &[u8],
    size_hint: usize,
) -> Result<(DcResults, DmaBuf), String> {
    decompress_request(inst, session, src, size_hint, FlushFlag::Final)
}

/// [`decompress_one`] with the request's flush: FLUSH_FINAL for a whole
/// stream, FLUSH_FULL for a run of blocks that ends at a flush marker.
pub(crate) fn decompress_request(
    inst: &DcInstance,
    session: &DcSession,
    src: &[u8],
    size_hint: usize,
    flush: FlushFlag,
) -> Result<(DcResults, DmaBuf), String> {
    let mut cap = size_hint.max(src.len().saturating_mul(4)).max(1024);
    loop {
        let mut dst = DmaBuf::try_new(cap).map_err(e2s)?;
        let r = inst
            .decompress(session, src, &mut dst, &DcOpData::new(flush))
            .map_err(e2s)?;
        match r.status {
            DcStatus::Ok => {
                dst.set_len(r.produced as usize);
                return Ok((r, dst));
            }
            DcStatus::Overflow if cap < u32::MAX as usize => {
                cap = cap.saturating_mul(2).min(u32::MAX as usize);
            }
            s => {
                return Err(format!(
                    "the compressed data is invalid: {s} ({})",
                    invalid_hint(s)
                ))
            }
        }
    }
}

/// Decompressed data: the output of each gzip member, zlib or raw stream,
/// or LZ4 frame, in order, in the buffers the requests wrote.
#[derive(Default)]
pub struct Decompressed {
    parts: Vec<DmaBuf>,
    /// Set when the data decoded but something was ignored (as gzip warns).
    pub warning: Option<String>,
}

impl Decompressed {
    fn push(&mut self, part: DmaBuf) {
        if !part.is_empty() {
            self.parts.push(part);
        }
    }

    /// Writes the data to `out`, in order.
    pub fn write_to(&self, out: &mut dyn Write) -> std::io::Result<()> {
        for p in &self.parts {
            out.write_all(p)?;
        }
        out.flush()
    }

    /// The data as one vector (for comparisons).
    #[cfg(test)]
    pub fn to_vec(&self) -> Vec<u8> {
        self.parts.iter().flat_map(|p| p.iter().copied()).collect()
    }
}

/// Where decoded data goes: straight to the output stream when there is
/// one, else into the returned [`Decompressed`].
struct Sink<'a, 'w> {
    out: &'a mut Decompressed,
    to: Option<&'a mut (&'w mut dyn Write, &'w str)>,
}

impl<'a, 'w> Sink<'a, 'w> {
    fn new(out: &'a mut Decompressed, stream: &'a mut Stream<'w>) -> Self {
        Sink {
            out,
            to: stream.as_mut(),
        }
    }

    /// For output handed on before the stream's trailer is checked: to the
    /// output stream only when the caller can take back a failed run's
    /// output (`early`), else kept (a failed run then writes nothing of it).
    fn for_unchecked(out: &'a mut Decompressed, stream: &'a mut Stream<'w>, early: bool) -> Self {
        Sink {
            out,
            to: stream.as_mut().filter(|_| early),
        }
    }

    /// Hands on `data` (copied when it is kept).
    fn bytes(&mut self, data: &[u8]) -> Result<(), String> {
        match &mut self.to {
            Some((w, name)) => write_all(&mut **w, name, data),
            None => {
                self.out.push(DmaBuf::try_from_slice(data).map_err(e2s)?);
                Ok(())
            }
        }
    }

    /// Hands on a request's output from byte `skip` on: written (and the
    /// buffer given back), or kept as it is when the whole of it is.
    fn buffer(&mut self, data: DmaBuf, skip: usize) -> Result<Option<DmaBuf>, String> {
        if self.to.is_none() && skip == 0 {
            self.out.push(data);
            return Ok(None);
        }
        self.bytes(data.get(skip..).unwrap_or(&[]))?;
        Ok(Some(data))
    }
}

/// Decodes the deflate stream at the start of `body` (a gzip member's,
/// zlib's or raw data) with `session`: on every engine at once when it is
/// made of independent pieces ([`crate::parallel_inflate`]), otherwise as
/// one request. `check` judges the results against the stream's trailer.
/// Pieces are handed to `sink` as they are accepted (before the trailer is
/// checked, as gzip writes a member's output before its CRC is known); one
/// request's output once `check` passes. `expected` is the output's length
/// when known (the gzip ISIZE); `context` says where a decoding error is.
fn inflate_stream(
    inst: &DcInstance,
    session: &DcSession,
    body: &[u8],
    expected: Option<u32>,
    sink: &mut Sink,
    check: impl Fn(&DcResults) -> Result<(), String>,
    context: &dyn Fn(String) -> String,
) -> Result<DcResults, String> {
    let checksum = session.setup().checksum;
    match inflate_split(inst, body, expected, checksum, &mut |d| sink.buffer(d, 0))
        .map_err(context)?
    {
        Split::Done(r) => {
            check(&r)?;
            Ok(r)
        }
        Split::NotSplit { emitted } => {
            let hint = expected.map_or(0, |n| n as usize);
            let (r, data) = decompress_one(inst, session, body, hint).map_err(context)?;
            check(&r)?;
            sink.buffer(data, emitted)?;
            Ok(r)
        }
    }
}

fn invalid_hint(s: DcStatus) -> &'static str {
    match s {
        DcStatus::IncompleteFileErr => {
            "the input ends before the end of the stream: is the file truncated?"
        }
        DcStatus::Overflow => "the output would exceed 4 GB",
        DcStatus::Lz4MaxBlockSizeExceeded => {
            "an LZ4 block is larger than the frame's block maximum size: the file is corrupt"
        }
        DcStatus::Lz4BlockOverflowErr => {
            "an LZ4 block decodes to more than the block maximum size: the file is corrupt"
        }
        DcStatus::Lz4TokenIsZeroErr | DcStatus::Lz4DistanceOutOfRangeErr => {
            "an LZ4 match reaches outside the data decoded so far: the file is corrupt"
        }
        // The LZ4 decoder's status for checksums, sizes and malformed blocks.
        DcStatus::SoftErr => {
            "an LZ4 block or content checksum, or the content size, does not match the data, or block data is malformed: the file is corrupt"
        }
        _ => "the file is corrupt or not in this format",
    }
}

/// A member of QATzip's gzip extension, located from its header.
struct QzMember {
    /// Where its header starts in the input.
    start: usize,
    /// Its deflate data in the input.
    data: std::ops::Range<usize>,
    /// Uncompressed size (the header's, which the footer's ISIZE repeats).
    size: u32,
    /// The footer's CRC32 and ISIZE.
    crc: u32,
    isize: u32,
}

/// The members of QATzip's gzip extension at the start of `input`, found
/// from their headers alone, and where they end. Stops at the first that is
/// not one, or whose recorded sizes do not fit the input or cannot be true
/// (more output than deflate data of that size can hold): the member-by-
/// member path then takes over there and says what is wrong.
fn qz_members(input: &[u8]) -> (Vec<QzMember>, usize) {
    let mut members = Vec::new();
    let mut at = 0usize;
    while let Some((size, len)) = input.get(at..).and_then(framing::parse_qz_gzip_ext_header) {
        let start = at + framing::QZ_GZIP_EXT_HEADER_LEN;
        let end = start.saturating_add(len as usize);
        let Some(footer) = input.get(end..end.saturating_add(framing::GZIP_FOOTER_LEN)) else {
            break;
        };
        if size as usize > deflate_output_bound(len as usize) {
            break;
        }
        let Ok((crc, isize)) = framing::parse_gzip_footer(footer) else {
            break;
        };
        members.push(QzMember {
            start: at,
            data: start..end,
            size,
            crc,
            isize,
        });
        at = end + framing::GZIP_FOOTER_LEN;
    }
    (members, at)
}

/// Decodes `members` of `input` on the instance's engines, up to [`WINDOW`]
/// requests in flight in reused buffers, and hands each member's output to
/// `emit` in order once it checks out (status, sizes, CRC32, ISIZE).
/// Returns how many were emitted: it stops at the first member that does
/// not check out, which the member-by-member path then decodes again from
/// its header on, ignoring the recorded sizes — as any gzip reader would —
/// and reports exactly what is wrong with it.
fn decompress_members(
    inst: &DcInstance,
    input: &[u8],
    members: &[QzMember],
    emit: &mut dyn FnMut(&[u8]) -> Result<(), String>,
) -> Result<usize, String> {
    if members.is_empty() {
        return Ok(0);
    }
    let setup = DcSessionSetup {
        comp_type: CompType::Deflate,
        checksum: ChecksumType::Crc32,
        direction: SessionDirection::Decompress,
        ..DcSessionSetup::default()
    };
    let session = collecting_session(inst, &setup)?;
    let pieces: Vec<Piece> = members
        .iter()
        .map(|m| Piece {
            data: m.data.clone(),
            dst_len: m.size as usize,
            flush: FlushFlag::Final,
        })
        .collect();
    decode_window(inst, &session, input, &pieces, &mut |k, r, dst| {
        let m = &members[k];
        let fits = r.status == DcStatus::Ok
            && r.consumed as usize == m.data.len()
            && r.produced == m.size
            && r.checksum == m.crc
            && m.isize == m.size;
        if !fits {
            return Ok(Step::Stop);
        }
        emit(&dst[..m.size as usize])?;
        Ok(Step::Next(Some(dst)))
    })
}

/// Where decompressed data may be written as it is produced (the output,
/// and its name for messages); the rest is returned in [`Decompressed`].
pub type Stream<'a> = Option<(&'a mut dyn Write, &'a str)>;

/// Decompresses `input`, detecting the format when `format` is `None`.
/// Members of QATzip's gzip extension are decoded in parallel and written
/// to `stream` as they complete, in order; the rest of the data is
/// returned.
///
/// With `early`, the caller can take back what a failed run wrote (it
/// removes or truncates the file), so the pieces of a member decoded in
/// parallel are written as they come, before the member's trailer is
/// checked; without it they are kept until it checks out, and a failed run
/// writes nothing of that member.
pub fn decompress(
    input: &[u8],
    format: Option<Format>,
    stream: Stream,
    early: bool,
) -> Result<Decompressed, String> {
    let qat = Qat::start("SSL").map_err(e2s)?;
    let inst = instance(&qat)?;
    decompress_with(&inst, input, format, stream, early)
}

/// [`decompress`] on a started instance (the decoder fuzz tests share one).
pub(crate) fn decompress_with(
    inst: &DcInstance,
    input: &[u8],
    format: Option<Format>,
    mut stream: Stream,
    early: bool,
) -> Result<Decompressed, String> {
    let format = format.unwrap_or_else(|| detect(input));
    let setup = |comp_type, checksum| DcSessionSetup {
        comp_type,
        checksum,
        ..DcSessionSetup::default()
    };
    let mut out = Decompressed::default();
    match format {
        Format::Zstd => {
            return Err(
                "softqat does not decompress zstd: QAT gen4 has no zstd engine (gen6 has \
                 CPA_DC_ZSTD) and the zstd plugin decompresses in software; use `zstd -d`"
                    .to_string(),
            )
        }
        Format::Deflate => {
            let s = inst
                .init_session(&setup(CompType::Deflate, ChecksumType::None))
                .map_err(e2s)?;
            let mut sink = Sink::for_unchecked(&mut out, &mut stream, early);
            inflate_stream(inst, &s, input, None, &mut sink, |_| Ok(()), &|e| e)?;
        }
        Format::Zlib => {
            let s = inst
                .init_session(&setup(CompType::Deflate, ChecksumType::Adler32))
                .map_err(e2s)?;
            let h = framing::parse_zlib_header(input).map_err(|e| e.to_string())?;
            let body = &input[2..];
            let _ = h;
            let mut sink = Sink::for_unchecked(&mut out, &mut stream, early);
            inflate_stream(
                inst,
                &s,
                body,
                None,
                &mut sink,
                |r| {
                    let trailer = &body[r.consumed as usize..];
                    let adler = framing::parse_zlib_footer(trailer).map_err(|e| e.to_string())?;
                    if adler != r.checksum {
                        return Err(format!(
                        "zlib Adler-32 mismatch: stream says {adler:#010x}, data gives {:#010x}: the data is corrupt",
                        r.checksum
                    ));
                    }
                    Ok(())
                },
                &|e| e,
            )?;
        }
        Format::Gzip | Format::GzipExt => {
            let s = inst
                .init_session(&setup(CompType::Deflate, ChecksumType::Crc32))
                .map_err(e2s)?;
            // QATzip-extension members first, found from their headers and
            // decoded in parallel; whatever follows them, member by member.
            let (members, end) = qz_members(input);
            let mut sink = Sink::new(&mut out, &mut stream);
            let n = decompress_members(inst, input, &members, &mut |data: &[u8]| sink.bytes(data))?;
            let resume = members.get(n).map_or(end, |m| m.start);
            let mut rest = &input[resume..];
            let mut member = n;
            // At least one member: an empty file is not a gzip file.
            while member == 0 || !rest.is_empty() {
                if member > 0 && rest.iter().all(|&b| b == 0) {
                    break; // trailing zero padding, as gzip accepts
                }
                if member > 0 && rest.len() < 2 {
                    // As gzip: one stray byte is a member cut short.
                    return Err(format!(
                        "gzip member {member}: truncated gzip header: need at least 10 bytes, have {}: is the file truncated?",
                        rest.len()
                    ));
                }
                if member > 0 && !rest.starts_with(&[0x1f, 0x8b]) {
                    // What follows a complete member is not another one:
                    // GNU gzip keeps the data and warns (exit status 2).
                    out.warning = Some(format!(
                        "decompression OK, trailing garbage ignored ({} bytes after {member} gzip member(s), starting {})",
                        rest.len(),
                        hex_prefix(rest)
                    ));
                    break;
                }
                let h = framing::parse_gzip_header(rest)
                    .map_err(|e| format!("member {member}: {e}"))?;
                let body = &rest[h.len..];
                // ISIZE of a single-member file sizes the output (unless it
                // is more than the data can hold).
                let hint = if member == 0 && input.len() >= 4 {
                    let isize =
                        u32::from_le_bytes(input[input.len() - 4..].try_into().unwrap_or([0; 4]));
                    (isize as usize).min(deflate_output_bound(body.len()))
                } else {
                    0
                };
                // A stream of independent pieces (as stateless compressors
                // write) is decoded on every engine at once; any other, as
                // one request.
                let expected = (member == 0).then_some(hint as u32);
                let mut sink = Sink::for_unchecked(&mut out, &mut stream, early);
                let r = inflate_stream(
                    inst,
                    &s,
                    body,
                    expected,
                    &mut sink,
                    |r| {
                        let trailer = &body[r.consumed as usize..];
                        let (crc, isize) = framing::parse_gzip_footer(trailer)
                            .map_err(|e| format!("member {member}: {e}"))?;
                        if crc != r.checksum {
                            return Err(format!(
                            "gzip member {member}: CRC32 mismatch (stream {crc:#010x}, data {:#010x}): the data is corrupt",
                            r.checksum
                        ));
                        }
                        if isize != r.produced {
                            return Err(format!(
                            "gzip member {member}: length mismatch (stream {isize}, data {}): the data is corrupt",
                            r.produced
                        ));
                        }
                        Ok(())
                    },
                    &|e| format!("gzip member {member}: {e}"),
                )?;
                let trailer = &body[r.consumed as usize..];
                rest = &trailer[framing::GZIP_FOOTER_LEN..];
                member += 1;
            }
        }
        Format::Lz4 => {
            let s = inst
                .init_session(&setup(CompType::Lz4, ChecksumType::Xxhash32))
                .map_err(e2s)?;
            // Frames, legacy frames and skippable frames, in any order, as
            // `lz4 -d` reads them; `frames` counts the frames that carry data.
            let mut rest = input;
            let mut frames = 0usize;
            // What the data read so far ended with, for error messages.
            let mut after: Option<String> = None;
            while !rest.is_empty() {
                let magic = match rest {
                    [a, b, c, d, ..] => u32::from_le_bytes([*a, *b, *c, *d]),
                    _ => {
                        return Err(format!(
                            "the LZ4 data ends with {} stray bytes ({}) where a frame should start: is the file truncated?",
                            rest.len(),
                            hex_prefix(rest)
                        ))
                    }
                };
                if !lz4_magic(magic) {
                    return Err(match &after {
                        None => format!(
                            "not an LZ4 file: it starts with {} (a frame starts with 04 22 4d 18, a legacy frame with 02 21 4c 18, a skippable frame with 5? 2a 4d 18)",
                            hex_prefix(rest)
                        ),
                        Some(what) => format!(
                            "{what} is followed by {} bytes that are not an LZ4 frame ({}): the file is corrupt, truncated or has other data appended",
                            rest.len(),
                            hex_prefix(rest)
                        ),
                    });
                }
                if (lz4::SKIPPABLE_MAGIC_MIN..=lz4::SKIPPABLE_MAGIC_MAX).contains(&magic) {
                    // Metadata for other tools: nothing to decode.
                    let size = rest
                        .get(4..8)
                        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
                    match size {
                        Some(n) if rest.len() - 8 >= n => rest = &rest[8 + n..],
                        _ => {
                            return Err(
                                "a skippable frame ends before its announced size: is the file truncated?"
                                    .into(),
                            )
                        }
                    }
                    after = Some("a skippable frame".into());
                    continue;
                }
                if magic == lz4::FRAME_MAGIC {
                    // Header errors and dictionaries get their own messages:
                    // the request would only say "invalid".
                    let (opts, _) = framing::parse_lz4_frame_header(rest)
                        .map_err(|e| format!("LZ4 frame {}: {e}", frames + 1))?;
                    if let Some(id) = opts.dict_id {
                        return Err(format!(
                            "LZ4 frame {} was compressed with dictionary {id:#010x}, which softqat does not have (a stateless request carries no dictionary): decompress it with `lz4 -d -D DICTIONARY`",
                            frames + 1
                        ));
                    }
                }
                let (r, data) = decompress_one(inst, &s, rest, 0)
                    .map_err(|e| format!("LZ4 frame {}: {e}", frames + 1))?;
                if !r.end_of_last_block {
                    return Err(format!(
                        "LZ4 frame {} has no end mark: is the file truncated?",
                        frames + 1
                    ));
                }
                out.push(data);
                rest = &rest[r.consumed as usize..];
                frames += 1;
                after = Some(format!("LZ4 frame {frames}"));
            }
        }
    }
    Ok(out)
}

/// Most errors printed for one file: a file that is not a configuration
/// file at all would otherwise print one per line.
const MAX_ERRORS_SHOWN: usize = 50;

/// Prints `errors` and `warnings`, at most [`MAX_ERRORS_SHOWN`] errors per
/// file, with a count of the rest.
fn print_diagnostics(
    errors: &[softqat_config::Diagnostic],
    warnings: &[softqat_config::Diagnostic],
) {
    for w in warnings {
        println!("{w} (warning)");
    }
    let mut shown: Vec<(&str, usize)> = Vec::new();
    for e in errors {
        let n = match shown.iter_mut().find(|(f, _)| *f == e.file) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                shown.push((&e.file, 1));
                1
            }
        };
        if n <= MAX_ERRORS_SHOWN {
            println!("{e}");
        }
    }
    for (file, n) in shown {
        if n > MAX_ERRORS_SHOWN {
            println!(
                "{file}: {} more errors not shown: is this a configuration file?",
                n - MAX_ERRORS_SHOWN
            );
        }
    }
}

/// The first bytes of `b` in hex, for error messages.
fn hex_prefix(b: &[u8]) -> String {
    let shown: Vec<String> = b.iter().take(8).map(|x| format!("{x:02x}")).collect();
    let more = if b.len() > 8 { " …" } else { "" };
    format!("{}{more}", shown.join(" "))
}

/// `softqat config check FILE…`: every error and warning with file:line.
///
/// A file named `*_dev<N>.conf` is an endpoint file (its class must be one
/// softqat knows); any other name is a managed-mode file
/// (`/etc/sysconfig/qat`). Files are read as bytes: a line that is not
/// UTF-8 is an error at its line unless the bad bytes are in its comment.
pub fn config_check(files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    let mut endpoint_files = Vec::new();
    for f in files {
        let shown = f.display().to_string();
        let bytes = match read_config(f) {
            Ok(b) => b,
            Err(e) => {
                println!("{shown}: cannot read: {e}");
                failed = true;
                continue;
            }
        };
        let kind = match softqat_config::file_kind(&f.to_string_lossy()) {
            Ok(k) => k,
            Err(msg) => {
                println!("{shown}: {msg}");
                failed = true;
                continue;
            }
        };
        if let softqat_config::FileKind::Endpoint { .. } = kind {
            endpoint_files.push((shown, bytes));
            continue;
        }
        match softqat_config::ManagedConfig::parse_bytes(&shown, &bytes) {
            Ok((cfg, warnings)) => {
                print_diagnostics(&[], &warnings);
                println!(
                    "{shown}: OK: managed mode, POLICY={}, ServicesEnabled={}",
                    cfg.policy,
                    cfg.services_spelling.as_deref().unwrap_or("(default)")
                );
            }
            Err(errs) => {
                failed = true;
                print_diagnostics(&errs.errors, &errs.warnings);
            }
        }
    }
    if !endpoint_files.is_empty() {
        match softqat_config::SystemConfig::from_file_bytes(&endpoint_files) {
            Ok((cfg, warnings)) => {
                print_diagnostics(&[], &warnings);
                for e in &cfg.endpoints {
                    println!(
                        "{}: OK: {} {} ({}), {} sections",
                        e.file,
                        e.name(),
                        e.type_name(),
                        e.services,
                        e.sections.len()
                    );
                }
            }
            Err(errs) => {
                failed = true;
                print_diagnostics(&errs.errors, &errs.warnings);
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// A configuration file's bytes: at most one byte more than the parsers
/// read (they refuse a longer file without it being read whole).
fn read_config(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(softqat_config::text::MAX_FILE_LEN as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_detection() {
        assert_eq!(detect(&[0x1f, 0x8b, 8]), Format::Gzip);
        assert_eq!(detect(&[0x78, 0x9c]), Format::Zlib);
        assert_eq!(detect(&[0x04, 0x22, 0x4d, 0x18]), Format::Lz4);
        // Issue 10: legacy (`lz4 -l`) and skippable frames are LZ4 too.
        assert_eq!(detect(&[0x02, 0x21, 0x4c, 0x18]), Format::Lz4);
        assert_eq!(detect(&[0x50, 0x2a, 0x4d, 0x18]), Format::Lz4);
        assert_eq!(detect(&[0x5f, 0x2a, 0x4d, 0x18]), Format::Lz4);
        assert_eq!(detect(&[0x01, 0x00]), Format::Deflate);
    }
}
