//! `stce compare`: strategies on the same replications, paired differences.

use std::path::PathBuf;

use stce::experiment::compare;
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
}

pub fn execute(a: Args) -> Result<(), Error> {
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
