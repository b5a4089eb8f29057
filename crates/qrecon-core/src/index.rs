//! Lookups over the platform records by id. Built once per run; the same payment or refund
//! appearing in two bills (ALL and SUCCESS of one day) counts once. Keys are the ids alone;
//! a lookup names the provider (or none, for claims that do not say) and filters on it.

use rustc_hash::{FxHashMap, FxHashSet};

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
        self.add_unless(key, id, |_| false);
    }

    /// Adds `id` under `key` unless a record already there is `same` as it (one hash lookup
    /// for both); whether it was added.
    fn add_unless(&mut self, key: K, id: RecordId, same: impl Fn(RecordId) -> bool) -> bool {
        match self.map.entry(key) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(id);
            }
            std::collections::hash_map::Entry::Occupied(mut o) => {
                let cur = *o.get();
                if cur.0 & MANY == 0 {
                    if same(cur) {
                        return false;
                    }
                    let slot = u32::try_from(self.many.len()).unwrap_or(u32::MAX >> 1);
                    self.many.push(vec![cur, id]);
                    o.insert(RecordId(slot | MANY));
                } else {
                    let many = &mut self.many[(cur.0 & !MANY) as usize];
                    if many.iter().any(|x| same(*x)) {
                        return false;
                    }
                    many.push(id);
                }
            }
        }
        true
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
    /// Refunds by refund id.
    pub refunds_by_id: Index<&'a str>,
    /// Each refund's and fund line's payment, each payment's refunds and income lines.
    belonging: Belonging,
    /// Every payment record, deduplicated, in input order.
    pub payments: Vec<RecordId>,
    /// Records that repeat a payment or refund already indexed.
    pub repeats: Vec<RecordId>,
}

impl<'a> Indexes<'a> {
    /// Builds the lookups over `data`: payments by transaction id beside the order numbers and
    /// amounts claims ask for and the refund ids; then the claimable lookups beside which
    /// payment each refund and fund line belongs to.
    pub fn build(data: &'a Dataset) -> Self {
        let ((mut ix, (orders, amounts)), (refunds_by_id, refund_repeats)) = rayon::join(
            || rayon::join(|| Self::payments(data), || wanted(data)),
            || Self::refund_ids(data),
        );
        ix.refunds_by_id = refunds_by_id;
        let ((by_order, by_amount), belonging) = rayon::join(
            || ix.claimable(data, &orders, &amounts),
            || Belonging::build(data, &ix, &refund_repeats),
        );
        ix.payments_by_order = by_order;
        ix.payments_by_amount = by_amount;
        ix.belonging = belonging;
        ix.repeats.extend(refund_repeats);
        ix.repeats.sort_unstable();
        ix
    }

    /// The payment a refund, an income line or a refund fund line belongs to: the payment
    /// with its transaction id at its provider (a refund fund line without one: the payment
    /// of the refund its refund id names). `None` for other records, and for repeated
    /// refunds.
    pub fn payment_of(&self, id: RecordId) -> Option<RecordId> {
        let owner = *self.belonging.owner.get(id.0 as usize)?;
        (owner != NONE).then_some(RecordId(owner))
    }

    /// The refunds of `payment` (a payment this index holds), in input order.
    pub fn refunds_of(&self, payment: RecordId) -> &[RecordId] {
        self.belonging.refunds.of(payment)
    }

    /// The settled-income fund lines of `payment`, in input order.
    pub fn income_of(&self, payment: RecordId) -> &[RecordId] {
        self.belonging.income.of(payment)
    }

    /// Payments by transaction id, the payments in input order and the repeats.
    fn payments(data: &'a Dataset) -> Self {
        let mut ix = Indexes::default();
        let n = data.records.iter().filter(|r| r.kind == Kind::Txn).count();
        ix.payments_by_txn.reserve(n);
        ix.payments.reserve(n);
        for (id, r) in data.iter() {
            if r.kind != Kind::Txn || !matches!(r.rtype, RecordType::Payment | RecordType::Revoke) {
                continue;
            }
            let Some(txn) = data.str(r.txn_id) else {
                continue;
            };
            let provider = data.s(r.provider);
            let same_provider = |x: RecordId| data.s(data.get(x).provider) == provider;
            if ix.payments_by_txn.add_unless(txn, id, same_provider) {
                ix.payments.push(id);
            } else {
                ix.repeats.push(id);
            }
        }
        ix
    }

