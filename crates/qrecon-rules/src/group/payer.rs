//! Payer groups: the payments the merchant received from one payer and the payer's claims
//! that no platform payment matched, in time order. Built once per run when a payer rule
//! exists; bursts, runs just under a limit, per-day totals and payments over a limit are
//! worked out here in Rust, so a payer with a hundred thousand payments costs a rule a few
//! calls, not a Rhai step per payment.

use std::collections::BTreeMap;
use std::hash::BuildHasher as _;
use std::ops::Range;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use qrecon_core::{Case, Dataset, Kind, Money, RecordId, Settings, Status, Str};
use rayon::prelude::*;
use rhai::{Array, Dynamic, Engine, ImmutableString};

use super::span::{Span, case_ids, records};
use crate::view::{Amount, Date, RecordView, with_run};

type Res<T> = Result<T, Box<rhai::EvalAltResult>>;

/// Every payer of a run: (record, case key) by payer, then time, then record.
#[derive(Debug)]
pub struct PayerTable {
    entries: Vec<(RecordId, RecordId)>,
    /// What dispatch needs of each entry ([`Flags`]), so marks cost no record lookups.
    flags: Vec<u8>,
    /// Each entry's time.
    times: Vec<Option<DateTime<FixedOffset>>>,
    runs: Vec<Range<usize>>,
    /// (record, case key) by record, for `case_of`.
    by_record: Vec<(RecordId, RecordId)>,
}

impl PayerTable {
    /// Groups the payments each case owns (successful ones) and the claims no payment matched
    /// by payer. A masked id (Alipay's `138****1234`) does not tell one payer from another,
    /// so it groups nothing.
    pub fn new(data: &Dataset, settings: &Settings, cases: &[Case]) -> Self {
        // Grouped by a hash of the payer id (a million payers, most of them seen once, sort
        // far faster by a number than by their ids); ids that share a hash are told apart
        // after the sort. Groups come in no meaningful order: alerts are sorted by id.
        // Sorted on whole numbers only: a sort comparing times and ids as they are spends
        // most of its time there when one payer has a hundred thousand payments.
        struct Row {
            hash: u64,
            at: (i64, u32),
            id: RecordId,
            key: RecordId,
            flags: u8,
            payer: Str,
            time: Option<DateTime<FixedOffset>>,
        }
        let limits = Limits::new(settings);
        // Which case keys each record: the records are then read in dataset order, so their
        // payer ids are read front to back through the text arena instead of at random
        // (reading them in case order was most of the table's cost).
        let mut key_of = vec![u32::MAX; data.records.len()];
        for case in cases {
            let id = match (case.claim, case.txn) {
                (Some(c), None) => c,
                (_, Some(t)) if case.owns_payment() => t,
                _ => continue,
            };
            if let Some(key) = case.key() {
                key_of[id.0 as usize] = key.0;
            }
        }
        let mut rows: Vec<Row> = key_of
            .par_iter()
            .enumerate()
            .filter_map(|(i, &key)| {
                if key == u32::MAX {
                    return None;
                }
                let id = RecordId(u32::try_from(i).ok()?);
                let r = data.get(id);
                if r.kind != Kind::Claim && r.status != Status::Success {
                    return None;
                }
                let payer = data.str(r.payer).filter(|p| !p.contains('*'))?;
                Some(Row {
                    hash: rustc_hash::FxBuildHasher.hash_one(payer),
                    // Ordered as the times are: none first, then by instant.
                    at: r.time.map_or((i64::MIN, 0), |t| {
                        (t.timestamp(), t.timestamp_subsec_nanos())
                    }),
                    id,
                    key: RecordId(key),
                    flags: Flags::of(data, &limits, id),
                    payer: r.payer,
                    time: r.time,
                })
            })
            .collect();
        // Rows came in record order: (record, case key) by record, for `case_of`, as they are.
        let by_record: Vec<(RecordId, RecordId)> = rows.iter().map(|r| (r.id, r.key)).collect();
        rows.par_sort_unstable_by_key(|r| (r.hash, r.at, r.id));
        let mut by_hash = Vec::new();
        let mut start = 0;
        for i in 1..=rows.len() {
            if i == rows.len() || rows[i].hash != rows[start].hash {
                by_hash.push(start..i);
                start = i;
            }
        }
        // Whether each hash is one payer's, checked in parallel (a regular's thousands of
        // payments are compared with the first; a payer seen once needs no comparison).
        let text = |s: Str| data.s(s);
        let mixed: Vec<bool> = by_hash
            .par_iter()
            .map(|r| {
                let run = &rows[r.clone()];
                run.len() > 1 && run[1..].iter().any(|x| text(x.payer) != text(run[0].payer))
            })
            .collect();
        let mut runs = Vec::with_capacity(by_hash.len());
        for (r, mixed) in by_hash.into_iter().zip(mixed) {
            if !mixed {
                runs.push(r);
                continue;
            }
            // Two payers with one hash: by payer, then time, within it.
            rows[r.clone()].sort_unstable_by(|a, b| {
                (text(a.payer), a.at, a.id).cmp(&(text(b.payer), b.at, b.id))
            });
            let mut from = r.start;
            for j in r.start + 1..=r.end {
                if j == r.end || text(rows[j].payer) != text(rows[from].payer) {
                    runs.push(from..j);
                    from = j;
                }
            }
        }
        let entries: Vec<(RecordId, RecordId)> = rows.iter().map(|r| (r.id, r.key)).collect();
        let flags = rows.iter().map(|r| r.flags).collect();
        let times = rows.iter().map(|r| r.time).collect();
        PayerTable {
            entries,
            flags,
            times,
            runs,
            by_record,
        }
    }

