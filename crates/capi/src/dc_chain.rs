//! `cpa_dc_chain.h`: compression chaining, hash then compress.
//!
//! A chaining session lives in the caller's memory like a compression
//! session (a [`SessionMem`] with its own magic, pointing at a
//! [`DcChainSessionBox`]). A request is one compression request whose
//! descriptor also names the hash: the engine hashes the source, writes the
//! digest to the caller's `pDigestResult` and compresses the source. The
//! setups and requests qatlib 26.08 refuses are refused with its statuses;
//! the chains it implements and softqat does not (everything but
//! HASH_THEN_COMPRESS, and HMAC) are UNSUPPORTED. `cpaDcChainPerformOp2`
//! is the same request with integrity CRC64s in its results, computed with
//! the CRC `cpaDcChainSetCrcControlData` programs.

use std::ffi::c_void;
use std::sync::Arc;

use softqat_cpa::sym::{HashAlgorithm, HashMode, PacketType, SymOp};
use softqat_cpa::ChecksumType;
use softqat_sal::{
    CpaStatus as SalStatus, DcChainHashSetup, DcChainOpData, DcChainOperation, DcChainSession,
    DcChainSetup, DcInstance, DcResults, ForeignCallback, Iova,
};

use crate::abi::dc::{
    CpaDcCallbackFn, CpaDcChainOpData, CpaDcChainOpData2, CpaDcChainRqResults,
    CpaDcChainRqVResults, CpaDcChainSessionSetupData, CpaDcOpData, CpaDcOpData2,
    CpaDcSessionHandle, CpaDcSessionSetupData,
};
use crate::abi::sym::{CpaCySymOpData, CpaCySymSessionSetupData};
use crate::abi::{CpaBufferList, CpaFlatBuffer, CpaInstanceHandle};
use crate::dc::{
    check_instance_slot, list_desc, op_from_c, setup_from_c, SessionMem, SESSION_SIZE,
};
use crate::ffi::{arg, arg_mut, boolean, entry, Error, Result, Status};
use crate::runtime::slot_index;

/// `SessionMem::magic` of a chaining session.
pub const DC_CHAIN_SESSION_MAGIC: u64 = 0x736f_6674_5163_6831; // "softQch1"

/// `CPA_DC_CHAIN_COMPRESS_DECOMPRESS`.
const CHAIN_DC: u32 = 0;
/// `CPA_DC_CHAIN_SYMMETRIC_CRYPTO`.
const CHAIN_CY: u32 = 1;
/// Sessions (and op data entries) of every chain qatlib implements.
const NUM_SESSIONS: u8 = 2;

/// A chaining session as the C library keeps it.
pub struct DcChainSessionBox {
    /// The SAL session.
    pub session: DcChainSession,
    /// The instance it was created on.
    pub instance: DcInstance,
    /// The slot index of that instance's handle.
    pub slot: usize,
}

/// Reads a chaining session handle.
///
/// # Safety
/// `h` is NULL or memory of at least [`SESSION_SIZE`] bytes.
unsafe fn chain_session<'a>(h: CpaDcSessionHandle) -> Result<&'a DcChainSessionBox> {
    if h.is_null() {
        return Err(Error::invalid("the session handle is NULL"));
    }
    // SAFETY: the caller's memory, at least SESSION_SIZE bytes, read
    // unaligned since C may place it anywhere.
    let mem: SessionMem = unsafe { std::ptr::read_unaligned(h as *const SessionMem) };
    if mem.magic != DC_CHAIN_SESSION_MAGIC || mem.boxed.is_null() {
        return Err(Error::invalid(
            "the session handle is not a live chaining session: create it with \
             cpaDcChainInitSession",
        ));
    }
    // SAFETY: written by cpaDcChainInitSession, valid until
    // cpaDcChainRemoveSession clears the magic.
    Ok(unsafe { &*(mem.boxed as *const DcChainSessionBox) })
}

/// The chain operation of value `v`: INVALID_PARAM outside the enum.
fn operation(v: u32) -> Result<DcChainOperation> {
    DcChainOperation::from_value(v)
        .ok_or_else(|| Error::invalid(format!("operation {v} is not a CpaDcChainOperations value")))
}

