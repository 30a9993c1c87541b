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
    inspections_per_day: &'a [u64],
    violations_per_day: &'a [u64],
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
    /// Seizures per day of business as usual (for the briefing's daily chart).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub business_as_usual_seizures_per_day: Vec<u64>,
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
            business_as_usual_seizures_per_day: Vec::new(),
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
    office_rows_of(w, &t.offices, strategy)
}

/// One row per office from its counters (of one run or one replication).
pub fn office_rows_of(
    w: &World,
    offices: &[crate::metrics::OfficeTally],
    strategy: Option<usize>,
) -> Vec<OfficeRow> {
    w.offices
        .iter()
        .zip(offices)
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

/// The columns of `offices.csv`, in [`OfficeRow`]'s order (written as the header when
/// there is no row).
pub const OFFICE_FIELDS: &[&str] = &[
    "office",
    "name",
    "country",
    "roles",
    "strategy",
    "capacity_hours",
    "officer_hours",
    "utilisation",
    "assessed",
    "assessed_illicit",
    "inspections",
    "violations_found",
    "seizures",
    "hit_rate",
    "inspection_rate",
    "licit_dwell_hours",
];

/// The columns of `seizures.csv`, in [`crate::metrics::tally::Seizure`]'s order.
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
    "operation_focus",
    "concealment",
    "origin",
    "transit",
    "destination",
];

/// One row of `phases.csv`: what happened during one phase of the operation (the whole
/// run when the scenario has none), counted by the day it happened.
#[derive(Debug, Serialize)]
pub struct PhaseRow {
    pub phase: String,
    pub start_date: String,
    pub end_date: String,
    pub days: u32,
    pub seizures: u64,
    pub seizures_per_day: f64,
    pub inspections: u64,
    pub violations_found: u64,
    pub hit_rate: Option<f64>,
}

pub const PHASE_FIELDS: &[&str] = &[
    "phase",
    "start_date",
    "end_date",
    "days",
    "seizures",
    "seizures_per_day",
    "inspections",
    "violations_found",
    "hit_rate",
];

/// The operation's phases (or the whole run) with the seizures, inspections and
/// violations found on their days. Detection rates are not split by phase: a shipment
/// is assessed in one phase and may be seized in another.
pub fn phase_rows(w: &World, t: &Tally) -> Vec<PhaseRow> {
    let windows: Vec<(String, u32, u32)> = match &w.operation {
        Some(plan) if !plan.phases.is_empty() => plan
            .phases
            .iter()
            // window days: the per-day series start with the measurement window
            .map(|(k, a, b)| {
                let a = a.saturating_sub(w.warmup_days);
                let b = b.saturating_sub(w.warmup_days).min(w.days);
                (format!("{k:?}"), a, b)
            })
            .collect(),
        _ => vec![("run".to_string(), 0, w.days)],
    };
    // the drain: the window's shipments finishing their voyages (their seizures count)
    let mut windows = windows;
    let series = t.seizures_per_day.len() as u32;
    if series > w.days {
        windows.push(("Drain".to_string(), w.days, series));
    }
    let sum = |v: &[u64], a: u32, b: u32| -> u64 {
        v.get(a as usize..(b as usize).min(v.len()))
            .map_or(0, |s| s.iter().sum())
    };
    windows
        .into_iter()
        .filter(|(_, a, b)| b > a)
        .map(|(phase, a, b)| {
            let seizures = sum(&t.seizures_per_day, a, b);
            let inspections = sum(&t.inspections_per_day, a, b);
            let violations_found = sum(&t.violations_per_day, a, b);
            PhaseRow {
                phase,
                start_date: w.date(a + w.warmup_days),
                end_date: w.date(b - 1 + w.warmup_days),
                days: b - a,
                seizures,
                seizures_per_day: seizures as f64 / (b - a) as f64,
                inspections,
                violations_found,
                hit_rate: (inspections > 0).then(|| violations_found as f64 / inspections as f64),
            }
        })
        .collect()
}

