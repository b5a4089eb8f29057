//! Refunds linked to their payments: by the payment's 交易订单号 (a refund's is the
//! payment's followed by `_` and a suffix), else by 商家订单号 when one payment has it, else
//! by a payment's 交易订单号 (of at least 16 characters) that the refund's starts with (some
//! exports leave out the `_`). A linked refund is recorded on its payment's claim; one whose
//! payment is not in the file, or is on several rows, is reported as skipped with a warning.

use qrecon_adapter_sdk::Emitter;
use qrecon_payer_bill::entry::{Entry, Refund};
use qrecon_payer_bill::link::{self, Found, Payments};

/// The shortest payment 交易订单号 a refund's may start with to be linked by prefix.
const MIN_PREFIX: usize = 16;

/// The id of the payment a refund is for: its own 交易订单号 up to the first `_`.
fn payment_id(refund: &Refund) -> Option<&str> {
    let id = refund.txn_id.as_deref()?;
    id.split('_').next().filter(|p| !p.is_empty())
}

/// Where a refund's payment is: by its ids, else by prefix.
fn find(payments: &Payments, refund: &Refund, entries: &[Entry]) -> Found {
    let mut candidates = payments.by_ids(payment_id(refund), refund.order_id.as_deref());
    if candidates.is_empty() {
        candidates = by_prefix(payments, refund);
    }
    link::found(&candidates, entries).unwrap_or_else(|| Found::Missing(named_id(refund)))
}

/// Payments whose 交易订单号 (long enough) the refund's own one starts with.
fn by_prefix(payments: &Payments, refund: &Refund) -> Vec<usize> {
    let Some(own) = refund.txn_id.as_deref() else {
        return Vec::new();
    };
    payments
        .by_txn()
        .filter(|(id, _)| id.len() >= MIN_PREFIX && own.len() > id.len() && own.starts_with(id))
        .flat_map(|(_, at)| at.iter().copied())
        .collect()
}

fn named_id(refund: &Refund) -> String {
    payment_id(refund)
        .or(refund.order_id.as_deref())
        .unwrap_or("(no transaction number)")
        .to_owned()
}

fn missing(line: u64, id: &str) -> String {
    format!(
        "the refund at line {line} is for payment {id}, which is not in this file; it is recorded on no claim"
    )
}

/// Links every refund among `entries` to its payment and sets the refund's skip reason.
pub(crate) fn link(entries: &mut [Entry], out: &mut Emitter) {
    let payments = Payments::of(entries);
    let found: Vec<(usize, Found)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Entry::Refund(r) => Some((i, find(&payments, r, entries))),
            _ => None,
        })
        .collect();
    for (refund_at, found) in found {
        link::apply(entries, refund_at, found, missing, out);
    }
    link::warn_over_refunded(entries, out);
}
