//! The targeting metrics of one replication, as defined in the README. Every module
//! computes them through this one place. They count the shipments declared in the
//! measurement window (see `tally`); a rate whose denominator is empty is `None`
//! (`null` in JSON, an empty CSV cell, "n/a" on screen) and is left out of means.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::tally::{Fates, Reason, Tally};
use crate::scenario::Category;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Shipments {
    pub generated: u64,
    pub delivered: u64,
    pub seized: u64,
    pub in_transit: u64,
    pub licit: Fates,
    pub illicit: Fates,
    /// Illicit shipments by strategic category. (`Cow` so that a replication read back
    /// from a shard folder owns its names.)
    pub illicit_by_category: BTreeMap<Cow<'static, str>, Fates>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DetectionRate {
    /// Illicit seized / illicit that reached at least one customs office and whose fate
    /// is known (seized or delivered).
    pub overall: Option<f64>,
    pub by_category: BTreeMap<Cow<'static, str>, f64>,
    /// Illicit shipments that reached an office but were still in transit when the run
    /// stopped: left out of the rate, reported beside it.
    pub unresolved: u64,
}

/// Inspections and what they found, for one reason of selection.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Selection {
    pub inspections: u64,
    pub violations_found: u64,
    pub seizures: u64,
    pub hit_rate: Option<f64>,
    /// hit_rate / base rate of illicit declarations among those assessed.
    pub lift_over_random: Option<f64>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct InterdictionPoint {
    pub export: f64,
    pub transit: f64,
    pub import: f64,
}

/// The headline metrics of one run. Rates with an empty denominator are `null` in JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunMetrics {
    pub shipments: Shipments,
    pub detection_rate: DetectionRate,
    /// Inspections that found a violation / inspections.
    pub hit_rate: Option<f64>,
    /// Inspections / declarations assessed.
    pub inspection_rate: Option<f64>,
    /// hit_rate / (illicit declarations assessed / declarations assessed).
    pub lift_over_random: Option<f64>,
    /// Shares of seizures at export, transit and import offices.
    pub interdiction_point: Option<InterdictionPoint>,
    /// Dwell hours inspections and detentions added to licit shipments.
    pub licit_dwell_hours: f64,
    /// Officer-hours spent on inspections.
    pub officer_hours: f64,
    pub declarations_assessed: u64,
    pub illicit_declarations_assessed: u64,
    pub inspections: u64,
    pub violations_found: u64,
    /// Inspections that detained goods for licence verification.
    pub detentions_for_licence_check: u64,
    pub violations_released_without_legal_basis: u64,
    /// Alerts the platform delivered to offices (one per receiving office).
    pub alerts_sent: u64,
    /// Of those, flags on shipments an office could not inspect, sent down their route.
    pub alerts_from_flags: u64,
    /// Inspections made because an alert named the shipment or its traders.
    pub alerts_acted_on: u64,
    /// Seizures of shipments selected because of an alert.
    pub seizures_from_alerts: u64,
    /// Inspections, finds and seizures split by what selected the shipment: the
    /// strategy's ranking (`targeted`), a platform `alert`, or a `random` draw.
    pub by_selection: BTreeMap<Cow<'static, str>, Selection>,
    /// Times a network routed round a node during the window and drain.
    pub reroutes: u64,
    /// Seized value (USD) / seizures.
    pub value_per_seizure: Option<f64>,
    /// How illicit traffic moved between the days before the operation and its window.
    pub displacement: Option<Displacement>,
    /// Injects and traffickers' reactions, by day.
    pub timeline: Vec<TimelineEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub day: u32,
    pub event: String,
}

/// Illicit volume per route and per hub before vs during the operation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Displacement {
    /// Share of illicit volume that moved to other routes: half the sum over routes of
    /// |share during − share before| (0: same routes, 1: all new routes).
    pub displacement: Option<f64>,
    /// Distinct nodes illicit shipments used.
    pub footprint_before: usize,
    pub footprint_during: usize,
    pub by_route: Vec<Volume>,
    pub by_hub: Vec<Volume>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Volume {
    pub name: String,
    pub before: u64,
    pub during: u64,
}

