//! The document level: find the message element (`BkToCstmrStmt`, `BkToCstmrAcctRpt`,
//! `BkToCstmrDbtCdtNtfctn`) wherever it sits (under `Document`, or inside an envelope), check
//! the namespace in scope, and hand each statement, report or notification to
//! [`crate::statement`]. The group header (`GrpHdr`) is read past: it names the message, not
//! an account.

use qrecon_adapter_sdk::{Emitter, FileError};

use crate::notes::Notes;
use crate::statement;
use crate::xml::{Cursor, Ev, Start};

/// Which of the three bank-to-customer messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// camt.052 account report (`BkToCstmrAcctRpt/Rpt`).
    Report,
    /// camt.053 statement (`BkToCstmrStmt/Stmt`).
    Statement,
    /// camt.054 debit/credit notification (`BkToCstmrDbtCdtNtfctn/Ntfctn`).
    Notification,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Report, Kind::Statement, Kind::Notification];

    /// The message element of this kind.
    pub(crate) fn message_element(self) -> &'static str {
        match self {
            Kind::Report => "BkToCstmrAcctRpt",
            Kind::Statement => "BkToCstmrStmt",
            Kind::Notification => "BkToCstmrDbtCdtNtfctn",
        }
    }

    /// The element of one statement, report or notification.
    pub(crate) fn statement_element(self) -> &'static str {
        match self {
            Kind::Report => "Rpt",
            Kind::Statement => "Stmt",
            Kind::Notification => "Ntfctn",
        }
    }

    /// What the messages call one of their statements, for skip reasons and warnings.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Kind::Report => "report",
            Kind::Statement => "statement",
            Kind::Notification => "notification",
        }
    }

    /// `52`, `53` or `54`.
    fn number(self) -> u8 {
        match self {
            Kind::Report => 52,
            Kind::Statement => 53,
            Kind::Notification => 54,
        }
    }

    fn of_message(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.message_element() == name)
    }

    fn of_statement(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.statement_element() == name)
    }
}

/// The camt versions this adapter was written against (`camt.05N.001.02` to `.08`).
const KNOWN_VERSIONS: std::ops::RangeInclusive<u8> = 2..=8;

/// The namespace prefix every camt version shares.
const NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:camt.";

/// Reads every message in the document.
pub(crate) fn read(text: &str, out: &mut Emitter) -> Result<(), FileError> {
    let mut cursor = Cursor::new(text);
    let mut notes = Notes::default();
    // The camt namespace in scope of each open element (outside the messages).
    let mut scope: Vec<Option<String>> = Vec::new();
    let mut messages = 0u32;
    loop {
        match cursor.next()? {
            Ev::Start(start) => {
                let inherited = scope.last().cloned().flatten();
                let namespace = camt_namespace(&start).or(inherited);
                if let Some(kind) = Kind::of_message(&start.name) {
                    check_namespace(kind, namespace.as_deref(), start.line, out);
                    message(&mut cursor, kind, &mut notes, out)?;
                    messages += 1;
                } else {
                    scope.push(namespace);
                }
            }
            Ev::End(_) => {
                scope.pop();
            }
            Ev::Text(_) => {}
            Ev::Eof => break,
        }
    }
    if messages == 0 {
        return Err(FileError::new(
            "not a camt.052/053/054 message: no BkToCstmrStmt, BkToCstmrAcctRpt or \
             BkToCstmrDbtCdtNtfctn element",
        ));
    }
    Ok(())
}

/// Reads one message element's children until its end tag.
fn message(
    cursor: &mut Cursor<'_>,
    kind: Kind,
    notes: &mut Notes,
    out: &mut Emitter,
) -> Result<(), FileError> {
    loop {
        match cursor.next()? {
            Ev::Start(start) => {
                if let Some(own) = Kind::of_statement(&start.name) {
                    statement::read(cursor, own, &start, notes, out)?;
                } else {
                    let what = format!("<{}>", kind.message_element());
                    let known = ["GrpHdr", "SplmtryData"];
                    notes.unknown(&start.name, start.line, &known, &what, out);
                    cursor.skip()?;
                }
            }
            Ev::End(_) => return Ok(()),
            Ev::Text(_) => {}
            Ev::Eof => return Err(FileError::new("the file ends inside the message")),
        }
    }
}

/// The value of an `xmlns`/`xmlns:…` attribute of `start` that names a camt namespace, or
/// else of any `xmlns` attribute (an unexpected namespace is still worth naming).
fn camt_namespace(start: &Start) -> Option<String> {
    let declared = || {
        start
            .attrs
            .iter()
            .filter(|(k, _)| k == "xmlns" || k.starts_with("xmlns:"))
    };
    declared()
        .find(|(_, v)| v.contains("camt."))
        .or_else(|| declared().find(|(k, _)| k == "xmlns"))
        .map(|(_, v)| v.clone())
}

/// `camt.053.001.02` → `(53, 2)`.
fn version_of(namespace: &str) -> Option<(u8, u8)> {
    let rest = namespace.strip_prefix(NAMESPACE)?;
    let mut parts = rest.split('.');
    let message = parts.next()?.parse().ok()?;
    let variant = parts.next()?;
    let version = parts.next()?.parse().ok()?;
    (variant == "001" && parts.next().is_none()).then_some((message, version))
}

/// Warns when the namespace in scope is missing, is not a camt one, names another message, or
/// names a version this adapter was not written against. The message is read all the same.
fn check_namespace(kind: Kind, namespace: Option<&str>, line: u64, out: &mut Emitter) {
    let element = kind.message_element();
    let expected = format!("{NAMESPACE}0{}.001.0V", kind.number());
    let Some(namespace) = namespace else {
        out.warn(
            line,
            &format!("<{element}> is in no namespace (expected {expected}): read by element names"),
        );
        return;
    };
    let Some((message, version)) = version_of(namespace) else {
        out.warn(
            line,
            &format!(
                "<{element}> is in namespace {namespace:?}, not a camt one (expected {expected}): \
                 read by element names"
            ),
        );
        return;
    };
    if message != kind.number() {
        out.warn(
            line,
            &format!(
                "the namespace says camt.0{message} but the message element is <{element}> \
                 (camt.0{}): read as camt.0{}",
                kind.number(),
                kind.number()
            ),
        );
    }
    if !KNOWN_VERSIONS.contains(&version) {
        out.warn(
            line,
            &format!(
                "camt.0{message}.001.{version:02} is not a version this adapter was written \
                 against (.02 to .08): read element by element as those are; check the records"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::version_of;

    #[test]
    fn versions_come_from_the_namespace() {
        assert_eq!(
            version_of("urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"),
            Some((53, 2))
        );
        assert_eq!(
            version_of("urn:iso:std:iso:20022:tech:xsd:camt.054.001.13"),
            Some((54, 13))
        );
        assert_eq!(
            version_of("urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"),
            None
        );
        assert_eq!(
            version_of("urn:iso:std:iso:20022:tech:xsd:camt.053.002.02"),
            None
        );
        assert_eq!(version_of("camt.053.001.02"), None);
    }
}
