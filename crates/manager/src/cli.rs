//! `softqatd`'s command line: options, daemonizing, signals.

use std::io::{Read, Write};
use std::os::unix::fs::FileTypeExt;
use std::path::PathBuf;
use std::process::ExitCode;

use softqat_device::plan::ConfigSource;
use softqat_device::proto;

use crate::daemon::{
    Daemon, DaemonOptions, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CLIENT_MEMORY,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_PID, DEFAULT_MAX_CONNECTIONS_PER_UID,
};
use crate::sys;

const USAGE: &str = "\
usage: softqatd [--foreground] [--run-dir DIR] [--config DIR | --managed-file FILE]
                [--engines N] [--max-client-memory SIZE] [--max-connections N]
                [--max-connections-per-uid N] [--max-connections-per-pid N]
                [--idle-timeout SECONDS] [--heartbeat-period MS] [--help]

softqatd runs the software QAT endpoints for every process of the machine
(managed mode): applications and the softqat / adf_ctl / qat_service tools
connect to its socket, DIR/softqatd.sock.

options:
  -f, --foreground         stay in the foreground (use this under systemd);
                           without it softqatd detaches once it is listening
  --run-dir DIR            socket and PID file directory (default
                           $SOFTQAT_RUN_DIR, else /run/softqat)
  --config DIR             endpoint files (<class>_dev<N>.conf) in DIR
  --managed-file FILE      a managed-mode file (POLICY=, ServicesEnabled=),
                           like /etc/sysconfig/qat, over the built-in endpoints
  --engines N              engine threads per endpoint (default
                           $SOFTQAT_ENGINES, else the number of CPUs)
  --max-client-memory SIZE DMA memory one process may register (default 4G;
                           suffixes K, M, G)
  --max-connections N      connections served at once (default 16384, and
                           never more than the descriptor limit allows; 0:
                           as many as it allows)
  --max-connections-per-uid N
                           connections of one user at once (default 1024;
                           0: no limit)
  --max-connections-per-pid N
                           connections of one process at once (default 64;
                           0: no limit)
  --idle-timeout SECONDS   close connections that hold nothing (no section,
                           no memory) after this long without a message
                           (default 60; 0: never); the library reconnects
  --heartbeat-period MS    check every endpoint's heartbeat this often
                           (default 1000; at least 200; 0: no monitor); a
                           failed endpoint resets by itself when its
                           configuration says AutoResetOnError = 1
  -h, --help               this text

A connection beyond a limit is told why (the client reports softqatd's
reason) and closed. softqatd raises its descriptor limit (RLIMIT_NOFILE) to
the hard limit at start.

Without --config or --managed-file: $SOFTQAT_CONFIG_DIR, else /etc/softqat if
it holds endpoint files, else the built-in configuration (POLICY=0).
SIGTERM or SIGINT stops it: queued requests complete, endpoints go down, the
socket and PID file are removed.

Copies of the endpoints' debug files (heartbeat, fw_counters, qat_ras/...)
are kept in <run-dir>/debug/qat_<class>_<bdf>/ while softqatd runs.";

/// What the command line asks for.
#[derive(Debug)]
struct Args {
    foreground: bool,
    options: DaemonOptions,
}

enum Parsed {
    Run(Box<Args>),
    Help,
}

fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let (digits, mult) = match t.chars().last()? {
        'k' | 'K' => (&t[..t.len() - 1], 1u64 << 10),
        'm' | 'M' => (&t[..t.len() - 1], 1 << 20),
        'g' | 'G' => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    digits.parse::<u64>().ok()?.checked_mul(mult)
}

