//! The trade bill (业务明细): one `txn` record per payment or refund row, and the footer's
//! 交易合计 and 退款合计 checked against them. The layout and mapping are in the crate doc.

mod layout;
mod row;
mod totals;

#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::FileError;

use crate::out::Out;
use crate::{Format, Tally, bill};
use layout::LAYOUT;
pub(crate) use totals::Totals;

/// How the adapter tells a 业务明细 apart, and reads it.
pub(crate) const FORMAT: Format = Format {
    title: "#支付宝业务明细查询",
    is_header: |line| LAYOUT.is_header(line),
    starts_like_header: |line| LAYOUT.starts_like_header(line),
    expected: layout::EXPECTED,
    parse,
};

/// Reads a 业务明细 given as numbered lines; returns what its records add up to.
fn parse(lines: &[(u64, &str)], out: &mut Out<'_>) -> Result<Tally, FileError> {
    let file = LAYOUT.open(lines, out)?;
    let mut totals = Totals::default();
    let mut footers = Vec::new();
    for &(no, raw) in file.body {
        if bill::is_blank(raw) {
            out.skip(no, bill::BLANK);
        } else if bill::is_comment(raw) {
            out.skip(no, "footer");
            footers.push((no, raw));
        } else {
            row::emit(&file.columns, file.account, (no, raw), &mut totals, out);
        }
    }
    totals.check(&footers, file.last_line, out);
    Ok(Tally::Trade(totals))
}
