//! The adapter through the real C-ABI glue, against the published samples in `fixtures/`
//! and small variants of them.

use qrecon_adapter_sdk::abi::{STATUS_FILE_ERROR, STATUS_OK};
use qrecon_adapter_sdk::decode::{OwnedIssue, OwnedRecord};
use qrecon_adapter_sdk::plugin::Parsed;
use qrecon_adapter_sdk::schema::Outcome;
use qrecon_adapter_sdk::{Decimal, Kind, NaiveDate, Status, testing};

const CREDIT: &str = include_str!("../fixtures/icbc_credit.csv");
const DEBIT_V2: &str = include_str!("../fixtures/icbc_debit_v2.csv");

/// A debit v1 statement (no 交易详情, no 对方账户) whose CNY footer matches its rows; the
/// third row is a foreign-currency one with only 交易金额 filled.
const DEBIT_V1: &str = concat!(
    "明细查询文件下载\n",
    "\n",
    "卡号: 1234****0001,\"卡别名: \"\n",
    "\n",
    "子账户序号: 00000,子账户类别: 活期,\"子账户别名: \"\n",
    "\n",
    "交易日期,摘要,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,",
    "记账金额(收入),记账金额(支出),记账币种,余额,对方户名\n",
    "2023-05-02     \t,\"消费                \t\",\"财付通-美团          \t\",\"CHN                 \t\",",
    "钞        \t,\"-                   \t\",\"-                   \t\",-              \t,",
    "\"                    \t\",\"13.40               \t\",人民币         \t,",
    "\"1,986.60            \t\",\"                    \t\",\n",
    "2023-04-14     \t,\"工资                \t\",\"                    \t\",\"CHN                 \t\",",
    "钞        \t,\"-                   \t\",\"-                   \t\",-              \t,",
    "\"2,000.00            \t\",\"                    \t\",人民币         \t,",
    "\"2,000.00            \t\",\"ABC公司             \t\",\n",
    "2023-03-01     \t,\"消费                \t\",\"AMAZON              \t\",\"USA                 \t\",",
    "汇        \t,\"                    \t\",\"9.99                \t\",美元           \t,",
    "\"                    \t\",\"                    \t\",人民币         \t,",
    "\"1.00                \t\",\"                    \t\",\n",
    " \n",
    "人民币合计,,,,,,,,\"2,000.00          \t\",\"13.40             \t\",\n",
);

fn parse(path: &str, bytes: &[u8]) -> Parsed {
    let parsed = testing::parse(crate::qrecon_descriptor(), path, bytes);
    assert_eq!(parsed.status, STATUS_OK, "{:?}", parsed.message);
    parsed
}

fn sniff(head: &[u8]) -> u8 {
    testing::sniff(crate::qrecon_descriptor(), "statement.csv", head)
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).expect("test decimal")
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn issues(parsed: &Parsed, outcome: Outcome) -> Vec<&OwnedIssue> {
    parsed.issues_of(outcome)
}

fn at(parsed: &Parsed, line: u64) -> &OwnedRecord {
    parsed.record_at(line)
}

fn extra<'r>(record: &'r OwnedRecord, key: &str) -> Option<&'r str> {
    record.extra_value(key)
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "the text is all GBK");
    bytes.into_owned()
}

/// Every line is reported exactly once and the counts add up to the file's line count.
fn assert_every_line_once(parsed: &Parsed, text: &str) {
    parsed.assert_lines_once(u64::try_from(text.lines().count()).expect("line count"));
}

fn skip_reason(parsed: &Parsed, line: u64) -> &str {
    let issue = parsed
        .issues
        .iter()
        .find(|i| i.line == line && i.outcome == Outcome::Skipped)
        .expect("a skipped line");
    &issue.reason
}

