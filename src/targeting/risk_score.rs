//! Weighted risk score: every declaration gets the sum of the weights of its indicators;
//! the office inspects the highest scores its capacity allows, down to a threshold.

use std::collections::BTreeMap;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::{Candidate, Strategy, Watch, take_ranked};
use crate::scenario::Indicator;

pub struct RiskScore {
    watch: Watch,
    weights: [f64; Indicator::ALL.len()],
    threshold: f64,
    scored: Vec<(f64, u32, u32)>,
}

impl RiskScore {
    pub fn new(watch: Watch, weights: &BTreeMap<Indicator, f64>, threshold: f64) -> RiskScore {
        let mut w = [0.0; Indicator::ALL.len()];
        for (ind, v) in weights {
            w[*ind as usize] = *v;
        }
        RiskScore {
            watch,
            weights: w,
            threshold,
            scored: Vec::new(),
        }
    }

    pub fn score(&self, c: &Candidate) -> f64 {
        let mut s = 0.0;
        let mut bits = c.indicators;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            s += self.weights[i];
            bits &= bits - 1;
        }
        s
    }
}

impl Strategy for RiskScore {
    fn watch(&self) -> Option<&Watch> {
        Some(&self.watch)
    }

    fn select(
        &mut self,
        candidates: &[Candidate],
        max: usize,
        rng: &mut ChaCha8Rng,
        selected: &mut Vec<u32>,
    ) {
        if max == 0 {
            return;
        }
        self.scored.clear();
        for (i, c) in candidates.iter().enumerate() {
            let s = self.score(c);
            if s > self.threshold {
                self.scored.push((s, rng.random::<u32>(), i as u32));
            }
        }
        let by_rank =
            |a: &(f64, u32, u32), b: &(f64, u32, u32)| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1));
        // Only the top `max` matter: partition in O(n), then order just those.
        if self.scored.len() > max {
            self.scored.select_nth_unstable_by(max - 1, by_rank);
            self.scored.truncate(max);
        }
        self.scored.sort_unstable_by(by_rank);
        take_ranked(self.scored.iter().map(|r| r.2), max, selected);
    }
}
