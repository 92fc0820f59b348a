//! `cpa_dc.h`: compression instances, sessions and requests.
//!
//! A session lives in the caller's memory (`cpaDcGetSessionSize` bytes): a
//! [`SessionMem`] whose magic says which kind of session it is and which
//! points at the Rust session. Requests on `CpaBufferList`s name the
//! caller's buffers directly: one buffer is a flat descriptor; several are a
//! scatter-gather table written into the list's `pPrivateMetaData`.

use std::ffi::c_void;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use softqat_cpa::{
    AutoSelectBest, ChecksumType, CompType, FlushFlag, HuffType, Lz4BlockMaxSize, MinMatch,
    SessionDirection, SessionState, WindowSize,
};
use softqat_sal::{
    BufferDesc, DcInstance, DcOpData, DcResults, DcSession, DcSessionSetup, DcSessionUpdate,
    ForeignCallback, Iova, SglEntry,
};

use crate::abi::dc::{
    CpaDcCallbackFn, CpaDcOpData, CpaDcRqResults, CpaDcSessionHandle, CpaDcSessionSetupData,
    CpaDcSessionUpdateData, CpaDcStats,
};
use crate::abi::{CpaBufferList, CpaFlatBuffer, CpaInstanceHandle, CpaInstanceNotificationCbFunc};
use crate::ffi::{arg, arg_mut, boolean, entry, CpaStatus, Error, Result, Status};
use crate::runtime::{slot_index, with_instance};

/// Bytes `cpaDcGetSessionSize` asks for: a [`SessionMem`] on its own cache
/// line.
pub const SESSION_SIZE: u32 = 64;

/// The most buffers a `CpaBufferList` may have (the device's table limit).
pub const MAX_BUFFERS: u32 = softqat_device::desc::MAX_SGL_ENTRIES;

/// What a session handle's memory holds.
#[repr(C)]
pub struct SessionMem {
    /// Which kind of session (or 0 after removal).
    pub magic: u64,
    /// The Rust session (`Box::into_raw`).
    pub boxed: *const DcSessionBox,
}

/// `SessionMem::magic` of a traditional-API session.
pub const DC_SESSION_MAGIC: u64 = 0x736f_6674_5164_6331; // "softQdc1"
/// `SessionMem::magic` of a data-plane session.
pub const DC_DP_SESSION_MAGIC: u64 = 0x736f_6674_5164_7031; // "softQdp1"

/// A session as the C library keeps it.
pub struct DcSessionBox {
    /// The SAL session.
    pub session: DcSession,
    /// The instance it was created on (requests go to it).
    pub instance: DcInstance,
    /// The slot index of that instance's handle.
    pub slot: usize,
    /// Input consumed by completed requests since init or reset: the gzip
    /// footer's ISIZE.
    pub consumed: Arc<AtomicU64>,
    /// The C callback (None: synchronous).
    pub callback: CpaDcCallbackFn,
}

/// Reads a session handle of kind `magic`.
///
/// # Safety
/// `h` is NULL or memory of at least [`SESSION_SIZE`] bytes.
pub unsafe fn session<'a>(h: CpaDcSessionHandle, magic: u64) -> Result<&'a DcSessionBox> {
    if h.is_null() {
        return Err(Error::invalid("the session handle is NULL"));
    }
    // SAFETY: the caller's memory, at least SESSION_SIZE bytes; read
    // unaligned since C may place it anywhere.
    let mem: SessionMem = unsafe { std::ptr::read_unaligned(h as *const SessionMem) };
    if mem.magic != magic || mem.boxed.is_null() {
        return Err(Error::invalid(if magic == DC_DP_SESSION_MAGIC {
            "the session handle is not a live data-plane compression session: create it with \
             cpaDcDpInitSession"
        } else {
            "the session handle is not a live compression session: create it with cpaDcInitSession"
        }));
    }
    // SAFETY: `boxed` was written by init_session and stays valid until
    // remove_session clears the magic.
    Ok(unsafe { &*mem.boxed })
}

/// Converts a C setup structure (every enum checked).
pub fn setup_from_c(c: &CpaDcSessionSetupData) -> Result<DcSessionSetup> {
    fn field<T>(v: u32, name: &'static str, from: impl Fn(u8) -> Option<T>) -> Result<T> {
        u8::try_from(v)
            .ok()
            .and_then(from)
            .ok_or_else(|| Error::invalid(format!("{name} {v} is not a value of its enum")))
    }
    let comp_level = u8::try_from(c.comp_level)
        .ok()
        .filter(|l| (1..=12).contains(l))
        .ok_or_else(|| {
            Error::invalid(format!(
                "compLevel {} is not a CpaDcCompLvl (1..12)",
                c.comp_level
            ))
        })?;
    Ok(DcSessionSetup {
        comp_level,
        comp_type: field(c.comp_type, "compType", CompType::from_value)?,
        huff_type: field(c.huff_type, "huffType", HuffType::from_value)?,
        auto_select_best: field(
            c.auto_select_best_huffman_tree,
            "autoSelectBestHuffmanTree",
            AutoSelectBest::from_value,
        )?,
        direction: field(
            c.sess_direction,
            "sessDirection",
            SessionDirection::from_value,
        )?,
        state: field(c.sess_state, "sessState", SessionState::from_value)?,
        window_size: field(c.window_size, "windowSize", WindowSize::from_value)?,
        min_match: field(c.min_match, "minMatch", MinMatch::from_value)?,
        lz4_block_max_size: field(
            c.lz4_block_max_size,
            "lz4BlockMaxSize",
            Lz4BlockMaxSize::from_value,
        )?,
        lz4_block_checksum: c.lz4_block_checksum != 0,
        lz4_block_independence: c.lz4_block_independence != 0,
        checksum: field(c.checksum, "checksum", ChecksumType::from_value)?,
        accumulate_xxhash: c.accumulate_xx_hash != 0,
    })
}

