//! Tabletop exercises: teams play customs administrations (and a trafficking network)
//! turn by turn on a simulated world, with the truth kept from them and nothing lost.
//!
//! * [`api`]: the JSON contract the server speaks (routes, bodies, errors).
//! * [`web`]: the console pages (team, facilitator, debrief) served beside the API.
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
