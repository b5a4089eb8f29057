//! An adapter with bugs on purpose: it claims files whose first line is `PANIC-TEST` and
//! panics while parsing them, and panics while sniffing a file whose first line is
//! `SNIFF-PANIC`. The host must contain both and go on with the other files.

use qrecon_adapter_sdk::{Adapter, Emitter, FileError, Input};

/// The buggy adapter.
#[derive(Default)]
pub struct Panicky;

impl Adapter for Panicky {
    fn sniff(&self, _file_name: &str, head: &[u8]) -> u8 {
        assert!(
            !head.starts_with(b"SNIFF-PANIC"),
            "sniff blew up on purpose"
        );
        if head.starts_with(b"PANIC-TEST") {
            100
        } else {
            0
        }
    }

    fn parse(&self, input: &Input<'_>, out: &mut Emitter) -> Result<(), FileError> {
        out.skip(1, "header");
        let rows = input.text().lines().count();
        panic!("parser bug on purpose after reading {rows} lines");
    }
}

qrecon_adapter_sdk::export_adapter! {
    adapter: Panicky,
    name: "panicky-test",
    version: "0.0.1",
    kinds: "txn",
    formats: "test files starting with PANIC-TEST",
    description: "panics on purpose (qrecon end-to-end tests)",
}
