//! Intelligence-led selection: declarations naming a watched entity come first (all of
//! them, as capacity allows); the rest of capacity goes to the risk score.

use std::collections::BTreeMap;

use rand_chacha::ChaCha8Rng;

use super::risk_score::Weights;
use super::{Assessable, Strategy, Watch, select_by_score};
use crate::scenario::Indicator;

pub struct IntelligenceLed {
    watch: Watch,
    weights: Weights,
    threshold: f64,
    scored: Vec<(f64, u32, u32)>,
}

impl IntelligenceLed {
    pub fn new(
        watch: Watch,
        weights: &BTreeMap<Indicator, f64>,
        threshold: f64,
    ) -> IntelligenceLed {
        IntelligenceLed {
            watch,
            weights: Weights::new(weights),
            threshold,
            scored: Vec::new(),
        }
    }
}

/// An intelligence hit outranks any score.
fn ranked(weights: &Weights, threshold: f64, bits: u16) -> Option<f64> {
    let s = if bits & Indicator::WatchedEntity.bit() != 0 {
        f64::INFINITY
    } else {
        weights.score(bits)
    };
    (s > threshold).then_some(s)
}

impl Strategy for IntelligenceLed {
    fn watch(&self) -> Option<&Watch> {
        Some(&self.watch)
    }

    fn score(&self, bits: u16) -> Option<f64> {
        ranked(&self.weights, f64::NEG_INFINITY, bits)
    }

    fn select(
        &mut self,
        decls: &dyn Assessable,
        max: usize,
        rng: &mut ChaCha8Rng,
        selected: &mut Vec<u32>,
    ) {
        let (weights, threshold) = (&self.weights, self.threshold);
        select_by_score(
            &self.watch,
            decls,
            max,
            rng,
            &mut self.scored,
            selected,
            |bits| ranked(weights, threshold, bits),
        );
    }
}
