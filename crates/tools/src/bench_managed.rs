//! `softqat bench dc --managed`: managed mode against embedded mode, in one
//! run, on the same data and engine count.
//!
//! It starts a private `softqatd` (the binary next to this one) on a
//! temporary run directory with the same engine threads, then interleaves per
//! trial: the stack in embedded mode and in managed mode, compression then
//! decompression (asynchronous requests of `--size` bytes on one instance,
//! buffers in DMA memory, as in `softqat bench dc`), and reports the medians
//! and the median of the per-trial ratios managed / embedded.
//!
//! Then the round-trip latency of a 64-byte synchronous compression (ordinary
//! slices: in managed mode through the bounce buffers), median and 99th
//! percentile, in both modes.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use softqat_sal::runtime::Mode;
use softqat_sal::{ConfigSource, DcOpData, DcSessionSetup, FlushFlag, Qat, StartOptions};

use crate::bench::{
    describe_run, header_row, measure_stack, prepare, ratio_row, row, BenchOptions, Trials,
};

/// Figures of a managed-mode run.
#[derive(Clone, Debug, Default)]
pub struct ManagedFigures {
    /// Bytes of the corpus.
    pub input_bytes: usize,
    /// MB/s: embedded compress, managed compress, embedded decompress,
    /// managed decompress.
    pub embedded_comp: f64,
    /// Managed compression MB/s.
    pub managed_comp: f64,
    /// Embedded decompression MB/s.
    pub embedded_decomp: f64,
    /// Managed decompression MB/s.
    pub managed_decomp: f64,
    /// Median of per-trial managed / embedded, compression.
    pub ratio_comp: f64,
    /// Median of per-trial managed / embedded, decompression.
    pub ratio_decomp: f64,
    /// 64-byte round trip, µs: (median, p99) embedded.
    pub latency_embedded: (f64, f64),
    /// 64-byte round trip, µs: (median, p99) managed.
    pub latency_managed: (f64, f64),
    /// Round trips measured per mode.
    pub latency_samples: usize,
}

/// A private daemon, stopped (SIGTERM) and cleaned up on drop.
pub(crate) struct PrivateDaemon {
    child: Child,
    run_dir: PathBuf,
}

