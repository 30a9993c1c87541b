//! Slurm job arrays for shards: one array task per shard (`--shard K/N`), then a merge
//! job that runs once every task has succeeded (`afterok`), with the memory and time a
//! task needs estimated from the scenario.
//!
//! The estimates come from this project's measurements (README, Performance): a run's
//! peak memory follows its shipments in flight, at most about 31 bytes per declaration
//! of the run (global scenario: 1.55 GiB per run at 50M declarations), and one core
//! simulates about 1.7 M declarations a second. A task runs as many replications at once
//! as it has CPUs, so it is given 128 MiB (binary, world, replications kept) plus 40
//! bytes per declaration for each run in flight, and three times its expected run time
//! plus five minutes; `--mem` and `--time` override both.

use std::path::{Path, PathBuf};

use super::shard::{Error, Input, Job, Work};
use super::sweep::{apply, grid};
use crate::report::io::{ensure_dir, write_atomic};

/// Bytes of peak memory per declaration of a run in flight (31 measured, plus headroom).
pub const BYTES_PER_DECLARATION: u64 = 40;
/// What a task needs besides its runs: the binary, the world, the replications it keeps.
pub const BASE_MIB: u64 = 128;
/// Declarations one core simulates per second (1.7 M measured on the global scenario).
pub const DECLARATIONS_PER_CORE_SECOND: f64 = 1.5e6;

/// What the user asks of the cluster.
#[derive(Debug, Clone)]
pub struct Request {
    pub shards: usize,
    pub cpus_per_task: usize,
    pub partition: Option<String>,
    /// `--time` as Slurm takes it; estimated when absent.
    pub time: Option<String>,
    /// `--mem` as Slurm takes it (e.g. `4G`); estimated when absent.
    pub mem: Option<String>,
    /// The stce binary the tasks run.
    pub stce: PathBuf,
    /// The directory the jobs run in: relative paths of `command` are relative to it.
    pub workdir: PathBuf,
    /// The command split into shards, without `--out`, e.g. `["sweep", "s.ron", "--set", "strategy=a,b"]`.
    pub command: Vec<String>,
    /// Where the merged result goes.
    pub out: PathBuf,
}

/// The scripts written and what they ask for.
#[derive(Debug, Clone)]
pub struct Plan {
    pub dir: PathBuf,
    pub submit: PathBuf,
    pub shard_dirs: Vec<PathBuf>,
    pub units_per_task: usize,
    pub mem: String,
    pub time: String,
    pub expected_seconds: f64,
}

/// The declarations of the largest run of the job: the scenario's (or `--declarations`),
/// or for a sweep the largest of its cells (a sweep may set `declarations`).
pub fn largest_run(job: &Job, input: &Input) -> Result<u64, Error> {
    match (&job.work, input) {
        (Work::Sweep { manifest }, Input::Scenario(s)) => {
            let mut most = 0;
            for cell in grid(&manifest.axes) {
                most = most.max(apply(s, &manifest.axes, &cell)?.0.declarations);
            }
            Ok(most)
        }
        (_, Input::World(w)) => Ok(w.declarations),
        (_, Input::Scenario(s)) => Ok(job.declarations.unwrap_or(s.declarations)),
    }
}

/// Memory of a task running `in_flight` runs of `declarations` at once, in MiB.
pub fn task_memory_mib(declarations: u64, in_flight: usize) -> u64 {
    let runs = declarations.saturating_mul(BYTES_PER_DECLARATION) * in_flight.max(1) as u64;
    let mib = BASE_MIB + runs.div_ceil(1 << 20);
    mib.div_ceil(64) * 64
}

/// Expected wall seconds of a task with `units` runs of `declarations` on `cpus` cores.
pub fn task_seconds(declarations: u64, units: usize, cpus: usize) -> f64 {
    let waves = units.div_ceil(cpus.max(1)).max(1);
    waves as f64 * declarations as f64 / DECLARATIONS_PER_CORE_SECOND
}

/// `HH:MM:SS` (hours may exceed 24, as Slurm accepts).
pub fn slurm_time(seconds: f64) -> String {
    let s = seconds.ceil().max(0.0) as u64;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Quote one word for a POSIX shell.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=,:@%+".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let s = out.display().to_string();
    PathBuf::from(format!("{}{suffix}", s.trim_end_matches('/')))
}

