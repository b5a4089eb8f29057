//! One statement line (`:61:` and its `:86:`) as a canonical record, and the emission of a
//! whole message.

use std::borrow::Cow;

use chrono::NaiveDate;
use qrecon_adapter_sdk::{Emitter, FieldError, Kind, Record, Status};

use crate::date;
use crate::info::{self, Information};
use crate::message::{Entry, MessageType, Remarks, Statement};
use crate::statement_line::{self, StatementLine};
use crate::totals::{self, Tally};

/// Emits every statement line of a message, then checks its control totals.
pub(crate) fn emit_statement(s: &Statement<'_>, remarks: &mut Remarks, out: &mut Emitter) {
    let kind = s.message_type();
    if let MessageType::Other(_) = kind {
        out.warn(
            s.first_line(),
            &format!(
                "the SWIFT envelope names message type {}, not a statement (MT940, MT942, MT950); \
                 its fields are read as an MT940's",
                kind.name()
            ),
        );
    }
    let mut tally = Tally::default();
    for entry in &s.entries {
        emit_entry(s, kind, entry, remarks, &mut tally, out);
    }
    totals::check(s, kind, &tally, out);
}

/// What a statement line needs beyond the borrowed text.
struct Owned {
    line: StatementLine,
    value_date: NaiveDate,
    bank_ref: Option<String>,
    info: Information,
    extra: Vec<(Cow<'static, str>, String)>,
}

fn emit_entry(
    s: &Statement<'_>,
    kind: MessageType,
    entry: &Entry<'_>,
    remarks: &mut Remarks,
    tally: &mut Tally,
    out: &mut Emitter,
) {
    let no = entry.line.line();
    let raw: Vec<&str> = entry.line.lines.iter().map(|&(_, t)| t).collect();
    let raw = format!(":61:{}", raw.join("\n"));
    match prepare(s, kind, entry) {
        Ok(owned) => {
            note_type(&owned.line.transaction_type, no, remarks);
            let before = out.records();
            out.record(&record(s, kind, no, &owned), &raw);
            if out.records() > before {
                tally.add(&owned.line);
            } else {
                tally.quarantined += 1;
            }
        }
        Err(e) => {
            tally.quarantined += 1;
            out.row(no, &raw, Err(e));
        }
    }
    skip_around(entry, out);
}

/// Skips the `:61:`'s continuation lines and the lines of its `:86:` fields.
fn skip_around(entry: &Entry<'_>, out: &mut Emitter) {
    let no = entry.line.line();
    let more = format!("continuation of the statement line (:61:) at line {no}");
    for &(line, _) in entry.line.lines.iter().skip(1) {
        out.skip(line, &more);
    }
    let info =
        format!("information to the account owner (:86:) of the statement line at line {no}");
    for &(line, _) in entry.info.iter().flat_map(|f| f.lines.iter()) {
        out.skip(line, &info);
    }
}

/// A transaction type that does not start with N, F or S, remembered for one warning.
fn note_type(transaction_type: &str, line: u64, remarks: &mut Remarks) {
    if transaction_type.starts_with(['N', 'F', 'S'])
        || remarks.odd_types.iter().any(|(t, _)| t == transaction_type)
    {
        return;
    }
    if remarks.odd_types.len() < Remarks::MAX {
        remarks.odd_types.push((transaction_type.to_owned(), line));
    } else {
        remarks.note_more(line);
    }
}

/// Parses and checks a statement line; the error names the field at fault.
fn prepare(s: &Statement<'_>, kind: MessageType, entry: &Entry<'_>) -> Result<Owned, FieldError> {
    let line = statement_line::parse(entry.line.texts())?;
    let value_date = date::yymmdd(&line.value_date, s.reference_date())
        .ok_or_else(|| FieldError::new("value date", "a calendar date YYMMDD", &line.value_date))?;
    let entry_date = match line.entry_date.as_deref() {
        Some(mmdd) => Some(
            date::entry_date(mmdd, value_date)
                .ok_or_else(|| FieldError::new("entry date", "a calendar date MMDD", mmdd))?,
        ),
        None => None,
    };
    if s.currency().is_none() {
        return Err(FieldError {
            field: "currency".to_owned(),
            reason: "expected a balance (:60F:, :60M:, :62F:, :62M:) or floor limit (:34F:) \
                     naming the statement's currency; the statement has none"
                .to_owned(),
        });
    }
    let info = info::read(&entry.info);
    let bank_ref = reference(line.bank_ref.as_deref())
        .or_else(|| reference(line.customer_ref.as_deref()))
        .map(str::to_owned);
    let extra = extra(s, kind, &line, entry_date, &info);
    Ok(Owned {
        line,
        value_date,
        bank_ref,
        info,
        extra,
    })
}

/// A reference, unless it is `NONREF`.
fn reference(r: Option<&str>) -> Option<&str> {
    r.filter(|r| !r.eq_ignore_ascii_case("NONREF"))
}

/// The `extra` columns, in a fixed order.
fn extra(
    s: &Statement<'_>,
    kind: MessageType,
    line: &StatementLine,
    entry_date: Option<NaiveDate>,
    info: &Information,
) -> Vec<(Cow<'static, str>, String)> {
    let mut extra: Vec<(Cow<'static, str>, String)> = Vec::new();
    let mut push = |key: &'static str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            extra.push((key.into(), v));
        }
    };
    push("statement_ref", s.reference.map(str::to_owned));
    push("related_ref", s.related.map(str::to_owned));
    push("statement_no", s.number.map(str::to_owned));
    push("message_type", Some(kind.name()));
    push("mark", Some(line.mark.as_str().to_owned()));
    push(
        "reversal",
        line.mark.is_reversal().then(|| "true".to_owned()),
    );
    push("entry_date", entry_date.map(|d| d.to_string()));
    push("funds_code", line.funds_code.map(String::from));
    push("transaction_type", Some(line.transaction_type.clone()));
    push("customer_ref", line.customer_ref.clone());
    push("supplementary", line.supplementary.clone());
    push("information", info.lines.clone());
    extra.extend(info.extra.iter().cloned());
    extra
}

/// The record of a prepared statement line.
fn record<'a>(s: &'a Statement<'_>, kind: MessageType, no: u64, o: &'a Owned) -> Record<'a> {
    let money_in = o.line.mark.is_money_in();
    let mut r = Record::new(
        no,
        Kind::Bank,
        if money_in { "credit" } else { "debit" },
        "bank",
    );
    r.account = s.account.filter(|a| !a.is_empty());
    r.bank_ref = o.bank_ref.as_deref();
    r.value_date = Some(o.value_date);
    r.amount = o.line.signed_amount();
    r.currency = s.currency().unwrap_or_default();
    (r.status, r.status_raw) = match kind {
        MessageType::Mt942 => (Status::Pending, Some("MT942 interim transaction report")),
        _ => (Status::Success, None),
    };
    r.counterparty = o.info.counterparty.as_deref();
    r.memo = o.info.memo.as_deref();
    r.extra = o
        .extra
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_str()))
        .collect();
    r
}
