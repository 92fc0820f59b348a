//! The firmware of a software engine: one module per service behind one
//! trait, chosen by the descriptor's service and checked against the services
//! the endpoint enables.
//!
//! Every service's firmware follows the same steps for a request: read the
//! session state from the request's content descriptor (in the owner's DMA
//! memory, bounds-checked like any buffer), reach the source and destination
//! through [`Buffers`], run the engine, and build the response. A bad
//! descriptor gets an error response; nothing here panics on what a requester
//! wrote.
//!
//! Adding a service adds a module here and a line in [`Firmware::new`].

pub mod asym;
pub mod dc;
pub mod sym;

use softqat_cpa::CpaStatus;

use crate::desc::{
    ContentHeader, RequestDesc, ResponseDesc, ServiceId, CONTENT_VERSION, MAX_CONTENT_LEN,
};
use crate::dma::{Buffers, DmaError, OwnerMemory};
use softqat_engine::deflate::LevelMapping;

/// What a service's firmware gets for one request besides the descriptor.
pub struct RequestContext<'a> {
    /// The owner's memory map: every address of the request is translated
    /// through it.
    pub memory: &'a OwnerMemory,
    /// The engine's reusable buffer lists.
    pub buffers: &'a mut Buffers,
}

/// The firmware of one service.
pub trait ServiceFirmware: Send {
    /// The service this firmware serves.
    fn service(&self) -> ServiceId;

    /// Executes one request whose header names this service.
    fn execute(&mut self, req: &RequestDesc, ctx: &mut RequestContext<'_>) -> ResponseDesc;
}

/// Why a content descriptor could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentError {
    /// Its address or length lies outside the owner's memory.
    Unreachable,
    /// It is for another service, of another version, or of a wrong size.
    Malformed,
    /// Its session was removed (stamp 0).
    Removed,
}

impl From<DmaError> for ContentError {
    fn from(_: DmaError) -> ContentError {
        ContentError::Unreachable
    }
}

/// Reads the content descriptor `T` (a header then the service's body) that
/// `req` points at, checking its header: service, version, lengths, and a
/// live stamp.
pub fn read_content<T: bytemuck::Pod>(
    req: &RequestDesc,
    memory: &OwnerMemory,
    service: ServiceId,
) -> Result<(ContentHeader, T), ContentError> {
    check_content_len::<T>(req)?;
    let content: T = memory.read(req.content)?;
    let header: ContentHeader = bytemuck::pod_read_unaligned(
        &bytemuck::bytes_of(&content)[..std::mem::size_of::<ContentHeader>()],
    );
    check_header::<T>(&header, service)?;
    Ok((header, content))
}

/// The request names a content descriptor at least as long as a `T`, and
/// not longer than the firmware reads.
fn check_content_len<T: bytemuck::Pod>(req: &RequestDesc) -> Result<(), ContentError> {
    if (req.content_len as usize) < std::mem::size_of::<T>() || req.content_len > MAX_CONTENT_LEN {
        return Err(ContentError::Malformed);
    }
    Ok(())
}

/// A header fit for a descriptor `T` of `service`: service, version, body
/// length, and a live stamp.
fn check_header<T: bytemuck::Pod>(
    header: &ContentHeader,
    service: ServiceId,
) -> Result<(), ContentError> {
    let body = std::mem::size_of::<T>() - std::mem::size_of::<ContentHeader>();
    if header.service != service as u8
        || header.version != CONTENT_VERSION
        || header.body_len as usize != body
    {
        return Err(ContentError::Malformed);
    }
    if header.stamp == 0 {
        return Err(ContentError::Removed);
    }
    Ok(())
}

/// Reads and checks only the header of the content descriptor `req` points
/// at, for a service whose whole descriptor is a `T`: enough to look the
/// session up in a [`SessionCache`] before reading the (larger) body.
pub fn read_content_header<T: bytemuck::Pod>(
    req: &RequestDesc,
    memory: &OwnerMemory,
    service: ServiceId,
) -> Result<ContentHeader, ContentError> {
    check_content_len::<T>(req)?;
    // The whole descriptor must be reachable, not only its header.
    let header: ContentHeader = memory.read_prefix(req.content, std::mem::size_of::<T>() as u64)?;
    check_header::<T>(&header, service)?;
    Ok(header)
}

