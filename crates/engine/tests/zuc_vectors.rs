//! ZUC, 128-EEA3 and 128-EIA3: the known answers of `tests/data/wireless/zuc_eea3_eia3.txt`
//! (ETSI/SAGE Document 3; the file names its source), then properties on
//! random inputs: EEA3 round trips, MAC sensitivity to every message bit, the
//! QAT-IV forms against the parameter forms, a bit-by-bit EIA3 written from the
//! specification's definition against the word-level one, and the refusals.

mod common;
use common::hex;

use softqat_engine::wireless::zuc::{eea3, eea3_iv, eia3, eia3_iv, Zuc};
use softqat_engine::wireless::WirelessError;

const DATA: &str = include_str!("data/wireless/zuc_eea3_eia3.txt");

fn hex16(s: &str) -> [u8; 16] {
    hex(s).try_into().expect("16 bytes")
}

fn records(kind: &str) -> Vec<Vec<&'static str>> {
    DATA.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|f| f[0] == kind)
        .collect()
}

struct CipherSet {
    set: u32,
    key: [u8; 16],
    count: u32,
    bearer: u8,
    direction: u8,
    bits: u64,
    iv: [u8; 16],
    input: Vec<u8>,
    output: Vec<u8>,
}

fn sets(kind: &str) -> Vec<CipherSet> {
    records(kind)
        .into_iter()
        .map(|f| {
            assert_eq!(f.len(), 10, "{kind} record has 10 fields: {f:?}");
            CipherSet {
                set: f[1].parse().unwrap(),
                key: hex16(f[2]),
                count: u32::from_str_radix(f[3], 16).unwrap(),
                bearer: u8::from_str_radix(f[4], 16).unwrap(),
                direction: f[5].parse().unwrap(),
                bits: f[6].parse().unwrap(),
                iv: hex16(f[7]),
                input: hex(f[8]),
                output: hex(f[9]),
            }
        })
        .collect()
}

/// A small deterministic generator (SplitMix64) for the random-input tests.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
    fn key(&mut self) -> [u8; 16] {
        self.bytes(16).try_into().unwrap()
    }
}

#[test]
fn keystream_test_sets() {
    let recs = records("keystream");
    assert_eq!(recs.len(), 4, "ZUC keystream test sets 1-4");
    for f in recs {
        let key = hex16(f[1]);
        let iv = hex16(f[2]);
        let wanted: Vec<(usize, u32)> = f[3..]
            .iter()
            .map(|p| {
                let (i, z) = p.split_once(':').unwrap();
                (i.parse().unwrap(), u32::from_str_radix(z, 16).unwrap())
            })
            .collect();
        let last = wanted.iter().map(|w| w.0).max().unwrap();
        let mut zuc = Zuc::new(&key, &iv);
        let stream: Vec<u32> = (0..last).map(|_| zuc.next_word()).collect();
        for (i, z) in wanted {
            assert_eq!(
                stream[i - 1],
                z,
                "key {} iv {}: z{i} {:08x}, expected {z:08x}",
                f[1],
                f[2],
                stream[i - 1]
            );
        }
    }
}

