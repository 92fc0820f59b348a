//! Loading a directory of endpoint files, and robustness against any input.

mod common;

use std::path::PathBuf;

use common::{conf, user_section};
use softqat_config::{parse_endpoint_str, ManagedConfig, Source, SystemConfig};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("softqat-config-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.0.join(name), text).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn load_dir_reads_endpoint_files_and_ignores_the_rest() {
    let dir = TempDir::new("load");
    dir.write(
        "c6xx_dev1.conf",
        &conf("cy;dc", &user_section("SSL", 2, 1, 1, 1)),
    );
    dir.write(
        "4xxx_dev0.conf",
        &conf("sym;asym", &user_section("SSL", 1, 2, 0, 1)),
    );
    dir.write("README.txt", "not a config");
    dir.write(
        "c6xx_dev0.conf.bak",
        "[GENERAL]\nServicesEnabled = nonsense\n",
    );
    dir.write("c6xx_dev02.conf", "");
    dir.write("c99_dev4.conf", "");
    std::fs::create_dir(dir.0.join("c3xxx_dev7.conf")).unwrap();

    let (cfg, warnings) = SystemConfig::load_dir(&dir.0).unwrap();
    assert_eq!(cfg.source, Source::Dir(dir.0.clone()));
    let ids: Vec<(u32, String, String)> = cfg
        .endpoints
        .iter()
        .map(|e| (e.id, e.type_name(), e.bdf.clone()))
        .collect();
    assert_eq!(
        ids,
        [
            (0, "4xxx".to_string(), "0000:6b:00.0".to_string()),
            (1, "c6xx".to_string(), "0000:06:00.0".to_string()),
        ]
    );
    let warnings: Vec<String> = warnings.iter().map(|w| w.message.clone()).collect();
    assert_eq!(
        warnings,
        [
            "ignored: write the endpoint number without leading zeros (c6xx_dev2.conf)",
            "ignored: c99 is not a known device class (use one of dh895xcc, c3xxx, c6xx, 4xxx, 420xx, 6xxx)",
        ]
    );
    // [SSL] is LimitDevAccess=0 in both: process 0 gets 2 Cy of qat_dev0
    // then 1 Cy of qat_dev1, then qat_dev1's Dc; process 1 only qat_dev1's.
    let ssl = cfg.internal_sections("SSL").unwrap();
    assert_eq!(ssl.len(), 2);
    let p0: Vec<(String, u32, u32)> = ssl[0]
        .instances
        .iter()
        .map(|i| (i.name.clone(), i.index, i.endpoint))
        .collect();
    assert_eq!(
        p0,
        [
            ("SSL0".to_string(), 0, 0),
            ("SSL1".to_string(), 1, 0),
            ("SSL0".to_string(), 2, 1),
            ("SSLDc0".to_string(), 0, 1),
        ]
    );
    assert_eq!(ssl[1].endpoints(), [1]);
    let c6 = &cfg.summary()[1];
    assert_eq!(
        c6.status_line("down"),
        "qat_dev1 - type: c6xx, inst_id: 0, bsf: 0000:06:00.0, #accel: 5 #engines: 10 state: down"
    );
}

#[test]
fn load_dir_reports_every_error_of_every_file() {
    let dir = TempDir::new("errors");
    dir.write(
        "c6xx_dev0.conf",
        "[GENERAL]\nDcNumConcurrentRequests = 100\n",
    );
    dir.write(
        "c6xx_dev1.conf",
        &conf("cy;dc", &user_section("SSL", 5, 8, 0, 1)),
    );
    dir.write("4xxx_dev1.conf", &conf("dc", ""));
    let e = SystemConfig::load_dir(&dir.0).unwrap_err();
    let shown: Vec<String> = e
        .errors
        .iter()
        .map(|d| d.to_string().replace(&format!("{}/", dir.0.display()), ""))
        .collect();
    assert_eq!(
        shown,
        [
            "c6xx_dev1.conf: 4xxx_dev1.conf also configures qat_dev1: each endpoint number may have one file only; renumber one of them",
            "c6xx_dev0.conf:2: DcNumConcurrentRequests = 100 is not allowed: use one of 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536",
            "c6xx_dev1.conf:8: needs 40 Cy instances but a c6xx endpoint with ServicesEnabled=cy;dc has room for 32: lower NumProcesses or NumberCyInstances in [SSL], or enable fewer services",
        ]
    );
    assert!(e.to_string().lines().count() == 3);

    let empty = TempDir::new("empty");
    let e = SystemConfig::load_dir(&empty.0).unwrap_err();
    assert!(e.errors[0]
        .message
        .starts_with("no endpoint configuration file here: add one named <class>_dev<N>.conf"));
    let e = SystemConfig::load_dir(empty.0.join("missing")).unwrap_err();
    assert!(e.errors[0]
        .message
        .starts_with("cannot read the directory:"));
}

