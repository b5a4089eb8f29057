//! A case: the chain assembled for one payment, with how each link was made and the facts
//! the diagnosis (and, later, rules) read. Compact on purpose — a run may hold millions:
//! the case id and the links are derived from the records when asked for, the usual one
//! fund line / payout / bank credit live inline, and the rare parts live in a box.

use chrono::{DateTime, FixedOffset, NaiveDate};
use smallvec::SmallVec;

use crate::dataset::Dataset;
use crate::money::Money;
use crate::record::{Kind, Record, RecordId, Source};

/// The id field a link was made by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// Platform transaction number.
    TxnId,
    /// Merchant order number.
    OrderId,
    /// Payout / batch id.
    PayoutId,
}

impl Key {
    /// The field name.
    pub fn as_str(self) -> &'static str {
        match self {
            Key::TxnId => "txn_id",
            Key::OrderId => "order_id",
            Key::PayoutId => "payout_id",
        }
    }
}

/// How a link was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// By an identifier both records carry.
    Id(Key),
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
            Method::Id(k) => Some(k.as_str()),
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

/// A bank credit that received a case's money.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BankHop {
    /// The bank line.
    pub bank: RecordId,
    /// The payout it received (none for a cycle settlement).
    pub payout: Option<RecordId>,
    /// How it was tied.
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

/// The parts few cases have.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rare {
    /// Equally good payments for the claim; none was chosen.
    pub ambiguous: Vec<RecordId>,
    /// Return lines of payouts that carried it.
    pub returns: Vec<RecordId>,
    /// Equally good bank credits for its payout; none was chosen.
    pub bank_ambiguous: Vec<RecordId>,
    /// The freeze line holding its money.
    pub frozen_by: Option<RecordId>,
}

/// The chain for one payment.
#[derive(Clone, Debug)]
pub struct Case {
    /// The claim, if the case started from one.
    pub claim: Option<RecordId>,
    /// The platform payment.
    pub txn: Option<RecordId>,
    /// How the claim was linked to the payment.
    pub claim_link: Option<Method>,
    /// The earlier claim that already cited this payment (this case is a duplicate).
    pub duplicate_of: Option<RecordId>,
    /// Refunds of the payment (successful or not).
    pub refunds: SmallVec<[RecordId; 1]>,
    /// Settled-income fund lines.
    pub funds: SmallVec<[RecordId; 1]>,
    /// Payouts that carried its money, in time order.
    pub payouts: SmallVec<[Carried; 1]>,
    /// Bank credits that received its payouts (or its day's settlement).
    pub bank: SmallVec<[BankHop; 1]>,
    /// Ambiguities, returns, freezes.
    pub rare: Option<Box<Rare>>,
    /// Facts.
    pub facts: Facts,
}

impl Case {
    /// A case for a claim or a payment.
    pub fn new(claim: Option<RecordId>, txn: Option<RecordId>) -> Self {
        Case {
            claim,
            txn,
            claim_link: None,
            duplicate_of: None,
            refunds: SmallVec::new(),
            funds: SmallVec::new(),
            payouts: SmallVec::new(),
            bank: SmallVec::new(),
            rare: None,
            facts: Facts::default(),
        }
    }

