//! What every output folder gets besides its results, whichever command wrote it:
//! `world.json` (what was simulated), the provenance block in every JSON file, and a
//! Table Schema beside every CSV.

use std::path::Path;

use super::context::Context;
use super::provenance::{Provenance, stamp_dir};
use super::schema::write_schemas;
use crate::world::World;

/// What a command adds to its output set besides its results: given the set's staging
/// folder, writes the companions there (usually a call of [`complete`]), so they land
/// with the results in the set's one commit. A kill between the two used to leave a
/// folder whose manifest did not list its companions, which `stce report` refuses.
pub type Companions<'a> = &'a dyn Fn(&Path) -> Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// Complete the output folder `dir` of a run of the scenario file `scenario` (as built
/// into `w`) over replications `0..replications` from `base_seed`. Call it after the
/// command has written its results: on an output set's staging folder (see
/// [`Companions`]), which holds only the command's files, or on a sweep's folder, which
/// is not an output set. (On a committed set the manifest would not list the companions.)
pub fn complete(
    dir: &Path,
    scenario: &Path,
    w: &World,
    base_seed: u64,
    replications: usize,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().collect();
    complete_as(dir, scenario, w, base_seed, replications, &args)
}

/// [`complete`], with the provenance naming `args` as the command line that made the
/// folder: `stce merge` names the unsharded command its shards were cut from, so the
/// merged folder is what that command writes on one machine, byte for byte.
pub fn complete_as(
    dir: &Path,
    scenario: &Path,
    w: &World,
    base_seed: u64,
    replications: usize,
    args: &[String],
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let bytes =
        std::fs::read(scenario).map_err(|e| super::io::with_path(e, "cannot read", scenario))?;
    // Parsed from the bytes the provenance hashes: one read, so both are of one file.
    let s = crate::scenario::parse_bytes(&scenario.display().to_string(), &bytes)?;
    Context::new(&s, w).write(dir)?;
    let p = Provenance::from_parts(scenario, &bytes, args, base_seed, replications);
    stamp_dir(dir, &p)?;
    write_schemas(dir)?;
    Ok(())
}
