//! Assess, inspect, act: what a customs office does with the declarations in front of it
//! each tick.
//!
//! Capacity is a daily budget of officer-hours (capacity × surge × capacity injects;
//! none while the node is closed), set at the day's first tick and paced across the
//! day's ticks: by the end of tick k of a day an office may have spent (k + 1)/ticks
//! of it, and what an earlier tick left unused stays available. So 1-, 6- and 24-hour
//! ticks inspect the same number per day under the same load.
//!
//! In the drain no new declarations arrive, so an office would have its whole budget
//! for the window's last shipments and inspect them far more than in the window. Its
//! capacity there is scaled to its load: the tick's share of the budget times
//! (declarations arriving / its mean per tick in the window), so it inspects the same
//! share of what arrives as when it was busy.
//!
//! Counting: what happens to a shipment declared in the measurement window is counted
//! (in `Counts`) wherever in the run it happens; an office's hours and capacity for its
//! utilisation are counted over the window's days.

use bevy_ecs::prelude::*;

use super::components::*;
use super::generate::{PlansRes, class};
use super::movement::{advance, role_at};
use super::random::unit;
use crate::events::{EventLog, Visit};
use crate::metrics::Seizure;
use crate::metrics::tally::Reason;
use crate::operation::injects::Conditions;
use crate::operation::platform::{Alerts, Message, delivery_tick};
use crate::scenario::{Category, Concealment, Method, Mode};
use crate::targeting::indicators::{describe, worth_flagging};
use crate::targeting::{Facts, Strategy};
use crate::world::World as Sim;

/// The inspection method an office uses now: a scan where it has a working scanner, a
/// physical examination otherwise.
pub(crate) fn method(w: &Sim, conditions: &Conditions, office: usize, tick: u32) -> (Method, bool) {
    let scanner = w.offices[office].has_scanner && conditions.scanner_works(office, tick);
    (
        if scanner {
            w.inspection.nii_scan
        } else {
            w.inspection.physical
        },
        scanner,
    )
}

/// Whether the operation is in force at this office today (never in a baseline run).
pub(crate) fn in_operation<'a>(
    w: &'a Sim,
    mode: &RunMode,
    office: usize,
    day: u32,
) -> Option<&'a crate::operation::Plan> {
    let plan = w.operation.as_ref()?;
    (!mode.baseline && plan.participant[w.offices[office].country as usize] && plan.active(day))
        .then_some(plan)
}

/// The strategy the desk uses this tick: the operation's profile or its own.
fn strategy<'a>(
    own: &'a mut Box<dyn Strategy>,
    operation: &'a mut Option<(Box<dyn Strategy>, String)>,
    using_operation: bool,
) -> &'a mut dyn Strategy {
    match (operation, using_operation) {
        (Some((s, _)), true) => s.as_mut(),
        _ => own.as_mut(),
    }
}

/// What selected inbox entry `i` of the desk's last selection.
fn reason(desk: &Desk, i: usize) -> Reason {
    if desk.alerted[i] {
        return Reason::Alert;
    }
    let chooser: &dyn Strategy = match (&desk.operation_strategy, desk.using_operation) {
        (Some((s, _)), true) => s.as_ref(),
        _ => desk.strategy.as_ref(),
    };
    match desk.local[i] {
        Some(l) if chooser.drew_at_random(l) => Reason::Random,
        _ => Reason::Targeted,
    }
}

/// Start of a day: set each desk's budget of officer-hours and count what is available
/// over the window's days.
fn open_day(
    w: &Sim,
    mode: &RunMode,
    conditions: &Conditions,
    tick: u32,
    tally: &mut crate::metrics::Tally,
    desks: &mut Query<&mut Desk>,
) {
    let day = tick / w.ticks_per_day();
    let in_window = w.window().contains(&day);
    for mut desk in desks.iter_mut() {
        let o = desk.office as usize;
        desk.day_budget = day_budget(w, mode, conditions, o, tick);
        desk.used_today = 0.0;
        if in_window {
            tally.offices[o].capacity_hours += desk.day_budget;
        }
    }
}