/// Writes the SAL's results into the caller's `CpaDcRqResults`.
pub fn write_results(out: &mut CpaDcRqResults, r: &DcResults) {
    out.status = i32::from(r.status.value());
    out.produced = r.produced;
    out.consumed = r.consumed;
    out.checksum = r.checksum;
    out.end_of_last_block = boolean(r.end_of_last_block);
    out.data_uncompressed = boolean(r.data_uncompressed);
}

/// The descriptor of a `CpaBufferList`: flat for one buffer, else a
/// scatter-gather table written into its `pPrivateMetaData`.
///
/// # Safety
/// `list` is NULL or a valid `CpaBufferList` whose buffers (and metadata)
/// stay valid for the request.
pub unsafe fn list_desc(list: *const CpaBufferList, what: &'static str) -> Result<BufferDesc> {
    // SAFETY: the caller's contract.
    let l = unsafe { arg(list, what) }?;
    let n = l.num_buffers;
    if n == 0 || l.p_buffers.is_null() {
        return Err(Error::invalid(
            "a CpaBufferList has no buffers (numBuffers 0 or pBuffers NULL)",
        ));
    }
    if n > MAX_BUFFERS {
        return Err(Error::invalid(format!(
            "a CpaBufferList has {n} buffers; at most {MAX_BUFFERS} are supported"
        )));
    }
    // SAFETY: `pBuffers` has `numBuffers` entries (the caller's contract).
    let bufs: &[CpaFlatBuffer] = unsafe { std::slice::from_raw_parts(l.p_buffers, n as usize) };
    for b in bufs {
        if b.p_data.is_null() && b.data_len_in_bytes > 0 {
            return Err(Error::invalid(
                "a flat buffer of the list has a length but pData is NULL",
            ));
        }
    }
    if n == 1 {
        return Ok(BufferDesc::flat(
            Iova(bufs[0].p_data as u64),
            bufs[0].data_len_in_bytes,
        ));
    }
    let meta = l.p_private_meta_data as usize;
    if meta == 0 {
        return Err(Error::invalid(
            "pPrivateMetaData is NULL: allocate the bytes cpaDcBufferListGetMetaSize (or cpaCyBufferListGetMetaSize) gives for it",
        ));
    }
    let table = meta.next_multiple_of(std::mem::align_of::<SglEntry>());
    for (i, b) in bufs.iter().enumerate() {
        let e = SglEntry {
            len: b.data_len_in_bytes,
            reserved: 0,
            addr: Iova(b.p_data as u64),
        };
        // SAFETY: the metadata has meta_size(n) bytes (the caller's
        // contract), which covers the alignment pad and n entries.
        unsafe { std::ptr::write((table as *mut SglEntry).add(i), e) };
    }
    Ok(BufferDesc::sgl(Iova(table as u64), n))
}

/// `cpaDcBufferListGetMetaSize`'s answer for `n` buffers.
pub fn meta_size(n: u32) -> u32 {
    16 + 16 * n.max(1)
}

/// The op data `cpaDcCompressData` implies, with the checksum seed from
/// the results structure (stateless requests take it as input).
fn op_from_flush(flush: u32, seed: u32) -> Result<DcOpData> {
    let flush = u8::try_from(flush)
        .ok()
        .and_then(FlushFlag::from_value)
        .ok_or_else(|| Error::invalid(format!("flushFlag {flush} is not a CpaDcFlush")))?;
    let mut op = DcOpData::new(flush);
    op.checksum = seed;
    Ok(op)
}

pub(crate) fn op_from_c(c: &CpaDcOpData, seed: u32) -> Result<DcOpData> {
    let mut op = op_from_flush(c.flush_flag, seed)?;
    op.compress_and_verify = c.compress_and_verify != 0;
    op.compress_and_verify_and_recover = c.compress_and_verify_and_recover != 0;
    if c.compress_and_verify_and_recover != 0 && c.compress_and_verify == 0 {
        return Err(Error::invalid(
            "compressAndVerifyAndRecover needs compressAndVerify set too",
        ));
    }
    if c.verify_hw_integrity_crcs != 0 && c.integrity_crc_check == 0 {
        return Err(Error::invalid(
            "verifyHwIntegrityCrcs needs integrityCrcCheck set too",
        ));
    }
    if c.integrity_crc_check != 0 {
        let size = u8::try_from(c.integrity_crc_size)
            .ok()
            .and_then(softqat_sal::IntegrityCrcSize::from_value)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "integrityCrcSize {} is not a CpaDcIntegrityCrcSize",
                    c.integrity_crc_size
                ))
            })?;
        // The endpoint writes the CRCs straight into the caller's
        // CpaCrcData (DMA memory, as the header requires), which has the
        // layout of the device's record.
        op.integrity = Some(softqat_sal::IntegrityCheck {
            verify_hw_crcs: c.verify_hw_integrity_crcs != 0,
            size,
            crc_data: (!c.p_crc_data.is_null()).then_some(Iova(c.p_crc_data as u64)),
        });
    }
    if c.input_skip_data.skip_mode != 0 || c.output_skip_data.skip_mode != 0 {
        return Err(Error::unsupported(
            "skip regions are not supported: set skipMode to CPA_DC_SKIP_DISABLED",
        ));
    }
    if !c.p_crc_data.is_null() {
        // SAFETY: a non-NULL pCrcData is the caller's CpaCrcData.
        let crc = unsafe { &*c.p_crc_data };
        op.adler32 = crc.adler32;
    }
    Ok(op)
}

