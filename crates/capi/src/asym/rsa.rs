//! `cpa_cy_rsa.h`: RSA key generation from the caller's primes, encryption
//! and decryption (both private key representations), statistics.

use std::ffi::c_void;

use softqat_sal::{AsymOp, CyInstance, RsaPrivateKey};

use super::{num, op_data, place, run, significant, Callback, Place, Request};
use crate::abi::asym::{
    CpaCyGenFlatBufCbFunc, CpaCyRsaDecryptOpData, CpaCyRsaDpaOpData, CpaCyRsaEncryptOpData,
    CpaCyRsaKeyGenCbFunc, CpaCyRsaKeyGenOpData, CpaCyRsaPrivateKey, CpaCyRsaPublicKey,
    CpaCyRsaStats, CpaCyRsaStats64, CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_1,
    CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_2, CPA_CY_RSA_VERSION_TWO_PRIME,
};
use crate::abi::{CpaFlatBuffer, CpaInstanceHandle};
use crate::ffi::{arg_mut, entry, Error, Result, Status};
use crate::runtime::with_instance;

fn check_version(v: u32, what: &str) -> Result<()> {
    if v != CPA_CY_RSA_VERSION_TWO_PRIME {
        return Err(Error::invalid(format!(
            "{what} {v} is not a CpaCyRsaVersion: use CPA_CY_RSA_VERSION_TWO_PRIME (1)"
        )));
    }
    Ok(())
}

fn check_rep(v: u32, what: &str) -> Result<bool> {
    match v {
        CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_1 => Ok(false),
        CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_2 => Ok(true),
        _ => Err(Error::invalid(format!(
            "{what} {v} is not a CpaCyRsaPrivateKeyRepType: use \
             CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_1 (1) or _2 (2)"
        ))),
    }
}

/// Checks an output buffer that [`finish_key_gen`] fills from the op data.
fn check_copy(b: &CpaFlatBuffer, need: usize, what: &str) -> Result<()> {
    if b.p_data.is_null() || (b.data_len_in_bytes as usize) < need {
        return Err(Error::invalid(format!(
            "{what}: pData is NULL or dataLenInBytes is below {need}: it receives a copy of the \
             op data's number"
        )));
    }
    Ok(())
}

/// What key generation copies after the computed numbers: e into the
/// public key, p and q into representation 2, the version and
/// representation into the private key.
///
/// # Safety
/// The buffers were checked when the request was built and are the
/// caller's, still valid.
pub(super) unsafe fn finish_key_gen(
    op: &CpaCyRsaKeyGenOpData,
    private: &mut CpaCyRsaPrivateKey,
    public: &mut CpaCyRsaPublicKey,
) -> Result<()> {
    let copy = |dst: &CpaFlatBuffer, src: &CpaFlatBuffer| -> Result<()> {
        // SAFETY: checked and valid (the function's contract).
        let (d, s) = unsafe {
            (
                std::slice::from_raw_parts_mut(dst.p_data, dst.data_len_in_bytes as usize),
                num(src, "keygen input")?,
            )
        };
        // The same memory needs no copy (a caller may pass e's buffer).
        if d.as_ptr() != s.as_ptr() {
            place(d, s, Place::Number)?;
        }
        Ok(())
    };
    copy(&public.public_exponent_e, &op.public_exponent_e)?;
    private.version = op.version;
    private.private_key_rep_type = op.private_key_rep_type;
    if op.private_key_rep_type == CPA_CY_RSA_PRIVATE_KEY_REP_TYPE_2 {
        copy(&private.private_key_rep2.prime1_p, &op.prime1_p)?;
        copy(&private.private_key_rep2.prime2_q, &op.prime2_q)?;
    }
    Ok(())
}

