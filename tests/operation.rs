//! Cosmo-style operations through the public API: the platform's alerts, adaptive
//! traffickers, injects, seizure records and the paired operation-versus-baseline run.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::*;
use stce::metrics::run::RunMetrics;
use stce::report::tables::OperationEffect;
use stce::scenario::{Category, Scenario};
use stce::sim::{RunOptions, RunOutput, run};
use stce::world::World;

/// The tutorial with its last `)` replaced by `extra` (more fields) and the closing `)`,
/// after applying textual `edits` (from, to) to it.
fn tutorial_with(edits: &[(&str, &str)], extra: &str) -> Scenario {
    let mut text = std::fs::read_to_string(scenario_path("tutorial.ron")).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "tutorial lacks {from}");
        text = text.replacen(from, to, 1);
    }
    let end = text.rfind(')').unwrap();
    text.replace_range(end.., &format!("{extra}\n)\n"));
    stce::scenario::parse("tutorial-test.ron", &text).unwrap_or_else(|e| panic!("{e}"))
}

fn run_with(w: &Arc<World>, seed: u64, baseline: bool) -> RunOutput {
    run(
        w,
        &RunOptions {
            seed,
            baseline,
            ..Default::default()
        },
    )
}

/// Downstream offices that barely target (random 3%) and an export office that seizes:
/// with the platform on, the seizures at Shanghai name the front companies, and
/// Singapore and Jebel Ali put their next shipments first.
#[test]
fn alerts_reduce_illicit_deliveries_downstream() {
    let weak_downstream = [
        (
            r#"Node(code: "SGSIN", transshipment_hub: true, office: Office(capacity_hours: 24.0, strategy: "risk"))"#,
            r#"Node(code: "SGSIN", transshipment_hub: true, office: Office(capacity_hours: 24.0, strategy: "random"))"#,
        ),
        (
            r#"Node(code: "AEJEA", transshipment_hub: true, office: Office(capacity_hours: 24.0, strategy: "risk"))"#,
            r#"Node(code: "AEJEA", transshipment_hub: true, office: Office(capacity_hours: 24.0, strategy: "random"))"#,
        ),
    ];
    let operation = |platform: &str| {
        format!(
            r#"operation: Some(Operation(
                name: "test",
                phases: [Phase(kind: Interdiction, start_day: 0, end_day: 28)],
                platform: {platform},
            )),"#
        )
    };
    let on = world(&tutorial_with(
        &weak_downstream,
        &operation("Platform(downstream: true, latency_hours: 4.0)"),
    ));
    let off = world(&tutorial_with(
        &weak_downstream,
        &operation("Platform(downstream: false, flag_uninspected: false)"),
    ));
    let (mut delivered_on, mut delivered_off, mut from_alerts) = (0, 0, 0);
    for seed in 1..=6 {
        let a = run_with(&on, seed, false);
        let b = run_with(&off, seed, false);
        delivered_on += a.tally.illicit_total().delivered;
        delivered_off += b.tally.illicit_total().delivered;
        from_alerts += a.metrics.seizures_from_alerts;
        assert_eq!(b.metrics.alerts_sent, 0);
        assert!(a.metrics.alerts_sent > 0, "seed {seed}: no alert sent");
    }
    assert!(from_alerts > 0);
    assert!(
        (delivered_on as f64) < 0.8 * delivered_off as f64,
        "illicit delivered with alerts {delivered_on}, without {delivered_off}"
    );
}

