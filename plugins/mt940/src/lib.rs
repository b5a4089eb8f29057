//! # SWIFT MT940 / MT942 adapter
//!
//! Reads SWIFT MT940 customer statements and MT942 interim transaction reports, as banks
//! export them for download (`.sta`, `.mt940`, `.940`, `.txt`): one or more messages per
//! file, with or without the SWIFT envelope.
//!
//! ## Bytes
//! UTF-8 when the file is valid UTF-8, else CP852 or Windows-1252, whichever reads more of
//! the bytes above 0x7F as letters, a tie going to Windows-1252 (module `decode`: Hungarian
//! `á é ő` are CP852 bytes that Windows-1252 reads as a no-break space and punctuation, while
//! German `ö ß` are Windows-1252 bytes that CP852 reads as symbols). A file that is not UTF-8
//! gets a warning naming the code page chosen. SOH (`0x01`) and ETX (`0x03`) bytes are
//! removed. CRLF or LF, a missing final line end and whitespace-only lines are all read.
//!
//! ## Layout
//! A message is a run of fields, each starting at a line `:tag:` and continuing on the lines
//! up to the next tag line (module `fields`):
//!
//! | tag | field | read as |
//! |---|---|---|
//! | `:20:` | transaction reference number | `extra.statement_ref` |
//! | `:21:` | related reference | `extra.related_ref` |
//! | `:25:` | account (IBAN, `BLZ/account`, `BIC/account`, `account` + currency) | `account` |
//! | `:28C:`, `:28:` | statement / sequence number | `extra.statement_no` |
//! | `:60F:`, `:60M:` | opening balance `[C\|D]YYMMDDCCYamount` | the currency; control total |
//! | `:61:` | statement line | one record |
//! | `:86:` after a `:61:` | information to the account owner | memo, counterparty, `extra` |
//! | `:62F:`, `:62M:` | closing balance | control total |
//! | `:64:`, `:65:` | available / forward available balance | skipped |
//! | `:13D:`, `:34F:`, `:90D:`, `:90C:` | MT942 date-time, floor limit, entry sums | MT942; currency; control total |
//! | `:86:` elsewhere | information about the whole statement | skipped |
//! | others (`:NS:`, …) | not MT940 | skipped, with a warning |
//!
//! Around the messages: the SWIFT envelope `{1:F01…}{2:O940…}{3:…}{4:` … `-}{5:…}`, the end of
//! message `-`, and non-SWIFT header lines (`0000 01INGBNL2AXXXX00001`, `ABNANL2A`, `940`,
//! `:940:`), each skipped with its reason. A tag cut over two lines (`:` then `86:…`) is read.
//!
//! ## Mapping
//! Each `:61:` (module `statement_line`) becomes one [`Kind::Bank`](qrecon_adapter_sdk::Kind::Bank)
//! record from provider `bank`, at the line of its `:61:`:
//! - amount = the `:61:` amount signed by the money's direction: `C` (credit) and `RD`
//!   (reversal of a debit) are money in, positive; `D` and `RC` (reversal of a credit) are
//!   money out, negative. Record type `credit` for money in, `debit` for money out; a
//!   reversal has `extra.reversal = true` and its mark in `extra.mark`;
//! - value date = the `:61:` value date (two-digit year: see below); no time;
//!   the entry (booking) date goes to `extra.entry_date`;
//! - currency = the opening balance's (else the closing balance's, else MT942's `:34F:`); a
//!   statement that names none has its lines quarantined (field `currency`);
//! - status: success for MT940; pending for MT942 (an interim report), with status text
//!   `MT942 interim transaction report`;
//! - account = `:25:` as written; bank reference = the `:61:` bank reference (after `//`), else
//!   its customer reference, `NONREF` being none;
//! - `extra`: `statement_ref`, `related_ref`, `statement_no`, `message_type` (`MT940`/`MT942`),
//!   `mark`, `reversal`, `entry_date`, `funds_code`, `transaction_type` (`NTRF`),
//!   `customer_ref` (as written, `NONREF` too), `supplementary`, `information` (the `:86:`
//!   lines as written, trimmed at the end and joined with `\n`, when there are several);
//! - memo = the `:86:` text with its lines joined, and the structure found in it
//!   (module `info`: German GVC with SEPA keys, Dutch `/KEY/` pairs, Polish mBank `KEY:` parts)
//!   gives the counterparty (the name found there) and more `extra` (`purpose`, `eref`,
//!   `counterparty_account`, …).
//!
//! A `:61:` that cannot be read — a bad subfield, or a date such as February 30 — is
//! quarantined with the subfield named (`value date`, `entry date`, `mark`, `amount`,
//! `transaction type`). The lines after it (supplementary details, `:86:`) are skipped as
//! belonging to it. Control totals (module `totals`): opening balance + lines = closing
//! balance per message, and MT942 entry sums; a mismatch is a warning with the statement
//! reference and the numbers.
//!
//! ## Dates
//! `YYMMDD` years: a balance's 00–79 is 20xx and 80–99 is 19xx; a statement line's value date
//! takes the century that puts it nearest the statement's opening balance (or MT942 `:13D:`)
//! date. The entry date `MMDD` takes the value date's year, or the year before or after when
//! that is nearer (valued 31 December, booked `0102` = 2 January of the next year).