    /// Payments by order number and by (provider, amount), only for the order numbers and
    /// amounts some claim has (`wanted`), in input order.
    fn claimable(
        &self,
        data: &'a Dataset,
        orders: &FxHashSet<&str>,
        amounts: &FxHashSet<Money>,
    ) -> (Index<&'a str>, Index<(&'a str, Money)>) {
        let (mut by_order, mut by_amount) = (Index::default(), Index::default());
        for &id in &self.payments {
            let r = data.get(id);
            if let Some(order) = data.str(r.order_id).filter(|o| orders.contains(o)) {
                add(&mut by_order, order, id);
            }
            if r.status == Status::Success && amounts.contains(&r.amount) {
                by_amount.add((data.s(r.provider), r.amount), id);
            }
        }
        (by_order, by_amount)
    }

    /// Refunds by refund id; the records that repeat a refund already indexed.
    fn refund_ids(data: &'a Dataset) -> (Index<&'a str>, Vec<RecordId>) {
        let (mut by_id, mut repeats) = (Index::default(), Vec::new());
        for (id, r) in data.iter() {
            if (r.kind, r.rtype) != (Kind::Txn, RecordType::Refund) {
                continue;
            }
            let Some(refund_id) = data.str(r.refund_id) else {
                continue;
            };
            let provider = data.s(r.provider);
            let same_provider = |x: RecordId| data.s(data.get(x).provider) == provider;
            if !by_id.add_unless(refund_id, id, same_provider) {
                repeats.push(id);
            }
        }
        (by_id, repeats)
    }

    /// The payment indexed under `txn` at `provider`.
    fn payment(&self, data: &Dataset, provider: &str, txn: Option<&str>) -> Option<RecordId> {
        self.lookup(data, &self.payments_by_txn, Some(provider), txn?)
            .next()
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

/// No payment (in [`Belonging::owner`]).
const NONE: u32 = u32::MAX;

/// Which payment each refund and fund line belongs to, found once by one lookup per line;
/// and the other way round, each payment's refunds and income lines, as slices (lists in
/// record order, one after another, with where each payment's list starts).
#[derive(Default)]
struct Belonging {
    /// By record: its payment, or [`NONE`].
    owner: Vec<u32>,
    refunds: Lists<RecordId>,
    income: Lists<RecordId>,
}

/// Items grouped by the record they belong to, each group in the order given: a slice per
/// record, found by its position (no hashing).
pub(crate) struct Lists<T> {
    /// By record: where its group starts in `items` (one more entry at the end).
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Lists {
            start: Vec::new(),
            items: Vec::new(),
        }
    }
}

