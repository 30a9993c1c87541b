//! One exercise session: the engine, its state file and its tokens. Creating a session
//! writes the scenario text and fresh tokens; opening an existing state file replays its
//! log, so the session resumes exactly where it was. Every entry goes through
//! [`Session::record`]: checked, committed, then applied.

use std::io::Read;
use std::path::Path;

use super::api::Debrief;
use super::engine::{Engine, Entry, Refusal, refuse};
use super::plan;
use super::store::{Meta, Store};

/// Who holds a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Facilitator,
    Team(usize),
}

pub struct Session {
    pub engine: Engine,
    store: Store,
    pub meta: Meta,
    log: Vec<Entry>,
    debrief: Option<(u64, Debrief)>,
}

/// `n` bytes from the operating system's random source, as hex.
fn random_hex(n: usize) -> Result<String, String> {
    let mut buf = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .map_err(|e| format!("cannot read /dev/urandom for tokens: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// What `--replay` found.
pub struct ReplayReport {
    pub entries: usize,
    pub turns_closed: u32,
    /// (turn, recorded digest, replayed digest) for every turn that differs.
    pub differences: Vec<(u32, String, String)>,
    pub checked: usize,
    pub engine: Engine,
    pub log: Vec<Entry>,
}

impl Session {
    /// Open the state file `state`; create it from `scenario` if it is new.
    pub fn open(state: &Path, scenario: Option<&Path>) -> Result<Session, String> {
        let mut store = Store::open(state)?;
        let meta = match store.meta()? {
            Some(m) => m,
            None => {
                let Some(path) = scenario else {
                    return Err(format!(
                        "{}: no exercise in this state file; give the scenario to start one",
                        state.display()
                    ));
                };
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                let (_, p) = plan::load(&path.display().to_string(), &text)?;
                let meta = Meta {
                    scenario_file: path.display().to_string(),
                    scenario: text,
                    key: u64::from_str_radix(&random_hex(8)?, 16).map_err(|e| e.to_string())?,
                    facilitator_token: random_hex(16)?,
                    team_tokens: (0..p.teams.len())
                        .map(|_| random_hex(16))
                        .collect::<Result<_, _>>()?,
                };
                store.init(&meta)?;
                meta
            }
        };
        let (w, p) = plan::load(&meta.scenario_file, &meta.scenario)?;
        let mut engine = Engine::new(&w, p, meta.key, None);
        let mut log = Vec::new();
        for (seq, e) in store.entries()? {
            engine.check(&e).map_err(|r| {
                format!(
                    "{}: log entry {seq} no longer applies ({}); the state file does not match this build",
                    state.display(),
                    r.message
                )
            })?;
            engine.apply(&e, seq);
            log.push(e);
        }
        let s = Session {
            engine,
            store,
            meta,
            log,
            debrief: None,
        };
        s.store_digests()?;
        Ok(s)
    }

    fn store_digests(&self) -> Result<(), String> {
        for (i, d) in self.engine.digests.iter().enumerate() {
            self.store.put_digest(i as u32 + 1, *d)?;
        }
        Ok(())
    }

    /// Check, commit, then apply an entry. Returns its sequence number.
    pub fn record(&mut self, e: Entry) -> Result<u64, Refusal> {
        self.engine.check(&e)?;
        let seq = self
            .store
            .append(&e)
            .map_err(|m| refuse(500, "internal", m))?;
        self.engine.apply(&e, seq);
        self.log.push(e);
        if let Some(d) = self.engine.digests.last() {
            self.store
                .put_digest(self.engine.digests.len() as u32, *d)
                .map_err(|m| refuse(500, "internal", m))?;
        }
        Ok(seq)
    }

    /// Who holds `token`: 401 if it is malformed or nobody's.
    pub fn role(&self, token: &str) -> Result<Role, Refusal> {
        let bad = || refuse(401, "bad_token", "unknown or malformed token");
        if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        if token == self.meta.facilitator_token {
            return Ok(Role::Facilitator);
        }
        self.meta
            .team_tokens
            .iter()
            .position(|t| t == token)
            .map(Role::Team)
            .ok_or_else(bad)
    }

    /// Page paths of the teams.
    pub fn team_paths(&self) -> Vec<String> {
        self.meta
            .team_tokens
            .iter()
            .map(|t| format!("/team/{t}"))
            .collect()
    }

    /// The debrief (cached until the next entry).
    pub fn debrief(&mut self) -> Debrief {
        let n = self.log.len() as u64;
        if let Some((at, d)) = &self.debrief
            && *at == n
        {
            return d.clone();
        }
        let d = self.engine.debrief(&self.log);
        self.debrief = Some((n, d.clone()));
        d
    }

    /// Re-run an exercise from its state file's log alone and compare every closed
    /// turn's results with the digests recorded while it was played.
    pub fn replay(state: &Path) -> Result<ReplayReport, String> {
        if !state.exists() {
            return Err(format!("{}: no such state file", state.display()));
        }
        let store = Store::open(state)?;
        let meta = store
            .meta()?
            .ok_or_else(|| format!("{}: no exercise in this state file", state.display()))?;
        let (w, p) = plan::load(&meta.scenario_file, &meta.scenario)?;
        let mut engine = Engine::new(&w, p, meta.key, None);
        let entries = store.entries()?;
        let mut log = Vec::new();
        for (seq, e) in &entries {
            engine
                .check(e)
                .map_err(|r| format!("log entry {seq} does not apply: {}", r.message))?;
            engine.apply(e, *seq);
            log.push(e.clone());
        }
        let recorded = store.digests()?;
        let mut differences = Vec::new();
        for (turn, digest) in &recorded {
            let again = engine
                .digests
                .get(*turn as usize - 1)
                .map(|d| format!("{d:016x}"))
                .unwrap_or_else(|| "missing".into());
            if &again != digest {
                differences.push((*turn, digest.clone(), again));
            }
        }
        Ok(ReplayReport {
            entries: entries.len(),
            turns_closed: engine.digests.len() as u32,
            differences,
            checked: recorded.len(),
            engine,
            log,
        })
    }
}
