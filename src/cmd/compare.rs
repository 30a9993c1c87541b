//! `stce compare`: strategies on the same replications, paired differences.

use std::path::PathBuf;
use std::sync::Arc;

use stce::experiment::compare;
use stce::experiment::shard::{Input, Job, Shard, Work};
use stce::report::provenance::Provenance;
use stce::world::World;
use stce::{Overrides, load_world};

use super::{Error, check_reps, emit, emit_json, progress_bar, strategy_index};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  stce compare scenarios/asean-cosmo.ron --strategy random --strategy risk-score --reps 20
  stce compare scenarios/tutorial.ron --strategy random --strategy risk --strategy profiles --reps 30 --out out/cmp && stce report out/cmp")]
pub struct Args {
    /// Scenario file (RON), e.g. scenarios/asean-cosmo.ron.
    scenario: PathBuf,
    /// A strategy of the scenario, applied at every office; give two or more, each
    /// once. The first is the baseline of the paired differences, e.g.
    /// --strategy random --strategy risk-score.
    #[arg(long = "strategy", required = true, num_args = 1)]
    strategies: Vec<String>,
    /// Seeded replications per strategy (2 or more), e.g. --reps 50.
    #[arg(long, default_value_t = 30, value_parser = super::at_least_one)]
    reps: usize,
    /// Base seed (default: the scenario's), e.g. --seed 7.
    #[arg(long)]
    seed: Option<u64>,
    /// Override the scenario's number of declarations, e.g. --declarations 100000.
    #[arg(long)]
    declarations: Option<u64>,
    /// Write replications.csv (+ schema), summary.json, world.json and plots here, e.g. --out out/cmp.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Refuse to start when the estimated memory exceeds this, e.g. --max-memory 4G; the
    /// default limit is the memory available on the machine.
    #[arg(long, value_parser = super::memory_size)]
    max_memory: Option<u64>,
    /// Compare the strategies without the scenario's operation (business as usual),
    /// e.g. --no-operation.
    #[arg(long)]
    no_operation: bool,
    /// Hold the inspection effort equal: scale each strategy's officer-hours so that
    /// all spend as many as the one that spent least, e.g. --equal-effort.
    #[arg(long)]
    equal_effort: bool,
    /// Print summary.json's content on standard output instead of the table, e.g. --json.
    #[arg(long)]
    json: bool,
    /// No progress bar and no "wrote …" line.
    #[arg(long)]
    quiet: bool,
    /// Run only the K-th of N slices of the (replication, strategy) units and write a
    /// shard folder to --out; `stce merge` combines the N folders, e.g. --shard 2/4.
    #[arg(long, value_name = "K/N", requires = "out")]
    shard: Option<Shard>,
}

pub fn execute(a: Args) -> Result<(), Error> {
    if let (Some(k), Some(out)) = (a.shard, &a.out) {
        let (job, input) = sharded(&a)?;
        return super::run_shard(&job, k, &input, out, a.quiet);
    }
    let (w, idx) = load(&a)?;
    let seed = w.seed;
    let bar = progress_bar((a.reps * idx.len()) as u64, a.quiet);
    let options = compare::CompareOptions {
        no_operation: a.no_operation,
        equal_effort: a.equal_effort,
    };
    let c = compare::compare_with(&w, seed, a.reps, &idx, options, &|| bar.inc(1));
    bar.finish_and_clear();
    if a.json {
        emit_json(
            c.summary_json(),
            &Provenance::new(&a.scenario, seed, a.reps)?,
        )?;
    } else {
        emit(&c.table())?;
    }
    if let Some(dir) = a.out {
        c.write(&dir, &w, &|d| {
            stce::report::folder::complete(d, &a.scenario, &w, seed, a.reps)
        })?;
        if !a.quiet && !a.json {
            emit(&format!(
                "wrote {}/replications.csv, offices.csv, summary.json, world.json, schemas and plots (PNG and SVG)\n",
                dir.display()
            ))?;
        }
    }
    Ok(())
}

/// The world and the indices of the strategies compared, each given once.
fn load(a: &Args) -> Result<(Arc<World>, Vec<usize>), Error> {
    if a.strategies.len() < 2 {
        return Err("compare needs at least two --strategy".into());
    }
    for (i, s) in a.strategies.iter().enumerate() {
        if a.strategies[..i].contains(s) {
            return Err(format!(
                "--strategy {s} is given twice: a strategy compared with itself has a difference of zero by construction; give each strategy once"
            )
            .into());
        }
    }
    check_reps(a.reps)?;
    let w = load_world(
        &a.scenario,
        &Overrides {
            declarations: a.declarations,
            runs_at_once: super::at_once(a.reps * a.strategies.len()),
            max_memory: a.max_memory,
            seed: a.seed,
        },
    )?;
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
