//! What each holder of a token sees: a team its declared fields, capacity, alerts and
//! results (never the truth before the debrief); the facilitator everything.

use super::api::*;
use super::engine::{Engine, Row};
use crate::scenario::Concealment;
use crate::sim::checkpoint::facts_of;
use crate::sim::components::{Outcome, Shipment, Streams};
use crate::sim::movement::role_at;
use crate::targeting::indicators::describe;

fn role_label(r: crate::scenario::Role) -> &'static str {
    match r {
        crate::scenario::Role::Export => "export",
        crate::scenario::Role::Transit => "transit",
        crate::scenario::Role::Import => "import",
    }
}

impl Engine {
    fn office_code(&self, o: usize) -> String {
        let w = self.w();
        w.nodes[w.offices[o].node as usize].code.clone()
    }

    /// The ISO3 country of trader `t` in this exercise's population.
    pub fn trader_country(&self, t: u32) -> String {
        let w = self.w();
        let seed = self.sim.ecs.resource::<Streams>().population_seed;
        let c = w.population.trader(seed, t).country;
        w.countries[c as usize].iso3.clone()
    }

    fn trader_ref(&self, t: u32) -> TraderRef {
        TraderRef {
            id: self.trader_id(t),
            country: self.trader_country(t),
        }
    }

    fn route_ports(&self, route: u32) -> Vec<String> {
        let w = self.w();
        (0..w.routes.stops(route))
            .map(|k| w.nodes[w.routes.stop(route, k) as usize].code.clone())
            .collect()
    }

    fn route_country(&self, route: u32, last: bool) -> String {
        let w = self.w();
        let k = if last { w.routes.stops(route) - 1 } else { 0 };
        w.countries[w.nodes[w.routes.stop(route, k) as usize].country as usize]
            .iso3
            .clone()
    }

    /// A declaration as team `t` sees it at office `o`.
    fn declaration_view(&self, t: usize, o: usize, s: &Shipment) -> DeclarationView {
        let w = self.w();
        let d = &s.decl;
        let team = &self.plan.teams[t];
        let streams = self.sim.ecs.resource::<Streams>();
        let day = self.sim.tick / w.ticks_per_day();
        // What the office knows, as the strategies see it (advance information included).
        let f = facts_of(w, d, &s.voyage, o, day, streams);
        let (indicators, score) = match &team.watch {
            Some(watch) => {
                let bits = watch.indicators(w, &f);
                let names = describe(bits);
                let list = if names.is_empty() {
                    Vec::new()
                } else {
                    names.split('+').map(String::from).collect()
                };
                (Some(list), team.weights.as_ref().map(|x| x.score(bits)))
            }
            None => (None, None),
        };
        DeclarationView {
            id: self.declaration_id(s.voyage.serial),
            office: self.office_code(o),
            role: role_label(role_at(w, &s.voyage)).into(),
            hs: w.hs[d.hs as usize].code.clone(),
            description: w.hs[d.hs as usize].description.clone(),
            exporter: self.trader_ref(d.exporter),
            consignee: self.trader_ref(d.consignee),
            route: self.route_ports(s.voyage.route),
            origin_country: self.route_country(s.voyage.route, false),
            destination_country: self.route_country(s.voyage.route, true),
            value_usd: d.value as f64,
            kg: d.kg as f64,
            vague: d.flags & crate::sim::components::Declaration::VAGUE != 0,
            licence: d.flags & crate::sim::components::Declaration::LICENCE != 0,
            advance_info: f.advance_info,
            indicators,
            score,
        }
    }

    /// GET /api/team/{team}.
    pub fn team_view(&self, t: usize) -> TeamView {
        let team = &self.plan.teams[t];
        let mut declarations: Vec<DeclarationView> = self
            .table(t)
            .into_iter()
            .map(|(o, p)| self.declaration_view(t, o, &self.sim.inbox(o)[p as usize]))
            .collect();
        declarations.sort_by(|a, b| a.id.cmp(&b.id));
        let offices = if self.finished() {
            Vec::new()
        } else {
            team.offices
                .iter()
                .map(|&o| {
                    let w = self.w();
                    let node = &w.nodes[w.offices[o].node as usize];
                    let (hours, method, per, max) = self.capacity(o);
                    OfficeView {
                        code: node.code.clone(),
                        name: node.name.clone(),
                        country: w.countries[node.country as usize].iso3.clone(),
                        capacity_hours: hours,
                        method: method.into(),
                        hours_per_inspection: per,
                        max_inspections: max,
                        conditions: self.conditions_of(o),
                    }
                })
                .collect()
        };
        let mut alerts: Vec<AlertView> = self
            .alerts
            .iter()
            .filter(|a| a.to == t)
            .map(|a| AlertView {
                from: a.from.map_or("facilitator".to_string(), |f| {
                    self.plan.teams[f].name.clone()
                }),
                turn: a.turn,
                declaration: a.serial.map(|s| self.declaration_id(s)),
                traders: a.traders.iter().map(|&x| self.trader_id(x)).collect(),
                note: a.note.clone(),
            })
            .collect();
        alerts.reverse();
        let submitted = if team.is_red() {
            self.new_orders[t].is_some()
        } else {
            self.decisions[t].is_some()
        };
        TeamView {
            status: self.status(),
            team: team.name.clone(),
            side: if team.is_red() { Side::Red } else { Side::Blue },
            other_teams: self
                .plan
                .teams
                .iter()
                .enumerate()
                .filter(|(x, tm)| *x != t && !tm.is_red())
                .map(|(_, tm)| tm.name.clone())
                .collect(),
            submitted,
            decisions: self.decisions[t].clone(),
            offices,
            support: match &team.support {
                crate::scenario::Support::None => Support::None,
                crate::scenario::Support::Indicators(s) => Support::Indicators {
                    strategy: s.clone(),
                },
                crate::scenario::Support::Score(s) => Support::Score {
                    strategy: s.clone(),
                },
            },
            declarations,
            alerts,
            last_results: self.records[t].last().map(|r| self.turn_results(r)),
            red: team.network.map(|n| self.red_view(t, n)),
        }
    }

