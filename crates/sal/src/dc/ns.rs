//! The no-session API (`cpaDcNs*`): one-shot stateless requests whose
//! settings travel with the request (`CpaDcNsSetupData`, the same type as
//! `CpaDcSessionSetupData`) instead of living in a session.
//!
//! A no-session request is a session request on a session made from the
//! setup data: the firmware only ever reads content descriptors, so the
//! request path is the session path unchanged. So that a request does not
//! build (allocate, validate, write to DMA memory) a content descriptor each
//! time, each instance keeps the last [`NS_CACHE`] sessions it made, keyed by
//! their setup and by how they complete; a request with the same setup as a
//! recent one reuses its session. Only a setup not seen recently allocates
//! (its content descriptor and the session's `Arc`).
//!
//! What qatlib checks, in its order, and softqat with it: compression
//! without compress-and-verify is UNSUPPORTED; the setup must be valid for
//! the device (every refusal is INVALID_PARAM here, as qatlib folds them);
//! `sessDirection` must be exactly COMPRESS (or DECOMPRESS); STATEFUL and the
//! stateful flush flags (NONE, SYNC) are INVALID_PARAM.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use softqat_device::desc::BufferDesc;

use crate::dc::instance::{DcCookie, DcInstance};
use crate::dc::{
    DcCallback, DcOpData, DcResults, DcSessionSetup, FlushFlag, SessionDirection, SessionInner,
    SessionMode, SessionState,
};
use crate::dma::DmaBuf;
use crate::error::{CpaStatus, Error, Result};
use crate::instance::{slice_desc, slice_desc_mut, Bounce};

/// `CpaDcNsSetupData`: the same fields as a session's setup.
pub type DcNsSetup = DcSessionSetup;

/// How many no-session sessions an instance keeps for reuse. Applications
/// use a handful of settings (one per format and level); eight covers them
/// while keeping the lookup a short scan under a lock held for a few
/// comparisons.
pub const NS_CACHE: usize = 8;

/// A remembered no-session session: its setup, the completion key it was
/// made for (0: synchronous; else the address of the callback it calls) and
/// the session.
struct NsEntry {
    setup: DcSessionSetup,
    key: usize,
    session: Arc<SessionInner>,
}

/// The no-session sessions of an instance (most recent reused first; the
/// oldest replaced when full).
pub(crate) struct NsCache {
    entries: Mutex<NsEntries>,
}

struct NsEntries {
    list: Vec<NsEntry>,
    /// Where the next new entry goes once the list is full.
    next: usize,
}

impl Default for NsCache {
    fn default() -> Self {
        NsCache {
            entries: Mutex::new(NsEntries {
                // Sized once here so that filling it never reallocates.
                list: Vec::with_capacity(NS_CACHE),
                next: 0,
            }),
        }
    }
}

/// The checks qatlib makes on a no-session request before its setup is
/// turned into a session. Static text: refusing allocates nothing.
fn check_request(setup: &DcSessionSetup, compress: bool, op: &DcOpData) -> Result<()> {
    if compress && !op.compress_and_verify {
        return Err(Error::unsupported(
            "no-session compression is done with compress-and-verify only (qatlib refuses it \
             without): set compressAndVerify to CPA_TRUE",
        ));
    }
    if compress && op.compress_and_verify_and_recover && !op.compress_and_verify {
        return Err(Error::invalid(
            "compressAndVerifyAndRecover needs compressAndVerify set too",
        ));
    }
    match (compress, setup.direction) {
        (true, SessionDirection::Compress) | (false, SessionDirection::Decompress) => {}
        (true, _) => {
            return Err(Error::invalid(
                "a no-session compression needs sessDirection CPA_DC_DIR_COMPRESS in its \
                 setup data (COMBINED is for sessions)",
            ))
        }
        (false, _) => {
            return Err(Error::invalid(
                "a no-session decompression needs sessDirection CPA_DC_DIR_DECOMPRESS in its \
                 setup data (COMBINED is for sessions)",
            ))
        }
    }
    if setup.state == SessionState::Stateful {
        return Err(Error::invalid(
            "the no-session API is stateless: set sessState to CPA_DC_STATELESS (for a stream \
             split across requests, carry the checksum in the results and use a session)",
        ));
    }
    if matches!(op.flush, FlushFlag::None | FlushFlag::Sync) {
        return Err(Error::invalid(
            "CPA_DC_FLUSH_NONE and CPA_DC_FLUSH_SYNC are for stateful streams: use \
             CPA_DC_FLUSH_FINAL (or CPA_DC_FLUSH_FULL between requests of one stream)",
        ));
    }
    Ok(())
}

