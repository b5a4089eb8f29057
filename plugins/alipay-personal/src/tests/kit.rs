//! Helpers for the tests: parse through the glue, render a parse as golden text, GBK.

use std::fmt::Write as _;

use qrecon_adapter_sdk::abi::STATUS_OK;
use qrecon_adapter_sdk::decode::OwnedRecord;
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, testing};

/// The v2023 app export sample (GBK).
pub(crate) const V2023: &[u8] = include_bytes!("../../fixtures/alipay_personal_v2023_gbk.csv");
/// The PC web export sample (GBK).
pub(crate) const PC: &[u8] = include_bytes!("../../fixtures/alipay_personal_legacy_pc_gbk.csv");

/// Parses `bytes` as the host would; the parse must succeed.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Parsed {
    let parsed = testing::parse(crate::qrecon_descriptor(), path, bytes);
    assert_eq!(parsed.status, STATUS_OK, "{:?}", parsed.message);
    parsed
}

/// Sniffs `head` as the host would.
pub(crate) fn sniff(name: &str, head: &[u8]) -> u8 {
    testing::sniff(crate::qrecon_descriptor(), name, head)
}

/// GBK bytes of `text`, which must be all GBK.
pub(crate) fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "the text is all GBK");
    bytes.into_owned()
}

/// A GBK file as text.
pub(crate) fn utf8(bytes: &[u8]) -> String {
    let (text, _, malformed) = encoding_rs::GBK.decode(bytes);
    assert!(!malformed, "the file is GBK");
    text.into_owned()
}

/// An exact decimal.
pub(crate) fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("test decimal")
}

/// The reason of the skipped line `line`.
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

/// The warnings' texts.
pub(crate) fn warnings(parsed: &Parsed) -> Vec<(u64, &str)> {
    parsed
        .issues_of(Outcome::Warning)
        .into_iter()
        .map(|i| (i.line, i.reason.as_str()))
        .collect()
}

/// Whether some warning on `line` contains every one of `parts`.
pub(crate) fn warned(parsed: &Parsed, line: u64, parts: &[&str]) -> bool {
    warnings(parsed)
        .iter()
        .any(|(l, w)| *l == line && parts.iter().all(|p| w.contains(p)))
}

/// The columns of a golden file's record lines.
const RECORD_COLUMNS: &str = "record\tline\tclaim_id\ttxn_id\torder_id\ttime\tutc_offset\tamount\tcurrency\tstatus\tstatus_raw\tpayee_name\tpayee_account\tpayer\tmemo\textra";

fn record_line(r: &OwnedRecord) -> String {
    let o = |v: Option<&str>| v.unwrap_or("").to_owned();
    let extra: Vec<String> = r.extra.iter().map(|(k, v)| format!("{k}={v}")).collect();
    [
        "record".to_owned(),
        r.line.to_string(),
        o(r.id("claim_id")),
        o(r.id("txn_id")),
        o(r.id("order_id")),
        r.time.map(|t| t.to_string()).unwrap_or_default(),
        r.utc_offset_secs.map(|s| s.to_string()).unwrap_or_default(),
        r.amount.to_string(),
        r.currency.clone(),
        r.status.as_str().to_owned(),
        o(r.status_raw.as_deref()),
        o(r.party("payee_name")),
        o(r.party("payee_account")),
        o(r.party("payer")),
        o(r.party("memo")),
        extra.join("; "),
    ]
    .join("\t")
}

/// A parse as golden text: one line per record, then one per issue, in report order.
pub(crate) fn golden_text(parsed: &Parsed) -> String {
    let mut text =
        format!("# {RECORD_COLUMNS}\n# skipped|quarantined|warning\tline\t[field\t]reason\n");
    for r in &parsed.records {
        let _ = writeln!(text, "{}", record_line(r));
    }
    for i in &parsed.issues {
        let _ = match i.outcome {
            Outcome::Quarantined => writeln!(
                text,
                "quarantined\t{}\t{}\t{}",
                i.line,
                i.field.as_deref().unwrap_or(""),
                i.reason
            ),
            other => writeln!(text, "{}\t{}\t{}", other.as_str(), i.line, i.reason),
        };
    }
    text
}
