//! Device classes as data: one table row per QAT device family.
//!
//! The geometry follows the in-tree kernel driver's `hw_data` tables
//! (see `device-model.md` §3). A class *name* is what appears in file names
//! (`c6xx_dev0.conf`), debugfs directories and `qat_service status` lines;
//! several families share a class name (401xx and 402xx are class `4xxx`).
//! Virtual functions of a class use the class name with `vf` appended
//! (`c6xxvf`, `4xxxvf`).
//!
//! What the service layers need to know about a class — its compression
//! facts ([`DcFacts`]: highest level, level → search depth mapping, window
//! sizes) — is part of the row too, so no layer matches on the generation
//! to find them.

use softqat_engine::deflate::LevelMapping;

/// Hardware generation of a device class.
///
/// The generation decides how rings are grouped into banks (see
/// [`DeviceClass::ring_pairs_per_bank`]) and how instances are placed on
/// them. Compression facts are in [`DeviceClass::dc`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Generation {
    /// QAT 1.6/1.7 (dh895xcc, c3xxx, c6xx): banks of 16 rings, i.e. 8 ring
    /// pairs shared by all enabled services (TX rings 0–7, RX rings 8–15).
    Gen2,
    /// QAT 2.0 (4xxx, 401xx, 402xx, 420xx): banks of one ring pair (TX ring 0,
    /// RX ring 1); the service of each bank comes from the 4-entry
    /// `ring_to_svc_map` pattern.
    Gen4,
    /// QAT 2.x gen6 (6xxx): banks of one ring pair like gen4, four banks per
    /// VF; up to three services at once, whose ring pairs the kernel's
    /// `qat_6xxx` driver lays out its own way (see
    /// [`crate::ServiceSet::ring_pattern`]).
    Gen6,
}

impl Generation {
    /// "gen2", "gen4" or "gen6", as used in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Generation::Gen2 => "gen2",
            Generation::Gen4 => "gen4",
            Generation::Gen6 => "gen6",
        }
    }

    /// 2, 4 or 6, as the managed-mode protocol carries it.
    pub fn number(self) -> u8 {
        match self {
            Generation::Gen2 => 2,
            Generation::Gen4 => 4,
            Generation::Gen6 => 6,
        }
    }

    /// Banks of one ring pair whose service follows a 4-entry
    /// `ring_to_svc_map` pattern (gen4 and gen6), rather than gen2's banks
    /// of 8 ring pairs shared by every service.
    pub fn has_ring_pair_banks(self) -> bool {
        self != Generation::Gen2
    }
}

/// Compression facts of a device class: what sessions and engines differ on
/// from class to class (Intel's `CpaDcInstanceCapabilities` and
/// `cpaDcInitSession` rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DcFacts {
    /// Highest `compLevel` a session may ask for (9 on gen2, 12 on gen4).
    pub max_level: u8,
    /// How compression levels map to search depths.
    pub level_mapping: LevelMapping,
    /// `validWindowSizeMaskCompression`: bit n set when `CpaDcCompWindowSize`
    /// n (4K 0, 8K 1, 16K 2, 32K 3, 64K 4) may be used to compress with
    /// deflate.
    pub window_mask_compression: u8,
    /// `validWindowSizeMaskDecompression`: the windows any session may name.
    pub window_mask_decompression: u8,
    /// 32-bit integrity CRCs (`integrityCrcs`, `CPA_DC_CAP_BOOL_INTEGRITY_CRC32`;
    /// the kernel's `CNV_INTEGRITY` capability: QAT 1.7).
    pub integrity_crc32: bool,
    /// 64-bit integrity CRCs (`integrityCrcs64b`,
    /// `CPA_DC_CAP_BOOL_INTEGRITY_CRC64`; `CNV_INTEGRITY64`: QAT 2.0).
    pub integrity_crc64: bool,
    /// The CRC64 is programmable (`cpaDcSetCrcControlData`,
    /// `CPA_DC_CAP_BOOL_PROGRAMMABLE_CRC64`: QAT 2.0 firmware).
    pub programmable_crc64: bool,
    /// Data-plane partial reads of decompressed data and zero padding of
    /// compressed output (`cpaDcDpIsPartReadSupported`,
    /// `cpaDcDpIsZeroPadSupported`: QAT 2.0).
    pub dp_part_read_zero_pad: bool,
    /// Stateful deflate sessions (`CPA_DC_STATEFUL`), where the class
    /// takes them; `None` where sessions are stateless only (gen4).
    pub stateful: Option<StatefulFacts>,
    /// `statelessLZ4SCompression`: LZ4S compression sessions (qatlib's
    /// `dc_capabilities.lz4s`, from gen4; compression only).
    pub lz4s_compression: bool,
    /// `CPA_DC_ZSTD` sessions (qatlib's `dc_capabilities.zstd`: gen6 only).
    pub zstd: bool,
    /// Preset dictionaries for deflate (`cpaDcCompressDataWithDict`,
    /// `cpaDcDecompressDataWithDict`; qatlib's `deflate.dictCompSupported`
    /// with `dictCap` = uncompressed dictionaries: gen6 only).
    pub dictionary: bool,
}

