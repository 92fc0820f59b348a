//! Helpers shared by the command-line tests: running the built `softqat`
//! binary, the system tools it must interoperate with, the corpus, temporary
//! directories and test data.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The `softqat` binary cargo built for these tests.
pub const SOFTQAT: &str = env!("CARGO_BIN_EXE_softqat");

/// A command for `program` with `args`, `input` on stdin, environment
/// changes `env` (`None` removes the variable); returns its output.
pub fn run_program(
    program: &Path,
    args: &[&str],
    input: &[u8],
    env: &[(&str, Option<&str>)],
    cwd: Option<&Path>,
) -> Output {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    if let Some(d) = cwd {
        cmd.current_dir(d);
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    let mut stdin = child.stdin.take().expect("stdin piped");
    let input = input.to_vec();
    // Feed stdin from a thread so a large output cannot deadlock the pipes;
    // a program that exits early closes its end (EPIPE is not a failure here).
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for the child");
    feeder.join().expect("stdin feeder");
    out
}

/// The environment every `softqat` run gets: the built-in configuration (no
/// `SOFTQAT_CONFIG_DIR`) and the repository's corpus.
fn base_env() -> Vec<(&'static str, Option<String>)> {
    vec![
        ("SOFTQAT_CONFIG_DIR", None),
        (
            "SOFTQAT_CORPUS_DIR",
            Some(corpus_dir().display().to_string()),
        ),
        ("RUST_BACKTRACE", Some("0".into())),
    ]
}

/// Runs `softqat args…` with `input` on stdin, plus environment `env`.
pub fn softqat_env(args: &[&str], input: &[u8], env: &[(&str, Option<&str>)]) -> Output {
    softqat_in(args, input, env, None)
}

/// As [`softqat_env`], in directory `cwd`.
pub fn softqat_in(
    args: &[&str],
    input: &[u8],
    env: &[(&str, Option<&str>)],
    cwd: Option<&Path>,
) -> Output {
    let base = base_env();
    let mut all: Vec<(&str, Option<&str>)> = base.iter().map(|(k, v)| (*k, v.as_deref())).collect();
    all.extend_from_slice(env);
    let out = run_program(Path::new(SOFTQAT), args, input, &all, cwd);
    assert_no_panic(&out, args);
    out
}

/// Runs `softqat args…` with `input` on stdin.
pub fn softqat(args: &[&str], input: &[u8]) -> Output {
    softqat_env(args, input, &[])
}

/// Text of a byte stream, for messages.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// No run may panic, whatever its input.
pub fn assert_no_panic(out: &Output, args: &[&str]) {
    let err = text(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "softqat {args:?} panicked:\n{err}"
    );
    // A panic exits with 101; a signal has no code.
    assert!(
        out.status.code().is_some_and(|c| c != 101),
        "softqat {args:?} ended with {:?}:\n{err}",
        out.status
    );
}

/// Exit 0, else the stderr in the failure message; returns stdout.
pub fn expect_ok(out: Output, what: &str) -> Vec<u8> {
    assert!(
        out.status.success(),
        "{what}: exit {:?}, stderr:\n{}",
        out.status.code(),
        text(&out.stderr)
    );
    out.stdout
}

/// A failed run (non-zero exit) with a message on stderr; returns stderr.
pub fn expect_failure(out: &Output, what: &str) -> String {
    assert!(
        !out.status.success(),
        "{what}: expected a failure, got exit 0 (stdout {} bytes)",
        out.stdout.len()
    );
    let err = text(&out.stderr);
    assert!(
        !err.trim().is_empty(),
        "{what}: failed without a message on stderr"
    );
    err
}

/// Compares two byte strings without printing megabytes on failure.
pub fn assert_same(got: &[u8], want: &[u8], what: &str) {
    if got != want {
        let first = got
            .iter()
            .zip(want)
            .position(|(a, b)| a != b)
            .unwrap_or(got.len().min(want.len()));
        panic!(
            "{what}: got {} bytes, want {} bytes, first difference at byte {first}",
            got.len(),
            want.len()
        );
    }
}

/// The repository's corpus directory (`corpus/` at the top of the checkout).
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

/// A corpus file, whole. The corpus ships with the repository, so a missing
/// file fails the test.
pub fn corpus(name: &str) -> Vec<u8> {
    let p = corpus_dir().join(name);
    std::fs::read(&p).unwrap_or_else(|e| {
        panic!(
            "corpus file {} not readable ({e}): the corpus ships with the repository \
             in corpus/ (see corpus/README.md); restore it with git",
            p.display()
        )
    })
}

/// A system tool (`gzip`, `lz4`…) that runs. A missing one fails the test
/// that needs it: an interoperability check that cannot run is not a pass.
pub fn system_tool(name: &str) -> PathBuf {
    let mut candidates = vec![PathBuf::from("/usr/bin").join(name)];
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path).map(|d| d.join(name)));
    }
    for c in candidates {
        if c.is_file()
            && Command::new(&c)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        {
            return c;
        }
    }
    panic!(
        "{name} is not installed: the interoperability tests check softqat against it \
         (apt-get install gzip lz4; .ci/run installs them when missing)"
    )
}

/// Runs a system tool; exit 0 expected; returns stdout.
pub fn tool(program: &Path, args: &[&str], input: &[u8]) -> Vec<u8> {
    let out = run_program(program, args, input, &[], None);
    assert!(
        out.status.success(),
        "{} {args:?}: exit {:?}: {}",
        program.display(),
        out.status.code(),
        text(&out.stderr)
    );
    out.stdout
}

/// Deterministic pseudo-random bytes (xorshift64*).
pub fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut v = Vec::with_capacity(n + 8);
    while v.len() < n {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        v.extend_from_slice(&s.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    v.truncate(n);
    v
}

/// Text-like data of `n` bytes: words from a small vocabulary, so that it
/// compresses, varied so that it is not trivial.
pub fn text_bytes(n: usize, seed: u64) -> Vec<u8> {
    const WORDS: &[&str] = &[
        "quick", "assist", "endpoint", "ring", "bank", "deflate", "huffman", "stream", "the", "of",
        "and", "request", "response", "instance", "session", "\n",
    ];
    let r = random_bytes(n, seed);
    let mut v = Vec::with_capacity(n + 16);
    let mut i = 0;
    while v.len() < n {
        v.extend_from_slice(WORDS[usize::from(r[i % r.len()]) % WORDS.len()].as_bytes());
        v.push(b' ');
        i += 1;
    }
    v.truncate(n);
    v
}

static NEXT_DIR: AtomicUsize = AtomicUsize::new(0);

/// A temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new empty directory named after `tag`.
    pub fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!(
            "softqat-clitest-{}-{}-{tag}",
            std::process::id(),
            NEXT_DIR.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create a temporary directory");
        TempDir(p)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `data` to `name` inside; returns the path.
    pub fn write(&self, name: &str, data: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, data).expect("write a temporary file");
        p
    }

    /// `name` inside, as a string (for command arguments).
    pub fn arg(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// This crate's test data directory.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// The configuration crate's example files.
pub fn config_examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/tests/data")
}
