//! The 24/7 communication platform: alerts from the office that seized or detained a
//! shipment to the offices further along its route and/or to every participant. An
//! alert names the shipment, its exporter and its consignee; a receiving office puts
//! matching declarations ahead of its strategy's choices, within capacity. An alert to
//! every participant is stored once, not once per office, so a broadcast costs the same
//! whether 10 or 114 administrations take part.

use rustc_hash::FxHashMap;

use bevy_ecs::prelude::*;

use super::Plan;
use crate::scenario::Availability;
use crate::sim::components::Clock;
use crate::targeting::Facts;
use crate::world::World;

/// One alert on its way to one office, or to every participant's office.
#[derive(Debug, Clone)]
pub struct Message {
    /// `None`: every participant's office.
    pub office: Option<u16>,
    pub shipment: Option<u64>,
    pub traders: Vec<u32>,
    /// Tick after which it no longer raises priority.
    pub expires: u32,
}

/// Alerts in transit and those each office is acting on. The maps are lookups only;
/// their order never reaches an output. Fx hashing: every declaration at an office with
/// alerts is looked up three times, and SipHash was a tenth of a run's CPU; the keys are
/// the simulation's own serials and ids, not input an attacker chooses.
#[derive(Resource)]
pub struct Alerts {
    pending: Vec<Vec<Message>>,
    /// Per office (the last entry: every participant), what its active alerts name and
    /// the tick each expires.
    traders: Vec<FxHashMap<u32, u32>>,
    shipments: Vec<FxHashMap<u64, u32>>,
    participant: Vec<bool>,
}

impl Alerts {
    /// `participant[o]`: whether office `o` belongs to a participating administration.
    pub fn new(participant: Vec<bool>, ticks: u32) -> Alerts {
        let slots = participant.len() + 1;
        Alerts {
            pending: vec![Vec::new(); ticks as usize],
            traders: vec![FxHashMap::default(); slots],
            shipments: vec![FxHashMap::default(); slots],
            participant,
        }
    }

    /// The offices a message reaches.
    pub fn recipients(&self, m: &Message) -> usize {
        match m.office {
            Some(_) => 1,
            None => self.participant.iter().filter(|p| **p).count(),
        }
    }

    fn slots(&self, office: usize) -> impl Iterator<Item = usize> {
        let all = self.participant.len();
        std::iter::once(office).chain(self.participant[office].then_some(all))
    }

    /// Queue a message for delivery at `tick` (dropped if past the run's end).
    pub fn send(&mut self, tick: u32, m: Message) -> bool {
        match self.pending.get_mut(tick as usize) {
            Some(q) => {
                q.push(m);
                true
            }
            None => false,
        }
    }

    pub fn has_any(&self, office: usize) -> bool {
        self.slots(office)
            .any(|k| !self.traders[k].is_empty() || !self.shipments[k].is_empty())
    }

    /// Whether an active alert at `office` names this declaration's shipment or traders.
    pub fn matches(&self, office: usize, tick: u32, f: &Facts) -> bool {
        let live = |e: Option<&u32>| e.is_some_and(|&until| until > tick);
        // Most slots name no trader (alerts from flags name only the shipment): skip
        // the lookups of an empty map.
        self.slots(office).any(|k| {
            let (shipments, traders) = (&self.shipments[k], &self.traders[k]);
            (!shipments.is_empty() && live(shipments.get(&f.serial)))
                || (!traders.is_empty()
                    && (live(traders.get(&f.exporter)) || live(traders.get(&f.consignee))))
        })
    }
}

/// When an office of country `c` reads an alert sent at `tick`: after the platform's
/// latency, at the next tick at the earliest; offices that read alerts in office hours
/// only wait for Monday. `None` if it does not read alerts.
pub fn delivery_tick(w: &World, plan: &Plan, tick: u32, c: usize) -> Option<u32> {
    let hours = tick as f64 * w.tick_hours as f64 + plan.platform.latency_hours;
    let mut due = ((hours / w.tick_hours as f64).ceil() as u32).max(tick + 1);
    match plan.reads_alerts(c) {
        Availability::Never => return None,
        Availability::Always => {}
        Availability::OfficeHours => {
            let tpd = w.ticks_per_day();
            while (w.start_weekday + (due / tpd) as usize) % 7 >= 5 {
                due = (due / tpd + 1) * tpd;
            }
        }
    }
    Some(due)
}

/// Stage between move and assess: alerts due this tick reach their offices.
pub fn receive(clock: Res<Clock>, mut alerts: ResMut<Alerts>) {
    let Alerts {
        pending,
        traders,
        shipments,
        participant,
    } = &mut *alerts;
    let Some(due) = pending.get_mut(clock.tick as usize) else {
        return;
    };
    // Taken, not drained: a drained list keeps its capacity, and over a run the
    // delivered lists held as much memory as every alert ever sent (≈ 200 MB per run of
    // the global scenario at 10M declarations).
    for m in std::mem::take(due) {
        let o = m.office.map_or(participant.len(), |o| o as usize);
        if let Some(s) = m.shipment {
            shipments[o].insert(s, m.expires);
        }
        for t in m.traders {
            let e = traders[o].entry(t).or_insert(0);
            *e = (*e).max(m.expires);
        }
    }
}
