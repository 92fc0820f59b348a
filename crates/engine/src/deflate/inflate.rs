//! The validating deflate decoder (RFC 1951).
//!
//! QAT reports *why* a stream is invalid (`CpaDcReqStatus` −1…−10), and it can
//! decode a request that ends at a block boundary without BFINAL. General
//! purpose decoders do neither exactly (libdeflate, for one, accepts several
//! streams the RFC calls invalid), so this decoder is written here to the rules
//! below. It decodes every decompression request ([`super::decompress`]),
//! and it is the verifier of compress-and-verify.
//!
//! # Speed
//!
//! It must decode a QAT request at least as fast as ISA-L's
//! `isal_inflate_stateless`, Intel's own software path, on the same
//! streams (`examples/inflate_speed.rs` measures both, with libdeflate). Where
//! the time goes, and what is done about it:
//!
//! - Each symbol's table lookup waits on the previous symbol's shift of the
//!   bit buffer. The literal/length root has 12 bits, and a slot whose bits
//!   hold two codes decodes both: two literals, or a literal and a length
//!   (`table.rs`); the fixed code, whose literals take 8 or 9 bits,
//!   looks up the entry after a literal before it knows which
//!   (`FixedNext`). An entry keeps its bit count in its low 6 bits
//!   and is consumed by a shift by the entry itself, and the next
//!   literal/length and distance entries are both looked up as soon as it is
//!   (`fast.rs`).
//! - A dynamic block's tables are built for every block (usually one per
//!   request), so they are built in canonical order by doubling the root
//!   rather than by filling every slot of every code, and the code lengths
//!   decode four symbols per refill with a repeat's count in its entry.
//! - Matches are mostly short: a fixed number of 16-byte (8-byte for
//!   distances of 8 to 15) chunks is copied whatever the length, with no
//!   branch on it; runs and short periods copy 8 bytes per store.
//!
//! The fast loop runs far from the ends of the input and the output, where no
//! bounds can be reached, and reads and writes through raw pointers (the only
//! `unsafe` of the decoder): the margins it checks at the top of every
//! iteration bound every access, as its comments show. Everything near the
//! ends runs in the careful loop, one symbol at a time with checked
//! accesses. On x86-64 with BMI2 both are compiled for it.
//!
//! # Status of an invalid stream
//!
//! | condition | status |
//! |---|---|
//! | BTYPE = 3 | `InvalidBlockType` (−1) |
//! | stored block LEN ≠ ¬NLEN | `BadStoredBlockLen` (−2) |
//! | HLIT > 29 (more than 286 literal/length codes) or HDIST > 29 (more than 30 distance codes) | `TooManyCodes` (−3) |
//! | code-length code over-subscribed, incomplete or empty | `IncompleteCodeLens` (−4) |
//! | repeat code 16 as the first length | `RepeatedLens` (−5) |
//! | a repeat (16/17/18) running past HLIT+HDIST lengths | `MoreRepeat` (−6) |
//! | literal/length code over-subscribed or incomplete (except one code of length 1), or symbol 256 without a code | `BadLitlenCodes` (−7) |
//! | distance code over-subscribed or incomplete (except one code of length 1, or no code at all) | `BadDistCodes` (−8) |
//! | literal/length symbol 286/287, distance symbol 30/31, a bit pattern with no code (incomplete code), a distance when the block has no distance code | `InvalidCode` (−9) |
//! | a distance reaching before the start of the output | `InvalidDist` (−10) |
//! | the output does not fit in `dst` | `Overflow` (−11) |
//! | the input ends before a BFINAL block ends (see below) | `IncompleteFileErr` (−15) |
//!
//! The rules are zlib's (and puff's, its reference decoder, whose error
//! numbers QAT's −1…−8 mirror); `tests/inflate_fuzz.rs` checks the decoder
//! against zlib-rs on thousands of random and mutated streams. The one
//! deliberate difference: zlib takes an empty code-length code and fails
//! later, this decoder reports `IncompleteCodeLens` at once.
//!
//! Where an error and an overflow could both be reported, the one met first
//! in stream order wins; within a match the length is checked against the
//! space left before the distance is decoded (as libdeflate does), and a
//! stored block's length before its data is read.
//!
//! On an error or an overflow nothing counts as consumed or produced (QAT
//! reports 0/0: stateless decompression overflow is an error, Table 18).
//!
//! # Where decoding stops
//!
//! Decoding stops after the first block with BFINAL set:
//! `end_of_last_block = true` and `consumed` counts the bytes up to and
//! including the one holding that block's last bit; bytes after it are left.
//!
//! If the input ends first: with `require_final` (a FLUSH_FINAL request) the
//! result is `IncompleteFileErr`. Without it, the result is OK through the last
//! block that completed (typically a sync-flush marker, so `consumed` lands on
//! the marker's end) with `end_of_last_block = false`; if no block completed,
//! `IncompleteFileErr`.
//!
//! Bytes of `dst` past `produced` may have been written (match copies move
//! whole chunks, and a failed request may have written anything).

