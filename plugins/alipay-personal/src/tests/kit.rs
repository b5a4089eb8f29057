//! Helpers for the tests: parse through the glue, render a parse as golden text, GBK. The
//! ones both payer-bill adapters use are `qrecon_payer_bill::testing`'s.

use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::testing;
pub(crate) use qrecon_payer_bill::testing::{dec, skip_reason, warned, warnings};

/// The v2023 app export sample (GBK).
pub(crate) const V2023: &[u8] = include_bytes!("../../fixtures/alipay_personal_v2023_gbk.csv");
/// The PC web export sample (GBK).
pub(crate) const PC: &[u8] = include_bytes!("../../fixtures/alipay_personal_legacy_pc_gbk.csv");

/// Parses `bytes` as the host would; the parse must succeed.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Parsed {
    qrecon_payer_bill::testing::parse(crate::qrecon_descriptor(), path, bytes)
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

/// The columns of a golden file's record lines.
const RECORD_COLUMNS: [&str; 15] = [
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
    "payee_account",
    "payer",
    "memo",
    "extra",
];

/// A parse as golden text: one line per record, then one per issue, in report order.
pub(crate) fn golden_text(parsed: &Parsed) -> String {
    qrecon_payer_bill::testing::golden_text(parsed, &RECORD_COLUMNS)
}
