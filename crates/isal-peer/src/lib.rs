//! ISA-L's igzip, loaded at run time: the peer the compression benchmarks
//! compare softqat's engine with, in the same run, on the same requests.
//!
//! ISA-L is Intel's own software path for QAT's formats, so it is the figure
//! softqat's deflate engine is held to. It is not a build dependency: the
//! library (`libisal.so.2`, Debian's `isal`/`libisal2` package) is opened with
//! `dlopen` when a benchmark asks for it, and [`Isal::load`] says what to
//! install when it is missing. Nothing in the product or the tests needs it.
//!
//! # Safety
//!
//! This is the only unsafe code of the crate, and all of it is here. The
//! invariants:
//! - the function pointers come from `dlsym` on a library that stays open as
//!   long as the [`Isal`] value (the handle is never closed);
//! - ISA-L's stream structures (`struct isal_zstream`, `struct inflate_state`)
//!   are larger than their public heads and their size varies by version, so
//!   each lives in a zeroed, 64-byte-aligned block of [`STATE_BYTES`] (more
//!   than any version's: 82 KiB and 87 KiB in 2.30); only the public head
//!   fields, whose offsets ISA-L keeps stable, are read and written, through
//!   `#[repr(C)]` mirrors of those heads;
//! - every pointer handed to ISA-L points into a slice borrowed for the call,
//!   with the matching length, and ISA-L keeps none of them after returning.

#![deny(unsafe_op_in_unsafe_fn)]

use std::ffi::{c_int, c_void, CStr};
use std::fmt;

/// Bytes reserved for one ISA-L stream structure (see the crate's safety notes).
const STATE_BYTES: usize = 256 * 1024;
/// `ISAL_DEF_LVL1_DEFAULT` … `LVL3_DEFAULT` are at most this (282,624 for
/// level 1 in 2.30): the level buffer the deeper levels need.
const LEVEL_BUF_BYTES: usize = 1 << 20;
/// ISA-L's `COMP_OK` / `ISAL_DECOMP_OK`.
const ISAL_OK: c_int = 0;

/// The public head of `struct isal_zstream` (igzip_lib.h).
#[repr(C)]
struct ZStreamHead {
    next_in: *const u8,
    avail_in: u32,
    total_in: u32,
    next_out: *mut u8,
    avail_out: u32,
    total_out: u32,
    hufftables: *mut c_void,
    level: u32,
    level_buf_size: u32,
    level_buf: *mut u8,
    end_of_stream: u16,
    flush: u16,
    gzip_flag: u16,
    hist_bits: u16,
}

/// The public head of `struct inflate_state` (igzip_lib.h).
#[repr(C)]
struct InflateHead {
    next_out: *mut u8,
    avail_out: u32,
    total_out: u32,
    next_in: *const u8,
    read_in: u64,
    avail_in: u32,
}

/// A zeroed, 64-byte-aligned block for one ISA-L structure.
#[repr(C, align(64))]
struct StateBlock([u8; STATE_BYTES]);

type InitFn = unsafe extern "C" fn(*mut c_void);
type RunFn = unsafe extern "C" fn(*mut c_void) -> c_int;

/// Why ISA-L could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IsalError {
    /// The library or one of its functions was not found.
    NotInstalled(String),
    /// An ISA-L call returned this error code.
    Call(&'static str, i32),
}

impl fmt::Display for IsalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IsalError::NotInstalled(why) => write!(
                f,
                "ISA-L is not available ({why}): install Debian's `isal` package \
                 (apt-get install isal) to compare with it"
            ),
            IsalError::Call(func, code) => write!(f, "ISA-L {func} returned {code}"),
        }
    }
}

impl std::error::Error for IsalError {}

/// ISA-L's stateless deflate and inflate, with reusable workspaces.
pub struct Isal {
    deflate_init: InitFn,
    deflate: RunFn,
    inflate_init: InitFn,
    inflate: RunFn,
    stream: Box<StateBlock>,
    level_buf: Vec<u8>,
}

// SAFETY: the function pointers are plain C functions, thread-agnostic; the
// workspaces are owned.
unsafe impl Send for Isal {}

fn zeroed_block() -> Box<StateBlock> {
    let layout = std::alloc::Layout::new::<StateBlock>();
    // SAFETY: the layout has a non-zero size; a zeroed StateBlock (plain
    // bytes) is valid, and a pointer from the global allocator with this
    // layout is what Box::from_raw takes ownership of.
    unsafe {
        let p = std::alloc::alloc_zeroed(layout) as *mut StateBlock;
        if p.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        Box::from_raw(p)
    }
}

