//! ECS components and resources. Offices are entities; shipments are not: there are tens
//! of millions of them, each touched a handful of times, so a shipment is a plain value
//! (what it is, what it says it is, where it is; 52 bytes) that moves from the list of
//! new shipments to the arrival calendar, to an office's inbox and back to the calendar.
//! Every stage reads its shipments in order from one list instead of chasing ids across
//! memory, and a shipment that leaves the simulation is simply not put back anywhere, so
//! memory follows the shipments in flight.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use rand_chacha::ChaCha8Rng;

use crate::metrics::Tally;
use crate::targeting::Strategy;
use crate::world::World as Sim;

/// No network: the shipment is licit.
pub const LICIT: u16 = u16::MAX;

/// The truth of a consignment.
#[derive(Debug, Clone, Copy)]
pub struct Cargo {
    pub commodity: u16,
    /// Index of the illicit network, or [`LICIT`].
    pub network: u16,
    /// Index into `Concealment::ALL` (illicit only).
    pub concealment: u8,
    pub kg: f32,
    pub value: f32,
}

impl Cargo {
    pub fn is_illicit(&self) -> bool {
        self.network != LICIT
    }
}

/// What the trader declared.
#[derive(Debug, Clone, Copy, Default)]
pub struct Declaration {
    pub hs: u16,
    pub flags: u8,
    pub exporter: u32,
    pub consignee: u32,
    pub kg: f32,
    pub value: f32,
}

impl Declaration {
    pub const VAGUE: u8 = 1;
    pub const LICENCE: u8 = 2;
}

/// Where the shipment is on its route.
#[derive(Debug, Clone, Copy)]
pub struct Voyage {
    /// Serial number within the run: the key of its counter-based random draws (widened
    /// to `u64` wherever it is used, so a run has at most `u32::MAX` declarations).
    pub serial: u32,
    pub route: u32,
    /// Stop it is at (0 = origin).
    pub stop: u8,
    pub flags: u8,
    /// Hour (since the start) it arrived at the current stop.
    pub hour: u32,
}

impl Voyage {
    pub const REACHED_OFFICE: u8 = 1;
    /// Declared in the measurement window: the metrics count it.
    pub const WINDOW: u8 = 2;

    pub fn in_window(&self) -> bool {
        self.flags & Self::WINDOW != 0
    }
}

/// One shipment: its truth, its declaration and its voyage.
#[derive(Debug, Clone, Copy)]
pub struct Shipment {
    pub cargo: Cargo,
    pub decl: Declaration,
    pub voyage: Voyage,
}

/// Shipments in flight now and at most, counted at the end of each tick.
#[derive(Resource, Default, Debug, Clone, Copy)]
pub struct InFlight {
    pub now: usize,
    pub peak: usize,
}

/// What happens to one declaration at an office this tick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// Not selected: released at once.
    Pass,
    /// Inspected and released, after this many hours.
    Release { dwell: f32 },
    /// Violation found and seized.
    Seize,
    /// Violation found but not seizable (no legal framework); released after detention.
    Unseizable { dwell: f32 },
}

/// A customs office's desk: its strategies and this tick's work.
#[derive(Component)]
pub struct Desk {
    pub office: u16,
    pub strategy: Box<dyn Strategy>,
    pub strategy_name: String,
    /// The profile handed out by the operation, used from its interdiction phase on.
    pub operation_strategy: Option<(Box<dyn Strategy>, String)>,
    /// Whether this tick's selection was the operation's.
    pub using_operation: bool,
    /// Per inbox entry: marked by the profile but left uninspected for lack of
    /// capacity, so flagged to the offices further along its route.
    pub flagged: Vec<bool>,
    /// Per inbox entry: selected because of a platform alert.
    pub alerted: Vec<bool>,
    /// Per inbox entry: its index in the strategy's own view, if the strategy saw it.
    pub local: Vec<Option<u32>>,
    pub view: crate::targeting::Excluding,
    pub rng: ChaCha8Rng,
    pub inbox: Vec<Shipment>,
    pub selected: Vec<u32>,
    pub outcomes: Vec<Outcome>,
    /// Today's officer-hours (daily capacity × surge × capacity injects; 0 while the
    /// node is closed) and what the day's earlier ticks spent of them.
    pub day_budget: f64,
    pub used_today: f64,
    /// Declarations assessed on the window's days (window or not): the office's load,
    /// which its capacity is scaled to in the drain.
    pub window_arrivals: u64,
    /// Officer-hours a drain tick left over (less than one inspection), for the next.
    pub drain_credit: f64,
}

