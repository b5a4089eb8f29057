//! Groups for policy rules: a provider account's daily series, a payer's payments and claims,
//! a foreign payee's claims, a provider. Groups are listed cheaply with the marks dispatch
//! reads ([`Candidate`]); a view is built only for a group some rule's `when` fits.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use qrecon_core::{Case, Dataset, Money, RecordId, Settings, groups::Groups};
use rayon::prelude::*;
use rhai::{Array, Dynamic, Engine, ImmutableString};

use crate::header::{Mark, Scope};
use crate::view::{Amount, Date, RecordView};

/// A group a rule may look at: its scope, key and marks.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    /// Scope.
    pub scope: Scope,
    /// Key: `provider/account`, the payer, the payee name, the provider.
    pub key: std::borrow::Cow<'a, str>,
    /// Marks (bits of [`Mark`]).
    pub marks: u32,
    /// Provider, when the group has one.
    pub provider: Option<String>,
}

/// One day of an account, for rules.
#[derive(Debug, Clone)]
pub struct DayView {
    date: NaiveDate,
    sales: Money,
    sales_count: u32,
    payouts: Money,
    payout_count: u32,
}

/// A provider account over the run.
#[derive(Debug, Clone)]
pub struct AccountView {
    provider: ImmutableString,
    account: ImmutableString,
    ledger_seen: bool,
    freezes: Vec<RecordId>,
    days: Vec<DayView>,
    missed: Vec<NaiveDate>,
    shrunk: Vec<NaiveDate>,
    last_payout: Option<NaiveDate>,
    held: Vec<(ImmutableString, RecordId)>,
}

/// One day of a payer on one provider: the payments the merchant received from them.
#[derive(Debug, Clone)]
pub struct PayerDayView {
    provider: ImmutableString,
    date: NaiveDate,
    total: Money,
    count: u32,
    limit: Money,
    records: Vec<RecordId>,
}

/// A payer over the run: the payments the merchant received from them and their claims with
/// no platform payment, in time order.
#[derive(Debug, Clone)]
pub struct PayerView {
    payer: ImmutableString,
    records: Vec<RecordId>,
    days: Vec<PayerDayView>,
    unmatched: Vec<RecordId>,
    cases: BTreeMap<RecordId, ImmutableString>,
}

/// A payee named in claims that is not the merchant.
#[derive(Debug, Clone)]
pub struct PayeeView {
    name: ImmutableString,
    claims: Vec<RecordId>,
    payers: Vec<ImmutableString>,
    total: Money,
    cases: BTreeMap<RecordId, ImmutableString>,
}

/// A provider over the run.
#[derive(Debug, Clone)]
pub struct ProviderView {
    provider: ImmutableString,
    accounts: Vec<AccountView>,
}

/// A built view, for the rule call.
#[derive(Debug, Clone)]
pub enum View {
    /// Account.
    Account(AccountView),
    /// Payer.
    Payer(PayerView),
    /// Payee.
    Payee(PayeeView),
    /// Provider.
    Provider(ProviderView),
}

/// Everything group rules look at, indexed once per run.
pub struct Index<'a> {
    data: &'a Dataset,
    settings: &'a Settings,
    groups: &'a Groups,
    cases: &'a [Case],
    /// (payer, record, case index), sorted: one run per payer; only when a payer rule exists.
    payers: Vec<(&'a str, RecordId, u32)>,
    /// The runs of `payers`.
    payer_runs: Vec<std::ops::Range<usize>>,
    /// Account → held cases (frozen, or past due with no payout).
    held: BTreeMap<(&'a str, &'a str), Vec<u32>>,
}

fn bit(m: Mark) -> u32 {
    m.bit()
}

