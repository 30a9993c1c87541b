//! A sweep is tied to its scenario's content and its grid: a changed scenario is not
//! resumed, a bad `--set` writes nothing, the same sweep named another way resumes, and
//! an axis can gain values without redoing the cells it had.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;

fn sweep_in(cwd: &Path, scenario: &str, sets: &[&str], out: &str, extra: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stce"));
    c.current_dir(cwd).arg("sweep").arg(scenario);
    for s in sets {
        c.arg("--set").arg(s);
    }
    c.args(["--reps", "2", "--out", out]).args(extra);
    c.output().expect("stce runs")
}

fn tutorial_copy(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("scenario.ron");
    std::fs::copy(scenario_path("tutorial.ron"), &p).unwrap();
    p
}

const SMALL: &str = "declarations=1500";

#[test]
fn a_changed_scenario_is_not_resumed_and_force_keeps_the_old_results() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = tutorial_copy(tmp.path());
    let sets = [SMALL, "capacity_scale=0.5,1"];
    let first = sweep_in(tmp.path(), "scenario.ron", &sets, "sw", &[]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    // A comment or layout change is not a change of scenario.
    let t = std::fs::read_to_string(&sc).unwrap();
    std::fs::write(&sc, format!("// edited\n{t}")).unwrap();
    let same = sweep_in(tmp.path(), "scenario.ron", &sets, "sw", &[]);
    assert!(
        text(&same.stdout).contains("(2 already done, 0 run)"),
        "{}",
        text(&same.stderr)
    );
    // A value is.
    std::fs::write(&sc, t.replace("per_country: 300", "per_country: 250")).unwrap();
    let changed = sweep_in(tmp.path(), "scenario.ron", &sets, "sw", &[]);
    assert_eq!(changed.status.code(), Some(2));
    let err = text(&changed.stderr);
    assert!(
        err.contains("scenario changed") && err.contains("traders"),
        "{err}"
    );
    let forced = sweep_in(tmp.path(), "scenario.ron", &sets, "sw", &["--force"]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert!(text(&forced.stdout).contains("(0 already done, 2 run)"));
    assert!(
        tmp.path()
            .join("sw.superseded-1")
            .join("cells.csv")
            .is_file()
    );
}

#[test]
fn bad_sets_are_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    tutorial_copy(tmp.path());
    for (sets, want) in [
        (
            vec!["declarations=1000,2000", "declarations=3000"],
            "set twice",
        ),
        (vec!["declarations=1000\n2000"], "control characters"),
        (vec!["declarations=1000,1000"], "given twice"),
        (vec!["nodes[x].trade_weight=1"], "bad index"),
        (vec!["no_such_field=1"], "no such field"),
        (vec!["traders.per_country=0"], "per_country"),
    ] {
        let r = sweep_in(tmp.path(), "scenario.ron", &sets, "sw", &[]);
        assert_eq!(r.status.code(), Some(2), "{sets:?}");
        let err = text(&r.stderr);
        assert!(err.contains(want), "{sets:?}: {err}");
        assert!(!tmp.path().join("sw").exists(), "{sets:?} wrote {err}");
    }
    // The corrected command then runs.
    let ok = sweep_in(tmp.path(), "scenario.ron", &[SMALL], "sw", &[]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
}

#[test]
fn the_same_sweep_by_another_path_resumes_and_an_axis_can_grow() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = tutorial_copy(tmp.path());
    let abs_out = tmp.path().join("sw");
    let r = sweep_in(
        tmp.path(),
        "scenario.ron",
        &[SMALL, "capacity_scale=0.5,1"],
        "sw",
        &[],
    );
    assert!(r.status.success(), "{}", text(&r.stderr));
    let cells = read(&abs_out.join("cells.csv"));
    let again = sweep_in(
        Path::new("/"),
        sc.to_str().unwrap(),
        &[SMALL, "capacity_scale=0.50,1.0"],
        abs_out.to_str().unwrap(),
        &[],
    );
    assert!(
        text(&again.stdout).contains("(2 already done, 0 run)"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(read(&abs_out.join("cells.csv")), cells);
    let grown = sweep_in(
        tmp.path(),
        "scenario.ron",
        &[SMALL, "capacity_scale=0.5,1,2"],
        "sw",
        &[],
    );
    let out = text(&grown.stdout);
    assert!(
        out.contains("3 cells (2 already done, 1 run)"),
        "{out}{}",
        text(&grown.stderr)
    );
    let t = text(&read(&abs_out.join("cells.csv")));
    assert!(
        t.starts_with(&text(&cells)),
        "the cells it had are kept as they were"
    );
    assert_eq!(t.lines().count(), 4);
    // Dropping a value is a different sweep.
    let shrunk = sweep_in(
        tmp.path(),
        "scenario.ron",
        &[SMALL, "capacity_scale=0.5"],
        "sw",
        &[],
    );
    assert_eq!(shrunk.status.code(), Some(2));
    assert!(text(&shrunk.stderr).contains("different sweep"));
}
