//! The ring budget (services → ring pairs per instance → instances per
//! bank) and the deterministic placement of instances on ring pairs.
//!
//! **Gen2** (banks of 16 rings = 8 ring pairs, TX ring k / RX ring k+8): one
//! instance of each enabled service together needs `u` ring pairs (sym 1,
//! asym 1, dc 1; a `cy` instance is sym + asym), so a bank holds
//! `s = floor(8 / u)` instances of each service: `cy;dc` → 2 cy + 2 dc,
//! `cy` → 4, `dc`/`sym`/`asym` → 8, `dc;asym` → 4 + 4 (Guide §4.3.3.2).
//! Within a bank the ring pairs are grouped by service in the order asym,
//! sym, dc, `s` pairs per group: slot j of service X uses ring pair
//! `base(X) + j`. An epoll instance (IsPolled = 2) takes a whole bank
//! (Guide §2.2.1.3); epoll banks are taken from the highest bank down, and
//! the other instances fill banks from bank 0 up.
//!
//! **Gen4** (banks of one ring pair, TX ring 0 / RX ring 1): bank b carries
//! the service `pattern[b % 4]` of the `ring_to_svc_map` for the enabled
//! services. A Cy instance takes the next free asym bank and the next free
//! sym bank (those its endpoint enables), a Dc instance the next free dc
//! bank. Epoll needs nothing extra: every gen4 bank already holds one
//! instance ring.
//!
//! **Gen6** is placed as gen4, with the 6xxx driver's pattern (see
//! [`ServiceSet::ring_pattern`]).

use crate::class::Generation;
use crate::diag::Diagnostic;
use crate::model::{EndpointConfig, InstanceService, Polling, SectionKind};
pub use crate::model::{Instance, PlacedInstance, RingPlacement};
use crate::services::{RingService, ServiceSet};

/// The ring services one instance of `svc` uses on an endpoint running `own`.
fn instance_rings(svc: InstanceService, own: ServiceSet) -> Vec<RingService> {
    match svc {
        InstanceService::Cy => {
            let mut v = Vec::new();
            if own.has_sym() {
                v.push(RingService::Sym);
            }
            if own.has_asym() {
                v.push(RingService::Asym);
            }
            v
        }
        InstanceService::Dc => vec![RingService::Dc],
    }
}

/// Ring services present in a layout, in gen2 group order.
fn layout_ring_services(layout: ServiceSet) -> Vec<RingService> {
    let mut v = Vec::new();
    if layout.has_asym() {
        v.push(RingService::Asym);
    }
    if layout.has_sym() {
        v.push(RingService::Sym);
    }
    if layout.has_dc() {
        v.push(RingService::Dc);
    }
    v
}

/// Gen2: instances of each service one bank holds.
fn gen2_slots(pairs_per_bank: u32, layout: ServiceSet) -> u32 {
    let unit = u32::try_from(layout_ring_services(layout).len())
        .unwrap_or(1)
        .max(1);
    pairs_per_bank / unit
}

/// Errors for sections asking for instances of a service the endpoint does
/// not enable.
pub(crate) fn check_services_used(ep: &EndpointConfig, out: &mut Vec<Diagnostic>) {
    let gen = ep.class.generation;
    for s in &ep.sections {
        for svc in [InstanceService::Cy, InstanceService::Dc] {
            let n = s.instances(svc).len();
            let enabled = match svc {
                InstanceService::Cy => ep.services.has_crypto(),
                InstanceService::Dc => ep.services.has_dc(),
            };
            if n == 0 || enabled {
                continue;
            }
            let (line, key) = match svc {
                InstanceService::Cy => s.lines.cy.unwrap_or((s.lines.header, "NumberCyInstances")),
                InstanceService::Dc => s.lines.dc.unwrap_or((s.lines.header, "NumberDcInstances")),
            };
            let (what, add) = match (svc, gen) {
                (InstanceService::Cy, Generation::Gen2) => ("no crypto service", "cy"),
                (InstanceService::Cy, Generation::Gen4 | Generation::Gen6) => {
                    ("no crypto service", "sym or asym")
                }
                _ => ("no compression", "dc"),
            };
            out.push(Diagnostic::at(
                &ep.file,
                line,
                format!(
                    "[{}] asks for {n} {} instances but ServicesEnabled = {} enables {what}: set {key} = 0 or add {add} to ServicesEnabled",
                    s.name,
                    svc.prefix(),
                    ep.services_text()
                ),
            ));
        }
    }
}

#[derive(Default)]
struct Demand {
    polled: u64,
    epoll: u64,
    /// (section, copies, instances per copy) of every contributing section.
    contributors: Vec<(String, u32, u64, SectionKind)>,
    first_line: Option<u32>,
}