/// Reads the `numSessions` setup entries of a HASH_THEN_COMPRESS chain:
/// the hash first, the compression second, as qatlib requires.
///
/// # Safety
/// `p` is NULL or `num` entries whose pointers are NULL or valid.
unsafe fn setup_from_chain(
    op: DcChainOperation,
    num: u8,
    p: *const CpaDcChainSessionSetupData,
) -> Result<DcChainSetup> {
    if num != NUM_SESSIONS {
        return Err(Error::invalid(format!(
            "numSessions is {num}: a chain has 2 sessions (hash, then compression)"
        )));
    }
    // SAFETY: the caller's contract.
    let first = unsafe { arg(p, "pSessionData is NULL") }?;
    // SAFETY: `num` entries (the caller's contract).
    let second = unsafe { &*p.add(1) };
    if !op.is_supported() {
        return Err(Error::unsupported(format!(
            "chain operation {op:?} is not supported by softqat endpoints: use \
             CPA_DC_CHAIN_HASH_THEN_COMPRESS"
        )));
    }
    if first.sess_type != CHAIN_CY || second.sess_type != CHAIN_DC {
        return Err(Error::invalid(
            "invalid session types for hash then compress: entry 0 is \
             CPA_DC_CHAIN_SYMMETRIC_CRYPTO (the hash), entry 1 CPA_DC_CHAIN_COMPRESS_DECOMPRESS",
        ));
    }
    // SAFETY: the union member the session type names (caller's contract).
    let cy = unsafe {
        arg(
            first.p_setup_data as *const CpaCySymSessionSetupData,
            "pCySetupData of entry 0 is NULL",
        )
    }?;
    // SAFETY: as above.
    let dc = unsafe {
        arg(
            second.p_setup_data as *const CpaDcSessionSetupData,
            "pDcSetupData of entry 1 is NULL",
        )
    }?;
    if u8::try_from(cy.sym_operation)
        .ok()
        .and_then(SymOp::from_value)
        != Some(SymOp::Hash)
    {
        return Err(Error::invalid(
            "symOperation of the hash entry must be CPA_CY_SYM_OP_HASH for hash then compress",
        ));
    }
    let h = &cy.hash_setup_data;
    let algorithm = u8::try_from(h.hash_algorithm)
        .ok()
        .and_then(HashAlgorithm::from_value)
        .ok_or_else(|| {
            Error::invalid(format!(
                "hashAlgorithm {} is not a CpaCySymHashAlgorithm",
                h.hash_algorithm
            ))
        })?;
    let mode = u8::try_from(h.hash_mode)
        .ok()
        .and_then(HashMode::from_value)
        .ok_or_else(|| {
            Error::invalid(format!(
                "hashMode {} is not a CpaCySymHashMode",
                h.hash_mode
            ))
        })?;
    Ok(DcChainSetup {
        operation: op,
        hash: DcChainHashSetup {
            algorithm,
            mode,
            digest_len: h.digest_result_len_in_bytes,
            digest_is_appended: cy.digest_is_appended != 0,
            verify_digest: cy.verify_digest != 0,
        },
        dc: setup_from_c(dc)?,
    })
}

/// Writes the SAL's results into the caller's `CpaDcChainRqResults`: the
/// session's checksum goes to the field of its kind.
fn write_chain_results(out: &mut CpaDcChainRqResults, r: &DcResults, checksum: ChecksumType) {
    let (crc32, adler32) = match checksum {
        ChecksumType::Crc32 => (r.checksum, 0),
        ChecksumType::Adler32 => (0, r.checksum),
        ChecksumType::Crc32Adler32 => (r.checksum, r.adler32),
        _ => (0, 0),
    };
    *out = CpaDcChainRqResults {
        dc_status: i32::from(r.status.value()),
        // The hash has no failure of its own once the request ran.
        cy_status: 0,
        // Nothing is verified (verifyDigest is refused at setup).
        verify_result: boolean(false),
        produced: r.produced,
        consumed: r.consumed,
        crc32,
        adler32,
    };
}

