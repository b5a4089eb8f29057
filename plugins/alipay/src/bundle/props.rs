//! Property tests of the zip path: random bytes after a zip signature, bundles cut short at
//! random offsets, and bundles with random bytes changed never panic, and a parse that
//! succeeds reports lines 1..=n exactly once (records + quarantined + skipped = rows read).
//! The plain samples cut at every offset are checked the same way, line for line.

use proptest::prelude::*;
use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_OK};
use qrecon_adapter_sdk::testing;

use crate::testkit::{Name, fixture, zip_of};

const NAME: &str = "20880211096256330156_20261109.csv.zip";

/// Sniffs and parses `bytes`: the parse must succeed or refuse the file, and one that
/// succeeds must report every line it numbered exactly once.
fn check(bytes: &[u8]) {
    let d = crate::qrecon_descriptor();
    let _ = testing::sniff(d, NAME, bytes);
    let parsed = testing::parse(d, NAME, bytes);
    assert!(
        parsed.status == STATUS_OK || parsed.status == STATUS_FILE_ERROR,
        "status {} ({:?})",
        parsed.status,
        parsed.message
    );
    if parsed.status == STATUS_OK {
        parsed.assert_lines_once(parsed.rows_read);
    }
}

/// The bundles the properties start from: a trade bundle (summary first) and an account one.
fn bundles() -> Vec<Vec<u8>> {
    vec![
        zip_of(&[
            (
                Name::Gbk("20880211096256330156_20261109_业务明细(汇总).csv"),
                &fixture("trade_20880211096256330156_20261109_summary.csv"),
            ),
            (
                Name::Gbk("20880211096256330156_20261109_业务明细.csv"),
                &fixture("trade_20880211096256330156_20261109.csv"),
            ),
        ]),
        zip_of(&[
            (
                Name::Gbk("20880211096256330156_20261109_账务明细.csv"),
                &fixture("account_20880211096256330156_20261109.csv"),
            ),
            (
                Name::Gbk("20880211096256330156_20261109_账务明细(汇总).csv"),
                &fixture("account_20880211096256330156_20261109_summary.csv"),
            ),
        ]),
    ]
}

#[test]
fn plain_samples_cut_at_every_offset() {
    for name in [
        "trade_20880211096256330156_20261109.csv",
        "account_20880211096256330156_20261110_reordered.csv",
    ] {
        let sample = fixture(name);
        for end in 0..=sample.len() {
            let parsed = testing::parse(crate::qrecon_descriptor(), name, &sample[..end]);
            assert!(parsed.status == STATUS_OK || parsed.status == STATUS_FILE_ERROR);
            if parsed.status == STATUS_OK {
                parsed.assert_every_line_once(&sample[..end]);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_after_a_zip_signature(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend(bytes);
        check(&zip);
    }

    #[test]
    fn bundles_cut_short(which in 0usize..2, at in any::<prop::sample::Index>()) {
        let bundle = bundles().swap_remove(which);
        let end = at.index(bundle.len() + 1);
        check(&bundle[..end]);
    }

    #[test]
    fn bundles_with_bytes_changed(
        which in 0usize..2,
        changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bundle = bundles().swap_remove(which);
        for (at, value) in changes {
            let i = at.index(bundle.len());
            bundle[i] = value;
        }
        check(&bundle);
    }

    #[test]
    fn bundles_of_changed_files(
        changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        summary_first in any::<bool>(),
    ) {
        let mut detail = fixture("trade_20880211096256330156_20261109.csv");
        for (at, value) in changes {
            let i = at.index(detail.len());
            detail[i] = value;
        }
        let summary = fixture("trade_20880211096256330156_20261109_summary.csv");
        let mut entries = vec![
            (Name::Gbk("20880211096256330156_20261109_业务明细.csv"), detail.as_slice()),
            (Name::Gbk("20880211096256330156_20261109_业务明细(汇总).csv"), summary.as_slice()),
        ];
        if summary_first {
            entries.reverse();
        }
        check(&zip_of(&entries));
    }
}
