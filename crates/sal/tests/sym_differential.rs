//! The symmetric service through the whole stack (SAL, ring, firmware,
//! engine) on the built-in 4xxx endpoints, against independent
//! implementations (see `common/symref.rs` for which reference stands for
//! which algorithm): every algorithm 4xxx offers without
//! `SOFTQAT_LEGACY_ALGORITHMS`, on random inputs of every length 0..=64, a
//! stride through 4096 and 4096 itself, with the processed region between
//! random head and tail bytes (which must come through as copied), over the
//! four transports (slices out of place and in place, buffer lists of
//! several segments out of place and in place), digests appended and
//! separate; chains in both orders; single flipped tag/digest bits failing
//! verification; and the statistics counting exactly what was sent.
//!
//! Each test starts a section of its own name, so its instance and its
//! statistics are its own and the tests run in parallel.

mod common;
#[path = "common/symref.rs"]
mod symref;

use common::{cy_start, sym_run, Transport};
use softqat_sal::sym::{
    AlgChainOrder, CipherAlgorithm, CipherDirection, HashAlgorithm, HashMode, PacketType,
};
use softqat_sal::{
    CipherSetup, CpaStatus, CyInstance, HashSetup, SymOpData, SymResults, SymSession,
    SymSessionSetup,
};
use symref::*;

/// What a test sent, to check the instance's statistics against.
#[derive(Default, Debug)]
struct Sent {
    /// Requests that completed successfully.
    ok: u64,
    /// Requests the endpoint answered with an error.
    failed: u64,
    /// Requests the SAL refused before sending.
    refused: u64,
    /// Successful requests whose verification failed.
    verify_failures: u64,
    /// Sessions initialised.
    sessions: u64,
}

impl Sent {
    /// Unwraps a request expected to succeed.
    #[track_caller]
    fn ok(
        &mut self,
        what: &str,
        r: softqat_sal::Result<(SymResults, Vec<u8>)>,
    ) -> (SymResults, Vec<u8>) {
        self.ok += 1;
        r.unwrap_or_else(|e| panic!("{what}: {e}"))
    }

    /// A request the endpoint must answer with INVALID_PARAM.
    #[track_caller]
    fn endpoint_invalid<T: std::fmt::Debug>(&mut self, what: &str, r: softqat_sal::Result<T>) {
        self.failed += 1;
        match r {
            Err(e) => assert_eq!(e.status, CpaStatus::InvalidParam, "{what}: {e}"),
            Ok(v) => panic!("{what}: accepted: {v:?}"),
        }
    }

    /// A request the SAL must refuse with INVALID_PARAM.
    #[track_caller]
    fn sal_invalid<T: std::fmt::Debug>(&mut self, what: &str, r: softqat_sal::Result<T>) {
        self.refused += 1;
        match r {
            Err(e) => assert_eq!(e.status, CpaStatus::InvalidParam, "{what}: {e}"),
            Ok(v) => panic!("{what}: accepted: {v:?}"),
        }
    }

    fn session(&mut self, inst: &CyInstance, setup: &SymSessionSetup) -> SymSession {
        self.sessions += 1;
        inst.init_sym_session(setup)
            .unwrap_or_else(|e| panic!("{setup:?}: {e}"))
    }

    /// The instance's statistics equal what was sent.
    #[track_caller]
    fn check(&self, inst: &CyInstance) {
        let st = inst.sym_stats();
        assert_eq!(
            st.num_sessions_initialized, self.sessions,
            "{self:?} {st:?}"
        );
        assert_eq!(st.num_session_errors, 0, "{st:?}");
        assert_eq!(
            st.num_sym_op_requests,
            self.ok + self.failed,
            "{self:?} {st:?}"
        );
        assert_eq!(
            st.num_sym_op_request_errors, self.refused,
            "{self:?} {st:?}"
        );
        assert_eq!(st.num_sym_op_completed, self.ok, "{self:?} {st:?}");
        assert_eq!(
            st.num_sym_op_completed_errors, self.failed,
            "{self:?} {st:?}"
        );
        assert_eq!(
            st.num_sym_op_verify_failures, self.verify_failures,
            "{self:?} {st:?}"
        );
    }
}

/// `head ‖ mid ‖ tail`.
fn framed(head: &[u8], mid: &[u8], tail: &[u8]) -> Vec<u8> {
    [head, mid, tail].concat()
}

fn flip(v: &mut [u8], bit: usize) {
    v[bit / 8] ^= 0x80 >> (bit % 8);
}

#[test]
fn reference_known_answers() {
    check_reference_known_answers();
}

/// One cipher-only algorithm: encrypt equals `reference(key, iv, pt)`,
/// decrypting the reference's ciphertext gives the plaintext, lengths
/// the mode refuses are INVALID_PARAM from the endpoint.
#[allow(clippy::too_many_arguments)]
fn cipher_case(
    inst: &CyInstance,
    sent: &mut Sent,
    alg: CipherAlgorithm,
    key: &[u8],
    iv_len: usize,
    lens: &[usize],
    accepts: impl Fn(usize) -> bool,
    reference: impl Fn(&[u8], &[u8]) -> Vec<u8>,
    rng: &mut Rng,
) {
    let enc = sent.session(
        inst,
        &SymSessionSetup::cipher(alg, key, CipherDirection::Encrypt),
    );
    let dec = sent.session(
        inst,
        &SymSessionSetup::cipher(alg, key, CipherDirection::Decrypt),
    );
    for (i, &len) in lens.iter().enumerate() {
        let name = format!("{alg} key {} len {len}", key.len());
        let mut iv = rng.bytes(iv_len);
        if i == 7 && iv_len == 16 {
            // A counter about to carry out of its low 64 bits.
            iv[8..].fill(0xff);
        }
        let head = {
            let n = rng.below(20);
            rng.bytes(n)
        };
        let tail = {
            let n = rng.below(20);
            rng.bytes(n)
        };
        let pt = rng.bytes(len);
        let buf = framed(&head, &pt, &tail);
        let op = || SymOpData::cipher(&iv, head.len() as u32, len as u32);
        let t = Transport::nth(i);
        if !accepts(len) {
            sent.endpoint_invalid(&name, sym_run(inst, &enc, op(), &buf, t, i as u64));
            continue;
        }
        let (r, out) = sent.ok(&name, sym_run(inst, &enc, op(), &buf, t, i as u64));
        assert!(r.verify_ok);
        let ct = reference(&iv, &pt);
        assert_eq!(out, framed(&head, &ct, &tail), "{name} {t:?}: encrypt");
        let t2 = Transport::nth(i + 1);
        let (_, back) = sent.ok(&name, sym_run(inst, &dec, op(), &out, t2, i as u64 + 1));
        assert_eq!(back, buf, "{name} {t2:?}: decrypt");
    }
}

