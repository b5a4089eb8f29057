//! Polish mBank `:86:`: a booking text, then `;`-separated `KEY: value` parts.
//!
//! `911 TRANSAKCJA COLLECT; ID IPH: XX…; Z RACH.: 5611…; OD: JAN NOWAK  UL. NIJAKA 1…;
//! TYT.: PRZELEW SRODKOW; TNR: 179171073864111.010001`
//!
//! | key | meaning | goes to |
//! |---|---|---|
//! | (first part) | booking text | `booking_text` |
//! | `Z RACH.` / `NA RACH.` | from / to account | `counterparty_account` |
//! | `OD` / `DLA` | from / for: name, two spaces, address | the counterparty; `counterparty_address` |
//! | `TYT.` | title (purpose) | `purpose` |
//! | `TNR` | transaction number | `tnr` |
//! | others | — | the key in lower case, `_` for other characters (`id_iph`) |
//!
//! The text is read this way only when a part is `TNR`, `Z RACH.`, `NA RACH.`, `OD`, `DLA` or
//! `TYT.`.

use std::borrow::Cow;

use super::gvc::Parts;
use super::{collapse, compact};

/// The keys that mark an mBank text.
const MARKERS: [&str; 6] = ["TNR", "Z RACH.", "NA RACH.", "OD", "DLA", "TYT."];

/// Reads an mBank text, or `None` when it is not one.
pub(crate) fn parse(text: &str) -> Option<Parts> {
    let mut parts = text.split(';').map(str::trim).filter(|p| !p.is_empty());
    let first = parts.next()?;
    let pairs: Vec<(&str, &str)> = parts.filter_map(|p| p.split_once(':')).collect();
    if !pairs.iter().any(|(k, _)| MARKERS.contains(&k.trim())) {
        return None;
    }
    let mut counterparty = None;
    let mut extra: Vec<(Cow<'static, str>, String)> =
        vec![("booking_text".into(), collapse(first))];
    for (key, value) in pairs {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match key.trim() {
            "Z RACH." | "NA RACH." => extra.push(("counterparty_account".into(), compact(value))),
            "OD" | "DLA" => {
                let (name, address) = value.split_once("  ").unwrap_or((value, ""));
                counterparty = counterparty.or_else(|| Some(collapse(name)));
                if !address.trim().is_empty() {
                    extra.push(("counterparty_address".into(), collapse(address)));
                }
            }
            "TYT." => extra.push(("purpose".into(), value.to_owned())),
            other => extra.push((key_name(other).into(), value.to_owned())),
        }
    }
    Some((counterparty, extra))
}

/// A key as an `extra` name: lower case, `_` for anything but letters and digits.
fn key_name(key: &str) -> String {
    let name: String = key
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    name.trim_matches('_').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_mbank_collect() {
        let text = "911 TRANSAKCJA COLLECT; ID IPH: XX000000000001; Z RACH.: \
                    56114010810000267002001001; OD: JAN NOWAK  UL. NIJAKA 1 M 2 31-234 KRAKOW; \
                    TYT.: PRZELEW SRODKOW   ; TNR: 179171073864111.010001";
        let (counterparty, extra) = parse(text).expect("mBank");
        assert_eq!(counterparty.as_deref(), Some("JAN NOWAK"));
        let get = |k: &str| {
            extra
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("booking_text"), Some("911 TRANSAKCJA COLLECT"));
        assert_eq!(get("id_iph"), Some("XX000000000001"));
        assert_eq!(
            get("counterparty_account"),
            Some("56114010810000267002001001")
        );
        assert_eq!(
            get("counterparty_address"),
            Some("UL. NIJAKA 1 M 2 31-234 KRAKOW")
        );
        assert_eq!(get("purpose"), Some("PRZELEW SRODKOW"));
        assert_eq!(get("tnr"), Some("179171073864111.010001"));
    }

    #[test]
    fn other_texts_are_not_mbank() {
        assert_eq!(parse("BEA   NR:XXX1234   21.05.11/12.54 DIRCKIII"), None);
        assert_eq!(parse("a; b: c"), None);
        assert_eq!(parse(""), None);
    }
}
