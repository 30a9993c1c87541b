//! The `stce` command line: a thin dispatcher over the library, one module per command
//! under `cmd/`.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    Run(cmd::run::Args),
    /// Run strategies on the same replications and report paired differences.
    Compare(cmd::compare::Args),
    /// Run a grid of scenario variants; resumable.
    Sweep(cmd::sweep::Args),
    /// Write report.html, a self-contained briefing, into an output folder.
    Report(cmd::report::Args),
    /// Find ports, airports, countries, HS codes, CAS numbers or strategy kinds.
    List(cmd::list::Args),
    /// Write a commented starter scenario for a set of countries.
    New(cmd::new::Args),
    /// Check a scenario file and report every problem with file:line:col.
    Validate(cmd::validate::Args),
    /// Combine shard folders (from --shard K/N) into what one machine writes.
    Merge(cmd::merge::Args),
    /// Write a Slurm job array of shards and a dependent merge job for a sweep, compare or run --reps.
    Slurm(cmd::slurm::Args),
    /// Re-run the run an event log (`stce run --events`) describes and check every row.
    Replay(cmd::replay::Args),
    /// Replay a file of declarations through the strategies at given inspection rates.
    Trace(cmd::trace::Args),
    /// Serve a tabletop exercise (teams play offices and a network turn by turn), or
    /// replay one, or write its debrief.
    Exercise(cmd::exercise::Args),
}

fn main() -> ExitCode {
    cmd::exit_quietly_on_closed_pipe();
    let result = match Cli::parse().command {
        Command::Run(a) => cmd::run::execute(a),
        Command::Compare(a) => cmd::compare::execute(a),
        Command::Sweep(a) => cmd::sweep::execute(a),
        Command::Validate(a) => cmd::validate::execute(a),
        Command::Report(a) => cmd::report::execute(a),
        Command::List(a) => cmd::list::execute(a),
        Command::New(a) => cmd::new::execute(a),
        Command::Merge(a) => cmd::merge::execute(a),
        Command::Slurm(a) => cmd::slurm::execute(a),
        Command::Replay(a) => cmd::replay::execute(a),
        Command::Trace(a) => cmd::trace::execute(a),
        Command::Exercise(a) => cmd::exercise::execute(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
