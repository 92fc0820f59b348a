//! The public-key service through the whole stack (SAL, the asym ring,
//! firmware, engine) on the built-in endpoints: request shapes, the
//! synchronous and asynchronous paths, polling of both ring pairs, and the
//! refusals.

use std::sync::{Arc, Mutex};

use softqat_sal::{AsymCallback, AsymFunction, AsymOp, CpaStatus, CyInstance, Qat};

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
    let e = AsymOp::new(AsymFunction::LnModInv, &[&[1], &[0; 1025]], &[1], [0; 4]).unwrap_err();
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
