//! The immutable world: reference data, geography and the route graph built from a
//! scenario, shared read-only by every replication.

pub mod geo;
pub mod maritime;
pub mod reference;
