//! `icp_sal_user.h` start/stop and the instance handles of `cpa.h`,
//! `cpa_dc.h` and `cpa_cy_im.h`.
//!
//! A `CpaInstanceHandle` is the address of a slot in one of two static
//! tables, one per service: a handle is recognised (and its service told)
//! by address arithmetic alone, so a stale, foreign or wrong-service handle
//! is INVALID_PARAM, never a dereference of unknown memory. `userStart`
//! fills the slots of the section's instances; the last `userStop` empties
//! them (a handle kept after that is refused).

use std::ffi::{c_char, c_void, CStr};
use std::sync::{Mutex, RwLock};

use softqat_sal::instance::{InstanceEvent, InstanceInfo};
use softqat_sal::{CyInstance, DcInstance, Qat};

use crate::abi::{
    CpaInstanceHandle, CpaInstanceInfo2, CpaInstanceNotificationCbFunc, CPA_OPER_STATE_DOWN,
    CPA_OPER_STATE_UP,
};
use crate::ffi::{arg_mut, boolean, c_string, entry, Error, Result, Status, CPA_TRUE};

/// Most instances of one service a process can hold.
pub const MAX_INSTANCES: usize = 256;

/// One instance handle: the address C programs hold.
pub struct Slot<T> {
    inst: RwLock<Option<T>>,
}

impl<T> Slot<T> {
    // Only used to initialise the static tables, each element its own slot.
    #[allow(clippy::declare_interior_mutable_const)]
    const EMPTY: Slot<T> = Slot {
        inst: RwLock::new(None),
    };
}

static DC_SLOTS: [Slot<DcInstance>; MAX_INSTANCES] = [Slot::EMPTY; MAX_INSTANCES];
static CY_SLOTS: [Slot<CyInstance>; MAX_INSTANCES] = [Slot::EMPTY; MAX_INSTANCES];

/// The running section: the SAL handle and how many starts it answers.
struct Started {
    qat: Qat,
    starts: u32,
    dc: usize,
    cy: usize,
}

static STARTED: Mutex<Option<Started>> = Mutex::new(None);

/// The service a handle table holds.
pub trait Service: Clone + 'static {
    /// The table.
    fn slots() -> &'static [Slot<Self>; MAX_INSTANCES];
    /// How many slots the running section fills.
    fn count(s: &StartedView) -> usize;
    /// What a handle of another kind is told.
    const WRONG: &'static str;
    /// Installs the instance's notification callback.
    fn on_event(&self, cb: impl Fn(InstanceEvent) + Send + Sync + 'static);
}

/// What [`Service::count`] reads.
pub struct StartedView {
    dc: usize,
    cy: usize,
}

impl Service for DcInstance {
    fn slots() -> &'static [Slot<Self>; MAX_INSTANCES] {
        &DC_SLOTS
    }
    fn count(s: &StartedView) -> usize {
        s.dc
    }
    const WRONG: &'static str = "the instance handle is not a compression instance of this \
        process: use a handle from cpaDcGetInstances after icp_sal_userStart";
    fn on_event(&self, cb: impl Fn(InstanceEvent) + Send + Sync + 'static) {
        self.set_notification_callback(cb)
    }
}

impl Service for CyInstance {
    fn slots() -> &'static [Slot<Self>; MAX_INSTANCES] {
        &CY_SLOTS
    }
    fn count(s: &StartedView) -> usize {
        s.cy
    }
    const WRONG: &'static str = "the instance handle is not a crypto instance of this process: \
        use a handle from cpaCyGetInstances after icp_sal_userStart";
    fn on_event(&self, cb: impl Fn(InstanceEvent) + Send + Sync + 'static) {
        self.set_notification_callback(cb)
    }
}

/// The slot index of `handle` in `T`'s table, if it is one of its slots.
pub fn slot_index<T: Service>(handle: CpaInstanceHandle) -> Option<usize> {
    let base = T::slots().as_ptr() as usize;
    let size = std::mem::size_of::<Slot<T>>();
    let off = (handle as usize).checked_sub(base)?;
    (off % size == 0 && off / size < MAX_INSTANCES).then_some(off / size)
}

/// The handle of slot `i` of `T`'s table.
pub fn handle_of<T: Service>(i: usize) -> CpaInstanceHandle {
    &T::slots()[i] as *const Slot<T> as *mut c_void
}

