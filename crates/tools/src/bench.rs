//! `softqat bench dc`: the compression stack against the raw engine, in one run,
//! on the same data and engine count.
//!
//! Three measurements, each repeated and interleaved (the median is printed):
//! - libdeflate at the matching level plus the CRC32 the engine computes too
//!   (the reference the targets name, doing a gzip codec's work);
//! - the raw engine ([`DcEngine`]) called directly from N threads, with
//!   compress-and-verify on (as the stack runs it) and, for compression, off;
//! - the stack: one instance, asynchronous requests through its ring to an
//!   endpoint with N engine threads, the application thread submitting and
//!   polling.
//!
//! Every output is checked (sizes and statuses during the run, a full round
//! trip before timing) so a broken path cannot post a figure.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use softqat_engine::dc::{DcAlgorithm, DcEngine, DcParams, DcRequest};
use softqat_engine::deflate::{HuffmanMode, LevelMapping, SearchDepth};
use softqat_engine::lz4::BlockFormat;
use softqat_engine::DcStatus;
use softqat_sal::{
    AutoSelectBest, ChecksumType, ConfigSource, CpaStatus, DcOpData, DcSessionSetup, DmaBuf,
    FlushFlag, HuffType, Qat, StartOptions,
};

/// Options of a benchmark run.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// Corpus name or path.
    pub file: String,
    /// Compression level.
    pub level: u8,
    /// Request size in bytes.
    pub request_size: usize,
    /// Engine threads (raw engine threads, and endpoint engine threads).
    pub engines: usize,
    /// Seconds per measurement.
    pub seconds: f64,
    /// Repetitions of each measurement (median reported).
    pub trials: usize,
    /// Static Huffman instead of dynamic.
    pub static_huffman: bool,
}

/// Figures of one run, MB/s (10^6 bytes of uncompressed data per second).
#[derive(Clone, Debug, Default)]
pub struct BenchFigures {
    /// Bytes of the corpus.
    pub input_bytes: usize,
    /// Compressed size / input size.
    pub compressed_fraction: f64,
    /// libdeflate compression.
    pub libdeflate_comp: f64,
    /// libdeflate decompression.
    pub libdeflate_decomp: f64,
    /// Raw engine compression (with compress-and-verify, as the stack does).
    pub raw_comp: f64,
    /// Raw engine compression without compress-and-verify.
    pub raw_comp_no_cnv: f64,
    /// Raw engine decompression.
    pub raw_decomp: f64,
    /// Stack compression.
    pub stack_comp: f64,
    /// Stack decompression.
    pub stack_decomp: f64,
    /// Median over trials of stack / raw engine, compression.
    pub stack_over_raw_comp: f64,
    /// Median over trials of stack / raw engine, decompression.
    pub stack_over_raw_decomp: f64,
    /// Median over trials of raw engine / libdeflate, compression.
    pub raw_over_libdeflate_comp: f64,
    /// Median over trials of raw engine / libdeflate, decompression.
    pub raw_over_libdeflate_decomp: f64,
}

fn params(o: &BenchOptions) -> DcParams {
    DcParams {
        algorithm: DcAlgorithm::Deflate,
        huffman: if o.static_huffman {
            HuffmanMode::Static
        } else {
            HuffmanMode::Dynamic
        },
        asb: AutoSelectBest::UncompStaticDynamicWithStoredHdrs,
        checksum: ChecksumType::Crc32,
        depth: SearchDepth::for_level(o.level, LevelMapping::Gen4).unwrap_or(SearchDepth(1)),
        min_match: 3,
        lz4: BlockFormat::QAT_DEFAULT,
    }
}

fn request(verify: bool) -> DcRequest {
    DcRequest {
        final_flush: true,
        verify,
        recover: verify,
        overflow_is_error: false,
        seed_crc32: 0,
        seed_adler32: 1,
        inject: None,
    }
}

fn mbps(bytes: u64, t: Duration) -> f64 {
    bytes as f64 / t.as_secs_f64() / 1e6
}

