//! What a rule sees: read-only views of a case and its records, exact money and dates.
//! Nothing is copied into maps per case; getters read the run's records where they are.

use std::sync::Arc;

use qrecon_core::{Case, Dataset, Money, RecordId, Settings};
use std::cell::RefCell;

use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString};

/// The run's records and settings, which every view reads.
pub struct Run {
    /// The records.
    pub data: Dataset,
    /// The settings.
    pub settings: Settings,
}

thread_local! {
    /// The run the views of this thread read: set by a [`Session`], so a view is only a case
    /// or a record id and creating one touches no shared counter.
    static RUN: RefCell<Option<Arc<Run>>> = const { RefCell::new(None) };
    /// Whether a rule has read anything of its case (or the run, or printed) since
    /// [`take_read`]: a case rule that has not gives the same findings for every case
    /// (see [`crate::eval`]).
    static READ: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Sessions entered on this thread, so what was learnt in one is not used in another.
    static SESSIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Notes that a rule read its case, its records or the run.
pub(crate) fn touch() {
    READ.with(|r| r.set(true));
}

/// Whether anything was read since the last call, and starts afresh.
pub(crate) fn take_read() -> bool {
    READ.with(|r| r.replace(false))
}

/// The number of the session this thread is in.
pub(crate) fn session_number() -> u64 {
    SESSIONS.with(std::cell::Cell::get)
}

/// While it lives, views on this thread read `run`.
pub struct Session {
    previous: Option<Arc<Run>>,
}

impl Session {
    /// Makes `run` the run this thread's views read, until the session is dropped.
    pub fn enter(run: &Arc<Run>) -> Self {
        SESSIONS.with(|n| n.set(n.get() + 1));
        let previous = RUN.with(|r| r.replace(Some(run.clone())));
        Session { previous }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let previous = self.previous.take();
        RUN.with(|r| *r.borrow_mut() = previous);
    }
}

type Res<T> = Result<T, Box<EvalAltResult>>;

/// Calls `f` with this thread's run.
pub(crate) fn with_run<T>(f: impl FnOnce(&Run) -> T) -> Res<T> {
    touch();
    RUN.with(|r| {
        r.borrow()
            .as_deref()
            .map(f)
            .ok_or_else(|| "no qrecon run is active on this thread".into())
    })
}

/// A case as rules see it: shared, so handing it to each rule that is called costs a count,
/// not a copy.
#[derive(Clone)]
pub struct CaseView {
    case: Arc<Case>,
}

impl CaseView {
    /// A view of `case` (read inside a [`Session`]).
    pub fn new(case: Case) -> Self {
        Self {
            case: Arc::new(case),
        }
    }

    /// The case.
    pub fn case(&self) -> &Case {
        &self.case
    }

    /// The case, for a getter: notes that the rule read it.
    fn read(&self) -> &Case {
        touch();
        &self.case
    }
}

/// The payment, its fund lines, payouts and bank credits, in order (`c.chain`).
pub(crate) fn chain_of(case: &Case) -> Records {
    Records(
        case.txn
            .into_iter()
            .chain(case.funds.iter().copied())
            .chain(case.payouts.iter().map(|p| p.payout))
            .chain(case.bank.iter().map(|b| b.bank))
            .collect(),
    )
}

/// A record as rules see it.
#[derive(Clone, Copy)]
pub struct RecordView {
    id: RecordId,
}

impl RecordView {
    /// A view of record `id`.
    pub fn of(id: RecordId) -> Self {
        Self { id }
    }

    /// Its id.
    pub fn id(self) -> RecordId {
        self.id
    }

    /// The record's `file:line` (inside a [`Session`]).
    pub fn evidence(self) -> Option<qrecon_core::Source> {
        with_run(|run| run.data.get(self.id).source).ok()
    }
}

/// Records as one value: a case's chain is read on nearly every case and mostly handed back
/// as evidence, so it is not made into an array of separately boxed records. It iterates,
/// indexes (negative from the end) and has `len` like an array; `+` with an array gives an
/// array.
#[derive(Clone, Debug, Default)]
pub struct Records(pub(crate) Vec<RecordId>);

impl IntoIterator for Records {
    type Item = RecordView;
    type IntoIter = std::iter::Map<std::vec::IntoIter<RecordId>, fn(RecordId) -> RecordView>;

    fn into_iter(self) -> Self::IntoIter {
        self.0
            .into_iter()
            .map(RecordView::of as fn(RecordId) -> RecordView)
    }
}

impl Records {
    fn array(&self) -> Array {
        touch();
        recs(self.0.iter().copied())
    }

    fn at(&self, i: i64) -> Res<RecordView> {
        touch();
        let n = self.0.len();
        let k = if i < 0 {
            usize::try_from(i.unsigned_abs())
                .ok()
                .and_then(|back| n.checked_sub(back))
        } else {
            usize::try_from(i).ok().filter(|k| *k < n)
        };
        k.map(|k| RecordView { id: self.0[k] })
            .ok_or_else(|| format!("index {i} is out of bounds for {n} records").into())
    }
}

fn records_type(engine: &mut Engine) {
    engine
        .register_type_with_name::<Records>("Records")
        .register_iterator::<Records>()
        .register_fn("len", |r: Records| {
            touch();
            i64::try_from(r.0.len()).unwrap_or(i64::MAX)
        })
        .register_fn("is_empty", |r: Records| {
            touch();
            r.0.is_empty()
        })
        .register_indexer_get(|r: &mut Records, i: i64| r.at(i))
        .register_fn("to_array", |r: Records| r.array())
        .register_fn("+", |a: Records, b: Array| {
            let mut out = a.array();
            out.extend(b);
            out
        })
        .register_fn("+", |a: Array, b: Records| {
            let mut out = a;
            out.extend(b.array());
            out
        })
        .register_fn("+", |a: Records, b: Records| {
            touch();
            let mut out = a.0;
            out.extend(b.0);
            Records(out)
        })
        .register_fn("to_string", |r: Records| format!("{:?}", r.0.len()))
        .register_fn("to_debug", |r: Records| format!("<{} records>", r.0.len()));
}

/// An exact amount in rules (no floats exist in the sandbox).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Amount(pub Money);

/// An instant in rules (a record's time, with its UTC offset).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time(pub chrono::DateTime<chrono::FixedOffset>);

/// A calendar date in rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub chrono::NaiveDate);

fn opt<T: Clone + Send + Sync + 'static>(v: Option<T>) -> Dynamic {
    v.map_or(Dynamic::UNIT, Dynamic::from)
}

