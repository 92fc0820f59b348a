//! Fuzzing descriptor validation on the stable toolchain: request
//! descriptors and content descriptors of every service — valid templates
//! mutated field by field, and random ones — submitted through a ring to
//! an embedded endpoint whose owner memory is a registered region (as a
//! managed-mode client's is), so any address a descriptor names is checked
//! by the device and none can reach this process's other memory.
//!
//! Covered: the header (service, command, flags, opaque), the content
//! descriptor (address, length, header fields, stamp, body), source and
//! destination of every buffer kind (flat, scatter-gather, unknown kinds),
//! scatter-gather tables (0 to 1100 entries; entries inside, across and
//! outside the region, empty, overlapping each other or the other buffer,
//! adding up past 4 GiB), and every service's parameter area.
//!
//! Every request must be answered — the response echoes its opaque value,
//! service and command, with a CPA status the firmware documents — and the
//! device must never write outside the registered region (guard pages
//! around it stay intact). The endpoint still serves valid requests of
//! every service afterwards.
//!
//! Each request is generated from `(seed, index)` alone, so a failure
//! replays from those two numbers: `tests/data/descriptor_fuzz/seeds` lists
//! the seeds each run uses and `regressions` the `(seed, index)` pairs of
//! inputs that once failed (replayed first). The bounded run (15,000
//! requests per seed) is part of `cargo test`; a longer one:
//!
//! ```sh
//! SOFTQAT_FUZZ_ITERS=500000 cargo test --release -p softqat-device --test descriptor_fuzz -- --ignored --nocapture
//! ```

use std::any::Any;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytemuck::Zeroable;
use softqat_cpa::CpaStatus;
use softqat_device::desc::*;
use softqat_device::dma::OwnerMemory;
use softqat_device::endpoint::{EndpointInfo, Geometry};
use softqat_device::ring::{PollOutcome, RingProducer};
use softqat_device::{Endpoint, EndpointOptions, Iova, ServiceId};
use softqat_engine::deflate::LevelMapping;

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn for_request(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ index.wrapping_mul(0xd1b5_4a32_d192_ed03));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }

    /// Usually one of `usual`, sometimes anything below `any`.
    fn pick(&mut self, usual: &[u64], any: u64) -> u64 {
        if self.chance(8) {
            self.below(any)
        } else {
            usual[self.below(usual.len() as u64) as usize]
        }
    }
}

// --- The owner's memory -------------------------------------------------

/// IOVA of the registered region.
const BASE: u64 = 0x10_0000_0000;
/// Bytes registered.
const REGION: usize = 4 << 20;
/// Guard bytes on each side of the region, never registered.
const GUARD: usize = 64 << 10;
/// Requests in flight at once; each has a slot of the region's areas.
const DEPTH: usize = 16;
/// Per slot: the content descriptor (MAX_CONTENT_LEN bytes).
const CONTENT_AT: usize = 0;
/// Per slot: a scatter-gather table (1024 entries) for each of src and dst.
const TABLES_AT: usize = 64 << 10;
const TABLE_BYTES: usize = 16 << 10;
/// Per slot: the data window (source, destination, AAD, digest).
const WINDOW_AT: usize = 1 << 20;
const WINDOW: usize = 192 << 10;
const GUARD_BYTE: u8 = 0xA5;

struct Memory {
    bytes: Vec<u8>,
    owner: Arc<OwnerMemory>,
}

impl Memory {
    fn new() -> Arc<Mutex<Memory>> {
        let mut bytes = vec![GUARD_BYTE; REGION + 2 * GUARD];
        let host = bytes[GUARD..].as_mut_ptr();
        let owner = OwnerMemory::regions();
        let mem = Arc::new(Mutex::new(Memory {
            bytes,
            owner: owner.clone(),
        }));
        let keep: Arc<dyn Any + Send + Sync> = mem.clone();
        // SAFETY: the Vec is never resized or moved (it lives inside the
        // Arc'd Memory), so `host..host + REGION` stays mapped as long as
        // `keep`, which the registry holds. The test writes the region only
        // while no request is in flight.
        unsafe { owner.register(Iova(BASE), host, REGION, keep).unwrap() };
        mem
    }

    fn region(&mut self) -> &mut [u8] {
        &mut self.bytes[GUARD..GUARD + REGION]
    }

    fn guards_intact(&self) -> bool {
        self.bytes[..GUARD].iter().all(|&b| b == GUARD_BYTE)
            && self.bytes[GUARD + REGION..]
                .iter()
                .all(|&b| b == GUARD_BYTE)
    }
}

/// The IOVA of region offset `off`.
fn iova(off: usize) -> u64 {
    BASE + off as u64
}

// --- Generation ---------------------------------------------------------

/// What one request was built as, for the coverage table.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Kind {
    service: u8,
    command: u8,
    src: &'static str,
    dst: &'static str,
    template: bool,
}

fn buffer_kind(d: &BufferDesc) -> &'static str {
    match d.kind {
        BUF_FLAT => "flat",
        BUF_SGL => "sgl",
        _ => "other",
    }
}

