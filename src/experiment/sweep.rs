//! Parameter sweeps: a grid of scenario variants (`--set PATH=v1,v2,…`), each cell run
//! for the same replications. Cells are streamed to disk as they finish, so memory does
//! not grow with the grid, and a sweep run again with the same arguments after an
//! interruption runs only the missing cells.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Replication, csv_header, csv_row, metric_names, replicate_arm, summarise};
use crate::report::io::{ensure_dir, remove_leftovers, sha256_hex, write_atomic};
use crate::report::plots::{self, Band, BandPoint};
use crate::scenario::{Scenario, validate::validate};
use crate::sim::RunOptions;
use crate::world::World;

/// `--set` paths with a meaning of their own; every other path addresses the scenario's
/// fields, e.g. `declarations`, `nodes[*].office.capacity_hours`,
/// `strategies[0].kind.Random.rate`, `administrations[*].trained_officer_share`.
pub const STRATEGY: &str = "strategy";
pub const CAPACITY_SCALE: &str = "capacity_scale";

/// One `--set PATH=v1,v2,…`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    pub path: String,
    pub values: Vec<String>,
}

impl Axis {
    /// Parse one `--set PATH=v1,v2,…` into its canonical form: values that are numbers
    /// are written as JSON writes them (`0.10` → `0.1`), so the same grid written two
    /// ways is the same grid. Control characters (a newline would split a CSV row) and
    /// repeated values are refused.
    pub fn parse(arg: &str) -> Result<Axis, String> {
        let (path, values) = arg
            .split_once('=')
            .ok_or_else(|| format!("--set {arg:?}: expected PATH=v1,v2,…"))?;
        if arg.chars().any(char::is_control) {
            return Err(format!(
                "--set {arg:?}: control characters (a newline, a tab) cannot be part of a path or value"
            ));
        }
        let values: Vec<String> = values
            .split(',')
            .map(|v| canonical_value(v.trim()))
            .filter(|v| !v.is_empty())
            .collect();
        if path.trim().is_empty() || values.is_empty() {
            return Err(format!("--set {arg:?}: expected PATH=v1,v2,…"));
        }
        let path = path.trim().to_string();
        segments(&path)?;
        let mut seen = BTreeSet::new();
        for v in &values {
            if !seen.insert(v) {
                return Err(format!("--set {arg:?}: value {v} is given twice"));
            }
        }
        Ok(Axis { path, values })
    }
}

/// A number in its shortest form (`0.50` → `0.5`, `1.0` → `1`, `1e3` → `1000`),
/// anything else as given.
fn canonical_value(v: &str) -> String {
    if let Ok(i) = v.parse::<i128>() {
        return i.to_string();
    }
    match v.parse::<f64>() {
        Ok(f) if f.is_finite() && v.chars().any(|c| c.is_ascii_digit()) => format!("{f}"),
        _ => v.to_string(),
    }
}

/// What identifies a sweep: a directory holds one sweep, resumable only with the same
/// scenario content, seed, replications and axes (an axis may gain values). Other
/// tools (shards, merges) read these fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The scenario file, canonicalised (absolute, links resolved); for people: the
    /// identity is its content.
    pub scenario: String,
    /// SHA-256 of the parsed scenario in canonical JSON: comments and layout do not
    /// count, every value does.
    #[serde(default)]
    pub scenario_sha256: String,
    /// SHA-256 of each top-level section of that JSON, to say what changed.
    #[serde(default)]
    pub scenario_sections: BTreeMap<String, String>,
    pub base_seed: u64,
    pub reps: usize,
    pub axes: Vec<Axis>,
    /// Every cell without the scenario's operation (business as usual).
    #[serde(default)]
    pub no_operation: bool,
}

/// How a sweep directory's manifest relates to the sweep asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Resume {
    /// Nothing there yet.
    New,
    /// The same sweep.
    Same,
    /// The same sweep with values added to its axes: only the new cells run.
    Extended,
}

