//! Sniffing: is this head the start of a camt.052/053/054 message? The head may be only a
//! few KB and cut anywhere, even inside a tag, so two signs are looked for: the namespace
//! (`…:xsd:camt.052.…`, `camt.053`, `camt.054`) and the message element's name
//! (`BkToCstmrStmt`, `BkToCstmrAcctRpt`, `BkToCstmrDbtCdtNtfctn`, or the start of one of
//! them where the head ends). Other ISO 20022 messages (pain.001, camt.056, …) and anything
//! that is not XML score 0.

use qrecon_adapter_sdk::text;

/// The score for a head that is recognisably a camt.052/053/054 message.
pub(crate) const SURE: u8 = 95;

/// Where the namespace names the message: after this comes `2`, `3` or `4`.
const NAMESPACE_STEM: &str = "xsd:camt.05";

/// The three message elements.
const MESSAGES: [&str; 3] = ["BkToCstmrStmt", "BkToCstmrAcctRpt", "BkToCstmrDbtCdtNtfctn"];

/// The shortest cut-off element name still taken as one of [`MESSAGES`].
const STEM: &str = "BkToCstmr";

/// Scores a file's head.
pub(crate) fn score(head: &[u8]) -> u8 {
    let head = text::decode_head(head);
    let head = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if !head.starts_with('<') {
        return 0;
    }
    if names_our_namespace(head) || names_our_message(head) {
        SURE
    } else {
        0
    }
}

fn names_our_namespace(head: &str) -> bool {
    head.match_indices(NAMESPACE_STEM).any(|(i, stem)| {
        let rest = &head[i + stem.len()..];
        matches!(
            rest.as_bytes(),
            [b'2' | b'3' | b'4', b'.', ..] | [b'2' | b'3' | b'4']
        )
    })
}

fn names_our_message(head: &str) -> bool {
    head.match_indices(STEM).any(|(i, _)| {
        let rest = &head[i..];
        let after_tag = head[..i].ends_with('<') || head[..i].ends_with(':');
        after_tag
            && MESSAGES.iter().any(|m| {
                rest.strip_prefix(m).is_some_and(|after| {
                    after.is_empty() || after.starts_with(['>', ' ', '/', '\t', '\r', '\n'])
                }) || m.starts_with(rest)
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const V2: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document \
                      xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n<BkToCstmrStmt>";

    #[test]
    fn camt_heads_score_sure_wherever_they_are_cut() {
        for cut in 0..=V2.len() {
            let head = &V2[..cut];
            let expected = if head.contains("camt.053") || head.contains("<BkToCstmr") {
                SURE
            } else {
                0
            };
            assert_eq!(score(head.as_bytes()), expected, "cut at {cut}: {head:?}");
        }
        for head in [
            "<BkToCstmrDbtCdtNtfctn>",
            "\u{feff}<?xml version=\"1.0\"?><c:Document xmlns:c=\"x\"><c:BkToCstmrAcctRpt>",
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\"/>",
            "<Document><BkToCstmrSt",
        ] {
            assert_eq!(score(head.as_bytes()), SURE, "{head}");
        }
    }

    #[test]
    fn other_xml_and_text_score_zero() {
        for head in [
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"><CstmrCdtTrfInitn>",
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.056.001.01\"><FIToFIPmtCxlReq>",
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.05",
            "<html><body>BkToCstmrStmt</body></html>",
            "<BkToCstmrStmtX>",
            "camt.053 statement, BkToCstmrStmt",
            ":20:STARTUMS\r\n:25:NL26VAYB8060476890",
            "",
        ] {
            assert_eq!(score(head.as_bytes()), 0, "{head}");
        }
    }
}