mod fast;
mod table;

use crate::status::DcStatus;
use fast::codes_fast;
use table::*;
// What the resumable decoder ([`super::stream`]) shares of the tables.
pub(super) use table::{
    distance_value, length_value, literal_count, lookup, total_bits, FixedNext, Tables, DIST_ROOT,
    DIST_TB, FIXED_TB, F_BAD, F_EOB, LIT_TB, MAX_DIST_CODES, MAX_LIT_CODES,
};

/// Result of one decompression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InflateOutcome {
    /// `CpaDcReqStatus` of the request.
    pub status: DcStatus,
    /// Input bytes consumed (0 unless `status` is OK).
    pub consumed: usize,
    /// Output bytes written (0 unless `status` is OK).
    pub produced: usize,
    /// A block with BFINAL set was decoded (decoding stopped there).
    pub end_of_last_block: bool,
    /// The block decoding stopped after ends on a byte boundary: no bit of
    /// the last consumed byte is left unread. A caller that splits a stream
    /// at sync-flush markers and decodes the pieces apart needs this to know
    /// that the next piece starts where a decoder of the whole stream would
    /// read the next block header (see `softqat decompress`).
    pub aligned_end: bool,
}

impl InflateOutcome {
    /// An unsuccessful request: nothing consumed or produced.
    pub fn failed(status: DcStatus) -> Self {
        InflateOutcome {
            status,
            consumed: 0,
            produced: 0,
            end_of_last_block: false,
            aligned_end: false,
        }
    }

    fn ok(consumed: usize, produced: usize, end_of_last_block: bool, aligned_end: bool) -> Self {
        InflateOutcome {
            status: DcStatus::Ok,
            consumed,
            produced,
            end_of_last_block,
            aligned_end,
        }
    }
}

/// Why decoding stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stop {
    /// The stream is invalid.
    Invalid(DcStatus),
    /// The input ended inside a block (or inside a block header).
    Truncated,
    /// `dst` is full.
    Overflow,
    /// A match of `len` bytes reaching `dist` bytes back, before the start
    /// of `dst` but inside the history the caller named (the resumable
    /// decoder's window, [`super::stream`]): decoded, not yet copied. Never
    /// returned when there is no history.
    Far { len: usize, dist: usize },
}

/// Little-endian bit reader with a 64-bit buffer.
///
/// Invariant: bit `i < cnt` of `buf` is stream bit `consumed + i`; bits at and
/// above `cnt` are either the following stream bits (from a byte loaded only in
/// part) or zero, so a table lookup past `cnt` never sees foreign bits and
/// reloading a byte ORs in the same bits again.
#[derive(Clone, Copy)]
pub(super) struct Bits<'a> {
    pub(super) src: &'a [u8],
    /// Next byte not yet counted in `cnt`.
    pub(super) pos: usize,
    pub(super) buf: u64,
    pub(super) cnt: u32,
}