/// A valid deflate stream and an LZ4 frame of some text, to decompress.
struct Streams {
    text: Vec<u8>,
    deflate: Vec<u8>,
    lz4: Vec<u8>,
}

fn streams() -> Streams {
    let phrase = b"descriptors are validated field by field; ";
    let text: Vec<u8> = (0..12_000).map(|i| phrase[i % phrase.len()]).collect();
    let mut deflate = vec![0u8; 16_384];
    let n = libdeflater::Compressor::new(libdeflater::CompressionLvl::default())
        .deflate_compress(&text, &mut deflate)
        .unwrap();
    deflate.truncate(n);
    // An LZ4 frame: header (independent 64 KiB blocks, no checksums),
    // one compressed block, the end mark.
    let lz4 = {
        let mut f = vec![0x04, 0x22, 0x4d, 0x18, 0x60, 0x40];
        f.push((softqat_engine::checksum::xxhash32(0, &f[4..6]) >> 8) as u8);
        let block = lz4_flex::block::compress(&text);
        f.extend_from_slice(&(block.len() as u32).to_le_bytes());
        f.extend_from_slice(&block);
        f.extend_from_slice(&[0; 4]);
        f
    };
    Streams { text, deflate, lz4 }
}

/// A valid compression session, then perhaps some fields changed.
fn dc_session(r: &mut Rng, template: bool) -> DcSessionDesc {
    let lz4 = r.chance(3);
    let mut s = DcSessionDesc {
        comp_type: if lz4 { 4 } else { 3 },
        huff_type: r.pick(&[0, 2], 3) as u8,
        asb: r.below(5) as u8,
        checksum: if lz4 {
            r.pick(&[0, 4], 5)
        } else {
            r.pick(&[0, 1, 2, 3], 5)
        } as u8,
        level: r.pick(&[1, 6, 9, 12], 13) as u8,
        min_match: r.below(2) as u8,
        lz4_block_max: r.below(4) as u8,
        lz4_flags: r.below(2) as u8,
        ..DcSessionDesc::default()
    };
    if !template {
        for _ in 0..1 + r.below(3) {
            let b = bytemuck::bytes_of_mut(&mut s);
            let i = r.below(b.len() as u64) as usize;
            b[i] = r.pick(&[0, 1, 2, 3, 4, 5, 12, 13, 255], 256) as u8;
        }
    }
    s
}

/// The valid symmetric sessions the mutations start from (CPA values):
/// AES-128-GCM, HMAC-SHA256, AES-128-CBC, AES-CBC then HMAC-SHA256,
/// AES-CTR, ChaCha20-Poly1305, AES-CCM, SHA3-256, plain SHA-1, ARC4,
/// 3DES-CBC, SNOW 3G UEA2, ZUC EEA3 + EIA3, SM4-CBC, AES-XTS.
fn sym_template(r: &mut Rng) -> (SymSessionDesc, u8) {
    let base = SymSessionDesc::zeroed();
    let (op, cipher, key, hash, mode, digest, auth_key, aad) = match r.below(15) {
        0 => (3, 7, 16, 9, 2, 16, 0, 8),
        1 => (2, 0, 0, 4, 2, 32, 32, 0),
        2 => (1, 4, 16, 0, 0, 0, 0, 0),
        3 => (3, 4, 16, 4, 2, 32, 32, 0),
        4 => (1, 5, 32, 0, 0, 0, 0, 0),
        5 => (3, 18, 32, 22, 2, 16, 0, 12),
        6 => (3, 6, 16, 8, 2, 16, 0, 32),
        7 => (2, 0, 0, 16, 1, 32, 0, 0),
        8 => (2, 0, 0, 2, 1, 20, 0, 0),
        9 => (1, 2, 16, 0, 0, 0, 0, 0),
        10 => (1, 11, 24, 0, 0, 0, 0, 0),
        11 => (1, 14, 16, 0, 0, 0, 0, 0),
        12 => (3, 17, 16, 15, 2, 4, 16, 0),
        13 => (1, 20, 16, 0, 0, 0, 0, 0),
        _ => (1, 16, 32, 0, 0, 0, 0, 0),
    };
    let mut s = SymSessionDesc {
        op,
        cipher_alg: cipher,
        cipher_dir: 1 + r.below(2) as u8,
        hash_alg: hash,
        hash_mode: mode,
        chain_order: if op == 3 { 2 } else { 0 },
        flags: if op == 3 && r.chance(2) {
            SYM_DIGEST_APPENDED
        } else {
            0
        },
        digest_len: digest,
        aad_len: aad,
        cipher_key_len: key,
        auth_key_len: auth_key,
        ..base
    };
    for b in s.cipher_key.iter_mut().chain(s.auth_key.iter_mut()) {
        *b = r.next() as u8;
    }
    // The IV each cipher takes (CCM: the nonce).
    let iv = match cipher {
        0 | 2 => 0,
        7 | 18 => 12,
        6 => 11,
        11 => 8,
        _ => 16,
    };
    (s, iv)
}

