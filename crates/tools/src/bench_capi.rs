//! `softqat bench capi`: the C ABI (libqat.so.4, driven by a C program as a
//! qatlib application drives it) beside the Rust API, in one run, on the
//! same workloads: deflate level 1 of 64 KiB and AES-128-GCM of 4 KiB.
//!
//! Both sides run the same loop — asynchronous requests with callbacks,
//! `depth` in flight, one thread submitting and spin-polling the instance,
//! one engine thread — so the ratio is the cost of the C path: argument
//! checks, conversions, the foreign request path, C callbacks. The C program
//! (`crates/capi/bench/capi_bench.c`) is compiled with the system C compiler
//! against the headers this binary carries and the libqat.so built beside
//! it; it runs in a child process, alternating with the Rust side.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use softqat_sal::sym::CipherDirection;
use softqat_sal::{
    CpaStatus, DcOpData, DcSessionSetup, DcStatus, DmaBuf, FlushFlag, Mode, Qat, StartOptions,
    SymData,
};

use crate::bench::Trials;

const C_SOURCE: &str = include_str!("../../capi/bench/capi_bench.c");
/// Deflate request size.
pub const DEFLATE_SIZE: usize = 64 * 1024;
/// AES-GCM request size.
pub const GCM_SIZE: usize = 4096;
const DEPTH: usize = 8;

/// Options of `softqat bench capi`.
pub struct CapiBenchOptions {
    /// Seconds per measurement.
    pub seconds: f64,
    /// Trials (medians reported).
    pub trials: usize,
    /// Directory holding libqat.so (default: beside this executable).
    pub lib_dir: Option<PathBuf>,
    /// Corpus file for the deflate input.
    pub corpus: String,
}

/// The figures: MB/s of each path, and C / Rust.
#[derive(Debug, Default)]
pub struct CapiFigures {
    /// Deflate L1 64 KiB through the Rust API.
    pub rust_deflate: f64,
    /// The same through the C ABI.
    pub c_deflate: f64,
    /// C / Rust, median of the trials' ratios.
    pub deflate_ratio: f64,
    /// AES-128-GCM 4 KiB through the Rust API.
    pub rust_gcm: f64,
    /// The same through the C ABI.
    pub c_gcm: f64,
    /// C / Rust.
    pub gcm_ratio: f64,
}

/// The compiled C program and the directory its libraries are staged in.
struct CProgram {
    dir: PathBuf,
    exe: PathBuf,
    lib: PathBuf,
}

