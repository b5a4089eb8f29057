//! One data row → one bank record.

use std::borrow::Cow;

use qrecon_adapter_sdk::{Decimal, FieldError, Kind, NaiveDate, NaiveDateTime, Record, Status};

use crate::layout::{Columns, Sign};
use crate::preamble::currency_code;
use crate::value::Value;

/// What every row of the statement shares.
pub(crate) struct Context<'c> {
    pub(crate) columns: &'c Columns,
    /// The preamble's account number.
    pub(crate) account: Option<&'c str>,
    /// The preamble's currency as printed, used when a row names none.
    pub(crate) currency: Option<&'c str>,
}

/// A row's cells and their texts (one per cell, computed once).
pub(crate) struct Cells<'r> {
    pub(crate) values: &'r [Value],
    pub(crate) texts: Vec<Cow<'r, str>>,
}

impl<'r> Cells<'r> {
    /// The cells of one row.
    pub(crate) fn new(values: &'r [Value]) -> Self {
        Self {
            texts: values.iter().map(Value::text).collect(),
            values,
        }
    }

    /// Cell `i` (empty when out of range).
    pub(crate) fn value(&self, i: usize) -> &Value {
        const EMPTY: &Value = &Value::Empty;
        self.values.get(i).unwrap_or(EMPTY)
    }

    /// The text of cell `i` unless it is blank or a placeholder.
    pub(crate) fn text(&self, i: usize) -> Option<&str> {
        let t = self.texts.get(i)?;
        qrecon_adapter_sdk::text::non_empty(t)
    }

    /// The row as one line of text: its cells' texts, TAB-separated, trailing empties dropped.
    pub(crate) fn raw(&self) -> String {
        let used = self
            .texts
            .iter()
            .rposition(|t| !t.is_empty())
            .map_or(0, |i| i + 1);
        self.texts.get(..used).unwrap_or_default().join("\t")
    }
}

/// A parsed row: its record, plus what the footer and balance checks need.
pub(crate) struct Row<'r> {
    pub(crate) record: Record<'r>,
    /// Money in (the income column, or a positive signed amount).
    pub(crate) income: Decimal,
    /// Money out (the expense column, or a negative signed amount made positive).
    pub(crate) expense: Decimal,
    /// The balance after the row, when it states a readable one.
    pub(crate) balance: Option<Decimal>,
}

/// The amounts of a row: in, out, the signed amount, and whether it moves money in.
struct Money {
    income: Decimal,
    expense: Decimal,
    amount: Decimal,
    credit: bool,
}

/// Builds the record of the data row at `line`; `memo` is computed by the caller because
/// it may join two cells.
pub(crate) fn build<'r>(
    ctx: &'r Context<'r>,
    line: u64,
    cells: &'r Cells<'r>,
    memo: Option<&'r str>,
) -> Result<Row<'r>, FieldError> {
    let columns = ctx.columns;
    let (value_date, time) = dates(columns, cells)?;
    let money = money(columns, cells)?;
    let record_type = if money.credit { "credit" } else { "debit" };
    let mut record = Record::new(line, Kind::Bank, record_type, "bank");
    record.value_date = Some(value_date);
    record.time = time;
    record.amount = money.amount;
    record.currency = currency(ctx, cells)?;
    record.status = Status::Success;
    record.memo = memo;
    let own_account = columns.account.and_then(|i| cells.text(i));
    record.account = own_account.or(ctx.account);
    let named = columns.counterparty.and_then(|i| cells.text(i));
    record.counterparty = named.or_else(|| columns.place.and_then(|i| cells.text(i)));
    record.bank_ref = columns.bank_ref.and_then(|i| cells.text(i));
    let used = Used {
        time: time.is_some(),
        counterparty: named.is_some(),
        account: own_account.is_some(),
    };
    record.extra = extra(columns, cells, &used);
    Ok(Row {
        record,
        income: money.income,
        expense: money.expense,
        balance: balance(columns, cells),
    })
}

/// The memo: 摘要 followed by the remark columns (附言, 用途, …), joined with a space.
pub(crate) fn memo<'r>(columns: &Columns, cells: &'r Cells<'r>) -> Option<Cow<'r, str>> {
    let parts: Vec<&str> = columns
        .summary
        .iter()
        .chain(&columns.remarks)
        .filter_map(|&i| cells.text(i))
        .collect();
    match parts.as_slice() {
        [] => None,
        [one] => Some(Cow::Borrowed(one)),
        many => Some(Cow::Owned(many.join(" "))),
    }
}

/// The value date (记账日, else 交易日期) and the time of the transaction: the trade date
/// (or the value date) with the time column or the time a date cell carries.
fn dates(
    columns: &Columns,
    cells: &Cells<'_>,
) -> Result<(NaiveDate, Option<NaiveDateTime>), FieldError> {
    let Some(at) = columns.value_date() else {
        return Err(FieldError::row("the header has no date column"));
    };
    let (value_date, value_time) = cells.value(at).date(columns.name(at))?;
    let (trade_date, trade_time) = match columns.trade_date.filter(|&t| t != at) {
        Some(t) if !cells.value(t).is_blank() => cells.value(t).date(columns.name(t))?,
        _ => (value_date, value_time),
    };
    let time = match columns.time {
        Some(i) => cells.value(i).time(columns.name(i))?,
        None => None,
    };
    Ok((
        value_date,
        time.or(trade_time).map(|t| trade_date.and_time(t)),
    ))
}

