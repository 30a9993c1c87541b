//! `stce replay FILE --verify`: re-run the run an event log describes and check it.

use std::path::PathBuf;

use super::Error;

#[derive(clap::Args)]
pub struct Args {
    /// Event log written by `stce run SCENARIO --events FILE`.
    log: PathBuf,
    /// Re-run the scenario from the log's header (path, SHA-256, seed, overrides) and
    /// check that every row, and the file byte for byte, is the same.
    #[arg(long)]
    verify: bool,
}

pub fn execute(a: Args) -> Result<(), Error> {
    let header = stce::events::verify::read_header(&a.log)?;
    say!(
        "{}: stce {} run of {} (SHA-256 {}), seed {}\n  re-run with: {}",
        a.log.display(),
        header.version,
        header.scenario,
        header.scenario_sha256,
        header.seed,
        header.rerun()
    )?;
    if !a.verify {
        stce::events::verify::check_scenario(&header)?;
        say!("  the scenario file is unchanged; add --verify to re-run and compare every row")?;
        return Ok(());
    }
    let v = stce::events::verify::verify(&a.log)?;
    say!(
        "verified: all {} rows and all {} bytes match the re-run",
        v.rows,
        v.bytes
    )?;
    Ok(())
}
