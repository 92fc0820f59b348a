//! The configuration of a whole machine: its endpoints, where they came
//! from, the internal sections processes are given, and the facts the tools
//! print.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::class::{format_bdf, DeviceClass};
use crate::diag::{ConfigError, ConfigErrors, Diagnostic, Warning};
use crate::endpoint::{machine_cores, parse_endpoint_str_as, parse_file_name};
use crate::managed::ManagedConfig;
use crate::model::{
    EndpointConfig, General, Instance, InstanceService, PlacedInstance, Polling, RingPlacement,
    SectionKind,
};
use crate::placement;
use crate::services::{RingService, ServiceSet};

/// Where a [`SystemConfig`] came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// No files: qatlib's in-tree defaults with POLICY=0.
    Builtin,
    /// A managed-mode file (`/etc/sysconfig/qat`) applied to the built-in
    /// endpoints.
    Managed(Option<PathBuf>),
    /// Per-endpoint files found in a directory.
    Dir(PathBuf),
    /// Per-endpoint file texts handed over by the caller.
    Files,
}

/// One internal section (what one process gets from `icp_sal_userStart`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalSection {
    /// `SSL_DEV0_INT_0`, `IPsec_INT_0`, `SSL_INT_3` …
    pub name: String,
    /// The section name of the files (`SSL`).
    pub base_name: String,
    /// Process number `<i>` of the name.
    pub process: u32,
    /// `Some(n)` when the section is limited to `qat_dev<n>` (LimitDevAccess=1).
    pub endpoint: Option<u32>,
    /// Its instances: every Cy instance (numbered Cy0, Cy1 … across
    /// endpoints in endpoint order), then every Dc instance.
    pub instances: Vec<Instance>,
}

impl InternalSection {
    /// The Cy instances.
    pub fn cy(&self) -> impl Iterator<Item = &Instance> {
        self.instances
            .iter()
            .filter(|i| i.service == InstanceService::Cy)
    }

    /// The Dc instances.
    pub fn dc(&self) -> impl Iterator<Item = &Instance> {
        self.instances
            .iter()
            .filter(|i| i.service == InstanceService::Dc)
    }

    /// Ids of the endpoints its instances live on, ascending.
    pub fn endpoints(&self) -> Vec<u32> {
        self.instances
            .iter()
            .map(|i| i.endpoint)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }
}

/// The facts `qat_service status` prints about an endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointSummary {
    /// `qat_dev<N>`.
    pub name: String,
    /// N.
    pub id: u32,
    /// `c6xx`, `c6xxvf`, `4xxx` …
    pub type_name: String,
    /// Index among the endpoints of the same type.
    pub inst_id: u32,
    /// PCI address `dddd:bb:dd.f`.
    pub bdf: String,
    /// `#accel` (1 on a VF).
    pub accelerators: u32,
    /// `#engines` (1 on a VF).
    pub engines: u32,
    /// Services in the kernel's read-back order (`asym;sym;dc`…), whatever
    /// the file's spelling.
    pub services: String,
    /// Whether it is a VF.
    pub is_vf: bool,
}

impl EndpointSummary {
    /// `qat_dev0 - type: 4xxx, inst_id: 0, bsf: 0000:6b:00.0, #accel: 1 #engines: 9 state: up`.
    pub fn status_line(&self, state: &str) -> String {
        format!(
            "{} - type: {}, inst_id: {}, bsf: {}, #accel: {} #engines: {} state: {}",
            self.name,
            self.type_name,
            self.inst_id,
            self.bdf,
            self.accelerators,
            self.engines,
            state
        )
    }
}

/// All endpoints of the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemConfig {
    /// Endpoints ordered by id.
    pub endpoints: Vec<EndpointConfig>,
    /// Where they came from.
    pub source: Source,
    /// Managed/built-in mode: the qatmgr sections, `SSL_INT_<i>`.
    managed_sections: Vec<InternalSection>,
}

/// Built-in PF addresses (the first two 4xxx PFs of a real machine).
const BUILTIN_BDFS: [&str; 2] = ["0000:6b:00.0", "0000:70:00.0"];
/// VFs per built-in PF.
const BUILTIN_VFS: u32 = 16;
/// qatlib's in-flight limits per instance ring.
const QATLIB_SYM_REQUESTS: u32 = 512;
const QATLIB_ASYM_REQUESTS: u32 = 64;
const QATLIB_DC_REQUESTS: u32 = 512;

