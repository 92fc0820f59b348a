//! `softqat`: the operator's and developer's command for softqat endpoints.
//!
//! - `softqat status` — the endpoints and their state, as `qat_service status`
//!   prints them;
//! - `softqat config check FILE…` — validate configuration files;
//! - `softqat compress` / `softqat decompress` — files in gzip, zlib, raw
//!   deflate and LZ4 frame formats through the compression service;
//! - `softqat sample` — the main job, in the spirit of `cpa_sample_code`:
//!   functional checks, then a performance table;
//! - `softqat bench dc` — the stack against the raw engine (and, with
//!   `--managed`, managed mode against embedded mode);
//! - `softqat bench ras` — the RAS soak: failures injected under load, every
//!   request answered exactly once;
//! - `softqat up|down|restart|reset [qat_devN|all]` — live control of the
//!   endpoints `softqatd` hosts;
//! - `softqat debug`, `softqat inject`, `softqat check` — debug files, fault
//!   injection and heartbeat checks (softqatd's endpoints, else endpoints
//!   built for the command).
//!
//! Installed (or linked) as `adf_ctl` or `qat_service`, the binary behaves as
//! those commands do (Programmer's Guide §3.3, §3.6).
#![forbid(unsafe_code)]

mod bench;
mod bench_asym;
mod bench_capi;
mod bench_isal;
mod bench_managed;
mod bench_ras;
mod bench_sym;
mod control;
mod corpus;
mod files;
#[cfg(test)]
mod fuzz;
mod install;
mod parallel_inflate;
mod progress;
mod ras_cli;
mod sample;
mod sample_asym;
mod sample_sym;

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use softqat_device::proto::Verb;