fn demand(ep: &EndpointConfig, svc: InstanceService) -> Demand {
    let mut d = Demand::default();
    for s in &ep.sections {
        let list = s.instances(svc);
        if list.is_empty() {
            continue;
        }
        let copies = u64::from(s.copies());
        let epoll = list.iter().filter(|i| i.polling == Polling::Epoll).count() as u64;
        let polled = list.len() as u64 - epoll;
        d.polled += copies * polled;
        d.epoll += copies * epoll;
        d.contributors
            .push((s.name.clone(), s.copies(), list.len() as u64, s.kind));
        if d.first_line.is_none() {
            d.first_line = Some(match svc {
                InstanceService::Cy => s.lines.cy.map_or(s.lines.header, |(l, _)| l),
                InstanceService::Dc => s.lines.dc.map_or(s.lines.header, |(l, _)| l),
            });
        }
    }
    d
}

fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Checks that the instances of `ep` fit its banks. `layout` is the service
/// set that shapes the banks: the endpoint's own, or for a VF its PF's
/// (Guide §4.3.3.3). `pf_note` describes the PF for messages.
pub(crate) fn check_budget(
    ep: &EndpointConfig,
    layout: ServiceSet,
    pf_note: Option<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let class = ep.class;
    let banks = u64::from(ep.banks());
    let type_name = ep.type_name();
    let endpoint_desc = match pf_note {
        Some(note) => format!(
            "a {type_name} endpoint with ServicesEnabled={} {note}",
            ep.services_text()
        ),
        None => format!(
            "a {type_name} endpoint with ServicesEnabled={}",
            ep.services_text()
        ),
    };
    let cy = demand(ep, InstanceService::Cy);
    let dc = demand(ep, InstanceService::Dc);
    let epoll_banks = match class.generation {
        Generation::Gen2 => cy.epoll + dc.epoll,
        Generation::Gen4 | Generation::Gen6 => 0,
    };
    if epoll_banks > banks {
        let sections: Vec<String> = cy
            .contributors
            .iter()
            .chain(&dc.contributors)
            .map(|c| format!("[{}]", c.0))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        out.push(Diagnostic::maybe_at(
            &ep.file,
            cy.first_line.or(dc.first_line),
            format!(
                "needs {epoll_banks} banks for epoll instances (each takes a bank of its own) but a {type_name} endpoint has {banks}: set IsPolled = 1 for some instances in {}, or lower NumProcesses",
                or_list(&sections)
            ),
        ));
        return;
    }
    let free_banks = banks - epoll_banks;
    for (svc, d) in [(InstanceService::Cy, &cy), (InstanceService::Dc, &dc)] {
        let needed = d.polled + d.epoll;
        if needed == 0 {
            continue;
        }
        let rings = instance_rings(svc, ep.services);
        // Gen2 with epoll banks: compare the polled instances with the room
        // left in the banks epoll instances did not take.
        let gen2_epoll = class.generation == Generation::Gen2 && epoll_banks > 0;
        let needed = if gen2_epoll { d.polled } else { needed };
        let (capacity, usable) = match class.generation {
            Generation::Gen2 => {
                let slots = u64::from(gen2_slots(class.ring_pairs_per_bank(), layout));
                let usable = rings
                    .iter()
                    .all(|r| layout_ring_services(layout).contains(r));
                (slots * free_banks, usable)
            }
            Generation::Gen4 | Generation::Gen6 => match layout.ring_pattern(class.generation) {
                Some(pattern) => {
                    let per_service = |r: RingService| {
                        let in_pattern = pattern.iter().filter(|p| **p == r).count() as u64;
                        banks / 4 * in_pattern
                            + pattern
                                .iter()
                                .take((banks % 4) as usize)
                                .filter(|p| **p == r)
                                .count() as u64
                    };
                    let cap = rings.iter().map(|r| per_service(*r)).min().unwrap_or(0);
                    (cap, true)
                }
                None => (0, false),
            },
        };
        if needed <= capacity && usable {
            continue;
        }
        let capacity = if usable { capacity } else { 0 };
        let count_key = match svc {
            InstanceService::Cy => "NumberCyInstances",
            InstanceService::Dc => "NumberDcInstances",
        };
        let sections: Vec<String> = d
            .contributors
            .iter()
            .map(|c| format!("[{}]", c.0))
            .collect();
        let breakdown = if d.contributors.len() > 1 {
            let parts: Vec<String> = d
                .contributors
                .iter()
                .map(|(name, copies, per, kind)| {
                    if *kind == SectionKind::User {
                        format!("[{name}] {copies} × {per}")
                    } else {
                        format!("[{name}] {per}")
                    }
                })
                .collect();
            format!(" ({})", parts.join(" + "))
        } else {
            String::new()
        };
        let (polled_word, epoll_note) = if gen2_epoll {
            (
                " polled",
                format!(" in the {free_banks} of its {banks} banks that epoll instances left free"),
            )
        } else {
            ("", String::new())
        };
        let other_services = match svc {
            InstanceService::Cy => layout.has_dc(),
            InstanceService::Dc => layout.has_crypto(),
        } || (svc == InstanceService::Cy
            && class.generation == Generation::Gen2
            && rings.len() < 2
            && layout.has_sym()
            && layout.has_asym());
        let fewer = if other_services {
            if pf_note.is_some() {
                ", or enable fewer services on the PF"
            } else {
                ", or enable fewer services"
            }
        } else {
            ""
        };
        let any_user = d.contributors.iter().any(|c| c.3 == SectionKind::User);
        let what = if any_user {
            format!("NumProcesses or {count_key}")
        } else {
            count_key.to_string()
        };
        out.push(Diagnostic::maybe_at(
            &ep.file,
            d.first_line,
            format!(
                "needs {needed}{polled_word} {} instances{breakdown} but {endpoint_desc} has room for {capacity}{epoll_note}: lower {what} in {}{fewer}",
                svc.prefix(),
                or_list(&sections)
            ),
        ));
    }
}

