//! `stce report`: the briefing page of an output folder.

use std::path::PathBuf;

use super::Error;

#[derive(clap::Args)]
pub struct Args {
    /// The --out folder of stce run, run --reps, compare or sweep, e.g. out/asean.
    /// report.html is written into it.
    dir: PathBuf,
}

pub fn execute(a: Args) -> Result<(), Error> {
    let path = stce::report::briefing::write_report(&a.dir)?;
    say!("wrote {}", path.display())?;
    Ok(())
}
