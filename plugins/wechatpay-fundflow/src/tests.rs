//! Tests through the exported C-ABI glue, on the real gunsluo sample and on small bills
//! written here.

use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_OK};
use qrecon_adapter_sdk::decode::{OwnedIssue, OwnedRecord};
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, Kind, NaiveDateTime, Status, testing};

const SAMPLE: &[u8] = include_bytes!("../fixtures/fundflowbill_BASIC_gunsluo.csv");
const HEADER: &str = "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号";
const SUMMARY_HEADER: &str = "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额";

// ---- helpers ---------------------------------------------------------------------------

/// A detail row: every value behind one backtick, as WeChat Pay prints it.
fn row(cells: [&str; 11]) -> String {
    cells.map(|c| format!("`{c}")).join(",")
}

/// A summary row from its five figures.
fn summary(figures: &str) -> String {
    figures
        .split(',')
        .map(|c| format!("`{c}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Header, `rows`, summary header and `figures`, one per line, `\n`-terminated.
fn bill(rows: &[String], figures: &str) -> String {
    let mut lines = vec![HEADER.to_owned()];
    lines.extend(rows.iter().cloned());
    lines.push(SUMMARY_HEADER.to_owned());
    lines.push(summary(figures));
    lines.join("\n") + "\n"
}

fn parse_bytes(bytes: &[u8]) -> Parsed {
    let parsed = testing::parse(crate::qrecon_descriptor(), "fundflow.csv", bytes);
    assert_eq!(parsed.status, STATUS_OK, "{:?}", parsed.message);
    parsed
}

fn parse(text: &str) -> Parsed {
    parse_bytes(text.as_bytes())
}

fn issues(parsed: &Parsed, outcome: Outcome) -> Vec<&OwnedIssue> {
    parsed.issues_of(outcome)
}

fn lines_of(parsed: &Parsed, outcome: Outcome) -> Vec<u64> {
    issues(parsed, outcome).iter().map(|i| i.line).collect()
}

/// `rows_read` == records + quarantined + skipped == line count, and every line once.
fn assert_every_line_once(parsed: &Parsed, line_count: u64) {
    parsed.assert_lines_once(line_count);
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("test decimal")
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("test time")
}

fn extra<'r>(record: &'r OwnedRecord, key: &str) -> Option<&'r str> {
    record.extra_value(key)
}

fn record_at(parsed: &Parsed, line: u64) -> &OwnedRecord {
    parsed.record_at(line)
}

fn warnings(parsed: &Parsed) -> Vec<&OwnedIssue> {
    issues(parsed, Outcome::Warning)
}

// ---- the real sample -------------------------------------------------------------------

#[test]
fn real_sample_parses_both_refunds() {
    let parsed = parse_bytes(SAMPLE);
    assert_every_line_once(&parsed, 5);
    assert_eq!(parsed.records.len(), 2);
    let first = &parsed.records[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.kind, Kind::Fund);
    assert_eq!(first.record_type, "refund");
    assert_eq!(first.provider, "wechatpay");
    assert_eq!(first.id("account"), None);
    assert_eq!(first.id("refund_id"), Some("50300806962021020105978994968"));
    assert_eq!(first.id("txn_id"), None);
    assert_eq!(first.id("order_id"), None);
    assert_eq!(extra(first, "out_refund_no"), Some("S20210201135356381941"));
    assert_eq!(
        extra(first, "业务凭证号"),
        None,
        "mapped to out_refund_no, not repeated"
    );
    assert_eq!(
        extra(first, "资金流水单号"),
        Some("4200000920202101197964319284")
    );
    assert_eq!(extra(first, "业务名称"), Some("退款"));
    assert_eq!(extra(first, "账户结余(元)"), Some("0.22"));
    assert_eq!(extra(first, "资金变更提交申请人"), Some("1601959334API"));
    assert_eq!(first.time, Some(at("2021-02-01 13:54:01")));
    assert_eq!(first.utc_offset_secs, None);
    assert_eq!(first.amount, dec("-0.01"));
    assert_eq!(first.currency, "CNY");
    assert_eq!(first.fee, Some(dec("0.00")));
    assert_eq!(first.status, Status::Success);
    assert_eq!(first.status_raw.as_deref(), Some("退款"));
    assert_eq!(first.party("memo"), Some("退款总金额0.01元;含手续费0.00元"));

    let second = &parsed.records[1];
    assert_eq!(second.line, 3);
    assert_eq!(
        second.id("refund_id"),
        Some("50300907032021020105978998710")
    );
    assert_eq!(
        extra(second, "out_refund_no"),
        Some("S20210201140044552846")
    );
    assert_eq!(second.time, Some(at("2021-02-01 14:00:45")));
    assert_eq!(second.amount, dec("-0.01"));
}

#[test]
fn real_sample_lines_are_skipped_with_reasons() {
    let parsed = parse_bytes(SAMPLE);
    let skipped: Vec<(u64, &str)> = issues(&parsed, Outcome::Skipped)
        .iter()
        .map(|i| (i.line, i.reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        vec![
            (1, "header"),
            (4, "summary trailer"),
            (5, "summary trailer")
        ]
    );
    assert!(issues(&parsed, Outcome::Quarantined).is_empty());
}

#[test]
fn real_sample_summary_disagreement_is_a_warning() {
    let parsed = parse_bytes(SAMPLE);
    let warnings = warnings(&parsed);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = warnings[0];
    assert_eq!(w.line, 5);
    assert!(
        w.reason
            .contains("资金流水总笔数 is 3 in the summary but 2 in the rows"),
        "{}",
        w.reason
    );
    assert!(
        w.reason
            .contains("收入笔数 is 1 in the summary but 0 in the rows"),
        "{}",
        w.reason
    );
    assert!(
        w.reason
            .contains("收入金额 is 0.01 in the summary but 0 in the rows"),
        "{}",
        w.reason
    );
    assert!(
        !w.reason.contains("支出笔数"),
        "the expense figures agree: {}",
        w.reason
    );
    assert!(
        !w.reason.contains("支出金额"),
        "the expense figures agree: {}",
        w.reason
    );
}

// ---- every business type ---------------------------------------------------------------

#[rustfmt::skip]
fn mixed_rows() -> Vec<String> {
    vec![
        row(["2024-03-01 10:00:00", "4200001234202403011111111111", "100000000001", "交易", "交易", "收入", "99.40", "1099.40", "系统", "含手续费0.60元", "ORD-1001"]),
        row(["2024-03-01 11:00:00", "50300001234202403012222222222", "100000000002", "退款", "退款", "支出", "10.00", "1089.40", "1601959334API", "退款总金额10.00元;含手续费0.06元", "RF-1001"]),
        row(["2024-03-01 12:00:00", "2024030112000001", "100000000003", "提现", "提现", "支出", "1000.00", "89.40", "管理员", "", "WD-20240301"]),
        row(["2024-03-01 12:30:00", "", "100000000004", "服务费", "技术服务费", "支出", "5.00", "84.40", "系统", "", ""]),
        String::new(),
        row(["2024-03-02 09:00:00", "2024030209000001", "100000000005", "提现", "其他", "收入", "1000.00", "1084.40", "系统", "账户名不符，提现退回", "WD-20240301"]),
        row(["2024-03-02 10:00:00", "", "100000000006", "冻结", "资金冻结", "支出", "50.00", "1034.40", "风控", "", ""]),
        row(["2024-03-02 11:00:00", "", "100000000007", "解冻", "资金解冻", "收入", "50.00", "1084.40", "风控", "", ""]),
        row(["2024-03-02 12:00:00", "", "100000000008", "营销补贴", "营销补贴", "收入", "3.00", "1087.40", "系统", "活动", ""]),
        row(["2024-03-02 13:00:00", "2024022813000001", "100000000009", "退票", "退票", "收入", "20.00", "1107.40", "系统", "开户行错误", "WD-20240228"]),
    ]
}

fn mixed() -> Parsed {
    parse(&bill(&mixed_rows(), "9,5,1172.40,4,1065.00"))
}

#[test]
fn mixed_bill_types_by_line() {
    let parsed = mixed();
    assert_every_line_once(&parsed, 13);
    let types: Vec<(u64, &str)> = parsed
        .records
        .iter()
        .map(|r| (r.line, r.record_type.as_str()))
        .collect();
    assert_eq!(
        types,
        vec![
            (2, "income"),
            (3, "refund"),
            (4, "withdrawal"),
            (5, "fee"),
            (7, "withdrawal_return"),
            (8, "freeze"),
            (9, "unfreeze"),
            (10, "other"),
            (11, "withdrawal_return"),
        ]
    );
    assert_eq!(lines_of(&parsed, Outcome::Skipped), vec![1, 6, 12, 13]);
    assert!(warnings(&parsed).is_empty(), "{:?}", parsed.issues);
}

#[test]
fn income_line_carries_txn_and_order_ids_and_fee() {
    let parsed = mixed();
    let income = record_at(&parsed, 2);
    assert_eq!(income.id("txn_id"), Some("4200001234202403011111111111"));
    assert_eq!(income.id("order_id"), Some("ORD-1001"));
    assert_eq!(income.id("refund_id"), None);
    assert_eq!(income.amount, dec("99.40"));
    assert_eq!(income.fee, Some(dec("0.60")));
    assert_eq!(income.time, Some(at("2024-03-01 10:00:00")));
    assert_eq!(income.status_raw.as_deref(), Some("交易"));
}

#[test]
fn refund_line_is_negative_with_refund_ids() {
    let parsed = mixed();
    let refund = record_at(&parsed, 3);
    assert_eq!(refund.amount, dec("-10.00"));
    assert_eq!(
        refund.id("refund_id"),
        Some("50300001234202403012222222222")
    );
    assert_eq!(extra(refund, "out_refund_no"), Some("RF-1001"));
    assert_eq!(refund.fee, Some(dec("0.06")));
}

#[test]
fn withdrawal_and_its_return_share_the_payout_id() {
    let parsed = mixed();
    let out = record_at(&parsed, 4);
    assert_eq!(out.amount, dec("-1000.00"));
    assert_eq!(out.id("payout_id"), Some("WD-20240301"));
    assert_eq!(out.id("txn_id"), None);
    let back = record_at(&parsed, 7);
    assert_eq!(back.record_type, "withdrawal_return");
    assert_eq!(back.amount, dec("1000.00"));
    assert_eq!(back.id("payout_id"), Some("WD-20240301"));
    assert_eq!(back.status_raw.as_deref(), Some("其他"));
    assert_eq!(back.party("memo"), Some("账户名不符，提现退回"));
    let bounced = record_at(&parsed, 11);
    assert_eq!(bounced.id("payout_id"), Some("WD-20240228"));
    assert_eq!(bounced.amount, dec("20.00"));
}

#[test]
fn fee_freeze_and_unknown_types_keep_their_raw_text() {
    let parsed = mixed();
    let fee = record_at(&parsed, 5);
    assert_eq!(
        (fee.amount, fee.status_raw.as_deref()),
        (dec("-5.00"), Some("技术服务费"))
    );
    assert_eq!(fee.fee, None);
    assert_eq!(extra(fee, "微信支付业务单号"), None);
    assert_eq!(record_at(&parsed, 8).amount, dec("-50.00"));
    assert_eq!(record_at(&parsed, 9).amount, dec("50.00"));
    let other = record_at(&parsed, 10);
    assert_eq!(other.record_type, "other");
    assert_eq!(other.status, Status::Success);
    assert_eq!(other.status_raw.as_deref(), Some("营销补贴"));
    assert_eq!(other.amount, dec("3.00"));
    assert_eq!(other.id("payout_id"), None);
}

#[test]
fn a_return_before_its_withdrawal_is_still_recognised() {
    #[rustfmt::skip]
    let rows = vec![
        row(["2024-03-02 09:00:00", "", "1", "提现", "提现退回", "收入", "8.00", "8.00", "系统", "", "WD-9"]),
        row(["2024-03-01 12:00:00", "", "2", "提现", "提现", "支出", "8.00", "0.00", "管理员", "", "WD-9"]),
        row(["2024-03-03 09:00:00", "", "3", "交易", "交易", "收入", "8.00", "8.00", "系统", "", "WD-X"]),
    ];
    let parsed = parse(&bill(&rows, "3,2,16.00,1,8.00"));
    assert_every_line_once(&parsed, 6);
    let types: Vec<&str> = parsed
        .records
        .iter()
        .map(|r| r.record_type.as_str())
        .collect();
    assert_eq!(types, vec!["withdrawal_return", "withdrawal", "income"]);
    assert_eq!(parsed.records[0].id("payout_id"), Some("WD-9"));
    assert!(warnings(&parsed).is_empty(), "{:?}", parsed.issues);
}

// ---- bad rows --------------------------------------------------------------------------

#[rustfmt::skip]
fn bad_rows() -> Vec<String> {
    vec![
        row(["2024-03-01 10:00:00", "4200000000000000000000000001", "1", "交易", "交易", "收入", "99.40", "99.40", "系统", "", "ORD-1"]),
        row(["2024-13-01 10:00:00", "4200000000000000000000000002", "2", "交易", "交易", "收入", "1.00", "100.40", "系统", "", "ORD-2"]),
        row(["2024-03-01 10:02:00", "4200000000000000000000000003", "3", "交易", "交易", "收入", "1.0.0", "101.40", "系统", "", "ORD-3"]),
        // 业务凭证号 missing: 10 cells
        "`2024-03-01 10:03:00,`4200000000000000000000000004,`4,`交易,`交易,`收入,`1.00,`102.40,`系统,`".to_owned(),
        row(["2024-03-01 10:04:00", "4200000000000000000000000005", "5", "交易", "交易", "转入", "1.00", "103.40", "系统", "", "ORD-5"]),
        row(["2024-03-01 10:05:00", "50300000000000000000000000006", "6", "退款", "退款", "支出", "-1.00", "102.40", "系统", "", "RF-6"]),
        "\"2024-03-01 10:06:00,`x,`y".to_owned(),
        row(["2024-03-01 11:00:00", "50300000000000000000000000008", "8", "退款", "退款", "支出", "10.00", "92.40", "系统", "", "RF-8"]),
    ]
}

#[test]
fn bad_rows_are_quarantined_and_the_file_goes_on() {
    let rows = bad_rows();
    let parsed = parse(&bill(&rows, "8,5,104.40,3,12.00"));
    assert_every_line_once(&parsed, 11);
    let good: Vec<(u64, Decimal)> = parsed.records.iter().map(|r| (r.line, r.amount)).collect();
    assert_eq!(good, vec![(2, dec("99.40")), (9, dec("-10.00"))]);
    let quarantined = issues(&parsed, Outcome::Quarantined);
    let lines: Vec<u64> = quarantined.iter().map(|i| i.line).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 7, 8]);
    for (issue, raw) in quarantined.iter().zip(&rows[1..7]) {
        assert_eq!(
            issue.raw.as_deref(),
            Some(raw.as_str()),
            "line {}",
            issue.line
        );
    }
    let fields: Vec<Option<&str>> = quarantined.iter().map(|i| i.field.as_deref()).collect();
    assert_eq!(
        fields,
        vec![
            Some("记账时间"),
            Some("收支金额(元)"),
            None,
            Some("收支类型"),
            Some("收支金额(元)"),
            None
        ]
    );
    assert!(
        quarantined[0].reason.contains("expected a date and time"),
        "{}",
        quarantined[0].reason
    );
    assert!(
        quarantined[1].reason.contains("\"1.0.0\""),
        "{}",
        quarantined[1].reason
    );
    assert_eq!(
        quarantined[2].reason,
        "expected 11 cells as in the header (line 1), found 10"
    );
    assert_eq!(
        quarantined[3].reason,
        "field 收支类型: expected 收入 or 支出, found \"转入\""
    );
    assert!(
        quarantined[4].reason.contains("unsigned amount"),
        "{}",
        quarantined[4].reason
    );
    assert_eq!(quarantined[5].reason, "a quoted cell is not closed");
}

