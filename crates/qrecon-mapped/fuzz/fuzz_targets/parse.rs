//! Fuzzes mapped adapters: the input is sniffed and parsed with each example mapping of
//! `examples/mappings/`, in process as the host runs mappings; a panic, a hang or a line
//! reported twice or not at all is a finding.
//!
//! Run with `cargo fuzz run parse` from `crates/qrecon-mapped/` (nightly); seed the corpus
//! with `crates/qrecon-mapped/fixtures/*.csv`.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use qrecon_adapter_sdk::decode::{decode_issues, decode_records};
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Emitter, Input, text};
use qrecon_mapped::Mapping;

/// The example mappings the project ships.
const MAPPINGS: [&str; 3] = [
    include_str!("../../../../examples/mappings/hsbchk-debit.qrecon-map.yaml"),
    include_str!("../../../../examples/mappings/hsbchk-credit.qrecon-map.yaml"),
    include_str!("../../../../examples/mappings/td-chequing.qrecon-map.yaml"),
];

static PARSED: LazyLock<Vec<Mapping>> = LazyLock::new(|| {
    MAPPINGS
        .iter()
        .map(|yaml| Mapping::from_yaml(yaml).expect("an example mapping is valid"))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    // The example mappings read UTF-8 (invalid sequences replaced), so this is their lines.
    let lines = text::lines(&String::from_utf8_lossy(data)).count() as u64;
    for mapping in PARSED.iter() {
        let _ = mapping.sniff("fuzz.csv", data);
        let mut out = Emitter::new(0);
        let input = Input {
            path: "fuzz.csv",
            bytes: data,
        };
        if let Err(e) = mapping.parse(&input, &mut out) {
            assert!(!e.message.is_empty(), "a refused file says why");
            continue;
        }
        let emitted = out.finish().expect("batches");
        let mut seen: Vec<u64> = Vec::new();
        for batch in &emitted.records {
            let records = decode_records(batch).expect("records decode");
            seen.extend(records.iter().map(|r| r.line));
        }
        let issues = decode_issues(&emitted.issues).expect("issues decode");
        seen.extend(
            issues
                .iter()
                .filter(|i| i.outcome != Outcome::Warning)
                .map(|i| i.line),
        );
        seen.sort_unstable();
        let expected: Vec<u64> = (1..=lines).collect();
        let name = mapping.name();
        assert_eq!(seen, expected, "{name}: every line reported exactly once");
        assert_eq!(emitted.rows_read, lines, "{name}: rows read = lines");
    }
});
