//! DMA-able memory for requests, after USDM (`qaeMemAllocNUMA`).
//!
//! Requests name buffers by DMA address, so a buffer handed to an asynchronous
//! or data-plane request must stay put until its response is consumed. A
//! [`DmaBuf`] is such a buffer: allocated by the library from the process's
//! pool of shared-memory slabs ([`softqat_device::usdm`]), 64-byte aligned
//! (the alignment the Programmer's Guide §5.1.1 recommends), moved into the
//! request and handed back with the completion.
//!
//! A `DmaBuf`'s DMA address is its virtual address in this process, in both
//! modes: in embedded mode the endpoints reach this process's memory
//! directly; in managed mode every slab is registered with `softqatd`, which
//! accepts descriptors only inside this process's slabs.
//!
//! Synchronous calls accept ordinary slices as well. In embedded mode they are
//! used in place; in managed mode the daemon cannot reach ordinary memory, so
//! the data is copied through a per-thread bounce `DmaBuf` (one copy of the
//! source in, one of the output back: about 2 × 64 KiB of memcpy per 64 KiB
//! request). Use `DmaBuf`s and the asynchronous calls to avoid it.

use softqat_device::desc::{BufferDesc, SglEntry};
use softqat_device::usdm::{DmaChunk, DmaPool};
use softqat_device::{DeviceError, Iova};

use crate::error::{Error, Result};

/// A buffer of DMA-able memory with a capacity and a length (the bytes in use).
pub struct DmaBuf {
    chunk: DmaChunk,
    len: usize,
}

/// The error for a failed DMA allocation of `capacity` bytes (on `node`):
/// a size or alignment the pool refuses is INVALID_PARAM; anything else is
/// RESOURCE, whose message names the exhausted limit and its fix when the
/// system said which.
fn alloc_error(capacity: usize, node: Option<u32>, e: DeviceError) -> Error {
    let on = node.map(|n| format!(" on node {n}")).unwrap_or_default();
    match &e {
        DeviceError::Os { source, .. } if source.kind() == std::io::ErrorKind::InvalidInput => {
            Error::invalid(format!("{e}"))
        }
        DeviceError::TooLarge { .. } => Error::invalid(format!(
            "cannot allocate {capacity} bytes of DMA memory{on}: {e}"
        )),
        _ if e.is_exhaustion() => Error::resource(format!(
            "cannot allocate {capacity} bytes of DMA memory{on}: {e}"
        )),
        _ => Error::resource(format!(
            "cannot allocate {capacity} bytes of DMA memory{on}: {e}: free DMA buffers, or use smaller ones"
        )),
    }
}

impl DmaBuf {
    /// A zeroed buffer of `capacity` bytes, with length `capacity`.
    ///
    /// For tests and examples only: it panics where [`DmaBuf::try_new`]
    /// returns an error (descriptors or memory exhausted, a size too
    /// large), so code that runs on others' input or under others' limits
    /// must use [`DmaBuf::try_new`]. No library or tool code calls it.
    ///
    /// # Panics
    /// If the memory cannot be had.
    pub fn new(capacity: usize) -> DmaBuf {
        match DmaBuf::try_new(capacity) {
            Ok(b) => b,
            Err(e) => panic!("{e}"),
        }
    }

    /// A zeroed buffer of `capacity` bytes. INVALID_PARAM for a size larger
    /// than one buffer may hold ([`softqat_device::usdm::MAX_ALLOC`]);
    /// RESOURCE if no shared memory can be had (descriptors or memory
    /// exhausted: the message names the limit and the fix) or the daemon
    /// refused to register more.
    pub fn try_new(capacity: usize) -> Result<DmaBuf> {
        let chunk = DmaPool::global()
            .alloc(capacity)
            .map_err(|e| alloc_error(capacity, None, e))?;
        Ok(DmaBuf {
            chunk,
            len: capacity,
        })
    }

    /// `qaeMemAllocNUMA(size, node, alignment)`: a zeroed buffer of
    /// `capacity` bytes whose address is a multiple of `alignment` (a power of
    /// two; 64 at least), with its pages preferred on NUMA node `node`.
    /// INVALID_PARAM for a bad alignment, a size too large or a node the
    /// machine does not have; RESOURCE as for [`DmaBuf::try_new`].
    pub fn new_numa(capacity: usize, node: u32, alignment: usize) -> Result<DmaBuf> {
        if !alignment.is_power_of_two() {
            return Err(Error::invalid(format!(
                "alignment {alignment} is not a power of two"
            )));
        }
        let chunk = DmaPool::global()
            .alloc_numa(capacity, Some(node), alignment)
            .map_err(|e| alloc_error(capacity, Some(node), e))?;
        Ok(DmaBuf {
            chunk,
            len: capacity,
        })
    }

    /// A buffer holding a copy of `data`.
    ///
    /// For tests and examples only, as [`DmaBuf::new`]: it panics where
    /// [`DmaBuf::try_from_slice`] returns an error.
    ///
    /// # Panics
    /// If the memory cannot be had.
    pub fn from_slice(data: &[u8]) -> DmaBuf {
        match DmaBuf::try_from_slice(data) {
            Ok(b) => b,
            Err(e) => panic!("{e}"),
        }
    }

    /// A buffer holding a copy of `data`, or the error of
    /// [`DmaBuf::try_new`].
    pub fn try_from_slice(data: &[u8]) -> Result<DmaBuf> {
        let mut b = DmaBuf::try_new(data.len())?;
        b.copy_from_slice(data);
        Ok(b)
    }

    /// Bytes available.
    pub fn capacity(&self) -> usize {
        self.chunk.capacity()
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
        Iova(self.chunk.iova())
    }