/// Runs a request: synchronous if the session has no callback.
///
/// # Safety
/// The pointers are the caller's, valid as the CPA API requires (for an
/// asynchronous request, until its callback has run).
#[allow(clippy::too_many_arguments)]
unsafe fn perform(
    function: &'static str,
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    src: *const CpaBufferList,
    dst: *const CpaBufferList,
    results: *mut CpaDcRqResults,
    compress: bool,
    op: impl FnOnce(u32) -> Result<DcOpData>,
    tag: *mut c_void,
) -> Status {
    entry(function, || {
        // SAFETY: the caller's contract, for every pointer below.
        let s = unsafe { session(sess, DC_SESSION_MAGIC) }?;
        check_instance(handle, s)?;
        let res = unsafe { arg_mut(results, "pResults is NULL") }?;
        let op = op(res.checksum)?;
        let src_desc = unsafe { list_desc(src, "pSrcBuff is NULL") }?;
        let dst_desc = unsafe { list_desc(dst, "pDestBuff is NULL") }?;
        if s.session.has_callback() {
            // Asynchronous: the completion writes `results` and calls back.
            return unsafe {
                s.instance.submit_foreign(
                    &s.session,
                    compress,
                    src_desc,
                    dst_desc,
                    &op,
                    tag as usize,
                    results as usize,
                )
            };
        }
        let (status, r) = unsafe {
            s.instance
                .call_foreign(&s.session, compress, src_desc, dst_desc, &op)
        }?;
        write_results(res, &r);
        if status == CpaStatus::Success && r.status == softqat_sal::DcStatus::Ok {
            s.consumed
                .fetch_add(u64::from(r.consumed), Ordering::Relaxed);
        }
        match status {
            CpaStatus::Success => Ok(()),
            s => Err(Error::new(s, "the request failed")),
        }
    })
}

/// Refuses a session used with another instance's handle.
fn check_instance(handle: CpaInstanceHandle, s: &DcSessionBox) -> Result<()> {
    check_instance_slot(handle, s.slot)
}

/// Refuses a session created on instance slot `slot` used with another
/// instance's handle (NULL is the first instance).
pub(crate) fn check_instance_slot(handle: CpaInstanceHandle, slot: usize) -> Result<()> {
    let i = if handle.is_null() {
        Some(0)
    } else {
        slot_index::<DcInstance>(handle)
    };
    if i != Some(slot) {
        return Err(Error::invalid(
            "the session was created on another instance: use the handle it was created with",
        ));
    }
    Ok(())
}

/// `cpaDcCompressData`.
///
/// # Safety
/// CPA API contract: valid pointers; for an asynchronous session the
/// buffers and results stay valid until the callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaDcCompressData(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    src: *mut CpaBufferList,
    dst: *mut CpaBufferList,
    results: *mut CpaDcRqResults,
    flush: u32,
    tag: *mut c_void,
) -> Status {
    // SAFETY: the caller's contract.
    unsafe {
        perform(
            "cpaDcCompressData",
            handle,
            sess,
            src,
            dst,
            results,
            true,
            |seed| op_from_flush(flush, seed),
            tag,
        )
    }
}

/// `cpaDcCompressData2`.
///
/// # Safety
/// As `cpaDcCompressData`; `op` is valid for the call.
#[no_mangle]
pub unsafe extern "C" fn cpaDcCompressData2(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    src: *mut CpaBufferList,
    dst: *mut CpaBufferList,
    op: *mut CpaDcOpData,
    results: *mut CpaDcRqResults,
    tag: *mut c_void,
) -> Status {
    // SAFETY: the caller's contract.
    unsafe {
        perform(
            "cpaDcCompressData2",
            handle,
            sess,
            src,
            dst,
            results,
            true,
            |seed| op_from_c(arg(op, "pOpData is NULL")?, seed),
            tag,
        )
    }
}

/// `cpaDcDecompressData`.
///
/// # Safety
/// As `cpaDcCompressData`.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDecompressData(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    src: *mut CpaBufferList,
    dst: *mut CpaBufferList,
    results: *mut CpaDcRqResults,
    flush: u32,
    tag: *mut c_void,
) -> Status {
    // SAFETY: the caller's contract.
    unsafe {
        perform(
            "cpaDcDecompressData",
            handle,
            sess,
            src,
            dst,
            results,
            false,
            |seed| op_from_flush(flush, seed),
            tag,
        )
    }
}

