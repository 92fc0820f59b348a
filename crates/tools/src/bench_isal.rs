//! `softqat bench isal`: softqat against ISA-L, Intel's own software path for
//! QAT's formats, on the same data in one run.
//!
//! The data is the repository's calgary and canterbury corpora repeated to
//! about `--mb` MB (the "mixed" file of issue 13). Three comparisons:
//! - engine, one core, 64 KiB stateless requests: softqat's deflate engine
//!   at level 1 (search depth 1, dynamic Huffman, raw deflate, no checksum,
//!   compress-and-verify off, then on) against ISA-L level 1
//!   (`isal_deflate_stateless`), with both ratios;
//! - inflate, one core: softqat's decoder against `isal_inflate_stateless`
//!   on the same streams (ISA-L's level-1 requests and softqat's);
//! - the commands: `softqat compress -f gzip` (with and without
//!   `--no-verify`) and `softqat decompress` against `igzip -1` and
//!   `igzip -d`, whole processes timed on a file.
//!
//! Engine figures interleave the two codecs group by group (512 KiB of
//! requests each) and report the median of the per-group speed ratios,
//! which a burst of other work on the machine disturbs least; command
//! figures alternate the two commands and report median wall times. Every
//! output is decoded and compared before timing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use softqat_engine::deflate::compress::{CompressOptions, DeflateCompressor};
use softqat_engine::deflate::decompress::Decompressor;
use softqat_engine::deflate::{deflate_compress_bound, Flush, HuffmanMode, SearchDepth};
use softqat_engine::kernels::Kernels;
use softqat_engine::DcStatus;
use softqat_isal_peer::Isal;

/// Options of a run.
#[derive(Clone, Debug)]
pub struct IsalBenchOptions {
    /// Size of the mixed data, MB.
    pub mb: usize,
    /// Repetitions (engine passes over the data; runs of each command).
    pub trials: usize,
    /// Skip the command comparisons.
    pub engine_only: bool,
}

/// One side-by-side figure: softqat and ISA-L.
#[derive(Clone, Debug, Default)]
pub struct Pair {
    pub what: String,
    /// MB/s (engine rows) or seconds (command rows).
    pub softqat: f64,
    pub isal: f64,
    /// Median group-by-group ratio (engine rows: softqat speed / ISA-L
    /// speed; command rows: softqat time / igzip time).
    pub ratio: f64,
    /// Compression ratio (input / output) of each, where it applies.
    pub sizes: Option<(f64, f64)>,
}

/// The figures of a run.
#[derive(Clone, Debug, Default)]
pub struct IsalFigures {
    pub input_bytes: usize,
    pub engine: Vec<Pair>,
    pub commands: Vec<Pair>,
}

const REQUEST: usize = 65_536;
const GROUP: usize = 8 * REQUEST;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// calgary and canterbury, repeated to at least `mb` MB.
fn mixed(mb: usize) -> Result<Vec<u8>, String> {
    let (_, a) = crate::corpus::load("calgary")?;
    let (_, b) = crate::corpus::load("canterbury")?;
    let want = mb.max(1) * 1_000_000;
    let mut v = Vec::with_capacity(want + a.len() + b.len());
    while v.len() < want {
        v.extend_from_slice(&a);
        v.extend_from_slice(&b);
    }
    Ok(v)
}

fn ours_opts() -> CompressOptions {
    CompressOptions {
        depth: SearchDepth(1),
        huffman: HuffmanMode::Dynamic,
        flush: Flush::Final,
        min_match: 4,
    }
}

/// Compresses every request with softqat's engine (CnV: each output decoded
/// and compared, as the firmware does); returns the output sizes.
fn ours_pass(
    c: &mut DeflateCompressor,
    d: &mut Decompressor,
    data: &[u8],
    out: &mut [u8],
    back: &mut [u8],
    verify: bool,
) -> Result<usize, String> {
    let mut total = 0;
    for chunk in data.chunks(REQUEST) {
        let o = c.compress(chunk, out, &ours_opts());
        if o.overflow || o.consumed != chunk.len() {
            return Err("softqat's engine overflowed a bound-sized output".into());
        }
        if verify {
            let r = d.decompress(&out[..o.produced], back, true);
            if r.status != DcStatus::Ok || back[..r.produced] != *chunk {
                return Err("softqat's engine output failed compress-and-verify".into());
            }
        }
        total += o.produced;
    }
    Ok(total)
}

