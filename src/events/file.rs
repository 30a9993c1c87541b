//! The event log file: gzip-compressed CSV, one row per declaration, preceded by `# key:
//! value` lines that say what made it (format, stce version, scenario path and SHA-256,
//! seed, command-line overrides). pandas reads it with
//! `pd.read_csv("events.csv.gz", comment="#")`, R with
//! `read.csv(gzfile("events.csv.gz"), comment.char = "#")`.
//!
//! Why CSV and not Parquet: see the README ("Verifying a run"); in short, the arrow-rs
//! `parquet` crate roughly doubled a clean build for a file researchers can load as
//! easily this way, and byte-for-byte reproducible output is simpler to guarantee for a
//! compressed text stream.
//!
//! The columns are wide: the declaration, its truth and fate, then one group of columns
//! per office visited (`office_1`, `indicators_1`, …, `office_K`, …) where K is the
//! most stops any route of the world has; a shipment with fewer visits leaves the rest
//! empty.

use std::fmt::Write as _;
use std::io::{self, BufRead, Write};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

use super::EventLog;
use crate::scenario::Concealment;
use crate::sim::components::{Outcome, Voyage};
use crate::sim::movement::role_at;
use crate::targeting::indicators::describe;
use crate::world::World;

/// The first line of every event log.
pub const MAGIC: &str = "# stce event log, format 1";

/// What made a log: enough to re-run it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub version: String,
    /// The scenario file as it was given on the command line.
    pub scenario: String,
    pub scenario_sha256: String,
    pub seed: u64,
    /// `--declarations`, if it overrode the scenario's.
    pub declarations: Option<u64>,
    /// `--strategy`, if one strategy was imposed on every office.
    pub strategy: Option<String>,
}

impl Header {
    /// The `# key: value` lines, in a fixed order.
    pub fn lines(&self) -> String {
        let opt = |o: Option<String>| o.unwrap_or_default();
        let mut s = String::new();
        let _ = writeln!(s, "{MAGIC}");
        let _ = writeln!(s, "# stce_version: {}", self.version);
        let _ = writeln!(s, "# scenario: {}", self.scenario);
        let _ = writeln!(s, "# scenario_sha256: {}", self.scenario_sha256);
        let _ = writeln!(s, "# seed: {}", self.seed);
        let _ = writeln!(
            s,
            "# declarations: {}",
            opt(self.declarations.map(|d| d.to_string()))
        );
        let _ = writeln!(s, "# strategy: {}", opt(self.strategy.clone()));
        let _ = writeln!(s, "# rerun: {}", self.rerun());
        s
    }

    /// The command that makes the same run.
    pub fn rerun(&self) -> String {
        let mut c = format!("stce run {} --seed {}", self.scenario, self.seed);
        if let Some(d) = self.declarations {
            let _ = write!(c, " --declarations {d}");
        }
        if let Some(s) = &self.strategy {
            let _ = write!(c, " --strategy {s}");
        }
        c
    }

    /// Read the header lines of a log from `r`, leaving it at the column line. `file`
    /// names the log in errors.
    pub fn read(r: &mut impl BufRead, file: &str) -> Result<Header, String> {
        let mut line = String::new();
        let mut next = |line: &mut String, n: usize| -> Result<(), String> {
            line.clear();
            r.read_line(line)
                .map_err(|e| format!("{file}: cannot read line {n}: {}", damaged(&e)))?;
            Ok(())
        };
        next(&mut line, 1)?;
        if line.trim_end() != MAGIC {
            return Err(format!(
                "{file}: not an stce event log (line 1 should be \"{MAGIC}\")"
            ));
        }
        let mut field = |key: &str, n: usize| -> Result<String, String> {
            next(&mut line, n)?;
            let prefix = format!("# {key}:");
            line.trim_end_matches(['\n', '\r'])
                .strip_prefix(&prefix)
                .map(|v| v.trim().to_string())
                .ok_or_else(|| {
                    format!("{file}: line {n} should be \"{prefix} …\" (the log's header is damaged)")
                })
        };
        let version = field("stce_version", 2)?;
        let scenario = field("scenario", 3)?;
        let scenario_sha256 = field("scenario_sha256", 4)?;
        let seed = field("seed", 5)?;
        let seed = seed
            .parse()
            .map_err(|_| format!("{file}: line 5: seed \"{seed}\" is not a whole number"))?;
        let declarations = field("declarations", 6)?;
        let declarations = (!declarations.is_empty())
            .then(|| {
                declarations.parse().map_err(|_| {
                    format!("{file}: line 6: declarations \"{declarations}\" is not a whole number")
                })
            })
            .transpose()?;
        let strategy = Some(field("strategy", 7)?).filter(|s| !s.is_empty());
        field("rerun", 8)?;
        Ok(Header {
            version,
            scenario,
            scenario_sha256,
            seed,
            declarations,
            strategy,
        })
    }

