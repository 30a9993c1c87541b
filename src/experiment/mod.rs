//! Experiments: many seeded replications in parallel (one ECS World each), paired
//! comparisons of strategies on common random numbers, and parameter sweeps; each can be
//! split into shards that run anywhere (a Slurm job array) and merged byte-identically.
//! Replication i of every strategy and every sweep cell uses the same seed, so the
//! trade flows and traffickers are the same and differences are the strategies'.

pub mod compare;
pub mod merge;
pub mod runs;
pub mod shard;
pub mod slurm;
pub mod sweep;

use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::metrics::RunMetrics;
use crate::metrics::stats::{Estimate, estimate};
use crate::sim::random::mix;
use crate::sim::{RunOptions, run};
use crate::world::World;

/// The seed of replication `i`: replication 0 is the base seed itself, so one
/// replication reproduces a plain `stce run`.
pub fn replication_seed(base: u64, i: usize) -> u64 {
    if i == 0 {
        base
    } else {
        mix(base ^ mix(0x5EED_0000 + i as u64))
    }
}

/// What is kept of one replication: its metrics and its daily seizures, not its
/// seizure records (memory must not grow with replications × seizures).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Replication {
    pub rep: usize,
    pub seed: u64,
    pub strategy: Option<String>,
    pub metrics: RunMetrics,
    pub seizures_per_day: Vec<u64>,
    /// Each office's counters (for the per-office results across replications; shards
    /// carry them to `stce merge`).
    pub offices: Vec<crate::metrics::OfficeTally>,
}

/// Run replications `0..reps` of one world, in parallel; results in replication order
/// whatever the thread count.
pub fn replicate(
    w: &Arc<World>,
    base_seed: u64,
    reps: usize,
    strategy: Option<usize>,
    progress: &(dyn Fn() + Sync),
) -> Vec<Replication> {
    replicate_runs(w, base_seed, reps, strategy, false, progress)
}

/// Replications `0..reps` of one arm (strategy, with or without the operation, capacity
/// scale), in parallel, in replication order.
pub fn replicate_arm(
    w: &Arc<World>,
    base_seed: u64,
    reps: usize,
    arm: &RunOptions,
    progress: &(dyn Fn() + Sync),
) -> Vec<Replication> {
    (0..reps)
        .into_par_iter()
        .map(|i| {
            let r = one_with(w, base_seed, i, arm);
            progress();
            r
        })
        .collect()
}

/// Replications `0..reps` of the scenario, or with `baseline` of its business as usual
/// (the scenario without its operation) on the same seeds.
pub fn replicate_runs(
    w: &Arc<World>,
    base_seed: u64,
    reps: usize,
    strategy: Option<usize>,
    baseline: bool,
    progress: &(dyn Fn() + Sync),
) -> Vec<Replication> {
    (0..reps)
        .into_par_iter()
        .map(|i| {
            let r = one(w, base_seed, i, strategy, baseline);
            progress();
            r
        })
        .collect()
}

pub fn one(
    w: &Arc<World>,
    base_seed: u64,
    i: usize,
    strategy: Option<usize>,
    baseline: bool,
) -> Replication {
    let arm = RunOptions {
        strategy,
        baseline,
        ..Default::default()
    };
    one_with(w, base_seed, i, &arm)
}

/// Replication `i` of one arm of an experiment: `arm` says everything but the seed.
pub fn one_with(w: &Arc<World>, base_seed: u64, i: usize, arm: &RunOptions) -> Replication {
    let seed = replication_seed(base_seed, i);
    let out = run(
        w,
        &RunOptions {
            seed,
            ..arm.clone()
        },
    );
    Replication {
        rep: i,
        seed,
        strategy: arm.strategy.map(|s| w.strategies[s].name.clone()),
        metrics: out.metrics,
        seizures_per_day: out.tally.seizures_per_day,
        offices: out.tally.offices,
    }
}

/// Paired difference of every metric, `with` minus `without`, replication by
/// replication (both on the same seeds).
pub fn paired_effect(
    with: &[Replication],
    without: &[Replication],
) -> Vec<(&'static str, Estimate)> {
    let column = |runs: &[Replication], k: usize| -> Vec<f64> {
        runs.iter().map(|r| r.metrics.scalars()[k].1).collect()
    };
    metric_names()
        .into_iter()
        .enumerate()
        .map(|(k, name)| {
            (
                name,
                crate::metrics::stats::paired_difference(&column(without, k), &column(with, k)),
            )
        })
        .collect()
}

/// The metric names of [`RunMetrics::scalars`], in order.
pub fn metric_names() -> Vec<&'static str> {
    crate::metrics::run::SCALARS.to_vec()
}

