//! The public-key service through the whole stack (SAL, the asym ring,
//! firmware, engine) on the built-in endpoints: request shapes, the
//! synchronous and asynchronous paths, polling of both ring pairs, and the
//! refusals.

#[path = "common/asym.rs"]
mod asym_common;
mod common;

use std::sync::{Arc, Mutex};

use asym_common::{hex, next_prime, odd_1024, run_ok as perform, OAKLEY2};

use softqat_sal::{AsymCallback, AsymFunction, AsymOp, CpaStatus, CyInstance, Qat, RsaPrivateKey};

fn cy(qat: &Qat) -> CyInstance {
    let inst = qat
        .cy_instances()
        .iter()
        .find(|c| c.has_asym())
        .cloned()
        .expect("a crypto instance with a public-key ring pair");
    inst.start().unwrap();
    inst
}

#[test]
fn a_request_of_the_wrong_shape_is_refused_before_it_is_sent() {
    let e = AsymOp::new(AsymFunction::LnModExp, &[&[1], &[2]], &[1], [0; 4]).unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam);
    assert!(e.to_string().contains("takes 3 input"), "{e}");
    let e = AsymOp::new(AsymFunction::LnModInv, &[&[1], &[0; 65_537]], &[1], [0; 4]).unwrap_err();
    assert_eq!(e.status, CpaStatus::InvalidParam);
}

#[test]
fn every_crypto_instance_of_the_default_endpoints_has_both_halves() {
    let qat = Qat::start("ASYM_HALVES").unwrap();
    let all = qat.cy_instances();
    assert!(!all.is_empty());
    assert!(all.iter().all(CyInstance::has_asym));
}

#[test]
fn asynchronous_requests_complete_from_the_instance_poll() {
    let qat = Qat::start("ASYM_ASYNC").unwrap();
    let inst = cy(&qat);
    let done: Arc<Mutex<Vec<(u64, CpaStatus)>>> = Arc::default();
    let d = done.clone();
    let cb: AsymCallback = Arc::new(move |c| d.lock().unwrap().push((c.tag, c.results.status)));
    for tag in 0..4u64 {
        let op = AsymOp::new(AsymFunction::LnModInv, &[&[3], &[7]], &[1], [0; 4]).unwrap();
        inst.asym_submit(op, tag, &cb).unwrap();
    }
    let start = std::time::Instant::now();
    while done.lock().unwrap().len() < 4 {
        let _ = inst.poll(0);
        assert!(start.elapsed().as_secs() < 10, "no completion");
    }
    let mut tags: Vec<u64> = done.lock().unwrap().iter().map(|d| d.0).collect();
    tags.sort_unstable();
    assert_eq!(tags, [0, 1, 2, 3]);
    assert_eq!(inst.in_flight(), 0);
    inst.stop().unwrap();
}

#[test]
fn rsa_2048_key_generation_encryption_and_both_decryptions_agree() {
    let qat = Qat::start("ASYM_RSA").unwrap();
    let inst = cy(&qat);
    let p = hex(OAKLEY2);
    let (q, _) = next_prime(&inst, odd_1024(7));
    let e = [1u8, 0, 1];
    let (key, _) = perform(&inst, AsymOp::rsa_keygen(&p, &q, &e, false));
    let [n, d, dp, dq, qinv] = [0, 1, 2, 3, 4].map(|i| key.output(i).to_vec());
    assert_eq!(n.len(), 256);
    let mut m = odd_1024(99);
    m.extend(odd_1024(100));
    m[0] = 0x12; // below n
    let (c, _) = perform(&inst, AsymOp::rsa_encrypt(&n, &e, &m));
    assert_ne!(c.output(0), &m[..]);
    let rep1 = RsaPrivateKey::Rep1 { n: &n, d: &d };
    let rep2 = RsaPrivateKey::Rep2 {
        p: &p,
        q: &q,
        dp: &dp,
        dq: &dq,
        qinv: &qinv,
    };
    for key in [rep1, rep2] {
        let (back, _) = perform(&inst, AsymOp::rsa_decrypt(&key, c.output(0)));
        assert_eq!(back.output(0), &m[..], "{key:?}");
    }
    // The same request asynchronously.
    let got: Arc<Mutex<Option<Vec<u8>>>> = Arc::default();
    let g = got.clone();
    let cb: AsymCallback = Arc::new(move |done| {
        assert_eq!(done.results.status, CpaStatus::Success);
        *g.lock().unwrap() = Some(done.op.output(0).to_vec());
    });
    inst.asym_submit(AsymOp::rsa_decrypt(&rep2, c.output(0)).unwrap(), 1, &cb)
        .unwrap();
    while got.lock().unwrap().is_none() {
        let _ = inst.poll(0);
    }
    assert_eq!(got.lock().unwrap().as_deref(), Some(&m[..]));
    // An input not below the modulus is refused, and counted.
    let before = inst.asym_stats(AsymFunction::RsaEncrypt).unwrap();
    let mut big = AsymOp::rsa_encrypt(&n, &e, &vec![0xff; 256]).unwrap();
    let err = inst.asym_perform(&mut big).unwrap_err();
    assert_eq!(err.status, CpaStatus::InvalidParam);
    assert!(err.to_string().contains("less than the modulus"), "{err}");
    let after = inst.asym_stats(AsymFunction::RsaEncrypt).unwrap();
    assert_eq!(after.completed_errors, before.completed_errors + 1);
}