/// What a class's stateful deflate sessions need and accept.
///
/// The sizes and odd-byte flags are the QAT 1.x package's per-device data
/// (`SalCtrl_CompressionInit_CompData`, `dc_session.h`); stateful
/// compression is offered as QAT 1.5/1.6 offered it (`statefulDeflateCompression`;
/// the QAT 1.7 package answers UNSUPPORTED for it — see the SAL's
/// `dc::stream` for what softqat does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatefulFacts {
    /// Context bytes (`cpaDcGetSessionSize`'s `pContextSize`) for a stateful
    /// session that decompresses: `inflateContextSize`.
    pub inflate_context: u32,
    /// Context bytes for a stateful session that compresses.
    pub deflate_context: u32,
    /// `oddByteDecompNobFinal`: the device decompresses a stateful request
    /// of an odd number of bytes without FLUSH_FINAL; when false the SAL
    /// submits one byte less (the caller resubmits it from `consumed`).
    pub odd_byte_no_final: bool,
    /// `oddByteDecompInterim`: the same for requests with neither
    /// FLUSH_FINAL nor FLUSH_FULL.
    pub odd_byte_interim: bool,
}

/// dh895xcc: `DC_INFLATE_CONTEXT_SIZE` (36 864) and
/// `DC_DEFLATE_MAX_CONTEXT_SIZE` (49 152); odd-length interim requests are
/// cut to even.
const DH895XCC_STATEFUL: StatefulFacts = StatefulFacts {
    inflate_context: 36_864,
    deflate_context: 49_152,
    odd_byte_no_final: true,
    odd_byte_interim: false,
};

/// c3xxx and c6xx: `DC_INFLATE_EH_CONTEXT_SIZE` (34 032) and
/// `DC_DEFLATE_EH_MAX_CONTEXT_SIZE` (65 536); odd-length requests without
/// FLUSH_FINAL are cut to even.
const C6XX_STATEFUL: StatefulFacts = StatefulFacts {
    inflate_context: 34_032,
    deflate_context: 65_536,
    odd_byte_no_final: false,
    odd_byte_interim: true,
};

/// QAT 1.7: levels 1–9, every window size, 32-bit integrity CRCs, stateful
/// deflate; no LZ4S, no zstd.
const GEN2_DC: DcFacts = DcFacts {
    max_level: 9,
    level_mapping: LevelMapping::Gen2,
    window_mask_compression: 0b1_1111,
    window_mask_decompression: 0b1_1111,
    integrity_crc32: true,
    integrity_crc64: false,
    programmable_crc64: false,
    dp_part_read_zero_pad: false,
    stateful: Some(C6XX_STATEFUL),
    lz4s_compression: false,
    zstd: false,
    dictionary: false,
};

/// dh895xcc: as [`GEN2_DC`], with its own context sizes and odd-byte rule.
const DH895XCC_DC: DcFacts = DcFacts {
    stateful: Some(DH895XCC_STATEFUL),
    ..GEN2_DC
};

