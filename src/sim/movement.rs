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
    mut inboxes: Local<Vec<Vec<Shipment>>>,
) {
    let w = &*w.0;
    // The inboxes by office for this stage: looking a desk up in the query for every
    // arriving shipment cost more than the push itself.
    inboxes.resize_with(desks.0.len(), Vec::new);
    for (o, &e) in desks.0.iter().enumerate() {
        if let Ok(mut desk) = desk_q.get_mut(e) {
            inboxes[o] = std::mem::take(&mut desk.inbox);
        }
    }
    for mut chunk in calendar.take(clock.tick) {
        for s in chunk.drain(..) {
            arrive(
                w,
                s,
                clock.tick,
                streams.waits_seed,
                &conditions,
                &mut calendar,
                &mut counts.0,
                &mut inboxes,
                log.as_deref_mut(),
            );
        }
        calendar.recycle(chunk);
    }
    for (o, &e) in desks.0.iter().enumerate() {
        if let Ok(mut desk) = desk_q.get_mut(e) {
            desk.inbox = std::mem::take(&mut inboxes[o]);
        }
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
    calendar: &mut Calendar,
    tally: &mut Tally,
    inboxes: &mut [Vec<Shipment>],
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
                record_missed(w, &s, s.voyage.stop as usize, "in_transit", tally);
            }
            return;
        }
        let node = &w.nodes[node_id];
        let role = role_at(w, &s.voyage);
        match node.office {
            Some(o) if w.offices[o as usize].assesses(role) => inboxes[o as usize].push(s),
            _ => advance(w, s, 0.0, tick, waits_seed, calendar, tally, log),
        }
    }
}

/// An illicit shipment that reached an office and leaves the simulation unseized, after
/// `passed` stops of its route: a `missed.csv` row.
fn record_missed(w: &Sim, s: &Shipment, passed: usize, fate: &'static str, tally: &mut Tally) {
    // counted like the fates: the window's shipments only
    if !s.cargo.is_illicit()
        || s.voyage.flags & Voyage::REACHED_OFFICE == 0
        || !s.voyage.in_window()
    {
        return;
    }
    let r = s.voyage.route;
    let stops = w.routes.stops(r);
    let node = |k: usize| &w.nodes[w.routes.stop(r, k) as usize];
    let offices: Vec<&str> = (0..passed.min(stops))
        .filter(|&k| {
            let role = match k {
                0 => Role::Export,
                k if k == stops - 1 => Role::Import,
                _ => Role::Transit,
            };
            node(k)
                .office
                .is_some_and(|o| w.offices[o as usize].assesses(role))
        })
        .map(|k| node(k).code.as_str())
        .collect();
    let com = &w.commodities[s.cargo.commodity as usize];
    let hs = &w.hs[s.decl.hs as usize];
    tally.missed.push(crate::metrics::tally::Missed {
        shipment: s.voyage.serial as u64,
        network: w.networks[s.cargo.network as usize].name.clone(),
        commodity_actual: com.name.clone(),
        category: com.category.label(),
        hs_actual: w.hs[com.hs as usize].code.clone(),
        hs_declared: hs.code.clone(),
        description_declared: hs.description.clone(),
        vague_description: s.decl.flags & Declaration::VAGUE != 0,
        licence_quoted: s.decl.flags & Declaration::LICENCE != 0,
        concealment: crate::scenario::Concealment::ALL[s.cargo.concealment as usize].label(),
        route: (0..stops)
            .map(|k| node(k).code.as_str())
            .collect::<Vec<_>>()
            .join(">"),
        offices_assessed: offices.join(";"),
        fate,
        last_node: node(passed.clamp(1, stops) - 1).code.clone(),
    });
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
            log.delivered(v.serial, whole_hour(v.hour as f64 + dwell));
        }
        let passed = v.stop as usize + 1;
        record_missed(w, &s, passed, "delivered", tally);
        return;
    };
    let wait = unit(waits_seed, v.serial as u64, v.stop as u64) * leg.headway_hours as f64;
    let arrive = v.hour as f64 + dwell + wait + leg.travel_hours as f64;
    v.stop += 1;
    v.hour = whole_hour(arrive);
    // An arrival inside the current tick is handled next tick: the tick is the clock's
    // resolution.
    let due = (v.hour / w.tick_hours).max(tick + 1);
    if due >= w.ticks() {
        count_in_transit(w, &s, tally);
        let passed = s.voyage.stop as usize;
        record_missed(w, &s, passed, "in_transit", tally);
    } else {
        calendar.book(due, s);
    }
}

/// Carry a warm-up shipment declared before the full-load hour (`until`, see
/// [`Sim::full_load_hour`]) along its route without checks and book its arrival at the
/// first stop it reaches at or after that hour (see [`reach`]). One delivered earlier
/// leaves the simulation (uncounted: it is not a window shipment), as does one that
/// cannot arrive before the run's last tick.
pub fn carry(
    w: &Sim,
    mut s: Shipment,
    until: u32,
    waits_seed: u64,
    calendar: &mut Calendar,
    log: Option<&mut crate::events::EventLog>,
) {
    let v = &mut s.voyage;
    match reach(w, v.route, v.serial, v.hour, until, waits_seed) {
        Ok((stop, hour)) => {
            (v.stop, v.hour) = (stop, hour);
            let due = hour / w.tick_hours;
            if due < w.ticks() {
                calendar.book(due, s);
            }
        }
        Err(delivered) => {
            if let Some(log) = log {
                log.delivered(v.serial, delivered);
            }
        }
    }
}

/// Where shipment `serial`, at its origin at `hour` on `route`, is at hour `until` if
/// nothing holds it up: `Ok` with the first stop it reaches at or after `until` and
/// when, or `Err` with the hour it was delivered before then. The waits for departures
/// are those [`advance`] draws, so a carried shipment sails when it would have sailed.
fn reach(
    w: &Sim,
    route: u32,
    serial: u32,
    mut hour: u32,
    until: u32,
    waits_seed: u64,
) -> Result<(u8, u32), u32> {
    let legs = w.routes.legs_of(route);
    let mut stop = 0u8;
    while hour < until {
        let Some(leg) = legs.get(stop as usize) else {
            return Err(hour);
        };
        let wait = unit(waits_seed, serial as u64, stop as u64) * leg.headway_hours as f64;
        hour = whole_hour(hour as f64 + wait + leg.travel_hours as f64);
        stop += 1;
    }
    Ok((stop, hour))
}

/// The nearest whole hour of a time in hours (never negative here): `f64::round` is a
/// libm call on baseline x86-64, and this is on every leg of every shipment.
fn whole_hour(hours: f64) -> u32 {
    (hours + 0.5) as u32
}
