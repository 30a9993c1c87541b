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
    for (x, y) in &w.unroutable_pairs {
        text.push_str(&format!(
            "warning: no service connects {x} to {y}; that pair carries no trade\n"
        ));
    }
    emit(&text)
}
