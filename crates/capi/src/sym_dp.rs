//! `cpa_cy_sym_dp.h`: the symmetric data-plane API.
//!
//! Requests are `CpaCySymDpOpData` structures in the caller's memory, with
//! buffers, AAD and digest named by physical address (softqat's physical
//! address is the virtual address of memory from `qaeMemAllocNUMA`, which
//! each is checked against). A `CPA_DP_BUFLIST` buffer is a
//! `CpaPhysBufferList` whose array the device reads as its scatter-gather
//! table. The IV is copied into the descriptor at enqueue. Completions call
//! the instance's registered callback with the op data, its status and the
//! verify result, inside `icp_sal_CyPollDpInstance`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use softqat_sal::sym::{PacketType, SymOp};
use softqat_sal::{
    BufferDesc, CpaStatus, CyInstance, ForeignSymOp, ForeignWords, Iova, SymForeignCallback,
    SymResults,
};

use crate::abi::sym::{
    CpaCySymDpCbFunc, CpaCySymDpOpData, CpaCySymSessionCtx, CpaCySymSessionSetupData,
};
use crate::abi::{CpaInstanceHandle, CpaPhysBufferList, CpaPhysFlatBuffer, CPA_DP_BUFLIST};
use crate::dc_dp::dp_desc;
use crate::ffi::{arg, boolean, entry, Error, Result, Status, CPA_FALSE};
use crate::runtime::{with_instance, MAX_INSTANCES};
use crate::sym::{
    check_instance, ctx_size, cy_slot, init_session, iv_slice, remove_session, session,
    SymSessionBox, SYM_DP_SESSION_MAGIC,
};
use crate::usdm;

/// The data-plane callback of each crypto instance slot
/// (`cpaCySymDpRegCbFunc`), as a function address (0: none).
static DP_CALLBACKS: [AtomicUsize; MAX_INSTANCES] = [const { AtomicUsize::new(0) }; MAX_INSTANCES];

/// The foreign callback of a data-plane session on `slot`: calls the
/// slot's registered callback with the op data.
fn dp_completion(slot: usize) -> SymForeignCallback {
    Arc::new(
        move |w: ForeignWords, status: CpaStatus, _op: SymOp, r: &SymResults| {
            let cb = DP_CALLBACKS[slot].load(Ordering::Acquire);
            if cb == 0 {
                return;
            }
            // SAFETY: `cb` was stored from a `CpaCySymDpCbFunc` (non-zero);
            // `w.op` is the caller's CpaCySymDpOpData, valid until its
            // callback has run (CPA contract).
            unsafe {
                let f: unsafe extern "C" fn(*mut CpaCySymDpOpData, Status, u32) =
                    std::mem::transmute(cb);
                f(
                    w.op as *mut CpaCySymDpOpData,
                    status.code(),
                    boolean(r.verify_ok),
                );
            }
        },
    )
}

/// `cpaCySymDpRegCbFunc(instanceHandle, pSymNewCb)`.
#[no_mangle]
pub extern "C" fn cpaCySymDpRegCbFunc(handle: CpaInstanceHandle, cb: CpaCySymDpCbFunc) -> Status {
    entry("cpaCySymDpRegCbFunc", || {
        let cb = cb.ok_or_else(|| Error::invalid("pSymNewCb is NULL"))?;
        let slot = cy_slot(handle)?;
        with_instance::<CyInstance, _>(handle, |_| Ok(()))?;
        DP_CALLBACKS[slot].store(cb as usize, Ordering::Release);
        Ok(())
    })
}

/// `cpaCySymDpSessionCtxGetSize(instanceHandle, pSessionSetupData,
/// pSessionCtxSizeInBytes)`.
///
/// # Safety
/// Pointers NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymDpSessionCtxGetSize(
    handle: CpaInstanceHandle,
    setup: *const CpaCySymSessionSetupData,
    size: *mut u32,
) -> Status {
    // SAFETY: the caller's contract.
    entry("cpaCySymDpSessionCtxGetSize", || unsafe {
        ctx_size(handle, setup, size)
    })
}

/// `cpaCySymDpSessionCtxGetDynamicSize`: the same size.
///
/// # Safety
/// Pointers NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymDpSessionCtxGetDynamicSize(
    handle: CpaInstanceHandle,
    setup: *const CpaCySymSessionSetupData,
    size: *mut u32,
) -> Status {
    // SAFETY: the caller's contract.
    entry("cpaCySymDpSessionCtxGetDynamicSize", || unsafe {
        ctx_size(handle, setup, size)
    })
}