/// Officer-hours office `o` has on the day starting at `tick`: capacity × scale × surge ×
/// capacity injects, none while its node is closed. (The exercise shows it to a team
/// before the day's first assessment sets it.)
pub(crate) fn day_budget(
    w: &Sim,
    mode: &RunMode,
    conditions: &Conditions,
    o: usize,
    tick: u32,
) -> f64 {
    let day = tick / w.ticks_per_day();
    let office = &w.offices[o];
    let surge = in_operation(w, mode, o, day)
        .filter(|p| p.surging(day))
        .map_or(1.0, |p| p.surge);
    let open = conditions
        .closed_until(office.node as usize, tick)
        .is_none();
    if open {
        office.capacity_hours_per_day
            * mode.capacity_scale
            * surge
            * conditions.capacity_factor(o, tick)
    } else {
        0.0
    }
}

/// The name and watch lists of the strategy the desk used this tick.
fn used(desk: &Desk) -> (&str, Option<&crate::targeting::Watch>) {
    match (&desk.operation_strategy, desk.using_operation) {
        (Some((s, n)), true) => (n, s.watch()),
        _ => (&desk.strategy_name, desk.strategy.watch()),
    }
}

/// Stage 5: alerts first, then the strategy chooses within the rest of capacity.
#[allow(clippy::too_many_arguments)]
pub fn assess(
    w: Res<WorldRes>,
    clock: Res<Clock>,
    mode: Res<RunMode>,
    streams: Res<Streams>,
    conditions: Res<Conditions>,
    alerts: Res<Alerts>,
    mut counts: ResMut<Counts>,
    mut desks: Query<&mut Desk>,
    mut facts: Local<Vec<Facts>>,
    mut log: Option<ResMut<EventLog>>,
    mut external: Option<ResMut<External>>,
) {
    let w = &*w.0;
    let tick = clock.tick;
    let tpd = w.ticks_per_day();
    let day = tick / tpd;
    if tick.is_multiple_of(tpd) {
        open_day(w, &mode, &conditions, tick, &mut counts.0, &mut desks);
    }
    for mut desk in desks.iter_mut() {
        if desk.inbox.is_empty() {
            continue;
        }
        let o = desk.office as usize;
        let tally = &mut counts.0;
        let (mut all, mut illicit) = (0u64, 0u64);
        for s in desk.inbox.iter().filter(|s| s.voyage.in_window()) {
            all += 1;
            illicit += u64::from(s.cargo.is_illicit());
        }
        tally.assessed += all;
        tally.assessed_illicit += illicit;
        tally.offices[o].assessed += all;
        tally.offices[o].assessed_illicit += illicit;

        // One buffer for every desk: the facts are rebuilt for the few seizures that
        // need them later, rather than kept for every declaration of every inbox.
        facts.clear();
        facts.extend(
            desk.inbox
                .iter()
                .map(|s| facts_of(w, &s.decl, &s.voyage, o, day, &streams)),
        );
        let plan = in_operation(w, &mode, o, day);
        desk.using_operation =
            plan.is_some_and(|p| p.uses_profile(day)) && desk.operation_strategy.is_some();
        let hours = method(w, &conditions, o, tick).0.officer_hours;
        let draining = day >= w.window().end;
        if w.window().contains(&day) {
            desk.window_arrivals += facts.len() as u64;
        }
        let allowed = if draining {
            let mean = desk.window_arrivals as f64 / (w.days * tpd) as f64;
            let load = if mean > 0.0 {
                (facts.len() as f64 / mean).min(1.0)
            } else {
                1.0
            };
            desk.day_budget / tpd as f64 * load + desk.drain_credit
        } else {
            // Paced: by the end of this tick, (k + 1)/tpd of the day's budget.
            desk.day_budget * ((tick % tpd) + 1) as f64 / tpd as f64 - desk.used_today
        };
        let max = ((allowed / hours + 1e-9).floor().max(0.0) as usize).min(facts.len());

        if let Some(ext) = external.as_deref_mut()
            && let Some(Some(chosen)) = ext.by_office.get(o)
        {
            // An exercise team plays this office: its picks, nothing else.
            let n = facts.len();
            let picks: Vec<u32> = chosen
                .iter()
                .copied()
                .filter(|&i| (i as usize) < n)
                .collect();
            ext.cut += picks.len().saturating_sub(max) as u64;
            let d = &mut *desk;
            d.selected.clear();
            d.selected.extend(picks.into_iter().take(max));
            d.used_today += d.selected.len() as f64 * hours;
            d.alerted.clear();
            d.alerted.resize(n, false);
            d.local.clear();
            d.local.resize(n, None);
            d.flagged.clear();
            d.flagged.resize(n, false);
            continue;
        }

        let Desk {
            strategy: own,
            operation_strategy,
            using_operation,
            rng,
            selected,
            alerted,
            local,
            view,
            ..
        } = &mut *desk;
        selected.clear();
        alerted.clear();
        alerted.resize(facts.len(), false);
        local.clear();
        local.resize(facts.len(), None);
        if alerts.has_any(o) {
            for (i, f) in facts.iter().enumerate() {
                if selected.len() < max && alerts.matches(o, tick, f) {
                    alerted[i] = true;
                    selected.push(i as u32);
                }
            }
        }
        let rest = max - selected.len();
        let chooser = strategy(own, operation_strategy, *using_operation);
        let decls = crate::targeting::Simulated {
            world: w,
            facts: &facts,
        };
        view.select(chooser, &decls, alerted, rest, rng, selected, local);
        let full = selected.len() >= max;
        let spent = selected.len() as f64 * hours;
        desk.used_today += spent;
        if draining {
            desk.drain_credit = (allowed - spent).clamp(0.0, hours);
        }

        // What the profile marks but capacity leaves uninspected is flagged down the
        // route (in `act`); decided here, where the facts are at hand.
        let mut flagged = std::mem::take(&mut desk.flagged);
        flagged.clear();
        flagged.resize(facts.len(), false);
        if full
            && plan.is_some_and(|p| p.platform.flag_uninspected)
            && let (_, Some(watch)) = used(&desk)
        {
            for (i, f) in facts.iter().enumerate() {
                flagged[i] = !desk.alerted[i]
                    && desk.local[i].is_none()
                    && worth_flagging(watch.indicators(w, f));
            }
        }
        desk.flagged = flagged;
        if let Some(log) = log.as_deref_mut() {
            record_assessment(log, w, &desk, &facts);
        }
    }
}