#[test]
fn ciphers_match_references_over_every_transport() {
    let (_qat, inst) = cy_start("SYMDIFF_CIPHER");
    let mut sent = Sent::default();
    let mut rng = Rng(0x5a17_c1f3_0000_0001);
    let lens = lengths(13);
    let block16 = |n: usize| n.is_multiple_of(16);
    for klen in [16usize, 24, 32] {
        let key = rng.bytes(klen);
        cipher_case(
            &inst,
            &mut sent,
            CipherAlgorithm::AesCbc,
            &key,
            16,
            &lens,
            block16,
            |iv, pt| lc_crypt(LcCipher::Aes, LcMode::Cbc, &key, iv, pt, true),
            &mut rng,
        );
        let key = rng.bytes(klen);
        cipher_case(
            &inst,
            &mut sent,
            CipherAlgorithm::AesCtr,
            &key,
            16,
            &lens,
            |_| true,
            |iv, pt| lc_crypt(LcCipher::Aes, LcMode::Ctr, &key, iv, pt, true),
            &mut rng,
        );
    }
    for klen in [32usize, 64] {
        let key = rng.bytes(klen);
        cipher_case(
            &inst,
            &mut sent,
            CipherAlgorithm::AesXts,
            &key,
            16,
            &lens,
            |n| n >= 16,
            |iv, pt| xts_encrypt(&key, iv.try_into().unwrap(), pt),
            &mut rng,
        );
    }
    let key: [u8; 16] = rng.array();
    let sm4 = Sm4::new(&key);
    cipher_case(
        &inst,
        &mut sent,
        CipherAlgorithm::Sm4Cbc,
        &key,
        16,
        &lens,
        block16,
        |iv, pt| sm4.cbc(iv.try_into().unwrap(), pt, true),
        &mut rng,
    );
    cipher_case(
        &inst,
        &mut sent,
        CipherAlgorithm::Sm4Ctr,
        &key,
        16,
        &lens,
        |_| true,
        |iv, pt| sm4.ctr(iv.try_into().unwrap(), pt),
        &mut rng,
    );
    sent.check(&inst);
}

/// Which authenticated cipher.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Aead {
    Gcm,
    GcmJ0,
    Ccm,
    ChachaPoly,
}

/// One AEAD request pair: seal through the stack against `want` (ct, tag),
/// open through the stack, and (when `flips`) a flipped tag bit fails with
/// the data zeroed.
#[allow(clippy::too_many_arguments)]
fn aead_case(
    inst: &CyInstance,
    sent: &mut Sent,
    alg: CipherAlgorithm,
    key: &[u8],
    iv: &[u8],
    aad: &[u8],
    pt: &[u8],
    want: (&[u8], &[u8]),
    appended: bool,
    i: usize,
    flips: bool,
    rng: &mut Rng,
) {
    let tag_len = want.1.len();
    let name = format!(
        "{alg} key {} iv {} aad {} tag {tag_len} len {} appended {appended}",
        key.len(),
        iv.len(),
        aad.len(),
        pt.len()
    );
    let setup = |dir| {
        let s = SymSessionSetup::aead(alg, key, dir, tag_len as u32, aad.len() as u32);
        if appended {
            s.appended()
        } else {
            s
        }
    };
    let enc = sent.session(inst, &setup(CipherDirection::Encrypt));
    let dec = sent.session(inst, &setup(CipherDirection::Decrypt));
    let head = {
        let n = rng.below(24);
        rng.bytes(n)
    };
    let tail = {
        let n = rng.below(24);
        rng.bytes(n)
    };
    let n = pt.len() as u32;
    let h = head.len() as u32;
    let t = Transport::nth(i);
    let t2 = Transport::nth(i + 2);
    if appended {
        // The tag goes right after the ciphered region.
        let buf = framed(&head, &[pt, &vec![0u8; tag_len]].concat(), &tail);
        let op = || SymOpData::cipher(iv, h, n).aad(aad);
        let (_, out) = sent.ok(&name, sym_run(inst, &enc, op(), &buf, t, i as u64));
        let sealed = framed(&head, &[want.0, want.1].concat(), &tail);
        assert_eq!(out, sealed, "{name} {t:?}: seal");
        let (r, back) = sent.ok(&name, sym_run(inst, &dec, op(), &sealed, t2, i as u64));
        assert!(r.verify_ok, "{name}: open");
        assert_eq!(
            &back[..head.len() + pt.len()],
            &buf[..head.len() + pt.len()]
        );
        assert_eq!(&back[back.len() - tail.len()..], &tail[..]);
        if flips {
            let mut forged = sealed.clone();
            flip(
                &mut forged,
                8 * (head.len() + pt.len()) + rng.below(8 * tag_len),
            );
            let (r, back) = sent.ok(&name, sym_run(inst, &dec, op(), &forged, t, i as u64));
            sent.verify_failures += 1;
            assert!(!r.verify_ok, "{name}: a flipped tag bit verified");
            assert!(
                back[head.len()..head.len() + pt.len()]
                    .iter()
                    .all(|&b| b == 0),
                "{name}: a forged message is zeroed"
            );
            assert_eq!(&back[..head.len()], &head[..]);
        }
    } else {
        let buf = framed(&head, pt, &tail);
        let mut tag = vec![0u8; tag_len];
        let op = SymOpData::cipher(iv, h, n).aad(aad).digest(&mut tag);
        let (_, out) = sent.ok(&name, sym_run(inst, &enc, op, &buf, t, i as u64));
        assert_eq!(out, framed(&head, want.0, &tail), "{name} {t:?}: seal");
        assert_eq!(tag, want.1, "{name} {t:?}: tag");
        let op = SymOpData::cipher(iv, h, n).aad(aad).digest(&mut tag);
        let (r, back) = sent.ok(&name, sym_run(inst, &dec, op, &out, t2, i as u64));
        assert!(r.verify_ok, "{name}: open");
        assert_eq!(back, buf, "{name} {t2:?}: open");
        if flips {
            flip(&mut tag, rng.below(8 * tag_len));
            let op = SymOpData::cipher(iv, h, n).aad(aad).digest(&mut tag);
            let (r, back) = sent.ok(&name, sym_run(inst, &dec, op, &out, t, i as u64));
            sent.verify_failures += 1;
            assert!(!r.verify_ok, "{name}: a flipped tag bit verified");
            assert!(
                back[head.len()..head.len() + pt.len()]
                    .iter()
                    .all(|&b| b == 0),
                "{name}: a forged message is zeroed"
            );
            assert_eq!(&back[back.len() - tail.len()..], &tail[..]);
        }
    }
}

