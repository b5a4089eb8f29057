//! One CSV line into cells, as the personal bills write them: mostly bare cells, padded with
//! spaces and ending in a TAB; a cell that starts with `"` is quoted (`""` inside is a quote),
//! and padding between its closing quote and the next comma is allowed (`"123"\t,`). A quote
//! anywhere else is an ordinary character.

use std::borrow::Cow;

use qrecon_adapter_sdk::{FieldError, text};

/// Splits `line` into cells. A quoted cell that never closes, or text other than padding
/// after a closing quote, is an error naming the cell.
pub(crate) fn split(line: &str) -> Result<Vec<Cow<'_, str>>, FieldError> {
    if !line.contains('"') {
        return text::split_csv(line);
    }
    let mut cells = Vec::new();
    let mut rest = line;
    loop {
        if let Some(quoted) = rest.strip_prefix('"') {
            let (cell, after) = quoted_cell(quoted)?;
            cells.push(cell);
            let after = after.trim_start_matches([' ', '\t']);
            match after.strip_prefix(',') {
                Some(next) => rest = next,
                None if after.is_empty() => return Ok(cells),
                None => {
                    return Err(FieldError::row(format!(
                        "unexpected text {after:?} after the quoted cell {}",
                        cells.len()
                    )));
                }
            }
        } else if let Some((cell, next)) = rest.split_once(',') {
            cells.push(Cow::Borrowed(cell));
            rest = next;
        } else {
            cells.push(Cow::Borrowed(rest));
            return Ok(cells);
        }
    }
}

/// The quoted cell at the start of `s` (just after its opening quote) and the text after
/// its closing quote.
fn quoted_cell(s: &str) -> Result<(Cow<'_, str>, &str), FieldError> {
    let mut owned: Option<String> = None;
    let mut start = 0;
    loop {
        let Some(at) = s.get(start..).and_then(|r| r.find('"')).map(|i| i + start) else {
            return Err(FieldError::row("a quoted cell is not closed"));
        };
        let after = s.get(at + 1..).unwrap_or_default();
        if after.starts_with('"') {
            let piece = s.get(start..=at).unwrap_or_default();
            owned.get_or_insert_with(String::new).push_str(piece);
            start = at + 2;
            continue;
        }
        let head = s.get(start..at).unwrap_or_default();
        let cell = match owned {
            Some(mut o) => {
                o.push_str(head);
                Cow::Owned(o)
            }
            None => Cow::Borrowed(head),
        };
        return Ok((cell, after));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_quoted_and_padded_cells() {
        let cells = split("a,\"b,c\"\t,\"q\"\"x\" ,d\"e\",").expect("valid");
        assert_eq!(cells, vec!["a", "b,c", "q\"x", "d\"e\"", ""]);
        assert_eq!(split("x\t,y").expect("valid"), vec!["x\t", "y"]);
        assert!(split("a,\"open").is_err());
        assert!(split("\"a\"b,c").is_err());
    }
}