impl Manifest {
    /// The manifest of a sweep of `scenario` (read from `path`) over `axes`; refuses a
    /// path given twice.
    pub fn new(
        path: &Path,
        scenario: &Scenario,
        base_seed: u64,
        reps: usize,
        axes: Vec<Axis>,
        no_operation: bool,
    ) -> Result<Manifest, String> {
        for (i, a) in axes.iter().enumerate() {
            if axes[..i].iter().any(|b| b.path == a.path) {
                return Err(format!(
                    "--set {}: the path is set twice; give all its values in one --set {}=v1,v2,…",
                    a.path, a.path
                ));
            }
        }
        let json = serde_json::to_value(scenario).map_err(|e| e.to_string())?;
        let scenario_sections = match &json {
            Value::Object(m) => m
                .iter()
                .map(|(k, v)| (k.clone(), sha256_hex(v.to_string().as_bytes())))
                .collect(),
            _ => BTreeMap::new(),
        };
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Ok(Manifest {
            scenario: canonical.display().to_string(),
            scenario_sha256: sha256_hex(json.to_string().as_bytes()),
            scenario_sections,
            base_seed,
            reps,
            axes,
            no_operation,
        })
    }

    /// Whether this sweep may resume in a directory whose manifest is `old`; the error
    /// names what differs.
    pub fn resumes(&self, old: &Manifest, dir: &Path) -> Result<Resume, String> {
        let refuse = |what: String| {
            Err(format!(
                "{} holds a different sweep: {what}; use the same arguments to resume it, another --out, or --force to start over (the old results are kept beside it)",
                dir.display()
            ))
        };
        if old.scenario_sha256.is_empty() {
            return refuse(
                "it was started by an older stce that did not record its scenario's content".into(),
            );
        }
        if old.scenario_sha256 != self.scenario_sha256 {
            let keys: BTreeSet<&String> = old
                .scenario_sections
                .keys()
                .chain(self.scenario_sections.keys())
                .collect();
            let changed: Vec<&str> = keys
                .into_iter()
                .filter(|k| old.scenario_sections.get(*k) != self.scenario_sections.get(*k))
                .map(String::as_str)
                .collect();
            return refuse(format!(
                "the scenario changed since it started ({} differ{})",
                changed.join(", "),
                if changed.len() == 1 { "s" } else { "" }
            ));
        }
        if old.base_seed != self.base_seed {
            return refuse(format!(
                "base seed {} there, {} here",
                old.base_seed, self.base_seed
            ));
        }
        if old.no_operation != self.no_operation {
            return refuse(format!(
                "--no-operation {} there, {} here",
                old.no_operation, self.no_operation
            ));
        }
        if old.reps != self.reps {
            return refuse(format!("{} reps there, {} here", old.reps, self.reps));
        }
        let paths = |m: &Manifest| m.axes.iter().map(|a| a.path.clone()).collect::<Vec<_>>();
        if paths(old) != paths(self) {
            return refuse(format!(
                "sets {:?} there, {:?} here",
                paths(old),
                paths(self)
            ));
        }
        let mut extended = false;
        for (a, b) in old.axes.iter().zip(&self.axes) {
            let missing: Vec<&String> = a.values.iter().filter(|v| !b.values.contains(v)).collect();
            if !missing.is_empty() {
                return refuse(format!(
                    "{} lacks value(s) {} that the sweep there has (an axis may gain values, not lose them)",
                    a.path,
                    missing
                        .iter()
                        .map(|v| v.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            // Old values keep their order; new ones follow.
            extended |= b.values.len() > a.values.len() || a.values != b.values;
        }
        Ok(if extended {
            Resume::Extended
        } else {
            Resume::Same
        })
    }
}

/// Refuse a grid any of whose cells is not a valid scenario, naming the first.
pub fn check_cells(base: &Scenario, axes: &[Axis]) -> Result<(), String> {
    for cell in grid(axes) {
        apply(base, axes, &cell).map_err(|e| format!("cell {}: {e}", cell.join(", ")))?;
    }
    Ok(())
}

/// The manifest of the sweep already in `dir`, if there is one.
pub fn existing(dir: &Path) -> Result<Option<Manifest>, String> {
    let path = dir.join("sweep.json");
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display())),
        Err(_) => Ok(None),
    }
}

/// Move a sweep directory aside to `<dir>.superseded-<n>` (the first free `n`), so a
/// sweep can start over without destroying what was there. Returns the new name.
pub fn set_aside(dir: &Path) -> std::io::Result<PathBuf> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sweep".into());
    let mut n = 1;
    loop {
        let to = dir.with_file_name(format!("{name}.superseded-{n}"));
        if !to.exists() {
            std::fs::rename(dir, &to)?;
            return Ok(to);
        }
        n += 1;
    }
}

