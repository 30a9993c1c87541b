//! stce: a simulation engine for strategic trade control enforcement.
//!
//! Reading order for a newcomer: [`scenario`] (what a user writes), [`world`] (the
//! immutable world built from it), [`sim`] (the ECS schedule a shipment lives through),
//! [`targeting`] (how offices choose what to inspect), [`adversary`] (how illicit
//! networks hide), [`metrics`] (what we measure) and [`report`] (what we write).

pub mod adversary;
pub mod budget;
pub mod events;
pub mod exercise;
pub mod experiment;
pub mod metrics;
pub mod operation;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod targeting;
pub mod trace;
pub mod world;

use std::path::Path;
use std::sync::Arc;

/// Why a scenario could not become a world.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Scenario(#[from] scenario::ScenarioError),
    #[error("{file}: {message}")]
    Memory { file: String, message: String },
    #[error("{file}: {error}")]
    World {
        file: String,
        error: world::WorldError,
    },
}

/// Changes the command line makes to a scenario before the world is built.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub declarations: Option<u64>,
    /// Runs that will be in memory at once (replications in parallel); 0 means one run,
    /// with its business-as-usual baseline beside it when the scenario has an
    /// operation. Sizes the memory estimate.
    pub runs_at_once: u64,
    /// Refuse when the estimate exceeds this many bytes (`--max-memory`); without it,
    /// the machine's available memory is the limit.
    pub max_memory: Option<u64>,
    /// `--seed`: replaces the file's `seed` (they mean the same: the base seed of every
    /// stream, and of the population when it is fixed).
    pub seed: Option<u64>,
}

/// Load and validate a scenario file and build its immutable world.
pub fn load_world(path: &Path, o: &Overrides) -> Result<Arc<world::World>, LoadError> {
    let mut s = scenario::load(path)?;
    if let Some(n) = o.declarations {
        s.declarations = n;
    }
    if let Some(seed) = o.seed {
        s.seed = seed;
    }
    // Before the world (and its trader population) is allocated. A declaration count
    // beyond what a run can hold is the world's own error, which names the limit.
    if s.declarations <= u64::from(u32::MAX) {
        let runs = match o.runs_at_once {
            0 => 1 + u64::from(s.operation.is_some()),
            n => n,
        };
        budget::check(&s, runs, o.max_memory).map_err(|message| LoadError::Memory {
            file: path.display().to_string(),
            message,
        })?;
    }
    world::World::build(&s)
        .map(Arc::new)
        .map_err(|error| LoadError::World {
            file: path.display().to_string(),
            error,
        })
}