/// `cpaDcDecompressData2`.
///
/// # Safety
/// As `cpaDcCompressData2`.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDecompressData2(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    src: *mut CpaBufferList,
    dst: *mut CpaBufferList,
    op: *mut CpaDcOpData,
    results: *mut CpaDcRqResults,
    tag: *mut c_void,
) -> Status {
    // SAFETY: the caller's contract.
    unsafe {
        perform(
            "cpaDcDecompressData2",
            handle,
            sess,
            src,
            dst,
            results,
            false,
            |seed| op_from_c(arg(op, "pOpData is NULL")?, seed),
            tag,
        )
    }
}

/// `cpaDcGetSessionSize(dcInstance, pSessionData, pSessionSize, pContextSize)`.
///
/// # Safety
/// Pointers NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaDcGetSessionSize(
    handle: CpaInstanceHandle,
    setup: *mut CpaDcSessionSetupData,
    size: *mut u32,
    context: *mut u32,
) -> Status {
    entry("cpaDcGetSessionSize", || {
        // SAFETY: the caller's contract.
        let setup = unsafe { arg(setup, "pSessionData is NULL") }?;
        let setup = setup_from_c(setup)?;
        // A stateful deflate session's stream state (gen2): the class's
        // context size; 0 otherwise.
        let ctx = with_instance::<DcInstance, _>(handle, |d| Ok(d.context_size(&setup)))?;
        *unsafe { arg_mut(size, "pSessionSize is NULL") }? = SESSION_SIZE;
        *unsafe { arg_mut(context, "pContextSize is NULL") }? = ctx as u32;
        Ok(())
    })
}

/// Creates a session of kind `magic` in the caller's memory.
///
/// # Safety
/// `sess` is NULL or [`SESSION_SIZE`] writable bytes.
pub unsafe fn init_session(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    setup: &CpaDcSessionSetupData,
    magic: u64,
    callback: CpaDcCallbackFn,
    make: impl FnOnce(&DcInstance, &DcSessionSetup, Arc<AtomicU64>) -> Result<DcSession>,
) -> Result<()> {
    if sess.is_null() {
        return Err(Error::invalid(
            "pSessionHandle is NULL: pass memory of the size cpaDcGetSessionSize gives",
        ));
    }
    let setup = setup_from_c(setup)?;
    let slot = if handle.is_null() {
        0
    } else {
        slot_index::<DcInstance>(handle).ok_or_else(|| {
            Error::invalid("the instance handle is not a compression instance of this process")
        })?
    };
    let instance = crate::runtime::instance::<DcInstance>(handle)?;
    let consumed = Arc::new(AtomicU64::new(0));
    let session = make(&instance, &setup, consumed.clone())?;
    let boxed = Box::into_raw(Box::new(DcSessionBox {
        session,
        instance,
        slot,
        consumed,
        callback,
    }));
    // SAFETY: the caller's SESSION_SIZE bytes.
    unsafe { std::ptr::write_unaligned(sess as *mut SessionMem, SessionMem { magic, boxed }) };
    Ok(())
}

/// Removes a session of kind `magic`: refused while requests are in flight.
///
/// # Safety
/// `sess` is NULL or session memory.
pub unsafe fn remove_session(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    magic: u64,
) -> Result<()> {
    // SAFETY: the caller's contract.
    let s = unsafe { session(sess, magic) }?;
    check_instance(handle, s)?;
    if s.session.foreign_in_flight() > 0 {
        return Err(Error::retry(
            "the session has requests in flight: poll until they complete, then remove it",
        ));
    }
    // SAFETY: as `session`; the magic goes first so the memory no longer
    // names the box, then the box (from init_session) is freed.
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
        drop(Box::from_raw(boxed as *mut DcSessionBox));
    }
    Ok(())
}

/// The foreign callback for a C session callback: writes the results, adds
/// to the session's consumed count, calls back.
pub(crate) fn c_callback(
    cb: unsafe extern "C" fn(*mut c_void, Status),
    consumed: Arc<AtomicU64>,
) -> ForeignCallback {
    Arc::new(move |tag, results, status, r: &DcResults| {
        if status == CpaStatus::Success && r.status == softqat_sal::DcStatus::Ok {
            consumed.fetch_add(u64::from(r.consumed), Ordering::Relaxed);
        }
        // SAFETY: `results` is the caller's CpaDcRqResults, valid until this
        // callback has run (CPA contract); `cb` is its callback.
        unsafe {
            if let Some(out) = (results as *mut CpaDcRqResults).as_mut() {
                write_results(out, r);
            }
            cb(tag as *mut c_void, status.code());
        }
    })
}

