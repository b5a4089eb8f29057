//! Where the money of each day's payments is: per provider and payment day, the money in the
//! trade bill equals what was settled + pending + refunded + held + unaccounted. Every paid
//! case's gross amount is split into exactly these parts, so the identity holds row by row;
//! the table shows the split.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::case::Case;
use crate::dataset::Dataset;
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

/// Which part a case's remaining money is in, from its settlement finding.
fn part(case: &Case) -> Part {
    let code = case
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .find(|c| crate::diagnose::SETTLEMENT_CODES.contains(c));
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

/// The table: (provider, payment day) → row.
pub fn table(
    data: &Dataset,
    tz: chrono_tz::Tz,
    cases: &[Case],
) -> BTreeMap<(String, NaiveDate), Row> {
    let mut rows: BTreeMap<(String, NaiveDate), Row> = BTreeMap::new();
    for case in cases.iter().filter(|c| c.owns_payment()) {
        let Some(txn) = case.txn.map(|t| data.get(t)) else {
            continue;
        };
        if txn.status != Status::Success || txn.rtype != RecordType::Payment {
            continue;
        }
        let Some(day) = txn.local_date(tz) else {
            continue;
        };
        let row = rows
            .entry((data.s(txn.provider).to_owned(), day))
            .or_default();
        let f = &case.facts;
        let rest = f.gross - f.refunded;
        row.gross += f.gross;
        row.refunded += f.refunded;
        row.payments += 1;
        match part(case) {
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
    rows
}