#[test]
fn authenticated_ciphers_match_references() {
    let (_qat, inst) = cy_start("SYMDIFF_AEAD");
    let mut sent = Sent::default();
    let mut rng = Rng(0xaead_0000_0038_d001);
    let lens = lengths(7);
    // AAD lengths: the edges and a spread of 0..=240.
    let aad_lens = [
        0usize, 1, 12, 13, 15, 16, 17, 31, 32, 64, 100, 127, 200, 222, 239, 240,
    ];
    for kind in [Aead::Gcm, Aead::GcmJ0, Aead::Ccm, Aead::ChachaPoly] {
        for (i, &len) in lens.iter().enumerate() {
            let pt = rng.bytes(len);
            let appended = i % 3 != 1;
            let flips = i % 5 == 0;
            match kind {
                Aead::Gcm | Aead::GcmJ0 => {
                    let key = rng.bytes([16, 24, 32][i % 3]);
                    let tag = [16usize, 12, 8][(i / 3) % 3];
                    let aad_len = if i < aad_lens.len() {
                        aad_lens[i]
                    } else {
                        rng.below(241)
                    };
                    let aad = rng.bytes(aad_len);
                    let (iv, (ct, full)) = if kind == Aead::Gcm {
                        let iv: [u8; 12] = rng.array();
                        (iv.to_vec(), gcm_seal(&key, &iv, &aad, &pt))
                    } else {
                        // QAT's 16-byte GCM IV is J0 itself: the reference
                        // encrypts with the IV whose GHASH is that J0.
                        let iv: [u8; 16] = rng.array();
                        (
                            gcm_j0(&key, &iv).to_vec(),
                            gcm_seal_iv16(&key, &iv, &aad, &pt),
                        )
                    };
                    aead_case(
                        &inst,
                        &mut sent,
                        CipherAlgorithm::AesGcm,
                        &key,
                        &iv,
                        &aad,
                        &pt,
                        (&ct, &full[..tag]),
                        appended,
                        i,
                        flips,
                        &mut rng,
                    );
                }
                Aead::Ccm => {
                    // Every (nonce, tag) pair of 7..=13 × 4..=16 even.
                    let nonce = rng.bytes(7 + i % 7);
                    let tag = 4 + 2 * ((i / 7) % 7);
                    let key = rng.bytes([16, 24, 32][(i / 49) % 3]);
                    let aad_len = if i < 14 { aad_lens[i] } else { rng.below(223) };
                    let aad = rng.bytes(aad_len);
                    let (ct, t) = ccm_seal(&key, &nonce, tag, &aad, &pt);
                    aead_case(
                        &inst,
                        &mut sent,
                        CipherAlgorithm::AesCcm,
                        &key,
                        &nonce,
                        &aad,
                        &pt,
                        (&ct, &t),
                        // CCM's MAC is always appended.
                        true,
                        i,
                        flips,
                        &mut rng,
                    );
                }
                Aead::ChachaPoly => {
                    let key = rng.bytes(32);
                    let nonce: [u8; 12] = rng.array();
                    let aad_len = if i < aad_lens.len() {
                        aad_lens[i]
                    } else {
                        rng.below(241)
                    };
                    let aad = rng.bytes(aad_len);
                    let (ct, t) = chacha_seal(&key, &nonce, &aad, &pt);
                    aead_case(
                        &inst,
                        &mut sent,
                        CipherAlgorithm::Chacha,
                        &key,
                        &nonce,
                        &aad,
                        &pt,
                        (&ct, &t),
                        appended,
                        i,
                        flips,
                        &mut rng,
                    );
                }
            }
        }
    }
    // A 16-byte J0 whose 32-bit counter wraps within the message: GCM's
    // inc32 wraps the low 32 bits and leaves the rest of the block alone.
    for (k, low) in [0xffff_ffffu32, 0xffff_fff0, 0xffff_ff00]
        .into_iter()
        .enumerate()
    {
        let key = rng.bytes([16, 24, 32][k]);
        let mut j0: [u8; 16] = rng.array();
        j0[12..].copy_from_slice(&low.to_be_bytes());
        let aad = rng.bytes(16);
        let pt = rng.bytes(4096 + k);
        let (ct, tag) = gcm_by_definition(&key, &j0, &aad, &pt);
        aead_case(
            &inst,
            &mut sent,
            CipherAlgorithm::AesGcm,
            &key,
            &j0,
            &aad,
            &pt,
            (&ct, &tag),
            k != 1,
            k,
            true,
            &mut rng,
        );
    }
    sent.check(&inst);
}

/// A hash algorithm through the stack with its reference.
#[derive(Clone, Copy, Debug)]
struct HashCase {
    alg: HashAlgorithm,
    mode: HashMode,
    /// Full digest bytes.
    full: usize,
    /// Key bytes (MACs): fixed, or 0 for random 0..=200 (HMAC).
    key_len: usize,
}

