//! The detail rows between the header and the summary: split once, scanned for withdrawal
//! ids, then reported line by line.

use std::borrow::Cow;
use std::collections::HashSet;

use qrecon_adapter_sdk::{Decimal, Emitter, FieldError, text};

use crate::entry::{self, Entry, WITHDRAWAL};
use crate::header::{BUSINESS_TYPE, Header, Row, VOUCHER};
use crate::totals::Totals;

/// Skip reason for an empty line.
pub(crate) const BLANK: &str = "blank line";

/// One line of the body; `cells` is `None` for a blank line.
struct BodyLine<'t> {
    line: u64,
    raw: &'t str,
    cells: Option<Result<Vec<Cow<'t, str>>, FieldError>>,
}

/// The detail rows of a bill.
pub(crate) struct Body<'t> {
    lines: Vec<BodyLine<'t>>,
}

impl<'t> Body<'t> {
    /// Splits every non-blank line into cells.
    pub(crate) fn split(lines: &[(u64, &'t str)]) -> Self {
        let lines = lines
            .iter()
            .map(|&(line, raw)| {
                let cells = (!text::clean(raw).is_empty()).then(|| text::split_csv(raw));
                BodyLine { line, raw, cells }
            })
            .collect();
        Self { lines }
    }

    /// Reports every line to `out` and returns what the records add up to.
    pub(crate) fn emit(&self, header: &Header, out: &mut Emitter) -> Totals {
        let withdrawals = self.withdrawal_ids(header);
        let mut totals = Totals::default();
        for l in &self.lines {
            match &l.cells {
                None => out.skip(l.line, BLANK),
                Some(Err(e)) => out.row(l.line, l.raw, Err(e.clone())),
                Some(Ok(cells)) => {
                    let entry = header
                        .row(cells)
                        .and_then(|row| entry::read(l.line, &row, &withdrawals));
                    emit_entry(l.line, l.raw, entry, &mut totals, out);
                }
            }
        }
        totals
    }

    /// The 业务凭证号 of every 提现 line, so a later (or earlier) income line carrying one is
    /// recognised as the withdrawal returned.
    fn withdrawal_ids<'r>(&'r self, header: &'r Header) -> HashSet<&'r str> {
        self.lines
            .iter()
            .filter_map(|l| l.cells.as_ref()?.as_ref().ok())
            .filter_map(|cells| header.row(cells).ok())
            .filter(|row: &Row<'_>| row.get(BUSINESS_TYPE) == WITHDRAWAL)
            .filter_map(|row| row.opt(VOUCHER))
            .collect()
    }
}

/// Reports one data row: a record (counted in `totals`) or quarantined.
fn emit_entry(
    line: u64,
    raw: &str,
    entry: Result<Entry<'_>, FieldError>,
    totals: &mut Totals,
    out: &mut Emitter,
) {
    match entry {
        Ok(Entry {
            mut record,
            direction,
        }) => {
            record.fee = fee_or_warn(line, record.memo, out);
            let before = out.records();
            out.record(&record, raw);
            if out.records() > before {
                totals.add(direction, record.amount);
            }
        }
        Err(e) => out.row(line, raw, Err(e)),
    }
}

/// The fee 备注 states; an unreadable one is left empty with a warning, not a lost row.
fn fee_or_warn(line: u64, memo: Option<&str>, out: &mut Emitter) -> Option<Decimal> {
    entry::memo_fee(memo).unwrap_or_else(|e| {
        out.warn(line, &format!("{e}; the fee it mentions is left empty"));
        None
    })
}
