//! The exercise as a state machine over a log of entries (submissions, orders, injects,
//! advances, pauses, the debrief opening). Every entry is checked in full by
//! [`Engine::check`] before it is written, then applied by [`Engine::apply`], which cannot
//! fail; so replaying a log entry by entry rebuilds exactly the same state, the sim
//! included, whether after a crash or for `stce exercise --replay`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::api::*;
use super::plan::Plan;
use super::step::Stepper;
use crate::adversary::Orders;
use crate::operation::injects::Conditions;
use crate::scenario::Concealment;
use crate::sim::components::{Outcome, RunMode, Streams};
use crate::sim::random::{mix, unit};
use crate::world::World;

/// One entry of the decisions log.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    Decisions { team: String, decisions: Decisions },
    Orders { team: String, orders: RedOrders },
    Inject { inject: FireInject },
    Advance { turn: u32 },
    Pause { paused: bool },
    OpenDebrief,
}

/// Why a request is refused: an HTTP status, a stable code and a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

pub fn refuse(status: u16, code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        code,
        message: message.into(),
    }
}

/// One declaration presented to a team's office in a turn, with what became of it.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub serial: u32,
    pub office: u16,
    pub hs: u16,
    pub exporter: u32,
    pub consignee: u32,
    pub illicit: bool,
    pub selected: bool,
    pub outcome: Outcome,
}

/// A closed turn for one blue team.
#[derive(Debug, Clone)]
pub struct TurnRecord {
    pub turn: u32,
    pub defaulted: bool,
    pub rows: Vec<Row>,
    pub officer_hours: f64,
}

/// An alert sent during the exercise.
#[derive(Debug, Clone)]
pub struct SentAlert {
    /// Sending team; `None`: the facilitator (an intelligence inject).
    pub from: Option<usize>,
    pub to: usize,
    pub turn: u32,
    /// Serial of the declaration it names.
    pub serial: Option<u32>,
    pub traders: Vec<u32>,
    pub note: String,
}

pub struct Engine {
    pub plan: Plan,
    pub sim: Stepper,
    key: u64,
    /// A comparison run: every team office uses this strategy and blue decisions are
    /// ignored (red orders and injects still apply).
    compare: Option<usize>,
    /// Open turn, 1-based; `turns + 1` once finished.
    pub turn: u32,
    pub paused: bool,
    pub debrief_open: bool,
    /// Per team: its submission for the open turn.
    pub decisions: Vec<Option<Decisions>>,
    pub new_orders: Vec<Option<RedOrders>>,
    /// Per red team: the orders in force.
    pub orders: Vec<Option<RedOrders>>,
    pub orders_log: Vec<Vec<RedOrders>>,
    pub submissions: Vec<SubmissionRecord>,
    /// Per team: closed turns (blue).
    pub records: Vec<Vec<TurnRecord>>,
    /// Per team: turns it was defaulted in.
    pub defaulted: Vec<Vec<u32>>,
    /// Per red team: shipments its network sent per closed turn.
    pub sent: Vec<Vec<u32>>,
    pub alerts: Vec<SentAlert>,
    /// Per scenario inject: the turn it fired in.
    pub fired: Vec<Option<u32>>,
    pub adhoc: Vec<(u32, String)>,
    pub timeline: Vec<TimelineEntry>,
    pub last_advance_ms: Option<f64>,
    /// Per closed turn: a digest of its results (what `--replay` compares).
    pub digests: Vec<u64>,
    seizures_seen: usize,
    seized_seen: usize,
    sim_timeline_seen: usize,
    /// Log entries applied.
    pub applied: u64,
}

