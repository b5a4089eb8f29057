//! The canonical record as the core holds it: compact (strings are [`Str`] handles into the
//! dataset's text arena), zone-resolved, with its provenance.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::money::Money;
use crate::text::Str;

/// Index of a record in [`crate::Dataset`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(pub u32);

/// Where a record came from: the input file (index into the dataset's files) and line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Source {
    /// Index of the file.
    pub file: u32,
    /// 1-based line.
    pub line: u32,
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

impl Kind {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Claim => "claim",
            Kind::Txn => "txn",
            Kind::Fund => "fund",
            Kind::Payout => "payout",
            Kind::Bank => "bank",
        }
    }
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

impl Status {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Pending => "pending",
            Status::Failed => "failed",
            Status::Revoked => "revoked",
            Status::Unknown => "unknown",
        }
    }
}

/// A record's sub-type. Unknown wire types become [`RecordType::Other`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordType {
    /// txn: a payment.
    Payment,
    /// txn or fund: a refund (fund: the refund debit).
    Refund,
    /// txn: a revoke / reversal.
    Revoke,
    /// fund: a payment's settled income.
    Income,
    /// fund: a fee line.
    Fee,
    /// fund/payout: money leaving toward the bank.
    Withdrawal,
    /// fund: a withdrawal that came back.
    WithdrawalReturn,
    /// fund: funds frozen.
    Freeze,
    /// fund: funds released.
    Unfreeze,
    /// bank: money in.
    Credit,
    /// bank: money out.
    Debit,
    /// claim: the merchant's own order.
    Order,
    /// claim: a complaint.
    Complaint,
    /// claim: the payer's own bill line.
    PayerReceipt,
    /// Anything else.
    Other,
}

impl RecordType {
    /// From the wire name.
    pub fn parse(s: &str) -> Self {
        match s {
            "payment" => Self::Payment,
            "refund" => Self::Refund,
            "revoke" => Self::Revoke,
            "income" => Self::Income,
            "fee" => Self::Fee,
            "withdrawal" | "payout" => Self::Withdrawal,
            "withdrawal_return" => Self::WithdrawalReturn,
            "freeze" => Self::Freeze,
            "unfreeze" => Self::Unfreeze,
            "credit" => Self::Credit,
            "debit" => Self::Debit,
            "order" => Self::Order,
            "complaint" => Self::Complaint,
            "payer_receipt" => Self::PayerReceipt,
            _ => Self::Other,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Payment => "payment",
            Self::Refund => "refund",
            Self::Revoke => "revoke",
            Self::Income => "income",
            Self::Fee => "fee",
            Self::Withdrawal => "withdrawal",
            Self::WithdrawalReturn => "withdrawal_return",
            Self::Freeze => "freeze",
            Self::Unfreeze => "unfreeze",
            Self::Credit => "credit",
            Self::Debit => "debit",
            Self::Order => "order",
            Self::Complaint => "complaint",
            Self::PayerReceipt => "payer_receipt",
            Self::Other => "other",
        }
    }
}

/// One canonical record. Strings are handles: read them through [`crate::Dataset`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    /// Provenance.
    pub source: Source,
    /// Link of the chain.
    pub kind: Kind,
    /// Sub-type.
    pub rtype: RecordType,
    /// Normalised status.
    pub status: Status,
    /// Provider (`wechatpay`, `alipay`, `bank`, …).
    pub provider: Str,
    /// Provider account or bank account.
    pub account: Str,
    /// Claim id.
    pub claim_id: Str,
    /// Merchant order number.
    pub order_id: Str,
    /// Platform transaction number.
    pub txn_id: Str,
    /// Refund id.
    pub refund_id: Str,
    /// Payout id.
    pub payout_id: Str,
    /// Bank reference.
    pub bank_ref: Str,
    /// When it happened, zone-resolved.
    pub time: Option<DateTime<FixedOffset>>,
    /// Value date (bank lines).
    pub value_date: Option<NaiveDate>,
    /// Signed amount, positive toward the merchant.
    pub amount: Money,
    /// Currency code.
    pub currency: Str,
    /// Fee (positive = charged).
    pub fee: Option<Money>,
    /// Raw status.
    pub status_raw: Str,
    /// Payee id as the payer saw it.
    pub payee_id: Str,
    /// Payee name as the payer saw it.
    pub payee_name: Str,
    /// Payee account as the payer saw it.
    pub payee_account: Str,
    /// Payer.
    pub payer: Str,
    /// Counterparty (bank lines).
    pub counterparty: Str,
    /// Free text.
    pub memo: Str,
    /// Range of this record's extra columns in the dataset's extras.
    pub extra: (u32, u32),
}

impl Record {
    /// The date it happened in `tz` (value date for bank lines).
    pub fn local_date(&self, tz: chrono_tz::Tz) -> Option<NaiveDate> {
        self.time
            .map(|t| t.with_timezone(&tz).date_naive())
            .or(self.value_date)
    }
}

/// A record to add, with borrowed strings ([`crate::dataset::Chunk::push`]).
#[derive(Clone, Debug, PartialEq)]
pub struct RecordIn<'a> {
    /// 1-based line.
    pub line: u64,
    /// Kind.
    pub kind: Kind,
    /// Wire type name.
    pub rtype: &'a str,
    /// Status.
    pub status: Status,
    /// Provider.
    pub provider: &'a str,
    /// `account, claim_id, order_id, txn_id, refund_id, payout_id, bank_ref`.
    pub ids: [Option<&'a str>; 7],
    /// Time.
    pub time: Option<DateTime<FixedOffset>>,
    /// Value date.
    pub value_date: Option<NaiveDate>,
    /// Amount.
    pub amount: Money,
    /// Currency.
    pub currency: &'a str,
    /// Fee.
    pub fee: Option<Money>,
    /// Raw status.
    pub status_raw: Option<&'a str>,
    /// `payee_id, payee_name, payee_account, payer, counterparty, memo`.
    pub parties: [Option<&'a str>; 6],
    /// Extra columns.
    pub extra: Vec<(&'a str, &'a str)>,
}

impl<'a> RecordIn<'a> {
    /// A record with only the essentials set.
    pub fn new(line: u64, kind: Kind, rtype: &'a str, provider: &'a str, amount: Money) -> Self {
        Self {
            line,
            kind,
            rtype,
            status: Status::Success,
            provider,
            ids: [None; 7],
            time: None,
            value_date: None,
            amount,
            currency: "CNY",
            fee: None,
            status_raw: None,
            parties: [None; 6],
            extra: Vec::new(),
        }
    }
}
