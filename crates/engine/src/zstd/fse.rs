//! Finite State Entropy (tANS) encoding as zstd uses it (RFC 8878 §4.1):
//! normalising a histogram, the table header that describes it, and the
//! encoding tables built from the same symbol spread the decoder uses.
//!
//! A distribution gives each symbol a count out of `1 << log` table states;
//! `-1` is a "less than one" count, a single state placed at the top of the
//! table (the predefined distributions use it). Encoding runs backwards: a
//! state is initialised with the last symbol, each earlier symbol writes
//! the bits the decoder will read to move on, and the final state is
//! written last (the decoder reads it first).

use super::bits::BitWriter;

/// Largest accuracy log any zstd table uses (literal and match lengths: 9).
pub(super) const MAX_LOG: u32 = 9;
/// Smallest accuracy log a table header can describe.
pub(super) const MIN_LOG: u32 = 5;
/// Largest alphabet (match-length codes 0..=52).
pub(super) const MAX_SYMBOLS: usize = 53;

/// Per-symbol transform of the encoder.
#[derive(Clone, Copy, Default)]
struct SymbolTransform {
    /// `(bits << 16) - threshold`: adding a state and shifting by 16 gives
    /// the number of bits the state writes.
    delta_nb_bits: u32,
    /// Where the symbol's next states start in `states`, less its count.
    delta_find_state: i32,
}

/// An encoding table for one distribution.
pub(super) struct CTable {
    log: u32,
    states: [u16; 1 << MAX_LOG],
    symbols: [SymbolTransform; MAX_SYMBOLS],
}

/// The symbol of each decoder state, in the order RFC 8878 §4.1.1 spreads
/// them: "less than one" symbols at the top, the others stepped through the
/// table by `5/8 size + 3`.
fn spread(norm: &[i16], log: u32, table: &mut [u8; 1 << MAX_LOG]) {
    let size = 1usize << log;
    let mut high = size - 1;
    for (s, &n) in norm.iter().enumerate() {
        if n == -1 {
            table[high] = s as u8;
            high = high.wrapping_sub(1);
        }
    }
    let step = (size >> 1) + (size >> 3) + 3;
    let mask = size - 1;
    let mut pos = 0usize;
    for (s, &n) in norm.iter().enumerate() {
        for _ in 0..n.max(0) {
            table[pos] = s as u8;
            pos = (pos + step) & mask;
            while pos > high {
                pos = (pos + step) & mask;
            }
        }
    }
}

impl CTable {
    pub(super) fn new() -> Self {
        CTable {
            log: MIN_LOG,
            states: [0; 1 << MAX_LOG],
            symbols: [SymbolTransform::default(); MAX_SYMBOLS],
        }
    }

    /// Rebuilds the table for `norm` (counts summing to `1 << log`, `-1`
    /// counting as one).
    pub(super) fn build(&mut self, norm: &[i16], log: u32) {
        debug_assert!(norm.len() <= MAX_SYMBOLS && (MIN_LOG..=MAX_LOG).contains(&log));
        let size = 1u32 << log;
        self.log = log;
        let mut table = [0u8; 1 << MAX_LOG];
        spread(norm, log, &mut table);
        let mut next = [0u16; MAX_SYMBOLS + 1];
        for (s, &n) in norm.iter().enumerate() {
            next[s + 1] = next[s] + if n == -1 { 1 } else { n.max(0) as u16 };
        }
        for (u, &s) in table[..size as usize].iter().enumerate() {
            let slot = &mut next[s as usize];
            self.states[*slot as usize] = (size + u as u32) as u16;
            *slot += 1;
        }
        let mut total = 0i32;
        for (s, &n) in norm.iter().enumerate() {
            self.symbols[s] = match n {
                0 => SymbolTransform {
                    delta_nb_bits: ((log + 1) << 16) - size,
                    delta_find_state: 0,
                },
                -1 | 1 => {
                    let t = SymbolTransform {
                        delta_nb_bits: (log << 16) - size,
                        delta_find_state: total - 1,
                    };
                    total += 1;
                    t
                }
                n => {
                    let n = n as u32;
                    let max_bits_out = log - (31 - (n - 1).leading_zeros());
                    let min_state_plus = n << max_bits_out;
                    let t = SymbolTransform {
                        delta_nb_bits: (max_bits_out << 16) - min_state_plus,
                        delta_find_state: total - n as i32,
                    };
                    total += n as i32;
                    t
                }
            };
        }
    }

