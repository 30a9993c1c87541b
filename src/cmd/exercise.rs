//! `stce exercise`: serve a tabletop exercise, replay one from its state file, or write
//! its debrief.

use std::net::SocketAddr;
use std::path::PathBuf;

use stce::exercise::{debrief, server, session::Session};

use super::Error;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario with an `exercise` block (needed only to start a new state file).
    scenario: Option<PathBuf>,
    /// State file (SQLite): created if new, resumed if it exists.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Address to serve on; loopback by default. Port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Re-run the exercise in this state file from its log and check every closed turn
    /// gives the same results as when it was played.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["state", "debrief"])]
    replay: Option<PathBuf>,
    /// Write the debrief of this state file (JSON and CSV) into --out.
    #[arg(long, value_name = "FILE", requires = "out", conflicts_with = "state")]
    debrief: Option<PathBuf>,
    /// Directory for --debrief.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn execute(a: Args) -> Result<(), Error> {
    if let Some(file) = &a.replay {
        let r = Session::replay(file)?;
        say!(
            "replayed {} log entries: {} turns closed, {} recorded turn results compared",
            r.entries,
            r.turns_closed,
            r.checked
        )?;
        if !r.differences.is_empty() {
            let list: Vec<String> = r
                .differences
                .iter()
                .map(|(t, a, b)| format!("turn {t}: recorded {a}, replayed {b}"))
                .collect();
            return Err(
                format!("the replay differs from the session:\n{}", list.join("\n")).into(),
            );
        }
        let d = r.engine.debrief(&r.log);
        say!(
            "identical. overall: {} caught, {} missed, {} inspections",
            d.overall.caught,
            d.overall.missed,
            d.overall.inspections
        )?;
        return Ok(());
    }
    if let Some(file) = &a.debrief {
        if !file.exists() {
            return Err(format!("{}: no such state file", file.display()).into());
        }
        let mut s = Session::open(file, None)?;
        let dir = a.out.as_ref().ok_or("--debrief needs --out DIR")?;
        let d = s.debrief();
        let mut files = debrief::write(&d, dir)?;
        // The same self-contained page the console exports, for after the class.
        let html = dir.join("debrief.html");
        std::fs::write(&html, stce::exercise::web::export(&d))
            .map_err(|e| format!("{}: {e}", html.display()))?;
        files.push("debrief.html".into());
        say!("wrote {}/{}", dir.display(), files.join(", "))?;
        return Ok(());
    }
    let state = a
        .state
        .ok_or("give --state FILE (a new file starts an exercise, an existing one resumes it)")?;
    let session = Session::open(&state, a.scenario.as_deref())?;
    server::serve(session, a.bind)?;
    Ok(())
}
