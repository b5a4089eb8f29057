//! Refunds linked to their payments. By id first: the payment with the refund's 交易单号, else
//! the one payment with its 商户单号. Else by evidence, as WeChat gives a refund its own
//! numbers: the one payment whose 当前状态 says it was refunded (已全额退款, 已退款…), paid to
//! the same 交易对方 no later than the refund, with enough left unrefunded. A linked refund is
//! recorded on its payment's claim; one with no such payment, or several, is reported as
//! skipped with a warning.

use qrecon_adapter_sdk::Emitter;
use qrecon_payer_bill::entry::{Entry, Payment, Refund};
use qrecon_payer_bill::link::{self, Found, Payments};

/// Whether a payment's 当前状态 says it was refunded.
fn says_refunded(p: &Payment) -> bool {
    p.status_raw
        .as_deref()
        .is_some_and(|s| s == "已全额退款" || s.starts_with("已退款"))
}

/// The payments that could be a refund's by evidence.
fn by_evidence(refund: &Refund, entries: &[Entry]) -> Found {
    let (Some(counterparty), Some(time)) = (refund.counterparty.as_deref(), refund.time) else {
        return Found::Missing(named_id(refund));
    };
    let candidates: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Entry::Payment(p)
                if says_refunded(p)
                    && p.payee_name.as_deref() == Some(counterparty)
                    && p.time <= time
                    && p.amount - p.refunded() >= refund.amount =>
            {
                Some(i)
            }
            _ => None,
        })
        .collect();
    link::found(&candidates, entries).unwrap_or_else(|| Found::Missing(named_id(refund)))
}

fn named_id(refund: &Refund) -> String {
    refund
        .txn_id
        .clone()
        .unwrap_or_else(|| "(no transaction number)".to_owned())
}

fn missing(line: u64, id: &str) -> String {
    format!(
        "the refund at line {line} ({id}) matches no payment in this file; it is recorded on no claim"
    )
}

/// Links every refund among `entries` to its payment and sets the refund's skip reason: those
/// the ids place first, then the others by evidence.
pub(crate) fn link(entries: &mut [Entry], out: &mut Emitter) {
    let payments = Payments::of(entries);
    let by_id: Vec<(usize, Option<Found>)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Entry::Refund(r) => {
                let candidates = payments.by_ids(r.txn_id.as_deref(), r.order_id.as_deref());
                Some((i, link::found(&candidates, entries)))
            }
            _ => None,
        })
        .collect();
    let mut by_evidence_later = Vec::new();
    for (at, found) in by_id {
        match found {
            Some(found) => link::apply(entries, at, found, missing, out),
            None => by_evidence_later.push(at),
        }
    }
    for at in by_evidence_later {
        let Some(Entry::Refund(refund)) = entries.get(at) else {
            continue;
        };
        let found = by_evidence(refund, entries);
        link::apply(entries, at, found, missing, out);
    }
    link::warn_over_refunded(entries, out);
}
