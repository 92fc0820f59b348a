//! Fuzzing the configuration parsers on the stable toolchain: endpoint
//! files (alone, and several at once as one machine) and the managed-mode
//! `/etc/sysconfig/qat`, with inputs from a seeded generator, mutations of
//! valid seed files, and malformed files built so that one known line is
//! wrong.
//!
//! Every input must be answered without a panic, every diagnostic must
//! name its file, carry a line within the file (or be one of the few
//! messages about a whole file) and stay short however long the input's
//! keys and values are; every malformed file must be refused with an error
//! at the line that was broken ("accepted-corrupt" counts the ones that
//! were not).
//!
//! The bounded run is part of `cargo test`; a longer one:
//!
//! ```sh
//! SOFTQAT_FUZZ_ITERS=200000 cargo test --release -p softqat-config --test fuzz -- --ignored --nocapture
//! ```
//!
//! (`SOFTQAT_FUZZ_SEED` picks another seed.) Seeds are
//! `tests/data/{*.conf,guide_4_5,fuzz/seeds}`; inputs that once failed are
//! kept in `tests/data/fuzz/regressions` (named `<why>--<file name>`) and
//! replayed by every run. A failing input is written to
//! `$CARGO_TARGET_TMPDIR/config-fuzz/` to be added there.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use softqat_config::{parse_endpoint_bytes, ConfigErrors, Diagnostic, ManagedConfig, SystemConfig};

/// splitmix64: deterministic, so every failure reproduces from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len())]
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// A seed: the name the parser sees and the bytes.
#[derive(Clone)]
struct Seed {
    name: String,
    bytes: Vec<u8>,
}

fn read_seeds(dir: &Path, out: &mut Vec<Seed>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    for p in entries {
        out.push(Seed {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(&p).unwrap(),
        });
    }
}

/// Endpoint seeds and managed-mode seeds.
fn seeds() -> (Vec<Seed>, Vec<Seed>) {
    let mut all = Vec::new();
    read_seeds(&data_dir(), &mut all);
    read_seeds(&data_dir().join("guide_4_5"), &mut all);
    read_seeds(&data_dir().join("fuzz/seeds"), &mut all);
    let (endpoint, managed): (Vec<Seed>, Vec<Seed>) =
        all.into_iter().partition(|s| s.name.ends_with(".conf"));
    assert!(endpoint.len() >= 6 && managed.len() >= 3, "seed files");
    (endpoint, managed)
}

// --- Generation ---------------------------------------------------------

const SECTIONS: &[&str] = &[
    "GENERAL",
    "KERNEL",
    "KERNEL_QAT",
    "SSL",
    "DYN",
    "SHIM",
    "general",
    "IPSec",
];
const KEYS: &[&str] = &[
    "ServicesEnabled",
    "ConfigVersion",
    "ServicesProfile",
    "CyNumConcurrentSymRequests",
    "CyNumConcurrentAsymRequests",
    "DcNumConcurrentRequests",
    "DcIntermediateBufferSizeInKB",
    "AutoResetOnError",
    "statsGeneral",
    "statsSym",
    "InterruptCoalescingEnabled",
    "InterruptCoalescingTimerNs",
    "HeartbeatTimer",
    "PkeServiceDisabled",
    "NumProcesses",
    "LimitDevAccess",
    "NumberCyInstances",
    "NumberDcInstances",
    "NumCyInstances",
    "NumDcInstances",
    "Cy0Name",
    "Cy1IsPolled",
    "Cy0CoreAffinity",
    "Dc0Name",
    "Dc3IsPolled",
    "Dc0CoreAffinity",
    "Cy4294967296Name",
    "Cy00001Name",
    "POLICY",
    "Banana",
];
const VALUES: &[&str] = &[
    "0",
    "1",
    "2",
    "7",
    "64",
    "128",
    "512",
    "1024",
    "65536",
    "65537",
    "4095",
    "4096",
    "4294967295",
    "4294967296",
    "-1",
    "abc",
    "\"SSL0\"",
    "\u{201c}SSL1\u{201d}",
    "\"open",
    "\"x\" trailing",
    "sym;asym",
    "cy;dc",
    "dc",
    "sym;dc;asym",
    "dcc",
    "decomp",
    "sym;;dc",
    "CRYPTO",
    "COMPRESSION",
    "",
];

