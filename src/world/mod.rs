//! The immutable world: reference data, geography, the route graph, the commodity
//! catalogue and the layout of the trader register, built once from a scenario and
//! shared read-only by every replication. What is random about the population (each
//! trader's record) is drawn per replication (see [`population`]).
//!
//! Time: the world runs from the start of the warm-up (simulation day 0) through the
//! measurement window (`warmup_days .. warmup_days + days`) to the end of the drain.
//! The scenario's dates (phases, injects, scripted shifts, new services) are relative
//! to the window's first day and are moved onto the simulation's days here, once.

pub mod checks;
pub mod geo;
pub mod lookup;
pub mod maritime;
pub mod network;
pub mod population;
pub mod reference;
pub mod routing;
pub mod trade;

use crate::scenario::{
    Category, Concealment, Equipment, InspectionModel, Mode, NodeKind, Role, Scenario, StrategyDef,
    validate::parse_date,
};
use network::{RouteTable, service_edges};
use reference::Reference;
pub use trade::{Alias, TradeTables, WarmPairs};

/// Index types: small, because a shipment carries several of them.
pub type CountryId = u16;
pub type NodeId = u16;
pub type OfficeId = u16;
pub type HsId = u16;

/// A country with an administration in the scenario.
#[derive(Debug, Clone)]
pub struct Country {
    pub iso3: String,
    pub name: String,
    pub wco_region: String,
    pub lat: f64,
    pub lon: f64,
    pub gdp_musd: Option<f64>,
    pub trained_officer_share: f64,
    pub advance_information: f64,
    pub licensing_response_hours: f64,
    pub legal_framework: bool,
    pub equipment: Vec<Equipment>,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub code: String,
    pub name: String,
    pub kind: NodeKind,
    pub country: CountryId,
    pub lat: f64,
    pub lon: f64,
    pub hub: bool,
    pub trade_weight: f64,
    pub office: Option<OfficeId>,
}

/// A customs office as the simulation sees it.
#[derive(Debug, Clone)]
pub struct Office {
    pub node: NodeId,
    pub country: CountryId,
    pub capacity_hours_per_day: f64,
    /// Bit per [`Role`].
    pub roles: u8,
    pub has_scanner: bool,
    pub has_chemical_identifier: bool,
    pub has_radiation_portal: bool,
    pub strategy: usize,
    /// Stable key of its node code: the office's random streams are keyed by it.
    pub key: u64,
}

impl Office {
    pub fn assesses(&self, role: Role) -> bool {
        self.roles & role_bit(role) != 0
    }
}

pub fn role_bit(role: Role) -> u8 {
    1 << role as u8
}

/// A commodity of the catalogue.
#[derive(Debug, Clone)]
pub struct Commodity {
    pub name: String,
    pub hs: HsId,
    pub category: Category,
    pub cas: Option<String>,
    pub value_per_kg: f64,
    pub kg: f64,
}

/// A declared HS subheading and what the offices know about it.
#[derive(Debug, Clone)]
pub struct HsCode {
    pub code: String,
    pub description: String,
    /// ln of the typical declared value per kg (from licit trade).
    pub ln_norm_value_per_kg: f64,
    /// A strategic good of the catalogue shares this subheading: a licence is expected.
    pub controlled: bool,
}

/// A trader as customs records know it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Trader {
    pub country: CountryId,
    /// Days it has traded on the window's first day.
    pub age_days: u32,
    pub aeo: bool,
    pub prior_violations: bool,
}

/// An illicit network, resolved to indices.
#[derive(Debug, Clone)]
pub struct Network {
    pub name: String,
    pub share: f64,
    pub seeks: Vec<usize>,
    pub concealment: Vec<(Concealment, f64)>,
    pub cover_hs: Vec<HsId>,
    /// The routes it would take, per route epoch of the world.
    pub candidates: Vec<routing::Candidates>,
    /// From this day on, weights over `Concealment::ALL`.
    pub shift: Option<(u32, Vec<f64>)>,
    pub adaptation: crate::scenario::Adaptation,
    /// Its front companies: trader ids of [`World::population`].
    pub exporters: std::ops::Range<u32>,
    pub consignees: std::ops::Range<u32>,
}

