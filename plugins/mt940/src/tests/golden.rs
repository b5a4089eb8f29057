//! Golden files: `fixtures/<sample>.golden.tsv` holds, for each sample, one line per record,
//! quarantined line, warning and skipped line, compared exactly. The values in them were
//! checked against the sample files by hand (see `fixtures/README.md`); the spot checks in
//! [`super::cases`] pin the important ones in code as well.
//!
//! To regenerate after a deliberate change: `MT940_BLESS=1 cargo test -p
//! qrecon-adapter-mt940 golden` — then read the diff.
//!
//! Format (tab-separated, `\t` and `\n` inside values written as `\\t` and `\\n`):
//! - `R line type amount currency value_date status status_raw account bank_ref counterparty memo extra`
//!   where `extra` is `key=value` pairs joined with ` | `;
//! - `Q line field reason raw`; `W line reason`; `S line reason`.

use std::fmt::Write as _;

use qrecon_adapter_sdk::decode::OwnedRecord;
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;

use super::{SAMPLES, parse};

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

fn opt(s: Option<&str>) -> String {
    s.map(esc).unwrap_or_default()
}

fn record_line(r: &OwnedRecord) -> String {
    let extra: Vec<String> = r
        .extra
        .iter()
        .map(|(k, v)| format!("{k}={}", esc(v)))
        .collect();
    [
        "R".to_owned(),
        r.line.to_string(),
        r.record_type.clone(),
        r.amount.to_string(),
        r.currency.clone(),
        r.value_date.map(|d| d.to_string()).unwrap_or_default(),
        r.status.as_str().to_owned(),
        opt(r.status_raw.as_deref()),
        opt(r.id("account")),
        opt(r.id("bank_ref")),
        opt(r.party("counterparty")),
        opt(r.party("memo")),
        extra.join(" | "),
    ]
    .join("\t")
}

/// The golden text of a parse.
pub(crate) fn golden_text(parsed: &Parsed) -> String {
    let mut out = String::new();
    for r in &parsed.records {
        let _ = writeln!(out, "{}", record_line(r));
    }
    for outcome in [Outcome::Quarantined, Outcome::Warning, Outcome::Skipped] {
        for i in parsed.issues_of(outcome) {
            let line = match outcome {
                Outcome::Quarantined => format!(
                    "Q\t{}\t{}\t{}\t{}",
                    i.line,
                    opt(i.field.as_deref()),
                    esc(&i.reason),
                    opt(i.raw.as_deref())
                ),
                Outcome::Warning => format!("W\t{}\t{}", i.line, esc(&i.reason)),
                Outcome::Skipped => format!("S\t{}\t{}", i.line, esc(&i.reason)),
            };
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

fn golden_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(format!("{name}.golden.tsv"))
}

#[test]
fn every_sample_matches_its_golden_file() {
    let bless = std::env::var_os("MT940_BLESS").is_some();
    let mut failed = Vec::new();
    for (name, bytes) in SAMPLES {
        let text = golden_text(&parse(name, bytes));
        let path = golden_path(name);
        if bless {
            std::fs::write(&path, &text).expect("write golden");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != text {
            eprintln!("--- {name}: expected (golden)\n{expected}\n--- {name}: got\n{text}");
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "golden files differ: {failed:?} (see stderr)"
    );
}

#[test]
fn every_golden_file_belongs_to_a_sample() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for entry in std::fs::read_dir(dir).expect("fixtures dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if let Some(sample) = name.strip_suffix(".golden.tsv") {
            assert!(
                SAMPLES.iter().any(|(n, _)| *n == sample),
                "orphaned golden file {name}"
            );
        }
    }
}