/// The row's money in and out, by the layout's sign convention.
fn money(columns: &Columns, cells: &Cells<'_>) -> Result<Money, FieldError> {
    let amount_of = |i: Option<usize>| -> Result<Option<Decimal>, FieldError> {
        i.map_or(Ok(None), |i| cells.value(i).amount(columns.name(i)))
    };
    match columns.layout.sign {
        Sign::Pair => {
            let income = amount_of(columns.income)?;
            let expense = amount_of(columns.expense)?;
            if income.is_none() && expense.is_none() {
                return Err(both_empty(columns));
            }
            let (income, expense) = (income.unwrap_or_default(), expense.unwrap_or_default());
            let amount = income
                .checked_sub(expense)
                .ok_or_else(|| FieldError::row("income − expense is out of range"))?;
            let credit = amount > Decimal::ZERO || (amount.is_zero() && !income.is_zero());
            Ok(Money {
                income,
                expense,
                amount,
                credit,
            })
        }
        Sign::Signed => {
            let amount = amount_of(columns.amount)?.ok_or_else(|| no_amount(columns))?;
            Ok(split(amount, amount > Decimal::ZERO))
        }
        Sign::Direction => {
            let amount = amount_of(columns.amount)?.ok_or_else(|| no_amount(columns))?;
            let inward = direction(columns, cells)?;
            let signed = if inward { amount } else { -amount };
            Ok(split(
                signed,
                signed > Decimal::ZERO || (signed.is_zero() && inward),
            ))
        }
    }
}

/// A signed amount as money in and out.
fn split(amount: Decimal, credit: bool) -> Money {
    let (income, expense) = if amount < Decimal::ZERO {
        (Decimal::ZERO, -amount)
    } else {
        (amount, Decimal::ZERO)
    };
    Money {
        income,
        expense,
        amount,
        credit,
    }
}

/// Whether the 借贷 cell says money in: `贷`/`Cr`/`收` in, `借`/`Dr`/`支` out.
fn direction(columns: &Columns, cells: &Cells<'_>) -> Result<bool, FieldError> {
    let i = columns.direction.unwrap_or(usize::MAX);
    let text = cells.text(i).unwrap_or_default();
    let first = text.chars().next();
    let latin = text.to_ascii_lowercase();
    match first {
        Some('贷' | '收') => Ok(true),
        Some('借' | '支') => Ok(false),
        _ if latin.starts_with("cr") => Ok(true),
        _ if latin.starts_with("dr") => Ok(false),
        _ => Err(FieldError::new(
            columns.name(i),
            "借 (Dr, money out) or 贷 (Cr, money in)",
            text,
        )),
    }
}

fn both_empty(columns: &Columns) -> FieldError {
    let name = |i: Option<usize>| i.map_or("", |i| columns.name(i));
    let (income, expense) = (name(columns.income), name(columns.expense));
    FieldError {
        field: income.to_owned(),
        reason: format!("expected an amount in {income} or {expense}, found both empty"),
    }
}

fn no_amount(columns: &Columns) -> FieldError {
    let field = columns.amount.map_or("", |i| columns.name(i));
    FieldError::new(field, "an amount", "")
}

/// The row's currency code: its currency column, else the preamble's, else CNY.
fn currency<'r>(ctx: &'r Context<'r>, cells: &'r Cells<'r>) -> Result<&'r str, FieldError> {
    let column = ctx.columns.currency;
    let printed = column.and_then(|i| cells.text(i)).or(ctx.currency);
    match printed {
        None => Ok("CNY"),
        Some(p) => currency_code(p).ok_or_else(|| {
            let field = column.map_or("币种", |i| ctx.columns.name(i));
            FieldError::new(field, "a currency like 人民币 or CNY", p)
        }),
    }
}

/// The balance after the row, when its balance cell holds an amount.
fn balance(columns: &Columns, cells: &Cells<'_>) -> Option<Decimal> {
    let i = columns.balance?;
    cells.value(i).amount(columns.name(i)).ok().flatten()
}

/// Which optional fields took their value from a column (so it is not repeated in `extra`).
struct Used {
    time: bool,
    counterparty: bool,
    account: bool,
}

/// Every non-blank column not mapped to a field of its own, under its printed name.
fn extra<'r>(columns: &'r Columns, cells: &'r Cells<'r>, used: &Used) -> Vec<(&'r str, &'r str)> {
    let when = |yes: bool, i: Option<usize>| i.filter(|_| yes);
    let mapped: Vec<usize> = [
        columns.value_date(),
        columns.income,
        columns.expense,
        columns.amount,
        columns.direction,
        columns.currency,
        columns.summary,
        columns.bank_ref,
        when(used.time, columns.trade_date),
        when(used.time, columns.time),
        when(used.counterparty, columns.counterparty),
        when(used.account, columns.account),
    ]
    .into_iter()
    .flatten()
    .chain(columns.remarks.iter().copied())
    .collect();
    columns
        .names
        .iter()
        .enumerate()
        .filter(|(i, _)| !mapped.contains(i))
        .filter_map(|(i, name)| cells.text(i).map(|v| (name.as_str(), v)))
        .collect()
}
