//! The immutable world: reference data, geography, the route graph, the commodity
//! catalogue and the trader population built once from a scenario and shared read-only
//! by every replication.

pub mod geo;
pub mod maritime;
pub mod network;
pub mod reference;
pub mod trade;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::scenario::{
    Category, Concealment, Equipment, InspectionModel, Mode, NodeKind, Role, Scenario, StrategyDef,
    validate::parse_date,
};
use network::{Graph, RouteTable, service_edges};
use reference::Reference;
pub use trade::{Alias, TradeTables};

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
#[derive(Debug, Clone, Copy)]
pub struct Trader {
    pub country: CountryId,
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
    /// Candidate routes (route table ids) and the node sequence each passes.
    pub routes: Vec<u32>,
    pub route_weights: Vec<f64>,
    /// From this day on, weights over `Concealment::ALL`.
    pub shift: Option<(u32, Vec<f64>)>,
    pub adaptation: crate::scenario::Adaptation,
    /// Its front companies: indices into [`World::traders`].
    pub exporters: std::ops::Range<u32>,
    pub consignees: std::ops::Range<u32>,
}

/// Everything that does not change during a run.
pub struct World {
    pub name: String,
    pub seed: u64,
    pub days: u32,
    pub tick_hours: u32,
    pub declarations: u64,
    /// Date of day 0, and its weekday (0 = Monday).
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
    pub traders: Vec<Trader>,
    pub trader_model: crate::scenario::TraderModel,
    pub trade: TradeTables,
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
        let graph = Graph::new(nodes.len(), service_edges(s, &node_index, &coords));
        let mut routes = RouteTable::default();
        // best[o * n + d]: route id of the fastest route between two nodes.
        let n = nodes.len();
        let mut best = vec![u32::MAX; n * n];
        for o in 0..n {
            for (d, legs) in graph.routes_from(o as u16, &[]).into_iter().enumerate() {
                if let Some(legs) = legs
                    && nodes[o].country != nodes[d].country
                {
                    best[o * n + d] = routes.push(o as u16, &legs);
                }
            }
        }

        let (commodities, hs) = trade::catalogue(s, refs);
        let mut rng = ChaCha8Rng::seed_from_u64(crate::sim::random::derive_seed(
            s.seed,
            crate::sim::random::Stream::WorldBuild,
        ));
        let mut traders = trade::licit_traders(s, countries.len(), &mut rng);
        let (trade, unroutable_pairs) = trade::TradeTables::build(s, &countries, &nodes, &best)?;

        let mut networks = Vec::new();
        for net in &s.illicit {
            let origins: Vec<usize> = net.origins.iter().filter_map(|c| country_of(c)).collect();
            let dests: Vec<usize> = net
                .destinations
                .iter()
                .filter_map(|c| country_of(c))
                .collect();
            let vias: Vec<u16> = net.via.iter().map(|c| node_index(c)).collect();
            let mut cand = Vec::new();
            let mut weights = Vec::new();
            for (o, on) in nodes.iter().enumerate() {
                if !origins.contains(&(on.country as usize)) {
                    continue;
                }
                for (d, dn) in nodes.iter().enumerate() {
                    if !dests.contains(&(dn.country as usize)) || on.country == dn.country {
                        continue;
                    }
                    let w = on.trade_weight * dn.trade_weight;
                    if vias.is_empty() {
                        if best[o * n + d] != u32::MAX {
                            cand.push(best[o * n + d]);
                            weights.push(w);
                        }
                        continue;
                    }
                    for &v in &vias {
                        let v = v as usize;
                        let first = if v == o {
                            Some(vec![])
                        } else {
                            lookup(&routes, &best, n, o, v)
                        };
                        let second = if v == d {
                            Some(vec![])
                        } else {
                            lookup(&routes, &best, n, v, d)
                        };
                        if let (Some(mut a), Some(b)) = (first, second) {
                            a.extend(b);
                            if !a.is_empty() {
                                cand.push(routes.push(o as u16, &a));
                                weights.push(w);
                            }
                        }
                    }
                }
            }
            if cand.is_empty() {
                return Err(WorldError(format!(
                    "illicit network \"{}\": no service connects its origins {:?} to its destinations {:?}{}",
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
            let exporters = trade::front_companies(&mut traders, net, &origins, &mut rng);
            let consignees = trade::front_companies(&mut traders, net, &dests, &mut rng);
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
                routes: cand,
                route_weights: weights,
                adaptation: net.adaptation.clone(),
                exporters,
                consignees,
            });
        }

        let start_date = parse_date(&s.start_date)
            .ok_or_else(|| WorldError(format!("bad start date {}", s.start_date)))?;
        let operation = s
            .operation
            .as_ref()
            .map(|op| crate::operation::Plan::resolve(op, s, &countries, &nodes, &offices));
        let mean = s.weekday_profile.iter().sum::<f64>() / 7.0;
        let weekday = s.weekday_profile.map(|w| w / mean);
        Ok(World {
            name: s.name.clone(),
            seed: s.seed,
            days: s.days,
            tick_hours: s.tick_hours,
            declarations: s.declarations,
            start_date,
            start_weekday: weekday_of(start_date),
            weekday,
            countries,
            nodes,
            offices,
            service_names: s.services.iter().map(|x| x.name.clone()).collect(),
            service_modes: s.services.iter().map(|x| x.mode).collect(),
            routes,
            commodities,
            hs,
            traders,
            trader_model: s.traders.clone(),
            trade,
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

    pub fn ticks(&self) -> u32 {
        self.days * self.ticks_per_day()
    }

    /// `YYYY-MM-DD` of a day of the run.
    pub fn date(&self, day: u32) -> String {
        let (y, m, d) = add_days(self.start_date, day as i64);
        format!("{y:04}-{m:02}-{d:02}")
    }

    pub fn strategy_index(&self, name: &str) -> Option<usize> {
        self.strategies.iter().position(|d| d.name == name)
    }
}

fn lookup(
    routes: &RouteTable,
    best: &[u32],
    n: usize,
    o: usize,
    d: usize,
) -> Option<Vec<network::Leg>> {
    let id = best[o * n + d];
    (id != u32::MAX).then(|| routes.legs_of(id).to_vec())
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil((y, m, d): (i32, u32, u32)) -> i64 {
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

fn add_days(date: (i32, u32, u32), days: i64) -> (i32, u32, u32) {
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
