//! KASUMI, f8 and f9 against 3GPP TS 35.203 (`tests/data/wireless/kasumi_35203.txt`,
//! its source named there), plus properties: f8 round-trips, f8 leaves the
//! bits after the length zero and the bytes after it alone, a flipped message
//! bit changes MAC-I, `f8_iv` with the documented IV layout equals `f8`.

mod common;
use common::hex;

use softqat_engine::wireless::kasumi::{f8, f8_iv, f8_iv_layout, f9, Kasumi, KasumiF8, KasumiF9};
use softqat_engine::wireless::WirelessError;

fn key(s: &str) -> [u8; 16] {
    hex(s).try_into().expect("16-byte key")
}

fn u32_hex(s: &str) -> u32 {
    u32::from_str_radix(s, 16).expect("hex u32")
}

/// `data` with the bits after `bits` zeroed and cut to ceil(bits/8) bytes.
fn masked(data: &[u8], bits: u64) -> Vec<u8> {
    let n = bits.div_ceil(8) as usize;
    let mut v = data[..n].to_vec();
    if !bits.is_multiple_of(8) {
        *v.last_mut().unwrap() &= 0xffu8 << (8 - bits % 8);
    }
    v
}

struct Vectors {
    block: Vec<Vec<String>>,
    f8: Vec<Vec<String>>,
    f9: Vec<Vec<String>>,
}

fn vectors() -> Vectors {
    let text = include_str!("data/wireless/kasumi_35203.txt");
    let mut v = Vectors {
        block: vec![],
        f8: vec![],
        f9: vec![],
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        match fields[0].as_str() {
            "block" => {
                assert_eq!(fields.len(), 5, "{line}");
                v.block.push(fields);
            }
            "f8" => {
                assert_eq!(fields.len(), 9, "{line}");
                v.f8.push(fields);
            }
            "f9" => {
                assert_eq!(fields.len(), 9, "{line}");
                v.f9.push(fields);
            }
            other => panic!("unknown record {other}"),
        }
    }
    // The file must carry what the tests claim to check.
    assert_eq!(v.block.len(), 4, "KASUMI test sets 1-4");
    assert_eq!(v.f8.len(), 5, "f8 test sets 1-5");
    assert_eq!(v.f9.len(), 5, "f9 test sets 1-5");
    v
}

#[test]
fn kasumi_block_test_sets() {
    for f in vectors().block {
        let k = Kasumi::new(&key(&f[1]));
        let mut block: [u8; 8] = hex(&f[2]).try_into().unwrap();
        let iterations: u32 = f[4].parse().unwrap();
        for _ in 0..iterations {
            k.encrypt_block(&mut block);
        }
        assert_eq!(block.to_vec(), hex(&f[3]), "KASUMI key {}", f[1]);
    }
}

