//! The account log (账务明细): one `fund` record per row, withdrawals and their returns
//! linked by 业务流水号, and the footer's 支出合计 and 收入合计 checked against them. The
//! layout and mapping are in the crate doc.

mod entry;
mod layout;
mod totals;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::HashSet;

use qrecon_adapter_sdk::{FieldError, FileError};

use crate::out::Out;
use crate::{Format, Tally, bill};
use entry::WITHDRAWAL;
use layout::{Col, LAYOUT};
pub(crate) use totals::Totals;

/// The 账务明细 header of one file.
type Columns = crate::columns::Columns<Col>;

/// How the adapter tells a 账务明细 apart, and reads it.
pub(crate) const FORMAT: Format = Format {
    title: "#支付宝账务明细查询",
    is_header: |line| LAYOUT.is_header(line),
    starts_like_header: |line| LAYOUT.starts_like_header(line),
    expected: layout::EXPECTED,
    parse,
};

/// Reads a 账务明细 given as numbered lines; returns what its records add up to.
fn parse(lines: &[(u64, &str)], out: &mut Out<'_>) -> Result<Tally, FileError> {
    let file = LAYOUT.open(lines, out)?;
    let columns = &file.columns;
    let body: Vec<BodyLine<'_>> = file
        .body
        .iter()
        .map(|&(no, raw)| BodyLine::read(columns, no, raw))
        .collect();
    let withdrawals = withdrawal_ids(columns, &body);
    let mut totals = Totals::default();
    let mut footers = Vec::new();
    for l in &body {
        match &l.kind {
            LineKind::Blank => out.skip(l.no, bill::BLANK),
            LineKind::Footer => {
                out.skip(l.no, "footer");
                footers.push((l.no, l.raw));
            }
            LineKind::Data(Err(e)) => {
                totals.quarantined();
                out.quarantine(l.no, l.raw, e.clone());
            }
            LineKind::Data(Ok(cells)) => {
                let row = columns.row(cells);
                emit(
                    entry::read(&row, l.no, file.account, &withdrawals),
                    (l.no, l.raw),
                    &mut totals,
                    out,
                );
            }
        }
    }
    totals.check(&footers, file.last_line, out);
    Ok(Tally::Account(totals))
}

/// What a line after the header is.
enum LineKind<'t> {
    Blank,
    Footer,
    /// A data row split into one cell per column, or why it cannot be.
    Data(Result<Vec<Cow<'t, str>>, FieldError>),
}

/// One line after the header, split once (the withdrawal pre-scan and the report both read it).
struct BodyLine<'t> {
    no: u64,
    raw: &'t str,
    kind: LineKind<'t>,
}

impl<'t> BodyLine<'t> {
    fn read(columns: &Columns, no: u64, raw: &'t str) -> Self {
        let kind = if bill::is_blank(raw) {
            LineKind::Blank
        } else if bill::is_comment(raw) {
            LineKind::Footer
        } else {
            LineKind::Data(columns.split(raw))
        };
        Self { no, raw, kind }
    }
}

/// The 业务流水号 of every 提现 line, so an income line carrying one (before or after it) is
/// recognised as that withdrawal coming back.
fn withdrawal_ids<'b>(columns: &'b Columns, body: &'b [BodyLine<'_>]) -> HashSet<&'b str> {
    body.iter()
        .filter_map(|l| match &l.kind {
            LineKind::Data(Ok(cells)) => Some(columns.row(cells)),
            _ => None,
        })
        .filter(|row| row.get(Col::BizType) == Some(WITHDRAWAL))
        .filter_map(|row| row.get(Col::BizNo))
        .collect()
}

/// Reports one read row: a record (counted in `totals`) or quarantined.
fn emit(
    entry: Result<entry::Entry<'_>, FieldError>,
    (no, raw): (u64, &str),
    totals: &mut Totals,
    out: &mut Out<'_>,
) {
    match entry {
        Ok(entry) => {
            if out.record(&entry.record, raw) {
                totals.add(entry.direction, entry.record.amount);
            } else {
                totals.quarantined();
            }
        }
        Err(e) => {
            totals.quarantined();
            out.quarantine(no, raw, e);
        }
    }
}