impl DcInstance {
    /// The session for a no-session request with `setup` completing by
    /// `key` (0 synchronous, else the callback's address): a recent one, or
    /// a new one made with `mode()` and remembered.
    fn ns_session(
        &self,
        setup: &DcSessionSetup,
        compress: bool,
        op: &DcOpData,
        key: usize,
        mode: impl FnOnce() -> SessionMode,
    ) -> Result<Arc<SessionInner>> {
        let counters = self.inner.stats.of(compress);
        if let Err(e) =
            check_request(setup, compress, op).and_then(|()| self.inner.core.check_ready())
        {
            counters.submitted(false);
            return Err(e);
        }
        let mut cache = self
            .inner
            .ns
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(e) = cache
            .list
            .iter()
            .find(|e| e.key == key && e.setup == *setup)
        {
            return Ok(e.session.clone());
        }
        // A setup not seen recently: validate it and build its content
        // descriptor (the allocation the cache saves the next requests).
        // accumulateXXHash has no effect on the no-session calls (qatlib).
        let plain = crate::dc::DcSessionSetup {
            accumulate_xxhash: false,
            ..*setup
        };
        let session = match self.new_session(&plain, mode()) {
            Ok(s) => s.inner,
            Err(e) => {
                counters.submitted(false);
                // qatlib answers every setup it refuses with INVALID_PARAM.
                return Err(Error::invalid(format!(
                    "the no-session setup data is not valid for this instance: {}",
                    e.message
                )));
            }
        };
        let entry = NsEntry {
            setup: *setup,
            key,
            session: session.clone(),
        };
        if cache.list.len() < NS_CACHE {
            cache.list.push(entry);
        } else {
            let i = cache.next % NS_CACHE;
            cache.list[i] = entry;
            cache.next = (i + 1) % NS_CACHE;
        }
        Ok(session)
    }

    /// The compress-and-verify error `icp_sal_ns_cnv_simulate_error` asks
    /// for on this instance's no-session compressions, if set.
    fn ns_inject(&self, compress: bool) -> Option<softqat_engine::DcStatus> {
        (compress && self.inner.ns_cnv_error.load(Ordering::Relaxed))
            .then_some(softqat_engine::DcStatus::VerifyError)
    }

    fn ns_sync_call(
        &self,
        setup: &DcNsSetup,
        compress: bool,
        src: &[u8],
        dst: &mut [u8],
        op: &DcOpData,
    ) -> Result<DcResults> {
        if src.len() > u32::MAX as usize || dst.len() > u32::MAX as usize {
            self.inner.stats.of(compress).submitted(false);
            return Err(Error::invalid(
                "a single request is limited to 4 GB: split the data",
            ));
        }
        let s = self.ns_session(setup, compress, op, 0, || SessionMode::Sync)?;
        let inject = self.ns_inject(compress);
        if !self.inner.core.bounce {
            let desc = Self::request_with(
                &s,
                compress,
                slice_desc(src),
                slice_desc_mut(dst),
                op,
                false,
                inject,
            );
            return self.call(compress, &desc);
        }
        // Managed mode: through bounce buffers, as session requests.
        let bounce_len = dst
            .len()
            .min(crate::dc::max_output(setup, compress, src.len()));
        let bounce = match Bounce::take(src, bounce_len) {
            Ok(b) => b,
            Err(e) => {
                self.inner.stats.of(compress).submitted(false);
                return Err(e);
            }
        };
        let desc = Self::request_with(
            &s,
            compress,
            bounce.src.desc(),
            bounce.dst.desc(),
            op,
            false,
            inject,
        );
        let results = self.call(compress, &desc);
        if let Ok(r) = &results {
            let n = (r.produced as usize).min(dst.len()).min(bounce.dst.len());
            dst[..n].copy_from_slice(&bounce.dst[..n]);
        }
        bounce.give_back();
        results
    }

    /// `cpaDcNsCompressData` without a callback: compresses `src` into `dst`
    /// with the settings of `setup` (direction COMPRESS, stateless) and
    /// returns the results. `op.compress_and_verify` must be set; the
    /// checksum seed is `op.checksum` as for session requests.
    pub fn ns_compress(
        &self,
        setup: &DcNsSetup,
        src: &[u8],
        dst: &mut [u8],
        op: &DcOpData,
    ) -> Result<DcResults> {
        self.ns_sync_call(setup, true, src, dst, op)
    }

    /// `cpaDcNsDecompressData` without a callback (setup direction
    /// DECOMPRESS).
    pub fn ns_decompress(
        &self,
        setup: &DcNsSetup,
        src: &[u8],
        dst: &mut [u8],
        op: &DcOpData,
    ) -> Result<DcResults> {
        self.ns_sync_call(setup, false, src, dst, op)
    }

    /// `cpaDcNsCompressData` with a callback: `src` and `dst` move into the
    /// request and come back in the [`DcCompletion`](crate::dc::DcCompletion)
    /// that `callback` receives inside a poll call.
    #[allow(clippy::result_large_err)]
    pub fn ns_submit_compress(
        &self,
        setup: &DcNsSetup,
        src: DmaBuf,
        dst: DmaBuf,
        op: &DcOpData,
        callback: &DcCallback,
        tag: u64,
    ) -> std::result::Result<(), crate::dc::instance::Rejected> {
        self.ns_submit(setup, true, src, dst, op, callback, tag)
    }

