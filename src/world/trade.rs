//! Licit trade as data: the gravity model turned into a sampling table over node pairs,
//! and the commodity catalogue with its HS ambiguity.

use rand_chacha::ChaCha8Rng;
use rand_distr::Distribution;
use rand_distr::weighted::WeightedAliasIndex;

use super::geo::great_circle_km;
use super::reference::Reference;
use super::{Commodity, Country, HsCode, HsId, Node, WorldError};
use crate::scenario::{Category, Scenario, TradeModel};

/// O(1) sampling from fixed weights (Walker's alias method).
pub struct Alias {
    len: usize,
    table: Option<WeightedAliasIndex<f64>>,
}

impl Alias {
    /// Zero or non-finite weights never come up; all-zero weights never sample.
    pub fn new(weights: &[f64]) -> Alias {
        let clean: Vec<f64> = weights
            .iter()
            .map(|w| if w.is_finite() && *w > 0.0 { *w } else { 0.0 })
            .collect();
        let total: f64 = clean.iter().sum();
        // Normalised so tiny weights (a long run of penalties) stay representable.
        let normal: Vec<f64> = clean
            .iter()
            .map(|w| if total > 0.0 { w / total } else { 0.0 })
            .collect();
        Alias {
            len: normal.len(),
            table: WeightedAliasIndex::new(normal).ok(),
        }
    }

    pub fn sample(&self, rng: &mut ChaCha8Rng) -> Option<usize> {
        self.table
            .as_ref()
            .map(|t| t.sample(rng))
            .filter(|&i| i < self.len)
    }
}

/// Sampling tables for licit shipments.
pub struct TradeTables {
    /// Over `pairs`: where licit shipments go.
    pub pair_alias: Alias,
    /// (origin node, destination node, route id).
    pub pairs: Vec<(u16, u16, u32)>,
    /// Relative volume of each of `pairs` (what `pair_alias` samples by).
    pub weights: Vec<f64>,
    /// Over commodities, by licit share.
    pub commodity_alias: Alias,
}

impl TradeTables {
    /// `best[o * n + d]` is the fastest route between nodes o and d (u32::MAX if none).
    /// Returns the tables and the country pairs the model wanted but cannot route.
    pub fn build(
        s: &Scenario,
        countries: &[Country],
        nodes: &[Node],
        best: &[u32],
    ) -> Result<(TradeTables, Vec<(String, String)>), WorldError> {
        let nc = countries.len();
        let mut country_weight = vec![0.0; nc * nc];
        match &s.trade {
            TradeModel::Gravity {
                gdp_origin_exponent: a,
                gdp_destination_exponent: b,
                distance_exponent: c,
            } => {
                let has_node: Vec<bool> = (0..nc)
                    .map(|i| nodes.iter().any(|n| n.country as usize == i))
                    .collect();
                for (i, ci) in countries.iter().enumerate() {
                    if !has_node[i] {
                        continue;
                    }
                    let gi = ci.gdp_musd.ok_or_else(|| missing_gdp(ci))?;
                    for (j, cj) in countries.iter().enumerate() {
                        if i == j || !has_node[j] {
                            continue;
                        }
                        let gj = cj.gdp_musd.ok_or_else(|| missing_gdp(cj))?;
                        // Neighbours' representative points can be very close: floor the
                        // distance so a border pair does not swallow all trade.
                        let d = great_circle_km(ci.lat, ci.lon, cj.lat, cj.lon).max(500.0);
                        country_weight[i * nc + j] = gi.powf(*a) * gj.powf(*b) / d.powf(*c);
                    }
                }
            }
            TradeModel::Matrix(flows) => {
                for f in flows {
                    let i = countries.iter().position(|c| c.iso3 == f.from);
                    let j = countries.iter().position(|c| c.iso3 == f.to);
                    if let (Some(i), Some(j)) = (i, j)
                        && i != j
                    {
                        country_weight[i * nc + j] += f.weight;
                    }
                }
            }
        }
        let n = nodes.len();
        let node_share: Vec<f64> = nodes
            .iter()
            .map(|node| {
                let total: f64 = nodes
                    .iter()
                    .filter(|m| m.country == node.country)
                    .map(|m| m.trade_weight)
                    .sum();
                if total > 0.0 {
                    node.trade_weight / total
                } else {
                    0.0
                }
            })
            .collect();
        let mut pairs = Vec::new();
        let mut weights = Vec::new();
        let mut unroutable = Vec::new();
        for i in 0..nc {
            for j in 0..nc {
                let w = country_weight[i * nc + j];
                if w <= 0.0 {
                    continue;
                }
                let before = pairs.len();
                for (o, on) in nodes.iter().enumerate() {
                    if on.country as usize != i {
                        continue;
                    }
                    for (d, dn) in nodes.iter().enumerate() {
                        let route = best[o * n + d];
                        if dn.country as usize != j || route == u32::MAX {
                            continue;
                        }
                        let pw = w * node_share[o] * node_share[d];
                        if pw > 0.0 {
                            pairs.push((o as u16, d as u16, route));
                            weights.push(pw);
                        }
                    }
                }
                if pairs.len() == before {
                    unroutable.push((countries[i].iso3.clone(), countries[j].iso3.clone()));
                }
            }
        }
        if pairs.is_empty() {
            return Err(WorldError(
                "no licit trade can flow: no service connects any two countries of the trade model"
                    .into(),
            ));
        }
        let shares: Vec<f64> = s.commodities.iter().map(|c| c.share).collect();
        Ok((
            TradeTables {
                pair_alias: Alias::new(&weights),
                pairs,
                weights,
                commodity_alias: Alias::new(&shares),
            },
            unroutable,
        ))
    }
}

