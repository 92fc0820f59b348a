//! DMA-able memory for requests, after USDM (`qaeMemAllocNUMA`).
//!
//! Requests name buffers by DMA address, so a buffer handed to an asynchronous
//! or data-plane request must stay put until its response is consumed. A
//! [`DmaBuf`] is such a buffer: allocated by the library, 64-byte aligned (the
//! alignment the Programmer's Guide §5.1.1 recommends), moved into the request
//! and handed back with the completion.
//!
//! In embedded mode the endpoints reach this process's memory directly (IOMMU
//! passthrough), so a `DmaBuf`'s DMA address is its virtual address. Synchronous
//! calls accept ordinary slices as well, since the caller's borrow outlives the
//! request.

use bytemuck::{Pod, Zeroable};
use softqat_device::Iova;

/// 64 bytes aligned to 64: the allocation unit of a [`DmaBuf`].
#[derive(Clone, Copy, Pod, Zeroable)]
#[repr(C, align(64))]
struct Line([u8; 64]);

/// A buffer of DMA-able memory with a capacity and a length (the bytes in use).
pub struct DmaBuf {
    lines: Box<[Line]>,
    len: usize,
}

impl DmaBuf {
    /// A zeroed buffer of `capacity` bytes, with length `capacity`.
    pub fn new(capacity: usize) -> DmaBuf {
        let lines = vec![Line([0; 64]); capacity.div_ceil(64).max(1)].into_boxed_slice();
        DmaBuf {
            lines,
            len: capacity,
        }
    }

    /// A buffer holding a copy of `data`.
    pub fn from_slice(data: &[u8]) -> DmaBuf {
        let mut b = DmaBuf::new(data.len());
        b.copy_from_slice(data);
        b
    }

    /// Bytes available.
    pub fn capacity(&self) -> usize {
        self.lines.len() * 64
    }

    /// Bytes in use.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True if no bytes are in use.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Sets the bytes in use (at most the capacity).
    pub fn set_len(&mut self, len: usize) {
        self.len = len.min(self.capacity());
    }

    /// The DMA address of the first byte.
    pub fn iova(&self) -> Iova {
        Iova(self.lines.as_ptr() as u64)
    }

    /// Length as a descriptor carries it.
    pub(crate) fn desc_len(&self) -> u32 {
        self.len.min(u32::MAX as usize) as u32
    }
}

impl std::ops::Deref for DmaBuf {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &bytemuck::cast_slice::<Line, u8>(&self.lines)[..self.len]
    }
}

impl std::ops::DerefMut for DmaBuf {
    fn deref_mut(&mut self) -> &mut [u8] {
        let len = self.len;
        &mut bytemuck::cast_slice_mut::<Line, u8>(&mut self.lines)[..len]
    }
}

impl std::fmt::Debug for DmaBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DmaBuf")
            .field("len", &self.len)
            .field("capacity", &self.capacity())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_length_and_contents() {
        let mut b = DmaBuf::new(100);
        assert_eq!(b.len(), 100);
        assert_eq!(b.capacity(), 128);
        assert_eq!(b.iova().0 % 64, 0);
        b[99] = 7;
        b.set_len(1000);
        assert_eq!(b.len(), 128);
        assert_eq!(b[99], 7);
        b.set_len(3);
        assert_eq!(&b[..], &[0, 0, 0]);
        let c = DmaBuf::from_slice(b"abc");
        assert_eq!(&c[..], b"abc");
        assert!(DmaBuf::new(0).is_empty());
    }
}
