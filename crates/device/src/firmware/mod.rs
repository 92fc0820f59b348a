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

pub mod dc;

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
    let want = std::mem::size_of::<T>();
    let len = req.content_len as usize;
    if len < want || req.content_len > MAX_CONTENT_LEN {
        return Err(ContentError::Malformed);
    }
    let content: T = memory.read(req.content)?;
    let header: ContentHeader = bytemuck::pod_read_unaligned(
        &bytemuck::bytes_of(&content)[..std::mem::size_of::<ContentHeader>()],
    );
    let body = want - std::mem::size_of::<ContentHeader>();
    if header.service != service as u8
        || header.version != CONTENT_VERSION
        || header.body_len as usize != body
    {
        return Err(ContentError::Malformed);
    }
    if header.stamp == 0 {
        return Err(ContentError::Removed);
    }
    Ok((header, content))
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
    pub fn new(enabled: &[ServiceId], mapping: LevelMapping) -> Firmware {
        let mut services: [Option<Box<dyn ServiceFirmware>>; 3] = [None, None, None];
        for s in enabled {
            let fw: Box<dyn ServiceFirmware> = match s {
                ServiceId::Dc => Box::new(dc::DcFirmware::new(mapping)),
                // The crypto services' firmware lands with their engines.
                ServiceId::Sym | ServiceId::Asym => continue,
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
