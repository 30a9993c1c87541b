//! The debrief: per team what was caught and missed (with the truth), officer-hours and
//! delay on licit trade, alerts and what they led to, the red team's routes and losses,
//! and each team against the comparison strategies on the same world, seeds, injects and
//! red orders (the log replayed with the strategy at the teams' offices). Also written
//! as JSON and CSV by `stce exercise --debrief`.

use std::path::Path;

use super::api::*;
use super::engine::{Engine, Entry, TurnRecord};
use crate::scenario::Concealment;
use crate::sim::components::Outcome;

/// The score of a team's closed turns.
pub fn score(records: &[TurnRecord]) -> Score {
    let mut s = Score::default();
    for r in records {
        s.officer_hours += r.officer_hours;
        for x in &r.rows {
            s.declarations += 1;
            s.illicit_presented += x.illicit as u64;
            if x.selected {
                s.inspections += 1;
                if !x.illicit {
                    s.licit_inspected += 1;
                }
            }
            match x.outcome {
                Outcome::Seize => s.caught += 1,
                Outcome::Release { dwell } if !x.illicit => s.licit_delay_hours += dwell as f64,
                _ => {}
            }
            if x.illicit && x.outcome != Outcome::Seize {
                s.missed += 1;
            }
        }
    }
    s
}

impl Engine {
    /// The debrief on the turns closed so far. `log` is the exercise's log, replayed for
    /// the comparisons.
    pub fn debrief(&self, log: &[Entry]) -> Debrief {
        let w = self.w();
        let mut overall = Score::default();
        let mut teams = Vec::new();
        for (t, team) in self.plan.teams.iter().enumerate() {
            if team.is_red() {
                continue;
            }
            let sc = score(&self.records[t]);
            add(&mut overall, &sc);
            let mut illicit = Vec::new();
            for r in &self.records[t] {
                for x in r.rows.iter().filter(|x| x.illicit) {
                    let Some(truth) = self.sim.ledger.get(&x.serial) else {
                        continue;
                    };
                    let com = &w.commodities[truth.commodity as usize];
                    let stops = w.routes.stops(truth.route);
                    let dest = w.nodes[w.routes.stop(truth.route, stops - 1) as usize].country;
                    let later = self.sim.seized.iter().find(|s| s.serial == x.serial);
                    illicit.push(IllicitRow {
                        turn: r.turn,
                        declaration: self.declaration_id(x.serial),
                        office: w.nodes[w.offices[x.office as usize].node as usize]
                            .code
                            .clone(),
                        outcome: match (x.selected, x.outcome) {
                            (_, Outcome::Seize) => "caught",
                            (_, Outcome::Unseizable { .. }) => "found_not_seizable",
                            (true, _) => "inspected_not_found",
                            (false, _) => "not_inspected",
                        }
                        .into(),
                        commodity: com.name.clone(),
                        category: com.category.label().into(),
                        hs_declared: w.hs[x.hs as usize].code.clone(),
                        hs_actual: w.hs[com.hs as usize].code.clone(),
                        concealment: Concealment::ALL[truth.concealment as usize].label().into(),
                        network: w.networks[truth.network as usize].name.clone(),
                        sender: self.trader_id(truth.exporter),
                        sender_country: self.trader_country(truth.exporter),
                        consignee: self.trader_id(truth.consignee),
                        destination: w.countries[dest as usize].iso3.clone(),
                        ended: match later {
                            Some(s) => format!(
                                "seized at {} on {}",
                                w.nodes[w.offices[s.office].node as usize].code,
                                w.date(s.tick / w.ticks_per_day())
                            ),
                            None => format!(
                                "not seized by the end of the exercise (bound for {})",
                                w.countries[dest as usize].iso3
                            ),
                        },
                    });
                }
            }
            let alerts_sent = self
                .alerts
                .iter()
                .filter(|a| a.from == Some(t))
                .map(|a| self.alert_outcome(a))
                .collect();
            teams.push(TeamDebrief {
                team: team.name.clone(),
                side: Side::Blue,
                score: sc,
                defaulted_turns: self.defaulted[t].clone(),
                illicit,
                alerts_sent,
            });
        }
        let red = self
            .plan
            .teams
            .iter()
            .enumerate()
            .filter_map(|(t, team)| team.network.map(|n| (t, team, n)))
            .map(|(t, team, n)| {
                let mut routes = std::collections::BTreeMap::<String, u64>::new();
                let mut sent = 0;
                for x in self.sim.ledger.values().filter(|x| x.network as usize == n) {
                    if x.tick < self.plan.start_tick || x.tick >= self.plan.tick_of(self.turn) {
                        continue;
                    }
                    sent += 1;
                    let ports: Vec<&str> = (0..w.routes.stops(x.route))
                        .map(|k| w.nodes[w.routes.stop(x.route, k) as usize].code.as_str())
                        .collect();
                    *routes.entry(ports.join(">")).or_default() += 1;
                }
                let start = w.date(self.plan.start_tick / w.ticks_per_day());
                let losses: Vec<KnownLoss> = self
                    .losses(n, false)
                    .into_iter()
                    .filter(|l| l.date >= start)
                    .collect();
                RedDebrief {
                    team: team.name.clone(),
                    network: w.networks[n].name.clone(),
                    routes: routes.into_iter().collect(),
                    sent,
                    lost: losses.len() as u64,
                    losses,
                    orders: self.orders_log[t].clone(),
                }
            })
            .collect();
        Debrief {
            status: self.status(),
            teams,
            overall,
            red,
            comparisons: self.comparisons(log),
            timeline: self.timeline.clone(),
        }
    }

