//! The statement line `:61:`:
//!
//! ```text
//! 6!n    value date YYMMDD
//! [4!n]  entry (booking) date MMDD
//! 2a     mark: C, D, RC (reversal of a credit), RD (reversal of a debit)
//! [1!a]  funds code (the third letter of the currency: CR = credit + R, as in EUR)
//! 15d    amount with a decimal comma: 500,  0,  000000000025,00
//! 1!a3!c transaction type: N/F/S and a code (NTRF, NMSC, N426)
//! 16x    customer reference (NONREF when there is none)
//! [//16x] bank reference
//! [34x]  supplementary details, on the next line
//! ```
//!
//! A line break before the funds code or the amount is tolerated (a Sparkasse export breaks
//! `:61:1811261126CR` / `30,00N062NONREF`). Text after 16 characters of customer reference
//! without a `//` (old Rabobank exports put the counterparty's name there) goes to the
//! supplementary details. A type that does not start with N, F or S is read (and warned about
//! by the caller).

use qrecon_adapter_sdk::{Decimal, FieldError};

/// The debit/credit mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mark {
    /// `C`: money in.
    Credit,
    /// `D`: money out.
    Debit,
    /// `RC`: reversal of a credit — money out.
    ReversalOfCredit,
    /// `RD`: reversal of a debit — money in.
    ReversalOfDebit,
}

impl Mark {
    /// The mark as written.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Mark::Credit => "C",
            Mark::Debit => "D",
            Mark::ReversalOfCredit => "RC",
            Mark::ReversalOfDebit => "RD",
        }
    }

    /// Whether money comes in (credit, reversal of a debit).
    pub(crate) fn is_money_in(self) -> bool {
        matches!(self, Mark::Credit | Mark::ReversalOfDebit)
    }

    /// Whether the line reverses an earlier one.
    pub(crate) fn is_reversal(self) -> bool {
        matches!(self, Mark::ReversalOfCredit | Mark::ReversalOfDebit)
    }
}

/// A `:61:` as written, before its dates are placed in a century.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StatementLine {
    /// `YYMMDD`.
    pub(crate) value_date: String,
    /// `MMDD`, when given.
    pub(crate) entry_date: Option<String>,
    /// The mark.
    pub(crate) mark: Mark,
    /// The funds code letter, when given.
    pub(crate) funds_code: Option<char>,
    /// Unsigned amount.
    pub(crate) amount: Decimal,
    /// `NTRF`, `N426`, …
    pub(crate) transaction_type: String,
    /// Customer reference as written (`NONREF` kept), trimmed.
    pub(crate) customer_ref: Option<String>,
    /// Bank reference (after `//`), trimmed.
    pub(crate) bank_ref: Option<String>,
    /// Supplementary details, trimmed.
    pub(crate) supplementary: Option<String>,
}

impl StatementLine {
    /// The amount signed by the money's direction (positive = in).
    pub(crate) fn signed_amount(&self) -> Decimal {
        if self.mark.is_money_in() {
            self.amount
        } else {
            -self.amount
        }
    }
}

/// A cursor over the field's text (lines joined by `\n`).
struct Cursor<'s> {
    s: &'s str,
    at: usize,
}

impl<'s> Cursor<'s> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.at).copied()
    }

    fn skip_newline(&mut self) {
        if self.peek() == Some(b'\n') {
            self.at += 1;
        }
    }

    /// Takes `n` bytes that all satisfy `ok`.
    fn take(&mut self, n: usize, ok: impl Fn(u8) -> bool) -> Option<&'s str> {
        let part = self.s.get(self.at..self.at + n)?;
        part.bytes().all(ok).then(|| {
            self.at += n;
            part
        })
    }

    /// Takes bytes while `ok` holds.
    fn take_while(&mut self, ok: impl Fn(u8) -> bool) -> &'s str {
        let len = self
            .s
            .as_bytes()
            .get(self.at..)
            .map_or(0, |rest| rest.iter().take_while(|b| ok(**b)).count());
        let part = self.s.get(self.at..self.at + len).unwrap_or_default();
        self.at += len;
        part
    }

    /// What is left of the current line, and the lines after it.
    fn rest(&self) -> (&'s str, Option<&'s str>) {
        let rest = self.s.get(self.at..).unwrap_or_default();
        match rest.split_once('\n') {
            Some((line, after)) => (line, Some(after)),
            None => (rest, None),
        }
    }

    /// What was found at the cursor (to the end of its line), for messages.
    fn found(&self) -> &'s str {
        self.rest().0
    }
}