/// Runs `work(thread, chunk)` over all chunks on `threads` threads until
/// `seconds` pass; returns MB/s of `bytes_of(chunk)`.
fn timed_threads<S>(
    threads: usize,
    chunks: usize,
    seconds: f64,
    make: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) + Sync,
    bytes_of: impl Fn(usize) -> u64 + Sync,
) -> f64 {
    let total = AtomicU64::new(0);
    let start = Instant::now();
    let limit = Duration::from_secs_f64(seconds);
    std::thread::scope(|s| {
        for t in 0..threads {
            let (total, make, work, bytes_of) = (&total, &make, &work, &bytes_of);
            s.spawn(move || {
                let mut state = make();
                let mut bytes = 0u64;
                let mut i = t;
                // At least one request per thread, however late the thread
                // starts: on a loaded machine a thread may first run after
                // the time is up, and a measurement of nothing reads 0 MB/s.
                loop {
                    let c = i % chunks;
                    work(&mut state, c);
                    bytes += bytes_of(c);
                    i += threads;
                    if start.elapsed() >= limit {
                        break;
                    }
                }
                total.fetch_add(bytes, Ordering::Relaxed);
            });
        }
    });
    mbps(total.load(Ordering::Relaxed), start.elapsed())
}

pub(crate) struct Corpus {
    pub(crate) chunks: Vec<Vec<u8>>,
    pub(crate) compressed: Vec<Vec<u8>>,
}

pub(crate) fn prepare(o: &BenchOptions, data: &[u8]) -> Result<Corpus, String> {
    if data.is_empty() {
        return Err(format!(
            "the corpus {} is empty: give a file with data to measure",
            o.file
        ));
    }
    if o.request_size == 0 {
        return Err(
            "--size 0: requests need at least one byte (QAT's samples use 8192 and 65536)".into(),
        );
    }
    let chunks: Vec<Vec<u8>> = data.chunks(o.request_size).map(|c| c.to_vec()).collect();
    let mut e = DcEngine::new();
    let p = params(o);
    let mut compressed = Vec::with_capacity(chunks.len());
    for c in &chunks {
        let mut out = vec![0u8; softqat_sal::deflate_compress_bound(c.len())];
        let r = e
            .compress(&p, &request(true), c, &mut out)
            .map_err(|e| format!("raw engine compression failed: {e}"))?;
        if r.status != DcStatus::Ok || r.consumed as usize != c.len() {
            return Err(format!("raw engine compression failed: {:?}", r.status));
        }
        out.truncate(r.produced as usize);
        let mut back = vec![0u8; c.len()];
        let d = e.decompress(&p, &request(false), &out, &mut back);
        if d.status != DcStatus::Ok || back != *c {
            return Err("raw engine round trip failed".into());
        }
        compressed.push(out);
    }
    Ok(Corpus { chunks, compressed })
}

fn measure_libdeflate(o: &BenchOptions, c: &Corpus, compress: bool) -> f64 {
    let level = libdeflater::CompressionLvl::new(i32::from(o.level.min(12)))
        .unwrap_or_else(|_| libdeflater::CompressionLvl::fastest());
    if compress {
        timed_threads(
            o.engines,
            c.chunks.len(),
            o.seconds,
            || {
                (
                    libdeflater::Compressor::new(level),
                    vec![0u8; o.request_size * 2 + 1024],
                )
            },
            |(z, out), i| {
                let n = z.deflate_compress(&c.chunks[i], out).unwrap_or(0);
                std::hint::black_box((n, crc32fast::hash(&c.chunks[i])));
            },
            |i| c.chunks[i].len() as u64,
        )
    } else {
        timed_threads(
            o.engines,
            c.chunks.len(),
            o.seconds,
            || (libdeflater::Decompressor::new(), vec![0u8; o.request_size]),
            |(z, out), i| {
                // The streams the engine decodes: decompression speed depends
                // on the stream, so both decode the same ones.
                let n = z.deflate_decompress(&c.compressed[i], out).unwrap_or(0);
                std::hint::black_box(crc32fast::hash(&out[..n]));
            },
            |i| c.chunks[i].len() as u64,
        )
    }
}

