//! The DMA memory registry: how the device reaches the buffers a descriptor names.
//!
//! Every owner (a process, or a managed-mode client) has a memory map. A
//! descriptor's buffer is an [`Iova`] and a length; the device translates it
//! through the owner's map and checks that `[addr, addr + len)` lies inside one
//! region the owner registered — the IOMMU's job on hardware. A buffer outside
//! gets an error response, never a read or a write.
//!
//! Two kinds of map:
//! - **Regions**: a set of registered regions, each an IOVA range backed by
//!   memory mapped into this process. Used for clients that are not trusted
//!   (managed mode) and for library-allocated DMA memory.
//! - **Passthrough**: IOVA = virtual address of this process, like an IOMMU in
//!   passthrough mode. Only for the embedded owner: the SAL of this same
//!   process builds the descriptors from live Rust references and keeps them
//!   alive until the response is consumed ([`OwnerMemory::passthrough`] is
//!   `unsafe` for that reason). Checks still reject null, wrapping and
//!   over-long buffers.
//!
//! [`Buffers`] is what the firmware works with: the source and the
//! destination of one request, each any number of spans (a flat buffer is
//! one span; a scatter-gather list is one span per entry, its table read from
//! DMA memory and every entry translated and bounds-checked).
//!
//! **The overlap rule.** Source and destination are either exactly the same
//! spans (in place: the same addresses and lengths, entry for entry) or
//! disjoint: no destination span may overlap a source span or another
//! destination span. Anything else is refused before any byte is touched.
//! Source spans may overlap each other (they are only read).
//!
//! # Unsafe
//! This module turns translated spans into memory accesses. Its invariants:
//! a span comes either from a registered region (whose registrant guaranteed
//! the memory stays mapped while the region's keep-alive handle lives, and
//! the span holds that handle) or from a passthrough owner (whose creator
//! guaranteed the memory stays valid until the response is consumed); a
//! mutable slice is only ever made of a destination span, after the overlap
//! rule was checked, so no shared and mutable view of the same bytes coexist
//! inside this process. (A peer process may write shared memory at any time;
//! the data path treats buffer contents as untrusted bytes.)

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use bytemuck::Pod;

use crate::desc::{BufferDesc, SglEntry, BUF_FLAT, BUF_SGL, MAX_SGL_ENTRIES};
use softqat_engine::scratch::SCRATCH_KEEP;

pub use crate::desc::Iova;

/// Who registered memory: one per process or managed-mode client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OwnerId(pub u32);

/// Why a buffer could not be reached.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DmaError {
    /// The buffer is not inside one registered region of its owner.
    #[error("buffer at {addr:#x}+{len} is outside the memory its owner registered")]
    OutOfRange {
        /// DMA address.
        addr: u64,
        /// Length.
        len: u64,
    },
    /// A null address.
    #[error("buffer at address 0")]
    Null,
    /// Source and destination overlap other than exactly (in place).
    #[error("source and destination buffers overlap other than exactly (in place)")]
    Overlap,
    /// A buffer layout the device does not know.
    #[error("unknown buffer kind {0}")]
    BadKind(u32),
    /// A scatter-gather list with no entries or too many.
    #[error("a scatter-gather list of {0} entries (1 to {MAX_SGL_ENTRIES} are allowed)")]
    BadList(u32),
    /// Segments adding up to more than one request may carry.
    #[error("the buffer adds up to more than 4 GiB")]
    TooLong,
    /// Engine scratch memory for a list could not be had.
    #[error("no memory for {0} bytes of scratch")]
    NoMemory(usize),
    /// A region that overlaps one already registered, or is empty.
    #[error("region {iova:#x}+{len} overlaps a registered region or is empty")]
    BadRegion {
        /// DMA address.
        iova: u64,
        /// Length.
        len: u64,
    },
}

/// A registered region: `len` bytes at `iova`, mapped at `host` in this process.
#[derive(Clone)]
struct Region {
    iova: u64,
    len: u64,
    host: usize,
    keep: Arc<dyn Any + Send + Sync>,
}

/// A translated buffer: host address and length, holding its region alive.
pub struct DmaSpan {
    host: usize,
    len: usize,
    _keep: Option<Arc<dyn Any + Send + Sync>>,
}

impl DmaSpan {
    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for an empty buffer.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn empty() -> DmaSpan {
        DmaSpan {
            host: 0,
            len: 0,
            _keep: None,
        }
    }

    /// The same span, holding its region alive once more.
    fn duplicate(&self) -> DmaSpan {
        DmaSpan {
            host: self.host,
            len: self.len,
            _keep: self._keep.clone(),
        }
    }

    fn same_as(&self, other: &DmaSpan) -> bool {
        self.host == other.host && self.len == other.len
    }

    /// Copies the span out as a `T` (for tables and content descriptors).
    #[inline]
    fn read<T: Pod>(&self, offset: usize) -> T {
        let mut v = T::zeroed();
        let n = std::mem::size_of::<T>();
        assert!(offset + n <= self.len, "read inside the span");
        // SAFETY: offset + n ≤ len (asserted), the span names live memory
        // (module invariants); the copy goes into a local Pod value, for which
        // any bytes are valid.
        unsafe {
            std::ptr::copy_nonoverlapping(
                (self.host + offset) as *const u8,
                bytemuck::bytes_of_mut(&mut v).as_mut_ptr(),
                n,
            );
        }
        v
    }
}

static NEXT_OWNER_KEY: AtomicU64 = AtomicU64::new(1);

/// The memory map of one owner.
pub struct OwnerMemory {
    passthrough: bool,
    /// Unique for the life of the process: keys engine caches.
    key: u64,
    /// Sorted by `iova`, non-overlapping. Read on every request; written only
    /// when the owner registers or releases memory.
    regions: RwLock<Vec<Region>>,
}

impl OwnerMemory {
    /// A passthrough map (IOVA = virtual address of this process).
    ///
    /// # Safety
    /// Every buffer a descriptor served with this map names must be memory
    /// of this process that stays valid — and is not used otherwise — from
    /// submission until its response is consumed. Only the embedded SAL,
    /// which builds descriptors from live borrows and holds them until the
    /// response, can promise that; never hand this map to a ring another
    /// process writes.
    pub unsafe fn passthrough() -> Arc<OwnerMemory> {
        Arc::new(OwnerMemory {
            passthrough: true,
            key: NEXT_OWNER_KEY.fetch_add(1, Ordering::Relaxed),
            regions: RwLock::new(Vec::new()),
        })
    }

    /// An empty region map.
    pub fn regions() -> Arc<OwnerMemory> {
        Arc::new(OwnerMemory {
            passthrough: false,
            key: NEXT_OWNER_KEY.fetch_add(1, Ordering::Relaxed),
            regions: RwLock::new(Vec::new()),
        })
    }

    /// Whether this map passes addresses through untranslated.
    pub fn is_passthrough(&self) -> bool {
        self.passthrough
    }

    /// A number no other map of this process has: what engine caches key
    /// derived session state by, with the content descriptor's address.
    pub fn key(&self) -> u64 {
        self.key
    }