fn sym_session(r: &mut Rng, template: bool) -> (SymSessionDesc, u8) {
    let (mut s, iv) = sym_template(r);
    if !template {
        for _ in 0..1 + r.below(3) {
            match r.below(14) {
                0 => s.op = r.below(6) as u8,
                1 => s.cipher_alg = r.below(24) as u8,
                2 => s.cipher_dir = r.below(4) as u8,
                3 => s.hash_alg = r.below(26) as u8,
                4 => s.hash_mode = r.below(5) as u8,
                5 => s.chain_order = r.below(4) as u8,
                6 => s.flags = r.below(16) as u8,
                7 => s.digest_len = r.pick(&[0, 4, 12, 16, 20, 33, 64, 65535], 600) as u16,
                8 => s.aad_len = r.pick(&[0, 8, 13, 16, 241, 65535], 4000) as u16,
                9 => s.cipher_key_len = r.pick(&[0, 5, 8, 16, 24, 32, 33, 256, 257], 65536) as u16,
                10 => s.auth_key_len = r.pick(&[0, 16, 64, 128, 256, 257], 65536) as u16,
                11 => s.inner_prefix_len = r.pick(&[0, 8, 256], 65536) as u16,
                12 => s.outer_prefix_len = r.pick(&[0, 8, 256], 65536) as u16,
                _ => s.outer_hash_alg = r.below(26) as u8,
            }
        }
    }
    (s, iv)
}

/// A content descriptor of `service` (header and body) as bytes, perhaps
/// with its header damaged, and the IV length a symmetric session takes.
fn content(r: &mut Rng, service: ServiceId, template: bool, stamp: u64) -> (Vec<u8>, u8) {
    let mut iv = 0;
    let mut bytes = match service {
        ServiceId::Dc => {
            bytemuck::bytes_of(&DcContent::new(dc_session(r, template), stamp)).to_vec()
        }
        ServiceId::Sym => {
            let (session, iv_len) = sym_session(r, template);
            iv = iv_len;
            bytemuck::bytes_of(&SymContent::new(session, stamp)).to_vec()
        }
        // The public-key service has no session: its requests carry
        // everything; a content descriptor is ignored.
        ServiceId::Asym => vec![0u8; 64],
    };
    if !template && r.chance(4) {
        let h = bytemuck::from_bytes_mut::<ContentHeader>(&mut bytes[..16]);
        match r.below(5) {
            0 => h.service = r.below(5) as u8,
            1 => h.version = r.below(4) as u8,
            2 => h.body_len = r.pick(&[0, 8, 1024, u32::MAX as u64], 1 << 32) as u32,
            3 => h.stamp = 0,
            _ => h.reserved = r.next() as u16,
        }
    }
    (bytes, iv)
}

/// A length for a public-key number (as `asym_hostile` draws them).
fn asym_length(r: &mut Rng) -> u32 {
    const USUAL: [u32; 12] = [0, 1, 8, 16, 28, 32, 48, 56, 64, 66, 128, 256];
    match r.below(10) {
        0 => r.below(600) as u32,
        1 => ASYM_MAX_NUMBER as u32 + r.below(3) as u32,
        _ => USUAL[r.below(USUAL.len() as u64) as usize],
    }
}

/// One request: its descriptor, and the bytes to place in its slot
/// (content descriptor, tables, window) before it is submitted.
struct Built {
    req: RequestDesc,
    content: Vec<u8>,
    tables: [Vec<u8>; 2],
    window: Vec<u8>,
    kind: Kind,
}

