//! The symmetric service on a gen2 (c6xx) endpoint from a configuration
//! file, through the whole stack: the 3GPP wireless algorithms against the
//! ETSI/3GPP test sets of `crates/engine/tests/data/wireless` built into
//! QAT's IV formats, ARC4, DES/3DES, MD5, SHA-1/224, AES-F8 and AES-ECB
//! against independent implementations, the capability bitmaps, and what
//! each generation refuses as UNSUPPORTED (gen2: ChaCha, SM3, SM4, SHA-3;
//! the built-in 4xxx: the wireless algorithms, ARC4, DES, MD5, AES-F8 and,
//! without `SOFTQAT_LEGACY_ALGORITHMS`, its legacy set).

mod common;
#[path = "common/symref.rs"]
mod symref;

use std::path::Path;

use common::{cy0, cy_endpoint_conf, cy_start, sym_run, Transport};
use softqat_sal::sym::{
    CipherAlgorithm as C, CipherDirection, HashAlgorithm as H, HashMode, PacketType,
};
use softqat_sal::{CpaStatus, CyInstance, HashSetup, Qat, SymOpData, SymSessionSetup};
use symref::*;

/// A c6xx endpoint with `ServicesEnabled = cy` and a section `[GEN2]` of
/// two polled crypto instances; the section, started, and its first
/// instance. The directory is kept alive with the section.
fn gen2() -> (common::TempDir, Qat, CyInstance) {
    let dir = common::TempDir::with_files(
        "symgen2",
        &[(
            "c6xx_dev0.conf",
            &cy_endpoint_conf("cy", "GEN2", &[1, 1], 128),
        )],
    );
    let qat = Qat::start_with("GEN2", &dir.options(1)).unwrap();
    let inst = cy0(&qat);
    assert!(inst.info().part_name.contains("c6xx"), "{:?}", inst.info());
    assert_eq!(inst.info().max_in_flight, 128);
    (dir, qat, inst)
}

fn bits(values: &[u8]) -> u32 {
    values.iter().fold(0, |b, v| b | 1 << v)
}

