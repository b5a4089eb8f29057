//! German structured `:86:` (Geschäftsvorfallcode, as DATEV/DFÜ-Abkommen defines it):
//! a three-digit business transaction code, then `?NN` subfields.
//!
//! | subfield | meaning | goes to |
//! |---|---|---|
//! | `?00` | booking text (`GUTSCHRIFT`) | `booking_text` |
//! | `?10` | primanota | `primanota` |
//! | `?20`–`?29`, `?60`–`?63` | purpose, cut into pieces | `purpose` (pieces concatenated) |
//! | `?30` | counterparty's bank code / BIC | `counterparty_bank` |
//! | `?31` | counterparty's account / IBAN | `counterparty_account` |
//! | `?32`, `?33` | counterparty's name | the counterparty |
//! | `?34` | text key extension | `text_key_ext` |
//! | `?38` | counterparty's IBAN (Polish banks) | `counterparty_iban` |
//! | others | — | `gvc_NN` |
//!
//! Inside the purpose, the SEPA keys `EREF+ KREF+ MREF+ CRED+ DEBT+ SVWZ+ ABWA+ ABWE+ COAM+
//! OAMT+` each start a value that runs to the next key; they go to `extra` in lower case
//! (`eref`, `svwz`, …).

use std::borrow::Cow;

use super::{collapse, compact};

/// `(counterparty, extra)`, as the other structure readers return.
pub(crate) type Parts = (Option<String>, Vec<(Cow<'static, str>, String)>);

/// Three digits and a `?`.
pub(crate) fn looks_like(text: &str) -> bool {
    let b = text.trim_start().as_bytes();
    b.len() >= 4 && b[..3].iter().all(u8::is_ascii_digit) && b[3] == b'?'
}

/// The SEPA keys inside a GVC purpose, and their `extra` names.
const SEPA_KEYS: [(&str, &str); 10] = [
    ("EREF+", "eref"),
    ("KREF+", "kref"),
    ("MREF+", "mref"),
    ("CRED+", "cred"),
    ("DEBT+", "debt"),
    ("SVWZ+", "svwz"),
    ("ABWA+", "abwa"),
    ("ABWE+", "abwe"),
    ("COAM+", "coam"),
    ("OAMT+", "oamt"),
];

/// Reads a GVC text (see the module doc).
pub(crate) fn parse(text: &str) -> Parts {
    let text = text.trim_start();
    let mut extra: Vec<(Cow<'static, str>, String)> = Vec::new();
    extra.push(("gvc".into(), text.get(..3).unwrap_or_default().to_owned()));
    let (mut purpose, mut name) = (String::new(), String::new());
    for (code, value) in subfields(text.get(3..).unwrap_or_default()) {
        match code {
            20..=29 | 60..=63 => purpose.push_str(value),
            32 | 33 => name.push_str(value),
            30 | 31 | 38 => push(&mut extra, account_key(code), compact(value)),
            _ => push(&mut extra, simple_key(code), value.trim().to_owned()),
        }
    }
    let purpose = purpose.trim();
    if !purpose.is_empty() {
        extra.push(("purpose".into(), purpose.to_owned()));
        extra.extend(sepa(purpose));
    }
    let name = collapse(&name);
    ((!name.is_empty()).then_some(name), extra)
}

fn push(extra: &mut Vec<(Cow<'static, str>, String)>, key: Cow<'static, str>, value: String) {
    if !value.is_empty() {
        extra.push((key, value));
    }
}

fn account_key(code: u8) -> Cow<'static, str> {
    match code {
        30 => "counterparty_bank".into(),
        31 => "counterparty_account".into(),
        _ => "counterparty_iban".into(),
    }
}

fn simple_key(code: u8) -> Cow<'static, str> {
    match code {
        0 => "booking_text".into(),
        10 => "primanota".into(),
        34 => "text_key_ext".into(),
        _ => format!("gvc_{code:02}").into(),
    }
}

/// `?NN` subfields in order: `(NN, value)`. A `?` not followed by two digits is text.
fn subfields(s: &str) -> Vec<(u8, &str)> {
    let starts: Vec<(usize, u8)> = s
        .match_indices('?')
        .filter_map(|(at, _)| {
            let digits = s.get(at + 1..at + 3)?;
            let code = digits
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| digits.parse().ok())??;
            Some((at, code))
        })
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(i, &(at, code))| {
            let end = starts.get(i + 1).map_or(s.len(), |&(next, _)| next);
            (code, s.get(at + 3..end).unwrap_or_default())
        })
        .collect()
}

