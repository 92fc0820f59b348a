//! `cpa_cy_sym.h`: symmetric sessions and requests (ciphers, hashes, HMAC,
//! chains and the authenticated ciphers), statistics and capabilities.
//!
//! A session lives in the caller's memory (`cpaCySymSessionCtxGetSize`
//! bytes): a [`SymSessionMem`] whose magic says which kind of session it is
//! and which points at the Rust session. Requests take the SAL's foreign
//! path: the buffers are the caller's (`dc::list_desc` describes them), the
//! IV is copied into the descriptor, the AAD and a separate digest are named
//! by address; an asynchronous completion calls the session's C callback
//! with the caller's tag, op data and destination inside the poll call. A
//! session created without a callback is synchronous: the call polls for
//! its own response, whether or not another thread polls too.

use std::ffi::c_void;
use std::sync::Arc;

use softqat_sal::sym::{
    AlgChainOrder, CipherAlgorithm, CipherDirection, HashAlgorithm, HashMode, PacketType, Priority,
    SymOp,
};
use softqat_sal::{
    CipherSetup, CyInstance, ForeignSymOp, ForeignWords, HashSetup, Iova, NestedSetup,
    SymForeignCallback, SymResults, SymSession, SymSessionSetup, SymSessionUpdate,
};

use crate::abi::sym::{
    CpaCySymCapabilitiesInfo, CpaCySymCbFunc, CpaCySymOpData, CpaCySymSessionCtx,
    CpaCySymSessionSetupData, CpaCySymSessionUpdateData, CpaCySymStats, CpaCySymStats64,
    CPA_CY_SYM_SESUPD_AUTH_KEY, CPA_CY_SYM_SESUPD_CIPHER_DIR, CPA_CY_SYM_SESUPD_CIPHER_KEY,
};
use crate::abi::{CpaBufferList, CpaFlatBuffer, CpaInstanceHandle};
use crate::dc::list_desc;
use crate::ffi::{arg, arg_mut, boolean, entry, Error, Result, Status, CPA_FALSE};
use crate::runtime::{slot_index, with_instance};

/// Bytes `cpaCySymSessionCtxGetSize` asks for: a [`SymSessionMem`] on its
/// own cache line.
pub const SESSION_SIZE: u32 = 64;

/// What a session context's memory holds.
#[repr(C)]
pub struct SymSessionMem {
    /// Which kind of session (or 0 after removal).
    pub magic: u64,
    /// The Rust session (`Box::into_raw`).
    pub boxed: *const SymSessionBox,
}

/// `SymSessionMem::magic` of a traditional-API session.
pub const SYM_SESSION_MAGIC: u64 = 0x736f_6674_5173_7931; // "softQsy1"
/// `SymSessionMem::magic` of a data-plane session.
pub const SYM_DP_SESSION_MAGIC: u64 = 0x736f_6674_5173_6431; // "softQsd1"

/// Longest key, prefix or IV a C setup may name: longer lengths are
/// refused before anything is read.
const MAX_KEY: u32 = softqat_device::desc::SYM_MAX_CIPHER_KEY as u32;
const MAX_PREFIX: u32 = softqat_device::desc::SYM_MAX_PREFIX as u32 - 1;
const MAX_IV: u32 = softqat_device::desc::SYM_MAX_IV as u32;

/// A session as the C library keeps it.
pub struct SymSessionBox {
    /// The SAL session.
    pub session: SymSession,
    /// The instance it was created on (requests go to it).
    pub instance: CyInstance,
    /// The slot index of that instance's handle.
    pub slot: usize,
    /// The C callback (None: synchronous; always None for data-plane
    /// sessions, whose callback is the instance's).
    pub callback: CpaCySymCbFunc,
    /// AES-CCM: the nonce is at `pIv[1]`.
    pub ccm: bool,
    /// Whether requests carry an IV (a hash-only session other than GMAC
    /// ignores `pIv`, as qatlib does).
    pub uses_iv: bool,
}

