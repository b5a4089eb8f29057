//! One data row → one bank record.

use std::borrow::Cow;

use qrecon_adapter_sdk::{Decimal, Emitter, FieldError, Kind, NaiveDate, Record, Status, text};

use crate::columns::{self, Columns, Pair, cell};
use crate::totals::Totals;

/// A parsed row: the record, and the income and expense it was built from (for the totals).
struct Row<'r> {
    record: Record<'r>,
    income: Decimal,
    expense: Decimal,
}

/// Parses the data row `raw` at line `no` and reports it as a record or quarantined.
pub(crate) fn emit(
    columns: &Columns,
    account: Option<&str>,
    (no, raw): (u64, &str),
    totals: &mut Totals,
    out: &mut Emitter,
) {
    let cells = match columns.cells(raw) {
        Ok(cells) => cells,
        Err(e) => {
            totals.quarantined();
            out.row(no, raw, Err(e));
            return;
        }
    };
    let memo = memo(columns, &cells);
    match build(columns, &cells, no, account, memo.as_deref()) {
        Ok(row) => {
            totals.add(row.record.currency, row.income, row.expense);
            out.row(no, raw, Ok(row.record));
        }
        Err(e) => {
            totals.quarantined();
            out.row(no, raw, Err(e));
        }
    }
}

/// 摘要, then 交易详情 when present, joined with a space.
fn memo<'r>(columns: &Columns, cells: &'r [Cow<'r, str>]) -> Option<Cow<'r, str>> {
    let value = |i: Option<usize>| i.and_then(|i| text::non_empty(cell(cells, i)));
    match (value(columns.summary), value(columns.detail)) {
        (Some(summary), Some(detail)) => Some(Cow::Owned(format!("{summary} {detail}"))),
        (one, other) => one.or(other).map(Cow::Borrowed),
    }
}

fn build<'r>(
    columns: &'r Columns,
    cells: &'r [Cow<'r, str>],
    line: u64,
    account: Option<&'r str>,
    memo: Option<&'r str>,
) -> Result<Row<'r>, FieldError> {
    let value_date = dates(columns, cells)?;
    let pair = columns.pair_for(cells)?;
    let income = columns.amount(cells, pair.income)?;
    let expense = columns.amount(cells, pair.expense)?;
    let amount = income
        .checked_sub(expense)
        .ok_or_else(|| FieldError::row("income − expense is out of range"))?;
    let money_out = amount < Decimal::ZERO || (amount.is_zero() && income.is_zero());
    let record_type = if money_out { "debit" } else { "credit" };
    let mut record = Record::new(line, Kind::Bank, record_type, "bank");
    record.account = account;
    record.value_date = Some(value_date);
    record.amount = amount;
    record.currency = currency(cells, pair);
    record.status = Status::Success;
    record.memo = memo;
    let payee = columns.payee.and_then(|i| text::non_empty(cell(cells, i)));
    record.counterparty =
        payee.or_else(|| columns.place.and_then(|i| text::non_empty(cell(cells, i))));
    record.extra = extra(columns, cells, pair, payee.is_some());
    Ok(Row {
        record,
        income,
        expense,
    })
}

/// The value date: 记账日期 on credit-card statements, else 交易日期. Both are checked.
fn dates(columns: &Columns, cells: &[Cow<'_, str>]) -> Result<NaiveDate, FieldError> {
    let traded = text::parse_date(columns::TRADE_DATE, cell(cells, columns.trade_date))?;
    match columns.book_date {
        Some(i) => text::parse_date(columns.name(i), cell(cells, i)),
        None => Ok(traded),
    }
}

fn currency<'r>(cells: &'r [Cow<'r, str>], pair: Pair) -> &'r str {
    match pair.currency.and_then(|i| text::non_empty(cell(cells, i))) {
        Some("人民币") | None => "CNY",
        Some(other) => other,
    }
}

/// Every non-empty column not mapped to a field of its own, under its header name.
fn extra<'r>(
    columns: &'r Columns,
    cells: &'r [Cow<'r, str>],
    pair: Pair,
    payee_used: bool,
) -> Vec<(&'r str, &'r str)> {
    let value_date = columns.book_date.unwrap_or(columns.trade_date);
    let mapped = [
        Some(value_date),
        Some(pair.income),
        Some(pair.expense),
        pair.currency,
        columns.summary,
        columns.detail,
        columns.payee.filter(|_| payee_used),
    ];
    columns
        .names
        .iter()
        .enumerate()
        .filter(|(i, _)| !mapped.contains(&Some(*i)))
        .filter_map(|(i, name)| text::non_empty(cell(cells, i)).map(|v| (name.as_str(), v)))
        .collect()
}
