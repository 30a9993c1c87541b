//! Paired comparison of strategies: every strategy runs on the same replications (common
//! random numbers); the difference against the first strategy is computed replication
//! by replication, so its interval reflects the strategies, not the dice.
//!
//! Strategies spend different officer-hours (a 3% random sample leaves capacity idle; a
//! risk score uses all of it), so the comparison always reports each strategy's effort,
//! and with `equal_effort` holds it equal: each strategy's capacity is scaled so that
//! its mean officer-hours match the least any strategy spent.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::{
    Replication, estimates_table, fmt, mean_daily_seizures, one_with, paired_effect, summarise,
    write_replication_files,
};
use crate::metrics::stats::Estimate;
use crate::report::folder::Companions;
use crate::report::io::OutputSet;
use crate::report::plots::{self, Band, BandPoint};
use crate::sim::RunOptions;
use crate::world::World;

pub struct Comparison {
    pub scenario: String,
    pub base_seed: u64,
    pub strategies: Vec<String>,
    /// `runs[s][i]`: strategy s, replication i.
    pub runs: Vec<Vec<Replication>>,
    /// Per strategy: the factor on every office's officer-hours it ran with (1 unless
    /// effort was held equal).
    pub capacity_scale: Vec<f64>,
    /// Whether the strategies ran without the scenario's operation.
    pub no_operation: bool,
    pub equal_effort: bool,
}

/// How a comparison is run.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompareOptions {
    /// Business as usual: the scenario without its operation.
    pub no_operation: bool,
    /// Scale each strategy's capacity so all spend the same officer-hours.
    pub equal_effort: bool,
}

/// Relative tolerance on equal effort: strategies within it are not rescaled again.
pub const EFFORT_TOLERANCE: f64 = 0.02;
/// Rounds of rescaling at most (effort is not proportional to capacity: alerts and a
/// sampling rate leave some unused, and a busier office seizes more upstream).
pub const EFFORT_ROUNDS: usize = 6;

#[derive(Serialize)]
struct StrategySummary<'a> {
    name: &'a str,
    metrics: BTreeMap<&'static str, Estimate>,
}

#[derive(Serialize)]
struct Summary<'a> {
    scenario: &'a str,
    base_seed: u64,
    replications: usize,
    strategies: Vec<StrategySummary<'a>>,
    /// Per strategy: the factor its offices' officer-hours were scaled by.
    capacity_scale: &'a [f64],
    no_operation: bool,
    equal_effort: bool,
    /// Paired differences (strategy − baseline) per metric.
    baseline: &'a str,
    differences: Vec<StrategySummary<'a>>,
}

/// Run every strategy on replications `0..reps`.
pub fn compare(
    w: &Arc<World>,
    base_seed: u64,
    reps: usize,
    strategies: &[usize],
    progress: &(dyn Fn() + Sync),
) -> Comparison {
    compare_with(
        w,
        base_seed,
        reps,
        strategies,
        CompareOptions::default(),
        progress,
    )
}

/// The arm of strategy `strategy` with its capacity scaled by `scale`.
fn arm_options(strategy: usize, scale: f64, no_operation: bool) -> RunOptions {
    RunOptions {
        strategy: Some(strategy),
        baseline: no_operation,
        capacity_scale: (scale != 1.0).then_some(scale),
        ..Default::default()
    }
}

/// Unit `k` of a comparison without equal effort: replication `k / strategies` of
/// strategy `k mod strategies`, as [`compare_with`]'s first round runs it (what a shard
/// of the comparison runs). Equal effort calibrates over all replications together, so
/// it has no units.
pub fn unit(
    w: &Arc<World>,
    base_seed: u64,
    strategies: &[usize],
    no_operation: bool,
    k: usize,
) -> Replication {
    let ns = strategies.len();
    one_with(
        w,
        base_seed,
        k / ns,
        &arm_options(strategies[k % ns], 1.0, no_operation),
    )
}

/// Mean officer-hours of a strategy's replications: its effort.
pub fn effort(runs: &[Replication]) -> f64 {
    runs.iter().map(|r| r.metrics.officer_hours).sum::<f64>() / runs.len().max(1) as f64
}

