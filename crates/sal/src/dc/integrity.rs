//! Integrity CRCs (`CpaDcOpData.integrityCrcCheck`) and the programmable
//! CRC64 of a session (`cpaDcSetCrcControlData`).
//!
//! The endpoint computes the CRCs of a request while it runs it — over the
//! input it consumed and the output it produced — and writes them, in the
//! layout of `CpaCrcData`, where the request says ([`CrcData`]): the C
//! caller's own structure, or a per-thread record the library reads back
//! for a synchronous Rust call. Which CRCs depends on the class, as in
//! qatlib: the 64-bit ones (the session's CRC64, CRC-64/ECMA-182 until
//! programmed) on QAT 2.0, the 32-bit ones (CRC32) on QAT 1.7.
//!
//! With `verifyHwIntegrityCrcs` the library computes the same CRCs again,
//! in software, over the caller's buffers once the response is in, and a
//! mismatch ends the request with `CPA_DC_CRC_INTEG_ERR` and
//! `CPA_STATUS_FAIL` (nothing consumed or produced): what qatlib does to
//! catch data damaged between the caller's memory and the device — here,
//! between the caller and the endpoint (a managed-mode bounce copy, say).

use std::cell::RefCell;

use softqat_device::desc::{DcRequestParams, RequestDesc, DC_INTEGRITY_CRC32, DC_INTEGRITY_CRC64};
use softqat_device::Iova;
use softqat_engine::checksum::{self, Crc64};
use softqat_engine::DcStatus;

use crate::dc::{CrcControlData, CrcData, DcResults, IntegrityCheck};
use crate::dma::DmaBuf;
use crate::error::{CpaStatus, Error, Result};

/// The `DC_INTEGRITY_*` flag of a class: the 64-bit CRCs where it has them,
/// else the 32-bit ones; an error where it has neither.
pub(crate) fn flag_for(class: &softqat_config::DeviceClass) -> Result<u8> {
    if class.dc.integrity_crc64 {
        Ok(DC_INTEGRITY_CRC64)
    } else if class.dc.integrity_crc32 {
        Ok(DC_INTEGRITY_CRC32)
    } else {
        Err(Error::invalid(
            "integrity CRCs are not supported on this device: leave integrityCrcCheck CPA_FALSE",
        ))
    }
}

/// Asks the endpoint for the CRCs `flag` names, written at `at`.
pub(crate) fn request_crcs(desc: &mut RequestDesc, flag: u8, at: Iova) {
    let mut p: DcRequestParams = desc.params();
    p.flags |= flag;
    p.crc_data = at;
    desc.set_params(&p);
}

thread_local! {
    /// Where the endpoint writes the CRCs of this thread's synchronous
    /// calls: DMA memory (reachable in managed mode too), taken once per
    /// thread; a synchronous call has it to itself until it returns.
    static RECORD: RefCell<Option<DmaBuf>> = const { RefCell::new(None) };
}

/// Runs `f` with the address of this thread's CRC record, then reads the
/// record back.
pub(crate) fn with_record<R>(f: impl FnOnce(Iova) -> Result<R>) -> Result<(R, CrcData)> {
    let mut buf = match RECORD.with(|r| r.borrow_mut().take()) {
        Some(b) => b,
        None => DmaBuf::try_new(std::mem::size_of::<CrcData>())?,
    };
    buf.set_len(std::mem::size_of::<CrcData>());
    buf.fill(0);
    let out = f(buf.iova());
    let rec: CrcData = bytemuck::pod_read_unaligned(&buf[..]);
    RECORD.with(|r| *r.borrow_mut() = Some(buf));
    Ok((out?, rec))
}

/// The software side of `verifyHwIntegrityCrcs`: the CRCs `flag` names,
/// over data given in pieces.
pub(crate) struct SoftwareCrcs {
    flag: u8,
    crc64: Crc64,
}

impl SoftwareCrcs {
    /// The CRCs `flag` names, with the session's CRC64 `params`. (The
    /// table lives on the stack: a verified request allocates nothing.)
    pub(crate) fn new(flag: u8, params: CrcControlData) -> SoftwareCrcs {
        SoftwareCrcs {
            flag,
            crc64: Crc64::with_params(params),
        }
    }

