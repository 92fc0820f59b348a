//! Per-endpoint configuration files (`<class>_dev<N>.conf`, out-of-tree
//! format): `[GENERAL]`, `[KERNEL]`, `[KERNEL_QAT]`, user-process sections
//! and `[DYN]`.

use std::path::Path;

use crate::class::{DeviceClass, Generation};
use crate::diag::{closest, ConfigErrors, Diagnostic, Warning};
use crate::ini::{lex, shorten, Entry, RawSection};
use crate::model::{
    EndpointConfig, General, InstanceConfig, InstanceService, Polling, SectionConfig, SectionKind,
    SectionLines, ServicesProfile,
};
use crate::placement;
use crate::services::{ServiceSet, Vocabulary};

/// What a per-endpoint file name says: `c6xx_dev0.conf` → (c6xx, PF, 0).
pub fn parse_file_name(file_name: &str) -> Option<(&'static DeviceClass, bool, u32)> {
    let stem = file_name.strip_suffix(".conf")?;
    let (type_name, n) = stem.rsplit_once("_dev")?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || (n.len() > 1 && n.starts_with('0'))
    {
        return None;
    }
    let id: u32 = n.parse().ok()?;
    let (class, is_vf) = DeviceClass::by_type_name(type_name)?;
    Some((class, is_vf, id))
}

/// What a configuration file is, by its name (the last path component).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An endpoint file, `<class>_dev<N>.conf` or `<class>vf_dev<N>.conf`.
    Endpoint {
        /// The device class.
        class: &'static DeviceClass,
        /// A VF's file.
        is_vf: bool,
        /// The endpoint number N.
        id: u32,
    },
    /// Any other name: the managed-mode file (`/etc/sysconfig/qat`).
    Managed,
}

/// What the file named `file_name` (a path or a bare name) is: every name
/// of the form `*_dev<N>.conf` is an endpoint file, and an error when its
/// class is not known or N is not written as the driver writes it; any
/// other name is a managed-mode file.
pub fn file_kind(file_name: &str) -> Result<FileKind, String> {
    let base = file_name.rsplit('/').next().unwrap_or(file_name);
    let Some((type_name, n)) = base
        .strip_suffix(".conf")
        .and_then(|stem| stem.rsplit_once("_dev"))
    else {
        return Ok(FileKind::Managed);
    };
    if let Some((class, is_vf, id)) = parse_file_name(base) {
        return Ok(FileKind::Endpoint { class, is_vf, id });
    }
    let pattern = "endpoint files are named <class>_dev<N>.conf or <class>vf_dev<N>.conf";
    let type_name = shorten(type_name);
    if DeviceClass::by_type_name(&type_name).is_none() {
        return Err(format!(
            "{type_name} is not a device class softqat knows: {pattern} with class one of {} (e.g. 4xxx_dev0.conf)",
            DeviceClass::class_names().join(", ")
        ));
    }
    let n = shorten(n);
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "\"{n}\" is not an endpoint number: {pattern} with N a decimal number (e.g. {type_name}_dev0.conf)"
        ));
    }
    let trimmed = n.trim_start_matches('0');
    if trimmed.len() != n.len() && n.parse::<u32>().is_ok() {
        let fixed = if trimmed.is_empty() { "0" } else { trimmed };
        return Err(format!(
            "write the endpoint number without leading zeros: {type_name}_dev{fixed}.conf"
        ));
    }
    Err(format!(
        "endpoint number {n} is too large: number endpoints from 0 (e.g. {type_name}_dev0.conf)"
    ))
}

/// Reads and validates one endpoint file; the class, PF/VF and N come from
/// the file name (`<class>_dev<N>.conf` or `<class>vf_dev<N>.conf`).
pub fn parse_endpoint_file(
    path: impl AsRef<Path>,
) -> Result<(EndpointConfig, Vec<Warning>), ConfigErrors> {
    let path = path.as_ref();
    let shown = path.display().to_string();
    let bytes = crate::text::read(&shown, path)?;
    parse_endpoint_bytes(&shown, &bytes)
}

/// Validates endpoint file bytes (as [`parse_endpoint_str`]): a line that
/// is not UTF-8 outside its comment is an error at its line; the rest of
/// the file is still checked.
pub fn parse_endpoint_bytes(
    file_name: &str,
    bytes: &[u8],
) -> Result<(EndpointConfig, Vec<Warning>), ConfigErrors> {
    let (text, text_errors) = crate::text::decode(file_name, bytes, crate::text::Syntax::Endpoint);
    merge(text_errors, parse_endpoint_str(file_name, &text))
}