fn measure_raw(o: &BenchOptions, c: &Corpus, compress: bool, verify: bool) -> f64 {
    let p = params(o);
    if compress {
        timed_threads(
            o.engines,
            c.chunks.len(),
            o.seconds,
            || {
                (
                    DcEngine::new(),
                    vec![0u8; softqat_sal::deflate_compress_bound(o.request_size)],
                )
            },
            |(e, out), i| {
                let r = e.compress(&p, &request(verify), &c.chunks[i], out);
                assert_eq!(
                    r.map(|r| r.status),
                    Ok(DcStatus::Ok),
                    "raw engine compression"
                );
            },
            |i| c.chunks[i].len() as u64,
        )
    } else {
        timed_threads(
            o.engines,
            c.chunks.len(),
            o.seconds,
            || (DcEngine::new(), vec![0u8; o.request_size]),
            |(e, out), i| {
                let r = e.decompress(&p, &request(false), &c.compressed[i], out);
                assert_eq!(r.status, DcStatus::Ok, "raw engine decompression");
            },
            |i| c.chunks[i].len() as u64,
        )
    }
}

/// What one stack measurement runs: request inputs, destination sizes, and
/// the byte count a correct response reports (consumed when compressing,
/// produced when decompressing), which is also what the figure counts.
pub(crate) struct StackRun<'a> {
    pub setup: DcSessionSetup,
    pub compress: bool,
    pub inputs: &'a [Vec<u8>],
    pub dst_sizes: Vec<usize>,
    pub expect: Vec<usize>,
    pub seconds: f64,
    /// Requests kept in flight. Each has its own destination buffer, so the
    /// depth also sets the memory the endpoint writes: a few requests per
    /// engine keep the engines busy without writing megabytes of cold
    /// memory a synchronous caller would not touch.
    pub depth: usize,
}

/// How long the application loop polls an idle instance before it sleeps.
const POLL_BEFORE_SLEEP: Duration = Duration::from_micros(200);

/// How a benchmark's polling thread waits between polls: it spins while a
/// core is free for it (spinning only pays then; with every core running an
/// engine thread it takes their time), for `POLL_BEFORE_SLEEP` after the
/// last response, then sleeps on the instance's fd, as a QAT polling thread
/// does: a wakeup per response costs the engine more than spinning costs
/// this thread.
pub(crate) struct PollPacer {
    spare_core: bool,
    idle_since: Option<Instant>,
}

impl PollPacer {
    /// For an endpoint with `engine_threads`.
    pub(crate) fn new(engine_threads: usize) -> PollPacer {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        PollPacer {
            spare_core: engine_threads < cores,
            idle_since: None,
        }
    }

    /// After a poll that consumed `polled` responses: returns at once, spins
    /// once, or sleeps via `wait` (the instance's `wait_for_response`).
    pub(crate) fn after_poll(&mut self, polled: u32, wait: impl FnOnce(Duration) -> bool) {
        if polled > 0 {
            self.idle_since = None;
        } else if self.spare_core
            && self.idle_since.get_or_insert_with(Instant::now).elapsed() < POLL_BEFORE_SLEEP
        {
            std::hint::spin_loop();
        } else {
            wait(Duration::from_millis(2));
        }
    }
}

/// A buffer pool shared with the completion callback.
type Pool = Arc<Mutex<Vec<DmaBuf>>>;