    /// The record the case is about: its payment, else its claim.
    pub fn record<'d>(&self, data: &'d Dataset) -> Option<&'d Record> {
        self.txn.or(self.claim).map(|id| data.get(id))
    }

    /// Provider (`None` for a claim that does not say).
    pub fn provider<'d>(&self, data: &'d Dataset) -> Option<&'d str> {
        self.record(data)
            .map(|r| data.s(r.provider))
            .filter(|p| !p.is_empty() && *p != "unknown")
    }

    /// Provider account of the payment.
    pub fn account<'d>(&self, data: &'d Dataset) -> Option<&'d str> {
        self.txn.and_then(|t| data.str(data.get(t).account))
    }

    /// Amount of the payment (the claim's when there is no payment).
    pub fn amount(&self, data: &Dataset) -> Money {
        self.record(data).map_or(Money::ZERO, |r| r.amount)
    }

    /// Currency.
    pub fn currency<'d>(&self, data: &'d Dataset) -> &'d str {
        self.record(data)
            .and_then(|r| data.str(r.currency))
            .unwrap_or("CNY")
    }

    /// When it was paid.
    pub fn paid_at(&self, data: &Dataset) -> Option<DateTime<FixedOffset>> {
        self.record(data).and_then(|r| r.time)
    }

    /// The rare parts, created on first use.
    pub fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// Equally good payments for the claim.
    pub fn ambiguous(&self) -> &[RecordId] {
        self.rare.as_ref().map_or(&[], |r| &r.ambiguous)
    }

    /// Return lines of payouts that carried it.
    pub fn returns(&self) -> &[RecordId] {
        self.rare.as_ref().map_or(&[], |r| &r.returns)
    }

    /// Equally good bank credits for its payout.
    pub fn bank_ambiguous(&self) -> &[RecordId] {
        self.rare.as_ref().map_or(&[], |r| &r.bank_ambiguous)
    }

    /// The freeze line holding its money.
    pub fn frozen_by(&self) -> Option<RecordId> {
        self.rare.as_ref().and_then(|r| r.frozen_by)
    }

    /// Whether this case owns its payment (not a duplicate claim, not a claim without one).
    pub fn owns_payment(&self) -> bool {
        self.txn.is_some() && self.duplicate_of.is_none()
    }

    /// The case's refunds that succeeded, in the case's order (what `refunded` adds up).
    pub fn successful_refunds<'a>(
        &'a self,
        data: &'a Dataset,
    ) -> impl Iterator<Item = RecordId> + 'a {
        self.refunds
            .iter()
            .copied()
            .filter(|r| data.get(*r).status == crate::record::Status::Success)
    }

    /// A successful payment this case owns, not refunded in full: its money should settle.
    pub fn settles(&self, data: &Dataset) -> bool {
        self.owns_payment()
            && self.txn.map(|t| data.get(t)).is_some_and(|t| {
                t.status == crate::record::Status::Success
                    && t.rtype == crate::record::RecordType::Payment
            })
            && self.facts.refunded < self.facts.gross
    }

    /// A payout that carried it came back and nothing carried it out again.
    pub fn payout_returned(&self) -> bool {
        !self.returns().is_empty() && self.facts.paid_out < self.facts.net
    }

    /// The parts of the stable id: `claim:<claim_id>` or `txn:<provider>:<txn_id>`.
    /// The case id in pieces, to be written without building it ([`Case::id`]).
    pub fn id_parts<'d>(&self, data: &'d Dataset) -> [&'d str; 4] {
        self.key()
            .map_or(["", "", "", ""], |key| Self::key_parts(data, key))
    }

    fn key_parts(data: &Dataset, key: RecordId) -> [&str; 4] {
        let r = data.get(key);
        match r.kind {
            Kind::Claim => ["claim:", data.s(r.claim_id), "", ""],
            _ => ["txn:", data.s(r.provider), ":", data.s(r.txn_id)],
        }
    }

    /// The record the case is keyed by: its claim, else its payment.
    pub fn key(&self) -> Option<RecordId> {
        self.claim.or(self.txn)
    }

    /// The stable case id.
    pub fn id(&self, data: &Dataset) -> String {
        self.id_parts(data).concat()
    }

    /// The id of the case keyed by record `key` ([`Case::key`]), without the case at hand.
    pub fn id_of_key(data: &Dataset, key: RecordId) -> String {
        Self::key_parts(data, key).concat()
    }

    /// Every link of the chain, in order, with its method and the two records.
    pub fn links(&self, data: &Dataset) -> Vec<Link> {
        let src = |id: RecordId| data.get(id).source;
        let mut links = Vec::new();
        let (Some(txn), false) = (
            self.txn,
            self.duplicate_of.is_some() && self.claim_link.is_none(),
        ) else {
            return links;
        };
        if let (Some(claim), Some(method)) = (self.claim, self.claim_link) {
            links.push(Link {
                from: Kind::Claim,
                to: Kind::Txn,
                method,
                evidence: [src(claim), src(txn)],
            });
        }
        if self.duplicate_of.is_some() {
            return links;
        }
        for r in &self.refunds {
            links.push(Link {
                from: Kind::Txn,
                to: Kind::Txn,
                method: Method::Id(Key::TxnId),
                evidence: [src(txn), src(*r)],
            });
        }
        for f in &self.funds {
            links.push(Link {
                from: Kind::Txn,
                to: Kind::Fund,
                method: Method::Id(Key::TxnId),
                evidence: [src(txn), src(*f)],
            });
        }
        let from = self.funds.first().map_or(src(txn), |f| src(*f));
        for c in &self.payouts {
            links.push(Link {
                from: Kind::Fund,
                to: Kind::Payout,
                method: c.method,
                evidence: [from, src(c.payout)],
            });
            for b in self.bank.iter().filter(|b| b.payout == Some(c.payout)) {
                links.push(Link {
                    from: Kind::Payout,
                    to: Kind::Bank,
                    method: b.method,
                    evidence: [src(c.payout), src(b.bank)],
                });
            }
        }
        for b in self.bank.iter().filter(|b| b.payout.is_none()) {
            links.push(Link {
                from: Kind::Txn,
                to: Kind::Bank,
                method: b.method,
                evidence: [src(txn), src(b.bank)],
            });
        }
        links
    }
}