    /// What injects change at office `o` now.
    fn conditions_of(&self, o: usize) -> Vec<String> {
        let w = self.w();
        let tick = self.sim.tick;
        let c = self
            .sim
            .ecs
            .resource::<crate::operation::injects::Conditions>();
        let mut out = Vec::new();
        let f = c.capacity_factor(o, tick);
        if f != 1.0 {
            out.push(format!("capacity ×{f}"));
        }
        if w.offices[o].has_scanner && !c.scanner_works(o, tick) {
            out.push("scanner out of order".into());
        }
        if let Some(t) = c.closed_until(w.offices[o].node as usize, tick) {
            out.push(format!("port closed until {}", self.sim_time(t)));
        }
        out
    }

    fn turn_results(&self, r: &super::engine::TurnRecord) -> TurnResults {
        let mut delay = 0.0;
        let inspections = r
            .rows
            .iter()
            .filter(|x| x.selected)
            .map(|x| {
                let (outcome, found) = match x.outcome {
                    Outcome::Seize => ("seized", self.found(x)),
                    Outcome::Unseizable { .. } => ("violation_not_seizable", self.found(x)),
                    Outcome::Release { dwell } => {
                        delay += dwell as f64;
                        ("clear", None)
                    }
                    Outcome::Pass => ("clear", None),
                };
                InspectionResult {
                    declaration: self.declaration_id(x.serial),
                    office: self.office_code(x.office as usize),
                    outcome: outcome.into(),
                    found,
                }
            })
            .collect();
        TurnResults {
            turn: r.turn,
            defaulted: r.defaulted,
            inspections,
            officer_hours: r.officer_hours,
            delay_hours: delay,
        }
    }

    /// What an inspection that found a violation saw: the goods and their hiding.
    fn found(&self, r: &Row) -> Option<String> {
        let w = self.w();
        let truth = self.sim.ledger.get(&r.serial)?;
        let com = &w.commodities[truth.commodity as usize];
        Some(format!(
            "{} (HS {}), {}",
            com.name,
            w.hs[com.hs as usize].code,
            Concealment::ALL[truth.concealment as usize].label()
        ))
    }

    /// GET /api/team/{team}/results.
    pub fn team_results(&self, t: usize) -> TeamResults {
        TeamResults {
            team: self.plan.teams[t].name.clone(),
            turns: self.records[t]
                .iter()
                .map(|r| self.turn_results(r))
                .collect(),
        }
    }