/// Reads a session context of kind `magic`.
///
/// # Safety
/// `ctx` is NULL or memory of at least [`SESSION_SIZE`] bytes.
pub unsafe fn session<'a>(ctx: CpaCySymSessionCtx, magic: u64) -> Result<&'a SymSessionBox> {
    if ctx.is_null() {
        return Err(Error::invalid("the session context is NULL"));
    }
    // SAFETY: the caller's memory, at least SESSION_SIZE bytes; read
    // unaligned since C may place it anywhere.
    let mem: SymSessionMem = unsafe { std::ptr::read_unaligned(ctx as *const SymSessionMem) };
    if mem.magic != magic || mem.boxed.is_null() {
        return Err(Error::invalid(if magic == SYM_DP_SESSION_MAGIC {
            "the session context is not a live data-plane symmetric session: create it with \
             cpaCySymDpInitSession"
        } else {
            "the session context is not a live symmetric session: create it with \
             cpaCySymInitSession"
        }));
    }
    // SAFETY: `boxed` was written by init_session and stays valid until
    // remove_session clears the magic.
    Ok(unsafe { &*mem.boxed })
}

/// Reads a session context of either kind.
///
/// # Safety
/// As [`session`].
unsafe fn any_session<'a>(ctx: CpaCySymSessionCtx) -> Result<&'a SymSessionBox> {
    // SAFETY: the caller's contract.
    unsafe { session(ctx, SYM_SESSION_MAGIC).or_else(|_| session(ctx, SYM_DP_SESSION_MAGIC)) }
}

/// The slot of `handle` in the crypto table (NULL: the first).
pub fn cy_slot(handle: CpaInstanceHandle) -> Result<usize> {
    if handle.is_null() {
        return Ok(0);
    }
    slot_index::<CyInstance>(handle).ok_or_else(|| {
        Error::invalid(
            "the instance handle is not a crypto instance of this process: use a handle from \
             cpaCyGetInstances after icp_sal_userStart",
        )
    })
}

/// Refuses a session used with another instance's handle.
pub fn check_instance(handle: CpaInstanceHandle, s: &SymSessionBox) -> Result<()> {
    if cy_slot(handle)? != s.slot {
        return Err(Error::invalid(
            "the session was created on another instance: use the handle it was created with",
        ));
    }
    Ok(())
}

/// An enum field of a C structure.
fn field<T>(v: u32, name: &'static str, from: impl Fn(u8) -> Option<T>) -> Result<T> {
    u8::try_from(v)
        .ok()
        .and_then(from)
        .ok_or_else(|| Error::invalid(format!("{name} {v} is not a value of its enum")))
}

/// Copies `len` bytes of a key or prefix the caller names (at most `max`).
///
/// # Safety
/// `p` is NULL or has `len` readable bytes.
unsafe fn bytes(p: *const u8, len: u32, max: u32, what: &'static str) -> Result<Vec<u8>> {
    if len == 0 {
        return Ok(Vec::new());
    }
    if len > max {
        return Err(Error::invalid(format!(
            "{what} is {len} bytes, over the limit of {max}"
        )));
    }
    if p.is_null() {
        return Err(Error::invalid(format!(
            "{what} is {len} but its pointer is NULL"
        )));
    }
    // SAFETY: the caller's `len` bytes.
    Ok(unsafe { std::slice::from_raw_parts(p, len as usize) }.to_vec())
}

