//! Sniffs and parses arbitrary bytes through the adapter's C-ABI glue, under a ZM file name
//! (so every line is read) or another name (so the content decides): it must never panic,
//! and a successful parse reports every line exactly once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_OK};
use qrecon_adapter_sdk::testing;

fuzz_target!(|data: &[u8]| {
    let descriptor = qrecon_adapter_unionpay_zm::qrecon_descriptor();
    let name = match data.first() {
        Some(b) if b % 3 == 0 => "INN26010301ZM_777290058110048",
        Some(b) if b % 3 == 1 => "INN26010301ZME_777290058110048",
        _ => "download.txt",
    };
    let _ = testing::sniff(descriptor, name, data);
    let parsed = testing::parse(descriptor, name, data);
    assert!(
        parsed.status == STATUS_OK || parsed.status == STATUS_FILE_ERROR,
        "{:?}",
        parsed.message
    );
    if parsed.status == STATUS_OK {
        parsed.assert_every_line_once(data);
    }
});
