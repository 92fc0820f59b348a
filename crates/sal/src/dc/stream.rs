//! Stateful sessions (`CPA_DC_STATEFUL`): one deflate stream compressed or
//! decompressed across requests, on the classes whose row has
//! [`StatefulFacts`] (gen2: dh895xcc, c3xxx, c6xx). gen4 is stateless only
//! and refuses them with UNSUPPORTED, as qatlib does.
//!
//! The stream's state — history, bit position, block state, running
//! checksums — lives in the session's *context buffer*, in DMA memory: the
//! caller's `pContextBuffer` of `cpaDcGetSessionSize`'s context size (C),
//! or memory the SAL allocates with the session (Rust). The content
//! descriptor names it, and the firmware reads it at the start of each
//! request and writes it back at its end (see
//! `softqat_device::desc::DcSessionDesc::context`), so a request travels
//! the normal path and any engine may serve it. What the SAL keeps is the
//! request discipline QAT's SAL keeps:
//!
//! - **One request in flight.** A second request while one is in flight is
//!   refused with `CPA_STATUS_RETRY` ("only one in-flight stateful request
//!   supported", qatlib's `dcCompDecompData` path); requests of a stream
//!   are therefore processed in order.
//! - **Start of packet.** The first request after `cpaDcInitSession`,
//!   `cpaDcResetSession` or a completed FLUSH_FINAL request starts a new
//!   stream (`DC_SOP`): the context is initialised by the firmware, not
//!   trusted. A start that failed is retried by the next request.
//! - **Odd lengths.** A QAT 1.7 device decompresses an odd number of bytes
//!   only in some requests (`oddByteDecompNobFinal`,
//!   `oddByteDecompInterim`); for the others the SAL marks the request so
//!   the device takes one byte less (`DC_EVEN_INPUT`) and `consumed` tells
//!   the caller to resubmit it.
//! - **No compress-and-verify.** QAT verifies stateless output only: a
//!   stateful compression request asking for it is UNSUPPORTED (qatlib:
//!   "stateful sessions not supported with CNV"), so `cpaDcCompressData`
//!   (which implies it) is refused and `cpaDcCompressData2` with
//!   `compressAndVerify` false is the call. Integrity CRCs, data-plane and
//!   chaining sessions are stateless only.
//!
//! Overflow is an exception in both directions: the output so far is
//! produced and the caller resubmits from `consumed` with more room.
//! `results.checksum` is the stream's running checksum (the checksum
//! seed of a request is not used).
//!
//! **Where softqat differs.** The QAT 1.7 package refuses stateful
//! sessions that compress (`cpaDcInitSession` answers UNSUPPORTED and
//! `statefulDeflateCompression` is false; the Programmer's Guide §3.9
//! says stateful compression is no longer supported). softqat offers it
//! on gen2, as QAT 1.5/1.6 did (`statefulDeflateCompression` true): the
//! flushes are `cpa_dc.h`'s — NONE (the output may stop inside a byte,
//! the rest follows), SYNC (byte-aligned, history kept), FULL
//! (byte-aligned, history dropped), FINAL (the stream ends) — and a
//! stateful session may compress, decompress, or both (its context then
//! holds both states).

use std::sync::atomic::{AtomicBool, Ordering};

use softqat_config::{DeviceClass, StatefulFacts};
use softqat_device::desc::{DC_EVEN_INPUT, DC_SOP};
use softqat_engine::DcStatus;

use crate::dc::{CompType, DcOpData, DcResults, DcSessionSetup, FlushFlag, SessionDirection};
use crate::dma::DmaBuf;
use crate::error::{CpaStatus, Error, Result};

/// Context bytes a session with `setup` needs on `class`
/// (`cpaDcGetSessionSize`'s `pContextSize`): 0 for a stateless session or
/// a class without stateful sessions; for a stateful deflate session the
/// class's inflate context when it decompresses plus its deflate context
/// when it compresses.
pub fn context_size(class: &DeviceClass, setup: &DcSessionSetup) -> usize {
    let Some(f) = class.dc.stateful else {
        return 0;
    };
    if setup.state != crate::dc::SessionState::Stateful || setup.comp_type != CompType::Deflate {
        return 0;
    }
    let (inflate, deflate) = (f.inflate_context as usize, f.deflate_context as usize);
    match setup.direction {
        SessionDirection::Compress => deflate,
        SessionDirection::Decompress => inflate,
        SessionDirection::Combined => inflate + deflate,
    }
}

