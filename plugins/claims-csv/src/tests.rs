//! Tests through the exported C-ABI glue, on the sample fixture and on small files written
//! here.

use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_OK};
use qrecon_adapter_sdk::decode::OwnedIssue;
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, Kind, NaiveDateTime, Status, testing};

const SAMPLE: &[u8] = include_bytes!("../fixtures/claims_sample.csv");
const FULL_HEADER: &str =
    "claim_id,source,provider,paid_at,amount,currency,order_id,txn_id,payer,payee_seen,note";

// ---- helpers ---------------------------------------------------------------------------

fn parse_bytes(bytes: &[u8]) -> Parsed {
    let parsed = testing::parse(crate::qrecon_descriptor(), "claims.csv", bytes);
    assert_eq!(parsed.status, STATUS_OK, "{:?}", parsed.message);
    parsed
}

fn parse(text: &str) -> Parsed {
    parse_bytes(text.as_bytes())
}

fn file_error(text: &str) -> String {
    let parsed = testing::parse(crate::qrecon_descriptor(), "claims.csv", text.as_bytes());
    assert_eq!(parsed.status, STATUS_FILE_ERROR, "{parsed:?}");
    parsed.message.expect("a file error has a message")
}

fn issues(parsed: &Parsed, outcome: Outcome) -> Vec<&OwnedIssue> {
    parsed
        .issues
        .iter()
        .filter(|i| i.outcome == outcome)
        .collect()
}

fn quarantined(parsed: &Parsed) -> Vec<&OwnedIssue> {
    issues(parsed, Outcome::Quarantined)
}

/// `rows_read` == records + quarantined + skipped == line count, and every line once.
fn assert_every_line_once(parsed: &Parsed, line_count: u64) {
    let reported =
        parsed.records.len() + quarantined(parsed).len() + issues(parsed, Outcome::Skipped).len();
    assert_eq!(parsed.rows_read, reported as u64);
    assert_eq!(parsed.rows_read, line_count);
    let mut seen: Vec<u64> = parsed.records.iter().map(|r| r.line).collect();
    seen.extend(parsed.issues.iter().map(|i| i.line));
    seen.sort_unstable();
    assert_eq!(seen, (1..=line_count).collect::<Vec<_>>());
    assert!(issues(parsed, Outcome::Warning).is_empty());
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("test decimal")
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("test time")
}

fn claim_ids(parsed: &Parsed) -> Vec<&str> {
    parsed
        .records
        .iter()
        .filter_map(|r| r.id("claim_id"))
        .collect()
}

/// A file with only the required columns and `rows` below the header.
fn required_only(rows: &[&str]) -> String {
    let mut lines = vec!["claim_id,paid_at,amount"];
    lines.extend(rows);
    lines.join("\n") + "\n"
}

/// The one quarantined row of `parsed`, on `line`.
fn only_quarantined(parsed: &Parsed, line: u64) -> &OwnedIssue {
    let q = quarantined(parsed);
    assert_eq!(q.len(), 1, "{:?}", parsed.issues);
    assert_eq!(q[0].line, line);
    q[0]
}

// ---- the sample fixture ----------------------------------------------------------------

#[test]
fn sample_every_line_is_reported() {
    let parsed = parse_bytes(SAMPLE);
    assert_every_line_once(&parsed, 6);
    assert_eq!(
        claim_ids(&parsed),
        vec!["C-0001", "C-0002", "C-0003", "C-0004"]
    );
    let skipped: Vec<(u64, &str)> = issues(&parsed, Outcome::Skipped)
        .iter()
        .map(|i| (i.line, i.reason.as_str()))
        .collect();
    assert_eq!(skipped, vec![(1, "header"), (5, "blank line")]);
}

#[test]
fn sample_order_with_every_column() {
    let parsed = parse_bytes(SAMPLE);
    let r = &parsed.records[0];
    assert_eq!(
        (r.line, r.kind, r.record_type.as_str()),
        (2, Kind::Claim, "order")
    );
    assert_eq!(r.provider, "wechatpay");
    assert_eq!(r.id("claim_id"), Some("C-0001"));
    assert_eq!(r.id("order_id"), Some("ORD-1001"));
    assert_eq!(r.id("txn_id"), Some("4200001234202403011111111111"));
    assert_eq!(r.time, Some(at("2024-03-01 10:00:00")));
    assert_eq!(r.utc_offset_secs, None);
    assert_eq!((r.amount, r.currency.as_str()), (dec("99.40"), "CNY"));
    assert_eq!((r.status, r.status_raw.as_deref()), (Status::Success, None));
    assert_eq!(r.party("payer"), None);
    assert_eq!(r.party("payee_name"), Some("示例餐厅"));
    assert_eq!(r.party("memo"), None);
    assert_eq!(r.fee, None);
    assert!(r.extra.is_empty());
}

