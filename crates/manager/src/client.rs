//! One connection's requests: a worker of the event loop
//! ([`crate::server`]) answers each request, and releases everything the
//! client held when the connection ends.

use std::collections::BTreeMap;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use softqat_config::Polling;
use softqat_cpa::CpaStatus;
use softqat_device::debugfs::{self, DebugFsError};
use softqat_device::dma::{DmaError, OwnerMemory};
use softqat_device::ipc::{FdLoss, SharedMemory};
use softqat_device::notify::EventFd;
use softqat_device::plan::{self, InstanceKind, SectionPlan};
use softqat_device::proto::{
    self, kind, EndpointGrant, EndpointStatus, InstanceGrant, ProtoError, Request, RingGrant,
    SectionGrant, Verb,
};
use softqat_device::ring::RingMemory;
use softqat_device::{DeviceError, Fault, HeartbeatStatus, RasPolicy, RingHandle};

use crate::shared::{Conn, Holder, Shared};
use crate::sys;

/// An answer to one request.
enum Reply {
    Ok(String),
    Error(CpaStatus, String),
    Status(Vec<EndpointStatus>),
    Section(SectionGrant, Vec<OwnedFd>),
    Heartbeat(Vec<(u32, HeartbeatStatus)>),
    Text(String),
    Policy(RasPolicy),
}

impl Reply {
    fn invalid(message: impl Into<String>) -> Reply {
        Reply::Error(CpaStatus::InvalidParam, message.into())
    }

    /// Queues the reply (the descriptors go with it and are closed here once
    /// sent).
    fn send(self, conn: &Conn) -> Result<(), String> {
        match self {
            Reply::Ok(m) => conn.send(kind::OK, &proto::encode_ok(&m), Vec::new()),
            Reply::Error(s, m) => {
                conn.send(kind::ERROR, &proto::encode_error(s.code(), &m), Vec::new())
            }
            Reply::Status(list) => {
                conn.send(kind::STATUS_REPLY, &proto::encode_status(&list), Vec::new())
            }
            Reply::Section(grant, fds) => conn.send(kind::SECTION, &grant.encode(), fds),
            Reply::Heartbeat(list) => conn.send(
                kind::HEARTBEAT_REPLY,
                &proto::encode_heartbeat(&list),
                Vec::new(),
            ),
            Reply::Text(t) => conn.send(kind::TEXT, &proto::encode_text(&t), Vec::new()),
            Reply::Policy(p) => conn.send(
                kind::RAS_POLICY_REPLY,
                &proto::encode_ras_policy(&p),
                Vec::new(),
            ),
        }
    }
}

/// A section this client holds.
struct HeldSection {
    /// The name the client asked for (`SSL`).
    requested: String,
    grant: SectionGrant,
    /// All ring blocks of the section (size-sealed).
    ring_memory: Arc<SharedMemory>,
    /// Per ring pair (instance by instance, in the grant's order), its
    /// notification eventfd.
    notify: Vec<Arc<EventFd>>,
    /// Per ring pair attached: (endpoint index, bank, ring pair).
    rings: Vec<(usize, u32, u32)>,
    /// Indices of the endpoints in `grant.endpoints`.
    endpoints: Vec<usize>,
}

