//! Decoding one deflate stream on several engines at once.
//!
//! QAT gen4 decompresses statelessly: one request holds a whole stream, so
//! a one-member gzip file is decoded by one engine while the others idle.
//! Streams made of independent pieces can do better. `softqat compress`
//! (like QATzip and any stateless QAT compressor) joins the outputs of
//! stateless requests at sync-flush markers — an empty stored block, whose
//! last four bytes are `00 00 ff ff` — and no request refers to the data of
//! another. Such a stream is cut at those markers and the pieces are
//! decoded as separate requests on every engine at once.
//!
//! Nothing is assumed about who wrote the stream. The cut points are only
//! candidates (the four bytes can occur anywhere), and a piece is accepted
//! only when its request proves it decodes exactly as a decoder of the
//! whole stream would read that stretch:
//! - the request is OK and consumed the whole piece;
//! - its last block ends on a byte boundary ([`DcResults::aligned_end`]),
//!   so the next piece starts where the whole-stream decoder reads the next
//!   block header;
//! - it refers to nothing before its start (the engine refuses such a
//!   distance, as there is no history).
//!
//! Those pieces then yield the same blocks and the same output as one
//! decoder of the whole stream, so each accepted piece's output is handed
//! on at once (in order, from reused buffers), and the caller checks the
//! trailer against the joined checksum as it would against one request's.
//! The first piece that fails any check ends the attempt, and the caller
//! decodes the stream as one request, handing on only what follows the
//! output already given (the same bytes, by the argument above): streams
//! whose pieces share history (pigz), corrupt streams and streams without
//! markers get exactly the one-request result, messages included.

use std::ops::Range;

use softqat_engine::checksum;
use softqat_engine::DcStatus;
use softqat_sal::{
    ChecksumType, CompType, CpaStatus, DcInstance, DcOpData, DcResults, DcSession, DcSessionSetup,
    DmaBuf, FlushFlag, SessionDirection,
};

use crate::files::{collecting_session, completions, e2s, Slot, WINDOW};

/// The end of a sync-flush marker: the LEN and NLEN of an empty stored
/// block.
const SYNC_MARKER: [u8; 4] = [0x00, 0x00, 0xff, 0xff];

/// Compressed bytes a piece holds at least: enough work per request that
/// the per-request costs (a copy into DMA memory, a round trip through the
/// ring) stay small beside the decoding.
const MIN_PIECE: usize = 256 * 1024;

/// Most output room a piece gets in the window (a piece that needs more is
/// decoded again on its own, its room growing): with [`WINDOW`] requests in
/// flight, a stream that expands a thousandfold must not ask for gigabytes
/// of DMA memory at once.
const MAX_ROOM: usize = 4 << 20;

/// One request of a windowed decode: a range of the input, the room its
/// output gets, and its flush.
pub(crate) struct Piece {
    pub data: Range<usize>,
    pub dst_len: usize,
    pub flush: FlushFlag,
}

/// What the caller of [`decode_window`] does after a result.
pub(crate) enum Step {
    /// Go on; the destination buffer is given back for reuse, or kept.
    Next(Option<DmaBuf>),
    /// Stop submitting: the requests still in flight are waited for and
    /// their results dropped.
    Stop,
}