/// The instance `handle` names (NULL: the first, as
/// `CPA_INSTANCE_HANDLE_SINGLE`), cloned out of its slot.
pub fn instance<T: Service>(handle: CpaInstanceHandle) -> Result<T> {
    let i = if handle.is_null() {
        0
    } else {
        slot_index::<T>(handle).ok_or_else(|| Error::invalid(T::WRONG))?
    };
    T::slots()[i]
        .inst
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .ok_or_else(|| Error::invalid(T::WRONG))
}

/// Runs `f` on the instance `handle` names, without cloning it.
pub fn with_instance<T: Service, R>(
    handle: CpaInstanceHandle,
    f: impl FnOnce(&T) -> Result<R>,
) -> Result<R> {
    let i = if handle.is_null() {
        0
    } else {
        slot_index::<T>(handle).ok_or_else(|| Error::invalid(T::WRONG))?
    };
    let guard = T::slots()[i].inst.read().unwrap_or_else(|e| e.into_inner());
    match guard.as_ref() {
        Some(inst) => f(inst),
        None => Err(Error::invalid(T::WRONG)),
    }
}

/// `cpa{Dc,Cy}InstanceSetNotificationCb`: `cb` is called with the
/// program's handle and tag for each event of the instance.
pub fn set_notification<T: Service>(
    handle: CpaInstanceHandle,
    cb: CpaInstanceNotificationCbFunc,
    tag: *mut c_void,
) -> Result<()> {
    let cb = cb.ok_or_else(|| Error::invalid("pInstanceNotificationCb is NULL"))?;
    // Addresses travel as integers: the callback runs on another thread.
    let (h, tag) = (handle as usize, tag as usize);
    with_instance::<T, _>(handle, |inst| {
        inst.on_event(move |event| {
            // SAFETY: the program's callback, with its own handle and tag.
            unsafe {
                cb(
                    h as CpaInstanceHandle,
                    tag as *mut c_void,
                    u32::from(event.value()),
                )
            }
        });
        Ok(())
    })
}

/// The handles of the running section's instances of `T`, in order.
pub fn handles<T: Service>() -> Vec<CpaInstanceHandle> {
    let started = STARTED.lock().unwrap_or_else(|e| e.into_inner());
    let n = started
        .as_ref()
        .map_or(0, |s| T::count(&StartedView { dc: s.dc, cy: s.cy }));
    (0..n).map(handle_of::<T>).collect()
}

/// Runs `f` with the running section (FAIL if none).
pub fn with_qat<R>(f: impl FnOnce(&Qat) -> Result<R>) -> Result<R> {
    let started = STARTED.lock().unwrap_or_else(|e| e.into_inner());
    match started.as_ref() {
        Some(s) => f(&s.qat),
        None => Err(Error::fail(
            "the library is not started: call icp_sal_userStart first",
        )),
    }
}

fn fill<T: Clone>(slots: &[Slot<T>], insts: &[T]) -> Result<usize> {
    if insts.len() > slots.len() {
        return Err(Error::resource(format!(
            "the section has {} instances of one service; softqat's C library serves at most {}",
            insts.len(),
            slots.len()
        )));
    }
    for (slot, inst) in slots.iter().zip(insts) {
        *slot.inst.write().unwrap_or_else(|e| e.into_inner()) = Some(inst.clone());
    }
    Ok(insts.len())
}

fn empty<T>(slots: &[Slot<T>]) {
    for slot in slots {
        *slot.inst.write().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// `icp_sal_userStart` with `name` (a section name such as `SSL`).
fn start(name: &str) -> Result<()> {
    let mut started = STARTED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = started.as_mut() {
        // As qatlib: further starts in the process share the first one's
        // section and are counted; each needs its userStop.
        s.starts += 1;
        return Ok(());
    }
    let qat = Qat::start(name)?;
    let dc = fill(&DC_SLOTS, qat.dc_instances())?;
    let cy = match fill(&CY_SLOTS, qat.cy_instances()) {
        Ok(n) => n,
        Err(e) => {
            empty(&DC_SLOTS);
            return Err(e);
        }
    };
    *started = Some(Started {
        qat,
        starts: 1,
        dc,
        cy,
    });
    Ok(())
}

/// Reads a C string argument.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
unsafe fn name_arg<'a>(p: *const c_char, what: &'static str) -> Result<&'a str> {
    if p.is_null() {
        return Err(Error::invalid(what));
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| Error::invalid("the section name is not valid UTF-8"))
}

