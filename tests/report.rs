//! `stce report` on the output folders of run, run --reps --baseline, compare and sweep:
//! the page holds every section, makes no request (checked in headless Chromium, whose
//! console reports any Content-Security-Policy violation), and a screenshot is saved
//! under the target directory. Also: every CSV of those folders loads with the types its
//! Table Schema states.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::*;

/// The four output folders, made once for all tests of this file.
fn folders() -> &'static Vec<(&'static str, PathBuf)> {
    static F: OnceLock<Vec<(&'static str, PathBuf)>> = OnceLock::new();
    F.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-folders");
        let _ = std::fs::remove_dir_all(&root);
        let asean = scenario_path("asean-cosmo.ron").display().to_string();
        let tutorial = scenario_path("tutorial.ron").display().to_string();
        let mk = |name: &'static str, args: Vec<&str>| {
            let dir = root.join(name);
            let mut a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            a.push("--out".into());
            a.push(dir.display().to_string());
            let out = stce(&a.iter().map(String::as_str).collect::<Vec<_>>());
            assert!(out.status.success(), "{name}: {}", text(&out.stderr));
            (name, dir)
        };
        vec![
            mk("run", vec!["run", &asean, "--declarations", "40000"]),
            mk(
                "reps",
                vec![
                    "run",
                    &asean,
                    "--declarations",
                    "20000",
                    "--reps",
                    "3",
                    "--baseline",
                ],
            ),
            mk(
                "compare",
                vec![
                    "compare",
                    &tutorial,
                    "--strategy",
                    "random",
                    "--strategy",
                    "risk",
                    "--reps",
                    "3",
                ],
            ),
            mk(
                "sweep",
                vec![
                    "sweep",
                    &tutorial,
                    "--set",
                    "strategy=random,risk",
                    "--set",
                    "declarations=5000,10000",
                    "--reps",
                    "2",
                ],
            ),
        ]
    })
}

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser"].iter().find_map(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|_| PathBuf::from(b))
    })
}

/// Open `page` in headless Chromium, save a screenshot, and return the console lines
/// (`INFO:CONSOLE`: errors, and every blocked request of the page's CSP).
fn open_in_chromium(browser: &Path, page: &Path, shot: &Path) -> Vec<String> {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,3000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        text(&out.stderr)
    );
    text(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(String::from)
        .collect()
}

