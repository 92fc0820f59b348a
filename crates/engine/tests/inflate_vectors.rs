//! Hand-made deflate streams, one per `CpaDcReqStatus` an invalid stream can
//! produce (−1…−10), plus −15 (truncated input) and −11 (overflow).
//!
//! Each stream is written bit by bit with the small [`BitWriter`] below, from
//! RFC 1951's definitions; the comment on each says what makes it invalid.
//! Both the [`Inflater`] and the [`Decompressor`] must return exactly the
//! status with nothing consumed or produced.
//!
//! The last test holds the streams libdeflate (the former fast path) accepted
//! although they are invalid: each must now be rejected.

use softqat_engine::deflate::decompress::Decompressor;
use softqat_engine::deflate::inflate::{InflateOutcome, Inflater};
use softqat_engine::DcStatus;

/// LSB-first bit writer, as deflate packs bits.
#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    /// `nbits` bits of `value`, least significant first (header fields, extra bits).
    fn bits(&mut self, value: u32, nbits: u32) -> &mut Self {
        assert!(nbits <= 32 && (nbits == 32 || value >> nbits == 0));
        self.acc |= (value as u64) << self.n;
        self.n += nbits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
        self
    }
    /// A Huffman code of `len` bits: sent most significant bit first.
    fn code(&mut self, code: u32, len: u32) -> &mut Self {
        let rev = code.reverse_bits() >> (32 - len);
        self.bits(rev, len)
    }
    /// Block header: BFINAL then BTYPE.
    fn header(&mut self, bfinal: bool, btype: u32) -> &mut Self {
        self.bits(bfinal as u32, 1).bits(btype, 2)
    }
    /// Pads to a byte boundary with zeros.
    fn align(&mut self) -> &mut Self {
        let pad = (8 - self.n % 8) % 8;
        self.bits(0, pad)
    }
    fn bytes(&mut self, b: &[u8]) -> &mut Self {
        for &x in b {
            self.bits(x as u32, 8);
        }
        self
    }
    fn finish(&mut self) -> Vec<u8> {
        self.align();
        std::mem::take(&mut self.out)
    }
}

/// Fixed-code literal/length code (RFC 1951 §3.2.6).
fn fixed_lit(w: &mut BitWriter, sym: u32) {
    match sym {
        0..=143 => w.code(0x30 + sym, 8),
        144..=255 => w.code(0x190 + sym - 144, 9),
        256..=279 => w.code(sym - 256, 7),
        _ => w.code(0xc0 + sym - 280, 8),
    };
}

/// Fixed-code distance symbol (5 bits).
fn fixed_dist(w: &mut BitWriter, sym: u32) {
    w.code(sym, 5);
}

/// Canonical codes for `lens` (RFC 1951 §3.2.2): (code, length) per symbol.
fn canonical(lens: &[u8]) -> Vec<(u32, u32)> {
    let mut count = [0u32; 16];
    for &l in lens {
        count[l as usize] += 1;
    }
    count[0] = 0;
    let mut next = [0u32; 16];
    let mut code = 0;
    for len in 1..16 {
        code = (code + count[len - 1]) << 1;
        next[len] = code;
    }
    lens.iter()
        .map(|&l| {
            let c = next[l as usize];
            next[l as usize] += 1;
            (c, l as u32)
        })
        .collect()
}

/// The 19 code-length code lengths in the order they are sent.
const CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// A complete code-length code covering all 19 symbols: 0..=12 get 4 bits,
/// 13..=18 get 5 (13/16 + 6/32 = 1).
fn full_cl_lens() -> [u8; 19] {
    let mut l = [4u8; 19];
    l[13..].fill(5);
    l
}

/// Writes a dynamic block header: HLIT/HDIST/HCLEN, the code-length code
/// lengths `cl` (all 19, in symbol order; trailing zeros in send order are
/// trimmed to at least 4), then the code-length symbols `seq` as
/// (symbol, extra bits value).
fn dynamic_header(
    w: &mut BitWriter,
    bfinal: bool,
    nlit: u32,
    ndist: u32,
    cl: &[u8; 19],
    seq: &[(u32, u32)],
) {
    let mut ncl = 19;
    while ncl > 4 && cl[CL_ORDER[ncl - 1]] == 0 {
        ncl -= 1;
    }
    w.header(bfinal, 2)
        .bits(nlit - 257, 5)
        .bits(ndist - 1, 5)
        .bits(ncl as u32 - 4, 4);
    for &sym in &CL_ORDER[..ncl] {
        w.bits(cl[sym] as u32, 3);
    }
    let codes = canonical(cl);
    for &(sym, extra) in seq {
        let (c, l) = codes[sym as usize];
        assert!(l > 0, "symbol {sym} has no code-length code");
        w.code(c, l);
        match sym {
            16 => w.bits(extra, 2),
            17 => w.bits(extra, 3),
            18 => w.bits(extra, 7),
            _ => w,
        };
    }
}

