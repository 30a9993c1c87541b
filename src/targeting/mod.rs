//! Targeting: how an office chooses, within its officer-hours, which of the declarations
//! arriving this tick to inspect. One trait, one module per strategy. Strategies see
//! only what a declaration and the office's records reveal ([`Facts`]), never the truth,
//! and learn only from the outcomes of their own inspections.

pub mod indicators;
pub mod intelligence;
pub mod learner;
pub mod mixture;
pub mod random;
pub mod risk_score;
pub mod rules;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::scenario::{StrategyDef, StrategyKind, Watchlists};
use crate::world::World;
pub use indicators::{Facts, Watch};

/// The declarations in front of an office, as a strategy sees them: how many there are
/// and the indicators of each under the strategy's own watch lists. The simulation
/// (declarations of a simulated world) and `stce trace` (rows of a declaration file)
/// each implement it, so one strategy code serves both.
pub trait Assessable {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The indicators of declaration `i`, a bit per [`crate::scenario::Indicator`].
    fn indicators(&self, watch: &Watch, i: usize) -> u16;
}

/// Declarations of the simulated world: their facts, read against the world's registers.
pub struct Simulated<'a> {
    pub world: &'a World,
    pub facts: &'a [Facts],
}

impl Assessable for Simulated<'_> {
    fn len(&self) -> usize {
        self.facts.len()
    }
    fn indicators(&self, watch: &Watch, i: usize) -> u16 {
        watch.indicators(self.world, &self.facts[i])
    }
}

/// The declarations of `all` not yet taken, renumbered `0..map.len()`.
struct Subset<'a> {
    all: &'a dyn Assessable,
    map: &'a [u32],
}

impl Assessable for Subset<'_> {
    fn len(&self) -> usize {
        self.map.len()
    }
    fn indicators(&self, watch: &Watch, i: usize) -> u16 {
        self.all.indicators(watch, self.map[i] as usize)
    }
}

/// A selection policy of one office in one replication (it may learn, so each office
/// has its own instance).
pub trait Strategy: Send + Sync {
    /// The watch lists it uses, for explaining a seizure; `None` if it uses none.
    fn watch(&self) -> Option<&Watch>;

    /// The score it ranks a declaration with these indicators by, whether or not it
    /// passes a threshold (`None`: it does not score); recorded in the event log.
    fn score(&self, _indicators: u16) -> Option<f64> {
        None
    }

    /// Push into `selected` the indices of the declarations to inspect, at most `max`
    /// (the office's remaining capacity).
    fn select(
        &mut self,
        decls: &dyn Assessable,
        max: usize,
        rng: &mut ChaCha8Rng,
        selected: &mut Vec<u32>,
    );

    /// The outcome of inspecting declaration `index` of the last selection: whether a
    /// violation was found. Only what was inspected is ever observed.
    fn observe(&mut self, _index: u32, _violation: bool) {}

    /// Whether declaration `index` of the last selection was drawn at random (random
    /// sampling, a learner's exploration, a mixture's random part) rather than chosen
    /// on its indicators: results are split by what selected a shipment.
    fn drew_at_random(&self, _index: u32) -> bool {
        false
    }
}

/// Instantiate a scenario strategy for one office.
pub fn build(kind: &StrategyKind, world: &World) -> Box<dyn Strategy> {
    build_with(kind, &world.strategies, &|w| Watch::compile(w, world))
}

