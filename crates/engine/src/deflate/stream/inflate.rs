//! The resumable decoder: a deflate stream fed in requests split anywhere.
//!
//! It decodes with the one-shot [`Inflater`]'s tables, fast loop and
//! header reader, so an invalid stream gets the same `CpaDcReqStatus`
//! whatever the split (see the status table of [`crate::deflate::inflate`]);
//! what it adds is where a request may stop and how the next one resumes.
//!
//! # Units
//!
//! Input is decoded in units that either complete or are not started: a
//! block header (3 bits; a stored block's LEN/NLEN; a dynamic block's whole
//! code description, at most 2 289 bits), one literal/length symbol with
//! its distance and extra bits (at most 48 bits), or the bytes of a stored
//! block (byte by byte). When the input ends inside a unit, the decoder
//! stops at the unit's first bit and keeps the bytes from there on (at most
//! 288) in the context: the *carry*. The next request decodes from the
//! carry joined with the first [`STAGE_EXTRA`] bytes of its input, in a
//! small staging buffer, then from its own input in place.
//!
//! # `consumed` and `produced`
//!
//! - The input ends first: everything is consumed (decoded or carried);
//!   status OK. With FLUSH_FINAL the stream had to end in this request:
//!   `CPA_DC_INCOMPLETE_FILE_ERR`, nothing consumed or produced, and the
//!   context unchanged.
//! - The destination fills first: status `CPA_DC_OVERFLOW` (an exception
//!   for stateful decompression, Programmer's Guide Table 18) with the
//!   output so far; `consumed` stops at the byte holding the next unit's
//!   first bit, the bits of that byte already decoded being remembered, so
//!   the caller resubmits from `consumed`. A match cut by the end of the
//!   destination is finished at the start of the next request.
//! - The final block ends: `end_of_last_block`, `consumed` up to the byte
//!   holding its last bit (bytes after it are not taken); the next request
//!   starts a new stream.
//!
//! # Context (little-endian, [`INFLATE_STATE_LEN`] bytes)
//!
//! | offset | size | field |
//! |---:|---:|---|
//! | 0 | 1 | magic |
//! | 1 | 1 | where the decoder is: 0 block header, 1 stored data, 2 fixed codes, 3 dynamic codes |
//! | 2 | 1 | BFINAL of the current block |
//! | 3 | 1 | bits of the first carried (or next input) byte already decoded (0..=7) |
//! | 4 | 2 | carried bytes |
//! | 6 | 2 | literal/length code lengths of the current dynamic block |
//! | 8 | 2 | distance code lengths |
//! | 10 | 2 | bytes of a cut match still to copy |
//! | 12 | 2 | its distance |
//! | 16 | 4 | bytes left in the current stored block |
//! | 20 | 4 | history length (0..=32768) |
//! | 24 | 4 | running CRC32 |
//! | 28 | 4 | running Adler32 |
//! | 64 | 320 | the current dynamic block's code lengths |
//! | 384 | 320 | carried bytes |
//! | 704 | 32768 | history (the last output), right-aligned |
//!
//! The dynamic block's decode tables are rebuilt from its code lengths when
//! a request resumes inside it (a few microseconds), so nothing but these
//! bytes is kept between requests.

use super::super::inflate::{
    copy_match, distance_value, fast_codes_with_history, length_value, literal_count, lookup,
    total_bits, Bits, FixedNext, Inflater, Stop, Tables, DIST_ROOT, DIST_TB, FIXED_TB, F_BAD,
    F_EOB, LIT_TB, MAX_DIST_CODES, MAX_LIT_CODES,
};
use super::{
    append_history, get_u16, get_u32, put_u16, put_u32, Running, StreamFlush, StreamOutcome,
    StreamRequest,
};
use crate::deflate::{MAX_STORED_BLOCK, MAX_WINDOW};
use crate::status::DcStatus;