/// Which VFs of which PF each built-in section gets, by POLICY (qatlib:
/// VFs sorted so that equal device/function of every PF are adjacent;
/// POLICY=0 takes one VF of every PF, POLICY=N takes the next N).
fn managed_groups(num_pfs: u32, vfs: u32, policy: u32) -> Vec<Vec<(u32, u32)>> {
    let list: Vec<(u32, u32)> = (0..vfs)
        .flat_map(|v| (0..num_pfs).map(move |p| (p, v)))
        .collect();
    let chunk = if policy == 0 { num_pfs } else { policy };
    list.chunks(chunk.max(1) as usize)
        .map(<[_]>::to_vec)
        .collect()
}

impl SystemConfig {
    /// The configuration used when no file is found: qatlib with the in-tree
    /// driver and POLICY=0 (see [`SystemConfig::managed`]).
    pub fn builtin_default() -> SystemConfig {
        let mut s = Self::managed(&ManagedConfig::default());
        s.source = Source::Builtin;
        s
    }

    /// The built-in endpoints as qatmgr serves them under a managed-mode
    /// file: two 4xxx PFs, `qat_dev0` (0000:6b:00.0) and `qat_dev1`
    /// (0000:70:00.0), each with 16 VFs of 4 banks. ServicesEnabled applies
    /// to both PFs; unset, `qat_dev0` runs `sym;asym` and `qat_dev1` `dc`.
    ///
    /// Sections are named `SSL_INT_<i>` whatever name a process asks for.
    /// POLICY=0 gives 16 sections, section i holding VF i of every PF;
    /// POLICY=N gives ceil(32/N) sections of N VFs each, taking VFs in the
    /// order VF0 of qat_dev0, VF0 of qat_dev1, VF1 of qat_dev0 …
    ///
    /// Each VF's 4 banks (4v … 4v+3 of its PF) follow the gen4 pattern:
    /// with sym and asym enabled, Cy instance k pairs the k-th asym bank with
    /// the k-th sym bank (`sym;asym`: 2 Cy per VF, asym banks 4v and 4v+2,
    /// sym banks 4v+1 and 4v+3); otherwise each crypto bank is a Cy instance
    /// of its one service and each dc bank a Dc instance (`dc`: 4 Dc per VF).
    /// Instances are named `cy<k>` and `dc<k>`, k being their index in the
    /// section (qatlib names the rings `sym<k>`/`asym<k>`/`dc<k>`); all are
    /// polled; in-flight limits are qatlib's (sym 512, asym 64, dc 512); core
    /// affinity goes round robin over this machine's cores, one step per
    /// instance in section order. A service set gen4 cannot run yields no
    /// instances on that PF ([`ManagedConfig::parse_str`] rejects such sets).
    pub fn managed(cfg: &ManagedConfig) -> SystemConfig {
        let cores = machine_cores().max(1);
        let class = DeviceClass::by_name("4xxx").unwrap_or(&crate::class::CLASSES[0]);
        let mut endpoints: Vec<EndpointConfig> = BUILTIN_BDFS
            .iter()
            .enumerate()
            .map(|(i, bdf)| {
                let id = u32::try_from(i).unwrap_or(0);
                let services = cfg.services.unwrap_or(if id & 1 == 0 {
                    ServiceSet::CY
                } else {
                    ServiceSet::DC
                });
                EndpointConfig {
                    id,
                    class,
                    is_vf: false,
                    bdf: (*bdf).to_string(),
                    file: "<builtin>".to_string(),
                    services,
                    general: General {
                        services_spelling: cfg.services_spelling.clone(),
                        cy_sym_requests: QATLIB_SYM_REQUESTS,
                        cy_asym_requests: QATLIB_ASYM_REQUESTS,
                        dc_requests: QATLIB_DC_REQUESTS,
                        ..General::default()
                    },
                    sections: Vec::new(),
                    instances: Vec::new(),
                    num_vfs: BUILTIN_VFS,
                    parent_pf: None,
                    services_line: None,
                }
            })
            .collect();
        let num_pfs = u32::try_from(endpoints.len()).unwrap_or(0);
        let mut core = 0u32;
        let mut sections = Vec::new();
        for (i, group) in managed_groups(num_pfs, BUILTIN_VFS, cfg.policy)
            .into_iter()
            .enumerate()
        {
            let mut cy: Vec<Instance> = Vec::new();
            let mut dc: Vec<Instance> = Vec::new();
            for (pf, vf) in group {
                let Some(ep) = endpoints.get(pf as usize) else {
                    continue;
                };
                let Some(pattern) = ep.services.ring_pattern(class.generation) else {
                    continue;
                };
                let ring = |svc: RingService, bank: u32| RingPlacement {
                    service: svc,
                    endpoint: pf,
                    bank,
                    ring_pair: 0,
                    tx_ring: 0,
                    rx_ring: 1,
                    num_concurrent_requests: match svc {
                        RingService::Sym => QATLIB_SYM_REQUESTS,
                        RingService::Asym => QATLIB_ASYM_REQUESTS,
                        RingService::Dc => QATLIB_DC_REQUESTS,
                    },
                };
                let banks: Vec<(u32, RingService)> = (0..class.banks_per_vf)
                    .map(|j| (vf * class.banks_per_vf + j, pattern[(j % 4) as usize]))
                    .collect();
                let of = |svc: RingService| -> Vec<u32> {
                    banks
                        .iter()
                        .filter(|(_, s)| *s == svc)
                        .map(|(b, _)| *b)
                        .collect()
                };
                let mut cy_rings: Vec<Vec<RingPlacement>> = Vec::new();
                if ep.services.has_sym() && ep.services.has_asym() {
                    for (a, s) in of(RingService::Asym).into_iter().zip(of(RingService::Sym)) {
                        cy_rings.push(vec![ring(RingService::Sym, s), ring(RingService::Asym, a)]);
                    }
                } else {
                    for (b, svc) in &banks {
                        if *svc != RingService::Dc {
                            cy_rings.push(vec![ring(*svc, *b)]);
                        }
                    }
                }
                for rings in cy_rings {
                    cy.push(Instance {
                        service: InstanceService::Cy,
                        index: 0,
                        name: String::new(),
                        endpoint: pf,
                        polling: Polling::Polled,
                        core_affinity: 0,
                        rings,
                    });
                }
                for b in of(RingService::Dc) {
                    dc.push(Instance {
                        service: InstanceService::Dc,
                        index: 0,
                        name: String::new(),
                        endpoint: pf,
                        polling: Polling::Polled,
                        core_affinity: 0,
                        rings: vec![ring(RingService::Dc, b)],
                    });
                }
            }
            let mut instances = Vec::new();
            for (list, prefix) in [(cy, "cy"), (dc, "dc")] {
                for (k, mut inst) in list.into_iter().enumerate() {
                    inst.index = u32::try_from(k).unwrap_or(u32::MAX);
                    inst.name = format!("{prefix}{k}");
                    inst.core_affinity = core;
                    core = (core + 1) % cores;
                    instances.push(inst);
                }
            }
            let process = u32::try_from(i).unwrap_or(u32::MAX);
            for inst in &instances {
                if let Some(ep) = endpoints.get_mut(inst.endpoint as usize) {
                    ep.instances.push(PlacedInstance {
                        section: "SSL".to_string(),
                        process,
                        instance: inst.clone(),
                    });
                }
            }
            sections.push(InternalSection {
                name: format!("SSL_INT_{i}"),
                base_name: "SSL".to_string(),
                process,
                endpoint: None,
                instances,
            });
        }
        SystemConfig {
            endpoints,
            source: Source::Managed(cfg.file.as_ref().map(PathBuf::from)),
            managed_sections: sections,
        }
    }

