//! The symmetric crypto API through the C ABI: `tests/c/sym_basic.c` and
//! `tests/c/sym_dp.c` compiled against `include/qat` and run on
//! libqat.so.4.
//!
//! Known answers come from the vector files of `crates/engine/tests/data/sym`
//! (NIST CAVP AESAVS/XTSVS/SHAVS/HMACVS/GCMVS/CCM, IEEE 1619, SP 800-38A;
//! each file names its source): this driver turns them into a job file the C
//! program runs through `cpaCySymPerformOp`, and compares the outputs it
//! writes. The feature outputs (chains, partial packets, lists, GCM and CCM
//! with the C layouts, the data-plane API) are recomputed here with
//! independent implementations (RustCrypto's aes, cbc, ctr, aes-gcm, ccm,
//! hmac, sha2, sha3).

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use aes::cipher::{BlockEncryptMut, KeyIvInit, StreamCipher};
use aes_gcm::aead::{AeadInPlace, KeyInit};
use common::*;
use hmac::Mac;
use sha2::Digest;

fn hex(s: &str) -> Vec<u8> {
    if s == "-" {
        return Vec::new();
    }
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

fn unhex(b: &[u8]) -> String {
    if b.is_empty() {
        return "-".into();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn vectors(name: &str) -> String {
    let p = crate_dir().join("../engine/tests/data/sym").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `name = value` records separated by blank lines.
fn records(text: &str) -> Vec<HashMap<String, String>> {
    let mut out = Vec::new();
    let mut cur = HashMap::new();
    for line in text.lines().chain(std::iter::once("")) {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(" = ") {
            cur.insert(k.trim().to_string(), v.trim().to_string());
        }
    }
    out
}

/// What a job line must produce.
enum Expect {
    Out(Vec<u8>),
    Aead {
        seal: Option<Vec<u8>>,
        pass: bool,
        pt: Vec<u8>,
    },
}

/// The job file and what each line must give.
fn jobs() -> (String, Vec<(String, Expect)>) {
    let mut lines = String::new();
    let mut want = Vec::new();
    let mut push = |line: String, e: Expect| {
        lines.push_str(&line);
        lines.push('\n');
        want.push((line, e));
    };
    // Ciphers: CpaCySymCipherAlgorithm values AES_CBC 4, AES_CTR 5, AES_XTS 16.
    for file in [
        "cipher_kat.txt",
        "xts_ieee1619_cavp.txt",
        "cavp_aes_kat_mmt.txt",
    ] {
        for line in vectors(file).lines() {
            let t: Vec<&str> = line.split_whitespace().collect();
            if t.len() != 5 || line.starts_with('#') {
                continue;
            }
            let alg = match t[0] {
                "AesCbc" => 4,
                "AesCtr" => 5,
                "AesXts" => 16,
                _ => continue,
            };
            push(
                format!("cipher {alg} {} {} {}", t[1], t[2], t[3]),
                Expect::Out(hex(t[4])),
            );
        }
    }
    // Hashes and HMACs: CpaCySymHashAlgorithm values.
    let hash_alg = |name: &str| match name {
        "SHA-1" => Some(2),
        "SHA-224" => Some(3),
        "SHA-256" => Some(4),
        "SHA-384" => Some(5),
        "SHA-512" => Some(6),
        "SHA3-256" => Some(16),
        "SHA3-224" => Some(17),
        "SHA3-384" => Some(18),
        "SHA3-512" => Some(19),
        _ => None,
    };
    for line in vectors("cavp_sha.txt").lines() {
        let t: Vec<&str> = line.split_whitespace().collect();
        if t.len() != 4 || t[0] != "hash" {
            continue;
        }
        let Some(alg) = hash_alg(t[1]) else { continue };
        let d = hex(t[3]);
        push(format!("hash {alg} {} {}", d.len(), t[2]), Expect::Out(d));
    }
    for line in vectors("cavp_hmac.txt").lines() {
        let t: Vec<&str> = line.split_whitespace().collect();
        if t.len() != 5 || t[0] != "hmac" {
            continue;
        }
        let Some(alg) = hash_alg(t[1]) else { continue };
        let mac = hex(t[4]);
        push(
            format!("hmac {alg} {} {} {}", mac.len(), t[2], t[3]),
            Expect::Out(mac),
        );
    }
    // AEADs: AES_GCM 7 (12-byte IVs, tags of 8, 12 or 16 bytes, as QAT
    // takes them), AES_CCM 6.
    for (file, alg) in [("cavp_gcm_subset.txt", 7), ("cavp_ccm_subset.txt", 6)] {
        for r in records(&vectors(file)) {
            let iv = r.get("iv").or_else(|| r.get("nonce")).expect("iv").clone();
            let tag = hex(&r["tag"]);
            if alg == 7 && (hex(&iv).len() != 12 || ![8, 12, 16].contains(&tag.len())) {
                continue;
            }
            let pass = r["result"] == "pass";
            let ct = hex(&r["ct"]);
            let seal = pass.then(|| [ct.clone(), tag.clone()].concat());
            push(
                format!(
                    "aead {alg} {} {iv} {} {} {} {}",
                    r["key"], r["aad"], r["pt"], r["ct"], r["tag"]
                ),
                Expect::Aead {
                    seal,
                    pass,
                    pt: hex(&r["pt"]),
                },
            );
        }
    }
    (lines, want)
}

/// Runs `tests/c/<name>.c` with `args` and an output directory; every
/// group in `groups` must have reported "ok".
fn run_program(name: &str, args: &[&Path], groups: &[&str]) -> (Scratch, PathBuf) {
    run_program_with(name, args, groups, &[])
}

/// `run_program` with more environment (managed mode).
fn run_program_with(
    name: &str,
    args: &[&Path],
    groups: &[&str],
    env: &[(&str, &str)],
) -> (Scratch, PathBuf) {
    let scratch = Scratch::new(name);
    let lib = stage_libs(scratch.path());
    let exe = compile(name, scratch.path(), &lib, &["qat", "usdm"]);
    let outdir = scratch.path().join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    let mut argv: Vec<String> = args.iter().map(|p| p.display().to_string()).collect();
    argv.push(outdir.display().to_string());
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    // SHA-1 and SHA-224 are legacy algorithms on gen4 endpoints.
    let mut all_env = vec![("SOFTQAT_LEGACY_ALGORITHMS", "1")];
    all_env.extend_from_slice(env);
    let out = run(&exe, &argv, &all_env, Duration::from_secs(60));
    assert_passed(name, &out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for g in groups {
        assert!(
            stdout.lines().any(|l| l == format!("ok {g}")),
            "{name} did not report \"ok {g}\":\n{stdout}"
        );
    }
    (scratch, outdir)
}

fn features(dir: &Path) -> HashMap<String, Vec<u8>> {
    std::fs::read_to_string(dir.join("features.txt"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(k, v)| (k.to_string(), hex(v)))
        .collect()
}

const KEY16: [u8; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const IV16: [u8; 16] = [
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
];

fn mac_key() -> Vec<u8> {
    (0x20..0x40).collect()
}

fn cbc_encrypt(key: &[u8; 16], iv: &[u8; 16], data: &[u8]) -> Vec<u8> {
    let mut buf = data.to_vec();
    let mut enc = cbc::Encryptor::<aes::Aes128>::new(key.into(), iv.into());
    for block in buf.chunks_mut(16) {
        enc.encrypt_block_mut(block.into());
    }
    buf
}

fn ctr(key: &[u8; 16], iv: &[u8; 16], data: &[u8]) -> Vec<u8> {
    let mut buf = data.to_vec();
    ctr::Ctr128BE::<aes::Aes128>::new(key.into(), iv.into()).apply_keystream(&mut buf);
    buf
}

fn hmac256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(key).unwrap();
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

fn gcm(key: &[u8; 16], iv: &[u8], aad: &[u8], pt: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let c = aes_gcm::Aes128Gcm::new(key.into());
    let mut buf = pt.to_vec();
    let tag = c
        .encrypt_in_place_detached(iv.into(), aad, &mut buf)
        .unwrap();
    (buf, tag.to_vec())
}

#[test]
fn sym_known_answers_and_features() {
    let (lines, want) = jobs();
    let dir = Scratch::new("sym-jobs");
    let jobfile = dir.path().join("jobs.txt");
    std::fs::write(&jobfile, &lines).unwrap();
    let (_scratch, out) = run_program(
        "sym_basic",
        &[&jobfile],
        &[
            "known answers",
            "chains cipher-then-hash and hash-then-cipher",
            "separate, appended, verified and truncated digests",
            "AES-GCM asynchronous, separate tag, tampered tag refused",
            "AES-CCM with the header's nonce and AAD macros, tampered tag refused",
            "partial packets, synchronous and queued asynchronous",
            "multi-buffer lists",
            "synchronous calls beside a poller thread",
            "session update",
            "refused arguments",
            "statistics and capabilities",
            "teardown",
        ],
    );

    // 1. Known answers, line for line.
    let results = std::fs::read_to_string(out.join("results.txt")).unwrap();
    let results: Vec<&str> = results.lines().collect();
    assert_eq!(results.len(), want.len(), "one result per job");
    let mut kinds = HashMap::new();
    for ((job, expect), got) in want.iter().zip(&results) {
        *kinds
            .entry(job.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .or_insert(0) += 1;
        match expect {
            Expect::Out(v) => assert_eq!(*got, unhex(v), "job: {job}"),
            Expect::Aead { seal, pass, pt } => {
                let t: Vec<&str> = got.split(' ').collect();
                assert_eq!(t.len(), 3, "job: {job}: {got}");
                if let Some(s) = seal {
                    assert_eq!(t[0], unhex(s), "seal of {job}");
                }
                assert_eq!(t[1], if *pass { "1" } else { "0" }, "verify of {job}");
                if *pass {
                    assert_eq!(t[2], unhex(pt), "open of {job}");
                }
            }
        }
    }
    eprintln!("{} known-answer jobs: {kinds:?}", want.len());
    // Every family the brief names was exercised.
    for k in [
        "cipher 4",
        "cipher 5",
        "cipher 16",
        "hash 2",
        "hash 4",
        "hash 16",
        "hmac 4",
        "aead 7",
        "aead 6",
    ] {
        assert!(kinds.get(k).copied().unwrap_or(0) >= 2, "{k}: {kinds:?}");
    }

    // 2. Features, recomputed independently.
    let f = features(&out);
    let data = &f["data"];
    let key = mac_key();
    // Cipher then hash: CBC, then HMAC of the ciphertext, appended.
    let ct = cbc_encrypt(&KEY16, &IV16, &data[..256]);
    assert_eq!(f["chain_cth"], [ct.clone(), hmac256(&key, &ct)].concat());
    // Hash then cipher: HMAC of the first 224 bytes appended, all ciphered.
    let mac = hmac256(&key, &data[..224]);
    let inner = [data[..224].to_vec(), mac].concat();
    assert_eq!(f["chain_htc"], cbc_encrypt(&KEY16, &IV16, &inner));
    assert_eq!(
        f["sha256_at10"],
        sha2::Sha256::digest(&data[10..1000]).to_vec()
    );
    assert_eq!(
        f["sha3_256"],
        sha3::Sha3_256::digest(&data[..1000]).to_vec()
    );
    let mut m = <hmac::Hmac<sha2::Sha512> as Mac>::new_from_slice(&key).unwrap();
    m.update(&data[..1000]);
    assert_eq!(
        f["hmac_sha512_24"],
        m.finalize().into_bytes()[..24].to_vec()
    );
    // AES-GCM, eight asynchronous requests.
    let aad = &data[500..520];
    assert_eq!(f["gcm_aad"], aad);
    for i in 0..8 {
        let mut iv = [0u8; 12];
        iv[11] = i as u8 + 1;
        let (ct, tag) = gcm(&KEY16, &iv, aad, &data[i..i + 300]);
        assert_eq!(f[&format!("gcm_ct_{i}")], ct, "GCM request {i}");
        assert_eq!(f[&format!("gcm_tag_{i}")], tag, "GCM tag {i}");
    }
    // AES-CCM with a 13-byte nonce and 16-byte tag (RFC 3610 via `ccm`).
    type Ccm = ccm::Ccm<aes::Aes128, ccm::consts::U16, ccm::consts::U13>;
    let c = Ccm::new((&KEY16).into());
    let mut buf = data[100..200].to_vec();
    let tag = c
        .encrypt_in_place_detached((&data[50..63]).into(), &data[70..94], &mut buf)
        .unwrap();
    assert_eq!(f["ccm_out"], [buf, tag.to_vec()].concat());
    // Partial packets give what one whole packet gives.
    assert_eq!(
        f["cbc_partial_out"],
        cbc_encrypt(&KEY16, &IV16, &data[..192])
    );
    assert_eq!(
        f["sha256_parts"],
        sha2::Sha256::digest(&data[7..235]).to_vec()
    );
    // Lists.
    assert_eq!(f["ctr_out"], ctr(&KEY16, &IV16, &data[..3000]));
    assert_eq!(f["hmac_list"], hmac256(&key, &data[..3000]));
}

#[test]
fn sym_data_plane() {
    check_sym_data_plane(&[]);
}

/// The same program attached to `softqatd`: op data, IVs and buffers in
/// the shared DMA memory the daemon reads.
#[test]
fn sym_data_plane_attached_to_softqatd() {
    let dir = Scratch::new("symdp-daemon");
    let daemon = Daemon::start(dir.path());
    let env = managed_env(&daemon);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    check_sym_data_plane(&env);
}

fn check_sym_data_plane(env: &[(&str, &str)]) {
    let (_scratch, out) = run_program_with(
        "sym_dp",
        &[],
        &[
            "data-plane AES-GCM, flat, in place",
            "data-plane verification, tampered tag refused",
            "data-plane chain on a CPA_DP_BUFLIST",
            "data-plane batch",
            "data-plane batch all or none",
            "data-plane session removal",
            "data-plane refused arguments",
            "teardown",
        ],
        env,
    );
    let f = features(&out);
    let data = &f["data"];
    let (ct, tag) = gcm(&KEY16, &data[1000..1012], &data[1100..1116], &data[..1000]);
    assert_eq!(f["dp_gcm_ct"], ct);
    assert_eq!(f["dp_gcm_tag"], tag);
    // The chain on a 3-piece CPA_DP_BUFLIST, in place.
    let iv: [u8; 16] = data[2000..2016].try_into().unwrap();
    let ct = cbc_encrypt(&KEY16, &iv, &data[..512]);
    let pieces = [
        f["dp_chain_p0"].clone(),
        f["dp_chain_p1"].clone(),
        f["dp_chain_p2"].clone(),
    ]
    .concat();
    assert_eq!(pieces, ct);
    assert_eq!(f["dp_chain_mac"], hmac256(&mac_key(), &ct));
    // The batch of 16 AES-CTR requests.
    for i in 0..16 {
        let mut iv = [0u8; 16];
        iv[15] = i as u8;
        assert_eq!(
            f[&format!("dp_ctr_{i}")],
            ctr(&KEY16, &iv, &data[100 * i..100 * i + 300]),
            "batch request {i}"
        );
    }
}
