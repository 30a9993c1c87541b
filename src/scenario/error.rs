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
                let (shown, col) = excerpt(text, p.col);
                write!(f, "\n {:>gutter$} | {}", p.line, shown)?;
                let pad: String = shown
                    .chars()
                    .take(col.saturating_sub(1))
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

/// The longest source line quoted under a problem, in characters. A generated file may
/// hold the whole scenario on one line; quoting it whole buries the message.
pub const QUOTE_WIDTH: usize = 100;

/// The part of `line` around 1-based character column `col`, at most [`QUOTE_WIDTH`]
/// characters with `…` where it was cut, and the column of the same place in it.
fn excerpt(line: &str, col: usize) -> (String, usize) {
    let n = line.chars().count();
    if n <= QUOTE_WIDTH {
        return (line.to_string(), col);
    }
    let at = col.saturating_sub(1).min(n);
    let start = at.saturating_sub(QUOTE_WIDTH / 2).min(n - QUOTE_WIDTH);
    let end = start + QUOTE_WIDTH;
    let mut out = String::new();
    let mut col = at - start + 1;
    if start > 0 {
        out.push('…');
        col += 1;
    }
    out.extend(line.chars().skip(start).take(end - start));
    if end < n {
        out.push('…');
    }
    (out, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let (shown, col) = excerpt(&line, 5001);
        assert!(shown.chars().count() <= QUOTE_WIDTH + 2, "{}", shown.len());
        assert_eq!(shown.chars().nth(col - 1), Some('X'));
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        let (short, c) = excerpt("abc", 2);
        assert_eq!((short.as_str(), c), ("abc", 2));
        let (start, c) = excerpt(&line, 1);
        assert_eq!((start.chars().next(), c), (Some('a'), 1));
        assert!(!start.starts_with('…'));
    }
}
