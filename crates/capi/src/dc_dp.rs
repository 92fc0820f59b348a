//! `cpa_dc_dp.h`: the compression data-plane API.
//!
//! Requests are `CpaDcDpOpData` structures in the caller's memory, with
//! buffers named by physical address (softqat's physical address is the
//! virtual address of memory from `qaeMemAllocNUMA`). A `CPA_DP_BUFLIST`
//! buffer is a `CpaPhysBufferList`, whose array the device reads as its
//! scatter-gather table, with nothing copied. Completions write the op
//! data's `results` and `responseStatus` and call the instance's
//! registered callback with the op data, inside `icp_sal_DcPollDpInstance`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use softqat_cpa::SessionDirection;
use softqat_sal::{
    BufferDesc, DcInstance, DcOpData, DcResults, DpExtras, FlushFlag, ForeignCallback, Iova,
    PartialRead,
};

use crate::abi::dc::{
    CpaDcDpCallbackFn, CpaDcDpOpData, CpaDcDpPartialReadData, CpaDcSessionHandle,
    CpaDcSessionSetupData,
};
use crate::abi::{CpaInstanceHandle, CpaPhysBufferList, CPA_DP_BUFLIST};
use crate::dc::{
    init_session, remove_session, session, write_results, DC_DP_SESSION_MAGIC, MAX_BUFFERS,
    SESSION_SIZE,
};
use crate::ffi::{arg, arg_mut, entry, CpaStatus, Error, Result, Status, CPA_FALSE};
use crate::runtime::{slot_index, with_instance, MAX_INSTANCES};
use crate::usdm;

/// The data-plane callback of each compression instance slot
/// (`cpaDcDpRegCbFunc`), as a function address (0: none).
static DP_CALLBACKS: [AtomicUsize; MAX_INSTANCES] = [const { AtomicUsize::new(0) }; MAX_INSTANCES];

/// The foreign callback of a data-plane session on `slot`: fills the op
/// data and calls the slot's registered callback.
fn dp_completion(slot: usize) -> ForeignCallback {
    Arc::new(move |op, _, status, r: &DcResults| {
        let cb = DP_CALLBACKS[slot].load(Ordering::Acquire);
        // SAFETY: `op` is the caller's CpaDcDpOpData, valid until its
        // callback has run (CPA contract); `cb` was registered from a
        // `CpaDcDpCallbackFn` (non-zero checked at enqueue).
        unsafe {
            let op = op as *mut CpaDcDpOpData;
            if let Some(o) = op.as_mut() {
                write_results(&mut o.results, r);
                o.response_status = status.code();
            }
            if cb != 0 {
                let f: unsafe extern "C" fn(*mut CpaDcDpOpData) = std::mem::transmute(cb);
                f(op);
            }
        }
    })
}

/// `cpaDcDpGetSessionSize(dcInstance, pSessionData, pSessionSize)`.
///
/// # Safety
/// Pointers NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDpGetSessionSize(
    handle: CpaInstanceHandle,
    setup: *mut CpaDcSessionSetupData,
    size: *mut u32,
) -> Status {
    entry("cpaDcDpGetSessionSize", || {
        // SAFETY: the caller's contract.
        crate::dc::setup_from_c(unsafe { arg(setup, "pSessionData is NULL") }?)?;
        with_instance::<DcInstance, _>(handle, |_| Ok(()))?;
        *unsafe { arg_mut(size, "pSessionSize is NULL") }? = SESSION_SIZE;
        Ok(())
    })
}

/// `cpaDcDpInitSession(dcInstance, pSessionHandle, pSessionData)`.
///
/// # Safety
/// Pointers NULL or valid; session memory of `cpaDcDpGetSessionSize` bytes.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDpInitSession(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    setup: *mut CpaDcSessionSetupData,
) -> Status {
    entry("cpaDcDpInitSession", || {
        // SAFETY: the caller's contract.
        let setup = unsafe { arg(setup, "pSessionData is NULL") }?;
        let slot = if handle.is_null() {
            0
        } else {
            slot_index::<DcInstance>(handle)
                .ok_or_else(|| Error::invalid("not a compression instance handle"))?
        };
        unsafe {
            init_session(
                handle,
                sess,
                setup,
                DC_DP_SESSION_MAGIC,
                None,
                |inst, setup, _| inst.init_session_foreign(setup, Some(dp_completion(slot))),
            )
        }
    })
}

