//! Payouts to bank credits: by reference (the payout id appears on the bank line), else by
//! amount + value-date window + counterparty (支付宝（中国）网络技术有限公司, 财付通支付科技有限公司,
//! … configurable per provider). Payments of accounts whose ledger is not in the inputs are
//! linked by settlement cycle instead: the net of a day's payments due together, as one credit.
//! A bank line is consumed once; equally good candidates are never guessed between.

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::case::Method;
use crate::dataset::Dataset;
use crate::ledger::Payout;
use crate::money::Money;
use crate::record::{Kind, Record, RecordId};
use crate::settings::Settings;

/// A bank credit tied to a payout (or to a cycle group).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BankLink {
    /// The bank line.
    pub bank: RecordId,
    /// How.
    pub method: Method,
}

/// The bank side of the run.
#[derive(Default)]
pub struct BankMatches {
    /// Payout record → its bank credit.
    pub by_payout: FxHashMap<RecordId, BankLink>,
    /// Payout record → the equally good credits none was chosen from.
    pub ambiguous: FxHashMap<RecordId, Vec<RecordId>>,
    /// Bank lines consumed.
    pub consumed: FxHashSet<RecordId>,
}

/// Merchant bank credits by amount.
pub fn credits_by_amount(data: &Dataset, settings: &Settings) -> FxHashMap<Money, Vec<RecordId>> {
    let mut by_amount: FxHashMap<Money, Vec<RecordId>> = FxHashMap::default();
    for (id, r) in data.iter() {
        if r.kind == Kind::Bank
            && r.amount > Money::ZERO
            && settings.is_merchant_bank_account(data.str(r.account))
        {
            by_amount.entry(r.amount).or_default().push(id);
        }
    }
    by_amount
}

/// Whether a bank line names one of `names` (counterparty or memo).
fn names_provider(data: &Dataset, r: &Record, names: &[String]) -> bool {
    let texts = [data.str(r.counterparty), data.str(r.memo)];
    names
        .iter()
        .any(|n| texts.iter().flatten().any(|t| t.contains(n.as_str())))
}

fn mentions(data: &Dataset, r: &Record, reference: &str) -> bool {
    [
        data.str(r.bank_ref),
        data.str(r.memo),
        data.str(r.counterparty),
    ]
    .iter()
    .flatten()
    .any(|t| t.contains(reference))
        || data.extra(r).any(|(_, v)| v.contains(reference))
}

/// The bank credit for something of `amount` paid out on `from`, expected by `due`.
struct Want<'a> {
    amount: Money,
    from: NaiveDate,
    last: NaiveDate,
    reference: Option<&'a str>,
    names: &'a [String],
    /// The bank account the provider account pays out to, when the config says.
    settles_to: Option<&'a str>,
}

fn candidates(
    data: &Dataset,
    by_amount: &FxHashMap<Money, Vec<RecordId>>,
    consumed: &FxHashSet<RecordId>,
    want: &Want<'_>,
    tz: chrono_tz::Tz,
) -> Vec<(bool, i64, RecordId)> {
    let mut out = Vec::new();
    for &id in by_amount.get(&want.amount).into_iter().flatten() {
        if consumed.contains(&id) {
            continue;
        }
        let r = data.get(id);
        let Some(day) = r.value_date.or_else(|| r.local_date(tz)) else {
            continue;
        };
        if day < want.from || day > want.last {
            continue;
        }
        // A credit on a statement of another account is not this payout's.
        let elsewhere = want.settles_to.is_some_and(|a| {
            data.str(r.account)
                .is_some_and(|seen| !crate::settings::accounts_match(a, seen))
        });
        if elsewhere {
            continue;
        }
        let by_ref = want
            .reference
            .is_some_and(|p| p.len() >= 6 && mentions(data, r, p));
        if by_ref || names_provider(data, r, want.names) {
            out.push((by_ref, (day - want.from).num_days(), id));
        }
    }
    out
}