fn rec(id: Option<RecordId>) -> Dynamic {
    opt(id.map(|id| RecordView { id }))
}

fn recs(ids: impl Iterator<Item = RecordId>) -> Array {
    ids.map(|id| Dynamic::from(RecordView { id })).collect()
}

fn text(run: &Run, s: qrecon_core::Str) -> Dynamic {
    run.data
        .str(s)
        .map_or(Dynamic::UNIT, |t| Dynamic::from(ImmutableString::from(t)))
}

/// Registers the case, record, amount and date types and their functions.
pub fn register(engine: &mut Engine) {
    records_type(engine);
    amounts_and_dates(engine);
    case_getters(engine);
    record_getters(engine);
    crate::group::register(engine);
    settings_functions(engine);
}

/// An amount, or an error when the arithmetic left the range of exact amounts.
fn checked(v: Option<i64>) -> Res<Amount> {
    v.map(|x| Amount(Money(x)))
        .ok_or_else(|| "amount arithmetic overflowed: the result is not an exact amount".into())
}

/// `==`, `!=`, `<`, `>`, `<=`, `>=` between two values of `T`.
fn comparisons<T: PartialOrd + Clone + Send + Sync + 'static>(engine: &mut Engine) {
    engine
        .register_fn("==", |a: T, b: T| a == b)
        .register_fn("!=", |a: T, b: T| a != b)
        .register_fn("<", |a: T, b: T| a < b)
        .register_fn(">", |a: T, b: T| a > b)
        .register_fn("<=", |a: T, b: T| a <= b)
        .register_fn(">=", |a: T, b: T| a >= b);
}