/// A buffer descriptor over `len` bytes at window offset `off` of slot
/// `slot`: flat, or a scatter-gather list of that range cut in pieces
/// (table `t` of the slot), or something broken.
fn buffer(
    r: &mut Rng,
    slot: usize,
    t: usize,
    off: usize,
    len: usize,
    table: &mut Vec<u8>,
    template: bool,
) -> BufferDesc {
    let at = iova(WINDOW_AT + slot * WINDOW + off);
    let table_at = iova(TABLES_AT + (slot * 2 + t) * TABLE_BYTES);
    if r.chance(2) {
        let mut d = BufferDesc::flat(Iova(at), len as u32);
        if !template {
            match r.below(10) {
                0 => {
                    d.addr = Iova(r.pick(
                        &[0, BASE - 1, BASE + REGION as u64 - 8, u64::MAX - 4],
                        u64::MAX,
                    ))
                }
                1 => {
                    d.len = r.pick(
                        &[0, u32::MAX as u64, REGION as u64, (REGION + 1) as u64],
                        1 << 32,
                    ) as u32
                }
                2 => d.kind = r.pick(&[2, 3, u32::MAX as u64], 1 << 32) as u32,
                3 => d.addr = Iova(d.addr.0.wrapping_add(r.below(64)).wrapping_sub(32)),
                _ => {}
            }
        }
        return d;
    }
    // Cut [at, at + len) in pieces; empty pieces too.
    let mut entries = Vec::new();
    let mut pos = 0usize;
    let pieces = 1 + r.pick(&[0, 1, 3, 7, 31], 1100) as usize;
    for k in 0..pieces {
        let rest = len - pos;
        let n = if k + 1 == pieces {
            rest
        } else {
            r.below(rest as u64 + 1) as usize
        };
        entries.push(SglEntry {
            len: n as u32,
            reserved: 0,
            addr: Iova(at + pos as u64),
        });
        pos += n;
    }
    if !template {
        for _ in 0..1 + r.below(3) {
            let i = r.below(entries.len() as u64) as usize;
            let e = &mut entries[i];
            match r.below(7) {
                0 => {
                    e.addr = Iova(r.pick(
                        &[0, BASE - 16, BASE + REGION as u64 - 4, u64::MAX - 8],
                        u64::MAX,
                    ))
                }
                1 => e.len = r.pick(&[0, 1, u32::MAX as u64, (REGION + 16) as u64], 1 << 32) as u32,
                // Point into another entry, the table itself, the content.
                2 => e.addr = Iova(at + r.below(len as u64 + 1)),
                3 => e.addr = Iova(table_at),
                4 => e.addr = Iova(iova(CONTENT_AT + slot * MAX_CONTENT_LEN as usize)),
                5 => e.reserved = r.next() as u32,
                _ => {}
            }
        }
    }
    for e in &entries {
        table.extend_from_slice(bytemuck::bytes_of(e));
    }
    table.resize(TABLE_BYTES, 0);
    let mut d = BufferDesc::sgl(Iova(table_at), entries.len().min(u32::MAX as usize) as u32);
    if !template {
        match r.below(8) {
            0 => d.len = r.pick(&[0, 1025, u32::MAX as u64, 2048], 1 << 32) as u32,
            1 => d.addr = Iova(r.pick(&[0, BASE + REGION as u64 - 32, u64::MAX - 15], u64::MAX)),
            2 => d.len = d.len.saturating_add(1),
            _ => {}
        }
    }
    // A list longer than a table holds must not read past it: any count
    // over 1024 is refused before the table is read.
    d
}

