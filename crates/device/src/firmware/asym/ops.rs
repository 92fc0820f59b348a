//! Each public-key function's numbers handed to its engine primitive, in
//! the order [`AsymFunction::signature`] lists them. The request's shape
//! (how many numbers) was checked before: indexing within the signature's
//! counts cannot fail.

use softqat_cpa::sym::HashAlgorithm as CpaHash;
use softqat_engine::asym::keygen::{self, HkdfLabel, HkdfOp, PrfInput, SslOp, Tls13Suite, TlsOp};
use softqat_engine::asym::montedwds::{self, MontEdwdsCurve};
use softqat_engine::asym::{dh, dsa, ln, prime, rsa, AsymError};
use softqat_engine::sym::hash::HashAlgorithm;

use super::{FirmwareError, Numbers, Outcome};
use crate::desc::{
    AsymFunction, ASYM_HKDF_LABEL_HEADER, ASYM_PRIME_FERMAT, ASYM_PRIME_GCD, ASYM_PRIME_LUCAS,
    ASYM_RSA_KEY_REP1_ONLY,
};
use crate::firmware::sym::engine_hash;

fn bad(what: &'static str) -> AsymError {
    AsymError::InvalidParam(what)
}

/// The engine's hash for a CPA hash algorithm value.
fn hash(v: u32) -> Result<HashAlgorithm, AsymError> {
    u8::try_from(v)
        .ok()
        .and_then(CpaHash::from_value)
        .and_then(engine_hash)
        .ok_or(bad("unknown hash algorithm"))
}

/// Most HKDF labels one request carries (qatlib's limit).
const MAX_LABELS: usize = keygen::HKDF_LABEL_COUNT_MAX;

/// The labels of a TLS 1.3 key generation, from their wire form.
fn hkdf_labels<'a>(
    mut blob: &'a [u8],
    out: &mut [HkdfLabel<'a>; MAX_LABELS],
) -> Result<usize, AsymError> {
    let mut n = 0;
    while !blob.is_empty() {
        let (head, rest) = blob
            .split_at_checked(ASYM_HKDF_LABEL_HEADER)
            .ok_or(bad("an HKDF label entry is cut short"))?;
        let (label, rest) = rest
            .split_at_checked(usize::from(head[1]))
            .ok_or(bad("an HKDF label entry is cut short"))?;
        let slot = out.get_mut(n).ok_or(bad("more than 4 HKDF labels"))?;
        *slot = HkdfLabel {
            label,
            sublabels: head[0],
        };
        n += 1;
        blob = rest;
    }
    Ok(n)
}

fn prf<'a>(i: &[&'a [u8]], out: &[u8]) -> PrfInput<'a> {
    PrfInput {
        secret: i[0],
        seed: i[1],
        user_label: i[2],
        generated_len: out.len(),
    }
}

