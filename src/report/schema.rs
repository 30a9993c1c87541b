//! Table Schemas (Frictionless Data) for the CSV files: beside every `X.csv` an
//! `X.schema.json` gives each column's type, unit and meaning, so `pd.read_csv(dtype=…)`
//! and polars schemas can be generated from it and codes stay text (an HS code keeps its
//! leading zero).
//!
//! The schema is made from the header the CSV was written with, column by column,
//! through one dictionary ([`field`]): a metric column added to the CSV writers appears
//! in the schema by itself; a column the dictionary does not know yet gets its type from
//! its name's pattern (rates, hours, counts) and is listed by [`unknown_columns`], which
//! a test keeps empty.

use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::io::{with_path, write_atomic};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Field {
    pub name: String,
    /// Table Schema type: `string`, `integer`, `number`, `boolean`, `date`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'static str>,
    pub description: String,
}

#[derive(Debug, Serialize)]
pub struct TableSchema {
    pub fields: Vec<Field>,
    /// Empty cells are missing values (a rate with an empty denominator), never zero.
    #[serde(rename = "missingValues")]
    pub missing_values: Vec<&'static str>,
}

const S: &str = "string";
const I: &str = "integer";
const N: &str = "number";

/// Columns with a fixed meaning: (name, type, unit, description).
const KNOWN: &[(&str, &str, Option<&str>, &str)] = &[
    // identifying columns
    ("rep", I, None, "replication number, 0 = the base seed"),
    (
        "seed",
        S,
        None,
        "seed of the replication (unsigned 64-bit, kept as text: it exceeds int64)",
    ),
    (
        "strategy",
        S,
        None,
        "strategy every office used (empty: each office its own)",
    ),
    (
        "scenario_variant",
        S,
        None,
        "`as_written` (the scenario as in its file), or with --baseline `operation` (as written) and `business_as_usual` (the same seed without the operation)",
    ),
    // metrics of a run (src/metrics/run.rs)
    (
        "detection_rate",
        N,
        Some("share"),
        "illicit shipments seized / illicit shipments that reached a customs office",
    ),
    (
        "hit_rate",
        N,
        Some("share"),
        "inspections that found a violation / inspections",
    ),
    (
        "inspection_rate",
        N,
        Some("share"),
        "inspections / declarations assessed",
    ),
    (
        "lift_over_random",
        N,
        Some("ratio"),
        "hit rate / share of illicit declarations among those assessed",
    ),
    (
        "interdiction_export",
        N,
        Some("share"),
        "share of seizures made at export",
    ),
    (
        "interdiction_transit",
        N,
        Some("share"),
        "share of seizures made at transit or transshipment",
    ),
    (
        "interdiction_import",
        N,
        Some("share"),
        "share of seizures made at import",
    ),
    (
        "licit_dwell_hours",
        N,
        Some("hours"),
        "hours inspections and licence checks added to licit shipments",
    ),
    (
        "officer_hours",
        N,
        Some("officer-hours"),
        "officer-hours spent on inspections",
    ),
    ("generated", I, Some("shipments"), "shipments generated"),
    ("delivered", I, Some("shipments"), "shipments delivered"),
    ("seized", I, Some("shipments"), "shipments seized"),
    (
        "in_transit",
        I,
        Some("shipments"),
        "shipments still moving when the run ended",
    ),
    (
        "illicit_generated",
        I,
        Some("shipments"),
        "illicit shipments generated",
    ),
    (
        "illicit_reached_office",
        I,
        Some("shipments"),
        "illicit shipments that reached a customs office",
    ),
    ("inspections", I, Some("inspections"), "inspections made"),
    (
        "violations_found",
        I,
        Some("inspections"),
        "inspections that found a violation",
    ),
    (
        "alerts_sent",
        I,
        Some("alerts"),
        "platform alerts delivered, one per receiving office",
    ),
    (
        "alerts_from_flags",
        I,
        Some("alerts"),
        "alerts that flagged a shipment a profile marked but could not inspect",
    ),
    (
        "alerts_acted_on",
        I,
        Some("inspections"),
        "inspections made because an active alert named the shipment",
    ),
    (
        "seizures_from_alerts",
        I,
        Some("shipments"),
        "seizures of shipments selected because of an alert",
    ),
    (
        "displacement",
        N,
        Some("share"),
        "share of illicit volume on routes different from before the interdiction phase",
    ),
    (
        "footprint_before",
        I,
        Some("nodes"),
        "distinct nodes illicit shipments used before the interdiction phase",
    ),
    (
        "footprint_during",
        I,
        Some("nodes"),
        "distinct nodes illicit shipments used from the interdiction phase to the operation's end",
    ),
    (
        "reroutes",
        I,
        Some("events"),
        "times a network routed round a node after seizures there",
    ),
    (
        "illicit_unresolved",
        I,
        Some("shipments"),
        "illicit shipments that reached an office and were still moving when the drain ended (not in the detection rate)",
    ),
    (
        "inspections_targeted",
        I,
        Some("inspections"),
        "inspections chosen by the office's strategy ranking",
    ),
    (
        "inspections_alert",
        I,
        Some("inspections"),
        "inspections made because an active alert named the shipment",
    ),
    (
        "inspections_random",
        I,
        Some("inspections"),
        "inspections drawn at random (random strategy or exploration share)",
    ),
    (
        "hit_rate_targeted",
        N,
        Some("share"),
        "hit rate of the strategy-chosen inspections",
    ),
    (
        "hit_rate_alert",
        N,
        Some("share"),
        "hit rate of the alert-driven inspections",
    ),
    (
        "hit_rate_random",
        N,
        Some("share"),
        "hit rate of the randomly drawn inspections",
    ),
    (
        "lift_targeted",
        N,
        Some("ratio"),
        "lift over random of the strategy-chosen inspections",
    ),
    (
        "lift_random",
        N,
        Some("ratio"),
        "lift over random of the randomly drawn inspections",
    ),
    (
        "seizures_random",
        I,
        Some("shipments"),
        "seizures of randomly drawn inspections",
    ),
    // offices.csv
    (
        "office",
        S,
        None,
        "UN/LOCODE of the port or IATA code of the airport",
    ),
    ("name", S, None, "name of the port or airport"),
    ("country", S, None, "ISO 3166-1 alpha-3 code"),
    (
        "roles",
        S,
        None,
        "roles the office assesses, `;`-separated: export, transit, import",
    ),
    (
        "capacity_hours",
        N,
        Some("officer-hours"),
        "officer-hours available over the run (surge and capacity injects included)",
    ),
    (
        "utilisation",
        N,
        Some("share"),
        "officer_hours / capacity_hours",
    ),
    ("assessed", I, Some("declarations"), "declarations assessed"),
    (
        "assessed_illicit",
        I,
        Some("declarations"),
        "illicit declarations assessed",
    ),
    ("seizures", I, Some("shipments"), "seizures made"),
    // seizures.csv (CEN-like)
    (
        "shipment",
        S,
        None,
        "the shipment's reference (its serial number in the run)",
    ),
    ("day", I, Some("days"), "day of the run, 0 = start_date"),
    ("date", "date", None, "calendar date (YYYY-MM-DD)"),
    ("node_name", S, None, "name of the port or airport"),
    ("role", S, None, "export, transit or import"),
    ("mode", S, None, "sea or air"),
    ("conveyance", S, None, "carrier service"),
    ("network", S, None, "illicit network (illustrative)"),
    (
        "hs_declared",
        S,
        None,
        "HS 2022 subheading declared (six digits, leading zeros kept)",
    ),
    (
        "description_declared",
        S,
        None,
        "goods description declared",
    ),
    (
        "hs_actual",
        S,
        None,
        "HS 2022 subheading of what was really shipped",
    ),
    ("commodity_actual", S, None, "what was really shipped"),
    (
        "category",
        S,
        None,
        "strategic category: DualUse, Military, Chemical, Nuclear, Missile or None",
    ),
    ("cas", S, None, "CAS registry number of a chemical (text)"),
    ("kg", N, Some("kg"), "gross weight"),
    ("value_usd", N, Some("USD"), "value"),
    (
        "found_by",
        S,
        None,
        "why it was selected: strategy and indicators, random selection or platform alert",
    ),
    (
        "operation_focus",
        "boolean",
        None,
        "the goods are among the operation's focus commodities",
    ),
    ("concealment", S, None, "concealment method"),
    ("origin", S, None, "ISO3 of the origin country"),
    (
        "transit",
        S,
        None,
        "ISO3 of the transit countries, `;`-separated",
    ),
    ("destination", S, None, "ISO3 of the destination country"),
    // phases.csv
    (
        "phase",
        S,
        None,
        "TargetBuilding, Interdiction, FollowUp, Reporting (or `run` without an operation), then Drain: the window's shipments finishing their voyages after it",
    ),
    ("start_date", "date", None, "first day of the phase"),
    (
        "end_date",
        "date",
        None,
        "last day of the phase (inclusive)",
    ),
    ("days", I, Some("days"), "length of the phase"),
    (
        "seizures_per_day",
        N,
        Some("shipments per day"),
        "seizures / days",
    ),
    // missed.csv
    (
        "vague_description",
        "boolean",
        None,
        "the declared description was vague",
    ),
    (
        "licence_quoted",
        "boolean",
        None,
        "the declaration quoted a licence",
    ),
    (
        "route",
        S,
        None,
        "node codes of the route, in order, `>`-separated",
    ),
    (
        "offices_assessed",
        S,
        None,
        "offices that assessed the shipment, in order, `;`-separated",
    ),
    (
        "fate",
        S,
        None,
        "`delivered` or `in_transit` (still moving when the run ended)",
    ),
    (
        "last_node",
        S,
        None,
        "the last port or airport the shipment reached",
    ),
];