/// Per watch list of countries (a flag per country), its indicator bits per route.
pub type RouteIndicatorCache = Vec<(Vec<bool>, std::sync::Arc<[u16]>)>;

/// Everything that does not change during a run.
pub struct World {
    /// Route indicators per watch list of countries (see `targeting::Watch`), worked out
    /// once and shared by every office's watch list instead of one copy per office.
    pub route_indicators: std::sync::Mutex<RouteIndicatorCache>,
    pub name: String,
    /// The scenario's seed (`--seed` overrides it before the world is built).
    pub seed: u64,
    /// Days of the measurement window.
    pub days: u32,
    /// Days simulated before the window (simulation day `warmup_days` is window day 0).
    pub warmup_days: u32,
    /// Most days simulated after the window for its shipments to finish.
    pub drain_days: u32,
    /// The population is the same in every replication (drawn from `seed`).
    pub fixed_population: bool,
    /// Variance of the Gamma factor on each day's volume (0: Poisson).
    pub arrival_dispersion: f64,
    pub tick_hours: u32,
    /// Expected declarations in the window.
    pub declarations: u64,
    /// Date of window day 0, and the weekday of simulation day 0 (0 = Monday).
    pub start_date: (i32, u32, u32),
    pub start_weekday: usize,
    /// Relative volume Monday..Sunday, mean 1.
    pub weekday: [f64; 7],
    pub countries: Vec<Country>,
    pub nodes: Vec<Node>,
    pub offices: Vec<Office>,
    pub service_names: Vec<String>,
    pub service_modes: Vec<Mode>,
    pub routes: RouteTable,
    pub commodities: Vec<Commodity>,
    pub hs: Vec<HsCode>,
    /// Who the traders are: ids by country and network (their records are drawn per
    /// replication).
    pub population: population::Layout,
    pub trader_model: crate::scenario::TraderModel,
    /// First day of each route epoch: the network changes when a new carrier service
    /// starts. Epoch 0 starts on day 0.
    pub epochs: Vec<u32>,
    /// Licit trade per route epoch.
    pub trade: Vec<TradeTables>,
    /// The warm-up's licit pairs by voyage length (the warm-up is in epoch 0).
    pub warm_pairs: WarmPairs,
    pub networks: Vec<Network>,
    pub strategies: Vec<StrategyDef>,
    pub inspection: InspectionModel,
    /// Country pairs the trade model wanted but no service connects.
    pub unroutable_pairs: Vec<(String, String)>,
    pub operation: Option<crate::operation::Plan>,
}

/// A problem that only shows once the world is assembled (no route, no GDP).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct WorldError(pub String);