    /// Registers `len` bytes mapped at `host`, reachable at `iova`.
    ///
    /// # Safety
    /// `host..host + len` must be memory of this process that stays mapped,
    /// readable and writable for as long as `keep` (or any clone of it) lives.
    pub unsafe fn register(
        &self,
        iova: Iova,
        host: *mut u8,
        len: usize,
        keep: Arc<dyn Any + Send + Sync>,
    ) -> Result<(), DmaError> {
        let len64 = len as u64;
        let bad = DmaError::BadRegion {
            iova: iova.0,
            len: len64,
        };
        if len == 0 || iova.0 == 0 || iova.0.checked_add(len64).is_none() {
            return Err(bad);
        }
        let mut regions = self.regions.write().unwrap_or_else(|e| e.into_inner());
        let at = regions.partition_point(|r| r.iova < iova.0);
        let overlaps_prev = at > 0 && regions[at - 1].iova + regions[at - 1].len > iova.0;
        let overlaps_next = at < regions.len() && iova.0 + len64 > regions[at].iova;
        if overlaps_prev || overlaps_next {
            return Err(bad);
        }
        regions.insert(
            at,
            Region {
                iova: iova.0,
                len: len64,
                host: host as usize,
                keep,
            },
        );
        Ok(())
    }

    /// Removes the region starting at `iova`; true if there was one. Requests
    /// already translated keep the memory alive through their spans.
    pub fn unregister(&self, iova: Iova) -> bool {
        let mut regions = self.regions.write().unwrap_or_else(|e| e.into_inner());
        match regions.binary_search_by_key(&iova.0, |r| r.iova) {
            Ok(i) => {
                regions.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    /// Number of registered regions.
    pub fn region_count(&self) -> usize {
        self.regions.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Translates and bounds-checks `len` bytes at `addr`.
    ///
    /// Inlined, with the region lookup out of line: the span then stays in
    /// registers. Returned through memory, it is stored in 8-byte words and
    /// read back in 16-byte ones, a load the CPU cannot forward from those
    /// stores: it waits for every earlier store to reach the cache, on an
    /// engine behind the previous response's, whose line the requester's
    /// core holds.
    #[inline(always)]
    pub fn translate(&self, addr: Iova, len: u64) -> Result<DmaSpan, DmaError> {
        if len == 0 {
            // An empty buffer names no memory; any address will do.
            return Ok(DmaSpan::empty());
        }
        if addr.0 == 0 {
            return Err(DmaError::Null);
        }
        let end = addr
            .0
            .checked_add(len)
            .ok_or(DmaError::OutOfRange { addr: addr.0, len })?;
        if self.passthrough {
            if end > usize::MAX as u64 || end > isize::MAX as u64 {
                return Err(DmaError::OutOfRange { addr: addr.0, len });
            }
            return Ok(DmaSpan {
                host: addr.0 as usize,
                len: len as usize,
                _keep: None,
            });
        }
        self.translate_in_regions(addr, len, end)
    }

    /// [`translate`](Self::translate) through the registered regions.
    #[inline(never)]
    fn translate_in_regions(&self, addr: Iova, len: u64, end: u64) -> Result<DmaSpan, DmaError> {
        let out_of_range = DmaError::OutOfRange { addr: addr.0, len };
        let regions = self.regions.read().unwrap_or_else(|e| e.into_inner());
        let at = regions.partition_point(|r| r.iova <= addr.0);
        if at == 0 {
            return Err(out_of_range);
        }
        let r = &regions[at - 1];
        if end > r.iova + r.len {
            return Err(out_of_range);
        }
        Ok(DmaSpan {
            host: r.host + (addr.0 - r.iova) as usize,
            len: len as usize,
            _keep: Some(r.keep.clone()),
        })
    }

    /// Runs `f` with the host address of `len` bytes at `addr` (checked like
    /// any buffer), the bytes staying mapped while it runs: a passthrough
    /// address as it is; a region's under the map's read lock, which keeps
    /// the region registered (and so mapped) without taking a keep-alive
    /// reference. For the engine's small reads and writes (content
    /// descriptors, IVs, digests): no span is built, moved or dropped.
    /// `len` must not be 0.
    #[inline(always)]
    fn with_host<R>(
        &self,
        addr: Iova,
        len: u64,
        f: impl FnOnce(usize) -> R,
    ) -> Result<R, DmaError> {
        if addr.0 == 0 {
            return Err(DmaError::Null);
        }
        let out_of_range = || DmaError::OutOfRange { addr: addr.0, len };
        let end = addr.0.checked_add(len).ok_or_else(out_of_range)?;
        if self.passthrough {
            if end > isize::MAX as u64 {
                return Err(out_of_range());
            }
            return Ok(f(addr.0 as usize));
        }
        let regions = self.regions.read().unwrap_or_else(|e| e.into_inner());
        let at = regions.partition_point(|r| r.iova <= addr.0);
        let r = at
            .checked_sub(1)
            .map(|i| &regions[i])
            .ok_or_else(out_of_range)?;
        if end > r.iova + r.len {
            return Err(out_of_range());
        }
        Ok(f(r.host + (addr.0 - r.iova) as usize))
    }

    /// Reads a `T` (a content descriptor, a table entry) at `addr`, checked
    /// like any buffer: `T` must lie inside one registered region.
    #[inline]
    pub fn read<T: Pod>(&self, addr: Iova) -> Result<T, DmaError> {
        self.read_prefix(addr, 0)
    }

    /// Reads a `T` at `addr` after checking that `len` bytes (≥ the size of
    /// `T`) lie there: the header of a larger structure, with one
    /// translation.
    #[inline]
    pub fn read_prefix<T: Pod>(&self, addr: Iova, len: u64) -> Result<T, DmaError> {
        let n = std::mem::size_of::<T>();
        if n == 0 {
            return Ok(T::zeroed());
        }
        let len = len.max(n as u64);
        self.with_host(addr, len, |host| {
            // SAFETY: `len` ≥ size_of::<T>() bytes at `host` are live memory
            // while `with_host` runs (module invariants); an unaligned read
            // into a Pod value, for which any bytes are valid.
            unsafe { std::ptr::read_unaligned(host as *const T) }
        })
    }

    /// Copies `out.len()` bytes at `addr` into `out` (an IV, AAD, a digest
    /// to verify), checked like any buffer.
    #[inline]
    pub fn read_bytes(&self, addr: Iova, out: &mut [u8]) -> Result<(), DmaError> {
        if out.is_empty() {
            // An empty buffer names no memory; any address will do.
            return Ok(());
        }
        self.with_host(addr, out.len() as u64, |host| {
            // SAFETY: `out.len()` bytes at `host` are live memory while
            // `with_host` runs (module invariants); `out` is engine memory,
            // so the two cannot overlap.
            unsafe { std::ptr::copy_nonoverlapping(host as *const u8, out.as_mut_ptr(), out.len()) }
        })
    }

    /// Writes `data` at `addr` (a digest, an updated IV), checked like any
    /// buffer. Callers hold no slice of the owner's memory while writing.
    pub fn write_bytes(&self, addr: Iova, data: &[u8]) -> Result<(), DmaError> {
        if data.is_empty() {
            return Ok(());
        }
        self.with_host(addr, data.len() as u64, |host| {
            // SAFETY: `data.len()` bytes at `host` are live memory while
            // `with_host` runs (module invariants); `data` is engine memory,
            // and no slice of the owner's memory is alive in this process
            // while this runs (the caller's contract), so nothing aliases
            // the write.
            unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), host as *mut u8, data.len()) }
        })
    }

    /// `src` and `dst` as a [`FlatPair`] when both are flat buffers and this
    /// map is passthrough (None otherwise), checked like any buffer and
    /// against the overlap rule.
    #[inline(always)]
    fn flat_pair(&self, src: &BufferDesc, dst: &BufferDesc) -> Result<Option<FlatPair>, DmaError> {
        if !self.passthrough || src.kind != BUF_FLAT || dst.kind != BUF_FLAT {
            return Ok(None);
        }
        // An empty buffer names no memory: any address will do.
        let host = |b: &BufferDesc| match b.len {
            0 => Ok(0),
            n => self.with_host(b.addr, u64::from(n), |host| host),
        };
        let s = (host(src)?, src.len as usize);
        let d = (host(dst)?, dst.len as usize);
        let in_place = src == dst || s == d;
        if !in_place && ranges_overlap(s, d) {
            return Err(DmaError::Overlap);
        }
        Ok(Some(FlatPair {
            src: s.0,
            src_len: s.1,
            dst: d.0,
            dst_len: d.1,
            in_place,
        }))
    }

    /// Translates `buf` into its spans, appended to `out`; returns the total
    /// length. A scatter-gather list's table is read once, then each entry is
    /// translated on its own.
    #[inline]
    fn translate_into(&self, buf: &BufferDesc, out: &mut Vec<DmaSpan>) -> Result<u64, DmaError> {
        match buf.kind {
            BUF_FLAT if self.passthrough && buf.len != 0 => {
                // The usual buffer, built in place: a span made by
                // `translate` travels through a Result on the stack, stored
                // in 8-byte words and reloaded in 16-byte ones, which the
                // CPU cannot forward — a stall per request.
                let len = u64::from(buf.len);
                let host = self.with_host(buf.addr, len, |host| host)?;
                reserve_spans(out, 1)?;
                out.push(DmaSpan {
                    host,
                    len: len as usize,
                    _keep: None,
                });
                Ok(len)
            }
            BUF_FLAT => {
                let span = self.translate(buf.addr, u64::from(buf.len))?;
                reserve_spans(out, 1)?;
                out.push(span);
                Ok(u64::from(buf.len))
            }
            BUF_SGL => self.translate_list(buf, out),
            other => Err(DmaError::BadKind(other)),
        }
    }

    /// [`translate_into`](Self::translate_into) for a scatter-gather list:
    /// out of line, so the flat buffers of the usual request stay a few
    /// instructions.
    #[inline(never)]
    fn translate_list(&self, buf: &BufferDesc, out: &mut Vec<DmaSpan>) -> Result<u64, DmaError> {
        let n = buf.len;
        if n == 0 || n > MAX_SGL_ENTRIES {
            return Err(DmaError::BadList(n));
        }
        let entry_size = std::mem::size_of::<SglEntry>();
        let table = self.translate(buf.addr, u64::from(n) * entry_size as u64)?;
        reserve_spans(out, n as usize)?;
        let mut total = 0u64;
        for i in 0..n as usize {
            let e: SglEntry = table.read(i * entry_size);
            total += u64::from(e.len);
            if total > u64::from(u32::MAX) {
                return Err(DmaError::TooLong);
            }
            let span = self.translate(e.addr, u64::from(e.len))?;
            if !span.is_empty() {
                out.push(span);
            }
        }
        Ok(total)
    }
}

/// Whether two (host address, length) ranges share a byte; an empty range
/// shares none.
#[inline]
fn ranges_overlap(a: (usize, usize), b: (usize, usize)) -> bool {
    a.1 > 0 && b.1 > 0 && a.0 < b.0 + b.1 && b.0 < a.0 + a.1
}

/// Runs `f` with the source as a shared slice and the destination as a
/// mutable slice. Fails if the two overlap.
pub fn with_buffers<R>(
    src: &DmaSpan,
    dst: &DmaSpan,
    f: impl FnOnce(&[u8], &mut [u8]) -> R,
) -> Result<R, DmaError> {
    if ranges_overlap((src.host, src.len), (dst.host, dst.len)) {
        return Err(DmaError::Overlap);
    }
    // SAFETY: see the module documentation — both spans name live memory of
    // this process for their whole length, and they do not overlap (checked
    // above). Empty spans become empty slices without touching their address.
    let (s, d) = unsafe { (span_slice(src), span_slice_mut(dst)) };
    Ok(f(s, d))
}

/// # Safety
/// The span names live memory (module invariants).
unsafe fn span_slice(s: &DmaSpan) -> &[u8] {
    if s.is_empty() {
        &[]
    } else {
        std::slice::from_raw_parts(s.host as *const u8, s.len)
    }
}

/// # Safety
/// The span names live memory (module invariants) and no other view of its
/// bytes exists in this process while the slice lives.
#[allow(clippy::mut_from_ref)]
unsafe fn span_slice_mut(s: &DmaSpan) -> &mut [u8] {
    if s.is_empty() {
        &mut []
    } else {
        std::slice::from_raw_parts_mut(s.host as *mut u8, s.len)
    }
}

/// The source and destination of one request, translated: what a service's
/// firmware reads and writes. One per engine, reused for every request, so
/// translating allocates nothing once its lists have grown.
#[derive(Default)]
pub struct Buffers {
    src: Vec<DmaSpan>,
    dst: Vec<DmaSpan>,
    src_len: u64,
    dst_len: u64,
    in_place: bool,
    /// Scratch for the overlap check: (start, end, is destination).
    order: Vec<(usize, usize, bool)>,
    /// Scratch: a gathered source list.
    gathered: Vec<u8>,
    /// Scratch: output for a destination list, scattered afterwards.
    staged: Vec<u8>,
    /// A stateful request's context buffer ([`Buffers::load_context`]):
    /// read and written like a destination.
    ctx: Vec<DmaSpan>,
    ctx_len: u64,
    /// Scratch: a context list, gathered and scattered back.
    ctx_staged: Vec<u8>,
    /// A request's preset dictionary ([`Buffers::load_dict`]): read only,
    /// like the source.
    dict: Vec<DmaSpan>,
    dict_len: u64,
    /// Scratch: a dictionary list, gathered.
    dict_staged: Vec<u8>,
    /// Something was loaded since the last [`Buffers::release`].
    loaded: bool,
}

/// Where a service that works in the destination (the symmetric service's
/// model, see [`Buffers::run_in_dst`]) finds a request's bytes: two flat
/// buffers of a passthrough owner as two checked address ranges — nothing
/// built, stored or dropped, the usual request's whole translation a few
/// compares — or anything else through the translated lists.
pub enum DstWork<'a> {
    /// Two flat buffers of a passthrough owner.
    Flat(FlatPair),
    /// Lists, or a map with regions: loaded into the engine's [`Buffers`].
    Lists(&'a mut Buffers),
}

/// A flat source and destination of a passthrough owner, checked: both
/// ranges live memory of this process (the passthrough contract), and either
/// exactly the same range (in place) or disjoint.
pub struct FlatPair {
    src: usize,
    src_len: usize,
    dst: usize,
    dst_len: usize,
    /// The same descriptor, or the same bytes ([`Buffers::load`]'s rule).
    in_place: bool,
}

impl DstWork<'_> {
    /// Total source bytes.
    pub fn src_len(&self) -> u64 {
        match self {
            DstWork::Flat(f) => f.src_len as u64,
            DstWork::Lists(b) => b.src_len(),
        }
    }