impl Engine {
    /// A fresh exercise: the warm-up days simulated and turn 1 open. `key` is the
    /// state file's secret for opaque ids.
    pub fn new(w: &std::sync::Arc<World>, plan: Plan, key: u64, compare: Option<usize>) -> Engine {
        let n = plan.teams.len();
        let mut sim = Stepper::new(w, w.seed);
        if let Some(s) = compare {
            for t in plan.teams.iter() {
                for &o in &t.offices {
                    sim.set_strategy(o, s);
                }
            }
        }
        for tick in 0..plan.start_tick {
            sim.open(tick);
            sim.close(vec![None; w.offices.len()], &[]);
        }
        let fired = vec![None; plan.injects.len()];
        let mut e = Engine {
            plan,
            sim,
            key,
            compare,
            turn: 1,
            paused: false,
            debrief_open: false,
            decisions: vec![None; n],
            new_orders: vec![None; n],
            orders: vec![None; n],
            orders_log: vec![Vec::new(); n],
            submissions: Vec::new(),
            records: vec![Vec::new(); n],
            defaulted: vec![Vec::new(); n],
            sent: vec![Vec::new(); n],
            alerts: Vec::new(),
            fired,
            adhoc: Vec::new(),
            timeline: Vec::new(),
            last_advance_ms: None,
            digests: Vec::new(),
            seizures_seen: 0,
            seized_seen: 0,
            sim_timeline_seen: 0,
            applied: 0,
        };
        e.seizures_seen = e.sim.tally().seizures.len();
        e.seized_seen = e.sim.seized.len();
        e.sim_timeline_seen = e.sim.tally().timeline.len();
        e.open_turn();
        e
    }

    /// The state file's secret for opaque ids.
    pub fn key(&self) -> u64 {
        self.key
    }

    pub fn w(&self) -> &World {
        &self.sim.w
    }

    pub fn finished(&self) -> bool {
        self.turn > self.plan.turns
    }

    pub fn phase(&self) -> Phase {
        if self.finished() {
            Phase::Finished
        } else if self.paused {
            Phase::Paused
        } else {
            Phase::Open
        }
    }

    pub fn status(&self) -> Status {
        let tick = self.plan.tick_of(self.turn.min(self.plan.turns + 1));
        Status {
            exercise: self.plan.name.clone(),
            turn: self.turn,
            turns: self.plan.turns,
            phase: self.phase(),
            sim_time: self.sim_time(tick),
            turn_hours: self.plan.turn_hours,
            debrief_open: self.debrief_open,
        }
    }

    /// "YYYY-MM-DD HH:00" of the start of a tick.
    pub fn sim_time(&self, tick: u32) -> String {
        let w = self.w();
        let tpd = w.ticks_per_day();
        format!(
            "{} {:02}:00",
            w.date(tick / tpd),
            (tick % tpd) * w.tick_hours
        )
    }

    /// The opaque id of a declaration (by its serial).
    pub fn declaration_id(&self, serial: u32) -> String {
        let h = mix(mix(serial as u64 ^ self.key) ^ self.key.rotate_left(23));
        format!("D-{:012x}", h & 0xffff_ffff_ffff)
    }

    /// The opaque id of a trader.
    pub fn trader_id(&self, trader: u32) -> String {
        let h = mix(mix(trader as u64 ^ self.key.rotate_left(7)) ^ self.key);
        format!("T-{:08x}", h & 0xffff_ffff)
    }

    /// Turn a trader id back into the trader, among `candidates`.
    fn trader_of(&self, id: &str, candidates: impl IntoIterator<Item = u32>) -> Option<u32> {
        candidates.into_iter().find(|&t| self.trader_id(t) == id)
    }

    /// The declarations at team `t`'s offices in the open turn: (office, inbox position).
    pub fn table(&self, t: usize) -> Vec<(usize, u32)> {
        if self.finished() || self.plan.teams[t].is_red() {
            return Vec::new();
        }
        let mut rows = Vec::new();
        for &o in &self.plan.teams[t].offices {
            for p in 0..self.sim.inbox(o).len() {
                rows.push((o, p as u32));
            }
        }
        rows
    }

