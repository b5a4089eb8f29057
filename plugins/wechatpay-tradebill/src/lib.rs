//! WeChat Pay merchant trade bill (交易账单) adapter for qrecon.
//!
//! Reads the bill as `/pay/downloadbill` (v2) and `/v3/bill/tradebill` return it, and as the
//! merchant platform downloads it: the ALL (27 columns), SUCCESS (20) and REFUND (29) layouts
//! and the legacy 24-column layout, dispatched on the header, not on the bill type. Every
//! value carries one leading backtick; the last two lines are a summary header and a summary
//! row, which serve as control totals (a disagreement is a warning, not an error).
//!
//! Records: one `txn` per detail row — `payment` (交易状态 `SUCCESS`, or `REVOKED` with status
//! revoked) with the settlement amount (应结订单金额, legacy 总金额) and its fee, or `refund`
//! (交易状态 `REFUND`) with the negative refund amount, the refund ids and the returned fee.

mod columns;
#[cfg(test)]
mod props;
mod summary;
#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::text::{self, clean, non_empty};
use qrecon_adapter_sdk::{
    Adapter, Decimal, Emitter, FieldError, FileError, Input, Kind, Record, Status,
};

use columns::{Col, Columns};
use summary::Totals;

const PROVIDER: &str = "wechatpay";
const HEADER_START: &str = "交易时间,公众账号ID,商户号";
const SUMMARY_START: &str = "总交易单数";

/// The WeChat Pay trade-bill adapter.
#[derive(Default)]
pub struct TradeBill;

qrecon_adapter_sdk::export_adapter! {
    adapter: TradeBill,
    name: "wechatpay-tradebill",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "txn",
    formats: "WeChat Pay trade bill (交易账单: ALL, SUCCESS, REFUND, legacy 24-column)",
    description: "WeChat Pay merchant trade bill, v2 downloadbill / v3 tradebill / merchant platform download",
}

impl Adapter for TradeBill {
    fn sniff(&self, _file_name: &str, head: &[u8]) -> u8 {
        let is_header = |line: &str| line.starts_with(HEADER_START) && line.contains("微信订单号");
        if text::first_line_matches(head, is_header) {
            98
        } else {
            0
        }
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        let text = input.text();
        let mut lines = text::lines(&text);
        let columns = loop {
            let Some((n, line)) = lines.next() else {
                return Err(FileError::new(format!(
                    "no trade-bill header found (expected a line starting with {HEADER_START:?})"
                )));
            };
            if clean(line).is_empty() {
                out.skip(n, "blank line");
            } else if line.starts_with(HEADER_START) {
                out.skip(n, "header");
                break Columns::from_header(n, line)?;
            } else {
                return Err(FileError::at(
                    n,
                    format!(
                        "expected the trade-bill header starting with {HEADER_START:?}, found {line:?}"
                    ),
                ));
            }
        };
        let mut totals = Totals::default();
        while let Some((n, line)) = lines.next() {
            if clean(line).is_empty() {
                out.skip(n, "blank line");
            } else if line.starts_with(SUMMARY_START) {
                out.skip(n, "summary header");
                summary::check(line, lines.next(), &totals, out);
            } else {
                let row = parse_row(&columns, n, line);
                if let Ok(record) = &row {
                    totals.add(record);
                }
                out.row(n, line, row);
            }
        }
        Ok(())
    }
}

/// Splits a detail or summary row: every value starts with a backtick, so the row is split
/// at `,` + backtick, which keeps commas inside 商品名称 or 商户数据包 where they belong.
pub(crate) fn split_values(line: &str) -> Result<Vec<&str>, FieldError> {
    let body = line
        .strip_prefix('`')
        .ok_or_else(|| FieldError::row("a bill value must start with a backtick (`)"))?;
    // Eight bytes at a time for the two-byte separator (a substring search per value costs
    // far more on 27 values); `,` and the backtick are ASCII, so every cut is a character
    // boundary, and the separator cannot overlap itself.
    let mut values = Vec::with_capacity(32);
    let mut start = 0;
    text::each_pair(body.as_bytes(), b',', b'`', |i| {
        values.push(body.get(start..i).unwrap_or_default());
        start = i + 2;
    });
    values.push(body.get(start..).unwrap_or_default());
    Ok(values)
}

fn parse_row<'a>(
    columns: &'a Columns,
    line_no: u64,
    line: &'a str,
) -> Result<Record<'a>, FieldError> {
    let values = split_values(line)?;
    let cells = columns.cells(values)?;
    let state = cells.required(Col::State)?;
    let mut record = Record::new(line_no, Kind::Txn, "payment", PROVIDER);
    record.account = cells.account();
    record.payee_id = record.account;
    record.txn_id = Some(cells.required(Col::TxnId)?);
    record.order_id = cells.get(Col::OrderId);
    record.payer = cells.get(Col::Payer);
    record.currency = cells.get(Col::Currency).unwrap_or("CNY");
    record.status_raw = Some(state);
    record.memo = cells.get(Col::Item);
    record.fee = cells.amount(Col::Fee)?;
    record.time = Some(cells.time(Col::Time)?);
    match state {
        "SUCCESS" => payment(&cells, &mut record, Status::Success)?,
        "REVOKED" => payment(&cells, &mut record, Status::Revoked)?,
        "REFUND" => refund(&cells, &mut record)?,
        other => {
            return Err(FieldError::new(
                "交易状态",
                "SUCCESS, REFUND or REVOKED",
                other,
            ));
        }
    }
    record.extra = cells.extra();
    Ok(record)
}

fn payment<'a>(
    cells: &columns::Cells<'a>,
    record: &mut Record<'a>,
    status: Status,
) -> Result<(), FieldError> {
    record.status = status;
    record.amount = cells.settlement_amount()?;
    Ok(())
}

fn refund<'a>(cells: &columns::Cells<'a>, record: &mut Record<'a>) -> Result<(), FieldError> {
    record.record_type = "refund";
    let amount = cells.amount(Col::RefundAmount)?.unwrap_or(Decimal::ZERO);
    record.amount = -amount;
    record.refund_id = cells.get(Col::RefundId);
    let refund_state = cells.get(Col::RefundState);
    record.status = match refund_state {
        Some("SUCCESS") => Status::Success,
        Some("PROCESSING") => Status::Pending,
        Some(_) => Status::Failed,
        None => Status::Unknown,
    };
    if let Some(state) = refund_state {
        record.status_raw = Some(state);
    }
    if let Some(t) = cells
        .parse_time(Col::RefundSucceeded)?
        .or(cells.parse_time(Col::RefundApplied)?)
    {
        record.time = Some(t);
    }
    if non_empty(cells.get(Col::RefundId).unwrap_or_default()).is_none() {
        return Err(FieldError::new(
            "微信退款单号",
            "a refund id on a REFUND row",
            "",
        ));
    }
    Ok(())
}