#[derive(Parser)]
#[command(
    name = "softqat",
    version,
    about = "QuickAssist software endpoints: status, configuration, compression, samples and benchmarks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the endpoints and their state, as `qat_service status` does
    /// (the daemon's live endpoints when softqatd runs).
    Status,
    /// Bring an endpoint (or all) up, through softqatd (`adf_ctl up`).
    Up(DeviceArg),
    /// Take an endpoint (or all) down: in-flight requests complete or fail,
    /// instances get RESTARTING.
    Down(DeviceArg),
    /// Down, then up.
    Restart(DeviceArg),
    /// Reset: restarting (queued requests fail with RESTARTING), then up.
    Reset(DeviceArg),
    /// Read or write an endpoint's debug files (the kernel's names and
    /// formats): no FILE lists them, FILE prints one, FILE VALUE writes it.
    /// Acts on softqatd's endpoints when it runs; otherwise on endpoints
    /// built for this command only (they end with it; reads still show the
    /// formats).
    Debug {
        /// qat_dev<N>.
        device: String,
        /// A debug file, e.g. fw_counters, heartbeat/status, qat_ras/errors_fatal.
        file: Option<String>,
        /// A value to write (heartbeat/config, heartbeat/inject_error,
        /// qat_ras/reset_error_counters).
        value: Option<String>,
    },
    /// Inject a fault into an endpoint: heartbeat, hang, fatal,
    /// ring-pair BANK[:RP] or correctable. Acts on softqatd's endpoints when
    /// it runs; otherwise on endpoints built for this command only (the
    /// fault ends with it).
    Inject {
        /// qat_dev<N>.
        device: String,
        /// heartbeat, hang, fatal, ring-pair, correctable.
        fault: String,
        /// BANK or BANK:RP for ring-pair.
        arg: Option<String>,
    },
    /// Heartbeat check: prints "qat_devN: alive" (or unresponsive, too soon,
    /// resetting) per endpoint; exit status 0 only if all are alive. Checks
    /// softqatd's endpoints when it runs, else endpoints built for this
    /// command only.
    Check(DeviceArg),
    /// `adf_ctl` (as installed under that name).
    #[command(name = "adf_ctl", hide = true)]
    AdfCtl {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// `qat_service` (as installed under that name).
    #[command(name = "qat_service", hide = true)]
    QatService {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Configuration files.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Compress a file (or stdin) through the compression service.
    Compress(FileArgs),
    /// Decompress a file (or stdin) through the compression service.
    Decompress(FileArgs),
    /// Run functional checks, then the performance table (the main job).
    Sample {
        /// Shorter performance runs (for a quick look).
        #[arg(long)]
        quick: bool,
        /// Corpus file: a path, or a name looked up in $SOFTQAT_CORPUS_DIR
        /// (only there, when set), else in corpus/ of the current directory
        /// or a parent, the source tree softqat was built from,
        /// /usr/share/softqat/corpus, /usr/share/qat.
        #[arg(long, default_value = "calgary")]
        corpus: String,
    },
    /// Install the C libraries (libqat.so.4, libusdm.so.0), the headers
    /// (`<qat/cpa.h>`, ...) and pkg-config files (qatlib, libqat, libusdm)
    /// under a prefix, for C programs written for qatlib.
    Install {
        /// Installation prefix, e.g. /usr/local.
        #[arg(long)]
        prefix: std::path::PathBuf,
        /// Library directory under the prefix.
        #[arg(long, default_value = "lib")]
        libdir: String,
        /// Directory holding the built libqat.so and libusdm.so (default:
        /// the directory of this executable, e.g. target/release).
        #[arg(long)]
        from: Option<std::path::PathBuf>,
    },
    /// Benchmarks.
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
}

#[derive(clap::Args)]
struct DeviceArg {
    /// qat_dev<N>, or all (the default).
    #[arg(default_value = "all")]
    device: String,
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Validate endpoint configuration files (`<class>_dev<N>.conf`) or the
    /// managed-mode file; print every error with file:line.
    Check {
        /// Files to check.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// softqat against ISA-L (Intel's software path for QAT's formats) on
    /// calgary+canterbury repeated to --mb MB: the deflate engine and the
    /// inflater on one core (64 KiB requests; ISA-L loaded from libisal.so.2),
    /// then `softqat compress`/`decompress` against `igzip -1`/`igzip -d`
    /// as whole commands. Needs Debian's `isal` package.
    Isal {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Size of the data, MB.
        #[arg(long, default_value_t = 60)]
        mb: usize,
        /// Passes over the data (engine) and runs of each command; medians
        /// are reported.
        #[arg(long, default_value_t = 5)]
        trials: usize,
        /// Only the engine comparisons (no igzip needed).
        #[arg(long)]
        engine_only: bool,
    },
    /// Compression: the stack (async, one instance) against the raw engine.
    Dc {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Corpus file: a path, or a name looked up in $SOFTQAT_CORPUS_DIR
        /// (only there, when set), else in corpus/ of the current directory
        /// or a parent, the source tree softqat was built from,
        /// /usr/share/softqat/corpus, /usr/share/qat.
        #[arg(long, default_value = "calgary")]
        file: String,
        /// Compression level.
        #[arg(long, default_value_t = 1)]
        level: u8,
        /// Request size in bytes.
        #[arg(long, default_value_t = 65536)]
        size: usize,
        /// Engine threads (of the raw engine and of the endpoint).
        #[arg(long, default_value_t = 1)]
        engines: usize,
        /// Seconds per measurement.
        #[arg(long, default_value_t = 1.0)]
        seconds: f64,
        /// Repetitions of each measurement; the median is reported.
        #[arg(long, default_value_t = 3)]
        trials: usize,
        /// Static Huffman coding instead of dynamic.
        #[arg(long = "static")]
        static_huffman: bool,
        /// Managed mode against embedded mode: starts a private softqatd
        /// (next to this binary) and compares throughput and the round trip
        /// of a 64-byte request.
        #[arg(long)]
        managed: bool,
    },
    /// Symmetric crypto: the stack against the raw engine (and the raw
    /// engine against ring): AES-128-GCM and AES-128-CBC + HMAC-SHA256 at
    /// 4 KiB, 64-byte AES-128-GCM through the data-plane API.
    Sym {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Engine threads of the endpoint.
        #[arg(long, default_value_t = 1)]
        engines: usize,
        /// Seconds per measurement.
        #[arg(long, default_value_t = 1.0)]
        seconds: f64,
        /// Repetitions of each measurement; the median is reported.
        #[arg(long, default_value_t = 3)]
        trials: usize,
        /// Also managed mode against embedded mode (starts a private
        /// softqatd next to this binary).
        #[arg(long)]
        managed: bool,
    },
    /// Public-key crypto: the stack against the raw engine and the raw
    /// engine against aws-lc: RSA-2048 CRT decryption, ECDSA P-256 signing,
    /// X25519; with one engine thread and with one per core.
    Asym {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Seconds per measurement.
        #[arg(long, default_value_t = 1.0)]
        seconds: f64,
        /// Repetitions of each measurement; the median is reported.
        #[arg(long, default_value_t = 3)]
        trials: usize,
    },
    /// The C ABI beside the Rust API: a C program on libqat.so.4 (compiled
    /// with the system C compiler) and the Rust API run the same
    /// asynchronous workloads — deflate L1 64 KiB, AES-128-GCM 4 KiB.
    Capi {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Seconds per measurement.
        #[arg(long, default_value_t = 1.0)]
        seconds: f64,
        /// Repetitions of each measurement; the median is reported.
        #[arg(long, default_value_t = 3)]
        trials: usize,
        /// Directory holding libqat.so (default: beside this executable).
        #[arg(long)]
        lib_dir: Option<std::path::PathBuf>,
        /// Corpus the deflate input is taken from.
        #[arg(long, default_value = "calgary")]
        corpus: String,
    },
    /// The RAS soak: client threads submit asynchronous requests at full
    /// rate (deflate of 4 KiB, AES-128-GCM of 4 KiB) while failures of every
    /// kind are injected into the endpoints (heartbeat failure, engine hang,
    /// fatal error, ring-pair error, correctable error) with automatic reset
    /// on; prints requests submitted, responses (real, dummy, RESTARTING),
    /// lost and duplicated (both must be 0: the exit status says) and the
    /// time from each failure to RESTARTED. Embedded mode, built-in
    /// endpoints. The heartbeat period is shortened to --heartbeat-ms for
    /// the soak (the driver's minimum of 200 ms applies to configuration
    /// and debug files, not here), so a hang is detected in milliseconds.
    Ras {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Failures to inject (cycling through the kinds, alternating
        /// endpoints).
        #[arg(long, default_value_t = 1000)]
        failures: usize,
        /// Client threads, one instance each, compression and crypto
        /// alternately (the built-in configuration has 4 + 2 instances).
        #[arg(long, default_value_t = 4)]
        threads: usize,
        /// Time limit: injection stops after this many seconds even if
        /// fewer failures were injected (the output says so).
        #[arg(long, default_value_t = 120.0)]
        seconds: f64,
        /// Requests each client keeps in flight.
        #[arg(long, default_value_t = 32)]
        window: usize,
        /// The soak's heartbeat period in ms.
        #[arg(long, default_value_t = 5)]
        heartbeat_ms: u64,
        /// Engine threads per endpoint.
        #[arg(long, default_value_t = 1)]
        engines: usize,
    },
}

/// Compressed file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// gzip (RFC 1952).
    Gzip,
    /// gzip as QATzip writes it (its `QZ_DEFLATE_GZIP_EXT` format): one
    /// member per request, each header recording the member's sizes, so
    /// that decompression runs the members in parallel; any gzip reader
    /// reads it. `softqat decompress` detects it as gzip.
    GzipExt,
    /// zlib (RFC 1950).
    Zlib,
    /// Raw deflate (RFC 1951).
    Deflate,
    /// LZ4 frame format.
    Lz4,
    /// zstd frame (RFC 8878), compression only: LZ4S from the endpoint,
    /// coded into zstd as the QAT zstd plugin does (decompress with
    /// `zstd -d`).
    Zstd,
}

#[derive(clap::Args)]
struct FileArgs {
    /// Input file; stdin when absent or `-`.
    input: Option<std::path::PathBuf>,
    /// Output file; stdout when absent or `-`.
    #[arg(short, long)]
    output: Option<std::path::PathBuf>,
    /// Format (decompress: detected from the data when absent).
    #[arg(short, long, value_enum)]
    format: Option<Format>,
    /// Compression level (1–12).
    #[arg(short, long, default_value_t = 1)]
    level: u8,
    /// Static Huffman coding.
    #[arg(long = "static")]
    static_huffman: bool,
    /// Request size in bytes.
    #[arg(long, default_value_t = 65536)]
    request_size: usize,
    /// Compress only: turn compress-and-verify off (on by default, as on
    /// QAT: every compressed request is decompressed and compared before it
    /// is returned). Faster; an engine fault then goes unnoticed.
    #[arg(long)]
    no_verify: bool,
}

/// Reads all of `from` into memory, growing the buffer with `try_reserve`
/// so that a file larger than the memory the process may have is an error
/// naming the limit, not an abort.
fn read_all(mut from: impl Read, size_hint: usize, shown: &str) -> Result<Vec<u8>, String> {
    let mut v: Vec<u8> = Vec::new();
    v.try_reserve_exact(size_hint.saturating_add(1))
        .map_err(|_| files::no_memory(size_hint, shown))?;
    // Straight into the vector (no bounce through a chunk buffer); the
    // standard reader grows it fallibly, reporting OutOfMemory.
    match from.read_to_end(&mut v) {
        Ok(_) => Ok(v),
        Err(e) if e.kind() == std::io::ErrorKind::OutOfMemory => {
            Err(files::no_memory(v.len().saturating_mul(2), shown))
        }
        Err(e) => Err(format!("{shown}: {e}")),
    }
}

/// The size of stdin when it is a regular file (`< file`), to read it in
/// one allocation; 0 otherwise.
fn stdin_size() -> usize {
    use std::os::fd::AsFd;
    std::io::stdin()
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|f| f.metadata())
        .ok()
        .filter(|m| m.is_file())
        .map(|m| usize::try_from(m.len()).unwrap_or(0))
        .unwrap_or(0)
}

fn read_input(path: &Option<std::path::PathBuf>) -> Result<Vec<u8>, String> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            let shown = p.display().to_string();
            let f = std::fs::File::open(p).map_err(|e| format!("{shown}: {e}"))?;
            let size = f
                .metadata()
                .map(|m| usize::try_from(m.len()).unwrap_or(usize::MAX))
                .unwrap_or(0);
            read_all(f, size, &shown)
        }
        _ => read_all(std::io::stdin().lock(), stdin_size(), "stdin"),
    }
}