/// QAT 2.0: levels 1–12; deflate compresses with a 32K window only,
/// decompression takes 4K–32K; programmable 64-bit integrity CRCs; partial
/// reads and zero padding on the data plane; LZ4S compression, no zstd
/// (qatlib's `SalCtrl_Set4xxxDcCapabilities`, shared by 4xxx, 401xx, 402xx,
/// 420xx); stateless only.
const GEN4_DC: DcFacts = DcFacts {
    max_level: 12,
    level_mapping: LevelMapping::Gen4,
    window_mask_compression: 1 << 3,
    window_mask_decompression: 0b0_1111,
    integrity_crc32: false,
    integrity_crc64: true,
    programmable_crc64: true,
    dp_part_read_zero_pad: true,
    stateful: None,
    lz4s_compression: true,
    zstd: false,
    dictionary: false,
};

/// gen6 (6xxx), from qatlib 26.08's `SalCtrl_Set6xxxDcCapabilities`
/// (`ctrl/sal_compression_capabilities.c`): deflate compresses with a 32K
/// window and decompresses 4K–32K as on gen4; 64-bit programmable integrity
/// CRCs; LZ4S compression; `CPA_DC_ZSTD`; uncompressed preset dictionaries
/// for deflate (`dictCompSupported`, `DC_CAPS_UNCOMPRESSED_DICT`);
/// stateless only. The level mapping is gen4's (qatlib's gen6 hardware
/// search depth tops at level 9 like gen4's). The window masks are the
/// union of gen6's algorithms' (LZ4, LZ4S and zstd compress with 64K and
/// decompress 4K–64K; qatlib's own dictionary sample opens its deflate
/// session with `CPA_DC_WINSIZE_64K`); deflate streams still reach back
/// 32 KiB at most, the format's limit. Not modelled: gen6 deflate offers
/// dynamic Huffman trees only.
const GEN6_DC: DcFacts = DcFacts {
    window_mask_compression: 0b1_1000,
    window_mask_decompression: 0b1_1111,
    zstd: true,
    dictionary: true,
    ..GEN4_DC
};

/// Symmetric crypto facts of a device class: what `cpaCySymQueryCapabilities`
/// reports (bit `n` of a bitmap is the CPA enum value `n`) and what
/// `cpaCySymInitSession` accepts. Following qatlib's capability tables
/// (`ctrl/sal_crypto.c`): gen2 offers the classic list with the wireless
/// algorithms and no ChaCha/SM; gen4 drops ARC4, DES, MD5 and the wireless
/// algorithms, adds ChaCha20-Poly1305, SHA-3, SM3 and SM4, and keeps AES-ECB,
/// SHA-1, SHA-224, SHA3-224 and SM4-ECB for builds with legacy algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SymFacts {
    /// Ciphers always offered.
    pub ciphers: u32,
    /// Hashes always offered.
    pub hashes: u32,
    /// Ciphers offered only with legacy algorithms enabled.
    pub legacy_ciphers: u32,
    /// Hashes offered only with legacy algorithms enabled.
    pub legacy_hashes: u32,
    /// `partialPacketSupported`.
    pub partials: bool,
}

const fn bits<const N: usize>(values: [u8; N]) -> u32 {
    let mut b = 0u32;
    let mut i = 0;
    while i < N {
        b |= 1 << values[i];
        i += 1;
    }
    b
}

// The CPA values of `CpaCySymCipherAlgorithm` and `CpaCySymHashAlgorithm`
// (softqat_cpa::sym), named here so the tables read as lists.
use softqat_cpa::sym::{CipherAlgorithm as C, HashAlgorithm as H};

/// QAT 1.7 (dh895xcc, c3xxx, c6xx).
const GEN2_SYM: SymFacts = SymFacts {
    ciphers: bits([
        C::Null as u8,
        C::Arc4 as u8,
        C::AesEcb as u8,
        C::AesCbc as u8,
        C::AesCtr as u8,
        C::AesCcm as u8,
        C::AesGcm as u8,
        C::DesEcb as u8,
        C::DesCbc as u8,
        C::TripleDesEcb as u8,
        C::TripleDesCbc as u8,
        C::TripleDesCtr as u8,
        C::KasumiF8 as u8,
        C::Snow3gUea2 as u8,
        C::AesF8 as u8,
        C::AesXts as u8,
        C::ZucEea3 as u8,
    ]),
    hashes: bits([
        H::Md5 as u8,
        H::Sha1 as u8,
        H::Sha224 as u8,
        H::Sha256 as u8,
        H::Sha384 as u8,
        H::Sha512 as u8,
        H::AesXcbc as u8,
        H::AesCcm as u8,
        H::AesGcm as u8,
        H::KasumiF9 as u8,
        H::Snow3gUia2 as u8,
        H::AesCmac as u8,
        H::AesGmac as u8,
        H::AesCbcMac as u8,
        H::ZucEia3 as u8,
    ]),
    legacy_ciphers: 0,
    legacy_hashes: 0,
    partials: true,
};