/// A network that may go through Singapore or Port Klang loses shipments at a strong
/// Singapore office: it learns of each seizure `learning_delay_days` later, and from the
/// day it has heard of `avoid_after` of them it ships through Port Klang only.
#[test]
fn a_network_stops_routing_through_a_hub_after_the_learning_delay() {
    let delay = 3;
    let s = tutorial_with(
        &[
            (
                r#"Node(code: "SGSIN", transshipment_hub: true, office: Office(capacity_hours: 24.0, strategy: "risk"))"#,
                r#"Node(code: "SGSIN", transshipment_hub: true, office: Office(capacity_hours: 200.0, strategy: "risk"))"#,
            ),
            (r#"via: ["SGSIN"],"#, r#"via: ["SGSIN", "MYPKG"],"#),
            // Without the feeder, Port Klang is reached on the loop without a stop at
            // Singapore: a way round it exists.
            (
                r#"Service(name: "Straits feeder", mode: Sea, calls: ["SGSIN", "MYPKG"], frequency_days: 2.0),"#,
                "",
            ),
            (
                "front_companies: 8,",
                &format!(
                    "front_companies: 8, adaptation: Adaptation(learning_delay_days: {delay}, avoid_after: 2),"
                ),
            ),
            // The mechanism from a network's first shipment: no warm-up in which it
            // would already have learnt.
            ("days: 28,", "days: 28, warmup_days: 0,"),
        ],
        r#"operation: Some(Operation(
            name: "test",
            phases: [Phase(kind: TargetBuilding, start_day: 0, end_day: 14), Phase(kind: Interdiction, start_day: 14, end_day: 28)],
        )),"#,
    );
    let w = world(&s);
    let out = run_with(&w, 5, false);
    let t = &out.tally;
    // The second seizure at Singapore is the one that tips the balance.
    let at_sgsin: Vec<u32> = t
        .seizures
        .iter()
        .filter(|r| r.office == "SGSIN")
        .map(|r| r.day)
        .collect();
    assert!(at_sgsin.len() >= 2, "seizures at SGSIN: {at_sgsin:?}");
    let learnt = t
        .timeline
        .iter()
        .find(|(_, e)| e.contains("routes round SGSIN"))
        .map(|(d, _)| *d)
        .unwrap_or_else(|| {
            panic!(
                "no reroute round SGSIN: {:?} seizures {:?}",
                t.timeline,
                t.seizures
                    .iter()
                    .map(|r| (r.day, r.office.clone()))
                    .collect::<Vec<_>>()
            )
        });
    assert_eq!(learnt, at_sgsin[1] + delay, "timeline {:?}", t.timeline);
    assert!(
        learnt < 14,
        "must learn before the second period for this test"
    );
    let sgsin = t.illicit_hubs.get("SGSIN").copied().unwrap_or_default();
    let mypkg = t.illicit_hubs.get("MYPKG").copied().unwrap_or_default();
    assert!(sgsin[0] > 0, "used SGSIN at first: {sgsin:?}");
    assert_eq!(sgsin[1], 0, "still routes through SGSIN: {sgsin:?}");
    assert!(mypkg[1] > 0, "moved to MYPKG: {mypkg:?}");
    let d = out.metrics.displacement.as_ref().unwrap();
    assert!(d.displacement.unwrap() > 0.3, "{:?}", d.displacement);
}

/// Every kind of inject appears on the timeline on its day, in both the operation run
/// and (for world events only) the baseline; a new service opens a route epoch.
#[test]
fn injects_fire_on_their_day() {
    let s = tutorial_with(
        &[(
            r#"Service(name: "Straits feeder", mode: Sea, calls: ["SGSIN", "MYPKG"], frequency_days: 2.0),"#,
            r#"Service(name: "Straits feeder", mode: Sea, calls: ["SGSIN", "MYPKG"], frequency_days: 2.0),
               Service(name: "China-Gulf direct", mode: Sea, calls: ["CNSHA", "AEJEA"], frequency_days: 2.0),"#,
        )],
        r#"operation: Some(Operation(
            name: "test",
            phases: [Phase(kind: Interdiction, start_day: 2, end_day: 28)],
            injects: [
                Inject(day: 3, event: IntelligenceTip(network: "Precursor procurement network", coverage: 0.5)),
                Inject(day: 5, event: EquipmentFailure(node: "SGSIN", days: 2)),
                Inject(day: 7, event: NodeClosure(node: "MYPKG", days: 3)),
                Inject(day: 9, event: CapacityChange(country: Some("ARE"), factor: 2.0, days: 4)),
                Inject(day: 11, event: NewService(service: "China-Gulf direct")),
                Inject(day: 13, event: Publicity),
            ],
        )),"#,
    );
    let w = world(&s);
    // Inject days are days of the window; the simulation starts the warm-up earlier.
    let warmup = w.warmup_days;
    assert!(warmup > 0);
    assert_eq!(w.epochs, vec![0, 11 + warmup]);
    let direct_service = w
        .service_names
        .iter()
        .position(|n| n == "China-Gulf direct")
        .unwrap();
    let first_service = |day: u32| {
        let t = w.trade_on(day);
        let code = |i: u16| w.nodes[i as usize].code.as_str();
        let &(_, _, route) = t
            .pairs
            .iter()
            .find(|p| code(p.0) == "CNSHA" && code(p.1) == "AEJEA")
            .expect("China-Gulf trade");
        w.routes.legs_of(route)[0].service as usize
    };
    assert_ne!(
        first_service(10 + warmup),
        direct_service,
        "not running before its day"
    );
    assert_eq!(
        first_service(11 + warmup),
        direct_service,
        "faster from its first day"
    );

    let expect = [
        (3, "intelligence tip"),
        (5, "scanner at SGSIN out of order"),
        (7, "MYPKG closed"),
        (9, "capacity at ARE"),
        (11, "new carrier service"),
        (13, "publicised"),
    ];
    let op = run_with(&w, 1, false).tally.timeline;
    for (day, text) in expect {
        assert!(
            op.iter().any(|(d, e)| *d == day && e.contains(text)),
            "{text} not on day {day}: {op:?}"
        );
    }
    let base = run_with(&w, 1, true).tally.timeline;
    for (day, text) in expect {
        let world_event = [5, 7, 11].contains(&day);
        assert_eq!(
            base.iter().any(|(d, e)| *d == day && e.contains(text)),
            world_event,
            "baseline and {text}: {base:?}"
        );
    }
}