const MAGIC: u8 = 0x1F;
const HEADER: usize = 64;
const LENS_CAP: usize = 320;
/// Longest unit: a dynamic block header is at most 3 + 14 + 19·3 + 316·7 =
/// 2 286 bits, 286 bytes, plus the partly decoded first byte.
const CARRY_CAP: usize = 320;
const LENS_AT: usize = HEADER;
const CARRY_AT: usize = LENS_AT + LENS_CAP;
const WINDOW_AT: usize = CARRY_AT + CARRY_CAP;

/// Bytes of context a stateful decompression stream needs (within QAT
/// 1.7's smallest inflate context, 34 032 bytes).
pub const INFLATE_STATE_LEN: usize = WINDOW_AT + MAX_WINDOW;

/// Input joined to the carry in the staging buffer: longer than any unit,
/// so a unit that starts in the carry ends in the staging buffer (or the
/// input ends first).
pub const STAGE_EXTRA: usize = 512;

/// Where the decoder is between requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// At a block header.
    Header = 0,
    /// In a stored block's data (byte-aligned, nothing carried).
    Stored = 1,
    /// In a fixed-code block.
    Fixed = 2,
    /// In a dynamic block (its code lengths in the context).
    Dynamic = 3,
}

/// The header of a decompression context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Header {
    mode: Mode,
    last: bool,
    skip: u32,
    carry_len: usize,
    nlit: usize,
    ndist: usize,
    pend_len: usize,
    pend_dist: usize,
    stored_left: usize,
    win_len: usize,
    sums: Running,
}

impl Header {
    const FRESH: Header = Header {
        mode: Mode::Header,
        last: false,
        skip: 0,
        carry_len: 0,
        nlit: 0,
        ndist: 0,
        pend_len: 0,
        pend_dist: 0,
        stored_left: 0,
        win_len: 0,
        sums: Running::START,
    };

    /// The header of `ctx`, if it is a consistent one this module wrote.
    fn load(ctx: &[u8]) -> Option<Header> {
        let mode = match ctx[1] {
            0 => Mode::Header,
            1 => Mode::Stored,
            2 => Mode::Fixed,
            3 => Mode::Dynamic,
            _ => return None,
        };
        let h = Header {
            mode,
            last: ctx[2] != 0,
            skip: u32::from(ctx[3]),
            carry_len: usize::from(get_u16(ctx, 4)),
            nlit: usize::from(get_u16(ctx, 6)),
            ndist: usize::from(get_u16(ctx, 8)),
            pend_len: usize::from(get_u16(ctx, 10)),
            pend_dist: usize::from(get_u16(ctx, 12)),
            stored_left: get_u32(ctx, 16) as usize,
            win_len: get_u32(ctx, 20) as usize,
            sums: Running {
                crc32: get_u32(ctx, 24),
                adler32: get_u32(ctx, 28),
            },
        };
        let ok = ctx[0] == MAGIC
            && h.skip < 8
            && h.carry_len <= CARRY_CAP
            && h.win_len <= MAX_WINDOW
            && h.stored_left <= MAX_STORED_BLOCK
            && h.pend_len <= 258
            && (h.pend_len == 0 || (1..=h.win_len).contains(&h.pend_dist))
            && (mode != Mode::Stored || (h.skip == 0 && h.carry_len == 0))
            && (mode != Mode::Dynamic
                || ((257..=MAX_LIT_CODES).contains(&h.nlit)
                    && (1..=MAX_DIST_CODES).contains(&h.ndist)));
        ok.then_some(h)
    }

    fn store(&self, ctx: &mut [u8]) {
        ctx[..HEADER].fill(0);
        ctx[0] = MAGIC;
        ctx[1] = self.mode as u8;
        ctx[2] = u8::from(self.last);
        ctx[3] = self.skip as u8;
        put_u16(ctx, 4, self.carry_len as u16);
        put_u16(ctx, 6, self.nlit as u16);
        put_u16(ctx, 8, self.ndist as u16);
        put_u16(ctx, 10, self.pend_len as u16);
        put_u16(ctx, 12, self.pend_dist as u16);
        put_u32(ctx, 16, self.stored_left as u32);
        put_u32(ctx, 20, self.win_len as u32);
        put_u32(ctx, 24, self.sums.crc32);
        put_u32(ctx, 28, self.sums.adler32);
    }
}

