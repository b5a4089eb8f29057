//! Property tests: random bytes, random MT940-shaped text, and the samples cut short or with
//! bytes changed never panic or hang, and either refuse the file as a whole or report every
//! line exactly once (records + quarantined + skipped = lines).

use proptest::prelude::*;
use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_OK};
use qrecon_adapter_sdk::testing;

use super::SAMPLES;

/// Parses through the C ABI: no panic, and the counts add up unless the file was refused.
fn check(bytes: &[u8]) {
    let parsed = testing::parse(crate::qrecon_descriptor(), "prop.sta", bytes);
    assert!(
        parsed.status == STATUS_OK || parsed.status == STATUS_FILE_ERROR,
        "status {} ({:?})",
        parsed.status,
        parsed.message
    );
    if parsed.status == STATUS_OK {
        parsed.assert_every_line_once(bytes);
    }
    let _ = testing::sniff(crate::qrecon_descriptor(), "prop.sta", bytes);
}

/// Lines that look like MT940: tags with random content, continuations, envelopes, ends.
fn mt940_line() -> impl Strategy<Value = String> {
    let tag = prop::sample::select(vec![
        ":20:",
        ":21:",
        ":25:",
        ":28C:",
        ":60F:",
        ":60M:",
        ":61:",
        ":86:",
        ":62F:",
        ":62M:",
        ":64:",
        ":13D:",
        ":34F:",
        ":90D:",
        ":90C:",
        ":NS:",
        ":",
        "-",
        "-}",
        "{1:F01X}{2:O940Y}{4:",
        "",
    ]);
    let body = prop::sample::select(vec![
        "C240101EUR1,00",
        "D991231EUR0,",
        "2401020102RC1,00NTRFNONREF//X",
        "240230D5,NMSC",
        "166?00X?20EREF+a?32Name",
        "/EREF/x/NAME/y",
        "a; TNR: 1",
        "EURD0,",
        "1EUR2,30",
        "2401021530+0100",
        "86:tail",
        "ü\u{1}\u{3}",
        "   ",
        "CR",
        "30,00N062NONREF",
    ]);
    (tag, body, "[ -~]{0,12}").prop_map(|(t, b, noise)| format!("{t}{b}{noise}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        check(&bytes);
    }

    #[test]
    fn random_mt940_shaped_text(lines in prop::collection::vec(mt940_line(), 0..40), crlf in any::<bool>()) {
        let end = if crlf { "\r\n" } else { "\n" };
        check(lines.join(end).as_bytes());
    }

    #[test]
    fn samples_cut_short(sample in 0..SAMPLES.len(), at in any::<prop::sample::Index>()) {
        let bytes = SAMPLES[sample].1;
        check(&bytes[..at.index(bytes.len() + 1)]);
    }

    #[test]
    fn samples_with_bytes_changed(
        sample in 0..SAMPLES.len(),
        changes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = SAMPLES[sample].1.to_vec();
        for (at, byte) in changes {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        check(&bytes);
    }
}

#[test]
fn every_sample_cut_at_every_offset() {
    for (_, bytes) in SAMPLES {
        for cut in 0..=bytes.len().min(1200) {
            check(&bytes[..cut]);
        }
    }
}