fn build(seed: u64, index: u64, slot: usize, s: &Streams) -> Built {
    let r = &mut Rng::for_request(seed, index);
    // One request in four is a template: valid as built, so the deep paths
    // run; the others are mutated.
    let template = r.chance(4);
    let service = match r.below(3) {
        0 => ServiceId::Dc,
        1 => ServiceId::Sym,
        _ => ServiceId::Asym,
    };
    let mut window = vec![0u8; WINDOW];
    let mut tables = [Vec::new(), Vec::new()];
    let mut req = RequestDesc::zeroed();
    req.header.service = service as u8;
    req.header.opaque = index as u32;
    let (content, iv_len) = content(r, service, template, 1 + index);
    req.content = Iova(iova(CONTENT_AT + slot * MAX_CONTENT_LEN as usize));
    req.content_len = content.len() as u32;
    match service {
        ServiceId::Dc => {
            let decompress = r.chance(2);
            req.header.command = if decompress { 2 } else { 1 };
            let src: &[u8] = match (decompress, r.below(3)) {
                (true, 0) => &s.lz4,
                (true, _) => &s.deflate,
                (false, _) => &s.text[..r.below(s.text.len() as u64 + 1) as usize],
            };
            let n = src.len();
            window[..n].copy_from_slice(src);
            for _ in 0..r.below(3) {
                if n > 0 {
                    let k = r.below(n as u64) as usize;
                    window[k] ^= 1 << r.below(8);
                }
            }
            let dst_len = r.pick(
                &[0, 64, n as u64, 2 * n as u64 + 1024, 16_384, 65_536],
                100_000,
            ) as usize;
            req.src = buffer(r, slot, 0, 0, n, &mut tables[0], template);
            req.dst = buffer(
                r,
                slot,
                1,
                96 << 10,
                dst_len.min(WINDOW - (96 << 10)),
                &mut tables[1],
                template,
            );
            req.set_params(&DcRequestParams {
                flush: r.pick(&[1, 2, 3], 6) as u8,
                flags: r.below(4) as u8,
                inject: if r.chance(30) {
                    -(r.below(20) as i8)
                } else {
                    0
                },
                seed_crc32: r.next() as u32,
                seed_adler32: r.next() as u32,
                ..DcRequestParams::default()
            });
        }
        ServiceId::Sym => {
            req.header.command = 1;
            let n = if template {
                r.pick(&[16, 64, 4096], 1) as usize
            } else {
                r.pick(&[0, 1, 15, 16, 17, 64, 100, 4096], 20_000) as usize
            };
            for b in &mut window[..n + 64] {
                *b = r.next() as u8;
            }
            req.src = buffer(r, slot, 0, 0, n, &mut tables[0], template);
            req.dst = if r.chance(3) {
                let extra = r.below(3) as usize * 16;
                buffer(r, slot, 1, 96 << 10, n + extra, &mut tables[1], template)
            } else {
                req.src
            };
            let mut p = SymRequestParams::zeroed();
            if template {
                // A whole packet over the whole buffer, the session's IV.
                p.packet = 1;
                p.iv_len = iv_len;
                p.flags = SYM_REQ_AAD_RAW;
                p.cipher_len = n as u32;
                p.hash_len = n as u32;
            } else {
                p.packet = r.pick(&[1, 1, 1, 2, 3], 6) as u8;
                p.iv_len = r.pick(&[u64::from(iv_len), 12, 16, 0, 8, 13], 256) as u8;
                p.flags = r.below(2) as u8;
                p.cipher_offset = r.pick(&[0, 0, 0, 1, 16], 1 << 32) as u32;
                p.cipher_len = r.pick(
                    &[n as u64, n as u64, 0, n as u64 / 2, n as u64 + 1],
                    1 << 32,
                ) as u32;
                p.hash_offset = r.pick(&[0, 0, 8], 1 << 32) as u32;
                p.hash_len = r.pick(&[n as u64, n as u64, 0, n as u64 + 8], 1 << 32) as u32;
            }
            for b in &mut p.iv {
                *b = r.next() as u8;
            }
            let aad_at = iova(WINDOW_AT + slot * WINDOW + (160 << 10));
            let digest_at = iova(WINDOW_AT + slot * WINDOW + (176 << 10));
            p.aad = Iova(match r.below(10) {
                0 => 0,
                1 => r.pick(&[BASE - 8, BASE + REGION as u64 - 4, u64::MAX], u64::MAX),
                _ => aad_at,
            });
            p.digest = Iova(match r.below(10) {
                0 => 0,
                1 => r.pick(&[BASE - 8, BASE + REGION as u64 - 4, u64::MAX], u64::MAX),
                // The digest over the data itself.
                2 => iova(WINDOW_AT + slot * WINDOW),
                _ => digest_at,
            });
            if !template {
                p.reserved0 = r.below(2) as u8 * r.next() as u8;
                p.reserved1 = r.below(2) as u32 * r.next() as u32;
            }
            req.set_params(&p);
        }
        ServiceId::Asym => {
            // Every function, and a few commands past the last; templates
            // are modular exponentiations, valid whatever the numbers
            // (an odd modulus with its top byte set).
            let modexp = template && r.chance(2);
            let f = if modexp {
                AsymFunction::LnModExp as u8
            } else {
                1 + r.below(AsymFunction::ALL.len() as u64 + 2) as u8
            };
            req.header.command = f;
            let sig = AsymFunction::from_u8(f).map(|f| f.signature());
            let (n_in, n_out) = match (sig, r.below(8)) {
                (Some(s), _) if modexp => (s.inputs, s.outputs),
                (Some(s), 0..=5) => (s.inputs, s.outputs),
                _ => (r.below(17) as u8, r.below(6) as u8),
            };
            let count = usize::from(n_in) + usize::from(n_out);
            let lens: Vec<u32> = if modexp {
                vec![32, 32, 8, 32]
            } else {
                (0..count).map(|_| asym_length(r)).collect()
            };
            let table = asym_table_len(count);
            let body: usize = lens.iter().map(|l| *l as usize).sum();
            let cut = if r.chance(6) {
                r.below(body as u64 + 1) as usize
            } else {
                body
            };
            let len = (table + cut + ASYM_REASON_LEN).min(96 << 10);
            for (k, l) in lens.iter().enumerate() {
                window[k * 4..k * 4 + 4].copy_from_slice(&l.to_le_bytes());
            }
            for b in &mut window[table.min(len)..len.saturating_sub(ASYM_REASON_LEN)] {
                *b = r.next() as u8;
            }
            if modexp {
                window[table] |= 0x80;
                window[table + 31] |= 1;
            }
            req.src = buffer(r, slot, 0, 0, len, &mut tables[0], template);
            req.dst = if r.chance(8) {
                buffer(r, slot, 1, 96 << 10, len, &mut tables[1], template)
            } else {
                req.src
            };
            req.set_params(&AsymRequestParams {
                n_in,
                n_out,
                args: [
                    r.below(6) as u32,
                    r.below(3) as u32,
                    r.below(20) as u32,
                    r.next() as u32,
                ],
                ..AsymRequestParams::default()
            });
        }
    }
    if !template {
        // The request's own fields.
        for _ in 0..r.below(3) {
            match r.below(9) {
                0 => req.header.service = r.pick(&[0, 1, 2, 3, 4, 255], 256) as u8,
                1 => req.header.command = r.pick(&[0, 1, 2, 3, 42, 43, 255], 256) as u8,
                2 => req.header.flags = r.next() as u16,
                3 => {
                    req.content = Iova(r.pick(
                        &[0, BASE - 8, BASE + REGION as u64 - 16, u64::MAX - 8],
                        u64::MAX,
                    ))
                }
                4 => {
                    req.content_len =
                        r.pick(&[0, 15, 16, 64, 4096, 4097, u32::MAX as u64], 1 << 32) as u32
                }
                5 => req.reserved = r.next() as u32,
                6 => req.content = Iova(req.content.0.wrapping_add(r.below(64))),
                7 => {
                    let i = r.below(req.params.len() as u64) as usize;
                    req.params[i] = r.next();
                }
                _ => std::mem::swap(&mut req.src, &mut req.dst),
            }
        }
        // Now and then, a descriptor of random bytes pointing near the slot.
        if r.chance(20) {
            let opaque = req.header.opaque;
            let content = req.content;
            for w in bytemuck::bytes_of_mut(&mut req).chunks_mut(8) {
                let v = r.next().to_le_bytes();
                w.copy_from_slice(&v[..w.len()]);
            }
            req.header.opaque = opaque;
            if r.chance(2) {
                req.content = content;
            }
        }
    }
    let kind = Kind {
        service: req.header.service,
        command: req.header.command,
        src: buffer_kind(&req.src),
        dst: buffer_kind(&req.dst),
        template,
    };
    Built {
        req,
        content,
        tables,
        window,
        kind,
    }
}