fn amounts_and_dates(engine: &mut Engine) {
    comparisons::<Amount>(engine);
    comparisons::<Time>(engine);
    comparisons::<Date>(engine);
    engine
        .register_type_with_name::<Amount>("Amount")
        .register_fn("amount", |s: &str| {
            s.parse::<Money>().map(Amount).map_err(Into::into)
                as Result<Amount, Box<rhai::EvalAltResult>>
        })
        .register_fn("+", |a: Amount, b: Amount| {
            checked(a.0.0.checked_add(b.0.0))
        })
        .register_fn("-", |a: Amount, b: Amount| {
            checked(a.0.0.checked_sub(b.0.0))
        })
        .register_fn("is_zero", |a: Amount| a.0.is_zero())
        .register_fn("to_string", |a: Amount| {
            ImmutableString::from(a.0.text(&mut [0; 24]))
        })
        .register_fn("to_debug", |a: Amount| {
            ImmutableString::from(a.0.text(&mut [0; 24]))
        });
    engine
        .register_fn("*", |a: Amount, n: i64| checked(a.0.0.checked_mul(n)))
        .register_fn("*", |n: i64, a: Amount| checked(a.0.0.checked_mul(n)));
    engine
        .register_type_with_name::<Time>("Time")
        .register_fn("-", |a: Time, b: Time| (a.0 - b.0).num_seconds())
        .register_fn("to_string", |t: Time| t.0.to_rfc3339())
        .register_fn("to_debug", |t: Time| t.0.to_rfc3339())
        .register_get("date", |t: &mut Time| {
            with_run(|run| Date(t.0.with_timezone(&run.settings.timezone).date_naive()))
        });
    engine
        .register_type_with_name::<Date>("Date")
        .register_fn("to_string", |d: Date| date_text(d.0))
        .register_fn("to_debug", |d: Date| date_text(d.0));
}

/// `YYYY-MM-DD` (messages print dates on most cases).
fn date_text(d: chrono::NaiveDate) -> ImmutableString {
    qrecon_core::iso_date(d, &mut [0; 10]).map_or_else(|| d.to_string().into(), Into::into)
}

fn case_getters(engine: &mut Engine) {
    engine.register_type_with_name::<CaseView>("Case");
    let money =
        |f: fn(&qrecon_core::Facts) -> Money| move |c: &mut CaseView| Amount(f(&c.read().facts));
    let date = |f: fn(&qrecon_core::Facts) -> Option<chrono::NaiveDate>| {
        move |c: &mut CaseView| opt(f(&c.read().facts).map(Date))
    };
    engine
        .register_get("gross", money(|f| f.gross))
        .register_get("fee", money(|f| f.fee))
        .register_get("refunded", money(|f| f.refunded))
        .register_get("net", money(|f| f.net))
        .register_get("paid_out", money(|f| f.paid_out))
        .register_get("frozen", money(|f| f.frozen))
        .register_get("expected_payout", date(|f| f.expected_payout))
        .register_get("payout_date", date(|f| f.payout_date))
        .register_get("expected_bank", date(|f| f.expected_bank))
        .register_get("bank_date", date(|f| f.bank_date))
        .register_get("paid_date", date(|f| f.paid_date))
        .register_get("days_overdue", |c: &mut CaseView| {
            i64::from(c.read().facts.days_overdue)
        })
        .register_get("payouts_stopped", |c: &mut CaseView| {
            c.read().facts.payouts_stopped
        })
        .register_get("ledger_seen", |c: &mut CaseView| c.read().facts.ledger_seen)
        .register_get("payout_returned", |c: &mut CaseView| {
            c.read().payout_returned()
        })
        .register_get("claim", |c: &mut CaseView| rec(c.read().claim))
        .register_get("txn", |c: &mut CaseView| rec(c.read().txn))
        .register_get("refunds", |c: &mut CaseView| {
            recs(c.read().refunds.iter().copied())
        })
        .register_get("successful_refunds", |c: &mut CaseView| {
            with_run(|run| recs(c.read().successful_refunds(&run.data)))
        })
        .register_get("funds", |c: &mut CaseView| {
            recs(c.read().funds.iter().copied())
        })
        .register_get("payouts", |c: &mut CaseView| {
            recs(c.read().payouts.iter().map(|p| p.payout))
        })
        .register_get("bank", |c: &mut CaseView| {
            recs(c.read().bank.iter().map(|b| b.bank))
        })
        // Not a read: a chain handed back as evidence is the chain of whatever case it is.
        .register_get("chain", |c: &mut CaseView| chain_of(&c.case))
        .register_get("ambiguous", |c: &mut CaseView| {
            recs(c.read().ambiguous().iter().copied())
        })
        .register_get("returns", |c: &mut CaseView| {
            recs(c.read().returns().iter().copied())
        })
        .register_get("bank_ambiguous", |c: &mut CaseView| {
            recs(c.read().bank_ambiguous().iter().copied())
        })
        .register_get("frozen_by", |c: &mut CaseView| rec(c.read().frozen_by()))
        .register_get("claim_link", |c: &mut CaseView| {
            opt(c
                .case
                .claim_link
                .map(|m| ImmutableString::from(m.key().unwrap_or(m.as_str()))))
        });
    run_getters(engine);
}

