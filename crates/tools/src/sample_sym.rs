//! The symmetric part of `softqat sample`, after `cpa_sample_code`'s sym
//! tests: functional checks (known answers from NIST SP 800-38A, RFC 4231
//! and McGrew–Viega GCM, round trips with verification, partial packets,
//! asynchronous and data-plane requests equal to synchronous ones), then the
//! throughput table of the sample code's symmetric set — AES-128/256-CBC and
//! CTR, AES-XTS with 256- and 512-bit keys, AES-256-CBC + HMAC-SHA512,
//! AES-256-CBC + AES-XCBC, AES-128/256-GCM, ChaCha20-Poly1305, SM4-CBC — at
//! 64 to 4096 bytes and IMIX, through the traditional (asynchronous) API and
//! the data-plane API. The wireless algorithms (KASUMI F8, SNOW 3G UEA2, ZUC
//! EEA3) are gen2 algorithms, absent from 4xxx as on hardware: their rows
//! run on a c6xx endpoint the sample starts in this process from a generated
//! configuration.

use softqat_sal::sym::{
    AlgChainOrder, CipherAlgorithm, CipherDirection, HashAlgorithm, HashMode, PacketType,
};
use softqat_sal::{
    CipherSetup, ConfigSource, CyInstance, HashSetup, Qat, StartOptions, SymOpData, SymRequest,
    SymSessionSetup,
};

use crate::bench_sym::{dp_rate, stack_rate};
use crate::sample::{e2s, ensure, run_checks, Check, NamedCheck};

fn hex(s: &str) -> Vec<u8> {
    let s: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    s.chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap_or("00"), 16).unwrap_or(0))
        .collect()
}

// NIST SP 800-38A, F.2.1 (CBC-AES128.Encrypt) and F.5.1 (CTR-AES128.Encrypt).
const SP800_38A_KEY: &str = "2b7e151628aed2a6abf7158809cf4f3c";
const SP800_38A_PT: &str = "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51";
const CBC_IV: &str = "000102030405060708090a0b0c0d0e0f";
const CBC_CT: &str = "7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2";
const CTR_IV: &str = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
const CTR_CT: &str = "874d6191b620e3261bef6864990db6ce 9806f66b7970fdff8617187bb9fffdff";

fn check_cipher_kat(inst: &CyInstance, alg: CipherAlgorithm, iv: &str, want: &str) -> Check {
    let s = inst
        .init_sym_session(&SymSessionSetup::cipher(
            alg,
            &hex(SP800_38A_KEY),
            CipherDirection::Encrypt,
        ))
        .map_err(e2s)?;
    let pt = hex(SP800_38A_PT);
    let iv = hex(iv);
    let mut ct = vec![0u8; pt.len()];
    inst.perform(&s, SymOpData::cipher(&iv, 0, 32), &pt, &mut ct)
        .map_err(e2s)?;
    ensure(ct == hex(want), || {
        "ciphertext differs from SP 800-38A".into()
    })?;
    Ok("SP 800-38A known answer".into())
}

// RFC 4231, test case 2.
fn check_hmac_kat(inst: &CyInstance) -> Check {
    let data = b"what do ya want for nothing?";
    let h = HashSetup::new(HashAlgorithm::Sha256, HashMode::Auth, 32).with_auth_key(b"Jefe");
    let s = inst
        .init_sym_session(&SymSessionSetup::hash(h))
        .map_err(e2s)?;
    let mut d = [0u8; 32];
    let mut out = [0u8; 28];
    inst.perform(&s, SymOpData::hash(0, 28).digest(&mut d), data, &mut out)
        .map_err(e2s)?;
    ensure(
        d.to_vec() == hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        || "HMAC-SHA256 differs from RFC 4231".into(),
    )?;
    Ok("RFC 4231 known answer".into())
}

