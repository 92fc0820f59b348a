//! Configuration files as bytes and names (issue 10, defect 8): what a
//! file is by its name, lines that are not UTF-8, long keys, empty files,
//! and a VF that inherits services its PF does not run.

use softqat_config::{file_kind, parse_endpoint_bytes, FileKind, ManagedConfig, SystemConfig};

fn errors_of<T>(
    r: Result<(T, Vec<softqat_config::Warning>), softqat_config::ConfigErrors>,
) -> Vec<String> {
    match r {
        Ok(_) => Vec::new(),
        Err(e) => e.errors.iter().map(|d| d.to_string()).collect(),
    }
}

#[test]
fn a_file_is_known_by_its_name() {
    assert!(matches!(
        file_kind("/etc/4xxx_dev1.conf"),
        Ok(FileKind::Endpoint {
            is_vf: false,
            id: 1,
            ..
        })
    ));
    assert!(matches!(
        file_kind("c6xxvf_dev12.conf"),
        Ok(FileKind::Endpoint {
            is_vf: true,
            id: 12,
            ..
        })
    ));
    assert_eq!(file_kind("/etc/sysconfig/qat"), Ok(FileKind::Managed));
    assert_eq!(file_kind("qat.conf"), Ok(FileKind::Managed));
    let e = file_kind("/etc/9xxx_dev1.conf").unwrap_err();
    assert_eq!(e, "9xxx is not a device class softqat knows: endpoint files are named <class>_dev<N>.conf or <class>vf_dev<N>.conf with class one of dh895xcc, c3xxx, c6xx, 4xxx, 420xx, 6xxx (e.g. 4xxx_dev0.conf)");
    assert!(file_kind("4xxx_dev007.conf")
        .unwrap_err()
        .contains("4xxx_dev7.conf"));
    assert!(file_kind("4xxx_devX.conf")
        .unwrap_err()
        .contains("\"X\" is not an endpoint number"));
    assert!(file_kind("4xxx_dev99999999999.conf")
        .unwrap_err()
        .contains("too large"));
    // A long made-up class is shortened in the message.
    let long = format!("{}_dev0.conf", "z".repeat(10_000));
    assert!(file_kind(&long).unwrap_err().len() < 400);
}

#[test]
fn lines_that_are_not_utf8_are_errors_at_their_line_unless_in_a_comment() {
    let ok = b"# \xe9\n[GENERAL]\nServicesEnabled = dc # caf\xe9\n[SSL]\nNumberDcInstances = 1\nDc0Name = \"a\"\n";
    assert!(parse_endpoint_bytes("4xxx_dev1.conf", ok).is_ok());
    let bad = b"[GENERAL]\nServicesEnabled = dc\n[SSL\xe9]\nNumberDcInstances = 1\nDc0Name = \"a\"\nDc0IsPolled = 5\n";
    // The header is refused at its line; the keys after it stay in
    // [GENERAL] (as unknown keys), without errors of their own.
    assert_eq!(
        errors_of(parse_endpoint_bytes("4xxx_dev1.conf", bad)),
        ["4xxx_dev1.conf:3: byte 0xe9 at column 5 is not UTF-8 text: save the file as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8), or keep other encodings to comments"]
    );
    let r = ManagedConfig::parse_bytes("qat", b"POLICY=1 # \xff\nServicesEnabled=\xffdc\n");
    assert_eq!(
        errors_of(r),
        ["qat:2: byte 0xff at column 17 is not UTF-8 text: save the file as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8), or keep other encodings to comments"]
    );
}

#[test]
fn several_files_report_by_file_then_line() {
    let files = vec![
        (
            "4xxx_dev0.conf".to_string(),
            b"[GENERAL]\nServicesEnabled = sym;asym\nX\xe9 = 1\n".to_vec(),
        ),
        ("4xxx_dev1.conf".to_string(), b"".to_vec()),
        ("4xxx_dev2.conf".to_string(), b"# only a comment\n".to_vec()),
    ];
    let errs = errors_of(SystemConfig::from_file_bytes(&files));
    let files_named: Vec<&str> = errs.iter().map(|e| e.split(':').next().unwrap()).collect();
    assert_eq!(
        files_named,
        ["4xxx_dev0.conf", "4xxx_dev1.conf", "4xxx_dev2.conf"],
        "{errs:#?}"
    );
    assert!(errs[0].starts_with("4xxx_dev0.conf:3: byte 0xe9"));
    assert!(errs[1].contains("configures nothing") && errs[2].contains("configures nothing"));
}

#[test]
fn keys_longer_than_any_key_are_errors_with_the_key_shortened() {
    let text = format!("[GENERAL]\nServicesEnabled = dc\n{} = 1\n", "A".repeat(65));
    let errs = errors_of(parse_endpoint_bytes("4xxx_dev1.conf", text.as_bytes()));
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with(&format!(
            "4xxx_dev1.conf:3: the key \"{}…\" is 65 characters long",
            "A".repeat(60)
        )),
        "{errs:?}"
    );
    // 64 characters is a key (unknown here: a warning).
    let text = format!(
        "[GENERAL]\nServicesEnabled = dc\n{} = 1\n[SSL]\nNumberDcInstances = 1\nDc0Name = \"a\"\n",
        "A".repeat(64)
    );
    let (_, warnings) = parse_endpoint_bytes("4xxx_dev1.conf", text.as_bytes()).unwrap();
    assert!(warnings.iter().any(|w| w.line == Some(3)));
}

#[test]
fn a_vf_without_services_of_its_pf_is_told_to_add_the_line() {
    let pf =
        b"[GENERAL]\nServicesEnabled = sym;asym\n[SSL]\nNumberCyInstances = 1\nCy0Name = \"a\"\n"
            .to_vec();
    // 4xxx VF 1 defaults to dc (odd endpoint numbers): its PF has none.
    let vf = b"[GENERAL]\n[SSL]\nNumberDcInstances = 1\nDc0Name = \"a\"\n".to_vec();
    let errs = errors_of(SystemConfig::from_file_bytes(&[
        ("4xxx_dev0.conf".to_string(), pf),
        ("4xxxvf_dev1.conf".to_string(), vf),
    ]));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("4xxxvf_dev1.conf: the file sets no ServicesEnabled, so this VF runs the default dc, which its PF qat_dev0 (4xxx_dev0.conf) does not"),
        "{errs:?}"
    );
    assert!(errs[0].contains("add ServicesEnabled = "), "{errs:?}");
}