impl HeldSection {
    /// Builds the rings of every ring pair of every instance of `plan` (dc,
    /// and the sym and asym ones of cy, sym and asym instances) in one new
    /// memfd and attaches them to their endpoints for `owner`; nothing is
    /// left attached on failure.
    fn build(
        shared: &Shared,
        requested: &str,
        plan: &SectionPlan,
        owner: &Arc<OwnerMemory>,
    ) -> Result<HeldSection, (CpaStatus, String)> {
        let endpoints = plan.endpoints();
        let ring_pairs = plan.rings().count();
        let fd_count = proto::section_fd_count(endpoints.len(), ring_pairs);
        if fd_count > proto::MAX_MESSAGE_FDS {
            let of = |k: InstanceKind| plan.instances_of(k).count();
            return Err((
                CpaStatus::Resource,
                format!(
                    "section {} has {} instances ({} cy, {} sym, {} asym, {} dc) with {ring_pairs} \
                     ring pairs on {} endpoints, which take {fd_count} descriptors (one per ring \
                     pair, two per endpoint, one for the ring memory); one grant carries at most \
                     {}: give [{}] fewer instances per process (NumberCyInstances, \
                     NumberDcInstances; a Cy instance takes two ring pairs when sym and asym are \
                     both enabled) and more processes (NumProcesses), or, managed, a lower POLICY",
                    plan.name,
                    plan.instances.len(),
                    of(InstanceKind::Cy),
                    of(InstanceKind::Sym),
                    of(InstanceKind::Asym),
                    of(InstanceKind::Dc),
                    endpoints.len(),
                    proto::MAX_MESSAGE_FDS,
                    requested.escape_debug()
                ),
            ));
        }
        let mut offsets = Vec::with_capacity(ring_pairs);
        let mut end = 0usize;
        for (_, ring) in plan.rings() {
            let off = end.next_multiple_of(sys::RING_ALIGN);
            offsets.push(off);
            end = off + RingMemory::size_for(ring.slots());
        }
        let ring_len = end.next_multiple_of(sys::RING_ALIGN).max(sys::RING_ALIGN);
        let resource = |what: String| (CpaStatus::Resource, what);
        let memory =
            SharedMemory::create(&format!("softqatd-{}", plan.name), ring_len).map_err(|e| {
                resource(format!(
                    "cannot allocate {ring_len} bytes of ring memory for {}: {e}: free memory \
                     and retry",
                    plan.name
                ))
            })?;
        memory.seal_size().map_err(|e| {
            resource(format!(
                "cannot seal the ring memory of {}: {e}: the kernel must support memfd seals",
                plan.name
            ))
        })?;
        let memory = Arc::new(memory);

        let mut held = HeldSection {
            requested: requested.to_string(),
            grant: SectionGrant {
                name: plan.name.clone(),
                ring_len: ring_len as u64,
                endpoints: Vec::with_capacity(endpoints.len()),
                instances: Vec::with_capacity(plan.instances.len()),
            },
            ring_memory: memory.clone(),
            notify: Vec::with_capacity(ring_pairs),
            rings: Vec::with_capacity(ring_pairs),
            endpoints,
        };
        for &e in &held.endpoints {
            let p = &shared.plans[e];
            let g = p.geometry;
            held.grant.endpoints.push(EndpointGrant {
                id: p.info.id,
                class_name: p.info.class_name.clone(),
                bdf: p.info.bdf.clone(),
                accelerators: p.info.accelerators,
                engines: p.info.engines,
                services: p.info.services.clone(),
                banks: g.banks,
                ring_pairs_per_bank: g.ring_pairs_per_bank,
                generation: p.class.generation.number(),
                engine_threads: u32::try_from(shared.endpoints[e].engine_threads())
                    .unwrap_or(u32::MAX),
            });
        }
        let mut offsets = offsets.into_iter();
        for inst in &plan.instances {
            let ep = &shared.endpoints[inst.endpoint];
            let mut rings = Vec::with_capacity(inst.rings.len());
            for r in &inst.rings {
                let off = offsets.next().unwrap_or(0);
                let attached = (|| {
                    let ring = RingMemory::in_shared(memory.clone(), off, r.slots())?;
                    let notify = Arc::new(EventFd::new()?);
                    ep.attach_ring(
                        r.bank,
                        r.ring_pair,
                        &RingHandle {
                            memory: ring,
                            notify: notify.clone(),
                        },
                        owner.clone(),
                    )?;
                    Ok::<_, softqat_device::DeviceError>(notify)
                })();
                let notify = match attached {
                    Ok(n) => n,
                    Err(e) => {
                        held.release(shared);
                        return Err((
                            CpaStatus::Resource,
                            format!(
                                "cannot set up the {} ring pair of instance {} of {} (qat_dev{} \
                                 bank {} ring pair {}): {e}: retry; if it persists, restart \
                                 softqatd",
                                r.service.as_str(),
                                inst.name,
                                plan.name,
                                ep.info().id,
                                r.bank,
                                r.ring_pair
                            ),
                        ));
                    }
                };
                held.notify.push(notify);
                held.rings.push((inst.endpoint, r.bank, r.ring_pair));
                rings.push(RingGrant {
                    service: r.service,
                    bank: r.bank,
                    ring_pair: r.ring_pair,
                    in_flight: r.in_flight,
                    slots: r.slots(),
                    ring_offset: off as u64,
                });
            }
            let index = held
                .endpoints
                .iter()
                .position(|&e| e == inst.endpoint)
                .unwrap_or(0);
            held.grant.instances.push(InstanceGrant {
                endpoint: index as u32,
                name: inst.name.clone(),
                service: inst.service,
                polling: match inst.polling {
                    Polling::Epoll => 2,
                    Polling::Polled | Polling::Interrupt => 1,
                },
                core_affinity: inst.core_affinity,
                rings,
            });
        }
        Ok(held)
    }