// McGrew & Viega, test case 2; then decryption, and a forged tag refused.
fn check_gcm(inst: &CyInstance) -> Check {
    let key = [0u8; 16];
    let iv = [0u8; 12];
    let setup = |d| SymSessionSetup::aead(CipherAlgorithm::AesGcm, &key, d, 16, 0).appended();
    let enc = inst
        .init_sym_session(&setup(CipherDirection::Encrypt))
        .map_err(e2s)?;
    let dec = inst
        .init_sym_session(&setup(CipherDirection::Decrypt))
        .map_err(e2s)?;
    let mut buf = vec![0u8; 32];
    inst.perform_in_place(&enc, SymOpData::cipher(&iv, 0, 16), &mut buf)
        .map_err(e2s)?;
    ensure(
        buf == hex("0388dace60b6a392f328c2b971b2fe78 ab6e47d42cec13bdf53a67b21257bddf"),
        || "AES-GCM differs from the GCM paper's test case 2".into(),
    )?;
    let mut forged = buf.clone();
    let r = inst
        .perform_in_place(&dec, SymOpData::cipher(&iv, 0, 16), &mut buf)
        .map_err(e2s)?;
    ensure(r.verify_ok && buf[..16] == [0u8; 16], || {
        "decryption did not verify".into()
    })?;
    forged[20] ^= 4;
    let r = inst
        .perform_in_place(&dec, SymOpData::cipher(&iv, 0, 16), &mut forged)
        .map_err(e2s)?;
    ensure(!r.verify_ok, || "a forged tag verified".into())?;
    Ok("known answer, verify, forged tag refused".into())
}

/// Encrypts and decrypts `len` bytes with verification through an
/// encrypt session and a decrypt session.
fn round_trip(inst: &CyInstance, enc: SymSessionSetup, dec: SymSessionSetup, iv: &[u8]) -> Check {
    let digest = enc.hash.as_ref().map_or(0, |h| h.digest_len as usize);
    let e = inst.init_sym_session(&enc).map_err(e2s)?;
    let d = inst.init_sym_session(&dec).map_err(e2s)?;
    let len = 1024u32;
    let plain: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
    let mut buf = plain.clone();
    buf.resize(plain.len() + digest, 0);
    let op = || {
        if enc.op == softqat_sal::sym::SymOp::Cipher || enc.hash.is_none() {
            SymOpData::cipher(iv, 0, len)
        } else {
            SymOpData::chain(iv, (0, len), (0, len))
        }
    };
    inst.perform_in_place(&e, op(), &mut buf).map_err(e2s)?;
    ensure(buf[..plain.len()] != plain[..], || {
        "the ciphertext equals the plaintext".into()
    })?;
    let r = inst.perform_in_place(&d, op(), &mut buf).map_err(e2s)?;
    ensure(r.verify_ok, || "the digest did not verify".into())?;
    ensure(buf[..plain.len()] == plain[..], || {
        "decryption does not give the plaintext back".into()
    })?;
    Ok(format!("{len}-byte round trip verified"))
}

fn cbc_hmac(dir: CipherDirection) -> SymSessionSetup {
    let (order, verify) = match dir {
        CipherDirection::Encrypt => (AlgChainOrder::CipherThenHash, false),
        CipherDirection::Decrypt => (AlgChainOrder::HashThenCipher, true),
    };
    let mut s = SymSessionSetup::chain(
        order,
        CipherSetup {
            algorithm: CipherAlgorithm::AesCbc,
            key: vec![0x11; 32],
            direction: dir,
        },
        HashSetup::new(HashAlgorithm::Sha512, HashMode::Auth, 64).with_auth_key(&[0x22; 64]),
    )
    .appended();
    s.verify_digest = verify;
    s
}

fn check_partials(inst: &CyInstance) -> Check {
    let h = HashSetup::new(HashAlgorithm::Sha256, HashMode::Plain, 32);
    let s = inst
        .init_sym_session(&SymSessionSetup::hash(h))
        .map_err(e2s)?;
    let data: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
    let mut whole = [0u8; 32];
    let mut copy = data.clone();
    inst.perform_in_place(&s, SymOpData::hash(0, 1000).digest(&mut whole), &mut copy)
        .map_err(e2s)?;
    let mut d = [0u8; 32];
    for (range, packet) in [
        (0..256, PacketType::Partial),
        (256..640, PacketType::Partial),
        (640..1000, PacketType::LastPartial),
    ] {
        let mut part = data[range.clone()].to_vec();
        let op = SymOpData::hash(0, part.len() as u32)
            .packet(packet)
            .digest(&mut d);
        inst.perform_in_place(&s, op, &mut part).map_err(e2s)?;
    }
    ensure(d == whole, || "partial packets differ from one shot".into())?;
    Ok("SHA-256 in 3 partial packets = one shot".into())
}

