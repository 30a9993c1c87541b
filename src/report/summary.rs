//! The readable summary a planner sees in the terminal after `stce run`.

use std::fmt::Write;

use super::tables::{RunInfo, office_rows};
use crate::metrics::stats::wilson_interval;
use crate::metrics::{RunMetrics, Tally};
use crate::world::World;

fn pct(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |v| format!("{:.1}%", 100.0 * v))
}

/// The summary of one run as text.
pub fn summary(w: &World, info: &RunInfo, t: &Tally, m: &RunMetrics) -> String {
    let mut s = String::new();
    let sh = &m.shipments;
    let ill = &sh.illicit;
    let _ = writeln!(
        s,
        "{} — seed {}, {} days from {} (after {} days of warm-up; drain of at most {} days)",
        info.scenario, info.seed, info.days, info.start_date, info.warmup_days, info.drain_days
    );
    let _ = writeln!(
        s,
        "counted: the shipments declared in the window, to their fate{}",
        if info.fixed_population {
            "; population fixed by the scenario's seed"
        } else {
            ""
        }
    );
    if let Some(st) = &info.strategy {
        let _ = writeln!(s, "every office runs strategy \"{st}\"");
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Shipments      generated {}  delivered {}  seized {}  still in transit at the drain's end {}",
        sh.generated, sh.delivered, sh.seized, sh.in_transit
    );
    let _ = writeln!(
        s,
        "               licit {}  illicit {} (reached a customs office: {})",
        sh.licit.generated, ill.generated, ill.reached_office
    );
    let known = ill.resolved_at_office();
    let (lo, hi) = wilson_interval(ill.seized, known);
    let _ = writeln!(
        s,
        "Detection rate {}  ({} of {} illicit shipments that reached an office and whose fate is known; 95% CI {:.1}–{:.1}%; {} still unresolved)",
        pct(m.detection_rate.overall),
        ill.seized,
        known,
        100.0 * lo,
        100.0 * hi,
        m.detection_rate.unresolved
    );
    for (cat, rate) in &m.detection_rate.by_category {
        let _ = writeln!(s, "               {cat:<10} {}", pct(Some(*rate)));
    }
    let _ = writeln!(
        s,
        "Hit rate       {}  ({} violations found in {} inspections)",
        pct(m.hit_rate),
        m.violations_found,
        m.inspections
    );
    let _ = writeln!(
        s,
        "Inspection rate {} of {} declarations assessed",
        pct(m.inspection_rate),
        m.declarations_assessed
    );
    let _ = writeln!(
        s,
        "Lift over random {}  (hit rate / share of illicit among declarations assessed)",
        m.lift_over_random
            .map_or("n/a".into(), |l| format!("{l:.1}×"))
    );
    for (why, x) in &m.by_selection {
        if x.inspections > 0 {
            let _ = writeln!(
                s,
                "  selected by {why:<9} {:>7} inspections, hit rate {}, lift {}, {} seizures",
                x.inspections,
                pct(x.hit_rate),
                x.lift_over_random
                    .map_or("n/a".into(), |l| format!("{l:.1}×")),
                x.seizures
            );
        }
    }
    if let Some(ip) = m.interdiction_point {
        let _ = writeln!(
            s,
            "Interdiction   export {:.0}%  transit {:.0}%  import {:.0}%",
            100.0 * ip.export,
            100.0 * ip.transit,
            100.0 * ip.import
        );
    }
    let per_licit = if sh.licit.generated > 0 {
        m.licit_dwell_hours / sh.licit.generated as f64
    } else {
        0.0
    };
    let _ = writeln!(
        s,
        "Cost           {:.0} officer-hours; {:.0} dwell hours added to licit trade ({:.2} h per licit shipment)",
        m.officer_hours, m.licit_dwell_hours, per_licit
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<7} {:<4} {:<22} {:<14} {:>9} {:>9} {:>6} {:>7} {:>8} {:>7}",
        "office",
        "cty",
        "roles",
        "strategy",
        "assessed",
        "inspected",
        "found",
        "seized",
        "hit rate",
        "use"
    );
    for r in office_rows(
        w,
        t,
        None.or(info.strategy.as_ref().and_then(|n| w.strategy_index(n))),
    ) {
        let _ = writeln!(
            s,
            "{:<7} {:<4} {:<22} {:<14} {:>9} {:>9} {:>6} {:>7} {:>8} {:>7}",
            r.office,
            r.country,
            r.roles,
            r.strategy,
            r.assessed,
            r.inspections,
            r.violations_found,
            r.seizures,
            pct(r.hit_rate),
            r.utilisation
                .map_or("n/a".into(), |u| format!("{:.0}%", 100.0 * u))
        );
    }
    if let Some(plan) = &w.operation {
        let _ = writeln!(
            s,
            "\nOperation \"{}\": days {}–{}; {} of {} administrations take part",
            plan.name,
            plan.start - w.warmup_days,
            plan.end - w.warmup_days,
            plan.participant.iter().filter(|p| **p).count(),
            plan.participant.len()
        );
        for (kind, a, b) in &plan.phases {
            let _ = writeln!(
                s,
                "  {:<15} days {:>3}–{:<3} ({} to {})",
                format!("{kind:?}"),
                a - w.warmup_days,
                b - w.warmup_days,
                w.date(*a),
                w.date(b.saturating_sub(1))
            );
        }
        let _ = writeln!(
            s,
            "Platform       {} alerts delivered ({} of them flags on shipments not inspected), {} acted on (inspections), {} seizures from alerts",
            m.alerts_sent, m.alerts_from_flags, m.alerts_acted_on, m.seizures_from_alerts
        );
        if let Some(d) = &m.displacement {
            let _ = writeln!(
                s,
                "Routes         {} of illicit volume on other routes during the operation than before (business as usual moves too: the operation's share is its difference below); footprint {} nodes before, {} during",
                d.displacement
                    .map_or("n/a".into(), |x| format!("{:.0}%", 100.0 * x)),
                d.footprint_before,
                d.footprint_during
            );
            let mut hubs = d.by_hub.clone();
            hubs.sort_by(|a, b| {
                (b.before + b.during)
                    .cmp(&(a.before + a.during))
                    .then(a.name.cmp(&b.name))
            });
            for h in hubs.iter().take(6) {
                let _ = writeln!(
                    s,
                    "               via {:<7} {:>5} before  {:>5} during",
                    h.name, h.before, h.during
                );
            }
        }
        if let Some(v) = m.value_per_seizure {
            let _ = writeln!(s, "Value per seizure  USD {v:.0}");
        }
        if !m.timeline.is_empty() {
            let _ = writeln!(s, "Timeline");
            for e in &m.timeline {
                let _ = writeln!(
                    s,
                    "  day {:>3} {}  {}",
                    e.day,
                    w.date(e.day + w.warmup_days),
                    e.event
                );
            }
        }
    }
    if !w.unroutable_pairs.is_empty() {
        let _ = writeln!(
            s,
            "\nnote: {} country pairs of the trade model have no service between them and carry no trade",
            w.unroutable_pairs.len()
        );
    }
    s
}