/// Decodes `pieces` of `input` with `session` (whose callback fills
/// `done`), up to [`WINDOW`] requests in flight on the instance's engines,
/// each source copied into a reused DMA buffer, and hands each result with
/// its destination to `take`, in order. Returns how many results `take`
/// accepted.
pub(crate) fn decode_window(
    inst: &DcInstance,
    (session, done): &(DcSession, crate::files::Done),
    input: &[u8],
    pieces: &[Piece],
    take: &mut dyn FnMut(usize, &DcResults, DmaBuf) -> Result<Step, String>,
) -> Result<usize, String> {
    let mut arrived = Vec::new();
    // A buffer of at least `n` bytes from `free`, or a new one.
    let grab = |free: &mut Vec<DmaBuf>, n: usize| -> Result<DmaBuf, String> {
        let mut b = match free.iter().position(|b| b.capacity() >= n) {
            Some(k) => free.swap_remove(k),
            None => DmaBuf::try_new(n).map_err(e2s)?,
        };
        b.set_len(n);
        Ok(b)
    };
    let (mut free_src, mut free_dst) = (Vec::new(), Vec::new());
    let mut pending: Vec<Slot> = (0..WINDOW).map(|_| None).collect();
    let mut retry: Option<(DmaBuf, DmaBuf)> = None;
    // Submitted, answered, accepted; `stop` once `take` says so.
    let (mut next, mut answered, mut accepted) = (0usize, 0usize, 0usize);
    let mut stop = false;
    while answered < next || (!stop && accepted < pieces.len()) {
        while !stop && next < pieces.len() && next - accepted < WINDOW {
            let p = &pieces[next];
            let (src, dst) = match retry.take() {
                Some(r) => r,
                None => {
                    let mut src = grab(&mut free_src, p.data.len())?;
                    src.copy_from_slice(&input[p.data.clone()]);
                    (src, grab(&mut free_dst, p.dst_len)?)
                }
            };
            let op = DcOpData::new(p.flush);
            match inst.submit_decompress(session, src, dst, &op, next as u64) {
                Ok(()) => next += 1,
                Err(r) if r.error.status == CpaStatus::Retry => {
                    retry = Some((r.src, r.dst));
                    break;
                }
                Err(r) => return Err(r.error.to_string()),
            }
        }
        for (tag, status, results, src, dst) in completions(inst, done, &mut arrived) {
            answered += 1;
            if status != CpaStatus::Success {
                return Err(format!("request {tag}: the request failed: {status}"));
            }
            pending[tag as usize % WINDOW] = Some((results, src, dst));
        }
        while !stop {
            let Some((r, mut src, dst)) = pending[accepted % WINDOW].take() else {
                break;
            };
            src.set_len(src.capacity());
            free_src.push(src);
            match take(accepted, &r, dst)? {
                Step::Next(back) => {
                    if let Some(mut b) = back {
                        b.set_len(b.capacity());
                        free_dst.push(b);
                    }
                    accepted += 1;
                }
                Step::Stop => stop = true,
            }
        }
    }
    Ok(accepted)
}

/// Candidate pieces of the deflate data at the start of `body` (which may
/// run on into a trailer and more data): cut after sync-flush markers, at
/// least [`MIN_PIECE`] apart; the last piece runs to the end of `body`.
/// Fewer than two: nothing to share out.
fn candidate_pieces(body: &[u8]) -> Vec<Range<usize>> {
    let mut cuts = Vec::new();
    let mut start = 0usize;
    let mut at = MIN_PIECE;
    while at < body.len() {
        let Some(k) = memchr::memmem::find(&body[at..], &SYNC_MARKER) else {
            break;
        };
        let end = at + k + SYNC_MARKER.len();
        if end >= body.len() {
            break;
        }
        cuts.push(start..end);
        start = end;
        at = end + MIN_PIECE;
    }
    if cuts.is_empty() {
        return cuts;
    }
    cuts.push(start..body.len());
    cuts
}

/// How [`inflate_split`] ended.
pub(crate) enum Split {
    /// The whole stream was decoded in pieces: its results as one request
    /// would give them (status OK, bytes consumed, output length, the
    /// checksum of the output: CRC-32 for gzip, Adler-32 for zlib).
    Done(DcResults),
    /// It could not be (no candidate cut, or a piece failed a check) after
    /// handing on this many bytes of output: decode the stream as one
    /// request and hand on the rest.
    NotSplit { emitted: usize },
}