#[test]
fn sample_complaint_with_offset_and_quoted_note() {
    let parsed = parse_bytes(SAMPLE);
    let r = &parsed.records[1];
    assert_eq!(r.record_type, "complaint");
    assert_eq!(r.time, Some(at("2024-03-01 10:05:00")));
    assert_eq!(r.utc_offset_secs, Some(8 * 3600));
    assert_eq!(r.amount, dec("58.50"));
    assert_eq!(r.id("order_id"), None);
    assert_eq!(r.party("payer"), Some("o****x"));
    assert_eq!(r.party("memo"), Some("顾客称已付款, 但未到账"));
}

#[test]
fn sample_payer_receipt_in_utc() {
    let parsed = parse_bytes(SAMPLE);
    let r = &parsed.records[2];
    assert_eq!(
        (r.record_type.as_str(), r.provider.as_str()),
        ("payer_receipt", "alipay")
    );
    assert_eq!(r.time, Some(at("2024-03-02 04:30:00")));
    assert_eq!(r.utc_offset_secs, Some(0));
    assert_eq!(r.currency, "CNY", "an empty currency defaults to CNY");
    assert_eq!(r.party("payer"), Some("张*"));
    assert_eq!(r.party("payee_name"), Some("示例小吃"));
}

#[test]
fn sample_defaults_quoted_amount_and_doubled_quotes() {
    let parsed = parse_bytes(SAMPLE);
    let r = &parsed.records[3];
    assert_eq!(r.line, 6);
    assert_eq!(
        (r.record_type.as_str(), r.provider.as_str()),
        ("order", "unknown")
    );
    assert_eq!(r.amount, dec("1280.00"));
    assert_eq!(r.id("order_id"), Some("ORD-1004"));
    assert_eq!(r.id("txn_id"), None);
    assert_eq!(r.party("memo"), Some("备注 \"加急\""));
}

// ---- layouts and encodings -------------------------------------------------------------

#[test]
fn only_the_required_columns() {
    let parsed = parse(&required_only(&["A1,2024-03-01 10:00:00,5.00"]));
    assert_every_line_once(&parsed, 2);
    let r = &parsed.records[0];
    assert_eq!(
        (
            r.record_type.as_str(),
            r.provider.as_str(),
            r.currency.as_str()
        ),
        ("order", "unknown", "CNY")
    );
    assert_eq!(
        (r.id("claim_id"), r.amount, r.time),
        (Some("A1"), dec("5.00"), Some(at("2024-03-01 10:00:00")))
    );
    assert_eq!(
        r.ids.iter().flatten().count(),
        1,
        "only claim_id is set: {:?}",
        r.ids
    );
    assert!(r.parties.iter().all(Option::is_none));
}

#[test]
fn columns_in_any_order_any_case_with_extras() {
    let text = "Amount,门店,PAID_AT,note,Claim_Id,channel,\n\
                12.30,一号店,2024-03-01 10:00:00,\"a, b\",X1,,\n\
                1.00,,2024-03-01 11:00:00,,X2,pos,spare\n";
    let parsed = parse(text);
    assert_every_line_once(&parsed, 3);
    let first = &parsed.records[0];
    assert_eq!(
        (first.id("claim_id"), first.amount),
        (Some("X1"), dec("12.30"))
    );
    assert_eq!(first.party("memo"), Some("a, b"));
    assert_eq!(first.extra, vec![("门店".to_owned(), "一号店".to_owned())]);
    let second = &parsed.records[1];
    let extra: Vec<(&str, &str)> = second
        .extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(extra, vec![("channel", "pos"), ("column 7", "spare")]);
}

#[test]
fn rfc3339_and_naive_times() {
    let parsed = parse(&required_only(&[
        "T1,2024-03-01T10:00:00+08:00,1",
        "T2,2024-03-01T02:00:00Z,1",
        "T3,2024-03-01 10:00:00,1",
        "T4,2024-03-01T10:00:00-05:30,1",
    ]));
    assert_every_line_once(&parsed, 5);
    let offsets: Vec<Option<i32>> = parsed.records.iter().map(|r| r.utc_offset_secs).collect();
    assert_eq!(offsets, vec![Some(28_800), Some(0), None, Some(-19_800)]);
    let times: Vec<Option<NaiveDateTime>> = parsed.records.iter().map(|r| r.time).collect();
    let expected = [
        "2024-03-01 10:00:00",
        "2024-03-01 02:00:00",
        "2024-03-01 10:00:00",
        "2024-03-01 10:00:00",
    ];
    assert_eq!(times, expected.map(|t| Some(at(t))).to_vec());
}