    /// Number of `#` lines [`Header::lines`] writes.
    pub const LINES: usize = 8;
}

/// An I/O error while decompressing, said as what it means for a log.
pub fn damaged(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof => {
            format!("the compressed data is damaged ({e}): the file was changed or cut short after it was written")
        }
        _ => e.to_string(),
    }
}

/// SHA-256 of `bytes`, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The compression every log is written with: fast, since the log must cost less than
/// the run, and fixed, so a re-run reproduces the file byte for byte.
pub fn encoder<W: Write>(w: W) -> GzEncoder<W> {
    flate2::GzBuilder::new().write(w, Compression::fast())
}

/// Write a run's log: header lines, then [`for_each_line`].
pub fn write(path: &Path, header: &Header, w: &World, log: &EventLog) -> io::Result<()> {
    let mut file = crate::report::io::AtomicFile::create(path)?;
    let mut gz = encoder(&mut file);
    gz.write_all(header.lines().as_bytes())?;
    for_each_line(w, log, |line| gz.write_all(line))?;
    gz.finish()?;
    file.commit()
}

/// The most stops any route of the world has: the number of office column groups.
pub fn office_groups(w: &World) -> usize {
    (0..w.routes.routes.len() as u32)
        .map(|r| w.routes.stops(r))
        .max()
        .unwrap_or(1)
}

/// Columns describing the declaration, before the office groups.
pub const DECLARATION_COLUMNS: [&str; 24] = [
    "serial",
    "declared_day",
    "declared_date",
    "declared_hour",
    "route",
    "origin_country",
    "destination_country",
    "hs_declared",
    "value_declared_usd",
    "kg_declared",
    "vague_description",
    "licence_quoted",
    "exporter",
    "consignee",
    "illicit",
    "network",
    "commodity",
    "hs_actual",
    "category",
    "concealment",
    "value_usd",
    "kg",
    "fate",
    "fate_hour",
];

/// Columns of each office group, suffixed `_1`, `_2`, ….
pub const OFFICE_COLUMNS: [&str; 9] = [
    "office",
    "role",
    "arrived_hour",
    "indicators",
    "score",
    "selected",
    "strategy",
    "outcome",
    "dwell_hours",
];

/// All column names of a world's log.
pub fn columns(w: &World) -> Vec<String> {
    let mut c: Vec<String> = DECLARATION_COLUMNS.iter().map(|s| s.to_string()).collect();
    for k in 1..=office_groups(w) {
        c.extend(OFFICE_COLUMNS.iter().map(|s| format!("{s}_{k}")));
    }
    c
}

fn outcome_label(o: Outcome) -> (&'static str, Option<f32>) {
    match o {
        Outcome::Pass => ("pass", None),
        Outcome::Release { dwell } => ("release", Some(dwell)),
        Outcome::Seize => ("seize", None),
        Outcome::Unseizable { dwell } => ("unseizable", Some(dwell)),
    }
}

