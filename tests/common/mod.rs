//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use stce::scenario::Scenario;
use stce::world::World;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn scenario_path(name: &str) -> PathBuf {
    repo().join("scenarios").join(name)
}

/// Parse a shipped scenario so a test can change it before building the world.
pub fn scenario(name: &str) -> Scenario {
    let path = scenario_path(name);
    let text = std::fs::read_to_string(&path).expect("scenario file");
    stce::scenario::parse(&path.display().to_string(), &text).expect("valid scenario")
}

pub fn world(s: &Scenario) -> Arc<World> {
    Arc::new(World::build(s).expect("world builds"))
}

/// Run the `stce` binary.
pub fn stce(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stce"))
        .args(args)
        .output()
        .expect("stce runs")
}

/// `stce run tutorial.ron --declarations N --out OUT --quiet`: a small output set.
pub fn run_tutorial_into(out: &Path, declarations: u64) -> Output {
    let tutorial = scenario_path("tutorial.ron");
    stce(&[
        "run",
        tutorial.to_str().unwrap(),
        "--declarations",
        &declarations.to_string(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ])
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The files of a folder (not recursive) as (name, bytes), sorted by name.
pub fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                read(&p),
            )
        })
        .collect();
    v.sort();
    v
}