#[test]
fn credit_card_statement() {
    let parsed = parse("icbc_credit.csv", CREDIT.as_bytes());
    assert_eq!(parsed.records.len(), 9);
    assert!(issues(&parsed, Outcome::Quarantined).is_empty());
    assert_every_line_once(&parsed, CREDIT);
    for (line, reason) in [
        (1, "preamble"),
        (2, "blank line"),
        (3, "preamble"),
        (7, "header"),
        (18, "footer totals"),
    ] {
        assert_eq!(skip_reason(&parsed, line), reason, "line {line}");
    }
    assert!(skip_reason(&parsed, 17).starts_with("separator"));

    let first = at(&parsed, 8);
    assert_eq!(
        (
            first.kind,
            first.record_type.as_str(),
            first.provider.as_str()
        ),
        (Kind::Bank, "debit", "bank")
    );
    assert_eq!(first.id("account"), Some("1234****5678"));
    assert_eq!(first.amount, dec("-0.01"));
    assert_eq!(first.currency, "CNY");
    assert_eq!(first.status, Status::Success);
    assert_eq!(first.value_date, Some(date("2023-04-22")));
    assert_eq!(first.party("counterparty"), Some("XX旗舰店"));
    assert_eq!(first.party("memo"), Some("银联在线支付"));
    assert_eq!(extra(first, "交易日期"), Some("2023-04-22"));
    assert_eq!(extra(first, "余额"), Some("-6,086.11"));
    assert_eq!(extra(first, "交易场所"), Some("XX旗舰店"));
    assert_eq!(extra(first, "交易国家或地区简称"), Some("CHN"));
    assert_eq!(extra(first, "记账金额(支出)"), None);

    let repayment = at(&parsed, 13);
    assert_eq!(
        (repayment.record_type.as_str(), repayment.amount),
        ("credit", dec("4621.01"))
    );
    assert_eq!(repayment.value_date, Some(date("2023-04-25")));
    assert_eq!(repayment.party("counterparty"), Some("XX分行银行卡中心"));
    assert_eq!(repayment.party("memo"), Some("人民币自动转帐还款"));

    let pinduoduo = at(&parsed, 9);
    assert_eq!(
        (pinduoduo.amount, pinduoduo.value_date),
        (dec("-18.00"), Some(date("2023-05-05")))
    );
    assert_eq!(
        pinduoduo.party("counterparty"),
        Some("财付通-拼多多平台商户")
    );
    let masked = at(&parsed, 16);
    assert_eq!(
        (masked.amount, masked.party("memo")),
        (dec("-29.45"), Some("********************"))
    );

    let total: Decimal = parsed.records.iter().map(|r| r.amount).sum();
    assert_eq!(total, dec("4257.88"));
}

#[test]
fn credit_footer_disagrees_and_says_so() {
    let parsed = parse("icbc_credit.csv", CREDIT.as_bytes());
    let warnings = issues(&parsed, Outcome::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, 18);
    for number in [
        "1234.56",
        "6543.21",
        "4621.01",
        "363.13",
        "合计金额",
        "9 parsed rows",
    ] {
        assert!(
            warnings[0].reason.contains(number),
            "{number} in {}",
            warnings[0].reason
        );
    }
}

#[test]
fn debit_v2_statement() {
    let parsed = parse("icbc_debit_v2.csv", DEBIT_V2.as_bytes());
    assert_eq!(parsed.records.len(), 11);
    assert!(issues(&parsed, Outcome::Quarantined).is_empty());
    assert_every_line_once(&parsed, DEBIT_V2);
    assert_eq!(skip_reason(&parsed, 5), "preamble");
    assert_eq!(skip_reason(&parsed, 20), "footer totals");
    assert!(
        parsed
            .records
            .iter()
            .all(|r| r.id("account") == Some("1234****9876"))
    );

    let mcdonalds = at(&parsed, 8);
    assert_eq!(
        (mcdonalds.record_type.as_str(), mcdonalds.amount),
        ("debit", dec("-13.40"))
    );
    assert_eq!(mcdonalds.value_date, Some(date("2023-05-02")));
    assert_eq!(
        mcdonalds.party("counterparty"),
        Some("深圳市财付通支付科技有限公司")
    );
    assert_eq!(mcdonalds.party("memo"), Some("消费"));
    assert_eq!(extra(mcdonalds, "交易场所"), Some("广东三元麦当劳食品有"));
    assert_eq!(extra(mcdonalds, "对方账户"), Some("1234****9876"));
    assert_eq!(extra(mcdonalds, "钞/汇"), Some("钞"));
    assert_eq!(extra(mcdonalds, "余额"), Some("xx,yyyy.zz"));
    assert_eq!(
        extra(mcdonalds, "交易日期"),
        None,
        "the value date is not repeated"
    );
    assert_eq!(extra(mcdonalds, "交易金额(收入)"), None, "`-` is empty");
    assert_eq!(extra(mcdonalds, "交易币种"), None, "`-` is empty");

    let transfer_in = at(&parsed, 10);
    assert_eq!(
        (transfer_in.record_type.as_str(), transfer_in.amount),
        ("credit", dec("1234.56"))
    );
    assert_eq!(transfer_in.party("counterparty"), Some("李四"));
    assert_eq!(transfer_in.party("memo"), Some("他行汇入"));
    let fund = at(&parsed, 14);
    assert_eq!(
        (fund.amount, fund.value_date),
        (dec("341.58"), Some(date("2023-02-28")))
    );
    assert_eq!(fund.party("memo"), Some("蚂蚁基金赎回到银行"));
    let refund = at(&parsed, 18);
    assert_eq!(
        (refund.amount, refund.party("memo")),
        (dec("1.04"), Some("退款"))
    );

    let total: Decimal = parsed.records.iter().map(|r| r.amount).sum();
    assert_eq!(total, dec("2841.74") - dec("4241.08"));
}

