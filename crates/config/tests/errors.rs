//! Every kind of error and warning, with its exact `file:line: message`.

mod common;

use common::{conf, errors, user_section, warnings};
use softqat_config::{parse_endpoint_str, ConfigError, SystemConfig};

/// A file with many mistakes: all of them are reported, in line order.
const BAD: &str = "\
[GENERAL]
ServicesEnabled = cy;dc
DcNumConcurrentRequests = 100
CyNumConcurrentSymRequests = lots
DcIntermediateBufferSizeInKB = 16
AutoResetOnError = yes
statsDc = 2
ConfigVersion = 1
ServicesProfile = FAST
HeartbeatTimer = 100

[SSL]
NumProcesses = 0
LimitDevAccess = 2
NumberCyInstances = 3
NumberDcInstances = 1
Cy0Name = \"SSL0\"
Cy0IsPolled = 0
Cy1Name = \"SSL1\"
Cy1IsPolled = 7
Cy1CoreAffinity = 5000
Dc0Name = \"\"
Dc0IsPolled = 1
Cy0Name = \"again\"

[KERNEL]
NumberCyInstances = 33
Cy0IsPolled = 2

[KERNEL_QAT]
NumberCyInstances = 1
Cy0Name = \"K0\"
Cy0IsPolled = 2
this is not a key value line
[SSL]
[broken
Key = \"open
";

#[test]
fn all_errors_of_a_file_are_reported_with_line_and_fix() {
    let got = errors("c6xx_dev0.conf", BAD);
    let want = [
        "c6xx_dev0.conf:3: DcNumConcurrentRequests = 100 is not allowed: use one of 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536",
        "c6xx_dev0.conf:4: CyNumConcurrentSymRequests = lots is not allowed: use one of 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536",
        "c6xx_dev0.conf:5: DcIntermediateBufferSizeInKB = 16 is not allowed: use 32 or 64",
        "c6xx_dev0.conf:6: AutoResetOnError = yes is not allowed: use 0 or 1",
        "c6xx_dev0.conf:7: statsDc = 2 is not allowed: use 0 or 1",
        "c6xx_dev0.conf:8: ConfigVersion = 1 is not supported: this is the version 2 format (the older v1 format is not read); write the file in that format and set ConfigVersion = 2",
        "c6xx_dev0.conf:9: ServicesProfile = FAST is not allowed: use DEFAULT, CRYPTO, COMPRESSION or CUSTOM1",
        "c6xx_dev0.conf:10: HeartbeatTimer = 100 is not allowed: use a period of 200 ms or more",
        "c6xx_dev0.conf:13: NumProcesses = 0 is not allowed: use 1 to 1024 (remove the section to give no process access)",
        "c6xx_dev0.conf:14: LimitDevAccess = 2 is not allowed: use 0 or 1",
        "c6xx_dev0.conf:15: [SSL] has NumberCyInstances = 3 but no Cy2Name: add a name for each instance, e.g. Cy2Name = \"SSL2\"",
        "c6xx_dev0.conf:18: Cy0IsPolled = 0 asks for interrupt mode, which user-space instances do not have: use 1 (polled) or 2 (epoll)",
        "c6xx_dev0.conf:20: Cy1IsPolled = 7 is not allowed: use 1 (polled) or 2 (epoll)",
        "c6xx_dev0.conf:21: Cy1CoreAffinity = 5000 is not allowed: use a core number from 0 to 4095",
        "c6xx_dev0.conf:22: Dc0Name is empty: give the instance a name, e.g. Dc0Name = \"SSL0\"",
        "c6xx_dev0.conf:24: Cy0Name appears twice in [SSL] (first at line 17): keep one",
        "c6xx_dev0.conf:27: NumberCyInstances = 33 is not allowed: use 0 to 32",
        "c6xx_dev0.conf:28: Cy0IsPolled = 2 asks for epoll mode, which is for user-space instances only: use 0 (interrupt) or 1 (polled)",
        "c6xx_dev0.conf:33: Cy0IsPolled = 2 asks for epoll mode, which is for user-space instances only: use 0 (interrupt) or 1 (polled)",
        "c6xx_dev0.conf:34: cannot read \"this is not a key value line\": expected [SECTION], Key = Value or a # comment",
        "c6xx_dev0.conf:35: section [SSL] appears twice (first at line 12): merge the two into one",
        "c6xx_dev0.conf:36: section header [broken is not closed: write it as [NAME]",
        "c6xx_dev0.conf:37: Key: the value opens a quote but does not close it: add the closing \"",
    ];
    for line in &got {
        println!("{line}");
    }
    assert_eq!(got, want);
}

#[test]
fn unknown_keys_are_warnings_naming_the_closest_key() {
    let text = conf(
        "cy",
        "CyNumConcurentSymRequests = 512\nservicesprofile = DEFAULT\nBanana = 1\nNumProcesses = 2\n\n\
         [SSL]\nNumProcesses = 1\nNumberCyInstance = 1\nNumberCyInstances = 1\nCy0Name = \"a\"\nCy0IsPoled = 1\nCy3Name = \"b\"\nServicesEnabled = cy\n\
         [DYN]\nNumberCyInstances = 1\nCy0Name = \"x\"\n",
    );
    let got = warnings("c6xx_dev0.conf", &text);
    for line in &got {
        println!("{line}");
    }
    assert_eq!(
        got,
        [
            "c6xx_dev0.conf:5: unknown key CyNumConcurentSymRequests in [GENERAL] is ignored: did you mean CyNumConcurrentSymRequests?",
            "c6xx_dev0.conf:6: unknown key servicesprofile in [GENERAL] is ignored: did you mean ServicesProfile?",
            "c6xx_dev0.conf:7: unknown key Banana in [GENERAL] is ignored: check its spelling (keys are case-sensitive)",
            "c6xx_dev0.conf:8: NumProcesses does not belong in [GENERAL] and is ignored: move it to an instance section such as [SSL]",
            "c6xx_dev0.conf:12: unknown key NumberCyInstance in [SSL] is ignored: did you mean NumberCyInstances?",
            "c6xx_dev0.conf:15: unknown key Cy0IsPoled in [SSL] is ignored: did you mean Cy0IsPolled?",
            "c6xx_dev0.conf:16: Cy3Name is ignored: [SSL] has NumberCyInstances = 1; raise NumberCyInstances to 4 to use it, or remove the key",
            "c6xx_dev0.conf:17: ServicesEnabled does not belong in [SSL] and is ignored: move it to [GENERAL]",
            "c6xx_dev0.conf:20: Cy0Name does not belong in [DYN] and is ignored: move it to a user-process section ([DYN] instances are not configured one by one)",
        ]
    );
}

#[test]
fn services_errors_say_what_to_write() {
    let e = |services: &str, file: &str| errors(file, &conf(services, ""));
    assert_eq!(
        e("cy;foo", "c6xx_dev0.conf"),
        ["c6xx_dev0.conf:2: ServicesEnabled = cy;foo is not allowed on c6xx: unknown service \"foo\": use cy, dc, sym, asym (or the in-tree dcc and decomp) separated by ';' (e.g. cy;dc)"]
    );
    assert_eq!(
        e("cy;dc", "4xxx_dev0.conf"),
        ["4xxx_dev0.conf:2: ServicesEnabled = cy;dc is not allowed on 4xxx: gen4 devices such as 4xxx run at most two services at once (cy counts as sym and asym): use one of sym;asym, asym;dc, sym;dc"]
    );
    assert_eq!(
        e("dcc", "c6xx_dev0.conf"),
        ["c6xx_dev0.conf:2: ServicesEnabled = dcc is not allowed on c6xx: dcc is an in-tree service of gen4 and later devices, and c6xx is gen2: use dc"]
    );
    assert_eq!(
        e("dc;dc", "c6xx_dev0.conf"),
        ["c6xx_dev0.conf:2: ServicesEnabled = dc;dc is not allowed on c6xx: \"dc\" repeats a service already listed: name each service once"]
    );
    let text = "[GENERAL]\nServicesEnabled = cy;dc\nServicesProfile = COMPRESSION\n";
    assert_eq!(
        errors("c6xx_dev0.conf", text),
        ["c6xx_dev0.conf:3: ServicesProfile = COMPRESSION offers only compression but ServicesEnabled = cy;dc includes crypto: remove crypto from ServicesEnabled or use ServicesProfile = DEFAULT"]
    );
    // Gen4 accepts the in-tree vocabulary, including dcc alone.
    let (ep, _) = parse_endpoint_str(
        "4xxx_dev1.conf",
        &conf("dcc", &user_section("SSL", 1, 0, 4, 1)),
    )
    .unwrap();
    assert_eq!(ep.services.to_string(), "dcc");
}

#[test]
fn instances_of_a_service_not_enabled_are_errors() {
    let text = conf("dc", &user_section("SSL", 2, 1, 1, 1));
    assert_eq!(
        errors("c6xx_dev0.conf", &text),
        ["c6xx_dev0.conf:8: [SSL] asks for 1 Cy instances but ServicesEnabled = dc enables no crypto service: set NumberCyInstances = 0 or add cy to ServicesEnabled"]
    );
    let text = conf("sym;asym", &user_section("SSL", 2, 1, 1, 1));
    assert_eq!(
        errors("4xxx_dev0.conf", &text),
        ["4xxx_dev0.conf:9: [SSL] asks for 1 Dc instances but ServicesEnabled = sym;asym enables no compression: set NumberDcInstances = 0 or add dc to ServicesEnabled"]
    );
}

#[test]
fn kernel_dc_instances_are_ignored_with_a_warning() {
    let text = conf("cy;dc", "[KERNEL]\nNumberCyInstances = 1\nNumberDcInstances = 2\nCy0Name = \"IPSec0\"\nDc0Name = \"x\"\n");
    let got = warnings("c6xx_dev0.conf", &text);
    assert_eq!(
        got,
        [
            "c6xx_dev0.conf:7: NumberDcInstances = 2 in [KERNEL] is ignored and set to 0: that section has crypto instances only; put compression instances in [KERNEL_QAT]",
            "c6xx_dev0.conf:9: Dc0Name is ignored: [KERNEL] has NumberDcInstances = 0 ([KERNEL] has no Dc instances); put compression instances in [KERNEL_QAT]",
        ]
    );
}

#[test]
fn names_and_core_affinity_limits() {
    let long = "x".repeat(65);
    let text = conf(
        "cy",
        &format!("[SSL]\nNumberCyInstances = 1\nCy0Name = \"{long}\"\n"),
    );
    assert_eq!(
        errors("c6xx_dev0.conf", &text),
        ["c6xx_dev0.conf:7: Cy0Name is 65 characters long: use at most 64"]
    );
    let ok = conf(
        "cy",
        &format!(
            "[SSL]\nNumberCyInstances = 1\nCy0Name = \"{}\"\nCy0CoreAffinity = 4095\n",
            "x".repeat(64)
        ),
    );
    let w = warnings("c6xx_dev0.conf", &ok);
    assert_eq!(w.len(), 1);
    assert!(w[0].starts_with(
        "c6xx_dev0.conf:8: Cy0CoreAffinity = 4095 names a core this machine does not have"
    ));
    // Missing names are grouped in ranges.
    let text = conf("cy", "[SSL]\nNumberCyInstances = 5\nCy0Name = \"a\"\n");
    assert_eq!(
        errors("c6xx_dev0.conf", &text),
        ["c6xx_dev0.conf:6: [SSL] has NumberCyInstances = 5 but no Cy1Name … Cy4Name: add a name for each instance, e.g. Cy1Name = \"SSL1\""]
    );
    let text = conf(
        "cy",
        "[SSL]\nNumCyInstances = 1\nNumberCyInstances = 1\nCy0Name = \"a\"\n",
    );
    assert_eq!(
        errors("c6xx_dev0.conf", &text),
        ["c6xx_dev0.conf:7: NumberCyInstances repeats the count NumCyInstances set at line 6: keep one of the two"]
    );
}

#[test]
fn structural_errors() {
    assert_eq!(
        errors("c6xx_dev0.conf", "ServicesEnabled = cy\n[GENERAL]\n"),
        ["c6xx_dev0.conf:1: ServicesEnabled comes before any section header: put it under [GENERAL] or the section it belongs to"]
    );
    let long = "S".repeat(128);
    assert_eq!(
        errors("c6xx_dev0.conf", &format!("[{long}]\n")),
        ["c6xx_dev0.conf:1: the section name is 128 bytes long: use a name shorter than 128 bytes"]
    );
    assert_eq!(
        errors("c6xx_dev0.conf", "[]\n"),
        ["c6xx_dev0.conf:1: the section header [] has no name: name it, e.g. [SSL]"]
    );
    let vf = conf("cy", "[KERNEL_QAT]\nNumberCyInstances = 1\nCy0Name = \"k\"\n[SSL]\nNumberCyInstances = 1\nCy0Name = \"u\"\n");
    assert_eq!(
        errors("c6xxvf_dev3.conf", &vf),
        ["c6xxvf_dev3.conf:8: this VF has kernel instances in [KERNEL_QAT] and user-space instances in [SSL]: a VF serves either kernel or user space, so move one of them to another VF"]
    );
    let e = parse_endpoint_str("/etc/my.conf", "").unwrap_err();
    assert_eq!(
        e.to_string(),
        "/etc/my.conf: the file name does not say which endpoint it configures: name it <class>_dev<N>.conf or <class>vf_dev<N>.conf with class one of dh895xcc, c3xxx, c6xx, 4xxx, 420xx, 6xxx (e.g. c6xx_dev0.conf)"
    );
    let w = warnings("c6xx_dev0.conf", "[general]\nX = 1\n");
    assert_eq!(
        w[0],
        "c6xx_dev0.conf: no [GENERAL] section: using the defaults (ServicesEnabled = cy;dc)"
    );
    assert_eq!(w[1], "c6xx_dev0.conf:1: [general] is read as a user-process section: section names are case-sensitive, write [GENERAL] if that is what you meant");
}

#[test]
fn section_name_requests_are_checked() {
    let cfg = SystemConfig::builtin_default();
    assert!(matches!(
        cfg.internal_sections(""),
        Err(ConfigError::EmptySectionName)
    ));
    assert_eq!(
        cfg.internal_sections(&"a".repeat(128))
            .unwrap_err()
            .to_string(),
        "the section name is 128 bytes long: use a name shorter than 128 bytes"
    );
    assert_eq!(cfg.internal_sections(&"a".repeat(127)).unwrap().len(), 16);
    assert_eq!(
        cfg.internal_sections("").unwrap_err().to_string(),
        "the section name is empty: pass the name of a section of the configuration files, e.g. \"SSL\""
    );
}
