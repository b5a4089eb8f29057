//! The example adapter on its sample (golden file, through the real C-ABI glue in process)
//! and on variants of it.

use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::testing;

const SAMPLE: &str = include_str!("../fixtures/statement.csv");

fn parse(bytes: &[u8]) -> qrecon_adapter_sdk::plugin::Parsed {
    testing::parse(crate::qrecon_descriptor(), "statement.csv", bytes)
}

#[test]
fn the_sample_matches_its_golden_file() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let checked = testing::check_samples(crate::qrecon_descriptor(), &dir, &[]);
    assert_eq!(checked.len(), 1);
    let parsed = parse(SAMPLE.as_bytes());
    parsed.assert_every_line_once(SAMPLE.as_bytes());
    assert_eq!(parsed.records.len(), 3);
    assert_eq!(parsed.issues_of(Outcome::Quarantined).len(), 2);
    assert!(
        parsed.issues_of(Outcome::Warning).is_empty(),
        "the total matches"
    );
}

#[test]
fn a_wrong_total_is_a_warning() {
    let text = SAMPLE.replace("total,2398.02", "total,2400.00");
    let parsed = parse(text.as_bytes());
    let warnings = parsed.issues_of(Outcome::Warning);
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0]
            .reason
            .contains("2400.00 differs from the rows' sum 2398.02")
    );
}

#[test]
fn it_claims_its_header_only() {
    let sniff =
        |name: &str, head: &str| testing::sniff(crate::qrecon_descriptor(), name, head.as_bytes());
    assert_eq!(sniff("statement.csv", SAMPLE), 80);
    assert_eq!(sniff("statement.txt", "Amount,Date\n"), 60);
    assert_eq!(sniff("bill.csv", "交易时间,公众账号ID,商户号\n"), 0);
    let parsed = parse(b"when,how much\n2026-01-01,1\n");
    assert_ne!(parsed.status, qrecon_adapter_sdk::abi::STATUS_OK);
    assert!(
        parsed
            .message
            .unwrap_or_default()
            .contains("line 1: expected a header naming date and amount")
    );
}

/// Found by the property test: the control total's running sum overflowed a `Decimal` (a
/// panic) when rows held amounts at the edge of its range.
#[test]
fn amounts_at_the_edge_of_the_decimal_range_never_overflow() {
    let text = "date,amount\n\
                2026-11-24,79228162514264337593543950335\n\
                2026-11-24,79228162514264337593543950335\n\
                2026-11-25,1.00\n\
                total,1.00\n";
    let parsed = parse(text.as_bytes());
    assert_eq!(
        parsed.status,
        qrecon_adapter_sdk::abi::STATUS_OK,
        "{:?}",
        parsed.message
    );
    parsed.assert_every_line_once(text.as_bytes());
    assert_eq!(parsed.records.len(), 1);
    let warnings = parsed.issues_of(Outcome::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, 5);
    assert!(
        warnings[0].reason.contains("the rows' sum is out of range"),
        "{}",
        warnings[0].reason
    );
}
