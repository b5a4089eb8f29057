//! Lookups over the platform records, by (provider, id). Built once per run; the same
//! payment or refund appearing in two bills (ALL and SUCCESS of one day) counts once.

use rustc_hash::FxHashMap;

use crate::dataset::Dataset;
use crate::money::Money;
use crate::record::{Kind, RecordId, RecordType, Status};

/// `(provider, key)` → record ids, in input order.
pub type Index<'a> = FxHashMap<(&'a str, &'a str), Vec<RecordId>>;

/// The run's lookups.
#[derive(Default)]
pub struct Indexes<'a> {
    /// Payments (and revokes) by transaction id: one entry per payment.
    pub payments_by_txn: Index<'a>,
    /// Payments by merchant order number.
    pub payments_by_order: Index<'a>,
    /// Payments by (provider, amount), for window matching, in input order.
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
    /// Builds the lookups over `data`.
    pub fn build(data: &'a Dataset) -> Self {
        let mut ix = Indexes::default();
        for (id, r) in data.iter() {
            let p = data.s(r.provider);
            match (r.kind, r.rtype) {
                (Kind::Txn, RecordType::Payment | RecordType::Revoke) => {
                    ix.add_payment(data, id, p);
                }
                (Kind::Txn, RecordType::Refund) => ix.add_refund(data, id, p),
                (Kind::Fund, RecordType::Income) => {
                    if let Some(txn) = data.str(r.txn_id) {
                        ix.income_by_txn.entry((p, txn)).or_default().push(id);
                    }
                }
                _ => {}
            }
        }
        ix
    }

    fn add_payment(&mut self, data: &'a Dataset, id: RecordId, p: &'a str) {
        let r = data.get(id);
        let Some(txn) = data.str(r.txn_id) else {
            return;
        };
        let entry = self.payments_by_txn.entry((p, txn)).or_default();
        if !entry.is_empty() {
            self.repeats.push(id);
            return;
        }
        entry.push(id);
        self.payments.push(id);
        if let Some(order) = data.str(r.order_id) {
            self.payments_by_order
                .entry((p, order))
                .or_default()
                .push(id);
        }
        if r.status == Status::Success {
            self.payments_by_amount
                .entry((p, r.amount))
                .or_default()
                .push(id);
        }
    }

    fn add_refund(&mut self, data: &'a Dataset, id: RecordId, p: &'a str) {
        let r = data.get(id);
        if let Some(refund_id) = data.str(r.refund_id) {
            let entry = self.refunds_by_id.entry((p, refund_id)).or_default();
            if !entry.is_empty() {
                self.repeats.push(id);
                return;
            }
            entry.push(id);
        }
        if let Some(txn) = data.str(r.txn_id) {
            self.refunds_by_txn.entry((p, txn)).or_default().push(id);
        }
    }
}