#[test]
fn quarantined_rows_show_in_the_control_totals() {
    let parsed = parse(&bill(&bad_rows(), "8,5,104.40,3,12.00"));
    let warnings = warnings(&parsed);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, 11);
    assert_eq!(
        warnings[0].reason,
        "control totals disagree with the rows read: 资金流水总笔数 is 8 in the summary but 2 in the rows; \
         收入笔数 is 5 in the summary but 1 in the rows; 收入金额 is 104.40 in the summary but 99.40 in the rows; \
         支出笔数 is 3 in the summary but 1 in the rows; 支出金额 is 12.00 in the summary but 10.00 in the rows"
    );
}

#[test]
fn an_unreadable_fee_in_the_memo_is_a_warning_not_a_lost_row() {
    #[rustfmt::skip]
    let rows = vec![row(["2024-03-01 10:00:00", "4200", "1", "交易", "交易", "收入", "1.00", "1.00", "系统", "含手续费abc元", "ORD-1"])];
    let parsed = parse(&bill(&rows, "1,1,1.00,0,0.00"));
    assert_every_line_once(&parsed, 4);
    assert_eq!(parsed.records[0].fee, None);
    let warnings = warnings(&parsed);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].line, 2);
    assert!(
        warnings[0].reason.contains("备注"),
        "{}",
        warnings[0].reason
    );
}