impl World {
    /// Build the world of a validated scenario.
    pub fn build(s: &Scenario) -> Result<World, WorldError> {
        // Checked here as well as in validation: `--declarations` overrides the file.
        if s.declarations == 0 || s.declarations > u32::MAX as u64 {
            return Err(WorldError(format!(
                "declarations {}: must be between 1 and {} in one run (shipment serials are 32-bit)",
                s.declarations,
                u32::MAX
            )));
        }
        let refs = Reference::embedded();
        let countries: Vec<Country> = s
            .administrations
            .iter()
            .map(|a| {
                let r = refs
                    .country(&a.country)
                    .ok_or_else(|| WorldError(format!("unknown country {}", a.country)))?;
                Ok(Country {
                    iso3: r.iso3.clone(),
                    name: r.name.clone(),
                    wco_region: r.wco_region.clone().unwrap_or_default(),
                    lat: r.lat,
                    lon: r.lon,
                    gdp_musd: a.gdp_musd.or(r.gdp_musd),
                    trained_officer_share: a.trained_officer_share,
                    advance_information: a.advance_information,
                    licensing_response_hours: a.licensing_response_hours,
                    legal_framework: a.legal_framework,
                    equipment: a.equipment.clone(),
                })
            })
            .collect::<Result<_, WorldError>>()?;
        let country_of = |iso3: &str| countries.iter().position(|c| c.iso3 == iso3);

        let strategy_of = |name: &str| s.strategies.iter().position(|d| d.name == name);
        let mut nodes = Vec::with_capacity(s.nodes.len());
        let mut offices = Vec::new();
        for (i, n) in s.nodes.iter().enumerate() {
            let (name, iso2, lat, lon) = match n.kind {
                NodeKind::Seaport => refs
                    .port(&n.code)
                    .map(|p| (p.name.clone(), p.country_iso2.clone(), p.lat, p.lon)),
                NodeKind::Airport => refs
                    .airport(&n.code)
                    .map(|p| (p.name.clone(), p.country_iso2.clone(), p.lat, p.lon)),
            }
            .ok_or_else(|| WorldError(format!("unknown node {}", n.code)))?;
            let country = refs
                .country_by_iso2(&iso2)
                .and_then(|c| country_of(&c.iso3))
                .ok_or_else(|| WorldError(format!("node {} has no administration", n.code)))?;
            let office = n.office.as_ref().map(|o| {
                let equipment = o
                    .equipment
                    .clone()
                    .unwrap_or_else(|| countries[country].equipment.clone());
                offices.push(Office {
                    node: i as NodeId,
                    country: country as CountryId,
                    capacity_hours_per_day: o.capacity_hours,
                    roles: o.roles.iter().fold(0, |acc, r| acc | role_bit(*r)),
                    has_scanner: equipment.contains(&Equipment::NiiScanner),
                    has_chemical_identifier: equipment.contains(&Equipment::ChemicalIdentifier),
                    has_radiation_portal: equipment.contains(&Equipment::RadiationPortal),
                    strategy: strategy_of(&o.strategy).unwrap_or(0),
                    key: crate::sim::random::name_key(&n.code),
                });
                (offices.len() - 1) as OfficeId
            });
            nodes.push(Node {
                code: n.code.clone(),
                name,
                kind: n.kind,
                country: country as CountryId,
                lat,
                lon,
                hub: n.transshipment_hub,
                trade_weight: n.trade_weight,
                office,
            });
        }

        let node_index = |code: &str| nodes.iter().position(|n| n.code == code).unwrap_or(0) as u16;
        let coords: Vec<(f64, f64)> = nodes.iter().map(|n| (n.lat, n.lon)).collect();
        let edges = service_edges(s, &node_index, &coords);
        let opens = routing::service_open_days(s);
        let epochs = routing::epoch_days(&opens);
        let mut routes = RouteTable::default();
        let bests: Vec<Vec<u32>> = epochs
            .iter()
            .map(|&day| routing::fastest_routes(&nodes, &edges, &opens, day, &mut routes))
            .collect();

        let (commodities, hs) = trade::catalogue(s, refs);
        let iso3: Vec<String> = countries.iter().map(|c| c.iso3.clone()).collect();
        let mut population = population::Layout::new(&s.traders, &iso3);
        let mut trade = Vec::with_capacity(epochs.len());
        let mut unroutable_pairs = Vec::new();
        for (e, best) in bests.iter().enumerate() {
            let (tables, unroutable) = trade::TradeTables::build(s, &countries, &nodes, best)?;
            if e == 0 {
                unroutable_pairs = unroutable;
            }
            trade.push(tables);
        }

        let mut networks = Vec::new();
        for net in &s.illicit {
            let origins: Vec<usize> = net.origins.iter().filter_map(|c| country_of(c)).collect();
            let dests: Vec<usize> = net
                .destinations
                .iter()
                .filter_map(|c| country_of(c))
                .collect();
            let vias: Vec<u16> = net.via.iter().map(|c| node_index(c)).collect();
            let candidates: Vec<routing::Candidates> = bests
                .iter()
                .map(|best| routing::candidates(&nodes, best, &origins, &dests, &vias, &mut routes))
                .collect();
            if candidates[0].routes.is_empty() {
                return Err(WorldError(format!(
                    "illicit network \"{}\": no service running from day 0 connects its origins {:?} to its destinations {:?}{}",
                    net.name,
                    net.origins,
                    net.destinations,
                    if net.via.is_empty() {
                        String::new()
                    } else {
                        format!(" through {:?}", net.via)
                    }
                )));
            }
            let exporters = population.add_fronts(net, "exporter", &origins);
            let consignees = population.add_fronts(net, "consignee", &dests);
            let seeks = net
                .seeks
                .iter()
                .filter_map(|name| s.commodities.iter().position(|c| &c.name == name))
                .collect();
            let cover_hs = if net.cover_hs.is_empty() {
                trade::default_cover(&commodities)
            } else {
                net.cover_hs
                    .iter()
                    .filter_map(|code| hs.iter().position(|h| &h.code == code))
                    .map(|i| i as HsId)
                    .collect()
            };
            networks.push(Network {
                name: net.name.clone(),
                share: net.share,
                seeks,
                concealment: net.concealment.iter().map(|(c, w)| (*c, *w)).collect(),
                shift: net.shift.as_ref().map(|sh| {
                    (
                        sh.day,
                        Concealment::ALL
                            .iter()
                            .map(|c| sh.concealment.get(c).copied().unwrap_or(0.0))
                            .collect(),
                    )
                }),
                cover_hs,
                candidates,
                adaptation: net.adaptation.clone(),
                exporters,
                consignees,
            });
        }

        let start_date = parse_date(&s.start_date)
            .ok_or_else(|| WorldError(format!("bad start date {}", s.start_date)))?;
        let longest = longest_voyage_days(&routes, &trade, &networks);
        let warmup_days = s.warmup_days.unwrap_or(longest);
        let drain_days = s.drain_days.unwrap_or(2 * longest + 7);
        // The file's dates are window days: move them onto the simulation's days.
        let epochs: Vec<u32> = epochs
            .iter()
            .map(|&d| if d > 0 { d + warmup_days } else { 0 })
            .collect();
        for net in &mut networks {
            if let Some(shift) = &mut net.shift {
                shift.0 += warmup_days;
            }
        }
        let operation = s.operation.as_ref().map(|op| {
            crate::operation::Plan::resolve(op, s, &countries, &nodes, &offices)
                .shifted(warmup_days)
        });
        let mean = s.weekday_profile.iter().sum::<f64>() / 7.0;
        let weekday = s.weekday_profile.map(|w| w / mean);
        let warm_pairs = WarmPairs::new(&trade[0], |r| routes.longest_days(r));
        Ok(World {
            route_indicators: Default::default(),
            name: s.name.clone(),
            seed: s.seed,
            days: s.days,
            warmup_days,
            drain_days,
            fixed_population: s.fixed_population,
            arrival_dispersion: s.arrival_dispersion,
            tick_hours: s.tick_hours,
            declarations: s.declarations,
            start_date,
            start_weekday: (weekday_of(start_date) + 7 * warmup_days as usize
                - warmup_days as usize)
                % 7,
            weekday,
            countries,
            nodes,
            offices,
            service_names: s.services.iter().map(|x| x.name.clone()).collect(),
            service_modes: s.services.iter().map(|x| x.mode).collect(),
            routes,
            commodities,
            hs,
            population,
            trader_model: s.traders.clone(),
            epochs,
            trade,
            warm_pairs,
            networks,
            strategies: s.strategies.clone(),
            inspection: s.inspection.clone(),
            unroutable_pairs,
            operation,
        })
    }

