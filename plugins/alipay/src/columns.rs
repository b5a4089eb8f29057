//! A bill's header, and typed access to one row's cells, for either format. Column order
//! differs between accounts and newer files append columns, so columns are found by name, once
//! per file; ASCII and full-width parentheses in a name are treated alike. Each format gives
//! its column table as a [`Layout`] over its own `Col` enum.

use std::borrow::Cow;

use qrecon_adapter_sdk::text::{self, clean, non_empty};
use qrecon_adapter_sdk::{Decimal, FieldError, FileError, NaiveDateTime};

use crate::bill;
use crate::out::Out;

/// A format's column enum: each column is an index into its [`Layout::names`].
pub(crate) trait Column: Copy + 'static {
    /// The column's position in [`Layout::names`].
    fn index(self) -> usize;
}

/// One format's column table.
pub(crate) struct Layout<C: 'static> {
    /// The format's name in messages (`业务明细`).
    pub(crate) label: &'static str,
    /// What the header looks like, for errors.
    pub(crate) expected: &'static str,
    /// Header name of each column, in `C` order.
    pub(crate) names: &'static [&'static str],
    /// Columns without which a row cannot become a record.
    pub(crate) required: &'static [C],
    /// The first names of the (classic) header, as the sniffer looks for them.
    pub(crate) header_start: &'static [&'static str],
}

/// A header name as looked up: padding trimmed, ASCII parentheses made full-width.
pub(crate) fn key(name: &str) -> String {
    clean(name).replace('(', "（").replace(')', "）")
}

/// The names of a header line (padding trimmed, trailing empty names dropped).
fn names_of(line: &str) -> Result<Vec<String>, FieldError> {
    let mut names: Vec<String> = text::split_csv(line)?
        .iter()
        .map(|c| clean(c).to_owned())
        .collect();
    while names.last().is_some_and(String::is_empty) {
        names.pop();
    }
    Ok(names)
}

impl<C: Column> Layout<C> {
    /// The canonical header name of `col`.
    fn name(&self, col: C) -> &'static str {
        self.names[col.index()]
    }

    /// Whether `line` is this format's header: it names every required column, in any order.
    pub(crate) fn is_header(&self, line: &str) -> bool {
        // Most lines of a file are not the header: a substring test first (a name's text up
        // to its unit in parentheses, which exports write either way) spares them the split.
        let named = |c: &C| {
            let name = self.name(*c);
            line.contains(name.split(['（', '(']).next().unwrap_or(name))
        };
        if !self.required.iter().all(named) {
            return false;
        }
        names_of(line).is_ok_and(|names| {
            let keys: Vec<String> = names.iter().map(|n| key(n)).collect();
            self.required
                .iter()
                .all(|c| keys.iter().any(|k| k == self.name(*c)))
        })
    }

    /// Whether `line` starts like the header ([`Layout::header_start`]), which is enough for
    /// the sniffer even when the head cuts the header short.
    pub(crate) fn starts_like_header(&self, line: &str) -> bool {
        let mut cells = line.split(',').map(clean);
        self.header_start.iter().all(|h| cells.next() == Some(*h))
    }

    /// Finds and maps the header among `lines` and reports the preamble before it and the
    /// header itself as skipped.
    pub(crate) fn open<'l, 't>(
        &'static self,
        lines: &'l [(u64, &'t str)],
        out: &mut Out<'_>,
    ) -> Result<Opened<'l, 't, C>, FileError> {
        let at = bill::find_header(lines, |l| self.is_header(l), self.expected)?;
        let (header_no, header) = lines[at];
        let columns = Columns::from_header(self, header_no, header)?;
        let account = bill::preamble(&lines[..at], out);
        out.skip(header_no, "header");
        Ok(Opened {
            columns,
            account,
            body: &lines[at + 1..],
            last_line: lines.last().map_or(header_no, |&(no, _)| no),
        })
    }
}

/// A file read up to its header.
pub(crate) struct Opened<'l, 't, C: 'static> {
    /// The header's columns.
    pub(crate) columns: Columns<C>,
    /// The account the preamble names.
    pub(crate) account: Option<&'t str>,
    /// The lines after the header: rows, blank lines and the `#` footer.
    pub(crate) body: &'l [(u64, &'t str)],
    /// The number of the file's last line.
    pub(crate) last_line: u64,
}

/// The header of one file, with each known column's position.
pub(crate) struct Columns<C: 'static> {
    layout: &'static Layout<C>,
    line: u64,
    names: Vec<String>,
    pos: Vec<Option<usize>>,
}

