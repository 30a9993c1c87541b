//! Output folders are written as sets: a real `stce` process aborted at each of its
//! writes (a failpoint, as a kill -9 would stop it) leaves the previous set whole, and
//! the next run removes what the killed one left behind.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use stce::report::io::{MANIFEST, verify};

fn stce_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stce"));
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("stce runs")
}

/// Every entry of `dir`'s parent and of `dir`, names only, sorted.
fn listing(parent: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(parent).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_dir() {
            for f in std::fs::read_dir(e.path()).unwrap().flatten() {
                v.push(format!("{name}/{}", f.file_name().to_string_lossy()));
            }
        }
        v.push(name);
    }
    v.sort();
    v
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                read(&e.path()),
            )
        })
        .collect();
    v.sort();
    v
}

/// Abort `args` (which write into `out`) at every write, after a first run with
/// `first_seed` made a complete set there; the folder must stay that set each time.
fn killed_at_each_write(args: &[&str], out: &Path, names: &[&str]) {
    let tutorial = scenario_path("tutorial.ron");
    let base: Vec<&str> = [args[0], tutorial.to_str().unwrap()]
        .into_iter()
        .chain(args[1..].iter().copied())
        .chain(["--out", out.to_str().unwrap()])
        .collect();
    let first = stce_env(&[&base[..], &["--seed", "1"]].concat(), &[]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let before = snapshot(out);
    let m = verify(out).unwrap_or_else(|e| panic!("{e}"));
    for n in names {
        assert!(m.files.contains_key(*n), "{n} not in the manifest: {m:?}");
    }
    let points: Vec<String> = names
        .iter()
        .map(|n| format!("after-write:{n}"))
        .chain([
            format!("after-write:{MANIFEST}"),
            format!("before-publish:{MANIFEST}"),
        ])
        .collect();
    for point in &points {
        let killed = stce_env(
            &[&base[..], &["--seed", "2"]].concat(),
            &[("STCE_FAILPOINT", point)],
        );
        assert!(
            !killed.status.success(),
            "{point}: the failpoint did not fire"
        );
        assert_eq!(snapshot(out), before, "{point}: the previous set changed");
        verify(out).unwrap_or_else(|e| panic!("{point}: {e}"));
    }
    // The next run replaces the set whole and removes the killed runs' leftovers.
    let parent = out.parent().unwrap();
    let next = stce_env(&[&base[..], &["--seed", "2"]].concat(), &[]);
    assert!(next.status.success(), "{}", text(&next.stderr));
    assert_ne!(
        snapshot(out),
        before,
        "seed 2 wrote the same bytes as seed 1"
    );
    verify(out).unwrap();
    let left: Vec<String> = listing(parent)
        .into_iter()
        .filter(|n| n.starts_with('.') || n.contains("/."))
        .collect();
    assert!(left.is_empty(), "leftovers of killed runs: {left:?}");
}

#[test]
fn run_killed_at_each_write_keeps_the_previous_set() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    killed_at_each_write(
        &["run", "--declarations", "3000"],
        &out,
        &[
            "metrics.json",
            "offices.csv",
            "seizures.csv",
            "seizures.json",
            // The companions land in the same commit as the results.
            "world.json",
            "offices.schema.json",
        ],
    );
}

#[test]
fn replications_killed_at_each_write_keep_the_previous_set() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("reps");
    killed_at_each_write(
        &["run", "--declarations", "2000", "--reps", "2"],
        &out,
        &[
            "replications.csv",
            "summary.json",
            "world.json",
            "replications.schema.json",
        ],
    );
}

#[test]
fn compare_killed_at_each_write_keeps_the_previous_set() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    killed_at_each_write(
        &[
            "compare",
            "--strategy",
            "random",
            "--strategy",
            "risk",
            "--reps",
            "2",
            "--declarations",
            "2000",
        ],
        &out,
        &[
            "replications.csv",
            "summary.json",
            "world.json",
            "replications.schema.json",
        ],
    );
}

#[test]
fn a_folder_with_files_of_its_own_is_never_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mine");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "my notes").unwrap();
    std::fs::write(out.join("mine.json"), "[1]").unwrap();
    std::fs::write(out.join("mine.csv"), "a\n1\n").unwrap();
    let r = run_tutorial_into(&out, 2000);
    assert!(r.status.success(), "{}", text(&r.stderr));
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "my notes"
    );
    // The companions are written with the set, so the user's files are neither
    // stamped, described by a schema nor listed.
    assert_eq!(
        std::fs::read_to_string(out.join("mine.json")).unwrap(),
        "[1]"
    );
    assert!(!out.join("mine.schema.json").exists());
    let m = verify(&out).unwrap();
    assert!(m.files.contains_key("metrics.json"));
    assert!(m.files.contains_key("world.json"));
    for own in ["notes.txt", "mine.json", "mine.csv"] {
        assert!(!m.files.contains_key(own), "{own}");
    }
    // A changed file no longer matches the manifest.
    std::fs::write(out.join("offices.csv"), "edited").unwrap();
    let err = verify(&out).unwrap_err();
    assert!(
        err.contains("offices.csv") && err.contains("SHA-256"),
        "{err}"
    );
}
