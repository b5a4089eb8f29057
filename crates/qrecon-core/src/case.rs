//! A case: the chain assembled for one payment, with how each link was made.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;

use crate::finding::Finding;
use crate::record::{Kind, RecordId, Source};

/// How a link was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Method {
    /// By an identifier both records carry (the field name).
    Id(&'static str),
    /// By amount, time window and payee.
    Window,
    /// By settlement cycle.
    Cycle,
    /// By first-in first-out over a balance.
    Fifo,
}

impl Method {
    /// Name as in outputs.
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Id(_) => "id",
            Method::Window => "window",
            Method::Cycle => "cycle",
            Method::Fifo => "fifo",
        }
    }
}

/// One link of a case's chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Upstream kind.
    pub from: Kind,
    /// Downstream kind.
    pub to: Kind,
    /// How.
    pub method: Method,
    /// The two records.
    pub evidence: Vec<Source>,
}

/// The chain for one payment.
#[derive(Clone, Debug, Default)]
pub struct Case {
    /// Stable id: `claim:<claim_id>` or `txn:<provider>:<txn_id>`.
    pub case_id: String,
    /// The claim, if the case started from one.
    pub claim: Option<RecordId>,
    /// The platform payment.
    pub txn: Option<RecordId>,
    /// Refunds of the payment.
    pub refunds: Vec<RecordId>,
    /// Fund-flow lines of the payment (settled income).
    pub funds: Vec<RecordId>,
    /// The case of the earlier claim that already cited this payment.
    pub duplicate_of: Option<String>,
    /// Equally good candidates that were not guessed between.
    pub ambiguous: Vec<RecordId>,
    /// Links made.
    pub links: Vec<Link>,
    /// Provider.
    pub provider: Option<String>,
    /// Amount of the payment (the claim's when there is no payment).
    pub amount: Decimal,
    /// Currency.
    pub currency: String,
    /// When it was paid.
    pub paid_at: Option<DateTime<FixedOffset>>,
    /// Findings, most important first.
    pub findings: Vec<Finding>,
}

impl Case {
    /// The primary code: the first finding's.
    pub fn status(&self) -> &str {
        self.findings
            .first()
            .map_or("UNDIAGNOSED", |f| f.code.as_str())
    }
}
