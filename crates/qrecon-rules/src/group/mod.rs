//! Groups for policy rules: a provider account's daily series, a payer's payments and claims,
//! a foreign payee's claims, a provider. Groups are listed cheaply with the marks dispatch
//! reads ([`Candidate`]); a view is built once for a group some rule's `when` fits, and every
//! rule of the scope that fits reads the same view. Views do the per-record work in Rust
//! (bursts, runs under a limit, day totals, clusters: [`span`]), so a group rule costs a few
//! Rhai steps per finding, not one per record.

pub mod account;
pub mod payee;
pub mod payer;
pub mod span;

use std::collections::BTreeMap;
use std::sync::Arc;

use qrecon_core::{Case, Dataset, RecordId, Settings, groups::Groups};
use rayon::prelude::*;
use rhai::{Dynamic, Engine, ImmutableString};

use crate::header::{Mark, Scope};
pub use account::{AccountView, DayView};
pub use payee::PayeeView;
pub use payer::{PayerDayView, PayerTable, PayerView};
pub use span::Span;

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
    /// Where the group is in its index (payers: the payer's number in the table).
    slot: usize,
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
    /// Payers; only when a payer rule exists.
    payers: Arc<PayerTable>,
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
        let payers = Arc::new(PayerTable::new(
            data,
            settings,
            if payer_rules { cases } else { &[] },
        ));
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
        Index {
            data,
            settings,
            groups,
            cases,
            payers,
            held,
        }
    }

    /// Every group of `scope` with its marks.
    pub fn candidates(&self, scope: Scope) -> Vec<Candidate<'_>> {
        self.candidates_where(scope, |_| true)
    }

    /// The groups of `scope` whose marks `keep` accepts (payers are listed by the hundred
    /// thousand, most of them with nothing a rule looks for).
    pub fn candidates_where(
        &self,
        scope: Scope,
        keep: impl Fn(u32) -> bool + Sync,
    ) -> Vec<Candidate<'_>> {
        if scope == Scope::Payer {
            return (0..self.payers.len())
                .into_par_iter()
                .filter_map(|slot| {
                    let marks = self.payer_marks(slot);
                    keep(marks).then(|| Candidate {
                        scope,
                        key: self.payers.payer(self.data, slot).into(),
                        marks,
                        provider: None,
                        slot,
                    })
                })
                .collect();
        }
        let mut all = self.all_candidates(scope);
        all.retain(|c| keep(c.marks));
        all
    }

    fn all_candidates(&self, scope: Scope) -> Vec<Candidate<'_>> {
        match scope {
            // Payers are listed by `candidates_where`.
            Scope::Case | Scope::Payer => Vec::new(),
            Scope::Account => self
                .groups
                .accounts
                .values()
                .enumerate()
                .map(|(slot, s)| Candidate {
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
                    slot,
                })
                .collect(),
            Scope::Payee => self
                .groups
                .foreign_payees
                .iter()
                .enumerate()
                .map(|(slot, (name, p))| Candidate {
                    scope,
                    key: name.as_str().into(),
                    marks: if p.payers.len() >= 2 {
                        bit(Mark::Several)
                    } else {
                        0
                    },
                    provider: None,
                    slot,
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
                    .enumerate()
                    .map(|(slot, p)| Candidate {
                        scope,
                        key: p.clone().into(),
                        marks: 0,
                        provider: Some(p),
                        slot,
                    })
                    .collect()
            }
        }
    }

    fn payer_marks(&self, slot: usize) -> u32 {
        let (several, claim, over) = self.payers.summary(self.data, self.settings, slot);
        [
            (several, Mark::Several),
            (claim, Mark::UnmatchedClaim),
            (over, Mark::OverLimit),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(0, |acc, (_, m)| acc | bit(*m))
    }

    fn case_id(&self, i: u32) -> ImmutableString {
        self.cases
            .get(i as usize)
            .map(|c| ImmutableString::from(c.id(self.data)))
            .unwrap_or_default()
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

    fn payee(&self, name: &str, p: &qrecon_core::groups::ForeignPayee) -> PayeeView {
        let mut claims: Vec<(RecordId, RecordId)> = p
            .cases
            .iter()
            .filter_map(|i| {
                let case = self.cases.get(*i as usize)?;
                Some((case.claim?, case.key()?))
            })
            .collect();
        claims.sort_by_key(|(id, _)| (self.data.get(*id).time, *id));
        let mut by_record = claims.clone();
        by_record.sort_unstable();
        PayeeView {
            name: name.into(),
            payers: p.payers.iter().map(|x| x.as_str().into()).collect(),
            total: p.total,
            claims,
            by_record,
        }
    }

    /// The view of one candidate.
    pub fn view(&self, c: &Candidate) -> Option<View> {
        match c.scope {
            Scope::Case => None,
            Scope::Account => self
                .groups
                .accounts
                .values()
                .nth(c.slot)
                .map(|s| View::Account(self.account(s))),
            Scope::Payer => (c.slot < self.payers.len())
                .then(|| View::Payer(PayerView::new(self.data, &self.payers, c.slot))),
            Scope::Payee => self
                .groups
                .foreign_payees
                .iter()
                .nth(c.slot)
                .map(|(name, p)| View::Payee(self.payee(name, p))),
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

/// Registers the group views' types, getters and functions.
pub fn register(engine: &mut Engine) {
    span::register(engine);
    account::register(engine);
    payer::register(engine);
    payee::register(engine);
    engine
        .register_type_with_name::<ProviderView>("Provider")
        .register_get("provider", |p: &mut ProviderView| p.provider.clone())
        .register_get("accounts", |p: &mut ProviderView| {
            p.accounts
                .iter()
                .cloned()
                .map(Dynamic::from)
                .collect::<rhai::Array>()
        });
}