/// One stack measurement on `inst`: `depth` requests in flight, cycling
/// through the inputs, each resubmitted as a completion frees its buffers,
/// until the time is up. Returns MB/s of expected bytes.
pub(crate) fn stack_throughput(
    inst: &softqat_sal::DcInstance,
    run: &StackRun<'_>,
) -> Result<f64, String> {
    let compress = run.compress;
    let n = run.inputs.len();
    // Sources: one per input, returned by index. Destinations: a pool.
    let srcs: Arc<Mutex<Vec<Option<DmaBuf>>>> = Arc::new(Mutex::new(
        run.inputs
            .iter()
            .map(|i| DmaBuf::try_from_slice(i).map(Some))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?,
    ));
    let max_dst = run.dst_sizes.iter().copied().max().unwrap_or(0);
    let depth = run.depth.clamp(1, n.max(1));
    let dsts: Pool = Arc::new(Mutex::new(
        (0..depth)
            .map(|_| DmaBuf::try_new(max_dst))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?,
    ));
    let bytes = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let session = {
        let (srcs, dsts, bytes, failures) =
            (srcs.clone(), dsts.clone(), bytes.clone(), failures.clone());
        let expect = run.expect.clone();
        inst.init_session_async(&run.setup, move |done| {
            let i = done.tag as usize;
            let got = if compress {
                done.results.consumed
            } else {
                done.results.produced
            };
            let ok = done.status == CpaStatus::Success
                && done.results.status == DcStatus::Ok
                && got as usize == expect[i];
            if ok {
                bytes.fetch_add(expect[i] as u64, Ordering::Relaxed);
            } else {
                failures.fetch_add(1, Ordering::Relaxed);
            }
            srcs.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(done.src);
            dsts.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(done.dst);
        })
        .map_err(|e| e.to_string())?
    };
    let op = DcOpData::new(FlushFlag::Final);
    let limit = Duration::from_secs_f64(run.seconds);
    let mut next = 0usize;
    let mut pacer = PollPacer::new(inst.endpoint().engine_threads());
    let start = Instant::now();
    loop {
        let running = start.elapsed() < limit;
        if running {
            loop {
                let Some(mut dst) = dsts.lock().unwrap_or_else(|e| e.into_inner()).pop() else {
                    break;
                };
                let i = next;
                let Some(src) = srcs.lock().unwrap_or_else(|e| e.into_inner())[i].take() else {
                    dsts.lock().unwrap_or_else(|e| e.into_inner()).push(dst);
                    break;
                };
                dst.set_len(run.dst_sizes[i]);
                let r = if compress {
                    inst.submit_compress(&session, src, dst, &op, i as u64)
                } else {
                    inst.submit_decompress(&session, src, dst, &op, i as u64)
                };
                if let Err(rej) = r {
                    if rej.error.status != CpaStatus::Retry {
                        return Err(rej.error.to_string());
                    }
                    srcs.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(rej.src);
                    dsts.lock().unwrap_or_else(|e| e.into_inner()).push(rej.dst);
                    break;
                }
                next = (next + 1) % n;
            }
        }
        let polled = inst.poll(0).unwrap_or(0);
        if !running && inst.in_flight() == 0 {
            break;
        }
        pacer.after_poll(polled, |t| inst.wait_for_response(t));
    }
    let elapsed = start.elapsed();
    let failed = failures.load(Ordering::Relaxed);
    if failed != 0 {
        return Err(format!("{failed} stack requests failed"));
    }
    Ok(mbps(bytes.load(Ordering::Relaxed), elapsed))
}

pub(crate) fn measure_stack(
    qat: &Qat,
    o: &BenchOptions,
    c: &Corpus,
    compress: bool,
) -> Result<f64, String> {
    let setup = DcSessionSetup {
        comp_level: o.level,
        huff_type: if o.static_huffman {
            HuffType::Static
        } else {
            HuffType::FullDynamic
        },
        ..DcSessionSetup::default()
    };
    let lens: Vec<usize> = c.chunks.iter().map(Vec::len).collect();
    let run = if compress {
        StackRun {
            setup,
            compress,
            inputs: &c.chunks,
            dst_sizes: lens
                .iter()
                .map(|&n| softqat_sal::deflate_compress_bound(n))
                .collect(),
            expect: lens,
            seconds: o.seconds,
            depth: 4 * o.engines,
        }
    } else {
        StackRun {
            setup,
            compress,
            inputs: &c.compressed,
            dst_sizes: lens.clone(),
            expect: lens,
            seconds: o.seconds,
            depth: 4 * o.engines,
        }
    };
    stack_throughput(&qat.dc_instances()[0], &run)
}

