//! `stce slurm`: the scripts it writes, run by bash as Slurm would run them (always), and
//! on a real single-node Slurm (started by `.ci/slurm-up`) a 4-task job array of sweep
//! shards and the dependent merge job; both results must equal the unsharded sweep byte
//! for byte. Without Slurm the second test says loudly that it skipped, except under CI,
//! where it fails.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::*;

/// Whether a Slurm controller answers; `None` with the reason when it does not.
fn slurm_missing() -> Option<String> {
    match Command::new("sinfo").args(["-h", "-o", "%t"]).output() {
        Err(e) => Some(format!("sinfo cannot run ({e})")),
        Ok(o) if !o.status.success() => Some(format!("sinfo failed: {}", text(&o.stderr).trim())),
        Ok(_) => None,
    }
}

#[test]
fn a_four_task_array_and_its_merge_equal_the_unsharded_sweep() {
    if let Some(why) = slurm_missing() {
        if std::env::var_os("CI").is_some() {
            panic!("CI must run the Slurm test, but {why}: .ci/run starts Slurm with .ci/slurm-up");
        }
        // Straight to standard error: the test harness would swallow eprintln! of a pass.
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED tests/slurm.rs: {why}. Start a single-node Slurm with `bash .ci/slurm-up` (as root) and run it again. ***\n"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let scenario = scenario_path("tutorial.ron");
    let sweep = [
        "sweep",
        scenario.to_str().unwrap(),
        "--set",
        "strategy=random,profiles,risk",
        "--set",
        "capacity_scale=0.5,1",
        "--reps",
        "4",
    ];

    let t = Instant::now();
    let full = unsharded(root, &sweep);
    let one_process = t.elapsed();

    // Relative --out: the scripts run in the directory `stce slurm` ran in.
    let mut args = vec!["slurm", "--shards", "4", "--cpus-per-task", "1"];
    args.extend(sweep);
    args.extend(["--out", "out/sweep"]);
    let out = Command::new(env!("CARGO_BIN_EXE_stce"))
        .args(&args)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("submit:") && said.contains("4 tasks"),
        "{said}"
    );
    let array = std::fs::read_to_string(root.join("out/sweep.slurm/array.sbatch")).unwrap();
    for line in [
        "#SBATCH --array=1-4",
        "#SBATCH --cpus-per-task=1",
        "#SBATCH --mem=",
    ] {
        assert!(array.contains(line), "array.sbatch lacks {line}:\n{array}");
    }

    let t = Instant::now();
    let submitted = Command::new("timeout")
        .args(["300", "bash", "out/sweep.slurm/submit.sh", "--wait"])
        .current_dir(root)
        .output()
        .unwrap();
    let array_time = t.elapsed();
    let logs = root.join("out/sweep.slurm/logs");
    let log_text = || {
        std::fs::read_dir(&logs)
            .map(|d| {
                d.map(|e| {
                    let p = e.unwrap().path();
                    format!(
                        "== {}\n{}",
                        p.display(),
                        std::fs::read_to_string(&p).unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
            })
            .unwrap_or_default()
    };
    assert!(
        submitted.status.success(),
        "submit.sh --wait: {}\n{}\n{}",
        text(&submitted.stdout),
        text(&submitted.stderr),
        log_text()
    );
    let merged = root.join("out/sweep");
    let (a, b) = (files(&full), files(&merged));
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>(),
        "{}",
        log_text()
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{name} of the Slurm merge differs from the unsharded sweep"
        );
    }
    assert!(a.iter().any(|f| f.0 == "cells.csv"));
    for k in 1..=4 {
        assert!(
            root.join(format!("out/sweep.shards/{k}/shard.json"))
                .exists()
        );
    }
    eprintln!(
        "slurm: 4-task array + merge {:.1} s (submission to merged result); one process {:.1} s",
        array_time.as_secs_f64(),
        one_process.as_secs_f64()
    );
}

#[test]
fn the_scripts_split_the_command_and_merge_as_slurm_would_run_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let scenario = scenario_path("tutorial.ron");
    // A path with brackets and a star must reach stce unexpanded by the shell.
    let sweep = [
        "sweep",
        scenario.to_str().unwrap(),
        "--set",
        "nodes[*].office.capacity_hours=10,30",
        "--reps",
        "3",
    ];
    let full = unsharded(root, &sweep);

    let slurm = |extra: &[&str]| {
        let mut args = vec!["slurm", "--cpus-per-task", "1", "--partition", "short"];
        args.extend(extra);
        args.extend(sweep);
        args.extend(["--out", "out/sweep"]);
        Command::new(env!("CARGO_BIN_EXE_stce"))
            .args(&args)
            .current_dir(root)
            .output()
            .unwrap()
    };
    let too_many = slurm(&["--shards", "7"]);
    assert!(!too_many.status.success());
    assert!(
        text(&too_many.stderr).contains("the job has 6 units"),
        "{}",
        text(&too_many.stderr)
    );
    let out = slurm(&["--shards", "4"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let scripts = root.join("out/sweep.slurm");
    let array = std::fs::read_to_string(scripts.join("array.sbatch")).unwrap();
    // 20,000 declarations, one run at a time: 128 MiB + 0.8 MB, rounded up to 64 MiB.
    for line in [
        "#SBATCH --array=1-4",
        "#SBATCH --mem=192M",
        "#SBATCH --partition=short",
        "'nodes[*].office.capacity_hours=10,30'",
        "--out out/sweep.shards/\"$k\" --shard \"$k/4\"",
    ] {
        assert!(array.contains(line), "array.sbatch lacks {line}:\n{array}");
    }
    assert!(!array.contains("--out out/sweep "), "{array}");

    // Bash runs the #SBATCH lines as comments: the tasks, one by one, then the merge.
    for k in 1..=4 {
        let task = Command::new("bash")
            .arg(scripts.join("array.sbatch"))
            .env("SLURM_ARRAY_TASK_ID", k.to_string())
            .current_dir(root)
            .output()
            .unwrap();
        assert!(task.status.success(), "task {k}: {}", text(&task.stderr));
    }
    let merge = Command::new("bash")
        .arg(scripts.join("merge.sbatch"))
        .current_dir(root)
        .output()
        .unwrap();
    assert!(merge.status.success(), "merge: {}", text(&merge.stderr));
    let (a, b) = (files(&full), files(&root.join("out/sweep")));
    assert!(a.iter().any(|f| f.0 == "cells.csv"));
    assert!(a == b, "the merged sweep differs from the unsharded one");
}

/// Run `args` on one machine in `root` with `--out out/sweep`, as the merge job will
/// write (the provenance names the command line, `--out` included), and move the folder
/// to `root/full`.
fn unsharded(root: &Path, args: &[&str]) -> PathBuf {
    let out = Command::new(env!("CARGO_BIN_EXE_stce"))
        .args(args)
        .args(["--out", "out/sweep"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let full = root.join("full");
    std::fs::rename(root.join("out/sweep"), &full).unwrap();
    full
}