/// Code-length symbols that send `lens` (zero runs as 17/18).
fn encode_lens(lens: &[u8]) -> Vec<(u32, u32)> {
    let mut seq = Vec::new();
    let mut i = 0;
    while i < lens.len() {
        if lens[i] == 0 {
            let run = lens[i..].iter().take_while(|&&l| l == 0).count();
            if run >= 11 {
                let n = run.min(138);
                seq.push((18, (n - 11) as u32));
                i += n;
                continue;
            }
            if run >= 3 {
                seq.push((17, (run - 3) as u32));
                i += run;
                continue;
            }
        }
        seq.push((lens[i] as u32, 0));
        i += 1;
    }
    seq
}

/// A whole dynamic block header for literal/length lengths `lit` and distance
/// lengths `dist`, with the full code-length code.
fn dynamic_block(w: &mut BitWriter, bfinal: bool, lit: &[u8], dist: &[u8]) {
    let all: Vec<u8> = lit.iter().chain(dist).copied().collect();
    dynamic_header(
        w,
        bfinal,
        lit.len() as u32,
        dist.len() as u32,
        &full_cl_lens(),
        &encode_lens(&all),
    );
}

fn check_both(name: &str, src: &[u8], dst_len: usize, require_final: bool, want: DcStatus) {
    let mut dst = vec![0u8; dst_len];
    let got = Inflater::new().inflate(src, &mut dst, require_final);
    assert_eq!(
        got,
        InflateOutcome::failed(want),
        "{name}: Inflater ({src:02x?})"
    );
    let got = Decompressor::new().decompress(src, &mut dst, require_final);
    assert_eq!(
        got,
        InflateOutcome::failed(want),
        "{name}: Decompressor ({src:02x?})"
    );
}

#[test]
fn invalid_block_type() {
    // BFINAL = 1, BTYPE = 11.
    let s = BitWriter::default().header(true, 3).finish();
    check_both("btype 3", &s, 64, true, DcStatus::InvalidBlockType);
    // The same after a valid non-final stored block.
    let s = BitWriter::default()
        .header(false, 0)
        .align()
        .bits(1, 16)
        .bits(0xfffe, 16)
        .bytes(b"x")
        .header(true, 3)
        .finish();
    check_both(
        "btype 3 second block",
        &s,
        64,
        true,
        DcStatus::InvalidBlockType,
    );
}

#[test]
fn bad_stored_block_len() {
    // LEN = 3 but NLEN = 0 (must be 0xfffc).
    let s = BitWriter::default()
        .header(true, 0)
        .align()
        .bits(3, 16)
        .bits(0, 16)
        .bytes(b"abc")
        .finish();
    check_both("LEN != ~NLEN", &s, 64, true, DcStatus::BadStoredBlockLen);
}

#[test]
fn too_many_codes() {
    // HLIT = 30 (287 literal/length codes) and HDIST = 30 (31 distance codes);
    // the rest of the input is zeros.
    for (hlit, hdist) in [(30u32, 0u32), (31, 0), (0, 30), (0, 31)] {
        let mut w = BitWriter::default();
        w.header(true, 2)
            .bits(hlit, 5)
            .bits(hdist, 5)
            .bits(15, 4)
            .bytes(&[0; 16]);
        check_both("HLIT/HDIST", &w.finish(), 64, true, DcStatus::TooManyCodes);
    }
}

#[test]
fn incomplete_code_lens() {
    // HCLEN = 0: lengths for symbols 16, 17, 18, 0 only.
    let cases: [(&str, [u32; 4]); 3] = [
        // One code of length 1: incomplete (puff and zlib allow no exception
        // for the code-length code).
        ("single 1-bit code", [1, 0, 0, 0]),
        // Three 1-bit codes: over-subscribed.
        ("over-subscribed", [1, 1, 1, 0]),
        // No code at all.
        ("empty", [0, 0, 0, 0]),
    ];
    for (name, l) in cases {
        let mut w = BitWriter::default();
        w.header(true, 2).bits(0, 5).bits(0, 5).bits(0, 4);
        for x in l {
            w.bits(x, 3);
        }
        w.bytes(&[0xff; 8]);
        check_both(name, &w.finish(), 64, true, DcStatus::IncompleteCodeLens);
    }
}