    /// Payer `i`'s successful payments that have a time, in time order, read off the table
    /// (no record is looked up).
    fn payments(&self, i: usize) -> Vec<(DateTime<FixedOffset>, RecordId, RecordId)> {
        let Some(run) = self.runs.get(i) else {
            return Vec::new();
        };
        let run = run.clone();
        self.entries[run.clone()]
            .iter()
            .zip(&self.flags[run.clone()])
            .zip(&self.times[run])
            .filter_map(|((&(id, key), flags), time)| {
                (flags & Flags::CLAIM == 0).then_some(((*time)?, id, key))
            })
            .collect()
    }

    /// Payer `i`'s claims with no platform payment.
    fn claims(&self, i: usize) -> Vec<(RecordId, RecordId)> {
        let Some(run) = self.runs.get(i) else {
            return Vec::new();
        };
        self.entries[run.clone()]
            .iter()
            .zip(&self.flags[run.clone()])
            .filter(|(_, flags)| *flags & Flags::CLAIM != 0)
            .map(|(pair, _)| *pair)
            .collect()
    }

    /// Payer `i`'s marks as (several, unmatched claim, over a limit), read off the entries'
    /// flags; day totals are added up only where a provider has a daily limit.
    pub fn summary(&self, data: &Dataset, settings: &Settings, i: usize) -> (bool, bool, bool) {
        let Some(run) = self.runs.get(i) else {
            return (false, false, false);
        };
        let flags = &self.flags[run.clone()];
        let any = |f: u8| flags.iter().any(|x| x & f != 0);
        let over = any(Flags::OVER_PAYMENT)
            || (any(Flags::DAY_LIMITED)
                && match flags {
                    [one] => one & Flags::OVER_DAY != 0,
                    _ => days(data, settings, self.items(i))
                        .iter()
                        .any(|d| d.limit.is_some_and(|l| d.total > l)),
                });
        (flags.len() >= 2, any(Flags::CLAIM), over)
    }

    /// The payers, as indexes for [`PayerTable::payer`] and [`PayerTable::items`].
    pub fn len(&self) -> usize {
        self.runs.len()
    }

    /// Whether no payer is known.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Payer `i`'s (record, case key) pairs in time order.
    pub fn items(&self, i: usize) -> &[(RecordId, RecordId)] {
        self.runs.get(i).map_or(&[], |r| &self.entries[r.clone()])
    }

