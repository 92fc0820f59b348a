//! The daemon's RAS side: the heartbeat monitor and the on-disk copies of
//! the endpoints' debug files.
//!
//! One thread, `softqatd-ras`, checks every endpoint that is up every
//! `--heartbeat-period` (a failure runs the endpoint's fatal-error path:
//! FATAL_ERROR to its clients, dummy responses, and the automatic reset its
//! `AutoResetOnError` asks for) and then refreshes
//! `<run_dir>/debug/qat_<class>_<bdf>/<file>` for every readable debug file,
//! as the kernel names the directory under `/sys/kernel/debug`. With the
//! monitor off (`--heartbeat-period 0`) the thread only refreshes the files,
//! every [`debugfs::REFRESH`].
//!
//! A read of `heartbeat` or `heartbeat/status` performs a check and a read
//! of `heartbeat_sim_fail` arms a failure, so those files are never
//! refreshed by reading them: `heartbeat/status` holds the result of the
//! daemon's last counted check (the monitor's, or one a client asked for;
//! 0 alive, -1 not), and is absent until there was one. The out-of-tree
//! driver's `heartbeat` file cannot sit beside the in-tree driver's
//! `heartbeat/` directory in one file system (the two drivers never have
//! both), so only the directory is kept; `heartbeat_failed` and
//! `heartbeat_sent` are. `heartbeat_sim_fail` is not copied at all — a file
//! there would suggest that reading it does something — nor are the
//! write-only files. Every file is written to a temporary name and renamed,
//! so a reader never sees half a file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use softqat_device::debugfs::{self, Access};
use softqat_device::{DeviceState, HeartbeatStatus};

use crate::shared::Shared;

/// The shortest `--heartbeat-period` accepted (the driver's minimum).
pub const MIN_HEARTBEAT_PERIOD: Duration =
    Duration::from_millis(softqat_device::ras::HEARTBEAT_MIN_PERIOD_MS as u64);

/// Default of [`crate::DaemonOptions::heartbeat_period`].
pub const DEFAULT_HEARTBEAT_PERIOD: Duration = Duration::from_millis(1000);

/// The directory under the run directory that holds the copies.
pub const DEBUG_DIR: &str = "debug";

/// Checks a `--heartbeat-period`: `None` (off) or at least
/// [`MIN_HEARTBEAT_PERIOD`].
pub(crate) fn check_period(period: Option<Duration>) -> Result<(), String> {
    match period {
        Some(p) if p < MIN_HEARTBEAT_PERIOD => Err(format!(
            "a heartbeat period of {} ms is below the minimum of {} ms: give at least {} ms, or \
             0 to turn the heartbeat monitor off",
            p.as_millis(),
            MIN_HEARTBEAT_PERIOD.as_millis(),
            MIN_HEARTBEAT_PERIOD.as_millis()
        )),
        _ => Ok(()),
    }
}

/// The kernel's debugfs directory name of an endpoint: `qat_<class>_<bdf>`.
pub(crate) fn endpoint_dir_name(class_name: &str, bdf: &str) -> String {
    format!("qat_{class_name}_{bdf}")
}

/// Debug files not copied to disk (see the module's text).
pub(crate) const ON_DISK_SKIPPED: &[&str] = &["heartbeat", "heartbeat_sim_fail"];

/// The running monitor.
pub(crate) struct Monitor {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
    dir: PathBuf,
}

impl Monitor {
    /// Starts the thread: heartbeat checks every `period` (`None`: none,
    /// only the files, every [`debugfs::REFRESH`]) and the copies under
    /// `run_dir/debug`.
    pub(crate) fn start(
        shared: Arc<Shared>,
        run_dir: &Path,
        period: Option<Duration>,
    ) -> std::io::Result<Monitor> {
        let dir = run_dir.join(DEBUG_DIR);
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let mut files = DebugFiles {
            dir: dir.clone(),
            written: HashMap::new(),
            complained: false,
        };
        // The files are there as soon as softqatd is ready, not one period
        // later.
        files.refresh(&shared);
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("softqatd-ras".into())
            .spawn(move || run(&shared, period, &flag, files))?;
        Ok(Monitor {
            stop,
            thread: Some(thread),
            dir,
        })
    }

