//! `qae_mem.h`: DMA-able memory for C programs (USDM).
//!
//! Allocations come from the process's DMA pool (memfd slabs, see
//! `softqat_device::usdm`), so the same buffer works in embedded mode and in
//! managed mode, where each slab is registered with `softqatd`. A buffer's
//! DMA ("physical") address is its virtual address: `qaeVirtToPhysNUMA` and
//! `qaePhysToVirtNUMA` are identities over live allocations (0 / NULL for an
//! address no allocation holds), which is what the data-plane APIs'
//! `CpaPhysicalAddr` fields carry.
//!
//! This library owns the process's one USDM state; `libusdm.so.0` forwards
//! its functions here, so a program that links both sees one pool.

use std::collections::BTreeMap;
use std::ffi::c_void;
use std::sync::{OnceLock, RwLock};

use softqat_device::usdm::{DmaChunk, DmaPool};

use crate::ffi::{entry_value, entry_void, Error, Status, SUCCESS};

/// The live allocations, by start address. Read on request paths (the
/// data-plane APIs check their addresses here), written by alloc and free.
fn allocations() -> &'static RwLock<BTreeMap<usize, DmaChunk>> {
    static LIVE: OnceLock<RwLock<BTreeMap<usize, DmaChunk>>> = OnceLock::new();
    LIVE.get_or_init(|| RwLock::new(BTreeMap::new()))
}

/// The allocation holding `addr..addr + len`, as (start, capacity).
pub fn find(addr: usize, len: usize) -> Option<(usize, usize)> {
    let live = allocations().read().unwrap_or_else(|e| e.into_inner());
    let (&start, chunk) = live.range(..=addr).next_back()?;
    let end = start + chunk.capacity();
    (addr.checked_add(len)? <= end && addr < end.max(start + 1))
        .then_some((start, chunk.capacity()))
}

fn alloc(size: usize, node: Option<u32>, align: usize) -> Result<*mut c_void, Error> {
    if size == 0 {
        return Err(Error::invalid("size 0: ask for at least one byte"));
    }
    let pool = DmaPool::global();
    let chunk = pool
        .alloc_numa(size, node, align)
        .map_err(|e| Error::resource(format!("cannot allocate {size} bytes of DMA memory: {e}")))?;
    let start = chunk.iova() as usize;
    allocations()
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(start, chunk);
    Ok(start as *mut c_void)
}

fn free(function: &'static str, ptr: *mut *mut c_void) {
    entry_void(function, || {
        if ptr.is_null() {
            return;
        }
        // SAFETY: `ptr` is the caller's `void **`, valid for the call.
        let p = unsafe { *ptr };
        if p.is_null() {
            return;
        }
        let removed = allocations()
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&(p as usize));
        match removed {
            Some(chunk) => {
                drop(chunk);
                // SAFETY: as above.
                unsafe { *ptr = std::ptr::null_mut() };
            }
            None => eprintln!(
                "softqat: {function}: {p:p} is not the start of memory from qaeMemAlloc or \
                 qaeMemAllocNUMA: nothing freed"
            ),
        }
    })
}

/// `qaeMemInit`: nothing to open (there is no `/dev/usdm_drv`); SUCCESS.
#[no_mangle]
pub extern "C" fn qaeMemInit() -> Status {
    SUCCESS
}

/// `qaeMemDestroy`: memory still allocated stays valid until freed.
#[no_mangle]
pub extern "C" fn qaeMemDestroy() {}

/// `qaeMemAlloc`: `size` bytes of zeroed memory (DMA-able here too, so it
/// also works as request memory in managed mode).
#[no_mangle]
pub extern "C" fn qaeMemAlloc(size: usize) -> *mut c_void {
    entry_value("qaeMemAlloc", std::ptr::null_mut(), || {
        alloc(size, None, 64)
    })
}

/// `qaeMemFree`: frees and sets `*ptr` to NULL.
///
/// # Safety
/// `ptr` is NULL or points at a pointer from `qaeMemAlloc`.
#[no_mangle]
pub unsafe extern "C" fn qaeMemFree(ptr: *mut *mut c_void) {
    free("qaeMemFree", ptr)
}

