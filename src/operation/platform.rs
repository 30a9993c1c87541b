//! The 24/7 communication platform: alerts from the office that seized or detained a
//! shipment to the offices further along its route and/or to every participant. An
//! alert names the shipment, its exporter and its consignee; a receiving office puts
//! matching declarations ahead of its strategy's choices, within capacity.

use std::collections::HashMap;

use bevy_ecs::prelude::*;

use super::Plan;
use crate::scenario::Availability;
use crate::sim::components::Clock;
use crate::targeting::Facts;
use crate::world::World;

/// One alert on its way to one office.
#[derive(Debug, Clone)]
pub struct Message {
    pub office: u16,
    pub shipment: Option<u64>,
    pub traders: Vec<u32>,
    /// Tick after which it no longer raises priority.
    pub expires: u32,
}

/// Alerts in transit and those each office is acting on. The maps are lookups only;
/// their order never reaches an output.
#[derive(Resource)]
pub struct Alerts {
    pending: Vec<Vec<Message>>,
    traders: Vec<HashMap<u32, u32>>,
    shipments: Vec<HashMap<u64, u32>>,
}

impl Alerts {
    pub fn new(offices: usize, ticks: u32) -> Alerts {
        Alerts {
            pending: vec![Vec::new(); ticks as usize],
            traders: vec![HashMap::new(); offices],
            shipments: vec![HashMap::new(); offices],
        }
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
        !self.traders[office].is_empty() || !self.shipments[office].is_empty()
    }

    /// Whether an active alert at `office` names this declaration's shipment or traders.
    pub fn matches(&self, office: usize, tick: u32, f: &Facts) -> bool {
        let live = |e: Option<&u32>| e.is_some_and(|&until| until > tick);
        live(self.shipments[office].get(&f.serial))
            || live(self.traders[office].get(&f.exporter))
            || live(self.traders[office].get(&f.consignee))
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
    } = &mut *alerts;
    let Some(due) = pending.get_mut(clock.tick as usize) else {
        return;
    };
    for m in due.drain(..) {
        let o = m.office as usize;
        if let Some(s) = m.shipment {
            shipments[o].insert(s, m.expires);
        }
        for t in m.traders {
            let e = traders[o].entry(t).or_insert(0);
            *e = (*e).max(m.expires);
        }
    }
}