/// `cpaDcInitSession(dcInstance, pSessionHandle, pSessionData,
/// pContextBuffer, callbackFn)`: NULL callback = synchronous. A stateful
/// session keeps its stream in `pContextBuffer` (at least
/// `cpaDcGetSessionSize`'s context size, flat or several buffers with
/// their metadata, kept and left alone until the session is removed); a
/// stateless session ignores it.
///
/// # Safety
/// Pointers NULL or valid; session memory of `cpaDcGetSessionSize` bytes.
#[no_mangle]
pub unsafe extern "C" fn cpaDcInitSession(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    setup: *mut CpaDcSessionSetupData,
    context: *mut CpaBufferList,
    callback: CpaDcCallbackFn,
) -> Status {
    entry("cpaDcInitSession", || {
        // SAFETY: the caller's contract.
        let setup = unsafe { arg(setup, "pSessionData is NULL") }?;
        unsafe {
            init_session(
                handle,
                sess,
                setup,
                DC_SESSION_MAGIC,
                callback,
                |inst, setup, consumed| {
                    let ctx = context_desc(inst, setup, context)?;
                    let cb = callback.map(|cb| c_callback(cb, consumed));
                    inst.init_session_foreign_with_context(setup, cb, ctx)
                },
            )
        }
    })
}

/// The context buffer of a session with `setup`: `None` unless it is
/// stateful on a class that takes stateful sessions, where the list must
/// hold the context size (qatlib: "Context buffer size should be greater
/// or equal to" it).
///
/// # Safety
/// `list` is NULL or a valid `CpaBufferList`.
unsafe fn context_desc(
    inst: &DcInstance,
    setup: &DcSessionSetup,
    list: *const CpaBufferList,
) -> Result<Option<BufferDesc>> {
    let need = inst.context_size(setup);
    if need == 0 {
        return Ok(None);
    }
    if list.is_null() {
        return Err(Error::invalid(format!(
            "pContextBuffer is NULL: a stateful session needs a context buffer of \
             {need} bytes (cpaDcGetSessionSize's pContextSize)"
        )));
    }
    // SAFETY: the caller's contract.
    let desc = unsafe { list_desc(list, "pContextBuffer is NULL") }?;
    // SAFETY: list_desc checked the list and its buffers.
    let l = unsafe { &*list };
    let bufs: &[CpaFlatBuffer] =
        unsafe { std::slice::from_raw_parts(l.p_buffers, l.num_buffers as usize) };
    let have: u64 = bufs.iter().map(|b| u64::from(b.data_len_in_bytes)).sum();
    if have < need as u64 {
        return Err(Error::invalid(format!(
            "the context buffer holds {have} bytes; a stateful session needs {need} \
             (cpaDcGetSessionSize's pContextSize)"
        )));
    }
    Ok(Some(desc))
}

/// `cpaDcRemoveSession`.
///
/// # Safety
/// `sess` is NULL or session memory.
#[no_mangle]
pub unsafe extern "C" fn cpaDcRemoveSession(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
) -> Status {
    // SAFETY: the caller's contract.
    entry("cpaDcRemoveSession", || unsafe {
        remove_session(handle, sess, DC_SESSION_MAGIC)
    })
}

/// `cpaDcResetSession`: a stateful session's next request starts a new
/// stream (RETRY while its request is in flight); a stateless session has
/// no stream state but the footer's input count, which starts again at 0.
///
/// # Safety
/// `sess` is NULL or session memory.
#[no_mangle]
pub unsafe extern "C" fn cpaDcResetSession(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
) -> Status {
    entry("cpaDcResetSession", || {
        // SAFETY: the caller's contract.
        let s = unsafe { session(sess, DC_SESSION_MAGIC) }?;
        check_instance(handle, s)?;
        s.session.reset()?;
        s.consumed.store(0, Ordering::Relaxed);
        Ok(())
    })
}

/// `cpaDcResetXXHashState(dcInstance, pSessionHandle)`: restarts the
/// running xxHash32 of a stateless LZ4 session made with accumulateXXHash
/// (RETRY while its requests are in flight, UNSUPPORTED for other sessions,
/// as qatlib).
///
/// # Safety
/// `sess` is NULL or session memory.
#[no_mangle]
pub unsafe extern "C" fn cpaDcResetXXHashState(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
) -> Status {
    entry("cpaDcResetXXHashState", || {
        // SAFETY: the caller's contract.
        let s = unsafe { session(sess, DC_SESSION_MAGIC) }?;
        check_instance(handle, s)?;
        if s.session.foreign_in_flight() > 0 {
            return Err(Error::retry(
                "the session has requests in flight: poll until they complete, then reset its \
                 xxHash state",
            ));
        }
        s.session.reset_xxhash_state()
    })
}

/// `cpaDcUpdateSession(dcInstance, pSessionHandle, pSessionUpdateData)`:
/// changes the level and Huffman type of an idle session.
///
/// # Safety
/// Pointers NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaDcUpdateSession(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    update: *mut CpaDcSessionUpdateData,
) -> Status {
    entry("cpaDcUpdateSession", || {
        // SAFETY: the caller's contract.
        unsafe { update_session(handle, sess, update, DC_SESSION_MAGIC) }
    })
}

