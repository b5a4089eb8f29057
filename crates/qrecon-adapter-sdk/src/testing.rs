//! A test harness for adapter authors: run an adapter through the real C-ABI glue and the
//! Arrow C stream, in process, and get owned rows back.
//!
//! ```ignore
//! let parsed = qrecon_adapter_sdk::testing::parse(crate::qrecon_descriptor(), "x.csv", bytes);
//! assert_eq!(parsed.records.len(), 3);
//! ```

use crate::abi::PluginDescriptor;
use crate::plugin::{Parsed, Plugin};

/// Checks the descriptor exactly as the host does.
///
/// # Panics
/// When the host would refuse the descriptor (the message says why).
pub fn plugin(descriptor: &'static PluginDescriptor) -> Plugin {
    // SAFETY: a descriptor from `export_adapter!` is 'static and well-formed.
    match unsafe { Plugin::check(descriptor) } {
        Ok(p) => p,
        Err(e) => panic!("the host would refuse this adapter: {e}"),
    }
}

/// Parses `bytes` through the adapter's exported glue, as the host would.
pub fn parse(descriptor: &'static PluginDescriptor, path: &str, bytes: &[u8]) -> Parsed {
    plugin(descriptor).parse(path, bytes, 0)
}

/// Sniffs `head` through the adapter's exported glue, as the host would.
///
/// # Panics
/// When the adapter panics while sniffing.
pub fn sniff(descriptor: &'static PluginDescriptor, file_name: &str, head: &[u8]) -> u8 {
    plugin(descriptor)
        .sniff(file_name, head)
        .unwrap_or_else(|e| panic!("{e}"))
}

impl Parsed {
    /// The issues of one outcome, in report order.
    pub fn issues_of(&self, outcome: crate::schema::Outcome) -> Vec<&crate::decode::OwnedIssue> {
        self.issues
            .iter()
            .filter(|i| i.outcome == outcome)
            .collect()
    }

    /// Asserts the adapter reported every line of `bytes` exactly once: rows read = records +
    /// quarantined + skipped = the number of lines, and no line twice.
    ///
    /// # Panics
    /// When a line is missing, reported twice, or the counts disagree.
    pub fn assert_every_line_once(&self, bytes: &[u8]) {
        self.assert_lines_once(crate::text::lines(&crate::text::decode(bytes)).count() as u64);
    }

    /// Asserts lines `1..=lines` were each reported exactly once and `rows_read == lines`.
    ///
    /// # Panics
    /// When a line is missing, reported twice, or the counts disagree.
    pub fn assert_lines_once(&self, lines: u64) {
        use crate::schema::Outcome;
        let mut seen: Vec<u64> = self.records.iter().map(|r| r.line).collect();
        seen.extend(
            self.issues
                .iter()
                .filter(|i| i.outcome != Outcome::Warning)
                .map(|i| i.line),
        );
        seen.sort_unstable();
        let expected: Vec<u64> = (1..=lines).collect();
        assert_eq!(seen, expected, "every line reported exactly once");
        assert_eq!(self.rows_read, lines, "rows read = lines");
    }
}

impl Parsed {
    /// The record parsed from `line`.
    ///
    /// # Panics
    /// When no record comes from that line.
    pub fn record_at(&self, line: u64) -> &crate::decode::OwnedRecord {
        self.records
            .iter()
            .find(|r| r.line == line)
            .unwrap_or_else(|| panic!("no record from line {line}"))
    }
}

