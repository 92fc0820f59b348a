//! The sequences section of a compressed block (RFC 8878 §3.1.1.3.2): the
//! number of sequences, each code's table mode, and the FSE bitstream.
//!
//! Literal lengths, match lengths and offsets are each turned into a code
//! (coded with FSE) plus extra bits. Each of the three gets, per block, the
//! cheapest of: the predefined distribution, RLE (a single code), or a
//! distribution built from the block's own codes and described in the
//! block. An offset equal to one of the three most recent offsets is sent
//! as its repeat code (RFC 8878 §3.1.1.5), others as `offset + 3`.

use super::bits::BitWriter;
use super::fse::{self, highbit, CTable, MAX_SYMBOLS};

/// One zstd sequence. `offset` is the match offset until
/// [`SequencesCoder::write`] replaces it by the `Offset_Value` it codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Seq {
    pub(super) literals: u32,
    pub(super) match_len: u32,
    pub(super) offset: u32,
}

/// The repeat offsets a frame starts with.
pub(super) const INITIAL_REPEATS: [u32; 3] = [1, 4, 8];

/// The `Offset_Value` for a match at `offset` after `literals` literals,
/// given the recent offsets `rep`, which it updates as the decoder will.
fn offset_value(offset: u32, literals: u32, rep: &mut [u32; 3]) -> u32 {
    let ll0 = u32::from(literals == 0);
    // Repeat index: 0..=2 the recent offsets, 3 the most recent less one
    // (which only a sequence without literals can name, and which takes
    // the place of index 0 there).
    let idx = if ll0 == 0 && offset == rep[0] {
        Some(0)
    } else if offset == rep[1] {
        Some(1)
    } else if offset == rep[2] {
        Some(2)
    } else if ll0 == 1 && rep[0] > 1 && offset == rep[0] - 1 {
        Some(3)
    } else {
        None
    };
    match idx {
        None => {
            *rep = [offset, rep[0], rep[1]];
            offset + 3
        }
        Some(i) => {
            match i {
                0 => {}
                1 => *rep = [offset, rep[0], rep[2]],
                _ => *rep = [offset, rep[0], rep[1]],
            }
            i + 1 - ll0
        }
    }
}

/// Baseline and extra bits of the literal-length codes 0..=35.
const LL_BASE: [u32; 36] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 24, 28, 32, 40, 48, 64,
    128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536,
];
const LL_BITS: [u8; 36] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11,
    12, 13, 14, 15, 16,
];
/// Baseline and extra bits of the match-length codes 0..=52.
const ML_BASE: [u32; 53] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
    28, 29, 30, 31, 32, 33, 34, 35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027,
    2051, 4099, 8195, 16387, 32771, 65539,
];
const ML_BITS: [u8; 53] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
];

/// The predefined distributions (RFC 8878 §3.1.1.3.2.2) and their logs.
const LL_DEFAULT: [i16; 36] = [
    4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1,
    -1, -1, -1, -1,
];
const ML_DEFAULT: [i16; 53] = [
    1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1,
];
const OF_DEFAULT: [i16; 29] = [
    1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1,
];
const LL_DEFAULT_LOG: u32 = 6;
const ML_DEFAULT_LOG: u32 = 6;
const OF_DEFAULT_LOG: u32 = 5;
/// Largest accuracy logs of a block's own tables.
const LL_MAX_LOG: u32 = 9;
const ML_MAX_LOG: u32 = 9;
const OF_MAX_LOG: u32 = 8;

/// Largest code of the largest offset a frame can carry here (offsets are
/// below 2^17 after the `+ 3`).
const OF_MAX_CODE: usize = 28;

