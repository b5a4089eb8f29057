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

impl Scope {
    /// Its name in headers.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Case => "case",
            Scope::Account => "account",
            Scope::Payer => "payer",
            Scope::Payee => "payee",
            Scope::Provider => "provider",
        }
    }
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

/// Something a case has — a link of its chain or a fact about it — for `when: {has, lacks}`.
/// The engine works these out once per case, so dispatch costs no Rhai call.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// A claim.
    Claim,
    /// A platform transaction.
    Txn,
    /// A refund.
    Refund,
    /// A settled-income fund line.
    Fund,
    /// A payout that carried the money.
    Payout,
    /// A bank credit.
    Bank,
    /// The claim cites a transaction an earlier claim already cited.
    Duplicate,
    /// Two or more payments match the claim equally well.
    Ambiguous,
    /// Two or more bank credits match its payout equally well.
    BankAmbiguous,
    /// A freeze line holds its money.
    Freeze,
    /// A payout that carried it came back, and nothing carried it out again.
    Returned,
    /// The account's payouts stopped or shrank while sales went on.
    Stopped,
    /// A successful payment this case owns, not refunded in full: its money should settle.
    Settles,
    /// The date its payout is due by (`expected_payout`) is known.
    PayoutDue,
    /// The date its bank credit is due by (`expected_bank`) is known.
    BankDue,
    /// The date its payout was due by (`expected_payout`) is known and has passed.
    PayoutDuePassed,
    /// The date its bank credit was due by (`expected_bank`) is known and has passed.
    BankDuePassed,
    /// Payer groups: two or more payments or claims; payee groups: two or more payers.
    Several,
    /// Payer groups: a claim no platform payment matched.
    UnmatchedClaim,
    /// Payer groups: a day over the per-payer-day limit, or a payment over the per-payment limit.
    OverLimit,
}

impl Mark {
    /// Every mark, in bit order.
    pub const ALL: [Mark; 20] = [
        Mark::Claim,
        Mark::Txn,
        Mark::Refund,
        Mark::Fund,
        Mark::Payout,
        Mark::Bank,
        Mark::Duplicate,
        Mark::Ambiguous,
        Mark::BankAmbiguous,
        Mark::Freeze,
        Mark::Returned,
        Mark::Stopped,
        Mark::Settles,
        Mark::PayoutDue,
        Mark::BankDue,
        Mark::PayoutDuePassed,
        Mark::BankDuePassed,
        Mark::Several,
        Mark::UnmatchedClaim,
        Mark::OverLimit,
    ];

    /// Its name in headers.
    pub fn name(self) -> &'static str {
        match self {
            Mark::Claim => "claim",
            Mark::Txn => "txn",
            Mark::Refund => "refund",
            Mark::Fund => "fund",
            Mark::Payout => "payout",
            Mark::Bank => "bank",
            Mark::Duplicate => "duplicate",
            Mark::Ambiguous => "ambiguous",
            Mark::BankAmbiguous => "bank_ambiguous",
            Mark::Freeze => "freeze",
            Mark::Returned => "returned",
            Mark::Stopped => "stopped",
            Mark::Settles => "settles",
            Mark::PayoutDue => "payout_due",
            Mark::BankDue => "bank_due",
            Mark::PayoutDuePassed => "payout_due_passed",
            Mark::BankDuePassed => "bank_due_passed",
            Mark::Several => "several",
            Mark::UnmatchedClaim => "unmatched_claim",
            Mark::OverLimit => "over_limit",
        }
    }

    /// Whether a rule of `scope` can use this mark.
    pub fn fits_scope(self, scope: Scope) -> bool {
        match scope {
            Scope::Case => !matches!(self, Mark::Several | Mark::UnmatchedClaim | Mark::OverLimit),
            Scope::Account => matches!(self, Mark::Freeze | Mark::Stopped),
            Scope::Payer => matches!(self, Mark::Several | Mark::UnmatchedClaim | Mark::OverLimit),
            Scope::Payee => matches!(self, Mark::Several),
            Scope::Provider => false,
        }
    }

    /// Its bit in a case's mark set.
    pub fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A platform transaction's status, for `when: {status}`.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TxnStatus {
    /// Done.
    Success,
    /// Unresolved.
    Pending,
    /// Failed or closed.
    Failed,
    /// Revoked.
    Revoked,
    /// Not stated.
    Unknown,
}

impl TxnStatus {
    /// The core status it names.
    pub fn core(self) -> qrecon_core::Status {
        match self {
            TxnStatus::Success => qrecon_core::Status::Success,
            TxnStatus::Pending => qrecon_core::Status::Pending,
            TxnStatus::Failed => qrecon_core::Status::Failed,
            TxnStatus::Revoked => qrecon_core::Status::Revoked,
            TxnStatus::Unknown => qrecon_core::Status::Unknown,
        }
    }
}

/// Which cases a rule can fire on, so the engine calls it only for those. Every condition
/// given must hold; `when` may also be a list of these, any of which will do.
#[derive(Deserialize, Debug, Clone, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// What the case must have.
    #[serde(default)]
    pub has: Vec<Mark>,
    /// What the case must not have.
    #[serde(default)]
    pub lacks: Vec<Mark>,
    /// Statuses its platform transaction may have (any when empty; a case without one fails).
    #[serde(default)]
    pub status: Vec<TxnStatus>,
    /// Providers it applies to (all when empty).
    #[serde(default)]
    pub providers: Vec<String>,
}

/// `when:` as one condition set or a list of alternatives.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<When>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<When>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map {has, lacks, status, providers} or a list of such maps")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            When::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(|w| vec![w])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            Vec::<When>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
        }
    }
    d.deserialize_any(V)
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
    /// Which cases it can fire on: all conditions of one entry, any entry (all when empty).
    #[serde(default, deserialize_with = "one_or_many")]
    pub when: Vec<When>,
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
    if let Some(m) = h
        .when
        .iter()
        .flat_map(|w| w.has.iter().chain(&w.lacks))
        .find(|m| !m.fits_scope(h.scope))
    {
        let usable: Vec<&str> = Mark::ALL
            .iter()
            .filter(|m| m.fits_scope(h.scope))
            .map(|m| m.name())
            .collect();
        return Err(at(
            "when",
            format!(
                "`{}` does not apply to {} rules (they can use: {})",
                m.name(),
                h.scope.as_str(),
                if usable.is_empty() {
                    "none".to_owned()
                } else {
                    usable.join(", ")
                }
            ),
        ));
    }
    if h.scope != Scope::Case && h.when.iter().any(|w| !w.status.is_empty()) {
        return Err(at("when", "`status` applies to case rules only".to_owned()));
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