    /// True if source and destination are the same bytes.
    pub fn is_in_place(&self) -> bool {
        match self {
            DstWork::Flat(f) => f.in_place,
            DstWork::Lists(b) => b.is_in_place(),
        }
    }

    /// [`Buffers::run_in_dst`]: `f` over the destination holding a copy of
    /// the source.
    pub fn run_in_dst<R>(self, f: impl FnOnce(&mut [u8]) -> R) -> Result<R, DmaError> {
        let pair = match self {
            DstWork::Flat(pair) => pair,
            DstWork::Lists(b) => return b.run_in_dst(f),
        };
        if pair.dst_len < pair.src_len {
            return Err(DmaError::TooLong);
        }
        if pair.dst_len == 0 {
            return Ok(f(&mut []));
        }
        if !pair.in_place && pair.src_len > 0 {
            // SAFETY: both ranges are live memory of this process (the
            // passthrough contract, checked non-null and non-wrapping by
            // `OwnerMemory::flat_pair`), disjoint unless in place (checked
            // there too), and the destination holds at least src_len bytes.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    pair.src as *const u8,
                    pair.dst as *mut u8,
                    pair.src_len,
                )
            };
        }
        // SAFETY: as above; the destination is the only view of its bytes in
        // this process while `f` runs (the source was only read before).
        let dst = unsafe { std::slice::from_raw_parts_mut(pair.dst as *mut u8, pair.dst_len) };
        Ok(f(dst))
    }
}

