//! The `stce run` command end to end: the files it writes, their metric names, and
//! byte-identical output for the same seed.

mod common;

use common::*;

#[test]
fn run_writes_the_three_files_with_the_metric_names() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = stce(&[
        "run",
        scenario_path("asean-cosmo.ron").to_str().unwrap(),
        "--declarations",
        "30000",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    for w in ["Detection rate", "Hit rate", "Lift over random", "SGSIN"] {
        assert!(summary.contains(w), "summary lacks {w}:\n{summary}");
    }
    let m: serde_json::Value =
        serde_json::from_slice(&read(&out_dir.join("metrics.json"))).unwrap();
    for key in [
        "detection_rate",
        "hit_rate",
        "inspection_rate",
        "lift_over_random",
        "interdiction_point",
        "licit_dwell_hours",
        "officer_hours",
        "shipments",
    ] {
        assert!(m.get(key).is_some(), "metrics.json lacks {key}");
    }
    assert!(m["detection_rate"]["overall"].is_f64());
    for k in ["export", "transit", "import"] {
        assert!(
            m["interdiction_point"][k].is_f64(),
            "interdiction_point.{k}"
        );
    }
    let sh = &m["shipments"];
    let n = |k: &str| sh[k].as_u64().unwrap();
    // Requested 30,000; illicit shipments of a network that pauses after the
    // operation's publicity are never sent.
    assert!(
        (29_800..=30_000).contains(&n("generated")),
        "{}",
        n("generated")
    );
    assert_eq!(
        n("generated"),
        n("delivered") + n("seized") + n("in_transit")
    );
    let offices = text(&read(&out_dir.join("offices.csv")));
    assert_eq!(offices.lines().count(), 31, "header + 30 offices");
    let seizures = text(&read(&out_dir.join("seizures.csv")));
    assert_eq!(
        seizures.lines().count() as u64 - 1,
        n("seized"),
        "one row per seizure"
    );
    assert!(seizures.starts_with("shipment,day,date,country,office"));
    let leftovers: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn same_seed_gives_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let files = ["metrics.json", "offices.csv", "seizures.csv"];
    let mut outputs = Vec::new();
    // The same command twice (metrics.json records the command line, --out included).
    for _ in 0..2 {
        let d = dir.path().join("run");
        let out = stce(&[
            "run",
            scenario_path("tutorial.ron").to_str().unwrap(),
            "--seed",
            "4",
            "--out",
            d.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        outputs.push(files.map(|f| read(&d.join(f))));
    }
    for (i, f) in files.iter().enumerate() {
        assert_eq!(
            outputs[0][i], outputs[1][i],
            "{f} differs between identical runs"
        );
    }
}

#[test]
fn unknown_strategy_override_is_an_error() {
    let out = stce(&[
        "run",
        scenario_path("tutorial.ron").to_str().unwrap(),
        "--strategy",
        "nope",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("unknown strategy \"nope\"") && err.contains("random"),
        "{err}"
    );
}
