//! Lookups over the platform records by id. Built once per run; the same payment or refund
//! appearing in two bills (ALL and SUCCESS of one day) counts once. Keys are the ids alone;
//! a lookup names the provider (or none, for claims that do not say) and filters on it.

use rustc_hash::FxHashMap;

use crate::dataset::Dataset;
use crate::money::Money;
use crate::record::{Kind, RecordId, RecordType, Status};

/// Marks an entry that holds several records (the rest of the value indexes `many`).
const MANY: u32 = 1 << 31;

/// key → records, in input order. Almost every key has one record, stored in the map itself
/// (8 bytes); the few with several point into a side list.
#[derive(Default)]
pub struct Index<K> {
    map: FxHashMap<K, RecordId>,
    many: Vec<Vec<RecordId>>,
}

impl<K: std::hash::Hash + Eq> Index<K> {
    fn reserve(&mut self, n: usize) {
        self.map.reserve(n);
    }

    fn add(&mut self, key: K, id: RecordId) {
        match self.map.entry(key) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(id);
            }
            std::collections::hash_map::Entry::Occupied(mut o) => {
                let cur = *o.get();
                if cur.0 & MANY == 0 {
                    let slot = u32::try_from(self.many.len()).unwrap_or(u32::MAX >> 1);
                    self.many.push(vec![cur, id]);
                    o.insert(RecordId(slot | MANY));
                } else {
                    self.many[(cur.0 & !MANY) as usize].push(id);
                }
            }
        }
    }

    /// The records under `key`.
    pub fn get<Q: std::hash::Hash + Eq + ?Sized>(&self, key: &Q) -> &[RecordId]
    where
        K: std::borrow::Borrow<Q>,
    {
        match self.map.get(key) {
            Some(id) if id.0 & MANY != 0 => &self.many[(id.0 & !MANY) as usize],
            Some(id) => std::slice::from_ref(id),
            None => &[],
        }
    }

    /// Every key.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.map.keys()
    }
}

fn add<'a>(index: &mut Index<&'a str>, key: &'a str, id: RecordId) {
    index.add(key, id);
}

/// The run's lookups.
#[derive(Default)]
pub struct Indexes<'a> {
    /// Payments (and revokes) by transaction id: one entry per payment.
    pub payments_by_txn: Index<&'a str>,
    /// Payments by merchant order number (only numbers some claim cites).
    pub payments_by_order: Index<&'a str>,
    /// Successful payments by (provider, amount), for window matching (only amounts some
    /// claim has), in input order.
    pub payments_by_amount: Index<(&'a str, Money)>,
    /// Refunds by the transaction id of their payment (one entry per refund id).
    pub refunds_by_txn: Index<&'a str>,
    /// Refunds by refund id.
    pub refunds_by_id: Index<&'a str>,
    /// Settled-income fund lines by transaction id.
    pub income_by_txn: Index<&'a str>,
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
        ix.payments.reserve(n);
        // Orders and amounts are looked up only for claims: index only what claims ask for.
        let (orders, amounts) = wanted(data);
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
            if let Some(order) = data.str(r.order_id).filter(|o| orders.contains(o)) {
                add(&mut ix.payments_by_order, order, id);
            }
            if r.status == Status::Success && amounts.contains(&r.amount) {
                ix.payments_by_amount.add((provider, r.amount), id);
            }
        }
        ix
    }

    #[allow(clippy::type_complexity)]
    fn others(
        data: &'a Dataset,
    ) -> (
        Index<&'a str>,
        Index<&'a str>,
        Index<&'a str>,
        Vec<RecordId>,
    ) {
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
                        let seen = by_id
                            .get(refund_id)
                            .iter()
                            .any(|x| data.s(data.get(*x).provider) == provider);
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
        index: &'s Index<&'a str>,
        provider: Option<&'s str>,
        key: &str,
    ) -> impl Iterator<Item = RecordId> + 's {
        index
            .get(key)
            .iter()
            .copied()
            .filter(move |id| provider.is_none_or(|p| data.s(data.get(*id).provider) == p))
    }
}

/// The order numbers and amounts claims may be matched by.
fn wanted(data: &Dataset) -> (rustc_hash::FxHashSet<&str>, rustc_hash::FxHashSet<Money>) {
    let mut orders = rustc_hash::FxHashSet::default();
    let mut amounts = rustc_hash::FxHashSet::default();
    for r in data.records.iter().filter(|r| r.kind == Kind::Claim) {
        if let Some(o) = data.str(r.order_id) {
            orders.insert(o);
        }
        amounts.insert(r.amount);
    }
    (orders, amounts)
}
