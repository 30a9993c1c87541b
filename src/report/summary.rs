//! The readable summary a planner sees in the terminal after `stce run`.

use std::fmt::Write;

use super::numbers::{fixed, percents_summing_to_100, thousands as n};
use super::tables::{RunInfo, office_rows};
use crate::metrics::stats::wilson_interval;
use crate::metrics::{RunMetrics, Tally};
use crate::world::World;

/// A share in percent with one decimal, "n/a" for a rate with an empty denominator.
fn pct(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |v| format!("{:.1}%", 100.0 * v))
}

/// A share as a whole percentage, "n/a" when there is none.
fn pct0(x: Option<f64>) -> String {
    x.map_or("n/a".to_string(), |v| format!("{:.0}%", 100.0 * v))
}

/// The summary of one run as text.
pub fn summary(w: &World, info: &RunInfo, t: &Tally, m: &RunMetrics) -> String {
    let mut s = String::new();
    let sh = &m.shipments;
    let ill = &sh.illicit;
    let _ = writeln!(
        s,
        "{} — seed {}, {} days from {}",
        info.scenario, info.seed, info.days, info.start_date
    );
    if let Some(st) = &info.strategy {
        let _ = writeln!(s, "every office runs strategy \"{st}\"");
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Shipments      generated {}  delivered {}  seized {}  in transit at the end {}",
        n(sh.generated),
        n(sh.delivered),
        n(sh.seized),
        n(sh.in_transit)
    );
    let _ = writeln!(
        s,
        "               licit {}  illicit {} (reached a customs office: {})",
        n(sh.licit.generated),
        n(ill.generated),
        n(ill.reached_office)
    );
    let (lo, hi) = wilson_interval(ill.seized, ill.reached_office);
    let _ = writeln!(
        s,
        "Detection rate {}  ({} of {} illicit shipments that reached an office; 95% CI {:.1}–{:.1}%)",
        pct(Some(m.detection_rate.overall)),
        n(ill.seized),
        n(ill.reached_office),
        100.0 * lo,
        100.0 * hi
    );
    for (cat, rate) in &m.detection_rate.by_category {
        let _ = writeln!(s, "               {cat:<10} {}", pct(Some(*rate)));
    }
    let _ = writeln!(
        s,
        "Hit rate       {}  ({} violations found in {} inspections)",
        pct(m.hit_rate),
        n(m.violations_found),
        n(m.inspections)
    );
    let _ = writeln!(
        s,
        "Inspection rate {} of {} declarations assessed",
        pct(m.inspection_rate),
        n(m.declarations_assessed)
    );
    let _ = writeln!(
        s,
        "Lift over random {}  (hit rate / share of illicit among declarations assessed)",
        m.lift_over_random
            .map_or("n/a".into(), |l| format!("{l:.1}×"))
    );
    // whole percentages that add up to 100
    if let Some(p) = m
        .interdiction_point
        .and_then(|ip| percents_summing_to_100(&[ip.export, ip.transit, ip.import]))
    {
        let _ = writeln!(
            s,
            "Interdiction   export {}%  transit {}%  import {}%",
            p[0], p[1], p[2]
        );
    }
    let per_licit = if sh.licit.generated > 0 {
        m.licit_dwell_hours / sh.licit.generated as f64
    } else {
        0.0
    };
    let _ = writeln!(
        s,
        "Cost           {} officer-hours; {} dwell hours added to licit trade ({:.2} h per licit shipment)",
        fixed(m.officer_hours, 0),
        fixed(m.licit_dwell_hours, 0),
        per_licit
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
            n(r.assessed),
            n(r.inspections),
            n(r.violations_found),
            n(r.seizures),
            pct(r.hit_rate),
            pct0(r.utilisation)
        );
    }
    if let Some(plan) = &w.operation {
        let _ = writeln!(
            s,
            "\nOperation \"{}\": days {}–{}; {} of {} administrations take part",
            plan.name,
            plan.start,
            plan.end,
            plan.participant.iter().filter(|p| **p).count(),
            plan.participant.len()
        );
        for (kind, a, b) in &plan.phases {
            let _ = writeln!(
                s,
                "  {:<15} days {a:>3}–{b:<3} ({} to {})",
                format!("{kind:?}"),
                w.date(*a),
                w.date(b.saturating_sub(1))
            );
        }
        let _ = writeln!(
            s,
            "Platform       {} alerts delivered ({} of them flags on shipments not inspected), {} acted on (inspections), {} seizures from alerts",
            n(m.alerts_sent),
            n(m.alerts_from_flags),
            n(m.alerts_acted_on),
            n(m.seizures_from_alerts)
        );
        if let Some(d) = &m.displacement {
            let _ = writeln!(
                s,
                "Displacement   {} of illicit volume moved to other routes; footprint {} nodes before, {} during",
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
            let _ = writeln!(s, "Value per seizure  USD {}", fixed(v, 0));
        }
        if !m.timeline.is_empty() {
            let _ = writeln!(s, "Timeline");
            for e in &m.timeline {
                let _ = writeln!(s, "  day {:>3} {}  {}", e.day, w.date(e.day), e.event);
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
    ] {
        let f = |m: &std::collections::BTreeMap<&'static str, Option<f64>>| {
            m.get(k)
                .copied()
                .flatten()
                .map_or("n/a".to_string(), crate::experiment::fmt)
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