impl Buffers {
    /// Empty lists.
    pub fn new() -> Buffers {
        Buffers::default()
    }

    /// Translates `src` and `dst` of a request through `mem` and checks the
    /// overlap rule. Nothing is read or written yet.
    pub fn load(
        &mut self,
        mem: &OwnerMemory,
        src: &BufferDesc,
        dst: &BufferDesc,
    ) -> Result<(), DmaError> {
        self.release();
        self.loaded = true;
        self.src_len = mem.translate_into(src, &mut self.src)?;
        if src == dst && src.kind == BUF_FLAT {
            // In place by descriptor, one buffer: translated again rather
            // than copied from the span just stored (a reload of fresh
            // stores the CPU cannot forward, a stall per request).
            self.dst_len = mem.translate_into(dst, &mut self.dst)?;
        } else if src == dst {
            // In place by descriptor: the same spans, translated once.
            reserve_spans(&mut self.dst, self.src.len())?;
            self.dst.extend(self.src.iter().map(DmaSpan::duplicate));
            self.dst_len = self.src_len;
        } else {
            self.dst_len = mem.translate_into(dst, &mut self.dst)?;
        }
        // The same descriptor is in place (`pDstBuffer == pSrcBuffer`), even
        // when it names no bytes: a list of empty segments has no spans.
        self.in_place = src == dst
            || (!self.dst.is_empty()
                && self.src.len() == self.dst.len()
                && self.src.iter().zip(&self.dst).all(|(a, b)| a.same_as(b)));
        self.check_overlap()
    }

    /// Drops the spans of the last request (and with them the keep-alive
    /// handles of the regions they were in), and the scratch it grew beyond
    /// [`SCRATCH_KEEP`]: one list of 100 MB must not pin 100 MB in this
    /// engine for the life of the process. Scratch up to that size is kept,
    /// so usual requests allocate nothing.
    pub fn release(&mut self) {
        if !self.loaded {
            return;
        }
        self.loaded = false;
        self.src.clear();
        self.dst.clear();
        self.ctx.clear();
        self.dict.clear();
        self.src_len = 0;
        self.dst_len = 0;
        self.ctx_len = 0;
        self.dict_len = 0;
        self.in_place = false;
        for scratch in [
            &mut self.gathered,
            &mut self.staged,
            &mut self.ctx_staged,
            &mut self.dict_staged,
        ] {
            if scratch.capacity() > SCRATCH_KEEP {
                *scratch = Vec::new();
            }
        }
    }

