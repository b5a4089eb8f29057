//! One data row: a payment (收/支 支出), a refund, a row that is not a payment (income,
//! neutral), or one that cannot be read.

use std::borrow::Cow;

use qrecon_adapter_sdk::{Decimal, FieldError, NaiveDateTime, text};

use crate::columns::{Columns, DIRECTION};

/// What a row of the bill is.
pub(crate) enum Entry {
    /// Money the bill's owner paid out: it becomes a claim.
    Payment(Box<Payment>),
    /// A refund, to be recorded on its payment's claim.
    Refund(Refund),
    /// Not a row of data, or not a payment: reported as skipped with the reason.
    Skipped { line: u64, reason: String },
    /// A row that cannot be read.
    Quarantined {
        line: u64,
        field: Option<String>,
        reason: String,
        raw: String,
    },
}

impl Entry {
    /// A skipped line.
    pub(crate) fn skipped(line: u64, reason: impl Into<String>) -> Self {
        Self::Skipped {
            line,
            reason: reason.into(),
        }
    }

    /// A quarantined row.
    pub(crate) fn quarantined(line: u64, e: FieldError, raw: &str) -> Self {
        Self::Quarantined {
            line,
            field: (!e.field.is_empty()).then_some(e.field),
            reason: e.reason,
            raw: raw.to_owned(),
        }
    }
}

/// A payment row, read.
pub(crate) struct Payment {
    pub(crate) line: u64,
    pub(crate) raw: String,
    pub(crate) txn_id: Option<String>,
    pub(crate) order_id: Option<String>,
    pub(crate) time: NaiveDateTime,
    pub(crate) amount: Decimal,
    pub(crate) status_raw: Option<String>,
    /// The PC layout's 成功退款（元）, when above zero.
    pub(crate) printed_refund: Option<Decimal>,
    pub(crate) payee_name: Option<String>,
    pub(crate) payee_account: Option<String>,
    pub(crate) memo: Option<String>,
    /// The columns not mapped to a field, under their header names.
    pub(crate) extra: Vec<(String, String)>,
    /// The refund rows linked to it: (line, amount).
    pub(crate) refunds: Vec<(u64, Decimal)>,
}

/// A refund row, read.
pub(crate) struct Refund {
    pub(crate) line: u64,
    /// The refund's own 交易订单号 (`<payment's>_<suffix>`).
    pub(crate) own_id: Option<String>,
    pub(crate) order_id: Option<String>,
    pub(crate) amount: Decimal,
    /// What became of it, once linked (the skip reason).
    pub(crate) outcome: String,
}

impl Refund {
    /// The id of the payment it refunds: its own id up to the first `_`.
    pub(crate) fn payment_id(&self) -> Option<&str> {
        let id = self.own_id.as_deref()?;
        id.split('_').next().filter(|p| !p.is_empty())
    }
}

/// One row's cells read through the header.
struct Row<'r> {
    columns: &'r Columns,
    cells: &'r [Cow<'r, str>],
}

