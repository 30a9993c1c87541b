//! Reading a scenario file: RON syntax and types first, then the semantic checks.

use std::path::Path;

use ron::extensions::Extensions;

use super::error::{Problem, ScenarioError};
use super::schema::Scenario;
use super::validate;
use crate::world::reference::nearest;

/// Read, parse and validate a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let name = path.display().to_string();
    let source = std::fs::read_to_string(path)
        .map_err(|e| ScenarioError::whole_file(&name, format!("cannot read the file: {e}")))?;
    parse(&name, &source)
}

/// Parse and validate scenario text; `file` names it in errors.
pub fn parse(file: &str, source: &str) -> Result<Scenario, ScenarioError> {
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    let scenario: Scenario = options
        .from_str(source)
        .map_err(|e| ScenarioError::new(file, source, vec![syntax_problem(&e)]))?;
    let problems = validate::validate(&scenario, source);
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(ScenarioError::new(file, source, problems))
    }
}

fn syntax_problem(e: &ron::error::SpannedError) -> Problem {
    use ron::Error as E;
    let help = match &e.code {
        E::NoSuchStructField {
            expected, found, ..
        } => Some(match nearest(found, expected.iter().copied()) {
            Some(best) => format!(
                "did you mean `{best}`? valid fields: {}",
                expected.join(", ")
            ),
            None => format!("valid fields: {}", expected.join(", ")),
        }),
        E::NoSuchEnumVariant {
            expected, found, ..
        } => Some(match nearest(found, expected.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? valid: {}", expected.join(", ")),
            None => format!("valid: {}", expected.join(", ")),
        }),
        E::MissingStructField { field, .. } => Some(format!(
            "add `{field}: ...` (a misspelt field name also shows up as a missing field)"
        )),
        E::ExpectedDifferentLength { expected, .. } => Some(format!("expected {expected}")),
        _ => None,
    };
    Problem {
        line: e.span.start.line,
        col: e.span.start.col,
        field: String::new(),
        message: e.code.to_string(),
        help,
    }
}
