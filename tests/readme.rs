//! The README's examples work: every `stce …` command in its code blocks (and `cargo run
//! --release -- …`), and every complete `stce …` command quoted inline, runs and exits
//! 0, in the README's order, in a scratch directory where `scenarios/` is the project's.
//! Volumes are scaled down so the test stays quick (at most 20,000 declarations and 2
//! replications per run); the commands are otherwise exactly as written.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// Words that mark a synopsis (`stce run SCENARIO [--seed N]`), not a runnable example.
const PLACEHOLDERS: &[&str] = &[
    "SCENARIO", "DIR", "NAME", "PATH", "QUERY", "COMMAND", "FILE", "A,B,C", "[", "…", "...", "<",
    "|", " N",
];

/// The runnable commands of the README, in order, as argument lists for `stce`.
fn readme_commands(readme: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut in_block = false;
    // a shell line continued with `\` is one command
    let mut joined: Vec<String> = Vec::new();
    let mut pending = String::new();
    for line in readme.lines() {
        if let Some(head) = line.trim_end().strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        joined.push(std::mem::take(&mut pending) + line);
    }
    for line in &joined {
        let t = line.trim();
        if t.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        let mut candidates: Vec<String> = Vec::new();
        if in_block {
            let t = t.strip_prefix("$ ").unwrap_or(t);
            if let Some(rest) = t.strip_prefix("cargo run --release -- ") {
                candidates.push(format!("stce {rest}"));
            } else if t.starts_with("stce ") {
                candidates.push(t.to_string());
            }
        } else {
            // inline: a whole command, not an option named in prose (`stce run --events`)
            for (i, part) in line.split('`').enumerate() {
                let positional = part
                    .split_whitespace()
                    .nth(2)
                    .is_some_and(|a| !a.starts_with('-'));
                if i % 2 == 1 && part.starts_with("stce ") && positional {
                    candidates.push(part.to_string());
                }
            }
        }
        for c in candidates {
            let c = c.split(" #").next().unwrap_or("").trim().to_string();
            for piece in c.split("&&") {
                let piece = piece.split('>').next().unwrap_or("").trim();
                if piece.is_empty() || PLACEHOLDERS.iter().any(|p| piece.contains(p)) {
                    continue;
                }
                let args: Vec<String> = piece
                    .split_whitespace()
                    .skip(1)
                    .map(|a| a.trim_matches('\'').to_string())
                    .collect();
                // `stce run` alone names the command in prose
                if args.len() >= 2 {
                    out.push(args);
                }
            }
        }
    }
    out
}

/// At most 20,000 declarations and 2 replications.
fn scaled(mut args: Vec<String>) -> Vec<String> {
    let simulates = matches!(args[0].as_str(), "run" | "compare" | "sweep");
    let mut has_declarations = false;
    for i in 1..args.len() {
        let cap = match args[i - 1].as_str() {
            "--declarations" => {
                has_declarations = true;
                20_000
            }
            "--reps" => 2,
            // Two replications leave fewer units than a cluster example's shards.
            "--shards" => 2,
            _ => continue,
        };
        if let Ok(n) = args[i].parse::<u64>() {
            args[i] = n.min(cap).to_string();
        }
    }
    if simulates && !has_declarations {
        if args[0] == "sweep" {
            args.extend(["--set".into(), "declarations=20000".into()]);
        } else {
            args.extend(["--declarations".into(), "20000".into()]);
        }
    }
    args
}

#[test]
fn every_command_in_the_readme_runs() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let commands = readme_commands(&readme);
    let names: Vec<&str> = commands.iter().map(|c| c[0].as_str()).collect();
    for must in [
        "run", "compare", "sweep", "report", "list", "new", "validate",
    ] {
        assert!(
            names.contains(&must),
            "the README shows no runnable `stce {must}`: {names:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    for d in ["scenarios", "examples"] {
        if repo().join(d).exists() {
            std::os::unix::fs::symlink(repo().join(d), dir.path().join(d)).unwrap();
        }
    }
    for args in commands {
        // `stce exercise` serves a class until stopped, and its --replay and --debrief
        // read the state file a served class leaves: tests/exercise.rs and
        // tests/exercise_console.rs run those on a real server.
        if args[0] == "exercise" {
            continue;
        }
        let args = scaled(args);
        let out = Command::new(env!("CARGO_BIN_EXE_stce"))
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "README command `stce {}` failed:\n{}",
            args.join(" "),
            text(&out.stderr)
        );
    }
    assert!(Path::new(&dir.path().join("out/asean/report.html")).exists());
}

#[test]
fn synopses_are_not_taken_for_examples() {
    let cmds = readme_commands(
        "| `stce run SCENARIO [--seed N]` | x |\n`stce list ports singapore`\n```sh\nstce run a.ron --reps 50 > /dev/null && stce report out # note\n```\n",
    );
    assert_eq!(
        cmds,
        vec![
            vec!["list", "ports", "singapore"],
            vec!["run", "a.ron", "--reps", "50"],
            vec!["report", "out"],
        ]
    );
    assert_eq!(
        scaled(vec![
            "run".into(),
            "a.ron".into(),
            "--reps".into(),
            "50".into()
        ]),
        vec!["run", "a.ron", "--reps", "2", "--declarations", "20000"]
    );
}
