//! The information to the account owner (`:86:`) of a statement line: its text joined into
//! one memo, and the structure recognised inside it.
//!
//! ## Joining lines
//! SWIFT cuts `:86:` into lines of at most 65 characters, often in the middle of a word. The
//! memo joins them back:
//! - structured text (German GVC `166?00…`, Dutch `/EREF/…`) is cut only for the width, so
//!   its lines are concatenated as they are;
//! - free text: a line is concatenated directly when it fills the width (65 characters) or
//!   when a space already sits at the join (end of one line or start of the next); otherwise
//!   a single space separates the two lines, which are trimmed at the end first;
//! - several `:86:` fields after one `:61:` (old Rabobank exports) are joined with a space.
//!
//! The lines as they were (joined with `\n`) are kept in `extra` as `information` when there
//! was more than one.
//!
//! ## Structure
//! - German GVC ([`gvc`]): `NNN?00booking text?10primanota?20…?29 purpose?30 bank?31
//!   account?32/?33 name?34 text key`, with SEPA keys `EREF+ KREF+ MREF+ CRED+ DEBT+ SVWZ+
//!   ABWA+ ABWE+` inside the purpose;
//! - Dutch ([`dutch`]): `/EREF/…/BENM//NAME/…/REMI/…/ISDT/…`, `/CNTP/iban/bic/name/city/`;
//! - Polish mBank ([`mbank`]): `;`-separated `KEY: value` parts (`Z RACH.:`, `OD:`, `TYT.:`,
//!   `TNR:`).
//!
//! The counterparty is the name found there; other parts go to `extra`.

use std::borrow::Cow;

use crate::fields::Field;

pub(crate) mod dutch;
pub(crate) mod gvc;
pub(crate) mod mbank;

/// The width SWIFT fills `:86:` lines to.
const LINE_WIDTH: usize = 65;

/// What the `:86:` fields of one statement line say.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Information {
    /// The text joined into one line.
    pub(crate) memo: Option<String>,
    /// The lines as written, joined with `\n`, when there was more than one.
    pub(crate) lines: Option<String>,
    /// The counterparty's name, when the structure names it.
    pub(crate) counterparty: Option<String>,
    /// What else the structure says.
    pub(crate) extra: Vec<(Cow<'static, str>, String)>,
}

/// Reads the `:86:` fields that follow one `:61:`.
pub(crate) fn read(fields: &[Field<'_>]) -> Information {
    let all: Vec<&str> = fields.iter().flat_map(Field::texts).collect();
    let structured = all
        .first()
        .is_some_and(|first| gvc::looks_like(first) || dutch::looks_like(first));
    let memo: Vec<String> = fields
        .iter()
        .map(|f| join(f.texts(), structured))
        .filter(|t| !t.is_empty())
        .collect();
    let memo = (!memo.is_empty()).then(|| memo.join(" "));
    let lines = (all.len() > 1).then(|| {
        let trimmed: Vec<&str> = all.iter().map(|l| l.trim_end()).collect();
        trimmed.join("\n").trim().to_owned()
    });
    let mut info = Information {
        memo,
        lines,
        ..Information::default()
    };
    if let Some(memo) = info.memo.as_deref() {
        let (counterparty, extra) = structure(memo);
        info.counterparty = counterparty;
        info.extra = extra;
    }
    info
}

/// The structure of a joined memo: `(counterparty, extra)`.
fn structure(memo: &str) -> (Option<String>, Vec<(Cow<'static, str>, String)>) {
    if gvc::looks_like(memo) {
        gvc::parse(memo)
    } else if dutch::looks_like(memo) {
        dutch::parse(memo)
    } else {
        mbank::parse(memo).unwrap_or_default()
    }
}

/// Joins one field's lines as the module doc describes, trimmed.
fn join<'a>(lines: impl Iterator<Item = &'a str>, structured: bool) -> String {
    let mut out = String::new();
    let mut previous_full = false;
    for line in lines {
        if structured {
            out.push_str(line);
            continue;
        }
        let spaced = out.ends_with(char::is_whitespace) || line.starts_with(char::is_whitespace);
        if !out.is_empty() && !previous_full && !spaced {
            out.push(' ');
        }
        let width = line.chars().count();
        previous_full = width >= LINE_WIDTH && !line.ends_with(char::is_whitespace);
        // Spaces at the end of a short line are the space at the join; at full width they
        // are padding.
        out.push_str(if width >= LINE_WIDTH {
            line.trim_end()
        } else {
            line
        });
    }
    out.trim().to_owned()
}

/// Runs of whitespace as one space, trimmed.
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` without any whitespace (account numbers and bank codes cut over lines).
pub(crate) fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(texts: &[&'static str]) -> Field<'static> {
        Field {
            tag: "86",
            lines: texts.iter().zip(1..).map(|(t, n)| (n, *t)).collect(),
        }
    }

    fn memo(texts: &[&'static str]) -> Option<String> {
        read(&[field(texts)]).memo
    }

    #[test]
    fn free_text_lines() {
        // Short lines are separate lines: a space between them.
        assert_eq!(
            memo(&[
                " RC AFREKENING BETALINGSVERKEER",
                "BETREFT REKENING 4715589",
                "ING"
            ])
            .as_deref(),
            Some("RC AFREKENING BETALINGSVERKEER BETREFT REKENING 4715589 ING")
        );
        // A line that ends with a space keeps it as the separator.
        assert_eq!(
            memo(&[
                "Z RACH.: ",
                "56114010810000267002001001; OD: JAN NOWAK  ",
                "UL. NIJAKA"
            ])
            .as_deref(),
            Some("Z RACH.: 56114010810000267002001001; OD: JAN NOWAK  UL. NIJAKA")
        );
        // A full-width line is cut inside a word.
        let full = "GIRO AUS ONLINE-SIC 80701 AUFTRAGGEBER: XXXXXXXXX XXX XXXXXXXXSTR";
        assert_eq!(full.len(), 65);
        assert_eq!(
            memo(&[full, "ASSE 111"]).as_deref(),
            Some("GIRO AUS ONLINE-SIC 80701 AUFTRAGGEBER: XXXXXXXXX XXX XXXXXXXXSTRASSE 111")
        );
        assert_eq!(memo(&[""]), None);
    }

    #[test]
    fn structured_lines_are_concatenated() {
        let info = read(&[field(&[
            "/EREF/X/BENM//NAME/CONTRA ACCOUN",
            "T HOLDER/REMI//ISDT/2013-07-11",
        ])]);
        assert_eq!(
            info.memo.as_deref(),
            Some("/EREF/X/BENM//NAME/CONTRA ACCOUNT HOLDER/REMI//ISDT/2013-07-11")
        );
        assert_eq!(info.counterparty.as_deref(), Some("CONTRA ACCOUNT HOLDER"));
        assert_eq!(
            info.lines.as_deref(),
            Some("/EREF/X/BENM//NAME/CONTRA ACCOUN\nT HOLDER/REMI//ISDT/2013-07-11")
        );
    }

    #[test]
    fn several_fields_of_padded_lines() {
        let pad = "Terugboeking                                                    ";
        let fields = [
            field(&[pad]),
            field(&["NIET AKKOORD MET AFSCHRIJVING      "]),
        ];
        let info = read(&fields);
        assert_eq!(
            info.memo.as_deref(),
            Some("Terugboeking NIET AKKOORD MET AFSCHRIJVING")
        );
        assert_eq!(
            info.lines.as_deref(),
            Some("Terugboeking\nNIET AKKOORD MET AFSCHRIJVING")
        );
    }
}
