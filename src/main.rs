//! The `stce` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use stce::report::{summary::summary, tables};
use stce::sim::{RunOptions, run};
use stce::{Overrides, load_world};

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
        /// Write metrics.json, offices.csv and seizures.csv here.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Override the scenario's number of declarations.
        #[arg(long)]
        declarations: Option<u64>,
        /// Make every office use this strategy (a name from the scenario).
        #[arg(long)]
        strategy: Option<String>,
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

fn execute(cmd: Command) -> Result<(), Box<dyn std::error::Error>> {
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
        } => {
            let w = load_world(&scenario, &Overrides { declarations })?;
            let strategy = strategy
                .map(|name| {
                    w.strategy_index(&name).ok_or_else(|| {
                        let names: Vec<&str> =
                            w.strategies.iter().map(|d| d.name.as_str()).collect();
                        format!(
                            "unknown strategy \"{name}\"; the scenario defines: {}",
                            names.join(", ")
                        )
                    })
                })
                .transpose()?;
            let seed = seed.unwrap_or(w.seed);
            let result = run(&w, &RunOptions { seed, strategy });
            let info = tables::RunInfo::new(&w, seed, strategy);
            print!("{}", summary(&w, &info, &result.tally, &result.metrics));
            if let Some(dir) = out {
                tables::write_run(&dir, &w, &info, &result.tally, &result.metrics, strategy)?;
                println!(
                    "\nwrote {}/metrics.json, offices.csv, seizures.csv",
                    dir.display()
                );
            }
            Ok(())
        }
    }
}