impl<C: Column> Columns<C> {
    /// Maps the header at `line_no`; the error names every missing column.
    fn from_header(
        layout: &'static Layout<C>,
        line_no: u64,
        line: &str,
    ) -> Result<Self, FileError> {
        let names = names_of(line).map_err(|e| {
            FileError::at(
                line_no,
                format!("the header cannot be split into cells: {e}"),
            )
        })?;
        let keys: Vec<String> = names.iter().map(|n| key(n)).collect();
        let pos: Vec<Option<usize>> = layout
            .names
            .iter()
            .map(|n| keys.iter().position(|k| k == n))
            .collect();
        let missing: Vec<&str> = layout
            .required
            .iter()
            .filter(|c| pos[c.index()].is_none())
            .map(|c| layout.name(*c))
            .collect();
        if !missing.is_empty() {
            return Err(FileError::at(
                line_no,
                format!(
                    "the {} header lacks the column(s) {}",
                    layout.label,
                    missing.join(", ")
                ),
            ));
        }
        Ok(Self {
            layout,
            line: line_no,
            names,
            pos,
        })
    }

    /// Splits a data row into exactly one cell per header column. A `,` that ends the row
    /// (one empty cell more than the header has) is a terminator, not another cell.
    pub(crate) fn split<'r>(&self, raw: &'r str) -> Result<Vec<Cow<'r, str>>, FieldError> {
        let mut cells = text::split_csv(raw)?;
        if cells.len() == self.names.len() + 1 && cells.last().is_some_and(|c| clean(c).is_empty())
        {
            cells.pop();
        }
        if cells.len() == self.names.len() {
            Ok(cells)
        } else {
            Err(FieldError::row(format!(
                "expected {} cells as in the header (line {}), found {}",
                self.names.len(),
                self.line,
                cells.len()
            )))
        }
    }

    /// A row's cells (from [`Columns::split`]) read through this header.
    pub(crate) fn row<'r>(&'r self, cells: &'r [Cow<'r, str>]) -> Row<'r, C> {
        Row {
            columns: self,
            values: cells.iter().map(|c| clean(c)).collect(),
        }
    }
}

/// One row's cleaned values, addressed by the format's `Col`.
pub(crate) struct Row<'r, C: 'static> {
    columns: &'r Columns<C>,
    values: Vec<&'r str>,
}

impl<'r, C: Column> Row<'r, C> {
    /// The column's name as the file prints it (the canonical name if the file lacks it).
    pub(crate) fn name(&self, col: C) -> &'r str {
        let columns = self.columns;
        columns.pos[col.index()].map_or(columns.layout.name(col), |i| columns.names[i].as_str())
    }

    /// The value of `col`; `None` when the header lacks the column or the cell is empty.
    pub(crate) fn get(&self, col: C) -> Option<&'r str> {
        non_empty(self.values[self.columns.pos[col.index()]?])
    }

    /// The value of `col`, which must not be empty.
    pub(crate) fn required(&self, col: C) -> Result<&'r str, FieldError> {
        self.get(col)
            .ok_or_else(|| FieldError::new(self.name(col), "a value", ""))
    }

    /// The amount in `col`; `None` when the cell is empty.
    pub(crate) fn amount(&self, col: C) -> Result<Option<Decimal>, FieldError> {
        self.get(col)
            .map(|v| text::parse_amount(self.name(col), v))
            .transpose()
    }

    /// The wall-clock time in `col`, which must not be empty, with any stated UTC offset.
    pub(crate) fn time(&self, col: C) -> Result<(NaiveDateTime, Option<i32>), FieldError> {
        text::parse_datetime(self.name(col), self.required(col)?)
    }

    /// Every non-empty column that none of `mapped` names, under its header name.
    pub(crate) fn extra(&self, mapped: &[&[C]]) -> Vec<(&'r str, &'r str)> {
        let columns = self.columns;
        let taken: Vec<usize> = mapped
            .iter()
            .flat_map(|cols| cols.iter())
            .filter_map(|c| columns.pos[c.index()])
            .collect();
        let mut out = Vec::with_capacity(columns.names.len().saturating_sub(taken.len()));
        for (i, (name, v)) in columns.names.iter().zip(&self.values).enumerate() {
            if name.is_empty() || taken.contains(&i) {
                continue;
            }
            if let Some(v) = non_empty(v) {
                out.push((name.as_str(), v));
            }
        }
        out
    }
}