/// `cpaCySymDpInitSession(instanceHandle, pSessionSetupData, sessionCtx)`:
/// a data-plane session (whole packets only).
///
/// # Safety
/// Pointers NULL or valid; session memory of `cpaCySymDpSessionCtxGetSize`
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymDpInitSession(
    handle: CpaInstanceHandle,
    setup: *const CpaCySymSessionSetupData,
    ctx: CpaCySymSessionCtx,
) -> Status {
    entry("cpaCySymDpInitSession", || {
        // SAFETY: the caller's contract.
        let setup = unsafe { arg(setup, "pSessionSetupData is NULL") }?;
        let slot = cy_slot(handle)?;
        unsafe {
            init_session(
                handle,
                ctx,
                setup,
                SYM_DP_SESSION_MAGIC,
                None,
                |inst, setup| {
                    let mut setup = setup.clone();
                    // The data-plane API has no packet type: stateless.
                    setup.partials_not_required = true;
                    inst.init_sym_session_foreign(&setup, Some(dp_completion(slot)))
                },
            )
        }
    })
}

/// `cpaCySymDpRemoveSession(instanceHandle, sessionCtx)`: RETRY while its
/// requests are in flight.
///
/// # Safety
/// `ctx` is NULL or session memory.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymDpRemoveSession(
    handle: CpaInstanceHandle,
    ctx: CpaCySymSessionCtx,
) -> Status {
    // SAFETY: the caller's contract.
    entry("cpaCySymDpRemoveSession", || unsafe {
        remove_session(handle, ctx, SYM_DP_SESSION_MAGIC)
    })
}

/// An address `len` bytes long inside memory from `qaeMemAllocNUMA`.
fn dma_addr(addr: u64, len: usize, what: &'static str) -> Result<Iova> {
    if addr == 0 || usdm::find(addr as usize, len.max(1)).is_none() {
        return Err(Error::invalid(what));
    }
    Ok(Iova(addr))
}

/// The bytes a data-plane buffer holds: its length, or the sum of a
/// `CpaPhysBufferList`'s (whose array `dp_desc` checked).
fn dp_len(addr: u64, len: u32) -> u64 {
    if len != CPA_DP_BUFLIST {
        return u64::from(len);
    }
    // SAFETY: dp_desc checked that the header and its `numBuffers` entries
    // lie inside a live allocation.
    unsafe {
        let list = &*(addr as usize as *const CpaPhysBufferList);
        let first =
            (addr as usize + std::mem::size_of::<CpaPhysBufferList>()) as *const CpaPhysFlatBuffer;
        std::slice::from_raw_parts(first, list.num_buffers as usize)
            .iter()
            .map(|b| u64::from(b.data_len_in_bytes))
            .sum()
    }
}

/// A data-plane op converted for the SAL: its session, the request and
/// the buffers (`None`: in place).
struct DpRequest<'a> {
    s: &'a SymSessionBox,
    op: ForeignSymOp<'a>,
    src: BufferDesc,
    dst: Option<BufferDesc>,
}

/// Converts and checks one op.
///
/// # Safety
/// `o`'s virtual pointers (`pIv`) are NULL or valid for their lengths.
unsafe fn dp_request(o: &CpaCySymDpOpData) -> Result<DpRequest<'_>> {
    // SAFETY: the caller's contract.
    let s = unsafe { session(o.session_ctx, SYM_DP_SESSION_MAGIC) }?;
    check_instance(o.instance_handle, s).map_err(|_| {
        Error::invalid("instanceHandle is not the instance the session was created on")
    })?;
    if DP_CALLBACKS[s.slot].load(Ordering::Acquire) == 0 {
        return Err(Error::invalid(
            "no data-plane callback: call cpaCySymDpRegCbFunc first",
        ));
    }
    // The IV: from pIv, or else the physical address `iv`.
    let iv_ptr = if !o.p_iv.is_null() {
        o.p_iv as *const u8
    } else if o.iv != 0 {
        let n = o.iv_len_in_bytes as usize + usize::from(s.ccm);
        dma_addr(
            o.iv,
            n,
            "iv is not the physical address of the IV in memory from qaeMemAllocNUMA",
        )?
        .0 as usize as *const u8
    } else {
        std::ptr::null()
    };
    // SAFETY: pIv is the caller's; `iv` lies in a live allocation (checked).
    let iv = unsafe { iv_slice(s, iv_ptr, o.iv_len_in_bytes) }?;
    let aad_len = s.session.foreign_aad_len();
    let aad = if o.additional_auth_data != 0 {
        dma_addr(
            o.additional_auth_data,
            aad_len,
            "additionalAuthData is not the physical address of the AAD (of the session's \
             length; CCM: 18 + aadLenInBytes) in memory from qaeMemAllocNUMA",
        )?
    } else {
        Iova(0)
    };
    let digest = if o.digest_result != 0 {
        dma_addr(
            o.digest_result,
            s.session.digest_len(),
            "digestResult is not the physical address of digestResultLenInBytes bytes in \
             memory from qaeMemAllocNUMA",
        )?
    } else {
        Iova(0)
    };
    let src = dp_desc(o.src_buffer, o.src_buffer_len, u32::MAX, "src")?;
    let src_len = dp_len(o.src_buffer, o.src_buffer_len);
    let in_place = o.dst_buffer == o.src_buffer && o.dst_buffer_len == o.src_buffer_len;
    let dst = if in_place {
        None
    } else {
        let d = dp_desc(o.dst_buffer, o.dst_buffer_len, u32::MAX, "dst")?;
        if dp_len(o.dst_buffer, o.dst_buffer_len) < src_len {
            return Err(Error::invalid(
                "the destination is shorter than the source: it receives the whole source with \
                 its regions processed",
            ));
        }
        Some(d)
    };
    Ok(DpRequest {
        s,
        op: ForeignSymOp {
            packet: PacketType::Full,
            iv,
            cipher_offset: o.crypto_start_src_offset_in_bytes,
            cipher_len: o.message_len_to_cipher_in_bytes,
            hash_offset: o.hash_start_src_offset_in_bytes,
            hash_len: o.message_len_to_hash_in_bytes,
            aad,
            digest,
            src_len: Some(src_len),
        },
        src,
        dst,
    })
}