fn check_async_and_dp(inst: &CyInstance) -> Check {
    // The same GCM request synchronously, asynchronously and through the
    // data plane must give the same bytes.
    let key = [5u8; 32];
    let iv = [6u8; 12];
    let setup = SymSessionSetup::aead(
        CipherAlgorithm::AesGcm,
        &key,
        CipherDirection::Encrypt,
        16,
        0,
    )
    .appended();
    let plain: Vec<u8> = (0..512u32).map(|i| (i * 13) as u8).collect();
    let mut want = plain.clone();
    want.resize(528, 0);
    let s = inst.init_sym_session(&setup).map_err(e2s)?;
    inst.perform_in_place(&s, SymOpData::cipher(&iv, 0, 512), &mut want)
        .map_err(e2s)?;
    let got: std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>> = Default::default();
    let g = got.clone();
    let a = inst
        .init_sym_session_async(&setup, move |c| {
            if let softqat_sal::SymData::Flat(b) = c.src {
                g.lock().unwrap_or_else(|e| e.into_inner()).push(b.to_vec());
            }
        })
        .map_err(e2s)?;
    let mut padded = plain.clone();
    padded.resize(528, 0);
    let buf = softqat_sal::DmaBuf::try_from_slice(&padded).map_err(e2s)?;
    inst.submit(
        &a,
        SymRequest::with_iv(&iv).cipher(0, 512),
        softqat_sal::SymData::Flat(buf),
        None,
        1,
    )
    .map_err(|r| r.error.to_string())?;
    let g = got.clone();
    let dp = inst.init_sym_dp_session(&setup).map_err(e2s)?;
    inst.sym_dp_register_callback(move |c| {
        g.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(c.op.src.to_vec());
    });
    let mut src = softqat_sal::DmaBuf::try_from_slice(&want).map_err(e2s)?;
    src[..512].copy_from_slice(&plain);
    inst.sym_dp_enqueue(
        softqat_sal::SymDpOp {
            session: dp,
            request: SymRequest::with_iv(&iv).cipher(0, 512),
            src,
            dst: None,
            tag: 2,
        },
        true,
    )
    .map_err(|(e, _)| e.to_string())?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while got.lock().unwrap_or_else(|e| e.into_inner()).len() < 2 {
        let _ = inst.poll(0);
        ensure(std::time::Instant::now() < deadline, || {
            "responses did not come within 5 s".into()
        })?;
    }
    let all = got.lock().unwrap_or_else(|e| e.into_inner());
    ensure(all.iter().all(|v| *v == want), || {
        "asynchronous or data-plane output differs from the synchronous one".into()
    })?;
    Ok("sync = async = data plane".into())
}

/// Prints the functional checks; returns (passed, failed).
pub fn functional(inst: &CyInstance) -> (usize, usize) {
    let checks: Vec<NamedCheck<'_>> = vec![
        (
            "AES-128-CBC",
            Box::new(|| check_cipher_kat(inst, CipherAlgorithm::AesCbc, CBC_IV, CBC_CT)),
        ),
        (
            "AES-128-CTR",
            Box::new(|| check_cipher_kat(inst, CipherAlgorithm::AesCtr, CTR_IV, CTR_CT)),
        ),
        ("HMAC-SHA256", Box::new(|| check_hmac_kat(inst))),
        ("AES-128-GCM", Box::new(|| check_gcm(inst))),
        (
            "AES-256-CBC + HMAC-SHA512",
            Box::new(|| {
                round_trip(
                    inst,
                    cbc_hmac(CipherDirection::Encrypt),
                    cbc_hmac(CipherDirection::Decrypt),
                    &[9u8; 16],
                )
            }),
        ),
        (
            "ChaCha20-Poly1305",
            Box::new(|| {
                let s = |d| {
                    SymSessionSetup::aead(CipherAlgorithm::Chacha, &[3u8; 32], d, 16, 0).appended()
                };
                round_trip(
                    inst,
                    s(CipherDirection::Encrypt),
                    s(CipherDirection::Decrypt),
                    &[4u8; 12],
                )
            }),
        ),
        ("partial packets", Box::new(|| check_partials(inst))),
        (
            "asynchronous and data-plane",
            Box::new(|| check_async_and_dp(inst)),
        ),
    ];
    run_checks(checks)
}