/// The operation against business as usual on the same seed.
pub fn operation_effect(e: &super::tables::OperationEffect) -> String {
    let mut s = format!(
        "\nWhat \"{}\" added (same seed, business as usual = the scenario without the operation)\n",
        e.operation
    );
    let get = |m: &std::collections::BTreeMap<&'static str, Option<f64>>, k: &str| {
        m.get(k).copied().flatten()
    };
    if let Some(d) = get(&e.difference, "displacement") {
        let _ = writeln!(
            s,
            "Displacement due to the operation: {:+.1} points of illicit volume on other routes ({:.1}% with it, {:.1}% in business as usual)",
            100.0 * d,
            100.0 * get(&e.with_operation, "displacement").unwrap_or(f64::NAN),
            100.0 * get(&e.business_as_usual, "displacement").unwrap_or(f64::NAN)
        );
    }
    let _ = writeln!(
        s,
        "{:<22} {:>14} {:>18} {:>12}",
        "metric", "with operation", "business as usual", "difference"
    );
    for k in [
        "detection_rate",
        "hit_rate",
        "inspection_rate",
        "seized",
        "delivered",
        "licit_dwell_hours",
        "officer_hours",
        "alerts_sent",
        "seizures_from_alerts",
        "displacement",
        "footprint_before",
        "footprint_during",
        "reroutes",
    ] {
        let f = |m: &std::collections::BTreeMap<&'static str, Option<f64>>| {
            get(m, k).map_or("n/a".to_string(), crate::experiment::fmt)
        };
        let _ = writeln!(
            s,
            "{:<22} {:>14} {:>18} {:>12}",
            k,
            f(&e.with_operation),
            f(&e.business_as_usual),
            f(&e.difference)
        );
    }
    s
}