/// Figures of every trial, one column per figure.
pub(crate) struct Trials<const N: usize>(Vec<[f64; N]>);

impl<const N: usize> Default for Trials<N> {
    fn default() -> Self {
        Trials(Vec::new())
    }
}

impl<const N: usize> Trials<N> {
    pub(crate) fn push(&mut self, row: &[f64; N]) {
        self.0.push(*row);
    }

    pub(crate) fn medians(&self) -> [f64; N] {
        let mut out = [0.0; N];
        for (k, m) in out.iter_mut().enumerate() {
            *m = median(self.0.iter().map(|r| r[k]).collect());
        }
        out
    }
}

/// The median of `v` (the upper one of an even count); 0 if empty.
pub(crate) fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Slices each side of an [`interleaved`] pair is cut into.
pub(crate) const PAIR_SLICES: usize = 10;

/// Two rates measured over the same stretch of time, slice by slice.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pair {
    /// (first side's rate, second side's rate) of adjacent slices.
    slices: Vec<(f64, f64)>,
}

impl Pair {
    /// Median rate of the first side's slices.
    pub(crate) fn a(&self) -> f64 {
        self.median_of(|a, _| a)
    }

    /// Median rate of the second side's slices.
    pub(crate) fn b(&self) -> f64 {
        self.median_of(|_, b| b)
    }

    /// Median over adjacent slices of b / a.
    pub(crate) fn ratio(&self) -> f64 {
        self.median_of(|a, b| if a > 0.0 { b / a } else { 0.0 })
    }

    /// Median over adjacent slices of `f(a, b)`.
    pub(crate) fn median_of(&self, f: impl Fn(f64, f64) -> f64) -> f64 {
        median(self.slices.iter().map(|&(a, b)| f(a, b)).collect())
    }
}

/// Measures two rates over the same stretch of time: `a` and `b` run
/// alternately, `slices` times each for `seconds / slices`. This VM's
/// speed drifts by a quarter within seconds (the host's other guests), and
/// a slow moment hits the side that runs through it: rates measured one
/// after the other would as often compare two speeds of the machine as two
/// pieces of software. Adjacent slices share the machine's speed, and the
/// medians of [`Pair`] leave out the slices a slow moment fell on.
pub(crate) fn interleaved(
    seconds: f64,
    slices: usize,
    mut a: impl FnMut(f64) -> Result<f64, String>,
    mut b: impl FnMut(f64) -> Result<f64, String>,
) -> Result<Pair, String> {
    let slices = slices.max(1);
    let each = seconds / slices as f64;
    let mut pair = Pair::default();
    for _ in 0..slices {
        let x = a(each)?;
        let y = b(each)?;
        pair.slices.push((x, y));
    }
    Ok(pair)
}

/// The machine's core-to-core round trip now, in nanoseconds: two threads
/// pass a counter back and forth through one cache line `rounds` times.
/// Each request and response crosses between the requester's core and an
/// engine's; on this VM the round trip moves between about 100 and 500 ns
/// from one second to the next (where the host runs the two virtual CPUs),
/// and the stack's figures with it, while a raw engine on one core does not
/// notice. Printed beside the figures it explains.
pub(crate) fn core_round_trip_ns(rounds: u64) -> Option<f64> {
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        // One CPU: the two threads would take turns, not pass a line.
        return None;
    }
    #[repr(align(128))]
    struct Line(AtomicU64);
    let ping = Arc::new((Line(AtomicU64::new(0)), Line(AtomicU64::new(0))));
    let other = ping.clone();
    let echo = std::thread::spawn(move || {
        for i in 1..=rounds {
            while other.0 .0.load(Ordering::Acquire) != i {
                std::hint::spin_loop();
            }
            other.1 .0.store(i, Ordering::Release);
        }
    });
    let start = Instant::now();
    for i in 1..=rounds {
        ping.0 .0.store(i, Ordering::Release);
        while ping.1 .0.load(Ordering::Acquire) != i {
            std::hint::spin_loop();
        }
    }
    let elapsed = start.elapsed();
    let _ = echo.join();
    Some(elapsed.as_secs_f64() * 1e9 / rounds.max(1) as f64)
}

