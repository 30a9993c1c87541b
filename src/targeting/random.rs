//! Random sampling: the baseline every targeting method must beat.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::{Candidate, Strategy, Watch};

pub struct RandomSampling {
    pub rate: f64,
}

impl Strategy for RandomSampling {
    fn watch(&self) -> Option<&Watch> {
        None
    }

    fn select(
        &mut self,
        candidates: &[Candidate],
        max: usize,
        rng: &mut ChaCha8Rng,
        selected: &mut Vec<u32>,
    ) {
        // Each declaration is drawn independently at `rate`; when capacity runs out the
        // rest of the tick's arrivals are released unseen.
        for i in 0..candidates.len() {
            if selected.len() >= max {
                break;
            }
            if rng.random_bool(self.rate) {
                selected.push(i as u32);
            }
        }
    }
}