#[test]
fn repeated_lens() {
    // Code-length code {0: '0', 16: '1'}; the first length sent is "repeat
    // previous" (16) — there is no previous length.
    let mut cl = [0u8; 19];
    cl[0] = 1;
    cl[16] = 1;
    let mut w = BitWriter::default();
    dynamic_header(&mut w, true, 257, 1, &cl, &[(16, 0)]);
    w.bytes(&[0; 4]);
    check_both("16 first", &w.finish(), 64, true, DcStatus::RepeatedLens);
}

#[test]
fn more_repeat() {
    // 257 + 1 = 258 lengths declared; two "138 zeros" repeats (18) would
    // fill 276.
    let mut cl = [0u8; 19];
    cl[0] = 1;
    cl[18] = 1;
    let mut w = BitWriter::default();
    dynamic_header(&mut w, true, 257, 1, &cl, &[(18, 127), (18, 127)]);
    w.bytes(&[0; 4]);
    check_both(
        "18 past the end",
        &w.finish(),
        64,
        true,
        DcStatus::MoreRepeat,
    );
    // A "repeat previous" (16) running past the end: 256 lengths of 8 sent,
    // 2 remain, and 16 repeats at least 3 times.
    let mut seq = encode_lens(&[8u8; 256]);
    seq.push((16, 0)); // 3 more copies of 8: positions 256..259, but 258 declared
    let mut w = BitWriter::default();
    dynamic_header(&mut w, true, 257, 1, &full_cl_lens(), &seq);
    w.bytes(&[0; 4]);
    check_both(
        "16 past the end",
        &w.finish(),
        64,
        true,
        DcStatus::MoreRepeat,
    );
}

#[test]
fn bad_litlen_codes() {
    let one_dist = [1u8];
    // (a) End-of-block (256) has no code: 'a' and 'b' get 1-bit codes.
    let mut lit = vec![0u8; 257];
    lit[b'a' as usize] = 1;
    lit[b'b' as usize] = 1;
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &one_dist);
    w.bytes(&[0x55; 8]);
    check_both(
        "no end-of-block code",
        &w.finish(),
        1 << 16,
        true,
        DcStatus::BadLitlenCodes,
    );

    // (b) Over-subscribed: three 1-bit codes.
    let mut lit = vec![0u8; 257];
    lit[b'a' as usize] = 1;
    lit[b'b' as usize] = 1;
    lit[256] = 1;
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &one_dist);
    check_both(
        "over-subscribed",
        &w.finish(),
        64,
        true,
        DcStatus::BadLitlenCodes,
    );

    // (c) Incomplete with more than one code: 256 → 1 bit, 'a' → 2 bits.
    let mut lit = vec![0u8; 257];
    lit[b'a' as usize] = 2;
    lit[256] = 1;
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &one_dist);
    check_both(
        "incomplete",
        &w.finish(),
        64,
        true,
        DcStatus::BadLitlenCodes,
    );
}

#[test]
fn bad_dist_codes() {
    // Literal/length: 'a' and 256 get 1-bit codes (complete).
    let mut lit = vec![0u8; 257];
    lit[b'a' as usize] = 1;
    lit[256] = 1;
    // (a) Three 1-bit distance codes: over-subscribed.
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &[1, 1, 1]);
    check_both(
        "over-subscribed",
        &w.finish(),
        64,
        true,
        DcStatus::BadDistCodes,
    );
    // (b) Incomplete with two codes: 1 bit and 2 bits.
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &[1, 2]);
    check_both("incomplete", &w.finish(), 64, true, DcStatus::BadDistCodes);
}

