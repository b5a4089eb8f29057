//! One data row: a payment (收/支 支出), a refund, a row that is not a payment (income,
//! neutral), or one that cannot be read.

use qrecon_adapter_sdk::{Decimal, FieldError, NaiveDateTime, text};
use qrecon_payer_bill::entry::{Entry, Payment, Refund};
use qrecon_payer_bill::row;

use crate::columns::{Columns, DIRECTION, TIME};

/// One row's cells read through the header.
type Row<'r> = row::Row<'r, String>;

fn row<'r>(columns: &'r Columns, cells: &'r [String]) -> Row<'r> {
    Row::new(columns.header.names(), cells)
}

fn amount(c: &Columns, row: &Row<'_>) -> Result<Decimal, FieldError> {
    row.unsigned_amount(c.amount)
}

fn time(c: &Columns, row: &Row<'_>) -> Result<NaiveDateTime, FieldError> {
    Ok(text::parse_datetime(TIME, row.cell(c.time))?.0)
}

/// Whether the row is a refund: 交易类型 `…-退款` or `退款`, or 当前状态 `已退款…` /
/// `已全额退款` on a row that is not a payment.
fn is_refund(c: &Columns, row: &Row<'_>) -> bool {
    let kind = row.cell(c.kind);
    let status = row.get(c.status).unwrap_or("");
    kind.ends_with("-退款")
        || kind == "退款"
        || status.starts_with("已退款")
        || status == "已全额退款"
}

/// The details a skip reason names: 交易类型 and 当前状态.
fn details(c: &Columns, row: &Row<'_>) -> String {
    row::details([row.get(Some(c.kind)), row.get(c.status)])
}

/// The 交易类型 of a row (for the unknown-type check).
pub(crate) fn kind_of<'c>(columns: &Columns, cells: &'c [String]) -> &'c str {
    cells.get(columns.kind).map_or("", |c| text::clean(c))
}

/// The 收/支 of a row and its amount when readable (for the totals).
pub(crate) fn tally<'c>(columns: &Columns, cells: &'c [String]) -> (&'c str, Option<Decimal>) {
    (
        cells.get(columns.direction).map_or("", |c| text::clean(c)),
        amount(columns, &row(columns, cells)).ok(),
    )
}

/// Reads the data row at line `line` (`cells` one per header column).
pub(crate) fn read(columns: &Columns, line: u64, raw: &str, cells: &[String]) -> Entry {
    let row = row(columns, cells);
    let direction = row.cell(columns.direction);
    let read = match direction {
        "支出" => payment(columns, &row, line, raw).map(|p| Entry::Payment(Box::new(p))),
        _ if is_refund(columns, &row) => refund(columns, &row, line).map(Entry::Refund),
        "收入" => Ok(Entry::skipped(
            line,
            format!(
                "income (收/支 收入{}): money the bill's owner received, not a payment",
                details(columns, &row)
            ),
        )),
        "/" | "不计收支" | "其他" => Ok(Entry::skipped(
            line,
            format!(
                "neutral (收/支 {direction}{}): no money paid to a payee (own transfers, top-ups, withdrawals, 理财通 and 零钱通 moves)",
                details(columns, &row)
            ),
        )),
        other => Err(FieldError::new(DIRECTION, "支出, 收入 or /", other)),
    };
    read.unwrap_or_else(|e| Entry::quarantined(line, e, raw))
}

fn payment(c: &Columns, row: &Row<'_>, line: u64, raw: &str) -> Result<Payment, FieldError> {
    let amount = amount(c, row)?;
    let time = time(c, row)?;
    let mapped = [
        Some(c.time),
        Some(c.direction),
        Some(c.amount),
        c.counterparty,
        c.memo,
        c.status,
        c.txn_id,
        c.order_id,
    ];
    Ok(Payment {
        line,
        raw: raw.to_owned(),
        txn_id: row.id(c.txn_id),
        order_id: row.id(c.order_id),
        time,
        amount,
        status_raw: row.owned(c.status),
        printed_refund: None,
        payee_name: row.owned(c.counterparty),
        payee_account: None,
        memo: row.owned(c.memo),
        extra: row.extra(&mapped),
        refunds: Vec::new(),
    })
}

/// A refund: its own numbers, and its time and counterparty for linking by evidence.
fn refund(c: &Columns, row: &Row<'_>, line: u64) -> Result<Refund, FieldError> {
    Ok(Refund {
        line,
        txn_id: row.id(c.txn_id),
        order_id: row.id(c.order_id),
        amount: amount(c, row)?,
        time: Some(time(c, row)?),
        counterparty: row.owned(c.counterparty),
        outcome: String::new(),
    })
}