/// Names of the scalar metrics, the columns of tidy replication tables.
pub const SCALARS: [&str; 35] = [
    "detection_rate",
    "hit_rate",
    "inspection_rate",
    "lift_over_random",
    "interdiction_export",
    "interdiction_transit",
    "interdiction_import",
    "licit_dwell_hours",
    "officer_hours",
    "generated",
    "delivered",
    "seized",
    "in_transit",
    "illicit_generated",
    "illicit_reached_office",
    "inspections",
    "violations_found",
    "alerts_sent",
    "alerts_from_flags",
    "alerts_acted_on",
    "seizures_from_alerts",
    "displacement",
    "footprint_before",
    "footprint_during",
    "reroutes",
    "illicit_unresolved",
    "inspections_targeted",
    "inspections_alert",
    "inspections_random",
    "hit_rate_targeted",
    "hit_rate_alert",
    "hit_rate_random",
    "lift_targeted",
    "lift_random",
    "seizures_random",
];

fn displacement(t: &Tally) -> Option<Displacement> {
    if t.illicit_routes.is_empty() {
        return None;
    }
    let volumes = |m: &std::collections::BTreeMap<String, [u64; 2]>| -> Vec<Volume> {
        m.iter()
            .map(|(k, v)| Volume {
                name: k.clone(),
                before: v[0],
                during: v[1],
            })
            .collect()
    };
    Some(Displacement {
        displacement: route_shift(&t.expected_routes),
        footprint_before: t.illicit_nodes[0].len(),
        footprint_during: t.illicit_nodes[1].len(),
        by_route: volumes(&t.illicit_routes),
        by_hub: volumes(&t.illicit_hubs),
    })
}

