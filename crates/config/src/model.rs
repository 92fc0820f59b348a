//! The configuration of one endpoint as data: `[GENERAL]`, its instance
//! sections and every instance with the ring pairs it was placed on.
//!
//! The file parser ([`crate::parse_endpoint_str`]) fills it, the ring budget
//! and placement (the `placement` module) check and place on it, and
//! [`crate::SystemConfig`] combines endpoints; this module uses none of them.

use crate::class::DeviceClass;
use crate::services::{RingService, ServiceSet};

/// How an instance learns of responses (`Cy<N>IsPolled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Polling {
    /// 0: interrupt mode (kernel sections only).
    Interrupt = 0,
    /// 1: the application polls.
    Polled = 1,
    /// 2: epoll mode, event-based polling (user sections only; the instance
    /// gets a bank of its own).
    Epoll = 2,
}

/// The kind of service an instance offers to the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstanceService {
    /// A crypto instance (`Cy<N>…`): sym and/or asym rings.
    Cy,
    /// A compression instance (`Dc<N>…`).
    Dc,
}

impl InstanceService {
    /// `Cy` or `Dc`, the key prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            InstanceService::Cy => "Cy",
            InstanceService::Dc => "Dc",
        }
    }
}

/// What kind of section a `[NAME]` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKind {
    /// `[KERNEL]`: instances for the Linux kernel crypto framework.
    Kernel,
    /// `[KERNEL_QAT]`: instances for the QAT API in kernel space.
    KernelQat,
    /// Any other name: a user-process section (`icp_sal_userStart(NAME)`).
    User,
    /// `[DYN]`: the pool of dynamically allocated instances.
    Dyn,
}

/// `ServicesProfile` in `[GENERAL]` (Guide Table 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ServicesProfile {
    /// All services.
    #[default]
    Default,
    /// Crypto only.
    Crypto,
    /// Compression only.
    Compression,
    /// Crypto and compression without device utilisation/rate limiting.
    Custom1,
}

/// The `stats*` switches of `[GENERAL]` (1 = collect). All default to on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Statistics {
    pub general: bool,
    pub dh: bool,
    pub drbg: bool,
    pub dsa: bool,
    pub ecc: bool,
    pub key_gen: bool,
    pub dc: bool,
    pub ln: bool,
    pub prime: bool,
    pub rsa: bool,
    pub sym: bool,
}

impl Default for Statistics {
    fn default() -> Self {
        Statistics {
            general: true,
            dh: true,
            drbg: true,
            dsa: true,
            ecc: true,
            key_gen: true,
            dc: true,
            ln: true,
            prime: true,
            rsa: true,
            sym: true,
        }
    }
}

/// Interrupt coalescing settings of `[GENERAL]` (used for epoll delivery).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterruptCoalescing {
    /// `InterruptCoalescingEnabled` (default 1).
    pub enabled: bool,
    /// `InterruptCoalescingTimerNs` (default 10000).
    pub timer_ns: u32,
    /// `InterruptCoalescingNumResponses` (default 0: timer only).
    pub num_responses: u32,
}

impl Default for InterruptCoalescing {
    fn default() -> Self {
        InterruptCoalescing {
            enabled: true,
            timer_ns: 10_000,
            num_responses: 0,
        }
    }
}