fn parse(args: &[String]) -> Result<Parsed, String> {
    let mut foreground = false;
    let mut run_dir: Option<PathBuf> = None;
    let mut config: Option<ConfigSource> = None;
    let mut engines: Option<usize> = None;
    let mut max_memory = DEFAULT_MAX_CLIENT_MEMORY;
    let mut max_connections = DEFAULT_MAX_CONNECTIONS;
    let mut per_uid = DEFAULT_MAX_CONNECTIONS_PER_UID;
    let mut per_pid = DEFAULT_MAX_CONNECTIONS_PER_PID;
    let mut idle = Some(DEFAULT_IDLE_TIMEOUT);
    let mut heartbeat = Some(crate::ras::DEFAULT_HEARTBEAT_PERIOD);
    let mut it = args.iter().skip(1);
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            match inline.clone().or_else(|| it.next().cloned()) {
                Some(v) if !v.is_empty() => Ok(v),
                _ => Err(format!("{name} needs {what}")),
            }
        };
        match name {
            "-h" | "--help" => return Ok(Parsed::Help),
            "-f" | "--foreground" => foreground = true,
            "--run-dir" => run_dir = Some(PathBuf::from(value("a directory")?)),
            "--config" | "--managed-file" => {
                if config.is_some() {
                    return Err(
                        "give one configuration: --config DIR or --managed-file FILE, not both"
                            .into(),
                    );
                }
                config = Some(if name == "--config" {
                    ConfigSource::Dir(PathBuf::from(value("a directory")?))
                } else {
                    ConfigSource::ManagedFile(PathBuf::from(value("a file")?))
                });
            }
            "--engines" => {
                let v = value("a number")?;
                match v.parse::<usize>() {
                    Ok(n) if (1..=1024).contains(&n) => engines = Some(n),
                    _ => {
                        return Err(format!(
                            "--engines {v}: give a number of engine threads from 1 to 1024"
                        ))
                    }
                }
            }
            "--max-client-memory" => {
                let v = value("a size")?;
                match parse_size(&v) {
                    Some(n) if n > 0 => max_memory = n,
                    _ => {
                        return Err(format!(
                            "--max-client-memory {v}: give a size such as 4G, 512M or 1048576"
                        ))
                    }
                }
            }
            "--max-connections" | "--max-connections-per-uid" | "--max-connections-per-pid" => {
                let v = value("a number")?;
                let n = v.trim().parse::<usize>().map_err(|_| {
                    format!("{name} {v}: give a number of connections (0: no limit)")
                })?;
                match name {
                    "--max-connections" => max_connections = n,
                    "--max-connections-per-uid" => per_uid = n,
                    _ => per_pid = n,
                }
            }
            "--idle-timeout" => {
                let v = value("a number of seconds")?;
                match v.trim().parse::<f64>() {
                    Ok(0.0) => idle = None,
                    Ok(t) if t.is_finite() && t > 0.0 && t <= 1e9 => {
                        idle = Some(std::time::Duration::from_secs_f64(t))
                    }
                    _ => {
                        return Err(format!(
                            "--idle-timeout {v}: give seconds, such as 60 or 0.5 (0: never)"
                        ))
                    }
                }
            }
            "--heartbeat-period" => {
                let v = value("a number of milliseconds")?;
                let ms = v.trim().parse::<u64>().map_err(|_| {
                    format!(
                        "--heartbeat-period {v}: give milliseconds, such as 1000 (at least {}; 0: \
                         no heartbeat monitor)",
                        crate::ras::MIN_HEARTBEAT_PERIOD.as_millis()
                    )
                })?;
                heartbeat = (ms > 0).then(|| std::time::Duration::from_millis(ms));
                crate::ras::check_period(heartbeat)
                    .map_err(|e| format!("--heartbeat-period {v}: {e}"))?;
            }
            other => {
                return Err(if other.starts_with('-') {
                    format!("unknown option {other}")
                } else {
                    format!("unexpected argument {other}")
                })
            }
        }
    }
    Ok(Parsed::Run(Box::new(Args {
        foreground,
        options: DaemonOptions {
            run_dir: run_dir.unwrap_or_else(proto::run_dir),
            config: config.unwrap_or(ConfigSource::Auto),
            engine_threads: engines,
            max_client_memory: max_memory,
            log: None,
            max_connections,
            max_connections_per_uid: per_uid,
            max_connections_per_pid: per_pid,
            idle_timeout: idle,
            heartbeat_period: heartbeat,
        },
    })))
}

fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "softqatd: {line}");
}

/// `softqatd`'s `main`: parses `args` (program name first), starts the
/// daemon, detaches unless `--foreground`, and runs until SIGTERM or SIGINT.
///
/// Must be called while the process has a single thread: it forks (without
/// `--foreground`) and blocks the stop signals before any thread starts.
/// Exit codes: 0 stopped cleanly (or `--help`, or detached), 1 could not
/// start, 2 usage error.
pub fn main_with_args(args: Vec<String>) -> ExitCode {
    let args = match parse(&args) {
        Ok(Parsed::Run(a)) => a,
        Ok(Parsed::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "softqatd: {e}\nrun softqatd --help for the options"
            );
            return ExitCode::from(2);
        }
    };
    if args.foreground {
        run(args.options, None)
    } else {
        detach(args.options)
    }
}

/// Forks; the parent waits for the child to report ready or an error.
fn detach(options: DaemonOptions) -> ExitCode {
    let (mut read_end, write_end) = match sys::pipe() {
        Ok(p) => p,
        Err(e) => {
            say(&format!(
                "cannot create a pipe to start in the background: {e}: retry, or use --foreground"
            ));
            return ExitCode::FAILURE;
        }
    };
    match sys::fork() {
        Err(e) => {
            say(&format!("cannot fork: {e}: retry, or use --foreground"));
            ExitCode::FAILURE
        }
        Ok(sys::Forked::Parent(pid)) => {
            drop(write_end);
            let mut report = String::new();
            let _ = read_end.read_to_string(&mut report);
            if let Some(line) = report.strip_prefix("ready ") {
                let _ = writeln!(
                    std::io::stdout(),
                    "softqatd: running in the background as pid {pid}: {}",
                    line.trim_end()
                );
                ExitCode::SUCCESS
            } else {
                let msg = report.strip_prefix("error ").unwrap_or(&report).trim_end();
                if msg.is_empty() {
                    say(&format!(
                        "the background process (pid {pid}) exited before it was ready: run \
                         softqatd --foreground to see why"
                    ));
                } else {
                    say(msg);
                }
                ExitCode::FAILURE
            }
        }
        Ok(sys::Forked::Child) => {
            drop(read_end);
            // Nothing is printed on stdout; a reader of it (a pipe) must not
            // wait for the daemon to end.
            let detached = sys::setsid()
                .and_then(|()| sys::dev_null(sys::Std::Input))
                .and_then(|()| sys::dev_null(sys::Std::Output));
            if let Err(e) = detached {
                let mut w = write_end;
                let _ = write!(w, "error cannot detach: {e}: use --foreground");
                return ExitCode::FAILURE;
            }
            run(options, Some(write_end))
        }
    }
}

