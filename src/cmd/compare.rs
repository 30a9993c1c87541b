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
    #[arg(long, default_value_t = 30)]
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
}

pub fn execute(a: Args) -> Result<(), Error> {
    let w = load_world(
        &a.scenario,
        &Overrides {
            declarations: a.declarations,
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
    let c = compare::compare(&w, a.seed.unwrap_or(w.seed), a.reps, &idx, &|| bar.inc(1));
    bar.finish_and_clear();
    print!("{}", c.table());
    if let Some(dir) = a.out {
        c.write(&dir)?;
        stce::report::folder::complete(&dir, &a.scenario, &w, a.seed.unwrap_or(w.seed), a.reps)?;
        println!(
            "wrote {}/replications.csv, summary.json and plots (PNG and SVG)",
            dir.display()
        );
    }
    Ok(())
}