/// The result of parsing a text, with the errors of decoding its bytes
/// added in line order.
pub(crate) fn merge<T>(
    mut text_errors: Vec<Diagnostic>,
    parsed: Result<(T, Vec<Warning>), ConfigErrors>,
) -> Result<(T, Vec<Warning>), ConfigErrors> {
    if text_errors.is_empty() {
        return parsed;
    }
    let (mut errors, warnings) = match parsed {
        Ok((_, w)) => (Vec::new(), w),
        Err(e) => (e.errors, e.warnings),
    };
    // A blanked line can make a file look empty: that error would only
    // repeat the line's own.
    errors.retain(|d| {
        !(d.message.starts_with("the file configures nothing")
            && text_errors.iter().any(|t| t.file == d.file))
    });
    text_errors.append(&mut errors);
    // By file (in order of first mention), then by line.
    let mut order: Vec<String> = Vec::new();
    for d in &text_errors {
        if !order.contains(&d.file) {
            order.push(d.file.clone());
        }
    }
    text_errors.sort_by_key(|d| (order.iter().position(|f| *f == d.file), d.line));
    Err(ConfigErrors {
        errors: text_errors,
        warnings,
    })
}

/// Validates endpoint file text. `file_name` is what messages show; its last
/// path component must be `<class>_dev<N>.conf` or `<class>vf_dev<N>.conf`.
pub fn parse_endpoint_str(
    file_name: &str,
    text: &str,
) -> Result<(EndpointConfig, Vec<Warning>), ConfigErrors> {
    let base = file_name.rsplit('/').next().unwrap_or(file_name);
    let Some((class, is_vf, id)) = parse_file_name(base) else {
        return Err(ConfigErrors {
            errors: vec![Diagnostic::file(
                file_name,
                format!(
                    "the file name does not say which endpoint it configures: name it <class>_dev<N>.conf or <class>vf_dev<N>.conf with class one of {} (e.g. c6xx_dev0.conf)",
                    DeviceClass::class_names().join(", ")
                ),
            )],
            warnings: Vec::new(),
        });
    };
    parse_endpoint_str_as(file_name, text, class, is_vf, id)
}

/// Validates endpoint file text for an endpoint given explicitly (for files
/// whose name does not follow the `<class>_dev<N>.conf` pattern).
pub fn parse_endpoint_str_as(
    file_name: &str,
    text: &str,
    class: &'static DeviceClass,
    is_vf: bool,
    id: u32,
) -> Result<(EndpointConfig, Vec<Warning>), ConfigErrors> {
    let mut p = Parser {
        file: file_name,
        errors: Vec::new(),
        warnings: Vec::new(),
        cores: machine_cores(),
    };
    let raw = lex(file_name, text, &mut p.errors);
    if raw.is_empty() && p.errors.is_empty() {
        // Nothing configured at all: defaults would give an endpoint no
        // process can use, which is never what an empty file meant.
        return Err(ConfigErrors {
            errors: vec![Diagnostic::file(
                file_name,
                "the file configures nothing (it has no sections): an endpoint file needs [GENERAL] with ServicesEnabled, and a section for the processes that use the endpoint, e.g. [SSL] with NumProcesses, NumberCyInstances or NumberDcInstances and an instance name for each",
            )],
            warnings: Vec::new(),
        });
    }
    let ep = p.endpoint(&raw, class, is_vf, id);
    // Whole-file messages first, then by line (stable: same-line messages
    // keep their order).
    p.errors.sort_by_key(|d| d.line);
    p.warnings.sort_by_key(|d| d.line);
    if p.errors.is_empty() {
        Ok((ep, p.warnings))
    } else {
        Err(ConfigErrors {
            errors: p.errors,
            warnings: p.warnings,
        })
    }
}

/// Cores of this machine (at least 1).
pub(crate) fn machine_cores() -> u32 {
    std::thread::available_parallelism()
        .map(|n| u32::try_from(n.get()).unwrap_or(u32::MAX))
        .unwrap_or(1)
}

/// Highest core number a `CoreAffinity` may name (the CpaInstanceInfo2 core
/// bitmap has 4096 bits).
const MAX_CORE: u32 = 4095;
/// Upper bound on NumProcesses (softqat's own limit, far above any budget).
const MAX_PROCESSES: u32 = 1024;
/// Upper bound on a user section's instance count: the most any class's
/// endpoint can hold (dh895xcc: 32 banks × 8 ring pairs).
const MAX_USER_INSTANCES: u32 = 256;
/// Instance count bound of the kernel sections (Guide Tables 12 and 13).
const MAX_KERNEL_INSTANCES: u32 = 32;
/// Longest instance name (Guide Tables 16 and 17).
const MAX_NAME_CHARS: usize = 64;