    /// Payer `i`'s id.
    pub fn payer<'d>(&self, data: &'d Dataset, i: usize) -> &'d str {
        self.items(i)
            .first()
            .map_or("", |(id, _)| data.s(data.get(*id).payer))
    }

    /// The case key of a payer's record.
    fn key_of(&self, id: RecordId) -> Option<RecordId> {
        self.by_record
            .binary_search_by_key(&id, |(r, _)| *r)
            .ok()
            .map(|i| self.by_record[i].1)
    }
}

/// One day of a payer on one provider: the successful payments the merchant received.
#[derive(Debug, Clone)]
pub struct PayerDayView {
    provider: ImmutableString,
    date: NaiveDate,
    total: Money,
    count: u32,
    limit: Option<Money>,
    /// (record, case key).
    records: Vec<(RecordId, RecordId)>,
}

/// A payer over the run, as rules see it.
#[derive(Debug, Clone)]
pub struct PayerView {
    table: Arc<PayerTable>,
    index: usize,
    payer: ImmutableString,
    /// Worked out when a rule first asks (most payer rules never do).
    days: Arc<std::sync::OnceLock<Vec<PayerDayView>>>,
}

impl PayerView {
    /// The view of payer `index` of `table`.
    pub fn new(data: &Dataset, table: &Arc<PayerTable>, index: usize) -> Self {
        PayerView {
            payer: table.payer(data, index).into(),
            days: Arc::default(),
            table: table.clone(),
            index,
        }
    }

    fn items(&self) -> &[(RecordId, RecordId)] {
        self.table.items(self.index)
    }
}

/// Whether a record is a claim (a claim with no platform payment paid nothing).
fn is_claim(data: &Dataset, id: RecordId) -> bool {
    data.get(id).kind == Kind::Claim
}

/// Per provider and local day: the payer's successful payments against the day's limit.
pub(crate) fn days(
    data: &Dataset,
    settings: &Settings,
    items: &[(RecordId, RecordId)],
) -> Vec<PayerDayView> {
    let mut days: BTreeMap<(&str, NaiveDate), PayerDayView> = BTreeMap::new();
    for &(id, key) in items {
        let r = data.get(id);
        let Some(date) = r
            .local_date(settings.timezone)
            .filter(|_| !is_claim(data, id))
        else {
            continue;
        };
        let provider = data.s(r.provider);
        let d = days
            .entry((provider, date))
            .or_insert_with(|| PayerDayView {
                provider: provider.into(),
                date,
                total: Money::ZERO,
                count: 0,
                limit: settings.per_payer_day_limit(provider),
                records: Vec::new(),
            });
        d.total += r.amount;
        d.count += 1;
        d.records.push((id, key));
    }
    days.into_values().collect()
}

/// Payments over their provider's per-payment limit.
pub(crate) fn over_limit_payments(
    data: &Dataset,
    settings: &Settings,
    items: &[(RecordId, RecordId)],
) -> Vec<RecordId> {
    items
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| {
            let r = data.get(*id);
            r.kind != Kind::Claim
                && settings
                    .per_payment_limits
                    .get(data.s(r.provider))
                    .is_some_and(|limit| r.amount > *limit)
        })
        .collect()
}

/// What marks need of one payer entry, worked out once when payers are grouped.
struct Flags;

impl Flags {
    const CLAIM: u8 = 1;
    /// A payment over its provider's per-payment limit.
    const OVER_PAYMENT: u8 = 2;
    /// A payment on a provider with a per-payer daily limit.
    const DAY_LIMITED: u8 = 4;
    /// A payment over that daily limit on its own.
    const OVER_DAY: u8 = 8;

    fn of(data: &Dataset, limits: &Limits, id: RecordId) -> u8 {
        let r = data.get(id);
        if r.kind == Kind::Claim {
            return Self::CLAIM;
        }
        let (payment, day) = limits.of(data.s(r.provider));
        let mut flags = 0;
        if payment.is_some_and(|limit| r.amount > limit) {
            flags |= Self::OVER_PAYMENT;
        }
        if let Some(limit) = day {
            flags |= Self::DAY_LIMITED;
            if r.amount > limit {
                flags |= Self::OVER_DAY;
            }
        }
        flags
    }
}

/// Each provider's per-payment and per-payer-day limits, looked up once for a run's few
/// providers instead of in the settings' maps for every payment.
struct Limits(Vec<(String, Option<Money>, Option<Money>)>);

