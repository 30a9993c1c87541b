//! Trace-driven replay (`stce trace`): a file of real or synthetic declarations replayed
//! in date order through its offices, each inspecting what its strategy selects within
//! the budget an inspection rate gives, the way the Customs-Fraud-Detection framework
//! (DATE, KDD 2020) evaluates selectors at 1/2/5/10%. The strategies are stce's own
//! (`crate::targeting`), reading the file's rows through [`crate::targeting::Assessable`];
//! they learn only from what they inspected. This module owns the replay; reading the
//! file is in [`input`], the estimates and outputs in [`report`].

pub mod input;
pub mod report;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::experiment::replication_seed;
use crate::scenario::{Indicator, StrategyDef, Watchlists};
use crate::sim::random::mix;
use crate::targeting::{Assessable, Watch, build_with};
use input::Declarations;

/// The strategies `--strategy NAME` knows without a strategies file: what each kind
/// does with no watch lists, on the indicators a declaration file supports (value per
/// kg against the tariff code's norm, new importer, importer or declarant caught
/// before; HS, country and trader watch lists when a strategies file gives them).
pub const DEFAULT_STRATEGIES: &str = r#"[
    StrategyDef(name: "random", kind: Random(rate: 1.0)),
    StrategyDef(name: "rules", kind: Rules(profiles: [
        Profile(name: "caught before", all: [PriorViolations]),
        Profile(name: "value per kg off the norm", all: [ValueAnomaly]),
        Profile(name: "new importer", all: [NewTrader]),
        Profile(name: "watched tariff code", all: [HsWatch]),
        Profile(name: "country of concern", all: [CountryOfConcern]),
        Profile(name: "watched trader", all: [WatchedEntity]),
    ])),
    StrategyDef(name: "risk-score", kind: RiskScore(weights: {
        PriorViolations: 3.0, ValueAnomaly: 2.0, NewTrader: 1.0,
        HsWatch: 2.0, CountryOfConcern: 2.0, WatchedEntity: 5.0,
    })),
    StrategyDef(name: "learner", kind: Learner(exploration: 0.1)),
    StrategyDef(name: "intelligence-led", kind: IntelligenceLed(weights: {
        PriorViolations: 3.0, ValueAnomaly: 2.0, NewTrader: 1.0,
        HsWatch: 2.0, CountryOfConcern: 2.0,
    })),
    StrategyDef(name: "mixture", kind: Mixture(parts: [("risk-score", 0.9), ("random", 0.1)])),
]"#;

/// The built-in strategies, then those of a strategies file (which replace built-ins
/// of the same name); and the names the file defines.
pub fn strategy_defs(
    file: Option<&std::path::Path>,
) -> Result<(Vec<StrategyDef>, Vec<String>), String> {
    let mut own = Vec::new();
    let mut defs: Vec<StrategyDef> =
        ron::from_str(DEFAULT_STRATEGIES).map_err(|e| format!("built-in strategies: {e}"))?;
    if let Some(path) = file {
        let name = path.display();
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
        let more: Vec<StrategyDef> = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(&text)
            .map_err(|e| {
                format!(
                    "{name}:{}:{}: {} (the file is a list of StrategyDef(name: ..., kind: ...) as in a scenario's strategies)",
                    e.span.start.line, e.span.start.col, e.code
                )
            })?;
        for d in more {
            defs.retain(|x| x.name != d.name);
            own.push(d.name.clone());
            defs.push(d);
        }
    }
    for d in &defs {
        if let crate::scenario::StrategyKind::Mixture { parts } = &d.kind {
            for (p, _) in parts {
                if !defs.iter().any(|x| &x.name == p) {
                    return Err(format!(
                        "strategy \"{}\": mixture part \"{p}\" is not a strategy",
                        d.name
                    ));
                }
            }
        }
    }
    Ok((defs, own))
}

/// What to replay.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The strategies compared, in the order given.
    pub strategies: Vec<StrategyDef>,
    /// Every definition (mixtures refer to parts by name).
    pub defs: Vec<StrategyDef>,
    /// Inspection rates as fractions (0.01 = 1%).
    pub rates: Vec<f64>,
    pub period_days: u32,
    pub reps: usize,
    pub seed: u64,
}

