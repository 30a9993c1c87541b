//! The issue-13 reproducers, one per class of field or input: numbers that used to wrap
//! or overflow are refused with their place, volumes that would not fit in memory are
//! refused with the figure, and the messages point at the right place.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// The tutorial with textual edits, written to `dir/name`.
fn edited(dir: &Path, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut t = std::fs::read_to_string(scenario_path("tutorial.ron")).unwrap();
    for (from, to) in edits {
        assert!(t.contains(from), "tutorial lacks {from}");
        t = t.replacen(from, to, 1);
    }
    let p = dir.join(name);
    std::fs::write(&p, t).unwrap();
    p
}

/// The tutorial with an operation whose platform and inject are given.
fn with_operation(dir: &Path, name: &str, platform: &str, inject: &str) -> PathBuf {
    let op = format!(
        "    operation: Operation(name: \"Op\", phases: [Phase(kind: Interdiction, start_day: 5, end_day: 20)],\n        platform: Platform({platform}),\n        injects: [{inject}]),\n)\n"
    );
    let t = std::fs::read_to_string(scenario_path("tutorial.ron")).unwrap();
    let end = t.rfind(')').unwrap();
    let p = dir.join(name);
    std::fs::write(&p, format!("{}{op}", &t[..end])).unwrap();
    p
}