/// `cpaDcChainGetSessionSize`.
///
/// # Safety
/// Pointers NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaDcChainGetSessionSize(
    handle: CpaInstanceHandle,
    op: u32,
    num: u8,
    setup: *mut CpaDcChainSessionSetupData,
    size: *mut u32,
) -> Status {
    entry("cpaDcChainGetSessionSize", || {
        let op = operation(op)?;
        // SAFETY: the caller's contract.
        unsafe { setup_from_chain(op, num, setup) }?;
        crate::runtime::with_instance::<DcInstance, _>(handle, |_| Ok(()))?;
        *unsafe { arg_mut(size, "pSessionSize is NULL") }? = SESSION_SIZE;
        Ok(())
    })
}

/// `cpaDcChainInitSession`: NULL callback = synchronous.
///
/// # Safety
/// Pointers NULL or valid; session memory of `cpaDcChainGetSessionSize`
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn cpaDcChainInitSession(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    op: u32,
    num: u8,
    setup: *mut CpaDcChainSessionSetupData,
    callback: CpaDcCallbackFn,
) -> Status {
    entry("cpaDcChainInitSession", || {
        if sess.is_null() {
            return Err(Error::invalid(
                "pSessionHandle is NULL: pass memory of the size cpaDcChainGetSessionSize gives",
            ));
        }
        let op = operation(op)?;
        // SAFETY: the caller's contract.
        let setup = unsafe { setup_from_chain(op, num, setup) }?;
        let slot = if handle.is_null() {
            0
        } else {
            slot_index::<DcInstance>(handle).ok_or_else(|| {
                Error::invalid("the instance handle is not a compression instance of this process")
            })?
        };
        let instance = crate::runtime::instance::<DcInstance>(handle)?;
        let cb = callback.map(|cb| c_chain_callback(cb, setup.dc.checksum));
        let session = instance.init_chain_session_foreign(&setup, cb)?;
        let boxed = Box::into_raw(Box::new(DcChainSessionBox {
            session,
            instance,
            slot,
        }));
        let mem = SessionMem {
            magic: DC_CHAIN_SESSION_MAGIC,
            boxed: boxed as *const crate::dc::DcSessionBox,
        };
        // SAFETY: the caller's SESSION_SIZE bytes.
        unsafe { std::ptr::write_unaligned(sess as *mut SessionMem, mem) };
        Ok(())
    })
}

/// `cpaDcChainRemoveSession`: refused while requests are in flight.
///
/// # Safety
/// `sess` is NULL or session memory.
#[no_mangle]
pub unsafe extern "C" fn cpaDcChainRemoveSession(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
) -> Status {
    entry("cpaDcChainRemoveSession", || {
        // SAFETY: the caller's contract.
        let s = unsafe { chain_session(sess) }?;
        check_instance_slot(handle, s.slot)?;
        if s.session.foreign_in_flight() > 0 {
            return Err(Error::retry(
                "the session has requests in flight: poll until they complete, then remove it",
            ));
        }
        // SAFETY: as `chain_session`; the magic goes first so the memory no
        // longer names the box, then the box (from init) is freed.
        unsafe {
            let mem = sess as *mut SessionMem;
            let boxed = std::ptr::read_unaligned(mem).boxed;
            std::ptr::write_unaligned(
                mem,
                SessionMem {
                    magic: 0,
                    boxed: std::ptr::null(),
                },
            );
            drop(Box::from_raw(boxed as *mut DcChainSessionBox));
        }
        Ok(())
    })
}

/// `cpaDcChainResetSession`: chaining sessions are stateless, so there is
/// no stream state to drop; the handle is checked.
///
/// # Safety
/// `sess` is NULL or session memory.
#[no_mangle]
pub unsafe extern "C" fn cpaDcChainResetSession(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
) -> Status {
    entry("cpaDcChainResetSession", || {
        // SAFETY: the caller's contract.
        let s = unsafe { chain_session(sess) }?;
        check_instance_slot(handle, s.slot)
    })
}