/// The deflate stream at the start of `body`, decoded in pieces on the
/// engines (see the module documentation), each piece's output handed to
/// `emit` in order as soon as it is accepted (in the buffer the engine
/// wrote; `emit` gives it back for reuse or keeps it). `expected_len` (the gzip
/// ISIZE, when known) sizes the pieces' outputs; `checksum` is the
/// stream's (`None` for raw deflate).
pub(crate) fn inflate_split(
    inst: &DcInstance,
    body: &[u8],
    expected_len: Option<u32>,
    checksum: ChecksumType,
    emit: &mut dyn FnMut(DmaBuf) -> Result<Option<DmaBuf>, String>,
) -> Result<Split, String> {
    let ranges = candidate_pieces(body);
    if ranges.is_empty() {
        return Ok(Split::NotSplit { emitted: 0 });
    }
    // Room for a piece's output: its share of the expected output with a
    // margin, or a generous ratio (a piece that outgrows it is decoded
    // again on its own, below).
    let ratio = match expected_len {
        Some(n) if n > 0 => (n as f64 / body.len() as f64) * 1.5 + 1.0,
        _ => 8.0,
    };
    let last = ranges.len() - 1;
    let pieces: Vec<Piece> = ranges
        .iter()
        .enumerate()
        .map(|(k, r)| Piece {
            data: r.clone(),
            dst_len: ((r.len() as f64 * ratio) as usize)
                .saturating_add(64 * 1024)
                .min(MAX_ROOM),
            flush: if k == last {
                FlushFlag::Final
            } else {
                FlushFlag::Full
            },
        })
        .collect();
    let setup = DcSessionSetup {
        comp_type: CompType::Deflate,
        checksum,
        direction: SessionDirection::Decompress,
        ..DcSessionSetup::default()
    };
    let session = collecting_session(inst, &setup)?;
    let mut joined = Joined::new(checksum);
    // Pieces from `from` on are decoded in the window; one whose output
    // outgrew its room is decoded again on its own, growing the room as
    // the one-request path does, and the window resumes after it.
    let mut from = 0usize;
    loop {
        let mut outcome = Outcome::Next;
        decode_window(inst, &session, body, &pieces[from..], &mut |k, r, dst| {
            let k = from + k;
            if r.status == DcStatus::Overflow {
                outcome = Outcome::Overflow(k);
                return Ok(Step::Stop);
            }
            match joined.accept(&pieces[k], r, dst, emit)? {
                (Outcome::Next, back) => Ok(Step::Next(back)),
                (o, _) => {
                    outcome = o;
                    Ok(Step::Stop)
                }
            }
        })?;
        let emitted = joined.emitted();
        match outcome {
            Outcome::Complete => break,
            Outcome::Failed | Outcome::Next => return Ok(Split::NotSplit { emitted }),
            Outcome::Overflow(k) => {
                let p = &pieces[k];
                let sync = inst.init_session(&setup).map_err(e2s)?;
                let Ok((r, dst)) = crate::files::decompress_request(
                    inst,
                    &sync,
                    &body[p.data.clone()],
                    p.dst_len.saturating_mul(2),
                    p.flush,
                ) else {
                    return Ok(Split::NotSplit { emitted });
                };
                match joined.accept(p, &r, dst, emit)?.0 {
                    Outcome::Complete => break,
                    Outcome::Next => from = k + 1,
                    _ => return Ok(Split::NotSplit { emitted }),
                }
            }
        }
        if from >= pieces.len() {
            // Every piece decoded and none held the final block.
            return Ok(Split::NotSplit {
                emitted: joined.emitted(),
            });
        }
    }
    let Joined {
        sum,
        produced,
        consumed,
        ..
    } = joined;
    if produced > u64::from(u32::MAX) || consumed > u64::from(u32::MAX) {
        return Ok(Split::NotSplit {
            emitted: produced as usize,
        });
    }
    let results = DcResults {
        status: DcStatus::Ok,
        produced: produced as u32,
        consumed: consumed as u32,
        checksum: sum,
        adler32: if checksum == ChecksumType::Adler32 {
            sum
        } else {
            1
        },
        end_of_last_block: true,
        aligned_end: false,
        data_uncompressed: false,
        crc: None,
    };
    Ok(Split::Done(results))
}

