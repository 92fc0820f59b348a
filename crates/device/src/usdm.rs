//! DMA-able memory for requesters, after USDM (`qaeMemAllocNUMA`): the
//! library allocates request buffers from slabs of shared memory (memfds), so
//! the same buffer works in embedded mode (the engines are threads of this
//! process) and in managed mode (each slab is registered with `softqatd`,
//! which maps it and reaches it through the client's DMA map).
//!
//! - A buffer's DMA address (IOVA) is its virtual address in this process.
//!   In embedded mode the endpoint passes addresses through; in managed mode
//!   the daemon registers each slab at the IOVA range the client names and
//!   checks every descriptor against the client's ranges, so a client can name
//!   only its own slabs.
//! - Slabs are [`SLAB_SIZE`] bytes, carved in 64-byte units (the alignment
//!   the Programmer's Guide recommends) by first fit. A request larger than
//!   [`DEDICATED_ABOVE`] gets a slab of its own, released when the buffer is.
//! - Whoever must know about slabs (the managed-mode connection) installs a
//!   [`SlabObserver`]: it is told of every slab that exists when installed and
//!   of every slab created or released afterwards.
//!
//! # Unsafe
//! [`DmaChunk`] hands out `&[u8]` / `&mut [u8]` over a slab mapping. The
//! invariants: (1) the free list of a slab never gives out a byte twice —
//! ranges in use and free ranges partition the slab, checked by the tests —
//! so two chunks never alias; (2) a chunk holds its slab (`Arc`), so the
//! mapping outlives every slice; (3) the device writes a chunk only while a
//! request that names it is in flight, and the SAL keeps the chunk out of the
//! caller's reach for exactly that time (the buffer is moved into the
//! request), so no Rust reference exists while the device writes.

use std::sync::{Arc, Mutex, OnceLock};

use crate::error::DeviceError;
use crate::ipc::SharedMemory;

/// Size of a standard slab.
pub const SLAB_SIZE: usize = 2 << 20;
/// Buffers above this size get a dedicated slab.
pub const DEDICATED_ABOVE: usize = 1 << 20;
/// Allocation unit and alignment.
pub const UNIT: usize = 64;

/// A slab of shared memory buffers are carved from.
pub struct Slab {
    shm: SharedMemory,
    dedicated: bool,
    /// Free ranges in units, sorted by start, never adjacent (coalesced).
    free: Mutex<Vec<(u32, u32)>>,
}

impl std::fmt::Debug for Slab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Slab")
            .field("iova", &format_args!("{:#x}", self.iova()))
            .field("len", &self.len())
            .field("dedicated", &self.dedicated)
            .finish()
    }
}

impl Slab {
    fn new(len: usize, dedicated: bool) -> Result<Slab, DeviceError> {
        let shm = SharedMemory::create("softqat-dma", len)?;
        // A peer that maps the slab must be able to trust its size.
        shm.seal_size()?;
        let units = u32::try_from(len / UNIT).map_err(|_| DeviceError::NoMemory(len))?;
        Ok(Slab {
            shm,
            dedicated,
            free: Mutex::new(vec![(0, units)]),
        })
    }

    /// DMA address of the first byte (its virtual address here).
    pub fn iova(&self) -> u64 {
        self.shm.as_ptr().as_ptr() as u64
    }

    /// Bytes.
    pub fn len(&self) -> usize {
        self.shm.len()
    }

    /// Always false.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The memfd, to register the slab with a daemon.
    pub fn memory(&self) -> &SharedMemory {
        &self.shm
    }

    fn take(&self, units: u32) -> Option<u32> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        let i = free.iter().position(|&(_, n)| n >= units)?;
        let (start, n) = free[i];
        if n == units {
            free.remove(i);
        } else {
            free[i] = (start + units, n - units);
        }
        Some(start)
    }

    fn give_back(&self, start: u32, units: u32) {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        let at = free.partition_point(|&(s, _)| s < start);
        let joins_prev = at > 0 && free[at - 1].0 + free[at - 1].1 == start;
        let joins_next = at < free.len() && start + units == free[at].0;
        match (joins_prev, joins_next) {
            (true, true) => {
                free[at - 1].1 += units + free[at].1;
                free.remove(at);
            }
            (true, false) => free[at - 1].1 += units,
            (false, true) => free[at] = (start, units + free[at].1),
            (false, false) => free.insert(at, (start, units)),
        }
    }

    fn is_unused(&self) -> bool {
        let free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        free.len() == 1 && free[0] == (0, (self.len() / UNIT) as u32)
    }
}

