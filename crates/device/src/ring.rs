//! Ring pairs: a request ring and a response ring of plain-data descriptors in
//! one block of memory that may be shared between processes.
//!
//! Layout of a [`RingMemory`] with `S` slots (a power of two):
//!
//! ```text
//! offset 0     RingHeader: tail, head, armed — each on its own cache line
//! offset 256   S request slots  (RequestDesc, 128 bytes each)
//! then         S response slots (ResponseDesc, 32 bytes each)
//! ```
//!
//! The protocol (after io_uring and virtio): indices are free-running `u32`
//! counters; slot = index & (S − 1).
//! - The requester owns `tail`: it writes request slot `t`, then publishes
//!   `tail = t + 1` with Release.
//! - The device keeps its own dispatch counter (not in the shared block, so a
//!   client cannot move it): an engine claims request `d` when `d != tail`,
//!   reads the slot, computes, writes response slot `d`, and finally stores
//!   `seq = d + 1` with Release. Several engines may work on one ring at once;
//!   responses are still consumed in request order because the consumer waits
//!   for the `seq` of the next index.
//! - The requester owns `head`: it consumes response `h` once `seq == h + 1`,
//!   then publishes `head = h + 1`. A request index may be reused only after
//!   its response was consumed, so at most `capacity ≤ S` are in flight and a
//!   full ring answers RETRY.
//! - `armed` asks the device to signal the ring's notification eventfd after
//!   its next response (epoll mode and sleeping synchronous callers). It
//!   holds a *mark*, `head + 1` as the requester saw it when arming (31 bits;
//!   0: not armed), and only a response at or after that head signals: a
//!   response the requester consumed before it armed again must not leave the
//!   fd readable with nothing waiting. An engine that signals first swaps the
//!   mark for `SIGNALING`, writes the eventfd, then clears the word; the
//!   requester's [`RingProducer::rearm_exact`] waits for a signal in progress
//!   to land before it drains the fd, so no signal for an already consumed
//!   response arrives after the drain (the epoll contract: readable exactly
//!   while a response waits).
//!
//! Requester-private state — the reservation counter and one cookie per slot
//! (what the SAL needs to finish a request: its callback tag, buffers) — lives
//! in [`RingProducer`], never in the shared block.
//!
//! # Unsafe
//! This module is one of the few places with `unsafe`. Invariants:
//! 1. A `RingMemory` is a block of at least `RingMemory::size_for(slots)` bytes,
//!    aligned to 256, valid for reads and writes for the life of the value
//!    (heap blocks are owned; external blocks are kept alive by their handle).
//! 2. Header fields are only accessed as atomics. Slots are accessed with
//!    volatile copies of whole descriptors: a peer in another process may write
//!    them at any time, so the device copies a request out once, then validates
//!    the copy; any bit pattern is a valid descriptor (`Pod`).
//! 3. Cookie slot `i` is written by the single producer that reserved index `i`
//!    (before it publishes `tail`) and read by the single consumer that observed
//!    `seq == i + 1` (before it publishes `head`): the ring protocol gives each
//!    cookie slot exactly one owner at a time.

use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::any::Any;
use std::cell::UnsafeCell;
use std::mem::{size_of, MaybeUninit};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

use bytemuck::Zeroable;

use crate::desc::{RequestDesc, ResponseDesc};
use crate::error::DeviceError;
use crate::ipc::SharedMemory;
use crate::notify::EventFd;

const HEADER_SIZE: usize = 256;

/// `armed`: an engine is writing the eventfd right now.
const SIGNALING: u32 = 1 << 31;
/// `armed`: the bits of a mark.
const MARK_MASK: u32 = SIGNALING - 1;
/// How long a requester waits for an engine's signal in progress to land
/// before it drains anyway (an engine is a store and a `write` away; a
/// daemon that died mid-signal must not hang the requester).
const SIGNAL_SETTLE_LIMIT: std::time::Duration = std::time::Duration::from_millis(2);
const BLOCK_ALIGN: usize = 256;

/// The shared header: each counter on its own cache line.
#[repr(C, align(64))]
struct Line(AtomicU32);

#[repr(C)]
struct RingHeader {
    tail: Line,
    head: Line,
    armed: Line,
    slots: Line,
}

const _: () = assert!(size_of::<RingHeader>() <= HEADER_SIZE);

enum Backing {
    Heap(Layout),
    External(#[allow(dead_code)] Box<dyn Any + Send + Sync>),
}

/// One block of ring memory holding a request ring and a response ring.
pub struct RingMemory {
    base: NonNull<u8>,
    len: usize,
    slots: u32,
    backing: Backing,
}

// SAFETY: the block is plain memory accessed only through atomics and
// volatile whole-descriptor copies (invariant 2); it may be used from any thread.
unsafe impl Send for RingMemory {}
unsafe impl Sync for RingMemory {}

impl RingMemory {
    /// Bytes needed for a ring pair of `slots` slots.
    pub fn size_for(slots: u32) -> usize {
        HEADER_SIZE + slots as usize * (size_of::<RequestDesc>() + size_of::<ResponseDesc>())
    }

    fn check_slots(slots: u32) -> Result<(), DeviceError> {
        if slots.is_power_of_two() && (64..=65536).contains(&slots) {
            Ok(())
        } else {
            Err(DeviceError::BadRingSize(slots))
        }
    }

    /// A zeroed block in this process's heap.
    pub fn new_heap(slots: u32) -> Result<Arc<RingMemory>, DeviceError> {
        Self::check_slots(slots)?;
        let len = Self::size_for(slots);
        let layout =
            Layout::from_size_align(len, BLOCK_ALIGN).map_err(|_| DeviceError::NoMemory(len))?;
        // SAFETY: layout has non-zero size.
        let ptr = unsafe { alloc_zeroed(layout) };
        let base = NonNull::new(ptr).ok_or(DeviceError::NoMemory(len))?;
        let mem = RingMemory {
            base,
            len,
            slots,
            backing: Backing::Heap(layout),
        };
        mem.header().slots.0.store(slots, Ordering::Relaxed);
        Ok(Arc::new(mem))
    }

