//! The debug files of an endpoint, with the kernel drivers' names and
//! formats (`/sys/kernel/debug/qat_<class>_<bdf>/`): the out-of-tree names
//! (`heartbeat`, `heartbeat_failed`, `heartbeat_sent`,
//! `heartbeat_sim_fail`), the in-tree ones (`heartbeat/…`, `qat_ras/…`),
//! `fw_counters`, `cnv_errors`, `dev_cfg` and `version`.
//!
//! As in the kernel, reading a heartbeat status file performs a heartbeat
//! check, and reading `heartbeat_sim_fail` simulates a heartbeat failure.
//! `softqat debug` reads and writes them; `softqatd` also keeps copies under
//! its run directory.

use std::fmt::Write;
use std::time::Duration;

use crate::endpoint::Endpoint;
use crate::error::DeviceError;
use crate::ras::Fault;

/// What a debug file allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Read only.
    Read,
    /// Write only.
    Write,
    /// Read and write.
    ReadWrite,
}

/// Every debug file, with what it allows.
pub const FILES: &[(&str, Access)] = &[
    ("heartbeat", Access::Read),
    ("heartbeat_failed", Access::Read),
    ("heartbeat_sent", Access::Read),
    ("heartbeat_sim_fail", Access::Read),
    ("heartbeat/status", Access::Read),
    ("heartbeat/queries_sent", Access::Read),
    ("heartbeat/queries_failed", Access::Read),
    ("heartbeat/config", Access::ReadWrite),
    ("heartbeat/inject_error", Access::Write),
    ("fw_counters", Access::Read),
    ("cnv_errors", Access::Read),
    ("dev_cfg", Access::Read),
    ("version", Access::Read),
    ("qat_ras/errors_correctable", Access::Read),
    ("qat_ras/errors_nonfatal", Access::Read),
    ("qat_ras/errors_fatal", Access::Read),
    ("qat_ras/reset_error_counters", Access::Write),
];

/// Files whose read has an effect (a heartbeat check, a simulated failure):
/// copies kept on disk must not be refreshed by reading them.
pub const READ_HAS_EFFECT: &[&str] = &["heartbeat", "heartbeat/status", "heartbeat_sim_fail"];

/// The firmware version the `version` file and `icp_sal_getDevVersionInfo`
/// report.
pub const FIRMWARE_VERSION: &str = "softqat";

