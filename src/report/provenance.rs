//! What made an output folder: stce's version, the scenario file and its SHA-256, the
//! command line and the seeds. Every JSON file of a folder carries it as its first key
//! (`provenance`), so a file that travels alone still says where it came from.

use std::io;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::io::{with_path, write_atomic};
use crate::experiment::replication_seed;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Provenance {
    pub stce_version: String,
    /// The scenario file as given on the command line.
    pub scenario_file: String,
    /// SHA-256 of the scenario file's bytes (hex).
    pub scenario_sha256: String,
    /// The command line, each argument shell-quoted where needed.
    pub command_line: String,
    pub base_seed: u64,
    pub replications: usize,
    /// The seed of each replication, as text: seeds use all 64 bits, more than a JSON
    /// number keeps exactly in most readers (JavaScript, pandas' float parsing).
    pub seeds: Vec<String>,
}

impl Provenance {
    /// The provenance of a run of `scenario` with replications `0..replications` from
    /// `base_seed`, made by the current process's command line.
    pub fn new(scenario: &Path, base_seed: u64, replications: usize) -> io::Result<Provenance> {
        let bytes = std::fs::read(scenario).map_err(|e| with_path(e, "cannot read", scenario))?;
        let args: Vec<String> = std::env::args().collect();
        Ok(Provenance::from_parts(
            scenario,
            &bytes,
            &args,
            base_seed,
            replications,
        ))
    }

    pub fn from_parts(
        scenario: &Path,
        scenario_bytes: &[u8],
        args: &[String],
        base_seed: u64,
        replications: usize,
    ) -> Provenance {
        Provenance {
            stce_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario_file: scenario.display().to_string(),
            scenario_sha256: super::io::sha256_hex(scenario_bytes),
            command_line: args
                .iter()
                .map(|a| shell_quote(a))
                .collect::<Vec<_>>()
                .join(" "),
            base_seed,
            replications,
            seeds: (0..replications.max(1))
                .map(|i| replication_seed(base_seed, i).to_string())
                .collect(),
        }
    }
}

/// `a` as a POSIX shell would need it typed.
fn shell_quote(a: &str) -> String {
    let plain = !a.is_empty()
        && a.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=,:+@%".contains(c));
    if plain {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', r"'\''"))
    }
}

/// Put `provenance` first in every JSON file directly in `dir` (objects gain the key,
/// replacing an older one; an array becomes `{"provenance": …, "<stem>": [...]}`).
/// Table Schema files (`*.schema.json`) describe columns, not runs, and are left alone.
pub fn stamp_dir(dir: &Path, p: &Provenance) -> io::Result<()> {
    let prov = serde_json::to_value(p).map_err(io::Error::other)?;
    for path in json_files(dir)? {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.ends_with(".schema.json") || name == super::io::MANIFEST {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| with_path(e, "cannot read", &path))?;
        let Ok(value) = serde_json::from_slice::<Value>(&bytes) else {
            continue; // not ours to fix; a half-written file never reaches here (atomic)
        };
        let stem = name.trim_end_matches(".json").to_string();
        let mut out = serde_json::Map::new();
        out.insert("provenance".into(), prov.clone());
        match value {
            Value::Object(m) => {
                for (k, v) in m {
                    if k != "provenance" {
                        out.insert(k, v);
                    }
                }
            }
            other => {
                out.insert(stem, other);
            }
        }
        let text = serde_json::to_vec_pretty(&Value::Object(out)).map_err(io::Error::other)?;
        write_atomic(&path, &text)?;
    }
    Ok(())
}

/// The `.json` files directly in `dir`, sorted by name.
fn json_files(dir: &Path) -> io::Result<Vec<std::path::PathBuf>> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| with_path(e, "cannot read directory", dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension().is_some_and(|e| e == "json")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    v.sort();
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_bytes() {
        let p = Provenance::from_parts(Path::new("x.ron"), b"abc", &["stce".into()], 7, 3);
        assert_eq!(
            p.scenario_sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(p.seeds.len(), 3);
        assert_eq!(p.seeds[0], "7", "replication 0 is the base seed");
    }

    #[test]
    fn command_line_is_quoted_for_a_shell() {
        let args: Vec<String> = [
            "stce",
            "sweep",
            "--set",
            "nodes[*].office.capacity_hours=1,2",
            "it's",
        ]
        .map(String::from)
        .to_vec();
        let p = Provenance::from_parts(Path::new("x"), b"", &args, 1, 1);
        assert_eq!(
            p.command_line,
            r"stce sweep --set 'nodes[*].office.capacity_hours=1,2' 'it'\''s'"
        );
    }

    #[test]
    fn stamp_puts_provenance_first_and_wraps_arrays() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("metrics.json"), r#"{"b":1,"a":2}"#).unwrap();
        std::fs::write(dir.path().join("seizures.json"), "[1,2]").unwrap();
        std::fs::write(dir.path().join("offices.schema.json"), r#"{"fields":[]}"#).unwrap();
        let p = Provenance::from_parts(Path::new("x"), b"", &["stce".into()], 1, 1);
        stamp_dir(dir.path(), &p).unwrap();
        stamp_dir(dir.path(), &p).unwrap(); // idempotent
        let m = std::fs::read_to_string(dir.path().join("metrics.json")).unwrap();
        let keys: Vec<&str> = m
            .lines()
            .filter(|l| l.starts_with("  \""))
            .map(|l| l.trim().split('"').nth(1).unwrap())
            .collect();
        assert_eq!(keys, ["provenance", "b", "a"]);
        let s: Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("seizures.json")).unwrap())
                .unwrap();
        assert_eq!(s["seizures"], serde_json::json!([1, 2]));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("offices.schema.json")).unwrap(),
            r#"{"fields":[]}"#
        );
    }
}
