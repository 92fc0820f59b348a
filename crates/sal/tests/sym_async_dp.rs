//! The symmetric service's asynchronous and data-plane paths through the
//! whole stack, and its statistics and session life cycle:
//!
//! - `init_sym_session_async` + `submit` of many requests (flat and lists,
//!   in place and out of place, digests appended and separate) polled to
//!   completion: each completion carries back its tag, op type, request and
//!   buffers, and its data equals the synchronous result;
//! - a full ring answers RETRY with everything given back, and sessions with
//!   requests in flight refuse remove and update with RETRY;
//! - the data plane: GCM through `sym_dp_enqueue` and batches of 32 (sent at
//!   once, and later with `sym_dp_perform_now`) equal the synchronous API;
//!   the refusals (no callback, a session that is not a DP one, a bad op in a
//!   batch queues nothing);
//! - `CpaCySymStats64` moving exactly, removed sessions refused, and
//!   `update_sym_session` (cipher key, direction, auth key) giving the new
//!   results.
//!
//! Every test starts a section of its own: its statistics are its own.

mod common;
#[path = "common/symref.rs"]
mod symref;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{
    cy0, cy_endpoint_conf, cy_start, dma, expect_status, poll_cy_until, split_list, TempDir,
};
use softqat_sal::sym::{
    AlgChainOrder, CipherAlgorithm, CipherDirection, HashAlgorithm, HashMode, SymOp,
};
use softqat_sal::{
    CipherSetup, CpaStatus, CyInstance, DmaBuf, HashSetup, Qat, SymCompletion, SymData,
    SymDpCompletion, SymDpOp, SymOpData, SymRequest, SymSession, SymSessionSetup, SymSessionUpdate,
};
use symref::*;

const GCM_AAD: usize = 20;

/// The sessions of the mixed workload: (setup, digest bytes, separate).
fn workload_setups(gcm_key: &[u8], cbc_key: &[u8], hmac_key: &[u8]) -> Vec<SymSessionSetup> {
    let gcm = |appended: bool| {
        let s = SymSessionSetup::aead(
            CipherAlgorithm::AesGcm,
            gcm_key,
            CipherDirection::Encrypt,
            16,
            GCM_AAD as u32,
        );
        if appended {
            s.appended()
        } else {
            s
        }
    };
    let chain = |appended: bool| {
        let s = SymSessionSetup::chain(
            AlgChainOrder::CipherThenHash,
            CipherSetup {
                algorithm: CipherAlgorithm::AesCbc,
                key: cbc_key.to_vec(),
                direction: CipherDirection::Encrypt,
            },
            HashSetup::new(HashAlgorithm::Sha256, HashMode::Auth, 32).with_auth_key(hmac_key),
        );
        if appended {
            s.appended()
        } else {
            s
        }
    };
    vec![gcm(true), gcm(false), chain(true), chain(false)]
}

/// One request of the mixed workload.
struct Job {
    kind: usize,
    iv: Vec<u8>,
    aad: Vec<u8>,
    /// Source (and destination size): head ‖ payload ‖ [digest room] ‖ tail.
    buf: Vec<u8>,
    cipher: (u32, u32),
    hash: (u32, u32),
    list: bool,
    in_place: bool,
}

impl Job {
    fn separate(&self) -> bool {
        self.kind % 2 == 1
    }
    fn digest_len(&self) -> usize {
        if self.kind < 2 {
            16
        } else {
            32
        }
    }
}

fn jobs(n: usize, rng: &mut Rng) -> Vec<Job> {
    (0..n)
        .map(|i| {
            let kind = i % 4;
            let gcm = kind < 2;
            let head = rng.below(16);
            let len = if gcm {
                rng.below(2000)
            } else {
                16 * rng.below(120)
            };
            let tail = rng.below(16);
            let room = if kind % 2 == 0 {
                if gcm {
                    16
                } else {
                    32
                }
            } else {
                0
            };
            let buf = rng.bytes(head + len + room + tail);
            Job {
                kind,
                iv: rng.bytes(if gcm { 12 } else { 16 }),
                aad: if gcm { rng.bytes(GCM_AAD) } else { Vec::new() },
                buf,
                cipher: (head as u32, len as u32),
                hash: (0, (head + len) as u32),
                list: (i / 4) % 2 == 1,
                in_place: (i / 8) % 2 == 1,
            }
        })
        .collect()
}

/// A job through the synchronous API: (output, separate digest).
fn run_sync(inst: &CyInstance, s: &SymSession, j: &Job) -> (Vec<u8>, Vec<u8>) {
    let mut d = vec![0u8; j.digest_len()];
    let mut op = SymOpData::chain(&j.iv, j.cipher, j.hash).aad(&j.aad);
    if j.separate() {
        op = op.digest(&mut d);
    }
    let mut out = vec![0u8; j.buf.len()];
    inst.perform(s, op, &j.buf, &mut out).unwrap();
    if !j.separate() {
        d.clear();
    }
    (out, d)
}

fn request_of(j: &Job) -> SymRequest {
    let mut r = SymRequest::with_iv(&j.iv)
        .cipher(j.cipher.0, j.cipher.1)
        .hash(j.hash.0, j.hash.1);
    if !j.aad.is_empty() {
        r.aad = Some(DmaBuf::from_slice(&j.aad));
    }
    if j.separate() {
        r.digest = Some(DmaBuf::new(j.digest_len()));
    }
    r
}

fn data_of(j: &Job, seed: u64) -> (SymData, Option<SymData>) {
    let src = if j.list {
        SymData::List(split_list(&j.buf, 4, seed))
    } else {
        SymData::Flat(dma(&j.buf))
    };
    let dst = if j.in_place {
        None
    } else if j.list {
        Some(SymData::List(split_list(
            &vec![0xEEu8; j.buf.len()],
            3,
            !seed,
        )))
    } else {
        Some(SymData::Flat(dma(&vec![0xEEu8; j.buf.len()])))
    };
    (src, dst)
}