    /// The SECTION reply: the grant and fresh descriptors in the documented
    /// order.
    fn reply(&self, shared: &Shared) -> Reply {
        let fds = (|| {
            let mut fds = Vec::with_capacity(self.grant.fd_count());
            fds.push(self.ring_memory.fd().try_clone_to_owned()?);
            for &e in &self.endpoints {
                let bell = shared.endpoints[e].doorbell();
                fds.push(
                    bell.page()
                        .read_only_fd()
                        .map_err(|e| std::io::Error::other(e.to_string()))?,
                );
                fds.push(bell.eventfd().as_fd().try_clone_to_owned()?);
            }
            for n in &self.notify {
                fds.push(n.as_fd().try_clone_to_owned()?);
            }
            Ok::<_, std::io::Error>(fds)
        })();
        match fds {
            Ok(fds) => Reply::Section(self.grant.clone(), fds),
            Err(e) => Reply::Error(
                CpaStatus::Resource,
                format!(
                    "cannot duplicate the descriptors of {}: {e}: softqatd is out of file \
                     descriptors; raise its limit (LimitNOFILE) or stop some clients",
                    self.grant.name
                ),
            ),
        }
    }

    /// Removes the rings from their endpoints: queued requests complete
    /// with CPA_STATUS_FAIL; requests an engine is computing finish into
    /// memory the ring entry and the registered regions keep mapped.
    fn release(&self, shared: &Shared) {
        for &(e, bank, rp) in &self.rings {
            shared.endpoints[e].remove_ring(bank, rp);
        }
    }
}

/// What one client holds.
pub(crate) struct ClientState {
    owner: Arc<OwnerMemory>,
    sections: Vec<HeldSection>,
    /// Registered regions: IOVA → length.
    regions: BTreeMap<u64, u64>,
    registered: u64,
}

impl ClientState {
    pub(crate) fn new() -> ClientState {
        ClientState {
            owner: OwnerMemory::regions(),
            sections: Vec::new(),
            regions: BTreeMap::new(),
            registered: 0,
        }
    }

    /// True if it holds a section or registered memory.
    fn holds_anything(&self) -> bool {
        !self.sections.is_empty() || !self.regions.is_empty()
    }
}

/// Answers one request of `conn` (on a worker thread; one request per
/// connection at a time). `lost` says that descriptors sent with it were
/// lost: more than a request may carry, or softqatd is out of descriptors.
pub(crate) fn serve_request(
    shared: &Shared,
    conn: &Conn,
    frame: proto::Frame,
    lost: Option<FdLoss>,
) {
    let reply = {
        let mut state = conn.state.lock().unwrap_or_else(|e| e.into_inner());
        let reply = match lost {
            Some(FdLoss::TooMany { .. }) => Reply::invalid(format!(
                "a request carries at most {} descriptor (MEM_REGISTER's memfd); more came \
                 with this one (kind {}), and softqatd closed them: send one memfd with \
                 MEM_REGISTER and none with other requests",
                proto::MAX_REQUEST_FDS,
                frame.kind
            )),
            Some(loss) => {
                shared.log(format!(
                    "{}: cannot take the descriptor of its request: {loss}",
                    conn.short()
                ));
                Reply::Error(CpaStatus::Resource, daemon_out_of_descriptors(&loss))
            }
            None => handle(shared, conn, &mut state, frame),
        };
        conn.holds.store(state.holds_anything(), Ordering::Release);
        reply
    };
    // A failure closes the connection (the event loop logs why).
    let _ = reply.send(conn);
}

