//! `--profile`: where a run's wall time and memory went.

use stce::sim::{Profile, STAGES};

/// What `stce run --profile` prints.
pub struct RunsProfile {
    /// Which runs were timed.
    pub what: String,
    /// Declarations simulated by all of them together.
    pub declarations: u64,
    pub load_seconds: f64,
    pub run_seconds: f64,
    /// Stage times summed over the runs (CPU-side: with runs in parallel their sum can
    /// exceed the wall time), and the most shipments in flight in any of them.
    pub stages: Option<Profile>,
}

impl RunsProfile {
    pub fn report(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "\nprofile ({}, {} threads)",
            self.what,
            rayon::current_num_threads()
        );
        let _ = writeln!(
            s,
            "  load scenario and build world  {:8.2} s",
            self.load_seconds
        );
        let _ = writeln!(
            s,
            "  simulate                       {:8.2} s",
            self.run_seconds
        );
        let _ = writeln!(
            s,
            "  declarations simulated         {:>11}  ({:.0} per second of simulation wall time)",
            self.declarations,
            self.declarations as f64 / self.run_seconds.max(1e-9)
        );
        let _ = writeln!(
            s,
            "  peak memory (VmHWM)            {}",
            peak_rss().map_or("n/a".to_string(), |b| format!(
                "{:.0} MiB",
                b as f64 / 1048576.0
            ))
        );
        match &self.stages {
            Some(p) => {
                let _ = writeln!(
                    s,
                    "  peak shipments in flight, per run {:>8}",
                    p.peak_in_flight
                );
                let total: f64 = p.stage_seconds.iter().sum();
                let _ = writeln!(s, "  stage times (summed over runs; % of their sum)");
                for (name, secs) in STAGES.iter().zip(p.stage_seconds) {
                    let _ = writeln!(
                        s,
                        "    {name:<10} {secs:8.2} s  {:5.1}%",
                        100.0 * secs / total.max(1e-9)
                    );
                }
            }
            None => {
                let _ = writeln!(s, "  stage times                    n/a with --reps");
            }
        }
        s
    }
}

/// The process's peak resident memory in bytes (`VmHWM`), where the system reports it.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