/// The columns of `missed.csv`, in [`crate::metrics::tally::Missed`]'s order.
pub const MISSED_FIELDS: &[&str] = &[
    "shipment",
    "network",
    "commodity_actual",
    "category",
    "hs_actual",
    "hs_declared",
    "description_declared",
    "vague_description",
    "licence_quoted",
    "concealment",
    "route",
    "offices_assessed",
    "fate",
    "last_node",
];

/// `offices.csv` of replications: one row per replication and office, after the
/// replication's identifying values (`keys`, e.g. `scenario_variant`), `rep` and `seed`.
pub fn office_replications_csv(
    w: &World,
    key_names: &[&str],
    rows: &[(Vec<String>, &crate::experiment::Replication)],
) -> Result<Vec<u8>, csv::Error> {
    let mut wtr = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = key_names.to_vec();
    header.extend(["rep", "seed"]);
    header.extend(OFFICE_FIELDS);
    wtr.write_record(&header)?;
    for (keys, r) in rows {
        let strategy = r.strategy.as_deref().and_then(|n| w.strategy_index(n));
        for o in office_rows_of(w, &r.offices, strategy) {
            let mut rec: Vec<String> = keys.clone();
            rec.extend([r.rep.to_string(), r.seed.to_string()]);
            rec.extend(fields_of(&o)?);
            wtr.write_record(&rec)?;
        }
    }
    wtr.into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// The fields of a serialisable row as text, in its declared order (so a row written
/// after identifying columns has exactly the columns a table of such rows has).
fn fields_of<T: Serialize>(row: &T) -> Result<Vec<String>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.serialize(row)?;
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    Ok(r.records()
        .next()
        .transpose()?
        .map(|rec| rec.iter().map(String::from).collect())
        .unwrap_or_default())
}

/// The content of `metrics.json` (what `stce run --json` prints).
pub fn metrics_json(
    info: &RunInfo,
    t: &Tally,
    m: &RunMetrics,
    effect: Option<&OperationEffect>,
) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::to_value(MetricsFile {
        run: info,
        metrics: m,
        seizures_per_day: &t.seizures_per_day,
        inspections_per_day: &t.inspections_per_day,
        violations_per_day: &t.violations_per_day,
        operation_effect: effect.cloned(),
    })
}

/// Write `metrics.json`, `offices.csv`, `seizures.csv` (and `.json`) and `missed.csv`
/// into `dir`.
#[allow(clippy::too_many_arguments)]
pub fn write_run(
    dir: &Path,
    w: &World,
    info: &RunInfo,
    t: &Tally,
    m: &RunMetrics,
    strategy: Option<usize>,
    effect: Option<&OperationEffect>,
    companions: super::folder::Companions,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    // Written as a set: a reader never sees this run's metrics beside another's tables.
    let set = OutputSet::begin(dir)?;
    let dir = set.dir();
    let json = serde_json::to_vec_pretty(&metrics_json(info, t, m, effect)?)?;
    write_atomic(
        &dir.join("seizures.json"),
        &serde_json::to_vec_pretty(&t.seizures)?,
    )?;
    write_atomic(&dir.join("metrics.json"), &json)?;
    write_atomic(
        &dir.join("offices.csv"),
        &csv_bytes(&office_rows(w, t, strategy), OFFICE_FIELDS)?,
    )?;
    write_atomic(
        &dir.join("seizures.csv"),
        &csv_bytes(&t.seizures, SEIZURE_FIELDS)?,
    )?;
    write_atomic(
        &dir.join("missed.csv"),
        &csv_bytes(&t.missed, MISSED_FIELDS)?,
    )?;
    write_atomic(
        &dir.join("phases.csv"),
        &csv_bytes(&phase_rows(w, t), PHASE_FIELDS)?,
    )?;
    companions(dir)?;
    set.commit()?;
    Ok(())
}