/// Parses a `:61:` from its lines (the first without the tag). The error names the subfield.
pub(crate) fn parse<'a>(lines: impl Iterator<Item = &'a str>) -> Result<StatementLine, FieldError> {
    let text: Vec<&str> = lines.map(str::trim_end).collect();
    let text = text.join("\n");
    let mut c = Cursor {
        s: text.trim_start(),
        at: 0,
    };
    let value_date = c
        .take(6, |b| b.is_ascii_digit())
        .ok_or_else(|| FieldError::new("value date", "a date YYMMDD", c.found()))?
        .to_owned();
    let entry_date = c.take(4, |b| b.is_ascii_digit()).map(str::to_owned);
    let mark = mark(&mut c)?;
    c.skip_newline();
    let funds_code = c
        .take(1, |b| b.is_ascii_uppercase())
        .and_then(|f| f.chars().next());
    c.skip_newline();
    let amount_text = c.take_while(|b| b.is_ascii_digit() || b == b',');
    let amount = crate::balance::amount(amount_text, true).ok_or_else(|| {
        FieldError::new(
            "amount",
            "an amount with a decimal comma like 1234,56",
            c.found(),
        )
    })?;
    let transaction_type = c
        .take(1, |b| b.is_ascii_uppercase())
        .and_then(|_| c.take(3, |b| b.is_ascii_uppercase() || b.is_ascii_digit()))
        .map(|_| c.s.get(c.at - 4..c.at).unwrap_or_default().to_owned())
        .ok_or_else(|| {
            FieldError::new("transaction type", "a type like NTRF or N426", c.found())
        })?;
    let (references, after) = c.rest();
    let (customer_ref, bank_ref, overflow) = references_of(references);
    let supplementary = join_non_empty([overflow, after.map(|a| a.replace('\n', " "))]);
    Ok(StatementLine {
        value_date,
        entry_date,
        mark,
        funds_code,
        amount,
        transaction_type,
        customer_ref,
        bank_ref,
        supplementary,
    })
}

/// Whether `s` starts like a statement line (for sniffing): a value date `YYMMDD` that is a
/// calendar date, an optional entry date `MMDD`, then a mark.
pub(crate) fn looks_like(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (digits == 6 || digits == 10)
        && matches!(
            b.get(digits..),
            Some([b'C' | b'D', ..] | [b'R', b'C' | b'D', ..])
        )
        && s.get(..6)
            .and_then(|d| crate::date::yymmdd(d, None))
            .is_some()
}

/// The mark: `RC`, `RD`, `C` or `D`.
fn mark(c: &mut Cursor<'_>) -> Result<Mark, FieldError> {
    let found = c.found();
    let two = found.get(..2);
    let (mark, len) = match (two, found.as_bytes().first()) {
        (Some("RC"), _) => (Mark::ReversalOfCredit, 2),
        (Some("RD"), _) => (Mark::ReversalOfDebit, 2),
        (_, Some(b'C')) => (Mark::Credit, 1),
        (_, Some(b'D')) => (Mark::Debit, 1),
        _ => return Err(FieldError::new("mark", "C, D, RC or RD", found)),
    };
    c.at += len;
    Ok(mark)
}

/// `(customer reference, bank reference, overflow)` from the rest of the first line.
fn references_of(s: &str) -> (Option<String>, Option<String>, Option<String>) {
    let non_empty = |t: &str| (!t.trim().is_empty()).then(|| t.trim().to_owned());
    if let Some((customer, bank)) = s.split_once("//") {
        return (non_empty(customer), non_empty(bank), None);
    }
    let cut = s.char_indices().nth(16).map_or(s.len(), |(i, _)| i);
    let (customer, overflow) = s.split_at(cut);
    (non_empty(customer), None, non_empty(overflow))
}