/// Counts of one period (or the whole file) of one replay.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub declarations: u64,
    pub illicit: u64,
    pub inspections: u64,
    pub hits: u64,
    /// Revenue of all illicit declarations, and of those caught.
    pub revenue: f64,
    pub revenue_caught: f64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.declarations += o.declarations;
        self.illicit += o.illicit;
        self.inspections += o.inspections;
        self.hits += o.hits;
        self.revenue += o.revenue;
        self.revenue_caught += o.revenue_caught;
    }
}

/// One replay: a strategy at an inspection rate on one replication's seed.
#[derive(Debug, Clone)]
pub struct Replay {
    pub strategy: usize,
    pub rate: usize,
    pub rep: usize,
    /// Per period, then the whole file last.
    pub periods: Vec<Counts>,
}

/// What the file's declarations say before any strategy sees them: when each trader
/// first appeared, the tariff codes' usual value per kg.
pub struct Context<'a> {
    pub decls: &'a Declarations,
    first_seen: Vec<i64>,
    /// Mean ln(value per kg) per tariff code (declared values only).
    norm: Vec<f64>,
    /// The trader id "" (a file without importer or declarant ids), which never counts.
    blank: Option<u32>,
    first_day: i64,
}

impl<'a> Context<'a> {
    pub fn new(decls: &'a Declarations) -> Context<'a> {
        let mut first_seen = vec![i64::MAX; decls.traders.len()];
        let mut sum = vec![(0.0f64, 0u64); decls.tariffs.len()];
        for r in &decls.rows {
            for t in [r.importer, r.declarant] {
                first_seen[t as usize] = first_seen[t as usize].min(r.day);
            }
            if let Some(x) = ln_per_kg(r) {
                sum[r.tariff as usize].0 += x;
                sum[r.tariff as usize].1 += 1;
            }
        }
        Context {
            decls,
            first_seen,
            norm: sum
                .iter()
                .map(|&(s, n)| if n > 0 { s / n as f64 } else { f64::NAN })
                .collect(),
            blank: decls
                .traders
                .iter()
                .position(|t| t.is_empty())
                .map(|i| i as u32),
            first_day: decls.rows.first().map_or(0, |r| r.day),
        }
    }

    /// Watch lists as lookups over the file's codes.
    pub fn compile(&self, w: &Watchlists) -> Watch {
        let d = self.decls;
        Watch {
            hs: d
                .tariffs
                .iter()
                .map(|t| w.hs.iter().any(|p| t.starts_with(p.as_str())))
                .collect(),
            countries: d
                .countries
                .iter()
                .map(|c| w.countries.contains(c))
                .collect(),
            entities: d.traders.iter().map(|t| w.traders.contains(t)).collect(),
            new_trader_days: w.new_trader_days,
            value_anomaly: w.value_anomaly,
            // A declaration file has no routes, and its value norms are the file's own
            // (`indicators` below reads them and its countries).
            value_bounds: Vec::new(),
            routes: Vec::new().into(),
        }
    }

    /// The period of day `day`.
    pub fn period(&self, day: i64, period_days: u32) -> usize {
        ((day - self.first_day) / period_days.max(1) as i64) as usize
    }

    pub fn periods(&self, period_days: u32) -> usize {
        self.decls
            .rows
            .last()
            .map_or(1, |r| self.period(r.day, period_days) + 1)
    }

    pub fn first_day(&self) -> i64 {
        self.first_day
    }
}

fn ln_per_kg(r: &input::Row) -> Option<f64> {
    (r.value > 0.0 && r.kg > 0.0).then(|| (r.value / r.kg).ln())
}

/// One office's declarations of one day, as a strategy sees them.
struct Batch<'a> {
    ctx: &'a Context<'a>,
    rows: &'a [u32],
    /// Traders caught before by this replay's inspections.
    caught: &'a [bool],
}

impl Assessable for Batch<'_> {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn indicators(&self, watch: &Watch, i: usize) -> u16 {
        let r = &self.ctx.decls.rows[self.rows[i] as usize];
        let known = |t: u32| Some(t) != self.ctx.blank;
        let mut bits = 0u16;
        let mut set = |i: Indicator, on: bool| {
            if on {
                bits |= i.bit();
            }
        };
        set(Indicator::HsWatch, watch.hs[r.tariff as usize]);
        set(
            Indicator::CountryOfConcern,
            watch.countries[r.country as usize],
        );
        set(
            Indicator::NewTrader,
            known(r.importer)
                && r.day - self.ctx.first_seen[r.importer as usize] < watch.new_trader_days as i64,
        );
        set(
            Indicator::PriorViolations,
            [r.importer, r.declarant]
                .iter()
                .any(|&t| known(t) && self.caught[t as usize]),
        );
        set(
            Indicator::ValueAnomaly,
            ln_per_kg(r).is_some_and(|x| {
                (x - self.ctx.norm[r.tariff as usize]).abs() > watch.value_anomaly
            }),
        );
        set(
            Indicator::WatchedEntity,
            [r.importer, r.declarant]
                .iter()
                .any(|&t| known(t) && watch.entities[t as usize]),
        );
        bits
    }
}