/// Bytes of data in a `CpaBufferList` (the hashed region is checked
/// against it).
///
/// # Safety
/// `list` is a valid list (checked by `list_desc` first).
unsafe fn list_len(list: *const CpaBufferList) -> u64 {
    // SAFETY: the caller's contract.
    let l = unsafe { &*list };
    if l.p_buffers.is_null() {
        return 0;
    }
    // SAFETY: `numBuffers` entries.
    let bufs: &[CpaFlatBuffer] =
        unsafe { std::slice::from_raw_parts(l.p_buffers, l.num_buffers as usize) };
    bufs.iter().map(|b| u64::from(b.data_len_in_bytes)).sum()
}

/// Where a chained request's results go: `cpaDcChainPerformOp`'s
/// `CpaDcChainRqResults` or `cpaDcChainPerformOp2`'s `CpaDcChainRqVResults`.
///
/// An asynchronous request carries it to its completion as one word, the
/// results pointer with bit 0 set for the V results: both structures are at
/// least 4-byte aligned, so bit 0 of a valid pointer is free, and the
/// request needs no memory of its own to say which it is.
#[derive(Clone, Copy)]
enum ChainOut {
    V1(*mut CpaDcChainRqResults),
    V2(*mut CpaDcChainRqVResults),
}

impl ChainOut {
    fn word(self) -> usize {
        match self {
            ChainOut::V1(p) => p as usize,
            ChainOut::V2(p) => p as usize | 1,
        }
    }

    fn from_word(w: usize) -> ChainOut {
        if w & 1 != 0 {
            ChainOut::V2((w & !1) as *mut CpaDcChainRqVResults)
        } else {
            ChainOut::V1(w as *mut CpaDcChainRqResults)
        }
    }

    fn is_null(self) -> bool {
        match self {
            ChainOut::V1(p) => p.is_null(),
            ChainOut::V2(p) => p.is_null(),
        }
    }

    /// Writes the request's results. `status` is the request's callback
    /// status; the V results add the integrity CRC64s of the compression
    /// (from the caller's pCrcData, when the op data asked for them) and
    /// the chain's status.
    ///
    /// # Safety
    /// The pointer is NULL or the caller's results structure.
    unsafe fn write(self, r: &DcResults, checksum: ChecksumType, status: SalStatus) {
        match self {
            // SAFETY: the caller's contract.
            ChainOut::V1(p) => {
                if let Some(out) = unsafe { p.as_mut() } {
                    write_chain_results(out, r, checksum);
                }
            }
            // SAFETY: the caller's contract.
            ChainOut::V2(p) => {
                if let Some(out) = unsafe { p.as_mut() } {
                    let mut chain = CpaDcChainRqResults::default();
                    write_chain_results(&mut chain, r, checksum);
                    let (i, o) = r.crc.map_or((0, 0), |c| (c.i_crc64, c.o_crc64));
                    let ok = status == SalStatus::Success && r.status == softqat_sal::DcStatus::Ok;
                    *out = CpaDcChainRqVResults {
                        chain_rq_results: chain,
                        // Only the store2 chains (not hash then compress)
                        // have a context CRC.
                        ctx_crc64: 0,
                        i_dc_crc64: i,
                        o_dc_crc64: o,
                        // No CRC64 is appended to the output (appendCRC64
                        // is refused), so none is stored.
                        stored_crc64: 0,
                        reserved1: boolean(false),
                        chain_status: if ok {
                            SalStatus::Success.code()
                        } else {
                            SalStatus::Fail.code()
                        },
                    };
                }
            }
        }
    }
}

/// The foreign callback of a C chaining session: writes the results the
/// request's word names, calls back.
fn c_chain_callback(
    cb: unsafe extern "C" fn(*mut c_void, Status),
    checksum: ChecksumType,
) -> ForeignCallback {
    Arc::new(move |tag, results, status, r: &DcResults| {
        // SAFETY: `results` is the word of a ChainOut naming the caller's
        // results structure, valid until this callback has run (CPA
        // contract); `cb` is its callback.
        unsafe {
            ChainOut::from_word(results).write(r, checksum, status);
            cb(tag as *mut c_void, status.code());
        }
    })
}