/// Every combination of axis values, the first axis varying slowest.
pub fn grid(axes: &[Axis]) -> Vec<Vec<String>> {
    let mut cells = vec![Vec::new()];
    for a in axes {
        cells = cells
            .into_iter()
            .flat_map(|c| {
                a.values.iter().map(move |v| {
                    let mut c = c.clone();
                    c.push(v.clone());
                    c
                })
            })
            .collect();
    }
    cells
}

/// The scenario of one cell, and the strategy every office must use if the cell sets
/// one.
pub fn apply(
    base: &Scenario,
    axes: &[Axis],
    cell: &[String],
) -> Result<(Scenario, Option<String>), String> {
    let mut s = base.clone();
    let mut strategy = None;
    let mut json = None;
    for (a, v) in axes.iter().zip(cell) {
        match a.path.as_str() {
            STRATEGY => strategy = Some(v.clone()),
            CAPACITY_SCALE => {
                let k: f64 = v
                    .parse()
                    .map_err(|_| format!("{CAPACITY_SCALE}={v}: not a number"))?;
                for n in &mut s.nodes {
                    if let Some(o) = &mut n.office {
                        o.capacity_hours *= k;
                    }
                }
            }
            path => {
                let root = json.get_or_insert(serde_json::to_value(&s).map_err(|e| e.to_string())?);
                let value = serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.clone()));
                let n = set_path(root, &segments(path)?, &value);
                if n == 0 {
                    return Err(format!("--set {path}: no such field in the scenario"));
                }
            }
        }
        if let Some(root) = json.take() {
            s = serde_json::from_value(root).map_err(|e| format!("--set {}={v}: {e}", a.path))?;
        }
    }
    let problems = validate(&s, "");
    if let Some(p) = problems.first() {
        return Err(format!(
            "{}: {}{}",
            p.field,
            p.message,
            p.help
                .as_ref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default()
        ));
    }
    Ok((s, strategy))
}

enum Seg {
    Key(String),
    Index(usize),
    All,
}

fn segments(path: &str) -> Result<Vec<Seg>, String> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part
            .split_once('[')
            .map_or((part, None), |(k, r)| (k, Some(r)));
        if !key.is_empty() {
            out.push(Seg::Key(key.to_string()));
        }
        if let Some(rest) = rest {
            for idx in rest.split('[') {
                let idx = idx.trim_end_matches(']');
                out.push(if idx == "*" {
                    Seg::All
                } else {
                    Seg::Index(
                        idx.parse()
                            .map_err(|_| format!("--set {path}: bad index [{idx}]"))?,
                    )
                });
            }
        }
    }
    Ok(out)
}

/// Set every place the path reaches; returns how many were set.
fn set_path(v: &mut Value, path: &[Seg], value: &Value) -> usize {
    let Some((first, rest)) = path.split_first() else {
        *v = value.clone();
        return 1;
    };
    match (first, v) {
        (Seg::Key(k), Value::Object(m)) => m.get_mut(k).map_or(0, |x| set_path(x, rest, value)),
        (Seg::Index(i), Value::Array(a)) => a.get_mut(*i).map_or(0, |x| set_path(x, rest, value)),
        (Seg::All, Value::Array(a)) => a.iter_mut().map(|x| set_path(x, rest, value)).sum(),
        _ => 0,
    }
}

/// Read a streamed CSV, dropping a last line cut off by an interruption.
fn read_complete_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let complete = match text.rfind('\n') {
        Some(i) => &text[..=i],
        None => "",
    };
    complete.lines().map(String::from).collect()
}