#[test]
fn seizure_records_match_the_seized_shipments_one_to_one() {
    let mut s = scenario("asean-cosmo.ron");
    s.declarations = 60_000;
    let w = world(&s);
    let plan = w.operation.as_ref().expect("asean-cosmo has an operation");
    let out = run_with(&w, 11, false);
    let t = &out.tally;
    let seized: u64 = t.illicit.iter().map(|f| f.seized).sum();
    assert!(seized > 20, "too few seizures to test: {seized}");
    assert_eq!(t.seizures.len() as u64, seized);
    assert_eq!(t.licit.seized, 0, "licit goods are never seized");
    let serials: BTreeSet<u64> = t.seizures.iter().map(|r| r.shipment).collect();
    assert_eq!(serials.len(), t.seizures.len(), "a shipment is seized once");
    for c in Category::ALL {
        let records = t
            .seizures
            .iter()
            .filter(|r| r.category == c.label())
            .count() as u64;
        assert_eq!(records, t.illicit[c as usize].seized, "{c:?}");
    }
    for r in &t.seizures {
        // Window shipments are seized in the window or in the drain after it.
        assert!(r.day < w.days + w.drain_days);
        assert!(!r.country.is_empty() && !r.office.is_empty() && !r.conveyance.is_empty());
        assert!(!r.hs_declared.is_empty() && !r.hs_actual.is_empty());
        assert!(!r.found_by.is_empty() && !r.origin.is_empty() && !r.destination.is_empty());
        assert!(r.kg > 0.0 && r.value_usd > 0.0);
        if r.category == "chemical" {
            assert!(!r.cas.is_empty(), "chemical without CAS: {r:?}");
        }
        let commodity = w
            .commodities
            .iter()
            .position(|c| c.name == r.commodity_actual)
            .unwrap();
        assert_eq!(r.operation_focus, plan.focus[commodity]);
    }
    let csv_rows =
        stce::report::tables::csv_bytes(&t.seizures, stce::report::tables::SEIZURE_FIELDS)
            .map(|b| String::from_utf8(b).unwrap().lines().count())
            .unwrap();
    assert_eq!(csv_rows as u64, seized + 1, "header + one row per seizure");
}

/// Operation and baseline share the seed, so the licit trade is the same shipments and
/// the difference is the operation's; the effect table is exactly their difference.
#[test]
fn operation_effect_is_the_paired_difference_on_the_same_seed() {
    let mut s = scenario("asean-cosmo.ron");
    s.declarations = 60_000;
    let w = world(&s);
    let op = run_with(&w, 4, false);
    let base = run_with(&w, 4, true);
    assert_eq!(op.tally.licit.generated, base.tally.licit.generated);
    assert_eq!(base.metrics.alerts_sent, 0);
    assert_eq!(base.metrics.seizures_from_alerts, 0);
    assert!(op.metrics.alerts_sent > 0);
    let e = OperationEffect::new("ASEAN", &op.metrics, &base.metrics);
    let get = |m: &RunMetrics, k: &str| m.scalars().into_iter().find(|x| x.0 == k).unwrap().1;
    for k in ["detection_rate", "seized", "officer_hours", "alerts_sent"] {
        let d = e.difference[k].unwrap();
        assert!(
            (d - (get(&op.metrics, k) - get(&base.metrics, k))).abs() < 1e-9,
            "{k}"
        );
    }
    // Surge and handed-out profiles: more officer-hours spent, a higher detection rate
    // (not necessarily more seizures: the publicity inject pauses networks, so fewer
    // illicit shipments are declared in the window with the operation).
    assert!(e.difference["officer_hours"].unwrap() > 0.0);
    assert!(e.difference["detection_rate"].unwrap() > 0.0);
    // The same seed twice gives the same pair.
    let again = run_with(&w, 4, true);
    assert_eq!(
        serde_json::to_string(&again.metrics).unwrap(),
        serde_json::to_string(&base.metrics).unwrap()
    );
}

