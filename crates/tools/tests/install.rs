//! `softqat install --prefix DIR`: the libraries under qatlib's file names
//! and symlinks, the headers as `<qat/...>`, pkg-config files; and a C
//! program built only from what was installed (with pkg-config's flags when
//! pkg-config is there) compresses and decompresses through them.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

const PROGRAM: &str = r#"
#include <stdio.h>
#include <string.h>
#include <qat/cpa.h>
#include <qat/cpa_dc.h>
#include <qat/icp_sal_user.h>
#include <qat/qae_mem.h>

int main(void)
{
    CpaInstanceHandle inst;
    Cpa16U n = 0;
    if (icp_sal_userStart("SSL") != CPA_STATUS_SUCCESS) return 2;
    if (cpaDcGetNumInstances(&n) != CPA_STATUS_SUCCESS || n == 0) return 3;
    if (cpaDcGetInstances(1, &inst) != CPA_STATUS_SUCCESS) return 4;
    if (cpaDcStartInstance(inst, 0, NULL) != CPA_STATUS_SUCCESS) return 5;
    CpaDcSessionSetupData sd;
    memset(&sd, 0, sizeof sd);
    sd.compLevel = CPA_DC_L1; sd.compType = CPA_DC_DEFLATE;
    sd.huffType = CPA_DC_HT_FULL_DYNAMIC; sd.sessDirection = CPA_DC_DIR_COMBINED;
    sd.sessState = CPA_DC_STATELESS; sd.windowSize = CPA_DC_WINSIZE_32K;
    sd.checksum = CPA_DC_CRC32;
    Cpa32U ss = 0, cs = 0;
    if (cpaDcGetSessionSize(inst, &sd, &ss, &cs) != CPA_STATUS_SUCCESS) return 6;
    void *sess = qaeMemAllocNUMA(ss, 0, 64);
    if (cpaDcInitSession(inst, sess, &sd, NULL, NULL) != CPA_STATUS_SUCCESS) return 7;
    static Cpa8U in[8192], out[16384], back[8192];
    for (unsigned i = 0; i < sizeof in; i++) in[i] = "installed softqat "[i % 18];
    CpaFlatBuffer fi = {sizeof in, in}, fo = {sizeof out, out}, fb = {sizeof back, back};
    CpaBufferList li = {1, &fi, NULL, NULL}, lo = {1, &fo, NULL, NULL}, lb = {1, &fb, NULL, NULL};
    CpaDcRqResults r; memset(&r, 0, sizeof r);
    if (cpaDcCompressData(inst, sess, &li, &lo, &r, CPA_DC_FLUSH_FINAL, NULL) != CPA_STATUS_SUCCESS) return 8;
    fo.dataLenInBytes = r.produced;
    CpaDcRqResults d; memset(&d, 0, sizeof d);
    if (cpaDcDecompressData(inst, sess, &lo, &lb, &d, CPA_DC_FLUSH_FINAL, NULL) != CPA_STATUS_SUCCESS) return 9;
    if (d.produced != sizeof in || memcmp(in, back, sizeof in) != 0) return 10;
    printf("round trip %u -> %u -> %u bytes\n", (unsigned)sizeof in, r.produced, d.produced);
    cpaDcRemoveSession(inst, sess);
    qaeMemFreeNUMA(&sess);
    cpaDcStopInstance(inst);
    icp_sal_userStop();
    return 0;
}
"#;

fn link_target(p: &Path) -> String {
    std::fs::read_link(p)
        .unwrap_or_else(|e| panic!("{} is not a symlink: {e}", p.display()))
        .to_string_lossy()
        .into_owned()
}

#[test]
fn install_then_build_a_c_program_against_the_prefix() {
    let dir = TempDir::new("install");
    let prefix = dir.path().join("prefix");
    // The libraries this test run built (dev-dependencies of this crate)
    // are in the test executable's directory, target/<profile>/deps.
    let exe = std::env::current_exe().unwrap();
    let built = exe.parent().unwrap();
    assert!(
        built.join("libqat.so").is_file(),
        "no libqat.so in {}",
        built.display()
    );
    let out = softqat(
        &[
            "install",
            "--prefix",
            prefix.to_str().unwrap(),
            "--from",
            built.to_str().unwrap(),
        ],
        b"",
    );
    let stdout = text(&expect_ok(out, "softqat install"));
    assert!(stdout.contains("pkg-config"), "{stdout}");
    let lib = prefix.join("lib");
    assert_eq!(link_target(&lib.join("libqat.so")), "libqat.so.4");
    assert_eq!(link_target(&lib.join("libqat.so.4")), "libqat.so.4.6.0");
    assert_eq!(link_target(&lib.join("libusdm.so")), "libusdm.so.0");
    assert_eq!(link_target(&lib.join("libusdm.so.0")), "libusdm.so.0.2.1");
    for h in [
        "cpa.h",
        "cpa_dc.h",
        "cpa_dc_dp.h",
        "cpa_cy_sym.h",
        "cpa_cy_rsa.h",
        "icp_sal_user.h",
        "icp_sal_poll.h",
        "qae_mem.h",
    ] {
        assert!(
            prefix.join("include/qat").join(h).is_file(),
            "{h} not installed"
        );
    }
    for pc in ["qatlib.pc", "libqat.pc", "libusdm.pc"] {
        let text = std::fs::read_to_string(lib.join("pkgconfig").join(pc)).unwrap();
        assert!(
            text.contains(&format!("prefix={}", prefix.display())),
            "{pc}:\n{text}"
        );
    }

    let src = dir.path().join("prog.c");
    std::fs::write(&src, PROGRAM).unwrap();
    let exe = dir.path().join("prog");
    let pcdir = lib.join("pkgconfig");
    let flags: Vec<String> = match Command::new("pkg-config")
        .args(["--cflags", "--libs", "qatlib"])
        .env("PKG_CONFIG_PATH", &pcdir)
        .output()
    {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout)
            .split_whitespace()
            .map(String::from)
            .collect(),
        // No pkg-config on this machine: the flags its files give.
        _ => vec![
            format!("-I{}", prefix.join("include").display()),
            format!("-L{}", lib.display()),
            "-lqat".into(),
            "-lusdm".into(),
        ],
    };
    assert!(flags.iter().any(|f| f == "-lqat"), "{flags:?}");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(&cc)
        .arg("-std=gnu99")
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .args(&flags)
        .arg("-Wl,-z,now")
        .output()
        .expect("run the C compiler");
    assert!(
        out.status.success(),
        "building against the prefix failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(&exe)
        .env("LD_LIBRARY_PATH", &lib)
        .env("SOFTQAT_MODE", "embedded")
        .env("SOFTQAT_ENGINES", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the program failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("round trip 8192 -> "));
}