fn csv_line(fields: &[String]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record(fields);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The columns of the swept paths, prefixed `set.` so that no column name repeats one of
/// the identifying or metric columns (`strategy`, `seed`, `declarations`, …).
pub fn axis_columns(axes: &[Axis]) -> Vec<String> {
    axes.iter().map(|a| format!("set.{}", a.path)).collect()
}

fn cell_header(axes: &[Axis]) -> Vec<String> {
    let mut h: Vec<String> = axis_columns(axes);
    for m in metric_names() {
        h.extend([
            format!("{m}_mean"),
            format!("{m}_ci_low"),
            format!("{m}_ci_high"),
            format!("{m}_n"),
        ]);
    }
    h
}

fn open_append(
    path: &Path,
    header: &[String],
    keep: impl Fn(&str) -> bool,
) -> std::io::Result<std::fs::File> {
    // Rewrite atomically with only complete rows worth keeping, then append to it.
    let lines = read_complete_lines(path);
    let mut text = csv_line(header);
    for l in lines.iter().skip(1).filter(|l| keep(l)) {
        text.push_str(l);
        text.push('\n');
    }
    write_atomic(path, text.as_bytes())?;
    std::fs::OpenOptions::new().append(true).open(path)
}

/// The outcome of a sweep call.
pub struct SweepReport {
    pub cells: usize,
    pub skipped: usize,
    pub dir: PathBuf,
}

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Where a cell's replications come from: `(cell index in grid order, cell)`.
pub type CellReplications<'a> = dyn Fn(usize, &[String]) -> Result<Vec<Replication>, Error> + 'a;

/// Run (or resume) a sweep into `dir`.
pub fn run_sweep(
    base: &Scenario,
    manifest: &Manifest,
    dir: &Path,
    on_start: &dyn Fn(u64),
    progress: &(dyn Fn() + Sync),
) -> Result<SweepReport, Error> {
    // Every cell must make a valid scenario before anything is written: a rejected
    // `--set` leaves no sweep.json behind to refuse the corrected command.
    check_cells(base, &manifest.axes)?;
    write_sweep(&base.name, manifest, dir, on_start, &|_, cell| {
        let (w, arm) = cell_world(base, manifest, cell)?;
        Ok(replicate_arm(
            &w,
            manifest.base_seed,
            manifest.reps,
            &arm,
            progress,
        ))
    })
}

/// The world of one cell and the arm its replications run (the strategy every office
/// uses, with or without the operation).
pub fn cell_world(
    base: &Scenario,
    manifest: &Manifest,
    cell: &[String],
) -> Result<(Arc<World>, RunOptions), Error> {
    let (mut s, strategy) = apply(base, &manifest.axes, cell)?;
    // `--seed` and the file's `seed` are one thing (a fixed population uses it).
    s.seed = manifest.base_seed;
    // A cell may raise the declarations: check it fits before building its world.
    let at_once = manifest.reps.min(rayon::current_num_threads()).max(1) as u64;
    crate::budget::check(&s, at_once, None)
        .map_err(|e| format!("cell {}: {e}", cell.join(", ")))?;
    let w = Arc::new(World::build(&s).map_err(|e| e.to_string())?);
    let strategy = match strategy {
        Some(name) => Some(w.strategy_index(&name).ok_or_else(|| {
            format!(
                "strategy={name}: the scenario defines {:?}",
                w.strategies.iter().map(|d| &d.name).collect::<Vec<_>>()
            )
        })?),
        None => None,
    };
    let arm = RunOptions {
        strategy,
        baseline: manifest.no_operation,
        ..Default::default()
    };
    Ok((w, arm))
}

/// Write (or resume) a sweep into `dir`, taking the replications of every cell not yet
/// on disk from `replications(cell index in grid order, cell)`: computed by
/// [`run_sweep`], or read back from shard folders by a merge, through the same writer
/// so both give the same bytes. `name` (the scenario's) titles the plots.
pub fn write_sweep(
    name: &str,
    manifest: &Manifest,
    dir: &Path,
    on_start: &dyn Fn(u64),
    replications: &CellReplications,
) -> Result<SweepReport, Error> {
    let axes = &manifest.axes;
    let cells = grid(axes);
    let manifest_path = dir.join("sweep.json");
    let resume = match std::fs::read(&manifest_path) {
        Ok(bytes) => {
            let old: Manifest = serde_json::from_slice(&bytes)
                .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
            manifest.resumes(&old, dir)?
        }
        Err(_) => Resume::New,
    };
    ensure_dir(dir)?;
    remove_leftovers(dir);
    if resume != Resume::Same {
        write_atomic(&manifest_path, &serde_json::to_vec_pretty(manifest)?)?;
    }
    let cells_path = dir.join("cells.csv");
    let key_of_line = |l: &str| -> String {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(l.as_bytes());
        r.records()
            .next()
            .and_then(|x| x.ok())
            .map(|x| x.iter().take(axes.len()).collect::<Vec<_>>().join("\u{1f}"))
            .unwrap_or_default()
    };
    let done: BTreeSet<String> = read_complete_lines(&cells_path)
        .iter()
        .skip(1)
        .map(|l| key_of_line(l))
        .collect();
    let mut cells_file = open_append(&cells_path, &cell_header(axes), |_| true)?;
    let reps_header = csv_header(&axis_columns(axes));
    let mut reps_file = open_append(&dir.join("replications.csv"), &reps_header, |l| {
        done.contains(&key_of_line(l))
    })?;

    let todo: Vec<(usize, &Vec<String>)> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| !done.contains(&c.join("\u{1f}")))
        .collect();
    on_start((todo.len() * manifest.reps) as u64);
    for &(index, cell) in &todo {
        let reps = replications(index, cell)?;
        let mut rows = String::new();
        for r in &reps {
            rows.push_str(&csv_line(&csv_row(cell, r)));
        }
        reps_file.write_all(rows.as_bytes())?;
        reps_file.flush()?;
        let mut row: Vec<String> = cell.to_vec();
        for (_, e) in summarise(&reps) {
            row.extend([e.mean, e.ci_low, e.ci_high].map(|v| format!("{v}")));
            row.push(e.n.to_string());
        }
        // The cell counts as done only once this line is complete on disk.
        cells_file.write_all(csv_line(&row).as_bytes())?;
        cells_file.flush()?;
    }
    plot_cells(name, &cells_path, axes, dir)?;
    Ok(SweepReport {
        cells: cells.len(),
        skipped: cells.len() - todo.len(),
        dir: dir.to_path_buf(),
    })
}

