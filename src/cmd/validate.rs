//! `stce validate`: load a scenario, build its world and report problems and warnings.

use std::path::PathBuf;

use stce::{Overrides, load_world};

use super::Error;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (RON), e.g. scenarios/asean-cosmo.ron.
    scenario: PathBuf,
}

pub fn execute(a: Args) -> Result<(), Error> {
    let w = load_world(&a.scenario, &Overrides::default())?;
    println!(
        "{}: ok — {} administrations, {} nodes, {} offices, {} routes, {} commodities, {} illicit networks",
        a.scenario.display(),
        w.countries.len(),
        w.nodes.len(),
        w.offices.len(),
        w.routes.routes.len(),
        w.commodities.len(),
        w.networks.len()
    );
    println!(
        "  time: {} days of warm-up, a {}-day measurement window, a drain of at most {} days; population {}",
        w.warmup_days,
        w.days,
        w.drain_days,
        if w.fixed_population {
            "fixed by the seed"
        } else {
            "drawn per replication"
        }
    );
    for warning in stce::world::checks::warnings(&w) {
        println!("warning: {warning}");
    }
    Ok(())
}