/// The reply to a request whose descriptor softqatd could not take.
fn daemon_out_of_descriptors(loss: &FdLoss) -> String {
    let (open, limit) = match loss {
        FdLoss::NotInstalled { open, limit, .. } => (*open, *limit),
        FdLoss::TooMany { .. } => (None, None),
    };
    let open = open.map_or("?".to_string(), |n| n.to_string());
    let limit = limit.map_or("?".to_string(), |(soft, _)| soft.to_string());
    format!(
        "softqatd could not take the descriptor sent with this request: softqatd is out of \
         descriptors ({open} open, its limit is {limit}): stop some clients, or raise softqatd's \
         limit (LimitNOFILE= in its systemd unit, ulimit -n before starting it) and restart it"
    )
}

/// Releases everything `conn` held and forgets it; `farewell` (" (why)",
/// or empty) goes into the log line.
pub(crate) fn release(shared: &Shared, conn: &Conn, farewell: &str) {
    let state = std::mem::replace(
        &mut *conn.state.lock().unwrap_or_else(|e| e.into_inner()),
        ClientState::new(),
    );
    conn.holds.store(false, Ordering::Release);
    let released: Vec<String> = state
        .sections
        .iter()
        .map(|s| s.grant.name.clone())
        .collect();
    for s in &state.sections {
        s.release(shared);
    }
    {
        let mut reg = shared.registry();
        for name in &released {
            reg.held.remove(name);
        }
        reg.clients.remove(&conn.id);
    }
    drop(state);
    conn.close();
    let what = if released.is_empty() {
        String::new()
    } else {
        format!(": released {}", released.join(", "))
    };
    shared.log(format!("{} disconnected{farewell}{what}", conn.who()));
}

fn handle(shared: &Shared, conn: &Conn, state: &mut ClientState, frame: proto::Frame) -> Reply {
    let request = match Request::decode(frame.kind, &frame.body) {
        Ok(r) => r,
        Err(ProtoError::UnexpectedKind(k)) => {
            return Reply::invalid(format!(
                "unknown request kind {k}: this softqatd (protocol {}.{}) takes kinds 1 to {}; \
                 use a softqat library of the same release",
                proto::VERSION >> 8,
                proto::VERSION & 0xff,
                kind::LAST_REQUEST
            ))
        }
        Err(e) => {
            return Reply::invalid(format!(
                "{e}: use a softqat library of the same release as softqatd"
            ))
        }
    };
    let fds = frame.fds;
    if !matches!(request, Request::MemRegister { .. }) && !fds.is_empty() {
        return Reply::invalid(format!(
            "this request carries no descriptors, {} came with it: send descriptors only with \
             MEM_REGISTER",
            fds.len()
        ));
    }
    match request {
        Request::MemRegister { iova, len } => mem_register(shared, state, iova, len, fds),
        Request::SectionGet { name } => section_get(shared, conn, state, &name),
        Request::SectionPut { name } => section_put(shared, conn, state, &name),
        Request::MemUnregister { iova } => match state.regions.remove(&iova) {
            Some(len) if state.owner.unregister(softqat_device::Iova(iova)) => {
                state.registered -= len;
                Reply::Ok(format!("unregistered {len} bytes at {iova:#x}"))
            }
            _ => Reply::invalid(format!(
                "no memory is registered at {iova:#x}: give the IOVA MEM_REGISTER was given"
            )),
        },
        Request::Status => Reply::Status(status(shared)),
        Request::Control { verb, endpoint } => control(shared, conn, verb, endpoint),
        Request::Heartbeat { endpoint } => heartbeat(shared, conn, state, endpoint),
        Request::ResetAsync { endpoint } => reset_async(shared, conn, endpoint),
        Request::Inject { endpoint, fault } => inject(shared, conn, endpoint, fault),
        Request::DebugRead { endpoint, file } => debug_read(shared, conn, state, endpoint, &file),
        Request::DebugWrite {
            endpoint,
            file,
            value,
        } => debug_write(shared, conn, endpoint, &file, &value),
        Request::RasPolicy { endpoint } => match endpoint_index(shared, endpoint) {
            Ok(i) => Reply::Policy(shared.endpoints[i].ras_policy()),
            Err(r) => r,
        },
    }
}

