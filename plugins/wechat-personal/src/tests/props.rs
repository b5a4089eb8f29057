//! Property tests: random bytes, the samples cut at every offset, and the samples with bytes
//! changed never panic, and every line is reported exactly once.

use proptest::prelude::*;
use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_OK};
use qrecon_adapter_sdk::testing;

use super::kit::{CSV, HEADER, XLSX};

/// Parses `bytes` as `name`; the parse must succeed or refuse the file, and a successful one
/// must report every line once (for an XLSX, every row up to the last one reported).
fn check(name: &str, bytes: &[u8]) {
    let parsed = testing::parse(crate::qrecon_descriptor(), name, bytes);
    assert!(
        parsed.status == STATUS_OK || parsed.status == STATUS_FILE_ERROR,
        "status {} ({:?})",
        parsed.status,
        parsed.message
    );
    if parsed.status == STATUS_OK {
        if bytes.starts_with(b"PK\x03\x04") {
            parsed.assert_lines_once(parsed.rows_read);
        } else {
            parsed.assert_every_line_once(bytes);
        }
    }
    let _ = testing::sniff(crate::qrecon_descriptor(), name, bytes);
}

#[test]
fn the_csv_sample_cut_at_every_offset() {
    let bytes = CSV.as_bytes();
    for end in 0..=bytes.len() {
        check("w.csv", &bytes[..end]);
    }
}

#[test]
fn the_xlsx_sample_cut_at_some_offsets() {
    for end in (0..XLSX.len()).step_by(997).chain([XLSX.len() - 1]) {
        check("w.xlsx", &XLSX[..end]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600), zip in any::<bool>()) {
        let mut bytes = bytes;
        if zip {
            bytes.splice(0..0, *b"PK\x03\x04");
        }
        check("w.xlsx", &bytes);
    }

    #[test]
    fn the_csv_sample_with_bytes_changed(
        changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
    ) {
        let mut bytes = CSV.as_bytes().to_vec();
        for (at, value) in changes {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        check("w.csv", &bytes);
    }

    #[test]
    fn random_rows_after_a_real_header(rows in proptest::collection::vec("[支出收入/,0-9.:\\- \t¥￥\"a-z]{0,80}", 0..20)) {
        let mut text = format!("{HEADER}\n");
        for row in rows {
            text.push_str(&row);
            text.push('\n');
        }
        check("w.csv", text.as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn the_xlsx_sample_with_bytes_changed(
        changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let mut bytes = XLSX.to_vec();
        for (at, value) in changes {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        check("w.xlsx", &bytes);
    }
}