/// Converts a C setup structure: every enum checked, keys and prefixes
/// copied (the caller may free them after the call).
///
/// # Safety
/// The pointers in `c` are NULL or valid for their lengths.
pub unsafe fn setup_from_c(c: &CpaCySymSessionSetupData) -> Result<SymSessionSetup> {
    let priority = field(c.session_priority, "sessionPriority", Priority::from_value)?;
    let op = field(c.sym_operation, "symOperation", SymOp::from_value)?;
    if op == SymOp::None {
        return Err(Error::invalid(
            "symOperation is CPA_CY_SYM_OP_NONE: use CIPHER, HASH or ALGORITHM_CHAINING",
        ));
    }
    let ciphers = op != SymOp::Hash;
    let hashes = op != SymOp::Cipher;
    let cipher = if ciphers {
        let cs = &c.cipher_setup_data;
        Some(CipherSetup {
            algorithm: field(
                cs.cipher_algorithm,
                "cipherAlgorithm",
                CipherAlgorithm::from_value,
            )?,
            // SAFETY: the caller's contract.
            key: unsafe {
                bytes(
                    cs.p_cipher_key,
                    cs.cipher_key_len_in_bytes,
                    MAX_KEY,
                    "cipherKeyLenInBytes",
                )
            }?,
            direction: field(
                cs.cipher_direction,
                "cipherDirection",
                CipherDirection::from_value,
            )?,
        })
    } else {
        None
    };
    let hash = if hashes {
        let hs = &c.hash_setup_data;
        let algorithm = field(
            hs.hash_algorithm,
            "hashAlgorithm",
            HashAlgorithm::from_value,
        )?;
        let mode = field(hs.hash_mode, "hashMode", HashMode::from_value)?;
        let am = &hs.auth_mode_setup_data;
        // The authenticated ciphers take the cipher key: their authKey is
        // ignored, as qatlib ignores it.
        let keyless_aead = matches!(
            algorithm,
            HashAlgorithm::AesGcm | HashAlgorithm::AesCcm | HashAlgorithm::Poly
        );
        let auth_key = if mode == HashMode::Plain || keyless_aead {
            Vec::new()
        } else {
            // SAFETY: the caller's contract.
            unsafe {
                bytes(
                    am.auth_key,
                    am.auth_key_len_in_bytes,
                    MAX_KEY,
                    "authKeyLenInBytes",
                )
            }?
        };
        let nested = if mode == HashMode::Nested {
            let n = &hs.nested_mode_setup_data;
            // SAFETY: the caller's contract.
            Some(NestedSetup {
                inner_prefix: unsafe {
                    bytes(
                        n.p_inner_prefix_data,
                        n.inner_prefix_len_in_bytes,
                        MAX_PREFIX,
                        "innerPrefixLenInBytes",
                    )
                }?,
                outer_algorithm: field(
                    n.outer_hash_algorithm,
                    "outerHashAlgorithm",
                    HashAlgorithm::from_value,
                )?,
                outer_prefix: unsafe {
                    bytes(
                        n.p_outer_prefix_data,
                        n.outer_prefix_len_in_bytes,
                        MAX_PREFIX,
                        "outerPrefixLenInBytes",
                    )
                }?,
            })
        } else {
            None
        };
        Some(HashSetup {
            algorithm,
            mode,
            digest_len: hs.digest_result_len_in_bytes,
            auth_key,
            aad_len: am.aad_len_in_bytes,
            nested,
        })
    } else {
        None
    };
    let chain_order = if op == SymOp::AlgorithmChaining {
        field(
            c.alg_chain_order,
            "algChainOrder",
            AlgChainOrder::from_value,
        )?
    } else {
        // Unused outside chains; C programs often leave it 0.
        AlgChainOrder::CipherThenHash
    };
    let ccm = cipher
        .as_ref()
        .is_some_and(|c| c.algorithm == CipherAlgorithm::AesCcm);
    if ccm && c.digest_is_appended == CPA_FALSE {
        return Err(Error::invalid(
            "AES-CCM's MAC follows the ciphertext: set digestIsAppended to CPA_TRUE",
        ));
    }
    Ok(SymSessionSetup {
        priority,
        op,
        cipher,
        hash,
        chain_order,
        digest_is_appended: c.digest_is_appended != CPA_FALSE,
        verify_digest: c.verify_digest != CPA_FALSE,
        partials_not_required: c.partials_not_required != CPA_FALSE,
    })
}

/// The session size answer of the size calls: the setup is checked first.
///
/// # Safety
/// Pointers NULL or valid.
pub unsafe fn ctx_size(
    handle: CpaInstanceHandle,
    setup: *const CpaCySymSessionSetupData,
    size: *mut u32,
) -> Result<()> {
    // SAFETY: the caller's contract.
    let setup = unsafe { arg(setup, "pSessionSetupData is NULL") }?;
    unsafe { setup_from_c(setup) }?;
    with_instance::<CyInstance, _>(handle, |_| Ok(()))?;
    *unsafe { arg_mut(size, "pSessionCtxSizeInBytes is NULL") }? = SESSION_SIZE;
    Ok(())
}

