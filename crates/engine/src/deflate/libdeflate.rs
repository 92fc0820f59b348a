//! libdeflate's whole-stream decoder, called through its C interface.
//!
//! The `libdeflater` crate's safe API reports only the bytes produced; the
//! compression service also needs the bytes consumed (a gzip footer or the
//! next member may follow the final block), which only
//! `libdeflate_deflate_decompress_ex` reports. This module is the engine's
//! one piece of FFI.
//!
//! # Unsafe
//! Invariants: `ptr` is a decompressor allocated by
//! `libdeflate_alloc_decompressor`, non-null, owned by this value and freed
//! once in `Drop`; it is used by one thread at a time (`&mut self`, the type
//! is `Send` but not `Sync`). Every call passes pointers and lengths of live
//! Rust slices, and libdeflate writes only within `dst[..dst.len()]` and the
//! two `usize` results.
#![allow(unsafe_code)]

use libdeflate_sys as sys;

/// Why a whole-stream decode did not succeed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FastError {
    /// Invalid data, or the stream continues past the input.
    BadData,
    /// `dst` is too small.
    InsufficientSpace,
}

/// An owned libdeflate decompressor.
pub struct FastDecoder {
    ptr: *mut sys::libdeflate_decompressor,
}

// SAFETY: a libdeflate decompressor has no thread affinity; `&mut self` on
// every use keeps it to one thread at a time.
unsafe impl Send for FastDecoder {}

impl FastDecoder {
    /// Allocates a decompressor.
    ///
    /// # Panics
    /// If libdeflate cannot allocate its few kilobytes of tables.
    pub fn new() -> FastDecoder {
        // SAFETY: plain allocation call; the result is checked.
        let ptr = unsafe { sys::libdeflate_alloc_decompressor() };
        assert!(
            !ptr.is_null(),
            "libdeflate could not allocate a decompressor"
        );
        FastDecoder { ptr }
    }

    /// Decodes one complete raw deflate stream from the start of `src` into
    /// `dst`: (bytes consumed, bytes produced).
    pub fn decompress(&mut self, src: &[u8], dst: &mut [u8]) -> Result<(usize, usize), FastError> {
        let mut consumed = 0usize;
        let mut produced = 0usize;
        // SAFETY: see the module invariants; both slices are live for the call.
        let r = unsafe {
            sys::libdeflate_deflate_decompress_ex(
                self.ptr,
                src.as_ptr().cast(),
                src.len(),
                dst.as_mut_ptr().cast(),
                dst.len(),
                &mut consumed,
                &mut produced,
            )
        };
        match r {
            sys::libdeflate_result_LIBDEFLATE_SUCCESS => {
                Ok((consumed.min(src.len()), produced.min(dst.len())))
            }
            sys::libdeflate_result_LIBDEFLATE_INSUFFICIENT_SPACE => {
                Err(FastError::InsufficientSpace)
            }
            _ => Err(FastError::BadData),
        }
    }
}

impl Default for FastDecoder {
    fn default() -> Self {
        FastDecoder::new()
    }
}

impl Drop for FastDecoder {
    fn drop(&mut self) {
        // SAFETY: allocated in `new`, freed exactly once here.
        unsafe { sys::libdeflate_free_decompressor(self.ptr) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_consumed_before_trailing_bytes() {
        let data = b"hello hello hello hello".repeat(50);
        let mut z = libdeflater::Compressor::new(libdeflater::CompressionLvl::default());
        let mut stream = vec![0u8; z.deflate_compress_bound(data.len())];
        let n = z.deflate_compress(&data, &mut stream).unwrap();
        stream.truncate(n);
        stream.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        let mut d = FastDecoder::new();
        let mut out = vec![0u8; data.len()];
        assert_eq!(d.decompress(&stream, &mut out), Ok((n, data.len())));
        assert_eq!(out, data);
        let mut small = vec![0u8; data.len() - 1];
        assert_eq!(
            d.decompress(&stream, &mut small),
            Err(FastError::InsufficientSpace)
        );
        assert_eq!(d.decompress(&[0xff; 4], &mut out), Err(FastError::BadData));
        assert_eq!(d.decompress(&[], &mut out), Err(FastError::BadData));
    }
}