    /// A block mapped elsewhere (shared memory), kept alive by `keep`.
    ///
    /// # Safety
    /// `base..base + len` must be valid for reads and writes, aligned to 256,
    /// for as long as `keep` lives; `len >= size_for(slots)`.
    pub unsafe fn from_external(
        base: NonNull<u8>,
        len: usize,
        slots: u32,
        keep: Box<dyn Any + Send + Sync>,
    ) -> Result<Arc<RingMemory>, DeviceError> {
        Self::check_slots(slots)?;
        if len < Self::size_for(slots) || !(base.as_ptr() as usize).is_multiple_of(BLOCK_ALIGN) {
            return Err(DeviceError::NoMemory(Self::size_for(slots)));
        }
        Ok(Arc::new(RingMemory {
            base,
            len,
            slots,
            backing: Backing::External(keep),
        }))
    }

    /// The ring block at `offset` of a shared-memory mapping (managed mode:
    /// the daemon and the client each map the section's memfd and build the
    /// same blocks). `offset` must be a multiple of 256 and the block must
    /// fit; the mapping is kept alive by the ring memory.
    pub fn in_shared(
        shm: Arc<SharedMemory>,
        offset: usize,
        slots: u32,
    ) -> Result<Arc<RingMemory>, DeviceError> {
        Self::check_slots(slots)?;
        let size = Self::size_for(slots);
        let fits = offset.checked_add(size).is_some_and(|end| end <= shm.len());
        if !fits || !offset.is_multiple_of(BLOCK_ALIGN) {
            return Err(DeviceError::Os {
                what: "placing a ring block in shared memory",
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!(
                        "a block of {size} bytes at offset {offset} does not fit {} bytes \
                         or is not aligned to {BLOCK_ALIGN}",
                        shm.len()
                    ),
                ),
            });
        }
        // SAFETY: offset + size ≤ len of a live mapping (checked), and the
        // mapping is page-aligned so base + offset is 256-aligned; the Arc
        // moved into `keep` keeps it mapped as long as the ring memory.
        unsafe {
            let base = NonNull::new_unchecked(shm.as_ptr().as_ptr().add(offset));
            Self::from_external(base, size, slots, Box::new(shm))
        }
    }

    /// Number of slots in each ring.
    pub fn slots(&self) -> u32 {
        self.slots
    }

    /// Size of the block in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always false: a ring block is never empty.
    pub fn is_empty(&self) -> bool {
        false
    }

    fn header(&self) -> &RingHeader {
        // SAFETY: invariant 1; the header is at offset 0, aligned, and only
        // holds atomics.
        unsafe { &*(self.base.as_ptr() as *const RingHeader) }
    }

    fn request_ptr(&self, index: u32) -> *mut RequestDesc {
        let slot = (index & (self.slots - 1)) as usize;
        // SAFETY: slot < slots, so the pointer stays inside the block (invariant 1).
        unsafe {
            self.base
                .as_ptr()
                .add(HEADER_SIZE + slot * size_of::<RequestDesc>()) as *mut RequestDesc
        }
    }

    fn response_ptr(&self, index: u32) -> *mut ResponseDesc {
        let slot = (index & (self.slots - 1)) as usize;
        let base = HEADER_SIZE + self.slots as usize * size_of::<RequestDesc>();
        // SAFETY: slot < slots, so the pointer stays inside the block (invariant 1).
        unsafe {
            self.base
                .as_ptr()
                .add(base + slot * size_of::<ResponseDesc>()) as *mut ResponseDesc
        }
    }

    fn response_seq(&self, index: u32) -> &AtomicU32 {
        // SAFETY: `seq` is the first field of a 4-byte-aligned ResponseDesc
        // inside the block; it is only ever accessed atomically.
        unsafe { &*(self.response_ptr(index) as *const AtomicU32) }
    }

    /// Hints the CPU to bring request slot `index` into this core's cache
    /// (both of its lines), to read it or, with `write`, to write it.
    fn prefetch_request(&self, index: u32, write: bool) {
        let p = self.request_ptr(index) as *const u8;
        prefetch(p, write);
        // SAFETY: in bounds: a request slot is 128 bytes.
        prefetch(unsafe { p.add(64) }, write);
    }

    /// Hints the CPU to fetch response slot `index` for writing.
    fn prefetch_response_for_write(&self, index: u32) {
        prefetch(self.response_ptr(index) as *const u8, true);
    }

    fn read_request(&self, index: u32) -> RequestDesc {
        // Copied in 16-byte words, so the copy is stored in 16-byte words:
        // the engine then reads and moves it in loads the CPU forwards from
        // those stores. A field-by-field copy makes a wider load wait until
        // the stores reach the cache, and stores reach it in order, behind
        // the previous response's, whose line the requester's core holds:
        // the engine would stall for a cross-core transfer on every request.
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::__m128i;
            let src = self.request_ptr(index) as *const __m128i;
            // SAFETY: in-bounds (8 words of a 128-byte slot), aligned (slots
            // are 128-byte aligned in a 256-aligned block; SSE2 is part of
            // x86_64); volatile because a peer may write the slot
            // concurrently (invariant 2). Any bytes are a valid RequestDesc
            // (Pod) of the same size as the eight words.
            unsafe {
                let words: [__m128i; 8] =
                    std::array::from_fn(|i| std::ptr::read_volatile(src.add(i)));
                std::mem::transmute::<[__m128i; 8], RequestDesc>(words)
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        // SAFETY: in-bounds, aligned; volatile copy because a peer may write
        // the slot concurrently (invariant 2). Any bytes are a valid RequestDesc.
        unsafe {
            std::ptr::read_volatile(self.request_ptr(index))
        }
    }

    fn write_request(&self, index: u32, desc: &RequestDesc) {
        // SAFETY: in-bounds, aligned; the slot belongs to this producer until
        // it publishes tail (protocol).
        unsafe { std::ptr::write_volatile(self.request_ptr(index), *desc) }
    }

    fn read_response(&self, index: u32) -> ResponseDesc {
        // SAFETY: in-bounds, aligned; volatile copy (invariant 2).
        unsafe { std::ptr::read_volatile(self.response_ptr(index)) }
    }

    fn write_response_body(&self, index: u32, resp: &ResponseDesc) {
        // Everything but `seq` (word 0), which the caller stores last with
        // Release; word by word, as the descriptor is 4-byte aligned.
        let words: [u32; 8] = bytemuck::cast(*resp);
        let dst = self.response_ptr(index) as *mut u32;
        for (i, w) in words.iter().enumerate().skip(1) {
            // SAFETY: in-bounds (i < 8 words of a 32-byte, 4-byte-aligned
            // slot); the slot belongs to the engine that claimed this index
            // until it stores seq (protocol).
            unsafe { std::ptr::write_volatile(dst.add(i), *w) }
        }
    }
}

impl Drop for RingMemory {
    fn drop(&mut self) {
        if let Backing::Heap(layout) = self.backing {
            // SAFETY: allocated in new_heap with this layout.
            unsafe { dealloc(self.base.as_ptr(), layout) }
        }
    }
}

/// The requester's side of a ring pair: submits requests, consumes responses.
///
/// `T` is the cookie kept per in-flight request in requester-private memory.
pub struct RingProducer<T> {
    mem: Arc<RingMemory>,
    notify: Arc<EventFd>,
    capacity: u32,
    /// Next index to reserve; ahead of `tail` while requests are being written
    /// or (data plane) staged without being sent.
    reserve: AtomicU32,
    /// `tail` as this producer last published it, in private memory: every
    /// index below it has its cookie written. The poller never reads a cookie
    /// at or past it, whatever the shared response ring says.
    published: AtomicU32,
    /// Single-consumer guard of the response ring.
    polling: AtomicBool,
    cookies: Box<[UnsafeCell<MaybeUninit<T>>]>,
}

// SAFETY: cookies move between threads with their requests (T: Send); access
// to each cookie slot is exclusive by the ring protocol (invariant 3).
unsafe impl<T: Send> Send for RingProducer<T> {}
unsafe impl<T: Send> Sync for RingProducer<T> {}

/// Result of one poll of a response ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollOutcome {
    /// This many responses were consumed (possibly 0).
    Consumed(u32),
    /// Another thread is polling this ring right now.
    Busy,
}

