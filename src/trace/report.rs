//! What a trace replay reports: per strategy, inspection rate and period (and over the
//! whole file), precision, recall and revenue recovered, as means over replications with
//! 95% CIs, and the paired differences between strategies; written as tidy CSV and JSON.
//!
//! precision = illicit declarations inspected / inspections; recall = illicit
//! declarations inspected / illicit declarations; revenue recovered = revenue of the
//! illicit declarations inspected / revenue of all illicit declarations (only when the
//! file has a revenue column). An empty denominator gives no value (null), never 0.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::input::Declarations;
use super::{Counts, Plan, Replay};
use crate::metrics::stats::{Estimate, estimate, paired_difference};
use crate::report::io::{ensure_dir, write_atomic};

/// The metrics of one replay's counts, by name (NaN where a denominator is 0).
pub fn metrics(c: &Counts, has_revenue: bool) -> Vec<(&'static str, f64)> {
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    let mut m = vec![
        ("precision", ratio(c.hits as f64, c.inspections as f64)),
        ("recall", ratio(c.hits as f64, c.illicit as f64)),
        (
            "inspection_rate",
            ratio(c.inspections as f64, c.declarations as f64),
        ),
    ];
    if has_revenue {
        m.push(("revenue_recovered", ratio(c.revenue_caught, c.revenue)));
        m.push(("revenue_recovered_total", c.revenue_caught));
    }
    m
}

/// One estimate of the summary.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub strategy: String,
    pub inspection_rate: f64,
    /// Period index, or `None` for the whole file.
    pub period: Option<usize>,
    pub period_start: String,
    pub metric: &'static str,
    pub estimate: Estimate,
}

/// One paired difference `b − a`.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    pub strategy_a: String,
    pub strategy_b: String,
    pub inspection_rate: f64,
    pub period: Option<usize>,
    pub metric: &'static str,
    pub estimate: Estimate,
}

/// Everything a trace replay reports.
#[derive(Debug, Serialize)]
pub struct TraceReport {
    pub file: String,
    pub declarations: usize,
    pub illicit_rate: f64,
    pub skipped_rows: u64,
    pub not_assessed_event_rows: u64,
    pub period_days: u32,
    pub replications: usize,
    pub seed: u64,
    pub strategies: Vec<crate::scenario::StrategyDef>,
    pub summary: Vec<Line>,
    pub differences: Vec<Difference>,
}