#[test]
fn invalid_code() {
    // (a) Fixed block, literal/length symbol 286 as the first symbol.
    let mut w = BitWriter::default();
    w.header(true, 1);
    fixed_lit(&mut w, 286);
    fixed_dist(&mut w, 0);
    fixed_lit(&mut w, 256);
    check_both("fixed 286", &w.finish(), 1024, true, DcStatus::InvalidCode);

    // (b) Fixed block, distance symbol 30 after a literal and length 3.
    let mut w = BitWriter::default();
    w.header(true, 1);
    fixed_lit(&mut w, b'a' as u32);
    fixed_lit(&mut w, 257);
    fixed_dist(&mut w, 30);
    fixed_lit(&mut w, 256);
    check_both(
        "fixed distance 30",
        &w.finish(),
        1024,
        true,
        DcStatus::InvalidCode,
    );

    // (c) Dynamic block whose distance code is one 1-bit code (allowed), and
    // a match whose distance uses the unused pattern '1'.
    // Literal/length lengths: 'a' 1 bit, 256 and 257 2 bits (complete).
    let mut lit = vec![0u8; 258];
    lit[b'a' as usize] = 1;
    lit[256] = 2;
    lit[257] = 2;
    let codes = canonical(&lit);
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &[1]);
    let (c, l) = codes[257];
    w.code(c, l); // length 3
    w.bits(1, 1); // distance: no code starts with 1
    let (c, l) = codes[256];
    w.code(c, l);
    check_both(
        "unused distance pattern",
        &w.finish(),
        1024,
        true,
        DcStatus::InvalidCode,
    );

    // (d) Dynamic block with no distance code at all (allowed: all literals),
    // then a length symbol.
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &[0]);
    let (c, l) = codes[257];
    w.code(c, l);
    w.bits(0, 8);
    check_both(
        "no distance code",
        &w.finish(),
        1024,
        true,
        DcStatus::InvalidCode,
    );
}

#[test]
fn invalid_dist() {
    // Fixed block: 'a', then length 3 at distance 2 (only 1 byte written).
    let mut w = BitWriter::default();
    w.header(true, 1);
    fixed_lit(&mut w, b'a' as u32);
    fixed_lit(&mut w, 257);
    fixed_dist(&mut w, 1);
    fixed_lit(&mut w, 256);
    check_both(
        "distance 2 after 1 byte",
        &w.finish(),
        1024,
        true,
        DcStatus::InvalidDist,
    );

    // Distance 32768 after 32767 bytes of stored data.
    let mut w = BitWriter::default();
    w.header(false, 0)
        .align()
        .bits(32767, 16)
        .bits(!32767u32 & 0xffff, 16);
    w.bytes(&[7u8; 32767]);
    w.header(true, 1);
    fixed_lit(&mut w, 257);
    fixed_dist(&mut w, 29);
    w.bits(8191, 13); // 24577 + 8191 = 32768
    fixed_lit(&mut w, 256);
    check_both(
        "distance 32768",
        &w.finish(),
        1 << 16,
        true,
        DcStatus::InvalidDist,
    );
}

#[test]
fn incomplete_file_and_overflow() {
    // A fixed block with a literal and no end-of-block code.
    let mut w = BitWriter::default();
    w.header(true, 1);
    fixed_lit(&mut w, b'a' as u32);
    let s = w.finish();
    check_both("no EOB, final", &s, 64, true, DcStatus::IncompleteFileErr);
    check_both(
        "no EOB, not final",
        &s,
        64,
        false,
        DcStatus::IncompleteFileErr,
    );
    // No input at all.
    check_both("empty input", &[], 64, true, DcStatus::IncompleteFileErr);
    check_both(
        "empty input, not final",
        &[],
        64,
        false,
        DcStatus::IncompleteFileErr,
    );

    // A valid stream into one byte too few.
    let mut w = BitWriter::default();
    w.header(true, 1);
    for &b in b"hello" {
        fixed_lit(&mut w, b as u32);
    }
    fixed_lit(&mut w, 257);
    fixed_dist(&mut w, 4); // distance 5: "hello" again
    w.bits(0, 1);
    fixed_lit(&mut w, 256);
    let s = w.finish();
    let mut dst = [0u8; 16];
    let ok = Inflater::new().inflate(&s, &mut dst, true);
    assert_eq!(
        (ok.status, ok.produced, ok.consumed),
        (DcStatus::Ok, 8, s.len())
    );
    assert_eq!(&dst[..8], b"hellohel");
    check_both("overflow", &s, 7, true, DcStatus::Overflow);
    check_both("overflow at 0", &s, 0, true, DcStatus::Overflow);
}

