//! Reading a declaration file for `stce trace`: the column layout of the
//! Customs-Fraud-Detection framework (DATE, KDD 2020), other layouts through a column
//! mapping, or an stce event log. Codes and ids are interned to indices; every problem is
//! an error naming the file, the row and the column, unless bad rows are to be skipped
//! (then they are counted).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::scenario::validate::parse_date;
use crate::world::days_from_civil;

/// The fields a declaration file may have, by their names in the documented layout.
pub const FIELDS: [&str; 14] = [
    "sgd.id",
    "sgd.date",
    "importer.id",
    "declarant.id",
    "country",
    "office.id",
    "tariff.code",
    "quantity",
    "gross.weight",
    "fob.value",
    "cif.value",
    "total.taxes",
    "illicit",
    "revenue",
];

/// Fields without which a file cannot be replayed.
pub const REQUIRED: [&str; 4] = ["sgd.id", "sgd.date", "office.id", "illicit"];

/// How an stce event log's columns map to the fields: the declaration as the first
/// office that assessed it saw it.
const EVENT_LOG_COLUMNS: [(&str, &str); 10] = [
    ("sgd.id", "serial"),
    ("sgd.date", "declared_date"),
    ("importer.id", "consignee"),
    ("declarant.id", "exporter"),
    ("country", "origin_country"),
    ("office.id", "office_1"),
    ("tariff.code", "hs_declared"),
    ("gross.weight", "kg_declared"),
    ("fob.value", "value_declared_usd"),
    ("illicit", "illicit"),
];

/// One declaration, interned.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Days since 1970-01-01.
    pub day: i64,
    pub office: u32,
    pub tariff: u32,
    pub country: u32,
    /// Importer and declarant share one register of traders.
    pub importer: u32,
    pub declarant: u32,
    /// CIF value if the file has it, else FOB (NaN if neither).
    pub value: f64,
    /// Gross weight (NaN if absent).
    pub kg: f64,
    pub illicit: bool,
    /// Revenue recovered if this declaration is caught (0 if the file has none).
    pub revenue: f64,
}

/// A declaration file, read and interned, rows in date order (file order within a day).
#[derive(Debug, Default)]
pub struct Declarations {
    pub file: String,
    pub rows: Vec<Row>,
    pub offices: Vec<String>,
    pub tariffs: Vec<String>,
    pub countries: Vec<String>,
    pub traders: Vec<String>,
    pub has_revenue: bool,
    /// Rows skipped as malformed (with `skip_bad_rows`), and the first few reasons.
    pub skipped: u64,
    pub skip_reasons: Vec<String>,
    /// Event-log rows of declarations no office assessed (left out).
    pub not_assessed: u64,
    pub from_event_log: bool,
}

/// Read options.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Field name → the file's column name, for files with other headers.
    pub columns: BTreeMap<String, String>,
    /// Ignore columns that are not fields instead of refusing the file.
    pub allow_extra_columns: bool,
    pub skip_bad_rows: bool,
}

/// Parse `--columns` text: `field=column` pairs separated by commas.
pub fn parse_columns(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut m = BTreeMap::new();
    for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
        let (field, column) = pair.split_once('=').ok_or_else(|| {
            format!("--columns: \"{pair}\" should be field=column, e.g. sgd.date=DECL_DATE")
        })?;
        let field = field.trim();
        if !FIELDS.contains(&field) {
            return Err(format!(
                "--columns: \"{field}\" is not a field; the fields are: {}",
                FIELDS.join(", ")
            ));
        }
        m.insert(field.to_string(), column.trim().to_string());
    }
    Ok(m)
}

/// Interns strings to dense indices in order of first appearance.
#[derive(Default)]
struct Interner {
    names: Vec<String>,
    index: BTreeMap<String, u32>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }
}

/// Open a file, decompressing it if it is gzip.
fn open(path: &Path) -> Result<Box<dyn BufRead>, String> {
    let name = path.display();
    let mut f =
        BufReader::new(std::fs::File::open(path).map_err(|e| format!("{name}: cannot open: {e}"))?);
    let gz = f
        .fill_buf()
        .map_err(|e| format!("{name}: cannot read: {e}"))?
        .starts_with(&[0x1f, 0x8b]);
    Ok(if gz {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(f)))
    } else {
        Box::new(f)
    })
}

