//! Helpers the payer-bill adapters' tests share (the `testing` feature): parse through the
//! real C-ABI glue, read a parse's issues, render it as golden text and check it against a
//! golden file, and find the workspace's other samples (which a payer-bill adapter must not
//! claim).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use qrecon_adapter_sdk::Decimal;
use qrecon_adapter_sdk::abi::{PluginDescriptor, STATUS_OK};
use qrecon_adapter_sdk::decode::OwnedRecord;
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::{Outcome, PARTY_COLUMNS, STRING_COLUMNS};
use qrecon_adapter_sdk::testing;

/// Parses `bytes` as the host would.
///
/// # Panics
/// When the parse does not succeed.
pub fn parse(descriptor: &'static PluginDescriptor, path: &str, bytes: &[u8]) -> Parsed {
    let parsed = testing::parse(descriptor, path, bytes);
    assert_eq!(parsed.status, STATUS_OK, "{:?}", parsed.message);
    parsed
}

/// An exact decimal.
///
/// # Panics
/// When `s` is not one.
pub fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("test decimal")
}

/// The reason of the skipped line `line`.
///
/// # Panics
/// When the line is not skipped.
pub fn skip_reason(parsed: &Parsed, line: u64) -> &str {
    parsed
        .issues
        .iter()
        .find(|i| i.line == line && i.outcome == Outcome::Skipped)
        .map_or_else(
            || panic!("line {line} is not skipped"),
            |i| i.reason.as_str(),
        )
}

/// The warnings as (line, text).
pub fn warnings(parsed: &Parsed) -> Vec<(u64, &str)> {
    parsed
        .issues_of(Outcome::Warning)
        .into_iter()
        .map(|i| (i.line, i.reason.as_str()))
        .collect()
}

/// Whether some warning on `line` contains every one of `parts`.
pub fn warned(parsed: &Parsed, line: u64, parts: &[&str]) -> bool {
    warnings(parsed)
        .iter()
        .any(|(l, w)| *l == line && parts.iter().all(|p| w.contains(p)))
}

/// The quarantined rows as (line, field).
pub fn quarantined(parsed: &Parsed) -> Vec<(u64, Option<&str>)> {
    parsed
        .issues_of(Outcome::Quarantined)
        .into_iter()
        .map(|i| (i.line, i.field.as_deref()))
        .collect()
}

/// A record's value in a golden file's column `column` (see [`golden_text`]).
fn golden_value(r: &OwnedRecord, column: &str) -> String {
    let o = |v: Option<&str>| v.unwrap_or("").to_owned();
    match column {
        "line" => r.line.to_string(),
        "time" => r.time.map(|t| t.to_string()).unwrap_or_default(),
        "utc_offset" => r.utc_offset_secs.map(|s| s.to_string()).unwrap_or_default(),
        "amount" => r.amount.to_string(),
        "currency" => r.currency.clone(),
        "status" => r.status.as_str().to_owned(),
        "status_raw" => o(r.status_raw.as_deref()),
        "extra" => {
            let extra: Vec<String> = r.extra.iter().map(|(k, v)| format!("{k}={v}")).collect();
            extra.join("; ")
        }
        id if STRING_COLUMNS.contains(&id) => o(r.id(id)),
        party if PARTY_COLUMNS.contains(&party) => o(r.party(party)),
        other => panic!("no golden column {other}"),
    }
}

/// A parse as golden text: a line naming the record `columns`, then one line per record,
/// then one per issue, in report order.
///
/// # Panics
/// For a column it does not know: `line`, `time`, `utc_offset`, `amount`, `currency`,
/// `status`, `status_raw` and `extra` (`k=v; …`) are known, and the schema's id and party
/// columns (`claim_id`, `payee_name`, …).
pub fn golden_text(parsed: &Parsed, columns: &[&str]) -> String {
    let mut text = format!(
        "# record\t{}\n# skipped|quarantined|warning\tline\t[field\t]reason\n",
        columns.join("\t")
    );
    for r in &parsed.records {
        let values: Vec<String> = columns.iter().map(|c| golden_value(r, c)).collect();
        let _ = writeln!(text, "record\t{}", values.join("\t"));
    }
    for i in &parsed.issues {
        let _ = match i.outcome {
            Outcome::Quarantined => writeln!(
                text,
                "quarantined\t{}\t{}\t{}",
                i.line,
                i.field.as_deref().unwrap_or(""),
                i.reason
            ),
            other => writeln!(text, "{}\t{}\t{}", other.as_str(), i.line, i.reason),
        };
    }
    text
}

/// `<manifest_dir>/fixtures/<sample without its extension>.golden.tsv`.
pub fn golden_path(manifest_dir: &str, sample: &str) -> String {
    let stem = sample.rsplit_once('.').map_or(sample, |(stem, _)| stem);
    format!("{manifest_dir}/fixtures/{stem}.golden.tsv")
}

/// Checks `text` against the golden file at `path`; with `QRECON_BLESS` set, rewrites the
/// file instead.
///
/// # Panics
/// When they differ, or the file cannot be read (or written).
pub fn assert_golden(path: &str, text: &str, sample: &str) {
    if std::env::var_os("QRECON_BLESS").is_some() {
        std::fs::write(path, text).expect("write the golden file");
        return;
    }
    let golden = std::fs::read_to_string(path).expect("the golden file");
    assert_eq!(text, golden, "{sample} against {path}");
}

/// Every file under `dir` (recursively), sorted; none when it cannot be read.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Whether `path` is a README, format notes or a golden file: not an export.
fn is_doc(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    [".md", ".golden.tsv"].iter().any(|end| name.ends_with(end))
}

/// The samples of the workspace at `root` that are not the adapter's own: the plugins'
/// fixtures, the example exports, and the shared fixtures beside the repository when they
/// are there — without those under `plugin` (`plugins/<name>`) or in a folder named `mine`
/// (the adapter's folder of shared fixtures), and without docs (READMEs, format notes,
/// golden files).
pub fn other_samples(root: &Path, plugin: &str, mine: &str) -> Vec<PathBuf> {
    let own = |p: &Path| {
        p.starts_with(root.join(plugin)) || p.components().any(|c| c.as_os_str() == mine)
    };
    let fixtures = |p: &Path| p.components().any(|c| c.as_os_str() == "fixtures");
    files(&root.join("plugins"))
        .into_iter()
        .filter(|p| fixtures(p))
        .chain(files(&root.join("examples/exports")))
        .chain(files(&root.join("../shared/fixtures")))
        .filter(|p| !own(p) && !is_doc(p))
        .collect()
}

/// Asserts `sniff` scores 0 for each of the [`other_samples`] (which must be more than 10),
/// given its first 8 KiB and its file name as the host sniffs.
///
/// # Panics
/// When one scores above 0, there are too few, or one cannot be read.
pub fn assert_other_samples_score_zero(
    root: &Path,
    plugin: &str,
    mine: &str,
    sniff: impl Fn(&str, &[u8]) -> u8,
) {
    let others = other_samples(root, plugin, mine);
    assert!(others.len() > 10, "found the other samples: {others:?}");
    for path in others {
        let bytes = std::fs::read(&path).expect("read a sample");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let head = &bytes[..bytes.len().min(8 * 1024)];
        assert_eq!(sniff(name, head), 0, "{}", path.display());
    }
}
