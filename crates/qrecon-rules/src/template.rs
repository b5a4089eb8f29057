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
    while let Some((before, name, after)) = next_fact(rest) {
        out.push_str(before);
        fact(&mut out, name, case, data, settings);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The text before the first `{fact}` of `text` (other braces included), the fact, and the
/// text after it.
fn next_fact(text: &str) -> Option<(&str, &'static str, &str)> {
    let mut from = 0;
    while let Some(open) = text[from..].find('{').map(|i| from + i) {
        let after = &text[open + 1..];
        let name = after
            .find('}')
            .and_then(|close| FACTS.iter().find(|f| **f == &after[..close]));
        if let Some(name) = name {
            return Some((&text[..open], name, &after[name.len() + 1..]));
        }
        from = open + 1;
    }
    None
}

/// A message whose `{fact}`s were found once, for a finding a rule gives whatever the case
/// (filled in for every case without looking for braces again).
#[derive(Debug, Clone)]
pub struct Template {
    /// The text between the facts, and the fact after each piece (none after the last).
    parts: Vec<(String, Option<&'static str>)>,
    /// The text's length.
    len: usize,
}

impl Template {
    /// Finds the `{fact}`s of `text`.
    pub fn new(text: &str) -> Self {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some((before, name, after)) = next_fact(rest) {
            parts.push((before.to_owned(), Some(name)));
            rest = after;
        }
        parts.push((rest.to_owned(), None));
        Template {
            parts,
            len: text.len(),
        }
    }

    /// The text with the case's facts, as [`render`] makes it.
    pub fn render(&self, case: &Case, data: &Dataset, settings: &Settings) -> String {
        let mut out = String::with_capacity(self.len + 8 * (self.parts.len() - 1));
        for (text, name) in &self.parts {
            out.push_str(text);
            if let Some(name) = name {
                fact(&mut out, name, case, data, settings);
            }
        }
        out
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use qrecon_core::Money;

    #[test]
    fn a_template_fills_in_what_render_does() {
        let data = Dataset::new(Vec::new());
        let settings = Settings {
            as_of: chrono::DateTime::parse_from_rfc3339("2026-11-20T00:00:00+08:00")
                .expect("instant"),
            timezone: chrono_tz::Asia::Shanghai,
            merchant_name: None,
            payees: std::collections::BTreeMap::default(),
            bank_accounts: Vec::new(),
            settlement_accounts: std::collections::BTreeMap::default(),
            providers: std::collections::BTreeMap::default(),
            calendars: std::collections::BTreeMap::default(),
            per_payment_limits: std::collections::BTreeMap::default(),
            per_payer_day_limits: std::collections::BTreeMap::default(),
            windows: qrecon_core::settings::Windows::default(),
        };
        let mut case = Case::new(None, None);
        case.facts.net = Money::cents(36_724);
        case.facts.fee = Money::cents(222);
        case.facts.days_overdue = 3;
        for text in [
            "reached the bank: net {net} after {fee} fees",
            "Nothing to do",
            "",
            "{net}{fee}",
            "{{net}} {net",
            "} {nett} {net}} {",
            "{unknown {fee} {days_overdue} days {claim_id}.",
            "{",
        ] {
            let once = Template::new(text).render(&case, &data, &settings);
            assert_eq!(once, render(text, &case, &data, &settings), "{text:?}");
        }
        assert_eq!(
            render("{{net}} {net", &case, &data, &settings),
            "{367.24} {net"
        );
    }
}
