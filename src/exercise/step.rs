//! The simulation one tick at a time, stopped where offices decide: [`Stepper::open`]
//! runs a tick up to assessment (the declarations are in the offices' inboxes), and
//! [`Stepper::close`] runs the rest with the teams' selections. It also keeps the truth
//! of every illicit shipment generated (the ledger), read from the new shipments before
//! they are declared, for the debrief and the red team's view.

use std::collections::BTreeMap;
use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::world::World as Ecs;

use crate::sim::components::{Counts, Desk, Desks, External, Fresh, Outcome, Shipment};
use crate::sim::{RunOptions, STAGES, setup, stages};
use crate::world::World;

/// Index of the `assess` stage: a tick is opened up to it.
const ASSESS: usize = 5;
const INSPECT: usize = 6;

/// The truth of one illicit shipment.
#[derive(Debug, Clone, Copy)]
pub struct IllicitTruth {
    pub network: u16,
    pub commodity: u16,
    pub concealment: u8,
    pub exporter: u32,
    pub consignee: u32,
    pub route: u32,
    pub tick: u32,
}

/// A seizure anywhere in the world (the run's own list keeps only the measurement
/// window's shipments; the exercise needs every one, warm-up shipments included).
#[derive(Debug, Clone, Copy)]
pub struct Seized {
    pub serial: u32,
    pub office: usize,
    pub tick: u32,
}

/// What one inspection at an office gave.
#[derive(Debug, Clone, Copy)]
pub struct Inspected {
    /// Position in the office's inbox.
    pub pos: u32,
    pub outcome: Outcome,
}

pub struct Stepper {
    pub w: Arc<World>,
    pub ecs: Ecs,
    stages: Vec<Schedule>,
    /// The tick opened last.
    pub tick: u32,
    /// Illicit shipments by serial.
    pub ledger: BTreeMap<u32, IllicitTruth>,
    /// Every seizure, in order.
    pub seized: Vec<Seized>,
}

impl Stepper {
    pub fn new(w: &Arc<World>, seed: u64) -> Stepper {
        let mut ecs = setup(
            w,
            &RunOptions {
                seed,
                ..RunOptions::default()
            },
        );
        ecs.insert_resource(External {
            by_office: vec![None; w.offices.len()],
            cut: 0,
        });
        debug_assert_eq!(STAGES[ASSESS], "assess");
        debug_assert_eq!(STAGES[INSPECT], "inspect");
        Stepper {
            w: w.clone(),
            ecs,
            stages: stages(),
            tick: 0,
            ledger: BTreeMap::new(),
            seized: Vec::new(),
        }
    }

    /// Run tick `tick` up to assessment.
    pub fn open(&mut self, tick: u32) {
        self.tick = tick;
        self.ecs
            .resource_mut::<crate::sim::components::Clock>()
            .tick = tick;
        for (k, stage) in self.stages[..ASSESS].iter_mut().enumerate() {
            stage.run(&mut self.ecs);
            if STAGES[k] == "generate" {
                for s in &self.ecs.resource::<Fresh>().0 {
                    if s.cargo.is_illicit() {
                        self.ledger.insert(
                            s.voyage.serial,
                            IllicitTruth {
                                network: s.cargo.network,
                                commodity: s.cargo.commodity,
                                concealment: s.cargo.concealment,
                                exporter: s.decl.exporter,
                                consignee: s.decl.consignee,
                                route: s.voyage.route,
                                tick,
                            },
                        );
                    }
                }
            }
        }
    }

    /// The shipments presented at office `o` in the open tick.
    pub fn inbox(&self, o: usize) -> &[Shipment] {
        let e = self.ecs.resource::<Desks>().0[o];
        self.ecs.get::<Desk>(e).map_or(&[], |d| &d.inbox)
    }

    /// Finish the open tick with these selections (inbox positions per office; `None`:
    /// the office's strategy). Returns what was inspected at each of `watched` offices,
    /// and how many team picks capacity left out.
    pub fn close(
        &mut self,
        selections: Vec<Option<Vec<u32>>>,
        watched: &[usize],
    ) -> (BTreeMap<usize, Vec<Inspected>>, u64) {
        {
            let mut ext = self.ecs.resource_mut::<External>();
            ext.by_office = selections;
            ext.cut = 0;
        }
        self.stages[ASSESS].run(&mut self.ecs);
        self.stages[INSPECT].run(&mut self.ecs);
        let mut out = BTreeMap::new();
        let desks = self.ecs.resource::<Desks>().0.clone();
        for (o, &e) in desks.iter().enumerate() {
            if let Some(d) = self.ecs.get::<Desk>(e)
                && !d.inbox.is_empty()
            {
                for &p in &d.selected {
                    if d.outcomes[p as usize] == Outcome::Seize {
                        self.seized.push(Seized {
                            serial: d.inbox[p as usize].voyage.serial,
                            office: o,
                            tick: self.tick,
                        });
                    }
                }
            }
        }
        for &o in watched {
            if let Some(d) = self.ecs.get::<Desk>(desks[o]) {
                let rows = if d.inbox.is_empty() {
                    Vec::new()
                } else {
                    d.selected
                        .iter()
                        .map(|&p| Inspected {
                            pos: p,
                            outcome: d.outcomes[p as usize],
                        })
                        .collect()
                };
                out.insert(o, rows);
            }
        }
        for stage in self.stages[INSPECT + 1..].iter_mut() {
            stage.run(&mut self.ecs);
        }
        let mut ext = self.ecs.resource_mut::<External>();
        ext.by_office.iter_mut().for_each(|x| *x = None);
        (out, ext.cut)
    }

    /// Office `o`'s budget of officer-hours for the current day and what it has spent.
    pub fn desk_budget(&self, o: usize) -> (f64, f64) {
        let e = self.ecs.resource::<Desks>().0[o];
        self.ecs
            .get::<Desk>(e)
            .map_or((0.0, 0.0), |d| (d.day_budget, d.used_today))
    }

    /// Make office `o` use strategy `s` (a comparison run).
    pub fn set_strategy(&mut self, o: usize, s: usize) {
        let e = self.ecs.resource::<Desks>().0[o];
        let def = &self.w.strategies[s];
        let strategy = crate::targeting::build(&def.kind, &self.w);
        if let Some(mut d) = self.ecs.get_mut::<Desk>(e) {
            d.strategy = strategy;
            d.strategy_name = def.name.clone();
            d.operation_strategy = None;
        }
    }

    /// The run's counters so far.
    pub fn tally(&self) -> &crate::metrics::Tally {
        &self.ecs.resource::<Counts>().0
    }

    pub fn tally_mut(&mut self) -> Mut<'_, Counts> {
        self.ecs.resource_mut::<Counts>()
    }
}
