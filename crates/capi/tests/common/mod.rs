//! Compiling and running the C test programs of `tests/c/` against the
//! libraries cargo built (`libqat.so`, `libusdm.so`), under their SONAMEs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The crate's directory.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory holding the libraries this test run built: the test
/// executable's own (`target/<profile>/deps`). Cargo builds libqat.so (this
/// crate's cdylib) and libusdm.so (a dev-dependency) there for the tests;
/// the copies in `target/<profile>/` are only refreshed by `cargo build`.
pub fn artifact_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent().expect("target directory").to_path_buf()
}

/// A scratch directory removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "softqat-capi-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch directory");
        Scratch(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    /// Kept when `SOFTQAT_KEEP_SCRATCH` is set, to rerun a failed program.
    fn drop(&mut self) {
        if std::env::var_os("SOFTQAT_KEEP_SCRATCH").is_none() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// A directory holding the libraries under the names programs link and
/// load: libqat.so / libqat.so.4, libusdm.so / libusdm.so.0.
pub fn stage_libs(dir: &Path) -> PathBuf {
    let lib = dir.join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    let art = artifact_dir();
    for (file, names) in [
        ("libqat.so", ["libqat.so", "libqat.so.4"]),
        ("libusdm.so", ["libusdm.so", "libusdm.so.0"]),
    ] {
        let src = art.join(file);
        assert!(
            src.exists(),
            "{} is missing: build the workspace (cargo build / cargo test --workspace)",
            src.display()
        );
        for n in names {
            std::os::unix::fs::symlink(&src, lib.join(n)).unwrap();
        }
    }
    lib
}

/// The C compiler: `$CC`, else `cc`.
pub fn cc() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".to_string())
}

/// Compiles `tests/c/<name>.c` into `dir/<name>` against `include/qat` and
/// the staged libraries (`-z now`: every referenced name must resolve).
pub fn compile(name: &str, dir: &Path, lib: &Path, libs: &[&str]) -> PathBuf {
    let c = crate_dir();
    let exe = dir.join(name);
    let mut cmd = Command::new(cc());
    cmd.args([
        "-std=gnu99",
        "-O1",
        "-Wall",
        "-Wextra",
        "-Werror",
        "-Wno-unused-parameter",
    ])
    .arg("-I")
    .arg(c.join("include/qat"))
    .arg("-I")
    .arg(c.join("tests/c"))
    .arg(c.join(format!("tests/c/{name}.c")))
    .arg("-o")
    .arg(&exe)
    .arg("-L")
    .arg(lib);
    for l in libs {
        cmd.arg(format!("-l{l}"));
    }
    cmd.arg("-lpthread")
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-Wl,-z,now");
    let out = cmd.output().expect("run the C compiler");
    assert!(
        out.status.success(),
        "compiling {name}.c failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    exe
}

/// Runs `exe` with `args` and `env`, killing it after `limit`. Its output
/// is read while it runs (a program that says much on stderr must not
/// block on a full pipe).
pub fn run(exe: &Path, args: &[&str], env: &[(&str, &str)], limit: Duration) -> Output {
    use std::io::Read;
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .env("SOFTQAT_MODE", "embedded")
        .env("SOFTQAT_ENGINES", "2")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start the test program");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let stdout = out.join().unwrap_or_default();
            let stderr = err.join().unwrap_or_default();
            panic!(
                "{} did not finish in {limit:?}:\n{}\n{}",
                exe.display(),
                String::from_utf8_lossy(&stdout),
                String::from_utf8_lossy(&stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// Asserts a test program exited 0, showing its output otherwise.
pub fn assert_passed(name: &str, out: &Output) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("all checks passed"),
        "{name} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    // Refusals are errors the library meant, never panics it caught: the
    // entry points' catch_unwind is a last resort, not an error path.
    assert!(
        !stderr.contains("internal error (panic)") && !stderr.contains("panicked at"),
        "{name}: a call failed by panicking:\n{stderr}"
    );
}

/// `softqatd`, built beside the test executables by `cargo test --workspace`.
pub fn softqatd() -> PathBuf {
    let p = artifact_dir().parent().unwrap().join("softqatd");
    assert!(
        p.exists(),
        "{} is missing: build it with cargo build -p softqat-manager (cargo test --workspace does)",
        p.display()
    );
    p
}

/// A daemon on a private run directory, killed on drop.
pub struct Daemon {
    child: Child,
    /// Its run directory (`SOFTQAT_RUN_DIR` for clients).
    pub run: PathBuf,
    log: PathBuf,
}

impl Daemon {
    /// Starts one on a run directory under `dir`.
    pub fn start(dir: &Path) -> Daemon {
        Daemon::start_with(dir, &[])
    }

    /// Starts one on a run directory under `dir`, with more arguments
    /// (`--config <dir>`, say).
    pub fn start_with(dir: &Path, args: &[&str]) -> Daemon {
        let run = dir.join("run");
        let log = dir.join("softqatd.log");
        let f = std::fs::File::create(&log).unwrap();
        let child = Command::new(softqatd())
            .args(["--foreground", "--engines", "1", "--run-dir"])
            .arg(&run)
            .args(args)
            .stdin(Stdio::null())
            .stdout(f.try_clone().unwrap())
            .stderr(f)
            .spawn()
            .expect("spawn softqatd");
        let mut d = Daemon { child, run, log };
        let socket = d.run.join("softqatd.sock");
        let deadline = Instant::now() + Duration::from_secs(20);
        while !socket.exists() {
            assert!(
                Instant::now() < deadline,
                "softqatd did not start: {}",
                d.log()
            );
            if let Some(st) = d.child.try_wait().unwrap() {
                panic!("softqatd exited ({st}): {}", d.log());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        d
    }

    /// What it logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The environment that attaches a test program to `d`.
pub fn managed_env(d: &Daemon) -> [(&'static str, String); 2] {
    [
        ("SOFTQAT_MODE", "managed".to_string()),
        ("SOFTQAT_RUN_DIR", d.run.display().to_string()),
    ]
}

/// Checks what `tests/c/dc_xxhash.c` wrote in `outdir`: each request's
/// checksum against a streaming xxHash32 (xxhash-rust) over the pieces.
pub fn check_xxhash_sums(outdir: &Path) {
    let input = std::fs::read(outdir.join("in.bin")).unwrap();
    let (a, rest) = input.split_at(10_000);
    let (b, c) = rest.split_at(33);
    let running = |parts: &[&[u8]]| {
        let mut h = xxhash_rust::xxh32::Xxh32::new(0);
        for p in parts {
            h.update(p);
        }
        h.digest()
    };
    let sums: std::collections::HashMap<String, u32> =
        std::fs::read_to_string(outdir.join("sums.txt"))
            .unwrap()
            .lines()
            .map(|l| {
                let (k, v) = l.split_once(' ').unwrap();
                (k.to_string(), u32::from_str_radix(v, 16).unwrap())
            })
            .collect();
    let stream = [running(&[a]), running(&[a, b]), running(&[a, b, c])];
    for (i, want) in stream.iter().enumerate() {
        assert_eq!(sums[&format!("sync0_{i}")], *want, "sync0_{i}");
        assert_eq!(
            sums[&format!("sync1_{i}")],
            *want,
            "sync1_{i} (after FINAL)"
        );
        assert_eq!(sums[&format!("async_{i}")], *want, "async_{i}");
    }
    assert_eq!(sums["reset"], running(&[b]));
    assert_eq!(sums["plain"], running(&[b]));
}

/// Checks what `tests/c/dc_integrity.c` wrote to `outdir`: the CRCs it
/// reported against the `crc` crate (CRC-64/ECMA-182 by default, then the
/// CRC-64/XZ it programmed) and crc32fast, its outputs against zlib, and
/// its partial reads against the same bytes of its input.
pub fn check_integrity_outputs(outdir: &Path) {
    use std::io::Read;
    let input = std::fs::read(outdir.join("in.bin")).unwrap();
    let ecma = crc::Crc::<u64>::new(&crc::CRC_64_ECMA_182);
    let xz = crc::Crc::<u64>::new(&crc::CRC_64_XZ);
    for (name, c) in [("default", &ecma), ("xz", &xz)] {
        let out = std::fs::read(outdir.join(format!("out_{name}.bin"))).unwrap();
        let text = std::fs::read_to_string(outdir.join(format!("crc_{name}.txt"))).unwrap();
        let f: Vec<u64> = text
            .split_whitespace()
            .map(|h| u64::from_str_radix(h, 16).unwrap())
            .collect();
        assert_eq!(f[0], c.checksum(&input), "{name}: iCrc");
        assert_eq!(f[1], c.checksum(&out), "{name}: oCrc");
        assert_eq!(f[2], u64::from(crc32fast::hash(&input)), "{name}: crc32");
        let mut back = Vec::new();
        flate2::read::DeflateDecoder::new(&out[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, input);
    }
    let parts = std::fs::read_to_string(outdir.join("part.txt")).unwrap();
    for (i, line) in parts.lines().enumerate() {
        let f: Vec<usize> = line
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        let region = &input[f[0].min(input.len())..(f[0] + f[1]).min(input.len())];
        let got = std::fs::read(outdir.join(format!("part{i}.bin"))).unwrap();
        assert_eq!(got, region, "part {i}");
    }
    let pad = std::fs::read(outdir.join("pad.bin")).unwrap();
    let mut back = Vec::new();
    flate2::read::DeflateDecoder::new(&pad[..])
        .read_to_end(&mut back)
        .unwrap();
    assert_eq!(back, input);
}
