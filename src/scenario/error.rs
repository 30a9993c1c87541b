//! Scenario errors that name the file, line, column and field, show the offending line
//! and say what would be valid.

use std::fmt;

/// One thing wrong with a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// 1-based line and column; 0 when the problem has no single place (a missing file).
    pub line: usize,
    pub col: usize,
    /// Dotted path of the field, e.g. `nodes[2].office.capacity_hours`.
    pub field: String,
    pub message: String,
    /// What would be valid, or the nearest valid name.
    pub help: Option<String>,
}

/// Everything wrong with one scenario file, in file order.
#[derive(Debug, Clone)]
pub struct ScenarioError {
    pub file: String,
    pub problems: Vec<Problem>,
    /// The file's text, for showing the offending lines.
    source: String,
}

impl ScenarioError {
    pub fn new(file: &str, source: &str, mut problems: Vec<Problem>) -> Self {
        problems.sort_by_key(|p| (p.line, p.col));
        ScenarioError {
            file: file.to_string(),
            problems,
            source: source.to_string(),
        }
    }

    /// A problem with the file as a whole (it cannot be read, say).
    pub fn whole_file(file: &str, message: String) -> Self {
        ScenarioError::new(
            file,
            "",
            vec![Problem {
                line: 0,
                col: 0,
                field: String::new(),
                message,
                help: None,
            }],
        )
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            if p.line == 0 {
                write!(f, "{}: ", self.file)?;
            } else {
                write!(f, "{}:{}:{}: ", self.file, p.line, p.col)?;
            }
            if !p.field.is_empty() {
                write!(f, "{}: ", p.field)?;
            }
            write!(f, "{}", p.message)?;
            if let Some(text) = self.source.lines().nth(p.line.wrapping_sub(1)) {
                let gutter = p.line.to_string().len();
                write!(f, "\n {:>gutter$} | {}", p.line, text)?;
                let pad: String = text
                    .chars()
                    .take(p.col.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n {:>gutter$} | {}^", "", pad)?;
            }
            if let Some(help) = &p.help {
                write!(f, "\n  help: {help}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}