/// Creates a session of kind `magic` in the caller's memory.
///
/// # Safety
/// `ctx` is NULL or [`SESSION_SIZE`] writable bytes; `setup`'s pointers
/// are valid for their lengths.
pub unsafe fn init_session(
    handle: CpaInstanceHandle,
    ctx: CpaCySymSessionCtx,
    setup: &CpaCySymSessionSetupData,
    magic: u64,
    callback: CpaCySymCbFunc,
    make: impl FnOnce(&CyInstance, &SymSessionSetup) -> Result<SymSession>,
) -> Result<()> {
    if ctx.is_null() {
        return Err(Error::invalid(
            "sessionCtx is NULL: pass memory of the size cpaCySymSessionCtxGetSize gives",
        ));
    }
    // SAFETY: the caller's contract.
    let setup = unsafe { setup_from_c(setup) }?;
    let slot = cy_slot(handle)?;
    let instance = crate::runtime::instance::<CyInstance>(handle)?;
    let session = make(&instance, &setup)?;
    let ccm = setup
        .cipher
        .as_ref()
        .is_some_and(|c| c.algorithm == CipherAlgorithm::AesCcm);
    let uses_iv = setup.op != SymOp::Hash
        || setup
            .hash
            .as_ref()
            .is_some_and(|h| h.algorithm == HashAlgorithm::AesGmac);
    let boxed = Box::into_raw(Box::new(SymSessionBox {
        session,
        instance,
        slot,
        callback,
        ccm,
        uses_iv,
    }));
    // SAFETY: the caller's SESSION_SIZE bytes.
    unsafe { std::ptr::write_unaligned(ctx as *mut SymSessionMem, SymSessionMem { magic, boxed }) };
    Ok(())
}

/// Removes a session of kind `magic`: RETRY while requests are in flight.
///
/// # Safety
/// `ctx` is NULL or session memory.
pub unsafe fn remove_session(
    handle: CpaInstanceHandle,
    ctx: CpaCySymSessionCtx,
    magic: u64,
) -> Result<()> {
    // SAFETY: the caller's contract.
    let s = unsafe { session(ctx, magic) }?;
    check_instance(handle, s)?;
    // RETRY while in flight; the endpoint refuses the session from now on.
    s.instance.remove_sym_session(&s.session)?;
    // SAFETY: as `session`; the magic goes first so the memory no longer
    // names the box, then the box (from init_session) is freed. Requests
    // still queued hold the SAL session, not the box.
    unsafe {
        let mem = ctx as *mut SymSessionMem;
        let boxed = std::ptr::read_unaligned(mem).boxed;
        std::ptr::write_unaligned(
            mem,
            SymSessionMem {
                magic: 0,
                boxed: std::ptr::null(),
            },
        );
        drop(Box::from_raw(boxed as *mut SymSessionBox));
    }
    Ok(())
}

/// The IV of a request: `len` bytes at `p` (for CCM the nonce at `p + 1`),
/// empty for a session that takes none.
///
/// # Safety
/// `p` is NULL or has `len` (CCM: `len + 1`) readable bytes.
pub unsafe fn iv_slice<'a>(s: &SymSessionBox, p: *const u8, len: u32) -> Result<&'a [u8]> {
    if !s.uses_iv || len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(Error::invalid("ivLenInBytes is set but pIv is NULL"));
    }
    if s.ccm {
        if !(7..=13).contains(&len) {
            return Err(Error::invalid(
                "an AES-CCM ivLenInBytes is the nonce length, 7 to 13 bytes (the nonce at pIv[1])",
            ));
        }
        // SAFETY: the caller's 16-byte CCM IV block, nonce from byte 1.
        return Ok(unsafe { std::slice::from_raw_parts(p.add(1), len as usize) });
    }
    if len > MAX_IV {
        return Err(Error::invalid(
            "ivLenInBytes is over 16: QAT's IVs are at most one block (GCM: 12 bytes or the \
             16-byte J0)",
        ));
    }
    // SAFETY: the caller's `len` bytes.
    Ok(unsafe { std::slice::from_raw_parts(p, len as usize) })
}

/// The total length of a list `list_desc` accepted.
///
/// # Safety
/// `list` is a valid `CpaBufferList` with `numBuffers` entries.
unsafe fn list_len(list: *const CpaBufferList) -> u64 {
    // SAFETY: checked by list_desc before.
    let l = unsafe { &*list };
    let bufs: &[CpaFlatBuffer] =
        unsafe { std::slice::from_raw_parts(l.p_buffers, l.num_buffers as usize) };
    bufs.iter().map(|b| u64::from(b.data_len_in_bytes)).sum()
}

