//! `stce run`: one run (with business as usual beside an operation) or seeded replications.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use stce::experiment::estimates_table;
use stce::experiment::runs::{replicate_with_baseline, run_with_baseline_recorded};
use stce::experiment::shard::{Input, Job, Shard, Work};
use stce::report::folder::complete;
use stce::report::provenance::Provenance;
use stce::report::summary::{operation_effect, summary};
use stce::report::tables;
use stce::sim::RunOptions;
use stce::world::World;
use stce::{Overrides, load_world};

use super::profile::RunsProfile;
use super::{Error, check_reps, emit, emit_json, progress_bar, strategy_index};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  stce run scenarios/asean-cosmo.ron
  stce run scenarios/asean-cosmo.ron --seed 7 --out out/asean && stce report out/asean
  stce run scenarios/asean-cosmo.ron --reps 20 --baseline --out out/asean-reps
  stce run scenarios/tutorial.ron --json --quiet > metrics.json")]
pub struct Args {
    /// Scenario file (RON), e.g. scenarios/asean-cosmo.ron.
    scenario: PathBuf,
    /// Seed of the run (default: the scenario's), e.g. --seed 7.
    #[arg(long)]
    seed: Option<u64>,
    /// Write metrics.json, offices.csv and seizures.csv here (with --reps:
    /// summary.json and replications.csv), each CSV with its .schema.json, e.g. --out out/asean.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Override the scenario's number of declarations, e.g. --declarations 1000000.
    #[arg(long)]
    declarations: Option<u64>,
    /// Make every office use this strategy (a name from the scenario), e.g. --strategy random.
    #[arg(long)]
    strategy: Option<String>,
    /// Seeded replications (2 or more), run in parallel; metrics reported as mean and
    /// 95% CI, e.g. --reps 20. Without it: one run.
    #[arg(long, value_parser = super::at_least_one)]
    reps: Option<usize>,
    /// With --reps and an operation in the scenario: also run business as usual on
    /// the same seeds and report the operation's effect as a paired difference with
    /// its 95% CI (a single run always does), e.g. --reps 20 --baseline.
    #[arg(long, conflicts_with = "no_operation")]
    baseline: bool,
    /// Run the scenario without its operation (business as usual) only, e.g. --no-operation.
    #[arg(long)]
    no_operation: bool,
    /// Print the metrics as JSON on standard output instead of the table
    /// (metrics.json's content; with --reps, summary.json's), e.g. --json > m.json.
    #[arg(long)]
    json: bool,
    /// No progress bar and no "wrote …" lines; errors still go to standard error.
    #[arg(long)]
    quiet: bool,
    /// Print wall time, declarations simulated per second, peak memory and, for a
    /// single run, the time of each stage (on standard error), e.g. --profile.
    #[arg(long)]
    profile: bool,
    /// With --reps: run only the K-th of N slices of the replications and write a shard
    /// folder to --out; `stce merge` combines the N folders, e.g. --shard 2/4.
    #[arg(long, value_name = "K/N", requires = "out")]
    shard: Option<Shard>,
    /// Write the event log of the run here (gzip-compressed CSV, one row per
    /// declaration; e.g. events.csv.gz). `stce replay FILE --verify` re-runs and checks it.
    #[arg(long, value_name = "FILE")]
    events: Option<PathBuf>,
    /// Refuse to start when the run's estimated memory exceeds this (e.g. 4G); the
    /// default limit is the memory available on the machine.
    #[arg(long, value_parser = super::memory_size)]
    max_memory: Option<u64>,
}

