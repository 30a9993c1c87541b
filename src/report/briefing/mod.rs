//! `stce report`: one self-contained `report.html` from the output folder of `run`,
//! `run --reps`, `compare` or `sweep` — what was run, the headline figures with their
//! intervals, a map, seizures per day with the operation's phases, where interdictions
//! happened, the offices, the timeline and the comparison. Everything is inline (styles,
//! SVG, data); a Content-Security-Policy forbids the page any request, so it can be
//! mailed or printed as it is.
//!
//! The page reads only the folder (its JSON, CSV and SVG files and `world.json`), never
//! the scenario file, so a folder moved to another machine still makes its briefing.

mod charts;
mod html;
mod map;
mod sections;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::context::Context;
use super::io::write_atomic;

/// Which command wrote the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Run,
    Replications,
    Compare,
    Sweep,
}

/// An output folder, read.
pub struct Folder {
    pub dir: PathBuf,
    pub kind: Kind,
    pub context: Context,
    /// metrics.json (run), summary.json (replications, compare) or sweep.json (sweep).
    pub main: Value,
    pub provenance: Value,
    /// CSV files by name: header and rows.
    pub tables: BTreeMap<String, (Vec<String>, Vec<Vec<String>>)>,
}

fn read_json(p: &Path) -> Result<Value, String> {
    let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: not valid JSON: {e}", p.display()))
}

fn read_csv(p: &Path) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    let mut r = csv::Reader::from_path(p).map_err(|e| format!("{}: {e}", p.display()))?;
    let header = r
        .headers()
        .map_err(|e| format!("{}: {e}", p.display()))?
        .iter()
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| format!("{}: {e}", p.display()))?;
        rows.push(rec.iter().map(String::from).collect());
    }
    Ok((header, rows))
}

impl Folder {
    pub fn read(dir: &Path) -> Result<Folder, String> {
        if !dir.is_dir() {
            return Err(format!(
                "{}: not a directory; give the --out folder of stce run, compare or sweep",
                dir.display()
            ));
        }
        // A folder written as an output set must still be that set: a briefing of a
        // hand-edited CSV or of files from two runs would look authoritative and be wrong.
        if dir.join(super::io::MANIFEST).exists() {
            super::io::verify(dir).map_err(|e| {
                format!("{e}; stce report briefs only what stce wrote: run the command again into this folder")
            })?;
        }
        let (kind, main) = if dir.join("sweep.json").exists() {
            (Kind::Sweep, read_json(&dir.join("sweep.json"))?)
        } else if dir.join("metrics.json").exists() {
            (Kind::Run, read_json(&dir.join("metrics.json"))?)
        } else if dir.join("summary.json").exists() {
            let v = read_json(&dir.join("summary.json"))?;
            let kind = if v.get("strategies").is_some() {
                Kind::Compare
            } else {
                Kind::Replications
            };
            (kind, v)
        } else {
            return Err(format!(
                "{}: no metrics.json, summary.json or sweep.json; give the --out folder of stce run, compare or sweep",
                dir.display()
            ));
        };
        let context = Context::read(dir)?;
        let mut tables = BTreeMap::new();
        for name in [
            "offices.csv",
            "seizures.csv",
            "missed.csv",
            "phases.csv",
            "replications.csv",
            "cells.csv",
        ] {
            let p = dir.join(name);
            if p.exists() {
                tables.insert(name.to_string(), read_csv(&p)?);
            }
        }
        let provenance = main.get("provenance").cloned().unwrap_or(Value::Null);
        Ok(Folder {
            dir: dir.to_path_buf(),
            kind,
            context,
            main,
            provenance,
            tables,
        })
    }

    /// An SVG plot the command wrote into the folder, ready to inline.
    pub fn svg(&self, stem: &str) -> Option<String> {
        let text = std::fs::read_to_string(self.dir.join(format!("{stem}.svg"))).ok()?;
        let start = text.find("<svg")?;
        Some(text[start..].to_string())
    }
}

/// The briefing page of `dir`.
pub fn render(dir: &Path) -> Result<String, String> {
    let f = Folder::read(dir)?;
    Ok(sections::page(&f))
}

/// Write `dir/report.html`; returns its path.
pub fn write_report(dir: &Path) -> Result<PathBuf, String> {
    let page = render(dir)?;
    let path = dir.join("report.html");
    write_atomic(&path, page.as_bytes()).map_err(|e| e.to_string())?;
    // the briefing belongs to the folder's set: its manifest lists it
    super::io::reseal(dir, &["report.html".to_string()]).map_err(|e| e.to_string())?;
    Ok(path)
}