impl<T> Lists<T> {
    /// Groups `(record, item)` pairs sorted by record (a record's items in the order given)
    /// over `records` records; pairs naming a record past them are left out.
    pub(crate) fn from_sorted(records: usize, pairs: Vec<(RecordId, T)>) -> Self {
        let mut start = vec![0u32; records + 1];
        let mut items = Vec::with_capacity(pairs.len());
        for (owner, item) in pairs {
            let Some(count) = start.get_mut(owner.0 as usize + 1) else {
                continue;
            };
            *count += 1;
            items.push(item);
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        Lists { start, items }
    }

    /// The items of `record`.
    pub(crate) fn of(&self, record: RecordId) -> &[T] {
        let i = record.0 as usize;
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }
}

impl Belonging {
    fn build(data: &Dataset, ix: &Indexes<'_>, refund_repeats: &[RecordId]) -> Self {
        use rayon::prelude::*;
        // Which list a record goes in, beside its payment.
        const REFUNDS: u8 = 1;
        const INCOME: u8 = 2;
        // `refund_repeats` is in record order.
        let repeated = |id: RecordId| refund_repeats.binary_search(&id).is_ok();
        let (owner, list): (Vec<u32>, Vec<u8>) = data
            .records
            .par_iter()
            .zip(0..crate::dataset::ids(data))
            .map(|(r, i)| {
                let provider = data.s(r.provider);
                let txn = data.str(r.txn_id);
                let (payment, list) = match (r.kind, r.rtype) {
                    (Kind::Txn, RecordType::Refund) if !repeated(RecordId(i)) => {
                        (ix.payment(data, provider, txn), REFUNDS)
                    }
                    (kind @ (Kind::Fund | Kind::Payout), RecordType::Income) => {
                        let list = if kind == Kind::Fund { INCOME } else { 0 };
                        (ix.payment(data, provider, txn), list)
                    }
                    (Kind::Fund | Kind::Payout, RecordType::Refund) => {
                        let payment = ix.payment(data, provider, txn).or_else(|| {
                            let refund = ix
                                .lookup(
                                    data,
                                    &ix.refunds_by_id,
                                    Some(provider),
                                    data.str(r.refund_id)?,
                                )
                                .next()?;
                            ix.payment(data, provider, data.str(data.get(refund).txn_id))
                        });
                        (payment, 0)
                    }
                    _ => (None, 0),
                };
                match payment {
                    Some(p) => (p.0, list),
                    None => (NONE, 0),
                }
            })
            .unzip();
        // Each list's (payment, record) pairs in record order, then by payment (stable: each
        // payment's records stay in record order).
        let owned = |which: u8| {
            let mut pairs: Vec<(RecordId, RecordId)> = owner
                .iter()
                .zip(&list)
                .zip(0u32..)
                .filter(|((_, l), _)| **l == which)
                .map(|((o, _), i)| (RecordId(*o), RecordId(i)))
                .collect();
            pairs.par_sort_by_key(|(payment, _)| *payment);
            Lists::from_sorted(owner.len(), pairs)
        };
        let (refunds, income) = rayon::join(|| owned(REFUNDS), || owned(INCOME));
        Belonging {
            owner,
            refunds,
            income,
        }
    }
}

/// The order numbers and amounts claims may be matched by.
fn wanted(data: &Dataset) -> (FxHashSet<&str>, FxHashSet<Money>) {
    let mut orders = FxHashSet::default();
    let mut amounts = FxHashSet::default();
    for r in data.records.iter().filter(|r| r.kind == Kind::Claim) {
        if let Some(o) = data.str(r.order_id) {
            orders.insert(o);
        }
        amounts.insert(r.amount);
    }
    (orders, amounts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Chunk;
    use crate::record::RecordIn;

    /// `(kind, type, provider, txn id, refund id)`.
    type Row<'r> = (Kind, &'r str, &'r str, Option<&'r str>, Option<&'r str>);

    /// The records of `rows`, in one file.
    fn dataset(rows: &[Row<'_>]) -> Dataset {
        let mut data = Dataset::new(vec!["f.csv".into()]);
        let mut chunk = Chunk::new(0);
        for (line, (kind, rtype, provider, txn, refund)) in (1u64..).zip(rows) {
            let mut r = RecordIn::new(line, *kind, rtype, provider, Money::cents(100));
            r.ids[3] = *txn;
            r.ids[4] = *refund;
            chunk.push(&r);
        }
        data.append(chunk);
        data
    }

    #[test]
    fn refunds_and_income_lines_belong_to_the_payment_of_their_provider() {
        use Kind::{Fund, Txn};
        let data = dataset(&[
            (Txn, "payment", "wechatpay", Some("T1"), None), // 0
            (Txn, "payment", "alipay", Some("T1"), None),    // 1: same id, other provider
            (Txn, "refund", "wechatpay", Some("T1"), Some("R1")), // 2
            (Txn, "refund", "wechatpay", Some("T1"), Some("R1")), // 3: repeats 2
            (Fund, "income", "wechatpay", Some("T1"), None), // 4
            (Txn, "refund", "alipay", Some("T1"), Some("R2")), // 5
            (Fund, "refund", "wechatpay", None, Some("R1")), // 6: by its refund id
            (Fund, "income", "wechatpay", Some("T9"), None), // 7: no such payment
            (Txn, "payment", "wechatpay", Some("T1"), None), // 8: repeats 0
            (Fund, "income", "alipay", Some("T1"), None),    // 9
            (Fund, "income", "wechatpay", Some("T1"), None), // 10
            (Txn, "refund", "wechatpay", Some("T1"), None),  // 11: no refund id
        ]);
        let ix = Indexes::build(&data);
        let ids = |v: &[u32]| v.iter().map(|i| RecordId(*i)).collect::<Vec<_>>();
        assert_eq!(ix.payments, ids(&[0, 1]));
        assert_eq!(ix.repeats, ids(&[3, 8]));
        assert_eq!(ix.refunds_of(RecordId(0)), ids(&[2, 11]));
        assert_eq!(ix.refunds_of(RecordId(1)), ids(&[5]));
        assert_eq!(ix.income_of(RecordId(0)), ids(&[4, 10]));
        assert_eq!(ix.income_of(RecordId(1)), ids(&[9]));
        assert_eq!(ix.payment_of(RecordId(6)), Some(RecordId(0)));
        assert_eq!(ix.payment_of(RecordId(4)), Some(RecordId(0)));
        assert_eq!(ix.payment_of(RecordId(9)), Some(RecordId(1)));
        for none in [3, 7, 0, 8] {
            assert_eq!(ix.payment_of(RecordId(none)), None, "record {none}");
        }
        assert_eq!(ix.refunds_of(RecordId(8)), ids(&[]));
        assert_eq!(ix.income_of(RecordId(99)), ids(&[]));
    }
}