/// How a piece's check, or a run of the window, ended.
enum Outcome {
    /// The piece is good and the stream goes on (a run never ends so).
    Next,
    /// A piece held the stream's final block.
    Complete,
    /// A piece failed a check.
    Failed,
    /// This piece's output outgrew its room.
    Overflow(usize),
}

/// The pieces accepted so far, joined.
struct Joined {
    kind: ChecksumType,
    /// The checksum of the output so far.
    sum: u32,
    /// Output handed on (every accepted piece's).
    produced: u64,
    consumed: u64,
}

impl Joined {
    fn new(kind: ChecksumType) -> Joined {
        Joined {
            kind,
            sum: if kind == ChecksumType::Adler32 { 1 } else { 0 },
            produced: 0,
            consumed: 0,
        }
    }

    fn emitted(&self) -> usize {
        self.produced as usize
    }

    /// [`add`](Self::add)s a piece's result and, if it passes, hands its
    /// output (`dst`) to `emit`; returns the outcome and the buffer `emit`
    /// gave back.
    fn accept(
        &mut self,
        p: &Piece,
        r: &DcResults,
        mut dst: DmaBuf,
        emit: &mut dyn FnMut(DmaBuf) -> Result<Option<DmaBuf>, String>,
    ) -> Result<(Outcome, Option<DmaBuf>), String> {
        let o = self.add(p, r);
        if matches!(o, Outcome::Failed) {
            return Ok((o, None));
        }
        dst.set_len(r.produced as usize);
        Ok((o, emit(dst)?))
    }

    /// Checks piece `p`'s result (see the module documentation) and, if it
    /// passes, joins its checksum and sizes.
    fn add(&mut self, p: &Piece, r: &DcResults) -> Outcome {
        let whole = r.consumed as usize == p.data.len() && r.aligned_end;
        // The stream's final block ends the stream, in whichever piece it
        // is (what follows it is the trailer, not deflate data).
        if r.status != DcStatus::Ok || !(r.end_of_last_block || whole) {
            return Outcome::Failed;
        }
        let n = u64::from(r.produced);
        self.sum = match self.kind {
            ChecksumType::Crc32 => checksum::crc32_combine(self.sum, r.checksum, n),
            ChecksumType::Adler32 => checksum::adler32_combine(self.sum, r.checksum, n),
            _ => 0,
        };
        self.produced += u64::from(r.produced);
        self.consumed += u64::from(r.consumed);
        if r.end_of_last_block {
            Outcome::Complete
        } else {
            Outcome::Next
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compress, Compression, FlushCompress};
    use softqat_sal::runtime::Mode;
    use softqat_sal::{ConfigSource, Qat, StartOptions};
    use std::sync::OnceLock;

    /// A compression instance of the built-in endpoints with two engines.
    fn instance() -> &'static DcInstance {
        static INST: OnceLock<(Qat, DcInstance)> = OnceLock::new();
        let (_, inst) = INST.get_or_init(|| {
            let opts = StartOptions {
                config: ConfigSource::Builtin,
                mode: Mode::Embedded,
                engine_threads: Some(2),
                ..StartOptions::default()
            };
            let qat = Qat::start_with("SSL", &opts).expect("start the built-in endpoints");
            let inst = qat.dc_instances().first().expect("a dc instance").clone();
            inst.start().expect("start the instance");
            (qat, inst)
        });
        inst
    }

