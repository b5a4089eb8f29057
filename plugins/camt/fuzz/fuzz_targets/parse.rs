//! Fuzzes the camt adapter through the same C-ABI glue the host uses: sniff, then parse.
//! Run with `cargo fuzz run parse` from `plugins/camt/` (nightly); seed the corpus with
//! `plugins/camt/fixtures/*.xml`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qrecon_adapter_sdk::abi::{STATUS_OK, STATUS_PANIC};
use qrecon_adapter_sdk::testing;

fuzz_target!(|data: &[u8]| {
    let descriptor = qrecon_adapter_camt::qrecon_descriptor();
    let _ = testing::sniff(descriptor, "fuzz.xml", data);
    let parsed = testing::parse(descriptor, "fuzz.xml", data);
    assert_ne!(parsed.status, STATUS_PANIC, "{:?}", parsed.message);
    if parsed.status == STATUS_OK {
        let issues = parsed
            .issues
            .iter()
            .filter(|i| i.outcome != qrecon_adapter_sdk::schema::Outcome::Warning)
            .count();
        assert_eq!(parsed.rows_read, (parsed.records.len() + issues) as u64);
    }
});
