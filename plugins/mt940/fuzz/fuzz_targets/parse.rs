//! Fuzzes the MT940 adapter through the real C-ABI glue: sniff, then parse; a panic, a
//! hang or a line reported twice or not at all is a finding.
//!
//! Run with `cargo +nightly fuzz run parse` from `plugins/mt940/fuzz`; seed the corpus with
//! the samples in `../fixtures/*.sta`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qrecon_adapter_sdk::abi::{STATUS_OK, STATUS_PANIC};
use qrecon_adapter_sdk::testing;

fuzz_target!(|data: &[u8]| {
    let descriptor = qrecon_adapter_mt940::qrecon_descriptor();
    let _ = testing::sniff(descriptor, "fuzz.sta", data);
    let parsed = testing::parse(descriptor, "fuzz.sta", data);
    assert_ne!(parsed.status, STATUS_PANIC, "{:?}", parsed.message);
    if parsed.status == STATUS_OK {
        parsed.assert_every_line_once(data);
    } else {
        assert!(parsed.message.is_some(), "a refused file says why");
    }
});