const GENERAL_KEYS: &[&str] = &[
    "ServicesEnabled",
    "ConfigVersion",
    "ServicesProfile",
    "CyNumConcurrentSymRequests",
    "CyNumConcurrentAsymRequests",
    "DcNumConcurrentRequests",
    "DcIntermediateBufferSizeInKB",
    "AutoResetOnError",
    "statsGeneral",
    "statsDh",
    "statsDrbg",
    "statsDsa",
    "statsEcc",
    "statsKeyGen",
    "statsDc",
    "statsLn",
    "statsPrime",
    "statsRsa",
    "statsSym",
    "InterruptCoalescingEnabled",
    "InterruptCoalescingTimerNs",
    "InterruptCoalescingNumResponses",
    "HeartbeatTimer",
];

/// Kernel-driver keys of `[GENERAL]` that are accepted and kept verbatim.
const GENERAL_OTHER_KEYS: &[&str] = &[
    "StorageEnabled",
    "PkeServiceDisabled",
    "DcTotalSRAMAvailable",
    "ProcDebug",
    "Firmware_MofPath",
    "Firmware_MmpPath",
    "Firmware_UofPath",
    "SriovEnabled",
    "PmIdleSupport",
    "KptEnabled",
    "SVMEnabled",
    "ATEnabled",
    "RateLimitingEnabled",
];

const USER_KEYS: &[&str] = &[
    "NumProcesses",
    "LimitDevAccess",
    "NumberCyInstances",
    "NumberDcInstances",
    "NumCyInstances",
    "NumDcInstances",
];
const KERNEL_KEYS: &[&str] = &["NumberCyInstances", "NumberDcInstances"];
const DYN_KEYS: &[&str] = &["NumberCyInstances", "NumberDcInstances", "NumProcesses"];
const INSTANCE_SUFFIXES: &[&str] = &["Name", "IsPolled", "CoreAffinity"];

const REQUEST_SIZES: &str = "64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536";

fn parse_u32(v: &str) -> Option<u32> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

fn shown_value(v: &str) -> String {
    if v.is_empty() {
        "(empty)".to_string()
    } else {
        shorten(v)
    }
}

/// Splits `Cy12IsPolled` into (Cy, 12, "IsPolled").
fn split_instance_key(key: &str) -> Option<(InstanceService, u32, &str)> {
    let (service, rest) = if let Some(r) = key.strip_prefix("Cy") {
        (InstanceService::Cy, r)
    } else if let Some(r) = key.strip_prefix("Dc") {
        (InstanceService::Dc, r)
    } else {
        return None;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let index: u32 = rest[..digits].parse().ok()?;
    Some((service, index, &rest[digits..]))
}

#[derive(Default)]
struct PartialInstance {
    /// A NameKey was present (valid or not).
    name_key: bool,
    name: Option<(String, u32)>,
    polling: Option<Polling>,
    core: Option<u32>,
}

struct Parser<'a> {
    file: &'a str,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    cores: u32,
}

