//! The public-key and key-generation calls (`cpa_cy_rsa.h`, `cpa_cy_dh.h`,
//! `cpa_cy_dsa.h`, `cpa_cy_ec.h`, `cpa_cy_ecdh.h`, `cpa_cy_ecdsa.h`,
//! `cpa_cy_ecsm2.h`, `cpa_cy_ln.h`, `cpa_cy_prime.h`, `cpa_cy_key.h`), one
//! module per header, and what they share: reading the C op data, placing
//! results in the caller's buffers, and the synchronous and asynchronous
//! paths.
//!
//! Every call converts its op data into one [`AsymOp`] (the SAL copies the
//! numbers into the request's DMA buffer), runs it on the instance's asym
//! ring and copies the outputs into the caller's `CpaFlatBuffer`s:
//! - numbers are big-endian and right-aligned, as qatlib places them: the
//!   caller's buffer must hold at least the operation's size (the modulus
//!   length for RSA, DH and LN, q for DSA signatures, n for ECDSA, the field
//!   for EC points, 32 bytes for SM2, 32 or 64 for Curve25519/448 and
//!   Ed25519/448), bytes before the result are zeroed and `dataLenInBytes`
//!   is left as the caller set it;
//! - generated key material (`cpaCyKeyGen*`) is written from the start of
//!   the buffer, which must hold the generated length; the rest is left
//!   untouched.
//!
//! A NULL callback makes the call synchronous: it returns when the request
//! has completed, with its outputs and its status flag (`pVerifyStatus`,
//! `pMultiplyStatus`, `pProtocolStatus`, `pTestPassed`, ...) written, whether
//! or not anyone polls. With a callback the request is submitted and the
//! callback runs inside `icp_sal_CyPollInstance` / `icp_sal_CyPollAsymRing`
//! after the outputs are written, with the tag, the status, the op data and
//! the outputs exactly as the header's callback type declares; the status
//! flag goes to the callback (the pointer is checked, as qatlib does, but
//! not written).
//!
//! # Cost
//! The SAL's [`AsymOp`] owns its DMA buffer (one allocation per request, and
//! the numbers are copied in and out): public-key requests take microseconds
//! to milliseconds, so this is noise. An asynchronous request adds one small
//! allocation, a [`Request`] holding the caller's output pointers, which the
//! SAL hands back as the request's tag; no lock is taken beyond the instance
//! slot's uncontended read that every instance call shares.

use std::ffi::c_void;
use std::sync::{Arc, OnceLock};

use softqat_sal::asym::EcFieldType;
use softqat_sal::{AsymCallback, AsymCompletion, AsymOp, CyInstance};

use crate::abi::asym::{
    CpaCyFlagOneCbFunc, CpaCyFlagTwoCbFunc, CpaCyRsaKeyGenOpData, CpaCyRsaPrivateKey,
    CpaCyRsaPublicKey, CpaCyVerifyCbFunc,
};
use crate::abi::{CpaFlatBuffer, CpaInstanceHandle};
use crate::ffi::{arg, boolean, CpaBoolean, CpaStatus, Error, Result, Status};
use crate::runtime::with_instance;

pub mod dh;
pub mod dsa;
pub mod ec;
pub mod ecdh;
pub mod ecdsa;
pub mod ecsm2;
pub mod key;
pub mod ln;
pub mod prime;
pub mod rsa;

/// Most caller buffers one call writes (RSA key generation: the public
/// modulus, n and d of representation 1, dP, dQ and qInv).
const MAX_OUTS: usize = 6;

/// How a result goes into the caller's buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// A big-endian number, right-aligned, leading bytes zeroed.
    Number,
    /// Bytes from the start of the buffer.
    Bytes,
}

/// One output: the SAL output `from` goes into the caller's `buf`.
#[derive(Clone, Copy, Debug)]
struct Out {
    buf: *mut CpaFlatBuffer,
    from: u8,
    place: Place,
}

