//! Metrics: what one replication counts ([`tally`]), the definitions of the targeting
//! metrics computed from those counts ([`run`]), and statistics over replications
//! ([`stats`]).

pub mod run;
pub mod stats;
pub mod tally;

pub use run::RunMetrics;
pub use tally::{Fates, OfficeTally, Seizure, Tally};
