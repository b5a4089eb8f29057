//! # Alipay merchant trade bill adapter (业务明细)
//!
//! Reads the detail file of the Alipay merchant trade bill (`bill_type=trade`, the
//! `…_业务明细.csv` inside the zip that `alipay.data.dataservice.bill.downloadurl.query`
//! points to, or the same file downloaded from the merchant platform). Real downloads are GBK;
//! UTF-8 is read too, and lines may end in `\r\n` or `\n`.
//!
//! ## Layout
//! ```text
//! #支付宝业务明细查询
//! #账号：[20880211096256330156]                       ← the PID + "0156"
//! #起始日期：[…]   终止日期：[…]
//! #-----…业务明细列表…-----
//! 支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,…,商家实收（元）,…,服务费（元）,分润（元）,备注
//! <rows>
//! #-----…业务明细列表结束…-----
//! #交易合计：N笔，商家实收共X元，商家优惠共0.00元
//! #退款合计：N笔，商家实收退款共-Y元，商家优惠退款共0.00元
//! #导出时间：[…]
//! ```
//! Every `#` line is preamble (before the header) or footer (after it). Cells may carry a
//! trailing TAB and padding, and a row may end in a `,`. Columns are found by name.
//!
//! ## Mapping
//! Each row becomes one `txn` record of provider `alipay`, status success, with
//! `account` = `payee_id` = the PID (the `#账号：` value without its `0156`):
//!
//! | 业务类型 | type | amount | fee | ids |
//! |---|---|---|---|---|
//! | 交易 | `payment` | 商家实收（元）, ≥ 0 | −服务费（元） (`-0.07` → 0.07) | `txn_id` = 支付宝交易号, `order_id` = 商户订单号 |
//! | 退款 | `refund` | 商家实收（元）, ≤ 0 as printed | −服务费（元） (`0.03` returned → −0.03) | the payment's `txn_id` and `order_id`, `refund_id` = 退款批次号/请求号 |
//!
//! time = 完成时间 (naive Beijing time), payer = 对方账户, memo = 商品名称,
//! `status_raw` = 业务类型. Every other non-empty column (创建时间, 门店…, 订单金额, 备注, …)
//! goes into `extra` under its header name, except the `0.00` placeholders.
//!
//! A row with another 业务类型, an empty 支付宝交易号, a bad time or amount, a 商家实收 of the
//! wrong sign or the wrong number of cells is quarantined. The footer's 交易合计 and 退款合计
//! (count and 商家实收) are checked against the records; a disagreement is a warning on the
//! footer line, never a failure.

mod bill;
mod columns;
mod row;
mod totals;

#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::{Adapter, Emitter, FileError, Input, text};

use crate::columns::Columns;
use crate::totals::Totals;

/// The first line of every 业务明细 file.
const TITLE: &str = "#支付宝业务明细查询";

/// The sniff score for a file that is recognisably a 业务明细.
const SURE: u8 = 98;

/// What the header looks like, for errors.
const EXPECTED_HEADER: &str = "the 业务明细 header 支付宝交易号,商户订单号,业务类型,…";

/// The Alipay merchant trade-bill adapter.
#[derive(Debug, Default)]
pub struct TradeBill;

impl Adapter for TradeBill {
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
        let mut totals = Totals::default();
        let mut footers = Vec::new();
        for &(no, raw) in &lines[at + 1..] {
            if bill::is_blank(raw) {
                out.skip(no, bill::BLANK);
            } else if bill::is_comment(raw) {
                out.skip(no, "footer");
                footers.push((no, raw));
            } else {
                row::emit(&columns, account, (no, raw), &mut totals, out);
            }
        }
        let last_line = lines.last().map_or(header_no, |&(no, _)| no);
        totals.check(&footers, last_line, out);
        Ok(())
    }
}

qrecon_adapter_sdk::export_adapter! {
    adapter: TradeBill,
    name: "alipay-trade",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "txn",
    formats: "Alipay merchant trade bill (业务明细)",
    description: "Alipay merchant trade bill (bill_type=trade, 业务明细): payments and refunds with their service fees, GBK or UTF-8",
}