/// Per network, half the sum over its routes of |share during − share before| of its
/// expected volume; overall, the networks' figures weighted by their volume. A network
/// that only pauses has not moved; one that ships only before or only during is left
/// out, as it has nothing to compare.
fn route_shift(expected: &BTreeMap<(u16, String), [f64; 2]>) -> Option<f64> {
    let mut by_network: BTreeMap<u16, Vec<[f64; 2]>> = BTreeMap::new();
    for ((n, _), &v) in expected {
        by_network.entry(*n).or_default().push(v);
    }
    let (mut sum, mut weight) = (0.0, 0.0);
    for routes in by_network.values() {
        let before: f64 = routes.iter().map(|v| v[0]).sum();
        let during: f64 = routes.iter().map(|v| v[1]).sum();
        if before <= 0.0 || during <= 0.0 {
            continue;
        }
        let tvd = 0.5
            * routes
                .iter()
                .map(|v| (v[1] / during - v[0] / before).abs())
                .sum::<f64>();
        sum += tvd * (before + during);
        weight += before + during;
    }
    (weight > 0.0).then(|| sum / weight)
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

impl RunMetrics {
    pub fn from_tally(t: &Tally) -> RunMetrics {
        let all = t.all();
        let illicit = t.illicit_total();
        let mut by_category = BTreeMap::new();
        let mut rate_by_category = BTreeMap::new();
        for c in Category::ALL {
            let f = t.illicit[c as usize];
            if f.generated > 0 {
                by_category.insert(c.label().into(), f);
                if let Some(r) = ratio(f.seized, f.resolved_at_office()) {
                    rate_by_category.insert(c.label().into(), r);
                }
            }
        }
        let hit_rate = ratio(t.violations_found, t.inspections);
        let base_rate = ratio(t.assessed_illicit, t.assessed);
        let seized: u64 = t.seizures_by_role.iter().sum();
        RunMetrics {
            shipments: Shipments {
                generated: all.generated,
                delivered: all.delivered,
                seized: all.seized,
                in_transit: all.in_transit,
                licit: t.licit,
                illicit,
                illicit_by_category: by_category,
            },
            detection_rate: DetectionRate {
                overall: ratio(illicit.seized, illicit.resolved_at_office()),
                by_category: rate_by_category,
                unresolved: illicit.reached_office_in_transit,
            },
            hit_rate,
            inspection_rate: ratio(t.inspections, t.assessed),
            lift_over_random: match (hit_rate, base_rate) {
                (Some(h), Some(b)) if b > 0.0 => Some(h / b),
                _ => None,
            },
            interdiction_point: (seized > 0).then(|| InterdictionPoint {
                export: t.seizures_by_role[0] as f64 / seized as f64,
                transit: t.seizures_by_role[1] as f64 / seized as f64,
                import: t.seizures_by_role[2] as f64 / seized as f64,
            }),
            licit_dwell_hours: t.licit_dwell_hours,
            officer_hours: t.officer_hours,
            declarations_assessed: t.assessed,
            illicit_declarations_assessed: t.assessed_illicit,
            inspections: t.inspections,
            violations_found: t.violations_found,
            detentions_for_licence_check: t.detentions,
            violations_released_without_legal_basis: t.violations_released,
            alerts_sent: t.alerts_sent,
            alerts_from_flags: t.alerts_from_flags,
            alerts_acted_on: t.alerts_acted_on,
            seizures_from_alerts: t.seizures_from_alerts,
            by_selection: Reason::ALL
                .iter()
                .map(|r| {
                    let x = t.by_reason[*r as usize];
                    let hit_rate = ratio(x.violations_found, x.inspections);
                    let selection = Selection {
                        inspections: x.inspections,
                        violations_found: x.violations_found,
                        seizures: x.seizures,
                        hit_rate,
                        lift_over_random: match (hit_rate, base_rate) {
                            (Some(h), Some(b)) if b > 0.0 => Some(h / b),
                            _ => None,
                        },
                    };
                    (r.label().into(), selection)
                })
                .collect(),
            reroutes: t.reroutes,
            value_per_seizure: (seized > 0).then(|| t.value_seized / seized as f64),
            displacement: displacement(t),
            timeline: t
                .timeline
                .iter()
                .map(|(day, event)| TimelineEntry {
                    day: *day,
                    event: event.clone(),
                })
                .collect(),
        }
    }

    /// The scalar metrics, named as in [`SCALARS`], for tidy tables and confidence
    /// intervals. Rates with an empty denominator are NaN.
    pub fn scalars(&self) -> Vec<(&'static str, f64)> {
        let nan = f64::NAN;
        let ip = self.interdiction_point;
        let sel = |r: Reason| self.by_selection[r.label()];
        let values = [
            self.detection_rate.overall.unwrap_or(nan),
            self.hit_rate.unwrap_or(nan),
            self.inspection_rate.unwrap_or(nan),
            self.lift_over_random.unwrap_or(nan),
            ip.map_or(nan, |p| p.export),
            ip.map_or(nan, |p| p.transit),
            ip.map_or(nan, |p| p.import),
            self.licit_dwell_hours,
            self.officer_hours,
            self.shipments.generated as f64,
            self.shipments.delivered as f64,
            self.shipments.seized as f64,
            self.shipments.in_transit as f64,
            self.shipments.illicit.generated as f64,
            self.shipments.illicit.reached_office as f64,
            self.inspections as f64,
            self.violations_found as f64,
            self.alerts_sent as f64,
            self.alerts_from_flags as f64,
            self.alerts_acted_on as f64,
            self.seizures_from_alerts as f64,
            self.displacement
                .as_ref()
                .and_then(|d| d.displacement)
                .unwrap_or(nan),
            self.displacement
                .as_ref()
                .map_or(nan, |d| d.footprint_before as f64),
            self.displacement
                .as_ref()
                .map_or(nan, |d| d.footprint_during as f64),
            self.reroutes as f64,
            self.detection_rate.unresolved as f64,
            sel(Reason::Targeted).inspections as f64,
            sel(Reason::Alert).inspections as f64,
            sel(Reason::Random).inspections as f64,
            sel(Reason::Targeted).hit_rate.unwrap_or(nan),
            sel(Reason::Alert).hit_rate.unwrap_or(nan),
            sel(Reason::Random).hit_rate.unwrap_or(nan),
            sel(Reason::Targeted).lift_over_random.unwrap_or(nan),
            sel(Reason::Random).lift_over_random.unwrap_or(nan),
            sel(Reason::Random).seizures as f64,
        ];
        SCALARS.iter().copied().zip(values).collect()
    }
}