    /// Length as a descriptor carries it.
    pub(crate) fn desc_len(&self) -> u32 {
        self.len.min(u32::MAX as usize) as u32
    }

    /// The buffer as a flat descriptor.
    pub(crate) fn desc(&self) -> BufferDesc {
        BufferDesc::flat(self.iova(), self.desc_len())
    }
}

impl std::ops::Deref for DmaBuf {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.chunk.as_slice()[..self.len]
    }
}

impl std::ops::DerefMut for DmaBuf {
    fn deref_mut(&mut self) -> &mut [u8] {
        let len = self.len;
        &mut self.chunk.as_mut_slice()[..len]
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

/// A list of DMA buffers used as one buffer (`CpaBufferList`): a request
/// reads its source from the segments in order and writes its destination
/// across them, and `consumed` / `produced` count across segments.
///
/// Like `pPrivateMetaData` in C, the list carries its own descriptor table
/// in DMA memory (16 bytes per segment), written when a request is built, so
/// the endpoint reaches every segment by DMA address and checks each one.
pub struct BufferList {
    segments: Vec<DmaBuf>,
    table: DmaBuf,
}

impl BufferList {
    /// A list of `segments` (1 to 1024 of them).
    pub fn new(segments: Vec<DmaBuf>) -> Result<BufferList> {
        let max = softqat_device::desc::MAX_SGL_ENTRIES as usize;
        if segments.is_empty() || segments.len() > max {
            return Err(Error::invalid(format!(
                "a buffer list has 1 to {max} segments, not {}: split the request",
                segments.len()
            )));
        }
        let table = DmaBuf::try_new(segments.len() * std::mem::size_of::<SglEntry>())?;
        Ok(BufferList { segments, table })
    }

    /// The segments, in order.
    pub fn segments(&self) -> &[DmaBuf] {
        &self.segments
    }

    /// The segments, to fill or resize (their lengths are read when the list
    /// is next used in a request).
    pub fn segments_mut(&mut self) -> &mut [DmaBuf] {
        &mut self.segments
    }

    /// The segments, given back.
    pub fn into_segments(self) -> Vec<DmaBuf> {
        self.segments
    }

    /// Bytes in use across all segments.
    pub fn total_len(&self) -> usize {
        self.segments.iter().map(|s| s.len()).sum()
    }

    /// The first `n` bytes across the segments (all if `n` is larger).
    pub fn to_vec(&self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n.min(self.total_len()));
        for s in &self.segments {
            let take = (n - out.len()).min(s.len());
            out.extend_from_slice(&s[..take]);
            if out.len() == n {
                break;
            }
        }
        out
    }

    /// Writes the descriptor table for the segments as they are now and
    /// returns the list's descriptor.
    pub(crate) fn desc(&mut self) -> Result<BufferDesc> {
        for s in &self.segments {
            if s.len() > u32::MAX as usize {
                return Err(Error::invalid(
                    "a buffer list segment is limited to 4 GB: split it",
                ));
            }
        }
        let entries: &mut [SglEntry] = bytemuck::cast_slice_mut(
            &mut self.table[..self.segments.len() * std::mem::size_of::<SglEntry>()],
        );
        for (e, s) in entries.iter_mut().zip(&self.segments) {
            *e = SglEntry {
                addr: s.iova(),
                len: s.desc_len(),
                reserved: 0,
            };
        }
        Ok(BufferDesc::sgl(
            self.table.iova(),
            self.segments.len() as u32,
        ))
    }
}

impl std::fmt::Debug for BufferList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BufferList")
            .field("segments", &self.segments)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numa_and_alignment() {
        let b = DmaBuf::new_numa(5000, 0, 4096).unwrap();
        assert_eq!(b.iova().0 % 4096, 0);
        assert_eq!(b.len(), 5000);
        assert!(b.iter().all(|&x| x == 0));
        let e = DmaBuf::new_numa(64, 0, 100).unwrap_err();
        assert_eq!(e.status, crate::CpaStatus::InvalidParam);
        let e = DmaBuf::new_numa(64, 4000, 64).unwrap_err();
        assert_eq!(e.status, crate::CpaStatus::InvalidParam, "{e}");
    }

    #[test]
    fn impossible_sizes_are_errors_not_empty_buffers() {
        // Issue 10, defect 3: usize::MAX used to wrap to a 0-byte buffer.
        for n in [usize::MAX, usize::MAX - 63, (1usize << 36) + 1] {
            let e = DmaBuf::try_new(n).unwrap_err();
            assert_eq!(e.status, crate::CpaStatus::InvalidParam, "{e}");
            assert!(e.to_string().contains("split the data"), "{e}");
            let e = DmaBuf::new_numa(n, 0, 64).unwrap_err();
            assert_eq!(e.status, crate::CpaStatus::InvalidParam, "{e}");
        }
    }

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

    #[test]
    fn buffer_lists_describe_their_segments() {
        let mut l = BufferList::new(vec![
            DmaBuf::from_slice(b"abc"),
            DmaBuf::from_slice(b"defg"),
        ])
        .unwrap();
        assert_eq!(l.total_len(), 7);
        assert_eq!(l.to_vec(5), b"abcde");
        assert_eq!(l.to_vec(100), b"abcdefg");
        let d = l.desc().unwrap();
        assert_eq!(d.len, 2);
        let entries: &[SglEntry] = bytemuck::cast_slice(&l.table[..32]);
        assert_eq!(entries[0].addr, l.segments()[0].iova());
        assert_eq!((entries[0].len, entries[1].len), (3, 4));
        assert!(BufferList::new(Vec::new()).is_err());
    }
}