/// Updates a session of kind `magic` (`cpaDcUpdateSession`,
/// `cpaDcDpUpdateSession`): the SAL's updated session (same kind and
/// callback, new level and Huffman type) replaces the old one in the
/// caller's memory; refused while requests are in flight.
///
/// # Safety
/// Pointers NULL or valid; `sess` is NULL or session memory.
pub unsafe fn update_session(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    update: *mut CpaDcSessionUpdateData,
    magic: u64,
) -> Result<()> {
    // SAFETY: the caller's contract.
    let u = unsafe { arg(update, "pSessionUpdateData is NULL") }?;
    let s = unsafe { session(sess, magic) }?;
    check_instance(handle, s)?;
    let update = DcSessionUpdate {
        comp_level: u8::try_from(u.comp_level)
            .ok()
            .filter(|l| (1..=12).contains(l))
            .ok_or_else(|| Error::invalid(format!("compLevel {} is not 1..12", u.comp_level)))?,
        huff_type: u8::try_from(u.huff_type)
            .ok()
            .and_then(HuffType::from_value)
            .ok_or_else(|| {
                Error::invalid(format!("huffType {} is not a CpaDcHuffType", u.huff_type))
            })?,
        enable_dmm: u.enable_dmm != 0,
    };
    // The C session names one Rust session: it must be idle to be replaced.
    if s.session.foreign_in_flight() > 0 {
        return Err(Error::retry(
            "the session has requests in flight: poll until they complete, then update it",
        ));
    }
    let session = s.instance.update_session(&s.session, &update)?;
    let boxed = Box::into_raw(Box::new(DcSessionBox {
        session,
        instance: s.instance.clone(),
        slot: s.slot,
        consumed: s.consumed.clone(),
        callback: s.callback,
    }));
    // SAFETY: the caller's session memory; the old box (from
    // init_session) is freed after the memory names the new one.
    unsafe {
        let mem = sess as *mut SessionMem;
        let old = std::ptr::read_unaligned(mem).boxed;
        std::ptr::write_unaligned(mem, SessionMem { magic, boxed });
        drop(Box::from_raw(old as *mut DcSessionBox));
    }
    Ok(())
}

/// `cpaDcBufferListGetMetaSize(instanceHandle, numBuffers, pSizeInBytes)`.
///
/// # Safety
/// `size` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcBufferListGetMetaSize(
    handle: CpaInstanceHandle,
    n: u32,
    size: *mut u32,
) -> Status {
    entry("cpaDcBufferListGetMetaSize", || {
        with_instance::<DcInstance, _>(handle, |_| Ok(()))?;
        if n == 0 || n > MAX_BUFFERS {
            return Err(Error::invalid(format!(
                "numBuffers {n}: a list has 1..={MAX_BUFFERS} buffers"
            )));
        }
        // SAFETY: the caller's contract.
        *unsafe { arg_mut(size, "pSizeInBytes is NULL") }? = meta_size(n);
        Ok(())
    })
}

/// `cpaDcStartInstance(instanceHandle, numBuffers, pIntermediateBuffers)`:
/// no intermediate buffers are needed (as on gen4).
#[no_mangle]
pub extern "C" fn cpaDcStartInstance(
    handle: CpaInstanceHandle,
    _num_buffers: u16,
    _buffers: *mut *mut CpaBufferList,
) -> Status {
    entry("cpaDcStartInstance", || {
        with_instance::<DcInstance, _>(handle, |d| d.start())
    })
}

/// `cpaDcStopInstance`.
#[no_mangle]
pub extern "C" fn cpaDcStopInstance(handle: CpaInstanceHandle) -> Status {
    entry("cpaDcStopInstance", || {
        with_instance::<DcInstance, _>(handle, |d| d.stop())
    })
}

/// `cpaDcGetNumIntermediateBuffers`: 0 (as gen4).
///
/// # Safety
/// `n` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcGetNumIntermediateBuffers(
    handle: CpaInstanceHandle,
    n: *mut u16,
) -> Status {
    entry("cpaDcGetNumIntermediateBuffers", || {
        with_instance::<DcInstance, _>(handle, |_| Ok(()))?;
        // SAFETY: the caller's contract.
        *unsafe { arg_mut(n, "pNumBuffers is NULL") }? = 0;
        Ok(())
    })
}

/// `cpaDcSetAddressTranslation`: DMA addresses are virtual addresses here,
/// so no translation function is needed; it is accepted and not called.
#[no_mangle]
pub extern "C" fn cpaDcSetAddressTranslation(
    handle: CpaInstanceHandle,
    _translate: Option<unsafe extern "C" fn(*mut c_void) -> u64>,
) -> Status {
    entry("cpaDcSetAddressTranslation", || {
        with_instance::<DcInstance, _>(handle, |_| Ok(()))
    })
}

/// `cpaDcInstanceSetNotificationCb(instanceHandle, pInstanceNotificationCb,
/// pCallbackTag)`.
#[no_mangle]
pub extern "C" fn cpaDcInstanceSetNotificationCb(
    handle: CpaInstanceHandle,
    cb: CpaInstanceNotificationCbFunc,
    tag: *mut c_void,
) -> Status {
    entry("cpaDcInstanceSetNotificationCb", || {
        crate::runtime::set_notification::<DcInstance>(handle, cb, tag)
    })
}

/// `cpaDcGetStats`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcGetStats(handle: CpaInstanceHandle, out: *mut CpaDcStats) -> Status {
    entry("cpaDcGetStats", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pStatistics is NULL") }?;
        with_instance::<DcInstance, _>(handle, |d| {
            let s = d.stats();
            *out = CpaDcStats {
                num_comp_requests: s.num_comp_requests,
                num_comp_requests_errors: s.num_comp_requests_errors,
                num_comp_completed: s.num_comp_completed,
                num_comp_completed_errors: s.num_comp_completed_errors,
                num_comp_cnv_errors_recovered: s.num_comp_cnv_errors_recovered,
                num_decomp_requests: s.num_decomp_requests,
                num_decomp_requests_errors: s.num_decomp_requests_errors,
                num_decomp_completed: s.num_decomp_completed,
                num_decomp_completed_errors: s.num_decomp_completed_errors,
            };
            Ok(())
        })
    })
}