struct PollGuard<'a>(&'a AtomicBool);
impl Drop for PollGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// A cache hint for the line at `p`: to read it, or (`write`) to own it
/// for writing. A hint only: it never faults and reads or writes nothing.
///
/// The write hint is PREFETCHW, issued by hand: Rust's `_MM_HINT_ET0`
/// compiles to a read prefetch unless the whole program is built for the
/// `prfchw` target feature, and a line fetched for reading arrives shared —
/// the store then still waits for the other core to give up its copy, the
/// transfer the hint was meant to take off the critical path.
#[inline]
fn prefetch(p: *const u8, write: bool) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        if write && has_prefetchw() {
            // SAFETY: PREFETCHW exists on this CPU (checked); like every
            // prefetch it accesses no memory architecturally and never
            // faults, whatever the address, and touches no flags or stack.
            unsafe {
                std::arch::asm!(
                    "prefetchw byte ptr [{p}]",
                    p = in(reg) p,
                    options(nostack, preserves_flags, readonly)
                );
            }
            return;
        }
        // SAFETY: as above, a hint that accesses no memory architecturally.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(p as *const i8) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (p, write);
}

/// Whether this CPU has PREFETCHW (CPUID 8000_0001h, ECX bit 8: AMD since
/// the K6-2, Intel since Broadwell), asked once.
#[cfg(target_arch = "x86_64")]
#[inline]
fn has_prefetchw() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| {
        #[allow(unused_unsafe)]
        // SAFETY: CPUID is available on every x86_64 CPU; leaf 8000_0001h
        // is asked only when the maximum extended leaf (8000_0000h) reaches
        // it.
        unsafe {
            use std::arch::x86_64::__cpuid;
            __cpuid(0x8000_0000).eax >= 0x8000_0001 && __cpuid(0x8000_0001).ecx & (1 << 8) != 0
        }
    })
}

/// Requests a claim takes whole however few wait (see
/// [`RingService::claim_batch`]).
pub const WHOLE_CLAIM: u32 = 4;

/// Requests an engine prefetches beyond the one it claims.
const PREFETCH_AHEAD: u32 = 4;

/// Request slots a staged batch fetches for writing before it writes them
/// (two lines each; beyond this the writes' own fetches overlap well enough).
const STAGE_PREFETCH: u32 = 32;

impl<T> RingProducer<T> {
    /// The requester side over `mem`, with at most `capacity` requests in
    /// flight (clamped to the slot count), signalled through `notify`.
    pub fn new(mem: Arc<RingMemory>, notify: Arc<EventFd>, capacity: u32) -> RingProducer<T> {
        let capacity = capacity.clamp(1, mem.slots);
        let head = mem.header().head.0.load(Ordering::Acquire);
        let cookies = (0..mem.slots)
            .map(|_| UnsafeCell::new(MaybeUninit::uninit()))
            .collect();
        RingProducer {
            mem,
            notify,
            capacity,
            reserve: AtomicU32::new(head),
            published: AtomicU32::new(head),
            polling: AtomicBool::new(false),
            cookies,
        }
    }

    /// Maximum requests in flight.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// The notification eventfd of this ring.
    pub fn notifier(&self) -> &Arc<EventFd> {
        &self.notify
    }

    /// Requests reserved but not yet answered and consumed.
    pub fn in_flight(&self) -> u32 {
        let head = self.mem.header().head.0.load(Ordering::Acquire);
        self.reserve.load(Ordering::Acquire).wrapping_sub(head)
    }

    /// Reserves `n` consecutive indices with one compare-and-swap; the
    /// first, or None when fewer than `n` are free.
    fn reserve_indices(&self, n: u32) -> Option<u32> {
        let header = self.mem.header();
        let mut r = self.reserve.load(Ordering::Relaxed);
        loop {
            let head = header.head.0.load(Ordering::Acquire);
            if r.wrapping_sub(head).saturating_add(n) > self.capacity {
                return None;
            }
            match self.reserve.compare_exchange_weak(
                r,
                r.wrapping_add(n),
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Some(r),
                Err(now) => r = now,
            }
        }
    }

    fn fill(&self, index: u32, desc: &RequestDesc, cookie: T) {
        let mut desc = *desc;
        desc.header.opaque = index;
        // SAFETY: invariant 3 — index was reserved by this call and is not yet
        // published, so this thread owns the cookie slot.
        unsafe {
            (*self.cookies[(index & (self.mem.slots - 1)) as usize].get()).write(cookie);
        }
        self.mem.write_request(index, &desc);
    }