impl Limits {
    fn new(settings: &Settings) -> Self {
        let mut providers: Vec<&String> = settings
            .per_payment_limits
            .keys()
            .chain(settings.per_payer_day_limits.keys())
            .chain(settings.providers.keys())
            .collect();
        providers.sort();
        providers.dedup();
        Limits(
            providers
                .into_iter()
                .map(|p| {
                    (
                        p.clone(),
                        settings.per_payment_limits.get(p).copied(),
                        settings.per_payer_day_limit(p),
                    )
                })
                .collect(),
        )
    }

    /// Whether any provider has a limit.
    fn any(&self) -> bool {
        self.0.iter().any(|(_, a, b)| a.is_some() || b.is_some())
    }

    fn of(&self, provider: &str) -> (Option<Money>, Option<Money>) {
        self.0
            .iter()
            .find(|(p, _, _)| p == provider)
            .map_or((None, None), |(_, a, b)| (*a, *b))
    }
}

/// Maximal bursts: from a payment, every payment within `seconds` of it, when there are at
/// least `count`; the next burst starts after the last one ends. One pass over the payments.
pub(crate) fn bursts(
    data: &Dataset,
    pays: &[(DateTime<FixedOffset>, RecordId, RecordId)],
    count: usize,
    seconds: i64,
) -> Vec<Span> {
    let n = pays.len();
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i + count <= n {
        j = j.max(i);
        while j + 1 < n && (pays[j + 1].0 - pays[i].0).num_seconds() <= seconds {
            j += 1;
        }
        if j + 1 - i >= count {
            out.push(span(data, &pays[i..=j]));
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn span(data: &Dataset, part: &[(DateTime<FixedOffset>, RecordId, RecordId)]) -> Span {
    let total = part.iter().map(|(_, id, _)| data.get(*id).amount).sum();
    Span::new(part.iter().map(|(_, id, key)| (*id, *key)).collect(), total)
}

/// The lower of a provider's per-payment and per-payer-day limits, when it has either.
pub(crate) fn cap_of(settings: &Settings, provider: &str) -> Option<Money> {
    let payment = settings.per_payment_limits.get(provider).copied();
    let day = settings.per_payer_day_limit(provider);
    match (payment, day) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Runs of two or more payments on one provider within `seconds` of the first, each at least
/// `percent`% of the provider's cap ([`cap_of`]) and at most the cap, together over it: a
/// payment split to stay under a limit. The next run starts after the last one's window.
/// By provider, then time.
pub(crate) fn near_limit_runs(
    data: &Dataset,
    settings: &Settings,
    pays: Vec<(DateTime<FixedOffset>, RecordId, RecordId)>,
    seconds: i64,
    percent: i64,
) -> Vec<Span> {
    let mut near: BTreeMap<&str, (Money, Vec<_>)> = BTreeMap::new();
    for p in pays {
        let r = data.get(p.1);
        let provider = data.s(r.provider);
        let Some(cap) = cap_of(settings, provider) else {
            continue;
        };
        let close = i128::from(r.amount.0) * 100 >= i128::from(cap.0) * i128::from(percent);
        if close && r.amount <= cap {
            near.entry(provider).or_insert((cap, Vec::new())).1.push(p);
        }
    }
    let mut out = Vec::new();
    for (provider, (cap, list)) in near {
        let (mut i, mut j) = (0, 0);
        while i < list.len() {
            j = j.max(i);
            while j + 1 < list.len() && (list[j + 1].0 - list[i].0).num_seconds() <= seconds {
                j += 1;
            }
            let s = span(data, &list[i..=j]);
            if j > i && s.total_over(cap) {
                out.push(s.under(provider, cap));
                i = j + 1;
            } else {
                i += 1;
            }
        }
    }
    out
}

/// Claims citing a transaction number no platform payment at the merchant has, naming the
/// merchant (or no payee) and within the per-payment limit: what a doctored receipt looks like.
pub(crate) fn unknown_txn_claims(
    data: &Dataset,
    settings: &Settings,
    claims: Vec<(RecordId, RecordId)>,
) -> Span {
    let claims: Vec<(RecordId, RecordId)> = claims
        .into_iter()
        .filter(|(id, _)| {
            let r = data.get(*id);
            let provider = data.s(r.provider);
            r.kind == Kind::Claim
                && data.str(r.txn_id).is_some()
                && data
                    .str(r.payee_name)
                    .is_none_or(|name| settings.is_merchant(provider, name))
                && settings
                    .per_payment_limits
                    .get(provider)
                    .is_none_or(|limit| r.amount <= *limit)
        })
        .collect();
    let total = claims.iter().map(|(id, _)| data.get(*id).amount).sum();
    Span::new(claims, total)
}

fn positive(name: &str, v: i64) -> Res<usize> {
    usize::try_from(v)
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| format!("{name} must be a positive number, found {v}").into())
}

fn seconds(v: i64) -> Res<i64> {
    if v >= 0 {
        Ok(v)
    } else {
        Err(format!("seconds must not be negative, found {v}").into())
    }
}

/// Registers the payer view's types, getters and functions.
pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<PayerDayView>("PayerDay")
        .register_get("provider", |d: &mut PayerDayView| d.provider.clone())
        .register_get("date", |d: &mut PayerDayView| Date(d.date))
        .register_get("total", |d: &mut PayerDayView| Amount(d.total))
        .register_get("count", |d: &mut PayerDayView| i64::from(d.count))
        .register_get("limit", |d: &mut PayerDayView| {
            d.limit.map_or(Dynamic::UNIT, |l| Dynamic::from(Amount(l)))
        })
        .register_get("records", |d: &mut PayerDayView| {
            records(d.records.iter().map(|(id, _)| *id))
        })
        .register_get("cases", |d: &mut PayerDayView| {
            case_ids(d.records.iter().map(|(_, key)| *key))
        });
    engine
        .register_type_with_name::<PayerView>("Payer")
        .register_get("payer", |p: &mut PayerView| p.payer.clone())
        .register_get("records", |p: &mut PayerView| {
            records(p.items().iter().map(|(id, _)| *id))
        })
        .register_get("unmatched_claims", |p: &mut PayerView| {
            with_run(|run| {
                records(
                    p.items()
                        .iter()
                        .map(|(id, _)| *id)
                        .filter(|id| is_claim(&run.data, *id)),
                )
            })
        })
        .register_get("days", |p: &mut PayerView| {
            let items = p.items();
            p.days
                .get_or_init(|| {
                    with_run(|run| days(&run.data, &run.settings, items)).unwrap_or_default()
                })
                .iter()
                .cloned()
                .map(Dynamic::from)
                .collect::<Array>()
        })
        .register_get("over_limit_payments", |p: &mut PayerView| {
            with_run(|run| {
                records(over_limit_payments(&run.data, &run.settings, p.items()).into_iter())
            })
        })
        .register_get("unknown_txn_claims", |p: &mut PayerView| {
            with_run(|run| unknown_txn_claims(&run.data, &run.settings, p.table.claims(p.index)))
        })
        .register_fn("bursts", |p: &mut PayerView, count: i64, secs: i64| {
            let (count, secs) = (positive("count", count)?, seconds(secs)?);
            with_run(|run| spans(bursts(&run.data, &p.table.payments(p.index), count, secs)))
        })
        .register_fn(
            "near_limit_runs",
            |p: &mut PayerView, secs: i64, percent: i64| {
                let (secs, percent) = (seconds(secs)?, positive("percent", percent)?);
                with_run(|run| {
                    // Without any limit there is nothing to stay under.
                    if !Limits::new(&run.settings).any() {
                        return Array::new();
                    }
                    spans(near_limit_runs(
                        &run.data,
                        &run.settings,
                        p.table.payments(p.index),
                        secs,
                        i64::try_from(percent).unwrap_or(i64::MAX),
                    ))
                })
            },
        )
        .register_fn("case_of", |p: &mut PayerView, r: RecordView| {
            p.table
                .key_of(r.id())
                .map_or(Dynamic::UNIT, |k| case_ids(std::iter::once(k)).remove(0))
        });
}

fn spans(list: Vec<Span>) -> Array {
    list.into_iter().map(Dynamic::from).collect()
}
