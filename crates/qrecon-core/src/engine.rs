//! The reconciliation run: links every record into cases along claim → txn → fund → payout →
//! bank, computes each case's facts and builds the group views; the rules diagnose.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::bank::{self, BankMatches, CycleGroup};
use crate::case::{BankHop, Case, Facts, Method};
use crate::claims;
use crate::dataset::Dataset;
use crate::groups::{self, Groups};
use crate::index::Indexes;
use crate::ledger::{self, Ledgers};
use crate::money::Money;
use crate::record::{RecordId, Status};
use crate::settings::Settings;

/// Everything a run found.
pub struct Outcome {
    /// Cases sorted by id.
    pub cases: Vec<Case>,
    /// Group views.
    pub groups: Groups,
    /// Records that repeat a payment or refund seen in another bill.
    pub repeats: Vec<RecordId>,
    /// How long each stage took (for benchmarks; never part of the outputs).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Stage timer.
struct Clock(std::time::Instant, Vec<(&'static str, std::time::Duration)>);

impl Clock {
    fn start() -> Self {
        Clock(std::time::Instant::now(), Vec::new())
    }

    fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.1.push((stage, now - self.0));
        self.0 = now;
    }
}

/// Links and computes facts and views (diagnosis is the rules' job).
pub fn assemble(data: &Dataset, settings: &Settings) -> Outcome {
    let mut clock = Clock::start();
    let mut ix = Indexes::build(data);
    clock.lap("index");
    let (mut cases, consumed) = claims::link_claims(data, settings, &ix);
    // A case per payment no claim consumed, made in parallel straight into room reserved for
    // them (a million cases are a few hundred megabytes: growing the vector by doubling
    // copied them again and again).
    let unclaimed: Vec<RecordId> = ix
        .payments
        .par_iter()
        .copied()
        .filter(|id| !consumed.contains_key(id))
        .collect();
    cases.reserve_exact(unclaimed.len());
    cases.par_extend(unclaimed.par_iter().map(|&id| Case::new(None, Some(id))));
    clock.lap("claims and cases");
    let mut ledgers = ledger::replay(data, &ix, settings.timezone);
    clock.lap("ledgers");
    let by_amount = bank::credits_by_amount(data, settings);
    let mut banks = bank::link_payouts(data, settings, &ledgers.payouts, &by_amount);
    clock.lap("bank");
    cases
        .par_iter_mut()
        .for_each(|case| chain(data, settings, &ix, &ledgers, &banks, case));
    // What only the chain needed goes before the next stages allocate.
    let repeats = std::mem::take(&mut ix.repeats);
    drop(ix);
    ledgers.carried = ledger::CarriedBy::default();
    clock.lap("chain and facts");
    cycles(data, settings, &by_amount, &mut banks, &mut cases);
    // By case id, compared as the id's bytes kept inline (ids are short): no string
    // allocated per case, no pointer followed per comparison.
    cases.par_sort_by_cached_key(|c| {
        let mut id = smallvec::SmallVec::<[u8; 48]>::new();
        for part in c.id_parts(data) {
            id.extend_from_slice(part.as_bytes());
        }
        id
    });
    clock.lap("cycles and sort");
    let groups = groups::build(data, settings, &cases, &ledgers);
    clock.lap("groups");
    let stopped: FxHashMap<(&str, &str), bool> = groups
        .accounts
        .values()
        .map(|a| {
            (
                (a.provider.as_str(), a.account.as_str()),
                a.payouts_stopped(),
            )
        })
        .collect();
    cases.par_iter_mut().for_each(|case| {
        let key = (
            case.provider(data).unwrap_or_default(),
            case.account(data).unwrap_or_default(),
        );
        case.facts.payouts_stopped = stopped.get(&key).copied().unwrap_or(false);
        case.facts.days_overdue = days_overdue(data, settings, case);
    });
    clock.lap("stopped payouts");
    Outcome {
        cases,
        groups,
        repeats,
        timings: clock.1,
    }
}

/// Attaches a payment's refunds, fund lines, payouts and bank credits, and its facts.
fn chain(
    data: &Dataset,
    settings: &Settings,
    ix: &Indexes<'_>,
    ledgers: &Ledgers,
    banks: &BankMatches,
    case: &mut Case,
) {
    let Some(txn_id) = case.txn else { return };
    if case.duplicate_of.is_some() {
        return;
    }
    case.refunds = ix.refunds_of(txn_id).into();
    case.funds = ix.income_of(txn_id).into();
    case.payouts = ledgers.carried.of(txn_id).into();
    for c in &case.payouts {
        let payout = &ledgers.payouts[ledgers.payout_index[&c.payout]];
        if let Some(ret) = payout.returned_by {
            case.rare.get_or_insert_with(Box::default).returns.push(ret);
        }
        if let Some(link) = banks.by_payout.get(&c.payout) {
            case.bank.push(BankHop {
                bank: link.bank,
                payout: Some(c.payout),
                method: link.method,
            });
        }
        if let Some(tied) = banks.ambiguous.get(&c.payout) {
            case.rare
                .get_or_insert_with(Box::default)
                .bank_ambiguous
                .extend(tied);
        }
    }
    if let Some((freeze, _)) = ledgers.frozen.get(&txn_id) {
        case.rare_mut().frozen_by = Some(*freeze);
    }
    case.facts = facts(data, settings, ledgers, case);
}

fn facts(data: &Dataset, settings: &Settings, ledgers: &Ledgers, case: &Case) -> Facts {
    let tz = settings.timezone;
    let Some(txn) = case.txn.map(|t| data.get(t)) else {
        return Facts::default();
    };
    let refunds = case.successful_refunds(data).map(|r| data.get(r));
    let (refunded, refund_fees) = refunds.fold((Money::ZERO, Money::ZERO), |(a, f), r| {
        (a - r.amount, f + r.fee.unwrap_or_default())
    });
    let fee = txn.fee.unwrap_or_default() + refund_fees;
    let live: Vec<_> = case
        .payouts
        .iter()
        .filter(|c| {
            ledgers.payouts[ledgers.payout_index[&c.payout]]
                .returned_by
                .is_none()
        })
        .collect();
    let terms = settings.terms(data.s(txn.provider));
    let cal = settings.calendar(&terms.calendar);
    let paid_date = txn.local_date(tz);
    let expected_payout = paid_date.map(|d| terms.settlement.due(d, cal));
    let payout_date = live
        .iter()
        .map(|c| ledgers.payouts[ledgers.payout_index[&c.payout]].date)
        .max();
    Facts {
        gross: txn.amount,
        fee,
        refunded,
        net: txn.amount - refunded - fee,
        paid_out: live.iter().map(|c| c.amount).sum(),
        frozen: case
            .txn
            .and_then(|t| ledgers.frozen.get(&t))
            .map_or(Money::ZERO, |(_, m)| *m),
        paid_date,
        expected_payout,
        payout_date,
        expected_bank: payout_date
            .or(expected_payout)
            .map(|d| cal.add_business_days(d, terms.bank_days)),
        bank_date: case
            .bank
            .iter()
            .filter_map(|b| {
                data.get(b.bank)
                    .value_date
                    .or_else(|| data.get(b.bank).local_date(tz))
            })
            .max(),
        days_overdue: 0,
        payouts_stopped: false,
        ledger_seen: ledgers
            .accounts
            .contains(&(data.s(txn.provider), data.s(txn.account))),
    }
}

/// Payments of accounts whose ledger is not in the inputs: the day's net settlement as one
/// bank credit.
fn cycles(
    data: &Dataset,
    settings: &Settings,
    by_amount: &FxHashMap<Money, Vec<RecordId>>,
    banks: &mut BankMatches,
    cases: &mut [Case],
) {
    let mut groups: std::collections::BTreeMap<(&str, &str, chrono::NaiveDate), Vec<usize>> =
        std::collections::BTreeMap::default();
    for (i, case) in cases.iter().enumerate() {
        let Some(txn) = case
            .txn
            .filter(|_| case.owns_payment())
            .map(|t| data.get(t))
        else {
            continue;
        };
        if case.facts.ledger_seen || txn.status != Status::Success {
            continue;
        }
        let Some(due) = case.facts.expected_payout else {
            continue;
        };
        groups
            .entry((data.s(txn.provider), data.s(txn.account), due))
            .or_default()
            .push(i);
    }
    let (list, members): (Vec<CycleGroup>, Vec<Vec<usize>>) = groups
        .into_iter()
        .map(|((provider, account, due), members)| {
            let net = members.iter().map(|i| cases[*i].facts.net).sum();
            (
                CycleGroup {
                    provider: provider.to_owned(),
                    account: account.to_owned(),
                    due,
                    net,
                },
                members,
            )
        })
        .unzip();
    let found = bank::link_cycles(data, settings, &list, by_amount, &mut banks.consumed);
    for (gi, members) in members.iter().enumerate() {
        match found.get(&gi) {
            Some(Ok(bank)) => {
                for &i in members {
                    let case = &mut cases[i];
                    case.bank.push(BankHop {
                        bank: *bank,
                        payout: None,
                        method: Method::Cycle,
                    });
                    case.facts.bank_date = data.get(*bank).value_date;
                }
            }
            Some(Err(tied)) => {
                for &i in members {
                    cases[i].rare_mut().bank_ambiguous.extend(tied);
                }
            }
            None => {}
        }
    }
}

/// Business days past the due date of the link that is missing: the payout while nothing
/// carried the money out, else the bank credit while none arrived.
fn days_overdue(data: &Dataset, settings: &Settings, case: &Case) -> u32 {
    let f = &case.facts;
    let due = if case.payouts.is_empty() && case.bank.is_empty() {
        f.expected_payout
    } else if case.bank.is_empty() {
        f.expected_bank
    } else {
        None
    };
    let Some(due) = due.filter(|d| settings.is_past(*d)) else {
        return 0;
    };
    let terms = settings.terms(case.provider(data).unwrap_or_default());
    settings
        .calendar(&terms.calendar)
        .business_days_between(due, settings.as_of_date())
}
