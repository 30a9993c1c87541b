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
    let bytes = std::fs::read(path)
        .map_err(|e| ScenarioError::whole_file(&name, format!("cannot read the file: {e}")))?;
    parse_bytes(&name, &bytes)
}

/// Parse and validate a scenario given as raw bytes, as read from disk: a UTF-8
/// byte-order mark (which Windows editors write) is skipped, and bytes that are not
/// UTF-8 are reported with their line, column and byte offset.
pub fn parse_bytes(file: &str, bytes: &[u8]) -> Result<Scenario, ScenarioError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(source) => parse(file, source),
        Err(e) => Err(not_utf8(file, bytes, &e)),
    }
}

fn not_utf8(file: &str, bytes: &[u8], e: &std::str::Utf8Error) -> ScenarioError {
    let at = e.valid_up_to();
    // The valid prefix locates the bad byte; the source shown is that prefix plus the
    // rest of its line, decoded lossily so the line can still be quoted.
    let line_start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let col = String::from_utf8_lossy(&bytes[line_start..at])
        .chars()
        .count()
        + 1;
    let line_end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let shown = String::from_utf8_lossy(&bytes[..line_end]).into_owned();
    ScenarioError::new(
        file,
        &shown,
        vec![Problem {
            line,
            col,
            field: String::new(),
            message: format!("byte {at} (0x{:02X}) is not valid UTF-8", bytes[at]),
            help: Some(
                "save the file as UTF-8 (most editors offer it under \"Save as\" or \"Encoding\")"
                    .into(),
            ),
        }],
    )
}

/// Parse and validate scenario text; `file` names it in errors.
pub fn parse(file: &str, source: &str) -> Result<Scenario, ScenarioError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
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