mod balance;
mod date;
mod decode;
mod entry;
mod fields;
mod info;
mod message;
mod statement_line;
mod totals;

#[cfg(test)]
mod tests;

use qrecon_adapter_sdk::{Adapter, Emitter, FileError, Input};

use crate::decode::Charset;
use crate::fields::Item;
use crate::message::Reader;

/// The sniff score for a file with an MT940/MT942 structure.
const SURE: u8 = 95;

/// How many non-blank lines of the head the first tag must appear in.
const FIRST_TAG_WITHIN: usize = 10;

/// The SWIFT MT940/MT942 adapter.
#[derive(Default)]
pub struct Mt940;

impl Adapter for Mt940 {
    fn sniff(&self, _file_name: &str, head: &[u8]) -> u8 {
        if sniff_head(head) { SURE } else { 0 }
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        let decoded = decode::decode(input.bytes);
        let items = fields::items(&decoded.text);
        if !items.iter().any(|i| matches!(i, Item::Field(_))) {
            return Err(FileError::new(
                "no MT940/MT942 field found: expected lines starting with a tag such as :20:, \
                 :25:, :60F:, :61:",
            ));
        }
        if decoded.charset != Charset::Utf8 {
            out.warn(
                decoded.first_high_line,
                &format!(
                    "the file is not UTF-8; it was read as {} (the code page that reads more of \
                     its bytes above 0x7F as letters)",
                    decoded.charset.name()
                ),
            );
        }
        let mut reader = Reader::new(out);
        for item in items {
            reader.item(item);
        }
        reader.finish();
        Ok(())
    }
}

/// Whether the head has an MT940/MT942 structure: a statement envelope, or tags near the
/// start with `:20:` and `:25:`, or a balance or statement line that reads as one.
fn sniff_head(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(head);
    let envelope = [
        "{2:O940", "{2:I940", "{2:O942", "{2:I942", "{2:O950", "{2:I950",
    ];
    if envelope.iter().any(|e| text.contains(e)) {
        return true;
    }
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_matches(['\u{1}', '\u{3}', '\r', ' ']))
        .filter(|l| !l.is_empty())
        .take(60)
        .collect();
    let Some(first_tag) = lines.iter().position(|l| fields::tag_line(l).is_some()) else {
        return false;
    };
    if first_tag >= FIRST_TAG_WITHIN {
        return false;
    }
    let tags: Vec<(&str, &str)> = lines.iter().filter_map(|l| fields::tag_line(l)).collect();
    let has = |t: &str| tags.iter().any(|(tag, _)| *tag == t);
    let readable = tags.iter().any(|&(tag, rest)| match tag {
        "60F" | "60M" | "62F" | "62M" => balance::balance(tag, 0, rest).is_ok(),
        "61" => statement_line::looks_like(rest),
        _ => false,
    });
    (has("20") && has("25")) || readable
}

qrecon_adapter_sdk::export_adapter! {
    adapter: Mt940,
    name: "mt940",
    version: env!("CARGO_PKG_VERSION"),
    kinds: "bank",
    formats: "SWIFT MT940/MT942",
    description: "SWIFT MT940 customer statements and MT942 interim reports (bank statement downloads, with or without the SWIFT envelope; UTF-8, Windows-1252 or CP852)",
}
