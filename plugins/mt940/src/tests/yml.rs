//! The three samples WoLpH/mt940 publishes its expected parse for (`fixtures/*.yml`),
//! checked field by field: amount, currency, value and entry date, mark (status C/D/RC/RD),
//! funds code, transaction type, customer and bank reference, supplementary details, and the
//! `:86:` text.
//!
//! The `.yml` files are `PyYAML` dumps of Python objects (tags, anchors, `!!binary` dates), so a
//! tiny reader for exactly the subset they use stands in for a YAML library: the list under
//! `transactions:`, each item's `data:` keys at four spaces, scalars plain, single-quoted or
//! double-quoted (with their line folding and escapes), amounts as
//! `!!python/object/apply:decimal.Decimal ['…']` and dates as a pickled `date` in base64.
//!
//! One deliberate difference: `WoLpH` appends what follows the last `:61:`'s `:86:` (ING's
//! statement-level `:86:` after `:62F:` and the `-XXX` end line) to that line's details; this
//! adapter skips them as statement-level lines, and the test says so.

use std::collections::BTreeMap;

use qrecon_adapter_sdk::decode::OwnedRecord;

use super::{dec, extra, parse, sample};

/// One transaction: its `data:` keys with their values (`None` for `null`).
type Transaction = BTreeMap<String, Option<String>>;

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The transactions of a `WoLpH` `.yml`.
fn transactions(yml: &str) -> Vec<Transaction> {
    let lines: Vec<&str> = yml.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == "transactions:")
        .expect("a transactions: list");
    let mut out: Vec<Transaction> = Vec::new();
    let mut i = start + 1;
    while let Some(line) = lines.get(i) {
        i += 1;
        if line.starts_with("- ") {
            out.push(Transaction::new());
            continue;
        }
        if indent(line) != 4 {
            continue;
        }
        let (key, rest) = line.trim().split_once(':').expect("key: value");
        let more: Vec<&str> = lines[i..]
            .iter()
            .take_while(|l| {
                l.trim().is_empty()
                    || indent(l) > 4
                    || (indent(l) == 4 && l.trim_start().starts_with("- "))
            })
            .copied()
            .collect();
        i += more.len();
        let value = value(rest.trim(), &more);
        let current = out.last_mut().expect("inside a transaction");
        match value {
            Value::Amount(amount, currency) => {
                current.insert(key.to_owned(), Some(amount));
                current.insert(format!("{key}_currency"), Some(currency));
            }
            Value::Scalar(s) => {
                current.insert(key.to_owned(), s);
            }
        }
    }
    out
}

enum Value {
    Amount(String, String),
    Scalar(Option<String>),
}

/// A key's value from the rest of its line and its more-indented lines.
fn value(rest: &str, more: &[&str]) -> Value {
    if rest.starts_with("!!python/object:mt940.models.Amount") {
        let field = |name: &str| {
            more.iter()
                .find_map(|l| l.trim().strip_prefix(name))
                .expect("an amount field")
                .trim()
                .to_owned()
        };
        let amount = field("amount: !!python/object/apply:decimal.Decimal");
        let amount = amount.trim_matches(['[', ']', '\'']).to_owned();
        return Value::Amount(amount, field("currency:"));
    }
    if rest.starts_with("!!python/object/apply:mt940.models.Date") {
        let b64 = more.get(1).expect("the base64 line").trim();
        return Value::Scalar(Some(pickled_date(b64)));
    }
    Value::Scalar(scalar(rest, more))
}

/// A pickled `datetime.date`: base64 of year (2 bytes, big-endian), month, day.
fn pickled_date(b64: &str) -> String {
    let bytes = base64(b64);
    let year = u16::from(bytes[0]) << 8 | u16::from(bytes[1]);
    format!("{year:04}-{:02}-{:02}", bytes[2], bytes[3])
}

fn base64(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().take_while(|b| *b != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c).expect("base64 digit");
        bits = bits << 6 | u32::try_from(v).expect("small");
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push(u8::try_from((bits >> n) & 0xFF).expect("a byte"));
        }
    }
    out
}

/// A plain, single-quoted or double-quoted scalar over one or more lines.
fn scalar(first: &str, more: &[&str]) -> Option<String> {
    if first == "null" {
        return None;
    }
    let mut lines = vec![first];
    lines.extend(more.iter().map(|l| l.trim_start()));
    Some(match first.as_bytes().first() {
        Some(b'\'') => fold(&lines).trim_matches('\'').replace("''", "'"),
        Some(b'"') => unescape(&fold_double(&lines)),
        _ => fold(&lines),
    })
}

/// YAML line folding: a single line break is a space, an empty line a `\n`.
fn fold(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut breaks = 0;
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            breaks += 1;
            continue;
        }
        if i > 0 {
            out.push_str(&if breaks == 0 {
                " ".to_owned()
            } else {
                "\n".repeat(breaks)
            });
        }
        breaks = 0;
        out.push_str(line);
    }
    out
}

/// Folding for a double-quoted scalar: a line ending in `\` joins the next without a space.
fn fold_double(lines: &[&str]) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 && !out.ends_with('\\') {
            out.push(' ');
        }
        if out.ends_with('\\') {
            out.pop();
        }
        out.push_str(line.trim_end());
    }
    out.trim_matches('"').to_owned()
}

