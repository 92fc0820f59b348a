//! The public-key service and key generation (`cpaCyRsa*`, `cpaCyLn*`,
//! `cpaCyPrime*`, `cpaCyDh*`, `cpaCyDsa*`, `cpaCyEc*`, `cpaCyEcdsa*`,
//! `cpaCyEcdh*`, `cpaCyEcsm2*`, `cpaCyKeyGen*`) on a crypto instance's asym
//! ring pair.
//!
//! Every QAT call is one [`AsymOp`]: a function with its input numbers (flat
//! big-endian, as QAT's `CpaFlatBuffer`s hold them) and the sizes of its
//! outputs, laid out in one DMA buffer that goes to the endpoint and comes
//! back with the results. The typed constructors (`AsymOp::rsa_encrypt`, …)
//! size the outputs as the CPA API defines them; [`AsymOp::new`] takes any
//! function with its numbers in the order [`AsymFunction::signature`] lists.
//!
//! ```
//! use softqat_sal::asym::MontEdwdsCurve;
//! use softqat_sal::{AsymOp, Qat};
//!
//! let qat = Qat::start("SSL")?;
//! let cy = &qat.cy_instances()[0];
//! cy.start()?;
//! // cpaCyLnModExp: 4^13 mod 497.
//! let mut op = AsymOp::ln_mod_exp(&[0x01, 0xf1], &[4], &[13])?;
//! cy.asym_perform(&mut op)?; // NULL callback: synchronous
//! assert_eq!(op.output(0), &[0x01, 0xbd]);
//! // cpaCyEcMontEdwdsPointMultiply: [k]G on Curve25519 (x only).
//! let mut x = AsymOp::ec_mont_edwds_point_multiply(
//!     MontEdwdsCurve::Curve25519, true, &[9; 32], &[0; 32], &[0; 32])?;
//! cy.asym_perform(&mut x)?;
//! assert_eq!(x.output(0).len(), 32);
//! # Ok::<(), softqat_sal::Error>(())
//! ```

pub mod instance;
mod ops;
pub mod stats;

pub use ops::{
    nist_curve, sm2, EcCurve, EcCurveType, EcFieldType, EcPointMultiply, EcPointVerify,
    EcdhPointMultiply, EcdsaSignR, EcdsaSignRs, EcdsaSignS, EcdsaVerify, GenericPointMultiply,
    GenericPointVerify, HkdfLabel, HkdfOp, MontEdwdsCurve, NistCurve, NistCurveParams,
    RsaPrivateKey, SslOp, Tls13Suite, TlsOp, WeierstrassParameters, SUBLABEL_FINISHED, SUBLABEL_IV,
    SUBLABEL_KEY, SUBLABEL_RESUMPTION,
};
pub use stats::{
    DhStats, DsaStats, EcStats, EcdhStats, EcdsaStats, KeyGenStats, LnStats, PrimeStats, RsaStats,
    Sm2Stats,
};

use softqat_device::desc::{asym_table_len, ASYM_MAX_NUMBER, ASYM_REASON_LEN};
pub use softqat_device::desc::{AsymFunction, AsymSignature};

use crate::dma::DmaBuf;
use crate::error::{CpaStatus, Error, Result};

/// One public-key request: the function, its numbers in a DMA buffer (the
/// inputs, then room for the outputs), and its small arguments.
pub struct AsymOp {
    pub(crate) function: AsymFunction,
    pub(crate) args: [u32; 4],
    pub(crate) buf: DmaBuf,
    /// Offsets and lengths of the outputs in `buf`.
    outputs: [(u32, u32); MAX_OUTPUTS],
}

/// Most outputs a function has (RSA key generation: n, d, dP, dQ, qInv).
const MAX_OUTPUTS: usize = 5;

impl std::fmt::Debug for AsymOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsymOp")
            .field("function", &self.function)
            .field("args", &self.args)
            .finish()
    }
}