#[test]
fn capabilities_are_the_gen2_list_and_the_rest_is_unsupported() {
    let (_dir, _qat, inst) = gen2();
    let caps = inst.sym_capabilities();
    let ciphers = [
        C::Null,
        C::Arc4,
        C::AesEcb,
        C::AesCbc,
        C::AesCtr,
        C::AesCcm,
        C::AesGcm,
        C::DesEcb,
        C::DesCbc,
        C::TripleDesEcb,
        C::TripleDesCbc,
        C::TripleDesCtr,
        C::KasumiF8,
        C::Snow3gUea2,
        C::AesF8,
        C::AesXts,
        C::ZucEea3,
    ];
    let hashes = [
        H::Md5,
        H::Sha1,
        H::Sha224,
        H::Sha256,
        H::Sha384,
        H::Sha512,
        H::AesXcbc,
        H::AesCcm,
        H::AesGcm,
        H::KasumiF9,
        H::Snow3gUia2,
        H::AesCmac,
        H::AesGmac,
        H::AesCbcMac,
        H::ZucEia3,
    ];
    let c: Vec<u8> = ciphers.iter().map(|c| c.value()).collect();
    let h: Vec<u8> = hashes.iter().map(|h| h.value()).collect();
    assert_eq!(caps.ciphers, bits(&c), "gen2 ciphers: {:#x}", caps.ciphers);
    assert_eq!(caps.hashes, bits(&h), "gen2 hashes: {:#x}", caps.hashes);
    assert!(caps.partial_packets);
    for alg in [C::Chacha, C::Sm4Ecb, C::Sm4Cbc, C::Sm4Ctr] {
        assert!(!caps.has_cipher(alg));
        let key = vec![0u8; if alg == C::Chacha { 32 } else { 16 }];
        let setup = if alg == C::Chacha {
            SymSessionSetup::aead(alg, &key, CipherDirection::Encrypt, 16, 0)
        } else {
            SymSessionSetup::cipher(alg, &key, CipherDirection::Encrypt)
        };
        let e = inst.init_sym_session(&setup).unwrap_err();
        assert_eq!(e.status, CpaStatus::Unsupported, "{alg}: {e}");
        assert!(e.message.contains("c6xx"), "{e}");
    }
    for alg in [H::Sm3, H::Sha3_256, H::Sha3_384, H::Sha3_512, H::Sha3_224] {
        assert!(!caps.has_hash(alg));
        let e = inst
            .init_sym_session(&SymSessionSetup::hash(HashSetup::new(
                alg,
                HashMode::Plain,
                32,
            )))
            .unwrap_err();
        assert_eq!(e.status, CpaStatus::Unsupported, "{alg}: {e}");
    }
    let st = inst.sym_stats();
    assert_eq!(st.num_session_errors, 9);
    assert_eq!(st.num_sessions_initialized, 0);

    // The built-in 4xxx endpoints: no wireless, ARC4, DES, MD5 or AES-F8,
    // and (legacy algorithms off) no AES-ECB, SM4-ECB, SHA-1, SHA-224 or
    // SHA3-224.
    assert!(
        !softqat_sal::sym::legacy_algorithms_enabled(),
        "run this test without SOFTQAT_LEGACY_ALGORITHMS (it checks the default gen4 set)"
    );
    let (_q4, g4) = cy_start("SYMGEN2_ON_4XXX");
    let caps4 = g4.sym_capabilities();
    for alg in [
        C::KasumiF8,
        C::Snow3gUea2,
        C::ZucEea3,
        C::Arc4,
        C::DesEcb,
        C::DesCbc,
        C::TripleDesEcb,
        C::TripleDesCbc,
        C::TripleDesCtr,
        C::AesF8,
        C::AesEcb,
        C::Sm4Ecb,
    ] {
        assert!(!caps4.has_cipher(alg), "{alg}");
        let klen = match alg {
            C::DesEcb | C::DesCbc => 8,
            C::TripleDesEcb | C::TripleDesCbc | C::TripleDesCtr => 24,
            C::AesF8 => 32,
            _ => 16,
        };
        let e = g4
            .init_sym_session(&SymSessionSetup::cipher(
                alg,
                &vec![1u8; klen],
                CipherDirection::Encrypt,
            ))
            .unwrap_err();
        assert_eq!(e.status, CpaStatus::Unsupported, "{alg} on 4xxx: {e}");
    }
    for (alg, mode, dlen) in [
        (H::KasumiF9, HashMode::Auth, 4),
        (H::Snow3gUia2, HashMode::Auth, 4),
        (H::ZucEia3, HashMode::Auth, 4),
        (H::Md5, HashMode::Plain, 16),
        (H::Sha1, HashMode::Plain, 20),
        (H::Sha224, HashMode::Plain, 28),
        (H::Sha3_224, HashMode::Plain, 28),
    ] {
        assert!(!caps4.has_hash(alg), "{alg}");
        let e = g4
            .init_sym_session(&SymSessionSetup::hash(
                HashSetup::new(alg, mode, dlen)
                    .with_auth_key(&[1u8; 16])
                    .with_aad_len(if alg == H::KasumiF9 { 0 } else { 16 }),
            ))
            .unwrap_err();
        assert_eq!(e.status, CpaStatus::Unsupported, "{alg} on 4xxx: {e}");
    }
    // The legacy ones say how to enable them.
    let e = g4
        .init_sym_session(&SymSessionSetup::cipher(
            C::AesEcb,
            &[0u8; 16],
            CipherDirection::Encrypt,
        ))
        .unwrap_err();
    assert!(e.message.contains("SOFTQAT_LEGACY_ALGORITHMS"), "{e}");
}

// ------------------------------------------------------- wireless test sets

fn data_file(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/data/wireless")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn u32_hex(s: &str) -> u32 {
    u32::from_str_radix(s, 16).unwrap()
}

/// Checks a cipher output of `bits` bits computed over whole bytes: every
/// whole byte, and the top bits of a last partial byte.
#[track_caller]
fn assert_bits_eq(got: &[u8], want: &[u8], bits: usize, what: &str) {
    let whole = bits / 8;
    assert_eq!(&got[..whole], &want[..whole], "{what}");
    if !bits.is_multiple_of(8) {
        let mask = 0xffu8 << (8 - bits % 8);
        assert_eq!(got[whole] & mask, want[whole] & mask, "{what}: last bits");
    }
}

