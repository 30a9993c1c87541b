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
    /// `--no-operation`: the run was the scenario's business as usual.
    pub no_operation: bool,
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
        let _ = writeln!(s, "# no_operation: {}", self.no_operation);
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
        if self.no_operation {
            c.push_str(" --no-operation");
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
                    format!(
                        "{file}: line {n} should be \"{prefix} …\" (the log's header is damaged)"
                    )
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
        let no_operation = match field("no_operation", 8)?.as_str() {
            "true" => true,
            "false" => false,
            v => {
                return Err(format!(
                    "{file}: line 8: no_operation \"{v}\" should be true or false"
                ));
            }
        };
        field("rerun", 9)?;
        Ok(Header {
            version,
            scenario,
            scenario_sha256,
            seed,
            declarations,
            strategy,
            no_operation,
        })
    }

    /// Number of `#` lines [`Header::lines`] writes.
    pub const LINES: usize = 9;
}

/// An I/O error while decompressing, said as what it means for a log.
pub fn damaged(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof => {
            format!(
                "the compressed data is damaged ({e}): the file was changed or cut short after it was written"
            )
        }
        _ => e.to_string(),
    }
}

/// The compression every log is written with: fast, since the log must cost less than
/// the run, and fixed, so a re-run reproduces the file byte for byte.
pub fn encoder<W: Write>(w: W) -> GzEncoder<W> {
    flate2::GzBuilder::new().write(w, Compression::fast())
}

/// Write a run's log: header lines, then [`for_each_line`].
pub fn write(path: &Path, header: &Header, w: &World, log: &EventLog) -> io::Result<()> {
    let mut file = crate::report::io::AtomicFile::create(path)?;
    compress(&mut file, header, w, log, |_| Ok(()))?;
    file.commit()
}

/// Bytes handed to the compressing thread at a time.
const CHUNK: usize = 1 << 20;

/// Compress a log (header, then rows) into `out`. The rows are formatted on this thread
/// and compressed on a helper thread, so the two costs overlap; `tap` sees each line as
/// it is formatted (verification compares there). The chunking is fixed, so the same
/// log always gives the same bytes.
pub fn compress<W: Write + Send>(
    out: W,
    header: &Header,
    w: &World,
    log: &EventLog,
    mut tap: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<W> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let worker = scope.spawn(move || -> io::Result<W> {
            let mut gz = encoder(out);
            for chunk in rx {
                gz.write_all(&chunk)?;
            }
            gz.finish()
        });
        let mut chunk = Vec::with_capacity(CHUNK);
        chunk.extend_from_slice(header.lines().as_bytes());
        let stopped = || io::Error::other("the compressing thread stopped");
        let formatted = for_each_line(w, log, |line| {
            tap(line)?;
            chunk.extend_from_slice(line);
            if chunk.len() >= CHUNK {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                tx.send(full).map_err(|_| stopped())?;
            }
            Ok(())
        });
        if !chunk.is_empty() {
            let _ = tx.send(chunk);
        }
        drop(tx);
        let out = worker.join().map_err(|_| stopped())??;
        formatted?;
        Ok(out)
    })
}

/// The most stops any route of the world has: the number of office column groups.
pub fn office_groups(w: &World) -> usize {
    (0..w.routes.routes.len() as u32)
        .map(|r| w.routes.stops(r))
        .max()
        .unwrap_or(1)
}