/// Functions of the run's settings, for every rule.
fn settings_functions(engine: &mut Engine) {
    engine
        .register_fn("per_payment_limit", |provider: &str| {
            with_run(|run| {
                opt(run
                    .settings
                    .per_payment_limits
                    .get(provider)
                    .copied()
                    .map(Amount))
            })
        })
        .register_fn("per_payer_day_limit", |provider: &str| {
            with_run(|run| opt(run.settings.per_payer_day_limit(provider).map(Amount)))
        })
        .register_fn("is_merchant", |provider: &str, name: &str| {
            with_run(|run| run.settings.is_merchant(provider, name))
        })
        .register_fn("as_of", || with_run(|run| Date(run.settings.as_of_date())))
        .register_fn("merchant_name", || {
            with_run(|run| {
                opt(run
                    .settings
                    .merchant_name
                    .as_deref()
                    .map(ImmutableString::from))
            })
        });
}

/// Case getters and functions that read the run.
fn run_getters(engine: &mut Engine) {
    engine
        .register_get("amount", |c: &mut CaseView| {
            with_run(|run| Amount(c.read().amount(&run.data)))
        })
        .register_get("provider", |c: &mut CaseView| {
            with_run(|run| opt(c.read().provider(&run.data).map(ImmutableString::from)))
        })
        .register_get("account", |c: &mut CaseView| {
            with_run(|run| opt(c.read().account(&run.data).map(ImmutableString::from)))
        })
        .register_get("as_of", |_: &mut CaseView| {
            with_run(|run| Date(run.settings.as_of_date()))
        })
        .register_get("settles", |c: &mut CaseView| {
            with_run(|run| c.read().settles(&run.data))
        })
        .register_get("duplicate_of", |c: &mut CaseView| {
            with_run(|run| {
                opt(c.read().duplicate_of.map(|d| {
                    ImmutableString::from(format!("claim:{}", run.data.s(run.data.get(d).claim_id)))
                }))
            })
        })
        .register_get("links", |c: &mut CaseView| {
            with_run(|run| {
                c.case
                    .links(&run.data)
                    .iter()
                    .map(|l| {
                        let mut m = rhai::Map::new();
                        m.insert(
                            "from".into(),
                            Dynamic::from(ImmutableString::from(l.from.as_str())),
                        );
                        m.insert(
                            "to".into(),
                            Dynamic::from(ImmutableString::from(l.to.as_str())),
                        );
                        m.insert(
                            "method".into(),
                            Dynamic::from(ImmutableString::from(l.method.as_str())),
                        );
                        m.insert("key".into(), opt(l.method.key().map(ImmutableString::from)));
                        Dynamic::from_map(m)
                    })
                    .collect::<Array>()
            })
        })
        .register_get("settlement", |c: &mut CaseView| {
            with_run(|run| {
                let provider = c.read().provider(&run.data).unwrap_or_default();
                ImmutableString::from(run.settings.terms(provider).settlement.to_string())
            })
        })
        .register_get("bank_days", |c: &mut CaseView| {
            with_run(|run| {
                let provider = c.read().provider(&run.data).unwrap_or_default();
                i64::from(run.settings.terms(provider).bank_days)
            })
        })
        .register_fn("is_past", |_: CaseView, d: Date| {
            with_run(|run| run.settings.is_past(d.0))
        })
        .register_fn("is_merchant", |c: CaseView, name: &str| {
            with_run(|run| {
                let provider = c
                    .case
                    .record(&run.data)
                    .map(|r| run.data.s(r.provider))
                    .unwrap_or_default();
                run.settings.is_merchant(provider, name)
            })
        })
        .register_get("per_payment_limit", |c: &mut CaseView| {
            with_run(|run| {
                let provider = c
                    .case
                    .record(&run.data)
                    .map(|r| run.data.s(r.provider))
                    .unwrap_or_default();
                opt(run
                    .settings
                    .per_payment_limits
                    .get(provider)
                    .copied()
                    .map(Amount))
            })
        })
        .register_fn("business_days_between", |c: CaseView, a: Date, b: Date| {
            with_run(|run| {
                let provider = c.read().provider(&run.data).unwrap_or_default();
                let terms = run.settings.terms(provider);
                i64::from(
                    run.settings
                        .calendar(&terms.calendar)
                        .business_days_between(a.0, b.0),
                )
            })
        });
}

