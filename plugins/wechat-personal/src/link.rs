//! Refunds linked to their payments. By id first: the payment with the refund's 交易单号, else
//! the one payment with its 商户单号. Else by evidence, as WeChat gives a refund its own
//! numbers: the one payment whose 当前状态 says it was refunded (已全额退款, 已退款…), paid to
//! the same 交易对方 no later than the refund, with enough left unrefunded. A linked refund is
//! recorded on its payment's claim; one with no such payment, or several, is reported as
//! skipped with a warning.

use std::collections::BTreeMap;

use qrecon_adapter_sdk::{Decimal, Emitter};

use crate::row::{Entry, Payment, Refund};

/// Where a refund's payment is.
enum Found {
    /// The entry index of the payment.
    At(usize),
    /// No payment in the file; the refund's id.
    Missing(String),
    /// Several payments could be it: their lines.
    Several(Vec<u64>),
}

/// Payment entry indices by 交易单号 and by 商户单号.
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

    /// The payment a refund names by id; `None` when no payment has its ids.
    fn by_id(&self, refund: &Refund, entries: &[Entry]) -> Option<Found> {
        let by_txn = refund.txn_id.as_ref().and_then(|id| self.by_txn.get(id));
        let by_order = refund
            .order_id
            .as_ref()
            .and_then(|id| self.by_order.get(id));
        let candidates: Vec<usize> = match (by_txn, by_order) {
            (Some(txn), Some(order)) if txn.len() > 1 => {
                txn.iter().copied().filter(|i| order.contains(i)).collect()
            }
            (Some(txn), _) => txn.clone(),
            (None, Some(order)) => order.clone(),
            (None, None) => Vec::new(),
        };
        found(&candidates, entries)
    }
}

fn found(candidates: &[usize], entries: &[Entry]) -> Option<Found> {
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

/// Whether a payment's 当前状态 says it was refunded.
fn says_refunded(p: &Payment) -> bool {
    p.status_raw
        .as_deref()
        .is_some_and(|s| s == "已全额退款" || s.starts_with("已退款"))
}

/// The payments that could be a refund's by evidence.
fn by_evidence(refund: &Refund, entries: &[Entry]) -> Found {
    let Some(counterparty) = refund.counterparty.as_deref() else {
        return Found::Missing(named_id(refund));
    };
    let candidates: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Entry::Payment(p)
                if says_refunded(p)
                    && p.payee_name.as_deref() == Some(counterparty)
                    && p.time <= refund.time
                    && p.amount - refunded(p) >= refund.amount =>
            {
                Some(i)
            }
            _ => None,
        })
        .collect();
    found(&candidates, entries).unwrap_or_else(|| Found::Missing(named_id(refund)))
}

fn named_id(refund: &Refund) -> String {
    refund
        .txn_id
        .clone()
        .unwrap_or_else(|| "(no transaction number)".to_owned())
}

/// Links every refund among `entries` to its payment and sets the refund's skip reason.
pub(crate) fn link(entries: &mut [Entry], out: &mut Emitter) {
    let payments = Payments::of(entries);
    let mut by_evidence_later = Vec::new();
    let by_id: Vec<(usize, Option<Found>)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Entry::Refund(r) => Some((i, payments.by_id(r, entries))),
            _ => None,
        })
        .collect();
    for (at, found) in by_id {
        match found {
            Some(found) => apply(entries, at, found, out),
            None => by_evidence_later.push(at),
        }
    }
    for at in by_evidence_later {
        let Some(Entry::Refund(refund)) = entries.get(at) else {
            continue;
        };
        let found = by_evidence(refund, entries);
        apply(entries, at, found, out);
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
                &format!(
                    "the refund at line {line} ({id}) matches no payment in this file; it is recorded on no claim"
                ),
            );
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
