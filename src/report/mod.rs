//! Reports: terminal summary, JSON, CSV and plots, all written atomically.

pub mod io;
pub mod plots;
