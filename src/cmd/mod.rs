//! One module per command; what they share (the error type, strategy lookup, the
//! progress bar) lives here.

pub mod compare;
pub mod exercise;
pub mod merge;
pub mod profile;
pub mod replay;
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
pub fn run_shard(job: &Job, k: Shard, input: &Input, out: &Path) -> Result<(), Error> {
    let bar = ProgressBar::hidden();
    let r = shard::run_shard(job, k, input, out, &|n| show_bar(&bar, n), &|| bar.inc(1))?;
    bar.finish_and_clear();
    println!(
        "shard {k}: {} of {} units of {} → {}; merge the {} shard folders with `stce merge DIR... --out DIR`",
        r.units,
        r.total,
        job.work.describe(),
        r.dir.display(),
        k.count
    );
    Ok(())
}

/// Show a hidden bar on standard error once the number of runs, `n`, is known.
pub fn show_bar(bar: &ProgressBar, n: u64) {
    bar.set_length(n);
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
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

pub fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(progress_style());
    bar
}

pub fn progress_style() -> ProgressStyle {
    ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} runs, {eta} left")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}
