//! Fuzz target: scenario bytes through loading alone (UTF-8, BOM, RON) and validation,
//! and the error a user would read (file:line:col, the line quoted, what would be
//! valid). No world is built, so it runs thousands of times faster than `scenario`
//! (which goes on to build the world and run it) and covers the parser and every check
//! of `validate` at depth. Same inputs as `scenario` (see `mutate`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stce::scenario::parse_bytes;

mod mutate;

fuzz_target!(|data: &[u8]| {
    let bytes = mutate::scenario_bytes(data);
    if let Err(e) = parse_bytes("fuzz.ron", &bytes) {
        // Rendering locates every problem in the source: it must not panic either.
        let text = e.to_string();
        assert!(!text.is_empty());
    }
});