    /// Loads every `<class>_dev<N>.conf` and `<class>vf_dev<N>.conf` of a
    /// directory (N decimal without leading zeros; other files are ignored,
    /// with a warning for `.conf` names that look like endpoint files but
    /// are not). See [`SystemConfig::from_files`] for what is checked and
    /// how addresses are assigned. All errors of all files are returned.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<(SystemConfig, Vec<Warning>), ConfigErrors> {
        let dir = dir.as_ref();
        let shown_dir = dir.display().to_string();
        let entries = std::fs::read_dir(dir).map_err(|e| ConfigErrors {
            errors: vec![Diagnostic::file(
                &shown_dir,
                format!("cannot read the directory: {e}: check the path and its permissions"),
            )],
            warnings: Vec::new(),
        })?;
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        let mut files = Vec::new();
        for name in names {
            let path = dir.join(&name);
            let shown = path.display().to_string();
            if parse_file_name(&name).is_none() {
                if let Some(w) = near_miss(&name) {
                    warnings.push(Diagnostic::file(&shown, w));
                }
                continue;
            }
            match crate::text::read(&shown, &path) {
                Ok(bytes) => files.push((shown, bytes)),
                Err(e) => errors.extend(e.errors),
            }
        }
        if files.is_empty() && errors.is_empty() {
            errors.push(Diagnostic::file(
                &shown_dir,
                "no endpoint configuration file here: add one named <class>_dev<N>.conf (e.g. c6xx_dev0.conf or 4xxx_dev0.conf), or use the built-in default",
            ));
        }
        match Self::from_file_bytes(&files) {
            Ok((mut cfg, w)) if errors.is_empty() => {
                warnings.extend(w);
                cfg.source = Source::Dir(dir.to_path_buf());
                Ok((cfg, warnings))
            }
            Ok((_, w)) => {
                warnings.extend(w);
                Err(ConfigErrors { errors, warnings })
            }
            Err(e) => {
                errors.extend(e.errors);
                warnings.extend(e.warnings);
                Err(ConfigErrors { errors, warnings })
            }
        }
    }

    /// As [`SystemConfig::from_files`], from the files' bytes: a line that
    /// is not UTF-8 outside its comment is an error at its line (and read
    /// as empty, so the rest of the file is still checked).
    pub fn from_file_bytes(
        files: &[(String, Vec<u8>)],
    ) -> Result<(SystemConfig, Vec<Warning>), ConfigErrors> {
        let mut text_errors = Vec::new();
        let texts: Vec<(String, String)> = files
            .iter()
            .map(|(name, bytes)| {
                let (text, mut errs) =
                    crate::text::decode(name, bytes, crate::text::Syntax::Endpoint);
                text_errors.append(&mut errs);
                (name.clone(), text)
            })
            .collect();
        crate::endpoint::merge(text_errors, Self::from_files(&texts))
    }

    /// Builds a configuration from endpoint file texts `(file name or path,
    /// text)`; the last path component of each name must be
    /// `<class>_dev<N>.conf` or `<class>vf_dev<N>.conf`.
    ///
    /// Endpoints are ordered by N; two files with the same N are an error.
    ///
    /// **Synthetic addresses.** Per class, the PFs in order of N take PF
    /// slots 0, 1, …; slot k sits on the k-th bus of the class's list
    /// (4xxx: 6b, 70, 75, 7a, e8, ed, f2, f7 as on a real two-socket machine;
    /// c6xx: 06, 85, 87; c3xxx: 01; dh895xcc: 03, 83; 420xx: 76, 7b, 80, 85)
    /// or, past the list or when taken, the next free bus. PF addresses are
    /// `0000:<bus>:00.0`. VFs of a class, in order of N, belong to the PFs
    /// of their class in order, `max_vfs` per PF (VF m → PF slot m / max_vfs,
    /// VF number v = m % max_vfs) and sit at devfn `first VF devfn + v` on
    /// their PF's bus (gen4: 6b:00.1 … 6b:02.0; gen2: 06:01.0 … 06:02.7).
    /// When that PF's file is present, the VF is checked against it (Guide
    /// Table 15, [`check_vf_services`]) and its rings are laid out as the
    /// PF's services shape them.
    pub fn from_files(
        files: &[(String, String)],
    ) -> Result<(SystemConfig, Vec<Warning>), ConfigErrors> {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut endpoints: Vec<EndpointConfig> = Vec::new();
        let mut numbers: Vec<(u32, &str)> = Vec::new();
        for (name, _) in files {
            let base = name.rsplit('/').next().unwrap_or(name);
            let Some((_, _, id)) = parse_file_name(base) else {
                continue;
            };
            match numbers.iter().find(|(n, _)| *n == id) {
                Some((_, first)) => errors.push(Diagnostic::file(
                    name,
                    format!(
                        "{first} also configures qat_dev{id}: each endpoint number may have one file only; renumber one of them"
                    ),
                )),
                None => numbers.push((id, name)),
            }
        }
        for (name, text) in files {
            let base = name.rsplit('/').next().unwrap_or(name);
            let Some((class, is_vf, id)) = parse_file_name(base) else {
                errors.push(Diagnostic::file(
                    name,
                    "the file name does not say which endpoint it configures: name it <class>_dev<N>.conf or <class>vf_dev<N>.conf (e.g. c6xx_dev0.conf)",
                ));
                continue;
            };
            match parse_endpoint_str_as(name, text, class, is_vf, id) {
                Ok((ep, w)) => {
                    warnings.extend(w);
                    endpoints.push(ep);
                }
                Err(e) => {
                    errors.extend(e.errors);
                    warnings.extend(e.warnings);
                }
            }
        }
        endpoints.sort_by_key(|e| e.id);
        endpoints.dedup_by_key(|e| e.id);
        assign_addresses(&mut endpoints);
        // VFs whose PF is known: Table 15 and the PF-shaped ring budget.
        for i in 0..endpoints.len() {
            let Some(pf_id) = endpoints[i].parent_pf else {
                continue;
            };
            let Some(pf) = endpoints.iter().find(|e| e.id == pf_id && !e.is_vf) else {
                continue;
            };
            let diags = check_vf_services(pf, &endpoints[i]);
            if !diags.is_empty() {
                errors.extend(diags);
                continue;
            }
            let layout = pf.services;
            match placement::place(&endpoints[i], layout) {
                Ok(list) => endpoints[i].instances = list,
                Err(msg) => errors.push(Diagnostic::file(&endpoints[i].file, msg)),
            }
        }
        if errors.is_empty() {
            Ok((
                SystemConfig {
                    endpoints,
                    source: Source::Files,
                    managed_sections: Vec::new(),
                },
                warnings,
            ))
        } else {
            Err(ConfigErrors { errors, warnings })
        }
    }

    /// The endpoint `qat_dev<id>`.
    pub fn endpoint(&self, id: u32) -> Option<&EndpointConfig> {
        self.endpoints.iter().find(|e| e.id == id)
    }

    /// User-process section names the configuration declares, in order of
    /// first appearance (endpoint order, then file order). Managed and
    /// built-in configurations have one: `SSL`.
    pub fn section_names(&self) -> Vec<String> {
        if self.is_managed() {
            return vec!["SSL".to_string()];
        }
        let mut names: Vec<String> = Vec::new();
        for ep in &self.endpoints {
            for s in &ep.sections {
                if s.kind == SectionKind::User && !names.contains(&s.name) {
                    names.push(s.name.clone());
                }
            }
        }
        names
    }

    fn is_managed(&self) -> bool {
        matches!(self.source, Source::Builtin | Source::Managed(_))
    }

    /// The internal sections a process calling `icp_sal_userStart(requested)`
    /// may be given, in allocation order.
    ///
    /// From files (Guide §4.5, §5.2.4.1): for each endpoint in order whose
    /// `[requested]` has LimitDevAccess=1, `<requested>_DEV<n>_INT_<i>` for
    /// i < NumProcesses with only that endpoint's instances; then, when any
    /// endpoint declares it with LimitDevAccess=0, `<requested>_INT_<i>` for
    /// i below the largest such NumProcesses, each combining process i's
    /// instances of every such endpoint. Names are case-sensitive.
    ///
    /// Managed and built-in: every name (non-empty, shorter than 128 bytes)
    /// gets all `SSL_INT_<i>` sections, as qatmgr does.
    pub fn internal_sections(&self, requested: &str) -> Result<Vec<InternalSection>, ConfigError> {
        if requested.is_empty() {
            return Err(ConfigError::EmptySectionName);
        }
        if requested.len() >= 128 {
            return Err(ConfigError::SectionNameTooLong {
                len: requested.len(),
            });
        }
        if self.is_managed() {
            return Ok(self.managed_sections.clone());
        }
        let available = self.section_names();
        if !available.iter().any(|n| n == requested) {
            let close = available
                .iter()
                .find(|n| n.eq_ignore_ascii_case(requested))
                .cloned();
            return Err(ConfigError::UnknownSection {
                requested: requested.to_string(),
                available,
                close,
            });
        }
        Ok(self.file_sections(requested))
    }

    /// Every internal section of the configuration: per declared section
    /// name (in [`SystemConfig::section_names`] order) what
    /// [`SystemConfig::internal_sections`] gives.
    pub fn all_internal_sections(&self) -> Vec<InternalSection> {
        if self.is_managed() {
            return self.managed_sections.clone();
        }
        self.section_names()
            .iter()
            .flat_map(|n| self.file_sections(n))
            .collect()
    }

    fn file_sections(&self, name: &str) -> Vec<InternalSection> {
        let mut out = Vec::new();
        let of = |ep: &EndpointConfig, p: u32| -> Vec<Instance> {
            ep.instances
                .iter()
                .filter(|pi| pi.section == name && pi.process == p)
                .map(|pi| pi.instance.clone())
                .collect()
        };
        let user = |ep: &EndpointConfig| {
            ep.section(name)
                .filter(|s| s.kind == SectionKind::User)
                .map(|s| (s.limit_dev_access, s.num_processes))
        };
        for ep in &self.endpoints {
            if let Some((true, procs)) = user(ep) {
                for p in 0..procs {
                    let mut instances = of(ep, p);
                    instances.sort_by_key(|i| i.service == InstanceService::Dc);
                    out.push(InternalSection {
                        name: format!("{name}_DEV{}_INT_{p}", ep.id),
                        base_name: name.to_string(),
                        process: p,
                        endpoint: Some(ep.id),
                        instances,
                    });
                }
            }
        }
        let combined: Vec<(&EndpointConfig, u32)> = self
            .endpoints
            .iter()
            .filter_map(|ep| match user(ep) {
                Some((false, procs)) => Some((ep, procs)),
                _ => None,
            })
            .collect();
        let max_procs = combined.iter().map(|(_, p)| *p).max().unwrap_or(0);
        for p in 0..max_procs {
            let mut cy = Vec::new();
            let mut dc = Vec::new();
            for (ep, procs) in &combined {
                if p >= *procs {
                    continue;
                }
                for inst in of(ep, p) {
                    match inst.service {
                        InstanceService::Cy => cy.push(inst),
                        InstanceService::Dc => dc.push(inst),
                    }
                }
            }
            let mut instances = Vec::new();
            for list in [cy, dc] {
                for (k, mut inst) in list.into_iter().enumerate() {
                    inst.index = u32::try_from(k).unwrap_or(u32::MAX);
                    instances.push(inst);
                }
            }
            out.push(InternalSection {
                name: format!("{name}_INT_{p}"),
                base_name: name.to_string(),
                process: p,
                endpoint: None,
                instances,
            });
        }
        out
    }

    /// What `qat_service status` prints per endpoint, in endpoint order.
    pub fn summary(&self) -> Vec<EndpointSummary> {
        let mut seen: Vec<(String, u32)> = Vec::new();
        self.endpoints
            .iter()
            .map(|ep| {
                let type_name = ep.type_name();
                let inst_id = match seen.iter_mut().find(|(t, _)| *t == type_name) {
                    Some((_, n)) => {
                        *n += 1;
                        *n
                    }
                    None => {
                        seen.push((type_name.clone(), 0));
                        0
                    }
                };
                let (accelerators, engines) = if ep.is_vf {
                    (1, 1)
                } else {
                    (ep.class.accelerators, ep.class.engines)
                };
                EndpointSummary {
                    name: ep.name(),
                    id: ep.id,
                    type_name,
                    inst_id,
                    bdf: ep.bdf.clone(),
                    accelerators,
                    engines,
                    services: ep.services.to_string(),
                    is_vf: ep.is_vf,
                }
            })
            .collect()
    }
}