/// Queues one op; with `now`, sends everything queued on its instance.
///
/// # Safety
/// `op` is valid until its callback has run.
unsafe fn enqueue(op: *mut CpaCySymDpOpData, now: bool) -> Result<()> {
    // SAFETY: the caller's contract.
    let o = unsafe { arg(op, "pOpData is NULL") }?;
    let r = unsafe { dp_request(o) }?;
    let words = ForeignWords {
        tag: o.p_callback_tag as usize,
        op: op as usize,
        dst: 0,
    };
    // SAFETY: the buffers are live USDM memory (checked) and the op stays
    // valid until its callback (the caller's contract).
    unsafe {
        r.s.instance
            .stage_foreign(&r.s.session, &r.op, r.src, r.dst, words)
    }?;
    if now {
        r.s.instance.sym_dp_perform_now();
    }
    Ok(())
}

/// `cpaCySymDpEnqueueOp(pOpData, performOpNow)`.
///
/// # Safety
/// `op` is NULL or valid until its callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymDpEnqueueOp(op: *mut CpaCySymDpOpData, now: u32) -> Status {
    // SAFETY: the caller's contract.
    entry("cpaCySymDpEnqueueOp", || unsafe {
        enqueue(op, now != CPA_FALSE)
    })
}

/// `cpaCySymDpEnqueueOpBatch(numberRequests, pOpData[], performOpNow)`:
/// all or none. Every op is checked before any is queued; RETRY when the
/// ring has no room for all of them.
///
/// # Safety
/// `ops` is NULL or `n` op pointers, each valid until its callback.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymDpEnqueueOpBatch(
    n: u32,
    ops: *mut *mut CpaCySymDpOpData,
    now: u32,
) -> Status {
    entry("cpaCySymDpEnqueueOpBatch", || {
        if ops.is_null() || n == 0 {
            return Err(Error::invalid("pOpData is NULL or numberRequests is 0"));
        }
        // SAFETY: the caller's `n` pointers.
        let ops =
            unsafe { std::slice::from_raw_parts(ops as *const *mut CpaCySymDpOpData, n as usize) };
        let first = unsafe { arg(ops[0], "pOpData[0] is NULL") }?;
        let room =
            with_instance::<CyInstance, _>(first.instance_handle, |c| Ok(c.sym_ring_room()))?;
        if n > room {
            return Err(Error::retry(
                "the ring has no room for the whole batch: poll, then resubmit",
            ));
        }
        for &op in ops {
            // SAFETY: the caller's contract.
            let o = unsafe { arg(op, "an entry of pOpData is NULL") }?;
            if o.instance_handle != first.instance_handle {
                return Err(Error::invalid(
                    "a batch goes to one instance: every op's instanceHandle must be the same",
                ));
            }
            let r = unsafe { dp_request(o) }?;
            r.s.instance
                .check_foreign_dp(&r.s.session, &r.op, r.src, r.dst)?;
        }
        for &op in ops {
            // SAFETY: the caller's contract; checked above, so only a
            // caller breaking the one-thread-per-instance rule fails here.
            unsafe { enqueue(op, false) }?;
        }
        if now != CPA_FALSE {
            with_instance::<CyInstance, _>(first.instance_handle, |c| {
                c.sym_dp_perform_now();
                Ok(())
            })?;
        }
        Ok(())
    })
}

/// `cpaCySymDpPerformOpNow(instanceHandle)`.
#[no_mangle]
pub extern "C" fn cpaCySymDpPerformOpNow(handle: CpaInstanceHandle) -> Status {
    entry("cpaCySymDpPerformOpNow", || {
        with_instance::<CyInstance, _>(handle, |c| {
            c.sym_dp_perform_now();
            Ok(())
        })
    })
}
