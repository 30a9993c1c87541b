//! Weighted risk score: every declaration gets the sum of the weights of its indicators;
//! the office inspects the highest scores its capacity allows, down to a threshold.

use std::collections::BTreeMap;

use rand_chacha::ChaCha8Rng;

use super::{Assessable, Strategy, Watch, select_by_score};
use crate::scenario::Indicator;

/// Indicator weights, indexed by indicator.
#[derive(Debug, Clone, Copy)]
pub struct Weights([f64; Indicator::ALL.len()]);

impl Weights {
    pub fn new(weights: &BTreeMap<Indicator, f64>) -> Weights {
        let mut w = [0.0; Indicator::ALL.len()];
        for (ind, v) in weights {
            w[*ind as usize] = *v;
        }
        Weights(w)
    }

    pub fn score(&self, bits: u16) -> f64 {
        let mut s = 0.0;
        let mut b = bits;
        while b != 0 {
            s += self.0[b.trailing_zeros() as usize];
            b &= b - 1;
        }
        s
    }
}

pub struct RiskScore {
    watch: Watch,
    weights: Weights,
    threshold: f64,
    scored: Vec<(f64, u32, u32)>,
}

impl RiskScore {
    pub fn new(watch: Watch, weights: &BTreeMap<Indicator, f64>, threshold: f64) -> RiskScore {
        RiskScore {
            watch,
            weights: Weights::new(weights),
            threshold,
            scored: Vec::new(),
        }
    }
}

impl Strategy for RiskScore {
    fn watch(&self) -> Option<&Watch> {
        Some(&self.watch)
    }

    fn score(&self, bits: u16) -> Option<f64> {
        Some(self.weights.score(bits))
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
            |bits| {
                let s = weights.score(bits);
                (s > threshold).then_some(s)
            },
        );
    }
}
