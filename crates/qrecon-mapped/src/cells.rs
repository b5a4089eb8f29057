//! Cutting a line into cells at a delimiter. A cell that starts with `"` (after padding) is
//! quoted, `""` inside it is a quote, and padding between its closing quote and the next
//! delimiter is allowed (HSBC writes `"-1,099.14"<TAB>,`). A quote anywhere else is text.

use std::borrow::Cow;

/// The cells of `line`, or why it cannot be cut (a quoted cell that never closes, or text
/// after a closing quote).
pub(crate) fn split(line: &str, delimiter: char) -> Result<Vec<Cow<'_, str>>, String> {
    let mut cells = Vec::new();
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start_matches([' ', '\t']);
        if let Some(quoted) = trimmed.strip_prefix('"') {
            let (cell, after) = quoted_cell(quoted)?;
            cells.push(cell);
            let after = after.trim_start_matches([' ', '\t']);
            if after.is_empty() {
                return Ok(cells);
            }
            match after.strip_prefix(delimiter) {
                Some(next) => rest = next,
                None => {
                    return Err(format!(
                        "text {after:?} after the closing quote of cell {}",
                        cells.len()
                    ));
                }
            }
        } else {
            let Some(i) = rest.find(delimiter) else {
                cells.push(Cow::Borrowed(rest));
                return Ok(cells);
            };
            cells.push(Cow::Borrowed(&rest[..i]));
            rest = &rest[i + delimiter.len_utf8()..];
        }
    }
}

fn quoted_cell(s: &str) -> Result<(Cow<'_, str>, &str), String> {
    let mut owned: Option<String> = None;
    let mut from = 0;
    let mut search = 0;
    while let Some(at) = s[search..].find('"').map(|i| i + search) {
        if s[at + 1..].starts_with('"') {
            owned
                .get_or_insert_with(String::new)
                .push_str(&s[from..=at]);
            from = at + 2;
            search = at + 2;
            continue;
        }
        let cell = match owned {
            Some(mut o) => {
                o.push_str(&s[from..at]);
                Cow::Owned(o)
            }
            None => Cow::Borrowed(&s[..at]),
        };
        return Ok((cell, &s[at + 1..]));
    }
    Err("a quoted cell is not closed".to_owned())
}

#[cfg(test)]
mod tests {
    use super::split;

    fn cells(line: &str, d: char) -> Vec<String> {
        split(line, d)
            .expect("splits")
            .into_iter()
            .map(std::borrow::Cow::into_owned)
            .collect()
    }

    #[test]
    fn quoted_cells_padding_and_other_delimiters() {
        assert_eq!(
            cells("09/04/2025,\"-1,099.14\"\t,CNY", ','),
            ["09/04/2025", "-1,099.14", "CNY"]
        );
        assert_eq!(cells("a;\"b;\"\"c\"\"\";", ';'), ["a", "b;\"c\"", ""]);
        assert_eq!(cells("x\ty", '\t'), ["x", "y"]);
        assert_eq!(cells("5\" screen,1", ','), ["5\" screen", "1"]);
    }

    #[test]
    fn broken_quotes_are_errors() {
        assert!(split("\"open,1", ',').is_err());
        assert!(split("\"a\"b,1", ',').is_err());
    }
}