/// The event log's record of what an office saw in its inbox and chose: indicators and
/// score under the strategy in use, and why each was selected. The outcomes follow in
/// `act`.
fn record_assessment(log: &mut EventLog, w: &Sim, desk: &Desk, facts: &[Facts]) {
    let (name, watch) = used(desk);
    let strategy = log.strategy(name);
    let chooser: &dyn Strategy = match (&desk.operation_strategy, desk.using_operation) {
        (Some((s, _)), true) => s.as_ref(),
        _ => desk.strategy.as_ref(),
    };
    log.open(desk.office);
    for (i, (s, f)) in desk.inbox.iter().zip(facts).enumerate() {
        let indicators = watch.map_or(0, |watch| watch.indicators(w, f));
        log.visit(Visit {
            serial: s.voyage.serial,
            office: desk.office,
            stop: s.voyage.stop,
            hour: s.voyage.hour,
            indicators,
            score: chooser.score(indicators).map_or(f32::NAN, |x| x as f32),
            selected: (desk.alerted[i] || desk.local[i].is_some()).then(|| reason(desk, i)),
            strategy,
            outcome: Outcome::Pass,
        });
    }
}

/// What office `o` knows of a shipment's declaration on day `day`: the declaration, its
/// route, whether advance information came (keyed by the office's node code) and the
/// register's record of the exporter in this replication's population.
pub(crate) fn facts_of(
    w: &Sim,
    d: &Declaration,
    v: &Voyage,
    o: usize,
    day: u32,
    streams: &Streams,
) -> Facts {
    let country = &w.countries[w.offices[o].country as usize];
    Facts {
        serial: v.serial as u64,
        hs: d.hs,
        exporter: d.exporter,
        consignee: d.consignee,
        declared_value: d.value,
        declared_kg: d.kg,
        vague: d.flags & Declaration::VAGUE != 0,
        licence: d.flags & Declaration::LICENCE != 0,
        advance_info: unit(streams.advance_info_seed, v.serial as u64, w.offices[o].key)
            < country.advance_information,
        route: v.route,
        day,
        exporter_record: w.population.trader(streams.population_seed, d.exporter),
    }
}

