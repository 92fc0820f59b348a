//! SNOW 3G, UEA2 and UIA2 against the ETSI/SAGE test data
//! (`tests/data/wireless/snow3g_uea2_uia2.txt`), plus round trips, MAC
//! sensitivity and the QAT IV layouts.

mod common;
use common::hex;

use softqat_engine::wireless::snow3g::{uea2, uea2_iv, uia2, uia2_iv, Snow3g};
use softqat_engine::wireless::WirelessError;

const DATA: &str = include_str!("data/wireless/snow3g_uea2_uia2.txt");

/// One record of the vector file: its kind, name and fields in order.
struct Record {
    kind: String,
    name: String,
    fields: Vec<(String, String)>,
}

impl Record {
    fn get(&self, k: &str) -> &str {
        self.fields
            .iter()
            .find(|(f, _)| f == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("{} {}: no field {k}", self.kind, self.name))
    }
    fn has(&self, k: &str) -> bool {
        self.fields.iter().any(|(f, _)| f == k)
    }
    fn hex(&self, k: &str) -> Vec<u8> {
        hex(self.get(k))
    }
    fn arr16(&self, k: &str) -> [u8; 16] {
        self.hex(k)
            .try_into()
            .unwrap_or_else(|_| panic!("{} {}: {k} is not 16 octets", self.kind, self.name))
    }
    fn num(&self, k: &str) -> u32 {
        u32::from_str_radix(self.get(k), 16).unwrap()
    }
    fn bits(&self) -> u64 {
        self.get("bits").parse().unwrap()
    }
    fn label(&self) -> String {
        format!("{} {}", self.kind, self.name)
    }
}

fn parse() -> Vec<Record> {
    let mut out: Vec<Record> = Vec::new();
    for line in DATA.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            let rec = out.last_mut().expect("continuation before any record");
            let last = rec
                .fields
                .last_mut()
                .expect("continuation before any field");
            last.1.push_str(line.trim());
        } else if let Some((k, v)) = line.split_once('=') {
            let rec = out.last_mut().expect("field before any record");
            rec.fields
                .push((k.trim().to_string(), v.trim().to_string()));
        } else {
            let (kind, name) = line
                .split_once(' ')
                .expect("record header is '<kind> <name>'");
            out.push(Record {
                kind: kind.to_string(),
                name: name.trim().to_string(),
                fields: Vec::new(),
            });
        }
    }
    out
}

fn records(kind: &str) -> Vec<Record> {
    parse().into_iter().filter(|r| r.kind == kind).collect()
}

/// The vector file holds what the header says it does (so a lost record fails).
#[test]
fn vector_file_is_complete() {
    let all = parse();
    let count = |k: &str| all.iter().filter(|r| r.kind == k).count();
    assert_eq!(count("keystream"), 4);
    assert_eq!(count("uea2"), 6);
    assert_eq!(count("uia2"), 7);
    assert!(count("qat_uea2") >= 3);
    assert!(count("qat_uia2") >= 2);
    assert_eq!(all.len(), 17 + count("qat_uea2") + count("qat_uia2"));
    // Bit lengths that are not multiples of 8 are covered, for both.
    assert!(records("uea2").iter().any(|r| r.bits() % 8 != 0));
    assert!(records("uia2").iter().any(|r| r.bits() % 8 != 0));
}

#[test]
fn keystream_test_sets() {
    for r in records("keystream") {
        let mut g = Snow3g::new(&r.arr16("key"), &r.arr16("iv"));
        let z: Vec<u32> = (0..3).map(|_| g.next_word()).collect();
        assert_eq!(z[0], r.num("z1"), "{} z1", r.label());
        assert_eq!(z[1], r.num("z2"), "{} z2", r.label());
        if r.has("z3") {
            assert_eq!(z[2], r.num("z3"), "{} z3", r.label());
        }
        if r.has("zN") {
            let n: usize = r.get("index").parse().unwrap();
            for _ in 3..n - 1 {
                g.next_word();
            }
            assert_eq!(g.next_word(), r.num("zN"), "{} z{n}", r.label());
        }
    }
}

/// The unused low-order bits of the last octet (the document prints them as zero).
fn unused_bits(v: &[u8], bits: u64) -> u8 {
    match (v.last(), bits % 8) {
        (Some(&b), r) if r != 0 => b & (0xFF >> r),
        _ => 0,
    }
}

fn octets(bits: u64) -> usize {
    bits.div_ceil(8) as usize
}