#[test]
fn ln_and_prime_known_answers() {
    let qat = Qat::start("ASYM_LN").unwrap();
    let inst = cy(&qat);
    // 4^13 mod 497 = 445; 3⁻¹ mod 11 = 4.
    let (r, _) = perform(&inst, AsymOp::ln_mod_exp(&[1, 0xf1], &[4], &[13]));
    assert_eq!(r.output(0), &[1, 0xbd]);
    let (r, _) = perform(&inst, AsymOp::ln_mod_inv(&[3], &[11]));
    assert_eq!(r.output(0), &[4]);
    // No inverse: FAIL.
    let mut none = AsymOp::ln_mod_inv(&[6], &[9]).unwrap();
    let e = inst.asym_perform(&mut none).unwrap_err();
    assert_eq!(e.status, CpaStatus::Fail);
    assert!(e.to_string().contains("inverse"), "{e}");
    assert!(none.reason().contains("inverse"));
    // The Oakley prime passes; 2047 = 23 * 89 (a strong pseudoprime to
    // base 2) fails with witness 3.
    let p = hex(OAKLEY2);
    let mut w = vec![0u8; 128];
    w[127] = 3;
    let (_, prime) = perform(&inst, AsymOp::prime_test(&p, true, true, 1, &w, true));
    assert!(prime);
    let (_, prime) = perform(
        &inst,
        AsymOp::prime_test(&[0x07, 0xff], false, false, 1, &w[64..], false),
    );
    assert!(!prime);
}

#[test]
fn an_endpoint_without_sym_gives_public_key_only_crypto_instances() {
    let dir = common::TempDir::with_files(
        "asymonly",
        &[(
            "4xxx_dev0.conf",
            &common::cy_endpoint_conf("asym;dc", "ASYMONLY", &[1, 2], 64),
        )],
    );
    let qat = Qat::start_with("ASYMONLY", &dir.options(1)).unwrap();
    let all = qat.cy_instances();
    assert_eq!(all.len(), 2);
    for inst in all {
        assert!(inst.has_asym() && !inst.has_sym());
        let caps = inst.capabilities();
        assert!(caps.rsa_supported && !caps.sym_supported);
        inst.start().unwrap();
        // Symmetric sessions are refused, saying why.
        let e = inst
            .init_sym_session(&softqat_sal::SymSessionSetup::cipher(
                softqat_sal::sym::CipherAlgorithm::AesCbc,
                &[0; 16],
                softqat_sal::sym::CipherDirection::Encrypt,
            ))
            .unwrap_err();
        assert_eq!(e.status, CpaStatus::Unsupported);
        assert!(e.to_string().contains("ServicesEnabled"), "{e}");
        // Public-key requests work, synchronously and asynchronously.
        let (r, _) = perform(inst, AsymOp::ln_mod_exp(&[1, 0xf1], &[4], &[13]));
        assert_eq!(r.output(0), &[1, 0xbd]);
        let got: Arc<Mutex<Option<Vec<u8>>>> = Arc::default();
        let g = got.clone();
        let cb: AsymCallback =
            Arc::new(move |c| *g.lock().unwrap() = Some(c.op.output(0).to_vec()));
        inst.asym_submit(AsymOp::ln_mod_inv(&[3], &[11]).unwrap(), 9, &cb)
            .unwrap();
        let start = std::time::Instant::now();
        while got.lock().unwrap().is_none() {
            if inst.poll(0).is_err() {
                inst.wait_for_response(std::time::Duration::from_millis(5));
            }
            assert!(start.elapsed().as_secs() < 10);
        }
        assert_eq!(got.lock().unwrap().as_deref(), Some(&[4u8][..]));
        inst.stop().unwrap();
    }
}

/// Waits for `fd` to be readable, up to `ms` milliseconds.
fn readable(fd: std::os::fd::RawFd, ms: i32) -> bool {
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one live pollfd.
    let n = unsafe { libc::poll(&mut pfd, 1, ms) };
    n > 0 && pfd.revents & libc::POLLIN != 0
}

#[test]
fn epoll_and_waiting_take_in_the_asym_ring_pair() {
    let dir = common::TempDir::with_files(
        "asymepoll",
        &[(
            "4xxx_dev0.conf",
            &common::cy_endpoint_conf("sym;asym", "ASYMEPOLL", &[2, 1], 64),
        )],
    );
    let qat = Qat::start_with("ASYMEPOLL", &dir.options(1)).unwrap();
    let all = qat.cy_instances();
    let (epoll_inst, polled_inst) = (&all[0], &all[1]);
    for inst in all {
        assert!(inst.has_sym() && inst.has_asym());
        inst.start().unwrap();
    }
    let done: Arc<Mutex<u32>> = Arc::default();
    let d = done.clone();
    let cb: AsymCallback = Arc::new(move |c| {
        assert_eq!(c.results.status, CpaStatus::Success);
        *d.lock().unwrap() += 1;
    });
    // Epoll mode: the instance's one descriptor turns readable when a
    // public-key response waits, and stops being readable once polled.
    let fd = epoll_inst.file_descriptor().unwrap();
    assert!(!readable(fd, 0));
    epoll_inst
        .asym_submit(AsymOp::ln_mod_inv(&[3], &[11]).unwrap(), 1, &cb)
        .unwrap();
    assert!(readable(fd, 10_000), "no readiness for an asym response");
    epoll_inst.poll(0).unwrap();
    assert_eq!(*done.lock().unwrap(), 1);
    assert!(!readable(fd, 0));
    epoll_inst.put_file_descriptor().unwrap();
    // Polled mode: waiting for a response wakes for the asym ring too.
    polled_inst
        .asym_submit(AsymOp::ln_mod_inv(&[3], &[11]).unwrap(), 2, &cb)
        .unwrap();
    let start = std::time::Instant::now();
    assert!(polled_inst.wait_for_response(std::time::Duration::from_secs(10)));
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    polled_inst.poll(0).unwrap();
    assert_eq!(*done.lock().unwrap(), 2);
}