/// Mean and 95% CI of every scalar metric over replications.
pub fn summarise(reps: &[Replication]) -> Vec<(&'static str, Estimate)> {
    let columns: Vec<Vec<(&'static str, f64)>> = reps.iter().map(|r| r.metrics.scalars()).collect();
    metric_names()
        .into_iter()
        .enumerate()
        .map(|(k, name)| {
            let xs: Vec<f64> = columns.iter().map(|c| c[k].1).collect();
            (name, estimate(&xs))
        })
        .collect()
}

/// The world an output folder describes (`world.json`, the offices of `offices.csv`):
/// the scenario file at `path` with the job's declarations and base seed. Nothing is
/// run, so no memory limit applies.
pub fn job_world(
    path: &std::path::Path,
    declarations: Option<u64>,
    base_seed: u64,
) -> Result<Arc<World>, Box<dyn std::error::Error + Send + Sync>> {
    Ok(crate::load_world(
        path,
        &crate::Overrides {
            declarations,
            seed: Some(base_seed),
            max_memory: Some(u64::MAX),
            ..crate::Overrides::default()
        },
    )?)
}

/// The files of a set of replications, written into `dir` (an output set's staging
/// folder): `replications.csv` (one row per replication, after the key columns named
/// `keys`), `summary.json` and `offices.csv` (the per-office results, by the offices of
/// `w`, the world they ran).
pub(crate) fn write_replication_files(
    dir: &std::path::Path,
    w: &World,
    keys: &[&str],
    rows: &[(Vec<String>, &Replication)],
    summary: &serde_json::Value,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use crate::report::io::write_atomic;
    let mut wtr = csv::Writer::from_writer(Vec::new());
    let names: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    wtr.write_record(csv_header(&names))?;
    for (key_values, r) in rows {
        wtr.write_record(csv_row(key_values, r))?;
    }
    write_atomic(
        &dir.join("replications.csv"),
        &wtr.into_inner().map_err(|e| e.to_string())?,
    )?;
    write_atomic(
        &dir.join("summary.json"),
        &serde_json::to_vec_pretty(summary)?,
    )?;
    let offices = crate::report::tables::office_replications_csv(w, keys, rows)?;
    write_atomic(&dir.join("offices.csv"), &offices)?;
    Ok(())
}

/// The tidy CSV header of replication rows: identifying columns, then one per metric.
pub fn csv_header(keys: &[String]) -> Vec<String> {
    let mut h: Vec<String> = keys.to_vec();
    h.extend([
        "rep".to_string(),
        "seed".to_string(),
        "strategy".to_string(),
    ]);
    h.extend(metric_names().into_iter().map(String::from));
    h
}

/// One tidy CSV row of a replication (values of `keys` first).
pub fn csv_row(key_values: &[String], r: &Replication) -> Vec<String> {
    let mut row: Vec<String> = key_values.to_vec();
    row.push(r.rep.to_string());
    row.push(r.seed.to_string());
    row.push(r.strategy.clone().unwrap_or_default());
    row.extend(r.metrics.scalars().into_iter().map(|(_, v)| {
        if v.is_finite() {
            format!("{v}")
        } else {
            String::new()
        }
    }));
    row
}

/// Mean seizures per day over replications.
pub fn mean_daily_seizures(reps: &[Replication]) -> Vec<(f64, f64)> {
    let days = reps.first().map_or(0, |r| r.seizures_per_day.len());
    (0..days)
        .map(|d| {
            let total: u64 = reps.iter().map(|r| r.seizures_per_day[d]).sum();
            (d as f64, total as f64 / reps.len().max(1) as f64)
        })
        .collect()
}

/// A terminal table of estimates.
pub fn estimates_table(rows: &[(&'static str, Estimate)]) -> String {
    let mut s = format!(
        "{:<22} {:>12} {:>26} {:>5}\n",
        "metric", "mean", "95% CI", "n"
    );
    for (name, e) in rows {
        let (mean, ci) = if e.n == 0 {
            ("n/a".to_string(), String::new())
        } else {
            (
                fmt(e.mean),
                format!("[{}, {}]", fmt(e.ci_low), fmt(e.ci_high)),
            )
        };
        s.push_str(&format!(
            "{:<22} {:>12} {:>26} {:>5}\n",
            name, mean, ci, e.n
        ));
    }
    s
}

/// Numbers for people: rates with four decimals, counts without (thousands
/// separated), "n/a" for a rate with nothing to divide by.
pub fn fmt(v: f64) -> String {
    if v.abs() >= 100.0 {
        crate::report::numbers::fixed(v, 0)
    } else {
        crate::report::numbers::fixed(v, 4)
    }
}
