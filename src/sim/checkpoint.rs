//! Assess, inspect, act: what a customs office does with the declarations in front of it
//! each tick.

use bevy_ecs::prelude::*;

use super::components::*;
use super::generate::class;
use super::movement::{advance, role_at};
use super::random::unit;
use crate::metrics::Seizure;
use crate::scenario::{Category, Concealment, Mode};
use crate::targeting::Facts;
use crate::targeting::indicators::describe;
use crate::world::{Office, World as Sim};

/// Officer-hours and dwell of one inspection at an office: a scan where it has a
/// scanner, a physical examination otherwise.
fn method(w: &Sim, office: &Office) -> crate::scenario::Method {
    if office.has_scanner {
        w.inspection.nii_scan
    } else {
        w.inspection.physical
    }
}

/// Stage 4: score the tick's arrivals and select within capacity.
pub fn assess(
    w: Res<WorldRes>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    mut counts: ResMut<Counts>,
    mut desks: Query<&mut Desk>,
    shipments: Query<(&Cargo, &Declaration, &Voyage)>,
) {
    let w = &*w.0;
    let day = clock.tick / w.ticks_per_day();
    for mut desk in desks.iter_mut() {
        if desk.inbox.is_empty() {
            continue;
        }
        let Desk {
            office: o,
            strategy,
            rng,
            inbox,
            facts,
            selected,
            ..
        } = &mut *desk;
        let office = &w.offices[*o as usize];
        let country = &w.countries[office.country as usize];
        let tally = &mut counts.0;
        let illicit = inbox
            .iter()
            .filter(|e| shipments.get(**e).is_ok_and(|s| s.0.is_illicit()))
            .count() as u64;
        tally.assessed += inbox.len() as u64;
        tally.assessed_illicit += illicit;
        let ot = &mut tally.offices[*o as usize];
        ot.assessed += inbox.len() as u64;
        ot.assessed_illicit += illicit;

        facts.clear();
        facts.extend(inbox.iter().map(|e| {
            let Ok((_, d, v)) = shipments.get(*e) else {
                return Facts::default();
            };
            Facts {
                hs: d.hs,
                exporter: d.exporter,
                consignee: d.consignee,
                declared_value: d.value,
                declared_kg: d.kg,
                vague: d.flags & Declaration::VAGUE != 0,
                licence: d.flags & Declaration::LICENCE != 0,
                advance_info: unit(streams.advance_info_seed, v.serial, *o as u64)
                    < country.advance_information,
                route: v.route,
                day,
            }
        }));
        let capacity = office.capacity_hours_per_day / w.ticks_per_day() as f64;
        let max = (capacity / method(w, office).officer_hours + 1e-9).floor() as usize;
        selected.clear();
        strategy.select(w, facts, max.min(inbox.len()), rng, selected);
    }
}