/// A debug file that cannot be read or written as asked.
#[derive(Debug, thiserror::Error)]
pub enum DebugFsError {
    /// No such file.
    #[error("no debug file '{0}': one of {list}", list = names())]
    NoSuchFile(String),
    /// Read of a write-only file or write of a read-only one (`-EPERM`).
    #[error("debug file '{file}' cannot be {verb}")]
    Permission {
        /// The file.
        file: String,
        /// "read" or "written".
        verb: &'static str,
    },
    /// A value the file does not take (`-EINVAL`).
    #[error("debug file '{file}': {why}")]
    Invalid {
        /// The file.
        file: String,
        /// Why, and what it takes.
        why: String,
    },
    /// The endpoint refused (not up, …).
    #[error(transparent)]
    Device(#[from] DeviceError),
}

/// The names of every debug file, comma-separated.
pub fn names() -> String {
    FILES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

fn access(file: &str) -> Result<Access, DebugFsError> {
    FILES
        .iter()
        .find(|(n, _)| *n == file)
        .map(|(_, a)| *a)
        .ok_or_else(|| DebugFsError::NoSuchFile(file.to_string()))
}

/// Reads debug file `file` of `ep`, as `cat` would.
pub fn read(ep: &Endpoint, file: &str) -> Result<String, DebugFsError> {
    if access(file)? == Access::Write {
        return Err(DebugFsError::Permission {
            file: file.to_string(),
            verb: "read",
        });
    }
    let hb = || ep.heartbeat_stats();
    let ras = || ep.ras_errors();
    Ok(match file {
        "heartbeat" | "heartbeat/status" => format!("{}\n", ep.check_heartbeat().file_value()),
        "heartbeat_failed" | "heartbeat/queries_failed" => format!("{}\n", hb().queries_failed),
        "heartbeat_sent" | "heartbeat/queries_sent" => format!("{}\n", hb().queries_sent),
        "heartbeat_sim_fail" => {
            // The out-of-tree driver: reading the file arms the failure,
            // the next heartbeat check fails.
            ep.inject(Fault::HeartbeatFailure)?;
            "1\n".to_string()
        }
        "heartbeat/config" => format!("{}\n", ep.ras_policy().heartbeat_period.as_millis()),
        "fw_counters" => fw_counters(ep)?,
        "cnv_errors" => cnv_errors(ep),
        "dev_cfg" => ep.dev_cfg(),
        "version" => format!(
            "Firmware version: {FIRMWARE_VERSION} {v}\nMMP version: {FIRMWARE_VERSION} {v}\n\
             Driver version: {v}\n",
            v = env!("CARGO_PKG_VERSION")
        ),
        "qat_ras/errors_correctable" => format!("{}\n", ras().correctable),
        "qat_ras/errors_nonfatal" => format!("{}\n", ras().nonfatal),
        "qat_ras/errors_fatal" => format!("{}\n", ras().fatal),
        other => return Err(DebugFsError::NoSuchFile(other.to_string())),
    })
}

/// Writes `value` to debug file `file` of `ep`, as `echo value > file`.
pub fn write(ep: &Endpoint, file: &str, value: &str) -> Result<(), DebugFsError> {
    if access(file)? == Access::Read {
        return Err(DebugFsError::Permission {
            file: file.to_string(),
            verb: "written",
        });
    }
    let invalid = |why: String| DebugFsError::Invalid {
        file: file.to_string(),
        why,
    };
    let value = value.trim();
    match file {
        "heartbeat/config" => {
            let ms: u32 = value
                .parse()
                .map_err(|_| invalid(format!("'{value}' is not a period in ms")))?;
            let mut policy = ep.ras_policy();
            policy.heartbeat_period = policy.period_for_write(ms).map_err(invalid)?;
            ep.set_ras_policy(policy);
        }
        "heartbeat/inject_error" => match value {
            "1" => ep.inject(Fault::EngineHang)?,
            _ => {
                return Err(invalid(format!(
                    "'{value}' given: write 1 to hang an engine"
                )))
            }
        },
        "qat_ras/reset_error_counters" => match value {
            "1" | "0" | "" => ep.reset_ras_errors(),
            _ => {
                return Err(invalid(format!(
                    "'{value}' given: write 1 to zero the counters"
                )))
            }
        },
        other => return Err(DebugFsError::NoSuchFile(other.to_string())),
    }
    Ok(())
}

/// `fw_counters`: a header, then one row per engine. Like the kernel, the
/// file is not there (`-EFAULT`) while the endpoint is not started.
fn fw_counters(ep: &Endpoint) -> Result<String, DebugFsError> {
    if ep.state() == crate::DeviceState::Down {
        return Err(DeviceError::NotUp {
            endpoint: ep.info().id,
            state: ep.state(),
        }
        .into());
    }
    let mut out = format!("AE {:>16}{:>16}\n", "Requests", "Responses");
    for (ae, (req, resp)) in ep.fw_counters().iter().enumerate() {
        let _ = writeln!(out, "{ae:2}:{req:16}{resp:16}");
    }
    Ok(out)
}

/// `cnv_errors`: per engine, the compress-and-verify errors and the type of
/// the last one.
fn cnv_errors(ep: &Endpoint) -> String {
    let mut out = format!("AE {:>16}  {}\n", "CnV errors", "Last error");
    for (ae, (count, last)) in ep.cnv_errors().iter().enumerate() {
        let last = i8::try_from(*last)
            .ok()
            .filter(|c| *c != 0)
            .and_then(|c| softqat_cpa::dc::DcStatus::from_code(i32::from(c)))
            .map_or("none", |s| s.name());
        let _ = writeln!(out, "{ae:2}:{count:16}  {last}");
    }
    out
}

/// How often `softqatd` refreshes its on-disk copies of the files.
pub const REFRESH: Duration = Duration::from_millis(500);
