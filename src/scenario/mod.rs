//! Scenarios: the RON file format planners edit, its loading and its validation against
//! the reference data (ports, airports, countries, HS 2022, strategic chemicals).

pub mod error;
pub mod load;
pub mod schema;
pub mod validate;

pub use error::{Problem, ScenarioError};
pub use load::{load, parse, parse_bytes};
pub use schema::*;