/// Told about slabs: the managed-mode connection registers each with the
/// daemon. Called with the pool's lock held: do not allocate from the pool.
pub trait SlabObserver: Send + Sync {
    /// A slab exists (already, or new). An error makes a new allocation fail.
    fn added(&self, slab: &Slab) -> Result<(), DeviceError>;
    /// A slab is about to be unmapped.
    fn removed(&self, slab: &Slab);
}

/// The process's pool of DMA-able memory.
pub struct DmaPool {
    inner: Mutex<PoolInner>,
}

#[derive(Default)]
struct PoolInner {
    slabs: Vec<Arc<Slab>>,
    observers: Vec<(u64, Arc<dyn SlabObserver>)>,
    next_key: u64,
}

impl DmaPool {
    /// The pool of this process.
    pub fn global() -> &'static DmaPool {
        static POOL: OnceLock<DmaPool> = OnceLock::new();
        POOL.get_or_init(|| DmaPool {
            inner: Mutex::new(PoolInner::default()),
        })
    }

    /// A pool of its own (tests).
    pub fn new() -> DmaPool {
        DmaPool {
            inner: Mutex::new(PoolInner::default()),
        }
    }

    /// Allocates `capacity` bytes (at least one unit), zeroed.
    pub fn alloc(&self, capacity: usize) -> Result<DmaChunk, DeviceError> {
        let bytes = capacity.max(1).div_ceil(UNIT) * UNIT;
        let units = u32::try_from(bytes / UNIT).map_err(|_| DeviceError::NoMemory(capacity))?;
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if bytes <= DEDICATED_ABOVE {
            for slab in inner.slabs.iter().filter(|s| !s.dedicated) {
                if let Some(start) = slab.take(units) {
                    let chunk = DmaChunk {
                        slab: slab.clone(),
                        start,
                        units,
                    };
                    drop(inner);
                    let mut chunk = chunk;
                    chunk.as_mut_slice().fill(0);
                    return Ok(chunk);
                }
            }
        }
        let (len, dedicated) = if bytes > DEDICATED_ABOVE {
            (bytes.div_ceil(4096) * 4096, true)
        } else {
            (SLAB_SIZE, false)
        };
        let slab = Arc::new(Slab::new(len, dedicated)?);
        for (_, o) in &inner.observers {
            if let Err(e) = o.added(&slab) {
                for (_, o) in &inner.observers {
                    o.removed(&slab);
                }
                return Err(e);
            }
        }
        let start = slab.take(units).ok_or(DeviceError::NoMemory(bytes))?;
        inner.slabs.push(slab.clone());
        // A new memfd is zero-filled.
        Ok(DmaChunk { slab, start, units })
    }

    /// Installs an observer: it is told of every slab now, then of changes.
    /// Returns a key for [`remove_observer`](Self::remove_observer).
    pub fn add_observer(&self, o: Arc<dyn SlabObserver>) -> Result<u64, DeviceError> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        for s in &inner.slabs {
            o.added(s)?;
        }
        inner.next_key += 1;
        let key = inner.next_key;
        inner.observers.push((key, o));
        Ok(key)
    }

    /// Removes an observer.
    pub fn remove_observer(&self, key: u64) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.observers.retain(|(k, _)| *k != key);
    }

    /// Slabs mapped now.
    pub fn slab_count(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .slabs
            .len()
    }

    fn release(&self, chunk_slab: &Arc<Slab>) {
        if !chunk_slab.dedicated || !chunk_slab.is_unused() {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = inner.slabs.iter().position(|s| Arc::ptr_eq(s, chunk_slab)) {
            let slab = inner.slabs.remove(i);
            for (_, o) in &inner.observers {
                o.removed(&slab);
            }
        }
    }
}

impl Default for DmaPool {
    fn default() -> Self {
        DmaPool::new()
    }
}

