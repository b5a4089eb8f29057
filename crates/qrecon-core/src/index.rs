//! Lookups over the platform records by id. Built once per run; the same payment or refund
//! appearing in two bills (ALL and SUCCESS of one day) counts once. Keys are the ids alone;
//! a lookup names the provider (or none, for claims that do not say) and filters on it.

use rustc_hash::FxHashMap;

use crate::dataset::Dataset;
use crate::money::Money;
use crate::record::{Kind, RecordId, RecordType, Status};

/// The records under one key: almost always one, so no allocation for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ids {
    /// One record.
    One(RecordId),
    /// Several, in input order.
    Many(Vec<RecordId>),
}

impl Ids {
    fn push(&mut self, id: RecordId) {
        match self {
            Ids::One(first) => *self = Ids::Many(vec![*first, id]),
            Ids::Many(v) => v.push(id),
        }
    }

    /// The records.
    pub fn as_slice(&self) -> &[RecordId] {
        match self {
            Ids::One(id) => std::slice::from_ref(id),
            Ids::Many(v) => v,
        }
    }
}

/// id → records, in input order.
pub type Index<'a> = FxHashMap<&'a str, Ids>;

fn add<'a>(index: &mut Index<'a>, key: &'a str, id: RecordId) {
    index
        .entry(key)
        .and_modify(|v| v.push(id))
        .or_insert(Ids::One(id));
}

/// The run's lookups.
#[derive(Default)]
pub struct Indexes<'a> {
    /// Payments (and revokes) by transaction id: one entry per payment.
    pub payments_by_txn: Index<'a>,
    /// Payments by merchant order number.
    pub payments_by_order: Index<'a>,
    /// Successful payments by (provider, amount), for window matching, in input order.
    pub payments_by_amount: FxHashMap<(&'a str, Money), Vec<RecordId>>,
    /// Refunds by the transaction id of their payment (one entry per refund id).
    pub refunds_by_txn: Index<'a>,
    /// Refunds by refund id.
    pub refunds_by_id: Index<'a>,
    /// Settled-income fund lines by transaction id.
    pub income_by_txn: Index<'a>,
    /// Every payment record, deduplicated, in input order.
    pub payments: Vec<RecordId>,
    /// Records that repeat a payment or refund already indexed.
    pub repeats: Vec<RecordId>,
}

impl<'a> Indexes<'a> {
    /// Builds the lookups over `data` (payments on one thread, the rest on another).
    pub fn build(data: &'a Dataset) -> Self {
        let (mut ix, (refunds_by_txn, refunds_by_id, income_by_txn, refund_repeats)) =
            rayon::join(|| Self::payments(data), || Self::others(data));
        ix.refunds_by_txn = refunds_by_txn;
        ix.refunds_by_id = refunds_by_id;
        ix.income_by_txn = income_by_txn;
        ix.repeats.extend(refund_repeats);
        ix.repeats.sort_unstable();
        ix
    }

    fn payments(data: &'a Dataset) -> Self {
        let mut ix = Indexes::default();
        let n = data.records.iter().filter(|r| r.kind == Kind::Txn).count();
        ix.payments_by_txn.reserve(n);
        ix.payments_by_order.reserve(n);
        ix.payments.reserve(n);
        for (id, r) in data.iter() {
            if r.kind != Kind::Txn || !matches!(r.rtype, RecordType::Payment | RecordType::Revoke) {
                continue;
            }
            let Some(txn) = data.str(r.txn_id) else {
                continue;
            };
            let provider = data.s(r.provider);
            if ix
                .lookup(data, &ix.payments_by_txn, Some(provider), txn)
                .next()
                .is_some()
            {
                ix.repeats.push(id);
                continue;
            }
            add(&mut ix.payments_by_txn, txn, id);
            ix.payments.push(id);
            if let Some(order) = data.str(r.order_id) {
                add(&mut ix.payments_by_order, order, id);
            }
            if r.status == Status::Success {
                ix.payments_by_amount
                    .entry((provider, r.amount))
                    .or_default()
                    .push(id);
            }
        }
        ix
    }

    #[allow(clippy::type_complexity)]
    fn others(data: &'a Dataset) -> (Index<'a>, Index<'a>, Index<'a>, Vec<RecordId>) {
        let (mut by_txn, mut by_id, mut income, mut repeats) = (
            Index::default(),
            Index::default(),
            Index::default(),
            Vec::new(),
        );
        income.reserve(data.records.iter().filter(|r| r.kind == Kind::Fund).count());
        for (id, r) in data.iter() {
            match (r.kind, r.rtype) {
                (Kind::Txn, RecordType::Refund) => {
                    if let Some(refund_id) = data.str(r.refund_id) {
                        let provider = data.s(r.provider);
                        let seen = by_id.get(refund_id).is_some_and(|v| {
                            v.as_slice()
                                .iter()
                                .any(|x| data.s(data.get(*x).provider) == provider)
                        });
                        if seen {
                            repeats.push(id);
                            continue;
                        }
                        add(&mut by_id, refund_id, id);
                    }
                    if let Some(txn) = data.str(r.txn_id) {
                        add(&mut by_txn, txn, id);
                    }
                }
                (Kind::Fund, RecordType::Income) => {
                    if let Some(txn) = data.str(r.txn_id) {
                        add(&mut income, txn, id);
                    }
                }
                _ => {}
            }
        }
        (by_txn, by_id, income, repeats)
    }

    /// The records under `key` at `provider` (any provider when `None`), in input order.
    pub fn lookup<'s>(
        &'s self,
        data: &'s Dataset,
        index: &'s Index<'a>,
        provider: Option<&'s str>,
        key: &str,
    ) -> impl Iterator<Item = RecordId> + 's {
        index
            .get(key)
            .map(Ids::as_slice)
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(move |id| provider.is_none_or(|p| data.s(data.get(*id).provider) == p))
    }
}
