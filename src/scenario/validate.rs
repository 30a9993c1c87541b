//! Semantic checks of a parsed scenario: codes that must exist in the reference data,
//! names that must refer to something, numbers that must be in range. Every problem is
//! collected (not just the first) and placed at the line where it was written.

use std::collections::BTreeSet;

#[path = "limits.rs"]
mod limits;

pub use limits::{MAX_DAYS, MAX_DECLARATIONS, MAX_FRONT_COMPANIES, MAX_TRADERS_PER_COUNTRY};

use super::error::Problem;
use super::schema::*;
use crate::world::reference::{Reference, nearest};

/// All semantic problems of a scenario, located in `source`.
pub fn validate(s: &Scenario, source: &str) -> Vec<Problem> {
    let mut c = Checker {
        loc: Locator::new(source),
        network_names: s.illicit.iter().map(|n| n.name.clone()).collect(),
        refs: Reference::embedded(),
        problems: Vec::new(),
    };
    c.metadata(s);
    c.administrations(s);
    c.nodes(s);
    c.services(s);
    c.strategies(s);
    c.trade(s);
    c.commodities(s);
    c.traders(s);
    c.networks(s);
    c.inspection(s);
    c.operation(s);
    c.exercise(s);
    c.limits(s);
    c.problems
}

struct Checker<'a> {
    loc: Locator<'a>,
    network_names: Vec<String>,
    refs: &'static Reference,
    problems: Vec<Problem>,
}

/// Where to point: a section key, then (for an item of a list) the quoted name of the
/// item, then the n-th occurrence of a field key after it, then a quoted value after that.
struct At<'s> {
    section: &'s str,
    item: Option<&'s str>,
    key: Option<(&'s str, usize)>,
    value: Option<&'s str>,
}

fn at<'s>(section: &'s str, key: &'s str, nth: usize) -> At<'s> {
    At {
        section,
        item: None,
        key: Some((key, nth)),
        value: None,
    }
}

fn at_value<'s>(section: &'s str, value: &'s str) -> At<'s> {
    At {
        section,
        item: None,
        key: None,
        value: Some(value),
    }
}

/// A value inside the list item named `item` (a service's calls, say): searching from
/// the item's name keeps `services[2]` from pointing at an equal value in `services[0]`.
fn at_item_value<'s>(section: &'s str, item: &'s str, value: &'s str) -> At<'s> {
    At {
        section,
        item: Some(item),
        key: None,
        value: Some(value),
    }
}

/// A field key inside the list item named `item`; at the item's name if the field was
/// left out (its default is then what is wrong).
fn at_item_key<'s>(section: &'s str, item: &'s str, key: &'s str) -> At<'s> {
    At {
        section,
        item: Some(item),
        key: Some((key, 0)),
        value: None,
    }
}