/// The C callback of an asynchronous request, by the shape of its type.
#[derive(Clone, Copy)]
pub enum Callback {
    /// `CpaCyGenFlatBufCbFunc`: `(tag, status, pOpData, pOut)`.
    FlatBuf(
        unsafe extern "C" fn(*mut c_void, Status, *mut c_void, *mut CpaFlatBuffer),
        *mut CpaFlatBuffer,
    ),
    /// `CpaCyRsaKeyGenCbFunc`: `(tag, status, pOpData, pPrivateKey,
    /// pPublicKey)`.
    RsaKeyGen(
        unsafe extern "C" fn(
            *mut c_void,
            Status,
            *mut c_void,
            *mut CpaCyRsaPrivateKey,
            *mut CpaCyRsaPublicKey,
        ),
        *mut CpaCyRsaPrivateKey,
        *mut CpaCyRsaPublicKey,
    ),
    /// A flag and one output (`CpaCyDsaGenCbFunc`, `CpaCyEcdsaGenSignCbFunc`).
    FlagOne(
        unsafe extern "C" fn(*mut c_void, Status, *mut c_void, CpaBoolean, *mut CpaFlatBuffer),
        *mut CpaFlatBuffer,
    ),
    /// A flag and two outputs (`CpaCyDsaRSSignCbFunc`,
    /// `CpaCyEcPointMultiplyCbFunc`, `CpaCyEcdsaSignRSCbFunc`, ...).
    FlagTwo(
        unsafe extern "C" fn(
            *mut c_void,
            Status,
            *mut c_void,
            CpaBoolean,
            *mut CpaFlatBuffer,
            *mut CpaFlatBuffer,
        ),
        *mut CpaFlatBuffer,
        *mut CpaFlatBuffer,
    ),
    /// The outcome only (`CpaCyDsaVerifyCbFunc`, `CpaCyPrimeTestCbFunc`, ...).
    Verify(unsafe extern "C" fn(*mut c_void, Status, *mut c_void, CpaBoolean)),
}

impl Callback {
    /// A `CpaCyGenFlatBufCbFunc` callback, `out` its output argument.
    pub fn flat(
        cb: Option<unsafe extern "C" fn(*mut c_void, Status, *mut c_void, *mut CpaFlatBuffer)>,
        out: *mut CpaFlatBuffer,
    ) -> Option<Callback> {
        cb.map(|f| Callback::FlatBuf(f, out))
    }

    /// A callback with a flag and one output.
    pub fn one(cb: CpaCyFlagOneCbFunc, out: *mut CpaFlatBuffer) -> Option<Callback> {
        cb.map(|f| Callback::FlagOne(f, out))
    }

    /// A callback with a flag and two outputs.
    pub fn two(
        cb: CpaCyFlagTwoCbFunc,
        a: *mut CpaFlatBuffer,
        b: *mut CpaFlatBuffer,
    ) -> Option<Callback> {
        cb.map(|f| Callback::FlagTwo(f, a, b))
    }

    /// A callback with the outcome only.
    pub fn verify(cb: CpaCyVerifyCbFunc) -> Option<Callback> {
        cb.map(Callback::Verify)
    }
}

/// What RSA key generation copies from its op data into the caller's keys
/// after the computed numbers (e, p, q, the version and representation).
#[derive(Clone, Copy)]
struct RsaKeyGenPost {
    op: *const CpaCyRsaKeyGenOpData,
    private: *mut CpaCyRsaPrivateKey,
    public: *mut CpaCyRsaPublicKey,
}

/// Where one call's results go: the caller's output buffers, its status
/// flag and (asynchronous) its callback. Kept by the SAL as the request's
/// tag until the completion.
pub struct Request {
    outs: [Out; MAX_OUTS],
    n_outs: usize,
    flag: *mut CpaBoolean,
    rsa_key_gen: Option<RsaKeyGenPost>,
    callback: Option<Callback>,
    tag: *mut c_void,
    op_data: *mut c_void,
}

impl Request {
    /// A request with no outputs yet; `op_data` is what the callback gets
    /// back as `pOpData`.
    pub fn new<T>(op_data: *const T) -> Request {
        Request {
            outs: [Out {
                buf: std::ptr::null_mut(),
                from: 0,
                place: Place::Number,
            }; MAX_OUTS],
            n_outs: 0,
            flag: std::ptr::null_mut(),
            rsa_key_gen: None,
            callback: None,
            tag: std::ptr::null_mut(),
            op_data: op_data as *mut c_void,
        }
    }

    fn push(
        &mut self,
        from: u8,
        buf: *mut CpaFlatBuffer,
        need: usize,
        place: Place,
        what: &str,
    ) -> Result<()> {
        // SAFETY: a non-NULL `buf` is the caller's CpaFlatBuffer (the CPA
        // contract); only its two fields are read here.
        let b = unsafe { buf.as_ref() }
            .ok_or_else(|| Error::invalid(format!("{what} is NULL: pass an output buffer")))?;
        if b.p_data.is_null() {
            return Err(Error::invalid(format!(
                "{what}->pData is NULL: point it at {need} bytes or more"
            )));
        }
        if (b.data_len_in_bytes as usize) < need {
            return Err(Error::invalid(format!(
                "{what}->dataLenInBytes is {}; this operation's result takes {need} bytes: \
                 make the buffer at least that long",
                b.data_len_in_bytes
            )));
        }
        debug_assert!(self.n_outs < MAX_OUTS);
        self.outs[self.n_outs] = Out { buf, from, place };
        self.n_outs += 1;
        Ok(())
    }