impl AsymOp {
    /// `function` on `inputs`, with outputs of `output_lens` bytes and
    /// small arguments `args`, in the order and meaning of
    /// [`AsymFunction::signature`]. INVALID_PARAM when the counts do not fit
    /// the function or a buffer is longer than 64 KiB.
    pub fn new(
        function: AsymFunction,
        inputs: &[&[u8]],
        output_lens: &[usize],
        args: [u32; 4],
    ) -> Result<AsymOp> {
        let sig = function.signature();
        if inputs.len() != usize::from(sig.inputs) || output_lens.len() != usize::from(sig.outputs)
        {
            return Err(Error::invalid(format!(
                "{function:?} takes {} input and {} output numbers, not {} and {}",
                sig.inputs,
                sig.outputs,
                inputs.len(),
                output_lens.len()
            )));
        }
        let lens = inputs
            .iter()
            .map(|i| i.len())
            .chain(output_lens.iter().copied());
        if let Some(l) = lens.clone().find(|&l| l > ASYM_MAX_NUMBER) {
            return Err(Error::invalid(format!(
                "a buffer of {l} bytes is longer than the {ASYM_MAX_NUMBER} bytes the \
                 public-key service takes"
            )));
        }
        let n = inputs.len() + output_lens.len();
        let table = asym_table_len(n);
        let total = table + lens.clone().sum::<usize>() + ASYM_REASON_LEN;
        let mut buf = DmaBuf::try_new(total)?;
        for (i, l) in lens.enumerate() {
            buf[i * 4..i * 4 + 4].copy_from_slice(&(l as u32).to_le_bytes());
        }
        let mut at = table;
        for i in inputs {
            buf[at..at + i.len()].copy_from_slice(i);
            at += i.len();
        }
        let mut outputs = [(0u32, 0u32); MAX_OUTPUTS];
        for (o, &l) in outputs.iter_mut().zip(output_lens) {
            *o = (at as u32, l as u32);
            at += l;
        }
        Ok(AsymOp {
            function,
            args,
            buf,
            outputs,
        })
    }

    /// The function.
    pub fn function(&self) -> AsymFunction {
        self.function
    }

    /// Output `i` (in the function's order), as the endpoint wrote it after
    /// a successful request; zeros before.
    pub fn output(&self, i: usize) -> &[u8] {
        let outs = usize::from(self.function.signature().outputs);
        match self.outputs.get(i) {
            Some(&(at, len)) if i < outs => &self.buf[at as usize..(at + len) as usize],
            _ => &[],
        }
    }

    /// Why the endpoint refused or failed this request's numbers (the
    /// engine's own words; empty after a success). The synchronous call
    /// puts it in its error; an asynchronous callback reads it here.
    pub fn reason(&self) -> &str {
        let area = &self.buf[self.buf.len() - ASYM_REASON_LEN..];
        let n = area.iter().position(|b| *b == 0).unwrap_or(area.len());
        std::str::from_utf8(&area[..n]).unwrap_or("")
    }

    /// Every output, in order.
    pub fn outputs(&self) -> Vec<&[u8]> {
        (0..usize::from(self.function.signature().outputs))
            .map(|i| self.output(i))
            .collect()
    }
}

/// What a public-key request ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AsymResults {
    /// `CPA_STATUS_SUCCESS`, or why the request failed (INVALID_PARAM for
    /// numbers the operation does not take, FAIL for inputs without a
    /// result, such as a number with no inverse or a signature of r = 0).
    pub status: CpaStatus,
    /// The verify or test outcome (`pVerifyStatus`, `pTestPassed`): true
    /// for the functions without one.
    pub outcome: bool,
}

/// A completed asynchronous public-key request: the op comes back with its
/// outputs.
pub struct AsymCompletion {
    /// The caller's tag (`pCallbackTag`).
    pub tag: u64,
    /// Status and outcome.
    pub results: AsymResults,
    /// The request, its outputs filled on success.
    pub op: AsymOp,
}