fn bytes_of(d: &SymData) -> Vec<u8> {
    match d {
        SymData::Flat(b) => b.to_vec(),
        SymData::List(l) => l.to_vec(l.total_len()),
    }
}

type Done = Arc<Mutex<Vec<SymCompletion>>>;

fn collecting(inst: &CyInstance, setup: &SymSessionSetup, done: &Done) -> SymSession {
    let d = done.clone();
    inst.init_sym_session_async(setup, move |c| d.lock().unwrap().push(c))
        .unwrap()
}

#[test]
fn asynchronous_requests_equal_the_synchronous_results() {
    let (_qat, inst) = cy_start("SYMASYNC_MIX");
    let mut rng = Rng(0xa5c0_0000_0000_0001);
    let (gk, ck, hk) = (rng.bytes(32), rng.bytes(16), rng.bytes(32));
    let setups = workload_setups(&gk, &ck, &hk);
    let sync: Vec<SymSession> = setups
        .iter()
        .map(|s| inst.init_sym_session(s).unwrap())
        .collect();
    let done: Done = Arc::default();
    let asy: Vec<SymSession> = setups.iter().map(|s| collecting(&inst, s, &done)).collect();
    let jobs = jobs(400, &mut rng);
    let want: Vec<(Vec<u8>, Vec<u8>)> = jobs
        .iter()
        .map(|j| run_sync(&inst, &sync[j.kind], j))
        .collect();
    // The synchronous results are the references' (GCM by aws-lc-rs, the
    // chain by aws-lc-rs CBC + HMAC), so the comparison below is anchored.
    for (j, (out, d)) in jobs.iter().zip(&want) {
        let (h, n) = (j.cipher.0 as usize, j.cipher.1 as usize);
        let pt = &j.buf[h..h + n];
        let (ct, tag) = if j.kind < 2 {
            let (ct, tag) = gcm_seal(&gk, j.iv[..].try_into().unwrap(), &j.aad, pt);
            (ct, tag)
        } else {
            let ct = lc_crypt(LcCipher::Aes, LcMode::Cbc, &ck, &j.iv, pt, true);
            let mac = RefHash::Sha256.hmac(&hk, &[&j.buf[..h], &ct].concat());
            (ct, mac)
        };
        assert_eq!(&out[h..h + n], &ct[..]);
        assert_eq!(&out[..h], &j.buf[..h]);
        if j.separate() {
            assert_eq!(d, &tag);
            assert_eq!(&out[h + n..], &j.buf[h + n..]);
        } else {
            assert_eq!(&out[h + n..h + n + tag.len()], &tag[..]);
        }
    }

    let before = inst.sym_stats();
    for (i, j) in jobs.iter().enumerate() {
        let (src, dst) = data_of(j, i as u64);
        inst.submit(&asy[j.kind], request_of(j), src, dst, 1000 + i as u64)
            .unwrap_or_else(|r| panic!("job {i}: {}", r.error));
    }
    assert!(asy.iter().any(SymSession::in_use) || done.lock().unwrap().len() == jobs.len());
    poll_cy_until(&inst, Duration::from_secs(30), || {
        done.lock().unwrap().len() == jobs.len()
    });
    assert_eq!(inst.in_flight(), 0);
    assert!(!asy.iter().any(SymSession::in_use));
    let mut got = std::mem::take(&mut *done.lock().unwrap());
    got.sort_by_key(|c| c.tag);
    for (i, c) in got.iter().enumerate() {
        let j = &jobs[i];
        assert_eq!(c.tag, 1000 + i as u64);
        assert_eq!(c.status, CpaStatus::Success, "job {i}");
        assert_eq!(c.op, SymOp::AlgorithmChaining);
        assert!(c.results.verify_ok);
        // The request comes back as it was given (its digest filled).
        assert_eq!(&c.request.iv[..usize::from(c.request.iv_len)], &j.iv[..]);
        assert_eq!((c.request.cipher_offset, c.request.cipher_len), j.cipher);
        assert_eq!((c.request.hash_offset, c.request.hash_len), j.hash);
        assert_eq!(c.request.aad.as_ref().map(|a| a.to_vec()), {
            (!j.aad.is_empty()).then(|| j.aad.clone())
        });
        let (out, d) = &want[i];
        match &c.request.digest {
            Some(b) => assert_eq!(&b[..], &d[..], "job {i}: separate digest"),
            None => assert!(!j.separate()),
        }
        // The buffers come back: the source untouched out of place.
        assert_eq!(matches!(c.src, SymData::List(_)), j.list);
        match &c.dst {
            None => {
                assert!(j.in_place);
                assert_eq!(&bytes_of(&c.src), out, "job {i}: in place");
            }
            Some(dst) => {
                assert!(!j.in_place);
                assert_eq!(bytes_of(&c.src), j.buf, "job {i}: source untouched");
                assert_eq!(&bytes_of(dst), out, "job {i}: out of place");
            }
        }
    }
    let st = inst.sym_stats();
    let n = jobs.len() as u64;
    assert_eq!(st.num_sym_op_requests - before.num_sym_op_requests, n);
    assert_eq!(st.num_sym_op_completed - before.num_sym_op_completed, n);
    assert_eq!(st.num_sym_op_request_errors, 0);
    assert_eq!(st.num_sym_op_completed_errors, 0);
}