    /// Writes a request and publishes it, in reservation order, for any number
    /// of submitting threads. `Err` gives the cookie back when the ring is full.
    pub fn submit(&self, desc: &RequestDesc, cookie: T) -> Result<u32, T> {
        let Some(index) = self.reserve_indices(1) else {
            return Err(cookie);
        };
        self.fill(index, desc, cookie);
        let tail = &self.mem.header().tail.0;
        // Publish in order: wait for earlier reservations to be published.
        // They are being written by other submitters right now (a few stores).
        let mut spins = 0u32;
        while tail.load(Ordering::Acquire) != index {
            spins += 1;
            if spins.is_multiple_of(64) {
                std::thread::yield_now();
            } else {
                std::hint::spin_loop();
            }
        }
        self.published
            .store(index.wrapping_add(1), Ordering::Release);
        tail.store(index.wrapping_add(1), Ordering::SeqCst);
        // The next slot's lines were last read on an engine's core: ask for
        // them for writing now, so the next submission's stores (and the
        // fence of its tail store) do not wait for them.
        self.mem.prefetch_request(index.wrapping_add(1), true);
        Ok(index)
    }

    /// Writes a request without publishing it (data-plane enqueue without
    /// perform-now). Only for a single submitting thread per ring, and never
    /// mixed with [`submit`](Self::submit) on the same ring.
    pub fn stage(&self, desc: &RequestDesc, cookie: T) -> Result<u32, T> {
        let Some(index) = self.reserve_indices(1) else {
            return Err(cookie);
        };
        self.fill(index, desc, cookie);
        Ok(index)
    }

    /// Stages a batch (data-plane enqueue of several requests): all of
    /// `items` or, when fewer slots are free, none — `Err` gives the
    /// iterator back untouched. Same rule as [`stage`](Self::stage): one
    /// submitting thread per ring.
    ///
    /// Why not [`stage`](Self::stage) in a loop: a request slot's lines were
    /// last read on an engine's core, so its stores wait for them to come
    /// back, and the locked reservation of the next request waits for those
    /// stores — one request at a time paid one cross-core transfer each.
    /// Here one reservation takes the whole batch and every slot is fetched
    /// for writing before the first is written, so the transfers overlap.
    /// An iterator that ends early leaves the rest of the reservation unused
    /// (given back: nothing was published past the last request written).
    pub fn stage_many<I>(&self, items: I) -> Result<(), I>
    where
        I: ExactSizeIterator<Item = (RequestDesc, T)>,
    {
        let n = items.len();
        let Ok(n) = u32::try_from(n) else {
            return Err(items);
        };
        if n == 0 {
            return Ok(());
        }
        let Some(first) = self.reserve_indices(n) else {
            return Err(items);
        };
        for k in 0..n.min(STAGE_PREFETCH) {
            self.mem.prefetch_request(first.wrapping_add(k), true);
        }
        let mut written = 0u32;
        for (desc, cookie) in items.take(n as usize) {
            self.fill(first.wrapping_add(written), &desc, cookie);
            written += 1;
        }
        if written < n {
            // Only this thread reserves on a staging ring, and nothing past
            // `first + written` was written or published.
            self.reserve
                .store(first.wrapping_add(written), Ordering::Release);
        }
        Ok(())
    }

    /// Publishes every staged request; true if there were any.
    pub fn publish(&self) -> bool {
        let tail = &self.mem.header().tail.0;
        let r = self.reserve.load(Ordering::Acquire);
        if tail.load(Ordering::Relaxed) == r {
            return false;
        }
        self.published.store(r, Ordering::Release);
        tail.store(r, Ordering::SeqCst);
        true
    }

    /// Requests staged but not yet published.
    pub fn staged(&self) -> u32 {
        let tail = self.mem.header().tail.0.load(Ordering::Acquire);
        self.reserve.load(Ordering::Acquire).wrapping_sub(tail)
    }

    /// True if the next response is ready.
    pub fn has_response(&self) -> bool {
        let head = self.mem.header().head.0.load(Ordering::Acquire);
        self.mem.response_seq(head).load(Ordering::SeqCst) == head.wrapping_add(1)
    }

    /// Consumes up to `quota` responses in order (0: as many as the ring
    /// holds), calling `f` with each response and its cookie after the slot
    /// has been released, so `f` may submit again.
    pub fn poll(&self, quota: u32, mut f: impl FnMut(ResponseDesc, T)) -> PollOutcome {
        if self
            .polling
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return PollOutcome::Busy;
        }
        let _guard = PollGuard(&self.polling);
        let limit = if quota == 0 { self.mem.slots } else { quota };
        let head = &self.mem.header().head.0;
        let mut h = head.load(Ordering::Relaxed);
        let mut n = 0;
        while n < limit {
            // Only an index this producer published can have a response: a
            // sequence word for any other (a peer writing garbage into the
            // shared ring) must not make us read a cookie never written.
            if h == self.published.load(Ordering::Acquire)
                || self.mem.response_seq(h).load(Ordering::Acquire) != h.wrapping_add(1)
            {
                break;
            }
            let resp = self.mem.read_response(h);
            // SAFETY: invariant 3 — h is below `published`, so request h was
            // published with its cookie written, and only this poller (guarded)
            // consumes index h; head has not moved past it yet.
            let cookie = unsafe {
                (*self.cookies[(h & (self.mem.slots - 1)) as usize].get()).assume_init_read()
            };
            h = h.wrapping_add(1);
            head.store(h, Ordering::Release);
            n += 1;
            f(resp, cookie);
        }
        if n > 0 {
            // As many requests are likely to follow as were answered: fetch
            // their slots for writing now (an engine read them last), so
            // that writing them does not wait.
            let r = self.reserve.load(Ordering::Relaxed);
            for k in 0..n.min(PREFETCH_AHEAD) {
                self.mem.prefetch_request(r.wrapping_add(k), true);
            }
        }
        PollOutcome::Consumed(n)
    }

    /// Asks the device to signal the notification fd after its next response.
    /// Returns true if a response is already waiting (then do not sleep).
    pub fn arm(&self) -> bool {
        let head = self.mem.header().head.0.load(Ordering::Acquire);
        // Never 0 (not armed), even when head + 1 wraps its 31 bits.
        let mark = (head.wrapping_add(1) & MARK_MASK).max(1);
        self.mem.header().armed.0.store(mark, Ordering::SeqCst);
        self.has_response()
    }

    /// The epoll protocol after a poll: the notification fd is left readable
    /// exactly while a response waits. Waits for an engine's signal in
    /// progress to land, drains the fd, arms, and signals it again if a
    /// response already waits.
    pub fn rearm_exact(&self) {
        let armed = &self.mem.header().armed.0;
        let start = std::time::Instant::now();
        while armed.load(Ordering::SeqCst) & SIGNALING != 0 {
            if start.elapsed() > SIGNAL_SETTLE_LIMIT {
                break;
            }
            std::hint::spin_loop();
        }
        self.notify.drain();
        if self.arm() {
            self.notify.signal();
        }
    }

    /// Withdraws a request to be notified.
    pub fn disarm(&self) {
        self.mem.header().armed.0.store(0, Ordering::SeqCst);
    }
}