    /// The red team's view of network `n`.
    fn red_view(&self, t: usize, n: usize) -> RedView {
        let w = self.w();
        let net = &w.networks[n];
        let routes = self
            .feasible_routes(n)
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let ports = self.route_ports(r);
                let countries = (0..w.routes.stops(r))
                    .map(|k| {
                        w.countries[w.nodes[w.routes.stop(r, k) as usize].country as usize]
                            .iso3
                            .clone()
                    })
                    .collect();
                RouteOption {
                    index: i as u32,
                    ports,
                    countries,
                }
            })
            .collect();
        RedView {
            network: net.name.clone(),
            routes,
            concealments: Concealment::ALL
                .iter()
                .map(|c| c.label().to_string())
                .collect(),
            front_companies: net.exporters.clone().map(|x| self.trader_ref(x)).collect(),
            orders: self.new_orders[t]
                .clone()
                .or_else(|| self.orders[t].clone()),
            sent: self.sent[t].clone(),
            known_losses: self.losses(n, true),
        }
    }

    /// Network `n`'s seizures; with `heard`, only those it has heard of by now.
    pub fn losses(&self, n: usize, heard: bool) -> Vec<KnownLoss> {
        let w = self.w();
        let net = &w.networks[n];
        let tpd = w.ticks_per_day();
        let today = self.sim.tick / tpd;
        self.sim
            .seized
            .iter()
            .filter_map(|s| self.sim.ledger.get(&s.serial).map(|x| (s, x)))
            .filter(|(_, x)| x.network as usize == n)
            .filter(|(s, _)| !heard || s.tick / tpd + net.adaptation.learning_delay_days <= today)
            .map(|(s, x)| {
                let node = &w.nodes[w.offices[s.office].node as usize];
                KnownLoss {
                    date: w.date(s.tick / tpd),
                    port: node.code.clone(),
                    country: w.countries[node.country as usize].iso3.clone(),
                    commodity: w.commodities[x.commodity as usize].name.clone(),
                    concealment: Concealment::ALL[x.concealment as usize].label().into(),
                    front_company: self.trader_id(x.exporter),
                }
            })
            .collect()
    }

    /// GET /api/facilitator/{fac}. `urls` are the teams' page paths.
    pub fn facilitator_view(&self, urls: &[String]) -> FacilitatorView {
        let teams = self
            .plan
            .teams
            .iter()
            .enumerate()
            .map(|(t, team)| {
                let submitted = if team.is_red() {
                    self.new_orders[t].is_some()
                } else {
                    self.decisions[t].is_some()
                };
                let rows = self.records[t].iter().flat_map(|r| r.rows.iter());
                let (mut inspections, mut seizures) = (0, 0);
                for r in rows {
                    inspections += r.selected as u64;
                    seizures += (r.outcome == Outcome::Seize) as u64;
                }
                TeamSummary {
                    team: team.name.clone(),
                    side: if team.is_red() { Side::Red } else { Side::Blue },
                    plays: match team.network {
                        Some(n) => vec![self.w().networks[n].name.clone()],
                        None => team.offices.iter().map(|&o| self.office_code(o)).collect(),
                    },
                    status: if submitted {
                        TeamStatus::Submitted
                    } else if self.defaulted[t].last() == Some(&(self.turn - 1)) && self.finished()
                    {
                        TeamStatus::Defaulted
                    } else {
                        TeamStatus::Pending
                    },
                    defaulted_turns: self.defaulted[t].clone(),
                    url: urls.get(t).cloned().unwrap_or_default(),
                    inspections,
                    seizures,
                }
            })
            .collect();
        let injects = self
            .plan
            .injects
            .iter()
            .zip(&self.fired)
            .map(|(i, f)| InjectView {
                name: i.name.clone(),
                description: i.description.clone(),
                turn: i.turn,
                fired: *f,
            })
            .chain(self.adhoc.iter().map(|(turn, text)| InjectView {
                name: "ad-hoc".into(),
                description: text.clone(),
                turn: None,
                fired: Some(*turn),
            }))
            .collect();
        FacilitatorView {
            status: self.status(),
            teams,
            injects,
            timeline: self.timeline.clone(),
            last_advance_ms: self.last_advance_ms,
        }
    }

    /// GET /api/facilitator/{fac}/truth.
    pub fn truth(&self) -> Truth {
        let w = self.w();
        let teams = (0..self.plan.teams.len())
            .filter(|&t| !self.plan.teams[t].is_red())
            .map(|t| {
                let chosen: std::collections::BTreeSet<&String> = self.decisions[t]
                    .as_ref()
                    .map(|d| d.inspect.iter().collect())
                    .unwrap_or_default();
                let mut declarations: Vec<TruthRow> = self
                    .table(t)
                    .into_iter()
                    .map(|(o, p)| {
                        let s = &self.sim.inbox(o)[p as usize];
                        let id = self.declaration_id(s.voyage.serial);
                        let com = &w.commodities[s.cargo.commodity as usize];
                        let illicit = s.cargo.is_illicit();
                        let network =
                            illicit.then(|| w.networks[s.cargo.network as usize].name.clone());
                        let consignee = self.trader_ref(s.decl.consignee);
                        TruthRow {
                            selected: chosen.contains(&id),
                            id,
                            office: self.office_code(o),
                            illicit,
                            real_end_user: match &network {
                                Some(n) => {
                                    format!("{} ({}), for {n}", consignee.id, consignee.country)
                                }
                                None => format!("{} ({})", consignee.id, consignee.country),
                            },
                            network,
                            commodity: com.name.clone(),
                            hs_declared: w.hs[s.decl.hs as usize].code.clone(),
                            hs_actual: w.hs[com.hs as usize].code.clone(),
                            concealment: illicit.then(|| {
                                Concealment::ALL[s.cargo.concealment as usize]
                                    .label()
                                    .to_string()
                            }),
                            destination_country: self.route_country(s.voyage.route, true),
                        }
                    })
                    .collect();
                declarations.sort_by(|a, b| a.id.cmp(&b.id));
                TeamTruth {
                    team: self.plan.teams[t].name.clone(),
                    declarations,
                }
            })
            .collect();
        Truth {
            status: self.status(),
            teams,
        }
    }

    /// GET /api/facilitator/{fac}/submissions.
    pub fn submissions(&self) -> Submissions {
        Submissions {
            submissions: self.submissions.clone(),
        }
    }
}