#[test]
fn report_of_every_command_has_its_sections_and_makes_no_request() {
    let browser = chromium();
    if browser.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium (.ci/run installs it)"
        );
        eprintln!("chromium not installed: the page is checked without a browser");
    }
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (name, dir) in folders() {
        let out = stce(&["report", dir.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let page = dir.join("report.html");
        // a folder written as a set (not the streamed sweep) still verifies as one,
        // briefing and companions included, and lists every file
        if dir.join(stce::report::io::MANIFEST).exists() {
            let m = stce::report::io::verify(dir).unwrap_or_else(|e| panic!("{name}: {e}"));
            for e in std::fs::read_dir(dir).unwrap() {
                let f = e.unwrap().file_name().to_string_lossy().into_owned();
                assert!(
                    f == stce::report::io::MANIFEST
                        || f.starts_with('.')
                        || m.files.contains_key(&f),
                    "{name}: {f} is not in the manifest"
                );
            }
        }
        let html = text(&read(&page));
        assert!(
            html.contains("Content-Security-Policy") && html.contains("default-src 'none'"),
            "{name}: the page must forbid requests"
        );
        for id in ["what", "headline", "map"] {
            assert!(
                html.contains(&format!("<section id=\"{id}\"")),
                "{name}: no {id}"
            );
        }
        for must in [
            "SHA-256",
            "Command line",
            "Equirectangular projection",
            "stce version",
        ] {
            assert!(html.contains(must), "{name}: lacks {must}");
        }
        // Nothing points outside the page: only SVG namespaces name a URL.
        let outside = html
            .match_indices("http")
            .filter(|(i, _)| {
                !html[*i..].starts_with("http://www.w3.org/2000/svg")
                    && !html[*i..].starts_with("http-equiv")
            })
            .count();
        assert_eq!(outside, 0, "{name}: the page names an outside URL");
        match *name {
            "run" => {
                for id in ["daily", "interdiction", "offices", "timeline"] {
                    assert!(
                        html.contains(&format!("<section id=\"{id}\"")),
                        "run: no {id}"
                    );
                }
                assert!(html.contains("What the operation added over business as usual"));
                assert!(html.contains("illicit flow before the interdiction phase"));
                assert!(html.contains("Singapore"), "hubs are labelled");
            }
            "reps" => {
                assert!(html.contains("paired difference"));
                assert!(html.contains("n = 3"));
            }
            "compare" => {
                assert!(html.contains("<section id=\"comparison\""));
                assert!(html.contains("risk − random"));
            }
            "sweep" => {
                assert!(html.contains("<section id=\"sweep\""));
                assert!(html.contains("declarations"), "the swept path is named");
            }
            _ => unreachable!(),
        }
        if let Some(b) = &browser {
            let shot = shots.join(format!("{name}.png"));
            let console = open_in_chromium(b, &page, &shot);
            assert!(
                console.is_empty(),
                "{name}: console messages (errors or blocked requests): {console:#?}"
            );
            let png = read(&shot);
            assert!(
                png.starts_with(b"\x89PNG") && png.len() > 20_000,
                "{name}: screenshot"
            );
        }
    }
}

/// The console check above can fail: a page that tries to load an image from outside
/// is reported.
#[test]
fn chromium_reports_a_request_the_page_tries() {
    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head><body><img src=\"http://example.invalid/x.png\"></body></html>",
    )
    .unwrap();
    let console = open_in_chromium(&browser, &page, &dir.path().join("bad.png"));
    assert!(
        console.iter().any(|l| l.contains("example.invalid")),
        "{console:#?}"
    );
}