/// Stage 5: inspect the selected shipments. Finding depends on the concealment and the
/// method; recognising a strategic good once found on training and equipment.
pub fn inspect(
    w: Res<WorldRes>,
    streams: Res<Streams>,
    mut counts: ResMut<Counts>,
    mut desks: Query<&mut Desk>,
    shipments: Query<(&Cargo, &Declaration, &Voyage)>,
) {
    let w = &*w.0;
    let model = &w.inspection;
    for mut desk in desks.iter_mut() {
        if desk.inbox.is_empty() {
            continue;
        }
        let Desk {
            office: o,
            strategy,
            inbox,
            selected,
            outcomes,
            ..
        } = &mut *desk;
        let office = &w.offices[*o as usize];
        let country = &w.countries[office.country as usize];
        let m = method(w, office);
        outcomes.clear();
        outcomes.resize(inbox.len(), Outcome::Pass);
        let tally = &mut counts.0;
        for &i in selected.iter() {
            let Ok((cargo, decl, voyage)) = shipments.get(inbox[i as usize]) else {
                continue;
            };
            tally.inspections += 1;
            tally.officer_hours += m.officer_hours;
            let ot = &mut tally.offices[*o as usize];
            ot.inspections += 1;
            ot.officer_hours += m.officer_hours;
            // A quoted licence on a controlled subheading is checked with the licensing
            // authority while the goods wait.
            let licence_check =
                w.hs[decl.hs as usize].controlled && decl.flags & Declaration::LICENCE != 0;
            if licence_check {
                tally.detentions += 1;
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
                let p_find = if office.has_scanner {
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
                let found = unit(streams.inspection_seed, voyage.serial, voyage.stop as u64)
                    < p_find * p_recognise;
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
            strategy.observe(i, violation);
            if violation {
                tally.violations_found += 1;
                tally.offices[*o as usize].violations_found += 1;
            }
            if matches!(outcome, Outcome::Unseizable { .. }) {
                tally.violations_released += 1;
            }
            outcomes[i as usize] = outcome;
        }
    }
}

/// Stage 6: seize, or release after the dwell the checks added.
#[allow(clippy::too_many_arguments)]
pub fn act(
    w: Res<WorldRes>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    mut calendar: ResMut<Calendar>,
    mut counts: ResMut<Counts>,
    mut done: ResMut<Done>,
    mut desks: Query<&mut Desk>,
    mut shipments: Query<(&Cargo, &Declaration, &mut Voyage)>,
) {
    let w = &*w.0;
    let day = clock.tick / w.ticks_per_day();
    for mut desk in desks.iter_mut() {
        if desk.inbox.is_empty() {
            continue;
        }
        let desk = &mut *desk;
        let o = desk.office as usize;
        for (i, e) in desk.inbox.drain(..).enumerate() {
            let Ok((cargo, decl, mut voyage)) = shipments.get_mut(e) else {
                continue;
            };
            let tally = &mut counts.0;
            if voyage.flags & Voyage::REACHED_OFFICE == 0 {
                voyage.flags |= Voyage::REACHED_OFFICE;
                tally.fates(class(w, cargo)).reached_office += 1;
            }
            let dwell = match desk.outcomes.get(i).copied().unwrap_or(Outcome::Pass) {
                Outcome::Seize => {
                    tally.fates(class(w, cargo)).seized += 1;
                    tally.count_seizure_at(role_at(w, &voyage));
                    tally.offices[o].seizures += 1;
                    if let Some(n) = tally.seizures_per_day.get_mut(day as usize) {
                        *n += 1;
                    }
                    // How it was found: the strategy and the indicators that fired.
                    let found_by = match desk.strategy.watch() {
                        Some(watch) => format!(
                            "{}: {}",
                            desk.strategy_name,
                            describe(watch.indicators(w, &desk.facts[i]))
                        ),
                        None => format!("{} (random selection)", desk.strategy_name),
                    };
                    tally
                        .seizures
                        .push(seizure_record(w, o, day, cargo, decl, &voyage, found_by));
                    done.0.push(e);
                    continue;
                }
                Outcome::Pass => 0.0,
                Outcome::Release { dwell } | Outcome::Unseizable { dwell } => dwell as f64,
            };
            if !cargo.is_illicit() {
                tally.licit_dwell_hours += dwell;
                tally.offices[o].licit_dwell_hours += dwell;
            }
            advance(
                w,
                e,
                cargo,
                &mut voyage,
                dwell,
                clock.tick,
                streams.waits_seed,
                &mut calendar,
                tally,
                &mut done.0,
            );
        }
        desk.selected.clear();
        desk.outcomes.clear();
    }
}

fn seizure_record(
    w: &Sim,
    office: usize,
    day: u32,
    cargo: &Cargo,
    decl: &Declaration,
    v: &Voyage,
    found_by: String,
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
        day,
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
        concealment: Concealment::ALL[cargo.concealment as usize].label(),
        origin: country_at(0),
        transit: (1..stops - 1).map(country_at).collect::<Vec<_>>().join(";"),
        destination: country_at(stops - 1),
    }
}