impl Checker<'_> {
    fn push(&mut self, at: At<'_>, field: String, message: String, help: Option<String>) {
        let (line, col) = self.loc.find(&at);
        self.problems.push(Problem {
            line,
            col,
            field,
            message,
            help,
        });
    }

    fn range(&mut self, at: At<'_>, field: String, v: f64, lo: f64, hi: f64) {
        if !(v.is_finite() && v >= lo && v <= hi) {
            let help = if hi.is_infinite() {
                format!("use a number of at least {lo}")
            } else {
                format!("use a number from {lo} to {hi}")
            };
            self.push(
                at,
                field,
                format!("{} is out of range", limits::number(v)),
                Some(help),
            );
        }
    }

    fn positive(&mut self, at: At<'_>, field: String, v: f64) {
        if !(v.is_finite() && v > 0.0) {
            self.push(
                at,
                field,
                format!("{} must be greater than 0", limits::number(v)),
                Some("use a positive number".into()),
            );
        }
    }

    fn country(&mut self, section: &str, field: String, iso3: &str) -> bool {
        if self.refs.country(iso3).is_some() {
            return true;
        }
        let help = match self.refs.suggest_country(iso3) {
            Some(s) => format!("did you mean \"{s}\"? countries are ISO 3166-1 alpha-3 codes"),
            None => "countries are ISO 3166-1 alpha-3 codes, e.g. \"SGP\"".into(),
        };
        self.push(
            at_value(section, iso3),
            field,
            format!("unknown country code \"{iso3}\""),
            Some(help),
        );
        false
    }

    fn admin_country(&mut self, s: &Scenario, section: &str, field: String, iso3: &str) {
        if !self.country(section, field.clone(), iso3) {
            return;
        }
        if !s.administrations.iter().any(|a| a.country == iso3) {
            self.push(
                at_value(section, iso3),
                field,
                format!("country \"{iso3}\" has no administration in this scenario"),
                Some(format!(
                    "add Administration(country: \"{iso3}\") to `administrations`"
                )),
            );
        }
    }

    fn name_ref(&mut self, section: &str, field: String, what: &str, name: &str, valid: &[&str]) {
        self.name_ref_at(at_value(section, name), field, what, name, valid);
    }

    /// A name inside the list item named `item` of `section`.
    fn name_ref_in(
        &mut self,
        section: &str,
        item: &str,
        field: String,
        what: &str,
        name: &str,
        valid: &[&str],
    ) {
        self.name_ref_at(at_item_value(section, item, name), field, what, name, valid);
    }

    fn name_ref_at(&mut self, at: At<'_>, field: String, what: &str, name: &str, valid: &[&str]) {
        if valid.contains(&name) {
            return;
        }
        let help = match nearest(name, valid.iter().copied()) {
            Some(best) => format!("did you mean \"{best}\"? defined: {}", valid.join(", ")),
            None if valid.is_empty() => format!("no {what} is defined"),
            None => format!("defined: {}", valid.join(", ")),
        };
        self.push(at, field, format!("unknown {what} \"{name}\""), Some(help));
    }

    fn unique<'n>(&mut self, section: &str, what: &str, names: impl Iterator<Item = &'n str>) {
        let mut seen = BTreeSet::new();
        for (i, n) in names.enumerate() {
            if !seen.insert(n) {
                let (line, col) = self.loc.find_nth_value(section, n, 1);
                self.problems.push(Problem {
                    line,
                    col,
                    field: format!("{section}[{i}]"),
                    message: format!("{what} \"{n}\" is defined twice"),
                    help: Some(format!("each {what} must be unique")),
                });
            }
        }
    }

    fn hs_code(&mut self, section: &str, field: String, code: &str, prefix_ok: bool) {
        let digits_ok = code.chars().all(|c| c.is_ascii_digit())
            && if prefix_ok {
                matches!(code.len(), 2 | 4 | 6)
            } else {
                code.len() == 6
            };
        if digits_ok && self.refs.hs(code).is_some() {
            return;
        }
        let want = if prefix_ok {
            "an HS 2022 chapter (2 digits), heading (4) or subheading (6)"
        } else {
            "an HS 2022 six-digit subheading, e.g. \"293190\""
        };
        let help = match self.refs.suggest_hs(code) {
            Some(s) => format!("did you mean \"{s}\"? use {want}"),
            None => format!("use {want}"),
        };
        self.push(
            at_value(section, code),
            field,
            format!("\"{code}\" is not in the HS 2022 nomenclature"),
            Some(help),
        );
    }

    fn metadata(&mut self, s: &Scenario) {
        if !valid_date(&s.start_date) {
            self.push(
                at("", "start_date", 0),
                "start_date".into(),
                format!("\"{}\" is not a date", s.start_date),
                Some("write it as \"YYYY-MM-DD\", e.g. \"2020-02-01\"".into()),
            );
        }
        if s.days == 0 || s.days > 3660 {
            self.push(
                at("", "days", 0),
                "days".into(),
                format!("{} days is out of range", s.days),
                Some("use 1 to 3660 days".into()),
            );
        }
        if s.tick_hours == 0 || 24 % s.tick_hours != 0 {
            self.push(
                at("", "tick_hours", 0),
                "tick_hours".into(),
                format!("{} does not divide a day", s.tick_hours),
                Some("use 1, 2, 3, 4, 6, 8, 12 or 24".into()),
            );
        }
        if s.declarations == 0 {
            self.push(
                at("", "declarations", 0),
                "declarations".into(),
                "a run needs at least one declaration".into(),
                Some("use a positive whole number".into()),
            );
        }
        for (field, v) in [("warmup_days", s.warmup_days), ("drain_days", s.drain_days)] {
            if v.is_some_and(|d| d > 3660) {
                self.push(
                    at("", field, 0),
                    field.into(),
                    format!("{} days is out of range", v.unwrap_or(0)),
                    Some("use 0 to 3660 days, or leave it out for the automatic length".into()),
                );
            }
        }
        if !(s.arrival_dispersion.is_finite() && (0.0..=100.0).contains(&s.arrival_dispersion)) {
            self.push(
                at("", "arrival_dispersion", 0),
                "arrival_dispersion".into(),
                format!("{} is out of range", s.arrival_dispersion),
                Some("0 for Poisson daily volumes, or a positive variance of the daily factor up to 100".into()),
            );
        }
        if s.weekday_profile
            .iter()
            .any(|w| !(w.is_finite() && *w >= 0.0))
            || s.weekday_profile.iter().sum::<f64>() <= 0.0
        {
            self.push(
                at("", "weekday_profile", 0),
                "weekday_profile".into(),
                "weights must be non-negative and not all zero".into(),
                Some("seven numbers, Monday to Sunday".into()),
            );
        }
    }

    fn administrations(&mut self, s: &Scenario) {
        if s.administrations.is_empty() {
            self.push(
                at("", "administrations", 0),
                "administrations".into(),
                "no administration is defined".into(),
                Some("add at least one Administration(country: \"...\")".into()),
            );
        }
        self.unique(
            "administrations",
            "administration",
            s.administrations.iter().map(|a| a.country.as_str()),
        );
        for (i, a) in s.administrations.iter().enumerate() {
            let f = |name: &str| format!("administrations[{i}].{name}");
            self.country("administrations", f("country"), &a.country);
            self.range(
                at("administrations", "trained_officer_share", i),
                f("trained_officer_share"),
                a.trained_officer_share,
                0.0,
                1.0,
            );
            self.range(
                at("administrations", "advance_information", i),
                f("advance_information"),
                a.advance_information,
                0.0,
                1.0,
            );
            self.range(
                at("administrations", "licensing_response_hours", i),
                f("licensing_response_hours"),
                a.licensing_response_hours,
                0.0,
                f64::INFINITY,
            );
            if let Some(g) = a.gdp_musd {
                self.positive(at("administrations", "gdp_musd", i), f("gdp_musd"), g);
            }
        }
    }

    fn nodes(&mut self, s: &Scenario) {
        if s.nodes.is_empty() {
            self.push(
                at("", "nodes", 0),
                "nodes".into(),
                "no node is defined".into(),
                Some("add ports or airports with Node(code: \"...\")".into()),
            );
        }
        self.unique("nodes", "node", s.nodes.iter().map(|n| n.code.as_str()));
        let strategies: Vec<&str> = s.strategies.iter().map(|d| d.name.as_str()).collect();
        let mut offices_seen = 0;
        for (i, n) in s.nodes.iter().enumerate() {
            let f = |name: &str| format!("nodes[{i}].{name}");
            let iso2 = match n.kind {
                NodeKind::Seaport => match self.refs.port(&n.code) {
                    Some(p) => Some(p.country_iso2.clone()),
                    None => {
                        let help = match self.refs.suggest_port(&n.code) {
                            Some(s) => format!("did you mean \"{s}\"? seaports use 5-letter UN/LOCODEs"),
                            None => "seaports use 5-letter UN/LOCODEs, e.g. \"SGSIN\"; airports need kind: Airport and an IATA code".into(),
                        };
                        self.push(
                            at_value("nodes", &n.code),
                            f("code"),
                            format!("unknown port code \"{}\"", n.code),
                            Some(help),
                        );
                        None
                    }
                },
                NodeKind::Airport => match self.refs.airport(&n.code) {
                    Some(a) => Some(a.country_iso2.clone()),
                    None => {
                        let help = match self.refs.suggest_airport(&n.code) {
                            Some(s) => {
                                format!("did you mean \"{s}\"? airports use 3-letter IATA codes")
                            }
                            None => "airports use 3-letter IATA codes, e.g. \"SIN\"".into(),
                        };
                        self.push(
                            at_value("nodes", &n.code),
                            f("code"),
                            format!("unknown airport code \"{}\"", n.code),
                            Some(help),
                        );
                        None
                    }
                },
            };
            if let Some(iso2) = iso2 {
                match self.refs.country_by_iso2(&iso2) {
                    Some(c) if !s.administrations.iter().any(|a| a.country == c.iso3) => {
                        self.push(
                            at_value("nodes", &n.code),
                            f("code"),
                            format!("node \"{}\" is in {} which has no administration", n.code, c.iso3),
                            Some(format!("add Administration(country: \"{}\")", c.iso3)),
                        );
                    }
                    Some(_) => {}
                    None => self.push(
                        at_value("nodes", &n.code),
                        f("code"),
                        format!("node \"{}\" has country code {iso2}, which the reference data does not know", n.code),
                        None,
                    ),
                }
            }
            self.range(
                at_value("nodes", &n.code),
                f("trade_weight"),
                n.trade_weight,
                0.0,
                f64::INFINITY,
            );
            if let Some(o) = &n.office {
                let k = offices_seen;
                offices_seen += 1;
                self.range(
                    at("nodes", "capacity_hours", k),
                    f("office.capacity_hours"),
                    o.capacity_hours,
                    0.0,
                    f64::INFINITY,
                );
                self.name_ref(
                    "nodes",
                    f("office.strategy"),
                    "strategy",
                    &o.strategy,
                    &strategies,
                );
                if o.roles.is_empty() {
                    self.push(
                        at_value("nodes", &n.code),
                        f("office.roles"),
                        "an office with no role assesses nothing".into(),
                        Some("use some of [Export, Transit, Import], or remove the office".into()),
                    );
                }
            }
        }
    }

    fn services(&mut self, s: &Scenario) {
        let nodes: Vec<&str> = s.nodes.iter().map(|n| n.code.as_str()).collect();
        self.unique(
            "services",
            "service",
            s.services.iter().map(|x| x.name.as_str()),
        );
        for (i, sv) in s.services.iter().enumerate() {
            let f = |name: &str| format!("services[{i}].{name}");
            if sv.calls.len() < 2 {
                self.push(
                    at_value("services", &sv.name),
                    f("calls"),
                    format!(
                        "service \"{}\" has {} call(s): a route needs at least two",
                        sv.name,
                        sv.calls.len()
                    ),
                    Some("list the node codes it calls at, in rotation order".into()),
                );
            }
            for (j, call) in sv.calls.iter().enumerate() {
                if !nodes.contains(&call.as_str()) {
                    self.name_ref_in(
                        "services",
                        &sv.name,
                        f(&format!("calls[{j}]")),
                        "node",
                        call,
                        &nodes,
                    );
                    continue;
                }
                if j > 0 && sv.calls[j - 1] == *call {
                    self.push(
                        at_item_value("services", &sv.name, call),
                        f(&format!("calls[{j}]")),
                        format!("\"{call}\" is called twice in a row"),
                        None,
                    );
                }
                let kind = s.nodes.iter().find(|n| n.code == *call).map(|n| n.kind);
                let expected = match sv.mode {
                    Mode::Sea => NodeKind::Seaport,
                    Mode::Air => NodeKind::Airport,
                };
                if kind.is_some_and(|k| k != expected) {
                    let mode = format!("{:?}", sv.mode);
                    let article = if mode.starts_with(['A', 'E', 'I', 'O', 'U']) {
                        "an"
                    } else {
                        "a"
                    };
                    self.push(
                        at_item_value("services", &sv.name, call),
                        f(&format!("calls[{j}]")),
                        format!(
                            "{article} {mode} service cannot call at {:?} \"{call}\"",
                            kind.unwrap()
                        ),
                        Some("sea services call at seaports, air services at airports".into()),
                    );
                }
            }
            self.positive(
                at_value("services", &sv.name),
                f("frequency_days"),
                sv.frequency_days,
            );
            if let Some(v) = sv.speed_kmh {
                self.positive(at_value("services", &sv.name), f("speed_kmh"), v);
            }
            self.range(
                at_value("services", &sv.name),
                f("call_hours"),
                sv.call_hours,
                0.0,
                f64::INFINITY,
            );
        }
    }

    fn strategies(&mut self, s: &Scenario) {
        if s.strategies.is_empty() {
            self.push(
                at("", "strategies", 0),
                "strategies".into(),
                "no strategy is defined".into(),
                Some("add StrategyDef(name: \"random\", kind: Random(rate: 0.02))".into()),
            );
        }
        self.unique(
            "strategies",
            "strategy",
            s.strategies.iter().map(|d| d.name.as_str()),
        );
        let mut random_seen = 0;
        for (i, d) in s.strategies.iter().enumerate() {
            let f = |name: &str| format!("strategies[{i}].kind.{name}");
            match &d.kind {
                StrategyKind::Random { rate } => {
                    self.range(
                        at("strategies", "rate", random_seen),
                        f("rate"),
                        *rate,
                        0.0,
                        1.0,
                    );
                    random_seen += 1;
                }
                StrategyKind::Rules { watch, profiles } => {
                    self.watchlists(i, watch);
                    if profiles.is_empty() {
                        self.push(
                            at_value("strategies", &d.name),
                            f("profiles"),
                            "a rule-based strategy needs at least one profile".into(),
                            None,
                        );
                    }
                    for (j, p) in profiles.iter().enumerate() {
                        if p.all.is_empty() {
                            self.push(
                                at_value("strategies", &p.name),
                                f(&format!("profiles[{j}].all")),
                                format!(
                                    "profile \"{}\" has no indicator and would match everything",
                                    p.name
                                ),
                                Some("list indicators, e.g. [HsWatch, NewTrader]".into()),
                            );
                        }
                    }
                }
                StrategyKind::Learner {
                    watch,
                    exploration,
                    learning_rate,
                    initial_weight,
                    prior_rate,
                } => {
                    self.watchlists(i, watch);
                    self.range(
                        at_value("strategies", &d.name),
                        f("initial_weight"),
                        *initial_weight,
                        -10.0,
                        10.0,
                    );
                    self.range(
                        at_value("strategies", &d.name),
                        f("prior_rate"),
                        *prior_rate,
                        1e-6,
                        0.5,
                    );
                    self.range(
                        at_value("strategies", &d.name),
                        f("exploration"),
                        *exploration,
                        0.0,
                        1.0,
                    );
                    self.positive(
                        at_value("strategies", &d.name),
                        f("learning_rate"),
                        *learning_rate,
                    );
                }
                StrategyKind::Mixture { parts } => {
                    let names: Vec<&str> = s
                        .strategies
                        .iter()
                        .map(|x| x.name.as_str())
                        .filter(|n| *n != d.name)
                        .collect();
                    if parts.is_empty() {
                        self.push(
                            at_value("strategies", &d.name),
                            f("parts"),
                            "a mixture needs at least one part".into(),
                            None,
                        );
                    }
                    for (j, (name, share)) in parts.iter().enumerate() {
                        self.name_ref(
                            "strategies",
                            f(&format!("parts[{j}]")),
                            "strategy",
                            name,
                            &names,
                        );
                        self.range(
                            at_value("strategies", name),
                            f(&format!("parts[{j}].share")),
                            *share,
                            0.0,
                            1.0,
                        );
                        let nested = s
                            .strategies
                            .iter()
                            .find(|x| &x.name == name)
                            .is_some_and(|x| matches!(x.kind, StrategyKind::Mixture { .. }));
                        if nested {
                            self.push(
                                at_value("strategies", name),
                                f(&format!("parts[{j}]")),
                                "a mixture cannot contain another mixture".into(),
                                None,
                            );
                        }
                    }
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
                    self.watchlists(i, watch);
                    for (ind, w) in weights {
                        if !w.is_finite() {
                            self.push(
                                at_value("strategies", &d.name),
                                f(&format!("weights.{ind:?}")),
                                format!("weight {w} is not a number"),
                                None,
                            );
                        }
                    }
                    if !threshold.is_finite() {
                        self.push(
                            at_value("strategies", &d.name),
                            f("threshold"),
                            "threshold must be a number".into(),
                            None,
                        );
                    }
                }
            }
        }
    }

    fn watchlists(&mut self, i: usize, w: &Watchlists) {
        for (j, code) in w.hs.iter().enumerate() {
            self.hs_code(
                "strategies",
                format!("strategies[{i}].kind.watch.hs[{j}]"),
                code,
                true,
            );
        }
        for (j, c) in w.countries.iter().enumerate() {
            self.country(
                "strategies",
                format!("strategies[{i}].kind.watch.countries[{j}]"),
                c,
            );
        }
        let names = self.network_names.clone();
        let networks: Vec<&str> = names.iter().map(String::as_str).collect();
        for (j, n) in w.networks.iter().enumerate() {
            self.name_ref(
                "strategies",
                format!("strategies[{i}].kind.watch.networks[{j}]"),
                "illicit network",
                n,
                &networks,
            );
        }
        self.range(
            at("strategies", "entity_coverage", 0),
            format!("strategies[{i}].kind.watch.entity_coverage"),
            w.entity_coverage,
            0.0,
            1.0,
        );
        if !(w.value_anomaly.is_finite() && w.value_anomaly > 0.0) {
            self.push(
                at("strategies", "value_anomaly", 0),
                format!("strategies[{i}].kind.watch.value_anomaly"),
                format!("{} must be greater than 0", w.value_anomaly),
                None,
            );
        }
        if !w.traders.is_empty() {
            self.push(
                at("strategies", "traders", 0),
                format!("strategies[{i}].kind.watch.traders"),
                "trader ids are for `stce trace` strategies files; in a scenario, put the illicit networks intelligence knows in watch.networks".to_string(),
                None,
            );
        }
    }

    fn trade(&mut self, s: &Scenario) {
        match &s.trade {
            TradeModel::Gravity {
                gdp_origin_exponent,
                gdp_destination_exponent,
                distance_exponent,
            } => {
                for (name, v) in [
                    ("gdp_origin_exponent", gdp_origin_exponent),
                    ("gdp_destination_exponent", gdp_destination_exponent),
                    ("distance_exponent", distance_exponent),
                ] {
                    self.range(at("trade", name, 0), format!("trade.{name}"), *v, 0.0, 5.0);
                }
            }
            TradeModel::Matrix(flows) => {
                if flows.is_empty() {
                    self.push(
                        at("", "trade", 0),
                        "trade".into(),
                        "an empty flow matrix generates no trade".into(),
                        Some("add Flow(from: \"...\", to: \"...\", weight: 1.0)".into()),
                    );
                }
                for (i, fl) in flows.iter().enumerate() {
                    self.admin_country(s, "trade", format!("trade[{i}].from"), &fl.from);
                    self.admin_country(s, "trade", format!("trade[{i}].to"), &fl.to);
                    self.range(
                        at("trade", "weight", i),
                        format!("trade[{i}].weight"),
                        fl.weight,
                        0.0,
                        f64::INFINITY,
                    );
                }
            }
        }
    }

    fn commodities(&mut self, s: &Scenario) {
        self.unique(
            "commodities",
            "commodity",
            s.commodities.iter().map(|c| c.name.as_str()),
        );
        if s.commodities.iter().map(|c| c.share.max(0.0)).sum::<f64>() <= 0.0 {
            self.push(
                at("", "commodities", 0),
                "commodities".into(),
                "no commodity has a positive share of licit trade".into(),
                Some("give at least one commodity `share` > 0".into()),
            );
        }
        for (i, c) in s.commodities.iter().enumerate() {
            let f = |name: &str| format!("commodities[{i}].{name}");
            self.hs_code("commodities", f("hs"), &c.hs, false);
            self.range(
                at("commodities", "share", i),
                f("share"),
                c.share,
                0.0,
                f64::INFINITY,
            );
            self.positive(
                at_value("commodities", &c.name),
                f("value_per_kg"),
                c.value_per_kg,
            );
            self.positive(at_value("commodities", &c.name), f("kg"), c.kg);
            if let Some(cas) = &c.cas {
                if self.refs.chemical_by_cas(cas).is_none() {
                    self.push(
                        at_value("commodities", cas),
                        f("cas"),
                        format!("CAS number \"{cas}\" is not a CWC-scheduled chemical or an EU 1C350 precursor"),
                        Some("use a CAS number from scenarios/reference/strategic_goods/, e.g. \"756-79-6\" (DMMP)".into()),
                    );
                }
                if c.category != Category::Chemical {
                    self.push(
                        at_value("commodities", cas),
                        f("category"),
                        "a commodity with a CAS number must have category: Chemical".into(),
                        None,
                    );
                }
            }
        }
    }

    fn traders(&mut self, s: &Scenario) {
        let t = &s.traders;
        if t.per_country == 0 {
            self.push(
                at("traders", "per_country", 0),
                "traders.per_country".into(),
                "every country needs at least one trader".into(),
                None,
            );
        }
        for (name, v) in [
            ("new_share", t.new_share),
            ("aeo_share", t.aeo_share),
            ("prior_violation_share", t.prior_violation_share),
            ("vague_description_share", t.vague_description_share),
        ] {
            self.range(
                at("traders", name, 0),
                format!("traders.{name}"),
                v,
                0.0,
                1.0,
            );
        }
        self.range(
            at("traders", "value_noise", 0),
            "traders.value_noise".into(),
            t.value_noise,
            0.0,
            5.0,
        );
    }

    fn networks(&mut self, s: &Scenario) {
        let names: Vec<&str> = s.commodities.iter().map(|c| c.name.as_str()).collect();
        let nodes: Vec<&str> = s.nodes.iter().map(|n| n.code.as_str()).collect();
        self.unique(
            "illicit",
            "network",
            s.illicit.iter().map(|n| n.name.as_str()),
        );
        let total: f64 = s.illicit.iter().map(|n| n.share.max(0.0)).sum();
        if total >= 1.0 {
            self.push(
                at("", "illicit", 0),
                "illicit".into(),
                format!("illicit shares add up to {total}, leaving no licit trade"),
                Some("shares are fractions of all declarations; keep their sum below 1".into()),
            );
        }
        for (i, n) in s.illicit.iter().enumerate() {
            let f = |name: &str| format!("illicit[{i}].{name}");
            self.range(at("illicit", "share", i), f("share"), n.share, 0.0, 1.0);
            if n.seeks.is_empty() {
                self.push(
                    at_value("illicit", &n.name),
                    f("seeks"),
                    "a network must seek at least one commodity".into(),
                    None,
                );
            }
            for (j, c) in n.seeks.iter().enumerate() {
                self.name_ref("illicit", f(&format!("seeks[{j}]")), "commodity", c, &names);
            }
            for (list, what) in [(&n.origins, "origins"), (&n.destinations, "destinations")] {
                if list.is_empty() {
                    self.push(
                        at_value("illicit", &n.name),
                        f(what),
                        format!("`{what}` is empty"),
                        Some("list ISO3 codes".into()),
                    );
                }
                for (j, c) in list.iter().enumerate() {
                    self.admin_country(s, "illicit", f(&format!("{what}[{j}]")), c);
                }
            }
            for (j, v) in n.via.iter().enumerate() {
                self.name_ref("illicit", f(&format!("via[{j}]")), "node", v, &nodes);
            }
            if n.concealment.is_empty()
                || n.concealment
                    .values()
                    .any(|w| !(w.is_finite() && *w >= 0.0))
                || n.concealment.values().sum::<f64>() <= 0.0
            {
                self.push(
                    at("illicit", "concealment", i),
                    f("concealment"),
                    "concealment weights must be non-negative and not all zero".into(),
                    Some(format!(
                        "e.g. {{MisdeclaredHs: 0.5, FalseEndUser: 0.5}}; methods: {}",
                        Concealment::ALL.map(|c| format!("{c:?}")).join(", ")
                    )),
                );
            }
            for (j, code) in n.cover_hs.iter().enumerate() {
                self.hs_code("illicit", f(&format!("cover_hs[{j}]")), code, false);
            }
            self.range(
                at("illicit", "front_company_new_share", i),
                f("front_company_new_share"),
                n.front_company_new_share,
                0.0,
                1.0,
            );
            if let Some(sh) = &n.shift {
                if sh.day >= s.days {
                    self.push(
                        at("illicit", "shift", 0),
                        f("shift.day"),
                        format!(
                            "day {} is after the run's last day {}",
                            sh.day,
                            s.days.saturating_sub(1)
                        ),
                        None,
                    );
                }
                if sh
                    .concealment
                    .values()
                    .any(|w| !(w.is_finite() && *w >= 0.0))
                    || sh.concealment.values().sum::<f64>() <= 0.0
                {
                    self.push(
                        at("illicit", "shift", 0),
                        f("shift.concealment"),
                        "concealment weights must be non-negative and not all zero".into(),
                        None,
                    );
                }
            }
            if n.front_companies == 0 {
                self.push(
                    at_value("illicit", &n.name),
                    f("front_companies"),
                    "a network needs at least one front company".into(),
                    None,
                );
            }
        }
    }

    fn inspection(&mut self, s: &Scenario) {
        let m = &s.inspection;
        for (name, method) in [("physical", m.physical), ("nii_scan", m.nii_scan)] {
            self.positive(
                at("inspection", name, 0),
                format!("inspection.{name}.officer_hours"),
                method.officer_hours,
            );
            self.range(
                at("inspection", name, 0),
                format!("inspection.{name}.dwell_hours"),
                method.dwell_hours,
                0.0,
                f64::INFINITY,
            );
        }
        for (c, p) in &m.find {
            self.range(
                at("inspection", "find", 0),
                format!("inspection.find.{c:?}.physical"),
                p.physical,
                0.0,
                1.0,
            );
            self.range(
                at("inspection", "find", 0),
                format!("inspection.find.{c:?}.nii_scan"),
                p.nii_scan,
                0.0,
                1.0,
            );
        }
        for (name, v) in [
            ("recognise_untrained", m.recognise_untrained),
            ("recognise_trained", m.recognise_trained),
            ("chemical_identifier", m.chemical_identifier),
            ("radiation_portal", m.radiation_portal),
        ] {
            self.range(
                at("inspection", name, 0),
                format!("inspection.{name}"),
                v,
                0.0,
                1.0,
            );
        }
    }
}