/// Runs a wireless cipher over `pt` (ceil(bits/8) bytes) through the stack
/// with `iv`, out of place and in place, framed by head and tail bytes.
fn wireless_cipher(
    inst: &CyInstance,
    alg: C,
    key: &[u8],
    iv: &[u8],
    pt: &[u8],
    i: usize,
) -> Vec<u8> {
    let enc = inst
        .init_sym_session(&SymSessionSetup::cipher(alg, key, CipherDirection::Encrypt))
        .unwrap();
    let head = vec![0x11u8; i % 5];
    let buf = [&head[..], pt, b"TAIL"].concat();
    let op = SymOpData::cipher(iv, head.len() as u32, pt.len() as u32);
    let (_, out) = sym_run(inst, &enc, op, &buf, Transport::nth(i), i as u64)
        .unwrap_or_else(|e| panic!("{alg} set {i}: {e}"));
    assert_eq!(&out[..head.len()], &head[..]);
    assert_eq!(&out[out.len() - 4..], b"TAIL");
    // Decryption is the same operation: back to the plaintext's bytes.
    let dec = inst
        .init_sym_session(&SymSessionSetup::cipher(alg, key, CipherDirection::Decrypt))
        .unwrap();
    let op = SymOpData::cipher(iv, head.len() as u32, pt.len() as u32);
    let (_, back) = sym_run(inst, &dec, op, &out, Transport::nth(i + 1), i as u64).unwrap();
    assert_eq!(back, buf, "{alg} set {i}: decrypt");
    out[head.len()..head.len() + pt.len()].to_vec()
}

/// A wireless MAC (4 bytes) through the stack: `iv` is the AAD (SNOW 3G
/// UIA2, ZUC EIA3) or empty (KASUMI F9); separate and appended digest,
/// verified, and a flipped bit refused.
fn wireless_mac(inst: &CyInstance, alg: H, key: &[u8], iv: &[u8], msg: &[u8], i: usize) -> Vec<u8> {
    let hs = HashSetup::new(alg, HashMode::Auth, 4)
        .with_auth_key(key)
        .with_aad_len(iv.len() as u32);
    let s = inst
        .init_sym_session(&SymSessionSetup::hash(hs.clone()))
        .unwrap();
    let head = vec![0x22u8; i % 7];
    let buf = [&head[..], msg, b"TL"].concat();
    let mut d = [0u8; 4];
    let op = SymOpData::hash(head.len() as u32, msg.len() as u32)
        .aad(iv)
        .digest(&mut d);
    let (_, out) = sym_run(inst, &s, op, &buf, Transport::nth(i), i as u64)
        .unwrap_or_else(|e| panic!("{alg} set {i}: {e}"));
    assert_eq!(out, buf);
    // Appended: right after the hashed region.
    let app = inst
        .init_sym_session(&SymSessionSetup::hash(hs.clone()).appended())
        .unwrap();
    let abuf = [&head[..], msg, &[0u8; 4], b"TL"].concat();
    let op = SymOpData::hash(head.len() as u32, msg.len() as u32).aad(iv);
    let (_, aout) = sym_run(inst, &app, op, &abuf, Transport::nth(i + 1), 7).unwrap();
    let at = head.len() + msg.len();
    assert_eq!(&aout[at..at + 4], &d[..], "{alg} set {i}: appended");
    // Verified, and refused with one bit flipped.
    let ver = inst
        .init_sym_session(&SymSessionSetup::hash(hs).verifying())
        .unwrap();
    let mut good = d;
    let op = SymOpData::hash(head.len() as u32, msg.len() as u32)
        .aad(iv)
        .digest(&mut good);
    let (r, _) = sym_run(inst, &ver, op, &buf, Transport::nth(i + 2), 8).unwrap();
    assert!(r.verify_ok, "{alg} set {i}: verify");
    let mut bad = d;
    bad[i % 4] ^= 1 << (i % 8);
    let op = SymOpData::hash(head.len() as u32, msg.len() as u32)
        .aad(iv)
        .digest(&mut bad);
    let (r, _) = sym_run(inst, &ver, op, &buf, Transport::nth(i + 3), 9).unwrap();
    assert!(!r.verify_ok, "{alg} set {i}: a flipped bit verified");
    d.to_vec()
}

/// QAT's 8-byte KASUMI F8 IV, and the 16 bytes of SNOW 3G UEA2 / ZUC EEA3:
/// COUNT ‖ BEARER << 3 | DIRECTION << 2 ‖ 0 0 0 (twice for 16 bytes).
fn f8_iv(count: u32, bearer: u8, direction: u8, twice: bool) -> Vec<u8> {
    let mut iv = count.to_be_bytes().to_vec();
    iv.extend_from_slice(&[(bearer << 3) | (direction << 2), 0, 0, 0]);
    if twice {
        iv.extend_from_slice(&iv.clone());
    }
    iv
}

