//! One line of `cases.jsonl`, written straight into a byte buffer: a million cases make a
//! gigabyte of JSON, so nothing is built as an intermediate string. File names are escaped
//! once per run; evidence is `"file:line"`.

use std::io::Write as _;

use chrono::{DateTime, FixedOffset, NaiveDate, Timelike};
use qrecon_core::{Case, Dataset, Finding, Link, Money, Source};

/// Escaped file names, by file index.
pub struct Files(Vec<Vec<u8>>);

impl Files {
    /// Escapes every file name of `data` once.
    pub fn new(data: &Dataset) -> Self {
        Files(
            data.files
                .iter()
                .map(|f| {
                    let mut b = Vec::with_capacity(f.len());
                    escape_into(&mut b, f);
                    b
                })
                .collect(),
        )
    }
}

/// Whether a byte must be escaped in a JSON string.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Appends `s` JSON-escaped (without quotes).
fn escape_into(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Nearly every value needs no escape: one scan without early exit (which the compiler
    // turns into wide compares), then one copy.
    if !bytes.iter().fold(false, |any, &b| any | needs_escape(b)) {
        out.extend_from_slice(bytes);
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                out.extend_from_slice(&bytes[start..i]);
                let _ = write!(out, "\\u{b:04x}");
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(esc);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// A JSON object being written.
struct Obj<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Obj<'o> {
    fn new(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        Obj { out, first: true }
    }

    fn key(&mut self, k: &str) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(k.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    fn str(&mut self, k: &str, v: Option<&str>) {
        let out = self.key(k);
        match v {
            Some(s) => {
                out.push(b'"');
                escape_into(out, s);
                out.push(b'"');
            }
            None => out.extend_from_slice(b"null"),
        }
    }

    fn money(&mut self, k: &str, m: Money) {
        let out = self.key(k);
        out.push(b'"');
        out.extend_from_slice(m.text(&mut [0; 24]).as_bytes());
        out.push(b'"');
    }

    fn date(&mut self, k: &str, d: Option<NaiveDate>) {
        let out = self.key(k);
        match d {
            Some(d) => date(out, d),
            None => out.extend_from_slice(b"null"),
        }
    }

    fn end(self) {
        self.out.push(b'}');
    }
}

/// Appends `n` in decimal.
fn uint(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends `n` (below `10^width`) as exactly `width` digits.
fn padded(out: &mut Vec<u8>, n: u32, width: u32) {
    for k in (0..width).rev() {
        out.push(b'0' + (n / 10u32.pow(k) % 10) as u8);
    }
}

/// `YYYY-MM-DD` (quoted); years outside 0–9999 through the formatter.
fn date(out: &mut Vec<u8>, d: NaiveDate) {
    out.push(b'"');
    match qrecon_core::iso_date(d, &mut [0; 10]) {
        Some(text) => out.extend_from_slice(text.as_bytes()),
        None => {
            let _ = write!(out, "{d}");
        }
    }
    out.push(b'"');
}

/// RFC 3339 to the second with the offset (quoted).
fn instant(out: &mut Vec<u8>, t: DateTime<FixedOffset>) {
    date(out, t.date_naive());
    out.pop();
    out.push(b'T');
    padded(out, t.hour(), 2);
    out.push(b':');
    padded(out, t.minute(), 2);
    out.push(b':');
    padded(out, t.second(), 2);
    let off = t.offset().local_minus_utc();
    out.push(if off < 0 { b'-' } else { b'+' });
    let off = off.unsigned_abs();
    padded(out, off / 3600, 2);
    out.push(b':');
    padded(out, (off % 3600) / 60, 2);
    out.push(b'"');
}

fn evidence(out: &mut Vec<u8>, files: &Files, s: Source) {
    out.push(b'"');
    out.extend_from_slice(
        files
            .0
            .get(s.file as usize)
            .map_or(b"?".as_slice(), Vec::as_slice),
    );
    out.push(b':');
    uint(out, u64::from(s.line));
    out.push(b'"');
}

fn evidence_list(out: &mut Vec<u8>, files: &Files, list: &[Source]) {
    out.push(b'[');
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        evidence(out, files, *s);
    }
    out.push(b']');
}

fn findings(out: &mut Vec<u8>, files: &Files, list: &[Finding]) {
    out.push(b'[');
    for (i, f) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let mut o = Obj::new(out);
        o.str("code", Some(f.code));
        o.str("rule", Some(f.rule));
        o.str("severity", Some(f.severity.as_str()));
        o.str("message", Some(&f.message));
        o.str("action", Some(&f.action));
        o.date("expected_by", f.expected_by);
        evidence_list(o.key("evidence"), files, &f.evidence);
        o.end();
    }
    out.push(b']');
}

fn rule_errors(out: &mut Vec<u8>, list: &[qrecon_rules::RuleFailure]) {
    out.push(b'[');
    for (i, f) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let mut o = Obj::new(out);
        o.str("rule", Some(f.rule));
        o.str("message", Some(&f.message));
        o.end();
    }
    out.push(b']');
}

fn links(out: &mut Vec<u8>, files: &Files, list: &[Link]) {
    out.push(b'[');
    for (i, l) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let mut o = Obj::new(out);
        o.str("from", Some(l.from.as_str()));
        o.str("to", Some(l.to.as_str()));
        o.str("method", Some(l.method.as_str()));
        o.str("key", l.method.key());
        evidence_list(o.key("evidence"), files, &l.evidence);
        o.end();
    }
    out.push(b']');
}

