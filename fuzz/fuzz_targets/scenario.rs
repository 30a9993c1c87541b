//! Fuzz target: scenario bytes through load (UTF-8, BOM, RON), validate, world build and
//! a short run. Inputs: see `mutate` (raw bytes, or boundary values in the shipped
//! scenarios' numbers).
//!
//! Whatever the input, the pipeline must return `Ok` or a `ScenarioError`; a panic, an
//! abort or running out of memory is a bug.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use stce::scenario::parse_bytes;
use stce::sim::{RunOptions, run};
use stce::world::World;

mod mutate;

fuzz_target!(|data: &[u8]| {
    let bytes = mutate::scenario_bytes(data);
    let Ok(mut s) = parse_bytes("fuzz.ron", &bytes) else {
        return;
    };
    // Building the global world takes a quarter of a second; keep the executions fast
    // by running only the smaller worlds, with few declarations.
    if s.nodes.len() > 40 {
        return;
    }
    s.declarations = s.declarations.min(300);
    let Ok(w) = World::build(&s) else {
        return;
    };
    let w = Arc::new(w);
    let out = run(
        &w,
        &RunOptions {
            seed: s.seed,
            ..RunOptions::default()
        },
    );
    // Conservation: every shipment generated ends delivered, seized or still in flight.
    let mut all = out.tally.licit;
    for f in &out.tally.illicit {
        all.add(f);
    }
    assert_eq!(
        all.generated,
        all.delivered + all.seized + all.in_transit,
        "shipments lost or counted twice: {all:?}"
    );
});
