//! The mapping file as written, and its checks. Every mistake is reported with the line of
//! the mapping it is on (when known) and what was expected.

use std::fmt;

use serde::Deserialize;

/// A mapping that cannot be used: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingError {
    /// 1-based line in the mapping's YAML, when known.
    pub line: Option<usize>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl MappingError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            line: None,
            message: message.into(),
        }
    }

    /// The same error placed at the first line of `yaml` that mentions `key`.
    pub(crate) fn near(mut self, yaml: &str, key: &str) -> Self {
        self.line = yaml
            .lines()
            .position(|l| l.contains(key))
            .map(|i| i + 1)
            .or(self.line);
        self
    }
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for MappingError {}

/// The whole mapping file.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct Spec {
    pub name: String,
    #[serde(default)]
    pub kind: KindSpec,
    pub provider: Option<String>,
    pub record_type: Option<String>,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    #[serde(default)]
    pub file_names: Vec<String>,
    pub header: HeaderSpec,
    #[serde(default)]
    pub skip_lines_starting_with: Vec<String>,
    #[serde(default)]
    pub footer_starts_with: Vec<String>,
    pub fields: FieldsSpec,
    #[serde(default)]
    pub numbers: NumbersSpec,
    pub pending: Option<PendingSpec>,
}

/// What the rows are.
#[derive(Deserialize, Debug, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum KindSpec {
    /// Bank statement lines (the default).
    #[default]
    Bank,
    /// Claims: orders, complaints, payers' receipts.
    Claim,
}

/// How the header row is found: a line naming all of `contains`, or none (`columns` names the
/// cells by position).
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct HeaderSpec {
    pub contains: Option<Vec<String>>,
    pub columns: Option<Vec<String>>,
}

/// A text field: one column, several joined by a space, or a fixed value.
#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct TextSpec {
    pub column: Option<String>,
    pub columns: Option<Vec<String>>,
    pub value: Option<String>,
    /// A chrono format (`%d/%m/%Y`), for dates and times.
    pub format: Option<String>,
}

/// How an amount and its sign are given.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct AmountSpec {
    /// A signed amount (or, with `direction`, an unsigned one).
    pub column: Option<String>,
    /// Money in, unsigned (with `debit`).
    pub credit: Option<String>,
    /// Money out, unsigned (with `credit`).
    pub debit: Option<String>,
    pub direction: Option<DirectionSpec>,
    /// The file's sign is the other way round (money out positive).
    #[serde(default)]
    pub negate: bool,
}

/// A column saying which way the money went.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct DirectionSpec {
    pub column: String,
    pub credit: Vec<String>,
    pub debit: Vec<String>,
}

/// Column → record field.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct FieldsSpec {
    pub value_date: Option<TextSpec>,
    pub time: Option<TextSpec>,
    pub amount: AmountSpec,
    pub currency: Option<TextSpec>,
    pub account: Option<TextSpec>,
    pub counterparty: Option<TextSpec>,
    pub memo: Option<TextSpec>,
    pub bank_ref: Option<TextSpec>,
    pub claim_id: Option<TextSpec>,
    pub order_id: Option<TextSpec>,
    pub txn_id: Option<TextSpec>,
    pub payee_id: Option<TextSpec>,
    pub payee_name: Option<TextSpec>,
    pub payer: Option<TextSpec>,
}

/// How numbers are written.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct NumbersSpec {
    #[serde(default = "dot")]
    pub decimal: String,
    /// `""` for none.
    #[serde(default = "comma")]
    pub thousands: String,
}

impl Default for NumbersSpec {
    fn default() -> Self {
        Self {
            decimal: dot(),
            thousands: comma(),
        }
    }
}

fn dot() -> String {
    ".".to_owned()
}

fn comma() -> String {
    ",".to_owned()
}

/// Rows that are not booked yet: skipped, with the reason.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct PendingSpec {
    pub column: String,
    pub values: Vec<String>,
}

/// Reads a mapping, turning YAML errors into positioned [`MappingError`]s.
pub(crate) fn read(yaml: &str) -> Result<Spec, MappingError> {
    serde_yaml::from_str(yaml).map_err(|e| MappingError {
        line: e.location().map(|l| l.line()),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned(),
    })
}

/// Checks one text field: exactly one of `column`, `columns`, `value`; `format` when `dated`.
pub(crate) fn check_text(name: &str, t: &TextSpec, dated: bool) -> Result<(), MappingError> {
    let given = [t.column.is_some(), t.columns.is_some(), t.value.is_some()];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(MappingError::new(format!(
            "fields.{name}: expected exactly one of `column`, `columns` or `value`"
        )));
    }
    if dated && t.format.is_none() {
        return Err(MappingError::new(format!(
            "fields.{name}: expected a `format`, a chrono pattern like \"%d/%m/%Y\""
        )));
    }
    if !dated && t.format.is_some() {
        return Err(MappingError::new(format!(
            "fields.{name}: `format` applies only to value_date and time"
        )));
    }
    Ok(())
}
