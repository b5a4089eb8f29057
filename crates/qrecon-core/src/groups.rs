//! Group views for policy rules and freeze detection: per provider account a daily series of
//! sales and payouts, per foreign payee the claims that name it.

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
    /// Due dates whose payouts carried less than half of the sales due out that day.
    pub shrunk_due_dates: Vec<NaiveDate>,
}

impl AccountSeries {
    /// Payouts stopped or shrank: two or more past due dates with no payout since, or with
    /// payouts under half of the sales due out, while sales went on.
    pub fn payouts_stopped(&self) -> bool {
        self.ledger_seen && (self.missed_due_dates.len() >= 2 || self.shrunk_due_dates.len() >= 2)
    }
}

/// A payee named in claims that is not the merchant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForeignPayee {
    /// Claims naming it (indexes into the run's sorted cases).
    pub cases: Vec<u32>,
    /// Distinct payers.
    pub payers: BTreeSet<String>,
    /// Total claimed.
    pub total: Money,
}

/// The account and foreign-payee views (payers are grouped by the rules crate, only when a
/// payer rule exists: a million payers cost memory only payer rules need).
#[derive(Clone, Debug, Default)]
pub struct Groups {
    /// By (provider, account).
    pub accounts: BTreeMap<(String, String), AccountSeries>,
    /// By payee name.
    pub foreign_payees: BTreeMap<String, ForeignPayee>,
}

type Key<'a> = (&'a str, &'a str);

/// Builds the views from the cases and ledgers.
pub fn build(data: &Dataset, settings: &Settings, cases: &[Case], ledgers: &Ledgers<'_>) -> Groups {
    let mut g = Groups::default();
    let (mut acc, foreign_payees) = rayon::join(
        || sales(data, settings.timezone, cases),
        || foreign(data, settings, cases),
    );
    g.foreign_payees = foreign_payees;
    for p in ledgers.payouts.iter().filter(|p| p.returned_by.is_none()) {
        let d = entry(&mut acc, p.provider, p.account)
            .days
            .entry(p.date)
            .or_default();
        d.payouts += p.amount;
        d.payout_count += 1;
    }
    for (key, ids) in &ledgers.freezes {
        entry(&mut acc, key.0, key.1).freezes.clone_from(ids);
    }
    for key in &ledgers.accounts {
        entry(&mut acc, key.0, key.1).ledger_seen = true;
    }
    for (key, mut s) in acc {
        missed(settings, &mut s);
        g.accounts.insert((key.0.to_owned(), key.1.to_owned()), s);
    }
    g
}

/// Each account's successful payments by local day (sums and counts), added up in parallel
/// (in any order: the sums are exact).
fn sales<'a>(
    data: &'a Dataset,
    tz: chrono_tz::Tz,
    cases: &[Case],
) -> rustc_hash::FxHashMap<Key<'a>, AccountSeries> {
    use rayon::prelude::*;
    type Days<'d> = rustc_hash::FxHashMap<Key<'d>, BTreeMap<NaiveDate, (Money, u32)>>;
    let days: Days<'a> = cases
        .par_iter()
        .filter(|c| c.owns_payment())
        .filter_map(|case| {
            let txn = data.get(case.txn?);
            if txn.status != Status::Success || txn.rtype != RecordType::Payment {
                return None;
            }
            let day = txn.local_date(tz)?;
            Some(((data.s(txn.provider), data.s(txn.account)), day, txn.amount))
        })
        .fold(Days::default, |mut days, (key, day, amount)| {
            let d = days.entry(key).or_default().entry(day).or_default();
            d.0 += amount;
            d.1 += 1;
            days
        })
        .reduce(Days::default, |mut a, b| {
            for (key, days) in b {
                let into = a.entry(key).or_default();
                for (day, (amount, n)) in days {
                    let d = into.entry(day).or_default();
                    d.0 += amount;
                    d.1 += n;
                }
            }
            a
        });
    let mut acc = rustc_hash::FxHashMap::default();
    for ((provider, account), days) in days {
        let s = entry(&mut acc, provider, account);
        for (day, (sales, sales_count)) in days {
            s.days.insert(
                day,
                DayTotals {
                    sales,
                    sales_count,
                    ..DayTotals::default()
                },
            );
        }
    }
    acc
}

fn entry<'m, 'a>(
    map: &'m mut rustc_hash::FxHashMap<Key<'a>, AccountSeries>,
    provider: &'a str,
    account: &'a str,
) -> &'m mut AccountSeries {
    map.entry((provider, account))
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
    let mut due_sales: BTreeMap<NaiveDate, Money> = BTreeMap::new();
    for (day, d) in s.days.iter().filter(|(_, d)| d.sales_count > 0) {
        *due_sales
            .entry(terms.settlement.due(*day, cal))
            .or_default() += d.sales;
    }
    s.shrunk_due_dates = due_sales
        .into_iter()
        .filter(|(due, sales)| {
            let paid = s.days.get(due).map_or(Money::ZERO, |d| d.payouts);
            settings.is_past(*due) && paid > Money::ZERO && Money(paid.0 * 2) < *sales
        })
        .map(|(due, _)| due)
        .collect();
}

/// Claims naming a payee that is not the merchant, by payee (found in parallel, gathered in
/// case order).
fn foreign(data: &Dataset, settings: &Settings, cases: &[Case]) -> BTreeMap<String, ForeignPayee> {
    use rayon::prelude::*;
    let found: Vec<(u32, &str, Money, Option<&str>)> = cases
        .par_iter()
        .zip(0..u32::try_from(cases.len()).unwrap_or(u32::MAX))
        .filter_map(|(case, i)| {
            let claim = data.get(case.claim?);
            let provider = data.s(claim.provider);
            let payee = data
                .str(claim.payee_name)
                .filter(|p| !settings.is_merchant(provider, p))?;
            Some((i, payee, claim.amount, data.str(claim.payer)))
        })
        .collect();
    let mut payees: BTreeMap<String, ForeignPayee> = BTreeMap::new();
    for (i, payee, amount, payer) in found {
        let f = payees.entry(payee.to_owned()).or_default();
        f.cases.push(i);
        f.total += amount;
        if let Some(payer) = payer {
            f.payers.insert(payer.to_owned());
        }
    }
    payees
}
