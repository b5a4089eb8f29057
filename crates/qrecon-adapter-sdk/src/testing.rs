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