/// The stream bookkeeping of a stateful session.
pub(crate) struct StreamState {
    facts: StatefulFacts,
    /// A request is in flight.
    busy: AtomicBool,
    /// The next request starts a stream.
    first: AtomicBool,
    /// The request in flight started a stream.
    sop_in_flight: AtomicBool,
    /// The context, when the SAL allocated it (a Rust session); a C
    /// session's is the caller's.
    _own: Option<DmaBuf>,
}

impl StreamState {
    pub(crate) fn new(facts: StatefulFacts, own: Option<DmaBuf>) -> StreamState {
        StreamState {
            facts,
            busy: AtomicBool::new(false),
            first: AtomicBool::new(true),
            sop_in_flight: AtomicBool::new(false),
            _own: own,
        }
    }

    /// Admits a request: refused while another is in flight, or when it
    /// asks to verify a stateful compression. Static messages: refusing
    /// allocates nothing.
    pub(crate) fn begin(&self, compress: bool, op: &DcOpData) -> Result<()> {
        if compress && (op.compress_and_verify || op.compress_and_verify_and_recover) {
            return Err(Error::unsupported(
                "stateful sessions are not supported with compress-and-verify (QAT verifies \
                 stateless output only): use cpaDcCompressData2 with compressAndVerify \
                 CPA_FALSE, or a stateless session",
            ));
        }
        if op.integrity.is_some() {
            return Err(Error::unsupported(
                "integrity CRCs are for stateless requests: leave integrityCrcCheck \
                 CPA_FALSE on a stateful session",
            ));
        }
        if self.busy.swap(true, Ordering::AcqRel) {
            return Err(Error::retry(
                "only one request of a stateful session may be in flight: poll until the \
                 previous one completes, then submit the next",
            ));
        }
        let sop = self.first.swap(false, Ordering::AcqRel);
        self.sop_in_flight.store(sop, Ordering::Release);
        Ok(())
    }

    /// The descriptor flags of the admitted request.
    pub(crate) fn flags(&self, compress: bool, flush: FlushFlag) -> u8 {
        let mut flags = 0;
        if self.sop_in_flight.load(Ordering::Acquire) {
            flags |= DC_SOP;
        }
        let final_flush = flush == FlushFlag::Final;
        let full = flush == FlushFlag::Full;
        let cut = (!self.facts.odd_byte_no_final && !final_flush)
            || (!self.facts.odd_byte_interim && !final_flush && !full);
        if !compress && cut {
            flags |= DC_EVEN_INPUT;
        }
        flags
    }

    /// The admitted request was not submitted (the ring was full).
    pub(crate) fn abort(&self) {
        if self.sop_in_flight.load(Ordering::Acquire) {
            self.first.store(true, Ordering::Release);
        }
        self.busy.store(false, Ordering::Release);
    }

    /// The admitted request completed: a start the firmware did not commit
    /// (an error leaves the context as it was) is retried by the next
    /// request, and a completed FLUSH_FINAL request ends the stream.
    pub(crate) fn end(&self, status: CpaStatus, results: &DcResults, last: bool) {
        let ok = status == CpaStatus::Success;
        let committed = ok && matches!(results.status, DcStatus::Ok | DcStatus::Overflow);
        let ended = ok && last && results.status == DcStatus::Ok;
        if ended || (!committed && self.sop_in_flight.load(Ordering::Acquire)) {
            self.first.store(true, Ordering::Release);
        }
        self.busy.store(false, Ordering::Release);
    }

