//! The readable summary a planner sees in the terminal after `stce run`.

use std::fmt::Write;

use super::tables::{RunInfo, office_rows};
use crate::metrics::stats::wilson_interval;
use crate::metrics::{RunMetrics, Tally};
use crate::world::World;

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{:.1}%", 100.0 * v))
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
        sh.generated, sh.delivered, sh.seized, sh.in_transit
    );
    let _ = writeln!(
        s,
        "               licit {}  illicit {} (reached a customs office: {})",
        sh.licit.generated, ill.generated, ill.reached_office
    );
    let (lo, hi) = wilson_interval(ill.seized, ill.reached_office);
    let _ = writeln!(
        s,
        "Detection rate {}  ({} of {} illicit shipments that reached an office; 95% CI {:.1}–{:.1}%)",
        pct(Some(m.detection_rate.overall)),
        ill.seized,
        ill.reached_office,
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
            .map_or("—".into(), |l| format!("{l:.1}×"))
    );
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
            "{:<7} {:<4} {:<22} {:<14} {:>9} {:>9} {:>6} {:>7} {:>8} {:>6.0}%",
            r.office,
            r.country,
            r.roles,
            r.strategy,
            r.assessed,
            r.inspections,
            r.violations_found,
            r.seizures,
            pct(r.hit_rate),
            100.0 * r.utilisation
        );
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