/// Estimates and paired differences from the replays.
pub fn build(decls: &Declarations, plan: &Plan, replays: &[Replay], first_day: i64) -> TraceReport {
    let n_periods = replays.first().map_or(1, |r| r.periods.len());
    let period_of = |p: usize| (p + 1 < n_periods).then_some(p);
    let start = |p: usize| match period_of(p) {
        Some(p) => {
            let (y, m, d) = crate::world::add_days(
                (1970, 1, 1),
                first_day + (p as i64) * plan.period_days as i64,
            );
            format!("{y:04}-{m:02}-{d:02}")
        }
        None => String::new(),
    };
    // samples[s][r][p] = per metric, the values over replications.
    let samples = |s: usize, r: usize, p: usize| -> Vec<(&'static str, Vec<f64>)> {
        let mut out: Vec<(&'static str, Vec<f64>)> = Vec::new();
        for rep in replays.iter().filter(|x| x.strategy == s && x.rate == r) {
            for (k, (name, v)) in metrics(&rep.periods[p], decls.has_revenue)
                .into_iter()
                .enumerate()
            {
                if out.len() <= k {
                    out.push((name, Vec::new()));
                }
                out[k].1.push(v);
            }
        }
        out
    };
    let mut summary = Vec::new();
    let mut differences = Vec::new();
    for r in 0..plan.rates.len() {
        // Whole file first, then the periods.
        for p in std::iter::once(n_periods - 1).chain(0..n_periods - 1) {
            let per: Vec<_> = (0..plan.strategies.len())
                .map(|s| samples(s, r, p))
                .collect();
            for (s, ms) in per.iter().enumerate() {
                for (metric, v) in ms {
                    summary.push(Line {
                        strategy: plan.strategies[s].name.clone(),
                        inspection_rate: plan.rates[r],
                        period: period_of(p),
                        period_start: start(p),
                        metric,
                        estimate: estimate(v),
                    });
                }
            }
            for a in 0..per.len() {
                for b in a + 1..per.len() {
                    for ((metric, va), (_, vb)) in per[a].iter().zip(&per[b]) {
                        differences.push(Difference {
                            strategy_a: plan.strategies[a].name.clone(),
                            strategy_b: plan.strategies[b].name.clone(),
                            inspection_rate: plan.rates[r],
                            period: period_of(p),
                            metric,
                            estimate: paired_difference(va, vb),
                        });
                    }
                }
            }
        }
    }
    TraceReport {
        file: decls.file.clone(),
        declarations: decls.rows.len(),
        illicit_rate: decls.rows.iter().filter(|r| r.illicit).count() as f64
            / decls.rows.len().max(1) as f64,
        skipped_rows: decls.skipped,
        not_assessed_event_rows: decls.not_assessed,
        period_days: plan.period_days,
        replications: plan.reps,
        seed: plan.seed,
        strategies: plan.strategies.clone(),
        summary,
        differences,
    }
}

fn num(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

fn est_fields(e: &Estimate) -> [String; 4] {
    if e.n == 0 {
        return [String::new(), String::new(), String::new(), "0".into()];
    }
    [num(e.mean), num(e.ci_low), num(e.ci_high), e.n.to_string()]
}

fn opt(p: Option<usize>) -> String {
    p.map_or("all".to_string(), |p| p.to_string())
}

impl TraceReport {
    /// `summary.csv`, `differences.csv`, `replications.csv` and `trace.json` in `dir`.
    pub fn write(
        &self,
        dir: &Path,
        replays: &[Replay],
        plan: &Plan,
        has_revenue: bool,
    ) -> std::io::Result<()> {
        ensure_dir(dir)?;
        let mut s = String::from(
            "strategy,inspection_rate,period,period_start,metric,mean,ci_low,ci_high,n\n",
        );
        for l in &self.summary {
            let [m, lo, hi, n] = est_fields(&l.estimate);
            let _ = writeln!(
                s,
                "{},{},{},{},{},{m},{lo},{hi},{n}",
                csv_text(&l.strategy),
                l.inspection_rate,
                opt(l.period),
                l.period_start,
                l.metric
            );
        }
        write_atomic(&dir.join("summary.csv"), s.as_bytes())?;
        let mut s = String::from(
            "strategy_a,strategy_b,inspection_rate,period,metric,difference_b_minus_a,ci_low,ci_high,n\n",
        );
        for d in &self.differences {
            let [m, lo, hi, n] = est_fields(&d.estimate);
            let _ = writeln!(
                s,
                "{},{},{},{},{},{m},{lo},{hi},{n}",
                csv_text(&d.strategy_a),
                csv_text(&d.strategy_b),
                d.inspection_rate,
                opt(d.period),
                d.metric
            );
        }
        write_atomic(&dir.join("differences.csv"), s.as_bytes())?;
        let mut s = String::from(
            "strategy,inspection_rate,replication,period,declarations,illicit,inspections,hits,revenue,revenue_caught",
        );
        let names: Vec<&str> = metrics(&Counts::default(), has_revenue)
            .iter()
            .map(|m| m.0)
            .collect();
        for n in &names {
            let _ = write!(s, ",{n}");
        }
        s.push('\n');
        for r in replays {
            let last = r.periods.len() - 1;
            for (p, c) in r.periods.iter().enumerate() {
                let _ = write!(
                    s,
                    "{},{},{},{},{},{},{},{},{},{}",
                    csv_text(&plan.strategies[r.strategy].name),
                    plan.rates[r.rate],
                    r.rep,
                    opt((p < last).then_some(p)),
                    c.declarations,
                    c.illicit,
                    c.inspections,
                    c.hits,
                    c.revenue,
                    c.revenue_caught
                );
                for (_, v) in metrics(c, has_revenue) {
                    let _ = write!(s, ",{}", num(v));
                }
                s.push('\n');
            }
        }
        write_atomic(&dir.join("replications.csv"), s.as_bytes())?;
        write_atomic(
            &dir.join("trace.json"),
            &serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?,
        )
    }

    /// The whole-file estimates as a terminal table, then the paired differences.
    pub fn table(&self) -> String {
        let mut s = format!(
            "{}: {} declarations, {:.2}% illicit{}; {} replications, mean and 95% CI over the whole file\n\n",
            self.file,
            self.declarations,
            100.0 * self.illicit_rate,
            if self.skipped_rows > 0 {
                format!(" ({} malformed rows skipped)", self.skipped_rows)
            } else {
                String::new()
            },
            self.replications
        );
        let fmt = |e: &Estimate| {
            if e.n == 0 {
                "—".to_string()
            } else {
                format!(
                    "{:.2}% ({:.2}–{:.2})",
                    100.0 * e.mean,
                    100.0 * e.ci_low,
                    100.0 * e.ci_high
                )
            }
        };
        let _ = writeln!(
            s,
            "{:<18} {:>6}  {:<26} {:<26} revenue recovered",
            "strategy", "rate", "precision", "recall"
        );
        let whole: Vec<&Line> = self.summary.iter().filter(|l| l.period.is_none()).collect();
        let find = |st: &str, rate: f64, m: &str| {
            whole
                .iter()
                .find(|l| l.strategy == st && l.inspection_rate == rate && l.metric == m)
                .map(|l| fmt(&l.estimate))
                .unwrap_or_else(|| "—".to_string())
        };
        let mut seen: Vec<(String, f64)> = Vec::new();
        for l in &whole {
            let key = (l.strategy.clone(), l.inspection_rate);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let _ = writeln!(
                s,
                "{:<18} {:>5}%  {:<26} {:<26} {}",
                l.strategy,
                100.0 * l.inspection_rate,
                find(&l.strategy, l.inspection_rate, "precision"),
                find(&l.strategy, l.inspection_rate, "recall"),
                find(&l.strategy, l.inspection_rate, "revenue_recovered"),
            );
        }
        let diffs: Vec<&Difference> = self
            .differences
            .iter()
            .filter(|d| {
                d.period.is_none()
                    && d.metric != "inspection_rate"
                    && d.metric != "revenue_recovered_total"
            })
            .collect();
        if !diffs.is_empty() {
            let _ = writeln!(
                s,
                "\nPaired differences (second − first, same replications)"
            );
            for d in diffs {
                let e = &d.estimate;
                let _ = writeln!(
                    s,
                    "{} − {} at {}%: {} {:+.2} pp ({:+.2}–{:+.2})",
                    d.strategy_b,
                    d.strategy_a,
                    100.0 * d.inspection_rate,
                    d.metric,
                    100.0 * e.mean,
                    100.0 * e.ci_low,
                    100.0 * e.ci_high
                );
            }
        }
        s
    }
}

/// A strategy name as a CSV field.
fn csv_text(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