#[test]
fn debit_v2_footer_is_synthetic_and_warned_about() {
    let parsed = parse("icbc_debit_v2.csv", DEBIT_V2.as_bytes());
    let warnings = issues(&parsed, Outcome::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, 20);
    for number in [
        "1234.56",
        "9876.54",
        "2841.74",
        "4241.08",
        "人民币合计",
        "in CNY",
    ] {
        assert!(
            warnings[0].reason.contains(number),
            "{number} in {}",
            warnings[0].reason
        );
    }
}

#[test]
fn debit_v1_layout_with_matching_footer() {
    let parsed = parse("icbc_debit_v1.csv", DEBIT_V1.as_bytes());
    assert_eq!(parsed.records.len(), 3);
    assert_every_line_once(&parsed, DEBIT_V1);
    assert!(
        issues(&parsed, Outcome::Warning).is_empty(),
        "the CNY footer matches the CNY rows"
    );

    let meal = at(&parsed, 8);
    assert_eq!(meal.id("account"), Some("1234****0001"));
    assert_eq!(
        (meal.amount, meal.currency.as_str()),
        (dec("-13.40"), "CNY")
    );
    assert_eq!(
        meal.party("counterparty"),
        Some("财付通-美团"),
        "对方户名 is empty: 交易场所"
    );
    assert_eq!(extra(meal, "余额"), Some("1,986.60"));
    let salary = at(&parsed, 9);
    assert_eq!(
        (salary.record_type.as_str(), salary.amount),
        ("credit", dec("2000.00"))
    );
    assert_eq!(salary.party("counterparty"), Some("ABC公司"));
    assert_eq!(extra(salary, "交易场所"), None);
}

#[test]
fn empty_booked_amounts_fall_back_to_traded_ones() {
    let parsed = parse("icbc_debit_v1.csv", DEBIT_V1.as_bytes());
    let abroad = at(&parsed, 10);
    assert_eq!(
        (abroad.record_type.as_str(), abroad.amount),
        ("debit", dec("-9.99"))
    );
    assert_eq!(abroad.currency, "美元");
    assert_eq!(abroad.value_date, Some(date("2023-03-01")));
    assert_eq!(extra(abroad, "记账币种"), Some("人民币"));
    assert_eq!(extra(abroad, "交易币种"), None, "it became the currency");
}

#[test]
fn memo_joins_summary_and_detail() {
    let blank_detail = "\"                              \t\"";
    let text = DEBIT_V2.replacen(blank_detail, "\"美团订单 123                  \t\"", 1);
    let parsed = parse("icbc_debit_v2.csv", text.as_bytes());
    assert_eq!(at(&parsed, 8).party("memo"), Some("消费 美团订单 123"));
    assert_eq!(at(&parsed, 9).party("memo"), Some("自动还款"));
}

#[test]
fn gbk_and_crlf_read_like_utf8() {
    for (name, text) in [
        ("icbc_credit.csv", CREDIT),
        ("icbc_debit_v2.csv", DEBIT_V2),
        ("v1.csv", DEBIT_V1),
    ] {
        let utf8 = parse(name, text.as_bytes());
        let crlf = text.replace('\n', "\r\n");
        for bytes in [gbk(text), gbk(&crlf)] {
            assert!(
                std::str::from_utf8(&bytes).is_err(),
                "{name} really is GBK now"
            );
            let other = parse(name, &bytes);
            assert_eq!(other.records, utf8.records, "{name}");
            assert_eq!(other.issues, utf8.issues, "{name}");
            assert_eq!(other.rows_read, utf8.rows_read, "{name}");
        }
    }
}

#[test]
fn sniff_scores() {
    for text in [CREDIT, DEBIT_V2, DEBIT_V1] {
        assert_eq!(sniff(text.as_bytes()), 95);
        assert_eq!(
            sniff(&text.as_bytes()[..100]),
            95,
            "a head cut inside a character"
        );
        assert_eq!(sniff(&gbk(text)[..300]), 95, "a GBK head");
    }
    let headers_only = "\u{feff}交易日期,记账日期,摘要,交易金额(收入),交易金额(支出)\r\n";
    assert_eq!(sniff(headers_only.as_bytes()), 95);
    assert_eq!(
        sniff("交易时间,公众账号ID,商户号,特约商户号,设备号\n".as_bytes()),
        0
    );
    assert_eq!(sniff(b"Date,Description,Amount\n2024-01-01,x,1.00\n"), 0);
    assert_eq!(sniff(b""), 0);
}

