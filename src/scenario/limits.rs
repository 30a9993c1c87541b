//! The upper ends of every number a scenario holds, and the durations that must stay
//! within the run. `validate` checks types, names and lower bounds field by field; this
//! adds what keeps a value from wrapping a day counter, overflowing a sum to infinity
//! or asking for more memory than a machine has. Each bound says why it is there.
//!
//! A child module of `validate`, so it reuses its locator and message helpers.

use std::collections::BTreeSet;

use super::*;

/// The longest run, in days (ten years).
pub const MAX_DAYS: u32 = 3660;
/// Licit traders per country: a million is more than any administration registers.
pub const MAX_TRADERS_PER_COUNTRY: u32 = 1_000_000;
/// Front companies of one network.
pub const MAX_FRONT_COMPANIES: u32 = 100_000;
/// Declarations of one run: ten billion; the memory estimate usually stops far earlier.
pub const MAX_DECLARATIONS: u64 = 10_000_000_000;
/// Relative weights (trade, commodity shares, concealment, weekday volume): large enough
/// for any real ratio, small enough that adding thousands of them stays finite.
const MAX_WEIGHT: f64 = 1e9;
/// Weekday volumes are relative to each other; a thousandfold spread is already absurd.
const MAX_WEEKDAY: f64 = 1000.0;
/// Officer-hours per day at one office (about 40,000 officers on duty around the clock).
const MAX_CAPACITY_HOURS: f64 = 1e6;
/// Value per kg (USD) and consignment weight (kg): 1e9 keeps value × weight below 1e18.
const MAX_VALUE_PER_KG: f64 = 1e9;
const MAX_KG: f64 = 1e9;
/// GDP in millions of USD: ten times the world's.
const MAX_GDP_MUSD: f64 = 1e9;
/// Faster than any aircraft carrying cargo.
const MAX_SPEED_KMH: f64 = 5000.0;
/// Risk-score weights and thresholds.
const MAX_SCORE: f64 = 1e6;
/// A trader counts as new for at most a century.
const MAX_NEW_TRADER_DAYS: u32 = 36_500;
/// |ln(value ratio)|: 100 is a factor of e^100, beyond any declared value.
const MAX_VALUE_ANOMALY: f64 = 100.0;
/// An online learner's step size; above this a single outcome overwhelms the model.
const MAX_LEARNING_RATE: f64 = 100.0;
/// Officer-hours one inspection costs.
const MAX_OFFICER_HOURS: f64 = 1000.0;
/// Capacity multiplier of an operation's surge.
const MAX_SURGE: f64 = 100.0;

