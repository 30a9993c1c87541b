//! Tabletop exercises: teams play customs administrations (and a trafficking network)
//! turn by turn on a simulated world, with the truth kept from them and nothing lost.
//!
//! * [`plan`]: the scenario's `exercise` block resolved against its world.
//! * [`step`]: the simulation one tick at a time, stopped where offices decide.
//! * [`engine`]: the exercise as a state machine over a log of entries (check, then apply).
//! * [`views`]: what a team and the facilitator see; [`debrief`]: the debrief and its export.
//! * [`store`]: the SQLite state file; [`session`]: engine + state file + tokens.
//! * [`api`]: the JSON contract; [`server`]: the HTTP server speaking it.
//! * [`web`]: the console pages (team, facilitator, debrief) served beside the API.
//!
//! Determinism: the engine is synchronous and its state a function of the scenario text,
//! the state file's key and the log, so a restart or `--replay` rebuilds it exactly.

pub mod api;
pub mod debrief;
pub mod engine;
pub mod plan;
pub mod server;
pub mod session;
pub mod step;
pub mod store;
pub mod views;
pub mod web;
