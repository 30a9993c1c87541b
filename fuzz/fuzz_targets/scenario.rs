//! Fuzz target: scenario bytes through load (UTF-8, BOM, RON), validate, world build and
//! a short run. Two kinds of input, chosen by the first byte:
//! - anything but 0xFF: the bytes are a scenario file as a user could write it;
//! - 0xFF, k, then (token, value) pairs: shipped scenario k with the numbers at the given
//!   positions replaced by boundary values (0, -1, 2^32-1, 1e308, NaN, ...). Raw byte
//!   mutation rarely produces those, and they are where ranges and arithmetic break.
//!
//! Whatever the input, the pipeline must return `Ok` or a `ScenarioError`; a panic, an
//! abort or running out of memory is a bug.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use stce::scenario::parse_bytes;
use stce::sim::{RunOptions, run};
use stce::world::World;

const SEEDS: [&str; 3] = [
    include_str!("../../scenarios/tutorial.ron"),
    include_str!("../../scenarios/asean-cosmo.ron"),
    include_str!("../../scenarios/cosmo2-global.ron"),
];

const BOUNDARY: [&str; 24] = [
    "0", "1", "-1", "0.0", "-0.0", "1.0", "2.0", "-1.0", "0.5", "1e-300", "1e308", "-1e308",
    "NaN", "inf", "-inf", "255", "65535", "65536", "2147483648", "4294967295", "4294967296",
    "18446744073709551615", "3660", "3661",
];

/// Byte ranges of the numeric literals of `text` (outside strings and comments is not
/// checked: a number inside a string is harmless to replace).
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'));
        if starts {
            let s = if i > 0 && b[i - 1] == b'-' { i - 1 } else { i };
            let mut e = i;
            while e < b.len() && (b[e].is_ascii_digit() || b"._eE".contains(&b[e])) {
                e += 1;
            }
            out.push((s, e));
            i = e;
        } else {
            i += 1;
        }
    }
    out
}

fn structured(data: &[u8]) -> Vec<u8> {
    let Some((&k, pairs)) = data.split_first() else {
        return Vec::new();
    };
    let text = SEEDS[k as usize % SEEDS.len()];
    let spans = numbers(text);
    let mut replace: Vec<(usize, &str)> = pairs
        .chunks_exact(3)
        .map(|c| {
            let t = u16::from_le_bytes([c[0], c[1]]) as usize % spans.len();
            (t, BOUNDARY[c[2] as usize % BOUNDARY.len()])
        })
        .collect();
    replace.sort_by_key(|r| r.0);
    replace.dedup_by_key(|r| r.0);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (t, v) in replace {
        let (s, e) = spans[t];
        out.push_str(&text[pos..s]);
        out.push_str(v);
        pos = e;
    }
    out.push_str(&text[pos..]);
    out.into_bytes()
}

fuzz_target!(|data: &[u8]| {
    let bytes = match data.split_first() {
        Some((0xFF, rest)) => structured(rest),
        _ => data.to_vec(),
    };
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