impl Checker<'_> {
    /// Upper bounds and durations of the whole scenario.
    pub(super) fn limits(&mut self, s: &Scenario) {
        // Durations are checked against the run as written when it is valid, else
        // against the longest run (its own problem is already reported).
        let days = if (1..=MAX_DAYS).contains(&s.days) {
            s.days
        } else {
            MAX_DAYS
        };
        // Hours (dwell, latency, licensing) longer than this run mean "not before the
        // end" and are harmless; the bound is the longest run, so that a default (48
        // hours of licensing) stays valid in a one-day run.
        let max_hours = f64::from(MAX_DAYS) * 24.0;
        self.metadata_limits(s);
        for (i, a) in s.administrations.iter().enumerate() {
            let item = a.country.as_str();
            let f = |name: &str| format!("administrations[{i}].{name}");
            self.hours_at_most(
                at_item_key("administrations", item, "licensing_response_hours"),
                f("licensing_response_hours"),
                a.licensing_response_hours,
                max_hours,
            );
            if let Some(g) = a.gdp_musd {
                self.at_most(
                    at_item_key("administrations", item, "gdp_musd"),
                    f("gdp_musd"),
                    g,
                    MAX_GDP_MUSD,
                );
            }
        }
        for (i, n) in s.nodes.iter().enumerate() {
            let f = |name: &str| format!("nodes[{i}].{name}");
            self.at_most(
                at_item_key("nodes", &n.code, "trade_weight"),
                f("trade_weight"),
                n.trade_weight,
                MAX_WEIGHT,
            );
            if let Some(o) = &n.office {
                self.at_most(
                    at_item_key("nodes", &n.code, "capacity_hours"),
                    f("office.capacity_hours"),
                    o.capacity_hours,
                    MAX_CAPACITY_HOURS,
                );
            }
        }
        for (i, sv) in s.services.iter().enumerate() {
            let f = |name: &str| format!("services[{i}].{name}");
            let at = |key| at_item_key("services", &sv.name, key);
            // A weekly service in a two-day run is fine (shipments wait); one running
            // less than once in the longest run is a typo.
            self.at_most(
                at("frequency_days"),
                f("frequency_days"),
                sv.frequency_days,
                f64::from(MAX_DAYS),
            );
            if let Some(v) = sv.speed_kmh {
                self.at_most(at("speed_kmh"), f("speed_kmh"), v, MAX_SPEED_KMH);
            }
            self.hours_at_most(at("call_hours"), f("call_hours"), sv.call_hours, max_hours);
        }
        self.strategy_limits(s);
        if let TradeModel::Matrix(flows) = &s.trade {
            for (i, fl) in flows.iter().enumerate() {
                self.at_most(
                    at("trade", "weight", i),
                    format!("trade[{i}].weight"),
                    fl.weight,
                    MAX_WEIGHT,
                );
            }
        }
        for (i, c) in s.commodities.iter().enumerate() {
            let f = |name: &str| format!("commodities[{i}].{name}");
            let at = |key| at_item_key("commodities", &c.name, key);
            self.at_most(at("share"), f("share"), c.share, MAX_WEIGHT);
            self.at_most(
                at("value_per_kg"),
                f("value_per_kg"),
                c.value_per_kg,
                MAX_VALUE_PER_KG,
            );
            self.at_most(at("kg"), f("kg"), c.kg, MAX_KG);
        }
        self.whole(
            at("traders", "per_country", 0),
            "traders.per_country".into(),
            u64::from(s.traders.per_country),
            1,
            u64::from(MAX_TRADERS_PER_COUNTRY),
            "traders",
        );
        for (i, n) in s.illicit.iter().enumerate() {
            self.network_limits(i, n);
        }
        let m = &s.inspection;
        for (name, method) in [("physical", m.physical), ("nii_scan", m.nii_scan)] {
            self.at_most(
                at("inspection", name, 0),
                format!("inspection.{name}.officer_hours"),
                method.officer_hours,
                MAX_OFFICER_HOURS,
            );
            self.hours_at_most(
                at("inspection", name, 0),
                format!("inspection.{name}.dwell_hours"),
                method.dwell_hours,
                max_hours,
            );
        }
        if let Some(op) = &s.operation {
            self.operation_limits(op, days, max_hours);
        }
    }

    fn metadata_limits(&mut self, s: &Scenario) {
        if s.declarations > MAX_DECLARATIONS {
            self.push(
                at("", "declarations", 0),
                "declarations".into(),
                format!("{} declarations is out of range", s.declarations),
                Some(format!("use 1 to {MAX_DECLARATIONS}")),
            );
        }
        let all_valid = s.weekday_profile.iter().all(|w| w.is_finite() && *w >= 0.0);
        if all_valid && s.weekday_profile.iter().any(|w| *w > MAX_WEEKDAY) {
            self.push(
                at("", "weekday_profile", 0),
                "weekday_profile".into(),
                format!("weights above {MAX_WEEKDAY} are out of range"),
                Some(
                    "weights are relative volumes, e.g. [1.1, 1.15, 1.15, 1.15, 1.1, 0.75, 0.6]"
                        .into(),
                ),
            );
        }
        let sum: f64 = s.weekday_profile.iter().sum();
        if all_valid && sum > 0.0 && sum < 1e-3 {
            self.push(
                at("", "weekday_profile", 0),
                "weekday_profile".into(),
                format!("weights adding up to {sum} are too small to scale"),
                Some("weights are relative volumes; use numbers around 1".into()),
            );
        }
    }

    fn strategy_limits(&mut self, s: &Scenario) {
        for (i, d) in s.strategies.iter().enumerate() {
            let f = |name: &str| format!("strategies[{i}].kind.{name}");
            let at = |key| at_item_key("strategies", &d.name, key);
            let watch = match &d.kind {
                StrategyKind::Random { .. } | StrategyKind::Mixture { .. } => None,
                StrategyKind::Rules { watch, .. } => Some(watch),
                StrategyKind::Learner {
                    watch,
                    learning_rate,
                    ..
                } => {
                    self.at_most(
                        at("learning_rate"),
                        f("learning_rate"),
                        *learning_rate,
                        MAX_LEARNING_RATE,
                    );
                    Some(watch)
                }
                StrategyKind::RiskScore {
                    watch,
                    weights,
                    threshold,
                }
                | StrategyKind::IntelligenceLed {
                    watch,
                    weights,
                    threshold,
                } => {
                    for (ind, w) in weights {
                        self.at_most(
                            at("weights"),
                            f(&format!("weights.{ind:?}")),
                            w.abs(),
                            MAX_SCORE,
                        );
                    }
                    self.at_most(at("threshold"), f("threshold"), threshold.abs(), MAX_SCORE);
                    Some(watch)
                }
            };
            if let Some(w) = watch {
                self.whole(
                    at("new_trader_days"),
                    f("watch.new_trader_days"),
                    u64::from(w.new_trader_days),
                    0,
                    u64::from(MAX_NEW_TRADER_DAYS),
                    "days",
                );
                self.at_most(
                    at("value_anomaly"),
                    f("watch.value_anomaly"),
                    w.value_anomaly,
                    MAX_VALUE_ANOMALY,
                );
            }
        }
    }

    fn network_limits(&mut self, i: usize, n: &Network) {
        let f = |name: &str| format!("illicit[{i}].{name}");
        let at = |key| at_item_key("illicit", &n.name, key);
        self.whole(
            at("front_companies"),
            f("front_companies"),
            u64::from(n.front_companies),
            1,
            u64::from(MAX_FRONT_COMPANIES),
            "front companies",
        );
        for (c, w) in &n.concealment {
            self.at_most(
                at("concealment"),
                f(&format!("concealment.{c:?}")),
                *w,
                MAX_WEIGHT,
            );
        }
        if let Some(sh) = &n.shift {
            for (c, w) in &sh.concealment {
                self.at_most(
                    at("shift"),
                    f(&format!("shift.concealment.{c:?}")),
                    *w,
                    MAX_WEIGHT,
                );
            }
        }
        let a = &n.adaptation;
        self.lasting(
            at("learning_delay_days"),
            f("adaptation.learning_delay_days"),
            a.learning_delay_days,
            0,
        );
        self.range(
            at("concealment_penalty"),
            f("adaptation.concealment_penalty"),
            a.concealment_penalty,
            0.0,
            1.0,
        );
        self.range(
            at("publicity_pause_share"),
            f("adaptation.publicity_pause_share"),
            a.publicity_pause_share,
            0.0,
            1.0,
        );
        self.lasting(
            at("publicity_pause_days"),
            f("adaptation.publicity_pause_days"),
            a.publicity_pause_days,
            0,
        );
    }

    fn operation_limits(&mut self, op: &Operation, days: u32, max_hours: f64) {
        self.at_most(
            at("operation", "surge", 0),
            "operation.surge".into(),
            op.surge,
            MAX_SURGE,
        );
        self.hours_at_most(
            at("operation", "latency_hours", 0),
            "operation.platform.latency_hours".into(),
            op.platform.latency_hours,
            max_hours,
        );
        self.lasting(
            at("operation", "alert_days", 0),
            "operation.platform.alert_days".into(),
            op.platform.alert_days,
            1,
        );
        // Phases: one of each kind, none overlapping another.
        let mut kinds = BTreeSet::new();
        for (i, p) in op.phases.iter().enumerate() {
            if !kinds.insert(format!("{:?}", p.kind)) {
                self.push(
                    at("operation", "start_day", i),
                    format!("operation.phases[{i}].kind"),
                    format!("a second {:?} phase", p.kind),
                    Some("an operation has at most one phase of each kind".into()),
                );
            }
            for (j, q) in op.phases.iter().enumerate().take(i) {
                if p.start_day < q.end_day && q.start_day < p.end_day {
                    self.push(
                        at("operation", "start_day", i),
                        format!("operation.phases[{i}]"),
                        format!(
                            "days {}..{} overlap phases[{j}] ({:?}, days {}..{})",
                            p.start_day, p.end_day, q.kind, q.start_day, q.end_day
                        ),
                        Some("phases follow each other: start a phase on or after the end_day of the one before".into()),
                    );
                }
            }
        }
        for (i, inj) in op.injects.iter().enumerate() {
            let d = match &inj.event {
                Event::NodeClosure { days, .. }
                | Event::EquipmentFailure { days, .. }
                | Event::CapacityChange { days, .. } => *days,
                _ => continue,
            };
            self.whole(
                at("operation", "day", i),
                format!("operation.injects[{i}].event.days"),
                u64::from(d),
                1,
                u64::from(days),
                "days",
            );
        }
    }

    /// A whole number within `lo..=hi`.
    fn whole(&mut self, at: At<'_>, field: String, v: u64, lo: u64, hi: u64, unit: &str) {
        if v < lo || v > hi {
            self.push(
                at,
                field,
                format!("{v} {unit} is out of range"),
                Some(format!("use {lo} to {hi} {unit}")),
            );
        }
    }

    /// A state that lasts `v` days once it starts (an alert, a pause, a delay): longer
    /// than the run means "for the rest of the run", so the bound is the longest run,
    /// which keeps `day + v` and `(day + v) × ticks per day` far inside a `u32`.
    fn lasting(&mut self, at: At<'_>, field: String, v: u32, lo: u32) {
        if v < lo || v > MAX_DAYS {
            self.push(
                at,
                field,
                format!("{v} days is out of range"),
                Some(format!(
                    "use {lo} to {MAX_DAYS} days (more than the run's days lasts to its end)"
                )),
            );
        }
    }

    /// A finite number no larger than `hi`. Non-finite and too small values are the
    /// field's own check in `validate`, so they are not reported twice.
    fn at_most(&mut self, at: At<'_>, field: String, v: f64, hi: f64) {
        if v.is_finite() && v > hi {
            self.push(
                at,
                field,
                format!("{} is out of range", number(v)),
                Some(format!("use a number no larger than {}", number(hi))),
            );
        }
    }

    /// Hours that must fit in the longest run: past it they can only be a mistake.
    fn hours_at_most(&mut self, at: At<'_>, field: String, v: f64, max_hours: f64) {
        if v.is_finite() && v > max_hours {
            self.push(
                at,
                field,
                format!("{} hours is out of range", number(v)),
                Some(format!(
                    "use 0 to {max_hours} hours (ten years, the longest run)"
                )),
            );
        }
    }
}

/// A number as a person reads it: `1e308`, not three hundred digits.
pub(super) fn number(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && a.is_finite() && !(1e-4..1e9).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}