impl PrivateDaemon {
    pub(crate) fn start(engines: usize) -> Result<PrivateDaemon, String> {
        let exe = std::env::current_exe().map_err(|e| format!("locating softqat: {e}"))?;
        let daemon = exe.with_file_name("softqatd");
        if !daemon.exists() {
            return Err(format!(
                "{} not found: build it (cargo build --release) or install it next to softqat",
                daemon.display()
            ));
        }
        let run_dir = std::env::temp_dir().join(format!("softqat-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&run_dir);
        let child = Command::new(&daemon)
            .arg("--foreground")
            .arg("--run-dir")
            .arg(&run_dir)
            .arg("--engines")
            .arg(engines.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting {}: {e}", daemon.display()))?;
        let mut d = PrivateDaemon { child, run_dir };
        let socket = softqat_device::proto::socket_path(&d.run_dir);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !socket.exists() {
            if let Ok(Some(status)) = d.child.try_wait() {
                return Err(format!("softqatd exited at start ({status})"));
            }
            if Instant::now() > deadline {
                return Err("softqatd did not create its socket within 10 s".into());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(d)
    }

    pub(crate) fn run_dir(&self) -> &Path {
        &self.run_dir
    }
}

impl Drop for PrivateDaemon {
    fn drop(&mut self) {
        // SIGTERM: the daemon drains and exits cleanly.
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) => break,
                _ if Instant::now() > deadline => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    break;
                }
                _ => std::thread::sleep(Duration::from_millis(10)),
            }
        }
        let _ = std::fs::remove_dir_all(&self.run_dir);
    }
}

/// Round trips of a 64-byte synchronous compression for about `seconds`:
/// (median µs, p99 µs, samples).
fn latency(qat: &Qat, sample: &[u8], seconds: f64) -> Result<(f64, f64, usize), String> {
    let inst = &qat.dc_instances()[0];
    let session = inst
        .init_session(&DcSessionSetup::default())
        .map_err(|e| e.to_string())?;
    let mut out = vec![0u8; softqat_sal::deflate_compress_bound(sample.len())];
    let op = DcOpData::new(FlushFlag::Final);
    // Warm up (bounce buffers, caches).
    for _ in 0..200 {
        inst.compress(&session, sample, &mut out, &op)
            .map_err(|e| e.to_string())?;
    }
    let mut times = Vec::with_capacity(100_000);
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < seconds && times.len() < 1_000_000 {
        let t = Instant::now();
        let r = inst
            .compress(&session, sample, &mut out, &op)
            .map_err(|e| e.to_string())?;
        times.push(t.elapsed().as_secs_f64() * 1e6);
        if r.consumed as usize != sample.len() {
            return Err("a 64-byte request was not fully consumed".into());
        }
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    Ok((at(0.5), at(0.99), times.len()))
}

/// Runs the managed-mode benchmark.
pub fn run(o: &BenchOptions) -> Result<ManagedFigures, String> {
    let (_, data) = crate::corpus::load(&o.file)?;
    let corpus = prepare(o, &data)?;
    let daemon = PrivateDaemon::start(o.engines)?;
    let embedded = Qat::start_with(
        "BENCH",
        &StartOptions {
            config: ConfigSource::Builtin,
            engine_threads: Some(o.engines),
            mode: Mode::Embedded,
            ..StartOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let managed = Qat::start_with(
        "BENCH",
        &StartOptions {
            mode: Mode::Managed,
            run_dir: Some(daemon.run_dir().to_path_buf()),
            ..StartOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    for q in [&embedded, &managed] {
        q.dc_instances()
            .first()
            .ok_or("the configuration has no compression instance")?
            .start()
            .map_err(|e| e.to_string())?;
    }
    let mut t = Trials::<6>::default();
    for _ in 0..o.trials.max(1) {
        let ec = measure_stack(&embedded, o, &corpus, true)?;
        let mc = measure_stack(&managed, o, &corpus, true)?;
        let ed = measure_stack(&embedded, o, &corpus, false)?;
        let md = measure_stack(&managed, o, &corpus, false)?;
        t.push(&[ec, mc, ed, md, mc / ec, md / ed]);
    }
    let m = t.medians();
    let sample = &data[..64.min(data.len())];
    let seconds = (o.seconds / 2.0).max(0.2);
    let le = latency(&embedded, sample, seconds)?;
    let lm = latency(&managed, sample, seconds)?;
    drop(managed);
    drop(daemon);
    Ok(ManagedFigures {
        input_bytes: data.len(),
        embedded_comp: m[0],
        managed_comp: m[1],
        embedded_decomp: m[2],
        managed_decomp: m[3],
        ratio_comp: m[4],
        ratio_decomp: m[5],
        latency_embedded: (le.0, le.1),
        latency_managed: (lm.0, lm.1),
        latency_samples: le.2.min(lm.2),
    })
}

/// The figures as a table for people.
pub fn table(o: &BenchOptions, f: &ManagedFigures) -> String {
    let mut s = format!(
        "softqat bench dc --managed: {}, medians of {} trials\n\n",
        describe_run(o, f.input_bytes),
        o.trials.max(1)
    );
    s.push_str(&header_row());
    s.push_str(&row(
        "embedded (async, 1 instance)",
        f.embedded_comp,
        f.embedded_decomp,
    ));
    s.push_str(&row(
        "managed (softqatd, 1 instance)",
        f.managed_comp,
        f.managed_decomp,
    ));
    s.push_str(&ratio_row(
        "managed / embedded",
        f.ratio_comp,
        f.ratio_decomp,
    ));
    s.push('\n');
    s.push_str(&format!(
        "64-byte compress round trip (sync), {} samples each:\n",
        f.latency_samples
    ));
    s.push_str(&format!(
        "{:<34}{:>10.1} µs median {:>8.1} µs p99\n",
        "embedded", f.latency_embedded.0, f.latency_embedded.1
    ));
    s.push_str(&format!(
        "{:<34}{:>10.1} µs median {:>8.1} µs p99\n",
        "managed (bounce buffers)", f.latency_managed.0, f.latency_managed.1
    ));
    s
}

/// The figures as JSON for machines.
pub fn json(o: &BenchOptions, f: &ManagedFigures) -> serde_json::Value {
    serde_json::json!({
        "benchmark": "dc-managed",
        "file": o.file,
        "input_bytes": f.input_bytes,
        "level": o.level,
        "request_size": o.request_size,
        "engine_threads": o.engines,
        "trials": o.trials.max(1),
        "mb_per_s": {
            "embedded": {"compress": f.embedded_comp, "decompress": f.embedded_decomp},
            "managed": {"compress": f.managed_comp, "decompress": f.managed_decomp},
        },
        "ratios": {"managed_over_embedded": {"compress": f.ratio_comp, "decompress": f.ratio_decomp}},
        "latency_64b_us": {
            "embedded": {"median": f.latency_embedded.0, "p99": f.latency_embedded.1},
            "managed": {"median": f.latency_managed.0, "p99": f.latency_managed.1},
            "samples": f.latency_samples,
        }
    })
}