/// The smallest code whose baseline is at most `v`.
const fn code_table<const N: usize>(base: &[u32]) -> [u8; N] {
    let mut t = [0u8; N];
    let mut v = 0;
    while v < N {
        let mut c = 0;
        while c + 1 < base.len() && base[c + 1] <= (v as u32 + base[0]) {
            c += 1;
        }
        t[v] = c as u8;
        v += 1;
    }
    t
}
static LL_CODE: [u8; 64] = code_table::<64>(&LL_BASE);
static ML_CODE: [u8; 128] = code_table::<128>(&ML_BASE);

#[inline]
fn ll_code(ll: u32) -> u8 {
    if ll < 64 {
        LL_CODE[ll as usize]
    } else {
        (highbit(ll) + 19) as u8
    }
}

#[inline]
fn ml_code(ml: u32) -> u8 {
    let m = ml - 3;
    if m < 128 {
        ML_CODE[m as usize]
    } else {
        (highbit(m) + 36) as u8
    }
}

#[inline]
fn of_code(value: u32) -> u8 {
    highbit(value) as u8
}

/// How one of the three codes is coded in a block.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Predefined,
    Rle(u8),
    Compressed,
}

/// The three tables of one code kind: the predefined one (built once) and
/// the block's own.
struct Kind {
    default: CTable,
    default_norm: &'static [i16],
    default_log: u32,
    max_log: u32,
    own: CTable,
}

impl Kind {
    fn new(norm: &'static [i16], log: u32, max_log: u32) -> Self {
        let mut default = CTable::new();
        default.build(norm, log);
        Kind {
            default,
            default_norm: norm,
            default_log: log,
            max_log,
            own: CTable::new(),
        }
    }

    /// Chooses the mode for `counts` (of `n` sequences) and writes what the
    /// mode needs (an RLE byte, a table header) to `out`; returns the mode
    /// and the bytes written. A block table is built when chosen.
    fn choose(&mut self, counts: &[u32], n: u32, out: &mut [u8]) -> Option<(Mode, usize)> {
        let distinct = counts.iter().filter(|&&c| c != 0).count();
        if distinct == 1 {
            let s = counts.iter().position(|&c| c != 0)? as u8;
            *out.first_mut()? = s;
            return Some((Mode::Rle(s), 1));
        }
        let predefined = fse::cost_bits(counts, self.default_norm, self.default_log);
        let log = fse::table_log(n, distinct, self.max_log);
        let mut norm = [0i16; MAX_SYMBOLS];
        let len = fse::normalize(counts, n, log, &mut norm);
        let mut header = [0u8; 2 * MAX_SYMBOLS];
        let own = fse::write_header(&norm[..len], log, &mut header)
            .and_then(|h| Some((h, fse::cost_bits(counts, &norm[..len], log)? + 8 * h as u64)));
        match (own, predefined) {
            (Some((h, cost)), p) if p.is_none_or(|p| cost < p) => {
                out.get_mut(..h)?.copy_from_slice(&header[..h]);
                self.own.build(&norm[..len], log);
                Some((Mode::Compressed, h))
            }
            (_, Some(_)) => Some((Mode::Predefined, 0)),
            _ => None,
        }
    }

    fn table(&self, mode: Mode) -> &CTable {
        match mode {
            Mode::Compressed => &self.own,
            _ => &self.default,
        }
    }
}

/// Workspace of the sequences coder, kept across blocks.
pub(super) struct SequencesCoder {
    ll: Kind,
    ml: Kind,
    of: Kind,
}

impl SequencesCoder {
    pub(super) fn new() -> Self {
        SequencesCoder {
            ll: Kind::new(&LL_DEFAULT, LL_DEFAULT_LOG, LL_MAX_LOG),
            ml: Kind::new(&ML_DEFAULT, ML_DEFAULT_LOG, ML_MAX_LOG),
            of: Kind::new(&OF_DEFAULT, OF_DEFAULT_LOG, OF_MAX_LOG),
        }
    }

