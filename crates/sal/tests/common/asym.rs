//! Helpers of the public-key tests: hex, a started crypto instance with the
#![allow(dead_code)]
//! asym service, requests run synchronously, primes found with the service's
//! own prime test, and the P-256 known answers of RFC 6979 A.2.5.

use softqat_sal::{AsymOp, CpaStatus, CyInstance, Qat};

/// Bytes from hex digits; whitespace is ignored.
pub fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Crypto instance 0 of the section, which must run the public-key service,
/// started.
pub fn cy_asym(qat: &Qat) -> CyInstance {
    let inst = qat.cy_instances()[0].clone();
    assert!(inst.has_asym());
    inst.start().unwrap();
    inst
}

/// Runs `op` synchronously: the op (outputs filled) and its outcome, or the
/// error's status.
pub fn run(
    inst: &CyInstance,
    op: softqat_sal::Result<AsymOp>,
) -> (AsymOp, Result<bool, CpaStatus>) {
    let mut op = op.unwrap();
    let r = inst.asym_perform(&mut op).map(|r| r.outcome);
    (op, r.map_err(|e| e.status))
}

/// Runs `op` synchronously, which must succeed: the op and its outcome.
pub fn run_ok(inst: &CyInstance, op: softqat_sal::Result<AsymOp>) -> (AsymOp, bool) {
    let (op, r) = run(inst, op);
    (op, r.unwrap())
}

/// The 1024-bit prime of the Oakley group 2 (RFC 2409 §6.2).
pub const OAKLEY2: &str = "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 29024E08 8A67CC74
    020BBEA6 3B139B22 514A0879 8E3404DD EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
    E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED EE386BFB 5A899FA5 AE9F2411 7C4B1FE6
    49286651 ECE65381 FFFFFFFF FFFFFFFF";

/// A random-looking odd 1024-bit number with the top bit set, from `seed`.
pub fn odd_1024(seed: u64) -> Vec<u8> {
    let mut x = seed;
    let mut v: Vec<u8> = (0..128)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect();
    v[0] |= 0x80;
    v[127] |= 1;
    v
}

/// Adds 2 to a big-endian number.
pub fn plus_two(v: &mut [u8]) {
    let mut carry = 2u16;
    for b in v.iter_mut().rev() {
        let s = u16::from(*b) + carry;
        *b = s as u8;
        carry = s >> 8;
        if carry == 0 {
            break;
        }
    }
}

/// The next probable prime at or above an odd `start`, found with the
/// service's prime test (GCD, then 8 Miller-Rabin rounds), and how many
/// candidates it tested.
pub fn next_prime(inst: &CyInstance, mut c: Vec<u8>) -> (Vec<u8>, u64) {
    // Witnesses 2 < a < c - 1: small numbers in slots of the candidate's
    // length.
    let mut witnesses = Vec::new();
    for w in [3u8, 5, 7, 11, 13, 17, 19, 23] {
        let mut slot = vec![0u8; c.len()];
        slot[c.len() - 1] = w;
        witnesses.extend(slot);
    }
    for tries in 1..=5000 {
        let (_, prime) = run_ok(
            inst,
            AsymOp::prime_test(&c, true, false, 8, &witnesses, false),
        );
        if prime {
            return (c, tries);
        }
        plus_two(&mut c);
    }
    panic!("no prime found");
}

/// RFC 6979 A.2.5 (P-256): the key, its public point, k, the SHA-256
/// digest of "sample" and the signature (r, s).
pub mod rfc6979_p256 {
    pub const D: &str = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
    pub const UX: &str = "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6";
    pub const UY: &str = "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299";
    pub const K: &str = "A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60";
    pub const H: &str = "AF2BDBE1AA9B6EC1E2ADE1D694F41FC71A831D0268E9891562113D8A62ADD1BF";
    pub const R: &str = "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716";
    pub const S: &str = "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8";
}

/// NIST P-256 (FIPS 186-4 D.1.2.3): p, a, b, n, Gx, Gy.
pub fn p256() -> [Vec<u8>; 6] {
    [
        "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
        "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC",
        "5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B",
        "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551",
        "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296",
        "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5",
    ]
    .map(hex)
}