/// Runs the benchmark.
pub fn run(o: &BenchOptions) -> Result<BenchFigures, String> {
    let (_, data) = crate::corpus::load(&o.file)?;
    let corpus = prepare(o, &data)?;
    let qat = Qat::start_with(
        "BENCH",
        &StartOptions {
            config: ConfigSource::Builtin,
            engine_threads: Some(o.engines),
            ..StartOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let inst = qat
        .dc_instances()
        .first()
        .ok_or("the configuration has no compression instance")?
        .clone();
    inst.start().map_err(|e| e.to_string())?;
    let mut f = BenchFigures {
        input_bytes: data.len(),
        compressed_fraction: corpus.compressed.iter().map(Vec::len).sum::<usize>() as f64
            / data.len().max(1) as f64,
        ..BenchFigures::default()
    };
    // Each trial measures one direction back to back (reference, raw
    // engine, stack), so the ratios compare neighbours in time; the medians
    // of the per-trial figures and ratios are reported. This machine's speed
    // drifts by ±10% between runs of the same work.
    let mut t = Trials::<11>::default();
    for _ in 0..o.trials.max(1) {
        let lc = measure_libdeflate(o, &corpus, true);
        let rc = measure_raw(o, &corpus, true, true);
        let sc = measure_stack(&qat, o, &corpus, true)?;
        let rn = measure_raw(o, &corpus, true, false);
        let ld = measure_libdeflate(o, &corpus, false);
        let rd = measure_raw(o, &corpus, false, false);
        let sd = measure_stack(&qat, o, &corpus, false)?;
        t.push(&[
            lc,
            ld,
            rc,
            rd,
            rn,
            sc,
            sd,
            sc / rc,
            sd / rd,
            rc / lc,
            rd / ld,
        ]);
    }
    [
        f.libdeflate_comp,
        f.libdeflate_decomp,
        f.raw_comp,
        f.raw_decomp,
        f.raw_comp_no_cnv,
        f.stack_comp,
        f.stack_decomp,
        f.stack_over_raw_comp,
        f.stack_over_raw_decomp,
        f.raw_over_libdeflate_comp,
        f.raw_over_libdeflate_decomp,
    ] = t.medians();
    Ok(f)
}

/// `<corpus> (<n> bytes), deflate L<l> <huffman>, <size>-byte requests, <n>
/// engine thread(s)`: what a run measured, for table headings.
pub(crate) fn describe_run(o: &BenchOptions, input_bytes: usize) -> String {
    format!(
        "{} ({} bytes), deflate L{} {}, {}-byte requests, {} engine thread(s)",
        o.file,
        input_bytes,
        o.level,
        if o.static_huffman {
            "static"
        } else {
            "dynamic"
        },
        o.request_size,
        o.engines
    )
}

/// The column heading of the MB/s tables.
pub(crate) fn header_row() -> String {
    format!(
        "{:<34}{:>16}{:>18}\n",
        "", "compress MB/s", "decompress MB/s"
    )
}

/// A row of MB/s figures.
pub(crate) fn row(name: &str, a: f64, b: f64) -> String {
    format!("{name:<34}{a:>16.1}{b:>18.1}\n")
}

/// A row of ratios.
pub(crate) fn ratio_row(name: &str, a: f64, b: f64) -> String {
    format!("{name:<34}{a:>16.3}{b:>18.3}\n")
}

/// The figures as a table for people.
pub fn table(o: &BenchOptions, f: &BenchFigures) -> String {
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let mut s = format!(
        "softqat bench dc: {}, compress-and-verify on, medians of {} trials\n",
        describe_run(o, f.input_bytes),
        o.trials.max(1)
    );
    s.push_str(&format!(
        "compressed size: {:.1}% of input (ratio {:.2})\n\n",
        f.compressed_fraction * 100.0,
        ratio(1.0, f.compressed_fraction)
    ));
    s.push_str(&header_row());
    s.push_str(&row(
        &format!("libdeflate L{} + CRC32 (reference)", o.level),
        f.libdeflate_comp,
        f.libdeflate_decomp,
    ));
    s.push_str(&row("raw engine", f.raw_comp, f.raw_decomp));
    s.push_str(&format!(
        "{:<34}{:>16.1}{:>18}\n",
        "raw engine, verify off", f.raw_comp_no_cnv, "-"
    ));
    s.push_str(&row(
        "stack (async, 1 instance)",
        f.stack_comp,
        f.stack_decomp,
    ));
    s.push('\n');
    s.push_str(&ratio_row(
        "stack / raw engine",
        f.stack_over_raw_comp,
        f.stack_over_raw_decomp,
    ));
    s.push_str(&ratio_row(
        "raw engine / libdeflate",
        f.raw_over_libdeflate_comp,
        f.raw_over_libdeflate_decomp,
    ));
    s
}

/// The figures as JSON for machines.
pub fn json(o: &BenchOptions, f: &BenchFigures) -> serde_json::Value {
    serde_json::json!({
        "benchmark": "dc",
        "file": o.file,
        "input_bytes": f.input_bytes,
        "level": o.level,
        "huffman": if o.static_huffman { "static" } else { "dynamic" },
        "request_size": o.request_size,
        "engine_threads": o.engines,
        "trials": o.trials.max(1),
        "compressed_fraction": f.compressed_fraction,
        "mb_per_s": {
            "libdeflate": {"compress": f.libdeflate_comp, "decompress": f.libdeflate_decomp},
            "raw_engine": {"compress": f.raw_comp, "decompress": f.raw_decomp},
            "raw_engine_verify_off": {"compress": f.raw_comp_no_cnv},
            "stack": {"compress": f.stack_comp, "decompress": f.stack_decomp},
        },
        "ratios": {
            "stack_over_raw": {"compress": f.stack_over_raw_comp, "decompress": f.stack_over_raw_decomp},
            "raw_over_libdeflate": {"compress": f.raw_over_libdeflate_comp, "decompress": f.raw_over_libdeflate_decomp},
        }
    })
}

#[cfg(test)]
mod pair_tests {
    use super::*;

    #[test]
    fn slices_alternate_and_the_medians_pair_adjacent_slices() {
        let order = std::cell::RefCell::new(Vec::new());
        // The machine "slows down" in the middle: slices 2 and 3 of each
        // side run at half speed; the ratio stays 0.5 in every pair.
        let speed = |k: usize| if (2..4).contains(&k) { 0.5 } else { 1.0 };
        let (mut ka, mut kb) = (0usize, 0usize);
        let pair = interleaved(
            0.5,
            5,
            |s| {
                order.borrow_mut().push('a');
                assert!((s - 0.1).abs() < 1e-12, "each slice a tenth: {s}");
                ka += 1;
                Ok(100.0 * speed(ka - 1))
            },
            |_| {
                order.borrow_mut().push('b');
                kb += 1;
                Ok(50.0 * speed(kb - 1))
            },
        )
        .unwrap();
        assert_eq!(order.into_inner(), "ababababab".chars().collect::<Vec<_>>());
        assert_eq!(pair.a(), 100.0);
        assert_eq!(pair.b(), 50.0);
        assert_eq!(pair.ratio(), 0.5);
        assert_eq!(pair.median_of(|a, b| a - b), 50.0);
    }

    #[test]
    fn a_failing_side_fails_the_pair() {
        let r = interleaved(0.1, 3, |_| Ok(1.0), |_| Err("broken".to_string()));
        assert_eq!(r.unwrap_err(), "broken");
    }

    #[test]
    fn the_round_trip_is_a_positive_time_when_two_cpus_exist() {
        match core_round_trip_ns(1000) {
            Some(ns) => assert!(ns.is_finite() && ns > 0.0, "{ns}"),
            None => assert!(std::thread::available_parallelism().map_or(1, |n| n.get()) < 2),
        }
    }
}
