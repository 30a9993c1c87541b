//! The event log (`stce run --events`) and its verification (`stce replay --verify`):
//! the log agrees with the run's own counts, a fresh log verifies, and a log changed
//! in any byte, or whose scenario changed, fails with a message saying where.

mod common;

use std::io::{Read, Write};
use std::path::Path;

use common::*;

fn decompress(p: &Path) -> String {
    let mut s = String::new();
    flate2::read::MultiGzDecoder::new(&read(p)[..])
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn compress(text: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(text.as_bytes()).unwrap();
    e.finish().unwrap()
}

/// Run the tutorial with an event log in `dir`; returns the log path and stdout.
fn run_logged(dir: &Path) -> (std::path::PathBuf, String) {
    let log = dir.join("events.csv.gz");
    let out = stce(&[
        "run",
        scenario_path("tutorial.ron").to_str().unwrap(),
        "--declarations",
        "4000",
        "--events",
        log.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    (log, text(&out.stdout))
}

fn verify(log: &Path) -> std::process::Output {
    stce(&["replay", log.to_str().unwrap(), "--verify"])
}

/// The number after `word` in the run summary.
fn count_after(summary: &str, word: &str) -> u64 {
    let rest = &summary[summary.find(word).unwrap_or_else(|| panic!("{word}")) + word.len()..];
    rest.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn a_fresh_log_agrees_with_the_run_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (log, summary) = run_logged(dir.path());
    let text_log = decompress(&log);
    assert!(text_log.starts_with("# stce event log, format 1\n"));
    assert!(text_log.contains("# seed: 7\n") && text_log.contains("# declarations: 4000\n"));
    let mut r = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text_log.as_bytes());
    let cols: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let fate = cols.iter().position(|c| c == "fate").unwrap();
    let in_window = cols.iter().position(|c| c == "in_window").unwrap();
    let (mut rows, mut seized, mut delivered, mut in_transit) = (0u64, 0u64, 0u64, 0u64);
    let (mut all_rows, mut seize_outcomes) = (0u64, 0u64);
    for rec in r.records() {
        let rec = rec.unwrap();
        all_rows += 1;
        // The run counts the shipments declared in its measurement window.
        if &rec[in_window] != "true" {
            continue;
        }
        rows += 1;
        match &rec[fate] {
            "seized" => seized += 1,
            "delivered" => delivered += 1,
            "in_transit" => in_transit += 1,
            f => panic!("fate {f}"),
        }
        seize_outcomes += cols
            .iter()
            .zip(rec.iter())
            .filter(|(c, v)| c.starts_with("outcome_") && *v == "seize")
            .count() as u64;
    }
    // The log tells the same story as the run's own counters.
    assert_eq!(rows, count_after(&summary, "generated"));
    assert_eq!(delivered, count_after(&summary, "delivered"));
    assert_eq!(seized, count_after(&summary, "seized"));
    assert_eq!(
        in_transit,
        count_after(&summary, "in transit at the drain's end")
    );
    assert_eq!(seize_outcomes, seized, "a shipment is seized once");
    assert!(seized > 0, "the tutorial seizes something");

    let out = verify(&log);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(&format!("all {all_rows} rows")),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_log_with_one_byte_changed_fails_with_where() {
    let dir = tempfile::tempdir().unwrap();
    let (log, _) = run_logged(dir.path());
    let good = read(&log);

    // A byte of the compressed rows.
    let mut bad = good.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x01;
    std::fs::write(&log, &bad).unwrap();
    let out = verify(&log);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("differs from the re-run") || err.contains("damaged"),
        "{err}"
    );

    // A byte of the gzip framing (its timestamp), which leaves every row intact.
    let mut bad = good.clone();
    bad[5] ^= 0x01;
    std::fs::write(&log, &bad).unwrap();
    let out = verify(&log);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("bytes differ from what the run writes, first at byte 5"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_changed_value_is_reported_by_row_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let (log, _) = run_logged(dir.path());
    let t = decompress(&log);
    let mut lines: Vec<String> = t.lines().map(String::from).collect();
    // Data row 100 is line 9 + 1 + 100 (1-based): index 109. Change its declared
    // weight (the 11th field).
    let rec = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(lines[109].as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap();
    let mut f: Vec<String> = rec.iter().map(String::from).collect();
    f[10] = "12345.5".into();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(&f).unwrap();
    lines[109] = text(&w.into_inner().unwrap()).trim_end().to_string();
    std::fs::write(&log, compress(&(lines.join("\n") + "\n"))).unwrap();
    let out = verify(&log);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("row 100 ")
            && err.contains("field 11 (kg_declared)")
            && err.contains("\"12345.5\""),
        "{err}"
    );
}

#[test]
fn a_changed_scenario_is_said_to_have_changed() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("tutorial.ron");
    std::fs::copy(scenario_path("tutorial.ron"), &scenario).unwrap();
    let log = dir.path().join("e.csv.gz");
    let out = stce(&[
        "run",
        scenario.to_str().unwrap(),
        "--declarations",
        "1000",
        "--events",
        log.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&scenario)
        .unwrap();
    writeln!(f, "// an edit").unwrap();
    let out = verify(&log);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("has changed since the log was written"),
        "{err}"
    );
}

#[test]
fn events_refuse_replications() {
    let out = stce(&[
        "run",
        scenario_path("tutorial.ron").to_str().unwrap(),
        "--reps",
        "3",
        "--events",
        "/tmp/never.csv.gz",
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--events records one run"));
}