/// Call `f` with the column line and then each row's line (CSV, newline-terminated), in
/// serial order. `log` must have been [`EventLog::finish`]ed.
pub fn for_each_line(
    w: &World,
    log: &EventLog,
    mut f: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let mut buf = Vec::with_capacity(4096);
    let groups = office_groups(w);
    let mut emit = |buf: &mut Vec<u8>, rec: &[&str]| -> io::Result<()> {
        buf.clear();
        csv_line(buf, rec);
        f(buf)
    };
    let names = columns(w);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    emit(&mut buf, &names)?;

    let dates: Vec<String> = (0..=w.days).map(|d| w.date(d)).collect();
    let route_codes = |route: u32| -> String {
        (0..w.routes.stops(route))
            .map(|k| w.nodes[w.routes.stop(route, k) as usize].code.as_str())
            .collect::<Vec<_>>()
            .join(">")
    };
    let country_of = |route: u32, k: usize| -> &str {
        &w.countries[w.nodes[w.routes.stop(route, k) as usize].country as usize].iso3
    };
    let mut fields: Vec<String> = Vec::with_capacity(names.len());
    let (mut vi, mut di) = (0usize, 0usize);
    for &(tick, s) in &log.declared {
        let serial = s.voyage.serial;
        let (cargo, decl, route) = (&s.cargo, &s.decl, s.voyage.route);
        let day = tick / w.ticks_per_day();
        while vi < log.visits.len() && log.visits[vi].serial < serial {
            vi += 1;
        }
        let first = vi;
        while vi < log.visits.len() && log.visits[vi].serial == serial {
            vi += 1;
        }
        let visits = &log.visits[first..vi];
        while di < log.delivered.len() && log.delivered[di].0 < serial {
            di += 1;
        }
        let delivered = log
            .delivered
            .get(di)
            .filter(|d| d.0 == serial)
            .map(|d| d.1);
        let seized = visits.iter().find(|v| v.outcome == Outcome::Seize);
        let (fate, fate_hour) = match (seized, delivered) {
            (Some(v), _) => ("seized", v.hour.to_string()),
            (None, Some(h)) => ("delivered", h.to_string()),
            (None, None) => ("in_transit", String::new()),
        };
        let stops = w.routes.stops(route);
        let illicit = cargo.is_illicit();
        let com = &w.commodities[cargo.commodity as usize];
        fields.clear();
        fields.extend([
            serial.to_string(),
            day.to_string(),
            dates[day as usize].clone(),
            s.voyage.hour.to_string(),
            route_codes(route),
            country_of(route, 0).to_string(),
            country_of(route, stops - 1).to_string(),
            w.hs[decl.hs as usize].code.clone(),
            decl.value.to_string(),
            decl.kg.to_string(),
            (decl.flags & crate::sim::components::Declaration::VAGUE != 0).to_string(),
            (decl.flags & crate::sim::components::Declaration::LICENCE != 0).to_string(),
            decl.exporter.to_string(),
            decl.consignee.to_string(),
            illicit.to_string(),
            if illicit {
                w.networks[cargo.network as usize].name.clone()
            } else {
                String::new()
            },
            com.name.clone(),
            w.hs[com.hs as usize].code.clone(),
            com.category.label().to_string(),
            if illicit {
                Concealment::ALL[cargo.concealment as usize].label().to_string()
            } else {
                String::new()
            },
            cargo.value.to_string(),
            cargo.kg.to_string(),
            fate.to_string(),
            fate_hour,
        ]);
        for k in 0..groups {
            let Some(v) = visits.get(k) else {
                fields.extend(std::iter::repeat_n(String::new(), OFFICE_COLUMNS.len()));
                continue;
            };
            let at = Voyage {
                serial,
                route,
                stop: v.stop,
                flags: 0,
                hour: v.hour,
            };
            let role = match role_at(w, &at) {
                crate::scenario::Role::Export => "export",
                crate::scenario::Role::Transit => "transit",
                crate::scenario::Role::Import => "import",
            };
            let (outcome, dwell) = outcome_label(v.outcome);
            fields.extend([
                w.nodes[w.offices[v.office as usize].node as usize]
                    .code
                    .clone(),
                role.to_string(),
                v.hour.to_string(),
                describe(v.indicators),
                if v.score.is_nan() {
                    String::new()
                } else {
                    v.score.to_string()
                },
                v.selected.label().to_string(),
                log.strategies[v.strategy as usize].clone(),
                outcome.to_string(),
                dwell.map(|d| d.to_string()).unwrap_or_default(),
            ]);
        }
        let rec: Vec<&str> = fields.iter().map(String::as_str).collect();
        emit(&mut buf, &rec)?;
    }
    Ok(())
}

/// One CSV line (RFC 4180 quoting: a field with a comma, quote or line break is quoted,
/// its quotes doubled), `\n`-terminated.
fn csv_line(buf: &mut Vec<u8>, fields: &[&str]) {
    for (k, f) in fields.iter().enumerate() {
        if k > 0 {
            buf.push(b',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            buf.push(b'"');
            buf.extend_from_slice(f.replace('"', "\"\"").as_bytes());
            buf.push(b'"');
        } else {
            buf.extend_from_slice(f.as_bytes());
        }
    }
    buf.push(b'\n');
}
