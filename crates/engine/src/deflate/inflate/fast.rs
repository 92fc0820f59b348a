//! The fast loop of [`super::Inflater`]: decodes the bulk of a block while
//! the input and the output are far from their ends.

use super::table::*;
use super::{Bits, Stop};
use crate::status::DcStatus;

/// Copies a match in the fast loop through raw pointers.
///
/// # Safety
/// `op` points into `dst` with at least 258 + 40 bytes after it, `3 <= len
/// <= 258`, and `1 <= dist` with at least `dist` bytes of `dst` before `op`:
/// then every read is at or after `op - dist` and every write below
/// `op + max(len + 15, 48)`.
///
/// Most matches are short: a fixed number of chunks covering 40 or 48 bytes
/// is copied whatever the length, so that a short match takes no
/// data-dependent branch on its length (a loop whose trip count varies per
/// match mispredicts its exit). Bytes past the match are scribbled and later
/// overwritten (or are past `produced`).
#[inline(always)]
#[allow(unsafe_code)]
unsafe fn copy_match_fast(op: *mut u8, dist: usize, len: usize) {
    // SAFETY: see the function's contract. In the chunked copies each
    // chunk's source ends at or before its destination starts (the distance
    // is at least the chunk size), so every chunk reads bytes already final.
    unsafe {
        let mut s = op.sub(dist);
        let mut d = op;
        let end = d.add(len);
        if dist >= 16 {
            for _ in 0..3 {
                std::ptr::copy_nonoverlapping(s, d, 16);
                s = s.add(16);
                d = d.add(16);
            }
            while d < end {
                std::ptr::copy_nonoverlapping(s, d, 16);
                s = s.add(16);
                d = d.add(16);
            }
        } else if dist >= 8 {
            for _ in 0..5 {
                std::ptr::copy_nonoverlapping(s, d, 8);
                s = s.add(8);
                d = d.add(8);
            }
            while d < end {
                std::ptr::copy_nonoverlapping(s, d, 8);
                s = s.add(8);
                d = d.add(8);
            }
        } else if dist == 1 {
            // A run of one byte: eight copies of it per store.
            let word = (*s as u64)
                .wrapping_mul(0x0101_0101_0101_0101)
                .to_ne_bytes();
            for _ in 0..5 {
                d.cast::<[u8; 8]>().write_unaligned(word);
                d = d.add(8);
            }
            while d < end {
                d.cast::<[u8; 8]>().write_unaligned(word);
                d = d.add(8);
            }
        } else {
            // A period of 2 to 7 bytes: eight bytes at a time, advancing by
            // the period. Each load's first `dist` bytes are final (the
            // previous store's first `dist`, or the history), and only
            // those count: the rest of each store is overwritten by the
            // next one, or lies past the match.
            while d < end {
                let w = s.cast::<[u8; 8]>().read_unaligned();
                d.cast::<[u8; 8]>().write_unaligned(w);
                s = s.add(dist);
                d = d.add(dist);
            }
        }
    }
}

/// Room after the output position a fast-loop iteration may need: three
/// entries of literals (each stores 4 bytes and moves by at most 2), or a
/// literal and a match (1 + 258 + 15 bytes with the overrun of
/// [`copy_match_fast`]).
const FAST_OUT_MARGIN: usize = 8 + 258 + 40;
/// Input a fast-loop iteration may load: two refills, each advancing at
/// most 7 bytes and reading 8.
const FAST_IN_MARGIN: usize = 24;