/// A range of a slab owned by one buffer.
pub struct DmaChunk {
    slab: Arc<Slab>,
    start: u32,
    units: u32,
}

impl DmaChunk {
    /// Bytes available (a multiple of 64).
    pub fn capacity(&self) -> usize {
        self.units as usize * UNIT
    }

    /// DMA address of the first byte (64-byte aligned).
    pub fn iova(&self) -> u64 {
        self.slab.iova() + self.start as u64 * UNIT as u64
    }

    fn ptr(&self) -> *mut u8 {
        // SAFETY: start + units ≤ slab units (free-list invariant), so the
        // offset stays inside the mapping.
        unsafe {
            self.slab
                .shm
                .as_ptr()
                .as_ptr()
                .add(self.start as usize * UNIT)
        }
    }

    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: invariants 1–3 of the module: the range is inside a live
        // mapping (the Arc), owned by this chunk alone, not written by the
        // device while a reference exists.
        unsafe { std::slice::from_raw_parts(self.ptr(), self.capacity()) }
    }

    /// The bytes, mutable.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: as for `as_slice`; `&mut self` makes the reference unique.
        unsafe { std::slice::from_raw_parts_mut(self.ptr(), self.capacity()) }
    }
}

impl Drop for DmaChunk {
    fn drop(&mut self) {
        self.slab.give_back(self.start, self.units);
        if self.slab.dedicated {
            DmaPool::global().release(&self.slab);
        }
    }
}

impl std::fmt::Debug for DmaChunk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DmaChunk")
            .field("iova", &format_args!("{:#x}", self.iova()))
            .field("capacity", &self.capacity())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn chunks_are_aligned_zeroed_disjoint_and_reused() {
        let pool = DmaPool::new();
        let mut a = pool.alloc(100).unwrap();
        let mut b = pool.alloc(64).unwrap();
        assert_eq!(a.capacity(), 128);
        assert_eq!(a.iova() % 64, 0);
        assert_eq!(b.iova(), a.iova() + 128);
        a.as_mut_slice().fill(0xaa);
        b.as_mut_slice().fill(0xbb);
        assert!(a.as_slice().iter().all(|&x| x == 0xaa));
        let a_iova = a.iova();
        drop(a);
        // First fit reuses the hole, zeroed again.
        let c = pool.alloc(64).unwrap();
        assert_eq!(c.iova(), a_iova);
        assert!(c.as_slice().iter().all(|&x| x == 0));
        assert_eq!(pool.slab_count(), 1);
    }

    #[test]
    fn free_list_coalesces_into_one_range() {
        let pool = DmaPool::new();
        let chunks: Vec<_> = (1..40).map(|i| pool.alloc(i * 97).unwrap()).collect();
        // Free in an interleaved order.
        let (even, odd): (Vec<_>, Vec<_>) = chunks
            .into_iter()
            .enumerate()
            .partition(|(i, _)| i % 2 == 0);
        drop(odd);
        drop(even);
        let inner = pool.inner.lock().unwrap();
        assert!(inner.slabs.iter().all(|s| s.is_unused()));
    }

    #[test]
    fn observers_see_every_slab_and_big_buffers_get_their_own() {
        struct Count(AtomicUsize, AtomicUsize);
        impl SlabObserver for Count {
            fn added(&self, s: &Slab) -> Result<(), DeviceError> {
                assert!(s.memory().size_sealed().unwrap());
                self.0.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
            fn removed(&self, _: &Slab) {
                self.1.fetch_add(1, Ordering::SeqCst);
            }
        }
        let pool = DmaPool::global();
        let small = pool.alloc(4096).unwrap();
        let c = Arc::new(Count(AtomicUsize::new(0), AtomicUsize::new(0)));
        let key = pool.add_observer(c.clone()).unwrap();
        let existing = c.0.load(Ordering::SeqCst);
        assert!(existing >= 1);
        let big = pool.alloc(3 << 20).unwrap();
        assert_eq!(big.capacity(), 3 << 20);
        assert_eq!(c.0.load(Ordering::SeqCst), existing + 1);
        drop(big);
        assert_eq!(c.1.load(Ordering::SeqCst), 1);
        pool.remove_observer(key);
        drop(small);
    }
}
