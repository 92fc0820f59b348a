//! `softqat config check` on awkward files (issue 10, defect 8): bytes
//! that are not UTF-8, a file name with an unknown class, a 1 MB key, an
//! empty endpoint file, and a file that is not a configuration file.

mod common;

use std::path::Path;

use common::*;

fn example(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/tests/data");
    std::fs::read(p.join(name)).expect("config example")
}

fn check(files: &[&Path]) -> (i32, String) {
    let args: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let mut argv = vec!["config", "check"];
    argv.extend(args.iter().map(String::as_str));
    let out = softqat(&argv, b"");
    assert_no_panic(&out, &argv);
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout) + &text(&out.stderr),
    )
}

#[test]
fn bytes_that_are_not_utf8_are_fine_in_comments_and_errors_with_their_line_elsewhere() {
    let dir = TempDir::new("latin1");
    // A Latin-1 comment: the file is fine.
    let mut bytes = b"# r\xe9glages de l'\xe9quipe\n".to_vec();
    bytes.extend_from_slice(&example("4xxx_dev0.conf"));
    let f = dir.write("4xxx_dev0.conf", &bytes);
    let (code, out) = check(&[&f]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("OK: qat_dev0 4xxx"), "{out}");
    assert!(!out.contains("UTF-8"), "{out}");

    // In a value: an error at that line, and the rest still checked.
    let bytes = b"[GENERAL]\nServicesEnabled = dc\n[SSL]\nNumberDcInstances = 1\nNumProcesses = 1\nDc0Name = \"s\xe9\"\nDc0IsPolled = 9\n";
    let f = dir.write("4xxx_dev1.conf", bytes);
    let (code, out) = check(&[&f]);
    assert_eq!(code, 1, "{out}");
    let p = f.display();
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines.contains(&format!("{p}:6: byte 0xe9 at column 13 is not UTF-8 text: save the file as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8), or keep other encodings to comments").as_str()),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{p}:7: Dc0IsPolled = 9 is not allowed"))),
        "{out}"
    );
    assert!(!out.contains("stream did not contain valid UTF-8"), "{out}");

    // The managed-mode file likewise.
    let f = dir.write("qat", b"# \xe9t\xe9\nPOLICY=1\nServicesEnabled=d\xe9\n");
    let (code, out) = check(&[&f]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out.trim_end(),
        format!("{}:3: byte 0xe9 at column 18 is not UTF-8 text: save the file as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8), or keep other encodings to comments", f.display())
    );
}

#[test]
fn any_dev_n_conf_name_is_an_endpoint_file() {
    let dir = TempDir::new("class");
    // The file: an endpoint file of a class softqat does not know,
    // once read as a managed-mode file and reported line by line.
    let f = dir.write("9xxx_dev1.conf", &example("4xxx_dev0.conf"));
    let (code, out) = check(&[&f]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out.trim_end(),
        format!(
            "{}: 9xxx is not a device class softqat knows: endpoint files are named <class>_dev<N>.conf or <class>vf_dev<N>.conf with class one of dh895xcc, c3xxx, c6xx, 4xxx, 420xx, 6xxx (e.g. 4xxx_dev0.conf)",
            f.display()
        )
    );
    assert!(!out.contains("KEY=VALUE"), "{out}");
    // A leading zero, as the driver would never name it.
    let f = dir.write("4xxx_dev01.conf", &example("4xxx_dev0.conf"));
    let (code, out) = check(&[&f]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("without leading zeros: 4xxx_dev1.conf"),
        "{out}"
    );
}

#[test]
fn long_keys_and_values_are_shortened_in_messages() {
    let dir = TempDir::new("long");
    // The 1 MB key.
    let key = "K".repeat(1_000_000);
    let f = dir.write(
        "4xxx_dev0.conf",
        format!("[GENERAL]\nServicesEnabled = dc\n{key} = 1\n").as_bytes(),
    );
    let (code, out) = check(&[&f]);
    assert_eq!(code, 1, "{out:.400}");
    assert!(out.len() < 1000, "{} bytes of output", out.len());
    assert!(
        out.contains(&format!(
            "{}:3: the key \"{}…\" is 1000000 characters long",
            f.display(),
            &key[..60]
        )),
        "{out}"
    );
    // A long value, a long unknown key of the managed-mode file.
    let value = "v".repeat(1_000_000);
    let f = dir.write(
        "4xxx_dev1.conf",
        format!("[GENERAL]\nServicesEnabled = {value}\n").as_bytes(),
    );
    let (code, out) = check(&[&f]);
    assert_eq!(code, 1);
    assert!(out.len() < 1000, "{} bytes of output", out.len());
    let f = dir.write("qat", format!("{key}=1\n{key}=2\n").as_bytes());
    let (code, out) = check(&[&f]);
    assert_eq!(code, 1);
    assert!(out.len() < 1000, "{} bytes of output", out.len());
}

#[test]
fn an_empty_endpoint_file_is_an_error_saying_what_is_missing() {
    let dir = TempDir::new("empty");
    for content in [&b""[..], b"\n", b"# nothing yet\n\n"] {
        let f = dir.write("4xxx_dev0.conf", content);
        let (code, out) = check(&[&f]);
        assert_eq!(code, 1, "{out}");
        assert_eq!(
            out.trim_end(),
            format!("{}: the file configures nothing (it has no sections): an endpoint file needs [GENERAL] with ServicesEnabled, and a section for the processes that use the endpoint, e.g. [SSL] with NumProcesses, NumberCyInstances or NumberDcInstances and an instance name for each", f.display())
        );
        assert!(!out.contains("OK"), "{out}");
    }
}

#[test]
fn a_file_that_is_not_a_configuration_file_gets_few_messages() {
    let dir = TempDir::new("binary");
    // Text that is no configuration: one error per line, at most 50 shown.
    let junk: String = (0..500).map(|i| format!("junk line {i}\n")).collect();
    let f = dir.write("qat", junk.as_bytes());
    let (code, out) = check(&[&f]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 51, "{out}");
    assert!(
        out.trim_end().ends_with(&format!(
            "{}: 450 more errors not shown: is this a configuration file?",
            f.display()
        )),
        "{out}"
    );
    // Binary (a NUL byte) and UTF-16: one error each, with its line.
    let f = dir.write(
        "4xxx_dev0.conf",
        b"[GENERAL]\nServicesEnabled = dc\x00\x01\n",
    );
    let (code, out) = check(&[&f]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with(&format!("{}:2: the file contains a NUL byte", f.display())),
        "{out}"
    );
    let utf16: Vec<u8> = "\u{feff}[GENERAL]\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let f = dir.write("4xxx_dev1.conf", &utf16);
    let (code, out) = check(&[&f]);
    assert_eq!(code, 1);
    assert!(out.contains(":1: the file is UTF-16 text"), "{out}");
}
