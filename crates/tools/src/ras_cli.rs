//! `softqat debug`, `softqat inject` and `softqat check`: the debug files,
//! fault injection and heartbeat checks of the endpoints.
//!
//! With softqatd running they act on its endpoints (every client of the
//! daemon sees the effect). Without it they build the configuration's
//! endpoints inside this command, as an application in embedded mode would:
//! those live only while the command runs, so an injection there shows
//! what it does (the command prints it) and is gone afterwards; reads and
//! checks still show the files' formats.

use std::process::ExitCode;
use std::sync::Arc;

use softqat_device::debugfs::{self, Access};
use softqat_device::plan::{self, ConfigSource};
use softqat_device::proto;
use softqat_device::{Endpoint, EndpointOptions, Fault, HeartbeatStatus};
use softqat_sal::managed::Control;

/// Where the endpoints are.
enum Target {
    Daemon(Control),
    Embedded(Vec<Arc<Endpoint>>),
}

/// softqatd's endpoints if it runs, else this process's own.
fn target() -> Result<Target, String> {
    if let Ok(c) = Control::connect(&proto::run_dir()) {
        return Ok(Target::Daemon(c));
    }
    let source = ConfigSource::Auto.resolved();
    let config = plan::load(&source).map_err(|e| e.0)?;
    let mut endpoints = Vec::new();
    for p in plan::endpoints(&config) {
        let ep = Endpoint::new(
            p.info.clone(),
            p.geometry,
            EndpointOptions {
                engine_threads: 1,
                ras: p.ras,
            },
        )
        .map_err(|e| e.to_string())?;
        ep.set_dev_cfg(p.dev_cfg.clone());
        ep.up().map_err(|e| e.to_string())?;
        endpoints.push(ep);
    }
    Ok(Target::Embedded(endpoints))
}

fn embedded(endpoints: &[Arc<Endpoint>], id: u32) -> Result<&Endpoint, String> {
    endpoints
        .iter()
        .find(|e| e.info().id == id)
        .map(|e| &**e)
        .ok_or_else(|| {
            let names: Vec<String> = endpoints
                .iter()
                .map(|e| format!("qat_dev{}", e.info().id))
                .collect();
            format!(
                "there is no endpoint qat_dev{id}: the endpoints are {}",
                names.join(", ")
            )
        })
}

fn device(word: &str) -> Result<u32, String> {
    crate::control::parse_device(word)?.ok_or_else(|| {
        format!("'{word}': name one endpoint as qat_dev<N> (softqat status lists them)")
    })
}

const NOTE_EMBEDDED: &str = "softqat: softqatd is not running: this acted on endpoints built \
    inside this command, which end with it";

/// `softqat debug qat_devN [FILE [VALUE]]`.
pub fn debug(dev: &str, file: Option<&str>, value: Option<&str>) -> Result<ExitCode, String> {
    let id = device(dev)?;
    let Some(file) = file else {
        println!("{:<30} access", "file");
        for (name, access) in debugfs::FILES {
            let a = match access {
                Access::Read => "read",
                Access::Write => "write",
                Access::ReadWrite => "read, write",
            };
            let note = if debugfs::READ_HAS_EFFECT.contains(name) {
                " (a read performs a heartbeat check or arms a failure)"
            } else {
                ""
            };
            println!("{name:<30} {a}{note}");
        }
        return Ok(ExitCode::SUCCESS);
    };
    match (target()?, value) {
        (Target::Daemon(c), None) => {
            print!(
                "{}",
                c.debug_read(id, file).map_err(|e| e.message.into_owned())?
            );
        }
        (Target::Daemon(c), Some(v)) => {
            println!(
                "{}",
                c.debug_write(id, file, v)
                    .map_err(|e| e.message.into_owned())?
            );
        }
        (Target::Embedded(eps), None) => {
            let ep = embedded(&eps, id)?;
            print!("{}", debugfs::read(ep, file).map_err(|e| e.to_string())?);
        }
        (Target::Embedded(eps), Some(v)) => {
            let ep = embedded(&eps, id)?;
            debugfs::write(ep, file, v).map_err(|e| e.to_string())?;
            println!("qat_dev{id}: {file} written");
            eprintln!("{NOTE_EMBEDDED}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `softqat inject qat_devN FAULT [ARG]`.
pub fn inject(dev: &str, fault: &str, arg: Option<&str>) -> Result<ExitCode, String> {
    let id = device(dev)?;
    let fault = Fault::parse(fault, arg)?;
    match target()? {
        Target::Daemon(c) => {
            println!(
                "{}",
                c.inject(id, fault).map_err(|e| e.message.into_owned())?
            );
        }
        Target::Embedded(eps) => {
            let ep = embedded(&eps, id)?;
            ep.inject(fault).map_err(|e| e.to_string())?;
            println!("qat_dev{id}: injected {fault}");
            eprintln!("{NOTE_EMBEDDED}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn word(s: HeartbeatStatus) -> &'static str {
    match s {
        HeartbeatStatus::Alive => "alive",
        HeartbeatStatus::Unresponsive => "unresponsive",
        HeartbeatStatus::TooSoon => "too soon",
        HeartbeatStatus::Resetting => "resetting",
    }
}

/// `softqat check [qat_devN|all]`: exit status 0 only if every endpoint
/// checked is alive.
pub fn check(dev: &str) -> Result<ExitCode, String> {
    let which = crate::control::parse_device(dev)?;
    let list: Vec<(u32, HeartbeatStatus)> = match target()? {
        Target::Daemon(c) => {
            let mut list = c.heartbeat(which).map_err(|e| e.message.into_owned())?;
            // softqatd's monitor checks too: a check that came right after
            // one of its own is not counted ("too soon"). Ask once more
            // after the endpoint's heartbeat period.
            for (id, s) in list.iter_mut() {
                if *s == HeartbeatStatus::TooSoon {
                    let period = c
                        .ras_policy(*id)
                        .map(|p| p.heartbeat_period)
                        .unwrap_or(std::time::Duration::from_millis(500));
                    std::thread::sleep(period);
                    if let Some((_, again)) = c
                        .heartbeat(Some(*id))
                        .map_err(|e| e.message.into_owned())?
                        .first()
                    {
                        *s = *again;
                    }
                }
            }
            list
        }
        Target::Embedded(eps) => {
            let chosen: Vec<&Endpoint> = match which {
                Some(id) => vec![embedded(&eps, id)?],
                None => eps.iter().map(|e| &**e).collect(),
            };
            chosen
                .into_iter()
                .map(|e| (e.info().id, e.check_heartbeat()))
                .collect()
        }
    };
    let mut all_alive = !list.is_empty();
    for (id, s) in &list {
        println!("qat_dev{id}: {}", word(*s));
        all_alive &= s.is_alive();
    }
    Ok(if all_alive {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
