//! Shards: the units of a sweep, a strategy comparison or seeded replications, dealt to
//! N shards that run anywhere (the tasks of a cluster job array) with no coordination.
//!
//! A unit is one replication of one cell (sweep), of one strategy (comparison) or of
//! the scenario with or without its operation (`run --reps --baseline`). Its seed is
//! [`replication_seed`](super::replication_seed)`(base, i)`, the one a single machine
//! uses, so shard K needs only K and N. Shard K of N gets the K-th of N contiguous,
//! equal (±1) blocks of units in their order (cell-major for a sweep): a shard builds
//! the worlds of few cells (about cells/N + 1) instead of all of them, which matters
//! when building a world costs as much as a few runs. The price: when cells differ
//! much in cost (a swept `declarations`), shards of the costly cells take longer.
//!
//! A shard folder holds `units.ron` (its replications, one per line, in unit order;
//! RON because it writes every `f64`, NaN included, so that it parses back to the same
//! bits) and then `shard.json` (which job it is a slice of). `shard.json` is written
//! last: a folder without it is an unfinished shard. [`super::merge`] reassembles the
//! folders through the writers a single machine uses.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::sweep::{Manifest, apply, cell_world, grid};
use super::{Replication, compare, one, one_with};
use crate::report::io::{ensure_dir, write_atomic};
use crate::scenario::Scenario;
use crate::world::World;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The file naming the job a shard folder is a slice of; written last.
pub const SHARD_FILE: &str = "shard.json";
/// The replications of a shard folder, one RON record per line.
pub const UNITS_FILE: &str = "units.ron";
/// Version of the shard folder layout; merge refuses others. 2: units carry per-office
/// tallies and shard.json the unsharded command line.
pub const FORMAT: u32 = 2;

/// `--shard K/N`: the K-th (1-based) of N slices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("--shard {s}: expected K/N with 1 ≤ K ≤ N, e.g. 2/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// The units of `0..total` this shard runs: the K-th of N contiguous blocks.
    pub fn units(self, total: usize) -> Range<usize> {
        let edge = |k: usize| (total as u128 * k as u128 / self.count as u128) as usize;
        edge(self.index - 1)..edge(self.index)
    }
}

/// What every shard of one job shares. Merge refuses folders whose jobs differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// The scenario file as given on the command line.
    pub scenario: String,
    /// SHA-256 of its bytes: the same path with other contents is another job.
    pub scenario_sha256: String,
    /// The scenario's `name` (what summaries call it).
    pub scenario_name: String,
    pub base_seed: u64,
    pub reps: usize,
    /// `--declarations`, if given.
    pub declarations: Option<u64>,
    pub work: Work,
}

/// The command a job splits, with what fixes its units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Work {
    /// `stce sweep`: unit = cell × reps + replication, cells in grid order.
    Sweep { manifest: Manifest },
    /// `stce compare`: unit = replication × strategies + strategy.
    Compare {
        strategies: Vec<String>,
        no_operation: bool,
    },
    /// `stce run --reps`: unit = replication × variants + variant, where variant 1 is
    /// business as usual (with `--baseline`).
    Replications {
        strategy: Option<String>,
        baseline: bool,
        no_operation: bool,
    },
}

impl Work {
    /// What a person calls it.
    pub fn describe(&self) -> String {
        match self {
            Work::Sweep { manifest } => format!(
                "a sweep over {}",
                manifest
                    .axes
                    .iter()
                    .map(|a| format!("{}={}", a.path, a.values.join(",")))
                    .collect::<Vec<_>>()
                    .join(" × ")
            ),
            Work::Compare {
                strategies,
                no_operation,
            } => format!(
                "a comparison of {}{}",
                strategies.join(", "),
                if *no_operation {
                    " without the operation"
                } else {
                    ""
                }
            ),
            Work::Replications {
                strategy,
                baseline,
                no_operation,
            } => format!(
                "replications{}{}",
                strategy
                    .as_ref()
                    .map(|s| format!(" of strategy {s}"))
                    .unwrap_or_default(),
                if *baseline {
                    " with business as usual"
                } else if *no_operation {
                    " without the operation"
                } else {
                    ""
                }
            ),
        }
    }
}

impl Job {
    /// A job on the scenario file at `path`, identified by the hash of its bytes.
    pub fn new(
        path: &Path,
        scenario_name: &str,
        base_seed: u64,
        reps: usize,
        declarations: Option<u64>,
        work: Work,
    ) -> Result<Job, Error> {
        Ok(Job {
            scenario: path.display().to_string(),
            scenario_sha256: scenario_sha256(path)?,
            scenario_name: scenario_name.to_string(),
            base_seed,
            reps,
            declarations,
            work,
        })
    }

