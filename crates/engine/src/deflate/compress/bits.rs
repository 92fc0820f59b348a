//! LSB-first bit output into a caller-owned byte slice.
//!
//! The block writer checks that a block fits before writing it, so the writer's own
//! checks exist only to turn a sizing mistake into a flagged error instead of a panic.

use super::matcher::{TOKEN_DEXTRA_SHIFT, TOKEN_TAIL_MASK, TOKEN_TAIL_SHIFT};
use crate::kernels::Kernels;

pub struct BitWriter<'a> {
    out: &'a mut [u8],
    /// Bytes fully written.
    pos: usize,
    /// Pending bits, LSB first; always fewer than 64, and fewer than 8 after `flush`.
    buf: u64,
    nbits: u32,
    /// Set when a write went past the end of `out` (a sizing bug, never expected).
    overrun: bool,
}

/// A token's code bits (literal/length code, its extra bits, then the tail:
/// distance code and extra bits, or a second literal's code, in stream
/// order) and their count (at most 48).
#[inline(always)]
fn token_code(t: u32, tab: &[u32; 512], tail_tab: &[u32; 512]) -> (u64, u32) {
    let e = tab[(t & 511) as usize];
    let de = tail_tab[((t >> TOKEN_TAIL_SHIFT) & TOKEN_TAIL_MASK) as usize];
    let dbits = (de & 0xFFFF) as u64 | ((t >> TOKEN_DEXTRA_SHIFT) as u64) << ((de >> 16) & 0xFF);
    let ln = e >> 24;
    ((e & 0xFF_FFFF) as u64 | dbits << ln, ln + (de >> 24))
}

/// Tokens the writer codes in one batch, and the output room a batch needs
/// (48 bits a token, plus the 8-byte store of the last).
const BATCH: usize = 32;
const BATCH_BYTES: usize = BATCH * 6 + 8;

/// Stores the 8 bytes of `buf` at `w[q..]` (`q` stays below `BATCH * 6`).
#[inline(always)]
fn put8(w: &mut [u8; BATCH_BYTES], q: usize, buf: u64) {
    if let Some(d) = w.get_mut(q..q + 8) {
        d.copy_from_slice(&buf.to_le_bytes());
    }
}

impl<'a> BitWriter<'a> {
    pub fn new(out: &'a mut [u8]) -> Self {
        BitWriter {
            out,
            pos: 0,
            buf: 0,
            nbits: 0,
            overrun: false,
        }
    }

    /// A writer whose output starts with the `n` (< 8) low bits of `bits`:
    /// the partial last byte of a previous output, continued here.
    pub fn with_pending(out: &'a mut [u8], bits: u8, n: u32) -> Self {
        let n = n.min(7);
        BitWriter {
            out,
            pos: 0,
            buf: u64::from(bits) & ((1u64 << n) - 1),
            nbits: n,
            overrun: false,
        }
    }

    /// Bits written so far (committed and pending).
    #[inline(always)]
    pub fn bit_pos(&self) -> usize {
        self.pos * 8 + self.nbits as usize
    }

    /// Appends `n` bits of `bits` (higher bits of `bits` must be zero). After a
    /// `flush`, up to 56 bits may be appended before the next one.
    #[inline(always)]
    pub fn put(&mut self, bits: u64, n: u32) {
        debug_assert!(self.nbits + n <= 64);
        debug_assert!(n == 64 || bits >> n == 0);
        self.buf |= bits << self.nbits;
        self.nbits += n;
    }

    /// Moves whole bytes of the pending bits to the output.
    #[inline(always)]
    pub fn flush(&mut self) {
        let adv = (self.nbits >> 3) as usize;
        if let Some(w) = self.out.get_mut(self.pos..self.pos + 8) {
            // Writing all 8 bytes and advancing by the whole ones avoids a loop; the
            // bytes past `adv` are rewritten by the next flush.
            w.copy_from_slice(&self.buf.to_le_bytes());
        } else {
            self.flush_slow(adv);
        }
        self.pos += adv;
        // adv <= 7, so the shift is below 64.
        self.buf >>= adv * 8;
        self.nbits &= 7;
    }

    #[cold]
    fn flush_slow(&mut self, adv: usize) {
        let bytes = self.buf.to_le_bytes();
        for (k, &b) in bytes.iter().enumerate().take(adv) {
            match self.out.get_mut(self.pos + k) {
                Some(slot) => *slot = b,
                None => self.overrun = true,
            }
        }
    }