/// Root or the user softqatd runs as: may change endpoints (control,
/// resets, fault injection, debug writes).
fn privileged(shared: &Shared, conn: &Conn) -> bool {
    match conn.cred {
        Some((_, uid, _)) => uid == 0 || uid == shared.euid,
        None => false,
    }
}

fn uid_of(conn: &Conn) -> String {
    conn.cred
        .map_or("unknown".to_string(), |(_, uid, _)| uid.to_string())
}

/// The refusal of `what` to a client that is not privileged.
fn refuse(shared: &Shared, conn: &Conn, what: &str) -> Reply {
    let uid = uid_of(conn);
    shared.log(format!("{}: {what} refused (uid {uid})", conn.short()));
    Reply::Error(
        CpaStatus::Fail,
        format!(
            "permission denied: only root or the user softqatd runs as (uid {}) may {what}; you \
             are uid {uid}: run the command as root (sudo)",
            shared.euid
        ),
    )
}

/// Heartbeat checks and debug reads: privileged clients, and applications
/// holding a section (they check the devices they use, as
/// `icp_sal_check_device` does).
fn may_observe(shared: &Shared, conn: &Conn, state: &ClientState, what: &str) -> Option<Reply> {
    if privileged(shared, conn) || !state.sections.is_empty() {
        return None;
    }
    let uid = uid_of(conn);
    shared.log(format!("{}: {what} refused (uid {uid})", conn.short()));
    Some(Reply::Error(
        CpaStatus::Fail,
        format!(
            "permission denied: {what} is for root, the user softqatd runs as (uid {}) and \
             processes holding a section; you are uid {uid} and hold none: run the command as \
             root (sudo), or start your application first",
            shared.euid
        ),
    ))
}

/// The index of `qat_dev<id>`, or the reply naming the endpoints there are.
fn endpoint_index(shared: &Shared, id: u32) -> Result<usize, Reply> {
    shared.endpoint_index(id).ok_or_else(|| {
        Reply::invalid(format!(
            "there is no endpoint qat_dev{id}: the endpoints are {}",
            shared.endpoint_names()
        ))
    })
}

/// A device-layer refusal: a reset already running is RETRY (ask again
/// later), anything else FAIL; the message says what to do.
fn device_reply(e: DeviceError) -> Reply {
    match e {
        DeviceError::ResetInProgress { .. } => Reply::Error(CpaStatus::Retry, e.to_string()),
        other => Reply::Error(CpaStatus::Fail, other.to_string()),
    }
}

fn debugfs_reply(e: DebugFsError) -> Reply {
    match e {
        DebugFsError::Device(d) => device_reply(d),
        DebugFsError::Invalid { .. } | DebugFsError::NoSuchFile(_) => Reply::invalid(e.to_string()),
        DebugFsError::Permission { .. } => Reply::Error(CpaStatus::Fail, e.to_string()),
    }
}

fn heartbeat(shared: &Shared, conn: &Conn, state: &ClientState, endpoint: Option<u32>) -> Reply {
    if let Some(r) = may_observe(shared, conn, state, "a heartbeat check") {
        return r;
    }
    let targets: Vec<usize> = match endpoint {
        Some(id) => match endpoint_index(shared, id) {
            Ok(i) => vec![i],
            Err(r) => return r,
        },
        None => (0..shared.endpoints.len()).collect(),
    };
    Reply::Heartbeat(
        targets
            .into_iter()
            .map(|i| {
                (
                    shared.endpoints[i].info().id,
                    shared.check_heartbeat(i, false),
                )
            })
            .collect(),
    )
}