    /// Stops the thread and removes the copies.
    pub(crate) fn stop(mut self) {
        {
            let (lock, cv) = &*self.stop;
            *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
            cv.notify_all();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Waits `d` unless stopped first; true if stopped.
fn wait(stop: &(Mutex<bool>, Condvar), d: Duration) -> bool {
    let (lock, cv) = stop;
    let deadline = std::time::Instant::now() + d;
    let mut stopped = lock.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if *stopped {
            return true;
        }
        let now = std::time::Instant::now();
        if now >= deadline {
            return false;
        }
        stopped = cv
            .wait_timeout(stopped, deadline - now)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}

fn run(
    shared: &Shared,
    period: Option<Duration>,
    stop: &(Mutex<bool>, Condvar),
    mut files: DebugFiles,
) {
    // A full period after the end of each round, never less: a check sooner
    // than the endpoint's own period would not be counted (too soon).
    let tick = period.unwrap_or(debugfs::REFRESH);
    while !wait(stop, tick) {
        if period.is_some() {
            for i in 0..shared.endpoints.len() {
                let ep = &shared.endpoints[i];
                if ep.state() != DeviceState::Up {
                    continue;
                }
                let status = shared.check_heartbeat(i, true);
                if status == HeartbeatStatus::Unresponsive {
                    let next = if ep.ras_policy().auto_reset {
                        "it resets by itself (AutoResetOnError)"
                    } else {
                        "it stays in error until reset (softqat reset qat_devN, or \
                         AutoResetOnError = 1 in its configuration)"
                    };
                    shared.log(format!(
                        "qat_dev{}: heartbeat failed: the engines did not answer for {} \
                         consecutive checks, or a failure was injected; FATAL_ERROR sent to its \
                         clients, {next}",
                        ep.info().id,
                        softqat_device::ras::HEARTBEAT_FAIL_THRESHOLD
                    ));
                }
            }
        }
        files.refresh(shared);
    }
}

/// The copies, with what was last written to each (a file is rewritten only
/// when its text changed).
struct DebugFiles {
    dir: PathBuf,
    written: HashMap<PathBuf, String>,
    /// A write failure was logged (once: the log must not fill up).
    complained: bool,
}

impl DebugFiles {
    fn refresh(&mut self, shared: &Shared) {
        for (i, ep) in shared.endpoints.iter().enumerate() {
            let info = ep.info();
            let base = self
                .dir
                .join(endpoint_dir_name(&info.class_name, &info.bdf));
            for (name, access) in debugfs::FILES {
                if *access == Access::Write || ON_DISK_SKIPPED.contains(name) {
                    continue;
                }
                let text = if debugfs::READ_HAS_EFFECT.contains(name) {
                    // The last counted check, or -1 while the endpoint is
                    // not up (as a check would read).
                    if ep.state() != DeviceState::Up {
                        Some("-1\n".to_string())
                    } else {
                        shared
                            .last_heartbeat(i)
                            .map(|s| format!("{}\n", s.file_value()))
                    }
                } else {
                    // A file the endpoint cannot give now (fw_counters of an
                    // endpoint that is down) is absent, as in the kernel.
                    debugfs::read(ep, name).ok()
                };
                let path = base.join(name);
                let result = match text {
                    Some(t) => self.put(&path, t),
                    None => self.remove(&path),
                };
                if let Err(e) = result {
                    if !self.complained {
                        self.complained = true;
                        shared.log(format!(
                            "cannot keep the debug files under {}: {e}: check the run \
                             directory's permissions and free space (logged once)",
                            self.dir.display()
                        ));
                    }
                }
            }
        }
    }

    /// Writes `text` to `path` through a temporary file and a rename.
    fn put(&mut self, path: &Path, text: String) -> std::io::Result<()> {
        if self.written.get(path) == Some(&text) && path.exists() {
            return Ok(());
        }
        let parent = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(parent)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = parent.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, text.as_bytes())?;
        std::fs::rename(&tmp, path)?;
        self.written.insert(path.to_path_buf(), text);
        Ok(())
    }

    fn remove(&mut self, path: &Path) -> std::io::Result<()> {
        self.written.remove(path);
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_below_the_minimum_are_refused_with_it_named() {
        assert!(check_period(None).is_ok());
        assert!(check_period(Some(Duration::from_millis(200))).is_ok());
        let e = check_period(Some(Duration::from_millis(199))).unwrap_err();
        assert!(
            e.contains("minimum of 200 ms") && e.contains("0 to turn"),
            "{e}"
        );
        assert_eq!(
            endpoint_dir_name("4xxx", "0000:6b:00.0"),
            "qat_4xxx_0000:6b:00.0"
        );
    }
}
