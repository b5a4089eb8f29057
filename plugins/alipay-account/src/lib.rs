//! # Alipay merchant account log adapter (账务明细)
//!
//! Reads the detail file of the Alipay merchant account bill (`bill_type=signcustomer`, the
//! `…_账务明细.csv` inside the zip that `alipay.data.dataservice.bill.downloadurl.query`
//! points to, or the same file downloaded from the merchant platform): the fund flow of the
//! merchant's Alipay balance. Real downloads are GBK; UTF-8 is read too, and lines may end in
//! `\r\n` or `\n`.
//!
//! ## Layout
//! ```text
//! #支付宝账务明细查询
//! #账号：[20880211096256330156]                       ← the PID + "0156"
//! #起始日期：[…]   终止日期：[…]
//! #-----…账务明细列表…-----
//! 账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注
//! <rows>
//! #-----…账务明细列表结束…-----
//! #支出合计：N笔，共-X元
//! #收入合计：N笔，共Y元
//! #导出时间：[…]
//! ```
//! Every `#` line is preamble (before the header) or footer (after it); newer files pad the
//! footer with trailing commas. Column order differs between accounts and newer files append
//! 业务描述, 业务账单来源, 业务基础订单号, 业务订单号, so columns are found by name. Cells may
//! carry a trailing TAB and padding, and a row may end in a `,`.
//!
//! ## Mapping
//! Each row becomes one `fund` record of provider `alipay`, status success, with `account` =
//! the PID (the `#账号：` value without its `0156`), time = 发生时间 (naive Beijing time),
//! amount = 收入金额 − |支出金额| (the expense may be printed `-11.93` or `11.93`),
//! `status_raw` = 业务类型 and memo = 备注, or 商品名称 when 备注 is empty. The type comes
//! from 业务类型:
//!
//! | 业务类型 | type | ids |
//! |---|---|---|
//! | 在线支付, 交易付款 | `income` | `txn_id` = 业务流水号, `order_id` = 商户订单号 |
//! | 收费, …服务费…, …手续费… | `fee` | (业务流水号 and 商户订单号 stay in `extra`) |
//! | 交易退款, 退款 | `refund` | `txn_id` = 业务流水号 (the payment's trade no.), `order_id` = 商户订单号 |
//! | 提现 | `withdrawal` | `payout_id` = 业务流水号 |
//! | 提现退回, 退票, or any income line carrying a 提现 line's 业务流水号 | `withdrawal_return` | `payout_id` = 业务流水号 |
//! | …解冻… / …冻结… | `unfreeze` / `freeze` | |
//! | anything else (转账, …) | `other` | |
//!
//! Every other non-empty column (账务流水号, 对方账号, 账户余额, 交易渠道, the appended
//! columns, and ids a type does not map) goes into `extra` under its header name.
//!
//! A row with a bad time or amount, both an income and an expense, or the wrong number of
//! cells is quarantined. The footer's 支出合计 and 收入合计 (count and amount) are checked
//! against the records; a disagreement is a warning on the footer line, never a failure.

mod bill;
mod columns;
mod entry;
mod totals;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::HashSet;

use qrecon_adapter_sdk::{Adapter, Emitter, FieldError, FileError, Input, text};

use crate::columns::{Col, Columns};
use crate::entry::WITHDRAWAL;
use crate::totals::Totals;

/// The first line of every 账务明细 file.
const TITLE: &str = "#支付宝账务明细查询";

/// The sniff score for a file that is recognisably a 账务明细.
const SURE: u8 = 98;

/// What the header looks like, for errors.
const EXPECTED_HEADER: &str =
    "the 账务明细 header naming 发生时间, 收入金额（+元）, 支出金额（-元） and 业务类型";

/// The Alipay merchant account-log adapter.
#[derive(Debug, Default)]
pub struct AccountLog;

impl Adapter for AccountLog {
    fn sniff(&self, _file_name: &str, head: &[u8]) -> u8 {
        let head = text::decode_head(head);
        let first = text::lines(&head)
            .map(|(_, l)| l)
            .find(|l| !bill::is_blank(l));
        let titled = first.is_some_and(|l| bill::content(l) == TITLE);
        let has_header = text::lines(&head)
            .any(|(_, l)| columns::starts_like_header(l) || columns::is_header(l));
        if titled || has_header { SURE } else { 0 }
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        let text = input.text();
        let lines: Vec<(u64, &str)> = text::lines(&text).collect();
        let at = bill::find_header(&lines, columns::is_header, EXPECTED_HEADER)?;
        let (header_no, header) = lines[at];
        let columns = Columns::from_header(header_no, header)?;
        let account = bill::preamble(&lines[..at], out);
        out.skip(header_no, "header");
        let body: Vec<BodyLine<'_>> = lines[at + 1..]
            .iter()
            .map(|&(no, raw)| BodyLine::read(&columns, no, raw))
            .collect();
        let withdrawals = withdrawal_ids(&columns, &body);
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
                    out.row(l.no, l.raw, Err(e.clone()));
                }
                LineKind::Data(Ok(cells)) => {
                    let row = columns.row(cells);
                    emit(
                        entry::read(&row, l.no, account, &withdrawals),
                        (l.no, l.raw),
                        &mut totals,
                        out,
                    );
                }
            }
        }
        let last_line = lines.last().map_or(header_no, |&(no, _)| no);
        totals.check(&footers, last_line, out);
        Ok(())
    }
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
    out: &mut Emitter,
) {
    match entry {
        Ok(entry) => {
            let before = out.records();
            out.record(&entry.record, raw);
            if out.records() > before {
                totals.add(entry.direction, entry.record.amount);
            } else {
                totals.quarantined();
            }
        }
        Err(e) => {
            totals.quarantined();
            out.row(no, raw, Err(e));
        }
    }
}

qrecon_adapter_sdk::export_adapter! {
    adapter: AccountLog,
    name: "alipay-account",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "fund",
    formats: "Alipay merchant account log (账务明细)",
    description: "Alipay merchant account log (bill_type=signcustomer, 账务明细): settled income, service fees, refunds, withdrawals and their returns, GBK or UTF-8",
}