    /// [`load`](Self::load) for a service that works in the destination:
    /// two flat buffers of a passthrough owner are only checked, anything
    /// else is loaded here. Inlined: a pair returned through memory is
    /// stored in 8-byte words and reloaded in 16-byte ones, which the CPU
    /// cannot forward (a stall per request).
    #[inline(always)]
    pub fn load_in_dst<'a>(
        &'a mut self,
        mem: &OwnerMemory,
        src: &BufferDesc,
        dst: &BufferDesc,
    ) -> Result<DstWork<'a>, DmaError> {
        if let Some(pair) = mem.flat_pair(src, dst)? {
            return Ok(DstWork::Flat(pair));
        }
        self.load(mem, src, dst)?;
        Ok(DstWork::Lists(self))
    }

    /// Translates a stateful session's context buffer, after [`load`]:
    /// the firmware reads and writes it like a destination, so it may
    /// overlap neither the source, nor the destination, nor itself.
    ///
    /// [`load`]: Buffers::load
    pub fn load_context(&mut self, mem: &OwnerMemory, ctx: &BufferDesc) -> Result<(), DmaError> {
        self.loaded = true;
        self.ctx.clear();
        self.ctx_len = mem.translate_into(ctx, &mut self.ctx)?;
        self.check_overlap()
    }

    /// Translates a request's preset dictionary, after [`load`]: the
    /// firmware only reads it, so it may overlap the source (or itself) but
    /// no destination.
    ///
    /// [`load`]: Buffers::load
    pub fn load_dict(&mut self, mem: &OwnerMemory, dict: &BufferDesc) -> Result<(), DmaError> {
        self.loaded = true;
        self.dict.clear();
        self.dict_len = mem.translate_into(dict, &mut self.dict)?;
        self.check_overlap()
    }

    /// Total dictionary bytes.
    pub fn dict_len(&self) -> u64 {
        self.dict_len
    }

    /// Total context bytes.
    pub fn context_len(&self) -> u64 {
        self.ctx_len
    }

    /// Total source bytes.
    pub fn src_len(&self) -> u64 {
        self.src_len
    }

    /// Total destination bytes.
    pub fn dst_len(&self) -> u64 {
        self.dst_len
    }

    /// True if source and destination are the same spans.
    pub fn is_in_place(&self) -> bool {
        self.in_place
    }

    fn check_overlap(&mut self) -> Result<(), DmaError> {
        // In place, the source spans are the destination spans: only the
        // destination spans among themselves need checking.
        let with_src = !self.in_place;
        // A context is written like a destination; a dictionary is read
        // like a source (and is never the destination, in place or not).
        let written = self.dst.len() + self.ctx.len();
        let read = usize::from(with_src) * self.src.len() + self.dict.len();
        if written + read < 2 {
            return Ok(());
        }
        self.order.clear();
        let spans = written + read;
        self.order
            .try_reserve(spans)
            .map_err(|_| DmaError::NoMemory(spans * std::mem::size_of::<(usize, usize, bool)>()))?;
        let src = self
            .src
            .iter()
            .filter(|_| with_src)
            .chain(&self.dict)
            .map(|s| (s, false));
        let dst = self.dst.iter().chain(&self.ctx).map(|s| (s, true));
        for (s, is_dst) in src.chain(dst) {
            if !s.is_empty() {
                self.order.push((s.host, s.host + s.len, is_dst));
            }
        }
        self.order.sort_unstable_by_key(|&(start, _, _)| start);
        // Any overlapping pair (a before c in start order) has a.end >
        // c.start: it involves a destination iff the furthest end of the
        // destinations before c, or — when c is one — of anything before c,
        // reaches past c.start.
        let (mut end_any, mut end_dst) = (0usize, 0usize);
        for &(start, end, is_dst) in &self.order {
            if start < end_dst || (is_dst && start < end_any) {
                return Err(DmaError::Overlap);
            }
            end_any = end_any.max(end);
            if is_dst {
                end_dst = end_dst.max(end);
            }
        }
        Ok(())
    }

    /// Runs `f` over the source as one slice and the destination as one
    /// mutable slice; `f` returns its result and how many bytes it produced.
    ///
    /// A single source span is read in place and a single destination span
    /// written in place. A list (or an in-place request) is gathered into
    /// engine scratch first, and a destination list is computed into scratch
    /// and its first `produced` bytes scattered over the segments afterwards:
    /// one copy each way, the cost of accepting scattered memory in an engine
    /// that wants contiguous bytes.
    pub fn run<R>(
        &mut self,
        f: impl FnOnce(&[u8], &mut [u8]) -> (R, usize),
    ) -> Result<R, DmaError> {
        self.run_with_context(0..0, |s, d, _| f(s, d))
    }

    /// [`run`](Buffers::run) with bytes `range` of the context buffer
    /// ([`load_context`](Buffers::load_context)) as a third, mutable slice:
    /// a single context span is worked on in place, a list is gathered
    /// into scratch and scattered back whole afterwards.
    pub fn run_with_context<R>(
        &mut self,
        range: std::ops::Range<usize>,
        f: impl FnOnce(&[u8], &mut [u8], &mut [u8]) -> (R, usize),
    ) -> Result<R, DmaError> {
        if range.start > range.end || range.end as u64 > self.ctx_len {
            return Err(DmaError::TooLong);
        }
        let direct_ctx = self.ctx.len() <= 1;
        if !direct_ctx {
            gather(&self.ctx, self.ctx_len, &mut self.ctx_staged)?;
        }
        let direct_src = self.src.len() <= 1 && !self.in_place;
        if !direct_src {
            gather(&self.src, self.src_len, &mut self.gathered)?;
        }
        let direct_dst = self.dst.len() <= 1;
        if !direct_dst {
            let n = self.dst_len as usize;
            empty_with_room(&mut self.staged, n)?;
            self.staged.resize(n, 0);
        }
        let empty = DmaSpan::empty();
        // SAFETY: module invariants. A source span is read directly only when
        // the request is not in place, and the overlap rule (checked in
        // `load`) then guarantees no destination span overlaps it; a
        // destination span is written directly only when it is the only one.
        // Scratch vectors are engine memory, never DMA memory.
        let src: &[u8] = if direct_src {
            unsafe { span_slice(self.src.first().unwrap_or(&empty)) }
        } else {
            &self.gathered
        };
        let dst: &mut [u8] = if direct_dst {
            unsafe { span_slice_mut(self.dst.first().unwrap_or(&empty)) }
        } else {
            &mut self.staged
        };
        // SAFETY: as for the destination — a context span is written in
        // place only when it is the only one, and the overlap rule (checked
        // in `load_context`) keeps it apart from every source and
        // destination span.
        let ctx: &mut [u8] = if direct_ctx {
            unsafe { span_slice_mut(self.ctx.first().unwrap_or(&empty)) }
        } else {
            &mut self.ctx_staged
        };
        let (r, produced) = f(src, dst, &mut ctx[range]);
        if !direct_dst {
            let produced = produced.min(self.staged.len());
            scatter(&self.dst, &self.staged[..produced]);
        }
        if !direct_ctx {
            scatter(&self.ctx, &self.ctx_staged);
        }
        Ok(r)
    }
}

impl Buffers {
    /// [`run`](Buffers::run) with the dictionary
    /// ([`load_dict`](Buffers::load_dict)) as a first, shared slice: a
    /// single dictionary span is read in place, a list is gathered into
    /// scratch first.
    pub fn run_with_dict<R>(
        &mut self,
        f: impl FnOnce(&[u8], &[u8], &mut [u8]) -> (R, usize),
    ) -> Result<R, DmaError> {
        let direct = self.dict.len() <= 1;
        if !direct {
            gather(&self.dict, self.dict_len, &mut self.dict_staged)?;
        }
        // The dictionary scratch is moved out for the call, so `run` can
        // borrow the rest of `self`; it is put back (with its capacity)
        // afterwards.
        let staged = std::mem::take(&mut self.dict_staged);
        // A view of the single span without its keep-alive handle: the
        // span itself stays in `self.dict`, keeping the region alive, for
        // the whole call.
        let span = self.dict.first().map_or_else(DmaSpan::empty, |s| DmaSpan {
            host: s.host,
            len: s.len,
            _keep: None,
        });
        let r = {
            // SAFETY: module invariants; the dictionary span is only read,
            // and the overlap rule (checked in `load_dict`) keeps it apart
            // from every span the request writes.
            let dict: &[u8] = if direct {
                unsafe { span_slice(&span) }
            } else {
                &staged
            };
            self.run(|s, d| f(dict, s, d))
        };
        self.dict_staged = staged;
        r
    }