    /// How many units the job has.
    pub fn units(&self) -> usize {
        self.reps
            * match &self.work {
                Work::Sweep { manifest } => grid(&manifest.axes).len(),
                Work::Compare { strategies, .. } => strategies.len(),
                Work::Replications { baseline, .. } => 1 + *baseline as usize,
            }
    }
}

/// SHA-256 of a file, as lowercase hex.
pub fn scenario_sha256(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(crate::report::io::sha256_hex(&bytes))
}

/// `shard.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardManifest {
    pub format: u32,
    /// The stce that wrote it: another version may simulate differently.
    pub stce_version: String,
    pub shard: usize,
    pub shards: usize,
    /// Units of the whole job (not of this shard).
    pub units: usize,
    pub job: Job,
    /// The command line of the job on one machine: this shard's, without `--shard K/N`
    /// and with [`OUT_PLACEHOLDER`] for `--out`'s value. The merged folder's provenance
    /// names it (with the merge's `--out`), as the unsharded command's would. Not part of
    /// what must agree between shards: the same job may be typed in another order.
    pub command: Vec<String>,
}

/// Stands for `--out`'s value in [`ShardManifest::command`].
pub const OUT_PLACEHOLDER: &str = "{out}";

/// `args` (a shard's command line) as the unsharded command: `--shard K/N` (or
/// `--shard=K/N`) dropped, `--out`'s value replaced by [`OUT_PLACEHOLDER`].
pub fn unsharded_command(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--shard" {
            it.next();
        } else if a.starts_with("--shard=") {
        } else if a == "--out" {
            out.push(a.clone());
            if it.next().is_some() {
                out.push(OUT_PLACEHOLDER.to_string());
            }
        } else if a.starts_with("--out=") {
            out.push(format!("--out={OUT_PLACEHOLDER}"));
        } else {
            out.push(a.clone());
        }
    }
    out
}

/// [`ShardManifest::command`] with `out` for `--out`.
pub fn with_out(command: &[String], out: &Path) -> Vec<String> {
    let out = out.display().to_string();
    command
        .iter()
        .map(|a| {
            if a == OUT_PLACEHOLDER {
                out.clone()
            } else if a == &format!("--out={OUT_PLACEHOLDER}") {
                format!("--out={out}")
            } else {
                a.clone()
            }
        })
        .collect()
}

impl ShardManifest {
    pub fn slice(&self) -> Shard {
        Shard {
            index: self.shard,
            count: self.shards,
        }
    }
}

/// One line of `units.ron`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Unit {
    pub unit: usize,
    pub replication: Replication,
}

/// What a shard computes from: the loaded scenario for a sweep (each cell builds its own
/// world), the world for a comparison or replications.
pub enum Input {
    Scenario(Box<Scenario>),
    World(Arc<World>),
}

/// What a shard run did.
pub struct ShardReport {
    pub units: usize,
    pub total: usize,
    pub dir: PathBuf,
}

/// Run the units of `job` that `shard` owns and write its folder `dir`.
pub fn run_shard(
    job: &Job,
    shard: Shard,
    input: &Input,
    dir: &Path,
    on_start: &dyn Fn(u64),
    progress: &(dyn Fn() + Sync),
) -> Result<ShardReport, Error> {
    let manifest = ShardManifest {
        format: FORMAT,
        stce_version: env!("CARGO_PKG_VERSION").to_string(),
        shard: shard.index,
        shards: shard.count,
        units: job.units(),
        job: job.clone(),
        command: unsharded_command(&std::env::args().collect::<Vec<_>>()),
    };
    let manifest_path = dir.join(SHARD_FILE);
    if let Ok(bytes) = std::fs::read(&manifest_path) {
        let old: Option<ShardManifest> = serde_json::from_slice(&bytes).ok();
        // The same slice of the same job, however its command line was typed.
        let same = old.as_ref().is_some_and(|o| {
            ShardManifest {
                command: manifest.command.clone(),
                ..o.clone()
            } == manifest
        });
        if !same {
            return Err(format!(
                "{} holds another shard ({}); give each shard its own --out",
                dir.display(),
                old.map_or("unreadable shard.json".to_string(), |o| format!(
                    "{}/{} of {} on {}",
                    o.shard,
                    o.shards,
                    o.job.work.describe(),
                    o.job.scenario
                ))
            )
            .into());
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let foreign: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != SHARD_FILE && n != UNITS_FILE && !n.starts_with('.'))
            .collect();
        if let Some(name) = foreign.first() {
            return Err(format!(
                "{} holds {name}, not a shard; give each shard a new folder",
                dir.display()
            )
            .into());
        }
    }
    let units: Vec<usize> = shard.units(manifest.units).collect();
    on_start(units.len() as u64);
    let records = compute(job, &units, input, progress)?;
    ensure_dir(dir)?;
    let mut text = String::new();
    for r in &records {
        text.push_str(&ron::to_string(r).map_err(|e| e.to_string())?);
        text.push('\n');
    }
    // Units first, then the manifest that says the folder is complete.
    write_atomic(&dir.join(UNITS_FILE), text.as_bytes())?;
    write_atomic(&manifest_path, &serde_json::to_vec_pretty(&manifest)?)?;
    Ok(ShardReport {
        units: units.len(),
        total: manifest.units,
        dir: dir.to_path_buf(),
    })
}