    /// The CRC of the pieces `feed` hands over, in order.
    fn digest(&self, feed: impl FnOnce(&mut dyn FnMut(&[u8]))) -> u64 {
        if self.flag & DC_INTEGRITY_CRC64 != 0 {
            let mut reg = self.crc64.start();
            feed(&mut |d| reg = self.crc64.update(reg, d));
            self.crc64.finish(reg)
        } else {
            let mut c = 0;
            feed(&mut |d| c = checksum::crc32(c, d));
            u64::from(c)
        }
    }

    /// Whether the endpoint's `rec` holds the CRCs of the input and output
    /// the two feeders give.
    pub(crate) fn matches(
        &self,
        rec: &CrcData,
        input: impl FnOnce(&mut dyn FnMut(&[u8])),
        output: impl FnOnce(&mut dyn FnMut(&[u8])),
    ) -> bool {
        let (i, o) = if self.flag & DC_INTEGRITY_CRC64 != 0 {
            (rec.i_crc64, rec.o_crc64)
        } else {
            (u64::from(rec.i_crc32), u64::from(rec.o_crc32))
        };
        self.digest(input) == i && self.digest(output) == o
    }
}

/// A request whose CRCs did not verify: `CPA_DC_CRC_INTEG_ERR` (unless the
/// endpoint already reported an error), nothing consumed or produced, and
/// `CPA_STATUS_FAIL`.
pub(crate) fn failed_verification(status: &mut CpaStatus, results: &mut DcResults) {
    if matches!(results.status, DcStatus::Ok | DcStatus::Overflow) {
        results.status = DcStatus::CrcIntegErr;
    }
    results.consumed = 0;
    results.produced = 0;
    *status = CpaStatus::Fail;
}

/// Whether a request with `check` is to be verified, given its outcome.
pub(crate) fn to_verify(check: Option<&IntegrityCheck>, status: CpaStatus, r: &DcResults) -> bool {
    check.is_some_and(|c| c.verify_hw_crcs)
        && status == CpaStatus::Success
        && r.status == DcStatus::Ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(flag: u8, sw: &SoftwareCrcs, input: &[u8], output: &[u8]) -> CrcData {
        let mut rec = CrcData::default();
        if flag & DC_INTEGRITY_CRC64 != 0 {
            rec.i_crc64 = sw.crc64.checksum(input);
            rec.o_crc64 = sw.crc64.checksum(output);
        } else {
            rec.i_crc32 = checksum::crc32(0, input);
            rec.o_crc32 = checksum::crc32(0, output);
        }
        rec
    }

    #[test]
    fn a_damaged_buffer_or_record_fails_verification() {
        let input: Vec<u8> = (0..5000u32).map(|i| (i * 13 % 251) as u8).collect();
        let output = input[..3000].to_vec();
        for flag in [DC_INTEGRITY_CRC32, DC_INTEGRITY_CRC64] {
            let sw = SoftwareCrcs::new(flag, CrcControlData::ECMA_182);
            let rec = record(flag, &sw, &input, &output);
            // In pieces, as a list's segments come.
            let pieces = |d: &[u8], f: &mut dyn FnMut(&[u8])| d.chunks(777).for_each(f);
            assert!(sw.matches(&rec, |f| pieces(&input, f), |f| pieces(&output, f)));
            let mut damaged = output.clone();
            damaged[1234] ^= 0x10;
            assert!(!sw.matches(&rec, |f| f(&input), |f| f(&damaged)));
            let mut wrong = rec;
            wrong.i_crc64 ^= 1;
            wrong.i_crc32 ^= 1;
            assert!(!sw.matches(&wrong, |f| f(&input), |f| f(&output)));
        }
        let mut status = CpaStatus::Success;
        let mut r = DcResults {
            status: DcStatus::Ok,
            produced: 10,
            consumed: 20,
            checksum: 0,
            adler32: 1,
            end_of_last_block: false,
            aligned_end: false,
            data_uncompressed: false,
            crc: None,
        };
        failed_verification(&mut status, &mut r);
        assert_eq!(
            (status, r.status, r.produced, r.consumed),
            (CpaStatus::Fail, DcStatus::CrcIntegErr, 0, 0)
        );
    }
}