fn join_non_empty(parts: [Option<String>; 2]) -> Option<String> {
    let parts: Vec<String> = parts
        .into_iter()
        .flatten()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> StatementLine {
        parse(text.lines()).expect(text)
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).expect("test decimal")
    }

    #[test]
    fn a_full_line_with_supplementary_details() {
        let l = line("1312091209C79,7FMSC01916//NONREF\n20131209007602198765432000000012");
        assert_eq!(l.value_date, "131209");
        assert_eq!(l.entry_date.as_deref(), Some("1209"));
        assert_eq!(
            (l.mark, l.funds_code, l.amount),
            (Mark::Credit, None, dec("79.7"))
        );
        assert_eq!(l.transaction_type, "FMSC");
        assert_eq!(l.customer_ref.as_deref(), Some("01916"));
        assert_eq!(l.bank_ref.as_deref(), Some("NONREF"));
        assert_eq!(
            l.supplementary.as_deref(),
            Some("20131209007602198765432000000012")
        );
    }

    #[test]
    fn funds_codes_and_reversals() {
        let l = line("0709070904CR50990,05NTRFNONREF//0724710333343453");
        assert_eq!((l.mark, l.funds_code), (Mark::Credit, Some('R')));
        let l = line("1701190119CN0,01NTRFNONREF//MB170119012058");
        assert_eq!((l.mark, l.funds_code), (Mark::Credit, Some('N')));
        let l = line("0709040904DR1500,00NTRFKREF+//536D80EFEC56ACF8");
        assert_eq!(
            (l.mark, l.funds_code, l.signed_amount()),
            (Mark::Debit, Some('R'), dec("-1500.00"))
        );
        let l = line("0709040904RC1500,00NTRFNONREF");
        assert_eq!(
            (l.mark, l.funds_code, l.signed_amount()),
            (Mark::ReversalOfCredit, None, dec("-1500.00"))
        );
        let l = line("0709040904RDR15,NTRFNONREF");
        assert_eq!(
            (l.mark, l.funds_code, l.signed_amount()),
            (Mark::ReversalOfDebit, Some('R'), dec("15"))
        );
    }

    #[test]
    fn short_forms() {
        let l = line("131017D6800,NCHK16703074");
        assert_eq!((l.entry_date, l.amount), (None, dec("6800")));
        assert_eq!(l.transaction_type, "NCHK");
        assert_eq!(l.customer_ref.as_deref(), Some("16703074"));
        let l = line("170914D233,15NMSC");
        assert_eq!(
            (l.customer_ref, l.bank_ref, l.supplementary),
            (None, None, None)
        );
        let l = line("131017D620,3NSTON");
        assert_eq!(
            (l.transaction_type.as_str(), l.customer_ref.as_deref()),
            ("NSTO", Some("N"))
        );
    }

    #[test]
    fn sparkasse_breaks_before_the_amount() {
        let l = line("1811261126CR\n30,00N062NONREF");
        assert_eq!((l.funds_code, l.amount), (Some('R'), dec("30.00")));
        assert_eq!(l.transaction_type, "N062");
        assert_eq!(l.customer_ref.as_deref(), Some("NONREF"));
        assert_eq!(l.supplementary, None);
    }

    #[test]
    fn rabobank_names_after_sixteen_characters() {
        let l = line("110527D000000001213,28N0440121470966      W.P. Jansen                      ");
        assert_eq!(l.amount, dec("1213.28"));
        assert_eq!(l.transaction_type, "N044");
        assert_eq!(l.customer_ref.as_deref(), Some("0121470966"));
        assert_eq!(l.supplementary.as_deref(), Some("W.P. Jansen"));
    }

    #[test]
    fn errors_name_the_subfield() {
        for (text, field) in [
            ("07090", "value date"),
            ("0709070904X1,00NTRF", "mark"),
            ("0709070904C1.00NTRF", "amount"),
            ("0709070904C100NTRF", "amount"),
            ("0709070904C1,00", "transaction type"),
            ("0709070904C1,00ntrf", "transaction type"),
        ] {
            assert_eq!(
                parse([text].into_iter()).map_err(|e| e.field),
                Err(field.to_owned()),
                "{text}"
            );
        }
    }
}
