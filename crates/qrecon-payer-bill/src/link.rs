//! Refunds linked to their payments: the pieces both platforms link with. A refund names its
//! payment by id — the payment's transaction number, else the one payment with its merchant
//! order number — and each adapter adds its own way for a refund the ids do not place. A
//! linked refund is recorded on its payment's claim; one whose payment is not in the file, or
//! that could be for several, is skipped with a warning.

use std::collections::BTreeMap;

use qrecon_adapter_sdk::Emitter;

use crate::entry::{Entry, Payment};

/// Where a refund's payment is.
pub enum Found {
    /// The entry index of the payment.
    At(usize),
    /// No payment in the file; the id the refund names.
    Missing(String),
    /// Several payments could be it: their lines.
    Several(Vec<u64>),
}

/// Payment entry indices by transaction number and by merchant order number.
#[derive(Default)]
pub struct Payments {
    by_txn: BTreeMap<String, Vec<usize>>,
    by_order: BTreeMap<String, Vec<usize>>,
}

impl Payments {
    /// The index of the payments among `entries`.
    pub fn of(entries: &[Entry]) -> Self {
        let mut index = Self::default();
        for (i, entry) in entries.iter().enumerate() {
            if let Entry::Payment(p) = entry {
                if let Some(id) = &p.txn_id {
                    index.by_txn.entry(id.clone()).or_default().push(i);
                }
                if let Some(id) = &p.order_id {
                    index.by_order.entry(id.clone()).or_default().push(i);
                }
            }
        }
        index
    }

    /// The payments a refund's ids name: those with transaction number `txn` (when several
    /// have it, only those with order number `order` too), else those with order number
    /// `order`.
    pub fn by_ids(&self, txn: Option<&str>, order: Option<&str>) -> Vec<usize> {
        let by_txn = txn.and_then(|id| self.by_txn.get(id));
        let by_order = order.and_then(|id| self.by_order.get(id));
        match (by_txn, by_order) {
            (Some(txn), Some(order)) if txn.len() > 1 => {
                txn.iter().copied().filter(|i| order.contains(i)).collect()
            }
            (Some(txn), _) => txn.clone(),
            (None, Some(order)) => order.clone(),
            (None, None) => Vec::new(),
        }
    }

    /// Every transaction number with its payments, in order.
    pub fn by_txn(&self) -> impl Iterator<Item = (&str, &[usize])> {
        self.by_txn
            .iter()
            .map(|(id, at)| (id.as_str(), at.as_slice()))
    }
}

/// The payment among `candidates` (entry indices), several, or `None` when there is none.
pub fn found(candidates: &[usize], entries: &[Entry]) -> Option<Found> {
    match candidates {
        [] => None,
        [one] => Some(Found::At(*one)),
        many => Some(Found::Several(
            many.iter().filter_map(|i| line_of(entries, *i)).collect(),
        )),
    }
}

fn line_of(entries: &[Entry], i: usize) -> Option<u64> {
    match entries.get(i) {
        Some(Entry::Payment(p)) => Some(p.line),
        _ => None,
    }
}

/// Records the refund at entry `refund_at` on the payment `found` names and sets its skip
/// reason; a refund not linked is warned about. `missing` words the warning for a refund at
/// a line whose payment (the id given) is not in the file.
pub fn apply(
    entries: &mut [Entry],
    refund_at: usize,
    found: Found,
    missing: fn(u64, &str) -> String,
    out: &mut Emitter,
) {
    let Some(Entry::Refund(refund)) = entries.get(refund_at) else {
        return;
    };
    let (line, amount) = (refund.line, refund.amount);
    let outcome = match found {
        Found::At(payment_at) => match entries.get_mut(payment_at) {
            Some(Entry::Payment(p)) => {
                p.refunds.push((line, amount));
                format!(
                    "refund of the payment at line {} (recorded on its claim)",
                    p.line
                )
            }
            _ => return,
        },
        Found::Missing(id) => {
            out.warn(line, &missing(line, &id));
            format!("refund of a payment not in this file: {id}")
        }
        Found::Several(lines) => {
            let lines = join_lines(&lines);
            out.warn(
                line,
                &format!(
                    "the refund at line {line} could be for the payments at lines {lines}; it is recorded on none of them"
                ),
            );
            format!("refund of a payment on several rows (lines {lines}); not linked")
        }
    };
    if let Some(Entry::Refund(refund)) = entries.get_mut(refund_at) {
        refund.outcome = outcome;
    }
}

/// Warns on each payment whose linked refunds add up to more than it.
pub fn warn_over_refunded(entries: &[Entry], out: &mut Emitter) {
    for entry in entries {
        if let Entry::Payment(p) = entry {
            warn_if_over_refunded(p, out);
        }
    }
}

fn warn_if_over_refunded(p: &Payment, out: &mut Emitter) {
    let total = p.refunded();
    if total > p.amount {
        out.warn(
            p.line,
            &format!(
                "the refunds at lines {} total {total}, more than the payment at line {} ({})",
                join_lines(&p.refund_lines()),
                p.line,
                p.amount
            ),
        );
    }
}

/// Lines as `3, 5, 8`.
pub fn join_lines(lines: &[u64]) -> String {
    lines
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
