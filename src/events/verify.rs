//! Verifying a log: re-run the run its header describes and check that every row, and
//! the file byte for byte, comes out the same. This is stce's determinism guarantee in a
//! form anyone can check.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use super::file::{self, Header};
use crate::sim::{RunOptions, run_recorded};
use crate::{Overrides, load_world};

/// What a successful verification checked.
#[derive(Debug)]
pub struct Verified {
    pub header: Header,
    pub rows: u64,
    pub bytes: u64,
}

/// The header of the log at `path`.
pub fn read_header(path: &Path) -> Result<Header, String> {
    let name = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|e| format!("{name}: cannot open: {e}"))?;
    Header::read(&mut BufReader::new(MultiGzDecoder::new(f)), &name)
}

/// The header's scenario, if it is still the file the log was made from.
pub fn check_scenario(h: &Header) -> Result<(), String> {
    let bytes = std::fs::read(&h.scenario).map_err(|e| {
        format!(
            "the log was made from the scenario file {}, which cannot be read from here ({e}); \
             run stce replay from the directory the run was made in",
            h.scenario
        )
    })?;
    let now = crate::report::io::sha256_hex(&bytes);
    if now != h.scenario_sha256 {
        return Err(format!(
            "the scenario file {} has changed since the log was written (its SHA-256 is now {now}, \
             the log was made from {}): a different scenario cannot reproduce the log",
            h.scenario, h.scenario_sha256
        ));
    }
    Ok(())
}

/// Re-run the log at `path` and compare. An error says what differs: the scenario, the
/// first row and field that differ, or the bytes of the compressed file.
pub fn verify(path: &Path) -> Result<Verified, String> {
    let name = path.display().to_string();
    let stored = std::fs::read(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let mut reader = BufReader::new(MultiGzDecoder::new(&stored[..]));
    let header = Header::read(&mut reader, &name)?;
    check_scenario(&header)?;
    if header.version != env!("CARGO_PKG_VERSION") {
        eprintln!(
            "note: the log was written by stce {}, this is {}; a difference may come from that",
            header.version,
            env!("CARGO_PKG_VERSION")
        );
    }
    let w = load_world(
        Path::new(&header.scenario),
        &Overrides {
            declarations: header.declarations,
            seed: Some(header.seed),
            ..Overrides::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let strategy = header
        .strategy
        .as_ref()
        .map(|n| {
            w.strategy_index(n).ok_or_else(|| {
                format!("{name}: strategy \"{n}\" of the header is not in the scenario")
            })
        })
        .transpose()?;
    let opts = RunOptions {
        seed: header.seed,
        strategy,
        baseline: header.no_operation,
        ..Default::default()
    };
    let (_, _, log) = run_recorded(&w, &opts, true);
    let log = log.ok_or("the re-run kept no event log")?;

    let columns = file::columns(&w);
    let mut line = Vec::new();
    let mut row: u64 = 0;
    let mut mismatch: Option<String> = None;
    let mut damage: Option<String> = None;
    let fresh = file::compress(Vec::new(), &header, &w, &log, |expected| {
        if mismatch.is_some() || damage.is_some() {
            return Ok(());
        }
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Err(e) => damage = Some(format!("{name}: after row {row}: {}", file::damaged(&e))),
            Ok(0) => {
                mismatch = Some(format!(
                    "{name} ends after row {row}; the re-run has more rows (the log was cut short)"
                ))
            }
            Ok(_) if line != expected => {
                mismatch = Some(describe_mismatch(&name, row, &columns, &line, expected))
            }
            Ok(_) => {}
        }
        row += 1;
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    if let Some(m) = damage.or(mismatch) {
        return Err(m);
    }
    let rows = row.saturating_sub(1);
    // Rows the re-run does not have.
    line.clear();
    match reader.read_to_end(&mut line) {
        Err(e) => return Err(format!("{name}: after row {rows}: {}", file::damaged(&e))),
        Ok(n) if n > 0 => {
            return Err(format!(
                "{name} has more rows than the re-run, which ends after row {rows}: \"{}\"",
                String::from_utf8_lossy(&line[..line.len().min(120)]).trim_end()
            ));
        }
        Ok(_) => {}
    }
    if fresh != stored {
        let at = fresh
            .iter()
            .zip(&stored)
            .position(|(a, b)| a != b)
            .unwrap_or(fresh.len().min(stored.len()));
        return Err(format!(
            "{name}: every row matches the re-run, but the file's bytes differ from what the run \
             writes, first at byte {at} of {} (the compression framing was changed after it was written)",
            stored.len()
        ));
    }
    Ok(Verified {
        header,
        rows,
        bytes: stored.len() as u64,
    })
}

/// Which field of which row differs, said with the column's name.
fn describe_mismatch(
    name: &str,
    row: u64,
    columns: &[String],
    stored: &[u8],
    expected: &[u8],
) -> String {
    let fields = |b: &[u8]| -> Vec<String> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(b)
            .records()
            .next()
            .and_then(Result::ok)
            .map(|r| r.iter().map(str::to_string).collect())
            .unwrap_or_default()
    };
    let (s, e) = (fields(stored), fields(expected));
    let line_no = row as usize + Header::LINES + 1;
    let what = if row == 0 {
        "the column line".to_string()
    } else {
        format!("row {row} (line {line_no} of the decompressed file)")
    };
    let serial = e.first().cloned().unwrap_or_default();
    match (0..s.len().max(e.len())).find(|&k| s.get(k) != e.get(k)) {
        Some(k) => format!(
            "{name}: {what} differs from the re-run{} in field {} ({}): the log has \"{}\", the re-run gives \"{}\"",
            if row > 0 {
                format!(" (serial {serial})")
            } else {
                String::new()
            },
            k + 1,
            columns
                .get(k)
                .map_or("beyond the last column", String::as_str),
            s.get(k).map_or("<missing>", String::as_str),
            e.get(k).map_or("<missing>", String::as_str),
        ),
        None => format!("{name}: {what} differs from the re-run in its quoting or line ending"),
    }
}
