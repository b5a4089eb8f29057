//! Refunds linked to their payments: by the payment's 交易订单号 (a refund's is the
//! payment's followed by `_` and a suffix), else by 商家订单号 when one payment has it, else
//! by a payment's 交易订单号 (of at least 16 characters) that the refund's starts with (some
//! exports leave out the `_`). A linked refund is recorded on its payment's claim; one whose
//! payment is not in the file, or is on several rows, is reported as skipped with a warning.

use std::collections::BTreeMap;

use qrecon_adapter_sdk::{Decimal, Emitter};

use crate::row::{Entry, Payment, Refund};

/// Where a refund's payment is.
enum Found {
    /// The entry index of the payment.
    At(usize),
    /// No payment in the file; the id it names.
    Missing(String),
    /// Several payments could be it: their lines.
    Several(Vec<u64>),
}

/// The shortest payment 交易订单号 a refund's may start with to be linked by prefix.
const MIN_PREFIX: usize = 16;

/// Payment entry indices by 交易订单号 and by 商家订单号.
#[derive(Default)]
struct Payments {
    by_txn: BTreeMap<String, Vec<usize>>,
    by_order: BTreeMap<String, Vec<usize>>,
}

impl Payments {
    fn of(entries: &[Entry]) -> Self {
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

    fn find(&self, refund: &Refund, entries: &[Entry]) -> Found {
        let by_order = refund.order_id.as_ref().and_then(|o| self.by_order.get(o));
        let by_txn = refund.payment_id().and_then(|id| self.by_txn.get(id));
        let mut candidates: Vec<usize> = match (by_txn, by_order) {
            (Some(txn), Some(order)) if txn.len() > 1 => {
                txn.iter().copied().filter(|i| order.contains(i)).collect()
            }
            (Some(txn), _) => txn.clone(),
            (None, Some(order)) => order.clone(),
            (None, None) => Vec::new(),
        };
        if candidates.is_empty() {
            candidates = self.by_prefix(refund);
        }
        match candidates.as_slice() {
            [one] => Found::At(*one),
            [] => Found::Missing(named_id(refund)),
            many => Found::Several(many.iter().filter_map(|i| line_of(entries, *i)).collect()),
        }
    }
}

impl Payments {
    /// Payments whose 交易订单号 (long enough) the refund's own one starts with.
    fn by_prefix(&self, refund: &Refund) -> Vec<usize> {
        let Some(own) = refund.own_id.as_deref() else {
            return Vec::new();
        };
        self.by_txn
            .iter()
            .filter(|(id, _)| {
                id.len() >= MIN_PREFIX && own.len() > id.len() && own.starts_with(id.as_str())
            })
            .flat_map(|(_, at)| at.iter().copied())
            .collect()
    }
}

fn named_id(refund: &Refund) -> String {
    refund
        .payment_id()
        .or(refund.order_id.as_deref())
        .unwrap_or("(no transaction number)")
        .to_owned()
}

fn line_of(entries: &[Entry], i: usize) -> Option<u64> {
    match entries.get(i) {
        Some(Entry::Payment(p)) => Some(p.line),
        _ => None,
    }
}

/// Links every refund among `entries` to its payment and sets the refund's skip reason.
pub(crate) fn link(entries: &mut [Entry], out: &mut Emitter) {
    let payments = Payments::of(entries);
    let found: Vec<(usize, Found)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Entry::Refund(r) => Some((i, payments.find(r, entries))),
            _ => None,
        })
        .collect();
    for (refund_at, found) in found {
        apply(entries, refund_at, found, out);
    }
    warn_over_refunded(entries, out);
}

fn apply(entries: &mut [Entry], refund_at: usize, found: Found, out: &mut Emitter) {
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
            out.warn(
                line,
                &format!("the refund at line {line} is for payment {id}, which is not in this file; it is recorded on no claim"),
            );
            format!("refund of a payment not in this file: {id}")
        }
        Found::Several(lines) => {
            let lines = join_lines(&lines);
            out.warn(
                line,
                &format!("the refund at line {line} could be for the payments at lines {lines}; it is recorded on none of them"),
            );
            format!("refund of a payment on several rows (lines {lines}); not linked")
        }
    };
    if let Some(Entry::Refund(refund)) = entries.get_mut(refund_at) {
        refund.outcome = outcome;
    }
}

/// Warns on each payment whose linked refunds add up to more than it.
fn warn_over_refunded(entries: &[Entry], out: &mut Emitter) {
    for entry in entries {
        if let Entry::Payment(p) = entry {
            let total = refunded(p);
            if total > p.amount {
                out.warn(
                    p.line,
                    &format!(
                        "the refunds at lines {} total {total}, more than the payment at line {} ({})",
                        join_lines(&refund_lines(p)),
                        p.line,
                        p.amount
                    ),
                );
            }
        }
    }
}

/// The total of a payment's linked refunds.
pub(crate) fn refunded(p: &Payment) -> Decimal {
    p.refunds.iter().map(|(_, amount)| *amount).sum()
}

/// The lines of a payment's linked refunds.
pub(crate) fn refund_lines(p: &Payment) -> Vec<u64> {
    p.refunds.iter().map(|(line, _)| *line).collect()
}

/// Lines as `3, 5, 8`.
pub(crate) fn join_lines(lines: &[u64]) -> String {
    lines
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
