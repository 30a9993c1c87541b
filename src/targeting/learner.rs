//! An online learner: a logistic model of P(violation | indicators) fitted by stochastic
//! gradient steps on the outcomes of the office's own inspections only. It never sees
//! the truth of what it did not inspect, so a learner that only exploits stops finding
//! fraud patterns it has not met; `exploration` keeps a share of capacity for random
//! draws that can discover them.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::random::uniform_subset;
use super::{Assessable, Strategy, Watch, take_top};
use crate::scenario::Indicator;

const FEATURES: usize = Indicator::ALL.len() + 1;

pub struct Learner {
    watch: Watch,
    exploration: f64,
    learning_rate: f64,
    /// Bias first, then one weight per indicator.
    weights: [f64; FEATURES],
    /// Indicators of the declarations of the last selection.
    bits: Vec<u16>,
    scored: Vec<(f64, u32, u32)>,
    explored: Vec<u32>,
    taken: Vec<bool>,
}

impl Learner {
    /// Starts optimistic: every indicator raises the log-odds by `initial_weight` over a
    /// bias set at `prior_rate`. Started at zero, a learner with rare positives learns
    /// from its first failures that every indicator lowers risk, drifts to declarations
    /// with no indicator at all, and never looks back.
    pub fn new(
        watch: Watch,
        exploration: f64,
        learning_rate: f64,
        initial_weight: f64,
        prior_rate: f64,
    ) -> Learner {
        let mut weights = [initial_weight; FEATURES];
        weights[0] = (prior_rate / (1.0 - prior_rate)).ln();
        Learner {
            watch,
            exploration,
            learning_rate,
            weights,
            bits: Vec::new(),
            scored: Vec::new(),
            explored: Vec::new(),
            taken: Vec::new(),
        }
    }

    /// The model's log-odds of a violation.
    pub fn logit(&self, bits: u16) -> f64 {
        let mut z = self.weights[0];
        let mut b = bits;
        while b != 0 {
            z += self.weights[1 + b.trailing_zeros() as usize];
            b &= b - 1;
        }
        z
    }
}

impl Strategy for Learner {
    fn watch(&self) -> Option<&Watch> {
        Some(&self.watch)
    }

    fn score(&self, bits: u16) -> Option<f64> {
        Some(self.logit(bits))
    }

    fn select(
        &mut self,
        decls: &dyn Assessable,
        max: usize,
        rng: &mut ChaCha8Rng,
        selected: &mut Vec<u32>,
    ) {
        self.bits.clear();
        self.bits
            .extend((0..decls.len()).map(|i| decls.indicators(&self.watch, i)));
        let n = decls.len();
        let max = max.min(n);
        // Explore a share of capacity, rounding the fraction at random so small offices
        // explore too, on average.
        let quota = self.exploration * max as f64;
        let explore =
            (quota.floor() as usize + usize::from(rng.random::<f64>() < quota.fract())).min(max);
        self.explored.clear();
        self.explored.extend(0..n as u32);
        uniform_subset(&mut self.explored, 0, explore, rng);
        self.taken.clear();
        self.taken.resize(n, false);
        for &i in &self.explored {
            self.taken[i as usize] = true;
        }
        selected.extend_from_slice(&self.explored);
        self.scored.clear();
        for i in 0..n {
            if !self.taken[i] {
                self.scored
                    .push((self.logit(self.bits[i]), rng.random::<u32>(), i as u32));
            }
        }
        take_top(&mut self.scored, max - explore, selected);
    }

    fn drew_at_random(&self, index: u32) -> bool {
        self.taken.get(index as usize).copied().unwrap_or(false)
    }

    fn observe(&mut self, index: u32, violation: bool) {
        let bits = self.bits[index as usize];
        let p = 1.0 / (1.0 + (-self.logit(bits)).exp());
        let g = self.learning_rate * (f64::from(u8::from(violation)) - p);
        self.weights[0] += g;
        let mut b = bits;
        while b != 0 {
            self.weights[1 + b.trailing_zeros() as usize] += g;
            b &= b - 1;
        }
    }
}