    /// `cpaDcNsDecompressData` with a callback.
    #[allow(clippy::result_large_err)]
    pub fn ns_submit_decompress(
        &self,
        setup: &DcNsSetup,
        src: DmaBuf,
        dst: DmaBuf,
        op: &DcOpData,
        callback: &DcCallback,
        tag: u64,
    ) -> std::result::Result<(), crate::dc::instance::Rejected> {
        self.ns_submit(setup, false, src, dst, op, callback, tag)
    }

    #[allow(clippy::result_large_err, clippy::too_many_arguments)]
    fn ns_submit(
        &self,
        setup: &DcNsSetup,
        compress: bool,
        src: DmaBuf,
        dst: DmaBuf,
        op: &DcOpData,
        callback: &DcCallback,
        tag: u64,
    ) -> std::result::Result<(), crate::dc::instance::Rejected> {
        // The callback's address keys the cache: the cached session holds a
        // clone of the Arc, so the address is not reused while cached.
        let key = Arc::as_ptr(callback) as *const () as usize;
        let s = match self.ns_session(setup, compress, op, key, || {
            SessionMode::Async(callback.clone())
        }) {
            Ok(s) => s,
            Err(error) => return Err(crate::dc::instance::Rejected { error, src, dst }),
        };
        let desc = Self::request_with(
            &s,
            compress,
            src.desc(),
            dst.desc(),
            op,
            false,
            self.ns_inject(compress),
        );
        let cookie = DcCookie::Flat {
            session: s,
            tag,
            src,
            dst,
            last: false,
        };
        match self.inner.core.submit(&desc, cookie) {
            Ok(()) => {
                self.inner.stats.of(compress).submitted(true);
                Ok(())
            }
            Err(DcCookie::Flat { src, dst, .. }) => {
                self.refuse(compress, self.inner.core.ring_full(), src, dst)
            }
            Err(_) => unreachable!("submit returns the cookie it was given"),
        }
    }

    /// A synchronous no-session request on buffers described by a foreign
    /// caller (the C ABI): the response's status and results, whatever the
    /// status.
    ///
    /// # Safety
    /// As for [`call_foreign`](Self::call_foreign).
    #[allow(unsafe_code)]
    pub unsafe fn ns_call_foreign(
        &self,
        setup: &DcNsSetup,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        op: &DcOpData,
    ) -> Result<(CpaStatus, DcResults)> {
        let s = self.ns_session(setup, compress, op, 0, || SessionMode::Sync)?;
        let crc = self.foreign_integrity(op, compress)?;
        let mut desc =
            Self::request_with(&s, compress, src, dst, op, false, self.ns_inject(compress));
        crate::dc::foreign::with_crc_request(&mut desc, crc);
        let (mut status, mut results) = self.call_with_status(compress, &desc)?;
        // SAFETY: the buffers and the CRC record are the caller's, valid for
        // the call (this function's contract).
        unsafe { crate::dc::foreign::verify_foreign(&s, crc, src, dst, &mut status, &mut results) };
        Ok((status, results))
    }

    /// An asynchronous no-session request of a foreign caller: its
    /// completion runs the callback `make_callback` gives (made only when
    /// no recent session of this setup has callback `key`, the C callback's
    /// address) with `tag` and `results`.
    ///
    /// # Safety
    /// As for [`submit_foreign`](Self::submit_foreign).
    #[allow(unsafe_code, clippy::too_many_arguments)]
    pub unsafe fn ns_submit_foreign(
        &self,
        setup: &DcNsSetup,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        op: &DcOpData,
        key: usize,
        make_callback: impl FnOnce() -> crate::dc::foreign::ForeignCallback,
        (tag, results): (usize, usize),
    ) -> Result<()> {
        let s = self.ns_session(setup, compress, op, key, || {
            SessionMode::Foreign(make_callback())
        })?;
        let crc = self.foreign_integrity(op, compress)?;
        let mut desc =
            Self::request_with(&s, compress, src, dst, op, false, self.ns_inject(compress));
        crate::dc::foreign::with_crc_request(&mut desc, crc);
        let cookie = DcCookie::Foreign {
            session: s,
            tag,
            results,
            src,
            dst,
            crc,
            last: false,
        };
        let ok = self.inner.core.submit(&desc, cookie).is_ok();
        self.inner.stats.of(compress).submitted(ok);
        if ok {
            Ok(())
        } else {
            Err(self.inner.core.ring_full())
        }
    }

    /// `icp_sal_ns_cnv_simulate_error` (`on`) and `icp_sal_ns_cnv_reset_error`:
    /// every no-session compression on this instance fails its verify step
    /// (and recovers when the request asks for recovery) until reset. As in
    /// qatlib, for gen4 only (UNSUPPORTED on other classes); session and
    /// data-plane requests are not affected.
    pub fn ns_cnv_simulate_error(&self, on: bool) -> Result<()> {
        if self.inner.class.generation != softqat_config::Generation::Gen4 {
            return Err(Error::unsupported(
                "no-session compress-and-verify error injection is for gen4 endpoints (as in \
                 qatlib): use icp_sal_cnv_simulate_error on a session, or a 4xxx endpoint",
            ));
        }
        self.inner.ns_cnv_error.store(on, Ordering::Relaxed);
        Ok(())
    }
}