/// A hash then compress request, for both perform functions: `ops` holds
/// `num` entries, the hash's `CpaCySymOpData` and the compression's
/// `CpaDcOpData` (for `cpaDcChainPerformOp2` the first members of
/// `CpaCySymOpData2` and `CpaDcOpData2`).
///
/// # Safety
/// CPA API contract: valid pointers; for an asynchronous session the
/// buffers, the digest, pCrcData and the results stay valid until the
/// callback has run.
#[allow(clippy::too_many_arguments)]
unsafe fn chain_request(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    src: *mut CpaBufferList,
    dst: *mut CpaBufferList,
    op: u32,
    num: u8,
    ops: *const CpaDcChainOpData,
    out: ChainOut,
    tag: *mut c_void,
) -> Result<()> {
    // SAFETY: the caller's contract, for every pointer below.
    let s = unsafe { chain_session(sess) }?;
    check_instance_slot(handle, s.slot)?;
    let op = operation(op)?;
    if op != DcChainOperation::HashThenCompress {
        return Err(Error::invalid(
            "the operation differs from the session's: pass \
             CPA_DC_CHAIN_HASH_THEN_COMPRESS, as at cpaDcChainInitSession",
        ));
    }
    if num != NUM_SESSIONS {
        return Err(Error::invalid(format!(
            "numOpData is {num}: hash then compress takes 2 (hash, then compression)"
        )));
    }
    if out.is_null() {
        return Err(Error::invalid("pResults is NULL"));
    }
    let first = unsafe { arg(ops, "pChainOpData is NULL") }?;
    let second = unsafe { &*ops.add(1) };
    if first.op_type != CHAIN_CY || second.op_type != CHAIN_DC {
        return Err(Error::invalid(
            "invalid op types for hash then compress: entry 0 is \
             CPA_DC_CHAIN_SYMMETRIC_CRYPTO (pCySymOp), entry 1 \
             CPA_DC_CHAIN_COMPRESS_DECOMPRESS (pDcOp)",
        ));
    }
    let cy = unsafe {
        arg(
            first.p_op as *const CpaCySymOpData,
            "pCySymOp of entry 0 is NULL",
        )
    }?;
    let dc = unsafe {
        arg(
            second.p_op as *const CpaDcOpData,
            "pDcOp of entry 1 is NULL",
        )
    }?;
    if let ChainOut::V2(_) = out {
        // SAFETY: for cpaDcChainPerformOp2 the entry is a CpaDcOpData2.
        let dc2 = unsafe { &*(second.p_op as *const CpaDcOpData2) };
        if dc2.append_crc64 != 0 {
            return Err(Error::unsupported(
                "appendCRC64 is not supported for chaining (as in qatlib): set it CPA_FALSE",
            ));
        }
    }
    if u8::try_from(cy.packet_type)
        .ok()
        .and_then(PacketType::from_value)
        != Some(PacketType::Full)
    {
        return Err(Error::invalid(
            "chaining hashes whole messages: set packetType to CPA_CY_SYM_PACKET_TYPE_FULL",
        ));
    }
    if cy.p_digest_result.is_null() {
        return Err(Error::invalid(
            "pDigestResult is NULL: pass digestResultLenInBytes bytes for the digest",
        ));
    }
    // Each chained request stands alone (no checksum carried over), as
    // the first request of a qatlib chaining session does.
    let dc_op = op_from_c(dc, 0)?;
    let src_desc = unsafe { list_desc(src, "pSrcBuff is NULL") }?;
    let dst_desc = unsafe { list_desc(dst, "pDestBuff is NULL") }?;
    let src_len = unsafe { list_len(src) };
    let chain_op = DcChainOpData {
        dc: dc_op,
        hash_region: Some((
            cy.hash_start_src_offset_in_bytes,
            cy.message_len_to_hash_in_bytes,
        )),
    };
    let checksum = s.session.dc().setup().checksum;
    let r = unsafe {
        s.instance.chain_foreign(
            &s.session,
            src_desc,
            src_len,
            dst_desc,
            Iova(cy.p_digest_result as u64),
            &chain_op,
            (tag as usize, out.word()),
        )
    }?;
    match r {
        // Asynchronous: the completion writes the results.
        None => Ok(()),
        Some((status, r)) => {
            unsafe { out.write(&r, checksum, status) };
            match status {
                SalStatus::Success => Ok(()),
                st => Err(Error::new(st, "the request failed")),
            }
        }
    }
}