impl<T> Drop for RingProducer<T> {
    fn drop(&mut self) {
        // Drop the cookies of requests still in flight (their responses will
        // never be consumed through this producer).
        let head = self.mem.header().head.0.load(Ordering::Acquire);
        let reserve = *self.reserve.get_mut();
        let mut i = head;
        while i != reserve {
            // SAFETY: indices in [head, reserve) hold written cookies that no
            // one else can consume: the producer is being dropped.
            unsafe {
                (*self.cookies[(i & (self.mem.slots - 1)) as usize].get()).assume_init_drop();
            }
            i = i.wrapping_add(1);
        }
    }
}

/// The device's side of a ring pair: engines claim requests and post responses.
pub struct RingService {
    mem: Arc<RingMemory>,
    notify: Arc<EventFd>,
    /// Next request to hand to an engine. Device-private: a client cannot move it.
    dispatch: AtomicU32,
    /// The requester published an impossible tail; the ring is ignored.
    faulted: AtomicBool,
}

impl RingService {
    /// The device side over `mem`, signalling `notify` when armed.
    pub fn new(mem: Arc<RingMemory>, notify: Arc<EventFd>) -> RingService {
        let tail = mem.header().tail.0.load(Ordering::Acquire);
        RingService {
            mem,
            notify,
            dispatch: AtomicU32::new(tail),
            faulted: AtomicBool::new(false),
        }
    }

    /// The ring memory.
    pub fn memory(&self) -> &Arc<RingMemory> {
        &self.mem
    }

    /// True once the requester published a tail more than a ring ahead.
    pub fn is_faulted(&self) -> bool {
        self.faulted.load(Ordering::Relaxed)
    }

    /// True if requests wait to be claimed.
    pub fn has_work(&self) -> bool {
        let tail = self.mem.header().tail.0.load(Ordering::Acquire);
        tail != self.dispatch.load(Ordering::Relaxed) && !self.is_faulted()
    }

    /// Claims the next request: its index and a copy of its descriptor.
    pub fn claim(&self) -> Option<(u32, RequestDesc)> {
        let mut seen = 0;
        self.claim_seen(&mut seen)
    }

    /// [`claim`](Self::claim) for an engine that remembers the tail it saw
    /// last (`seen`, 0 at first): while requests it already knows of remain,
    /// it does not read the tail — a cache line the requester writes with
    /// every submission. The tail only grows, so a tail seen earlier never
    /// promises a request that is not there.
    pub fn claim_seen(&self, seen: &mut u32) -> Option<(u32, RequestDesc)> {
        let mut one = [RequestDesc::zeroed()];
        let (index, _) = self.claim_batch(seen, &mut one)?;
        let [req] = one;
        Some((index, req))
    }

    /// [`claim_seen`](Self::claim_seen) for up to `out.len()` requests at
    /// once: the ones known to wait (reading the tail only when none is
    /// known), copied into `out`; returns the index of the first and how
    /// many. One compare-and-swap claims them all: a locked instruction
    /// waits until every earlier store of this core reached its cache —
    /// after a response, until the requester's core gave up the response
    /// line — so an engine pays that wait once per batch, not per request.
    /// Beyond [`WHOLE_CLAIM`] requests a claim takes at most half of those
    /// waiting: the rest stay for other engines and keep the requester's
    /// pipeline moving while these are served (their responses are posted
    /// together, after the last of them).
    pub fn claim_batch(&self, seen: &mut u32, out: &mut [RequestDesc]) -> Option<(u32, usize)> {
        if out.is_empty() {
            return None;
        }
        loop {
            let d = self.dispatch.load(Ordering::Acquire);
            let mut avail = seen.wrapping_sub(d);
            // Nothing known, or what is known is behind (another engine
            // claimed past it, or the counters wrapped): read the tail.
            if avail == 0 || avail > self.mem.slots {
                *seen = self.mem.header().tail.0.load(Ordering::Acquire);
                avail = seen.wrapping_sub(d);
            }
            if avail == 0 || self.is_faulted() {
                return None;
            }
            if avail > self.mem.slots {
                // `d` may be stale: other engines claimed and the requester
                // consumed and refilled the ring between the two loads. Only
                // a tail more than a ring ahead of the current dispatch
                // counter is impossible.
                if self.dispatch.load(Ordering::Acquire) != d {
                    continue;
                }
                // Only a broken or hostile requester does this; stop serving
                // the ring rather than read slots it is still writing.
                self.faulted.store(true, Ordering::Relaxed);
                return None;
            }
            let n = avail
                .min(out.len() as u32)
                .min((avail / 2).max(WHOLE_CLAIM));
            if self
                .dispatch
                .compare_exchange_weak(d, d.wrapping_add(n), Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                // The next requests were written on the requester's core:
                // start moving them here while these are served.
                for k in n..avail.min(n + PREFETCH_AHEAD) {
                    self.mem.prefetch_request(d.wrapping_add(k), false);
                }
                // And these requests' response slots, last read there.
                for k in 0..n {
                    self.mem.prefetch_response_for_write(d.wrapping_add(k));
                }
                for (k, slot) in out.iter_mut().take(n as usize).enumerate() {
                    *slot = self.mem.read_request(d.wrapping_add(k as u32));
                }
                return Some((d, n as usize));
            }
        }
    }

    /// Posts the response to request `index` and signals the notification fd
    /// if the requester armed it.
    pub fn complete(&self, index: u32, resp: &ResponseDesc) {
        self.post(index, resp);
        self.signal_posted(index);
    }

    /// Posts the response to request `index` without the notification
    /// check: an engine posting a batch calls [`RingService::signal_posted`]
    /// once after it, so a batch pays for one full fence, not one each (the
    /// fence waits for the response lines to reach the requester's core).
    pub fn post(&self, index: u32, resp: &ResponseDesc) {
        self.mem.write_response_body(index, resp);
        self.mem
            .response_seq(index)
            .store(index.wrapping_add(1), Ordering::Release);
    }