impl<'a> Bits<'a> {
    pub(super) fn new(src: &'a [u8]) -> Self {
        Bits {
            src,
            pos: 0,
            buf: 0,
            cnt: 0,
        }
    }

    /// Afterwards `cnt >= 56`, or all input is in the buffer.
    #[inline(always)]
    pub(super) fn refill(&mut self) {
        if self.pos + 8 <= self.src.len() {
            let mut w = [0u8; 8];
            w.copy_from_slice(&self.src[self.pos..self.pos + 8]);
            self.buf |= u64::from_le_bytes(w) << self.cnt;
            self.pos += ((63 - self.cnt) >> 3) as usize;
            self.cnt |= 56;
        } else {
            while self.cnt < 56 && self.pos < self.src.len() {
                self.buf |= (self.src[self.pos] as u64) << self.cnt;
                self.pos += 1;
                self.cnt += 8;
            }
        }
    }

    #[inline(always)]
    pub(super) fn consume(&mut self, n: u32) {
        self.buf >>= n;
        self.cnt -= n;
    }

    /// Takes `n` (≤ 32) bits, refilling first; `Truncated` if the input ends.
    pub(super) fn take(&mut self, n: u32) -> Result<u32, Stop> {
        if self.cnt < n {
            self.refill();
            if self.cnt < n {
                return Err(Stop::Truncated);
            }
        }
        let v = (self.buf & ((1u64 << n) - 1)) as u32;
        self.consume(n);
        Ok(v)
    }

    /// Bytes holding at least one consumed bit.
    fn consumed_bytes(&self) -> usize {
        self.consumed_bits().div_ceil(8)
    }

    /// Bits consumed.
    fn consumed_bits(&self) -> usize {
        self.pos * 8 - self.cnt as usize
    }

    /// The consumed bits end on a byte boundary.
    fn at_byte_boundary(&self) -> bool {
        self.consumed_bits().is_multiple_of(8)
    }
}

/// Reusable decoder state: the decode tables (built once for the fixed codes,
/// rebuilt for each dynamic block). `inflate` allocates nothing.
pub struct Inflater {
    pub(super) dynamic: Box<Tables>,
    pub(super) fixed: Box<Tables>,
    pub(super) fixed_next: Box<FixedNext>,
    cl: Box<[u32; CL_CAP]>,
}

impl Default for Inflater {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Inflater {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Inflater")
    }
}

impl Inflater {
    /// Allocates the decode tables and builds the fixed-code ones.
    pub fn new() -> Self {
        let mut fixed = Tables::new();
        // RFC 1951 §3.2.6: 0-143 → 8 bits, 144-255 → 9, 256-279 → 7, 280-287 → 8;
        // distances: 32 codes of 5 bits.
        let mut lens = [0u8; 288];
        lens[..144].fill(8);
        lens[144..256].fill(9);
        lens[256..280].fill(7);
        lens[280..].fill(8);
        let lit = fixed.build_lit(&lens, FIXED_TB);
        let dist = fixed.build_dist(&[5u8; 32]);
        debug_assert!(
            lit == Some(Shape::Complete) && dist == Some(Shape::Complete),
            "the fixed codes are complete"
        );
        let fixed_next = FixedNext::new(&fixed.lit);
        Inflater {
            dynamic: Tables::new(),
            fixed,
            fixed_next,
            cl: Box::new([0u32; CL_CAP]),
        }
    }

    /// Decodes the deflate stream in `src` into `dst` (see the module
    /// documentation for the status, `consumed` and `produced` rules).
    pub fn inflate(&mut self, src: &[u8], dst: &mut [u8], require_final: bool) -> InflateOutcome {
        self.inflate_after(src, dst, 0, require_final)
    }

    /// Decodes into `dst[history..]`, `dst[..history]` holding the history
    /// (a preset dictionary) that distances may reach into. `produced` counts
    /// the bytes written after the history.
    pub fn inflate_after(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        history: usize,
        require_final: bool,
    ) -> InflateOutcome {
        self.decode(src, dst, history, require_final, false)
    }