/// The schema field of column `name`.
pub fn field(name: &str) -> Field {
    let make = |kind, unit, description: String| Field {
        name: name.to_string(),
        kind,
        unit,
        description,
    };
    if let Some((_, kind, unit, d)) = KNOWN.iter().find(|k| k.0 == name) {
        return make(kind, *unit, d.to_string());
    }
    // A swept scenario path: the value as written on the command line.
    if let Some(path) = name.strip_prefix("set.") {
        return make(
            S,
            None,
            format!("value of the swept scenario path `{path}`"),
        );
    }
    // Sweep cells: summary statistics of a metric over the cell's replications.
    for (suffix, what) in [
        ("_mean", "mean over replications of"),
        ("_ci_low", "lower end of the 95% CI (Student t) of"),
        ("_ci_high", "upper end of the 95% CI (Student t) of"),
    ] {
        if let Some(m) = name.strip_suffix(suffix) {
            let base = field(m);
            return make(N, base.unit, format!("{what} {m}: {}", base.description));
        }
    }
    if let Some(m) = name.strip_suffix("_n") {
        return make(
            I,
            Some("replications"),
            format!("replications with a value of {m}"),
        );
    }
    guess(name)
}

/// A column the dictionary does not know: typed by its name's pattern.
fn guess(name: &str) -> Field {
    let (kind, unit) = if name.ends_with("_rate") || name.ends_with("_share") {
        (N, Some("share"))
    } else if name.ends_with("_hours") {
        (N, Some("hours"))
    } else if name.ends_with("_usd") {
        (N, Some("USD"))
    } else if name.starts_with("n_") || name.ends_with("_count") || name.ends_with("s") {
        (N, None)
    } else {
        (S, None)
    };
    Field {
        name: name.to_string(),
        kind,
        unit,
        description: String::new(),
    }
}