impl Parser<'_> {
    fn error(&mut self, line: u32, msg: impl Into<String>) {
        self.errors.push(Diagnostic::at(self.file, line, msg));
    }

    fn warn(&mut self, line: u32, msg: impl Into<String>) {
        self.warnings.push(Diagnostic::at(self.file, line, msg));
    }

    /// A number that satisfies `ok`, or an error `Key = v is not allowed: use …`.
    fn number(&mut self, e: &Entry, ok: impl Fn(u32) -> bool, allowed: &str) -> Option<u32> {
        match parse_u32(&e.value) {
            Some(v) if ok(v) => Some(v),
            _ => {
                self.error(
                    e.line,
                    format!(
                        "{} = {} is not allowed: use {allowed}",
                        e.key,
                        shown_value(&e.value)
                    ),
                );
                None
            }
        }
    }

    fn flag(&mut self, e: &Entry) -> Option<bool> {
        self.number(e, |v| v <= 1, "0 or 1").map(|v| v == 1)
    }

    fn unknown_key(&mut self, e: &Entry, section: &str, kind: Option<SectionKind>) {
        let key = e.key.as_str();
        // A key that belongs to another kind of section.
        let home = if kind.is_some()
            && (GENERAL_KEYS.contains(&key) || GENERAL_OTHER_KEYS.contains(&key))
        {
            Some("[GENERAL]".to_string())
        } else if kind.is_none()
            && (USER_KEYS.contains(&key)
                || split_instance_key(key).is_some_and(|(_, _, s)| INSTANCE_SUFFIXES.contains(&s)))
        {
            Some("an instance section such as [SSL]".to_string())
        } else if kind == Some(SectionKind::Dyn)
            && split_instance_key(key).is_some_and(|(_, _, s)| INSTANCE_SUFFIXES.contains(&s))
        {
            Some(
                "a user-process section ([DYN] instances are not configured one by one)"
                    .to_string(),
            )
        } else if matches!(kind, Some(SectionKind::Kernel | SectionKind::KernelQat))
            && USER_KEYS.contains(&key)
        {
            Some("a user-process section such as [SSL]".to_string())
        } else {
            None
        };
        if let Some(home) = home {
            self.warn(
                e.line,
                format!("{key} does not belong in [{section}] and is ignored: move it to {home}"),
            );
            return;
        }
        let suggestion: Option<String> = match split_instance_key(key) {
            Some((svc, idx, suffix)) if kind.is_some_and(|k| k != SectionKind::Dyn) => {
                closest(suffix, INSTANCE_SUFFIXES).map(|s| format!("{}{idx}{s}", svc.prefix()))
            }
            _ => {
                let known: Vec<&str> = match kind {
                    None => GENERAL_KEYS
                        .iter()
                        .chain(GENERAL_OTHER_KEYS)
                        .copied()
                        .collect(),
                    Some(SectionKind::User) => USER_KEYS.to_vec(),
                    Some(SectionKind::Dyn) => DYN_KEYS.to_vec(),
                    Some(_) => KERNEL_KEYS.to_vec(),
                };
                let mut best = closest(key, &known).map(str::to_string);
                if best.is_none() && kind.is_some_and(|k| k != SectionKind::Dyn) {
                    let candidates = ["Cy0Name", "Cy0IsPolled", "Cy0CoreAffinity"];
                    best = closest(key, &candidates).map(str::to_string);
                }
                best
            }
        };
        let msg = match suggestion {
            Some(s) => format!("unknown key {key} in [{section}] is ignored: did you mean {s}?"),
            None => format!("unknown key {key} in [{section}] is ignored: check its spelling (keys are case-sensitive)"),
        };
        self.warn(e.line, msg);
    }

    fn endpoint(
        &mut self,
        raw: &[RawSection],
        class: &'static DeviceClass,
        is_vf: bool,
        id: u32,
    ) -> EndpointConfig {
        for s in raw {
            for reserved in ["GENERAL", "KERNEL", "KERNEL_QAT", "DYN"] {
                if s.name != reserved && s.name.eq_ignore_ascii_case(reserved) {
                    self.warn(
                        s.line,
                        format!(
                            "[{}] is read as a user-process section: section names are case-sensitive, write [{reserved}] if that is what you meant",
                            s.name
                        ),
                    );
                }
            }
        }
        let general_raw = raw.iter().find(|s| s.name == "GENERAL");
        let (general, services, services_line, services_ok) =
            self.general(general_raw, class, is_vf, id);
        let mut sections = Vec::new();
        for s in raw.iter().filter(|s| s.name != "GENERAL") {
            sections.push(self.section(s));
        }

        let mut ep = EndpointConfig {
            id,
            class,
            is_vf,
            bdf: crate::class::synthetic_bdf(class, is_vf, 0, 0),
            file: self.file.to_string(),
            services,
            general,
            sections,
            instances: Vec::new(),
            num_vfs: 0,
            parent_pf: None,
            services_line,
        };

        if is_vf {
            let has_instances = |s: &&SectionConfig| !s.cy.is_empty() || !s.dc.is_empty();
            let kernel = ep
                .sections
                .iter()
                .filter(has_instances)
                .find(|s| matches!(s.kind, SectionKind::Kernel | SectionKind::KernelQat));
            let user = ep
                .sections
                .iter()
                .filter(has_instances)
                .find(|s| s.kind == SectionKind::User);
            if let (Some(k), Some(u)) = (kernel, user) {
                self.error(
                    u.lines.header,
                    format!(
                        "this VF has kernel instances in [{}] and user-space instances in [{}]: a VF serves either kernel or user space, so move one of them to another VF",
                        k.name, u.name
                    ),
                );
            }
        }

        if services_ok {
            let mut diags = Vec::new();
            placement::check_services_used(&ep, &mut diags);
            if diags.is_empty() {
                placement::check_budget(&ep, ep.services, None, &mut diags);
            }
            self.errors.extend(diags);
        }
        if self.errors.is_empty() {
            match placement::place(&ep, ep.services) {
                Ok(list) => ep.instances = list,
                Err(msg) => self.errors.push(Diagnostic::file(self.file, msg)),
            }
        }
        ep
    }

    /// Parses `[GENERAL]`; returns it, the service set, the line of
    /// ServicesEnabled and whether the services are usable.
    fn general(
        &mut self,
        sec: Option<&RawSection>,
        class: &'static DeviceClass,
        is_vf: bool,
        id: u32,
    ) -> (General, ServiceSet, Option<u32>, bool) {
        let type_name = class.type_name(is_vf);
        let default_services = match class.generation {
            Generation::Gen2 => ServiceSet::CY.union(ServiceSet::DC),
            // adf_gen4_cfg_dev_init, which gen6 shares: even accel_id
            // sym;asym, odd dc.
            Generation::Gen4 | Generation::Gen6 if id & 1 == 0 => ServiceSet::CY,
            Generation::Gen4 | Generation::Gen6 => ServiceSet::DC,
        };
        let mut g = General::default();
        let mut services = default_services;
        let mut services_line = None;
        let mut services_ok = true;
        let mut profile_line = None;
        let Some(sec) = sec else {
            self.warnings.push(Diagnostic::file(
                self.file,
                format!(
                    "no [GENERAL] section: using the defaults (ServicesEnabled = {})",
                    default_services.spelling_for(class.generation)
                ),
            ));
            return (g, services, None, true);
        };
        for e in &sec.entries {
            match e.key.as_str() {
                "ServicesEnabled" => {
                    services_line = Some(e.line);
                    g.services_spelling = Some(e.value.clone());
                    match ServiceSet::parse(&e.value, Vocabulary::EndpointFile).and_then(|s| {
                        s.check_generation(class.generation, class.name).map(|()| s)
                    }) {
                        Ok(s) => services = s,
                        Err(reason) => {
                            services_ok = false;
                            self.error(
                                e.line,
                                format!(
                                    "ServicesEnabled = {} is not allowed on {type_name}: {reason}",
                                    shown_value(&e.value)
                                ),
                            );
                        }
                    }
                }
                "ConfigVersion" => match parse_u32(&e.value) {
                    Some(2) => g.config_version = Some(2),
                    _ => self.error(
                        e.line,
                        format!(
                            "ConfigVersion = {} is not supported: this is the version 2 format (the older v1 format is not read); write the file in that format and set ConfigVersion = 2",
                            shown_value(&e.value)
                        ),
                    ),
                },
                "ServicesProfile" => {
                    profile_line = Some(e.line);
                    match e.value.as_str() {
                        "DEFAULT" => g.services_profile = ServicesProfile::Default,
                        "CRYPTO" => g.services_profile = ServicesProfile::Crypto,
                        "COMPRESSION" => g.services_profile = ServicesProfile::Compression,
                        "CUSTOM1" => g.services_profile = ServicesProfile::Custom1,
                        _ => self.error(
                            e.line,
                            format!(
                                "ServicesProfile = {} is not allowed: use DEFAULT, CRYPTO, COMPRESSION or CUSTOM1",
                                shown_value(&e.value)
                            ),
                        ),
                    }
                }
                "CyNumConcurrentSymRequests" | "CyNumConcurrentAsymRequests" | "DcNumConcurrentRequests" => {
                    let ok = |v: u32| v.is_power_of_two() && (64..=65536).contains(&v);
                    if let Some(v) = self.number(e, ok, &format!("one of {REQUEST_SIZES}")) {
                        match e.key.as_str() {
                            "CyNumConcurrentSymRequests" => g.cy_sym_requests = v,
                            "CyNumConcurrentAsymRequests" => g.cy_asym_requests = v,
                            _ => g.dc_requests = v,
                        }
                    }
                }
                "DcIntermediateBufferSizeInKB" => {
                    if let Some(v) = self.number(e, |v| v == 32 || v == 64, "32 or 64") {
                        g.dc_intermediate_buffer_kb = v;
                    }
                }
                "AutoResetOnError" => {
                    if let Some(v) = self.flag(e) {
                        g.auto_reset_on_error = v;
                    }
                }
                "statsGeneral" | "statsDh" | "statsDrbg" | "statsDsa" | "statsEcc" | "statsKeyGen"
                | "statsDc" | "statsLn" | "statsPrime" | "statsRsa" | "statsSym" => {
                    if let Some(v) = self.flag(e) {
                        let st = &mut g.statistics;
                        let slot = match e.key.as_str() {
                            "statsGeneral" => &mut st.general,
                            "statsDh" => &mut st.dh,
                            "statsDrbg" => &mut st.drbg,
                            "statsDsa" => &mut st.dsa,
                            "statsEcc" => &mut st.ecc,
                            "statsKeyGen" => &mut st.key_gen,
                            "statsDc" => &mut st.dc,
                            "statsLn" => &mut st.ln,
                            "statsPrime" => &mut st.prime,
                            "statsRsa" => &mut st.rsa,
                            _ => &mut st.sym,
                        };
                        *slot = v;
                    }
                }
                "InterruptCoalescingEnabled" => {
                    if let Some(v) = self.flag(e) {
                        g.interrupt_coalescing.enabled = v;
                    }
                }
                "InterruptCoalescingTimerNs" => {
                    if let Some(v) = self.number(e, |_| true, "a number of nanoseconds, e.g. 10000") {
                        g.interrupt_coalescing.timer_ns = v;
                    }
                }
                "InterruptCoalescingNumResponses" => {
                    if let Some(v) = self.number(e, |_| true, "a number of responses (0 = timer only)") {
                        g.interrupt_coalescing.num_responses = v;
                    }
                }
                "HeartbeatTimer" => {
                    if let Some(v) = self.number(e, |v| v >= 200, "a period of 200 ms or more") {
                        g.heartbeat_timer_ms = Some(v);
                    }
                }
                k if GENERAL_OTHER_KEYS.contains(&k) => g.other.push((e.key.clone(), e.value.clone())),
                _ => self.unknown_key(e, "GENERAL", None),
            }
        }
        if services_line.is_none() {
            self.warn(
                sec.line,
                format!(
                    "[GENERAL] has no ServicesEnabled: using {}",
                    default_services.spelling_for(class.generation)
                ),
            );
        }
        if services_ok {
            let (conflict, offered) = match g.services_profile {
                ServicesProfile::Crypto if services.has_dc() => (Some("dc"), "crypto"),
                ServicesProfile::Compression if services.has_crypto() => {
                    (Some("crypto"), "compression")
                }
                _ => (None, ""),
            };
            if let (Some(what), Some(line)) = (conflict, profile_line) {
                services_ok = false;
                let spelled = g
                    .services_spelling
                    .clone()
                    .unwrap_or_else(|| services.spelling_for(class.generation));
                self.error(
                    line,
                    format!(
                        "ServicesProfile = {} offers only {offered} but ServicesEnabled = {spelled} includes {what}: remove {what} from ServicesEnabled or use ServicesProfile = DEFAULT",
                        match g.services_profile {
                            ServicesProfile::Crypto => "CRYPTO",
                            _ => "COMPRESSION",
                        }
                    ),
                );
            }
        }
        (g, services, services_line, services_ok)
    }

    fn section(&mut self, s: &RawSection) -> SectionConfig {
        let kind = match s.name.as_str() {
            "KERNEL" => SectionKind::Kernel,
            "KERNEL_QAT" => SectionKind::KernelQat,
            "DYN" => SectionKind::Dyn,
            _ => SectionKind::User,
        };
        let name = s.name.as_str();
        let max_count = match kind {
            SectionKind::Kernel | SectionKind::KernelQat => MAX_KERNEL_INSTANCES,
            _ => MAX_USER_INSTANCES,
        };
        let count_allowed = format!("0 to {max_count}");
        let mut out = SectionConfig {
            name: s.name.clone(),
            kind,
            num_processes: 1,
            limit_dev_access: false,
            cy: Vec::new(),
            dc: Vec::new(),
            lines: SectionLines {
                header: s.line,
                ..SectionLines::default()
            },
        };
        // (count, count key was valid)
        let mut counts = [(0u32, true), (0u32, true)];
        let mut count_keys: [Option<&Entry>; 2] = [None, None];
        let mut instance_keys: Vec<(InstanceService, u32, &str, &Entry)> = Vec::new();

        for e in &s.entries {
            let key = e.key.as_str();
            let count_slot = match (kind, key) {
                (_, "NumberCyInstances") => Some(0),
                (SectionKind::User, "NumCyInstances") => Some(0),
                (_, "NumberDcInstances") => Some(1),
                (SectionKind::User, "NumDcInstances") => Some(1),
                _ => None,
            };
            if let Some(slot) = count_slot {
                if let Some(first) = count_keys[slot] {
                    self.error(
                        e.line,
                        format!(
                            "{key} repeats the count {} set at line {}: keep one of the two",
                            first.key, first.line
                        ),
                    );
                    continue;
                }
                count_keys[slot] = Some(e);
                if kind == SectionKind::Kernel && slot == 1 {
                    if e.value != "0" {
                        self.warn(
                            e.line,
                            format!(
                                "NumberDcInstances = {} in [KERNEL] is ignored and set to 0: that section has crypto instances only; put compression instances in [KERNEL_QAT]",
                                shown_value(&e.value)
                            ),
                        );
                    }
                    continue;
                }
                let key_name: &'static str = if key.starts_with("Number") {
                    if slot == 0 {
                        "NumberCyInstances"
                    } else {
                        "NumberDcInstances"
                    }
                } else if slot == 0 {
                    "NumCyInstances"
                } else {
                    "NumDcInstances"
                };
                if slot == 0 {
                    out.lines.cy = Some((e.line, key_name));
                } else {
                    out.lines.dc = Some((e.line, key_name));
                }
                match self.number(e, |v| v <= max_count, &count_allowed) {
                    Some(v) => counts[slot] = (v, true),
                    None => counts[slot] = (0, false),
                }
                continue;
            }
            match (kind, key) {
                (SectionKind::User | SectionKind::Dyn, "NumProcesses") => {
                    if let Some(v) = self.number(
                        e,
                        |v| (1..=MAX_PROCESSES).contains(&v),
                        &format!(
                            "1 to {MAX_PROCESSES} (remove the section to give no process access)"
                        ),
                    ) {
                        out.num_processes = v;
                    }
                }
                (SectionKind::User, "LimitDevAccess") => {
                    if let Some(v) = self.flag(e) {
                        out.limit_dev_access = v;
                    }
                }
                (SectionKind::User | SectionKind::Kernel | SectionKind::KernelQat, _) => {
                    match split_instance_key(key) {
                        Some((svc, idx, suffix)) if INSTANCE_SUFFIXES.contains(&suffix) => {
                            instance_keys.push((svc, idx, suffix, e));
                        }
                        _ => self.unknown_key(e, name, Some(kind)),
                    }
                }
                _ => self.unknown_key(e, name, Some(kind)),
            }
        }

        if kind == SectionKind::Dyn {
            for (slot, svc) in [(0usize, InstanceService::Cy), (1, InstanceService::Dc)] {
                let list: Vec<InstanceConfig> = (0..counts[slot].0)
                    .map(|k| InstanceConfig {
                        name: format!("Dyn{}{k}", svc.prefix()),
                        polling: Polling::Polled,
                        core_affinity: k % self.cores.max(1),
                    })
                    .collect();
                match svc {
                    InstanceService::Cy => out.cy = list,
                    InstanceService::Dc => out.dc = list,
                }
            }
            return out;
        }

        for (slot, svc) in [(0usize, InstanceService::Cy), (1, InstanceService::Dc)] {
            let (count, count_ok) = counts[slot];
            let count_key = match (slot, count_keys[slot]) {
                (_, Some(e)) => e.key.clone(),
                (0, None) => "NumberCyInstances".to_string(),
                _ => "NumberDcInstances".to_string(),
            };
            let count_line = count_keys[slot].map_or(s.line, |e| e.line);
            // With a broken count, still check the instance keys' values
            // (but not which names are missing).
            let slots = if count_ok {
                count
            } else {
                instance_keys
                    .iter()
                    .filter(|(sv, ..)| *sv == svc)
                    .map(|(_, idx, ..)| idx.saturating_add(1))
                    .max()
                    .unwrap_or(0)
                    .min(max_count)
            };
            let mut partial: Vec<PartialInstance> = Vec::new();
            partial.resize_with(slots as usize, PartialInstance::default);
            for (_, idx, suffix, e) in instance_keys.iter().filter(|(sv, ..)| *sv == svc) {
                let idx = *idx;
                if idx >= slots {
                    if count_ok {
                        let effective = if kind == SectionKind::Kernel && svc == InstanceService::Dc
                        {
                            " ([KERNEL] has no Dc instances)".to_string()
                        } else {
                            String::new()
                        };
                        let fix = if kind == SectionKind::Kernel && svc == InstanceService::Dc {
                            "put compression instances in [KERNEL_QAT]".to_string()
                        } else {
                            format!(
                                "raise {count_key} to {} to use it, or remove the key",
                                u64::from(idx) + 1
                            )
                        };
                        self.warn(
                            e.line,
                            format!(
                                "{} is ignored: [{name}] has {count_key} = {count}{effective}; {fix}",
                                e.key
                            ),
                        );
                    }
                    continue;
                }
                let Some(p) = partial.get_mut(idx as usize) else {
                    continue;
                };
                match *suffix {
                    "Name" => {
                        p.name_key = true;
                        let chars = e.value.chars().count();
                        if chars == 0 {
                            self.error(
                                e.line,
                                format!(
                                    "{} is empty: give the instance a name, e.g. {} = \"{}{idx}\"",
                                    e.key, e.key, if kind == SectionKind::User { name } else { "IPSec" }
                                ),
                            );
                        } else if chars > MAX_NAME_CHARS {
                            self.error(
                                e.line,
                                format!(
                                    "{} is {chars} characters long: use at most {MAX_NAME_CHARS}",
                                    e.key
                                ),
                            );
                        } else {
                            p.name = Some((e.value.clone(), e.line));
                        }
                    }
                    "IsPolled" => match (kind, parse_u32(&e.value)) {
                        (SectionKind::User, Some(1)) | (SectionKind::KernelQat | SectionKind::Kernel, Some(1)) => {
                            p.polling = Some(Polling::Polled)
                        }
                        (SectionKind::User, Some(2)) => p.polling = Some(Polling::Epoll),
                        (SectionKind::Kernel | SectionKind::KernelQat, Some(0)) => {
                            p.polling = Some(Polling::Interrupt)
                        }
                        (SectionKind::User, Some(0)) => self.error(
                            e.line,
                            format!(
                                "{} = 0 asks for interrupt mode, which user-space instances do not have: use 1 (polled) or 2 (epoll)",
                                e.key
                            ),
                        ),
                        (SectionKind::User, _) => self.error(
                            e.line,
                            format!(
                                "{} = {} is not allowed: use 1 (polled) or 2 (epoll)",
                                e.key,
                                shown_value(&e.value)
                            ),
                        ),
                        (_, Some(2)) => self.error(
                            e.line,
                            format!(
                                "{} = 2 asks for epoll mode, which is for user-space instances only: use 0 (interrupt) or 1 (polled)",
                                e.key
                            ),
                        ),
                        (_, _) => self.error(
                            e.line,
                            format!(
                                "{} = {} is not allowed: use 0 (interrupt) or 1 (polled)",
                                e.key,
                                shown_value(&e.value)
                            ),
                        ),
                    },
                    _ => {
                        if let Some(core) = self.number(
                            e,
                            |v| v <= MAX_CORE,
                            &format!("a core number from 0 to {MAX_CORE}"),
                        ) {
                            if core >= self.cores {
                                self.warn(
                                    e.line,
                                    format!(
                                        "{} = {core} names a core this machine does not have (it has {}): kept for the machine the file is meant for; here the instance is not pinned",
                                        e.key, self.cores
                                    ),
                                );
                            }
                            p.core = Some(core);
                        }
                    }
                }
            }
            // Every instance needs its name; report missing ones as ranges.
            let mut k = 0u32;
            let check_names = if count_ok { count } else { 0 };
            while k < check_names {
                if partial[k as usize].name_key {
                    k += 1;
                    continue;
                }
                let start = k;
                while k < check_names && !partial[k as usize].name_key {
                    k += 1;
                }
                let p = svc.prefix();
                let which = if k - start == 1 {
                    format!("no {p}{start}Name")
                } else {
                    format!("no {p}{start}Name … {p}{}Name", k - 1)
                };
                let example = if kind == SectionKind::User {
                    name
                } else {
                    "IPSec"
                };
                self.error(
                    count_line,
                    format!(
                        "[{name}] has {count_key} = {count} but {which}: add a name for each instance, e.g. {p}{start}Name = \"{example}{start}\""
                    ),
                );
            }
            let default_polling = if kind == SectionKind::User {
                Polling::Polled
            } else {
                Polling::Interrupt
            };
            let mut list = Vec::new();
            let mut seen: Vec<(String, u32)> = Vec::new();
            for (k, p) in partial.into_iter().enumerate() {
                let Some((inst_name, line)) = p.name else {
                    continue;
                };
                if let Some((_, other)) = seen.iter().find(|(n, _)| *n == inst_name) {
                    self.warn(
                        line,
                        format!(
                            "{}{k}Name = \"{inst_name}\" repeats the name of {}{other} in [{name}]: names should be unique within a section",
                            svc.prefix(),
                            svc.prefix()
                        ),
                    );
                }
                let k = u32::try_from(k).unwrap_or(u32::MAX);
                seen.push((inst_name.clone(), k));
                list.push(InstanceConfig {
                    name: inst_name,
                    polling: p.polling.unwrap_or(default_polling),
                    core_affinity: p.core.unwrap_or(k % self.cores.max(1)),
                });
            }
            match svc {
                InstanceService::Cy => out.cy = list,
                InstanceService::Dc => out.dc = list,
            }
        }
        out
    }
}
