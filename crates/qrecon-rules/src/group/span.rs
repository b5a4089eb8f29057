//! A span: a stretch of a group's records that a view function picked out in Rust (a burst
//! of payments, payments just under a limit, claims to one foreign payee within a day), so a
//! rule looks only at what it reports on, never at every record.

use qrecon_core::{Case, Money, RecordId};
use rhai::{Array, Dynamic, Engine, ImmutableString};

use crate::view::{Amount, RecordView, Time, with_run};

/// Records in time order, each with the key record of its case ([`Case::key`]).
#[derive(Debug, Clone)]
pub struct Span {
    items: Vec<(RecordId, RecordId)>,
    total: Money,
    provider: Option<ImmutableString>,
    cap: Option<Money>,
    payers: u32,
}

impl Span {
    /// A span of `items` (record, case key), adding up their amounts.
    pub(crate) fn new(items: Vec<(RecordId, RecordId)>, total: Money) -> Self {
        Span {
            items,
            total,
            provider: None,
            cap: None,
            payers: 0,
        }
    }

    /// The provider and the limit its records were held against.
    #[must_use]
    pub(crate) fn under(mut self, provider: &str, cap: Money) -> Self {
        self.provider = Some(provider.into());
        self.cap = Some(cap);
        self
    }

    /// The number of distinct payers in it.
    #[must_use]
    pub(crate) fn with_payers(mut self, payers: u32) -> Self {
        self.payers = payers;
        self
    }

    /// Whether its records add up to more than `cap`.
    pub(crate) fn total_over(&self, cap: Money) -> bool {
        self.total > cap
    }

    fn time_of(&self, last: bool) -> Dynamic {
        let item = if last {
            self.items.last()
        } else {
            self.items.first()
        };
        item.and_then(|(id, _)| with_run(|run| run.data.get(*id).time).ok().flatten())
            .map_or(Dynamic::UNIT, |t| Dynamic::from(Time(t)))
    }

    fn record(&self, last: bool) -> Dynamic {
        let item = if last {
            self.items.last()
        } else {
            self.items.first()
        };
        item.map_or(Dynamic::UNIT, |(id, _)| Dynamic::from(RecordView::of(*id)))
    }
}

/// Case ids of the cases keyed by `keys`, in order.
pub(crate) fn case_ids(keys: impl Iterator<Item = RecordId>) -> Array {
    with_run(|run| {
        keys.map(|k| Dynamic::from(ImmutableString::from(Case::id_of_key(&run.data, k))))
            .collect()
    })
    .unwrap_or_default()
}

/// Records as rule values.
pub(crate) fn records(ids: impl Iterator<Item = RecordId>) -> Array {
    ids.map(|id| Dynamic::from(RecordView::of(id))).collect()
}

/// Registers the span type and its getters.
pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<Span>("Span")
        .register_get("records", |s: &mut Span| {
            records(s.items.iter().map(|(id, _)| *id))
        })
        .register_get("cases", |s: &mut Span| {
            case_ids(s.items.iter().map(|(_, key)| *key))
        })
        .register_get("count", |s: &mut Span| {
            i64::try_from(s.items.len()).unwrap_or(i64::MAX)
        })
        .register_get("total", |s: &mut Span| Amount(s.total))
        .register_get("from", |s: &mut Span| s.time_of(false))
        .register_get("to", |s: &mut Span| s.time_of(true))
        .register_get("first", |s: &mut Span| s.record(false))
        .register_get("last", |s: &mut Span| s.record(true))
        .register_get("provider", |s: &mut Span| {
            s.provider.clone().map_or(Dynamic::UNIT, Dynamic::from)
        })
        .register_get("cap", |s: &mut Span| {
            s.cap.map_or(Dynamic::UNIT, |c| Dynamic::from(Amount(c)))
        })
        .register_get("payers", |s: &mut Span| i64::from(s.payers));
}
