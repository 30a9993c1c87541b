//! Risk indicators: what a declaration and the office's records reveal. Computed from
//! the declaration, the trader register, the declared route and intelligence, never
//! from the cargo.

use crate::scenario::{Indicator, Watchlists};
use crate::world::World;

/// What an office knows of one declaration when it assesses it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts {
    /// The shipment's serial: what a platform alert on a shipment names.
    pub serial: u64,
    pub hs: u16,
    pub exporter: u32,
    pub consignee: u32,
    pub declared_value: f32,
    pub declared_kg: f32,
    pub vague: bool,
    pub licence: bool,
    pub advance_info: bool,
    pub route: u32,
    /// Days since the simulation started (traders age during the run).
    pub day: u32,
    /// The trader register's record of the exporter (in this replication's population).
    pub exporter_record: crate::world::Trader,
}

/// Watch lists compiled against a world: lookups by index instead of by string.
#[derive(Debug, Clone)]
pub struct Watch {
    /// Per declared HS code of the world.
    pub hs: Vec<bool>,
    /// Per country of the world.
    pub countries: Vec<bool>,
    /// Per trader of the world: on the entity watch list.
    pub entities: Vec<bool>,
    pub new_trader_days: u32,
    pub value_anomaly: f64,
    /// Per declared HS code: the declared value per kg below or above which a
    /// declaration is a value anomaly (`exp(norm ∓ value_anomaly)`): the same test as
    /// |ln(value per kg) − norm| > value_anomaly, without a logarithm per declaration.
    pub value_bounds: Vec<(f64, f64)>,
    /// Per route of the world: its route indicators (country of concern, via a hub),
    /// worked out once instead of walking the route for every declaration.
    pub routes: std::sync::Arc<[u16]>,
}

/// The indicators a route alone sets: a call in a country of concern, a transit call at
/// a node the scenario marks as a transshipment hub.
fn route_indicators(countries: &[bool], world: &World, route: u32) -> u16 {
    let routes = &world.routes;
    let stops = routes.stops(route);
    let node = |k: usize| &world.nodes[routes.stop(route, k) as usize];
    let mut bits = 0u16;
    if (1..stops).any(|k| countries[node(k).country as usize]) {
        bits |= Indicator::CountryOfConcern.bit();
    }
    if (1..stops.saturating_sub(1)).any(|k| node(k).hub) {
        bits |= Indicator::ViaHub.bit();
    }
    bits
}

impl Watch {
    pub fn compile(w: &Watchlists, world: &World) -> Watch {
        let mut entities = vec![false; world.trader_count()];
        for net in world
            .networks
            .iter()
            .filter(|n| w.networks.contains(&n.name))
        {
            for range in [net.exporters.clone(), net.consignees.clone()] {
                let known = (range.len() as f64 * w.entity_coverage).ceil() as usize;
                for t in range.take(known) {
                    entities[t as usize] = true;
                }
            }
        }
        let countries: Vec<bool> = world
            .countries
            .iter()
            .map(|c| w.countries.contains(&c.iso3))
            .collect();
        // Shared between offices: a copy per office cost 61 MiB on the global scenario.
        let routes = {
            let mut cache = world
                .route_indicators
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            match cache.iter().find(|(c, _)| *c == countries) {
                Some((_, r)) => r.clone(),
                None => {
                    let r: std::sync::Arc<[u16]> = (0..world.routes.routes.len() as u32)
                        .map(|r| route_indicators(&countries, world, r))
                        .collect();
                    cache.push((countries.clone(), r.clone()));
                    r
                }
            }
        };
        Watch {
            hs: world
                .hs
                .iter()
                .map(|h| w.hs.iter().any(|p| h.code.starts_with(p.as_str())))
                .collect(),
            countries,
            entities,
            new_trader_days: w.new_trader_days,
            value_anomaly: w.value_anomaly,
            value_bounds: world
                .hs
                .iter()
                .map(|h| {
                    (
                        (h.ln_norm_value_per_kg - w.value_anomaly).exp(),
                        (h.ln_norm_value_per_kg + w.value_anomaly).exp(),
                    )
                })
                .collect(),
            routes,
        }
    }

    /// The indicators of one declaration, a bit per [`Indicator`].
    pub fn indicators(&self, world: &World, f: &Facts) -> u16 {
        let mut bits = self.routes[f.route as usize];
        let mut set = |i: Indicator, on: bool| {
            if on {
                bits |= i.bit();
            }
        };
        let hs = &world.hs[f.hs as usize];
        set(Indicator::HsWatch, self.hs[f.hs as usize]);
        let trader = &f.exporter_record;
        set(
            Indicator::NewTrader,
            // A trader's age is drawn as of the window's first day.
            (trader.age_days + f.day).saturating_sub(world.warmup_days) < self.new_trader_days,
        );
        set(Indicator::PriorViolations, trader.prior_violations);
        set(Indicator::NotAeo, !trader.aeo);
        let per_kg = (f.declared_value as f64 / f.declared_kg.max(1e-3) as f64).max(1e-9);
        let (low, high) = self.value_bounds[f.hs as usize];
        set(Indicator::ValueAnomaly, per_kg < low || per_kg > high);
        set(Indicator::VagueDescription, f.vague);
        set(Indicator::MissingLicence, hs.controlled && !f.licence);
        set(Indicator::MissingAdvanceInfo, !f.advance_info);
        set(
            Indicator::WatchedEntity,
            self.entities[f.exporter as usize] || self.entities[f.consignee as usize],
        );
        bits
    }
}

/// Whether a profile hit is strong enough to flag the declaration to the offices further
/// along its route when it cannot be inspected here: a watched entity, or a watched HS
/// code that comes without a licence or through a country of concern.
pub fn worth_flagging(bits: u16) -> bool {
    let has = |i: Indicator| bits & i.bit() != 0;
    has(Indicator::WatchedEntity)
        || (has(Indicator::HsWatch)
            && (has(Indicator::MissingLicence) || has(Indicator::CountryOfConcern)))
}

/// Names of the indicators set in `bits`, joined by `+`.
pub fn describe(bits: u16) -> String {
    let names: Vec<String> = Indicator::ALL
        .iter()
        .filter(|i| bits & i.bit() != 0)
        .map(|i| format!("{i:?}"))
        .collect();
    names.join("+")
}
