//! The population: licit traders and the illicit networks' front companies.
//!
//! Who exists is part of the immutable world (the register's layout: which trader ids
//! belong to which country or network); what each trader is like (how long it has
//! traded, AEO status, prior violations) is drawn per replication. The draw is a
//! counter-based hash of the population seed, a stable name (the country's ISO code, or
//! the network's name and side) and the trader's index there, so:
//! - a replication "draws" its population at no cost: nothing is stored, a record is
//!   computed when an office reads it;
//! - adding, removing or reordering an unrelated administration or network in the file
//!   changes no one else's record.
//!
//! The population seed is the replication's seed, or the scenario's `seed` for every
//! replication when the scenario asks for a `fixed_population` (see [`seed`]).

use crate::scenario::{Network as NetworkDef, TraderModel};
use crate::sim::random::{Stream, derive_seed, mix, name_key};

use super::{CountryId, Trader};

/// Where each trader id belongs.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    per_country: u32,
    /// Per country of the world: the stable key of its ISO code.
    country_keys: Vec<u64>,
    model: TraderModel,
    /// Front companies, one block per network and side, after the licit traders.
    fronts: Vec<FrontBlock>,
}

#[derive(Debug, Clone)]
struct FrontBlock {
    start: u32,
    end: u32,
    key: u64,
    new_share: f64,
    countries: Vec<CountryId>,
}

/// The population seed of a run: its own seed, or the scenario's for a fixed population.
pub fn seed(run_seed: u64, scenario_seed: u64, fixed: bool) -> u64 {
    derive_seed(
        if fixed { scenario_seed } else { run_seed },
        Stream::Population,
    )
}

impl Layout {
    /// Licit traders: `per_country` for each country, in country order.
    pub fn new(model: &TraderModel, country_iso3: &[String]) -> Layout {
        Layout {
            per_country: model.per_country,
            country_keys: country_iso3.iter().map(|c| name_key(c)).collect(),
            model: model.clone(),
            fronts: Vec::new(),
        }
    }

    /// Number of trader ids.
    pub fn len(&self) -> usize {
        self.fronts.last().map_or(self.licit_len(), |b| b.end) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn licit_len(&self) -> u32 {
        self.per_country * self.country_keys.len() as u32
    }

    /// The licit traders of one country.
    pub fn country_traders(&self, country: CountryId) -> std::ops::Range<u32> {
        let start = country as u32 * self.per_country;
        start..start + self.per_country
    }

    /// Add a network's front companies on one side (`"exporter"` or `"consignee"`),
    /// spread over `countries`; returns their id range.
    pub fn add_fronts(
        &mut self,
        net: &NetworkDef,
        side: &str,
        countries: &[usize],
    ) -> std::ops::Range<u32> {
        let start = self.len() as u32;
        let end = start + net.front_companies;
        self.fronts.push(FrontBlock {
            start,
            end,
            key: name_key(&net.name) ^ mix(name_key(side)),
            new_share: net.front_company_new_share,
            countries: countries.iter().map(|&c| c as CountryId).collect(),
        });
        start..end
    }

    /// The register's record of trader `id` in the population drawn from `seed`.
    pub fn trader(&self, seed: u64, id: u32) -> Trader {
        if id < self.licit_len() {
            let (c, k) = (id / self.per_country, id % self.per_country);
            let [u0, u1, u2, u3] = uniforms(seed, self.country_keys[c as usize], k);
            let t = &self.model;
            let new = u0 < t.new_share;
            return Trader {
                country: c as CountryId,
                age_days: if new {
                    (u1 * 180.0) as u32
                } else {
                    180 + (u1 * 7120.0) as u32
                },
                aeo: !new && u2 < t.aeo_share,
                prior_violations: !new && u3 < t.prior_violation_share,
            };
        }
        let b = self
            .fronts
            .iter()
            .find(|b| (b.start..b.end).contains(&id))
            .unwrap_or(&self.fronts[self.fronts.len() - 1]);
        let k = id - b.start;
        let [u0, u1, _, _] = uniforms(seed, b.key, k);
        let new = u0 < b.new_share;
        Trader {
            country: b.countries[k as usize % b.countries.len().max(1)],
            age_days: if new {
                (u1 * 180.0) as u32
            } else {
                180 + (u1 * 1320.0) as u32
            },
            aeo: false,
            prior_violations: false,
        }
    }
}

/// Four uniform draws in [0, 1) keyed by (seed, name key, index): 32 bits each.
fn uniforms(seed: u64, key: u64, k: u32) -> [f64; 4] {
    let h1 = mix(seed ^ mix(key ^ mix(k as u64)));
    let h2 = mix(h1 ^ 0xA5A5_5A5A_C3C3_3C3C);
    let u = |x: u64| x as f64 / (1u64 << 32) as f64;
    [
        u(h1 >> 32),
        u(h1 & 0xFFFF_FFFF),
        u(h2 >> 32),
        u(h2 & 0xFFFF_FFFF),
    ]
}