/// Read a declaration file (or an stce event log).
pub fn read(path: &Path, layout: &Layout) -> Result<Declarations, String> {
    let name = path.display().to_string();
    let mut input = open(path)?;
    let from_event_log = input
        .fill_buf()
        .map_err(|e| format!("{name}: cannot read: {e}"))?
        .starts_with(crate::events::file::MAGIC.as_bytes());
    let mut csv = csv::ReaderBuilder::new()
        .comment(from_event_log.then_some(b'#'))
        .flexible(false)
        .from_reader(Box::new(input) as Box<dyn Read>);
    let header: Vec<String> = csv
        .headers()
        .map_err(|e| format!("{name}: cannot read the header line: {e}"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();

    // Which column holds each field.
    let mapping: BTreeMap<String, String> = if from_event_log {
        EVENT_LOG_COLUMNS
            .iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect()
    } else {
        FIELDS
            .iter()
            .map(|f| {
                let col = layout.columns.get(*f).cloned().unwrap_or(f.to_string());
                (f.to_string(), col)
            })
            .collect()
    };
    for (field, col) in &layout.columns {
        if !header.contains(col) {
            return Err(format!(
                "{name}: --columns maps {field} to column \"{col}\", which the file does not have; its columns are: {}",
                header.join(", ")
            ));
        }
    }
    let position = |field: &str| -> Option<usize> {
        let col = mapping.get(field)?;
        header.iter().position(|h| h == col)
    };
    let missing: Vec<String> = REQUIRED
        .iter()
        .filter(|f| position(f).is_none())
        .map(|f| format!("{f} (column \"{}\")", mapping[*f]))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{name}: missing required column{} {}; the file's columns are: {}. Map other names with --columns field=column",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            header.join(", ")
        ));
    }
    if !from_event_log && !layout.allow_extra_columns {
        let known: Vec<&String> = mapping.values().collect();
        let extra: Vec<&str> = header
            .iter()
            .filter(|h| !known.contains(h))
            .map(String::as_str)
            .collect();
        if !extra.is_empty() {
            return Err(format!(
                "{name}: unknown column{} {}; the fields are {} (map a column to a field with --columns field=column, or pass --allow-extra-columns to ignore the others)",
                if extra.len() > 1 { "s" } else { "" },
                extra
                    .iter()
                    .map(|e| format!("\"{e}\""))
                    .collect::<Vec<_>>()
                    .join(", "),
                FIELDS.join(", ")
            ));
        }
    }
    let col: BTreeMap<&str, usize> = FIELDS
        .iter()
        .filter_map(|f| position(f).map(|p| (*f, p)))
        .collect();

    let mut d = Declarations {
        file: name.clone(),
        has_revenue: col.contains_key("revenue"),
        from_event_log,
        ..Declarations::default()
    };
    let (mut offices, mut tariffs, mut countries, mut traders) = (
        Interner::default(),
        Interner::default(),
        Interner::default(),
        Interner::default(),
    );
    let mut record = csv::StringRecord::new();
    let mut row_no: u64 = 0;
    loop {
        row_no += 1;
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let msg = format!("{name}: row {row_no}: {e}");
                if layout.skip_bad_rows && !matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    skip(&mut d, msg);
                    continue;
                }
                return Err(msg);
            }
        }
        let get = |f: &str| col.get(f).and_then(|&i| record.get(i)).map(str::trim);
        if from_event_log && get("office.id").is_some_and(str::is_empty) {
            d.not_assessed += 1;
            continue;
        }
        match parse_row(
            &get,
            &mut offices,
            &mut tariffs,
            &mut countries,
            &mut traders,
        ) {
            Ok(r) => d.rows.push(r),
            Err(e) => {
                let line = record.position().map_or(0, |p| p.line());
                let msg = format!("{name}: row {row_no} (line {line}): {e}");
                if layout.skip_bad_rows {
                    skip(&mut d, msg);
                } else {
                    return Err(format!(
                        "{msg} (or pass --skip-bad-rows to leave such rows out)"
                    ));
                }
            }
        }
    }
    if d.rows.is_empty() {
        return Err(format!("{name}: no declarations to replay"));
    }
    d.rows.sort_by_key(|r| r.day);
    d.offices = offices.names;
    d.tariffs = tariffs.names;
    d.countries = countries.names;
    d.traders = traders.names;
    Ok(d)
}

fn skip(d: &mut Declarations, msg: String) {
    d.skipped += 1;
    if d.skip_reasons.len() < 5 {
        d.skip_reasons.push(msg);
    }
}

fn parse_row<'a>(
    get: &dyn Fn(&str) -> Option<&'a str>,
    offices: &mut Interner,
    tariffs: &mut Interner,
    countries: &mut Interner,
    traders: &mut Interner,
) -> Result<Row, String> {
    let required = |f: &str| -> Result<&'a str, String> {
        get(f)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("column {f} is empty"))
    };
    // A number, or NaN when the column is absent or empty.
    let number = |f: &str| -> Result<f64, String> {
        match get(f).filter(|v| !v.is_empty()) {
            None => Ok(f64::NAN),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("column {f}: \"{v}\" is not a number")),
        }
    };
    required("sgd.id")?;
    let date = required("sgd.date")?;
    let ymd = date
        .get(..10)
        .and_then(parse_date)
        .ok_or_else(|| format!("column sgd.date: \"{date}\" is not a date YYYY-MM-DD"))?;
    let illicit = match required("illicit")? {
        "1" | "true" | "TRUE" | "True" => true,
        "0" | "false" | "FALSE" | "False" => false,
        v => {
            return Err(format!(
                "column illicit: \"{v}\" should be 0 or 1 (or true/false)"
            ));
        }
    };
    // Both are checked, whichever is used.
    let (fob, cif) = (number("fob.value")?, number("cif.value")?);
    let value = if cif.is_nan() { fob } else { cif };
    let revenue = number("revenue")?;
    for f in ["quantity", "total.taxes"] {
        number(f)?;
    }
    let id = |i: &mut Interner, f: &str| i.id(get(f).unwrap_or(""));
    Ok(Row {
        day: days_from_civil(ymd),
        office: offices.id(required("office.id")?),
        tariff: id(tariffs, "tariff.code"),
        country: id(countries, "country"),
        importer: id(traders, "importer.id"),
        declarant: id(traders, "declarant.id"),
        value,
        kg: number("gross.weight")?,
        illicit,
        revenue: if revenue.is_nan() { 0.0 } else { revenue },
    })
}