/// Why decoding stopped without an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Halt {
    /// The input ended (inside a unit, or exactly at a unit's end).
    InputEnd,
    /// The destination filled.
    OutputFull,
    /// The final block ended.
    StreamEnd,
}

/// Per-engine workspace of the resumable decoder: decode tables, the
/// staging buffer, and room for the code lengths and carry of the request
/// being decoded. Allocated once; a request allocates nothing.
pub struct StreamInflater {
    inflater: Inflater,
    stage: Box<[u8; CARRY_CAP + STAGE_EXTRA]>,
    lens: [u8; LENS_CAP],
    carry: [u8; CARRY_CAP],
}

impl Default for StreamInflater {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for StreamInflater {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StreamInflater")
    }
}

/// The bit position of `bits` within its input.
fn bit_pos(bits: &Bits<'_>) -> usize {
    bits.pos * 8 - bits.cnt as usize
}

/// A reader over `src` positioned at bit `at` (< `src.len() * 8`).
fn reader_at(src: &[u8], at: usize) -> Bits<'_> {
    let mut bits = Bits::new(src);
    bits.pos = (at / 8).min(src.len());
    if !at.is_multiple_of(8) {
        // Cannot fail: the byte holding bit `at` is there.
        let _ = bits.take((at % 8) as u32);
    }
    bits
}

impl StreamInflater {
    /// Allocates the tables and buffers.
    pub fn new() -> Self {
        StreamInflater {
            inflater: Inflater::new(),
            stage: Box::new([0; CARRY_CAP + STAGE_EXTRA]),
            lens: [0; LENS_CAP],
            carry: [0; CARRY_CAP],
        }
    }

    /// Decodes `src` into `dst` as the next request of the stream whose
    /// state is `ctx` ([`INFLATE_STATE_LEN`] bytes or more). With
    /// [`StreamFlush::Final`] the stream must end in this request; the
    /// other flushes mean nothing more to a decoder. See the module
    /// documentation for the outcome.
    pub fn inflate(
        &mut self,
        ctx: &mut [u8],
        req: &StreamRequest,
        src: &[u8],
        dst: &mut [u8],
    ) -> StreamOutcome {
        if ctx.len() < INFLATE_STATE_LEN {
            return StreamOutcome::failed(DcStatus::SoftErr);
        }
        let ctx = &mut ctx[..INFLATE_STATE_LEN];
        let mut h = if req.start {
            Header::FRESH
        } else {
            match Header::load(ctx) {
                Some(h) => h,
                None => return StreamOutcome::failed(DcStatus::SoftErr),
            }
        };
        if h.mode == Mode::Dynamic {
            let n = h.nlit + h.ndist;
            self.lens[..n].copy_from_slice(&ctx[LENS_AT..LENS_AT + n]);
            let (lit, dist) = self.lens[..n].split_at(h.nlit);
            if lit.iter().chain(dist).any(|&l| l > 15)
                || self.inflater.build_dynamic(lit, dist).is_err()
            {
                return StreamOutcome::failed(DcStatus::SoftErr);
            }
        }
        let old_carry = h.carry_len;
        let run = {
            let hist = &ctx[INFLATE_STATE_LEN - h.win_len..];
            let carry = &ctx[CARRY_AT..CARRY_AT + old_carry];
            self.run(&mut h, hist, carry, src, dst)
        };
        let (halt, pos, out) = match run {
            Ok(r) => r,
            Err(status) => return StreamOutcome::failed(status),
        };
        // `pos` is a bit position in the carry followed by `src`.
        let at = pos / 8;
        let consumed = match halt {
            Halt::InputEnd if req.flush == StreamFlush::Final => {
                return StreamOutcome::failed(DcStatus::IncompleteFileErr);
            }
            Halt::InputEnd => {
                // Carry the unfinished unit's bytes, from the carry and/or
                // the input.
                let total = old_carry + src.len();
                let n = total.saturating_sub(at);
                if n > CARRY_CAP {
                    return StreamOutcome::failed(DcStatus::SoftErr);
                }
                for (i, slot) in self.carry[..n].iter_mut().enumerate() {
                    let k = at + i;
                    *slot = if k < old_carry {
                        ctx[CARRY_AT + k]
                    } else {
                        src[k - old_carry]
                    };
                }
                h.carry_len = n;
                h.skip = (pos % 8) as u32;
                src.len()
            }
            Halt::OutputFull if at >= old_carry => {
                h.carry_len = 0;
                h.skip = (pos % 8) as u32;
                at - old_carry
            }
            Halt::OutputFull => {
                // Stopped inside the carry: keep its rest.
                let n = old_carry - at;
                self.carry[..n].copy_from_slice(&ctx[CARRY_AT + at..CARRY_AT + old_carry]);
                h.carry_len = n;
                h.skip = (pos % 8) as u32;
                0
            }
            Halt::StreamEnd => pos.div_ceil(8).saturating_sub(old_carry).min(src.len()),
        };
        h.sums.update(req.sums, &dst[..out]);
        let outcome = StreamOutcome {
            status: if halt == Halt::OutputFull {
                DcStatus::Overflow
            } else {
                DcStatus::Ok
            },
            consumed,
            produced: out,
            end_of_last_block: halt == Halt::StreamEnd,
            crc32: h.sums.crc32,
            adler32: h.sums.adler32,
        };
        if halt == Halt::StreamEnd {
            // The next request starts a new stream.
            Header::FRESH.store(ctx);
            return outcome;
        }
        append_history(&mut ctx[WINDOW_AT..], &mut h.win_len, &dst[..out]);
        ctx[CARRY_AT..CARRY_AT + h.carry_len].copy_from_slice(&self.carry[..h.carry_len]);
        if h.mode == Mode::Dynamic {
            let n = h.nlit + h.ndist;
            ctx[LENS_AT..LENS_AT + n].copy_from_slice(&self.lens[..n]);
        }
        h.store(ctx);
        outcome
    }

