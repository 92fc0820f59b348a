//! `softqat status` (the `qat_service status` report of the Programmer's
//! Guide §3.6) and `softqat config check` (chapter 4 files and the
//! managed-mode file), and the configuration directory the commands use.

mod common;

use std::path::Path;

use common::*;

/// One endpoint line of `qat_service status`.
#[derive(Debug, PartialEq, Eq)]
struct StatusLine {
    dev: u32,
    type_name: String,
    inst_id: u32,
    bsf: String,
    accel: u32,
    engines: u32,
    state: String,
}

/// Digits at the start of `s`, and the rest.
fn number(s: &str) -> Option<(u32, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    Some((s[..end].parse().ok()?, &s[end..]))
}

/// Parses, strictly, a line of the form
/// `qat_dev0 - type: 4xxx, inst_id: 0, bsf: 0000:6b:00.0, #accel: 1 #engines: 9 state: up`
/// (one optional leading space, as qat_service indents it). The regular
/// expression it implements:
/// `^ ?qat_dev(\d+) - type: ([a-z0-9]+), inst_id: (\d+), bsf: ([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]), #accel: (\d+) #engines: (\d+) state: (up|down)$`
fn parse_status_line(line: &str) -> Option<StatusLine> {
    let s = line.strip_prefix(' ').unwrap_or(line);
    let (dev, s) = number(s.strip_prefix("qat_dev")?)?;
    let s = s.strip_prefix(" - type: ")?;
    let comma = s.find(',')?;
    let type_name = &s[..comma];
    if type_name.is_empty()
        || !type_name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        return None;
    }
    let (inst_id, s) = number(s[comma..].strip_prefix(", inst_id: ")?)?;
    let s = s.strip_prefix(", bsf: ")?;
    let bsf = s.get(..12)?;
    let shape = bsf.char_indices().all(|(i, c)| match i {
        4 | 7 => c == ':',
        10 => c == '.',
        11 => ('0'..='7').contains(&c),
        _ => c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
    });
    if !shape {
        return None;
    }
    let (accel, s) = number(s[12..].strip_prefix(", #accel: ")?)?;
    let (engines, s) = number(s.strip_prefix(" #engines: ")?)?;
    let state = s.strip_prefix(" state: ")?;
    if state != "up" && state != "down" {
        return None;
    }
    Some(StatusLine {
        dev,
        type_name: type_name.to_string(),
        inst_id,
        bsf: bsf.to_string(),
        accel,
        engines,
        state: state.to_string(),
    })
}

#[test]
fn the_status_line_parser_is_strict() {
    // The Guide's line, with today's bus:device.function spelling.
    assert!(parse_status_line(
        "qat_dev0 - type: 4xxx, inst_id: 0, bsf: 0000:6b:00.0, #accel: 1 #engines: 9 state: up"
    )
    .is_some());
    for bad in [
        "qat_dev0 - type: 4xxx, inst_id: 0, bsf: 06:00:0, #accel: 1 #engines: 9 state: up",
        "qat_dev0 - type: 4xxx, inst_id: 0, bsf: 0000:6b:00.0, #accel: 1 #engines: 9 state: up ",
        "qat_dev0 - type: 4xxx, inst_id: 0, bsf: 0000:6B:00.0, #accel: 1 #engines: 9 state: up",
        "qat_dev0 - type: 4xxx,  inst_id: 0, bsf: 0000:6b:00.0, #accel: 1 #engines: 9 state: up",
        "qat_dev0 - type: 4xxx, inst_id: 0, bsf: 0000:6b:00.0, #accel: 1, #engines: 9 state: up",
        "qat_dev - type: 4xxx, inst_id: 0, bsf: 0000:6b:00.0, #accel: 1 #engines: 9 state: up",
        "qat_dev0 - type: 4xxx, inst_id: 0, bsf: 0000:6b:00.0, #accel: 1 #engines: 9 state: busy",
    ] {
        assert!(parse_status_line(bad).is_none(), "accepted: {bad}");
    }
}

/// Runs `softqat status` with `SOFTQAT_CONFIG_DIR` = `dir` (None: built-in);
/// checks the header line and returns the endpoint lines, parsed.
fn status(dir: Option<&Path>) -> Vec<StatusLine> {
    let d = dir.map(|d| d.display().to_string());
    let out = softqat_env(&["status"], b"", &[("SOFTQAT_CONFIG_DIR", d.as_deref())]);
    let stdout = text(&expect_ok(out, "softqat status"));
    let mut lines = stdout.lines();
    let header = lines.next().unwrap_or_default();
    let parsed: Vec<StatusLine> = lines
        .map(|l| parse_status_line(l).unwrap_or_else(|| panic!("bad status line {l:?}")))
        .collect();
    assert_eq!(
        header,
        format!(
            "There is {} QAT acceleration device(s) in the system:",
            parsed.len()
        ),
        "status output:\n{stdout}"
    );
    parsed
}

