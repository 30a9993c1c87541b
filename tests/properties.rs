//! Property tests over small random scenarios (proptest, bounded case counts so CI stays
//! fast): every valid scenario conserves shipments and gives the same results on one
//! thread as on two; any numbers at all in the shipped scenario's fields give either a
//! clear error or a run that conserves shipments, never a panic.

mod common;

use std::sync::Arc;

use common::*;
use proptest::prelude::*;
use stce::experiment::{csv_row, replicate};
use stce::metrics::Fates;
use stce::scenario::{Scenario, parse};
use stce::sim::{RunOptions, run};
use stce::world::World;

fn tutorial_text() -> String {
    std::fs::read_to_string(scenario_path("tutorial.ron")).unwrap()
}

/// Every shipment generated ends delivered, seized or in transit, of every class.
fn assert_conserved(s: &Scenario, w: &Arc<World>) {
    let out = run(
        w,
        &RunOptions {
            seed: s.seed,
            ..Default::default()
        },
    );
    let t = &out.tally;
    let mut all: Vec<(String, Fates)> = vec![("licit".into(), t.licit)];
    all.extend(
        t.illicit
            .iter()
            .enumerate()
            .map(|(i, f)| (format!("illicit[{i}]"), *f)),
    );
    for (name, f) in all {
        assert_eq!(
            f.generated,
            f.delivered + f.seized + f.in_transit,
            "{name}: shipments lost or counted twice: {f:?}"
        );
        assert!(f.reached_office <= f.generated, "{name}: {f:?}");
    }
}

/// A small valid variant of the tutorial: the knobs a planner turns, in their ranges.
#[derive(Debug, Clone)]
struct Knobs {
    seed: u64,
    days: u32,
    tick_hours: u32,
    declarations: u64,
    weekday: [f64; 7],
    capacity: [f64; 4],
    rate: f64,
    illicit_share: f64,
    strategy: usize,
    per_country: u32,
    front_companies: u32,
    operation: Option<(u32, u32, u32)>,
}

fn knobs() -> impl Strategy<Value = Knobs> {
    (
        any::<u64>(),
        2u32..40,
        prop::sample::select(vec![1u32, 2, 3, 4, 6, 8, 12, 24]),
        1u64..1500,
        prop::array::uniform7(0.0f64..3.0),
        prop::array::uniform4(0.0f64..200.0),
        0.0f64..=1.0,
        0.0f64..0.5,
        0usize..3,
        1u32..400,
        1u32..50,
        prop::option::of((0u32..40, 1u32..40, 1u32..60)),
    )
        .prop_map(
            |(
                seed,
                days,
                tick_hours,
                declarations,
                mut weekday,
                capacity,
                rate,
                illicit_share,
                strategy,
                per_country,
                front_companies,
                op,
            )| {
                weekday[0] += 0.1; // not all zero
                Knobs {
                    seed,
                    days,
                    tick_hours,
                    declarations,
                    weekday,
                    capacity,
                    rate,
                    illicit_share,
                    strategy,
                    per_country,
                    front_companies,
                    operation: op,
                }
            },
        )
}

fn scenario_of(k: &Knobs) -> Scenario {
    let mut s = parse("tutorial.ron", &tutorial_text()).unwrap();
    s.seed = k.seed;
    s.days = k.days;
    s.tick_hours = k.tick_hours;
    s.declarations = k.declarations;
    s.weekday_profile = k.weekday;
    for (n, c) in s.nodes.iter_mut().zip(k.capacity) {
        if let Some(o) = &mut n.office {
            o.capacity_hours = c;
            o.strategy = ["random", "profiles", "risk"][k.strategy].into();
        }
    }
    if let stce::scenario::StrategyKind::Random { rate } = &mut s.strategies[0].kind {
        *rate = k.rate;
    }
    s.illicit[0].share = k.illicit_share;
    s.illicit[0].front_companies = k.front_companies;
    s.traders.per_country = k.per_country;
    if let Some((start, len, closure)) = k.operation {
        let start = start % k.days;
        let end = (start + len).min(k.days).max(start + 1);
        let text = format!(
            "Operation(name: \"op\", phases: [Phase(kind: Interdiction, start_day: {start}, end_day: {end})], \
             platform: Platform(all_participants: true, alert_days: {}), \
             injects: [Inject(day: {start}, event: NodeClosure(node: \"MYPKG\", days: {})), Inject(day: {start}, event: Publicity)])",
            len.min(3660),
            closure.min(k.days),
        );
        s.operation = Some(
            ron::Options::default()
                .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
                .from_str(&text)
                .unwrap(),
        );
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn valid_scenarios_conserve_shipments_and_do_not_depend_on_threads(k in knobs()) {
        let s = scenario_of(&k);
        let problems = stce::scenario::validate::validate(&s, "");
        prop_assert!(problems.is_empty(), "generator made an invalid scenario: {problems:?}");
        let w = Arc::new(World::build(&s).unwrap());
        assert_conserved(&s, &w);
        let rows = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| replicate(&w, s.seed, 3, None, &|| {}))
                .iter()
                .map(|r| csv_row(&[], r).join(","))
                .collect::<Vec<_>>()
        };
        prop_assert_eq!(rows(1), rows(2));
    }
}

/// Byte ranges of the numeric literals of `text`.
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            let mut e = i;
            while e < b.len() && (b[e].is_ascii_digit() || b"._eE".contains(&b[e])) {
                e += 1;
            }
            out.push((i, e));
            i = e;
        } else {
            i += 1;
        }
    }
    out
}

fn any_number() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "0",
            "-1",
            "0.0",
            "-0.0",
            "1e308",
            "-1e308",
            "NaN",
            "inf",
            "-inf",
            "4294967295",
            "4294967296",
            "2147483648",
            "18446744073709551615",
            "3660",
            "3661",
            "1e-300",
        ])
        .prop_map(String::from),
        any::<u32>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| format!("{v:?}")),
        (-10.0f64..10.0).prop_map(|v| format!("{v:?}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_numbers_give_an_error_or_a_conserving_run(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any_number()), 1..4)
    ) {
        let text = tutorial_text();
        let spans = numbers(&text);
        let mut chosen: Vec<(usize, String)> =
            edits.into_iter().map(|(i, v)| (i.index(spans.len()), v)).collect();
        chosen.sort();
        chosen.dedup_by_key(|c| c.0);
        let mut out = String::new();
        let mut pos = 0;
        for (t, v) in &chosen {
            let (a, b) = spans[*t];
            out.push_str(&text[pos..a]);
            out.push_str(v);
            pos = b;
        }
        out.push_str(&text[pos..]);
        match parse("mutated.ron", &out) {
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.contains("mutated.ron:"), "an error without a place: {msg}");
            }
            Ok(mut s) => {
                s.declarations = s.declarations.min(800);
                if let Ok(w) = World::build(&s) {
                    assert_conserved(&s, &Arc::new(w));
                }
            }
        }
    }
}
