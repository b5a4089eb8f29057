//! # WeChat personal bill adapter (微信支付账单)
//!
//! Reads the bill a payer exports from WeChat Pay (微信支付 → 账单 → 下载账单, delivered as a
//! password-protected zip) as evidence of what the payer says they paid: each payment row
//! becomes a `claim` record of type `payer_receipt`. Two file types:
//! - **CSV** (until 2025): UTF-8 with or without a BOM (GBK is read too), `\n` or `\r\n`;
//! - **XLSX** (since 2025): the first sheet holding the bill, read from the bytes in memory.
//!
//! ## Layout
//! A preamble of about 16 lines, each padded with commas to the table's width: the title
//! `微信支付账单明细`, `微信昵称：[…]`, the period, `导出类型`, `导出时间`, `共N笔记录`,
//! `收入：N笔 X元`, `支出：…`, `中性交易：…`, numbered notes (the 2026 layout adds
//! `4. 本账单中所有时间均为UTC+08:00时间`), and `-----微信支付账单明细列表-----`. Then the header —
//! row 17, or 18 since the added note; it is found by its content (交易时间, 交易类型, 收/支,
//! 金额(元), 当前状态) — `交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注`,
//! and the rows, without a footer. Columns are mapped by name; a column the format does not
//! have is kept in `extra` and warned about, and a missing 交易单号 or 当前状态 is warned about.
//!
//! CSV cells are bare or quoted, inconsistently (`"商户消费"` and `商户消费` in one file); ids
//! end in a TAB or spaces, also after a closing quote (`"3985734"\t,`). ASCII commas inside a
//! counterparty or product name are **not quoted** (`WALMART HONG KONG CO.,LIMITED`), which
//! gives a row too many cells: the extra cells are joined back into 交易对方, 商品 or 备注 when
//! the row then lines up (交易时间, 收/支 and the amount read, 交易单号 and 商户单号 look like
//! ids), preferring a join that does not
//! swallow a lone `/` (an empty cell of its own), then 交易对方; every such row is warned about,
//! saying where the cells went. A row that does not line up either way is quarantined.
//!
//! XLSX cells are typed. A number amount becomes an exact decimal through its shortest
//! round-trip text and must have at most 2 decimals, else the row is quarantined; a number in
//! 交易时间 is an Excel date serial, rounded to the second; an id stored as a number past 2^53
//! is quarantined (its digits are lost). A line is a sheet row (1-based); rows before the sheet's
//! first cell are blank lines. With several sheets, the one whose first row is the title wins,
//! else the first with the header; other sheets that hold the header too are warned about and
//! not read, and so are sheets that cannot be read.
//!
//! ## Which rows are claims
//! Only money the payer paid out is a claim: 收/支 `支出`. Other rows are skipped with a reason
//! saying what they are: `收入` (income), `/` (中性交易: top-ups, withdrawals, 理财通 and 零钱通
//! moves, credit-card repayments). Another 收/支 value is quarantined. An unknown 交易类型 is
//! warned about once and the row read by its 收/支.
//!
//! **Refunds** are the rows other than payments whose 交易类型 is `…-退款` or `退款`, or whose
//! 当前状态 is `已退款…` / `已全额退款`. Each is linked to its payment: by 交易单号, else by
//! 商户单号 when exactly one payment has it, else — WeChat gives a refund numbers of its own —
//! the one payment whose 当前状态 says it was refunded, paid to the same 交易对方 no later than
//! the refund, with enough left unrefunded. The payment's claim gets `extra` `refunded` (the
//! linked refunds' total) and `refund_lines` (their lines, `12,15`), and the refund row is
//! skipped as "refund of the payment at line N (recorded on its claim)". A refund with no such
//! payment is skipped as "refund of a payment not in this file: `<its 交易单号>`", one matching
//! several is not linked; both are warned about, as are refunds adding up to more than their
//! payment. A payment without linked refund rows whose 当前状态 states a refund gets `refunded`
//! from it (已全额退款: the whole amount; 已退款(￥x): x).
//!
//! ## Mapping of a payment row
//! - provider `wechatpay`, kind `claim`, type `payer_receipt`, currency `CNY`;
//! - `claim_id` = `wechat-personal:<交易单号>` (the contract's `<adapter>:<transaction
//!   number>`). A number already used by an earlier payment row of the file gets `#<line>`
//!   appended (and a warning); a row without one gets `wechat-personal:<file name>:<line>`;
//! - `txn_id` = 交易单号, `order_id` = 商户单号 (none when `/`), without padding, TABs and
//!   backticks;
//! - `time` = 交易时间, Beijing time as WeChat prints it: `utc_offset_secs` = 28800;
//! - `amount` = 金额(元) (`¥28.16`, `￥28.16`, or an XLSX number), positive; a negative one is
//!   quarantined, the direction being in 收/支;
//! - `status` from 当前状态, kept as `status_raw`: 支付成功, 已支付, 已转账, 对方已收钱,
//!   朋友已收钱, 已收钱, 已到账 … → success; 已退款(￥x) below the amount → success (partly
//!   refunded); 已全额退款, 已退款, 对方已退还 … → revoked; 等待…, 待…, …处理中, …未收… →
//!   pending; 支付失败, 已关闭 … → failed; anything else → unknown, with a warning;
//! - `payee_name` = 交易对方; `payer` = the 微信昵称 of the preamble; `memo` = 商品;
//! - every other non-empty column (交易类型, 支付方式, 备注, unknown columns) goes into `extra`
//!   under its header name.
//!
//! A row whose amount or time cannot be read is quarantined naming the field.
//!
//! ## Control totals
//! `共N笔记录` is checked against the data rows, and `收入`, `支出` and `中性交易` (`/`) against
//! the rows of that 收/支. A disagreement is a warning on the total's line.

