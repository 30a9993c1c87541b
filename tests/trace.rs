//! `stce trace`: replaying declaration files through the strategies. Random selection
//! against its closed forms (precision = the file's illicit rate, recall = the
//! inspection rate), a planted pattern found by rules, an event log as input, and clear
//! errors for malformed files. The files are generated here, small and seeded.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use stce::trace::input::{Layout, read as read_decls};
use stce::trace::report::{TraceReport, build};
use stce::trace::{Plan, replay, strategy_defs};

const HEADER: &str = "sgd.id,sgd.date,importer.id,declarant.id,country,office.id,tariff.code,quantity,gross.weight,fob.value,cif.value,total.taxes,illicit,revenue";

/// `n` declarations over 56 days at 3 offices. Illicit with probability `base`, or
/// `planted` for tariff code 2933990000 (a tenth of the rows).
fn declarations(n: usize, base: f64, planted: f64, revenue: bool, seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut s = String::new();
    let header = if revenue {
        HEADER.to_string()
    } else {
        HEADER.trim_end_matches(",revenue").to_string()
    };
    writeln!(s, "{header}").unwrap();
    for i in 0..n {
        let day = 1 + rng.random_range(0..56u32);
        let (m, d) = if day <= 31 { (1, day) } else { (2, day - 31) };
        let hs = if rng.random_bool(0.1) {
            "2933990000"
        } else {
            ["8471300000", "6109100000", "8517120000"][rng.random_range(0..3usize)]
        };
        let p = if hs == "2933990000" { planted } else { base };
        let illicit = rng.random_bool(p);
        let kg: f64 = rng.random_range(10.0..1000.0);
        let v = kg * rng.random_range(5.0..20.0);
        write!(
            s,
            "S{i},2020-{m:02}-{d:02},IMP{},DEC{},CN,OFF{},{hs},1,{kg:.1},{v:.1},{:.1},{:.1},{}",
            rng.random_range(0..400u32),
            rng.random_range(0..40u32),
            rng.random_range(0..3u32),
            v * 1.1,
            v * 0.1,
            u8::from(illicit),
        )
        .unwrap();
        if revenue {
            write!(s, ",{:.1}", if illicit { v * 0.2 } else { 0.0 }).unwrap();
        }
        s.push('\n');
    }
    s
}

fn write(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

fn run_trace(
    file: &Path,
    strategies: &[&str],
    rates: &[f64],
    reps: usize,
    extra: Option<&Path>,
) -> TraceReport {
    let decls = read_decls(file, &Layout::default()).unwrap();
    let (defs, _) = strategy_defs(extra).unwrap();
    let plan = Plan {
        strategies: strategies
            .iter()
            .map(|n| defs.iter().find(|d| d.name == *n).unwrap().clone())
            .collect(),
        defs,
        rates: rates.to_vec(),
        period_days: 7,
        reps,
        seed: 11,
    };
    let replays = replay(&decls, &plan);
    build(&decls, &plan, &replays, decls.rows[0].day)
}

fn whole(
    r: &TraceReport,
    strategy: &str,
    rate: f64,
    metric: &str,
) -> stce::metrics::stats::Estimate {
    r.summary
        .iter()
        .find(|l| {
            l.strategy == strategy
                && l.inspection_rate == rate
                && l.metric == metric
                && l.period.is_none()
        })
        .unwrap_or_else(|| panic!("{strategy} {rate} {metric}"))
        .estimate
}

#[test]
fn random_selection_matches_its_closed_forms() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "d.csv",
        &declarations(30_000, 0.05, 0.05, true, 1),
    );
    let r = run_trace(&f, &["random"], &[0.02, 0.10], 30, None);
    for rate in [0.02, 0.10] {
        // Precision of random selection is the file's illicit rate.
        let p = whole(&r, "random", rate, "precision");
        assert!(
            p.ci_low <= r.illicit_rate && r.illicit_rate <= p.ci_high,
            "precision {p:?} vs illicit rate {}",
            r.illicit_rate
        );
        // Recall of random selection at rate r is r (and so is the share of revenue).
        for m in ["recall", "revenue_recovered"] {
            let e = whole(&r, "random", rate, m);
            assert!(e.ci_low <= rate && rate <= e.ci_high, "{m} {e:?} at {rate}");
        }
        // The budget is spent: inspections / declarations = the rate (to rounding per
        // office and day, carried over).
        let i = whole(&r, "random", rate, "inspection_rate");
        assert!((i.mean - rate).abs() < 0.001, "{i:?}");
    }
}

