//! A bill's header: its column names, looked up by name (the layouts order them differently,
//! and print ASCII or full-width parentheses), and the checks that a row lines up with it.

use qrecon_adapter_sdk::{Emitter, FieldError, text};

/// A header name as looked up: padding trimmed, ASCII parentheses made full-width.
pub fn key(name: &str) -> String {
    text::clean(name).replace('(', "（").replace(')', "）")
}

/// The names of a header line, looked up by [`key`].
#[derive(Debug, Clone, Default)]
pub struct Header {
    names: Vec<String>,
    keys: Vec<String>,
}

impl Header {
    /// The header of a line's cells: each name cleaned, without the empty names trailing
    /// commas make.
    pub fn new<S: AsRef<str>>(cells: &[S]) -> Self {
        let mut names: Vec<String> = cells
            .iter()
            .map(|c| text::clean(c.as_ref()).to_owned())
            .collect();
        while names.last().is_some_and(String::is_empty) {
            names.pop();
        }
        let keys = names.iter().map(|n| key(n)).collect();
        Self { names, keys }
    }

    /// The names as printed (padding trimmed), one per column.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The name of column `i` (empty past the last).
    pub fn name(&self, i: usize) -> &str {
        self.names.get(i).map_or("", String::as_str)
    }

    /// Whether a column is named `name` (as a [`key`]).
    pub fn has(&self, name: &str) -> bool {
        self.keys.iter().any(|k| k == name)
    }

    /// The first column named one of `options` (tried in order).
    pub fn find(&self, options: &[&str]) -> Option<usize> {
        options
            .iter()
            .find_map(|o| self.keys.iter().position(|k| k == o))
    }

    /// Warns, on the header's `line`, about every column whose key `known` does not know: its
    /// values are kept in `extra`.
    pub fn warn_unknown(&self, line: u64, known: impl Fn(&str) -> bool, out: &mut Emitter) {
        for (name, k) in self.names.iter().zip(&self.keys) {
            if !k.is_empty() && !known(k) {
                out.warn(
                    line,
                    &format!(
                        "unknown column {name} in the header; its values are kept in extra under that name"
                    ),
                );
            }
        }
    }

    /// Drops the empty cells a row has beyond the header's columns: the `,` that ends a row
    /// is a terminator, not another cell.
    pub fn drop_terminators<C: AsRef<str>>(&self, cells: &mut Vec<C>) {
        while cells.len() > self.names.len()
            && cells
                .last()
                .is_some_and(|c| text::clean(c.as_ref()).is_empty())
        {
            cells.pop();
        }
    }

    /// The error for a row of `found` cells that does not line up with the header at `line`;
    /// `why` is added to the message.
    pub fn count_error(&self, line: u64, found: usize, why: &str) -> FieldError {
        FieldError::row(format!(
            "expected {} cells as in the header (line {line}), found {found}{why}",
            self.names.len()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned_and_looked_up_by_key() {
        let header = Header::new(&[" 金额(元) ", "收/支\t", "", ""]);
        assert_eq!(header.names(), ["金额(元)", "收/支"]);
        assert_eq!(header.find(&["金额", "金额（元）"]), Some(0));
        assert!(header.has("收/支"));
        assert_eq!(header.name(1), "收/支");
        assert_eq!(header.name(9), "");
    }

    #[test]
    fn rows_line_up_without_their_terminators() {
        let header = Header::new(&["a", "b"]);
        let mut cells = vec!["1", "2", " ", ""];
        header.drop_terminators(&mut cells);
        assert_eq!(cells, ["1", "2"]);
        let mut short = vec!["1", ""];
        header.drop_terminators(&mut short);
        assert_eq!(short, ["1", ""]);
        assert_eq!(
            header.count_error(5, 3, "").reason,
            "expected 2 cells as in the header (line 5), found 3"
        );
    }
}