/// Runs function `f` on the request's numbers.
pub(super) fn run(f: AsymFunction, n: &mut Numbers<'_, '_>) -> Outcome {
    use AsymFunction::*;
    let i = n.inputs;
    let args = n.args;
    let out = &mut *n.outputs;
    match f {
        RsaEncrypt => rsa::encrypt(i[0], i[1], i[2], out[0]).map(|()| true),
        RsaDecrypt => rsa::decrypt(i[0], i[1], i[2], out[0]).map(|()| true),
        RsaDecryptCrt => {
            rsa::decrypt_crt(i[0], i[1], i[2], i[3], i[4], i[5], out[0]).map(|()| true)
        }
        RsaKeyGen => {
            let [n_out, d, dp, dq, qinv] = out else {
                return Err(FirmwareError::Shape);
            };
            let crt =
                (args[0] & ASYM_RSA_KEY_REP1_ONLY == 0).then_some(rsa::CrtOut { dp, dq, qinv });
            let mut key = rsa::KeyGenOut { n: n_out, d, crt };
            rsa::keygen(i[0], i[1], i[2], &mut key).map(|()| true)
        }
        LnModExp => ln::mod_exp(i[0], i[1], i[2], out[0]).map(|()| true),
        LnModInv => ln::mod_inv(i[0], i[1], out[0]).map(|()| true),
        PrimeTest => prime::prime_test(
            i[0],
            args[0] & ASYM_PRIME_GCD != 0,
            args[0] & ASYM_PRIME_FERMAT != 0,
            args[1],
            i[1],
            args[0] & ASYM_PRIME_LUCAS != 0,
        ),
        DhPhase1 => dh::phase1(i[0], i[1], i[2], out[0]).map(|()| true),
        DhPhase2 => dh::phase2(i[0], i[1], i[2], out[0]).map(|()| true),
        DsaGenP => dsa::gen_p(i[0], i[1], out[0]),
        DsaGenG => dsa::gen_g(i[0], i[1], i[2], out[0]),
        DsaGenY => dsa::gen_y(i[0], i[1], i[2], out[0]).map(|()| true),
        DsaSignR => dsa::sign_r(i[0], i[1], i[2], i[3], out[0]),
        DsaSignS => dsa::sign_s(i[0], i[1], i[2], i[3], i[4], out[0]),
        DsaSignRS => {
            let [r, s] = out else {
                return Err(FirmwareError::Shape);
            };
            dsa::sign_rs(i[0], i[1], i[2], i[3], i[4], i[5], r, s)
        }
        DsaVerify => dsa::verify(i[0], i[1], i[2], i[3], i[4], i[5], i[6]),
        EcMontEdwdsPointMultiply => {
            let curve = MontEdwdsCurve::from_cpa(args[0])
                .ok_or(bad("unknown Montgomery/Edwards curve type"))?;
            let [x, y] = out else {
                return Err(FirmwareError::Shape);
            };
            montedwds::point_multiply(curve, args[1] != 0, i[0], i[1], i[2], x, y).map(|()| true)
        }
        KeyGenSsl => {
            let op = SslOp::from_cpa(args[0]).ok_or(bad("unknown SSL key generation op"))?;
            keygen::ssl_key_gen(op, &prf(i, out[0]), out[0]).map(|()| true)
        }
        KeyGenTls => {
            let op = TlsOp::from_cpa(args[0]).ok_or(bad("unknown TLS key generation op"))?;
            keygen::tls_prf_v1(op, &prf(i, out[0]), out[0]).map(|()| true)
        }
        KeyGenTls2 => {
            let op = TlsOp::from_cpa(args[0]).ok_or(bad("unknown TLS key generation op"))?;
            let h = hash(args[1])?;
            keygen::tls_prf_v2(op, h, &prf(i, out[0]), out[0]).map(|()| true)
        }
        KeyGenTls3 => {
            let op = HkdfOp::from_cpa(args[0]).ok_or(bad("unknown HKDF operation"))?;
            let suite =
                Tls13Suite::from_cpa(args[1]).ok_or(bad("unknown TLS 1.3 cipher suite"))?;
            let mut labels = [HkdfLabel {
                label: &[],
                sublabels: 0,
            }; MAX_LABELS];
            let n = hkdf_labels(i[3], &mut labels)?;
            let input = keygen::HkdfInput {
                secret: i[0],
                seed: i[1],
                info: i[2],
                labels: &labels[..n],
            };
            keygen::hkdf_tls3(op, suite, &input, out[0]).map(|_| true)
        }
        KeyGenMgf => keygen::mgf1(HashAlgorithm::Sha1, i[0], out[0].len(), out[0]).map(|()| true),
        KeyGenMgfExt => {
            keygen::mgf1(hash(args[0])?, i[0], out[0].len(), out[0]).map(|()| true)
        }
        _ => return Err(FirmwareError::Unsupported),
    }
    .map_err(FirmwareError::from)
}
