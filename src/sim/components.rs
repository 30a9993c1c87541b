//! ECS components and resources. Offices are entities; shipments are not: there are tens
//! of millions of them, each touched a handful of times, so they live in a plain slab
//! ([`Shipments`]) addressed by a `u32` id. A shipment is three small parts (what it is,
//! what it says it is, where it is), 52 bytes in all.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use rand_chacha::ChaCha8Rng;

use crate::metrics::Tally;
use crate::targeting::{Facts, Strategy};
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
}

/// One shipment: its truth, its declaration and its voyage.
#[derive(Debug, Clone, Copy)]
pub struct Shipment {
    pub cargo: Cargo,
    pub decl: Declaration,
    pub voyage: Voyage,
}

/// A shipment's slot in [`Shipments`]. Ids are reused once a shipment has left, so
/// nothing that outlives a shipment may keep its id (alerts name the serial instead).
pub type ShipmentId = u32;

/// The shipments in flight: a slab with a free list, so memory follows the peak number
/// in flight rather than the run's total, and leaving costs one push.
#[derive(Resource, Default)]
pub struct Shipments {
    slots: Vec<Shipment>,
    free: Vec<ShipmentId>,
    peak: usize,
}

impl Shipments {
    pub fn insert(&mut self, s: Shipment) -> ShipmentId {
        let id = match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = s;
                id
            }
            None => {
                self.slots.push(s);
                ShipmentId::try_from(self.slots.len() - 1)
                    .expect("more than u32::MAX shipments in flight")
            }
        };
        self.peak = self.peak.max(self.len());
        id
    }

    /// Free a slot. The shipment must not be used again.
    pub fn remove(&mut self, id: ShipmentId) {
        debug_assert!((id as usize) < self.slots.len());
        self.free.push(id);
    }

    pub fn get(&self, id: ShipmentId) -> &Shipment {
        &self.slots[id as usize]
    }

    pub fn get_mut(&mut self, id: ShipmentId) -> &mut Shipment {
        &mut self.slots[id as usize]
    }

    /// Shipments in flight now.
    pub fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most shipments in flight at once so far.
    pub fn peak(&self) -> usize {
        self.peak
    }
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
    /// Per inbox entry: selected because of a platform alert.
    pub alerted: Vec<bool>,
    /// Per inbox entry: its index in the strategy's own view, if the strategy saw it.
    pub local: Vec<Option<u32>>,
    pub view: crate::targeting::Excluding,
    pub rng: ChaCha8Rng,
    pub inbox: Vec<ShipmentId>,
    /// What the office knows of each declaration in the inbox.
    pub facts: Vec<Facts>,
    pub selected: Vec<u32>,
    pub outcomes: Vec<Outcome>,
}

/// The immutable world, shared between replications.
#[derive(Resource, Clone)]
pub struct WorldRes(pub Arc<Sim>);

/// Whether this run is the business-as-usual baseline of a scenario with an operation.
#[derive(Resource, Default)]
pub struct RunMode {
    pub baseline: bool,
}

/// The current tick.
#[derive(Resource, Default)]
pub struct Clock {
    pub tick: u32,
}

/// Arrival calendar: the shipments that reach their next stop in each tick. Only these
/// are touched; a shipment at sea costs nothing.
#[derive(Resource)]
pub struct Calendar {
    pub buckets: Vec<Vec<ShipmentId>>,
}

/// Shipments generated this tick, waiting for their declaration.
#[derive(Resource, Default)]
pub struct Fresh(pub Vec<ShipmentId>);

/// Shipments that left the simulation this tick (delivered, seized, beyond the horizon).
#[derive(Resource, Default)]
pub struct Done(pub Vec<ShipmentId>);

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
    pub next_serial: u64,
}

/// The run's counters.
#[derive(Resource)]
pub struct Counts(pub Tally);
