//! The files of one run: `metrics.json` (the metrics by their README names),
//! `offices.csv` (one row per office) and `seizures.csv` (one CEN-like row per seizure).

use std::path::Path;

use serde::Serialize;

use super::io::{OutputSet, write_atomic};
use crate::metrics::{RunMetrics, Tally};
use crate::scenario::Role;
use crate::world::World;

/// Which run a file describes.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    pub scenario: String,
    pub seed: u64,
    pub start_date: String,
    pub days: u32,
    /// Days simulated before the window (not counted) and at most after it.
    pub warmup_days: u32,
    pub drain_days: u32,
    pub fixed_population: bool,
    pub declarations: u64,
    /// The strategy every office was told to use, if overridden.
    pub strategy: Option<String>,
}

impl RunInfo {
    pub fn new(w: &World, seed: u64, strategy: Option<usize>) -> RunInfo {
        RunInfo {
            scenario: w.name.clone(),
            seed,
            start_date: w.date(w.warmup_days),
            days: w.days,
            warmup_days: w.warmup_days,
            drain_days: w.drain_days,
            fixed_population: w.fixed_population,
            declarations: w.declarations,
            strategy: strategy.map(|s| w.strategies[s].name.clone()),
        }
    }
}

#[derive(Serialize)]
struct MetricsFile<'a> {
    run: &'a RunInfo,
    #[serde(flatten)]
    metrics: &'a RunMetrics,
    seizures_per_day: &'a [u64],
    /// The same scenario and seed without the operation, and what the operation added.
    #[serde(skip_serializing_if = "Option::is_none")]
    operation_effect: Option<OperationEffect>,
}

/// Operation against business as usual on the same seed (paired).
#[derive(Debug, Clone, Serialize)]
pub struct OperationEffect {
    pub operation: String,
    pub with_operation: std::collections::BTreeMap<&'static str, Option<f64>>,
    pub business_as_usual: std::collections::BTreeMap<&'static str, Option<f64>>,
    /// with_operation − business_as_usual.
    pub difference: std::collections::BTreeMap<&'static str, Option<f64>>,
}

impl OperationEffect {
    pub fn new(name: &str, op: &RunMetrics, base: &RunMetrics) -> OperationEffect {
        let finite = |v: f64| v.is_finite().then_some(v);
        let a = op.scalars();
        let b = base.scalars();
        OperationEffect {
            operation: name.to_string(),
            with_operation: a.iter().map(|(k, v)| (*k, finite(*v))).collect(),
            business_as_usual: b.iter().map(|(k, v)| (*k, finite(*v))).collect(),
            difference: a
                .iter()
                .zip(&b)
                .map(|((k, x), (_, y))| (*k, finite(x - y)))
                .collect(),
        }
    }
}

/// One office's row of `offices.csv`.
#[derive(Debug, Serialize)]
pub struct OfficeRow {
    pub office: String,
    pub name: String,
    pub country: String,
    pub roles: String,
    pub strategy: String,
    /// Officer-hours available over the window's days (surge, injects, closures).
    pub capacity_hours: f64,
    /// Officer-hours on the window's shipments.
    pub officer_hours: f64,
    /// Officer-hours spent on the window's days / `capacity_hours` (empty if none).
    pub utilisation: Option<f64>,
    pub assessed: u64,
    pub assessed_illicit: u64,
    pub inspections: u64,
    pub violations_found: u64,
    pub seizures: u64,
    pub hit_rate: Option<f64>,
    pub inspection_rate: Option<f64>,
    pub licit_dwell_hours: f64,
}

pub fn office_rows(w: &World, t: &Tally, strategy: Option<usize>) -> Vec<OfficeRow> {
    w.offices
        .iter()
        .zip(&t.offices)
        .map(|(o, ot)| {
            let node = &w.nodes[o.node as usize];
            let roles: Vec<&str> = [Role::Export, Role::Transit, Role::Import]
                .into_iter()
                .filter(|r| o.assesses(*r))
                .map(|r| match r {
                    Role::Export => "export",
                    Role::Transit => "transit",
                    Role::Import => "import",
                })
                .collect();
            OfficeRow {
                office: node.code.clone(),
                name: node.name.clone(),
                country: w.countries[o.country as usize].iso3.clone(),
                roles: roles.join(";"),
                strategy: w.strategies[strategy.unwrap_or(o.strategy)].name.clone(),
                capacity_hours: ot.capacity_hours,
                officer_hours: ot.officer_hours,
                utilisation: (ot.capacity_hours > 0.0).then(|| ot.window_hours / ot.capacity_hours),
                assessed: ot.assessed,
                assessed_illicit: ot.assessed_illicit,
                inspections: ot.inspections,
                violations_found: ot.violations_found,
                seizures: ot.seizures,
                hit_rate: (ot.inspections > 0)
                    .then(|| ot.violations_found as f64 / ot.inspections as f64),
                inspection_rate: (ot.assessed > 0)
                    .then(|| ot.inspections as f64 / ot.assessed as f64),
                licit_dwell_hours: ot.licit_dwell_hours,
            }
        })
        .collect()
}

/// CSV text of serialisable rows (header from the field names, even with no rows).
pub fn csv_bytes<T: Serialize>(rows: &[T], header: &[&str]) -> Result<Vec<u8>, csv::Error> {
    let mut wtr = csv::WriterBuilder::new()
        .has_headers(!rows.is_empty())
        .from_writer(Vec::new());
    if rows.is_empty() {
        wtr.write_record(header)?;
    }
    for r in rows {
        wtr.serialize(r)?;
    }
    wtr.into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

pub const SEIZURE_FIELDS: &[&str] = &[
    "shipment",
    "day",
    "date",
    "country",
    "office",
    "node_name",
    "role",
    "mode",
    "conveyance",
    "network",
    "hs_declared",
    "description_declared",
    "hs_actual",
    "commodity_actual",
    "category",
    "cas",
    "kg",
    "value_usd",
    "found_by",
    "concealment",
    "origin",
    "transit",
    "destination",
];

/// Write `metrics.json`, `offices.csv` and `seizures.csv` into `dir`.
#[allow(clippy::too_many_arguments)]
pub fn write_run(
    dir: &Path,
    w: &World,
    info: &RunInfo,
    t: &Tally,
    m: &RunMetrics,
    strategy: Option<usize>,
    effect: Option<&OperationEffect>,
) -> Result<(), Box<dyn std::error::Error>> {
    // Written as a set: a reader never sees this run's metrics beside another's tables.
    let set = OutputSet::begin(dir)?;
    let dir = set.dir();
    let json = serde_json::to_vec_pretty(&MetricsFile {
        run: info,
        metrics: m,
        seizures_per_day: &t.seizures_per_day,
        operation_effect: effect.cloned(),
    })?;
    write_atomic(
        &dir.join("seizures.json"),
        &serde_json::to_vec_pretty(&t.seizures)?,
    )?;
    write_atomic(&dir.join("metrics.json"), &json)?;
    write_atomic(
        &dir.join("offices.csv"),
        &csv_bytes(&office_rows(w, t, strategy), &[])?,
    )?;
    write_atomic(
        &dir.join("seizures.csv"),
        &csv_bytes(&t.seizures, SEIZURE_FIELDS)?,
    )?;
    set.commit()?;
    Ok(())
}
