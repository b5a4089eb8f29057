//! Dutch structured `:86:` (ABN AMRO, ING, Rabobank SEPA exports): `/KEY/value` pairs.
//!
//! | key | meaning | goes to |
//! |---|---|---|
//! | `EREF` | end-to-end reference | `eref` |
//! | `MARF` | mandate reference | `mref` |
//! | `CSID` | creditor id | `cred` |
//! | `REMI` | remittance information | `purpose` |
//! | `NAME` (after `BENM`, `ORDP`, or alone) | counterparty's name | the counterparty |
//! | `IBAN`, `BIC` | counterparty's account and bank | `counterparty_account`, `counterparty_bank` |
//! | `CNTP` | `iban/bic/name/city` of the counterparty | the four above, city as `counterparty_city` |
//! | `TRTP` | transaction kind | `transaction_kind` |
//! | others | — | the key in lower case (`isdt`, `rtrn`, …) |
//!
//! A value runs to the next `/KEY/` of the list below (so a `/` inside a value is kept).

use std::borrow::Cow;

use super::gvc::Parts;
use super::{collapse, compact};

/// The keys that start a value.
const KEYS: [&str; 27] = [
    "EREF",
    "MARF",
    "CSID",
    "BENM",
    "ORDP",
    "NAME",
    "ID",
    "ADDR",
    "REMI",
    "ISDT",
    "CNTP",
    "TRTP",
    "IBAN",
    "BIC",
    "RTRN",
    "PREF",
    "PURP",
    "ULTC",
    "ULTD",
    "ULTB",
    "SVCL",
    "BUSP",
    "EXCH",
    "CHGS",
    "CDTRREF",
    "CDTRREFTP",
    "ORIG",
];

/// Starts with `/KEY/` for a key of the list.
pub(crate) fn looks_like(text: &str) -> bool {
    key_at(text.trim_start(), 0).is_some()
}

/// The key whose `/KEY/` starts at byte `at`.
fn key_at(s: &str, at: usize) -> Option<&'static str> {
    let rest = s.get(at..)?.strip_prefix('/')?;
    KEYS.iter()
        .copied()
        .filter(|k| rest.strip_prefix(k).is_some_and(|r| r.starts_with('/')))
        .max_by_key(|k| k.len())
}

/// Reads the pairs (see the module doc).
pub(crate) fn parse(text: &str) -> Parts {
    let text = text.trim();
    let found: Vec<(usize, &str)> = text
        .match_indices('/')
        .filter_map(|(at, _)| key_at(text, at).map(|k| (at, k)))
        .collect();
    let mut counterparty = None;
    let mut extra: Vec<(Cow<'static, str>, String)> = Vec::new();
    for (i, &(at, key)) in found.iter().enumerate() {
        let end = found.get(i + 1).map_or(text.len(), |&(next, _)| next);
        let value = text.get(at + key.len() + 2..end).unwrap_or_default().trim();
        if value.is_empty() {
            continue;
        }
        match key {
            "NAME" => {
                counterparty = counterparty.or_else(|| Some(collapse(value)));
            }
            "CNTP" => counterparty = counterparty.or(cntp(value, &mut extra)),
            _ => extra.push((name_of(key), clean_value(key, value))),
        }
    }
    (counterparty.filter(|c| !c.is_empty()), extra)
}

/// `iban/bic/name/city` into `extra`; returns the name.
fn cntp(value: &str, extra: &mut Vec<(Cow<'static, str>, String)>) -> Option<String> {
    let mut parts = value.split('/').map(str::trim);
    let (iban, bic, name, city) = (parts.next(), parts.next(), parts.next(), parts.next());
    for (key, v) in [
        ("counterparty_account", iban),
        ("counterparty_bank", bic),
        ("counterparty_city", city),
    ] {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            extra.push((key.into(), v.to_owned()));
        }
    }
    name.map(collapse).filter(|n| !n.is_empty())
}

fn name_of(key: &str) -> Cow<'static, str> {
    match key {
        "EREF" => "eref".into(),
        "MARF" => "mref".into(),
        "CSID" => "cred".into(),
        "REMI" => "purpose".into(),
        "IBAN" => "counterparty_account".into(),
        "BIC" => "counterparty_bank".into(),
        "TRTP" => "transaction_kind".into(),
        other => other.to_ascii_lowercase().into(),
    }
}

fn clean_value(key: &str, value: &str) -> String {
    match key {
        "IBAN" | "BIC" => compact(value),
        _ => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'p>(parts: &'p Parts, key: &str) -> Option<&'p str> {
        parts
            .1
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn rabobank_pairs() {
        let parts = parse(
            "/EREF/01-01-2013 12:00 0030000987654321/BENM//NAME/CONTRA ACCOUNT HOLDER/REMI//ISDT/2013-07-11",
        );
        assert_eq!(parts.0.as_deref(), Some("CONTRA ACCOUNT HOLDER"));
        assert_eq!(
            get(&parts, "eref"),
            Some("01-01-2013 12:00 0030000987654321")
        );
        assert_eq!(get(&parts, "isdt"), Some("2013-07-11"));
        assert_eq!(get(&parts, "purpose"), None, "REMI is empty");
        let parts = parse("/BENM//NAME/JOHN DOE/REMI/Reference 201301234/ISDT/2013-01-02");
        assert_eq!(parts.0.as_deref(), Some("JOHN DOE"));
        assert_eq!(get(&parts, "purpose"), Some("Reference 201301234"));
    }

    #[test]
    fn abn_amro_and_cntp() {
        let parts = parse(
            "/TRTP/SEPA OVERBOEKING/IBAN/NL46ABNA0499998748/BIC/ABNANL2A/NAME/NAAM/REMI/A/B/EREF/NOTPROVIDED",
        );
        assert_eq!(parts.0.as_deref(), Some("NAAM"));
        assert_eq!(
            get(&parts, "counterparty_account"),
            Some("NL46ABNA0499998748")
        );
        assert_eq!(get(&parts, "purpose"), Some("A/B"));
        assert_eq!(get(&parts, "transaction_kind"), Some("SEPA OVERBOEKING"));
        let parts = parse("/CNTP/NL12RABO0123456789/RABONL2U/J DOE/UTRECHT/REMI/x");
        assert_eq!(parts.0.as_deref(), Some("J DOE"));
        assert_eq!(get(&parts, "counterparty_city"), Some("UTRECHT"));
        assert!(!looks_like("/XYZ/1"));
    }
}