/// What an engine derived from one session (key schedules, codec settings),
/// kept per engine thread and keyed by who owns the content descriptor,
/// where it is, and its stamp: an updated session has a new stamp and a
/// removed one stamp 0, so a stale entry is never used. Direct-mapped.
pub struct SessionCache<T> {
    slots: Vec<Option<CachedSession<T>>>,
}

struct CachedSession<T> {
    owner: u64,
    content: crate::desc::Iova,
    stamp: u64,
    value: T,
}

impl<T> SessionCache<T> {
    /// A cache of `slots` sessions (rounded up to a power of two).
    pub fn new(slots: usize) -> SessionCache<T> {
        SessionCache {
            slots: (0..slots.max(1).next_power_of_two())
                .map(|_| None)
                .collect(),
        }
    }

    /// The entry for this owner's descriptor at `content` with `stamp`,
    /// derived by `derive` on a miss (a failure caches nothing).
    pub fn get_or_derive<E>(
        &mut self,
        owner: u64,
        content: crate::desc::Iova,
        stamp: u64,
        derive: impl FnOnce() -> Result<T, E>,
    ) -> Result<&T, E> {
        // The slot count is a power of two (`new`): a mask, not a division.
        let slot =
            ((content.0 >> 6) ^ owner.wrapping_mul(0x9e37_79b9)) as usize & (self.slots.len() - 1);
        let hit = matches!(&self.slots[slot],
            Some(c) if c.owner == owner && c.content == content && c.stamp == stamp);
        if !hit {
            self.slots[slot] = Some(CachedSession {
                owner,
                content,
                stamp,
                value: derive()?,
            });
        }
        match &self.slots[slot] {
            Some(c) => Ok(&c.value),
            None => unreachable!("the slot was just filled"),
        }
    }
}

/// What the engine threads of one endpoint share: the state partial packets
/// carry from one request to the next, which any engine may serve.
#[derive(Default)]
pub struct FirmwareShared {
    /// Symmetric partial-packet states.
    pub sym_partials: sym::PartialStore,
}

/// Per-engine-thread firmware: one module per service the endpoint enables,
/// each with its workspaces, reused for every request.
pub struct Firmware {
    services: [Option<Box<dyn ServiceFirmware>>; 3],
    buffers: Buffers,
}

impl Firmware {
    /// Firmware for the services in `enabled`, on an endpoint whose
    /// compression levels map by `mapping`.
    pub fn new(
        enabled: &[ServiceId],
        mapping: LevelMapping,
        shared: &std::sync::Arc<FirmwareShared>,
    ) -> Firmware {
        let mut services: [Option<Box<dyn ServiceFirmware>>; 3] = [None, None, None];
        for s in enabled {
            let fw: Box<dyn ServiceFirmware> = match s {
                ServiceId::Dc => Box::new(dc::DcFirmware::new(mapping)),
                ServiceId::Sym => Box::new(sym::SymFirmware::new(shared.clone())),
                ServiceId::Asym => Box::new(asym::AsymFirmware),
            };
            let slot = fw.service().index();
            services[slot] = Some(fw);
        }
        Firmware {
            services,
            buffers: Buffers::new(),
        }
    }

    /// Executes one request on behalf of the owner whose memory is `memory`.
    /// A request for a service the endpoint does not run is answered with
    /// CPA_STATUS_UNSUPPORTED; an unknown service with INVALID_PARAM.
    pub fn execute(&mut self, req: &RequestDesc, memory: &OwnerMemory) -> ResponseDesc {
        let Some(service) = ServiceId::from_u8(req.header.service) else {
            return ResponseDesc::failed(req, CpaStatus::InvalidParam);
        };
        let Some(fw) = self.services[service.index()].as_mut() else {
            return ResponseDesc::failed(req, CpaStatus::Unsupported);
        };
        let mut ctx = RequestContext {
            memory,
            buffers: &mut self.buffers,
        };
        let resp = fw.execute(req, &mut ctx);
        // The request is answered: its spans must not keep regions alive.
        self.buffers.release();
        resp
    }
}
