//! Injects: scripted events applied at the start of their day, and the conditions they
//! leave behind (closed nodes, failed scanners, changed capacity). A new carrier service
//! is part of the world's route epochs (see `World::epoch`); here it is only recorded.

use bevy_ecs::prelude::*;

use super::Effect;
use super::platform::{Alerts, Message, delivery_tick};
use crate::sim::components::{Clock, Counts, RunMode, Streams, WorldRes};
use crate::sim::generate::PlansRes;
use crate::sim::random::{name_key, unit};

/// What injects changed, per office and node, and until which tick.
#[derive(Resource)]
pub struct Conditions {
    capacity: Vec<(f64, u32)>,
    scanner_down_until: Vec<u32>,
    closed_until: Vec<u32>,
}

impl Conditions {
    pub fn new(offices: usize, nodes: usize) -> Conditions {
        Conditions {
            capacity: vec![(1.0, 0); offices],
            scanner_down_until: vec![0; offices],
            closed_until: vec![0; nodes],
        }
    }

    pub fn capacity_factor(&self, office: usize, tick: u32) -> f64 {
        let (f, until) = self.capacity[office];
        if tick < until { f } else { 1.0 }
    }

    pub fn scanner_works(&self, office: usize, tick: u32) -> bool {
        tick >= self.scanner_down_until[office]
    }

    /// Close a node until tick `until` (an exercise's facilitator inject).
    pub fn close_node(&mut self, node: usize, until: u32) {
        self.closed_until[node] = until;
    }

    /// Put an office's scanner out of order until tick `until`.
    pub fn fail_scanner(&mut self, office: usize, until: u32) {
        self.scanner_down_until[office] = until;
    }

    /// Multiply an office's capacity by `factor` until tick `until`.
    pub fn change_capacity(&mut self, office: usize, factor: f64, until: u32) {
        self.capacity[office] = (factor, until);
    }

    /// The tick a closed node reopens, if it is closed now.
    pub fn closed_until(&self, node: usize, tick: u32) -> Option<u32> {
        let t = self.closed_until[node];
        (tick < t).then_some(t)
    }
}

/// Stage 0: the day's scripted events.
#[allow(clippy::too_many_arguments)]
pub fn injects(
    w: Res<WorldRes>,
    clock: Res<Clock>,
    mode: Res<RunMode>,
    mut conditions: ResMut<Conditions>,
    mut alerts: ResMut<Alerts>,
    mut plans: ResMut<PlansRes>,
    streams: Res<Streams>,
    mut counts: ResMut<Counts>,
) {
    let w = &*w.0;
    let tpd = w.ticks_per_day();
    let Some(plan) = &w.operation else {
        return;
    };
    if !clock.tick.is_multiple_of(tpd) {
        return;
    }
    let day = clock.tick / tpd;
    // Inject days are window days moved onto the simulation's (see `Plan::shifted`);
    // the timeline speaks in window days.
    let window_day = w.window_day(day).unwrap_or(0);
    let tally = &mut counts.0;
    // The baseline lives through the same closures, failures and new services; only
    // what the operation itself does is left out of it.
    for (_, text, effect, _) in plan
        .injects
        .iter()
        .filter(|i| i.0 == day && (i.3 || !mode.baseline))
    {
        tally.timeline.push((window_day, text.clone()));
        // Saturating: a duration past the run's end means "until the end", never a
        // wrapped tick in the past (validate bounds the days, this keeps it so).
        let until = |days: u32| clock.tick.saturating_add(days.saturating_mul(tpd));
        match effect {
            Effect::NodeClosure { node, days } => conditions.closed_until[*node] = until(*days),
            Effect::EquipmentFailure {
                office: Some(o),
                days,
            } => conditions.scanner_down_until[*o] = until(*days),
            Effect::EquipmentFailure { office: None, .. } => {}
            Effect::CapacityChange {
                offices,
                factor,
                days,
            } => {
                for &o in offices {
                    conditions.capacity[o] = (*factor, until(*days));
                }
            }
            Effect::IntelligenceTip { network, coverage } => {
                let net = &w.networks[*network];
                let mut traders = Vec::new();
                for range in [net.exporters.clone(), net.consignees.clone()] {
                    let known = (range.len() as f64 * coverage).ceil() as usize;
                    traders.extend(range.take(known));
                }
                let expires = plan.end.max(day + 1) * tpd;
                // Participants read the platform around the clock: one broadcast.
                let m = Message {
                    office: None,
                    shipment: None,
                    traders,
                    expires,
                };
                let n = alerts.recipients(&m) as u64;
                let due = plan
                    .participant
                    .iter()
                    .position(|p| *p)
                    .and_then(|c| delivery_tick(w, plan, clock.tick, c));
                if let Some(due) = due
                    && alerts.send(due, m)
                {
                    tally.alerts_sent += n;
                }
            }
            Effect::NewService => {}
            Effect::Publicity => {
                // Keyed by network and day, not drawn from the adversary's stream: which
                // networks pause must not depend on what earlier seizures taught them.
                for (n, net) in w.networks.iter().enumerate() {
                    // Keyed by the network's name, not its position in the file.
                    if unit(
                        streams.publicity_seed,
                        name_key(&net.name),
                        window_day as u64,
                    ) < net.adaptation.publicity_pause_share
                    {
                        let resume = day.saturating_add(net.adaptation.publicity_pause_days);
                        plans.0.pause(n, resume);
                        tally.timeline.push((
                            window_day,
                            format!(
                                "\"{}\" pauses until day {} after the publicity",
                                net.name,
                                window_day + net.adaptation.publicity_pause_days
                            ),
                        ));
                    }
                }
            }
        }
    }
}