/// `cpaDcDpUpdateSession(dcInstance, pSessionHandle, pSessionUpdateData)`:
/// as `cpaDcUpdateSession` (qatlib's is that call), for a data-plane
/// session.
///
/// # Safety
/// Pointers NULL or valid; `sess` is NULL or session memory.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDpUpdateSession(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    update: *mut crate::abi::dc::CpaDcSessionUpdateData,
) -> Status {
    entry("cpaDcDpUpdateSession", || {
        // SAFETY: the caller's contract.
        unsafe { crate::dc::update_session(handle, sess, update, DC_DP_SESSION_MAGIC) }
    })
}

/// `cpaDcDpRemoveSession(dcInstance, pSessionHandle)`.
///
/// # Safety
/// `sess` is NULL or session memory.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDpRemoveSession(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
) -> Status {
    // SAFETY: the caller's contract.
    entry("cpaDcDpRemoveSession", || unsafe {
        remove_session(handle, sess, DC_DP_SESSION_MAGIC)
    })
}

/// `cpaDcDpRegCbFunc(dcInstance, pNewCb)`.
#[no_mangle]
pub extern "C" fn cpaDcDpRegCbFunc(handle: CpaInstanceHandle, cb: CpaDcDpCallbackFn) -> Status {
    entry("cpaDcDpRegCbFunc", || {
        let cb = cb.ok_or_else(|| Error::invalid("pNewCb is NULL"))?;
        with_instance::<DcInstance, _>(handle, |_| Ok(()))?;
        let slot = if handle.is_null() {
            0
        } else {
            slot_index::<DcInstance>(handle).unwrap_or(0)
        };
        DP_CALLBACKS[slot].store(cb as usize, Ordering::Release);
        Ok(())
    })
}

/// The descriptor of a data-plane buffer: flat of `min(len, limit)` bytes,
/// or the `CpaPhysBufferList` at `addr`. Addresses must be memory from
/// `qaeMemAllocNUMA` (what `qaeVirtToPhysNUMA` translates).
pub fn dp_desc(addr: u64, len: u32, limit: u32, what: &'static str) -> Result<BufferDesc> {
    if len == CPA_DP_BUFLIST {
        let hdr = std::mem::size_of::<CpaPhysBufferList>();
        if usdm::find(addr as usize, hdr).is_none() {
            return Err(Error::invalid(match what {
                "src" => "srcBuffer is not the physical address of a CpaPhysBufferList in memory from qaeMemAllocNUMA",
                _ => "destBuffer is not the physical address of a CpaPhysBufferList in memory from qaeMemAllocNUMA",
            }));
        }
        // SAFETY: the header lies inside a live allocation (checked).
        let list = unsafe { &*(addr as usize as *const CpaPhysBufferList) };
        let n = list.num_buffers;
        if n == 0 || n > MAX_BUFFERS {
            return Err(Error::invalid(format!(
                "a CpaPhysBufferList has {n} buffers: 1..={MAX_BUFFERS} are supported"
            )));
        }
        if usdm::find(addr as usize, hdr + 16 * n as usize).is_none() {
            return Err(Error::invalid(
                "a CpaPhysBufferList's array runs past the end of its allocation",
            ));
        }
        return Ok(BufferDesc::sgl(Iova(addr + hdr as u64), n));
    }
    let n = len.min(limit);
    if usdm::find(addr as usize, n.max(1) as usize).is_none() {
        return Err(Error::invalid(match what {
            "src" => "srcBuffer/srcBufferLen is not memory from qaeMemAllocNUMA (use qaeVirtToPhysNUMA for physical addresses)",
            _ => "destBuffer/destBufferLen is not memory from qaeMemAllocNUMA (use qaeVirtToPhysNUMA for physical addresses)",
        }));
    }
    Ok(BufferDesc::flat(Iova(addr), n))
}

/// Queues one op (no doorbell).
///
/// # Safety
/// `op` is valid until its callback has run.
unsafe fn enqueue(op: *mut CpaDcDpOpData) -> Result<DcInstance> {
    // SAFETY: the caller's contract.
    unsafe { enqueue_with(op, DpExtras::default()) }
}

