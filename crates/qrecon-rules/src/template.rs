//! Facts in messages: a finding's `message` and `action` may name the case's facts in braces,
//! `"reached the bank on {bank_date}: net {net} after {fee} fees"`, and qrecon fills them in
//! when it takes the finding. A plain string costs a rule nothing to build, where
//! `${c.bank_date}` in Rhai costs a property call and a conversion per value on every case —
//! most of the time of the rules most cases go through. A name that is not a fact is left as
//! it is, braces and all, so text with braces of its own is not disturbed.

use std::fmt::Write as _;

use qrecon_core::{Case, Dataset, Money, Settings};

/// The facts a message can name, as documented in `docs/rules.md`.
pub const FACTS: [&str; 22] = [
    "gross",
    "fee",
    "refunded",
    "net",
    "paid_out",
    "frozen",
    "amount",
    "paid_date",
    "expected_payout",
    "payout_date",
    "expected_bank",
    "bank_date",
    "as_of",
    "days_overdue",
    "provider",
    "account",
    "txn_id",
    "order_id",
    "claim_id",
    "payout_id",
    "refund_count",
    "refund_ids",
];

/// The facts that are dates, which a finding's `expected_by` may name (`"{expected_bank}"`).
pub const DATE_FACTS: [&str; 6] = [
    "paid_date",
    "expected_payout",
    "payout_date",
    "expected_bank",
    "bank_date",
    "as_of",
];

/// The date fact `text` names as `{fact}`.
pub fn date_fact_name(text: &str) -> Option<&'static str> {
    let name = text.strip_prefix('{')?.strip_suffix('}')?;
    DATE_FACTS.iter().copied().find(|f| *f == name)
}

/// The case's value of a date fact ([`DATE_FACTS`]).
pub fn date_fact(name: &str, case: &Case, settings: &Settings) -> Option<chrono::NaiveDate> {
    let f = &case.facts;
    match name {
        "paid_date" => f.paid_date,
        "expected_payout" => f.expected_payout,
        "payout_date" => f.payout_date,
        "expected_bank" => f.expected_bank,
        "bank_date" => f.bank_date,
        "as_of" => Some(settings.as_of_date()),
        _ => None,
    }
}

/// `text` with every `{fact}` of [`FACTS`] replaced by the case's value (empty when the case
/// has none, as `${()}` prints in Rhai).
pub fn render(text: &str, case: &Case, data: &Dataset, settings: &Settings) -> String {
    if !text.contains('{') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = after
            .find('}')
            .map(|close| &after[..close])
            .filter(|n| FACTS.contains(n));
        if let Some(name) = name {
            fact(&mut out, name, case, data, settings);
            rest = &after[name.len() + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn money(out: &mut String, m: Money) {
    out.push_str(m.text(&mut [0; 24]));
}

fn date(out: &mut String, d: Option<chrono::NaiveDate>) {
    if let Some(d) = d {
        match qrecon_core::iso_date(d, &mut [0; 10]) {
            Some(t) => out.push_str(t),
            None => {
                let _ = write!(out, "{d}");
            }
        }
    }
}

fn fact(out: &mut String, name: &str, case: &Case, data: &Dataset, settings: &Settings) {
    let f = &case.facts;
    let text = |s: qrecon_core::Str| data.str(s).unwrap_or_default();
    let txn = case.txn.map(|t| data.get(t));
    let claim = case.claim.map(|c| data.get(c));
    match name {
        "gross" => money(out, f.gross),
        "fee" => money(out, f.fee),
        "refunded" => money(out, f.refunded),
        "net" => money(out, f.net),
        "paid_out" => money(out, f.paid_out),
        "frozen" => money(out, f.frozen),
        "amount" => money(out, case.amount(data)),
        "paid_date" | "expected_payout" | "payout_date" | "expected_bank" | "bank_date"
        | "as_of" => date(out, date_fact(name, case, settings)),
        "days_overdue" => {
            let _ = write!(out, "{}", f.days_overdue);
        }
        "provider" => out.push_str(case.provider(data).unwrap_or_default()),
        "account" => out.push_str(case.account(data).unwrap_or_default()),
        "txn_id" => out.push_str(txn.or(claim).map(|r| text(r.txn_id)).unwrap_or_default()),
        "order_id" => out.push_str(
            txn.map(|r| text(r.order_id))
                .filter(|s| !s.is_empty())
                .or_else(|| claim.map(|r| text(r.order_id)))
                .unwrap_or_default(),
        ),
        "claim_id" => out.push_str(claim.map(|r| text(r.claim_id)).unwrap_or_default()),
        "payout_id" => out.push_str(
            case.payouts
                .last()
                .map(|p| text(data.get(p.payout).payout_id))
                .unwrap_or_default(),
        ),
        "refund_count" => {
            let _ = write!(out, "{}", case.successful_refunds(data).count());
        }
        "refund_ids" => {
            let ids = case
                .successful_refunds(data)
                .filter_map(|r| data.str(data.get(r).refund_id));
            for (i, id) in ids.enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(id);
            }
        }
        _ => {}
    }
}