/// Instantiate a strategy whose watch lists `compile` turns into lookups, and whose
/// mixture parts name strategies of `defs`. The simulation compiles against its world,
/// `stce trace` against the codes of a declaration file.
pub fn build_with(
    kind: &StrategyKind,
    defs: &[StrategyDef],
    compile: &dyn Fn(&Watchlists) -> Watch,
) -> Box<dyn Strategy> {
    match kind {
        StrategyKind::Random { rate } => Box::new(random::RandomSampling { rate: *rate }),
        StrategyKind::Rules { watch, profiles } => {
            Box::new(rules::Rules::new(compile(watch), profiles))
        }
        StrategyKind::RiskScore {
            watch,
            weights,
            threshold,
        } => Box::new(risk_score::RiskScore::new(
            compile(watch),
            weights,
            *threshold,
        )),
        StrategyKind::Learner {
            watch,
            exploration,
            learning_rate,
            initial_weight,
            prior_rate,
        } => Box::new(learner::Learner::new(
            compile(watch),
            *exploration,
            *learning_rate,
            *initial_weight,
            *prior_rate,
        )),
        StrategyKind::IntelligenceLed {
            watch,
            weights,
            threshold,
        } => Box::new(intelligence::IntelligenceLed::new(
            compile(watch),
            weights,
            *threshold,
        )),
        StrategyKind::Mixture { parts } => Box::new(mixture::Mixture::new(
            parts
                .iter()
                .filter_map(|(name, share)| {
                    let def = defs.iter().find(|d| &d.name == name)?;
                    Some((build_with(&def.kind, defs, compile), *share))
                })
                .collect(),
        )),
    }
}

/// Lets a strategy choose among the declarations not yet taken (by alerts, or by an
/// earlier part of a mixture), and maps its choices back.
#[derive(Default)]
pub struct Excluding {
    map: Vec<u32>,
    picked: Vec<u32>,
}

impl Excluding {
    /// Appends the chosen indices of `decls` to `selected` and records, for each, its
    /// index in the strategy's view in `local` (for routing outcomes back).
    #[allow(clippy::too_many_arguments)]
    pub fn select(
        &mut self,
        strategy: &mut dyn Strategy,
        decls: &dyn Assessable,
        taken: &[bool],
        max: usize,
        rng: &mut ChaCha8Rng,
        selected: &mut Vec<u32>,
        local: &mut [Option<u32>],
    ) {
        self.picked.clear();
        if !taken.iter().any(|t| *t) {
            // Nothing taken: the strategy sees the declarations as they are.
            strategy.select(decls, max, rng, &mut self.picked);
            for &i in &self.picked {
                local[i as usize] = Some(i);
                selected.push(i);
            }
            return;
        }
        self.map.clear();
        self.map
            .extend((0..decls.len() as u32).filter(|&i| !taken[i as usize]));
        let view = Subset {
            all: decls,
            map: &self.map,
        };
        strategy.select(&view, max, rng, &mut self.picked);
        for &l in &self.picked {
            let g = self.map[l as usize];
            local[g as usize] = Some(l);
            selected.push(g);
        }
    }
}

/// Select up to `max` declarations by a score of their indicators (`None`: never
/// selected), best first. Equal scores are broken at random, so capacity limits do not
/// always favour the first arrivals. `buf` is the strategy's reusable buffer.
#[allow(clippy::too_many_arguments)]
fn select_by_score<K: Copy + PartialOrd>(
    watch: &Watch,
    decls: &dyn Assessable,
    max: usize,
    rng: &mut ChaCha8Rng,
    buf: &mut Vec<(K, u32, u32)>,
    selected: &mut Vec<u32>,
    score: impl Fn(u16) -> Option<K>,
) {
    buf.clear();
    for i in 0..decls.len() {
        if let Some(k) = score(decls.indicators(watch, i)) {
            buf.push((k, rng.random::<u32>(), i as u32));
        }
    }
    take_top(buf, max, selected);
}

/// Rank `(key, tie-break, index)` triples best first and keep the first `k` indices.
/// Only the top `k` are ordered: O(n) partition, then O(k log k).
fn take_top<K: Copy + PartialOrd>(
    items: &mut Vec<(K, u32, u32)>,
    k: usize,
    selected: &mut Vec<u32>,
) {
    let by_rank = |a: &(K, u32, u32), b: &(K, u32, u32)| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.1.cmp(&a.1))
    };
    if k == 0 {
        return;
    }
    if items.len() > k {
        items.select_nth_unstable_by(k - 1, by_rank);
        items.truncate(k);
    }
    items.sort_unstable_by(by_rank);
    selected.extend(items.iter().map(|r| r.2));
}
