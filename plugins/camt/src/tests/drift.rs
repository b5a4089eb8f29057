//! Layout drift: other versions and namespaces, prefixes, encodings, unknown elements and
//! codes, missing optional elements, and entries that cannot be read. The file still parses;
//! where the meaning is unsure there is a warning; a bad entry is quarantined, never fatal.

use qrecon_adapter_sdk::Status;
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;

use super::{dec, fixture_text, issues, parse, warnings};

const MULTI: &str = "genkgo_camt053.v2.multi.statement.xml";
const V08: &str = "qrecon_camt053_v08.xml";
const NS_02: &str = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02";

fn parse_text(text: &str) -> Parsed {
    parse("drift.xml", text.as_bytes())
}

fn assert_same_records(a: &Parsed, b: &Parsed) {
    assert_eq!(a.records, b.records);
    assert_eq!(a.rows_read, b.rows_read);
}

#[test]
fn an_unknown_version_is_read_with_a_warning() {
    let base = parse_text(&fixture_text(MULTI));
    let v9 = fixture_text(MULTI).replace(NS_02, "urn:iso:std:iso:20022:tech:xsd:camt.053.001.13");
    let p = parse_text(&v9);
    assert_same_records(&base, &p);
    let w = warnings(&p);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("camt.053.001.13") && w[0].contains(".02 to .08"),
        "{}",
        w[0]
    );
    assert_eq!(
        issues(&p, Outcome::Warning)[0].line,
        3,
        "at <BkToCstmrStmt>"
    );
}

#[test]
fn no_namespace_or_a_foreign_one_is_read_by_element_names() {
    let base = parse_text(&fixture_text(MULTI));
    let bare = fixture_text(MULTI).replace(&format!(" xmlns=\"{NS_02}\""), "");
    let p = parse_text(&bare);
    assert_same_records(&base, &p);
    assert!(
        warnings(&p)[0].contains("no namespace"),
        "{:?}",
        warnings(&p)
    );
    let foreign = fixture_text(MULTI).replace(NS_02, "urn:example:bank:statement");
    let p = parse_text(&foreign);
    assert_same_records(&base, &p);
    assert!(
        warnings(&p)[0].contains("not a camt one"),
        "{:?}",
        warnings(&p)
    );
    let other_message = fixture_text(MULTI).replace("camt.053.001.02", "camt.052.001.02");
    let p = parse_text(&other_message);
    assert_same_records(&base, &p);
    assert!(
        warnings(&p)[0].contains("says camt.052"),
        "{:?}",
        warnings(&p)
    );
}

#[test]
fn a_namespace_prefix_changes_nothing() {
    let text = fixture_text(V08);
    let base = parse_text(&text);
    let prefixed = text
        .replace("xmlns=\"urn", "xmlns:c=\"urn")
        .replace("</", "</c:")
        .replace('<', "<c:")
        .replace("<c:/c:", "</c:")
        .replace("<c:?xml", "<?xml")
        .replace("<c:!--", "<!--");
    assert!(prefixed.contains("<c:Ntry>") && prefixed.contains("</c:Ntry>"));
    let p = parse_text(&prefixed);
    assert_same_records(&base, &p);
    assert_eq!(p.issues, base.issues);
}

#[test]
fn bom_crlf_and_a_missing_declaration_change_nothing() {
    let text = fixture_text(MULTI);
    let base = parse_text(&text);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(text.as_bytes());
    let crlf = text.replace('\n', "\r\n");
    let undeclared = text.replacen("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "", 1);
    for bytes in [bom, crlf.into_bytes(), undeclared.into_bytes()] {
        let p = parse("drift.xml", &bytes);
        assert_same_records(&base, &p);
        assert_eq!(p.issues, base.issues);
    }
}

#[test]
fn a_declared_latin1_file_is_decoded() {
    let text = fixture_text(MULTI)
        .replacen("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", 1)
        .replace("Company Name 2", "Soci\u{e9}t\u{e9} G\u{e9}n\u{e9}rale");
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("latin-1"))
        .collect();
    assert!(std::str::from_utf8(&bytes).is_err());
    let p = parse("latin1.xml", &bytes);
    assert_eq!(
        p.record_at(145).party("counterparty"),
        Some("Société Générale")
    );
}

