//! `stce merge`: shard folders (from `--shard K/N`) into the folder one machine writes.

use std::path::PathBuf;

use stce::experiment::estimates_table;
use stce::experiment::merge::{Merged, merge};

use super::Error;

#[derive(clap::Args)]
#[command(after_help = "Example:
  stce merge out/sweep.shards/1 out/sweep.shards/2 out/sweep.shards/3 --out out/sweep")]
pub struct Args {
    /// The shard folders, all N of them (written by sweep, compare or run --reps with
    /// --shard K/N).
    #[arg(required = true, num_args = 1..)]
    shards: Vec<PathBuf>,
    /// Write the merged sweep.json, cells.csv, replications.csv, summary.json and plots
    /// here (a new or empty folder).
    #[arg(long)]
    out: PathBuf,
}

pub fn execute(a: Args) -> Result<(), Error> {
    let merged = merge(&a.shards, &a.out)?;
    let dir = a.out.display();
    match merged {
        Merged::Sweep(r) => println!(
            "merged {} shards: {} cells → {dir}/sweep.json, cells.csv, replications.csv, detection_vs_inspection.png/.svg",
            a.shards.len(),
            r.cells
        ),
        Merged::Compare(c) => {
            print!("{}", c.table());
            println!(
                "merged {} shards → {dir}/replications.csv, summary.json and plots (PNG and SVG)",
                a.shards.len()
            );
        }
        Merged::Replications(r) => {
            println!(
                "{} — {} replications (base seed {}), mean and 95% CI\n",
                r.scenario,
                r.runs.len(),
                r.base_seed
            );
            print!("{}", estimates_table(&r.summary()));
            if let Some(effect) = r.effect() {
                println!(
                    "\nWhat the operation added: with operation − business as usual, paired on the same seeds\n"
                );
                print!("{}", estimates_table(&effect));
            }
            println!(
                "\nmerged {} shards → {dir}/replications.csv, summary.json",
                a.shards.len()
            );
        }
    }
    Ok(())
}
