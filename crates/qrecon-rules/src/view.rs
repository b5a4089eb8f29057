//! What a rule sees: read-only views of a case and its records, exact money and dates.
//! Nothing is copied into maps per case; getters read the run's records where they are.

use std::sync::Arc;

use qrecon_core::{Case, Dataset, Money, RecordId, Settings};
use rhai::{Array, Dynamic, Engine, ImmutableString};

/// The run's records and settings, shared by every view.
pub struct Run {
    /// The records.
    pub data: Dataset,
    /// The settings.
    pub settings: Settings,
}

/// A case as rules see it.
#[derive(Clone)]
pub struct CaseView {
    run: Arc<Run>,
    case: Arc<Case>,
}

impl CaseView {
    /// A view of `case` in `run`.
    pub fn new(run: Arc<Run>, case: Case) -> Self {
        Self {
            run,
            case: Arc::new(case),
        }
    }
}

/// A record as rules see it.
#[derive(Clone)]
pub struct RecordView {
    run: Arc<Run>,
    id: RecordId,
}

impl RecordView {
    /// The record's `file:line`.
    pub fn evidence(&self) -> qrecon_core::Source {
        self.run.data.get(self.id).source
    }
}

/// An exact amount in rules (no floats exist in the sandbox).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Amount(pub Money);

/// A calendar date in rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub chrono::NaiveDate);

fn opt<T: Clone + Send + Sync + 'static>(v: Option<T>) -> Dynamic {
    v.map_or(Dynamic::UNIT, Dynamic::from)
}

fn rec(run: &Arc<Run>, id: Option<RecordId>) -> Dynamic {
    opt(id.map(|id| RecordView {
        run: run.clone(),
        id,
    }))
}

fn recs(run: &Arc<Run>, ids: impl Iterator<Item = RecordId>) -> Array {
    ids.map(|id| {
        Dynamic::from(RecordView {
            run: run.clone(),
            id,
        })
    })
    .collect()
}

fn text(run: &Run, s: qrecon_core::Str) -> Dynamic {
    run.data
        .str(s)
        .map_or(Dynamic::UNIT, |t| Dynamic::from(ImmutableString::from(t)))
}

/// Registers the case, record, amount and date types and their functions.
pub fn register(engine: &mut Engine) {
    amounts_and_dates(engine);
    case_getters(engine);
    record_getters(engine);
}

fn amounts_and_dates(engine: &mut Engine) {
    engine
        .register_type_with_name::<Amount>("Amount")
        .register_fn("amount", |s: &str| {
            s.parse::<Money>().map(Amount).map_err(Into::into)
                as Result<Amount, Box<rhai::EvalAltResult>>
        })
        .register_fn("+", |a: Amount, b: Amount| Amount(a.0 + b.0))
        .register_fn("-", |a: Amount, b: Amount| Amount(a.0 - b.0))
        .register_fn("==", |a: Amount, b: Amount| a == b)
        .register_fn("!=", |a: Amount, b: Amount| a != b)
        .register_fn("<", |a: Amount, b: Amount| a < b)
        .register_fn(">", |a: Amount, b: Amount| a > b)
        .register_fn("<=", |a: Amount, b: Amount| a <= b)
        .register_fn(">=", |a: Amount, b: Amount| a >= b)
        .register_fn("is_zero", |a: &mut Amount| a.0.is_zero())
        .register_fn("to_string", |a: &mut Amount| a.0.to_string())
        .register_fn("to_debug", |a: &mut Amount| a.0.to_string());
    engine
        .register_type_with_name::<Date>("Date")
        .register_fn("==", |a: Date, b: Date| a == b)
        .register_fn("!=", |a: Date, b: Date| a != b)
        .register_fn("<", |a: Date, b: Date| a < b)
        .register_fn(">", |a: Date, b: Date| a > b)
        .register_fn("<=", |a: Date, b: Date| a <= b)
        .register_fn(">=", |a: Date, b: Date| a >= b)
        .register_fn("to_string", |d: &mut Date| d.0.to_string())
        .register_fn("to_debug", |d: &mut Date| d.0.to_string());
}