    /// Decodes what `h` and the input allow: (why it stopped, the bit
    /// position reached in the carry followed by `src`, bytes written).
    fn run(
        &mut self,
        h: &mut Header,
        hist: &[u8],
        carry: &[u8],
        src: &[u8],
        dst: &mut [u8],
    ) -> Result<(Halt, usize, usize), DcStatus> {
        let mut out = 0usize;
        if h.pend_len > 0 {
            // The rest of a match the previous destination cut.
            let n = h.pend_len.min(dst.len());
            copy_back(hist, dst, 0, h.pend_dist, n);
            out = n;
            h.pend_len -= n;
            if h.pend_len > 0 {
                return Ok((Halt::OutputFull, h.skip as usize, out));
            }
        }
        let StreamInflater {
            inflater,
            stage,
            lens,
            ..
        } = self;
        let base = carry.len() * 8;
        let mut from = h.skip as usize;
        if !carry.is_empty() {
            // The carry and the start of the input, joined.
            let extra = src.len().min(STAGE_EXTRA);
            stage[..carry.len()].copy_from_slice(carry);
            stage[carry.len()..carry.len() + extra].copy_from_slice(&src[..extra]);
            let mut bits = reader_at(&stage[..carry.len() + extra], from);
            let halt = blocks(inflater, lens, h, &mut bits, hist, dst, &mut out)?;
            let pos = bit_pos(&bits);
            if halt != Halt::InputEnd || extra == src.len() {
                return Ok((halt, pos, out));
            }
            // The staging buffer ended, the input did not: go on in place.
            // (A unit starting in the carry ended in the staging buffer,
            // which is longer than any unit.)
            from = pos.checked_sub(base).ok_or(DcStatus::SoftErr)?;
        }
        if from >= src.len() * 8 {
            // No input left (an empty request after a partly decoded
            // byte keeps its position).
            return Ok((Halt::InputEnd, base + from, out));
        }
        let mut bits = reader_at(src, from);
        let halt = blocks(inflater, lens, h, &mut bits, hist, dst, &mut out)?;
        Ok((halt, base + bit_pos(&bits), out))
    }
}