/// The single best candidate, or every candidate tied for best.
fn best(mut c: Vec<(bool, i64, RecordId)>) -> Result<Option<(bool, RecordId)>, Vec<RecordId>> {
    c.sort_by_key(|(by_ref, gap, id)| (!*by_ref, *gap, *id));
    match c.as_slice() {
        [] => Ok(None),
        [(r, _, id)] => Ok(Some((*r, *id))),
        [(r0, g0, id0), (r1, g1, _), ..] if (r0, g0) != (r1, g1) => Ok(Some((*r0, *id0))),
        [(r0, g0, _), ..] => Err(c
            .iter()
            .filter(|(r, g, _)| (r, g) == (r0, g0))
            .map(|(_, _, id)| *id)
            .collect()),
    }
}

/// Links every payout that was not returned to its bank credit, in payout order.
pub fn link_payouts(
    data: &Dataset,
    settings: &Settings,
    payouts: &[Payout],
    by_amount: &FxHashMap<Money, Vec<RecordId>>,
) -> BankMatches {
    let mut m = BankMatches::default();
    let mut order: Vec<&Payout> = payouts.iter().filter(|p| p.returned_by.is_none()).collect();
    order.sort_by_key(|p| (p.date, data.get(p.record).time, data.get(p.record).source));
    for p in order {
        let terms = settings.terms(p.provider);
        let cal = settings.calendar(&terms.calendar);
        let due = cal.add_business_days(p.date, terms.bank_days);
        let want = Want {
            amount: p.amount,
            from: p.date,
            last: cal.add_business_days(due, settings.windows.bank_days),
            reference: data.str(data.get(p.record).payout_id),
            names: &terms.counterparties,
            settles_to: settings
                .settlement_accounts
                .get(p.account)
                .map(String::as_str),
        };
        match best(candidates(
            data,
            by_amount,
            &m.consumed,
            &want,
            settings.timezone,
        )) {
            Ok(Some((by_ref, bank))) => {
                m.consumed.insert(bank);
                let method = if by_ref {
                    Method::Id(crate::case::Key::PayoutId)
                } else {
                    Method::Window
                };
                m.by_payout.insert(p.record, BankLink { bank, method });
            }
            Ok(None) => {}
            Err(tied) => {
                m.ambiguous.insert(p.record, tied);
            }
        }
    }
    m
}

/// A day's payments of one account, due to be paid out together.
pub struct CycleGroup {
    /// Provider.
    pub provider: String,
    /// Provider account.
    pub account: String,
    /// The payout due date.
    pub due: NaiveDate,
    /// Net amount expected.
    pub net: Money,
}

/// Links cycle groups to bank credits of exactly their net amount within the window.
pub fn link_cycles(
    data: &Dataset,
    settings: &Settings,
    groups: &[CycleGroup],
    by_amount: &FxHashMap<Money, Vec<RecordId>>,
    consumed: &mut FxHashSet<RecordId>,
) -> FxHashMap<usize, Result<RecordId, Vec<RecordId>>> {
    let mut out = FxHashMap::default();
    for (i, g) in groups.iter().enumerate() {
        if g.net <= Money::ZERO {
            continue;
        }
        let terms = settings.terms(&g.provider);
        let cal = settings.calendar(&terms.calendar);
        let due = cal.add_business_days(g.due, terms.bank_days);
        let want = Want {
            amount: g.net,
            from: g.due,
            last: cal.add_business_days(due, settings.windows.bank_days),
            reference: None,
            names: &terms.counterparties,
            settles_to: settings
                .settlement_accounts
                .get(&g.account)
                .map(String::as_str),
        };
        match best(candidates(
            data,
            by_amount,
            consumed,
            &want,
            settings.timezone,
        )) {
            Ok(Some((_, bank))) => {
                consumed.insert(bank);
                out.insert(i, Ok(bank));
            }
            Ok(None) => {}
            Err(tied) => {
                out.insert(i, Err(tied));
            }
        }
    }
    out
}
