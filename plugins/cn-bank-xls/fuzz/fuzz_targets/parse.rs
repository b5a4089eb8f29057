//! Fuzzes the Chinese bank statement workbook adapter through the real C-ABI glue: sniff,
//! then parse, under both workbook names; a panic, an abort (an allocation the file talks the
//! reader into), a hang, or a sheet row reported twice or not at all is a finding.
//!
//! Run with `cargo +nightly fuzz run parse` from `plugins/cn-bank-xls/fuzz`; seed the corpus
//! with the workbooks in `../fixtures/` (`*.xls`, `*.xlsx`). Byte-level mutations of an
//! `.xlsx` mostly break its zip checksums; the `.xls` sample exercises the BIFF reader.

#![no_main]

use libfuzzer_sys::fuzz_target;
use qrecon_adapter_sdk::abi::{STATUS_OK, STATUS_PANIC};
use qrecon_adapter_sdk::testing;

fuzz_target!(|data: &[u8]| {
    let descriptor = qrecon_adapter_cn_bank_xls::qrecon_descriptor();
    for name in ["交易明细.xls", "statement.xlsx"] {
        let score = testing::sniff(descriptor, name, data);
        assert!(score <= 100);
        let parsed = testing::parse(descriptor, name, data);
        assert_ne!(parsed.status, STATUS_PANIC, "{:?}", parsed.message);
        if parsed.status == STATUS_OK {
            parsed.assert_lines_once(parsed.rows_read);
        } else {
            assert!(parsed.message.is_some(), "a refused file says why");
        }
    }
});