/// The extras of a partial read: `pPartReadData` read and checked against
/// the op's destination (its length must fit `bufferLenForData`).
///
/// # Safety
/// `op` and `part` are NULL or valid.
unsafe fn part_read(
    op: *const CpaDcDpOpData,
    part: *const CpaDcDpPartialReadData,
) -> Result<DpExtras> {
    // SAFETY: the caller's contract.
    let p = unsafe { arg(part, "pPartReadData is NULL") }?;
    if !op.is_null() && usdm::find(op as usize, std::mem::size_of::<CpaDcDpOpData>()).is_some() {
        // SAFETY: inside a live DMA allocation (checked).
        let o = unsafe { &*op };
        if p.length > o.buffer_len_for_data {
            return Err(Error::invalid(
                "pPartReadData->length is larger than bufferLenForData: give a destination \
                 of at least length bytes",
            ));
        }
    }
    Ok(DpExtras {
        part_read: Some(PartialRead {
            buffer_offset: p.buffer_offset,
            data_offset: p.data_offset,
            length: p.length,
        }),
        zero_pad: false,
    })
}

/// The extras of zero padding.
const ZERO_PAD: DpExtras = DpExtras {
    part_read: None,
    zero_pad: true,
};

/// Queues one op with `extras` (no doorbell).
///
/// # Safety
/// `op` is valid until its callback has run.
unsafe fn enqueue_with(op: *mut CpaDcDpOpData, extras: DpExtras) -> Result<DcInstance> {
    if op.is_null() {
        return Err(Error::invalid("pOpData is NULL"));
    }
    // The device reads op data by physical address, so it must be DMA
    // memory (as on QAT); checking that also keeps a wild pointer from
    // being dereferenced here.
    if usdm::find(op as usize, std::mem::size_of::<CpaDcDpOpData>()).is_none() {
        return Err(Error::invalid(
            "pOpData is not in memory from qaeMemAllocNUMA: data-plane op data must be DMA memory",
        ));
    }
    // SAFETY: inside a live DMA allocation (checked); the caller's contract
    // keeps it valid until its callback.
    let o = unsafe { arg_mut(op, "pOpData is NULL") }?;
    if !o.p_setup_data.is_null() {
        return Err(Error::unsupported(
            "the no-session data-plane API (pSetupData) is not supported: create a session \
             with cpaDcDpInitSession, set pSessionHandle and leave pSetupData NULL",
        ));
    }
    // SAFETY: as above.
    let s = unsafe { session(o.p_session_handle, DC_DP_SESSION_MAGIC) }?;
    let slot = if o.dc_instance.is_null() {
        Some(0)
    } else {
        slot_index::<DcInstance>(o.dc_instance)
    };
    if slot != Some(s.slot) {
        return Err(Error::invalid(
            "dcInstance is not the instance the session was created on",
        ));
    }
    if DP_CALLBACKS[s.slot].load(Ordering::Acquire) == 0 {
        return Err(Error::invalid(
            "no data-plane callback: call cpaDcDpRegCbFunc first",
        ));
    }
    let compress = match u8::try_from(o.sess_direction)
        .ok()
        .and_then(SessionDirection::from_value)
    {
        Some(SessionDirection::Compress) => true,
        Some(SessionDirection::Decompress) => false,
        _ => {
            return Err(Error::invalid(
                "sessDirection must be CPA_DC_DIR_COMPRESS or CPA_DC_DIR_DECOMPRESS",
            ))
        }
    };
    let src = dp_desc(
        o.src_buffer,
        o.src_buffer_len,
        o.buffer_len_to_compress,
        "src",
    )?;
    let dst = dp_desc(
        o.dest_buffer,
        o.dest_buffer_len,
        o.buffer_len_for_data,
        "dst",
    )?;
    let mut data = DcOpData::new(FlushFlag::Final);
    data.compress_and_verify = o.compress_and_verify != CPA_FALSE;
    data.compress_and_verify_and_recover = o.compress_and_verify_and_recover != CPA_FALSE;
    data.checksum = o.results.checksum;
    o.response_status = CpaStatus::Success.code();
    // SAFETY: the buffers are live USDM memory (checked) and the op stays
    // valid until its callback (the caller's contract).
    unsafe {
        s.instance.stage_foreign_with(
            &s.session,
            compress,
            src,
            dst,
            &data,
            (op as usize, op as usize),
            extras,
        )
    }?;
    Ok(s.instance.clone())
}