    pub fn ticks_per_day(&self) -> u32 {
        24 / self.tick_hours
    }

    /// Ticks of the whole simulation: warm-up, window and the longest drain.
    pub fn ticks(&self) -> u32 {
        (self.warmup_days + self.days + self.drain_days) * self.ticks_per_day()
    }

    /// The simulation days of the measurement window.
    pub fn window(&self) -> std::ops::Range<u32> {
        self.warmup_days..self.warmup_days + self.days
    }

    /// Window day of a simulation day (`None` in the warm-up).
    pub fn window_day(&self, sim_day: u32) -> Option<u32> {
        sim_day.checked_sub(self.warmup_days)
    }

    /// `YYYY-MM-DD` of a simulation day (warm-up days fall before `start_date`).
    pub fn date(&self, sim_day: u32) -> String {
        let (y, m, d) = add_days(self.start_date, sim_day as i64 - self.warmup_days as i64);
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// On warm-up day `sim_day`, the shortest voyage (in days, as [`RouteTable::longest_days`]
    /// reckons a route's) that can still be under way at the full-load hour. Licit
    /// shipments on routes of shorter voyages would have arrived before it, so they are
    /// not simulated: the warm-up costs the shipments in flight at day 0, not its whole
    /// volume (see [`WarmPairs`]).
    pub fn warm_reach_days(&self, sim_day: u32) -> f64 {
        self.warmup_days as f64 - FULL_LOAD_DAYS as f64 - sim_day as f64
    }

    /// The hour from which offices work: [`FULL_LOAD_DAYS`] before the window (0 if the
    /// warm-up is shorter). Shipments declared earlier are carried along their routes
    /// unchecked to where they are at this hour (see [`crate::sim::movement::carry`]):
    /// before it, the offices would see only the part of the traffic that is still
    /// under way at day 0, and what they did with that unrepresentative load must not
    /// reach the window.
    pub fn full_load_hour(&self) -> u32 {
        self.warmup_days.saturating_sub(FULL_LOAD_DAYS) * 24
    }

    /// Number of trader ids (licit traders and front companies).
    pub fn trader_count(&self) -> usize {
        self.population.len()
    }

    /// The route epoch in force on `day`.
    pub fn epoch(&self, day: u32) -> usize {
        self.epochs.partition_point(|&d| d <= day).saturating_sub(1)
    }

    /// Where licit trade goes on `day`.
    pub fn trade_on(&self, day: u32) -> &TradeTables {
        &self.trade[self.epoch(day)]
    }

    pub fn strategy_index(&self, name: &str) -> Option<usize> {
        self.strategies.iter().position(|d| d.name == name)
    }
}

/// Days before the window in which offices work at full load (see
/// [`World::full_load_hour`]): enough to cover the dwell of inspections and licence
/// checks and to pace the first day's budget, so day 0 is not the offices' first day.
pub const FULL_LOAD_DAYS: u32 = 3;

/// The longest expected door-to-door time, in whole days, of the routes licit trade and
/// the networks use from day 0: every leg's travel plus a full headway of waiting. It is
/// the default warm-up (by then every route carries shipments declared at its steady
/// rate) and sets the default drain.
fn longest_voyage_days(routes: &RouteTable, trade: &[TradeTables], networks: &[Network]) -> u32 {
    let used = trade[0].pairs.iter().map(|p| p.2).chain(
        networks
            .iter()
            .flat_map(|n| n.candidates[0].routes.iter().copied()),
    );
    let longest = used.map(|r| routes.longest_days(r)).fold(0.0, f64::max);
    longest.ceil() as u32
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil((y, m, d): (i32, u32, u32)) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + if m <= 2 { 1 } else { 0 }) as i32;
    (y, m, d)
}

/// The civil date `days` after `date`.
pub fn add_days(date: (i32, u32, u32), days: i64) -> (i32, u32, u32) {
    civil_from_days(days_from_civil(date) + days)
}

/// 0 = Monday.
fn weekday_of(date: (i32, u32, u32)) -> usize {
    // 1970-01-01 was a Thursday.
    (days_from_civil(date) + 3).rem_euclid(7) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar() {
        assert_eq!(weekday_of((2020, 2, 1)), 5); // a Saturday
        assert_eq!(add_days((2020, 2, 28), 2), (2020, 3, 1));
        assert_eq!(add_days((2019, 12, 31), 1), (2020, 1, 1));
    }
}
