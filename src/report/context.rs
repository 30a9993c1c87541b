//! `world.json`: what was simulated, in the words of a briefing — the scenario's name and
//! description, its dates, administrations, ports and airports with their coordinates
//! and offices, carrier services, networks, and the operation's phases and injects.
//! Written beside every command's results so `stce report` can draw the map and the
//! timeline from the output folder alone, without the scenario file.

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::io::write_atomic;
use crate::scenario::{Role, Scenario};
use crate::world::World;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Context {
    pub scenario: String,
    pub description: String,
    /// First day of the measurement window (day 0 of every per-day series).
    pub start_date: String,
    /// Last day of the measurement window (inclusive).
    pub end_date: String,
    /// Days of the measurement window.
    pub days: u32,
    pub declarations: u64,
    pub administrations: Vec<AdministrationInfo>,
    pub nodes: Vec<NodeInfo>,
    pub services: Vec<ServiceInfo>,
    pub networks: Vec<String>,
    pub strategies: Vec<String>,
    pub operation: Option<OperationInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdministrationInfo {
    pub country: String,
    pub name: String,
    pub wco_region: String,
    /// Takes part in the operation.
    pub participant: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeInfo {
    pub code: String,
    pub name: String,
    pub country: String,
    /// `seaport` or `airport`.
    pub kind: String,
    pub lat: f64,
    pub lon: f64,
    pub transshipment_hub: bool,
    /// Roles of its customs office (`export`, `transit`, `import`); empty: no office.
    pub office_roles: Vec<String>,
    /// Officer-hours per day of its office (0 without one).
    pub capacity_hours_per_day: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceInfo {
    pub name: String,
    /// `sea` or `air`.
    pub mode: String,
    pub calls: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OperationInfo {
    pub name: String,
    pub phases: Vec<PhaseInfo>,
    pub surge: f64,
    pub injects: Vec<DayEvent>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PhaseInfo {
    /// TargetBuilding, Interdiction, FollowUp or Reporting.
    pub kind: String,
    /// Day of the measurement window (0 = `start_date`).
    pub start_day: u32,
    /// Exclusive.
    pub end_day: u32,
    pub start_date: String,
    /// Last day of the phase (inclusive).
    pub end_date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DayEvent {
    pub day: u32,
    pub date: String,
    pub event: String,
}

impl Context {
    pub fn new(s: &Scenario, w: &World) -> Context {
        let participant = |c: usize| {
            w.operation
                .as_ref()
                .is_some_and(|p| p.participant.get(c).copied().unwrap_or(false))
        };
        let nodes = w
            .nodes
            .iter()
            .map(|n| {
                let office = n.office.map(|o| &w.offices[o as usize]);
                NodeInfo {
                    code: n.code.clone(),
                    name: n.name.clone(),
                    country: w.countries[n.country as usize].iso3.clone(),
                    kind: format!("{:?}", n.kind).to_lowercase(),
                    lat: n.lat,
                    lon: n.lon,
                    transshipment_hub: n.hub,
                    office_roles: office
                        .map(|o| {
                            [
                                (Role::Export, "export"),
                                (Role::Transit, "transit"),
                                (Role::Import, "import"),
                            ]
                            .into_iter()
                            .filter(|(r, _)| o.assesses(*r))
                            .map(|(_, n)| n.to_string())
                            .collect()
                        })
                        .unwrap_or_default(),
                    capacity_hours_per_day: office.map_or(0.0, |o| o.capacity_hours_per_day),
                }
            })
            .collect();
        Context {
            scenario: w.name.clone(),
            description: s.description.trim().to_string(),
            // the measurement window: what the figures count (warm-up and drain are not)
            start_date: w.date(w.warmup_days),
            end_date: w.date(w.warmup_days + w.days.saturating_sub(1)),
            days: w.days,
            declarations: w.declarations,
            administrations: w
                .countries
                .iter()
                .enumerate()
                .map(|(i, c)| AdministrationInfo {
                    country: c.iso3.clone(),
                    name: c.name.clone(),
                    wco_region: c.wco_region.clone(),
                    participant: participant(i),
                })
                .collect(),
            nodes,
            services: s
                .services
                .iter()
                .map(|v| ServiceInfo {
                    name: v.name.clone(),
                    mode: format!("{:?}", v.mode).to_lowercase(),
                    calls: v.calls.clone(),
                })
                .collect(),
            networks: w.networks.iter().map(|n| n.name.clone()).collect(),
            strategies: w.strategies.iter().map(|d| d.name.clone()).collect(),
            operation: w.operation.as_ref().map(|p| OperationInfo {
                name: p.name.clone(),
                phases: p
                    .phases
                    .iter()
                    .map(|(k, a, b)| PhaseInfo {
                        kind: format!("{k:?}"),
                        start_day: a.saturating_sub(w.warmup_days),
                        end_day: b.saturating_sub(w.warmup_days),
                        start_date: w.date(*a),
                        end_date: w.date(b.saturating_sub(1)),
                    })
                    .collect(),
                surge: p.surge,
                injects: p
                    .injects
                    .iter()
                    .map(|(d, text, _, _)| DayEvent {
                        day: d.saturating_sub(w.warmup_days),
                        date: w.date(*d),
                        event: text.clone(),
                    })
                    .collect(),
            }),
        }
    }

    /// The date (`YYYY-MM-DD`) of day `day` of the run.
    pub fn date(&self, day: u32) -> String {
        match crate::scenario::validate::parse_date(&self.start_date) {
            Some(d) => {
                let (y, m, d) = crate::world::add_days(d, day as i64);
                format!("{y:04}-{m:02}-{d:02}")
            }
            None => format!("day {day}"),
        }
    }

    /// Write `world.json` into `dir`.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        let text = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        write_atomic(&dir.join("world.json"), &text)
    }

    /// Read `world.json` from `dir`.
    pub fn read(dir: &Path) -> Result<Context, String> {
        let p = dir.join("world.json");
        let bytes = std::fs::read(&p).map_err(|e| {
            format!(
                "{}: {e}; the folder must be the --out of stce run, compare or sweep (version 0.1 or later writes world.json)",
                p.display()
            )
        })?;
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", p.display()))
    }
}