/// Decodes blocks from `bits` until the input ends, the destination fills
/// or the final block ends. On `InputEnd` the reader is at the first bit
/// of the unit that did not complete.
fn blocks(
    inflater: &mut Inflater,
    lens: &mut [u8; LENS_CAP],
    h: &mut Header,
    bits: &mut Bits<'_>,
    hist: &[u8],
    dst: &mut [u8],
    out: &mut usize,
) -> Result<Halt, DcStatus> {
    loop {
        match h.mode {
            Mode::Header => {
                let unit = *bits;
                match block_header(inflater, lens, h, bits) {
                    Ok(()) => continue,
                    Err(Stop::Truncated) => {
                        *bits = unit;
                        return Ok(Halt::InputEnd);
                    }
                    Err(Stop::Invalid(status)) => return Err(status),
                    Err(_) => return Err(DcStatus::SoftErr),
                }
            }
            Mode::Stored => {
                // Byte-aligned: the reader holds no bits here.
                let at = bits.pos;
                let n = h.stored_left.min(bits.src.len() - at).min(dst.len() - *out);
                dst[*out..*out + n].copy_from_slice(&bits.src[at..at + n]);
                bits.pos += n;
                *out += n;
                h.stored_left -= n;
                if h.stored_left > 0 {
                    return Ok(if bits.pos == bits.src.len() {
                        Halt::InputEnd
                    } else {
                        Halt::OutputFull
                    });
                }
            }
            Mode::Fixed | Mode::Dynamic => {
                let mut pend = (0, 0);
                let next = &inflater.fixed_next;
                let result = if h.mode == Mode::Fixed {
                    codes::<FIXED_TB>(&inflater.fixed, next, bits, hist, dst, out, &mut pend)
                } else {
                    codes::<LIT_TB>(&inflater.dynamic, next, bits, hist, dst, out, &mut pend)
                };
                match result {
                    Ok(()) => {}
                    Err(Stop::Truncated) => return Ok(Halt::InputEnd),
                    Err(Stop::Overflow) => {
                        (h.pend_len, h.pend_dist) = pend;
                        return Ok(Halt::OutputFull);
                    }
                    Err(Stop::Invalid(status)) => return Err(status),
                    Err(Stop::Far { .. }) => return Err(DcStatus::SoftErr),
                }
            }
        }
        // The block ended.
        if h.last {
            return Ok(Halt::StreamEnd);
        }
        h.mode = Mode::Header;
    }
}

/// Reads a block header (and a dynamic block's code description, building
/// its tables): the unit either completes or returns `Truncated`.
fn block_header(
    inflater: &mut Inflater,
    lens: &mut [u8; LENS_CAP],
    h: &mut Header,
    bits: &mut Bits<'_>,
) -> Result<(), Stop> {
    let header = bits.take(3)?;
    let last = header & 1 == 1;
    match header >> 1 {
        0 => {
            // LEN and NLEN start at the next byte boundary.
            let pad = bits.cnt & 7;
            bits.consume(pad);
            let fields = bits.take(32)?;
            let len = (fields & 0xffff) as usize;
            if fields >> 16 != !fields & 0xffff {
                return Err(Stop::Invalid(DcStatus::BadStoredBlockLen));
            }
            // Back to byte addressing.
            bits.pos -= (bits.cnt / 8) as usize;
            bits.buf = 0;
            bits.cnt = 0;
            h.stored_left = len;
            h.mode = Mode::Stored;
        }
        1 => h.mode = Mode::Fixed,
        2 => {
            let (all, nlit, ndist) = inflater.code_lengths(bits)?;
            inflater.build_dynamic(&all[..nlit], &all[nlit..nlit + ndist])?;
            lens[..nlit + ndist].copy_from_slice(&all[..nlit + ndist]);
            (h.nlit, h.ndist) = (nlit, ndist);
            h.mode = Mode::Dynamic;
        }
        _ => return Err(Stop::Invalid(DcStatus::InvalidBlockType)),
    }
    h.last = last;
    Ok(())
}