/// The SEPA keys of a purpose, each value running to the next key.
fn sepa(purpose: &str) -> Vec<(Cow<'static, str>, String)> {
    let mut found: Vec<(usize, &str, &'static str)> = SEPA_KEYS
        .iter()
        .flat_map(|&(key, name)| {
            purpose
                .match_indices(key)
                .map(move |(at, _)| (at, key, name))
        })
        .collect();
    found.sort_unstable_by_key(|&(at, _, _)| at);
    found
        .iter()
        .enumerate()
        .filter_map(|(i, &(at, key, name))| {
            let end = found.get(i + 1).map_or(purpose.len(), |&(next, _, _)| next);
            let value = purpose.get(at + key.len()..end)?.trim();
            (!value.is_empty()).then(|| (Cow::Borrowed(name), value.to_owned()))
        })
        .collect()
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
    fn a_sepa_credit() {
        let text = "166?00GUTSCHRIFT?100399?20EREF+EndToEndId TFNR 22 004?21 00001?22SVWZ+Verw \
                    CTSc-01 BC-PPP TF?23Nr 22 004?30DRESDEFF508?31DE1450880050\
                    0194785000?32KARL?33        KAUFMANN?70Empfaenger Marta Metzger";
        assert!(looks_like(text));
        let parts = parse(text);
        assert_eq!(parts.0.as_deref(), Some("KARL KAUFMANN"));
        assert_eq!(get(&parts, "gvc"), Some("166"));
        assert_eq!(get(&parts, "booking_text"), Some("GUTSCHRIFT"));
        assert_eq!(get(&parts, "primanota"), Some("0399"));
        assert_eq!(get(&parts, "counterparty_bank"), Some("DRESDEFF508"));
        assert_eq!(
            get(&parts, "counterparty_account"),
            Some("DE14508800500194785000")
        );
        assert_eq!(get(&parts, "eref"), Some("EndToEndId TFNR 22 004 00001"));
        assert_eq!(get(&parts, "svwz"), Some("Verw CTSc-01 BC-PPP TFNr 22 004"));
        assert_eq!(get(&parts, "gvc_70"), Some("Empfaenger Marta Metzger"));
    }

    #[test]
    fn keys_in_the_middle_of_a_piece() {
        let text = "835?20Cie., S.C.A.?21SEPA-BASISLASTSCHRIFT?22EREF+ 1234567890123 PAYPAL?23MREF+ \
                    12AB234CD6E7F CRED+ A?24B12CDE0000000000000000034 S?25VWZ+ . SPOTIFY, Ihr \
                    Einkauf?26bei SPOTIFY?32PayPal (Europe) S.a.r.l. et";
        let parts = parse(text);
        assert_eq!(get(&parts, "mref"), Some("12AB234CD6E7F"));
        assert_eq!(get(&parts, "cred"), Some("AB12CDE0000000000000000034"));
        assert_eq!(
            get(&parts, "svwz"),
            Some(". SPOTIFY, Ihr Einkaufbei SPOTIFY")
        );
        assert_eq!(parts.0.as_deref(), Some("PayPal (Europe) S.a.r.l. et"));
    }

    #[test]
    fn not_gvc() {
        assert!(!looks_like("999PN5477SCHECK-NR. 0000016703074"));
        assert!(!looks_like("12?"));
        assert!(looks_like(" 020?00Wyplata"));
        assert_eq!(subfields("?2x?20a?b"), [(20, "a?b")]);
    }
}