    /// [`Inflater::inflate`] for a caller that wants the first bytes of the
    /// output only (a partial read): when `dst` fills up, the outcome is
    /// `Overflow` with `produced` the bytes decoded before the item that did
    /// not fit (a literal, a match of at most 258 bytes or a stored block of
    /// at most 65 535) and `consumed` the input read up to there. Those
    /// `produced` bytes are the stream's first bytes; so with
    /// `dst.len() >= n + 65_535 + 258`, an `Overflow` means the first `n`
    /// bytes are all in `dst`.
    pub fn inflate_prefix(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        require_final: bool,
    ) -> InflateOutcome {
        self.decode(src, dst, 0, require_final, true)
    }

    fn decode(
        &mut self,
        src: &[u8],
        dst: &mut [u8],
        history: usize,
        require_final: bool,
        keep_prefix: bool,
    ) -> InflateOutcome {
        let history = history.min(dst.len());
        let mut bits = Bits::new(src);
        let mut out = history;
        // (consumed, produced, aligned) after the last block that completed.
        let mut last_boundary: Option<(usize, usize, bool)> = None;
        loop {
            match self.block(&mut bits, dst, &mut out) {
                Ok(true) => {
                    return InflateOutcome::ok(
                        bits.consumed_bytes(),
                        out - history,
                        true,
                        bits.at_byte_boundary(),
                    )
                }
                Ok(false) => {
                    last_boundary = Some((
                        bits.consumed_bytes(),
                        out - history,
                        bits.at_byte_boundary(),
                    ))
                }
                Err(Stop::Truncated) => {
                    return match last_boundary {
                        Some((consumed, produced, aligned)) if !require_final => {
                            InflateOutcome::ok(consumed, produced, false, aligned)
                        }
                        _ => InflateOutcome::failed(DcStatus::IncompleteFileErr),
                    };
                }
                Err(Stop::Overflow) if keep_prefix => {
                    return InflateOutcome {
                        status: DcStatus::Overflow,
                        consumed: bits.consumed_bytes().min(src.len()),
                        produced: out - history,
                        end_of_last_block: false,
                        aligned_end: false,
                    }
                }
                Err(Stop::Overflow) => return InflateOutcome::failed(DcStatus::Overflow),
                Err(Stop::Invalid(status)) => return InflateOutcome::failed(status),
                // Without history a match before the output is invalid (the
                // fast loop reports it so; this keeps the match exhaustive).
                Err(Stop::Far { .. }) => return InflateOutcome::failed(DcStatus::InvalidDist),
            }
        }
    }

    /// Decodes one block; returns its BFINAL bit.
    fn block(
        &mut self,
        bits: &mut Bits<'_>,
        dst: &mut [u8],
        out: &mut usize,
    ) -> Result<bool, Stop> {
        let header = bits.take(3)?;
        let is_final = header & 1 == 1;
        match header >> 1 {
            0 => stored(bits, dst, out)?,
            1 => codes::<FIXED_TB>(&self.fixed, &self.fixed_next, bits, dst, out)?,
            2 => {
                self.dynamic_header(bits)?;
                codes::<LIT_TB>(&self.dynamic, &self.fixed_next, bits, dst, out)?;
            }
            _ => return Err(Stop::Invalid(DcStatus::InvalidBlockType)),
        }
        Ok(is_final)
    }

    /// Reads a dynamic block's code description (RFC 1951 §3.2.7) and builds
    /// `self.dynamic`.
    fn dynamic_header(&mut self, bits: &mut Bits<'_>) -> Result<(), Stop> {
        let (lens, nlit, ndist) = self.code_lengths(bits)?;
        self.build_dynamic(&lens[..nlit], &lens[nlit..nlit + ndist])
    }