    /// Writes block tokens (see the matcher's token layout) with the per-block
    /// tables: one branch-free step per token, the writer's state in registers.
    pub fn put_tokens(
        &mut self,
        tokens: &[u32],
        tab: &[u32; 512],
        tail_tab: &[u32; 512],
        kernels: Kernels,
    ) {
        #[cfg(target_arch = "x86_64")]
        if kernels == Kernels::Avx2 && kernels.runs_here() {
            // SAFETY: `put_tokens_avx2` only requires the features of
            // `Kernels::Avx2`, which the CPU was just found to have.
            #[allow(unsafe_code)]
            return unsafe { self.put_tokens_avx2(tokens, tab, tail_tab) };
        }
        let _ = kernels;
        self.put_tokens_body(tokens, tab, tail_tab)
    }

    /// [`BitWriter::put_tokens`] compiled for [`Kernels::Avx2`] (BMI2's
    /// shifts by a register other than `cl` save a move per shift).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,bmi1,bmi2,lzcnt")]
    fn put_tokens_avx2(&mut self, tokens: &[u32], tab: &[u32; 512], tail_tab: &[u32; 512]) {
        self.put_tokens_body(tokens, tab, tail_tab)
    }

    #[inline(always)]
    fn put_tokens_body(&mut self, tokens: &[u32], tab: &[u32; 512], tail_tab: &[u32; 512]) {
        self.flush();
        let mut buf = self.buf;
        let mut nbits = self.nbits;
        let mut pos = self.pos;
        let out = &mut *self.out;
        let mut k = 0;
        // Fast path while 8-byte stores stay inside the output.
        let out_len = out.len();
        // Batches of BATCH tokens: their codes are formed first, off the
        // writer's dependency chain, then put in the bit buffer two at a
        // time. A token takes at most 48 bits, so a batch writes fewer than
        // BATCH_BYTES.
        let mut batches = tokens.chunks_exact(BATCH);
        for batch in &mut batches {
            let Some(w) = out
                .get_mut(pos..pos + BATCH_BYTES)
                .and_then(|w| <&mut [u8; BATCH_BYTES]>::try_from(w).ok())
            else {
                break;
            };
            let mut vs = [0u64; BATCH];
            let mut ls = [0u32; BATCH];
            for ((&t, v), l) in batch.iter().zip(&mut vs).zip(&mut ls) {
                (*v, *l) = token_code(t, tab, tail_tab);
            }
            let mut q = 0usize;
            // One step of the bit buffer's dependency chain: `l` bits of `v`
            // in, the whole bytes out.
            let mut insert = |v: u64, l: u32| {
                buf |= v << nbits;
                nbits += l;
                put8(w, q, buf);
                let adv = nbits >> 3;
                q += adv as usize;
                buf >>= adv * 8;
                nbits &= 7;
            };
            for j in (0..BATCH).step_by(2) {
                let (v0, l0, v1, l1) = (vs[j], ls[j], vs[j + 1], ls[j + 1]);
                // When both fit in one insertion (the usual case: together at
                // most 56 bits, with at most 7 pending) the chain takes one
                // step for the pair, else one per token.
                if l0 + l1 <= 56 {
                    insert(v0 | v1 << l0, l0 + l1);
                } else {
                    insert(v0, l0);
                    insert(v1, l1);
                }
            }
            pos += q;
            k += BATCH;
        }
        while k < tokens.len() && pos + 8 <= out_len {
            let (v, l) = token_code(tokens[k], tab, tail_tab);
            buf |= v << nbits;
            nbits += l;
            if let Some(wd) = out.get_mut(pos..pos + 8) {
                wd.copy_from_slice(&buf.to_le_bytes());
            }
            let adv = nbits >> 3;
            pos += adv as usize;
            buf >>= adv * 8;
            nbits &= 7;
            k += 1;
        }
        self.buf = buf;
        self.nbits = nbits;
        self.pos = pos;
        for &t in &tokens[k..] {
            let (v, l) = token_code(t, tab, tail_tab);
            self.put(v, l);
            self.flush();
        }
    }

    /// Pads the pending bits with zeros to a byte boundary and writes them out.
    pub fn align(&mut self) {
        self.flush();
        let pad = (8 - (self.nbits & 7)) & 7;
        self.nbits += pad;
        self.flush();
    }

    /// Writes raw bytes; the writer must be byte-aligned.
    pub fn put_bytes(&mut self, bytes: &[u8]) {
        debug_assert_eq!(self.nbits, 0);
        match self.out.get_mut(self.pos..self.pos + bytes.len()) {
            Some(w) => w.copy_from_slice(bytes),
            None => {
                self.overrun = true;
                return;
            }
        }
        self.pos += bytes.len();
    }

    /// Pads to a byte boundary and returns the number of bytes written.
    pub fn finish(mut self) -> (usize, bool) {
        self.align();
        (self.pos, self.overrun)
    }

    /// Writes the whole bytes out without padding: (bytes written, the
    /// bits of the partial last byte, how many there are (< 8), overrun).
    pub fn finish_unaligned(mut self) -> (usize, u8, u8, bool) {
        self.flush();
        (self.pos, self.buf as u8, self.nbits as u8, self.overrun)
    }
}