/// Why a `.conf` name that looks like an endpoint file is not one.
fn near_miss(name: &str) -> Option<String> {
    let stem = name.strip_suffix(".conf")?;
    let (type_name, n) = stem.rsplit_once("_dev")?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if DeviceClass::by_type_name(type_name).is_none() {
        return Some(format!(
            "ignored: {type_name} is not a known device class (use one of {})",
            DeviceClass::class_names().join(", ")
        ));
    }
    let trimmed = n.trim_start_matches('0');
    let fixed = if trimmed.is_empty() { "0" } else { trimmed };
    Some(format!(
        "ignored: write the endpoint number without leading zeros ({type_name}_dev{fixed}.conf)"
    ))
}

/// Gives file-based endpoints synthetic addresses and VF parents (see
/// [`SystemConfig::from_files`]).
fn assign_addresses(endpoints: &mut [EndpointConfig]) {
    let mut used: HashSet<(u32, u8)> = HashSet::new();
    let mut class_order: Vec<&'static str> = Vec::new();
    for ep in endpoints.iter() {
        if !class_order.contains(&ep.class.name) {
            class_order.push(ep.class.name);
        }
    }
    for class_name in class_order {
        let pf_idx: Vec<usize> = (0..endpoints.len())
            .filter(|&i| endpoints[i].class.name == class_name && !endpoints[i].is_vf)
            .collect();
        let vf_idx: Vec<usize> = (0..endpoints.len())
            .filter(|&i| endpoints[i].class.name == class_name && endpoints[i].is_vf)
            .collect();
        let Some(first) = pf_idx
            .first()
            .or(vf_idx.first())
            .map(|&i| endpoints[i].class)
        else {
            continue;
        };
        let max_vfs = first.max_vfs.max(1) as usize;
        let slots = pf_idx.len().max(vf_idx.len().div_ceil(max_vfs));
        let mut buses: Vec<(u32, u8)> = Vec::new();
        for k in 0..slots {
            let preferred = first.pf_buses.get(k).map(|b| (0u32, *b));
            let pick = match preferred {
                Some(p) if !used.contains(&p) => Some(p),
                _ => {
                    let start = first.pf_buses.last().copied().unwrap_or(0);
                    (0u32..=0xffff)
                        .flat_map(|d| (1u8..=255).map(move |b| (d, b)))
                        .map(|(d, b)| (d, if d == 0 { b.wrapping_add(start) } else { b }))
                        .find(|p| p.1 != 0 && !used.contains(p))
                }
            };
            let Some(pick) = pick else { break };
            used.insert(pick);
            buses.push(pick);
        }
        for (k, &i) in pf_idx.iter().enumerate() {
            if let Some(&(domain, bus)) = buses.get(k) {
                endpoints[i].bdf = format_bdf(domain, bus, false, 0, 0);
            }
        }
        for (m, &i) in vf_idx.iter().enumerate() {
            let slot = m / max_vfs;
            let v = u32::try_from(m % max_vfs).unwrap_or(0);
            if let Some(&(domain, bus)) = buses.get(slot) {
                endpoints[i].bdf = format_bdf(domain, bus, true, first.first_vf_devfn, v);
            }
            endpoints[i].parent_pf = pf_idx.get(slot).map(|&p| endpoints[p].id);
        }
    }
}