    /// Builds `self.dynamic` from a dynamic block's code lengths, checking
    /// the two codes (the statuses of [`Inflater::dynamic_header`]).
    pub(super) fn build_dynamic(&mut self, lit_lens: &[u8], dist_lens: &[u8]) -> Result<(), Stop> {
        if lit_lens.get(256).is_none_or(|&l| l == 0) {
            return Err(Stop::Invalid(DcStatus::BadLitlenCodes));
        }
        if !matches!(
            self.dynamic.build_lit(lit_lens, LIT_TB),
            Some(Shape::Complete | Shape::Single)
        ) {
            return Err(Stop::Invalid(DcStatus::BadLitlenCodes));
        }
        // RFC 1951 §3.2.7: one distance code of zero bits means no distance is
        // used; one code of one bit is allowed too.
        if self.dynamic.build_dist(dist_lens).is_none() {
            return Err(Stop::Invalid(DcStatus::BadDistCodes));
        }
        Ok(())
    }

    /// Reads a dynamic block's counts, code-length code and code lengths
    /// (RFC 1951 §3.2.7): (lengths, literal/length count, distance count).
    /// Builds `self.cl` only.
    pub(super) fn code_lengths(
        &mut self,
        bits: &mut Bits<'_>,
    ) -> Result<([u8; LENS_ROOM], usize, usize), Stop> {
        let counts = bits.take(14)?;
        let nlit = 257 + (counts & 31) as usize;
        let ndist = 1 + ((counts >> 5) & 31) as usize;
        let ncl = 4 + (counts >> 10) as usize;
        if nlit > MAX_LIT_CODES || ndist > MAX_DIST_CODES {
            return Err(Stop::Invalid(DcStatus::TooManyCodes));
        }

        let mut cl_lens = [0u8; 19];
        for &sym in &CL_ORDER[..ncl] {
            cl_lens[sym] = bits.take(3)? as u8;
        }
        // The code-length code must be complete: puff and zlib accept no
        // exception here (libdeflate does, which is why it is not used to
        // classify).
        if build(&cl_lens, &mut self.cl[..], CL_TB, cl_entry, false) != Some(Shape::Complete) {
            return Err(Stop::Invalid(DcStatus::IncompleteCodeLens));
        }

        // Literal/length and distance lengths form one sequence: a repeat may
        // run from the one into the other.
        let mut lens = [0u8; LENS_ROOM];
        let total = nlit + ndist;
        let mut i = 0usize;
        while i < total {
            // A symbol with its repeat count takes at most 7 + 7 bits: four
            // per refill. (Near the end of the input fewer bits may be
            // there; the check below finds the stream truncated.)
            bits.refill();
            for _ in 0..4 {
                let e = self.cl[(bits.buf as usize) & (CL_CAP - 1)];
                let n = total_bits(e);
                if n > bits.cnt {
                    return Err(Stop::Truncated);
                }
                let saved = bits.buf;
                bits.consume(n);
                let sym = (e >> 8) as u8;
                if sym < 16 {
                    lens[i] = sym;
                    i += 1;
                } else {
                    // The repeat count is read before the checks, as zlib
                    // does (it decides only for a stream truncated here).
                    let repeat = with_extra((e >> 16) & 0xff, e, saved);
                    let value = if sym == 16 {
                        match i.checked_sub(1) {
                            Some(last) => lens[last],
                            None => return Err(Stop::Invalid(DcStatus::RepeatedLens)),
                        }
                    } else {
                        0
                    };
                    if i + repeat > total {
                        return Err(Stop::Invalid(DcStatus::MoreRepeat));
                    }
                    // Sixteen bytes at a time (`lens` has room past `total`):
                    // no call for a short run.
                    let mut j = i;
                    while j < i + repeat {
                        lens[j..j + 16].copy_from_slice(&[value; 16]);
                        j += 16;
                    }
                    i += repeat;
                }
                if i >= total {
                    break;
                }
            }
        }

        Ok((lens, nlit, ndist))
    }
}

