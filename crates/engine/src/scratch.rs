//! Per-engine scratch buffers that grow with the request they serve.
//!
//! An engine is admitted at start against the address space it needs for a
//! usual request (64 KiB); a larger request makes its scratch grow on the
//! engine thread, where an infallible allocation that fails aborts the whole
//! process. [`Scratch`] grows only fallibly: a request it cannot serve ends
//! with [`NoScratch`] (the firmware answers it with CPA_STATUS_RESOURCE) and
//! the engine goes on serving the next one.

/// Scratch capacity an engine keeps after a request: anything up to this is
/// reused as it is, anything larger is given back once the request is
/// answered (see [`Scratch::trim`]).
pub const SCRATCH_KEEP: usize = 1 << 20;

/// The engine could not allocate the scratch a request needs (bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the engine could not allocate {0} bytes of scratch memory for the request")]
pub struct NoScratch(pub usize);

/// Reserves room for `n` bytes in `buf` (beyond its length) without
/// aborting on failure.
pub fn try_reserve(buf: &mut Vec<u8>, n: usize) -> Result<(), NoScratch> {
    buf.try_reserve_exact(n)
        .map_err(|_| NoScratch(buf.len().saturating_add(n)))
}

/// A byte buffer that grows fallibly to the largest request seen and gives
/// back what an oversized one took.
#[derive(Debug, Default)]
pub struct Scratch {
    buf: Vec<u8>,
    /// The capacity taken at start and restored by [`Scratch::trim`].
    base: usize,
}

impl Scratch {
    /// A buffer with `base` bytes of capacity, taken now (at engine start,
    /// where the engine's memory is admitted) so that requests up to that
    /// size allocate nothing.
    pub fn with_capacity(base: usize) -> Scratch {
        Scratch {
            buf: Vec::with_capacity(base),
            base,
        }
    }

    /// The first `n` bytes of the buffer (contents unspecified), growing it
    /// if it is shorter. Within the capacity this is a length check.
    pub fn get(&mut self, n: usize) -> Result<&mut [u8], NoScratch> {
        if self.buf.len() < n {
            if self.buf.capacity() < n {
                // Drop the old buffer first: its contents are not needed,
                // and under a memory limit the old and the new one at once
                // may not fit where the new one alone does.
                self.buf = Vec::new();
                try_reserve(&mut self.buf, n)?;
            }
            self.buf.resize(n, 0);
        }
        Ok(&mut self.buf[..n])
    }

    /// The capacity held now.
    pub fn capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Gives back the memory of an oversized request. Without this, one
    /// 100 MB request would pin 100 MB in every engine that ever served one,
    /// for the life of the process; up to [`SCRATCH_KEEP`] is kept, so
    /// workloads of requests up to a megabyte allocate nothing per request.
    /// The base capacity is taken again when it can be had; when it cannot,
    /// the next request that needs it reserves it (fallibly).
    pub fn trim(&mut self) {
        if self.buf.capacity() > SCRATCH_KEEP {
            self.buf = Vec::new();
            let _ = self.buf.try_reserve_exact(self.base);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_impossible_size_is_no_scratch_and_the_buffer_still_works() {
        let mut s = Scratch::with_capacity(64 << 10);
        assert_eq!(s.get(usize::MAX / 2).err(), Some(NoScratch(usize::MAX / 2)));
        // Nothing was lost: the next request gets its bytes.
        assert_eq!(s.get(100).map(|b| b.len()), Ok(100));
        let mut v = vec![1u8; 10];
        assert_eq!(
            try_reserve(&mut v, usize::MAX / 2),
            Err(NoScratch(usize::MAX / 2 + 10))
        );
        assert_eq!(v, [1u8; 10]);
    }

    #[test]
    fn small_requests_reuse_the_base_and_large_ones_are_given_back() {
        let mut s = Scratch::with_capacity(64 << 10);
        let base = s.capacity();
        let at = s.get(64 << 10).unwrap().as_ptr();
        s.trim();
        assert_eq!((s.capacity(), s.get(1000).unwrap().as_ptr()), (base, at));
        // Up to SCRATCH_KEEP stays.
        s.get(SCRATCH_KEEP).unwrap();
        s.trim();
        assert_eq!(s.capacity(), SCRATCH_KEEP);
        // More is given back, down to the base.
        s.get(SCRATCH_KEEP + 1).unwrap();
        s.trim();
        assert_eq!(s.capacity(), base);
        assert_eq!(s.get(10).map(|b| b.len()), Ok(10));
    }
}
