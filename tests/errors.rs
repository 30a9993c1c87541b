//! Broken scenarios get a clear error, never a panic: `stce validate` names the file,
//! line, column and field and says what would be valid.

mod common;

use common::*;

/// Break the tutorial by replacing the first occurrence of `from` with `to`; return the
/// file and the 1-based line of the change.
fn broken(dir: &std::path::Path, name: &str, from: &str, to: &str) -> (std::path::PathBuf, usize) {
    let good = std::fs::read_to_string(scenario_path("tutorial.ron")).unwrap();
    let at = good
        .find(from)
        .unwrap_or_else(|| panic!("{from} not in tutorial"));
    let line = good[..at].matches('\n').count() + 1;
    let bad = format!("{}{}{}", &good[..at], to, &good[at + from.len()..]);
    let path = dir.join(name);
    std::fs::write(&path, bad).unwrap();
    (path, line)
}

fn expect_error(name: &str, from: &str, to: &str, wants: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let (path, line) = broken(dir.path(), name, from, to);
    let out = stce(&["validate", path.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{name}: accepted a broken scenario");
    assert_eq!(out.status.code(), Some(2), "{name}: {err}");
    assert!(!err.contains("panicked"), "{name} panicked: {err}");
    let place = format!("{}:{line}:", path.display());
    assert!(err.contains(&place), "{name}: expected {place} in:\n{err}");
    for w in wants {
        assert!(err.contains(w), "{name}: expected {w:?} in:\n{err}");
    }
}

#[test]
fn misspelt_field_suggests_the_right_name() {
    expect_error(
        "typo.ron",
        "trained_officer_share: 0.3",
        "trained_oficer_share: 0.3",
        &[
            "trained_oficer_share",
            "did you mean `trained_officer_share`",
        ],
    );
}

#[test]
fn wrong_type_is_reported() {
    expect_error(
        "type.ron",
        "days: 28",
        "days: \"28\"",
        &["Expected", "integer"],
    );
}

#[test]
fn unknown_port_code_suggests_the_nearest() {
    expect_error(
        "port.ron",
        "Node(code: \"MYPKG\"",
        "Node(code: \"MYPKX\"",
        &[
            "nodes[2].code",
            "unknown port code \"MYPKX\"",
            "did you mean \"MYPKG\"",
        ],
    );
}

#[test]
fn negative_capacity_is_out_of_range() {
    expect_error(
        "capacity.ron",
        "capacity_hours: 40.0",
        "capacity_hours: -5.0",
        &[
            "nodes[0].office.capacity_hours",
            "-5 is out of range",
            "at least 0",
        ],
    );
}

#[test]
fn empty_route_is_rejected() {
    expect_error(
        "route.ron",
        "calls: [\"CNSHA\", \"SGSIN\"]",
        "calls: []",
        &["services[1].calls", "at least two"],
    );
}

#[test]
fn unknown_strategy_name_suggests_the_defined_ones() {
    expect_error(
        "strategy.ron",
        "strategy: \"risk\", roles",
        "strategy: \"rsk\", roles",
        &["unknown strategy \"rsk\"", "did you mean \"risk\""],
    );
}

#[test]
fn unknown_country_code() {
    expect_error(
        "country.ron",
        "Administration(country: \"MYS\"",
        "Administration(country: \"MYX\"",
        &["administrations[2].country", "unknown country code \"MYX\""],
    );
}

#[test]
fn hs_code_not_in_the_nomenclature() {
    expect_error(
        "hs.ron",
        "hs: \"847130\"",
        "hs: \"847199\"",
        &["commodities[0].hs", "not in the HS 2022 nomenclature"],
    );
}

#[test]
fn impossible_date() {
    expect_error(
        "date.ron",
        "start_date: \"2020-02-01\"",
        "start_date: \"2020-02-30\"",
        &["start_date", "YYYY-MM-DD"],
    );
}

#[test]
fn illicit_share_out_of_range() {
    expect_error(
        "share.ron",
        "share: 0.01,",
        "share: 1.5,",
        &["illicit[0].share", "out of range"],
    );
}

#[test]
fn unknown_enum_variant_lists_the_valid_ones() {
    expect_error(
        "mode.ron",
        "mode: Sea",
        "mode: Ship",
        &["Ship", "Sea", "Air"],
    );
}

#[test]
fn unknown_cas_number() {
    expect_error(
        "cas.ron",
        "cas: \"102-71-6\"",
        "cas: \"102-71-7\"",
        &["commodities[6].cas", "102-71-7"],
    );
}

#[test]
fn tick_that_does_not_divide_a_day() {
    expect_error(
        "tick.ron",
        "tick_hours: 24",
        "tick_hours: 5",
        &["tick_hours", "does not divide a day"],
    );
}

#[test]
fn service_calling_at_an_undefined_node() {
    expect_error(
        "call.ron",
        "calls: [\"SGSIN\", \"MYPKG\"]",
        "calls: [\"SGSIN\", \"MYPKGG\"]",
        &[
            "services[2].calls[1]",
            "unknown node \"MYPKGG\"",
            "did you mean \"MYPKG\"",
        ],
    );
}

#[test]
fn syntax_error_points_at_the_place() {
    expect_error(
        "syntax.ron",
        "days: 28,",
        "days: 28,,",
        &["Expected identifier", ":15:14:"],
    );
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = stce(&["validate", "/nonexistent/scenario.ron"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("/nonexistent/scenario.ron") && err.contains("cannot read"),
        "{err}"
    );
}

#[test]
fn shipped_scenarios_validate() {
    for s in ["tutorial.ron", "asean-cosmo.ron", "cosmo2-global.ron"] {
        let out = stce(&["validate", scenario_path(s).to_str().unwrap()]);
        assert!(out.status.success(), "{s}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("ok"));
    }
}

#[test]
fn inject_naming_an_unknown_service_suggests_the_nearest() {
    expect_error(
        "inject.ron",
        "    illicit: [",
        r#"    operation: Some(Operation(name: "x", phases: [Phase(kind: Interdiction, start_day: 0, end_day: 28)], injects: [Inject(day: 3, event: NewService(service: "Straits fedder"))])),
    illicit: ["#,
        &["operation.injects[0].event.service", "Straits feeder"],
    );
}

#[test]
fn declarations_override_out_of_range_is_an_error() {
    for n in ["0", "5000000000"] {
        let out = stce(&[
            "run",
            scenario_path("tutorial.ron").to_str().unwrap(),
            "--declarations",
            n,
        ]);
        assert_eq!(out.status.code(), Some(2));
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!("declarations {n}")) && err.contains("4294967295"),
            "{err}"
        );
    }
}
