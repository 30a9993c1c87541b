//! `stce merge`: shard folders (from `--shard K/N`) into the folder one machine writes.

use std::path::PathBuf;

use stce::experiment::estimates_table;
use stce::experiment::merge::{Merged, merge};

use super::{Error, emit};

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
    let (dir, n) = (a.out.display(), a.shards.len());
    let text = match merged {
        Merged::Sweep(r) => format!(
            "merged {n} shards: {} cells → {dir}/sweep.json, cells.csv, replications.csv, detection_vs_inspection.png/.svg\n",
            r.cells
        ),
        Merged::Compare(c) => format!(
            "{}merged {n} shards → {dir}/replications.csv, offices.csv, summary.json, world.json, schemas and plots (PNG and SVG)\n",
            c.table()
        ),
        Merged::Replications(r) => {
            let mut text = format!(
                "{} — {} replications (base seed {}), mean and 95% CI\n\n{}",
                r.scenario,
                r.runs.len(),
                r.base_seed,
                estimates_table(&r.summary())
            );
            if let Some(effect) = r.effect() {
                text.push_str(&format!(
                    "\nWhat the operation added: with operation − business as usual, paired on the same seeds\n\n{}",
                    estimates_table(&effect)
                ));
            }
            text.push_str(&format!(
                "\nmerged {n} shards → {dir}/replications.csv, offices.csv, summary.json, world.json and schemas\n"
            ));
            text
        }
    };
    emit(&text)
}