#[test]
fn the_binary_writes_operation_figures_and_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let out = stce(&[
        "run",
        scenario_path("asean-cosmo.ron").to_str().unwrap(),
        "--declarations",
        "40000",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("business as usual"), "{stdout}");
    let m: serde_json::Value =
        serde_json::from_slice(&read(&dir.path().join("metrics.json"))).unwrap();
    for k in [
        "alerts_sent",
        "alerts_acted_on",
        "seizures_from_alerts",
        "alerts_from_flags",
    ] {
        assert!(m[k].is_u64(), "{k}");
    }
    assert!(m["displacement"]["displacement"].is_f64());
    assert!(m["displacement"]["by_hub"].is_array());
    assert!(m["operation_effect"]["difference"]["detection_rate"].is_f64());
    let timeline = m["timeline"].as_array().unwrap();
    for text in ["intelligence tip", "new carrier service", "publicised"] {
        assert!(
            timeline
                .iter()
                .any(|e| e["event"].as_str().unwrap().contains(text)),
            "{text}"
        );
    }
    let seized = m["shipments"]["seized"].as_u64().unwrap();
    let rows = text(&read(&dir.path().join("seizures.csv")))
        .lines()
        .count() as u64;
    assert_eq!(rows, seized + 1);
    let json: serde_json::Value =
        serde_json::from_slice(&read(&dir.path().join("seizures.json"))).unwrap();
    assert_eq!(json.as_array().unwrap().len() as u64, seized);
}

/// An export office with one scan a day cannot inspect most of what its profile marks:
/// it flags those shipments to the offices down their route, which inspect them.
#[test]
fn profile_hits_that_cannot_be_inspected_are_flagged_downstream() {
    let busy_export = [(
        r#"Node(code: "CNSHA", trade_weight: 1.0, office: Office(capacity_hours: 40.0, strategy: "risk", roles: [Export, Import])),"#,
        r#"Node(code: "CNSHA", trade_weight: 1.0, office: Office(capacity_hours: 1.0, strategy: "risk", roles: [Export, Import])),"#,
    )];
    let operation = |flag: bool| {
        format!(
            r#"operation: Some(Operation(
                name: "test",
                phases: [Phase(kind: Interdiction, start_day: 0, end_day: 28)],
                platform: Platform(flag_uninspected: {flag}),
            )),"#
        )
    };
    let on = run_with(
        &world(&tutorial_with(&busy_export, &operation(true))),
        2,
        false,
    );
    let off = run_with(
        &world(&tutorial_with(&busy_export, &operation(false))),
        2,
        false,
    );
    assert_eq!(off.metrics.alerts_from_flags, 0);
    assert!(
        on.metrics.alerts_from_flags > 50,
        "{}",
        on.metrics.alerts_from_flags
    );
    assert!(
        on.metrics.alerts_acted_on > off.metrics.alerts_acted_on,
        "flags acted on: {} vs {}",
        on.metrics.alerts_acted_on,
        off.metrics.alerts_acted_on
    );
}

#[test]
fn replications_with_baseline_report_the_paired_operation_effect() {
    let dir = tempfile::tempdir().unwrap();
    let out = stce(&[
        "run",
        scenario_path("asean-cosmo.ron").to_str().unwrap(),
        "--declarations",
        "20000",
        "--reps",
        "4",
        "--baseline",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("paired on the same seeds"));
    let s: serde_json::Value =
        serde_json::from_slice(&read(&dir.path().join("summary.json"))).unwrap();
    let effect = &s["operation_effect"]["alerts_sent"];
    assert_eq!(effect["n"].as_u64(), Some(4), "{effect}");
    // Business as usual sends no alert: the effect is the operation's own count.
    assert_eq!(
        effect["mean"].as_f64(),
        s["metrics"]["alerts_sent"]["mean"].as_f64()
    );
    assert_eq!(
        s["business_as_usual"]["alerts_sent"]["mean"].as_f64(),
        Some(0.0)
    );

    let tutorial = stce(&[
        "run",
        scenario_path("tutorial.ron").to_str().unwrap(),
        "--reps",
        "2",
        "--baseline",
    ]);
    assert_eq!(tutorial.status.code(), Some(2));
    assert!(
        text(&tutorial.stderr).contains("has no operation"),
        "{}",
        text(&tutorial.stderr)
    );
}