fn hash_ref(c: &HashCase, key: &[u8], iv: &[u8], msg: &[u8]) -> Vec<u8> {
    let h = |r: RefHash| match c.mode {
        HashMode::Plain => r.digest(msg),
        _ => r.hmac(key, msg),
    };
    match c.alg {
        HashAlgorithm::Sha256 => h(RefHash::Sha256),
        HashAlgorithm::Sha384 => h(RefHash::Sha384),
        HashAlgorithm::Sha512 => h(RefHash::Sha512),
        HashAlgorithm::Sha3_256 => h(RefHash::Sha3_256),
        HashAlgorithm::Sha3_384 => h(RefHash::Sha3_384),
        HashAlgorithm::Sha3_512 => h(RefHash::Sha3_512),
        HashAlgorithm::Sm3 => h(RefHash::Sm3),
        HashAlgorithm::AesCmac => cmac(key, msg),
        HashAlgorithm::AesXcbc => xcbc(key, msg).to_vec(),
        HashAlgorithm::AesCbcMac => cbc_mac(key, msg),
        HashAlgorithm::AesGmac => gmac(key, iv.try_into().unwrap(), msg),
        a => panic!("no reference for {a}"),
    }
}

/// A hash or MAC on every length: separate and appended digests, full and
/// truncated, verified and with a flipped bit.
fn hash_case(inst: &CyInstance, sent: &mut Sent, c: HashCase, lens: &[usize], rng: &mut Rng) {
    let key_len = if c.key_len == 0 {
        1 + rng.below(200)
    } else {
        c.key_len
    };
    let mut key = rng.bytes(key_len);
    for (i, &len) in lens.iter().enumerate() {
        if c.key_len == 0 && i % 16 == 0 {
            // HMAC keys shorter than, equal to and longer than the block.
            key = rng.bytes([0usize, 1, 20, 64, 72, 104, 128, 136, 200][(i / 16) % 9]);
        }
        let digest_len = match (i % 3, c.alg) {
            (0, _) => c.full,
            (1, _) => c.full.min(12),
            // GMAC's tags are GCM's: 8, 12 or 16 bytes.
            (_, HashAlgorithm::AesGmac) => 8,
            _ => c.full.min(4 + rng.below(c.full - 3)),
        };
        let appended = i % 2 == 1;
        let verify = i % 4 >= 2;
        let name = format!(
            "{} {} key {} len {len} digest {digest_len} appended {appended} verify {verify}",
            c.alg,
            c.mode,
            key.len()
        );
        let mut hs = HashSetup::new(c.alg, c.mode, digest_len as u32);
        if c.mode == HashMode::Auth {
            hs = hs.with_auth_key(&key);
        }
        let mut setup = SymSessionSetup::hash(hs);
        // Hash-only sessions verify only a separate digest.
        setup.digest_is_appended = appended && !verify;
        setup.verify_digest = verify;
        let s = sent.session(inst, &setup);
        let iv: Vec<u8> = if c.alg == HashAlgorithm::AesGmac {
            rng.bytes(12)
        } else {
            Vec::new()
        };
        let head = {
            let n = rng.below(20);
            rng.bytes(n)
        };
        let tail = {
            let n = rng.below(20);
            rng.bytes(n)
        };
        let msg = rng.bytes(len);
        let refuses = match c.alg {
            HashAlgorithm::AesCbcMac => len == 0 || len % 16 != 0,
            _ => false,
        };
        let t = Transport::nth(i / 2);
        let h = head.len() as u32;
        let n = len as u32;
        let op = || {
            let mut o = SymOpData::hash(h, n);
            o.iv = &iv;
            o
        };
        if refuses {
            let mut d = vec![0u8; digest_len];
            let buf = framed(&head, &[&msg[..], &vec![0; digest_len]].concat(), &tail);
            let o = if setup.digest_is_appended {
                op()
            } else {
                op().digest(&mut d)
            };
            sent.endpoint_invalid(&name, sym_run(inst, &s, o, &buf, t, i as u64));
            continue;
        }
        let want = hash_ref(&c, &key, &iv, &msg);
        assert_eq!(want.len(), c.full, "{name}: the reference's length");
        let want = &want[..digest_len];
        if setup.digest_is_appended {
            let buf = framed(&head, &[&msg[..], &vec![0; digest_len]].concat(), &tail);
            let (r, out) = sent.ok(&name, sym_run(inst, &s, op(), &buf, t, i as u64));
            assert!(r.verify_ok);
            let want_buf = framed(&head, &[&msg[..], want].concat(), &tail);
            assert_eq!(out, want_buf, "{name} {t:?}");
        } else {
            let buf = framed(&head, &msg, &tail);
            let mut d = if verify {
                want.to_vec()
            } else {
                vec![0u8; digest_len]
            };
            let (r, out) = sent.ok(&name, sym_run(inst, &s, op().digest(&mut d), &buf, t, 0));
            assert_eq!(out, buf, "{name} {t:?}: the data is copied");
            assert_eq!(d, want, "{name} {t:?}");
            assert!(r.verify_ok, "{name} {t:?}: verify");
            if verify {
                flip(&mut d, rng.below(8 * digest_len));
                let (r, _) = sent.ok(&name, sym_run(inst, &s, op().digest(&mut d), &buf, t, 0));
                sent.verify_failures += 1;
                assert!(!r.verify_ok, "{name}: a flipped digest bit verified");
            }
        }
    }
}