/// Checks a VF file against its PF's (Guide §4.3.3.3, Table 15): same
/// class, the VF's services are the PF's or a subset of them, and the VF's
/// instances fit its banks as the PF's services shape them ("if the PF has
/// dc;asym, only four (not eight) dc instances are enabled if the VF is
/// configured for dc only"). Returns the errors (empty: accepted).
pub fn check_vf_services(pf: &EndpointConfig, vf: &EndpointConfig) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if pf.is_vf || !vf.is_vf {
        out.push(Diagnostic::file(
            &vf.file,
            format!(
                "{} ({}) and {} ({}) are not a PF and one of its VFs: pass the PF first, then the VF",
                pf.name(),
                pf.type_name(),
                vf.name(),
                vf.type_name()
            ),
        ));
        return out;
    }
    if pf.class.name != vf.class.name {
        out.push(Diagnostic::file(
            &vf.file,
            format!(
                "this {} file cannot belong to {} ({}): a VF runs on a PF of its own class",
                vf.type_name(),
                pf.name(),
                pf.type_name()
            ),
        ));
        return out;
    }
    let gen = pf.class.generation;
    if !pf.services.contains(vf.services) {
        let choices: Vec<String> = pf
            .services
            .vf_choices(gen)
            .iter()
            .map(|s| s.spelling_for(gen))
            .collect();
        let choices = match choices.as_slice() {
            [one] => one.clone(),
            _ => format!("one of {}", choices.join(", ")),
        };
        // Without a ServicesEnabled line the VF runs the default, and the
        // fix is a line to add rather than one to change.
        let message = match vf.services_line {
            Some(_) => format!(
                "ServicesEnabled = {} is not allowed on this VF: its PF {} ({}) runs {}, so use {choices} (Guide Table 15)",
                vf.services_text(),
                pf.name(),
                pf.file,
                pf.services_text(),
            ),
            None => format!(
                "the file sets no ServicesEnabled, so this VF runs the default {}, which its PF {} ({}) does not (it runs {}): add ServicesEnabled = {choices} to [GENERAL] (Guide Table 15)",
                vf.services_text(),
                pf.name(),
                pf.file,
                pf.services_text(),
            ),
        };
        out.push(Diagnostic::maybe_at(&vf.file, vf.services_line, message));
        return out;
    }
    let note = format!("under a PF running {}", pf.services_text());
    placement::check_budget(vf, pf.services, Some(&note), &mut out);
    out
}