/// Replay the file once: strategy `def` at every office, inspecting `rate` of each
/// office's declarations of each day (the fraction carried over to the next day, so the
/// budget adds up over the file). Returns the counts per period and overall.
pub fn replay_one(
    ctx: &Context,
    def: &StrategyDef,
    defs: &[StrategyDef],
    rate: f64,
    period_days: u32,
    seed: u64,
) -> Vec<Counts> {
    let d = ctx.decls;
    let compile = |w: &Watchlists| ctx.compile(w);
    let mut strategies: Vec<_> = (0..d.offices.len())
        .map(|_| build_with(&def.kind, defs, &compile))
        .collect();
    let mut rngs: Vec<ChaCha8Rng> = (0..d.offices.len())
        .map(|o| ChaCha8Rng::seed_from_u64(mix(seed ^ mix(0x7AC3_0000 + o as u64))))
        .collect();
    let mut carry = vec![0.0f64; d.offices.len()];
    let mut caught = vec![false; d.traders.len()];
    let n_periods = ctx.periods(period_days);
    let mut periods = vec![Counts::default(); n_periods];
    let mut day_rows: Vec<u32> = Vec::new();
    let mut selected: Vec<u32> = Vec::new();
    let mut start = 0;
    while start < d.rows.len() {
        let day = d.rows[start].day;
        let end = start + d.rows[start..].partition_point(|r| r.day == day);
        let p = &mut periods[ctx.period(day, period_days)];
        // The day's declarations, office by office, in file order within an office.
        day_rows.clear();
        day_rows.extend(start as u32..end as u32);
        day_rows.sort_by_key(|&i| d.rows[i as usize].office);
        let mut a = 0;
        while a < day_rows.len() {
            let o = d.rows[day_rows[a] as usize].office as usize;
            let b = a + day_rows[a..].partition_point(|&i| d.rows[i as usize].office as usize == o);
            let rows = &day_rows[a..b];
            carry[o] += rate * rows.len() as f64;
            let budget = (carry[o] + 1e-9).floor();
            carry[o] -= budget;
            selected.clear();
            let batch = Batch {
                ctx,
                rows,
                caught: &caught,
            };
            strategies[o].select(&batch, budget as usize, &mut rngs[o], &mut selected);
            for &l in &selected {
                let r = &d.rows[rows[l as usize] as usize];
                p.inspections += 1;
                strategies[o].observe(l, r.illicit);
                if r.illicit {
                    p.hits += 1;
                    p.revenue_caught += r.revenue;
                    caught[r.importer as usize] = true;
                    caught[r.declarant as usize] = true;
                }
            }
            a = b;
        }
        for r in &d.rows[start..end] {
            p.declarations += 1;
            if r.illicit {
                p.illicit += 1;
                p.revenue += r.revenue;
            }
        }
        start = end;
    }
    let mut all = Counts::default();
    for c in &periods {
        all.add(c);
    }
    periods.push(all);
    periods
}

/// Every strategy at every rate over `reps` replications, in parallel; replication `k`
/// of every strategy and rate shares its seed (paired comparisons). Results in a fixed
/// order whatever the thread count.
pub fn replay(decls: &Declarations, plan: &Plan) -> Vec<Replay> {
    let ctx = Context::new(decls);
    let jobs: Vec<(usize, usize, usize)> = (0..plan.strategies.len())
        .flat_map(|s| {
            (0..plan.rates.len()).flat_map(move |r| (0..plan.reps).map(move |k| (s, r, k)))
        })
        .collect();
    jobs.par_iter()
        .map(|&(s, r, k)| Replay {
            strategy: s,
            rate: r,
            rep: k,
            periods: replay_one(
                &ctx,
                &plan.strategies[s],
                &plan.defs,
                plan.rates[r],
                plan.period_days,
                replication_seed(plan.seed, k),
            ),
        })
        .collect()
}