    /// The notification check for responses posted up to `last` (the
    /// highest index this engine posted since its previous check): signals
    /// the fd if the requester armed it at or before `last`.
    pub fn signal_posted(&self, last: u32) {
        // Pairs with the requester's SeqCst arm-then-check: either it sees
        // the posted seq, or this sees its mark.
        std::sync::atomic::fence(Ordering::SeqCst);
        let index = last;
        let armed = &self.mem.header().armed.0;
        let mark = armed.load(Ordering::SeqCst);
        // Armed at head `mark - 1`: a response before that head was consumed
        // before the requester armed, and must not signal.
        let since_head = index.wrapping_sub(mark.wrapping_sub(1)) & MARK_MASK;
        if mark != 0
            && mark & SIGNALING == 0
            && since_head < 1 << 30
            && armed
                .compare_exchange(mark, SIGNALING, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        {
            self.notify.signal();
            let _ = armed.compare_exchange(SIGNALING, 0, Ordering::SeqCst, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::Iova;
    use bytemuck::Zeroable;
    use softqat_cpa::CpaStatus;

    fn pair(slots: u32, capacity: u32) -> (RingProducer<u64>, RingService) {
        let mem = RingMemory::new_heap(slots).unwrap();
        let fd = Arc::new(EventFd::new().unwrap());
        (
            RingProducer::new(mem.clone(), fd.clone(), capacity),
            RingService::new(mem, fd),
        )
    }

    fn req(tag: u8) -> RequestDesc {
        let mut r = RequestDesc::zeroed();
        r.header.command = tag;
        r
    }

    #[test]
    fn an_engine_claims_from_the_tail_it_saw_and_rereads_it_only_when_needed() {
        // Any remembered tail — none yet, or one from far away (a wrapped
        // counter) — is read again rather than trusted or taken for a fault.
        for start in [0u32, u32::MAX - 5, 1 << 31] {
            let (p, s) = pair(64, 64);
            for t in 0..3 {
                p.submit(&req(t), u64::from(t)).unwrap();
            }
            let mut seen = start;
            let (i, r) = s.claim_seen(&mut seen).unwrap();
            assert_eq!((i, r.header.command, seen), (0, 0, 3), "from {start}");
            assert!(!s.is_faulted());
        }
        let (p, s) = pair(64, 64);
        for t in 0..3 {
            p.submit(&req(t), u64::from(t)).unwrap();
        }
        let mut seen = 0;
        assert_eq!(s.claim_seen(&mut seen).unwrap().0, 0);
        // Requests known from the tail seen are claimed without reading it;
        // then the tail is read for more.
        let mut seen = 3;
        assert_eq!(s.claim_seen(&mut seen).unwrap().0, 1);
        assert_eq!(s.claim_seen(&mut seen).unwrap().0, 2);
        assert!(s.claim_seen(&mut seen).is_none());
        p.submit(&req(7), 7).unwrap();
        let (i, r) = s.claim_seen(&mut seen).unwrap();
        assert_eq!((i, r.header.command, seen), (3, 7, 4));
        assert!(!s.is_faulted());
    }

    #[test]
    fn a_batch_claim_takes_the_known_requests_in_order_with_one_claim() {
        let (p, s) = pair(64, 64);
        for t in 0..10 {
            p.submit(&req(t), u64::from(t)).unwrap();
        }
        let mut seen = 0;
        let mut out = [RequestDesc::zeroed(); 4];
        let mut got = vec![];
        while let Some((first, n)) = s.claim_batch(&mut seen, &mut out) {
            assert_eq!(first, got.len() as u32, "in order, none skipped");
            got.extend(out[..n].iter().map(|r| r.header.command));
            // Each claimed request can be answered and consumed.
            for k in 0..n as u32 {
                s.complete(first + k, &ResponseDesc::default());
            }
        }
        assert_eq!(got, (0..10).collect::<Vec<u8>>());
        assert_eq!(seen, 10);
        let mut cookies = vec![];
        assert_eq!(p.poll(0, |_, c| cookies.push(c)), PollOutcome::Consumed(10));
        assert_eq!(cookies, (0..10).collect::<Vec<u64>>());
        // An empty batch claims nothing and leaves the ring as it was.
        p.submit(&req(42), 42).unwrap();
        assert!(s.claim_batch(&mut seen, &mut []).is_none());
        assert_eq!(s.claim().unwrap().1.header.command, 42);
    }

    #[test]
    fn batch_claims_by_several_engines_take_each_request_once() {
        let (p, s) = pair(256, 256);
        let s = Arc::new(s);
        let stop = Arc::new(AtomicBool::new(false));
        let engines: Vec<_> = (0..2)
            .map(|e| {
                let s = s.clone();
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let mut seen = 0;
                    let mut out = [RequestDesc::zeroed(); 4];
                    while !stop.load(Ordering::Relaxed) {
                        // One engine claims one at a time, the other in batches.
                        let room = if e == 0 { 1 } else { out.len() };
                        let Some((first, n)) = s.claim_batch(&mut seen, &mut out[..room]) else {
                            std::hint::spin_loop();
                            continue;
                        };
                        for (k, r) in out[..n].iter().enumerate() {
                            let resp = ResponseDesc {
                                result: [r.content.0 as u32, 0, 0, 0, 0],
                                ..Default::default()
                            };
                            s.complete(first.wrapping_add(k as u32), &resp);
                        }
                    }
                })
            })
            .collect();
        let total = 20_000u64;
        let (mut sent, mut done) = (0u64, 0u64);
        while done < total {
            while sent < total {
                let mut r = req(0);
                r.content = Iova(sent);
                if p.submit(&r, sent).is_err() {
                    break;
                }
                sent += 1;
            }
            p.poll(0, |r, c| {
                assert_eq!(u64::from(r.result[0]), c, "response matches its cookie");
                assert_eq!(c, done, "in request order, each once");
                done += 1;
            });
        }
        stop.store(true, Ordering::Relaxed);
        for e in engines {
            e.join().unwrap();
        }
        assert_eq!(p.in_flight(), 0);
        assert!(!s.is_faulted());
    }

    #[test]
    fn cache_hints_never_fault_and_prefetchw_is_what_the_cpu_reports() {
        let v = [0u8; 256];
        // Mapped, null, and a kernel address: a hint reads or writes
        // nothing and never faults, whichever instruction it is.
        for p in [
            v.as_ptr(),
            std::ptr::null(),
            0xffff_8000_0000_0000usize as *const u8,
        ] {
            prefetch(p, true);
            prefetch(p, false);
        }
        assert_eq!(v, [0u8; 256]);
        // The kernel's own reading of the same CPUID bit.
        #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
        if let Ok(info) = std::fs::read_to_string("/proc/cpuinfo") {
            let flagged = info
                .lines()
                .filter(|l| l.starts_with("flags"))
                .any(|l| l.split_whitespace().any(|f| f == "3dnowprefetch"));
            assert_eq!(has_prefetchw(), flagged);
        }
    }

    #[test]
    fn ring_sizes_are_checked() {
        for bad in [0, 1, 63, 100, 131072] {
            assert!(RingMemory::new_heap(bad).is_err(), "{bad}");
        }
        assert!(RingMemory::new_heap(64).is_ok());
    }

    #[test]
    fn full_ring_refuses_and_recovers() {
        let (p, s) = pair(64, 64);
        for i in 0..64u64 {
            assert!(p.submit(&req(1), i).is_ok());
        }
        assert_eq!(p.submit(&req(1), 99), Err(99));
        assert_eq!(p.in_flight(), 64);
        // Complete one; still full until it is consumed.
        let (idx, _) = s.claim().unwrap();
        s.complete(idx, &ResponseDesc::default());
        assert_eq!(p.submit(&req(1), 100), Err(100));
        let mut seen = vec![];
        assert_eq!(p.poll(0, |_, c| seen.push(c)), PollOutcome::Consumed(1));
        assert_eq!(seen, vec![0]);
        assert!(p.submit(&req(1), 101).is_ok());
    }

    #[test]
    fn responses_come_back_in_request_order_even_when_completed_out_of_order() {
        let (p, s) = pair(64, 64);
        for i in 0..3u64 {
            p.submit(&req(i as u8), i).unwrap();
        }
        let a = s.claim().unwrap();
        let b = s.claim().unwrap();
        let c = s.claim().unwrap();
        assert!(s.claim().is_none());
        assert_eq!(
            (a.1.header.command, b.1.header.command, c.1.header.command),
            (0, 1, 2)
        );
        let done = |i: u32| ResponseDesc {
            opaque: i,
            cpa_status: CpaStatus::Success.code() as i8,
            result: [i * 10, 0, 0, 0, 0],
            ..Default::default()
        };
        s.complete(c.0, &done(c.0));
        s.complete(b.0, &done(b.0));
        // Nothing consumable until the first completes.
        assert_eq!(p.poll(0, |_, _| {}), PollOutcome::Consumed(0));
        s.complete(a.0, &done(a.0));
        let mut got = vec![];
        p.poll(0, |r, c| got.push((r.opaque, r.result[0], c)));
        assert_eq!(got, vec![(0, 0, 0), (1, 10, 1), (2, 20, 2)]);
    }

    #[test]
    fn staged_requests_are_invisible_until_published() {
        let (p, s) = pair(64, 64);
        p.stage(&req(1), 1).unwrap();
        p.stage(&req(2), 2).unwrap();
        assert_eq!(p.staged(), 2);
        assert!(!s.has_work());
        assert!(p.publish());
        assert!(!p.publish());
        assert!(s.has_work());
        assert_eq!(s.claim().unwrap().1.header.command, 1);
        assert_eq!(s.claim().unwrap().1.header.command, 2);
    }

    #[test]
    fn a_claim_takes_a_few_whole_and_at_most_half_of_a_deeper_queue() {
        // (waiting, room in the claim) -> claimed.
        for (waiting, room, want) in [
            (3u8, 8usize, 3usize),
            (6, 8, WHOLE_CLAIM as usize),
            (10, 8, 5),
            (20, 8, 8),
            (20, 2, 2),
        ] {
            let (p, s) = pair(64, 64);
            for t in 0..waiting {
                p.submit(&req(t), u64::from(t)).unwrap();
            }
            let mut seen = 0;
            let mut out = vec![RequestDesc::zeroed(); room];
            let (first, n) = s.claim_batch(&mut seen, &mut out).unwrap();
            assert_eq!((first, n), (0, want), "{waiting} waiting, room {room}");
            let got: Vec<u8> = out[..n].iter().map(|r| r.header.command).collect();
            assert_eq!(got, (0..want as u8).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_staged_batch_is_queued_whole_in_order_or_not_at_all() {
        let (p, s) = pair(64, 8);
        p.stage(&req(100), 100).unwrap();
        let batch = |from: u8, n: u8| (from..from + n).map(|t| (req(t), u64::from(t)));
        // Eight fit beside the one staged: all or nothing.
        let refused = p.stage_many(batch(0, 8)).unwrap_err();
        assert_eq!(refused.len(), 8, "a refused batch comes back untouched");
        assert_eq!(p.staged(), 1);
        p.stage_many(batch(0, 7)).unwrap();
        assert_eq!((p.staged(), p.in_flight()), (8, 8));
        assert!(!s.has_work(), "staged, not published");
        p.stage_many(batch(50, 0)).unwrap();
        assert!(p.publish());
        let mut got = vec![];
        while let Some((i, r)) = s.claim() {
            got.push(r.header.command);
            s.complete(i, &ResponseDesc::default());
        }
        assert_eq!(got, [100, 0, 1, 2, 3, 4, 5, 6]);
        let mut cookies = vec![];
        p.poll(0, |_, c| cookies.push(c));
        assert_eq!(cookies, [100, 0, 1, 2, 3, 4, 5, 6]);
        // Batches that wrap the ring's slots, each followed by one whose
        // iterator ends before its stated length: what it gave is queued,
        // the rest of its reservation given back.
        #[derive(Debug)]
        struct Short(std::ops::Range<u8>);
        impl Iterator for Short {
            type Item = (RequestDesc, u64);
            fn next(&mut self) -> Option<Self::Item> {
                self.0.next().map(|t| (req(t), u64::from(t)))
            }
        }
        impl ExactSizeIterator for Short {
            fn len(&self) -> usize {
                self.0.len() + 1
            }
        }
        for round in 0..12 {
            p.stage_many(batch(10, 6)).unwrap();
            p.stage_many(Short(20..21)).unwrap();
            assert_eq!(p.staged(), 7, "round {round}");
            assert!(p.publish());
            let mut got = vec![];
            while let Some((i, r)) = s.claim() {
                got.push(r.header.command);
                s.complete(i, &ResponseDesc::default());
            }
            assert_eq!(got, [10, 11, 12, 13, 14, 15, 20], "round {round}");
            let mut cookies = vec![];
            p.poll(0, |_, c| cookies.push(c));
            assert_eq!(cookies, [10, 11, 12, 13, 14, 15, 20], "round {round}");
        }
        assert_eq!(p.in_flight(), 0);
    }

    #[test]
    fn quota_limits_a_poll_and_busy_reports_a_concurrent_poller() {
        let (p, s) = pair(64, 64);
        for i in 0..5u64 {
            p.submit(&req(0), i).unwrap();
            let (idx, _) = s.claim().unwrap();
            s.complete(idx, &ResponseDesc::default());
        }
        assert_eq!(p.poll(2, |_, _| {}), PollOutcome::Consumed(2));
        // A poll from inside a callback finds the ring busy.
        let mut inner = None;
        p.poll(1, |_, _| inner = Some(p.poll(0, |_, _| {})));
        assert_eq!(inner, Some(PollOutcome::Busy));
        assert_eq!(p.poll(0, |_, _| {}), PollOutcome::Consumed(2));
    }

    #[test]
    fn an_impossible_tail_faults_the_ring_instead_of_reading_garbage() {
        let (p, s) = pair(64, 64);
        p.mem.header().tail.0.store(1000, Ordering::SeqCst);
        assert!(s.claim().is_none());
        assert!(s.is_faulted());
        assert!(!s.has_work());
    }

    #[test]
    fn a_response_consumed_before_arming_does_not_signal() {
        let (p, s) = pair(64, 64);
        p.submit(&req(0), 0).unwrap();
        p.submit(&req(0), 1).unwrap();
        assert!(!p.arm());
        let (i0, _) = s.claim().unwrap();
        let (i1, _) = s.claim().unwrap();
        // Response 0 is written; the requester consumes it and arms again
        // before the engine looks at `armed`.
        s.mem.write_response_body(i0, &ResponseDesc::default());
        s.mem.response_seq(i0).store(i0 + 1, Ordering::SeqCst);
        assert_eq!(p.poll(0, |_, _| {}), PollOutcome::Consumed(1));
        assert!(!p.arm());
        // The engine's late look at `armed` for response 0: no signal.
        let mark = s.mem.header().armed.0.load(Ordering::SeqCst);
        assert_eq!(mark, 2, "armed at head 1");
        s.complete(i0, &ResponseDesc::default());
        assert!(!p.notifier().wait(Some(std::time::Duration::ZERO)));
        // Response 1 is at the armed head: it signals.
        s.complete(i1, &ResponseDesc::default());
        assert!(p.notifier().wait(Some(std::time::Duration::ZERO)));
    }

    #[test]
    fn armed_ring_signals_once() {
        let (p, s) = pair(64, 64);
        p.submit(&req(0), 0).unwrap();
        assert!(!p.arm());
        let (idx, _) = s.claim().unwrap();
        s.complete(idx, &ResponseDesc::default());
        assert!(p.notifier().wait(Some(std::time::Duration::from_millis(0))));
        p.notifier().drain();
        // Not re-armed: the next response does not signal.
        p.submit(&req(0), 1).unwrap();
        let (idx, _) = s.claim().unwrap();
        s.complete(idx, &ResponseDesc::default());
        assert!(!p.notifier().wait(Some(std::time::Duration::from_millis(0))));
        assert!(p.arm(), "a waiting response must be reported when arming");
    }

    #[test]
    fn many_threads_submit_while_engines_complete() {
        let (p, s) = pair(256, 256);
        let p = Arc::new(p);
        let s = Arc::new(s);
        let stop = Arc::new(AtomicBool::new(false));
        let engines: Vec<_> = (0..2)
            .map(|_| {
                let s = s.clone();
                let stop = stop.clone();
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        if let Some((idx, r)) = s.claim() {
                            let resp = ResponseDesc {
                                result: [r.content.0 as u32, 0, 0, 0, 0],
                                ..Default::default()
                            };
                            s.complete(idx, &resp);
                        } else {
                            std::hint::spin_loop();
                        }
                    }
                })
            })
            .collect();
        let per_thread = 5_000u64;
        let submitters: Vec<_> = (0..3u64)
            .map(|t| {
                let p = p.clone();
                std::thread::spawn(move || {
                    for i in 0..per_thread {
                        let mut r = req(0);
                        r.content = Iova(t * per_thread + i);
                        let mut cookie = t * per_thread + i;
                        loop {
                            match p.submit(&r, cookie) {
                                Ok(_) => break,
                                Err(c) => {
                                    cookie = c;
                                    std::thread::yield_now();
                                }
                            }
                        }
                    }
                })
            })
            .collect();
        let mut seen = std::collections::HashSet::new();
        let total = 3 * per_thread;
        while (seen.len() as u64) < total {
            p.poll(0, |r, c| {
                assert_eq!(u64::from(r.result[0]), c, "response matches its cookie");
                assert!(seen.insert(c));
            });
        }
        for t in submitters {
            t.join().unwrap();
        }
        stop.store(true, Ordering::Relaxed);
        for e in engines {
            e.join().unwrap();
        }
        assert_eq!(p.in_flight(), 0);
    }

    #[test]
    fn dropping_a_producer_drops_in_flight_cookies() {
        let (p, _s) = pair(64, 64);
        let marker = Arc::new(());
        let mem = RingMemory::new_heap(64).unwrap();
        let fd = Arc::new(EventFd::new().unwrap());
        let p2: RingProducer<Arc<()>> = RingProducer::new(mem, fd, 64);
        p2.submit(&req(0), marker.clone()).unwrap();
        p2.submit(&req(0), marker.clone()).unwrap();
        assert_eq!(Arc::strong_count(&marker), 3);
        drop(p2);
        assert_eq!(Arc::strong_count(&marker), 1);
        drop(p);
    }

    #[test]
    fn a_response_for_an_unpublished_index_is_never_consumed() {
        let (p, s) = pair(64, 64);
        // Staged, not published: a peer that writes its sequence word anyway
        // (the shared ring is writable by the device side) is ignored.
        p.stage(&req(1), 7).unwrap();
        p.mem.response_seq(0).store(1, Ordering::SeqCst);
        assert_eq!(
            p.poll(0, |_, _| panic!("consumed")),
            PollOutcome::Consumed(0)
        );
        // Nothing reserved at all: the same.
        let (q, _t) = pair(64, 64);
        q.mem.response_seq(0).store(1, Ordering::SeqCst);
        assert_eq!(
            q.poll(0, |_, _| panic!("consumed")),
            PollOutcome::Consumed(0)
        );
        // Once published and answered, it is consumed once.
        assert!(p.publish());
        let (idx, _) = s.claim().unwrap();
        s.complete(idx, &ResponseDesc::default());
        let mut got = vec![];
        assert_eq!(p.poll(0, |_, c| got.push(c)), PollOutcome::Consumed(1));
        assert_eq!(got, vec![7]);
    }
}