// ---- encodings, line ends, layout ------------------------------------------------------

#[test]
fn gbk_with_crlf_reads_like_utf8() {
    let mut rows = mixed_rows();
    #[rustfmt::skip]
    rows.push(row(["2024-03-03 10:00:00", "", "10", "交易", "交易", "收到", "1.00", "1.00", "系统", "", ""]));
    let text = bill(&rows, "9,5,1172.40,4,1065.00").replace('\n', "\r\n");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the test file must really be GBK"
    );
    let parsed = parse_bytes(&gbk);
    assert_every_line_once(&parsed, 14);
    let utf8 = mixed();
    assert_eq!(parsed.records, utf8.records);
    let quarantined = issues(&parsed, Outcome::Quarantined);
    assert_eq!(quarantined.len(), 1);
    assert_eq!(quarantined[0].line, 12);
    assert_eq!(
        quarantined[0].raw.as_deref(),
        rows.last().map(String::as_str)
    );
    assert_eq!(quarantined[0].field.as_deref(), Some("收支类型"));
}

#[test]
fn utf8_bom_and_crlf_on_the_real_sample() {
    let text = std::str::from_utf8(SAMPLE)
        .expect("utf-8 sample")
        .replace('\n', "\r\n");
    let bytes = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    let parsed = parse_bytes(&bytes);
    assert_every_line_once(&parsed, 5);
    assert_eq!(parsed.records, parse_bytes(SAMPLE).records);
}

