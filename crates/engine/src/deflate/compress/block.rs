//! Block coding: choosing stored, static or dynamic coding for a parsed block by
//! its exact size in bits, and writing it.

use super::bits::BitWriter;
use super::huffman::{Code, HuffScratch};
use super::matcher::{token_raw_len, Sink, NO_DIST, SECOND_LIT, TOKEN_TAIL_MASK, TOKEN_TAIL_SHIFT};
use super::tables::{
    CLEN_ORDER, DIST_EXTRA, EOB, LEN_BASE, LEN_EXTRA, NUM_CLEN, NUM_DIST, NUM_LITLEN,
    STATIC_DIST_LENS, STATIC_LITLEN_LENS,
};
use crate::deflate::MAX_STORED_BLOCK;
use crate::kernels::Kernels;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Stored,
    Static,
    Dynamic,
}

/// Bits of an empty stored block written at `bitpos` (header, padding, LEN/NLEN):
/// the sync marker that ends a non-final output.
#[inline]
pub fn sync_marker_end(bitpos: usize) -> usize {
    (bitpos + 3).next_multiple_of(8) + 32
}

/// Bits that `n` bytes take as stored blocks starting at `bitpos`.
pub fn stored_bits(bitpos: usize, n: usize) -> usize {
    let blocks = n.div_ceil(MAX_STORED_BLOCK).max(1);
    sync_marker_end(bitpos) - bitpos + (blocks - 1) * 40 + 8 * n
}

/// Writes stored blocks of `data`; BFINAL goes on the last one when `last` is set.
pub fn write_stored_blocks(w: &mut BitWriter, data: &[u8], last: bool) {
    let mut chunks = data.chunks(MAX_STORED_BLOCK).peekable();
    if data.is_empty() {
        write_stored_one(w, &[], last);
        return;
    }
    while let Some(c) = chunks.next() {
        let fin = last && chunks.peek().is_none();
        write_stored_one(w, c, fin);
    }
}

fn write_stored_one(w: &mut BitWriter, c: &[u8], fin: bool) {
    w.put(fin as u64, 3);
    w.align();
    let n = c.len() as u16;
    let mut hdr = [0u8; 4];
    hdr[..2].copy_from_slice(&n.to_le_bytes());
    hdr[2..].copy_from_slice(&(!n).to_le_bytes());
    w.put_bytes(&hdr);
    w.put_bytes(c);
}

/// The sync marker: an empty, non-final stored block.
pub fn write_sync_marker(w: &mut BitWriter) {
    write_stored_one(w, &[], false);
}

pub struct BlockCoder {
    litlen: Code<288>,
    dist: Code<NUM_DIST>,
    clen: Code<NUM_CLEN>,
    static_litlen: Code<288>,
    static_dist: Code<NUM_DIST>,
    scratch: HuffScratch,
    /// Run-length coded code lengths: symbol in bits 0..5, extra value above.
    rle: [u16; NUM_LITLEN + NUM_DIST],
    nrle: usize,
    hlit: usize,
    hdist: usize,
    hclen: usize,
    /// Writing table of the chosen code for literals (0..256) and lengths with their
    /// extra bits (256 + length - 3): bits in 0..24, count in 24..32.
    lit_tab: [u32; 512],
    /// Tail of a token (see the matcher's token layout): for a distance symbol,
    /// its codeword in 0..16, codeword length in 16..24, total with extra bits
    /// in 24..32; at `SECOND_LIT + b`, literal `b`'s code the same way; zero
    /// (nothing written) at `NO_DIST` and the unused entries.
    tail_tab: [u32; 512],
    eob: (u64, u32),
}

impl BlockCoder {
    pub fn new() -> Self {
        let mut static_dist_lens = [0u8; NUM_DIST];
        static_dist_lens.copy_from_slice(&STATIC_DIST_LENS[..NUM_DIST]);
        BlockCoder {
            litlen: Code::empty(),
            dist: Code::empty(),
            clen: Code::empty(),
            static_litlen: Code::from_lens(&STATIC_LITLEN_LENS),
            static_dist: Code::from_lens(&static_dist_lens),
            scratch: HuffScratch::new(),
            rle: [0; NUM_LITLEN + NUM_DIST],
            nrle: 0,
            hlit: 0,
            hdist: 0,
            hclen: 0,
            lit_tab: [0; 512],
            tail_tab: [0; 512],
            eob: (0, 0),
        }
    }