    fn corpus() -> Vec<u8> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/calgary");
        std::fs::read(path).expect("the corpus")
    }

    /// zlib's raw deflate of `data`, flushed with `flush` after every
    /// `every` bytes: FULL starts afresh (independent pieces, as stateless
    /// requests are), SYNC keeps the history (as pigz does).
    fn flushed(data: &[u8], every: usize, flush: FlushCompress) -> Vec<u8> {
        let mut c = Compress::new(Compression::new(6), false);
        let mut out = Vec::with_capacity(data.len());
        let chunks: Vec<&[u8]> = data.chunks(every).collect();
        for (k, chunk) in chunks.iter().enumerate() {
            let f = if k + 1 == chunks.len() {
                FlushCompress::Finish
            } else {
                flush
            };
            let mut input = *chunk;
            loop {
                out.reserve(64 * 1024);
                let before = c.total_in();
                c.compress_vec(input, &mut out, f).expect("zlib");
                input = &input[(c.total_in() - before) as usize..];
                if input.is_empty() && out.capacity() > out.len() {
                    break;
                }
            }
        }
        out
    }

    /// [`inflate_split`] collecting the output.
    fn split(body: &[u8], expected: Option<u32>, sum: ChecksumType) -> (Split, Vec<u8>) {
        let mut out = Vec::new();
        let r = inflate_split(instance(), body, expected, sum, &mut |d| {
            out.extend_from_slice(&d);
            Ok(Some(d))
        })
        .expect("no error");
        (r, out)
    }

    fn done(s: Split) -> DcResults {
        match s {
            Split::Done(r) => r,
            Split::NotSplit { emitted } => panic!("not split ({emitted} bytes out)"),
        }
    }

    #[test]
    fn independent_pieces_decode_apart_into_the_whole_stream() {
        let data = corpus();
        let stream = flushed(&data, 64 * 1024, FlushCompress::Full);
        assert!(candidate_pieces(&stream).len() >= 2);
        let mut with_trailer = stream.clone();
        with_trailer.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        let (r, out) = split(&with_trailer, Some(data.len() as u32), ChecksumType::Crc32);
        let r = done(r);
        assert!(out == data);
        assert_eq!(r.consumed as usize, stream.len(), "the trailer is left");
        assert_eq!(r.produced as usize, data.len());
        assert_eq!(r.checksum, checksum::crc32(0, &data));
        // The same pieces with Adler-32 (zlib).
        let (r, _) = split(&stream, None, ChecksumType::Adler32);
        assert_eq!(done(r).checksum, checksum::adler32(1, &data));
    }

    #[test]
    fn pieces_sharing_history_are_left_to_one_request() {
        let data = corpus();
        let stream = flushed(&data, 64 * 1024, FlushCompress::Sync);
        assert!(candidate_pieces(&stream).len() >= 2);
        // The second piece refers to the first: only the first is handed on.
        let (r, out) = split(&stream, None, ChecksumType::Crc32);
        match r {
            Split::NotSplit { emitted } => {
                assert_eq!(emitted, out.len());
                assert!(
                    out == data[..emitted],
                    "the output handed on is the stream's"
                );
            }
            Split::Done(_) => panic!("pieces sharing history decoded apart"),
        }
        // And the command reads it whole.
        let out = crate::files::decompress_with(
            instance(),
            &stream,
            Some(crate::Format::Deflate),
            None,
            false,
        )
        .expect("decoded");
        assert_eq!(out.to_vec(), data);
    }

    #[test]
    fn a_piece_that_outgrows_its_room_is_decoded_again() {
        // Text, 16 MB of zeros (a piece of a few KiB that expands a
        // thousandfold), text.
        let text = corpus();
        let mut data = text.clone();
        data.extend(std::iter::repeat_n(0u8, 16 << 20));
        data.extend_from_slice(&text);
        let stream = flushed(&data, 64 * 1024, FlushCompress::Full);
        let (r, out) = split(&stream, None, ChecksumType::Crc32);
        assert_eq!(done(r).produced as usize, data.len());
        assert!(out == data);
    }

    #[test]
    fn mutated_streams_are_accepted_only_as_zlib_accepts_them() {
        // A gzip file of independent pieces, damaged one byte at a time:
        // at random, and in the last bytes before each cut (where a wrong
        // block end would make the pieces disagree with a decoder of the
        // whole stream). softqat's result must be zlib's: the same output,
        // or an error.
        let data = corpus();
        let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
        gz.extend_from_slice(&flushed(&data, 64 * 1024, FlushCompress::Full));
        gz.extend_from_slice(&checksum::crc32(0, &data).to_le_bytes());
        gz.extend_from_slice(&(data.len() as u32).to_le_bytes());
        let cuts: Vec<usize> = candidate_pieces(&gz[10..])
            .iter()
            .map(|r| 10 + r.end)
            .collect();
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let mut cases = Vec::new();
        for &c in &cuts[..cuts.len() - 1] {
            for back in [1, 4, 5, 6, 9] {
                cases.push((c - back, 1u8 << (next() % 8)));
            }
        }
        for _ in 0..8 {
            cases.push((
                10 + (next() as usize) % (gz.len() - 18),
                1u8 << (next() % 8),
            ));
        }
        let (mut agreed_ok, mut agreed_err) = (0, 0);
        for (at, bit) in cases {
            let mut bad = gz.clone();
            bad[at] ^= bit;
            let mut want = Vec::new();
            let zlib = std::io::Read::read_to_end(
                &mut flate2::read::MultiGzDecoder::new(&bad[..]),
                &mut want,
            );
            let ours = crate::files::decompress_with(
                instance(),
                &bad,
                Some(crate::Format::Gzip),
                None,
                false,
            );
            match (zlib, ours) {
                (Ok(_), Ok(got)) => {
                    assert!(got.to_vec() == want, "byte {at} ^ {bit:#x}: outputs differ");
                    agreed_ok += 1;
                }
                (Err(_), Err(_)) => agreed_err += 1,
                (Ok(_), Err(e)) => panic!("byte {at} ^ {bit:#x}: zlib reads it, softqat: {e}"),
                (Err(e), Ok(_)) => {
                    panic!("byte {at} ^ {bit:#x}: zlib refuses it ({e}), softqat reads it")
                }
            }
        }
        assert!(
            agreed_err > 0,
            "no damaged case was refused ({agreed_ok} read)"
        );
    }

    #[test]
    fn a_piece_must_end_where_a_block_ends_on_a_byte_boundary() {
        let p = Piece {
            data: 0..100,
            dst_len: 1000,
            flush: FlushFlag::Full,
        };
        let ok = DcResults {
            status: DcStatus::Ok,
            produced: 10,
            consumed: 100,
            checksum: 0,
            adler32: 1,
            end_of_last_block: false,
            aligned_end: true,
            data_uncompressed: false,
            crc: None,
        };
        let mut j = Joined::new(ChecksumType::Crc32);
        assert!(matches!(j.add(&p, &ok), Outcome::Next));
        // Its last block ends inside the last byte: the bits after it would
        // be the next block's header for a decoder of the whole stream.
        let unaligned = DcResults {
            aligned_end: false,
            ..ok
        };
        assert!(matches!(j.add(&p, &unaligned), Outcome::Failed));
        // It stopped short of the cut.
        let short = DcResults { consumed: 99, ..ok };
        assert!(matches!(j.add(&p, &short), Outcome::Failed));
        // The final block, anywhere in the piece, ends the stream.
        let last = DcResults {
            consumed: 40,
            end_of_last_block: true,
            aligned_end: false,
            ..ok
        };
        assert!(matches!(j.add(&p, &last), Outcome::Complete));
        assert_eq!((j.produced, j.consumed), (20, 140));
    }

    #[test]
    fn cuts_fall_after_markers_at_least_a_piece_apart() {
        let mut body = vec![0x55u8; 3 * MIN_PIECE];
        // A marker too early for a cut, one after MIN_PIECE, one too close
        // after that, and one at the very end (nothing would follow it).
        for at in [100, MIN_PIECE + 10, MIN_PIECE + 200, 3 * MIN_PIECE - 4] {
            body[at..at + 4].copy_from_slice(&SYNC_MARKER);
        }
        let cut = MIN_PIECE + 14;
        assert_eq!(candidate_pieces(&body), vec![0..cut, cut..body.len()]);
        assert!(candidate_pieces(&body[..MIN_PIECE]).is_empty());
    }
}
