//! A bill as numbered lines, from a CSV file or an XLSX sheet: each line's text (for the
//! preamble and for quarantine) and its cells (for the header and the rows).

use calamine::Data;
use qrecon_adapter_sdk::{FieldError, text};

use crate::columns::{self, Aligned, Columns, DIRECTION};
use crate::workbook;

/// The lines of a bill.
pub(crate) struct Table {
    /// Each line's number and text (an XLSX row's cells joined with `,`).
    pub(crate) lines: Vec<(u64, String)>,
    /// The XLSX rows behind the lines; `None` for a CSV file.
    rows: Option<Vec<Vec<Data>>>,
}

impl Table {
    /// A CSV file's lines.
    pub(crate) fn csv(text: &str) -> Self {
        Self {
            lines: text::lines(text).map(|(n, l)| (n, l.to_owned())).collect(),
            rows: None,
        }
    }

    /// An XLSX sheet's rows, row 1 first.
    pub(crate) fn xlsx(rows: Vec<Vec<Data>>) -> Self {
        let lines = rows
            .iter()
            .zip(1u64..)
            .map(|(row, n)| {
                (
                    n,
                    row.iter().map(workbook::text).collect::<Vec<_>>().join(","),
                )
            })
            .collect();
        Self {
            lines,
            rows: Some(rows),
        }
    }

    /// Line `i`'s cells as text (empty when a CSV line cannot be split).
    pub(crate) fn names(&self, i: usize) -> Vec<String> {
        match &self.rows {
            Some(rows) => rows
                .get(i)
                .map(|r| r.iter().map(workbook::text).collect())
                .unwrap_or_default(),
            None => self
                .lines
                .get(i)
                .and_then(|(_, l)| qrecon_payer_bill::split_line(l).ok())
                .map(|cells| {
                    cells
                        .into_iter()
                        .map(std::borrow::Cow::into_owned)
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The index of the header line, if there is one.
    pub(crate) fn header_at(&self) -> Option<usize> {
        (0..self.lines.len()).find(|&i| {
            self.lines
                .get(i)
                .is_some_and(|(_, l)| l.contains(DIRECTION))
                && columns::is_header(&self.names(i))
        })
    }

    /// Data line `i`'s cells, one per header column.
    pub(crate) fn row(&self, i: usize, columns: &Columns) -> Result<Aligned, FieldError> {
        if let Some(rows) = &self.rows {
            return workbook::row(rows.get(i).map_or(&[], Vec::as_slice), columns);
        }
        let line = self.lines.get(i).map_or("", |(_, l)| l.as_str());
        let cells = qrecon_payer_bill::split_line(line)?
            .into_iter()
            .map(std::borrow::Cow::into_owned)
            .collect();
        columns.align(cells)
    }
}