#[test]
fn bad_rows_are_quarantined_and_the_rest_parse() {
    let mut lines: Vec<String> = DEBIT_V2.lines().map(str::to_owned).collect();
    lines[8] = lines[8].replacen("2023-04-25", "2023-13-45", 1); // line 9: bad date
    lines[9] = lines[9].replacen("1,234.56", "12.3.4", 1); // line 10: bad amount
    lines[10] = lines[10].replacen("\"CHN                 \t\",", "", 1); // line 11: a cell short
    lines[11] = lines[11].replacen("1,234.56", "-", 1); // line 12: no amount at all
    let text = lines.join("\n") + "\n";
    let parsed = parse("broken.csv", text.as_bytes());
    assert_eq!(parsed.records.len(), 7);
    assert_every_line_once(&parsed, &text);

    let quarantined = issues(&parsed, Outcome::Quarantined);
    let found: Vec<(u64, Option<&str>)> = quarantined
        .iter()
        .map(|i| (i.line, i.field.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (9, Some("交易日期")),
            (10, Some("记账金额(收入)")),
            (11, None),
            (12, Some("记账金额(收入)"))
        ]
    );
    for issue in &quarantined {
        let line = usize::try_from(issue.line).expect("line") - 1;
        assert_eq!(
            issue.raw.as_deref(),
            Some(lines[line].as_str()),
            "the raw row is kept"
        );
    }
    assert!(
        quarantined[0]
            .reason
            .contains("expected a date like 2026-01-02, found \"2023-13-45\"")
    );
    assert!(
        quarantined[1].reason.contains("found \"12.3.4\""),
        "{}",
        quarantined[1].reason
    );
    assert!(
        quarantined[2].reason.contains("expected 15 cells"),
        "{}",
        quarantined[2].reason
    );
    assert!(
        quarantined[2].reason.contains("found 14"),
        "{}",
        quarantined[2].reason
    );
    assert!(
        quarantined[3].reason.contains("both empty"),
        "{}",
        quarantined[3].reason
    );

    let warning = &issues(&parsed, Outcome::Warning)[0];
    assert!(
        warning.reason.contains("4 quarantined rows"),
        "{}",
        warning.reason
    );
    assert_eq!(
        at(&parsed, 13).amount,
        dec("-500.00"),
        "rows after the bad ones still parse"
    );
}

/// Found by the property test: `income − expense` and the footer sums overflowed a `Decimal`
/// (a panic) when a cell held an amount at the edge of its range.
#[test]
fn amounts_at_the_edge_of_the_decimal_range_never_overflow() {
    const MAX: &str = "79228162514264337593543950335";
    let row = |income: &str, expense: &str| {
        format!("2023-05-02,消费,x,CHN,钞,-,-,-,{income},{expense},人民币,1.00,y,")
    };
    let text = [
        "交易日期,摘要,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,\
         记账金额(收入),记账金额(支出),记账币种,余额,对方户名"
            .to_owned(),
        row(MAX, "-1"),
        row(MAX, ""),
        row(MAX, ""),
        row("1.00", ""),
        " ".to_owned(),
        "人民币合计,,,,,,,,1.00,,".to_owned(),
    ]
    .join("\n")
        + "\n";
    let parsed = parse("edge.csv", text.as_bytes());
    assert_every_line_once(&parsed, &text);
    let quarantined = issues(&parsed, Outcome::Quarantined);
    let lines: Vec<u64> = quarantined.iter().map(|i| i.line).collect();
    assert_eq!(lines, [2, 3, 4]);
    assert!(
        quarantined[0]
            .reason
            .contains("income − expense is out of range"),
        "{}",
        quarantined[0].reason
    );
    assert_eq!(at(&parsed, 5).amount, dec("1.00"));
    let warnings = issues(&parsed, Outcome::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, 7);
    assert!(
        warnings[0].reason.contains("the rows' sum is out of range"),
        "{}",
        warnings[0].reason
    );
}

#[test]
fn a_file_without_the_header_is_refused() {
    let parsed = testing::parse(
        crate::qrecon_descriptor(),
        "x.csv",
        "明细查询文件下载\n\n卡号: 1\n".as_bytes(),
    );
    assert_eq!(parsed.status, STATUS_FILE_ERROR);
    let message = parsed.message.expect("a message");
    assert!(message.contains("交易日期"), "{message}");
}