/// Every CSV of every folder: unique column names, a Table Schema beside it with the
/// same columns, and every cell of the type the schema states (codes stay text).
#[test]
fn every_csv_loads_with_the_types_of_its_schema() {
    let mut checked = 0;
    for (name, dir) in folders() {
        let mut csvs: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .collect();
        csvs.sort();
        assert!(!csvs.is_empty(), "{name}");
        for csv_path in csvs {
            let label = format!("{name}/{}", csv_path.file_name().unwrap().to_string_lossy());
            let schema_path = stce::report::schema::schema_path(&csv_path);
            let schema: serde_json::Value = serde_json::from_slice(&read(&schema_path))
                .unwrap_or_else(|e| panic!("{label}: schema {e}"));
            let fields = schema["fields"].as_array().unwrap();
            let mut r = csv::Reader::from_path(&csv_path).unwrap();
            let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
            let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
            assert_eq!(header, names, "{label}: schema columns");
            let mut unique = header.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), header.len(), "{label}: repeated column names");
            for f in fields {
                assert!(
                    !f["description"].as_str().unwrap_or("").is_empty(),
                    "{label}: column {} has no description",
                    f["name"]
                );
            }
            for (line, rec) in r.records().enumerate() {
                let rec = rec.unwrap();
                assert_eq!(rec.len(), header.len(), "{label}:{}", line + 2);
                for (v, f) in rec.iter().zip(fields) {
                    let ok = v.is_empty()
                        || match f["type"].as_str().unwrap() {
                            "integer" => v.parse::<i64>().is_ok(),
                            "number" => v.parse::<f64>().is_ok(),
                            "boolean" => v == "true" || v == "false",
                            "date" => v.len() == 10 && v.as_bytes()[4] == b'-',
                            "string" => true,
                            t => panic!("{label}: unknown type {t}"),
                        };
                    assert!(
                        ok,
                        "{label}:{}: {} = {v:?} is not {}",
                        line + 2,
                        f["name"],
                        f["type"]
                    );
                    if f["name"].as_str().unwrap().starts_with("hs_") {
                        assert!(
                            v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit()),
                            "{label}: HS code {v:?} must stay six digits"
                        );
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 6, "{checked} CSV files checked");
    // The run's tables have the columns the library declares (so an empty table's
    // header is the same as a full one's).
    let run = &folders()[0].1;
    for (file, fields) in [
        ("offices.csv", stce::report::tables::OFFICE_FIELDS),
        ("seizures.csv", stce::report::tables::SEIZURE_FIELDS),
        ("missed.csv", stce::report::tables::MISSED_FIELDS),
        ("phases.csv", stce::report::tables::PHASE_FIELDS),
    ] {
        let t = text(&read(&run.join(file)));
        assert_eq!(t.lines().next().unwrap(), fields.join(","), "{file}");
        assert!(t.lines().count() > 1, "{file} has rows");
    }
}

/// missed.csv: every illicit shipment that reached an office and was not seized, so
/// seized + missed = illicit shipments that reached an office.
#[test]
fn missed_and_seized_add_up_to_the_illicit_shipments_that_reached_an_office() {
    let run = &folders()[0].1;
    let m: serde_json::Value = serde_json::from_slice(&read(&run.join("metrics.json"))).unwrap();
    let ill = &m["shipments"]["illicit"];
    let missed = text(&read(&run.join("missed.csv")));
    let rows: Vec<&str> = missed.lines().skip(1).collect();
    assert_eq!(
        ill["seized"].as_u64().unwrap() + rows.len() as u64,
        ill["reached_office"].as_u64().unwrap()
    );
    let mut r = csv::Reader::from_reader(missed.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        assert!(
            !rec[col("offices_assessed")].is_empty(),
            "it reached an office"
        );
        assert!(["delivered", "in_transit"].contains(&&rec[col("fate")]));
        assert!(rec[col("route")].contains('>'));
    }
}

#[test]
fn every_json_carries_the_provenance() {
    for (name, dir) in folders() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let file = p.file_name().unwrap().to_string_lossy().into_owned();
            if !file.ends_with(".json")
                || file.ends_with(".schema.json")
                || file == stce::report::io::MANIFEST
            {
                continue;
            }
            let v: serde_json::Value = serde_json::from_slice(&read(&p)).unwrap();
            let prov = &v["provenance"];
            assert_eq!(
                prov["stce_version"],
                env!("CARGO_PKG_VERSION"),
                "{name}/{file}"
            );
            assert_eq!(
                prov["scenario_sha256"].as_str().map(str::len),
                Some(64),
                "{name}/{file}"
            );
            assert!(
                prov["command_line"]
                    .as_str()
                    .unwrap()
                    .contains(name.trim_end_matches('s'))
                    || *name == "reps",
                "{name}/{file}: {}",
                prov["command_line"]
            );
        }
    }
    // The replications folder with --baseline holds both variants, paired by seed.
    let reps = text(&read(&folders()[1].1.join("replications.csv")));
    assert!(reps.starts_with("scenario_variant,rep,seed,strategy,"));
    assert_eq!(
        reps.lines().filter(|l| l.starts_with("operation,")).count(),
        3
    );
    assert_eq!(
        reps.lines()
            .filter(|l| l.starts_with("business_as_usual,"))
            .count(),
        3
    );
    let sweep = text(&read(&folders()[3].1.join("cells.csv")));
    assert!(
        sweep.starts_with("set.strategy,set.declarations,"),
        "{sweep}"
    );
}

#[test]
fn report_of_a_folder_that_is_not_an_output_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = stce(&["report", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("no metrics.json, summary.json or sweep.json"),
        "{err}"
    );
}

#[test]
fn report_of_a_folder_edited_after_the_run_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let r = run_tutorial_into(&out, 2000);
    assert!(r.status.success(), "{}", text(&r.stderr));
    let ok = stce(&["report", out.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    // A hand edit after the run: the briefing would show numbers stce never wrote.
    std::fs::write(out.join("offices.csv"), "office\nedited\n").unwrap();
    let bad = stce(&["report", out.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    let err = text(&bad.stderr);
    assert!(
        err.contains("offices.csv") && err.contains("changed after the set was written"),
        "{err}"
    );
}