/// The golden text of a parse: one line per record and per issue, in line order (records
/// before issues of the same line), each a tab-separated list of `key=value` for every field
/// that has a value. Stable across SDK versions that keep the schema, readable in a diff,
/// and the same whether the adapter ran in process or was loaded from its library.
pub fn golden_text(parsed: &Parsed) -> String {
    use crate::schema::{PARTY_COLUMNS, STRING_COLUMNS};
    let mut rows: Vec<(u64, u8, String)> = Vec::new();
    for r in &parsed.records {
        let mut f = vec![
            format!("{}/{}", r.kind.as_str(), r.record_type),
            format!("provider={}", r.provider),
            format!("amount={}", r.amount),
            format!("currency={}", r.currency),
            format!("status={}", r.status.as_str()),
        ];
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                f.push(format!("{k}={}", escape(&v)));
            }
        };
        push("fee", r.fee.map(|x| x.to_string()));
        push("time", r.time.map(|t| t.to_string()));
        push("utc_offset_secs", r.utc_offset_secs.map(|o| o.to_string()));
        push("value_date", r.value_date.map(|d| d.to_string()));
        push("status_raw", r.status_raw.clone());
        for (k, v) in STRING_COLUMNS.iter().zip(&r.ids) {
            push(k, v.clone());
        }
        for (k, v) in PARTY_COLUMNS.iter().zip(&r.parties) {
            push(k, v.clone());
        }
        for (k, v) in &r.extra {
            push(&format!("extra.{k}"), Some(v.clone()));
        }
        rows.push((r.line, 0, f.join("\t")));
    }
    for i in &parsed.issues {
        let mut f = vec![i.outcome.as_str().to_owned()];
        if let Some(field) = &i.field {
            f.push(format!("field={}", escape(field)));
        }
        f.push(format!("reason={}", escape(&i.reason)));
        rows.push((i.line, 1, f.join("\t")));
    }
    rows.sort_by_key(|(line, order, _)| (*line, *order));
    let mut out = format!(
        "# status={} rows_read={}\n",
        parsed.status, parsed.rows_read
    );
    for (line, _, text) in rows {
        out.push_str(&line.to_string());
        out.push('\t');
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// Tabs and line breaks inside a value, written so each row stays one line.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// Compares a parse with the golden file at `golden`. With `QRECON_BLESS=1` in the
/// environment the file is written instead — then read its diff against the sample before
/// committing it: a golden file is only as right as the review it had.
///
/// # Panics
/// When the golden file is missing or differs (the message shows the first differing line).
pub fn assert_golden(parsed: &Parsed, golden: &std::path::Path) {
    let actual = golden_text(parsed);
    if std::env::var_os("QRECON_BLESS").is_some() {
        std::fs::write(golden, &actual)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", golden.display()));
        return;
    }
    let expected = std::fs::read_to_string(golden).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); run with QRECON_BLESS=1 to write it",
            golden.display()
        )
    });
    if actual != expected {
        let first = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "{} differs at its line {}:\n  expected: {}\n  actual:   {}",
            golden.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("<end>"),
            actual.lines().nth(first).unwrap_or("<end>")
        );
    }
}

/// The golden file of a sample: `<sample>.golden` beside it.
pub fn golden_path(sample: &std::path::Path) -> std::path::PathBuf {
    let mut name = sample.as_os_str().to_owned();
    name.push(".golden");
    std::path::PathBuf::from(name)
}

/// Runs every sample in `dir` that has a golden file beside it (see [`samples_in`]) through
/// the adapter in process and compares the two. Returns the samples checked, so a test can
/// say how many it expects.
///
/// # Panics
/// When a sample cannot be read or differs from its golden file.
pub fn check_samples(
    descriptor: &'static PluginDescriptor,
    dir: &std::path::Path,
    skip: &[&str],
) -> Vec<std::path::PathBuf> {
    let samples = with_golden(dir, skip);
    for sample in &samples {
        let bytes = std::fs::read(sample)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", sample.display()));
        let name = sample
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        assert_golden(&parse(descriptor, name, &bytes), &golden_path(sample));
    }
    samples
}

/// The samples of a fixture folder, sorted: every file but golden files, READMEs and names
/// ending in one of `skip`.
///
/// # Panics
/// When the folder cannot be listed.
pub fn samples_in(dir: &std::path::Path, skip: &[&str]) -> Vec<std::path::PathBuf> {
    let mut out: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            !name.ends_with(".golden")
                && !name.eq_ignore_ascii_case("README.md")
                && !skip.iter().any(|s| name.ends_with(s))
        })
        .collect();
    out.sort();
    out
}

/// The samples of `dir` that have a golden file.
fn with_golden(dir: &std::path::Path, skip: &[&str]) -> Vec<std::path::PathBuf> {
    samples_in(dir, skip)
        .into_iter()
        .filter(|s| golden_path(s).is_file())
        .collect()
}

/// The same check with the adapter loaded from its built library through libloading, as the
/// host loads it: proves the exported library, not only the crate, reads its samples.
///
/// # Panics
/// When the library is refused, or a sample differs from its golden file.
#[cfg(feature = "loader")]
pub fn check_samples_loaded(
    library: &std::path::Path,
    dir: &std::path::Path,
    skip: &[&str],
) -> Vec<std::path::PathBuf> {
    let plugin = crate::loader::load(library)
        .unwrap_or_else(|r| panic!("{} refused: {}", library.display(), r.reason));
    let samples = with_golden(dir, skip);
    for sample in &samples {
        let bytes = std::fs::read(sample)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", sample.display()));
        let name = sample
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        assert_golden(&plugin.parse(name, &bytes, 0), &golden_path(sample));
    }
    samples
}