    /// The state to start encoding with when `sym` is the last symbol (its
    /// first state, which writes no bits).
    #[inline]
    pub(super) fn init(&self, sym: u8) -> u32 {
        let t = self.symbols[sym as usize];
        let nb = (t.delta_nb_bits + (1 << 15)) >> 16;
        let value = (nb << 16).wrapping_sub(t.delta_nb_bits);
        self.states[((value >> nb) as i32 + t.delta_find_state) as usize & 511] as u32
    }

    /// Encodes `sym` from `state`: writes the state's low bits and moves to
    /// the state the decoder will have decoded `sym` from.
    #[inline(always)]
    pub(super) fn encode(&self, w: &mut BitWriter<'_>, state: &mut u32, sym: u8) {
        let t = self.symbols[sym as usize];
        let nb = (*state + t.delta_nb_bits) >> 16;
        w.add(u64::from(*state), nb);
        *state = self.states[((*state >> nb) as i32 + t.delta_find_state) as usize & 511] as u32;
    }

    /// Writes the final state (read first by the decoder).
    #[inline]
    pub(super) fn flush(&self, w: &mut BitWriter<'_>, state: u32) {
        w.add(u64::from(state), self.log);
    }
}

/// Highest set bit of a non-zero value.
pub(super) fn highbit(v: u32) -> u32 {
    31 - v.leading_zeros()
}

/// An accuracy log for `total` symbols of `used` distinct values: small
/// inputs get small tables (a cheaper header), never below `MIN_LOG` or
/// what `used` symbols need, never above `max_log`.
pub(super) fn table_log(total: u32, used: usize, max_log: u32) -> u32 {
    let want = highbit(total.max(2) - 1).saturating_sub(2);
    let need = highbit(used.max(1) as u32) + 2;
    want.max(need).clamp(MIN_LOG, max_log)
}

/// Normalises `counts` (summing to `total`, at least two symbols used) to
/// counts summing to `1 << log`, every used symbol keeping at least one
/// state. `norm` gets one entry per symbol up to the last used one.
pub(super) fn normalize(counts: &[u32], total: u32, log: u32, norm: &mut [i16]) -> usize {
    let scale = 1i64 << log;
    let len = counts.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
    let mut sum = 0i64;
    let mut biggest = 0usize;
    for s in 0..len {
        let c = counts[s];
        norm[s] = if c == 0 {
            0
        } else {
            // Rounded share of the table, at least one state.
            ((i64::from(c) * scale + i64::from(total) / 2) / i64::from(total)).max(1) as i16
        };
        sum += i64::from(norm[s]);
        if c > counts[biggest] {
            biggest = s;
        }
    }
    let mut diff = scale - sum;
    if diff > 0 {
        norm[biggest] += diff as i16;
    }
    while diff < 0 {
        // Take from the largest counts, which lose the least by it.
        let (s, _) = norm[..len]
            .iter()
            .enumerate()
            .max_by_key(|&(_, &n)| n)
            .unwrap_or((0, &0));
        if norm[s] <= 1 {
            break;
        }
        norm[s] -= 1;
        diff += 1;
    }
    len
}