/// One row of the performance table.
struct Row {
    name: &'static str,
    setup: SymSessionSetup,
    iv_len: usize,
    digest: usize,
    /// Chains also hash the region.
    hashes: bool,
}

fn cipher_row(name: &'static str, alg: CipherAlgorithm, key_len: usize, iv_len: usize) -> Row {
    Row {
        name,
        setup: SymSessionSetup::cipher(alg, &vec![0x42; key_len], CipherDirection::Encrypt),
        iv_len,
        digest: 0,
        hashes: false,
    }
}

fn aead_row(name: &'static str, alg: CipherAlgorithm, key_len: usize) -> Row {
    Row {
        name,
        setup: SymSessionSetup::aead(alg, &vec![0x42; key_len], CipherDirection::Encrypt, 16, 0)
            .appended(),
        iv_len: 12,
        digest: 16,
        hashes: false,
    }
}

fn chain_row(name: &'static str, hash: HashSetup) -> Row {
    let digest = hash.digest_len as usize;
    Row {
        name,
        setup: SymSessionSetup::chain(
            AlgChainOrder::CipherThenHash,
            CipherSetup {
                algorithm: CipherAlgorithm::AesCbc,
                key: vec![0x42; 32],
                direction: CipherDirection::Encrypt,
            },
            hash,
        )
        .appended(),
        iv_len: 16,
        digest,
        hashes: true,
    }
}

/// The sizes of the table: the sample code's, and IMIX.
const SIZES: [usize; 7] = [64, 128, 256, 512, 1024, 2048, 4096];
/// IMIX as a cycle of request sizes: 7 × 64, 4 × 576, 1 × 1504 bytes (the
/// simple IMIX of 7:4:1 small, medium and large packets, in whole AES
/// blocks).
const IMIX: [usize; 12] = [64, 576, 64, 64, 576, 64, 1504, 64, 576, 64, 576, 64];

fn gen4_rows() -> Vec<Row> {
    vec![
        cipher_row("AES-128-CBC", CipherAlgorithm::AesCbc, 16, 16),
        cipher_row("AES-256-CBC", CipherAlgorithm::AesCbc, 32, 16),
        cipher_row("AES-128-CTR", CipherAlgorithm::AesCtr, 16, 16),
        cipher_row("AES-256-CTR", CipherAlgorithm::AesCtr, 32, 16),
        cipher_row("AES-XTS (256-bit key)", CipherAlgorithm::AesXts, 32, 16),
        cipher_row("AES-XTS (512-bit key)", CipherAlgorithm::AesXts, 64, 16),
        chain_row(
            "AES-256-CBC + HMAC-SHA512",
            HashSetup::new(HashAlgorithm::Sha512, HashMode::Auth, 64).with_auth_key(&[7; 64]),
        ),
        chain_row(
            "AES-256-CBC + AES-XCBC",
            HashSetup::new(HashAlgorithm::AesXcbc, HashMode::Auth, 12).with_auth_key(&[7; 16]),
        ),
        aead_row("AES-128-GCM", CipherAlgorithm::AesGcm, 16),
        aead_row("AES-256-GCM", CipherAlgorithm::AesGcm, 32),
        aead_row("ChaCha20-Poly1305", CipherAlgorithm::Chacha, 32),
        cipher_row("SM4-CBC", CipherAlgorithm::Sm4Cbc, 16, 16),
    ]
}