    /// Runs `f` over the destination as one mutable slice holding a copy of
    /// the source — the symmetric service's model, where the cipher and hash
    /// regions are processed in the destination and every other byte of the
    /// source is copied across. In place, nothing is copied; a single
    /// destination span is worked on directly, a list is gathered into
    /// scratch and scattered back whole. The destination must be at least as
    /// long as the source.
    pub fn run_in_dst<R>(&mut self, f: impl FnOnce(&mut [u8]) -> R) -> Result<R, DmaError> {
        if self.dst_len < self.src_len {
            return Err(DmaError::TooLong);
        }
        let direct = self.dst.len() <= 1;
        if !direct {
            // The destination as it is (bytes past the source keep its
            // contents), then the source over its front.
            gather(&self.dst, self.dst_len, &mut self.staged)?;
            if !self.in_place {
                // SAFETY: `staged` is engine memory of dst_len ≥ src_len
                // bytes, so no source span aliases it and the copy fits.
                unsafe { copy_spans_to(&self.src, self.staged.as_mut_ptr()) };
            }
            let r = f(&mut self.staged);
            scatter(&self.dst, &self.staged);
            return Ok(r);
        }
        let empty = DmaSpan::empty();
        let dst_span = self.dst.first().unwrap_or(&empty);
        if !self.in_place && dst_span.len > 0 {
            // SAFETY: module invariants; not in place, so the overlap rule
            // (checked in `load`) keeps every source span disjoint from the
            // destination span, which holds at least src_len bytes; the copy
            // goes through raw pointers and no slice of either is alive.
            unsafe { copy_spans_to(&self.src, dst_span.host as *mut u8) };
        }
        // SAFETY: module invariants; the only destination span, no other
        // view of its bytes alive (sources were only read above).
        let dst = unsafe { span_slice_mut(dst_span) };
        Ok(f(dst))
    }
}

/// Copies the spans, in order, to `out`.
///
/// # Safety
/// `out` is valid for writes of the spans' total length and overlaps none
/// of them; the spans name live memory (module invariants).
unsafe fn copy_spans_to(spans: &[DmaSpan], out: *mut u8) {
    let mut at = 0usize;
    for s in spans.iter().filter(|s| !s.is_empty()) {
        std::ptr::copy_nonoverlapping(s.host as *const u8, out.add(at), s.len);
        at += s.len;
    }
}

/// Empties `v` and makes room for `n` bytes without aborting when the
/// memory cannot be had. A buffer too small is dropped before the larger
/// one is allocated: its contents are not needed, and under a memory limit
/// both at once may not fit where the new one alone does.
fn empty_with_room(v: &mut Vec<u8>, n: usize) -> Result<(), DmaError> {
    v.clear();
    if v.capacity() < n {
        *v = Vec::new();
        v.try_reserve_exact(n).map_err(|_| DmaError::NoMemory(n))?;
    }
    Ok(())
}

/// Makes room for `n` more spans in `out` without aborting when the memory
/// cannot be had (a list has at most `MAX_SGL_ENTRIES`).
fn reserve_spans(out: &mut Vec<DmaSpan>, n: usize) -> Result<(), DmaError> {
    out.try_reserve(n)
        .map_err(|_| DmaError::NoMemory(n * std::mem::size_of::<DmaSpan>()))
}

/// Copies the spans, in order, into `out` (resized to `total`).
fn gather(spans: &[DmaSpan], total: u64, out: &mut Vec<u8>) -> Result<(), DmaError> {
    let total = total as usize;
    empty_with_room(out, total)?;
    for s in spans {
        // SAFETY: module invariants; `out` is engine memory, so the source
        // span cannot alias it.
        out.extend_from_slice(unsafe { span_slice(s) });
    }
    Ok(())
}

/// Writes `data` over the spans in order, as far as it goes.
fn scatter(spans: &[DmaSpan], mut data: &[u8]) {
    for s in spans {
        if data.is_empty() {
            break;
        }
        let n = s.len.min(data.len());
        // SAFETY: module invariants; destination spans do not overlap each
        // other or any source (checked in `load`), and `data` is engine
        // scratch.
        unsafe { span_slice_mut(s)[..n].copy_from_slice(&data[..n]) };
        data = &data[n..];
    }
}

/// The memory maps of all owners of an endpoint set.
#[derive(Default)]
pub struct DmaRegistry {
    owners: Mutex<HashMap<u32, Arc<OwnerMemory>>>,
}

impl DmaRegistry {
    /// An empty registry.
    pub fn new() -> DmaRegistry {
        DmaRegistry::default()
    }

    /// Adds an owner with its map; replaces any previous map of that owner.
    pub fn add_owner(&self, owner: OwnerId, memory: Arc<OwnerMemory>) {
        self.owners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(owner.0, memory);
    }

