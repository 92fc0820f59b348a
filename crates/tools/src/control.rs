//! Live endpoint control through `softqatd`: `softqat up|down|restart|reset`,
//! and the names operators already type — `adf_ctl` (Programmer's Guide
//! §3.3) and `qat_service` (§3.6). The `softqat` binary answers to those
//! names when installed (or linked) as `adf_ctl` or `qat_service`.
//!
//! Control needs the daemon: embedded endpoints live inside each process, so
//! there is nothing outside it to bring up or down.

use std::process::ExitCode;

use softqat_device::proto::{self, Verb};
use softqat_sal::managed::Control;

/// `qat_devN` → N; `all` → None.
pub fn parse_device(word: &str) -> Result<Option<u32>, String> {
    if word == "all" {
        return Ok(None);
    }
    word.strip_prefix("qat_dev")
        .and_then(|n| n.parse::<u32>().ok())
        .map(Some)
        .ok_or_else(|| {
            format!(
                "unknown device '{word}': name one as qat_dev<N> (softqat status lists them), or all"
            )
        })
}

fn connect() -> Result<Control, String> {
    Control::connect(&proto::run_dir()).map_err(|e| {
        format!(
            "{}\n(endpoint control acts on the endpoints softqatd hosts; embedded endpoints live \
             inside each application)",
            e.message
        )
    })
}

/// Runs `verb` on `device` (None: all) and prints the daemon's answer.
pub fn run_verb(verb: Verb, device: Option<u32>) -> Result<ExitCode, String> {
    let answer = connect()?
        .control(verb, device)
        .map_err(|e| e.message.into_owned())?;
    for line in answer.lines() {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the endpoints' status lines (the daemon's if one runs, else the
/// configuration's as this process would build them).
pub fn print_status(header: bool) -> Result<ExitCode, String> {
    let lines = softqat_sal::runtime::endpoint_status(&softqat_sal::StartOptions::default())
        .map_err(|e| e.to_string())?;
    if header {
        println!(
            "There is {} QAT acceleration device(s) in the system:",
            lines.len()
        );
    }
    for l in lines {
        println!(" {l}");
    }
    Ok(ExitCode::SUCCESS)
}

const ADF_CTL_USAGE: &str = "usage: adf_ctl [qat_devN] [up|down|restart|reset] - to bring up, down, restart or reset device(s)\n   or: adf_ctl status - to print device(s) status";

/// `adf_ctl [dev] [up|down|restart|reset]` / `adf_ctl status`.
pub fn adf_ctl(args: &[String]) -> ExitCode {
    let result = match args {
        [s] if s == "status" => {
            println!("Checking status of all devices.");
            print_status(true)
        }
        [v] => match Verb::parse(v) {
            Some(verb) => {
                println!("{} all devices.", progressive(verb));
                run_verb(verb, None)
            }
            None => Err(format!("unknown command '{v}'\n{ADF_CTL_USAGE}")),
        },
        [dev, v] => match (parse_device(dev), Verb::parse(v)) {
            (Ok(d), Some(verb)) => {
                match d {
                    Some(n) => println!("{} device qat_dev{n}", progressive(verb)),
                    None => println!("{} all devices.", progressive(verb)),
                }
                run_verb(verb, d)
            }
            (Err(e), _) => Err(format!("{e}\n{ADF_CTL_USAGE}")),
            (_, None) => Err(format!("unknown command '{v}'\n{ADF_CTL_USAGE}")),
        },
        _ => Err(ADF_CTL_USAGE.to_string()),
    };
    finish("adf_ctl", result)
}

fn progressive(verb: Verb) -> &'static str {
    match verb {
        Verb::Up => "Starting",
        Verb::Down => "Stopping",
        Verb::Restart => "Restarting",
        Verb::Reset => "Resetting",
    }
}

const QAT_SERVICE_USAGE: &str =
    "usage: qat_service start||stop||status||restart||shutdown [qat_devN]";

/// `qat_service start|stop|status|restart|shutdown [qat_devN]`.
pub fn qat_service(args: &[String]) -> ExitCode {
    let (cmd, dev) = match args {
        [c] => (c.as_str(), None),
        [c, d] => (c.as_str(), Some(d.as_str())),
        _ => return finish("qat_service", Err(QAT_SERVICE_USAGE.to_string())),
    };
    let device = match dev.map(parse_device).transpose() {
        Ok(d) => d.flatten(),
        Err(e) => return finish("qat_service", Err(format!("{e}\n{QAT_SERVICE_USAGE}"))),
    };
    let result = match cmd {
        "status" => print_status(false),
        "start" => run_verb(Verb::Up, device),
        "stop" => run_verb(Verb::Down, device),
        "restart" => run_verb(Verb::Restart, device),
        // The daemon stays; every endpoint goes down (there are no kernel
        // modules to unload).
        "shutdown" if device.is_none() => run_verb(Verb::Down, None),
        "shutdown" => Err(format!(
            "shutdown acts on all endpoints; to stop one, use: qat_service stop {}",
            dev.unwrap_or_default()
        )),
        other => Err(format!("unknown command '{other}'\n{QAT_SERVICE_USAGE}")),
    };
    finish("qat_service", result)
}

fn finish(name: &str, result: Result<ExitCode, String>) -> ExitCode {
    match result {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{name}: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_names() {
        assert_eq!(parse_device("qat_dev0").unwrap(), Some(0));
        assert_eq!(parse_device("qat_dev12").unwrap(), Some(12));
        assert_eq!(parse_device("all").unwrap(), None);
        for bad in ["qat_dev", "dev0", "qat_dev-1", "qat_devx", ""] {
            let e = parse_device(bad).unwrap_err();
            assert!(e.contains("qat_dev<N>"), "{e}");
        }
    }
}