/// Writes the table header (RFC 8878 §4.1.1) describing `norm` at accuracy
/// `log`; returns its length, `None` if `out` is too short.
pub(super) fn write_header(norm: &[i16], log: u32, out: &mut [u8]) -> Option<usize> {
    let mut w = BitWriter::new(out);
    w.add(u64::from(log - MIN_LOG), 4);
    let mut remaining = (1i32 << log) + 1;
    let mut threshold = 1i32 << log;
    let mut nb_bits = log + 1;
    let mut s = 0usize;
    let mut previous_zero = false;
    while s < norm.len() && remaining > 1 {
        if previous_zero {
            // A zero count is followed by 2-bit repeat flags counting the
            // further zeros: 3 means "three more and another flag".
            let mut start = s;
            while s < norm.len() && norm[s] == 0 {
                s += 1;
            }
            if s == norm.len() {
                return None;
            }
            while s >= start + 24 {
                start += 24;
                w.add(0xFFFF, 16);
            }
            while s >= start + 3 {
                start += 3;
                w.add(3, 2);
            }
            w.add((s - start) as u64, 2);
        }
        let mut count = i32::from(norm[s]);
        s += 1;
        let max = (2 * threshold - 1) - remaining;
        remaining -= count.abs();
        count += 1;
        if count >= threshold {
            count += max;
        }
        // Values below `max` need one bit less.
        w.add(count as u64, nb_bits - u32::from(count < max));
        previous_zero = count == 1;
        if remaining < 1 {
            return None;
        }
        while remaining < threshold {
            nb_bits -= 1;
            threshold >>= 1;
        }
    }
    if remaining != 1 {
        return None;
    }
    w.flush()
}

/// Approximate cost in bits of coding `counts` with `norm` at `log`
/// (each symbol costs `log - log2(norm)` bits), `None` when a used symbol
/// has no state.
pub(super) fn cost_bits(counts: &[u32], norm: &[i16], log: u32) -> Option<u64> {
    let mut bits = 0f64;
    for (s, &c) in counts.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let n = match norm.get(s) {
            Some(-1) => 1,
            Some(&n) if n > 0 => n,
            _ => return None,
        };
        bits += f64::from(c) * (f64::from(log) - f64::from(n).log2());
    }
    Some(bits.ceil() as u64)
}

/// The decoder's table for `norm` (RFC 8878 §4.1.1): per state, its
/// symbol, bits to read and the base the bits are added to.
#[cfg(test)]
pub(super) fn decoding_table(norm: &[i16], log: u32) -> Vec<(u8, u32, u32)> {
    let size = 1u32 << log;
    let mut table = [0u8; 1 << MAX_LOG];
    spread(norm, log, &mut table);
    let mut next: Vec<u32> = norm
        .iter()
        .map(|&n| if n == -1 { 1 } else { n.max(0) as u32 })
        .collect();
    table[..size as usize]
        .iter()
        .map(|&s| {
            let x = next[s as usize];
            next[s as usize] += 1;
            let nb = log - highbit(x);
            (s, nb, (x << nb) - size)
        })
        .collect()
}

/// Reads a backward bitstream as zstd's decoders do: from the end mark
/// down, each read taking the next bits as a number.
#[cfg(test)]
pub(super) struct BackwardReader<'a> {
    src: &'a [u8],
    /// Bits not yet read (they are the low `left` bits of the stream).
    pub(super) left: usize,
}

#[cfg(test)]
impl<'a> BackwardReader<'a> {
    pub(super) fn new(src: &'a [u8]) -> Self {
        let last = src[src.len() - 1];
        assert_ne!(last, 0, "a backward stream ends with its mark");
        let left = (src.len() - 1) * 8 + highbit(u32::from(last)) as usize;
        BackwardReader { src, left }
    }

