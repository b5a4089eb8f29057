//! Sniffs and parses arbitrary bytes through the adapter's C-ABI glue, as a plain file and as
//! a `.csv.zip` bundle (the input is also tried with a zip signature in front, so the fuzzer
//! reaches the archive reader at once): it must never panic, and a successful parse reports
//! every line exactly once — the plain file's lines, or lines 1..=n of the bundle's entries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_OK};
use qrecon_adapter_sdk::testing;

fn check(name: &str, data: &[u8]) {
    let descriptor = qrecon_adapter_alipay::qrecon_descriptor();
    let _ = testing::sniff(descriptor, name, data);
    let parsed = testing::parse(descriptor, name, data);
    assert!(
        parsed.status == STATUS_OK || parsed.status == STATUS_FILE_ERROR,
        "{:?}",
        parsed.message
    );
    if parsed.status != STATUS_OK {
        return;
    }
    if data.starts_with(b"PK") {
        parsed.assert_lines_once(parsed.rows_read);
    } else {
        parsed.assert_every_line_once(data);
    }
}

fuzz_target!(|data: &[u8]| {
    check("bill.csv", data);
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend_from_slice(data);
    check("bill.csv.zip", &zip);
});