/// `cpaDcChainPerformOp`: hash then compress.
///
/// # Safety
/// CPA API contract: valid pointers; for an asynchronous session the
/// buffers, the digest and the results stay valid until the callback has
/// run.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cpaDcChainPerformOp(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    src: *mut CpaBufferList,
    dst: *mut CpaBufferList,
    op: u32,
    num: u8,
    ops: *mut CpaDcChainOpData,
    results: *mut CpaDcChainRqResults,
    tag: *mut c_void,
) -> Status {
    entry("cpaDcChainPerformOp", || {
        // SAFETY: the caller's contract.
        unsafe {
            chain_request(
                handle,
                sess,
                src,
                dst,
                op,
                num,
                ops,
                ChainOut::V1(results),
                tag,
            )
        }
    })
}

/// `cpaDcChainPerformOp2`: hash then compress with the integrity CRC64s of
/// the compression in the results (`iDcCrc64`, `oDcCrc64`) when its op data
/// asks for integrity CRCs (`integrityCrcCheck`, `pCrcData`), as qatlib
/// reports them. `pInterBuff` must be given, as qatlib requires, but holds
/// nothing: hash then compress has no intermediate data (both steps read
/// the source). `testIntegrity` is not read: the CRCs are asked for by the
/// compression op data, as in qatlib.
///
/// # Safety
/// As for [`cpaDcChainPerformOp`], for pCrcData too.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cpaDcChainPerformOp2(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    src: *mut CpaBufferList,
    dst: *mut CpaBufferList,
    inter: *mut CpaBufferList,
    op_data: CpaDcChainOpData2,
    results: *mut CpaDcChainRqVResults,
    tag: *mut c_void,
) -> Status {
    entry("cpaDcChainPerformOp2", || {
        if sess.is_null() {
            return Err(Error::invalid("pSessionHandle is NULL"));
        }
        if src.is_null() || dst.is_null() {
            return Err(Error::invalid("pSrcBuff or pDestBuff is NULL"));
        }
        if inter.is_null() {
            return Err(Error::invalid(
                "pInterBuff is NULL: cpaDcChainPerformOp2 takes an intermediate buffer list",
            ));
        }
        if results.is_null() {
            return Err(Error::invalid("pResults is NULL"));
        }
        if op_data.p_chain_op_data.is_null() {
            return Err(Error::invalid("opData.pChainOpData is NULL"));
        }
        // SAFETY: the caller's contract; a CpaDcChainSubOpData2 has the
        // layout of a CpaDcChainOpData.
        unsafe {
            chain_request(
                handle,
                sess,
                src,
                dst,
                op_data.operation,
                op_data.num_op_datas,
                op_data.p_chain_op_data,
                ChainOut::V2(results),
                tag,
            )
        }
    })
}

/// `cpaDcChainSetCrcControlData`: the CRC64 of the chaining session's
/// integrity CRCs, as `cpaDcSetCrcControlData` sets a compression
/// session's (call it with none of the session's requests in flight).
///
/// # Safety
/// `sess` is NULL or session memory; `data` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaDcChainSetCrcControlData(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    data: *mut crate::abi::CpaCrcControlData,
) -> Status {
    entry("cpaDcChainSetCrcControlData", || {
        // SAFETY: the caller's contract.
        let s = unsafe { chain_session(sess) }?;
        check_instance_slot(handle, s.slot)?;
        // SAFETY: the caller's contract.
        let d = unsafe { arg(data, "pCrcControlData is NULL") }?;
        s.instance
            .set_crc_control_data(s.session.dc(), &crate::dc::crc_control_from_c(d))
    })
}
