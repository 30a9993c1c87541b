//! Reports: the terminal summary, the files a run writes (metrics.json, offices.csv,
//! seizures.csv) and plots; every file is written atomically.

pub mod briefing;
pub mod context;
pub mod folder;
pub mod io;
pub mod numbers;
pub mod plots;
pub mod provenance;
pub mod schema;
pub mod summary;
pub mod tables;