#[test]
fn status_of_the_builtin_configuration_lists_two_4xxx_endpoints() {
    let got = status(None);
    assert_eq!(
        got[0],
        StatusLine {
            dev: 0,
            type_name: "4xxx".into(),
            inst_id: 0,
            bsf: "0000:6b:00.0".into(),
            accel: 1,
            engines: 9,
            state: "up".into(),
        }
    );
    assert_eq!(got.len(), 2, "{got:?}");
    let d1 = &got[1];
    assert_eq!(
        (
            d1.dev,
            d1.type_name.as_str(),
            d1.inst_id,
            d1.accel,
            d1.engines
        ),
        (1, "4xxx", 1, 1, 9)
    );
    assert_eq!(d1.state, "up");
    assert_ne!(d1.bsf, got[0].bsf, "two endpoints at one address");
}

#[test]
fn status_follows_softqat_config_dir() {
    let t = TempDir::new("status-c6xx");
    std::fs::copy(
        config_examples().join("c6xx_dev0.conf"),
        t.path().join("c6xx_dev0.conf"),
    )
    .expect("copy c6xx_dev0.conf");
    let got = status(Some(t.path()));
    assert_eq!(got.len(), 1, "{got:?}");
    // A c6xx PF: 5 accelerators, 10 engines, as in the Guide's example.
    assert_eq!(
        (got[0].dev, got[0].type_name.as_str(), got[0].inst_id),
        (0, "c6xx", 0)
    );
    assert_eq!((got[0].accel, got[0].engines), (5, 10));
    assert_eq!(got[0].state, "up");

    // The Guide §4.5 pair: two c6xx endpoints, numbered by their files.
    let got = status(Some(&config_examples().join("guide_4_5")));
    let summary: Vec<(u32, &str, u32)> = got
        .iter()
        .map(|l| (l.dev, l.type_name.as_str(), l.inst_id))
        .collect();
    assert_eq!(summary, [(0, "c6xx", 0), (1, "c6xx", 1)]);

    // A 4xxx file: its type, in the same format.
    let t4 = TempDir::new("status-4xxx");
    std::fs::copy(
        config_examples().join("4xxx_dev0.conf"),
        t4.path().join("4xxx_dev0.conf"),
    )
    .unwrap();
    let got = status(Some(t4.path()));
    assert_eq!((got.len(), got[0].type_name.as_str()), (1, "4xxx"));
}

#[test]
fn status_with_a_missing_or_empty_config_dir_fails_with_a_message() {
    let t = TempDir::new("status-empty");
    let empty = t.path().display().to_string();
    let missing = t.path().join("nope").display().to_string();
    for (dir, needle) in [
        (&empty, "no endpoint configuration file"),
        (&missing, "cannot read the directory"),
    ] {
        let out = softqat_env(&["status"], b"", &[("SOFTQAT_CONFIG_DIR", Some(dir))]);
        let err = expect_failure(&out, dir);
        assert!(err.contains(dir.as_str()), "directory not named: {err}");
        assert!(err.contains(needle), "{err}");
    }
    // A broken file in the directory: the error carries file:line.
    let bad = TempDir::new("status-bad");
    std::fs::copy(
        data_dir().join("config/bad/c6xx_dev0.conf"),
        bad.path().join("c6xx_dev0.conf"),
    )
    .unwrap();
    let out = softqat_env(
        &["status"],
        b"",
        &[(
            "SOFTQAT_CONFIG_DIR",
            Some(&bad.path().display().to_string()),
        )],
    );
    let err = expect_failure(&out, "broken configuration");
    assert!(
        err.contains("c6xx_dev0.conf:6: DcNumConcurrentRequests"),
        "{err}"
    );
}

#[test]
fn compression_uses_the_configured_endpoints() {
    let data = text_bytes(100_000, 51);
    // c6xx_dev0.conf gives [SSL] two compression instances.
    let t = TempDir::new("cfg-dc");
    std::fs::copy(
        config_examples().join("c6xx_dev0.conf"),
        t.path().join("c6xx_dev0.conf"),
    )
    .unwrap();
    let dir = t.path().display().to_string();
    let env = [("SOFTQAT_CONFIG_DIR", Some(dir.as_str()))];
    let gz = expect_ok(softqat_env(&["compress"], &data, &env), "c6xx compress");
    let back = expect_ok(softqat_env(&["decompress"], &gz, &env), "c6xx decompress");
    assert_same(&back, &data, "through a c6xx endpoint");
    // 4xxx_dev0.conf is sym;asym only: no compression instance.
    let t4 = TempDir::new("cfg-nodc");
    std::fs::copy(
        config_examples().join("4xxx_dev0.conf"),
        t4.path().join("4xxx_dev0.conf"),
    )
    .unwrap();
    let dir4 = t4.path().display().to_string();
    let out = softqat_env(
        &["compress"],
        &data,
        &[("SOFTQAT_CONFIG_DIR", Some(dir4.as_str()))],
    );
    let err = expect_failure(&out, "compress without dc");
    assert!(err.contains("no compression instance"), "{err}");
    assert!(out.stdout.is_empty());
}