/// A stored block, after its 3 header bits.
fn stored(bits: &mut Bits<'_>, dst: &mut [u8], out: &mut usize) -> Result<(), Stop> {
    // LEN and NLEN start at the next byte boundary.
    let pad = bits.cnt & 7;
    bits.consume(pad);
    let lens = bits.take(32)?;
    let len = (lens & 0xffff) as usize;
    if lens >> 16 != !lens & 0xffff {
        return Err(Stop::Invalid(DcStatus::BadStoredBlockLen));
    }
    // Back to byte addressing: drop the whole bytes still in the bit buffer.
    let at = bits.pos - (bits.cnt / 8) as usize;
    bits.pos = at;
    bits.buf = 0;
    bits.cnt = 0;
    if len > dst.len() - *out {
        return Err(Stop::Overflow);
    }
    if len > bits.src.len() - at {
        return Err(Stop::Truncated);
    }
    dst[*out..*out + len].copy_from_slice(&bits.src[at..at + len]);
    *out += len;
    bits.pos = at + len;
    Ok(())
}

/// Copies a match of `len` bytes from `dist` back. The caller checked
/// `dist <= out` and `out + len <= dst.len()`.
#[inline(always)]
pub(super) fn copy_match(dst: &mut [u8], out: usize, dist: usize, len: usize) {
    let from = out - dist;
    if dist >= 8 && out + len + 8 <= dst.len() {
        // Eight bytes at a time: each chunk reads bytes at least 8 back, which
        // are final, so overlapping matches (dist < len) come out right. Up to
        // 7 bytes past the match are scribbled and later overwritten.
        let mut s = from;
        let mut d = out;
        let end = out + len;
        while d < end {
            let mut w = [0u8; 8];
            w.copy_from_slice(&dst[s..s + 8]);
            dst[d..d + 8].copy_from_slice(&w);
            s += 8;
            d += 8;
        }
    } else if dist >= len {
        dst.copy_within(from..from + len, out);
    } else if dist == 1 {
        let b = dst[from];
        dst[out..out + len].fill(b);
    } else {
        // Overlapping: the output repeats with period `dist`. Copy whole
        // periods from the match start, doubling the chunk each time (the
        // source of each chunk is already written).
        let mut done = 0;
        while done < len {
            let n = (dist + done).min(len - done);
            dst.copy_within(from..from + n, out + done);
            done += n;
        }
    }
}

/// Decodes the compressed data of a fixed or dynamic block, up to and
/// including its end-of-block code.
/// `TB` is the root bits of `t`'s literal/length table.
fn codes<const TB: u32>(
    t: &Tables,
    fixed_next: &FixedNext,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out_ref: &mut usize,
) -> Result<(), Stop> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("bmi2") {
        // SAFETY: `codes_bmi2` only requires BMI2, which the CPU was just
        // found to have.
        #[allow(unsafe_code)]
        return unsafe { codes_bmi2::<TB>(t, fixed_next, bits, dst, out_ref) };
    }
    codes_body::<TB>(t, fixed_next, bits, dst, out_ref)
}

/// [`codes_body`] compiled with BMI2: every symbol shifts and masks the bit
/// buffer by a variable amount, which BMI2 (`shrx`, `bzhi`) does in one
/// instruction on any register where the base ISA needs `cl` and two more.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi2")]
fn codes_bmi2<const TB: u32>(
    t: &Tables,
    fixed_next: &FixedNext,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out_ref: &mut usize,
) -> Result<(), Stop> {
    codes_body::<TB>(t, fixed_next, bits, dst, out_ref)
}