    /// Output `from` of the op is a number of up to `need` significant
    /// bytes, written right-aligned into `buf`.
    pub fn number(
        mut self,
        from: u8,
        buf: *mut CpaFlatBuffer,
        need: usize,
        what: &str,
    ) -> Result<Request> {
        self.push(from, buf, need, Place::Number, what)?;
        Ok(self)
    }

    /// Output `from` of the op is `len` bytes written from the start of `buf`.
    pub fn bytes(
        mut self,
        from: u8,
        buf: *mut CpaFlatBuffer,
        len: usize,
        what: &str,
    ) -> Result<Request> {
        self.push(from, buf, len, Place::Bytes, what)?;
        Ok(self)
    }

    /// The synchronous call writes the request's outcome to `flag`, which
    /// must not be NULL (an asynchronous call's callback gets the outcome).
    pub fn flag(mut self, flag: *mut CpaBoolean, what: &str) -> Result<Request> {
        if flag.is_null() {
            return Err(Error::invalid(format!(
                "{what} is NULL: pass a CpaBoolean to receive the result"
            )));
        }
        self.flag = flag;
        Ok(self)
    }

    /// RSA key generation: after the numbers, copy e, p, q and the key's
    /// version and representation from `op` into the caller's keys.
    fn rsa_key_gen(
        mut self,
        op: *const CpaCyRsaKeyGenOpData,
        private: *mut CpaCyRsaPrivateKey,
        public: *mut CpaCyRsaPublicKey,
    ) -> Request {
        self.rsa_key_gen = Some(RsaKeyGenPost {
            op,
            private,
            public,
        });
        self
    }

    /// Copies the completed op's outputs into the caller's buffers.
    ///
    /// # Safety
    /// The output pointers (checked when the request was built) are still
    /// valid: for an asynchronous request, the CPA contract keeps them so
    /// until the callback has run.
    unsafe fn write(&self, op: &AsymOp) -> Result<()> {
        for o in &self.outs[..self.n_outs] {
            // SAFETY: checked non-NULL with a non-NULL pData at build time;
            // the caller's contract keeps them valid.
            let b = unsafe { &*o.buf };
            let dst =
                unsafe { std::slice::from_raw_parts_mut(b.p_data, b.data_len_in_bytes as usize) };
            place(dst, op.output(usize::from(o.from)), o.place)?;
        }
        if let Some(p) = self.rsa_key_gen {
            // SAFETY: as above; checked non-NULL when the request was built.
            unsafe { rsa::finish_key_gen(&*p.op, &mut *p.private, &mut *p.public) }?;
        }
        Ok(())
    }

    /// Calls the C callback with the outcome and the outputs.
    ///
    /// # Safety
    /// The callback and its pointers are the caller's, valid until it runs.
    unsafe fn call_back(&self, cb: Callback, status: Status, outcome: bool) {
        let (tag, op) = (self.tag, self.op_data);
        let flag = boolean(outcome);
        // SAFETY: the program's callback with its own arguments.
        unsafe {
            match cb {
                Callback::FlatBuf(f, out) => f(tag, status, op, out),
                Callback::RsaKeyGen(f, private, public) => f(tag, status, op, private, public),
                Callback::FlagOne(f, out) => f(tag, status, op, flag, out),
                Callback::FlagTwo(f, a, b) => f(tag, status, op, flag, a, b),
                Callback::Verify(f) => f(tag, status, op, flag),
            }
        }
    }
}

/// Places `v` into `dst` as `place` says. A number longer than `dst` fits
/// when its extra leading bytes are zero (a result below a modulus written
/// with leading zero bytes).
fn place(dst: &mut [u8], v: &[u8], place: Place) -> Result<()> {
    match place {
        Place::Bytes => {
            let have = dst.len();
            let d = dst
                .get_mut(..v.len())
                .ok_or_else(|| too_short(v.len(), have))?;
            d.copy_from_slice(v);
        }
        Place::Number if v.len() <= dst.len() => {
            let pad = dst.len() - v.len();
            dst[..pad].fill(0);
            dst[pad..].copy_from_slice(v);
        }
        Place::Number => {
            let extra = v.len() - dst.len();
            if v[..extra].iter().any(|&b| b != 0) {
                return Err(too_short(v.len() - leading_zeros(v), dst.len()));
            }
            dst.copy_from_slice(&v[extra..]);
        }
    }
    Ok(())
}

fn too_short(need: usize, have: usize) -> Error {
    Error::invalid(format!(
        "an output buffer of {have} bytes cannot hold the {need}-byte result"
    ))
}

fn leading_zeros(v: &[u8]) -> usize {
    v.iter().take_while(|&&b| b == 0).count()
}