#[test]
fn hashes_and_macs_match_references() {
    let (_qat, inst) = cy_start("SYMDIFF_HASH");
    let mut sent = Sent::default();
    let mut rng = Rng(0x4a54_0000_0000_0001);
    let lens = lengths(11);
    let cases = [
        (HashAlgorithm::Sha256, HashMode::Plain, 32, 0),
        (HashAlgorithm::Sha384, HashMode::Plain, 48, 0),
        (HashAlgorithm::Sha512, HashMode::Plain, 64, 0),
        (HashAlgorithm::Sha256, HashMode::Auth, 32, 0),
        (HashAlgorithm::Sha384, HashMode::Auth, 48, 0),
        (HashAlgorithm::Sha512, HashMode::Auth, 64, 0),
        (HashAlgorithm::Sha3_256, HashMode::Plain, 32, 0),
        (HashAlgorithm::Sha3_384, HashMode::Plain, 48, 0),
        (HashAlgorithm::Sha3_512, HashMode::Plain, 64, 0),
        (HashAlgorithm::Sha3_256, HashMode::Auth, 32, 0),
        (HashAlgorithm::Sha3_384, HashMode::Auth, 48, 0),
        (HashAlgorithm::Sha3_512, HashMode::Auth, 64, 0),
        (HashAlgorithm::Sm3, HashMode::Plain, 32, 0),
        (HashAlgorithm::Sm3, HashMode::Auth, 32, 0),
        (HashAlgorithm::AesXcbc, HashMode::Auth, 16, 16),
        (HashAlgorithm::AesCmac, HashMode::Auth, 16, 16),
        (HashAlgorithm::AesCmac, HashMode::Auth, 16, 24),
        (HashAlgorithm::AesCmac, HashMode::Auth, 16, 32),
        (HashAlgorithm::AesCbcMac, HashMode::Auth, 16, 16),
        (HashAlgorithm::AesCbcMac, HashMode::Auth, 16, 32),
        (HashAlgorithm::AesGmac, HashMode::Auth, 16, 16),
        (HashAlgorithm::AesGmac, HashMode::Auth, 16, 24),
        (HashAlgorithm::AesGmac, HashMode::Auth, 16, 32),
    ];
    for (alg, mode, full, key_len) in cases {
        let c = HashCase {
            alg,
            mode,
            full,
            key_len,
        };
        hash_case(&inst, &mut sent, c, &lens, &mut rng);
    }
    sent.check(&inst);
}

/// The cipher of a chain and its reference.
struct ChainCipher {
    alg: CipherAlgorithm,
    key: Vec<u8>,
    block: usize,
}

impl ChainCipher {
    fn crypt(&self, iv: &[u8], data: &[u8], encrypt: bool) -> Vec<u8> {
        match self.alg {
            CipherAlgorithm::AesCbc => {
                lc_crypt(LcCipher::Aes, LcMode::Cbc, &self.key, iv, data, encrypt)
            }
            CipherAlgorithm::AesCtr => {
                lc_crypt(LcCipher::Aes, LcMode::Ctr, &self.key, iv, data, encrypt)
            }
            CipherAlgorithm::Sm4Cbc => Sm4::new(self.key[..].try_into().unwrap()).cbc(
                iv.try_into().unwrap(),
                data,
                encrypt,
            ),
            a => panic!("no reference for {a}"),
        }
    }

    fn setup(&self, dir: CipherDirection) -> CipherSetup {
        CipherSetup {
            algorithm: self.alg,
            key: self.key.clone(),
            direction: dir,
        }
    }
}

