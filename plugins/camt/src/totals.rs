//! A statement's control totals, checked when the statement ends. A disagreement is a warning
//! naming the statement and both numbers, never an error:
//! - balances: opening booked (`OPBD`, else `PRCD`) + the booked entries (status `BOOK`) in
//!   its currency = closing booked (`CLBD`), checked when both balances are readable and in
//!   one currency;
//! - `TxsSummry`: `TtlNtries/NbOfNtries` against the number of `Ntry` elements,
//!   `TtlNtries/Sum` against the sum of their amounts (unsigned), the net total
//!   (`TtlNtries/TtlNetNtry` from .03 on, `TtlNtries/TtlNetNtryAmt` + `CdtDbtInd` in .02)
//!   against credits − debits, and `TtlCdtNtries`/`TtlDbtNtries` (count and sum) against the
//!   credit and debit entries. Every entry counts, whatever its status.

use qrecon_adapter_sdk::{Decimal, Emitter};

use crate::balance::Balance;
use crate::message::Kind;
use crate::node::Node;
use crate::values;

/// What a statement's entries add up to.
#[derive(Default)]
pub(crate) struct Totals {
    /// `Ntry` elements seen, quarantined ones included.
    entries: u64,
    /// Entries quarantined (they are in `entries` but in no sum).
    quarantined: u64,
    /// Count and unsigned sum of the credit entries.
    credits: (u64, Decimal),
    /// Count and unsigned sum of the debit entries.
    debits: (u64, Decimal),
    /// Signed sum of the booked entries, per currency.
    booked: Vec<(String, Decimal)>,
}

impl Totals {
    /// Counts an entry element.
    pub(crate) fn saw_entry(&mut self) {
        self.entries += 1;
    }

    /// `Ntry` elements seen so far.
    pub(crate) fn entries(&self) -> u64 {
        self.entries
    }

    /// Counts an entry that was quarantined.
    pub(crate) fn saw_quarantined(&mut self) {
        self.quarantined += 1;
    }

    /// Adds a readable entry: its unsigned amount, direction, currency, and whether it is
    /// booked.
    pub(crate) fn add(&mut self, amount: Decimal, credit: bool, currency: &str, booked: bool) {
        let side = if credit {
            &mut self.credits
        } else {
            &mut self.debits
        };
        side.0 += 1;
        side.1 += amount;
        let signed = if credit { amount } else { -amount };
        if booked {
            match self.booked.iter_mut().find(|(c, _)| c == currency) {
                Some((_, sum)) => *sum += signed,
                None => self.booked.push((currency.to_owned(), signed)),
            }
        }
    }

    /// Checks the balances and the summary of the statement `label`.
    pub(crate) fn check(
        &self,
        label: &str,
        kind: Kind,
        balances: &[Balance],
        summary: Option<&Node<'_>>,
        out: &mut Emitter,
    ) {
        let label = format!("{} {label}", kind.word());
        self.check_balances(&label, balances, out);
        if let Some(summary) = summary {
            self.check_summary(&label, summary, out);
        }
    }

    fn check_balances(&self, label: &str, balances: &[Balance], out: &mut Emitter) {
        let find = |code: &str| balances.iter().find(|b| b.code == code);
        let Some(opening) = find("OPBD").or_else(|| find("PRCD")) else {
            return;
        };
        let Some(closing) = find("CLBD") else {
            return;
        };
        let (Some((open, currency)), Some((close, close_currency))) =
            (&opening.amount, &closing.amount)
        else {
            return;
        };
        if currency != close_currency {
            return;
        }
        let booked = self
            .booked
            .iter()
            .find(|(c, _)| c == currency)
            .map_or(Decimal::ZERO, |(_, s)| *s);
        let expected = *open + booked;
        if expected != *close {
            let message = format!(
                "{label}: opening booked balance {} {open} + booked entries {booked} = \
                 {expected} {currency}, but the closing booked balance CLBD is {close}{}{}",
                opening.code,
                self.other_currencies(currency),
                self.quarantined_note()
            );
            out.warn(closing.line, &message);
        }
    }