fn check(files: &[&Path]) -> (i32, String) {
    let args: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let mut argv = vec!["config", "check"];
    argv.extend(args.iter().map(String::as_str));
    let out = softqat(&argv, b"");
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout) + &text(&out.stderr),
    )
}

#[test]
fn config_check_accepts_the_example_files() {
    for name in ["c6xx_dev0.conf", "4xxx_dev0.conf"] {
        let f = config_examples().join(name);
        let (code, out) = check(&[&f]);
        assert_eq!(code, 0, "{name}:\n{out}");
        let want = format!("{}: OK: qat_dev0 {}", f.display(), &name[..4]);
        assert!(out.lines().any(|l| l.starts_with(&want)), "{name}:\n{out}");
    }
    // Two files of one system, checked together.
    let dir = config_examples().join("guide_4_5");
    let (code, out) = check(&[&dir.join("c6xx_dev0.conf"), &dir.join("c6xx_dev1.conf")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("c6xx_dev0.conf: OK: qat_dev0 c6xx"), "{out}");
    assert!(out.contains("c6xx_dev1.conf: OK: qat_dev1 c6xx"), "{out}");
    // Warnings are marked as such and do not fail the check.
    assert!(
        out.lines()
            .filter(|l| l.contains("no [GENERAL] section"))
            .all(|l| l.ends_with("(warning)")),
        "{out}"
    );
}

#[test]
fn config_check_reports_every_error_with_file_and_line() {
    let f = data_dir().join("config/bad/c6xx_dev0.conf");
    let (code, out) = check(&[&f]);
    assert_eq!(code, 1, "{out}");
    let p = f.display();
    let want = [
        format!("{p}:6: DcNumConcurrentRequests = 100 is not allowed: use one of 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536"),
        format!("{p}:7: AutoResetOnError = yes is not allowed: use 0 or 1"),
        format!("{p}:15: Cy0IsPolled = 7 is not allowed: use 1 (polled) or 2 (epoll)"),
    ];
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(got, want, "{out}");
    assert!(!out.contains("OK"), "{out}");

    // Two files claiming the same endpoint number.
    let (code, out) = check(&[
        &config_examples().join("c6xx_dev0.conf"),
        &config_examples().join("4xxx_dev0.conf"),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("also configures qat_dev0"), "{out}");

    // A file that cannot be read.
    let missing = data_dir().join("config/no_such_dev0.conf");
    let (code, out) = check(&[&missing]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("{}: cannot read", missing.display())),
        "{out}"
    );
}

#[test]
fn config_check_of_managed_mode_files() {
    let ok = data_dir().join("config/managed-ok/qat");
    let (code, out) = check(&[&ok]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.trim_end(),
        format!(
            "{}: OK: managed mode, POLICY=2, ServicesEnabled=asym;dc",
            ok.display()
        )
    );

    let decomp = data_dir().join("config/managed-decomp/qat");
    let (code, out) = check(&[&decomp]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out.trim_end(),
        format!(
            "{}:3: ServicesEnabled=decomp is not allowed: decomp is not available on gen4 devices such as 4xxx: use dc",
            decomp.display()
        )
    );

    let errs = data_dir().join("config/managed-errors/qat");
    let (code, out) = check(&[&errs]);
    assert_eq!(code, 1, "{out}");
    let p = errs.display().to_string();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    for (line, start) in [
        (
            4,
            format!("{p}:4: unknown key POLLICY is ignored: did you mean POLICY?"),
        ),
        (2, format!("{p}:2: POLICY=-1 is not allowed")),
        (
            3,
            format!("{p}:3: ServicesEnabled=sym;asym;dc is not allowed"),
        ),
        (5, format!("{p}:5: cannot read \"junk\"")),
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(&start)),
            "line {line} not reported as {start:?}:\n{out}"
        );
    }
    assert!(out.contains("POLLICY is ignored: did you mean POLICY? (warning)"));

    // Several files: each is reported, one bad file fails the run.
    let (code, out) = check(&[&ok, &decomp]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("OK: managed mode") && out.contains("decomp is not available"));
}