    pub(super) fn read(&mut self, n: u32) -> u32 {
        assert!(n as usize <= self.left, "read past the start of the stream");
        let mut v = 0u32;
        for _ in 0..n {
            self.left -= 1;
            let bit = (self.src[self.left / 8] >> (self.left % 8)) & 1;
            v = v << 1 | u32::from(bit);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_symbols_decode_with_the_decoders_table() {
        let mut x = 0x9E37_79B9u32;
        for (log, alphabet) in [(5u32, 3usize), (6, 12), (9, 53)] {
            // Skewed random symbols: low symbols far more frequent.
            let syms: Vec<u8> = (0..3_000)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    ((x % alphabet as u32) * (x >> 8 & 3) / 3) as u8
                })
                .collect();
            let mut counts = [0u32; MAX_SYMBOLS];
            for &s in &syms {
                counts[s as usize] += 1;
            }
            let mut norm = [0i16; MAX_SYMBOLS];
            let len = normalize(&counts, syms.len() as u32, log, &mut norm);
            let mut t = CTable::new();
            t.build(&norm[..len], log);
            let mut buf = vec![0u8; 4096];
            let mut w = BitWriter::new(&mut buf);
            let mut state = t.init(syms[syms.len() - 1]);
            for &s in syms[..syms.len() - 1].iter().rev() {
                t.encode(&mut w, &mut state, s);
            }
            t.flush(&mut w, state);
            let n = w.finish().unwrap();
            let dt = decoding_table(&norm[..len], log);
            let mut r = BackwardReader::new(&buf[..n]);
            let mut st = r.read(log) as usize;
            for (i, &want) in syms.iter().enumerate() {
                let (sym, nb, base) = dt[st];
                assert_eq!(sym, want, "log {log}, symbol {i}");
                if i + 1 < syms.len() {
                    st = (base + r.read(nb)) as usize;
                }
            }
            assert_eq!(r.left, 0, "log {log}: every bit read");
        }
    }

    /// Reads a table header back the way RFC 8878 §4.1.1 describes.
    fn read_header(src: &[u8]) -> (Vec<i16>, u32, usize) {
        let mut bitpos = 0usize;
        let mut get = |n: u32| -> u32 {
            let mut v = 0u32;
            for k in 0..n {
                let b = (src[(bitpos + k as usize) / 8] >> ((bitpos + k as usize) % 8)) & 1;
                v |= u32::from(b) << k;
            }
            bitpos += n as usize;
            v
        };
        let log = get(4) + MIN_LOG;
        let mut remaining = (1i32 << log) + 1;
        let mut threshold = 1i32 << log;
        let mut nb = log + 1;
        let mut norm = Vec::new();
        let mut prev0 = false;
        while remaining > 1 {
            if prev0 {
                loop {
                    let r = get(2);
                    norm.resize(norm.len() + r as usize, 0);
                    if r != 3 {
                        break;
                    }
                }
            }
            let max = (2 * threshold - 1) - remaining;
            let low = get(nb - 1) as i32;
            let count = if low < max {
                low
            } else {
                let v = low | (get(1) as i32) << (nb - 1);
                if v >= threshold {
                    v - max
                } else {
                    v
                }
            } - 1;
            remaining -= count.abs();
            norm.push(count as i16);
            prev0 = count == 0;
            while remaining < threshold {
                nb -= 1;
                threshold >>= 1;
            }
        }
        (norm, log, bitpos.div_ceil(8))
    }

    #[test]
    fn headers_read_back_as_written() {
        let cases: [&[i16]; 3] = [
            // The predefined literal-length distribution (RFC 8878 §3.1.1.3.2.2.1).
            &[
                4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1,
                1, 1, 1, 1, -1, -1, -1, -1,
            ],
            &[
                0, 0, 0, 0, 0, 7, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 24,
            ],
            &[20, 0, 0, 0, 12],
        ];
        for (norm, log) in cases.iter().zip([6, 5, 5]) {
            let mut buf = [0u8; 64];
            let n = write_header(norm, log, &mut buf).unwrap();
            let (back, blog, used) = read_header(&buf[..n]);
            assert_eq!((&back[..], blog, used), (*norm, log, n));
        }
    }

    #[test]
    fn normalized_counts_fill_the_table() {
        let counts = [1000, 1, 0, 0, 3, 50_000, 7];
        let mut norm = [0i16; 7];
        for log in 5..=9 {
            let len = normalize(&counts, counts.iter().sum(), log, &mut norm);
            assert_eq!(len, 7);
            let sum: i32 = norm.iter().map(|&n| i32::from(n)).sum();
            assert_eq!(sum, 1 << log);
            for (c, n) in counts.iter().zip(norm) {
                assert_eq!(*c == 0, n == 0);
            }
        }
    }
}
