//! Test helpers shared by both formats' tests (the SDK's harness does the checking).

use qrecon_adapter_sdk::decode::{OwnedIssue, OwnedRecord};
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, testing};

pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).expect("fixture exists")
}

/// A GBK fixture re-encoded as UTF-8.
pub(crate) fn utf8(bytes: &[u8]) -> String {
    let (text, _, malformed) = encoding_rs::GBK.decode(bytes);
    assert!(!malformed, "the fixture is GBK");
    text.into_owned()
}

pub(crate) fn parse(name: &str, bytes: &[u8]) -> Parsed {
    testing::parse(crate::qrecon_descriptor(), name, bytes)
}

pub(crate) fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("decimal")
}

pub(crate) fn issues(p: &Parsed, outcome: Outcome) -> Vec<&OwnedIssue> {
    p.issues_of(outcome)
}

/// Lines skipped for `reason`.
pub(crate) fn skipped(p: &Parsed, reason: &str) -> Vec<u64> {
    p.issues_of(Outcome::Skipped)
        .iter()
        .filter(|i| i.reason == reason)
        .map(|i| i.line)
        .collect()
}

pub(crate) fn assert_accounted(p: &Parsed, bytes: &[u8]) {
    p.assert_every_line_once(bytes);
}

pub(crate) fn at_line(p: &Parsed, line: u64) -> &OwnedRecord {
    p.record_at(line)
}

pub(crate) fn extra<'a>(r: &'a OwnedRecord, key: &str) -> Option<&'a str> {
    r.extra_value(key)
}

/// An entry's name as a bundle writes it.
#[derive(Clone, Copy)]
pub(crate) enum Name<'a> {
    /// GBK without the UTF-8 flag, as Alipay writes names.
    Gbk(&'a str),
    /// UTF-8 with the flag (bit 11) set.
    Utf8(&'a str),
}

/// A zip holding `entries` (name, contents) in that order, deflated. GBK names are written as
/// ASCII placeholders of the same length (so the writer sets no flag), then patched in.
pub(crate) fn zip_of(entries: &[(Name<'_>, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut patches = Vec::new();
    for (i, (name, bytes)) in entries.iter().enumerate() {
        let written = match name {
            Name::Utf8(n) => (*n).to_owned(),
            Name::Gbk(n) => {
                let raw = encoding_rs::GBK.encode(n).0.into_owned();
                let mut placeholder = format!("@{i}@");
                while placeholder.len() < raw.len() {
                    placeholder.push('_');
                }
                assert_eq!(placeholder.len(), raw.len(), "{n} is long enough");
                patches.push((placeholder.clone(), raw));
                placeholder
            }
        };
        writer.start_file(written, options).expect("start an entry");
        writer.write_all(bytes).expect("write an entry");
    }
    let mut zip = writer.finish().expect("finish the zip").into_inner();
    for (placeholder, raw) in patches {
        assert_eq!(
            replace_all(&mut zip, placeholder.as_bytes(), &raw),
            2,
            "local + central"
        );
    }
    zip
}

/// Replaces every `from` in `bytes` with `to` (of the same length); returns how many.
pub(crate) fn replace_all(bytes: &mut [u8], from: &[u8], to: &[u8]) -> usize {
    assert_eq!(from.len(), to.len());
    let mut n = 0;
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            n += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    n
}

/// The number of lines of a file, as the adapter numbers them.
pub(crate) fn line_count(bytes: &[u8]) -> u64 {
    qrecon_adapter_sdk::text::lines(&qrecon_adapter_sdk::text::decode(bytes)).count() as u64
}
