//! The adapter through the real C-ABI glue: golden files for every sample in `fixtures/`,
//! WoLpH/mt940's expected output for three of them, hand-written cases, layout drift, and
//! property tests.

mod cases;
mod drift;
mod golden;
mod props;
mod sniff;
mod yml;

use qrecon_adapter_sdk::abi::STATUS_OK;
use qrecon_adapter_sdk::decode::{OwnedIssue, OwnedRecord};
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, NaiveDate, testing};

/// Every sample of the format, by file name, with its bytes.
pub(crate) const SAMPLES: [(&str, &[u8]); 14] = [
    (
        "betterplace_missing_crlf_at_end.sta",
        include_bytes!("../../fixtures/betterplace_missing_crlf_at_end.sta"),
    ),
    (
        "betterplace_sepa_snippet.sta",
        include_bytes!("../../fixtures/betterplace_sepa_snippet.sta"),
    ),
    (
        "cmxl_mt940.sta",
        include_bytes!("../../fixtures/cmxl_mt940.sta"),
    ),
    (
        "jejik_abnamro.sta",
        include_bytes!("../../fixtures/jejik_abnamro.sta"),
    ),
    (
        "jejik_generic.sta",
        include_bytes!("../../fixtures/jejik_generic.sta"),
    ),
    (
        "jejik_ing.sta",
        include_bytes!("../../fixtures/jejik_ing.sta"),
    ),
    (
        "jejik_postfinance.sta",
        include_bytes!("../../fixtures/jejik_postfinance.sta"),
    ),
    (
        "jejik_rabobank-iban.sta",
        include_bytes!("../../fixtures/jejik_rabobank-iban.sta"),
    ),
    (
        "jejik_rabobank.sta",
        include_bytes!("../../fixtures/jejik_rabobank.sta"),
    ),
    (
        "mBank_mt940.sta",
        include_bytes!("../../fixtures/mBank_mt940.sta"),
    ),
    (
        "mBank_with_newline_in_tnr.sta",
        include_bytes!("../../fixtures/mBank_with_newline_in_tnr.sta"),
    ),
    (
        "self-provided_gv_codes.sta",
        include_bytes!("../../fixtures/self-provided_gv_codes.sta"),
    ),
    (
        "self-provided_mt942.sta",
        include_bytes!("../../fixtures/self-provided_mt942.sta"),
    ),
    (
        "self-provided_sparkassen.sta",
        include_bytes!("../../fixtures/self-provided_sparkassen.sta"),
    ),
];

/// The bytes of a sample.
pub(crate) fn sample(name: &str) -> &'static [u8] {
    SAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or_else(|| panic!("no sample {name}"), |(_, b)| *b)
}

/// Parses through the C ABI and checks the call succeeded and every line was reported once.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Parsed {
    let parsed = testing::parse(crate::qrecon_descriptor(), path, bytes);
    assert_eq!(parsed.status, STATUS_OK, "{path}: {:?}", parsed.message);
    parsed.assert_every_line_once(bytes);
    parsed
}

/// Parses text.
pub(crate) fn parse_text(text: &str) -> Parsed {
    parse("test.sta", text.as_bytes())
}

pub(crate) fn sniff(name: &str, head: &[u8]) -> u8 {
    testing::sniff(crate::qrecon_descriptor(), name, head)
}

pub(crate) fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("test decimal")
}

pub(crate) fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

pub(crate) fn issues(parsed: &Parsed, outcome: Outcome) -> Vec<&OwnedIssue> {
    parsed.issues_of(outcome)
}

pub(crate) fn warnings(parsed: &Parsed) -> Vec<&str> {
    issues(parsed, Outcome::Warning)
        .iter()
        .map(|i| i.reason.as_str())
        .collect()
}

pub(crate) fn extra<'r>(record: &'r OwnedRecord, key: &str) -> Option<&'r str> {
    record.extra_value(key)
}

/// The reason a line was skipped with.
pub(crate) fn skip_reason(parsed: &Parsed, line: u64) -> &str {
    parsed
        .issues
        .iter()
        .find(|i| i.line == line && i.outcome == Outcome::Skipped)
        .map_or_else(
            || panic!("line {line} is not skipped"),
            |i| i.reason.as_str(),
        )
}
