//! Cosmo-style operations: the window and its phases, participants, the surge, the
//! profiles handed to participants, the communication platform ([`platform`]) and
//! scripted injects ([`injects`]).

pub mod injects;
pub mod platform;

use crate::scenario::{Availability, Event, Operation, PhaseKind, Scenario};
use crate::world::{Country, Node, Office};

/// An inject resolved to indices.
#[derive(Debug, Clone)]
pub enum Effect {
    IntelligenceTip {
        network: usize,
        coverage: f64,
    },
    NodeClosure {
        node: usize,
        days: u32,
    },
    EquipmentFailure {
        office: Option<usize>,
        days: u32,
    },
    CapacityChange {
        offices: Vec<usize>,
        factor: f64,
        days: u32,
    },
    Publicity,
    /// The world's routes change that day (see [`crate::world::World::epoch`]); the
    /// inject only marks it on the timeline.
    NewService,
}

/// An operation resolved against the world.
#[derive(Debug, Clone)]
pub struct Plan {
    pub name: String,
    /// Per country of the world.
    pub participant: Vec<bool>,
    pub phases: Vec<(PhaseKind, u32, u32)>,
    /// First and last day (exclusive) of the operation.
    pub start: u32,
    pub end: u32,
    /// The interdiction phase, if any.
    pub interdiction: Option<(u32, u32)>,
    /// Per commodity of the world.
    pub focus: Vec<bool>,
    pub surge: f64,
    pub strategy: Option<usize>,
    pub platform: crate::scenario::Platform,
    /// (day, description, effect, whether it happens in the baseline too), in day order.
    pub injects: Vec<(u32, String, Effect, bool)>,
}

impl Plan {
    pub fn resolve(
        op: &Operation,
        s: &Scenario,
        countries: &[Country],
        nodes: &[Node],
        offices: &[Office],
    ) -> Plan {
        let participant = countries
            .iter()
            .map(|c| op.participants.is_empty() || op.participants.contains(&c.iso3))
            .collect();
        let phases: Vec<(PhaseKind, u32, u32)> = op
            .phases
            .iter()
            .map(|p| (p.kind, p.start_day, p.end_day))
            .collect();
        let start = phases.iter().map(|p| p.1).min().unwrap_or(0);
        let end = phases.iter().map(|p| p.2).max().unwrap_or(0);
        let node_of = |code: &str| nodes.iter().position(|n| n.code == code).unwrap_or(0);
        let office_at = |node: usize| offices.iter().position(|o| o.node as usize == node);
        let mut injects: Vec<(u32, String, Effect, bool)> = op
            .injects
            .iter()
            .map(|inj| {
                let (text, effect) = match &inj.event {
                    Event::IntelligenceTip { network, coverage } => (
                        format!("intelligence tip: {:.0}% of the front companies of \"{network}\" identified", coverage * 100.0),
                        Effect::IntelligenceTip {
                            network: s.illicit.iter().position(|n| &n.name == network).unwrap_or(0),
                            coverage: *coverage,
                        },
                    ),
                    Event::NodeClosure { node, days } => (format!("{node} closed for {days} days"), Effect::NodeClosure { node: node_of(node), days: *days }),
                    Event::EquipmentFailure { node, days } => (
                        format!("scanner at {node} out of order for {days} days"),
                        Effect::EquipmentFailure { office: office_at(node_of(node)), days: *days },
                    ),
                    Event::CapacityChange { node, country, factor, days } => {
                        let offices: Vec<usize> = match (node, country) {
                            (Some(n), _) => office_at(node_of(n)).into_iter().collect(),
                            (None, Some(c)) => offices
                                .iter()
                                .enumerate()
                                .filter(|(_, o)| countries[o.country as usize].iso3 == *c)
                                .map(|(i, _)| i)
                                .collect(),
                            (None, None) => Vec::new(),
                        };
                        let place = node.clone().or(country.clone()).unwrap_or_default();
                        (format!("capacity at {place} ×{factor} for {days} days"), Effect::CapacityChange { offices, factor: *factor, days: *days })
                    }
                    Event::Publicity => ("the operation is publicised".to_string(), Effect::Publicity),
                    Event::NewService { service } => (format!("new carrier service \"{service}\" starts"), Effect::NewService),
                };
                (inj.day, text, effect, inj.event.is_world_event())
            })
            .collect();
        injects.sort_by_key(|i| i.0);
        Plan {
            name: op.name.clone(),
            participant,
            interdiction: phases
                .iter()
                .find(|p| p.0 == PhaseKind::Interdiction)
                .map(|p| (p.1, p.2)),
            phases,
            start,
            end,
            focus: s
                .commodities
                .iter()
                .map(|c| op.focus.contains(&c.name))
                .collect(),
            surge: op.surge,
            strategy: op
                .strategy
                .as_ref()
                .and_then(|n| s.strategies.iter().position(|d| &d.name == n)),
            platform: op.platform.clone(),
            injects,
        }
    }

    /// The plan with every date moved `days` later: the file's dates are days of the
    /// measurement window, the simulation's start `days` earlier (the warm-up).
    pub fn shifted(mut self, days: u32) -> Plan {
        for p in &mut self.phases {
            p.1 += days;
            p.2 += days;
        }
        self.start += days;
        self.end += days;
        if let Some((s, e)) = &mut self.interdiction {
            *s += days;
            *e += days;
        }
        for i in &mut self.injects {
            i.0 += days;
        }
        self
    }

    /// Whether the platform and the operation's settings are in force on `day`.
    pub fn active(&self, day: u32) -> bool {
        (self.start..self.end).contains(&day)
    }

    /// Participants' offices use the operation's profile from the interdiction phase to
    /// the end of the operation.
    pub fn uses_profile(&self, day: u32) -> bool {
        self.interdiction
            .is_some_and(|(s, _)| s <= day && day < self.end)
    }

    /// First day of enforcement: the interdiction phase, or the operation's start.
    pub fn enforcement_start(&self) -> u32 {
        self.interdiction.map_or(self.start, |(s, _)| s)
    }

    pub fn surging(&self, day: u32) -> bool {
        self.interdiction.is_some_and(|(s, e)| s <= day && day < e)
    }

    /// Whether an office of country `c` reads platform alerts.
    pub fn reads_alerts(&self, c: usize) -> Availability {
        if self.participant[c] {
            Availability::Always
        } else {
            self.platform.non_participants
        }
    }

    /// The phase of a day, for the timeline.
    pub fn phase_of(&self, day: u32) -> Option<PhaseKind> {
        self.phases
            .iter()
            .find(|p| p.1 <= day && day < p.2)
            .map(|p| p.0)
    }
}
