//! The canonical record as the core holds it: zone-resolved, with its provenance.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;

/// Index of a record in [`crate::Dataset::records`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(pub u32);

/// Where a record came from: the input file (index into [`crate::Dataset::files`]) and line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Source {
    /// Index of the file.
    pub file: u32,
    /// 1-based line.
    pub line: u64,
}

/// Link of the chain a record belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An assertion that a payment happened.
    Claim,
    /// A platform transaction.
    Txn,
    /// A platform ledger entry.
    Fund,
    /// A payout batch.
    Payout,
    /// A bank statement line.
    Bank,
}

/// Normalised status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Done.
    Success,
    /// Unresolved.
    Pending,
    /// Failed or closed.
    Failed,
    /// Revoked after the fact.
    Revoked,
    /// Not stated.
    Unknown,
}

/// One canonical record. Amounts are exact and signed (positive = toward the merchant).
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Provenance.
    pub source: Source,
    /// Link of the chain.
    pub kind: Kind,
    /// Sub-type within the kind (`payment`, `refund`, `income`, `withdrawal`, `credit`, …).
    pub record_type: String,
    /// Provider (`wechatpay`, `alipay`, `bank`, …).
    pub provider: String,
    /// Provider account (商户号, PID) or bank account.
    pub account: Option<String>,
    /// Claim id.
    pub claim_id: Option<String>,
    /// Merchant order number.
    pub order_id: Option<String>,
    /// Platform transaction number.
    pub txn_id: Option<String>,
    /// Refund id.
    pub refund_id: Option<String>,
    /// Payout id.
    pub payout_id: Option<String>,
    /// Bank reference.
    pub bank_ref: Option<String>,
    /// When it happened, zone-resolved.
    pub time: Option<DateTime<FixedOffset>>,
    /// Value date (bank lines).
    pub value_date: Option<NaiveDate>,
    /// Signed amount.
    pub amount: Decimal,
    /// Currency code.
    pub currency: String,
    /// Fee.
    pub fee: Option<Decimal>,
    /// Normalised status.
    pub status: Status,
    /// The status as the file said it.
    pub status_raw: Option<String>,
    /// Payee id as the payer saw it.
    pub payee_id: Option<String>,
    /// Payee name as the payer saw it.
    pub payee_name: Option<String>,
    /// Payee account as the payer saw it.
    pub payee_account: Option<String>,
    /// Payer.
    pub payer: Option<String>,
    /// Counterparty (bank lines).
    pub counterparty: Option<String>,
    /// Free text.
    pub memo: Option<String>,
    /// The adapter's remaining columns.
    pub extra: Vec<(String, String)>,
}

impl Record {
    /// The date the record happened on, in its own zone (value date for bank lines).
    pub fn local_date(&self) -> Option<NaiveDate> {
        self.time.map(|t| t.date_naive()).or(self.value_date)
    }
}