/// `cpaCyRsaGenKey(instanceHandle, pRsaKeyGenCb, pCallbackTag,
/// pKeyGenOpData, pPrivateKey, pPublicKey)`: n, d (and dP, dQ, qInv for
/// representation 2) from the caller's primes p, q and exponent e; e, p
/// and q are copied into the keys. `modulusLenInBytes` must be the byte
/// length of p plus that of q.
///
/// # Safety
/// CPA contract: valid pointers; for an asynchronous call they stay valid
/// until the callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaCyRsaGenKey(
    handle: CpaInstanceHandle,
    cb: CpaCyRsaKeyGenCbFunc,
    tag: *mut c_void,
    op: *const CpaCyRsaKeyGenOpData,
    private: *mut CpaCyRsaPrivateKey,
    public: *mut CpaCyRsaPublicKey,
) -> Status {
    entry("cpaCyRsaGenKey", || {
        // SAFETY: the caller's contract, for every pointer below.
        let d = unsafe { op_data(op, "pKeyGenOpData is NULL") }?;
        let (p, q, e) = unsafe {
            (
                num(&d.prime1_p, "pKeyGenOpData->prime1P")?,
                num(&d.prime2_q, "pKeyGenOpData->prime2Q")?,
                num(&d.public_exponent_e, "pKeyGenOpData->publicExponentE")?,
            )
        };
        check_version(d.version, "pKeyGenOpData->version")?;
        let rep2 = check_rep(d.private_key_rep_type, "pKeyGenOpData->privateKeyRepType")?;
        let modulus = d.modulus_len_in_bytes as usize;
        let half = significant(p).max(significant(q));
        if modulus == 0 || modulus != significant(p) + significant(q) {
            return Err(Error::invalid(format!(
                "pKeyGenOpData->modulusLenInBytes is {modulus}; the primes give a {}-byte \
                 modulus: pass that length",
                significant(p) + significant(q)
            )));
        }
        let prv = unsafe { arg_mut(private, "pPrivateKey is NULL") }?;
        let pb = unsafe { arg_mut(public, "pPublicKey is NULL") }?;
        check_copy(
            &pb.public_exponent_e,
            significant(e),
            "pPublicKey->publicExponentE",
        )?;
        let mut req =
            Request::new(op).number(0, &mut pb.modulus_n, modulus, "pPublicKey->modulusN")?;
        let r1 = &mut prv.private_key_rep1;
        // Representation 1 is required for a type-1 key; a type-2 key fills
        // it when the caller gave it buffers.
        if !rep2 || !r1.modulus_n.p_data.is_null() {
            req = req.number(
                0,
                &mut r1.modulus_n,
                modulus,
                "pPrivateKey->privateKeyRep1.modulusN",
            )?;
        }
        if !rep2 || !r1.private_exponent_d.p_data.is_null() {
            req = req.number(
                1,
                &mut r1.private_exponent_d,
                modulus,
                "pPrivateKey->privateKeyRep1.privateExponentD",
            )?;
        }
        if rep2 {
            let r2 = &mut prv.private_key_rep2;
            check_copy(
                &r2.prime1_p,
                significant(p),
                "pPrivateKey->privateKeyRep2.prime1P",
            )?;
            check_copy(
                &r2.prime2_q,
                significant(q),
                "pPrivateKey->privateKeyRep2.prime2Q",
            )?;
            req = req
                .number(
                    2,
                    &mut r2.exponent1_dp,
                    half,
                    "pPrivateKey->privateKeyRep2.exponent1Dp",
                )?
                .number(
                    3,
                    &mut r2.exponent2_dq,
                    half,
                    "pPrivateKey->privateKeyRep2.exponent2Dq",
                )?
                .number(
                    4,
                    &mut r2.coefficient_q_inv,
                    half,
                    "pPrivateKey->privateKeyRep2.coefficientQInv",
                )?;
        }
        let req = req.rsa_key_gen(op, private, public);
        let op = AsymOp::rsa_keygen(p, q, e, !rep2);
        let cb = cb.map(|f| Callback::RsaKeyGen(f, private, public));
        unsafe { run(handle, req, op, cb, tag) }
    })
}

/// `cpaCyRsaEncrypt(instanceHandle, pRsaEncryptCb, pCallbackTag,
/// pEncryptOpData, pOutputData)`: `m^e mod n`.
///
/// # Safety
/// As `cpaCyRsaGenKey`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyRsaEncrypt(
    handle: CpaInstanceHandle,
    cb: CpaCyGenFlatBufCbFunc,
    tag: *mut c_void,
    op: *const CpaCyRsaEncryptOpData,
    out: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyRsaEncrypt", || {
        // SAFETY: the caller's contract.
        let d = unsafe { op_data(op, "pEncryptOpData is NULL") }?;
        let key = unsafe { op_data(d.p_public_key, "pEncryptOpData->pPublicKey is NULL") }?;
        let (n, e, m) = unsafe {
            (
                num(&key.modulus_n, "pPublicKey->modulusN")?,
                num(&key.public_exponent_e, "pPublicKey->publicExponentE")?,
                num(&d.input_data, "pEncryptOpData->inputData")?,
            )
        };
        let req = Request::new(op).number(0, out, significant(n), "pOutputData")?;
        unsafe {
            run(
                handle,
                req,
                AsymOp::rsa_encrypt(n, e, m),
                Callback::flat(cb, out),
                tag,
            )
        }
    })
}