/// The foreign callback for a C session callback: writes the next IV back
/// to `pIv` after a PARTIAL packet (as QAT does), then calls back with the
/// caller's words.
fn c_callback(
    cb: unsafe extern "C" fn(*mut c_void, Status, u32, *mut c_void, *mut CpaBufferList, u32),
) -> SymForeignCallback {
    Arc::new(move |w: ForeignWords, status, op: SymOp, r: &SymResults| {
        // SAFETY: `w.op` is the caller's CpaCySymOpData, valid until this
        // callback has run (CPA contract); `cb` is its callback.
        unsafe {
            write_back_iv(w.op as *const CpaCySymOpData, r);
            cb(
                w.tag as *mut c_void,
                status.code(),
                u32::from(op.value()),
                w.op as *mut c_void,
                w.dst as *mut CpaBufferList,
                boolean(r.verify_ok),
            );
        }
    })
}

/// After a PARTIAL packet: the chaining value the next part continues from,
/// into the caller's `pIv`.
///
/// # Safety
/// `op` is NULL or a valid op data whose `pIv` is NULL or has
/// `ivLenInBytes` writable bytes.
unsafe fn write_back_iv(op: *const CpaCySymOpData, r: &SymResults) {
    // SAFETY: the caller's contract.
    let Some(o) = (unsafe { op.as_ref() }) else {
        return;
    };
    let iv = r.updated_iv();
    if o.packet_type != u32::from(PacketType::Partial.value()) || iv.is_empty() || o.p_iv.is_null()
    {
        return;
    }
    let n = iv.len().min(o.iv_len_in_bytes as usize);
    // SAFETY: the caller's `ivLenInBytes` bytes at pIv.
    unsafe { std::ptr::copy_nonoverlapping(iv.as_ptr(), o.p_iv, n) };
}

/// `cpaCySymSessionCtxGetSize(instanceHandle, pSessionSetupData,
/// pSessionCtxSizeInBytes)`.
///
/// # Safety
/// Pointers NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymSessionCtxGetSize(
    handle: CpaInstanceHandle,
    setup: *const CpaCySymSessionSetupData,
    size: *mut u32,
) -> Status {
    // SAFETY: the caller's contract.
    entry("cpaCySymSessionCtxGetSize", || unsafe {
        ctx_size(handle, setup, size)
    })
}

/// `cpaCySymSessionCtxGetDynamicSize`: the same size (a session context
/// holds a pointer, whatever the setup).
///
/// # Safety
/// Pointers NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymSessionCtxGetDynamicSize(
    handle: CpaInstanceHandle,
    setup: *const CpaCySymSessionSetupData,
    size: *mut u32,
) -> Status {
    // SAFETY: the caller's contract.
    entry("cpaCySymSessionCtxGetDynamicSize", || unsafe {
        ctx_size(handle, setup, size)
    })
}

/// `cpaCySymInitSession(instanceHandle, pSymCb, pSessionSetupData,
/// sessionCtx)`: a NULL callback makes the session's requests synchronous.
///
/// # Safety
/// Pointers NULL or valid; session memory of `cpaCySymSessionCtxGetSize`
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymInitSession(
    handle: CpaInstanceHandle,
    callback: CpaCySymCbFunc,
    setup: *const CpaCySymSessionSetupData,
    ctx: CpaCySymSessionCtx,
) -> Status {
    entry("cpaCySymInitSession", || {
        // SAFETY: the caller's contract.
        let setup = unsafe { arg(setup, "pSessionSetupData is NULL") }?;
        unsafe {
            init_session(
                handle,
                ctx,
                setup,
                SYM_SESSION_MAGIC,
                callback,
                |inst, setup| inst.init_sym_session_foreign(setup, callback.map(c_callback)),
            )
        }
    })
}

/// `cpaCySymRemoveSession(instanceHandle, pSessionCtx)`: RETRY while its
/// requests are in flight.
///
/// # Safety
/// `ctx` is NULL or session memory.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymRemoveSession(
    handle: CpaInstanceHandle,
    ctx: CpaCySymSessionCtx,
) -> Status {
    // SAFETY: the caller's contract.
    entry("cpaCySymRemoveSession", || unsafe {
        remove_session(handle, ctx, SYM_SESSION_MAGIC)
    })
}

