//! `stce compare`: strategies on the same replications, paired differences.

use std::path::PathBuf;
use std::sync::Arc;

use stce::experiment::compare;
use stce::experiment::shard::{Input, Job, Shard, Work};
use stce::world::World;
use stce::{Overrides, load_world};

use super::{Error, progress_bar, strategy_index};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (RON).
    scenario: PathBuf,
    /// A strategy of the scenario, applied at every office; give two or more. The
    /// first is the baseline of the paired differences.
    #[arg(long = "strategy", required = true, num_args = 1)]
    strategies: Vec<String>,
    /// Seeded replications per strategy.
    #[arg(long, default_value_t = 30, value_parser = super::at_least_one)]
    reps: usize,
    /// Base seed (default: the scenario's).
    #[arg(long)]
    seed: Option<u64>,
    /// Override the scenario's number of declarations.
    #[arg(long)]
    declarations: Option<u64>,
    /// Write replications.csv, summary.json and plots here.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Refuse to start when the estimated memory exceeds this (e.g. 4G); the default
    /// limit is the memory available on the machine.
    #[arg(long, value_parser = super::memory_size)]
    max_memory: Option<u64>,
    /// Compare the strategies without the scenario's operation (business as usual).
    #[arg(long)]
    no_operation: bool,
    /// Hold the inspection effort equal: scale each strategy's officer-hours so that
    /// all spend as many as the one that spent least.
    #[arg(long)]
    equal_effort: bool,
    /// Run only the K-th of N slices of the (replication, strategy) units and write a
    /// shard folder to --out; `stce merge` combines the N folders.
    #[arg(long, value_name = "K/N", requires = "out")]
    shard: Option<Shard>,
}

pub fn execute(a: Args) -> Result<(), Error> {
    if let (Some(k), Some(out)) = (a.shard, &a.out) {
        let (job, input) = sharded(&a)?;
        return super::run_shard(&job, k, &input, out);
    }
    let (w, idx) = load(&a)?;
    let bar = progress_bar((a.reps * idx.len()) as u64);
    let options = compare::CompareOptions {
        no_operation: a.no_operation,
        equal_effort: a.equal_effort,
    };
    let c = compare::compare_with(&w, w.seed, a.reps, &idx, options, &|| bar.inc(1));
    bar.finish_and_clear();
    print!("{}", c.table());
    if let Some(dir) = a.out {
        c.write(&dir)?;
        println!(
            "wrote {}/replications.csv, summary.json and plots (PNG and SVG)",
            dir.display()
        );
    }
    Ok(())
}

/// The world and the indices of the strategies compared.
fn load(a: &Args) -> Result<(Arc<World>, Vec<usize>), Error> {
    let w = load_world(
        &a.scenario,
        &Overrides {
            declarations: a.declarations,
            runs_at_once: super::at_once(a.reps * a.strategies.len()),
            max_memory: a.max_memory,
            seed: a.seed,
        },
    )?;
    if a.strategies.len() < 2 {
        return Err("compare needs at least two --strategy".into());
    }
    let idx = a
        .strategies
        .iter()
        .map(|n| strategy_index(&w, n))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((w, idx))
}

/// The comparison as a job of shards (for `--shard` and `stce slurm`), and its world.
/// Equal effort calibrates capacity over all replications together: it has no shards.
pub fn sharded(a: &Args) -> Result<(Job, Input), Error> {
    if a.equal_effort {
        return Err("--equal-effort calibrates each strategy's capacity over all replications together, so it cannot be split into shards; run it on one machine".into());
    }
    let (w, idx) = load(a)?;
    let work = Work::Compare {
        strategies: idx.iter().map(|&i| w.strategies[i].name.clone()).collect(),
        no_operation: a.no_operation,
    };
    let job = Job::new(&a.scenario, &w.name, w.seed, a.reps, a.declarations, work)?;
    Ok((job, Input::World(w)))
}
