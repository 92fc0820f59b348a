//! A program that references every function qatlib exports, linked with
//! `-z now` (so it loads only if libqat.so.4 defines them all), calls each
//! with all-zero arguments (NULL pointers, NULL handles, zero sizes and
//! enum values), first with the library not started, then started: none
//! may crash, and every function
//! whose header returns `CpaStatus` must return one of its values.
//! (`CPA_INSTANCE_HANDLE_SINGLE` is NULL, so NULL handles reach the first
//! instance and the checks behind it.) Then a second program passes a
//! pointer to 4 KiB of zeros for every argument: as a handle it is no
//! instance, as a session its magic is wrong, as op data or a buffer list
//! its counts and inner pointers are 0, and as a count or size its value is
//! an address — all refused, nothing crashes. (Pointers to random bytes
//! would hold wild inner pointers, which no C library can check.)

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Duration;

use common::*;

/// Exported names with the return type their header gives (`CpaStatus`
/// or something else).
fn exported_functions() -> Vec<(String, bool)> {
    let list = std::fs::read_to_string(crate_dir().join("tests/data/qatlib-exports.txt")).unwrap();
    let mut names = BTreeSet::new();
    let mut in_qat = false;
    for line in list.lines().map(str::trim) {
        if line.starts_with('[') {
            in_qat = line == "[libqat.so.4]";
        } else if in_qat && !line.is_empty() && !line.starts_with('#') {
            names.insert(line.to_string());
        }
    }
    // Which return CpaStatus: `CpaStatus` (possibly `CPA_DEPRECATED`) right
    // before the name in a header.
    let mut headers = String::new();
    for e in std::fs::read_dir(crate_dir().join("include/qat")).unwrap() {
        headers.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap());
        headers.push('\n');
    }
    let flat: String = headers.split_whitespace().collect::<Vec<_>>().join(" ");
    names
        .into_iter()
        .map(|n| {
            let status = flat.contains(&format!("CpaStatus {n}("))
                || flat.contains(&format!("CpaStatus CPA_DEPRECATED {n}("));
            (n, status)
        })
        .collect()
}

/// Not called: they start or stop the library (the program does that
/// itself) or would end the process's use of it.
const SKIP: &[&str] = &[
    "icp_sal_userStart",
    "icp_sal_userStartMultiProcess",
    "icp_sal_userStop",
];

fn program(fill: &str) -> String {
    // Every name qatlib exports: the program is linked with `-z now`, so it
    // loads only if libqat.so.4 defines them all.
    let fns = exported_functions();
    let mut c = String::from(
        "#include <stdio.h>\n#include <string.h>\n#include <stdlib.h>\n\
         typedef long (*Any)(long, long, long, long, long, long, long, long);\n",
    );
    for (n, _) in fns.iter().filter(|(n, _)| !SKIP.contains(&n.as_str())) {
        writeln!(c, "extern void {n}(void);").unwrap();
    }
    c.push_str("struct E { const char *name; void (*fn)(void); int status; };\nstatic struct E all[] = {\n");
    for (n, status) in &fns {
        if !SKIP.contains(&n.as_str()) {
            writeln!(c, "  {{\"{n}\", {n}, {}}},", i32::from(*status)).unwrap();
        }
    }
    c.push_str(
        "};\nextern int icp_sal_userStart(const char *);\nextern int icp_sal_userStop(void);\n",
    );
    write!(
        c,
        r#"
static unsigned char junk[4096] __attribute__((aligned(64)));
static int bad = 0;
static void pass(const char *when)
{{
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {{
        long a = {fill};
        memset(junk, 0, sizeof junk);
        if (getenv("TRACE")) {{ fprintf(stderr, "call %s\n", all[i].name); fflush(stderr); }}
        int r = (int)((Any)all[i].fn)(a, a, a, a, a, a, a, a);
        if (all[i].status && (r > 0 || r < -7)) {{
            fprintf(stderr, "FAIL %s (%s): returned %d, not a CpaStatus\n", all[i].name, when, r);
            bad++;
        }}
    }}
    printf("ok %zu functions %s\n", sizeof all / sizeof all[0], when);
}}
int main(void)
{{
    pass("before icp_sal_userStart");
    if (icp_sal_userStart("SSL") != 0) return 2;
    pass("started");
    icp_sal_userStop();
    if (bad) return 1;
    printf("all checks passed\n");
    return 0;
}}
"#
    )
    .unwrap();
    c
}

fn run_program(name: &str, fill: &str) {
    let scratch = Scratch::new(name);
    let lib = stage_libs(scratch.path());
    let src = scratch.path().join(format!("{name}.c"));
    std::fs::write(&src, program(fill)).unwrap();
    let exe = scratch.path().join(name);
    let out = std::process::Command::new(cc())
        .args(["-std=gnu99", "-O1", "-w"])
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .arg("-L")
        .arg(&lib)
        .args(["-lqat", "-lpthread", "-Wl,-z,now"])
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .output()
        .expect("run the C compiler");
    assert!(
        out.status.success(),
        "{name}.c: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&exe, &[], &[], Duration::from_secs(60));
    assert_passed(name, &out);
}

#[test]
fn every_export_survives_null_arguments() {
    run_program("null_calls", "0");
}

#[test]
fn every_export_survives_pointers_to_zeros() {
    run_program("zero_block_calls", "(long)junk");
}