/// The fast loop alone, for the resumable decoder: `hist` bytes of history
/// precede `dst` (a match reaching into them stops the loop with
/// [`Stop::Far`]); `TB` is the root bits of `t`'s literal/length table
/// ([`FIXED_TB`] for the fixed code's tables, [`LIT_TB`] for a dynamic
/// block's). Compiled with BMI2 where the CPU has it, as [`codes`].
pub(super) fn fast_codes_with_history<const TB: u32>(
    t: &Tables,
    fixed_next: &FixedNext,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out: &mut usize,
    hist: usize,
) -> Option<Result<(), Stop>> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("bmi2") {
        // SAFETY: `fast_bmi2` only requires BMI2, which the CPU was just
        // found to have.
        #[allow(unsafe_code)]
        return unsafe { fast_bmi2::<TB>(t, fixed_next, bits, dst, out, hist) };
    }
    codes_fast::<TB>(t, fixed_next, bits, dst, out, hist)
}

/// [`codes_fast`] compiled with BMI2 (see [`codes_bmi2`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi2")]
fn fast_bmi2<const TB: u32>(
    t: &Tables,
    fixed_next: &FixedNext,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out: &mut usize,
    hist: usize,
) -> Option<Result<(), Stop>> {
    codes_fast::<TB>(t, fixed_next, bits, dst, out, hist)
}

