//! One data row: a payment (收/支 支出), a refund, a row that is not a payment (income,
//! neutral), or one that cannot be read.

use std::borrow::Cow;

use qrecon_adapter_sdk::{Decimal, FieldError, NaiveDateTime, text};
use qrecon_payer_bill::entry::{Entry, Payment, Refund};
use qrecon_payer_bill::row;

use crate::columns::{Columns, DIRECTION};

/// One row's cells read through the header.
type Row<'r> = row::Row<'r, Cow<'r, str>>;

fn row<'r>(columns: &'r Columns, cells: &'r [Cow<'r, str>]) -> Row<'r> {
    Row::new(columns.header.names(), cells)
}

/// The unsigned amount (the sign is in 收/支).
fn amount(c: &Columns, row: &Row<'_>) -> Result<Decimal, FieldError> {
    row.unsigned_amount(c.amount)
}

/// The row's time and the column it came from: 交易时间, else 付款时间 when filled, else
/// 交易创建时间.
fn time(c: &Columns, row: &Row<'_>) -> Result<(NaiveDateTime, usize), FieldError> {
    let column = c
        .time
        .or_else(|| c.paid_at.filter(|_| row.get(c.paid_at).is_some()))
        .or(c.created_at)
        .ok_or_else(|| FieldError::row("the header names no time column"))?;
    let (time, _) = text::parse_datetime(row.name(column), row.cell(column))?;
    Ok((time, column))
}

/// Whether the row is a refund: 交易分类 `退款`, 交易状态 `退款成功`, or a memo `退款-…`.
fn is_refund(c: &Columns, row: &Row<'_>) -> bool {
    row.get(c.category) == Some("退款")
        || row.get(c.status).is_some_and(|s| s.starts_with("退款"))
        || row.get(c.memo).is_some_and(|m| m.starts_with("退款-"))
}

/// The details a skip reason names: 交易分类 (or 类型) and 交易状态.
fn details(c: &Columns, row: &Row<'_>) -> String {
    row::details([row.get(c.category), row.get(c.status)])
}

/// Reads the data row at line `line` (`cells` split through the header).
pub(crate) fn read(columns: &Columns, line: u64, raw: &str, cells: &[Cow<'_, str>]) -> Entry {
    let row = row(columns, cells);
    let direction = row.cell(columns.direction);
    let read = match direction {
        "支出" => payment(columns, &row, line, raw).map(|p| Entry::Payment(Box::new(p))),
        _ if is_refund(columns, &row) => refund(columns, &row, line).map(Entry::Refund),
        "收入" => Ok(Entry::skipped(line, income_reason(columns, &row))),
        "不计收支" | "其他" | "" | "/" => Ok(Entry::skipped(
            line,
            neutral_reason(columns, &row, direction),
        )),
        other => Err(FieldError::new(
            DIRECTION,
            "支出, 收入, 不计收支 or 其他",
            other,
        )),
    };
    read.unwrap_or_else(|e| Entry::quarantined(line, e, raw))
}

fn income_reason(c: &Columns, row: &Row<'_>) -> String {
    format!(
        "income (收/支 收入{}): money the bill's owner received, not a payment",
        details(c, row)
    )
}

fn neutral_reason(c: &Columns, row: &Row<'_>, direction: &str) -> String {
    let direction = if direction.is_empty() {
        "empty"
    } else {
        direction
    };
    format!(
        "neutral (收/支 {direction}{}): no money paid to a payee (own transfers, 余额宝 and fund moves, closed orders)",
        details(c, row)
    )
}

fn payment(c: &Columns, row: &Row<'_>, line: u64, raw: &str) -> Result<Payment, FieldError> {
    let amount = amount(c, row)?;
    let (time, time_column) = time(c, row)?;
    let mapped = [
        Some(c.direction),
        Some(c.amount),
        Some(time_column),
        c.txn_id,
        c.order_id,
        c.counterparty,
        c.counterparty_account,
        c.memo,
        c.status,
    ];
    Ok(Payment {
        line,
        raw: raw.to_owned(),
        txn_id: row.id(c.txn_id),
        order_id: row.id(c.order_id),
        time,
        amount,
        status_raw: row.owned(c.status),
        printed_refund: row
            .get(c.refunded)
            .and_then(|v| text::parse_amount("", v).ok())
            .filter(|d| *d > Decimal::ZERO),
        payee_name: row.owned(c.counterparty),
        payee_account: row.owned(c.counterparty_account),
        memo: row.owned(c.memo),
        extra: row.extra(&mapped),
        refunds: Vec::new(),
    })
}

/// A refund: its own 交易订单号 (`<payment's>_<suffix>`), 商家订单号 and amount.
fn refund(c: &Columns, row: &Row<'_>, line: u64) -> Result<Refund, FieldError> {
    Ok(Refund {
        line,
        txn_id: row.id(c.txn_id),
        order_id: row.id(c.order_id),
        amount: amount(c, row)?,
        time: None,
        counterparty: None,
        outcome: String::new(),
    })
}

/// The 收/支 and 资金状态 of an aligned row, and its amount when readable (for the totals).
pub(crate) fn tally<'r>(
    columns: &'r Columns,
    cells: &'r [Cow<'r, str>],
) -> (&'r str, Option<&'r str>, Option<Decimal>) {
    let row = row(columns, cells);
    (
        row.cell(columns.direction),
        row.get(columns.fund_status),
        amount(columns, &row).ok(),
    )
}
