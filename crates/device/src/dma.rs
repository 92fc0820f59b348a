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
//!   alive until the response is consumed. Checks still reject null, wrapping
//!   and over-long buffers.
//!
//! # Unsafe
//! [`with_buffers`] turns translated spans into slices. Its invariants: a span
//! comes either from a registered region (whose registrant guaranteed the
//! memory stays mapped while the region's keep-alive handle lives, and the span
//! holds that handle) or from a passthrough owner (whose SAL guarantees the
//! memory stays valid and unaliased until the response is consumed); the
//! source and destination do not overlap (checked), so the shared and the
//! mutable slice never alias.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use crate::desc::{BufferDesc, BUF_FLAT};

/// A DMA address: what descriptors use to name memory. Never a Rust pointer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct Iova(pub u64);

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
    /// The source and destination buffers overlap.
    #[error("source and destination buffers overlap")]
    Overlap,
    /// A buffer layout the device does not know.
    #[error("unknown buffer kind {0}")]
    BadKind(u32),
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
}

/// The memory map of one owner.
pub struct OwnerMemory {
    passthrough: bool,
    /// Sorted by `iova`, non-overlapping. Read on every request; written only
    /// when the owner registers or releases memory.
    regions: RwLock<Vec<Region>>,
}

impl OwnerMemory {
    /// A passthrough map (IOVA = virtual address), for the embedded owner only.
    pub fn passthrough() -> Arc<OwnerMemory> {
        Arc::new(OwnerMemory {
            passthrough: true,
            regions: RwLock::new(Vec::new()),
        })
    }

    /// An empty region map.
    pub fn regions() -> Arc<OwnerMemory> {
        Arc::new(OwnerMemory {
            passthrough: false,
            regions: RwLock::new(Vec::new()),
        })
    }

    /// Whether this map passes addresses through untranslated.
    pub fn is_passthrough(&self) -> bool {
        self.passthrough
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

    /// Translates and bounds-checks a buffer descriptor.
    pub fn translate(&self, buf: &BufferDesc) -> Result<DmaSpan, DmaError> {
        if buf.kind != BUF_FLAT {
            return Err(DmaError::BadKind(buf.kind));
        }
        let len = u64::from(buf.len);
        if len == 0 {
            // An empty buffer names no memory; any address will do.
            return Ok(DmaSpan {
                host: 0,
                len: 0,
                _keep: None,
            });
        }
        if buf.addr == 0 {
            return Err(DmaError::Null);
        }
        let out_of_range = DmaError::OutOfRange {
            addr: buf.addr,
            len,
        };
        let end = buf.addr.checked_add(len).ok_or(DmaError::OutOfRange {
            addr: buf.addr,
            len,
        })?;
        if self.passthrough {
            if end > usize::MAX as u64 || end > isize::MAX as u64 {
                return Err(out_of_range);
            }
            return Ok(DmaSpan {
                host: buf.addr as usize,
                len: len as usize,
                _keep: None,
            });
        }
        let regions = self.regions.read().unwrap_or_else(|e| e.into_inner());
        let at = regions.partition_point(|r| r.iova <= buf.addr);
        if at == 0 {
            return Err(out_of_range);
        }
        let r = &regions[at - 1];
        if end > r.iova + r.len {
            return Err(out_of_range);
        }
        Ok(DmaSpan {
            host: r.host + (buf.addr - r.iova) as usize,
            len: len as usize,
            _keep: Some(r.keep.clone()),
        })
    }
}

/// Runs `f` with the source as a shared slice and the destination as a
/// mutable slice. Fails if the two overlap.
pub fn with_buffers<R>(
    src: &DmaSpan,
    dst: &DmaSpan,
    f: impl FnOnce(&[u8], &mut [u8]) -> R,
) -> Result<R, DmaError> {
    let overlap = !src.is_empty()
        && !dst.is_empty()
        && src.host < dst.host + dst.len
        && dst.host < src.host + src.len;
    if overlap {
        return Err(DmaError::Overlap);
    }
    // SAFETY: see the module documentation — both spans name live memory of
    // this process for their whole length (registered regions held alive by
    // the spans, or passthrough memory kept alive by the embedded SAL until
    // the response is consumed), and they do not overlap (checked above).
    // Empty spans become empty slices without touching their address.
    let (s, d) = unsafe {
        let s: &[u8] = if src.is_empty() {
            &[]
        } else {
            std::slice::from_raw_parts(src.host as *const u8, src.len)
        };
        let d: &mut [u8] = if dst.is_empty() {
            &mut []
        } else {
            std::slice::from_raw_parts_mut(dst.host as *mut u8, dst.len)
        };
        (s, d)
    };
    Ok(f(s, d))
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
        BufferDesc {
            addr,
            len,
            kind: BUF_FLAT,
        }
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
        assert!(mem.translate(&flat(0x10000, 4096)).is_ok());
        assert!(mem.translate(&flat(0x10ff0, 16)).is_ok());
        assert_eq!(
            mem.translate(&flat(0x10ff0, 17)).err(),
            Some(DmaError::OutOfRange {
                addr: 0x10ff0,
                len: 17
            })
        );
        // Spanning two regions that are not contiguous is out of range.
        assert!(mem.translate(&flat(0x10000, 0x10001)).is_err());
        // Before the first region, between regions, after the last.
        assert!(mem.translate(&flat(0x1000, 1)).is_err());
        assert!(mem.translate(&flat(0x18000, 1)).is_err());
        assert!(mem.translate(&flat(0x30000, 1)).is_err());
        // Wrapping arithmetic and null.
        assert!(mem.translate(&flat(u64::MAX - 2, 8)).is_err());
        assert_eq!(mem.translate(&flat(0, 1)).err(), Some(DmaError::Null));
        assert_eq!(
            mem.translate(&BufferDesc {
                addr: 0x10000,
                len: 1,
                kind: 7
            })
            .err(),
            Some(DmaError::BadKind(7))
        );
        // The translated span reaches the registered bytes.
        a.lock().unwrap()[5] = 42;
        let span = mem.translate(&flat(0x10005, 1)).unwrap();
        let empty = mem.translate(&flat(0, 0)).unwrap();
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
        let span = mem.translate(&flat(0x10000, 64)).unwrap();
        assert!(mem.unregister(Iova(0x10000)));
        drop(a);
        let empty = mem.translate(&flat(0, 0)).unwrap();
        assert_eq!(with_buffers(&span, &empty, |s, _| s[0]).unwrap(), 7);
        assert!(mem.translate(&flat(0x10000, 1)).is_err());
    }

    #[test]
    fn overlapping_source_and_destination_are_refused() {
        let mem = OwnerMemory::passthrough();
        let mut buf = vec![0u8; 64];
        let base = buf.as_mut_ptr() as u64;
        let s = mem.translate(&flat(base, 32)).unwrap();
        let d = mem.translate(&flat(base + 16, 32)).unwrap();
        assert_eq!(
            with_buffers(&s, &d, |_, _| ()).err(),
            Some(DmaError::Overlap)
        );
        let d = mem.translate(&flat(base + 32, 32)).unwrap();
        with_buffers(&s, &d, |s, d| d[..4].copy_from_slice(&s[..4])).unwrap();
    }
}
