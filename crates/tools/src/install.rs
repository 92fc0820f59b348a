//! `softqat install --prefix DIR`: installs the C ABI — libqat.so.4 and
//! libusdm.so.0 with qatlib's file names and symlinks, softqat's headers as
//! `<qat/...>`, and pkg-config files named as qatlib's (qatlib, libqat,
//! libusdm) — so C programs build with `pkg-config --cflags --libs qatlib`
//! and run on softqat.
//!
//! The libraries are taken from the directory this `softqat` was built into
//! (`cargo build --release` builds all three), or `--from`. The headers are
//! part of this binary (`crates/capi/include/qat`).

use std::path::{Path, PathBuf};

/// Installed file name, SONAME and development link name of each library,
/// as qatlib's libtool versions give them (libqat 10:0:6, libusdm 2:1:2).
const LIBRARIES: [(&str, &str, &str, &str); 2] = [
    ("libqat.so", "libqat.so.4.6.0", "libqat.so.4", "libqat.so"),
    (
        "libusdm.so",
        "libusdm.so.0.2.1",
        "libusdm.so.0",
        "libusdm.so",
    ),
];

/// The version the pkg-config files report: the qatlib release whose ABI
/// softqat provides.
const QATLIB_VERSION: &str = "26.8.0";

macro_rules! header {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../capi/include/qat/", $name)),
        )
    };
}

/// softqat's public headers, installed under `include/qat/`.
pub const HEADERS: &[(&str, &str)] = &[
    header!("cpa.h"),
    header!("cpa_cy_common.h"),
    header!("cpa_cy_dh.h"),
    header!("cpa_cy_drbg.h"),
    header!("cpa_cy_dsa.h"),
    header!("cpa_cy_ec.h"),
    header!("cpa_cy_ecdh.h"),
    header!("cpa_cy_ecdsa.h"),
    header!("cpa_cy_ecsm2.h"),
    header!("cpa_cy_im.h"),
    header!("cpa_cy_key.h"),
    header!("cpa_cy_kpt.h"),
    header!("cpa_cy_ln.h"),
    header!("cpa_cy_nrbg.h"),
    header!("cpa_cy_prime.h"),
    header!("cpa_cy_rsa.h"),
    header!("cpa_cy_sym.h"),
    header!("cpa_cy_sym_dp.h"),
    header!("cpa_dc.h"),
    header!("cpa_dc_capabilities.h"),
    header!("cpa_dc_chain.h"),
    header!("cpa_dc_dp.h"),
    header!("cpa_dev.h"),
    header!("cpa_rl.h"),
    header!("cpa_types.h"),
    header!("icp_sal.h"),
    header!("icp_sal_congestion_mgmt.h"),
    header!("icp_sal_poll.h"),
    header!("icp_sal_user.h"),
    header!("icp_sal_versions.h"),
    header!("qae_mem.h"),
];

/// Where the libraries are: `--from`, else beside this executable.
fn library_dir(from: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(d) = from {
        return Ok(d.to_path_buf());
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    exe.parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| "this executable has no directory".to_string())
}

fn io(what: &str, path: &Path, e: std::io::Error) -> String {
    format!("cannot {what} {}: {e}", path.display())
}

/// Writes `text` to `path`.
fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| io("write", path, e))
}

/// Replaces `link` by a symlink to `target`.
fn symlink(target: &str, link: &Path) -> Result<(), String> {
    match std::fs::remove_file(link) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io("replace", link, e)),
    }
    std::os::unix::fs::symlink(target, link).map_err(|e| io("create the symlink", link, e))
}

/// The pkg-config files: (name, contents).
fn pkgconfig(prefix: &Path, libdir: &Path) -> Vec<(&'static str, String)> {
    let head = format!(
        "prefix={}\nexec_prefix=${{prefix}}\nlibdir={}\nincludedir=${{prefix}}/include\n\n",
        prefix.display(),
        libdir.display()
    );
    vec![
        (
            "libqat.pc",
            format!(
                "{head}Name: libqat\nDescription: softqat: the QAT service library (CPA API) with \
                 software endpoints\nVersion: {QATLIB_VERSION}\nLibs: -L${{libdir}} -lqat\n\
                 Cflags: -I${{includedir}}\nRequires: libusdm\n"
            ),
        ),
        (
            "libusdm.pc",
            format!(
                "{head}Name: libusdm\nDescription: softqat: DMA-able memory for QAT requests \
                 (qae* functions)\nVersion: {QATLIB_VERSION}\nLibs: -L${{libdir}} -lusdm\n\
                 Cflags: -I${{includedir}}\n"
            ),
        ),
        (
            "qatlib.pc",
            format!(
                "{head}Name: qatlib\nDescription: softqat: QuickAssist Technology without the \
                 card (qatlib {QATLIB_VERSION} ABI)\nVersion: {QATLIB_VERSION}\n\
                 Requires: libqat libusdm\n"
            ),
        ),
    ]
}

/// Installs under `prefix` (libraries in `prefix/<libdir>`).
pub fn run(prefix: &Path, libdir: &str, from: Option<&Path>) -> Result<(), String> {
    let src = library_dir(from)?;
    let prefix = if prefix.is_absolute() {
        prefix.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}"))?
            .join(prefix)
    };
    let lib = prefix.join(libdir);
    let include = prefix.join("include/qat");
    let pc = lib.join("pkgconfig");
    for d in [&lib, &include, &pc] {
        std::fs::create_dir_all(d).map_err(|e| io("create", d, e))?;
    }
    for (built, file, soname, devname) in LIBRARIES {
        let from = src.join(built);
        if !from.is_file() {
            return Err(format!(
                "{} is missing: build the libraries first (cargo build --release), or name \
                 their directory with --from",
                from.display()
            ));
        }
        let to = lib.join(file);
        // Copy to a new name, then rename: a program running from the old
        // library keeps its mapping.
        let tmp = lib.join(format!(".{file}.new"));
        std::fs::copy(&from, &tmp).map_err(|e| io("copy", &from, e))?;
        std::fs::rename(&tmp, &to).map_err(|e| io("install", &to, e))?;
        symlink(file, &lib.join(soname))?;
        symlink(soname, &lib.join(devname))?;
        println!("installed {} ({soname}, {devname})", to.display());
    }
    for (name, text) in HEADERS {
        write(&include.join(name), text)?;
    }
    println!(
        "installed {} headers in {}",
        HEADERS.len(),
        include.display()
    );
    for (name, text) in pkgconfig(&prefix, &lib) {
        write(&pc.join(name), &text)?;
    }
    println!(
        "installed pkg-config files in {} (qatlib, libqat, libusdm)\n\
         build: cc prog.c $(PKG_CONFIG_PATH={} pkg-config --cflags --libs qatlib)\n\
         run:   LD_LIBRARY_PATH={} ./prog",
        pc.display(),
        pc.display(),
        lib.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_header_of_the_source_tree_is_installed() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../capi/include/qat");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".h"))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = HEADERS.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
    }
}