#[test]
fn kasumi_f8_and_f9_test_sets() {
    let (_dir, _qat, inst) = gen2();
    let (mut n8, mut n9) = (0, 0);
    for (i, line) in data_file("kasumi_35203.txt").lines().enumerate() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.first() {
            Some(&"f8") => {
                let key = hex(f[2]);
                let iv = f8_iv(
                    u32_hex(f[3]),
                    u32_hex(f[4]) as u8,
                    u32_hex(f[5]) as u8,
                    false,
                );
                let nbits: usize = f[6].parse().unwrap();
                let (pt, ct) = (hex(f[7]), hex(f[8]));
                let got = wireless_cipher(&inst, C::KasumiF8, &key, &iv, &pt, i);
                assert_bits_eq(&got, &ct, nbits, &format!("KASUMI f8 set {}", f[1]));
                n8 += 1;
            }
            Some(&"f9") => {
                // QAT's F9 input: COUNT ‖ FRESH ‖ MESSAGE ‖ DIRECTION ‖ 1 ‖ 0*.
                let key = hex(f[2]);
                let direction = u32_hex(f[5]) as u8;
                let nbits: usize = f[6].parse().unwrap();
                let msg = hex(f[7]);
                let mut input = hex(f[3]);
                input.extend_from_slice(&hex(f[4]));
                let mut bitv: Vec<u8> = (0..nbits)
                    .map(|b| (msg[b / 8] >> (7 - b % 8)) & 1)
                    .collect();
                bitv.push(direction);
                bitv.push(1);
                while !bitv.len().is_multiple_of(8) {
                    bitv.push(0);
                }
                input.extend(
                    bitv.chunks(8)
                        .map(|c| c.iter().fold(0u8, |a, b| (a << 1) | b)),
                );
                let mac = wireless_mac(&inst, H::KasumiF9, &key, &[], &input, i);
                assert_eq!(mac, hex(f[8]), "KASUMI f9 set {}", f[1]);
                n9 += 1;
            }
            _ => {}
        }
    }
    assert_eq!((n8, n9), (5, 5), "test sets found");
}

/// The records of the SNOW 3G file: kind, name and fields.
fn snow3g_records() -> Vec<(String, String, std::collections::HashMap<String, String>)> {
    let mut out: Vec<(String, String, std::collections::HashMap<String, String>)> = Vec::new();
    let mut last = String::new();
    for line in data_file("snow3g_uea2_uia2.txt").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            let rec = out.last_mut().unwrap();
            rec.2.get_mut(&last).unwrap().push_str(line.trim());
        } else if let Some((k, v)) = line.split_once('=') {
            last = k.trim().to_string();
            out.last_mut()
                .unwrap()
                .2
                .insert(last.clone(), v.trim().to_string());
        } else {
            let mut w = line.split_whitespace();
            out.push((
                w.next().unwrap().to_string(),
                w.next().unwrap_or("").to_string(),
                Default::default(),
            ));
        }
    }
    out
}

#[test]
fn snow3g_uea2_and_uia2_test_sets() {
    let (_dir, _qat, inst) = gen2();
    let (mut nc, mut nm) = (0, 0);
    for (i, (kind, name, f)) in snow3g_records().into_iter().enumerate() {
        let g = |k: &str| f.get(k).unwrap_or_else(|| panic!("{kind} {name}: no {k}"));
        let nbits = || g("bits").parse::<usize>().unwrap();
        match kind.as_str() {
            "uea2" | "qat_uea2" => {
                let iv = if kind == "uea2" {
                    f8_iv(
                        u32_hex(g("count")),
                        u32_hex(g("bearer")) as u8,
                        u32_hex(g("direction")) as u8,
                        true,
                    )
                } else {
                    hex(g("iv"))
                };
                let got =
                    wireless_cipher(&inst, C::Snow3gUea2, &hex(g("key")), &iv, &hex(g("pt")), i);
                assert_bits_eq(&got, &hex(g("ct")), nbits(), &format!("{kind} {name}"));
                nc += 1;
            }
            "uia2" | "qat_uia2" => {
                if nbits() % 8 != 0 {
                    // QAT's messageLenToHashInBytes counts bytes.
                    continue;
                }
                let iv = if kind == "uia2" {
                    // COUNT-I ‖ FRESH ‖ COUNT-I ⊕ DIRECTION·2^31 ‖ FRESH ⊕ DIRECTION·2^15.
                    let (c, fr) = (u32_hex(g("count")), u32_hex(g("fresh")));
                    let d = u32_hex(g("direction"));
                    [c, fr, c ^ (d << 31), fr ^ (d << 15)]
                        .iter()
                        .flat_map(|w| w.to_be_bytes())
                        .collect()
                } else {
                    hex(g("iv"))
                };
                let msg = hex(g("msg"));
                let mac = wireless_mac(&inst, H::Snow3gUia2, &hex(g("key")), &iv, &msg, i);
                assert_eq!(mac, hex(g("mac")), "{kind} {name}");
                nm += 1;
            }
            _ => {}
        }
    }
    assert_eq!((nc, nm), (9, 5), "test sets found");
}