/// The generic text of a `CpaStatus` (`CPA_STATUS_STR_*`).
pub fn status_text(status: Status) -> &'static str {
    match status {
        0 => "Operation was successful:",
        -1 => "General or unspecified error occurred:",
        -2 => "Recoverable error occurred:",
        -3 => "Required resource unavailable:",
        -4 => "Invalid parameter supplied:",
        -5 => "Fatal error has occurred:",
        -6 => "Operation not supported:",
        -7 => "API implementation is restarting:",
        _ => "Unknown status:",
    }
}

/// Writes a status text into the caller's `CPA_STATUS_MAX_STR_LENGTH_IN_BYTES`
/// buffer.
///
/// # Safety
/// `out` is NULL or has 255 writable bytes.
pub unsafe fn write_status_text(out: *mut u8, status: Status) -> Result<()> {
    if out.is_null() {
        return Err(Error::invalid("pStatusText is NULL"));
    }
    // SAFETY: the caller's 255 bytes.
    let dst = unsafe { std::slice::from_raw_parts_mut(out, 255) };
    crate::ffi::c_string(dst, status_text(status));
    Ok(())
}

/// `cpaDcGetStatusText(dcInstance, errStatus, pStatusText)`.
///
/// # Safety
/// `out` is NULL or has 255 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn cpaDcGetStatusText(
    handle: CpaInstanceHandle,
    status: Status,
    out: *mut i8,
) -> Status {
    entry("cpaDcGetStatusText", || {
        with_instance::<DcInstance, _>(handle, |_| Ok(()))?;
        // SAFETY: the caller's contract.
        unsafe { write_status_text(out as *mut u8, status) }
    })
}

/// `cpaDcDeflateCompressBound(dcInstance, huffType, inputSize, outputSize)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcDeflateCompressBound(
    handle: CpaInstanceHandle,
    huff: u32,
    input: u32,
    out: *mut u32,
) -> Status {
    entry("cpaDcDeflateCompressBound", || {
        with_instance::<DcInstance, _>(handle, |_| Ok(()))?;
        u8::try_from(huff)
            .ok()
            .and_then(HuffType::from_value)
            .ok_or_else(|| Error::invalid(format!("huffType {huff} is not a CpaDcHuffType")))?;
        if input == 0 {
            return Err(Error::invalid("inputSize is 0"));
        }
        let bound = softqat_sal::deflate_compress_bound(input as usize);
        let bound = u32::try_from(bound)
            .map_err(|_| Error::invalid("the bound exceeds 4 GB: compress less per request"))?;
        // SAFETY: the caller's contract.
        *unsafe { arg_mut(out, "outputSize is NULL") }? = bound;
        Ok(())
    })
}

/// `cpaDcLZ4CompressBound(dcInstance, inputSize, outputSize)` for 64 KiB
/// blocks (the bound does not depend on the session).
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcLZ4CompressBound(
    handle: CpaInstanceHandle,
    input: u32,
    out: *mut u32,
) -> Status {
    entry("cpaDcLZ4CompressBound", || {
        with_instance::<DcInstance, _>(handle, |_| Ok(()))?;
        if input == 0 {
            return Err(Error::invalid("inputSize is 0"));
        }
        let bound = softqat_sal::lz4_compress_bound(input as usize, Lz4BlockMaxSize::K64);
        let bound = u32::try_from(bound)
            .map_err(|_| Error::invalid("the bound exceeds 4 GB: compress less per request"))?;
        // SAFETY: the caller's contract.
        *unsafe { arg_mut(out, "outputSize is NULL") }? = bound;
        Ok(())
    })
}

/// Writes a bound to `out`, refusing one beyond 32 bits as qatlib does.
///
/// # Safety
/// `out` is NULL or writable.
unsafe fn put_bound(bound: usize, out: *mut u32) -> Result<()> {
    let bound = u32::try_from(bound)
        .map_err(|_| Error::invalid("the bound exceeds 4 GB: compress less per request"))?;
    // SAFETY: the caller's contract.
    *unsafe { arg_mut(out, "outputSize is NULL") }? = bound;
    Ok(())
}

/// `cpaDcLZ4SCompressBound(dcInstance, inputSize, outputSize)`: qatlib's
/// gen4 formula; UNSUPPORTED on classes without LZ4S (gen2).
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcLZ4SCompressBound(
    handle: CpaInstanceHandle,
    input: u32,
    out: *mut u32,
) -> Status {
    entry("cpaDcLZ4SCompressBound", || {
        let caps = with_instance::<DcInstance, _>(handle, |d| Ok(d.capabilities()))?;
        if input == 0 {
            return Err(Error::invalid("inputSize is 0"));
        }
        if !caps.stateless_lz4s_compression {
            return Err(Error::unsupported(
                "this instance has no LZ4S compression (QAT offers it from gen4): use a 4xxx \
                 endpoint's instance",
            ));
        }
        // SAFETY: the caller's contract.
        unsafe { put_bound(softqat_sal::lz4s_compress_bound(input as usize), out) }
    })
}