fn value(r: &mut Rng) -> Vec<u8> {
    match r.below(12) {
        0 => {
            // Long or odd values.
            let n = *r.pick(&[65, 300, 5000]);
            vec![b"v9;\"#"[r.below(5)]; n]
        }
        1 => (0..r.below(12)).map(|_| r.next() as u8).collect(),
        2 => r.next().to_string().into_bytes(),
        _ => r.pick(VALUES).as_bytes().to_vec(),
    }
}

fn key(r: &mut Rng) -> Vec<u8> {
    match r.below(14) {
        0 => vec![b'K'; *r.pick(&[64, 65, 1000])],
        1 => format!(
            "{}{}{}",
            r.pick(&["Cy", "Dc"]),
            r.below(300),
            r.pick(&["Name", "IsPolled", "CoreAffinity", "Nme"])
        )
        .into_bytes(),
        2 => (0..1 + r.below(10)).map(|_| r.next() as u8).collect(),
        _ => r.pick(KEYS).as_bytes().to_vec(),
    }
}

/// A line of an endpoint or managed-mode file, usually well formed.
fn line(r: &mut Rng, managed: bool) -> Vec<u8> {
    let mut l = Vec::new();
    if r.chance(6) {
        l.extend_from_slice(b"  ");
    }
    match r.below(if managed { 8 } else { 12 }) {
        0 => l.extend_from_slice(b"# a comment"),
        1 => {}
        2 if managed => l.extend_from_slice(b"; old comment"),
        8..=11 => {
            l.push(b'[');
            match r.below(10) {
                0 => l.extend(vec![b'S'; *r.pick(&[127, 128, 4000])]),
                1 => {}
                _ => l.extend_from_slice(r.pick(SECTIONS).as_bytes()),
            }
            if !r.chance(15) {
                l.push(b']');
            }
            if r.chance(10) {
                l.extend_from_slice(b" # trailing");
            }
        }
        _ => {
            l.extend(key(r));
            l.extend_from_slice(if managed { b"=" } else { b" = " });
            l.extend(value(r));
            if r.chance(8) {
                l.extend_from_slice(b" # why");
            }
        }
    }
    if r.chance(20) {
        l.push(b'\r');
    }
    l
}

fn generated(r: &mut Rng, managed: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if !managed {
        out.extend_from_slice(b"[GENERAL]\nServicesEnabled = ");
        out.extend_from_slice(
            r.pick(&["sym;asym", "dc", "cy;dc", "asym;dc", "cy"])
                .as_bytes(),
        );
        out.push(b'\n');
    }
    for _ in 0..r.below(40) {
        out.extend(line(r, managed));
        out.push(b'\n');
    }
    out
}

/// Bytes that make parsers work: separators, quotes, non-UTF-8, NUL.
const INTERESTING: &[u8] = &[
    b'[', b']', b'=', b'#', b';', b'"', b'\'', b'\n', b'\r', b' ', b'\t', 0, 0xe9, 0xff, 0xc3,
    0xe2, 0x80, 0x9c, b'0', b'9',
];

