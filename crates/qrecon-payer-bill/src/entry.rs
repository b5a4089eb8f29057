//! A bill's lines as read, one entry per line in file order: a payment (it becomes a claim), a
//! refund (recorded on its payment's claim), or a line skipped or quarantined. Nothing is
//! reported while the entries are built, so refunds can be linked to their payments first.

use qrecon_adapter_sdk::{Decimal, FieldError, NaiveDateTime};

/// What a line of the bill is.
pub enum Entry {
    /// Money the bill's owner paid out: it becomes a claim.
    Payment(Box<Payment>),
    /// A refund, to be recorded on its payment's claim.
    Refund(Refund),
    /// Not a row of data, or not a payment: reported as skipped with the reason.
    Skipped {
        /// The line.
        line: u64,
        /// Why it is skipped.
        reason: String,
    },
    /// A row that cannot be read.
    Quarantined {
        /// The line.
        line: u64,
        /// The column at fault, if one is.
        field: Option<String>,
        /// What is wrong.
        reason: String,
        /// The line as the file has it.
        raw: String,
    },
}

impl Entry {
    /// A skipped line.
    pub fn skipped(line: u64, reason: impl Into<String>) -> Self {
        Self::Skipped {
            line,
            reason: reason.into(),
        }
    }

    /// A quarantined row; `e` names the column at fault, or none.
    pub fn quarantined(line: u64, e: FieldError, raw: &str) -> Self {
        Self::Quarantined {
            line,
            field: (!e.field.is_empty()).then_some(e.field),
            reason: e.reason,
            raw: raw.to_owned(),
        }
    }
}

/// A payment row, read.
pub struct Payment {
    /// The line.
    pub line: u64,
    /// The line as the file has it.
    pub raw: String,
    /// The platform's transaction number.
    pub txn_id: Option<String>,
    /// The merchant's order number.
    pub order_id: Option<String>,
    /// When it was paid, as printed (Beijing time).
    pub time: NaiveDateTime,
    /// The amount paid, positive.
    pub amount: Decimal,
    /// The status text as printed.
    pub status_raw: Option<String>,
    /// A refund the row prints in a column of its own (Alipay PC's 成功退款（元）), when
    /// above zero: it tells the status, but is not recorded as `refunded`.
    pub printed_refund: Option<Decimal>,
    /// The payee (交易对方).
    pub payee_name: Option<String>,
    /// The payee's account, masked as printed.
    pub payee_account: Option<String>,
    /// What was bought.
    pub memo: Option<String>,
    /// The columns not mapped to a field, under their header names.
    pub extra: Vec<(String, String)>,
    /// The refund rows linked to it: (line, amount).
    pub refunds: Vec<(u64, Decimal)>,
}

impl Payment {
    /// The total of the linked refunds.
    pub fn refunded(&self) -> Decimal {
        self.refunds.iter().map(|(_, amount)| *amount).sum()
    }

    /// The lines of the linked refunds.
    pub fn refund_lines(&self) -> Vec<u64> {
        self.refunds.iter().map(|(line, _)| *line).collect()
    }
}

/// A refund row, read.
pub struct Refund {
    /// The line.
    pub line: u64,
    /// The refund's own transaction number (which may name its payment's).
    pub txn_id: Option<String>,
    /// The merchant's order number.
    pub order_id: Option<String>,
    /// The amount refunded, positive.
    pub amount: Decimal,
    /// When it was refunded, where linking needs it (WeChat links by evidence).
    pub time: Option<NaiveDateTime>,
    /// The counterparty, where linking needs it.
    pub counterparty: Option<String>,
    /// What became of it, once linked (the skip reason).
    pub outcome: String,
}