    /// The map of `owner`.
    pub fn owner(&self, owner: OwnerId) -> Option<Arc<OwnerMemory>> {
        self.owners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&owner.0)
            .cloned()
    }

    /// Forgets `owner`; its regions stay alive only as long as spans in use.
    pub fn remove_owner(&self, owner: OwnerId) -> Option<Arc<OwnerMemory>> {
        self.owners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&owner.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(addr: u64, len: u32) -> BufferDesc {
        BufferDesc::flat(Iova(addr), len)
    }

    fn tr(mem: &OwnerMemory, b: BufferDesc) -> Result<DmaSpan, DmaError> {
        let mut v = Vec::new();
        mem.translate_into(&b, &mut v)?;
        Ok(v.pop().unwrap_or_else(DmaSpan::empty))
    }

    /// A region backed by a boxed buffer that the keep-alive handle owns.
    fn region(mem: &OwnerMemory, iova: u64, len: usize) -> Arc<Mutex<Vec<u8>>> {
        let buf = Arc::new(Mutex::new(vec![0u8; len]));
        let host = buf.lock().unwrap().as_mut_ptr();
        // SAFETY: the Vec is never resized and lives as long as `buf`, which
        // the registered keep handle holds.
        unsafe { mem.register(Iova(iova), host, len, buf.clone()).unwrap() };
        buf
    }

    #[test]
    fn translation_inside_regions_only() {
        let mem = OwnerMemory::regions();
        let a = region(&mem, 0x10000, 4096);
        let _b = region(&mem, 0x20000, 4096);
        assert!(tr(&mem, flat(0x10000, 4096)).is_ok());
        assert!(tr(&mem, flat(0x10ff0, 16)).is_ok());
        assert_eq!(
            tr(&mem, flat(0x10ff0, 17)).err(),
            Some(DmaError::OutOfRange {
                addr: 0x10ff0,
                len: 17
            })
        );
        // Spanning two regions that are not contiguous is out of range.
        assert!(tr(&mem, flat(0x10000, 0x10001)).is_err());
        // Before the first region, between regions, after the last.
        assert!(tr(&mem, flat(0x1000, 1)).is_err());
        assert!(tr(&mem, flat(0x18000, 1)).is_err());
        assert!(tr(&mem, flat(0x30000, 1)).is_err());
        // Wrapping arithmetic and null.
        assert!(tr(&mem, flat(u64::MAX - 2, 8)).is_err());
        assert_eq!(tr(&mem, flat(0, 1)).err(), Some(DmaError::Null));
        assert_eq!(
            tr(
                &mem,
                BufferDesc {
                    addr: Iova(0x10000),
                    len: 1,
                    kind: 7
                }
            )
            .err(),
            Some(DmaError::BadKind(7))
        );
        // The translated span reaches the registered bytes.
        a.lock().unwrap()[5] = 42;
        let span = tr(&mem, flat(0x10005, 1)).unwrap();
        let empty = tr(&mem, flat(0, 0)).unwrap();
        let got = with_buffers(&span, &empty, |s, d| (s[0], d.len())).unwrap();
        assert_eq!(got, (42, 0));
    }

    #[test]
    fn overlapping_registrations_are_refused() {
        let mem = OwnerMemory::regions();
        let _a = region(&mem, 0x10000, 4096);
        let buf = Arc::new(vec![0u8; 16]);
        let host = buf.as_ptr() as *mut u8;
        for iova in [0x10000u64, 0x10ff0, 0xfff8] {
            // SAFETY: refused before use; buf outlives the call.
            let r = unsafe { mem.register(Iova(iova), host, 16, buf.clone()) };
            assert!(r.is_err(), "{iova:#x}");
        }
        assert!(mem.unregister(Iova(0x10000)));
        assert!(!mem.unregister(Iova(0x10000)));
        assert_eq!(mem.region_count(), 0);
    }

    #[test]
    fn unregistered_memory_stays_alive_while_a_span_holds_it() {
        let mem = OwnerMemory::regions();
        let a = region(&mem, 0x10000, 64);
        a.lock().unwrap()[0] = 7;
        let span = tr(&mem, flat(0x10000, 64)).unwrap();
        assert!(mem.unregister(Iova(0x10000)));
        drop(a);
        let empty = tr(&mem, flat(0, 0)).unwrap();
        assert_eq!(with_buffers(&span, &empty, |s, _| s[0]).unwrap(), 7);
        assert!(tr(&mem, flat(0x10000, 1)).is_err());
    }

    #[test]
    fn a_passthrough_flat_buffer_is_checked_like_any_other() {
        // SAFETY: the only span used for its bytes names `buf`, alive here.
        let mem = unsafe { OwnerMemory::passthrough() };
        let buf = [5u8; 64];
        let base = buf.as_ptr() as u64;
        let s = tr(&mem, flat(base + 8, 32)).unwrap();
        assert_eq!((s.host, s.len), (base as usize + 8, 32));
        assert_eq!(
            with_buffers(&s, &DmaSpan::empty(), |s, _| s[31]).unwrap(),
            5
        );
        assert_eq!(tr(&mem, flat(0, 32)).err(), Some(DmaError::Null));
        assert!(matches!(
            tr(&mem, flat(u64::MAX - 8, 32)),
            Err(DmaError::OutOfRange { .. })
        ));
        assert!(matches!(
            tr(&mem, flat(1 << 63, 32)),
            Err(DmaError::OutOfRange { .. })
        ));
        // Empty names no memory: any address, even none.
        assert!(tr(&mem, flat(0, 0)).unwrap().is_empty());
    }

    #[test]
    fn overlapping_source_and_destination_are_refused() {
        // SAFETY: the buffer outlives every span made from it here.
        let mem = unsafe { OwnerMemory::passthrough() };
        let mut buf = vec![0u8; 64];
        let base = buf.as_mut_ptr() as u64;
        let s = tr(&mem, flat(base, 32)).unwrap();
        let d = tr(&mem, flat(base + 16, 32)).unwrap();
        assert_eq!(
            with_buffers(&s, &d, |_, _| ()).err(),
            Some(DmaError::Overlap)
        );
        let d = tr(&mem, flat(base + 32, 32)).unwrap();
        with_buffers(&s, &d, |s, d| d[..4].copy_from_slice(&s[..4])).unwrap();
    }

    /// Writes an SGL table of (addr, len) entries at `at` inside `buf`
    /// (registered at `base`) and returns its descriptor.
    fn sgl_at(
        buf: &Arc<Mutex<Vec<u8>>>,
        base: u64,
        at: usize,
        entries: &[(u64, u32)],
    ) -> BufferDesc {
        let mut b = buf.lock().unwrap();
        for (i, &(addr, len)) in entries.iter().enumerate() {
            let e = SglEntry {
                addr: Iova(addr),
                len,
                reserved: 0,
            };
            b[at + 16 * i..at + 16 * (i + 1)].copy_from_slice(bytemuck::bytes_of(&e));
        }
        BufferDesc::sgl(Iova(base + at as u64), entries.len() as u32)
    }

    /// Copies the source to the destination through `Buffers::run`.
    fn copy_through(b: &mut Buffers) -> usize {
        b.run(|s, d| {
            let n = s.len().min(d.len());
            d[..n].copy_from_slice(&s[..n]);
            (n, n)
        })
        .unwrap()
    }

    #[test]
    fn scatter_gather_lists_count_across_segments() {
        let mem = OwnerMemory::regions();
        let base = 0x40000u64;
        let buf = region(&mem, base, 8192);
        {
            let mut b = buf.lock().unwrap();
            for (i, x) in b[..300].iter_mut().enumerate() {
                *x = i as u8;
            }
        }
        // Source: 100 + 0 + 200 bytes in three segments (an empty one in the
        // middle); destination: 50 + 250 in two.
        let src = sgl_at(
            &buf,
            base,
            4096,
            &[(base, 100), (base + 7000, 0), (base + 100, 200)],
        );
        let dst = sgl_at(&buf, base, 4608, &[(base + 1000, 50), (base + 2000, 250)]);
        let mut b = Buffers::new();
        b.load(&mem, &src, &dst).unwrap();
        assert_eq!(
            (b.src_len(), b.dst_len(), b.is_in_place()),
            (300, 300, false)
        );
        assert_eq!(copy_through(&mut b), 300);
        let m = buf.lock().unwrap();
        let expect: Vec<u8> = (0..300).map(|i| i as u8).collect();
        assert_eq!(&m[1000..1050], &expect[..50]);
        assert_eq!(&m[2000..2250], &expect[50..]);
    }

    #[test]
    fn malformed_lists_are_refused_before_any_access() {
        let mem = OwnerMemory::regions();
        let base = 0x40000u64;
        let buf = region(&mem, base, 8192);
        let dst = flat(base + 6000, 100);
        let mut b = Buffers::new();
        let empty = BufferDesc::sgl(Iova(base), 0);
        assert_eq!(b.load(&mem, &empty, &dst), Err(DmaError::BadList(0)));
        let huge = BufferDesc::sgl(Iova(base), MAX_SGL_ENTRIES + 1);
        assert_eq!(
            b.load(&mem, &huge, &dst),
            Err(DmaError::BadList(MAX_SGL_ENTRIES + 1))
        );
        // A table that runs past the region.
        let past = BufferDesc::sgl(Iova(base + 8192 - 16), 2);
        assert!(matches!(
            b.load(&mem, &past, &dst),
            Err(DmaError::OutOfRange { .. })
        ));
        // An entry outside the owner's memory.
        let outside = sgl_at(&buf, base, 0, &[(base, 10), (0x9999_0000, 10)]);
        assert!(matches!(
            b.load(&mem, &outside, &dst),
            Err(DmaError::OutOfRange { .. })
        ));
        // Entries adding up to more than 4 GiB.
        let big = sgl_at(&buf, base, 0, &[(base, u32::MAX), (base, 2)]);
        assert!(b.load(&mem, &big, &dst).is_err());
    }

    #[test]
    fn overlap_rule_exact_in_place_only() {
        let mem = OwnerMemory::regions();
        let base = 0x40000u64;
        let buf = region(&mem, base, 8192);
        let mut b = Buffers::new();
        // Exactly in place: allowed.
        let same = flat(base + 100, 64);
        b.load(&mem, &same, &same).unwrap();
        assert!(b.is_in_place());
        buf.lock().unwrap()[100] = 9;
        b.run(|s, d| {
            d[1] = s[0];
            ((), 2)
        })
        .unwrap();
        assert_eq!(buf.lock().unwrap()[101], 9);
        // The same lists entry for entry: in place.
        let l1 = sgl_at(&buf, base, 4096, &[(base, 10), (base + 20, 10)]);
        let l2 = sgl_at(&buf, base, 4608, &[(base, 10), (base + 20, 10)]);
        b.load(&mem, &l1, &l2).unwrap();
        assert!(b.is_in_place());
        // Partial overlap of source and destination: refused.
        assert_eq!(
            b.load(&mem, &flat(base + 100, 64), &flat(base + 132, 64)),
            Err(DmaError::Overlap)
        );
        // Same start, other length: refused.
        assert_eq!(
            b.load(&mem, &flat(base + 100, 64), &flat(base + 100, 32)),
            Err(DmaError::Overlap)
        );
        // Two destination segments overlapping each other: refused.
        let d = sgl_at(&buf, base, 4096, &[(base + 1000, 10), (base + 1005, 10)]);
        assert_eq!(b.load(&mem, &flat(base, 10), &d), Err(DmaError::Overlap));
        // A destination segment inside a far source segment: refused.
        let s = sgl_at(&buf, base, 4096, &[(base, 10), (base + 2000, 500)]);
        assert_eq!(
            b.load(&mem, &s, &flat(base + 2100, 10)),
            Err(DmaError::Overlap)
        );
        // Source segments may overlap each other.
        let s = sgl_at(&buf, base, 4096, &[(base, 10), (base + 5, 10)]);
        b.load(&mem, &s, &flat(base + 3000, 20)).unwrap();
        assert_eq!(copy_through(&mut b), 20);
        // Disjoint lists: fine.
        let d = sgl_at(&buf, base, 4608, &[(base + 5000, 10), (base + 6000, 10)]);
        b.load(&mem, &s, &d).unwrap();
        assert_eq!(copy_through(&mut b), 20);
    }

    /// Runs the symmetric service's buffer model over one 2 KiB buffer of
    /// this process: source and destination at offsets (0: a null address)
    /// with lengths; every destination byte is flipped. Through the flat
    /// path of a passthrough map or the general lists.
    fn in_dst(
        flat_path: bool,
        case: (u64, u32, u64, u32),
    ) -> Result<(u64, bool, Vec<u8>), DmaError> {
        let mut bytes: Vec<u8> = (0..2048u32).map(|i| i as u8).collect();
        let base = bytes.as_mut_ptr() as u64;
        let at = |off: u64, len: u32| flat(if off == 0 { 0 } else { base + off }, len);
        let (src, dst) = (at(case.0, case.1), at(case.2, case.3));
        // SAFETY: every descriptor names bytes of `bytes`, which outlives the
        // map's use here and is not touched otherwise while it is used.
        let map = unsafe { OwnerMemory::passthrough() };
        let mut b = Buffers::new();
        let flip = |buf: &mut [u8]| buf.iter_mut().for_each(|x| *x ^= 0x5a);
        let (n, in_place) = if flat_path {
            let work = b.load_in_dst(&map, &src, &dst)?;
            assert!(matches!(work, DstWork::Flat(_)));
            let seen = (work.src_len(), work.is_in_place());
            work.run_in_dst(flip)?;
            seen
        } else {
            b.load(&map, &src, &dst)?;
            let seen = (b.src_len(), b.is_in_place());
            b.run_in_dst(flip)?;
            seen
        };
        Ok((n, in_place, bytes))
    }

    #[test]
    fn flat_pairs_of_a_passthrough_map_follow_the_general_rules() {
        let cases = [
            (100, 64, 100, 64),  // in place
            (100, 64, 1000, 80), // disjoint, destination longer
            (100, 64, 132, 64),  // partial overlap
            (100, 64, 100, 32),  // same start, other length
            (100, 64, 1000, 32), // destination too short
            (100, 64, 164, 16),  // adjacent
            (100, 0, 1000, 16),  // empty source
            (100, 0, 100, 0),    // both empty, same descriptor
            (100, 0, 200, 0),    // both empty elsewhere
            (0, 16, 1000, 16),   // null source
            (100, 16, 0, 16),    // null destination
            (0, 0, 1000, 8),     // null but empty source
        ];
        for case in cases {
            assert_eq!(in_dst(true, case), in_dst(false, case), "case {case:?}");
        }
        assert!(in_dst(true, (100, 64, 100, 64)).unwrap().1);
        assert_eq!(in_dst(true, (100, 64, 132, 64)), Err(DmaError::Overlap));
        // A map with regions takes the general path.
        let mem = OwnerMemory::regions();
        let _buf = region(&mem, 0x40000, 4096);
        let mut b = Buffers::new();
        let d = flat(0x40000, 64);
        assert!(matches!(b.load_in_dst(&mem, &d, &d), Ok(DstWork::Lists(_))));
    }

    #[test]
    fn list_scratch_beyond_the_keep_is_given_back_after_the_request() {
        // Four 3 MiB data areas, then the list tables.
        let seg = 3usize << 20;
        let base = 0x100_0000u64;
        let tables = 4 * seg;
        let mem = OwnerMemory::regions();
        let buf = region(&mem, base, tables + 4096);
        let at = |k: usize| base + (k * seg) as u64;
        let list =
            |table: usize, entries: &[(u64, u32)]| sgl_at(&buf, base, tables + table, entries);
        let mut b = Buffers::new();

        // A small request: its scratch stays for the next one.
        let src = list(0, &[(at(0), 1000), (at(1), 1000)]);
        let dst = list(64, &[(at(2), 1000), (at(3), 1000)]);
        b.load(&mem, &src, &dst).unwrap();
        assert_eq!(copy_through(&mut b), 2000);
        b.release();
        assert!(b.gathered.capacity() >= 2000 && b.staged.capacity() >= 2000);

        // A 6 MiB one grows both and gives them back once answered.
        let n = seg as u32;
        let src = list(128, &[(at(0), n), (at(1), n)]);
        let dst = list(192, &[(at(2), n), (at(3), n)]);
        b.load(&mem, &src, &dst).unwrap();
        assert_eq!(copy_through(&mut b), 2 * seg);
        assert!(b.gathered.capacity() >= 2 * seg && b.staged.capacity() >= 2 * seg);
        b.release();
        assert_eq!((b.gathered.capacity(), b.staged.capacity()), (0, 0));
    }
}