/// `icp_sal_userStart(pProcessName)`: starts the section named (e.g.
/// `"SSL"`) in embedded mode or attached to `softqatd`.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn icp_sal_userStart(name: *const c_char) -> Status {
    entry("icp_sal_userStart", || {
        // SAFETY: the caller's contract.
        let name = unsafe {
            name_arg(
                name,
                "pProcessName is NULL: pass a section name such as \"SSL\"",
            )
        }?;
        start(name)
    })
}

/// `icp_sal_userStartMultiProcess(pProcessName, limitDevAccess)`: as
/// `icp_sal_userStart` (qatlib ignores the flag too).
///
/// # Safety
/// As `icp_sal_userStart`.
#[no_mangle]
pub unsafe extern "C" fn icp_sal_userStartMultiProcess(
    name: *const c_char,
    _limit_dev_access: u32,
) -> Status {
    // SAFETY: the caller's contract.
    unsafe { icp_sal_userStart(name) }
}

/// `icp_sal_userStop`: releases one start; the last releases the section.
#[no_mangle]
pub extern "C" fn icp_sal_userStop() -> Status {
    entry("icp_sal_userStop", || {
        let mut started = STARTED.lock().unwrap_or_else(|e| e.into_inner());
        let Some(s) = started.as_mut() else {
            return Err(Error::fail(
                "icp_sal_userStop without a running icp_sal_userStart",
            ));
        };
        s.starts -= 1;
        if s.starts == 0 {
            empty(&DC_SLOTS);
            empty(&CY_SLOTS);
            if let Some(s) = started.take() {
                s.qat.stop();
            }
        }
        Ok(())
    })
}

/// `icp_sal_userIsQatAvailable`: CPA_TRUE — softqat's endpoints are always
/// there to start (embedded mode needs no device).
#[no_mangle]
pub extern "C" fn icp_sal_userIsQatAvailable() -> u32 {
    CPA_TRUE
}

/// Fills a `CpaInstanceInfo2` from the SAL's instance information.
pub fn fill_info2(out: &mut CpaInstanceInfo2, info: &InstanceInfo, started: bool) {
    out.acceleration_service_type = match info.service {
        "DATA_COMPRESSION" => 1,
        "CRYPTO_ASYM" => 5,
        "CRYPTO_SYM" => 6,
        _ => 0,
    };
    c_string(&mut out.vendor_name, &info.vendor_name);
    c_string(&mut out.part_name, &info.part_name);
    c_string(&mut out.sw_version, &info.sw_version);
    c_string(&mut out.inst_name, &info.inst_name);
    c_string(&mut out.inst_id, &info.inst_id);
    out.phys_inst_id.package_id = info.package_id as u16;
    out.phys_inst_id.accelerator_id = info.accelerator_id as u16;
    out.phys_inst_id.execution_engine_id = info.execution_engine_id as u16;
    out.phys_inst_id.bus_address = info.bus_address;
    out.phys_inst_id.kpt_ac_handle = 0;
    out.core_affinity.fill(0);
    for &core in &info.core_affinity {
        if let Some(word) = out.core_affinity.get_mut(core as usize / 32) {
            *word |= 1 << (core % 32);
        }
    }
    out.node_affinity = info.node_affinity;
    out.oper_state = if started {
        CPA_OPER_STATE_UP
    } else {
        CPA_OPER_STATE_DOWN
    };
    out.requires_physically_contiguous_memory = boolean(info.requires_physically_contiguous_memory);
    out.is_polled = boolean(info.is_polled);
    out.is_offloaded = boolean(info.is_offloaded);
}

/// `CpaAccelerationServiceType` values `cpaGetNumInstances` takes.
const SVC_CRYPTO: u32 = 0;
const SVC_DATA_COMPRESSION: u32 = 1;
const SVC_CRYPTO_ASYM: u32 = 5;
const SVC_CRYPTO_SYM: u32 = 6;

/// The handles of service type `svc` (`cpaGetInstances`).
fn handles_of_type(svc: u32) -> Result<Vec<CpaInstanceHandle>> {
    match svc {
        SVC_DATA_COMPRESSION => Ok(handles::<DcInstance>()),
        SVC_CRYPTO | SVC_CRYPTO_ASYM | SVC_CRYPTO_SYM => {
            let mut out = Vec::new();
            for h in handles::<CyInstance>() {
                let keep = with_instance::<CyInstance, bool>(h, |c| {
                    Ok(match svc {
                        SVC_CRYPTO_ASYM => c.has_asym(),
                        SVC_CRYPTO_SYM => c.has_sym(),
                        _ => true,
                    })
                })?;
                if keep {
                    out.push(h);
                }
            }
            Ok(out)
        }
        2..=4 => Ok(Vec::new()),
        other => Err(Error::invalid(format!(
            "accelerationServiceType {other} is not a CpaAccelerationServiceType"
        ))),
    }
}