#[test]
fn columns_are_found_by_name() {
    let text = "记账时间,收支类型,资金流水单号,收支金额(元),业务类型,业务凭证号,微信支付业务单号\n\
                `2024-03-01 10:00:00,`收入,`1,`5.00,`交易,`ORD-1,`4200000000000000000000000001\n";
    let parsed = parse(text);
    assert_every_line_once(&parsed, 2);
    let r = &parsed.records[0];
    assert_eq!((r.record_type.as_str(), r.amount), ("income", dec("5.00")));
    assert_eq!(r.id("txn_id"), Some("4200000000000000000000000001"));
    assert_eq!(r.id("order_id"), Some("ORD-1"));
    assert_eq!(r.party("memo"), None);
    let warnings = warnings(&parsed);
    assert_eq!(warnings.len(), 1, "no summary: {warnings:?}");
    assert_eq!(warnings[0].line, 2);
}

#[test]
fn blank_lines_and_text_after_the_summary() {
    #[rustfmt::skip]
    let rows = vec![row(["2024-03-01 10:00:00", "4200", "1", "交易", "交易", "收入", "1.00", "1.00", "系统", "", "ORD-1"])];
    let text = format!("\n{}\n\nstray text\n\n", bill(&rows, "1,1,1.00,0,0.00"));
    let parsed = parse(&text);
    assert_every_line_once(&parsed, 9);
    assert_eq!(
        lines_of(&parsed, Outcome::Skipped),
        vec![1, 2, 4, 5, 6, 7, 9]
    );
    let quarantined = issues(&parsed, Outcome::Quarantined);
    assert_eq!(quarantined.len(), 1);
    assert_eq!(
        (quarantined[0].line, quarantined[0].raw.as_deref()),
        (8, Some("stray text"))
    );
    assert!(warnings(&parsed).is_empty(), "{:?}", parsed.issues);
}