fn mutate(r: &mut Rng, mut b: Vec<u8>, others: &[Seed], managed: bool) -> Vec<u8> {
    for _ in 0..1 + r.below(6) {
        let n = b.len();
        match r.below(11) {
            0 if n > 0 => {
                let i = r.below(n);
                b[i] ^= 1 << r.below(8);
            }
            1 if n > 0 => {
                let i = r.below(n);
                b[i] = *r.pick(INTERESTING);
            }
            2 => {
                let i = r.below(n + 1);
                let extra: Vec<u8> = (0..1 + r.below(8)).map(|_| *r.pick(INTERESTING)).collect();
                b.splice(i..i, extra);
            }
            3 if n > 0 => {
                let i = r.below(n);
                let j = (i + 1 + r.below(64)).min(n);
                b.drain(i..j);
            }
            4 if n > 0 => {
                let i = r.below(n);
                let j = (i + 1 + r.below(200)).min(n);
                let copy = b[i..j].to_vec();
                let at = r.below(n + 1);
                b.splice(at..at, copy);
            }
            5 => {
                // A line of the grammar at a line start.
                let starts: Vec<usize> = std::iter::once(0)
                    .chain(
                        b.iter()
                            .enumerate()
                            .filter(|(_, c)| **c == b'\n')
                            .map(|(i, _)| i + 1),
                    )
                    .collect();
                let at = *r.pick(&starts);
                let mut l = line(r, managed);
                l.push(b'\n');
                b.splice(at..at, l);
            }
            6 => b.truncate(r.below(n + 1)),
            7 => {
                // Swap two lines.
                let mut lines: Vec<Vec<u8>> =
                    b.split(|c| *c == b'\n').map(<[u8]>::to_vec).collect();
                let (i, j) = (r.below(lines.len()), r.below(lines.len()));
                lines.swap(i, j);
                b = lines.join(&b'\n');
            }
            8 if !others.is_empty() => {
                // Splice the tail of another seed.
                let o = &r.pick(others).bytes;
                let from = r.below(o.len() + 1);
                b.truncate(r.below(n + 1));
                b.extend_from_slice(&o[from..]);
            }
            9 if n > 0 => {
                // A digit run grows into a huge number.
                let i = r.below(n);
                if b[i].is_ascii_digit() {
                    let digits = vec![b'9'; 1 + r.below(30)];
                    b.splice(i..i, digits);
                }
            }
            _ => {}
        }
    }
    b
}

/// A file name the parser sees: usually a real class, sometimes a VF, an
/// odd number, an unknown class.
fn endpoint_name(r: &mut Rng) -> String {
    let class = r.pick(&[
        "4xxx", "4xxxvf", "c6xx", "c6xxvf", "dh895xcc", "c3xxx", "420xx", "401xx", "9xxx",
    ]);
    let n = match r.below(10) {
        0 => "01".to_string(),
        1 => "4294967296".to_string(),
        _ => r.below(6).to_string(),
    };
    format!("{class}_dev{n}.conf")
}

// --- Checking -----------------------------------------------------------

/// Messages about a whole file rather than one of its lines.
const WHOLE_FILE: &[&str] = &[
    "no [GENERAL] section",
    "the file configures nothing",
    "the file is longer than",
    "the file name does not say which endpoint",
    "also configures qat_dev",
    "cannot read the file",
    "the file sets no ServicesEnabled",
    "are not a PF and one of its VFs",
    "cannot belong to",
];

/// Longest message allowed: class lists and fixes fit easily; an input
/// echoed whole would not.
const MAX_MESSAGE: usize = 700;

#[derive(Default)]
struct Stats {
    tried: u64,
    accepted: u64,
    rejected: u64,
    panics: u64,
    accepted_corrupt: u64,
    misplaced: u64,
    failures: Vec<String>,
}

impl Stats {
    fn line(&self, target: &str) -> String {
        format!(
            "{target:<24} {:>8} tried {:>8} accepted {:>8} rejected {:>4} accepted-corrupt {:>4} panics",
            self.tried, self.accepted, self.rejected, self.accepted_corrupt, self.panics
        )
    }
}

fn line_count(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u32 + 1
}

/// Checks every diagnostic against the files it is about; returns what is
/// wrong, if anything.
fn check_diagnostics(
    files: &[(&str, &[u8])],
    diags: &[Diagnostic],
    errors: bool,
) -> Option<String> {
    for d in diags {
        let Some((_, bytes)) = files.iter().find(|(n, _)| *n == d.file) else {
            return Some(format!("a diagnostic names no file given: {d}"));
        };
        if d.message.is_empty() || d.message.len() > MAX_MESSAGE {
            return Some(format!(
                "a message of {} bytes: {}",
                d.message.len(),
                d.message.chars().take(200).collect::<String>()
            ));
        }
        match d.line {
            Some(l) if l == 0 || l > line_count(bytes) => {
                return Some(format!("line {l} is not a line of the file: {d}"));
            }
            None if errors && !WHOLE_FILE.iter().any(|w| d.message.contains(w)) => {
                return Some(format!("an error with no line: {d}"));
            }
            _ => {}
        }
    }
    None
}