#[test]
fn f8_test_sets_both_directions() {
    let mut non_byte_lengths = 0;
    for f in vectors().f8 {
        let (set, k, count) = (&f[1], key(&f[2]), u32_hex(&f[3]));
        let bearer = u8::from_str_radix(&f[4], 16).unwrap();
        let direction: u8 = f[5].parse().unwrap();
        let bits: u64 = f[6].parse().unwrap();
        let (pt, ct) = (hex(&f[7]), hex(&f[8]));
        assert_eq!(
            pt.len() as u64,
            bits.div_ceil(8),
            "set {set}: plaintext length"
        );
        assert_eq!(ct.len(), pt.len(), "set {set}: ciphertext length");
        if !bits.is_multiple_of(8) {
            non_byte_lengths += 1;
        }
        // Encrypt, decrypt (same operation), with the free function and the
        // precomputed session; a trailing guard byte must not be touched.
        for (from, to, what) in [(&pt, &ct, "encrypt"), (&ct, &pt, "decrypt")] {
            let mut buf = from.clone();
            buf.push(0xA5);
            f8(&k, count, bearer, direction, &mut buf, bits).unwrap();
            assert_eq!(
                buf.pop(),
                Some(0xA5),
                "set {set} {what}: byte after the length"
            );
            assert_eq!(buf, masked(to, bits), "set {set} {what}");

            let mut buf = from.clone();
            KasumiF8::new(&k)
                .apply(count, bearer, direction, &mut buf, bits)
                .unwrap();
            assert_eq!(buf, masked(to, bits), "set {set} {what} (session)");

            let iv = f8_iv_layout(count, bearer, direction).unwrap();
            let mut buf = from.clone();
            f8_iv(&k, &iv, &mut buf, bits).unwrap();
            assert_eq!(buf, masked(to, bits), "set {set} {what} (IV)");
        }
        // The buffer one byte short is refused, untouched.
        let need = pt.len();
        let mut short = pt[..need - 1].to_vec();
        assert_eq!(
            f8(&k, count, bearer, direction, &mut short, bits),
            Err(WirelessError::ShortBuffer {
                need: need as u64,
                have: (need - 1) as u64
            })
        );
        assert_eq!(short, pt[..need - 1]);
    }
    assert!(
        non_byte_lengths >= 3,
        "sets 1, 2, 4, 5 have lengths not multiple of 8"
    );
}