#[test]
fn chains_match_references_in_both_orders() {
    let (_qat, inst) = cy_start("SYMDIFF_CHAIN");
    let mut sent = Sent::default();
    let mut rng = Rng(0xc4a1_0000_0000_0001);
    let ciphers = [
        (CipherAlgorithm::AesCbc, 16usize, 16usize),
        (CipherAlgorithm::AesCbc, 32, 16),
        (CipherAlgorithm::AesCtr, 24, 1),
        (CipherAlgorithm::Sm4Cbc, 16, 16),
    ];
    let hashes = [
        (HashAlgorithm::Sha256, HashMode::Auth, 32usize, 32usize),
        (HashAlgorithm::Sha384, HashMode::Auth, 48, 48),
        (HashAlgorithm::Sha512, HashMode::Auth, 64, 64),
        (HashAlgorithm::Sha3_256, HashMode::Auth, 32, 32),
        (HashAlgorithm::Sm3, HashMode::Auth, 32, 32),
        (HashAlgorithm::Sha256, HashMode::Plain, 32, 0),
        (HashAlgorithm::AesCmac, HashMode::Auth, 16, 16),
        (HashAlgorithm::AesXcbc, HashMode::Auth, 12, 16),
    ];
    let mut i = 0usize;
    for (calg, klen, block) in ciphers {
        let c = ChainCipher {
            alg: calg,
            key: rng.bytes(klen),
            block,
        };
        for (halg, mode, dlen, akey_len) in hashes {
            let akey = rng.bytes(akey_len);
            let hc = HashCase {
                alg: halg,
                mode,
                full: dlen.max(16),
                key_len: akey_len,
            };
            let mac = |m: &[u8]| hash_ref(&hc, &akey, &[], m)[..dlen].to_vec();
            let mut hs = HashSetup::new(halg, mode, dlen as u32);
            if mode == HashMode::Auth {
                hs = hs.with_auth_key(&akey);
            }
            for _ in 0..12 {
                i += 1;
                let name = format!("{calg}+{halg} {mode} #{i}");
                let iv = rng.bytes(16);
                let hdr = {
                    let n = rng.below(24);
                    rng.bytes(n)
                };
                let tail = {
                    let n = rng.below(16);
                    rng.bytes(n)
                };
                // Payload lengths: whole blocks for CBC, any for CTR.
                let n = if c.block == 1 {
                    rng.below(4097)
                } else {
                    c.block * rng.below(4096 / c.block + 1)
                };
                let pt = rng.bytes(n);
                let (h, n32) = (hdr.len() as u32, n as u32);
                let t = Transport::nth(i);
                let t2 = Transport::nth(i + 1);

                // Encrypt-then-MAC (IPsec): CIPHER_THEN_HASH encrypting, the
                // MAC over header ‖ ciphertext, appended; and its inverse,
                // HASH_THEN_CIPHER decrypting and verifying.
                let ct = c.crypt(&iv, &pt, true);
                let tag = mac(&[&hdr[..], &ct].concat());
                let plain = [&hdr[..], &pt, &vec![0u8; dlen], &tail].concat();
                let sealed = [&hdr[..], &ct, &tag, &tail].concat();
                let op = || SymOpData::chain(&iv, (h, n32), (0, h + n32));
                let setup = |order, dir| SymSessionSetup::chain(order, c.setup(dir), hs.clone());
                let etm = sent.session(
                    &inst,
                    &setup(AlgChainOrder::CipherThenHash, CipherDirection::Encrypt).appended(),
                );
                let (_, out) = sent.ok(&name, sym_run(&inst, &etm, op(), &plain, t, i as u64));
                assert_eq!(out, sealed, "{name} {t:?}: encrypt-then-MAC");
                let etm_open = sent.session(
                    &inst,
                    &setup(AlgChainOrder::HashThenCipher, CipherDirection::Decrypt)
                        .appended()
                        .verifying(),
                );
                let (r, out) = sent.ok(&name, sym_run(&inst, &etm_open, op(), &sealed, t2, 1));
                assert!(r.verify_ok, "{name}: verify-then-decrypt");
                assert_eq!(out[..hdr.len() + n], plain[..hdr.len() + n], "{name}");
                let mut forged = sealed.clone();
                flip(&mut forged, 8 * (hdr.len() + n) + rng.below(8 * dlen));
                let (r, _) = sent.ok(&name, sym_run(&inst, &etm_open, op(), &forged, t, 2));
                sent.verify_failures += 1;
                assert!(!r.verify_ok, "{name}: a flipped MAC bit verified");

                // The same with a separate digest.
                let buf = [&hdr[..], &pt, &tail].concat();
                let etm_sep = sent.session(
                    &inst,
                    &setup(AlgChainOrder::CipherThenHash, CipherDirection::Encrypt),
                );
                let mut d = vec![0u8; dlen];
                let o = op().digest(&mut d);
                let (_, out) = sent.ok(&name, sym_run(&inst, &etm_sep, o, &buf, t2, 3));
                assert_eq!(out, [&hdr[..], &ct, &tail].concat(), "{name}: separate");
                assert_eq!(d, tag, "{name}: separate digest");
                let open_sep = sent.session(
                    &inst,
                    &setup(AlgChainOrder::HashThenCipher, CipherDirection::Decrypt).verifying(),
                );
                let o = op().digest(&mut d);
                let (r, back) = sent.ok(&name, sym_run(&inst, &open_sep, o, &out, t, 4));
                assert!(r.verify_ok, "{name}: separate, verify");
                assert_eq!(back, buf, "{name}: separate, decrypt");

                // MAC-then-encrypt (TLS 1.0-1.2 style): HASH_THEN_CIPHER
                // encrypting, the MAC over header ‖ plaintext appended and
                // ciphered with it (padded to whole blocks); and its inverse,
                // CIPHER_THEN_HASH decrypting, verifying the deciphered MAC.
                let pad_len = (c.block - (n + dlen) % c.block) % c.block;
                let pad = vec![pad_len as u8; pad_len];
                let mte_plain = [&hdr[..], &pt, &vec![0u8; dlen], &pad, &tail].concat();
                let inner_mac = mac(&[&hdr[..], &pt].concat());
                let body = [&pt[..], &inner_mac, &pad].concat();
                let body_ct = c.crypt(&iv, &body, true);
                let mte_sealed = [&hdr[..], &body_ct, &tail].concat();
                let cl = body.len() as u32;
                let mop = || SymOpData::chain(&iv, (h, cl), (0, h + n32));
                let mte = sent.session(
                    &inst,
                    &setup(AlgChainOrder::HashThenCipher, CipherDirection::Encrypt).appended(),
                );
                let (_, out) = sent.ok(&name, sym_run(&inst, &mte, mop(), &mte_plain, t2, 5));
                assert_eq!(out, mte_sealed, "{name} {t2:?}: MAC-then-encrypt");
                let mte_open = sent.session(
                    &inst,
                    &setup(AlgChainOrder::CipherThenHash, CipherDirection::Decrypt)
                        .appended()
                        .verifying(),
                );
                let (r, out) = sent.ok(&name, sym_run(&inst, &mte_open, mop(), &mte_sealed, t, 6));
                assert!(r.verify_ok, "{name}: decrypt-then-verify");
                assert_eq!(
                    out,
                    [&hdr[..], &body, &tail].concat(),
                    "{name}: decrypt-then-verify"
                );
                let mut forged = mte_sealed.clone();
                flip(
                    &mut forged,
                    8 * rng.below(hdr.len() + n + 1).min(hdr.len() + n),
                );
                if hdr.len() + n > 0 {
                    let (r, _) = sent.ok(&name, sym_run(&inst, &mte_open, mop(), &forged, t2, 7));
                    sent.verify_failures += 1;
                    assert!(!r.verify_ok, "{name}: a flipped bit verified");
                }
            }
        }
    }
    sent.check(&inst);
}

/// `msg` cut at random whole-`block` points into 1..=5 packets.
fn random_split(msg: &[u8], block: usize, rng: &mut Rng) -> Vec<(usize, usize)> {
    let blocks = msg.len() / block;
    let mut cuts: Vec<usize> = (0..rng.below(5))
        .map(|_| block * rng.below(blocks + 1))
        .collect();
    cuts.push(0);
    cuts.sort_unstable();
    cuts.dedup();
    let mut parts = Vec::new();
    for w in 0..cuts.len() {
        let end = cuts.get(w + 1).copied().unwrap_or(msg.len());
        parts.push((cuts[w], end));
    }
    parts
}

