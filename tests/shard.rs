//! Shards and merge through the binary: shards 1/3, 2/3 and 3/3 of a sweep, a strategy
//! comparison and `run --reps --baseline`, merged, give exactly the files one process
//! writes (plots included); folders that are not slices of one job are refused with a
//! message saying what differs.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn ok(args: &[&str]) -> String {
    let out = stce(args);
    assert!(
        out.status.success(),
        "stce {}\n{}",
        args.join(" "),
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn refused(args: &[&str]) -> String {
    let out = stce(args);
    assert!(!out.status.success(), "stce {} succeeded", args.join(" "));
    text(&out.stderr)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Run `args` unsharded into `root/merged`, then move that folder to `root/full`; run
/// shards k/n into `root/shard-k`; merge them (given in reverse order) into
/// `root/merged`; return both folders. The unsharded run writes where the merge does
/// because its provenance names its `--out`, as the merged folder's names the merge's.
fn full_and_merged(root: &Path, args: &[&str], n: usize) -> (PathBuf, PathBuf) {
    let full = root.join("full");
    let merged = root.join("merged");
    let mut a = args.to_vec();
    a.extend(["--out", s(&merged)]);
    ok(&a);
    std::fs::rename(&merged, &full).unwrap();
    let mut shards = Vec::new();
    for k in 1..=n {
        let dir = root.join(format!("shard-{k}"));
        let slice = format!("{k}/{n}");
        let mut a = args.to_vec();
        a.extend(["--out", s(&dir), "--shard", &slice]);
        let said = ok(&a);
        assert!(said.contains(&format!("shard {slice}")), "{said}");
        shards.push(dir);
    }
    let mut m = vec!["merge"];
    m.extend(shards.iter().rev().map(|d| s(d)));
    m.extend(["--out", s(&merged)]);
    ok(&m);
    (full, merged)
}

fn assert_same_files(full: &Path, merged: &Path, expected: &[&str]) {
    let (a, b) = (files(full), files(merged));
    for name in expected {
        assert!(
            a.iter().any(|f| f.0 == *name),
            "the unsharded run wrote no {name}"
        );
    }
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>(),
        "merged folder has other files"
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs after merge");
    }
}

/// The tutorial's 2 × 2 sweep with `--reps 3`, or with `extra` arguments.
fn sweep_args<'a>(scenario: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "sweep",
        s(scenario),
        "--set",
        "strategy=random,risk",
        "--set",
        "capacity_scale=0.5,1",
    ];
    a.extend(extra);
    if !extra.contains(&"--reps") {
        a.extend(["--reps", "3"]);
    }
    a
}

#[test]
fn a_sweep_in_three_shards_merges_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenario_path("tutorial.ron");
    let (full, merged) = full_and_merged(dir.path(), &sweep_args(&scenario, &[]), 3);
    assert_same_files(
        &full,
        &merged,
        &[
            "sweep.json",
            "cells.csv",
            "replications.csv",
            "detection_vs_inspection.png",
            "detection_vs_inspection.svg",
            "world.json",
            "cells.schema.json",
        ],
    );
    // 4 cells × 3 replications, one header: the merge is not vacuous.
    let reps = text(&read(&merged.join("replications.csv")));
    assert_eq!(reps.lines().count(), 13, "{reps}");

    // A shard folder does not depend on the number of threads.
    let one_thread = dir.path().join("shard-2-one-thread");
    let mut a = sweep_args(&scenario, &[]);
    a.extend(["--out", s(&one_thread), "--shard", "2/3"]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stce"))
        .args(&a)
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(files(&one_thread) == files(&dir.path().join("shard-2")));
}

#[test]
fn a_comparison_and_replications_with_baseline_merge_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let asean = scenario_path("asean-cosmo.ron");
    let compare = [
        "compare",
        s(&asean),
        "--declarations",
        "20000",
        "--strategy",
        "random",
        "--strategy",
        "risk-score",
        "--reps",
        "4",
    ];
    let (full, merged) = full_and_merged(&dir.path().join("compare"), &compare, 3);
    assert_same_files(
        &full,
        &merged,
        &[
            "replications.csv",
            "summary.json",
            "detection_rate.png",
            "offices.csv",
            "world.json",
        ],
    );
    // Without the operation: the flag travels with the shards.
    let mut no_op = compare[..compare.len() - 2].to_vec();
    no_op.extend(["--reps", "2", "--no-operation"]);
    let (full, merged) = full_and_merged(&dir.path().join("no-operation"), &no_op, 2);
    assert_same_files(&full, &merged, &["replications.csv", "summary.json"]);
    let run = [
        "run",
        s(&asean),
        "--declarations",
        "20000",
        "--reps",
        "5",
        "--baseline",
    ];
    let (full, merged) = full_and_merged(&dir.path().join("run"), &run, 3);
    assert_same_files(
        &full,
        &merged,
        &[
            "replications.csv",
            "summary.json",
            "offices.csv",
            "world.json",
        ],
    );
    // The per-office results travel with the shards: every replication's rows.
    let offices = text(&read(&merged.join("offices.csv")));
    assert!(offices.lines().count() > 10, "{offices}");
    let summary: serde_json::Value =
        serde_json::from_slice(&read(&merged.join("summary.json"))).unwrap();
    assert_eq!(summary["replications"], 5);
    assert!(summary["operation_effect"]["detection_rate"]["n"] == 5);
}