    fn alert_outcome(&self, a: &super::engine::SentAlert) -> AlertOutcome {
        let w = self.w();
        let mut led_to = "not acted on".to_string();
        let names = |r: &super::engine::Row| {
            Some(r.serial) == a.serial
                || a.traders.contains(&r.exporter)
                || a.traders.contains(&r.consignee)
        };
        let mut matched = false;
        for r in self.records[a.to].iter().filter(|r| r.turn > a.turn) {
            for x in r.rows.iter().filter(|x| names(x)) {
                matched = true;
                if x.selected {
                    led_to = format!(
                        "{} inspected {} at {} in turn {}: {}",
                        self.plan.teams[a.to].name,
                        self.declaration_id(x.serial),
                        w.nodes[w.offices[x.office as usize].node as usize].code,
                        r.turn,
                        match x.outcome {
                            Outcome::Seize => "seized",
                            Outcome::Unseizable { .. } => "violation found, not seizable",
                            _ => "nothing found",
                        }
                    );
                }
            }
        }
        if matched && led_to == "not acted on" {
            led_to = "matching declarations reached the team, none inspected".into();
        }
        let about_illicit = a.serial.is_some_and(|s| self.sim.ledger.contains_key(&s))
            || a.traders.iter().any(|&t| {
                w.networks
                    .iter()
                    .any(|n| n.exporters.contains(&t) || n.consignees.contains(&t))
            });
        AlertOutcome {
            turn: a.turn,
            to: self.plan.teams[a.to].name.clone(),
            declaration: a.serial.map(|s| self.declaration_id(s)),
            traders: a.traders.iter().map(|&x| self.trader_id(x)).collect(),
            led_to,
            about_illicit,
        }
    }

    /// Each comparison strategy at every team office, on the same log: paired with what
    /// the teams did on the same world, seed, injects and red orders.
    fn comparisons(&self, log: &[Entry]) -> Vec<Comparison> {
        let mut out = Vec::new();
        for &s in &self.plan.debrief {
            let mut e = Engine::new(&self.sim.w, self.plan.clone(), self.key(), Some(s));
            for (seq, entry) in log.iter().enumerate() {
                if matches!(entry, Entry::OpenDebrief) {
                    continue;
                }
                if e.check(entry).is_ok() {
                    e.apply(entry, seq as u64);
                }
            }
            for (t, team) in self.plan.teams.iter().enumerate() {
                if team.is_red() {
                    continue;
                }
                out.push(Comparison {
                    team: team.name.clone(),
                    strategy: self.w().strategies[s].name.clone(),
                    team_score: score(&self.records[t]),
                    strategy_score: score(&e.records[t]),
                });
            }
        }
        out
    }
}

fn add(a: &mut Score, b: &Score) {
    a.declarations += b.declarations;
    a.illicit_presented += b.illicit_presented;
    a.inspections += b.inspections;
    a.caught += b.caught;
    a.missed += b.missed;
    a.officer_hours += b.officer_hours;
    a.licit_delay_hours += b.licit_delay_hours;
    a.licit_inspected += b.licit_inspected;
}

