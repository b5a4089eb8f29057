//! Property tests: random bytes, truncated samples and samples with bytes changed never make
//! the adapter panic, and whenever a file is read its rows add up: every sheet row
//! `1..=rows_read` is reported exactly once, as a record, quarantined or skipped.

use proptest::prelude::*;
use proptest::sample::Index;
use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_OK};
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::testing;

use super::SAMPLES;
use crate::workbook::{OLE2_MAGIC, ZIP_MAGIC};

/// Parses and sniffs `bytes`; asserts no panic and consistent counts.
fn check(name: &str, bytes: &[u8]) {
    let score = testing::sniff(crate::qrecon_descriptor(), name, bytes);
    assert!(score <= 100);
    let parsed = testing::parse(crate::qrecon_descriptor(), name, bytes);
    assert!(
        parsed.status == STATUS_OK || parsed.status == STATUS_FILE_ERROR,
        "{name}: status {} ({:?})",
        parsed.status,
        parsed.message
    );
    if parsed.status == STATUS_OK {
        let quarantined = parsed.issues_of(Outcome::Quarantined).len();
        let skipped = parsed.issues_of(Outcome::Skipped).len();
        let reported = u64::try_from(parsed.records.len() + quarantined + skipped).unwrap_or(0);
        assert_eq!(reported, parsed.rows_read, "{name}");
        parsed.assert_lines_once(parsed.rows_read);
    }
}

fn sample(which: usize) -> (&'static str, &'static [u8]) {
    SAMPLES[which % SAMPLES.len()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(magic in 0..3usize, body in prop::collection::vec(any::<u8>(), 0..1024)) {
        let prefix: &[u8] = match magic {
            0 => OLE2_MAGIC,
            1 => ZIP_MAGIC,
            _ => b"",
        };
        check("交易明细.xls", &[prefix, &body].concat());
    }

    #[test]
    fn truncated_samples_never_panic(which in 0..4usize, cut in any::<Index>()) {
        let (name, bytes) = sample(which);
        check(name, &bytes[..cut.index(bytes.len() + 1)]);
    }

    #[test]
    fn samples_with_bytes_changed_never_panic(
        which in 0..4usize,
        changes in prop::collection::vec((any::<Index>(), any::<u8>()), 1..6),
    ) {
        let (name, bytes) = sample(which);
        let mut bytes = bytes.to_vec();
        for (at, value) in changes {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        check(name, &bytes);
    }
}

#[test]
fn samples_cut_at_evenly_spread_offsets_never_panic() {
    for (name, bytes) in SAMPLES {
        for cut in (0..bytes.len()).step_by(bytes.len() / 64 + 1) {
            check(name, &bytes[..cut]);
        }
    }
}

#[test]
fn every_byte_of_the_ccb_workbook_stream_changed_in_turn_never_panics() {
    // The BIFF records (cells, strings, dimensions) of the sample sit between the style
    // tables and the directory; change each of their bytes in turn.
    let (name, bytes) = SAMPLES[0];
    for i in (11_200..12_500).step_by(3) {
        let mut changed = bytes.to_vec();
        changed[i] ^= 0x5A;
        check(name, &changed);
    }
}