fn reset_async(shared: &Shared, conn: &Conn, endpoint: u32) -> Reply {
    if !privileged(shared, conn) {
        return refuse(shared, conn, &format!("reset qat_dev{endpoint}"));
    }
    let i = match endpoint_index(shared, endpoint) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match shared.endpoints[i].reset_async() {
        Ok(()) => {
            shared.log(format!(
                "{}: reset qat_dev{endpoint} (asynchronous)",
                conn.short()
            ));
            Reply::Ok(format!(
                "qat_dev{endpoint}: reset started; a heartbeat check reports it resetting until \
                 it is up again"
            ))
        }
        Err(e) => device_reply(e),
    }
}

fn inject(shared: &Shared, conn: &Conn, endpoint: u32, fault: Fault) -> Reply {
    if !privileged(shared, conn) {
        return refuse(
            shared,
            conn,
            &format!("inject faults ({fault}) into qat_dev{endpoint}"),
        );
    }
    let i = match endpoint_index(shared, endpoint) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match shared.endpoints[i].inject(fault) {
        Ok(()) => {
            shared.log(format!(
                "{}: injected {fault} into qat_dev{endpoint}",
                conn.short()
            ));
            Reply::Ok(format!("qat_dev{endpoint}: injected {fault}"))
        }
        Err(e) => device_reply(e),
    }
}

fn debug_read(
    shared: &Shared,
    conn: &Conn,
    state: &ClientState,
    endpoint: u32,
    file: &str,
) -> Reply {
    // Reading heartbeat_sim_fail arms a failure: it is an injection.
    if file == "heartbeat_sim_fail" && !privileged(shared, conn) {
        return refuse(
            shared,
            conn,
            &format!("read heartbeat_sim_fail of qat_dev{endpoint} (it injects a failure)"),
        );
    }
    if let Some(r) = may_observe(shared, conn, state, "reading debug files") {
        return r;
    }
    let i = match endpoint_index(shared, endpoint) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let ep = &shared.endpoints[i];
    // The heartbeat status files perform a check: the daemon keeps its
    // result for the on-disk copies, as for a HEARTBEAT request.
    if file == "heartbeat" || file == "heartbeat/status" {
        return Reply::Text(format!(
            "{}\n",
            shared.check_heartbeat(i, false).file_value()
        ));
    }
    match debugfs::read(ep, file) {
        Ok(t) => Reply::Text(t),
        Err(e) => debugfs_reply(e),
    }
}

fn debug_write(shared: &Shared, conn: &Conn, endpoint: u32, file: &str, value: &str) -> Reply {
    if !privileged(shared, conn) {
        return refuse(
            shared,
            conn,
            &format!("write debug files of qat_dev{endpoint}"),
        );
    }
    let i = match endpoint_index(shared, endpoint) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match debugfs::write(&shared.endpoints[i], file, value) {
        Ok(()) => {
            shared.log(format!(
                "{}: wrote {:?} to {file} of qat_dev{endpoint}",
                conn.short(),
                value.trim()
            ));
            Reply::Ok(format!("qat_dev{endpoint}: {file} written"))
        }
        Err(e) => debugfs_reply(e),
    }
}

