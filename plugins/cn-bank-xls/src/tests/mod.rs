//! The adapter through the real C-ABI glue: the CCB sample and the generated `.xlsx`
//! fixtures against their golden files, layout drift, sniffing, and property tests.

mod book;
mod drift;
mod golden;
mod props;
mod sniff;

use qrecon_adapter_sdk::abi::STATUS_OK;
use qrecon_adapter_sdk::decode::{OwnedIssue, OwnedRecord};
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, testing};

/// The CCB 交易明细 sample, unchanged.
pub(crate) const CCB: &[u8] = include_bytes!("../../fixtures/ccb_debit_交易明细.xls");
/// Its file name.
pub(crate) const CCB_NAME: &str = "ccb_debit_交易明细.xls";
/// The generated BOC fixture (see `book::boc`).
pub(crate) const BOC: &[u8] = include_bytes!("../../fixtures/boc_debit_交易流水明细单.xlsx");
pub(crate) const BOC_NAME: &str = "boc_debit_交易流水明细单.xlsx";
/// The generated CMB fixture (see `book::cmb`).
pub(crate) const CMB: &[u8] = include_bytes!("../../fixtures/cmb_debit_交易流水.xlsx");
pub(crate) const CMB_NAME: &str = "cmb_debit_交易流水.xlsx";
/// The generated BOCOM fixture (see `book::bocom`).
pub(crate) const BOCOM: &[u8] = include_bytes!("../../fixtures/bocom_debit_交易明细.xlsx");
pub(crate) const BOCOM_NAME: &str = "bocom_debit_交易明细.xlsx";

/// Every sample: name and bytes.
pub(crate) const SAMPLES: [(&str, &[u8]); 4] = [
    (CCB_NAME, CCB),
    (BOC_NAME, BOC),
    (CMB_NAME, CMB),
    (BOCOM_NAME, BOCOM),
];

/// Parses through the glue and asserts the file was read.
pub(crate) fn parse(name: &str, bytes: &[u8]) -> Parsed {
    let parsed = testing::parse(crate::qrecon_descriptor(), name, bytes);
    assert_eq!(parsed.status, STATUS_OK, "{name}: {:?}", parsed.message);
    parsed
}

/// Sniffs through the glue.
pub(crate) fn sniff(name: &str, head: &[u8]) -> u8 {
    testing::sniff(crate::qrecon_descriptor(), name, head)
}

pub(crate) fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("test decimal")
}

pub(crate) fn issues(parsed: &Parsed, outcome: Outcome) -> Vec<&OwnedIssue> {
    parsed.issues_of(outcome)
}

/// The reason row `line` was skipped.
pub(crate) fn skip_reason(parsed: &Parsed, line: u64) -> &str {
    parsed
        .issues
        .iter()
        .find(|i| i.line == line && i.outcome == Outcome::Skipped)
        .map_or_else(
            || panic!("row {line} is not skipped"),
            |i| i.reason.as_str(),
        )
}

/// Every sheet row `1..=rows_read` reported exactly once.
pub(crate) fn assert_every_row_once(parsed: &Parsed) {
    parsed.assert_lines_once(parsed.rows_read);
}

/// An amount with at least two decimals, trailing zeros beyond them dropped.
fn money(amount: Decimal) -> String {
    let mut a = amount.normalize();
    if a.scale() < 2 {
        a.rescale(2);
    }
    a.to_string()
}

fn or_dash(field: Option<&str>) -> &str {
    field.unwrap_or("-")
}

/// One golden line per record.
fn record_line(r: &OwnedRecord) -> String {
    let extra: Vec<String> = r.extra.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let fields = [
        r.line.to_string(),
        r.record_type.clone(),
        money(r.amount),
        r.currency.clone(),
        r.value_date
            .map_or_else(|| "-".to_owned(), |d| d.to_string()),
        r.time.map_or_else(|| "-".to_owned(), |t| t.to_string()),
        or_dash(r.id("account")).to_owned(),
        or_dash(r.party("counterparty")).to_owned(),
        or_dash(r.party("memo")).to_owned(),
        or_dash(r.id("bank_ref")).to_owned(),
        extra.join(" | "),
    ];
    format!("R\t{}", fields.join("\t"))
}

fn issue_line(i: &OwnedIssue) -> String {
    let tag = match i.outcome {
        Outcome::Skipped => "S",
        Outcome::Quarantined => "Q",
        Outcome::Warning => "W",
    };
    format!("{tag}\t{}\t{}", i.line, i.reason)
}

/// The golden text of a parse: a header comment, one `R` line per record (line, type,
/// amount, currency, value date, time, account, counterparty, memo, bank ref, extra), then
/// one line per issue (`S` skipped, `Q` quarantined, `W` warning) in report order.
pub(crate) fn golden_text(parsed: &Parsed) -> String {
    let mut out = String::from(
        "# R line type amount currency value_date time account counterparty memo bank_ref extra\n",
    );
    for r in &parsed.records {
        out.push_str(&record_line(r));
        out.push('\n');
    }
    for i in &parsed.issues {
        out.push_str(&issue_line(i));
        out.push('\n');
    }
    out
}
