//! # ICBC statement CSV adapter
//!
//! Reads the CSV that ICBC (中国工商银行) online banking produces for 明细查询文件下载. It
//! covers debit accounts (v1 layout, and v2, which adds 交易详情 and 对方账户) and credit
//! cards (with 记账日期). The files are UTF-8 or GBK.
//!
//! ## Layout
//! A preamble (the title `明细查询文件下载`, `卡号: 1234****5678,"卡别名: …"`, 子账户 lines and
//! blank lines) comes first, then the header, then the rows. After the rows come a line holding
//! one space and the footer totals (`合计金额,…` on credit cards, `人民币合计,…` on debit
//! accounts). Cells may be quoted or bare. They are padded with spaces and end in a TAB, and
//! every row ends with `,`. Amounts use thousands separators. The header is found by its
//! content, and columns are mapped by name.
//!
//! ## Mapping
//! Each row becomes one [`Kind::Bank`](qrecon_adapter_sdk::Kind::Bank) record from provider
//! `bank`, with status success:
//! - amount = 记账金额(收入) − 记账金额(支出). When both 记账 cells are empty, the 交易金额
//!   pair is used. record type `credit` is money in and `debit` is money out. The currency
//!   comes from the pair's 币种 column, where 人民币 becomes `CNY`;
//! - value date = 交易日期 (debit) or 记账日期 (credit card, which keeps 交易日期 in `extra`);
//! - account = the preamble's 卡号; counterparty = 对方户名, or else 交易场所;
//!   memo = 摘要 followed by 交易详情;
//! - every other non-empty column goes into `extra` under its header name. This includes 余额,
//!   which is kept as raw text because samples anonymise it as `xx,yyyy.zz`.
//!
//! A row with the wrong number of cells, a bad date or a bad amount is quarantined. The footer
//! totals are checked against the parsed rows, and any mismatch becomes a warning.

mod columns;
mod row;
mod totals;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::{Adapter, Emitter, FileError, Input, text};

use crate::columns::Columns;
use crate::totals::Totals;

/// The first line of every ICBC statement download.
const TITLE: &str = "明细查询文件下载";

/// The sniff score for a file that is recognisably an ICBC statement.
const SURE: u8 = 95;

/// The ICBC statement CSV adapter.
#[derive(Default)]
pub struct IcbcCsv;

impl Adapter for IcbcCsv {
    fn sniff(&self, _file_name: &str, head: &[u8]) -> u8 {
        let head = text::decode_head(head);
        if head.trim_start().starts_with(TITLE) || head.lines().any(columns::is_header) {
            SURE
        } else {
            0
        }
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        let text = input.text();
        let lines: Vec<(u64, &str)> = text::lines(&text).collect();
        let Some(at) = lines.iter().position(|&(_, line)| columns::is_header(line)) else {
            return Err(FileError::new(
                "no ICBC statement header found: expected a line naming 交易日期 and \
                 记账金额(收入) or 交易金额(收入)",
            ));
        };
        let (header_no, header) = lines[at];
        let columns = Columns::from_header(header).map_err(|m| FileError::at(header_no, m))?;
        let account = preamble(&lines[..at], out);
        out.skip(header_no, "header");
        let mut totals = Totals::default();
        for &(no, raw) in &lines[at + 1..] {
            body_line(&columns, account, (no, raw), &mut totals, out);
        }
        Ok(())
    }
}

/// Skips the lines before the header and returns the card or account number they name.
fn preamble<'t>(lines: &[(u64, &'t str)], out: &mut Emitter) -> Option<&'t str> {
    let mut account = None;
    for &(no, line) in lines {
        if text::clean(line).is_empty() {
            out.skip(no, "blank line");
        } else {
            account = account.or_else(|| account_of(line));
            out.skip(no, "preamble");
        }
    }
    account
}

/// The number in a preamble line such as `卡号: 1234****5678,"卡别名: "`.
fn account_of(line: &str) -> Option<&str> {
    let first = text::clean(line.split(',').next()?).trim_matches('"');
    let rest = first
        .strip_prefix("卡号")
        .or_else(|| first.strip_prefix("账号"))?;
    text::non_empty(rest.trim_start_matches([':', '：']))
}

/// Reports one line after the header: blank, separator, footer totals, or a data row.
fn body_line(
    columns: &Columns,
    account: Option<&str>,
    (no, raw): (u64, &str),
    totals: &mut Totals,
    out: &mut Emitter,
) {
    if raw.is_empty() {
        out.skip(no, "blank line");
    } else if text::clean(raw).is_empty() {
        out.skip(no, "separator line before the footer totals");
    } else if let Some(label) = totals::footer_label(raw) {
        out.skip(no, "footer totals");
        totals.check_footer(columns, label, (no, raw), out);
    } else {
        row::emit(columns, account, (no, raw), totals, out);
    }
}

qrecon_adapter_sdk::export_adapter! {
    adapter: IcbcCsv,
    name: "icbc-csv",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "bank",
    formats: "ICBC statement CSV (debit v1/v2, credit card)",
    description: "ICBC (工商银行) online-banking statement download (明细查询文件下载): debit v1/v2 and credit card, UTF-8 or GBK",
}
