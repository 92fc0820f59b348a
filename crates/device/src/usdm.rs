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
//! `prefer_node` also calls `mbind` on a slab's own mapping, which changes
//! where pages are placed and nothing the program can observe.

use std::sync::{Arc, Mutex, OnceLock};

use crate::error::DeviceError;
use crate::ipc::SharedMemory;

/// Size of a standard slab.
pub const SLAB_SIZE: usize = 2 << 20;
/// Buffers above this size get a dedicated slab.
pub const DEDICATED_ABOVE: usize = 1 << 20;
/// Allocation unit and alignment.
pub const UNIT: usize = 64;
/// The most one allocation may hold: 64 GiB, far above what one request
/// can carry (4 GiB) and low enough that no size arithmetic overflows.
pub const MAX_ALLOC: usize = 1 << 36;

/// A slab of shared memory buffers are carved from.
pub struct Slab {
    shm: SharedMemory,
    dedicated: bool,
    /// The NUMA node its pages are preferred on (None: the kernel's choice).
    node: Option<u32>,
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
    fn new(len: usize, dedicated: bool, node: Option<u32>) -> Result<Slab, DeviceError> {
        let shm = SharedMemory::create("softqat-dma", len)?;
        // A peer that maps the slab must be able to trust its size.
        shm.seal_size()?;
        if let Some(n) = node {
            prefer_node(&shm, n)?;
        }
        let units = u32::try_from(len / UNIT).map_err(|_| DeviceError::NoMemory(len))?;
        Ok(Slab {
            shm,
            dedicated,
            node,
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

    /// First fit of `units` units whose address is a multiple of `align`
    /// bytes (a power of two, at least one unit).
    fn take(&self, units: u32, align: u64) -> Option<u32> {
        let base = self.iova();
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        let (i, pad) = free.iter().enumerate().find_map(|(i, &(start, n))| {
            let addr = base + u64::from(start) * UNIT as u64;
            let pad = (addr.next_multiple_of(align) - addr) / UNIT as u64;
            let pad = u32::try_from(pad).ok()?;
            (u64::from(n) >= u64::from(pad) + u64::from(units)).then_some((i, pad))
        })?;
        let (start, n) = free[i];
        let at = start + pad;
        let rest = n - pad - units;
        match (pad, rest) {
            (0, 0) => {
                free.remove(i);
            }
            (0, _) => free[i] = (at + units, rest),
            (_, 0) => free[i] = (start, pad),
            _ => {
                free[i] = (start, pad);
                free.insert(i + 1, (at + units, rest));
            }
        }
        Some(at)
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

/// Asks the kernel to place the slab's pages on NUMA node `node`
/// (`MPOL_PREFERRED`, so an exhausted node falls back rather than failing).
fn prefer_node(shm: &SharedMemory, node: u32) -> Result<(), DeviceError> {
    let nodes = std::fs::read_dir("/sys/devices/system/node")
        .map(|d| {
            d.flatten()
                .filter(|e| {
                    e.file_name()
                        .to_str()
                        .and_then(|n| n.strip_prefix("node"))
                        .is_some_and(|n| n.parse::<u32>().is_ok())
                })
                .count()
        })
        .unwrap_or(1)
        .max(1);
    if node as usize >= nodes || node >= 64 {
        return Err(DeviceError::Os {
            what: "allocating DMA memory",
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("NUMA node {node} does not exist: this machine has {nodes} node(s)"),
            ),
        });
    }
    const MPOL_PREFERRED: libc::c_long = 1;
    let mask: libc::c_ulong = 1 << node;
    // SAFETY: mbind only sets the memory policy of a range of our own live
    // mapping (`shm`, invariant 1 of ipc) and reads one word of node mask
    // from a live local; it moves no memory the program can see.
    let r = unsafe {
        libc::syscall(
            libc::SYS_mbind,
            shm.as_ptr().as_ptr(),
            shm.len(),
            MPOL_PREFERRED,
            &mask as *const libc::c_ulong,
            64 as libc::c_ulong,
            0 as libc::c_ulong,
        )
    };
    // A kernel without NUMA support (ENOSYS) or a sandbox that forbids the
    // call (EPERM) has one node anyway: the memory is placed as it can be.
    if r != 0 {
        let e = std::io::Error::last_os_error();
        if !matches!(e.raw_os_error(), Some(libc::ENOSYS) | Some(libc::EPERM)) {
            return Err(DeviceError::Os {
                what: "mbind (NUMA placement of DMA memory)",
                source: e,
            });
        }
    }
    Ok(())
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

    /// Allocates `capacity` bytes (at least one unit), zeroed, 64-byte
    /// aligned, wherever the kernel places the pages.
    pub fn alloc(&self, capacity: usize) -> Result<DmaChunk, DeviceError> {
        self.alloc_numa(capacity, None, UNIT)
    }

    /// `qaeMemAllocNUMA(size, node, alignment)`: `capacity` bytes, zeroed,
    /// at an address that is a multiple of `align` (a power of two; at least
    /// 64 is used), from slabs whose pages are preferred on NUMA node `node`
    /// (`None`: no preference). A node this machine does not have is an error.
    pub fn alloc_numa(
        &self,
        capacity: usize,
        node: Option<u32>,
        align: usize,
    ) -> Result<DmaChunk, DeviceError> {
        if !align.is_power_of_two() || align > SLAB_SIZE {
            return Err(DeviceError::Os {
                what: "allocating DMA memory",
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("alignment {align} is not a power of two up to {SLAB_SIZE}"),
                ),
            });
        }
        let align = align.max(UNIT);
        // Checked before any rounding: a size near usize::MAX must not wrap
        // to a small (or empty) buffer.
        if capacity > MAX_ALLOC {
            return Err(DeviceError::TooLarge {
                len: capacity,
                max: MAX_ALLOC,
            });
        }
        let bytes = capacity.max(1).div_ceil(UNIT) * UNIT;
        let units = u32::try_from(bytes / UNIT).map_err(|_| DeviceError::TooLarge {
            len: capacity,
            max: MAX_ALLOC,
        })?;
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if bytes + align - UNIT <= DEDICATED_ABOVE {
            for slab in inner
                .slabs
                .iter()
                .filter(|s| !s.dedicated && s.node == node)
            {
                if let Some(start) = slab.take(units, align as u64) {
                    let mut chunk = DmaChunk {
                        slab: slab.clone(),
                        start,
                        units,
                    };
                    drop(inner);
                    chunk.as_mut_slice().fill(0);
                    return Ok(chunk);
                }
            }
        }
        // Room for the padding an alignment above the page size may need.
        let (len, dedicated) = if bytes + align - UNIT > DEDICATED_ABOVE {
            (
                (bytes + align.saturating_sub(4096)).div_ceil(4096) * 4096,
                true,
            )
        } else {
            (SLAB_SIZE, false)
        };
        let slab = Arc::new(Slab::new(len, dedicated, node)?);
        for (_, o) in &inner.observers {
            if let Err(e) = o.added(&slab) {
                for (_, o) in &inner.observers {
                    o.removed(&slab);
                }
                return Err(e);
            }
        }
        let start = slab
            .take(units, align as u64)
            .ok_or(DeviceError::NoMemory(bytes))?;
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

    /// In a child process after `fork()` (`qaeAtFork`): the slabs the pool
    /// holds are mapped shared with the parent, so the pool stops handing
    /// out memory from them (new allocations get new slabs, this process's
    /// own), and forgets the parent's observers (its managed-mode
    /// connection belongs to the parent). Allocations made before the fork
    /// stay valid and stay shared. Returns how many slabs were let go.
    pub fn after_fork(&self) -> usize {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.observers.clear();
        std::mem::take(&mut inner.slabs).len()
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
    fn sizes_past_the_limit_are_refused_not_wrapped() {
        let pool = DmaPool::new();
        for n in [usize::MAX, usize::MAX - 63, MAX_ALLOC + 1] {
            match pool.alloc(n) {
                Err(e @ DeviceError::TooLarge { .. }) => {
                    assert!(e.to_string().contains("split the data"), "{e}")
                }
                other => panic!("{n} bytes: {other:?}"),
            }
        }
        assert_eq!(pool.slab_count(), 0);
    }

    #[test]
    fn aligned_and_numa_allocations() {
        let pool = DmaPool::new();
        let _skew = pool.alloc(64).unwrap();
        for align in [64usize, 128, 4096, 65536, 1 << 20] {
            let c = pool.alloc_numa(1000, Some(0), align).unwrap();
            assert_eq!(c.iova() % align as u64, 0, "align {align}");
            assert!(c.as_slice().iter().all(|&x| x == 0));
        }
        // Big and more aligned than a page: a dedicated slab with room.
        let big = pool.alloc_numa(3 << 20, None, 1 << 21).unwrap();
        assert_eq!(big.iova() % (1 << 21), 0);
        assert_eq!(big.capacity(), 3 << 20);
        assert!(pool.alloc_numa(64, None, 3000).is_err());
        let e = pool.alloc_numa(64, Some(999), 64).unwrap_err().to_string();
        assert!(e.contains("NUMA node 999"), "{e}");
        // Node slabs and default slabs are kept apart.
        let inner = pool.inner.lock().unwrap();
        assert!(inner.slabs.iter().any(|s| s.node == Some(0)));
        assert!(inner.slabs.iter().any(|s| s.node.is_none()));
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