/// The callback of asynchronous public-key requests.
pub type AsymCallback = std::sync::Arc<dyn Fn(AsymCompletion) + Send + Sync>;

/// An asynchronous request that was not submitted, with its op.
pub struct AsymRejected {
    /// Why (RETRY for a full ring: poll, then resubmit).
    pub error: Error,
    /// The op, unchanged.
    pub op: AsymOp,
}

impl std::fmt::Debug for AsymRejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AsymRejected({})", self.error)
    }
}

/// `CpaCyCapabilitiesInfo`: the crypto families an instance offers.
/// `drbg`, `nrbg`, `rand` and `kpt` are always false (as on QAT 2.0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct CyCapabilities {
    pub sym_supported: bool,
    pub sym_dp_supported: bool,
    pub dh_supported: bool,
    pub dsa_supported: bool,
    pub rsa_supported: bool,
    pub ec_supported: bool,
    pub ecdh_supported: bool,
    pub ecdsa_supported: bool,
    pub key_supported: bool,
    pub ln_supported: bool,
    pub prime_supported: bool,
    pub drbg_supported: bool,
    pub nrbg_supported: bool,
    pub rand_supported: bool,
    pub kpt_supported: bool,
    pub hkdf_supported: bool,
    pub ext_alg_chain_supported: bool,
    pub ec_ed_mont_supported: bool,
    pub ec_sm2_supported: bool,
}

impl CyCapabilities {
    /// What an instance on an endpoint of `class` offers, with its sym and
    /// asym halves present or not.
    pub fn for_class(class: &softqat_config::DeviceClass, sym: bool, asym: bool) -> CyCapabilities {
        let f = &class.asym;
        let dh_dsa = asym && (!f.dh_dsa_legacy_only || crate::sym::legacy_algorithms_enabled());
        CyCapabilities {
            sym_supported: sym,
            sym_dp_supported: sym,
            dh_supported: dh_dsa,
            dsa_supported: dh_dsa,
            rsa_supported: asym,
            ec_supported: asym,
            ecdh_supported: asym,
            ecdsa_supported: asym,
            key_supported: asym,
            ln_supported: asym,
            prime_supported: asym,
            hkdf_supported: asym && f.hkdf,
            ec_ed_mont_supported: asym && f.ec_ed_mont,
            ec_sm2_supported: asym && f.ec_sm2,
            ..CyCapabilities::default()
        }
    }

    /// Whether `f` is offered.
    pub fn offers(&self, f: AsymFunction) -> bool {
        use AsymFunction::*;
        match f {
            RsaEncrypt | RsaDecrypt | RsaDecryptCrt | RsaKeyGen => self.rsa_supported,
            LnModExp | LnModInv => self.ln_supported,
            PrimeTest => self.prime_supported,
            DhPhase1 | DhPhase2 => self.dh_supported,
            DsaGenP | DsaGenG | DsaGenY | DsaSignR | DsaSignS | DsaSignRS | DsaVerify => {
                self.dsa_supported
            }
            EcPointMultiply | EcPointVerify | EcGenericPointMultiply | EcGenericPointVerify => {
                self.ec_supported
            }
            EcMontEdwdsPointMultiply => self.ec_ed_mont_supported,
            EcdsaSignR | EcdsaSignS | EcdsaSignRS | EcdsaVerify => self.ecdsa_supported,
            EcdhPointMultiply => self.ecdh_supported,
            Sm2PointMultiply | Sm2GeneratorMultiply | Sm2PointVerify | Sm2Sign | Sm2Verify
            | Sm2Encrypt | Sm2Decrypt | Sm2KeyExPhase1 | Sm2KeyExPhase2 => self.ec_sm2_supported,
            KeyGenSsl | KeyGenTls | KeyGenTls2 | KeyGenMgf | KeyGenMgfExt => self.key_supported,
            KeyGenTls3 => self.hkdf_supported,
        }
    }
}