/// ZUC 128-EIA3 by its definition (Document 1 §4.4) over a ZUC keystream:
/// T ^= z_i for every 1 bit i of the message, T ^= z_LENGTH, MAC = T ^
/// z_(32(L-1)), with z_i the 32 keystream bits from bit i.
fn eia3_by_definition(key: &[u8; 16], iv: &[u8; 16], msg: &[u8]) -> [u8; 4] {
    let length = msg.len() * 8;
    let l = length.div_ceil(32) + 2;
    let mut z = softqat_engine::wireless::zuc::Zuc::new(key, iv);
    let words: Vec<u32> = (0..l).map(|_| z.next_word()).collect();
    let word_at = |i: usize| -> u32 {
        let (w, b) = (i / 32, i % 32);
        if b == 0 {
            words[w]
        } else {
            (words[w] << b) | (words[w + 1] >> (32 - b))
        }
    };
    let mut t = 0u32;
    for i in 0..length {
        if (msg[i / 8] >> (7 - i % 8)) & 1 == 1 {
            t ^= word_at(i);
        }
    }
    t ^= word_at(length);
    (t ^ words[l - 1]).to_be_bytes()
}

#[test]
fn zuc_eea3_and_eia3_test_sets() {
    let (_dir, _qat, inst) = gen2();
    let mut n = 0;
    for (i, line) in data_file("zuc_eea3_eia3.txt").lines().enumerate() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.first() != Some(&"eea3") && f.first() != Some(&"eia3") {
            continue;
        }
        let key = hex(f[2]);
        let (count, bearer, direction) = (u32_hex(f[3]), u32_hex(f[4]) as u8, u32_hex(f[5]) as u8);
        let nbits: usize = f[6].parse().unwrap();
        let file_iv = hex(f[7]);
        if f[0] == "eea3" {
            let iv = f8_iv(count, bearer, direction, true);
            assert_eq!(iv, file_iv, "EEA3 set {}: the IV layout", f[1]);
            let got = wireless_cipher(&inst, C::ZucEea3, &key, &iv, &hex(f[8]), i);
            assert_bits_eq(&got, &hex(f[9]), nbits, &format!("EEA3 set {}", f[1]));
        } else {
            // COUNT ‖ BEARER << 3 ‖ 0 0 0, twice, DIRECTION << 7 XORed into
            // bytes 8 and 14.
            let mut iv = f8_iv(count, bearer, 0, true);
            iv[8] ^= direction << 7;
            iv[14] ^= direction << 7;
            assert_eq!(iv, file_iv, "EIA3 set {}: the IV layout", f[1]);
            // The test sets' lengths are not whole bytes, which QAT's
            // messageLenToHashInBytes cannot carry: the stack is checked
            // against EIA3 by definition over the set's key, IV and the
            // message cut to whole bytes (and extended by a byte of its own).
            let msg = hex(f[8]);
            for m in [&msg[..nbits / 8], &[&msg[..], &[0xA5]].concat()[..]] {
                let k: [u8; 16] = key[..].try_into().unwrap();
                let v: [u8; 16] = iv[..].try_into().unwrap();
                let want = eia3_by_definition(&k, &v, m);
                let mac = wireless_mac(&inst, H::ZucEia3, &key, &iv, m, i + m.len());
                assert_eq!(mac, want, "EIA3 set {} over {} bytes", f[1], m.len());
            }
        }
        n += 1;
    }
    assert_eq!(n, 10, "test sets found");
    // The definition above against a byte-aligned reading of EIA3 set 2's
    // published MAC is not possible (90 bits); its keystream is checked by
    // the EEA3 sets through the stack, and the engine's own tests pin ZUC.
}

