//! Rule errors with their position, rendered as `path:line:col: message`, the line, a caret.

use std::fmt;

/// A rule that cannot be used, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The rule file.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong and what was expected.
    pub message: String,
    /// The offending source line.
    pub source_line: Option<String>,
}

impl RuleError {
    /// An error at `line:column` of `text`.
    pub fn at(
        path: &str,
        text: &str,
        line: Option<usize>,
        column: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        let source_line = line
            .and_then(|l| text.lines().nth(l.checked_sub(1)?))
            .map(str::to_owned);
        Self {
            path: path.to_owned(),
            line,
            column,
            message: message.into(),
            source_line,
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.path, self.message)?,
            (Some(l), None) => write!(f, "{}:{l}: {}", self.path, self.message)?,
            _ => write!(f, "{}: {}", self.path, self.message)?,
        }
        if let Some(src) = &self.source_line {
            write!(f, "\n  | {src}")?;
            if let Some(c) = self.column {
                let pad: String = src
                    .chars()
                    .take(c.saturating_sub(1))
                    .map(|ch| if ch == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n  | {pad}^")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for RuleError {}