/// Stage 6: inspect the selected shipments. Finding depends on the concealment and the
/// method; recognising a strategic good once found on training and equipment.
pub fn inspect(
    w: Res<WorldRes>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    conditions: Res<Conditions>,
    mut counts: ResMut<Counts>,
    mut desks: Query<&mut Desk>,
) {
    let w = &*w.0;
    let model = &w.inspection;
    // The day of the measurement window (none in warm-up or drain): per-phase counts.
    let today = w
        .window_day(clock.tick / w.ticks_per_day())
        .map(|d| d as usize);
    for mut desk in desks.iter_mut() {
        if desk.inbox.is_empty() {
            continue;
        }
        let o = desk.office as usize;
        let office = &w.offices[o];
        let country = &w.countries[office.country as usize];
        let (m, scanner) = method(w, &conditions, o, clock.tick);
        let n = desk.inbox.len();
        desk.outcomes.clear();
        desk.outcomes.resize(n, Outcome::Pass);
        let tally = &mut counts.0;
        let window_day = w.window().contains(&(clock.tick / w.ticks_per_day()));
        if window_day {
            tally.offices[o].window_hours += desk.selected.len() as f64 * m.officer_hours;
        }
        for k in 0..desk.selected.len() {
            let i = desk.selected[k] as usize;
            let Shipment {
                cargo,
                decl,
                voyage,
            } = desk.inbox[i];
            let counted = voyage.in_window();
            let why = reason(&desk, i) as usize;
            // A quoted licence on a controlled subheading is checked with the licensing
            // authority while the goods wait.
            let licence_check =
                w.hs[decl.hs as usize].controlled && decl.flags & Declaration::LICENCE != 0;
            if counted {
                tally.inspections += 1;
                if let Some(n) = today.and_then(|d| tally.inspections_per_day.get_mut(d)) {
                    *n += 1;
                }
                tally.officer_hours += m.officer_hours;
                tally.offices[o].inspections += 1;
                tally.offices[o].officer_hours += m.officer_hours;
                tally.by_reason[why].inspections += 1;
                if desk.alerted[i] {
                    tally.alerts_acted_on += 1;
                }
                if licence_check {
                    tally.detentions += 1;
                }
            }
            let dwell = m.dwell_hours
                + if licence_check {
                    country.licensing_response_hours
                } else {
                    0.0
                };
            let outcome = if cargo.is_illicit() {
                let concealment = Concealment::ALL[cargo.concealment as usize];
                let find = model.find_probability(concealment);
                let p_find = if scanner {
                    find.nii_scan
                } else {
                    find.physical
                };
                let category = w.commodities[cargo.commodity as usize].category;
                let mut p_recognise = model.recognise_untrained
                    + (model.recognise_trained - model.recognise_untrained)
                        * country.trained_officer_share;
                if category == Category::Chemical && office.has_chemical_identifier {
                    p_recognise = p_recognise.max(model.chemical_identifier);
                }
                if category == Category::Nuclear && office.has_radiation_portal {
                    p_recognise = p_recognise.max(model.radiation_portal);
                }
                let found = unit(
                    streams.inspection_seed,
                    voyage.serial as u64,
                    voyage.stop as u64,
                ) < p_find * p_recognise;
                match (found, country.legal_framework) {
                    (true, true) => Outcome::Seize,
                    (true, false) => Outcome::Unseizable {
                        dwell: (dwell + country.licensing_response_hours) as f32,
                    },
                    (false, _) => Outcome::Release {
                        dwell: dwell as f32,
                    },
                }
            } else {
                Outcome::Release {
                    dwell: dwell as f32,
                }
            };
            let violation = matches!(outcome, Outcome::Seize | Outcome::Unseizable { .. });
            // A strategy learns only from what it chose itself.
            if let Some(l) = desk.local[i] {
                let d = &mut *desk;
                strategy(
                    &mut d.strategy,
                    &mut d.operation_strategy,
                    d.using_operation,
                )
                .observe(l, violation);
            }
            if counted && violation {
                tally.violations_found += 1;
                if let Some(n) = today.and_then(|d| tally.violations_per_day.get_mut(d)) {
                    *n += 1;
                }
                tally.offices[o].violations_found += 1;
                tally.by_reason[why].violations_found += 1;
            }
            if counted && matches!(outcome, Outcome::Unseizable { .. }) {
                tally.violations_released += 1;
            }
            desk.outcomes[i] = outcome;
        }
    }
}