    /// `cpaDcResetSession`: the next request starts a new stream. RETRY
    /// while a request is in flight.
    pub(crate) fn reset(&self) -> Result<()> {
        if self.busy.load(Ordering::Acquire) {
            return Err(Error::retry(
                "the stateful session has a request in flight: poll until it completes, then \
                 reset the session",
            ));
        }
        self.first.store(true, Ordering::Release);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use softqat_device::desc::{DC_DEFLATE_STATE_LEN, DC_INFLATE_STATE_LEN};

    #[test]
    fn context_sizes_follow_the_class_and_hold_the_engine_state() {
        let c6xx = DeviceClass::by_name("c6xx").unwrap();
        let dh = DeviceClass::by_name("dh895xcc").unwrap();
        let g4 = DeviceClass::by_name("4xxx").unwrap();
        let setup = |state, direction, comp_type| DcSessionSetup {
            state,
            direction,
            comp_type,
            ..DcSessionSetup::default()
        };
        use crate::dc::SessionState::{Stateful, Stateless};
        use SessionDirection::{Combined, Compress, Decompress};
        assert_eq!(
            context_size(c6xx, &setup(Stateful, Decompress, CompType::Deflate)),
            34_032
        );
        assert_eq!(
            context_size(dh, &setup(Stateful, Decompress, CompType::Deflate)),
            36_864
        );
        assert_eq!(
            context_size(c6xx, &setup(Stateless, Decompress, CompType::Deflate)),
            0
        );
        assert_eq!(
            context_size(g4, &setup(Stateful, Decompress, CompType::Deflate)),
            0
        );
        assert_eq!(
            context_size(c6xx, &setup(Stateful, Decompress, CompType::Lz4)),
            0
        );
        for class in [c6xx, dh] {
            let f = class.dc.stateful.unwrap();
            // What the firmware keeps fits what the caller is told to give.
            assert!(DC_INFLATE_STATE_LEN <= f.inflate_context as usize);
            assert!(DC_DEFLATE_STATE_LEN <= f.deflate_context as usize);
            assert!(
                DC_INFLATE_STATE_LEN + DC_DEFLATE_STATE_LEN
                    <= context_size(class, &setup(Stateful, Combined, CompType::Deflate))
            );
            assert!(
                DC_DEFLATE_STATE_LEN
                    <= context_size(class, &setup(Stateful, Compress, CompType::Deflate))
            );
        }
    }

    #[test]
    fn one_request_in_flight_and_start_of_packet() {
        let f = DeviceClass::by_name("c6xx").unwrap().dc.stateful.unwrap();
        let st = StreamState::new(f, None);
        let mut op = DcOpData::new(FlushFlag::Sync);
        // Compress-and-verify is refused for compression only.
        assert_eq!(
            st.begin(true, &op).unwrap_err().status,
            CpaStatus::Unsupported
        );
        st.begin(false, &op).unwrap();
        assert_eq!(st.flags(false, FlushFlag::Sync), DC_SOP | DC_EVEN_INPUT);
        assert_eq!(st.begin(false, &op).unwrap_err().status, CpaStatus::Retry);
        assert_eq!(st.reset().unwrap_err().status, CpaStatus::Retry);
        let ok = DcResults {
            status: DcStatus::Ok,
            produced: 0,
            consumed: 0,
            checksum: 0,
            adler32: 1,
            end_of_last_block: false,
            aligned_end: false,
            data_uncompressed: false,
            crc: None,
        };
        st.end(CpaStatus::Success, &ok, false);
        op.compress_and_verify = false;
        op.compress_and_verify_and_recover = false;
        st.begin(true, &op).unwrap();
        // Not a start any more; compression is never cut to even.
        assert_eq!(st.flags(true, FlushFlag::Sync), 0);
        // A failed request: the stream goes on (the start was committed).
        st.end(
            CpaStatus::Success,
            &DcResults {
                status: DcStatus::InvalidCode,
                ..ok
            },
            false,
        );
        st.begin(true, &op).unwrap();
        assert_eq!(st.flags(true, FlushFlag::Final), 0);
        // A completed FINAL ends the stream: the next request starts one.
        st.end(CpaStatus::Success, &ok, true);
        st.begin(false, &op).unwrap();
        assert_eq!(st.flags(false, FlushFlag::Final), DC_SOP);
        // That start failed: the next request starts again.
        st.end(
            CpaStatus::Success,
            &DcResults {
                status: DcStatus::SoftErr,
                ..ok
            },
            false,
        );
        st.begin(false, &op).unwrap();
        assert_eq!(st.flags(false, FlushFlag::Full), DC_SOP | DC_EVEN_INPUT);
        st.abort();
        st.begin(false, &op).unwrap();
        assert_eq!(st.flags(false, FlushFlag::Final), DC_SOP);
        st.end(CpaStatus::Success, &ok, false);
        st.reset().unwrap();
        st.begin(false, &op).unwrap();
        assert_eq!(st.flags(false, FlushFlag::Final) & DC_SOP, DC_SOP);
    }

    #[test]
    fn odd_byte_rules_of_the_classes() {
        let c6xx = DeviceClass::by_name("c6xx").unwrap().dc.stateful.unwrap();
        let dh = DeviceClass::by_name("dh895xcc")
            .unwrap()
            .dc
            .stateful
            .unwrap();
        let cut = |f, flush| StreamState::new(f, None).flags(false, flush) & DC_EVEN_INPUT != 0;
        let flushes = [
            FlushFlag::None,
            FlushFlag::Sync,
            FlushFlag::Full,
            FlushFlag::Final,
        ];
        // c6xx: every request without FLUSH_FINAL.
        assert_eq!(flushes.map(|fl| cut(c6xx, fl)), [true, true, true, false]);
        // dh895xcc: interim requests only (neither FINAL nor FULL).
        assert_eq!(flushes.map(|fl| cut(dh, fl)), [true, true, false, false]);
    }
}
