//! # qrecon rules
//!
//! Operators change how qrecon diagnoses payments by editing Rhai files under `rules/`. This
//! crate reads them: one rule per `.rhai` file, a header in the file's leading `//!` lines
//! (YAML: id, title, scope, priority, severity, codes, when; then `---` and the rule's doc with
//! the sections *What it checks*, *Why it matters*, *Example*, *What to do*), and the script
//! after it, compiled once in a sandboxed engine ([`sandbox`]). Errors name `path:line:col`
//! and show the offending line with a caret.
//!
//! No IO: the host reads the files and hands over `(path, text)` pairs.

pub mod alert;
pub mod error;
pub mod eval;
pub mod fixture;
pub mod group;
pub mod header;
pub mod pack;
pub mod rule;
pub mod sandbox;
pub mod template;
pub mod view;

pub use alert::{Alert, GroupFailure};
pub use error::RuleError;
pub use header::{Header, Mark, Scope, When};
pub use pack::{Pack, RuleFailure, RuleStats, Stats, Traced, Verdict};
pub use rule::{Rule, RuleSet};
