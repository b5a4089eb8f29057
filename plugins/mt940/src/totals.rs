//! Control totals and file-level remarks, all as warnings.
//!
//! - MT940: opening balance (`:60F:`/`:60M:`) + the signed statement lines = closing balance
//!   (`:62F:`/`:62M:`), per message. A mismatch names the statement's reference, both
//!   balances, the sum and the difference; a message with lines but without one of the
//!   balances says that it could not be checked.
//! - MT942: `:90D:`/`:90C:` (number and sum of debit/credit entries) against the lines.
//! - Once per file: unknown tags, transaction types that do not start with N, F or S, and
//!   text that continues a single-line field.

use qrecon_adapter_sdk::{Decimal, Emitter};

use crate::message::{MessageType, Remarks, Statement};
use crate::statement_line::StatementLine;

/// The lines of one message as the checks count them.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Records emitted.
    pub(crate) lines: u64,
    /// Sum of their signed amounts.
    pub(crate) sum: Decimal,
    /// Lines quarantined (not in the sums).
    pub(crate) quarantined: u64,
    /// Debit (money-out) lines: count and unsigned total.
    pub(crate) debits: (u64, Decimal),
    /// Credit (money-in) lines: count and total.
    pub(crate) credits: (u64, Decimal),
}

impl Tally {
    /// Counts one emitted line.
    pub(crate) fn add(&mut self, line: &StatementLine) {
        self.lines += 1;
        self.sum += line.signed_amount();
        let side = if line.mark.is_money_in() {
            &mut self.credits
        } else {
            &mut self.debits
        };
        side.0 += 1;
        side.1 += line.amount;
    }

    /// `" (2 quarantined lines are not in the sum)"`, or nothing.
    fn quarantined_note(&self) -> String {
        match self.quarantined {
            0 => String::new(),
            1 => " (1 quarantined line is not in the sum)".to_owned(),
            n => format!(" ({n} quarantined lines are not in the sum)"),
        }
    }
}

/// `1 line`, `2 lines`.
fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// How a message is named in warnings: `statement "REF" of account X`.
fn name(s: &Statement<'_>) -> String {
    let reference = s
        .reference
        .map_or_else(|| "without :20:".to_owned(), |r| format!("{r:?}"));
    match s.account {
        Some(account) => format!("statement {reference} of account {account}"),
        None => format!("statement {reference}"),
    }
}

/// Checks a message's balances or MT942 sums against its lines.
pub(crate) fn check(s: &Statement<'_>, kind: MessageType, tally: &Tally, out: &mut Emitter) {
    if kind == MessageType::Mt942 {
        check_sums(s, tally, out);
        return;
    }
    match (&s.opening, &s.closing) {
        (Some(open), Some(close)) => {
            if open.currency != close.currency {
                out.warn(
                    close.line,
                    &format!(
                        "{}: the opening balance is in {} but the closing balance in {}",
                        name(s),
                        open.currency,
                        close.currency
                    ),
                );
            }
            let expected = open.amount + tally.sum;
            if expected != close.amount {
                out.warn(
                    close.line,
                    &format!(
                        "{}: opening balance {} (:{}: line {}) + {} ({}) = {}, \
                         but the closing balance (:{}: line {}) is {} (difference {}){}",
                        name(s),
                        open.amount,
                        open.tag,
                        open.line,
                        count(tally.lines, "statement line", "statement lines"),
                        tally.sum,
                        expected,
                        close.tag,
                        close.line,
                        close.amount,
                        close.amount - expected,
                        tally.quarantined_note()
                    ),
                );
            }
        }
        _ if s.unreadable_balance || tally.lines + tally.quarantined == 0 => {}
        (open, close) => {
            let missing = match (open, close) {
                (None, None) => "no opening (:60F:/:60M:) and no closing (:62F:/:62M:) balance",
                (None, Some(_)) => "no opening balance (:60F:/:60M:)",
                _ => "no closing balance (:62F:/:62M:)",
            };
            out.warn(
                s.first_line(),
                &format!(
                    "{} (line {}) has {missing}: its {} not checked against balances",
                    name(s),
                    s.first_line(),
                    count(
                        tally.lines + tally.quarantined,
                        "statement line is",
                        "statement lines are"
                    )
                ),
            );
        }
    }
}

/// MT942: each `:90D:`/`:90C:` against the debit/credit lines.
fn check_sums(s: &Statement<'_>, tally: &Tally, out: &mut Emitter) {
    for sum in &s.sums {
        let (side, (count_found, total)) = if sum.tag == "90D" {
            ("debit", tally.debits)
        } else {
            ("credit", tally.credits)
        };
        if sum.count != count_found || sum.amount != total {
            out.warn(
                sum.line,
                &format!(
                    "{}: :{}: states {} totalling {} {}, but the report has {} totalling {total}{}",
                    name(s),
                    sum.tag,
                    count(
                        sum.count,
                        &format!("{side} entry"),
                        &format!("{side} entries")
                    ),
                    sum.amount,
                    sum.currency,
                    count(
                        count_found,
                        &format!("{side} line"),
                        &format!("{side} lines")
                    ),
                    tally.quarantined_note()
                ),
            );
        }
    }
}

/// The once-per-file remarks.
pub(crate) fn remarks(remarks: &Remarks, out: &mut Emitter) {
    for (tag, line, count) in &remarks.unknown_tags {
        let times = if *count == 1 {
            String::new()
        } else {
            format!(" ({count} fields)")
        };
        out.warn(
            *line,
            &format!("unknown tag :{tag}:{times}, not an MT940/MT942 field: skipped"),
        );
    }
    for (transaction_type, line) in &remarks.odd_types {
        out.warn(
            *line,
            &format!(
                "transaction type {transaction_type} does not start with N, F or S (SWIFT's type \
                 classes); it is kept as written"
            ),
        );
    }
    if let (more @ 1.., line) = remarks.more {
        out.warn(
            line,
            &format!(
                "{more} more kinds of unknown tag or odd transaction type were seen, from this \
                 line on (only the first {} of each get a warning of their own)",
                Remarks::MAX
            ),
        );
    }
    if let Some(line) = remarks.stray_text {
        out.warn(
            line,
            "text continues a single-line field (a header or balance) on the next line; it was skipped",
        );
    }
}
