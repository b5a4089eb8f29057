//! # WeChat Pay fund-flow bill adapter (资金账单)
//!
//! Reads the merchant fund-flow bill WeChat Pay serves from `/v3/bill/fundflowbill` (and the
//! merchant platform's download): one header line
//! `记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号`,
//! detail rows whose every value starts with one backtick, then a summary header
//! `资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额` and one summary row. UTF-8 or GBK,
//! `\r\n` or `\n`; columns are found by name.
//!
//! Every detail row becomes a `fund` record of provider `wechatpay` (the file names no
//! 商户号, so `account` stays empty), signed by 收支类型, typed by 业务类型:
//!
//! | 业务类型 | type | ids |
//! |---|---|---|
//! | 交易 | `income` | `txn_id` = 微信支付业务单号, `order_id` = 业务凭证号 |
//! | 退款 | `refund` | `refund_id` = 微信支付业务单号, `extra.out_refund_no` = 业务凭证号 |
//! | 提现 | `withdrawal` | `payout_id` = 业务凭证号 |
//! | 退票, or any income line carrying a 提现 line's id | `withdrawal_return` | `payout_id` = 业务凭证号 |
//! | …手续费…, …服务费… | `fee` | |
//! | …解冻… / …冻结… | `unfreeze` / `freeze` | |
//! | anything else | `other` (raw text in `status_raw`) | |
//!
//! The fee that 备注 states (`含手续费0.06元`) goes to `fee`. The summary row is checked
//! against the records; a disagreement is a warning on the summary line, never a failure.

mod body;
mod entry;
mod header;
mod totals;
mod trailer;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::{Adapter, Emitter, FileError, Input, text};

use crate::body::{BLANK, Body};
use crate::header::{Header, REQUIRED};

/// The WeChat Pay fund-flow bill adapter.
#[derive(Debug, Default)]
pub struct FundFlow;

impl Adapter for FundFlow {
    fn sniff(&self, _file_name: &str, head: &[u8]) -> u8 {
        if text::first_line_matches(head, header::is_header) {
            95
        } else {
            0
        }
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        let text = input.text();
        let lines: Vec<(u64, &str)> = text::lines(&text).collect();
        let start = find_header(&lines)?;
        let (header_line, header_raw) = lines[start];
        let header = Header::read(header_line, header_raw)?;
        header.require(&REQUIRED)?;
        let end = lines[start + 1..]
            .iter()
            .position(|(_, l)| totals::is_summary_header(l))
            .map_or(lines.len(), |i| start + 1 + i);
        for &(line, _) in &lines[..start] {
            out.skip(line, BLANK);
        }
        out.skip(header.line(), "header");
        let totals = Body::split(&lines[start + 1..end]).emit(&header, out);
        let last_line = lines.last().map_or(header_line, |&(line, _)| line);
        trailer::emit(&lines[end..], &totals, last_line, out);
        Ok(())
    }
}

/// Where the header is: the first non-blank line must be it.
fn find_header(lines: &[(u64, &str)]) -> Result<usize, FileError> {
    let expected = "the fund-flow header 记账时间,微信支付业务单号,资金流水单号,…";
    match lines.iter().position(|(_, l)| !text::clean(l).is_empty()) {
        Some(i) if header::is_header(lines[i].1) => Ok(i),
        Some(i) => Err(FileError::at(
            lines[i].0,
            format!("expected {expected}, found {:?}", lines[i].1),
        )),
        None => Err(FileError::new(format!(
            "the file is empty; expected {expected}"
        ))),
    }
}

qrecon_adapter_sdk::export_adapter! {
    adapter: FundFlow,
    name: "wechatpay-fundflow",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "fund",
    formats: "WeChat Pay fund-flow bill (资金账单)",
    description: "WeChat Pay merchant fund-flow bill (资金账单, /v3/bill/fundflowbill): settled income, refunds, fees, withdrawals and their returns",
}