/// Write `array.sbatch`, `merge.sbatch` and `submit.sh` into `<out>.slurm/`; the shards
/// will go to `<out>.shards/K`, the merged result to `out`.
pub fn write_scripts(req: &Request, job: &Job, largest: u64) -> Result<Plan, Error> {
    let n = req.shards;
    let total = job.units();
    if n == 0 || n > total {
        return Err(format!(
            "--shards {n}: the job has {total} units ({}), so give 1 to {total} shards",
            job.work.describe()
        )
        .into());
    }
    let dir = sibling(&req.out, ".slurm");
    let shards = sibling(&req.out, ".shards");
    let logs = req.workdir.join(&dir).join("logs");
    ensure_dir(&logs)?;
    let units_per_task = total.div_ceil(n);
    let cpus = req.cpus_per_task.max(1);
    let expected_seconds = task_seconds(largest, units_per_task, cpus);
    let mem = req
        .mem
        .clone()
        .unwrap_or_else(|| format!("{}M", task_memory_mib(largest, cpus.min(units_per_task))));
    let time = req
        .time
        .clone()
        .unwrap_or_else(|| slurm_time(3.0 * expected_seconds + 300.0));
    let q = |p: &Path| shell_quote(&p.display().to_string());
    let command: Vec<String> = req.command.iter().map(|w| shell_quote(w)).collect();
    let partition = req
        .partition
        .as_ref()
        .map(|p| format!("#SBATCH --partition={}\n", shell_quote(p)))
        .unwrap_or_default();
    let array = format!(
        r#"#!/bin/bash
# Written by `stce slurm`: {n} shards of {what} on {scenario}
# ({total} units, at most {units_per_task} per task; runs of up to {largest} declarations).
# Memory: {BASE_MIB} MiB + {BYTES_PER_DECLARATION} bytes x declarations x runs at once ({runs});
# time: 3 x the expected {expected} + 5 min. Change --mem/--time below or pass them to `stce slurm`.
#SBATCH --job-name=stce-shards
#SBATCH --array=1-{n}
#SBATCH --cpus-per-task={cpus}
#SBATCH --mem={mem}
#SBATCH --time={time}
{partition}#SBATCH --chdir={workdir}
#SBATCH --output={logs}/shard-%a.out
set -euo pipefail
export RAYON_NUM_THREADS="${{SLURM_CPUS_PER_TASK:-{cpus}}}"
k="$SLURM_ARRAY_TASK_ID"
exec {stce} {command} --out {shards}/"$k" --shard "$k/{n}"
"#,
        what = job.work.describe(),
        scenario = job.scenario,
        runs = cpus.min(units_per_task),
        expected = slurm_time(expected_seconds),
        workdir = q(&req.workdir),
        logs = q(&logs),
        stce = q(&req.stce),
        command = command.join(" "),
        shards = q(&shards),
    );
    let shard_dirs: Vec<PathBuf> = (1..=n).map(|k| shards.join(k.to_string())).collect();
    let merge = format!(
        r#"#!/bin/bash
# Written by `stce slurm`: merges the {n} shard folders once every array task succeeded
# (submit.sh gives it --dependency=afterok on the array).
#SBATCH --job-name=stce-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem={merge_mem}M
#SBATCH --time=01:00:00
#SBATCH --kill-on-invalid-dep=yes
{partition}#SBATCH --chdir={workdir}
#SBATCH --output={logs}/merge.out
set -euo pipefail
exec {stce} merge {dirs} --out {out}
"#,
        // The merge holds every replication (a few KiB each) and draws the plots.
        merge_mem = (256 + (total as u64 * 8).div_ceil(1024)).div_ceil(64) * 64,
        workdir = q(&req.workdir),
        logs = q(&logs),
        stce = q(&req.stce),
        dirs = shard_dirs
            .iter()
            .map(|d| q(d))
            .collect::<Vec<_>>()
            .join(" "),
        out = q(&req.out),
    );
    let submit = format!(
        r#"#!/usr/bin/env bash
# Written by `stce slurm`: submit the shard array, then the merge once every shard has
# succeeded. Extra arguments go to the merge's sbatch (e.g. --wait to return when it ends).
set -euo pipefail
cd "$(dirname "$0")"
array=$(sbatch --parsable array.sbatch)
array=${{array%%;*}}
merge=$(sbatch --parsable --dependency="afterok:$array" "$@" merge.sbatch)
merge=${{merge%%;*}}
echo "submitted shard array $array ({n} tasks) and merge job $merge; result: {out}"
"#,
        out = req.workdir.join(&req.out).display(),
    );
    let path = |f: &str| req.workdir.join(&dir).join(f);
    write_atomic(&path("array.sbatch"), array.as_bytes())?;
    write_atomic(&path("merge.sbatch"), merge.as_bytes())?;
    write_atomic(&path("submit.sh"), submit.as_bytes())?;
    Ok(Plan {
        dir: dir.clone(),
        submit: dir.join("submit.sh"),
        shard_dirs,
        units_per_task,
        mem,
        time,
        expected_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_follows_declarations_and_runs_at_once() {
        // 50M declarations, two runs at once: 128 MiB + 2 × 1907 MiB, rounded up to 64.
        assert_eq!(task_memory_mib(50_000_000, 2), 3968);
        assert_eq!(task_memory_mib(200_000, 1), 192);
        assert!(task_memory_mib(1_000_000, 4) > task_memory_mib(1_000_000, 2));
    }

    #[test]
    fn time_and_quoting_are_what_slurm_and_sh_take() {
        assert_eq!(slurm_time(3.0 * 3600.0 + 61.2), "03:01:02");
        assert_eq!(slurm_time(30.0 * 3600.0), "30:00:00");
        // 10 runs of 3M declarations on 2 cores: 5 waves of 2 s.
        assert!((task_seconds(3_000_000, 10, 2) - 10.0).abs() < 1e-9);
        assert_eq!(shell_quote("strategy=a,b"), "strategy=a,b");
        assert_eq!(shell_quote("nodes[*].x=1"), "'nodes[*].x=1'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