/// Shard `k/n` of the tutorial sweep with `extra` arguments into `dir`.
fn sweep_shard(scenario: &Path, dir: &Path, slice: &str, extra: &[&str]) {
    let mut a = sweep_args(scenario, extra);
    a.extend(["--out", s(dir), "--shard", slice]);
    ok(&a);
}

fn merge_of(dirs: &[&Path], out: &Path) -> String {
    let mut m = vec!["merge"];
    m.extend(dirs.iter().map(|d| s(d)));
    m.extend(["--out", s(out)]);
    refused(&m)
}

#[test]
fn merge_refuses_folders_that_are_not_slices_of_one_job() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name);
    let tutorial = d("tutorial.ron");
    std::fs::copy(scenario_path("tutorial.ron"), &tutorial).unwrap();
    let other = d("other.ron");
    std::fs::copy(scenario_path("tutorial.ron"), &other).unwrap();

    sweep_shard(&tutorial, &d("a1"), "1/2", &[]);
    sweep_shard(&tutorial, &d("a2"), "2/2", &[]);
    let out = d("merged");

    // Another scenario file.
    sweep_shard(&other, &d("b2"), "2/2", &[]);
    let e = merge_of(&[&d("a1"), &d("b2")], &out);
    assert!(
        e.contains("is a shard of scenario") && e.contains("other.ron"),
        "{e}"
    );

    // The same path, but the file changed between shards.
    let text = std::fs::read_to_string(&tutorial).unwrap();
    std::fs::write(&tutorial, format!("{text}\n// edited\n")).unwrap();
    sweep_shard(&tutorial, &d("c2"), "2/2", &[]);
    let e = merge_of(&[&d("a1"), &d("c2")], &out);
    assert!(e.contains("different contents of"), "{e}");
    std::fs::write(&tutorial, &text).unwrap();

    // Another grid, seed, number of replications or number of shards.
    sweep_shard(
        &tutorial,
        &d("g2"),
        "2/2",
        &["--set", "declarations=1000,2000"],
    );
    let e = merge_of(&[&d("a1"), &d("g2")], &out);
    assert!(
        e.contains("is a shard of a sweep over") && e.contains("declarations=1000,2000"),
        "{e}"
    );
    sweep_shard(&tutorial, &d("s2"), "2/2", &["--seed", "99"]);
    let e = merge_of(&[&d("a1"), &d("s2")], &out);
    assert!(e.contains("base seed 99"), "{e}");
    sweep_shard(&tutorial, &d("r2"), "2/2", &["--reps", "4"]);
    let e = merge_of(&[&d("a1"), &d("r2")], &out);
    assert!(e.contains("3 replications") && e.contains(" 4"), "{e}");
    sweep_shard(&tutorial, &d("n3"), "2/3", &[]);
    let e = merge_of(&[&d("a1"), &d("n3")], &out);
    assert!(
        e.contains("shard 2/3") && e.contains("split in two different ways"),
        "{e}"
    );

    // Missing and duplicate shards, a folder that is no shard, an unfinished shard.
    let e = merge_of(&[&d("a1")], &out);
    assert!(e.contains("shard 2/2 missing"), "{e}");
    let e = merge_of(&[&d("a1"), &d("a1"), &d("a2")], &out);
    assert!(e.contains("shard 1/2 given twice"), "{e}");
    std::fs::create_dir(d("empty")).unwrap();
    let e = merge_of(&[&d("a1"), &d("empty")], &out);
    assert!(e.contains("not a finished shard folder"), "{e}");
    let units = d("a2").join("units.ron");
    let full = std::fs::read_to_string(&units).unwrap();
    let first_line = full.lines().next().unwrap();
    std::fs::write(&units, format!("{first_line}\n")).unwrap();
    let e = merge_of(&[&d("a1"), &d("a2")], &out);
    assert!(e.contains("incomplete"), "{e}");
    std::fs::write(&units, &full).unwrap();

    // Nothing was written by the refused merges; a good one succeeds, once.
    assert!(!out.exists());
    ok(&["merge", s(&d("a2")), s(&d("a1")), "--out", s(&out)]);
    let e = merge_of(&[&d("a1"), &d("a2")], &out);
    assert!(e.contains("is not empty"), "{e}");

    // Equal effort calibrates over all replications together: no shards.
    let e = refused(&[
        "compare",
        s(&tutorial),
        "--strategy",
        "random",
        "--strategy",
        "risk",
        "--equal-effort",
        "--out",
        s(&d("ee")),
        "--shard",
        "1/2",
    ]);
    assert!(
        e.contains("--equal-effort") && e.contains("cannot be split"),
        "{e}"
    );

    // A shard folder is not reused for another shard, nor written into a result folder.
    let a1 = d("a1");
    let mut a = sweep_args(&tutorial, &[]);
    a.extend(["--out", s(&a1), "--shard", "2/2"]);
    assert!(refused(&a).contains("holds another shard"));
    let mut a = sweep_args(&tutorial, &[]);
    a.extend(["--out", s(&out), "--shard", "2/2"]);
    let e = refused(&a);
    assert!(e.contains("not a shard"), "{e}");
}