#[test]
fn f9_test_sets() {
    let mut non_byte_lengths = 0;
    for f in vectors().f9 {
        let (set, k) = (&f[1], key(&f[2]));
        let (count, fresh) = (u32_hex(&f[3]), u32_hex(&f[4]));
        let direction: u8 = f[5].parse().unwrap();
        let bits: u64 = f[6].parse().unwrap();
        let msg = hex(&f[7]);
        let mac = hex(&f[8]);
        assert_eq!(
            msg.len() as u64,
            bits.div_ceil(8),
            "set {set}: message length"
        );
        if !bits.is_multiple_of(8) {
            non_byte_lengths += 1;
        }
        let got = f9(&k, count, fresh, direction, &msg, bits).unwrap();
        assert_eq!(got.to_vec(), mac, "set {set}");
        let session = KasumiF9::new(&k);
        assert_eq!(
            session
                .mac(count, fresh, direction, &msg, bits)
                .unwrap()
                .to_vec(),
            mac,
            "set {set} (session)"
        );
        // Bits after the length do not count; bytes after it neither.
        let mut noisy = msg.clone();
        if !bits.is_multiple_of(8) {
            *noisy.last_mut().unwrap() |= 0xff >> (bits % 8);
        }
        noisy.extend_from_slice(&[0xff; 9]);
        assert_eq!(
            f9(&k, count, fresh, direction, &noisy, bits)
                .unwrap()
                .to_vec(),
            mac,
            "set {set} (noise after the length)"
        );
        // The other direction, COUNT or FRESH gives another MAC.
        assert_ne!(
            f9(&k, count, fresh, direction ^ 1, &msg, bits)
                .unwrap()
                .to_vec(),
            mac
        );
        assert_ne!(
            f9(&k, count ^ 1, fresh, direction, &msg, bits)
                .unwrap()
                .to_vec(),
            mac
        );
        assert_ne!(
            f9(&k, count, fresh ^ 0x8000_0000, direction, &msg, bits)
                .unwrap()
                .to_vec(),
            mac
        );
        // One byte short is refused.
        assert!(matches!(
            f9(&k, count, fresh, direction, &msg[..msg.len() - 1], bits),
            Err(WirelessError::ShortBuffer { .. })
        ));
    }
    assert!(
        non_byte_lengths >= 3,
        "sets 1, 2, 3, 5 have lengths not multiple of 8"
    );
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

#[test]
fn f8_round_trips_random_data_every_tail_length() {
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    for bits in (0..=200u64).chain([1000, 4096 * 8, 20000]) {
        let k: [u8; 16] = rng.bytes(16).try_into().unwrap();
        let count = rng.next() as u32;
        let bearer = (rng.next() % 32) as u8;
        let direction = (rng.next() % 2) as u8;
        let n = bits.div_ceil(8) as usize;
        let original = rng.bytes(n + 3);
        let session = KasumiF8::new(&k);
        let mut buf = original.clone();
        session
            .apply(count, bearer, direction, &mut buf, bits)
            .unwrap();
        // Bytes after the length untouched, unused bits zero.
        assert_eq!(buf[n..], original[n..], "bits {bits}");
        if !bits.is_multiple_of(8) {
            assert_eq!(buf[n - 1] & (0xff >> (bits % 8)), 0, "bits {bits}");
        }
        if bits >= 64 {
            assert_ne!(buf[..8], original[..8], "bits {bits}: nothing encrypted");
        }
        session
            .apply(count, bearer, direction, &mut buf, bits)
            .unwrap();
        assert_eq!(
            buf[..n],
            masked(&original, bits)[..],
            "bits {bits}: round trip"
        );
        // f8_iv with the layout is f8.
        let mut via_iv = original.clone();
        let iv = f8_iv_layout(count, bearer, direction).unwrap();
        f8_iv(&k, &iv, &mut via_iv, bits).unwrap();
        let mut via_f8 = original.clone();
        f8(&k, count, bearer, direction, &mut via_f8, bits).unwrap();
        assert_eq!(via_iv, via_f8, "bits {bits}");
    }
}

#[test]
fn f8_iv_layout_is_count_bearer_direction() {
    assert_eq!(
        f8_iv_layout(0x72A4_F20F, 0x0C, 1).unwrap(),
        [0x72, 0xA4, 0xF2, 0x0F, 0x64, 0, 0, 0]
    );
    assert_eq!(
        f8_iv_layout(0xFFFF_FFFF, 31, 0).unwrap(),
        [0xFF, 0xFF, 0xFF, 0xFF, 0xF8, 0, 0, 0]
    );
    assert_eq!(
        f8_iv_layout(0, 32, 0),
        Err(WirelessError::OutOfRange {
            field: "BEARER",
            value: 32,
            max: 31
        })
    );
    assert_eq!(
        f8_iv_layout(0, 0, 2),
        Err(WirelessError::OutOfRange {
            field: "DIRECTION",
            value: 2,
            max: 1
        })
    );
}

#[test]
fn f9_any_flipped_message_bit_changes_the_mac() {
    let mut rng = Rng(0xFEED_FACE_CAFE_BEEF);
    for bits in [1u64, 7, 62, 63, 64, 65, 126, 127, 128, 189, 1000] {
        let k: [u8; 16] = rng.bytes(16).try_into().unwrap();
        let (count, fresh) = (rng.next() as u32, rng.next() as u32);
        let msg = masked(&rng.bytes(bits.div_ceil(8) as usize), bits);
        let session = KasumiF9::new(&k);
        let mac = session.mac(count, fresh, 1, &msg, bits).unwrap();
        for bit in 0..bits {
            let mut m = msg.clone();
            m[(bit / 8) as usize] ^= 0x80 >> (bit % 8);
            assert_ne!(
                session.mac(count, fresh, 1, &m, bits).unwrap(),
                mac,
                "bits {bits}, flipped bit {bit}"
            );
        }
        // A message one bit longer (a zero appended) is another message.
        let mut longer = msg.clone();
        longer.push(0);
        assert_ne!(
            session.mac(count, fresh, 1, &longer, bits + 1).unwrap(),
            mac,
            "bits {bits} + 1"
        );
    }
}

#[test]
fn empty_inputs() {
    let k = [0x11; 16];
    let mut empty: [u8; 0] = [];
    f8(&k, 1, 2, 1, &mut empty, 0).unwrap();
    // f9 over zero bits is still defined: COUNT || FRESH || DIRECTION || 1 || 0*.
    let a = f9(&k, 1, 2, 0, &empty, 0).unwrap();
    let b = f9(&k, 1, 2, 1, &empty, 0).unwrap();
    assert_ne!(a, b);
}
