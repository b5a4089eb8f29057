//! Sniffs and parses arbitrary bytes through the adapter's C-ABI glue: it must never panic,
//! and a successful parse reports every line exactly once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_OK};
use qrecon_adapter_sdk::testing;

fuzz_target!(|data: &[u8]| {
    let descriptor = qrecon_adapter_alipay_personal::qrecon_descriptor();
    let _ = testing::sniff(descriptor, "bill.csv", data);
    let parsed = testing::parse(descriptor, "bill.csv", data);
    assert!(
        parsed.status == STATUS_OK || parsed.status == STATUS_FILE_ERROR,
        "{:?}",
        parsed.message
    );
    if parsed.status == STATUS_OK {
        parsed.assert_every_line_once(data);
    }
});
