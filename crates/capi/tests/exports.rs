//! libqat.so.4 and libusdm.so.0 export every function qatlib 26.08's
//! libraries export (`tests/data/qatlib-exports.txt`), so a program linked
//! with `-z now` against Intel's libraries loads against softqat's; and
//! programs that take the address of every function of the public headers
//! (`tests/c/protos_*.c`) link with `-z now` and run.

mod common;

use std::collections::BTreeSet;
use std::process::Command;
use std::time::Duration;

use common::*;

/// The names listed for `library` in the exports file.
fn listed(library: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(crate_dir().join("tests/data/qatlib-exports.txt")).unwrap();
    let mut current = String::new();
    let mut out = BTreeSet::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(lib) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = lib.to_string();
        } else if current == library {
            out.insert(line.to_string());
        }
    }
    out
}

/// The functions a shared library defines in its dynamic symbol table.
fn exported(file: &str) -> BTreeSet<String> {
    let path = artifact_dir().join(file);
    let out = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&path)
        .output()
        .expect("run nm (binutils, installed with the C compiler)");
    assert!(out.status.success(), "nm {} failed", path.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() == 3 && f[1] == "T").then(|| f[2].to_string())
        })
        .collect()
}

#[test]
fn libqat_exports_every_qatlib_function() {
    let want = listed("libqat.so.4");
    assert!(
        want.len() >= 233,
        "the exports list has {} names",
        want.len()
    );
    let have = exported("libqat.so");
    let missing: Vec<_> = want.difference(&have).collect();
    assert!(
        missing.is_empty(),
        "libqat.so.4 lacks {} functions: {missing:?}",
        missing.len()
    );
}

#[test]
fn libusdm_exports_the_qae_functions() {
    let want = listed("libusdm.so.0");
    assert_eq!(want.len(), 14);
    let have = exported("libusdm.so");
    let missing: Vec<_> = want.difference(&have).collect();
    assert!(missing.is_empty(), "libusdm.so.0 lacks {missing:?}");
}

#[test]
fn sonames_are_qatlibs() {
    for (file, soname) in [("libqat.so", "libqat.so.4"), ("libusdm.so", "libusdm.so.0")] {
        let out = Command::new("readelf")
            .args(["-d"])
            .arg(artifact_dir().join(file))
            .output()
            .expect("run readelf (binutils)");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(&format!("Library soname: [{soname}]")),
            "{file} has no SONAME {soname}:\n{text}"
        );
    }
}

#[test]
fn every_header_function_links_with_z_now() {
    let scratch = Scratch::new("protos");
    let lib = stage_libs(scratch.path());
    for family in ["base", "sym", "asym"] {
        let exe = compile(&format!("protos_{family}"), scratch.path(), &lib, &["qat"]);
        let out = run(&exe, &[], &[], Duration::from_secs(30));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "protos_{family} failed: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