/// Columns describing the declaration, before the office groups.
pub const DECLARATION_COLUMNS: [&str; 25] = [
    "serial",
    "declared_day",
    "declared_date",
    "declared_hour",
    "in_window",
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
///
/// Fields are written straight into one reused buffer, and the text that repeats (routes,
/// indicator sets, names) is made once: the log must cost less than the run.
pub fn for_each_line(
    w: &World,
    log: &EventLog,
    mut f: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let groups = office_groups(w);
    let names = columns(w);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    csv_line(&mut buf, &names);
    f(&buf)?;

    // Text made once, already CSV-quoted where it needs to be.
    let quoted = |s: &str| -> String {
        let mut b = Vec::new();
        field(&mut b, s);
        String::from_utf8(b).unwrap_or_default()
    };
    let dates: Vec<String> = (0..=w.ticks() / w.ticks_per_day())
        .map(|d| w.date(d))
        .collect();
    let routes: Vec<String> = (0..w.routes.routes.len() as u32)
        .map(|route| {
            quoted(
                &(0..w.routes.stops(route))
                    .map(|k| w.nodes[w.routes.stop(route, k) as usize].code.as_str())
                    .collect::<Vec<_>>()
                    .join(">"),
            )
        })
        .collect();
    let node_country: Vec<String> = w
        .nodes
        .iter()
        .map(|n| quoted(&w.countries[n.country as usize].iso3))
        .collect();
    let hs: Vec<String> = w.hs.iter().map(|h| quoted(&h.code)).collect();
    let networks: Vec<String> = w.networks.iter().map(|n| quoted(&n.name)).collect();
    let commodities: Vec<String> = w.commodities.iter().map(|c| quoted(&c.name)).collect();
    let offices: Vec<String> = w
        .offices
        .iter()
        .map(|o| quoted(&w.nodes[o.node as usize].code))
        .collect();
    let strategies: Vec<String> = log.strategies.iter().map(|s| quoted(s)).collect();
    let mut indicator_sets: Vec<Option<String>> =
        vec![None; 1 << crate::scenario::Indicator::ALL.len()];

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
        let delivered = log.delivered.get(di).filter(|d| d.0 == serial).map(|d| d.1);
        let seized = visits.iter().find(|v| v.outcome == Outcome::Seize);
        let stops = w.routes.stops(route);
        let illicit = cargo.is_illicit();
        let com = &w.commodities[cargo.commodity as usize];
        let node = |k: usize| w.routes.stop(route, k) as usize;
        let b = &mut buf;
        b.clear();
        let text = |b: &mut Vec<u8>, s: &str| {
            b.extend_from_slice(s.as_bytes());
            b.push(b',');
        };
        let flag = |b: &mut Vec<u8>, on: bool| text(b, if on { "true" } else { "false" });
        uint(b, serial as u64);
        b.push(b',');
        uint(b, day as u64);
        b.push(b',');
        text(b, &dates[day as usize]);
        uint(b, s.voyage.hour as u64);
        b.push(b',');
        flag(b, s.voyage.in_window());
        text(b, &routes[route as usize]);
        text(b, &node_country[node(0)]);
        text(b, &node_country[node(stops - 1)]);
        text(b, &hs[decl.hs as usize]);
        fixed(b, decl.value, 2);
        b.push(b',');
        fixed(b, decl.kg, 3);
        b.push(b',');
        flag(
            b,
            decl.flags & crate::sim::components::Declaration::VAGUE != 0,
        );
        flag(
            b,
            decl.flags & crate::sim::components::Declaration::LICENCE != 0,
        );
        uint(b, decl.exporter as u64);
        b.push(b',');
        uint(b, decl.consignee as u64);
        b.push(b',');
        flag(b, illicit);
        text(
            b,
            if illicit {
                &networks[cargo.network as usize]
            } else {
                ""
            },
        );
        text(b, &commodities[cargo.commodity as usize]);
        text(b, &hs[com.hs as usize]);
        text(b, com.category.label());
        text(
            b,
            if illicit {
                Concealment::ALL[cargo.concealment as usize].label()
            } else {
                ""
            },
        );
        fixed(b, cargo.value, 2);
        b.push(b',');
        fixed(b, cargo.kg, 3);
        b.push(b',');
        match (seized, delivered) {
            (Some(v), _) => {
                text(b, "seized");
                uint(b, v.hour as u64);
            }
            (None, Some(h)) => {
                text(b, "delivered");
                uint(b, h as u64);
            }
            (None, None) => text(b, "in_transit"),
        }
        for k in 0..groups {
            b.push(b',');
            let Some(v) = visits.get(k) else {
                b.extend_from_slice(&[b','; OFFICE_COLUMNS.len() - 1]);
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
            let set = indicator_sets[v.indicators as usize]
                .get_or_insert_with(|| quoted(&describe(v.indicators)));
            text(b, &offices[v.office as usize]);
            text(b, role);
            uint(b, v.hour as u64);
            b.push(b',');
            text(b, set);
            fixed(b, v.score, 4);
            b.push(b',');
            text(b, v.selected.map_or("", |r| r.label()));
            text(b, &strategies[v.strategy as usize]);
            text(b, outcome);
            if let Some(d) = dwell {
                fixed(b, d, 2);
            }
        }
        b.push(b'\n');
        f(b)?;
    }
    Ok(())
}

/// A whole number in decimal.
fn uint(b: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    b.extend_from_slice(&digits[i..]);
}

/// A number to `decimals` places (cents for values, grams for weights), trailing zeros
/// left out; nothing for
/// NaN (no value), `inf`/`-inf` for infinities. Written without `core::fmt`, which cost
/// more than the simulation itself on a 200k-declaration log.
fn fixed(b: &mut Vec<u8>, x: f32, decimals: u32) {
    if x.is_nan() {
        return;
    }
    if x.is_infinite() {
        b.extend_from_slice(if x > 0.0 { b"inf" } else { b"-inf" });
        return;
    }
    let scale = 10u64.pow(decimals);
    let v = (x as f64 * scale as f64).round();
    if v < 0.0 {
        b.push(b'-');
    }
    let v = v.abs() as u64;
    uint(b, v / scale);
    let mut frac = v % scale;
    if frac > 0 {
        // Only the digits that matter: 2.5, not 2.5000.
        let mut digits = decimals;
        while frac.is_multiple_of(10) {
            frac /= 10;
            digits -= 1;
        }
        b.push(b'.');
        let mut div = 10u64.pow(digits - 1);
        while div > 0 {
            b.push(b'0' + ((frac / div) % 10) as u8);
            div /= 10;
        }
    }
}

/// One CSV field (RFC 4180 quoting: a field with a comma, quote or line break is quoted,
/// its quotes doubled).
fn field(buf: &mut Vec<u8>, f: &str) {
    if f.contains([',', '"', '\n', '\r']) {
        buf.push(b'"');
        buf.extend_from_slice(f.replace('"', "\"\"").as_bytes());
        buf.push(b'"');
    } else {
        buf.extend_from_slice(f.as_bytes());
    }
}

/// One CSV line, `\n`-terminated.
fn csv_line(buf: &mut Vec<u8>, fields: &[&str]) {
    for (k, f) in fields.iter().enumerate() {
        if k > 0 {
            buf.push(b',');
        }
        field(buf, f);
    }
    buf.push(b'\n');
}