fn check_result<T>(
    files: &[(&str, &[u8])],
    r: &Result<(T, Vec<Diagnostic>), ConfigErrors>,
) -> Option<String> {
    match r {
        Ok((_, warnings)) => check_diagnostics(files, warnings, false),
        Err(e) => {
            if e.errors.is_empty() {
                return Some("refused with no error".into());
            }
            check_diagnostics(files, &e.errors, true)
                .or_else(|| check_diagnostics(files, &e.warnings, false))
        }
    }
}

/// What parsing an input gave: accepted, and the lines of its errors.
struct Outcome {
    accepted: bool,
    error_lines: Vec<Option<u32>>,
}

/// Parses `files` (one endpoint file, several, or one managed-mode file),
/// checks the diagnostics, and uses an accepted configuration the way
/// `Qat::start` does. A panic is caught and recorded.
fn run_one(
    stats: &mut Stats,
    target: &str,
    files: &[(String, Vec<u8>)],
    managed: bool,
) -> Option<Outcome> {
    stats.tried += 1;
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let got = catch_unwind(AssertUnwindSafe(|| {
        if managed {
            let r = ManagedConfig::parse_bytes(&files[0].0, &files[0].1);
            let problem = check_result(&refs, &r);
            if let Ok((cfg, _)) = &r {
                let sys = SystemConfig::managed(cfg);
                let _ = sys.summary();
                let _ = sys.internal_sections("SSL");
            }
            (
                r.is_ok(),
                r.err().map(|e| e.errors).unwrap_or_default(),
                problem,
            )
        } else if files.len() == 1 {
            let r = parse_endpoint_bytes(&files[0].0, &files[0].1);
            let problem = check_result(&refs, &r);
            (
                r.is_ok(),
                r.err().map(|e| e.errors).unwrap_or_default(),
                problem,
            )
        } else {
            let r = SystemConfig::from_file_bytes(files);
            let problem = check_result(&refs, &r);
            if let Ok((cfg, _)) = &r {
                let _ = cfg.summary();
                for name in cfg.section_names() {
                    let _ = cfg.internal_sections(&name);
                }
                let _ = cfg.all_internal_sections();
            }
            (
                r.is_ok(),
                r.err().map(|e| e.errors).unwrap_or_default(),
                problem,
            )
        }
    }));
    let (accepted, errors, problem) = match got {
        Ok(v) => v,
        Err(_) => {
            stats.panics += 1;
            save_failure(stats, target, "panic", files);
            return None;
        }
    };
    if let Some(p) = problem {
        stats.failures.push(format!("{target}: {p}"));
        save_failure(stats, target, "diagnostic", files);
    }
    if accepted {
        stats.accepted += 1;
    } else {
        stats.rejected += 1;
    }
    Some(Outcome {
        accepted,
        error_lines: errors.iter().map(|e| e.line).collect(),
    })
}

/// Writes a failing input where it can be looked at and added to the
/// regression files.
fn save_failure(stats: &mut Stats, target: &str, why: &str, files: &[(String, Vec<u8>)]) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("config-fuzz");
    let _ = std::fs::create_dir_all(&dir);
    for (name, bytes) in files {
        let p = dir.join(format!("{why}-{target}-{}--{name}", stats.tried));
        let _ = std::fs::write(&p, bytes);
        stats
            .failures
            .push(format!("{target}: {why}: input saved as {}", p.display()));
    }
}

// --- Malformed files ----------------------------------------------------

