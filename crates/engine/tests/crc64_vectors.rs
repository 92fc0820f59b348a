//! The programmable CRC64 of the integrity CRCs (`CpaCrcControlData`):
//! known answers for every CRC-64 of the RevEng catalogue
//! (`tests/data/crc64_catalogue.txt`, CRC-64/ECMA-182 being QAT's default),
//! and a differential test against the `crc` crate on random parameters —
//! reflection in and out chosen independently, as `CpaCrcControlData`
//! allows — and random inputs cut into random pieces.

use softqat_engine::checksum::{Crc64, Crc64Params};

const CHECK: &[u8] = b"123456789";

struct Entry {
    name: String,
    params: Crc64Params,
    check: u64,
}

fn catalogue() -> Vec<Entry> {
    let hex = |s: &str| u64::from_str_radix(s, 16).unwrap();
    let flag = |s: &str| match s {
        "true" => true,
        "false" => false,
        other => panic!("bad flag {other}"),
    };
    include_str!("data/crc64_catalogue.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(f.len(), 7, "{l}");
            Entry {
                name: f[0].to_string(),
                params: Crc64Params {
                    poly: hex(f[1]),
                    init: hex(f[2]),
                    reflect_in: flag(f[3]),
                    reflect_out: flag(f[4]),
                    xor_out: hex(f[5]),
                },
                check: hex(f[6]),
            }
        })
        .collect()
}

#[test]
fn catalogue_check_values() {
    let entries = catalogue();
    assert_eq!(entries.len(), 7);
    for e in &entries {
        let c = Crc64::with_params(e.params);
        assert_eq!(c.checksum(CHECK), e.check, "{}", e.name);
        // One byte at a time through the streaming calls.
        let reg = CHECK.iter().fold(c.start(), |r, b| c.update(r, &[*b]));
        assert_eq!(c.finish(reg), e.check, "{} streamed", e.name);
    }
    let ecma = entries
        .iter()
        .find(|e| e.name == "CRC-64/ECMA-182")
        .unwrap();
    assert_eq!(ecma.params, Crc64Params::ECMA_182, "QAT's default");
}

/// The catalogue file agrees with the `crc` crate's own copy of the
/// catalogue wherever both name an algorithm.
#[test]
fn catalogue_file_agrees_with_the_crc_crate() {
    use crc::*;
    let theirs: [(&str, &Algorithm<u64>); 6] = [
        ("CRC-64/ECMA-182", &CRC_64_ECMA_182),
        ("CRC-64/GO-ISO", &CRC_64_GO_ISO),
        ("CRC-64/MS", &CRC_64_MS),
        ("CRC-64/REDIS", &CRC_64_REDIS),
        ("CRC-64/WE", &CRC_64_WE),
        ("CRC-64/XZ", &CRC_64_XZ),
    ];
    let ours = catalogue();
    for (name, a) in theirs {
        let e = ours.iter().find(|e| e.name == name).unwrap();
        assert_eq!(
            (
                e.params.poly,
                e.params.init,
                e.params.reflect_in,
                e.params.reflect_out
            ),
            (a.poly, a.init, a.refin, a.refout),
            "{name}"
        );
        assert_eq!((e.params.xor_out, e.check), (a.xorout, a.check), "{name}");
    }
}

/// xorshift64*: reproducible random numbers without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[test]
fn random_parameters_match_the_crc_crate() {
    let mut rng = Rng(0x5EED_C0DE_0064_0001);
    let mut data = vec![0u8; 5000];
    for round in 0..200 {
        let p = Crc64Params {
            // Any polynomial; an odd one is a proper CRC generator, but the
            // arithmetic is the same for all.
            poly: rng.next() | u64::from(round % 2 == 0),
            init: rng.next(),
            reflect_in: rng.next() & 1 == 1,
            reflect_out: rng.next() & 1 == 1,
            xor_out: rng.next(),
        };
        // `crc` wants a 'static algorithm: leak one per round (200 small
        // structs, test-only).
        let algo: &'static crc::Algorithm<u64> = Box::leak(Box::new(crc::Algorithm {
            width: 64,
            poly: p.poly,
            init: p.init,
            refin: p.reflect_in,
            refout: p.reflect_out,
            xorout: p.xor_out,
            check: 0,
            residue: 0,
        }));
        let theirs = crc::Crc::<u64>::new(algo);
        let ours = Crc64::with_params(p);
        let len = (rng.next() % data.len() as u64) as usize;
        for b in &mut data[..len] {
            *b = rng.next() as u8;
        }
        let input = &data[..len];
        let want = theirs.checksum(input);
        assert_eq!(
            ours.checksum(input),
            want,
            "round {round}: {p:x?}, {len} bytes"
        );
        // The same input in random pieces.
        let mut reg = ours.start();
        let mut at = 0;
        while at < len {
            let n = 1 + (rng.next() % 700) as usize;
            let end = (at + n).min(len);
            reg = ours.update(reg, &input[at..end]);
            at = end;
        }
        assert_eq!(ours.finish(reg), want, "round {round} in pieces");
    }
}