fn isal_pass(isal: &mut Isal, data: &[u8], out: &mut [u8]) -> Result<usize, String> {
    let mut total = 0;
    for chunk in data.chunks(REQUEST) {
        total += isal.deflate(1, chunk, out).map_err(|e| e.to_string())?;
    }
    Ok(total)
}

/// Times `a` and `b` group by group over `data`, `trials` times; returns
/// (MB/s of a, MB/s of b, median per-group speed ratio a/b).
fn interleave(
    data: &[u8],
    trials: usize,
    mut a: impl FnMut(&[u8]) -> Result<(), String>,
    mut b: impl FnMut(&[u8]) -> Result<(), String>,
) -> Result<(f64, f64, f64), String> {
    let (mut ta, mut tb) = (0f64, 0f64);
    let mut ratios = Vec::new();
    for _ in 0..trials.max(1) {
        for g in data.chunks(GROUP) {
            let t = Instant::now();
            a(g)?;
            let x = t.elapsed().as_secs_f64();
            let t = Instant::now();
            b(g)?;
            let y = t.elapsed().as_secs_f64();
            ta += x;
            tb += y;
            ratios.push(y / x.max(1e-12));
        }
    }
    let n = (data.len() * trials.max(1)) as f64;
    Ok((n / ta / 1e6, n / tb / 1e6, median(&mut ratios)))
}

fn engine(data: &[u8], o: &IsalBenchOptions, isal: &mut Isal) -> Result<Vec<Pair>, String> {
    let mut c = DeflateCompressor::new();
    let mut d = Decompressor::new();
    let mut out = vec![0u8; deflate_compress_bound(REQUEST)];
    let mut back = vec![0u8; REQUEST];
    // Sizes, and a full round trip of both codecs' streams through both
    // decoders, before any timing.
    let mut ours_streams = Vec::new();
    let mut isal_streams = Vec::new();
    for chunk in data.chunks(REQUEST) {
        let oc = c.compress(chunk, &mut out, &ours_opts());
        ours_streams.push(out[..oc.produced].to_vec());
        let n = isal
            .deflate(1, chunk, &mut out)
            .map_err(|e| e.to_string())?;
        isal_streams.push(out[..n].to_vec());
    }
    let ours_size: usize = ours_streams.iter().map(Vec::len).sum();
    let isal_size: usize = isal_streams.iter().map(Vec::len).sum();
    for (chunk, (s1, s2)) in data
        .chunks(REQUEST)
        .zip(ours_streams.iter().zip(&isal_streams))
    {
        for s in [s1, s2] {
            let r = d.decompress(s, &mut back, true);
            let n = isal.inflate(s, &mut out).map_err(|e| e.to_string())?;
            if r.status != DcStatus::Ok || back[..r.produced] != *chunk || out[..n] != *chunk {
                return Err("a round trip failed before timing: this is a bug".into());
            }
        }
    }
    let sizes = Some((
        data.len() as f64 / ours_size as f64,
        data.len() as f64 / isal_size as f64,
    ));
    let mut rows = Vec::new();
    // The loops the CPU runs by default, then (where those are not already
    // the portable ones) the portable loops, which produce the same output.
    let best = Kernels::detect();
    let mut runs = vec![(best, false), (best, true)];
    if best != Kernels::Portable {
        runs.push((Kernels::Portable, false));
    }
    for (kernels, verify) in runs {
        c.set_kernels(kernels);
        let (mut o1, mut o2) = (vec![0u8; out.len()], vec![0u8; out.len()]);
        let (a, b, r) = interleave(
            data,
            o.trials,
            |g| ours_pass(&mut c, &mut d, g, &mut o1, &mut back, verify).map(drop),
            |g| isal_pass(isal, g, &mut o2).map(drop),
        )?;
        rows.push(Pair {
            what: if kernels == best {
                format!(
                    "deflate L1, 64 KiB requests, CnV {}",
                    if verify { "on" } else { "off" }
                )
            } else {
                "deflate L1, 64 KiB, CnV off, portable loops".into()
            },
            softqat: a,
            isal: b,
            ratio: r,
            sizes,
        });
    }
    c.set_kernels(best);
    // Inflate: per request, both decoders, on each codec's streams.
    for (name, streams) in [("ISA-L L1", &isal_streams), ("softqat L1", &ours_streams)] {
        let per_group = GROUP / REQUEST;
        let mut idx = 0usize;
        let mut jdx = 0usize;
        let total = streams.len();
        let (a, b, r) = interleave(
            data,
            o.trials,
            |g| {
                for _ in 0..g.len().div_ceil(REQUEST).min(per_group) {
                    let s = &streams[idx % total];
                    idx += 1;
                    let r = d.decompress(s, &mut back, true);
                    if r.status != DcStatus::Ok {
                        return Err("softqat inflate failed".into());
                    }
                }
                Ok(())
            },
            |g| {
                for _ in 0..g.len().div_ceil(REQUEST).min(per_group) {
                    let s = &streams[jdx % total];
                    jdx += 1;
                    isal.inflate(s, &mut out).map_err(|e| e.to_string())?;
                }
                Ok(())
            },
        )?;
        rows.push(Pair {
            what: format!("inflate of {name} streams"),
            softqat: a,
            isal: b,
            ratio: r,
            sizes: None,
        });
    }
    Ok(rows)
}

