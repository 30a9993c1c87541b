//! The `stce` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use stce::experiment::{self, compare, sweep};
use stce::report::{io::ensure_dir, io::write_atomic, summary::summary, tables};
use stce::sim::{RunOptions, run};
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
        } => {
            let w = load_world(&scenario, &Overrides { declarations })?;
            let strategy = strategy.map(|n| strategy_index(&w, &n)).transpose()?;
            let seed = seed.unwrap_or(w.seed);
            if reps > 1 {
                return run_replicated(&w, seed, reps, strategy, out);
            }
            let result = run(
                &w,
                &RunOptions {
                    seed,
                    strategy,
                    baseline: false,
                },
            );
            let info = tables::RunInfo::new(&w, seed, strategy);
            print!("{}", summary(&w, &info, &result.tally, &result.metrics));
            // With an operation, the same seed without it: what the operation added.
            let effect = w.operation.as_ref().map(|plan| {
                let base = run(
                    &w,
                    &RunOptions {
                        seed,
                        strategy,
                        baseline: true,
                    },
                );
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
    out: Option<PathBuf>,
) -> Result<(), Error> {
    let bar = progress_bar(reps as u64);
    let runs = experiment::replicate(w, seed, reps, strategy, &|| bar.inc(1));
    bar.finish_and_clear();
    let rows = experiment::summarise(&runs);
    println!(
        "{} — {} replications (base seed {}), mean and 95% CI\n",
        w.name, reps, seed
    );
    print!("{}", experiment::estimates_table(&rows));
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
        write_atomic(
            &dir.join("summary.json"),
            &serde_json::to_vec_pretty(&serde_json::json!({
                "scenario": w.name, "base_seed": seed, "replications": reps,
                "strategy": strategy.map(|s| w.strategies[s].name.clone()), "metrics": summary,
            }))?,
        )?;
        println!("\nwrote {}/replications.csv, summary.json", dir.display());
    }
    Ok(())
}