#[test]
fn unknown_elements_are_warned_about_once_and_ignored() {
    let text = fixture_text(V08);
    let base = parse_text(&text);
    // Inserted on existing lines, so every line number stays the same.
    let drifted = text
        .replace("<NtryRef>", "<BkSpcfcFlag>Y</BkSpcfcFlag><NtryRef>")
        .replace("<Refs>", "<TxFlag>1</TxFlag><Refs>")
        .replacen(
            "<ElctrncSeqNb>",
            "<StmtExtra>1</StmtExtra><ElctrncSeqNb>",
            1,
        );
    let p = parse_text(&drifted);
    assert_same_records(&base, &p);
    let w = warnings(&p);
    assert_eq!(w.len(), 3, "one per unknown name, not per entry: {w:?}");
    assert!(
        w.iter()
            .any(|m| m.contains("<BkSpcfcFlag>") && m.contains("an entry"))
    );
    assert!(
        w.iter()
            .any(|m| m.contains("<TxFlag>") && m.contains("TxDtls"))
    );
    assert!(
        w.iter()
            .any(|m| m.contains("<StmtExtra>") && m.contains("statement"))
    );
}

#[test]
fn an_unknown_status_or_transaction_code_passes_through() {
    let text = fixture_text(V08)
        .replacen("<Cd>PDNG</Cd>", "<Cd>FUTR</Cd>", 1)
        .replacen(
            "<SubFmlyCd>ESCT</SubFmlyCd>",
            "<SubFmlyCd>ZZZZ</SubFmlyCd>",
            1,
        );
    let p = parse_text(&text);
    let future = p.record_at(327);
    assert_eq!(
        (future.status, future.status_raw.as_deref()),
        (Status::Unknown, Some("FUTR"))
    );
    assert_eq!(
        p.record_at(102).extra_value("bank_tx_code"),
        Some("PMNT/RCDT/ZZZZ")
    );
    let w = warnings(&p);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("\"FUTR\""), "{}", w[0]);
}

#[test]
fn missing_optional_elements_leave_fields_empty() {
    let text = fixture_text(MULTI);
    let no_val_dt = text.replace(
        "<ValDt>\n                    <Dt>2015-01-02</Dt>\n                </ValDt>",
        "",
    );
    assert_ne!(no_val_dt, text);
    let p = parse_text(&no_val_dt);
    let r = &p.records[0];
    assert_eq!(
        r.value_date.map(|d| d.to_string()).as_deref(),
        Some("2014-12-31"),
        "booking date"
    );
    let no_refs = fixture_text(V08).replace("<AcctSvcrRef>QR-2026060100002</AcctSvcrRef>", "");
    let p = parse_text(&no_refs);
    assert_eq!(p.record_at(169).id("bank_ref"), None);
    assert!(warnings(&p).is_empty(), "{:?}", warnings(&p));
}

#[test]
fn entries_missing_their_amount_or_direction_are_quarantined() {
    let text = fixture_text(MULTI);
    let no_amount = text.replacen("<Amt Ccy=\"EUR\">8.85</Amt>", "", 1);
    let p = parse_text(&no_amount);
    let q = issues(&p, Outcome::Quarantined);
    assert_eq!(q.len(), 1);
    assert_eq!((q[0].line, q[0].field.as_deref()), (66, Some("Amt")));
    assert!(
        q[0].raw
            .as_deref()
            .is_some_and(|r| r.starts_with("<Ntry>") && r.ends_with("</Ntry>"))
    );
    assert_eq!(
        p.records.len(),
        1,
        "the other statement's entry still reads"
    );
    let w = warnings(&p);
    assert!(
        w.iter().any(|m| m.contains("1 entry was quarantined")),
        "{w:?}"
    );

    for (from, to, field) in [
        (
            "<CdtDbtInd>CRDT</CdtDbtInd>\n                <RvslInd>",
            "\n<RvslInd>",
            "CdtDbtInd",
        ),
        (
            "<CdtDbtInd>CRDT</CdtDbtInd>\n                <RvslInd>",
            "<CdtDbtInd>CR</CdtDbtInd>\n<RvslInd>",
            "CdtDbtInd",
        ),
        ("<Amt Ccy=\"EUR\">8.85", "<Amt>8.85", "Amt@Ccy"),
        ("<Amt Ccy=\"EUR\">8.85", "<Amt Ccy=\"EUR\">8,85", "Amt"),
        ("<Amt Ccy=\"EUR\">8.85", "<Amt Ccy=\"EUR\">-8.85", "Amt"),
        ("<RvslInd>false", "<RvslInd>maybe", "RvslInd"),
        ("<Dt>2015-01-02</Dt>", "<Dt>02.01.2015</Dt>", "ValDt/Dt"),
        (
            "<Amt Ccy=\"EUR\">8.85",
            "<Amt Ccy=\"EUR\">8.850001",
            "amount",
        ),
    ] {
        let bad = text.replacen(from, to, 1);
        assert_ne!(bad, text, "{from}");
        let p = parse_text(&bad);
        let q = issues(&p, Outcome::Quarantined);
        assert_eq!(q.len(), 1, "{to}");
        assert_eq!(
            (q[0].line, q[0].field.as_deref()),
            (66, Some(field)),
            "{to}: {}",
            q[0].reason
        );
        assert_eq!(p.record_at(145).amount, dec("-7.00"));
    }
}

