//! Fuzzes the claims CSV adapter through the same C-ABI glue the host uses: sniff, then parse; a
//! panic, a hang or a line reported twice or not at all is a finding.
//!
//! Run with `cargo fuzz run parse` from `plugins/claims-csv/` (nightly); seed the corpus with
//! `plugins/claims-csv/fixtures/*.csv`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qrecon_adapter_sdk::abi::{STATUS_OK, STATUS_PANIC};
use qrecon_adapter_sdk::testing;

fuzz_target!(|data: &[u8]| {
    let descriptor = qrecon_adapter_claims_csv::qrecon_descriptor();
    let _ = testing::sniff(descriptor, "fuzz.csv", data);
    let parsed = testing::parse(descriptor, "fuzz.csv", data);
    assert_ne!(parsed.status, STATUS_PANIC, "{:?}", parsed.message);
    if parsed.status == STATUS_OK {
        parsed.assert_every_line_once(data);
    } else {
        assert!(parsed.message.is_some(), "a refused file says why");
    }
});