/// QAT 2.0 (4xxx, 401xx, 402xx, 420xx).
const GEN4_SYM: SymFacts = SymFacts {
    ciphers: bits([
        C::Null as u8,
        C::AesCbc as u8,
        C::AesCtr as u8,
        C::AesCcm as u8,
        C::AesGcm as u8,
        C::AesXts as u8,
        C::Chacha as u8,
        C::Sm4Cbc as u8,
        C::Sm4Ctr as u8,
    ]),
    hashes: bits([
        H::Sha256 as u8,
        H::Sha384 as u8,
        H::Sha512 as u8,
        H::AesXcbc as u8,
        H::AesCcm as u8,
        H::AesGcm as u8,
        H::AesCmac as u8,
        H::AesGmac as u8,
        H::AesCbcMac as u8,
        H::Sha3_256 as u8,
        H::Sha3_384 as u8,
        H::Sha3_512 as u8,
        H::Poly as u8,
        H::Sm3 as u8,
    ]),
    legacy_ciphers: bits([C::AesEcb as u8, C::Sm4Ecb as u8]),
    legacy_hashes: bits([H::Sha1 as u8, H::Sha224 as u8, H::Sha3_224 as u8]),
    partials: true,
};

/// gen6 (6xxx): gen4's list without SM3 and SM4. qatlib gates SM3 and SM4
/// on accelerator capability bits, and the kernel's `qat_6xxx` driver
/// (`adf_6xxx_hw_data.c` `get_accel_cap`) sets cipher, authentication,
/// SHA-3, ChaCha-Poly, AES-GCM single pass and AES v2, but no SM3/SM4 bit.
const GEN6_SYM: SymFacts = SymFacts {
    ciphers: GEN4_SYM.ciphers & !bits([C::Sm4Cbc as u8, C::Sm4Ctr as u8]),
    hashes: GEN4_SYM.hashes & !bits([H::Sm3 as u8]),
    legacy_ciphers: bits([C::AesEcb as u8]),
    legacy_hashes: GEN4_SYM.legacy_hashes,
    partials: true,
};

/// Public-key and key-generation facts of a device class: the families of
/// `CpaCyCapabilitiesInfo` that vary by generation. RSA, EC, ECDH, ECDSA,
/// LN, prime test and SSL/TLS key generation are on every class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsymFacts {
    /// DH and DSA are offered only with legacy algorithms enabled (gen4,
    /// where qatlib builds them only with `QAT_LEGACY_ALGORITHMS`).
    pub dh_dsa_legacy_only: bool,
    /// `ecEdMontSupported`: Curve25519/448 and Ed25519/448 point multiply.
    pub ec_ed_mont: bool,
    /// `ecSm2Supported`.
    pub ec_sm2: bool,
    /// `hkdfSupported`: TLS 1.3 key generation.
    pub hkdf: bool,
}

/// QAT 1.7: the classic public-key set.
const GEN2_ASYM: AsymFacts = AsymFacts {
    dh_dsa_legacy_only: false,
    ec_ed_mont: false,
    ec_sm2: false,
    hkdf: false,
};

/// QAT 2.0: adds the Montgomery/Edwards curves, SM2 and HKDF; DH and DSA are
/// legacy.
const GEN4_ASYM: AsymFacts = AsymFacts {
    dh_dsa_legacy_only: true,
    ec_ed_mont: true,
    ec_sm2: true,
    hkdf: true,
};