/// Numeric keys whose value is always checked where a valid file has them.
const NUMERIC_KEYS: &[&str] = &[
    "ConfigVersion",
    "CyNumConcurrentSymRequests",
    "CyNumConcurrentAsymRequests",
    "DcNumConcurrentRequests",
    "DcIntermediateBufferSizeInKB",
    "AutoResetOnError",
    "statsGeneral",
    "statsDh",
    "statsSym",
    "statsDc",
    "InterruptCoalescingEnabled",
    "InterruptCoalescingTimerNs",
    "InterruptCoalescingNumResponses",
    "HeartbeatTimer",
    "NumProcesses",
    "LimitDevAccess",
    "NumberCyInstances",
    "NumCyInstances",
    "NumDcInstances",
];

/// A valid file with one line broken (inserted, or changed in place):
/// the bytes and the 1-based line that must be reported.
fn malformed_endpoint(r: &mut Rng, seed: &[u8]) -> (Vec<u8>, u32) {
    let mut lines: Vec<Vec<u8>> = seed.split(|c| *c == b'\n').map(<[u8]>::to_vec).collect();
    // Lines inside a section, and key lines (with their key).
    let first_section = lines
        .iter()
        .position(|l| l.trim_ascii_start().starts_with(b"["))
        .unwrap_or(0);
    let key_lines: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .skip(first_section)
        .filter_map(|(i, l)| {
            let s = std::str::from_utf8(l).ok()?.trim();
            if s.starts_with('#') || s.starts_with('[') {
                return None;
            }
            let (k, _) = s.split_once('=')?;
            Some((i, k.trim().to_string()))
        })
        .collect();
    let kind = r.below(14);
    if kind >= 12 {
        // In place: a numeric key's value, or a duplicate of a key line.
        let numeric: Vec<&(usize, String)> = key_lines
            .iter()
            .filter(|(i, k)| {
                NUMERIC_KEYS.contains(&k.as_str())
                    // [KERNEL] ignores its Dc count (a warning only).
                    && !(k == "NumberDcInstances" && in_kernel(&lines, *i))
            })
            .collect();
        if kind == 12 && !numeric.is_empty() {
            let (i, k) = *r.pick(&numeric);
            let bad = r.pick(&[
                "-1",
                "abc",
                "4294967296",
                "1.5",
                "",
                "0x10",
                "99999999999999999999",
            ]);
            lines[*i] = format!("{k} = {bad}").into_bytes();
            return (lines.join(&b'\n'), *i as u32 + 1);
        }
        if !key_lines.is_empty() {
            let (i, _) = r.pick(&key_lines);
            let copy = lines[*i].clone();
            lines.insert(i + 1, copy);
            return (lines.join(&b'\n'), *i as u32 + 2);
        }
    }
    let at = first_section + 1 + r.below(lines.len() - first_section);
    let bad: Vec<u8> = match kind {
        0 => b"this line has no equals sign".to_vec(),
        1 => b"[UNCLOSED".to_vec(),
        2 => b"[]".to_vec(),
        3 => b"Bad-Key = 1".to_vec(),
        4 => {
            let mut k = vec![b'K'; 65 + r.below(2000)];
            k.extend_from_slice(b" = 1");
            k
        }
        5 => b"Name\xe9 = 1".to_vec(),
        6 => b"Cy0Name = \"s\xff\"".to_vec(),
        7 => b" = value without a key".to_vec(),
        8 => b"Cy0Name = \"unterminated".to_vec(),
        9 => b"Cy0Name = \"x\" trailing text".to_vec(),
        10 => b"[SECTION_X] trailing text".to_vec(),
        _ => b"Key = 1\x00".to_vec(),
    };
    lines.insert(at, bad);
    (lines.join(&b'\n'), at as u32 + 1)
}

fn in_kernel(lines: &[Vec<u8>], i: usize) -> bool {
    lines[..i]
        .iter()
        .rev()
        .find(|l| l.trim_ascii_start().starts_with(b"["))
        .is_some_and(|l| l.trim_ascii() == b"[KERNEL]")
}