fn record_getters(engine: &mut Engine) {
    engine.register_type_with_name::<RecordView>("Record");
    macro_rules! strs {
        ($($name:literal => $field:ident),* $(,)?) => {
            $(engine.register_get($name, |r: &mut RecordView| {
                with_run(|run| text(run, run.data.get(r.id).$field))
            });)*
        };
    }
    strs!("status_raw" => status_raw, "provider" => provider, "account" => account, "claim_id" => claim_id, "order_id" => order_id,
        "txn_id" => txn_id, "refund_id" => refund_id, "payout_id" => payout_id, "bank_ref" => bank_ref,
        "payee_name" => payee_name, "payer" => payer, "counterparty" => counterparty, "memo" => memo);
    engine
        .register_get("amount", |r: &mut RecordView| {
            with_run(|run| Amount(run.data.get(r.id).amount))
        })
        .register_get("fee", |r: &mut RecordView| {
            with_run(|run| opt(run.data.get(r.id).fee.map(Amount)))
        })
        .register_get("time", |r: &mut RecordView| {
            with_run(|run| opt(run.data.get(r.id).time.map(Time)))
        })
        .register_get("date", |r: &mut RecordView| {
            with_run(|run| {
                opt(run
                    .data
                    .get(r.id)
                    .local_date(run.settings.timezone)
                    .map(Date))
            })
        })
        .register_get("status", |r: &mut RecordView| {
            with_run(|run| ImmutableString::from(run.data.get(r.id).status.as_str()))
        })
        .register_get("type", |r: &mut RecordView| {
            with_run(|run| ImmutableString::from(run.data.get(r.id).rtype.as_str()))
        })
        .register_get("kind", |r: &mut RecordView| {
            with_run(|run| ImmutableString::from(run.data.get(r.id).kind.as_str()))
        })
        .register_get("evidence", |r: &mut RecordView| {
            with_run(|run| ImmutableString::from(run.data.evidence(run.data.get(r.id).source)))
        })
        .register_fn("extra", |r: RecordView, key: &str| {
            with_run(|run| {
                let rec = run.data.get(r.id);
                run.data
                    .extra(rec)
                    .find(|(k, _)| *k == key)
                    .map_or(Dynamic::UNIT, |(_, v)| {
                        Dynamic::from(ImmutableString::from(v))
                    })
            })
        });
}

/// The `file:line` of each record (inside a [`Session`]).
pub(crate) fn sources(records: &Records) -> Vec<qrecon_core::Source> {
    with_run(|run| {
        records
            .0
            .iter()
            .map(|id| run.data.get(*id).source)
            .collect()
    })
    .unwrap_or_default()
}
