//! Mixtures: capacity split between strategies by share (e.g. 90% risk score, 10%
//! random, the usual guard against a profile going stale). Each part chooses among the
//! declarations the earlier parts left.

use rand_chacha::ChaCha8Rng;

use super::{Assessable, Excluding, Strategy, Watch};

pub struct Mixture {
    parts: Vec<(Box<dyn Strategy>, f64)>,
    /// For each declaration of the last selection: the part that chose it and its index
    /// in that part's view.
    owner: Vec<Option<(u8, u32)>>,
    taken: Vec<bool>,
    local: Vec<Option<u32>>,
    view: Excluding,
}

impl Mixture {
    pub fn new(parts: Vec<(Box<dyn Strategy>, f64)>) -> Mixture {
        Mixture {
            parts,
            owner: Vec::new(),
            taken: Vec::new(),
            local: Vec::new(),
            view: Excluding::default(),
        }
    }

    /// Capacity per part: shares of `max`, remainders to the largest fractions.
    fn quotas(&self, max: usize) -> Vec<usize> {
        let total: f64 = self.parts.iter().map(|p| p.1).sum::<f64>().max(1e-12);
        let exact: Vec<f64> = self
            .parts
            .iter()
            .map(|p| p.1 / total * max as f64)
            .collect();
        let mut q: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
        let mut order: Vec<usize> = (0..q.len()).collect();
        order.sort_by(|&a, &b| {
            (exact[b] - exact[b].floor())
                .total_cmp(&(exact[a] - exact[a].floor()))
                .then(a.cmp(&b))
        });
        let mut left = max - q.iter().sum::<usize>();
        for k in order {
            if left == 0 {
                break;
            }
            q[k] += 1;
            left -= 1;
        }
        q
    }
}

impl Strategy for Mixture {
    fn watch(&self) -> Option<&Watch> {
        self.parts.iter().find_map(|p| p.0.watch())
    }

    /// The first part's score that has one (a mixture ranks by none of its own).
    fn score(&self, bits: u16) -> Option<f64> {
        self.parts.iter().find_map(|p| p.0.score(bits))
    }

    fn select(
        &mut self,
        decls: &dyn Assessable,
        max: usize,
        rng: &mut ChaCha8Rng,
        selected: &mut Vec<u32>,
    ) {
        self.owner.clear();
        self.owner.resize(decls.len(), None);
        self.taken.clear();
        self.taken.resize(decls.len(), false);
        let quotas = self.quotas(max);
        for (k, (part, _)) in self.parts.iter_mut().enumerate() {
            self.local.clear();
            self.local.resize(decls.len(), None);
            let start = selected.len();
            self.view.select(
                part.as_mut(),
                decls,
                &self.taken,
                quotas[k],
                rng,
                selected,
                &mut self.local,
            );
            for &g in &selected[start..] {
                self.taken[g as usize] = true;
                self.owner[g as usize] = self.local[g as usize].map(|l| (k as u8, l));
            }
        }
    }

    fn drew_at_random(&self, index: u32) -> bool {
        self.owner
            .get(index as usize)
            .copied()
            .flatten()
            .is_some_and(|(k, local)| self.parts[k as usize].0.drew_at_random(local))
    }

    fn observe(&mut self, index: u32, violation: bool) {
        if let Some((k, local)) = self.owner[index as usize] {
            self.parts[k as usize].0.observe(local, violation);
        }
    }
}