/// One device family: identity and geometry.
#[derive(Debug, PartialEq, Eq)]
pub struct DeviceClass {
    /// Family name, e.g. `c6xx`, `401xx`.
    pub family: &'static str,
    /// Class name used in file names and status lines, e.g. `c6xx`, `4xxx`.
    pub name: &'static str,
    /// PCI device id of the physical function (vendor 0x8086).
    pub pf_device_id: u16,
    /// PCI device id of the virtual functions.
    pub vf_device_id: u16,
    /// Hardware generation.
    pub generation: Generation,
    /// Number of accelerators on a PF (`#accel` in `qat_service status`).
    pub accelerators: u32,
    /// Number of acceleration engines on a PF (`#engines`; gen4 counts the
    /// admin engine, as `qat_service` prints it).
    pub engines: u32,
    /// Ring banks per PF.
    pub banks: u32,
    /// Rings per bank (16 on gen2, 2 on gen4).
    pub rings_per_bank: u32,
    /// Banks owned by one VF.
    pub banks_per_vf: u32,
    /// Maximum number of VFs per PF.
    pub max_vfs: u32,
    /// Acceleration engine clock in MHz, where the driver states it.
    pub ae_clock_mhz: Option<u32>,
    /// Compression facts.
    pub dc: DcFacts,
    /// Symmetric crypto facts.
    pub sym: SymFacts,
    /// Public-key and key-generation facts.
    pub asym: AsymFacts,
    /// PCI bus numbers handed to the first PFs of this class by the synthetic
    /// BDF scheme (see [`crate::SystemConfig::load_dir`]).
    pub(crate) pf_buses: &'static [u8],
    /// devfn of the first VF relative to its PF (VF n is at PF devfn + this + n).
    pub(crate) first_vf_devfn: u8,
}