mod bill;
mod columns;
mod frame;
mod link;
mod row;
mod status;
mod table;
mod workbook;

#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::{Adapter, Emitter, FileError, Input, text};
use qrecon_payer_bill::emit::{self, Context, Platform};

use crate::table::Table;

/// How the claims read: provider `wechatpay`, ids `wechat-personal:<交易单号>`, statuses from
/// 当前状态, which may also state a refund.
const PLATFORM: Platform = Platform {
    provider: "wechatpay",
    adapter: "wechat-personal",
    txn_id_column: "交易单号",
    status_column: "当前状态",
    status: status::of_payment,
    stated_refund: status::stated_by,
};

/// The sniff score for a recognisable WeChat bill.
const SURE: u8 = 95;
/// The local file header every zip (and so every XLSX) starts with.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The WeChat personal bill adapter.
#[derive(Debug, Default)]
pub struct WechatPersonal;

impl Adapter for WechatPersonal {
    fn sniff(&self, file_name: &str, head: &[u8]) -> u8 {
        if head.starts_with(ZIP_MAGIC) {
            return sniff_xlsx(file_name, head);
        }
        let head = text::decode_head(head);
        let lines: Vec<&str> = text::lines(&head).map(|(_, l)| l).collect();
        let first = lines.iter().copied().find(|l| !frame::is_blank(l));
        let titled = first.is_some_and(|l| frame::content(l) == frame::TITLE);
        let table = Table::csv(&head);
        if titled || table.header_at().is_some() {
            SURE
        } else {
            0
        }
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        let table = if input.bytes.starts_with(ZIP_MAGIC) {
            xlsx_table(input.bytes, out)?
        } else {
            Table::csv(&input.text())
        };
        let mut bill = bill::read(&table, out)?;
        link::link(&mut bill.entries, out);
        let file = qrecon_payer_bill::file_name(input.path);
        let ctx = Context {
            file: &file,
            payer: bill.payer.as_deref(),
            extra: None,
        };
        emit::emit(bill.entries, &PLATFORM, &ctx, out);
        Ok(())
    }
}

/// An XLSX head: the zip's first local file headers name the workbook's parts (`xl/…`,
/// `[Content_Types].xml`), and only the file name can tell a WeChat bill from another
/// workbook (its parts are compressed): it must name WeChat (`微信`, `wechat`, `weixin`), as
/// the exports' names do (`微信支付账单(20250101-20250331).xlsx`). A renamed one is read when
/// the adapter is pinned in the config.
fn sniff_xlsx(file_name: &str, head: &[u8]) -> u8 {
    let name = file_name.to_lowercase();
    let parts = contains(head, b"xl/") || contains(head, b"[Content_Types].xml");
    let wechat = ["微信", "wechat", "weixin"]
        .iter()
        .any(|w| name.contains(w));
    let xlsx = std::path::Path::new(&name)
        .extension()
        .is_some_and(|e| e == "xlsx");
    if xlsx && parts && wechat { SURE } else { 0 }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The sheet of a workbook that holds the bill, as lines; the other sheets are warned about.
fn xlsx_table(bytes: &[u8], out: &mut Emitter) -> Result<Table, FileError> {
    let (sheets, unreadable) = workbook::open(bytes)?;
    let tables: Vec<(String, Table)> = sheets
        .into_iter()
        .map(|s| (s.name, Table::xlsx(s.rows)))
        .collect();
    let has_header = |t: &Table| t.header_at().is_some();
    let titled = |t: &Table| {
        t.lines
            .first()
            .is_some_and(|(_, l)| frame::content(l) == frame::TITLE)
    };
    let chosen = tables
        .iter()
        .position(|(_, t)| has_header(t) && titled(t))
        .or_else(|| tables.iter().position(|(_, t)| has_header(t)));
    let Some(chosen) = chosen else {
        let names: Vec<&str> = tables.iter().map(|(n, _)| n.as_str()).collect();
        return Err(FileError::new(format!(
            "no sheet of the workbook holds a WeChat bill header (交易时间, 交易类型, 收/支, \
             金额(元), 当前状态); its sheets: {}",
            names.join(", ")
        )));
    };
    let mut tables = tables;
    let (name, table) = tables.remove(chosen);
    for (other, t) in &tables {
        if let Some(at) = t.header_at() {
            out.warn(
                1,
                &format!(
                    "sheet {other} holds a WeChat bill header too (row {}); only sheet {name} is read",
                    at + 1
                ),
            );
        }
    }
    for sheet in unreadable {
        out.warn(1, &format!("sheet {sheet} cannot be read; skipped"));
    }
    Ok(table)
}

qrecon_adapter_sdk::export_adapter! {
    adapter: WechatPersonal,
    name: "wechat-personal",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "claim",
    formats: "WeChat Pay personal bill (微信支付账单明细: CSV until 2025, XLSX since)",
    description: "A payer's own WeChat Pay bill (微信支付账单, CSV or XLSX): each payment (收/支 支出) becomes a payer_receipt claim, refunds recorded on their payment's claim",
}