#[test]
fn uea2_test_sets() {
    for r in records("uea2") {
        let key = r.arr16("key");
        let (count, bearer, dir) = (
            r.num("count"),
            r.num("bearer") as u8,
            r.num("direction") as u8,
        );
        let bits = r.bits();
        let pt = r.hex("pt");
        let ct = r.hex("ct");
        assert_eq!(pt.len(), octets(bits), "{}", r.label());
        assert_eq!(ct.len(), octets(bits), "{}", r.label());
        assert_eq!(unused_bits(&pt, bits), 0, "{} pt padding", r.label());
        assert_eq!(unused_bits(&ct, bits), 0, "{} ct padding", r.label());
        let mut buf = pt.clone();
        uea2(&key, count, bearer, dir, &mut buf, bits).unwrap();
        assert_eq!(buf, ct, "{} encrypt", r.label());
        uea2(&key, count, bearer, dir, &mut buf, bits).unwrap();
        assert_eq!(buf, pt, "{} decrypt", r.label());
    }
}

#[test]
fn uia2_test_sets() {
    for r in records("uia2") {
        let key = r.arr16("key");
        let (count, fresh, dir) = (r.num("count"), r.num("fresh"), r.num("direction") as u8);
        let bits = r.bits();
        let msg = r.hex("msg");
        assert_eq!(msg.len(), octets(bits), "{}", r.label());
        assert_eq!(unused_bits(&msg, bits), 0, "{} padding", r.label());
        let mac = uia2(&key, count, fresh, dir, &msg, bits).unwrap();
        assert_eq!(mac.to_vec(), r.hex("mac"), "{}", r.label());
    }
}

#[test]
fn qat_iv_vectors() {
    for r in records("qat_uea2") {
        let (key, iv, bits) = (r.arr16("key"), r.arr16("iv"), r.bits());
        let mut buf = r.hex("pt");
        uea2_iv(&key, &iv, &mut buf, bits).unwrap();
        assert_eq!(buf, r.hex("ct"), "{}", r.label());
    }
    for r in records("qat_uia2") {
        let (key, iv, bits) = (r.arr16("key"), r.arr16("iv"), r.bits());
        let mac = uia2_iv(&key, &iv, &r.hex("msg"), bits).unwrap();
        assert_eq!(mac.to_vec(), r.hex("mac"), "{}", r.label());
    }
}

/// `uea2_iv`/`uia2_iv` with the QAT layout built by hand agree with `uea2`/`uia2`.
#[test]
fn qat_iv_layout_agrees() {
    let mut rng = XorShift(0x5EED_0F5A_03A6);
    for _ in 0..200 {
        let key: [u8; 16] = rng.bytes();
        let count = rng.next() as u32;
        let fresh = rng.next() as u32;
        let bearer = (rng.next() & 0x1F) as u8;
        let dir = (rng.next() & 1) as u8;
        let bits = rng.next() % 700;
        let data: Vec<u8> = (0..octets(bits)).map(|_| rng.next() as u8).collect();

        let c = count.to_be_bytes();
        let bd = (bearer << 3) | (dir << 2);
        let iv_c = [
            c[0], c[1], c[2], c[3], bd, 0, 0, 0, c[0], c[1], c[2], c[3], bd, 0, 0, 0,
        ];
        let mut a = data.clone();
        let mut b = data.clone();
        uea2(&key, count, bearer, dir, &mut a, bits).unwrap();
        uea2_iv(&key, &iv_c, &mut b, bits).unwrap();
        assert_eq!(a, b);

        let mut iv_i = [0u8; 16];
        iv_i[0..4].copy_from_slice(&count.to_be_bytes());
        iv_i[4..8].copy_from_slice(&fresh.to_be_bytes());
        iv_i[8..12].copy_from_slice(&(count ^ (u32::from(dir) << 31)).to_be_bytes());
        iv_i[12..16].copy_from_slice(&(fresh ^ (u32::from(dir) << 15)).to_be_bytes());
        assert_eq!(
            uia2(&key, count, fresh, dir, &data, bits).unwrap(),
            uia2_iv(&key, &iv_i, &data, bits).unwrap()
        );
    }
}

struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut b = [0u8; N];
        for v in &mut b {
            *v = self.next() as u8;
        }
        b
    }
}

#[test]
fn uea2_round_trip_random() {
    let mut rng = XorShift(0x1234_5678_9ABC_DEF1);
    for _ in 0..300 {
        let key: [u8; 16] = rng.bytes();
        let count = rng.next() as u32;
        let bearer = rng.next() as u8;
        let dir = rng.next() as u8;
        let bits = rng.next() % 5000;
        let extra = (rng.next() % 5) as usize;
        let orig: Vec<u8> = (0..octets(bits) + extra)
            .map(|_| rng.next() as u8)
            .collect();
        let mut buf = orig.clone();
        uea2(&key, count, bearer, dir, &mut buf, bits).unwrap();
        if bits >= 64 {
            assert_ne!(buf, orig, "ciphertext equals plaintext");
        }
        // Bytes past the length and the unused bits of the last byte are untouched.
        assert_eq!(buf[octets(bits)..], orig[octets(bits)..]);
        if !bits.is_multiple_of(8) {
            let keep = 0xFFu8 >> (bits % 8);
            let i = octets(bits) - 1;
            assert_eq!(buf[i] & keep, orig[i] & keep);
        }
        uea2(&key, count, bearer, dir, &mut buf, bits).unwrap();
        assert_eq!(buf, orig);
    }
}

