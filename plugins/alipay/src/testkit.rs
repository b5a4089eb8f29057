//! Test helpers shared by both formats' tests (the SDK's harness does the checking).

use qrecon_adapter_sdk::decode::{OwnedIssue, OwnedRecord};
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, testing};

pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).expect("fixture exists")
}

/// A GBK fixture re-encoded as UTF-8.
pub(crate) fn utf8(bytes: &[u8]) -> String {
    let (text, _, malformed) = encoding_rs::GBK.decode(bytes);
    assert!(!malformed, "the fixture is GBK");
    text.into_owned()
}

pub(crate) fn parse(name: &str, bytes: &[u8]) -> Parsed {
    testing::parse(crate::qrecon_descriptor(), name, bytes)
}

pub(crate) fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("decimal")
}

pub(crate) fn issues(p: &Parsed, outcome: Outcome) -> Vec<&OwnedIssue> {
    p.issues_of(outcome)
}

/// Lines skipped for `reason`.
pub(crate) fn skipped(p: &Parsed, reason: &str) -> Vec<u64> {
    p.issues_of(Outcome::Skipped)
        .iter()
        .filter(|i| i.reason == reason)
        .map(|i| i.line)
        .collect()
}

pub(crate) fn assert_accounted(p: &Parsed, bytes: &[u8]) {
    p.assert_every_line_once(bytes);
}

pub(crate) fn at_line(p: &Parsed, line: u64) -> &OwnedRecord {
    p.record_at(line)
}

pub(crate) fn extra<'a>(r: &'a OwnedRecord, key: &str) -> Option<&'a str> {
    r.extra_value(key)
}