/// The replications of `units`, in unit order, each computed exactly as the unsharded
/// command computes it.
fn compute(
    job: &Job,
    units: &[usize],
    input: &Input,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Unit>, Error> {
    let strategy_of = |w: &World, name: &str| {
        w.strategy_index(name)
            .ok_or_else(|| format!("the scenario defines no strategy \"{name}\""))
    };
    let done = |unit: usize, replication: Replication| {
        progress();
        Unit { unit, replication }
    };
    let base_seed = job.base_seed;
    match (&job.work, input) {
        (Work::Sweep { manifest }, Input::Scenario(base)) => {
            let cells = grid(&manifest.axes);
            // A bad cell fails the shard before any work, as it would the whole sweep.
            for cell in &cells {
                let (s, strategy) = apply(base, &manifest.axes, cell)?;
                if let Some(name) = strategy.filter(|n| !s.strategies.iter().any(|d| &d.name == n))
                {
                    return Err(format!(
                        "strategy={name}: the scenario defines {:?}",
                        s.strategies.iter().map(|d| &d.name).collect::<Vec<_>>()
                    )
                    .into());
                }
            }
            let mut out = Vec::with_capacity(units.len());
            // Units are ascending, so each cell's units are consecutive: one world per cell.
            for chunk in units.chunk_by(|a, b| a / job.reps == b / job.reps) {
                let (w, arm) = cell_world(base, manifest, &cells[chunk[0] / job.reps])?;
                out.par_extend(
                    chunk
                        .par_iter()
                        .map(|&u| done(u, one_with(&w, base_seed, u % job.reps, &arm))),
                );
            }
            Ok(out)
        }
        (
            Work::Compare {
                strategies,
                no_operation,
            },
            Input::World(w),
        ) => {
            let idx = strategies
                .iter()
                .map(|n| strategy_of(w, n))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(units
                .par_iter()
                .map(|&u| done(u, compare::unit(w, base_seed, &idx, *no_operation, u)))
                .collect())
        }
        (
            Work::Replications {
                strategy,
                baseline,
                no_operation,
            },
            Input::World(w),
        ) => {
            let s = strategy.as_deref().map(|n| strategy_of(w, n)).transpose()?;
            let variants = 1 + *baseline as usize;
            // Variant 0 as run_with_baseline's runs (business as usual with
            // --no-operation), variant 1 its business as usual.
            let bau = |u: usize| *no_operation || u % variants == 1;
            Ok(units
                .par_iter()
                .map(|&u| done(u, one(w, base_seed, u / variants, s, bau(u))))
                .collect())
        }
        (work, _) => Err(format!(
            "internal: {} needs {}",
            work.describe(),
            if matches!(work, Work::Sweep { .. }) {
                "the scenario"
            } else {
                "a world"
            }
        )
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_parses_and_rejects_with_the_expected_form() {
        assert_eq!(
            "2/8".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 8 }
        );
        for bad in ["0/3", "4/3", "3", "a/3", "1/0", ""] {
            let e = bad.parse::<Shard>().unwrap_err();
            assert!(e.contains("expected K/N"), "{bad}: {e}");
        }
    }

    #[test]
    fn shards_partition_the_units() {
        let total = 23;
        let mut seen = vec![0; total];
        for k in 1..=4 {
            let units = Shard { index: k, count: 4 }.units(total);
            assert!((5..=6).contains(&units.len()), "{units:?}");
            for u in units {
                seen[u] += 1;
            }
        }
        assert!(seen.iter().all(|&n| n == 1), "{seen:?}");
        // More shards than units: the extra shards are empty, not an error.
        let empty = (1..=5)
            .filter(|&k| Shard { index: k, count: 5 }.units(3).is_empty())
            .count();
        assert_eq!(empty, 2);
    }

    #[test]
    fn ron_gives_back_every_f64_bit_for_bit() {
        let mut x = 0x9E37_79B9_7F4A_7C15_u64;
        let mut values = vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            0.1 + 0.2,
            1.0 / 3.0,
        ];
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(f64::from_bits(x));
        }
        for v in values {
            let back: f64 = ron::from_str(&ron::to_string(&v).unwrap()).unwrap();
            assert!(
                back.to_bits() == v.to_bits() || (v.is_nan() && back.is_nan()),
                "{v:?} came back as {back:?}"
            );
        }
    }
}