    /// Writes the sequences section for `seqs` at the start of `out`,
    /// coding offsets against the recent offsets `rep` (updated to what the
    /// decoder will have after the block); returns its length, `None` if it
    /// does not fit.
    pub(super) fn write(
        &mut self,
        seqs: &mut [Seq],
        rep: &mut [u32; 3],
        out: &mut [u8],
    ) -> Option<usize> {
        let n = seqs.len();
        let mut at = match n {
            0..=127 => {
                *out.first_mut()? = n as u8;
                1
            }
            128..=0x7EFF => {
                out.get_mut(..2)?
                    .copy_from_slice(&[(n >> 8) as u8 + 128, n as u8]);
                2
            }
            _ => {
                let m = n - 0x7F00;
                out.get_mut(..3)?
                    .copy_from_slice(&[255, m as u8, (m >> 8) as u8]);
                3
            }
        };
        if n == 0 {
            return Some(at);
        }
        let mut ll_counts = [0u32; 36];
        let mut ml_counts = [0u32; 53];
        let mut of_counts = [0u32; OF_MAX_CODE + 1];
        for s in seqs.iter_mut() {
            s.offset = offset_value(s.offset, s.literals, rep);
            ll_counts[ll_code(s.literals) as usize] += 1;
            ml_counts[ml_code(s.match_len) as usize] += 1;
            of_counts[of_code(s.offset) as usize] += 1;
        }
        let modes_at = at;
        at += 1;
        let n32 = n as u32;
        let (ll_mode, h) = self.ll.choose(&ll_counts, n32, out.get_mut(at..)?)?;
        at += h;
        let (of_mode, h) = self.of.choose(&of_counts, n32, out.get_mut(at..)?)?;
        at += h;
        let (ml_mode, h) = self.ml.choose(&ml_counts, n32, out.get_mut(at..)?)?;
        at += h;
        let bits = |m: Mode| match m {
            Mode::Predefined => 0u8,
            Mode::Rle(_) => 1,
            Mode::Compressed => 2,
        };
        *out.get_mut(modes_at)? = bits(ll_mode) << 6 | bits(of_mode) << 4 | bits(ml_mode) << 2;

        let (llt, mlt, oft) = (
            self.ll.table(ll_mode),
            self.ml.table(ml_mode),
            self.of.table(of_mode),
        );
        let mut w = BitWriter::new(out.get_mut(at..)?);
        // The last sequence starts the states (RLE codes need no state).
        let last = seqs[n - 1];
        let (lc, mc, oc) = (
            ll_code(last.literals),
            ml_code(last.match_len),
            of_code(last.offset),
        );
        let rle = |m: Mode| matches!(m, Mode::Rle(_));
        let mut ll_state = if rle(ll_mode) { 0 } else { llt.init(lc) };
        let mut ml_state = if rle(ml_mode) { 0 } else { mlt.init(mc) };
        let mut of_state = if rle(of_mode) { 0 } else { oft.init(oc) };
        put_extra(&mut w, last);
        for s in seqs[..n - 1].iter().rev() {
            let (lc, mc, oc) = (ll_code(s.literals), ml_code(s.match_len), of_code(s.offset));
            // States in the reverse of the decoder's update order (LL, ML,
            // OF), extra bits in the reverse of its read order (OF, ML, LL).
            if !rle(of_mode) {
                oft.encode(&mut w, &mut of_state, oc);
            }
            if !rle(ml_mode) {
                mlt.encode(&mut w, &mut ml_state, mc);
            }
            if !rle(ll_mode) {
                llt.encode(&mut w, &mut ll_state, lc);
            }
            put_extra(&mut w, *s);
        }
        // Initial states: the decoder reads LL, then OF, then ML.
        if !rle(ml_mode) {
            mlt.flush(&mut w, ml_state);
        }
        if !rle(of_mode) {
            oft.flush(&mut w, of_state);
        }
        if !rle(ll_mode) {
            llt.flush(&mut w, ll_state);
        }
        Some(at + w.finish()?)
    }
}