impl<'r> Row<'r> {
    /// The cleaned value of column `i`; `None` when absent or empty (`/`, `-`, blank).
    fn get(&self, i: Option<usize>) -> Option<&'r str> {
        self.cells.get(i?).and_then(|c| text::non_empty(c))
    }

    /// An id: the value without the backticks some exports wrap ids in.
    fn id(&self, i: Option<usize>) -> Option<String> {
        let v = self.get(i)?;
        text::non_empty(v.trim_matches('`')).map(str::to_owned)
    }

    fn owned(&self, i: Option<usize>) -> Option<String> {
        self.get(i).map(str::to_owned)
    }

    fn direction(&self) -> &'r str {
        self.cells
            .get(self.columns.direction)
            .map_or("", |c| text::clean(c))
    }

    /// The unsigned amount (the sign is in 收/支).
    fn amount(&self) -> Result<Decimal, FieldError> {
        let i = self.columns.amount;
        let name = self.columns.name(i);
        let cell = self.cells.get(i).map_or("", |c| text::clean(c));
        let amount = text::parse_amount(name, cell)?;
        if amount.is_sign_negative() {
            return Err(FieldError::new(
                name,
                "an unsigned amount (the direction is in 收/支)",
                cell,
            ));
        }
        Ok(amount)
    }

    /// The row's time and the column it came from: 交易时间, else 付款时间 when filled, else
    /// 交易创建时间.
    fn time(&self) -> Result<(NaiveDateTime, usize), FieldError> {
        let c = self.columns;
        let column = c
            .time
            .or_else(|| c.paid_at.filter(|_| self.get(c.paid_at).is_some()))
            .or(c.created_at)
            .ok_or_else(|| FieldError::row("the header names no time column"))?;
        let cell = self.cells.get(column).map_or("", |v| text::clean(v));
        let (time, _) = text::parse_datetime(c.name(column), cell)?;
        Ok((time, column))
    }

    /// Every non-empty column not in `mapped`, under its header name.
    fn extra(&self, mapped: &[Option<usize>]) -> Vec<(String, String)> {
        self.columns
            .names
            .iter()
            .enumerate()
            .filter(|(i, name)| !name.is_empty() && !mapped.contains(&Some(*i)))
            .filter_map(|(i, name)| self.get(Some(i)).map(|v| (name.clone(), v.to_owned())))
            .collect()
    }

    /// Whether the row is a refund: 交易分类 `退款`, 交易状态 `退款成功`, or a memo `退款-…`.
    fn is_refund(&self) -> bool {
        let c = self.columns;
        self.get(c.category) == Some("退款")
            || self.get(c.status).is_some_and(|s| s.starts_with("退款"))
            || self.get(c.memo).is_some_and(|m| m.starts_with("退款-"))
    }

    /// The details a skip reason names: 交易分类 (or 类型) and 交易状态.
    fn details(&self) -> String {
        let c = self.columns;
        let mut details = String::new();
        for v in [self.get(c.category), self.get(c.status)]
            .into_iter()
            .flatten()
        {
            details.push_str(", ");
            details.push_str(v);
        }
        details
    }
}

/// Reads the data row at line `line` (`cells` split through the header).
pub(crate) fn read(columns: &Columns, line: u64, raw: &str, cells: &[Cow<'_, str>]) -> Entry {
    let row = Row { columns, cells };
    let direction = row.direction();
    let read = match direction {
        "支出" => payment(&row, line, raw).map(|p| Entry::Payment(Box::new(p))),
        _ if row.is_refund() => refund(&row, line).map(Entry::Refund),
        "收入" => Ok(Entry::skipped(line, income_reason(&row))),
        "不计收支" | "其他" | "" | "/" => {
            Ok(Entry::skipped(line, neutral_reason(&row, direction)))
        }
        other => Err(FieldError::new(
            DIRECTION,
            "支出, 收入, 不计收支 or 其他",
            other,
        )),
    };
    read.unwrap_or_else(|e| Entry::quarantined(line, e, raw))
}

fn income_reason(row: &Row<'_>) -> String {
    format!(
        "income (收/支 收入{}): money the bill's owner received, not a payment",
        row.details()
    )
}

fn neutral_reason(row: &Row<'_>, direction: &str) -> String {
    let direction = if direction.is_empty() {
        "empty"
    } else {
        direction
    };
    format!(
        "neutral (收/支 {direction}{}): no money paid to a payee (own transfers, 余额宝 and fund moves, closed orders)",
        row.details()
    )
}

fn payment(row: &Row<'_>, line: u64, raw: &str) -> Result<Payment, FieldError> {
    let c = row.columns;
    let amount = row.amount()?;
    let (time, time_column) = row.time()?;
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

fn refund(row: &Row<'_>, line: u64) -> Result<Refund, FieldError> {
    let c = row.columns;
    Ok(Refund {
        line,
        own_id: row.id(c.txn_id),
        order_id: row.id(c.order_id),
        amount: row.amount()?,
        outcome: String::new(),
    })
}

/// The 收/支 and 资金状态 of an aligned row, and its amount when readable (for the totals).
pub(crate) fn tally<'r>(
    columns: &'r Columns,
    cells: &'r [Cow<'r, str>],
) -> (&'r str, Option<&'r str>, Option<Decimal>) {
    let row = Row { columns, cells };
    (
        row.direction(),
        row.get(columns.fund_status),
        row.amount().ok(),
    )
}