#[test]
fn valid_edge_streams() {
    // Streams every decoder must accept; both paths must agree.
    let mut cases: Vec<(&str, Vec<u8>, Vec<u8>)> = Vec::new();

    // Empty fixed block, then a final empty stored block.
    let mut w = BitWriter::default();
    w.header(false, 1);
    fixed_lit(&mut w, 256);
    w.header(true, 0).align().bits(0, 16).bits(0xffff, 16);
    cases.push(("empty blocks", w.finish(), vec![]));

    // Length 258 via symbol 285 and via 284 + 31 extra (zlib accepts both),
    // distance 1.
    let mut w = BitWriter::default();
    w.header(true, 1);
    fixed_lit(&mut w, b'z' as u32);
    fixed_lit(&mut w, 285);
    fixed_dist(&mut w, 0);
    fixed_lit(&mut w, 284);
    w.bits(31, 5);
    fixed_dist(&mut w, 0);
    fixed_lit(&mut w, 256);
    cases.push(("length 258", w.finish(), vec![b'z'; 1 + 258 + 258]));

    // Distance 32768 exactly.
    let mut stored = vec![0u8; 32768];
    for (i, b) in stored.iter_mut().enumerate() {
        *b = (i * 7 % 251) as u8;
    }
    let mut w = BitWriter::default();
    w.header(false, 0)
        .align()
        .bits(32768, 16)
        .bits(!32768u32 & 0xffff, 16);
    w.bytes(&stored);
    w.header(true, 1);
    fixed_lit(&mut w, 258); // length 4
    fixed_dist(&mut w, 29);
    w.bits(8191, 13);
    fixed_lit(&mut w, 256);
    let mut want = stored.clone();
    want.extend_from_slice(&stored[..4]);
    cases.push(("distance 32768", w.finish(), want));

    // One-code literal/length code (only end-of-block, 1 bit) and no
    // distance code: an empty dynamic block (zlib and puff accept it).
    let mut lit = vec![0u8; 257];
    lit[256] = 1;
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &[0]);
    w.bits(0, 1);
    cases.push(("single EOB code", w.finish(), vec![]));

    // Dynamic block with codes up to 15 bits long (subtables).
    let mut lit = vec![0u8; 286];
    for (i, l) in lit.iter_mut().enumerate().take(14) {
        *l = i as u8 + 1; // symbols 0..13: lengths 1..14
    }
    lit[256] = 15;
    lit[285] = 15;
    let codes = canonical(&lit);
    let mut dist = vec![0u8; 30];
    dist[0] = 1;
    dist[29] = 1;
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &dist);
    let mut want = Vec::new();
    for sym in [13u32, 0, 12, 5] {
        let (c, l) = codes[sym as usize];
        w.code(c, l);
        want.push(sym as u8);
    }
    let (c, l) = codes[285];
    w.code(c, l);
    w.code(0, 1); // distance symbol 0: distance 1
    want.extend_from_slice(&[5u8; 258]);
    let (c, l) = codes[256];
    w.code(c, l);
    cases.push(("15-bit codes", w.finish(), want));

    for (name, s, want) in cases {
        let mut dst = vec![0u8; want.len() + 16];
        let a = Inflater::new().inflate(&s, &mut dst, true);
        assert_eq!(
            (a.status, a.consumed, a.produced, a.end_of_last_block),
            (DcStatus::Ok, s.len(), want.len(), true),
            "{name}"
        );
        assert!(dst[..want.len()] == want[..], "{name}: output");
        let b = Decompressor::new().decompress(&s, &mut dst, true);
        assert_eq!(a, b, "{name}: Decompressor");
        assert!(dst[..want.len()] == want[..], "{name}: Decompressor output");
    }
}