/// All known device classes. The first row of each class name is its
/// canonical row (the one [`DeviceClass::by_name`] returns for the class name).
pub static CLASSES: &[DeviceClass] = &[
    DeviceClass {
        family: "dh895xcc",
        name: "dh895xcc",
        pf_device_id: 0x0435,
        vf_device_id: 0x0443,
        generation: Generation::Gen2,
        accelerators: 6,
        engines: 12,
        banks: 32,
        rings_per_bank: 16,
        banks_per_vf: 1,
        max_vfs: 32,
        ae_clock_mhz: Some(933),
        dc: DH895XCC_DC,
        sym: GEN2_SYM,
        asym: GEN2_ASYM,
        pf_buses: &[0x03, 0x83],
        first_vf_devfn: 8,
    },
    DeviceClass {
        family: "c3xxx",
        name: "c3xxx",
        pf_device_id: 0x19e2,
        vf_device_id: 0x19e3,
        generation: Generation::Gen2,
        accelerators: 3,
        engines: 6,
        banks: 16,
        rings_per_bank: 16,
        banks_per_vf: 1,
        max_vfs: 16,
        ae_clock_mhz: None,
        dc: GEN2_DC,
        sym: GEN2_SYM,
        asym: GEN2_ASYM,
        pf_buses: &[0x01],
        first_vf_devfn: 8,
    },
    DeviceClass {
        family: "c6xx",
        name: "c6xx",
        pf_device_id: 0x37c8,
        vf_device_id: 0x37c9,
        generation: Generation::Gen2,
        accelerators: 5,
        engines: 10,
        banks: 16,
        rings_per_bank: 16,
        banks_per_vf: 1,
        max_vfs: 16,
        ae_clock_mhz: Some(685),
        dc: GEN2_DC,
        sym: GEN2_SYM,
        asym: GEN2_ASYM,
        pf_buses: &[0x06, 0x85, 0x87],
        first_vf_devfn: 8,
    },
    DeviceClass {
        family: "4xxx",
        name: "4xxx",
        pf_device_id: 0x4940,
        vf_device_id: 0x4941,
        generation: Generation::Gen4,
        accelerators: 1,
        engines: 9,
        banks: 64,
        rings_per_bank: 2,
        banks_per_vf: 4,
        max_vfs: 16,
        ae_clock_mhz: Some(1000),
        dc: GEN4_DC,
        sym: GEN4_SYM,
        asym: GEN4_ASYM,
        pf_buses: &[0x6b, 0x70, 0x75, 0x7a, 0xe8, 0xed, 0xf2, 0xf7],
        first_vf_devfn: 1,
    },
    DeviceClass {
        family: "401xx",
        name: "4xxx",
        pf_device_id: 0x4942,
        vf_device_id: 0x4943,
        generation: Generation::Gen4,
        accelerators: 1,
        engines: 9,
        banks: 64,
        rings_per_bank: 2,
        banks_per_vf: 4,
        max_vfs: 16,
        ae_clock_mhz: Some(1000),
        dc: GEN4_DC,
        sym: GEN4_SYM,
        asym: GEN4_ASYM,
        pf_buses: &[0x6b, 0x70, 0x75, 0x7a, 0xe8, 0xed, 0xf2, 0xf7],
        first_vf_devfn: 1,
    },
    DeviceClass {
        family: "402xx",
        name: "4xxx",
        pf_device_id: 0x4944,
        vf_device_id: 0x4945,
        generation: Generation::Gen4,
        accelerators: 1,
        engines: 9,
        banks: 64,
        rings_per_bank: 2,
        banks_per_vf: 4,
        max_vfs: 16,
        ae_clock_mhz: Some(1000),
        dc: GEN4_DC,
        sym: GEN4_SYM,
        asym: GEN4_ASYM,
        pf_buses: &[0x6b, 0x70, 0x75, 0x7a, 0xe8, 0xed, 0xf2, 0xf7],
        first_vf_devfn: 1,
    },
    DeviceClass {
        family: "420xx",
        name: "420xx",
        pf_device_id: 0x4946,
        vf_device_id: 0x4947,
        generation: Generation::Gen4,
        accelerators: 1,
        engines: 17,
        banks: 64,
        rings_per_bank: 2,
        banks_per_vf: 4,
        max_vfs: 16,
        ae_clock_mhz: Some(1000),
        dc: GEN4_DC,
        sym: GEN4_SYM,
        asym: GEN4_ASYM,
        pf_buses: &[0x76, 0x7b, 0x80, 0x85],
        first_vf_devfn: 1,
    },
    // 6xxx (gen6), from the kernel's `qat_6xxx/adf_6xxx_hw_data.[ch]`:
    // PCI 0x4948 (PF) / 0x4949 (VF); one accelerator
    // (ADF_GEN6_MAX_ACCELERATORS); 9 engines, 8 plus the admin engine
    // (ADF_6XXX_MAX_ACCELENGINES, ADF_6XXX_ADMIN_AE_MASK bit 8); 64 banks
    // (ADF_GEN6_ETR_MAX_BANKS) of 2 rings (ADF_GEN6_NUM_RINGS_PER_BANK), 4
    // per VF (ADF_GEN6_NUM_BANKS_PER_VF), so 16 VFs. The driver states no
    // engine clock (its counter runs at 100 MHz, ADF_GEN6_COUNTER_FREQ).
    DeviceClass {
        family: "6xxx",
        name: "6xxx",
        pf_device_id: 0x4948,
        vf_device_id: 0x4949,
        generation: Generation::Gen6,
        accelerators: 1,
        engines: 9,
        banks: 64,
        rings_per_bank: 2,
        banks_per_vf: 4,
        max_vfs: 16,
        ae_clock_mhz: None,
        dc: GEN6_DC,
        sym: GEN6_SYM,
        asym: GEN4_ASYM,
        pf_buses: &[0x6d, 0x72, 0xea, 0xef],
        first_vf_devfn: 1,
    },
];

