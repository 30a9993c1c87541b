//! The exercise's state file: an SQLite database (WAL, synchronous FULL) holding the
//! scenario text, the tokens, the secret for opaque ids and the log of entries. An entry
//! is committed before the server acknowledges it, so a `kill -9` loses nothing that was
//! acknowledged; restarting replays the log.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::engine::Entry;

pub struct Store {
    conn: Connection,
}

/// What a state file was created with.
pub struct Meta {
    pub scenario_file: String,
    pub scenario: String,
    pub key: u64,
    pub facilitator_token: String,
    /// Per team, in scenario order.
    pub team_tokens: Vec<String>,
}

fn db(e: rusqlite::Error, path: &Path) -> String {
    format!("{}: {e}", path.display())
}

impl Store {
    /// Open (or create) the state file.
    pub fn open(path: &Path) -> Result<Store, String> {
        let conn = Connection::open(path).map_err(|e| db(e, path))?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=FULL;
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS digests (turn INTEGER PRIMARY KEY, digest TEXT NOT NULL);",
        )
        .map_err(|e| {
            format!(
                "{}: not an exercise state file ({e}); give a new file name or one an earlier `stce exercise` wrote",
                path.display()
            )
        })?;
        Ok(Store { conn })
    }

    fn get(&self, key: &str) -> Result<Option<String>, String> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| e.to_string())
    }

    /// The metadata, if the file was initialised.
    pub fn meta(&self) -> Result<Option<Meta>, String> {
        let Some(scenario) = self.get("scenario")? else {
            return Ok(None);
        };
        let need = |k: &str| -> Result<String, String> {
            self.get(k)?.ok_or_else(|| {
                format!("state file lacks `{k}`: it was not written by stce exercise")
            })
        };
        Ok(Some(Meta {
            scenario_file: need("scenario_file")?,
            scenario,
            key: need("key")?
                .parse()
                .map_err(|_| "state file: bad key".to_string())?,
            facilitator_token: need("facilitator_token")?,
            team_tokens: serde_json::from_str(&need("team_tokens")?).map_err(|e| e.to_string())?,
        }))
    }

    /// Initialise a new state file (one transaction).
    pub fn init(&mut self, m: &Meta) -> Result<(), String> {
        let tx = self.conn.transaction().map_err(|e| e.to_string())?;
        for (k, v) in [
            ("scenario_file", m.scenario_file.clone()),
            ("scenario", m.scenario.clone()),
            ("key", m.key.to_string()),
            ("facilitator_token", m.facilitator_token.clone()),
            (
                "team_tokens",
                serde_json::to_string(&m.team_tokens).map_err(|e| e.to_string())?,
            ),
        ] {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                params![k, v],
            )
            .map_err(|e| e.to_string())?;
        }
        tx.commit().map_err(|e| e.to_string())
    }

    /// Append an entry; returns its sequence number once committed.
    pub fn append(&self, e: &Entry) -> Result<u64, String> {
        let text = serde_json::to_string(e).map_err(|e| e.to_string())?;
        self.conn
            .execute("INSERT INTO log (entry) VALUES (?1)", [text])
            .map_err(|e| format!("could not record: {e}"))?;
        Ok(self.conn.last_insert_rowid() as u64)
    }

    /// Every entry, in order, with its sequence number.
    pub fn entries(&self) -> Result<Vec<(u64, Entry)>, String> {
        let mut st = self
            .conn
            .prepare("SELECT seq, entry FROM log ORDER BY seq")
            .map_err(|e| e.to_string())?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, text) = row.map_err(|e| e.to_string())?;
            let e: Entry = serde_json::from_str(&text)
                .map_err(|e| format!("log entry {seq} is unreadable: {e}"))?;
            out.push((seq as u64, e));
        }
        Ok(out)
    }

    /// Record the digest of a closed turn (kept from the first time it was computed).
    pub fn put_digest(&self, turn: u32, digest: u64) -> Result<(), String> {
        self.conn
            .execute(
                "INSERT OR IGNORE INTO digests (turn, digest) VALUES (?1, ?2)",
                params![turn, format!("{digest:016x}")],
            )
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    pub fn digests(&self) -> Result<Vec<(u32, String)>, String> {
        let mut st = self
            .conn
            .prepare("SELECT turn, digest FROM digests ORDER BY turn")
            .map_err(|e| e.to_string())?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| e.to_string())?;
        rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
    }
}
