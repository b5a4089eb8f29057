//! One data row: a payment (收/支 支出), a refund, a row that is not a payment (income,
//! neutral), or one that cannot be read.

use qrecon_adapter_sdk::{Decimal, FieldError, NaiveDateTime, text};

use crate::columns::{Columns, DIRECTION, TIME};

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
    pub(crate) payee_name: Option<String>,
    pub(crate) memo: Option<String>,
    /// The columns not mapped to a field, under their header names.
    pub(crate) extra: Vec<(String, String)>,
    /// The refund rows linked to it: (line, amount).
    pub(crate) refunds: Vec<(u64, Decimal)>,
}

/// A refund row, read.
pub(crate) struct Refund {
    pub(crate) line: u64,
    pub(crate) txn_id: Option<String>,
    pub(crate) order_id: Option<String>,
    pub(crate) amount: Decimal,
    pub(crate) time: NaiveDateTime,
    pub(crate) counterparty: Option<String>,
    /// What became of it, once linked (the skip reason).
    pub(crate) outcome: String,
}

/// One row's cells read through the header.
struct Row<'r> {
    columns: &'r Columns,
    cells: &'r [String],
}

impl<'r> Row<'r> {
    /// The cleaned value of column `i`; `None` when absent or empty (`/`, `-`, blank).
    fn get(&self, i: Option<usize>) -> Option<&'r str> {
        self.cells.get(i?).and_then(|c| text::non_empty(c))
    }

    /// An id: the value without the backticks some exports wrap ids in.
    fn id(&self, i: Option<usize>) -> Option<String> {
        text::non_empty(self.get(i)?.trim_matches('`')).map(str::to_owned)
    }

    fn owned(&self, i: Option<usize>) -> Option<String> {
        self.get(i).map(str::to_owned)
    }

    fn cell(&self, i: usize) -> &'r str {
        self.cells.get(i).map_or("", |c| text::clean(c))
    }

    fn amount(&self) -> Result<Decimal, FieldError> {
        let i = self.columns.amount;
        let name = self.columns.name(i);
        let amount = text::parse_amount(name, self.cell(i))?;
        if amount.is_sign_negative() {
            return Err(FieldError::new(
                name,
                "an unsigned amount (the direction is in 收/支)",
                self.cell(i),
            ));
        }
        Ok(amount)
    }

    fn time(&self) -> Result<NaiveDateTime, FieldError> {
        Ok(text::parse_datetime(TIME, self.cell(self.columns.time))?.0)
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

    /// Whether the row is a refund: 交易类型 `…-退款` or `退款`, or 当前状态 `已退款…` /
    /// `已全额退款` on a row that is not a payment.
    fn is_refund(&self) -> bool {
        let kind = self.cell(self.columns.kind);
        let status = self.get(self.columns.status).unwrap_or("");
        kind.ends_with("-退款")
            || kind == "退款"
            || status.starts_with("已退款")
            || status == "已全额退款"
    }

    /// The details a skip reason names: 交易类型 and 当前状态.
    fn details(&self) -> String {
        let mut details = String::new();
        let kind = self.get(Some(self.columns.kind));
        for v in [kind, self.get(self.columns.status)].into_iter().flatten() {
            details.push_str(", ");
            details.push_str(v);
        }
        details
    }
}

/// The 交易类型 of a row (for the unknown-type check).
pub(crate) fn kind_of<'c>(columns: &Columns, cells: &'c [String]) -> &'c str {
    cells.get(columns.kind).map_or("", |c| text::clean(c))
}

/// The 收/支 of a row and its amount when readable (for the totals).
pub(crate) fn tally<'c>(columns: &Columns, cells: &'c [String]) -> (&'c str, Option<Decimal>) {
    let row = Row { columns, cells };
    (
        cells.get(columns.direction).map_or("", |c| text::clean(c)),
        row.amount().ok(),
    )
}

/// Reads the data row at line `line` (`cells` one per header column).
pub(crate) fn read(columns: &Columns, line: u64, raw: &str, cells: &[String]) -> Entry {
    let row = Row { columns, cells };
    let direction = row.cell(columns.direction);
    let read = match direction {
        "支出" => payment(&row, line, raw).map(|p| Entry::Payment(Box::new(p))),
        _ if row.is_refund() => refund(&row, line).map(Entry::Refund),
        "收入" => Ok(Entry::skipped(
            line,
            format!(
                "income (收/支 收入{}): money the bill's owner received, not a payment",
                row.details()
            ),
        )),
        "/" | "不计收支" | "其他" => Ok(Entry::skipped(
            line,
            format!(
                "neutral (收/支 {direction}{}): no money paid to a payee (own transfers, top-ups, withdrawals, 理财通 and 零钱通 moves)",
                row.details()
            ),
        )),
        other => Err(FieldError::new(DIRECTION, "支出, 收入 or /", other)),
    };
    read.unwrap_or_else(|e| Entry::quarantined(line, e, raw))
}

fn payment(row: &Row<'_>, line: u64, raw: &str) -> Result<Payment, FieldError> {
    let c = row.columns;
    let amount = row.amount()?;
    let time = row.time()?;
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
        payee_name: row.owned(c.counterparty),
        memo: row.owned(c.memo),
        extra: row.extra(&mapped),
        refunds: Vec::new(),
    })
}

fn refund(row: &Row<'_>, line: u64) -> Result<Refund, FieldError> {
    let c = row.columns;
    Ok(Refund {
        line,
        txn_id: row.id(c.txn_id),
        order_id: row.id(c.order_id),
        amount: row.amount()?,
        time: row.time()?,
        counterparty: row.owned(c.counterparty),
        outcome: String::new(),
    })
}
