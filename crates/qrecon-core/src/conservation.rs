//! Where the money of each day's payments is: per provider and payment day, the money in the
//! trade bill equals what was settled + pending + refunded + held + unaccounted. Every paid
//! case's gross amount is split into exactly these parts, so the identity holds row by row;
//! the table shows the split.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::case::Case;
use crate::dataset::Dataset;
use crate::finding::Finding;
use crate::money::Money;
use crate::record::{RecordType, Status};

/// One provider's day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// Successful payments in the trade bill.
    pub gross: Money,
    /// Reached the bank (net), plus the fees deducted on the way.
    pub settled: Money,
    /// Of `settled` and `pending`, the fees.
    pub fees: Money,
    /// Not yet due: in the settlement cycle or in transit to the bank.
    pub pending: Money,
    /// Refunded to payers.
    pub refunded: Money,
    /// Held: frozen, or bounced back to the platform balance.
    pub held: Money,
    /// Overdue or delayed with nothing explaining it.
    pub unaccounted: Money,
    /// Payments.
    pub payments: u32,
}

impl Row {
    /// Whether the parts add up to the gross.
    pub fn balances(&self) -> bool {
        self.gross == self.settled + self.pending + self.refunded + self.held + self.unaccounted
    }
}

/// Codes that say where the money of a paid case is (the default pack's settlement codes).
pub const SETTLEMENT_CODES: [&str; 7] = [
    "FUNDS_FROZEN",
    "PAYOUT_RETURNED",
    "SETTLEMENT_OVERDUE",
    "BANK_DELAYED",
    "SETTLEMENT_PENDING",
    "BANK_IN_TRANSIT",
    "ARRIVED",
];

/// Which part a case's remaining money is in, from its settlement finding; a case without
/// one (a custom pack's own codes, a rule error) counts as unaccounted.
fn part(findings: &[Finding]) -> Part {
    let code = findings
        .iter()
        .map(|f| f.code)
        .find(|c| SETTLEMENT_CODES.contains(c));
    match code {
        Some("ARRIVED") => Part::Settled,
        Some("SETTLEMENT_PENDING" | "BANK_IN_TRANSIT") => Part::Pending,
        Some("FUNDS_FROZEN" | "PAYOUT_RETURNED") => Part::Held,
        _ => Part::Unaccounted,
    }
}

enum Part {
    Settled,
    Pending,
    Held,
    Unaccounted,
}

/// The table being built: (provider, payment day) → row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// Provider → day → row.
    pub providers: BTreeMap<String, BTreeMap<NaiveDate, Row>>,
}

impl Table {
    /// Adds a case diagnosed with `findings` (cases that do not own a successful payment add
    /// nothing).
    pub fn add(&mut self, data: &Dataset, tz: chrono_tz::Tz, case: &Case, findings: &[Finding]) {
        if !case.owns_payment() {
            return;
        }
        let Some(txn) = case.txn.map(|t| data.get(t)) else {
            return;
        };
        if txn.status != Status::Success || txn.rtype != RecordType::Payment {
            return;
        }
        let Some(day) = txn.local_date(tz) else {
            return;
        };
        let provider = data.s(txn.provider);
        if !self.providers.contains_key(provider) {
            self.providers.insert(provider.to_owned(), BTreeMap::new());
        }
        let Some(days) = self.providers.get_mut(provider) else {
            return;
        };
        let row = days.entry(day).or_default();
        let f = &case.facts;
        let rest = f.gross - f.refunded;
        row.gross += f.gross;
        row.refunded += f.refunded;
        row.payments += 1;
        match part(findings) {
            Part::Settled => {
                row.settled += rest;
                row.fees += f.fee;
            }
            Part::Pending => {
                row.pending += rest;
                row.fees += f.fee;
            }
            Part::Held => row.held += rest,
            Part::Unaccounted => row.unaccounted += rest,
        }
    }
}

impl Table {
    /// Adds another table's rows into this one.
    pub fn merge(&mut self, other: Table) {
        for (provider, days) in other.providers {
            let mine = self.providers.entry(provider).or_default();
            for (day, r) in days {
                let row = mine.entry(day).or_default();
                row.gross += r.gross;
                row.settled += r.settled;
                row.fees += r.fees;
                row.pending += r.pending;
                row.refunded += r.refunded;
                row.held += r.held;
                row.unaccounted += r.unaccounted;
                row.payments += r.payments;
            }
        }
    }

    /// Rows in (provider, day) order.
    pub fn rows(&self) -> impl Iterator<Item = (&str, NaiveDate, &Row)> {
        self.providers
            .iter()
            .flat_map(|(p, days)| days.iter().map(move |(d, r)| (p.as_str(), *d, r)))
    }
}
