//! Warnings about a built world: things that are valid but probably not what the
//! scenario's author meant, printed by `stce validate`.

use super::World;
use crate::scenario::Role;

/// Share of an office's expected licit assessments above which trade between two other
/// countries is worth a warning.
pub const THIRD_PARTY_SHARE: f64 = 0.5;

/// Every warning about `w`, in a stable order.
pub fn warnings(w: &World) -> Vec<String> {
    let mut out = Vec::new();
    for (x, y) in &w.unroutable_pairs {
        out.push(format!(
            "no service connects {x} to {y}; that pair carries no trade"
        ));
    }
    out.extend(third_party_offices(w));
    out.extend(capacity_below_one_inspection(w));
    out
}

/// Offices that mostly assess trade between two other countries: the fastest route of
/// a gravity pair can run through a third region's hub (China–India via Jebel Ali),
/// which then spends its capacity on trade it would rarely see.
fn third_party_offices(w: &World) -> Vec<String> {
    let trade = &w.trade[0];
    let nc = w.countries.len();
    let mut by_office: Vec<Vec<f64>> = vec![Vec::new(); w.offices.len()];
    for (&(o, d, route), &weight) in trade.pairs.iter().zip(&trade.weights) {
        let stops = w.routes.stops(route);
        let (co, cd) = (
            w.nodes[o as usize].country as usize,
            w.nodes[d as usize].country as usize,
        );
        for k in 0..stops {
            let role = match k {
                0 => Role::Export,
                k if k + 1 == stops => Role::Import,
                _ => Role::Transit,
            };
            let node = &w.nodes[w.routes.stop(route, k) as usize];
            if let Some(office) = node.office
                && w.offices[office as usize].assesses(role)
            {
                // Both directions of a pair together.
                let v = &mut by_office[office as usize];
                v.resize(nc * nc, 0.0);
                v[co.min(cd) * nc + co.max(cd)] += weight;
            }
        }
    }
    let mut out = Vec::new();
    for (i, v) in by_office.iter().enumerate() {
        let total: f64 = v.iter().sum();
        if total <= 0.0 {
            continue;
        }
        let own = w.offices[i].country as usize;
        let best = (0..v.len())
            .filter(|k| k / nc != own && k % nc != own)
            .max_by(|a, b| v[*a].total_cmp(&v[*b]).then(b.cmp(a)));
        if let Some(k) = best
            && v[k] / total > THIRD_PARTY_SHARE
        {
            out.push(format!(
                "office {} ({}) would assess mostly trade between two other countries: {}–{} (both ways) is {:.0}% of its expected licit declarations (the fastest route runs through it; add a service or set its roles if that is not meant)",
                w.nodes[w.offices[i].node as usize].code,
                w.countries[own].iso3,
                w.countries[k / nc].iso3,
                w.countries[k % nc].iso3,
                100.0 * v[k] / total
            ));
        }
    }
    out
}

/// Offices whose daily officer-hours do not cover one inspection never inspect.
fn capacity_below_one_inspection(w: &World) -> Vec<String> {
    let hours = w
        .inspection
        .physical
        .officer_hours
        .min(w.inspection.nii_scan.officer_hours);
    w.offices
        .iter()
        .filter(|o| o.capacity_hours_per_day < hours)
        .map(|o| {
            format!(
                "office {}: {} officer-hours a day do not cover one inspection ({} h): it never inspects",
                w.nodes[o.node as usize].code, o.capacity_hours_per_day, hours
            )
        })
        .collect()
}
