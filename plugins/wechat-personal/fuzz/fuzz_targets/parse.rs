//! Sniffs and parses arbitrary bytes through the adapter's C-ABI glue, as a CSV and (when they
//! start like a zip) as an XLSX: it must never panic, and a successful parse reports every line
//! exactly once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_OK};
use qrecon_adapter_sdk::testing;

fuzz_target!(|data: &[u8]| {
    let descriptor = qrecon_adapter_wechat_personal::qrecon_descriptor();
    for name in ["微信支付账单.csv", "微信支付账单.xlsx"] {
        let _ = testing::sniff(descriptor, name, data);
    }
    let parsed = testing::parse(descriptor, "微信支付账单.xlsx", data);
    assert!(
        parsed.status == STATUS_OK || parsed.status == STATUS_FILE_ERROR,
        "{:?}",
        parsed.message
    );
    if parsed.status == STATUS_OK {
        if data.starts_with(b"PK\x03\x04") {
            parsed.assert_lines_once(parsed.rows_read);
        } else {
            parsed.assert_every_line_once(data);
        }
    }
});
