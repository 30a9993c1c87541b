//! `stce sweep`: a grid of scenario variants, resumable.

use std::path::PathBuf;

use indicatif::ProgressBar;
use stce::experiment::shard::{Input, Job, Shard, Work};
use stce::experiment::sweep;

use super::{Error, check_reps, emit, show_bar};

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
    /// Run only the K-th of N slices of the (cell, replication) units and write a shard
    /// folder to --out; `stce merge` combines the N folders into the sweep, e.g. --shard 2/4.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
}

pub fn execute(a: Args) -> Result<(), Error> {
    if let Some(k) = a.shard {
        let (job, input) = sharded(&a)?;
        return super::run_shard(&job, k, &input, &a.out, a.quiet);
    }
    let (s, manifest) = load(&a)?;
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
        &|n| show_bar(&bar, n, a.quiet),
        &|| bar.inc(1),
    )?;
    bar.finish_and_clear();
    let w = stce::experiment::job_world(&a.scenario, None, manifest.base_seed)?;
    stce::report::folder::complete(&a.out, &a.scenario, &w, manifest.base_seed, a.reps)?;
    if a.quiet {
        return Ok(());
    }
    emit(&format!(
        "{} cells ({} already done, {} run) × {} replications → {}/cells.csv, replications.csv, detection_vs_inspection.png/.svg\n",
        r.cells,
        r.skipped,
        r.cells - r.skipped,
        a.reps,
        r.dir.display()
    ))
}

/// The scenario and the sweep's manifest, every cell checked.
fn load(a: &Args) -> Result<(stce::scenario::Scenario, sweep::Manifest), Error> {
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
    Ok((s, manifest))
}

/// The sweep as a job of shards (for `--shard` and `stce slurm`), and what they compute from.
pub fn sharded(a: &Args) -> Result<(Job, Input), Error> {
    let (s, manifest) = load(a)?;
    let job = Job::new(
        &a.scenario,
        &s.name,
        manifest.base_seed,
        a.reps,
        None,
        Work::Sweep { manifest },
    )?;
    Ok((job, Input::Scenario(Box::new(s))))
}
