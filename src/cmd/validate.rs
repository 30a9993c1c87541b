//! `stce validate`: load a scenario, build its world and report problems and warnings.

use std::path::PathBuf;

use stce::{Overrides, load_world};

use super::{Error, emit};

#[derive(clap::Args)]
#[command(after_help = "Example:
  stce validate scenarios/asean-cosmo.ron")]
pub struct Args {
    /// Scenario file (RON), e.g. scenarios/asean-cosmo.ron.
    scenario: PathBuf,
}

pub fn execute(a: Args) -> Result<(), Error> {
    let w = load_world(&a.scenario, &Overrides::default())?;
    let mut text = format!(
        "{}: ok — {} administrations, {} nodes, {} offices, {} routes, {} commodities, {} illicit networks\n",
        a.scenario.display(),
        w.countries.len(),
        w.nodes.len(),
        w.offices.len(),
        w.routes.routes.len(),
        w.commodities.len(),
        w.networks.len()
    );
    text.push_str(&format!(
        "  time: {} days of warm-up (offices at work for the last {}), a {}-day measurement window, a drain of at most {} days; population {}\n",
        w.warmup_days,
        w.warmup_days - w.full_load_hour() / 24,
        w.days,
        w.drain_days,
        if w.fixed_population {
            "fixed by the seed"
        } else {
            "drawn per replication"
        }
    ));
    for warning in stce::world::checks::warnings(&w) {
        text.push_str(&format!("warning: {warning}\n"));
    }
    emit(&text)
}
