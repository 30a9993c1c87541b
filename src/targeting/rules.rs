//! Rule-based profiles: a declaration is selected when all indicators of at least one
//! profile are present; the most profiles matched go first.

use rand_chacha::ChaCha8Rng;

use super::{Assessable, Strategy, Watch, select_by_score};
use crate::scenario::Profile;

pub struct Rules {
    watch: Watch,
    /// Each profile as a bit mask of indicators.
    masks: Vec<u16>,
    ranked: Vec<(u32, u32, u32)>,
}

impl Rules {
    pub fn new(watch: Watch, profiles: &[Profile]) -> Rules {
        let masks = profiles
            .iter()
            .map(|p| p.all.iter().fold(0u16, |m, i| m | i.bit()))
            .collect();
        Rules {
            watch,
            masks,
            ranked: Vec::new(),
        }
    }
}

/// How many profiles a declaration with these indicators matches (`None`: none).
fn matched(masks: &[u16], bits: u16) -> Option<u32> {
    let hits = masks.iter().filter(|&&m| bits & m == m).count() as u32;
    (hits > 0).then_some(hits)
}

impl Strategy for Rules {
    fn watch(&self) -> Option<&Watch> {
        Some(&self.watch)
    }

    fn score(&self, bits: u16) -> Option<f64> {
        Some(matched(&self.masks, bits).map_or(0.0, f64::from))
    }

    fn select(
        &mut self,
        decls: &dyn Assessable,
        max: usize,
        rng: &mut ChaCha8Rng,
        selected: &mut Vec<u32>,
    ) {
        let masks = &self.masks;
        select_by_score(
            &self.watch,
            decls,
            max,
            rng,
            &mut self.ranked,
            selected,
            |bits| matched(masks, bits),
        );
    }
}