/// `cpaDcZstdCompressBound(dcInstance, inputSize, outputSize)`: the bound
/// of `CPA_DC_ZSTD` requests, which qatlib offers on gen6 only — so
/// UNSUPPORTED on the other classes, as qatlib answers on gen4.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcZstdCompressBound(
    handle: CpaInstanceHandle,
    input: u32,
    out: *mut u32,
) -> Status {
    entry("cpaDcZstdCompressBound", || {
        let caps = with_instance::<DcInstance, _>(handle, |d| Ok(d.capabilities()))?;
        if input == 0 {
            return Err(Error::invalid("inputSize is 0"));
        }
        if !caps.zstd {
            return Err(Error::unsupported(
                "CPA_DC_ZSTD is a gen6 (6xxx) capability this instance does not have: compress \
                 with CPA_DC_LZ4S (size the output with cpaDcLZ4SCompressBound) and make zstd \
                 frames from it, as the QAT zstd plugin does",
            ));
        }
        // SAFETY: the caller's contract.
        unsafe { put_bound(softqat_sal::zstd_compress_bound(input as usize), out) }
    })
}

/// `cpaDcGenerateHeader(pSessionHandle, pDestBuff, count)`.
///
/// # Safety
/// Pointers NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaDcGenerateHeader(
    sess: CpaDcSessionHandle,
    dst: *mut CpaFlatBuffer,
    count: *mut u32,
) -> Status {
    entry("cpaDcGenerateHeader", || {
        // SAFETY: the caller's contract.
        let s = unsafe { session(sess, DC_SESSION_MAGIC) }?;
        let d = unsafe { flat_mut(dst, "pDestBuff is NULL") }?;
        let n = s.session.generate_header(d)?;
        *unsafe { arg_mut(count, "count is NULL") }? = n as u32;
        Ok(())
    })
}

/// `cpaDcGenerateFooter(pSessionHandle, pDestBuff, pResults)`: writes the
/// footer for the stream's checksum (`pResults->checksum`) and the input
/// consumed since the session began or was reset; adds its length to
/// `pResults->produced`.
///
/// # Safety
/// Pointers NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaDcGenerateFooter(
    sess: CpaDcSessionHandle,
    dst: *mut CpaFlatBuffer,
    results: *mut CpaDcRqResults,
) -> Status {
    entry("cpaDcGenerateFooter", || {
        // SAFETY: the caller's contract.
        let s = unsafe { session(sess, DC_SESSION_MAGIC) }?;
        let d = unsafe { flat_mut(dst, "pDestBuff is NULL") }?;
        let r = unsafe { arg_mut(results, "pResults is NULL") }?;
        let n = s
            .session
            .generate_footer(r.checksum, s.consumed.load(Ordering::Relaxed), d)?;
        r.produced = r.produced.wrapping_add(n as u32);
        Ok(())
    })
}

/// A `CpaFlatBuffer` as a mutable byte slice.
///
/// # Safety
/// `b` is NULL or a flat buffer whose `pData` has `dataLenInBytes` bytes.
pub unsafe fn flat_mut<'a>(b: *mut CpaFlatBuffer, what: &'static str) -> Result<&'a mut [u8]> {
    // SAFETY: the caller's contract.
    let b = unsafe { arg(b, what) }?;
    if b.p_data.is_null() {
        return Err(Error::invalid("the flat buffer's pData is NULL"));
    }
    // SAFETY: as above.
    Ok(unsafe { std::slice::from_raw_parts_mut(b.p_data, b.data_len_in_bytes as usize) })
}

/// `cpaDcSetCrcControlData(dcInstance, pSessionHandle, pCrcControlData)`:
/// programs the CRC64 of a session's integrity CRCs (a traditional or a
/// data-plane session). UNSUPPORTED on classes without a programmable
/// CRC64, as qatlib answers.
///
/// # Safety
/// Pointers NULL or valid; `sess` is NULL or session memory.
#[no_mangle]
pub unsafe extern "C" fn cpaDcSetCrcControlData(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    data: *mut crate::abi::CpaCrcControlData,
) -> Status {
    entry("cpaDcSetCrcControlData", || {
        // SAFETY: the caller's contract.
        let s = unsafe { session(sess, DC_SESSION_MAGIC) }
            .or_else(|_| unsafe { session(sess, DC_DP_SESSION_MAGIC) })?;
        check_instance(handle, s)?;
        // SAFETY: the caller's contract.
        let d = unsafe { arg(data, "pCrcControlData is NULL") }?;
        s.instance
            .set_crc_control_data(&s.session, &crc_control_from_c(d))
    })
}

/// The SAL's CRC parameters from the caller's `CpaCrcControlData` (shared
/// with `cpaDcChainSetCrcControlData`).
pub(crate) fn crc_control_from_c(d: &crate::abi::CpaCrcControlData) -> softqat_sal::CrcControlData {
    softqat_sal::CrcControlData {
        poly: d.polynomial,
        init: d.initial_value,
        reflect_in: d.reflect_in != 0,
        reflect_out: d.reflect_out != 0,
        xor_out: d.xor_out,
    }
}
