//! What one replication counts as it runs: counters updated in place by the systems,
//! never a list of every shipment.
//!
//! Per-shipment counters (fates, assessments, inspections, seizures, alerts about a
//! shipment) count the shipments declared in the measurement window, wherever in the
//! run (window or drain) the event happens. Time-based counters (an office's capacity
//! and hours over the window's days, alerts from injects, the timeline) count the
//! window's days.

use serde::{Deserialize, Serialize};

use crate::scenario::{Category, Role};

/// Shipment fates of one class of shipments.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Fates {
    pub generated: u64,
    pub delivered: u64,
    pub seized: u64,
    /// Still without a fate when the run stopped (the drain's cap).
    pub in_transit: u64,
    /// Shipments assessed by at least one customs office.
    pub reached_office: u64,
    /// Of `reached_office`, those still in transit when the run stopped: their fate is
    /// unknown, so detection rates leave them out.
    pub reached_office_in_transit: u64,
}

impl Fates {
    pub fn add(&mut self, o: &Fates) {
        self.generated += o.generated;
        self.delivered += o.delivered;
        self.seized += o.seized;
        self.in_transit += o.in_transit;
        self.reached_office += o.reached_office;
        self.reached_office_in_transit += o.reached_office_in_transit;
    }

    /// Shipments that reached an office and whose fate is known (seized or delivered).
    pub fn resolved_at_office(&self) -> u64 {
        self.reached_office - self.reached_office_in_transit
    }

    /// Generated but not yet delivered, seized or given up at the end of the drain.
    pub fn open(&self) -> u64 {
        self.generated - self.delivered - self.seized - self.in_transit
    }
}

/// What selected a shipment for inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The strategy ranked it on its indicators.
    Targeted = 0,
    /// A platform alert named it, its exporter or its consignee.
    Alert = 1,
    /// Drawn at random: random sampling, a learner's exploration, a mixture's random part.
    Random = 2,
}

impl Reason {
    pub const ALL: [Reason; 3] = [Reason::Targeted, Reason::Alert, Reason::Random];

    pub fn label(self) -> &'static str {
        match self {
            Reason::Targeted => "targeted",
            Reason::Alert => "alert",
            Reason::Random => "random",
        }
    }
}

/// Inspections, violations found and seizures of one selection reason.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ReasonTally {
    pub inspections: u64,
    pub violations_found: u64,
    pub seizures: u64,
}

/// One office's work over the run.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct OfficeTally {
    pub assessed: u64,
    pub assessed_illicit: u64,
    pub inspections: u64,
    pub violations_found: u64,
    pub seizures: u64,
    /// Officer-hours on the window's shipments.
    pub officer_hours: f64,
    /// Officer-hours available over the window's days: the daily budget with the
    /// operation's surge and capacity injects, none while the node is closed.
    pub capacity_hours: f64,
    /// Officer-hours spent on the window's days (whatever shipment): with
    /// `capacity_hours`, the office's utilisation.
    pub window_hours: f64,
    pub licit_dwell_hours: f64,
}

/// A seizure in CEN-like fields.
#[derive(Debug, Clone, Serialize)]
pub struct Seizure {
    /// The shipment's reference (its serial number in the run).
    pub shipment: u64,
    pub day: u32,
    pub date: String,
    pub country: String,
    pub office: String,
    pub node_name: String,
    pub role: &'static str,
    pub mode: &'static str,
    pub conveyance: String,
    pub network: String,
    pub hs_declared: String,
    pub description_declared: String,
    pub hs_actual: String,
    pub commodity_actual: String,
    pub category: &'static str,
    pub cas: String,
    pub kg: f64,
    pub value_usd: f64,
    pub found_by: String,
    /// The goods are among the operation's focus commodities.
    pub operation_focus: bool,
    pub concealment: &'static str,
    pub origin: String,
    pub transit: String,
    pub destination: String,
}