pub fn execute(a: Args) -> Result<(), Error> {
    if let (Some(k), Some(out)) = (a.shard, &a.out) {
        let (job, input) = sharded(&a)?;
        return super::run_shard(&job, k, &input, out, a.quiet);
    }
    let started = Instant::now();
    let (w, strategy, seed) = load(&a)?;
    let load_seconds = started.elapsed().as_secs_f64();
    if a.baseline && a.reps.is_none() {
        return Err("--baseline goes with --reps N (a single run always runs business as usual beside an operation)".into());
    }
    if a.events.is_some() && a.reps.is_some() {
        return Err("--events records one run: drop --reps (or run each seed with --seed)".into());
    }
    let t0 = Instant::now();
    if let Some(reps) = a.reps {
        check_reps(reps)?;
        let bar = progress_bar(reps as u64 * (1 + a.baseline as u64), a.quiet);
        let r = replicate_with_baseline(
            &w,
            seed,
            reps,
            strategy,
            a.baseline,
            a.no_operation,
            &|| bar.inc(1),
        );
        bar.finish_and_clear();
        if a.json {
            emit_json(r.summary_json(), &Provenance::new(&a.scenario, seed, reps)?)?;
        } else {
            let mut text = format!(
                "{} — {} replications (base seed {}), mean and 95% CI\n\n{}",
                w.name,
                reps,
                seed,
                estimates_table(&r.summary())
            );
            if let (Some(effect), Some(plan)) = (r.effect(), &w.operation) {
                text.push_str(&format!(
                    "\nWhat \"{}\" added: with operation − business as usual, paired on the same seeds\n\n{}",
                    plan.name,
                    estimates_table(&effect)
                ));
            }
            emit(&text)?;
        }
        if let Some(dir) = &a.out {
            r.write(dir, &w, &|d| complete(d, &a.scenario, &w, seed, reps))?;
            if !a.quiet && !a.json {
                emit(&format!(
                    "\nwrote {}/replications.csv, offices.csv, summary.json, world.json and schemas\n",
                    dir.display()
                ))?;
            }
        }
        if a.profile {
            let runs = RunsProfile {
                what: format!("{reps} replications, in parallel"),
                declarations: w.declarations * reps as u64 * (1 + a.baseline as u64),
                load_seconds,
                run_seconds: t0.elapsed().as_secs_f64(),
                stages: None,
            };
            eprint!("{}", runs.report());
        }
        return Ok(());
    }
    let opts = RunOptions {
        seed,
        strategy,
        baseline: a.no_operation,
        ..Default::default()
    };
    let mut r = run_with_baseline_recorded(&w, &opts, a.events.is_some());
    let run_seconds = t0.elapsed().as_secs_f64();
    if let (Some(path), Some(log)) = (&a.events, r.events.take()) {
        let header = stce::events::file::Header {
            version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: a.scenario.display().to_string(),
            scenario_sha256: stce::report::io::sha256_hex(&std::fs::read(&a.scenario)?),
            seed,
            declarations: a.declarations,
            strategy: strategy.map(|s| w.strategies[s].name.clone()),
            no_operation: a.no_operation,
        };
        let t = Instant::now();
        stce::events::file::write(path, &header, &w, &log)?;
        if a.profile {
            eprintln!(
                "event log: {} rows written in {:.2} s to {}",
                log.declared.len(),
                t.elapsed().as_secs_f64(),
                path.display()
            );
        }
    }
    let info = tables::RunInfo::new(&w, seed, strategy);
    if a.json {
        let m = tables::metrics_json(&info, &r.result.tally, &r.result.metrics, r.effect.as_ref())?;
        emit_json(m, &Provenance::new(&a.scenario, seed, 1)?)?;
    } else {
        let mut text = summary(&w, &info, &r.result.tally, &r.result.metrics);
        if let Some(e) = &r.effect {
            text.push_str(&operation_effect(e));
        }
        emit(&text)?;
    }
    if let Some(dir) = &a.out {
        tables::write_run(
            dir,
            &w,
            &info,
            &r.result.tally,
            &r.result.metrics,
            strategy,
            r.effect.as_ref(),
            &|d| complete(d, &a.scenario, &w, seed, 1),
        )
        .map_err(|e| e.to_string())?;
        if !a.quiet && !a.json {
            emit(&format!(
                "\nwrote {}/metrics.json, offices.csv, seizures.csv, seizures.json, missed.csv, world.json and schemas\n",
                dir.display()
            ))?;
        }
    }
    if a.profile {
        let both = r.baseline.is_some();
        let runs = RunsProfile {
            what: if both {
                "operation and business-as-usual baseline, in parallel".to_string()
            } else {
                "one run".to_string()
            },
            declarations: w.declarations * if both { 2 } else { 1 },
            load_seconds,
            run_seconds,
            stages: Some(r.profile),
        };
        eprint!("{}", runs.report());
    }
    Ok(())
}

/// The world, the strategy every office uses (if one is forced) and the seed.
fn load(a: &Args) -> Result<(Arc<World>, Option<usize>, u64), Error> {
    let w = load_world(
        &a.scenario,
        &Overrides {
            declarations: a.declarations,
            // 0: a single run, with its baseline beside it if there is an operation.
            runs_at_once: match a.reps {
                Some(reps) => super::at_once(reps * (1 + a.baseline as usize)),
                None => 0,
            },
            max_memory: a.max_memory,
            seed: a.seed,
        },
    )?;
    let strategy = a
        .strategy
        .as_deref()
        .map(|n| strategy_index(&w, n))
        .transpose()?;
    if a.baseline && w.operation.is_none() {
        return Err(format!(
            "--baseline: {} has no operation to compare with business as usual",
            a.scenario.display()
        )
        .into());
    }
    let seed = w.seed;
    Ok((w, strategy, seed))
}

/// The replications as a job of shards (for `--shard` and `stce slurm`), and their world.
pub fn sharded(a: &Args) -> Result<(Job, Input), Error> {
    let Some(reps) = a.reps else {
        return Err("--shard splits replications: give --reps N (N ≥ 2)".into());
    };
    check_reps(reps)?;
    if a.events.is_some() {
        return Err("--events records one run: it cannot be split into shards".into());
    }
    let (w, strategy, seed) = load(a)?;
    let work = Work::Replications {
        strategy: strategy.map(|s| w.strategies[s].name.clone()),
        baseline: a.baseline && !a.no_operation,
        no_operation: a.no_operation,
    };
    let job = Job::new(&a.scenario, &w.name, seed, reps, a.declarations, work)?;
    Ok((job, Input::World(w)))
}
