//! Sniffing: is this file a Chinese bank statement workbook?
//!
//! Only an `.xls`/`.xlsx` name whose bytes open with the OLE2 or zip magic is considered at
//! all, and never one named after a payment platform (WeChat, Alipay: their bills are
//! spreadsheets too). Then:
//! - **95** when the head shows a known layout's title or header names. That happens only
//!   when the head reaches that far: in an `.xls` the strings sit after the workbook's style
//!   tables, often beyond the host's 8 KiB head, and an `.xlsx` deflates them;
//! - **85** when the name names a bank *and* reads as a statement (`ccb_交易明细.xls`);
//! - **70** when it does one of the two (`交易明细_1546_20250101_20250620.xls`);
//! - 0 otherwise. `parse` still refuses a workbook without a known header.

use crate::workbook::Format;

/// A known layout is visible in the head.
pub(crate) const SURE: u8 = 95;
/// The name names a bank and a statement.
const NAMED_BANK_STATEMENT: u8 = 85;
/// The name names a bank or a statement.
const NAMED: u8 = 70;

/// Names of payment platforms whose spreadsheets are not bank statements.
const PLATFORMS: &[&str] = &["微信", "wechat", "支付宝", "alipay", "财付通", "tenpay"];

/// Words that name a statement.
const STATEMENT_WORDS: &[&str] = &["明细", "流水", "对账单", "statement"];

/// Chinese bank names, and the banks' short codes (matched as whole words).
const BANK_NAMES: &[&str] = &[
    "建设银行",
    "建行",
    "中国银行",
    "中行",
    "招商银行",
    "招行",
    "交通银行",
    "交行",
];
const BANK_CODES: &[&str] = &["ccb", "boc", "cmb", "bocom"];

/// Text in the head that only a known layout has (all strings of one entry must be present).
const MARKERS: &[&[&str]] = &[
    &["China Construction Bank"],
    &["记账日", "账户余额", "对方户名"],
    &["中国银行交易流水明细单"],
    &["记账日期", "币别", "对方账户名"],
    &["联机余额", "对手信息"],
    &["借贷", "交易金额", "对方户名"],
];

/// The sniff score of a file named `name` whose first bytes are `head`.
pub(crate) fn score(name: &str, head: &[u8]) -> u8 {
    if Format::of(head).is_none() {
        return 0;
    }
    let name = name.to_lowercase();
    let workbook_name = std::path::Path::new(&name)
        .extension()
        .is_some_and(|ext| ext == "xls" || ext == "xlsx");
    if !workbook_name || PLATFORMS.iter().any(|p| name.contains(p)) {
        return 0;
    }
    if MARKERS.iter().any(|set| set.iter().all(|m| holds(head, m))) {
        return SURE;
    }
    let bank = BANK_NAMES.iter().any(|b| name.contains(b))
        || name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| BANK_CODES.contains(&word));
    let statement = STATEMENT_WORDS.iter().any(|w| name.contains(w));
    match (bank, statement) {
        (true, true) => NAMED_BANK_STATEMENT,
        (true, false) | (false, true) => NAMED,
        (false, false) => 0,
    }
}

/// Whether `head` holds `text` as UTF-8 (also ASCII and BIFF's compressed Latin-1 strings,
/// for an ASCII text, and stored `.xlsx` parts) or as UTF-16LE (BIFF8 strings).
fn holds(head: &[u8], text: &str) -> bool {
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    contains(head, text.as_bytes()) || contains(head, &utf16)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}
