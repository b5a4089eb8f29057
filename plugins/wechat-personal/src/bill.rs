//! A whole bill read into entries, one per line, in file order: the preamble and the header
//! skipped, each data row read. Nothing is reported yet: refunds are linked to their payments
//! first.

use std::collections::BTreeSet;

use qrecon_adapter_sdk::{Emitter, FileError};
use qrecon_payer_bill::entry::Entry;
use qrecon_payer_bill::totals::Totals;

use crate::columns::Columns;
use crate::frame;
use crate::row;
use crate::table::Table;

/// Skip reason for an empty line.
const BLANK: &str = "blank line";

/// 交易类型 values the adapter knows.
const KNOWN_KINDS: [&str; 17] = [
    "商户消费",
    "微信红包",
    "转账",
    "扫二维码付款",
    "二维码付款",
    "二维码收款",
    "群收款",
    "零钱提现",
    "零钱充值",
    "信用卡还款",
    "购买理财通",
    "亲属卡交易",
    "赞赏码",
    "分分捐",
    "其他",
    "退款",
    "有退款",
];
/// Beginnings of 交易类型 values the adapter knows (`转入零钱通-来自…`, `微信红包（单发）`).
const KNOWN_KIND_PREFIXES: [&str; 9] = [
    "转入零钱通",
    "零钱通转出",
    "微信红包",
    "转账",
    "理财通",
    "亲属卡",
    "信用卡还款",
    "群收款",
    "赞赏",
];

/// The bill, read.
#[derive(Default)]
pub(crate) struct Bill {
    /// One entry per line, in file order.
    pub(crate) entries: Vec<Entry>,
    /// The owner's nickname (`微信昵称：[…]`).
    pub(crate) payer: Option<String>,
    totals: Totals,
    /// 交易类型 values already warned about.
    unknown_kinds: BTreeSet<String>,
}

/// Reads a bill's lines. The control totals are checked here (a disagreement is a warning); a
/// file without a header is an error.
pub(crate) fn read(table: &Table, out: &mut Emitter) -> Result<Bill, FileError> {
    let at = table.header_at().ok_or_else(no_header)?;
    let header_no = table.lines.get(at).map_or(0, |(no, _)| *no);
    let columns = Columns::from_header(header_no, &table.names(at), out)?;
    let mut bill = Bill::default();
    let mut in_footer = false;
    for (i, (no, line)) in table.lines.iter().enumerate() {
        let no = *no;
        if i < at {
            bill.preamble_line(no, line);
        } else if i == at {
            bill.entries.push(Entry::skipped(no, "header"));
        } else if frame::is_blank(line) {
            bill.entries.push(Entry::skipped(no, BLANK));
        } else if in_footer {
            bill.entries.push(Entry::skipped(no, "footer"));
        } else if frame::is_dashes(line) {
            in_footer = true;
            bill.entries
                .push(Entry::skipped(no, "footer: a dashes line after the rows"));
        } else {
            bill.data_row(table, i, &columns, out);
        }
    }
    bill.totals.check("收/支", frame::bucket_of, out);
    Ok(bill)
}

fn no_header() -> FileError {
    FileError::new(
        "no WeChat bill header found: expected a line naming 交易时间, 交易类型, 收/支, 金额(元) \
         and 当前状态 (or 交易单号)",
    )
}

impl Bill {
    /// A preamble line: skipped, after taking the owner and the control totals it states.
    fn preamble_line(&mut self, no: u64, line: &str) {
        if frame::is_blank(line) {
            self.entries.push(Entry::skipped(no, BLANK));
            return;
        }
        if let Some(nickname) = frame::nickname(line) {
            self.payer.get_or_insert_with(|| nickname.to_owned());
        }
        if let Some(control) = frame::control(line) {
            self.totals.state(no, control);
        }
        self.entries.push(Entry::skipped(no, "preamble"));
    }

    /// Data line `i` (line number `no` in the file).
    fn data_row(&mut self, table: &Table, i: usize, columns: &Columns, out: &mut Emitter) {
        let (no, raw) = table
            .lines
            .get(i)
            .map_or((0, ""), |(no, l)| (*no, l.as_str()));
        let aligned = match table.row(i, columns) {
            Ok(aligned) => aligned,
            Err(e) => {
                self.totals.unaligned();
                self.entries.push(Entry::quarantined(no, e, raw));
                return;
            }
        };
        if let Some(note) = &aligned.joined {
            out.warn(no, note);
        }
        let (direction, amount) = row::tally(columns, &aligned.cells);
        self.totals.add([direction], amount);
        self.check_kind(no, row::kind_of(columns, &aligned.cells), out);
        self.entries
            .push(row::read(columns, no, raw, &aligned.cells));
    }

    /// Warns, once per value, about a 交易类型 the adapter does not know.
    fn check_kind(&mut self, no: u64, kind: &str, out: &mut Emitter) {
        let known = kind.is_empty()
            || KNOWN_KINDS.contains(&kind)
            || KNOWN_KIND_PREFIXES.iter().any(|p| kind.starts_with(p))
            || kind.ends_with("-退款");
        if !known && self.unknown_kinds.insert(kind.to_owned()) {
            out.warn(
                no,
                &format!(
                    "unknown 交易类型 {kind} (first on line {no}): its rows are read by their 收/支 like any other"
                ),
            );
        }
    }
}
