//! Merging shard folders into what one machine writes.
//!
//! The folders are checked against each other first (one scenario, one grid or set of
//! strategies, one seed, one number of replications and shards, one stce version; every
//! shard once, every unit of each shard present), then their replications are put back
//! in unit order and handed to the very writers the unsharded commands use
//! ([`write_sweep`], [`Comparison::write`], [`Replicated::write`], the per-office
//! tables and [`complete_as`]). So `cells.csv`, `replications.csv`, `summary.json`,
//! `sweep.json`, `offices.csv`, `world.json`, the schemas and the plots come out byte
//! for byte as the unsharded command writes them on one machine: the provenance names
//! that command (the shards' command line without `--shard`, with the merge's `--out`).
//! The scenario file must be where the shards read it, with the same bytes: the world
//! it describes names the offices and fills `world.json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::compare::Comparison;
use super::runs::Replicated;
use super::shard::{
    Error, FORMAT, SHARD_FILE, ShardManifest, UNITS_FILE, Unit, Work, scenario_sha256, with_out,
};
use super::sweep::{SweepReport, write_sweep};
use super::{Replication, job_world};
use crate::report::folder::complete_as;

/// A merged result, for the command to print like the unsharded command does.
pub enum Merged {
    Sweep(SweepReport),
    Compare(Comparison),
    Replications(Replicated),
}

/// One shard folder, its manifest read.
struct Folder {
    dir: PathBuf,
    manifest: ShardManifest,
}

/// Merge the shard folders `dirs` into `out`, which must be empty or absent.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<Merged, Error> {
    if dirs.is_empty() {
        return Err("merge needs the shard folders (written by --shard K/N)".into());
    }
    let folders = dirs
        .iter()
        .map(|d| read_manifest(d))
        .collect::<Result<Vec<_>, _>>()?;
    check_same_job(&folders)?;
    check_every_shard_once(&folders)?;
    check_out(out, dirs)?;
    // The shard numbered 1 names the command (any would do: they are one job).
    let first = &folders
        .iter()
        .min_by_key(|f| f.manifest.shard)
        .expect("checked non-empty")
        .manifest;
    let job = &first.job;
    let path = Path::new(&job.scenario);
    let sha = scenario_sha256(path).map_err(|e| {
        format!("{e}: merge reads the scenario the shards ran (for world.json and the offices); run it where {} is", job.scenario)
    })?;
    if sha != job.scenario_sha256 {
        return Err(format!(
            "cannot merge: {} has changed since the shards ran it (sha256 {} now, {} then); restore that file",
            job.scenario,
            &sha[..12],
            &job.scenario_sha256[..12.min(job.scenario_sha256.len())]
        )
        .into());
    }
    let w = job_world(path, job.declarations, job.base_seed)?;
    let args = with_out(&first.command, out);
    let mut units: Vec<Option<Replication>> = vec![None; first.units];
    for f in &folders {
        for u in read_units(f)? {
            units[u.unit] = Some(u.replication);
        }
    }
    // Every unit is present: each shard was checked complete and the shards cover 0..units.
    let units: Vec<Replication> = units.into_iter().flatten().collect();
    let companions = |d: &Path| complete_as(d, path, &w, job.base_seed, job.reps, &args);
    let merged = match &job.work {
        Work::Sweep { manifest } => {
            let reps = job.reps;
            let r = write_sweep(&job.scenario_name, manifest, out, &|_| {}, &|cell, _| {
                Ok(units[cell * reps..(cell + 1) * reps].to_vec())
            })?;
            companions(out)?;
            Merged::Sweep(r)
        }
        Work::Compare {
            strategies,
            no_operation,
        } => {
            let ns = strategies.len();
            let runs = (0..ns)
                .map(|s| units.iter().skip(s).step_by(ns).cloned().collect())
                .collect();
            let c = Comparison {
                scenario: job.scenario_name.clone(),
                base_seed: job.base_seed,
                strategies: strategies.clone(),
                runs,
                capacity_scale: vec![1.0; ns],
                no_operation: *no_operation,
                equal_effort: false,
            };
            c.write(out, &w, &companions)?;
            Merged::Compare(c)
        }
        Work::Replications {
            strategy, baseline, ..
        } => {
            let variants = 1 + *baseline as usize;
            let variant = |v: usize| -> Vec<Replication> {
                units.iter().skip(v).step_by(variants).cloned().collect()
            };
            let r = Replicated {
                scenario: job.scenario_name.clone(),
                base_seed: job.base_seed,
                strategy: strategy.clone(),
                runs: variant(0),
                business_as_usual: baseline.then(|| variant(1)),
            };
            r.write(out, &w, &companions)?;
            Merged::Replications(r)
        }
    };
    Ok(merged)
}

fn read_manifest(dir: &Path) -> Result<Folder, Error> {
    let path = dir.join(SHARD_FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "{}: not a finished shard folder (no {SHARD_FILE}); shard folders are written by `stce sweep|compare|run ... --shard K/N --out DIR`, and {SHARD_FILE} appears when the shard has finished",
                dir.display()
            )
        } else {
            format!("{}: {e}", path.display())
        }
    })?;
    let manifest: ShardManifest = serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "{}: {e} (expected a shard manifest of format {FORMAT}, written by --shard)",
            path.display()
        )
    })?;
    if manifest.format != FORMAT {
        return Err(format!(
            "{}: shard format {}, this stce reads format {FORMAT}",
            path.display(),
            manifest.format
        )
        .into());
    }
    Ok(Folder {
        dir: dir.to_path_buf(),
        manifest,
    })
}

