//! Helpers for the tests: parse through the glue, render a parse as golden text. The ones
//! both payer-bill adapters use are `qrecon_payer_bill::testing`'s.

use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::testing;
pub(crate) use qrecon_payer_bill::testing::{dec, quarantined, skip_reason, warned, warnings};

/// The CSV sample (header on line 17).
pub(crate) const CSV: &str = include_str!("../../fixtures/wechat_personal_utf8.csv");
/// The XLSX sample (two sheets holding the bill; the 2026 one has numeric amounts).
pub(crate) const XLSX: &[u8] = include_bytes!("../../fixtures/wechat_personal_v2026.xlsx");

/// Parses `bytes` as the host would; the parse must succeed.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Parsed {
    qrecon_payer_bill::testing::parse(crate::qrecon_descriptor(), path, bytes)
}

/// Sniffs `head` as the host would.
pub(crate) fn sniff(name: &str, head: &[u8]) -> u8 {
    testing::sniff(crate::qrecon_descriptor(), name, head)
}

/// The CSV sample's header.
pub(crate) const HEADER: &str =
    "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注";

/// A CSV bill with `rows` after the sample's 16-line preamble: the header is line 17 and the
/// rows start on line 18.
pub(crate) fn csv(rows: &[&str]) -> String {
    let mut text = String::new();
    for line in CSV.lines().take(17) {
        text.push_str(line);
        text.push('\n');
    }
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

/// The columns of a golden file's record lines.
const RECORD_COLUMNS: [&str; 14] = [
    "line",
    "claim_id",
    "txn_id",
    "order_id",
    "time",
    "utc_offset",
    "amount",
    "currency",
    "status",
    "status_raw",
    "payee_name",
    "payer",
    "memo",
    "extra",
];

/// A parse as golden text: one line per record, then one per issue, in report order.
pub(crate) fn golden_text(parsed: &Parsed) -> String {
    qrecon_payer_bill::testing::golden_text(parsed, &RECORD_COLUMNS)
}
