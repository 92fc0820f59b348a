//! Each public-key function's numbers handed to its engine primitive, in
//! the order [`AsymFunction::signature`] lists them. The request's shape
//! (how many numbers) was checked before: indexing within the signature's
//! counts cannot fail.

use softqat_cpa::sym::HashAlgorithm as CpaHash;
use softqat_engine::asym::ec::{self, CurveType, FieldType};
use softqat_engine::asym::keygen::{self, HkdfLabel, HkdfOp, PrfInput, SslOp, Tls13Suite, TlsOp};
use softqat_engine::asym::montedwds::{self, MontEdwdsCurve};
use softqat_engine::asym::{dh, dsa, ecdsa, ln, prime, rsa, sm2, AsymError};
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

fn field(v: u32) -> Result<FieldType, AsymError> {
    FieldType::from_cpa(v).ok_or(bad("unknown EC field type"))
}

/// The request's `N` outputs (the shape was checked against the function's
/// signature, so a mismatch is only a defensive refusal).
fn outputs<'o, 'a, const N: usize>(
    out: &'o mut [&'a mut [u8]],
) -> Result<&'o mut [&'a mut [u8]; N], FirmwareError> {
    out.try_into().map_err(|_| FirmwareError::Shape)
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
            let [n_out, d, dp, dq, qinv] = outputs(out)?;
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
            let [r, s] = outputs(out)?;
            dsa::sign_rs(i[0], i[1], i[2], i[3], i[4], i[5], r, s)
        }
        DsaVerify => dsa::verify(i[0], i[1], i[2], i[3], i[4], i[5], i[6]),
        EcPointMultiply => {
            let [x, y] = outputs(out)?;
            let op = ec::PointMultiply {
                k: i[0],
                xg: i[1],
                yg: i[2],
                a: i[3],
                b: i[4],
                q: i[5],
                h: i[6],
                field_type: field(args[0])?,
            };
            ec::point_multiply(&op, x, y)
        }
        EcPointVerify => ec::point_verify(&ec::PointVerify {
            xq: i[0],
            yq: i[1],
            q: i[2],
            a: i[3],
            b: i[4],
            field_type: field(args[0])?,
        }),
        EcGenericPointMultiply | EcGenericPointVerify => {
            // Multiply: k, x, y, then the curve; verify: x, y, then the
            // curve.
            let (point, c) = match f {
                EcGenericPointMultiply => (&i[1..3], &i[3..7]),
                _ => (&i[0..2], &i[2..6]),
            };
            let curve = ec::Curve {
                curve_type: CurveType::from_cpa(args[0]).ok_or(bad("unknown EC curve type"))?,
                parameters: ec::WeierstrassParameters {
                    field_type: field(args[1])?,
                    p: c[0],
                    a: c[1],
                    b: c[2],
                    h: c[3],
                },
            };
            if f == EcGenericPointVerify {
                return ec::generic_point_verify(&ec::GenericPointVerify {
                    xp: point[0],
                    yp: point[1],
                    curve: &curve,
                })
                .map_err(FirmwareError::from);
            }
            let [x, y] = outputs(out)?;
            let op = ec::GenericPointMultiply {
                k: i[0],
                xp: point[0],
                yp: point[1],
                curve: &curve,
                generator: args[2] != 0,
            };
            ec::generic_point_multiply(&op, x, y)
        }
        EcdsaSignR => {
            let op = ecdsa::SignR {
                xg: i[0],
                yg: i[1],
                n: i[2],
                q: i[3],
                a: i[4],
                b: i[5],
                k: i[6],
                field_type: field(args[0])?,
            };
            ecdsa::sign_r(&op, out[0])
        }
        EcdsaSignS => {
            let op = ecdsa::SignS {
                m: i[0],
                d: i[1],
                r: i[2],
                k: i[3],
                n: i[4],
                field_type: field(args[0])?,
            };
            ecdsa::sign_s(&op, out[0])
        }
        EcdsaSignRS => {
            let [r, s] = outputs(out)?;
            let op = ecdsa::SignRs {
                xg: i[0],
                yg: i[1],
                n: i[2],
                q: i[3],
                a: i[4],
                b: i[5],
                k: i[6],
                m: i[7],
                d: i[8],
                field_type: field(args[0])?,
            };
            ecdsa::sign_rs(&op, r, s)
        }
        EcdsaVerify => ecdsa::verify(&ecdsa::Verify {
            xg: i[0],
            yg: i[1],
            n: i[2],
            q: i[3],
            a: i[4],
            b: i[5],
            m: i[6],
            r: i[7],
            s: i[8],
            xp: i[9],
            yp: i[10],
            field_type: field(args[0])?,
        }),
        EcdhPointMultiply => {
            let [x, y] = outputs(out)?;
            let op = ec::EcdhPointMultiply {
                k: i[0],
                xg: i[1],
                yg: i[2],
                a: i[3],
                b: i[4],
                q: i[5],
                h: i[6],
                field_type: field(args[0])?,
                point_verify: args[1] != 0,
            };
            ec::ecdh_point_multiply(&op, x, y)
        }
        Sm2PointMultiply => {
            let [x, y] = outputs(out)?;
            let op = sm2::PointMultiply {
                k: i[0],
                x: i[1],
                y: i[2],
                field_type: field(args[0])?,
            };
            sm2::point_multiply(&op, x, y)
        }
        Sm2GeneratorMultiply => {
            let [x, y] = outputs(out)?;
            let op = sm2::GeneratorMultiply {
                k: i[0],
                field_type: field(args[0])?,
            };
            sm2::generator_multiply(&op, x, y)
        }
        Sm2PointVerify => sm2::point_verify(&sm2::PointVerify {
            x: i[0],
            y: i[1],
            field_type: field(args[0])?,
        }),
        Sm2Sign => {
            let [r, s] = outputs(out)?;
            let op = sm2::Sign {
                k: i[0],
                e: i[1],
                d: i[2],
                field_type: field(args[0])?,
            };
            sm2::sign(&op, r, s)
        }
        Sm2Verify => sm2::verify(&sm2::Verify {
            e: i[0],
            r: i[1],
            s: i[2],
            xp: i[3],
            yp: i[4],
            field_type: field(args[0])?,
        }),
        Sm2Encrypt => {
            let [x1, y1, x2, y2] = outputs(out)?;
            let op = sm2::Encrypt {
                k: i[0],
                xp: i[1],
                yp: i[2],
                field_type: field(args[0])?,
            };
            sm2::encrypt(&op, &mut sm2::EncryptOutput { x1, y1, x2, y2 }).map(|()| true)
        }
        Sm2Decrypt => {
            let [x2, y2] = outputs(out)?;
            let op = sm2::Decrypt {
                d: i[0],
                x1: i[1],
                y1: i[2],
                field_type: field(args[0])?,
            };
            sm2::decrypt(&op, &mut sm2::DecryptOutput { x2, y2 }).map(|()| true)
        }
        Sm2KeyExPhase1 => {
            let [x, y] = outputs(out)?;
            let op = sm2::KeyExPhase1 {
                r: i[0],
                field_type: field(args[0])?,
            };
            sm2::key_exchange_phase1(&op, &mut sm2::KeyExOutput { x, y }).map(|()| true)
        }
        Sm2KeyExPhase2 => {
            let [x, y] = outputs(out)?;
            let op = sm2::KeyExPhase2 {
                r: i[0],
                d: i[1],
                x1: i[2],
                x2: i[3],
                y2: i[4],
                xp: i[5],
                yp: i[6],
                field_type: field(args[0])?,
            };
            sm2::key_exchange_phase2(&op, &mut sm2::KeyExOutput { x, y }).map(|()| true)
        }
        EcMontEdwdsPointMultiply => {
            let curve = MontEdwdsCurve::from_cpa(args[0])
                .ok_or(bad("unknown Montgomery/Edwards curve type"))?;
            let [x, y] = outputs(out)?;
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
            let suite = Tls13Suite::from_cpa(args[1]).ok_or(bad("unknown TLS 1.3 cipher suite"))?;
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
        KeyGenMgfExt => keygen::mgf1(hash(args[0])?, i[0], out[0].len(), out[0]).map(|()| true),
    }
    .map_err(FirmwareError::from)
}
