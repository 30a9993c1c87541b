//! stce: a simulation engine for strategic trade control enforcement.
//!
//! Reading order for a newcomer: [`scenario`] (what a user writes), [`world`] (the
//! immutable world built from it), [`sim`] (the ECS schedule a shipment lives through),
//! [`targeting`] (how offices choose what to inspect), [`adversary`] (how illicit
//! networks hide), [`metrics`] (what we measure) and [`report`] (what we write).

pub mod adversary;
pub mod metrics;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod targeting;
pub mod world;