fn malformed_managed(r: &mut Rng, seed: &[u8]) -> (Vec<u8>, u32) {
    let mut lines: Vec<Vec<u8>> = seed.split(|c| *c == b'\n').map(<[u8]>::to_vec).collect();
    let kind = r.below(8);
    if kind == 7 {
        // Duplicate a key line.
        let keyed: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                let t = lines[i].trim_ascii();
                t.contains(&b'=') && !t.starts_with(b"#") && !t.starts_with(b";")
            })
            .collect();
        if !keyed.is_empty() {
            let i = *r.pick(&keyed);
            let copy = lines[i].clone();
            lines.insert(i + 1, copy);
            return (lines.join(&b'\n'), i as u32 + 2);
        }
    }
    let at = r.below(lines.len() + 1);
    let bad: Vec<u8> = match kind {
        0 => b"no equals sign".to_vec(),
        1 => b"POLICY=abc".to_vec(),
        2 => b"ServicesEnabled=sym;asym;dc".to_vec(),
        3 => b"ServicesEnabled=bogus".to_vec(),
        4 => b"POLICY=\xe9".to_vec(),
        5 => b"POLICY=-1".to_vec(),
        _ => b"ServicesEnabled=d\x00c".to_vec(),
    };
    // A second POLICY or ServicesEnabled is refused as a repeat, a first
    // one for its value: either way at the inserted line.
    let line = at as u32 + 1;
    lines.insert(at, bad);
    (lines.join(&b'\n'), line)
}

fn check_malformed(
    stats: &mut Stats,
    target: &str,
    files: &[(String, Vec<u8>)],
    managed: bool,
    line: u32,
) {
    let Some(o) = run_one(stats, target, files, managed) else {
        return;
    };
    if o.accepted {
        stats.accepted_corrupt += 1;
        save_failure(stats, target, "accepted-corrupt", files);
    } else if !o.error_lines.contains(&Some(line)) {
        stats.misplaced += 1;
        stats.failures.push(format!(
            "{target}: the error is not at line {line} but at {:?}",
            o.error_lines
        ));
        save_failure(stats, target, "misplaced", files);
    }
}

// --- The campaign -------------------------------------------------------