impl Checker<'_> {
    fn operation(&mut self, s: &Scenario) {
        let Some(op) = &s.operation else {
            return;
        };
        for (i, c) in op.participants.iter().enumerate() {
            self.admin_country(s, "operation", format!("operation.participants[{i}]"), c);
        }
        if op.phases.is_empty() {
            self.push(
                at("operation", "phases", 0),
                "operation.phases".into(),
                "an operation needs at least one phase".into(),
                Some("e.g. [Phase(kind: Interdiction, start_day: 7, end_day: 21)]".into()),
            );
        }
        for (i, p) in op.phases.iter().enumerate() {
            if p.start_day >= p.end_day || p.end_day > s.days {
                self.push(
                    at("operation", "start_day", i),
                    format!("operation.phases[{i}]"),
                    format!(
                        "days {}..{} are not a window inside the run",
                        p.start_day, p.end_day
                    ),
                    Some(format!("need start_day < end_day <= days ({})", s.days)),
                );
            }
        }
        let commodities: Vec<&str> = s.commodities.iter().map(|c| c.name.as_str()).collect();
        for (i, f) in op.focus.iter().enumerate() {
            self.name_ref(
                "operation",
                format!("operation.focus[{i}]"),
                "commodity",
                f,
                &commodities,
            );
        }
        self.positive(
            at("operation", "surge", 0),
            "operation.surge".into(),
            op.surge,
        );
        if let Some(st) = &op.strategy {
            let names: Vec<&str> = s.strategies.iter().map(|d| d.name.as_str()).collect();
            self.name_ref(
                "operation",
                "operation.strategy".into(),
                "strategy",
                st,
                &names,
            );
        }
        self.range(
            at("operation", "latency_hours", 0),
            "operation.platform.latency_hours".into(),
            op.platform.latency_hours,
            0.0,
            f64::INFINITY,
        );
        let nodes: Vec<&str> = s.nodes.iter().map(|n| n.code.as_str()).collect();
        let networks: Vec<&str> = s.illicit.iter().map(|n| n.name.as_str()).collect();
        let services: Vec<&str> = s.services.iter().map(|x| x.name.as_str()).collect();
        let mut opened: Vec<&str> = Vec::new();
        for (i, inj) in op.injects.iter().enumerate() {
            let f = |x: &str| format!("operation.injects[{i}].{x}");
            if inj.day >= s.days {
                self.push(
                    at("operation", "day", i),
                    f("day"),
                    format!(
                        "day {} is after the run's last day {}",
                        inj.day,
                        s.days.saturating_sub(1)
                    ),
                    None,
                );
            }
            match &inj.event {
                Event::IntelligenceTip { network, coverage } => {
                    self.name_ref(
                        "operation",
                        f("event.network"),
                        "illicit network",
                        network,
                        &networks,
                    );
                    self.range(
                        at_value("operation", network),
                        f("event.coverage"),
                        *coverage,
                        0.0,
                        1.0,
                    );
                }
                Event::NodeClosure { node, .. } | Event::EquipmentFailure { node, .. } => {
                    self.name_ref("operation", f("event.node"), "node", node, &nodes);
                }
                Event::CapacityChange {
                    node,
                    country,
                    factor,
                    ..
                } => {
                    if let Some(n) = node {
                        self.name_ref("operation", f("event.node"), "node", n, &nodes);
                    }
                    if let Some(c) = country {
                        self.admin_country(s, "operation", f("event.country"), c);
                    }
                    if node.is_none() == country.is_none() {
                        self.push(
                            at("operation", "factor", 0),
                            f("event"),
                            "a capacity change names either a node or a country".into(),
                            None,
                        );
                    }
                    self.range(
                        at("operation", "factor", 0),
                        f("event.factor"),
                        *factor,
                        0.0,
                        100.0,
                    );
                }
                Event::Publicity => {}
                Event::NewService { service } => {
                    self.name_ref(
                        "operation",
                        f("event.service"),
                        "service",
                        service,
                        &services,
                    );
                    if opened.contains(&service.as_str()) {
                        self.push(
                            at_value("operation", service),
                            f("event.service"),
                            format!("service \"{service}\" already starts at an earlier inject"),
                            None,
                        );
                    }
                    opened.push(service);
                }
            }
        }
    }
}

