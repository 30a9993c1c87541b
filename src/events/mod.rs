//! The event log of a run: every declaration as one row (what was declared, what was
//! really inside, its route and timing, and what each office that assessed it saw and
//! did), so that a researcher can load a run into pandas or R and anyone can re-run it
//! and check that it comes out the same (`stce replay --verify`).
//!
//! This module owns the recording: an optional [`EventLog`] resource that the
//! simulation's stages append to when it is present (it is absent unless `--events` was
//! given, and then the hooks cost one `Option` check per declaration). The file format
//! is in [`file`], the verification in [`verify`].

pub mod file;
pub mod verify;

use bevy_ecs::prelude::Resource;

use crate::metrics::tally::Reason;
use crate::sim::components::{Outcome, Shipment};

/// What one office saw and did with one declaration.
#[derive(Debug, Clone, Copy)]
pub struct Visit {
    pub serial: u32,
    pub office: u16,
    /// Stop of the route the office is at (0 = origin).
    pub stop: u8,
    /// Hour (since the start) the shipment arrived there.
    pub hour: u32,
    /// Indicators under the watch lists of the strategy in use (0 if it uses none).
    pub indicators: u16,
    /// The strategy's score of the declaration (`NaN`: it has none).
    pub score: f32,
    /// Why it was selected (targeted, a platform alert, drawn at random); `None`: not
    /// selected.
    pub selected: Option<Reason>,
    /// Index into [`EventLog::strategies`]: the strategy the office used that tick.
    pub strategy: u16,
    pub outcome: Outcome,
}

/// The rows of a run, collected while it runs and written when it ends.
#[derive(Resource, Default)]
pub struct EventLog {
    /// Each declaration as filed, with the tick it was filed in, in serial order.
    pub declared: Vec<(u32, Shipment)>,
    /// Office visits in the order they happened.
    pub visits: Vec<Visit>,
    /// Deliveries: serial and hour it reached its destination.
    pub delivered: Vec<(u32, u32)>,
    /// Names of the strategies visits refer to.
    pub strategies: Vec<String>,
    /// Per office: where the visits of its current inbox start in `visits`.
    open: Vec<usize>,
}

impl EventLog {
    /// New declarations of `tick` (in serial order).
    pub fn declared(&mut self, tick: u32, shipments: &[Shipment]) {
        self.declared.extend(shipments.iter().map(|s| (tick, *s)));
    }

    /// The index of strategy `name`, added the first time it is seen.
    pub fn strategy(&mut self, name: &str) -> u16 {
        match self.strategies.iter().position(|s| s == name) {
            Some(i) => i as u16,
            None => {
                self.strategies.push(name.to_string());
                (self.strategies.len() - 1) as u16
            }
        }
    }

    /// The visits that follow are office `office`'s inbox of this tick, in inbox order.
    pub fn open(&mut self, office: u16) {
        let o = office as usize;
        if self.open.len() <= o {
            self.open.resize(o + 1, 0);
        }
        self.open[o] = self.visits.len();
    }

    pub fn visit(&mut self, v: Visit) {
        self.visits.push(v);
    }

    /// The outcomes of office `office`'s inbox of this tick, in inbox order.
    pub fn outcomes(&mut self, office: u16, outcomes: &[Outcome]) {
        let start = self.open.get(office as usize).copied().unwrap_or(0);
        for (v, o) in self.visits[start..].iter_mut().zip(outcomes) {
            debug_assert_eq!(v.office, office);
            *v = Visit { outcome: *o, ..*v };
        }
    }

    pub fn delivered(&mut self, serial: u32, hour: u32) {
        self.delivered.push((serial, hour));
    }

    /// Declarations in serial order, visits and deliveries grouped by serial, keeping each shipment's visits in the
    /// order they happened (the sort is stable).
    pub fn finish(&mut self) {
        self.declared.sort_by_key(|d| d.1.voyage.serial);
        self.visits.sort_by_key(|v| v.serial);
        self.delivered.sort_by_key(|d| d.0);
    }
}