#[test]
fn rules_find_a_planted_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "d.csv",
        &declarations(20_000, 0.01, 0.3, true, 2),
    );
    let s = write(
        dir.path(),
        "s.ron",
        r#"[StrategyDef(name: "watch-2933", kind: Rules(watch: Watchlists(hs: ["2933"]), profiles: [Profile(name: "watched", all: [HsWatch])]))]"#,
    );
    let r = run_trace(&f, &["random", "watch-2933"], &[0.05], 10, Some(&s));
    let random = whole(&r, "random", 0.05, "precision");
    let rules = whole(&r, "watch-2933", 0.05, "precision");
    // Watched rows are 10% of the file, so at 5% the rules inspect only watched rows:
    // precision near the planted 30%, against about 3.9% at random.
    assert!(rules.ci_low > 0.25 && rules.ci_high < 0.35, "{rules:?}");
    assert!(rules.mean > 5.0 * random.mean, "{rules:?} vs {random:?}");
    let d = r
        .differences
        .iter()
        .find(|d| d.metric == "recall" && d.period.is_none())
        .unwrap();
    assert_eq!(
        (d.strategy_a.as_str(), d.strategy_b.as_str()),
        ("random", "watch-2933")
    );
    assert!(d.estimate.ci_low > 0.0, "paired difference {d:?}");
}

