//! `stce slurm`: a sweep, comparison or `run --reps` as a Slurm job array of shards
//! plus a dependent merge job.

use std::path::PathBuf;

use clap::Parser;
use stce::experiment::slurm::{Request, largest_run, write_scripts};

use super::Error;

#[derive(clap::Args)]
#[command(after_help = "Example (the slurm options come before the command):
  stce slurm --shards 8 --partition normal sweep scenarios/asean-cosmo.ron --set strategy=random,learner --reps 20 --out out/sweep
  bash out/sweep.slurm/submit.sh")]
pub struct Args {
    /// Array tasks, one shard each.
    #[arg(long)]
    shards: usize,
    /// Partition to submit to (default: the cluster's default partition).
    #[arg(long)]
    partition: Option<String>,
    /// Time limit per task, as sbatch takes it (default: estimated from the scenario).
    #[arg(long)]
    time: Option<String>,
    /// Memory per task, as sbatch takes it, e.g. 4G (default: estimated from the scenario).
    #[arg(long)]
    mem: Option<String>,
    /// CPUs per task (replications run in parallel within a task).
    #[arg(long, default_value_t = 2)]
    cpus_per_task: usize,
    /// The stce binary the tasks run (default: this one).
    #[arg(long)]
    stce: Option<PathBuf>,
    /// The command to split, with its arguments and --out (where the merged result goes):
    /// `sweep SCENARIO --set ... --out DIR`, `compare SCENARIO --strategy A --strategy B
    /// ... --out DIR` or `run SCENARIO --reps N ... --out DIR`.
    #[arg(
        required = true,
        num_args = 1..,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    command: Vec<String>,
}

pub fn execute(a: Args) -> Result<(), Error> {
    if a.command
        .iter()
        .any(|w| w == "--shard" || w.starts_with("--shard="))
    {
        return Err(
            "stce slurm gives each task its --shard K/N; leave it out of the command".into(),
        );
    }
    let inner =
        crate::Cli::try_parse_from(std::iter::once("stce".to_string()).chain(a.command.clone()))
            .map_err(|e| format!("the command to split: {}", e.render()))?;
    let ((job, input), out) = match &inner.command {
        crate::Command::Sweep(s) => (super::sweep::sharded(s)?, out_of(&a.command)),
        crate::Command::Compare(c) => (super::compare::sharded(c)?, out_of(&a.command)),
        crate::Command::Run(r) => (super::run::sharded(r)?, out_of(&a.command)),
        _ => {
            return Err(format!(
                "stce slurm splits sweep, compare or run --reps, not `{}`",
                a.command[0]
            )
            .into());
        }
    };
    let out = out.ok_or("give the command --out DIR: where the merged result goes")?;
    let workdir = std::env::current_dir()?;
    let stce = match a.stce {
        Some(p) => p,
        None => std::env::current_exe()?,
    };
    let request = Request {
        shards: a.shards,
        cpus_per_task: a.cpus_per_task,
        partition: a.partition,
        time: a.time,
        mem: a.mem,
        stce,
        workdir,
        command: without_out(&a.command),
        out: out.clone(),
    };
    let plan = write_scripts(&request, &job, largest_run(&job, &input)?)?;
    say!(
        "wrote {dir}/array.sbatch ({n} tasks × {cpus} CPUs, --mem={mem}, --time={time}; at most {u} units a task, about {secs:.0} s each here), merge.sbatch and submit.sh\n\
         submit:  bash {submit}          (add --wait to return when the merge has finished)\n\
         shards:  {out}.shards/1 … {n}; merged result: {out}",
        dir = plan.dir.display(),
        n = a.shards,
        cpus = a.cpus_per_task,
        mem = plan.mem,
        time = plan.time,
        u = plan.units_per_task,
        secs = plan.expected_seconds,
        submit = plan.submit.display(),
        out = out.display(),
    )?;
    Ok(())
}

/// The value of `--out` in a command line.
fn out_of(words: &[String]) -> Option<PathBuf> {
    let mut it = words.iter();
    let mut out = None;
    while let Some(w) = it.next() {
        if w == "--out" {
            out = it.next().map(PathBuf::from);
        } else if let Some(v) = w.strip_prefix("--out=") {
            out = Some(PathBuf::from(v));
        }
    }
    out
}

/// The command line without its `--out`.
fn without_out(words: &[String]) -> Vec<String> {
    let mut kept = Vec::new();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if w == "--out" {
            it.next();
        } else if !w.starts_with("--out=") {
            kept.push(w.clone());
        }
    }
    kept
}