/// The `[GENERAL]` section (Guide Tables 10 and 11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct General {
    /// `ServicesEnabled` as written in the file (`None`: not set, the
    /// class default was used). The parsed set is [`EndpointConfig::services`].
    pub services_spelling: Option<String>,
    /// `ConfigVersion` (only 2 is accepted).
    pub config_version: Option<u32>,
    /// `ServicesProfile`.
    pub services_profile: ServicesProfile,
    /// `CyNumConcurrentSymRequests` (default 512): sym ring size.
    pub cy_sym_requests: u32,
    /// `CyNumConcurrentAsymRequests` (default 64): asym ring size.
    pub cy_asym_requests: u32,
    /// `DcNumConcurrentRequests` (default 512): dc ring size.
    pub dc_requests: u32,
    /// `DcIntermediateBufferSizeInKB` (32 or 64, default 64).
    pub dc_intermediate_buffer_kb: u32,
    /// `AutoResetOnError` (default off).
    pub auto_reset_on_error: bool,
    /// `stats*` switches.
    pub statistics: Statistics,
    /// `InterruptCoalescing*`.
    pub interrupt_coalescing: InterruptCoalescing,
    /// `HeartbeatTimer` in ms, when set.
    pub heartbeat_timer_ms: Option<u32>,
    /// Other known kernel-driver keys, kept verbatim (key, value).
    pub other: Vec<(String, String)>,
}

impl Default for General {
    fn default() -> Self {
        General {
            services_spelling: None,
            config_version: None,
            services_profile: ServicesProfile::Default,
            cy_sym_requests: 512,
            cy_asym_requests: 64,
            dc_requests: 512,
            dc_intermediate_buffer_kb: 64,
            auto_reset_on_error: false,
            statistics: Statistics::default(),
            interrupt_coalescing: InterruptCoalescing::default(),
            heartbeat_timer_ms: None,
            other: Vec::new(),
        }
    }
}

/// One configured instance (`Cy<N>Name`, `Cy<N>IsPolled`, `Cy<N>CoreAffinity`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceConfig {
    /// `Cy<N>Name` (at most 64 characters).
    pub name: String,
    /// `Cy<N>IsPolled`; default 1 in user sections, 0 in kernel sections.
    pub polling: Polling,
    /// `Cy<N>CoreAffinity`; default N modulo this machine's core count.
    pub core_affinity: u32,
}

/// Line numbers kept for messages after parsing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SectionLines {
    pub header: u32,
    pub cy: Option<(u32, &'static str)>,
    pub dc: Option<(u32, &'static str)>,
}

/// One instance section of an endpoint file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionConfig {
    /// The name between brackets.
    pub name: String,
    /// Kernel, user or dynamic.
    pub kind: SectionKind,
    /// `NumProcesses` (user sections and `[DYN]`; 1 elsewhere).
    pub num_processes: u32,
    /// `LimitDevAccess` (user sections).
    pub limit_dev_access: bool,
    /// Cy instances `Cy0…`; in `[DYN]` the pool, named `DynCy<k>`.
    pub cy: Vec<InstanceConfig>,
    /// Dc instances `Dc0…`; in `[DYN]` the pool, named `DynDc<k>`.
    pub dc: Vec<InstanceConfig>,
    pub(crate) lines: SectionLines,
}

impl SectionConfig {
    /// The instances of one service.
    pub fn instances(&self, service: InstanceService) -> &[InstanceConfig] {
        match service {
            InstanceService::Cy => &self.cy,
            InstanceService::Dc => &self.dc,
        }
    }

    /// How many copies of the section's instances exist: NumProcesses for
    /// user sections, 1 for kernel sections and the `[DYN]` pool.
    pub fn copies(&self) -> u32 {
        match self.kind {
            SectionKind::User => self.num_processes,
            _ => 1,
        }
    }
}

/// One endpoint (`qat_dev<N>`): its class, services, sections and the ring
/// placement of every instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointConfig {
    /// N of `qat_dev<N>`.
    pub id: u32,
    /// Device class row.
    pub class: &'static DeviceClass,
    /// Whether this endpoint is a virtual function.
    pub is_vf: bool,
    /// PCI address, `dddd:bb:dd.f` (synthetic for file-based endpoints; see
    /// [`crate::SystemConfig::load_dir`]).
    pub bdf: String,
    /// The file it came from (`<builtin>` for the built-in default).
    pub file: String,
    /// Enabled services.
    pub services: ServiceSet,
    /// `[GENERAL]`.
    pub general: General,
    /// Instance sections in file order.
    pub sections: Vec<SectionConfig>,
    /// Every instance of every section copy, with its rings, in placement
    /// order (sections in file order; per user section process 0, 1, …; per
    /// copy Cy0…, then Dc0…).
    pub instances: Vec<PlacedInstance>,
    /// Number of VFs this PF exposes (the built-in default: 16; files: 0).
    pub num_vfs: u32,
    /// For a VF whose PF file is known: the PF's id.
    pub parent_pf: Option<u32>,
    pub(crate) services_line: Option<u32>,
}

