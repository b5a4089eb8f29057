//! The canonical record an adapter emits, borrowed from the adapter's input text.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

/// Which link of the chain a record belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Someone asserts a payment happened (order export, complaint, payer's own bill).
    Claim,
    /// A platform transaction: payment, refund, revoke.
    Txn,
    /// A platform ledger entry: settled income, fee, refund debit, withdrawal, …
    Fund,
    /// A payout batch to the bank, where an export lists them on their own.
    Payout,
    /// A bank statement line.
    Bank,
}

impl Kind {
    /// The lower-case name used in the Arrow schema and in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Claim => "claim",
            Kind::Txn => "txn",
            Kind::Fund => "fund",
            Kind::Payout => "payout",
            Kind::Bank => "bank",
        }
    }

    /// Parses [`Kind::as_str`]'s output.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "claim" => Kind::Claim,
            "txn" => Kind::Txn,
            "fund" => Kind::Fund,
            "payout" => Kind::Payout,
            "bank" => Kind::Bank,
            _ => return None,
        })
    }
}

/// Normalised status of a record; the raw text travels beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Done: paid, refunded, booked.
    Success,
    /// Not resolved yet (processing, waiting).
    Pending,
    /// Failed or closed without money moving.
    Failed,
    /// Revoked / cancelled after the fact.
    Revoked,
    /// The source did not say or said something unknown (raw text kept).
    Unknown,
}

impl Status {
    /// The lower-case name used in the Arrow schema and in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Pending => "pending",
            Status::Failed => "failed",
            Status::Revoked => "revoked",
            Status::Unknown => "unknown",
        }
    }

    /// Parses [`Status::as_str`]'s output.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "success" => Status::Success,
            "pending" => Status::Pending,
            "failed" => Status::Failed,
            "revoked" => Status::Revoked,
            "unknown" => Status::Unknown,
            _ => return None,
        })
    }
}

/// A record's sub-type within its kind. Values the core understands:
/// - txn: `payment`, `refund`, `revoke`;
/// - fund: `income` (a payment's settled income), `fee`, `refund`, `withdrawal`,
///   `withdrawal_return`, `freeze`, `unfreeze`, `other`;
/// - bank: `credit`, `debit`;
/// - claim: `order`, `complaint`, `payer_receipt`.
pub type RecordType<'a> = &'a str;

/// One canonical row. Amounts are exact and signed: positive = toward the merchant.
///
/// Build it with [`Record::new`] and set the fields you have; everything else stays empty.
#[derive(Clone, Debug, PartialEq)]
pub struct Record<'a> {
    /// 1-based line of the row in its file (the first line, for multi-line rows).
    pub line: u64,
    /// Link of the chain.
    pub kind: Kind,
    /// Sub-type within the kind (see [`RecordType`]).
    pub record_type: RecordType<'a>,
    /// `alipay`, `wechatpay`, `unionpay`, `bank`, …
    pub provider: &'a str,
    /// The provider account the record belongs to (商户号, PID, bank account).
    pub account: Option<&'a str>,
    /// Claim id (claims only).
    pub claim_id: Option<&'a str>,
    /// Merchant order number (`out_trade_no`).
    pub order_id: Option<&'a str>,
    /// Platform transaction number.
    pub txn_id: Option<&'a str>,
    /// Refund id (platform's or merchant's refund number).
    pub refund_id: Option<&'a str>,
    /// Payout / withdrawal / settlement batch id.
    pub payout_id: Option<&'a str>,
    /// Bank reference.
    pub bank_ref: Option<&'a str>,
    /// Wall-clock time of the event as printed in the file.
    pub time: Option<NaiveDateTime>,
    /// Offset from UTC in seconds when the file states it; `None` = the run's configured zone.
    pub utc_offset_secs: Option<i32>,
    /// Value date (bank lines).
    pub value_date: Option<NaiveDate>,
    /// Signed amount, positive toward the merchant.
    pub amount: Decimal,
    /// ISO 4217 currency code.
    pub currency: &'a str,
    /// Fee charged on this record (positive = charged to the merchant).
    pub fee: Option<Decimal>,
    /// Normalised status.
    pub status: Status,
    /// The status text as the file had it.
    pub status_raw: Option<&'a str>,
    /// Payee id as the payer saw it (merchant id, 商户号).
    pub payee_id: Option<&'a str>,
    /// Payee name as the payer saw it.
    pub payee_name: Option<&'a str>,
    /// Payee account as the payer saw it.
    pub payee_account: Option<&'a str>,
    /// Payer (masked as the source masks it).
    pub payer: Option<&'a str>,
    /// Counterparty on a bank line.
    pub counterparty: Option<&'a str>,
    /// Free text (memo, remark, summary).
    pub memo: Option<&'a str>,
    /// The adapter's remaining columns, for rules.
    pub extra: Vec<(&'a str, &'a str)>,
}

impl<'a> Record<'a> {
    /// A record of `kind` from `provider` at `line`, with every optional field empty.
    pub fn new(line: u64, kind: Kind, record_type: &'a str, provider: &'a str) -> Self {
        Self {
            line,
            kind,
            record_type,
            provider,
            account: None,
            claim_id: None,
            order_id: None,
            txn_id: None,
            refund_id: None,
            payout_id: None,
            bank_ref: None,
            time: None,
            utc_offset_secs: None,
            value_date: None,
            amount: Decimal::ZERO,
            currency: "CNY",
            fee: None,
            status: Status::Unknown,
            status_raw: None,
            payee_id: None,
            payee_name: None,
            payee_account: None,
            payer: None,
            counterparty: None,
            memo: None,
            extra: Vec::new(),
        }
    }
}