/// The significant length of a big-endian number: its length without
/// leading zero bytes (qatlib's operation size of a modulus).
pub fn significant(v: &[u8]) -> usize {
    v.len() - leading_zeros(v)
}

/// A number input: a flat buffer with data.
///
/// # Safety
/// A non-NULL `pData` points at `dataLenInBytes` readable bytes that stay
/// valid for the request (the CPA contract).
pub unsafe fn num<'a>(b: &CpaFlatBuffer, what: &str) -> Result<&'a [u8]> {
    if b.p_data.is_null() || b.data_len_in_bytes == 0 {
        return Err(Error::invalid(format!(
            "{what}: pData is NULL or dataLenInBytes is 0: pass the number as big-endian bytes"
        )));
    }
    // SAFETY: the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(b.p_data, b.data_len_in_bytes as usize) })
}

/// An input that may be empty (NULL `pData` with length 0).
///
/// # Safety
/// As [`num`].
pub unsafe fn opt<'a>(b: &CpaFlatBuffer, what: &str) -> Result<&'a [u8]> {
    if b.p_data.is_null() {
        if b.data_len_in_bytes != 0 {
            return Err(Error::invalid(format!(
                "{what}: pData is NULL but dataLenInBytes is {}: pass the bytes or a length of 0",
                b.data_len_in_bytes
            )));
        }
        return Ok(&[]);
    }
    // SAFETY: the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(b.p_data, b.data_len_in_bytes as usize) })
}

/// The op data argument.
///
/// # Safety
/// A non-NULL `p` points at a valid `T` (the CPA contract).
pub unsafe fn op_data<'a, T>(p: *const T, what: &'static str) -> Result<&'a T> {
    // SAFETY: the caller's contract.
    unsafe { arg(p, what) }
}

/// A `CpaCyEcFieldType` value.
pub fn field_type(v: u32, what: &str) -> Result<EcFieldType> {
    EcFieldType::from_cpa(v).ok_or_else(|| {
        Error::invalid(format!(
            "{what} {v} is not a CpaCyEcFieldType: use CPA_CY_EC_FIELD_TYPE_PRIME (1)"
        ))
    })
}

/// The SAL callback of every asynchronous request: the tag is the boxed
/// [`Request`] that [`run`] leaked, taken back here.
fn completion() -> &'static AsymCallback {
    static CB: OnceLock<AsymCallback> = OnceLock::new();
    CB.get_or_init(|| {
        Arc::new(|c: AsymCompletion| {
            // SAFETY: `run` submitted with the address of a leaked
            // Box<Request> as the tag; each completion comes once.
            let req = unsafe { Box::from_raw(c.tag as usize as *mut Request) };
            let mut status = c.results.status;
            if status == CpaStatus::Success {
                // SAFETY: the caller's outputs, valid until its callback.
                if let Err(e) = unsafe { req.write(&c.op) } {
                    crate::ffi::report("asymmetric completion", &e);
                    status = e.status;
                }
            } else if !c.op.reason().is_empty() {
                eprintln!("softqat: {:?}: {}", c.op.function(), c.op.reason());
            }
            if let Some(cb) = req.callback {
                // SAFETY: the caller's callback and pointers.
                unsafe { req.call_back(cb, status.code(), c.results.outcome) };
            }
        })
    })
}

/// Runs `op` on the instance `handle` names: synchronously (no callback),
/// writing the outputs and the flag before returning, or asynchronously,
/// the callback getting them inside a poll.
///
/// # Safety
/// The pointers `req` holds are the caller's, valid as the CPA API requires
/// (for an asynchronous request, until its callback has run).
pub unsafe fn run(
    handle: CpaInstanceHandle,
    mut req: Request,
    op: Result<AsymOp>,
    callback: Option<Callback>,
    tag: *mut c_void,
) -> Result<()> {
    with_instance::<CyInstance, _>(handle, |c| {
        let mut op = op?;
        if let Some(cb) = callback {
            req.callback = Some(cb);
            req.tag = tag;
            // The request's one allocation of ours: the SAL hands it back
            // as the completion's tag.
            let boxed = Box::into_raw(Box::new(req));
            return match c.asym_submit(op, boxed as usize as u64, completion()) {
                Ok(()) => Ok(()),
                Err(rejected) => {
                    // SAFETY: not submitted, so still ours.
                    drop(unsafe { Box::from_raw(boxed) });
                    Err(rejected.error)
                }
            };
        }
        let r = c.asym_perform(&mut op)?;
        // SAFETY: the caller's outputs, valid for the call.
        unsafe { req.write(&op) }?;
        if !req.flag.is_null() {
            // SAFETY: checked non-NULL; the caller's CpaBoolean.
            unsafe { *req.flag = boolean(r.outcome) };
        }
        Ok(())
    })
}
