//! Move: shipments due this tick arrive at their next stop and queue at its customs
//! office, or pass on if no office there checks their kind of flow.

use bevy_ecs::prelude::*;

use super::components::*;
use super::generate::class;
use super::random::unit;
use crate::metrics::Tally;
use crate::operation::injects::Conditions;
use crate::scenario::Role;
use crate::world::World as Sim;

/// Stage 3.
#[allow(clippy::too_many_arguments)]
pub fn movement(
    w: Res<WorldRes>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    conditions: Res<Conditions>,
    desks: Res<Desks>,
    mut calendar: ResMut<Calendar>,
    mut counts: ResMut<Counts>,
    mut desk_q: Query<&mut Desk>,
    mut log: Option<ResMut<crate::events::EventLog>>,
) {
    let w = &*w.0;
    for mut chunk in calendar.take(clock.tick) {
        for s in chunk.drain(..) {
            arrive(
                w,
                s,
                clock.tick,
                streams.waits_seed,
                &conditions,
                &desks,
                &mut calendar,
                &mut counts.0,
                &mut desk_q,
                log.as_deref_mut(),
            );
        }
        calendar.recycle(chunk);
    }
}

/// One shipment reaches its next stop.
#[allow(clippy::too_many_arguments)]
fn arrive(
    w: &Sim,
    s: Shipment,
    tick: u32,
    waits_seed: u64,
    conditions: &Conditions,
    desks: &Desks,
    calendar: &mut Calendar,
    tally: &mut Tally,
    desk_q: &mut Query<&mut Desk>,
    log: Option<&mut crate::events::EventLog>,
) {
    {
        let node_id = w.routes.stop(s.voyage.route, s.voyage.stop as usize) as usize;
        if let Some(reopens) = conditions.closed_until(node_id, tick) {
            // A closed port: the shipment waits at anchor until it reopens.
            if reopens < w.ticks() {
                calendar.book(reopens, s);
            } else {
                count_in_transit(w, &s, tally);
            }
            return;
        }
        let node = &w.nodes[node_id];
        let role = role_at(w, &s.voyage);
        match node.office {
            Some(o) if w.offices[o as usize].assesses(role) => {
                if let Ok(mut desk) = desk_q.get_mut(desks.0[o as usize]) {
                    desk.inbox.push(s);
                }
            }
            _ => advance(w, s, 0.0, tick, waits_seed, calendar, tally, log),
        }
    }
}

/// The checkpoint role of the stop a shipment is at.
pub fn role_at(w: &Sim, v: &Voyage) -> Role {
    let last = w.routes.stops(v.route) - 1;
    match v.stop as usize {
        0 => Role::Export,
        k if k == last => Role::Import,
        _ => Role::Transit,
    }
}

/// A window shipment that can no longer arrive before the run's last tick: its fate is
/// unknown.
fn count_in_transit(w: &Sim, s: &Shipment, tally: &mut Tally) {
    if s.voyage.in_window() {
        let fates = tally.fates(class(w, &s.cargo));
        fates.in_transit += 1;
        if s.voyage.flags & Voyage::REACHED_OFFICE != 0 {
            fates.reached_office_in_transit += 1;
        }
    }
}

/// Release a shipment from its current stop after `dwell` hours: deliver it if this was
/// its destination, otherwise book its arrival at the next stop (after waiting for the
/// service's next departure). Arrivals after the run's last tick count as in transit and
/// leave the simulation, since nothing can happen to them any more. A shipment that
/// leaves is dropped here; only window shipments are counted (a delivery is recorded in
/// the event log, if there is one, whatever its window).
#[allow(clippy::too_many_arguments)]
pub fn advance(
    w: &Sim,
    mut s: Shipment,
    dwell: f64,
    tick: u32,
    waits_seed: u64,
    calendar: &mut Calendar,
    tally: &mut Tally,
    log: Option<&mut crate::events::EventLog>,
) {
    let v = &mut s.voyage;
    let legs = w.routes.legs_of(v.route);
    let Some(leg) = legs.get(v.stop as usize) else {
        if v.in_window() {
            tally.fates(class(w, &s.cargo)).delivered += 1;
        }
        if let Some(log) = log {
            log.delivered(v.serial, (v.hour as f64 + dwell).round() as u32);
        }
        return;
    };
    let wait = unit(waits_seed, v.serial as u64, v.stop as u64) * leg.headway_hours as f64;
    let arrive = v.hour as f64 + dwell + wait + leg.travel_hours as f64;
    v.stop += 1;
    v.hour = arrive.round() as u32;
    // An arrival inside the current tick is handled next tick: the tick is the clock's
    // resolution.
    let due = (v.hour / w.tick_hours).max(tick + 1);
    if due >= w.ticks() {
        count_in_transit(w, &s, tally);
    } else {
        calendar.book(due, s);
    }
}