/// Detection rate against inspection rate, one curve per strategy (or per value of the
/// first axis when no strategy axis is swept).
fn plot_cells(
    scenario: &str,
    cells_path: &Path,
    axes: &[Axis],
    dir: &Path,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut r = csv::Reader::from_path(cells_path)?;
    let header = r.headers()?.clone();
    let col = |name: &str| header.iter().position(|h| h == name);
    let group_col = axes
        .iter()
        .position(|a| a.path == STRATEGY)
        .or(if axes.len() > 1 { Some(0) } else { None });
    let (Some(x), Some(m), Some(lo), Some(hi)) = (
        col("inspection_rate_mean"),
        col("detection_rate_mean"),
        col("detection_rate_ci_low"),
        col("detection_rate_ci_high"),
    ) else {
        return Ok(());
    };
    // Each point is labelled with the values of the swept paths that do not name its
    // curve, so a reader sees which capacity (say) a point stands for.
    let label_cols: Vec<usize> = (0..axes.len()).filter(|&i| Some(i) != group_col).collect();
    let mut bands: Vec<Band> = Vec::new();
    for rec in r.records() {
        let rec = rec?;
        let name = group_col.map_or("all cells".to_string(), |g| {
            format!("{}={}", axes[g].path, &rec[g])
        });
        let num = |i: usize| rec[i].parse::<f64>().unwrap_or(f64::NAN);
        let p = BandPoint {
            x: num(x),
            mean: num(m),
            ci_low: num(lo),
            ci_high: num(hi),
        };
        let label = label_cols
            .iter()
            .map(|&i| format!("{}={}", axes[i].path, &rec[i]))
            .collect::<Vec<_>>()
            .join(", ");
        match bands.iter_mut().find(|b| b.name == name) {
            Some(b) => {
                b.points.push(p);
                b.labels.push(label);
            }
            None => bands.push(Band {
                name,
                points: vec![p],
                labels: vec![label],
            }),
        }
    }
    plots::detection_vs_inspection(dir, scenario, &bands)?;
    Ok(())
}
