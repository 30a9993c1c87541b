//! `stce list`: find codes in the embedded reference data.

use stce::world::lookup::{Table, search};

use super::{Error, emit};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  stce list ports singapore      # → SGSIN, with coordinates and WCO region
  stce list ports KEN            # every port of Kenya
  stce list airports vientiane
  stce list countries malaysia
  stce list hs 2931              # the heading and its subheadings
  stce list cas 756-79-6         # DMMP: CWC schedule 2
  stce list strategies")]
pub struct Args {
    /// What to list: ports, airports, countries, hs, cas or strategies, e.g. ports.
    #[arg(value_enum)]
    table: Table,
    /// Text to find in codes and names (case-insensitive); a country code also finds
    /// that country's ports and airports, e.g. singapore, KEN or 2931.
    query: Option<String>,
    /// Print the rows as a JSON array of objects instead of a table, e.g. --json.
    #[arg(long)]
    json: bool,
}

pub fn execute(a: Args) -> Result<(), Error> {
    let l = search(a.table, a.query.as_deref());
    if a.json {
        let rows: Vec<serde_json::Map<String, serde_json::Value>> = l
            .rows
            .iter()
            .map(|r| {
                l.columns
                    .iter()
                    .zip(r)
                    .map(|(c, v)| (c.to_string(), serde_json::Value::String(v.clone())))
                    .collect()
            })
            .collect();
        return emit(&format!("{}\n", serde_json::to_string_pretty(&rows)?));
    }
    if l.rows.is_empty() {
        return Err(format!(
            "nothing matches {:?}; try a shorter part of the name or the code",
            a.query.unwrap_or_default()
        )
        .into());
    }
    // Columns as wide as their widest cell, the last one left unpadded.
    let widths: Vec<usize> = (0..l.columns.len())
        .map(|i| {
            l.rows
                .iter()
                .map(|r| r[i].chars().count())
                .chain([l.columns[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| -> String {
        let n = cells.len();
        let mut s = String::new();
        for (i, c) in cells.into_iter().enumerate() {
            if i + 1 == n {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut text = line(l.columns.clone());
    for r in &l.rows {
        text.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    text.push_str(&format!("({} rows)\n", l.rows.len()));
    emit(&text)
}