fn gen2_rows() -> Vec<Row> {
    vec![
        cipher_row("KASUMI F8 (c6xx)", CipherAlgorithm::KasumiF8, 16, 8),
        cipher_row("SNOW 3G UEA2 (c6xx)", CipherAlgorithm::Snow3gUea2, 16, 16),
        cipher_row("ZUC EEA3 (c6xx)", CipherAlgorithm::ZucEea3, 16, 16),
    ]
}

fn request_for(row: &Row) -> impl Fn(usize) -> SymRequest + '_ {
    move |n| {
        let r = SymRequest::with_iv(&[0x24; 16][..row.iv_len]).cipher(0, n as u32);
        if row.hashes {
            r.hash(0, n as u32)
        } else {
            r
        }
    }
}

fn print_header(dp: bool) {
    let mut head = format!(
        "  {:<28}",
        if dp {
            "data plane, MB/s"
        } else {
            "traditional API, MB/s"
        }
    );
    for s in SIZES {
        head.push_str(&format!("{s:>8}"));
    }
    head.push_str(&format!("{:>8}", "IMIX"));
    println!("{head}");
}

fn print_table(inst: &CyInstance, rows: &[Row], dp: bool, seconds: f64) -> Result<(), String> {
    for row in rows {
        let mut line = format!("  {:<28}", row.name);
        let mut cell = |sizes: &[usize]| -> Result<(), String> {
            let v = if dp {
                dp_rate(
                    inst,
                    &row.setup,
                    request_for(row),
                    sizes,
                    row.digest,
                    seconds,
                )?
                .1
            } else {
                stack_rate(
                    inst,
                    &row.setup,
                    request_for(row),
                    sizes,
                    row.digest,
                    16,
                    seconds,
                )?
            };
            // Small rates (a debug build, a loaded machine) keep two
            // decimals so a slow run never prints a rate of 0.
            let figure = if v >= 10.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.2}")
            };
            line.push_str(&format!("{figure:>8}"));
            Ok(())
        };
        for s in SIZES {
            cell(&[s])?;
        }
        cell(&IMIX)?;
        println!("{line}");
    }
    Ok(())
}

/// A c6xx endpoint offering the symmetric service, for the gen2 rows.
const C6XX_CONF: &str = "[GENERAL]\nServicesEnabled = cy\nConfigVersion = 2\n\
CyNumConcurrentSymRequests = 512\nCyNumConcurrentAsymRequests = 64\n\n\
[KERNEL]\nNumberCyInstances = 0\nNumberDcInstances = 0\n\n\
[SSL]\nNumberCyInstances = 1\nNumberDcInstances = 0\nNumProcesses = 1\nLimitDevAccess = 0\n\
Cy0Name = \"SSL0\"\nCy0IsPolled = 1\nCy0CoreAffinity = 0\n";

fn gen2_instance() -> Result<(Qat, CyInstance, std::path::PathBuf), String> {
    let dir = std::env::temp_dir().join(format!("softqat-sample-c6xx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(dir.join("c6xx_dev0.conf"), C6XX_CONF)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let qat = Qat::start_with(
        "SSL",
        &StartOptions {
            config: ConfigSource::Dir(dir.clone()),
            mode: softqat_sal::runtime::Mode::Embedded,
            ..StartOptions::default()
        },
    )
    .map_err(e2s)?;
    let inst = qat
        .cy_instances()
        .first()
        .ok_or("the generated c6xx configuration has no crypto instance")?
        .clone();
    inst.start().map_err(e2s)?;
    Ok((qat, inst, dir))
}

/// Prints the performance tables.
pub fn performance(inst: &CyInstance, seconds: f64) -> Result<(), String> {
    let gen4 = gen4_rows();
    let gen2 = gen2_rows();
    let (qat2, inst2, dir) = gen2_instance()?;
    for dp in [false, true] {
        print_header(dp);
        print_table(inst, &gen4, dp, seconds)?;
        print_table(&inst2, &gen2, dp, seconds)?;
        println!();
    }
    drop(inst2);
    drop(qat2);
    let _ = std::fs::remove_dir_all(dir);
    Ok(())
}