/// Encrypting a message in one call equals XOR with the keystream of the
/// generator keyed as Document 1 says (k3 = first octets of CK).
#[test]
fn uea2_is_keystream_xor() {
    let key: [u8; 16] = core::array::from_fn(|i| (i * 7 + 1) as u8);
    let (count, bearer, dir) = (0x0102_0304u32, 0x11u8, 1u8);
    let mut data = [0u8; 40];
    uea2(&key, count, bearer, dir, &mut data, 320).unwrap();
    // Snow3g::new takes k0..k3 and IV0..IV3: reverse Document 1's word order.
    let mut k = [0u8; 16];
    for w in 0..4 {
        k[4 * w..4 * w + 4].copy_from_slice(&key[4 * (3 - w)..4 * (3 - w) + 4]);
    }
    let bd = (bearer << 3) | (dir << 2);
    let c = count.to_be_bytes();
    let iv = [
        bd, 0, 0, 0, c[0], c[1], c[2], c[3], bd, 0, 0, 0, c[0], c[1], c[2], c[3],
    ];
    let mut g = Snow3g::new(&k, &iv);
    let ks: Vec<u8> = (0..10).flat_map(|_| g.next_word().to_be_bytes()).collect();
    assert_eq!(data.to_vec(), ks);
}

#[test]
fn uia2_flipped_bit_changes_mac() {
    let mut rng = XorShift(0xDEAD_BEEF_0BAD_F00D);
    for r in records("uia2") {
        let key = r.arr16("key");
        let (count, fresh, dir) = (r.num("count"), r.num("fresh"), r.num("direction") as u8);
        let bits = r.bits();
        let msg = r.hex("msg");
        let mac = uia2(&key, count, fresh, dir, &msg, bits).unwrap();
        for _ in 0..50 {
            let bit = rng.next() % bits;
            let mut m = msg.clone();
            m[(bit / 8) as usize] ^= 0x80 >> (bit % 8);
            assert_ne!(
                uia2(&key, count, fresh, dir, &m, bits).unwrap(),
                mac,
                "{} bit {bit}",
                r.label()
            );
        }
        // Each of the other inputs matters too.
        assert_ne!(uia2(&key, count ^ 1, fresh, dir, &msg, bits).unwrap(), mac);
        assert_ne!(uia2(&key, count, fresh ^ 1, dir, &msg, bits).unwrap(), mac);
        assert_ne!(uia2(&key, count, fresh, dir ^ 1, &msg, bits).unwrap(), mac);
        let mut k2 = key;
        k2[15] ^= 1;
        assert_ne!(uia2(&k2, count, fresh, dir, &msg, bits).unwrap(), mac);
        // The length is part of the MAC.
        if bits > 1 {
            assert_ne!(uia2(&key, count, fresh, dir, &msg, bits - 1).unwrap(), mac);
        }
    }
}

/// Bits past the length do not enter the MAC.
#[test]
fn uia2_ignores_bits_past_length() {
    for r in records("uia2") {
        let bits = r.bits();
        let key = r.arr16("key");
        let (count, fresh, dir) = (r.num("count"), r.num("fresh"), r.num("direction") as u8);
        let mut msg = r.hex("msg");
        let mac = uia2(&key, count, fresh, dir, &msg, bits).unwrap();
        if !bits.is_multiple_of(8) {
            *msg.last_mut().unwrap() |= 0xFF >> (bits % 8);
        }
        msg.extend_from_slice(&[0xA5; 9]);
        assert_eq!(
            uia2(&key, count, fresh, dir, &msg, bits).unwrap(),
            mac,
            "{}",
            r.label()
        );
    }
}

#[test]
fn short_buffers_are_refused() {
    let key = [0u8; 16];
    let mut data = [0u8; 4];
    assert_eq!(
        uea2(&key, 0, 0, 0, &mut data, 33),
        Err(WirelessError::ShortBuffer { need: 5, have: 4 })
    );
    assert_eq!(data, [0; 4], "a refused call touches nothing");
    assert_eq!(
        uea2_iv(&key, &[0; 16], &mut data, u64::MAX),
        Err(WirelessError::ShortBuffer {
            need: u64::MAX.div_ceil(8),
            have: 4
        })
    );
    assert_eq!(
        uia2(&key, 0, 0, 0, &data, 40),
        Err(WirelessError::ShortBuffer { need: 5, have: 4 })
    );
    assert!(uia2_iv(&key, &[0; 16], &data, u64::MAX).is_err());
    // Exactly enough is fine; zero bits is fine.
    assert!(uea2(&key, 0, 0, 0, &mut data, 32).is_ok());
    assert!(uea2(&key, 0, 0, 0, &mut [], 0).is_ok());
    assert!(uia2(&key, 0, 0, 0, &[], 0).is_ok());
}