#[test]
fn a_summary_header_without_its_row_is_a_warning() {
    let text = format!("{HEADER}\n{SUMMARY_HEADER}\n");
    let parsed = parse(&text);
    assert_every_line_once(&parsed, 2);
    let warnings = warnings(&parsed);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].line, 2);
}

#[test]
fn a_file_that_does_not_start_with_the_header_is_refused() {
    let text = format!("微信支付资金账单\n{}", bill(&[], "0,0,0.00,0,0.00"));
    let parsed = testing::parse(crate::qrecon_descriptor(), "x.csv", text.as_bytes());
    assert_eq!(parsed.status, STATUS_FILE_ERROR);
    let message = parsed.message.expect("a message");
    assert!(
        message.starts_with("line 1: expected the fund-flow header"),
        "{message}"
    );
    let empty = testing::parse(crate::qrecon_descriptor(), "x.csv", b"\n\n");
    assert_eq!(empty.status, STATUS_FILE_ERROR);
}

#[test]
fn a_header_missing_a_needed_column_is_refused() {
    let text = "记账时间,资金流水单号,业务类型,收支金额(元)\n`2024-03-01 10:00:00,`1,`交易,`1.00\n";
    let parsed = testing::parse(crate::qrecon_descriptor(), "x.csv", text.as_bytes());
    assert_eq!(parsed.status, STATUS_FILE_ERROR);
    assert_eq!(
        parsed.message.as_deref(),
        Some("line 1: the fund-flow header lacks the column(s) 收支类型")
    );
}