#[test]
fn partial_packets_equal_the_one_shot_result() {
    let (_qat, inst) = cy_start("SYMDIFF_PARTIAL");
    let mut sent = Sent::default();
    let mut rng = Rng(0x9a27_0000_0000_0001);
    assert!(inst.sym_capabilities().partial_packets);

    // Hash-only sessions: the running hash carries over; the digest comes
    // with the last packet (separate or appended after its region).
    let cases = [
        (
            HashAlgorithm::Sha256,
            HashMode::Plain,
            32usize,
            0usize,
            64usize,
        ),
        (HashAlgorithm::Sha384, HashMode::Plain, 48, 0, 128),
        (HashAlgorithm::Sha512, HashMode::Plain, 64, 0, 128),
        (HashAlgorithm::Sha256, HashMode::Auth, 32, 40, 64),
        (HashAlgorithm::Sha512, HashMode::Auth, 64, 131, 128),
        (HashAlgorithm::Sm3, HashMode::Plain, 32, 0, 64),
        (HashAlgorithm::Sm3, HashMode::Auth, 32, 16, 64),
        (HashAlgorithm::AesCmac, HashMode::Auth, 16, 16, 16),
        (HashAlgorithm::AesXcbc, HashMode::Auth, 16, 16, 16),
    ];
    for (k, (alg, mode, dlen, klen, block)) in cases.into_iter().enumerate() {
        let key = rng.bytes(klen);
        let mut hs = HashSetup::new(alg, mode, dlen as u32);
        if mode == HashMode::Auth {
            hs = hs.with_auth_key(&key);
        }
        let hc = HashCase {
            alg,
            mode,
            full: dlen,
            key_len: klen,
        };
        for round in 0..8 {
            let appended = round % 2 == 1;
            let mut setup = SymSessionSetup::hash(hs.clone());
            setup.digest_is_appended = appended;
            let s = sent.session(&inst, &setup);
            let len = [0usize, 1, block, 3 * block + 5, 1000, 4096, 777, 2 * block][round];
            let msg = rng.bytes(len);
            let name = format!("{alg} {mode} len {len} appended {appended}");
            let want = hash_ref(&hc, &key, &[], &msg);
            let parts = random_split(&msg, block, &mut rng);
            let mut d = vec![0u8; dlen];
            for (j, &(a, b)) in parts.iter().enumerate() {
                let last = j + 1 == parts.len();
                let packet = if last {
                    PacketType::LastPartial
                } else {
                    PacketType::Partial
                };
                let mut pkt = msg[a..b].to_vec();
                if appended && last {
                    pkt.resize(b - a + dlen, 0);
                }
                let op = SymOpData::hash(0, (b - a) as u32).packet(packet);
                // Lists in place for some sequences.
                let r = if (k + round) % 3 == 0 {
                    let t = Transport::ListInPlace;
                    let op = if appended { op } else { op.digest(&mut d) };
                    sym_run(&inst, &s, op, &pkt, t, j as u64).map(|(r, out)| {
                        pkt = out;
                        r
                    })
                } else if appended {
                    inst.perform_in_place(&s, op, &mut pkt)
                } else {
                    inst.perform_in_place(&s, op.digest(&mut d), &mut pkt)
                };
                sent.ok += 1;
                r.unwrap_or_else(|e| panic!("{name} packet {j} ({a}..{b}): {e}"));
                if appended && last {
                    d.copy_from_slice(&pkt[b - a..]);
                }
            }
            assert_eq!(d, want, "{name}: {} packets {parts:?}", parts.len());
        }
    }

    // A verifying hash-only sequence: the digest given with the last packet
    // is compared with the running hash's; a flipped bit fails.
    let key = rng.bytes(48);
    let hs = HashSetup::new(HashAlgorithm::Sha384, HashMode::Auth, 24).with_auth_key(&key);
    let ver = sent.session(&inst, &SymSessionSetup::hash(hs).verifying());
    let msg = rng.bytes(128 * 5 + 77);
    let want = RefHash::Sha384.hmac(&key, &msg)[..24].to_vec();
    for flipped in [false, true] {
        let mut d = want.clone();
        if flipped {
            flip(&mut d, 191);
            sent.verify_failures += 1;
        }
        let parts = [(0, 256), (256, 640), (640, msg.len())];
        for (j, &(a, b)) in parts.iter().enumerate() {
            let last = j == 2;
            let packet = if last {
                PacketType::LastPartial
            } else {
                PacketType::Partial
            };
            let mut pkt = msg[a..b].to_vec();
            let op = SymOpData::hash(0, (b - a) as u32).packet(packet);
            let op = if last { op.digest(&mut d) } else { op };
            sent.ok += 1;
            let r = inst.perform_in_place(&ver, op, &mut pkt).unwrap();
            assert_eq!(
                r.verify_ok,
                !(last && flipped),
                "packet {j} flipped {flipped}"
            );
        }
    }

    // AES-CBC partials: the chaining value carries over, and comes back.
    for dir in [CipherDirection::Encrypt, CipherDirection::Decrypt] {
        let klen = 16 + 8 * rng.below(3);
        let key = rng.bytes(klen);
        let s = sent.session(
            &inst,
            &SymSessionSetup::cipher(CipherAlgorithm::AesCbc, &key, dir),
        );
        let enc = dir == CipherDirection::Encrypt;
        for round in 0..6 {
            let iv = rng.bytes(16);
            let n = 16 * (1 + rng.below(200));
            let data = rng.bytes(n);
            let want = lc_crypt(LcCipher::Aes, LcMode::Cbc, &key, &iv, &data, enc);
            let parts = random_split(&data, 16, &mut rng);
            let mut out = Vec::new();
            let mut next_iv = iv.clone();
            for (j, &(a, b)) in parts.iter().enumerate() {
                let packet = if j + 1 == parts.len() {
                    PacketType::LastPartial
                } else {
                    PacketType::Partial
                };
                let mut pkt = data[a..b].to_vec();
                let op = SymOpData::cipher(&next_iv, 0, (b - a) as u32).packet(packet);
                sent.ok += 1;
                let r = inst
                    .perform_in_place(&s, op, &mut pkt)
                    .unwrap_or_else(|e| panic!("CBC {dir} round {round} packet {j}: {e}"));
                out.extend_from_slice(&pkt);
                // QAT writes the chaining value back: the last ciphertext
                // block.
                let last_ct = if enc { &out[..] } else { &data[..b] };
                if b > 0 {
                    assert_eq!(r.updated_iv(), &last_ct[last_ct.len() - 16..]);
                }
                next_iv = r.updated_iv().to_vec();
            }
            assert_eq!(out, want, "CBC {dir} round {round}: {parts:?}");
        }
    }

    // A chain with partials: the cipher state carries over, the digest is
    // per packet (over that packet's hash region).
    let ckey = rng.bytes(32);
    let akey = rng.bytes(32);
    let hs = HashSetup::new(HashAlgorithm::Sha256, HashMode::Auth, 32).with_auth_key(&akey);
    let chain = |dir| CipherSetup {
        algorithm: CipherAlgorithm::AesCbc,
        key: ckey.clone(),
        direction: dir,
    };
    let s = sent.session(
        &inst,
        &SymSessionSetup::chain(
            AlgChainOrder::CipherThenHash,
            chain(CipherDirection::Encrypt),
            hs.clone(),
        )
        .appended(),
    );
    for round in 0..4 {
        let iv = rng.bytes(16);
        let n = 16 * (2 + rng.below(100));
        let data = rng.bytes(n);
        let ct = lc_crypt(LcCipher::Aes, LcMode::Cbc, &ckey, &iv, &data, true);
        let parts = random_split(&data, 16, &mut rng);
        let mut next_iv = iv.clone();
        for (j, &(a, b)) in parts.iter().enumerate() {
            let packet = if j + 1 == parts.len() {
                PacketType::LastPartial
            } else {
                PacketType::Partial
            };
            let n = (b - a) as u32;
            let mut pkt = [&data[a..b], &[0u8; 32]].concat();
            let op = SymOpData::chain(&next_iv, (0, n), (0, n)).packet(packet);
            sent.ok += 1;
            let r = inst
                .perform_in_place(&s, op, &mut pkt)
                .unwrap_or_else(|e| panic!("chain round {round} packet {j}: {e}"));
            assert_eq!(&pkt[..b - a], &ct[a..b], "chain round {round} packet {j}");
            let mac = RefHash::Sha256.hmac(&akey, &ct[a..b]);
            assert_eq!(
                &pkt[b - a..],
                &mac[..],
                "chain round {round} packet {j}: digest"
            );
            next_iv = r.updated_iv().to_vec();
        }
    }

    // Refusals: sessions without partials, and partials out of place.
    let no_partials = [
        SymSessionSetup::cipher(CipherAlgorithm::AesCtr, &[1; 16], CipherDirection::Encrypt),
        SymSessionSetup::cipher(CipherAlgorithm::AesXts, &[2; 32], CipherDirection::Encrypt),
        SymSessionSetup::aead(
            CipherAlgorithm::AesGcm,
            &[3; 16],
            CipherDirection::Encrypt,
            16,
            0,
        )
        .appended(),
        SymSessionSetup::hash(HashSetup::new(HashAlgorithm::Sha3_256, HashMode::Plain, 32))
            .appended(),
        SymSessionSetup::hash(
            HashSetup::new(HashAlgorithm::AesGmac, HashMode::Auth, 16).with_auth_key(&[4; 16]),
        )
        .appended(),
        {
            let mut s = SymSessionSetup::cipher(
                CipherAlgorithm::AesCbc,
                &[5; 16],
                CipherDirection::Encrypt,
            );
            s.partials_not_required = true;
            s
        },
        {
            let mut s =
                SymSessionSetup::hash(HashSetup::new(HashAlgorithm::Sha256, HashMode::Plain, 32))
                    .appended();
            s.partials_not_required = true;
            s
        },
    ];
    let iv12 = [0u8; 12];
    let iv16 = [0u8; 16];
    for setup in &no_partials {
        let s = sent.session(&inst, setup);
        let iv: &[u8] = if setup.cipher.as_ref().map(|c| c.algorithm)
            == Some(CipherAlgorithm::AesGcm)
            || setup.hash.as_ref().map(|h| h.algorithm) == Some(HashAlgorithm::AesGmac)
        {
            &iv12
        } else {
            &iv16
        };
        for packet in [PacketType::Partial, PacketType::LastPartial] {
            let mut buf = vec![0u8; 64 + 32];
            let op = SymOpData::chain(iv, (0, 64), (0, 64)).packet(packet);
            sent.sal_invalid(
                &format!("{setup:?} {packet}"),
                inst.perform_in_place(&s, op, &mut buf),
            );
        }
        // FULL still works.
        let mut buf = vec![0u8; 64 + 32];
        let op = SymOpData::chain(iv, (0, 64), (0, 64));
        sent.ok += 1;
        inst.perform_in_place(&s, op, &mut buf)
            .unwrap_or_else(|e| panic!("{setup:?} FULL: {e}"));
    }
    // Regression: an in-place request on a buffer list whose segments are
    // all empty is in place (the same descriptor) — the endpoint took it
    // for out of place and refused the LAST_PARTIAL ending a sequence.
    let sha = sent.session(
        &inst,
        &SymSessionSetup::hash(HashSetup::new(HashAlgorithm::Sha256, HashMode::Plain, 32)),
    );
    let mut first = vec![7u8; 64];
    let mut d = [0u8; 32];
    let op = SymOpData::hash(0, 64).packet(PacketType::Partial);
    sent.ok += 1;
    inst.perform_in_place(&sha, op, &mut first).unwrap();
    let mut empty = common::split_list(&[], 1, 0);
    let op = SymOpData::hash(0, 0)
        .packet(PacketType::LastPartial)
        .digest(&mut d);
    sent.ok += 1;
    inst.perform_lists(&sha, op, &mut empty, None)
        .expect("an empty in-place list ends a partial sequence");
    assert_eq!(d.to_vec(), RefHash::Sha256.digest(&[7u8; 64]));

    let cbc = sent.session(
        &inst,
        &SymSessionSetup::cipher(CipherAlgorithm::AesCbc, &[6; 16], CipherDirection::Encrypt),
    );
    let src = [0u8; 64];
    let mut dst = [0u8; 64];
    let op = SymOpData::cipher(&iv16, 0, 64).packet(PacketType::Partial);
    sent.sal_invalid(
        "out-of-place partial",
        inst.perform(&cbc, op, &src, &mut dst),
    );
    let mut l_src = common::split_list(&src, 2, 1);
    let mut l_dst = common::split_list(&dst, 2, 2);
    let op = SymOpData::cipher(&iv16, 0, 64).packet(PacketType::Partial);
    sent.sal_invalid(
        "out-of-place partial on lists",
        inst.perform_lists(&cbc, op, &mut l_src, Some(&mut l_dst)),
    );
    sent.check(&inst);
}