/// Writes the first `n` of `handles` to `out` (INVALID_PARAM if `n` is
/// more than there are).
///
/// # Safety
/// `out` is NULL or points at `n` writable handles.
pub unsafe fn copy_handles(
    handles: &[CpaInstanceHandle],
    n: usize,
    out: *mut CpaInstanceHandle,
) -> Result<()> {
    if out.is_null() {
        return Err(Error::invalid("the instance array is NULL"));
    }
    if n > handles.len() {
        return Err(Error::invalid(format!(
            "{n} instances asked for, {} exist: ask for the number the GetNumInstances call gives",
            handles.len()
        )));
    }
    // SAFETY: the caller's contract: `out` has room for `n` handles.
    let out = unsafe { std::slice::from_raw_parts_mut(out, n) };
    out.copy_from_slice(&handles[..n]);
    Ok(())
}

/// `cpaGetNumInstances(accelerationServiceType, pNumInstances)`.
///
/// # Safety
/// `num` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaGetNumInstances(svc: u32, num: *mut u16) -> Status {
    entry("cpaGetNumInstances", || {
        // SAFETY: the caller's contract.
        let num = unsafe { arg_mut(num, "pNumInstances is NULL") }?;
        *num = handles_of_type(svc)?.len() as u16;
        Ok(())
    })
}

/// `cpaGetInstances(accelerationServiceType, numInstances, cyInstances)`.
///
/// # Safety
/// `out` is NULL or has room for `n` handles.
#[no_mangle]
pub unsafe extern "C" fn cpaGetInstances(svc: u32, n: u16, out: *mut CpaInstanceHandle) -> Status {
    entry("cpaGetInstances", || {
        let hs = handles_of_type(svc)?;
        // SAFETY: the caller's contract.
        unsafe { copy_handles(&hs, n as usize, out) }
    })
}

/// `cpaDcGetNumInstances(pNumInstances)`.
///
/// # Safety
/// `num` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcGetNumInstances(num: *mut u16) -> Status {
    // SAFETY: the caller's contract.
    unsafe { cpaGetNumInstances(SVC_DATA_COMPRESSION, num) }
}

/// `cpaDcGetInstances(numInstances, dcInstances)`.
///
/// # Safety
/// `out` is NULL or has room for `n` handles.
#[no_mangle]
pub unsafe extern "C" fn cpaDcGetInstances(n: u16, out: *mut CpaInstanceHandle) -> Status {
    // SAFETY: the caller's contract.
    unsafe { cpaGetInstances(SVC_DATA_COMPRESSION, n, out) }
}

/// `cpaCyGetNumInstances(pNumInstances)`.
///
/// # Safety
/// `num` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyGetNumInstances(num: *mut u16) -> Status {
    // SAFETY: the caller's contract.
    unsafe { cpaGetNumInstances(SVC_CRYPTO, num) }
}

/// `cpaCyGetInstances(numInstances, cyInstances)`.
///
/// # Safety
/// `out` is NULL or has room for `n` handles.
#[no_mangle]
pub unsafe extern "C" fn cpaCyGetInstances(n: u16, out: *mut CpaInstanceHandle) -> Status {
    // SAFETY: the caller's contract.
    unsafe { cpaGetInstances(SVC_CRYPTO, n, out) }
}

/// `cpaDcInstanceGetInfo2(instanceHandle, pInstanceInfo2)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcInstanceGetInfo2(
    handle: CpaInstanceHandle,
    out: *mut CpaInstanceInfo2,
) -> Status {
    entry("cpaDcInstanceGetInfo2", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pInstanceInfo2 is NULL") }?;
        with_instance::<DcInstance, _>(handle, |d| {
            fill_info2(out, d.info(), d.is_started());
            Ok(())
        })
    })
}

/// `cpaCyInstanceGetInfo2(instanceHandle, pInstanceInfo2)`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaCyInstanceGetInfo2(
    handle: CpaInstanceHandle,
    out: *mut CpaInstanceInfo2,
) -> Status {
    entry("cpaCyInstanceGetInfo2", || {
        // SAFETY: the caller's contract.
        let out = unsafe { arg_mut(out, "pInstanceInfo2 is NULL") }?;
        with_instance::<CyInstance, _>(handle, |c| {
            fill_info2(out, c.info(), c.is_started());
            Ok(())
        })
    })
}