/// Write the debrief as debrief.json and CSV tables (teams, illicit, alerts,
/// comparisons, red) into `dir`.
pub fn write(d: &Debrief, dir: &Path) -> Result<Vec<String>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let io = |e: &dyn std::fmt::Display, f: &str| format!("{}/{f}: {e}", dir.display());
    let json = serde_json::to_string_pretty(d).map_err(|e| io(&e, "debrief.json"))?;
    std::fs::write(dir.join("debrief.json"), json).map_err(|e| io(&e, "debrief.json"))?;
    let mut files = vec!["debrief.json".to_string()];
    let mut table = |name: &str, header: &[&str], rows: Vec<Vec<String>>| -> Result<(), String> {
        let mut wtr = csv::Writer::from_path(dir.join(name)).map_err(|e| io(&e, name))?;
        wtr.write_record(header).map_err(|e| io(&e, name))?;
        for r in rows {
            wtr.write_record(&r).map_err(|e| io(&e, name))?;
        }
        wtr.flush().map_err(|e| io(&e, name))?;
        files.push(name.to_string());
        Ok(())
    };
    let score_cols = |s: &Score| {
        vec![
            s.declarations.to_string(),
            s.illicit_presented.to_string(),
            s.inspections.to_string(),
            s.caught.to_string(),
            s.missed.to_string(),
            format!("{:.2}", s.officer_hours),
            format!("{:.2}", s.licit_delay_hours),
            s.licit_inspected.to_string(),
        ]
    };
    const SCORE: [&str; 8] = [
        "declarations",
        "illicit_presented",
        "inspections",
        "caught",
        "missed",
        "officer_hours",
        "licit_delay_hours",
        "licit_inspected",
    ];
    let mut teams = vec!["team"];
    teams.extend(SCORE);
    table(
        "teams.csv",
        &teams,
        d.teams
            .iter()
            .map(|t| [vec![t.team.clone()], score_cols(&t.score)].concat())
            .chain(std::iter::once(
                [vec!["overall".to_string()], score_cols(&d.overall)].concat(),
            ))
            .collect(),
    )?;
    table(
        "illicit.csv",
        &[
            "team",
            "turn",
            "declaration",
            "office",
            "outcome",
            "commodity",
            "category",
            "hs_declared",
            "hs_actual",
            "concealment",
            "network",
            "sender",
            "sender_country",
            "consignee",
            "destination",
            "ended",
        ],
        d.teams
            .iter()
            .flat_map(|t| {
                t.illicit.iter().map(|r| {
                    vec![
                        t.team.clone(),
                        r.turn.to_string(),
                        r.declaration.clone(),
                        r.office.clone(),
                        r.outcome.clone(),
                        r.commodity.clone(),
                        r.category.clone(),
                        r.hs_declared.clone(),
                        r.hs_actual.clone(),
                        r.concealment.clone(),
                        r.network.clone(),
                        r.sender.clone(),
                        r.sender_country.clone(),
                        r.consignee.clone(),
                        r.destination.clone(),
                        r.ended.clone(),
                    ]
                })
            })
            .collect(),
    )?;
    table(
        "alerts.csv",
        &[
            "from",
            "turn",
            "to",
            "declaration",
            "traders",
            "about_illicit",
            "led_to",
        ],
        d.teams
            .iter()
            .flat_map(|t| {
                t.alerts_sent.iter().map(|a| {
                    vec![
                        t.team.clone(),
                        a.turn.to_string(),
                        a.to.clone(),
                        a.declaration.clone().unwrap_or_default(),
                        a.traders.join(";"),
                        a.about_illicit.to_string(),
                        a.led_to.clone(),
                    ]
                })
            })
            .collect(),
    )?;
    let mut cmp = vec!["team", "strategy", "who"];
    cmp.extend(SCORE);
    table(
        "comparisons.csv",
        &cmp,
        d.comparisons
            .iter()
            .flat_map(|c| {
                [
                    [
                        vec![c.team.clone(), c.strategy.clone(), "team".into()],
                        score_cols(&c.team_score),
                    ]
                    .concat(),
                    [
                        vec![c.team.clone(), c.strategy.clone(), "strategy".into()],
                        score_cols(&c.strategy_score),
                    ]
                    .concat(),
                ]
            })
            .collect(),
    )?;
    table(
        "red.csv",
        &["team", "network", "route", "shipments"],
        d.red
            .iter()
            .flat_map(|r| {
                r.routes.iter().map(|(route, n)| {
                    vec![
                        r.team.clone(),
                        r.network.clone(),
                        route.clone(),
                        n.to_string(),
                    ]
                })
            })
            .collect(),
    )?;
    Ok(files)
}
