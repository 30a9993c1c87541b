//! One module per command; what they share (the error type, strategy lookup, the
//! progress bar) lives here.

/// `println!` for command output: a standard output that cannot be written (a full
/// disk) is an error with a message, not a panic (see [`emit`]).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cmd::emit(&format!("{}\n", format_args!($($arg)*)))
    };
}

pub mod compare;
pub mod exercise;
pub mod list;
pub mod merge;
pub mod new;
pub mod profile;
pub mod replay;
pub mod report;
pub mod run;
pub mod slurm;
pub mod sweep;
pub mod trace;
pub mod validate;

use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use stce::experiment::shard::{self, Input, Job, Shard};
use stce::world::World;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The index of the scenario's strategy called `name`, or an error listing the valid names.
pub fn strategy_index(w: &World, name: &str) -> Result<usize, Error> {
    w.strategy_index(name).ok_or_else(|| {
        let names: Vec<&str> = w.strategies.iter().map(|d| d.name.as_str()).collect();
        format!(
            "unknown strategy \"{name}\"; the scenario defines: {}",
            names.join(", ")
        )
        .into()
    })
}

/// Run one shard of `job` (the `--shard K/N` of sweep, compare and run) into `out`.
pub fn run_shard(job: &Job, k: Shard, input: &Input, out: &Path, quiet: bool) -> Result<(), Error> {
    let bar = ProgressBar::hidden();
    let r = shard::run_shard(job, k, input, out, &|n| show_bar(&bar, n, quiet), &|| {
        bar.inc(1)
    })?;
    bar.finish_and_clear();
    if quiet {
        return Ok(());
    }
    emit(&format!(
        "shard {k}: {} of {} units of {} → {}; merge the {} shard folders with `stce merge DIR... --out DIR`\n",
        r.units,
        r.total,
        job.work.describe(),
        r.dir.display(),
        k.count
    ))
}

/// Show a hidden bar on standard error once the number of runs, `n`, is known (unless
/// `--quiet`).
pub fn show_bar(bar: &ProgressBar, n: u64, quiet: bool) {
    bar.set_length(n);
    if !quiet {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    }
    bar.set_style(progress_style());
}

/// `stce validate x | head -1`: when the reader of standard output goes away, end as
/// other command-line tools do (killed by SIGPIPE, no message) instead of panicking in
/// `println!` on the write error Rust's default of ignoring SIGPIPE produces.
pub fn exit_quietly_on_closed_pipe() {
    #[cfg(target_os = "linux")]
    // SAFETY: called once at start-up, before any thread exists; restores the default.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// A count that must be at least 1 (`--reps`): zero replications has no mean to report.
pub fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("{e}: expected a whole number of at least 1")),
    }
}

/// A memory size for `--max-memory`, e.g. `4G`.
pub fn memory_size(text: &str) -> Result<u64, String> {
    stce::budget::parse_size(text)
}

/// How many of `jobs` independent runs the thread pool holds in memory at once.
pub fn at_once(jobs: usize) -> u64 {
    jobs.min(rayon::current_num_threads()).max(1) as u64
}

/// A progress bar on standard error, or none with `--quiet`.
pub fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(progress_style());
    bar
}

/// Print to standard output. A closed pipe (`stce … | head -1`) or a full disk is an
/// error with a message, never a panic as `print!` would make it.
pub fn emit(text: &str) -> Result<(), Error> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write to standard output: {e}").into())
}

/// JSON on standard output, with the provenance block first.
pub fn emit_json(
    mut value: serde_json::Value,
    provenance: &stce::report::provenance::Provenance,
) -> Result<(), Error> {
    if let serde_json::Value::Object(m) = &mut value {
        m.shift_remove("provenance");
        let mut out = serde_json::Map::new();
        out.insert("provenance".into(), serde_json::to_value(provenance)?);
        out.extend(std::mem::take(m));
        value = serde_json::Value::Object(out);
    }
    emit(&format!("{}\n", serde_json::to_string_pretty(&value)?))
}

/// `--reps` where a 95% interval is shown: one replication has none.
pub fn check_reps(reps: usize) -> Result<(), Error> {
    if reps < 2 {
        return Err(format!(
            "--reps {reps}: a 95% confidence interval needs at least 2 replications (it is computed from their spread); use --reps 2 or more"
        )
        .into());
    }
    Ok(())
}

pub fn progress_style() -> ProgressStyle {
    ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} runs, {eta} left")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}