/// `cpaDcDpEnqueueOp(pOpData, performOpNow)`.
///
/// # Safety
/// `op` is NULL or valid until its callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDpEnqueueOp(op: *mut CpaDcDpOpData, now: u32) -> Status {
    entry("cpaDcDpEnqueueOp", || {
        // SAFETY: the caller's contract.
        let inst = unsafe { enqueue(op) }?;
        if now != CPA_FALSE {
            inst.dp_perform_now();
        }
        Ok(())
    })
}

/// `cpaDcDpEnqueueOpWithPartRead(pOpData, pPartReadData, performOpNow)`:
/// a decompression that writes `length` bytes of the decompressed data,
/// from `dataOffset` on, to the start of the destination (deflate
/// sessions, on classes where `cpaDcDpIsPartReadSupported` says CPA_TRUE;
/// UNSUPPORTED elsewhere). `results.produced` is the bytes written.
///
/// # Safety
/// `op` is NULL or valid until its callback has run; `part` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDpEnqueueOpWithPartRead(
    op: *mut CpaDcDpOpData,
    part: *mut CpaDcDpPartialReadData,
    now: u32,
) -> Status {
    entry("cpaDcDpEnqueueOpWithPartRead", || {
        // SAFETY: the caller's contract.
        let extras = unsafe { part_read(op, part) }?;
        let inst = unsafe { enqueue_with(op, extras) }?;
        if now != CPA_FALSE {
            inst.dp_perform_now();
        }
        Ok(())
    })
}

/// `cpaDcDpEnqueueOpWithZeroPad(pOpData, performOpNow)`: a compression
/// whose destination is zeroed after the output up to the next 4 KiB (or
/// `bufferLenForData`); `results.produced` stays the compressed length.
/// Classes where `cpaDcDpIsZeroPadSupported` says CPA_FALSE: UNSUPPORTED.
///
/// # Safety
/// `op` is NULL or valid until its callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDpEnqueueOpWithZeroPad(op: *mut CpaDcDpOpData, now: u32) -> Status {
    entry("cpaDcDpEnqueueOpWithZeroPad", || {
        // SAFETY: the caller's contract.
        let inst = unsafe { enqueue_with(op, ZERO_PAD) }?;
        if now != CPA_FALSE {
            inst.dp_perform_now();
        }
        Ok(())
    })
}

/// `cpaDcDpEnqueueOpWithPartReadBatch(numberRequests, pOpData[],
/// pPartReadData[], performOpNow)`: all or none, each op with its own
/// partial read.
///
/// # Safety
/// `ops` and `parts` are NULL or `n` valid pointers each; the ops valid
/// until their callbacks.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDpEnqueueOpWithPartReadBatch(
    n: u32,
    ops: *mut *mut CpaDcDpOpData,
    parts: *mut *mut CpaDcDpPartialReadData,
    now: u32,
) -> Status {
    entry("cpaDcDpEnqueueOpWithPartReadBatch", || {
        if parts.is_null() {
            return Err(Error::invalid("pPartReadData is NULL"));
        }
        // SAFETY: the caller's `n` pointers (checked non-NULL in batch).
        unsafe { batch(n, ops, now, |i, op| part_read(op, *parts.add(i))) }
    })
}

/// `cpaDcDpEnqueueOpWithZeroPadBatch(numberRequests, pOpData[],
/// performOpNow)`: all or none, each op zero padded.
///
/// # Safety
/// `ops` is NULL or `n` valid op pointers, valid until their callbacks.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDpEnqueueOpWithZeroPadBatch(
    n: u32,
    ops: *mut *mut CpaDcDpOpData,
    now: u32,
) -> Status {
    entry("cpaDcDpEnqueueOpWithZeroPadBatch", || {
        // SAFETY: the caller's contract.
        unsafe { batch(n, ops, now, |_, _| Ok(ZERO_PAD)) }
    })
}