/// The decoding loops of [`codes`].
#[inline(always)]
fn codes_body<const TB: u32>(
    t: &Tables,
    fixed_next: &FixedNext,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out_ref: &mut usize,
) -> Result<(), Stop> {
    let (lit, dist) = (&t.lit, &t.dist);
    let mut out = *out_ref;
    if let Some(result) = codes_fast::<TB>(t, fixed_next, bits, dst, &mut out, 0) {
        *out_ref = out;
        return result;
    }
    // The careful loop: one symbol at a time, every bound checked. A
    // two-symbol entry is decoded for its first literal only (its code
    // length from `lit_lens`), so that truncation, overflow and errors are
    // met in stream order.
    let result = loop {
        // After a refill there are ≥ 56 bits unless the input is nearly done;
        // a length (15 + 5 bits) and a distance (15 + 13) need at most 48, so
        // one refill per symbol suffices. Near the end of the input the
        // `> bits.cnt` checks catch truncation.
        bits.refill();
        let e = lookup(&lit[..], (1 << TB) - 1, TB, bits.buf);
        if literal_count(e) != 0 {
            let byte = (e >> 8) as u8;
            let clen = t.lit_lens[byte as usize] as u32;
            if clen > bits.cnt {
                break Err(Stop::Truncated);
            }
            bits.consume(clen);
            match dst.get_mut(out) {
                Some(slot) => *slot = byte,
                None => break Err(Stop::Overflow),
            }
            out += 1;
            continue;
        }
        let total = total_bits(e);
        if e & (F_EOB | F_BAD) != 0 {
            if total > bits.cnt {
                break Err(Stop::Truncated);
            }
            if e & F_BAD != 0 {
                break Err(Stop::Invalid(DcStatus::InvalidCode));
            }
            bits.consume(total);
            break Ok(());
        }

        // Length: base + extra bits following the code.
        if total > bits.cnt {
            break Err(Stop::Truncated);
        }
        let len = length_value(e, bits.buf);
        bits.consume(total);
        if len > dst.len() - out {
            break Err(Stop::Overflow);
        }

        // Distance.
        let d = lookup(&dist[..], DIST_ROOT - 1, DIST_TB, bits.buf);
        let dtotal = total_bits(d);
        if d & F_BAD != 0 {
            if dtotal > bits.cnt {
                break Err(Stop::Truncated);
            }
            break Err(Stop::Invalid(DcStatus::InvalidCode));
        }
        if dtotal > bits.cnt {
            break Err(Stop::Truncated);
        }
        let distance = distance_value(d, bits.buf);
        bits.consume(dtotal);
        if distance > out {
            break Err(Stop::Invalid(DcStatus::InvalidDist));
        }
        copy_match(dst, out, distance, len);
        out += len;
    };
    *out_ref = out;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &[u8], cap: usize, require_final: bool) -> (InflateOutcome, Vec<u8>) {
        let mut dst = vec![0u8; cap];
        let o = Inflater::new().inflate(src, &mut dst, require_final);
        dst.truncate(o.produced);
        (o, dst)
    }

    #[test]
    fn shapes() {
        assert_eq!(shape(&[1, 1]), Shape::Complete);
        assert_eq!(shape(&[1, 0, 0]), Shape::Single);
        assert_eq!(shape(&[0, 0]), Shape::Empty);
        assert_eq!(shape(&[2, 0, 0]), Shape::Incomplete);
        assert_eq!(shape(&[1, 2]), Shape::Incomplete);
        assert_eq!(shape(&[1, 1, 1]), Shape::Oversubscribed);
        assert_eq!(shape(&[5; 32]), Shape::Complete);
    }

    #[test]
    fn stored_and_fixed_blocks() {
        // Final stored block "abc": 01 | 03 00 fc ff | "abc".
        let (o, out) = run(&[0x01, 0x03, 0x00, 0xfc, 0xff, b'a', b'b', b'c'], 16, true);
        assert_eq!(o, InflateOutcome::ok(8, 3, true, true));
        assert_eq!(out, b"abc");
        // Final fixed block with no symbol but EOB: 03 00.
        let (o, _) = run(&[0x03, 0x00, 0xaa], 16, true);
        assert_eq!(
            o,
            InflateOutcome::ok(2, 0, true, false),
            "trailing byte not consumed"
        );
    }

    #[test]
    fn a_block_ending_inside_a_byte_is_not_an_aligned_end() {
        // A non-final fixed block holding only its end-of-block code ends
        // at bit 10; the zero bits after it start a stored block that the
        // input cuts short.
        let (o, _) = run(&[0x02, 0x00], 16, false);
        assert_eq!(o, InflateOutcome::ok(2, 0, false, false));
        // Followed by the rest of that stored block (empty: a sync
        // marker), the stream ends on a byte boundary.
        let (o, _) = run(&[0x02, 0x00, 0x00, 0x00, 0xff, 0xff], 16, false);
        assert_eq!(o, InflateOutcome::ok(6, 0, false, true));
    }

    #[test]
    fn sync_marker_without_final() {
        // Empty stored non-final block (the sync-flush marker).
        let marker = [0x00, 0x00, 0x00, 0xff, 0xff];
        let (o, _) = run(&marker, 16, false);
        assert_eq!(o, InflateOutcome::ok(5, 0, false, true));
        let (o, _) = run(&marker, 16, true);
        assert_eq!(o.status, DcStatus::IncompleteFileErr);
        let (o, _) = run(&[], 16, false);
        assert_eq!(o.status, DcStatus::IncompleteFileErr);
    }

    #[test]
    fn long_code_subtables() {
        // A complete code with lengths up to 15 exercises the subtables:
        // symbol i gets length i+1 for i < 14, the last two get 15.
        let mut lens = [0u8; 16];
        for (i, l) in lens.iter_mut().enumerate().take(14) {
            *l = (i + 1) as u8;
        }
        lens[14] = 15;
        lens[15] = 15;
        assert_eq!(shape(&lens), Shape::Complete);
        let mut table = vec![0u32; LIT_CAP];
        assert_eq!(
            build(&lens, &mut table, LIT_TB, cl_entry, false),
            Some(Shape::Complete)
        );
        // Decoding each code must give its symbol back.
        let mut next = [0u32; 16];
        let mut count = [0u32; 16];
        for &l in &lens {
            count[l as usize] += 1;
        }
        count[0] = 0;
        let mut code = 0;
        for len in 1..16 {
            code = (code + count[len - 1]) << 1;
            next[len] = code;
        }
        for (sym, &len) in lens.iter().enumerate() {
            let c = next[len as usize];
            next[len as usize] += 1;
            let rev = (c.reverse_bits() >> (32 - len as u32)) as u64;
            let e = lookup(&table, LIT_ROOT - 1, LIT_TB, rev);
            assert_eq!(e >> 8, sym as u32, "symbol {sym}");
            assert_eq!(total_bits(e), len as u32, "length of {sym}");
        }
    }
}