/// The input of a streaming command, and its name for messages: a file,
/// or stdin for none or `-`.
fn open_input(path: &Option<std::path::PathBuf>) -> Result<(Box<dyn Read>, String), String> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            let name = p.display().to_string();
            let f = std::fs::File::open(p).map_err(|e| format!("{name}: {e}"))?;
            Ok((Box::new(f), name))
        }
        _ => Ok((Box::new(std::io::stdin().lock()), "stdin".into())),
    }
}

/// The output of a streaming command, and its name for messages: a file
/// (created or truncated), or stdout for none or `-`. Writes are large (a
/// request's output at a time), so no buffering is added.
fn open_output(path: &Option<std::path::PathBuf>) -> Result<(Box<dyn Write>, String), String> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            let name = p.display().to_string();
            let f = std::fs::File::create(p).map_err(|e| format!("{name}: {e}"))?;
            Ok((Box::new(f), name))
        }
        _ => Ok((Box::new(std::io::stdout().lock()), "stdout".into())),
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Status => control::print_status(true),
        Command::Up(d) => control::run_verb(Verb::Up, control::parse_device(&d.device)?),
        Command::Down(d) => control::run_verb(Verb::Down, control::parse_device(&d.device)?),
        Command::Restart(d) => control::run_verb(Verb::Restart, control::parse_device(&d.device)?),
        Command::Reset(d) => control::run_verb(Verb::Reset, control::parse_device(&d.device)?),
        Command::Debug {
            device,
            file,
            value,
        } => ras_cli::debug(&device, file.as_deref(), value.as_deref()),
        Command::Inject { device, fault, arg } => ras_cli::inject(&device, &fault, arg.as_deref()),
        Command::Check(d) => ras_cli::check(&d.device),
        Command::AdfCtl { args } => Ok(control::adf_ctl(&args)),
        Command::QatService { args } => Ok(control::qat_service(&args)),
        Command::Config {
            command: ConfigCommand::Check { files },
        } => Ok(files::config_check(&files)),
        Command::Compress(a) => {
            let args = files::CompressArgs {
                format: a.format.unwrap_or(Format::Gzip),
                level: a.level,
                static_huffman: a.static_huffman,
                request_size: a.request_size,
                verify: !a.no_verify,
            };
            let (mut input, input_name) = open_input(&a.input)?;
            let (mut output, output_name) = open_output(&a.output)?;
            let done = files::compress(
                (&mut *input, &input_name),
                (&mut *output, &output_name),
                &args,
            );
            if let Err(e) = done {
                // No partial file is left behind (as gzip does).
                drop(output);
                if let Some(p) = a.output.as_ref().filter(|p| p.as_os_str() != "-") {
                    let _ = std::fs::remove_file(p);
                }
                return Err(e);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Decompress(a) => {
            let input = read_input(&a.input)?;
            let (mut output, output_name) = open_output(&a.output)?;
            // What a failed run wrote can be taken back from a named file
            // (removed) or from stdout redirected to a file (cut back to
            // its length now); not from a pipe or a terminal.
            let named = a.output.as_ref().is_some_and(|p| p.as_os_str() != "-");
            let stdout_file_len = (!named)
                .then(|| std::fs::metadata("/dev/stdout").ok())
                .flatten()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            let early = named || stdout_file_len.is_some();
            let done =
                files::decompress(&input, a.format, Some((&mut *output, &output_name)), early)
                    .and_then(|out| {
                        out.write_to(&mut *output)
                            .map_err(|e| format!("{output_name}: {e}"))?;
                        Ok(out.warning)
                    });
            match done {
                // gzip's exit status for a warning.
                Ok(Some(w)) => {
                    eprintln!("softqat: {w}");
                    Ok(ExitCode::from(2))
                }
                Ok(None) => Ok(ExitCode::SUCCESS),
                Err(e) => {
                    // No partial file is left behind (as gzip does).
                    drop(output);
                    if let Some(p) = a.output.as_ref().filter(|p| p.as_os_str() != "-") {
                        let _ = std::fs::remove_file(p);
                    }
                    if let Some(len) = stdout_file_len {
                        // Out of stdout's buffer first, or it would land
                        // after the cut.
                        let _ = std::io::stdout().flush();
                        let _ = std::fs::OpenOptions::new()
                            .write(true)
                            .open("/dev/stdout")
                            .and_then(|f| f.set_len(len));
                    }
                    Err(e)
                }
            }
        }
        Command::Sample { quick, corpus } => sample::run(&corpus, quick),
        Command::Install {
            prefix,
            libdir,
            from,
        } => install::run(&prefix, &libdir, from.as_deref()).map(|()| ExitCode::SUCCESS),
        Command::Bench {
            what:
                BenchCommand::Dc {
                    json,
                    file,
                    level,
                    size,
                    engines,
                    seconds,
                    trials,
                    static_huffman,
                    managed,
                },
        } => {
            let o = bench::BenchOptions {
                file,
                level,
                request_size: size.max(1),
                engines: engines.max(1),
                seconds,
                trials,
                static_huffman,
            };
            if managed {
                let f = bench_managed::run(&o)?;
                if json {
                    println!("{}", bench_managed::json(&o, &f));
                } else {
                    print!("{}", bench_managed::table(&o, &f));
                }
                return Ok(ExitCode::SUCCESS);
            }
            let f = bench::run(&o)?;
            if json {
                println!("{}", bench::json(&o, &f));
            } else {
                print!("{}", bench::table(&o, &f));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            what:
                BenchCommand::Isal {
                    json,
                    mb,
                    trials,
                    engine_only,
                },
        } => {
            let o = bench_isal::IsalBenchOptions {
                mb,
                trials,
                engine_only,
            };
            let f = bench_isal::run(&o)?;
            if json {
                println!("{}", bench_isal::json(&o, &f));
            } else {
                print!("{}", bench_isal::table(&o, &f));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            what:
                BenchCommand::Sym {
                    json,
                    engines,
                    seconds,
                    trials,
                    managed,
                },
        } => {
            let o = bench_sym::SymBenchOptions {
                engines: engines.max(1),
                seconds,
                trials,
                managed,
            };
            let f = bench_sym::run(&o)?;
            if json {
                println!("{}", bench_sym::json(&o, &f));
            } else {
                print!("{}", bench_sym::table(&o, &f));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            what:
                BenchCommand::Asym {
                    json,
                    seconds,
                    trials,
                },
        } => {
            let o = bench_asym::AsymBenchOptions { seconds, trials };
            let f = bench_asym::run(&o)?;
            if json {
                println!("{}", bench_asym::json(&o, &f));
            } else {
                print!("{}", bench_asym::table(&o, &f));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            what:
                BenchCommand::Capi {
                    json,
                    seconds,
                    trials,
                    lib_dir,
                    corpus,
                },
        } => {
            let o = bench_capi::CapiBenchOptions {
                seconds,
                trials,
                lib_dir,
                corpus,
            };
            let f = bench_capi::run(&o)?;
            if json {
                println!("{}", bench_capi::json(&o, &f));
            } else {
                print!("{}", bench_capi::table(&o, &f));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            what:
                BenchCommand::Ras {
                    json,
                    failures,
                    threads,
                    seconds,
                    window,
                    heartbeat_ms,
                    engines,
                },
        } => {
            let o = bench_ras::RasBenchOptions {
                failures,
                threads,
                seconds,
                window,
                heartbeat_ms,
                engines,
            };
            let f = bench_ras::run(&o)?;
            if json {
                println!("{}", bench_ras::json(&o, &f));
            } else {
                print!("{}", bench_ras::table(&o, &f));
            }
            if f.passed() {
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "softqat bench ras: {} lost, {} duplicated, {} answers to unknown ids, {} wrong \
                     outputs: every request must have exactly one correct-or-failed response; \
                     this is a bug in the stack: report it with this output",
                    f.lost, f.duplicated, f.unexpected, f.wrong
                );
                Ok(ExitCode::FAILURE)
            }
        }
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args();
    let invoked = args
        .next()
        .map(|a| {
            std::path::Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    match invoked.as_str() {
        "adf_ctl" => return control::adf_ctl(&args.collect::<Vec<_>>()),
        "qat_service" => return control::qat_service(&args.collect::<Vec<_>>()),
        _ => {}
    }
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("softqat: {e}");
            ExitCode::FAILURE
        }
    }
}