/// `cpaCySymUpdateSession(sessionCtx, pSessionUpdateData)`: new keys (of
/// the session's key lengths) or direction for an idle session.
///
/// # Safety
/// Pointers NULL or valid; keys of the session's key lengths.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymUpdateSession(
    ctx: CpaCySymSessionCtx,
    update: *const CpaCySymSessionUpdateData,
) -> Status {
    entry("cpaCySymUpdateSession", || {
        // SAFETY: the caller's contract.
        let u = unsafe { arg(update, "pSessionUpdateData is NULL") }?;
        let s = unsafe { any_session(ctx) }?;
        let known = CPA_CY_SYM_SESUPD_CIPHER_KEY
            | CPA_CY_SYM_SESUPD_CIPHER_DIR
            | CPA_CY_SYM_SESUPD_AUTH_KEY;
        if u.flags & !known != 0 || u.flags == 0 {
            return Err(Error::invalid(format!(
                "flags {:#x}: set one or more of CPA_CY_SYM_SESUPD_CIPHER_KEY, _CIPHER_DIR, \
                 _AUTH_KEY",
                u.flags
            )));
        }
        let setup = s.session.setup();
        let mut upd = SymSessionUpdate::default();
        if u.flags & CPA_CY_SYM_SESUPD_CIPHER_KEY != 0 {
            let n = setup.cipher.as_ref().map_or(0, |c| c.key.len()) as u32;
            if n == 0 {
                return Err(Error::invalid("the session has no cipher key to update"));
            }
            // SAFETY: the caller's key of the session's key length.
            upd.cipher_key =
                Some(unsafe { bytes(u.p_cipher_key, n, MAX_KEY, "the new cipher key") }?);
        }
        if u.flags & CPA_CY_SYM_SESUPD_CIPHER_DIR != 0 {
            upd.cipher_direction = Some(field(
                u.cipher_direction,
                "cipherDirection",
                CipherDirection::from_value,
            )?);
        }
        if u.flags & CPA_CY_SYM_SESUPD_AUTH_KEY != 0 {
            let n = setup.hash.as_ref().map_or(0, |h| h.auth_key.len()) as u32;
            if n == 0 {
                return Err(Error::invalid(
                    "the session has no authentication key to update",
                ));
            }
            // SAFETY: the caller's key of the session's key length.
            upd.auth_key = Some(unsafe { bytes(u.auth_key, n, MAX_KEY, "the new auth key") }?);
        }
        s.instance.update_sym_session(&s.session, &upd)
    })
}

/// `cpaCySymSessionInUse(sessionCtx, pSessionInUse)`.
///
/// # Safety
/// Pointers NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymSessionInUse(ctx: CpaCySymSessionCtx, in_use: *mut u32) -> Status {
    entry("cpaCySymSessionInUse", || {
        // SAFETY: the caller's contract.
        let s = unsafe { any_session(ctx) }?;
        *unsafe { arg_mut(in_use, "pSessionInUse is NULL") }? = boolean(s.session.in_use());
        Ok(())
    })
}

/// `cpaCySymPerformOp(instanceHandle, pCallbackTag, pOpData, pSrcBuffer,
/// pDstBuffer, pVerifyResult)`: in place when `pDstBuffer == pSrcBuffer`.
/// A synchronous session's call returns when the request is done and
/// writes `*pVerifyResult` (if not NULL); an asynchronous one returns once
/// submitted and its callback gets the verify result.
///
/// # Safety
/// CPA API contract: valid pointers; for an asynchronous session the op
/// data, its IV, AAD and digest and the buffers stay valid until the
/// callback has run.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymPerformOp(
    handle: CpaInstanceHandle,
    tag: *mut c_void,
    op: *const CpaCySymOpData,
    src: *const CpaBufferList,
    dst: *mut CpaBufferList,
    verify: *mut u32,
) -> Status {
    entry("cpaCySymPerformOp", || {
        // SAFETY: the caller's contract, for every pointer below.
        let o = unsafe { arg(op, "pOpData is NULL") }?;
        let s = unsafe { session(o.session_ctx, SYM_SESSION_MAGIC) }?;
        check_instance(handle, s)?;
        let packet = field(o.packet_type, "packetType", PacketType::from_value)?;
        let iv = unsafe { iv_slice(s, o.p_iv, o.iv_len_in_bytes) }?;
        let src_desc = unsafe { list_desc(src, "pSrcBuffer is NULL") }?;
        let src_len = unsafe { list_len(src) };
        let dst_desc = if std::ptr::eq(src, dst) {
            None
        } else {
            let d = unsafe { list_desc(dst, "pDstBuffer is NULL") }?;
            if unsafe { list_len(dst) } < src_len {
                return Err(Error::invalid(
                    "pDstBuffer is shorter than pSrcBuffer: the destination receives the whole \
                     source with its regions processed",
                ));
            }
            Some(d)
        };
        let fop = ForeignSymOp {
            packet,
            iv,
            cipher_offset: o.crypto_start_src_offset_in_bytes,
            cipher_len: o.message_len_to_cipher_in_bytes,
            hash_offset: o.hash_start_src_offset_in_bytes,
            hash_len: o.message_len_to_hash_in_bytes,
            aad: Iova(o.p_additional_auth_data as u64),
            digest: Iova(o.p_digest_result as u64),
            src_len: Some(src_len),
        };
        if s.callback.is_some() {
            let words = ForeignWords {
                tag: tag as usize,
                op: op as usize,
                dst: dst as usize,
            };
            // Asynchronous: the completion calls back with these words.
            return unsafe {
                s.instance
                    .submit_foreign(&s.session, &fop, src_desc, dst_desc, words)
            };
        }
        let r = unsafe {
            s.instance
                .call_foreign(&s.session, &fop, src_desc, dst_desc)
        }?;
        unsafe { write_back_iv(op, &r) };
        if let Some(v) = unsafe { verify.as_mut() } {
            *v = boolean(r.verify_ok);
        }
        Ok(())
    })
}

