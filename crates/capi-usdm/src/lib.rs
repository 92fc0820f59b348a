//! `libusdm.so.0`: qatlib's user-space DMA memory library, as a forwarder.
//!
//! A process has one USDM state, and it lives in `libqat.so.4` (whose
//! request paths must know every DMA allocation). This library exports the
//! same 14 `qae*` functions and forwards each call to `libqat.so.4`'s, so a
//! program that links `-lusdm`, `-lqat` or both, in either order, allocates
//! from one pool. `libqat.so.4` is looked up next to this file first (the
//! installed pair), then on the library search path; if it cannot be found
//! the functions fail (NULL, 0, -1 or `CPA_STATUS_FAIL`) and say why once.
//!
//! # Unsafe
//! `dlopen`/`dlsym`/`dladdr` (FFI), and calls through the function
//! addresses `dlsym` returns: each is cast to the signature its name has in
//! `qae_mem.h`, which `libqat.so.4` defines with that signature.

use std::ffi::{c_int, c_void, CStr, CString};
use std::sync::OnceLock;

/// `libqat.so.4`'s handle, opened once (None: not found).
fn libqat() -> Option<usize> {
    static HANDLE: OnceLock<Option<usize>> = OnceLock::new();
    *HANDLE.get_or_init(|| {
        let mut tried = Vec::new();
        for name in candidates() {
            let Ok(c) = CString::new(name.clone()) else {
                continue;
            };
            // SAFETY: a NUL-terminated path; dlopen has no other precondition.
            let h = unsafe { libc::dlopen(c.as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL) };
            if !h.is_null() {
                return Some(h as usize);
            }
            tried.push(name);
        }
        eprintln!(
            "softqat libusdm: cannot load libqat.so.4 (tried {}): the qae* memory functions \
             fail; install libqat.so.4 beside libusdm.so.0 or put it on LD_LIBRARY_PATH",
            tried.join(", ")
        );
        None
    })
}

/// Where to look for `libqat.so.4`: beside this library, then by name.
fn candidates() -> Vec<String> {
    let mut out = Vec::new();
    // SAFETY: `Dl_info` is plain data; dladdr fills it for an address of
    // this library (a function of ours).
    let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
    let me = candidates as *const c_void;
    // SAFETY: as above.
    if unsafe { libc::dladdr(me, &mut info) } != 0 && !info.dli_fname.is_null() {
        // SAFETY: dladdr gives a NUL-terminated path that lives as long as
        // the library is loaded.
        let path = unsafe { CStr::from_ptr(info.dli_fname) }
            .to_string_lossy()
            .into_owned();
        if let Some(dir) = std::path::Path::new(&path).parent() {
            for f in ["libqat.so.4", "libqat.so"] {
                out.push(dir.join(f).to_string_lossy().into_owned());
            }
        }
    }
    out.push("libqat.so.4".to_string());
    out
}

/// The address of `name` in `libqat.so.4` (0 if missing).
fn symbol(name: &CStr) -> usize {
    match libqat() {
        // SAFETY: a live handle from dlopen and a NUL-terminated name.
        Some(h) => unsafe { libc::dlsym(h as *mut c_void, name.as_ptr()) as usize },
        None => 0,
    }
}

/// Defines a forwarding function: its address in libqat is looked up once;
/// missing, the call returns `$fail`.
macro_rules! forward {
    ($(#[$m:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $fail:expr;) => {
        $(#[$m])*
        ///
        /// # Safety
        /// The contract of the function in `qae_mem.h`: pointer arguments
        /// are NULL or valid as it describes.
        #[no_mangle]
        #[allow(clippy::unused_unit)]
        pub unsafe extern "C" fn $name($($arg: $ty),*) -> $ret {
            static ADDR: OnceLock<usize> = OnceLock::new();
            let addr = *ADDR.get_or_init(|| {
                // SAFETY: a literal without interior NUL.
                symbol(unsafe {
                    CStr::from_bytes_with_nul_unchecked(concat!(stringify!($name), "\0").as_bytes())
                })
            });
            if addr == 0 {
                return $fail;
            }
            // SAFETY: libqat.so.4 defines `$name` with this signature
            // (qae_mem.h); the address came from dlsym for that name.
            let f: unsafe extern "C" fn($($ty),*) -> $ret = unsafe { std::mem::transmute(addr) };
            // SAFETY: the caller's arguments, passed on unchanged.
            unsafe { f($($arg),*) }
        }
    };
}

forward! {
    /// `qaeMemInit`.
    fn qaeMemInit() -> i32 = -1;
}
forward! {
    /// `qaeMemDestroy`.
    fn qaeMemDestroy() -> () = ();
}
forward! {
    /// `qaeMemAlloc(memsize)`.
    fn qaeMemAlloc(size: usize) -> *mut c_void = std::ptr::null_mut();
}
forward! {
    /// `qaeMemFree(ptr)`.
    fn qaeMemFree(ptr: *mut *mut c_void) -> () = ();
}
forward! {
    /// `qaeMemAllocNUMA(size, node, phys_alignment_byte)`.
    fn qaeMemAllocNUMA(size: usize, node: c_int, align: usize) -> *mut c_void = std::ptr::null_mut();
}
forward! {
    /// `qaeMemFreeNUMA(ptr)`.
    fn qaeMemFreeNUMA(ptr: *mut *mut c_void) -> () = ();
}
forward! {
    /// `qaeMemFreeNonZeroNUMA(ptr)`.
    fn qaeMemFreeNonZeroNUMA(ptr: *mut *mut c_void) -> () = ();
}
forward! {
    /// `qaeVirtToPhysNUMA(pVirtAddr)`.
    fn qaeVirtToPhysNUMA(virt: *mut c_void) -> u64 = 0;
}
forward! {
    /// `qaePhysToVirtNUMA(physAddress)`.
    fn qaePhysToVirtNUMA(phys: u64) -> *mut c_void = std::ptr::null_mut();
}
forward! {
    /// `qaeRegisterDevice(fd)`.
    fn qaeRegisterDevice(fd: c_int) -> c_int = -1;
}
forward! {
    /// `qaeUnregisterDevice(fd)`.
    fn qaeUnregisterDevice(fd: c_int) -> c_int = -1;
}
forward! {
    /// `qaeMemMapContiguousIova(virt, size)`.
    fn qaeMemMapContiguousIova(virt: *mut c_void, size: usize) -> u64 = 0;
}
forward! {
    /// `qaeMemUnmapContiguousIova(virt, size)`.
    fn qaeMemUnmapContiguousIova(virt: *mut c_void, size: usize) -> c_int = -1;
}
forward! {
    /// `qaeAtFork()`.
    fn qaeAtFork() -> () = ();
}
