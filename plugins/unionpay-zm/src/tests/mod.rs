//! The adapter through the real C-ABI glue, on the constructed samples in `fixtures/` and on
//! variants of them built line by line.

mod builder;
mod drift;
mod golden;
mod mapping;
mod props;
mod samples;
mod sniff;

use qrecon_adapter_sdk::abi::STATUS_OK;
use qrecon_adapter_sdk::decode::OwnedIssue;
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, NaiveDateTime, testing};

/// Parses `bytes` as the file `name`; the parse must succeed and report every line once.
fn parse(name: &str, bytes: &[u8]) -> Parsed {
    let parsed = testing::parse(crate::qrecon_descriptor(), name, bytes);
    assert_eq!(parsed.status, STATUS_OK, "{:?}", parsed.message);
    parsed.assert_every_line_once(bytes);
    parsed
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("test decimal")
}

fn time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok()
}

fn warnings(parsed: &Parsed) -> Vec<&OwnedIssue> {
    parsed.issues_of(Outcome::Warning)
}

fn quarantined(parsed: &Parsed) -> Vec<&OwnedIssue> {
    parsed.issues_of(Outcome::Quarantined)
}

fn skipped(parsed: &Parsed) -> Vec<&OwnedIssue> {
    parsed.issues_of(Outcome::Skipped)
}

fn fixtures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}