    /// Office `o`'s capacity now: (officer-hours, method name, hours per inspection, max).
    /// As `checkpoint::assess` paces it: by the end of tick k of a day, (k + 1)/ticks of
    /// the day's budget less what the day's earlier ticks spent. The budget of a day is
    /// set by its first assessment, which has not run yet when that tick is open.
    pub fn capacity(&self, o: usize) -> (f64, &'static str, f64, u32) {
        let w = self.w();
        let tick = self.sim.tick;
        let tpd = w.ticks_per_day();
        let k = tick % tpd;
        let ecs = &self.sim.ecs;
        let conditions = ecs.resource::<Conditions>();
        let (budget, used) = if k == 0 {
            let mode = ecs.resource::<RunMode>();
            (
                crate::sim::checkpoint::day_budget(w, mode, conditions, o, tick),
                0.0,
            )
        } else {
            self.sim.desk_budget(o)
        };
        let hours = (budget * (k + 1) as f64 / tpd as f64 - used).max(0.0);
        let (m, scanner) = crate::sim::checkpoint::method(w, conditions, o, tick);
        let max = (hours / m.officer_hours + 1e-9).floor() as u32;
        (
            hours,
            if scanner { "nii_scan" } else { "physical" },
            m.officer_hours,
            max,
        )
    }

    fn gate(&self, turn: u32) -> Result<(), Refusal> {
        if self.finished() {
            return Err(refuse(
                409,
                "finished",
                "the exercise is over: every turn is closed",
            ));
        }
        if self.paused {
            return Err(refuse(
                409,
                "paused",
                "the facilitator has paused the exercise; wait until it resumes",
            ));
        }
        if turn != self.turn {
            return Err(refuse(
                409,
                "turn_closed",
                format!("turn {turn} is not open: turn {} is", self.turn),
            ));
        }
        Ok(())
    }

    fn team(&self, name: &str) -> Result<usize, Refusal> {
        self.plan
            .team_index(name)
            .ok_or_else(|| refuse(403, "forbidden", "unknown team"))
    }

    /// Check an entry in full; `Ok` means [`Engine::apply`] will take it.
    pub fn check(&self, e: &Entry) -> Result<(), Refusal> {
        match e {
            Entry::Decisions { team, decisions } => {
                let t = self.team(team)?;
                if self.plan.teams[t].is_red() {
                    return Err(refuse(
                        403,
                        "forbidden",
                        "a red team sends orders, not decisions",
                    ));
                }
                self.gate(decisions.turn)?;
                self.check_decisions(t, decisions)
            }
            Entry::Orders { team, orders } => {
                let t = self.team(team)?;
                if !self.plan.teams[t].is_red() {
                    return Err(refuse(403, "forbidden", "only a red team sends orders"));
                }
                self.gate(orders.turn)?;
                self.resolve_orders(t, orders).map(|_| ())
            }
            Entry::Inject { inject } => {
                if self.finished() {
                    return Err(refuse(409, "finished", "the exercise is over"));
                }
                self.resolve_inject(inject).map(|_| ())
            }
            Entry::Advance { turn } => self.gate(*turn),
            Entry::Pause { .. } => {
                if self.finished() {
                    return Err(refuse(409, "finished", "the exercise is over"));
                }
                Ok(())
            }
            Entry::OpenDebrief => Ok(()),
        }
    }

