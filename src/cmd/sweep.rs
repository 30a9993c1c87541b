//! `stce sweep`: a grid of scenario variants, resumable.

use std::path::PathBuf;

use indicatif::ProgressBar;
use stce::experiment::shard::{Input, Job, Shard, Work};
use stce::experiment::sweep;

use super::{Error, show_bar};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (RON).
    scenario: PathBuf,
    /// PATH=v1,v2,… (repeatable): a scenario field (e.g. nodes[*].office.capacity_hours,
    /// declarations), or `strategy` (every office) or `capacity_scale` (all offices).
    #[arg(long = "set", required = true)]
    sets: Vec<String>,
    /// Seeded replications per cell.
    #[arg(long, default_value_t = 10, value_parser = super::at_least_one)]
    reps: usize,
    /// Base seed (default: the scenario's).
    #[arg(long)]
    seed: Option<u64>,
    /// Directory for sweep.json, cells.csv, replications.csv and plots.
    #[arg(long)]
    out: PathBuf,
    /// When --out holds a different sweep (another scenario, seed, reps or axes), move
    /// it aside to <out>.superseded-N and start over instead of refusing.
    #[arg(long)]
    force: bool,
    /// Run every cell without the scenario's operation (business as usual).
    #[arg(long)]
    no_operation: bool,
    /// Run only the K-th of N slices of the (cell, replication) units and write a shard
    /// folder to --out; `stce merge` combines the N folders into the sweep.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
}

pub fn execute(a: Args) -> Result<(), Error> {
    if let Some(k) = a.shard {
        let (job, input) = sharded(&a)?;
        return super::run_shard(&job, k, &input, &a.out);
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
    let r = sweep::run_sweep(&s, &manifest, &a.out, &|n| show_bar(&bar, n), &|| {
        bar.inc(1)
    })?;
    bar.finish_and_clear();
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

/// The scenario and the sweep's manifest, every cell checked.
fn load(a: &Args) -> Result<(stce::scenario::Scenario, sweep::Manifest), Error> {
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
