//! Random sampling: the baseline every targeting method must beat.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::{Assessable, Strategy, Watch};

pub struct RandomSampling {
    pub rate: f64,
}

impl Strategy for RandomSampling {
    fn watch(&self) -> Option<&Watch> {
        None
    }

    fn select(
        &mut self,
        decls: &dyn Assessable,
        max: usize,
        rng: &mut ChaCha8Rng,
        selected: &mut Vec<u32>,
    ) {
        // Each declaration is drawn independently at `rate`. When more are drawn than
        // capacity allows, a uniform subset of them is inspected: the order in which
        // shipments arrived must not decide which are seen.
        let start = selected.len();
        for i in 0..decls.len() {
            if rng.random_bool(self.rate) {
                selected.push(i as u32);
            }
        }
        uniform_subset(selected, start, max, rng);
    }

    fn drew_at_random(&self, _index: u32) -> bool {
        true
    }
}

/// Keep a uniform random subset of `max` of `v[start..]` (partial Fisher–Yates).
pub fn uniform_subset(v: &mut Vec<u32>, start: usize, max: usize, rng: &mut ChaCha8Rng) {
    let drawn = &mut v[start..];
    if drawn.len() > max {
        for k in 0..max {
            let j = rng.random_range(k..drawn.len());
            drawn.swap(k, j);
        }
        v.truncate(start + max);
    }
}