// --- Running ------------------------------------------------------------

fn endpoint(services: &str) -> Arc<Endpoint> {
    let ep = Endpoint::new(
        EndpointInfo {
            id: 0,
            class_name: "4xxx".into(),
            bdf: "0000:6b:00.0".into(),
            accelerators: 1,
            engines: 9,
            services: services.into(),
        },
        Geometry {
            banks: 4,
            ring_pairs_per_bank: 1,
            level_mapping: LevelMapping::Gen4,
        },
        // One engine: requests whose buffers stray into another slot's
        // are never computed at the same time.
        EndpointOptions {
            engine_threads: 1,
            ..EndpointOptions::default()
        },
    )
    .unwrap();
    ep.up().unwrap();
    ep
}

const ALLOWED: [CpaStatus; 5] = [
    CpaStatus::Success,
    CpaStatus::Fail,
    CpaStatus::Resource,
    CpaStatus::InvalidParam,
    CpaStatus::Unsupported,
];

/// What a request must get, whatever else it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Anything the firmware documents.
    Any,
    /// Not success: the descriptor is broken in a way no firmware may
    /// accept (an unknown command or buffer kind, a list of no entries or
    /// too many, a removed or foreign session, a session descriptor of the
    /// wrong length).
    Refusal,
    /// Exactly this status (an unknown service; a service the endpoint
    /// does not run).
    Exactly(CpaStatus),
}

/// The expectation for `req` (with `content` at its slot's content
/// address) on an endpoint running `enabled`.
fn expect(req: &RequestDesc, content: &[u8], slot: usize, enabled: &[u8]) -> Expect {
    let svc = req.header.service;
    if !(1..=3).contains(&svc) {
        return Expect::Exactly(CpaStatus::InvalidParam);
    }
    if !enabled.contains(&svc) {
        return Expect::Exactly(CpaStatus::Unsupported);
    }
    let command_ok = match svc {
        1 => (1..=2).contains(&req.header.command),
        2 => req.header.command == 1,
        _ => AsymFunction::from_u8(req.header.command).is_some(),
    };
    let src = &req.src;
    let bad_src = !matches!(src.kind, BUF_FLAT | BUF_SGL)
        || (src.kind == BUF_SGL && (src.len == 0 || src.len > MAX_SGL_ENTRIES));
    let mut bad_content = false;
    if svc != 3 {
        let size = if svc == 1 {
            std::mem::size_of::<DcContent>()
        } else {
            std::mem::size_of::<SymContent>()
        };
        bad_content |= (req.content_len as usize) < size || req.content_len > MAX_CONTENT_LEN;
        let at_slot = req.content.0 == iova(CONTENT_AT + slot * MAX_CONTENT_LEN as usize);
        if at_slot && content.len() >= 16 {
            let h: ContentHeader = bytemuck::pod_read_unaligned(&content[..16]);
            bad_content |= h.stamp == 0 || h.version != CONTENT_VERSION || h.service != svc;
        }
    }
    if !command_ok || bad_src || bad_content {
        Expect::Refusal
    } else {
        Expect::Any
    }
}

#[derive(Default)]
struct Report {
    tried: u64,
    by_kind: BTreeMap<Kind, u64>,
    by_status: BTreeMap<(u8, String), u64>,
    template_ok: u64,
    templates: u64,
    /// Requests that had to be refused.
    must_refuse: u64,
    /// Of those, how many got CPA_STATUS_SUCCESS (must stay 0).
    accepted_corrupt: u64,
}