/// `stce validate` fails with exit code 2, no panic, and every `wants` in its message.
fn refused(path: &Path, wants: &[&str]) -> String {
    let out = stce(&["validate", path.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}: {err}", path.display());
    assert!(!err.contains("panicked"), "{err}");
    for w in wants {
        assert!(err.contains(w), "expected {w:?} in:\n{err}");
    }
    err
}

/// `file:line:` of the first line of `path` containing `needle`.
fn place(path: &Path, needle: &str) -> String {
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let line = text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    format!("{}:{line}:", path.file_name().unwrap().to_string_lossy())
}

fn accepted(path: &Path) {
    let out = stce(&["validate", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn day_counts_that_would_wrap_are_refused_at_their_place() {
    let d = tempfile::tempdir().unwrap();
    let inj = |e: &str| format!("Inject(day: 10, event: {e})");
    for (name, platform, inject, wants) in [
        (
            "closure.ron",
            "latency_hours: 4.0".to_string(),
            inj("NodeClosure(node: \"MYPKG\", days: 4294967290)"),
            vec!["operation.injects[0].event.days", "use 1 to 28 days"],
        ),
        (
            "capacity.ron",
            "latency_hours: 4.0".to_string(),
            inj("CapacityChange(node: \"MYPKG\", factor: 2.0, days: 4294967295)"),
            vec![
                "operation.injects[0].event.days",
                "4294967295 days is out of range",
            ],
        ),
        (
            "alert.ron",
            "alert_days: 4294967295".to_string(),
            inj("Publicity"),
            vec!["operation.platform.alert_days", "use 1 to 3660 days"],
        ),
    ] {
        let p = with_operation(d.path(), name, &platform, &inject);
        let err = refused(&p, &wants);
        let line = std::fs::read_to_string(&p)
            .unwrap()
            .lines()
            .position(|l| l.contains("4294967"))
            .unwrap()
            + 1;
        assert!(err.contains(&format!("{name}:{line}:")), "{err}");
    }
    // A closure to the run's last day is valid and says what it does.
    let ok = with_operation(
        d.path(),
        "closure18.ron",
        "latency_hours: 4.0",
        &inj("NodeClosure(node: \"MYPKG\", days: 18)"),
    );
    accepted(&ok);
    let learning = edited(
        d.path(),
        "learning.ron",
        &[(
            "front_companies: 8,",
            "front_companies: 8, adaptation: Adaptation(learning_delay_days: 4294967295),",
        )],
    );
    refused(
        &learning,
        &[
            &place(&learning, "learning_delay_days"),
            "illicit[0].adaptation.learning_delay_days",
        ],
    );
}

#[test]
fn shares_and_real_numbers_out_of_their_domain_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let p = edited(
        d.path(),
        "adaptation.ron",
        &[(
            "front_companies: 8,",
            "front_companies: 8, adaptation: Adaptation(concealment_penalty: NaN, publicity_pause_share: 2.0),",
        )],
    );
    refused(
        &p,
        &[
            "illicit[0].adaptation.concealment_penalty: NaN is out of range",
            "illicit[0].adaptation.publicity_pause_share: 2 is out of range",
            "use a number from 0 to 1",
        ],
    );
    let p = edited(
        d.path(),
        "licensing.ron",
        &[(
            "licensing_response_hours: 72.0",
            "licensing_response_hours: 1e308",
        )],
    );
    refused(
        &p,
        &[&format!(
            "{}13: administrations[0].licensing_response_hours: 1e308 hours is out of range",
            place(&p, "1e308")
        )],
    );
    let p = edited(
        d.path(),
        "weekday.ron",
        &[(
            "declarations: 20000, ",
            "declarations: 20000, weekday_profile: (1e308, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308), ",
        )],
    );
    refused(
        &p,
        &["weekday_profile: weights above 1000 are out of range"],
    );
    let p = with_operation(
        d.path(),
        "phases.ron",
        "latency_hours: 4.0",
        "Inject(day: 1, event: Publicity)",
    );
    let t = std::fs::read_to_string(&p).unwrap().replace(
        "end_day: 20)]",
        "end_day: 20), Phase(kind: FollowUp, start_day: 10, end_day: 25), Phase(kind: Interdiction, start_day: 25, end_day: 27)]",
    );
    std::fs::write(&p, t).unwrap();
    refused(
        &p,
        &[
            "operation.phases[1]: days 10..25 overlap phases[0]",
            "operation.phases[2].kind: a second Interdiction phase",
        ],
    );
}

#[test]
fn populations_are_bounded_before_anything_is_allocated() {
    let d = tempfile::tempdir().unwrap();
    let p = edited(
        d.path(),
        "traders.ron",
        &[("per_country: 300", "per_country: 2147483648")],
    );
    refused(
        &p,
        &[
            "traders.per_country: 2147483648 traders is out of range",
            "use 1 to 1000000",
        ],
    );
    let p = edited(
        d.path(),
        "fronts.ron",
        &[("front_companies: 8,", "front_companies: 4000000000,")],
    );
    refused(
        &p,
        &["illicit[0].front_companies: 4000000000 front companies is out of range"],
    );
}

#[test]
fn a_run_that_would_not_fit_in_memory_is_refused_with_the_figure() {
    let tutorial = scenario_path("tutorial.ron");
    let out = stce(&[
        "run",
        tutorial.to_str().unwrap(),
        "--declarations",
        "4000000000",
        "--max-memory",
        "2G",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for w in [
        "would need about",
        "GiB",
        "--max-memory limit of 2.0 GiB",
        "lower --declarations to about",
    ] {
        assert!(err.contains(w), "expected {w:?} in {err}");
    }
    // Without a limit, the machine's available memory is the limit.
    let out = stce(&[
        "run",
        tutorial.to_str().unwrap(),
        "--declarations",
        "4000000000",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("MemAvailable"),
        "{}",
        text(&out.stderr)
    );
    let bad = stce(&["run", tutorial.to_str().unwrap(), "--max-memory", "lots"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn zero_replications_are_refused() {
    let tutorial = scenario_path("tutorial.ron");
    let t = tutorial.to_str().unwrap();
    for args in [
        vec!["run", t, "--reps", "0"],
        vec![
            "compare",
            t,
            "--strategy",
            "random",
            "--strategy",
            "risk",
            "--reps",
            "0",
        ],
        vec![
            "sweep",
            t,
            "--set",
            "capacity_scale=1",
            "--reps",
            "0",
            "--out",
            "/nonexistent/x",
        ],
    ] {
        let out = stce(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains("must be at least 1"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn encodings_list_syntax_and_long_lines_are_handled() {
    let d = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(scenario_path("tutorial.ron")).unwrap();
    // A UTF-8 byte-order mark, as Windows editors write it.
    let bom = d.path().join("bom.ron");
    std::fs::write(&bom, format!("\u{feff}{good}")).unwrap();
    accepted(&bom);
    // Latin-1 bytes: the place of the first bad byte.
    let latin = d.path().join("latin1.ron");
    let mut bytes = good.replacen("Tutorial", "Tutori\u{e9}l", 1).into_bytes();
    let at = bytes
        .windows(2)
        .position(|w| w == "\u{e9}".as_bytes())
        .unwrap();
    bytes.splice(at..at + 2, [0xE9]);
    std::fs::write(&latin, &bytes).unwrap();
    refused(
        &latin,
        &[
            &format!("{}18:", place(&latin, "Tutori")),
            &format!("byte {at} (0xE9) is not valid UTF-8"),
        ],
    );
    // The README's list syntax and the tuple syntax both read.
    for (name, profile) in [
        ("list.ron", "[1.1, 1.15, 1.15, 1.15, 1.1, 0.75, 0.6]"),
        ("tuple.ron", "(1.1, 1.15, 1.15, 1.15, 1.1, 0.75, 0.6)"),
    ] {
        let p = edited(
            d.path(),
            name,
            &[(
                "declarations: 20000, ",
                &format!("declarations: 20000, weekday_profile: {profile}, "),
            )],
        );
        accepted(&p);
    }
    let p = edited(
        d.path(),
        "six.ron",
        &[(
            "declarations: 20000, ",
            "declarations: 20000, weekday_profile: [1, 1, 1, 1, 1, 1], ",
        )],
    );
    refused(&p, &["seven numbers"]);
    // A deeply nested one-line file: the quoted line is cut around the column.
    let deep = d.path().join("deep.ron");
    std::fs::write(
        &deep,
        format!(
            "Scenario(name: \"x\", nodes: {}{})",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    )
    .unwrap();
    let err = refused(&deep, &["deep.ron:1:"]);
    assert!(err.len() < 1000, "{} bytes of message", err.len());
}

#[test]
fn an_error_in_a_later_list_item_points_at_that_item() {
    let d = tempfile::tempdir().unwrap();
    let p = edited(
        d.path(),
        "air.ron",
        &[(
            "Service(name: \"Straits feeder\", mode: Sea",
            "Service(name: \"Straits feeder\", mode: Air",
        )],
    );
    let line = std::fs::read_to_string(&p)
        .unwrap()
        .lines()
        .position(|l| l.contains("Straits feeder"))
        .unwrap()
        + 1;
    refused(
        &p,
        &[
            &format!("air.ron:{line}:"),
            "services[2].calls[0]: an Air service cannot call at Seaport \"SGSIN\"",
        ],
    );
}

#[test]
fn a_closed_pipe_ends_the_output_without_a_panic() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_stce"))
        .args([
            "validate",
            scenario_path("asean-cosmo.ron").to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
}
