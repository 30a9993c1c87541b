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

/// The licit pairs of the warm-up's trade, ordered by their route's longest voyage,
/// longest first. On a warm-up day only the pairs whose voyage can still be under way at
/// the full-load hour are simulated (see [`super::World::warm_reach_days`]): they are a
/// prefix of this order, and drawing within it costs nothing for the pairs left out,
/// where drawing from all pairs and dropping most spent more than the warm-up itself.
pub struct WarmPairs {
    /// Longest voyage of each pair's route (days), descending.
    days: Vec<f64>,
    /// Index into [`TradeTables::pairs`], in the same order.
    pairs: Vec<usize>,
    /// Cumulative volume weight, in the same order.
    cumulative: Vec<f64>,
    /// `guide[j]`: the first pair whose cumulative weight exceeds j/len of the total, so
    /// a draw starts its search there (Chen and Asau's indexed search: O(1) expected,
    /// where a binary search over thousands of pairs missed the cache at every step).
    guide: Vec<usize>,
}

impl WarmPairs {
    pub fn new(t: &TradeTables, longest_days: impl Fn(u32) -> f64) -> WarmPairs {
        let mut order: Vec<(f64, usize)> = t
            .pairs
            .iter()
            .enumerate()
            .filter(|&(i, _)| t.weights[i].is_finite() && t.weights[i] > 0.0)
            .map(|(i, p)| (longest_days(p.2), i))
            .collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut total = 0.0;
        let cumulative: Vec<f64> = order
            .iter()
            .map(|&(_, i)| {
                total += t.weights[i];
                total
            })
            .collect();
        let n = cumulative.len();
        let mut guide = Vec::with_capacity(n);
        let mut k = 0;
        for j in 0..n {
            let level = total * j as f64 / n as f64;
            while k + 1 < n && cumulative[k] <= level {
                k += 1;
            }
            guide.push(k);
        }
        WarmPairs {
            days: order.iter().map(|o| o.0).collect(),
            pairs: order.iter().map(|o| o.1).collect(),
            cumulative,
            guide,
        }
    }

    /// The pairs whose voyage can last at least `days`: how many (a prefix) and their
    /// share of the volume.
    pub fn reaching(&self, days: f64) -> (usize, f64) {
        let m = self.days.partition_point(|&d| d >= days);
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let share = if m == 0 || total <= 0.0 {
            0.0
        } else {
            self.cumulative[m - 1] / total
        };
        (m, share)
    }

    /// A pair among the first `m` (as [`WarmPairs::reaching`] counts them), by volume.
    pub fn sample(&self, m: usize, rng: &mut ChaCha8Rng) -> Option<usize> {
        let top = *self.cumulative.get(m.checked_sub(1)?)?;
        let u = rand::RngExt::random::<f64>(rng) * top;
        let total = self.cumulative[self.cumulative.len() - 1];
        let n = self.guide.len();
        let mut k = self.guide[((u / total * n as f64) as usize).min(n - 1)];
        // Rounding can put the guide one bucket too far: step back, then forward.
        while k > 0 && self.cumulative[k - 1] > u {
            k -= 1;
        }
        while k + 1 < m && self.cumulative[k] <= u {
            k += 1;
        }
        Some(self.pairs[k])
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

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    /// Drawn within a prefix, each pair comes up in proportion to its weight, and the
    /// guide's shortcut draws exactly what a binary search over the prefix would.
    #[test]
    fn warm_pairs_draw_by_volume_within_the_reaching_prefix() {
        let weights = [5.0, 0.0, 1.0, 3.0, 2.0, f64::NAN, 4.0];
        let days = [10.0, 50.0, 30.0, 20.0, 30.0, 40.0, 5.0];
        let t = TradeTables {
            pair_alias: Alias::new(&weights),
            pairs: (0..weights.len() as u32).map(|r| (0, 1, r)).collect(),
            weights: weights.to_vec(),
            commodity_alias: Alias::new(&[1.0]),
        };
        let warm = WarmPairs::new(&t, |r| days[r as usize]);
        // Zero and NaN weights are left out; longest first, ties in pair order.
        assert_eq!(warm.pairs, [2, 4, 3, 0, 6]);
        let (m, share) = warm.reaching(15.0);
        assert_eq!(m, 3);
        assert!((share - 6.0 / 15.0).abs() < 1e-12);
        assert_eq!(warm.reaching(60.0), (0, 0.0));
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts = [0u32; 7];
        let n = 60_000;
        for _ in 0..n {
            let mut twin = rng.clone();
            let p = warm.sample(m, &mut rng).unwrap();
            let u = rand::RngExt::random::<f64>(&mut twin) * warm.cumulative[m - 1];
            let k = warm.cumulative[..m].partition_point(|&c| c <= u);
            assert_eq!(p, warm.pairs[k]);
            counts[p] += 1;
        }
        for (p, w) in [(2, 1.0), (4, 2.0), (3, 3.0)] {
            let expected = n as f64 * w / 6.0;
            let sd = (expected * (1.0 - w / 6.0)).sqrt();
            assert!((counts[p] as f64 - expected).abs() < 4.0 * sd, "{counts:?}");
        }
        assert_eq!(counts[0] + counts[6] + counts[1] + counts[5], 0);
        assert_eq!(warm.sample(0, &mut rng), None);
    }
}
