//! The research workflow against known results: random selection's analytical rates,
//! monotone capacity, exploration versus exploitation, thread-count determinism and
//! resumable sweeps.

mod common;

use common::*;
use stce::experiment::{replicate, summarise};
use stce::metrics::stats::{Estimate, estimate};
use stce::scenario::{Concealment, FindProbability, Scenario};

fn metric(rows: &[(&'static str, Estimate)], name: &str) -> Estimate {
    rows.iter().find(|(n, _)| *n == name).unwrap().1
}

/// One exporting office with random selection at `rate`, unlimited capacity, and
/// inspections that find with probability `find`, recognise always.
fn one_checkpoint(rate: f64, find: f64) -> Scenario {
    let text = format!(
        r#"Scenario(
        name: "one checkpoint", start_date: "2021-03-01", days: 40, declarations: 20000, seed: 3,
        administrations: [Administration(country: "SGP"), Administration(country: "THA")],
        nodes: [
            Node(code: "SGSIN", office: Office(capacity_hours: 1000000.0, strategy: "r", roles: [Export])),
            Node(code: "THLCH"),
        ],
        services: [Service(name: "a", mode: Sea, calls: ["SGSIN", "THLCH"], frequency_days: 1.0)],
        strategies: [StrategyDef(name: "r", kind: Random(rate: {rate}))],
        trade: Matrix([Flow(from: "SGP", to: "THA", weight: 1.0)]),
        commodities: [
            Commodity(name: "goods", hs: "392690", share: 1.0),
            Commodity(name: "precursor", hs: "293141", share: 0.0, category: Chemical, cas: "756-79-6"),
        ],
        illicit: [Network(name: "n", share: 0.05, seeks: ["precursor"], origins: ["SGP"], destinations: ["THA"],
                          concealment: {{MisdeclaredHs: 1.0}})],
        inspection: InspectionModel(recognise_untrained: 1.0, recognise_trained: 1.0),
    )"#
    );
    let mut s = stce::scenario::parse("one.ron", &text).expect("valid");
    s.inspection.find.insert(
        Concealment::MisdeclaredHs,
        FindProbability {
            physical: find,
            nii_scan: find,
        },
    );
    s
}

#[test]
fn random_selection_matches_the_analytical_rates() {
    for (rate, find) in [(0.1, 1.0), (0.25, 0.5)] {
        let w = world(&one_checkpoint(rate, find));
        let reps = replicate(&w, 1, 12, None, &|| {});
        let rows = summarise(&reps);
        // Hit rate = base rate × P(detect): random selection draws from the same stream.
        let base: Vec<f64> = reps
            .iter()
            .map(|r| {
                r.metrics.illicit_declarations_assessed as f64
                    / r.metrics.declarations_assessed as f64
                    * find
            })
            .collect();
        let hit = metric(&rows, "hit_rate");
        let expected_hit = estimate(&base).mean;
        assert!(
            hit.ci_low <= expected_hit && expected_hit <= hit.ci_high,
            "rate {rate}: hit {hit:?} vs base×p {expected_hit}"
        );
        // Detection rate = selection rate × P(detect).
        let det = metric(&rows, "detection_rate");
        let expected = rate * find;
        assert!(
            det.ci_low <= expected && expected <= det.ci_high,
            "rate {rate}: detection {det:?} vs {expected}"
        );
        let insp = metric(&rows, "inspection_rate");
        assert!((insp.mean - rate).abs() < 0.01, "{insp:?}");
    }
}

#[test]
fn more_capacity_never_lowers_mean_detection() {
    let base = scenario("tutorial.ron");
    let mut last = -1.0;
    for scale in [0.25, 0.5, 1.0, 2.0, 4.0] {
        let mut s = base.clone();
        for n in &mut s.nodes {
            if let Some(o) = &mut n.office {
                o.capacity_hours *= scale;
            }
        }
        let w = world(&s);
        let rows = summarise(&replicate(&w, 7, 10, w.strategy_index("risk"), &|| {}));
        let d = metric(&rows, "detection_rate").mean;
        assert!(
            d >= last,
            "capacity ×{scale}: detection {d} fell below {last}"
        );
        last = d;
    }
}

/// Traffickers undervalue a watched chemical until day 20, then switch to a vague
/// description under an ordinary code. A learner that only exploits keeps inspecting
/// what used to work; one that explores finds the new pattern.
#[test]
fn exploring_learner_beats_pure_exploitation_when_traffickers_switch() {
    let text = r#"Scenario(
        name: "switch", start_date: "2021-03-01", days: 60, declarations: 60000, seed: 5,
        administrations: [Administration(country: "SGP", equipment: [NiiScanner]), Administration(country: "THA")],
        nodes: [
            Node(code: "SGSIN", office: Office(capacity_hours: 30.0, strategy: "exploit", roles: [Export])),
            Node(code: "THLCH"),
        ],
        services: [Service(name: "a", mode: Sea, calls: ["SGSIN", "THLCH"], frequency_days: 1.0)],
        strategies: [
            StrategyDef(name: "exploit", kind: Learner(watch: Watchlists(hs: ["2931"]), exploration: 0.0)),
            StrategyDef(name: "explore", kind: Learner(watch: Watchlists(hs: ["2931"]), exploration: 0.2)),
        ],
        trade: Matrix([Flow(from: "SGP", to: "THA", weight: 1.0)]),
        commodities: [
            Commodity(name: "goods", hs: "392690", share: 1.0, value_per_kg: 4.0),
            Commodity(name: "flame retardant", hs: "293149", share: 0.05, value_per_kg: 3.0),
            Commodity(name: "precursor", hs: "293141", share: 0.0, category: Chemical, cas: "756-79-6", value_per_kg: 4.0),
        ],
        traders: TraderModel(per_country: 300, aeo_share: 0.0),
        illicit: [Network(name: "n", share: 0.02, seeks: ["precursor"], origins: ["SGP"], destinations: ["THA"],
                          concealment: {Undervaluation: 1.0}, cover_hs: ["392690"], front_company_new_share: 0.0,
                          shift: Shift(day: 20, concealment: {GenericDescription: 1.0}))],
        inspection: InspectionModel(recognise_untrained: 1.0, recognise_trained: 1.0),
    )"#;
    let s = stce::scenario::parse("switch.ron", text).expect("valid");
    let w = world(&s);
    let after_shift = |strategy: &str| -> Vec<f64> {
        replicate(&w, 11, 16, w.strategy_index(strategy), &|| {})
            .iter()
            .map(|r| r.seizures_per_day[20..].iter().sum::<u64>() as f64)
            .collect()
    };
    let exploit = after_shift("exploit");
    let explore = after_shift("explore");
    let d = stce::metrics::stats::paired_difference(&exploit, &explore);
    eprintln!(
        "seizures after the switch: exploit {:?} explore {:?} diff {d:?}",
        estimate(&exploit),
        estimate(&explore)
    );
    assert!(
        d.ci_low > 0.0,
        "exploration should find the new pattern: {d:?}"
    );
}

