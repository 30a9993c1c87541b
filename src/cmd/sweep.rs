//! `stce sweep`: a grid of scenario variants, resumable.

use std::path::PathBuf;

use indicatif::ProgressBar;
use stce::experiment::sweep;

use super::{Error, check_reps, emit, progress_style};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  stce sweep scenarios/asean-cosmo.ron --set strategy=random,risk-score,learner --set capacity_scale=0.25,0.5,1,2 --reps 20 --out out/sweep
  stce sweep scenarios/tutorial.ron --set 'nodes[*].office.capacity_hours=12,24,48' --reps 10 --out out/capacity && stce report out/capacity")]
pub struct Args {
    /// Scenario file (RON), e.g. scenarios/asean-cosmo.ron.
    scenario: PathBuf,
    /// PATH=v1,v2,… (repeatable): a scenario field (e.g. nodes[*].office.capacity_hours,
    /// declarations), or `strategy` (every office) or `capacity_scale` (all offices),
    /// e.g. --set capacity_scale=0.5,1,2. Its column in the CSVs is set.PATH.
    #[arg(long = "set", required = true)]
    sets: Vec<String>,
    /// Seeded replications per cell (2 or more), e.g. --reps 20.
    #[arg(long, default_value_t = 10, value_parser = super::at_least_one)]
    reps: usize,
    /// Base seed (default: the scenario's), e.g. --seed 7.
    #[arg(long)]
    seed: Option<u64>,
    /// Directory for sweep.json, cells.csv, replications.csv (+ schemas), world.json
    /// and plots, e.g. --out out/sweep. Run again with the same arguments to resume.
    #[arg(long)]
    out: PathBuf,
    /// When --out holds a different sweep (another scenario, seed, reps or axes), move
    /// it aside to <out>.superseded-N and start over instead of refusing, e.g. --force.
    #[arg(long)]
    force: bool,
    /// Run every cell without the scenario's operation (business as usual), e.g. --no-operation.
    #[arg(long)]
    no_operation: bool,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

pub fn execute(a: Args) -> Result<(), Error> {
    check_reps(a.reps)?;
    let s = stce::scenario::load(&a.scenario)?;
    let axes = a
        .sets
        .iter()
        .map(|x| sweep::Axis::parse(x))
        .collect::<Result<Vec<_>, _>>()?;
    let manifest = sweep::Manifest::new(
        &a.scenario,
        &s,
        a.seed.unwrap_or(s.seed),
        a.reps,
        axes,
        a.no_operation,
    )?;
    sweep::check_cells(&s, &manifest.axes)?;
    if let Some(old) = sweep::existing(&a.out)?
        && let Err(why) = manifest.resumes(&old, &a.out)
    {
        if !a.force {
            return Err(why.into());
        }
        let to = sweep::set_aside(&a.out)?;
        eprintln!(
            "--force: the sweep there is kept in {}; starting over in {}",
            to.display(),
            a.out.display()
        );
    }
    let bar = ProgressBar::hidden();
    let r = sweep::run_sweep(
        &s,
        &manifest,
        &a.out,
        &|n| {
            bar.set_length(n);
            if !a.quiet {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            bar.set_style(progress_style());
        },
        &|| bar.inc(1),
    )?;
    bar.finish_and_clear();
    let w = stce::world::World::build(&s).map_err(|e| e.to_string())?;
    stce::report::folder::complete(&a.out, &a.scenario, &w, manifest.base_seed, a.reps)?;
    emit(&format!(
        "{} cells ({} already done, {} run) × {} replications → {}/cells.csv, replications.csv, detection_vs_inspection.png/.svg\n",
        r.cells,
        r.skipped,
        r.cells - r.skipped,
        a.reps,
        r.dir.display()
    ))
}