/// Submits requests `indexes` of `seed` in batches of [`DEPTH`] and checks
/// every answer. Panics (failing the test) at the first violation, naming
/// the `(seed, index)` that replays it.
#[allow(clippy::too_many_arguments)]
fn run(
    ep: &Endpoint,
    enabled: &[u8],
    ring: &RingProducer<u64>,
    mem: &Arc<Mutex<Memory>>,
    seed: u64,
    indexes: &[u64],
    s: &Streams,
    report: &mut Report,
) {
    for batch in indexes.chunks(DEPTH) {
        let mut sent: Vec<(u64, RequestDesc, Kind, Expect)> = Vec::new();
        {
            let mut m = mem.lock().unwrap();
            for (slot, &index) in batch.iter().enumerate() {
                let b = build(seed, index, slot, s);
                let region = m.region();
                let c = CONTENT_AT + slot * MAX_CONTENT_LEN as usize;
                region[c..c + MAX_CONTENT_LEN as usize].fill(0);
                region[c..c + b.content.len()].copy_from_slice(&b.content);
                for (t, table) in b.tables.iter().enumerate() {
                    let at = TABLES_AT + (slot * 2 + t) * TABLE_BYTES;
                    region[at..at + TABLE_BYTES].fill(0);
                    region[at..at + table.len()].copy_from_slice(table);
                }
                let w = WINDOW_AT + slot * WINDOW;
                region[w..w + WINDOW].copy_from_slice(&b.window);
                let e = expect(&b.req, &b.content, slot, enabled);
                sent.push((index, b.req, b.kind, e));
            }
        }
        // The ring writes its slot number into `opaque`: the response
        // must echo it.
        for (index, req, ..) in &mut sent {
            match ring.submit(req, *index) {
                Ok(slot) => req.header.opaque = slot,
                Err(_) => panic!(
                    "seed {seed} index {index}: the ring refused a request with {DEPTH} in flight"
                ),
            }
        }
        ep.ring_doorbell();
        let mut answered = 0usize;
        let start = Instant::now();
        while answered < sent.len() {
            let outcome = ring.poll(64, |resp, index| {
                let (_, req, kind, want) = sent
                    .iter()
                    .find(|(i, ..)| *i == index)
                    .expect("a response for a request sent");
                assert_eq!(
                    resp.opaque, req.header.opaque,
                    "seed {seed} index {index}: opaque"
                );
                assert_eq!(
                    (resp.service, resp.command),
                    (req.header.service, req.header.command),
                    "seed {seed} index {index}: the response echoes service and command"
                );
                let status = CpaStatus::from_code(i32::from(resp.cpa_status));
                assert!(
                    ALLOWED.contains(&status),
                    "seed {seed} index {index}: status {}",
                    resp.cpa_status
                );
                match want {
                    Expect::Exactly(w) => {
                        assert_eq!(status, *w, "seed {seed} index {index}: {req:?}")
                    }
                    Expect::Refusal => {
                        report.must_refuse += 1;
                        if status == CpaStatus::Success {
                            report.accepted_corrupt += 1;
                            eprintln!("accepted-corrupt: seed {seed:#x} index {index:#x}: {req:?}");
                        }
                    }
                    Expect::Any => {}
                }
                report.tried += 1;
                *report.by_kind.entry(*kind).or_default() += 1;
                *report
                    .by_status
                    .entry((kind.service, format!("{status:?}")))
                    .or_default() += 1;
                if kind.template {
                    report.templates += 1;
                    report.template_ok += u64::from(status == CpaStatus::Success);
                }
                answered += 1;
            });
            if let PollOutcome::Consumed(0) = outcome {
                assert!(
                    start.elapsed() < Duration::from_secs(30),
                    "seed {seed}: requests {:?} were never answered (an engine died?)",
                    sent.iter().map(|s| s.0).collect::<Vec<_>>()
                );
                std::thread::sleep(Duration::from_micros(20));
            }
        }
        assert!(
            mem.lock().unwrap().guards_intact(),
            "seed {seed}: a write outside the registered region in requests {:?}",
            sent.iter().map(|s| s.0).collect::<Vec<_>>()
        );
    }
}

/// A valid request of every service still works.
fn still_serves(ep: &Endpoint, ring: &RingProducer<u64>, mem: &Arc<Mutex<Memory>>, s: &Streams) {
    let mut m = mem.lock().unwrap();
    let region = m.region();
    let content = DcContent::new(
        DcSessionDesc {
            comp_type: 3,
            huff_type: 2,
            checksum: 1,
            level: 1,
            ..DcSessionDesc::default()
        },
        u64::MAX,
    );
    region[..std::mem::size_of::<DcContent>()].copy_from_slice(bytemuck::bytes_of(&content));
    let n = s.deflate.len();
    region[WINDOW_AT..WINDOW_AT + n].copy_from_slice(&s.deflate);
    drop(m);
    let mut req = RequestDesc::zeroed();
    req.header.service = ServiceId::Dc as u8;
    req.header.command = DcCommand::Decompress as u8;
    req.header.opaque = 7;
    req.content = Iova(iova(0));
    req.content_len = std::mem::size_of::<DcContent>() as u32;
    req.src = BufferDesc::flat(Iova(iova(WINDOW_AT)), n as u32);
    req.dst = BufferDesc::flat(Iova(iova(WINDOW_AT + (64 << 10))), 65_536);
    req.set_params(&DcRequestParams {
        flush: 1,
        ..DcRequestParams::default()
    });
    assert!(ring.submit(&req, 0).is_ok());
    ep.ring_doorbell();
    let start = Instant::now();
    let mut got = None;
    while got.is_none() {
        ring.poll(1, |r, _| got = Some(r));
        assert!(start.elapsed() < Duration::from_secs(10), "no answer");
    }
    let resp = got.unwrap();
    assert_eq!(resp.cpa_status, 0);
    let res: DcResponseResults = resp.result();
    assert_eq!(res.produced as usize, s.text.len());
    let mut m = mem.lock().unwrap();
    let out = &m.region()[WINDOW_AT + (64 << 10)..][..s.text.len()];
    assert_eq!(
        out,
        &s.text[..],
        "the endpoint still decompresses correctly"
    );
}

