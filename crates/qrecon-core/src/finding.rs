//! Findings: a verdict on a case, with the rule that made it and its evidence.

use chrono::NaiveDate;

use crate::record::Source;

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Nothing to do (arrived, still within the cycle).
    Info,
    /// Look at it.
    Warn,
    /// Money is missing or at risk.
    Critical,
}

impl Severity {
    /// Lower-case name as in the outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Critical => "critical",
        }
    }

    /// Parses [`Severity::as_str`]'s output.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "info" => Some(Severity::Info),
            "warn" => Some(Severity::Warn),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

/// One verdict on a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Diagnosis code (`SETTLEMENT_PENDING`, …).
    pub code: &'static str,
    /// The rule that made it.
    pub rule: &'static str,
    /// Priority: lower is more important; a case's status is its first finding's code.
    pub priority: u32,
    /// Severity.
    pub severity: Severity,
    /// What is the matter, in a sentence.
    pub message: String,
    /// What an operator does next.
    pub action: String,
    /// When the money is due, where known.
    pub expected_by: Option<NaiveDate>,
    /// The records it rests on.
    pub evidence: Vec<Source>,
}

/// A `'static` copy of `s`, made once per distinct string (codes and rule names come from a
/// small fixed set per run, so this never grows past it).
///
/// # Panics
/// When the intern table's lock was poisoned by a panic elsewhere.
pub fn intern(s: &str) -> &'static str {
    static TABLE: std::sync::OnceLock<std::sync::Mutex<std::collections::HashSet<&'static str>>> =
        std::sync::OnceLock::new();
    let mut table = TABLE
        .get_or_init(Default::default)
        .lock()
        .expect("intern table");
    if let Some(found) = table.get(s) {
        return found;
    }
    let leaked: &'static str = Box::leak(s.to_owned().into_boxed_str());
    table.insert(leaked);
    leaked
}