#[test]
fn vfs_get_addresses_next_to_their_pf() {
    let mut files = vec![("4xxx_dev0.conf".to_string(), conf("sym;asym", ""))];
    for n in 1..=17 {
        files.push((
            format!("4xxxvf_dev{n}.conf"),
            conf("sym;asym", &user_section("SSL", 1, 2, 0, 1)),
        ));
    }
    let (cfg, _) = SystemConfig::from_files(&files).unwrap();
    let bdf = |id: u32| cfg.endpoint(id).unwrap().bdf.clone();
    assert_eq!(bdf(1), "0000:6b:00.1");
    assert_eq!(bdf(7), "0000:6b:00.7");
    assert_eq!(bdf(8), "0000:6b:01.0");
    assert_eq!(bdf(16), "0000:6b:02.0");
    // The 17th VF belongs to a second PF slot (no file): no parent.
    assert_eq!(bdf(17), "0000:70:00.1");
    assert_eq!(cfg.endpoint(16).unwrap().parent_pf, Some(0));
    assert_eq!(cfg.endpoint(17).unwrap().parent_pf, None);
    let s = cfg.summary();
    assert_eq!(
        (s[1].type_name.as_str(), s[1].inst_id, s[1].engines),
        ("4xxxvf", 0, 1)
    );
    assert_eq!(s[17].inst_id, 16);
}

/// A tiny deterministic generator for the robustness test.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn no_input_makes_the_parsers_panic() {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/c6xx_dev0.conf"
    ))
    .unwrap();
    let pieces = [
        "[",
        "]",
        "=",
        "\"",
        "“",
        "#",
        "\n",
        ";",
        "Cy",
        "Dc",
        "99999999999",
        "4294967295",
        "0",
        "2",
        "NumProcesses",
        "NumberCyInstances",
        "IsPolled",
        "Name",
        "[DYN]",
        "[KERNEL]",
        "[SSL]",
        "é",
        "\u{feff}",
        "ServicesEnabled",
        "dcc",
        "cy;dc;sym",
        "\r\n",
        "  ",
    ];
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for round in 0..1500 {
        let mut text: Vec<char> = seed.chars().collect();
        for _ in 0..(1 + rng.next() % 8) {
            let at = (rng.next() as usize) % (text.len() + 1);
            match rng.next() % 3 {
                0 if !text.is_empty() => {
                    let end = (at + (rng.next() % 20) as usize).min(text.len());
                    text.drain(at.min(end)..end);
                }
                _ => {
                    let p = pieces[(rng.next() as usize) % pieces.len()];
                    for (k, c) in p.chars().enumerate() {
                        text.insert((at + k).min(text.len()), c);
                    }
                }
            }
        }
        let text: String = text.into_iter().collect();
        let names = [
            "c6xx_dev0.conf",
            "4xxx_dev1.conf",
            "c6xxvf_dev2.conf",
            "dh895xcc_dev3.conf",
        ];
        let _ = parse_endpoint_str(names[round % names.len()], &text);
        let _ = ManagedConfig::parse_str("qat", &text);
        let _ = SystemConfig::from_files(&[(names[round % names.len()].to_string(), text)]);
    }
    // Pathological values.
    for text in [
        "[SSL]\nNumProcesses = 1024\nNumberCyInstances = 256\n".to_string(),
        format!("[SSL]\nCy{}Name = x\n", u64::MAX),
        "[DYN]\nNumberCyInstances = 256\nNumberDcInstances = 256\nNumProcesses = 1024\n"
            .to_string(),
        "=\n[\n]\n\"\n".to_string(),
        "x".repeat(100_000),
    ] {
        let _ = parse_endpoint_str("c6xx_dev0.conf", &text);
    }
}