/// The extra bits of one sequence: literal length, match length, offset.
#[inline(always)]
fn put_extra(w: &mut BitWriter<'_>, s: Seq) {
    let lc = ll_code(s.literals) as usize;
    let mc = ml_code(s.match_len) as usize;
    let value = s.offset;
    let oc = highbit(value);
    w.add(u64::from(s.literals - LL_BASE[lc]), u32::from(LL_BITS[lc]));
    w.add(u64::from(s.match_len - ML_BASE[mc]), u32::from(ML_BITS[mc]));
    w.add(u64::from(value - (1 << oc)), oc);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeat_offsets_follow_the_decoders_history() {
        let mut rep = INITIAL_REPEATS;
        // A new offset goes to the front.
        assert_eq!(offset_value(100, 5, &mut rep), 103);
        assert_eq!(rep, [100, 1, 4]);
        // The most recent again, after literals: code 1, no change.
        assert_eq!(offset_value(100, 2, &mut rep), 1);
        assert_eq!(rep, [100, 1, 4]);
        // Without literals, code 1 names the second: they swap.
        assert_eq!(offset_value(1, 0, &mut rep), 1);
        assert_eq!(rep, [1, 100, 4]);
        // The third moves to the front.
        assert_eq!(offset_value(4, 7, &mut rep), 3);
        assert_eq!(rep, [4, 1, 100]);
        // Without literals, code 3 is the most recent less one.
        assert_eq!(offset_value(3, 0, &mut rep), 3);
        assert_eq!(rep, [3, 4, 1]);
        // The most recent without literals is not a repeat code.
        assert_eq!(offset_value(3, 0, &mut rep), 6);
        assert_eq!(rep, [3, 3, 4]);
    }

    #[test]
    fn codes_cover_their_baselines() {
        for ll in 0..131_072u32 {
            let c = ll_code(ll) as usize;
            assert!(
                LL_BASE[c] <= ll && ll - LL_BASE[c] < 1 << LL_BITS[c],
                "ll {ll}"
            );
        }
        for ml in 3..131_075u32 {
            let c = ml_code(ml) as usize;
            assert!(
                ML_BASE[c] <= ml && ml - ML_BASE[c] < 1 << ML_BITS[c],
                "ml {ml}"
            );
        }
        assert_eq!(of_code(1 + 3), 2);
        assert_eq!(of_code(65_535 + 3), 16);
    }

    /// The decoding tables of the predefined codes, as RFC 8878 Appendix A
    /// lists them: the same spread the encoder's tables are built from.
    #[test]
    fn predefined_tables_match_rfc_8878_appendix_a() {
        let text = include_str!("../../tests/data/zstd_predefined_tables.txt");
        for (name, norm, log) in [
            ("LL", &LL_DEFAULT[..], LL_DEFAULT_LOG),
            ("ML", &ML_DEFAULT[..], ML_DEFAULT_LOG),
            ("OF", &OF_DEFAULT[..], OF_DEFAULT_LOG),
        ] {
            let want: Vec<(u8, u32, u32)> = text
                .lines()
                .filter(|l| l.starts_with(name))
                .enumerate()
                .map(|(i, l)| {
                    let v: Vec<u32> = l[3..].split(' ').map(|f| f.parse().unwrap()).collect();
                    assert_eq!(v[0] as usize, i, "{l}");
                    (v[1] as u8, v[2], v[3])
                })
                .collect();
            assert_eq!(want.len(), 1 << log, "{name}");
            assert_eq!(fse::decoding_table(norm, log), want, "{name}");
        }
    }

    #[test]
    fn predefined_distributions_fill_their_tables() {
        for (norm, log) in [
            (&LL_DEFAULT[..], LL_DEFAULT_LOG),
            (&ML_DEFAULT[..], ML_DEFAULT_LOG),
            (&OF_DEFAULT[..], OF_DEFAULT_LOG),
        ] {
            let sum: i32 = norm.iter().map(|&n| i32::from(n.abs())).sum();
            assert_eq!(sum, 1 << log);
        }
    }
}
