//! `stce new`: write a commented starter scenario for a set of countries.

use std::path::PathBuf;

use stce::report::io::write_atomic;
use stce::scenario::starter::starter;

use super::{Error, emit};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  stce new east-africa --countries KEN,TZA,ZAF
  stce new straits --countries SGP,MYS,THA --out scenarios/straits.ron && stce run scenarios/straits.ron")]
pub struct Args {
    /// The scenario's name, e.g. east-africa (also the file name without --out).
    name: String,
    /// ISO3 codes of the administrations, comma-separated, at least two, e.g.
    /// --countries SGP,MYS,THA (`stce list countries NAME` finds codes).
    #[arg(long, value_delimiter = ',', required = true)]
    countries: Vec<String>,
    /// Where to write the scenario (default: NAME.ron in the current directory),
    /// e.g. --out scenarios/straits.ron. An existing file is not overwritten.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn execute(a: Args) -> Result<(), Error> {
    let text = starter(&a.name, &a.countries)?;
    let path = a
        .out
        .unwrap_or_else(|| PathBuf::from(format!("{}.ron", a.name)));
    if path.exists() {
        return Err(format!(
            "{} exists; give another --out or remove it first",
            path.display()
        )
        .into());
    }
    write_atomic(&path, text.as_bytes())?;
    emit(&format!(
        "wrote {}; check it with `stce validate {0}` and run it with `stce run {0}`\n",
        path.display()
    ))
}