/// Run every strategy on replications `0..reps`, as `o` says. With equal effort, the
/// strategies whose effort is not within [`EFFORT_TOLERANCE`] of the least are run
/// again with their capacity scaled by (least / theirs), for [`EFFORT_ROUNDS`] rounds
/// at most, and the scale used is reported.
pub fn compare_with(
    w: &Arc<World>,
    base_seed: u64,
    reps: usize,
    strategies: &[usize],
    o: CompareOptions,
    progress: &(dyn Fn() + Sync),
) -> Comparison {
    let ns = strategies.len();
    let arm = |s: usize, scale: f64| arm_options(strategies[s], scale, o.no_operation);
    let run_arms = |arms: &[(usize, f64)]| -> Vec<Vec<Replication>> {
        let na = arms.len();
        let flat: Vec<Replication> = (0..reps * na)
            .into_par_iter()
            .map(|k| {
                let (s, scale) = arms[k % na];
                let r = one_with(w, base_seed, k / na, &arm(s, scale));
                progress();
                r
            })
            .collect();
        let mut runs: Vec<Vec<Replication>> = vec![Vec::with_capacity(reps); na];
        for (k, r) in flat.into_iter().enumerate() {
            runs[k % na].push(r);
        }
        runs
    };
    let mut scale = vec![1.0; ns];
    let mut runs = run_arms(&(0..ns).map(|s| (s, 1.0)).collect::<Vec<_>>());
    if o.equal_effort {
        let target = runs.iter().map(|r| effort(r)).fold(f64::INFINITY, f64::min);
        let off = |e: f64| (e / target - 1.0).abs();
        // Per strategy, a bracket [lo, hi] of scales around the target: effort is a
        // step function of capacity (whole inspections a day), so the proportional
        // guess is kept inside the bracket and the closest run so far is kept.
        let mut bracket: Vec<(f64, f64)> = vec![(0.0, 1.0); ns];
        for _ in 0..EFFORT_ROUNDS {
            let redo: Vec<(usize, f64)> = (0..ns)
                .filter_map(|s| {
                    let e = effort(&runs[s]);
                    if off(e) <= EFFORT_TOLERANCE || e <= 0.0 {
                        return None;
                    }
                    let (lo, hi) = bracket[s];
                    let guess = scale[s] * target / e;
                    let k = if guess > lo && guess < hi {
                        guess
                    } else {
                        (lo + hi) / 2.0
                    };
                    Some((s, k))
                })
                .collect();
            if redo.is_empty() {
                break;
            }
            for ((s, k), r) in redo.iter().zip(run_arms(&redo)) {
                let e = effort(&r);
                if e > target {
                    bracket[*s].1 = bracket[*s].1.min(*k);
                } else {
                    bracket[*s].0 = bracket[*s].0.max(*k);
                }
                if off(e) < off(effort(&runs[*s])) {
                    scale[*s] = *k;
                    runs[*s] = r;
                }
            }
        }
    }
    Comparison {
        scenario: w.name.clone(),
        base_seed,
        strategies: strategies
            .iter()
            .map(|&s| w.strategies[s].name.clone())
            .collect(),
        runs,
        capacity_scale: scale,
        no_operation: o.no_operation,
        equal_effort: o.equal_effort,
    }
}

impl Comparison {
    /// Paired difference of every metric, strategy `s` minus the first.
    pub fn differences(&self, s: usize) -> Vec<(&'static str, Estimate)> {
        paired_effect(&self.runs[s], &self.runs[0])
    }

    /// The comparison as the terminal shows it.
    pub fn table(&self) -> String {
        let headline = [
            "detection_rate",
            "hit_rate",
            "inspection_rate",
            "lift_over_random",
            "lift_targeted",
            "lift_random",
            "seizures_from_alerts",
            "interdiction_export",
            "licit_dwell_hours",
            "officer_hours",
        ];
        let n = self.runs.first().map_or(0, |r| r.len());
        let mut s = format!(
            "{} — {} strategies × {} paired replications (base seed {}){}\n",
            self.scenario,
            self.strategies.len(),
            n,
            self.base_seed,
            if self.no_operation {
                ", without the operation"
            } else {
                ""
            }
        );
        s.push_str(if self.equal_effort {
            "effort held equal: each strategy's officer-hours scaled to the least any spent\n"
        } else {
            "effort not held equal (--equal-effort holds it): compare officer-hours too\n"
        });
        for (i, name) in self.strategies.iter().enumerate() {
            s.push_str(&format!(
                "  effort of \"{name}\": {:.0} officer-hours per replication (capacity ×{:.3})\n",
                effort(&self.runs[i]),
                self.capacity_scale[i]
            ));
        }
        s.push('\n');
        for (i, name) in self.strategies.iter().enumerate() {
            s.push_str(&format!("strategy \"{name}\": mean [95% CI]\n"));
            let rows: Vec<_> = summarise(&self.runs[i])
                .into_iter()
                .filter(|(m, _)| headline.contains(m))
                .collect();
            s.push_str(&estimates_table(&rows));
            s.push('\n');
        }
        for i in 1..self.strategies.len() {
            s.push_str(&format!(
                "paired difference \"{}\" − \"{}\" (common random numbers)\n",
                self.strategies[i], self.strategies[0]
            ));
            let rows: Vec<_> = self
                .differences(i)
                .into_iter()
                .filter(|(m, _)| headline.contains(m))
                .collect();
            s.push_str(&estimates_table(&rows));
            let d = rows
                .iter()
                .find(|(m, _)| *m == "detection_rate")
                .map(|r| r.1);
            if let Some(d) = d {
                let verdict = if d.ci_low > 0.0 {
                    "detects more; the 95% interval excludes zero"
                } else if d.ci_high < 0.0 {
                    "detects less; the 95% interval excludes zero"
                } else {
                    "no difference in detection rate can be claimed at 95%"
                };
                s.push_str(&format!(
                    "→ detection rate {} {} ({verdict})\n\n",
                    if d.mean >= 0.0 { "+" } else { "" },
                    fmt(d.mean)
                ));
            }
        }
        s
    }