#[test]
fn a_full_ring_answers_retry_and_busy_sessions_refuse_remove_and_update() {
    let dir = TempDir::with_files(
        "symring64",
        &[(
            "4xxx_dev0.conf",
            &cy_endpoint_conf("sym", "SYMRING", &[1], 64),
        )],
    );
    let qat = Qat::start_with("SYMRING", &dir.options(1)).unwrap();
    let inst = cy0(&qat);
    assert_eq!(inst.info().max_in_flight, 64);
    let key = [9u8; 16];
    let setup = SymSessionSetup::cipher(CipherAlgorithm::AesCtr, &key, CipherDirection::Encrypt);
    let done: Done = Arc::default();
    let s = collecting(&inst, &setup, &done);
    let iv = [1u8; 16];
    for i in 0..64u64 {
        let src = SymData::Flat(DmaBuf::from_slice(&[i as u8; 100]));
        inst.submit(&s, SymRequest::with_iv(&iv).cipher(0, 100), src, None, i)
            .unwrap();
    }
    assert_eq!(inst.in_flight(), 64);
    assert!(s.in_use());
    // Wait for the endpoint (this configuration's own) to answer all 64:
    // the answers occupy the ring until polled.
    let answered = || -> u64 { inst.endpoint().fw_counters().iter().map(|c| c.1).sum() };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while answered() < 64 {
        assert!(
            std::time::Instant::now() < deadline,
            "answered {}",
            answered()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let msg = b"the 65th request, out of place".to_vec();
    let rej = inst
        .submit(
            &s,
            SymRequest::with_iv(&[7u8; 16]).cipher(3, 20),
            SymData::List(split_list(&msg, 3, 5)),
            Some(SymData::Flat(DmaBuf::new(msg.len()))),
            64,
        )
        .expect_err("the 65th request must be refused");
    assert_eq!(rej.error.status, CpaStatus::Retry, "{}", rej.error);
    assert_eq!(&rej.request.iv[..], &[7u8; 16]);
    assert_eq!((rej.request.cipher_offset, rej.request.cipher_len), (3, 20));
    match (&rej.src, &rej.dst) {
        (SymData::List(l), Some(SymData::Flat(d))) => {
            assert_eq!(l.to_vec(msg.len()), msg, "source given back intact");
            assert_eq!(d.len(), msg.len(), "destination given back");
        }
        other => panic!("buffers not given back as they were: {other:?}"),
    }
    // A synchronous call on the full ring is RETRY too.
    let sync = inst.init_sym_session(&setup).unwrap();
    let mut out = vec![0u8; 16];
    expect_status(
        inst.perform(&sync, SymOpData::cipher(&iv, 0, 16), &[0u8; 16], &mut out),
        CpaStatus::Retry,
    );
    // Remove and update wait for the session's requests to be polled.
    expect_status(inst.remove_sym_session(&s), CpaStatus::Retry);
    let upd = SymSessionUpdate {
        cipher_key: Some(vec![1u8; 16]),
        ..SymSessionUpdate::default()
    };
    expect_status(inst.update_sym_session(&s, &upd), CpaStatus::Retry);
    let st = inst.sym_stats();
    assert_eq!(st.num_sym_op_requests, 64);
    assert_eq!(st.num_sym_op_request_errors, 2);
    assert_eq!(
        st.num_session_errors, 1,
        "a refused remove is a session error"
    );
    assert_eq!(st.num_sessions_removed, 0);

    // Poll one: a slot frees, the refused request goes in.
    assert_eq!(inst.poll(1).unwrap(), 1);
    inst.submit(&s, rej.request, rej.src, rej.dst, 64).unwrap();
    poll_cy_until(&inst, Duration::from_secs(10), || {
        done.lock().unwrap().len() == 65
    });
    assert!(!s.in_use());
    let got = std::mem::take(&mut *done.lock().unwrap());
    let tags: Vec<u64> = got.iter().map(|c| c.tag).collect();
    assert_eq!(tags, (0..65).collect::<Vec<_>>(), "completions in order");
    let ks = lc_crypt(LcCipher::Aes, LcMode::Ctr, &key, &iv, &[0u8; 100], true);
    for c in &got[..64] {
        assert_eq!(c.status, CpaStatus::Success);
        let want: Vec<u8> = ks.iter().map(|k| k ^ c.tag as u8).collect();
        assert_eq!(bytes_of(&c.src), want, "tag {}", c.tag);
    }
    let last = &got[64];
    let want_mid = lc_crypt(
        LcCipher::Aes,
        LcMode::Ctr,
        &key,
        &[7u8; 16],
        &msg[3..23],
        true,
    );
    let out = bytes_of(last.dst.as_ref().unwrap());
    assert_eq!(&out[..3], &msg[..3]);
    assert_eq!(&out[3..23], &want_mid[..]);
    assert_eq!(&out[23..], &msg[23..]);
    // Now idle: update and remove work, and the sync call goes through.
    inst.update_sym_session(&s, &upd).unwrap();
    inst.remove_sym_session(&s).unwrap();
    let mut small = [0u8; 16];
    inst.perform(&sync, SymOpData::cipher(&iv, 0, 16), &[0u8; 16], &mut small)
        .unwrap();
    let st = inst.sym_stats();
    assert_eq!(st.num_sym_op_requests, 66);
    assert_eq!(st.num_sym_op_completed, 66);
    assert_eq!(st.num_sessions_removed, 1);
}

type DpDone = Arc<Mutex<Vec<SymDpCompletion>>>;

#[test]
fn data_plane_gcm_equals_the_synchronous_api() {
    let (_qat, inst) = cy_start("SYMDP_GCM");
    let mut rng = Rng(0xd9d9_0000_0000_0001);
    let key = rng.bytes(16);
    let aad_len = 13usize;
    let enc_setup = SymSessionSetup::aead(
        CipherAlgorithm::AesGcm,
        &key,
        CipherDirection::Encrypt,
        16,
        aad_len as u32,
    );
    let dec_setup = SymSessionSetup::aead(
        CipherAlgorithm::AesGcm,
        &key,
        CipherDirection::Decrypt,
        16,
        aad_len as u32,
    );
    let enc = inst
        .init_sym_dp_session(&enc_setup.clone().appended())
        .unwrap();
    let dec_sep = inst.init_sym_dp_session(&dec_setup).unwrap();
    let sync = inst
        .init_sym_session(&enc_setup.clone().appended())
        .unwrap();

    struct Msg {
        iv: Vec<u8>,
        aad: Vec<u8>,
        pt: Vec<u8>,
    }
    let msgs: Vec<Msg> = (0..97)
        .map(|i| Msg {
            iv: rng.bytes(12),
            aad: rng.bytes(aad_len),
            pt: rng.bytes(if i < 40 { i } else { 16 * i + i % 16 }),
        })
        .collect();
    let op_of = |session: &SymSession, m: &Msg, tag: u64, out_of_place: bool| {
        let mut r = SymRequest::with_iv(&m.iv).cipher(0, m.pt.len() as u32);
        r.aad = Some(DmaBuf::from_slice(&m.aad));
        let src = dma(&[&m.pt[..], &[0u8; 16]].concat());
        SymDpOp {
            session: session.clone(),
            request: r,
            dst: out_of_place.then(|| DmaBuf::new(src.len().max(1))),
            src,
            tag,
        }
    };

    // Refused: no callback registered yet.
    let (e, back) = inst
        .sym_dp_enqueue(op_of(&enc, &msgs[0], 0, false), true)
        .expect_err("no callback");
    assert_eq!(e.status, CpaStatus::InvalidParam, "{e}");
    assert_eq!(back.tag, 0, "the op comes back");
    let mut batch = vec![op_of(&enc, &msgs[0], 0, false)];
    expect_status(
        inst.sym_dp_enqueue_batch(&mut batch, true),
        CpaStatus::InvalidParam,
    );
    assert_eq!(batch.len(), 1, "a refused batch is left as it was");

    let done: DpDone = Arc::default();
    let d = done.clone();
    inst.sym_dp_register_callback(move |c| d.lock().unwrap().push(c));
    // Refused: sessions that are not data-plane sessions.
    let (e, _) = inst
        .sym_dp_enqueue(op_of(&sync, &msgs[0], 0, false), true)
        .expect_err("a synchronous session on the data plane");
    assert_eq!(e.status, CpaStatus::InvalidParam, "{e}");
    let asy = inst.init_sym_session_async(&enc_setup, |_| {}).unwrap();
    let (e, _) = inst
        .sym_dp_enqueue(op_of(&asy, &msgs[0], 0, false), true)
        .expect_err("an asynchronous session on the data plane");
    assert_eq!(e.status, CpaStatus::InvalidParam, "{e}");
    // And a DP session is refused by the synchronous call.
    let mut buf = vec![0u8; 32];
    expect_status(
        inst.perform_in_place(
            &enc,
            SymOpData::cipher(&msgs[0].iv, 0, 16).aad(&msgs[0].aad),
            &mut buf,
        ),
        CpaStatus::InvalidParam,
    );
    // A batch with one bad op queues nothing.
    let mut batch: Vec<SymDpOp> = (0..5)
        .map(|i| op_of(&enc, &msgs[i], i as u64, false))
        .collect();
    batch[3].request.aad = None;
    expect_status(
        inst.sym_dp_enqueue_batch(&mut batch, true),
        CpaStatus::InvalidParam,
    );
    assert_eq!(batch.len(), 5);
    assert_eq!(inst.sym_dp_queued(), 0);
    let before = inst.sym_stats();
    // Every refused request counts, those of a refused batch each: 2 without
    // a callback (one alone, one batch of 1), 3 on the wrong session kinds,
    // 5 in the batch with a bad op.
    assert_eq!(before.num_sym_op_request_errors, 10, "{before:?}");

    // One op sent at once, then batches of 32: sent at once, and queued
    // then sent with sym_dp_perform_now.
    inst.sym_dp_enqueue(op_of(&enc, &msgs[0], 0, true), true)
        .map_err(|(e, _)| e)
        .unwrap();
    let mut batch: Vec<SymDpOp> = (1..33)
        .map(|i| op_of(&enc, &msgs[i], i as u64, i % 2 == 0))
        .collect();
    inst.sym_dp_enqueue_batch(&mut batch, true).unwrap();
    assert!(batch.is_empty(), "the batch is drained");
    let mut batch: Vec<SymDpOp> = (33..65)
        .map(|i| op_of(&enc, &msgs[i], i as u64, i % 3 == 0))
        .collect();
    inst.sym_dp_enqueue_batch(&mut batch, false).unwrap();
    for (i, m) in msgs.iter().enumerate().skip(65) {
        inst.sym_dp_enqueue(op_of(&enc, m, i as u64, false), false)
            .map_err(|(e, _)| e)
            .unwrap();
    }
    assert_eq!(inst.sym_dp_queued(), 64);
    // The 33 sent complete; the 64 queued are not sent until perform_now.
    poll_cy_until(&inst, Duration::from_secs(20), || {
        while inst.dp_poll(0).is_ok() {}
        done.lock().unwrap().len() == 33
    });
    std::thread::sleep(Duration::from_millis(20));
    expect_status(inst.dp_poll(0), CpaStatus::Retry);
    assert_eq!(done.lock().unwrap().len(), 33);
    inst.sym_dp_perform_now();
    assert_eq!(inst.sym_dp_queued(), 0);
    poll_cy_until(&inst, Duration::from_secs(20), || {
        while inst.dp_poll(0).is_ok() {}
        done.lock().unwrap().len() == 97
    });
    let mut got = std::mem::take(&mut *done.lock().unwrap());
    got.sort_by_key(|c| c.tag);
    let mut sealed = Vec::new();
    for (i, c) in got.iter().enumerate() {
        assert_eq!(c.tag, i as u64);
        assert_eq!(c.status, CpaStatus::Success);
        let m = &msgs[i];
        // The synchronous API's result for the same request.
        let mut want = [&m.pt[..], &[0u8; 16]].concat();
        inst.perform_in_place(
            &sync,
            SymOpData::cipher(&m.iv, 0, m.pt.len() as u32).aad(&m.aad),
            &mut want,
        )
        .unwrap();
        let (ct, tag) = gcm_seal(&key, m.iv[..].try_into().unwrap(), &m.aad, &m.pt);
        assert_eq!(want, [ct, tag].concat(), "sync equals aws-lc-rs");
        let out = c.op.dst.as_ref().unwrap_or(&c.op.src);
        assert_eq!(&out[..], &want[..], "DP op {i}");
        if let Some(_dst) = &c.op.dst {
            assert_eq!(&c.op.src[..m.pt.len()], &m.pt[..], "source untouched");
        }
        sealed.push(want);
    }
    let st = inst.sym_stats();
    assert_eq!(st.num_sym_op_requests - before.num_sym_op_requests, 97 + 97);
    assert_eq!(
        st.num_sym_op_completed - before.num_sym_op_completed,
        97 + 97
    );

    // Decrypt on the data plane with a separate tag, half of them forged.
    let mut batch: Vec<SymDpOp> = (0..32)
        .map(|i| {
            let m = &msgs[i];
            let n = m.pt.len();
            let mut r = SymRequest::with_iv(&m.iv).cipher(0, n as u32);
            r.aad = Some(DmaBuf::from_slice(&m.aad));
            let mut tag = sealed[i][n..].to_vec();
            if i % 2 == 1 {
                tag[i % 16] ^= 4;
            }
            r.digest = Some(DmaBuf::from_slice(&tag));
            SymDpOp {
                session: dec_sep.clone(),
                request: r,
                src: dma(&sealed[i][..n]),
                dst: None,
                tag: i as u64,
            }
        })
        .collect();
    inst.sym_dp_enqueue_batch(&mut batch, true).unwrap();
    poll_cy_until(&inst, Duration::from_secs(20), || {
        while inst.dp_poll(0).is_ok() {}
        done.lock().unwrap().len() == 32
    });
    let mut got = std::mem::take(&mut *done.lock().unwrap());
    got.sort_by_key(|c| c.tag);
    for (i, c) in got.iter().enumerate() {
        assert_eq!(c.status, CpaStatus::Success);
        let pt = &msgs[i].pt;
        if i % 2 == 0 {
            assert!(c.results.verify_ok, "op {i}");
            assert_eq!(&c.op.src[..], &pt[..], "op {i}: decrypted");
        } else {
            assert!(!c.results.verify_ok, "op {i}: forged tag accepted");
            assert!(c.op.src.iter().all(|&b| b == 0), "op {i}: zeroed");
        }
    }
    let st = inst.sym_stats();
    assert_eq!(
        st.num_sym_op_verify_failures - before.num_sym_op_verify_failures,
        16
    );

    // A batch longer than the descriptors kept from its check (32) is
    // queued in pieces, in order, each request as the synchronous API seals.
    let mut batch: Vec<SymDpOp> = (0..70)
        .map(|i| op_of(&enc, &msgs[i], i as u64, i % 2 == 0))
        .collect();
    inst.sym_dp_enqueue_batch(&mut batch, true).unwrap();
    assert!(batch.is_empty());
    poll_cy_until(&inst, Duration::from_secs(20), || {
        while inst.dp_poll(0).is_ok() {}
        done.lock().unwrap().len() == 70
    });
    let got = std::mem::take(&mut *done.lock().unwrap());
    let tags: Vec<u64> = got.iter().map(|c| c.tag).collect();
    assert_eq!(tags, (0..70).collect::<Vec<u64>>(), "completed in order");
    for c in &got {
        let out = c.op.dst.as_ref().unwrap_or(&c.op.src);
        assert_eq!(&out[..], &sealed[c.tag as usize][..], "op {}", c.tag);
    }
    assert_eq!(
        inst.sym_stats().num_sym_op_requests - st.num_sym_op_requests,
        70
    );
    assert_eq!(inst.in_flight(), 0);
    assert!(!enc.in_use() && !dec_sep.in_use());
}

#[test]
fn statistics_move_exactly_and_sessions_update_and_remove() {
    let (_qat, inst) = cy_start("SYMSTATS");
    let mut rng = Rng(0x57a7_0000_0000_0001);
    let zero = inst.sym_stats();
    assert_eq!(zero, softqat_sal::SymStats::default(), "a fresh instance");

    // Sessions: two good, three refused (bad key, unsupported, bad digest).
    let k1 = rng.bytes(16);
    let k2 = rng.bytes(16);
    let a1 = rng.bytes(32);
    let a2 = rng.bytes(40);
    let chain = |order, dir| {
        SymSessionSetup::chain(
            order,
            CipherSetup {
                algorithm: CipherAlgorithm::AesCbc,
                key: k1.clone(),
                direction: dir,
            },
            HashSetup::new(HashAlgorithm::Sha256, HashMode::Auth, 32).with_auth_key(&a1),
        )
        .appended()
    };
    let s = inst
        .init_sym_session(&chain(
            AlgChainOrder::CipherThenHash,
            CipherDirection::Encrypt,
        ))
        .unwrap();
    let gcm = inst
        .init_sym_session(
            &SymSessionSetup::aead(
                CipherAlgorithm::AesGcm,
                &k1,
                CipherDirection::Encrypt,
                16,
                0,
            )
            .appended(),
        )
        .unwrap();
    expect_status(
        inst.init_sym_session(&SymSessionSetup::cipher(
            CipherAlgorithm::AesCbc,
            &[0; 17],
            CipherDirection::Encrypt,
        )),
        CpaStatus::InvalidParam,
    );
    expect_status(
        inst.init_sym_session(&SymSessionSetup::cipher(
            CipherAlgorithm::Arc4,
            &[0; 16],
            CipherDirection::Encrypt,
        )),
        CpaStatus::Unsupported,
    );
    expect_status(
        inst.init_sym_session(&SymSessionSetup::hash(HashSetup::new(
            HashAlgorithm::Sha256,
            HashMode::Plain,
            33,
        ))),
        CpaStatus::InvalidParam,
    );
    let st = inst.sym_stats();
    assert_eq!(st.num_sessions_initialized, 2);
    assert_eq!(st.num_session_errors, 3);

    // Requests: 3 good, 1 refused by the SAL (no digest room is fine, a
    // missing separate digest is not — use a separate-digest session),
    // 1 refused by the endpoint (not whole blocks), 1 failing verification.
    let iv = rng.bytes(16);
    let pt = rng.bytes(64);
    let mut buf = [&pt[..], &[0u8; 32]].concat();
    inst.perform_in_place(&s, SymOpData::chain(&iv, (0, 64), (0, 64)), &mut buf)
        .unwrap();
    let ct = lc_crypt(LcCipher::Aes, LcMode::Cbc, &k1, &iv, &pt, true);
    assert_eq!(&buf[..64], &ct[..]);
    assert_eq!(&buf[64..], &RefHash::Sha256.hmac(&a1, &ct)[..]);
    let mut gbuf = [&pt[..], &[0u8; 16]].concat();
    inst.perform_in_place(&gcm, SymOpData::cipher(&iv[..12], 0, 64), &mut gbuf)
        .unwrap();
    let sep = inst
        .init_sym_session(&SymSessionSetup::hash(
            HashSetup::new(HashAlgorithm::Sha256, HashMode::Auth, 32).with_auth_key(&a1),
        ))
        .unwrap();
    let mut out = vec![0u8; 64];
    expect_status(
        inst.perform(&sep, SymOpData::hash(0, 64), &pt, &mut out),
        CpaStatus::InvalidParam,
    );
    let mut odd = vec![0u8; 40 + 32];
    expect_status(
        inst.perform_in_place(&s, SymOpData::chain(&iv, (0, 40), (0, 40)), &mut odd),
        CpaStatus::InvalidParam,
    );
    let ver = inst
        .init_sym_session(
            &chain(AlgChainOrder::HashThenCipher, CipherDirection::Decrypt).verifying(),
        )
        .unwrap();
    let mut good = buf.clone();
    let r = inst
        .perform_in_place(&ver, SymOpData::chain(&iv, (0, 64), (0, 64)), &mut good)
        .unwrap();
    assert!(r.verify_ok);
    assert_eq!(&good[..64], &pt[..]);
    let mut bad = buf.clone();
    bad[70] ^= 1;
    let r = inst
        .perform_in_place(&ver, SymOpData::chain(&iv, (0, 64), (0, 64)), &mut bad)
        .unwrap();
    assert!(!r.verify_ok);
    let st = inst.sym_stats();
    assert_eq!(st.num_sessions_initialized, 4);
    assert_eq!(st.num_sym_op_requests, 5, "{st:?}");
    assert_eq!(st.num_sym_op_request_errors, 1, "{st:?}");
    assert_eq!(st.num_sym_op_completed, 4, "{st:?}");
    assert_eq!(st.num_sym_op_completed_errors, 1, "{st:?}");
    assert_eq!(st.num_sym_op_verify_failures, 1, "{st:?}");

    // Update: the cipher key, then the auth key, then the direction.
    inst.update_sym_session(
        &s,
        &SymSessionUpdate {
            cipher_key: Some(k2.clone()),
            ..SymSessionUpdate::default()
        },
    )
    .unwrap();
    let mut b2 = [&pt[..], &[0u8; 32]].concat();
    inst.perform_in_place(&s, SymOpData::chain(&iv, (0, 64), (0, 64)), &mut b2)
        .unwrap();
    let ct2 = lc_crypt(LcCipher::Aes, LcMode::Cbc, &k2, &iv, &pt, true);
    assert_eq!(&b2[..64], &ct2[..], "the new cipher key");
    assert_eq!(&b2[64..], &RefHash::Sha256.hmac(&a1, &ct2)[..]);
    inst.update_sym_session(
        &s,
        &SymSessionUpdate {
            auth_key: Some(a2.clone()),
            ..SymSessionUpdate::default()
        },
    )
    .unwrap();
    let mut b3 = [&pt[..], &[0u8; 32]].concat();
    inst.perform_in_place(&s, SymOpData::chain(&iv, (0, 64), (0, 64)), &mut b3)
        .unwrap();
    assert_eq!(&b3[..64], &ct2[..]);
    assert_eq!(
        &b3[64..],
        &RefHash::Sha256.hmac(&a2, &ct2)[..],
        "the new auth key"
    );
    // Decrypt with the same session: direction updated (the chain order
    // of a plain chain is the caller's: the digest is over the ciphertext
    // either way, computed after deciphering in CIPHER_THEN_HASH).
    let cbc = inst
        .init_sym_session(&SymSessionSetup::cipher(
            CipherAlgorithm::AesCbc,
            &k2,
            CipherDirection::Encrypt,
        ))
        .unwrap();
    inst.update_sym_session(
        &cbc,
        &SymSessionUpdate {
            cipher_direction: Some(CipherDirection::Decrypt),
            ..SymSessionUpdate::default()
        },
    )
    .unwrap();
    let mut back = ct2.clone();
    inst.perform_in_place(&cbc, SymOpData::cipher(&iv, 0, 64), &mut back)
        .unwrap();
    assert_eq!(back, pt, "the new direction");
    // An authenticated cipher turned around verifies (its chain order
    // follows the direction).
    inst.update_sym_session(
        &gcm,
        &SymSessionUpdate {
            cipher_direction: Some(CipherDirection::Decrypt),
            ..SymSessionUpdate::default()
        },
    )
    .unwrap();
    let mut g = gbuf.clone();
    let r = inst
        .perform_in_place(&gcm, SymOpData::cipher(&iv[..12], 0, 64), &mut g)
        .unwrap();
    assert!(r.verify_ok);
    assert_eq!(&g[..64], &pt[..]);
    g.clone_from(&gbuf);
    g[64] ^= 1;
    let r = inst
        .perform_in_place(&gcm, SymOpData::cipher(&iv[..12], 0, 64), &mut g)
        .unwrap();
    assert!(!r.verify_ok);
    // Updates that do not fit the session are refused and change nothing.
    expect_status(
        inst.update_sym_session(
            &cbc,
            &SymSessionUpdate {
                auth_key: Some(vec![1; 16]),
                ..SymSessionUpdate::default()
            },
        ),
        CpaStatus::InvalidParam,
    );
    expect_status(
        inst.update_sym_session(
            &cbc,
            &SymSessionUpdate {
                cipher_key: Some(vec![1; 15]),
                ..SymSessionUpdate::default()
            },
        ),
        CpaStatus::InvalidParam,
    );
    let mut again = ct2.clone();
    inst.perform_in_place(&cbc, SymOpData::cipher(&iv, 0, 64), &mut again)
        .unwrap();
    assert_eq!(again, pt, "a refused update changed the session");

    // Remove: then refused; removing again is a session error.
    let st0 = inst.sym_stats();
    inst.remove_sym_session(&cbc).unwrap();
    inst.remove_sym_session(&s).unwrap();
    expect_status(
        inst.perform_in_place(&cbc, SymOpData::cipher(&iv, 0, 64), &mut again),
        CpaStatus::InvalidParam,
    );
    expect_status(
        inst.update_sym_session(&s, &SymSessionUpdate::default()),
        CpaStatus::InvalidParam,
    );
    expect_status(inst.remove_sym_session(&s), CpaStatus::InvalidParam);
    // A session of another instance is refused too.
    let other = _qat.cy_instances()[1].clone();
    other.start().unwrap();
    expect_status(
        other.perform_in_place(&gcm, SymOpData::cipher(&iv[..12], 0, 64), &mut g),
        CpaStatus::InvalidParam,
    );
    let st = inst.sym_stats();
    assert_eq!(st.num_sessions_removed - st0.num_sessions_removed, 2);
    assert_eq!(st.num_session_errors - st0.num_session_errors, 1);
    assert_eq!(
        st.num_sym_op_request_errors - st0.num_sym_op_request_errors,
        1
    );
    assert_eq!(st.num_sym_op_requests, st0.num_sym_op_requests);
    assert_eq!(other.sym_stats().num_sym_op_request_errors, 1);
}

#[test]
fn partial_packets_asynchronously_and_interleaved_sequences() {
    let (_qat, inst) = cy_start("SYMASYNC_PARTIAL");
    let mut rng = Rng(0x9a27_a5c0_0000_0001);
    let key = rng.bytes(16);
    let iv = rng.bytes(16);
    let data = rng.bytes(16 * 40);
    let want = lc_crypt(LcCipher::Aes, LcMode::Cbc, &key, &iv, &data, true);
    let setup = SymSessionSetup::cipher(CipherAlgorithm::AesCbc, &key, CipherDirection::Encrypt);
    let done: Done = Arc::default();
    let s = collecting(&inst, &setup, &done);
    let part = |a: usize, b: usize, packet| {
        let mut r = SymRequest::with_iv(&iv).cipher(0, (b - a) as u32);
        r.packet = Some(packet);
        (r, SymData::Flat(dma(&data[a..b])))
    };
    use softqat_sal::sym::PacketType;
    // Every part is submitted at once: the session keeps them in order and
    // sends each when the one before it completes (as qatlib does).
    let (r, src) = part(0, 160, PacketType::Partial);
    inst.submit(&s, r, src, None, 0).unwrap();
    let (r, src) = part(160, 320, PacketType::Partial);
    inst.submit(&s, r, src, None, 1).unwrap();
    assert!(s.in_use(), "queued parts count as in flight");
    // Out of place is refused outright.
    let (r, src) = part(160, 320, PacketType::Partial);
    let rej2 = inst
        .submit(&s, r, src, Some(SymData::Flat(DmaBuf::new(160))), 1)
        .expect_err("out-of-place partial");
    assert_eq!(rej2.error.status, CpaStatus::InvalidParam, "{}", rej2.error);
    let (r, src) = part(320, data.len(), PacketType::LastPartial);
    inst.submit(&s, r, src, None, 2).unwrap();
    // A session with queued parts is in use: remove is RETRY.
    assert_eq!(
        inst.remove_sym_session(&s).unwrap_err().status,
        CpaStatus::Retry
    );
    poll_cy_until(&inst, Duration::from_secs(10), || {
        done.lock().unwrap().len() == 3
    });
    assert!(!s.in_use());
    let tags: Vec<u64> = done.lock().unwrap().iter().map(|c| c.tag).collect();
    assert_eq!(tags, [0, 1, 2], "the parts complete in order");
    let got = std::mem::take(&mut *done.lock().unwrap());
    let out: Vec<u8> = got.iter().flat_map(|c| bytes_of(&c.src)).collect();
    assert_eq!(out, want, "asynchronous partials equal the one-shot result");
    assert_eq!(got[0].results.updated_iv(), &want[144..160]);
    let st = inst.sym_stats();
    assert_eq!(
        (st.num_sym_op_requests, st.num_sym_op_request_errors),
        (3, 1)
    );

    // Two sessions of the same setup, their sequences interleaved packet by
    // packet (hash-only SHA-256 and CBC): each equals its one-shot result.
    let hs = HashSetup::new(HashAlgorithm::Sha256, HashMode::Plain, 32);
    let h1 = inst
        .init_sym_session(&SymSessionSetup::hash(hs.clone()))
        .unwrap();
    let h2 = inst.init_sym_session(&SymSessionSetup::hash(hs)).unwrap();
    let c1 = inst.init_sym_session(&setup).unwrap();
    let c2 = inst.init_sym_session(&setup).unwrap();
    let (m1, m2) = (rng.bytes(64 * 9 + 7), rng.bytes(64 * 8 + 63));
    let (mut d1, mut d2) = ([0u8; 32], [0u8; 32]);
    let (mut o1, mut o2) = (Vec::new(), Vec::new());
    let (iv1, iv2) = (rng.bytes(16), rng.bytes(16));
    let ends = |m: &[u8]| [0, 128, 320, 448, m.len()];
    for j in 0..4 {
        let packet = if j == 3 {
            PacketType::LastPartial
        } else {
            PacketType::Partial
        };
        for (s, m, d) in [(&h1, &m1, &mut d1), (&h2, &m2, &mut d2)] {
            let (a, b) = (ends(m)[j], ends(m)[j + 1]);
            let mut pkt = m[a..b].to_vec();
            let op = SymOpData::hash(0, (b - a) as u32).packet(packet).digest(d);
            inst.perform_in_place(s, op, &mut pkt).unwrap();
        }
        for (s, m, o, iv) in [(&c1, &m1, &mut o1, &iv1), (&c2, &m2, &mut o2, &iv2)] {
            let b = (ends(m)[j + 1] / 16 * 16).max(ends(m)[j]);
            let mut pkt = m[ends(m)[j]..b].to_vec();
            let op = SymOpData::cipher(iv, 0, pkt.len() as u32).packet(packet);
            inst.perform_in_place(s, op, &mut pkt).unwrap();
            o.extend_from_slice(&pkt);
        }
    }
    assert_eq!(d1.to_vec(), RefHash::Sha256.digest(&m1));
    assert_eq!(d2.to_vec(), RefHash::Sha256.digest(&m2));
    let n1 = o1.len();
    let n2 = o2.len();
    assert_eq!(
        o1,
        lc_crypt(LcCipher::Aes, LcMode::Cbc, &key, &iv1, &m1[..n1], true)
    );
    assert_eq!(
        o2,
        lc_crypt(LcCipher::Aes, LcMode::Cbc, &key, &iv2, &m2[..n2], true)
    );
}

/// Queued partial packets get through a full ring: the next part waits in
/// its session, and a poll sends it once the ring has room.
#[test]
fn queued_partials_wait_for_room_on_a_full_ring() {
    let dir = TempDir::with_files(
        "symring64p",
        &[(
            "4xxx_dev0.conf",
            &cy_endpoint_conf("sym", "SYMRINGP", &[1], 64),
        )],
    );
    let qat = Qat::start_with("SYMRINGP", &dir.options(1)).unwrap();
    let inst = cy0(&qat);
    let key = [4u8; 16];
    let iv = [5u8; 16];
    let data: Vec<u8> = (0..16 * 30).map(|i| (i * 7) as u8).collect();
    let want = lc_crypt(LcCipher::Aes, LcMode::Cbc, &key, &iv, &data, true);
    let setup = SymSessionSetup::cipher(CipherAlgorithm::AesCbc, &key, CipherDirection::Encrypt);
    let done: Done = Arc::default();
    let s = collecting(&inst, &setup, &done);
    let filler = collecting(&inst, &setup, &done);
    use softqat_sal::sym::PacketType;
    let parts = [
        (0, 160, PacketType::Partial),
        (160, 320, PacketType::Partial),
        (320, 480, PacketType::LastPartial),
    ];
    for (k, (a, b, packet)) in parts.iter().enumerate() {
        let mut r = SymRequest::with_iv(&iv).cipher(0, (b - a) as u32);
        r.packet = Some(*packet);
        inst.submit(&s, r, SymData::Flat(dma(&data[*a..*b])), None, k as u64)
            .unwrap();
    }
    // Fill the rest of the ring with whole packets of another session.
    let mut n = 0u64;
    loop {
        let src = SymData::Flat(DmaBuf::from_slice(&[1u8; 32]));
        match inst.submit(
            &filler,
            SymRequest::with_iv(&iv).cipher(0, 32),
            src,
            None,
            100 + n,
        ) {
            Ok(()) => n += 1,
            Err(rej) => {
                assert_eq!(rej.error.status, CpaStatus::Retry);
                break;
            }
        }
    }
    assert_eq!(
        n, 63,
        "one slot holds the first part, the others wait in the session"
    );
    poll_cy_until(&inst, Duration::from_secs(10), || {
        done.lock().unwrap().len() as u64 == 3 + n
    });
    let got = std::mem::take(&mut *done.lock().unwrap());
    let mine: Vec<&SymCompletion> = got.iter().filter(|c| c.tag < 3).collect();
    assert_eq!(mine.iter().map(|c| c.tag).collect::<Vec<_>>(), [0, 1, 2]);
    let out: Vec<u8> = mine.iter().flat_map(|c| bytes_of(&c.src)).collect();
    assert_eq!(out, want, "the queued parts continue the chain");
    assert!(!s.in_use() && !filler.in_use());
}