fn case_getters(engine: &mut Engine) {
    engine.register_type_with_name::<CaseView>("Case");
    let money =
        |f: fn(&qrecon_core::Facts) -> Money| move |c: &mut CaseView| Amount(f(&c.case.facts));
    let date = |f: fn(&qrecon_core::Facts) -> Option<chrono::NaiveDate>| {
        move |c: &mut CaseView| opt(f(&c.case.facts).map(Date))
    };
    engine
        .register_get("gross", money(|f| f.gross))
        .register_get("fee", money(|f| f.fee))
        .register_get("refunded", money(|f| f.refunded))
        .register_get("net", money(|f| f.net))
        .register_get("paid_out", money(|f| f.paid_out))
        .register_get("expected_payout", date(|f| f.expected_payout))
        .register_get("payout_date", date(|f| f.payout_date))
        .register_get("expected_bank", date(|f| f.expected_bank))
        .register_get("bank_date", date(|f| f.bank_date))
        .register_get("days_overdue", |c: &mut CaseView| {
            i64::from(c.case.facts.days_overdue)
        })
        .register_get("payouts_stopped", |c: &mut CaseView| {
            c.case.facts.payouts_stopped
        })
        .register_get("ledger_seen", |c: &mut CaseView| c.case.facts.ledger_seen)
        .register_get("amount", |c: &mut CaseView| {
            Amount(c.case.amount(&c.run.data))
        })
        .register_get("provider", |c: &mut CaseView| {
            opt(c.case.provider(&c.run.data).map(ImmutableString::from))
        })
        .register_get("account", |c: &mut CaseView| {
            opt(c.case.account(&c.run.data).map(ImmutableString::from))
        })
        .register_get("claim", |c: &mut CaseView| rec(&c.run, c.case.claim))
        .register_get("txn", |c: &mut CaseView| rec(&c.run, c.case.txn))
        .register_get("refunds", |c: &mut CaseView| {
            recs(&c.run, c.case.refunds.iter().copied())
        })
        .register_get("funds", |c: &mut CaseView| {
            recs(&c.run, c.case.funds.iter().copied())
        })
        .register_get("payouts", |c: &mut CaseView| {
            recs(&c.run, c.case.payouts.iter().map(|p| p.payout))
        })
        .register_get("bank", |c: &mut CaseView| {
            recs(&c.run, c.case.bank.iter().map(|b| b.bank))
        })
        .register_get("as_of", |c: &mut CaseView| {
            Date(c.run.settings.as_of_date())
        })
        .register_get("paid_date", date(|f| f.paid_date))
        .register_get("settles", |c: &mut CaseView| {
            // A successful payment this case owns, not refunded in full: its money should settle.
            let run = c.run.clone();
            c.case.owns_payment()
                && c.case.txn.map(|t| run.data.get(t)).is_some_and(|t| {
                    t.status == qrecon_core::Status::Success
                        && t.rtype == qrecon_core::RecordType::Payment
                })
                && c.case.facts.refunded < c.case.facts.gross
        })
        .register_get("payout_returned", |c: &mut CaseView| {
            // A payout that carried it came back and nothing carried it out again.
            !c.case.returns().is_empty() && c.case.facts.paid_out < c.case.facts.net
        })
        .register_get("frozen", money(|f| f.frozen))
        .register_get("duplicate_of", |c: &mut CaseView| {
            let run = c.run.clone();
            opt(c.case.duplicate_of.map(|d| {
                ImmutableString::from(format!("claim:{}", run.data.s(run.data.get(d).claim_id)))
            }))
        })
        .register_get("ambiguous", |c: &mut CaseView| {
            recs(&c.run, c.case.ambiguous().iter().copied())
        })
        .register_get("returns", |c: &mut CaseView| {
            recs(&c.run, c.case.returns().iter().copied())
        })
        .register_get("bank_ambiguous", |c: &mut CaseView| {
            recs(&c.run, c.case.bank_ambiguous().iter().copied())
        })
        .register_get("frozen_by", |c: &mut CaseView| {
            rec(&c.run, c.case.frozen_by())
        })
        .register_fn("is_past", |c: &mut CaseView, d: Date| {
            c.run.settings.is_past(d.0)
        })
        .register_fn("is_merchant", |c: &mut CaseView, name: &str| {
            let provider = c
                .case
                .record(&c.run.data)
                .map(|r| c.run.data.s(r.provider))
                .unwrap_or_default();
            c.run.settings.is_merchant(provider, name)
        })
        .register_get("per_payment_limit", |c: &mut CaseView| {
            let provider = c
                .case
                .record(&c.run.data)
                .map(|r| c.run.data.s(r.provider))
                .unwrap_or_default();
            opt(c
                .run
                .settings
                .per_payment_limits
                .get(provider)
                .copied()
                .map(Amount))
        })
        .register_fn(
            "business_days_between",
            |c: &mut CaseView, a: Date, b: Date| {
                let provider = c.case.provider(&c.run.data).unwrap_or_default();
                let terms = c.run.settings.terms(provider);
                i64::from(
                    c.run
                        .settings
                        .calendar(&terms.calendar)
                        .business_days_between(a.0, b.0),
                )
            },
        );
}

fn record_getters(engine: &mut Engine) {
    engine.register_type_with_name::<RecordView>("Record");
    macro_rules! strs {
        ($($name:literal => $field:ident),* $(,)?) => {
            $(engine.register_get($name, |r: &mut RecordView| { let run = r.run.clone(); text(&run, run.data.get(r.id).$field) });)*
        };
    }
    strs!("status_raw" => status_raw, "provider" => provider, "account" => account, "claim_id" => claim_id, "order_id" => order_id,
        "txn_id" => txn_id, "refund_id" => refund_id, "payout_id" => payout_id, "bank_ref" => bank_ref,
        "payee_name" => payee_name, "payer" => payer, "counterparty" => counterparty, "memo" => memo);
    engine
        .register_get("amount", |r: &mut RecordView| {
            Amount(r.run.data.get(r.id).amount)
        })
        .register_get("fee", |r: &mut RecordView| {
            opt(r.run.data.get(r.id).fee.map(Amount))
        })
        .register_get("status", |r: &mut RecordView| {
            ImmutableString::from(r.run.data.get(r.id).status.as_str())
        })
        .register_get("type", |r: &mut RecordView| {
            ImmutableString::from(r.run.data.get(r.id).rtype.as_str())
        })
        .register_get("kind", |r: &mut RecordView| {
            ImmutableString::from(r.run.data.get(r.id).kind.as_str())
        })
        .register_get("evidence", |r: &mut RecordView| {
            ImmutableString::from(r.run.data.evidence(r.run.data.get(r.id).source))
        })
        .register_fn("extra", |r: &mut RecordView, key: &str| {
            let run = r.run.clone();
            let rec = run.data.get(r.id);
            run.data
                .extra(rec)
                .find(|(k, _)| *k == key)
                .map_or(Dynamic::UNIT, |(_, v)| {
                    Dynamic::from(ImmutableString::from(v))
                })
        });
}
