//! Metrics: what one replication counts, and the statistics over many.

pub mod stats;