/// Wall time of a command, its output to `out` (a file).
fn run_timed(cmd: &mut Command, out: &Path) -> Result<f64, String> {
    let f = std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let t = Instant::now();
    let st = cmd
        .stdout(Stdio::from(f))
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    let el = t.elapsed().as_secs_f64();
    if !st.success() {
        return Err(format!("{cmd:?} failed: {st}"));
    }
    Ok(el)
}

fn commands(data: &[u8], o: &IsalBenchOptions) -> Result<Vec<Pair>, String> {
    let me = std::env::current_exe().map_err(|e| format!("this executable: {e}"))?;
    let dir = std::env::temp_dir().join(format!("softqat-bench-isal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let result = commands_in(&me, &dir, data, o);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn commands_in(
    me: &Path,
    dir: &Path,
    data: &[u8],
    o: &IsalBenchOptions,
) -> Result<Vec<Pair>, String> {
    let input: PathBuf = dir.join("mixed");
    std::fs::write(&input, data).map_err(|e| format!("{}: {e}", input.display()))?;
    let (sq_gz, ig_gz, back) = (dir.join("sq.gz"), dir.join("ig.gz"), dir.join("back"));
    let sq_ext = dir.join("sq-ext.gz");
    let softqat_as = |format: &str, verify: bool| {
        let mut c = Command::new(me);
        c.arg("compress").arg("-f").arg(format);
        if !verify {
            c.arg("--no-verify");
        }
        c.arg(&input);
        c
    };
    let softqat_c = |verify: bool| softqat_as("gzip", verify);
    let igzip_c = || {
        let mut c = Command::new("igzip");
        c.arg("-1").arg("-c").arg(&input);
        c
    };
    // The outputs must decode to the input (each with the other tool).
    run_timed(&mut softqat_c(true), &sq_gz)?;
    run_timed(&mut softqat_as("gzip-ext", true), &sq_ext)?;
    run_timed(&mut igzip_c(), &ig_gz)?;
    for (gz, cmd) in [(&sq_gz, "igzip"), (&sq_ext, "igzip"), (&ig_gz, "softqat")] {
        let mut c = if cmd == "igzip" {
            let mut c = Command::new("igzip");
            c.arg("-d").arg("-c").arg(gz);
            c
        } else {
            let mut c = Command::new(me);
            c.arg("decompress").arg(gz);
            c
        };
        run_timed(&mut c, &back)?;
        let got = std::fs::read(&back).map_err(|e| format!("{}: {e}", back.display()))?;
        if got != data {
            return Err(format!(
                "{} does not decode back to the input",
                gz.display()
            ));
        }
    }
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len() as f64).unwrap_or(0.0);
    let sizes = Some((
        data.len() as f64 / size(&sq_gz),
        data.len() as f64 / size(&ig_gz),
    ));
    let ext_sizes = Some((
        data.len() as f64 / size(&sq_ext),
        data.len() as f64 / size(&ig_gz),
    ));
    let mut rows = Vec::new();
    for (format, verify) in [("gzip", false), ("gzip", true), ("gzip-ext", true)] {
        let out = if format == "gzip" { &sq_gz } else { &sq_ext };
        let (mut a, mut b, mut r) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..o.trials.max(1) {
            let x = run_timed(&mut softqat_as(format, verify), out)?;
            let y = run_timed(&mut igzip_c(), &ig_gz)?;
            a.push(x);
            b.push(y);
            r.push(x / y);
        }
        rows.push(Pair {
            what: format!(
                "softqat compress -f {format}{} vs igzip -1",
                if verify { "" } else { " --no-verify" }
            ),
            softqat: median(&mut a),
            isal: median(&mut b),
            ratio: median(&mut r),
            sizes: if format == "gzip" { sizes } else { ext_sizes },
        });
    }
    // Each tool decodes the same file: igzip's (one member, one request),
    // softqat's gzip file (one member of independent pieces, decoded in
    // parallel), and softqat's gzip-ext file (a member per request, decoded
    // in parallel).
    for (file, what) in [
        (&ig_gz, "igzip's file"),
        (&sq_gz, "softqat's gzip file"),
        (&sq_ext, "gzip-ext file"),
    ] {
        let (mut a, mut b, mut r) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..o.trials.max(1) {
            let mut c = Command::new(me);
            c.arg("decompress").arg(file);
            let x = run_timed(&mut c, &back)?;
            let mut c = Command::new("igzip");
            c.arg("-d").arg("-c").arg(file);
            let y = run_timed(&mut c, &back)?;
            a.push(x);
            b.push(y);
            r.push(x / y);
        }
        rows.push(Pair {
            what: format!("softqat decompress vs igzip -d ({what})"),
            softqat: median(&mut a),
            isal: median(&mut b),
            ratio: median(&mut r),
            sizes: None,
        });
    }
    Ok(rows)
}

/// Runs the comparisons.
pub fn run(o: &IsalBenchOptions) -> Result<IsalFigures, String> {
    let mut isal = Isal::load().map_err(|e| e.to_string())?;
    if !o.engine_only && Command::new("igzip").arg("--version").output().is_err() {
        return Err(
            "igzip not found: install Debian's `isal` package (apt-get install isal), or pass \
             --engine-only"
                .into(),
        );
    }
    let data = mixed(o.mb)?;
    let engine = engine(&data, o, &mut isal)?;
    let commands = if o.engine_only {
        Vec::new()
    } else {
        commands(&data, o)?
    };
    Ok(IsalFigures {
        input_bytes: data.len(),
        engine,
        commands,
    })
}

pub fn table(o: &IsalBenchOptions, f: &IsalFigures) -> String {
    let mut s = format!(
        "softqat bench isal: calgary+canterbury repeated, {} bytes, {} trials (medians)\n\n",
        f.input_bytes,
        o.trials.max(1)
    );
    s.push_str(&format!(
        "{:<46} {:>9} {:>9} {:>8} {:>15}\n",
        "engine, one core (MB/s)", "softqat", "ISA-L", "speed", "ratio sq/ISA-L"
    ));
    for p in &f.engine {
        let sizes = p
            .sizes
            .map(|(a, b)| format!("{a:.3}/{b:.3}"))
            .unwrap_or_default();
        s.push_str(&format!(
            "{:<46} {:>9.1} {:>9.1} {:>7.2}x {:>15}\n",
            p.what, p.softqat, p.isal, p.ratio, sizes
        ));
    }
    if !f.commands.is_empty() {
        s.push_str(&format!(
            "\n{:<46} {:>9} {:>9} {:>8} {:>15}\n",
            "commands, whole processes (wall s)", "softqat", "igzip", "time", "ratio sq/igzip"
        ));
        for p in &f.commands {
            let sizes = p
                .sizes
                .map(|(a, b)| format!("{a:.3}/{b:.3}"))
                .unwrap_or_default();
            s.push_str(&format!(
                "{:<46} {:>9.3} {:>9.3} {:>7.2}x {:>15}\n",
                p.what, p.softqat, p.isal, p.ratio, sizes
            ));
        }
    }
    s
}

pub fn json(o: &IsalBenchOptions, f: &IsalFigures) -> serde_json::Value {
    let rows = |v: &[Pair]| {
        v.iter()
            .map(|p| {
                serde_json::json!({
                    "what": p.what,
                    "softqat": p.softqat,
                    "isal": p.isal,
                    "ratio": p.ratio,
                    "compression_ratios": p.sizes.map(|(a, b)| [a, b]),
                })
            })
            .collect::<Vec<_>>()
    };
    serde_json::json!({
        "benchmark": "isal",
        "input_bytes": f.input_bytes,
        "trials": o.trials.max(1),
        "engine_mb_per_s": rows(&f.engine),
        "commands_wall_s": rows(&f.commands),
    })
}