/// The hot loop: runs while the input and the output are far from their ends,
/// so no truncation or overflow can occur and those checks are skipped.
/// Returns `None` when it gets near either end (the careful loop takes over),
/// otherwise the block's result. `hist` bytes of history precede `dst` (the
/// resumable decoder's window; none for a one-shot request): a match
/// reaching into them stops the loop with [`Stop::Far`], decoded but not
/// copied.
///
/// One literal/length entry per iteration: up to two literals, or a literal
/// and a match, or a match; and up to two more entries while they hold
/// literals only. Each entry's lookup waits on the previous entry's shift,
/// so the loop keeps that chain short: right after an entry is consumed, the
/// next literal/length entry and the distance entry are both looked up (one
/// of them is wasted) before the literals are stored, and the bit buffer is
/// refilled without a branch.
///
/// Bits: the buffer is refilled to at least 56 at the top of an iteration;
/// an entry consumes at most 20 (a 15-bit length code and 5 extra bits),
/// which leaves the 15 a lookup may need; a match refills again before its
/// distance (at most 28 bits), which leaves 28 for the next lookup.
///
/// The bit-reader state lives in locals here so that it stays in registers.
#[inline(always)]
pub(super) fn codes_fast<const TB: u32>(
    t: &Tables,
    fixed_next: &FixedNext,
    bits: &mut Bits<'_>,
    dst: &mut [u8],
    out_ref: &mut usize,
    hist: usize,
) -> Option<Result<(), Stop>> {
    let (lit, dist) = (&t.lit, &t.dist);
    let src = bits.src;
    let out_end = dst.len().saturating_sub(FAST_OUT_MARGIN);
    let in_end = src.len().saturating_sub(FAST_IN_MARGIN);
    let (mut buf, mut cnt, pos) = (bits.buf, bits.cnt, bits.pos);
    // Raw pointers to the input and the output: every access below is
    // bounded by the margins checked at the top of each iteration (each
    // SAFETY comment says how), and `dst` is not used otherwise until the
    // loop ends.
    let sp = src.as_ptr();
    let dp = dst.as_mut_ptr();
    // The input and the output as pointers (`ip` = `sp + pos`, `op` = `dp +
    // out`): one register less than base and index, in a loop that is short
    // of them.
    let ip_end = sp.wrapping_add(in_end);
    let mut ip = sp.wrapping_add(pos);
    let op_end = dp.wrapping_add(out_end);
    let mut op = dp.wrapping_add(*out_ref);
    // Only the low 6 bits of `cnt` count the valid bits of `buf` here; the
    // bits above are garbage. That lets an entry be consumed by shifting
    // and subtracting the entry itself, whose low 6 bits are its bit count:
    // no masking instruction sits on the lookup → shift → lookup chain
    // (`wrapping_shr` and `wrapping_shl` use the count's low 6 bits, as
    // x86's shifts do).
    cnt &= 63;
    // Same refill as `Bits::refill`, whose slow branch cannot be taken here.
    macro_rules! refill {
        () => {{
            // SAFETY: `ip < ip_end = sp + src.len() - 24` was checked at the
            // top of the iteration, and an iteration refills at most twice
            // (7 bytes each), so the 8 bytes read are inside `src`.
            #[allow(unsafe_code)]
            let w = unsafe { ip.cast::<u64>().read_unaligned() };
            buf |= u64::from_le(w).wrapping_shl(cnt);
            // 63 - count, as !cnt's low 6 bits: whole bytes to advance.
            ip = ip.wrapping_add(((!cnt >> 3) & 7) as usize);
            cnt |= 56;
        }};
    }
    // Consumes entry `$e`'s codes and extra bits.
    macro_rules! consume {
        ($e:expr) => {{
            let e = $e;
            buf = buf.wrapping_shr(e);
            cnt = cnt.wrapping_sub(e);
        }};
    }
    let lit_mask: usize = (1 << TB) - 1;
    const DIST_MASK: usize = DIST_ROOT - 1;
    if op >= op_end || ip >= ip_end {
        return None;
    }
    refill!();
    // Loop invariant: `e` is the root entry for the front bits of `buf`,
    // looked up when at least `TB` of them were valid (so it stays valid
    // across a refill, which only adds bits above them).
    let mut e = lit[(buf as usize) & lit_mask];
    let result = loop {
        if op >= op_end || ip >= ip_end {
            break None;
        }
        refill!();
        if e & (F_EOB | F_SUB | F_BAD) != 0 {
            if e & F_SUB != 0 {
                e = resolve_sub(&lit[..], TB, e, buf);
            }
            if e & (F_EOB | F_BAD) != 0 {
                if e & F_BAD != 0 {
                    break Some(Err(Stop::Invalid(DcStatus::InvalidCode)));
                }
                consume!(e);
                break Some(Ok(()));
            }
        }
        // Stores entry `$e`'s literals (none for a match, whose copy
        // overwrites these bytes): four bytes whatever the count.
        macro_rules! store_literals {
            ($e:expr) => {{
                // SAFETY: `op < op_end` at the top of the iteration, and
                // `op` moves by at most 2 per entry, three entries at most
                // before the next check: `op + 4 + 4 <= dp + dst.len()`.
                #[allow(unsafe_code)]
                unsafe {
                    op.cast::<[u8; 4]>()
                        .write_unaligned(($e >> 8).to_le_bytes())
                };
                op = op.wrapping_add(literal_count($e));
            }};
        }
        // Consumes literal entry `$e` and evaluates to the entry after it.
        // For the fixed code, whose literals take 8 or 9 bits, the entries
        // after both are looked up at once (see [`FixedNext`]) before `$e`'s
        // length is known, and its length picks one: the next lookup no
        // longer waits on the shift, which shortens the chain through a run
        // of literals by a third. (Only right when `$e` is a literal: a
        // length's extra bits follow it.)
        macro_rules! consume_literal {
            ($e:expr) => {{
                if TB == FIXED_TB {
                    let both = fixed_next.0[(buf >> 8) as usize & (FIXED_NEXT - 1)];
                    consume!($e);
                    // A shift by 32 for a 9-bit code, by 0 for an 8-bit one:
                    // `$e << 5` has the code length's low bit in bit 5.
                    both.wrapping_shr($e << 5) as u32
                } else {
                    consume!($e);
                    lit[(buf as usize) & lit_mask]
                }
            }};
        }
        let saved = buf;
        let next = consume_literal!(e);
        let mut d = dist[(buf as usize) & DIST_MASK];
        store_literals!(e);
        if e < LITERALS_ONLY {
            // Two more entries of literals without a refill: the first
            // entry took at most 15 bits, these are root entries (12 at
            // most), which leaves 56 - 39 = 17 for the next lookup.
            e = next;
            if e < LITERALS_ONLY {
                let next = consume_literal!(e);
                store_literals!(e);
                e = next;
                if e < LITERALS_ONLY {
                    let next = consume_literal!(e);
                    store_literals!(e);
                    e = next;
                }
            }
            continue;
        }
        let len = length_value(e, saved);
        refill!();
        if d & (F_SUB | F_BAD) != 0 {
            if d & F_SUB != 0 {
                d = resolve_sub(&dist[..], DIST_TB, d, buf);
            }
            if d & F_BAD != 0 {
                break Some(Err(Stop::Invalid(DcStatus::InvalidCode)));
            }
        }
        let saved = buf;
        consume!(d);
        let distance = distance_value(d, saved);
        let out = op as usize - dp as usize;
        if distance > out {
            // Before `dst`: into the caller's history, or invalid.
            break Some(Err(if distance - out > hist {
                Stop::Invalid(DcStatus::InvalidDist)
            } else {
                Stop::Far {
                    len,
                    dist: distance,
                }
            }));
        }
        // Look up the next entry before the copy, so that the lookup
        // overlaps the copy.
        e = lit[(buf as usize) & lit_mask];
        // SAFETY: `op` moved by at most 1 (a literal before the length)
        // from below `op_end`, so 258 + 40 bytes of `dst` follow it; every
        // length entry `build` makes decodes to 3..=258 and every distance
        // entry to at least 1, and `distance <= op - dp` was checked.
        #[allow(unsafe_code)]
        unsafe {
            copy_match_fast(op, distance, len)
        };
        op = op.wrapping_add(len);
    };
    bits.buf = buf;
    bits.cnt = cnt & 63;
    bits.pos = ip as usize - sp as usize;
    *out_ref = op as usize - dp as usize;
    result
}