    fn check_summary(&self, label: &str, summary: &Node<'_>, out: &mut Emitter) {
        let groups = [
            ("TtlNtries", (self.entries, self.credits.1 + self.debits.1)),
            ("TtlCdtNtries", self.credits),
            ("TtlDbtNtries", self.debits),
        ];
        let mut mismatches = Vec::new();
        for (group, (count, sum)) in groups {
            let Some(node) = summary.child(group) else {
                continue;
            };
            if let Some(n) = node.child("NbOfNtries") {
                let found = count_mismatch(n, count);
                mismatches
                    .extend(found.map(|(s, f)| (n.line, format!("{group}/NbOfNtries"), s, f)));
            }
            if let Some(n) = node.child("Sum") {
                let found = amount_mismatch(n, sum, 1);
                mismatches.extend(found.map(|(s, f)| (n.line, format!("{group}/Sum"), s, f)));
            }
        }
        if let Some((node, what, sign)) = net_total(summary) {
            let net = self.credits.1 - self.debits.1;
            let found = match sign {
                NetSign::Credit => amount_mismatch(node, net, 1),
                NetSign::Debit => amount_mismatch(node, net, -1),
                NetSign::Unstated => amount_mismatch(node, net.abs(), 1),
                NetSign::Bad(ind) => Some((format!("CdtDbtInd {ind:?}"), net.to_string())),
            };
            mismatches.extend(found.map(|(s, f)| (node.line, what.to_owned(), s, f)));
        }
        for (line, what, stated, found) in mismatches {
            let message = format!(
                "{label}: TxsSummry {what} says {stated}, the entries give {found}{}",
                self.quarantined_note()
            );
            out.warn(line, &message);
        }
    }

    fn quarantined_note(&self) -> String {
        match self.quarantined {
            0 => String::new(),
            1 => " (1 entry was quarantined and is in no sum)".to_owned(),
            n => format!(" ({n} entries were quarantined and are in no sum)"),
        }
    }

    fn other_currencies(&self, currency: &str) -> String {
        let others: Vec<&str> = self
            .booked
            .iter()
            .filter(|(c, _)| c != currency)
            .map(|(c, _)| c.as_str())
            .collect();
        if others.is_empty() {
            String::new()
        } else {
            format!(
                " (booked entries in {} are not in the sum)",
                others.join(", ")
            )
        }
    }
}

/// `(stated, found)` when a count element disagrees with `found` or is not a number.
fn count_mismatch(node: &Node<'_>, found: u64) -> Option<(String, String)> {
    let text = node.value().unwrap_or_default();
    match text.parse::<u64>() {
        Ok(stated) if stated == found => None,
        Ok(stated) => Some((stated.to_string(), found.to_string())),
        Err(_) => Some((format!("{text:?} (not a number)"), found.to_string())),
    }
}

/// `(stated, found)` when an amount element, times `sign`, disagrees with `found` or is not
/// an amount.
fn amount_mismatch(node: &Node<'_>, found: Decimal, sign: i8) -> Option<(String, String)> {
    let text = node.value().unwrap_or_default();
    match values::amount(&node.name, text) {
        Ok(stated) => {
            let stated = if sign < 0 { -stated } else { stated };
            (stated != found).then(|| (stated.to_string(), found.to_string()))
        }
        Err(_) => Some((format!("{text:?} (not an amount)"), found.to_string())),
    }
}

/// The sign of a stated net total.
enum NetSign {
    Credit,
    Debit,
    /// No `CdtDbtInd`: only the size is compared.
    Unstated,
    Bad(String),
}

/// The net-total amount element, its name for messages, and its sign.
fn net_total<'n>(summary: &'n Node<'n>) -> Option<(&'n Node<'n>, &'static str, NetSign)> {
    let all = summary.child("TtlNtries")?;
    let (amount, what, indicator) = match all.child("TtlNetNtry") {
        Some(net) => (
            net.child("Amt")?,
            "TtlNtries/TtlNetNtry",
            net.text(&["CdtDbtInd"]),
        ),
        None => (
            all.child("TtlNetNtryAmt")?,
            "TtlNtries/TtlNetNtryAmt",
            all.text(&["CdtDbtInd"]),
        ),
    };
    let sign = match indicator {
        Some("CRDT") => NetSign::Credit,
        Some("DBIT") => NetSign::Debit,
        Some(other) => NetSign::Bad(other.to_owned()),
        None => NetSign::Unstated,
    };
    Some((amount, what, sign))
}
