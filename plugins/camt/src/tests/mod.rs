//! The adapter through the real C-ABI glue: golden files for every fixture, targeted checks of
//! the mapping, drift, refusals, sniffing and property tests.

mod drift;
mod golden;
mod mapping;
mod props;
mod refusals;
mod sniffing;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use qrecon_adapter_sdk::abi::STATUS_OK;
use qrecon_adapter_sdk::decode::{OwnedIssue, OwnedRecord};
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, testing};

/// The crate's `fixtures/` folder.
pub(crate) fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A fixture's bytes.
pub(crate) fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixtures_dir().join(name)).expect("fixture exists")
}

/// A fixture's text.
pub(crate) fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).expect("fixtures are UTF-8")
}

/// Every `.xml` fixture, sorted.
pub(crate) fn xml_fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| {
            Path::new(n)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
        })
        .collect();
    names.sort();
    names
}

/// Parses through the C ABI, whatever the outcome.
pub(crate) fn run(name: &str, bytes: &[u8]) -> Parsed {
    testing::parse(crate::qrecon_descriptor(), name, bytes)
}

/// Parses and requires success.
pub(crate) fn parse(name: &str, bytes: &[u8]) -> Parsed {
    let parsed = run(name, bytes);
    assert_eq!(parsed.status, STATUS_OK, "{name}: {:?}", parsed.message);
    assert_consistent(&parsed);
    parsed
}

/// Rows read = records + quarantined + skipped.
pub(crate) fn assert_consistent(parsed: &Parsed) {
    let not_warnings = parsed
        .issues
        .iter()
        .filter(|i| i.outcome != Outcome::Warning)
        .count();
    assert_eq!(
        parsed.rows_read,
        (parsed.records.len() + not_warnings) as u64,
        "rows read = records + quarantined + skipped"
    );
}

/// The rows a camt text should have: one per `<Ntry`, `<Bal` and statement start tag (plus
/// any extra transactions of split batches, given by the caller).
pub(crate) fn expected_rows(text: &str, extra_parts: u64) -> u64 {
    let count = |tag: &str| {
        text.match_indices(tag)
            .filter(|(i, t)| matches!(text.as_bytes().get(i + t.len()), Some(b'>' | b' ')))
            .count() as u64
    };
    count("<Ntry") + count("<Bal") + count("<Stmt") + count("<Rpt") + count("<Ntfctn") + extra_parts
}

pub(crate) fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("test decimal")
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

/// The golden text of one parse: one line per record, then one per issue, tab-separated.
pub(crate) fn golden(parsed: &Parsed) -> String {
    let mut s = String::new();
    if parsed.status != STATUS_OK {
        let _ = writeln!(
            s,
            "error\t{}",
            parsed.message.as_deref().unwrap_or_default()
        );
        return s;
    }
    s.push_str(
        "# record\tline\ttype\tamount\tcurrency\tstatus\tstatus_raw\ttime\toffset\tvalue_date\t\
         account\tbank_ref\tcounterparty\tmemo\textra\n",
    );
    for r in &parsed.records {
        s.push_str(&record_line(r));
    }
    s.push_str("# issue\tline\toutcome\tfield\treason\n");
    for i in &parsed.issues {
        let _ = writeln!(
            s,
            "issue\t{}\t{}\t{}\t{}",
            i.line,
            i.outcome.as_str(),
            i.field.as_deref().unwrap_or_default(),
            clean(&i.reason)
        );
    }
    let _ = writeln!(s, "rows_read\t{}", parsed.rows_read);
    s
}

fn record_line(r: &OwnedRecord) -> String {
    let opt = |v: Option<&str>| clean(v.unwrap_or_default());
    let extra: Vec<String> = r
        .extra
        .iter()
        .map(|(k, v)| format!("{k}={}", clean(v)))
        .collect();
    let fields = [
        "record".to_owned(),
        r.line.to_string(),
        r.record_type.clone(),
        r.amount.to_string(),
        r.currency.clone(),
        r.status.as_str().to_owned(),
        opt(r.status_raw.as_deref()),
        r.time.map(|t| t.to_string()).unwrap_or_default(),
        r.utc_offset_secs.map(|o| o.to_string()).unwrap_or_default(),
        r.value_date.map(|d| d.to_string()).unwrap_or_default(),
        opt(r.id("account")),
        opt(r.id("bank_ref")),
        opt(r.party("counterparty")),
        opt(r.party("memo")),
        extra.join(" | "),
    ];
    fields.join("\t") + "\n"
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}