impl<'a> Index<'a> {
    /// Indexes the run for the scopes that have rules.
    pub fn new(
        data: &'a Dataset,
        settings: &'a Settings,
        groups: &'a Groups,
        cases: &'a [Case],
        payer_rules: bool,
    ) -> Self {
        // The payments the merchant received from each payer, and their claims that no
        // platform payment matched; a masked id (Alipay's `138****1234`) does not tell one
        // payer from another.
        let mut payers: Vec<(&str, RecordId, u32)> = if payer_rules {
            cases
                .par_iter()
                .enumerate()
                .filter_map(|(i, case)| {
                    let id = match (case.claim, case.txn) {
                        (Some(c), None) => c,
                        (_, Some(t))
                            if case.owns_payment()
                                && data.get(t).status == qrecon_core::Status::Success =>
                        {
                            t
                        }
                        _ => return None,
                    };
                    let payer = data.str(data.get(id).payer).filter(|p| !p.contains('*'))?;
                    Some((payer, id, u32::try_from(i).ok()?))
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut held: BTreeMap<(&str, &str), Vec<u32>> = BTreeMap::new();
        let today = settings.as_of_date();
        for (i, case) in (0u32..).zip(cases) {
            let Some(t) = case.txn else {
                continue;
            };
            let past_due = case.facts.expected_payout.is_some_and(|d| today > d);
            let is_held = case.frozen_by().is_some()
                || (past_due
                    && case.payouts.is_empty()
                    && case.bank.is_empty()
                    && case.settles(data));
            if is_held {
                let t = data.get(t);
                held.entry((data.s(t.provider), data.s(t.account)))
                    .or_default()
                    .push(i);
            }
        }
        payers.par_sort_unstable();
        let mut payer_runs = Vec::new();
        let mut start = 0;
        for i in 1..=payers.len() {
            if i == payers.len() || payers[i].0 != payers[start].0 {
                payer_runs.push(start..i);
                start = i;
            }
        }
        Index {
            data,
            settings,
            groups,
            cases,
            payers,
            payer_runs,
            held,
        }
    }

    /// Every group of `scope` with its marks (payers in no particular order: alerts are
    /// sorted by id in the end).
    pub fn candidates(&self, scope: Scope) -> Vec<Candidate<'_>> {
        match scope {
            Scope::Case => Vec::new(),
            Scope::Account => self
                .groups
                .accounts
                .values()
                .map(|s| Candidate {
                    scope,
                    key: format!("{}/{}", s.provider, s.account).into(),
                    marks: if s.freezes.is_empty() {
                        0
                    } else {
                        bit(Mark::Freeze)
                    } | if s.payouts_stopped() {
                        bit(Mark::Stopped)
                    } else {
                        0
                    },
                    provider: Some(s.provider.clone()),
                })
                .collect(),
            Scope::Payer => self
                .payer_runs
                .iter()
                .map(|r| {
                    let recs = &self.payers[r.clone()];
                    Candidate {
                        scope,
                        key: recs[0].0.into(),
                        marks: self.payer_marks(recs),
                        provider: None,
                    }
                })
                .collect(),
            Scope::Payee => self
                .groups
                .foreign_payees
                .iter()
                .map(|(name, p)| Candidate {
                    scope,
                    key: name.as_str().into(),
                    marks: if p.payers.len() >= 2 {
                        bit(Mark::Several)
                    } else {
                        0
                    },
                    provider: None,
                })
                .collect(),
            Scope::Provider => {
                let mut providers: Vec<String> = self
                    .groups
                    .accounts
                    .keys()
                    .map(|(p, _)| p.clone())
                    .collect();
                providers.dedup();
                providers
                    .into_iter()
                    .map(|p| Candidate {
                        scope,
                        key: p.clone().into(),
                        marks: 0,
                        provider: Some(p),
                    })
                    .collect()
            }
        }
    }

    /// A payer's marks; a payer with one record (most of them) costs no allocation.
    fn payer_marks(&self, recs: &[(&str, RecordId, u32)]) -> u32 {
        let mut marks = 0;
        if recs.len() >= 2 {
            marks |= bit(Mark::Several);
        }
        let is_claim = |id: &RecordId| self.data.get(*id).kind == qrecon_core::Kind::Claim;
        if recs.iter().any(|(_, id, _)| is_claim(id)) {
            marks |= bit(Mark::UnmatchedClaim);
        }
        let over_payment = recs.iter().any(|(_, id, _)| {
            let r = self.data.get(*id);
            !is_claim(id)
                && self
                    .settings
                    .per_payment_limits
                    .get(self.data.s(r.provider))
                    .is_some_and(|limit| r.amount > *limit)
        });
        let over = over_payment
            || match recs {
                [(_, id, _)] => {
                    let r = self.data.get(*id);
                    !is_claim(id)
                        && r.amount > self.settings.per_payer_day_limit(self.data.s(r.provider))
                }
                _ => self.payer_days(recs).iter().any(|d| d.total > d.limit),
            };
        if over {
            marks |= bit(Mark::OverLimit);
        }
        marks
    }

    fn case_id(&self, i: u32) -> ImmutableString {
        self.cases
            .get(i as usize)
            .map(|c| ImmutableString::from(c.id(self.data)))
            .unwrap_or_default()
    }

    fn payer_days(&self, recs: &[(&str, RecordId, u32)]) -> Vec<PayerDayView> {
        let mut days: BTreeMap<(&str, NaiveDate), PayerDayView> = BTreeMap::new();
        for (_, id, _) in recs {
            let r = self.data.get(*id);
            if r.kind == qrecon_core::Kind::Claim {
                continue; // a claim with no platform payment paid nothing
            }
            let Some(date) = r.local_date(self.settings.timezone) else {
                continue;
            };
            let provider = self.data.s(r.provider);
            let d = days
                .entry((provider, date))
                .or_insert_with(|| PayerDayView {
                    provider: provider.into(),
                    date,
                    total: Money::ZERO,
                    count: 0,
                    limit: self.settings.per_payer_day_limit(provider),
                    records: Vec::new(),
                });
            d.total += r.amount;
            d.count += 1;
            d.records.push(*id);
        }
        days.into_values().collect()
    }

    fn account(&self, s: &qrecon_core::groups::AccountSeries) -> AccountView {
        let held = self
            .held
            .get(&(s.provider.as_str(), s.account.as_str()))
            .map(|v| {
                v.iter()
                    .filter_map(|i| {
                        let case = self.cases.get(*i as usize)?;
                        Some((self.case_id(*i), case.txn?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        AccountView {
            provider: s.provider.as_str().into(),
            account: s.account.as_str().into(),
            ledger_seen: s.ledger_seen,
            freezes: s.freezes.clone(),
            days: s
                .days
                .iter()
                .map(|(date, d)| DayView {
                    date: *date,
                    sales: d.sales,
                    sales_count: d.sales_count,
                    payouts: d.payouts,
                    payout_count: d.payout_count,
                })
                .collect(),
            missed: s.missed_due_dates.clone(),
            shrunk: s.shrunk_due_dates.clone(),
            last_payout: s.last_payout,
            held,
        }
    }

    /// The view of one candidate.
    pub fn view(&self, c: &Candidate) -> Option<View> {
        match c.scope {
            Scope::Case => None,
            Scope::Account => {
                let (provider, account) = c.key.split_once('/')?;
                self.groups
                    .accounts
                    .get(&(provider.to_owned(), account.to_owned()))
                    .map(|s| View::Account(self.account(s)))
            }
            Scope::Payer => {
                let key: &str = &c.key;
                let start = self.payers.partition_point(|p| p.0 < key);
                let end = self.payers.partition_point(|p| p.0 <= key);
                let recs = &self.payers[start..end];
                if recs.is_empty() {
                    return None;
                }
                let mut records: Vec<RecordId> = recs.iter().map(|(_, id, _)| *id).collect();
                records.sort_by_key(|id| (self.data.get(*id).time, *id));
                Some(View::Payer(PayerView {
                    payer: (*c.key).into(),
                    unmatched: records
                        .iter()
                        .copied()
                        .filter(|id| self.data.get(*id).kind == qrecon_core::Kind::Claim)
                        .collect(),
                    records,
                    days: self.payer_days(recs),
                    cases: recs
                        .iter()
                        .map(|(_, id, i)| (*id, self.case_id(*i)))
                        .collect(),
                }))
            }
            Scope::Payee => {
                let p = self.groups.foreign_payees.get(&*c.key)?;
                let mut claims: Vec<(RecordId, u32)> = p
                    .cases
                    .iter()
                    .filter_map(|i| Some((self.cases.get(*i as usize)?.claim?, *i)))
                    .collect();
                claims.sort_by_key(|(id, _)| (self.data.get(*id).time, *id));
                Some(View::Payee(PayeeView {
                    name: (*c.key).into(),
                    payers: p.payers.iter().map(|x| x.as_str().into()).collect(),
                    total: p.total,
                    cases: claims
                        .iter()
                        .map(|(id, i)| (*id, self.case_id(*i)))
                        .collect(),
                    claims: claims.into_iter().map(|(id, _)| id).collect(),
                }))
            }
            Scope::Provider => Some(View::Provider(ProviderView {
                provider: (*c.key).into(),
                accounts: self
                    .groups
                    .accounts
                    .values()
                    .filter(|s| *s.provider == *c.key)
                    .map(|s| self.account(s))
                    .collect(),
            })),
        }
    }
}

impl View {
    /// The view as the rule's argument.
    pub fn into_dynamic(self) -> Dynamic {
        match self {
            View::Account(v) => Dynamic::from(v),
            View::Payer(v) => Dynamic::from(v),
            View::Payee(v) => Dynamic::from(v),
            View::Provider(v) => Dynamic::from(v),
        }
    }
}

fn recs(ids: &[RecordId]) -> Array {
    ids.iter()
        .map(|id| Dynamic::from(RecordView::of(*id)))
        .collect()
}

fn dates(ds: &[NaiveDate]) -> Array {
    ds.iter().map(|d| Dynamic::from(Date(*d))).collect()
}

fn opt_date(d: Option<NaiveDate>) -> Dynamic {
    d.map_or(Dynamic::UNIT, |d| Dynamic::from(Date(d)))
}

fn case_of(cases: &BTreeMap<RecordId, ImmutableString>, r: RecordView) -> Dynamic {
    cases
        .get(&r.id())
        .map_or(Dynamic::UNIT, |id| Dynamic::from(id.clone()))
}

/// Registers the group views' types and getters.
pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<DayView>("Day")
        .register_get("date", |d: &mut DayView| Date(d.date))
        .register_get("sales", |d: &mut DayView| Amount(d.sales))
        .register_get("sales_count", |d: &mut DayView| i64::from(d.sales_count))
        .register_get("payouts", |d: &mut DayView| Amount(d.payouts))
        .register_get("payout_count", |d: &mut DayView| i64::from(d.payout_count));
    engine
        .register_type_with_name::<AccountView>("Account")
        .register_get("provider", |a: &mut AccountView| a.provider.clone())
        .register_get("account", |a: &mut AccountView| a.account.clone())
        .register_get("ledger_seen", |a: &mut AccountView| a.ledger_seen)
        .register_get("freezes", |a: &mut AccountView| recs(&a.freezes))
        .register_get("days", |a: &mut AccountView| {
            a.days.iter().cloned().map(Dynamic::from).collect::<Array>()
        })
        .register_get("missed_due_dates", |a: &mut AccountView| dates(&a.missed))
        .register_get("shrunk_due_dates", |a: &mut AccountView| dates(&a.shrunk))
        .register_get("last_payout", |a: &mut AccountView| opt_date(a.last_payout))
        .register_get("held_cases", |a: &mut AccountView| {
            a.held
                .iter()
                .map(|(id, _)| Dynamic::from(id.clone()))
                .collect::<Array>()
        })
        .register_get("held_payments", |a: &mut AccountView| {
            recs(&a.held.iter().map(|(_, t)| *t).collect::<Vec<_>>())
        });
    engine
        .register_type_with_name::<PayerDayView>("PayerDay")
        .register_get("provider", |d: &mut PayerDayView| d.provider.clone())
        .register_get("date", |d: &mut PayerDayView| Date(d.date))
        .register_get("total", |d: &mut PayerDayView| Amount(d.total))
        .register_get("count", |d: &mut PayerDayView| i64::from(d.count))
        .register_get("limit", |d: &mut PayerDayView| Amount(d.limit))
        .register_get("records", |d: &mut PayerDayView| recs(&d.records));
    engine
        .register_type_with_name::<PayerView>("Payer")
        .register_get("payer", |p: &mut PayerView| p.payer.clone())
        .register_get("records", |p: &mut PayerView| recs(&p.records))
        .register_get("unmatched_claims", |p: &mut PayerView| recs(&p.unmatched))
        .register_get("days", |p: &mut PayerView| {
            p.days.iter().cloned().map(Dynamic::from).collect::<Array>()
        })
        .register_fn("case_of", |p: &mut PayerView, r: RecordView| {
            case_of(&p.cases, r)
        });
    engine
        .register_type_with_name::<PayeeView>("Payee")
        .register_get("name", |p: &mut PayeeView| p.name.clone())
        .register_get("claims", |p: &mut PayeeView| recs(&p.claims))
        .register_get("payers", |p: &mut PayeeView| {
            p.payers
                .iter()
                .map(|x| Dynamic::from(x.clone()))
                .collect::<Array>()
        })
        .register_get("total", |p: &mut PayeeView| Amount(p.total))
        .register_fn("case_of", |p: &mut PayeeView, r: RecordView| {
            case_of(&p.cases, r)
        });
    engine
        .register_type_with_name::<ProviderView>("Provider")
        .register_get("provider", |p: &mut ProviderView| p.provider.clone())
        .register_get("accounts", |p: &mut ProviderView| {
            p.accounts
                .iter()
                .cloned()
                .map(Dynamic::from)
                .collect::<Array>()
        });
}
