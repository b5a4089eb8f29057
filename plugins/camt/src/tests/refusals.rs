//! Files that cannot be read as a whole: a file error naming the line, never a panic, and never
//! an entity expanded.

use qrecon_adapter_sdk::abi::STATUS_FILE_ERROR;

use super::{fixture, fixture_text, run};

const MULTI: &str = "genkgo_camt053.v2.multi.statement.xml";

/// The message of a refused file.
fn refused(bytes: &[u8]) -> String {
    let parsed = run("refused.xml", bytes);
    assert_eq!(parsed.status, STATUS_FILE_ERROR, "{:?}", parsed.message);
    assert!(parsed.records.is_empty());
    parsed.message.expect("a message")
}

#[test]
fn a_dtd_is_refused_before_any_entity_is_expanded() {
    let message = refused(&fixture("qrecon_camt053_doctype.xml"));
    assert!(
        message.starts_with("line 2: ") && message.contains("DOCTYPE"),
        "{message}"
    );
    let external = "<?xml version=\"1.0\"?>\n\n<!DOCTYPE Document SYSTEM \"file:///etc/passwd\">\n\
                    <Document><BkToCstmrStmt/></Document>";
    let message = refused(external.as_bytes());
    assert!(message.starts_with("line 3: "), "{message}");
}

#[test]
fn an_undefined_entity_is_refused_with_its_line() {
    let text = fixture_text(MULTI).replacen("Company Name 2", "Company &nbsp; 2", 1);
    let message = refused(text.as_bytes());
    assert!(
        message.starts_with("line 173: ") && message.contains("&nbsp;"),
        "{message}"
    );
}

#[test]
fn malformed_xml_is_refused_with_its_line() {
    let text = fixture_text(MULTI).replacen("</Nm>", "</Name>", 1);
    let message = refused(text.as_bytes());
    assert!(message.starts_with("line 8: malformed XML"), "{message}");
    let text = fixture_text(MULTI).replacen("<Amt Ccy=\"EUR\">8.85", "<Amt Ccy=EUR>8.85", 1);
    let message = refused(text.as_bytes());
    assert!(message.starts_with("line 67: "), "{message}");
}

#[test]
fn a_file_cut_short_is_refused() {
    let text = fixture_text(MULTI);
    let second = text
        .find("<Stmt>\n            <Id>254")
        .expect("second statement");
    let end_of_line = second + text[second..].find("</Id>\n").expect("its id") + 6;
    let message = refused(&text.as_bytes()[..end_of_line]);
    assert!(
        message.contains("cut short") && message.contains("<Stmt>"),
        "{message}"
    );
    let inside_a_tag = refused(&text.as_bytes()[..second + 3]);
    assert!(
        inside_a_tag.starts_with("line 112: malformed XML"),
        "{inside_a_tag}"
    );
}

#[test]
fn absurd_nesting_is_refused() {
    let deep = format!(
        "<Document><BkToCstmrStmt><Stmt><Ntry>{}{}</Ntry></Stmt></BkToCstmrStmt></Document>",
        "<AddtlNtryInf>".repeat(100),
        "</AddtlNtryInf>".repeat(100)
    );
    let message = refused(deep.as_bytes());
    assert!(message.contains("nested deeper than 64"), "{message}");
}

#[test]
fn other_documents_are_refused() {
    let pain = "<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\">\
                <CstmrCdtTrfInitn><GrpHdr><MsgId>1</MsgId></GrpHdr></CstmrCdtTrfInitn></Document>";
    assert!(refused(pain.as_bytes()).contains("not a camt"));
    assert!(refused(b"").contains("not a camt"));
    assert!(refused(b"Date,Amount\n2026-01-01,1.00\n").contains("not a camt"));
    let message = refused(b"<Document>\n<BkToCstmrStmt>\xFF</BkToCstmrStmt></Document>");
    assert!(
        message.starts_with("line 2: ") && message.contains("UTF-8"),
        "{message}"
    );
}