#[test]
fn gbk_file_reads_like_utf8() {
    let text = format!(
        "{FULL_HEADER}\r\nG1,order,wechatpay,2024-03-01 10:00:00,8.80,CNY,,,王*,示例餐厅,\"到店付款, 扫码\"\r\n"
    );
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the test file must really be GBK"
    );
    let parsed = parse_bytes(&gbk);
    assert_every_line_once(&parsed, 2);
    let r = &parsed.records[0];
    assert_eq!(r.party("payer"), Some("王*"));
    assert_eq!(r.party("payee_name"), Some("示例餐厅"));
    assert_eq!(r.party("memo"), Some("到店付款, 扫码"));
    assert_eq!(parsed.records, parse(&text).records);
}

#[test]
fn utf8_bom_crlf_and_blank_lines() {
    let text = "\u{feff}\r\nclaim_id,paid_at,amount\r\n\r\nB1,2024-03-01 10:00:00,1.00\r\n\r\n";
    let parsed = parse(text);
    assert_every_line_once(&parsed, 5);
    assert_eq!(claim_ids(&parsed), vec!["B1"]);
    let blank: Vec<u64> = issues(&parsed, Outcome::Skipped)
        .iter()
        .filter(|i| i.reason == "blank line")
        .map(|i| i.line)
        .collect();
    assert_eq!(blank, vec![1, 3, 5]);
}

// ---- bad rows --------------------------------------------------------------------------

#[test]
fn bad_amounts_are_quarantined() {
    let parsed = parse(&required_only(&[
        "A1,2024-03-01 10:00:00,abc",
        "A2,2024-03-01 10:00:00,0.00",
        "A3,2024-03-01 10:00:00,-5",
        "A4,2024-03-01 10:00:00,",
        "A5,2024-03-01 10:00:00,5",
    ]));
    assert_every_line_once(&parsed, 6);
    assert_eq!(claim_ids(&parsed), vec!["A5"]);
    let q = quarantined(&parsed);
    let got: Vec<(u64, Option<&str>, &str)> = q
        .iter()
        .map(|i| (i.line, i.field.as_deref(), i.reason.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                2,
                Some("amount"),
                "field amount: expected a decimal amount like 1,234.56, found \"abc\""
            ),
            (
                3,
                Some("amount"),
                "field amount: expected a positive amount, found \"0.00\""
            ),
            (
                4,
                Some("amount"),
                "field amount: expected a positive amount, found \"-5\""
            ),
            (
                5,
                Some("amount"),
                "field amount: expected a decimal amount like 1,234.56, found \"\""
            ),
        ]
    );
    assert_eq!(q[0].raw.as_deref(), Some("A1,2024-03-01 10:00:00,abc"));
}

#[test]
fn bad_dates_are_quarantined() {
    let parsed = parse(&required_only(&[
        "D1,2024-02-30 10:00:00,1",
        "D2,yesterday,1",
        "D3,,1",
    ]));
    assert_every_line_once(&parsed, 4);
    let q = quarantined(&parsed);
    assert_eq!(q.iter().map(|i| i.line).collect::<Vec<_>>(), vec![2, 3, 4]);
    assert!(q.iter().all(|i| i.field.as_deref() == Some("paid_at")));
    assert_eq!(
        q[0].reason,
        "field paid_at: expected a date and time like 2026-01-02 03:04:05, found \"2024-02-30 10:00:00\""
    );
    assert_eq!(q[1].raw.as_deref(), Some("D2,yesterday,1"));
}

#[test]
fn wrong_cell_count_is_quarantined() {
    let parsed = parse(&required_only(&[
        "W1,2024-03-01 10:00:00",
        "W2,2024-03-01 10:00:00,1,extra",
        "W3,2024-03-01 10:00:00,1",
    ]));
    assert_every_line_once(&parsed, 4);
    assert_eq!(claim_ids(&parsed), vec!["W3"]);
    let q = quarantined(&parsed);
    assert_eq!((q[0].line, q[0].field.as_deref()), (2, None));
    assert_eq!(
        q[0].reason,
        "expected 3 cells as in the header (line 1), found 2"
    );
    assert_eq!(
        q[1].reason,
        "expected 3 cells as in the header (line 1), found 4"
    );
    assert_eq!(q[1].raw.as_deref(), Some("W2,2024-03-01 10:00:00,1,extra"));
}