/// Runs the daemon in this process until a stop signal. `ready`, if given,
/// gets `ready <summary>` or `error <message>` and is then closed.
fn run(options: DaemonOptions, ready: Option<std::fs::File>) -> ExitCode {
    let report = |ready: Option<std::fs::File>, text: String| {
        if let Some(mut w) = ready {
            let _ = w.write_all(text.as_bytes());
        }
    };
    let signals = match sys::block_stop_signals() {
        Ok(s) => s,
        Err(e) => {
            let msg = format!("cannot block SIGTERM/SIGINT: {e}");
            if ready.is_some() {
                report(ready, format!("error {msg}"));
            } else {
                say(&msg);
            }
            return ExitCode::FAILURE;
        }
    };
    let daemon = match Daemon::start(options) {
        Ok(d) => d,
        Err(e) => {
            let msg = format!("cannot start: {e}");
            if ready.is_some() {
                report(ready, format!("error {msg}"));
            } else {
                say(&msg);
            }
            return ExitCode::FAILURE;
        }
    };
    if ready.is_some() {
        report(ready, format!("ready {}\n", daemon.socket_path().display()));
        // Detached: keep logging to a file or terminal, but never hold a
        // pipe or socket open that someone reads to its end.
        let stderr_is_stream = std::fs::metadata("/proc/self/fd/2")
            .map(|m| m.file_type().is_fifo() || m.file_type().is_socket())
            .unwrap_or(false);
        if stderr_is_stream {
            let _ = sys::dev_null(sys::Std::Error);
        }
    }
    match signals.wait() {
        Ok(sig) => say(&format!("{}: stopping", sys::signal_name(sig))),
        Err(e) => say(&format!("cannot wait for signals ({e}): stopping")),
    }
    daemon.shutdown();
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        std::iter::once("softqatd")
            .chain(list.iter().copied())
            .map(String::from)
            .collect()
    }

    fn run_args(list: &[&str]) -> Args {
        match parse(&args(list)) {
            Ok(Parsed::Run(a)) => *a,
            Ok(Parsed::Help) => panic!("help"),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn options_parse() {
        let a = run_args(&[
            "--foreground",
            "--run-dir",
            "/tmp/x",
            "--managed-file=/etc/sysconfig/qat",
            "--engines",
            "3",
            "--max-client-memory",
            "512M",
            "--max-connections=100",
            "--max-connections-per-uid",
            "10",
            "--max-connections-per-pid",
            "0",
            "--idle-timeout",
            "0.25",
        ]);
        assert!(a.foreground);
        assert_eq!(a.options.run_dir, PathBuf::from("/tmp/x"));
        assert_eq!(
            a.options.config,
            ConfigSource::ManagedFile("/etc/sysconfig/qat".into())
        );
        assert_eq!(a.options.engine_threads, Some(3));
        assert_eq!(a.options.max_client_memory, 512 << 20);
        assert_eq!(
            (
                a.options.max_connections,
                a.options.max_connections_per_uid,
                a.options.max_connections_per_pid,
                a.options.idle_timeout
            ),
            (100, 10, 0, Some(std::time::Duration::from_millis(250)))
        );
        assert_eq!(
            run_args(&["--idle-timeout", "0"]).options.idle_timeout,
            None
        );
        assert_eq!(
            run_args(&["--heartbeat-period", "0"])
                .options
                .heartbeat_period,
            None
        );
        assert_eq!(
            run_args(&["--heartbeat-period=250"])
                .options
                .heartbeat_period,
            Some(std::time::Duration::from_millis(250))
        );
        let d = run_args(&["--config", "/etc/softqat"]);
        assert!(!d.foreground);
        assert_eq!(d.options.config, ConfigSource::Dir("/etc/softqat".into()));
        assert_eq!(d.options.max_client_memory, DEFAULT_MAX_CLIENT_MEMORY);
        assert!(matches!(parse(&args(&["-h"])), Ok(Parsed::Help)));
    }

    #[test]
    fn usage_errors_say_what_to_do() {
        for (list, want) in [
            (&["--config", "a", "--managed-file", "b"][..], "not both"),
            (&["--engines", "0"][..], "from 1 to 1024"),
            (&["--engines"][..], "needs a number"),
            (&["--run-dir"][..], "needs a directory"),
            (&["--bogus"][..], "unknown option --bogus"),
            (&["stray"][..], "unexpected argument stray"),
            (&["--max-client-memory", "lots"][..], "such as 4G"),
            (
                &["--max-connections", "-1"][..],
                "give a number of connections",
            ),
            (&["--max-connections-per-uid", "many"][..], "give a number"),
            (&["--idle-timeout", "soon"][..], "give seconds"),
            (&["--idle-timeout", "-3"][..], "give seconds"),
            (&["--idle-timeout", "NaN"][..], "give seconds"),
            (&["--heartbeat-period", "100"][..], "minimum of 200 ms"),
            (&["--heartbeat-period", "soon"][..], "give milliseconds"),
        ] {
            let err = match parse(&args(list)) {
                Err(e) => e,
                Ok(_) => panic!("{list:?} parsed"),
            };
            assert!(err.contains(want), "{list:?}: {err}");
        }
        assert_eq!(parse_size("4G"), Some(4 << 30));
        assert_eq!(parse_size("10k"), Some(10 << 10));
        assert_eq!(parse_size("99999999999999999999G"), None);
    }
}