/// Appends one case as a JSON line.
pub fn write(
    out: &mut Vec<u8>,
    data: &Dataset,
    files: &Files,
    case: &Case,
    found: &[Finding],
    failures: &[qrecon_rules::RuleFailure],
) {
    let claim = case.claim.map(|i| data.get(i));
    let txn = case.txn.map(|i| data.get(i));
    let payout = case.payouts.last().map(|c| data.get(c.payout));
    let bank = case.bank.last().map(|b| data.get(b.bank));
    let f = &case.facts;
    let mut o = Obj::new(out);
    let id = o.key("case_id");
    id.push(b'"');
    for part in case.id_parts(data) {
        escape_into(id, part);
    }
    id.push(b'"');
    o.str("claim_id", claim.and_then(|c| data.str(c.claim_id)));
    o.str(
        "order_id",
        txn.and_then(|t| data.str(t.order_id))
            .or_else(|| claim.and_then(|c| data.str(c.order_id))),
    );
    o.str(
        "txn_id",
        txn.and_then(|t| data.str(t.txn_id))
            .or_else(|| claim.and_then(|c| data.str(c.txn_id))),
    );
    o.str("payout_id", payout.and_then(|p| data.str(p.payout_id)));
    match bank {
        Some(b) if b.bank_ref.is_some() => o.str("bank_ref", data.str(b.bank_ref)),
        Some(b) => evidence(o.key("bank_ref"), files, b.source),
        None => o.str("bank_ref", None),
    }
    o.str("provider", case.provider(data));
    o.money("amount", case.amount(data));
    o.str("currency", Some(case.currency(data)));
    match case.paid_at(data) {
        Some(t) => instant(o.key("paid_at"), t),
        None => o.str("paid_at", None),
    }
    o.str(
        "status",
        Some(found.first().map_or("UNDIAGNOSED", |f| f.code)),
    );
    findings(o.key("findings"), files, found);
    if !failures.is_empty() {
        rule_errors(o.key("rule_errors"), failures);
    }
    let facts = o.key("facts");
    let mut fo = Obj::new(facts);
    fo.money("gross", f.gross);
    fo.money("fee", f.fee);
    fo.money("refunded", f.refunded);
    fo.money("net", f.net);
    fo.money("paid_out", f.paid_out);
    fo.date("expected_payout", f.expected_payout);
    fo.date("payout_date", f.payout_date);
    fo.date("expected_bank", f.expected_bank);
    fo.date("bank_date", f.bank_date);
    fo.end();
    links(o.key("links"), files, &case.links(data));
    o.end();
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_instants_are_written_like_the_formatter_would() {
        let mut b = Vec::new();
        uint(&mut b, 0);
        b.push(b' ');
        uint(&mut b, 4_294_967_295);
        b.push(b' ');
        date(&mut b, NaiveDate::from_ymd_opt(2026, 1, 5).expect("date"));
        date(&mut b, NaiveDate::from_ymd_opt(12_026, 1, 5).expect("date"));
        let t = DateTime::parse_from_rfc3339("2026-11-23T08:03:41+08:00").expect("t");
        instant(&mut b, t);
        let t = DateTime::parse_from_rfc3339("2026-03-01T00:00:09-05:30").expect("t");
        instant(&mut b, t);
        assert_eq!(
            String::from_utf8(b).expect("utf8"),
            "0 4294967295 \"2026-01-05\"\"+12026-01-05\"\"2026-11-23T08:03:41+08:00\"\"2026-03-01T00:00:09-05:30\""
        );
    }

    #[test]
    fn escapes_what_json_needs() {
        let mut b = Vec::new();
        escape_into(&mut b, "a\"b\\c\nd\u{1}é");
        assert_eq!(
            String::from_utf8(b).expect("utf8"),
            "a\\\"b\\\\c\\nd\\u0001é"
        );
        let parsed: serde_json::Value =
            serde_json::from_str("\"a\\\"b\\\\c\\nd\\u0001é\"").expect("valid");
        assert_eq!(parsed, "a\"b\\c\nd\u{1}é");
    }
}
