use stce::scenario::StrategyKind;
use stce::sim::{RunOptions, run};
use std::sync::Arc;
fn main() {
    let text = std::fs::read_to_string("scenarios/asean-cosmo.ron").unwrap();
    let mut s = stce::scenario::parse("a", &text).unwrap();
    s.declarations = 60_000;
    s.operation = None;
    for n in &mut s.nodes {
        if let Some(o) = &mut n.office {
            o.capacity_hours *= 0.25;
        }
    }
    for d in &mut s.strategies {
        match &mut d.kind {
            StrategyKind::Random { rate } => *rate = 1.0,
            StrategyKind::RiskScore { threshold, .. } => *threshold = -1.0,
            _ => {}
        }
    }
    let w = Arc::new(stce::world::World::build(&s).unwrap());
    for seed in 1..=8u64 {
        let m = |name: &str| {
            let o = run(
                &w,
                &RunOptions {
                    seed,
                    strategy: w.strategy_index(name),
                    ..Default::default()
                },
            );
            (
                o.metrics.hit_rate.unwrap(),
                o.metrics.detection_rate.overall.unwrap(),
                o.tally.reroutes,
            )
        };
        let (r, p, k) = (m("random"), m("profiles"), m("risk-score"));
        println!(
            "seed {seed}: profiles/random {:.2} risk/random {:.2}  det r {:.3} p {:.3} k {:.3} reroutes r {} p {} k {}",
            p.0 / r.0,
            k.0 / r.0,
            r.1,
            p.1,
            k.1,
            r.2,
            p.2,
            k.2
        );
    }
}