#[test]
fn unclosed_quote_is_quarantined() {
    let text = "claim_id,paid_at,amount,note\nQ1,2024-03-01 10:00:00,1,\"starts here\nand ends here\",\nQ2,2024-03-01 10:00:00,1,ok\n";
    let parsed = parse(text);
    assert_every_line_once(&parsed, 4);
    assert_eq!(claim_ids(&parsed), vec!["Q2"]);
    let q = quarantined(&parsed);
    assert_eq!(
        (q[0].line, q[0].reason.as_str()),
        (2, "a quoted cell is not closed")
    );
    assert_eq!(
        q[0].raw.as_deref(),
        Some("Q1,2024-03-01 10:00:00,1,\"starts here")
    );
    assert_eq!(
        q[1].line, 3,
        "the rest of a multi-line cell is a row of its own"
    );
}

#[test]
fn bad_source_is_quarantined_naming_the_allowed_values() {
    let text = "claim_id,source,paid_at,amount\nS1,refund,2024-03-01 10:00:00,1\nS2,Complaint,2024-03-01 10:00:00,1\n";
    let parsed = parse(text);
    assert_every_line_once(&parsed, 3);
    assert_eq!(parsed.records[0].record_type, "complaint");
    let q = only_quarantined(&parsed, 2);
    assert_eq!(q.field.as_deref(), Some("source"));
    assert_eq!(
        q.reason,
        "field source: expected order, complaint or payer_receipt (or empty for order), found \"refund\""
    );
}

#[test]
fn duplicate_claim_id_quarantines_the_later_row() {
    let parsed = parse(&required_only(&[
        "A1,2024-03-01 10:00:00,1",
        "A2,2024-03-01 10:00:00,2",
        "A1,2024-03-02 10:00:00,3",
    ]));
    assert_every_line_once(&parsed, 4);
    assert_eq!(claim_ids(&parsed), vec!["A1", "A2"]);
    assert_eq!(parsed.records[0].amount, dec("1"));
    let q = only_quarantined(&parsed, 4);
    assert_eq!(q.field.as_deref(), Some("claim_id"));
    assert_eq!(
        q.reason,
        "field claim_id: claim_id A1 already used on line 2"
    );
    assert_eq!(q.raw.as_deref(), Some("A1,2024-03-02 10:00:00,3"));
}

#[test]
fn empty_claim_id_is_quarantined() {
    let parsed = parse(&required_only(&[
        ",2024-03-01 10:00:00,1",
        "  ,2024-03-01 10:00:00,1",
    ]));
    assert_every_line_once(&parsed, 3);
    let q = quarantined(&parsed);
    assert_eq!(q.len(), 2);
    assert_eq!(
        q[0].reason,
        "field claim_id: expected a claim id, found \"\""
    );
}

// ---- file errors -----------------------------------------------------------------------

#[test]
fn a_header_missing_required_columns_fails_naming_them() {
    let message = file_error("claim_id,amount,note\nA1,1,x\n");
    assert_eq!(
        message,
        "line 1: the claims header \"claim_id,amount,note\" lacks the required column(s) paid_at; \
         a claims CSV needs claim_id, paid_at and amount"
    );
    let message = file_error("\n\nid,when,how much\n");
    assert!(
        message.starts_with("line 3: the claims header"),
        "{message}"
    );
    assert!(
        message.contains("lacks the required column(s) claim_id, paid_at, amount"),
        "{message}"
    );
}

#[test]
fn a_repeated_column_or_an_empty_file_fails() {
    let message = file_error("claim_id,paid_at,amount,Amount\n");
    assert_eq!(
        message,
        "line 1: the header names the column amount more than once"
    );
    assert!(file_error("").starts_with("the file is empty"));
    assert!(file_error("\n \n").starts_with("the file is empty"));
}

// ---- sniff and descriptor --------------------------------------------------------------

fn sniff(head: &[u8]) -> u8 {
    testing::sniff(crate::qrecon_descriptor(), "claims.csv", head)
}

#[test]
fn sniff_knows_a_claims_header() {
    assert_eq!(sniff(SAMPLE), 90);
    assert_eq!(sniff(b"\xEF\xBB\xBF\r\nclaim_id,paid_at,amount\r\n"), 90);
    assert_eq!(sniff(b"amount,\"paid_at\",note,claim_id"), 90);
    assert_eq!(sniff(b"claim_id,amount,note\n"), 0);
    assert_eq!(
        sniff(b"A1,2024-03-01 10:00:00,1\nclaim_id,paid_at,amount\n"),
        0
    );
    assert_eq!(
        sniff("记账时间,微信支付业务单号,资金流水单号".as_bytes()),
        0
    );
    assert_eq!(sniff(b""), 0);
}

#[test]
fn descriptor_names_the_adapter() {
    let plugin = testing::plugin(crate::qrecon_descriptor());
    assert_eq!(
        (plugin.name, plugin.kinds, plugin.formats),
        ("claims-csv", "claim", "qrecon claims CSV")
    );
}