// ---- sniff and descriptor --------------------------------------------------------------

fn sniff(head: &[u8]) -> u8 {
    testing::sniff(crate::qrecon_descriptor(), "bill.csv", head)
}

#[test]
fn sniff_knows_the_header() {
    assert_eq!(sniff(SAMPLE), 95);
    assert_eq!(sniff(&SAMPLE[..100]), 95, "a head cut inside a character");
    assert_eq!(sniff(format!("\r\n\r\n{HEADER}\r\n").as_bytes()), 95);
    let (gbk, _, _) = encoding_rs::GBK.encode(HEADER);
    assert_eq!(sniff(&gbk), 95);
    assert_eq!(sniff(b""), 0);
    assert_eq!(
        sniff("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号".as_bytes()),
        0
    );
    assert_eq!(sniff(b"claim_id,paid_at,amount\n"), 0);
    assert_eq!(sniff(format!("preamble\n{HEADER}\n").as_bytes()), 0);
}

#[test]
fn descriptor_names_the_adapter() {
    let plugin = testing::plugin(crate::qrecon_descriptor());
    assert_eq!(plugin.name, "wechatpay-fundflow");
    assert_eq!(plugin.kinds, "fund");
    assert_eq!(plugin.formats, "WeChat Pay fund-flow bill (资金账单)");
}