#[test]
fn a_batch_whose_parts_lack_amounts_stays_one_record() {
    let text = fixture_text(V08).replace("<Amt Ccy=\"EUR\">100.00</Amt>", "");
    let p = parse_text(&text);
    let r = p.record_at(70);
    assert_eq!(r.amount, dec("664.05"));
    assert_eq!(r.extra_value("transactions"), Some("2"));
    let w = warnings(&p);
    assert!(
        w.iter().any(|m| m.contains("line 135 has no amount")),
        "{w:?}"
    );
}

#[test]
fn v2_transaction_amounts_split_a_batch_too() {
    // camt.053.001.02 TxDtls carry no Amt; AmtDtls/TxAmt/Amt has the part's amount.
    let text = fixture_text(V08)
        .replace(
            "<Amt Ccy=\"EUR\">564.05</Amt>",
            "<AmtDtls><TxAmt><Amt Ccy=\"EUR\">564.05</Amt></TxAmt></AmtDtls>",
        )
        .replace(
            "<Amt Ccy=\"EUR\">100.00</Amt>",
            "<AmtDtls><TxAmt><Amt Ccy=\"EUR\">100.00</Amt></TxAmt></AmtDtls>",
        );
    let p = parse_text(&text);
    assert_eq!(p.record_at(102).amount, dec("564.05"));
    assert_eq!(p.record_at(135).amount, dec("100.00"));
}

#[test]
fn an_account_after_the_entries_is_warned_about() {
    let text = fixture_text(MULTI);
    let acct = "<Acct>\n                <Id>\n                    <IBAN>NL26VAYB8060476890</IBAN>\n                </Id>\n                <Ccy>EUR</Ccy>\n            </Acct>";
    let moved = text.replacen(acct, "", 1).replacen(
        "</Ntry>\n        </Stmt>",
        &format!("</Ntry>{acct}\n        </Stmt>"),
        1,
    );
    assert_ne!(moved, text);
    let p = parse_text(&moved);
    assert_eq!(p.records[0].id("account"), None);
    let w = warnings(&p);
    assert!(
        w.iter()
            .any(|m| m.contains("<Acct>") && m.contains("after entries")),
        "{w:?}"
    );
}

#[test]
fn amounts_longer_than_iso_allows_are_quarantined_not_summed() {
    let huge = "9999999999999999999999999999";
    let text = fixture_text(V08)
        .replace(
            "<Amt Ccy=\"EUR\">664.05</Amt>",
            &format!("<Amt Ccy=\"EUR\">{huge}</Amt>"),
        )
        .replace(
            "<Amt Ccy=\"EUR\">564.05</Amt>",
            &format!("<Amt Ccy=\"EUR\">{huge}</Amt>"),
        )
        .replace(
            "<Amt Ccy=\"EUR\">1000.00</Amt>",
            &format!("<Amt Ccy=\"EUR\">{huge}</Amt>"),
        )
        .replace("<Sum>1039.17345</Sum>", &format!("<Sum>{huge}</Sum>"));
    let p = parse_text(&text);
    let q = issues(&p, Outcome::Quarantined);
    assert_eq!(
        (q.len(), q[0].line, q[0].field.as_deref()),
        (1, 70, Some("Amt"))
    );
    assert!(q[0].reason.contains("at most 18 digits"), "{}", q[0].reason);
}