/// `YYYY-MM-DD` with a real month and day.
pub fn valid_date(s: &str) -> bool {
    parse_date(s).is_some()
}

/// (year, month, day) of a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i32 = s[0..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1..=12).contains(&m).then_some(())?;
    (1..=days[m as usize - 1]).contains(&d).then_some((y, m, d))
}

/// Finds where a field was written, ignoring comments.
struct Locator<'a> {
    /// The source with comments blanked out, so offsets still match.
    text: String,
    line_starts: Vec<usize>,
    _src: &'a str,
}

impl<'a> Locator<'a> {
    fn new(src: &'a str) -> Self {
        // One ASCII byte per source byte, so offsets in `text` are offsets in `src`.
        let bytes = src.as_bytes();
        let ascii = |c: u8| if c.is_ascii() { c } else { b' ' };
        let mut text = Vec::with_capacity(bytes.len());
        let mut i = 0;
        let mut in_string = false;
        while i < bytes.len() {
            let c = bytes[i];
            if in_string {
                text.push(ascii(c));
                if c == b'\\' && i + 1 < bytes.len() {
                    text.push(ascii(bytes[i + 1]));
                    i += 1;
                } else if c == b'"' {
                    in_string = false;
                }
            } else if c == b'"' {
                in_string = true;
                text.push(c);
            } else if c == b'/' && bytes.get(i + 1) == Some(&b'/') {
                while i < bytes.len() && bytes[i] != b'\n' {
                    text.push(b' ');
                    i += 1;
                }
                continue;
            } else if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    text.push(if bytes[i] == b'\n' { b'\n' } else { b' ' });
                    i += 1;
                }
                let close = (bytes.len() - i).min(2);
                text.extend(std::iter::repeat_n(b' ', close));
                i += close;
                continue;
            } else {
                text.push(ascii(c));
            }
            i += 1;
        }
        let text = String::from_utf8(text).unwrap_or_default();
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Locator {
            text,
            line_starts,
            _src: src,
        }
    }

    fn line_col(&self, byte: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= byte);
        let start = self.line_starts[line - 1];
        (line, byte - start + 1)
    }

    fn key_pos(&self, key: &str, from: usize, nth: usize) -> Option<usize> {
        let mut count = 0;
        let bytes = self.text.as_bytes();
        let mut search = from.min(self.text.len());
        while let Some(rel) = self.text[search..].find(key) {
            let pos = search + rel;
            search = pos + key.len();
            let before_ok =
                pos == 0 || !(bytes[pos - 1].is_ascii_alphanumeric() || bytes[pos - 1] == b'_');
            let after = self.text[search..].trim_start();
            if before_ok && after.starts_with(':') {
                if count == nth {
                    return Some(pos);
                }
                count += 1;
            }
        }
        None
    }

    fn value_pos(&self, value: &str, from: usize, nth: usize) -> Option<usize> {
        let quoted = format!("\"{value}\"");
        self.text[from.min(self.text.len())..]
            .match_indices(&quoted)
            .nth(nth)
            .map(|(i, _)| from + i + 1)
    }

    fn find(&self, at: &At<'_>) -> (usize, usize) {
        let mut pos = 0;
        if !at.section.is_empty()
            && let Some(p) = self.key_pos(at.section, 0, 0)
        {
            pos = p;
        }
        if let Some(item) = at.item
            && let Some(p) = self.value_pos(item, pos, 0)
        {
            pos = p;
        }
        if let Some((key, nth)) = at.key
            && let Some(p) = self.key_pos(key, pos, nth)
            && (at.item.is_none() || self.same_item(pos, p))
        {
            pos = p;
        }
        if let Some(v) = at.value
            && let Some(p) = self.value_pos(v, pos, 0)
        {
            pos = p;
        }
        self.line_col(pos)
    }

    /// Whether `to` is still inside the list item that contains `from`: no closing
    /// bracket that ends the item lies between them.
    fn same_item(&self, from: usize, to: usize) -> bool {
        let mut depth = 0i64;
        for &b in &self.text.as_bytes()[from..to] {
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth -= 1;
                    if depth < 0 {
                        return false;
                    }
                }
                _ => {}
            }
        }
        true
    }

    fn find_nth_value(&self, section: &str, value: &str, nth: usize) -> (usize, usize) {
        let from = self.key_pos(section, 0, 0).unwrap_or(0);
        self.line_col(self.value_pos(value, from, nth).unwrap_or(from))
    }
}