    fn check_decisions(&self, t: usize, d: &Decisions) -> Result<(), Refusal> {
        let table = self.table(t);
        let ids: Vec<String> = table
            .iter()
            .map(|&(o, p)| self.declaration_id(self.sim.inbox(o)[p as usize].voyage.serial))
            .collect();
        let mut per_office = std::collections::BTreeMap::<usize, u32>::new();
        let mut seen = BTreeSet::new();
        for id in &d.inspect {
            let Some(k) = ids.iter().position(|x| x == id) else {
                return Err(refuse(
                    422,
                    "unknown_declaration",
                    format!("{id} is not a declaration at your offices this turn"),
                ));
            };
            if seen.insert(k) {
                *per_office.entry(table[k].0).or_default() += 1;
            }
        }
        for (&o, &n) in &per_office {
            let (hours, method, per, max) = self.capacity(o);
            if n > max {
                return Err(refuse(
                    422,
                    "over_capacity",
                    format!(
                        "{}: {n} inspections selected, but {hours:.1} officer-hours at {per} h per {method} inspection allow {max} this turn",
                        self.w().nodes[self.w().offices[o].node as usize].code
                    ),
                ));
            }
        }
        for a in &d.alerts {
            let to = self
                .plan
                .team_index(&a.to)
                .filter(|&x| x != t && !self.plan.teams[x].is_red());
            if to.is_none() {
                let names: Vec<&str> = self
                    .plan
                    .teams
                    .iter()
                    .enumerate()
                    .filter(|(x, tm)| *x != t && !tm.is_red())
                    .map(|(_, tm)| tm.name.as_str())
                    .collect();
                return Err(refuse(
                    422,
                    "unknown_team",
                    format!(
                        "no other blue team is called \"{}\"; teams: {}",
                        a.to,
                        names.join(", ")
                    ),
                ));
            }
            if a.declaration.is_none() && a.traders.is_empty() {
                return Err(refuse(
                    422,
                    "bad_alert",
                    "an alert names a declaration or traders",
                ));
            }
            if let Some(id) = &a.declaration
                && self.seen_serial(t, id).is_none()
            {
                return Err(refuse(
                    422,
                    "bad_alert",
                    format!("{id} is not a declaration your team has seen"),
                ));
            }
            for tr in &a.traders {
                if self.seen_trader(t, tr).is_none() {
                    return Err(refuse(
                        422,
                        "bad_alert",
                        format!("{tr} is not a trader on a declaration your team has seen"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Serials of every declaration team `t` has seen (closed turns and the open one).
    fn seen_serials(&self, t: usize) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        let open = self.table(t).into_iter().map(|(o, p)| {
            let s = &self.sim.inbox(o)[p as usize];
            (s.voyage.serial, s.decl.exporter, s.decl.consignee)
        });
        let closed = self.records[t]
            .iter()
            .flat_map(|r| r.rows.iter().map(|x| (x.serial, x.exporter, x.consignee)));
        open.chain(closed)
    }

    fn seen_serial(&self, t: usize, id: &str) -> Option<u32> {
        self.seen_serials(t)
            .map(|x| x.0)
            .find(|&s| self.declaration_id(s) == id)
    }

    fn seen_trader(&self, t: usize, id: &str) -> Option<u32> {
        self.seen_serials(t)
            .flat_map(|x| [x.1, x.2])
            .find(|&tr| self.trader_id(tr) == id)
    }

    /// Red orders as the network's [`Orders`].
    fn resolve_orders(&self, t: usize, o: &RedOrders) -> Result<Orders, Refusal> {
        let n = self.plan.teams[t].network.unwrap_or(0);
        let w = self.w();
        let routes = self.feasible_routes(n);
        let route = match o.route {
            Some(i) => Some(*routes.get(i as usize).ok_or_else(|| {
                refuse(
                    422,
                    "bad_order",
                    format!(
                        "route {i} is not an option: choose 0 to {}",
                        routes.len().saturating_sub(1)
                    ),
                )
            })?),
            None => None,
        };
        let concealment = match &o.concealment {
            Some(c) => Some(
                *Concealment::ALL
                    .iter()
                    .find(|x| x.label() == c)
                    .ok_or_else(|| {
                        let all: Vec<&str> = Concealment::ALL.iter().map(|x| x.label()).collect();
                        refuse(
                            422,
                            "bad_order",
                            format!(
                                "unknown concealment \"{c}\"; choose one of {}",
                                all.join(", ")
                            ),
                        )
                    })?,
            ),
            None => None,
        };
        let exporter = match &o.front_company {
            Some(id) => Some(
                self.trader_of(id, w.networks[n].exporters.clone())
                    .ok_or_else(|| {
                        refuse(
                            422,
                            "bad_order",
                            format!("{id} is not one of your network's front companies"),
                        )
                    })?,
            ),
            None => None,
        };
        Ok(Orders {
            route,
            concealment,
            exporter,
        })
    }

    /// Routes network `n` may take now.
    pub fn feasible_routes(&self, n: usize) -> Vec<u32> {
        let plans = self.sim.ecs.resource::<crate::sim::generate::PlansRes>();
        plans.0.feasible_routes(self.w(), n).to_vec()
    }

    /// A fired inject: its index in the scenario (if named), event and description.
    fn resolve_inject(
        &self,
        f: &FireInject,
    ) -> Result<(Option<usize>, crate::scenario::Event, String), Refusal> {
        match (&f.name, &f.event) {
            (Some(name), None) => {
                let i = self
                    .plan
                    .injects
                    .iter()
                    .position(|x| &x.name == name)
                    .ok_or_else(|| {
                        let names: Vec<&str> =
                            self.plan.injects.iter().map(|x| x.name.as_str()).collect();
                        refuse(
                            422,
                            "unknown_inject",
                            format!(
                                "no inject \"{name}\"; the scenario has: {}",
                                names.join(", ")
                            ),
                        )
                    })?;
                if let Some(t) = self.fired[i] {
                    return Err(refuse(
                        409,
                        "already_fired",
                        format!("\"{name}\" fired in turn {t}"),
                    ));
                }
                let inj = &self.plan.injects[i];
                Ok((Some(i), inj.event.clone(), inj.description.clone()))
            }
            (None, Some(ev)) => {
                self.check_event(ev)?;
                let text = if f.description.trim().is_empty() {
                    format!("{ev:?}")
                } else {
                    f.description.clone()
                };
                Ok((None, ev.clone(), text))
            }
            _ => Err(refuse(
                400,
                "bad_inject",
                "give either `name` (a held inject) or `event` (an ad-hoc one)",
            )),
        }
    }

    fn check_event(&self, ev: &crate::scenario::Event) -> Result<(), Refusal> {
        use crate::scenario::Event::*;
        let w = self.w();
        let bad = |m: String| Err(refuse(422, "bad_inject", m));
        let node_ok = |c: &str| w.nodes.iter().any(|n| n.code == c);
        match ev {
            IntelligenceTip { network, coverage } => {
                if !w.networks.iter().any(|n| &n.name == network) {
                    return bad(format!("unknown network \"{network}\""));
                }
                if !(0.0..=1.0).contains(coverage) {
                    return bad(format!("coverage {coverage} is not in 0..1"));
                }
            }
            NodeClosure { node, days } | EquipmentFailure { node, days } => {
                if !node_ok(node) {
                    return bad(format!("unknown node \"{node}\""));
                }
                if *days == 0 || *days > 365 {
                    return bad("days must be 1 to 365".into());
                }
            }
            CapacityChange {
                node,
                country,
                factor,
                days,
            } => {
                if node.is_none() == country.is_none() {
                    return bad("a capacity change names either a node or a country".into());
                }
                if let Some(n) = node
                    && !w.nodes.iter().any(|x| &x.code == n && x.office.is_some())
                {
                    return bad(format!("no office at \"{n}\""));
                }
                if let Some(c) = country
                    && !w.countries.iter().any(|x| &x.iso3 == c)
                {
                    return bad(format!("unknown country \"{c}\""));
                }
                if !(0.0..=100.0).contains(factor) || *days == 0 || *days > 365 {
                    return bad("factor must be 0 to 100 and days 1 to 365".into());
                }
            }
            Publicity => {}
            NewService { .. } => {
                return bad("a new carrier service cannot start during an exercise".into());
            }
        }
        Ok(())
    }

    /// Apply a checked entry (sequence number `seq` in the log).
    pub fn apply(&mut self, e: &Entry, seq: u64) {
        self.applied += 1;
        match e {
            Entry::Decisions { team, decisions } => {
                let t = self.plan.team_index(team).unwrap_or(0);
                let mut d = decisions.clone();
                let mut seen = BTreeSet::new();
                d.inspect.retain(|id| seen.insert(id.clone()));
                self.decisions[t] = Some(d.clone());
                self.submissions.push(SubmissionRecord {
                    seq,
                    turn: self.turn,
                    team: team.clone(),
                    decisions: Some(d),
                    orders: None,
                });
            }
            Entry::Orders { team, orders } => {
                let t = self.plan.team_index(team).unwrap_or(0);
                self.new_orders[t] = Some(orders.clone());
                self.submissions.push(SubmissionRecord {
                    seq,
                    turn: self.turn,
                    team: team.clone(),
                    decisions: None,
                    orders: Some(orders.clone()),
                });
            }
            Entry::Inject { inject } => {
                if let Ok((i, ev, text)) = self.resolve_inject(inject) {
                    match i {
                        Some(i) => self.fired[i] = Some(self.turn),
                        None => self.adhoc.push((self.turn, text.clone())),
                    }
                    self.fire(&ev, &text);
                }
            }
            Entry::Advance { .. } => self.advance(),
            Entry::Pause { paused } => self.paused = *paused,
            Entry::OpenDebrief => self.debrief_open = true,
        }
    }

    fn note(&mut self, kind: &str, text: String) {
        let tick = self.sim.tick;
        self.timeline.push(TimelineEntry {
            turn: self.turn,
            date: self.sim_time(tick),
            kind: kind.into(),
            text,
        });
    }

    /// Open the current turn's tick and fire its scheduled injects.
    fn open_turn(&mut self) {
        if self.finished() {
            return;
        }
        self.sim.open(self.plan.tick_of(self.turn));
        self.collect_sim_timeline();
        for i in 0..self.plan.injects.len() {
            if self.plan.injects[i].turn == Some(self.turn) && self.fired[i].is_none() {
                self.fired[i] = Some(self.turn);
                let ev = self.plan.injects[i].event.clone();
                let text = self.plan.injects[i].description.clone();
                self.fire(&ev, &text);
            }
        }
    }

    /// Apply an inject's event to the simulation (or, for a tip, to the teams).
    fn fire(&mut self, ev: &crate::scenario::Event, text: &str) {
        use crate::scenario::Event::*;
        let w = self.sim.w.clone();
        let tick = self.sim.tick;
        let tpd = w.ticks_per_day();
        let day = tick / tpd;
        self.note(
            "inject",
            if text.is_empty() {
                format!("{ev:?}")
            } else {
                text.to_string()
            },
        );
        let node = |c: &str| w.nodes.iter().position(|n| n.code == c);
        match ev {
            IntelligenceTip { network, coverage } => {
                let Some(n) = w.networks.iter().position(|x| &x.name == network) else {
                    return;
                };
                let net = &w.networks[n];
                let mut traders = Vec::new();
                for range in [net.exporters.clone(), net.consignees.clone()] {
                    let known = (range.len() as f64 * coverage).ceil() as usize;
                    traders.extend(range.take(known));
                }
                for t in 0..self.plan.teams.len() {
                    if !self.plan.teams[t].is_red() {
                        self.alerts.push(SentAlert {
                            from: None,
                            to: t,
                            turn: self.turn,
                            serial: None,
                            traders: traders.clone(),
                            note: if text.is_empty() {
                                "intelligence: these traders are linked to a procurement network"
                                    .into()
                            } else {
                                text.to_string()
                            },
                        });
                    }
                }
            }
            NodeClosure { node: c, days } => {
                if let Some(i) = node(c) {
                    self.sim
                        .ecs
                        .resource_mut::<Conditions>()
                        .close_node(i, tick + days * tpd);
                }
            }
            EquipmentFailure { node: c, days } => {
                if let Some(o) = node(c).and_then(|i| w.nodes[i].office) {
                    self.sim
                        .ecs
                        .resource_mut::<Conditions>()
                        .fail_scanner(o as usize, tick + days * tpd);
                }
            }
            CapacityChange {
                node: n,
                country,
                factor,
                days,
            } => {
                let offices: Vec<usize> = (0..w.offices.len())
                    .filter(|&o| {
                        let office = &w.offices[o];
                        n.as_deref() == Some(w.nodes[office.node as usize].code.as_str())
                            || country.as_deref()
                                == Some(w.countries[office.country as usize].iso3.as_str())
                    })
                    .collect();
                let mut c = self.sim.ecs.resource_mut::<Conditions>();
                for o in offices {
                    c.change_capacity(o, *factor, tick + days * tpd);
                }
            }
            Publicity => {
                // As the operation's publicity inject: keyed by network and day.
                let seed = self.sim.ecs.resource::<Streams>().publicity_seed;
                for (n, net) in w.networks.iter().enumerate() {
                    if unit(seed, n as u64, day as u64) < net.adaptation.publicity_pause_share {
                        let resume = day + net.adaptation.publicity_pause_days;
                        self.sim
                            .ecs
                            .resource_mut::<crate::sim::generate::PlansRes>()
                            .0
                            .pause(n, resume);
                        self.note(
                            "network",
                            format!(
                                "\"{}\" pauses until day {resume} after the publicity",
                                net.name
                            ),
                        );
                    }
                }
            }
            NewService { .. } => {}
        }
    }

    fn collect_sim_timeline(&mut self) {
        let new: Vec<(u32, String)> = self.sim.tally().timeline[self.sim_timeline_seen..].to_vec();
        self.sim_timeline_seen += new.len();
        for (_, text) in new {
            self.note("network", text);
        }
    }

    /// Close the open turn: default who did not submit, simulate the tick, record what
    /// each team's inspections gave, deliver alerts, put red orders in force, open the
    /// next turn.
    fn advance(&mut self) {
        let t0 = std::time::Instant::now();
        let w = self.sim.w.clone();
        let tick = self.sim.tick;
        let nteams = self.plan.teams.len();
        // What each blue team had in front of it, before the tick drains the inboxes.
        let mut rows: Vec<Vec<Row>> = vec![Vec::new(); nteams];
        let mut selections: Vec<Option<Vec<u32>>> = vec![None; w.offices.len()];
        let mut watched = Vec::new();
        for (t, team_rows) in rows.iter_mut().enumerate() {
            if self.plan.teams[t].is_red() {
                continue;
            }
            let chosen: BTreeSet<String> = self.decisions[t]
                .as_ref()
                .map(|d| d.inspect.iter().cloned().collect())
                .unwrap_or_default();
            let play = self.decisions[t].is_some() && self.compare.is_none();
            for &o in &self.plan.teams[t].offices {
                watched.push(o);
                let mut picks = Vec::new();
                for (p, s) in self.sim.inbox(o).iter().enumerate() {
                    if chosen.contains(&self.declaration_id(s.voyage.serial)) {
                        picks.push(p as u32);
                    }
                    team_rows.push(Row {
                        serial: s.voyage.serial,
                        office: o as u16,
                        hs: s.decl.hs,
                        exporter: s.decl.exporter,
                        consignee: s.decl.consignee,
                        illicit: s.cargo.is_illicit(),
                        selected: false,
                        outcome: Outcome::Pass,
                    });
                }
                if play {
                    selections[o] = Some(picks);
                }
            }
        }
        let hours_per: Vec<(usize, f64)> =
            watched.iter().map(|&o| (o, self.capacity(o).2)).collect();
        let (inspected, cut) = self.sim.close(selections, &watched);
        if cut > 0 {
            self.note(
                "default",
                format!("{cut} selections left out: capacity fell after the teams submitted"),
            );
        }
        for (t, team_rows) in rows.iter_mut().enumerate() {
            let (red, name) = (self.plan.teams[t].is_red(), self.plan.teams[t].name.clone());
            let submitted = if red {
                self.new_orders[t].is_some()
            } else {
                self.decisions[t].is_some()
            };
            if !submitted {
                self.defaulted[t].push(self.turn);
                let text = format!(
                    "{} did not submit: {}",
                    name,
                    if red {
                        "its network kept its orders"
                    } else {
                        "its offices used their scenario strategy"
                    }
                );
                self.note("default", text);
            }
            if red {
                continue;
            }
            let mut officer_hours = 0.0;
            let mut base = 0;
            for &o in &self.plan.teams[t].offices {
                let n = self.sim_rows_at(&team_rows[base..], o);
                let per = hours_per.iter().find(|x| x.0 == o).map_or(0.0, |x| x.1);
                if let Some(list) = inspected.get(&o) {
                    for i in list {
                        if let Some(r) = team_rows[base..base + n].get_mut(i.pos as usize) {
                            r.selected = true;
                            r.outcome = i.outcome;
                        }
                    }
                    officer_hours += per * list.len() as f64;
                }
                base += n;
            }
            let record = TurnRecord {
                turn: self.turn,
                defaulted: !submitted,
                rows: std::mem::take(team_rows),
                officer_hours,
            };
            self.records[t].push(record);
        }
        // Alerts go out as the turn closes.
        for t in 0..nteams {
            let Some(d) = self.decisions[t].clone() else {
                continue;
            };
            for a in &d.alerts {
                let Some(to) = self.plan.team_index(&a.to) else {
                    continue;
                };
                let serial = a
                    .declaration
                    .as_ref()
                    .and_then(|id| self.seen_serial(t, id));
                let traders = a
                    .traders
                    .iter()
                    .filter_map(|id| self.seen_trader(t, id))
                    .collect();
                self.alerts.push(SentAlert {
                    from: Some(t),
                    to,
                    turn: self.turn,
                    serial,
                    traders,
                    note: a.note.clone(),
                });
                let text = format!("{} alerted {}", self.plan.teams[t].name, a.to);
                self.note("alert", text);
            }
        }
        // Seizures of the tick on the timeline (every one, warm-up shipments included).
        let new: Vec<super::step::Seized> = self.sim.seized[self.seized_seen..].to_vec();
        self.seized_seen += new.len();
        for x in new {
            let node = &w.nodes[w.offices[x.office].node as usize];
            let what = self.sim.ledger.get(&x.serial).map_or(String::new(), |t| {
                format!(
                    " {} ({})",
                    w.commodities[t.commodity as usize].name, w.networks[t.network as usize].name
                )
            });
            let by = match self.plan.office_team[x.office] {
                Some(t) => format!(", team {}", self.plan.teams[t].name),
                None => String::new(),
            };
            let text = format!(
                "{} seized{what} at {}{by}",
                w.countries[node.country as usize].iso3, node.code
            );
            self.note("seizure", text);
        }
        // The run's seizure records (window shipments) name the team that chose them.
        for i in self.seizures_seen..self.sim.tally().seizures.len() {
            let office = self.sim.tally().seizures[i].office.clone();
            let o = w
                .nodes
                .iter()
                .position(|n| n.code == office)
                .and_then(|n| w.nodes[n].office);
            if let Some(t) = o.and_then(|o| self.plan.office_team[o as usize])
                && self.decisions[t].is_some()
                && self.compare.is_none()
            {
                let name = format!("team {}", self.plan.teams[t].name);
                self.sim.tally_mut().0.seizures[i].found_by = name;
            }
        }
        self.seizures_seen = self.sim.tally().seizures.len();
        // Red: shipments sent this tick; orders submitted now apply from the next one.
        for t in 0..nteams {
            let Some(n) = self.plan.teams[t].network else {
                continue;
            };
            let sent = self
                .sim
                .ledger
                .values()
                .filter(|x| x.tick == tick && x.network as usize == n)
                .count() as u32;
            self.sent[t].push(sent);
            if let Some(o) = self.new_orders[t].take() {
                if let Ok(orders) = self.resolve_orders(t, &o) {
                    self.sim
                        .ecs
                        .resource_mut::<crate::sim::generate::PlansRes>()
                        .0
                        .orders[n] = orders;
                }
                self.orders_log[t].push(o.clone());
                self.orders[t] = Some(o);
                let text = format!("{} gave its network new orders", self.plan.teams[t].name);
                self.note("red_orders", text);
            }
        }
        self.collect_sim_timeline();
        self.digests.push(self.turn_digest());
        self.decisions.iter_mut().for_each(|d| *d = None);
        self.turn += 1;
        self.open_turn();
        self.last_advance_ms = Some(t0.elapsed().as_secs_f64() * 1000.0);
    }

    /// Rows of office `o` at the start of `rows` (they are grouped by office).
    fn sim_rows_at(&self, rows: &[Row], o: usize) -> usize {
        rows.iter().take_while(|r| r.office as usize == o).count()
    }

    /// A digest of everything the turn just closed produced: the teams' rows and
    /// outcomes, the run's counters and seizures.
    fn turn_digest(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |x: u64| h = mix(h ^ x);
        for recs in &self.records {
            if let Some(r) = recs.last() {
                eat(r.turn as u64);
                for row in &r.rows {
                    eat(row.serial as u64);
                    eat(row.selected as u64);
                    eat(match row.outcome {
                        Outcome::Pass => 0,
                        Outcome::Release { dwell } => 1 ^ (dwell.to_bits() as u64) << 8,
                        Outcome::Seize => 2,
                        Outcome::Unseizable { dwell } => 3 ^ (dwell.to_bits() as u64) << 8,
                    });
                }
            }
        }
        let t = self.sim.tally();
        eat(t.inspections);
        eat(t.seizures.len() as u64);
        eat(t.licit_dwell_hours.to_bits());
        eat(self.sim.ledger.len() as u64);
        h
    }
}