/// Stage 7: seize (and alert the platform), or release after the dwell the checks added.
#[allow(clippy::too_many_arguments)]
pub fn act(
    w: Res<WorldRes>,
    clock: Res<Clock>,
    mode: Res<RunMode>,
    streams: Res<Streams>,
    mut calendar: ResMut<Calendar>,
    mut counts: ResMut<Counts>,
    mut alerts: ResMut<Alerts>,
    mut plans: ResMut<PlansRes>,
    mut desks: Query<&mut Desk>,
    mut log: Option<ResMut<EventLog>>,
) {
    let w = &*w.0;
    let tick = clock.tick;
    let day = tick / w.ticks_per_day();
    for mut desk in desks.iter_mut() {
        if desk.inbox.is_empty() {
            continue;
        }
        let desk = &mut *desk;
        let o = desk.office as usize;
        if let Some(log) = log.as_deref_mut() {
            log.outcomes(desk.office, &desk.outcomes);
        }
        let mut inbox = std::mem::take(&mut desk.inbox);
        for (i, mut s) in inbox.drain(..).enumerate() {
            let Shipment {
                cargo,
                decl,
                voyage,
            } = &mut s;
            let tally = &mut counts.0;
            let counted = voyage.in_window();
            if voyage.flags & Voyage::REACHED_OFFICE == 0 {
                voyage.flags |= Voyage::REACHED_OFFICE;
                if counted {
                    tally.fates(class(w, cargo)).reached_office += 1;
                }
            }
            let outcome = desk.outcomes.get(i).copied().unwrap_or(Outcome::Pass);
            if desk.flagged.get(i).copied().unwrap_or(false)
                && let Some(plan) = in_operation(w, &mode, o, day)
            {
                let sent = send_alerts(w, plan, &mut alerts, o, tick, None, voyage);
                if counted {
                    tally.alerts_sent += sent;
                    tally.alerts_from_flags += sent;
                }
            }
            if matches!(outcome, Outcome::Seize | Outcome::Unseizable { .. }) {
                if let Some(plan) = in_operation(w, &mode, o, day) {
                    let sent = send_alerts(w, plan, &mut alerts, o, tick, Some(decl), voyage);
                    if counted {
                        tally.alerts_sent += sent;
                    }
                }
                // Networks learn from the window's seizures only: the file describes
                // them as they are on its start date, and the warm-up, whose length
                // follows the longest voyage, must not teach them more or less.
                let node = w.offices[o].node;
                let learn_at = tick.saturating_add(
                    w.networks[cargo.network as usize]
                        .adaptation
                        .learning_delay_days
                        .saturating_mul(w.ticks_per_day()),
                );
                if w.window().start <= day {
                    plans.0.report_seizure(
                        learn_at,
                        cargo.network as usize,
                        node,
                        cargo.concealment as usize,
                    );
                }
            }
            let dwell = match outcome {
                Outcome::Seize if !counted => continue,
                Outcome::Seize => {
                    tally.fates(class(w, cargo)).seized += 1;
                    tally.by_reason[reason(desk, i) as usize].seizures += 1;
                    tally.count_seizure_at(role_at(w, voyage));
                    tally.offices[o].seizures += 1;
                    tally.value_seized += cargo.value as f64;
                    let window_day = w.window_day(day).unwrap_or(0);
                    if let Some(n) = tally.seizures_per_day.get_mut(window_day as usize) {
                        *n += 1;
                    }
                    // How it was found: an alert, or the strategy and what fired.
                    let found_by = if desk.alerted[i] {
                        tally.seizures_from_alerts += 1;
                        "platform alert".to_string()
                    } else {
                        match used(desk) {
                            (name, Some(watch)) => {
                                let f = facts_of(w, decl, voyage, o, day, &streams);
                                format!("{name}: {}", describe(watch.indicators(w, &f)))
                            }
                            (name, None) => format!("{name} (random selection)"),
                        }
                    };
                    let focus = w
                        .operation
                        .as_ref()
                        .is_some_and(|p| p.focus[cargo.commodity as usize]);
                    tally.seizures.push(seizure_record(
                        w, o, day, cargo, decl, voyage, found_by, focus,
                    ));
                    continue;
                }
                Outcome::Pass => 0.0,
                Outcome::Release { dwell } | Outcome::Unseizable { dwell } => dwell as f64,
            };
            if counted && !cargo.is_illicit() {
                tally.licit_dwell_hours += dwell;
                tally.offices[o].licit_dwell_hours += dwell;
            }
            advance(
                w,
                s,
                dwell,
                tick,
                streams.waits_seed,
                &mut calendar,
                tally,
                log.as_deref_mut(),
            );
        }
        // Keep the inbox's capacity for the next tick.
        desk.inbox = inbox;
        desk.selected.clear();
        desk.outcomes.clear();
    }
}