    /// The content of `summary.json` (what `stce compare --json` prints).
    pub fn summary_json(&self) -> serde_json::Value {
        let n = self.runs.first().map_or(0, |r| r.len());
        let summary = Summary {
            scenario: &self.scenario,
            base_seed: self.base_seed,
            replications: n,
            strategies: self
                .strategies
                .iter()
                .enumerate()
                .map(|(i, name)| StrategySummary {
                    name,
                    metrics: summarise(&self.runs[i]).into_iter().collect(),
                })
                .collect(),
            capacity_scale: &self.capacity_scale,
            no_operation: self.no_operation,
            equal_effort: self.equal_effort,
            baseline: &self.strategies[0],
            differences: (1..self.strategies.len())
                .map(|i| StrategySummary {
                    name: &self.strategies[i],
                    metrics: self.differences(i).into_iter().collect(),
                })
                .collect(),
        };
        serde_json::to_value(summary).unwrap_or_default()
    }

    /// `replications.csv` (replication-major, the strategies of each replication
    /// together), `summary.json`, `offices.csv` (the offices of `w`, the world compared
    /// on) and the plots, as one output set. `companions` adds its files to the set.
    pub fn write(
        &self,
        dir: &Path,
        w: &World,
        companions: Companions,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let n = self.runs.first().map_or(0, |r| r.len());
        let rows: Vec<(Vec<String>, &Replication)> = (0..n)
            .flat_map(|i| self.runs.iter().map(move |s| (Vec::new(), &s[i])))
            .collect();
        let set = OutputSet::begin(dir)?;
        write_replication_files(set.dir(), w, &[], &rows, &self.summary_json())?;
        self.plot(set.dir())?;
        companions(set.dir())?;
        set.commit()?;
        Ok(())
    }

    fn plot(&self, dir: &Path) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let est = |i: usize, m: &str| {
            summarise(&self.runs[i])
                .into_iter()
                .find(|(k, _)| *k == m)
                .map(|x| x.1)
                .unwrap_or(Estimate::EMPTY)
        };
        let names = &self.strategies;
        let bars = |m: &str| {
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.clone(), est(i, m)))
                .collect::<Vec<_>>()
        };
        let n = self.runs.first().map_or(0, |r| r.len());
        plots::bars_with_whiskers(
            &dir.join("detection_rate"),
            &format!(
                "{}: detection rate by strategy ({n} paired replications, 95% CI)",
                self.scenario
            ),
            "detection rate (seized / illicit that reached an office)",
            &bars("detection_rate"),
        )?;
        plots::bars_with_whiskers(
            &dir.join("hit_rate"),
            &format!(
                "{}: hit rate by strategy ({n} paired replications, 95% CI)",
                self.scenario
            ),
            "hit rate (violations found / inspections)",
            &bars("hit_rate"),
        )?;
        let daily: Vec<(String, Vec<(f64, f64)>)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), mean_daily_seizures(&self.runs[i])))
            .collect();
        plots::time_series(
            &dir.join("seizures_per_day"),
            &format!(
                "{}: seizures per day (mean of {n} replications)",
                self.scenario
            ),
            "day of the run (day 0 = the scenario's start date)",
            "seizures per day",
            &daily,
        )?;
        let shares: Vec<(String, Vec<f64>)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                (
                    n.clone(),
                    [
                        "interdiction_export",
                        "interdiction_transit",
                        "interdiction_import",
                    ]
                    .iter()
                    .map(|m| est(i, m).mean)
                    .collect(),
                )
            })
            .collect();
        plots::stacked_shares(
            &dir.join("interdiction_point"),
            &format!(
                "{}: where interdictions happen (mean share of seizures)",
                self.scenario
            ),
            &["export", "transit", "import"],
            &shares,
        )?;
        let bands: Vec<Band> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let d = est(i, "detection_rate");
                Band {
                    name: n.clone(),
                    points: vec![BandPoint {
                        x: est(i, "inspection_rate").mean,
                        mean: d.mean,
                        ci_low: d.ci_low,
                        ci_high: d.ci_high,
                    }],
                    labels: vec![],
                }
            })
            .collect();
        plots::detection_vs_inspection(dir, &self.scenario, &bands)?;
        Ok(())
    }
}