fn section_get(shared: &Shared, conn: &Conn, state: &mut ClientState, name: &str) -> Reply {
    if let Some(held) = state.sections.iter().find(|s| s.requested == name) {
        return held.reply(shared);
    }
    let candidates = match plan::sections(&shared.config, &shared.plans, name) {
        Ok(c) => c,
        Err(e) => return Reply::invalid(e.0),
    };
    let total = candidates.len();
    let chosen = {
        let mut reg = shared.registry();
        let chosen = candidates
            .into_iter()
            .find(|c| !reg.held.contains_key(&c.name));
        if let Some(c) = &chosen {
            let mut ids: Vec<u32> = c
                .instances
                .iter()
                .map(|i| shared.plans[i.endpoint].info.id)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            reg.held.insert(
                c.name.clone(),
                Holder {
                    client: conn.id,
                    endpoints: ids,
                },
            );
        }
        chosen
    };
    let Some(chosen) = chosen else {
        return Reply::Error(CpaStatus::Resource, shared.limit.exhausted(name, total));
    };
    let unreserve = || {
        shared.registry().held.remove(&chosen.name);
    };
    let held = match HeldSection::build(shared, name, &chosen, &state.owner) {
        Ok(h) => h,
        Err((status, message)) => {
            unreserve();
            return Reply::Error(status, message);
        }
    };
    let reply = held.reply(shared);
    if let Reply::Error(..) = reply {
        held.release(shared);
        unreserve();
        return reply;
    }
    let on: Vec<String> = held
        .grant
        .endpoints
        .iter()
        .map(|e| format!("qat_dev{}", e.id))
        .collect();
    let counts: Vec<String> = InstanceKind::ALL
        .iter()
        .map(|&k| (k, chosen.instances_of(k).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {}", k.as_str()))
        .collect();
    shared.log(format!(
        "{}: [{}] -> {} ({} instances{}{}{}{})",
        conn.short(),
        name.escape_debug(),
        chosen.name,
        held.grant.instances.len(),
        if counts.is_empty() { "" } else { ": " },
        counts.join(", "),
        if on.is_empty() { "" } else { " on " },
        on.join(", ")
    ));
    state.sections.push(held);
    reply
}

fn section_put(shared: &Shared, conn: &Conn, state: &mut ClientState, name: &str) -> Reply {
    let Some(at) = state
        .sections
        .iter()
        .position(|s| s.requested == name || s.grant.name == name)
    else {
        let held: Vec<&str> = state
            .sections
            .iter()
            .map(|s| s.requested.as_str())
            .collect();
        return Reply::invalid(format!(
            "this process holds no section for [{name}] (it holds {}): put only what \
             SECTION_GET gave",
            if held.is_empty() {
                "none".to_string()
            } else {
                held.join(", ")
            }
        ));
    };
    let held = state.sections.remove(at);
    held.release(shared);
    shared.registry().held.remove(&held.grant.name);
    shared.log(format!("{}: released {}", conn.short(), held.grant.name));
    Reply::Ok(format!("released {}", held.grant.name))
}

fn mem_register(
    shared: &Shared,
    state: &mut ClientState,
    iova: u64,
    len: u64,
    fds: Vec<OwnedFd>,
) -> Reply {
    if fds.len() != 1 {
        return Reply::invalid(format!(
            "MEM_REGISTER carries exactly one descriptor (the memfd), {} came: attach the memfd",
            fds.len()
        ));
    }
    if len == 0 {
        return Reply::invalid(
            "MEM_REGISTER of 0 bytes: give the length of the memory to register",
        );
    }
    if iova == 0 {
        return Reply::invalid("MEM_REGISTER at IOVA 0: choose a non-zero DMA address");
    }
    if iova.checked_add(len).is_none() {
        return Reply::invalid(format!(
            "{len} bytes at IOVA {iova:#x} run past the end of the address space: choose a lower \
             IOVA"
        ));
    }
    let remaining = shared.max_client_memory.saturating_sub(state.registered);
    if len > remaining {
        return Reply::Error(
            CpaStatus::Resource,
            format!(
                "registering {len} bytes would exceed the {} bytes one process may register \
                 ({} registered already): unregister memory first, or start softqatd with a \
                 larger --max-client-memory",
                shared.max_client_memory, state.registered
            ),
        );
    }
    let Ok(size) = usize::try_from(len) else {
        return Reply::invalid(format!(
            "{len} bytes do not fit this machine's address space"
        ));
    };
    let Some(fd) = fds.into_iter().next() else {
        return Reply::invalid("MEM_REGISTER carries exactly one descriptor (the memfd)");
    };
    let shm = match SharedMemory::from_fd(fd, size) {
        Ok(m) => m,
        Err(e) => {
            return Reply::invalid(format!(
                "cannot map {len} bytes of the descriptor: {e}: send a read-write memfd of at \
                 least {len} bytes"
            ))
        }
    };
    match shm.size_sealed() {
        Ok(true) => {}
        Ok(false) => {
            return Reply::invalid(
                "the memfd's size is not sealed: seal the memfd's size \
                 (F_SEAL_SHRINK|F_SEAL_GROW) before registering it",
            )
        }
        Err(e) => {
            return Reply::invalid(format!(
                "cannot read the descriptor's seals ({e}): register a memfd created with \
                 MFD_ALLOW_SEALING, then seal the memfd's size (F_SEAL_SHRINK|F_SEAL_GROW) \
                 before registering it"
            ))
        }
    }
    // The size was checked before the seal was seen: check it again now that
    // it can no longer change.
    let size_now = shm
        .fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|f| f.metadata())
        .map(|m| m.len());
    match size_now {
        Ok(n) if n >= len => {}
        Ok(n) => {
            return Reply::invalid(format!(
                "the memfd has {n} bytes, {len} were to be registered: register at most its size"
            ))
        }
        Err(e) => {
            return Reply::invalid(format!(
                "cannot check the memfd's size: {e}: register a memfd (memfd_create)"
            ))
        }
    }
    match sys::register_region(&state.owner, iova, shm) {
        Ok(()) => {
            state.regions.insert(iova, len);
            state.registered += len;
            Reply::Ok(format!("registered {len} bytes at {iova:#x}"))
        }
        Err(DmaError::BadRegion { .. }) => Reply::invalid(format!(
            "{len} bytes at IOVA {iova:#x} overlap memory this process registered already: \
             choose a free IOVA range"
        )),
        Err(e) => Reply::invalid(format!(
            "cannot register {len} bytes at {iova:#x}: {e}: choose a free, non-zero IOVA range"
        )),
    }
}

fn status(shared: &Shared) -> Vec<EndpointStatus> {
    let reg = shared.registry();
    shared
        .endpoints
        .iter()
        .map(|ep| {
            let id = ep.info().id;
            let (requests, responses) = ep
                .fw_counters()
                .iter()
                .fold((0u64, 0u64), |(a, b), (r, s)| (a + r, b + s));
            EndpointStatus {
                id,
                line: ep.status_line(),
                state: ep.state() as u8,
                requests,
                responses,
                engine_threads: u32::try_from(ep.engine_threads()).unwrap_or(u32::MAX),
                sections_in_use: reg
                    .held
                    .values()
                    .filter(|h| h.endpoints.contains(&id))
                    .count() as u32,
            }
        })
        .collect()
}

fn control(shared: &Shared, conn: &Conn, verb: Verb, endpoint: Option<u32>) -> Reply {
    let allowed = match conn.cred {
        Some((_, uid, _)) => uid == 0 || uid == shared.euid,
        None => false,
    };
    let target = endpoint.map_or("all endpoints".to_string(), |e| format!("qat_dev{e}"));
    if !allowed {
        let uid = conn
            .cred
            .map_or("unknown".to_string(), |(_, uid, _)| uid.to_string());
        shared.log(format!(
            "{}: {} {target} refused (uid {uid})",
            conn.short(),
            verb.as_str()
        ));
        return Reply::Error(
            CpaStatus::Fail,
            format!(
                "permission denied: only root or the user softqatd runs as (uid {}) may {} \
                 endpoints; you are uid {uid}: run the command as root (sudo)",
                shared.euid,
                verb.as_str()
            ),
        );
    }
    let targets: Vec<usize> = match endpoint {
        Some(id) => match shared.endpoint_index(id) {
            Some(i) => vec![i],
            None => {
                return Reply::invalid(format!(
                    "there is no endpoint qat_dev{id}: the endpoints are {}",
                    shared.endpoint_names()
                ))
            }
        },
        None => (0..shared.endpoints.len()).collect(),
    };
    shared.log(format!("{}: {} {target}", conn.short(), verb.as_str()));
    let mut lines = Vec::with_capacity(targets.len());
    for i in targets {
        let ep = &shared.endpoints[i];
        let result = match verb {
            Verb::Up => ep.up(),
            Verb::Down => ep.down(),
            Verb::Restart => ep.restart(),
            Verb::Reset => ep.reset(),
        };
        match result {
            Ok(()) => lines.push(format!("qat_dev{}: {}", ep.info().id, ep.state())),
            Err(e) => {
                lines.push(format!(
                    "qat_dev{}: {} failed: {e}",
                    ep.info().id,
                    verb.as_str()
                ));
                shared.log(format!("{}: {}", conn.short(), lines.join("; ")));
                return Reply::Error(CpaStatus::Fail, lines.join("\n"));
            }
        }
    }
    Reply::Ok(lines.join("\n"))
}