/// One `missed.csv` row: an illicit shipment that reached a customs office and was not
/// seized — what it was, what it was declared as, the offices that assessed it, and
/// where it ended up.
#[derive(Debug, Clone, Serialize)]
pub struct Missed {
    pub shipment: u64,
    pub network: String,
    pub commodity_actual: String,
    pub category: &'static str,
    pub hs_actual: String,
    /// What the offices saw: the declared HS code and description, whether the
    /// description was vague and whether a licence was quoted.
    pub hs_declared: String,
    pub description_declared: String,
    pub vague_description: bool,
    pub licence_quoted: bool,
    pub concealment: &'static str,
    /// Node codes of its route, in order, `>`-separated.
    pub route: String,
    /// Offices that assessed it, in order, `;`-separated.
    pub offices_assessed: String,
    /// `delivered` or `in_transit` (still moving when the run ended).
    pub fate: &'static str,
    /// The last node it reached.
    pub last_node: String,
}

/// Counters of one replication.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub licit: Fates,
    /// Illicit shipments by strategic category ([`Category`] order).
    pub illicit: [Fates; 6],
    pub assessed: u64,
    pub assessed_illicit: u64,
    pub inspections: u64,
    pub violations_found: u64,
    /// Inspections that detained the goods while a quoted licence was verified.
    pub detentions: u64,
    /// Violations found where the law did not allow a seizure.
    pub violations_released: u64,
    pub seizures_by_role: [u64; 3],
    pub licit_dwell_hours: f64,
    pub officer_hours: f64,
    pub offices: Vec<OfficeTally>,
    pub seizures_per_day: Vec<u64>,
    /// Inspections and inspections that found a violation, per day (for the per-phase
    /// figures).
    pub inspections_per_day: Vec<u64>,
    pub violations_per_day: Vec<u64>,
    pub seizures: Vec<Seizure>,
    pub value_seized: f64,
    pub alerts_sent: u64,
    pub alerts_from_flags: u64,
    pub alerts_acted_on: u64,
    pub seizures_from_alerts: u64,
    /// Inspections, violations and seizures by what selected the shipment.
    pub by_reason: [ReasonTally; 3],
    /// Times a network routed round a node (window days).
    pub reroutes: u64,
    /// Illicit shipments per route (node codes) and per transit hub: [before, during]
    /// the operation's window.
    pub illicit_routes: std::collections::BTreeMap<String, [u64; 2]>,
    pub illicit_hubs: std::collections::BTreeMap<String, [u64; 2]>,
    /// Expected illicit shipments per (network, route): [before, during] (see
    /// `adversary::Plans::expected_routes`).
    pub expected_routes: std::collections::BTreeMap<(u16, String), [f64; 2]>,
    /// Distinct nodes illicit shipments used: [before, during].
    pub illicit_nodes: [std::collections::BTreeSet<u16>; 2],
    /// (day, what happened): injects, and networks' reactions.
    pub timeline: Vec<(u32, String)>,
    /// Illicit shipments that reached an office and were not seized.
    pub missed: Vec<Missed>,
}

impl Tally {
    pub fn new(offices: usize, days: u32) -> Tally {
        Tally {
            offices: vec![OfficeTally::default(); offices],
            seizures_per_day: vec![0; days as usize],
            inspections_per_day: vec![0; days as usize],
            violations_per_day: vec![0; days as usize],
            ..Tally::default()
        }
    }

    /// The fates of a shipment class: `None` for licit, the category for illicit.
    pub fn fates(&mut self, illicit: Option<Category>) -> &mut Fates {
        match illicit {
            None => &mut self.licit,
            Some(c) => &mut self.illicit[c as usize],
        }
    }

    pub fn illicit_total(&self) -> Fates {
        let mut t = Fates::default();
        for f in &self.illicit {
            t.add(f);
        }
        t
    }

    pub fn all(&self) -> Fates {
        let mut t = self.illicit_total();
        t.add(&self.licit);
        t
    }

    pub fn count_seizure_at(&mut self, role: Role) {
        self.seizures_by_role[role as usize] += 1;
    }
}