    /// Chooses the coding of the parsed block in `sink` (covering `raw_len` input
    /// bytes) and returns it with its exact size in bits when written at `bitpos`.
    /// Static mode only ever chooses static coding.
    pub fn plan(
        &mut self,
        sink: &mut Sink,
        dynamic: bool,
        bitpos: usize,
        raw_len: usize,
    ) -> (Kind, usize) {
        sink.fold_lit_freq();
        sink.lit_freq[EOB] = 1;
        let lf = &sink.lit_freq;
        let df = sink
            .dist_freq
            .first_chunk::<NUM_DIST>()
            .unwrap_or(&[0; NUM_DIST]);
        let mut extra = 0usize;
        for s in 0..29 {
            extra += lf[257 + s] as usize * LEN_EXTRA[s] as usize;
        }
        for s in 0..NUM_DIST {
            extra += df[s] as usize * DIST_EXTRA[s] as usize;
        }
        let static_bits =
            3 + extra + cost(lf, &STATIC_LITLEN_LENS) + cost(df, &STATIC_DIST_LENS[..NUM_DIST]);
        if !dynamic {
            return (Kind::Static, static_bits);
        }
        let dyn_bits = 3 + extra + self.build_dynamic(lf, df);
        let stored = stored_bits(bitpos, raw_len);
        if stored < dyn_bits && stored < static_bits {
            (Kind::Stored, stored)
        } else if static_bits <= dyn_bits {
            (Kind::Static, static_bits)
        } else {
            (Kind::Dynamic, dyn_bits)
        }
    }

    /// Builds the dynamic codes and header; returns header plus data bits, without
    /// the 3-bit block header and the extra bits.
    #[inline(never)]
    fn build_dynamic(&mut self, lf: &[u32; 288], df: &[u32; NUM_DIST]) -> usize {
        self.litlen.build(lf, 15, &mut self.scratch);
        self.dist.build(df, 15, &mut self.scratch);
        let mut hlit = NUM_LITLEN;
        while hlit > 257 && self.litlen.lens[hlit - 1] == 0 {
            hlit -= 1;
        }
        let mut hdist = NUM_DIST;
        while hdist > 1 && self.dist.lens[hdist - 1] == 0 {
            hdist -= 1;
        }
        // Padded with a value no length takes, so that runs end at `total` and can
        // be measured 8 bytes at a time (run lengths are too irregular for a
        // byte-by-byte loop's branches to be predicted).
        let mut all = [0xFFu8; NUM_LITLEN + NUM_DIST + 8];
        all[..hlit].copy_from_slice(&self.litlen.lens[..hlit]);
        all[hlit..hlit + hdist].copy_from_slice(&self.dist.lens[..hdist]);
        let total = hlit + hdist;

        let mut cf = [0u32; NUM_CLEN];
        let mut n = 0usize;
        let mut push = |rle: &mut [u16; NUM_LITLEN + NUM_DIST], sym: u16, extra: u16| {
            cf[sym as usize] += 1;
            if let Some(slot) = rle.get_mut(n) {
                *slot = sym | (extra << 5);
                n += 1;
            }
        };
        let mut i = 0;
        while i < total {
            let l = all[i];
            let splat = u64::from_le_bytes([l; 8]);
            let mut run = 1;
            while let Some(w) = all.get(i + run..i + run + 8) {
                let x = u64::from_le_bytes(w.try_into().unwrap_or([0xFF; 8])) ^ splat;
                if x != 0 {
                    run += (x.trailing_zeros() / 8) as usize;
                    break;
                }
                run += 8;
            }
            let mut run = run.min(total - i);
            i += run;
            if l == 0 {
                while run >= 11 {
                    let k = run.min(138);
                    push(&mut self.rle, 18, (k - 11) as u16);
                    run -= k;
                }
                if run >= 3 {
                    push(&mut self.rle, 17, (run - 3) as u16);
                    run = 0;
                }
            } else {
                push(&mut self.rle, l as u16, 0);
                run -= 1;
                while run >= 3 {
                    let k = run.min(6);
                    push(&mut self.rle, 16, (k - 3) as u16);
                    run -= k;
                }
            }
            for _ in 0..run {
                push(&mut self.rle, l as u16, 0);
            }
        }
        self.nrle = n;
        self.clen.build(&cf, 7, &mut self.scratch);
        let mut hclen = NUM_CLEN;
        while hclen > 4 && self.clen.lens[CLEN_ORDER[hclen - 1]] == 0 {
            hclen -= 1;
        }
        self.hlit = hlit;
        self.hdist = hdist;
        self.hclen = hclen;
        let header = 14
            + 3 * hclen
            + cost(&cf, &self.clen.lens)
            + 2 * cf[16] as usize
            + 3 * cf[17] as usize
            + 7 * cf[18] as usize;
        header + cost(lf, &self.litlen.lens) + cost(df, &self.dist.lens)
    }