#[test]
fn eea3_test_sets() {
    let all = sets("eea3");
    assert_eq!(
        all.iter().map(|s| s.set).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    assert!(
        all.iter().any(|s| s.bits % 8 != 0),
        "bit lengths not multiples of 8 are covered"
    );
    for s in all {
        // Parameter form: encrypt, then decrypt back.
        let mut buf = s.input.clone();
        eea3(&s.key, s.count, s.bearer, s.direction, &mut buf, s.bits).unwrap();
        assert_eq!(buf, s.output, "EEA3 set {} encrypt", s.set);
        eea3(&s.key, s.count, s.bearer, s.direction, &mut buf, s.bits).unwrap();
        assert_eq!(buf, s.input, "EEA3 set {} decrypt", s.set);
        // QAT IV form with the IV as transcribed (built independently of ours).
        let mut buf = s.input.clone();
        eea3_iv(&s.key, &s.iv, &mut buf, s.bits).unwrap();
        assert_eq!(buf, s.output, "EEA3 set {} with the QAT IV", s.set);
        eea3_iv(&s.key, &s.iv, &mut buf, s.bits).unwrap();
        assert_eq!(buf, s.input, "EEA3 set {} decrypt with the QAT IV", s.set);
        // Longer buffers: nothing past the message changes.
        let mut long = s.input.clone();
        long.extend_from_slice(&[0xA5; 9]);
        eea3(&s.key, s.count, s.bearer, s.direction, &mut long, s.bits).unwrap();
        assert_eq!(&long[..s.output.len()], &s.output[..], "set {}", s.set);
        assert_eq!(
            &long[s.output.len()..],
            &[0xA5; 9],
            "set {}: trailing bytes",
            s.set
        );
    }
}

#[test]
fn eea3_keeps_the_unused_bits_of_the_last_byte() {
    for s in sets("eea3").into_iter().filter(|s| s.bits % 8 != 0) {
        let unused = 0xFFu8 >> (s.bits % 8);
        let mut buf = s.input.clone();
        *buf.last_mut().unwrap() |= unused; // set every bit past LENGTH
        eea3(&s.key, s.count, s.bearer, s.direction, &mut buf, s.bits).unwrap();
        let mut want = s.output.clone();
        *want.last_mut().unwrap() |= unused;
        assert_eq!(buf, want, "EEA3 set {}: bits past LENGTH untouched", s.set);
    }
}

#[test]
fn eia3_test_sets() {
    let all = sets("eia3");
    assert_eq!(
        all.iter().map(|s| s.set).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    assert!(
        all.iter().any(|s| s.bits % 8 != 0),
        "bit lengths not multiples of 8 are covered"
    );
    for s in all {
        let mac = eia3(&s.key, s.count, s.bearer, s.direction, &s.input, s.bits).unwrap();
        assert_eq!(mac.to_vec(), s.output, "EIA3 set {}", s.set);
        let mac = eia3_iv(&s.key, &s.iv, &s.input, s.bits).unwrap();
        assert_eq!(mac.to_vec(), s.output, "EIA3 set {} with the QAT IV", s.set);
        // Bits past LENGTH do not enter the MAC.
        let mut noisy = s.input.clone();
        if s.bits % 8 != 0 {
            *noisy.last_mut().unwrap() ^= 0xFF >> (s.bits % 8);
        }
        noisy.extend_from_slice(&[0xFF; 7]);
        let mac = eia3(&s.key, s.count, s.bearer, s.direction, &noisy, s.bits).unwrap();
        assert_eq!(
            mac.to_vec(),
            s.output,
            "EIA3 set {}: bits past LENGTH ignored",
            s.set
        );
    }
}

#[test]
fn a_flipped_bit_changes_the_mac() {
    for s in sets("eia3") {
        let base = eia3(&s.key, s.count, s.bearer, s.direction, &s.input, s.bits).unwrap();
        // Every message bit for the short sets, a spread of bits for the long ones.
        let step = if s.bits <= 600 { 1 } else { 7 };
        let mut flips = (0..s.bits).step_by(step).collect::<Vec<_>>();
        flips.push(s.bits - 1);
        for bit in flips {
            let mut m = s.input.clone();
            m[(bit / 8) as usize] ^= 0x80 >> (bit % 8);
            let mac = eia3(&s.key, s.count, s.bearer, s.direction, &m, s.bits).unwrap();
            assert_ne!(
                mac, base,
                "EIA3 set {}: flipping bit {bit} left the MAC",
                s.set
            );
        }
        // And so do COUNT, BEARER, DIRECTION and the key.
        let other = [
            eia3(&s.key, s.count ^ 1, s.bearer, s.direction, &s.input, s.bits),
            eia3(&s.key, s.count, s.bearer ^ 1, s.direction, &s.input, s.bits),
            eia3(&s.key, s.count, s.bearer, s.direction ^ 1, &s.input, s.bits),
        ];
        for (i, mac) in other.into_iter().enumerate() {
            assert_ne!(
                mac.unwrap(),
                base,
                "EIA3 set {}: parameter {i} changed",
                s.set
            );
        }
        let mut key = s.key;
        key[15] ^= 1;
        let mac = eia3(&key, s.count, s.bearer, s.direction, &s.input, s.bits).unwrap();
        assert_ne!(mac, base, "EIA3 set {}: key changed", s.set);
    }
}

#[test]
fn eea3_round_trip_on_random_data() {
    let mut rng = Rng(0x2EA3_0001);
    for round in 0..300 {
        let bits = match round {
            0 => 0,
            1 => 1,
            2..=40 => round as u64 * 7,
            _ => rng.below(20_000) + 1,
        };
        let nbytes = bits.div_ceil(8) as usize;
        let extra = rng.below(5) as usize;
        let plain = rng.bytes(nbytes + extra);
        let key = rng.key();
        let (count, bearer, direction) =
            (rng.next() as u32, rng.below(32) as u8, rng.below(2) as u8);
        let mut buf = plain.clone();
        eea3(&key, count, bearer, direction, &mut buf, bits).unwrap();
        if bits >= 64 {
            assert_ne!(buf, plain, "round {round}: {bits} bits unchanged");
        }
        // Only the first `bits` bits differ.
        let rem = (bits % 8) as u32;
        if rem != 0 {
            let unused = 0xFFu8 >> rem;
            assert_eq!(
                buf[nbytes - 1] & unused,
                plain[nbytes - 1] & unused,
                "round {round}"
            );
        }
        assert_eq!(
            &buf[nbytes..],
            &plain[nbytes..],
            "round {round}: bytes past the message"
        );
        // Keystream check against the generator directly, bit by bit.
        let mut zuc = Zuc::new(&key, &eea3_iv_of(count, bearer, direction));
        let ks: Vec<u8> = (0..nbytes.div_ceil(4))
            .flat_map(|_| zuc.next_word().to_be_bytes())
            .collect();
        for i in 0..bits as usize {
            let got = (buf[i / 8] >> (7 - i % 8)) & 1;
            let want = ((plain[i / 8] ^ ks[i / 8]) >> (7 - i % 8)) & 1;
            assert_eq!(got, want, "round {round}: bit {i}");
        }
        eea3(&key, count, bearer, direction, &mut buf, bits).unwrap();
        assert_eq!(buf, plain, "round {round}: {bits} bits did not round-trip");
    }
}

/// The EEA3 IV of Document 1 §3.3, built here independently of the library.
fn eea3_iv_of(count: u32, bearer: u8, direction: u8) -> [u8; 16] {
    let c = count.to_be_bytes();
    let b = (bearer << 3) | (direction << 2);
    [
        c[0], c[1], c[2], c[3], b, 0, 0, 0, c[0], c[1], c[2], c[3], b, 0, 0, 0,
    ]
}

/// The EIA3 IV of Document 1 §4.3, built here independently of the library.
fn eia3_iv_of(count: u32, bearer: u8, direction: u8) -> [u8; 16] {
    let c = count.to_be_bytes();
    let b = bearer << 3;
    let d = direction << 7;
    [
        c[0],
        c[1],
        c[2],
        c[3],
        b,
        0,
        0,
        0,
        c[0] ^ d,
        c[1],
        c[2],
        c[3],
        b,
        0,
        d,
        0,
    ]
}

/// EIA3 exactly as Document 1 §4.4 states it, one bit at a time.
fn eia3_by_the_book(key: &[u8; 16], iv: &[u8; 16], m: &[u8], bits: u64) -> [u8; 4] {
    let l = bits.div_ceil(32) + 2;
    let mut zuc = Zuc::new(key, iv);
    let k: Vec<u32> = (0..l).map(|_| zuc.next_word()).collect();
    let bit = |i: u64| (k[(i / 32) as usize] >> (31 - i % 32)) & 1;
    let z = |i: u64| (0..32).fold(0u32, |acc, j| (acc << 1) | bit(i + j));
    let mut t = 0u32;
    for i in 0..bits {
        if (m[(i / 8) as usize] >> (7 - i % 8)) & 1 == 1 {
            t ^= z(i);
        }
    }
    t ^= z(bits);
    (t ^ z(32 * (l - 1))).to_be_bytes()
}

#[test]
fn eia3_matches_the_bitwise_definition_on_random_data() {
    let mut rng = Rng(0xE1A3_0002);
    for round in 0..400 {
        let bits = if round < 70 {
            round as u64
        } else {
            rng.below(3000)
        };
        let extra = rng.below(3) as usize;
        let m = rng.bytes(bits.div_ceil(8) as usize + extra);
        let key = rng.key();
        let (count, bearer, direction) =
            (rng.next() as u32, rng.below(32) as u8, rng.below(2) as u8);
        let iv = eia3_iv_of(count, bearer, direction);
        let want = eia3_by_the_book(&key, &iv, &m, bits);
        assert_eq!(
            eia3(&key, count, bearer, direction, &m, bits).unwrap(),
            want,
            "round {round}: {bits} bits"
        );
        assert_eq!(
            eia3_iv(&key, &iv, &m, bits).unwrap(),
            want,
            "round {round}: QAT IV form"
        );
    }
}

#[test]
fn iv_forms_agree_with_parameter_forms() {
    let mut rng = Rng(0x1F0A_0003);
    for _ in 0..200 {
        let bits = rng.below(5000);
        let data = rng.bytes(bits.div_ceil(8) as usize);
        let key = rng.key();
        let (count, bearer, direction) =
            (rng.next() as u32, rng.below(32) as u8, rng.below(2) as u8);
        let mut a = data.clone();
        let mut b = data.clone();
        eea3(&key, count, bearer, direction, &mut a, bits).unwrap();
        eea3_iv(&key, &eea3_iv_of(count, bearer, direction), &mut b, bits).unwrap();
        assert_eq!(
            a, b,
            "EEA3 count {count:08x} bearer {bearer} direction {direction}"
        );
        assert_eq!(
            eia3(&key, count, bearer, direction, &data, bits).unwrap(),
            eia3_iv(&key, &eia3_iv_of(count, bearer, direction), &data, bits).unwrap(),
            "EIA3 count {count:08x} bearer {bearer} direction {direction}"
        );
    }
}

#[test]
fn refusals_leave_the_data_alone() {
    let key = [7u8; 16];
    let iv = [9u8; 16];
    let mut data = vec![0x3C; 10];
    let short = WirelessError::ShortBuffer { need: 11, have: 10 };
    assert_eq!(eea3(&key, 1, 2, 0, &mut data, 81), Err(short));
    assert_eq!(eea3_iv(&key, &iv, &mut data, 81), Err(short));
    assert_eq!(eia3(&key, 1, 2, 0, &data, 81), Err(short));
    assert_eq!(eia3_iv(&key, &iv, &data, 81), Err(short));
    assert_eq!(
        eea3(&key, 1, 2, 0, &mut data[..0], 1),
        Err(WirelessError::ShortBuffer { need: 1, have: 0 })
    );
    assert!(matches!(
        eea3(&key, 1, 32, 0, &mut data, 8),
        Err(WirelessError::OutOfRange {
            field: "BEARER",
            value: 32,
            max: 31
        })
    ));
    assert!(matches!(
        eia3(&key, 1, 0, 2, &data, 8),
        Err(WirelessError::OutOfRange {
            field: "DIRECTION",
            value: 2,
            max: 1
        })
    ));
    assert!(matches!(
        eia3_iv(&key, &iv, &data, u64::MAX),
        Err(WirelessError::OutOfRange {
            field: "LENGTH",
            ..
        })
    ));
    assert_eq!(data, vec![0x3C; 10], "a refused request changes nothing");
    // Exactly enough is fine, and zero bits is a valid (empty) message.
    assert!(eea3(&key, 1, 2, 0, &mut data, 80).is_ok());
    assert!(eea3(&key, 1, 2, 0, &mut [], 0).is_ok());
    assert!(eia3(&key, 1, 2, 0, &[], 0).is_ok());
    assert!(!format!("{short}").is_empty());
}
