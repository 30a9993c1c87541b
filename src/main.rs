//! The `stce` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use stce::experiment::{self, compare, sweep};
use stce::report::{io::ensure_dir, io::write_atomic, summary::summary, tables};
use stce::sim::{Profile, RunOptions, STAGES, run_profiled};
use stce::world::World;
use stce::{Overrides, load_world};

type Error = Box<dyn std::error::Error + Send + Sync>;

#[derive(Parser)]
#[command(
    name = "stce",
    version,
    about = "Simulate strategic trade control enforcement: trade flows, customs targeting, Cosmo-style operations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and report how well each office's targeting did.
    Run {
        /// Scenario file (RON).
        scenario: PathBuf,
        /// Seed of the run (default: the scenario's).
        #[arg(long)]
        seed: Option<u64>,
        /// Write metrics.json, offices.csv and seizures.csv here (with --reps:
        /// summary.json and replications.csv).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Override the scenario's number of declarations.
        #[arg(long)]
        declarations: Option<u64>,
        /// Make every office use this strategy (a name from the scenario).
        #[arg(long)]
        strategy: Option<String>,
        /// Seeded replications, run in parallel; metrics reported as mean and 95% CI.
        #[arg(long, default_value_t = 1)]
        reps: usize,
        /// With --reps and an operation in the scenario: also run business as usual on
        /// the same seeds and report the operation's effect as a paired difference with
        /// its 95% CI (a single run always does).
        #[arg(long)]
        baseline: bool,
        /// Print wall time, declarations simulated per second, peak memory and, for a
        /// single run, the time of each stage (on standard error).
        #[arg(long)]
        profile: bool,
    },
    /// Run strategies on the same replications and report paired differences.
    Compare {
        scenario: PathBuf,
        /// A strategy of the scenario, applied at every office; give two or more. The
        /// first is the baseline of the paired differences.
        #[arg(long = "strategy", required = true, num_args = 1)]
        strategies: Vec<String>,
        #[arg(long, default_value_t = 30)]
        reps: usize,
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long)]
        declarations: Option<u64>,
        /// Write replications.csv, summary.json and plots here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run a grid of scenario variants; resumable.
    Sweep {
        scenario: PathBuf,
        /// PATH=v1,v2,… (repeatable): a scenario field (e.g. nodes[*].office.capacity_hours,
        /// declarations), or `strategy` (every office) or `capacity_scale` (all offices).
        #[arg(long = "set", required = true)]
        sets: Vec<String>,
        #[arg(long, default_value_t = 10)]
        reps: usize,
        #[arg(long)]
        seed: Option<u64>,
        /// Directory for sweep.json, cells.csv, replications.csv and plots.
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a scenario file and report every problem with file:line:col.
    Validate { scenario: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match execute(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn strategy_index(w: &World, name: &str) -> Result<usize, Error> {
    w.strategy_index(name).ok_or_else(|| {
        let names: Vec<&str> = w.strategies.iter().map(|d| d.name.as_str()).collect();
        format!(
            "unknown strategy \"{name}\"; the scenario defines: {}",
            names.join(", ")
        )
        .into()
    })
}

fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} runs, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}

fn execute(cmd: Command) -> Result<(), Error> {
    match cmd {
        Command::Validate { scenario } => {
            let w = load_world(&scenario, &Overrides::default())?;
            println!(
                "{}: ok — {} administrations, {} nodes, {} offices, {} routes, {} commodities, {} illicit networks",
                scenario.display(),
                w.countries.len(),
                w.nodes.len(),
                w.offices.len(),
                w.routes.routes.len(),
                w.commodities.len(),
                w.networks.len()
            );
            for (a, b) in &w.unroutable_pairs {
                println!("warning: no service connects {a} to {b}; that pair carries no trade");
            }
            Ok(())
        }
        Command::Run {
            scenario,
            seed,
            out,
            declarations,
            strategy,
            reps,
            baseline,
            profile,
        } => {
            let started = Instant::now();
            let w = load_world(&scenario, &Overrides { declarations })?;
            let load_seconds = started.elapsed().as_secs_f64();
            let strategy = strategy.map(|n| strategy_index(&w, &n)).transpose()?;
            let seed = seed.unwrap_or(w.seed);
            if baseline && w.operation.is_none() {
                return Err(format!(
                    "--baseline: {} has no operation to compare with business as usual",
                    scenario.display()
                )
                .into());
            }
            if reps > 1 {
                let t0 = Instant::now();
                run_replicated(&w, seed, reps, strategy, baseline, out)?;
                if profile {
                    let runs = RunsProfile {
                        what: format!("{reps} replications, in parallel"),
                        declarations: w.declarations * reps as u64 * (1 + baseline as u64),
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
                baseline: false,
            };
            let t0 = Instant::now();
            // With an operation, the same seed without it: what the operation added. The
            // two runs share nothing but the immutable world, so they run side by side.
            let ((result, mut prof), base) = if w.operation.is_some() {
                let base_opts = RunOptions {
                    baseline: true,
                    ..opts.clone()
                };
                let (op, base) =
                    rayon::join(|| run_profiled(&w, &opts), || run_profiled(&w, &base_opts));
                (op, Some(base))
            } else {
                (run_profiled(&w, &opts), None)
            };
            let run_seconds = t0.elapsed().as_secs_f64();
            if let Some((_, p)) = &base {
                prof.add(p);
            }
            let info = tables::RunInfo::new(&w, seed, strategy);
            print!("{}", summary(&w, &info, &result.tally, &result.metrics));
            let effect = w
                .operation
                .as_ref()
                .zip(base.as_ref())
                .map(|(plan, (base, _))| {
                    tables::OperationEffect::new(&plan.name, &result.metrics, &base.metrics)
                });
            if let Some(e) = &effect {
                print!("{}", stce::report::summary::operation_effect(e));
            }
            if let Some(dir) = out {
                tables::write_run(
                    &dir,
                    &w,
                    &info,
                    &result.tally,
                    &result.metrics,
                    strategy,
                    effect.as_ref(),
                )
                .map_err(|e| e.to_string())?;
                println!(
                    "\nwrote {}/metrics.json, offices.csv, seizures.csv, seizures.json",
                    dir.display()
                );
            }
            if profile {
                let runs = RunsProfile {
                    what: if base.is_some() {
                        "operation and business-as-usual baseline, in parallel".to_string()
                    } else {
                        "one run".to_string()
                    },
                    declarations: w.declarations * if base.is_some() { 2 } else { 1 },
                    load_seconds,
                    run_seconds,
                    stages: Some(prof),
                };
                eprint!("{}", runs.report());
            }
            Ok(())
        }
        Command::Compare {
            scenario,
            strategies,
            reps,
            seed,
            declarations,
            out,
        } => {
            let w = load_world(&scenario, &Overrides { declarations })?;
            if strategies.len() < 2 {
                return Err("compare needs at least two --strategy".into());
            }
            let idx = strategies
                .iter()
                .map(|n| strategy_index(&w, n))
                .collect::<Result<Vec<_>, _>>()?;
            let bar = progress_bar((reps * idx.len()) as u64);
            let c = compare::compare(&w, seed.unwrap_or(w.seed), reps, &idx, &|| bar.inc(1));
            bar.finish_and_clear();
            print!("{}", c.table());
            if let Some(dir) = out {
                c.write(&dir)?;
                println!(
                    "wrote {}/replications.csv, summary.json and plots (PNG and SVG)",
                    dir.display()
                );
            }
            Ok(())
        }
        Command::Sweep {
            scenario,
            sets,
            reps,
            seed,
            out,
        } => {
            let s = stce::scenario::load(&scenario)?;
            let axes = sets
                .iter()
                .map(|a| sweep::Axis::parse(a))
                .collect::<Result<Vec<_>, _>>()?;
            let manifest = sweep::Manifest {
                scenario: scenario.display().to_string(),
                base_seed: seed.unwrap_or(s.seed),
                reps,
                axes,
            };
            let bar = ProgressBar::hidden();
            let r = sweep::run_sweep(
                &s,
                &manifest,
                &out,
                &|n| {
                    bar.set_length(n);
                    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                    bar.set_style(progress_bar(n).style());
                },
                &|| bar.inc(1),
            )?;
            bar.finish_and_clear();
            println!(
                "{} cells ({} already done, {} run) × {} replications → {}/cells.csv, replications.csv, detection_vs_inspection.png/.svg",
                r.cells,
                r.skipped,
                r.cells - r.skipped,
                reps,
                r.dir.display()
            );
            Ok(())
        }
    }
}

fn run_replicated(
    w: &Arc<World>,
    seed: u64,
    reps: usize,
    strategy: Option<usize>,
    baseline: bool,
    out: Option<PathBuf>,
) -> Result<(), Error> {
    let bar = progress_bar(reps as u64 * (1 + baseline as u64));
    let runs = experiment::replicate(w, seed, reps, strategy, &|| bar.inc(1));
    let base =
        baseline.then(|| experiment::replicate_runs(w, seed, reps, strategy, true, &|| bar.inc(1)));
    bar.finish_and_clear();
    let rows = experiment::summarise(&runs);
    println!(
        "{} — {} replications (base seed {}), mean and 95% CI\n",
        w.name, reps, seed
    );
    print!("{}", experiment::estimates_table(&rows));
    let effect = base.as_ref().map(|b| experiment::paired_effect(&runs, b));
    if let (Some(effect), Some(plan)) = (&effect, &w.operation) {
        println!(
            "\nWhat \"{}\" added: with operation − business as usual, paired on the same seeds\n",
            plan.name
        );
        print!("{}", experiment::estimates_table(effect));
    }
    if let Some(dir) = out {
        ensure_dir(&dir)?;
        let mut wtr = csv::Writer::from_writer(Vec::new());
        wtr.write_record(experiment::csv_header(&[]))?;
        for r in &runs {
            wtr.write_record(experiment::csv_row(&[], r))?;
        }
        write_atomic(
            &dir.join("replications.csv"),
            &wtr.into_inner().map_err(|e| e.to_string())?,
        )?;
        let summary: std::collections::BTreeMap<&str, _> = rows.into_iter().collect();
        let business_as_usual = base.as_ref().map(|b| {
            experiment::summarise(b)
                .into_iter()
                .collect::<std::collections::BTreeMap<_, _>>()
        });
        let effect = effect.map(|e| e.into_iter().collect::<std::collections::BTreeMap<_, _>>());
        write_atomic(
            &dir.join("summary.json"),
            &serde_json::to_vec_pretty(&serde_json::json!({
                "scenario": w.name, "base_seed": seed, "replications": reps,
                "strategy": strategy.map(|s| w.strategies[s].name.clone()), "metrics": summary,
                "business_as_usual": business_as_usual, "operation_effect": effect,
            }))?,
        )?;
        println!("\nwrote {}/replications.csv, summary.json", dir.display());
    }
    Ok(())
}

/// What `stce run --profile` prints.
struct RunsProfile {
    /// Which runs were timed.
    what: String,
    /// Declarations simulated by all of them together.
    declarations: u64,
    load_seconds: f64,
    run_seconds: f64,
    /// Stage times summed over the runs (CPU-side: with runs in parallel their sum can
    /// exceed the wall time), and the most shipments in flight in any of them.
    stages: Option<Profile>,
}

impl RunsProfile {
    fn report(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "\nprofile ({}, {} threads)",
            self.what,
            rayon::current_num_threads()
        );
        let _ = writeln!(
            s,
            "  load scenario and build world  {:8.2} s",
            self.load_seconds
        );
        let _ = writeln!(
            s,
            "  simulate                       {:8.2} s",
            self.run_seconds
        );
        let _ = writeln!(
            s,
            "  declarations simulated         {:>11}  ({:.0} per second of simulation wall time)",
            self.declarations,
            self.declarations as f64 / self.run_seconds.max(1e-9)
        );
        let _ = writeln!(
            s,
            "  peak memory (VmHWM)            {}",
            peak_rss().map_or("n/a".to_string(), |b| format!(
                "{:.0} MiB",
                b as f64 / 1048576.0
            ))
        );
        match &self.stages {
            Some(p) => {
                let _ = writeln!(
                    s,
                    "  peak shipments in flight, per run {:>8}",
                    p.peak_in_flight
                );
                let total: f64 = p.stage_seconds.iter().sum();
                let _ = writeln!(s, "  stage times (summed over runs; % of their sum)");
                for (name, secs) in STAGES.iter().zip(p.stage_seconds) {
                    let _ = writeln!(
                        s,
                        "    {name:<10} {secs:8.2} s  {:5.1}%",
                        100.0 * secs / total.max(1e-9)
                    );
                }
            }
            None => {
                let _ = writeln!(s, "  stage times                    n/a with --reps");
            }
        }
        s
    }
}

/// The process's peak resident memory in bytes (`VmHWM`), where the system reports it.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