    /// Fills the writing tables from the code of `kind` (static or dynamic).
    fn load_tables(&mut self, kind: Kind) {
        let (ll, dd) = if kind == Kind::Dynamic {
            (&self.litlen, &self.dist)
        } else {
            (&self.static_litlen, &self.static_dist)
        };
        for b in 0..256 {
            self.lit_tab[b] = ll.codes[b] as u32 | (ll.lens[b] as u32) << 24;
        }
        // Lengths symbol by symbol; 258 is written last, by its own symbol 285.
        for s in 0..29 {
            let cl = ll.lens[257 + s] as u32;
            let code = ll.codes[257 + s] as u32;
            let nbits = (cl + LEN_EXTRA[s] as u32) << 24;
            let first = LEN_BASE[s] as usize - 3;
            let span = 1usize << LEN_EXTRA[s];
            let end = (first + span).min(256);
            for (ext, slot) in self.lit_tab[256 + first..256 + end].iter_mut().enumerate() {
                *slot = (code | (ext as u32) << cl) | nbits;
            }
        }
        for (s, slot) in self.tail_tab[..NUM_DIST].iter_mut().enumerate() {
            let cl = dd.lens[s] as u32;
            *slot = dd.codes[s] as u32 | cl << 16 | (cl + DIST_EXTRA[s] as u32) << 24;
        }
        debug_assert_eq!(NO_DIST as usize, NUM_DIST);
        let second = SECOND_LIT as usize;
        self.tail_tab[NUM_DIST..second].fill(0);
        for (b, slot) in self.tail_tab[second..second + 256].iter_mut().enumerate() {
            let cl = ll.lens[b] as u32;
            *slot = ll.codes[b] as u32 | cl << 16 | cl << 24;
        }
        self.eob = (ll.codes[EOB] as u64, ll.lens[EOB] as u32);
    }

    /// Bits of token `t` under the loaded tables.
    #[inline]
    fn token_bits(&self, t: u32) -> usize {
        let tail = ((t >> TOKEN_TAIL_SHIFT) & TOKEN_TAIL_MASK) as usize;
        ((self.lit_tab[(t & 511) as usize] >> 24) + (self.tail_tab[tail] >> 24)) as usize
    }

    /// Size of the block header (3 bits, plus the code description when dynamic).
    fn header_bits(&self, kind: Kind) -> usize {
        match kind {
            Kind::Dynamic => {
                let mut b = 3 + 14 + 3 * self.hclen;
                for &r in &self.rle[..self.nrle] {
                    let s = (r & 31) as usize;
                    b += self.clen.lens[s] as usize
                        + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7][s];
                }
                b
            }
            _ => 3,
        }
    }

    /// The longest prefix of the block's tokens that, written at `bitpos` as a
    /// `kind` block and followed by the sync marker, ends at or before `cap_bits`:
    /// returns the token count and the input bytes they cover.
    pub fn fitting_prefix(
        &mut self,
        sink: &Sink,
        kind: Kind,
        bitpos: usize,
        cap_bits: usize,
    ) -> (usize, usize) {
        self.load_tables(kind);
        let mut at = bitpos + self.header_bits(kind) + self.eob.1 as usize;
        let mut raw = 0usize;
        let mut best = (0, 0);
        for (k, &t) in sink.tokens[..sink.n].iter().enumerate() {
            at += self.token_bits(t);
            if sync_marker_end(at) > cap_bits {
                break;
            }
            raw += token_raw_len(t);
            best = (k + 1, raw);
        }
        best
    }

    /// Writes the first `ntok` tokens of `sink` as one `kind` (static or dynamic) block.
    pub fn write_huffman(
        &mut self,
        w: &mut BitWriter,
        sink: &Sink,
        ntok: usize,
        kind: Kind,
        last: bool,
        kernels: Kernels,
    ) {
        self.load_tables(kind);
        let btype = if kind == Kind::Dynamic { 2u64 } else { 1 };
        w.put(last as u64 | btype << 1, 3);
        if kind == Kind::Dynamic {
            self.write_dynamic_header(w);
        }
        w.put_tokens(
            &sink.tokens[..ntok.min(sink.n)],
            &self.lit_tab,
            &self.tail_tab,
            kernels,
        );
        w.put(self.eob.0, self.eob.1);
        w.flush();
    }

    fn write_dynamic_header(&self, w: &mut BitWriter) {
        w.put(
            (self.hlit - 257) as u64
                | ((self.hdist - 1) as u64) << 5
                | ((self.hclen - 4) as u64) << 10,
            14,
        );
        w.flush();
        for &s in &CLEN_ORDER[..self.hclen] {
            w.put(self.clen.lens[s] as u64, 3);
            w.flush();
        }
        for &r in &self.rle[..self.nrle] {
            let s = (r & 31) as usize % NUM_CLEN;
            let x = (r >> 5) as u64;
            let nx = [0u32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7][s];
            let cl = self.clen.lens[s] as u32;
            w.put(self.clen.codes[s] as u64 | x << cl, cl + nx);
            w.flush();
        }
    }
}

fn cost(freq: &[u32], lens: &[u8]) -> usize {
    freq.iter()
        .zip(lens)
        .map(|(&f, &l)| f as usize * l as usize)
        .sum()
}