/// The escapes `PyYAML` writes: `\t`, `\n`, `\\`, `\"`, `\ `, `\xHH`.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                let code = u32::from_str_radix(&hex, 16).expect("hex escape");
                out.push(char::from_u32(code).expect("a character"));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Lines trimmed at the end, joined with `\n`, trimmed.
fn normalise(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_owned()
}

fn get<'t>(t: &'t Transaction, key: &str) -> Option<&'t str> {
    t.get(key).and_then(Option::as_deref)
}

/// Checks one record against `WoLpH`'s transaction, field by field.
fn check(
    name: &str,
    i: usize,
    record: &OwnedRecord,
    t: &Transaction,
    details_suffix: Option<&str>,
) {
    let at = format!("{name} transaction {i} (line {})", record.line);
    assert_eq!(
        record.amount,
        dec(get(t, "amount").expect("amount")),
        "{at}: amount"
    );
    assert_eq!(
        Some(record.currency.as_str()),
        get(t, "currency"),
        "{at}: currency"
    );
    assert_eq!(
        Some(record.currency.as_str()),
        get(t, "amount_currency"),
        "{at}: amount currency"
    );
    let value_date = record.value_date.map(|d| d.to_string());
    assert_eq!(value_date.as_deref(), get(t, "date"), "{at}: value date");
    assert_eq!(
        extra(record, "entry_date"),
        get(t, "entry_date"),
        "{at}: entry date"
    );
    assert_eq!(
        extra(record, "mark"),
        get(t, "status"),
        "{at}: status (mark)"
    );
    assert_eq!(
        extra(record, "funds_code"),
        get(t, "funds_code"),
        "{at}: funds code"
    );
    assert_eq!(
        extra(record, "transaction_type"),
        get(t, "id"),
        "{at}: transaction type"
    );
    let customer = get(t, "customer_reference");
    assert_eq!(
        extra(record, "customer_ref"),
        customer,
        "{at}: customer reference"
    );
    let bank = get(t, "bank_reference").or(customer.filter(|c| *c != "NONREF"));
    assert_eq!(
        record.id("bank_ref"),
        bank,
        "{at}: bank reference (else customer reference)"
    );
    let supplementary = get(t, "extra_details").filter(|s| !s.is_empty());
    assert_eq!(
        extra(record, "supplementary"),
        supplementary,
        "{at}: supplementary details"
    );
    let mut details = normalise(get(t, "transaction_details").unwrap_or_default());
    if let Some(suffix) = details_suffix {
        details = details
            .strip_suffix(suffix)
            .unwrap_or_else(|| panic!("{at}: WoLpH's details end with {suffix:?}"))
            .to_owned();
    }
    let ours = extra(record, "information")
        .or(record.party("memo"))
        .unwrap_or_default();
    assert_eq!(normalise(ours), normalise(&details), "{at}: :86: text");
}

fn check_file(name: &str, yml: &str, last_suffix: Option<&str>) {
    let parsed = parse(name, sample(name));
    let expected = transactions(yml);
    assert_eq!(
        parsed.records.len(),
        expected.len(),
        "{name}: one record per transaction"
    );
    assert!(!expected.is_empty());
    let last = expected.len() - 1;
    for (i, (record, t)) in parsed.records.iter().zip(&expected).enumerate() {
        check(
            name,
            i,
            record,
            t,
            if i == last { last_suffix } else { None },
        );
    }
}

#[test]
fn abn_amro_matches_wolph() {
    check_file(
        "jejik_abnamro.sta",
        include_str!("../../fixtures/jejik_abnamro.yml"),
        None,
    );
}

#[test]
fn ing_matches_wolph_except_the_statement_level_text() {
    check_file(
        "jejik_ing.sta",
        include_str!("../../fixtures/jejik_ing.yml"),
        Some("\nD000004C000002D25,24C28,71\n-XXX"),
    );
}

#[test]
fn mbank_matches_wolph() {
    check_file(
        "mBank_mt940.sta",
        include_str!("../../fixtures/mBank_mt940.yml"),
        None,
    );
}

#[test]
fn the_reader_reads_what_it_must() {
    let yml = "transactions:\n- !!python/object:mt940.models.Transaction\n  data:\n    amount: !!python/object:mt940.models.Amount\n      amount: !!python/object/apply:decimal.Decimal ['-9']\n      currency: EUR\n    bank_reference: null\n    date: !!python/object/apply:mt940.models.Date\n    - !!binary |\n      B9sFGA==\n    id: N192\n    transaction_details: 'a\n\n      b c''d'\n    other: \"x\\\n      \\ y\\xAD\\tz\"\n    plain: one\n      two\n  transactions: *id003\n";
    let t = transactions(yml);
    assert_eq!(t.len(), 1);
    let t = &t[0];
    assert_eq!(get(t, "amount"), Some("-9"));
    assert_eq!(get(t, "amount_currency"), Some("EUR"));
    assert_eq!(get(t, "bank_reference"), None);
    assert_eq!(get(t, "date"), Some("2011-05-24"));
    assert_eq!(get(t, "transaction_details"), Some("a\nb c'd"));
    assert_eq!(get(t, "other"), Some("x y\u{ad}\tz"));
    assert_eq!(get(t, "plain"), Some("one two"));
}