fn missing_gdp(c: &Country) -> WorldError {
    WorldError(format!(
        "the gravity model needs the GDP of {} ({}), which the reference data lacks: set gdp_musd in its Administration",
        c.name, c.iso3
    ))
}

/// The commodity catalogue and the HS codes declarations can carry (commodity codes and
/// the cover codes illicit networks use).
pub fn catalogue(s: &Scenario, refs: &Reference) -> (Vec<Commodity>, Vec<HsCode>) {
    let mut codes: Vec<String> = s.commodities.iter().map(|c| c.hs.clone()).collect();
    codes.extend(s.illicit.iter().flat_map(|n| n.cover_hs.iter().cloned()));
    let mut unique: Vec<String> = Vec::new();
    for c in codes {
        if !unique.contains(&c) {
            unique.push(c);
        }
    }
    let hs: Vec<HsCode> = unique
        .iter()
        .map(|code| {
            let with_code = s.commodities.iter().filter(|c| &c.hs == code);
            // The norm is what licit trade declares; goods only traffickers move fall back
            // to their own value.
            let (mut sum, mut weight) = (0.0, 0.0);
            for c in with_code.clone() {
                sum += c.share * c.value_per_kg.ln();
                weight += c.share;
            }
            let ln_norm = if weight > 0.0 {
                sum / weight
            } else {
                let all: Vec<f64> = with_code.clone().map(|c| c.value_per_kg.ln()).collect();
                if all.is_empty() {
                    20f64.ln()
                } else {
                    all.iter().sum::<f64>() / all.len() as f64
                }
            };
            HsCode {
                code: code.clone(),
                description: refs
                    .hs(code)
                    .map(|h| h.description.clone())
                    .unwrap_or_default(),
                ln_norm_value_per_kg: ln_norm,
                controlled: with_code.clone().any(|c| c.category != Category::None),
            }
        })
        .collect();
    let commodities = s
        .commodities
        .iter()
        .map(|c| Commodity {
            name: c.name.clone(),
            hs: unique.iter().position(|u| u == &c.hs).unwrap_or(0) as HsId,
            category: c.category,
            cas: c.cas.clone(),
            value_per_kg: c.value_per_kg,
            kg: c.kg,
        })
        .collect();
    (commodities, hs)
}

/// When a network names no cover codes it hides behind the busiest non-strategic goods.
pub fn default_cover(commodities: &[Commodity]) -> Vec<HsId> {
    let mut cover: Vec<HsId> = commodities
        .iter()
        .filter(|c| c.category == Category::None)
        .map(|c| c.hs)
        .collect();
    cover.dedup();
    cover.truncate(3);
    if cover.is_empty() {
        cover.push(0);
    }
    cover
}