/// Columns of `header` the dictionary does not describe (their type is a guess).
pub fn unknown_columns(header: &[String]) -> Vec<String> {
    header
        .iter()
        .filter(|h| field(h).description.is_empty())
        .cloned()
        .collect()
}

/// The Table Schema of a CSV with this header.
pub fn table_schema(header: &[String]) -> TableSchema {
    TableSchema {
        fields: header.iter().map(|h| field(h)).collect(),
        missing_values: vec![""],
    }
}

/// `X.schema.json` for `X.csv`.
pub fn schema_path(csv: &Path) -> PathBuf {
    let stem = csv
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    csv.with_file_name(format!("{stem}.schema.json"))
}

/// Write `X.schema.json` beside every `X.csv` directly in `dir`, from the CSV's header.
pub fn write_schemas(dir: &Path) -> io::Result<()> {
    let mut csvs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| with_path(e, "cannot read directory", dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "csv")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    csvs.sort();
    for csv_path in csvs {
        let header = read_header(&csv_path)?;
        let text = serde_json::to_vec_pretty(&table_schema(&header)).map_err(io::Error::other)?;
        write_atomic(&schema_path(&csv_path), &text)?;
    }
    Ok(())
}

/// The header row of a CSV file.
pub fn read_header(path: &Path) -> io::Result<Vec<String>> {
    let mut r = csv::Reader::from_path(path)
        .map_err(|e| with_path(io::Error::other(e), "cannot read", path))?;
    let h = r
        .headers()
        .map_err(|e| with_path(io::Error::other(e), "cannot read the header of", path))?;
    Ok(h.iter().map(String::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_text_and_metrics_numbers() {
        assert_eq!(field("hs_declared").kind, "string");
        assert_eq!(field("seed").kind, "string");
        assert_eq!(field("detection_rate").kind, "number");
        assert_eq!(field("inspections").kind, "integer");
        assert_eq!(field("set.strategy").kind, "string");
        let m = field("officer_hours_ci_high");
        assert_eq!((m.kind, m.unit), ("number", Some("officer-hours")));
        assert_eq!(field("hit_rate_n").kind, "integer");
    }

    #[test]
    fn every_metric_column_is_described() {
        let header: Vec<String> = crate::experiment::csv_header(&[]);
        assert_eq!(unknown_columns(&header), Vec::<String>::new());
        let fields: Vec<String> = crate::report::tables::SEIZURE_FIELDS
            .iter()
            .chain(crate::report::tables::OFFICE_FIELDS)
            .chain(crate::report::tables::MISSED_FIELDS)
            .chain(crate::report::tables::PHASE_FIELDS)
            .map(|s| s.to_string())
            .collect();
        assert_eq!(unknown_columns(&fields), Vec::<String>::new());
    }

    #[test]
    fn unknown_columns_get_a_type_from_their_name() {
        assert_eq!(field("warmup_detection_rate").kind, "number");
        assert_eq!(field("attribution").kind, "string");
        assert_eq!(
            unknown_columns(&["attribution".to_string(), "rep".to_string()]),
            vec!["attribution".to_string()]
        );
    }
}