/// The immutable world, shared between replications.
#[derive(Resource, Clone)]
pub struct WorldRes(pub Arc<Sim>);

/// Whether this run is the business-as-usual baseline of a scenario with an operation.
#[derive(Resource, Default)]
pub struct RunMode {
    pub baseline: bool,
    /// Factor on every office's officer-hours.
    pub capacity_scale: f64,
}

/// The current tick.
#[derive(Resource, Default)]
pub struct Clock {
    pub tick: u32,
}

/// Arrival calendar: the shipments that reach their next stop in each tick, in the order
/// they were booked. Only these are touched; a shipment at sea costs nothing.
///
/// A bucket is a list of fixed-size chunks, and chunks emptied by the tick that read
/// them are reused by the buckets that fill later. Growing one `Vec` per bucket instead
/// would copy on every doubling and leave the allocator's heap fragmented: at 5M
/// declarations that cost a third of the peak memory.
#[derive(Resource)]
pub struct Calendar {
    buckets: Vec<Vec<Vec<Shipment>>>,
    spare: Vec<Vec<Shipment>>,
    /// Shipments booked in all buckets.
    len: usize,
}

impl Calendar {
    /// Shipments per chunk: 4,096 × 52 bytes ≈ 208 KiB.
    pub const CHUNK: usize = 4096;

    pub fn new(ticks: u32) -> Calendar {
        Calendar {
            buckets: (0..ticks).map(|_| Vec::new()).collect(),
            spare: Vec::new(),
            len: 0,
        }
    }

    /// Book a shipment's arrival in tick `tick` (which must be within the run).
    pub fn book(&mut self, tick: u32, s: Shipment) {
        self.len += 1;
        let bucket = &mut self.buckets[tick as usize];
        match bucket.last_mut() {
            Some(chunk) if chunk.len() < Self::CHUNK => chunk.push(s),
            _ => {
                let mut chunk = self
                    .spare
                    .pop()
                    .unwrap_or_else(|| Vec::with_capacity(Self::CHUNK));
                chunk.push(s);
                bucket.push(chunk);
            }
        }
    }

    /// Take the chunks of tick `tick`, in booking order. Hand each back with
    /// [`Calendar::recycle`] once read.
    pub fn take(&mut self, tick: u32) -> Vec<Vec<Shipment>> {
        let chunks = std::mem::take(&mut self.buckets[tick as usize]);
        self.len -= chunks.iter().map(Vec::len).sum::<usize>();
        chunks
    }

    /// Return a chunk for reuse.
    pub fn recycle(&mut self, mut chunk: Vec<Shipment>) {
        chunk.clear();
        if chunk.capacity() == Self::CHUNK {
            self.spare.push(chunk);
        }
    }

    /// Shipments booked in all ticks.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Shipments generated this tick, waiting for their declaration.
#[derive(Resource, Default)]
pub struct Fresh(pub Vec<Shipment>);

/// Office entities by office index.
#[derive(Resource)]
pub struct Desks(pub Vec<Entity>);

/// The sequential random streams and the seeds of the counter-based ones.
#[derive(Resource)]
pub struct Streams {
    pub flows: ChaCha8Rng,
    pub adversary: ChaCha8Rng,
    pub declare: ChaCha8Rng,
    pub inspection_seed: u64,
    pub waits_seed: u64,
    pub advance_info_seed: u64,
    /// Seed of the per-tick shuffle of new shipments.
    pub order_seed: u64,
    /// Seed of the networks' reactions to publicity.
    pub publicity_seed: u64,
    /// Seed of this replication's population (see `world::population`).
    pub population_seed: u64,
    pub next_serial: u64,
}

/// Selections made outside the simulation (an exercise team plays the office): per
/// office, the inbox positions to inspect this tick, taken instead of alerts and the
/// office's strategy. An office with `None` runs its strategy as usual. The exercise
/// refuses selections beyond capacity before they get here; `cut` counts any that
/// capacity still left out (a capacity change after the team submitted).
#[derive(Resource, Default)]
pub struct External {
    pub by_office: Vec<Option<Vec<u32>>>,
    pub cut: u64,
}

/// The run's counters.
#[derive(Resource)]
pub struct Counts(pub Tally);