impl Drop for CProgram {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn library_dir(o: &CapiBenchOptions) -> Result<PathBuf, String> {
    let dir = match &o.lib_dir {
        Some(d) => d.clone(),
        None => std::env::current_exe()
            .map_err(|e| e.to_string())?
            .parent()
            .ok_or("no executable directory")?
            .to_path_buf(),
    };
    if !dir.join("libqat.so").is_file() {
        return Err(format!(
            "{} has no libqat.so: build it (cargo build --release) or name its directory with --lib-dir",
            dir.display()
        ));
    }
    Ok(dir)
}

fn build_c(o: &CapiBenchOptions) -> Result<CProgram, String> {
    let libs = library_dir(o)?;
    let dir = std::env::temp_dir().join(format!("softqat-bench-capi-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let include = dir.join("include/qat");
    let lib = dir.join("lib");
    std::fs::create_dir_all(&include).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&lib).map_err(|e| e.to_string())?;
    let prog = CProgram {
        exe: dir.join("capi_bench"),
        lib: lib.clone(),
        dir,
    };
    for (name, text) in crate::install::HEADERS {
        std::fs::write(include.join(name), text).map_err(|e| e.to_string())?;
    }
    // The program loads libqat.so.4 (the SONAME): stage that name.
    for (built, names) in [("libqat.so", ["libqat.so", "libqat.so.4"])] {
        for n in names {
            std::os::unix::fs::symlink(libs.join(built), lib.join(n)).map_err(|e| e.to_string())?;
        }
    }
    let src = prog.dir.join("capi_bench.c");
    std::fs::write(&src, C_SOURCE).map_err(|e| e.to_string())?;
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(&cc)
        .args(["-std=gnu99", "-O2", "-I"])
        .arg(&include)
        .arg(&src)
        .arg("-o")
        .arg(&prog.exe)
        .arg("-L")
        .arg(&lib)
        .arg("-lqat")
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .output()
        .map_err(|e| format!("cannot run the C compiler {cc}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "compiling the C benchmark failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(prog)
}

/// Runs the C program: MB/s.
fn run_c(p: &CProgram, args: &[&str]) -> Result<f64, String> {
    let out = Command::new(&p.exe)
        .args(args)
        .env("SOFTQAT_MODE", "embedded")
        .env("SOFTQAT_ENGINES", "1")
        .env("LD_LIBRARY_PATH", &p.lib)
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "the C benchmark failed ({}): {text}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let f: Vec<&str> = text.split_whitespace().collect();
    match f.as_slice() {
        ["requests", _, "bytes", b, "seconds", s] => {
            let b: f64 = b.parse().map_err(|_| format!("bad output {text}"))?;
            let s: f64 = s.parse().map_err(|_| format!("bad output {text}"))?;
            Ok(b / s / 1e6)
        }
        _ => Err(format!("unexpected output of the C benchmark: {text}")),
    }
}

fn start() -> Result<Qat, String> {
    Qat::start_with(
        "SSL",
        &StartOptions {
            mode: Mode::Embedded,
            engine_threads: Some(1),
            ..StartOptions::default()
        },
    )
    .map_err(|e| e.to_string())
}

/// The Rust API side of the deflate workload: MB/s.
fn rust_deflate(qat: &Qat, input: &[u8], seconds: f64) -> Result<f64, String> {
    let inst = qat
        .dc_instances()
        .first()
        .ok_or("no compression instance")?;
    inst.start().map_err(|e| e.to_string())?;
    let n = input.len();
    let free: Arc<Mutex<Vec<(DmaBuf, DmaBuf)>>> = Arc::new(Mutex::new(
        (0..DEPTH)
            .map(|_| {
                Ok((
                    DmaBuf::try_from_slice(input)?,
                    DmaBuf::try_new(softqat_sal::deflate_compress_bound(n))?,
                ))
            })
            .collect::<Result<_, softqat_sal::Error>>()
            .map_err(|e| e.to_string())?,
    ));
    let bytes = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let session = {
        let (free, bytes, failures) = (free.clone(), bytes.clone(), failures.clone());
        inst.init_session_async(&DcSessionSetup::default(), move |done| {
            if done.status == CpaStatus::Success
                && done.results.status == DcStatus::Ok
                && done.results.consumed as usize == n
            {
                bytes.fetch_add(n as u64, Ordering::Relaxed);
            } else {
                failures.fetch_add(1, Ordering::Relaxed);
            }
            let mut dst = done.dst;
            let cap = dst.capacity();
            dst.set_len(cap);
            free.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((done.src, dst));
        })
        .map_err(|e| e.to_string())?
    };
    let op = DcOpData::new(FlushFlag::Final);
    let limit = Duration::from_secs_f64(seconds);
    let t0 = Instant::now();
    loop {
        let running = t0.elapsed() < limit;
        // Every free pair goes out, until none is left or the ring is full.
        while let Some((src, dst)) = running
            .then(|| free.lock().unwrap_or_else(|e| e.into_inner()).pop())
            .flatten()
        {
            if let Err(r) = inst.submit_compress(&session, src, dst, &op, 0) {
                if r.error.status != CpaStatus::Retry {
                    return Err(r.error.to_string());
                }
                free.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((r.src, r.dst));
                break;
            }
        }
        let _ = inst.poll(0);
        if !running && inst.in_flight() == 0 {
            break;
        }
    }
    let took = t0.elapsed().as_secs_f64();
    if failures.load(Ordering::Relaxed) != 0 {
        return Err("Rust-side deflate requests failed".into());
    }
    Ok(bytes.load(Ordering::Relaxed) as f64 / took / 1e6)
}

/// The Rust API side of the AES-GCM workload: MB/s.
fn rust_gcm(qat: &Qat, seconds: f64) -> Result<f64, String> {
    use crate::bench_sym::{gcm_request, gcm_setup};
    let inst = qat.cy_instances().first().ok_or("no crypto instance")?;
    inst.start().map_err(|e| e.to_string())?;
    let free: Arc<Mutex<Vec<DmaBuf>>> = Arc::new(Mutex::new(
        (0..DEPTH)
            .map(|_| DmaBuf::try_from_slice(&[7u8; GCM_SIZE + 16]))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?,
    ));
    let bytes = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let session = {
        let (free, bytes, failures) = (free.clone(), bytes.clone(), failures.clone());
        inst.init_sym_session_async(&gcm_setup(CipherDirection::Encrypt), move |done| {
            if done.status == CpaStatus::Success {
                bytes.fetch_add(GCM_SIZE as u64, Ordering::Relaxed);
            } else {
                failures.fetch_add(1, Ordering::Relaxed);
            }
            if let SymData::Flat(b) = done.src {
                free.lock().unwrap_or_else(|e| e.into_inner()).push(b);
            }
        })
        .map_err(|e| e.to_string())?
    };
    let limit = Duration::from_secs_f64(seconds);
    let t0 = Instant::now();
    loop {
        let running = t0.elapsed() < limit;
        // Every free buffer goes out, until none is left or the ring is full.
        while let Some(b) = running
            .then(|| free.lock().unwrap_or_else(|e| e.into_inner()).pop())
            .flatten()
        {
            if let Err(r) = inst.submit(&session, gcm_request(GCM_SIZE), SymData::Flat(b), None, 0)
            {
                if r.error.status != CpaStatus::Retry {
                    return Err(r.error.to_string());
                }
                if let SymData::Flat(b) = r.src {
                    free.lock().unwrap_or_else(|e| e.into_inner()).push(b);
                }
                break;
            }
        }
        let _ = inst.poll(0);
        if !running && inst.in_flight() == 0 {
            break;
        }
    }
    let took = t0.elapsed().as_secs_f64();
    if failures.load(Ordering::Relaxed) != 0 {
        return Err("Rust-side AES-GCM requests failed".into());
    }
    Ok(bytes.load(Ordering::Relaxed) as f64 / took / 1e6)
}

/// Runs the benchmark.
pub fn run(o: &CapiBenchOptions) -> Result<CapiFigures, String> {
    let prog = build_c(o)?;
    let (_, corpus) = crate::corpus::load(&o.corpus)?;
    let input: Vec<u8> = corpus.iter().copied().cycle().take(DEFLATE_SIZE).collect();
    let input_file = prog.dir.join("input.bin");
    std::fs::write(&input_file, &input).map_err(|e| e.to_string())?;
    let secs = format!("{}", o.seconds);
    let depth = DEPTH.to_string();
    let qat = start()?;
    let mut t = Trials::<6>::default();
    for _ in 0..o.trials.max(1) {
        let c_d = run_c(&prog, &["deflate", path_str(&input_file)?, &secs, &depth])?;
        let r_d = rust_deflate(&qat, &input, o.seconds)?;
        let c_g = run_c(&prog, &["gcm", &GCM_SIZE.to_string(), &secs, &depth])?;
        let r_g = rust_gcm(&qat, o.seconds)?;
        t.push(&[r_d, c_d, c_d / r_d, r_g, c_g, c_g / r_g]);
    }
    let m = t.medians();
    Ok(CapiFigures {
        rust_deflate: m[0],
        c_deflate: m[1],
        deflate_ratio: m[2],
        rust_gcm: m[3],
        c_gcm: m[4],
        gcm_ratio: m[5],
    })
}

fn path_str(p: &Path) -> Result<&str, String> {
    p.to_str()
        .ok_or_else(|| format!("{} is not UTF-8", p.display()))
}

/// The table.
pub fn table(o: &CapiBenchOptions, f: &CapiFigures) -> String {
    format!(
        "C ABI (libqat.so.4, a C program) beside the Rust API: {DEPTH} asynchronous requests in \
         flight, one submitting and polling thread, one engine thread; {} s per measurement, \
         median of {} trials\n\
         | workload | Rust API MB/s | C ABI MB/s | C / Rust |\n\
         |---|---|---|---|\n\
         | deflate L1, 64 KiB | {:.1} | {:.1} | {:.3} |\n\
         | AES-128-GCM encrypt, 4 KiB | {:.1} | {:.1} | {:.3} |\n",
        o.seconds,
        o.trials.max(1),
        f.rust_deflate,
        f.c_deflate,
        f.deflate_ratio,
        f.rust_gcm,
        f.c_gcm,
        f.gcm_ratio
    )
}

/// The figures as JSON.
pub fn json(o: &CapiBenchOptions, f: &CapiFigures) -> serde_json::Value {
    serde_json::json!({
        "seconds": o.seconds,
        "trials": o.trials,
        "depth": DEPTH,
        "deflate_l1_64k": {"rust_mbps": f.rust_deflate, "c_mbps": f.c_deflate, "c_over_rust": f.deflate_ratio},
        "aes128_gcm_4k": {"rust_mbps": f.rust_gcm, "c_mbps": f.c_gcm, "c_over_rust": f.gcm_ratio},
    })
}