/// The `exercise` block: names that must refer to something, turns that must fit the run.
impl Checker<'_> {
    fn exercise(&mut self, s: &Scenario) {
        let Some(ex) = &s.exercise else {
            return;
        };
        let sec = "exercise";
        if ex.turn_hours == 0 || !24u32.is_multiple_of(ex.turn_hours) {
            self.push(
                at(sec, "turn_hours", 0),
                "exercise.turn_hours".into(),
                format!("{} hours does not divide a day", ex.turn_hours),
                Some("use 1, 2, 3, 4, 6, 8, 12 or 24".into()),
            );
        } else if ex.turns == 0
            || (ex.start_day as u64 * 24 + ex.turns as u64 * ex.turn_hours as u64)
                > s.days as u64 * 24
        {
            self.push(
                at(sec, "turns", 0),
                "exercise.turns".into(),
                format!(
                    "{} turns of {} hours from day {} do not fit in the run's {} days",
                    ex.turns, ex.turn_hours, ex.start_day, s.days
                ),
                Some("use at least one turn, fewer turns, or more `days`".into()),
            );
        }
        let offices: Vec<&str> = s
            .nodes
            .iter()
            .filter(|n| n.office.is_some())
            .map(|n| n.code.as_str())
            .collect();
        let networks: Vec<&str> = s.illicit.iter().map(|n| n.name.as_str()).collect();
        let strategies: Vec<&str> = s.strategies.iter().map(|d| d.name.as_str()).collect();
        let mut names: Vec<&str> = Vec::new();
        let mut played: Vec<String> = Vec::new();
        let mut red: Vec<&str> = Vec::new();
        if ex.teams.is_empty() {
            self.push(
                at(sec, "teams", 0),
                "exercise.teams".into(),
                "an exercise needs at least one team".into(),
                None,
            );
        }
        for (i, t) in ex.teams.iter().enumerate() {
            let f = |x: &str| format!("exercise.teams[{i}].{x}");
            if t.name.trim().is_empty() || names.contains(&t.name.as_str()) {
                self.push(
                    at(sec, "name", i),
                    f("name"),
                    format!("team name \"{}\" is empty or used twice", t.name),
                    Some("give every team its own name".into()),
                );
            }
            names.push(&t.name);
            let mut mine: Vec<String> = t.offices.clone();
            for c in &t.administrations {
                self.admin_country(s, sec, f("administrations"), c);
                mine.extend(
                    s.nodes
                        .iter()
                        .filter(|n| n.office.is_some() && self.node_country(n) == *c)
                        .map(|n| n.code.clone()),
                );
            }
            for o in &t.offices {
                self.name_ref(sec, f("offices"), "node with an office", o, &offices);
            }
            match &t.network {
                Some(n) => {
                    self.name_ref(sec, f("network"), "illicit network", n, &networks);
                    if !mine.is_empty() || red.contains(&n.as_str()) {
                        self.push(
                            at_value(sec, n),
                            f("network"),
                            format!("network \"{n}\" is played twice, or by a team that also plays offices"),
                            Some("a red team plays one network and no offices".into()),
                        );
                    }
                    red.push(n);
                }
                None if mine.is_empty() => self.push(
                    at(sec, "name", i),
                    f("offices"),
                    format!("team \"{}\" plays no office and no network", t.name),
                    Some("list `administrations`, `offices`, or a `network`".into()),
                ),
                None => {}
            }
            for o in mine {
                if played.contains(&o) {
                    self.push(
                        at_value(sec, &o),
                        f("offices"),
                        format!("office {o} is played by two teams"),
                        None,
                    );
                }
                played.push(o);
            }
            if let Support::Indicators(name) | Support::Score(name) = &t.support {
                self.name_ref(sec, f("support"), "strategy", name, &strategies);
                let scored = s.strategies.iter().find(|d| &d.name == name).map(|d| {
                    matches!(
                        d.kind,
                        StrategyKind::RiskScore { .. } | StrategyKind::IntelligenceLed { .. }
                    )
                });
                if matches!(t.support, Support::Score(_)) && scored == Some(false) {
                    self.push(
                        at_value(sec, name),
                        f("support"),
                        format!("strategy \"{name}\" has no risk score to show"),
                        Some(
                            "name a RiskScore or IntelligenceLed strategy, or use Indicators"
                                .into(),
                        ),
                    );
                }
                if matches!(t.support, Support::Indicators(_)) && scored.is_some() {
                    let watches = s
                        .strategies
                        .iter()
                        .find(|d| &d.name == name)
                        .is_some_and(|d| {
                            !matches!(
                                d.kind,
                                StrategyKind::Random { .. } | StrategyKind::Mixture { .. }
                            )
                        });
                    if !watches {
                        self.push(
                            at_value(sec, name),
                            f("support"),
                            format!("strategy \"{name}\" has no watch lists to show"),
                            Some(
                                "name a Rules, RiskScore, Learner or IntelligenceLed strategy"
                                    .into(),
                            ),
                        );
                    }
                }
            }
        }
        let mut inject_names: Vec<&str> = Vec::new();
        for (i, inj) in ex.injects.iter().enumerate() {
            let f = |x: &str| format!("exercise.injects[{i}].{x}");
            if inject_names.contains(&inj.name.as_str()) || inj.name.trim().is_empty() {
                self.push(
                    at_value(sec, &inj.name),
                    f("name"),
                    format!("inject name \"{}\" is empty or used twice", inj.name),
                    None,
                );
            }
            inject_names.push(&inj.name);
            if let Some(turn) = inj.turn
                && (turn == 0 || turn > ex.turns)
            {
                self.push(
                    at_value(sec, &inj.name),
                    f("turn"),
                    format!("turn {turn} is not a turn of this exercise"),
                    Some(format!(
                        "use 1 to {}, or leave it out to hold the inject back",
                        ex.turns
                    )),
                );
            }
            let nodes: Vec<&str> = s.nodes.iter().map(|n| n.code.as_str()).collect();
            match &inj.event {
                Event::IntelligenceTip { network, coverage } => {
                    self.name_ref(sec, f("event.network"), "illicit network", network, &networks);
                    self.range(at_value(sec, network), f("event.coverage"), *coverage, 0.0, 1.0);
                }
                Event::NodeClosure { node, .. } | Event::EquipmentFailure { node, .. } => {
                    self.name_ref(sec, f("event.node"), "node", node, &nodes);
                }
                Event::CapacityChange { node, country, factor, .. } => {
                    if let Some(n) = node {
                        self.name_ref(sec, f("event.node"), "node", n, &nodes);
                    }
                    if let Some(c) = country {
                        self.admin_country(s, sec, f("event.country"), c);
                    }
                    if node.is_none() == country.is_none() {
                        self.push(
                            at_value(sec, &inj.name),
                            f("event"),
                            "a capacity change names either a node or a country".into(),
                            None,
                        );
                    }
                    self.range(at_value(sec, &inj.name), f("event.factor"), *factor, 0.0, 100.0);
                }
                Event::Publicity => {}
                Event::NewService { .. } => self.push(
                    at_value(sec, &inj.name),
                    f("event"),
                    "a new carrier service cannot start during an exercise".into(),
                    Some("use IntelligenceTip, NodeClosure, EquipmentFailure, CapacityChange or Publicity".into()),
                ),
            }
        }
        for (i, name) in ex.debrief.iter().enumerate() {
            self.name_ref(
                sec,
                format!("exercise.debrief[{i}]"),
                "strategy",
                name,
                &strategies,
            );
        }
    }

    /// The ISO3 country of a node, from the reference data (empty if unknown).
    fn node_country(&self, n: &Node) -> String {
        let iso2 = match n.kind {
            NodeKind::Seaport => self.refs.port(&n.code).map(|p| p.country_iso2.as_str()),
            NodeKind::Airport => self.refs.airport(&n.code).map(|p| p.country_iso2.as_str()),
        };
        iso2.and_then(|c| self.refs.country_by_iso2(c))
            .map(|c| c.iso3.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(valid_date("2020-02-29"));
        assert!(!valid_date("2021-02-29"));
        assert!(!valid_date("2020-13-01"));
        assert!(!valid_date("20-02-01"));
    }

    #[test]
    fn locator_skips_comments() {
        let src = "// code: \"X\"\n( code: \"X\" )";
        let loc = Locator::new(src);
        assert_eq!(loc.find(&at_value("", "X")), (2, 10));
        assert_eq!(loc.find(&at("", "code", 0)), (2, 3));
    }
}
