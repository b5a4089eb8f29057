//! Group views for policy rules and freeze detection: per provider account a daily series of
//! sales and payouts, per payer daily totals, per foreign payee the claims that name it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::case::Case;
use crate::dataset::Dataset;
use crate::ledger::Ledgers;
use crate::money::Money;
use crate::record::{RecordId, RecordType, Status};
use crate::settings::Settings;

/// One day of an account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayTotals {
    /// Successful payments.
    pub sales: Money,
    /// Their count.
    pub sales_count: u32,
    /// Payouts that left that day (returned ones excluded).
    pub payouts: Money,
    /// Their count.
    pub payout_count: u32,
}

/// A provider account's daily series.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountSeries {
    /// Provider.
    pub provider: String,
    /// Account (商户号, PID).
    pub account: String,
    /// Day by day.
    pub days: BTreeMap<NaiveDate, DayTotals>,
    /// Whether its ledger (fund flow) is in the inputs, so payouts are visible.
    pub ledger_seen: bool,
    /// Freeze lines.
    pub freezes: Vec<RecordId>,
    /// Last day a payout left.
    pub last_payout: Option<NaiveDate>,
    /// Payout due dates already past with no payout since, while sales went on.
    pub missed_due_dates: Vec<NaiveDate>,
}

impl AccountSeries {
    /// Payouts stopped: two or more business due dates passed with no payout.
    pub fn payouts_stopped(&self) -> bool {
        self.ledger_seen && self.missed_due_dates.len() >= 2
    }
}

/// A payer's day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PayerDay {
    /// Total paid (claims and payments the payer is known for).
    pub total: Money,
    /// Count.
    pub count: u32,
    /// Cases.
    pub cases: Vec<String>,
}

/// A payee named in claims that is not the merchant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForeignPayee {
    /// Claims naming it.
    pub cases: Vec<String>,
    /// Distinct payers.
    pub payers: BTreeSet<String>,
    /// Total claimed.
    pub total: Money,
}

/// All group views.
#[derive(Clone, Debug, Default)]
pub struct Groups {
    /// By (provider, account).
    pub accounts: BTreeMap<(String, String), AccountSeries>,
    /// By (provider, payer, date).
    pub payers: BTreeMap<(String, String, NaiveDate), PayerDay>,
    /// By payee name.
    pub foreign_payees: BTreeMap<String, ForeignPayee>,
}

/// Builds the views from the cases and ledgers.
pub fn build(data: &Dataset, settings: &Settings, cases: &[Case], ledgers: &Ledgers) -> Groups {
    let mut g = Groups::default();
    let tz = settings.timezone;
    for case in cases {
        let Some(txn) = case
            .txn
            .filter(|_| case.owns_payment())
            .map(|t| data.get(t))
        else {
            continue;
        };
        if txn.status != Status::Success || txn.rtype != RecordType::Payment {
            continue;
        }
        let Some(day) = txn.local_date(tz) else {
            continue;
        };
        let s = series(&mut g, data.s(txn.provider), data.s(txn.account));
        let d = s.days.entry(day).or_default();
        d.sales += txn.amount;
        d.sales_count += 1;
    }
    for p in ledgers.payouts.iter().filter(|p| p.returned_by.is_none()) {
        let s = series(&mut g, &p.provider, &p.account);
        let d = s.days.entry(p.date).or_default();
        d.payouts += p.amount;
        d.payout_count += 1;
    }
    for (key, ids) in &ledgers.freezes {
        series(&mut g, &key.0, &key.1).freezes.clone_from(ids);
    }
    for key in &ledgers.accounts {
        series(&mut g, &key.0, &key.1).ledger_seen = true;
    }
    for s in g.accounts.values_mut() {
        missed(settings, s);
    }
    people(data, settings, cases, &mut g);
    g
}

fn series<'g>(g: &'g mut Groups, provider: &str, account: &str) -> &'g mut AccountSeries {
    g.accounts
        .entry((provider.to_owned(), account.to_owned()))
        .or_insert_with(|| AccountSeries {
            provider: provider.to_owned(),
            account: account.to_owned(),
            ..AccountSeries::default()
        })
}

fn missed(settings: &Settings, s: &mut AccountSeries) {
    s.last_payout = s
        .days
        .iter()
        .rev()
        .find(|(_, d)| d.payout_count > 0)
        .map(|(day, _)| *day);
    let terms = settings.terms(&s.provider);
    let cal = settings.calendar(&terms.calendar);
    let dues: BTreeSet<NaiveDate> = s
        .days
        .iter()
        .filter(|(_, d)| d.sales_count > 0)
        .map(|(day, _)| terms.settlement.due(*day, cal))
        .filter(|due| settings.is_past(*due) && s.last_payout.is_none_or(|last| *due > last))
        .collect();
    s.missed_due_dates = dues.into_iter().collect();
}

fn people(data: &Dataset, settings: &Settings, cases: &[Case], g: &mut Groups) {
    let tz = settings.timezone;
    for case in cases {
        let Some(claim) = case.claim.map(|c| data.get(c)) else {
            continue;
        };
        let provider = data.s(claim.provider);
        if let Some(payee) = data
            .str(claim.payee_name)
            .filter(|p| !settings.is_merchant(provider, p))
        {
            let f = g.foreign_payees.entry(payee.to_owned()).or_default();
            f.cases.push(case.case_id.clone());
            f.total += claim.amount;
            if let Some(payer) = data.str(claim.payer) {
                f.payers.insert(payer.to_owned());
            }
        }
        if case.txn.is_none() {
            add_payer(g, data, claim, tz, &case.case_id);
        }
    }
    for case in cases.iter().filter(|c| c.owns_payment()) {
        if let Some(txn) = case
            .txn
            .map(|t| data.get(t))
            .filter(|t| t.status == Status::Success)
        {
            add_payer(g, data, txn, tz, &case.case_id);
        }
    }
}

fn add_payer(
    g: &mut Groups,
    data: &Dataset,
    r: &crate::record::Record,
    tz: chrono_tz::Tz,
    case_id: &str,
) {
    let (Some(payer), Some(day)) = (data.str(r.payer), r.local_date(tz)) else {
        return;
    };
    let d = g
        .payers
        .entry((data.s(r.provider).to_owned(), payer.to_owned(), day))
        .or_default();
    d.total += r.amount;
    d.count += 1;
    d.cases.push(case_id.to_owned());
}
