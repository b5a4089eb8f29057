//! A whole bill read into entries, one per line, in file order: the frame (preamble, header,
//! footer) skipped, each data row read. Nothing is reported yet: refunds are linked to their
//! payments first.

use qrecon_adapter_sdk::{Emitter, FileError};
use qrecon_payer_bill::entry::Entry;
use qrecon_payer_bill::totals::Totals;

use crate::columns::{self, Columns};
use crate::frame::{self, Owner};
use crate::row;

/// Skip reason for an empty line.
const BLANK: &str = "blank line";

/// The bill, read.
#[derive(Default)]
pub(crate) struct Bill {
    /// One entry per line, in file order.
    pub(crate) entries: Vec<Entry>,
    /// The bill's owner, as the frame names them.
    pub(crate) owner: Owner,
    totals: Totals,
}

/// Reads the numbered lines of a bill. The control totals are checked here (a disagreement is
/// a warning); a file without a header is an error.
pub(crate) fn read(lines: &[(u64, &str)], out: &mut Emitter) -> Result<Bill, FileError> {
    let at = lines
        .iter()
        .position(|&(_, l)| columns::is_header(l))
        .ok_or_else(no_header)?;
    let (before, rest) = lines.split_at(at);
    let Some((&(header_no, header), body)) = rest.split_first() else {
        return Err(no_header());
    };
    let columns = Columns::from_header(header_no, header, out)?;
    let mut bill = Bill::default();
    for &(no, line) in before {
        bill.frame_line(no, line, "preamble");
    }
    bill.entries.push(Entry::skipped(header_no, "header"));
    let mut in_footer = false;
    for &(no, line) in body {
        if in_footer {
            bill.frame_line(no, line, "footer");
        } else if frame::is_blank(line) {
            bill.entries.push(Entry::skipped(no, BLANK));
        } else if frame::is_dashes(line) {
            in_footer = true;
            bill.entries.push(Entry::skipped(
                no,
                "footer: the dashes line that ends the rows",
            ));
        } else {
            bill.data_row(&columns, no, line);
        }
    }
    bill.totals.check("收/支 or 资金状态", |label| label, out);
    Ok(bill)
}

fn no_header() -> FileError {
    FileError::new(
        "no personal Alipay bill header found: expected a line naming 收/支, 金额, a time \
         (交易时间, or 交易创建时间/付款时间) and 交易订单号 (or 交易号 / 交易状态)",
    )
}

impl Bill {
    /// A preamble or footer line: skipped, after taking what it says about the owner and
    /// the control totals.
    fn frame_line(&mut self, no: u64, line: &str, part: &str) {
        if frame::is_blank(line) {
            self.entries.push(Entry::skipped(no, BLANK));
            return;
        }
        self.owner.read(line);
        if let Some(control) = frame::control(line) {
            self.totals.state(no, control);
        }
        self.entries.push(Entry::skipped(no, part));
    }

    /// A line between the header and the end of the rows.
    fn data_row(&mut self, columns: &Columns, no: u64, line: &str) {
        let entry = match columns.split(line) {
            Ok(cells) => {
                let (direction, fund_status, amount) = row::tally(columns, &cells);
                self.totals
                    .add(std::iter::once(direction).chain(fund_status), amount);
                row::read(columns, no, line, &cells)
            }
            Err(e) => {
                self.totals.unaligned();
                Entry::quarantined(no, e, line)
            }
        };
        self.entries.push(entry);
    }
}