fn data_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/descriptor_fuzz")
}

/// Numbers of a data file (one or more per line, `#` comments).
fn numbers(name: &str) -> Vec<Vec<u64>> {
    let text = std::fs::read_to_string(data_dir().join(name)).expect("descriptor fuzz data");
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split_whitespace()
                .map(|w| {
                    let w = w.trim_start_matches("0x");
                    u64::from_str_radix(w, 16).expect("a hexadecimal number")
                })
                .collect()
        })
        .collect()
}

fn campaign(per_seed: u64) {
    let s = streams();
    let mut report = Report::default();
    let started = Instant::now();
    // Every service, then an endpoint without the public-key service (its
    // requests must be answered UNSUPPORTED).
    for (services, enabled) in [("cy;dc", &[1u8, 2, 3][..]), ("dc", &[1u8][..])] {
        let ep = endpoint(services);
        let mem = Memory::new();
        let owner = mem.lock().unwrap().owner.clone();
        let h = ep.create_ring(0, 0, 64, owner).unwrap();
        let ring = RingProducer::new(h.memory, h.notify, 64);
        for pair in numbers("regressions") {
            run(
                &ep,
                enabled,
                &ring,
                &mem,
                pair[0],
                &[pair[1]],
                &s,
                &mut report,
            );
        }
        let seeds = numbers("seeds");
        for seed in &seeds {
            let n = if services == "dc" {
                per_seed / 8
            } else {
                per_seed
            };
            let indexes: Vec<u64> = (0..n).collect();
            run(
                &ep,
                enabled,
                &ring,
                &mem,
                seed[0],
                &indexes,
                &s,
                &mut report,
            );
        }
        still_serves(&ep, &ring, &mem, &s);
        ep.remove_ring(0, 0);
    }
    eprintln!(
        "descriptor fuzz: {} requests in {:.1} s, none lost, 0 panics; templates {} of which {} succeeded; {} had to be refused, {} accepted-corrupt",
        report.tried,
        started.elapsed().as_secs_f64(),
        report.templates,
        report.template_ok,
        report.must_refuse,
        report.accepted_corrupt
    );
    let mut by_service: BTreeMap<u8, u64> = BTreeMap::new();
    for (k, n) in &report.by_kind {
        *by_service.entry(k.service.min(4)).or_default() += n;
    }
    for (svc, n) in &by_service {
        let mut statuses: BTreeMap<&str, u64> = BTreeMap::new();
        for ((s, st), c) in &report.by_status {
            if (*s).min(4) == *svc {
                *statuses.entry(st).or_default() += c;
            }
        }
        let name = match svc {
            1 => "dc",
            2 => "sym",
            3 => "asym",
            0 => "service 0",
            _ => "service > 3",
        };
        eprintln!("  {name:<11} {n:>7} requests: {statuses:?}");
    }
    let kinds: BTreeMap<(&str, &str), u64> =
        report
            .by_kind
            .iter()
            .fold(BTreeMap::new(), |mut m, (k, n)| {
                *m.entry((k.src, k.dst)).or_default() += n;
                m
            });
    eprintln!("  buffer kinds (src, dst): {kinds:?}");
    // Coverage: every service, every buffer kind on both sides, valid
    // requests of every service succeeded.
    for svc in [1u8, 2, 3] {
        assert!(
            by_service.get(&svc).copied().unwrap_or(0) > 0,
            "service {svc}"
        );
        assert!(
            report
                .by_status
                .get(&(svc, "Success".into()))
                .copied()
                .unwrap_or(0)
                > 0,
            "no request of service {svc} succeeded: the deep paths did not run"
        );
    }
    for side in ["flat", "sgl", "other"] {
        assert!(
            kinds.iter().any(|((a, b), _)| *a == side || *b == side),
            "{side}"
        );
    }
    assert!(
        report.template_ok * 4 > report.templates,
        "templates mostly fail"
    );
    assert!(
        report.must_refuse > 1000,
        "{} broken requests",
        report.must_refuse
    );
    assert_eq!(
        report.accepted_corrupt, 0,
        "broken descriptors were accepted"
    );
}

#[test]
fn descriptor_fuzz_bounded() {
    let n = std::env::var("SOFTQAT_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15_000);
    campaign(n);
}

/// The long run (see the module docs).
#[test]
#[ignore]
fn descriptor_fuzz_long() {
    let n = std::env::var("SOFTQAT_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    campaign(n);
}