#[test]
fn replications_are_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut csvs = Vec::new();
    for threads in ["1", "2"] {
        // The same --out both times: summary.json records the command line.
        let out = dir.path().join("out");
        let _ = std::fs::remove_dir_all(&out);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_stce"))
            .args([
                "compare",
                scenario_path("tutorial.ron").to_str().unwrap(),
                "--strategy",
                "random",
                "--strategy",
                "risk",
                "--reps",
                "6",
                "--out",
                out.to_str().unwrap(),
            ])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", text(&status.stderr));
        csvs.push((
            read(&out.join("replications.csv")),
            read(&out.join("summary.json")),
        ));
        for plot in [
            "detection_rate",
            "hit_rate",
            "seizures_per_day",
            "interdiction_point",
            "detection_vs_inspection",
        ] {
            for ext in ["png", "svg"] {
                assert!(
                    out.join(format!("{plot}.{ext}")).exists(),
                    "{plot}.{ext} missing"
                );
            }
        }
    }
    assert_eq!(csvs[0], csvs[1]);
    let rows = text(&csvs[0].0).lines().count();
    assert_eq!(rows, 1 + 6 * 2, "one row per replication × strategy");
}

#[test]
fn an_interrupted_sweep_resumes_without_redoing_cells() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    let args = |o: &std::path::Path| {
        vec![
            "sweep".to_string(),
            scenario_path("tutorial.ron").display().to_string(),
            "--set".into(),
            "strategy=random,risk".into(),
            "--set".into(),
            "capacity_scale=0.5,1".into(),
            "--reps".into(),
            "3".into(),
            "--out".into(),
            o.display().to_string(),
        ]
    };
    let run = |o: &std::path::Path| {
        let a = args(o);
        let out = stce(&a.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    assert!(run(&out).contains("4 cells (0 already done, 4 run)"));
    let full = read(&out.join("cells.csv"));
    // Simulate an interruption in the middle of writing the last cell.
    let t = text(&full);
    let cut = t.trim_end().rfind('\n').unwrap() + 20;
    std::fs::write(out.join("cells.csv"), &t[..cut]).unwrap();
    let again = run(&out);
    assert!(again.contains("4 cells (3 already done, 1 run)"), "{again}");
    assert_eq!(
        read(&out.join("cells.csv")),
        full,
        "the resumed sweep reproduces the same cells"
    );
    let reps = text(&read(&out.join("replications.csv")));
    assert_eq!(
        reps.lines().count(),
        1 + 4 * 3,
        "no replication row duplicated"
    );
    // A different sweep in the same directory is refused.
    let other = stce(&[
        "sweep",
        scenario_path("tutorial.ron").to_str().unwrap(),
        "--set",
        "strategy=random",
        "--reps",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(other.status.code(), Some(2));
    assert!(text(&other.stderr).contains("different sweep"));
}