/// Every folder must be a slice of the first one's job; say what differs.
fn check_same_job(folders: &[Folder]) -> Result<(), Error> {
    let a = &folders[0];
    for b in &folders[1..] {
        let (ma, mb) = (&a.manifest, &b.manifest);
        let (ja, jb) = (&ma.job, &mb.job);
        let (da, db) = (a.dir.display(), b.dir.display());
        let differs: Option<String> = if ma.stce_version != mb.stce_version {
            Some(format!(
                "{da} was written by stce {}, {db} by stce {}; run every shard with one version",
                ma.stce_version, mb.stce_version
            ))
        } else if ja.scenario != jb.scenario {
            Some(format!(
                "{da} is a shard of scenario {}, {db} of scenario {}",
                ja.scenario, jb.scenario
            ))
        } else if ja.scenario_sha256 != jb.scenario_sha256 {
            Some(format!(
                "{da} and {db} ran different contents of {} (sha256 {} and {}); the file changed between shards",
                ja.scenario,
                &ja.scenario_sha256[..12.min(ja.scenario_sha256.len())],
                &jb.scenario_sha256[..12.min(jb.scenario_sha256.len())]
            ))
        } else if ja.base_seed != jb.base_seed {
            Some(format!(
                "{da} has base seed {}, {db} base seed {}",
                ja.base_seed, jb.base_seed
            ))
        } else if ja.reps != jb.reps {
            Some(format!(
                "{da} has {} replications, {db} {}",
                ja.reps, jb.reps
            ))
        } else if ja.declarations != jb.declarations {
            let d = |x: Option<u64>| x.map_or("the scenario's".to_string(), |n| n.to_string());
            Some(format!(
                "{da} ran {} declarations, {db} {}",
                d(ja.declarations),
                d(jb.declarations)
            ))
        } else if ja.work != jb.work {
            Some(format!(
                "{da} is a shard of {}, {db} of {}",
                ja.work.describe(),
                jb.work.describe()
            ))
        } else if ma.shards != mb.shards {
            Some(format!(
                "{da} is shard {}/{}, {db} shard {}/{}: the job was split in two different ways",
                ma.shard, ma.shards, mb.shard, mb.shards
            ))
        } else if ja != jb || ma.units != mb.units {
            Some(format!(
                "{da} and {db} are shards of different jobs ({SHARD_FILE} differs)"
            ))
        } else {
            None
        };
        if let Some(d) = differs {
            return Err(format!("cannot merge: {d}").into());
        }
    }
    Ok(())
}

fn check_every_shard_once(folders: &[Folder]) -> Result<(), Error> {
    let n = folders[0].manifest.shards;
    let mut by_index: BTreeMap<usize, &Path> = BTreeMap::new();
    for f in folders {
        let k = f.manifest.shard;
        if let Some(other) = by_index.insert(k, &f.dir) {
            return Err(format!(
                "cannot merge: shard {k}/{n} given twice ({} and {})",
                other.display(),
                f.dir.display()
            )
            .into());
        }
    }
    let missing: Vec<String> = (1..=n)
        .filter(|k| !by_index.contains_key(k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "cannot merge: shard{} {} missing; give all {n} shard folders",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        )
        .into());
    }
    Ok(())
}

fn check_out(out: &Path, dirs: &[PathBuf]) -> Result<(), Error> {
    if dirs.iter().any(|d| d == out) {
        return Err(format!("--out {} is one of the shard folders", out.display()).into());
    }
    if let Ok(mut entries) = std::fs::read_dir(out)
        && entries.next().is_some()
    {
        return Err(format!(
            "--out {} is not empty: merge writes a fresh folder; remove it or choose another",
            out.display()
        )
        .into());
    }
    Ok(())
}

/// The units of one folder, checked to be exactly those its shard owns.
fn read_units(f: &Folder) -> Result<Vec<Unit>, Error> {
    let path = f.dir.join(UNITS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let shard = f.manifest.slice();
    let expected: Vec<usize> = shard.units(f.manifest.units).collect();
    let mut units = Vec::with_capacity(expected.len());
    for (line, l) in text.lines().enumerate() {
        let u: Unit =
            ron::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), line + 1))?;
        if units.len() >= expected.len() || u.unit != expected[units.len()] {
            return Err(format!(
                "{}:{}: unit {} is not the next unit of shard {shard} (expected {})",
                path.display(),
                line + 1,
                u.unit,
                expected
                    .get(units.len())
                    .map_or("no more".to_string(), |x| x.to_string())
            )
            .into());
        }
        units.push(u);
    }
    if units.len() != expected.len() {
        return Err(format!(
            "{}: {} of the {} units of shard {shard}; the shard is incomplete, run it again",
            path.display(),
            units.len(),
            expected.len()
        )
        .into());
    }
    Ok(units)
}
