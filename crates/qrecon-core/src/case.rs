//! A case: the chain assembled for one payment, with how each link was made and the facts
//! the diagnosis (and, later, rules) read.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::finding::Finding;
use crate::money::Money;
use crate::record::{Kind, RecordId, Source};
use crate::text::Str;

/// How a link was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// By an identifier both records carry (the field name).
    Id(&'static str),
    /// By amount, time window and payee (claims) or amount, date window and counterparty (bank).
    Window,
    /// By settlement cycle: the day's net settlement as one bank credit.
    Cycle,
    /// By first-in first-out over the platform balance.
    Fifo,
}

impl Method {
    /// Name as in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Id(_) => "id",
            Method::Window => "window",
            Method::Cycle => "cycle",
            Method::Fifo => "fifo",
        }
    }

    /// The id field for [`Method::Id`].
    pub fn key(self) -> Option<&'static str> {
        match self {
            Method::Id(k) => Some(k),
            _ => None,
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
    pub evidence: [Source; 2],
}

/// A share of a payment's money carried out by one payout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Carried {
    /// The payout (withdrawal) record.
    pub payout: RecordId,
    /// How much of this payment it carried.
    pub amount: Money,
    /// How the payment was tied to it.
    pub method: Method,
}

/// What is known about a case, for the diagnosis and for rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The payment's amount.
    pub gross: Money,
    /// Fees net of fees returned on refunds.
    pub fee: Money,
    /// Successfully refunded.
    pub refunded: Money,
    /// What should reach the bank: gross − refunded − fee.
    pub net: Money,
    /// Carried out by payouts (returned ones excluded).
    pub paid_out: Money,
    /// Held by a freeze line.
    pub frozen: Money,
    /// The local date it was paid.
    pub paid_date: Option<NaiveDate>,
    /// When the payout is due under the cycle and calendar.
    pub expected_payout: Option<NaiveDate>,
    /// The date of the last payout that carried it.
    pub payout_date: Option<NaiveDate>,
    /// When the bank credit is due.
    pub expected_bank: Option<NaiveDate>,
    /// The value date of the bank credit.
    pub bank_date: Option<NaiveDate>,
    /// Business days past the relevant due date (0 when not overdue).
    pub days_overdue: u32,
    /// The account's payouts stopped or shrank while sales continued.
    pub payouts_stopped: bool,
    /// The platform ledger of the account is in the inputs (payouts are visible).
    pub ledger_seen: bool,
}

/// The chain for one payment.
#[derive(Clone, Debug)]
pub struct Case {
    /// Stable id: `claim:<claim_id>` or `txn:<provider>:<txn_id>`.
    pub case_id: String,
    /// The claim, if the case started from one.
    pub claim: Option<RecordId>,
    /// The platform payment.
    pub txn: Option<RecordId>,
    /// The case of the earlier claim that already cited this payment.
    pub duplicate_of: Option<String>,
    /// Equally good payments for the claim; none was chosen.
    pub ambiguous: Vec<RecordId>,
    /// Refunds of the payment (successful or not).
    pub refunds: Vec<RecordId>,
    /// Settled-income fund lines.
    pub funds: Vec<RecordId>,
    /// Payouts that carried its money, in time order.
    pub payouts: Vec<Carried>,
    /// Return lines of payouts that carried it.
    pub returns: Vec<RecordId>,
    /// Bank credits that received its payouts (or its day's settlement).
    pub bank: Vec<RecordId>,
    /// Equally good bank credits for its payout; none was chosen.
    pub bank_ambiguous: Vec<RecordId>,
    /// The freeze line holding its money.
    pub frozen_by: Option<RecordId>,
    /// Links made.
    pub links: Vec<Link>,
    /// Provider.
    pub provider: Str,
    /// Provider account.
    pub account: Str,
    /// Amount of the payment (the claim's when there is no payment).
    pub amount: Money,
    /// Currency.
    pub currency: Str,
    /// When it was paid.
    pub paid_at: Option<DateTime<FixedOffset>>,
    /// Facts.
    pub facts: Facts,
    /// Findings, most important first (a writer may drop them once written).
    pub findings: Vec<Finding>,
    /// The primary code, kept when findings are dropped.
    pub status: &'static str,
}

impl Default for Case {
    fn default() -> Self {
        Case {
            case_id: String::new(),
            claim: None,
            txn: None,
            duplicate_of: None,
            ambiguous: Vec::new(),
            refunds: Vec::new(),
            funds: Vec::new(),
            payouts: Vec::new(),
            returns: Vec::new(),
            bank: Vec::new(),
            bank_ambiguous: Vec::new(),
            frozen_by: None,
            links: Vec::new(),
            provider: Str::NONE,
            account: Str::NONE,
            amount: Money::ZERO,
            currency: Str::NONE,
            paid_at: None,
            facts: Facts::default(),
            findings: Vec::new(),
            status: "UNDIAGNOSED",
        }
    }
}

impl Case {
    /// Sets the findings and the status they give.
    pub fn set_findings(&mut self, findings: Vec<Finding>) {
        self.status = findings.first().map_or("UNDIAGNOSED", |f| f.code);
        self.findings = findings;
    }

    /// The primary code: the first finding's.
    pub fn status(&self) -> &'static str {
        self.findings
            .first()
            .map_or(self.status, |f| f.code)
    }

    /// Whether this case owns its payment (not a duplicate claim, not a claim without one).
    pub fn owns_payment(&self) -> bool {
        self.txn.is_some() && self.duplicate_of.is_none()
    }
}