/// `qaeMemAllocNUMA(size, node, phys_alignment_byte)`: zeroed DMA memory,
/// aligned as asked (a power of two), its pages preferred on `node`.
#[no_mangle]
pub extern "C" fn qaeMemAllocNUMA(
    size: usize,
    node: i32,
    phys_alignment_byte: usize,
) -> *mut c_void {
    entry_value("qaeMemAllocNUMA", std::ptr::null_mut(), || {
        let node = u32::try_from(node).ok();
        let align = phys_alignment_byte.max(1);
        if !align.is_power_of_two() {
            return Err(Error::invalid(format!(
                "alignment {phys_alignment_byte} is not a power of two"
            )));
        }
        alloc(size, node, align)
    })
}

/// `qaeMemFreeNUMA`: frees and sets `*ptr` to NULL.
///
/// # Safety
/// `ptr` is NULL or points at a pointer from `qaeMemAllocNUMA`.
#[no_mangle]
pub unsafe extern "C" fn qaeMemFreeNUMA(ptr: *mut *mut c_void) {
    free("qaeMemFreeNUMA", ptr)
}

/// `qaeMemFreeNonZeroNUMA`: as `qaeMemFreeNUMA` (memory is zeroed when it
/// is next allocated, not when freed).
///
/// # Safety
/// As `qaeMemFreeNUMA`.
#[no_mangle]
pub unsafe extern "C" fn qaeMemFreeNonZeroNUMA(ptr: *mut *mut c_void) {
    free("qaeMemFreeNonZeroNUMA", ptr)
}

/// `qaeVirtToPhysNUMA`: the DMA address of a byte of a live allocation
/// (its virtual address), 0 for any other address.
#[no_mangle]
pub extern "C" fn qaeVirtToPhysNUMA(virt: *mut c_void) -> u64 {
    entry_value("qaeVirtToPhysNUMA", 0, || {
        Ok(find(virt as usize, 1).map_or(0, |_| virt as u64))
    })
}

/// `qaePhysToVirtNUMA`: the inverse of `qaeVirtToPhysNUMA`.
#[no_mangle]
pub extern "C" fn qaePhysToVirtNUMA(phys: u64) -> *mut c_void {
    entry_value("qaePhysToVirtNUMA", std::ptr::null_mut(), || {
        Ok(match find(phys as usize, 1) {
            Some(_) => phys as usize as *mut c_void,
            None => std::ptr::null_mut(),
        })
    })
}

/// `qaeRegisterDevice(fd)`: VFIO containers do not exist here; 0 (success,
/// nothing to register).
#[no_mangle]
pub extern "C" fn qaeRegisterDevice(_fd: i32) -> i32 {
    0
}

/// `qaeUnregisterDevice(fd)`: 0.
#[no_mangle]
pub extern "C" fn qaeUnregisterDevice(_fd: i32) -> i32 {
    0
}

/// `qaeMemMapContiguousIova(virt, size)`: the IOVA of memory the caller
/// mapped itself. softqat's IOVA is the virtual address, and only memory
/// from `qaeMemAllocNUMA` is reachable in managed mode: returns the address
/// for such memory, 0 (failure) for any other.
#[no_mangle]
pub extern "C" fn qaeMemMapContiguousIova(virt: *mut c_void, size: usize) -> u64 {
    entry_value("qaeMemMapContiguousIova", 0, || {
        if find(virt as usize, size.max(1)).is_some() {
            return Ok(virt as u64);
        }
        Err(Error::unsupported(
            "mapping memory softqat did not allocate is not supported: allocate it with \
             qaeMemAllocNUMA (its IOVA is its address)",
        ))
    })
}

/// `qaeMemUnmapContiguousIova(virt, size)`: 0 for memory
/// `qaeMemMapContiguousIova` accepted, -1 otherwise.
#[no_mangle]
pub extern "C" fn qaeMemUnmapContiguousIova(virt: *mut c_void, size: usize) -> i32 {
    if find(virt as usize, size.max(1)).is_some() {
        0
    } else {
        -1
    }
}

/// `qaeAtFork`: called in a child after `fork()`. The parent's DMA slabs
/// are mapped shared, so new allocations come from new slabs of the
/// child's own; allocations made before the fork stay valid and stay shared
/// with the parent (do not use them as request buffers in both processes —
/// qatlib refuses to remap them too). The child starts its own section with
/// `icp_sal_userStart`.
#[no_mangle]
pub extern "C" fn qaeAtFork() {
    entry_void("qaeAtFork", || {
        let shared = DmaPool::global().after_fork();
        let live = allocations()
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .len();
        if live > 0 {
            eprintln!(
                "softqat: qaeAtFork: {live} allocations in {shared} slabs made before fork() stay \
                 shared with the parent; new allocations are this process's own"
            );
        }
    })
}
