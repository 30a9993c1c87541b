//! The two ways a scenario is run from the command line, as library calls: one run (with
//! its operation's business as usual on the same seed, side by side) and seeded
//! replications (optionally paired with business as usual). A library user gets the
//! operation's effect without copying the binary's code.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::{
    Replication, mean_daily_seizures, paired_effect, replicate_runs, summarise,
    write_replication_files,
};
use crate::metrics::stats::Estimate;
use crate::report::folder::Companions;
use crate::report::io::OutputSet;
use crate::report::tables::OperationEffect;
use crate::sim::{Profile, RunOptions, RunOutput, run_profiled, run_recorded};
use crate::world::World;

/// One run and, when the scenario has an operation, business as usual on the same seed.
pub struct SingleRun {
    pub result: RunOutput,
    pub baseline: Option<RunOutput>,
    /// What the operation added (present whenever `baseline` is).
    pub effect: Option<OperationEffect>,
    /// Stage times summed over both runs.
    pub profile: Profile,
    /// The event log of `result`, when it was asked for.
    pub events: Option<crate::events::EventLog>,
}

/// Run `opts` once; with an operation in the world, also run it without the operation.
/// The two runs share nothing but the immutable world, so they run in parallel.
pub fn run_with_baseline(w: &Arc<World>, opts: &RunOptions) -> SingleRun {
    run_with_baseline_recorded(w, opts, false)
}

/// [`run_with_baseline`], and with `events` the event log of the run of `opts` (not of
/// its baseline) in [`SingleRun::events`].
pub fn run_with_baseline_recorded(w: &Arc<World>, opts: &RunOptions, events: bool) -> SingleRun {
    let run = || run_recorded(w, opts, events);
    let ((result, mut profile, events), baseline) = if w.operation.is_some() && !opts.baseline {
        let base_opts = RunOptions {
            baseline: true,
            ..opts.clone()
        };
        let (op, base) = rayon::join(run, || run_profiled(w, &base_opts));
        (op, Some(base))
    } else {
        (run(), None)
    };
    let baseline = baseline.map(|(b, p)| {
        profile.add(&p);
        b
    });
    let effect = w
        .operation
        .as_ref()
        .zip(baseline.as_ref())
        .map(|(plan, base)| OperationEffect {
            business_as_usual_seizures_per_day: base.tally.seizures_per_day.clone(),
            ..OperationEffect::new(&plan.name, &result.metrics, &base.metrics)
        });
    SingleRun {
        result,
        baseline,
        effect,
        profile,
        events,
    }
}

/// Seeded replications of one scenario and, if asked, business as usual on the same seeds.
pub struct Replicated {
    pub scenario: String,
    pub base_seed: u64,
    pub strategy: Option<String>,
    pub runs: Vec<Replication>,
    pub business_as_usual: Option<Vec<Replication>>,
}

impl Replicated {
    /// Mean and CI of every metric with the operation (or as the scenario stands).
    pub fn summary(&self) -> Vec<(&'static str, Estimate)> {
        summarise(&self.runs)
    }

    /// With operation − business as usual, paired replication by replication.
    pub fn effect(&self) -> Option<Vec<(&'static str, Estimate)>> {
        self.business_as_usual
            .as_ref()
            .map(|b| paired_effect(&self.runs, b))
    }

    /// The content of `summary.json` (what `stce run --reps N --json` prints).
    pub fn summary_json(&self) -> serde_json::Value {
        let to_map = |rows: Vec<(&'static str, Estimate)>| -> BTreeMap<&'static str, Estimate> {
            rows.into_iter().collect()
        };
        let business_as_usual = self.business_as_usual.as_deref().map(summarise).map(to_map);
        let daily = |runs: &[Replication]| -> Vec<f64> {
            mean_daily_seizures(runs)
                .into_iter()
                .map(|(_, v)| v)
                .collect()
        };
        serde_json::json!({
            "scenario": self.scenario, "base_seed": self.base_seed,
            "replications": self.runs.len(), "strategy": self.strategy,
            "metrics": to_map(self.summary()),
            "business_as_usual": business_as_usual,
            "operation_effect": self.effect().map(to_map),
            "seizures_per_day_mean": daily(&self.runs),
            "business_as_usual_seizures_per_day_mean":
                self.business_as_usual.as_deref().map(daily),
        })
    }

    /// Write `replications.csv`, `summary.json` and `offices.csv` (the offices of `w`,
    /// the world the replications ran) into `dir`, as one output set. Business-as-usual
    /// rows sit beside the operation's (`scenario_variant`), so the paired differences
    /// can be recomputed from the files alone. `companions` adds its files to the set.
    pub fn write(
        &self,
        dir: &Path,
        w: &World,
        companions: Companions,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let variant = if self.business_as_usual.is_some() {
            "operation"
        } else {
            "as_written"
        };
        let rows: Vec<(Vec<String>, &Replication)> = self
            .runs
            .iter()
            .map(|x| (vec![variant.to_string()], x))
            .chain(
                self.business_as_usual
                    .iter()
                    .flatten()
                    .map(|x| (vec!["business_as_usual".to_string()], x)),
            )
            .collect();
        let set = OutputSet::begin(dir)?;
        write_replication_files(
            set.dir(),
            w,
            &["scenario_variant"],
            &rows,
            &self.summary_json(),
        )?;
        companions(set.dir())?;
        set.commit()?;
        Ok(())
    }
}

/// Replications `0..reps` in parallel; with `baseline`, business as usual on the same
/// seeds as well; with `no_operation`, business as usual only.
pub fn replicate_with_baseline(
    w: &Arc<World>,
    base_seed: u64,
    reps: usize,
    strategy: Option<usize>,
    baseline: bool,
    no_operation: bool,
    progress: &(dyn Fn() + Sync),
) -> Replicated {
    let runs = replicate_runs(w, base_seed, reps, strategy, no_operation, progress);
    let baseline = baseline && !no_operation;
    let business_as_usual =
        baseline.then(|| replicate_runs(w, base_seed, reps, strategy, true, progress));
    Replicated {
        scenario: w.name.clone(),
        base_seed,
        strategy: strategy.map(|s| w.strategies[s].name.clone()),
        runs,
        business_as_usual,
    }
}