impl Isal {
    /// Opens `libisal.so.2` (or `libisal.so`) and looks up the stateless calls.
    pub fn load() -> Result<Isal, IsalError> {
        let names: [&CStr; 2] = [c"libisal.so.2", c"libisal.so"];
        let mut handle = std::ptr::null_mut();
        for name in names {
            // SAFETY: a NUL-terminated name; dlopen has no other precondition.
            handle = unsafe { libc::dlopen(name.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
            if !handle.is_null() {
                break;
            }
        }
        if handle.is_null() {
            return Err(IsalError::NotInstalled("libisal.so.2 not found".into()));
        }
        let sym = |name: &CStr| -> Result<*mut c_void, IsalError> {
            // SAFETY: a live handle and a NUL-terminated name.
            let p = unsafe { libc::dlsym(handle, name.as_ptr()) };
            if p.is_null() {
                Err(IsalError::NotInstalled(format!(
                    "libisal has no {}",
                    name.to_string_lossy()
                )))
            } else {
                Ok(p)
            }
        };
        // SAFETY: each symbol is the C function of that name, whose signature
        // (igzip_lib.h) is the one it is cast to.
        let (deflate_init, deflate, inflate_init, inflate) = unsafe {
            (
                std::mem::transmute::<*mut c_void, InitFn>(sym(c"isal_deflate_stateless_init")?),
                std::mem::transmute::<*mut c_void, RunFn>(sym(c"isal_deflate_stateless")?),
                std::mem::transmute::<*mut c_void, InitFn>(sym(c"isal_inflate_init")?),
                std::mem::transmute::<*mut c_void, RunFn>(sym(c"isal_inflate_stateless")?),
            )
        };
        Ok(Isal {
            deflate_init,
            deflate,
            inflate_init,
            inflate,
            stream: zeroed_block(),
            level_buf: vec![0; LEVEL_BUF_BYTES],
        })
    }

    /// Compresses `src` into `dst` as one raw deflate stream at `level`
    /// (0–3), as `isal_deflate_stateless` does; returns the bytes written.
    pub fn deflate(&mut self, level: u32, src: &[u8], dst: &mut [u8]) -> Result<usize, IsalError> {
        let p = self.stream.0.as_mut_ptr() as *mut c_void;
        // SAFETY: `p` is a zeroed block larger than struct isal_zstream; the
        // init call writes only inside it.
        unsafe { (self.deflate_init)(p) };
        let head = p as *mut ZStreamHead;
        // SAFETY: the head mirrors the structure's first fields; every pointer
        // refers to a live slice of the stated length for the call.
        unsafe {
            (*head).next_in = src.as_ptr();
            (*head).avail_in = to_u32(src.len())?;
            (*head).next_out = dst.as_mut_ptr();
            (*head).avail_out = to_u32(dst.len())?;
            (*head).level = level;
            if level > 0 {
                (*head).level_buf = self.level_buf.as_mut_ptr();
                (*head).level_buf_size = to_u32(self.level_buf.len())?;
            }
            (*head).end_of_stream = 1;
            let rc = (self.deflate)(p);
            if rc != ISAL_OK {
                return Err(IsalError::Call("isal_deflate_stateless", rc));
            }
            Ok((*head).total_out as usize)
        }
    }

    /// Decodes the raw deflate stream `src` into `dst` with
    /// `isal_inflate_stateless`; returns the bytes written.
    pub fn inflate(&mut self, src: &[u8], dst: &mut [u8]) -> Result<usize, IsalError> {
        let p = self.stream.0.as_mut_ptr() as *mut c_void;
        // SAFETY: as in `deflate`, for struct inflate_state.
        unsafe { (self.inflate_init)(p) };
        let head = p as *mut InflateHead;
        // SAFETY: as in `deflate`.
        unsafe {
            (*head).next_in = src.as_ptr();
            (*head).avail_in = to_u32(src.len())?;
            (*head).next_out = dst.as_mut_ptr();
            (*head).avail_out = to_u32(dst.len())?;
            let rc = (self.inflate)(p);
            if rc != ISAL_OK {
                return Err(IsalError::Call("isal_inflate_stateless", rc));
            }
            Ok((*head).total_out as usize)
        }
    }
}

fn to_u32(n: usize) -> Result<u32, IsalError> {
    u32::try_from(n).map_err(|_| IsalError::Call("a buffer over 4 GiB", -1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Round trip through ISA-L where it is installed; where it is not, the
    /// error must say what to install (both outcomes are checked).
    #[test]
    fn round_trip_or_clear_error() {
        match Isal::load() {
            Ok(mut isal) => {
                let src: Vec<u8> = (0..100_000u32)
                    .map(|i| ((i % 251) ^ (i / 7)) as u8)
                    .collect();
                let mut z = vec![0; 200_000];
                let mut back = vec![0; src.len()];
                for level in [0, 1, 3] {
                    let n = isal.deflate(level, &src, &mut z).unwrap();
                    assert!(n > 0 && n < z.len());
                    let m = isal.inflate(&z[..n], &mut back).unwrap();
                    assert_eq!(&back[..m], &src[..]);
                }
                assert!(isal.inflate(&[0xff; 16], &mut back).is_err());
            }
            Err(e) => assert!(e.to_string().contains("apt-get install isal"), "{e}"),
        }
    }
}