/// Places every instance of `ep` on ring pairs (see the module docs). Call
/// only after [`check_budget`] passed; a failure here is reported, never a
/// panic.
pub(crate) fn place(
    ep: &EndpointConfig,
    layout: ServiceSet,
) -> Result<Vec<PlacedInstance>, String> {
    let class = ep.class;
    let banks = ep.banks();
    let pairs = class.ring_pairs_per_bank();
    let g = &ep.general;
    let requests = |r: RingService| match r {
        RingService::Sym => g.cy_sym_requests,
        RingService::Asym => g.cy_asym_requests,
        RingService::Dc => g.dc_requests,
    };
    let full = || {
        format!(
            "{}: the instances do not fit the banks of this {} endpoint: lower NumProcesses or the instance counts",
            ep.name(),
            ep.type_name()
        )
    };
    let mut out = Vec::new();

    // Gen2 state.
    let slots = gen2_slots(pairs, layout);
    let groups = layout_ring_services(layout);
    let mut used: Vec<[u32; 2]> = vec![[0, 0]; banks as usize];
    let mut exclusive: Vec<bool> = vec![false; banks as usize];
    // Gen4 state.
    let pattern = layout.ring_pattern(class.generation);
    let mut cursors: [usize; 3] = [0; 3];
    let bank_lists: [Vec<u32>; 3] = {
        let mut lists: [Vec<u32>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        if let Some(p) = pattern {
            for b in 0..banks {
                let svc = p[(b % 4) as usize];
                lists[svc_slot(svc)].push(b);
            }
        }
        lists
    };

    for s in &ep.sections {
        for process in 0..s.copies() {
            for svc in [InstanceService::Cy, InstanceService::Dc] {
                for (k, ic) in s.instances(svc).iter().enumerate() {
                    let ring_svcs = instance_rings(svc, ep.services);
                    let mut rings = Vec::new();
                    match class.generation {
                        Generation::Gen2 => {
                            let kind = usize::from(svc == InstanceService::Dc);
                            let (bank, slot) = if ic.polling == Polling::Epoll {
                                let b = (0..banks)
                                    .rev()
                                    .find(|b| {
                                        let i = *b as usize;
                                        !exclusive[i] && used[i] == [0, 0]
                                    })
                                    .ok_or_else(full)?;
                                exclusive[b as usize] = true;
                                used[b as usize][kind] = 1;
                                (b, 0)
                            } else {
                                let b = (0..banks)
                                    .find(|b| {
                                        let i = *b as usize;
                                        !exclusive[i] && used[i][kind] < slots
                                    })
                                    .ok_or_else(full)?;
                                let slot = used[b as usize][kind];
                                used[b as usize][kind] += 1;
                                (b, slot)
                            };
                            for r in &ring_svcs {
                                let group = groups.iter().position(|x| x == r).ok_or_else(full)?;
                                let rp = u32::try_from(group).unwrap_or(0) * slots + slot;
                                rings.push(RingPlacement {
                                    service: *r,
                                    endpoint: ep.id,
                                    bank,
                                    ring_pair: rp,
                                    tx_ring: rp,
                                    rx_ring: rp + pairs,
                                    num_concurrent_requests: requests(*r),
                                });
                            }
                        }
                        Generation::Gen4 | Generation::Gen6 => {
                            for r in &ring_svcs {
                                let list = &bank_lists[svc_slot(*r)];
                                let cur = &mut cursors[svc_slot(*r)];
                                let bank = *list.get(*cur).ok_or_else(full)?;
                                *cur += 1;
                                rings.push(RingPlacement {
                                    service: *r,
                                    endpoint: ep.id,
                                    bank,
                                    ring_pair: 0,
                                    tx_ring: 0,
                                    rx_ring: 1,
                                    num_concurrent_requests: requests(*r),
                                });
                            }
                        }
                    }
                    if rings.is_empty() {
                        return Err(full());
                    }
                    out.push(PlacedInstance {
                        section: s.name.clone(),
                        process,
                        instance: Instance {
                            service: svc,
                            index: u32::try_from(k).unwrap_or(u32::MAX),
                            name: ic.name.clone(),
                            endpoint: ep.id,
                            polling: ic.polling,
                            core_affinity: ic.core_affinity,
                            rings,
                        },
                    });
                }
            }
        }
    }
    Ok(out)
}

fn svc_slot(r: RingService) -> usize {
    match r {
        RingService::Sym => 0,
        RingService::Asym => 1,
        RingService::Dc => 2,
    }
}