#[test]
fn the_command_writes_tidy_outputs_with_and_without_revenue() {
    let dir = tempfile::tempdir().unwrap();
    for revenue in [true, false] {
        let f = write(
            dir.path(),
            "d.csv",
            &declarations(3000, 0.05, 0.05, revenue, 3),
        );
        let out_dir = dir.path().join(format!("out-{revenue}"));
        let out = stce(&[
            "trace",
            f.to_str().unwrap(),
            "--strategy",
            "random",
            "--strategy",
            "learner",
            "--inspection-rate",
            "1,5",
            "--period",
            "14d",
            "--reps",
            "4",
            "--out",
            out_dir.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let summary = text(&read(&out_dir.join("summary.csv")));
        assert!(summary.starts_with(
            "strategy,inspection_rate,period,period_start,metric,mean,ci_low,ci_high,n\n"
        ));
        assert_eq!(summary.contains("revenue_recovered"), revenue);
        // 56 days in 14-day periods: 4 periods and the whole file.
        assert!(
            summary.contains("random,0.01,3,2020-02-12,precision"),
            "{summary}"
        );
        assert!(summary.contains("random,0.05,all,,recall"));
        let diffs = text(&read(&out_dir.join("differences.csv")));
        assert!(
            diffs.contains("random,learner,0.05,all,precision"),
            "{diffs}"
        );
        let j: serde_json::Value =
            serde_json::from_slice(&read(&out_dir.join("trace.json"))).unwrap();
        assert_eq!(j["declarations"], 3000);
        assert_eq!(j["replications"], 4);
    }
}

#[test]
fn malformed_files_get_errors_with_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let good = declarations(50, 0.1, 0.1, true, 4);
    let trace = |name: &str, body: &str, extra: &[&str]| {
        let f = write(dir.path(), name, body);
        let mut args = vec!["trace", f.to_str().unwrap(), "--reps", "2"];
        args.extend_from_slice(extra);
        let out = stce(&args);
        (out.status.success(), text(&out.stderr), text(&out.stdout))
    };
    // A missing required column.
    let no_date = good.replacen("sgd.date", "date", 1);
    let (ok, err, _) = trace("a.csv", &no_date, &[]);
    assert!(
        !ok && err.contains("missing required column sgd.date") && err.contains("--columns"),
        "{err}"
    );
    // ...mapped with --columns.
    let (ok, err, _) = trace("a.csv", &no_date, &["--columns", "sgd.date=date"]);
    assert!(ok, "{err}");
    let (ok, err, _) = trace("a.csv", &no_date, &["--columns", "sgd.when=date"]);
    assert!(!ok && err.contains("\"sgd.when\" is not a field"), "{err}");
    // An unknown column.
    let extra = good
        .replacen("revenue", "revenue,note", 1)
        .replace('\n', ",x\n")
        .replacen(",note,x", ",note", 1);
    let (ok, err, _) = trace("b.csv", &extra, &[]);
    assert!(!ok && err.contains("unknown column \"note\""), "{err}");
    let (ok, err, _) = trace("b.csv", &extra, &["--allow-extra-columns"]);
    assert!(ok, "{err}");
    // A malformed value in data row 3, and a row with a field missing in row 5.
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    lines[3] = lines[3].replacen("2020-", "2O20-", 1);
    lines[5] = lines[5].rsplit_once(',').unwrap().0.to_string();
    let bad = lines.join("\n") + "\n";
    let (ok, err, _) = trace("c.csv", &bad, &[]);
    assert!(
        !ok && err.contains("row 3 (line 4)")
            && err.contains("sgd.date")
            && err.contains("--skip-bad-rows"),
        "{err}"
    );
    let (ok, err, out) = trace("c.csv", &bad, &["--skip-bad-rows"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("48 declarations") && out.contains("2 malformed rows skipped"),
        "{out}"
    );
    assert!(err.contains("row 5"), "{err}");
    // A malformed FOB value is an error even though the CIF value is the one used.
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    let mut f: Vec<String> = lines[7].split(',').map(String::from).collect();
    f[9] = "12x".into();
    lines[7] = f.join(",");
    let (ok, err, _) = trace("f.csv", &(lines.join("\n") + "\n"), &[]);
    assert!(
        !ok && err.contains("row 7 (line 8): column fob.value: \"12x\" is not a number"),
        "{err}"
    );
    // An illicit flag that is not 0/1.
    let bad = good.replacen(",0,0.0\n", ",maybe,0.0\n", 1);
    assert_ne!(bad, good);
    let (ok, err, _) = trace("d.csv", &bad, &[]);
    assert!(
        !ok && err.contains("column illicit: \"maybe\" should be 0 or 1"),
        "{err}"
    );
    // An unknown strategy.
    let (ok, err, _) = trace("e.csv", &good, &["--strategy", "psychic"]);
    assert!(
        !ok && err.contains("unknown strategy \"psychic\"") && err.contains("risk-score"),
        "{err}"
    );
}

#[test]
fn an_event_log_is_valid_input() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("e.csv.gz");
    let out = stce(&[
        "run",
        scenario_path("tutorial.ron").to_str().unwrap(),
        "--declarations",
        "5000",
        "--events",
        log.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let decls = read_decls(&log, &Layout::default()).unwrap();
    assert!(decls.from_event_log);
    let mut t = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::MultiGzDecoder::new(&read(&log)[..]),
        &mut t,
    )
    .unwrap();
    let data_rows = t.lines().filter(|l| !l.starts_with('#')).count() as u64 - 1;
    assert_eq!(
        decls.rows.len() as u64 + decls.not_assessed,
        data_rows,
        "every row read or counted"
    );
    let r = run_trace(&log, &["random", "risk-score"], &[0.05], 5, None);
    assert!(r.declarations > 4000);
    assert!(r.illicit_rate > 0.0);
}

#[test]
fn the_outputs_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "d.csv", &declarations(4000, 0.03, 0.2, true, 5));
    let run = |threads: &str, out: &str| {
        let out_dir = dir.path().join(out);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_stce"))
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "trace",
                f.to_str().unwrap(),
                "--strategy",
                "learner",
                "--strategy",
                "mixture",
                "--reps",
                "6",
                "--out",
                out_dir.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o.stderr));
        [
            "summary.csv",
            "differences.csv",
            "replications.csv",
            "trace.json",
        ]
        .map(|n| read(&out_dir.join(n)))
    };
    assert_eq!(run("1", "one"), run("2", "two"));
}