/// The decryption shared by `cpaCyRsaDecrypt` and `cpaCyRsaDpaDecrypt`.
///
/// # Safety
/// As `cpaCyRsaGenKey`.
unsafe fn decrypt(
    handle: CpaInstanceHandle,
    cb: CpaCyGenFlatBufCbFunc,
    tag: *mut c_void,
    op: *const CpaCyRsaDecryptOpData,
    out: *mut CpaFlatBuffer,
) -> Result<()> {
    // SAFETY: the caller's contract.
    let d = unsafe { op_data(op, "pDecryptOpData is NULL") }?;
    let key = unsafe {
        op_data(
            d.p_recipient_private_key,
            "pDecryptOpData->pRecipientPrivateKey is NULL",
        )
    }?;
    check_version(key.version, "pRecipientPrivateKey->version")?;
    let c = unsafe { num(&d.input_data, "pDecryptOpData->inputData") }?;
    let (k, need) = if check_rep(
        key.private_key_rep_type,
        "pRecipientPrivateKey->privateKeyRepType",
    )? {
        let r = &key.private_key_rep2;
        // SAFETY: the caller's contract.
        let (p, q) = unsafe {
            (
                num(&r.prime1_p, "privateKeyRep2.prime1P")?,
                num(&r.prime2_q, "privateKeyRep2.prime2Q")?,
            )
        };
        let need = significant(p) + significant(q);
        // SAFETY: the caller's contract.
        let k = unsafe {
            RsaPrivateKey::Rep2 {
                p,
                q,
                dp: num(&r.exponent1_dp, "privateKeyRep2.exponent1Dp")?,
                dq: num(&r.exponent2_dq, "privateKeyRep2.exponent2Dq")?,
                qinv: num(&r.coefficient_q_inv, "privateKeyRep2.coefficientQInv")?,
            }
        };
        (k, need)
    } else {
        let r = &key.private_key_rep1;
        // SAFETY: the caller's contract.
        let (n, dd) = unsafe {
            (
                num(&r.modulus_n, "privateKeyRep1.modulusN")?,
                num(&r.private_exponent_d, "privateKeyRep1.privateExponentD")?,
            )
        };
        (RsaPrivateKey::Rep1 { n, d: dd }, significant(n))
    };
    let req = Request::new(op).number(0, out, need, "pOutputData")?;
    // SAFETY: the caller's contract.
    unsafe {
        run(
            handle,
            req,
            AsymOp::rsa_decrypt(&k, c),
            Callback::flat(cb, out),
            tag,
        )
    }
}

/// `cpaCyRsaDecrypt(instanceHandle, pRsaDecryptCb, pCallbackTag,
/// pDecryptOpData, pOutputData)`: `c^d mod n` with either representation.
///
/// # Safety
/// As `cpaCyRsaGenKey`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyRsaDecrypt(
    handle: CpaInstanceHandle,
    cb: CpaCyGenFlatBufCbFunc,
    tag: *mut c_void,
    op: *const CpaCyRsaDecryptOpData,
    out: *mut CpaFlatBuffer,
) -> Status {
    // SAFETY: the caller's contract.
    entry("cpaCyRsaDecrypt", || unsafe {
        decrypt(handle, cb, tag, op, out)
    })
}

/// `cpaCyRsaDpaDecrypt(..., pDecryptOpData, pDpaOpData, pOutputData)`: the
/// same result as `cpaCyRsaDecrypt`. softqat's engine computes in software
/// with constant-time arithmetic; the blinding inputs (p, q, e, random or
/// `createRandomData`) are checked as qatlib checks them and not otherwise
/// needed.
///
/// # Safety
/// As `cpaCyRsaGenKey`.
#[no_mangle]
pub unsafe extern "C" fn cpaCyRsaDpaDecrypt(
    handle: CpaInstanceHandle,
    cb: CpaCyGenFlatBufCbFunc,
    tag: *mut c_void,
    op: *const CpaCyRsaDecryptOpData,
    dpa: *const CpaCyRsaDpaOpData,
    out: *mut CpaFlatBuffer,
) -> Status {
    entry("cpaCyRsaDpaDecrypt", || {
        // SAFETY: the caller's contract.
        let x = unsafe { op_data(dpa, "pDpaOpData is NULL") }?;
        if x.create_random_data == 0 && x.p_random.is_null() {
            return Err(Error::invalid(
                "pDpaOpData->pRandom is NULL and createRandomData is CPA_FALSE: pass random \
                 bytes or set createRandomData",
            ));
        }
        // SAFETY: the caller's contract.
        unsafe { decrypt(handle, cb, tag, op, out) }
    })
}

/// `cpaCyRsaQueryStats64(instanceHandle, pRsaStats)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyRsaQueryStats64(
    handle: CpaInstanceHandle,
    out: *mut CpaCyRsaStats64,
) -> Status {
    entry("cpaCyRsaQueryStats64", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pRsaStats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.rsa_stats())?).into();
        Ok(())
    })
}

/// `cpaCyRsaQueryStats(instanceHandle, pRsaStats)` (deprecated, 32-bit).
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyRsaQueryStats(
    handle: CpaInstanceHandle,
    out: *mut CpaCyRsaStats,
) -> Status {
    entry("cpaCyRsaQueryStats", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pRsaStats is NULL") }?;
        *out = (&with_instance::<CyInstance, _>(handle, |c| c.rsa_stats())?).into();
        Ok(())
    })
}
