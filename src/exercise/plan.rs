//! The exercise block resolved against its world: teams as office and network indices,
//! decision support compiled to watch lists and weights, injects and comparison
//! strategies by index. Built once from the scenario text kept in the state file.

use std::sync::Arc;

use crate::scenario::{self, Event, Scenario, StrategyKind, Support};
use crate::targeting::Watch;
use crate::targeting::risk_score::Weights;
use crate::world::World;

/// One team, resolved.
#[derive(Clone)]
pub struct Team {
    pub name: String,
    /// Offices it plays (indices into `World::offices`), in scenario node order.
    pub offices: Vec<usize>,
    /// The network a red team plays.
    pub network: Option<usize>,
    pub support: Support,
    /// The support strategy's watch lists and, for `Score`, its weights and threshold.
    pub watch: Option<Watch>,
    pub weights: Option<Weights>,
}

impl Team {
    pub fn is_red(&self) -> bool {
        self.network.is_some()
    }
}

#[derive(Clone)]
pub struct Inject {
    pub name: String,
    pub description: String,
    pub turn: Option<u32>,
    pub event: Event,
}

/// The exercise, resolved.
#[derive(Clone)]
pub struct Plan {
    pub name: String,
    pub turn_hours: u32,
    /// The tick turn 1 simulates.
    pub start_tick: u32,
    pub turns: u32,
    pub teams: Vec<Team>,
    /// The team playing each office, if any.
    pub office_team: Vec<Option<usize>>,
    pub injects: Vec<Inject>,
    /// Comparison strategies (indices into `World::strategies`).
    pub debrief: Vec<usize>,
}

impl Plan {
    /// The tick turn `turn` (1-based) simulates.
    pub fn tick_of(&self, turn: u32) -> u32 {
        self.start_tick + turn - 1
    }

    pub fn team_index(&self, name: &str) -> Option<usize> {
        self.teams.iter().position(|t| t.name == name)
    }
}

/// Parse and validate scenario text (named `file` in messages), check it has an exercise
/// block, and build its world with one tick per turn.
pub fn load(file: &str, source: &str) -> Result<(Arc<World>, Plan), String> {
    let mut s: Scenario = scenario::parse(file, source).map_err(|e| e.to_string())?;
    let Some(ex) = s.exercise.clone() else {
        return Err(format!(
            "{file}: no `exercise` block: add one (see scenarios/asean-exercise.ron) to play this scenario as an exercise"
        ));
    };
    s.tick_hours = ex.turn_hours;
    let w = World::build(&s).map_err(|e| format!("{file}: {e}"))?;
    let office_at = |code: &str| {
        w.nodes
            .iter()
            .find(|n| n.code == code)
            .and_then(|n| n.office)
            .map(|o| o as usize)
    };
    let mut office_team = vec![None; w.offices.len()];
    let mut teams = Vec::new();
    for (t, def) in ex.teams.iter().enumerate() {
        let mut offices: Vec<usize> = def.offices.iter().filter_map(|c| office_at(c)).collect();
        for (o, office) in w.offices.iter().enumerate() {
            if def
                .administrations
                .contains(&w.countries[office.country as usize].iso3)
            {
                offices.push(o);
            }
        }
        offices.sort_unstable();
        offices.dedup();
        for &o in &offices {
            office_team[o] = Some(t);
        }
        let (mut watch, mut weights) = (None, None);
        if let Support::Indicators(name) | Support::Score(name) = &def.support {
            let kind = &w.strategies[w
                .strategy_index(name)
                .ok_or_else(|| format!("{file}: unknown strategy {name}"))?]
            .kind;
            let (wl, wt) = match kind {
                StrategyKind::Rules { watch, .. } | StrategyKind::Learner { watch, .. } => {
                    (Some(watch), None)
                }
                StrategyKind::RiskScore { watch, weights, .. }
                | StrategyKind::IntelligenceLed { watch, weights, .. } => {
                    (Some(watch), Some(weights))
                }
                _ => (None, None),
            };
            watch = wl.map(|x| Watch::compile(x, &w));
            if matches!(def.support, Support::Score(_)) {
                weights = wt.map(Weights::new);
            }
        }
        teams.push(Team {
            name: def.name.clone(),
            offices,
            network: def
                .network
                .as_ref()
                .and_then(|n| w.networks.iter().position(|x| &x.name == n)),
            support: def.support.clone(),
            watch,
            weights,
        });
    }
    let plan = Plan {
        name: w.name.clone(),
        turn_hours: ex.turn_hours,
        // Exercise days, like the scenario's other dates, count from the window's start.
        start_tick: (w.warmup_days + ex.start_day) * w.ticks_per_day(),
        turns: ex.turns,
        teams,
        office_team,
        injects: ex
            .injects
            .iter()
            .map(|i| Inject {
                name: i.name.clone(),
                description: i.description.clone(),
                turn: i.turn,
                event: i.event.clone(),
            })
            .collect(),
        debrief: ex
            .debrief
            .iter()
            .filter_map(|n| w.strategy_index(n))
            .collect(),
    };
    Ok((Arc::new(w), plan))
}