#[test]
fn streams_libdeflate_accepted_are_rejected() {
    // Issue 10: libdeflate, the former fast path, decoded each of these
    // invalid streams and the Decompressor returned OK. zlib rejects them all;
    // now both the Inflater and the Decompressor report the exact status.
    let mut cases: Vec<(&str, Vec<u8>, DcStatus)> = Vec::new();

    // The reproducer: "abcd", then fixed symbol 286 (libdeflate: a
    // length of 258).
    cases.push((
        "issue 10 reproducer",
        b"\x4b\x4c\x4a\x4e\x19\x03\x00".to_vec(),
        DcStatus::InvalidCode,
    ));
    for sym in [286u32, 287] {
        let mut w = BitWriter::default();
        w.header(true, 1);
        fixed_lit(&mut w, b'a' as u32);
        fixed_lit(&mut w, sym);
        fixed_dist(&mut w, 0);
        fixed_lit(&mut w, 256);
        let name = if sym == 286 { "fixed 286" } else { "fixed 287" };
        cases.push((name, w.finish(), DcStatus::InvalidCode));
    }
    // Fixed distance symbols 30/31 after 40 000 bytes of output: libdeflate
    // reads them as distances above 32 768 and, with that much output,
    // copies.
    for sym in [30u32, 31] {
        let mut w = BitWriter::default();
        w.header(false, 0)
            .align()
            .bits(40_000, 16)
            .bits(!40_000u32 & 0xffff, 16);
        w.bytes(&vec![b'x'; 40_000]);
        w.header(true, 1);
        fixed_lit(&mut w, 257); // length 3
        fixed_dist(&mut w, sym);
        w.bits(0, 13);
        fixed_lit(&mut w, 256);
        let name = if sym == 30 {
            "fixed distance 30"
        } else {
            "fixed distance 31"
        };
        cases.push((name, w.finish(), DcStatus::InvalidCode));
    }
    // One-code literal/length code (end-of-block only) and the unused
    // pattern '1': libdeflate decodes it as end-of-block.
    let mut lit = vec![0u8; 257];
    lit[256] = 1;
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &[0]);
    w.bits(1, 1);
    cases.push(("unused litlen pattern", w.finish(), DcStatus::InvalidCode));
    // Literals 'a', length 3 and end-of-block; a one-code distance code
    // (symbol 0, '0') and the unused pattern '1': libdeflate reads distance 1.
    let mut lit = vec![0u8; 258];
    lit[b'a' as usize] = 1;
    lit[256] = 2;
    lit[257] = 2;
    let codes = canonical(&lit);
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &[1]);
    w.code(codes[b'a' as usize].0, 1);
    w.code(codes[257].0, 2);
    w.bits(1, 1); // the unused distance pattern
    w.code(codes[256].0, 2);
    cases.push(("unused distance pattern", w.finish(), DcStatus::InvalidCode));
    // The same block without any distance code: a length has no distance.
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &[0]);
    w.code(codes[b'a' as usize].0, 1);
    w.code(codes[257].0, 2);
    w.bits(0, 1);
    w.code(codes[256].0, 2);
    cases.push((
        "distance without distance codes",
        w.finish(),
        DcStatus::InvalidCode,
    ));
    // HLIT = 30: 287 literal/length lengths, the last one zero.
    let mut lit = vec![0u8; 287];
    lit[b'a' as usize] = 1;
    lit[256] = 1;
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &[0]);
    w.bits(0, 1); // 'a' (code 0)
    w.bits(1, 1); // end of block (code 1)
    cases.push(("HLIT 30", w.finish(), DcStatus::TooManyCodes));
    // HDIST = 30: 31 distance lengths, the last one zero.
    let mut lit = vec![0u8; 257];
    lit[b'a' as usize] = 1;
    lit[256] = 1;
    let mut dist = vec![0u8; 31];
    dist[0] = 1;
    dist[1] = 1;
    let mut w = BitWriter::default();
    dynamic_block(&mut w, true, &lit, &dist);
    w.bits(0, 1);
    w.bits(1, 1);
    cases.push(("HDIST 30", w.finish(), DcStatus::TooManyCodes));
    // A code-length code of one 1-bit code (symbol 8).
    let mut cl = [0u8; 19];
    cl[8] = 1;
    let mut w = BitWriter::default();
    dynamic_header(&mut w, true, 257, 1, &cl, &[(8, 0)]);
    cases.push((
        "one-code code-length code",
        w.finish(),
        DcStatus::IncompleteCodeLens,
    ));

    for (name, s, want) in cases {
        let mut dst = vec![0u8; 1 << 17];
        // Each case is of the class the issue is about: libdeflate (1.26)
        // decodes it. The one-code code-length code cannot lead to a valid
        // literal/length code, so libdeflate fails later on that one.
        let libdeflate_ok = libdeflater::Decompressor::new()
            .deflate_decompress(&s, &mut dst)
            .is_ok();
        assert_eq!(
            libdeflate_ok,
            name != "one-code code-length code",
            "{name}: libdeflate"
        );
        let exact = Inflater::new().inflate(&s, &mut dst, true);
        assert_eq!(exact, InflateOutcome::failed(want), "{name}: Inflater");
        let mut d = Decompressor::new();
        assert_eq!(
            d.decompress(&s, &mut dst, true),
            exact,
            "{name}: Decompressor"
        );
        // Without FLUSH_FINAL too: an invalid block is invalid either way.
        assert_eq!(
            d.decompress(&s, &mut dst, false).status,
            want,
            "{name}: not final"
        );
    }
}