/// `cpaCySymQueryStats` (deprecated): the 64-bit counters, truncated.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymQueryStats(
    handle: CpaInstanceHandle,
    out: *mut CpaCySymStats,
) -> Status {
    entry("cpaCySymQueryStats", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pSymStats is NULL") }?;
        with_instance::<CyInstance, _>(handle, |c| {
            let s = c.sym_stats();
            *out = CpaCySymStats {
                num_sessions_initialized: s.num_sessions_initialized as u32,
                num_sessions_removed: s.num_sessions_removed as u32,
                num_session_errors: s.num_session_errors as u32,
                num_sym_op_requests: s.num_sym_op_requests as u32,
                num_sym_op_request_errors: s.num_sym_op_request_errors as u32,
                num_sym_op_completed: s.num_sym_op_completed as u32,
                num_sym_op_completed_errors: s.num_sym_op_completed_errors as u32,
                num_sym_op_verify_failures: s.num_sym_op_verify_failures as u32,
            };
            Ok(())
        })
    })
}

/// `cpaCySymQueryStats64(instanceHandle, pSymStats)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymQueryStats64(
    handle: CpaInstanceHandle,
    out: *mut CpaCySymStats64,
) -> Status {
    entry("cpaCySymQueryStats64", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pSymStats is NULL") }?;
        with_instance::<CyInstance, _>(handle, |c| {
            let s = c.sym_stats();
            *out = CpaCySymStats64 {
                num_sessions_initialized: s.num_sessions_initialized,
                num_sessions_removed: s.num_sessions_removed,
                num_session_errors: s.num_session_errors,
                num_sym_op_requests: s.num_sym_op_requests,
                num_sym_op_request_errors: s.num_sym_op_request_errors,
                num_sym_op_completed: s.num_sym_op_completed,
                num_sym_op_completed_errors: s.num_sym_op_completed_errors,
                num_sym_op_verify_failures: s.num_sym_op_verify_failures,
            };
            Ok(())
        })
    })
}

/// `cpaCySymQueryCapabilities(instanceHandle, pCapInfo)`: bit n of
/// `ciphers` / `hashes` is the algorithm of enum value n.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCySymQueryCapabilities(
    handle: CpaInstanceHandle,
    out: *mut CpaCySymCapabilitiesInfo,
) -> Status {
    entry("cpaCySymQueryCapabilities", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pCapInfo is NULL") }?;
        with_instance::<CyInstance, _>(handle, |c| {
            let (ciphers, hashes, partials) = if c.has_sym() {
                let k = c.sym_capabilities();
                (k.ciphers, k.hashes, k.partial_packets)
            } else {
                (0, 0, false)
            };
            *out = CpaCySymCapabilitiesInfo {
                ciphers: [ciphers],
                hashes: [hashes],
                partial_packet_supported: boolean(partials),
            };
            Ok(())
        })
    })
}