impl DeviceClass {
    /// Every known class row.
    pub fn all() -> &'static [DeviceClass] {
        CLASSES
    }

    /// Looks a class up by class name (`c6xx`, `4xxx`) or family name
    /// (`401xx`). A class name returns its canonical row. VF names (`c6xxvf`)
    /// are not accepted here: see [`DeviceClass::by_type_name`].
    pub fn by_name(name: &str) -> Option<&'static DeviceClass> {
        CLASSES
            .iter()
            .find(|c| c.name == name)
            .or_else(|| CLASSES.iter().find(|c| c.family == name))
    }

    /// Looks up a device type name as used in file names and status lines:
    /// `c6xx` gives `(c6xx, false)`, `c6xxvf` gives `(c6xx, true)`.
    pub fn by_type_name(name: &str) -> Option<(&'static DeviceClass, bool)> {
        if let Some(c) = Self::by_name(name) {
            return Some((c, false));
        }
        let base = name.strip_suffix("vf")?;
        Self::by_name(base).map(|c| (c, true))
    }

    /// Looks a PCI device id up (vendor 0x8086): returns the class row and
    /// whether the id is the VF's.
    pub fn by_pci_id(device_id: u16) -> Option<(&'static DeviceClass, bool)> {
        CLASSES.iter().find_map(|c| {
            if c.pf_device_id == device_id {
                Some((c, false))
            } else if c.vf_device_id == device_id {
                Some((c, true))
            } else {
                None
            }
        })
    }

    /// Ring pairs in one bank: 8 on gen2 (TX k, RX k+8), 1 on gen4.
    pub fn ring_pairs_per_bank(&self) -> u32 {
        self.rings_per_bank / 2
    }

    /// Type name of a PF or VF endpoint of this class (`c6xx` / `c6xxvf`).
    pub fn type_name(&self, is_vf: bool) -> String {
        if is_vf {
            format!("{}vf", self.name)
        } else {
            self.name.to_string()
        }
    }

    /// Banks an endpoint of this class owns: all banks on a PF, the VF's
    /// share on a VF.
    pub fn endpoint_banks(&self, is_vf: bool) -> u32 {
        if is_vf {
            self.banks_per_vf
        } else {
            self.banks
        }
    }

    /// Class names, deduplicated, in table order (for messages).
    pub(crate) fn class_names() -> Vec<&'static str> {
        let mut names: Vec<&'static str> = Vec::new();
        for c in CLASSES {
            if !names.contains(&c.name) {
                names.push(c.name);
            }
        }
        names
    }
}

/// A synthetic address: PF slot `k` of a class gets bus `pf_buses[k]`; VF `v`
/// of that PF is at devfn `first_vf_devfn + v` on the same bus.
pub(crate) fn synthetic_bdf(class: &DeviceClass, is_vf: bool, k: usize, vf: u32) -> String {
    let bus = class
        .pf_buses
        .get(k)
        .or(class.pf_buses.first())
        .copied()
        .unwrap_or(1);
    format_bdf(0, bus, is_vf, class.first_vf_devfn, vf)
}

pub(crate) fn format_bdf(domain: u32, bus: u8, is_vf: bool, first_vf_devfn: u8, vf: u32) -> String {
    if is_vf {
        let devfn = u32::from(first_vf_devfn) + vf;
        format!(
            "{domain:04x}:{bus:02x}:{:02x}.{:x}",
            (devfn >> 3) & 0x1f,
            devfn & 7
        )
    } else {
        format!("{domain:04x}:{bus:02x}:00.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_facts_are_rows_of_the_table() {
        for c in CLASSES {
            let (level, mapping) = match c.generation {
                Generation::Gen2 => (9, LevelMapping::Gen2),
                Generation::Gen4 | Generation::Gen6 => (12, LevelMapping::Gen4),
            };
            // Dictionaries and zstd are gen6's.
            assert_eq!(c.dc.dictionary, c.generation == Generation::Gen6);
            assert_eq!(c.dc.zstd, c.generation == Generation::Gen6);
            assert_eq!(
                (c.dc.max_level, c.dc.level_mapping),
                (level, mapping),
                "{}",
                c.family
            );
            // What deflate compresses with, decompression takes too.
            assert_eq!(
                c.dc.window_mask_compression & !c.dc.window_mask_decompression,
                0,
                "{}",
                c.family
            );
        }
        let gen4 = DeviceClass::by_name("4xxx").unwrap();
        assert_eq!(gen4.dc.window_mask_compression, 1 << 3);
        assert_eq!(gen4.dc.window_mask_decompression, 0b0_1111);
        let gen2 = DeviceClass::by_name("c6xx").unwrap();
        assert_eq!(gen2.dc.window_mask_compression, 0b1_1111);
        assert_eq!((gen2.generation.number(), gen4.generation.number()), (2, 4));
        let gen6 = DeviceClass::by_name("6xxx").unwrap();
        assert_eq!(DeviceClass::by_pci_id(0x4949), Some((gen6, true)));
        assert_eq!(
            (
                gen6.banks,
                gen6.rings_per_bank,
                gen6.banks_per_vf,
                gen6.max_vfs
            ),
            (64, 2, 4, 16)
        );
        assert_eq!(gen6.sym.hashes & (1 << H::Sm3 as u8), 0);
    }
}