/// `cpaDcDpEnqueueOpBatch(numberRequests, pOpData[], performOpNow)`: all
/// or none (RETRY when the ring has no room for all).
///
/// # Safety
/// `ops` is NULL or `n` valid op pointers, valid until their callbacks.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDpEnqueueOpBatch(
    n: u32,
    ops: *mut *mut CpaDcDpOpData,
    now: u32,
) -> Status {
    entry("cpaDcDpEnqueueOpBatch", || {
        // SAFETY: the caller's contract.
        unsafe { batch(n, ops, now, |_, _| Ok(DpExtras::default())) }
    })
}

/// A batch: all ops or none (RETRY when the ring has no room for all), op
/// `i` with the extras `extras(i, op)` gives; every op's extras are read
/// before any op is queued.
///
/// # Safety
/// `ops` is NULL or `n` valid op pointers, valid until their callbacks;
/// `extras` reads only what the caller's contract makes valid.
unsafe fn batch(
    n: u32,
    ops: *mut *mut CpaDcDpOpData,
    now: u32,
    extras: impl Fn(usize, *mut CpaDcDpOpData) -> Result<DpExtras>,
) -> Result<()> {
    {
        if ops.is_null() || n == 0 {
            return Err(Error::invalid("pOpData is NULL or numberRequests is 0"));
        }
        // SAFETY: the caller's `n` pointers.
        let ops = unsafe { std::slice::from_raw_parts(ops, n as usize) };
        if usdm::find(ops[0] as usize, std::mem::size_of::<CpaDcDpOpData>()).is_none() {
            return Err(Error::invalid(
                "pOpData[0] is not op data in memory from qaeMemAllocNUMA",
            ));
        }
        // SAFETY: inside a live DMA allocation (checked).
        let first = unsafe { arg(ops[0], "pOpData[0] is NULL") }?;
        let room = with_instance::<DcInstance, _>(first.dc_instance, |d| Ok(d.ring_room()))?;
        if n > room {
            return Err(Error::retry(
                "the ring has no room for the whole batch: poll, then resubmit",
            ));
        }
        // The extras of every op first: a bad one refuses the batch before
        // anything is queued. They are read again when queued (a few words
        // each) rather than kept: a batch call allocates nothing.
        for (i, &op) in ops.iter().enumerate() {
            extras(i, op)?;
        }
        let mut last = None;
        for (i, &op) in ops.iter().enumerate() {
            // SAFETY: the caller's contract.
            last = Some(unsafe { enqueue_with(op, extras(i, op)?) }?);
        }
        if let (Some(inst), true) = (last, now != CPA_FALSE) {
            inst.dp_perform_now();
        }
        Ok(())
    }
}

/// `cpaDcDpPerformOpNow(dcInstance)`.
#[no_mangle]
pub extern "C" fn cpaDcDpPerformOpNow(handle: CpaInstanceHandle) -> Status {
    entry("cpaDcDpPerformOpNow", || {
        with_instance::<DcInstance, _>(handle, |d| {
            d.dp_perform_now();
            Ok(())
        })
    })
}

/// `cpaDcDpIsPartReadSupported(dcInstance, flag)`: what the instance's
/// class offers (CPA_TRUE on QAT 2.0 classes).
///
/// # Safety
/// `flag` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDpIsPartReadSupported(
    handle: CpaInstanceHandle,
    flag: *mut u32,
) -> Status {
    entry("cpaDcDpIsPartReadSupported", || {
        let k = with_instance::<DcInstance, _>(handle, |d| Ok(d.capabilities()))?;
        // SAFETY: the caller's contract.
        *unsafe { arg_mut(flag, "flag is NULL") }? = crate::ffi::boolean(k.dp_part_read);
        Ok(())
    })
}

/// `cpaDcDpIsZeroPadSupported(dcInstance, flag)`: what the instance's
/// class offers (CPA_TRUE on QAT 2.0 classes).
///
/// # Safety
/// `flag` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDpIsZeroPadSupported(
    handle: CpaInstanceHandle,
    flag: *mut u32,
) -> Status {
    entry("cpaDcDpIsZeroPadSupported", || {
        let k = with_instance::<DcInstance, _>(handle, |d| Ok(d.capabilities()))?;
        // SAFETY: the caller's contract.
        *unsafe { arg_mut(flag, "flag is NULL") }? = crate::ffi::boolean(k.dp_zero_pad);
        Ok(())
    })
}