/// Copies a match of `len` bytes from `dist` back, where `dist` may reach
/// before `dst` into `hist` (the output of earlier requests). The caller
/// checked `dist <= out + hist.len()` and `out + len <= dst.len()`.
fn copy_back(hist: &[u8], dst: &mut [u8], out: usize, dist: usize, len: usize) {
    if dist <= out {
        copy_match(dst, out, dist, len);
        return;
    }
    let back = dist - out;
    let from = hist.len() - back;
    let n = len.min(back);
    dst[out..out + n].copy_from_slice(&hist[from..from + n]);
    if len > n {
        // The rest starts at dst[0]: an ordinary match `dist` back.
        copy_match(dst, out + n, dist, len - n);
    }
}

/// Decodes a fixed or dynamic block's symbols up to its end-of-block code.
/// `Truncated` leaves the reader at the first bit of the symbol that did
/// not complete; `Overflow` leaves it after the last symbol decoded, with
/// a match the destination cut in `pend` (length left, distance). `TB` is
/// the root bits of `t`'s literal/length table.
fn codes<const TB: u32>(
    t: &Tables,
    fixed_next: &FixedNext,
    bits: &mut Bits<'_>,
    hist: &[u8],
    dst: &mut [u8],
    out: &mut usize,
    pend: &mut (usize, usize),
) -> Result<(), Stop> {
    // The fast loop while far from both ends; it stops at a match into
    // the history, copied here (it left room for a whole match).
    loop {
        match fast_codes_with_history::<TB>(t, fixed_next, bits, dst, out, hist.len()) {
            None => break,
            Some(Err(Stop::Far { len, dist })) => {
                copy_back(hist, dst, *out, dist, len);
                *out += len;
            }
            Some(r) => return r,
        }
    }
    let (lit, dist_table) = (&t.lit[..], &t.dist[..]);
    loop {
        bits.refill();
        let unit = *bits;
        let e = lookup(lit, (1 << TB) - 1, TB, bits.buf);
        if literal_count(e) != 0 {
            // One literal at a time here: a two-symbol entry's first code
            // only (its length from `lit_lens`).
            let byte = (e >> 8) as u8;
            let clen = t.lit_lens[byte as usize] as u32;
            if clen > bits.cnt {
                return Err(Stop::Truncated);
            }
            if *out == dst.len() {
                return Err(Stop::Overflow);
            }
            bits.consume(clen);
            dst[*out] = byte;
            *out += 1;
            continue;
        }
        let total = total_bits(e);
        if e & (F_EOB | F_BAD) != 0 {
            if total > bits.cnt {
                return Err(Stop::Truncated);
            }
            if e & F_BAD != 0 {
                return Err(Stop::Invalid(DcStatus::InvalidCode));
            }
            bits.consume(total);
            return Ok(());
        }
        if total > bits.cnt {
            return Err(Stop::Truncated);
        }
        let len = length_value(e, bits.buf);
        bits.consume(total);
        let d = lookup(dist_table, DIST_ROOT - 1, DIST_TB, bits.buf);
        let dtotal = total_bits(d);
        if dtotal > bits.cnt {
            // The symbol is a unit: back to its length code.
            *bits = unit;
            return Err(Stop::Truncated);
        }
        if d & F_BAD != 0 {
            return Err(Stop::Invalid(DcStatus::InvalidCode));
        }
        let distance = distance_value(d, bits.buf);
        bits.consume(dtotal);
        if distance > *out + hist.len() {
            return Err(Stop::Invalid(DcStatus::InvalidDist));
        }
        let room = dst.len() - *out;
        if room == 0 {
            *bits = unit;
            return Err(Stop::Overflow);
        }
        let n = len.min(room);
        copy_back(hist, dst, *out, distance, n);
        *out += n;
        if n < len {
            *pend = (len - n, distance);
            return Err(Stop::Overflow);
        }
    }
}
