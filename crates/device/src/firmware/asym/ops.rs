//! Each public-key function's numbers handed to its engine primitive, in
//! the order [`AsymFunction::signature`] lists them. The request's shape
//! (how many numbers) was checked before: indexing within the signature's
//! counts cannot fail.

use softqat_engine::asym::{dh, dsa, ln, prime, rsa};

use super::{FirmwareError, Numbers, Outcome};
use crate::desc::{
    AsymFunction, ASYM_PRIME_FERMAT, ASYM_PRIME_GCD, ASYM_PRIME_LUCAS, ASYM_RSA_KEY_REP1_ONLY,
};

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
        _ => return Err(FirmwareError::Unsupported),
    }
    .map_err(FirmwareError::from)
}