impl EndpointConfig {
    /// `qat_dev<N>`.
    pub fn name(&self) -> String {
        format!("qat_dev{}", self.id)
    }

    /// `c6xx`, `c6xxvf`, `4xxx` …
    pub fn type_name(&self) -> String {
        self.class.type_name(self.is_vf)
    }

    /// Banks this endpoint owns.
    pub fn banks(&self) -> u32 {
        self.class.endpoint_banks(self.is_vf)
    }

    /// The section named `name`, if declared.
    pub fn section(&self, name: &str) -> Option<&SectionConfig> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// `ServicesEnabled` as the file wrote it, or the normalised form.
    pub(crate) fn services_text(&self) -> String {
        self.general
            .services_spelling
            .clone()
            .unwrap_or_else(|| self.services.spelling_for(self.class.generation))
    }
}

/// Where one service ring pair of an instance lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RingPlacement {
    /// The service this ring pair carries.
    pub service: RingService,
    /// Endpoint id (N of `qat_dev<N>`).
    pub endpoint: u32,
    /// Bank number on the endpoint.
    pub bank: u32,
    /// Ring pair index within the bank (always 0 on gen4).
    pub ring_pair: u32,
    /// Request (TX) ring number within the bank.
    pub tx_ring: u32,
    /// Response (RX) ring number within the bank.
    pub rx_ring: u32,
    /// Ring size in requests: `CyNumConcurrentSymRequests`,
    /// `CyNumConcurrentAsymRequests` or `DcNumConcurrentRequests`.
    pub num_concurrent_requests: u32,
}

/// An instance as a process sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// Cy or Dc.
    pub service: InstanceService,
    /// Index among the instances of this service in its (internal) section:
    /// `Cy0`, `Cy1` … (numbered across endpoints in endpoint order).
    pub index: u32,
    /// Configured name (`Cy<N>Name`), e.g. `SSL0`.
    pub name: String,
    /// Endpoint id.
    pub endpoint: u32,
    /// Polling mode.
    pub polling: Polling,
    /// Core affinity.
    pub core_affinity: u32,
    /// Its ring pairs: for Cy the sym one and/or the asym one (whichever the
    /// endpoint enables, sym first), for Dc the dc one.
    pub rings: Vec<RingPlacement>,
}

impl Instance {
    /// The ring pair carrying `service`, if the instance has one.
    pub fn ring(&self, service: RingService) -> Option<&RingPlacement> {
        self.rings.iter().find(|r| r.service == service)
    }

    /// The sym ring pair.
    pub fn sym(&self) -> Option<&RingPlacement> {
        self.ring(RingService::Sym)
    }

    /// The asym ring pair.
    pub fn asym(&self) -> Option<&RingPlacement> {
        self.ring(RingService::Asym)
    }

    /// The dc ring pair.
    pub fn dc(&self) -> Option<&RingPlacement> {
        self.ring(RingService::Dc)
    }
}

/// An instance placed on an endpoint, with the section copy it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedInstance {
    /// Section name in the file (`SSL`, `KERNEL_QAT`, `DYN`).
    pub section: String,
    /// Process number (0 … NumProcesses-1) for user sections; 0 otherwise.
    pub process: u32,
    /// The instance; `index` is its number within the section on this endpoint.
    pub instance: Instance,
}
