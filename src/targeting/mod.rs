//! Targeting: how an office chooses, within its officer-hours, which of the declarations
//! arriving this tick to inspect. One trait, one module per strategy. Strategies see
//! only risk indicators computed from declarations and records, never the truth.

pub mod indicators;
pub mod random;
pub mod risk_score;
pub mod rules;

use rand_chacha::ChaCha8Rng;

use crate::scenario::StrategyKind;
use crate::world::World;
pub use indicators::{Candidate, Watch};

/// A selection policy of one office in one replication (it may learn, so each office
/// has its own).
pub trait Strategy: Send + Sync {
    /// The watch lists whose indicators it needs; `None` if it needs none (the
    /// simulation then skips computing them).
    fn watch(&self) -> Option<&Watch>;

    /// Push into `selected` the indices of the candidates to inspect. At most
    /// `max_inspections` may be selected (the office's remaining capacity).
    fn select(
        &mut self,
        candidates: &[Candidate],
        max_inspections: usize,
        rng: &mut ChaCha8Rng,
        selected: &mut Vec<u32>,
    );
}

/// Instantiate a scenario strategy for one office.
pub fn build(kind: &StrategyKind, world: &World) -> Box<dyn Strategy> {
    match kind {
        StrategyKind::Random { rate } => Box::new(random::RandomSampling { rate: *rate }),
        StrategyKind::Rules { watch, profiles } => {
            Box::new(rules::Rules::new(Watch::compile(watch, world), profiles))
        }
        StrategyKind::RiskScore {
            watch,
            weights,
            threshold,
        } => Box::new(risk_score::RiskScore::new(
            Watch::compile(watch, world),
            weights,
            *threshold,
        )),
    }
}

/// Keep the first `k` of `order` (already ranked best first) in `selected`.
fn take_ranked(order: impl Iterator<Item = u32>, k: usize, selected: &mut Vec<u32>) {
    selected.extend(order.take(k));
}