/// Alerts from office `o` about a seized or detained shipment (`about` its declaration,
/// whose traders the alert names), by the platform's policy: to the offices further
/// along its route and/or to every participant. A flag on a shipment that could not be
/// inspected (`about` is `None`) concerns that shipment only, so it goes down its route
/// and nowhere else. Returns how many were sent.
fn send_alerts(
    w: &Sim,
    plan: &crate::operation::Plan,
    alerts: &mut Alerts,
    o: usize,
    tick: u32,
    about: Option<&Declaration>,
    v: &Voyage,
) -> u64 {
    // With a broadcast, participants further down the route hear of it there already.
    let broadcast = plan.platform.all_participants && about.is_some();
    let mut to: Vec<usize> = Vec::new();
    if plan.platform.downstream {
        for k in v.stop as usize + 1..w.routes.stops(v.route) {
            if let Some(d) = w.nodes[w.routes.stop(v.route, k) as usize].office {
                let d = d as usize;
                if d != o && !(broadcast && plan.participant[w.offices[d].country as usize]) {
                    to.push(d);
                }
            }
        }
    }
    to.sort_unstable();
    to.dedup();
    let expires = tick.saturating_add(plan.platform.alert_days.saturating_mul(w.ticks_per_day()));
    let traders = about.map_or_else(Vec::new, |d| vec![d.exporter, d.consignee]);
    let mut send = |office: Option<u16>, due: u32| {
        let m = Message {
            office,
            shipment: Some(v.serial as u64),
            traders: traders.clone(),
            expires,
        };
        let n = alerts.recipients(&m) as u64;
        if alerts.send(due, m) { n } else { 0 }
    };
    let mut sent = 0;
    if broadcast {
        // Participants read the platform around the clock: one delivery time for all.
        // The sender (a participant) does not count as a recipient.
        let sender = w.offices[o].country as usize;
        if let Some(due) = delivery_tick(w, plan, tick, sender) {
            sent += send(None, due).saturating_sub(1);
        }
    }
    for d in to {
        if let Some(due) = delivery_tick(w, plan, tick, w.offices[d].country as usize) {
            sent += send(Some(d as u16), due);
        }
    }
    sent
}

#[allow(clippy::too_many_arguments)]
fn seizure_record(
    w: &Sim,
    office: usize,
    day: u32,
    cargo: &Cargo,
    decl: &Declaration,
    v: &Voyage,
    found_by: String,
    focus: bool,
) -> Seizure {
    let routes = &w.routes;
    let stops = routes.stops(v.route);
    let country_at = |k: usize| {
        w.countries[w.nodes[routes.stop(v.route, k) as usize].country as usize]
            .iso3
            .clone()
    };
    let node = &w.nodes[w.offices[office].node as usize];
    let legs = routes.legs_of(v.route);
    // The conveyance it came on, or at origin the one it was about to board.
    let leg = legs[(v.stop as usize)
        .saturating_sub(1)
        .min(legs.len().saturating_sub(1))];
    let com = &w.commodities[cargo.commodity as usize];
    Seizure {
        shipment: v.serial as u64,
        day: w.window_day(day).unwrap_or(0),
        date: w.date(day),
        country: w.countries[node.country as usize].iso3.clone(),
        office: node.code.clone(),
        node_name: node.name.clone(),
        role: match role_at(w, v) {
            crate::scenario::Role::Export => "export",
            crate::scenario::Role::Transit => "transit",
            crate::scenario::Role::Import => "import",
        },
        mode: match w.service_modes[leg.service as usize] {
            Mode::Sea => "sea",
            Mode::Air => "air",
        },
        conveyance: w.service_names[leg.service as usize].clone(),
        network: w.networks[cargo.network as usize].name.clone(),
        hs_declared: w.hs[decl.hs as usize].code.clone(),
        description_declared: w.hs[decl.hs as usize].description.clone(),
        hs_actual: w.hs[com.hs as usize].code.clone(),
        commodity_actual: com.name.clone(),
        category: com.category.label(),
        cas: com.cas.clone().unwrap_or_default(),
        kg: cargo.kg as f64,
        value_usd: cargo.value as f64,
        found_by,
        operation_focus: focus,
        concealment: Concealment::ALL[cargo.concealment as usize].label(),
        origin: country_at(0),
        transit: (1..stops - 1).map(country_at).collect::<Vec<_>>().join(";"),
        destination: country_at(stops - 1),
    }
}
