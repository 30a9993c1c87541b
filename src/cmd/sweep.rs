//! `stce sweep`: a grid of scenario variants, resumable.

use std::path::PathBuf;

use indicatif::ProgressBar;
use stce::experiment::sweep;

use super::{Error, progress_style};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (RON).
    scenario: PathBuf,
    /// PATH=v1,v2,… (repeatable): a scenario field (e.g. nodes[*].office.capacity_hours,
    /// declarations), or `strategy` (every office) or `capacity_scale` (all offices).
    #[arg(long = "set", required = true)]
    sets: Vec<String>,
    /// Seeded replications per cell.
    #[arg(long, default_value_t = 10)]
    reps: usize,
    /// Base seed (default: the scenario's).
    #[arg(long)]
    seed: Option<u64>,
    /// Directory for sweep.json, cells.csv, replications.csv and plots.
    #[arg(long)]
    out: PathBuf,
}

pub fn execute(a: Args) -> Result<(), Error> {
    let s = stce::scenario::load(&a.scenario)?;
    let axes = a
        .sets
        .iter()
        .map(|x| sweep::Axis::parse(x))
        .collect::<Result<Vec<_>, _>>()?;
    let manifest = sweep::Manifest {
        scenario: a.scenario.display().to_string(),
        base_seed: a.seed.unwrap_or(s.seed),
        reps: a.reps,
        axes,
    };
    let bar = ProgressBar::hidden();
    let r = sweep::run_sweep(
        &s,
        &manifest,
        &a.out,
        &|n| {
            bar.set_length(n);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.set_style(progress_style());
        },
        &|| bar.inc(1),
    )?;
    bar.finish_and_clear();
    let w = stce::world::World::build(&s).map_err(|e| e.to_string())?;
    stce::report::folder::complete(&a.out, &a.scenario, &w, manifest.base_seed, a.reps)?;
    println!(
        "{} cells ({} already done, {} run) × {} replications → {}/cells.csv, replications.csv, detection_vs_inspection.png/.svg",
        r.cells,
        r.skipped,
        r.cells - r.skipped,
        a.reps,
        r.dir.display()
    );
    Ok(())
}
