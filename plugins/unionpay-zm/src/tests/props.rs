//! Property tests: random bytes, the samples cut at every offset, the samples with bytes
//! changed, and random lines of ZM lengths never panic, and every line is reported once.

use proptest::prelude::*;
use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_OK};
use qrecon_adapter_sdk::testing;

use super::samples;

/// Parses `bytes` as `name`: the parse succeeds or refuses the file, and a successful one
/// reports every line once (records + quarantined + skipped = lines read).
fn check(name: &str, bytes: &[u8]) {
    let parsed = testing::parse(crate::qrecon_descriptor(), name, bytes);
    assert!(
        parsed.status == STATUS_OK || parsed.status == STATUS_FILE_ERROR,
        "status {} ({:?})",
        parsed.status,
        parsed.message
    );
    if parsed.status == STATUS_OK {
        parsed.assert_every_line_once(bytes);
    }
    let _ = testing::sniff(crate::qrecon_descriptor(), name, bytes);
}

#[test]
fn sample_a_cut_at_every_offset() {
    let a = samples::a();
    for end in 0..=a.len() {
        check(samples::A, &a[..end]);
    }
}

#[test]
fn samples_cut_at_many_offsets_named_or_not() {
    for (name, bytes) in samples::all() {
        for end in (0..=bytes.len()).step_by(7) {
            check(name, &bytes[..end]);
            check("renamed.txt", &bytes[..end]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..1400), named in any::<bool>()) {
        check(if named { samples::A } else { "x.txt" }, &bytes);
    }

    #[test]
    fn samples_with_bytes_changed(
        which in 0usize..3,
        changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
    ) {
        let (name, mut bytes) = samples::all().swap_remove(which);
        for (at, value) in changes {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        check(name, &bytes);
        check("renamed.txt", &bytes);
    }

    #[test]
    fn random_lines_of_zm_lengths(
        lines in proptest::collection::vec(
            proptest::collection::vec(
                prop::sample::select(vec![b' ', b'0', b'9', b'S', b'C', b'D', b'-', b'+', 0xD6, 0xD0, b'\r']),
                300..612,
            ),
            0..6,
        ),
        named in any::<bool>(),
    ) {
        let mut bytes = Vec::new();
        for line in lines {
            bytes.extend_from_slice(b"S22 ");
            bytes.extend_from_slice(&line);
            bytes.push(b'\n');
        }
        check(if named { samples::A } else { "x.txt" }, &bytes);
    }
}