fn iterations(default: u64) -> u64 {
    std::env::var("SOFTQAT_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs every target for `n` inputs each (malformed: `n / 8`, at least
/// 300 endpoint and 150 managed-mode files); returns the report.
fn campaign(n: u64) -> Vec<(String, Stats)> {
    let seed = std::env::var("SOFTQAT_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x0005_eedc_0f16_u64);
    eprintln!("config fuzz: seed {seed}, {n} inputs per target");
    let mut r = Rng(seed);
    let (endpoint, managed) = seeds();
    let mut report: Vec<(String, Stats)> = Vec::new();
    let target = |name: &str, report: &mut Vec<(String, Stats)>| -> usize {
        report.push((name.to_string(), Stats::default()));
        report.len() - 1
    };

    // The kept regression inputs, every run.
    let t = target("regressions", &mut report);
    let reg = data_dir().join("fuzz/regressions");
    let mut kept = Vec::new();
    read_seeds(&reg, &mut kept);
    for s in &kept {
        // `accept-…--NAME` must be accepted, `reject-…--NAME` refused;
        // both without a panic and with well-formed diagnostics.
        let Some((why, name)) = s.name.rsplit_once("--") else {
            panic!(
                "{}: name regression files <accept|reject>-<why>--<file name>",
                s.name
            );
        };
        let is_managed = !name.ends_with(".conf");
        let stats = &mut report[t].1;
        let files = [(name.to_string(), s.bytes.clone())];
        if let Some(o) = run_one(stats, "regressions", &files, is_managed) {
            if o.accepted != why.starts_with("accept-") {
                stats
                    .failures
                    .push(format!("regression {}: accepted = {}", s.name, o.accepted));
            }
        }
    }
    assert!(kept.len() >= 6, "regression files");

    let t = target("endpoint-generated", &mut report);
    for _ in 0..n {
        let f = vec![(endpoint_name(&mut r), generated(&mut r, false))];
        run_one(&mut report[t].1, "endpoint-generated", &f, false);
    }
    let t = target("endpoint-mutated", &mut report);
    for _ in 0..n {
        let s = r.pick(&endpoint).clone();
        let name = if r.chance(10) {
            endpoint_name(&mut r)
        } else {
            s.name.clone()
        };
        let f = vec![(name, mutate(&mut r, s.bytes, &endpoint, false))];
        run_one(&mut report[t].1, "endpoint-mutated", &f, false);
    }
    let t = target("machine-mutated", &mut report);
    for _ in 0..n / 4 {
        // Two or three files of one machine: PFs and VFs, duplicates.
        let mut files = Vec::new();
        for _ in 0..2 + r.below(2) {
            let s = r.pick(&endpoint).clone();
            let bytes = if r.chance(2) {
                mutate(&mut r, s.bytes, &endpoint, false)
            } else {
                s.bytes
            };
            let name = endpoint_name(&mut r);
            // Distinct names (the same number may repeat): a diagnostic
            // names its file by name.
            if !files.iter().any(|(n, _)| *n == name) {
                files.push((name, bytes));
            }
        }
        run_one(&mut report[t].1, "machine-mutated", &files, false);
    }
    let t = target("managed-generated", &mut report);
    for _ in 0..n {
        let f = vec![("qat".to_string(), generated(&mut r, true))];
        run_one(&mut report[t].1, "managed-generated", &f, true);
    }
    let t = target("managed-mutated", &mut report);
    for _ in 0..n {
        let s = r.pick(&managed).clone();
        let f = vec![("qat".to_string(), mutate(&mut r, s.bytes, &managed, true))];
        run_one(&mut report[t].1, "managed-mutated", &f, true);
    }
    let t = target("endpoint-malformed", &mut report);
    for _ in 0..(n / 8).max(300) {
        let s = r.pick(&endpoint).clone();
        let (bytes, line) = malformed_endpoint(&mut r, &s.bytes);
        check_malformed(
            &mut report[t].1,
            "endpoint-malformed",
            &[(s.name.clone(), bytes)],
            false,
            line,
        );
    }
    let t = target("managed-malformed", &mut report);
    for _ in 0..(n / 16).max(150) {
        let s = r.pick(&managed).clone();
        let (bytes, line) = malformed_managed(&mut r, &s.bytes);
        check_malformed(
            &mut report[t].1,
            "managed-malformed",
            &[("qat".to_string(), bytes)],
            true,
            line,
        );
    }
    report
}

fn run_and_report(n: u64) {
    // Panics are caught and counted: keep their messages off the output.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let report = campaign(n);
    std::panic::set_hook(hook);
    let mut failures = Vec::new();
    let mut malformed = 0;
    for (name, s) in &report {
        eprintln!("{}", s.line(name));
        failures.extend(s.failures.iter().take(20).cloned());
        if name.ends_with("malformed") {
            malformed += s.tried;
        }
        assert_eq!(
            s.panics,
            0,
            "{name}: {} panics\n{}",
            s.panics,
            failures.join("\n")
        );
        assert_eq!(s.accepted_corrupt, 0, "{name}\n{}", failures.join("\n"));
        assert_eq!(s.misplaced, 0, "{name}\n{}", failures.join("\n"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(malformed >= 281, "{malformed} malformed files");
    // The generators reach both outcomes: deep paths ran.
    for (name, s) in &report {
        if name.contains("mutated") || name.contains("generated") {
            assert!(s.rejected > 0, "{name}: nothing refused");
        }
    }
    let accepted: u64 = report
        .iter()
        .filter(|(n, _)| n.contains("mutated"))
        .map(|(_, s)| s.accepted)
        .sum();
    assert!(accepted > n / 10, "only {accepted} mutated files accepted");
}

#[test]
fn config_fuzz_bounded() {
    run_and_report(iterations(3000));
}

/// The long run (see the module docs).
#[test]
#[ignore]
fn config_fuzz_long() {
    run_and_report(iterations(200_000));
}
