//! Layout drift: the samples changed the ways exports drift — header lines added before the
//! message, an extra (unknown) tag, an unknown transaction type, optional fields left out,
//! CRLF, trailing spaces — still parse to the same records, with a warning where the meaning
//! is unsure.

use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;

use super::{SAMPLES, parse, parse_text, sample, warnings};

/// The records without their line numbers (lines move when lines are added).
fn records(parsed: &Parsed) -> Vec<String> {
    parsed
        .records
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.line = 0;
            format!("{r:?}")
        })
        .collect()
}

fn text(name: &str) -> String {
    String::from_utf8(sample(name).to_vec()).expect("the samples are UTF-8")
}

#[test]
fn header_lines_before_the_message() {
    let original = text("jejik_generic.sta");
    let moved = format!("0000 01INGBNL2AXXXX00001\nABNANL2A\n940\n:940:\n\n{original}");
    let (a, b) = (parse_text(&original), parse_text(&moved));
    assert_eq!(records(&a), records(&b));
    assert_eq!(a.records[0].line + 5, b.records[0].line);
    assert_eq!(warnings(&a), warnings(&b));
}

#[test]
fn an_extra_unknown_tag_is_warned_about() {
    let original = text("jejik_abnamro.sta");
    let extra = original.replacen(
        ":25:517852257\n",
        ":25:517852257\n:NS:01Private account\n",
        1,
    );
    let (a, b) = (parse_text(&original), parse_text(&extra));
    assert_eq!(records(&a), records(&b));
    let (before, after) = (warnings(&a), warnings(&b));
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    let added: Vec<&&str> = after.iter().filter(|w| w.contains("unknown tag")).collect();
    assert_eq!(
        added,
        [&"unknown tag :NS:, not an MT940/MT942 field: skipped"]
    );
}

#[test]
fn an_unknown_transaction_type_is_read_and_warned_about() {
    let original = text("jejik_postfinance.sta");
    let drifted = original.replacen("C79,7FMSC01916", "C79,7XZZZ01916", 1);
    let parsed = parse_text(&drifted);
    assert_eq!(parsed.records.len(), 4);
    let r = parsed.record_at(5);
    assert_eq!(super::extra(r, "transaction_type"), Some("XZZZ"));
    assert!(
        warnings(&parsed)
            .iter()
            .any(|w| w.contains("transaction type XZZZ"))
    );
}

#[test]
fn optional_fields_left_out() {
    let original = text("betterplace_sepa_snippet.sta");
    let lean: String = original
        .lines()
        .filter(|l| !l.starts_with(":28C:") && !l.starts_with(":64:"))
        .map(|l| l.to_owned() + "\n")
        .collect();
    let lean = lean.replace(":61:0709070904CR", ":61:070907CR");
    let (a, b) = (parse_text(&original), parse_text(&lean));
    assert_eq!(a.records.len(), b.records.len());
    assert_eq!(warnings(&a).len(), warnings(&b).len(), "{:?}", warnings(&b));
    let r = b.record_at(4);
    assert_eq!(
        (
            super::extra(r, "entry_date"),
            super::extra(r, "statement_no")
        ),
        (None, None)
    );
    assert_eq!(r.amount, a.record_at(5).amount);
    let no_info = text("jejik_generic.sta").replace(":86:\n", "");
    assert_eq!(parse_text(&no_info).records.len(), 2);
}

#[test]
fn crlf_and_trailing_spaces_read_the_same() {
    for (name, bytes) in SAMPLES {
        let Ok(original) = std::str::from_utf8(bytes) else {
            continue;
        };
        let a = parse(name, bytes);
        let crlf = original.replace("\r\n", "\n").replace('\n', "\r\n");
        let b = parse(name, crlf.as_bytes());
        assert_eq!(records(&a), records(&b), "{name} with CRLF");
        assert_eq!(a.issues, b.issues, "{name} with CRLF");
        let padded: String = original
            .lines()
            .map(|l| {
                if l.starts_with(":86:") || l.is_empty() {
                    format!("{l}\n")
                } else {
                    format!("{l}  \n")
                }
            })
            .collect();
        let c = parse(name, padded.as_bytes());
        let amounts = |p: &Parsed| {
            p.records
                .iter()
                .map(|r| (r.line, r.amount, r.value_date))
                .collect::<Vec<_>>()
        };
        assert_eq!(amounts(&a), amounts(&c), "{name} with trailing spaces");
        assert_eq!(
            a.issues_of(Outcome::Quarantined).len(),
            c.issues_of(Outcome::Quarantined).len(),
            "{name}"
        );
    }
}

#[test]
fn statements_without_20_or_end_lines_are_still_split() {
    // Two statements run together: the second opening balance starts a new one.
    let text = ":20:A\n:25:X\n:60F:C240101EUR1,\n:61:240102C1,NTRFNONREF\n:62F:C240102EUR2,\n\
                :60F:C240102EUR2,\n:61:240103D1,NTRFNONREF\n:62F:C240103EUR1,\n";
    let parsed = parse_text(text);
    assert_eq!(parsed.records.len(), 2);
    assert!(warnings(&parsed).is_empty(), "{:?}", warnings(&parsed));
}

#[test]
fn text_after_a_single_line_field_is_skipped_with_a_warning() {
    let text =
        ":20:A\n:25:X\n:60F:C240101EUR1,\nABNANL2A\n:61:240102C1,NTRFNONREF\n:62F:C240102EUR2,\n";
    let parsed = parse_text(text);
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(
        super::skip_reason(&parsed, 4),
        "text after the opening balance (:60F:) at line 3, not part of any field"
    );
    assert!(
        warnings(&parsed)
            .iter()
            .any(|w| w.contains("single-line field"))
    );
}