#[test]
fn legacy_ciphers_and_hashes_match_references() {
    let (_dir, _qat, inst) = gen2();
    let mut rng = Rng(0x6e20_0000_0000_0001);
    let lens = lengths(53);
    for (i, &len) in lens.iter().enumerate() {
        let t = Transport::nth(i);
        let head = {
            let n = rng.below(12);
            rng.bytes(n)
        };
        let pt = rng.bytes(len);
        let buf = [&head[..], &pt, b"T"].concat();
        let h = head.len() as u32;
        let frame = |mid: &[u8]| [&head[..], mid, b"T"].concat();
        // Block ciphers (whole blocks only) against aws-lc-rs.
        let block_cases: [(C, LcCipher, LcMode, usize, usize); 6] = [
            (C::DesEcb, LcCipher::Des, LcMode::Ecb, 8, 0),
            (C::DesCbc, LcCipher::Des, LcMode::Cbc, 8, 8),
            (C::TripleDesEcb, LcCipher::TripleDes, LcMode::Ecb, 24, 0),
            (C::TripleDesCbc, LcCipher::TripleDes, LcMode::Cbc, 24, 8),
            (C::AesEcb, LcCipher::Aes, LcMode::Ecb, 16, 0),
            (C::AesEcb, LcCipher::Aes, LcMode::Ecb, 32, 0),
        ];
        for (alg, lc, mode, klen, ivlen) in block_cases {
            let key = rng.bytes(klen);
            let iv = rng.bytes(ivlen);
            let block = if matches!(lc, LcCipher::Aes) { 16 } else { 8 };
            let s = inst
                .init_sym_session(&SymSessionSetup::cipher(
                    alg,
                    &key,
                    CipherDirection::Encrypt,
                ))
                .unwrap();
            let r = sym_run(&inst, &s, SymOpData::cipher(&iv, h, len as u32), &buf, t, 1);
            if len % block != 0 {
                let e = r.expect_err("not whole blocks");
                assert_eq!(e.status, CpaStatus::InvalidParam, "{alg}: {e}");
                continue;
            }
            let (_, out) = r.unwrap_or_else(|e| panic!("{alg} len {len}: {e}"));
            let want = lc_crypt(lc, mode, &key, &iv, &pt, true);
            assert_eq!(out, frame(&want), "{alg} key {klen} len {len} {t:?}");
            let d = inst
                .init_sym_session(&SymSessionSetup::cipher(
                    alg,
                    &key,
                    CipherDirection::Decrypt,
                ))
                .unwrap();
            let (_, back) =
                sym_run(&inst, &d, SymOpData::cipher(&iv, h, len as u32), &out, t, 2).unwrap();
            assert_eq!(back, buf, "{alg} len {len}: decrypt");
        }
        // 3DES-CTR: the whole 64-bit block a big-endian counter over
        // aws-lc-rs 3DES-ECB.
        let key = rng.bytes(24);
        let iv = rng.bytes(8);
        let mut ctr = u64::from_be_bytes(iv[..].try_into().unwrap());
        let mut blocks = Vec::new();
        for _ in 0..len.div_ceil(8) {
            blocks.extend_from_slice(&ctr.to_be_bytes());
            ctr = ctr.wrapping_add(1);
        }
        let ks = lc_crypt(LcCipher::TripleDes, LcMode::Ecb, &key, &[], &blocks, true);
        let want: Vec<u8> = pt.iter().zip(&ks).map(|(p, k)| p ^ k).collect();
        let s = inst
            .init_sym_session(&SymSessionSetup::cipher(
                C::TripleDesCtr,
                &key,
                CipherDirection::Encrypt,
            ))
            .unwrap();
        let (_, out) = sym_run(&inst, &s, SymOpData::cipher(&iv, h, len as u32), &buf, t, 3)
            .unwrap_or_else(|e| panic!("3DES-CTR len {len}: {e}"));
        assert_eq!(out, frame(&want), "3DES-CTR len {len}");
        // ARC4 against RustCrypto rc4.
        let key: [u8; 16] = rng.array();
        let s = inst
            .init_sym_session(&SymSessionSetup::cipher(
                C::Arc4,
                &key,
                CipherDirection::Encrypt,
            ))
            .unwrap();
        let (_, out) = sym_run(&inst, &s, SymOpData::cipher(&[], h, len as u32), &buf, t, 4)
            .unwrap_or_else(|e| panic!("ARC4 len {len}: {e}"));
        assert_eq!(out, frame(&arc4(&key, &pt)), "ARC4 len {len}");
        // AES-F8 (key ‖ mask) by RFC 3711.
        let klen = [16usize, 24, 32][i % 3];
        let (k, m) = (rng.bytes(klen), rng.bytes(klen));
        let iv: [u8; 16] = rng.array();
        let s = inst
            .init_sym_session(&SymSessionSetup::cipher(
                C::AesF8,
                &[&k[..], &m].concat(),
                CipherDirection::Encrypt,
            ))
            .unwrap();
        let (_, out) = sym_run(&inst, &s, SymOpData::cipher(&iv, h, len as u32), &buf, t, 5)
            .unwrap_or_else(|e| panic!("AES-F8 len {len}: {e}"));
        assert_eq!(
            out,
            frame(&aes_f8(&k, &m, &iv, &pt)),
            "AES-F8 key {klen} len {len}"
        );
        // MD5, SHA-1 and SHA-224, plain and HMAC.
        let akey = {
            let n = rng.below(100);
            rng.bytes(n)
        };
        let sha = |alg: &'static aws_lc_rs::digest::Algorithm| {
            aws_lc_rs::digest::digest(alg, &pt).as_ref().to_vec()
        };
        let hmac = |alg: aws_lc_rs::hmac::Algorithm| {
            aws_lc_rs::hmac::sign(&aws_lc_rs::hmac::Key::new(alg, &akey), &pt)
                .as_ref()
                .to_vec()
        };
        let hash_cases = [
            (H::Md5, HashMode::Plain, md5(&pt).to_vec()),
            (
                H::Md5,
                HashMode::Auth,
                hmac_rfc2104(RefHash::Md5, &akey, &pt),
            ),
            (
                H::Sha1,
                HashMode::Plain,
                sha(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY),
            ),
            (
                H::Sha1,
                HashMode::Auth,
                hmac(aws_lc_rs::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY),
            ),
            (H::Sha224, HashMode::Plain, sha(&aws_lc_rs::digest::SHA224)),
            (
                H::Sha224,
                HashMode::Auth,
                hmac(aws_lc_rs::hmac::HMAC_SHA224),
            ),
        ];
        for (alg, mode, want) in hash_cases {
            let mut hs = HashSetup::new(alg, mode, want.len() as u32);
            if mode == HashMode::Auth {
                hs = hs.with_auth_key(&akey);
            }
            let s = inst.init_sym_session(&SymSessionSetup::hash(hs)).unwrap();
            let mut d = vec![0u8; want.len()];
            let op = SymOpData::hash(h, len as u32).digest(&mut d);
            let (_, out) = sym_run(&inst, &s, op, &buf, t, 6)
                .unwrap_or_else(|e| panic!("{alg} {mode} len {len}: {e}"));
            assert_eq!(out, buf);
            assert_eq!(d, want, "{alg} {mode} len {len} {t:?}");
        }
    }

    // ARC4 partials: the keystream state carries over packets.
    let key: [u8; 16] = rng.array();
    let s = inst
        .init_sym_session(&SymSessionSetup::cipher(
            C::Arc4,
            &key,
            CipherDirection::Encrypt,
        ))
        .unwrap();
    let data = rng.bytes(3000);
    let want = arc4(&key, &data);
    let mut out = Vec::new();
    for (j, (a, b)) in [
        (0usize, 1000usize),
        (1000, 1001),
        (1001, 2500),
        (2500, 3000),
    ]
    .into_iter()
    .enumerate()
    {
        let packet = if j == 3 {
            PacketType::LastPartial
        } else {
            PacketType::Partial
        };
        let mut pkt = data[a..b].to_vec();
        inst.perform_in_place(
            &s,
            SymOpData::cipher(&[], 0, (b - a) as u32).packet(packet),
            &mut pkt,
        )
        .unwrap();
        out.extend_from_slice(&pkt);
    }
    assert_eq!(out, want, "ARC4 partials");
    let st = inst.sym_stats();
    assert_eq!(st.num_session_errors, 0);
    assert_eq!(st.num_sym_op_request_errors, 0);
}
