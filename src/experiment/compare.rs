//! Paired comparison of strategies: every strategy runs on the same replications (common
//! random numbers); the difference against the first strategy is computed replication
//! by replication, so its interval reflects the strategies, not the dice.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::{
    Replication, csv_header, csv_row, estimates_table, fmt, mean_daily_seizures, one,
    paired_effect, summarise,
};
use crate::metrics::stats::Estimate;
use crate::report::io::{ensure_dir, write_atomic};
use crate::report::plots::{self, Band, BandPoint};
use crate::world::World;

pub struct Comparison {
    pub scenario: String,
    pub base_seed: u64,
    pub strategies: Vec<String>,
    /// `runs[s][i]`: strategy s, replication i.
    pub runs: Vec<Vec<Replication>>,
}

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
    let ns = strategies.len();
    let flat: Vec<Replication> = (0..reps * ns)
        .into_par_iter()
        .map(|k| {
            let r = unit(w, base_seed, strategies, k);
            progress();
            r
        })
        .collect();
    let mut runs: Vec<Vec<Replication>> = vec![Vec::with_capacity(reps); ns];
    for (k, r) in flat.into_iter().enumerate() {
        runs[k % ns].push(r);
    }
    Comparison {
        scenario: w.name.clone(),
        base_seed,
        strategies: strategies
            .iter()
            .map(|&s| w.strategies[s].name.clone())
            .collect(),
        runs,
    }
}

/// Unit `k` of a comparison: replication `k / strategies` of strategy `k mod strategies`
/// (what a shard of the comparison runs, too).
pub fn unit(w: &Arc<World>, base_seed: u64, strategies: &[usize], k: usize) -> Replication {
    let ns = strategies.len();
    one(w, base_seed, k / ns, Some(strategies[k % ns]), false)
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
            "interdiction_export",
            "licit_dwell_hours",
            "officer_hours",
        ];
        let n = self.runs.first().map_or(0, |r| r.len());
        let mut s = format!(
            "{} — {} strategies × {} paired replications (base seed {})\n\n",
            self.scenario,
            self.strategies.len(),
            n,
            self.base_seed
        );
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

    /// `replications.csv`, `summary.json` and the plots.
    pub fn write(&self, dir: &Path) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        ensure_dir(dir)?;
        let mut wtr = csv::Writer::from_writer(Vec::new());
        wtr.write_record(csv_header(&[]))?;
        let n = self.runs.first().map_or(0, |r| r.len());
        for i in 0..n {
            for s in 0..self.strategies.len() {
                wtr.write_record(csv_row(&[], &self.runs[s][i]))?;
            }
        }
        write_atomic(
            &dir.join("replications.csv"),
            &wtr.into_inner().map_err(|e| e.to_string())?,
        )?;
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
            baseline: &self.strategies[0],
            differences: (1..self.strategies.len())
                .map(|i| StrategySummary {
                    name: &self.strategies[i],
                    metrics: self.differences(i).into_iter().collect(),
                })
                .collect(),
        };
        write_atomic(
            &dir.join("summary.json"),
            &serde_json::to_vec_pretty(&summary)?,
        )?;
        self.plot(dir)
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
            &format!("Detection rate by strategy ({n} paired replications, 95% CI)"),
            "detection rate",
            &bars("detection_rate"),
        )?;
        plots::bars_with_whiskers(
            &dir.join("hit_rate"),
            &format!("Hit rate by strategy ({n} paired replications, 95% CI)"),
            "hit rate",
            &bars("hit_rate"),
        )?;
        let daily: Vec<(String, Vec<(f64, f64)>)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), mean_daily_seizures(&self.runs[i])))
            .collect();
        plots::time_series(
            &dir.join("seizures_per_day"),
            "Seizures per day (mean over replications)",
            "day of the run",
            "seizures",
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
            "Where interdictions happen (mean share of seizures)",
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
                }
            })
            .collect();
        plots::detection_vs_inspection(dir, &bands)?;
        Ok(())
    }
}
