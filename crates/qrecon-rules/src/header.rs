//! The header of a rule file: its leading `//!` lines. YAML fields first, then a line `---`,
//! then the rule's documentation in Markdown with four sections.
//!
//! ```text
//! //! id: settlement-pending
//! //! title: Paid; the payout is not yet due
//! //! scope: case
//! //! priority: 130
//! //! severity: info
//! //! codes: [SETTLEMENT_PENDING]
//! //! when: { has: [txn], lacks: [payout, bank] }
//! //! ---
//! //! ## What it checks
//! //! …
//! ```

use serde::Deserialize;

use crate::error::RuleError;

/// What a rule looks at.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// One case (a payment or a claim).
    Case,
    /// One provider account over a window.
    Account,
    /// One payer over a window.
    Payer,
    /// One payee named in claims.
    Payee,
    /// One provider.
    Provider,
}

/// How serious a rule's verdicts are.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Nothing to do.
    Info,
    /// Look at it.
    Warn,
    /// Money missing or at risk.
    Critical,
}

/// A link of the chain a case may have.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Link {
    /// The case has a claim.
    Claim,
    /// A platform payment.
    Txn,
    /// A refund.
    Refund,
    /// A settled-income fund line.
    Fund,
    /// A payout that carried the money.
    Payout,
    /// A bank credit.
    Bank,
}

/// Which cases a rule can fire on, so the engine calls it only for those.
#[derive(Deserialize, Debug, Clone, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// Links the case must have.
    #[serde(default)]
    pub has: Vec<Link>,
    /// Links the case must not have.
    #[serde(default)]
    pub lacks: Vec<Link>,
    /// Providers it applies to (all when empty).
    #[serde(default)]
    pub providers: Vec<String>,
}

/// The YAML fields of a header.
#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Unique id; the file is named after it.
    pub id: String,
    /// One line.
    pub title: String,
    /// What it looks at.
    pub scope: Scope,
    /// Lower is more important; a case's status is its most important finding.
    pub priority: u32,
    /// Severity of its verdicts.
    pub severity: Severity,
    /// The codes it may emit.
    pub codes: Vec<String>,
    /// Which cases it can fire on.
    #[serde(default)]
    pub when: When,
}

/// The sections every rule's doc has.
pub const SECTIONS: [&str; 4] = [
    "## What it checks",
    "## Why it matters",
    "## Example",
    "## What to do",
];

/// A parsed header and the doc below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The fields.
    pub header: Header,
    /// The Markdown doc.
    pub doc: String,
}

/// Reads the header of the rule file `path` with contents `text`.
pub fn parse(path: &str, text: &str) -> Result<Parsed, RuleError> {
    let mut yaml = String::new();
    let mut doc = String::new();
    let mut prefixes = Vec::new();
    let mut in_doc = false;
    let mut doc_line = None;
    for (i, line) in text.lines().enumerate() {
        let Some(rest) = line.strip_prefix("//!") else {
            break;
        };
        let body = rest.strip_prefix(' ').unwrap_or(rest);
        if !in_doc && body.trim() == "---" {
            in_doc = true;
            doc_line = Some(i + 1);
            continue;
        }
        if in_doc {
            doc.push_str(body);
            doc.push('\n');
        } else {
            prefixes.push(line.len() - body.len());
            yaml.push_str(body);
            yaml.push('\n');
        }
    }
    if prefixes.is_empty() {
        return Err(RuleError::at(
            path,
            text,
            Some(1),
            Some(1),
            "a rule starts with its header: `//! id: …` lines, then `//! ---` and its doc",
        ));
    }
    let header: Header = serde_yaml::from_str(&yaml).map_err(|e| {
        let (line, column) = e.location().map_or((Some(1), None), |l| {
            let prefix = prefixes
                .get(l.line().saturating_sub(1))
                .copied()
                .unwrap_or(4);
            (Some(l.line()), Some(l.column() + prefix))
        });
        let message = e.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        RuleError::at(path, text, line, column, format!("rule header: {message}"))
    })?;
    let Some(doc_line) = doc_line else {
        return Err(RuleError::at(
            path,
            text,
            Some(prefixes.len() + 1),
            None,
            "the header's fields end with `//! ---`, followed by the rule's doc",
        ));
    };
    for section in SECTIONS {
        if !doc.lines().any(|l| l.trim() == section) {
            return Err(RuleError::at(
                path,
                text,
                Some(doc_line),
                None,
                format!("the rule's doc lacks the section `{section}`"),
            ));
        }
    }
    validate(path, text, &header)?;
    Ok(Parsed { header, doc })
}

fn validate(path: &str, text: &str, h: &Header) -> Result<(), RuleError> {
    let at = |key: &str, message: String| {
        let line = text
            .lines()
            .position(|l| l.starts_with("//!") && l.contains(&format!("{key}:")))
            .map(|i| i + 1);
        RuleError::at(path, text, line, None, message)
    };
    let stem = std::path::Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if h.id != stem {
        return Err(at(
            "id",
            format!(
                "the rule id {:?} must be the file's name ({stem}.rhai)",
                h.id
            ),
        ));
    }
    if !h
        .id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(at(
            "id",
            format!(
                "a rule id is lower-case letters, digits and dashes, found {:?}",
                h.id
            ),
        ));
    }
    if h.codes.is_empty() {
        return Err(at("codes", "a rule lists the codes it may emit".to_owned()));
    }
    if let Some(bad) = h.codes.iter().find(|c| {
        c.is_empty()
            || !c
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    }) {
        return Err(at(
            "codes",
            format!("codes are UPPER_SNAKE_CASE, found {bad:?}"),
        ));
    }
    Ok(())
}
