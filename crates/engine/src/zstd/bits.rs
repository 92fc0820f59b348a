//! The bit writer of zstd's backward streams (Huffman literal streams, FSE
//! bitstreams) and of the forward FSE table headers.
//!
//! Bits are packed LSB first: the first bits written end up in the low bits
//! of the first byte. A backward stream is closed by a single 1 bit (the end
//! mark the decoder finds as the highest set bit of the last byte) and read
//! from its end, so the value written last is read first.

/// Packs bits into a byte slice; running past its end is recorded, not a
/// panic, and makes [`BitWriter::finish`] fail.
pub(super) struct BitWriter<'a> {
    out: &'a mut [u8],
    pos: usize,
    acc: u64,
    nbits: u32,
    overflow: bool,
}

impl<'a> BitWriter<'a> {
    pub(super) fn new(out: &'a mut [u8]) -> Self {
        BitWriter {
            out,
            pos: 0,
            acc: 0,
            nbits: 0,
            overflow: false,
        }
    }

    /// Appends the low `n` bits of `value` (`n` at most 32).
    #[inline(always)]
    pub(super) fn add(&mut self, value: u64, n: u32) {
        debug_assert!(n <= 32);
        self.acc |= (value & ((1u64 << n) - 1)) << self.nbits;
        self.nbits += n;
        if self.nbits >= 32 {
            match self.out.get_mut(self.pos..self.pos + 4) {
                Some(d) => d.copy_from_slice(&(self.acc as u32).to_le_bytes()),
                None => self.overflow = true,
            }
            self.pos += 4;
            self.acc >>= 32;
            self.nbits -= 32;
        }
    }

    /// Writes out the bits still held, padding the last byte with zeros;
    /// returns the bytes written, `None` if they did not fit.
    pub(super) fn flush(mut self) -> Option<usize> {
        let bytes = self.nbits.div_ceil(8) as usize;
        match self.out.get_mut(self.pos..self.pos + bytes) {
            Some(d) => d.copy_from_slice(&self.acc.to_le_bytes()[..bytes]),
            None => self.overflow = true,
        }
        (!self.overflow).then_some(self.pos + bytes)
    }

    /// Closes a backward stream with its end mark; returns its length,
    /// `None` if it did not fit.
    pub(super) fn finish(mut self) -> Option<usize> {
        self.add(1, 1);
        self.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_pack_lsb_first_and_end_with_the_mark() {
        let mut buf = [0u8; 8];
        let mut w = BitWriter::new(&mut buf);
        w.add(0b101, 3);
        w.add(0xFFFF_FFFF, 32);
        w.add(0, 2);
        assert_eq!(w.finish(), Some(5));
        // 3 + 32 + 2 bits, then the mark at bit 37.
        assert_eq!(buf[..5], [0xFD, 0xFF, 0xFF, 0xFF, 0x27]);
        let mut small = [0u8; 2];
        let mut w = BitWriter::new(&mut small);
        w.add(1, 20);
        assert_eq!(w.finish(), None);
    }
}
