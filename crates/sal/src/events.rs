//! Device events on their way to the notification callbacks.
//!
//! qatlib does not call an instance's notification callback from the driver:
//! the driver queues the event, and the callback runs when the application
//! calls `icp_sal_poll_device_events()`, on the application's thread. softqat
//! does the same, in both modes: whatever changes an endpoint's state (an
//! embedded endpoint's own thread, a reset thread, the managed connection's
//! event thread) only appends (endpoint, event) to one queue per process, and
//! [`poll_device_events`] takes the events out in order and calls the
//! callbacks of the instances of that endpoint in this process.
//!
//! The queue is off the request path: an event is a change of endpoint
//! state, a few per reset.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, TryLockError, Weak};

use crate::instance::{EventTarget, InstanceEvent};

/// Who knows the instances an event goes to: the embedded device set, or
/// the managed connection. Asked at delivery, so that an instance dropped
/// in between is not called and the event of one device set never reaches
/// the instances of another with the same endpoint number.
pub(crate) trait EventSource: Send + Sync {
    /// The instances of this process on endpoint `endpoint` of this source.
    fn targets(&self, endpoint: u32) -> Vec<Arc<dyn EventTarget>>;
}

struct Queued {
    source: Weak<dyn EventSource>,
    endpoint: u32,
    event: InstanceEvent,
}

/// Events not yet delivered; beyond this many, the oldest are dropped (an
/// application that never polls must not grow the process without bound).
const MAX_QUEUED: usize = 4096;

static QUEUE: Mutex<VecDeque<Queued>> = Mutex::new(VecDeque::new());

/// Held while events are delivered, so that two threads polling at once do
/// not deliver them out of order.
static DELIVERING: Mutex<()> = Mutex::new(());

/// Queues `event` of endpoint `endpoint` of `source` for the next
/// [`poll_device_events`].
pub(crate) fn push(source: Weak<dyn EventSource>, endpoint: u32, event: InstanceEvent) {
    let mut q = QUEUE.lock().unwrap_or_else(|e| e.into_inner());
    if q.len() >= MAX_QUEUED {
        if let Some(old) = q.pop_front() {
            eprintln!(
                "softqat: {MAX_QUEUED} device events are waiting: {:?} of qat_dev{} dropped; \
                 call icp_sal_poll_device_events (softqat_sal::poll_device_events) regularly",
                old.event, old.endpoint
            );
        }
    }
    q.push_back(Queued {
        source,
        endpoint,
        event,
    });
}

/// `icp_sal_poll_device_events`: delivers the device events queued since the
/// last call, in the order they happened, to the notification callbacks of
/// this process's instances on the endpoint of each (FATAL_ERROR,
/// RESTARTING, RESTARTED), on the calling thread. Returns how many events
/// were delivered (an event reaching several instances counts once; an
/// event whose instances are all gone is dropped and not counted).
///
/// Process-wide, as in qatlib: one call serves every section this process
/// started. A call made while another thread (or a callback on this one)
/// is delivering returns 0 at once and leaves the events to that call.
pub fn poll_device_events() -> usize {
    // A callback that panicked poisons the lock; the queue is still sound.
    let _turn = match DELIVERING.try_lock() {
        Ok(g) => g,
        Err(TryLockError::Poisoned(p)) => p.into_inner(),
        Err(TryLockError::WouldBlock) => return 0,
    };
    let mut delivered = 0;
    loop {
        // One event at a time: a callback may take a while (or start a
        // section), and events that arrive meanwhile join this round.
        let next = QUEUE.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
        let Some(q) = next else { break };
        let Some(source) = q.source.upgrade() else {
            continue;
        };
        let targets = source.targets(q.endpoint);
        drop(source);
        if targets.is_empty() {
            continue;
        }
        for t in targets {
            t.deliver(q.event);
        }
        delivered += 1;
    }
    delivered
}

/// Events waiting for [`poll_device_events`].
pub fn pending_device_events() -> usize {
    QUEUE.lock().unwrap_or_else(|e| e.into_inner()).len()
}
